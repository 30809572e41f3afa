/* adapter_util: JSON reading, unit conversion, list walking and request
 * building shared by every adapter (see adapter_util.h). */
#include "adapter_util.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* A context above a billion tokens is garbage, not a model. */
#define ADAPTER_CONTEXT_MAX 1000000000L
/* Longest numeric string taken as a price or a context. */
#define ADAPTER_NUMBER_MAX 64

static bool S_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int adapter_json_parse(const char *body, size_t len, json_t **root,
		       struct buf *err)
{
	json_error_t jerr;
	size_t i = 0;

	*root = NULL;
	if (!body)
		len = 0;
	if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0)
		i = 3; /* a UTF-8 byte order mark, which jansson refuses */
	while (i < len && S_is_space(body[i]))
		i++;
	if (i == len) {
		buf_puts(err, "empty response where JSON was expected");
		return -1;
	}
	unsigned char c = (unsigned char)body[i];
	if (!strchr("{[\"-0123456789tfn", c) || c == '\0') {
		if (c > 0x20 && c < 0x7f)
			buf_printf(
			    err, "response is not JSON (starts with '%c')", c);
		else
			buf_printf(
			    err,
			    "response is not JSON (starts with byte 0x%02x)",
			    c);
		return -1;
	}
	/* INT_AS_REAL: an integer too big for json_int_t is garbage in one
	 * field, not a reason to refuse the whole listing. */
	*root = json_loadb(body + i, len - i,
			   JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &jerr);
	if (!*root) {
		/* jansson quotes the offending token after " near "; the
		 * body is not ours to echo, so cut it off. */
		char *near = strstr(jerr.text, " near ");
		if (near)
			*near = '\0';
		buf_printf(
		    err, "response is not valid JSON (line %d, column %d: %s)",
		    jerr.line, jerr.column, jerr.text);
		return -1;
	}
	return 0;
}

const char *adapter_json_text(json_t *v)
{
	if (!json_is_string(v))
		return NULL;
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (n == 0 || n > ADAPTER_TEXT_MAX || strlen(s) != n)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return NULL;
	}
	return s;
}

const char *adapter_member_text(json_t *obj, const char *key)
{
	return json_is_object(obj)
		   ? adapter_json_text(json_object_get(obj, key))
		   : NULL;
}

json_t *adapter_member_object(json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	return json_is_object(v) ? v : NULL;
}

/* Whether s is a plain decimal: -?(d+.?d*|.d+)([eE][+-]?d+)?. strtod
 * alone would also take "nan", "inf", hex and leading blanks. */
static bool S_is_decimal(const char *s, const char **exp_at)
{
	const char *p = s;
	size_t digits = 0;

	if (*p == '-')
		p++;
	while (isdigit((unsigned char)*p))
		p++, digits++;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++, digits++;
	}
	if (digits == 0)
		return false;
	*exp_at = p;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '\0';
}

/* Parses a decimal string times 10^shift by moving its exponent, so the
 * one rounding is strtod's: "0.00000015" with shift 6 reads as
 * "0.00000015e6", which is exactly the double nearest 0.15. */
static double S_decimal_shifted(const char *s, int shift)
{
	const char *exp_at = NULL;
	char text[ADAPTER_NUMBER_MAX + 32];

	if (strlen(s) > ADAPTER_NUMBER_MAX || !S_is_decimal(s, &exp_at))
		return NAN;
	long exp = 0;
	if (*exp_at) {
		exp = strtol(exp_at + 1, NULL, 10);
		/* Out-of-range exponents give 0 or infinity either way. */
		if (exp > 100000)
			exp = 100000;
		if (exp < -100000)
			exp = -100000;
	}
	snprintf(text, sizeof(text), "%.*se%ld", (int)(exp_at - s), s,
		 exp + shift);
	return strtod(text, NULL);
}

double adapter_json_price(json_t *v, int shift)
{
	double x;

	if (json_is_string(v)) {
		x = S_decimal_shifted(json_string_value(v), shift);
	} else if (json_is_number(v)) {
		/* Powers of ten up to 1e22 are exact doubles, so this is one
		 * correctly rounded operation. */
		static const double S_pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4,
						 1e5, 1e6, 1e7, 1e8, 1e9};
		int k = abs(shift);
		if (k > 9)
			return NAN;
		double scale = S_pow10[k];
		x = json_number_value(v);
		x = shift >= 0 ? x * scale : x / scale;
	} else {
		return NAN;
	}
	if (!isfinite(x) || x < 0 || x > ADAPTER_PRICE_MAX)
		return NAN;
	return listing_round_price(x);
}

long adapter_json_context(json_t *v)
{
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);
		return n > 0 && n <= ADAPTER_CONTEXT_MAX ? (long)n : -1;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (d >= 1 && d <= ADAPTER_CONTEXT_MAX && d == floor(d))
			return (long)d;
		return -1;
	}
	const char *s = adapter_json_text(v);
	if (!s || strlen(s) > 12)
		return -1;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	long n = strtol(s, NULL, 10);
	return n > 0 && n <= ADAPTER_CONTEXT_MAX ? n : -1;
}

long adapter_member_context(json_t *obj, ...)
{
	va_list ap;
	long n = -1;
	const char *key;

	if (!json_is_object(obj))
		return -1;
	va_start(ap, obj);
	while (n < 0 && (key = va_arg(ap, const char *)))
		n = adapter_json_context(json_object_get(obj, key));
	va_end(ap);
	return n;
}

void adapter_entry_name(struct listing_entry *e, json_t *obj, ...)
{
	va_list ap;
	const char *key;
	const char *name = NULL;

	va_start(ap, obj);
	while (!name && (key = va_arg(ap, const char *)))
		name = adapter_member_text(obj, key);
	va_end(ap);
	if (name) {
		free(e->name);
		e->name = xstrdup(name);
	}
}

void adapter_token_pricing(json_t *pricing, struct listing_entry *e)
{
	if (!json_is_object(pricing))
		return;
	e->input = adapter_json_price(json_object_get(pricing, "prompt"), 6);
	e->output =
	    adapter_json_price(json_object_get(pricing, "completion"), 6);
	e->cached_input =
	    adapter_json_price(json_object_get(pricing, "input_cache_read"), 6);
}

int adapter_list_walk(const struct adapter_list *spec, json_t *root,
		      const struct adapter_ctx *ctx, struct listing *out,
		      struct buf *err)
{
	json_t *items = root;

	if (spec->array_key) {
		items = json_is_object(root)
			    ? json_object_get(root, spec->array_key)
			    : NULL;
		if (!json_is_array(items)) {
			buf_printf(err,
				   "expected a JSON object with a '%s' array",
				   spec->array_key);
			return -1;
		}
	} else if (!json_is_array(root)) {
		buf_puts(err, "expected a JSON array of models");
		return -1;
	}

	size_t good = 0;
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *item = json_array_get(items, i);
		if (!json_is_object(item))
			continue;
		const char *id = spec->id_of
				     ? spec->id_of(item)
				     : adapter_member_text(item, spec->id_key);
		if (!id)
			continue;
		good++;
		if (spec->want && !spec->want(item, ctx))
			continue;
		struct listing_entry *e = listing_add(out, id);
		if (spec->fill)
			spec->fill(item, e, ctx);
	}
	/* Some bad items are garbage; all of them is another shape. */
	if (good == 0 && json_array_size(items) > 0) {
		buf_printf(err, "none of the %zu models has a usable '%s'",
			   json_array_size(items),
			   spec->id_of ? "id" : spec->id_key);
		return -1;
	}
	return 0;
}

int adapter_list_parse(const struct adapter_list *spec, const char *body,
		       size_t len, const struct adapter_ctx *ctx,
		       struct listing *out, json_t **root, struct buf *err)
{
	json_t *doc = NULL;
	int rc = -1;

	if (root)
		*root = NULL;
	if (adapter_json_parse(body, len, &doc, err) < 0)
		goto out;
	if (adapter_list_walk(spec, doc, ctx, out, err) < 0)
		goto out;
	if (root) {
		*root = doc;
		doc = NULL;
	}
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

void adapter_url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' ||
		    *p == '~') {
			buf_putc(b, (char)*p);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

int adapter_url_base(const struct adapter_ctx *ctx, const char *dflt,
		     const char *path, struct buf *url, struct buf *err)
{
	const char *base =
	    ctx->base_url && *ctx->base_url ? ctx->base_url : dflt;
	if (!base) {
		buf_printf(err, "the %s API needs a base_url",
			   ctx->vendor_id ? ctx->vendor_id : "vendor's");
		return -1;
	}
	if (strncmp(base, "https://", 8) != 0 &&
	    strncmp(base, "http://", 7) != 0) {
		buf_puts(err, "base_url is not an http(s) URL");
		return -1;
	}
	for (const char *p = base; *p; p++) {
		if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
			buf_puts(
			    err,
			    "base_url contains a space or control character");
			return -1;
		}
	}
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	buf_reset(url);
	buf_append(url, base, n);
	buf_puts(url, path);
	return 0;
}

int adapter_check_secret(const char *s, const char *what, struct buf *err)
{
	if (!s)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			buf_printf(err, "%s contains a control character",
				   what);
			return -1;
		}
	}
	return 0;
}

bool adapter_region_ok(const char *r)
{
	if (!r || !*r || strlen(r) > 32)
		return false;
	for (; *r; r++)
		if (!islower((unsigned char)*r) &&
		    !isdigit((unsigned char)*r) && *r != '-')
			return false;
	return true;
}

int adapter_models_request(const struct adapter_ctx *ctx, const char *dflt,
			   const char *query, struct http_request *req,
			   struct buf *err)
{
	struct buf url = BUF_INIT;
	int rc = -1;

	if (adapter_check_secret(ctx->key, "the API key", err) < 0)
		goto out;
	if (adapter_url_base(ctx, dflt, "/models", &url, err) < 0)
		goto out;
	buf_puts(&url, query);
	req->url = buf_detach(&url, NULL);
	if (ctx->key && *ctx->key)
		http_request_add_header(req, true, "Authorization: Bearer %s",
					ctx->key);
	rc = 0;
out:
	buf_release(&url);
	return rc;
}

int adapter_next_check(const struct adapter_ctx *ctx, struct http_request *next,
		       struct buf *err)
{
	int rc = -1;

	if (!next->url)
		return 0;
	if (ctx->page + 1 >= ADAPTER_MAX_PAGES) {
		buf_printf(err,
			   "stopped after %d pages: the listing does not end",
			   ADAPTER_MAX_PAGES);
		goto out;
	}
	if (ctx->request_url && strcmp(ctx->request_url, next->url) == 0) {
		buf_puts(err, "the API sent the same page token again "
			      "(pagination loop)");
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		http_request_release(next);
	return rc;
}
