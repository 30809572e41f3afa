/* adapter_deepinfra: DeepInfra's OpenAI-compatible GET {base}/models
 * (base https://api.deepinfra.com/v1/openai), {"data":[…]} whose items
 * carry metadata{context_length, pricing{input_tokens, output_tokens,
 * cache_read_tokens}} in USD per 1M tokens. metadata is null for image
 * and embedding models: they are listed without price. A
 * cache_read_tokens of 0 is read as "no cache pricing", not free. */
#include "adapter_util.h"

static void S_fill(json_t *item, struct listing_entry *e,
		   const struct adapter_ctx *ctx)
{
	(void)ctx;
	json_t *meta = adapter_member_object(item, "metadata");
	json_t *pricing = adapter_member_object(meta, "pricing");

	e->context =
	    adapter_member_context(meta, "context_length", (const char *)NULL);
	if (!pricing)
		return;
	e->input =
	    adapter_json_price(json_object_get(pricing, "input_tokens"), 0);
	e->output =
	    adapter_json_price(json_object_get(pricing, "output_tokens"), 0);
	double cached = adapter_json_price(
	    json_object_get(pricing, "cache_read_tokens"), 0);
	if (cached > 0)
		e->cached_input = cached;
}

static const struct adapter_list S_list = {
    .array_key = "data",
    .id_key = "id",
    .fill = S_fill,
};

static int S_first_request(const struct adapter_ctx *ctx,
			   struct http_request *req, struct buf *err)
{
	return adapter_models_request(
	    ctx, "https://api.deepinfra.com/v1/openai", "", req, err);
}

static int S_parse_page(const struct adapter_ctx *ctx, const char *body,
			size_t len, struct listing *out,
			struct http_request *next, struct buf *err)
{
	(void)next;
	return adapter_list_parse(&S_list, body, len, ctx, out, NULL, err);
}

const struct adapter adapter_deepinfra = {
    .style = "deepinfra",
    .first_request = S_first_request,
    .parse_page = S_parse_page,
};
