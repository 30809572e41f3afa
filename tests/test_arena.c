/* arena: jansson values made between arena_begin and arena_end come from
 * the arena, values made outside it from malloc; the two kinds can refer
 * to each other and be released in any order (make valgrind runs this
 * too: a free of an arena value or a leak of a malloc one fails it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <string.h>

#include "arena.h"

static void test_mixed_values(void **state)
{
	(void)state;
	json_t *before = json_pack("{s:s}", "made", "before"); /* malloc */
	if (arena_begin() != 0) {
		/* built with AddressSanitizer: the arena is off */
		assert_int_equal(arena_used(), 0);
		json_decref(before);
		skip();
	}
	size_t used0 = arena_used();
	json_t *view = json_object();
	json_t *rows = json_array();
	for (int i = 0; i < 20000; i++) /* a table bigger than a block */
		json_array_append_new(
		    rows,
		    json_pack("{s:i, s:s}", "n", i, "name", "row with a name"));
	json_object_set_new(view, "rows", rows);
	json_object_set(view, "before", before); /* arena -> malloc */
	/* temporaries freed inside the arena: a no-op */
	json_decref(json_string("temporary"));
	size_t used1 = arena_used();
	assert_true(used1 > used0 + 20000 * 64);
	arena_end();

	/* after the end: malloc again, holding arena values */
	json_t *after = json_object();
	json_object_set(after, "rows", rows);
	assert_int_equal(arena_used(), used1);
	assert_int_equal(json_integer_value(
			     json_object_get(json_array_get(rows, 19999), "n")),
			 19999);
	json_decref(after);  /* a malloc object whose members are arena's */
	json_decref(before); /* still referenced from the arena: kept */
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(view, "before"), "made")),
			    "before");
	assert_int_equal(before->refcount, 1);
	/* the arena's values go at once, without dropping what they held:
	 * a malloc value they refer to is the caller's to drop */
	arena_release();
	assert_int_equal(arena_used(), 0);
	json_decref(before); /* after the release: free() again */
	json_t *plain = json_string("plain");
	assert_string_equal(json_string_value(plain), "plain");
	json_decref(plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mixed_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
