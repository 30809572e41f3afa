/* mustache: stackmap's own Mustache template engine.
 *
 * Implements the Mustache spec v1.4 (github.com/mustache/spec): variables
 * with escaping, {{{x}}} and {{&x}} raw output, sections, inverted sections,
 * comments, set delimiters, partials (with standalone-line indentation),
 * dotted names, the implicit iterator {{.}}, standalone-tag line stripping,
 * and the optional modules "inheritance" ({{<parent}} / {{$block}}) and
 * "dynamic names" ({{>*name}}, {{<*name}}). Lambdas are NOT supported: data
 * comes from jansson, which has no functions.
 *
 * Data model (jansson values):
 *  - falsey for sections: false, null, a missing name and the empty array;
 *    everything else is truthy, including "", 0 and {}.
 *  - an array section renders once per element, pushing the element;
 *    any other truthy value renders once, pushing the value.
 *  - interpolation: strings as-is, integers in decimal, reals in the shortest
 *    form that reads back to the same double ("1.21", 1e21 as "1e+21"; uses
 *    the C locale's decimal point), true/false as "true"/"false", null,
 *    missing names, objects and arrays as "".
 *
 * Compile once, render many times: mustache_compile parses a template into a
 * flat node array; rendering never re-parses (partial indentation is applied
 * while rendering).
 *
 * Ownership: a template is heap-owned by the caller (mustache_compile /
 * mustache_template_free) and is immutable once compiled, so it may be
 * rendered any number of times. Partials are supplied by a callback and stay
 * owned by whoever returned them; they must outlive the render call. The
 * renderer never keeps references to the data after returning.
 *
 * Return convention: functions returning int return 0 on success and -1 on
 * failure, with the struct mustache_error filled. */
#ifndef STACKMAP_MUSTACHE_H
#define STACKMAP_MUSTACHE_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"

/* Deepest chain of partials/parents a render may follow. */
#define MUSTACHE_PARTIAL_DEPTH_MAX 64
/* Deepest nesting of sections, blocks and partials together in a render. */
#define MUSTACHE_NESTING_MAX 1024

/* A diagnostic about a template. Caller-owned, fixed size, no release
 * needed. line and col are 1-based (col counts bytes); line 0 means "no
 * position" (for example a partial file that could not be read). Longer
 * paths and messages are truncated. */
struct mustache_error {
	char path[1024];
	char message[256];
	unsigned line;
	unsigned col;
};

struct mustache_template;

/* Looks up the partial (or parent template) called name. A render asks
 * once per partial tag (the answer is reused wherever that tag expands
 * again in the same render, as in a list), and once per expansion for a
 * dynamic name. Returns the
 * compiled template, still owned by the callback's side, which must keep it
 * alive until the render returns (a cache of compiled partials is the usual
 * owner). Returns NULL with err left untouched (err->message empty) when the
 * partial does not exist: it renders as the empty string, as the spec says.
 * Returns NULL with err filled (mustache_error_set, or the err given to
 * mustache_compile) to make the render fail. */
typedef const struct mustache_template *(*mustache_partial_fn)(
    void *ctx, const char *name, struct mustache_error *err);

/* Appends s[0..n) to out, escaped for the output format. */
typedef void (*mustache_escape_fn)(struct buf *out, const char *s, size_t n);

struct mustache_options {
	mustache_partial_fn partial; /* NULL: every partial is missing */
	void *partial_ctx;	     /* passed to partial unchanged */
	mustache_escape_fn escape;   /* NULL: mustache_escape_html */
};

/* Compiles text[0..len) (need not be NUL-terminated); path is used only in
 * diagnostics and copied. Returns a template the caller frees with
 * mustache_template_free, or NULL on a syntax error with err filled. */
struct mustache_template *mustache_compile(const char *path, const char *text,
					   size_t len,
					   struct mustache_error *err);

void mustache_template_free(struct mustache_template *t);

/* Returns the path given to mustache_compile; valid while t lives. */
const char *mustache_template_path(const struct mustache_template *t);

/* Renders t against data (borrowed; may be NULL, meaning an empty context),
 * appending to out. opt may be NULL for the defaults. On failure (a partial
 * that failed to load or compile, recursion too deep) returns -1 with err
 * filled, and out is restored to its length before the call. */
int mustache_render(const struct mustache_template *t, json_t *data,
		    const struct mustache_options *opt, struct buf *out,
		    struct mustache_error *err);

/* Escapes & < > " ' as &amp; &lt; &gt; &quot; &#39; (the default). */
void mustache_escape_html(struct buf *out, const char *s, size_t n);
/* The text a variable tag shows for the scalar v (num holds a number's
 * text), its length in *len; NULL for null, objects and arrays, which
 * show nothing. */
const char *mustache_scalar_text(const json_t *v, char num[40], size_t *len);

/* Fills err: path may be NULL (empty); message is printf-formatted. */
void mustache_error_set(struct mustache_error *err, const char *path,
			unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Appends "path:line:col: error: message" to out, without a newline;
 * "path: error: message" when err->line is 0. */
void mustache_error_format(const struct mustache_error *err, struct buf *out);

#endif
