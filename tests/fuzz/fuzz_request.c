/* fuzz_request: every adapter's first_request with hostile context
 * strings: the catalog's base_url and region, the vendor id, and keys from
 * the environment (a key pasted with a newline is the classic way to
 * smuggle a header).
 *
 * Input: byte 0 picks the adapter (mod the number of adapters); the rest
 * is split at NUL bytes into base_url, key, region, aws_secret,
 * aws_session and vendor_id; a missing part is NULL.
 *
 * Checks on success: the URL is set, has no blank or control byte, and
 * keeps the scheme and host of a base URL the catalog accepts
 * (schema_is_url); no header, SigV4 scope or userpwd has a control byte.
 * A failure has a message. The key shows only in headers marked secret
 * and userpwd: the request is made twice, with keys "Zq9"+part and
 * "Yx8"+part, and the outcome, message, URL, SigV4 scope and every header
 * not marked secret must come out the same. */
#include "fuzz_util.h"

#include <strings.h>

#include "adapter.h"
#include "buf.h"
#include "schema.h"

#define S_PARTS 6

/* scheme://host of url read the way libcurl does (see fuzz_adapter.c),
 * into out; empty when url has no "://". */
static void S_origin(const char *url, char *out, size_t size)
{
	const char *sep = strstr(url, "://");
	out[0] = '\0';
	if (!sep)
		return;
	const char *p = sep + 3;
	size_t n = strcspn(p, "/?#");
	const char *at = memchr(p, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	const char *colon = memchr(p, ':', n);
	if (colon)
		n = (size_t)(colon - p);
	snprintf(out, size, "%.*s://%.*s", (int)(sep - url), url, (int)n, p);
}

static void S_check_controls(const char *s, const char *what, int blanks)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		FUZZ_CHECK(*p >= 0x20 + (blanks ? 1 : 0) && *p != 0x7f,
			   "%s with byte 0x%02x", what, *p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part parts[S_PARTS];
	char *strs[S_PARTS] = {NULL};
	struct adapter_ctx ctx;
	struct http_request req;
	struct buf err = BUF_INIT;
	size_t count = 0;

	if (size < 1)
		return 0;
	while (adapter_all[count])
		count++;
	const struct adapter *a = adapter_all[data[0] % count];
	size_t n = fuzz_split((const char *)data + 1, size - 1, parts, S_PARTS);
	if (size == 1)
		n = 0;
	for (size_t i = 0; i < n; i++)
		strs[i] = fuzz_strndup(parts[i].data, parts[i].len);
	char *key = NULL, *key2 = NULL;
	if (strs[1]) {
		key = malloc(strlen(strs[1]) + 4);
		key2 = malloc(strlen(strs[1]) + 4);
		if (!key || !key2)
			abort();
		strcpy(key, "Zq9");
		strcat(key, strs[1]);
		strcpy(key2, "Yx8");
		strcat(key2, strs[1]);
	}

	memset(&ctx, 0, sizeof ctx);
	ctx.base_url = strs[0];
	ctx.key = key;
	ctx.region = strs[2];
	ctx.aws_secret = strs[3];
	ctx.aws_session = strs[4];
	ctx.vendor_id = strs[5];

	http_request_init(&req);
	int rc = a->first_request(&ctx, &req, &err);
	FUZZ_CHECK(rc == 0 || rc == -1, "%s: first_request returned %d",
		   a->style, rc);

	/* the same request with another key: only secrets may differ */
	struct adapter_ctx ctx2 = ctx;
	struct http_request req2;
	struct buf err2 = BUF_INIT;
	ctx2.key = key2;
	http_request_init(&req2);
	int rc2 = a->first_request(&ctx2, &req2, &err2);
	FUZZ_CHECK(rc == rc2, "%s: the key changes the outcome", a->style);
	FUZZ_CHECK(strcmp(buf_cstr(&err), buf_cstr(&err2)) == 0,
		   "%s: the key changes the error message", a->style);
	if (rc == 0) {
		FUZZ_CHECK(strcmp(req.url, req2.url) == 0,
			   "%s: the key is in the URL", a->style);
		FUZZ_CHECK(req.n_headers == req2.n_headers,
			   "%s: the key changes the headers", a->style);
		for (size_t i = 0; i < req.n_headers; i++)
			FUZZ_CHECK(
			    req.secret_header[i] ||
				strcmp(req.headers[i], req2.headers[i]) == 0,
			    "%s: the key is in a header not marked "
			    "secret",
			    a->style);
		FUZZ_CHECK((!req.aws_sigv4 && !req2.aws_sigv4) ||
			       (req.aws_sigv4 && req2.aws_sigv4 &&
				strcmp(req.aws_sigv4, req2.aws_sigv4) == 0),
			   "%s: the key is in the SigV4 scope", a->style);
	}
	http_request_release(&req2);
	buf_release(&err2);

	if (rc < 0) {
		FUZZ_CHECK(err.len > 0, "%s: failure without a message",
			   a->style);
	} else {
		FUZZ_CHECK(req.url != NULL, "%s: success without a URL",
			   a->style);
		S_check_controls(req.url, "URL", 1);
		/* the catalog only lets through what schema_is_url takes */
		if (ctx.base_url && schema_is_url(ctx.base_url)) {
			char want[512], got[512];
			S_origin(ctx.base_url, want, sizeof want);
			S_origin(req.url, got, sizeof got);
			FUZZ_CHECK(strcasecmp(want, got) == 0,
				   "%s: base URL %.200s gives URL %.200s",
				   a->style, ctx.base_url, req.url);
		}
		for (size_t i = 0; i < req.n_headers; i++)
			S_check_controls(req.headers[i], "header", 0);
		if (req.aws_sigv4)
			S_check_controls(req.aws_sigv4, "SigV4 scope", 1);
		if (req.userpwd)
			S_check_controls(req.userpwd, "userpwd", 0);
	}
	http_request_release(&req);
	buf_release(&err);
	free(key);
	free(key2);
	for (size_t i = 0; i < S_PARTS; i++)
		free(strs[i]);
	return 0;
}
