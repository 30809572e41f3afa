#include "diff_check.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "xalloc.h"

struct S_check {
	const char *path; /* NEW, to name it in messages */
	struct buf *report;
	struct diff_check_stats *st;
};

/* A copy of s fit for a message: control characters, which could move the
 * cursor or start a terminal escape (C0, DEL, and C1 as UTF-8 or as single
 * bytes), are shown as '?'. Caller frees. */
static char *S_clean(const char *s)
{
	struct buf out = BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;
	     p++) {
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			buf_putc(&out, '?');
			p++;
		} else if (*p < 0x20 || (*p >= 0x7f && *p <= 0x9f)) {
			buf_putc(&out, '?');
		} else {
			buf_putc(&out, (char)*p);
		}
	}
	return buf_detach(&out, NULL);
}

/* Appends "NEW: error: " and counts a problem; the caller ends the line. */
static struct buf *S_problem(struct S_check *c)
{
	buf_printf(c->report, "%s: error: ", c->path);
	c->st->problems++;
	return c->report;
}

/* Appends the problem "vendor 'V': WHAT". */
static void S_vendor_problem(struct S_check *c, const char *vendor,
			     const char *what)
{
	char *v = S_clean(vendor);
	buf_printf(S_problem(c), "vendor '%s': %s\n", v, what);
	free(v);
}

static int S_compare_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of object obj, sorted; borrowed from obj. Caller frees the
 * array. */
static const char **S_sorted_keys(const json_t *obj, size_t *n)
{
	const char **keys = xcalloc(json_object_size(obj) + 1, sizeof(*keys));
	const char *k;
	json_t *v;
	*n = 0;
	json_object_foreach((json_t *)obj, k, v) keys[(*n)++] = k;
	qsort(keys, *n, sizeof(*keys), S_compare_keys);
	return keys;
}

/* Whether history a (an array of dated prices) is the start of b. */
static bool S_history_kept(const json_t *a, const json_t *b)
{
	size_t n = json_array_size(a);
	if (json_array_size(b) < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!json_equal(json_array_get(a, i), json_array_get(b, i)))
			return false;
	return true;
}

/* Checks that every model of OLD's vendor.member ("models" or "removed")
 * is still known to NEW's vendor, listed or removed, with its history. */
static void S_models(struct S_check *c, const char *vendor, const json_t *ov,
		     const json_t *nv, const char *member)
{
	const json_t *old_models = json_object_get(ov, member);
	const json_t *listed = json_object_get(nv, "models");
	const json_t *removed = json_object_get(nv, "removed");
	bool was_removed = strcmp(member, "removed") == 0;
	size_t n;
	const char **ids = S_sorted_keys(old_models, &n);
	for (size_t i = 0; i < n; i++) {
		const json_t *m = json_object_get(old_models, ids[i]);
		const json_t *now = json_object_get(listed, ids[i]);
		if (!now)
			now = json_object_get(removed, ids[i]);
		struct buf what = BUF_INIT;
		char *id = S_clean(ids[i]);
		if (!now && was_removed) {
			char *day = S_clean(
			    json_string_value(json_object_get(m, "removed")));
			buf_printf(&what,
				   "removed model '%s' is missing (OLD "
				   "records its removal on %s)",
				   id, day);
			free(day);
		} else if (!now) {
			buf_printf(&what,
				   "model '%s' is missing, and NEW records no "
				   "removal of it",
				   id);
		} else if (!S_history_kept(json_object_get(m, "history"),
					   json_object_get(now, "history"))) {
			buf_printf(
			    &what,
			    "model '%s' lost price history (OLD has %zu "
			    "entries; NEW does not start with them)",
			    id, json_array_size(json_object_get(m, "history")));
		}
		if (what.len)
			S_vendor_problem(c, vendor, buf_cstr(&what));
		free(id);
		buf_release(&what);
	}
	free(ids);
}

/* Reports a time of OLD's vendor that NEW moves back or forgets. */
static void S_not_older(struct S_check *c, const char *vendor, const char *what,
			const char *old_time, const char *new_time)
{
	if (!old_time || (new_time && strcmp(new_time, old_time) >= 0))
		return;
	struct buf text = BUF_INIT;
	buf_printf(&text, "%s goes back from %s to %s", what, old_time,
		   new_time ? new_time : "none");
	S_vendor_problem(c, vendor, buf_cstr(&text));
	buf_release(&text);
}

static const char *S_attempt_at(const json_t *vendor)
{
	return json_string_value(
	    json_object_get(json_object_get(vendor, "attempt"), "at"));
}

/* Checks that NEW keeps what OLD knew of one vendor. */
static void S_vendor(struct S_check *c, const char *id, const json_t *ov,
		     const json_t *nv)
{
	if (!nv) {
		char *v = S_clean(id);
		buf_printf(S_problem(c),
			   "vendor '%s' is missing (OLD has it, with %zu "
			   "models)\n",
			   v, json_object_size(json_object_get(ov, "models")));
		free(v);
		return;
	}
	S_models(c, id, ov, nv, "models");
	S_models(c, id, ov, nv, "removed");
	S_not_older(c, id, "the last success",
		    json_string_value(json_object_get(ov, "last_success")),
		    json_string_value(json_object_get(nv, "last_success")));
	S_not_older(c, id, "the last attempt", S_attempt_at(ov),
		    S_attempt_at(nv));
}

/* Counts the outcomes of the attempts NEW records after OLD's. */
static void S_count_probes(struct S_check *c, const json_t *ovs,
			   const json_t *nvs)
{
	const char *id;
	json_t *nv;
	json_object_foreach((json_t *)nvs, id, nv)
	{
		const char *at = S_attempt_at(nv);
		const char *before = S_attempt_at(json_object_get(ovs, id));
		if (!at || (before && strcmp(at, before) <= 0))
			continue;
		const char *outcome = json_string_value(
		    json_object_get(json_object_get(nv, "attempt"), "outcome"));
		c->st->probed++;
		if (strcmp(outcome, "ok") == 0)
			c->st->ok++;
		else if (strcmp(outcome, "skipped") == 0)
			c->st->skipped++;
		else if (strcmp(outcome, "suspect") == 0)
			c->st->suspect++;
		else
			c->st->failed++;
	}
}

size_t diff_check_snapshots(const json_t *old_snap, const json_t *new_snap,
			    const char *new_path, struct buf *report,
			    struct diff_check_stats *st)
{
	struct S_check c = {.path = new_path, .report = report, .st = st};
	const json_t *ovs = json_object_get(old_snap, "vendors");
	const json_t *nvs = json_object_get(new_snap, "vendors");
	size_t n;
	memset(st, 0, sizeof(*st));
	const char **ids = S_sorted_keys(ovs, &n);
	for (size_t i = 0; i < n; i++)
		S_vendor(&c, ids[i], json_object_get(ovs, ids[i]),
			 json_object_get(nvs, ids[i]));
	free(ids);
	S_count_probes(&c, ovs, nvs);
	if (!st->probed)
		buf_puts(S_problem(&c), "it records no probe since OLD\n");
	else if (!st->ok)
		buf_printf(S_problem(&c),
			   "no probe succeeded since OLD: of %zu vendors "
			   "probed, %zu failed, %zu looked suspect and %zu "
			   "were skipped\n",
			   st->probed, st->failed, st->suspect, st->skipped);
	return st->problems;
}

int diff_check_run(const struct options *opt, const json_t *old_snap,
		   const json_t *new_snap)
{
	struct buf report = BUF_INIT;
	struct diff_check_stats st;
	diff_check_snapshots(old_snap, new_snap, opt->diff_new, &report, &st);
	fputs(buf_cstr(&report), stderr);
	if (st.problems)
		fprintf(stderr,
			"stackmap: diff --check: %s must not replace %s "
			"(errors: %zu)\n",
			opt->diff_new, opt->diff_old, st.problems);
	else if (!opt->quiet)
		fprintf(stderr,
			"stackmap: diff --check: %s keeps everything %s had; "
			"%zu vendors probed since: %zu ok, %zu failed, %zu "
			"suspect, %zu skipped\n",
			opt->diff_new, opt->diff_old, st.probed, st.ok,
			st.failed, st.suspect, st.skipped);
	buf_release(&report);
	return st.problems ? EXIT_INVALID : EXIT_OK;
}
