/* xalloc: allocation wrappers for a command-line tool. On failure they print
 * "stackmap: out of memory" and exit with EXIT_SYSTEM, so no other code path
 * has to handle a NULL from the allocator. */
#ifndef STACKMAP_XALLOC_H
#define STACKMAP_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
