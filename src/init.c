#include "init.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "datadir.h"
#include "exitcode.h"
#include "fsutil.h"
#include "options.h"
#include "schema.h"
#include "xalloc.h"

/* Folders nested deeper than this in the skeleton or the templates are an
 * error (a symbolic link loop, most likely). */
#define S_MAX_DEPTH 16

enum S_state {
	S_MISSING,   /* DIR does not exist */
	S_EMPTY,     /* DIR is an empty folder */
	S_OCCUPIED,  /* DIR has entries */
	S_NOT_DIR,   /* DIR is something else */
	S_UNREADABLE /* errno says why */
};

static enum S_state S_dir_state(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return errno == ENOENT ? S_MISSING : S_UNREADABLE;
	if (!S_ISDIR(st.st_mode))
		return S_NOT_DIR;
	DIR *d = opendir(dir);
	if (!d)
		return S_UNREADABLE;
	enum S_state state = S_EMPTY;
	struct dirent *e;
	while (state == S_EMPTY && (e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			state = S_OCCUPIED;
	closedir(d);
	return state;
}

/* Writes len bytes of data to a new file at path; never replaces one.
 * Returns 0, or -1 with errno set. */
static int S_write_new(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		off += (size_t)n;
	}
	return close(fd);
}

/* Copies the contents of folder from into the existing folder to, files
 * and folders, following symbolic links. Returns 0, or -1 with a message
 * in err. */
static int S_copy_tree(const char *from, const char *to, int depth,
		       struct buf *err)
{
	DIR *d = opendir(from);
	struct dirent *e;
	int rc = 0;
	if (!d) {
		buf_printf(err, "%s: error: cannot read: %s", from,
			   strerror(errno));
		return -1;
	}
	while (rc == 0 && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *src = fs_join(from, e->d_name);
		char *dst = fs_join(to, e->d_name);
		char *data = NULL;
		size_t len = 0;
		struct stat st;
		if (stat(src, &st) != 0) {
			buf_printf(err, "%s: error: cannot read: %s", src,
				   strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (depth >= S_MAX_DEPTH) {
				buf_printf(err,
					   "%s: error: folders nest deeper "
					   "than %d",
					   src, S_MAX_DEPTH);
				rc = -1;
			} else if (mkdir(dst, 0755) != 0) {
				buf_printf(err, "%s: error: cannot create: %s",
					   dst, strerror(errno));
				rc = -1;
			} else {
				rc = S_copy_tree(src, dst, depth + 1, err);
			}
		} else if (S_ISREG(st.st_mode)) {
			if (fs_read_file(src, INIT_FILE_MAX_BYTES, &data,
					 &len) != 0) {
				buf_printf(err, "%s: error: cannot read: %s",
					   src, strerror(errno));
				rc = -1;
			} else if (S_write_new(dst, data, len) != 0) {
				buf_printf(err, "%s: error: cannot write: %s",
					   dst, strerror(errno));
				rc = -1;
			}
		}
		free(data);
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

/* Creates folder to and copies the contents of from into it. */
static int S_copy_folder(const char *from, const char *to, struct buf *err)
{
	if (mkdir(to, 0755) != 0) {
		buf_printf(err, "%s: error: cannot create: %s", to,
			   strerror(errno));
		return -1;
	}
	return S_copy_tree(from, to, 0, err);
}

/* Writes the JSON Schemas of the catalog files into folder dir, as
 * `stackmap schema NAME` prints them. Returns 0, or -1 with a message. */
static int S_schemas(const char *dir, struct buf *err)
{
	static const struct {
		const char *file;
		const struct schema *schema;
	} all[] = {
	    {"vendor.schema.json", &schema_vendor},
	    {"model.schema.json", &schema_model},
	    {"site.schema.json", &schema_site},
	    {"primer.schema.json", &schema_primer},
	};
	if (mkdir(dir, 0755) != 0) {
		buf_printf(err, "%s: error: cannot create: %s", dir,
			   strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		json_t *j = schema_to_json(all[i].schema);
		char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
		char *path = fs_join(dir, all[i].file);
		struct buf body = BUF_INIT;
		buf_printf(&body, "%s\n", text);
		int rc = S_write_new(path, body.data, body.len);
		if (rc != 0)
			buf_printf(err, "%s: error: cannot write: %s", path,
				   strerror(errno));
		buf_release(&body);
		free(path);
		free(text);
		json_decref(j);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Removes path and everything under it, without following symbolic
 * links; with keep_top, only what is under it. Best effort. */
static void S_remove_tree(const char *path, bool keep_top)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			char *child = fs_join(path, e->d_name);
			S_remove_tree(child, false);
			free(child);
		}
		if (d)
			closedir(d);
		if (!keep_top)
			rmdir(path);
	} else if (!keep_top) {
		unlink(path);
	}
}

/* The number of files in dir/sub that end with suffix. */
static size_t S_count(const char *dir, const char *sub, const char *suffix)
{
	char *path = fs_join(dir, sub);
	size_t n = 0;
	fs_free_list(fs_list_dir(path, suffix, &n));
	free(path);
	return n;
}

int init_run(const struct options *opt)
{
	const char *dir = opt->init_dir;
	char *skeleton = NULL, *catalog = NULL, *schema = NULL,
	     *templates = NULL, *html = NULL;
	struct buf err = BUF_INIT;
	bool created = false;
	int rc = EXIT_USAGE;
	switch (S_dir_state(dir)) {
	case S_MISSING:
		created = true;
		break;
	case S_EMPTY:
		break;
	case S_OCCUPIED:
		fprintf(stderr,
			"stackmap: init: '%s' is not empty; init only fills a "
			"new or empty folder\n",
			dir);
		goto out;
	case S_NOT_DIR:
		fprintf(stderr, "stackmap: init: '%s' is not a folder\n", dir);
		goto out;
	case S_UNREADABLE:
		fprintf(stderr, "stackmap: init: %s: %s\n", dir,
			strerror(errno));
		rc = EXIT_SYSTEM;
		goto out;
	}
	rc = EXIT_SYSTEM;
	skeleton = datadir_find("skeleton");
	if (!skeleton) {
		fputs("stackmap: init: cannot find the skeleton of a new "
		      "project (share/stackmap/skeleton); was stackmap "
		      "installed with 'make install'?\n",
		      stderr);
		goto out;
	}
	html = fs_join(opt->templates_dir, "html");
	struct stat st;
	if (stat(html, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr,
			"stackmap: init: '%s' holds no templates (no html/ "
			"folder); give --templates DIR\n",
			opt->templates_dir);
		goto out;
	}
	if (created && fs_mkdirs(dir) != 0) {
		fprintf(stderr, "stackmap: init: cannot create %s: %s\n", dir,
			strerror(errno));
		goto out;
	}
	catalog = fs_join(dir, "catalog");
	schema = fs_join(catalog, "schema");
	templates = fs_join(dir, "templates");
	if (S_copy_tree(skeleton, dir, 0, &err) != 0 ||
	    S_schemas(schema, &err) != 0 ||
	    S_copy_folder(opt->templates_dir, templates, &err) != 0) {
		fprintf(stderr, "%s\nstackmap: init: %s was not created\n",
			buf_cstr(&err), dir);
		S_remove_tree(dir, !created);
		goto out;
	}
	if (!opt->quiet)
		printf("stackmap: init: created %s with %zu example vendors, "
		       "%zu models and %zu primers (from %s) and the templates "
		       "of %s\n"
		       "next: cd %s && stackmap build; see %s/README.md\n",
		       dir, S_count(catalog, "vendors", ".yaml"),
		       S_count(catalog, "models", ".yaml"),
		       S_count(catalog, "primers", ".md"), skeleton,
		       opt->templates_dir, dir, dir);
	rc = EXIT_OK;
out:
	free(skeleton);
	free(catalog);
	free(schema);
	free(templates);
	free(html);
	buf_release(&err);
	return rc;
}
