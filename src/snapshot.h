/* snapshot: what the probes have seen, kept between runs in one JSON file
 * (catalog/snapshot.json by default). The file is the contract between
 * `stackmap probe`, which writes it, and `stackmap build` and `stackmap
 * diff`, which read it:
 *
 * {"format": 1,
 *  "vendors": {
 *    "<vendor id>": {
 *      "attempt": {"at": "2026-11-25T10:00:00Z",
 *                  "outcome": "ok" | "skipped" | "failed" | "suspect",
 *                  "http_status": 200 | null, "error": "…" | null,
 *                  "ms": 312},
 *      "last_success": "2026-11-25T10:00:00Z" | null,
 *      "first_success": "2026-11-01T10:00:00Z" | null,
 *      "stale": false,              true when the last attempt was not ok
 *      "models": {
 *        "<listing id>": {"name": "…" | null, "context": 131072 | null,
 *                         "price": PRICE, "first_seen": "2026-11-25",
 *                         "history": [{"date": "2026-11-25", PRICE…}]}},
 *      "removed": {"<listing id>": {"date": "2026-11-26", "name": …,
 *                                   "price": PRICE, "history": […]}}}}}
 *
 * PRICE = {"input": 0.88, "output": 0.88, "cached_input": null}: USD per 1M
 * tokens, rounded by listing_round_price, null when unknown. A history
 * gains an entry only when a model's price changes to another known price
 * (a price that becomes unknown is not a change). The listing of a vendor
 * whose attempt failed, was skipped or looked suspect is the last good one.
 *
 * Serialisation is deterministic (sorted keys, two-space indent, prices with
 * at most 15 significant digits), so the same state gives the same bytes.
 *
 * Return convention: 0 on success, -1 on failure with a message in err.
 * Ownership: a snapshot is a jansson tree the caller owns (json_decref).
 * Strings handed out by the readers below are borrowed from the tree and
 * live as long as it does. */
#ifndef STACKMAP_SNAPSHOT_H
#define STACKMAP_SNAPSHOT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "listing.h"

#define SNAPSHOT_FORMAT 1
/* Snapshot files larger than this are refused. */
#define SNAPSHOT_MAX_BYTES (256u << 20)

enum snapshot_outcome {
	SNAPSHOT_OK,
	SNAPSHOT_SKIPPED,
	SNAPSHOT_FAILED,
	SNAPSHOT_SUSPECT,
};

/* "ok", "skipped", "failed", "suspect". */
const char *snapshot_outcome_name(enum snapshot_outcome o);

/* A price triple; NAN where unknown. */
struct snapshot_price {
	double input;
	double output;
	double cached_input;
};

/* A new, empty snapshot. */
json_t *snapshot_new(void);

/* Reads the snapshot at path. A missing file gives an empty snapshot. A
 * file that is not a snapshot of this format fails with a message naming
 * the file and what is wrong. */
int snapshot_load(const char *path, json_t **out, struct buf *err);

/* Parses and checks snapshot text; path only names the input in err. */
int snapshot_parse(const char *text, size_t len, const char *path, json_t **out,
		   struct buf *err);

/* The snapshot as text, ending with a newline; caller frees. */
char *snapshot_dump(const json_t *snap, size_t *len);

/* Writes the snapshot to path atomically (see fs_write_atomic). */
int snapshot_save(const char *path, const json_t *snap, struct buf *err);

/* The text of vendor_id's entry (its value, without the key) exactly as
 * snapshot_dump writes it inside the whole snapshot, or NULL when there
 * is no such vendor. Caller frees. A probe dumps each vendor as soon as
 * it is recorded, while other transfers are still in flight. */
char *snapshot_dump_vendor(const json_t *snap, const char *vendor_id);

/* snapshot_dump's bytes, taking the text of each vendor from
 * dumped(vendor_id, arg) when that returns non-NULL: what
 * snapshot_dump_vendor gave for the vendor as it is now (borrowed). dumped
 * may be NULL. Caller frees. */
char *snapshot_dump_with(const json_t *snap,
			 const char *(*dumped)(const char *vendor_id,
					       void *arg),
			 void *arg, size_t *len);

/* snapshot_save through snapshot_dump_with. */
int snapshot_save_with(const char *path, const json_t *snap,
		       const char *(*dumped)(const char *vendor_id, void *arg),
		       void *arg, struct buf *err);

/* One vendor's probe result, to be recorded in a snapshot. */
struct snapshot_attempt {
	time_t at;
	enum snapshot_outcome outcome;
	long http_status;  /* 0: no HTTP answer */
	const char *error; /* NULL when none; never holds a secret */
	long ms;
};

/* What snapshot_record did to one vendor. */
struct snapshot_stats {
	enum snapshot_outcome outcome; /* may turn ok into suspect */
	size_t models;		       /* in the vendor's kept listing */
	size_t priced;		       /* of those, with a known price */
	size_t added;
	size_t removed;
	size_t repriced;
	size_t previous; /* models in the listing before this attempt */
	char why[192];	 /* why a listing was suspect, else "" */
};

/* Records an attempt for vendor_id. With outcome SNAPSHOT_OK, listing is
 * the new listing (sorted by listing_sort), merged in unless it is empty or
 * less than half the size of the previous one and accept_shrink is false;
 * then the attempt is recorded as suspect and the old listing kept. With
 * any other outcome listing is ignored and the old listing kept, marked
 * stale. stats may be NULL. A suspect listing is recorded with a->error, or
 * when that is NULL with the reason also left in stats->why. */
void snapshot_record(json_t *snap, const char *vendor_id,
		     const struct snapshot_attempt *a,
		     const struct listing *listing, bool accept_shrink,
		     struct snapshot_stats *stats);

/* The entry of vendor_id in snap, or NULL. Borrowed. */
json_t *snapshot_vendor(const json_t *snap, const char *vendor_id);

/* Reads a PRICE object (NULL gives all unknown). */
void snapshot_price_get(const json_t *price, struct snapshot_price *out);

/* Whether two prices print the same. */
bool snapshot_price_equal(const struct snapshot_price *a,
			  const struct snapshot_price *b);

enum snapshot_change_kind {
	SNAPSHOT_ADDED,
	SNAPSHOT_REMOVED,
	SNAPSHOT_PRICE,
};

/* "added", "removed", "price". */
const char *snapshot_change_kind_name(enum snapshot_change_kind k);

/* One event of a snapshot's history. Strings borrowed from the snapshot. */
struct snapshot_change {
	const char *date; /* YYYY-MM-DD */
	const char *vendor;
	const char *model;
	enum snapshot_change_kind kind;
	struct snapshot_price old_price; /* all unknown for added */
	struct snapshot_price new_price; /* all unknown for removed */
};

/* Lists every change the snapshot remembers, newest first (then by vendor,
 * model, kind). Models present in a vendor's first listing are not
 * reported as added. *out is a caller-freed array (NULL when empty). */
void snapshot_changes(const json_t *snap, struct snapshot_change **out,
		      size_t *count);

#endif
