/* Commands whose stage has not landed yet. Each says so plainly. */
#include <stdio.h>

#include "exitcode.h"
#include "options.h"

int probe_run(const struct options *opt)
{
	(void)opt;
	fputs("stackmap: probe is not implemented yet\n", stderr);
	return EXIT_SYSTEM;
}

int diff_run(const struct options *opt)
{
	(void)opt;
	fputs("stackmap: diff is not implemented yet\n", stderr);
	return EXIT_SYSTEM;
}
