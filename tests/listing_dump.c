/* listing_dump: a test-only program that runs one adapter's parse_page
 * over a recorded response and prints the listing it made, one canonical
 * JSON object per line, in the adapter's order:
 *
 *   {"cached_input":null,"context":131072,"id":"…","input":"0.88",
 *    "name":"…","output":"0.88"}
 *
 * Keys sorted, no spaces. context is null when unknown (-1); name is
 * null when the API gave none; prices are listing_format_price's text, or
 * null when unknown. tests/adapter_oracle.py compares this with a listing
 * it computes itself from the API's documented semantics.
 *
 * usage: listing_dump STYLE VENDOR_ID FILE
 * Exits 0, 1 when the adapter refuses the body (its message on stderr),
 * 2 on a usage or I/O error. */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "adapter.h"
#include "buf.h"
#include "listing.h"

/* Reads path whole into body. Returns 0, or -1 with a message printed. */
static int S_read_file(const char *path, struct buf *body)
{
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(body, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "%s: read error\n", path);
		return -1;
	}
	return 0;
}

/* A price as listing_format_price's text, or JSON null when unknown. */
static json_t *S_price(double usd_per_million)
{
	char text[32];

	listing_format_price(usd_per_million, text);
	return text[0] ? json_string(text) : json_null();
}

/* Prints e as one line of sorted, compact JSON. */
static void S_print_entry(const struct listing_entry *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(e->id));
	json_object_set_new(o, "name",
			    e->name ? json_string(e->name) : json_null());
	json_object_set_new(o, "context",
			    e->context >= 0 ? json_integer(e->context)
					    : json_null());
	json_object_set_new(o, "input", S_price(e->input));
	json_object_set_new(o, "output", S_price(e->output));
	json_object_set_new(o, "cached_input", S_price(e->cached_input));
	char *line = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	if (!line) {
		fprintf(stderr, "listing_dump: out of memory\n");
		exit(2);
	}
	puts(line);
	free(line);
	json_decref(o);
}

int main(int argc, char **argv)
{
	struct buf body = BUF_INIT;
	struct buf err = BUF_INIT;
	struct listing l;
	struct http_request next;
	struct adapter_ctx ctx = {0};
	int rc = 2;

	listing_init(&l);
	http_request_init(&next);
	if (argc != 4) {
		fprintf(stderr, "usage: listing_dump STYLE VENDOR_ID FILE\n");
		goto out;
	}
	const struct adapter *a = adapter_find(argv[1]);
	if (!a) {
		fprintf(stderr, "listing_dump: no adapter '%s'\n", argv[1]);
		goto out;
	}
	if (S_read_file(argv[3], &body) < 0)
		goto out;
	ctx.vendor_id = argv[2];
	if (a->parse_page(&ctx, buf_cstr(&body), body.len, &l, &next, &err) <
	    0) {
		fprintf(stderr, "%s: %s\n", argv[3], buf_cstr(&err));
		rc = 1;
		goto out;
	}
	for (size_t i = 0; i < l.count; i++)
		S_print_entry(&l.items[i]);
	rc = fflush(stdout) == 0 ? 0 : 2;
out:
	http_request_release(&next);
	listing_release(&l);
	buf_release(&err);
	buf_release(&body);
	return rc;
}
