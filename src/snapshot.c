#include "snapshot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "fsutil.h"
#include "xalloc.h"

/* Every double in a snapshot is a price rounded to 6 decimals; 15
 * significant digits print those without binary noise. */
#define S_DUMP_FLAGS (JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(15))

static const char *const S_outcomes[] = {"ok", "skipped", "failed", "suspect",
					 NULL};
static const char *const S_price_keys[] = {"input", "output", "cached_input"};

const char *snapshot_outcome_name(enum snapshot_outcome o)
{
	return S_outcomes[o];
}

const char *snapshot_change_kind_name(enum snapshot_change_kind k)
{
	static const char *const names[] = {"added", "removed", "price"};
	return names[k];
}

json_t *snapshot_new(void)
{
	return json_pack("{s:i, s:{}}", "format", SNAPSHOT_FORMAT, "vendors");
}

/* ---- checking a loaded snapshot ---------------------------------------- */

enum {
	S_NULL = 1,
	S_STRING = 2,
	S_INT = 4,
	S_NUMBER = 8,
	S_BOOL = 16,
	S_OBJECT = 32,
	S_ARRAY = 64,
	S_TIME = 128, /* a string "YYYY-MM-DDTHH:MM:SSZ" */
	S_DATE = 256, /* a string "YYYY-MM-DD" */
};

/* Whether s matches pattern, where '9' stands for any digit. */
static bool S_shaped(const char *s, const char *pattern)
{
	for (; *pattern; s++, pattern++) {
		if (*pattern == '9' ? (*s < '0' || *s > '9') : *s != *pattern)
			return false;
	}
	return *s == '\0';
}

static bool S_is(const json_t *v, unsigned types)
{
	if ((types & S_NULL) && json_is_null(v))
		return true;
	if ((types & S_STRING) && json_is_string(v))
		return true;
	if ((types & S_TIME) && json_is_string(v))
		return S_shaped(json_string_value(v), "9999-99-99T99:99:99Z");
	if ((types & S_DATE) && json_is_string(v))
		return S_shaped(json_string_value(v), "9999-99-99");
	if ((types & S_INT) && json_is_integer(v))
		return true;
	if ((types & S_NUMBER) && json_is_number(v))
		return json_number_value(v) >= 0;
	if ((types & S_BOOL) && json_is_boolean(v))
		return true;
	if ((types & S_OBJECT) && json_is_object(v))
		return true;
	return (types & S_ARRAY) && json_is_array(v);
}

static void S_describe(struct buf *b, unsigned types)
{
	static const char *const names[] = {"null",
					    "a string",
					    "an integer",
					    "a number of at least 0",
					    "true or false",
					    "an object",
					    "an array",
					    "a time like 2026-11-25T10:00:00Z",
					    "a date like 2026-11-25"};
	const char *sep = "";
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(types & (1u << i)))
			continue;
		buf_printf(b, "%s%s", sep, names[i]);
		sep = " or ";
	}
}

/* Checks obj[key] against types (absent is fine unless required). On a
 * mismatch writes "where.key: expected …" into err and returns -1. */
static int S_member(const json_t *obj, const char *where, const char *key,
		    unsigned types, bool required, struct buf *err)
{
	const json_t *v = json_object_get(obj, key);
	if (v ? S_is(v, types) : !required)
		return 0;
	buf_printf(err, "%s%s%s: %s ", where, *where ? "." : "", key,
		   v ? "expected" : "missing, expected");
	S_describe(err, types);
	return -1;
}

static int S_check_price(const json_t *price, const char *where,
			 struct buf *err)
{
	for (size_t i = 0; i < 3; i++)
		if (S_member(price, where, S_price_keys[i], S_NUMBER | S_NULL,
			     false, err))
			return -1;
	return 0;
}

/* A model of a vendor's listing, or of its removed models. */
static int S_check_model(const json_t *m, struct buf *where, bool removed,
			 struct buf *err)
{
	const char *w = buf_cstr(where);
	if (!json_is_object(m)) {
		buf_printf(err, "%s: expected an object", w);
		return -1;
	}
	if (S_member(m, w, "name", S_STRING | S_NULL, false, err) ||
	    S_member(m, w, "context", S_INT | S_NULL, false, err) ||
	    S_member(m, w, "price", S_OBJECT, false, err) ||
	    S_member(m, w, "first_seen", S_DATE, false, err) ||
	    S_member(m, w, "history", S_ARRAY, false, err) ||
	    S_member(m, w, "removed", S_DATE, removed, err))
		return -1;
	size_t len = where->len;
	buf_puts(where, ".price");
	if (S_check_price(json_object_get(m, "price"), where->data, err))
		return -1;
	const json_t *history = json_object_get(m, "history");
	for (size_t i = 0; i < json_array_size(history); i++) {
		const json_t *h = json_array_get(history, i);
		where->len = len;
		buf_printf(where, ".history[%zu]", i);
		if (!json_is_object(h)) {
			buf_printf(err, "%s: expected an object", where->data);
			return -1;
		}
		if (S_member(h, where->data, "date", S_DATE, true, err) ||
		    S_check_price(h, where->data, err))
			return -1;
	}
	where->len = len;
	where->data[len] = '\0';
	return 0;
}

static int S_check_models(const json_t *v, struct buf *where,
			  const char *member, struct buf *err)
{
	const json_t *models = json_object_get(v, member);
	size_t len = where->len;
	const char *id;
	const json_t *m;
	json_object_foreach((json_t *)models, id, m)
	{
		where->len = len;
		buf_printf(where, ".%s[\"", member);
		buf_put_visible(where, id);
		buf_puts(where, "\"]");
		if (S_check_model(m, where, strcmp(member, "removed") == 0,
				  err))
			return -1;
	}
	where->len = len;
	if (where->data)
		where->data[len] = '\0';
	return 0;
}

static int S_check_vendor(const json_t *v, struct buf *where, struct buf *err)
{
	const char *w = buf_cstr(where);
	if (!json_is_object(v)) {
		buf_printf(err, "%s: expected an object", w);
		return -1;
	}
	if (S_member(v, w, "attempt", S_OBJECT, false, err) ||
	    S_member(v, w, "last_success", S_TIME | S_NULL, false, err) ||
	    S_member(v, w, "first_success", S_TIME | S_NULL, false, err) ||
	    S_member(v, w, "stale", S_BOOL, false, err) ||
	    S_member(v, w, "models", S_OBJECT, true, err) ||
	    S_member(v, w, "removed", S_OBJECT, false, err))
		return -1;
	const json_t *a = json_object_get(v, "attempt");
	if (a) {
		size_t len = where->len;
		buf_puts(where, ".attempt");
		w = where->data;
		if (S_member(a, w, "at", S_TIME, true, err) ||
		    S_member(a, w, "outcome", S_STRING, true, err) ||
		    S_member(a, w, "http_status", S_INT | S_NULL, false, err) ||
		    S_member(a, w, "error", S_STRING | S_NULL, false, err) ||
		    S_member(a, w, "ms", S_INT | S_NULL, false, err))
			return -1;
		const char *outcome =
		    json_string_value(json_object_get(a, "outcome"));
		size_t i = 0;
		while (S_outcomes[i] && strcmp(S_outcomes[i], outcome) != 0)
			i++;
		if (!S_outcomes[i]) {
			buf_printf(err, "%s.outcome: '", w);
			buf_put_visible(err, outcome);
			buf_puts(err,
				 "' is not ok, skipped, failed or suspect");
			return -1;
		}
		where->len = len;
		where->data[len] = '\0';
	}
	return S_check_models(v, where, "models", err) ||
		       S_check_models(v, where, "removed", err)
		   ? -1
		   : 0;
}

/* Checks the shape of a whole snapshot; on failure err gets "where: what". */
static int S_check(const json_t *root, struct buf *err)
{
	struct buf where = BUF_INIT;
	int rc = -1;
	if (!json_is_object(root)) {
		buf_puts(err, "a snapshot is a JSON object");
		goto out;
	}
	if (S_member(root, "", "format", S_INT, true, err) ||
	    S_member(root, "", "vendors", S_OBJECT, true, err))
		goto out;
	json_int_t format = json_integer_value(json_object_get(root, "format"));
	if (format != SNAPSHOT_FORMAT) {
		buf_printf(err, "format %lld is not the supported format %d",
			   (long long)format, SNAPSHOT_FORMAT);
		goto out;
	}
	const char *id;
	const json_t *v;
	json_object_foreach(json_object_get(root, "vendors"), id, v)
	{
		buf_reset(&where);
		buf_puts(&where, "vendors[\"");
		buf_put_visible(&where, id);
		buf_puts(&where, "\"]");
		if (S_check_vendor(v, &where, err))
			goto out;
	}
	rc = 0;
out:
	buf_release(&where);
	return rc;
}

int snapshot_parse(const char *text, size_t len, const char *path, json_t **out,
		   struct buf *err)
{
	json_error_t jerr;
	struct buf why = BUF_INIT;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	*out = NULL;
	if (!root) {
		/* jansson quotes the offending bytes: show them visibly */
		buf_printf(err, "%s:%d:%d: error: not valid JSON: ", path,
			   jerr.line > 0 ? jerr.line : 1,
			   jerr.column > 0 ? jerr.column : 1);
		buf_put_visible(err, jerr.text);
		return -1;
	}
	if (S_check(root, &why) != 0) {
		buf_printf(err, "%s: error: not a stackmap snapshot: %s", path,
			   buf_cstr(&why));
		buf_release(&why);
		json_decref(root);
		return -1;
	}
	*out = root;
	return 0;
}

int snapshot_load(const char *path, json_t **out, struct buf *err)
{
	char *text = NULL;
	size_t len = 0;
	*out = NULL;
	if (fs_read_file(path, SNAPSHOT_MAX_BYTES, &text, &len) != 0) {
		if (errno == ENOENT) {
			*out = snapshot_new();
			return 0;
		}
		buf_printf(err, "%s: error: cannot read the snapshot: %s", path,
			   strerror(errno));
		return -1;
	}
	int rc = snapshot_parse(text, len, path, out, err);
	free(text);
	return rc;
}

static int S_dump_chunk(const char *data, size_t size, void *ctx)
{
	buf_append(ctx, data, size);
	return 0;
}

char *snapshot_dump(const json_t *snap, size_t *len)
{
	struct buf b = BUF_INIT;
	if (json_dump_callback(snap, S_dump_chunk, &b, S_DUMP_FLAGS) != 0) {
		/* jansson fails only when out of memory */
		fputs("stackmap: out of memory\n", stderr);
		exit(EXIT_SYSTEM);
	}
	buf_putc(&b, '\n');
	return buf_detach(&b, len);
}

/* A buf that json_dump_callback fills, indenting every line after the
 * first by indent spaces: jansson writes a newline only between tokens
 * (never inside a string), so this gives a value's text as it reads
 * nested indent / 2 levels deeper. */
struct S_indented {
	struct buf *out;
	size_t indent;
};

static int S_dump_indented(const char *data, size_t size, void *ctx)
{
	struct S_indented *d = ctx;
	const char *nl;
	while ((nl = memchr(data, '\n', size))) {
		size_t n = (size_t)(nl - data) + 1;
		buf_append(d->out, data, n);
		for (size_t i = 0; i < d->indent; i++)
			buf_putc(d->out, ' ');
		data += n;
		size -= n;
	}
	buf_append(d->out, data, size);
	return 0;
}

/* Appends v as snapshot_dump writes it at depth indent / 2. */
static void S_dump_at(struct buf *out, const json_t *v, size_t indent)
{
	struct S_indented d = {out, indent};
	if (json_dump_callback(v, S_dump_indented, &d,
			       S_DUMP_FLAGS | JSON_ENCODE_ANY) != 0) {
		fputs("stackmap: out of memory\n", stderr);
		exit(EXIT_SYSTEM);
	}
}

char *snapshot_dump_vendor(const json_t *snap, const char *vendor_id)
{
	struct buf b = BUF_INIT;
	const json_t *v =
	    json_object_get(json_object_get(snap, "vendors"), vendor_id);
	if (!v)
		return NULL;
	S_dump_at(&b, v, 4);
	return buf_detach(&b, NULL);
}

static int S_key_compare(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* obj's keys in the order JSON_SORT_KEYS writes them; caller frees the
 * array (the keys are borrowed). */
static const char **S_sorted_keys(const json_t *obj, size_t *n)
{
	const char **keys = xcalloc(json_object_size(obj) + 1, sizeof(*keys));
	const char *key;
	json_t *v;
	*n = 0;
	json_object_foreach((json_t *)obj, key, v) keys[(*n)++] = key;
	qsort(keys, *n, sizeof(*keys), S_key_compare);
	return keys;
}

/* Appends the start of an object member at depth indent / 2, the newline,
 * indent, key and colon, as jansson writes them under S_DUMP_FLAGS. */
static void S_dump_key(struct buf *out, const char *key, size_t indent)
{
	json_t *k = json_string(key);
	buf_putc(out, '\n');
	for (size_t i = 0; i < indent; i++)
		buf_putc(out, ' ');
	S_dump_at(out, k, 0);
	buf_puts(out, ": ");
	json_decref(k);
}

char *snapshot_dump_with(const json_t *snap,
			 const char *(*dumped)(const char *vendor_id,
					       void *arg),
			 void *arg, size_t *len)
{
	const json_t *vendors = json_object_get(snap, "vendors");
	struct buf b = BUF_INIT;
	size_t n, nv;
	if (!json_is_object(snap) || !json_is_object(vendors) ||
	    json_object_size(vendors) == 0)
		return snapshot_dump(snap, len);
	const char **keys = S_sorted_keys(snap, &n);
	buf_putc(&b, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		S_dump_key(&b, keys[i], 2);
		if (strcmp(keys[i], "vendors") != 0) {
			S_dump_at(&b, json_object_get(snap, keys[i]), 2);
			continue;
		}
		const char **ids = S_sorted_keys(vendors, &nv);
		buf_putc(&b, '{');
		for (size_t j = 0; j < nv; j++) {
			const char *text = dumped ? dumped(ids[j], arg) : NULL;
			if (j)
				buf_putc(&b, ',');
			S_dump_key(&b, ids[j], 4);
			if (text)
				buf_puts(&b, text);
			else
				S_dump_at(&b, json_object_get(vendors, ids[j]),
					  4);
		}
		buf_puts(&b, "\n  }");
		free(ids);
	}
	buf_puts(&b, "\n}\n");
	free(keys);
	return buf_detach(&b, len);
}

int snapshot_save_with(const char *path, const json_t *snap,
		       const char *(*dumped)(const char *vendor_id, void *arg),
		       void *arg, struct buf *err)
{
	size_t len;
	char *text = snapshot_dump_with(snap, dumped, arg, &len);
	int rc = fs_write_atomic(path, text, len);
	if (rc != 0)
		buf_printf(err, "%s: error: cannot write the snapshot: %s",
			   path, strerror(errno));
	free(text);
	return rc;
}

int snapshot_save(const char *path, const json_t *snap, struct buf *err)
{
	return snapshot_save_with(path, snap, NULL, NULL, err);
}

/* ---- reading ------------------------------------------------------------ */

json_t *snapshot_vendor(const json_t *snap, const char *vendor_id)
{
	json_t *v =
	    json_object_get(json_object_get(snap, "vendors"), vendor_id);
	return json_is_object(v) ? v : NULL;
}

void snapshot_price_get(const json_t *price, struct snapshot_price *out)
{
	double *fields[] = {&out->input, &out->output, &out->cached_input};
	for (size_t i = 0; i < 3; i++) {
		const json_t *v = json_object_get(price, S_price_keys[i]);
		*fields[i] = json_is_number(v) ? json_number_value(v) : NAN;
	}
}

static bool S_same(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return listing_round_price(a) == listing_round_price(b);
}

bool snapshot_price_equal(const struct snapshot_price *a,
			  const struct snapshot_price *b)
{
	return S_same(a->input, b->input) && S_same(a->output, b->output) &&
	       S_same(a->cached_input, b->cached_input);
}

static bool S_price_unknown(const struct snapshot_price *p)
{
	return isnan(p->input) && isnan(p->output) && isnan(p->cached_input);
}

/* ---- recording an attempt ----------------------------------------------- */

static json_t *S_number(double v)
{
	return isfinite(v) ? json_real(listing_round_price(v)) : json_null();
}

/* Sets the three price members of obj (a PRICE or a history entry). */
static void S_price_set(json_t *obj, const struct snapshot_price *p)
{
	json_object_set_new(obj, "input", S_number(p->input));
	json_object_set_new(obj, "output", S_number(p->output));
	json_object_set_new(obj, "cached_input", S_number(p->cached_input));
}

static json_t *S_string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* Builds the model object for entry, carrying over first_seen and history
 * from prev (the model as last seen, live or removed; may be NULL). */
static json_t *S_model_new(const struct listing_entry *e, const json_t *prev,
			   const char *day, bool *repriced)
{
	struct snapshot_price p = {e->input, e->output, e->cached_input};
	json_t *m = json_object();
	json_t *history = json_array();
	json_t *price = json_object();
	const json_t *old_history = json_object_get(prev, "history");
	for (size_t i = 0; i < json_array_size(old_history); i++)
		json_array_append_new(
		    history, json_deep_copy(json_array_get(old_history, i)));
	*repriced = false;
	if (!S_price_unknown(&p)) {
		struct snapshot_price last;
		size_t n = json_array_size(history);
		snapshot_price_get(n ? json_array_get(history, n - 1) : NULL,
				   &last);
		if (!n || !snapshot_price_equal(&last, &p)) {
			json_t *h = json_pack("{s:s}", "date", day);
			S_price_set(h, &p);
			json_array_append_new(history, h);
			*repriced = n > 0;
		}
	}
	S_price_set(price, &p);
	json_t *first_seen = json_object_get(prev, "first_seen");
	json_object_set_new(m, "name", S_string_or_null(e->name));
	json_object_set_new(m, "context",
			    e->context >= 0 ? json_integer(e->context)
					    : json_null());
	json_object_set_new(m, "price", price);
	json_object_set_new(m, "history", history);
	json_object_set_new(m, "first_seen",
			    json_is_string(first_seen) &&
				    !json_object_get(prev, "removed")
				? json_copy(first_seen)
				: json_string(day));
	return m;
}

/* Replaces v's models with listing, moving models that left into
 * v.removed and bringing back the history of models that return. */
static void S_merge(json_t *v, const struct listing *listing, const char *day,
		    struct snapshot_stats *st)
{
	json_t *old = json_object_get(v, "models");
	json_t *removed = json_object_get(v, "removed");
	json_t *fresh = json_object();
	if (!json_is_object(removed)) {
		removed = json_object();
		json_object_set_new(v, "removed", removed);
	}
	for (size_t i = 0; i < listing->count; i++) {
		const struct listing_entry *e = &listing->items[i];
		if (json_object_get(fresh, e->id))
			continue;
		json_t *prev = json_object_get(old, e->id);
		json_t *gone = prev ? NULL : json_object_get(removed, e->id);
		bool repriced;
		json_object_set_new(
		    fresh, e->id,
		    S_model_new(e, prev ? prev : gone, day, &repriced));
		json_object_del(removed, e->id);
		st->added += !prev;
		st->repriced += prev && repriced;
	}
	const char *id;
	json_t *m;
	json_object_foreach(old, id, m)
	{
		if (json_object_get(fresh, id))
			continue;
		json_t *copy = json_deep_copy(m);
		json_object_set_new(copy, "removed", json_string(day));
		json_object_set_new(removed, id, copy);
		st->removed++;
	}
	json_object_set_new(v, "models", fresh);
}

/* "2026-11-25T10:00:00Z" and "2026-11-25" for t. */
static void S_format_time(time_t t, char at[32], char day[16])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(at, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	strftime(day, 16, "%Y-%m-%d", &tm);
}

void snapshot_record(json_t *snap, const char *vendor_id,
		     const struct snapshot_attempt *a,
		     const struct listing *listing, bool accept_shrink,
		     struct snapshot_stats *stats)
{
	struct snapshot_stats st = {.outcome = a->outcome};
	const char *error = a->error;
	char at[32], day[16];
	S_format_time(a->at, at, day);
	json_t *vendors = json_object_get(snap, "vendors");
	json_t *v = json_object_get(vendors, vendor_id);
	if (!v) {
		v = json_pack("{s:n, s:n, s:b, s:{}, s:{}}", "last_success",
			      "first_success", "stale", 0, "models", "removed");
		json_object_set_new(vendors, vendor_id, v);
	}
	st.previous = json_object_size(json_object_get(v, "models"));
	if (st.outcome == SNAPSHOT_OK && !accept_shrink && st.previous &&
	    listing->count * 2 < st.previous) {
		st.outcome = SNAPSHOT_SUSPECT;
		if (listing->count)
			snprintf(st.why, sizeof(st.why),
				 "the listing shrank from %zu to %zu models; "
				 "the old one was kept (--accept-shrink takes "
				 "the new one)",
				 st.previous, listing->count);
		else
			snprintf(st.why, sizeof(st.why),
				 "the listing came back empty (it had %zu "
				 "models); the old one was kept "
				 "(--accept-shrink takes the new one)",
				 st.previous);
		if (!error)
			error = st.why;
	}
	if (st.outcome == SNAPSHOT_OK) {
		S_merge(v, listing, day, &st);
		json_object_set_new(v, "last_success", json_string(at));
		if (!json_is_string(json_object_get(v, "first_success")))
			json_object_set_new(v, "first_success",
					    json_string(at));
	}
	json_object_set_new(
	    v, "attempt",
	    json_pack(
		"{s:s, s:s, s:o, s:o, s:I}", "at", at, "outcome",
		snapshot_outcome_name(st.outcome), "http_status",
		a->http_status ? json_integer(a->http_status) : json_null(),
		"error", S_string_or_null(error), "ms", (json_int_t)a->ms));
	json_object_set_new(v, "stale",
			    json_boolean(st.outcome != SNAPSHOT_OK));
	const char *id;
	json_t *m;
	json_object_foreach(json_object_get(v, "models"), id, m)
	{
		struct snapshot_price p;
		snapshot_price_get(json_object_get(m, "price"), &p);
		st.models++;
		st.priced += !isnan(p.input) || !isnan(p.output);
	}
	if (stats)
		*stats = st;
}

/* ---- the change feed ---------------------------------------------------- */

struct S_changes {
	struct snapshot_change *items;
	size_t count;
	size_t cap;
};

static struct snapshot_change *
S_change_add(struct S_changes *c, const char *date, const char *vendor,
	     const char *model, enum snapshot_change_kind kind)
{
	if (c->count == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->items = xrealloc(c->items, c->cap * sizeof(*c->items));
	}
	struct snapshot_change *e = &c->items[c->count++];
	e->date = date;
	e->vendor = vendor;
	e->model = model;
	e->kind = kind;
	e->old_price = (struct snapshot_price){NAN, NAN, NAN};
	e->new_price = e->old_price;
	return e;
}

/* The events of one model, live or (gone) removed; baseline is the date of
 * the vendor's first listing, whose models were not "added". */
static void S_model_changes(struct S_changes *c, const char *vendor,
			    const char *id, const json_t *m, bool gone,
			    const char *baseline)
{
	const char *first_seen =
	    json_string_value(json_object_get(m, "first_seen"));
	const char *removed =
	    gone ? json_string_value(json_object_get(m, "removed")) : NULL;
	const json_t *history = json_object_get(m, "history");
	size_t n = json_array_size(history);
	for (size_t i = 0; i < n; i++) {
		const json_t *h = json_array_get(history, i);
		const char *date =
		    json_string_value(json_object_get(h, "date"));
		struct snapshot_change *e;
		if (!date)
			continue; /* not from a checked snapshot: no event */
		if (i == 0 && first_seen && strcmp(date, first_seen) <= 0)
			continue; /* the price it was added with */
		e = S_change_add(c, date, vendor, id, SNAPSHOT_PRICE);
		if (i > 0)
			snapshot_price_get(json_array_get(history, i - 1),
					   &e->old_price);
		snapshot_price_get(h, &e->new_price);
	}
	if (first_seen && !(baseline && strcmp(first_seen, baseline) == 0)) {
		struct snapshot_change *e =
		    S_change_add(c, first_seen, vendor, id, SNAPSHOT_ADDED);
		const json_t *h = json_array_get(history, 0);
		const char *date =
		    json_string_value(json_object_get(h, "date"));
		if (date && strcmp(date, first_seen) <= 0)
			snapshot_price_get(h, &e->new_price);
	}
	if (removed) {
		struct snapshot_change *e =
		    S_change_add(c, removed, vendor, id, SNAPSHOT_REMOVED);
		snapshot_price_get(json_object_get(m, "price"), &e->old_price);
	}
}

static const char *S_or_empty(const char *s)
{
	return s ? s : "";
}

static int S_change_compare(const void *pa, const void *pb)
{
	const struct snapshot_change *a = pa, *b = pb;
	int c = strcmp(S_or_empty(b->date), S_or_empty(a->date));
	if (!c)
		c = strcmp(S_or_empty(a->vendor), S_or_empty(b->vendor));
	if (!c)
		c = strcmp(S_or_empty(a->model), S_or_empty(b->model));
	if (!c)
		c = (int)a->kind - (int)b->kind;
	return c;
}

void snapshot_changes(const json_t *snap, struct snapshot_change **out,
		      size_t *count)
{
	struct S_changes c = {NULL, 0, 0};
	const char *vendor;
	json_t *v;
	json_object_foreach(json_object_get(snap, "vendors"), vendor, v)
	{
		char baseline[11] = "";
		const char *first =
		    json_string_value(json_object_get(v, "first_success"));
		if (first && strlen(first) >= 10)
			memcpy(baseline, first, 10);
		const char *members[] = {"models", "removed"};
		for (size_t k = 0; k < 2; k++) {
			const char *id;
			json_t *m;
			json_object_foreach(json_object_get(v, members[k]), id,
					    m)
			    S_model_changes(&c, vendor, id, m, k == 1,
					    *baseline ? baseline : NULL);
		}
	}
	if (c.count > 1)
		qsort(c.items, c.count, sizeof(*c.items), S_change_compare);
	*out = c.items;
	*count = c.count;
}
