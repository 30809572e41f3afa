/* output: writes a whole generated tree so that readers only ever see the
 * old tree or the new one. Files go into a staging folder beside the final
 * one; a file whose bytes equal the current file is hard-linked instead of
 * written, so its mtime stays; output_commit swaps the folders atomically
 * (renameat2 RENAME_EXCHANGE) and removes the old tree. Files the new build
 * did not produce are gone with the old tree.
 *
 * Ownership: struct output is caller-owned; output_begin allocates,
 * output_commit or output_abort releases. */
#ifndef STACKMAP_OUTPUT_H
#define STACKMAP_OUTPUT_H

#include <stddef.h>

#include "buf.h"

struct output {
	char *final_dir;
	char *stage_dir;
	size_t written;	  /* files whose bytes changed or are new */
	size_t unchanged; /* files kept as they were */
	size_t bytes;
};

/* Prepares a staging folder for dir, removing leftovers of a build that
 * was killed. Returns 0, or -1 with a message in err. */
int output_begin(struct output *o, const char *dir, struct buf *err);
/* Stores one file at the relative path rel ('/'-separated, no '..'). */
int output_file(struct output *o, const char *rel, const char *data, size_t len,
		struct buf *err);
/* Makes the staged tree the live one. Returns 0, or -1 (the old tree is
 * then intact and the staging folder removed). */
int output_commit(struct output *o, struct buf *err);
/* Throws the staged tree away. Safe to call after a failed commit. */
void output_abort(struct output *o);
/* Removes a folder tree; used for staging leftovers. */
int output_remove_tree(const char *dir);

#endif
