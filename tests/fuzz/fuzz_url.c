/* fuzz_url: the URL policy of fetch.c on hostile URLs (a next page or a
 * redirect Location comes from the vendor's server): fetch_url_check,
 * fetch_url_origin, which decides where credentials may go, and
 * fetch_url_redact, which makes a URL fit for a log.
 *
 * Input: the URL (up to the first NUL).
 *
 * Checks:
 * - an accepted URL is https, or http to a loopback host, as libcurl
 *   itself parses the URL (scheme and host read back through CURLU);
 * - the origin is "scheme://host:port" in lower case with a numeric port,
 *   and redacting an accepted URL never changes its origin;
 * - the redacted form has no user, password, query or fragment, and does
 *   not contain the URL's password or query text. */
#include "fuzz_util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>

#include "buf.h"
#include "fetch.h"

static int S_loopback(const char *host)
{
	unsigned char a[16];
	if (strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 ||
	    strcmp(host, "::1") == 0)
		return 1;
	return inet_pton(AF_INET, host, a) == 1 && a[0] == 127;
}

static char *S_part(CURLU *u, CURLUPart what, unsigned flags)
{
	char *s = NULL;
	if (curl_url_get(u, what, &s, flags) != CURLUE_OK)
		return NULL;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *url = fuzz_strndup((const char *)data, size);
	struct buf err = BUF_INIT;
	CURLU *u = curl_url();
	int parsed = u && curl_url_set(u, CURLUPART_URL, url,
				       CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK;
	char *scheme = parsed ? S_part(u, CURLUPART_SCHEME, 0) : NULL;
	char *host = parsed ? S_part(u, CURLUPART_HOST, 0) : NULL;

	int ok = fetch_url_check(url, &err) == 0;
	if (ok) {
		FUZZ_CHECK(scheme && host,
			   "accepted a URL curl cannot parse: "
			   "%.200s",
			   url);
		FUZZ_CHECK(
		    strcasecmp(scheme, "https") == 0 ||
			(strcasecmp(scheme, "http") == 0 && S_loopback(host)),
		    "accepted %s://%s", scheme, host);
	} else {
		FUZZ_CHECK(err.len > 0, "refused without a message");
	}

	char *origin = fetch_url_origin(url);
	if (origin) {
		const char *sep = strstr(origin, "://");
		FUZZ_CHECK(sep != NULL, "origin '%s'", origin);
		for (const char *p = origin; *p; p++)
			FUZZ_CHECK(!isupper((unsigned char)*p),
				   "origin '%s' is not lower case", origin);
		const char *colon = strrchr(origin, ':');
		FUZZ_CHECK(colon > sep && colon[1] != '\0' &&
			       strspn(colon + 1, "0123456789") ==
				   strlen(colon + 1),
			   "origin '%s' has no numeric port", origin);
		FUZZ_CHECK(parsed, "an origin for a URL curl refuses");
	}

	char *shown = fetch_url_redact(url);
	FUZZ_CHECK(shown != NULL, "fetch_url_redact returned NULL");
	if (origin && ok) {
		char *again = fetch_url_origin(shown);
		FUZZ_CHECK(again && strcmp(again, origin) == 0,
			   "redacting '%.200s' moves it from %s to %s", url,
			   origin, again ? again : "(none)");
		free(again);
		CURLU *r = curl_url();
		FUZZ_CHECK(curl_url_set(r, CURLUPART_URL, shown,
					CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK,
			   "redacted URL does not parse: %.200s", shown);
		static const CURLUPart hidden[] = {
		    CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_QUERY,
		    CURLUPART_FRAGMENT, CURLUPART_OPTIONS};
		for (size_t i = 0; i < sizeof hidden / sizeof *hidden; i++) {
			char *p = S_part(r, hidden[i], 0);
			FUZZ_CHECK(!p || !*p,
				   "redacted URL %.200s keeps part %d", shown,
				   (int)hidden[i]);
			curl_free(p);
		}
		curl_url_cleanup(r);
	}
	free(shown);
	free(origin);
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	buf_release(&err);
	free(url);
	return 0;
}
