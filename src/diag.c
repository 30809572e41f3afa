#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

void diags_init(struct diags *d)
{
	memset(d, 0, sizeof(*d));
}

void diags_release(struct diags *d)
{
	for (size_t i = 0; i < d->count; i++) {
		free(d->items[i].path);
		free(d->items[i].message);
	}
	free(d->items);
	diags_init(d);
}

void diags_move(struct diags *to, struct diags *from)
{
	for (size_t i = 0; i < from->count; i++) {
		if (to->count == to->cap) {
			to->cap = to->cap ? to->cap * 2 : 16;
			to->items =
			    xrealloc(to->items, to->cap * sizeof(*to->items));
		}
		to->items[to->count] = from->items[i];
		to->items[to->count].seq = to->count;
		to->count++;
	}
	to->errors += from->errors;
	to->warnings += from->warnings;
	free(from->items);
	diags_init(from);
}

static void S_vadd(struct diags *d, enum diag_severity sev, struct loc at,
		   const char *fmt, va_list ap)
{
	if (d->count == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = xrealloc(d->items, d->cap * sizeof(*d->items));
	}
	struct buf raw = BUF_INIT, msg = BUF_INIT;
	buf_vprintf(&raw, fmt, ap);
	/* messages quote input: keep its control characters visible */
	buf_put_visible(&msg, buf_cstr(&raw));
	buf_release(&raw);
	struct diag *item = &d->items[d->count];
	item->severity = sev;
	item->path = xstrdup(at.path ? at.path : "stackmap");
	item->line = at.line;
	item->col = at.col;
	item->message = buf_detach(&msg, NULL);
	item->seq = d->count;
	d->count++;
	if (sev == DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
}

void diag_add(struct diags *d, enum diag_severity sev, struct loc at,
	      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	S_vadd(d, sev, at, fmt, ap);
	va_end(ap);
}

void diag_error(struct diags *d, struct loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	S_vadd(d, DIAG_ERROR, at, fmt, ap);
	va_end(ap);
}

void diag_warning(struct diags *d, struct loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	S_vadd(d, DIAG_WARNING, at, fmt, ap);
	va_end(ap);
}

static int S_compare(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : (a->seq > b->seq);
}

void diags_print(struct diags *d, FILE *out)
{
	if (d->count > 1)
		qsort(d->items, d->count, sizeof(*d->items), S_compare);
	for (size_t i = 0; i < d->count; i++) {
		const struct diag *item = &d->items[i];
		const char *sev =
		    item->severity == DIAG_ERROR ? "error" : "warning";
		if (item->line)
			fprintf(out, "%s:%u:%u: %s: %s\n", item->path,
				item->line, item->col, sev, item->message);
		else
			fprintf(out, "%s: %s: %s\n", item->path, sev,
				item->message);
	}
}
