/* adapter_gemini: the Gemini API's GET {base}/models?pageSize=1000, the
 * key only in the x-goog-api-key header (never ?key=, which would put it
 * in logs). Pages follow nextPageToken via pageToken=. Items:
 * {"name":"models/x","baseModelId"?,"displayName","inputTokenLimit"}. */
#include <string.h>

#include "adapter_util.h"

/* baseModelId when given, else name without its "models/" prefix. */
static const char *S_id_of(json_t *item)
{
	const char *id = adapter_member_text(item, "baseModelId");
	if (id)
		return id;
	id = adapter_member_text(item, "name");
	if (id && strncmp(id, "models/", 7) == 0)
		id = id[7] ? id + 7 : NULL;
	return id;
}

static void S_fill(json_t *item, struct listing_entry *e,
		   const struct adapter_ctx *ctx)
{
	(void)ctx;
	e->context =
	    adapter_member_context(item, "inputTokenLimit", (const char *)NULL);
	adapter_entry_name(e, item, "displayName", (const char *)NULL);
}

static const struct adapter_list S_list = {
    .array_key = "models",
    .id_of = S_id_of,
    .fill = S_fill,
};

/* Fills req for the page named by token, or the first when token is
 * NULL. Returns 0, or -1 with err. */
static int S_request(const struct adapter_ctx *ctx, const char *token,
		     struct http_request *req, struct buf *err)
{
	struct buf url = BUF_INIT;
	int rc = -1;

	if (adapter_check_secret(ctx->key, "the API key", err) < 0)
		goto out;
	if (adapter_url_base(ctx,
			     "https://generativelanguage.googleapis.com/v1beta",
			     "/models?pageSize=1000", &url, err) < 0)
		goto out;
	if (token) {
		buf_puts(&url, "&pageToken=");
		adapter_url_encode(&url, token);
	}
	req->url = buf_detach(&url, NULL);
	if (ctx->key && *ctx->key)
		http_request_add_header(req, true, "x-goog-api-key: %s",
					ctx->key);
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
	/* Absent, null or "" on the last page. */
	json_t *tok = json_object_get(root, "nextPageToken");
	const char *token = adapter_json_text(tok);
	if (!token && tok && !json_is_null(tok) &&
	    !(json_is_string(tok) && json_string_length(tok) == 0)) {
		buf_puts(err, "nextPageToken is not a usable string");
		goto out;
	}
	if (token && (S_request(ctx, token, next, err) < 0 ||
		      adapter_next_check(ctx, next, err) < 0))
		goto out;
	rc = 0;
out:
	json_decref(root);
	return rc;
}

const struct adapter adapter_gemini = {
    .style = "gemini",
    .first_request = S_first_request,
    .parse_page = S_parse_page,
};
