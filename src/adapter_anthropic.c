/* adapter_anthropic: GET {base}/models?limit=1000 with x-api-key and
 * anthropic-version headers. Pages follow while has_more is true, each
 * asking for after_id=<last_id of the previous page>. Items carry id and
 * display_name, no price or context. */
#include "adapter_util.h"

static void S_fill(json_t *item, struct listing_entry *e,
		   const struct adapter_ctx *ctx)
{
	(void)ctx;
	adapter_entry_name(e, item, "display_name", (const char *)NULL);
}

static const struct adapter_list S_list = {
    .array_key = "data",
    .id_key = "id",
    .fill = S_fill,
};

/* Fills req for the page after after_id, or the first page when after_id
 * is NULL. Returns 0, or -1 with err. */
static int S_request(const struct adapter_ctx *ctx, const char *after_id,
		     struct http_request *req, struct buf *err)
{
	struct buf url = BUF_INIT;
	int rc = -1;

	if (adapter_check_secret(ctx->key, "the API key", err) < 0)
		goto out;
	if (adapter_url_base(ctx, "https://api.anthropic.com/v1",
			     "/models?limit=1000", &url, err) < 0)
		goto out;
	if (after_id) {
		buf_puts(&url, "&after_id=");
		adapter_url_encode(&url, after_id);
	}
	req->url = buf_detach(&url, NULL);
	if (ctx->key && *ctx->key)
		http_request_add_header(req, true, "x-api-key: %s", ctx->key);
	http_request_add_header(req, false, "anthropic-version: 2023-06-01");
	rc = 0;
out:
	buf_release(&url);
	return rc;
}

static int S_first_request(const struct adapter_ctx *ctx,
			   struct http_request *req, struct buf *err)
{
	return S_request(ctx, NULL, req, err);
}

static int S_parse_page(const struct adapter_ctx *ctx, const char *body,
			size_t len, struct listing *out,
			struct http_request *next, struct buf *err)
{
	json_t *root = NULL;
	int rc = -1;

	if (adapter_list_parse(&S_list, body, len, ctx, out, &root, err) < 0)
		goto out;
	if (json_is_true(json_object_get(root, "has_more"))) {
		const char *last = adapter_member_text(root, "last_id");
		if (!last) {
			buf_puts(err,
				 "has_more is true but last_id is missing");
			goto out;
		}
		if (S_request(ctx, last, next, err) < 0 ||
		    adapter_next_check(ctx, next, err) < 0)
			goto out;
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

const struct adapter adapter_anthropic = {
    .style = "anthropic",
    .first_request = S_first_request,
    .parse_page = S_parse_page,
};
