/* view_fixture: the cmocka group setup and teardown shared by the tests
 * that run on the view of a fixture catalog (its folder's catalog and
 * snapshot.json), included by each such test after defining FIXTURE. */
#ifndef STACKMAP_TESTS_VIEW_FIXTURE_H
#define STACKMAP_TESTS_VIEW_FIXTURE_H

#include <stdio.h>

#include "build.h"
#include "buf.h"
#include "catalog.h"
#include "diag.h"
#include "validate.h"
#include "view.h"

/* *state becomes the view of FIXTURE with its snapshot; fails (non-zero)
 * when the catalog has errors or the snapshot does not load. */
static int view_fixture_setup(void **state)
{
	struct catalog cat;
	struct diags d;
	struct buf err = BUF_INIT;
	json_t *snapshot = NULL;
	diags_init(&d);
	catalog_load(&cat, FIXTURE, &d);
	validate_catalog(&cat, &d);
	if (d.errors)
		diags_print(&d, stderr);
	int rc = d.errors == 0 && build_load_snapshot(FIXTURE "/snapshot.json",
						      &snapshot, &err) == 0
		     ? 0
		     : -1;
	if (rc == 0)
		*state = view_build(&cat, snapshot);
	json_decref(snapshot);
	buf_release(&err);
	catalog_release(&cat);
	diags_release(&d);
	return rc;
}

static int view_fixture_teardown(void **state)
{
	json_decref(*state);
	return 0;
}

#endif
