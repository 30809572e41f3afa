/* fuzz_mustache: the Mustache engine, template and data both hostile.
 *
 * Input: byte 0 holds options (bits 0-1: the escaper: HTML, Markdown,
 * none given; bit 2: partials enabled). The rest is split at NUL bytes:
 * part 0 is the template, part 1 the data as JSON (any value; when it is
 * not JSON the render has no data), parts 2 and up are partials, each
 * "NAME\nTEXT". The callback finds a partial by its NAME; "ERR" makes it
 * fail; any other name maps to partial (first byte of the name) mod
 * (count + 2), where index count is the main template itself (recursion)
 * and count + 1 a missing partial.
 *
 * Checks: compile either gives a template or an error with a message and
 * a 1-based position; a failed render restores the output to its length
 * before the call; rendering the same template twice gives the same bytes
 * (templates are immutable); an error formats without crashing.
 *
 * Work is bounded so that timeouts mean a bug, not an exponential
 * template: partial expansions are capped per render (the callback fails
 * after S_PARTIAL_BUDGET), and when data arrays could multiply nested
 * sections past S_WORK_BUDGET, arrays are cut to one element. */
#include "fuzz_util.h"

#include <math.h>

#include <jansson.h>

#include "buf.h"
#include "mustache.h"
#include "render.h"

#define S_MAX_PARTS 10
#define S_PARTIAL_BUDGET 256
#define S_WORK_BUDGET 20000.0

struct S_ctx {
	struct mustache_template *main;
	struct mustache_template *partials[S_MAX_PARTS];
	char names[S_MAX_PARTS][64];
	size_t count;
	unsigned calls;
};

static const struct mustache_template *S_partial(void *ctx, const char *name,
						 struct mustache_error *err)
{
	struct S_ctx *c = ctx;
	FUZZ_CHECK(name != NULL, "partial callback got a NULL name");
	if (++c->calls > S_PARTIAL_BUDGET) {
		mustache_error_set(err, "fuzz", 0, 0, "partial budget spent");
		return NULL;
	}
	if (strcmp(name, "ERR") == 0) {
		mustache_error_set(err, name, 0, 0, "partial '%s' failed",
				   name);
		return NULL;
	}
	for (size_t i = 0; i < c->count; i++)
		if (c->names[i][0] && strcmp(c->names[i], name) == 0)
			return c->partials[i];
	size_t k = (unsigned char)name[0] % (c->count + 2);
	if (k < c->count)
		return c->partials[k];
	if (k == c->count)
		return c->main;
	return NULL;
}

/* The longest array anywhere in v. */
static size_t S_max_array(json_t *v)
{
	size_t best = 0, i;
	const char *key;
	json_t *item;
	if (json_is_array(v)) {
		best = json_array_size(v);
		json_array_foreach(v, i, item)
		{
			size_t b = S_max_array(item);
			if (b > best)
				best = b;
		}
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, item)
		{
			size_t b = S_max_array(item);
			if (b > best)
				best = b;
		}
	}
	return best;
}

/* Cuts every array in v to at most one element. */
static void S_cut_arrays(json_t *v)
{
	size_t i;
	const char *key;
	json_t *item;
	if (json_is_array(v)) {
		while (json_array_size(v) > 1)
			json_array_remove(v, json_array_size(v) - 1);
	}
	if (json_is_array(v)) {
		json_array_foreach(v, i, item) S_cut_arrays(item);
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, item) S_cut_arrays(item);
	}
}

static size_t S_count(const uint8_t *data, size_t size, const char *needle)
{
	size_t n = 0, m = strlen(needle);
	for (size_t i = 0; i + m <= size; i++)
		if (memcmp(data + i, needle, m) == 0)
			n++;
	return n;
}

static void S_check_error(const struct mustache_error *err)
{
	FUZZ_CHECK(err->message[0] != '\0', "failure without a message");
	FUZZ_CHECK(memchr(err->message, '\0', sizeof err->message) != NULL,
		   "unterminated error message");
	FUZZ_CHECK(memchr(err->path, '\0', sizeof err->path) != NULL,
		   "unterminated error path");
	struct buf b = BUF_INIT;
	mustache_error_format(err, &b);
	FUZZ_CHECK(b.len > 0, "empty formatted error");
	buf_release(&b);
}

static int S_render(const struct mustache_template *t, json_t *data,
		    const struct mustache_options *opt, struct S_ctx *c,
		    struct buf *out)
{
	struct mustache_error err;
	static const char prefix[] = "PREFIX";
	memset(&err, 0, sizeof err);
	buf_reset(out);
	buf_puts(out, prefix);
	c->calls = 0;
	int rc = mustache_render(t, data, opt, out, &err);
	FUZZ_CHECK(rc == 0 || rc == -1, "mustache_render returned %d", rc);
	FUZZ_CHECK(out->len >= sizeof prefix - 1 &&
		       memcmp(out->data, prefix, sizeof prefix - 1) == 0,
		   "the render changed what the output held before");
	FUZZ_CHECK(out->data[out->len] == '\0', "output not NUL-terminated");
	if (rc < 0) {
		FUZZ_CHECK(out->len == sizeof prefix - 1,
			   "a failed render left %zu bytes of output",
			   out->len - (sizeof prefix - 1));
		S_check_error(&err);
	}
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part parts[S_MAX_PARTS + 2];
	struct S_ctx c;
	struct mustache_error err;
	json_t *json = NULL;

	if (size < 1)
		return 0;
	unsigned flags = data[0];
	size_t n = fuzz_split((const char *)data + 1, size - 1, parts,
			      S_MAX_PARTS + 2);
	memset(&c, 0, sizeof c);
	memset(&err, 0, sizeof err);

	c.main = mustache_compile("main.mustache", parts[0].data, parts[0].len,
				  &err);
	if (!c.main) {
		S_check_error(&err);
		FUZZ_CHECK(err.line >= 1 && err.col >= 1,
			   "compile error without a position");
		FUZZ_CHECK(strcmp(err.path, "main.mustache") == 0,
			   "compile error names '%s'", err.path);
		return 0;
	}
	FUZZ_CHECK(strcmp(mustache_template_path(c.main), "main.mustache") == 0,
		   "template path");
	if (n > 1 && parts[1].len > 0)
		json = json_loadb(parts[1].data, parts[1].len,
				  JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	for (size_t k = 2; k < n; k++) {
		const char *text = parts[k].data;
		size_t len = parts[k].len;
		const char *nl = memchr(text, '\n', len);
		if (nl && (size_t)(nl - text) < sizeof c.names[0]) {
			memcpy(c.names[c.count], text, (size_t)(nl - text));
			c.names[c.count][nl - text] = '\0';
			len -= (size_t)(nl - text) + 1;
			text = nl + 1;
		}
		memset(&err, 0, sizeof err);
		c.partials[c.count] = mustache_compile(
		    c.names[c.count][0] ? c.names[c.count] : "partial", text,
		    len, &err);
		if (!c.partials[c.count])
			S_check_error(&err);
		c.count++; /* a NULL entry is a missing partial */
	}

	/* Bound the work: sections over arrays multiply. */
	size_t widest = S_max_array(json);
	double sections = (double)S_count(data, size, "#");
	if (widest > 1 && (S_count(data, size, "=") > 0 ||
			   sections * log((double)widest) > log(S_WORK_BUDGET)))
		S_cut_arrays(json);

	struct mustache_options opt;
	memset(&opt, 0, sizeof opt);
	switch (flags & 3) {
	case 0:
		opt.escape = mustache_escape_html;
		break;
	case 1:
		opt.escape = render_escape_markdown;
		break;
	default:
		opt.escape = NULL;
		break;
	}
	if (flags & 4) {
		opt.partial = S_partial;
		opt.partial_ctx = &c;
	}

	struct buf first = BUF_INIT, second = BUF_INIT;
	int rc1 = S_render(c.main, json, (flags & 8) ? NULL : &opt, &c, &first);
	int rc2 =
	    S_render(c.main, json, (flags & 8) ? NULL : &opt, &c, &second);
	FUZZ_CHECK(rc1 == rc2, "two renders returned %d and %d", rc1, rc2);
	FUZZ_CHECK(first.len == second.len &&
		       memcmp(first.data, second.data, first.len) == 0,
		   "two renders of one template differ");
	buf_release(&first);
	buf_release(&second);

	for (size_t k = 0; k < c.count; k++)
		mustache_template_free(c.partials[k]);
	mustache_template_free(c.main);
	json_decref(json);
	return 0;
}
