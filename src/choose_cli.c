/* choose_cli: `stackmap choose` — loads the catalog as `stackmap build`
 * sees it, ranks with choose_rank and prints the result as a text table,
 * Markdown or JSON. */
#include "choose.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "catalog.h"
#include "diag.h"
#include "exitcode.h"
#include "options.h"
#include "render.h"
#include "schema.h"
#include "validate.h"
#include "view.h"

static const char *S_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* ---- printing ---- */

/* Appends s, escaped for Markdown when md. */
static void S_text(struct buf *out, bool md, const char *s)
{
	if (md)
		render_escape_markdown(out, s, strlen(s));
	else
		buf_puts(out, s);
}

/* Display width of UTF-8 text: its code points. */
static size_t S_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

/* "$0.88", or "-" when the price is unknown. */
static void S_price_cell(struct buf *cell, json_t *row, const char *key,
			 const char *num_key)
{
	if (json_is_number(json_object_get(row, num_key)))
		buf_printf(cell, "$%s", S_str(row, key));
	else
		buf_putc(cell, '-');
}

/* "declared 12d", "live 3d STALE", "declared 200d OLD". */
static void S_age_cell(struct buf *cell, json_t *row)
{
	json_t *age = json_object_get(row, "age_days");
	buf_puts(cell, S_str(row, "origin"));
	if (json_is_integer(age))
		buf_printf(cell, " %lldd", (long long)json_integer_value(age));
	if (json_is_true(json_object_get(row, "stale")))
		buf_puts(cell, " STALE");
	else if (json_is_true(json_object_get(row, "old")))
		buf_puts(cell, " OLD");
}

#define S_COLS 11

/* What a router row's price means; the page says the same. */
#define S_ROUTER_LEGEND                                                        \
	"a router to other hosts, not a host itself; the rate actually "       \
	"billed depends on the upstream host it routes each request to."

/* The ranking's cells, one JSON array of strings per row. */
static json_t *S_cells(json_t *ranking)
{
	json_t *rows = json_array();
	size_t i;
	json_t *row;
	json_array_foreach(ranking, i, row)
	{
		struct buf c[S_COLS];
		for (size_t k = 0; k < S_COLS; k++)
			buf_init(&c[k]);
		json_t *ctx = json_object_get(row, "context");
		buf_printf(&c[0], "%lld",
			   (long long)json_integer_value(
			       json_object_get(row, "rank")));
		buf_puts(&c[1], S_str(row, "vendor_label"));
		buf_puts(&c[2], S_str(row, "layer"));
		buf_puts(&c[3], S_str(row, "monthly_label"));
		S_price_cell(&c[4], row, "input", "input_num");
		S_price_cell(&c[5], row, "output", "output_num");
		S_price_cell(&c[6], row, "cached_input", "cached_input_num");
		S_age_cell(&c[7], row);
		buf_puts(&c[8],
			 json_is_true(json_object_get(row, "openai_compatible"))
			     ? "yes"
			     : "no");
		buf_puts(&c[9], json_is_integer(ctx)
				    ? S_str(row, "context_label")
				    : "-");
		if (json_is_true(json_object_get(row, "context_short")))
			buf_puts(&c[9], " SHORT");
		buf_puts(&c[10], S_str(row, "strengths"));
		json_t *cells = json_array();
		for (size_t k = 0; k < S_COLS; k++) {
			json_array_append_new(cells,
					      json_string(buf_cstr(&c[k])));
			buf_release(&c[k]);
		}
		json_array_append_new(rows, cells);
	}
	return rows;
}

static const char *const S_heads[S_COLS] = {
    "#",      "Vendor", "Layer",  "Monthly", "Input",	 "Output",
    "Cached", "Price",	"OpenAI", "Context", "Strengths"};
static const char S_align[S_COLS + 1] = "rllrrrrlllr";

static void S_table_text(json_t *ranking, struct buf *out)
{
	json_t *rows = S_cells(ranking);
	size_t width[S_COLS], i;
	json_t *cells;
	for (size_t k = 0; k < S_COLS; k++)
		width[k] = S_width(S_heads[k]);
	json_array_foreach(rows, i, cells)
	{
		for (size_t k = 0; k < S_COLS; k++) {
			size_t w = S_width(
			    json_string_value(json_array_get(cells, k)));
			if (w > width[k])
				width[k] = w;
		}
	}
	for (size_t r = 0; r <= json_array_size(rows); r++) {
		cells = r ? json_array_get(rows, r - 1) : NULL;
		struct buf line = BUF_INIT;
		for (size_t k = 0; k < S_COLS; k++) {
			const char *s =
			    cells ? json_string_value(json_array_get(cells, k))
				  : S_heads[k];
			size_t pad = width[k] - S_width(s);
			bool right = S_align[k] == 'r' && k + 1 < S_COLS;
			if (k)
				buf_puts(&line, "  ");
			if (right)
				buf_printf(&line, "%*s", (int)pad, "");
			buf_puts(&line, s);
			if (!right && k + 1 < S_COLS)
				buf_printf(&line, "%*s", (int)pad, "");
		}
		while (line.len && line.data[line.len - 1] == ' ')
			line.data[--line.len] = '\0';
		buf_printf(out, "%s\n", buf_cstr(&line));
		buf_release(&line);
	}
	json_decref(rows);
}

static void S_table_markdown(json_t *ranking, struct buf *out)
{
	json_t *rows = S_cells(ranking);
	size_t i;
	json_t *cells;
	buf_puts(out, "| # | Vendor | Layer | Monthly | Input | Output | "
		      "Cached input | Price | OpenAI-compatible | Context | "
		      "Strengths |\n"
		      "| ---: | --- | --- | ---: | ---: | ---: | ---: | --- | "
		      "--- | ---: | --- |\n");
	json_array_foreach(rows, i, cells)
	{
		buf_putc(out, '|');
		for (size_t k = 0; k < S_COLS; k++) {
			buf_putc(out, ' ');
			S_text(out, true,
			       json_string_value(json_array_get(cells, k)));
			buf_puts(out, " |");
		}
		buf_putc(out, '\n');
	}
	json_decref(rows);
}

/* One offer in a sentence: "Vendor (vendor-id), remote-id". */
static void S_offer_words(struct buf *out, bool md, json_t *row)
{
	S_text(out, md, S_str(row, "vendor_name"));
	buf_puts(out, " (");
	S_text(out, md, S_str(row, "vendor_id"));
	buf_puts(out, "), ");
	S_text(out, md, S_str(row, "remote_id"));
}

/* "  $325.00  Two Max on LabTwo (labtwo), two-max, declared 15d", money
 * right-aligned to width in text. */
static void S_frontier_line(struct buf *out, bool md, json_t *row, int width)
{
	struct buf age = BUF_INIT;
	S_age_cell(&age, row);
	if (md) {
		buf_puts(out, "- ");
		S_text(out, md, S_str(row, "monthly_label"));
		buf_puts(out, ", ");
	} else {
		buf_printf(out, "  %*s  ", width, S_str(row, "monthly_label"));
	}
	S_text(out, md, S_str(row, "model_name"));
	buf_puts(out, " on ");
	S_offer_words(out, md, row);
	buf_printf(out, ", %s\n", buf_cstr(&age));
	buf_release(&age);
}

/* The frontier-lab comparison beneath the ranking. */
static void S_frontier_notes(json_t *front, bool md, struct buf *out)
{
	json_t *alts = json_object_get(front, "alternatives");
	size_t i;
	json_t *row;
	int width = 0;
	json_array_foreach(alts, i, row)
	{
		int w = (int)strlen(S_str(row, "monthly_label"));
		width = w > width ? w : width;
	}
	if (json_is_true(json_object_get(front, "named"))) {
		buf_puts(out,
			 "\nFrontier-lab alternatives the catalog names for "
			 "this model, same workload on each lab's own API "
			 "(requirements not applied)");
	} else {
		buf_puts(out, "\nFrontier-lab comparison, same workload: the "
			      "cheapest closed model on its own lab's API");
		if (json_is_integer(json_object_get(front, "min_context")))
			buf_printf(out, " with at least %s tokens of context",
				   S_str(front, "min_context_label"));
		if (json_array_size(alts))
			buf_printf(out, " (of %lld; requirements not applied)",
				   (long long)json_integer_value(
				       json_object_get(front, "candidates")));
	}
	if (!json_array_size(alts)) {
		buf_puts(out, ": none in the catalog has a price.\n");
		return;
	}
	buf_printf(out, ":\n%s", md ? "\n" : "");
	json_array_foreach(alts, i, row)
	{
		S_frontier_line(out, md, row, width);
	}
}

/* Everything but the table: the heading lines (head) or the notes. */
static void S_notes(json_t *res, bool md, bool head, struct buf *out)
{
	json_t *model = json_object_get(res, "model");
	json_t *w = json_object_get(res, "workload");
	json_t *req = json_object_get(res, "requirements");
	json_t *rank = json_object_get(res, "ranking");
	json_t *none = json_object_get(res, "no_price");
	json_t *resil = json_object_get(res, "resilience");
	json_t *front = json_object_get(res, "frontier");
	const char *p = "\n";
	size_t i;
	json_t *row;
	if (head) {
		buf_puts(out, md ? "## " : "");
		S_text(out, md, S_str(model, "name"));
		buf_printf(out, " (%s): %zu offer%s ranked by monthly cost\n%s",
			   S_str(model, "id"), json_array_size(rank),
			   json_array_size(rank) == 1 ? "" : "s", p);
		buf_printf(out,
			   "Workload: %s input tokens (%s billed at the cached "
			   "price where there is one) and %s output tokens a "
			   "month.\n",
			   S_str(w, "input_label"), S_str(w, "cached_label"),
			   S_str(w, "output_label"));
		buf_puts(out, "Requirements: ");
		S_text(out, md, S_str(req, "summary"));
		buf_puts(out, ".\n");
		buf_printf(out,
			   "Prices are USD per 1M tokens, as of %s (the "
			   "catalog's newest data); ages count from that "
			   "day.\n\n",
			   S_str(res, "data_date"));
		return;
	}
	if (json_array_size(rank) == 0)
		buf_puts(out, "No offer meets the requirements with a "
			      "published price.\n");
	if (json_array_size(none)) {
		buf_printf(out, "%sNo published price (%zu):\n%s", p,
			   json_array_size(none), md ? "\n" : "");
		json_array_foreach(none, i, row)
		{
			buf_puts(out, md ? "- " : "  ");
			S_offer_words(out, md, row);
			buf_putc(out, '\n');
		}
	}
	json_int_t excluded =
	    json_integer_value(json_object_get(res, "excluded"));
	json_int_t over =
	    json_integer_value(json_object_get(res, "over_budget"));
	if (excluded || over) {
		buf_printf(out, "%sLeft out:", p);
		if (excluded)
			buf_printf(
			    out, " %lld offer%s that fail%s a requirement",
			    (long long)excluded, excluded == 1 ? "" : "s",
			    excluded == 1 ? "s" : "");
		if (over)
			buf_printf(out,
				   "%s %lld offer%s above the monthly limit",
				   excluded ? ";" : "", (long long)over,
				   over == 1 ? "" : "s");
		buf_puts(out, ".\n");
	}
	json_int_t hosts = json_integer_value(json_object_get(resil, "hosts"));
	buf_printf(
	    out, "%sResilience: %lld independent host%s serve%s this model", p,
	    (long long)hosts, hosts == 1 ? "" : "s", hosts == 1 ? "s" : "");
	if (hosts) {
		buf_puts(out, " (");
		S_text(out, md, S_str(resil, "host_list"));
		buf_putc(out, ')');
	}
	buf_printf(
	    out, "; %lld meet%s the requirements.",
	    (long long)json_integer_value(
		json_object_get(resil, "hosts_meeting")),
	    json_integer_value(json_object_get(resil, "hosts_meeting")) == 1
		? "s"
		: "");
	if (json_is_string(json_object_get(resil, "router_names"))) {
		buf_puts(out, " Also sold through ");
		S_text(out, md, S_str(resil, "router_names"));
		buf_puts(out, ", a router to other hosts, not counted.");
	}
	buf_putc(out, '\n');
	S_frontier_notes(front, md, out);
	bool stale = false, old = false, short_ctx = false;
	json_array_foreach(rank, i, row)
	{
		short_ctx |=
		    json_is_true(json_object_get(row, "context_short"));
		stale |= json_is_true(json_object_get(row, "stale"));
		old |= json_is_true(json_object_get(row, "old")) &&
		       !json_is_true(json_object_get(row, "stale"));
	}
	buf_puts(out, p);
	if (json_is_true(json_object_get(res, "has_router")))
		buf_puts(out, "(router): " S_ROUTER_LEGEND "\n");
	if (stale)
		buf_puts(out,
			 "STALE: the vendor's last live probe failed; this "
			 "is its last good price.\n");
	if (old)
		buf_printf(out,
			   "OLD: the price is more than %d days older than "
			   "%s.\n",
			   VALIDATE_STALE_DAYS, S_str(res, "data_date"));
	if (short_ctx)
		buf_printf(out,
			   "SHORT: the offer's context window is less than "
			   "the model's %s tokens.\n",
			   S_str(model, "context_label"));
	buf_puts(out, "Ranked by monthly cost, then vendor id, then remote "
		      "id; costs rounded to the cent.\n");
}

void choose_print_table(json_t *result, struct buf *out)
{
	S_notes(result, false, true, out);
	if (json_array_size(json_object_get(result, "ranking")))
		S_table_text(json_object_get(result, "ranking"), out);
	S_notes(result, false, false, out);
}

void choose_print_markdown(json_t *result, struct buf *out)
{
	S_notes(result, true, true, out);
	if (json_array_size(json_object_get(result, "ranking")))
		S_table_markdown(json_object_get(result, "ranking"), out);
	S_notes(result, true, false, out);
}

/* ---- the command ---- */

/* Checks --via and --layer against the catalog; EXIT_OK or EXIT_USAGE. */
static int S_check_query(const struct catalog *cat, const struct options *opt)
{
	if (opt->layer && catalog_layer_index(opt->layer) < 0) {
		fprintf(stderr, "stackmap: choose: unknown layer '%s'; one of",
			opt->layer);
		for (size_t i = 0; i < catalog_layer_count; i++)
			fprintf(stderr, "%s %s", i ? "," : "",
				catalog_layers[i]);
		fputc('\n', stderr);
		return EXIT_USAGE;
	}
	if (!opt->via || catalog_find_vendor(cat, opt->via))
		return EXIT_OK;
	const char *close = NULL;
	size_t best = 4;
	for (size_t i = 0; i < cat->n_vendors; i++) {
		size_t d =
		    schema_edit_distance(opt->via, cat->vendors[i].id, 3);
		if (d < best) {
			best = d;
			close = cat->vendors[i].id;
		}
	}
	fprintf(stderr, "stackmap: choose: unknown vendor '%s'", opt->via);
	if (close)
		fprintf(stderr, "; did you mean '%s'?", close);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

int choose_run(const struct options *opt)
{
	struct catalog cat;
	struct diags diags;
	struct buf err = BUF_INIT, out = BUF_INIT;
	json_t *snapshot = NULL, *view = NULL, *result = NULL;
	const char *format = opt->choose_format ? opt->choose_format : "table";
	struct choose_query q = {
	    .input_tokens = opt->input_tokens,
	    .output_tokens = opt->output_tokens,
	    .cached_share = opt->cached_share,
	    .require_compatible = opt->require_compatible,
	    .via = opt->via,
	    .layer = opt->layer,
	    .max_monthly = opt->max_monthly,
	};
	int rc = EXIT_OK;
	diags_init(&diags);
	memset(&cat, 0, sizeof(cat));
	if (!opt->model) {
		fputs("stackmap: choose: --model ID is required; see "
		      "'stackmap choose --help'\n",
		      stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	catalog_load(&cat, opt->catalog_dir, &diags);
	validate_catalog(&cat, &diags);
	if (diags.errors || opt->verbose)
		diags_print(&diags, stderr);
	if (diags.errors) {
		fprintf(stderr, "stackmap: the catalog has %zu errors\n",
			diags.errors);
		rc = EXIT_INVALID;
		goto out;
	}
	if (build_load_snapshot(opt->snapshot, &snapshot, &err) != 0) {
		fprintf(stderr, "%s\n", buf_cstr(&err));
		rc = EXIT_INVALID;
		goto out;
	}
	view = view_build(&cat, snapshot);
	if ((rc = S_check_query(&cat, opt)) != EXIT_OK)
		goto out;
	q.model_id = choose_find_model(view, opt->model, &err);
	if (!q.model_id) {
		fprintf(stderr, "stackmap: choose: %s\n", buf_cstr(&err));
		rc = EXIT_USAGE;
		goto out;
	}
	result = choose_rank(view, &q);
	if (strcmp(format, "json") == 0) {
		char *text = json_dumps(result, JSON_INDENT(2));
		buf_printf(&out, "%s\n", text);
		free(text);
	} else if (strcmp(format, "md") == 0) {
		choose_print_markdown(result, &out);
	} else {
		choose_print_table(result, &out);
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "stackmap: cannot write the ranking: %s\n",
			strerror(errno));
		rc = EXIT_SYSTEM;
	}
out:
	json_decref(result);
	json_decref(view);
	json_decref(snapshot);
	buf_release(&err);
	buf_release(&out);
	catalog_release(&cat);
	diags_release(&diags);
	return rc;
}
