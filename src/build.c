#include <stdio.h>

#include "catalog.h"
#include "exitcode.h"
#include "options.h"
#include "validate.h"

int build_run(const struct options *opt)
{
	struct catalog cat;
	struct diags diags;
	diags_init(&diags);
	catalog_load(&cat, opt->catalog_dir, &diags);
	validate_catalog(&cat, &diags);
	diags_print(&diags, stderr);
	int rc = diags.errors ? EXIT_INVALID : EXIT_OK;
	catalog_release(&cat);
	diags_release(&diags);
	return rc;
}
