/* adapter_azure (style "azure-retail"): the unauthenticated Azure Retail
 * Prices API, GET {base}?$filter=…, where base is
 * https://prices.azure.com/api/retail/prices. It answers {"Items":[…],
 * "NextPageLink":"…"} 100 meters a page; pages follow NextPageLink until
 * it is null or empty (at most ADAPTER_MAX_PAGES).
 *
 * The filter asks for the consumption (pay-as-you-go) meters of the
 * "AI + Machine Learning" service family in one region, ctx->region or
 * eastus. The family rather than serviceName: Azure has moved the model
 * meters between service names ("Cognitive Services", then "Foundry
 * Models"), never out of the family.
 *
 * The API lists meters, not models, so the adapter groups them. Each
 * meter's name is lower-cased and split at spaces, '-' and '_'
 * ("gpt-4o-0806-Inp-glbl Tokens", "gpt 4.1 cached Inp regnl Tokens",
 * "5.4 inp Gl 1M Tokens"), and:
 * - only token meters count: a word "tokens"; currencyCode USD, type
 *   Consumption and armRegionName equal to the region when present;
 * - meters of another kind of use are skipped when any word says so:
 *   batch (also run together, "BatchOutp"), fine-tuning (ft), training,
 *   hosting, provisioned (prov, ptu), priority processing (pp), the
 *   long-context band (longco), audio/realtime/image/speech (aud, rt,
 *   realtime, img, image, tts, tcrb), flex and cache writes;
 * - the slot is cached input when a word says cached (cached, cchd, cd,
 *   …), else output (outp, output, opt, out, otpt), else input (inp,
 *   inpt, input); a meter naming none is skipped;
 * - the model id is the words before the first qualifier (a slot word, a
 *   deployment word, std, shortco, tokens, or a unit such as "1m"),
 *   joined with '-': "gpt 4o 0513 Input global" gives "gpt-4o-0513".
 *   The GPT-5 product line names meters by bare version ("5.4 inp Gl"),
 *   so an id starting with a digit gets "gpt-" when productName says GPT;
 * - the price is retailPrice per unitOfMeasure ("1K", "1M", "10K"…)
 *   scaled to per 1M; an unknown unit is skipped;
 * - a model can have Global (glbl, global, gl), Regional (regnl) and
 *   Data Zone (dz, datazone, "data zone") meters: the Global price wins
 *   over any other, whatever the page order; otherwise the first price
 *   seen for a slot stays.
 * Names are not guessed: entries have no display name and no context. */
#include <ctype.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "adapter_util.h"
#include "xalloc.h"

#define AZURE_DEFAULT_BASE "https://prices.azure.com/api/retail/prices"
#define AZURE_DEFAULT_REGION "eastus"
#define AZURE_MAX_WORDS 24
#define AZURE_LINK_MAX 4096

enum S_slot { SLOT_NONE, SLOT_INPUT, SLOT_OUTPUT, SLOT_CACHED };

/* One token meter, understood. */
struct S_meter {
	struct buf id;
	enum S_slot slot;
	bool global;
	int shift; /* price per unit * 10^shift = price per 1M */
};

static const char *S_region(const struct adapter_ctx *ctx)
{
	return ctx->region && *ctx->region ? ctx->region : AZURE_DEFAULT_REGION;
}

static bool S_in(const char *w, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(w, *set) == 0)
			return true;
	return false;
}

static bool S_starts(const char *w, const char *prefix)
{
	return strncmp(w, prefix, strlen(prefix)) == 0;
}

static bool S_excluded(const char *w)
{
	static const char *const set[] = {
	    "ft",	"finetune",   "finetuned",   "training", "hosting",
	    "hosted",	"prov",	      "provisioned", "ptu",	 "pp",
	    "priority", "longco",     "aud",	     "audio",	 "rt",
	    "realtime", "img",	      "image",	     "images",	 "tts",
	    "tcrb",	"transcribe", "flex",	     "write",	 "creation",
	    NULL};
	return strstr(w, "batch") || S_in(w, set);
}

static bool S_cached_word(const char *w)
{
	size_t n = strlen(w);
	return strstr(w, "cach") || strcmp(w, "cd") == 0 ||
	       (n >= 3 && strcmp(w + n - 3, "chd") == 0);
}

static bool S_output_word(const char *w)
{
	return S_starts(w, "outp") || S_starts(w, "output") ||
	       S_starts(w, "otpt") || strcmp(w, "out") == 0 ||
	       strcmp(w, "opt") == 0;
}

static bool S_input_word(const char *w)
{
	return S_starts(w, "inp");
}

static bool S_global_word(const char *w)
{
	static const char *const set[] = {"glbl", "global", "gl", NULL};
	return S_in(w, set);
}

static bool S_deploy_word(const char *w)
{
	static const char *const set[] = {"regnl",    "regional", "dz",	  "dzn",
					  "datazone", "data",	  "zone", NULL};
	return S_global_word(w) || S_in(w, set);
}

/* A unit word such as "1m" or "1k". */
static bool S_unit_word(const char *w)
{
	if (!isdigit((unsigned char)*w))
		return false;
	while (isdigit((unsigned char)*w))
		w++;
	return (w[0] == 'k' || w[0] == 'm') && w[1] == '\0';
}

static bool S_qualifier(const char *w)
{
	static const char *const set[] = {"std",    "standard", "shortco",
					  "tokens", "token",	NULL};
	return S_cached_word(w) || S_output_word(w) || S_input_word(w) ||
	       S_deploy_word(w) || S_unit_word(w) || S_in(w, set);
}

/* The power of ten that turns a price per unitOfMeasure into a price per
 * 1M tokens ("1K" gives 3, "1M" 0, "10K" 2), or -100 when the unit is
 * not a power of ten of tokens. */
static int S_unit_shift(const char *unit)
{
	int e = 0;

	if (!unit || *unit != '1')
		return -100;
	for (unit++; *unit == '0'; unit++)
		e++;
	if (*unit == 'K' || *unit == 'k')
		e += 3, unit++;
	else if (*unit == 'M' || *unit == 'm')
		e += 6, unit++;
	if (*unit != '\0' && strcasecmp(unit, " tokens") != 0)
		return -100;
	return e > 12 ? -100 : 6 - e;
}

/* Reads one Items[] element into m. Returns true when it is a token
 * meter of the region this adapter keeps (see the file comment). */
static bool S_meter_read(json_t *item, const char *region, struct S_meter *m)
{
	const char *name = adapter_member_text(item, "meterName");
	const char *arm = adapter_member_text(item, "armRegionName");
	const char *currency = adapter_member_text(item, "currencyCode");
	const char *type = adapter_member_text(item, "type");
	const char *product = adapter_member_text(item, "productName");
	char lower[ADAPTER_TEXT_MAX + 1];
	char *words[AZURE_MAX_WORDS];
	size_t n = 0;
	size_t model_end = 0;
	bool tokens = false;
	char *save = NULL;

	if (!name || !arm || strcasecmp(arm, region) != 0 ||
	    (currency && strcmp(currency, "USD") != 0) ||
	    (type && strcmp(type, "Consumption") != 0))
		return false;
	m->shift = S_unit_shift(adapter_member_text(item, "unitOfMeasure"));
	if (m->shift == -100)
		return false;

	size_t len = strlen(name);
	for (size_t i = 0; i <= len; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	for (char *w = strtok_r(lower, " -_", &save); w;
	     w = strtok_r(NULL, " -_", &save)) {
		if (n == AZURE_MAX_WORDS || S_excluded(w))
			return false;
		words[n++] = w;
	}

	m->slot = SLOT_NONE;
	m->global = false;
	while (model_end < n && !S_qualifier(words[model_end]))
		model_end++;
	for (size_t i = 0; i < n; i++) {
		const char *w = words[i];
		if (strcmp(w, "tokens") == 0 || strcmp(w, "token") == 0)
			tokens = true;
		if (S_global_word(w))
			m->global = true;
		if (S_cached_word(w))
			m->slot = SLOT_CACHED;
		else if (S_output_word(w) && m->slot != SLOT_CACHED)
			m->slot = SLOT_OUTPUT;
		else if (S_input_word(w) && m->slot == SLOT_NONE)
			m->slot = SLOT_INPUT;
	}
	if (!tokens || m->slot == SLOT_NONE || model_end == 0)
		return false;

	buf_reset(&m->id);
	if (isdigit((unsigned char)words[0][0]) && product) {
		char p[ADAPTER_TEXT_MAX + 1];
		size_t plen = strlen(product);
		for (size_t i = 0; i <= plen; i++)
			p[i] = (char)tolower((unsigned char)product[i]);
		if (strstr(p, "gpt"))
			buf_puts(&m->id, "gpt-");
	}
	for (size_t i = 0; i < model_end; i++) {
		if (i > 0)
			buf_putc(&m->id, '-');
		buf_puts(&m->id, words[i]);
	}
	return true;
}

/* Stores one meter's price in out: a Global price replaces whatever the
 * slot held; any other fills the slot only while it is unknown. */
static void S_meter_store(struct S_meter *m, double price, struct listing *out)
{
	const char *id = buf_cstr(&m->id);
	struct listing_entry *e = listing_find(out, id);
	if (!e)
		e = listing_add(out, id);
	double *slot = m->slot == SLOT_INPUT	? &e->input
		       : m->slot == SLOT_OUTPUT ? &e->output
						: &e->cached_input;
	if (isnan(price))
		return;
	if (m->global || isnan(*slot))
		*slot = price;
}

/* The host of an http(s) URL, without user info or port, into host. */
static void S_host(const char *url, struct buf *host)
{
	const char *p = strstr(url, "://");
	buf_reset(host);
	if (!p)
		return;
	p += 3;
	size_t n = strcspn(p, "/?#");
	const char *at = memchr(p, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	const char *colon = memchr(p, ':', n);
	if (colon)
		n = (size_t)(colon - p);
	buf_append(host, p, n);
}

/* Whether link may be followed from base: same scheme, same host (a page
 * link must not send us elsewhere), no blanks or control characters. */
static bool S_link_ok(const char *base, const char *link)
{
	struct buf a = BUF_INIT;
	struct buf b = BUF_INIT;
	bool ok = false;

	if (strlen(link) > AZURE_LINK_MAX)
		goto out;
	for (const char *p = link; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			goto out;
	const char *scheme_end = strstr(base, "://");
	if (!scheme_end ||
	    strncmp(base, link, (size_t)(scheme_end - base) + 3) != 0)
		goto out;
	S_host(base, &a);
	S_host(link, &b);
	ok = a.len > 0 && strcasecmp(buf_cstr(&a), buf_cstr(&b)) == 0;
out:
	buf_release(&a);
	buf_release(&b);
	return ok;
}

static int S_first_request(const struct adapter_ctx *ctx,
			   struct http_request *req, struct buf *err)
{
	struct buf url = BUF_INIT;
	struct buf filter = BUF_INIT;
	int rc = -1;

	if (!adapter_region_ok(S_region(ctx))) {
		buf_puts(err, "the Azure region is not a region name");
		goto out;
	}
	if (adapter_url_base(ctx, AZURE_DEFAULT_BASE, "", &url, err) < 0)
		goto out;
	buf_printf(&filter,
		   "serviceFamily eq 'AI + Machine Learning' and "
		   "priceType eq 'Consumption' and armRegionName eq '%s'",
		   S_region(ctx));
	buf_puts(&url, strchr(buf_cstr(&url), '?') ? "&$filter=" : "?$filter=");
	adapter_url_encode(&url, buf_cstr(&filter));
	req->url = buf_detach(&url, NULL);
	rc = 0;
out:
	buf_release(&url);
	buf_release(&filter);
	return rc;
}

static int S_parse_page(const struct adapter_ctx *ctx, const char *body,
			size_t len, struct listing *out,
			struct http_request *next, struct buf *err)
{
	json_t *root = NULL;
	struct S_meter m = {BUF_INIT, SLOT_NONE, false, 0};
	int rc = -1;

	if (adapter_json_parse(body, len, &root, err) < 0)
		goto out;
	json_t *items = json_object_get(root, "Items");
	if (!json_is_array(items)) {
		buf_puts(err, "expected a JSON object with an 'Items' array");
		goto out;
	}
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *item = json_array_get(items, i);
		if (!json_is_object(item) ||
		    !S_meter_read(item, S_region(ctx), &m))
			continue;
		S_meter_store(
		    &m,
		    adapter_json_price(json_object_get(item, "retailPrice"),
				       m.shift),
		    out);
	}

	json_t *link = json_object_get(root, "NextPageLink");
	if (json_is_string(link) && json_string_length(link) > 0) {
		const char *base = ctx->base_url && *ctx->base_url
				       ? ctx->base_url
				       : AZURE_DEFAULT_BASE;
		if (strlen(json_string_value(link)) !=
			json_string_length(link) ||
		    !S_link_ok(base, json_string_value(link))) {
			buf_puts(
			    err,
			    "NextPageLink points away from the prices API");
			goto out;
		}
		next->url = xstrdup(json_string_value(link));
		if (adapter_next_check(ctx, next, err) < 0)
			goto out;
	} else if (link && !json_is_null(link) && !json_is_string(link)) {
		buf_puts(err, "NextPageLink is not a string");
		goto out;
	}
	rc = 0;
out:
	buf_release(&m.id);
	json_decref(root);
	return rc;
}

const struct adapter adapter_azure = {
    .style = "azure-retail",
    .first_request = S_first_request,
    .parse_page = S_parse_page,
};
