/* view: how live listings meet catalog offers, on tests/fixtures/live
 * (a host whose listing spells remote ids in other cases, lists two
 * entries that differ only in case, and lists models it does not offer). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "build.h"
#include "buf.h"
#include "catalog.h"
#include "diag.h"
#include "validate.h"
#include "view.h"

#define FIXTURE "tests/fixtures/live"
#include "view_fixture.h"

static json_t *S_vendor(json_t *view, const char *id)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(view, "vendors"), i, v)
	{
		if (strcmp(json_string_value(json_object_get(v, "id")), id) ==
		    0)
			return v;
	}
	fail_msg("no vendor %s", id);
	return NULL;
}

static json_t *S_row(json_t *vendor, const char *remote_id)
{
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(vendor, "offers"), i, o)
	{
		if (strcmp(json_string_value(json_object_get(o, "remote_id")),
			   remote_id) == 0)
			return o;
	}
	fail_msg("no offer %s", remote_id);
	return NULL;
}

static const char *S_text(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "(none)";
}

/* An exact id wins; else the first listing entry (in the listing's
 * order) equal ignoring case; an offer no entry names keeps its declared
 * price. */
static void test_live_match(void **state)
{
	json_t *hostx = S_vendor(*state, "hostx");
	json_t *row = S_row(hostx, "Org/Open-70B");
	assert_string_equal(S_text(row, "origin"), "live");
	assert_string_equal(S_text(row, "input"), "0.20");
	assert_string_equal(S_text(row, "output"), "0.60");
	row = S_row(hostx, "Org/Open-70B-Lite");
	assert_string_equal(S_text(row, "origin"), "live");
	assert_string_equal(S_text(row, "input"), "0.10");
	row = S_row(hostx, "org/open-70b-turbo");
	assert_string_equal(S_text(row, "origin"), "declared");
	assert_string_equal(S_text(row, "input"), "1.20");
}

/* Listing entries that no offer names, ignoring case, in byte order. */
static void test_also_listed(void **state)
{
	json_t *hostx = S_vendor(*state, "hostx");
	json_t *also = json_object_get(hostx, "also_listed");
	static const char *const want[] = {"Alpha/Extra", "alpha/extra-2",
					   "zeta/last"};
	assert_int_equal(json_array_size(also), 3);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(S_text(json_array_get(also, i), "id"),
				    want[i]);
	assert_string_equal(S_text(json_array_get(also, 2), "name"), "Zeta");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_live_match),
	    cmocka_unit_test(test_also_listed),
	};
	return cmocka_run_group_tests(tests, view_fixture_setup,
				      view_fixture_teardown);
}
