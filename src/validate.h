/* validate: the rules that span files — references, uniqueness, prices with
 * their provenance, freshness — applied to a loaded catalog. Resolves the
 * catalog's borrowed references (offer->model_ref, model->lab_ref). */
#ifndef STACKMAP_VALIDATE_H
#define STACKMAP_VALIDATE_H

#include "catalog.h"
#include "diag.h"

/* Days a declared price may lag the catalog's newest date before a warning. */
#define VALIDATE_STALE_DAYS 180

/* Records every cross-file problem; returns the number of errors. */
size_t validate_catalog(struct catalog *cat, struct diags *diags);

/* Days since 1970-01-01 of a valid YYYY-MM-DD date. */
long validate_day_number(const char *date);

#endif
