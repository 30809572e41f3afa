#include "fetch.h"

#include <arpa/inet.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "exitcode.h"
#include "version.h"
#include "xalloc.h"

/* How often the status line is redrawn, in ms. */
#define S_STATUS_MS 100

enum {
	S_PENDING,  /* ready to start a transfer */
	S_RUNNING,  /* a transfer is in flight */
	S_FINISHED, /* the transfer ended; its answer awaits handling */
	S_WAITING,  /* backing off until wake */
	S_DONE,
};

struct fetch {
	struct fetch_options opt;
	CURLM *multi;
	struct fetch_task **tasks;
	size_t n_tasks;
	size_t cap;
	size_t running;
	size_t finished; /* tasks in S_FINISHED */
	size_t done;
	size_t bytes;
	uint64_t drawn; /* when the status line was last drawn */
	long backoff_base;
	long backoff_cap;
	uint32_t seed;
};

static uint64_t S_clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- URL policy ---------------------------------------------------------- */

/* The scheme and host of url (lower case, IPv6 without brackets) and its
 * port, defaulted. Returns 0, or -1 when url does not parse. */
static int S_url_parts(const char *url, char **scheme, char **host, char **port)
{
	CURLU *u = curl_url();
	char *canonical = NULL;
	int rc = -1;
	*scheme = *host = *port = NULL;
	/* the parts of the URL as libcurl writes it back, parsed again: a
	 * host reads differently once written ("%30" is "0", then 0.0.0.0),
	 * and a URL must have the same origin as its redacted, logged form */
	if (!u ||
	    curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ||
	    curl_url_get(u, CURLUPART_URL, &canonical, 0) ||
	    curl_url_set(u, CURLUPART_URL, canonical,
			 CURLU_NON_SUPPORT_SCHEME) ||
	    curl_url_get(u, CURLUPART_SCHEME, scheme, 0) ||
	    curl_url_get(u, CURLUPART_HOST, host, 0) ||
	    curl_url_get(u, CURLUPART_PORT, port, CURLU_DEFAULT_PORT))
		goto out;
	for (char *p = *host; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	if (**host == '[') {
		size_t n = strlen(*host);
		memmove(*host, *host + 1, n - 1);
		(*host)[n - (n > 1 && (*host)[n - 2] == ']' ? 2 : 1)] = '\0';
	}
	rc = 0;
out:
	if (rc) {
		curl_free(*scheme);
		curl_free(*host);
		curl_free(*port);
		*scheme = *host = *port = NULL;
	}
	curl_free(canonical);
	curl_url_cleanup(u);
	return rc;
}

static bool S_loopback(const char *host)
{
	unsigned char a[16];
	if (strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0)
		return true;
	return inet_pton(AF_INET, host, a) == 1 && a[0] == 127;
}

int fetch_url_check(const char *url, struct buf *err)
{
	char *scheme, *host, *port;
	int rc = -1;
	if (S_url_parts(url, &scheme, &host, &port) != 0) {
		buf_puts(err, "not a valid URL");
		return -1;
	}
	if (strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789.-:[]") != strlen(host))
		/* libcurl decodes %XX in a host: a control byte there
		 * would make the URL's origin differ from its logged form */
		buf_puts(err, "refusing a host name with characters a host "
			      "name cannot have");
	else if (strcmp(scheme, "https") == 0 ||
		 (strcmp(scheme, "http") == 0 && S_loopback(host)))
		rc = 0;
	else if (strcmp(scheme, "http") == 0)
		buf_printf(err,
			   "refusing plain http:// to %s (https is "
			   "required except for loopback hosts)",
			   host);
	else
		buf_printf(err, "refusing the %s:// scheme", scheme);
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	return rc;
}

char *fetch_url_origin(const char *url)
{
	char *scheme, *host, *port;
	struct buf b = BUF_INIT;
	if (S_url_parts(url, &scheme, &host, &port) != 0)
		return NULL;
	buf_printf(&b, "%s://%s:%s", scheme, host, port);
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	return buf_detach(&b, NULL);
}

char *fetch_url_redact(const char *url)
{
	CURLU *u = curl_url();
	char *clean = NULL, *out;
	if (u && !curl_url_set(u, CURLUPART_URL, url, 0) &&
	    !curl_url_set(u, CURLUPART_USER, NULL, 0) &&
	    !curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) &&
	    !curl_url_set(u, CURLUPART_OPTIONS, NULL, 0) &&
	    !curl_url_set(u, CURLUPART_QUERY, NULL, 0) &&
	    !curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0))
		curl_url_get(u, CURLUPART_URL, &clean, 0);
	out = xstrdup(clean ? clean : "(unparsable URL)");
	curl_free(clean);
	curl_url_cleanup(u);
	return out;
}

long fetch_backoff_ms(int attempt, long retry_after_s, long base, long cap,
		      uint32_t *seed)
{
	long ms;
	if (retry_after_s >= 0) {
		ms = retry_after_s > cap / 1000 ? cap : retry_after_s * 1000;
	} else {
		ms = base;
		for (int i = 1; i < attempt && ms < cap; i++)
			ms *= 2;
		if (ms > cap)
			ms = cap;
		/* xorshift32: jitter needs no quality, only spread */
		uint32_t x = *seed ? *seed : 2463534242u;
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		*seed = x;
		ms = ms / 2 + (long)(x % (uint32_t)(ms / 2 + 1));
	}
	return ms;
}

/* ---- output -------------------------------------------------------------- */

/* Replaces every occurrence of the task's secrets in b with "***". */
static void S_scrub(const struct fetch_task *t, struct buf *b)
{
	const char *secrets[] = {t->ctx.key, t->ctx.aws_secret,
				 t->ctx.aws_session};
	for (size_t i = 0; i < 3; i++) {
		const char *s = secrets[i];
		size_t n = s ? strlen(s) : 0;
		char *hit;
		if (n < 4 || !b->data)
			continue;
		while ((hit = strstr(b->data, s))) {
			size_t at = (size_t)(hit - b->data);
			memcpy(hit, "***", 3);
			memmove(hit + 3, hit + n, b->len - at - n + 1);
			b->len -= n - 3;
		}
	}
}

static void S_status_clear(struct fetch *f)
{
	if (f->opt.live)
		fputs("\r\033[K", stderr);
}

/* Draws the status line, at most every S_STATUS_MS unless force. */
static void S_status(struct fetch *f, bool force)
{
	uint64_t now = S_clock_ms();
	bool small = f->bytes < 1000000;
	if (!f->opt.live || (!force && now - f->drawn < S_STATUS_MS))
		return;
	f->drawn = now;
	fprintf(stderr, "\r\033[K%s%zu/%zu done, %zu in flight, %.*f %s",
		f->opt.prefix, f->done, f->n_tasks, f->running, small ? 0 : 1,
		(double)f->bytes / (small ? 1e3 : 1e6), small ? "kB" : "MB");
	fflush(stderr);
}

void fetch_say(struct fetch *f, const char *fmt, ...)
{
	va_list ap;
	S_status_clear(f);
	fputs(f->opt.prefix, stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	S_status(f, true);
}

/* A --verbose line about t, scrubbed of its secrets. */
static void S_verbose(const struct fetch_task *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void S_verbose(const struct fetch_task *t, const char *fmt, ...)
{
	struct buf line = BUF_INIT;
	va_list ap;
	if (!t->fetch->opt.verbose)
		return;
	buf_printf(&line, "%s: ", t->name);
	va_start(ap, fmt);
	buf_vprintf(&line, fmt, ap);
	va_end(ap);
	S_scrub(t, &line);
	fetch_say(t->fetch, "%s", line.data);
	buf_release(&line);
}

/* ---- one task ------------------------------------------------------------ */

void fetch_task_init(struct fetch_task *t)
{
	memset(t, 0, sizeof(*t));
	listing_init(&t->listing);
	buf_init(&t->error);
	http_request_init(&t->req);
	buf_init(&t->body);
}

void fetch_task_release(struct fetch_task *t)
{
	listing_release(&t->listing);
	buf_release(&t->error);
	http_request_release(&t->req);
	buf_release(&t->body);
	free(t->origin);
	free(t->url);
	t->origin = t->url = NULL;
}

/* Ends t, ok or with a message (printf-style), and tells the caller. */
static void S_end(struct fetch_task *t, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void S_end(struct fetch_task *t, bool ok, const char *fmt, ...)
{
	struct fetch *f = t->fetch;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		buf_vprintf(&t->error, fmt, ap);
		va_end(ap);
		S_scrub(t, &t->error);
	}
	t->ok = ok;
	t->state = S_DONE;
	t->ms = t->started ? (long)(S_clock_ms() - t->started) : 0;
	buf_release(&t->body);
	if (ok)
		listing_sort(&t->listing);
	else
		listing_release(&t->listing);
	buf_cstr(&t->error); /* error.data is never NULL for the caller */
	f->done++;
	if (f->opt.done)
		f->opt.done(t, f->opt.arg);
}

/* libcurl's write callback: keeps the body, up to FETCH_MAX_BODY. */
static size_t S_write(char *data, size_t size, size_t n, void *ctx)
{
	struct fetch_task *t = ctx;
	size_t len = size * n;
	if (t->body.len + len > (size_t)FETCH_MAX_BODY) {
		t->too_large = true;
		return 0; /* aborts the transfer */
	}
	buf_append(&t->body, data, len);
	t->fetch->bytes += len;
	return len;
}

/* Starts a transfer of t->url. */
static void S_start(struct fetch_task *t)
{
	struct fetch *f = t->fetch;
	struct buf err = BUF_INIT;
	char *origin = NULL, *shown = NULL;
	CURL *e;
	bool creds;
	if (fetch_url_check(t->url, &err) != 0) {
		S_end(t, false, "%s", err.data);
		goto out;
	}
	origin = fetch_url_origin(t->url);
	creds = origin && strcmp(origin, t->origin) == 0;
	shown = fetch_url_redact(t->url);
	S_verbose(t, "GET %s (attempt %d of %d%s)", shown, t->attempt,
		  FETCH_MAX_ATTEMPTS, creds ? "" : ", without credentials");
	for (size_t i = 0; i < t->req.n_headers; i++)
		if (creds || !t->req.secret_header[i])
			t->headers =
			    curl_slist_append(t->headers, t->req.headers[i]);
	long timeout_ms = (long)(f->opt.timeout * 1000);
	long stall_s = timeout_ms / 2000 > 0 ? timeout_ms / 2000 : 1;
	if (!(e = curl_easy_init())) {
		fputs("stackmap: out of memory\n", stderr);
		exit(EXIT_SYSTEM);
	}
	t->easy = e;
	buf_reset(&t->body);
	t->too_large = false;
	curl_easy_setopt(e, CURLOPT_URL, t->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, t->attempt > 1 ? 1L : 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "stackmap/" STACKMAP_VERSION);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			 timeout_ms < FETCH_CONNECT_TIMEOUT_S * 1000L
			     ? timeout_ms
			     : FETCH_CONNECT_TIMEOUT_S * 1000L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, (long)FETCH_STALL_BYTES);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, stall_s);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)FETCH_MAX_BODY);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, S_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	if (creds && t->req.userpwd)
		curl_easy_setopt(e, CURLOPT_USERPWD, t->req.userpwd);
	if (creds && t->req.aws_sigv4)
		curl_easy_setopt(e, CURLOPT_AWS_SIGV4, t->req.aws_sigv4);
	if (!t->started)
		t->started = S_clock_ms();
	curl_multi_add_handle(f->multi, e);
	t->state = S_RUNNING;
	f->running++;
out:
	free(origin);
	free(shown);
	buf_release(&err);
}

/* Takes t's transfer out of the multi handle, freeing its slot; the easy
 * handle stays for S_transfer_done to read. */
static void S_unhook(struct fetch_task *t)
{
	if (t->state != S_RUNNING)
		return;
	curl_multi_remove_handle(t->fetch->multi, t->easy);
	t->fetch->running--;
	t->fetch->finished++;
	t->state = S_FINISHED;
}

/* Frees t's transfer. */
static void S_detach(struct fetch_task *t)
{
	S_unhook(t);
	curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->headers);
	t->easy = NULL;
	t->headers = NULL;
}

/* Schedules another attempt after reason, or ends t when the attempts
 * are used up. */
static void S_retry(struct fetch_task *t, long retry_after_s,
		    const char *reason)
{
	struct fetch *f = t->fetch;
	if (t->attempt >= FETCH_MAX_ATTEMPTS) {
		S_end(t, false, "%s (after %d attempts)", reason, t->attempt);
		return;
	}
	long ms = fetch_backoff_ms(t->attempt, retry_after_s, f->backoff_base,
				   f->backoff_cap, &f->seed);
	S_verbose(t, "%s; retrying in %ld ms", reason, ms);
	t->attempt++;
	t->state = S_WAITING;
	t->wake = S_clock_ms() + (uint64_t)ms;
}

static bool S_connection_error(CURLcode code)
{
	switch (code) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

/* Handles a transport failure of t's transfer. */
static void S_transport_failed(struct fetch_task *t, CURLcode code)
{
	double timeout = t->fetch->opt.timeout, total = 0;
	long sent = 0; /* request bytes: 0 when no connection was made */
	curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME, &total);
	curl_easy_getinfo(t->easy, CURLINFO_REQUEST_SIZE, &sent);
	if (t->too_large || code == CURLE_FILESIZE_EXCEEDED) {
		S_end(t, false, "the response is larger than %ld MiB",
		      FETCH_MAX_BODY >> 20);
	} else if (code == CURLE_OPERATION_TIMEDOUT && sent == 0) {
		S_retry(t, -1, "could not connect in time");
	} else if (code == CURLE_OPERATION_TIMEDOUT && total < timeout - 0.25) {
		S_end(t, false,
		      "the transfer stalled (less than %d bytes a second for "
		      "%.0f s)",
		      FETCH_STALL_BYTES,
		      timeout >= 2 ? floor(timeout / 2) : 1.0);
	} else if (code == CURLE_OPERATION_TIMEDOUT) {
		S_end(t, false, "timed out after %g s", timeout);
	} else if (S_connection_error(code)) {
		long os_errno = 0;
		struct buf why = BUF_INIT;
		curl_easy_getinfo(t->easy, CURLINFO_OS_ERRNO, &os_errno);
		buf_puts(&why, code == CURLE_PARTIAL_FILE
				   ? "the response was cut short"
				   : curl_easy_strerror(code));
		if (os_errno)
			buf_printf(&why, " (%s)", strerror((int)os_errno));
		S_retry(t, -1, why.data);
		buf_release(&why);
	} else {
		S_end(t, false, "%s", curl_easy_strerror(code));
	}
}

/* Whether the body looks like an HTML page rather than data. */
static bool S_html(CURL *e, const struct buf *body)
{
	char *type = NULL;
	curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &type);
	if (type && strncasecmp(type, "text/html", 9) == 0)
		return true;
	for (size_t i = 0; i < body->len; i++)
		if (body->data[i] != ' ' && body->data[i] != '\n' &&
		    body->data[i] != '\r' && body->data[i] != '\t')
			return body->data[i] == '<';
	return false;
}

/* Points t at the target of a redirect answer. */
static void S_redirect(struct fetch_task *t)
{
	char *target = NULL;
	curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_URL, &target);
	if (!target) {
		S_end(t, false, "HTTP %ld without a Location", t->status);
	} else if (++t->redirects > FETCH_MAX_REDIRECTS) {
		S_end(t, false, "more than %d redirects", FETCH_MAX_REDIRECTS);
	} else {
		free(t->url);
		t->url = xstrdup(target);
		t->state = S_PENDING;
	}
}

/* Hands a complete 2xx body to the adapter; then asks for the next page
 * or ends t. */
static void S_page(struct fetch_task *t)
{
	struct http_request next;
	struct buf err = BUF_INIT;
	http_request_init(&next);
	t->ctx.page = t->pages;
	t->ctx.request_url = t->req.url;
	if (S_html(t->easy, &t->body)) {
		S_end(t, false, "HTTP %ld with an HTML page instead of data",
		      t->status);
	} else if (t->adapter->parse_page(&t->ctx, buf_cstr(&t->body),
					  t->body.len, &t->listing, &next,
					  &err) != 0) {
		S_end(t, false, "unreadable listing: %s",
		      err.len ? err.data : "the adapter refused it");
	} else if (!next.url) {
		S_end(t, true, NULL);
	} else if (++t->pages >= ADAPTER_MAX_PAGES) {
		S_end(t, false, "more than %d pages", ADAPTER_MAX_PAGES);
	} else {
		http_request_release(&t->req);
		t->req = next;
		http_request_init(&next);
		free(t->url);
		t->url = xstrdup(t->req.url);
		t->attempt = 1;
		t->redirects = 0;
		t->state = S_PENDING;
	}
	t->ctx.request_url = NULL;
	http_request_release(&next);
	buf_release(&err);
}

/* Acts on t's finished transfer: ends t, or leaves it waiting or pending
 * (a retry, a redirect, the next page). */
static void S_transfer_done(struct fetch_task *t, CURLcode code)
{
	curl_off_t retry_after = -1;
	t->fetch->finished--;
	t->status = 0;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->status);
	curl_easy_getinfo(t->easy, CURLINFO_RETRY_AFTER, &retry_after);
	S_verbose(t, "%s%ld, %zu bytes",
		  code == CURLE_OK ? "HTTP " : "no complete answer, HTTP ",
		  t->status, t->body.len);
	if (code != CURLE_OK) {
		S_transport_failed(t, code);
	} else if (t->status == 301 || t->status == 302 || t->status == 303 ||
		   t->status == 307 || t->status == 308) {
		S_redirect(t);
	} else if (t->status == 429 || t->status >= 500) {
		char reason[32];
		snprintf(reason, sizeof(reason), "HTTP %ld", t->status);
		S_retry(t, retry_after > 0 ? (long)retry_after : -1, reason);
	} else if ((t->status == 401 || t->status == 403) && t->key_env) {
		S_end(t, false, "HTTP %ld: the key in %s was refused",
		      t->status, t->key_env);
	} else if (t->status < 200 || t->status >= 300) {
		S_end(t, false, "HTTP %ld", t->status);
	} else {
		S_page(t);
	}
	S_detach(t);
}

/* ---- the scheduler ------------------------------------------------------- */

/* Reads STACKMAP_BACKOFF_MS="BASE[,CAP]". */
static void S_backoff_env(struct fetch *f)
{
	const char *s = getenv("STACKMAP_BACKOFF_MS");
	char *end;
	f->backoff_base = FETCH_BACKOFF_BASE_MS;
	f->backoff_cap = FETCH_BACKOFF_CAP_MS;
	if (!s || !*s)
		return;
	long base = strtol(s, &end, 10);
	if (base >= 0 && (*end == '\0' || *end == ',')) {
		f->backoff_base = base;
		if (*end == ',') {
			long cap = strtol(end + 1, &end, 10);
			if (cap >= 0 && !*end)
				f->backoff_cap = cap;
		}
	}
}

struct fetch *fetch_new(const struct fetch_options *o)
{
	struct fetch *f;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return NULL;
	f = xcalloc(1, sizeof(*f));
	f->opt = *o;
	if (!f->opt.prefix)
		f->opt.prefix = "";
	if (f->opt.jobs < 1)
		f->opt.jobs = 1;
	if (!(f->multi = curl_multi_init())) {
		free(f);
		curl_global_cleanup();
		return NULL;
	}
	S_backoff_env(f);
	f->seed = (uint32_t)S_clock_ms() ^ (uint32_t)getpid();
	signal(SIGPIPE, SIG_IGN); /* CURLOPT_NOSIGNAL leaves it to us */
	return f;
}

void fetch_free(struct fetch *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_tasks; i++)
		if (f->tasks[i]->easy)
			S_detach(f->tasks[i]);
	curl_multi_cleanup(f->multi);
	free(f->tasks);
	free(f);
	curl_global_cleanup();
}

void fetch_add(struct fetch *f, struct fetch_task *t)
{
	struct buf err = BUF_INIT;
	if (f->n_tasks == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 16;
		f->tasks = xrealloc(f->tasks, f->cap * sizeof(*f->tasks));
	}
	f->tasks[f->n_tasks++] = t;
	t->fetch = f;
	t->origin = t->ctx.base_url ? fetch_url_origin(t->ctx.base_url) : NULL;
	if (!t->origin || fetch_url_check(t->ctx.base_url, &err) != 0) {
		S_end(t, false, "the base URL: %s",
		      err.len ? err.data : "not a valid URL");
	} else if (t->adapter->first_request(&t->ctx, &t->req, &err) != 0 ||
		   !t->req.url) {
		S_end(t, false, "%s",
		      err.len ? err.data : "the adapter made no request");
	} else {
		t->url = xstrdup(t->req.url);
		t->attempt = 1;
		t->state = S_PENDING;
	}
	buf_release(&err);
}

/* Wakes the tasks whose backoff is over and starts pending ones while
 * fewer than jobs transfers are in flight: first those already under way (a
 * retry, a redirect, a next page), then new ones. Returns how long to wait
 * for the next wake, at most S_STATUS_MS. */
static long S_fill(struct fetch *f)
{
	size_t jobs = (size_t)f->opt.jobs;
	uint64_t now = S_clock_ms();
	long wait = S_STATUS_MS;
	for (int begun = 1; begun >= 0; begun--)
		for (size_t i = 0; i < f->n_tasks; i++) {
			struct fetch_task *t = f->tasks[i];
			if (t->state == S_WAITING && t->wake <= now)
				t->state = S_PENDING;
			if (t->state == S_WAITING &&
			    (long)(t->wake - now) < wait)
				wait = (long)(t->wake - now);
			if (t->state == S_PENDING && f->running < jobs &&
			    (t->started != 0) == begun)
				S_start(t);
		}
	return wait;
}

/* Moves the transfers libcurl reports finished out of their slots. */
static void S_collect(struct fetch *f)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(f->multi, &left))) {
		struct fetch_task *t = NULL;
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
				  (char **)&t);
		t->result = msg->data.result;
		S_unhook(t);
	}
}

/* The scheduler's loop. A finished transfer gives up its slot at once;
 * before its answer is parsed (the costly part), the free slots are filled
 * and the new requests sent, so that parsing overlaps their wait. */
void fetch_run(struct fetch *f)
{
	S_status(f, true);
	while (f->done < f->n_tasks) {
		long wait = S_fill(f);
		int still;
		curl_multi_perform(f->multi, &still);
		S_collect(f);
		if (f->finished) {
			for (size_t i = 0; i < f->n_tasks; i++) {
				struct fetch_task *t = f->tasks[i];
				if (t->state != S_FINISHED)
					continue;
				S_fill(f);
				curl_multi_perform(f->multi, &still);
				S_collect(f);
				S_transfer_done(t, t->result);
			}
			S_status(f, false);
			continue; /* a slot may be free: fill it first */
		}
		S_status(f, false);
		if (f->done == f->n_tasks)
			break;
		if (f->running)
			curl_multi_poll(f->multi, NULL, 0, (int)wait, NULL);
		else
			usleep((useconds_t)wait * 1000);
	}
	S_status_clear(f);
}
