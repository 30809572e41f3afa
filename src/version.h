/* The version comes from the VERSION file, passed in by the Makefile. */
#ifndef STACKMAP_VERSION
#error "STACKMAP_VERSION must be defined (see VERSION and the Makefile)"
#endif
