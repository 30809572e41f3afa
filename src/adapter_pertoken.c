/* adapter_pertoken (style "per-token-strings"): OpenAI-style listings
 * whose items carry pricing.prompt/completion in USD per token, as
 * decimal strings or numbers: Cerebras' public catalog
 * (https://api.cerebras.ai/public/v1), SambaNova and Nebius. Context is
 * context_length, else limits.max_context_length (Cerebras). Nebius only
 * includes pricing when asked with ?verbose=true. */
#include <string.h>

#include "adapter_util.h"

static void S_fill(json_t *item, struct listing_entry *e,
		   const struct adapter_ctx *ctx)
{
	(void)ctx;
	e->context =
	    adapter_member_context(item, "context_length", (const char *)NULL);
	if (e->context < 0)
		e->context = adapter_member_context(
		    adapter_member_object(item, "limits"), "max_context_length",
		    (const char *)NULL);
	adapter_entry_name(e, item, "name", "display_name", (const char *)NULL);
	adapter_token_pricing(json_object_get(item, "pricing"), e);
}

static const struct adapter_list S_list = {
    .array_key = "data",
    .id_key = "id",
    .fill = S_fill,
};

/* Nebius, known by its vendor id or its API host. */
static bool S_is_nebius(const struct adapter_ctx *ctx)
{
	return (ctx->vendor_id && strstr(ctx->vendor_id, "nebius")) ||
	       (ctx->base_url && strstr(ctx->base_url, ".nebius.com"));
}

static int S_first_request(const struct adapter_ctx *ctx,
			   struct http_request *req, struct buf *err)
{
	return adapter_models_request(
	    ctx, NULL, S_is_nebius(ctx) ? "?verbose=true" : "", req, err);
}

static int S_parse_page(const struct adapter_ctx *ctx, const char *body,
			size_t len, struct listing *out,
			struct http_request *next, struct buf *err)
{
	(void)next;
	return adapter_list_parse(&S_list, body, len, ctx, out, NULL, err);
}

const struct adapter adapter_pertoken = {
    .style = "per-token-strings",
    .first_request = S_first_request,
    .parse_page = S_parse_page,
};
