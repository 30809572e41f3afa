/* numtext: the printf-free number text equals the printf forms it
 * replaces, over fixed edge cases and a million pseudo-random values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "listing.h"
#include "numtext.h"

/* xorshift64: a fixed sequence, so a failure reproduces */
static uint64_t S_next(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

static void test_int_edges(void **state)
{
	(void)state;
	static const long long values[] = {0,
					   1,
					   -1,
					   9,
					   10,
					   -10,
					   99,
					   100,
					   123456789,
					   -987654321,
					   LLONG_MAX,
					   LLONG_MIN,
					   LLONG_MIN + 1,
					   1000000000000LL};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char got[32], want[32];
		size_t n = numtext_int(values[i], got);
		snprintf(want, sizeof want, "%lld", values[i]);
		assert_string_equal(got, want);
		assert_int_equal(n, strlen(want));
	}
}

static void test_int_random(void **state)
{
	(void)state;
	uint64_t seed = 88172645463325252ULL;
	for (int i = 0; i < 200000; i++) {
		long long v = (long long)S_next(&seed) >> (i % 60);
		char got[32], want[32];
		numtext_int(v, got);
		snprintf(want, sizeof want, "%lld", v);
		assert_string_equal(got, want);
	}
}

static void test_millionths_examples(void **state)
{
	(void)state;
	char out[32];
	assert_int_equal(numtext_millionths(1500000, out), 3);
	assert_string_equal(out, "1.5");
	numtext_millionths(-250, out);
	assert_string_equal(out, "-0.00025");
	numtext_millionths(3000000, out);
	assert_string_equal(out, "3");
	numtext_millionths(0, out);
	assert_string_equal(out, "0");
	numtext_millionths(999999999999999LL, out);
	assert_string_equal(out, "999999999.999999");
	numtext_millionths(1, out);
	assert_string_equal(out, "0.000001");
}

static void test_as_millionths(void **state)
{
	(void)state;
	long long k = 0;
	assert_int_equal(numtext_as_millionths(0.1, &k), 0);
	assert_int_equal(k, 100000);
	assert_int_equal(numtext_as_millionths(2.75, &k), 0);
	assert_int_equal(k, 2750000);
	assert_int_equal(numtext_as_millionths(-0.00025, &k), 0);
	assert_int_equal(k, -250);
	/* a seventh decimal, a third of a cent, too big, not a number */
	assert_int_equal(numtext_as_millionths(0.0000001, &k), -1);
	assert_int_equal(numtext_as_millionths(1.0 / 3.0, &k), -1);
	assert_int_equal(numtext_as_millionths(2e9, &k), -1);
	assert_int_equal(numtext_as_millionths(NAN, &k), -1);
	assert_int_equal(numtext_as_millionths(INFINITY, &k), -1);
}

/* What listing_format_price printed before numtext: "%.6f", trailing
 * zeros and a bare point dropped. */
static void S_printf_price(double v, char out[64])
{
	snprintf(out, 64, "%.6f", v);
	char *dot = strchr(out, '.');
	if (dot) {
		char *end = out + strlen(out);
		while (end > dot + 1 && end[-1] == '0')
			end--;
		if (end == dot + 1)
			end = dot;
		*end = '\0';
	}
}

static void test_price_equals_printf(void **state)
{
	(void)state;
	uint64_t seed = 0x9E3779B97F4A7C15ULL;
	for (int i = 0; i < 1000000; i++) {
		uint64_t r = S_next(&seed);
		/* magnitudes from 1e-8 to 1e9, both signs, some exact
		 * decimals and some arbitrary doubles */
		double mag = pow(10.0, (double)(r % 1700) / 100.0 - 8.0);
		double v =
		    (double)(S_next(&seed) >> 11) / 9007199254740992.0 * mag;
		if (r & 1)
			v = round(v * 1e4) / 1e4;
		if (r & 2)
			v = -v;
		char got[32], want[64];
		listing_format_price(v, got);
		S_printf_price(listing_round_price(v), want);
		if (strcmp(want, "-0") == 0)
			strcpy(want, "0");
		if (strcmp(got, want) != 0)
			fail_msg("%.17g: got %s, printf gives %s", v, got,
				 want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_int_edges),
	    cmocka_unit_test(test_int_random),
	    cmocka_unit_test(test_millionths_examples),
	    cmocka_unit_test(test_as_millionths),
	    cmocka_unit_test(test_price_equals_printf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
