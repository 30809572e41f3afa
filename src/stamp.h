/* stamp: lets a build that would change nothing stop early.
 *
 * After a successful build, stackmap records in its cache folder
 * ($XDG_CACHE_HOME/stackmap, else ~/.cache/stackmap; one stamp per output
 * folder) a fingerprint of everything the site is made from: the stackmap
 * version, every file of the catalog and template folders and the
 * snapshot, by path and content; and one of the output tree as the build
 * left it: every file's path, size, mtime and inode. The next build
 * computes both again first; when both match, the site is current (the
 * same inputs give the same bytes) and nothing is rendered. Any edit to an
 * input, or to a file of the site (deleted, touched, rewritten), makes the
 * build run in full. Without a cache folder, every build runs in full.
 *
 * The fingerprints are 64-bit FNV-1a hashes: they detect changes, they
 * are not meant to resist forgery (whoever can write the catalog can
 * change the site anyway). */
#ifndef STACKMAP_STAMP_H
#define STACKMAP_STAMP_H

#include <stdbool.h>
#include <stdint.h>

struct stamp {
	char *cache_dir; /* NULL without a cache folder */
	uint64_t inputs; /* 0: could not be computed */
};

/* Computes the input fingerprint for this build. */
void stamp_begin(struct stamp *s, const char *catalog_dir,
		 const char *templates_dir, const char *snapshot);
/* Whether the stamp matches the inputs and the output tree as it is. */
bool stamp_current(const struct stamp *s, const char *out_dir);
/* Records the inputs and the output tree after a successful build (a
 * failure to write is not an error: the next build runs in full). */
void stamp_write(const struct stamp *s, const char *out_dir);
void stamp_release(struct stamp *s);

#endif
