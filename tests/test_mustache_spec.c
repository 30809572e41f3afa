/* test_mustache_spec: runs the official Mustache spec files against the
 * engine. Usage: test_mustache_spec [SPEC-DIR] (default
 * ../shared/mustache-spec). Every *.json there except ~lambdas.json (lambdas
 * are not supported) is loaded and every test in it run. Prints each failure
 * with its file, name, and the expected and actual output as JSON strings,
 * then the closing line "N passed, N failed". Exits 0 if all passed, 1 if
 * any failed, 77 (skipped) if the spec directory does not exist. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "mustache.h"
#include "xalloc.h"

/* Partials of one test, compiled on first use and owned here. */
struct S_partials {
	json_t *sources; /* borrowed: the test's "partials" object, or NULL */
	const char *file;
	char **names;
	struct mustache_template **tpls;
	size_t n;
};

static const struct mustache_template *
S_partial_get(void *ctx, const char *name, struct mustache_error *err)
{
	struct S_partials *p = ctx;
	struct mustache_template *t;
	json_t *src = json_object_get(p->sources, name);
	char path[512];
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->names[i], name) == 0)
			return p->tpls[i];
	if (!json_is_string(src))
		return NULL;
	snprintf(path, sizeof path, "%s:partial %s", p->file, name);
	t = mustache_compile(path, json_string_value(src),
			     json_string_length(src), err);
	if (!t)
		return NULL;
	p->names = xrealloc(p->names, (p->n + 1) * sizeof *p->names);
	p->tpls = xrealloc(p->tpls, (p->n + 1) * sizeof *p->tpls);
	p->names[p->n] = xstrdup(name);
	p->tpls[p->n++] = t;
	return t;
}

static void S_partials_release(struct S_partials *p)
{
	size_t i;
	for (i = 0; i < p->n; i++) {
		free(p->names[i]);
		mustache_template_free(p->tpls[i]);
	}
	free(p->names);
	free(p->tpls);
}

/* Prints label and s[0..n) as a one-line JSON string. */
static void S_print_quoted(const char *label, const char *s, size_t n)
{
	json_t *str = json_stringn(s ? s : "", s ? n : 0);
	char *q = str ? json_dumps(str, JSON_ENCODE_ANY) : NULL;
	printf("  %-9s %s\n", label, q ? q : "(not valid UTF-8)");
	free(q);
	json_decref(str);
}

/* Runs one test case; returns 1 if it passed, 0 if it failed. */
static int S_run_case(const char *file, json_t *test)
{
	const char *name = json_string_value(json_object_get(test, "name"));
	json_t *tpl = json_object_get(test, "template");
	json_t *expected = json_object_get(test, "expected");
	struct S_partials partials = {0};
	struct mustache_options opt = {0};
	struct mustache_template *t = NULL;
	struct mustache_error err;
	struct buf out = BUF_INIT, msg = BUF_INIT;
	int ok = 0;

	if (!json_is_string(tpl) || !json_is_string(expected)) {
		printf("FAIL %s: %s\n  malformed test\n", file,
		       name ? name : "?");
		goto out;
	}
	partials.sources = json_object_get(test, "partials");
	partials.file = file;
	opt.partial = S_partial_get;
	opt.partial_ctx = &partials;
	t = mustache_compile(file, json_string_value(tpl),
			     json_string_length(tpl), &err);
	if (!t || mustache_render(t, json_object_get(test, "data"), &opt, &out,
				  &err) < 0) {
		mustache_error_format(&err, &msg);
		printf("FAIL %s: %s\n  %s\n", file, name, buf_cstr(&msg));
		goto out;
	}
	if (out.len == json_string_length(expected) &&
	    memcmp(buf_cstr(&out), json_string_value(expected), out.len) == 0) {
		ok = 1;
		goto out;
	}
	printf("FAIL %s: %s\n", file, name);
	S_print_quoted("template:", json_string_value(tpl),
		       json_string_length(tpl));
	S_print_quoted("expected:", json_string_value(expected),
		       json_string_length(expected));
	S_print_quoted("actual:", out.data, out.len);
out:
	mustache_template_free(t);
	S_partials_release(&partials);
	buf_release(&out);
	buf_release(&msg);
	return ok;
}

static int S_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the spec files of dir (sorted, ~lambdas.json left out) into
 * *names; returns the count, or -1 if dir cannot be opened. Caller frees
 * each name and the array. */
static long S_list_specs(const char *dir, char ***names)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0, len;

	*names = NULL;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0 ||
		    strcmp(e->d_name, "~lambdas.json") == 0)
			continue;
		*names = xrealloc(*names, (n + 1) * sizeof **names);
		(*names)[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(*names, n, sizeof **names, S_cmp_names);
	return (long)n;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../shared/mustache-spec";
	char **names = NULL;
	long nfiles = S_list_specs(dir, &names), f;
	size_t passed = 0, failed = 0, total = 0, i;
	int rc = 1;

	if (nfiles < 0) {
		printf("mustache spec not found at %s: skipped\n", dir);
		return 77;
	}
	for (f = 0; f < nfiles; f++) {
		struct buf path = BUF_INIT;
		json_error_t jerr;
		json_t *spec, *tests;

		buf_printf(&path, "%s/%s", dir, names[f]);
		spec = json_load_file(buf_cstr(&path), 0, &jerr);
		tests = json_object_get(spec, "tests");
		if (!json_is_array(tests)) {
			printf("FAIL %s: cannot load: %s\n", names[f],
			       spec ? "no \"tests\" array" : jerr.text);
			failed++;
		}
		for (i = 0; i < json_array_size(tests); i++) {
			total++;
			if (S_run_case(names[f], json_array_get(tests, i)))
				passed++;
			else
				failed++;
		}
		json_decref(spec);
		buf_release(&path);
		free(names[f]);
	}
	free(names);
	if (passed + failed < total || nfiles == 0) {
		printf("ran %zu of %zu tests in %ld files\n", passed + failed,
		       total, nfiles);
		failed += total - (passed + failed) + (nfiles == 0);
	}
	printf("%zu passed, %zu failed\n", passed, failed);
	if (failed == 0)
		rc = 0;
	return rc;
}
