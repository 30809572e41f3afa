/* adapter: the http_request type every adapter fills in, and the table
 * that maps a catalog api.style to its adapter. */
#include "adapter.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter_util.h"
#include "xalloc.h"

const struct adapter *const adapter_all[] = {
    &adapter_openai,   &adapter_anthropic,  &adapter_gemini,
    &adapter_together, &adapter_openrouter, &adapter_deepinfra,
    &adapter_pertoken, &adapter_novita,	    &adapter_cloudflare,
    &adapter_bedrock,  &adapter_azure,	    NULL,
};

void http_request_init(struct http_request *r)
{
	memset(r, 0, sizeof(*r));
}

/* Overwrites a string before freeing it, so a credential does not linger
 * in freed heap memory. The volatile pointer keeps the stores. */
static void S_free_wiped(char *s)
{
	if (!s)
		return;
	for (volatile char *p = s; *p; p++)
		*p = '\0';
	free(s);
}

void http_request_release(struct http_request *r)
{
	free(r->url);
	for (size_t i = 0; i < r->n_headers; i++) {
		if (r->secret_header[i])
			S_free_wiped(r->headers[i]);
		else
			free(r->headers[i]);
	}
	free(r->aws_sigv4);
	S_free_wiped(r->userpwd);
	http_request_init(r);
}

void http_request_add_header(struct http_request *r, bool secret,
			     const char *fmt, ...)
{
	if (r->n_headers >= HTTP_MAX_HEADERS) {
		fputs("stackmap: internal error: too many HTTP headers\n",
		      stderr);
		abort();
	}
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	r->headers[r->n_headers] = buf_detach(&b, NULL);
	r->secret_header[r->n_headers] = secret;
	r->n_headers++;
}

const struct adapter *adapter_find(const char *style)
{
	if (!style)
		return NULL;
	for (size_t i = 0; adapter_all[i]; i++)
		if (strcmp(adapter_all[i]->style, style) == 0)
			return adapter_all[i];
	return NULL;
}
