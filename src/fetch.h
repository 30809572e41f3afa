/* fetch: performs the HTTP requests that adapters describe (adapter.h), for
 * many vendors at once over libcurl's multi interface, and hands each
 * response to its adapter until the listing is complete. It knows nothing
 * of catalogs or snapshots; probe.c drives it.
 *
 * Network policy:
 * - https only; plain http is allowed to loopback hosts alone (127.0.0.0/8,
 *   ::1, localhost), for tests. TLS peer and host verification stay on.
 * - At most fetch_options.jobs transfers in flight. Each request has
 *   fetch_options.timeout seconds in all, FETCH_CONNECT_TIMEOUT_S to
 *   connect, and is aborted when it moves less than FETCH_STALL_BYTES a
 *   second for half its timeout. Bodies over FETCH_MAX_BODY are aborted.
 *   gzip and other encodings libcurl knows are accepted.
 * - At most FETCH_MAX_ATTEMPTS attempts per request. Connection failures
 *   (refused, reset, closed early, truncated body, connect timeout), 429 and
 *   5xx are retried after an exponential backoff with jitter, or after the
 *   server's Retry-After, either capped; a retry opens a fresh connection.
 *   Other 4xx, a timeout or stall of an established connection, an
 *   oversize body and an unreadable body are not retried.
 * - Redirects are followed here, not by libcurl, at most
 *   FETCH_MAX_REDIRECTS per request. Credentials (the adapter's secret
 *   headers, user:password and the SigV4 signature) go only to the scheme,
 *   host and port of the vendor's base URL: a redirect or next page
 *   elsewhere is requested without them. https to http is refused
 *   (loopback aside).
 * - No secret header or query string is ever printed: logs show URLs
 *   without their query, and every message is scrubbed of the task's
 *   secrets (ctx.key, ctx.aws_secret, ctx.aws_session).
 *
 * Environment: STACKMAP_BACKOFF_MS="BASE[,CAP]" sets the backoff base and
 * the cap of every wait in milliseconds (default 500,30000).
 *
 * Return convention: 0 on success, -1 on failure with a message in err.
 * Ownership: struct fetch is opaque (fetch_new/fetch_free). A fetch_task
 * is caller-owned (fetch_task_init/fetch_task_release) and must not move
 * while its fetch runs; the strings its caller sets are borrowed. Strings
 * returned by the URL helpers are the caller's to free. */
#ifndef STACKMAP_FETCH_H
#define STACKMAP_FETCH_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>

#include "adapter.h"
#include "buf.h"
#include "listing.h"

#define FETCH_MAX_ATTEMPTS 3
#define FETCH_MAX_REDIRECTS 5
#define FETCH_MAX_BODY (32L << 20)
#define FETCH_CONNECT_TIMEOUT_S 10
#define FETCH_STALL_BYTES 64
#define FETCH_BACKOFF_BASE_MS 500
#define FETCH_BACKOFF_CAP_MS 30000

struct fetch;

/* One vendor's listing to fetch. */
struct fetch_task {
	/* set by the caller before fetch_add */
	const char *name; /* for messages, e.g. the vendor id */
	const struct adapter *adapter;
	struct adapter_ctx ctx;
	const char *key_env; /* named when the key is refused, or NULL */
	void *owner;	     /* the caller's, untouched */
	/* the outcome, final when fetch_options.done is called */
	bool ok;
	struct listing listing; /* sorted; empty unless ok */
	struct buf error;	/* why not ok; never holds a secret */
	long status;		/* the last HTTP status, 0 for none */
	long ms;		/* from the first request to the end */
	/* private to fetch.c */
	struct fetch *fetch;
	int state;
	char *origin; /* of ctx.base_url: where credentials may go */
	struct http_request req;
	char *url; /* req.url, or where a redirect pointed */
	int attempt;
	int redirects;
	int pages;
	CURL *easy;
	struct curl_slist *headers;
	struct buf body;
	bool too_large;
	CURLcode result; /* of the transfer, once finished */
	uint64_t wake;
	uint64_t started;
};

struct fetch_options {
	int jobs;	    /* transfers in flight at most */
	double timeout;	    /* seconds per request */
	bool verbose;	    /* a line per request and retry */
	bool live;	    /* a status line on stderr */
	const char *prefix; /* starts every line printed */
	/* Called once per task as it ends, with arg. */
	void (*done)(struct fetch_task *t, void *arg);
	void *arg;
};

void fetch_task_init(struct fetch_task *t);
void fetch_task_release(struct fetch_task *t);

/* A fetch with options o (copied; strings borrowed), or NULL when libcurl
 * cannot be initialised. */
struct fetch *fetch_new(const struct fetch_options *o);
void fetch_free(struct fetch *f);

/* Queues t. A task that cannot start (a refused base URL, an adapter
 * error) ends at once. */
void fetch_add(struct fetch *f, struct fetch_task *t);

/* Runs every queued task to its end. */
void fetch_run(struct fetch *f);

/* Prints prefix and a line on stderr, clear of the status line. */
void fetch_say(struct fetch *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Checks that url may be fetched: https, or http to a loopback host. */
int fetch_url_check(const char *url, struct buf *err);

/* "scheme://host:port" of url in lower case, or NULL if it does not
 * parse. Two URLs share credentials exactly when their origins are equal. */
char *fetch_url_origin(const char *url);

/* url without user info, query or fragment, fit for a log. */
char *fetch_url_redact(const char *url);

/* The wait in ms before the next attempt after failed attempt number
 * attempt (1-based): retry_after_s seconds when the server sent one (>= 0),
 * else base * 2^(attempt-1) with jitter in [half, full]; never over cap.
 * seed is the caller's random state. */
long fetch_backoff_ms(int attempt, long retry_after_s, long base, long cap,
		      uint32_t *seed);

#endif
