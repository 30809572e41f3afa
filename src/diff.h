/* diff: `stackmap diff OLD NEW` tells what changed between two snapshots
 * (snapshot.h): per vendor, the models added and removed and every price
 * that changed, with old, new and percent change. The change document is
 * built once and printed as Markdown (for a pull-request body) or JSON:
 *
 * {"vendors": {"<vendor id>": {
 *     "added":   [{"model": id, "price": PRICE}],
 *     "removed": [{"model": id, "price": PRICE}],
 *     "price_changes": [{"model": id, "field": "input" | "output" |
 *                        "cached_input", "old": 2 | null, "new": 2.5 | null,
 *                        "percent": 25 | null}]}},
 *  "counts": {"added": 1, "removed": 0, "price_changes": 1}}
 *
 * Only vendors with a change appear; every list is sorted by model id.
 * Ownership: returned trees and strings are the caller's. */
#ifndef STACKMAP_DIFF_H
#define STACKMAP_DIFF_H

#include <jansson.h>

#include "buf.h"

/* The change document from snapshot old_snap to new_snap. */
json_t *diff_snapshots(const json_t *old_snap, const json_t *new_snap);

/* Appends the change document as Markdown to out. */
void diff_markdown(const json_t *changes, struct buf *out);

#endif
