/* choose: which provider should serve a model, for one monthly workload.
 * `stackmap choose` and the site's choose page both rank from the view
 * document (view.h), through the same functions here, so they agree.
 *
 * Monthly cost, in USD, for I input and O output tokens a month of which a
 * share S of the input is billed at the cached price:
 *   I × (1 − S) / 1e6 × input
 *   + I × S / 1e6 × (cached_input if the offer has one, else input)
 *   + O / 1e6 × output
 * (a term whose token count is zero is left out, so a missing price that
 * the workload does not need does not matter). Offers are ranked by that
 * cost, unrounded, then by vendor id, then by remote id (bytewise); costs
 * are rounded to cents, half up, only when printed.
 *
 * A price is old when it is more than VALIDATE_STALE_DAYS days older than
 * the catalog's newest data date (view.site.data_date, never the clock),
 * and flagged as such, as is a live price whose last probe failed (stale).
 *
 * choose.c ranks; choose_cli.c prints (and runs `stackmap choose`, declared
 * with the other commands in options.h).
 *
 * Return convention: 0 on success, -1 on failure. Ownership: every json_t *
 * returned is a new reference the caller decrefs; strings in it are copies.
 * The view passed in is only read. */
#ifndef STACKMAP_CHOOSE_H
#define STACKMAP_CHOOSE_H

#include <jansson.h>
#include <stdbool.h>

#include "buf.h"

/* The largest token count accepted: a quadrillion tokens a month. */
#define CHOOSE_MAX_TOKENS 1e15
/* The largest --max-monthly accepted, in USD. */
#define CHOOSE_MAX_USD 1e12

struct choose_query {
	const char *model_id;	 /* an id in view.models */
	double input_tokens;	 /* per month, whole tokens */
	double output_tokens;	 /* per month, whole tokens */
	double cached_share;	 /* 0..1 */
	bool require_compatible; /* only OpenAI-compatible APIs */
	const char *via;	 /* vendor id: only offers sold through it */
	const char *layer;	 /* layer id: only vendors in that layer */
	double max_monthly;	 /* USD; negative means no limit */
};

/* Parses a token count: digits with an optional fraction and exponent and
 * an optional suffix k, M or B (any case; thousand, million, billion):
 * "50M", "2.5B", "100k", "1e6". Rounds to whole tokens. On failure returns
 * -1 and sets *why to a static phrase for the error message. */
int choose_parse_tokens(const char *text, double *tokens, const char **why);
/* Parses the cached share: a number from 0 to 1. */
int choose_parse_share(const char *text, double *share, const char **why);
/* Parses an amount of US dollars ("250", "1500.50"), at most
 * CHOOSE_MAX_USD. */
int choose_parse_usd(const char *text, double *usd, const char **why);

/* Parses --require: a comma-separated list of requirements, of which
 * there is one so far, "openai-compatible". */
int choose_parse_require(const char *text, bool *openai_compatible);

/* The monthly cost of a workload at the given prices (USD per 1M tokens,
 * NAN when unknown). NAN when the workload needs a price that is unknown. */
double choose_monthly_cost(double input_tokens, double output_tokens,
			   double cached_share, double input, double output,
			   double cached_input);
/* usd rounded to whole cents, half up: floor(usd × 100 + 0.5). */
long long choose_cents(double usd);
/* "$1,234.56": usd rounded to cents. Writes at most 32 bytes. */
char *choose_format_usd(double usd, char out[32]);
/* "0 days old", "1 day old", "12 days old"; "date unknown" when days < 0. */
char *choose_age_label(long days, char out[32]);

/* Finds the model that query names, trying in turn: a model id; a model
 * name (ignoring case); a vendor's remote id (exact, then ignoring case);
 * then an id, a name, a remote id or the part of a remote id after its
 * last '/' once both are normalised: lower case, without spaces, hyphens,
 * underscores and dots ("LLAMA-3.3-70B" and "llama 3.3 70b instruct"
 * find llama-3.3-70b). A step that finds one model returns its id,
 * borrowed from the view; one that finds several fails, listing them.
 * Otherwise returns NULL with "unknown model 'Q'; did you mean …?" in err
 * (choose_suggest's ids). */
const char *choose_find_model(json_t *view, const char *query, struct buf *err);
/* Fills out with up to max model ids close to query, both normalised as
 * above: within a few edits of the id or the name, or (from 3 characters)
 * containing it or contained in it, so a prefix or an id with a suffix
 * ("llama-3.3-70b-instruct-fast") finds it; those first, then by edit
 * distance, then id.
 * Returns how many. Borrowed from the view. */
size_t choose_suggest(json_t *view, const char *query, const char **out,
		      size_t max);

/* Ranks the offers of q->model_id for q's workload. Returns RESULT (also
 * what `stackmap choose --format json` prints):
 *   {model: {id, name, context, context_label, open_weights, lab_id,
 *            lab_name},
 *    workload: {input_tokens, output_tokens, cached_share, input_label,
 *               output_label, cached_label},
 *    requirements: {openai_compatible, via, layer, max_monthly,
 *                   summary},
 *    data_date, old_after_days,
 *    ranking: [ROW] cheapest first, no_price: [ROW], excluded (offers that
 *    fail a requirement), over_budget (priced above max_monthly),
 *    resilience: {hosts, hosts_meeting (of them, with an offer that meets
 *                 the requirements and the limit), host_names,
 *                 host_list: "A, B",
 *                 routers: [{id, name}],
 *                 router_names: "A, B" | null},
 *    has_router (a router's offer is among ranking and no_price),
 *    frontier: {named, alternatives: [ROW], cheapest: ROW | null,
 *               candidates, min_context, min_context_label}}
 * ROW = {rank, vendor_id, vendor_name, layer, layer_name, model_id,
 *   model_name, remote_id, monthly (number | null), monthly_label, input,
 *   output, cached_input, input_num, output_num, cached_input_num,
 *   has_price, origin, price_date, age_days, age_label, stale, old,
 *   openai_compatible, context, context_label, context_short (the offer's
 *   context window is smaller than the model's), context_note ("less than
 *   the model's 131,072" | null), strengths (labels joined
 *   by ", "), router, vendor_label ("OpenRouter (router)" for a router,
 *   else the vendor's name), note}
 * Independent hosts are the distinct vendors offering the model, except
 * routers: vendors that another non-lab vendor names under via (its models
 * are sold through them, as with OpenRouter). The frontier comparison
 * costs the same workload on closed models on their own lab's API: when
 * the model file names frontier_alternatives (named true), each of them
 * at its cheapest priced offer on its lab's API; otherwise (named false)
 * only the cheapest priced offer of any other closed model whose context
 * is at least the model's. alternatives is ranked like the ranking;
 * candidates counts the models that qualified; requirements do
 * not apply to it. Returns NULL when the model is not in the view. */
json_t *choose_rank(json_t *view, const struct choose_query *q);

/* A ranking as an aligned text table with the notes beneath it. */
void choose_print_table(json_t *result, struct buf *out);
/* A ranking as Markdown (GitHub tables). */
void choose_print_markdown(json_t *result, struct buf *out);

/* The "choose" key of the choose page's context:
 *   {default_model: {id, name}, models: [{id, name, context, selected,
 *    host_count, alternatives (its frontier_alternatives, joined by
 *    " ")}] (models with offers), vendors: [{id, name, sellers (ids of
 *    the vendors that name it under via, joined by " ")}], offers: [ROW of
 * every offer, with frontier (bool), monthly null], presets: [{id, name,
 * description, input_tokens, output_tokens, cached_share, input_short,
 * output_short, result: RESULT + {has_no_price}}], old_after_days, split:
 * "api/choose/" | null} The default model is llama-3.3-70b when present, else
 * the model with the most hosts (ties: smallest id). With split, offers holds
 * only the rows of the default model and the frontier rows; the page loads the
 * others from split + MODEL.json (see choose_rows_new). */
json_t *choose_page(json_t *view, bool split);

/* The page's rows made a few at a time (for the split files): the same
 * ROW, with frontier, that choose_page gives an offer. The context holds
 * lookup tables over the view (borrowed; it must outlive the context);
 * caller frees it with choose_rows_free. Rows are caller-owned. */
struct choose_rows;
struct choose_rows *choose_rows_new(json_t *view);
json_t *choose_rows_row(const struct choose_rows *c, json_t *offer);
/* The text mustache shows for key of the ROW choose_rows_row makes of
 * offer (mustache_scalar_text's: NULL for null), without making the row;
 * not for monthly_label and age_label. num and scratch are the caller's
 * room for the text; it is valid until their next use. */
const char *choose_rows_text(const struct choose_rows *c, json_t *offer,
			     const char *key, char num[40], size_t *len,
			     struct buf *scratch);
void choose_rows_free(struct choose_rows *c);

#endif
