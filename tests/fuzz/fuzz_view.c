/* fuzz_view: a hostile snapshot (catalog/snapshot.json, written by probes
 * from vendors' answers and committed to the repository) merged into the
 * view of tests/fixtures/mini by view_build, then the pages rendered
 * through templates/ as `stackmap build` renders them.
 *
 * The input is the snapshot file. It goes through the checks build.c
 * makes before view_build: snapshot_parse (the checks of snapshot_load)
 * when src/snapshot.h exists, else JSON without duplicate keys with
 * "format": 1 and a "vendors" object; other inputs stop there.
 *
 * Checks: the view keeps every declared offer (a garbage live price must
 * not make an offer vanish), every offer row is complete, the view can be
 * exported as JSON, the pages render and no snapshot value reaches a page
 * unescaped (fuzz_pages.h); everything is freed. */
#include "fuzz_util.h"

#include "fuzz_pages.h"

#include "catalog.h"
#include "diag.h"
#include "validate.h"
#include "view.h"
#if __has_include("snapshot.h")
#include "snapshot.h"
#define S_HAVE_SNAPSHOT 1
#endif

#define MINI FUZZ_SRCDIR "/tests/fixtures/mini"

static struct catalog S_cat;
static struct renderer S_renderer;
static size_t S_offers;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diags d;
	(void)argc;
	(void)argv;
	diags_init(&d);
	if (catalog_load(&S_cat, MINI, &d) + validate_catalog(&S_cat, &d)) {
		diags_print(&d, stderr);
		fprintf(stderr, "fuzz_view: %s is not a valid catalog\n", MINI);
		abort();
	}
	diags_release(&d);
	for (size_t i = 0; i < S_cat.n_vendors; i++)
		S_offers += S_cat.vendors[i].n_offers;
	renderer_open(&S_renderer, FUZZ_TEMPLATES);
	return 0;
}

static void S_check_offer(json_t *row)
{
	static const char *const strings[] = {
	    "vendor_id", "vendor_name", "model_id", "model_name", "remote_id",
	    "input",	 "output",	"blended",  "origin",	  NULL};
	FUZZ_CHECK(json_is_object(row), "offer row is not an object");
	for (size_t i = 0; strings[i]; i++)
		FUZZ_CHECK(json_is_string(json_object_get(row, strings[i])),
			   "offer row without a string '%s'", strings[i]);
	json_t *b = json_object_get(row, "blended_num");
	FUZZ_CHECK(json_is_null(b) || json_is_number(b),
		   "offer blended_num is neither null nor a number");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *snap = NULL;
#ifdef S_HAVE_SNAPSHOT
	struct buf err = BUF_INIT;
	int rc = snapshot_parse((const char *)data, size, "snapshot.json",
				&snap, &err);
	buf_release(&err);
	if (rc != 0)
		return 0;
#else
	json_error_t jerr;
	snap =
	    json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!snap)
		return 0;
	if (!json_is_object(snap) ||
	    json_integer_value(json_object_get(snap, "format")) != 1 ||
	    !json_is_object(json_object_get(snap, "vendors"))) {
		json_decref(snap);
		return 0;
	}
#endif
	json_t *view = view_build(&S_cat, snap);
	FUZZ_CHECK(view != NULL, "view_build returned NULL");
	json_t *offers = json_object_get(view, "offers");
	FUZZ_CHECK(json_array_size(offers) == S_offers ||
		       fuzz_skip("view-offers"),
		   "the view has %zu offers, the catalog declares %zu",
		   json_array_size(offers), S_offers);
	size_t i;
	json_t *row;
	json_array_foreach(offers, i, row) S_check_offer(row);
	json_array_foreach(json_object_get(view, "vendors"), i, row)
	{
		json_t *vo = json_object_get(row, "offers");
		FUZZ_CHECK(json_array_size(vo) ==
				   (size_t)json_integer_value(
				       json_object_get(row, "offer_count")) ||
			       fuzz_skip("view-offers"),
			   "vendor page lists %zu of its %lld offers",
			   json_array_size(vo),
			   (long long)json_integer_value(
			       json_object_get(row, "offer_count")));
	}
	char *text = json_dumps(view, JSON_SORT_KEYS | JSON_INDENT(1) |
					  JSON_ENSURE_ASCII);
	FUZZ_CHECK(text != NULL, "the view cannot be exported as JSON");
	free(text);
	fuzz_render_pages(&S_renderer, view);
	json_decref(view);
	json_decref(snap);
	return 0;
}
