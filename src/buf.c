#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap && b->data)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	/* one pass when the text fits in the room left (it mostly does),
	 * a second into a grown buffer when it does not */
	va_list copy;
	va_copy(copy, ap);
	buf_grow(b, 63);
	size_t room = b->cap - b->len;
	int n = vsnprintf(b->data + b->len, room, fmt, copy);
	va_end(copy);
	if (n < 0) {
		b->data[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *buf_detach(struct buf *b, size_t *len)
{
	if (!b->data)
		buf_grow(b, 0), b->data[0] = '\0';
	char *data = b->data;
	if (len)
		*len = b->len;
	buf_init(b);
	return data;
}

const char *buf_cstr(struct buf *b)
{
	if (!b->data) {
		buf_grow(b, 0); /* allocates: data is never NULL after it */
		b->data[0] =
		    '\0'; // NOLINT(clang-analyzer-core.NullDereference)
	}
	return b->data;
}

/* The length of the UTF-8 sequence at p when it encodes a C1 control
 * (U+0080..U+009F), which a terminal may read as ESC-like (U+009B is CSI),
 * or a bidirectional control (U+061C, U+200E/F, U+202A..E, U+2066..9),
 * which can reorder a log line; else 0. *cp gets the code point. */
static size_t S_invisible(const unsigned char *p, unsigned *cp)
{
	if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
		*cp = p[1];
		return 2;
	}
	if (p[0] == 0xD8 && p[1] == 0x9C) {
		*cp = 0x061C;
		return 2;
	}
	if (p[0] == 0xE2 && p[1] == 0x80 &&
	    (p[2] == 0x8E || p[2] == 0x8F || (p[2] >= 0xAA && p[2] <= 0xAE))) {
		*cp = 0x2000 + (unsigned)(p[2] - 0x80);
		return 3;
	}
	if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9) {
		*cp = 0x2040 + (unsigned)(p[2] - 0x80);
		return 3;
	}
	return 0;
}

void buf_put_visible(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned cp;
		size_t n = S_invisible(p, &cp);
		if (n) {
			buf_printf(b, "\\u%04X", cp);
			p += n;
		} else {
			if (*p < 0x20 || *p == 0x7F)
				buf_printf(b, "\\x%02X", *p);
			else
				buf_putc(b, (char)*p);
			p++;
		}
	}
}
