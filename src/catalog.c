#include "catalog.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* ---- vendors and models: one file a record, parsed in parallel ---------
 *
 * A catalog of 15,000 files spends most of its load in libyaml and the
 * schema, file by file, so the files are shared out among threads: each
 * takes the next index, parses that file into its own slot with its own
 * diagnostics, and touches nothing else (libyaml keeps its state in the
 * parser; the schema tables are read-only). The records and diagnostics
 * are then gathered in file order, so the result is the same as a
 * single-threaded load. */

struct S_file_job {
	const char *path; /* kept by the catalog */
	const char *name; /* the file name, for the id check */
	bool loaded;
	struct diags diags;
};

struct S_loader {
	const struct schema *schema;
	const char *what; /* "vendor" or "model" */
	void (*id_field)(void *record, char ***id, struct loc **at);
	size_t record_size;
	char *records; /* n records of record_size */
	struct S_file_job *jobs;
	size_t n;
	atomic_size_t next;
};

/* The id field of a vendor or a model record and its place. */
static void S_vendor_id(void *record, char ***id, struct loc **at)
{
	*id = &((struct vendor *)record)->id;
	*at = &((struct vendor *)record)->id_loc;
}

static void S_model_id(void *record, char ***id, struct loc **at)
{
	*id = &((struct model *)record)->id;
	*at = &((struct model *)record)->id_loc;
}

static void *S_load_worker(void *arg)
{
	struct S_loader *l = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&l->next, 1);
		if (i >= l->n)
			break;
		struct S_file_job *job = &l->jobs[i];
		struct ynode *root = S_parse_file(job->path, &job->diags);
		if (!root)
			continue;
		void *record = l->records + i * l->record_size;
		schema_load(l->schema, root, record, &job->diags);
		char **id;
		struct loc *at;
		l->id_field(record, &id, &at);
		char *stem = S_stem(job->name, ".yaml");
		S_check_file_id(*id, *at, stem, l->what, &job->diags);
		if (!*id)
			*id = stem; /* keeps references to it from cascading */
		else
			free(stem);
		yamldoc_free(root);
		job->loaded = true;
	}
	return NULL;
}

/* Threads for n files: the CPUs, at most 8, and one per 64 files. */
static size_t S_load_threads(size_t n)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t t = cpus > 0 ? (size_t)cpus : 1;
	if (t > 8)
		t = 8;
	if (t > n / 64)
		t = n / 64;
	return t < 1 ? 1 : t;
}

/* Loads every *.yaml of DIR/sub as a record of schema into *records
 * (count in *count). */
static void S_load_folder(struct catalog *cat, const char *sub,
			  const struct schema *schema, const char *what,
			  void (*id_field)(void *, char ***, struct loc **),
			  size_t record_size, void **records, size_t *count,
			  struct diags *diags)
{
	char *dir = fs_join(cat->dir, sub);
	size_t n = 0;
	char **names = fs_list_dir(dir, ".yaml", &n);
	*count = 0;
	if (!names) {
		const char *kept = S_keep_path(cat, xstrdup(dir));
		diag_error(diags, (struct loc){kept, 0, 0},
			   "cannot read the %ss folder: %s", what,
			   strerror(errno));
		free(dir);
		return;
	}
	S_check_strays(dir, ".yaml", diags, cat);
	struct S_loader l = {
	    .schema = schema,
	    .what = what,
	    .id_field = id_field,
	    .record_size = record_size,
	    .records = xcalloc(n ? n : 1, record_size),
	    .jobs = xcalloc(n ? n : 1, sizeof(struct S_file_job)),
	    .n = n,
	};
	atomic_init(&l.next, 0);
	for (size_t i = 0; i < n; i++) {
		l.jobs[i].path = S_keep_path(cat, fs_join(dir, names[i]));
		l.jobs[i].name = names[i];
		diags_init(&l.jobs[i].diags);
	}
	size_t threads = S_load_threads(n), started = 0;
	pthread_t tids[8];
	for (size_t t = 1; t < threads; t++) {
		if (pthread_create(&tids[started], NULL, S_load_worker, &l))
			break; /* the others and this thread do the rest */
		started++;
	}
	S_load_worker(&l);
	for (size_t t = 0; t < started; t++)
		pthread_join(tids[t], NULL);

	char *out = xcalloc(n ? n : 1, record_size);
	for (size_t i = 0; i < n; i++) {
		diags_move(diags, &l.jobs[i].diags);
		if (l.jobs[i].loaded)
			memcpy(out + (*count)++ * record_size,
			       l.records + i * record_size, record_size);
	}
	*records = out;
	free(l.records);
	free(l.jobs);
	fs_free_list(names);
	free(dir);
}

static void S_load_vendors(struct catalog *cat, struct diags *diags)
{
	void *records = NULL;
	S_load_folder(cat, "vendors", &schema_vendor, "vendor", S_vendor_id,
		      sizeof(struct vendor), &records, &cat->n_vendors, diags);
	cat->vendors = records;
}

static void S_load_models(struct catalog *cat, struct diags *diags)
{
	void *records = NULL;
	S_load_folder(cat, "models", &schema_model, "model", S_model_id,
		      sizeof(struct model), &records, &cat->n_models, diags);
	cat->models = records;
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
