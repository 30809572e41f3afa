/* adapter: one file per vendor API style (adapter_<style>.c), each turning
 * that API's responses into a struct listing. Adapters do no I/O: the probe
 * scheduler (probe.c) performs the HTTP requests an adapter describes and
 * hands it the bodies, one page at a time.
 *
 * Secrets: an adapter puts the API key only into header values it marks
 * secret (http_request.secret_header), or into request.userpwd; the
 * scheduler never logs those and drops them on a redirect to another host.
 * Adapter error messages never include a key, a header or a signed URL.
 *
 * Ownership: http_request is caller-owned (http_request_init/_release) and
 * owns its strings. */
#ifndef STACKMAP_ADAPTER_H
#define STACKMAP_ADAPTER_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "listing.h"

#define HTTP_MAX_HEADERS 8

struct http_request {
	char *url;			      /* NULL: no request */
	char *headers[HTTP_MAX_HEADERS];      /* "Name: value" */
	bool secret_header[HTTP_MAX_HEADERS]; /* carries a credential */
	size_t n_headers;
	char *aws_sigv4; /* CURLOPT_AWS_SIGV4 value, e.g.
			    "aws:amz:us-east-1:bedrock" */
	char *userpwd;	 /* CURLOPT_USERPWD, secret, for SigV4 */
};

void http_request_init(struct http_request *r);
void http_request_release(struct http_request *r);
/* Appends a "Name: value" header built from fmt. More than
 * HTTP_MAX_HEADERS headers is a programming error: it aborts. */
void http_request_add_header(struct http_request *r, bool secret,
			     const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* What an adapter knows of the vendor it is asking. Strings borrowed. */
struct adapter_ctx {
	const char *vendor_id;
	const char *base_url;	 /* from the catalog, no trailing '/' needed */
	const char *key;	 /* the API key from the environment, or NULL */
	const char *region;	 /* catalog api.region or AWS_REGION, or NULL */
	const char *aws_secret;	 /* bedrock: AWS_SECRET_ACCESS_KEY */
	const char *aws_session; /* bedrock: AWS_SESSION_TOKEN, or NULL */
	int page;		 /* 0 for the first page, then 1, 2, ... */
	/* parse_page only: the URL of the request whose response is being
	 * parsed, or NULL. An adapter refuses a next page whose URL equals
	 * it (a repeated page token would loop until the page cap). */
	const char *request_url;
};

/* No adapter asks for more than this many pages of one listing. */
#define ADAPTER_MAX_PAGES 200

struct adapter {
	const char *style;
	/* Fills req with the first request. Returns 0, or -1 with err. */
	int (*first_request)(const struct adapter_ctx *ctx,
			     struct http_request *req, struct buf *err);
	/* Parses one response body, appending to out. When another page
	 * follows, fills next (next->url != NULL); otherwise leaves it empty.
	 * Returns 0, or -1 with a short message in err (what was wrong with
	 * the body, never the body's secrets or the request's headers). */
	int (*parse_page)(const struct adapter_ctx *ctx, const char *body,
			  size_t len, struct listing *out,
			  struct http_request *next, struct buf *err);
};

/* The adapter for a catalog api.style, or NULL. The result is static. */
const struct adapter *adapter_find(const char *style);
/* Every adapter, in catalog_api_styles order, ending with NULL. */
extern const struct adapter *const adapter_all[];

#endif
