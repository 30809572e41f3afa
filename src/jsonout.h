/* jsonout: writes a jansson tree as compact JSON into a buf, several times
 * faster than json_dumps (which formats through a callback per token):
 * the exports of a 100,000-offer catalog are most of a build otherwise.
 *
 * Objects keep jansson's insertion order (deterministic when the tree is
 * built deterministically); strings are written as UTF-8 with '"', '\\'
 * and control characters escaped; reals in the shortest form that reads
 * back as the same double (mustache_scalar_text), with ".0" added to a
 * whole number so it stays a real. */
#ifndef STACKMAP_JSONOUT_H
#define STACKMAP_JSONOUT_H

#include <jansson.h>

#include "buf.h"

/* Appends v as compact JSON. */
void jsonout_write(struct buf *out, const json_t *v);
/* Appends s[0..len) as a JSON string. */
void jsonout_string(struct buf *out, const char *s, size_t len);
/* Appends the object obj as jsonout_write does, leaving out its member
 * named skip (NULL: none). */
void jsonout_object_without(struct buf *out, const json_t *obj,
			    const char *skip);
/* Appends a member's key and colon, after a comma unless *first (which
 * it clears): for writing an object member by member between '{' and
 * '}'. */
void jsonout_key(struct buf *out, const char *key, int *first);

#endif
