#include "render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "xalloc.h"

#define TEMPLATE_MAX_BYTES (4u * 1024u * 1024u)

static const char *const S_format_dirs[] = {"html", "md", "svg"};

void renderer_open(struct renderer *r, const char *dir)
{
	memset(r, 0, sizeof(*r));
	r->dir = xstrdup(dir);
}

void renderer_close(struct renderer *r)
{
	for (size_t i = 0; i < r->n_cache; i++) {
		free(r->cache[i].name);
		mustache_template_free(r->cache[i].tmpl);
	}
	free(r->cache);
	free(r->dir);
	memset(r, 0, sizeof(*r));
}

/* Finds or loads the template at DIR/name.mustache. Returns NULL when the
 * file does not exist (err untouched) or fails to compile (err filled). */
static const struct mustache_template *
S_load(struct renderer *r, const char *name, struct mustache_error *err)
{
	for (size_t i = 0; i < r->n_cache; i++)
		if (strcmp(r->cache[i].name, name) == 0)
			return r->cache[i].tmpl;
	if (strstr(name, "..") || name[0] == '/' || name[0] == '\0') {
		mustache_error_set(err, name, 0, 0,
				   "invalid template name '%s'", name);
		return NULL;
	}
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s.mustache", r->dir, name);
	char *text = NULL;
	size_t len = 0;
	struct mustache_template *t = NULL;
	if (fs_read_file(buf_cstr(&path), TEMPLATE_MAX_BYTES, &text, &len) ==
	    0) {
		t = mustache_compile(buf_cstr(&path), text, len, err);
		free(text);
		if (!t) {
			buf_release(&path);
			return NULL; /* syntax error: err filled, not cached */
		}
	} else if (errno != ENOENT) {
		mustache_error_set(err, buf_cstr(&path), 0, 0,
				   "cannot read: %s", strerror(errno));
		buf_release(&path);
		return NULL;
	}
	buf_release(&path);
	if (r->n_cache == r->cap_cache) {
		r->cap_cache = r->cap_cache ? r->cap_cache * 2 : 16;
		r->cache = xrealloc(r->cache, r->cap_cache * sizeof(*r->cache));
	}
	r->cache[r->n_cache].name = xstrdup(name);
	r->cache[r->n_cache].tmpl = t;
	r->n_cache++;
	return t;
}

/* Partial lookup: "name" beside the page (same format folder); a name
 * with a '/' from the template root. */
static const struct mustache_template *S_partial(void *ctx, const char *name,
						 struct mustache_error *err)
{
	struct renderer *r = ctx;
	if (strchr(name, '/'))
		return S_load(r, name, err);
	struct buf full = BUF_INIT;
	buf_printf(&full, "%s/%s", S_format_dirs[r->format], name);
	const struct mustache_template *t = S_load(r, buf_cstr(&full), err);
	buf_release(&full);
	return t;
}

bool renderer_has(struct renderer *r, enum render_format format,
		  const char *name)
{
	struct buf full = BUF_INIT;
	struct mustache_error err = {0};
	buf_printf(&full, "%s/%s", S_format_dirs[format], name);
	bool has = S_load(r, buf_cstr(&full), &err) != NULL;
	buf_release(&full);
	return has;
}

int renderer_render(struct renderer *r, enum render_format format,
		    const char *name, json_t *data, struct buf *out,
		    struct buf *err)
{
	struct mustache_error merr;
	memset(&merr, 0, sizeof(merr));
	struct buf full = BUF_INIT;
	buf_printf(&full, "%s/%s", S_format_dirs[format], name);
	r->format = format;
	const struct mustache_template *t = S_load(r, buf_cstr(&full), &merr);
	int rc = -1;
	if (!t) {
		if (merr.message[0])
			mustache_error_format(&merr, err);
		else
			buf_printf(err,
				   "%s/%s.mustache: error: template not "
				   "found",
				   r->dir, buf_cstr(&full));
		goto out;
	}
	struct mustache_options opt = {
	    .partial = S_partial,
	    .partial_ctx = r,
	    .escape = format == RENDER_MD ? render_escape_markdown : NULL,
	};
	if (mustache_render(t, data, &opt, out, &merr) != 0) {
		mustache_error_format(&merr, err);
		goto out;
	}
	rc = 0;
out:
	buf_release(&full);
	return rc;
}

void render_escape_markdown(struct buf *out, const char *s, size_t n)
{
	/* 1: backslash before it; 2: a space instead (line breaks) */
	static const unsigned char special[256] = {
	    ['\\'] = 1, ['`'] = 1, ['*'] = 1, ['_'] = 1,  ['{'] = 1,
	    ['}'] = 1,	['['] = 1, [']'] = 1, ['<'] = 1,  ['>'] = 1,
	    ['('] = 1,	[')'] = 1, ['#'] = 1, ['!'] = 1,  ['|'] = 1,
	    ['~'] = 1,	['&'] = 1, ['$'] = 1, ['\n'] = 2, ['\r'] = 2};
	size_t run = 0;
	buf_grow(out, n + n / 4);
	for (size_t i = 0; i < n; i++) {
		unsigned char kind = special[(unsigned char)s[i]];
		if (!kind)
			continue;
		buf_append(out, s + run, i - run);
		if (kind == 1) {
			buf_putc(out, '\\');
			buf_putc(out, s[i]);
		} else {
			buf_putc(out, ' ');
		}
		run = i + 1;
	}
	buf_append(out, s + run, n - run);
}

void render_csv_cell(struct buf *out, const char *s)
{
	/* A cell a spreadsheet would read as a formula is prefixed with a
	 * quote, so =HYPERLINK(…) and friends stay text. */
	int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' ||
		      s[0] == '@' || s[0] == '\t' || s[0] == '\r';
	int quote = formula || strpbrk(s, ",\"\n\r") != NULL;
	if (quote)
		buf_putc(out, '"');
	if (formula)
		buf_putc(out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, *p);
	}
	if (quote)
		buf_putc(out, '"');
}
