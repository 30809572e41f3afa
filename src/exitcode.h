/* Exit statuses of stackmap, in one place. Documented in man/stackmap.1. */
#ifndef STACKMAP_EXITCODE_H
#define STACKMAP_EXITCODE_H

enum exit_code {
	EXIT_OK = 0,	  /* success */
	EXIT_INVALID = 1, /* the catalog or another input is invalid */
	EXIT_USAGE = 2,	  /* bad command line */
	EXIT_SYSTEM = 3,  /* I/O or system error */
	EXIT_PARTIAL = 4, /* probe: some vendors failed; their data was kept */
};

#endif
