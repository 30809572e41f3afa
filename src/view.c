#include "view.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "listing.h"
#include "markdown.h"
#include "schema.h"
#include "snapshot.h"
#include "text.h"
#include "validate.h"
#include "xalloc.h"

/* Blended price: three input tokens for every output token. */
#define BLEND_INPUT_WEIGHT 3.0
#define BLEND_OUTPUT_WEIGHT 1.0

static const struct {
	const char *id, *name, *short_name, *description;
} S_layers[] = {
    {"model-lab", "Model labs", "Labs",
     "Companies that train foundation models. Some sell access only "
     "through their own API (the most managed way to call a model); "
     "others also publish open weights that anyone may host."},
    {"inference-provider", "Inference providers", "Providers",
     "Companies that run models, most often open-weights ones, behind an "
     "API and bill per token or per GPU-hour. They compete on price, "
     "speed and breadth of catalog; most speak the OpenAI API."},
    {"hyperscaler", "Hyperscaler AI platforms", "Hyperscalers",
     "The big clouds' model platforms: inference next to the rest of a "
     "company's cloud, with its identity, network, data residency and "
     "billing, and paths to fine-tune and deploy."},
    {"orchestration", "Orchestration and agent layer", "Orchestration",
     "Libraries, gateways and SDKs that sit between an application and "
     "the model APIs: one interface over many providers, routing, "
     "retries, tools and agents."},
};

static const char *const S_spectrum_labels[] = {
    "",
    "Most managed: the lab's own API",
    "Managed platform",
    "Serverless inference",
    "Deploy your own model",
    "Most raw: you run the GPUs"};

static const struct {
	const char *id, *label;
} S_strengths[] = {
    {"cost", "Cost"},
    {"speed", "Speed"},
    {"resilience", "Resilience"},
    {"cloud-native", "Cloud-native integration"},
    {"fine-tuning", "Fine-tuning"},
    {"frontier-models", "Frontier models"},
};

static const char *S_layer_name(const char *id)
{
	for (size_t i = 0; i < sizeof(S_layers) / sizeof(S_layers[0]); i++)
		if (id && strcmp(S_layers[i].id, id) == 0)
			return S_layers[i].name;
	return "";
}

static const char *S_strength_label(const char *id)
{
	for (size_t i = 0; i < sizeof(S_strengths) / sizeof(S_strengths[0]);
	     i++)
		if (strcmp(S_strengths[i].id, id) == 0)
			return S_strengths[i].label;
	return id;
}

/* json_string for possibly-NULL strings: NULL becomes JSON null. */
/* A JSON string of s, or null. Without jansson's UTF-8 check: every
 * string here is the catalog's (yamldoc checks UTF-8), the snapshot's
 * (jansson checked it) or ours. */
static json_t *S_str(const char *s)
{
	return s ? json_string_nocheck(s) : json_null();
}

/* Prices beyond this are not prices: shown as unknown. */
#define PRICE_MAX 1e9

static json_t *S_price_str(double v)
{
	if (!isfinite(v) || v > PRICE_MAX)
		v = NAN;
	char tmp[32];
	return json_string_nocheck(listing_format_price_display(v, tmp));
}

static json_t *S_price_num(double v)
{
	if (!isfinite(v) || v > PRICE_MAX)
		return json_null();
	return json_real(listing_round_price(v));
}

static json_t *S_int_or_null(long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

/* "131,072" style label for a token count; "" when unknown. */
static json_t *S_count_label(long v)
{
	if (v < 0)
		return json_string_nocheck("");
	char digits[32], out[48];
	snprintf(digits, sizeof(digits), "%ld", v);
	size_t n = strlen(digits), j = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[j++] = ',';
		out[j++] = digits[i];
	}
	out[j] = '\0';
	return json_string_nocheck(out);
}

/* "$7.5B" style label for a dollar amount. */
static json_t *S_usd_label(long v)
{
	char out[48];
	if (v < 0)
		return json_string("");
	if (v >= 1000000000L)
		snprintf(out, sizeof(out), "$%.3gB", (double)v / 1e9);
	else if (v >= 1000000L)
		snprintf(out, sizeof(out), "$%.3gM", (double)v / 1e6);
	else
		snprintf(out, sizeof(out), "$%ld", v);
	return json_string(out);
}

/* A name made safe to place raw inside a quoted Mermaid label in a code
 * fence: characters with a meaning to Mermaid or Markdown become spaces.
 * Caller frees. */
static char *S_mermaid_label(const char *name)
{
	char *out = xstrdup(name);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || strchr("\"`<>#;|\\{}[]&", *p))
			*p = ' ';
	return out;
}

static json_t *S_vendor_ref(const struct vendor *v)
{
	char *label = S_mermaid_label(v->name);
	json_t *ref =
	    json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "id", v->id,
		      "name", v->name, "summary", v->summary, "spectrum",
		      (json_int_t)v->spectrum, "layer", v->layer, "layer_name",
		      S_layer_name(v->layer), "mermaid_label", label);
	free(label);
	return ref;
}

/* The live entry for a vendor in the snapshot, or NULL. Borrowed. */
static json_t *S_live_vendor(json_t *snapshot, const char *id)
{
	if (!snapshot)
		return NULL;
	json_t *vendors = json_object_get(snapshot, "vendors");
	json_t *v = json_object_get(vendors, id);
	return json_is_object(v) ? v : NULL;
}

/* A vendor's live listing, indexed for matching ids ignoring case: its
 * entries sorted by id ignoring case (then by their place in the
 * listing), and the vendor's remote ids sorted the same way. Lookups are
 * then binary searches, not scans (a listing of thousands of models
 * against as many offers). */
struct S_live_index {
	json_t *models; /* the listing's "models" (borrowed), or NULL */
	struct S_live_entry {
		const char *id;
		json_t *value;
		size_t place;
	} * entries;
	size_t n_entries;
	const char **remote_ids;
	size_t n_remote_ids;
};

static int S_compare_entries(const void *pa, const void *pb)
{
	const struct S_live_entry *a = pa, *b = pb;
	int c = strcasecmp(a->id, b->id);
	if (c)
		return c;
	return a->place < b->place ? -1 : a->place > b->place;
}

static int S_compare_caseless(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

static void S_live_index_init(struct S_live_index *li, const struct vendor *v,
			      json_t *live)
{
	memset(li, 0, sizeof(*li));
	json_t *models = json_object_get(live, "models");
	if (!json_is_object(models))
		return;
	li->models = models;
	li->entries =
	    xmalloc((json_object_size(models) + 1) * sizeof(*li->entries));
	const char *key;
	json_t *value;
	json_object_foreach(models, key, value)
	{
		li->entries[li->n_entries] =
		    (struct S_live_entry){key, value, li->n_entries};
		li->n_entries++;
	}
	qsort(li->entries, li->n_entries, sizeof(*li->entries),
	      S_compare_entries);
	li->remote_ids = xmalloc((v->n_offers + 1) * sizeof(char *));
	for (size_t k = 0; k < v->n_offers; k++)
		if (v->offers[k].remote_id)
			li->remote_ids[li->n_remote_ids++] =
			    v->offers[k].remote_id;
	qsort(li->remote_ids, li->n_remote_ids, sizeof(char *),
	      S_compare_caseless);
}

static void S_live_index_release(struct S_live_index *li)
{
	free(li->entries);
	free(li->remote_ids);
}

/* The live listing entry whose id equals remote_id: exactly, else
 * ignoring case (the first such entry in the listing's order that is an
 * object). */
static json_t *S_live_model(const struct S_live_index *li,
			    const char *remote_id, const char **matched_id)
{
	if (!li->models || !remote_id)
		return NULL;
	json_t *m = json_object_get(li->models, remote_id);
	if (json_is_object(m)) {
		*matched_id = remote_id;
		return m;
	}
	/* the first entry not below remote_id, ignoring case */
	size_t lo = 0, hi = li->n_entries;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcasecmp(li->entries[mid].id, remote_id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < li->n_entries &&
	       strcasecmp(li->entries[lo].id, remote_id) == 0;
	     lo++)
		if (json_is_object(li->entries[lo].value)) {
			*matched_id = li->entries[lo].id;
			return li->entries[lo].value;
		}
	return NULL;
}

/* Whether the vendor offers remote id id, ignoring case. */
static bool S_live_offered(const struct S_live_index *li, const char *id)
{
	return bsearch(&id, li->remote_ids, li->n_remote_ids, sizeof(char *),
		       S_compare_caseless) != NULL;
}

static double S_json_price(json_t *price, const char *key)
{
	json_t *v = json_object_get(price, key);
	double d = json_is_number(v) ? json_number_value(v) : NAN;
	return isfinite(d) && d >= 0 && d <= PRICE_MAX ? d : NAN;
}

static double S_blend(double input, double output)
{
	if (isnan(input) || isnan(output))
		return NAN;
	return (BLEND_INPUT_WEIGHT * input + BLEND_OUTPUT_WEIGHT * output) /
	       (BLEND_INPUT_WEIGHT + BLEND_OUTPUT_WEIGHT);
}

/* The date part (YYYY-MM-DD) of an RFC 3339 time, or "" . */
static void S_date_of(const char *time, char out[11])
{
	out[0] = '\0';
	if (time && strlen(time) >= 10) {
		memcpy(out, time, 10);
		out[10] = '\0';
		if (!schema_is_date(out))
			out[0] = '\0';
	}
}

/* Who resells whom, and which models each lab makes, for every vendor at
 * once (vendor i's are items [start[i], start[i + 1]) of the list, in
 * catalog order, each once): a vendor then costs no scan of the whole
 * catalog. A vendor resells another when the other names it under via, or
 * when it offers a model the other made. */
struct S_index {
	size_t *resold_start, *resold;	   /* vendor indexes it resells */
	size_t *sold_via_start, *sold_via; /* vendor indexes reselling it */
	size_t *made_start, *made;	   /* model indexes */
	/* each model's id and name as JSON strings, shared by its rows */
	json_t **model_id, **model_name;
	json_t *declared, *live; /* the two origins */
};

/* Strings every offer row of a vendor repeats: made once and shared by
 * reference (a row then costs fewer values; the text is the same); the
 * model's and the origin's come from the index. */
struct S_row_strings {
	json_t *vendor_id, *vendor_name, *layer, *layer_name;
	const struct S_index *ix;
};

static json_t *S_offer_row(const struct catalog *cat,
			   const struct S_row_strings *rs,
			   const struct vendor *v, const struct offer *o,
			   json_t *live, const struct S_live_index *listing)
{
	double input = o->input, output = o->output, cached = o->cached_input;
	const char *origin = "declared";
	const char *live_at = NULL;
	bool stale = false;
	json_t *declared = json_null();
	long context = o->context;
	const char *matched = NULL;
	json_t *lm =
	    live ? S_live_model(listing, o->remote_id, &matched) : NULL;
	if (lm) {
		json_t *price = json_object_get(lm, "price");
		double li = S_json_price(price, "input");
		double lo = S_json_price(price, "output");
		double lc = S_json_price(price, "cached_input");
		const char *success =
		    json_string_value(json_object_get(live, "last_success"));
		char live_day[11];
		S_date_of(success, live_day);
		bool newer = live_day[0] &&
			     (!o->checked || strcmp(live_day, o->checked) >= 0);
		if ((!isnan(li) || !isnan(lo)) && newer) {
			if (listing_price_far(o->input, li) ||
			    listing_price_far(o->output, lo))
				declared = json_pack(
				    "{s:o, s:o, s:o, s:o, s:o}", "input",
				    S_price_str(o->input), "output",
				    S_price_str(o->output), "cached_input",
				    S_price_str(o->cached_input), "source",
				    S_str(o->source), "checked",
				    S_str(o->checked));
			input = li;
			output = lo;
			cached = lc;
			origin = "live";
			live_at = success;
			stale = json_is_true(json_object_get(live, "stale"));
		}
		json_t *ctx = json_object_get(lm, "context");
		if (context < 0 && json_is_integer(ctx))
			context = (long)json_integer_value(ctx);
	}
	double blended = S_blend(input, output);
	bool compatible = v->api && v->api->openai_compatible == 1;
	const struct model *m = o->model_ref;
	if (context < 0 && m)
		context = m->context;
	bool live_price = strcmp(origin, "live") == 0;
	json_t *row = json_object();
#define SET(key, value) json_object_set_new_nocheck(row, key, value)
	SET("vendor_id", json_incref(rs->vendor_id));
	SET("vendor_name", json_incref(rs->vendor_name));
	SET("layer", json_incref(rs->layer));
	SET("layer_name", json_incref(rs->layer_name));
	if (m) {
		size_t mi = (size_t)(m - cat->models);
		SET("model_id", json_incref(rs->ix->model_id[mi]));
		SET("model_name", json_incref(rs->ix->model_name[mi]));
	} else {
		SET("model_id", S_str(o->model));
		SET("model_name", S_str(o->model));
	}
	SET("remote_id", S_str(o->remote_id));
	SET("input", S_price_str(input));
	SET("output", S_price_str(output));
	SET("cached_input", S_price_str(cached));
	SET("blended", S_price_str(blended));
	SET("input_num", S_price_num(input));
	SET("output_num", S_price_num(output));
	SET("cached_input_num", S_price_num(cached));
	SET("blended_num", S_price_num(blended));
	SET("context", S_int_or_null(context));
	SET("context_label", S_count_label(context));
	SET("openai_compatible", json_boolean(compatible));
	SET("origin",
	    json_incref(live_price ? rs->ix->live : rs->ix->declared));
	SET("source", S_str(live_price ? NULL : o->source));
	SET("checked", S_str(live_price ? NULL : o->checked));
	SET("live_at", S_str(live_at));
	SET("stale", json_boolean(stale));
	SET("note", S_str(o->note));
	SET("declared", declared);
	SET("cheapest", json_false());
	SET("has_price", json_boolean(!isnan(input) || !isnan(output)));
#undef SET
	return row;
}

/* An offer row with its sort keys read once (a comparison then costs no
 * hash lookups: sorting 100,000 offers makes about 1.7 million). */
struct S_offer_key {
	json_t *row;
	const char *model, *vendor, *remote;
	double blended; /* NAN: unknown */
};

/* Orders offers by blended price (unknown last), then vendor, remote id. */
static int S_compare_offers(const void *pa, const void *pb)
{
	const struct S_offer_key *a = pa, *b = pb;
	if (isnan(a->blended) != isnan(b->blended))
		return isnan(a->blended) ? 1 : -1;
	if (!isnan(a->blended) && a->blended != b->blended)
		return a->blended < b->blended ? -1 : 1;
	int c = strcmp(a->vendor, b->vendor);
	return c ? c : strcmp(a->remote, b->remote);
}

/* Orders offers by model id, then as S_compare_offers. */
static int S_compare_offers_by_model(const void *pa, const void *pb)
{
	const struct S_offer_key *a = pa, *b = pb;
	int c = strcmp(a->model, b->model);
	return c ? c : S_compare_offers(pa, pb);
}

static const char *S_key_text(json_t *row, const char *key)
{
	const char *s = json_string_value(json_object_get(row, key));
	return s ? s : "";
}

/* Sorts an array of offer rows in place with cmp (S_compare_offers or
 * S_compare_offers_by_model). */
static void S_sort_offers(json_t *arr, int (*cmp)(const void *, const void *))
{
	size_t n = json_array_size(arr);
	if (n < 2)
		return;
	struct S_offer_key *keys = xmalloc(n * sizeof(*keys));
	for (size_t i = 0; i < n; i++) {
		json_t *row = json_incref(json_array_get(arr, i));
		json_t *blended = json_object_get(row, "blended_num");
		keys[i] = (struct S_offer_key){
		    row, S_key_text(row, "model_id"),
		    S_key_text(row, "vendor_id"), S_key_text(row, "remote_id"),
		    json_is_number(blended) ? json_number_value(blended) : NAN};
	}
	qsort(keys, n, sizeof(*keys), cmp);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, keys[i].row);
	free(keys);
}

static json_t *S_signals(const struct vendor *v)
{
	static const char *const labels[][2] = {
	    {"valuation", "Valuation"},
	    {"funding", "Funding"},
	    {"acquisition", "Acquisition or deal"},
	    {"launch", "Launch"},
	};
	json_t *arr = json_array();
	/* Newest first; the catalog's order breaks ties. */
	size_t *order = xmalloc((v->n_signals + 1) * sizeof(*order));
	for (size_t i = 0; i < v->n_signals; i++) {
		size_t j = i;
		while (j > 0 && strcmp(v->signals[order[j - 1]].date,
				       v->signals[i].date) < 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (size_t i = 0; i < v->n_signals; i++) {
		const struct signal *s = &v->signals[order[i]];
		const char *label = s->kind;
		for (size_t k = 0; k < 4; k++)
			if (strcmp(labels[k][0], s->kind) == 0)
				label = labels[k][1];
		json_array_append_new(
		    arr,
		    json_pack("{s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:o}",
			      "kind", s->kind, "kind_label", label, "value_usd",
			      S_int_or_null(s->value_usd), "value_label",
			      S_usd_label(s->value_usd), "date", s->date,
			      "source", s->source, "checked", s->checked,
			      "note", S_str(s->note)));
	}
	free(order);
	return arr;
}

static int S_compare_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_t *S_live_summary(json_t *live)
{
	if (!live)
		return json_null();
	json_t *attempt = json_object_get(live, "attempt");
	json_t *models = json_object_get(live, "models");
	return json_pack(
	    "{s:O, s:O, s:O, s:b, s:O, s:I}", "status",
	    json_object_get(attempt, "outcome")
		? json_object_get(attempt, "outcome")
		: json_null(),
	    "at",
	    json_object_get(attempt, "at") ? json_object_get(attempt, "at")
					   : json_null(),
	    "last_success",
	    json_object_get(live, "last_success")
		? json_object_get(live, "last_success")
		: json_null(),
	    "stale", json_is_true(json_object_get(live, "stale")), "error",
	    json_object_get(attempt, "error")
		? json_object_get(attempt, "error")
		: json_null(),
	    "model_count", (json_int_t)json_object_size(models));
}

/* Live listing entries that no catalog offer of v names. */
static json_t *S_also_listed(const struct S_live_index *li)
{
	json_t *arr = json_array();
	json_t *models = li->models;
	if (!models)
		return arr;
	const char **keys =
	    xmalloc((json_object_size(models) + 1) * sizeof(char *));
	size_t n = 0;
	const char *key;
	json_t *value;
	json_object_foreach(models, key, value)
	{
		if (!S_live_offered(li, key) && json_is_object(value))
			keys[n++] = key;
	}
	qsort(keys, n, sizeof(char *), S_compare_cstr);
	for (size_t i = 0; i < n; i++) {
		json_t *m = json_object_get(models, keys[i]);
		json_t *price = json_object_get(m, "price");
		json_t *ctx = json_object_get(m, "context");
		json_array_append_new(
		    arr,
		    json_pack(
			"{s:s, s:O, s:o, s:o, s:o}", "id", keys[i], "name",
			json_is_string(json_object_get(m, "name"))
			    ? json_object_get(m, "name")
			    : json_null(),
			"context",
			S_count_label(json_is_integer(ctx)
					  ? (long)json_integer_value(ctx)
					  : -1),
			"input", S_price_str(S_json_price(price, "input")),
			"output", S_price_str(S_json_price(price, "output"))));
	}
	free(keys);
	return arr;
}

/* Fills start (n_groups + 1 entries) and items from the pairs (group[k],
 * item[k]), k < n, keeping their order within a group. */
static void S_group(size_t n_groups, const size_t *group, const size_t *item,
		    size_t n, size_t **start_out, size_t **items_out)
{
	size_t *start = xcalloc(n_groups + 1, sizeof(*start));
	size_t *items = xmalloc((n ? n : 1) * sizeof(*items));
	size_t *fill = xcalloc(n_groups + 1, sizeof(*fill));
	for (size_t k = 0; k < n; k++)
		start[group[k] + 1]++;
	for (size_t g = 0; g < n_groups; g++)
		start[g + 1] += start[g];
	for (size_t k = 0; k < n; k++)
		items[start[group[k]] + fill[group[k]]++] = item[k];
	free(fill);
	*start_out = start;
	*items_out = items;
}

/* (group, item) pairs collected for S_group. */
struct S_pairs {
	size_t *group, *item;
	size_t n, cap;
};

static void S_pairs_push(struct S_pairs *p, size_t group, size_t item)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->group = xrealloc(p->group, p->cap * sizeof(*p->group));
		p->item = xrealloc(p->item, p->cap * sizeof(*p->item));
	}
	p->group[p->n] = group;
	p->item[p->n++] = item;
}

static int S_compare_pair(const void *pa, const void *pb)
{
	const size_t *a = pa, *b = pb;
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return a[1] < b[1] ? -1 : a[1] > b[1];
}

/* Sorts p's pairs by group, then item, and drops repeated pairs. */
static void S_pairs_unique(struct S_pairs *p)
{
	size_t *pairs = xmalloc((p->n ? p->n : 1) * 2 * sizeof(*pairs));
	for (size_t k = 0; k < p->n; k++) {
		pairs[2 * k] = p->group[k];
		pairs[2 * k + 1] = p->item[k];
	}
	qsort(pairs, p->n, 2 * sizeof(*pairs), S_compare_pair);
	size_t n = 0;
	for (size_t k = 0; k < p->n; k++) {
		if (n && p->group[n - 1] == pairs[2 * k] &&
		    p->item[n - 1] == pairs[2 * k + 1])
			continue;
		p->group[n] = pairs[2 * k];
		p->item[n] = pairs[2 * k + 1];
		n++;
	}
	p->n = n;
	free(pairs);
}

static void S_index_build(const struct catalog *cat, struct S_index *ix)
{
	/* (reseller, resold) pairs: grouped by reseller they are "resells",
	 * by the vendor resold "sold_via" */
	struct S_pairs resold = {0}, made = {0};
	for (size_t i = 0; i < cat->n_vendors; i++) {
		const struct vendor *o = &cat->vendors[i];
		for (size_t k = 0; k < o->via.count; k++) {
			const struct vendor *t =
			    catalog_find_vendor(cat, o->via.items[k]);
			if (t && t != o)
				S_pairs_push(&resold,
					     (size_t)(t - cat->vendors), i);
		}
		for (size_t k = 0; k < o->n_offers; k++) {
			const struct model *m = o->offers[k].model_ref;
			const struct vendor *lab = m ? m->lab_ref : NULL;
			if (lab && lab != o)
				S_pairs_push(&resold, i,
					     (size_t)(lab - cat->vendors));
		}
	}
	S_pairs_unique(&resold); /* sorted: each group's items in order */
	for (size_t i = 0; i < cat->n_models; i++) {
		const struct vendor *lab = cat->models[i].lab_ref;
		if (lab)
			S_pairs_push(&made, (size_t)(lab - cat->vendors), i);
	}
	S_group(cat->n_vendors, resold.group, resold.item, resold.n,
		&ix->resold_start, &ix->resold);
	S_group(cat->n_vendors, made.group, made.item, made.n, &ix->made_start,
		&ix->made);
	S_group(cat->n_vendors, resold.item, resold.group, resold.n,
		&ix->sold_via_start, &ix->sold_via);
	free(resold.group);
	free(resold.item);
	free(made.group);
	free(made.item);
	size_t nm = cat->n_models ? cat->n_models : 1;
	ix->model_id = xcalloc(nm, sizeof(json_t *));
	ix->model_name = xcalloc(nm, sizeof(json_t *));
	for (size_t i = 0; i < cat->n_models; i++) {
		ix->model_id[i] = S_str(cat->models[i].id);
		ix->model_name[i] = S_str(cat->models[i].name);
	}
	ix->declared = json_string_nocheck("declared");
	ix->live = json_string_nocheck("live");
}

static void S_index_release(const struct catalog *cat, struct S_index *ix)
{
	free(ix->resold_start);
	free(ix->resold);
	free(ix->sold_via_start);
	free(ix->sold_via);
	free(ix->made_start);
	free(ix->made);
	for (size_t i = 0; i < cat->n_models; i++) {
		json_decref(ix->model_id[i]);
		json_decref(ix->model_name[i]);
	}
	free(ix->model_id);
	free(ix->model_name);
	json_decref(ix->declared);
	json_decref(ix->live);
}

static json_t *S_vendor(const struct catalog *cat, const struct S_index *ix,
			const struct vendor *v, json_t *snapshot,
			json_t *all_offers)
{
	size_t vi = (size_t)(v - cat->vendors);
	json_t *obj = S_vendor_ref(v);
	json_t *live = S_live_vendor(snapshot, v->id);
	struct S_live_index li;
	S_live_index_init(&li, v, live);
	char *desc_html =
	    v->description ? markdown_to_html(v->description) : NULL;
	char *desc_md =
	    v->description ? markdown_to_safe_commonmark(v->description) : NULL;
	json_object_set_new(obj, "homepage", json_string(v->homepage));
	json_object_set_new(obj, "description_html", S_str(desc_html));
	json_object_set_new(obj, "description_markdown", S_str(desc_md));
	free(desc_html);
	free(desc_md);
	json_object_set_new(
	    obj, "spectrum_label",
	    json_string(S_spectrum_labels[v->spectrum >= 1 && v->spectrum <= 5
					      ? v->spectrum
					      : 0]));
	json_t *strengths = json_array();
	for (size_t i = 0; i < v->strengths.count; i++)
		json_array_append_new(
		    strengths,
		    json_pack("{s:s, s:s, s:b}", "id", v->strengths.items[i],
			      "label", S_strength_label(v->strengths.items[i]),
			      "first", i == 0));
	json_object_set_new(obj, "strengths", strengths);
	json_object_set_new(obj, "docs", S_str(v->docs));
	json_object_set_new(obj, "pricing_url", S_str(v->pricing_url));
	if (v->api)
		json_object_set_new(
		    obj, "api",
		    json_pack("{s:s, s:s, s:o, s:b}", "style", v->api->style,
			      "base_url", v->api->base_url, "key_env",
			      S_str(v->api->key_env), "openai_compatible",
			      v->api->openai_compatible == 1));
	else
		json_object_set_new(obj, "api", json_null());
	json_object_set_new(
	    obj, "openai_compatible",
	    json_boolean(v->api && v->api->openai_compatible == 1));
	json_t *via = json_array();
	for (size_t i = 0; i < v->via.count; i++) {
		const struct vendor *r =
		    catalog_find_vendor(cat, v->via.items[i]);
		if (r)
			json_array_append_new(via, S_vendor_ref(r));
	}
	json_object_set_new(obj, "via", via);
	json_t *resells = json_array();
	for (size_t k = ix->resold_start[vi]; k < ix->resold_start[vi + 1]; k++)
		json_array_append_new(
		    resells, S_vendor_ref(&cat->vendors[ix->resold[k]]));
	json_object_set_new(obj, "resells", resells);
	json_t *sold_via = json_array();
	for (size_t k = ix->sold_via_start[vi]; k < ix->sold_via_start[vi + 1];
	     k++)
		json_array_append_new(
		    sold_via, S_vendor_ref(&cat->vendors[ix->sold_via[k]]));
	json_object_set_new(obj, "sold_via", sold_via);
	json_t *made = json_array();
	for (size_t k = ix->made_start[vi]; k < ix->made_start[vi + 1]; k++) {
		const struct model *m = &cat->models[ix->made[k]];
		json_array_append_new(made, json_pack("{s:s, s:s}", "id", m->id,
						      "name", m->name));
	}
	json_object_set_new(obj, "models_made", made);
	struct S_row_strings rs = {S_str(v->id), S_str(v->name),
				   S_str(v->layer),
				   S_str(S_layer_name(v->layer)), ix};
	json_t *offers = json_array();
	for (size_t k = 0; k < v->n_offers; k++) {
		json_t *row =
		    S_offer_row(cat, &rs, v, &v->offers[k], live, &li);
		json_array_append(all_offers, row);
		json_array_append_new(offers, row);
	}
	json_decref(rs.vendor_id);
	json_decref(rs.vendor_name);
	json_decref(rs.layer);
	json_decref(rs.layer_name);
	S_sort_offers(offers, S_compare_offers_by_model);
	json_object_set_new(obj, "offers", offers);
	json_object_set_new(obj, "offer_count",
			    json_integer((json_int_t)v->n_offers));
	json_object_set_new(obj, "signals", S_signals(v));
	json_object_set_new(obj, "has_signals", json_boolean(v->n_signals > 0));
	json_object_set_new(obj, "has_offers", json_boolean(v->n_offers > 0));
	json_object_set_new(obj, "live", S_live_summary(live));
	json_t *also = live ? S_also_listed(&li) : json_array();
	json_object_set_new(obj, "has_also_listed",
			    json_boolean(json_array_size(also) > 0));
	json_object_set_new(obj, "also_listed", also);
	S_live_index_release(&li);
	return obj;
}

/* The model m with its offers, the rows [begin, end) of all_offers (all
 * of m; all_offers is sorted by model id, then as S_compare_offers, so
 * they are already cheapest first). */
static json_t *S_model(const struct model *m, json_t *all_offers, size_t begin,
		       size_t end)
{
	json_t *offers = json_array();
	for (size_t i = begin; i < end; i++)
		json_array_append(offers, json_array_get(all_offers, i));
	/* The cheapest blended price, and every host tied at it: all are
	 * marked, the first (by vendor id) is "cheapest", the others are
	 * "tied_with" it. */
	json_t *cheapest = json_null(), *tied_with = json_array();
	json_t *first = json_array_get(offers, 0);
	json_t *low = json_object_get(first, "blended_num");
	if (first && json_is_number(low)) {
		cheapest = json_incref(first);
		for (size_t i = 0; i < json_array_size(offers); i++) {
			json_t *row = json_array_get(offers, i);
			json_t *b = json_object_get(row, "blended_num");
			if (!json_is_number(b) ||
			    json_number_value(b) != json_number_value(low))
				break;
			json_object_set_new(row, "cheapest", json_true());
			if (i > 0 &&
			    strcmp(S_key_text(row, "vendor_id"),
				   S_key_text(json_array_get(offers, i - 1),
					      "vendor_id")) != 0)
				json_array_append_new(
				    tied_with,
				    json_pack(
					"{s:O, s:O, s:b}", "vendor_id",
					json_object_get(row, "vendor_id"),
					"vendor_name",
					json_object_get(row, "vendor_name"),
					"first",
					json_array_size(tied_with) == 0));
		}
	}
	/* distinct vendors: sorted ids, counted once each */
	size_t n_offers = json_array_size(offers), hosts = 0;
	const char **ids = xmalloc((n_offers ? n_offers : 1) * sizeof(*ids));
	for (size_t i = 0; i < n_offers; i++)
		ids[i] = S_key_text(json_array_get(offers, i), "vendor_id");
	qsort(ids, n_offers, sizeof(*ids), S_compare_cstr);
	for (size_t i = 0; i < n_offers; i++)
		hosts += i == 0 || strcmp(ids[i], ids[i - 1]) != 0;
	free(ids);
	json_t *lab = m->lab_ref ? S_vendor_ref(m->lab_ref) : json_null();
	json_t *alternatives = json_array();
	for (size_t i = 0; i < m->frontier_alternatives.count; i++)
		json_array_append_new(
		    alternatives,
		    json_string(m->frontier_alternatives.items[i]));
	return json_pack(
	    "{s:s, s:s, s:o, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
	    " s:o, s:I, s:b, s:o, s:o, s:o}",
	    "id", m->id, "name", m->name, "lab", lab, "open_weights",
	    m->open_weights == 1, "license", S_str(m->license), "context",
	    S_int_or_null(m->context), "context_label",
	    S_count_label(m->context), "released", S_str(m->released),
	    "parameters", S_str(m->parameters), "summary", S_str(m->summary),
	    "homepage", S_str(m->homepage), "source", S_str(m->source),
	    "offers", offers, "host_count", (json_int_t)hosts, "has_offers",
	    n_offers > 0, "cheapest", cheapest, "tied_with", tied_with,
	    "frontier_alternatives", alternatives);
}

/* ---- the stack map's geometry (SVG user units) ---- */
#define MAP_LABEL_CHARS 24

/* A box label: the name, or its first words with an ellipsis when it is
 * longer than MAP_LABEL_CHARS characters (UTF-8 aware). Caller frees. */
static char *S_map_label(const char *name)
{
	size_t chars = 0, cut = 0, last_space = 0;
	for (size_t i = 0; name[i]; i++) {
		if (((unsigned char)name[i] & 0xC0) == 0x80)
			continue;
		if (chars == MAP_LABEL_CHARS - 1)
			cut = i;
		if (name[i] == ' ' && chars < MAP_LABEL_CHARS)
			last_space = i;
		chars++;
	}
	if (chars <= MAP_LABEL_CHARS)
		return xstrdup(name);
	size_t end = last_space > MAP_LABEL_CHARS / 2 ? last_space : cut;
	struct buf out = BUF_INIT;
	buf_append(&out, name, end);
	buf_puts(&out, "\xE2\x80\xA6"); /* … */
	return buf_detach(&out, NULL);
}

#define MAP_WIDTH 1200
#define MAP_LABEL_W 176
#define MAP_HEADER_H 56
#define MAP_BOX_H 30
#define MAP_BOX_GAP 8
#define MAP_BAND_PAD 30
#define MAP_COLS 5
#define MAP_BAND_LINE_CHARS 19 /* a band label's line fits the label column */

static json_t *S_map(const struct catalog *cat)
{
	static const char *const axis[MAP_COLS] = {
	    "1 · most managed", "2 · managed platform", "3 · serverless",
	    "4 · deploy your own", "5 · most raw"};
	const int col_w = (MAP_WIDTH - MAP_LABEL_W - 8) / MAP_COLS;
	const int box_w = col_w - 14;
	json_t *bands = json_array(), *boxes = json_array();
	json_t *axis_arr = json_array(), *columns = json_array();
	for (int c = 0; c < MAP_COLS; c++) {
		int x = MAP_LABEL_W + c * col_w;
		json_array_append_new(
		    columns, json_pack("{s:i, s:i}", "x", x, "width", col_w));
		json_array_append_new(axis_arr, json_pack("{s:i, s:s}", "x",
							  x + col_w / 2,
							  "label", axis[c]));
	}
	int y = MAP_HEADER_H;
	for (size_t l = 0; l < catalog_layer_count + 1; l++) {
		int rows = 1;
		int used[MAP_COLS] = {0};
		if (l < catalog_layer_count) {
			for (size_t i = 0; i < cat->n_vendors; i++) {
				const struct vendor *v = &cat->vendors[i];
				if (catalog_layer_index(v->layer) != (int)l ||
				    v->spectrum < 1 || v->spectrum > MAP_COLS)
					continue;
				int c = (int)v->spectrum - 1;
				int bx = MAP_LABEL_W + c * col_w + 7;
				int by = y + MAP_BAND_PAD / 2 +
					 used[c] * (MAP_BOX_H + MAP_BOX_GAP);
				used[c]++;
				struct buf href = BUF_INIT, title = BUF_INIT;
				buf_printf(&href, "vendors/%s.html", v->id);
				buf_printf(&title, "%s: %s", v->name,
					   v->summary);
				char *label = S_map_label(v->name);
				json_array_append_new(
				    boxes,
				    json_pack("{s:s, s:s, s:s, s:i, s:i, s:i,"
					      " s:i, s:i, s:i, s:s, s:I, s:s}",
					      "id", v->id, "name", v->name,
					      "href", buf_cstr(&href), "x", bx,
					      "y", by, "width", box_w, "height",
					      MAP_BOX_H, "text_x",
					      bx + box_w / 2, "text_y",
					      by + MAP_BOX_H / 2 + 5, "title",
					      buf_cstr(&title), "spectrum",
					      (json_int_t)v->spectrum, "label",
					      label));
				free(label);
				buf_release(&href);
				buf_release(&title);
			}
			for (int c = 0; c < MAP_COLS; c++)
				if (used[c] > rows)
					rows = used[c];
		}
		int h = MAP_BAND_PAD + rows * (MAP_BOX_H + MAP_BOX_GAP) -
			MAP_BOX_GAP;
		const char *id =
		    l < catalog_layer_count ? S_layers[l].id : "app";
		const char *name = l < catalog_layer_count ? S_layers[l].name
							   : "Your application";
		/* the label wrapped at spaces into lines that fit the label
		 * column: the first 35 units below the band's top, the next
		 * 18 below it */
		json_t *lines = json_array();
		for (const char *p = name; *p;) {
			size_t n = strlen(p), cut = n;
			if (n > MAP_BAND_LINE_CHARS) {
				cut = 0;
				for (size_t k = 1; k <= MAP_BAND_LINE_CHARS;
				     k++)
					if (p[k] == ' ')
						cut = k;
				if (!cut)
					cut = strcspn(p, " ");
			}
			json_array_append_new(
			    lines,
			    json_pack("{s:s%, s:i}", "text", p, cut, "dy",
				      json_array_size(lines) ? 18 : 35));
			p += cut;
			while (*p == ' ')
				p++;
		}
		json_array_append_new(
		    bands, json_pack("{s:s, s:s, s:o, s:i, s:i, s:i, s:i, s:b}",
				     "layer", id, "name", name, "name_lines",
				     lines, "y", y, "height", h, "label_y",
				     y + h / 2 + 5, "index", (int)l, "is_app",
				     l == catalog_layer_count));
		if (l == catalog_layer_count) {
			int bx = MAP_LABEL_W + 7;
			int bw = MAP_COLS * col_w - 14;
			json_object_set_new(
			    json_array_get(bands, l), "app_box",
			    json_pack(
				"{s:i, s:i, s:i, s:i, s:i, s:i}", "x", bx, "y",
				y + MAP_BAND_PAD / 2, "width", bw, "height",
				MAP_BOX_H, "text_x", bx + bw / 2, "text_y",
				y + MAP_BAND_PAD / 2 + MAP_BOX_H / 2 + 5));
		}
		y += h + 10;
	}
	return json_pack("{s:i, s:i, s:i, s:o, s:o, s:o, s:o}", "width",
			 MAP_WIDTH, "height", y, "label_x", 12, "bands", bands,
			 "boxes", boxes, "axis", axis_arr, "columns", columns);
}

/* The newest date in the data: prices checked, signals, live successes. */
static void S_data_date(const struct catalog *cat, json_t *snapshot,
			char out[11])
{
	char best[11] = "";
	for (size_t i = 0; i < cat->n_vendors; i++) {
		const struct vendor *v = &cat->vendors[i];
		for (size_t k = 0; k < v->n_offers; k++)
			if (v->offers[k].checked &&
			    strcmp(v->offers[k].checked, best) > 0)
				snprintf(best, sizeof(best), "%s",
					 v->offers[k].checked);
		/* a valid signal was read on or after its event's day */
		for (size_t k = 0; k < v->n_signals; k++)
			if (strcmp(v->signals[k].checked, best) > 0)
				snprintf(best, sizeof(best), "%s",
					 v->signals[k].checked);
		json_t *live = S_live_vendor(snapshot, v->id);
		char day[11];
		S_date_of(
		    json_string_value(json_object_get(live, "last_success")),
		    day);
		if (strcmp(day, best) > 0)
			memcpy(best, day, sizeof(best));
	}
	memcpy(out, best, 11);
}

/* "0.88 → 0.8" style text for one price of a change; nothing when the
 * price did not change (the same printed value, or unknown on both
 * sides). */
static void S_change_part(struct buf *out, const char *what, double old_v,
			  double new_v)
{
	char a[32], b[32];
	if (isnan(old_v) ? isnan(new_v)
			 : !isnan(new_v) && listing_round_price(old_v) ==
						listing_round_price(new_v))
		return;
	if (out->len)
		buf_puts(out, ", ");
	buf_printf(out, "%s %s \xE2\x86\x92 %s", what,
		   isnan(old_v) ? "?" : listing_format_price(old_v, a),
		   isnan(new_v) ? "?" : listing_format_price(new_v, b));
}

static json_t *S_price_obj(const struct snapshot_price *p)
{
	return json_pack("{s:o, s:o, s:o}", "input", S_price_str(p->input),
			 "output", S_price_str(p->output), "cached_input",
			 S_price_str(p->cached_input));
}

/* The change feed: every change the snapshot remembers, newest first. */
static json_t *S_changes(const struct catalog *cat, json_t *snapshot)
{
	json_t *arr = json_array();
	struct snapshot_change *changes = NULL;
	size_t n = 0;
	if (!snapshot)
		return arr;
	snapshot_changes(snapshot, &changes, &n);
	for (size_t i = 0; i < n; i++) {
		const struct snapshot_change *c = &changes[i];
		const struct vendor *v = catalog_find_vendor(cat, c->vendor);
		const char *vname = v ? v->name : c->vendor;
		struct buf summary = BUF_INIT, prices = BUF_INIT;
		if (c->kind == SNAPSHOT_PRICE) {
			S_change_part(&prices, "input", c->old_price.input,
				      c->new_price.input);
			S_change_part(&prices, "output", c->old_price.output,
				      c->new_price.output);
			S_change_part(&prices, "cached input",
				      c->old_price.cached_input,
				      c->new_price.cached_input);
			buf_printf(&summary, "%s changed the price of %s: %s",
				   vname, c->model, buf_cstr(&prices));
		} else {
			buf_printf(&summary, "%s %s %s", vname,
				   c->kind == SNAPSHOT_ADDED ? "added"
							     : "removed",
				   c->model);
		}
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}",
				   "date", c->date, "vendor_id", c->vendor,
				   "vendor_name", vname, "model_id", c->model,
				   "kind", snapshot_change_kind_name(c->kind),
				   "summary", buf_cstr(&summary), "old",
				   S_price_obj(&c->old_price), "new",
				   S_price_obj(&c->new_price)));
		buf_release(&summary);
		buf_release(&prices);
	}
	free(changes);
	return arr;
}

static json_t *S_primers(const struct catalog *cat)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < cat->n_primers; i++) {
		const struct primer *p = &cat->primers[i];
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:s, s:o}", "slug", p->slug,
				   "title", p->title, "summary", p->summary,
				   "order", S_int_or_null(p->order)));
	}
	return arr;
}

/* The vendors [begin, end) of the catalog, made by one thread. */
struct S_vendor_part {
	const struct catalog *cat;
	const struct S_index *ix;
	json_t *snapshot;
	size_t begin, end;
	json_t *vendors, *offers; /* this part's, in catalog order */
};

/* Makes the parts [begin, end) of an array of S_vendor_part. */
static void S_vendor_parts(void *ctx, size_t begin, size_t end)
{
	struct S_vendor_part *parts = ctx;
	for (size_t t = begin; t < end; t++) {
		struct S_vendor_part *p = &parts[t];
		for (size_t i = p->begin; i < p->end; i++)
			json_array_append_new(p->vendors,
					      S_vendor(p->cat, p->ix,
						       &p->cat->vendors[i],
						       p->snapshot, p->offers));
	}
}

/* Up to this many threads make the view's parts. */
#define S_THREADS_MAX 8
/* Fewer vendors than this are made by the calling thread alone. */
#define S_VENDOR_THREADS_MIN_VENDORS 256

/* The threads S_in_parallel may use: the CPUs, at most
 * S_THREADS_MAX. */
static size_t S_threads(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t threads = cpus > 1 ? (size_t)cpus : 1;
	return threads > S_THREADS_MAX ? S_THREADS_MAX : threads;
}

struct S_part {
	void (*fn)(void *ctx, size_t begin, size_t end);
	void *ctx;
	size_t begin, end;
};

static void *S_part_run(void *arg)
{
	struct S_part *p = arg;
	p->fn(p->ctx, p->begin, p->end);
	return NULL;
}

/* Calls fn(ctx, begin, end) over [0, n) cut into contiguous parts, one
 * per thread (the calling thread takes the first), when n is at least
 * min_n; else once over all of it. fn must touch only what its part
 * owns. */
static void S_in_parallel(size_t n, size_t min_n,
			  void (*fn)(void *ctx, size_t begin, size_t end),
			  void *ctx)
{
	size_t threads = n >= min_n ? S_threads() : 1;
	if (threads > n)
		threads = n ? n : 1;
	struct S_part parts[S_THREADS_MAX];
	pthread_t tids[S_THREADS_MAX];
	bool started[S_THREADS_MAX] = {false};
	for (size_t t = 0; t < threads; t++)
		parts[t] = (struct S_part){fn, ctx, n * t / threads,
					   n * (t + 1) / threads};
	for (size_t t = 1; t < threads; t++)
		started[t] =
		    pthread_create(&tids[t], NULL, S_part_run, &parts[t]) == 0;
	S_part_run(&parts[0]);
	for (size_t t = 1; t < threads; t++) {
		if (started[t])
			pthread_join(tids[t], NULL);
		else
			S_part_run(&parts[t]);
	}
}

/* Appends every vendor of the catalog to vendors and every offer row to
 * all_offers, in catalog order. Big catalogs are split into contiguous
 * parts made by threads at once (each part builds only its own jansson
 * values; the catalog, the index and the snapshot are only read), then
 * joined in order, so the result does not depend on the thread count. */
static void S_vendors(const struct catalog *cat, const struct S_index *ix,
		      json_t *snapshot, json_t *vendors, json_t *all_offers)
{
	size_t threads =
	    cat->n_vendors < S_VENDOR_THREADS_MIN_VENDORS ? 1 : S_threads();
	struct S_vendor_part parts[S_THREADS_MAX];
	/* parts of equal offer counts, not vendor counts: a few vendors
	 * carry most of the offers */
	size_t total = 0, begin = 0;
	for (size_t i = 0; i < cat->n_vendors; i++)
		total += cat->vendors[i].n_offers + 1;
	for (size_t t = 0, acc = 0; t < threads; t++) {
		size_t end = begin;
		size_t goal = total * (t + 1) / threads;
		while (end < cat->n_vendors && (acc < goal || t + 1 == threads))
			acc += cat->vendors[end++].n_offers + 1;
		parts[t] = (struct S_vendor_part){
		    cat, ix, snapshot, begin, end, json_array(), json_array()};
		begin = end;
	}
	S_in_parallel(threads, 1, S_vendor_parts, parts);
	for (size_t t = 0; t < threads; t++) {
		json_array_extend(vendors, parts[t].vendors);
		json_array_extend(all_offers, parts[t].offers);
		json_decref(parts[t].vendors);
		json_decref(parts[t].offers);
	}
}

/* The models of the view, made in parts: model i has the offers
 * [starts[2i], starts[2i + 1]) of all_offers, made into out[i]. */
struct S_model_job {
	const struct catalog *cat;
	json_t *all_offers;
	const size_t *starts;
	json_t **out;
};

static void S_models_part(void *ctx, size_t begin, size_t end)
{
	struct S_model_job *job = ctx;
	for (size_t i = begin; i < end; i++)
		job->out[i] =
		    S_model(&job->cat->models[i], job->all_offers,
			    job->starts[2 * i], job->starts[2 * i + 1]);
}

/* The clean pass (see view_build) in two parts: the offer rows, and the
 * rest, which shares no string with them. */
static void S_clean_part(void *ctx, size_t begin, size_t end)
{
	json_t *view = ctx;
	for (size_t part = begin; part < end; part++) {
		const char *key;
		json_t *value;
		json_object_foreach(view, key, value)
		{
			bool offers = strcmp(key, "offers") == 0;
			if (offers != (part == 0))
				continue;
			if (strcmp(key, "vendors") != 0 &&
			    strcmp(key, "models") != 0) {
				text_clean_tree(value);
				continue;
			}
			size_t i;
			json_t *item;
			json_array_foreach(value, i, item)
			{
				const char *k;
				json_t *v;
				json_object_foreach(item, k, v)
				{
					if (strcmp(k, "offers") != 0 &&
					    strcmp(k, "cheapest") != 0 &&
					    strcmp(k, "tied_with") != 0)
						text_clean_tree(v);
				}
			}
		}
	}
}

/* Fewer models than this are made by the calling thread alone. */
#define S_MODEL_THREADS_MIN_MODELS 512

json_t *view_build(const struct catalog *cat, json_t *snapshot)
{
	json_t *view = json_object();
	json_t *all_offers = json_array();
	json_t *vendors = json_array();
	json_t *models = json_array();
	size_t priced = 0;
	char data_date[11];

	struct S_index ix;
	S_index_build(cat, &ix);
	S_vendors(cat, &ix, snapshot, vendors, all_offers);
	S_index_release(cat, &ix);
	S_sort_offers(all_offers, S_compare_offers_by_model);
	/* each model's range of all_offers (sorted by model id, like the
	 * models; rows of a model not in the catalog are passed over), then
	 * the models in parts */
	size_t n_all = json_array_size(all_offers), next = 0;
	size_t *starts = xmalloc((2 * cat->n_models + 1) * sizeof(*starts));
	json_t **made = xcalloc(cat->n_models + 1, sizeof(*made));
	for (size_t i = 0; i < cat->n_models; i++) {
		const char *id = cat->models[i].id;
		while (next < n_all &&
		       strcmp(S_key_text(json_array_get(all_offers, next),
					 "model_id"),
			      id) < 0)
			next++;
		starts[2 * i] = next;
		while (next < n_all &&
		       strcmp(S_key_text(json_array_get(all_offers, next),
					 "model_id"),
			      id) == 0)
			next++;
		starts[2 * i + 1] = next;
	}
	struct S_model_job job = {cat, all_offers, starts, made};
	S_in_parallel(cat->n_models, S_MODEL_THREADS_MIN_MODELS, S_models_part,
		      &job);
	for (size_t i = 0; i < cat->n_models; i++)
		json_array_append_new(models, made[i]);
	free(starts);
	free(made);
	for (size_t i = 0; i < json_array_size(all_offers); i++)
		priced += json_is_true(json_object_get(
		    json_array_get(all_offers, i), "has_price"));

	json_t *layers = json_array();
	for (size_t l = 0; l < catalog_layer_count; l++) {
		json_t *members = json_array();
		for (size_t i = 0; i < cat->n_vendors; i++)
			if (catalog_layer_index(cat->vendors[i].layer) ==
			    (int)l)
				json_array_append_new(
				    members, S_vendor_ref(&cat->vendors[i]));
		json_array_append_new(
		    layers,
		    json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:o}", "id",
			      S_layers[l].id, "name", S_layers[l].name, "short",
			      S_layers[l].short_name, "description",
			      S_layers[l].description, "position", (int)l + 1,
			      "vendor_count",
			      (json_int_t)json_array_size(members), "vendors",
			      members));
	}
	json_t *strengths = json_array();
	for (size_t i = 0; i < sizeof(S_strengths) / sizeof(S_strengths[0]);
	     i++)
		json_array_append_new(
		    strengths, json_pack("{s:s, s:s}", "id", S_strengths[i].id,
					 "label", S_strengths[i].label));
	S_data_date(cat, snapshot, data_date);
	const struct site *s = &cat->site;
	json_object_set_new(
	    view, "site",
	    json_pack("{s:s, s:s, s:o, s:s, s:o, s:s, s:s, s:I}", "title",
		      s->title, "base_url", s->base_url, "description",
		      S_str(s->description), "language",
		      s->language ? s->language : "en", "repository",
		      S_str(s->repository), "version", STACKMAP_VERSION,
		      "data_date", data_date, "page_offers",
		      (json_int_t)(s->page_offers > 0 ? s->page_offers
						      : SITE_PAGE_OFFERS)));
	json_object_set_new(
	    view, "blended_definition",
	    json_string("Blended price = (3 × input + 1 × output) ÷ 4, in "
			"USD per 1M tokens: a 3:1 input-to-output mix, "
			"typical of summarisation, classification and "
			"extraction."));
	json_object_set_new(view, "layers", layers);
	json_object_set_new(view, "vendors", vendors);
	json_object_set_new(view, "models", models);
	json_object_set_new(view, "offers", all_offers);
	json_object_set_new(view, "primers", S_primers(cat));
	json_object_set_new(view, "changes", S_changes(cat, snapshot));
	json_object_set_new(view, "strengths", strengths);
	json_object_set_new(view, "counts",
			    json_pack("{s:I, s:I, s:I, s:I, s:I}", "vendors",
				      (json_int_t)cat->n_vendors, "models",
				      (json_int_t)cat->n_models, "offers",
				      (json_int_t)json_array_size(all_offers),
				      "priced_offers", (json_int_t)priced,
				      "primers", (json_int_t)cat->n_primers));
	json_object_set_new(view, "map", S_map(cat));
	/* one pass over every string, whichever output it reaches; each offer
	 * once: vendors' and models' "offers" and "cheapest" are the rows
	 * of the view's "offers" */
	S_in_parallel(2, 2, S_clean_part, view);
	return view;
}
