/* build: `stackmap build`. Validates the catalog, merges the live
 * snapshot into one view, renders every page in HTML and Markdown plus the
 * exports, and swaps the new tree in atomically (output.c). */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "build.h"
#include "catalog.h"
#include "choose.h"
#include "exitcode.h"
#include "fsutil.h"
#include "jsonout.h"
#include "markdown.h"
#include "mustache.h"
#include "options.h"
#include "numtext.h"
#include "output.h"
#include "render.h"
#include "snapshot.h"
#include "stamp.h"
#include "text.h"
#include "validate.h"
#include "view.h"
#include "xalloc.h"

#define ASSET_MAX_BYTES (16u * 1024u * 1024u)

struct build {
	const struct options *opt;
	json_t *view;
	struct renderer renderer;
	struct output out;
	struct buf page;
	struct buf err;
	size_t pages;
	size_t pricing_pages;	/* pricing, pricing-2, ... (S_pricing_plan) */
	size_t *pricing_starts; /* page k: offers [starts[k], starts[k + 1]) */
	json_t *pricing_index;	/* each page's number, path, model range */
	size_t jobs;		/* processes for the pages (S_run_tasks) */
	struct choose_rows *choose_rows; /* made by the first split task */
};

/* The most processes S_run_tasks forks (--jobs above it is capped). */
#define S_MAX_JOBS 64

/* The build's view of the snapshot (see build.h): snapshot.c reads and
 * checks it. */
int build_load_snapshot(const char *path, json_t **snapshot, struct buf *err)
{
	return snapshot_load(path, snapshot, err);
}

/* A page context: the shared parts of the view plus page-specific keys. */
static json_t *S_context(struct build *b, const char *kind, const char *path,
			 const char *title, const char *description)
{
	json_t *view = b->view;
	json_t *ctx = json_object();
	int depth = 0;
	for (const char *p = path; *p; p++)
		depth += *p == '/';
	struct buf root = BUF_INIT, html = BUF_INIT, md = BUF_INIT,
		   canonical = BUF_INIT;
	for (int i = 0; i < depth; i++)
		buf_puts(&root, "../");
	buf_printf(&html, "%s.html", path);
	buf_printf(&md, "%s.md", path);
	const char *base = json_string_value(
	    json_object_get(json_object_get(view, "site"), "base_url"));
	buf_printf(&canonical, "%s%s%s.html", base,
		   base[strlen(base) - 1] == '/' ? "" : "/", path);
	json_object_set_new(ctx, "root", json_string(buf_cstr(&root)));
	json_object_set_new(
	    ctx, "page",
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", kind,
		      "title", title, "description", description, "path", path,
		      "html_path", buf_cstr(&html), "md_path", buf_cstr(&md),
		      "canonical", buf_cstr(&canonical)));
	static const char *const shared[] = {"site",	  "layers",
					     "primers",	  "counts",
					     "strengths", "blended_definition",
					     NULL};
	for (size_t i = 0; shared[i]; i++)
		json_object_set(ctx, shared[i],
				json_object_get(view, shared[i]));
	static const char *const nav[][3] = {
	    {"Stack map", "index", "index"},
	    {"Pricing", "pricing", "pricing"},
	    {"Which provider?", "choose", "choose"},
	    {"Changes", "changes", "changes"},
	};
	json_t *nav_arr = json_array();
	for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		struct buf href = BUF_INIT;
		buf_printf(&href, "%s%s.html", buf_cstr(&root), nav[i][1]);
		json_array_append_new(
		    nav_arr, json_pack("{s:s, s:s, s:b}", "title", nav[i][0],
				       "href", buf_cstr(&href), "current",
				       strcmp(kind, nav[i][2]) == 0));
		buf_release(&href);
	}
	json_object_set_new(ctx, "nav", nav_arr);
	buf_release(&root);
	buf_release(&html);
	buf_release(&md);
	buf_release(&canonical);
	return ctx;
}

static int S_emit(struct build *b, const char *rel, const char *data,
		  size_t len)
{
	if (output_file(&b->out, rel, data, len, &b->err) != 0)
		return -1;
	b->pages++;
	return 0;
}

/* Renders kind in HTML and Markdown (when a template exists) to path. */
static int S_page(struct build *b, const char *kind, const char *path,
		  json_t *ctx)
{
	static const struct {
		enum render_format format;
		const char *ext;
	} formats[] = {{RENDER_HTML, "html"}, {RENDER_MD, "md"}};
	for (size_t i = 0; i < 2; i++) {
		if (formats[i].format == RENDER_MD &&
		    !renderer_has(&b->renderer, RENDER_MD, kind))
			continue;
		buf_reset(&b->page);
		if (renderer_render(&b->renderer, formats[i].format, kind, ctx,
				    &b->page, &b->err) != 0)
			return -1;
		struct buf rel = BUF_INIT;
		buf_printf(&rel, "%s.%s", path, formats[i].ext);
		int rc = S_emit(b, buf_cstr(&rel), b->page.data, b->page.len);
		buf_release(&rel);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Finds the object with "id" (or "slug") equal to id in a view array. */
static json_t *S_find(json_t *arr, const char *key, const char *id)
{
	size_t i;
	json_t *item;
	json_array_foreach(arr, i, item)
	{
		const char *v = json_string_value(json_object_get(item, key));
		if (v && strcmp(v, id) == 0)
			return item;
	}
	return NULL;
}

/* Appends chunk to out with exactly one blank line between chunks and no
 * blank lines at either end, so Markdown stays lint-clean. */
static void S_join_chunk(struct buf *out, const char *chunk)
{
	size_t len = strlen(chunk);
	while (len && (*chunk == '\n' || *chunk == ' ')) {
		chunk++;
		len--;
	}
	while (len && (chunk[len - 1] == '\n' || chunk[len - 1] == ' '))
		len--;
	if (!len)
		return;
	if (out->len)
		buf_puts(out, "\n\n");
	buf_append(out, chunk, len);
}

/* Converts the Markdown collected so far and joins it to out. */
static void S_flush_markdown(enum render_format format, struct buf *md,
			     struct buf *out)
{
	char *text = format == RENDER_HTML
			 ? markdown_to_html(buf_cstr(md))
			 : markdown_to_safe_commonmark(buf_cstr(md));
	S_join_chunk(out, text);
	free(text);
	buf_reset(md);
}

/* Skips a leading ATX heading of level 1: the page shows the primer's
 * title itself. */
static const char *S_skip_title(const char *body)
{
	const char *p = body;
	while (*p == '\n')
		p++;
	if (p[0] == '#' && p[1] == ' ') {
		const char *eol = strchr(p, '\n');
		return eol ? eol + 1 : p + strlen(p);
	}
	return body;
}

/* Renders a primer's body: CommonMark, with lines of the form
 * "{{> NAME}}" or "{{> NAME ARG}}" replaced by the partial embed-NAME
 * (ARG names a model, which becomes the context's "model"). */
static int S_primer_body(struct build *b, enum render_format format,
			 const char *body, json_t *ctx, struct buf *out)
{
	struct buf md = BUF_INIT, part = BUF_INIT;
	const char *line = S_skip_title(body);
	int rc = -1;
	while (*line) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		char name[64] = "", arg[128] = "";
		int matched = 0;
		if (len < 200 && strncmp(line, "{{>", 3) == 0) {
			char tmp[200];
			memcpy(tmp, line, len);
			tmp[len] = '\0';
			char closing[3] = "";
			if (sscanf(tmp, "{{> %63[a-z0-9-] %127[a-z0-9.-]%2[}]",
				   name, arg, closing) == 3 ||
			    (arg[0] = '\0', sscanf(tmp, "{{> %63[a-z0-9-]%2[}]",
						   name, closing) == 2))
				matched = strcmp(closing, "}}") == 0;
		}
		if (!matched) {
			buf_append(&md, line, len);
			buf_putc(&md, '\n');
		} else {
			S_flush_markdown(format, &md, out);
			json_t *embed_ctx = json_copy(ctx);
			if (arg[0]) {
				json_t *model =
				    S_find(json_object_get(b->view, "models"),
					   "id", arg);
				if (!model) {
					buf_printf(&b->err,
						   "primer embeds unknown "
						   "model '%s'",
						   arg);
					json_decref(embed_ctx);
					goto out;
				}
				json_object_set(embed_ctx, "model", model);
			}
			json_object_set(embed_ctx, "map",
					json_object_get(b->view, "map"));
			struct buf pname = BUF_INIT;
			buf_printf(&pname, "embed-%s", name);
			buf_reset(&part);
			int r = renderer_render(&b->renderer, format,
						buf_cstr(&pname), embed_ctx,
						&part, &b->err);
			buf_release(&pname);
			json_decref(embed_ctx);
			if (r != 0)
				goto out;
			S_join_chunk(out, buf_cstr(&part));
		}
		line += len + (eol ? 1 : 0);
	}
	S_flush_markdown(format, &md, out);
	buf_putc(out, '\n');
	rc = 0;
out:
	buf_release(&md);
	buf_release(&part);
	return rc;
}

/* Renders and releases ctx; returns S_page's result. */
static int S_page_done(struct build *b, const char *kind, const char *path,
		       json_t *ctx)
{
	int rc = S_page(b, kind, path, ctx);
	json_decref(ctx);
	return rc;
}

static int S_layer_pages(struct build *b)
{
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(b->view, "layers"), i, item)
	{
		const char *id = json_string_value(json_object_get(item, "id"));
		struct buf path = BUF_INIT;
		buf_printf(&path, "layers/%s", id);
		json_t *ctx = S_context(
		    b, "layer", buf_cstr(&path),
		    json_string_value(json_object_get(item, "name")),
		    json_string_value(json_object_get(item, "description")));
		json_t *layer = json_copy(item);
		json_t *full = json_array();
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(b->view, "vendors"), k, v)
		{
			if (strcmp(
				json_string_value(json_object_get(v, "layer")),
				id) == 0)
				json_array_append(full, v);
		}
		json_object_set_new(layer, "vendors", full);
		json_object_set_new(ctx, "layer", layer);
		int rc = S_page_done(b, "layer", buf_cstr(&path), ctx);
		buf_release(&path);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Renders the pages of items [begin, end) of the view's list key
 * (vendors, models), one page an item. */
static int S_item_range(struct build *b, const char *key, const char *kind,
			const char *what, size_t begin, size_t end)
{
	const json_t *items = json_object_get(b->view, key);
	if (end > json_array_size(items))
		end = json_array_size(items);
	for (size_t i = begin; i < end; i++) {
		const json_t *item = json_array_get(items, i);
		const char *id = json_string_value(json_object_get(item, "id"));
		const char *name =
		    json_string_value(json_object_get(item, "name"));
		const char *summary =
		    json_string_value(json_object_get(item, "summary"));
		struct buf path = BUF_INIT, desc = BUF_INIT;
		buf_printf(&path, "%s/%s", key, id);
		if (summary)
			buf_puts(&desc, summary);
		else
			buf_printf(&desc, "%s: %s, its hosts and prices.", what,
				   name);
		json_t *ctx =
		    S_context(b, kind, buf_cstr(&path), name, buf_cstr(&desc));
		json_object_set(ctx, kind, (json_t *)item);
		int rc = S_page_done(b, kind, buf_cstr(&path), ctx);
		buf_release(&path);
		buf_release(&desc);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int S_primer_pages(struct build *b, const struct catalog *cat)
{
	for (size_t i = 0; i < cat->n_primers; i++) {
		const struct primer *p = &cat->primers[i];
		struct buf path = BUF_INIT, html = BUF_INIT, md = BUF_INIT;
		/* like the view's strings, the primer's own text loses
		 * controls, bidi overrides and noncharacters (text.h) */
		char *clean_title = text_clean(p->title, strlen(p->title));
		char *clean_summary =
		    text_clean(p->summary, strlen(p->summary));
		char *clean_body = text_clean(p->body, strlen(p->body));
		const char *title = clean_title ? clean_title : p->title;
		const char *summary =
		    clean_summary ? clean_summary : p->summary;
		const char *body = clean_body ? clean_body : p->body;
		buf_printf(&path, "primers/%s", p->slug);
		json_t *ctx =
		    S_context(b, "primer", buf_cstr(&path), title, summary);
		int rc = -1;
		if (S_primer_body(b, RENDER_HTML, body, ctx, &html) != 0 ||
		    S_primer_body(b, RENDER_MD, body, ctx, &md) != 0) {
			json_decref(ctx);
			goto next;
		}
		json_object_set_new(
		    ctx, "primer",
		    json_pack("{s:s, s:s, s:s, s:s, s:s}", "slug", p->slug,
			      "title", title, "summary", summary, "body_html",
			      buf_cstr(&html), "body_markdown", buf_cstr(&md)));
		rc = S_page_done(b, "primer", buf_cstr(&path), ctx);
	next:
		free(clean_title);
		free(clean_summary);
		free(clean_body);
		buf_release(&path);
		buf_release(&html);
		buf_release(&md);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* The most offers one page carries: site.yaml's page_offers. */
static size_t S_page_offers(const struct build *b)
{
	json_int_t n = json_integer_value(
	    json_object_get(json_object_get(b->view, "site"), "page_offers"));
	return n > 0 ? (size_t)n : SITE_PAGE_OFFERS;
}

/* "pricing" for page 1, "pricing-N" after. */
static void S_pricing_path(struct buf *path, size_t number)
{
	buf_reset(path);
	if (number == 1)
		buf_puts(path, "pricing");
	else
		buf_printf(path, "pricing-%zu", number);
}

/* A new list of the vendors or models of the view (all, key "id") whose
 * id is the field of one of the offers, in the view's order. */
static json_t *S_present(const json_t *all, const json_t *offers,
			 const char *field)
{
	json_t *seen = json_object();
	size_t i;
	json_t *item;
	json_array_foreach(offers, i, item)
	{
		const char *id =
		    json_string_value(json_object_get(item, field));
		if (id)
			json_object_set_new(seen, id, json_true());
	}
	json_t *out = json_array();
	json_array_foreach(all, i, item)
	{
		const char *id = json_string_value(json_object_get(item, "id"));
		if (id && json_object_get(seen, id))
			json_array_append(out, item);
	}
	json_decref(seen);
	return out;
}

/* Plans pricing.html (and .md), then pricing-2 ... when the offers do not fit
 * on one page (site.yaml's page_offers; a page breaks between two models,
 * never inside one, unless one model alone has more offers: one page of
 * 100,000 rows would be over 100 MB of HTML, which no browser shows
 * usefully); each page's filters list only its own models and vendors,
 * and a pager links every page by the models it covers. */
static void S_pricing_plan(struct build *b)
{
	const json_t *offers = json_object_get(b->view, "offers");
	size_t n = json_array_size(offers), per_page = S_page_offers(b);
	/* page k covers offers [starts[k], starts[k + 1]) */
	size_t *starts = xcalloc(n + 2, sizeof(*starts));
	size_t pages = 0, begin = 0;
	starts[pages++] = 0;
	while (begin < n) {
		size_t i = begin, last_break = begin;
		while (i < n && i - begin < per_page) {
			if (i > begin &&
			    strcmp(json_string_value(json_object_get(
				       json_array_get(offers, i), "model_id")),
				   json_string_value(json_object_get(
				       json_array_get(offers, i - 1),
				       "model_id"))) != 0)
				last_break = i;
			i++;
		}
		if (i < n) {
			/* full: break before the model that did not fit,
			 * or, when one model fills the page, after it */
			if (last_break > begin)
				i = last_break;
			else
				while (i < n &&
				       strcmp(json_string_value(json_object_get(
						  json_array_get(offers, i),
						  "model_id")),
					      json_string_value(json_object_get(
						  json_array_get(offers, i - 1),
						  "model_id"))) == 0)
					i++;
		}
		begin = i;
		if (begin < n)
			starts[pages++] = begin;
	}
	starts[pages] = n;
	if (n == 0)
		starts[1] = 0;

	json_t *index = json_array();
	struct buf path = BUF_INIT;
	for (size_t k = 0; k < pages; k++) {
		S_pricing_path(&path, k + 1);
		const json_t *first = json_array_get(offers, starts[k]);
		const json_t *last = json_array_get(
		    offers, starts[k + 1] ? starts[k + 1] - 1 : 0);
		json_array_append_new(
		    index, json_pack("{s:I, s:s, s:s, s:s}", "number",
				     (json_int_t)k + 1, "path", buf_cstr(&path),
				     "first_model",
				     first ? json_string_value(json_object_get(
						 first, "model_name"))
					   : "",
				     "last_model",
				     last ? json_string_value(json_object_get(
						last, "model_name"))
					  : ""));
	}
	buf_release(&path);
	b->pricing_pages = pages;
	b->pricing_starts = starts;
	b->pricing_index = index;
}

/* Renders pricing page k (0-based) of S_pricing_plan's. */
static int S_pricing_page(struct build *b, size_t k)
{
	const json_t *offers = json_object_get(b->view, "offers");
	const size_t *starts = b->pricing_starts;
	size_t pages = b->pricing_pages;
	json_t *index = b->pricing_index;
	struct buf path = BUF_INIT;
	S_pricing_path(&path, k + 1);
	json_t *slice = json_array();
	for (size_t i = starts[k]; i < starts[k + 1]; i++)
		json_array_append(slice, json_array_get(offers, i));
	json_t *ctx =
	    S_context(b, "pricing", buf_cstr(&path), "Pricing",
		      "Every offer in the catalog, with a cost calculator.");
	json_object_set_new(
	    ctx, "models",
	    pages == 1 ? json_incref(json_object_get(b->view, "models"))
		       : S_present(json_object_get(b->view, "models"), slice,
				   "model_id"));
	json_object_set_new(
	    ctx, "vendors",
	    pages == 1 ? json_incref(json_object_get(b->view, "vendors"))
		       : S_present(json_object_get(b->view, "vendors"), slice,
				   "vendor_id"));
	json_object_set_new(ctx, "offers", slice);
	if (pages > 1) {
		json_t *list = json_deep_copy(index);
		json_object_set_new(json_array_get(list, k), "current",
				    json_true());
		json_t *pager = json_pack(
		    "{s:I, s:I, s:I, s:o}", "number", (json_int_t)k + 1,
		    "count", (json_int_t)pages, "offers",
		    (json_int_t)(starts[k + 1] - starts[k]), "pages", list);
		if (k > 0)
			json_object_set(pager, "prev",
					json_array_get(index, k - 1));
		if (k + 1 < pages)
			json_object_set(pager, "next",
					json_array_get(index, k + 1));
		json_object_set_new(ctx, "pager", pager);
	}
	int rc = S_page_done(b, "pricing", buf_cstr(&path), ctx);
	buf_release(&path);
	return rc;
}

/* The choose page's offer attributes (templates/html/choose.mustache's
 * data-NAME="{{key}}") as api/choose/MODEL.json writes them: name, key. */
static const char *const S_choose_fields[][2] = {
    {"model", "model_id"},
    {"vendor", "vendor_id"},
    {"vendor-name", "vendor_name"},
    {"remote", "remote_id"},
    {"layer", "layer"},
    {"layer-name", "layer_name"},
    {"model-name", "model_name"},
    {"input", "input_num"},
    {"output", "output_num"},
    {"cached", "cached_input_num"},
    {"input-label", "input"},
    {"output-label", "output"},
    {"cached-label", "cached_input"},
    {"has-price", "has_price"},
    {"origin", "origin"},
    {"price-date", "price_date"},
    {"age", "age_days"},
    {"stale", "stale"},
    {"old", "old"},
    {"compatible", "openai_compatible"},
    {"context", "context"},
    {"context-label", "context_label"},
    {"strengths", "strengths"},
    {"router", "router"},
    {"frontier", "frontier"},
};

/* Writes api/choose/MODEL.json, {"model": id, "offers": [...]}, each of
 * the model's offers (view rows) as the choose page's data attributes, in
 * strings (the text the template would show for its choose ROW).
 * Written directly from the view's rows, without making the ROWs:
 * jansson objects for 100,000 rows cost more than the page they
 * replace. */
static int S_choose_model_file(struct build *b, const char *model,
			       json_t *offers)
{
	struct buf json = BUF_INIT, path = BUF_INIT, scratch = BUF_INIT;
	buf_puts(&json, "{\"model\":");
	jsonout_string(&json, model, strlen(model));
	buf_puts(&json, ",\"offers\":[");
	size_t i;
	json_t *offer;
	json_array_foreach(offers, i, offer)
	{
		buf_puts(&json, i ? ",{" : "{");
		for (size_t f = 0;
		     f < sizeof(S_choose_fields) / sizeof(S_choose_fields[0]);
		     f++) {
			char num[40];
			size_t len;
			const char *text = choose_rows_text(
			    b->choose_rows, offer, S_choose_fields[f][1], num,
			    &len, &scratch);
			if (f)
				buf_putc(&json, ',');
			jsonout_string(&json, S_choose_fields[f][0],
				       strlen(S_choose_fields[f][0]));
			buf_putc(&json, ':');
			jsonout_string(&json, text ? text : "", len);
		}
		buf_putc(&json, '}');
	}
	buf_puts(&json, "]}\n");
	buf_printf(&path, "api/choose/%s.json", model);
	int rc = S_emit(b, buf_cstr(&path), json.data, json.len);
	buf_release(&json);
	buf_release(&path);
	buf_release(&scratch);
	return rc;
}

/* Past page_offers the choose page does not carry every offer: it keeps
 * the default model's and the frontier-lab ones (every ranking compares
 * with those) and loads a model's others from api/choose/MODEL.json when
 * it is picked. True when that is so for this build. */
static bool S_choose_is_split(struct build *b)
{
	return renderer_has(&b->renderer, RENDER_HTML, "choose") &&
	       json_array_size(json_object_get(b->view, "offers")) >
		   S_page_offers(b);
}

/* api/choose/MODEL.json of the models [begin, end) of the view that have
 * offers. */
static int S_choose_files(struct build *b, size_t begin, size_t end)
{
	const json_t *models = json_object_get(b->view, "models");
	if (!b->choose_rows)
		b->choose_rows = choose_rows_new(b->view);
	for (size_t i = begin; i < end && i < json_array_size(models); i++) {
		json_t *m = json_array_get(models, i);
		json_t *offers = json_object_get(m, "offers");
		const char *id = json_string_value(json_object_get(m, "id"));
		if (!id || !json_array_size(offers))
			continue;
		if (S_choose_model_file(b, id, offers) != 0)
			return -1;
	}
	return 0;
}

/* This process's peak memory so far (VmHWM) in KiB, or -1. */
static long S_peak_kb(void)
{
	long peak_kb = -1;
	char line[128];
	FILE *status = fopen("/proc/self/status", "r");
	while (status && fgets(line, sizeof line, status))
		if (strncmp(line, "VmHWM:", 6) == 0)
			peak_kb = strtol(line + 6, NULL, 10);
	if (status)
		fclose(status);
	return peak_kb;
}

/* With STACKMAP_TIMINGS set in the environment, prints how long each
 * stage of the build took to stderr (for profiling; never in the site). */
static void S_lap(const char *stage)
{
	static struct timespec last;
	static int enabled = -1;
	struct timespec now;
	if (enabled < 0)
		enabled = getenv("STACKMAP_TIMINGS") != NULL;
	if (!enabled)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (stage) {
		long peak_kb = S_peak_kb();
		fprintf(stderr, "timing: %-10s %8.3f s, peak %ld MB\n", stage,
			(double)(now.tv_sec - last.tv_sec) +
			    (double)(now.tv_nsec - last.tv_nsec) / 1e9,
			peak_kb / 1024);
	}
	last = now;
}

static int S_index_page(struct build *b)
{
	json_t *view = b->view;
	const char *site_desc = json_string_value(
	    json_object_get(json_object_get(view, "site"), "description"));
	json_t *ctx = S_context(b, "index", "index", "The AI stack map",
				site_desc ? site_desc : "");
	json_object_set(ctx, "map", json_object_get(view, "map"));
	json_object_set(ctx, "models", json_object_get(view, "models"));
	json_object_set(ctx, "vendors", json_object_get(view, "vendors"));
	return S_page_done(b, "index", "index", ctx);
}

static int S_choose_pages(struct build *b)
{
	json_t *view = b->view;
	if (!renderer_has(&b->renderer, RENDER_HTML, "choose"))
		return 0;
	json_t *ctx = S_context(b, "choose", "choose", "Which provider?",
				"Rank every host of a model for your own "
				"monthly workload.");
	json_object_set(ctx, "offers", json_object_get(view, "offers"));
	json_object_set(ctx, "models", json_object_get(view, "models"));
	json_object_set(ctx, "vendors", json_object_get(view, "vendors"));
	json_object_set_new(ctx, "choose",
			    choose_page(view, S_choose_is_split(b)));
	return S_page_done(b, "choose", "choose", ctx);
}

/* The path of base_url, ending in '/': the 404 page is served for any
 * missing path, so its links start from the site's root, not from a
 * relative "../". "https://x.org/sub/" gives "/sub/"; no path gives "/". */
static json_t *S_base_path(const char *base_url)
{
	const char *p = base_url ? strstr(base_url, "://") : NULL;
	p = p ? strchr(p + 3, '/') : NULL;
	if (!p)
		return json_string("/");
	size_t n = strcspn(p, "?#");
	char *path = xmalloc(n + 2);
	memcpy(path, p, n);
	if (n == 0 || path[n - 1] != '/')
		path[n++] = '/';
	path[n] = '\0';
	json_t *out = json_string(path);
	free(path);
	return out ? out : json_string("/");
}

/* changes, 404, the layers and the primers: small. */
static int S_other_pages(struct build *b, const struct catalog *cat)
{
	json_t *ctx =
	    S_context(b, "changes", "changes", "Changes",
		      "Price and listing changes seen by the live probes.");
	json_t *changes = json_object_get(b->view, "changes");
	json_object_set(ctx, "changes", changes);
	json_object_set_new(ctx, "has_changes",
			    json_boolean(json_array_size(changes) > 0));
	if (S_page_done(b, "changes", "changes", ctx) != 0)
		return -1;
	ctx = S_context(b, "404", "404", "Page not found",
			"This page does not exist.");
	json_object_set_new(
	    ctx, "root",
	    S_base_path(json_string_value(json_object_get(
		json_object_get(b->view, "site"), "base_url"))));
	if (S_page_done(b, "404", "404", ctx) != 0)
		return -1;
	if (S_layer_pages(b) != 0)
		return -1;
	return S_primer_pages(b, cat);
}

static int S_svg(struct build *b);
static int S_catalog_json(struct build *b);
static int S_offers_csv(struct build *b);

/* A unit of the work after the view: a page, a group of pages or an
 * export; any process of the build may take it. */
enum S_task_kind {
	S_TASK_CHOOSE,
	S_TASK_CATALOG_JSON,
	S_TASK_CSV,
	S_TASK_INDEX,
	S_TASK_SVG,
	S_TASK_OTHER,
	S_TASK_PRICING, /* page arg */
	S_TASK_VENDORS, /* items [arg, arg + S_CHUNK) */
	S_TASK_MODELS,
	S_TASK_CHOOSE_FILES, /* models [arg, arg + S_CHOOSE_CHUNK) */
	S_TASK_KINDS	     /* how many kinds there are */
};

/* Vendor and model pages a task renders. */
#define S_CHUNK 32
/* Models whose api/choose files a task writes. */
#define S_CHOOSE_CHUNK 256

struct S_task {
	enum S_task_kind kind;
	size_t arg;
};

static int S_run_task(struct build *b, const struct catalog *cat,
		      const struct S_task *t)
{
	switch (t->kind) {
	case S_TASK_CHOOSE:
		return S_choose_pages(b);
	case S_TASK_CATALOG_JSON:
		return S_catalog_json(b);
	case S_TASK_CSV:
		return S_offers_csv(b);
	case S_TASK_INDEX:
		return S_index_page(b);
	case S_TASK_SVG:
		return S_svg(b);
	case S_TASK_OTHER:
		return S_other_pages(b, cat);
	case S_TASK_PRICING:
		return S_pricing_page(b, t->arg);
	case S_TASK_VENDORS:
		return S_item_range(b, "vendors", "vendor", "Vendor", t->arg,
				    t->arg + S_CHUNK);
	case S_TASK_MODELS:
		return S_item_range(b, "models", "model", "Model", t->arg,
				    t->arg + S_CHUNK);
	case S_TASK_CHOOSE_FILES:
		return S_choose_files(b, t->arg, t->arg + S_CHOOSE_CHUNK);
	case S_TASK_KINDS:
		break;
	}
	return -1;
}

/* What the tasks share between the build's processes: the next task to
 * take and whether one failed (memory mapped shared before the fork). */
struct S_queue {
	atomic_size_t next;
	atomic_int failed;
};

static const char *const S_task_names[] = {
    "choose", "catalog-json", "csv",	 "index",  "svg",
    "other",  "pricing",      "vendors", "models", "choose-files",
};
_Static_assert(sizeof(S_task_names) / sizeof(S_task_names[0]) == S_TASK_KINDS,
	       "a name for every kind of task");

/* With STACKMAP_TIMINGS set, prints this process's seconds per kind of
 * task (profiling only). */
static void S_task_times(const double *seconds)
{
	if (!getenv("STACKMAP_TIMINGS"))
		return;
	struct buf line = BUF_INIT;
	buf_printf(&line, "timing: tasks of pid %ld:", (long)getpid());
	for (size_t k = 0; k < S_TASK_KINDS; k++)
		if (seconds[k] > 0)
			buf_printf(&line, " %s %.3f", S_task_names[k],
				   seconds[k]);
	fprintf(stderr, "%s; peak %ld MB\n", buf_cstr(&line),
		S_peak_kb() / 1024);
	buf_release(&line);
}

/* Takes and runs tasks until none is left or one failed anywhere. */
static int S_work(struct build *b, const struct catalog *cat,
		  const struct S_task *tasks, size_t n, struct S_queue *q)
{
	double seconds[S_TASK_KINDS] = {0};
	int rc = 0;
	for (;;) {
		if (atomic_load(&q->failed)) {
			rc = -1;
			break;
		}
		size_t i = atomic_fetch_add(&q->next, 1);
		if (i >= n)
			break;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (S_run_task(b, cat, &tasks[i]) != 0) {
			atomic_store(&q->failed, 1);
			rc = -1;
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		seconds[tasks[i].kind] +=
		    (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	}
	S_task_times(seconds);
	return rc;
}

/* What a worker process reports to the build through its pipe, followed
 * by err_len bytes of error message. */
struct S_worker_report {
	int rc;
	size_t pages, written, unchanged, bytes, err_len;
};

/* Reads exactly len bytes from fd. Returns 0, or -1 on error or early
 * end. */
static int S_read_all(int fd, void *data, size_t len)
{
	char *p = data;
	while (len) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Runs the tasks with --jobs N processes: the build forks N - 1 workers
 * once the view is complete, and each process takes the next task from a
 * counter in shared memory until none is left, writing into the same
 * staging folder (files have distinct paths; fs_mkdirs tolerates a race).
 * The biggest tasks come first, so the processes finish together. A
 * worker reports its counts and any error through a pipe. Processes, not
 * threads: jansson's objects and the renderer's template cache are then
 * not shared state, and a worker dies with the build (PR_SET_PDEATHSIG),
 * so a killed build leaves no writer behind in the staging folder. The
 * files are the same bytes whatever N is. */
static int S_run_tasks(struct build *b, const struct catalog *cat,
		       const struct S_task *tasks, size_t n)
{
	size_t jobs = b->jobs;
	if (jobs > n / 8)
		jobs = n / 8; /* a small site: not worth a fork */
	struct S_queue local = {0}, *q = &local;
	if (jobs >= 2) {
		void *shared = mmap(NULL, sizeof(*q), PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (shared == MAP_FAILED)
			jobs = 1;
		else
			q = shared;
	}
	atomic_init(&q->next, 0);
	atomic_init(&q->failed, 0);
	if (jobs < 2)
		return S_work(b, cat, tasks, n, q);

	pid_t pids[S_MAX_JOBS];
	int fds[S_MAX_JOBS];
	size_t started = 0;
	fflush(NULL); /* nothing buffered twice */
	for (size_t w = 1; w < jobs; w++) {
		int p[2];
		if (pipe(p) != 0)
			break;
		pid_t pid = fork();
		if (pid < 0) {
			close(p[0]);
			close(p[1]);
			break;
		}
		if (pid == 0) {
			close(p[0]);
			for (size_t k = 0; k < started; k++)
				close(fds[k]);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(1); /* the build is already gone */
			b->pages = b->out.written = b->out.unchanged = 0;
			b->out.bytes = 0;
			buf_reset(&b->err);
			struct S_worker_report r;
			r.rc = S_work(b, cat, tasks, n, q);
			r.pages = b->pages;
			r.written = b->out.written;
			r.unchanged = b->out.unchanged;
			r.bytes = b->out.bytes;
			r.err_len = b->err.len;
			int ok = fs_write_all(p[1], &r, sizeof(r)) == 0 &&
				 fs_write_all(p[1], buf_cstr(&b->err),
					      r.err_len) == 0;
			_exit(ok && r.rc == 0 ? 0 : 1);
		}
		close(p[1]);
		pids[started] = pid;
		fds[started] = p[0];
		started++;
	}
	int rc = S_work(b, cat, tasks, n, q);
	for (size_t k = 0; k < started; k++) {
		struct S_worker_report r;
		int got = S_read_all(fds[k], &r, sizeof(r)) == 0;
		if (got && r.err_len) {
			char *msg = xmalloc(r.err_len + 1);
			if (S_read_all(fds[k], msg, r.err_len) == 0) {
				msg[r.err_len] = '\0';
				if (!b->err.len)
					buf_puts(&b->err, msg);
			}
			free(msg);
		}
		close(fds[k]);
		int status = 0;
		while (waitpid(pids[k], &status, 0) < 0 && errno == EINTR)
			;
		if (!got || !WIFEXITED(status)) {
			if (!b->err.len)
				buf_puts(&b->err, "cannot render the site: a "
						  "worker process died");
			rc = -1;
			continue;
		}
		b->pages += r.pages;
		b->out.written += r.written;
		b->out.unchanged += r.unchanged;
		b->out.bytes += r.bytes;
		if (r.rc != 0 || WEXITSTATUS(status) != 0)
			rc = -1;
	}
	/* a worker that never started leaves tasks: take them here */
	if (rc == 0 && atomic_load(&q->next) < n)
		rc = S_work(b, cat, tasks, n, q);
	munmap(q, sizeof(*q));
	return rc ? -1 : 0;
}

/* Every page and export of the site but the sitemap, feed and assets. */
static int S_pages(struct build *b, const struct catalog *cat)
{
	S_pricing_plan(b);
	size_t n_vendors = json_array_size(json_object_get(b->view, "vendors"));
	size_t n_models = json_array_size(json_object_get(b->view, "models"));
	size_t cap = 6 + b->pricing_pages + n_vendors / S_CHUNK +
		     n_models / S_CHUNK + n_models / S_CHOOSE_CHUNK + 3;
	struct S_task *tasks = xcalloc(cap, sizeof(*tasks));
	size_t n = 0;
	/* the biggest first */
	tasks[n++] = (struct S_task){S_TASK_CHOOSE, 0};
	tasks[n++] = (struct S_task){S_TASK_CATALOG_JSON, 0};
	tasks[n++] = (struct S_task){S_TASK_CSV, 0};
	tasks[n++] = (struct S_task){S_TASK_INDEX, 0};
	for (size_t k = 0; k < b->pricing_pages; k++)
		tasks[n++] = (struct S_task){S_TASK_PRICING, k};
	tasks[n++] = (struct S_task){S_TASK_SVG, 0};
	tasks[n++] = (struct S_task){S_TASK_OTHER, 0};
	if (S_choose_is_split(b))
		for (size_t i = 0; i < n_models; i += S_CHOOSE_CHUNK)
			tasks[n++] = (struct S_task){S_TASK_CHOOSE_FILES, i};
	for (size_t i = 0; i < n_vendors; i += S_CHUNK)
		tasks[n++] = (struct S_task){S_TASK_VENDORS, i};
	for (size_t i = 0; i < n_models; i += S_CHUNK)
		tasks[n++] = (struct S_task){S_TASK_MODELS, i};
	int rc = S_run_tasks(b, cat, tasks, n);
	free(tasks);
	return rc;
}

/* site/stackmap.svg: the map on its own. */
static int S_svg(struct build *b)
{
	json_t *ctx =
	    json_pack("{s:O, s:O, s:s}", "map", json_object_get(b->view, "map"),
		      "site", json_object_get(b->view, "site"), "root", "");
	buf_reset(&b->page);
	int rc = renderer_render(&b->renderer, RENDER_SVG, "stackmap", ctx,
				 &b->page, &b->err);
	json_decref(ctx);
	if (rc != 0)
		return -1;
	return S_emit(b, "stackmap.svg", b->page.data, b->page.len);
}

/* Writes a list of the view's vendors or models without their "offers"
 * arrays: each offer is in the export's top-level "offers" once, joined
 * by vendor_id and model_id (offer_count and host_count stay). */
static void S_write_without_offers(struct buf *json, const json_t *list)
{
	size_t i;
	json_t *item;
	buf_putc(json, '[');
	json_array_foreach(list, i, item)
	{
		if (i)
			buf_putc(json, ',');
		jsonout_object_without(json, item, "offers");
	}
	buf_putc(json, ']');
}

/* api/catalog.json: the view, compact, with every offer once. Members keep
 * the view's insertion order, which is fixed, so the bytes are
 * deterministic without sorting keys. Written from the view directly (no
 * copy of it without the offers). */
static int S_catalog_json(struct build *b)
{
	const char *key;
	json_t *value;
	struct buf json = BUF_INIT;
	int first = 1;
	buf_putc(&json, '{');
	json_object_foreach(b->view, key, value)
	{
		jsonout_key(&json, key, &first);
		if (strcmp(key, "vendors") == 0 || strcmp(key, "models") == 0)
			S_write_without_offers(&json, value);
		else
			jsonout_write(&json, value);
	}
	buf_puts(&json, "}\n");
	int rc = S_emit(b, "api/catalog.json", json.data, json.len);
	buf_release(&json);
	return rc;
}

/* api/offers.csv: every offer, one row each. */
static int S_offers_csv(struct build *b)
{
	json_t *view = b->view;
	int rc;

	static const char *const cols[] = {
	    "model_id",	    "model_name", "vendor_id", "vendor_name",
	    "layer",	    "remote_id",  "input",     "output",
	    "cached_input", "blended",	  "context",   "openai_compatible",
	    "origin",	    "source",	  "checked",   "live_at",
	    "stale",	    "note",	  NULL};
	struct buf csv = BUF_INIT;
	for (size_t c = 0; cols[c]; c++)
		buf_printf(&csv, "%s%s", c ? "," : "", cols[c]);
	buf_puts(&csv, "\r\n");
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(view, "offers"), i, row)
	{
		for (size_t c = 0; cols[c]; c++) {
			json_t *v = json_object_get(row, cols[c]);
			char num[32];
			const char *text = "";
			if (json_is_string(v))
				text = json_string_value(v);
			else if (json_is_integer(v)) {
				numtext_int(json_integer_value(v), num);
				text = num;
			} else if (json_is_boolean(v))
				text = json_is_true(v) ? "true" : "false";
			if (c)
				buf_putc(&csv, ',');
			render_csv_cell(&csv, text);
		}
		buf_puts(&csv, "\r\n");
	}
	rc = S_emit(b, "api/offers.csv", csv.data, csv.len);
	buf_release(&csv);
	return rc;
}

/* Appends s escaped for XML text and attributes. */
static void S_xml(struct buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			buf_puts(out, "&amp;");
			break;
		case '<':
			buf_puts(out, "&lt;");
			break;
		case '>':
			buf_puts(out, "&gt;");
			break;
		case '"':
			buf_puts(out, "&quot;");
			break;
		case '\'':
			buf_puts(out, "&apos;");
			break;
		default:
			buf_putc(out, *s);
		}
	}
}

static void S_sitemap_url(struct buf *xml, const char *base, const char *path)
{
	buf_puts(xml, "  <url><loc>");
	S_xml(xml, base);
	if (base[strlen(base) - 1] != '/')
		buf_putc(xml, '/');
	S_xml(xml, path);
	buf_puts(xml, "</loc></url>\n");
}

static int S_sitemap(struct build *b)
{
	json_t *view = b->view;
	const char *base = json_string_value(
	    json_object_get(json_object_get(view, "site"), "base_url"));
	struct buf xml = BUF_INIT, path = BUF_INIT;
	buf_puts(&xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		       "<urlset xmlns=\"http://www.sitemaps.org/schemas/"
		       "sitemap/0.9\">\n");
	S_sitemap_url(&xml, base, "index.html");
	S_sitemap_url(&xml, base, "pricing.html");
	for (size_t k = 2; k <= b->pricing_pages; k++) {
		buf_reset(&path);
		buf_printf(&path, "pricing-%zu.html", k);
		S_sitemap_url(&xml, base, buf_cstr(&path));
	}
	S_sitemap_url(&xml, base, "choose.html");
	S_sitemap_url(&xml, base, "changes.html");
	static const char *const lists[][3] = {
	    {"layers", "layers", "id"},
	    {"vendors", "vendors", "id"},
	    {"models", "models", "id"},
	    {"primers", "primers", "slug"},
	};
	for (size_t l = 0; l < 4; l++) {
		size_t i;
		json_t *item;
		json_array_foreach(json_object_get(view, lists[l][0]), i, item)
		{
			buf_reset(&path);
			buf_printf(&path, "%s/%s.html", lists[l][1],
				   json_string_value(
				       json_object_get(item, lists[l][2])));
			S_sitemap_url(&xml, base, buf_cstr(&path));
		}
	}
	buf_puts(&xml, "</urlset>\n");
	int rc = S_emit(b, "sitemap.xml", xml.data, xml.len);
	buf_release(&xml);
	buf_release(&path);
	return rc;
}

/* Appends base joined with path (one '/' between them). */
static void S_abs_url(struct buf *out, const char *base, const char *path)
{
	S_xml(out, base);
	if (base[strlen(base) - 1] != '/')
		buf_putc(out, '/');
	S_xml(out, path);
}

/* site/feed.xml: an Atom feed of the changes, newest first, with entry
 * ids and times taken from the data so that it is stable across builds. */
static int S_feed(struct build *b)
{
	json_t *site = json_object_get(b->view, "site");
	const char *base = json_string_value(json_object_get(site, "base_url"));
	const char *date =
	    json_string_value(json_object_get(site, "data_date"));
	struct buf xml = BUF_INIT;
	buf_puts(&xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		       "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
		       "  <title>");
	S_xml(&xml, json_string_value(json_object_get(site, "title")));
	buf_puts(&xml, ": price and listing changes</title>\n  <id>");
	S_abs_url(&xml, base, "feed.xml");
	buf_puts(&xml, "</id>\n  <link rel=\"self\" href=\"");
	S_abs_url(&xml, base, "feed.xml");
	buf_puts(&xml, "\"/>\n  <link rel=\"alternate\" type=\"text/html\" "
		       "href=\"");
	S_abs_url(&xml, base, "changes.html");
	buf_printf(&xml,
		   "\"/>\n  <updated>%sT00:00:00Z</updated>\n"
		   "  <author><name>stackmap</name></author>\n",
		   date && date[0] ? date : "1970-01-01");
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(b->view, "changes"), i, c)
	{
		const char *day = json_string_value(json_object_get(c, "date"));
		const char *vendor =
		    json_string_value(json_object_get(c, "vendor_id"));
		const char *model =
		    json_string_value(json_object_get(c, "model_id"));
		const char *kind =
		    json_string_value(json_object_get(c, "kind"));
		const char *summary =
		    json_string_value(json_object_get(c, "summary"));
		if (!day || !vendor || !model || !kind)
			continue;
		buf_puts(&xml, "  <entry>\n    <id>");
		S_abs_url(&xml, base, "changes.html");
		buf_puts(&xml, "#");
		S_xml(&xml, day);
		buf_puts(&xml, "/");
		S_xml(&xml, vendor);
		buf_puts(&xml, "/");
		S_xml(&xml, kind);
		buf_puts(&xml, "/");
		S_xml(&xml, model);
		buf_puts(&xml, "</id>\n    <title>");
		S_xml(&xml, summary ? summary : kind);
		buf_printf(&xml,
			   "</title>\n    <updated>%sT00:00:00Z</updated>\n"
			   "    <link href=\"",
			   day);
		struct buf path = BUF_INIT;
		buf_printf(&path, "vendors/%s.html", vendor);
		S_abs_url(&xml, base, buf_cstr(&path));
		buf_release(&path);
		buf_puts(&xml, "\"/>\n  </entry>\n");
	}
	buf_puts(&xml, "</feed>\n");
	int rc = S_emit(b, "feed.xml", xml.data, xml.len);
	buf_release(&xml);
	return rc;
}

/* Copies every file in TEMPLATES/assets to OUT/assets, byte for byte. */
static int S_assets(struct build *b)
{
	char *dir = fs_join(b->opt->templates_dir, "assets");
	size_t n = 0;
	char **names = fs_list_dir(dir, "", &n);
	int rc = 0;
	for (size_t i = 0; names && i < n && rc == 0; i++) {
		char *path = fs_join(dir, names[i]);
		char *data = NULL;
		size_t len = 0;
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (fs_read_file(path, ASSET_MAX_BYTES, &data, &len) !=
			    0) {
				buf_printf(&b->err,
					   "%s: error: cannot read: %s", path,
					   strerror(errno));
				rc = -1;
			} else {
				struct buf rel = BUF_INIT;
				buf_printf(&rel, "assets/%s", names[i]);
				rc = S_emit(b, buf_cstr(&rel), data, len);
				buf_release(&rel);
			}
		}
		free(data);
		free(path);
	}
	fs_free_list(names);
	free(dir);
	if (rc == 0)
		rc = S_emit(b, ".nojekyll", "", 0);
	return rc;
}

/* --jobs, or the CPUs online (at most 8). */
static size_t S_build_jobs(const struct options *opt)
{
	long n = opt->jobs_given ? opt->jobs : sysconf(_SC_NPROCESSORS_ONLN);
	if (!opt->jobs_given && n > 8)
		n = 8;
	if (n > S_MAX_JOBS)
		n = S_MAX_JOBS;
	return n < 1 ? 1 : (size_t)n;
}

int build_run(const struct options *opt)
{
	struct catalog cat;
	struct diags diags;
	struct build b;
	json_t *snapshot = NULL;
	int rc = EXIT_OK;
	bool in_arena = false;
	memset(&b, 0, sizeof(b));
	b.opt = opt;
	b.jobs = S_build_jobs(opt);
	diags_init(&diags);
	S_lap(NULL);
	/* a build that would change nothing stops here (stamp.h) */
	struct stamp stamp;
	stamp_begin(&stamp, opt->catalog_dir, opt->templates_dir,
		    opt->snapshot);
	if (!opt->force && stamp_current(&stamp, opt->out_dir)) {
		/* only the leftovers of a killed build go */
		if (output_begin(&b.out, opt->out_dir, &b.err) == 0)
			output_abort(&b.out);
		buf_release(&b.err);
		stamp_release(&stamp);
		diags_release(&diags);
		if (!opt->quiet)
			fprintf(stderr,
				"%s: current (the catalog, snapshot and "
				"templates did not change since its last "
				"build)\n",
				opt->out_dir);
		return EXIT_OK;
	}
	S_lap("stamp");
	catalog_load(&cat, opt->catalog_dir, &diags);
	S_lap("load");
	validate_catalog(&cat, &diags);
	S_lap("validate");
	diags_print(&diags, stderr);
	if (diags.errors) {
		fprintf(stderr,
			"stackmap: the catalog has %zu errors; the "
			"site was not rebuilt\n",
			diags.errors);
		rc = EXIT_INVALID;
		goto out;
	}
	/* the snapshot's and the view's values live until the end: from the
	 * arena, released at once */
	in_arena = arena_begin() == 0;
	if (build_load_snapshot(opt->snapshot, &snapshot, &b.err) != 0) {
		arena_end();
		fprintf(stderr, "%s\n", buf_cstr(&b.err));
		rc = EXIT_INVALID;
		goto out;
	}
	S_lap("snapshot");
	b.view = view_build(&cat, snapshot);
	arena_end();
	S_lap("view");
	if (getenv("STACKMAP_TIMINGS"))
		fprintf(stderr, "timing: view arena %zu MB\n",
			arena_used() >> 20);
	renderer_open(&b.renderer, opt->templates_dir);
	if (output_begin(&b.out, opt->out_dir, &b.err) != 0) {
		fprintf(stderr, "stackmap: %s\n", buf_cstr(&b.err));
		rc = EXIT_SYSTEM;
		goto out_render;
	}
	int failed = S_pages(&b, &cat) != 0;
	S_lap("pages");
	failed = failed || S_sitemap(&b) != 0 || S_feed(&b) != 0 ||
		 S_assets(&b) != 0;
	S_lap("sitemap");
	if (failed) {
		fprintf(stderr,
			"%s\nstackmap: build failed; %s was left as "
			"it was\n",
			buf_cstr(&b.err), opt->out_dir);
		output_abort(&b.out);
		rc = b.err.len && strstr(buf_cstr(&b.err), "cannot")
			 ? EXIT_SYSTEM
			 : EXIT_INVALID;
		goto out_render;
	}
	size_t written = b.out.written, unchanged = b.out.unchanged;
	if (output_commit(&b.out, &b.err) != 0) {
		fprintf(stderr, "stackmap: %s; %s was left as it was\n",
			buf_cstr(&b.err), opt->out_dir);
		rc = EXIT_SYSTEM;
		goto out_render;
	}
	S_lap("commit");
	stamp_write(&stamp, opt->out_dir);
	if (!opt->quiet)
		fprintf(stderr, "%s: %zu files (%zu changed, %zu unchanged)\n",
			opt->out_dir, b.pages, written, unchanged);
out_render:
	renderer_close(&b.renderer);
out:
	free(b.pricing_starts);
	json_decref(b.pricing_index);
	choose_rows_free(b.choose_rows);
	if (in_arena) {
		/* the view and the snapshot hold references only to each
		 * other (what else held theirs is gone): freed at once */
		arena_release();
	} else {
		json_decref(b.view);
		json_decref(snapshot);
	}
	S_lap("release");
	buf_release(&b.page);
	buf_release(&b.err);
	catalog_release(&cat);
	diags_release(&diags);
	stamp_release(&stamp);
	return rc;
}
