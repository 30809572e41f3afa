#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "xalloc.h"

int fs_read_file(const char *path, size_t max, char **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct buf b = BUF_INIT;
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			close(fd);
			buf_release(&b);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > max) {
			close(fd);
			buf_release(&b);
			errno = EFBIG;
			return -1;
		}
		buf_append(&b, chunk, (size_t)n);
	}
	close(fd);
	*data = buf_detach(&b, len);
	return 0;
}

static int S_compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **fs_list_dir(const char *dir, const char *suffix, size_t *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	size_t n = 0, cap = 16;
	char **list = xmalloc(cap * sizeof(char *));
	size_t slen = strlen(suffix);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < slen ||
		    strcmp(e->d_name + len - slen, suffix) != 0)
			continue;
		if (n + 1 >= cap) {
			cap *= 2;
			list = xrealloc(list, cap * sizeof(char *));
		}
		list[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(list, n, sizeof(char *), S_compare_names);
	list[n] = NULL;
	if (count)
		*count = n;
	return list;
}

void fs_free_list(char **list)
{
	if (!list)
		return;
	for (char **p = list; *p; p++)
		free(*p);
	free(list);
}

char *fs_join(const char *a, const char *b)
{
	struct buf out = BUF_INIT;
	buf_puts(&out, a);
	if (out.len && out.data[out.len - 1] != '/')
		buf_putc(&out, '/');
	buf_puts(&out, b);
	return buf_detach(&out, NULL);
}

int fs_mkdirs(const char *dir)
{
	char *path = xstrdup(dir);
	int rc = 0;
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			rc = -1;
			goto out;
		}
		*p = '/';
	}
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		rc = -1;
out:
	free(path);
	return rc;
}

/* Removes the temporary files "BASE.tmp.PID" that fs_write_atomic left
 * next to path when its process was killed before the rename (found by
 * tests/suite-crash.sh: each killed probe left a snapshot-sized file,
 * forever). Only files of processes that no longer exist go; best effort,
 * errno is left as it was. Runs before the write, so that on a full disk
 * the space of the leftovers is free again. */
static void S_remove_stale_temps(const char *path)
{
	int saved = errno;
	const char *slash = strrchr(path, '/');
	char *dir =
	    slash ? xstrndup(path, (size_t)(slash - path + 1)) : xstrdup(".");
	const char *base = slash ? slash + 1 : path;
	size_t blen = strlen(base);
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		const char *p = e->d_name;
		if (strncmp(p, base, blen) != 0 ||
		    strncmp(p + blen, ".tmp.", 5) != 0)
			continue;
		p += blen + 5;
		char *end;
		long pid = strtol(p, &end, 10);
		if (*p < '1' || *p > '9' || *end || pid == (long)getpid() ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		unlinkat(dirfd(d), e->d_name, 0);
	}
	if (d)
		closedir(d);
	free(dir);
	errno = saved;
}

int fs_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int fs_write_atomic(const char *path, const char *data, size_t len)
{
	struct buf tmp = BUF_INIT;
	int fd = -1, rc = -1, saved = 0;
	S_remove_stale_temps(path);
	buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(buf_cstr(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		  0644);
	if (fd < 0)
		goto out;
	if (fs_write_all(fd, data, len) != 0)
		goto out;
	if (fsync(fd) != 0)
		goto out;
	if (close(fd) != 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(buf_cstr(&tmp), path) != 0)
		goto out;
	rc = 0;
out:
	saved = errno;
	if (fd >= 0)
		close(fd);
	if (rc != 0)
		unlink(buf_cstr(&tmp));
	buf_release(&tmp);
	errno = saved;
	return rc;
}
