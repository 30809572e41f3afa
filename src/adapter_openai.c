/* adapter_openai: the OpenAI-compatible GET {base}/models returning
 * {"data":[{"id":…}]}, as served by OpenAI, Groq, Fireworks, Mistral, xAI
 * and Hyperbolic. No pagination. Most hosts give no price; Hyperbolic's
 * input_price/output_price are read as USD per 1M tokens. */
#include "adapter_util.h"

static void S_fill(json_t *item, struct listing_entry *e,
		   const struct adapter_ctx *ctx)
{
	(void)ctx;
	/* Groq: context_window; Fireworks: context_length; Mistral:
	 * max_context_length. */
	e->context =
	    adapter_member_context(item, "context_window", "context_length",
				   "max_context_length", (const char *)NULL);
	adapter_entry_name(e, item, "name", "display_name", (const char *)NULL);
	e->input = adapter_json_price(json_object_get(item, "input_price"), 0);
	e->output =
	    adapter_json_price(json_object_get(item, "output_price"), 0);
}

static const struct adapter_list S_list = {
    .array_key = "data",
    .id_key = "id",
    .fill = S_fill,
};

static int S_first_request(const struct adapter_ctx *ctx,
			   struct http_request *req, struct buf *err)
{
	return adapter_models_request(ctx, "https://api.openai.com/v1", "", req,
				      err);
}

static int S_parse_page(const struct adapter_ctx *ctx, const char *body,
			size_t len, struct listing *out,
			struct http_request *next, struct buf *err)
{
	(void)next;
	return adapter_list_parse(&S_list, body, len, ctx, out, NULL, err);
}

const struct adapter adapter_openai = {
    .style = "openai",
    .first_request = S_first_request,
    .parse_page = S_parse_page,
};
