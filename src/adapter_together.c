/* adapter_together: Together AI's GET {base}/models, a bare JSON array of
 * {"id","type","display_name","context_length","pricing":{"hourly",
 * "input","output",…}} where input/output are USD per 1M tokens.
 *
 * Which zeros mean "unknown" (read from a recorded listing, 2026-01):
 * - a 0 price with hourly > 0 marks a dedicated-only model;
 * - input and output both 0 is how Together lists models it prices some
 *   other way (MoA, image and video models), so both become unknown; a
 *   genuinely free model is thereby shown as unpriced, never the reverse;
 * - image, video, audio and transcription models are priced per image,
 *   second or character, so their "input"/"output" are not token prices.
 * Only the documented token types (chat, language, code, embedding,
 * moderation, rerank) and items without a type keep their prices. */
#include <math.h>
#include <string.h>

#include "adapter_util.h"

static bool S_token_priced(json_t *item)
{
	static const char *const types[] = {"chat",	 "language",   "code",
					    "embedding", "moderation", "rerank",
					    NULL};
	json_t *type = json_object_get(item, "type");
	if (!type)
		return true;
	if (!json_is_string(type))
		return false;
	for (size_t i = 0; types[i]; i++)
		if (strcmp(json_string_value(type), types[i]) == 0)
			return true;
	return false;
}

static void S_fill(json_t *item, struct listing_entry *e,
		   const struct adapter_ctx *ctx)
{
	(void)ctx;
	e->context =
	    adapter_member_context(item, "context_length", (const char *)NULL);
	adapter_entry_name(e, item, "display_name", (const char *)NULL);

	json_t *pricing = adapter_member_object(item, "pricing");
	if (!pricing || !S_token_priced(item))
		return;
	double in = adapter_json_price(json_object_get(pricing, "input"), 0);
	double out = adapter_json_price(json_object_get(pricing, "output"), 0);
	double hourly =
	    adapter_json_price(json_object_get(pricing, "hourly"), 0);
	bool dedicated = !isnan(hourly) && hourly > 0;
	if (in == 0 && (dedicated || out == 0))
		in = NAN;
	if (out == 0 && (dedicated || isnan(in)))
		out = NAN;
	e->input = in;
	e->output = out;
}

static const struct adapter_list S_list = {
    .array_key = NULL,
    .id_key = "id",
    .fill = S_fill,
};

static int S_first_request(const struct adapter_ctx *ctx,
			   struct http_request *req, struct buf *err)
{
	return adapter_models_request(ctx, "https://api.together.xyz/v1", "",
				      req, err);
}

static int S_parse_page(const struct adapter_ctx *ctx, const char *body,
			size_t len, struct listing *out,
			struct http_request *next, struct buf *err)
{
	(void)next;
	return adapter_list_parse(&S_list, body, len, ctx, out, NULL, err);
}

const struct adapter adapter_together = {
    .style = "together",
    .first_request = S_first_request,
    .parse_page = S_parse_page,
};
