/* render: loads a template folder and renders pages from the view.
 *
 * Template folder layout: see templates/README.md. Every page is rendered
 * with a page context, a JSON object holding:
 *   root        "" or "../": prefix that makes a site-relative link relative
 *   page        {kind, title, description, path, md_path, html_path,
 *                canonical (absolute URL from site.base_url)}
 *   site, layers, primers, counts, strengths, blended_definition
 *               shared from the view (see view.h)
 *   nav         [{title, href, current}]
 *   and one key per page kind: index: map, models, vendors;
 *   layer: layer (+ layer.vendors as full VENDOR objects);
 *   vendor: vendor; model: model; pricing: offers, models, vendors;
 *   primer: primer {slug, title, summary, body_html | body_markdown};
 *   changes: changes; choose: the pricing keys plus choose (choose.h).
 *
 * Ownership: struct renderer is caller-owned (renderer_open /
 * renderer_close) and owns the compiled templates. */
#ifndef STACKMAP_RENDER_H
#define STACKMAP_RENDER_H

#include <jansson.h>
#include <stdbool.h>

#include "buf.h"
#include "mustache.h"

enum render_format {
	RENDER_HTML,
	RENDER_MD,
	RENDER_SVG,
};

struct template_entry {
	char *name;			/* "html/vendor" */
	struct mustache_template *tmpl; /* NULL: file absent */
};

struct renderer {
	char *dir;
	struct template_entry *cache;
	size_t n_cache;
	size_t cap_cache;
	enum render_format format; /* of the render in progress */
	struct mustache_error error;
};

void renderer_open(struct renderer *r, const char *dir);
void renderer_close(struct renderer *r);

/* Renders template "FORMAT/name" with data into out. A missing page
 * template or a syntax error fails with the location in err. */
int renderer_render(struct renderer *r, enum render_format format,
		    const char *name, json_t *data, struct buf *out,
		    struct buf *err);
/* True when the template file exists (partials are optional extras). */
bool renderer_has(struct renderer *r, enum render_format format,
		  const char *name);

/* Escapers: Markdown text (backslash-escapes inline syntax, newlines become
 * spaces, so a value stays one table cell), and CSV cells. */
void render_escape_markdown(struct buf *out, const char *s, size_t n);
void render_csv_cell(struct buf *out, const char *s);

#endif
