#define _GNU_SOURCE /* renameat2 */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "xalloc.h"

#define STAGE_SUFFIX ".staging"
#define OLD_SUFFIX ".old"

int output_remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *path = fs_join(dir, e->d_name);
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (output_remove_tree(path) != 0)
				rc = -1;
		} else if (unlink(path) != 0) {
			rc = -1;
		}
		free(path);
	}
	closedir(d);
	if (rmdir(dir) != 0)
		rc = -1;
	return rc;
}

int output_begin(struct output *o, const char *dir, struct buf *err)
{
	memset(o, 0, sizeof(*o));
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	o->final_dir = xstrndup(dir, len);
	struct buf stage = BUF_INIT;
	buf_printf(&stage, "%s%s", o->final_dir, STAGE_SUFFIX);
	o->stage_dir = buf_detach(&stage, NULL);
	/* leftovers of a killed build */
	struct buf old = BUF_INIT;
	buf_printf(&old, "%s%s", o->final_dir, OLD_SUFFIX);
	output_remove_tree(buf_cstr(&old));
	buf_release(&old);
	if (output_remove_tree(o->stage_dir) != 0 ||
	    fs_mkdirs(o->stage_dir) != 0) {
		buf_printf(err, "%s: cannot create: %s", o->stage_dir,
			   strerror(errno));
		free(o->final_dir);
		free(o->stage_dir);
		memset(o, 0, sizeof(*o));
		return -1;
	}
	return 0;
}

/* True when the file at path holds exactly data. */
static int S_same_bytes(const char *path, const char *data, size_t len)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size != len)
		return 0;
	char *old = NULL;
	size_t old_len = 0;
	if (fs_read_file(path, len + 1, &old, &old_len) != 0)
		return 0;
	int same = old_len == len && memcmp(old, data, len) == 0;
	free(old);
	return same;
}

static int S_write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (fs_write_all(fd, data, len) != 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

int output_file(struct output *o, const char *rel, const char *data, size_t len,
		struct buf *err)
{
	int rc = -1;
	char *stage_path = fs_join(o->stage_dir, rel);
	char *final_path = fs_join(o->final_dir, rel);
	char *slash = strrchr(stage_path, '/');
	if (strstr(rel, "..") || rel[0] == '/') {
		buf_printf(err, "refusing to write outside the output: %s",
			   rel);
		goto out;
	}
	*slash = '\0';
	if (fs_mkdirs(stage_path) != 0) {
		buf_printf(err, "%s: cannot create: %s", stage_path,
			   strerror(errno));
		goto out;
	}
	*slash = '/';
	if (S_same_bytes(final_path, data, len) &&
	    link(final_path, stage_path) == 0) {
		o->unchanged++;
		rc = 0;
		goto out;
	}
	if (S_write_file(stage_path, data, len) != 0) {
		buf_printf(err, "%s: cannot write: %s", stage_path,
			   strerror(errno));
		goto out;
	}
	o->written++;
	o->bytes += len;
	rc = 0;
out:
	free(stage_path);
	free(final_path);
	return rc;
}

/* Flushes the staged files to disk before they become visible. */
static int S_sync_tree(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = syncfs(fd);
	close(fd);
	return rc;
}

int output_commit(struct output *o, struct buf *err)
{
	int rc = -1;
	if (S_sync_tree(o->stage_dir) != 0) {
		buf_printf(err, "%s: cannot sync: %s", o->stage_dir,
			   strerror(errno));
		goto out;
	}
	struct stat st;
	if (stat(o->final_dir, &st) != 0) {
		if (rename(o->stage_dir, o->final_dir) != 0) {
			buf_printf(err, "%s: cannot create: %s", o->final_dir,
				   strerror(errno));
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (renameat2(AT_FDCWD, o->stage_dir, AT_FDCWD, o->final_dir,
		      RENAME_EXCHANGE) != 0) {
		buf_printf(err, "%s: cannot replace: %s", o->final_dir,
			   strerror(errno));
		goto out;
	}
	/* the staging name now holds the old tree */
	output_remove_tree(o->stage_dir);
	rc = 0;
out:
	if (rc != 0)
		output_remove_tree(o->stage_dir);
	free(o->final_dir);
	free(o->stage_dir);
	o->final_dir = o->stage_dir = NULL;
	return rc;
}

void output_abort(struct output *o)
{
	if (o->stage_dir)
		output_remove_tree(o->stage_dir);
	free(o->final_dir);
	free(o->stage_dir);
	o->final_dir = o->stage_dir = NULL;
}
