/* arena: a region allocator for the jansson values of the build's view.
 *
 * The view of a big catalog is millions of small jansson values (an offer
 * row alone is about a hundred allocations) that all live until the build
 * ends. Taking them from malloc one by one costs a header each, a free
 * each at the end, and much of the view's time. Between arena_begin and
 * arena_end, jansson's allocations (json_set_alloc_funcs, the library's
 * own hook) are carved from large blocks instead: each thread takes its
 * own block, so the view's threads never contend. Freeing an arena value
 * does nothing (its bytes stay valid until arena_release); values from
 * malloc, made before arena_begin or after arena_end, are freed as usual,
 * so objects of both kinds can be mixed and released in any order.
 *
 * Ownership: the arena is one per process (the alloc hook is global).
 * arena_release unmaps everything it handed out: call it only when no
 * jansson value made between begin and end is used any more. A forked
 * child inherits the arena's memory like any other (copy on write).
 *
 * Built with AddressSanitizer the arena does nothing (malloc serves every
 * value), so the sanitizer still sees each one. */
#ifndef STACKMAP_ARENA_H
#define STACKMAP_ARENA_H

#include <stddef.h>

/* Routes jansson's allocations to the arena. Returns 0, or -1 when the
 * address space could not be reserved (allocations then stay with malloc,
 * which is only slower). */
int arena_begin(void);
/* Routes new allocations back to malloc; arena values stay valid. */
void arena_end(void);
/* Unmaps the arena's blocks (after arena_end): every value made between
 * begin and end is gone at once, without a walk over them, so values
 * that hold references only to each other need no json_decref. */
void arena_release(void);
/* Bytes handed out by the arena so far (for timings). */
size_t arena_used(void);

#endif
