/* diff_check: `stackmap diff --check OLD NEW` decides whether snapshot NEW
 * may take the place of snapshot OLD. It is the gate the refresh workflow
 * (.github/workflows/refresh.yml, scripts/refresh.sh) passes before it
 * commits what a probe wrote. NEW passes when
 *
 *  - it loses nothing OLD knew: every vendor of OLD is in NEW; every model
 *    OLD lists is listed in NEW or recorded there as removed; every model
 *    OLD records as removed is still recorded, or listed again; and every
 *    price history of OLD is the start of that model's history in NEW;
 *  - it is not older than OLD: no vendor's attempt or last success goes
 *    back in time;
 *  - it records a successful probe since OLD: of the vendors whose attempt
 *    in NEW is newer than in OLD, at least one is "ok". A run in which every
 *    probe failed, looked suspect or was skipped is refused, as is a NEW
 *    that records no probe since OLD.
 *
 * Ownership: the caller owns the snapshots and the report buffer. */
#ifndef STACKMAP_DIFF_CHECK_H
#define STACKMAP_DIFF_CHECK_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "options.h"

/* What a check found. */
struct diff_check_stats {
	size_t problems; /* lines appended to the report */
	size_t probed;	 /* vendors with an attempt newer than in OLD */
	size_t ok, failed, suspect, skipped; /* their outcomes */
};

/* Checks that new_snap may replace old_snap, appending one line per
 * problem to report as "NEW_PATH: error: message\n". Returns the number of
 * problems (also in st->problems). */
size_t diff_check_snapshots(const json_t *old_snap, const json_t *new_snap,
			    const char *new_path, struct buf *report,
			    struct diff_check_stats *st);

/* The --check mode of `stackmap diff`: checks, prints every problem and a
 * closing line on stderr, and returns EXIT_OK when NEW may replace OLD,
 * EXIT_INVALID when it may not. */
int diff_check_run(const struct options *opt, const json_t *old_snap,
		   const json_t *new_snap);

#endif
