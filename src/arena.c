#include "arena.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <jansson.h>

#if defined(__SANITIZE_ADDRESS__)
#define S_ARENA_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define S_ARENA_OFF 1
#endif
#endif

/* Address space reserved at arena_begin (no memory until touched: the
 * reservation is PROT_NONE, each block is made writable when taken). */
#define S_RESERVE ((size_t)64 << 30)
/* The block a thread carves its allocations from. */
#define S_BLOCK ((size_t)4 << 20)
/* Allocations larger than this get pages of their own. */
#define S_LARGEST (S_BLOCK / 16)

static char *S_base;	     /* the reservation, or NULL */
static atomic_size_t S_next; /* offset of the next block to hand out */
static atomic_bool S_active; /* between arena_begin and arena_end */
static atomic_size_t S_used; /* bytes handed out */
/* this thread's block: [S_at, S_end); a thread that lives across
 * arena_release keeps a stale one, so only short-lived threads (the
 * view's) and the releasing thread may allocate in the arena */
static _Thread_local char *S_at;
static _Thread_local char *S_end;

static bool S_owns(const void *p)
{
	return S_base && (const char *)p >= S_base &&
	       (const char *)p < S_base + S_RESERVE;
}

/* Takes a fresh block for this thread; returns false when the
 * reservation is used up or cannot be made writable. */
static bool S_take_block(void)
{
	size_t off = atomic_fetch_add(&S_next, S_BLOCK);
	if (off + S_BLOCK > S_RESERVE)
		return false;
	if (mprotect(S_base + off, S_BLOCK, PROT_READ | PROT_WRITE) != 0)
		return false;
	S_at = S_base + off;
	S_end = S_at + S_BLOCK;
	return true;
}

/* Takes size bytes (a multiple of the page size) of the reservation for
 * one big allocation (an array's table of 100,000 rows). */
static void *S_take_large(size_t size)
{
	size_t off = atomic_fetch_add(&S_next, size);
	if (off + size > S_RESERVE ||
	    mprotect(S_base + off, size, PROT_READ | PROT_WRITE) != 0)
		return NULL;
	return S_base + off;
}

static void *S_malloc(size_t size)
{
	if (!atomic_load_explicit(&S_active, memory_order_relaxed))
		return malloc(size);
	void *p = NULL;
	if (size > S_LARGEST) {
		size = (size + 4095) & ~(size_t)4095;
		p = S_take_large(size);
	} else {
		size = (size + 15) & ~(size_t)15; /* malloc's alignment */
		if ((size_t)(S_end - S_at) >= size || S_take_block()) {
			p = S_at;
			S_at += size;
		}
	}
	/* only when the system refuses memory: malloc, which arena_release
	 * does not free (the process is about to fail anyway) */
	if (!p)
		return malloc(size);
	atomic_fetch_add_explicit(&S_used, size, memory_order_relaxed);
	return p;
}

static void S_free(void *p)
{
	if (!S_owns(p))
		free(p);
}

int arena_begin(void)
{
#ifdef S_ARENA_OFF
	return -1;
#else
	if (!S_base) {
		void *base =
		    mmap(NULL, S_RESERVE, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (base == MAP_FAILED)
			return -1;
		S_base = base;
		json_set_alloc_funcs(S_malloc, S_free);
	}
	atomic_store(&S_active, true);
	return 0;
#endif
}

void arena_end(void)
{
	atomic_store(&S_active, false);
}

void arena_release(void)
{
	if (!S_base)
		return;
	atomic_store(&S_active, false);
	/* values still alive from malloc are freed by free() from now on */
	json_set_alloc_funcs(malloc, free);
	munmap(S_base, S_RESERVE);
	S_base = NULL;
	atomic_store(&S_next, 0);
	atomic_store(&S_used, 0);
	S_at = S_end = NULL;
}

size_t arena_used(void)
{
	return atomic_load(&S_used);
}
