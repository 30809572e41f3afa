#include "catalog.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fsutil.h"
#include "schema.h"
#include "xalloc.h"
#include "yamldoc.h"

#define PRIMER_MAX_BYTES (4u * 1024u * 1024u)

/* Keeps path alive for the catalog's lifetime and returns the kept copy. */
static const char *S_keep_path(struct catalog *cat, char *path)
{
	cat->paths = xrealloc(cat->paths, (cat->n_paths + 1) * sizeof(char *));
	cat->paths[cat->n_paths++] = path;
	return path;
}

/* Reads and parses one YAML file. Returns the tree or NULL (diagnosed). */
static struct ynode *S_parse_file(const char *path, struct diags *diags)
{
	char *text = NULL;
	size_t len = 0;
	if (fs_read_file(path, YAMLDOC_MAX_BYTES, &text, &len) != 0) {
		if (errno == EFBIG)
			diag_error(diags, (struct loc){path, 0, 0},
				   "file is larger than the 4 MiB limit");
		else
			diag_error(diags, (struct loc){path, 0, 0},
				   "cannot read: %s", strerror(errno));
		return NULL;
	}
	struct ynode *root = yamldoc_parse(path, text, len, diags);
	free(text);
	return root;
}

/* The file's base name without its suffix; caller frees. */
static char *S_stem(const char *name, const char *suffix)
{
	return xstrndup(name, strlen(name) - strlen(suffix));
}

static void S_check_file_id(const char *id, struct loc at, const char *stem,
			    const char *what, struct diags *diags)
{
	if (id && strcmp(id, stem) != 0)
		diag_error(diags, at,
			   "%s id '%s' does not match the file name '%s'", what,
			   id, stem);
}

static void S_load_site(struct catalog *cat, struct diags *diags)
{
	const char *path = S_keep_path(cat, fs_join(cat->dir, "site.yaml"));
	struct ynode *root = S_parse_file(path, diags);
	if (!root) {
		cat->site.loc = (struct loc){path, 0, 0};
		return;
	}
	schema_load(&schema_site, root, &cat->site, diags);
	yamldoc_free(root);
}

/* Warns about files in a catalog folder that stackmap would ignore. */
static void S_check_strays(const char *dir, const char *suffix,
			   struct diags *diags, struct catalog *cat)
{
	char **all = fs_list_dir(dir, "", NULL);
	if (!all)
		return;
	size_t slen = strlen(suffix);
	for (char **p = all; *p; p++) {
		size_t len = strlen(*p);
		if (len >= slen && strcmp(*p + len - slen, suffix) == 0)
			continue;
		const char *path = S_keep_path(cat, fs_join(dir, *p));
		diag_error(diags, (struct loc){path, 0, 0},
			   "unexpected file: only *%s files belong here",
			   suffix);
	}
	fs_free_list(all);
}

static void S_load_vendors(struct catalog *cat, struct diags *diags)
{
	char *dir = fs_join(cat->dir, "vendors");
	size_t n = 0;
	char **names = fs_list_dir(dir, ".yaml", &n);
	if (!names) {
		const char *kept = S_keep_path(cat, xstrdup(dir));
		diag_error(diags, (struct loc){kept, 0, 0},
			   "cannot read the vendors folder: %s",
			   strerror(errno));
		free(dir);
		return;
	}
	S_check_strays(dir, ".yaml", diags, cat);
	cat->vendors = xcalloc(n, sizeof(struct vendor));
	for (size_t i = 0; i < n; i++) {
		const char *path = S_keep_path(cat, fs_join(dir, names[i]));
		struct ynode *root = S_parse_file(path, diags);
		if (!root)
			continue;
		struct vendor *v = &cat->vendors[cat->n_vendors++];
		schema_load(&schema_vendor, root, v, diags);
		char *stem = S_stem(names[i], ".yaml");
		S_check_file_id(v->id, v->id_loc, stem, "vendor", diags);
		if (!v->id)
			v->id =
			    stem; /* keeps references to it from cascading */
		else
			free(stem);
		yamldoc_free(root);
	}
	fs_free_list(names);
	free(dir);
}

static void S_load_models(struct catalog *cat, struct diags *diags)
{
	char *dir = fs_join(cat->dir, "models");
	size_t n = 0;
	char **names = fs_list_dir(dir, ".yaml", &n);
	if (!names) {
		const char *kept = S_keep_path(cat, xstrdup(dir));
		diag_error(diags, (struct loc){kept, 0, 0},
			   "cannot read the models folder: %s",
			   strerror(errno));
		free(dir);
		return;
	}
	S_check_strays(dir, ".yaml", diags, cat);
	cat->models = xcalloc(n, sizeof(struct model));
	for (size_t i = 0; i < n; i++) {
		const char *path = S_keep_path(cat, fs_join(dir, names[i]));
		struct ynode *root = S_parse_file(path, diags);
		if (!root)
			continue;
		struct model *m = &cat->models[cat->n_models++];
		schema_load(&schema_model, root, m, diags);
		char *stem = S_stem(names[i], ".yaml");
		S_check_file_id(m->id, m->id_loc, stem, "model", diags);
		if (!m->id)
			m->id =
			    stem; /* keeps references to it from cascading */
		else
			free(stem);
		yamldoc_free(root);
	}
	fs_free_list(names);
	free(dir);
}

/* Splits a primer into its front matter (parsed) and body. */
static void S_load_primer(struct catalog *cat, const char *path,
			  const char *name, struct diags *diags)
{
	char *text = NULL;
	size_t len = 0;
	struct ynode *root = NULL;
	if (fs_read_file(path, PRIMER_MAX_BYTES, &text, &len) != 0) {
		diag_error(diags, (struct loc){path, 0, 0}, "cannot read: %s",
			   errno == EFBIG ? "larger than the 4 MiB limit"
					  : strerror(errno));
		return;
	}
	if (yamldoc_check_utf8(path, text, len, 1, diags) != 0)
		goto out;
	if (strncmp(text, "---\n", 4) != 0) {
		diag_error(diags, (struct loc){path, 1, 1},
			   "a primer must start with a '---' front-matter "
			   "line");
		goto out;
	}
	const char *end = strstr(text + 3, "\n---\n");
	size_t body_at;
	if (end) {
		body_at = (size_t)(end - text) + 5;
	} else if (len >= 4 && strcmp(text + len - 4, "\n---") == 0) {
		end = text + len - 4;
		body_at = len;
	} else {
		diag_error(diags, (struct loc){path, 1, 1},
			   "the front matter is not closed by a '---' line");
		goto out;
	}
	root = yamldoc_parse(path, text, (size_t)(end - text) + 1, diags);
	if (!root)
		goto out;
	char *slug = S_stem(name, ".md");
	struct primer *p = &cat->primers[cat->n_primers++];
	schema_load(&schema_primer, root, p, diags);
	p->loc = (struct loc){path, 1, 1};
	p->slug = slug;
	p->body = xstrdup(text + body_at);
	if (!schema_is_id(slug))
		diag_error(diags, (struct loc){path, 0, 0},
			   "primer file name '%s' is not a valid slug "
			   "(lower-case letters, digits and '-')",
			   name);
out:
	yamldoc_free(root);
	free(text);
}

static void S_load_primers(struct catalog *cat, struct diags *diags)
{
	char *dir = fs_join(cat->dir, "primers");
	size_t n = 0;
	char **names = fs_list_dir(dir, ".md", &n);
	if (!names) {
		free(dir); /* primers are optional */
		return;
	}
	S_check_strays(dir, ".md", diags, cat);
	cat->primers = xcalloc(n, sizeof(struct primer));
	for (size_t i = 0; i < n; i++) {
		const char *path = S_keep_path(cat, fs_join(dir, names[i]));
		S_load_primer(cat, path, names[i], diags);
	}
	fs_free_list(names);
	free(dir);
}

static int S_compare_vendors(const void *a, const void *b)
{
	const struct vendor *x = a, *y = b;
	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

static int S_compare_models(const void *a, const void *b)
{
	const struct model *x = a, *y = b;
	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

static int S_compare_primers(const void *a, const void *b)
{
	const struct primer *x = a, *y = b;
	long ox = x->order < 0 ? 1000000 : x->order;
	long oy = y->order < 0 ? 1000000 : y->order;
	if (ox != oy)
		return ox < oy ? -1 : 1;
	return strcmp(x->slug, y->slug);
}

size_t catalog_load(struct catalog *cat, const char *dir, struct diags *diags)
{
	size_t before = diags->errors;
	memset(cat, 0, sizeof(*cat));
	cat->dir = xstrdup(dir);
	S_load_site(cat, diags);
	S_load_vendors(cat, diags);
	S_load_models(cat, diags);
	S_load_primers(cat, diags);
	if (cat->n_vendors > 1)
		qsort(cat->vendors, cat->n_vendors, sizeof(struct vendor),
		      S_compare_vendors);
	if (cat->n_models > 1)
		qsort(cat->models, cat->n_models, sizeof(struct model),
		      S_compare_models);
	if (cat->n_primers > 1)
		qsort(cat->primers, cat->n_primers, sizeof(struct primer),
		      S_compare_primers);
	return diags->errors - before;
}

void catalog_release(struct catalog *cat)
{
	for (size_t i = 0; i < cat->n_vendors; i++)
		schema_release(&schema_vendor, &cat->vendors[i]);
	for (size_t i = 0; i < cat->n_models; i++)
		schema_release(&schema_model, &cat->models[i]);
	for (size_t i = 0; i < cat->n_primers; i++) {
		schema_release(&schema_primer, &cat->primers[i]);
		free(cat->primers[i].slug);
		free(cat->primers[i].body);
	}
	schema_release(&schema_site, &cat->site);
	free(cat->vendors);
	free(cat->models);
	free(cat->primers);
	for (size_t i = 0; i < cat->n_paths; i++)
		free(cat->paths[i]);
	free(cat->paths);
	free(cat->dir);
	memset(cat, 0, sizeof(*cat));
}

/* Binary search over the sorted arrays; ids may be NULL in a catalog that
 * failed to load, which sort first as "". */
const struct vendor *catalog_find_vendor(const struct catalog *cat,
					 const char *id)
{
	size_t lo = 0, hi = cat->n_vendors;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k =
		    cat->vendors[mid].id ? cat->vendors[mid].id : "";
		int c = strcmp(id, k);
		if (c == 0)
			return &cat->vendors[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct model *catalog_find_model(const struct catalog *cat,
				       const char *id)
{
	size_t lo = 0, hi = cat->n_models;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k = cat->models[mid].id ? cat->models[mid].id : "";
		int c = strcmp(id, k);
		if (c == 0)
			return &cat->models[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int catalog_layer_index(const char *layer)
{
	for (size_t i = 0; i < catalog_layer_count; i++)
		if (layer && strcmp(catalog_layers[i], layer) == 0)
			return (int)i;
	return -1;
}
