/* diag: collects every diagnostic of a run, then prints them sorted by file,
 * line and column in GCC style: `path:line:col: error: message`.
 *
 * Ownership: struct diags is caller-owned (diags_init/diags_release); it
 * copies the path and message of each diagnostic it records. Lines and
 * columns are 1-based; 0 means "the whole file". */
#ifndef STACKMAP_DIAG_H
#define STACKMAP_DIAG_H

#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>

enum diag_severity {
	DIAG_ERROR,
	DIAG_WARNING,
};

/* A place in an input file. The path is borrowed from whoever loaded it. */
struct loc {
	const char *path;
	unsigned line;
	unsigned col;
};

struct diag {
	enum diag_severity severity;
	char *path;
	unsigned line;
	unsigned col;
	char *message;
	size_t seq; /* insertion order, keeps the sort stable */
};

struct diags {
	struct diag *items;
	size_t count;
	size_t cap;
	size_t errors;
	size_t warnings;
};

void diags_init(struct diags *d);
void diags_release(struct diags *d);
/* Moves every diagnostic of from to the end of to, in order; from is left
 * empty. */
void diags_move(struct diags *to, struct diags *from);
void diag_add(struct diags *d, enum diag_severity sev, struct loc at,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_error(struct diags *d, struct loc at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(struct diags *d, struct loc at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sorts by path, line, column, then insertion order, and prints each. */
void diags_print(struct diags *d, FILE *out);

#endif
