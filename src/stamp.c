#include "stamp.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "fsutil.h"
#include "version.h"
#include "xalloc.h"

#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

static uint64_t S_fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		/* the analyzer does not see that fs_join and xstrdup fill
		 * every byte they return */
		h ^= p[i]; // NOLINT(clang-analyzer-core.uninitialized.Assign)
		h *= FNV_PRIME;
	}
	return h;
}

static int S_compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Hashes every regular file under dir (recursively, in sorted order) by
 * its path relative to the top and its content into *h. Returns 0, or -1
 * when something cannot be read. */
static int S_hash_tree(uint64_t *h, const char *dir, const char *rel)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), S_compare_names);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char *path = fs_join(dir, names[i]);
		char *sub = rel[0] ? fs_join(rel, names[i]) : xstrdup(names[i]);
		struct stat st = {0};
		if (rc == 0 && stat(path, &st) != 0) {
			rc = -1;
		} else if (rc == 0 && S_ISDIR(st.st_mode)) {
			rc = S_hash_tree(h, path, sub);
		} else if (rc == 0 && S_ISREG(st.st_mode)) {
			char *data = NULL;
			size_t len = 0;
			if (fs_read_file(path, SIZE_MAX / 2, &data, &len) !=
			    0) {
				rc = -1;
			} else {
				*h = S_fnv(*h, sub, strlen(sub) + 1);
				*h = S_fnv(*h, &len, sizeof(len));
				*h = S_fnv(*h, data, len);
				free(data);
			}
		}
		free(sub);
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

/* The fingerprint of the output tree: an order-free sum over its files of
 * a hash of path, size, mtime and inode (a file rewritten, touched,
 * replaced or removed changes it). 0 when it cannot be read. */
static int S_tree_sum(uint64_t *sum, uint64_t *files, const char *dir,
		      const char *rel)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *path = fs_join(dir, e->d_name);
		char *sub =
		    rel[0] ? fs_join(rel, e->d_name) : xstrdup(e->d_name);
		struct stat st = {0};
		if (lstat(path, &st) != 0) {
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = S_tree_sum(sum, files, path, sub);
		} else {
			uint64_t h = S_fnv(FNV_OFFSET, sub, strlen(sub) + 1);
			int64_t fields[5] = {
			    (int64_t)st.st_size, (int64_t)st.st_mtim.tv_sec,
			    (int64_t)st.st_mtim.tv_nsec, (int64_t)st.st_ino,
			    (int64_t)st.st_mode};
			h = S_fnv(h, fields, sizeof(fields));
			*sum += h;
			(*files)++;
		}
		free(sub);
		free(path);
	}
	closedir(d);
	return rc;
}

static uint64_t S_tree(const char *out_dir)
{
	uint64_t sum = 0, files = 0;
	if (S_tree_sum(&sum, &files, out_dir, "") != 0 || files == 0)
		return 0;
	return S_fnv(sum, &files, sizeof(files)) | 1;
}

/* The stamp file of the output folder out_dir (which exists), or NULL;
 * caller frees. */
static char *S_stamp_file(const struct stamp *s, const char *out_dir)
{
	char where[PATH_MAX];
	if (!s->cache_dir || !realpath(out_dir, where))
		return NULL;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/build-%016" PRIx64 ".stamp", s->cache_dir,
		   S_fnv(FNV_OFFSET, where, strlen(where)));
	return buf_detach(&path, NULL);
}

void stamp_begin(struct stamp *s, const char *catalog_dir,
		 const char *templates_dir, const char *snapshot)
{
	s->cache_dir = NULL;
	s->inputs = 0;
	const char *cache = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	struct buf dir = BUF_INIT;
	if (cache && cache[0] == '/')
		buf_printf(&dir, "%s/stackmap", cache);
	else if (home && home[0] == '/')
		buf_printf(&dir, "%s/.cache/stackmap", home);
	else
		return;
	s->cache_dir = buf_detach(&dir, NULL);

	uint64_t h =
	    S_fnv(FNV_OFFSET, STACKMAP_VERSION, sizeof(STACKMAP_VERSION));
	h = S_fnv(h, "catalog", 8);
	if (S_hash_tree(&h, catalog_dir, "") != 0)
		return;
	h = S_fnv(h, "templates", 10);
	if (S_hash_tree(&h, templates_dir, "") != 0)
		return;
	/* the snapshot may live outside the catalog, or not exist */
	char *data = NULL;
	size_t len = 0;
	h = S_fnv(h, "snapshot", 9);
	if (fs_read_file(snapshot, SIZE_MAX / 2, &data, &len) == 0) {
		h = S_fnv(h, data, len);
		free(data);
	} else if (errno != ENOENT) {
		return;
	}
	s->inputs = h | 1;
}

bool stamp_current(const struct stamp *s, const char *out_dir)
{
	char *path = S_stamp_file(s, out_dir);
	char *text = NULL;
	size_t len = 0;
	int got =
	    path && s->inputs && fs_read_file(path, 4096, &text, &len) == 0;
	free(path);
	if (!got)
		return false;
	uint64_t inputs = 0, tree = 0;
	int ok =
	    sscanf(text, "stackmap-stamp 1\ninputs %" SCNx64 "\ntree %" SCNx64,
		   &inputs, &tree) == 2;
	free(text);
	return ok && inputs == s->inputs && tree && tree == S_tree(out_dir);
}

void stamp_write(const struct stamp *s, const char *out_dir)
{
	char *path = S_stamp_file(s, out_dir);
	uint64_t tree = path && s->inputs ? S_tree(out_dir) : 0;
	if (tree && fs_mkdirs(s->cache_dir) == 0) {
		char text[96];
		int n = snprintf(text, sizeof(text),
				 "stackmap-stamp 1\ninputs %016" PRIx64
				 "\ntree %016" PRIx64 "\n",
				 s->inputs, tree);
		(void)fs_write_atomic(path, text, (size_t)n);
	}
	free(path);
}

void stamp_release(struct stamp *s)
{
	free(s->cache_dir);
	s->cache_dir = NULL;
}
