/* adapter_util: what the adapter_<style>.c files share, so that no two of
 * them parse a price, a context length or a model list their own way.
 *
 * Prices: every adapter stores USD per 1M tokens, rounded with
 * listing_round_price, and NAN when the API gave none or gave something
 * that cannot be a price (negative, NaN, infinite, absurdly large, not a
 * number). Unit conversions shift the decimal point of the text the API
 * sent, so "0.00000015" USD per token becomes exactly 0.15.
 *
 * Ownership: json_t values passed in are borrowed; strings returned point
 * into them and live as long as the JSON document. Functions that return
 * a char * return a heap string the caller frees. */
#ifndef STACKMAP_ADAPTER_UTIL_H
#define STACKMAP_ADAPTER_UTIL_H

#include <stdbool.h>

#include <jansson.h>

#include "adapter.h"
#include "buf.h"
#include "listing.h"

/* A price above this (USD per 1M tokens, i.e. $1 a token) is garbage. */
#define ADAPTER_PRICE_MAX 1e6
/* Ids and names longer than this are garbage, not model names. */
#define ADAPTER_TEXT_MAX 512

/* Every adapter; adapter.c lists them in adapter_all. */
extern const struct adapter adapter_openai;
extern const struct adapter adapter_anthropic;
extern const struct adapter adapter_gemini;
extern const struct adapter adapter_together;
extern const struct adapter adapter_openrouter;
extern const struct adapter adapter_deepinfra;
extern const struct adapter adapter_pertoken;
extern const struct adapter adapter_novita;
extern const struct adapter adapter_cloudflare;
extern const struct adapter adapter_bedrock;
extern const struct adapter adapter_azure;

/* Parses a response body. Returns 0 with *root set (caller json_decref),
 * or -1 with a message in err that says what the body looks like (e.g.
 * "response is not JSON (starts with '<')") without quoting it. */
int adapter_json_parse(const char *body, size_t len, json_t **root,
		       struct buf *err);

/* v as text fit for an id or a name: a non-empty string of at most
 * ADAPTER_TEXT_MAX bytes without control characters; otherwise NULL. */
const char *adapter_json_text(json_t *v);
/* adapter_json_text of obj's member key; NULL when obj is no object. */
const char *adapter_member_text(json_t *obj, const char *key);
/* obj's member key when obj is an object and the member is an object. */
json_t *adapter_member_object(json_t *obj, const char *key);

/* A price from a JSON number or numeric string, multiplied by 10^shift:
 * shift 6 turns USD per token into USD per 1M, 3 USD per 1K into per 1M,
 * -4 units of $0.0001 into dollars. Returns NAN for anything else. */
double adapter_json_price(json_t *v, int shift);
/* A context length from a JSON integer, an integral real or a string of
 * digits; -1 unless it is positive and fits a long. */
long adapter_json_context(json_t *v);
/* The first valid context among obj's members named by the NULL-ended
 * list of keys; -1 when none is. */
long adapter_member_context(json_t *obj, ...) __attribute__((sentinel));
/* Sets e->name from the first member of obj, in the NULL-ended list of
 * keys, that is valid text; leaves it NULL when none is. */
void adapter_entry_name(struct listing_entry *e, json_t *obj, ...)
    __attribute__((sentinel));
/* Reads an OpenRouter-style pricing object: "prompt", "completion" and
 * "input_cache_read", in USD per token, as numbers or decimal strings. */
void adapter_token_pricing(json_t *pricing, struct listing_entry *e);

/* How one API style lays out its model list. */
struct adapter_list {
	const char *array_key; /* member holding the array; NULL: bare array */
	const char *id_key;    /* member holding the model id */
	/* When set, gives the id instead of id_key (borrowed from item). */
	const char *(*id_of)(json_t *item);
	/* When set, items it rejects are not listed. */
	bool (*want)(json_t *item, const struct adapter_ctx *ctx);
	/* When set, fills in what the item says beyond its id. */
	void (*fill)(json_t *item, struct listing_entry *e,
		     const struct adapter_ctx *ctx);
};

/* Appends every item of root's model array that has a valid id to out,
 * skipping items that are not objects or have no valid id. Returns 0, or
 * -1 with "expected a JSON object with a 'data' array" (or the like) when
 * root has another shape, or "none of the N models has a usable 'id'"
 * when the array is not empty but no item has an id. */
int adapter_list_walk(const struct adapter_list *spec, json_t *root,
		      const struct adapter_ctx *ctx, struct listing *out,
		      struct buf *err);
/* adapter_json_parse, then adapter_list_walk. When root is not NULL it
 * receives the document on success (caller json_decref), for paging
 * fields; otherwise the document is freed. */
int adapter_list_parse(const struct adapter_list *spec, const char *body,
		       size_t len, const struct adapter_ctx *ctx,
		       struct listing *out, json_t **root, struct buf *err);

/* Appends s to b percent-encoded (all but RFC 3986 unreserved bytes). */
void adapter_url_encode(struct buf *b, const char *s);
/* Writes into url the base URL (ctx->base_url, else dflt) without
 * trailing slashes, followed by path. Returns 0, or -1 with err when
 * there is no base URL or it is not http(s). */
int adapter_url_base(const struct adapter_ctx *ctx, const char *dflt,
		     const char *path, struct buf *url, struct buf *err);
/* Returns 0 when s is NULL or has no control character (so it cannot
 * break a header); -1 with "<what> contains a control character". Never
 * quotes s. */
int adapter_check_secret(const char *s, const char *what, struct buf *err);
/* Whether r looks like a cloud region name ("us-east-1", "eastus2"):
 * 1 to 32 lower-case letters, digits and dashes, so that it cannot bend a
 * host name, a query or a SigV4 scope. */
bool adapter_region_ok(const char *r);
/* Fills req for GET {base}/models{query}, with "Authorization: Bearer
 * KEY" (secret) when ctx->key is set. query is "" or starts with '?'. */
int adapter_models_request(const struct adapter_ctx *ctx, const char *dflt,
			   const char *query, struct http_request *req,
			   struct buf *err);
/* Call after filling next: refuses (returns -1 with err and empties
 * next) a page past ADAPTER_MAX_PAGES or a next URL equal to
 * ctx->request_url. */
int adapter_next_check(const struct adapter_ctx *ctx, struct http_request *next,
		       struct buf *err);

#endif
