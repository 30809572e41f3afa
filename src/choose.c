/* choose: ranks the hosts of a model for a workload, for `stackmap choose`
 * (choose_cli.c) and the choose page. See choose.h for the cost formula,
 * the ranking order and the shape of a result. */
#include "choose.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mustache.h"
#include "numtext.h"
#include "schema.h"
#include "validate.h"
#include "xalloc.h"

#define S_SUGGESTIONS 5
/* From this many dollars a month on, a cost is printed as a phrase: below
 * it, cents fit a double exactly, so assets/choose.js prints the same. */
#define S_PRINT_LIMIT_USD 1e13

/* ---- parsing numbers ---- */

/* Scans [digits][.digits][e[+-]digits] with at least one digit before the
 * exponent; sets *end past it. Returns 0, or -1 when s does not start so. */
static int S_scan_decimal(const char *s, const char **end)
{
	const char *p = s;
	size_t digits = 0;
	while (isdigit((unsigned char)*p))
		p++, digits++;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			digits++;
	if (!digits)
		return -1;
	if (*p == 'e' || *p == 'E') {
		const char *q = p + 1;
		if (*q == '+' || *q == '-')
			q++;
		if (!isdigit((unsigned char)*q))
			return -1;
		while (isdigit((unsigned char)*q))
			q++;
		p = q;
	}
	*end = p;
	return 0;
}

/* Parses a plain decimal number, then an optional suffix from suffixes
 * (case-insensitive "kmb" scale by 1e3, 1e6, 1e9). */
static int S_parse_number(const char *text, const char *suffixes, double *value,
			  const char **why)
{
	const char *end;
	char digits[64];
	if (!text || !*text) {
		*why = "is empty";
		return -1;
	}
	if (*text == '-') {
		*why = "is negative";
		return -1;
	}
	if (S_scan_decimal(text, &end) != 0) {
		*why = "is not a number";
		return -1;
	}
	double scale = 1;
	if (*end && suffixes &&
	    strchr(suffixes, tolower((unsigned char)*end))) {
		switch (tolower((unsigned char)*end)) {
		case 'k':
			scale = 1e3;
			break;
		case 'm':
			scale = 1e6;
			break;
		case 'b':
			scale = 1e9;
			break;
		}
		end++;
	}
	if (*end) {
		*why = "is not a number";
		return -1;
	}
	size_t n = (size_t)(end - text) - (scale != 1);
	if (n >= sizeof(digits)) {
		*why = "is too long";
		return -1;
	}
	memcpy(digits, text, n);
	digits[n] = '\0';
	errno = 0;
	double v = strtod(digits, NULL);
	if (!isfinite(v) || (errno == ERANGE && v > 1)) {
		*why = "is too large";
		return -1;
	}
	*value = v * scale;
	return 0;
}

int choose_parse_tokens(const char *text, double *tokens, const char **why)
{
	double v;
	if (S_parse_number(text, "kmb", &v, why) != 0)
		return -1;
	v = round(v);
	if (!(v <= CHOOSE_MAX_TOKENS)) {
		*why = "is more than 1e15 tokens";
		return -1;
	}
	*tokens = v;
	return 0;
}

int choose_parse_share(const char *text, double *share, const char **why)
{
	double v;
	if (S_parse_number(text, NULL, &v, why) != 0)
		return -1;
	if (v > 1) {
		*why = "is not between 0 and 1";
		return -1;
	}
	*share = v;
	return 0;
}

int choose_parse_usd(const char *text, double *usd, const char **why)
{
	double v;
	if (S_parse_number(text, NULL, &v, why) != 0)
		return -1;
	if (v > CHOOSE_MAX_USD) {
		*why = "is more than 1e12 dollars";
		return -1;
	}
	*usd = v;
	return 0;
}

int choose_parse_require(const char *text, bool *openai_compatible)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == strlen("openai-compatible") &&
		    strncmp(p, "openai-compatible", n) == 0)
			*openai_compatible = true;
		else
			return -1;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* ---- costs and labels ---- */

double choose_monthly_cost(double input_tokens, double output_tokens,
			   double cached_share, double input, double output,
			   double cached_input)
{
	/* The same operations in the same order as assets/choose.js, so the
	 * page and the command line agree to the last bit. */
	double full = input_tokens * (1 - cached_share) / 1e6;
	double cached = input_tokens * cached_share / 1e6;
	double out = output_tokens / 1e6;
	double cached_price = isnan(cached_input) ? input : cached_input;
	double cost = 0;
	if (full > 0)
		cost += full * input;
	if (cached > 0)
		cost += cached * cached_price;
	if (out > 0)
		cost += out * output;
	return cost;
}

long long choose_cents(double usd)
{
	return (long long)floor(usd * 100 + 0.5);
}

/* "1,234,567" for a whole number below 1e18. */
static char *S_grouped(unsigned long long v, char out[32])
{
	char digits[24];
	int n = snprintf(digits, sizeof(digits), "%llu", v);
	size_t j = 0;
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[j++] = ',';
		out[j++] = digits[i];
	}
	out[j] = '\0';
	return out;
}

char *choose_format_usd(double usd, char out[32])
{
	if (isnan(usd)) {
		out[0] = '\0';
		return out;
	}
	if (!(usd < S_PRINT_LIMIT_USD)) {
		snprintf(out, 32, "over $10,000,000,000,000");
		return out;
	}
	long long cents = choose_cents(usd);
	char whole[32];
	snprintf(out, 32, "$%s.%02lld",
		 S_grouped((unsigned long long)(cents / 100), whole),
		 cents % 100);
	return out;
}

char *choose_age_label(long days, char out[32])
{
	if (days < 0)
		snprintf(out, 32, "date unknown");
	else
		snprintf(out, 32, "%ld day%s old", days, days == 1 ? "" : "s");
	return out;
}

/* ---- reading the view ---- */

static const char *S_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static double S_num(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The element of arr whose key equals id, or NULL. Borrowed. */
static json_t *S_find(json_t *arr, const char *key, const char *id)
{
	size_t i;
	json_t *item;
	json_array_foreach(arr, i, item)
	{
		const char *v = S_str(item, key);
		if (v && id && strcmp(v, id) == 0)
			return item;
	}
	return NULL;
}

/* v itself, or JSON null for a missing value; a new reference. */
static json_t *S_copy(json_t *v)
{
	return v ? json_incref(v) : json_null();
}

/* ---- finding the model ---- */

/* s in lower case without spaces, hyphens, underscores and dots, so that
 * "Llama-3.3-70B-Instruct", "llama 3.3 70b instruct" and "LLAMA_3_3_70B
 * instruct" compare equal. Caller frees. */
static char *S_norm(const char *s)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "");
	for (; s && *s; s++)
		if (!strchr(" -_.", *s))
			buf_putc(&b, (char)tolower((unsigned char)*s));
	return buf_detach(&b, NULL);
}

/* The part of a remote id after its last '/': "meta-llama/Llama-3.3" →
 * "Llama-3.3". Borrowed from rid. */
static const char *S_basename(const char *rid)
{
	const char *slash = strrchr(rid, '/');
	return slash ? slash + 1 : rid;
}

/* Appends id to found (at most S_SUGGESTIONS) unless it is there. */
static void S_add_found(const char **found, size_t *n, const char *id)
{
	for (size_t k = 0; k < *n; k++)
		if (strcmp(found[k], id) == 0)
			return;
	if (*n < S_SUGGESTIONS)
		found[(*n)++] = id;
}

/* The models whose id, name, remote id or the last part of a remote id
 * equals query once both are normalised (S_norm). Returns how many. */
static size_t S_norm_matches(json_t *view, const char *query,
			     const char **found)
{
	char *q = S_norm(query);
	size_t n = 0, i;
	json_t *m;
	json_array_foreach(json_object_get(view, "models"), i, m)
	{
		char *id = S_norm(S_str(m, "id"));
		char *name = S_norm(S_str(m, "name"));
		if (strcmp(q, id) == 0 || strcmp(q, name) == 0)
			S_add_found(found, &n, S_str(m, "id"));
		free(id);
		free(name);
	}
	json_array_foreach(json_object_get(view, "offers"), i, m)
	{
		const char *rid = S_str(m, "remote_id");
		char *whole = S_norm(rid), *base = S_norm(S_basename(rid));
		if (strcmp(q, whole) == 0 || strcmp(q, base) == 0)
			S_add_found(found, &n, S_str(m, "model_id"));
		free(whole);
		free(base);
	}
	free(q);
	return n;
}

static void S_ambiguous(struct buf *err, const char *query, const char *what,
			const char **found, size_t n)
{
	buf_printf(err, "'%s' %s several models:", query, what);
	for (size_t k = 0; k < n; k++)
		buf_printf(err, "%s %s", k ? "," : "", found[k]);
	buf_puts(err, "; name one by its id");
}

const char *choose_find_model(json_t *view, const char *query, struct buf *err)
{
	json_t *models = json_object_get(view, "models");
	json_t *m = S_find(models, "id", query);
	const char *found[S_SUGGESTIONS];
	size_t i, n;
	if (m)
		return S_str(m, "id");
	json_array_foreach(models, i, m)
	{
		if (strcasecmp(S_str(m, "name"), query) == 0)
			return S_str(m, "id");
	}
	/* Remote ids: exact, then ignoring case; one model or ambiguous. */
	for (int pass = 0; pass < 2; pass++) {
		json_t *o;
		n = 0;
		json_array_foreach(json_object_get(view, "offers"), i, o)
		{
			const char *rid = S_str(o, "remote_id");
			if (!(pass ? strcasecmp(rid, query)
				   : strcmp(rid, query)))
				S_add_found(found, &n, S_str(o, "model_id"));
		}
		if (n == 1)
			return found[0];
		if (n > 1) {
			S_ambiguous(err, query, "is a remote id of", found, n);
			return NULL;
		}
	}
	/* Then ignoring case, spaces, hyphens, underscores and dots. */
	n = S_norm_matches(view, query, found);
	if (n == 1)
		return found[0];
	if (n > 1) {
		S_ambiguous(err, query, "could name", found, n);
		return NULL;
	}
	const char *close[S_SUGGESTIONS];
	n = choose_suggest(view, query, close, S_SUGGESTIONS);
	buf_printf(err, "unknown model '%s'", query);
	for (size_t k = 0; k < n; k++)
		buf_printf(err, "%s%s%s", k ? ", " : "; did you mean ",
			   close[k], k + 1 == n ? "?" : "");
	return NULL;
}

struct S_candidate {
	const char *id;
	bool contains; /* the id or the name contains query, or it them */
	size_t distance;
};

static int S_candidate_cmp(const void *pa, const void *pb)
{
	const struct S_candidate *a = pa, *b = pb;
	if (a->contains != b->contains)
		return a->contains ? -1 : 1;
	if (a->distance != b->distance)
		return a->distance < b->distance ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* True when a and b are at least 3 characters and one contains the other
 * (so a prefix or a suffix too). */
static bool S_contains(const char *a, const char *b)
{
	return strlen(a) >= 3 && strlen(b) >= 3 &&
	       (strstr(a, b) != NULL || strstr(b, a) != NULL);
}

size_t choose_suggest(json_t *view, const char *query, const char **out,
		      size_t max)
{
	char *q = S_norm(query);
	size_t len = strlen(q);
	size_t cap = len / 3 > 3 ? len / 3 : 3;
	json_t *models = json_object_get(view, "models");
	struct S_candidate *c =
	    xmalloc((json_array_size(models) + 1) * sizeof(*c));
	size_t n = 0, i;
	json_t *m;
	json_array_foreach(models, i, m)
	{
		char *id = S_norm(S_str(m, "id"));
		char *name = S_norm(S_str(m, "name"));
		size_t d = schema_edit_distance(q, id, cap);
		size_t dn = schema_edit_distance(q, name, cap);
		if (dn < d)
			d = dn;
		bool contains = S_contains(q, id) || S_contains(q, name);
		if (d <= cap || contains)
			c[n++] =
			    (struct S_candidate){S_str(m, "id"), contains, d};
		free(id);
		free(name);
	}
	free(q);
	qsort(c, n, sizeof(*c), S_candidate_cmp);
	size_t k;
	for (k = 0; k < n && k < max; k++)
		out[k] = c[k].id;
	free(c);
	return k;
}

/* ---- ranking ---- */

/* What ranking needs besides the query: lookups built once per view. */
struct S_rank {
	json_t *view;
	long data_day;	 /* day number of view.site.data_date; -1 unknown */
	json_t *vendors; /* id -> VENDOR, borrowed from the view */
	json_t *models;	 /* id -> MODEL, borrowed from the view */
	json_t *routers; /* id -> true for routers (below) */
	const struct choose_query *q;
};

static void S_rank_init(struct S_rank *r, json_t *view,
			const struct choose_query *q)
{
	const char *date = S_str(json_object_get(view, "site"), "data_date");
	size_t i;
	json_t *v;
	r->view = view;
	r->data_day =
	    date && schema_is_date(date) ? validate_day_number(date) : -1;
	r->vendors = json_object();
	r->models = json_object();
	r->routers = json_object();
	r->q = q;
	/* A router is a vendor that a vendor outside the model-lab layer
	 * names under via (that vendor's models are sold through it): it
	 * routes to other hosts rather than being one. */
	json_array_foreach(json_object_get(view, "vendors"), i, v)
	{
		const char *layer = S_str(v, "layer");
		size_t k;
		json_t *ref;
		json_object_set(r->vendors, S_str(v, "id"), v);
		if (layer && strcmp(layer, "model-lab") == 0)
			continue;
		json_array_foreach(json_object_get(v, "via"), k, ref)
		{
			json_object_set_new(r->routers, S_str(ref, "id"),
					    json_true());
		}
	}
	json_array_foreach(json_object_get(view, "models"), i, v)
	{
		json_object_set(r->models, S_str(v, "id"), v);
	}
}

static void S_rank_release(struct S_rank *r)
{
	json_decref(r->vendors);
	json_decref(r->models);
	json_decref(r->routers);
}

/* The date a row's price is from: checked, or the day of live_at. */
static void S_price_date(json_t *offer, char out[11])
{
	const char *live = S_str(offer, "live_at");
	const char *d = strcmp(S_str(offer, "origin"), "live") == 0 && live
			    ? live
			    : S_str(offer, "checked");
	out[0] = '\0';
	if (d && strlen(d) >= 10) {
		memcpy(out, d, 10);
		out[10] = '\0';
		if (!schema_is_date(out))
			out[0] = '\0';
	}
}

/* Copies keys (a NULL-terminated list) from offer into row; a missing
 * value becomes null. */
static void S_copy_keys(json_t *row, json_t *offer, const char *const *keys)
{
	for (size_t i = 0; keys[i]; i++)
		json_object_set_new(row, keys[i],
				    S_copy(json_object_get(offer, keys[i])));
}

/* The keys of a ROW that S_row computes rather than copies, each in one
 * place for S_row and choose_rows_text. */

/* The age in days of the offer's price (its date in date, "" unknown),
 * or -1 when unknown. */
static long S_price_age(const struct S_rank *r, json_t *offer, char date[11])
{
	S_price_date(offer, date);
	return date[0] && r->data_day >= 0
		   ? r->data_day - validate_day_number(date)
		   : -1;
}

/* "old": stale, or older than the stale window. */
static bool S_is_old(json_t *offer, long age)
{
	return json_is_true(json_object_get(offer, "stale")) ||
	       age > VALIDATE_STALE_DAYS;
}

/* The vendor's strength labels joined by ", ", appended to out. */
static void S_strength_labels(const struct S_rank *r, json_t *offer,
			      struct buf *out)
{
	json_t *vendor = json_object_get(r->vendors, S_str(offer, "vendor_id"));
	size_t k;
	json_t *st;
	json_array_foreach(json_object_get(vendor, "strengths"), k, st)
	{
		buf_printf(out, "%s%s", k ? ", " : "", S_str(st, "label"));
	}
}

static bool S_is_router(const struct S_rank *r, json_t *offer)
{
	return json_object_get(r->routers, S_str(offer, "vendor_id")) != NULL;
}

/* The model's context window when the offer's is smaller, else -1. */
static json_int_t S_short_of(const struct S_rank *r, json_t *offer)
{
	json_t *m = json_object_get(r->models, S_str(offer, "model_id"));
	json_t *want = json_object_get(m, "context");
	json_t *ctx = json_object_get(offer, "context");
	if (!json_is_integer(want) || !json_is_integer(ctx) ||
	    json_integer_value(ctx) >= json_integer_value(want))
		return -1;
	return json_integer_value(want);
}

/* "less than the model's 131,072" for an offer whose context window is
 * smaller than its model's, appended to out; nothing otherwise. */
static void S_context_note(const struct S_rank *r, json_t *offer,
			   struct buf *out)
{
	json_int_t want = S_short_of(r, offer);
	char label[32];
	if (want >= 0)
		buf_printf(out, "less than the model's %s",
			   S_grouped((unsigned long long)want, label));
}

/* The vendor's name, with " (router)" for a router, appended to out. */
static void S_vendor_label(const struct S_rank *r, json_t *offer,
			   struct buf *out)
{
	buf_printf(out, "%s%s", S_str(offer, "vendor_name"),
		   S_is_router(r, offer) ? " (router)" : "");
}

/* A ROW for offer (see choose.h), costed for q when q is not NULL. */
static json_t *S_row(const struct S_rank *r, json_t *offer,
		     const struct choose_query *q)
{
	static const char *const names[] = {
	    "vendor_id", "vendor_name", "layer",     "layer_name",
	    "model_id",	 "model_name",	"remote_id", NULL};
	static const char *const prices[] = {
	    "input",	 "output",     "cached_input",
	    "input_num", "output_num", "cached_input_num",
	    "has_price", "origin",     NULL};
	static const char *const api[] = {"openai_compatible", "context",
					  "context_label", NULL};
	char date[11], money[32];
	long age = S_price_age(r, offer, date);
	bool stale = json_is_true(json_object_get(offer, "stale"));
	double cost = NAN;
	if (q)
		cost = choose_monthly_cost(
		    q->input_tokens, q->output_tokens, q->cached_share,
		    S_num(offer, "input_num"), S_num(offer, "output_num"),
		    S_num(offer, "cached_input_num"));
	struct buf strengths = BUF_INIT;
	S_strength_labels(r, offer, &strengths);

	json_t *row = json_object();
	json_object_set_new(row, "rank", json_null());
	S_copy_keys(row, offer, names);
	json_object_set_new(row, "monthly",
			    isnan(cost) ? json_null() : json_real(cost));
	json_object_set_new(row, "monthly_label",
			    json_string(choose_format_usd(cost, money)));
	/* the view's price labels already carry two decimals
	 * (listing_format_price_display) */
	S_copy_keys(row, offer, prices);
	json_object_set_new(row, "price_date",
			    date[0] ? json_string(date) : json_null());
	json_object_set_new(row, "age_days",
			    age >= 0 ? json_integer(age) : json_null());
	json_object_set_new(row, "age_label",
			    json_string(choose_age_label(age, money)));
	json_object_set_new(row, "stale", json_boolean(stale));
	json_object_set_new(row, "old", json_boolean(S_is_old(offer, age)));
	S_copy_keys(row, offer, api);
	struct buf note = BUF_INIT;
	S_context_note(r, offer, &note);
	json_object_set_new(row, "context_short", json_boolean(note.len > 0));
	json_object_set_new(row, "context_note",
			    note.len ? json_string(buf_cstr(&note))
				     : json_null());
	buf_release(&note);
	json_object_set_new(row, "strengths",
			    json_string(buf_cstr(&strengths)));
	bool router = S_is_router(r, offer);
	json_object_set_new(row, "router", json_boolean(router));
	struct buf label = BUF_INIT;
	S_vendor_label(r, offer, &label);
	json_object_set_new(row, "vendor_label", json_string(buf_cstr(&label)));
	buf_release(&label);
	json_object_set_new(row, "note",
			    S_copy(json_object_get(offer, "note")));
	buf_release(&strengths);
	return row;
}

/* Orders rows by monthly cost, then vendor id, then remote id. */
static int S_row_cmp(const void *pa, const void *pb)
{
	json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	double x = S_num(a, "monthly"), y = S_num(b, "monthly");
	if (!isnan(x) && !isnan(y) && x != y)
		return x < y ? -1 : 1;
	int c = strcmp(S_str(a, "vendor_id"), S_str(b, "vendor_id"));
	return c ? c : strcmp(S_str(a, "remote_id"), S_str(b, "remote_id"));
}

static void S_sort(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **items = xmalloc((n + 1) * sizeof(json_t *));
	for (size_t i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(arr, i));
	qsort(items, n, sizeof(json_t *), S_row_cmp);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, items[i]);
	free(items);
}

static bool S_meets(const struct S_rank *r, json_t *offer)
{
	const struct choose_query *q = r->q;
	if (q->require_compatible &&
	    !json_is_true(json_object_get(offer, "openai_compatible")))
		return false;
	if (q->layer && strcmp(S_str(offer, "layer"), q->layer) != 0)
		return false;
	if (!q->via || strcmp(S_str(offer, "vendor_id"), q->via) == 0)
		return true;
	json_t *vendor = json_object_get(r->vendors, S_str(offer, "vendor_id"));
	return S_find(json_object_get(vendor, "via"), "id", q->via) != NULL;
}

/* True when offer is a closed model on its own lab's API. */
static bool S_is_frontier(const struct S_rank *r, json_t *offer)
{
	json_t *m = json_object_get(r->models, S_str(offer, "model_id"));
	const char *lab = S_str(json_object_get(m, "lab"), "id");
	return m && !json_is_true(json_object_get(m, "open_weights")) && lab &&
	       strcmp(lab, S_str(offer, "vendor_id")) == 0;
}

/* The cheapest row of rows (sorted), or NULL; borrowed. */
static json_t *S_first(json_t *rows)
{
	return json_array_size(rows) ? json_array_get(rows, 0) : NULL;
}

/* The frontier-lab comparison for model (see choose.h): the model's named
 * frontier_alternatives, each at its cheapest priced offer on its lab's
 * own API; or, when it names none, the cheapest priced offer of any other
 * closed model on its own lab's API with at least the model's context
 * (when known). */
static json_t *S_frontier(const struct S_rank *r, json_t *model)
{
	json_t *named = json_object_get(model, "frontier_alternatives");
	json_t *min_context = json_object_get(model, "context");
	const char *self = S_str(model, "id");
	bool by_name = json_array_size(named) > 0;
	json_t *rows = json_array(), *chosen = json_array();
	size_t i, k, candidates = 0;
	json_t *o, *alt;
	json_array_foreach(json_object_get(r->view, "offers"), i, o)
	{
		json_t *ctx = json_object_get(o, "context");
		const char *mid = S_str(o, "model_id");
		bool listed = false;
		if (!S_is_frontier(r, o) || strcmp(mid, self) == 0)
			continue;
		json_array_foreach(named, k, alt)
		{
			listed |= strcmp(json_string_value(alt), mid) == 0;
		}
		if (by_name ? !listed
			    : json_is_integer(min_context) &&
				  !(json_is_integer(ctx) &&
				    json_integer_value(ctx) >=
					json_integer_value(min_context)))
			continue;
		json_t *row = S_row(r, o, r->q);
		if (json_is_true(json_object_get(o, "has_price")) &&
		    json_is_number(json_object_get(row, "monthly")))
			json_array_append(rows, row);
		json_decref(row);
	}
	S_sort(rows);
	/* one row per model, its cheapest offer; without names, only the
	 * cheapest of them */
	json_array_foreach(rows, i, o)
	{
		if (!S_find(chosen, "model_id", S_str(o, "model_id")))
			json_array_append(chosen, o);
	}
	candidates = json_array_size(chosen);
	while (!by_name && json_array_size(chosen) > 1)
		json_array_remove(chosen, json_array_size(chosen) - 1);
	char label[32];
	json_t *f = json_pack(
	    "{s:b, s:o, s:O, s:I, s:O, s:s}", "named", by_name, "alternatives",
	    chosen, "cheapest", S_first(chosen) ? S_first(chosen) : json_null(),
	    "candidates", (json_int_t)candidates, "min_context",
	    min_context ? min_context : json_null(), "min_context_label",
	    json_is_integer(min_context)
		? S_grouped((unsigned long long)json_integer_value(min_context),
			    label)
		: "");
	json_decref(rows);
	return f;
}

/* Distinct independent hosts among offers (all, or those in meeting). */
static json_t *S_resilience(const struct S_rank *r, json_t *offers,
			    json_t *meeting)
{
	json_t *hosts = json_array(), *names = json_array();
	json_t *routers = json_array();
	size_t i, met = 0;
	json_t *o;
	json_array_foreach(offers, i, o)
	{
		const char *vid = S_str(o, "vendor_id");
		if (json_object_get(r->routers, vid)) {
			if (!S_find(routers, "id", vid))
				json_array_append_new(
				    routers,
				    json_pack("{s:s, s:s}", "id", vid, "name",
					      S_str(o, "vendor_name")));
			continue;
		}
		if (S_find(hosts, "id", vid))
			continue;
		json_array_append_new(hosts, json_pack("{s:s}", "id", vid));
		json_array_append_new(names,
				      json_string(S_str(o, "vendor_name")));
		met += S_find(meeting, "vendor_id", vid) != NULL;
	}
	struct buf host_list = BUF_INIT, router_list = BUF_INIT;
	json_array_foreach(names, i, o)
	{
		buf_printf(&host_list, "%s%s", i ? ", " : "",
			   json_string_value(o));
	}
	json_array_foreach(routers, i, o)
	{
		buf_printf(&router_list, "%s%s", i ? ", " : "",
			   S_str(o, "name"));
	}
	json_t *res =
	    json_pack("{s:I, s:I, s:o, s:s, s:o, s:o}", "hosts",
		      (json_int_t)json_array_size(hosts), "hosts_meeting",
		      (json_int_t)met, "host_names", names, "host_list",
		      buf_cstr(&host_list), "routers", routers, "router_names",
		      router_list.len ? json_string(buf_cstr(&router_list))
				      : json_null());
	buf_release(&host_list);
	buf_release(&router_list);
	json_decref(hosts);
	return res;
}

static json_t *S_requirements(const struct choose_query *q)
{
	struct buf s = BUF_INIT;
	char money[32];
	if (q->require_compatible)
		buf_puts(&s, "an OpenAI-compatible API");
	if (q->layer)
		buf_printf(&s, "%svendors in the %s layer", s.len ? "; " : "",
			   q->layer);
	if (q->via)
		buf_printf(&s, "%ssold through %s", s.len ? "; " : "", q->via);
	if (q->max_monthly >= 0)
		buf_printf(&s, "%sat most %s a month", s.len ? "; " : "",
			   choose_format_usd(q->max_monthly, money));
	json_t *req = json_pack(
	    "{s:b, s:o, s:o, s:o, s:s}", "openai_compatible",
	    q->require_compatible, "via",
	    q->via ? json_string(q->via) : json_null(), "layer",
	    q->layer ? json_string(q->layer) : json_null(), "max_monthly",
	    q->max_monthly >= 0 ? json_real(q->max_monthly) : json_null(),
	    "summary", s.len ? buf_cstr(&s) : "none");
	buf_release(&s);
	return req;
}

json_t *choose_rank(json_t *view, const struct choose_query *q)
{
	json_t *model =
	    S_find(json_object_get(view, "models"), "id", q->model_id);
	if (!model)
		return NULL;
	struct S_rank r;
	S_rank_init(&r, view, q);
	json_t *ranking = json_array(), *no_price = json_array();
	json_t *meeting = json_array();
	size_t excluded = 0, over = 0, i;
	json_t *o;
	json_array_foreach(json_object_get(model, "offers"), i, o)
	{
		if (!S_meets(&r, o)) {
			excluded++;
			continue;
		}
		json_t *row = S_row(&r, o, q);
		double cost = S_num(row, "monthly");
		bool priced = !isnan(cost) &&
			      json_is_true(json_object_get(o, "has_price"));
		/* The limit is compared in cents, as the costs are shown. */
		bool over_limit =
		    priced && q->max_monthly >= 0 &&
		    choose_cents(cost) > choose_cents(q->max_monthly);
		if (!priced)
			json_array_append(no_price, row);
		else if (over_limit)
			over++;
		else
			json_array_append(ranking, row);
		if (!over_limit)
			json_array_append(meeting, row);
		json_decref(row);
	}
	S_sort(ranking);
	S_sort(no_price);
	json_array_foreach(ranking, i, o)
	{
		json_object_set_new(o, "rank", json_integer((json_int_t)i + 1));
	}
	bool router_row = false;
	json_array_foreach(ranking, i, o)
	{
		router_row |= json_is_true(json_object_get(o, "router"));
	}
	json_array_foreach(no_price, i, o)
	{
		router_row |= json_is_true(json_object_get(o, "router"));
		json_object_set_new(o, "monthly", json_null());
		json_object_set_new(o, "monthly_label", json_string(""));
	}
	char in_label[32], out_label[32], share[32];
	snprintf(share, sizeof(share), "%.4g%%", q->cached_share * 100);
	json_t *lab = json_object_get(model, "lab");
	json_t *result = json_pack(
	    "{s:{s:O, s:O, s:O, s:O, s:O, s:o, s:o},"
	    " s:{s:I, s:I, s:f, s:s, s:s, s:s}, s:o, s:o, s:i,"
	    " s:o, s:o, s:I, s:I, s:o, s:o}",
	    "model", "id", json_object_get(model, "id"), "name",
	    json_object_get(model, "name"), "context",
	    json_object_get(model, "context"), "context_label",
	    json_object_get(model, "context_label"), "open_weights",
	    json_object_get(model, "open_weights"), "lab_id",
	    S_copy(json_object_get(lab, "id")), "lab_name",
	    S_copy(json_object_get(lab, "name")), "workload", "input_tokens",
	    (json_int_t)q->input_tokens, "output_tokens",
	    (json_int_t)q->output_tokens, "cached_share", q->cached_share,
	    "input_label",
	    S_grouped((unsigned long long)q->input_tokens, in_label),
	    "output_label",
	    S_grouped((unsigned long long)q->output_tokens, out_label),
	    "cached_label", share, "requirements", S_requirements(q),
	    "data_date",
	    S_copy(json_object_get(json_object_get(view, "site"), "data_date")),
	    "old_after_days", VALIDATE_STALE_DAYS, "ranking", ranking,
	    "no_price", no_price, "excluded", (json_int_t)excluded,
	    "over_budget", (json_int_t)over, "resilience",
	    S_resilience(&r, json_object_get(model, "offers"), meeting),
	    "frontier", S_frontier(&r, model));
	json_object_set_new(result, "has_router", json_boolean(router_row));
	json_decref(meeting);
	S_rank_release(&r);
	return result;
}

/* ---- the choose page ---- */

/* Routine high-volume jobs that people move to open-weights hosts. */
static const struct {
	const char *id, *name, *description;
	double input_tokens, output_tokens;
} S_presets[] = {
    {"summarisation", "Summarisation",
     "Long documents in, short summaries out.", 300e6, 30e6},
    {"classification", "Classification",
     "Many short texts in, one label each out.", 200e6, 2e6},
    {"extraction", "Extraction", "Documents in, structured fields out.", 100e6,
     20e6},
};

/* "300M" for a whole number of millions, else the grouped count. */
static char *S_short(double tokens, char out[32])
{
	if (tokens >= 1e6 && fmod(tokens, 1e6) == 0)
		snprintf(out, 32, "%.0fM", tokens / 1e6);
	else
		S_grouped((unsigned long long)tokens, out);
	return out;
}

/* llama-3.3-70b when it has offers, else the model with most hosts. */
static json_t *S_default_model(json_t *view)
{
	json_t *models = json_object_get(view, "models");
	json_t *best = S_find(models, "id", "llama-3.3-70b");
	size_t i;
	json_t *m;
	if (best && json_array_size(json_object_get(best, "offers")))
		return best;
	best = NULL;
	json_array_foreach(models, i, m)
	{
		json_int_t h =
		    json_integer_value(json_object_get(m, "host_count"));
		if (h > 0 && (!best || h > json_integer_value(json_object_get(
					       best, "host_count"))))
			best = m;
	}
	return best;
}

json_t *choose_page(json_t *view, bool split)
{
	struct S_rank r;
	json_t *def = S_default_model(view);
	json_t *models = json_array(), *offers = json_array();
	json_t *presets = json_array();
	size_t i;
	json_t *m;
	S_rank_init(&r, view, NULL);
	json_array_foreach(json_object_get(view, "models"), i, m)
	{
		if (!json_array_size(json_object_get(m, "offers")))
			continue;
		struct buf alts = BUF_INIT;
		size_t k;
		json_t *alt;
		json_array_foreach(json_object_get(m, "frontier_alternatives"),
				   k, alt)
		{
			buf_printf(&alts, "%s%s", k ? " " : "",
				   json_string_value(alt));
		}
		json_array_append_new(
		    models,
		    json_pack("{s:O, s:O, s:O, s:O, s:O, s:b, s:s}", "id",
			      json_object_get(m, "id"), "name",
			      json_object_get(m, "name"), "context",
			      json_object_get(m, "context"), "context_label",
			      json_object_get(m, "context_label"), "host_count",
			      json_object_get(m, "host_count"), "selected",
			      m == def, "alternatives", buf_cstr(&alts)));
		buf_release(&alts);
	}
	json_array_foreach(json_object_get(view, "offers"), i, m)
	{
		bool frontier = S_is_frontier(&r, m);
		if (split && !frontier &&
		    !(def &&
		      strcmp(S_str(m, "model_id"), S_str(def, "id")) == 0))
			continue;
		json_t *row = S_row(&r, m, NULL);
		json_object_set_new(row, "frontier", json_boolean(frontier));
		json_array_append_new(offers, row);
	}
	for (i = 0; def && i < sizeof(S_presets) / sizeof(S_presets[0]); i++) {
		struct choose_query q = {
		    .model_id = S_str(def, "id"),
		    .input_tokens = S_presets[i].input_tokens,
		    .output_tokens = S_presets[i].output_tokens,
		    .max_monthly = -1,
		};
		char in[32], out[32];
		json_t *result = choose_rank(view, &q);
		/* Mustache cannot test a list for emptiness inline. */
		json_object_set_new(result, "has_no_price",
				    json_boolean(json_array_size(
					json_object_get(result, "no_price"))));
		json_array_append_new(
		    presets,
		    json_pack("{s:s, s:s, s:s, s:I, s:I, s:f, s:s, s:s,"
			      " s:o}",
			      "id", S_presets[i].id, "name", S_presets[i].name,
			      "description", S_presets[i].description,
			      "input_tokens", (json_int_t)q.input_tokens,
			      "output_tokens", (json_int_t)q.output_tokens,
			      "cached_share", 0.0, "input_short",
			      S_short(q.input_tokens, in), "output_short",
			      S_short(q.output_tokens, out), "result", result));
	}
	/* --via on the page: each vendor with the vendors that name it under
	 * via (their offers are sold through it too) */
	json_t *vendors = json_array();
	json_array_foreach(json_object_get(view, "vendors"), i, m)
	{
		struct buf sellers = BUF_INIT;
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(view, "vendors"), k, v)
		{
			if (S_find(json_object_get(v, "via"), "id",
				   S_str(m, "id")))
				buf_printf(&sellers, "%s%s",
					   sellers.len ? " " : "",
					   S_str(v, "id"));
		}
		json_array_append_new(
		    vendors,
		    json_pack("{s:O, s:O, s:s}", "id", json_object_get(m, "id"),
			      "name", json_object_get(m, "name"), "sellers",
			      buf_cstr(&sellers)));
		buf_release(&sellers);
	}
	S_rank_release(&r);
	return json_pack(
	    "{s:o, s:o, s:o, s:o, s:o, s:i, s:o}", "default_model",
	    def ? json_pack("{s:O, s:O}", "id", json_object_get(def, "id"),
			    "name", json_object_get(def, "name"))
		: json_null(),
	    "models", models, "vendors", vendors, "offers", offers, "presets",
	    presets, "old_after_days", VALIDATE_STALE_DAYS, "split",
	    split ? json_string("api/choose/") : json_null());
}

struct choose_rows {
	struct S_rank r;
};

struct choose_rows *choose_rows_new(json_t *view)
{
	struct choose_rows *c = xmalloc(sizeof(*c));
	S_rank_init(&c->r, view, NULL);
	return c;
}

json_t *choose_rows_row(const struct choose_rows *c, json_t *offer)
{
	json_t *row = S_row(&c->r, offer, NULL);
	json_object_set_new(row, "frontier",
			    json_boolean(S_is_frontier(&c->r, offer)));
	return row;
}

static const char *S_bool_text(bool v, size_t *len)
{
	*len = v ? 4 : 5;
	return v ? "true" : "false";
}

const char *choose_rows_text(const struct choose_rows *c, json_t *offer,
			     const char *key, char num[40], size_t *len,
			     struct buf *scratch)
{
	const struct S_rank *r = &c->r;
	/* the keys S_row computes; the others it copies from the offer */
	if (strcmp(key, "price_date") == 0 || strcmp(key, "age_days") == 0 ||
	    strcmp(key, "old") == 0) {
		char date[11];
		long age = S_price_age(r, offer, date);
		*len = 0;
		if (key[0] == 'o')
			return S_bool_text(S_is_old(offer, age), len);
		if (key[0] == 'p') {
			if (!date[0])
				return NULL;
			memcpy(num, date, sizeof date);
			*len = strlen(num);
			return num;
		}
		if (age < 0)
			return NULL;
		*len = numtext_int(age, num);
		return num;
	}
	if (strcmp(key, "stale") == 0)
		return S_bool_text(json_is_true(json_object_get(offer, key)),
				   len);
	if (strcmp(key, "router") == 0)
		return S_bool_text(S_is_router(r, offer), len);
	if (strcmp(key, "frontier") == 0)
		return S_bool_text(S_is_frontier(r, offer), len);
	if (strcmp(key, "context_short") == 0)
		return S_bool_text(S_short_of(r, offer) >= 0, len);
	if (strcmp(key, "context_note") == 0) {
		buf_reset(scratch);
		S_context_note(r, offer, scratch);
		*len = scratch->len;
		return scratch->len ? scratch->data : NULL;
	}
	if (strcmp(key, "vendor_label") == 0) {
		buf_reset(scratch);
		S_vendor_label(r, offer, scratch);
		*len = scratch->len;
		return scratch->data;
	}
	if (strcmp(key, "strengths") == 0) {
		buf_reset(scratch);
		S_strength_labels(r, offer, scratch);
		*len = scratch->len;
		return scratch->data ? scratch->data : "";
	}
	if (strcmp(key, "rank") == 0 || strcmp(key, "monthly") == 0) {
		*len = 0;
		return NULL;
	}
	return mustache_scalar_text(json_object_get(offer, key), num, len);
}

void choose_rows_free(struct choose_rows *c)
{
	if (!c)
		return;
	S_rank_release(&c->r);
	free(c);
}
