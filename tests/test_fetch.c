/* Unit tests for the network policy of fetch.c: which URLs may be fetched,
 * where credentials may go, what logs show, and the retry waits. The
 * scheduler itself is tested against the fixture server by
 * tests/suite-probe.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "fetch.h"

static void S_allowed(const char *url)
{
	struct buf err = BUF_INIT;
	if (fetch_url_check(url, &err) != 0)
		print_error("%s: %s\n", url, err.data);
	assert_int_equal(fetch_url_check(url, &err), 0);
	buf_release(&err);
}

static void S_refused(const char *url, const char *why)
{
	struct buf err = BUF_INIT;
	assert_int_equal(fetch_url_check(url, &err), -1);
	assert_string_equal(err.data, why);
	buf_release(&err);
}

static void test_url_check(void **state)
{
	(void)state;
	S_allowed("https://api.together.xyz/v1");
	S_allowed("https://api.example.org:8443/v1/models?x=1");
	S_allowed("http://127.0.0.1:8080/v1");
	S_allowed("http://127.200.3.4/v1");
	S_allowed("http://localhost:9/v1");
	S_allowed("http://LocalHost/v1");
	S_allowed("http://[::1]:8080/v1");
	S_refused("http://api.example.org/v1",
		  "refusing plain http:// to api.example.org (https is "
		  "required except for loopback hosts)");
	S_refused("http://127.0.0.1.example.org/v1",
		  "refusing plain http:// to 127.0.0.1.example.org (https is "
		  "required except for loopback hosts)");
	S_refused("http://128.0.0.1/v1",
		  "refusing plain http:// to 128.0.0.1 (https is required "
		  "except for loopback hosts)");
	S_refused("ftp://127.0.0.1/v1", "refusing the ftp:// scheme");
	S_refused("file:///etc/passwd", "not a valid URL"); /* no host */
	S_refused("not a url", "not a valid URL");
}

static void S_origin(const char *url, const char *want)
{
	char *got = fetch_url_origin(url);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_url_origin(void **state)
{
	(void)state;
	S_origin("https://API.Example.org/v1/models?key=1",
		 "https://api.example.org:443");
	S_origin("https://api.example.org:443/", "https://api.example.org:443");
	S_origin("http://127.0.0.1:8080/v/x", "http://127.0.0.1:8080");
	S_origin("http://localhost:8080/v/x", "http://localhost:8080");
	S_origin("http://[::1]:8080/", "http://::1:8080");
	S_origin("https://user:pw@api.example.org/",
		 "https://api.example.org:443");
	assert_null(fetch_url_origin("::nonsense::"));
}

static void test_url_redact(void **state)
{
	(void)state;
	char *s = fetch_url_redact(
	    "https://user:SECRET@api.example.org/v1/models?key=SECRET#f");
	assert_string_equal(s, "https://api.example.org/v1/models");
	free(s);
	s = fetch_url_redact("::nonsense::");
	assert_string_equal(s, "(unparsable URL)");
	free(s);
}

static void test_backoff(void **state)
{
	(void)state;
	uint32_t seed = 1;
	for (int i = 0; i < 100; i++) {
		long a1 = fetch_backoff_ms(1, -1, 100, 1000, &seed);
		long a2 = fetch_backoff_ms(2, -1, 100, 1000, &seed);
		long a9 = fetch_backoff_ms(9, -1, 100, 1000, &seed);
		assert_in_range(a1, 50, 100);
		assert_in_range(a2, 100, 200);
		assert_in_range(a9, 500, 1000);
	}
	/* Jitter spreads the waits. */
	long first = fetch_backoff_ms(2, -1, 1000, 30000, &seed), other = first;
	for (int i = 0; i < 20 && other == first; i++)
		other = fetch_backoff_ms(2, -1, 1000, 30000, &seed);
	assert_true(other != first);
	/* Retry-After wins, up to the cap. */
	assert_int_equal(fetch_backoff_ms(1, 2, 100, 30000, &seed), 2000);
	assert_int_equal(fetch_backoff_ms(1, 0, 100, 30000, &seed), 0);
	assert_int_equal(fetch_backoff_ms(1, 3600, 100, 1500, &seed), 1500);
	assert_int_equal(
	    fetch_backoff_ms(2, 86400L * 365 * 100, 100, 30000, &seed), 30000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_url_check),
	    cmocka_unit_test(test_url_origin),
	    cmocka_unit_test(test_url_redact),
	    cmocka_unit_test(test_backoff),
	};
	return cmocka_run_group_tests_name("fetch", tests, NULL, NULL);
}
