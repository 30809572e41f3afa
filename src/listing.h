/* listing: what one vendor's API says it serves, in one shape for every
 * adapter. Prices are USD per 1M tokens; NAN means the API gave none.
 * context is in tokens, -1 when unknown.
 *
 * Ownership: struct listing is caller-owned (listing_init/listing_release)
 * and owns its entries and their strings. */
#ifndef STACKMAP_LISTING_H
#define STACKMAP_LISTING_H

#include <stdbool.h>
#include <stddef.h>

struct listing_entry {
	char *id;   /* the vendor's own model id, never NULL */
	char *name; /* display name, NULL when the API gives none */
	long context;
	double input;
	double output;
	double cached_input;
};

struct listing {
	struct listing_entry *items;
	size_t count;
	size_t cap;
};

void listing_init(struct listing *l);
void listing_release(struct listing *l);
/* Appends an entry with id copied and every other field unknown; returns it
 * so the caller can fill in what the API gave. */
struct listing_entry *listing_add(struct listing *l, const char *id);
/* The entry whose id equals id (bytewise), or NULL. Borrowed: valid until
 * the listing next changes. Linear in the number of entries. */
struct listing_entry *listing_find(struct listing *l, const char *id);
/* Sorts by id (bytewise) and drops exact-duplicate ids, keeping the first. */
void listing_sort(struct listing *l);

/* Formats a price the one way stackmap records prices (snapshot, diffs):
 * rounded to 6 decimal places, trailing zeros removed, so 0.15 is
 * "0.15", 3.9e-7*1e6 is "0.39", 2 is "2", and a value that rounds to zero is
 * "0", never "-0". NAN (and any non-finite value) gives "". Writes at most 32
 * bytes into out. Returns out. */
char *listing_format_price(double usd_per_million, char out[32]);

/* The same text, padded to at least two decimals as money is read
 * ("0.1" is "0.10", "2" is "2.00", "0.135" stays): what pages, exports and
 * `choose` show. The snapshot and diffs keep listing_format_price's. */
char *listing_format_price_display(double usd_per_million, char out[32]);

/* Rounds a price to the printed precision (6 decimals), so that stored
 * values compare equal exactly when their printed forms are equal. NAN
 * stays NAN; -0 becomes 0. */
double listing_round_price(double usd_per_million);

/* A live price further than this fraction from the declared one is
 * reported by probe and shown beside the declared one by build. */
#define LISTING_PRICE_TOLERANCE 0.10

/* Whether live differs from declared by more than LISTING_PRICE_TOLERANCE
 * of declared, both taken at the printed precision (so that exactly 10%
 * is within, whatever the binary noise); any change from 0 differs.
 * Unknown (NAN) prices never differ. */
bool listing_price_far(double declared, double live);

#endif
