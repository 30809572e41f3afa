/* build: `stackmap build` (build_run, declared in options.h) and what
 * other commands share with it to see the catalog as the site does. */
#ifndef STACKMAP_BUILD_H
#define STACKMAP_BUILD_H

#include <jansson.h>

#include "buf.h"

/* Reads the live snapshot at path; a missing file is an empty snapshot.
 * Returns 0, or -1 with a message naming the file in err. *snapshot is a
 * new reference the caller decrefs. */
int build_load_snapshot(const char *path, json_t **snapshot, struct buf *err);

#endif
