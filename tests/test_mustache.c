/* test_mustache: unit tests for what the Mustache spec files do not cover:
 * syntax-error diagnostics, recursion limits, the escape hook, number
 * formatting, deep nesting, truthiness of "" and 0, template reuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "buf.h"
#include "mustache.h"
#include "xalloc.h"

/* Partials as a NULL-terminated list of name, source pairs, compiled on
 * first use and owned by the table. */
struct S_table {
	const char *const *pairs;
	struct mustache_template *tpl[16];
	int lookups;
};

static const struct mustache_template *S_table_get(void *ctx, const char *name,
						   struct mustache_error *err)
{
	struct S_table *tb = ctx;
	size_t i;

	tb->lookups++;
	for (i = 0; tb->pairs && tb->pairs[2 * i]; i++) {
		const char *src = tb->pairs[2 * i + 1];
		if (strcmp(tb->pairs[2 * i], name) != 0)
			continue;
		if (!tb->tpl[i])
			tb->tpl[i] =
			    mustache_compile(name, src, strlen(src), err);
		return tb->tpl[i];
	}
	return NULL;
}

static void S_table_release(struct S_table *tb)
{
	size_t i;
	for (i = 0; i < sizeof tb->tpl / sizeof tb->tpl[0]; i++)
		mustache_template_free(tb->tpl[i]);
}

/* Compiles tpl (path "main") and renders it against the JSON text data
 * with the given partials and escape hook. Returns the output, or the
 * formatted error prefixed with "ERROR ". Caller frees. */
static char *S_render(const char *tpl, const char *data,
		      const char *const *partials, mustache_escape_fn escape)
{
	struct S_table tb = {partials, {NULL}, 0};
	struct mustache_options opt = {S_table_get, &tb, escape};
	struct mustache_error err;
	struct mustache_template *t;
	struct buf out = BUF_INIT;
	json_t *json = NULL;

	if (data) {
		json = json_loads(data, JSON_DECODE_ANY, NULL);
		assert_non_null(json);
	}
	t = mustache_compile("main", tpl, strlen(tpl), &err);
	if (!t || mustache_render(t, json, &opt, &out, &err) < 0) {
		buf_reset(&out);
		buf_puts(&out, "ERROR ");
		mustache_error_format(&err, &out);
	}
	mustache_template_free(t);
	S_table_release(&tb);
	json_decref(json);
	return buf_detach(&out, NULL);
}

static void S_assert_render(const char *tpl, const char *data,
			    const char *const *partials, const char *expected)
{
	char *got = S_render(tpl, data, partials, NULL);
	assert_string_equal(got, expected);
	free(got);
}

/* Asserts that compiling tpl as path fails with exactly the diagnostic
 * expected. */
static void S_assert_compile_error(const char *path, const char *tpl,
				   const char *expected)
{
	struct mustache_error err;
	struct buf msg = BUF_INIT;
	struct mustache_template *t;

	memset(&err, 0, sizeof err);
	t = mustache_compile(path, tpl, strlen(tpl), &err);
	assert_null(t);
	mustache_error_format(&err, &msg);
	assert_string_equal(buf_cstr(&msg), expected);
	buf_release(&msg);
}

static void test_error_unclosed_tag(void **state)
{
	(void)state;
	S_assert_compile_error(
	    "a.mustache", "line one\n  {{#items}}\n    {{name\n",
	    "a.mustache:3:5: error: unclosed tag: no closing '}}'");
	S_assert_compile_error(
	    "h.mustache", "\n\t{{{raw}}",
	    "h.mustache:2:2: error: unclosed tag: no closing '}}}'");
	S_assert_compile_error(
	    "i.mustache", "{{=<% %>=}}\n<%#a%>\n<%x}}",
	    "i.mustache:3:1: error: unclosed tag: no closing '%>'");
}

static void test_error_unclosed_section(void **state)
{
	(void)state;
	S_assert_compile_error(
	    "b.mustache", "x\n{{#outer}}\n  {{#inner}}\n  {{/inner}}\n",
	    "b.mustache:2:1: error: unclosed section 'outer'");
	S_assert_compile_error(
	    "b.mustache", "\n\n  {{^none}}",
	    "b.mustache:3:3: error: unclosed inverted section 'none'");
	S_assert_compile_error(
	    "b.mustache", "{{<layout}}\n{{$body}}x{{/layout}}",
	    "b.mustache:2:11: error: mismatched close tag 'layout': block "
	    "'body' opened at line 2 is still open");
}

static void test_error_mismatched_close(void **state)
{
	(void)state;
	S_assert_compile_error(
	    "c.mustache", "<ul>\n{{#items}}\n  <li>{{name}}</li>\n{{/itemz}}\n",
	    "c.mustache:4:1: error: mismatched close tag 'itemz': section "
	    "'items' opened at line 2 is still open");
}

static void test_error_unexpected_close(void **state)
{
	(void)state;
	S_assert_compile_error(
	    "d.mustache", "hello\n\n   {{/done}}",
	    "d.mustache:3:4: error: unexpected close tag 'done': no section "
	    "is open");
}

static void test_error_empty_name(void **state)
{
	(void)state;
	S_assert_compile_error("e.mustache", "ok {{x}}\nthen {{ }} here",
			       "e.mustache:2:6: error: empty tag name");
	S_assert_compile_error("e.mustache", "ok\n {{#}}{{/}}",
			       "e.mustache:2:2: error: empty tag name");
	S_assert_compile_error("e.mustache", "\n{{> * }}",
			       "e.mustache:2:1: error: empty tag name");
}

static void test_error_bad_delimiter(void **state)
{
	(void)state;
	S_assert_compile_error(
	    "f.mustache", "a\nb {{=<% %> x=}}",
	    "f.mustache:2:3: error: invalid set-delimiter tag: expected two "
	    "delimiters separated by spaces");
	S_assert_compile_error(
	    "f.mustache", "a\n\n{{=<%=}}",
	    "f.mustache:3:1: error: invalid set-delimiter tag: expected two "
	    "delimiters separated by spaces");
}

static void test_error_space_in_name(void **state)
{
	(void)state;
	S_assert_compile_error(
	    "g.mustache", "{{a}}\n{{#b}}{{first name}}{{/b}}",
	    "g.mustache:2:7: error: whitespace in tag name 'first name'");
}

static void test_error_format_without_position(void **state)
{
	struct mustache_error err;
	struct buf msg = BUF_INIT;
	(void)state;
	mustache_error_set(&err, "p.mustache", 0, 0, "cannot read: %s",
			   "No such file");
	mustache_error_format(&err, &msg);
	assert_string_equal(buf_cstr(&msg),
			    "p.mustache: error: cannot read: No such file");
	buf_release(&msg);
}

static void test_partial_recursion_limit(void **state)
{
	static const char *const partials[] = {"self", "x{{>self}}", NULL};
	struct S_table tb = {partials, {NULL}, 0};
	struct mustache_options opt = {S_table_get, &tb, NULL};
	struct mustache_error err;
	struct mustache_template *t;
	struct buf out = BUF_INIT, msg = BUF_INIT;
	(void)state;

	t = mustache_compile("main", "{{>self}}", 9, &err);
	assert_non_null(t);
	buf_puts(&out, "keep:");
	assert_int_equal(mustache_render(t, NULL, &opt, &out, &err), -1);
	mustache_error_format(&err, &msg);
	assert_string_equal(buf_cstr(&msg), "self:1:2: error: partial 'self' "
					    "nested more than 64 levels deep");
	/* the output is restored on failure */
	assert_string_equal(buf_cstr(&out), "keep:");
	/* each partial tag is resolved once per render (main's and self's),
	 * however often it expands */
	assert_int_equal(tb.lookups, 2);
	buf_release(&out);
	buf_release(&msg);
	mustache_template_free(t);
	S_table_release(&tb);
}

static void test_parent_recursion_limit(void **state)
{
	static const char *const partials[] = {
	    "a", "{{<b}}{{/b}}", "b", "\n {{<a}}{{/a}}", NULL,
	};
	char *got;
	(void)state;
	got = S_render("{{<a}}{{/a}}", "{}", partials, NULL);
	assert_string_equal(got, "ERROR b:2:2: error: parent 'a' nested more "
				 "than 64 levels deep");
	free(got);
}

static void test_bounded_recursion(void **state)
{
	static const char *const partials[] = {
	    "node",
	    "{{name}}({{#kids}}{{>node}}{{/kids}})",
	    NULL,
	};
	(void)state;
	S_assert_render(
	    "{{>node}}",
	    "{\"name\":\"a\",\"kids\":[{\"name\":\"b\",\"kids\":[{\"name\":"
	    "\"c\",\"kids\":[]}]},{\"name\":\"d\",\"kids\":[]}]}",
	    partials, "a(b(c())d())");
}

static void test_nesting_limit(void **state)
{
	struct buf tpl = BUF_INIT;
	char *got;
	int i;
	(void)state;

	/* a block whose override renders itself again */
	got = S_render("{{<p}}{{$b}}[{{$b}}{{/b}}]{{/b}}{{/p}}", "{}",
		       (const char *const[]){"p", "{{$b}}{{/b}}", NULL}, NULL);
	assert_string_equal(got, "ERROR main:1:14: error: block 'b' nested "
				 "more than 1024 levels deep");
	free(got);
	for (i = 0; i < 1100; i++)
		buf_puts(&tpl, "{{#a}}\n");
	for (i = 0; i < 1100; i++)
		buf_puts(&tpl, "{{/a}}\n");
	got = S_render(buf_cstr(&tpl), "{\"a\":true}", NULL, NULL);
	assert_string_equal(got, "ERROR main:1024:1: error: section 'a' nested "
				 "more than 1024 levels deep");
	free(got);
	buf_release(&tpl);
}

static void test_lazy_partial_error(void **state)
{
	static const char *const partials[] = {"bad", "ok\n  {{#x}}", NULL};
	(void)state;
	char *got = S_render("a\n{{>bad}}", "{}", partials, NULL);
	assert_string_equal(got, "ERROR bad:2:3: error: unclosed section 'x'");
	free(got);
}

static void test_missing_partial(void **state)
{
	struct mustache_template *t;
	struct mustache_error err;
	struct buf out = BUF_INIT;
	(void)state;

	S_assert_render("[{{>nope}}][{{>*name}}]", "{\"name\":\"nope\"}", NULL,
			"[][]");
	/* no options at all: no partials, HTML escaping */
	t = mustache_compile("main", "[{{>p}}]{{.}}", 13, &err);
	assert_non_null(t);
	json_t *s = json_string("<'&'>");
	assert_int_equal(mustache_render(t, s, NULL, &out, &err), 0);
	assert_string_equal(buf_cstr(&out), "[]&lt;&#39;&amp;&#39;&gt;");
	json_decref(s);
	buf_release(&out);
	mustache_template_free(t);
}

/* A Markdown-style escaper: backslash before * and _. */
static void S_escape_md(struct buf *out, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (s[i] == '*' || s[i] == '_')
			buf_putc(out, '\\');
		buf_putc(out, s[i]);
	}
}

static void test_escape_hook(void **state)
{
	static const char *const partials[] = {"p", "<{{x}}>", NULL};
	char *got;
	(void)state;

	got =
	    S_render("{{x}} {{{x}}} {{&x}} {{n}} {{>p}}",
		     "{\"x\":\"*a_b* <&>\",\"n\":2.5}", partials, S_escape_md);
	assert_string_equal(got, "\\*a\\_b\\* <&> *a_b* <&> *a_b* <&> 2.5 "
				 "<\\*a\\_b\\* <&>>");
	free(got);
	/* the default escapes all five HTML specials */
	got = S_render("{{x}}", "{\"x\":\"a&b<c>d\\\"e'f\"}", NULL, NULL);
	assert_string_equal(got, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	free(got);
}

static void test_numbers(void **state)
{
	(void)state;
	S_assert_render(
	    "{{a}}|{{b}}|{{c}}|{{d}}|{{e}}|{{f}}|{{g}}|{{h}}",
	    "{\"a\":0.1,\"b\":1e21,\"c\":-3,\"d\":2.5,\"e\":3.0,"
	    "\"f\":0.30000000000000004,\"g\":123456789012,\"h\":-1.5e-7}",
	    NULL,
	    "0.1|1e+21|-3|2.5|3|0.30000000000000004|123456789012|"
	    "-1.5e-07");
	S_assert_render(
	    "{{t}} {{f}} [{{n}}] [{{o}}] [{{l}}] {{{t}}}",
	    "{\"t\":true,\"f\":false,\"n\":null,\"o\":{\"k\":1},\"l\":[1]}",
	    NULL, "true false [] [] [] true");
	S_assert_render("{{#l}}{{.}},{{/l}}",
			"{\"l\":[1.21,85,-0.5,1e-3,950.0,1e15,4.9e-324]}", NULL,
			"1.21,85,-0.5,0.001,950,1e+15,5e-324,");
}

static void test_truthiness(void **state)
{
	(void)state;
	S_assert_render(
	    "{{#s}}S{{/s}}{{#z}}Z{{/z}}{{#o}}O{{/o}}{{#f}}F{{/f}}"
	    "{{#n}}N{{/n}}{{#e}}E{{/e}}{{#m}}M{{/m}}|{{^s}}s{{/s}}{{^z}}z{{/z}}"
	    "{{^f}}f{{/f}}{{^n}}n{{/n}}{{^e}}e{{/e}}{{^m}}m{{/m}}",
	    "{\"s\":\"\",\"z\":0,\"o\":{},\"f\":false,\"n\":null,\"e\":[]}",
	    NULL, "SZO|fnem");
}

static void test_deep_nesting(void **state)
{
	struct buf tpl = BUF_INIT, data = BUF_INIT, want = BUF_INIT;
	char *got;
	int i;
	(void)state;

	/* "top" resolves at the bottom of a 301-deep context stack */
	buf_puts(&data, "{\"top\":\"T\"");
	for (i = 1; i <= 300; i++) {
		buf_puts(&tpl, "{{#a}}[{{n}}");
		buf_printf(&data, ",\"a\":{\"n\":%d", i);
		buf_printf(&want, "[%d", i);
	}
	buf_puts(&tpl, "{{top}}");
	buf_puts(&want, "T");
	for (i = 1; i <= 300; i++) {
		buf_puts(&tpl, "]{{/a}}");
		buf_putc(&data, '}');
		buf_putc(&want, ']');
	}
	buf_putc(&data, '}');
	got = S_render(buf_cstr(&tpl), buf_cstr(&data), NULL, NULL);
	assert_string_equal(got, buf_cstr(&want));
	free(got);
	buf_release(&tpl);
	buf_release(&data);
	buf_release(&want);
}

static void test_reuse_across_renders(void **state)
{
	static const char *const partials[] = {"li", "<li>{{.}}</li>\n", NULL};
	static const char src[] =
	    "<h1>{{title}}</h1>\n<ul>\n{{#items}}\n  {{>li}}\n{{/items}}\n"
	    "{{^items}}\n  <li>none</li>\n{{/items}}\n</ul>\n";
	struct S_table tb = {partials, {NULL}, 0};
	struct mustache_options opt = {S_table_get, &tb, NULL};
	struct mustache_error err;
	struct mustache_template *t;
	struct buf out = BUF_INIT;
	json_t *a =
	    json_pack("{s:s, s:[s,s]}", "title", "A&B", "items", "x", "y");
	json_t *b = json_pack("{s:s, s:[]}", "title", "Empty", "items");
	(void)state;

	t = mustache_compile("page", src, sizeof src - 1, &err);
	assert_non_null(t);
	assert_string_equal(mustache_template_path(t), "page");
	assert_int_equal(mustache_render(t, a, &opt, &out, &err), 0);
	assert_string_equal(buf_cstr(&out),
			    "<h1>A&amp;B</h1>\n<ul>\n"
			    "  <li>x</li>\n  <li>y</li>\n</ul>\n");
	buf_reset(&out);
	assert_int_equal(mustache_render(t, b, &opt, &out, &err), 0);
	assert_string_equal(buf_cstr(&out), "<h1>Empty</h1>\n<ul>\n"
					    "  <li>none</li>\n</ul>\n");
	/* rendering appends; the first data renders the same again */
	assert_int_equal(mustache_render(t, a, &opt, &out, &err), 0);
	assert_string_equal(buf_cstr(&out),
			    "<h1>Empty</h1>\n<ul>\n"
			    "  <li>none</li>\n</ul>\n<h1>A&amp;B</h1>\n<ul>\n"
			    "  <li>x</li>\n  <li>y</li>\n</ul>\n");
	json_decref(a);
	json_decref(b);
	buf_release(&out);
	mustache_template_free(t);
	S_table_release(&tb);
}

static void test_nested_partial_indentation(void **state)
{
	static const char *const partials[] = {
	    "outer",  "<p>\n  {{>inner}}\n  x {{>inline}}\n</p>\n",
	    "inner",  "a\n{{#l}}\n  {{.}}\n{{/l}}\nb\n",
	    "inline", "1\n2",
	    NULL,
	};
	(void)state;
	S_assert_render("<div>\n  {{>outer}}\n</div>\n",
			"{\"l\":[\"i\",\"j\"]}", partials,
			"<div>\n  <p>\n    a\n      i\n      j\n    b\n"
			"    x 1\n2\n  </p>\n</div>\n");
	/* the indentation before a close tag that is not standalone belongs
	 * to the section: as if the partial's source were indented */
	S_assert_render("  {{>p}}\n", "{\"l\":[1,2]}",
			(const char *const[]){"p", "{{#l}}\n{{/l}}y\n", NULL},
			"    y\n");
	S_assert_render("  {{>p}}\n", "{\"l\":[]}",
			(const char *const[]){"p", "{{#l}}\n{{/l}}y\n", NULL},
			"y\n");
}

static void test_layout_inheritance(void **state)
{
	static const char *const partials[] = {
	    "layout",
	    "<html>\n  <body>\n    {{$body}}\n    default\n"
	    "    {{/body}}\n  </body>\n</html>\n",
	    NULL,
	};
	(void)state;
	S_assert_render(
	    "{{<layout}}\n{{$body}}\n<h1>{{t}}</h1>\n<p>hi</p>\n"
	    "{{/body}}\n{{/layout}}\n",
	    "{\"t\":\"T\"}", partials,
	    "<html>\n  <body>\n    <h1>T</h1>\n    <p>hi</p>\n  </body>\n"
	    "</html>\n");
	S_assert_render("{{<layout}}{{/layout}}", "{}", partials,
			"<html>\n  <body>\n    default\n  </body>\n</html>\n");
}

/* The shortest %g form that reads back as d: the documented text of a
 * real, computed the slow way. */
static void S_reference_real(char *s, size_t size, double d)
{
	int prec = d != 0 && d > -DBL_MIN && d < DBL_MIN ? 1 : 15;
	for (; prec < 17; prec++) {
		snprintf(s, size, "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			return;
	}
	snprintf(s, size, "%.17g", d);
}

/* A real's text (with its fast path for decimals) equals the reference
 * for prices, round numbers, tiny, huge and arbitrary doubles. */
static void test_real_text(void **state)
{
	(void)state;
	uint64_t x = 20261126;
	size_t checked = 0;
	for (int i = 0; i < 300000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		double d;
		int kind = (int)(x >> 60) % 4;
		uint64_t r = x >> 11;
		if (kind == 0) /* a price: up to 6 places */
			d = (double)(r % 100000000000ULL) /
			    pow(10, (double)(r % 9));
		else if (kind == 1) /* any double */
			memcpy(&d, &x, sizeof d);
		else if (kind == 2) /* near the fast path's edges */
			d = (r % 2 ? 1e-4 : 1e9) *
			    (1 + ((double)(r % 2001) - 1000) / 1e7);
		else
			d = -(double)(r % 100000000ULL) / 1e4;
		if (!isfinite(d))
			continue;
		char want[40], num[40];
		size_t len;
		S_reference_real(want, sizeof want, d);
		json_t *v = json_real(d);
		const char *got = mustache_scalar_text(v, num, &len);
		if (strcmp(got, want) != 0)
			fail_msg("%.17g: got '%s', want '%s'", d, got, want);
		json_decref(v);
		checked++;
	}
	assert_true(checked > 250000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_error_unclosed_tag),
	    cmocka_unit_test(test_error_unclosed_section),
	    cmocka_unit_test(test_error_mismatched_close),
	    cmocka_unit_test(test_error_unexpected_close),
	    cmocka_unit_test(test_error_empty_name),
	    cmocka_unit_test(test_error_bad_delimiter),
	    cmocka_unit_test(test_error_space_in_name),
	    cmocka_unit_test(test_error_format_without_position),
	    cmocka_unit_test(test_partial_recursion_limit),
	    cmocka_unit_test(test_parent_recursion_limit),
	    cmocka_unit_test(test_bounded_recursion),
	    cmocka_unit_test(test_nesting_limit),
	    cmocka_unit_test(test_lazy_partial_error),
	    cmocka_unit_test(test_missing_partial),
	    cmocka_unit_test(test_escape_hook),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_truthiness),
	    cmocka_unit_test(test_deep_nesting),
	    cmocka_unit_test(test_reuse_across_renders),
	    cmocka_unit_test(test_nested_partial_indentation),
	    cmocka_unit_test(test_layout_inheritance),
	    cmocka_unit_test(test_real_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
