/* floor: the write floor for a site tree. Loads every file under SRC into
 * memory, then times recreating the tree in fresh directories DEST/rep-N
 * (mkdir for each directory, then open, write, close for each file) on
 * whatever file system DEST is on. Nothing else is timed: no reading, no
 * rendering, no fsync. This is the least work any generator writing the
 * same tree file by file must do, so build time / floor time says how much
 * of a build is the generator itself.
 *
 * usage: floor SRC DEST REPS
 * Prints one line per repetition:
 *   rep N: SECONDS s, FILES files, DIRS dirs, BYTES bytes, CPU cpu
 * where CPU is the user + system seconds the repetition used (less than
 * SECONDS when other processes compete for the cores).
 * DEST/rep-N must not exist; DEST is created if needed. The trees are left
 * in place for the caller to delete after the timed runs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct entry {
	char *rel; /* path relative to the tree root */
	char *data;
	size_t len;
	int is_dir;
};

static struct entry *S_entries;
static size_t S_n, S_cap;

static void *S_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("floor: out of memory\n", stderr);
		exit(3);
	}
	return p;
}

static char *S_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = S_xmalloc(la + lb + 2);
	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + la + 1, b, lb + 1);
	return s;
}

static void S_add(char *rel, char *data, size_t len, int is_dir)
{
	if (S_n == S_cap) {
		S_cap = S_cap ? 2 * S_cap : 1024;
		S_entries = realloc(S_entries, S_cap * sizeof *S_entries);
		if (!S_entries) {
			fputs("floor: out of memory\n", stderr);
			exit(3);
		}
	}
	S_entries[S_n++] = (struct entry){rel, data, len, is_dir};
}

static char *S_read_all(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		perror(path);
		exit(3);
	}
	size_t cap = (size_t)st.st_size, n = 0;
	char *buf = S_xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			cap = 2 * cap + 4096;
			buf = realloc(buf, cap + 1);
			if (!buf)
				exit(3);
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			perror(path);
			exit(3);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return buf;
}

/* Walks root/rel in pre-order: a directory comes before its contents. */
static void S_load(const char *root, const char *rel)
{
	char *dir = rel[0] ? S_join(root, rel) : strdup(root);
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		exit(3);
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *path = S_join(dir, e->d_name);
		char *sub = rel[0] ? S_join(rel, e->d_name) : strdup(e->d_name);
		struct stat st;
		if (lstat(path, &st) != 0) {
			perror(path);
			exit(3);
		}
		if (S_ISDIR(st.st_mode)) {
			S_add(sub, NULL, 0, 1);
			S_load(root, sub);
		} else if (S_ISREG(st.st_mode)) {
			size_t len;
			char *data = S_read_all(path, &len);
			S_add(sub, data, len, 0);
		}
		free(path);
	}
	closedir(d);
	free(dir);
}

static double S_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double S_cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int S_write_tree(const char *dest)
{
	char path[4096];
	if (mkdir(dest, 0755) != 0) {
		perror(dest);
		return -1;
	}
	for (size_t i = 0; i < S_n; i++) {
		const struct entry *e = &S_entries[i];
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dest, e->rel) >=
		    sizeof path) {
			fprintf(stderr, "floor: path too long: %s\n", e->rel);
			return -1;
		}
		if (e->is_dir) {
			if (mkdir(path, 0755) != 0) {
				perror(path);
				return -1;
			}
			continue;
		}
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			      0644);
		if (fd < 0) {
			perror(path);
			return -1;
		}
		size_t off = 0;
		while (off < e->len) {
			ssize_t w = write(fd, e->data + off, e->len - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				perror(path);
				close(fd);
				return -1;
			}
			off += (size_t)w;
		}
		if (close(fd) != 0) {
			perror(path);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: floor SRC DEST REPS\n", stderr);
		return 2;
	}
	const char *src = argv[1], *dest = argv[2];
	int reps = atoi(argv[3]);
	if (reps < 1) {
		fputs("floor: REPS must be at least 1\n", stderr);
		return 2;
	}
	S_load(src, "");
	size_t files = 0, dirs = 0, bytes = 0;
	for (size_t i = 0; i < S_n; i++) {
		if (S_entries[i].is_dir)
			dirs++;
		else
			files++;
		bytes += S_entries[i].len;
	}
	if (mkdir(dest, 0755) != 0 && errno != EEXIST) {
		perror(dest);
		return 3;
	}
	for (int r = 0; r < reps; r++) {
		char target[4096];
		snprintf(target, sizeof target, "%s/rep-%d", dest, r);
		double c0 = S_cpu(), t0 = S_now();
		if (S_write_tree(target) != 0)
			return 3;
		double t1 = S_now(), c1 = S_cpu();
		printf("rep %d: %.6f s, %zu files, %zu dirs, %zu bytes, %.6f cpu\n",
		       r, t1 - t0, files, dirs, bytes, c1 - c0);
		fflush(stdout);
	}
	for (size_t i = 0; i < S_n; i++) {
		free(S_entries[i].rel);
		free(S_entries[i].data);
	}
	free(S_entries);
	return 0;
}
