/* fuzz_snapshot: the snapshot loader (snapshot_parse), the change feed
 * (snapshot_changes), recording a probe attempt (snapshot_record) and
 * `stackmap diff` (diff_snapshots, diff_markdown), on hostile snapshot
 * files: catalog/snapshot.json is committed, so a pull request can carry
 * any bytes in it, and its model ids and names come from vendors' APIs.
 *
 * Input: byte 0 holds options (bits 0-1: the outcome recorded; bit 2:
 * accept_shrink); the rest is split at the first NUL into OLD and NEW
 * snapshot texts (NEW absent: OLD is diffed against itself).
 *
 * Checks:
 * - snapshot_parse gives a snapshot or a message (naming the file), never
 *   both; a snapshot's dump parses again and dumps to the same bytes;
 * - snapshot_changes lists events with dates, vendor and model set, sorted
 *   newest first;
 * - snapshot_record of NEW's first vendor listing into OLD leaves a
 *   snapshot that snapshot_parse still accepts, with stale set as the
 *   outcome says;
 * - diff_snapshots of a snapshot with itself is empty; its counts are the
 *   lengths of its lists; each percent agrees with the old and new prices
 *   shown; diff_markdown has no raw HTML, link or image (a PR body shows
 *   it) and the JSON form dumps. */
#include "fuzz_util.h"

#include <cmark.h>
#include <math.h>

#include "buf.h"
#include "diff.h"
#include "listing.h"
#include "snapshot.h"

/* Parses text; checks the parse contract. Returns the snapshot or NULL. */
static json_t *S_parse(const char *text, size_t len, const char *path)
{
	json_t *snap = (json_t *)1;
	struct buf err = BUF_INIT;
	int rc = snapshot_parse(text, len, path, &snap, &err);
	FUZZ_CHECK(rc == 0 || rc == -1, "snapshot_parse returned %d", rc);
	if (rc < 0) {
		FUZZ_CHECK(snap == NULL, "failed parse set *out");
		FUZZ_CHECK(err.len > 0 && strstr(err.data, path),
			   "parse error does not name the file: %s",
			   buf_cstr(&err));
		fuzz_check_message(err.data);
	} else {
		FUZZ_CHECK(snap != NULL, "parse succeeded without a snapshot");
		FUZZ_CHECK(err.len == 0, "parse succeeded with a message");
	}
	buf_release(&err);
	return snap;
}

/* A snapshot's dump must read back as the same snapshot. */
static void S_check_round_trip(const json_t *snap, const char *what)
{
	size_t len1, len2;
	char *text1 = snapshot_dump(snap, &len1);
	FUZZ_CHECK(text1 && len1 > 0 && text1[len1 - 1] == '\n',
		   "%s: dump does not end with a newline", what);
	json_t *again = S_parse(text1, len1, "dump.json");
	FUZZ_CHECK(again != NULL, "%s: the dump of a snapshot is refused",
		   what);
	char *text2 = snapshot_dump(again, &len2);
	FUZZ_CHECK(len1 == len2 && memcmp(text1, text2, len1) == 0,
		   "%s: dump, parse, dump changes the bytes", what);
	free(text1);
	free(text2);
	json_decref(again);
}

static void S_check_changes(const json_t *snap)
{
	struct snapshot_change *list = NULL;
	size_t n = 0;
	snapshot_changes(snap, &list, &n);
	for (size_t i = 0; i < n; i++) {
		const struct snapshot_change *c = &list[i];
		FUZZ_CHECK(c->date && c->vendor && c->model,
			   "change %zu without date, vendor or model", i);
		FUZZ_CHECK(c->kind == SNAPSHOT_ADDED ||
			       c->kind == SNAPSHOT_REMOVED ||
			       c->kind == SNAPSHOT_PRICE,
			   "change kind %d", (int)c->kind);
		FUZZ_CHECK(snapshot_change_kind_name(c->kind) != NULL,
			   "change kind without a name");
		if (i > 0)
			FUZZ_CHECK(strcmp(list[i - 1].date, c->date) >= 0,
				   "changes not newest first: %s before %s",
				   list[i - 1].date, c->date);
	}
	free(list);
}

/* The first vendor of snap, and its models as a sorted listing. */
static const char *S_listing_of(const json_t *snap, struct listing *out)
{
	const char *id;
	json_t *v;
	json_object_foreach(json_object_get(snap, "vendors"), id, v)
	{
		const char *mid;
		json_t *m;
		json_object_foreach(json_object_get(v, "models"), mid, m)
		{
			struct snapshot_price p;
			struct listing_entry *e = listing_add(out, mid);
			snapshot_price_get(json_object_get(m, "price"), &p);
			e->input = p.input;
			e->output = p.output;
			e->cached_input = p.cached_input;
			json_t *name = json_object_get(m, "name");
			if (json_is_string(name))
				e->name = strdup(json_string_value(name));
			json_t *ctx = json_object_get(m, "context");
			if (json_is_integer(ctx) &&
			    json_integer_value(ctx) > 0 &&
			    json_integer_value(ctx) <= 1000000000)
				e->context = (long)json_integer_value(ctx);
		}
		listing_sort(out);
		return id;
	}
	return "fuzz";
}

static void S_check_record(const json_t *old_snap, const json_t *new_snap,
			   unsigned flags)
{
	json_t *snap = json_deep_copy(old_snap);
	struct listing l;
	struct snapshot_stats st;
	listing_init(&l);
	const char *vendor = S_listing_of(new_snap, &l);
	struct snapshot_attempt a = {
	    .at = 1795000000 + (time_t)(flags >> 3) * 86400,
	    .outcome = (enum snapshot_outcome)(flags & 3),
	    .http_status = (flags & 3) == SNAPSHOT_OK ? 200 : 0,
	    .error = (flags & 3) == SNAPSHOT_OK ? NULL : "<fuzz> failed",
	    .ms = 12,
	};
	memset(&st, 0, sizeof st);
	snapshot_record(snap, vendor, &a, &l, (flags & 4) != 0, &st);
	json_t *v = snapshot_vendor(snap, vendor);
	FUZZ_CHECK(v != NULL, "snapshot_record left no vendor entry");
	FUZZ_CHECK(json_is_boolean(json_object_get(v, "stale")) &&
		       json_is_true(json_object_get(v, "stale")) ==
			   (st.outcome != SNAPSHOT_OK),
		   "stale does not follow the outcome");
	FUZZ_CHECK(st.priced <= st.models, "stats: %zu priced of %zu",
		   st.priced, st.models);
	S_check_round_trip(snap, "recorded snapshot");
	S_check_changes(snap);
	listing_release(&l);
	json_decref(snap);
}

static void S_check_markdown(const char *md)
{
	cmark_node *doc =
	    cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type t =
		    cmark_node_get_type(cmark_iter_get_node(it));
		FUZZ_CHECK(t != CMARK_NODE_HTML_BLOCK &&
			       t != CMARK_NODE_HTML_INLINE &&
			       t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE,
			   "diff Markdown has a %s node:\n%.1000s",
			   t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE
			       ? "link or image"
			       : "raw HTML",
			   md);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
}

/* A price change's percent agrees with the old and new prices it shows:
 * null when either is unknown or the old one is 0, else their change to
 * within rounding to 0.01 %. */
static void S_check_percent(json_t *e)
{
	json_t *o = json_object_get(e, "old"), *n = json_object_get(e, "new");
	json_t *pct = json_object_get(e, "percent");
	if (!json_is_number(o) || !json_is_number(n) ||
	    json_number_value(o) == 0) {
		FUZZ_CHECK(json_is_null(pct) || fuzz_skip("diff-percent"),
			   "percent %g for a change from %g to %g",
			   json_number_value(pct), json_number_value(o),
			   json_number_value(n));
		return;
	}
	double ov = json_number_value(o), nv = json_number_value(n);
	double want = (nv - ov) / ov * 100;
	FUZZ_CHECK(json_is_number(pct) && fabs(json_number_value(pct) - want) <=
					      0.01 + 1e-9 * fabs(want),
		   "percent %g for a change from %g to %g (want %g)",
		   json_number_value(pct), ov, nv, want);
}

static void S_check_diff(const json_t *a, const json_t *b)
{
	json_t *changes = diff_snapshots(a, b);
	FUZZ_CHECK(changes != NULL, "diff_snapshots returned NULL");
	json_t *counts = json_object_get(changes, "counts");
	static const char *const lists[] = {"added", "removed",
					    "price_changes"};
	for (size_t k = 0; k < 3; k++) {
		size_t total = 0;
		const char *id;
		json_t *v;
		json_object_foreach(json_object_get(changes, "vendors"), id, v)
		{
			json_t *list = json_object_get(v, lists[k]);
			total += json_array_size(list);
			size_t i;
			json_t *e;
			json_array_foreach(list, i, e)
			{
				FUZZ_CHECK(
				    json_is_string(json_object_get(e, "model")),
				    "diff entry without a model");
				if (k == 2)
					S_check_percent(e);
			}
		}
		FUZZ_CHECK((size_t)json_integer_value(
			       json_object_get(counts, lists[k])) == total,
			   "diff counts %lld %s, lists hold %zu",
			   (long long)json_integer_value(
			       json_object_get(counts, lists[k])),
			   lists[k], total);
	}
	if (a == b)
		FUZZ_CHECK(
		    json_object_size(json_object_get(changes, "vendors")) == 0,
		    "a snapshot differs from itself");
	struct buf md = BUF_INIT;
	diff_markdown(changes, &md);
	if (!fuzz_skip("diff-markdown"))
		S_check_markdown(buf_cstr(&md));
	buf_release(&md);
	char *text = snapshot_dump(changes, NULL);
	FUZZ_CHECK(text != NULL, "the diff cannot be dumped");
	free(text);
	json_decref(changes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part parts[2];
	if (size < 1)
		return 0;
	unsigned flags = data[0];
	size_t n = fuzz_split((const char *)data + 1, size - 1, parts, 2);
	json_t *old_snap = S_parse(parts[0].data, parts[0].len, "old.json");
	json_t *new_snap =
	    n > 1 ? S_parse(parts[1].data, parts[1].len, "new.json") : NULL;
	if (old_snap) {
		S_check_round_trip(old_snap, "old");
		S_check_changes(old_snap);
		S_check_diff(old_snap, old_snap);
	}
	if (new_snap) {
		S_check_round_trip(new_snap, "new");
		S_check_changes(new_snap);
	}
	if (old_snap && new_snap) {
		S_check_diff(old_snap, new_snap);
		S_check_record(old_snap, new_snap, flags);
	} else if (old_snap) {
		S_check_record(old_snap, old_snap, flags);
	}
	json_decref(old_snap);
	json_decref(new_snap);
	return 0;
}
