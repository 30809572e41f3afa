/* adapter_novita: Novita's GET {base}/models (base
 * https://api.novita.ai/openai/v1), {"data":[…]} with
 * input_token_price_per_m/output_token_price_per_m as integers in units
 * of $0.0001 per 1M tokens (the documented 3900 is $0.39/M; a third-party
 * test pairs 1500 with "0.15"), context_size, and title as the name. */
#include "adapter_util.h"

static void S_fill(json_t *item, struct listing_entry *e,
		   const struct adapter_ctx *ctx)
{
	(void)ctx;
	e->context =
	    adapter_member_context(item, "context_size", (const char *)NULL);
	adapter_entry_name(e, item, "title", (const char *)NULL);
	e->input = adapter_json_price(
	    json_object_get(item, "input_token_price_per_m"), -4);
	e->output = adapter_json_price(
	    json_object_get(item, "output_token_price_per_m"), -4);
}

static const struct adapter_list S_list = {
    .array_key = "data",
    .id_key = "id",
    .fill = S_fill,
};

static int S_first_request(const struct adapter_ctx *ctx,
			   struct http_request *req, struct buf *err)
{
	return adapter_models_request(ctx, "https://api.novita.ai/openai/v1",
				      "", req, err);
}

static int S_parse_page(const struct adapter_ctx *ctx, const char *body,
			size_t len, struct listing *out,
			struct http_request *next, struct buf *err)
{
	(void)next;
	return adapter_list_parse(&S_list, body, len, ctx, out, NULL, err);
}

const struct adapter adapter_novita = {
    .style = "novita",
    .first_request = S_first_request,
    .parse_page = S_parse_page,
};
