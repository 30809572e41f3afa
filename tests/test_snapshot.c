/* Unit tests for the snapshot (merging, serialising, loading, the change
 * feed) and for diff_snapshots. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "diff.h"
#include "listing.h"
#include "snapshot.h"

#define DAY1 ((time_t)1795600000) /* 2026-11-25T09:46:40Z */
#define DAY2 (DAY1 + 86400)
#define DAY3 (DAY1 + 2 * 86400)

/* A listing of n models "m0".."m{n-1}"; model i costs base + i input and
 * twice that output. */
static void S_listing(struct listing *l, size_t n, double base)
{
	listing_init(l);
	for (size_t i = 0; i < n; i++) {
		char id[16];
		snprintf(id, sizeof(id), "m%zu", i);
		struct listing_entry *e = listing_add(l, id);
		e->input = base + (double)i;
		e->output = 2 * (base + (double)i);
		e->context = 1000;
	}
	listing_sort(l);
}

/* Records an ok attempt with listing l at time t. */
static struct snapshot_stats S_ok(json_t *snap, const char *vendor, time_t t,
				  const struct listing *l, bool accept_shrink)
{
	struct snapshot_attempt a = {t, SNAPSHOT_OK, 200, NULL, 5};
	struct snapshot_stats st;
	snapshot_record(snap, vendor, &a, l, accept_shrink, &st);
	return st;
}

static json_t *S_model(json_t *snap, const char *vendor, const char *id)
{
	return json_object_get(
	    json_object_get(snapshot_vendor(snap, vendor), "models"), id);
}

static const char *S_attempt(json_t *snap, const char *vendor, const char *key)
{
	json_t *a = json_object_get(snapshot_vendor(snap, vendor), "attempt");
	return json_string_value(json_object_get(a, key));
}

static void test_history_only_on_change(void **state)
{
	(void)state;
	json_t *snap = snapshot_new();
	struct listing l;
	S_listing(&l, 3, 1);
	struct snapshot_stats st = S_ok(snap, "v", DAY1, &l, false);
	assert_int_equal(st.outcome, SNAPSHOT_OK);
	assert_int_equal(st.models, 3);
	assert_int_equal(st.priced, 3);
	assert_int_equal(st.added, 3);
	json_t *h = json_object_get(S_model(snap, "v", "m1"), "history");
	assert_int_equal(json_array_size(h), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(h, 0), "date")),
	    "2026-11-25");

	/* Same prices the next day: nothing new. */
	st = S_ok(snap, "v", DAY2, &l, false);
	assert_int_equal(st.added + st.removed + st.repriced, 0);
	h = json_object_get(S_model(snap, "v", "m1"), "history");
	assert_int_equal(json_array_size(h), 1);
	assert_string_equal(json_string_value(json_object_get(
				snapshot_vendor(snap, "v"), "last_success")),
			    "2026-11-26T09:46:40Z");

	/* A price that prints the same is no change either. */
	l.items[1].input += 1e-9;
	st = S_ok(snap, "v", DAY2, &l, false);
	assert_int_equal(st.repriced, 0);

	/* m1's input changes on day 3: one entry more, dated day 3. */
	l.items[1].input = 2.5;
	st = S_ok(snap, "v", DAY3, &l, false);
	assert_int_equal(st.repriced, 1);
	h = json_object_get(S_model(snap, "v", "m1"), "history");
	assert_int_equal(json_array_size(h), 2);
	json_t *last = json_array_get(h, 1);
	assert_string_equal(json_string_value(json_object_get(last, "date")),
			    "2026-11-27");
	assert_true(json_real_value(json_object_get(last, "input")) == 2.5);
	assert_true(json_is_null(json_object_get(last, "cached_input")));
	assert_int_equal(json_array_size(json_object_get(
			     S_model(snap, "v", "m0"), "history")),
			 1);

	/* A price that becomes unknown is not a change: the history stays,
	 * the current price says null. */
	l.items[1].input = NAN;
	l.items[1].output = NAN;
	st = S_ok(snap, "v", DAY3, &l, false);
	assert_int_equal(st.repriced, 0);
	assert_int_equal(st.priced, 2);
	assert_int_equal(json_array_size(json_object_get(
			     S_model(snap, "v", "m1"), "history")),
			 2);
	assert_true(json_is_null(json_object_get(
	    json_object_get(S_model(snap, "v", "m1"), "price"), "input")));
	listing_release(&l);
	json_decref(snap);
}

static void test_failure_keeps_listing(void **state)
{
	(void)state;
	json_t *snap = snapshot_new();
	struct listing l, none;
	S_listing(&l, 4, 1);
	listing_init(&none);
	S_ok(snap, "v", DAY1, &l, false);
	struct snapshot_attempt a = {DAY2, SNAPSHOT_FAILED, 503,
				     "HTTP 503 (after 3 attempts)", 900};
	struct snapshot_stats st;
	snapshot_record(snap, "v", &a, &none, false, &st);
	assert_int_equal(st.outcome, SNAPSHOT_FAILED);
	assert_int_equal(st.models, 4);
	json_t *v = snapshot_vendor(snap, "v");
	assert_true(json_is_true(json_object_get(v, "stale")));
	assert_string_equal(
	    json_string_value(json_object_get(v, "last_success")),
	    "2026-11-25T09:46:40Z");
	assert_string_equal(S_attempt(snap, "v", "outcome"), "failed");
	assert_string_equal(S_attempt(snap, "v", "error"),
			    "HTTP 503 (after 3 attempts)");
	assert_string_equal(S_attempt(snap, "v", "at"), "2026-11-26T09:46:40Z");
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(v, "attempt"), "http_status")),
			 503);
	assert_int_equal(json_object_size(json_object_get(v, "models")), 4);

	/* Skipped: also kept; no HTTP status gives null. */
	a = (struct snapshot_attempt){DAY3, SNAPSHOT_SKIPPED, 0,
				      "X_API_KEY is not set", 0};
	snapshot_record(snap, "v", &a, &none, false, &st);
	assert_int_equal(st.models, 4);
	assert_string_equal(S_attempt(snap, "v", "outcome"), "skipped");
	assert_true(json_is_null(json_object_get(
	    json_object_get(snapshot_vendor(snap, "v"), "attempt"),
	    "http_status")));

	/* Success again: fresh. */
	S_ok(snap, "v", DAY3, &l, false);
	v = snapshot_vendor(snap, "v");
	assert_true(json_is_false(json_object_get(v, "stale")));
	assert_true(json_is_null(
	    json_object_get(json_object_get(v, "attempt"), "error")));
	listing_release(&l);
	json_decref(snap);
}

static void test_shrink_suspect(void **state)
{
	(void)state;
	json_t *snap = snapshot_new();
	struct listing four, two, one, none;
	S_listing(&four, 4, 1);
	S_listing(&two, 2, 1);
	S_listing(&one, 1, 1);
	listing_init(&none);

	/* An empty first listing is not suspect: nothing shrank. */
	struct snapshot_stats st = S_ok(snap, "v", DAY1, &none, false);
	assert_int_equal(st.outcome, SNAPSHOT_OK);
	S_ok(snap, "v", DAY1, &four, false);

	/* Half is not more than half. */
	st = S_ok(snap, "v", DAY2, &two, false);
	assert_int_equal(st.outcome, SNAPSHOT_OK);
	assert_int_equal(st.removed, 2);
	S_ok(snap, "v", DAY2, &four, false);

	st = S_ok(snap, "v", DAY2, &one, false);
	assert_int_equal(st.outcome, SNAPSHOT_SUSPECT);
	assert_int_equal(st.models, 4);
	assert_string_equal(st.why, "the listing shrank from 4 to 1 models; "
				    "the old one was kept (--accept-shrink "
				    "takes the new one)");
	assert_string_equal(S_attempt(snap, "v", "outcome"), "suspect");
	assert_string_equal(S_attempt(snap, "v", "error"), st.why);
	assert_true(
	    json_is_true(json_object_get(snapshot_vendor(snap, "v"), "stale")));

	st = S_ok(snap, "v", DAY2, &none, false);
	assert_int_equal(st.outcome, SNAPSHOT_SUSPECT);
	assert_non_null(strstr(st.why, "came back empty (it had 4 models)"));
	assert_int_equal(st.models, 4);

	st = S_ok(snap, "v", DAY2, &none, true);
	assert_int_equal(st.outcome, SNAPSHOT_OK);
	assert_int_equal(st.models, 0);
	assert_int_equal(st.removed, 4);
	assert_int_equal(json_object_size(json_object_get(
			     snapshot_vendor(snap, "v"), "removed")),
			 4);
	listing_release(&four);
	listing_release(&two);
	listing_release(&one);
	json_decref(snap);
}

/* Builds the same state in two orders. */
static json_t *S_build(bool reverse)
{
	json_t *snap = snapshot_new();
	struct listing a, b;
	S_listing(&a, 3, 0.1);
	S_listing(&b, 2, 0.2);
	a.items[0].input = 0.1 + 0.2; /* 0.30000000000000004 */
	a.items[0].cached_input = 3.9e-7 * 1e6;
	a.items[1].name = strdup("Model \"one\" \xc3\xa9");
	if (reverse) {
		S_ok(snap, "beta", DAY1, &b, false);
		S_ok(snap, "alpha", DAY1, &a, false);
	} else {
		S_ok(snap, "alpha", DAY1, &a, false);
		S_ok(snap, "beta", DAY1, &b, false);
	}
	listing_release(&a);
	listing_release(&b);
	return snap;
}

static void test_serialisation_deterministic(void **state)
{
	(void)state;
	json_t *x = S_build(false), *y = S_build(true), *z = NULL;
	size_t nx, ny, nz;
	char *dx = snapshot_dump(x, &nx);
	char *dy = snapshot_dump(y, &ny);
	assert_int_equal(nx, ny);
	assert_memory_equal(dx, dy, nx);
	assert_int_equal(dx[nx - 1], '\n');
	/* No float noise, sorted keys, two-space indent. */
	assert_non_null(strstr(dx, "\"input\": 0.3,"));
	assert_non_null(strstr(dx, "\"cached_input\": 0.39,"));
	assert_null(strstr(dx, "0000000"));
	assert_true(strstr(dx, "\"alpha\"") < strstr(dx, "\"beta\""));
	assert_true(strncmp(dx, "{\n  \"format\": 1,\n  \"vendors\": {", 31) ==
		    0);

	/* Loading and dumping again gives the same bytes. */
	struct buf err = BUF_INIT;
	assert_int_equal(snapshot_parse(dx, nx, "x.json", &z, &err), 0);
	char *dz = snapshot_dump(z, &nz);
	assert_int_equal(nx, nz);
	assert_memory_equal(dx, dz, nx);

	/* Saving writes exactly those bytes. */
	char path[] = "/tmp/stackmap-snapshot-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(snapshot_save(path, z, &err), 0);
	json_t *back = NULL;
	assert_int_equal(snapshot_load(path, &back, &err), 0);
	char *db = snapshot_dump(back, NULL);
	assert_string_equal(db, dx);
	unlink(path);

	free(dx);
	free(dy);
	free(dz);
	free(db);
	buf_release(&err);
	json_decref(x);
	json_decref(y);
	json_decref(z);
	json_decref(back);
}

struct S_dump_ctx {
	const json_t *snap;
	char *last;
};

/* probe's stand-in: every vendor but "beta" from its own dump. */
static const char *S_dumped_from(const char *vendor_id, void *arg)
{
	struct S_dump_ctx *ctx = arg;
	if (strcmp(vendor_id, "beta") == 0)
		return NULL;
	free(ctx->last);
	ctx->last = snapshot_dump_vendor(ctx->snap, vendor_id);
	return ctx->last;
}

/* The snapshot written vendor by vendor (as a probe does, dumping each one
 * when it is recorded) has exactly snapshot_dump's bytes, with odd keys,
 * other top-level members and empty objects too. */
static void test_dump_piecewise(void **state)
{
	(void)state;
	json_t *snap = S_build(false);
	json_t *vendors = json_object_get(snap, "vendors");
	json_object_set_new(vendors, "q\"uo\\te\n\xc3\xa9",
			    json_deep_copy(json_object_get(vendors, "alpha")));
	json_object_set_new(vendors, "a-empty",
			    json_pack("{s:{}, s:[]}", "models", "removed"));
	json_object_set_new(snap, "zz-extra",
			    json_pack("{s:[i, f]}", "k", 1, 0.5));
	json_object_set_new(snap, "aa-extra", json_string("x"));
	size_t n, m;
	char *whole = snapshot_dump(snap, &n);
	struct S_dump_ctx ctx = {snap, NULL};
	char *parts = snapshot_dump_with(snap, S_dumped_from, &ctx, &m);
	assert_int_equal(n, m);
	assert_memory_equal(whole, parts, n);
	free(parts);
	parts = snapshot_dump_with(snap, NULL, NULL, &m);
	assert_int_equal(n, m);
	assert_memory_equal(whole, parts, n);
	assert_null(snapshot_dump_vendor(snap, "nobody"));
	free(parts);
	free(ctx.last);
	free(whole);

	/* An empty snapshot too. */
	json_t *empty = snapshot_new();
	whole = snapshot_dump(empty, &n);
	parts = snapshot_dump_with(empty, NULL, NULL, &m);
	assert_int_equal(n, m);
	assert_memory_equal(whole, parts, n);
	free(whole);
	free(parts);
	json_decref(empty);
	json_decref(snap);
}

static void test_missing_file_is_empty(void **state)
{
	(void)state;
	json_t *snap = NULL;
	struct buf err = BUF_INIT;
	assert_int_equal(
	    snapshot_load("/nonexistent/stackmap/snapshot.json", &snap, &err),
	    0);
	assert_int_equal(err.len, 0);
	assert_int_equal(json_object_size(json_object_get(snap, "vendors")), 0);
	json_decref(snap);
	buf_release(&err);
}

static void test_garbage_rejected(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *want;
	} cases[] = {
	    {"", "s.json:1:1: error: not valid JSON: "},
	    {"not json", "s.json:1:3: error: not valid JSON: "},
	    {"{\"format\": 1, \"format\": 1, \"vendors\": {}}", "s.json:1:"},
	    {"[]", "s.json: error: not a stackmap snapshot: a snapshot is a "
		   "JSON object"},
	    {"{\"vendors\": {}}",
	     "s.json: error: not a stackmap snapshot: format: missing, "
	     "expected an integer"},
	    {"{\"format\": 2, \"vendors\": {}}",
	     "s.json: error: not a stackmap snapshot: format 2 is not the "
	     "supported format 1"},
	    {"{\"format\": 1}",
	     "s.json: error: not a stackmap snapshot: vendors: missing, "
	     "expected an object"},
	    {"{\"format\": 1, \"vendors\": {\"a\": 3}}",
	     "s.json: error: not a stackmap snapshot: vendors[\"a\"]: "
	     "expected an object"},
	    {"{\"format\": 1, \"vendors\": {\"a\": {}}}",
	     "s.json: error: not a stackmap snapshot: vendors[\"a\"].models: "
	     "missing, expected an object"},
	    {"{\"format\": 1, \"vendors\": {\"a\": {\"models\": {\"m\": "
	     "{\"price\": {\"input\": \"cheap\"}}}}}}",
	     "s.json: error: not a stackmap snapshot: "
	     "vendors[\"a\"].models[\"m\"].price.input: expected null or a "
	     "number of at least 0"},
	    {"{\"format\": 1, \"vendors\": {\"a\": {\"models\": {\"m\": "
	     "{\"price\": {\"output\": -1}}}}}}",
	     "s.json: error: not a stackmap snapshot: "
	     "vendors[\"a\"].models[\"m\"].price.output: expected null or "
	     "a number of at least 0"},
	    {"{\"format\": 1, \"vendors\": {\"a\": {\"models\": {\"m\": "
	     "{\"history\": [{\"date\": \"yesterday\"}]}}}}}",
	     "s.json: error: not a stackmap snapshot: "
	     "vendors[\"a\"].models[\"m\"].history[0].date: expected a date "
	     "like 2026-11-25"},
	    {"{\"format\": 1, \"vendors\": {\"a\": {\"models\": {}, "
	     "\"attempt\": {\"at\": \"2026-11-25T10:00:00Z\", \"outcome\": "
	     "\"great\"}}}}",
	     "s.json: error: not a stackmap snapshot: "
	     "vendors[\"a\"].attempt.outcome: 'great' is not ok, skipped, "
	     "failed or suspect"},
	    {"{\"format\": 1, \"vendors\": {\"a\": {\"models\": {}, "
	     "\"removed\": {\"m\": {}}}}}",
	     "s.json: error: not a stackmap snapshot: "
	     "vendors[\"a\"].removed[\"m\"].removed: missing, expected a "
	     "date like 2026-11-25"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *snap = (json_t *)&cases; /* must be reset to NULL */
		struct buf err = BUF_INIT;
		int rc = snapshot_parse(cases[i].text, strlen(cases[i].text),
					"s.json", &snap, &err);
		if (rc != -1 || !err.data ||
		    strncmp(err.data, cases[i].want, strlen(cases[i].want)))
			print_error("case %zu: got '%s'\n", i,
				    err.data ? err.data : "(nothing)");
		assert_int_equal(rc, -1);
		assert_null(snap);
		assert_non_null(err.data);
		assert_true(strncmp(err.data, cases[i].want,
				    strlen(cases[i].want)) == 0);
		buf_release(&err);
	}
}

static void test_changes_feed(void **state)
{
	(void)state;
	json_t *snap = snapshot_new();
	struct listing l;
	S_listing(&l, 3, 1); /* m0 m1 m2 */
	S_ok(snap, "v", DAY1, &l, false);
	/* Day 2: m1 gets cheaper, m2 leaves, m3 arrives. */
	listing_release(&l);
	S_listing(&l, 2, 1);
	l.items[1].input = 1.5;
	listing_add(&l, "m3")->input = 9;
	listing_sort(&l);
	S_ok(snap, "v", DAY2, &l, false);

	struct snapshot_change *c;
	size_t n;
	snapshot_changes(snap, &c, &n);
	assert_int_equal(n, 3); /* the first listing is no "added" */
	assert_string_equal(c[0].date, "2026-11-26");
	assert_string_equal(c[0].model, "m1");
	assert_int_equal(c[0].kind, SNAPSHOT_PRICE);
	assert_true(c[0].old_price.input == 2 && c[0].new_price.input == 1.5);
	assert_true(c[0].old_price.output == 4 && c[0].new_price.output == 4);
	assert_string_equal(c[1].model, "m2");
	assert_int_equal(c[1].kind, SNAPSHOT_REMOVED);
	assert_true(c[1].old_price.input == 3 && isnan(c[1].new_price.input));
	assert_string_equal(c[2].model, "m3");
	assert_int_equal(c[2].kind, SNAPSHOT_ADDED);
	assert_string_equal(c[2].vendor, "v");
	assert_true(isnan(c[2].old_price.input) && c[2].new_price.input == 9);
	assert_string_equal(snapshot_change_kind_name(c[2].kind), "added");
	free(c);

	/* Day 3: m2 comes back: added again, with its history. */
	listing_add(&l, "m2")->input = 3;
	listing_sort(&l);
	S_ok(snap, "v", DAY3, &l, false);
	json_t *m2 = S_model(snap, "v", "m2");
	assert_string_equal(
	    json_string_value(json_object_get(m2, "first_seen")), "2026-11-27");
	json_t *h = json_object_get(m2, "history");
	assert_int_equal(json_array_size(h), 2); /* 3/6 before, 3/null now */
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(h, 0), "date")),
	    "2026-11-25");
	assert_null(json_object_get(
	    json_object_get(snapshot_vendor(snap, "v"), "removed"), "m2"));
	snapshot_changes(snap, &c, &n);
	assert_string_equal(c[0].date, "2026-11-27");
	assert_string_equal(c[0].model, "m2");
	assert_int_equal(c[0].kind, SNAPSHOT_ADDED);
	assert_string_equal(c[1].model, "m2");
	assert_int_equal(c[1].kind, SNAPSHOT_PRICE);
	assert_true(c[1].old_price.output == 6 && isnan(c[1].new_price.output));
	free(c);
	listing_release(&l);
	json_decref(snap);
}

static void test_diff(void **state)
{
	(void)state;
	json_t *a = snapshot_new(), *b;
	struct listing l;
	S_listing(&l, 3, 1);
	S_ok(a, "v", DAY1, &l, false);
	b = json_deep_copy(a);
	listing_release(&l);
	S_listing(&l, 2, 1);
	l.items[1].input = 2.2;
	l.items[1].output = NAN;
	listing_add(&l, "m|`x")->input = 0.5;
	listing_sort(&l);
	S_ok(b, "v", DAY2, &l, false);
	json_t *d = diff_snapshots(a, b);
	json_t *v = json_object_get(json_object_get(d, "vendors"), "v");
	assert_int_equal(json_array_size(json_object_get(v, "added")), 1);
	assert_int_equal(json_array_size(json_object_get(v, "removed")), 1);
	json_t *pc = json_object_get(v, "price_changes");
	assert_int_equal(json_array_size(pc), 2);
	json_t *c0 = json_array_get(pc, 0);
	assert_string_equal(json_string_value(json_object_get(c0, "field")),
			    "input");
	assert_true(json_real_value(json_object_get(c0, "percent")) == 10);
	json_t *c1 = json_array_get(pc, 1);
	assert_string_equal(json_string_value(json_object_get(c1, "field")),
			    "output");
	assert_true(json_is_null(json_object_get(c1, "new")));
	assert_true(json_is_null(json_object_get(c1, "percent")));

	struct buf md = BUF_INIT;
	diff_markdown(d, &md);
	assert_string_equal(md.data, "## Live listing changes\n\n"
				     "1 added, 1 removed, 2 price changes.\n\n"
				     "### v\n\n"
				     "- added `` m\\|`x `` (input 0.5)\n"
				     "- removed `m2` (input 3, output 6)\n\n"
				     "| Model | Price | Old | New | Change |\n"
				     "| --- | --- | ---: | ---: | ---: |\n"
				     "| `m1` | input | 2 | 2.2 | +10.0% |\n"
				     "| `m1` | output | 4 | n/a | n/a |\n");
	buf_release(&md);
	json_decref(d);

	/* A hostile vendor id stays text; a price from (almost) nothing has
	 * no percentage. */
	json_t *c = json_deep_copy(a);
	json_object_set(json_object_get(c, "vendors"), "<b>[x](y)\n# h",
			snapshot_vendor(a, "v"));
	json_t *tiny = S_model(c, "v", "m1");
	json_object_set_new(json_object_get(tiny, "price"), "input",
			    json_real(1e-306));
	d = diff_snapshots(c, b);
	buf_init(&md);
	diff_markdown(d, &md);
	assert_non_null(strstr(md.data, "\n### \\<b\\>\\[x\\]\\(y\\) \\# h\n"));
	pc =
	    json_object_get(json_object_get(json_object_get(d, "vendors"), "v"),
			    "price_changes");
	assert_true(
	    json_is_null(json_object_get(json_array_get(pc, 0), "percent")));
	buf_release(&md);
	json_decref(d);
	json_decref(c);

	/* No change, no vendor. */
	d = diff_snapshots(a, a);
	assert_int_equal(json_object_size(json_object_get(d, "vendors")), 0);
	json_decref(d);
	listing_release(&l);
	json_decref(a);
	json_decref(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_history_only_on_change),
	    cmocka_unit_test(test_failure_keeps_listing),
	    cmocka_unit_test(test_shrink_suspect),
	    cmocka_unit_test(test_serialisation_deterministic),
	    cmocka_unit_test(test_dump_piecewise),
	    cmocka_unit_test(test_missing_file_is_empty),
	    cmocka_unit_test(test_garbage_rejected),
	    cmocka_unit_test(test_changes_feed),
	    cmocka_unit_test(test_diff),
	};
	return cmocka_run_group_tests_name("snapshot", tests, NULL, NULL);
}
