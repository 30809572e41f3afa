/* fuzz_catalog: whole-catalog loading and validation, as `stackmap
 * validate` does it, on a scratch copy of tests/fixtures/mini in which the
 * input replaces some files.
 *
 * Input: byte 0 picks the first slot (see S_slots; slot 8 and up are files
 * the fixture lacks: a new vendor, model and primer, and a stray file);
 * the rest is split at NUL bytes, and part k becomes the file of slot
 * (first + k) mod the slot count. When byte 0 has its high bit set, the
 * file of slot (byte 0 >> 4) & 7 is removed before the parts are written
 * (a missing site.yaml, a vendor gone that others name, ...).
 *
 * Runs catalog_load, validate_catalog and, when the catalog is valid,
 * view_build and the pages (what `stackmap build` does next). Checks: the
 * returned error counts agree with the diagnostics recorded; every diagnostic
 * names a file of the catalog with a message; a valid catalog has every
 * reference resolved and gives a complete view whose offer count is the
 * catalog's, whose pages render with every value escaped (fuzz_pages.h);
 * everything is freed (LeakSanitizer). */
#include "fuzz_util.h"

#include "fuzz_pages.h"

#include <jansson.h>
#include <math.h>

#include "catalog.h"
#include "diag.h"
#include "validate.h"
#include "view.h"

#define MINI FUZZ_SRCDIR "/tests/fixtures/mini"

static const char *const S_slots[] = {
    "site.yaml",
    "vendors/acme-lab.yaml",
    "vendors/bigcloud.yaml",
    "vendors/fastinfer.yaml",
    "vendors/glue.yaml",
    "models/acme-1.yaml",
    "models/open-7b.yaml",
    "primers/basics.md",
    "vendors/newco.yaml",
    "models/new-model.yaml",
    "primers/new-primer.md",
    "vendors/notes.txt",
};
#define NSLOTS (sizeof S_slots / sizeof *S_slots)

static char S_dir[1200];
static char *S_orig[NSLOTS]; /* the fixture's bytes, NULL: no such file */
static size_t S_orig_len[NSLOTS];
static int S_dirty[NSLOTS];
static FILE *S_devnull;
static struct renderer S_renderer;

static void S_path(size_t slot, char *out, size_t size)
{
	snprintf(out, size, "%s/%s", S_dir, S_slots[slot]);
}

/* Puts slot back as the fixture has it. */
static void S_restore(size_t slot)
{
	char path[1400];
	S_path(slot, path, sizeof path);
	if (S_orig[slot])
		fuzz_write_file(path, S_orig[slot], S_orig_len[slot]);
	else
		unlink(path);
	S_dirty[slot] = 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(S_dir, sizeof S_dir, "%s/cat", fuzz_scratch("catalog"));
	fuzz_mkdir(S_dir);
	static const char *const dirs[] = {"vendors", "models", "primers"};
	for (size_t i = 0; i < 3; i++) {
		char path[1400];
		snprintf(path, sizeof path, "%s/%s", S_dir, dirs[i]);
		fuzz_mkdir(path);
	}
	for (size_t i = 0; i < NSLOTS; i++) {
		char src[1400];
		snprintf(src, sizeof src, "%s/%s", MINI, S_slots[i]);
		S_orig[i] = fuzz_read_file(src, &S_orig_len[i]);
		if (i < 8 && !S_orig[i]) {
			fprintf(stderr, "fuzz_catalog: cannot read %s\n", src);
			abort();
		}
		S_restore(i);
	}
	S_devnull = fopen("/dev/null", "w");
	renderer_open(&S_renderer, FUZZ_TEMPLATES);
	return 0;
}

static int S_is_catalog_path(const char *path)
{
	size_t n = strlen(S_dir);
	return path && strncmp(path, S_dir, n) == 0 &&
	       (path[n] == '\0' || path[n] == '/');
}

/* What a valid catalog promises to view.c and the pages. */
static void S_check_valid(const struct catalog *cat)
{
	size_t offers = 0;
	for (size_t i = 0; i < cat->n_vendors; i++) {
		const struct vendor *v = &cat->vendors[i];
		FUZZ_CHECK(v->id && v->name && v->layer && v->homepage &&
			       v->summary,
			   "valid vendor %zu lacks a required field", i);
		FUZZ_CHECK(catalog_layer_index(v->layer) >= 0,
			   "vendor layer '%s'", v->layer);
		FUZZ_CHECK(v->spectrum >= 1 && v->spectrum <= 5,
			   "vendor spectrum %ld", v->spectrum);
		FUZZ_CHECK(catalog_find_vendor(cat, v->id) == v,
			   "catalog_find_vendor('%s') misses it", v->id);
		for (size_t k = 0; k < v->n_offers; k++) {
			const struct offer *o = &v->offers[k];
			FUZZ_CHECK(o->model && o->remote_id,
				   "valid offer without model or remote_id");
			FUZZ_CHECK(o->model_ref &&
				       strcmp(o->model_ref->id, o->model) == 0,
				   "offer of '%s' not resolved", o->model);
			int priced = !isnan(o->input) || !isnan(o->output) ||
				     !isnan(o->cached_input);
			FUZZ_CHECK(!priced || (o->source && o->checked),
				   "valid priced offer without provenance");
		}
		offers += v->n_offers;
	}
	for (size_t i = 0; i < cat->n_models; i++) {
		const struct model *m = &cat->models[i];
		FUZZ_CHECK(m->id && m->name && m->lab,
			   "valid model lacks a required field");
		FUZZ_CHECK(m->lab_ref &&
			       strcmp(m->lab_ref->layer, "model-lab") == 0,
			   "model '%s': lab not resolved to a lab", m->id);
		FUZZ_CHECK(catalog_find_model(cat, m->id) == m,
			   "catalog_find_model('%s') misses it", m->id);
	}
	FUZZ_CHECK(cat->site.title && cat->site.base_url,
		   "valid site without title or base_url");

	json_t *view = view_build(cat, NULL);
	FUZZ_CHECK(view != NULL, "view_build returned NULL");
	json_t *counts = json_object_get(view, "counts");
	FUZZ_CHECK(
	    (size_t)json_integer_value(json_object_get(counts, "offers")) ==
		offers,
	    "the view has %lld offers, the catalog %zu",
	    (long long)json_integer_value(json_object_get(counts, "offers")),
	    offers);
	FUZZ_CHECK(json_array_size(json_object_get(view, "vendors")) ==
			   cat->n_vendors &&
		       json_array_size(json_object_get(view, "models")) ==
			   cat->n_models,
		   "the view lost a vendor or a model");
	FUZZ_CHECK(json_is_object(json_object_get(view, "site")),
		   "the view has no site");
	char *text = json_dumps(view, JSON_SORT_KEYS);
	FUZZ_CHECK(text != NULL, "the view cannot be written as JSON");
	free(text);
	fuzz_render_pages(&S_renderer, view);
	json_decref(view);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part parts[NSLOTS];
	struct catalog cat;
	struct diags d;

	if (size < 1)
		return 0;
	for (size_t i = 0; i < NSLOTS; i++)
		if (S_dirty[i])
			S_restore(i);
	size_t first = data[0] % NSLOTS;
	if (data[0] & 0x80) {
		size_t gone = (data[0] >> 4) & 7;
		char path[1400];
		S_path(gone, path, sizeof path);
		unlink(path);
		S_dirty[gone] = 1;
	}
	size_t n = fuzz_split((const char *)data + 1, size - 1, parts, NSLOTS);
	for (size_t k = 0; k < n; k++) {
		size_t slot = (first + k) % NSLOTS;
		char path[1400];
		S_path(slot, path, sizeof path);
		fuzz_write_file(path, parts[k].data, parts[k].len);
		S_dirty[slot] = 1;
	}

	diags_init(&d);
	size_t load_errors = catalog_load(&cat, S_dir, &d);
	FUZZ_CHECK(load_errors == d.errors,
		   "catalog_load returned %zu, recorded %zu", load_errors,
		   d.errors);
	size_t errors = validate_catalog(&cat, &d);
	FUZZ_CHECK(load_errors + errors == d.errors,
		   "validate_catalog returned %zu, recorded %zu", errors,
		   d.errors - load_errors);
	for (size_t i = 0; i < d.count; i++) {
		FUZZ_CHECK(S_is_catalog_path(d.items[i].path),
			   "diagnostic about '%s', not a catalog file",
			   d.items[i].path ? d.items[i].path : "(null)");
		FUZZ_CHECK(d.items[i].message && d.items[i].message[0],
			   "empty diagnostic");
		fuzz_check_message(d.items[i].message);
	}
	if (d.errors == 0)
		S_check_valid(&cat);
	if (S_devnull)
		diags_print(&d, S_devnull);
	catalog_release(&cat);
	diags_release(&d);
	return 0;
}
