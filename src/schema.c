#define _GNU_SOURCE /* qsort_r */
#include "schema.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "catalog.h"
#include "exitcode.h"
#include "options.h"
#include "xalloc.h"

#define LOC(type, member) (offsetof(type, member) + 1)
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *const catalog_layers[] = {"model-lab", "inference-provider",
				      "hyperscaler", "orchestration", NULL};
const size_t catalog_layer_count = 4;
const char *const catalog_strengths[] = {
    "cost",	   "speed",	      "resilience", "cloud-native",
    "fine-tuning", "frontier-models", NULL};
const char *const catalog_api_styles[] = {"openai",
					  "anthropic",
					  "gemini",
					  "together",
					  "openrouter",
					  "deepinfra",
					  "per-token-strings",
					  "novita",
					  "cloudflare",
					  "bedrock",
					  "azure-retail",
					  NULL};
const char *const catalog_signal_kinds[] = {"valuation", "funding",
					    "acquisition", "launch", NULL};

static const struct field S_offer_fields[] = {
    {.name = "model",
     .type = FT_MODEL_ID,
     .required = true,
     .offset = offsetof(struct offer, model),
     .loc_offset = LOC(struct offer, model_loc),
     .description = "Id of a model in catalog/models/."},
    {.name = "remote_id",
     .type = FT_LINE,
     .required = true,
     .offset = offsetof(struct offer, remote_id),
     .description = "The model's id in this vendor's own API."},
    {.name = "input",
     .type = FT_NUMBER,
     .offset = offsetof(struct offer, input),
     .description = "USD per 1M input tokens."},
    {.name = "output",
     .type = FT_NUMBER,
     .offset = offsetof(struct offer, output),
     .description = "USD per 1M output tokens."},
    {.name = "cached_input",
     .type = FT_NUMBER,
     .offset = offsetof(struct offer, cached_input),
     .description = "USD per 1M cached input tokens."},
    {.name = "context",
     .type = FT_INT,
     .min = 1,
     .max = 1000000000,
     .offset = offsetof(struct offer, context),
     .description = "Context window in tokens, as this vendor serves it."},
    {.name = "source",
     .type = FT_URL,
     .offset = offsetof(struct offer, source),
     .loc_offset = LOC(struct offer, source_loc),
     .description = "Where the prices were read; required with a price."},
    {.name = "checked",
     .type = FT_DATE,
     .offset = offsetof(struct offer, checked),
     .loc_offset = LOC(struct offer, checked_loc),
     .description = "The day the source was read; required with a price."},
    {.name = "note",
     .type = FT_LINE,
     .offset = offsetof(struct offer, note),
     .description = "One line, e.g. which revision or quantisation."},
};

static const struct schema S_offer = {"offer",
				      "offer",
				      S_offer_fields,
				      COUNT(S_offer_fields),
				      sizeof(struct offer),
				      offsetof(struct offer, loc)};

static const struct field S_signal_fields[] = {
    {.name = "kind",
     .type = FT_ENUM,
     .required = true,
     .values = catalog_signal_kinds,
     .offset = offsetof(struct signal, kind)},
    {.name = "value_usd",
     .type = FT_INT,
     .min = 0,
     .max = LONG_MAX,
     .offset = offsetof(struct signal, value_usd),
     .description = "Amount in US dollars."},
    {.name = "date",
     .type = FT_DATE,
     .required = true,
     .offset = offsetof(struct signal, date),
     .description = "The day of the event."},
    {.name = "source",
     .type = FT_URL,
     .required = true,
     .offset = offsetof(struct signal, source),
     .description = "Where the event is reported."},
    {.name = "checked",
     .type = FT_DATE,
     .required = true,
     .offset = offsetof(struct signal, checked),
     .loc_offset = LOC(struct signal, checked_loc),
     .description = "The day the source was read."},
    {.name = "note", .type = FT_LINE, .offset = offsetof(struct signal, note)},
};

static const struct schema S_signal = {"signal",
				       "market signal",
				       S_signal_fields,
				       COUNT(S_signal_fields),
				       sizeof(struct signal),
				       offsetof(struct signal, loc)};

static const struct field S_api_fields[] = {
    {.name = "style",
     .type = FT_ENUM,
     .required = true,
     .values = catalog_api_styles,
     .offset = offsetof(struct api, style),
     .loc_offset = LOC(struct api, style_loc),
     .description = "Which adapter lists this vendor's models."},
    {.name = "base_url",
     .type = FT_URL,
     .required = true,
     .offset = offsetof(struct api, base_url)},
    {.name = "key_env",
     .type = FT_ENV,
     .offset = offsetof(struct api, key_env),
     .description = "Environment variable holding the API key; absent "
		    "means the listing is public."},
    {.name = "openai_compatible",
     .type = FT_BOOL,
     .offset = offsetof(struct api, openai_compatible)},
    {.name = "region",
     .type = FT_LINE,
     .offset = offsetof(struct api, region),
     .description = "Cloud region, for bedrock and azure-retail."},
};

static const struct schema S_api = {"api",
				    "api",
				    S_api_fields,
				    COUNT(S_api_fields),
				    sizeof(struct api),
				    offsetof(struct api, loc)};

static const struct field S_vendor_fields[] = {
    {.name = "id",
     .type = FT_ID,
     .required = true,
     .offset = offsetof(struct vendor, id),
     .loc_offset = LOC(struct vendor, id_loc),
     .description = "Equals the file name without .yaml."},
    {.name = "name",
     .type = FT_LINE,
     .required = true,
     .offset = offsetof(struct vendor, name)},
    {.name = "layer",
     .type = FT_ENUM,
     .required = true,
     .values = catalog_layers,
     .offset = offsetof(struct vendor, layer)},
    {.name = "spectrum",
     .type = FT_INT,
     .required = true,
     .min = 1,
     .max = 5,
     .offset = offsetof(struct vendor, spectrum),
     .description = "1 = most managed (a lab's own API) ... 5 = most raw "
		    "(you run the GPUs)."},
    {.name = "homepage",
     .type = FT_URL,
     .required = true,
     .offset = offsetof(struct vendor, homepage)},
    {.name = "summary",
     .type = FT_LINE,
     .required = true,
     .offset = offsetof(struct vendor, summary)},
    {.name = "description",
     .type = FT_TEXT,
     .offset = offsetof(struct vendor, description),
     .description = "CommonMark."},
    {.name = "strengths",
     .type = FT_ENUM_LIST,
     .values = catalog_strengths,
     .offset = offsetof(struct vendor, strengths)},
    {.name = "via",
     .type = FT_ID_LIST,
     .offset = offsetof(struct vendor, via),
     .description = "Vendors through which this vendor's models are also "
		    "sold."},
    {.name = "docs", .type = FT_URL, .offset = offsetof(struct vendor, docs)},
    {.name = "pricing_url",
     .type = FT_URL,
     .offset = offsetof(struct vendor, pricing_url)},
    {.name = "api",
     .type = FT_OBJECT,
     .sub = &S_api,
     .offset = offsetof(struct vendor, api)},
    {.name = "offers",
     .type = FT_OBJECT_LIST,
     .sub = &S_offer,
     .offset = offsetof(struct vendor, offers),
     .count_offset = offsetof(struct vendor, n_offers)},
    {.name = "signals",
     .type = FT_OBJECT_LIST,
     .sub = &S_signal,
     .offset = offsetof(struct vendor, signals),
     .count_offset = offsetof(struct vendor, n_signals)},
};

const struct schema schema_vendor = {"vendor",
				     "stackmap vendor",
				     S_vendor_fields,
				     COUNT(S_vendor_fields),
				     sizeof(struct vendor),
				     offsetof(struct vendor, loc)};

static const struct field S_model_fields[] = {
    {.name = "id",
     .type = FT_MODEL_ID,
     .required = true,
     .offset = offsetof(struct model, id),
     .loc_offset = LOC(struct model, id_loc),
     .description = "Equals the file name without .yaml."},
    {.name = "name",
     .type = FT_LINE,
     .required = true,
     .offset = offsetof(struct model, name)},
    {.name = "lab",
     .type = FT_ID,
     .required = true,
     .offset = offsetof(struct model, lab),
     .loc_offset = LOC(struct model, lab_loc),
     .description = "Id of a vendor whose layer is model-lab."},
    {.name = "open_weights",
     .type = FT_BOOL,
     .required = true,
     .offset = offsetof(struct model, open_weights)},
    {.name = "license",
     .type = FT_LINE,
     .offset = offsetof(struct model, license)},
    {.name = "context",
     .type = FT_INT,
     .min = 1,
     .max = 1000000000,
     .offset = offsetof(struct model, context)},
    {.name = "released",
     .type = FT_DATE,
     .offset = offsetof(struct model, released)},
    {.name = "parameters",
     .type = FT_LINE,
     .offset = offsetof(struct model, parameters)},
    {.name = "summary",
     .type = FT_LINE,
     .offset = offsetof(struct model, summary)},
    {.name = "homepage",
     .type = FT_URL,
     .offset = offsetof(struct model, homepage)},
    {.name = "source",
     .type = FT_URL,
     .offset = offsetof(struct model, source),
     .description = "Where the model's facts were read."},
    {.name = "frontier_alternatives",
     .type = FT_MODEL_ID_LIST,
     .offset = offsetof(struct model, frontier_alternatives),
     .description =
	 "Closed models a buyer would otherwise call for the same routine "
	 "jobs, each offered on its own model lab's API; `stackmap choose` "
	 "costs the workload on them for comparison."},
};

const struct schema schema_model = {"model",
				    "stackmap model",
				    S_model_fields,
				    COUNT(S_model_fields),
				    sizeof(struct model),
				    offsetof(struct model, loc)};

static const struct field S_site_fields[] = {
    {.name = "title",
     .type = FT_LINE,
     .required = true,
     .offset = offsetof(struct site, title)},
    {.name = "base_url",
     .type = FT_URL,
     .required = true,
     .offset = offsetof(struct site, base_url),
     .description = "Absolute URL the site is published at."},
    {.name = "description",
     .type = FT_LINE,
     .offset = offsetof(struct site, description)},
    {.name = "language",
     .type = FT_LINE,
     .offset = offsetof(struct site, language)},
    {.name = "repository",
     .type = FT_URL,
     .offset = offsetof(struct site, repository)},
    {.name = "page_offers",
     .type = FT_INT,
     .min = 1,
     .max = 1000000,
     .offset = offsetof(struct site, page_offers),
     .description = "Most offers one page carries (default 2000): past "
		    "it the pricing table is paged and the choose page "
		    "loads each model's offers on demand."},
};

const struct schema schema_site = {
    "site settings",	  "stackmap site settings", S_site_fields,
    COUNT(S_site_fields), sizeof(struct site),	    offsetof(struct site, loc)};

static const struct field S_primer_fields[] = {
    {.name = "title",
     .type = FT_LINE,
     .required = true,
     .offset = offsetof(struct primer, title)},
    {.name = "summary",
     .type = FT_LINE,
     .required = true,
     .offset = offsetof(struct primer, summary)},
    {.name = "order",
     .type = FT_INT,
     .min = 0,
     .max = 1000000,
     .offset = offsetof(struct primer, order)},
};

const struct schema schema_primer = {
    "primer front matter", "stackmap primer front matter",
    S_primer_fields,	   COUNT(S_primer_fields),
    sizeof(struct primer), offsetof(struct primer, loc)};

/* ---- value syntax ---- */

bool schema_is_id(const char *s)
{
	if (!(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
		return false;
	for (const char *p = s; *p; p++)
		if (!(islower((unsigned char)*p) ||
		      isdigit((unsigned char)*p) || *p == '-'))
			return false;
	return strlen(s) <= 100;
}

bool schema_is_model_id(const char *s)
{
	if (!(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
		return false;
	for (const char *p = s; *p; p++)
		if (!(islower((unsigned char)*p) ||
		      isdigit((unsigned char)*p) || *p == '-' || *p == '.'))
			return false;
	return strlen(s) <= 100 && !strstr(s, "..");
}

bool schema_is_url(const char *s)
{
	const char *rest;
	if (strncmp(s, "https://", 8) == 0)
		rest = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		rest = s + 7;
	else
		return false;
	if (!*rest || *rest == '/' || *rest == ':' || *rest == '@')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7F || *p == '"' || *p == '<' ||
		    *p == '>' || *p == '`' || *p == '\\' || *p == '{' ||
		    *p == '}' || *p == '|' || *p == '^')
			return false;
	return strlen(s) <= 2048;
}

bool schema_is_date(const char *s)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return false;
	int max = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

static bool S_is_env(const char *s)
{
	if (!(isupper((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (const char *p = s; *p; p++)
		if (!(isupper((unsigned char)*p) ||
		      isdigit((unsigned char)*p) || *p == '_'))
			return false;
	return strlen(s) <= 100;
}

/* Plain decimal: -?digits(.digits)?([eE][+-]?digits)? */
static bool S_is_decimal(const char *s, bool allow_fraction)
{
	const char *p = s;
	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (allow_fraction && *p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (allow_fraction && (*p == 'e' || *p == 'E')) {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '\0';
}

bool schema_close_enough(const char *typed, size_t d, size_t most)
{
	size_t third = strlen(typed) / 3;
	return d <= most && d <= (third > 1 ? third : 1);
}

size_t schema_edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return cap + 1;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		size_t best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = diag + cost;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			if (up + 1 < v)
				v = up + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
	}
	return row[lb] > cap ? cap + 1 : row[lb];
}

/* ---- loading ---- */

static const char *S_kind_name(const struct ynode *n)
{
	switch (n->kind) {
	case YNODE_MAP:
		return "a mapping";
	case YNODE_SEQ:
		return "a list";
	default:
		return "a scalar";
	}
}

static bool S_is_null(const struct ynode *n)
{
	return n->kind == YNODE_SCALAR && n->plain &&
	       (n->len == 0 || strcmp(n->text, "~") == 0 ||
		strcmp(n->text, "null") == 0);
}

static void S_set_absent(const struct field *f, void *target)
{
	char *slot = (char *)target + f->offset;
	switch (f->type) {
	case FT_INT:
		*(long *)slot = -1;
		break;
	case FT_NUMBER:
		*(double *)slot = NAN;
		break;
	case FT_BOOL:
		*(int *)slot = -1;
		break;
	default:
		break; /* zeroed: NULL pointers, empty lists */
	}
}

static const char *S_enum_match(const char *const *values, const char *s)
{
	for (size_t i = 0; values[i]; i++)
		if (strcmp(values[i], s) == 0)
			return values[i];
	return NULL;
}

static void S_enum_error(struct diags *diags, struct loc at,
			 const struct field *f, const char *got)
{
	struct buf allowed = BUF_INIT;
	const char *close = NULL;
	for (size_t i = 0; f->values[i]; i++) {
		buf_printf(&allowed, "%s%s", i ? ", " : "", f->values[i]);
		if (!close &&
		    schema_close_enough(
			got, schema_edit_distance(got, f->values[i], 2), 2))
			close = f->values[i];
	}
	if (close)
		diag_error(diags, at,
			   "'%s' is not a valid value for '%s'; did you mean "
			   "'%s'?",
			   got, f->name, close);
	else
		diag_error(diags, at,
			   "'%s' is not a valid value for '%s' (one of: %s)",
			   got, f->name, buf_cstr(&allowed));
	buf_release(&allowed);
}

/* Checks a scalar string value against the field's text type. Returns
 * true when it is acceptable. */
static bool S_check_text(const struct field *f, const struct ynode *v,
			 const char *what, struct diags *diags)
{
	const char *s = v->text;
	switch (f->type) {
	case FT_ID:
		if (schema_is_id(s))
			return true;
		diag_error(diags, v->loc,
			   "%s '%s' is not a valid id (lower-case letters, "
			   "digits and '-', starting with a letter or digit)",
			   what, s);
		return false;
	case FT_MODEL_ID:
		if (schema_is_model_id(s))
			return true;
		diag_error(diags, v->loc,
			   "%s '%s' is not a valid model id (lower-case "
			   "letters, digits, '-' and '.')",
			   what, s);
		return false;
	case FT_URL:
		if (schema_is_url(s))
			return true;
		diag_error(diags, v->loc,
			   "'%s' must be an http:// or https:// URL without "
			   "spaces or quotes",
			   what);
		return false;
	case FT_DATE:
		if (schema_is_date(s))
			return true;
		diag_error(diags, v->loc,
			   "%s '%s' is not a real date in the form YYYY-MM-DD",
			   what, s);
		return false;
	case FT_ENV:
		if (S_is_env(s))
			return true;
		/* never echo the value: it may be a key pasted by mistake */
		diag_error(diags, v->loc,
			   "'%s' must name an environment variable (upper-case "
			   "letters, digits and '_'), not hold a key",
			   what);
		return false;
	case FT_LINE:
		for (const unsigned char *p = (const unsigned char *)s; *p;
		     p++) {
			if (*p == '\n' || *p == '\r') {
				diag_error(diags, v->loc,
					   "'%s' must be a single line", what);
				return false;
			}
			if (*p < 0x20 || *p == 0x7F) {
				diag_error(diags, v->loc,
					   "'%s' contains control character "
					   "0x%02X",
					   what, *p);
				return false;
			}
		}
		if (v->len == 0) {
			diag_error(diags, v->loc, "'%s' is empty", what);
			return false;
		}
		if (v->len > 1000) {
			diag_error(diags, v->loc,
				   "'%s' is %zu bytes long; the limit is 1000",
				   what, v->len);
			return false;
		}
		return true;
	case FT_TEXT:
		for (const unsigned char *p = (const unsigned char *)s; *p;
		     p++) {
			if ((*p < 0x20 && *p != '\n' && *p != '\t') ||
			    *p == 0x7F) {
				diag_error(diags, v->loc,
					   "'%s' contains control character "
					   "0x%02X",
					   what, *p);
				return false;
			}
		}
		return true;
	default:
		return true;
	}
}

/* Orders positions of a list (arg) by item, then by position. */
static int S_position_compare(const void *pa, const void *pb, void *arg)
{
	const struct strlist *list = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = strcmp(list->items[a], list->items[b]);
	return c ? c : (a > b) - (a < b);
}

/* Reports every repeat of an item (at the repeat) and drops it, keeping the
 * first occurrence and the order; sorting keeps this O(n log n) for lists
 * of any length. Returns the number of errors. */
static size_t S_drop_duplicates(struct strlist *list, const char *name,
				struct diags *diags)
{
	if (list->count < 2)
		return 0;
	size_t *pos = xcalloc(list->count, sizeof(*pos));
	bool *drop = xcalloc(list->count, sizeof(*drop));
	for (size_t i = 0; i < list->count; i++)
		pos[i] = i;
	qsort_r(pos, list->count, sizeof(*pos), S_position_compare, list);
	size_t errors = 0;
	for (size_t i = 1; i < list->count; i++)
		if (strcmp(list->items[pos[i]], list->items[pos[i - 1]]) == 0)
			drop[pos[i]] = true;
	size_t kept = 0;
	for (size_t i = 0; i < list->count; i++) {
		if (drop[i]) {
			diag_error(diags, list->locs[i],
				   "'%s' appears twice in '%s'", list->items[i],
				   name);
			errors++;
			free(list->items[i]);
			continue;
		}
		list->items[kept] = list->items[i];
		list->locs[kept] = list->locs[i];
		kept++;
	}
	list->count = kept;
	free(pos);
	free(drop);
	return errors;
}

static size_t S_load_list(const struct field *f, const struct ynode *v,
			  void *target, struct diags *diags)
{
	struct strlist *list = (struct strlist *)((char *)target + f->offset);
	size_t errors = 0;
	if (v->kind != YNODE_SEQ) {
		diag_error(diags, v->loc, "'%s' must be a list, found %s",
			   f->name, S_kind_name(v));
		return 1;
	}
	list->items = xcalloc(v->count, sizeof(char *));
	list->locs = xcalloc(v->count, sizeof(struct loc));
	for (size_t i = 0; i < v->count; i++) {
		const struct ynode *item = v->items[i];
		if (item->kind != YNODE_SCALAR) {
			diag_error(diags, item->loc,
				   "items of '%s' must be strings, found %s",
				   f->name, S_kind_name(item));
			errors++;
			continue;
		}
		if (f->type == FT_ENUM_LIST) {
			if (!S_enum_match(f->values, item->text)) {
				S_enum_error(diags, item->loc, f, item->text);
				errors++;
				continue;
			}
		} else if (f->type == FT_MODEL_ID_LIST
			       ? !schema_is_model_id(item->text)
			       : !schema_is_id(item->text)) {
			diag_error(diags, item->loc,
				   "'%s' in '%s' is not a valid %sid",
				   item->text, f->name,
				   f->type == FT_MODEL_ID_LIST ? "model " : "");
			errors++;
			continue;
		}
		list->items[list->count] = xstrdup(item->text);
		list->locs[list->count] = item->loc;
		list->count++;
	}
	return errors + S_drop_duplicates(list, f->name, diags);
}

static size_t S_load_value(const struct field *f, const struct ynode *v,
			   void *target, struct diags *diags)
{
	char *slot = (char *)target + f->offset;
	const char *what = f->name;

	if (f->type == FT_OBJECT) {
		if (v->kind != YNODE_MAP) {
			diag_error(diags, v->loc,
				   "'%s' must be a mapping, found %s", f->name,
				   S_kind_name(v));
			return 1;
		}
		void *sub = xcalloc(1, f->sub->size);
		*(void **)slot = sub;
		return schema_load(f->sub, v, sub, diags);
	}
	if (f->type == FT_OBJECT_LIST) {
		if (v->kind != YNODE_SEQ) {
			diag_error(diags, v->loc,
				   "'%s' must be a list, found %s", f->name,
				   S_kind_name(v));
			return 1;
		}
		char *items = xcalloc(v->count, f->sub->size);
		*(void **)slot = items;
		*(size_t *)((char *)target + f->count_offset) = v->count;
		size_t errors = 0;
		for (size_t i = 0; i < v->count; i++)
			errors += schema_load(f->sub, v->items[i],
					      items + i * f->sub->size, diags);
		return errors;
	}
	if (f->type == FT_ENUM_LIST || f->type == FT_ID_LIST ||
	    f->type == FT_MODEL_ID_LIST)
		return S_load_list(f, v, target, diags);
	if (v->kind != YNODE_SCALAR) {
		diag_error(diags, v->loc,
			   "'%s' must be a single value, found %s", f->name,
			   S_kind_name(v));
		return 1;
	}
	switch (f->type) {
	case FT_INT: {
		if (!v->plain || !S_is_decimal(v->text, false)) {
			diag_error(diags, v->loc,
				   "'%s' must be a whole number, found '%s'",
				   f->name, v->text);
			return 1;
		}
		errno = 0;
		long n = strtol(v->text, NULL, 10);
		if (errno || n < f->min || n > f->max) {
			diag_error(diags, v->loc,
				   "'%s' must be between %ld and %ld, found %s",
				   f->name, f->min, f->max, v->text);
			return 1;
		}
		*(long *)slot = n;
		return 0;
	}
	case FT_NUMBER: {
		if (!v->plain || !S_is_decimal(v->text, true)) {
			diag_error(diags, v->loc,
				   "'%s' must be a number, found '%s'", f->name,
				   v->text);
			return 1;
		}
		double d = strtod(v->text, NULL);
		if (!isfinite(d) || d < 0 || d > 1e9) {
			diag_error(diags, v->loc,
				   "'%s' must be a finite number between 0 "
				   "and 1e9, found %s",
				   f->name, v->text);
			return 1;
		}
		*(double *)slot = d == 0 ? 0.0 : d; /* no negative zero */
		return 0;
	}
	case FT_BOOL:
		if (v->plain && strcmp(v->text, "true") == 0) {
			*(int *)slot = 1;
		} else if (v->plain && strcmp(v->text, "false") == 0) {
			*(int *)slot = 0;
		} else {
			diag_error(diags, v->loc,
				   "'%s' must be true or false, found '%s'",
				   f->name, v->text);
			return 1;
		}
		return 0;
	case FT_ENUM:
		if (!S_enum_match(f->values, v->text)) {
			S_enum_error(diags, v->loc, f, v->text);
			return 1;
		}
		*(char **)slot = xstrdup(v->text);
		return 0;
	default:
		if (!S_check_text(f, v, what, diags))
			return 1;
		*(char **)slot = xstrdup(v->text);
		return 0;
	}
}

/* Fields whose presence schema_load tracks in a table (others: a
 * search of the mapping). */
#define S_FIELDS_MAX 64

size_t schema_load(const struct schema *schema, const struct ynode *node,
		   void *target, struct diags *diags)
{
	size_t errors = 0;
	*(struct loc *)((char *)target + schema->loc_offset) = node->loc;
	for (size_t i = 0; i < schema->n_fields; i++)
		S_set_absent(&schema->fields[i], target);
	if (node->kind != YNODE_MAP) {
		diag_error(diags, node->loc, "a %s must be a mapping, found %s",
			   schema->name, S_kind_name(node));
		return 1;
	}
	/* which fields the mapping has (field names are unique) */
	bool seen[S_FIELDS_MAX] = {false};
	for (size_t k = 0; k < node->count; k++) {
		const struct ynode *key = node->keys[k];
		const struct ynode *value = node->items[k];
		const struct field *f = NULL;
		for (size_t i = 0; i < schema->n_fields; i++)
			if (strcmp(schema->fields[i].name, key->text) == 0) {
				f = &schema->fields[i];
				if (i < S_FIELDS_MAX)
					seen[i] = true;
				break;
			}
		if (!f) {
			const char *close = NULL;
			size_t best = 3;
			for (size_t i = 0; i < schema->n_fields; i++) {
				size_t d = schema_edit_distance(
				    key->text, schema->fields[i].name, 2);
				if (d < best &&
				    schema_close_enough(key->text, d, 2)) {
					best = d;
					close = schema->fields[i].name;
				}
			}
			if (close)
				diag_error(diags, key->loc,
					   "unknown key '%s' in %s; did you "
					   "mean '%s'?",
					   key->text, schema->name, close);
			else
				diag_error(diags, key->loc,
					   "unknown key '%s' in %s", key->text,
					   schema->name);
			errors++;
			continue;
		}
		if (S_is_null(value)) {
			if (f->required) {
				diag_error(diags, value->loc,
					   "'%s' has no value", f->name);
				errors++;
			}
			continue;
		}
		if (f->loc_offset)
			*(struct loc *)((char *)target + f->loc_offset - 1) =
			    value->loc;
		errors += S_load_value(f, value, target, diags);
	}
	for (size_t i = 0; i < schema->n_fields; i++) {
		const struct field *f = &schema->fields[i];
		bool has = i < S_FIELDS_MAX ? seen[i]
					    : ynode_get(node, f->name) != NULL;
		if (f->required && !has) {
			diag_error(diags, node->loc,
				   "%s is missing required key '%s'",
				   schema->name, f->name);
			errors++;
		}
	}
	return errors;
}

void schema_release(const struct schema *schema, void *target)
{
	for (size_t i = 0; i < schema->n_fields; i++) {
		const struct field *f = &schema->fields[i];
		char *slot = (char *)target + f->offset;
		switch (f->type) {
		case FT_INT:
		case FT_NUMBER:
		case FT_BOOL:
			break;
		case FT_ENUM_LIST:
		case FT_ID_LIST:
		case FT_MODEL_ID_LIST: {
			struct strlist *list = (struct strlist *)slot;
			for (size_t k = 0; k < list->count; k++)
				free(list->items[k]);
			free(list->items);
			free(list->locs);
			break;
		}
		case FT_OBJECT: {
			void *sub = *(void **)slot;
			if (sub) {
				schema_release(f->sub, sub);
				free(sub);
			}
			break;
		}
		case FT_OBJECT_LIST: {
			char *items = *(char **)slot;
			size_t n =
			    *(size_t *)((char *)target + f->count_offset);
			for (size_t k = 0; k < n; k++)
				schema_release(f->sub,
					       items + k * f->sub->size);
			free(items);
			break;
		}
		default:
			free(*(char **)slot);
			break;
		}
	}
}

/* ---- JSON Schema ---- */

static json_t *S_enum_json(const char *const *values)
{
	json_t *arr = json_array();
	for (size_t i = 0; values[i]; i++)
		json_array_append_new(arr, json_string(values[i]));
	return arr;
}

static json_t *S_object_json(const struct schema *schema);

static json_t *S_field_json(const struct field *f)
{
	json_t *j = json_object();
	switch (f->type) {
	case FT_ID:
		json_object_set_new(j, "type", json_string("string"));
		json_object_set_new(j, "pattern",
				    json_string("^[a-z0-9][a-z0-9-]*$"));
		json_object_set_new(j, "maxLength", json_integer(100));
		break;
	case FT_MODEL_ID:
		json_object_set_new(j, "type", json_string("string"));
		json_object_set_new(
		    j, "pattern",
		    json_string("^(?!.*\\.\\.)[a-z0-9][a-z0-9.-]*$"));
		json_object_set_new(j, "maxLength", json_integer(100));
		break;
	case FT_LINE:
		json_object_set_new(j, "type", json_string("string"));
		json_object_set_new(
		    j, "pattern", json_string("^[^\\u0000-\\u001f\\u007f]*$"));
		json_object_set_new(j, "minLength", json_integer(1));
		json_object_set_new(j, "maxLength", json_integer(1000));
		break;
	case FT_TEXT:
		json_object_set_new(j, "type", json_string("string"));
		break;
	case FT_URL:
		json_object_set_new(j, "type", json_string("string"));
		json_object_set_new(
		    j, "pattern",
		    json_string("^https?://[^/:@\\s\"<>`\\\\{}|^][^\\s\"<>`"
				"\\\\{}|^]*$"));
		json_object_set_new(j, "maxLength", json_integer(2048));
		break;
	case FT_DATE:
		json_object_set_new(j, "type", json_string("string"));
		json_object_set_new(j, "format", json_string("date"));
		json_object_set_new(
		    j, "pattern", json_string("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"));
		break;
	case FT_ENV:
		json_object_set_new(j, "type", json_string("string"));
		json_object_set_new(j, "pattern",
				    json_string("^[A-Z_][A-Z0-9_]*$"));
		break;
	case FT_ENUM:
		json_object_set_new(j, "enum", S_enum_json(f->values));
		break;
	case FT_ENUM_LIST: {
		json_t *items = json_object();
		json_object_set_new(items, "enum", S_enum_json(f->values));
		json_object_set_new(j, "type", json_string("array"));
		json_object_set_new(j, "items", items);
		json_object_set_new(j, "uniqueItems", json_true());
		break;
	}
	case FT_ID_LIST:
	case FT_MODEL_ID_LIST: {
		json_t *items = json_object();
		json_object_set_new(items, "type", json_string("string"));
		json_object_set_new(
		    items, "pattern",
		    json_string(f->type == FT_ID_LIST
				    ? "^[a-z0-9][a-z0-9-]*$"
				    : "^(?!.*\\.\\.)[a-z0-9][a-z0-9.-]*$"));
		json_object_set_new(j, "type", json_string("array"));
		json_object_set_new(j, "items", items);
		json_object_set_new(j, "uniqueItems", json_true());
		break;
	}
	case FT_INT:
		json_object_set_new(j, "type", json_string("integer"));
		json_object_set_new(j, "minimum", json_integer(f->min));
		json_object_set_new(j, "maximum", json_integer(f->max));
		break;
	case FT_NUMBER:
		json_object_set_new(j, "type", json_string("number"));
		json_object_set_new(j, "minimum", json_integer(0));
		json_object_set_new(j, "maximum", json_real(1e9));
		break;
	case FT_BOOL:
		json_object_set_new(j, "type", json_string("boolean"));
		break;
	case FT_OBJECT:
		json_decref(j);
		j = S_object_json(f->sub);
		break;
	case FT_OBJECT_LIST:
		json_object_set_new(j, "type", json_string("array"));
		json_object_set_new(j, "items", S_object_json(f->sub));
		break;
	}
	if (f->description)
		json_object_set_new(j, "description",
				    json_string(f->description));
	return j;
}

static json_t *S_object_json(const struct schema *schema)
{
	json_t *obj = json_object();
	json_t *props = json_object();
	json_t *required = json_array();
	json_object_set_new(obj, "type", json_string("object"));
	for (size_t i = 0; i < schema->n_fields; i++) {
		const struct field *f = &schema->fields[i];
		json_object_set_new(props, f->name, S_field_json(f));
		if (f->required)
			json_array_append_new(required, json_string(f->name));
	}
	json_object_set_new(obj, "properties", props);
	json_object_set_new(obj, "required", required);
	json_object_set_new(obj, "additionalProperties", json_false());
	if (schema == &S_offer) {
		/* a price needs its source and the day it was checked */
		json_t *dep = json_pack("[s,s]", "source", "checked");
		json_t *deps = json_object();
		json_object_set(deps, "input", dep);
		json_object_set(deps, "output", dep);
		json_object_set(deps, "cached_input", dep);
		json_decref(dep);
		json_object_set_new(obj, "dependentRequired", deps);
	}
	return obj;
}

json_t *schema_to_json(const struct schema *schema)
{
	json_t *root = S_object_json(schema);
	json_object_set_new(root, "$schema",
			    json_string("https://json-schema.org/draft/2020-12/"
					"schema"));
	json_object_set_new(root, "title", json_string(schema->title));
	return root;
}

/* `stackmap schema NAME`: print one JSON Schema, as committed under
 * catalog/schema/. */
int schema_run(const struct options *opt)
{
	const struct schema *s = NULL;
	const char *name = opt->schema_name;
	if (strcmp(name, "vendor") == 0)
		s = &schema_vendor;
	else if (strcmp(name, "model") == 0)
		s = &schema_model;
	else if (strcmp(name, "site") == 0)
		s = &schema_site;
	else if (strcmp(name, "primer") == 0)
		s = &schema_primer;
	if (!s) {
		fprintf(stderr,
			"stackmap: no schema named '%s' (vendor, model, "
			"site, primer)\n",
			name);
		return EXIT_USAGE;
	}
	json_t *j = schema_to_json(s);
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	printf("%s\n", text);
	free(text);
	json_decref(j);
	return EXIT_OK;
}
