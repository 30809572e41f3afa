/* fsutil: small file-system helpers shared by every stage.
 * Return convention: 0 on success, -1 on failure with errno set. */
#ifndef STACKMAP_FSUTIL_H
#define STACKMAP_FSUTIL_H

#include <stddef.h>

/* Reads the whole file at path, up to max bytes. On success *data (caller
 * frees, NUL-terminated) and *len are set. Files larger than max fail with
 * errno EFBIG. */
int fs_read_file(const char *path, size_t max, char **data, size_t *len);

/* Lists the names in dir that end with suffix (not starting with '.'),
 * sorted bytewise. Returns a NULL-terminated array the caller frees with
 * fs_free_list, or NULL with errno set. */
char **fs_list_dir(const char *dir, const char *suffix, size_t *count);
void fs_free_list(char **list);

/* Joins a and b with a '/'; caller frees. */
char *fs_join(const char *a, const char *b);

/* Writes all len bytes of data to fd, retrying short writes and EINTR.
 * Returns 0, or -1 with errno set (a write of 0 bytes sets EIO). */
int fs_write_all(int fd, const void *data, size_t len);

/* Creates dir and its parents (mode 0755). */
int fs_mkdirs(const char *dir);

/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, rename. The old file stays intact on any failure. Temporary
 * files that killed writers left next to path are removed first. */
int fs_write_atomic(const char *path, const char *data, size_t len);

#endif
