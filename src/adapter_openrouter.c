/* adapter_openrouter: OpenRouter's public GET {base}/models, {"data":[…]}
 * with pricing.prompt/completion/input_cache_read as decimal strings in
 * USD per token ("-1", as the router model reports, means unknown), and
 * context_length (else top_provider.context_length). A key, when set, is
 * sent as a Bearer token; the listing does not need one. */
#include "adapter_util.h"

static void S_fill(json_t *item, struct listing_entry *e,
		   const struct adapter_ctx *ctx)
{
	(void)ctx;
	e->context =
	    adapter_member_context(item, "context_length", (const char *)NULL);
	if (e->context < 0)
		e->context = adapter_member_context(
		    adapter_member_object(item, "top_provider"),
		    "context_length", (const char *)NULL);
	adapter_entry_name(e, item, "name", (const char *)NULL);
	adapter_token_pricing(json_object_get(item, "pricing"), e);
}

static const struct adapter_list S_list = {
    .array_key = "data",
    .id_key = "id",
    .fill = S_fill,
};

static int S_first_request(const struct adapter_ctx *ctx,
			   struct http_request *req, struct buf *err)
{
	return adapter_models_request(ctx, "https://openrouter.ai/api/v1", "",
				      req, err);
}

static int S_parse_page(const struct adapter_ctx *ctx, const char *body,
			size_t len, struct listing *out,
			struct http_request *next, struct buf *err)
{
	(void)next;
	return adapter_list_parse(&S_list, body, len, ctx, out, NULL, err);
}

const struct adapter adapter_openrouter = {
    .style = "openrouter",
    .first_request = S_first_request,
    .parse_page = S_parse_page,
};
