#include "diff.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_check.h"
#include "exitcode.h"
#include "fsutil.h"
#include "listing.h"
#include "options.h"
#include "snapshot.h"
#include "xalloc.h"

static const char *const S_fields[] = {"input", "output", "cached_input"};

static json_t *S_number(double v)
{
	return isfinite(v) ? json_real(listing_round_price(v)) : json_null();
}

static json_t *S_model_entry(const char *id, const json_t *model)
{
	json_t *price = json_object_get(model, "price");
	struct snapshot_price p;
	snapshot_price_get(price, &p);
	return json_pack("{s:s, s:{s:o, s:o, s:o}}", "model", id, "price",
			 "input", S_number(p.input), "output",
			 S_number(p.output), "cached_input",
			 S_number(p.cached_input));
}

/* Appends to changes every price field of id that differs. */
static void S_price_changes(json_t *changes, const char *id,
			    const json_t *old_model, const json_t *new_model)
{
	struct snapshot_price a, b;
	snapshot_price_get(json_object_get(old_model, "price"), &a);
	snapshot_price_get(json_object_get(new_model, "price"), &b);
	double olds[] = {a.input, a.output, a.cached_input};
	double news[] = {b.input, b.output, b.cached_input};
	for (size_t f = 0; f < 3; f++) {
		double o = olds[f], n = news[f];
		if (isnan(o) && isnan(n))
			continue;
		if (!isnan(o) && !isnan(n) &&
		    listing_round_price(o) == listing_round_price(n))
			continue;
		/* from the prices as printed, so a price shown as 0 gives no
		 * percentage */
		double ro = isnan(o) ? NAN : listing_round_price(o);
		double rn = isnan(n) ? NAN : listing_round_price(n);
		double pct = !isnan(ro) && !isnan(rn) && ro != 0
				 ? round((rn - ro) / ro * 10000) / 100
				 : NAN;
		json_t *percent = isfinite(pct) ? json_real(pct) : json_null();
		json_array_append_new(
		    changes, json_pack("{s:s, s:s, s:o, s:o, s:o}", "model", id,
				       "field", S_fields[f], "old", S_number(o),
				       "new", S_number(n), "percent", percent));
	}
}

static int S_compare_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of objects a and b together, sorted and unique; the strings are
 * borrowed from a and b. Caller frees the array. */
static const char **S_keys(const json_t *a, const json_t *b, size_t *n)
{
	const json_t *objs[] = {a, b};
	size_t cap = json_object_size(a) + json_object_size(b), m = 0;
	const char **keys = xcalloc(cap ? cap : 1, sizeof(*keys));
	for (size_t i = 0; i < 2; i++) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)objs[i], k, v) keys[m++] = k;
	}
	qsort(keys, m, sizeof(*keys), S_compare_keys);
	*n = 0;
	for (size_t i = 0; i < m; i++)
		if (*n == 0 || strcmp(keys[*n - 1], keys[i]) != 0)
			keys[(*n)++] = keys[i];
	return keys;
}

/* The changes of one vendor, or NULL when there are none. */
static json_t *S_vendor_changes(const json_t *old_vendor,
				const json_t *new_vendor, size_t counts[3])
{
	const json_t *om = json_object_get(old_vendor, "models");
	const json_t *nm = json_object_get(new_vendor, "models");
	json_t *added = json_array(), *removed = json_array(),
	       *prices = json_array();
	size_t n;
	const char **ids = S_keys(om, nm, &n);
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_object_get(om, ids[i]);
		const json_t *m = json_object_get(nm, ids[i]);
		if (!o)
			json_array_append_new(added, S_model_entry(ids[i], m));
		else if (!m)
			json_array_append_new(removed,
					      S_model_entry(ids[i], o));
		else
			S_price_changes(prices, ids[i], o, m);
	}
	free(ids);
	counts[0] += json_array_size(added);
	counts[1] += json_array_size(removed);
	counts[2] += json_array_size(prices);
	if (!json_array_size(added) && !json_array_size(removed) &&
	    !json_array_size(prices)) {
		json_decref(added);
		json_decref(removed);
		json_decref(prices);
		return NULL;
	}
	return json_pack("{s:o, s:o, s:o}", "added", added, "removed", removed,
			 "price_changes", prices);
}

json_t *diff_snapshots(const json_t *old_snap, const json_t *new_snap)
{
	const json_t *ov = json_object_get(old_snap, "vendors");
	const json_t *nv = json_object_get(new_snap, "vendors");
	json_t *vendors = json_object();
	size_t counts[3] = {0, 0, 0}, n;
	const char **ids = S_keys(ov, nv, &n);
	for (size_t i = 0; i < n; i++) {
		json_t *c =
		    S_vendor_changes(json_object_get(ov, ids[i]),
				     json_object_get(nv, ids[i]), counts);
		if (c)
			json_object_set_new(vendors, ids[i], c);
	}
	free(ids);
	return json_pack("{s:o, s:{s:I, s:I, s:I}}", "vendors", vendors,
			 "counts", "added", (json_int_t)counts[0], "removed",
			 (json_int_t)counts[1], "price_changes",
			 (json_int_t)counts[2]);
}

/* ---- Markdown ------------------------------------------------------------ */

/* Appends s as plain text: ASCII punctuation but '-' and '.' escaped, line
 * breaks as spaces, so that a vendor id from a hostile snapshot cannot
 * become HTML, a link or a heading of its own. */
static void S_md_text(struct buf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			buf_putc(out, ' ');
		else if (ispunct(*p) && *p != '-' && *p != '.')
			buf_printf(out, "\\%c", *p);
		else
			buf_putc(out, (char)*p);
	}
}

/* Appends s as a code span that survives backticks, pipes (inside tables)
 * and line breaks in ids that come from vendors' APIs. */
static void S_md_code(struct buf *out, const char *s)
{
	size_t ticks = 0, run = 0;
	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > ticks)
			ticks = run;
	}
	for (size_t i = 0; i <= ticks; i++)
		buf_putc(out, '`');
	if (ticks)
		buf_putc(out, ' ');
	for (const char *p = s; *p; p++) {
		if (*p == '|')
			buf_puts(out, "\\|");
		else
			buf_putc(out, (unsigned char)*p < 0x20 ? ' ' : *p);
	}
	if (ticks)
		buf_putc(out, ' ');
	for (size_t i = 0; i <= ticks; i++)
		buf_putc(out, '`');
}

static void S_md_price(struct buf *out, const json_t *v)
{
	char text[32];
	if (json_is_number(v))
		buf_puts(out, listing_format_price(json_number_value(v), text));
	else
		buf_puts(out, "n/a");
}

/* " (input 0.88, output 0.88)" for the known fields of a PRICE. */
static void S_md_prices(struct buf *out, const json_t *price)
{
	const char *sep = " (";
	for (size_t f = 0; f < 3; f++) {
		const json_t *v = json_object_get(price, S_fields[f]);
		if (!json_is_number(v))
			continue;
		buf_printf(out, "%s%s ", sep, S_fields[f]);
		S_md_price(out, v);
		sep = ", ";
	}
	if (strcmp(sep, ", ") == 0)
		buf_putc(out, ')');
}

static void S_md_models(struct buf *out, const json_t *list, const char *what)
{
	size_t i;
	const json_t *e;
	json_array_foreach(list, i, e)
	{
		buf_printf(out, "- %s ", what);
		S_md_code(out, json_string_value(json_object_get(e, "model")));
		S_md_prices(out, json_object_get(e, "price"));
		buf_putc(out, '\n');
	}
}

void diff_markdown(const json_t *changes, struct buf *out)
{
	const json_t *counts = json_object_get(changes, "counts");
	const json_t *vendors = json_object_get(changes, "vendors");
	buf_printf(
	    out,
	    "## Live listing changes\n\n%lld added, %lld removed, "
	    "%lld price changes.\n",
	    (long long)json_integer_value(json_object_get(counts, "added")),
	    (long long)json_integer_value(json_object_get(counts, "removed")),
	    (long long)json_integer_value(
		json_object_get(counts, "price_changes")));
	size_t n;
	const char **ids = S_keys(vendors, NULL, &n);
	for (size_t i = 0; i < n; i++) {
		const json_t *v = json_object_get(vendors, ids[i]);
		const json_t *prices = json_object_get(v, "price_changes");
		buf_puts(out, "\n### ");
		S_md_text(out, ids[i]);
		buf_puts(out, "\n\n");
		S_md_models(out, json_object_get(v, "added"), "added");
		S_md_models(out, json_object_get(v, "removed"), "removed");
		if (!json_array_size(prices))
			continue;
		if (json_array_size(json_object_get(v, "added")) ||
		    json_array_size(json_object_get(v, "removed")))
			buf_putc(out, '\n');
		buf_puts(out, "| Model | Price | Old | New | Change |\n"
			      "| --- | --- | ---: | ---: | ---: |\n");
		size_t k;
		const json_t *c;
		json_array_foreach(prices, k, c)
		{
			const json_t *pct = json_object_get(c, "percent");
			buf_puts(out, "| ");
			S_md_code(out, json_string_value(
					   json_object_get(c, "model")));
			buf_printf(
			    out, " | %s | ",
			    json_string_value(json_object_get(c, "field")));
			S_md_price(out, json_object_get(c, "old"));
			buf_puts(out, " | ");
			S_md_price(out, json_object_get(c, "new"));
			if (json_is_number(pct))
				buf_printf(out, " | %+.1f%% |\n",
					   json_number_value(pct));
			else
				buf_puts(out, " | n/a |\n");
		}
	}
	free(ids);
}

/* Reads a snapshot the user named; unlike snapshot_load, a missing file is
 * an error. */
static int S_read(const char *path, json_t **out)
{
	struct buf err = BUF_INIT;
	char *text = NULL;
	size_t len;
	int rc = -1;
	*out = NULL;
	if (fs_read_file(path, SNAPSHOT_MAX_BYTES, &text, &len) != 0)
		buf_printf(&err, "%s: error: cannot read the snapshot: %s",
			   path, strerror(errno));
	else
		rc = snapshot_parse(text, len, path, out, &err);
	if (rc != 0)
		fprintf(stderr, "%s\n", buf_cstr(&err));
	free(text);
	buf_release(&err);
	return rc;
}

int diff_run(const struct options *opt)
{
	json_t *old_snap = NULL, *new_snap = NULL, *changes = NULL;
	struct buf out = BUF_INIT;
	int rc = EXIT_INVALID;
	if (S_read(opt->diff_old, &old_snap) != 0 ||
	    S_read(opt->diff_new, &new_snap) != 0)
		goto out;
	if (opt->diff_check) {
		rc = diff_check_run(opt, old_snap, new_snap);
		goto out;
	}
	changes = diff_snapshots(old_snap, new_snap);
	if (opt->format && strcmp(opt->format, "json") == 0) {
		char *text = snapshot_dump(changes, NULL);
		buf_puts(&out, text);
		free(text);
	} else {
		diff_markdown(changes, &out);
	}
	rc = EXIT_OK;
	if (fwrite(buf_cstr(&out), 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "stackmap: diff: cannot write: %s\n",
			strerror(errno));
		rc = EXIT_SYSTEM;
	}
out:
	json_decref(old_snap);
	json_decref(new_snap);
	json_decref(changes);
	buf_release(&out);
	return rc;
}
