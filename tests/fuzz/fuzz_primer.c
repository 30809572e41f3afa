/* fuzz_primer: a primer (YAML front matter, then CommonMark) read by
 * catalog_load from a scratch copy of tests/fixtures/mini whose
 * primers/basics.md is the input; then validate_catalog, and the body
 * through markdown_to_html and markdown_to_safe_commonmark as the primer
 * pages render it.
 *
 * Checks: a primer that loads without a diagnostic about its file starts
 * with a "---" line and its body is exactly the input after the closing
 * "---" line (computed here independently); title and summary are set;
 * the rendered body carries no raw HTML; everything is freed. */
#include "fuzz_util.h"

#include "catalog.h"
#include "diag.h"
#include "markdown.h"
#include "validate.h"

#define MINI FUZZ_SRCDIR "/tests/fixtures/mini"

static char S_dir[1200];
static char S_primer[1400];
static FILE *S_devnull;

static void S_copy(const char *rel)
{
	char src[1400], dst[1400];
	size_t len;
	snprintf(src, sizeof src, "%s/%s", MINI, rel);
	snprintf(dst, sizeof dst, "%s/%s", S_dir, rel);
	char *text = fuzz_read_file(src, &len);
	if (!text) {
		fprintf(stderr, "fuzz_primer: cannot read %s\n", src);
		abort();
	}
	fuzz_write_file(dst, text, len);
	free(text);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	static const char *const files[] = {"site.yaml",
					    "vendors/acme-lab.yaml",
					    "vendors/bigcloud.yaml",
					    "vendors/fastinfer.yaml",
					    "vendors/glue.yaml",
					    "models/acme-1.yaml",
					    "models/open-7b.yaml"};
	static const char *const dirs[] = {"vendors", "models", "primers"};
	snprintf(S_dir, sizeof S_dir, "%s/cat", fuzz_scratch("primer"));
	fuzz_mkdir(S_dir);
	for (size_t i = 0; i < 3; i++) {
		char path[1400];
		snprintf(path, sizeof path, "%s/%s", S_dir, dirs[i]);
		fuzz_mkdir(path);
	}
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		S_copy(files[i]);
	snprintf(S_primer, sizeof S_primer, "%s/primers/basics.md", S_dir);
	S_devnull = fopen("/dev/null", "w");
	return 0;
}

/* The body the primer format defines: after "---\n", up to the first
 * "\n---\n" (body after it) or a final "\n---" (empty body). NULL when
 * the front matter is not closed. */
static const char *S_expected_body(const char *text, size_t len)
{
	if (len < 4 || memcmp(text, "---\n", 4) != 0)
		return NULL;
	for (size_t i = 3; i + 5 <= len; i++)
		if (memcmp(text + i, "\n---\n", 5) == 0)
			return text + i + 5;
	if (len >= 4 && memcmp(text + len - 4, "\n---", 4) == 0)
		return text + len;
	return NULL;
}

static void S_check_rendered(const char *body)
{
	char *html = markdown_to_html(body);
	FUZZ_CHECK(html != NULL, "markdown_to_html returned NULL");
	FUZZ_CHECK(!fuzz_contains_nocase(html, "<script"),
		   "primer HTML contains <script");
	free(html);
	char *md = markdown_to_safe_commonmark(body);
	FUZZ_CHECK(md != NULL, "markdown_to_safe_commonmark returned NULL");
	free(md);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct catalog cat;
	struct diags d;
	char *text = fuzz_strndup((const char *)data, size);

	fuzz_write_file(S_primer, text, size);
	diags_init(&d);
	size_t errors = catalog_load(&cat, S_dir, &d);
	errors += validate_catalog(&cat, &d);
	FUZZ_CHECK(errors == d.errors, "returned %zu errors, recorded %zu",
		   errors, d.errors);
	size_t about_primer = 0;
	for (size_t i = 0; i < d.count; i++) {
		FUZZ_CHECK(d.items[i].path && strncmp(d.items[i].path, S_dir,
						      strlen(S_dir)) == 0,
			   "diagnostic outside the catalog");
		fuzz_check_message(d.items[i].message);
		if (strcmp(d.items[i].path, S_primer) == 0 &&
		    d.items[i].severity == DIAG_ERROR)
			about_primer++;
	}
	FUZZ_CHECK(cat.n_primers <= 1, "%zu primers from one file",
		   cat.n_primers);
	const char *want = S_expected_body(text, size);
	int nul_free = memchr(data, '\0', size) == NULL;
	if (cat.n_primers == 1) {
		const struct primer *p = &cat.primers[0];
		FUZZ_CHECK(want != NULL, "a primer without closed front "
					 "matter was loaded");
		FUZZ_CHECK(p->slug && strcmp(p->slug, "basics") == 0,
			   "primer slug '%s'", p->slug ? p->slug : "(null)");
		FUZZ_CHECK(p->body && strcmp(p->body, want) == 0,
			   "primer body differs from the text after the "
			   "front matter");
		if (!about_primer)
			FUZZ_CHECK(p->title && p->summary,
				   "a primer without errors lacks its title "
				   "or summary");
		S_check_rendered(p->body);
	} else {
		FUZZ_CHECK(about_primer > 0,
			   "the primer was dropped without an error");
	}
	if (!about_primer)
		FUZZ_CHECK(nul_free && want != NULL,
			   "a primer with a NUL or no front matter passed");
	if (S_devnull)
		diags_print(&d, S_devnull);
	catalog_release(&cat);
	diags_release(&d);
	free(text);
	return 0;
}
