#include "validate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "options.h"
#include "schema.h"

long validate_day_number(const char *date)
{
	/* days from civil, after Howard Hinnant's public-domain algorithm */
	long y = atol(date), m = atol(date + 5), d = atol(date + 8);
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static const char *S_suggest_model(const struct catalog *cat, const char *id)
{
	const char *best = NULL;
	size_t best_d = 4;
	for (size_t i = 0; i < cat->n_models; i++) {
		if (!cat->models[i].id)
			continue;
		size_t d = schema_edit_distance(id, cat->models[i].id, 3);
		if (d < best_d && schema_close_enough(id, d, 3)) {
			best_d = d;
			best = cat->models[i].id;
		}
	}
	return best;
}

static const char *S_suggest_vendor(const struct catalog *cat, const char *id)
{
	const char *best = NULL;
	size_t best_d = 3;
	for (size_t i = 0; i < cat->n_vendors; i++) {
		if (!cat->vendors[i].id)
			continue;
		size_t d = schema_edit_distance(id, cat->vendors[i].id, 2);
		if (d < best_d && schema_close_enough(id, d, 2)) {
			best_d = d;
			best = cat->vendors[i].id;
		}
	}
	return best;
}

static void S_check_models(struct catalog *cat, struct diags *diags)
{
	for (size_t i = 0; i < cat->n_models; i++) {
		struct model *m = &cat->models[i];
		if (!m->lab)
			continue;
		const struct vendor *lab = catalog_find_vendor(cat, m->lab);
		if (!lab) {
			const char *close = S_suggest_vendor(cat, m->lab);
			if (close)
				diag_error(diags, m->lab_loc,
					   "lab '%s' is not a vendor in "
					   "vendors/; did you mean '%s'?",
					   m->lab, close);
			else
				diag_error(diags, m->lab_loc,
					   "lab '%s' is not a vendor in "
					   "vendors/",
					   m->lab);
		} else if (!lab->layer ||
			   strcmp(lab->layer, "model-lab") != 0) {
			diag_error(diags, m->lab_loc,
				   "lab '%s' is a vendor of layer '%s', not "
				   "'model-lab'",
				   m->lab, lab->layer ? lab->layer : "?");
		} else {
			m->lab_ref = lab;
		}
	}
}

/* True when vendor v lists an offer of model id. */
static bool S_offers_model(const struct vendor *v, const char *id)
{
	for (size_t k = 0; k < v->n_offers; k++)
		if (v->offers[k].model && strcmp(v->offers[k].model, id) == 0)
			return true;
	return false;
}

/* Each of a model's frontier_alternatives names another, closed model
 * whose lab (a model-lab vendor, checked above) offers it on its own
 * API. */
static void S_check_alternatives(struct catalog *cat, const struct model *m,
				 struct diags *diags)
{
	const struct strlist *alts = &m->frontier_alternatives;
	for (size_t k = 0; k < alts->count; k++) {
		const char *id = alts->items[k];
		const struct model *a = catalog_find_model(cat, id);
		if (m->id && strcmp(id, m->id) == 0) {
			diag_error(diags, alts->locs[k],
				   "a model cannot be its own frontier "
				   "alternative");
		} else if (!a) {
			const char *close = S_suggest_model(cat, id);
			if (close)
				diag_error(diags, alts->locs[k],
					   "frontier alternative '%s' is not "
					   "in models/; did you mean '%s'?",
					   id, close);
			else
				diag_error(diags, alts->locs[k],
					   "frontier alternative '%s' is not "
					   "in models/",
					   id);
		} else if (a->open_weights == 1) {
			diag_error(
			    diags, alts->locs[k],
			    "frontier alternative '%s' has open weights; "
			    "name a closed model",
			    id);
		} else if (a->lab_ref && !S_offers_model(a->lab_ref, id)) {
			diag_error(diags, alts->locs[k],
				   "frontier alternative '%s' is not offered "
				   "on its lab's own API (vendors/%s.yaml has "
				   "no offer of it)",
				   id, a->lab_ref->id);
		}
	}
}

static bool S_has_price(const struct offer *o)
{
	return !isnan(o->input) || !isnan(o->output) || !isnan(o->cached_input);
}

static void S_check_offer(struct catalog *cat, struct vendor *v, size_t k,
			  struct diags *diags)
{
	struct offer *o = &v->offers[k];
	if (o->model) {
		o->model_ref = catalog_find_model(cat, o->model);
		if (!o->model_ref) {
			const char *close = S_suggest_model(cat, o->model);
			if (close)
				diag_error(diags, o->model_loc,
					   "model '%s' is not in models/; did "
					   "you mean '%s'?",
					   o->model, close);
			else
				diag_error(diags, o->model_loc,
					   "model '%s' is not in models/",
					   o->model);
		}
	}
	if (S_has_price(o)) {
		if (!o->source && !o->source_loc.line)
			diag_error(diags, o->loc,
				   "an offer with a price needs 'source' "
				   "(where the price was read)");
		if (!o->checked && !o->checked_loc.line)
			diag_error(diags, o->loc,
				   "an offer with a price needs 'checked' "
				   "(the day the source was read)");
	}
	for (size_t j = 0; j < k; j++) {
		const struct offer *p = &v->offers[j];
		if (o->model && p->model && o->remote_id && p->remote_id &&
		    strcmp(o->model, p->model) == 0 &&
		    strcasecmp(o->remote_id, p->remote_id) == 0) {
			diag_error(diags, o->loc,
				   "duplicate offer of '%s' as '%s' (first "
				   "at line %u)",
				   o->model, o->remote_id, p->loc.line);
			break;
		}
	}
}

static void S_check_vendor(struct catalog *cat, struct vendor *v,
			   struct diags *diags)
{
	for (size_t k = 0; k < v->via.count; k++) {
		const char *id = v->via.items[k];
		if (v->id && strcmp(id, v->id) == 0) {
			diag_error(diags, v->via.locs[k],
				   "a vendor cannot be sold via itself");
		} else if (!catalog_find_vendor(cat, id)) {
			const char *close = S_suggest_vendor(cat, id);
			if (close)
				diag_error(diags, v->via.locs[k],
					   "via '%s' is not a vendor in "
					   "vendors/; did you mean '%s'?",
					   id, close);
			else
				diag_error(diags, v->via.locs[k],
					   "via '%s' is not a vendor in "
					   "vendors/",
					   id);
		}
	}
	for (size_t k = 0; k < v->n_offers; k++)
		S_check_offer(cat, v, k, diags);
	for (size_t k = 0; k < v->n_signals; k++) {
		const struct signal *s = &v->signals[k];
		if (s->date && s->checked && strcmp(s->checked, s->date) < 0)
			diag_error(diags, s->checked_loc,
				   "signal checked %s, before the event's date "
				   "%s",
				   s->checked, s->date);
	}
}

/* The newest date anywhere in the catalog's prices and signals; stale
 * checks measure from it so that validation never reads the clock. */
static long S_newest_day(const struct catalog *cat)
{
	long newest = -1;
	for (size_t i = 0; i < cat->n_vendors; i++) {
		const struct vendor *v = &cat->vendors[i];
		for (size_t k = 0; k < v->n_offers; k++)
			if (v->offers[k].checked) {
				long d =
				    validate_day_number(v->offers[k].checked);
				if (d > newest)
					newest = d;
			}
		for (size_t k = 0; k < v->n_signals; k++) {
			const struct signal *s = &v->signals[k];
			/* the day it was read (not before the event, which
			 * S_check_vendor checks) */
			const char *day = s->checked ? s->checked : s->date;
			if (day) {
				long d = validate_day_number(day);
				if (d > newest)
					newest = d;
			}
		}
	}
	return newest;
}

static void S_check_freshness(const struct catalog *cat, struct diags *diags)
{
	long newest = S_newest_day(cat);
	for (size_t i = 0; i < cat->n_vendors; i++) {
		const struct vendor *v = &cat->vendors[i];
		for (size_t k = 0; k < v->n_offers; k++) {
			const struct offer *o = &v->offers[k];
			if (!o->checked)
				continue;
			long age = newest - validate_day_number(o->checked);
			if (age > VALIDATE_STALE_DAYS)
				diag_warning(diags, o->checked_loc,
					     "price checked %ld days before "
					     "the catalog's newest date; "
					     "re-check the source",
					     age);
		}
	}
}

size_t validate_catalog(struct catalog *cat, struct diags *diags)
{
	size_t before = diags->errors;
	S_check_models(cat, diags);
	for (size_t i = 0; i < cat->n_models; i++)
		S_check_alternatives(cat, &cat->models[i], diags);
	for (size_t i = 0; i < cat->n_vendors; i++)
		S_check_vendor(cat, &cat->vendors[i], diags);
	S_check_freshness(cat, diags);
	return diags->errors - before;
}

/* `stackmap validate`: load, check, print every diagnostic. */
int validate_run(const struct options *opt)
{
	struct catalog cat;
	struct diags diags;
	diags_init(&diags);
	catalog_load(&cat, opt->catalog_dir, &diags);
	validate_catalog(&cat, &diags);
	diags_print(&diags, stderr);
	int rc = EXIT_OK;
	if (diags.errors || (opt->strict && diags.warnings))
		rc = EXIT_INVALID;
	if (!opt->quiet) {
		size_t offers = 0;
		for (size_t i = 0; i < cat.n_vendors; i++)
			offers += cat.vendors[i].n_offers;
		fprintf(stderr,
			"%s: %zu vendors, %zu models, %zu offers, %zu primers: "
			"%zu errors, %zu warnings\n",
			opt->catalog_dir, cat.n_vendors, cat.n_models, offers,
			cat.n_primers, diags.errors, diags.warnings);
	}
	catalog_release(&cat);
	diags_release(&diags);
	return rc;
}
