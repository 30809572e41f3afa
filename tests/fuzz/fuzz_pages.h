/* fuzz_pages: renders the pages of a view through the real templates
 * (templates/), with page contexts built the way build.c builds them, and
 * checks that hostile data stays data.
 *
 * The seeds plant the marker "<fuzz" in catalog and snapshot values; the
 * templates never contain it, so finding it in a page means a value was
 * written without escaping: in HTML anywhere, in Markdown inside a raw
 * HTML node. A page that fails to render is a failure too: the templates
 * are the project's own. */
#ifndef STACKMAP_FUZZ_PAGES_H
#define STACKMAP_FUZZ_PAGES_H

#include <cmark.h>
#include <jansson.h>

#include "buf.h"
#include "render.h"

#define FUZZ_TEMPLATES FUZZ_SRCDIR "/templates"

/* A page context as build.c's S_context makes it. */
static json_t *fuzz_page_context(json_t *view, const char *kind,
				 const char *path, const char *title)
{
	json_t *ctx = json_object();
	int depth = 0;
	for (const char *p = path; *p; p++)
		depth += *p == '/';
	struct buf root = BUF_INIT, html = BUF_INIT, md = BUF_INIT;
	for (int i = 0; i < depth; i++)
		buf_puts(&root, "../");
	buf_printf(&html, "%s.html", path);
	buf_printf(&md, "%s.md", path);
	json_object_set_new(ctx, "root", json_string(buf_cstr(&root)));
	json_object_set_new(ctx, "page",
			    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
				      "kind", kind, "title", title ? title : "",
				      "description", "fuzz", "path", path,
				      "html_path", buf_cstr(&html), "md_path",
				      buf_cstr(&md), "canonical",
				      "https://example.org/x.html"));
	static const char *const shared[] = {"site",	  "layers",
					     "primers",	  "counts",
					     "strengths", "blended_definition",
					     NULL};
	for (size_t i = 0; shared[i]; i++)
		json_object_set(ctx, shared[i],
				json_object_get(view, shared[i]));
	json_object_set_new(ctx, "nav",
			    json_pack("[{s:s, s:s, s:b}]", "title", "Stack map",
				      "href", "index.html", "current", 0));
	buf_release(&root);
	buf_release(&html);
	buf_release(&md);
	return ctx;
}

static void fuzz_check_md_page(const char *page, const char *what)
{
	cmark_node *doc =
	    cmark_parse_document(page, strlen(page), CMARK_OPT_DEFAULT);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_HTML_INLINE ||
						t == CMARK_NODE_HTML_BLOCK)) {
			const char *lit = cmark_node_get_literal(n);
			FUZZ_CHECK(!lit || !fuzz_contains_nocase(lit, "<fuzz"),
				   "%s: a value became raw HTML: %.200s", what,
				   lit);
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
}

/* Renders kind (HTML, and Markdown when the template exists) with ctx,
 * checks it and releases ctx. */
static void fuzz_render_page(struct renderer *r, const char *kind, json_t *ctx)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	int rc = renderer_render(r, RENDER_HTML, kind, ctx, &out, &err);
	FUZZ_CHECK(rc == 0, "html/%s does not render: %s", kind,
		   buf_cstr(&err));
	FUZZ_CHECK(!fuzz_contains_nocase(buf_cstr(&out), "<fuzz"),
		   "html/%s: a value was written unescaped", kind);
	if (renderer_has(r, RENDER_MD, kind)) {
		buf_reset(&out);
		rc = renderer_render(r, RENDER_MD, kind, ctx, &out, &err);
		FUZZ_CHECK(rc == 0, "md/%s does not render: %s", kind,
			   buf_cstr(&err));
		fuzz_check_md_page(buf_cstr(&out), kind);
	}
	buf_release(&out);
	buf_release(&err);
	json_decref(ctx);
}

/* The pages whose content comes from the catalog and the snapshot:
 * index, pricing, choose, layers, changes, vendors and models. */
static void fuzz_render_pages(struct renderer *r, json_t *view)
{
	json_t *ctx = fuzz_page_context(view, "index", "index", "Index");
	json_object_set(ctx, "map", json_object_get(view, "map"));
	json_object_set(ctx, "models", json_object_get(view, "models"));
	json_object_set(ctx, "vendors", json_object_get(view, "vendors"));
	fuzz_render_page(r, "index", ctx);

	ctx = fuzz_page_context(view, "pricing", "pricing", "Pricing");
	json_object_set(ctx, "offers", json_object_get(view, "offers"));
	json_object_set(ctx, "models", json_object_get(view, "models"));
	json_object_set(ctx, "vendors", json_object_get(view, "vendors"));
	fuzz_render_page(r, "pricing", ctx);

	if (renderer_has(r, RENDER_HTML, "choose")) {
		ctx = fuzz_page_context(view, "choose", "choose", "Choose");
		json_object_set(ctx, "offers", json_object_get(view, "offers"));
		json_object_set(ctx, "models", json_object_get(view, "models"));
		json_object_set(ctx, "vendors",
				json_object_get(view, "vendors"));
		fuzz_render_page(r, "choose", ctx);
	}

	size_t l;
	json_t *layer;
	json_array_foreach(json_object_get(view, "layers"), l, layer)
	{
		const char *id =
		    json_string_value(json_object_get(layer, "id"));
		json_t *copy = json_copy(layer);
		json_t *full = json_array();
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(view, "vendors"), k, v)
		{
			const char *vl =
			    json_string_value(json_object_get(v, "layer"));
			if (id && vl && strcmp(vl, id) == 0)
				json_array_append(full, v);
		}
		json_object_set_new(copy, "vendors", full);
		ctx = fuzz_page_context(view, "layer", "layers/x", id);
		json_object_set_new(ctx, "layer", copy);
		fuzz_render_page(r, "layer", ctx);
	}

	ctx = fuzz_page_context(view, "changes", "changes", "Changes");
	json_object_set(ctx, "changes", json_object_get(view, "changes"));
	fuzz_render_page(r, "changes", ctx);

	static const char *const items[][2] = {{"vendors", "vendor"},
					       {"models", "model"}};
	for (size_t k = 0; k < 2; k++) {
		size_t i;
		json_t *item;
		json_array_foreach(json_object_get(view, items[k][0]), i, item)
		{
			const char *id =
			    json_string_value(json_object_get(item, "id"));
			struct buf path = BUF_INIT;
			buf_printf(&path, "%s/%s", items[k][0], id ? id : "x");
			ctx = fuzz_page_context(
			    view, items[k][1], buf_cstr(&path),
			    json_string_value(json_object_get(item, "name")));
			json_object_set(ctx, items[k][1], item);
			fuzz_render_page(r, items[k][1], ctx);
			buf_release(&path);
		}
	}
}

#endif
