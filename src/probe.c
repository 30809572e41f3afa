#include "probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "adapter.h"
#include "catalog.h"
#include "exitcode.h"
#include "fetch.h"
#include "listing.h"
#include "options.h"
#include "snapshot.h"
#include "validate.h"
#include "xalloc.h"

/* One vendor of the run. */
struct S_vendor {
	const struct vendor *vendor;
	struct fetch_task task;
	enum snapshot_outcome outcome; /* once recorded */
	struct snapshot_stats stats;
	char *text; /* its snapshot entry, dumped once recorded; owned */
};

struct S_run {
	const struct options *opt;
	struct fetch *fetch;
	json_t *snap;
	time_t now;
	bool live; /* fetch draws a status line */
	int rc;
};

/* Records v's outcome in the snapshot and reports it: a line per vendor
 * without a status line, only skipped ones with it (the table tells the
 * rest), and only failures with --quiet. */
static void S_record(struct S_run *run, struct S_vendor *v,
		     enum snapshot_outcome outcome)
{
	struct fetch_task *t = &v->task;
	const struct snapshot_stats *st = &v->stats;
	struct snapshot_attempt a = {
	    .at = run->now,
	    .outcome = outcome,
	    .http_status = t->status,
	    .error = t->error.len ? t->error.data : NULL,
	    .ms = t->ms,
	};
	snapshot_record(run->snap, v->vendor->id, &a, &t->listing,
			run->opt->accept_shrink, &v->stats);
	/* the vendor's part of the snapshot is final: writing it now, while
	 * other transfers are in flight, leaves little to do at the end */
	free(v->text);
	v->text = snapshot_dump_vendor(run->snap, v->vendor->id);
	v->outcome = st->outcome;
	if (v->outcome == SNAPSHOT_SUSPECT && !t->error.len)
		buf_puts(&t->error, st->why);
	bool bad =
	    v->outcome == SNAPSHOT_FAILED || v->outcome == SNAPSHOT_SUSPECT;
	if (bad)
		run->rc = EXIT_PARTIAL;
	if (run->opt->quiet ? !bad
			    : run->live && v->outcome != SNAPSHOT_SKIPPED)
		return;
	if (v->outcome == SNAPSHOT_OK)
		fetch_say(run->fetch,
			  "%s: ok, %zu models (%zu priced), %zu changes, "
			  "%.1f s",
			  v->vendor->id, st->models, st->priced,
			  st->added + st->removed + st->repriced,
			  (double)t->ms / 1000);
	else
		fetch_say(run->fetch, "%s: %s, %s", v->vendor->id,
			  snapshot_outcome_name(v->outcome),
			  buf_cstr(&t->error));
}

/* fetch_options.done: a vendor's fetch ended. */
static void S_fetched(struct fetch_task *t, void *arg)
{
	S_record(arg, t->owner, t->ok ? SNAPSHOT_OK : SNAPSHOT_FAILED);
}

/* Reads the environment for v's credentials into its task. Returns the
 * name of a missing variable, or NULL when everything needed is set. */
static const char *S_keys(struct S_vendor *v)
{
	const struct api *api = v->vendor->api;
	struct adapter_ctx *ctx = &v->task.ctx;
	ctx->region = api->region ? api->region : getenv("AWS_REGION");
	if (api->key_env) {
		ctx->key = getenv(api->key_env);
		if (!ctx->key || !*ctx->key)
			return api->key_env;
	}
	if (strcmp(api->style, "bedrock") == 0) {
		ctx->aws_secret = getenv("AWS_SECRET_ACCESS_KEY");
		ctx->aws_session = getenv("AWS_SESSION_TOKEN");
		if (!ctx->aws_secret || !*ctx->aws_secret)
			return "AWS_SECRET_ACCESS_KEY";
	}
	return NULL;
}

/* Queues vendor for fetching, or records it at once as skipped (no key)
 * or failed (no adapter). */
static void S_prepare(struct S_run *run, struct S_vendor *v,
		      const struct vendor *vendor)
{
	struct fetch_task *t = &v->task;
	const char *missing;
	v->vendor = vendor;
	fetch_task_init(t);
	t->name = vendor->id;
	t->owner = v;
	t->key_env = vendor->api->key_env;
	t->adapter = adapter_find(vendor->api->style);
	t->ctx.vendor_id = vendor->id;
	t->ctx.base_url = vendor->api->base_url;
	if ((missing = S_keys(v))) {
		buf_printf(&t->error, "%s is not set", missing);
		S_record(run, v, SNAPSHOT_SKIPPED);
	} else if (!t->adapter) {
		buf_printf(&t->error, "no adapter for api style '%s'",
			   vendor->api->style);
		S_record(run, v, SNAPSHOT_FAILED);
	} else {
		fetch_add(run->fetch, t);
	}
}

/* Reads SOURCE_DATE_EPOCH, or the clock. */
static int S_now(time_t *now)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	if (!s || !*s) {
		*now = time(NULL);
		return 0;
	}
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < 0) {
		fprintf(stderr,
			"stackmap: SOURCE_DATE_EPOCH must be a number "
			"of seconds, not '%s'\n",
			s);
		return -1;
	}
	*now = (time_t)v;
	return 0;
}

/* Whether id is in the comma-separated list. */
static bool S_listed(const char *list, const char *id)
{
	size_t n = strlen(id);
	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && strncmp(p, id, n) == 0)
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}

/* Checks --only against the catalog. Returns 0, or -1 after a message. */
static int S_check_only(const struct catalog *cat, const char *only)
{
	int rc = 0;
	for (const char *p = only; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char *id = xstrndup(p, len);
		const struct vendor *v = catalog_find_vendor(cat, id);
		if (!v || !v->api) {
			fprintf(stderr, "stackmap: probe: --only: %s '%s'\n",
				v ? "no api to probe for" : "no vendor", id);
			rc = -1;
		}
		free(id);
		p = comma ? comma + 1 : NULL;
	}
	return rc;
}

/* Warns, at the offer, of every live price that differs from the declared
 * one by more than LISTING_PRICE_TOLERANCE. */
static void S_report_prices(const struct S_vendor *vs, size_t n,
			    struct diags *diags)
{
	static const char *const names[] = {"input", "output", "cached_input"};
	for (size_t i = 0; i < n; i++) {
		const struct vendor *v = vs[i].vendor;
		const struct listing *l = &vs[i].task.listing;
		if (vs[i].outcome != SNAPSHOT_OK)
			continue;
		for (size_t k = 0; k < v->n_offers; k++) {
			const struct offer *o = &v->offers[k];
			const struct listing_entry *e = NULL;
			for (size_t j = 0; o->remote_id && !e && j < l->count;
			     j++)
				if (strcasecmp(l->items[j].id, o->remote_id) ==
				    0)
					e = &l->items[j];
			if (!e)
				continue;
			double declared[] = {o->input, o->output,
					     o->cached_input};
			double live[] = {e->input, e->output, e->cached_input};
			for (size_t f = 0; f < 3; f++) {
				double d = declared[f], x = live[f];
				char ds[32], xs[32];
				if (!listing_price_far(d, x))
					continue;
				diag_warning(diags, o->loc,
					     "%s's live %s price for '%s' is "
					     "%s, the catalog says %s",
					     v->id, names[f], e->id,
					     listing_format_price(x, xs),
					     listing_format_price(d, ds));
			}
		}
	}
}

static int S_vendor_compare(const void *a, const void *b)
{
	const struct S_vendor *const *x = a, *const *y = b;
	return strcmp((*x)->vendor->id, (*y)->vendor->id);
}

/* The probed vendors, sorted by id for S_dumped. */
struct S_index {
	struct S_vendor **items;
	size_t count;
};

static int S_id_compare(const void *id, const void *v)
{
	return strcmp(id, (*(struct S_vendor *const *)v)->vendor->id);
}

/* snapshot_dump_with's callback: the text dumped for vendor_id. */
static const char *S_dumped(const char *vendor_id, void *arg)
{
	const struct S_index *index = arg;
	struct S_vendor **hit =
	    index->count ? bsearch(vendor_id, index->items, index->count,
				   sizeof(*index->items), S_id_compare)
			 : NULL;
	return hit ? (*hit)->text : NULL;
}

/* Writes the snapshot, each probed vendor from the text dumped when it
 * was recorded. */
static int S_save(const struct options *opt, const json_t *snap,
		  struct S_vendor *vs, size_t n, struct buf *err)
{
	struct S_index index = {xcalloc(n + 1, sizeof(*index.items)), n};
	for (size_t i = 0; i < n; i++)
		index.items[i] = &vs[i];
	qsort(index.items, n, sizeof(*index.items), S_vendor_compare);
	int rc = snapshot_save_with(opt->snapshot, snap, S_dumped, &index, err);
	free(index.items);
	return rc;
}

/* Prints the closing table: vendor, outcome, models, priced, changes,
 * time; then the reason of every vendor that did not succeed. */
static void S_summary(const struct S_vendor *vs, size_t n, FILE *out)
{
	int w = (int)strlen("vendor");
	for (size_t i = 0; i < n; i++)
		if ((int)strlen(vs[i].vendor->id) > w)
			w = (int)strlen(vs[i].vendor->id);
	fprintf(out, "%-*s  %-7s  %6s  %6s  %7s  %7s\n", w, "vendor", "outcome",
		"models", "priced", "changes", "time");
	for (size_t i = 0; i < n; i++) {
		const struct snapshot_stats *st = &vs[i].stats;
		fprintf(out, "%-*s  %-7s  %6zu  %6zu  %7zu  %6.1fs\n", w,
			vs[i].vendor->id, snapshot_outcome_name(vs[i].outcome),
			st->models, st->priced,
			st->added + st->removed + st->repriced,
			(double)vs[i].task.ms / 1000);
	}
	for (size_t i = 0; i < n; i++)
		if (vs[i].outcome != SNAPSHOT_OK)
			fprintf(out, "%s: %s: %s\n", vs[i].vendor->id,
				snapshot_outcome_name(vs[i].outcome),
				vs[i].task.error.data);
}

int probe_run(const struct options *opt)
{
	struct catalog cat;
	struct diags diags;
	struct buf err = BUF_INIT;
	struct S_run run = {.opt = opt, .rc = EXIT_OK};
	struct S_vendor *vs = NULL;
	size_t n = 0;
	int rc = EXIT_INVALID;
	diags_init(&diags);
	catalog_load(&cat, opt->catalog_dir, &diags);
	validate_catalog(&cat, &diags);
	if (diags.errors) {
		diags_print(&diags, stderr);
		goto out;
	}
	rc = EXIT_USAGE;
	if (S_now(&run.now) != 0 || S_check_only(&cat, opt->only) != 0)
		goto out;
	rc = EXIT_INVALID;
	if (snapshot_load(opt->snapshot, &run.snap, &err) != 0) {
		fprintf(stderr, "%s\n", err.data);
		goto out;
	}
	rc = EXIT_SYSTEM;
	run.live = !opt->quiet && isatty(STDERR_FILENO);
	struct fetch_options fo = {
	    .jobs = opt->jobs,
	    .timeout = opt->timeout,
	    .verbose = opt->verbose && !opt->quiet,
	    .live = run.live,
	    .prefix = "stackmap: probe: ",
	    .done = S_fetched,
	    .arg = &run,
	};
	if (!(run.fetch = fetch_new(&fo))) {
		fputs("stackmap: probe: cannot initialise libcurl\n", stderr);
		goto out;
	}
	vs = xcalloc(cat.n_vendors ? cat.n_vendors : 1, sizeof(*vs));
	for (size_t i = 0; i < cat.n_vendors; i++) {
		const struct vendor *v = &cat.vendors[i];
		if (v->api && (!opt->only || S_listed(opt->only, v->id)))
			S_prepare(&run, &vs[n++], v);
	}
	fetch_run(run.fetch);
	rc = run.rc;
	if (S_save(opt, run.snap, vs, n, &err) != 0) {
		fprintf(stderr, "%s\n", err.data);
		rc = EXIT_SYSTEM;
	}
	if (!opt->quiet) {
		S_report_prices(vs, n, &diags);
		diags_print(&diags, stderr);
		S_summary(vs, n, stdout);
	}
out:
	fetch_free(run.fetch); /* before the tasks it points to */
	for (size_t i = 0; i < n; i++) {
		fetch_task_release(&vs[i].task);
		free(vs[i].text);
	}
	free(vs);
	json_decref(run.snap);
	buf_release(&err);
	diags_release(&diags);
	catalog_release(&cat);
	return rc;
}
