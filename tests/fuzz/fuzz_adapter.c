/* fuzz_adapter: every API adapter's parse_page on a hostile response body.
 *
 * Input: byte 0 picks the adapter (byte 0 mod the number of adapters, in
 * adapter_all order: openai, anthropic, gemini, together, openrouter,
 * deepinfra, per-token-strings, novita, cloudflare, bedrock, azure-retail)
 * and, in its high bits, the page being parsed (0 or a later one, with the
 * request URL set as the scheduler sets it). The rest is the body.
 * ctx: vendor "fuzz", base_url https://api.example.test/v1, a fake key.
 *
 * Checks, for the listing and the next request an adapter hands back:
 * - ids are non-empty text of at most ADAPTER_TEXT_MAX bytes without
 *   control characters; names NULL or the same;
 * - prices NAN or finite in [0, ADAPTER_PRICE_MAX] and already rounded
 *   (listing_round_price is the identity on them); contexts -1 or in
 *   [1, 1e9];
 * - a next page stays on the API's host (the key goes with it), has no
 *   blank or control character in its URL or headers, differs from the
 *   request URL, and is never set when parse_page fails; page numbers
 *   past ADAPTER_MAX_PAGES stop;
 * - the key shows only in headers marked secret: the same body parsed
 *   with another key gives the same outcome, message, URL and headers
 *   but the secret ones;
 * - a failure has a one-line message;
 * - listing_sort leaves ids sorted and unique, and listing_format_price
 *   fits in its 32 bytes. */
#include "fuzz_util.h"

#include <math.h>
#include <strings.h>

#include "adapter.h"
#include "adapter_util.h"
#include "buf.h"
#include "listing.h"

#define S_BASE "https://api.example.test/v1"
#define S_HOSTNAME "api.example.test"
#define S_KEY "sk-fuzz-0123456789abcdef"
/* The same request made with another key must not differ but in the
 * headers marked secret: what differs carries the key. */
#define S_KEY2 "sk-fuzz-fedcba9876543210"

static size_t S_count_adapters(void)
{
	size_t n = 0;
	while (adapter_all[n])
		n++;
	return n;
}

static void S_check_text(const char *s, const char *what)
{
	size_t n = strlen(s);
	FUZZ_CHECK(n > 0, "empty %s", what);
	FUZZ_CHECK(n <= ADAPTER_TEXT_MAX, "%s of %zu bytes", what, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		FUZZ_CHECK(c >= 0x20 && c != 0x7f,
			   "%s with control character 0x%02x", what, c);
	}
}

static void S_check_price(double p, const char *what)
{
	if (isnan(p))
		return;
	FUZZ_CHECK(isfinite(p) && p >= 0 && p <= ADAPTER_PRICE_MAX,
		   "%s price %g", what, p);
	FUZZ_CHECK(listing_round_price(p) == p, "%s price %.17g not rounded",
		   what, p);
	FUZZ_CHECK(!signbit(p), "%s price is -0", what);
	char out[32];
	listing_format_price(p, out);
	FUZZ_CHECK(strlen(out) < 32 && out[0] != '\0' && out[0] != '-',
		   "%s price %g formats as '%s'", what, p, out);
}

/* The URL stays on the API's host, read the way libcurl reads it: the
 * authority runs to the first '/', '?' or '#'; user info ends at its first
 * '@'; the host ends at a ':' (port). Scheme and host must be the base
 * URL's (host compared without case). */
static void S_check_same_host(const char *url)
{
	static const char scheme[] = "https://";
	FUZZ_CHECK(strncasecmp(url, scheme, sizeof scheme - 1) == 0,
		   "next page changes the scheme: %.200s", url);
	const char *p = url + sizeof scheme - 1;
	size_t n = strcspn(p, "/?#");
	const char *at = memchr(p, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	const char *colon = memchr(p, ':', n);
	if (colon)
		n = (size_t)(colon - p);
	FUZZ_CHECK(n == strlen(S_HOSTNAME) &&
		       strncasecmp(p, S_HOSTNAME, n) == 0,
		   "next page leaves the API host: %.200s", url);
}

static void S_check_no_blank(const char *s, const char *what)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		FUZZ_CHECK(*p > 0x20 && *p != 0x7f,
			   "%s with blank or control byte 0x%02x", what, *p);
}

static void S_check_request(const struct http_request *r,
			    const struct adapter_ctx *ctx)
{
	S_check_same_host(r->url);
	S_check_no_blank(r->url, "next URL");
	FUZZ_CHECK(!ctx->request_url || strcmp(r->url, ctx->request_url),
		   "next page repeats the request URL");
	FUZZ_CHECK(r->n_headers <= HTTP_MAX_HEADERS, "%zu headers",
		   r->n_headers);
	for (size_t i = 0; i < r->n_headers; i++) {
		const char *h = r->headers[i];
		FUZZ_CHECK(h && strchr(h, ':'), "malformed header");
		for (const unsigned char *p = (const unsigned char *)h; *p; p++)
			FUZZ_CHECK(*p >= 0x20 && *p != 0x7f,
				   "header with control byte 0x%02x", *p);
	}
}

/* r2 is r made with S_KEY2: equal URL, the same headers in the same order,
 * equal unless marked secret. */
static void S_check_same_but_secrets(const struct http_request *r,
				     const struct http_request *r2,
				     const char *style)
{
	FUZZ_CHECK((!r->url && !r2->url) ||
		       (r->url && r2->url && strcmp(r->url, r2->url) == 0),
		   "%s: the key changes the next URL", style);
	FUZZ_CHECK(r->n_headers == r2->n_headers,
		   "%s: the key changes the headers", style);
	for (size_t i = 0; i < r->n_headers; i++) {
		FUZZ_CHECK(r->secret_header[i] == r2->secret_header[i],
			   "%s: the key changes which headers are secret",
			   style);
		FUZZ_CHECK(r->secret_header[i] ||
			       strcmp(r->headers[i], r2->headers[i]) == 0,
			   "%s: the key is in a header not marked secret",
			   style);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static size_t count;
	struct adapter_ctx ctx;
	struct listing out;
	struct http_request next;
	struct buf err = BUF_INIT;

	if (size < 1)
		return 0;
	if (!count)
		count = S_count_adapters();
	const struct adapter *a = adapter_all[data[0] % count];
	unsigned mode = data[0] / count; /* 0 .. 23 */

	memset(&ctx, 0, sizeof ctx);
	ctx.vendor_id = "fuzz";
	ctx.base_url = S_BASE;
	ctx.key = S_KEY;
	ctx.region = "eastus";
	ctx.aws_secret = "fuzz-secret";
	ctx.page = 0;
	if (mode & 1) {
		/* a later page, up to the last one allowed */
		ctx.page = (mode & 2) ? ADAPTER_MAX_PAGES - 1 : 1 + (int)mode;
		ctx.request_url = S_BASE "/models?page=2";
	}

	/* The body is not NUL-terminated, as curl hands it over. */
	char *body = malloc(size > 1 ? size - 1 : 1);
	if (!body)
		abort();
	memcpy(body, data + 1, size - 1);

	listing_init(&out);
	http_request_init(&next);
	int rc = a->parse_page(&ctx, body, size - 1, &out, &next, &err);
	FUZZ_CHECK(rc == 0 || rc == -1, "%s: parse_page returned %d", a->style,
		   rc);

	/* the same page parsed with another key */
	struct adapter_ctx ctx2 = ctx;
	struct listing out2;
	struct http_request next2;
	struct buf err2 = BUF_INIT;
	ctx2.key = S_KEY2;
	listing_init(&out2);
	http_request_init(&next2);
	int rc2 = a->parse_page(&ctx2, body, size - 1, &out2, &next2, &err2);
	FUZZ_CHECK(rc == rc2 && out.count == out2.count,
		   "%s: the key changes the outcome", a->style);
	FUZZ_CHECK(strcmp(buf_cstr(&err), buf_cstr(&err2)) == 0,
		   "%s: the key changes the error message", a->style);
	S_check_same_but_secrets(&next, &next2, a->style);
	http_request_release(&next2);
	listing_release(&out2);
	buf_release(&err2);
	if (rc < 0) {
		FUZZ_CHECK(err.len > 0, "%s: failure without a message",
			   a->style);
		fuzz_check_message(err.data);
		FUZZ_CHECK(next.url == NULL && next.n_headers == 0,
			   "%s: a failed parse left a next request", a->style);
	} else if (next.url) {
		FUZZ_CHECK(ctx.page + 1 < ADAPTER_MAX_PAGES,
			   "%s: a page past ADAPTER_MAX_PAGES", a->style);
		S_check_request(&next, &ctx);
	} else {
		FUZZ_CHECK(next.n_headers == 0 && !next.userpwd,
			   "%s: headers without a next URL", a->style);
	}

	for (size_t i = 0; i < out.count; i++) {
		const struct listing_entry *e = &out.items[i];
		FUZZ_CHECK(e->id != NULL, "%s: entry without id", a->style);
		S_check_text(e->id, "id");
		if (e->name)
			S_check_text(e->name, "name");
		FUZZ_CHECK(e->context == -1 ||
			       (e->context >= 1 && e->context <= 1000000000L),
			   "%s: context %ld", a->style, e->context);
		S_check_price(e->input, "input");
		S_check_price(e->output, "output");
		S_check_price(e->cached_input, "cached_input");
	}
	listing_sort(&out);
	for (size_t i = 1; i < out.count; i++)
		FUZZ_CHECK(strcmp(out.items[i - 1].id, out.items[i].id) < 0,
			   "%s: listing_sort left '%s' before '%s'", a->style,
			   out.items[i - 1].id, out.items[i].id);

	http_request_release(&next);
	listing_release(&out);
	buf_release(&err);
	free(body);
	return 0;
}
