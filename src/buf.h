/* buf: the one growable byte buffer used wherever text is built.
 *
 * Ownership: a struct buf is caller-owned (buf_init/buf_release). Its data
 * is always NUL-terminated after any append, so buf.data can be read as a C
 * string while the buffer lives. buf_detach hands the bytes to the caller,
 * who frees them with free(), and leaves the buffer empty. Allocation failure
 * exits the program (see xalloc.h). */
#ifndef STACKMAP_BUF_H
#define STACKMAP_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT                                                               \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
void buf_grow(struct buf *b, size_t extra);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends s with control characters (below 0x20, and 0x7F) written as
 * \xNN and C1 controls and bidirectional controls as \uNNNN, so that text
 * from an input can be echoed into a message or log without moving the
 * cursor, colouring a terminal, starting a new line or reordering it. */
void buf_put_visible(struct buf *b, const char *s);
/* Appends s[0..n) (inline: every byte of every page passes here). */
static inline void buf_append(struct buf *b, const char *s, size_t n)
{
	if (!b->data || b->len + n + 1 > b->cap)
		buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void buf_putc(struct buf *b, char c)
{
	if (!b->data || b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

/* Returns the bytes (NUL-terminated, never NULL); caller frees. */
char *buf_detach(struct buf *b, size_t *len);
/* Returns a C string view; valid until the next change to b. */
const char *buf_cstr(struct buf *b);

#endif
