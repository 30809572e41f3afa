/* fuzz_util: what the libFuzzer harnesses in tests/fuzz/ share: a checked
 * assertion that aborts (so libFuzzer saves the input), splitting an input
 * into parts, and a scratch folder for harnesses that go through files.
 *
 * Everything here is static: each harness is one translation unit linked
 * against the project's objects (see mk/fuzz.mk). */
#ifndef STACKMAP_FUZZ_UTIL_H
#define STACKMAP_FUZZ_UTIL_H

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FUZZ_SRCDIR
#define FUZZ_SRCDIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_UNUSED __attribute__((unused))

/* A broken invariant: print what and where, then abort so that libFuzzer
 * reports the input as a crash and writes it out. */
#define FUZZ_CHECK(cond, ...)                                                  \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr,                                        \
				"%s:%d: invariant failed: %s: ", __FILE__,     \
				__LINE__, #cond);                              \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
			abort();                                               \
		}                                                              \
	} while (0)

/* Whether the check called tag is switched off: FUZZ_SKIP holds a
 * comma-separated list of tags. For long runs that should go on past a
 * finding already reported; `make fuzz` and fuzz-regress leave it unset. */
static FUZZ_UNUSED int fuzz_skip(const char *tag)
{
	const char *list = getenv("FUZZ_SKIP");
	size_t n = strlen(tag);
	while (list && *list) {
		const char *comma = strchr(list, ',');
		size_t len = comma ? (size_t)(comma - list) : strlen(list);
		if (len == n && strncmp(list, tag, n) == 0)
			return 1;
		list = comma ? comma + 1 : NULL;
	}
	return 0;
}

/* Checks that a diagnostic message can be printed to a terminal or a CI
 * log as one line: no control characters but tabs (a value echoed with a
 * newline or an escape sequence could forge lines or recolour the log). */
static FUZZ_UNUSED void fuzz_check_message(const char *msg)
{
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
		FUZZ_CHECK((*p >= 0x20 && *p != 0x7f) || *p == '\t' ||
			       fuzz_skip("diag-control"),
			   "diagnostic with control byte 0x%02x: %.200s", *p,
			   msg);
}

/* A part of an input: borrowed bytes, not NUL-terminated. */
struct fuzz_part {
	const char *data;
	size_t len;
};

/* Splits data at NUL bytes into at most max parts (the last part keeps
 * any further NULs). Returns the number of parts (at least 1). */
static FUZZ_UNUSED size_t fuzz_split(const char *data, size_t size,
				     struct fuzz_part *parts, size_t max)
{
	size_t n = 0;
	while (n + 1 < max) {
		const char *nul = memchr(data, '\0', size);
		if (!nul)
			break;
		parts[n].data = data;
		parts[n].len = (size_t)(nul - data);
		n++;
		size -= (size_t)(nul - data) + 1;
		data = nul + 1;
	}
	parts[n].data = data;
	parts[n].len = size;
	return n + 1;
}

/* A NUL-terminated heap copy of data[0..len); caller frees. */
static FUZZ_UNUSED char *fuzz_strndup(const char *data, size_t len)
{
	char *s = malloc(len + 1);
	if (!s)
		abort();
	if (len)
		memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

/* Whether needle occurs in hay, ignoring the case of ASCII letters. */
static FUZZ_UNUSED int fuzz_contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] &&
		       tolower((unsigned char)hay[i]) ==
			   tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

/* Writes data to path (created or truncated). Aborts on failure: the
 * scratch folder is the harness's own, so a failure is the machine's. */
static FUZZ_UNUSED void fuzz_write_file(const char *path, const char *data,
					size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(path);
		abort();
	}
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror(path);
			abort();
		}
		data += n;
		len -= (size_t)n;
	}
	close(fd);
}

/* Reads a whole file into a heap buffer (NUL-terminated); NULL when it
 * cannot be read. */
static FUZZ_UNUSED char *fuzz_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0, got;
	char *buf = malloc(cap + 1);
	if (!buf)
		abort();
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			if (!buf)
				abort();
		}
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Removes a folder tree (no symbolic links are followed: the harnesses
 * only create plain files and folders). */
static FUZZ_UNUSED void fuzz_remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			struct stat st;
			if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
				fuzz_remove_tree(path);
			else
				unlink(path);
		}
		closedir(d);
	}
	rmdir(dir);
}

static FUZZ_UNUSED char fuzz_scratch_dir[1024];

static FUZZ_UNUSED void fuzz_scratch_cleanup(void)
{
	if (fuzz_scratch_dir[0])
		fuzz_remove_tree(fuzz_scratch_dir);
}

/* Creates a private scratch folder (in /dev/shm when there is one, for
 * speed; else $TMPDIR or /tmp), removed at exit. Returns its path. */
static FUZZ_UNUSED const char *fuzz_scratch(const char *tag)
{
	if (fuzz_scratch_dir[0])
		return fuzz_scratch_dir;
	const char *base = "/dev/shm";
	struct stat st;
	if (stat(base, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    access(base, W_OK) != 0) {
		base = getenv("TMPDIR");
		if (!base || !*base)
			base = "/tmp";
	}
	snprintf(fuzz_scratch_dir, sizeof fuzz_scratch_dir,
		 "%s/stackmap-fuzz-%s-XXXXXX", base, tag);
	if (!mkdtemp(fuzz_scratch_dir)) {
		perror(fuzz_scratch_dir);
		abort();
	}
	atexit(fuzz_scratch_cleanup);
	return fuzz_scratch_dir;
}

/* Makes dir (one level). Aborts on failure other than EEXIST. */
static FUZZ_UNUSED void fuzz_mkdir(const char *dir)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		perror(dir);
		abort();
	}
}

#endif
