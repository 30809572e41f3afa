/* jsonout: the compact writer reads back as the tree it wrote, keeps the
 * insertion order, escapes what JSON requires and prints reals in their
 * shortest form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "buf.h"
#include "jsonout.h"

static char *S_write(const json_t *v)
{
	struct buf out = BUF_INIT;
	jsonout_write(&out, v);
	return buf_detach(&out, NULL);
}

static void test_exact_text(void **state)
{
	(void)state;
	json_t *v = json_pack("{s:s, s:i, s:f, s:f, s:b, s:n, s:[i, s]}", "z",
			      "a\"b\\c\n\t\x01\x7f é 😀", "i", -42, "r", 0.35,
			      "w", 3.0, "t", 1, "n", "a", 1, "x");
	char *text = S_write(v);
	assert_string_equal(text, "{\"z\":\"a\\\"b\\\\c\\n\\t\\u0001\\u007f é "
				  "😀\",\"i\":-42,\"r\":0.35,\"w\":3.0,"
				  "\"t\":true,\"n\":null,\"a\":[1,\"x\"]}");
	free(text);
	json_decref(v);
	json_t *empty = json_pack("{s:{}, s:[], s:s}", "o", "a", "s", "");
	text = S_write(empty);
	assert_string_equal(text, "{\"o\":{},\"a\":[],\"s\":\"\"}");
	free(text);
	json_decref(empty);
}

/* Every string of bytes 1..255 (valid UTF-8 as jansson holds it) and a
 * spread of reals read back equal. */
static void test_round_trip(void **state)
{
	(void)state;
	json_t *arr = json_array();
	for (int c = 1; c < 0x80; c++) {
		char s[4] = {'x', (char)c, 'y', 0};
		json_array_append_new(arr, json_string(s));
	}
	uint64_t x = 7;
	for (int i = 0; i < 5000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		double d = (double)(x >> 11) / (double)(1ULL << (x % 60));
		json_array_append_new(arr, json_real(i % 2 ? d : -d));
		json_array_append_new(arr, json_integer((json_int_t)(x >> 1)));
	}
	char *text = S_write(arr);
	json_error_t err;
	json_t *back = json_loads(text, 0, &err);
	assert_non_null(back);
	assert_true(json_equal(arr, back));
	free(text);
	json_decref(back);
	json_decref(arr);
}

static void test_object_without(void **state)
{
	(void)state;
	json_t *v =
	    json_pack("{s:i, s:[i], s:s}", "a", 1, "offers", 2, "b", "x");
	struct buf out = BUF_INIT;
	jsonout_object_without(&out, v, "offers");
	assert_string_equal(buf_cstr(&out), "{\"a\":1,\"b\":\"x\"}");
	buf_reset(&out);
	jsonout_object_without(&out, v, "a");
	assert_string_equal(buf_cstr(&out), "{\"offers\":[2],\"b\":\"x\"}");
	buf_reset(&out);
	int first = 1;
	buf_putc(&out, '{');
	jsonout_key(&out, "k\"1", &first);
	buf_putc(&out, '1');
	jsonout_key(&out, "k2", &first);
	buf_puts(&out, "2}");
	assert_string_equal(buf_cstr(&out), "{\"k\\\"1\":1,\"k2\":2}");
	buf_release(&out);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact_text),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_object_without),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
