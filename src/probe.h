/* probe: `stackmap probe` asks every vendor of the catalog that has an
 * `api` what its model-listing API serves now (fetch.h performs the HTTP,
 * an adapter reads each answer) and records the result in the snapshot
 * (snapshot.h), never losing what it knew before.
 *
 * - Keys come only from the environment variable api.key_env names (and,
 *   for bedrock, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN). A vendor
 *   whose key is unset is skipped with a notice naming the variable and
 *   keeps its data. Vendors without `api` are not probed.
 * - Progress: on a terminal a status line, otherwise a line per vendor as
 *   it ends; --quiet prints only failures. Then a table on stdout: vendor,
 *   outcome, models, priced models, changes and time, and the reason of
 *   every vendor that did not succeed; and a warning, at the offer, for
 *   every live price more than LISTING_PRICE_TOLERANCE away from the
 *   catalog's declared one (listing id = offer remote_id, ignoring case).
 * - "Now" is SOURCE_DATE_EPOCH when set, so tests get stable snapshots.
 * - Exit status: EXIT_OK when every vendor succeeded or was skipped for
 *   lack of a key; EXIT_PARTIAL when one failed or its listing looked
 *   suspect (its data kept); EXIT_INVALID for an invalid catalog or
 *   snapshot (nothing probed, nothing written); EXIT_USAGE for an unknown
 *   --only vendor or a bad SOURCE_DATE_EPOCH; EXIT_SYSTEM when the
 *   snapshot cannot be written.
 *
 * probe_run is declared in options.h with the other commands. */
#ifndef STACKMAP_PROBE_H
#define STACKMAP_PROBE_H

#endif
