/* Unit tests for the loader, schema, validator and output stages. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog.h"
#include "diag.h"
#include "fsutil.h"
#include "markdown.h"
#include "output.h"
#include "render.h"
#include "schema.h"
#include "text.h"
#include "validate.h"
#include "yamldoc.h"

#define MINI "tests/fixtures/mini"

static struct ynode *S_parse(const char *text, struct diags *d)
{
	return yamldoc_parse("t.yaml", text, strlen(text), d);
}

/* The first diagnostic's message, after sorting. */
static const char *S_first(struct diags *d)
{
	diags_print(d, stdout);
	return d->count ? d->items[0].message : "";
}

static void test_yaml_alias_refused(void **state)
{
	(void)state;
	struct diags d;
	diags_init(&d);
	struct ynode *n = S_parse("a: &x 1\nb: *x\n", &d);
	assert_null(n);
	assert_int_equal(d.errors, 1);
	assert_string_equal(S_first(&d),
			    "YAML anchors are not allowed in a catalog");
	assert_int_equal(d.items[0].line, 1);
	assert_int_equal(d.items[0].col, 4);
	diags_release(&d);
}

static void test_yaml_duplicate_key(void **state)
{
	(void)state;
	struct diags d;
	diags_init(&d);
	assert_null(S_parse("a: 1\nb: 2\na: 3\n", &d));
	assert_string_equal(S_first(&d), "duplicate key 'a' (first at line 1)");
	assert_int_equal(d.items[0].line, 3);
	diags_release(&d);
}

static void test_yaml_depth_limit(void **state)
{
	(void)state;
	struct diags d;
	diags_init(&d);
	char text[256];
	memset(text, '[', 65);
	memset(text + 65, ']', 65);
	text[130] = '\0';
	assert_null(S_parse(text, &d));
	assert_string_equal(S_first(&d), "nesting deeper than 64 levels");
	diags_release(&d);
	diags_init(&d);
	text[64] = '\0'; /* 64 opens, no closes: invalid YAML, not depth */
	memset(text, '[', 63);
	text[63] = '1';
	text[64] = '\0';
	assert_null(S_parse(text, &d));
	assert_non_null(strstr(S_first(&d), "invalid YAML"));
	diags_release(&d);
}

static void test_yaml_utf8(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "a: \xC0\xAF\n",	     /* overlong '/' */
	    "a: \xED\xA0\x80\n",     /* surrogate */
	    "a: \xE2\x82\n",	     /* truncated */
	    "a: \xF5\x80\x80\x80\n", /* above U+10FFFF */
	    "a: \xFF\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct diags d;
		diags_init(&d);
		assert_null(S_parse(bad[i], &d));
		assert_non_null(strstr(S_first(&d), "invalid UTF-8"));
		assert_int_equal(d.items[0].line, 1);
		assert_int_equal(d.items[0].col, 4);
		diags_release(&d);
	}
	struct diags d;
	diags_init(&d);
	struct ynode *n = S_parse("a: \"caf\xC3\xA9 \xF0\x9F\x9A\x80\"\n", &d);
	assert_non_null(n);
	assert_int_equal(d.errors, 0);
	assert_string_equal(ynode_get(n, "a")->text,
			    "caf\xC3\xA9 \xF0\x9F\x9A\x80");
	yamldoc_free(n);
	diags_release(&d);
}

static void test_yaml_size_limit(void **state)
{
	(void)state;
	size_t len = YAMLDOC_MAX_BYTES + 1;
	char *big = malloc(len);
	memset(big, '#', len);
	struct diags d;
	diags_init(&d);
	assert_null(yamldoc_parse("big.yaml", big, len, &d));
	assert_non_null(strstr(S_first(&d), "the limit is 4194304 bytes"));
	free(big);
	diags_release(&d);
}

static void test_schema_syntax(void **state)
{
	(void)state;
	assert_true(schema_is_id("together"));
	assert_true(schema_is_id("aws-bedrock"));
	assert_false(schema_is_id("Together"));
	assert_false(schema_is_id("-x"));
	assert_false(schema_is_id("a.b"));
	assert_true(schema_is_model_id("llama-3.3-70b"));
	assert_false(schema_is_model_id("llama..70b"));
	assert_true(schema_is_url("https://a.example/x?y=1#z"));
	assert_false(schema_is_url("javascript:alert(1)"));
	assert_false(schema_is_url("https://"));
	assert_false(schema_is_url("https://a.example/\"x"));
	assert_false(schema_is_url("https://a.example/ x"));
	assert_false(schema_is_url("HTTPS://a.example"));
	assert_true(schema_is_date("2024-02-29"));
	assert_false(schema_is_date("2023-02-29"));
	assert_true(schema_is_date("2000-02-29"));
	assert_false(schema_is_date("1900-02-29"));
	assert_false(schema_is_date("2026-13-01"));
	assert_false(schema_is_date("2026-1-01"));
	assert_int_equal(schema_edit_distance("sumary", "summary", 2), 1);
	assert_int_equal(schema_edit_distance("input", "output", 5), 3);
	assert_int_equal(schema_edit_distance("abc", "xyz", 1), 2);
}

static void test_validate_day_number(void **state)
{
	(void)state;
	assert_int_equal(validate_day_number("1970-01-01"), 0);
	assert_int_equal(validate_day_number("2000-03-01"), 11017);
	assert_int_equal(validate_day_number("2026-11-25") -
			     validate_day_number("2026-05-29"),
			 180);
}

static void test_catalog_mini(void **state)
{
	(void)state;
	struct catalog cat;
	struct diags d;
	diags_init(&d);
	assert_int_equal(catalog_load(&cat, MINI, &d), 0);
	assert_int_equal(validate_catalog(&cat, &d), 0);
	assert_int_equal(d.warnings, 0);
	assert_int_equal(cat.n_vendors, 4);
	assert_int_equal(cat.n_models, 2);
	assert_int_equal(cat.n_primers, 1);
	/* sorted by id */
	assert_string_equal(cat.vendors[0].id, "acme-lab");
	assert_string_equal(cat.vendors[3].id, "glue");
	const struct vendor *v = catalog_find_vendor(&cat, "fastinfer");
	assert_non_null(v);
	assert_int_equal(v->spectrum, 3);
	assert_int_equal(v->strengths.count, 2);
	assert_string_equal(v->strengths.items[1], "speed");
	assert_non_null(v->api);
	assert_int_equal(v->api->openai_compatible, 1);
	assert_string_equal(v->api->key_env, "FASTINFER_API_KEY");
	assert_int_equal(v->n_offers, 1);
	assert_true(v->offers[0].input == 0.1);
	assert_true(v->offers[0].cached_input == 0.05);
	assert_int_equal(v->offers[0].context, 131072);
	assert_ptr_equal(v->offers[0].model_ref,
			 catalog_find_model(&cat, "open-7b"));
	assert_int_equal(v->offers[0].loc.line, 18);
	assert_int_equal(v->n_signals, 1);
	assert_int_equal(v->signals[0].value_usd, 100000000);
	const struct vendor *cloud = catalog_find_vendor(&cat, "bigcloud");
	assert_true(isnan(cloud->offers[0].input));
	assert_int_equal(cloud->offers[0].context, -1);
	assert_null(cloud->api);
	const struct model *m = catalog_find_model(&cat, "acme-1");
	assert_int_equal(m->open_weights, 0);
	assert_null(m->license);
	assert_string_equal(m->lab_ref->id, "acme-lab");
	assert_string_equal(cat.primers[0].slug, "basics");
	assert_string_equal(cat.primers[0].body,
			    "# Basics\n\nSome *CommonMark* text.\n");
	assert_string_equal(cat.site.base_url, "https://example.org/mini/");
	assert_null(catalog_find_vendor(&cat, "nope"));
	catalog_release(&cat);
	diags_release(&d);
}

static void test_catalog_missing_dir(void **state)
{
	(void)state;
	struct catalog cat;
	struct diags d;
	diags_init(&d);
	assert_true(catalog_load(&cat, "tests/fixtures/does-not-exist", &d) >=
		    3);
	assert_int_equal(cat.n_vendors, 0);
	catalog_release(&cat);
	diags_release(&d);
}

static void test_markdown_safe(void **state)
{
	(void)state;
	char *html = markdown_to_html(
	    "Hi <script>alert(1)</script> [x](javascript:alert(1)) "
	    "[ok](https://a.example) [rel](../vendors/a.html)\n\n"
	    "<div onclick=\"x\">block</div>\n");
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "javascript:"));
	assert_null(strstr(html, "onclick"));
	assert_non_null(strstr(html, "href=\"https://a.example\""));
	assert_non_null(strstr(html, "href=\"../vendors/a.html\""));
	free(html);
	char *md = markdown_to_safe_commonmark(
	    "A <b>bold</b> [x](javascript:alert(1))\n\n<iframe></iframe>\n");
	assert_null(strstr(md, "<b>"));
	assert_null(strstr(md, "iframe"));
	assert_null(strstr(md, "javascript:"));
	free(md);
	/* an entity that turns back into a scheme when re-parsed */
	md = markdown_to_safe_commonmark("[z](java&amp;#115;cript:alert(1))\n");
	assert_null(strstr(md, "#115"));
	free(md);
	html = markdown_to_html("[z](java&amp;#115;cript:alert(1))\n");
	assert_non_null(strstr(html, "href=\"\""));
	free(html);
}

/* text_clean over a NUL-terminated string. */
static char *S_clean(const char *s)
{
	return text_clean(s, strlen(s));
}

static void test_text_clean(void **state)
{
	(void)state;
	assert_null(S_clean("plain caf\xC3\xA9"));
	char *c = S_clean("a\xE2\x80\xAE"
			  "exe.txt\xE2\x80\xAC"
			  "b");
	assert_string_equal(c, "aexe.txtb");
	free(c);
	c = S_clean("x\xEF\xBF\xBF"
		    "y\x1B[31m");
	assert_string_equal(c, "xy[31m");
	free(c);
	c = S_clean("bad\xC3(");
	assert_string_equal(c, "bad\xEF\xBF\xBD(");
	free(c);
	c = S_clean("line\nnext\ttab\r");
	assert_string_equal(c, "line\nnext\ttab");
	free(c);
}

static void test_escapers(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	render_escape_markdown(&b, "a|b *c* <d>\n[e](f)", 19);
	assert_string_equal(buf_cstr(&b),
			    "a\\|b \\*c\\* \\<d\\> \\[e\\]\\(f\\)");
	buf_reset(&b);
	render_csv_cell(&b, "=HYPERLINK(\"http://x\")");
	assert_string_equal(buf_cstr(&b), "\"'=HYPERLINK(\"\"http://x\"\")\"");
	buf_reset(&b);
	render_csv_cell(&b, "plain");
	assert_string_equal(buf_cstr(&b), "plain");
	buf_reset(&b);
	render_csv_cell(&b, "a,b");
	assert_string_equal(buf_cstr(&b), "\"a,b\"");
	buf_reset(&b);
	render_csv_cell(&b, "@SUM(A1)");
	assert_string_equal(buf_cstr(&b), "\"'@SUM(A1)\"");
	buf_release(&b);
}

static void test_output_swap(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/stackmap-output-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	char *site = fs_join(tmpl, "site");
	struct output o;
	struct buf err = BUF_INIT;
	assert_int_equal(output_begin(&o, site, &err), 0);
	assert_int_equal(output_file(&o, "a.html", "one", 3, &err), 0);
	assert_int_equal(output_file(&o, "sub/b.html", "two", 3, &err), 0);
	assert_int_equal(output_file(&o, "gone.html", "x", 1, &err), 0);
	assert_int_equal(output_file(&o, "../evil", "x", 1, &err), -1);
	assert_int_equal(output_commit(&o, &err), 0);
	char *a = fs_join(site, "a.html"), *b = fs_join(site, "sub/b.html");
	char *gone = fs_join(site, "gone.html");
	struct stat before, after;
	assert_int_equal(stat(a, &before), 0);
	/* second build: a unchanged, b changed, gone removed */
	assert_int_equal(output_begin(&o, site, &err), 0);
	assert_int_equal(output_file(&o, "a.html", "one", 3, &err), 0);
	assert_int_equal(output_file(&o, "sub/b.html", "TWO", 3, &err), 0);
	assert_int_equal(o.unchanged, 1);
	assert_int_equal(o.written, 1);
	assert_int_equal(output_commit(&o, &err), 0);
	assert_int_equal(stat(a, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
	assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
	assert_int_equal(access(gone, F_OK), -1);
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(fs_read_file(b, 100, &data, &len), 0);
	assert_string_equal(data, "TWO");
	free(data);
	/* an aborted build leaves the tree as it was */
	assert_int_equal(output_begin(&o, site, &err), 0);
	assert_int_equal(output_file(&o, "a.html", "changed", 7, &err), 0);
	output_abort(&o);
	assert_int_equal(fs_read_file(a, 100, &data, &len), 0);
	assert_string_equal(data, "one");
	free(data);
	assert_int_equal(output_remove_tree(tmpl), 0);
	free(a);
	free(b);
	free(gone);
	free(site);
	buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_yaml_alias_refused),
	    cmocka_unit_test(test_yaml_duplicate_key),
	    cmocka_unit_test(test_yaml_depth_limit),
	    cmocka_unit_test(test_yaml_utf8),
	    cmocka_unit_test(test_yaml_size_limit),
	    cmocka_unit_test(test_schema_syntax),
	    cmocka_unit_test(test_validate_day_number),
	    cmocka_unit_test(test_catalog_mini),
	    cmocka_unit_test(test_catalog_missing_dir),
	    cmocka_unit_test(test_markdown_safe),
	    cmocka_unit_test(test_text_clean),
	    cmocka_unit_test(test_escapers),
	    cmocka_unit_test(test_output_swap),
	};
	return cmocka_run_group_tests_name("catalog", tests, NULL, NULL);
}
