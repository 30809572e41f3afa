#include "listing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numtext.h"
#include "xalloc.h"

/* Above this magnitude a double has no fractional digits left to round
 * (its spacing exceeds 1e-6 long before), so rounding is the identity. */
#define LISTING_ROUND_LIMIT 1e9
/* Above this magnitude "%.6f" would not fit in 32 bytes. */
#define LISTING_FIXED_LIMIT 1e15

void listing_init(struct listing *l)
{
	l->items = NULL;
	l->count = 0;
	l->cap = 0;
}

static void S_entry_release(struct listing_entry *e)
{
	free(e->id);
	free(e->name);
	e->id = NULL;
	e->name = NULL;
}

void listing_release(struct listing *l)
{
	for (size_t i = 0; i < l->count; i++)
		S_entry_release(&l->items[i]);
	free(l->items);
	listing_init(l);
}

struct listing_entry *listing_add(struct listing *l, const char *id)
{
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		l->items = xrealloc(l->items, cap * sizeof(*l->items));
		l->cap = cap;
	}
	struct listing_entry *e = &l->items[l->count++];
	e->id = xstrdup(id);
	e->name = NULL;
	e->context = -1;
	e->input = NAN;
	e->output = NAN;
	e->cached_input = NAN;
	return e;
}

struct listing_entry *listing_find(struct listing *l, const char *id)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].id, id) == 0)
			return &l->items[i];
	return NULL;
}

/* An entry with its position before sorting, so that qsort (which is not
 * stable) still keeps the first of several equal ids. */
struct S_ranked {
	struct listing_entry entry;
	size_t pos;
};

static int S_ranked_cmp(const void *a, const void *b)
{
	const struct S_ranked *x = a;
	const struct S_ranked *y = b;
	int c = strcmp(x->entry.id, y->entry.id);
	if (c != 0)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void listing_sort(struct listing *l)
{
	if (l->count < 2)
		return;
	struct S_ranked *tmp = xmalloc(l->count * sizeof(*tmp));
	for (size_t i = 0; i < l->count; i++) {
		tmp[i].entry = l->items[i];
		tmp[i].pos = i;
	}
	qsort(tmp, l->count, sizeof(*tmp), S_ranked_cmp);
	size_t n = 0;
	for (size_t i = 0; i < l->count; i++) {
		if (n > 0 && strcmp(l->items[n - 1].id, tmp[i].entry.id) == 0) {
			S_entry_release(&tmp[i].entry);
			continue;
		}
		l->items[n++] = tmp[i].entry;
	}
	l->count = n;
	free(tmp);
}

double listing_round_price(double usd_per_million)
{
	double v = usd_per_million;
	if (!isfinite(v))
		return v;
	if (fabs(v) < LISTING_ROUND_LIMIT)
		v = round(v * 1e6) / 1e6;
	/* -0 and +0 print and compare alike; keep only +0. */
	return v == 0 ? 0.0 : v;
}

bool listing_price_far(double declared, double live)
{
	if (isnan(declared) || isnan(live))
		return false;
	declared = listing_round_price(declared);
	live = listing_round_price(live);
	if (declared == 0)
		return live != 0;
	return listing_round_price(fabs(live - declared)) >
	       listing_round_price(fabs(declared) * LISTING_PRICE_TOLERANCE);
}

/* Non-finite values (NAN, and the infinities no adapter stores) print as
 * the empty string: the price is not known. Magnitudes of 1e15 and more,
 * which no real price reaches, print in "%.6g" form to stay in 32 bytes. */
char *listing_format_price(double usd_per_million, char out[32])
{
	double v = listing_round_price(usd_per_million);
	if (!isfinite(v)) {
		out[0] = '\0';
		return out;
	}
	long long millionths;
	if (numtext_as_millionths(v, &millionths) == 0) {
		/* the "%.6f" text below, without printf */
		numtext_millionths(millionths, out);
		return out;
	}
	if (fabs(v) >= LISTING_FIXED_LIMIT) {
		snprintf(out, 32, "%.6g", v);
		return out;
	}
	snprintf(out, 32, "%.6f", v);
	char *dot = strchr(out, '.');
	if (dot) {
		char *end = out + strlen(out);
		while (end > dot + 1 && end[-1] == '0')
			end--;
		if (end == dot + 1)
			end = dot;
		*end = '\0';
	}
	return out;
}

char *listing_format_price_display(double usd_per_million, char out[32])
{
	listing_format_price(usd_per_million, out);
	if (!out[0] || strchr(out, 'e'))
		return out;
	char *dot = strchr(out, '.');
	size_t decimals = dot ? strlen(dot + 1) : 0;
	if (!dot)
		strcat(out, ".");
	for (; decimals < 2; decimals++)
		strcat(out, "0");
	return out;
}
