/* adapter_cloudflare: Workers AI's GET
 * https://api.cloudflare.com/client/v4/accounts/{account}/ai/models/search
 * with a Bearer token. The catalog's base_url is the account's ".../ai"
 * URL (".../ai/v1", the OpenAI-compatible one, and the full
 * ".../ai/models/search" are taken too), or the API root ".../client/v4"
 * with the account id in CLOUDFLARE_ACCOUNT_ID (a shared catalog cannot
 * name one account). V4 envelope {"success","result":
 * […],"result_info":{page,per_page,count,total_count,total_pages}}, asked
 * for 100 a page.
 *
 * The model id is "name" (e.g. "@cf/meta/llama-3.3-70b-instruct-fp8-fast"),
 * not "id", which is an internal UUID. Context and prices come from
 * properties[]: {"property_id":"context_window","value":"24000"} and
 * {"property_id":"price","value":[{"unit":"per M input tokens","price":
 * 0.293,"currency":"USD"},…]}. Only USD token units are read: "input
 * tokens", "output tokens", and "cached input tokens" when present;
 * prices per M (or per k, scaled) tokens. Cache writes, per-image, per
 * audio-minute and other units are ignored. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adapter_util.h"

#define CLOUDFLARE_PER_PAGE 100
/* The account whose catalog is searched when base_url is the API root. */
#define CLOUDFLARE_ACCOUNT_ENV "CLOUDFLARE_ACCOUNT_ID"

/* Lower-cases s into out (size n), truncating. */
static void S_lower(const char *s, char *out, size_t n)
{
	size_t i = 0;
	for (; s[i] && i + 1 < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}

/* Reads one {unit, price, currency} into e when it is a USD token
 * price. */
static void S_price(json_t *p, struct listing_entry *e)
{
	const char *unit = adapter_member_text(p, "unit");
	const char *currency = adapter_member_text(p, "currency");
	char u[128];
	int shift;

	if (!unit || (currency && strcmp(currency, "USD") != 0))
		return;
	S_lower(unit, u, sizeof(u));
	if (strncmp(u, "per m ", 6) == 0 || strncmp(u, "per 1m ", 7) == 0)
		shift = 0;
	else if (strncmp(u, "per k ", 6) == 0 || strncmp(u, "per 1k ", 7) == 0)
		shift = 3;
	else
		return;
	if (strstr(u, "write"))
		return;
	double v = adapter_json_price(json_object_get(p, "price"), shift);
	if (strstr(u, "cached input tokens") || strstr(u, "cache read"))
		e->cached_input = v;
	else if (strstr(u, "input tokens"))
		e->input = v;
	else if (strstr(u, "output tokens"))
		e->output = v;
}

static void S_fill(json_t *item, struct listing_entry *e,
		   const struct adapter_ctx *ctx)
{
	(void)ctx;
	json_t *props = json_object_get(item, "properties");
	for (size_t i = 0; i < json_array_size(props); i++) {
		json_t *prop = json_array_get(props, i);
		const char *pid = adapter_member_text(prop, "property_id");
		json_t *value = json_object_get(prop, "value");
		if (!pid || !value)
			continue;
		if (strcmp(pid, "context_window") == 0) {
			e->context = adapter_json_context(value);
		} else if (strcmp(pid, "price") == 0) {
			for (size_t j = 0; j < json_array_size(value); j++)
				S_price(json_array_get(value, j), e);
		}
	}
}

static const struct adapter_list S_list = {
    .array_key = "result",
    .id_key = "name",
    .fill = S_fill,
};

/* Writes into url the search URL for base_url, in any of its accepted
 * forms. Returns 0, or -1 with err. */
static int S_search_url(const struct adapter_ctx *ctx, struct buf *url,
			struct buf *err)
{
	static const char search[] = "/models/search";

	if (adapter_url_base(ctx, NULL, "", url, err) < 0)
		return -1;
	/* the API root without an account (a shared catalog cannot name
	 * one): the account comes from CLOUDFLARE_ACCOUNT_ID */
	if (url->len >= 10 &&
	    strcmp(url->data + url->len - 10, "/client/v4") == 0) {
		const char *account = getenv(CLOUDFLARE_ACCOUNT_ENV);
		size_t n = account ? strlen(account) : 0;
		if (n == 0 || n > 64 ||
		    strspn(account, "0123456789abcdefABCDEF") != n) {
			buf_puts(err, "set " CLOUDFLARE_ACCOUNT_ENV
				      " to the account id (32 hex digits), or "
				      "give base_url .../client/v4/accounts/"
				      "<account>/ai");
			return -1;
		}
		buf_printf(url, "/accounts/%s/ai", account);
	}
	if (url->len >= 6 && strcmp(url->data + url->len - 6, "/ai/v1") == 0)
		url->len -= 3, url->data[url->len] = '\0';
	if (url->len >= 3 && strcmp(url->data + url->len - 3, "/ai") == 0) {
		buf_puts(url, search);
	} else if (url->len < sizeof(search) - 1 ||
		   strcmp(url->data + url->len - (sizeof(search) - 1),
			  search)) {
		buf_puts(err, "base_url must be the account's Workers AI URL, "
			      ".../client/v4/accounts/<account>/ai");
		return -1;
	}
	return 0;
}

/* Fills req for page number page (1-based). Returns 0, or -1 with err. */
static int S_request(const struct adapter_ctx *ctx, long page,
		     struct http_request *req, struct buf *err)
{
	struct buf url = BUF_INIT;
	int rc = -1;

	if (adapter_check_secret(ctx->key, "the API token", err) < 0)
		goto out;
	if (S_search_url(ctx, &url, err) < 0)
		goto out;
	buf_printf(&url, "?page=%ld&per_page=%d", page, CLOUDFLARE_PER_PAGE);
	req->url = buf_detach(&url, NULL);
	if (ctx->key && *ctx->key)
		http_request_add_header(req, true, "Authorization: Bearer %s",
					ctx->key);
	rc = 0;
out:
	buf_release(&url);
	return rc;
}

static int S_first_request(const struct adapter_ctx *ctx,
			   struct http_request *req, struct buf *err)
{
	return S_request(ctx, 1, req, err);
}

/* A whole, non-negative number member of obj (at most 1e9), or -1. */
static long S_count(json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	double d = json_is_number(v) ? json_number_value(v) : -1;
	if (d < 0 || d > 1e9 || d != floor(d))
		return -1;
	return (long)d;
}

/* Whether result_info says another page follows page, which held got
 * models: by total_pages; else by total_count; else, when only count is
 * given, when the page was full. Without result_info the page is the
 * last. An empty page always is. */
static bool S_more_pages(json_t *info, long page, size_t got)
{
	long total_pages = S_count(info, "total_pages");
	long total_count = S_count(info, "total_count");
	long per_page = S_count(info, "per_page");
	long count = S_count(info, "count");

	if (got == 0)
		return false;
	if (total_pages >= 0)
		return page < total_pages;
	if (total_count >= 0 && per_page > 0)
		return page * per_page < total_count;
	if (count >= 0 && per_page > 0)
		return count >= per_page;
	return false;
}

static int S_parse_page(const struct adapter_ctx *ctx, const char *body,
			size_t len, struct listing *out,
			struct http_request *next, struct buf *err)
{
	json_t *root = NULL;
	int rc = -1;

	if (adapter_json_parse(body, len, &root, err) < 0)
		goto out;
	if (json_is_false(json_object_get(root, "success"))) {
		/* The errors[] messages are not echoed: they are the API's
		 * words about our request and credentials. */
		json_t *first =
		    json_array_get(json_object_get(root, "errors"), 0);
		long code = S_count(first, "code");
		if (code >= 0)
			buf_printf(err,
				   "the API reported failure (error code %ld)",
				   code);
		else
			buf_puts(err,
				 "the API reported failure (success: false)");
		goto out;
	}
	if (adapter_list_walk(&S_list, root, ctx, out, err) < 0)
		goto out;
	json_t *info = json_object_get(root, "result_info");
	long page = S_count(info, "page");
	if (page < 1)
		page = ctx->page + 1;
	size_t got = json_array_size(json_object_get(root, "result"));
	if (S_more_pages(info, page, got) &&
	    (S_request(ctx, page + 1, next, err) < 0 ||
	     adapter_next_check(ctx, next, err) < 0))
		goto out;
	rc = 0;
out:
	json_decref(root);
	return rc;
}

const struct adapter adapter_cloudflare = {
    .style = "cloudflare",
    .first_request = S_first_request,
    .parse_page = S_parse_page,
};
