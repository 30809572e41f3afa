/* Unit tests for diff_check_snapshots, the gate of `stackmap diff --check`:
 * snapshots built with snapshot_record, then damaged the ways a buggy
 * probe, a bad merge or a stale checkout would damage them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "diff_check.h"
#include "listing.h"
#include "snapshot.h"

#define DAY1 ((time_t)1795600000) /* 2026-11-25T09:46:40Z */
#define DAY2 (DAY1 + 86400)
#define DAY3 (DAY1 + 2 * 86400)

/* Records an attempt of vendor at t: with outcome ok, a listing of the n
 * models "m0".."m{n-1}", model i at base + i input. */
static void S_probe(json_t *snap, const char *vendor, time_t t,
		    enum snapshot_outcome outcome, size_t n, double base)
{
	struct listing l;
	listing_init(&l);
	for (size_t i = 0; i < n; i++) {
		char id[16];
		snprintf(id, sizeof(id), "m%zu", i);
		struct listing_entry *e = listing_add(&l, id);
		e->input = base + (double)i;
		e->output = 2 * (base + (double)i);
	}
	listing_sort(&l);
	struct snapshot_attempt a = {t, outcome, 200, NULL, 5};
	snapshot_record(snap, vendor, &a, &l, true, NULL);
	listing_release(&l);
}

/* OLD: vendors a (m0..m3, then m3 removed) and b (m0..m1), probed on
 * days 1 and 2. */
static json_t *S_old(void)
{
	json_t *s = snapshot_new();
	S_probe(s, "a", DAY1, SNAPSHOT_OK, 4, 1);
	S_probe(s, "b", DAY1, SNAPSHOT_OK, 2, 1);
	S_probe(s, "a", DAY2, SNAPSHOT_OK, 3, 1);
	S_probe(s, "b", DAY2, SNAPSHOT_OK, 2, 1);
	return s;
}

/* Checks new against old; returns the number of problems, the report in
 * *report (caller releases). */
static size_t S_check(const json_t *old_snap, const json_t *new_snap,
		      struct buf *report, struct diff_check_stats *st)
{
	buf_init(report);
	return diff_check_snapshots(old_snap, new_snap, "NEW", report, st);
}

static json_t *S_models(json_t *snap, const char *vendor, const char *member)
{
	return json_object_get(snapshot_vendor(snap, vendor), member);
}

static void test_probe_successor_passes(void **state)
{
	(void)state;
	json_t *old_snap = S_old(), *new_snap = json_deep_copy(old_snap);
	struct buf r;
	struct diff_check_stats st;
	/* a drops m2 (recorded as removed) and reprices; b fails, kept */
	S_probe(new_snap, "a", DAY3, SNAPSHOT_OK, 2, 1.5);
	S_probe(new_snap, "b", DAY3, SNAPSHOT_FAILED, 0, 0);
	assert_int_equal(S_check(old_snap, new_snap, &r, &st), 0);
	assert_int_equal(r.len, 0);
	assert_int_equal(st.probed, 2);
	assert_int_equal(st.ok, 1);
	assert_int_equal(st.failed, 1);
	assert_non_null(
	    json_object_get(S_models(new_snap, "a", "removed"), "m2"));
	buf_release(&r);
	json_decref(old_snap);
	json_decref(new_snap);
}

static void test_every_probe_failed(void **state)
{
	(void)state;
	json_t *old_snap = S_old(), *new_snap = json_deep_copy(old_snap);
	struct buf r;
	struct diff_check_stats st;
	S_probe(new_snap, "a", DAY3, SNAPSHOT_FAILED, 0, 0);
	S_probe(new_snap, "b", DAY3, SNAPSHOT_SKIPPED, 0, 0);
	assert_int_equal(S_check(old_snap, new_snap, &r, &st), 1);
	assert_string_equal(r.data,
			    "NEW: error: no probe succeeded since OLD: of 2 "
			    "vendors probed, 1 failed, 0 looked suspect and 1 "
			    "were skipped\n");
	buf_release(&r);
	json_decref(new_snap);
	/* a listing that looked suspect is no success either */
	new_snap = json_deep_copy(old_snap);
	S_probe(new_snap, "a", DAY3, SNAPSHOT_SUSPECT, 0, 0);
	assert_int_equal(S_check(old_snap, new_snap, &r, &st), 1);
	assert_int_equal(st.suspect, 1);
	buf_release(&r);
	json_decref(old_snap);
	json_decref(new_snap);
}

static void test_no_probe_since(void **state)
{
	(void)state;
	json_t *old_snap = S_old();
	struct buf r;
	struct diff_check_stats st;
	assert_int_equal(S_check(old_snap, old_snap, &r, &st), 1);
	assert_string_equal(r.data,
			    "NEW: error: it records no probe since OLD\n");
	buf_release(&r);
	json_decref(old_snap);
}

static void test_lost_vendor_and_models(void **state)
{
	(void)state;
	json_t *old_snap = S_old(), *new_snap = json_deep_copy(old_snap);
	struct buf r;
	struct diff_check_stats st;
	S_probe(new_snap, "a", DAY3, SNAPSHOT_OK, 3, 1);
	json_object_del(json_object_get(new_snap, "vendors"), "b");
	json_object_del(S_models(new_snap, "a", "models"), "m1");
	json_object_del(S_models(new_snap, "a", "removed"), "m3");
	assert_int_equal(S_check(old_snap, new_snap, &r, &st), 3);
	assert_string_equal(
	    r.data,
	    "NEW: error: vendor 'a': model 'm1' is missing, and NEW records "
	    "no removal of it\n"
	    "NEW: error: vendor 'a': removed model 'm3' is missing (OLD "
	    "records its removal on 2026-11-26)\n"
	    "NEW: error: vendor 'b' is missing (OLD has it, with 2 models)\n");
	buf_release(&r);
	json_decref(old_snap);
	json_decref(new_snap);
}

static void test_history_rewritten(void **state)
{
	(void)state;
	json_t *old_snap = S_old(), *new_snap = json_deep_copy(old_snap);
	struct buf r;
	struct diff_check_stats st;
	S_probe(new_snap, "a", DAY3, SNAPSHOT_OK, 3, 1);
	json_t *h = json_array_get(
	    json_object_get(
		json_object_get(S_models(new_snap, "a", "models"), "m0"),
		"history"),
	    0);
	json_object_set_new(h, "input", json_real(0.5));
	assert_int_equal(S_check(old_snap, new_snap, &r, &st), 1);
	assert_non_null(strstr(r.data, "vendor 'a': model 'm0' lost price "
				       "history (OLD has 1 entries"));
	buf_release(&r);
	json_decref(old_snap);
	json_decref(new_snap);
}

static void test_older_snapshot(void **state)
{
	(void)state;
	json_t *old_snap = S_old();
	json_t *new_snap = snapshot_new();
	struct buf r;
	struct diff_check_stats st;
	/* a checkout from before day 2, in which only b was probed since */
	S_probe(new_snap, "a", DAY1, SNAPSHOT_OK, 4, 1);
	S_probe(new_snap, "a", DAY2, SNAPSHOT_OK, 3, 1);
	json_object_set_new(snapshot_vendor(new_snap, "a"), "last_success",
			    json_string("2026-11-25T09:46:40Z"));
	json_object_set_new(
	    json_object_get(snapshot_vendor(new_snap, "a"), "attempt"), "at",
	    json_string("2026-11-25T09:46:40Z"));
	S_probe(new_snap, "b", DAY1, SNAPSHOT_OK, 2, 1);
	S_probe(new_snap, "b", DAY3, SNAPSHOT_OK, 2, 1);
	assert_int_equal(S_check(old_snap, new_snap, &r, &st), 2);
	assert_string_equal(
	    r.data, "NEW: error: vendor 'a': the last success goes back from "
		    "2026-11-26T09:46:40Z to 2026-11-25T09:46:40Z\n"
		    "NEW: error: vendor 'a': the last attempt goes back from "
		    "2026-11-26T09:46:40Z to 2026-11-25T09:46:40Z\n");
	buf_release(&r);
	json_decref(old_snap);
	json_decref(new_snap);
}

static void test_hostile_ids_are_shown_safely(void **state)
{
	(void)state;
	json_t *old_snap = snapshot_new(), *new_snap = snapshot_new();
	struct buf r;
	struct diff_check_stats st;
	S_probe(old_snap, "a", DAY1, SNAPSHOT_OK, 1, 1);
	json_object_set_new(S_models(old_snap, "a", "models"),
			    "evil\x1b[2J\n\xc2\x9b"
			    "31mid",
			    json_pack("{s:[]}", "history"));
	S_probe(new_snap, "a", DAY1, SNAPSHOT_OK, 1, 1);
	S_probe(new_snap, "a", DAY2, SNAPSHOT_OK, 1, 1);
	assert_int_equal(S_check(old_snap, new_snap, &r, &st), 1);
	assert_null(strchr(r.data, '\x1b'));
	assert_null(strstr(r.data, "\xc2\x9b"));
	assert_non_null(strstr(r.data, "model 'evil?[2J??31mid' is missing"));
	/* one line: the id's line break did not start another */
	assert_ptr_equal(strchr(r.data, '\n'), r.data + r.len - 1);
	buf_release(&r);
	json_decref(old_snap);
	json_decref(new_snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_probe_successor_passes),
	    cmocka_unit_test(test_every_probe_failed),
	    cmocka_unit_test(test_no_probe_since),
	    cmocka_unit_test(test_lost_vendor_and_models),
	    cmocka_unit_test(test_history_rewritten),
	    cmocka_unit_test(test_older_snapshot),
	    cmocka_unit_test(test_hostile_ids_are_shown_safely),
	};
	return cmocka_run_group_tests_name("diff_check", tests, NULL, NULL);
}
