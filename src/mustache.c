/* mustache: compile a template into a flat node array, render it against
 * jansson data. See mustache.h for the data model and ownership rules.
 *
 * Compiling runs four passes over the source:
 *  1. S_tokenize finds every tag (following set-delimiter tags);
 *  2. S_match pairs each section, parent and block with its close tag;
 *  3. S_standalone marks tags alone on their line, whose line is dropped;
 *  4. S_build emits the nodes and the text between tags into one pool.
 * Rendering walks the nodes; containers are followed by their children and
 * record the index one past them (end), so no tree pointers are needed.
 *
 * Indentation of standalone partials is applied while rendering: a node
 * flagged bol (it starts a source line) first emits the current indentation,
 * and text emits it again after each newline it contains. This gives the
 * same output as re-indenting the partial's source, without re-parsing. */
#include "mustache.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numtext.h"
#include "xalloc.h"

enum S_node_type {
	S_TEXT,
	S_VAR,	    /* {{x}}: escaped */
	S_RAW,	    /* {{{x}}} and {{&x}} */
	S_SECTION,  /* {{#x}} */
	S_INVERTED, /* {{^x}} */
	S_PARTIAL,  /* {{>x}} */
	S_PARENT,   /* {{<x}}: only its block children matter */
	S_BLOCK,    /* {{$x}} */
};

/* Strings (text, names, indentation) are offsets into the template's pool,
 * since the pool moves while it grows during compilation. */
struct S_node {
	unsigned char type;
	/* starts a source line: emit the indentation first */
	unsigned char bol;
	/* partial/parent/block alone on its line: indent by indent */
	unsigned char standalone;
	/* partial/parent: str is a dotted name to look up */
	unsigned char dynamic;
	/* parts of a dotted name, NUL-separated in str; 0 for "." */
	unsigned nparts;
	/* index one past the node and its children */
	size_t end;
	/* text bytes, or the NUL-terminated name */
	size_t str, len;
	size_t indent, indent_len;
	unsigned line, col;
};

struct mustache_template {
	char *path;
	struct S_node *nodes;
	size_t nnodes;
	char *pool;
};

/* A tag found by the tokenizer. Offsets are into the source. */
struct S_tok {
	/* the tag, delimiters included */
	size_t start, end;
	/* trimmed content after the sigil */
	size_t name, name_len;
	/* source range dropped for this tag */
	size_t cut_start, cut_end;
	/* standalone: the indentation is [ind_start, start) */
	size_t ind_start;
	/* index of the matching open or close tag */
	size_t match;
	unsigned line, col;
	/* the sigil: v & # ^ / > < $ ! = (v: variable, & also {{{ }}}) */
	char type;
	/* 1: the line is dropped; 2: block pair, its newline kept */
	unsigned char standalone;
	/* standalone block: its content starts a line */
	unsigned char dedent;
};

struct S_compiler {
	const char *src;
	size_t len;
	const char *path;
	struct mustache_error *err;
	struct S_tok *toks;
	size_t ntoks, tok_cap;
	struct S_node *nodes;
	size_t nnodes, node_cap;
	struct buf pool;
	size_t loc_pos, loc_bol; /* S_locate's cursor */
	unsigned loc_line;
	int at_bol; /* the next output starts a source line */
};

#define S_NONE SIZE_MAX

/* Returns the offset after at most max blanks (spaces, tabs) from a,
 * stopping at b. */
static size_t S_skip_blanks(const char *src, size_t a, size_t b, size_t max)
{
	for (; a < b && max > 0 && (src[a] == ' ' || src[a] == '\t'); max--)
		a++;
	return a;
}

static int S_is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Returns the first occurrence of needle[0..m) in hay[0..n), or NULL. */
static const char *S_find(const char *hay, size_t n, const char *needle,
			  size_t m)
{
	const char *end = hay + n;
	while ((size_t)(end - hay) >= m) {
		const char *p =
		    memchr(hay, needle[0], (size_t)(end - hay) - m + 1);
		if (!p)
			return NULL;
		if (memcmp(p, needle, m) == 0)
			return p;
		hay = p + 1;
	}
	return NULL;
}

static void S_error_vset(struct mustache_error *err, const char *path,
			 unsigned line, unsigned col, const char *fmt,
			 va_list ap)
{
	snprintf(err->path, sizeof err->path, "%s", path ? path : "");
	err->line = line;
	err->col = col;
	vsnprintf(err->message, sizeof err->message, fmt, ap);
}

void mustache_error_set(struct mustache_error *err, const char *path,
			unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	S_error_vset(err, path, line, col, fmt, ap);
	va_end(ap);
}

void mustache_error_format(const struct mustache_error *err, struct buf *out)
{
	if (err->line)
		buf_printf(out, "%s:%u:%u: error: %s", err->path, err->line,
			   err->col, err->message);
	else
		buf_printf(out, "%s: error: %s", err->path, err->message);
}

void mustache_escape_html(struct buf *out, const char *s, size_t n)
{
	/* the bytes that need escaping, found by table: one test a byte */
	static const unsigned char special[256] = {
	    ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1};
	size_t i, run = 0;
	buf_grow(out, n + n / 8);
	for (i = 0; i < n; i++) {
		if (!special[(unsigned char)s[i]])
			continue;
		const char *rep;
		size_t len;
		switch (s[i]) {
		case '&':
			rep = "&amp;", len = 5;
			break;
		case '<':
			rep = "&lt;", len = 4;
			break;
		case '>':
			rep = "&gt;", len = 4;
			break;
		case '"':
			rep = "&quot;", len = 6;
			break;
		default:
			rep = "&#39;", len = 5;
			break;
		}
		buf_append(out, s + run, i - run);
		buf_append(out, rep, len);
		run = i + 1;
	}
	buf_append(out, s + run, n - run);
}

/* ---- compiling ---------------------------------------------------------- */

/* Computes the 1-based line and column of off; offsets must not decrease
 * between calls, so locating every tag costs one pass over the source. */
static void S_locate(struct S_compiler *c, size_t off, unsigned *line,
		     unsigned *col)
{
	for (; c->loc_pos < off; c->loc_pos++) {
		if (c->src[c->loc_pos] == '\n') {
			c->loc_line++;
			c->loc_bol = c->loc_pos + 1;
		}
	}
	*line = c->loc_line;
	*col = (unsigned)(off - c->loc_bol + 1);
}

static int S_fail(struct S_compiler *c, const struct S_tok *t, const char *fmt,
		  ...) __attribute__((format(printf, 3, 4)));

/* Fills the compile error at tag t; returns -1. */
static int S_fail(struct S_compiler *c, const struct S_tok *t, const char *fmt,
		  ...)
{
	va_list ap;
	va_start(ap, fmt);
	S_error_vset(c->err, c->path, t->line, t->col, fmt, ap);
	va_end(ap);
	return -1;
}

/* The node type of each tag sigil (tokenizer types). */
static const unsigned char S_tok_node[128] = {
    ['v'] = S_VAR,     ['&'] = S_RAW,	 ['#'] = S_SECTION, ['^'] = S_INVERTED,
    ['>'] = S_PARTIAL, ['<'] = S_PARENT, ['$'] = S_BLOCK,
};

static const char *S_kind(unsigned type)
{
	static const char *const kinds[] = {
	    [S_SECTION] = "section", [S_INVERTED] = "inverted section",
	    [S_PARTIAL] = "partial", [S_PARENT] = "parent",
	    [S_BLOCK] = "block",
	};
	return type >= S_SECTION && type <= S_BLOCK ? kinds[type] : "tag";
}

/* Checks a tag name: not empty, no whitespace inside. For partials and
 * parents a leading '*' (dynamic name) may be followed by spaces. */
static int S_check_name(struct S_compiler *c, const struct S_tok *t)
{
	const char *s = c->src + t->name;
	size_t n = t->name_len, i;
	if (n && s[0] == '*' && (t->type == '>' || t->type == '<')) {
		for (s++, n--; n && S_is_space(*s); s++, n--)
			;
	}
	if (!n)
		return S_fail(c, t, "empty tag name");
	for (i = 0; i < n; i++)
		if (S_is_space(s[i]))
			return S_fail(c, t, "whitespace in tag name '%.*s'",
				      (int)t->name_len, c->src + t->name);
	return 0;
}

/* Parses the content of a set-delimiter tag into two delimiters; returns 0,
 * or -1 with the error filled. The delimiters point into the source. */
static int S_set_delims(struct S_compiler *c, const struct S_tok *t,
			const char **otag, size_t *olen, const char **ctag,
			size_t *clen)
{
	const char *p = c->src + t->name, *end = p + t->name_len, *a, *b;
	for (a = p; p < end && !S_is_space(*p); p++)
		;
	*olen = (size_t)(p - a);
	for (; p < end && S_is_space(*p); p++)
		;
	for (b = p; p < end && !S_is_space(*p); p++)
		;
	*clen = (size_t)(p - b);
	if (!*olen || !*clen || p != end)
		return S_fail(c, t,
			      "invalid set-delimiter tag: expected two "
			      "delimiters separated by spaces");
	*otag = a;
	*ctag = b;
	return 0;
}

/* Pass 1: appends one token per tag to c->toks. Returns 0 or -1. */
static int S_tokenize(struct S_compiler *c)
{
	const char *otag = "{{", *ctag = "}}", *q;
	size_t olen = 2, clen = 2, pos = 0;

	while ((q = S_find(c->src + pos, c->len - pos, otag, olen))) {
		struct S_tok *t;
		size_t p, e, cend;
		char pre[2] = "";

		if (c->ntoks == c->tok_cap) {
			c->tok_cap = c->tok_cap ? 2 * c->tok_cap : 64;
			c->toks =
			    xrealloc(c->toks, c->tok_cap * sizeof *c->toks);
		}
		t = &c->toks[c->ntoks++];
		memset(t, 0, sizeof *t);
		t->start = (size_t)(q - c->src);
		S_locate(c, t->start, &t->line, &t->col);
		p = t->start + olen;
		t->type = 'v';
		if (p < c->len && c->src[p] && strchr("#^/><$&!={", c->src[p]))
			t->type = c->src[p++];
		if (t->type == '{') {
			pre[0] = '}';
			t->type = '&';
		} else if (t->type == '=') {
			pre[0] = '=';
		}
		/* the content ends at the closing delimiter, preceded by pre */
		for (e = p;; e = (size_t)(q - c->src) + 1) {
			q = S_find(c->src + e, c->len - e, ctag, clen);
			if (!q)
				return S_fail(
				    c, t, "unclosed tag: no closing '%s%.*s'",
				    pre, (int)clen, ctag);
			if (!pre[0] || (q > c->src + p && q[-1] == pre[0]))
				break;
		}
		e = (size_t)(q - c->src);
		cend = pre[0] ? e - 1 : e;
		t->end = e + clen;
		t->cut_start = t->start;
		t->cut_end = t->end;
		while (p < cend && S_is_space(c->src[p]))
			p++;
		while (cend > p && S_is_space(c->src[cend - 1]))
			cend--;
		t->name = p;
		t->name_len = cend - p;
		pos = t->end;
		if (t->type == '=') {
			if (S_set_delims(c, t, &otag, &olen, &ctag, &clen) < 0)
				return -1;
		} else if (t->type != '!' && S_check_name(c, t) < 0) {
			return -1;
		}
	}
	return 0;
}

/* Pass 2: pairs open and close tags through their match fields. Returns 0,
 * or -1 on a mismatched, unexpected or missing close tag. */
static int S_match(struct S_compiler *c)
{
	size_t *stack = xmalloc((c->ntoks + 1) * sizeof *stack), depth = 0, i;
	int rc = -1;

	for (i = 0; i < c->ntoks; i++) {
		struct S_tok *t = &c->toks[i], *o;
		if (strchr("#^<$", t->type)) {
			stack[depth++] = i;
			continue;
		}
		if (t->type != '/')
			continue;
		if (!depth) {
			S_fail(c, t,
			       "unexpected close tag '%.*s': no section is "
			       "open",
			       (int)t->name_len, c->src + t->name);
			goto out;
		}
		o = &c->toks[stack[depth - 1]];
		if (o->name_len != t->name_len ||
		    memcmp(c->src + o->name, c->src + t->name, t->name_len)) {
			S_fail(c, t,
			       "mismatched close tag '%.*s': %s '%.*s' "
			       "opened at line %u is still open",
			       (int)t->name_len, c->src + t->name,
			       S_kind(S_tok_node[(int)o->type]),
			       (int)o->name_len, c->src + o->name, o->line);
			goto out;
		}
		o->match = i;
		t->match = stack[--depth];
	}
	if (depth) {
		struct S_tok *o = &c->toks[stack[depth - 1]];
		S_fail(c, o, "unclosed %s '%.*s'",
		       S_kind(S_tok_node[(int)o->type]), (int)o->name_len,
		       c->src + o->name);
		goto out;
	}
	rc = 0;
out:
	free(stack);
	return rc;
}

/* Returns the start of the line holding pos if only blanks precede pos on
 * it, else S_NONE. */
static size_t S_blank_before(const struct S_compiler *c, size_t pos)
{
	while (pos > 0 && (c->src[pos - 1] == ' ' || c->src[pos - 1] == '\t'))
		pos--;
	return pos == 0 || c->src[pos - 1] == '\n' ? pos : S_NONE;
}

/* Returns the offset after the end of the line holding pos if only blanks
 * follow pos on it, else S_NONE. */
static size_t S_blank_after(const struct S_compiler *c, size_t pos)
{
	while (pos < c->len && (c->src[pos] == ' ' || c->src[pos] == '\t'))
		pos++;
	if (pos == c->len)
		return pos;
	if (c->src[pos] == '\n')
		return pos + 1;
	if (c->src[pos] == '\r' && pos + 1 < c->len && c->src[pos + 1] == '\n')
		return pos + 2;
	return S_NONE;
}

/* Pass 3: marks standalone tags and the source they drop. A tag other than
 * an interpolation alone on its line drops the whole line. The inheritance
 * spec adds pairs of adjacent tags alone on a line: {{<p}}{{/p}},
 * {{<p}}{{$b}} and {{/b}}{{/p}} drop the line; {{$b}}{{/b}} drops only the
 * indentation, which becomes the block's. */
static void S_standalone(struct S_compiler *c)
{
	size_t i, ls, eol;

	for (i = 0; i < c->ntoks; i++) {
		struct S_tok *t = &c->toks[i], *u;
		int keep_newline = 0;

		if (t->type == 'v' || t->type == '&')
			continue;
		if ((ls = S_blank_before(c, t->start)) == S_NONE)
			continue;
		if ((eol = S_blank_after(c, t->end)) != S_NONE) {
			t->standalone = 1;
			t->dedent = t->type == '$';
			t->ind_start = t->cut_start = ls;
			t->cut_end = eol;
			continue;
		}
		if (i + 1 == c->ntoks || c->toks[i + 1].start != t->end)
			continue;
		u = &c->toks[i + 1];
		if ((eol = S_blank_after(c, u->end)) == S_NONE)
			continue;
		if (t->type == '$' && t->match == i + 1)
			keep_newline = 1;
		else if (t->type == '<' && u->type == '$') {
			u->dedent = 1;
			u->ind_start = u->start;
		} else if (!(t->type == '<' && t->match == i + 1) &&
			   !(t->type == '/' && u->type == '/' &&
			     c->toks[t->match].type == '$' &&
			     c->toks[u->match].type == '<'))
			continue;
		t->standalone = u->standalone = keep_newline ? 2 : 1;
		t->ind_start = t->cut_start = ls;
		u->cut_end = keep_newline ? u->end : eol;
		i++;
	}
}

/* Appends a node and returns its index; end defaults to index + 1. */
static size_t S_node_push(struct S_compiler *c, enum S_node_type type)
{
	struct S_node *n;
	if (c->nnodes == c->node_cap) {
		c->node_cap = c->node_cap ? 2 * c->node_cap : 32;
		c->nodes = xrealloc(c->nodes, c->node_cap * sizeof *c->nodes);
	}
	n = &c->nodes[c->nnodes];
	memset(n, 0, sizeof *n);
	n->type = (unsigned char)type;
	n->end = c->nnodes + 1;
	return c->nnodes++;
}

/* Emits source [a, b) as a text node, removing up to strip blanks at the
 * start of each line (the indentation of an enclosing standalone block). */
static void S_emit_text(struct S_compiler *c, size_t a, size_t b, size_t strip)
{
	size_t off = c->pool.len, k, i;
	while (a < b) {
		const char *nl;
		if (strip && (a == 0 || c->src[a - 1] == '\n'))
			a = S_skip_blanks(c->src, a, b, strip);
		nl = memchr(c->src + a, '\n', b - a);
		k = nl ? (size_t)(nl - c->src) + 1 : b;
		buf_append(&c->pool, c->src + a, k - a);
		a = k;
	}
	if (c->pool.len == off)
		return;
	i = S_node_push(c, S_TEXT);
	c->nodes[i].str = off;
	c->nodes[i].len = c->pool.len - off;
	c->nodes[i].bol = (unsigned char)c->at_bol;
	c->at_bol = c->pool.data[c->pool.len - 1] == '\n';
}

/* Stores the name of tag t in the pool for node n: dotted names of
 * variables, sections and dynamic partials split into NUL-separated parts,
 * other names whole. */
static void S_store_name(struct S_compiler *c, const struct S_tok *t,
			 struct S_node *n)
{
	const char *s = c->src + t->name;
	size_t len = t->name_len, i;
	int dotted =
	    n->type != S_PARTIAL && n->type != S_PARENT && n->type != S_BLOCK;

	if (!dotted && s[0] == '*' && n->type != S_BLOCK) {
		for (s++, len--; S_is_space(*s); s++, len--)
			;
		n->dynamic = 1;
		dotted = 1;
	}
	n->str = c->pool.len;
	n->len = len;
	n->nparts = 1;
	if (dotted && len == 1 && s[0] == '.') {
		n->nparts = 0;
	} else if (dotted) {
		for (i = 0; i < len; i++)
			if (s[i] == '.')
				n->nparts++;
	}
	buf_append(&c->pool, s, len);
	buf_putc(&c->pool, '\0');
	if (dotted && n->nparts > 1)
		for (i = n->str; i < n->str + len; i++)
			if (c->pool.data[i] == '.')
				c->pool.data[i] = '\0';
}

/* True if a line ends at q: a newline, CRLF or the limit b. */
static int S_ends_line(const char *src, size_t q, size_t b)
{
	return q == b || src[q] == '\n' ||
	       (src[q] == '\r' && q + 1 < b && src[q + 1] == '\n');
}

/* Computes the indentation shared by the non-blank source lines of the
 * standalone block t (at least strip, that of the enclosing block). Stores
 * in *intrinsic the part of it beyond strip, which the block's content gets
 * back wherever the block is expanded. */
static size_t S_block_dedent(struct S_compiler *c, const struct S_tok *t,
			     size_t strip, size_t *intrinsic,
			     size_t *intrinsic_len)
{
	size_t p = t->cut_end, b = c->toks[t->match].start;
	size_t best = S_NONE, ref = 0, q, k;

	while (p < b) {
		const char *nl;
		q = S_skip_blanks(c->src, p, b, S_NONE);
		if (!S_ends_line(c->src, q, b)) {
			if (best == S_NONE) {
				best = q - p;
				ref = p;
			}
			for (k = 0; k < best && k < q - p; k++)
				if (c->src[p + k] != c->src[ref + k])
					break;
			best = k;
		}
		nl = memchr(c->src + q, '\n', b - q);
		p = nl ? (size_t)(nl - c->src) + 1 : b;
	}
	if (best == S_NONE || best < strip)
		best = strip;
	*intrinsic = ref + strip;
	*intrinsic_len = best - strip;
	return best;
}

/* Pass 4: emits the nodes. Containers are pushed on open and get their end
 * on close; pass 2 guarantees the nesting is well formed. */
static void S_build(struct S_compiler *c)
{
	size_t *open = xmalloc((c->ntoks + 1) * 2 * sizeof *open);
	size_t depth = 0, strip = 0, prev = 0, i, j, ind, ind_len;

	c->at_bol = 1;
	for (i = 0; i < c->ntoks; i++) {
		const struct S_tok *t = &c->toks[i];
		struct S_node *n;

		S_emit_text(c, prev, t->cut_start, strip);
		prev = t->cut_end;
		if (t->type == '!' || t->type == '=')
			continue;
		if (t->type == '/') {
			j = open[--depth * 2];
			if (!t->standalone && c->at_bol &&
			    c->nodes[j].type != S_PARENT) {
				/* push first: it may move c->nodes */
				size_t k = S_node_push(c, S_TEXT);
				c->nodes[k].bol = 1;
			}
			c->nodes[j].end = c->nnodes;
			strip = open[depth * 2 + 1];
			if (t->standalone != 1)
				c->at_bol = 0;
			continue;
		}
		j = S_node_push(c, S_tok_node[(int)t->type]);
		n = &c->nodes[j];
		n->line = t->line;
		n->col = t->col;
		S_store_name(c, t, n);
		if (!t->standalone) {
			n->bol = (unsigned char)c->at_bol;
			c->at_bol = 0;
		} else if (t->type == '>' || t->type == '<' || t->type == '$') {
			n->standalone = 1;
			ind = t->ind_start + strip;
			ind_len = ind < t->start ? t->start - ind : 0;
			if (t->dedent) {
				size_t old = strip, at, len;
				strip = S_block_dedent(c, t, strip, &at, &len);
				open[depth * 2 + 1] = old;
				if (len) {
					ind = at;
					ind_len = len;
				}
			}
			n->indent = c->pool.len;
			n->indent_len = ind_len;
			buf_append(&c->pool, c->src + ind, ind_len);
		}
		if (strchr("#^<$", t->type)) {
			if (!t->dedent)
				open[depth * 2 + 1] = strip;
			open[depth++ * 2] = j;
		}
	}
	S_emit_text(c, prev, c->len, strip);
	free(open);
}

struct mustache_template *mustache_compile(const char *path, const char *text,
					   size_t len,
					   struct mustache_error *err)
{
	struct mustache_error dummy;
	struct mustache_template *t = NULL;
	struct S_compiler c;

	memset(&c, 0, sizeof c);
	c.src = text ? text : "";
	c.len = text ? len : 0;
	c.path = path ? path : "";
	c.err = err ? err : &dummy;
	c.loc_line = 1;
	buf_init(&c.pool);
	if (S_tokenize(&c) < 0 || S_match(&c) < 0)
		goto out;
	S_standalone(&c);
	S_build(&c);
	t = xcalloc(1, sizeof *t);
	t->path = xstrdup(c.path);
	t->nodes = c.nodes;
	t->nnodes = c.nnodes;
	t->pool = buf_detach(&c.pool, NULL);
	c.nodes = NULL;
out:
	free(c.toks);
	free(c.nodes);
	buf_release(&c.pool);
	return t;
}

void mustache_template_free(struct mustache_template *t)
{
	if (!t)
		return;
	free(t->path);
	free(t->nodes);
	free(t->pool);
	free(t);
}

const char *mustache_template_path(const struct mustache_template *t)
{
	return t->path;
}

/* ---- rendering ---------------------------------------------------------- */

/* A parent tag being expanded: its blocks override those of the templates
 * it pulls in. */
struct S_frame {
	const struct mustache_template *t;
	size_t node;
};

/* Slots of a render's memo of resolved partials (a power of two). */
#define S_PARTIAL_MEMO 64

struct S_render {
	const struct mustache_options *opt;
	mustache_escape_fn escape;
	struct buf *out;
	struct mustache_error *err;
	json_t **stack; /* the context stack, top last; borrowed values */
	size_t nstack, stack_cap;
	struct S_frame *frames; /* outermost first */
	size_t nframes, frame_cap;
	struct buf indent; /* indentation in effect: [indent_base, len) */
	size_t indent_base;
	unsigned partials; /* partials and parents being expanded */
	unsigned nesting;  /* containers, partials and blocks being rendered */
	/* partials already resolved in this render, by the tag's node (not
	 * dynamic names): a partial inside a list asks the callback once,
	 * not once per element. Open addressing; node NULL is a free slot. */
	struct S_partial_memo {
		const struct S_node *node;
		const struct mustache_template *tmpl; /* NULL: missing */
	} memo[S_PARTIAL_MEMO];
};

static int S_render_nodes(struct S_render *r, const struct mustache_template *t,
			  size_t i, size_t end);

/* Fails the render at container node n of t when rendering it would nest
 * deeper than MUSTACHE_NESTING_MAX; returns 0 or -1. */
static int S_too_deep(struct S_render *r, const struct mustache_template *t,
		      const struct S_node *n)
{
	if (r->nesting < MUSTACHE_NESTING_MAX)
		return 0;
	mustache_error_set(r->err, t->path, n->line, n->col,
			   "%s '%s' nested more than %d levels deep",
			   S_kind(n->type), t->pool + n->str,
			   MUSTACHE_NESTING_MAX);
	return -1;
}

static void S_push(struct S_render *r, json_t *v)
{
	if (r->nstack == r->stack_cap) {
		r->stack_cap = r->stack_cap ? 2 * r->stack_cap : 16;
		r->stack = xrealloc(r->stack, r->stack_cap * sizeof *r->stack);
	}
	r->stack[r->nstack++] = v;
}

/* Resolves a dotted name (parts NUL-separated; len is the whole name's
 * length) against the context stack. Returns a borrowed value, or NULL
 * when any part is missing. */
static json_t *S_lookup(const struct S_render *r, const char *name,
			unsigned nparts, size_t len)
{
	json_t *v = NULL;
	size_t i;
	unsigned k;

	if (nparts == 0)
		return r->nstack ? r->stack[r->nstack - 1] : NULL;
	size_t first = nparts == 1 ? len : strlen(name);
	for (i = r->nstack; i-- > 0;)
		if (json_is_object(r->stack[i]) &&
		    (v = json_object_getn(r->stack[i], name, first)))
			break;
	for (k = 1; v && k < nparts; k++) {
		name += strlen(name) + 1;
		v = json_is_object(v) ? json_object_get(v, name) : NULL;
	}
	return v;
}

static int S_truthy(const json_t *v)
{
	if (!v || json_is_false(v) || json_is_null(v))
		return 0;
	return !json_is_array(v) || json_array_size(v) > 0;
}

/* Writes d to s[0..size) in the shortest %g form that reads back as d.
 * When that form has at most 15 significant digits, %.15g prints exactly it
 * (15-digit decimals are further apart than normal doubles, and %g drops
 * trailing zeros); otherwise 16 or 17 digits are the shortest. Subnormals
 * have less precision and get the full search. */
static void S_format_real(char *s, size_t size, double d)
{
	/* fast path, the same text: a value in [1e-4, 1e9) that is the
	 * double nearest a decimal with at most 6 places has that decimal
	 * as its %.15g form (at most 15 digits, fixed notation), and prices
	 * are such values */
	double a = fabs(d);
	long long millionths;
	if (a >= 1e-4 && a < 1e9 && size >= 29 &&
	    numtext_as_millionths(d, &millionths) == 0) {
		numtext_millionths(millionths, s);
		return;
	}
	int prec = d != 0 && d > -DBL_MIN && d < DBL_MIN ? 1 : 15;
	for (; prec < 17; prec++) {
		snprintf(s, size, "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			return;
	}
	snprintf(s, size, "%.17g", d);
}

const char *mustache_scalar_text(const json_t *v, char num[40], size_t *len)
{
	const char *s = num;
	switch (json_typeof(v)) {
	case JSON_STRING:
		*len = json_string_length(v);
		return json_string_value(v);
	case JSON_INTEGER:
		*len = numtext_int(json_integer_value(v), num);
		return num;
	case JSON_REAL:
		S_format_real(num, 40, json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		s = json_is_true(v) ? "true" : "false";
		break;
	case JSON_NULL:
	case JSON_OBJECT:
	case JSON_ARRAY:
		*len = 0;
		return NULL;
	}
	*len = strlen(s);
	return s;
}

/* Appends the text of a scalar value, escaped unless raw. */
static void S_put_value(struct S_render *r, json_t *v, int raw)
{
	char num[40];
	size_t n = 0;
	const char *s = mustache_scalar_text(v, num, &n);
	if (!s)
		return;
	if (raw)
		buf_append(r->out, s, n);
	else if (n)
		r->escape(r->out, s, n);
}

static void S_put_indent(struct S_render *r)
{
	if (r->indent.len > r->indent_base)
		buf_append(r->out, r->indent.data + r->indent_base,
			   r->indent.len - r->indent_base);
}

/* Appends template text, indenting each line after the first. */
static void S_put_text(struct S_render *r, const char *s, size_t n)
{
	if (r->indent.len == r->indent_base) {
		buf_append(r->out, s, n);
		return;
	}
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) + 1 : n;
		buf_append(r->out, s, k);
		s += k;
		n -= k;
		if (n)
			S_put_indent(r);
	}
}

/* Renders a section's children once per element of v (an array) or once
 * with v itself pushed. */
static int S_render_section(struct S_render *r,
			    const struct mustache_template *t, size_t i,
			    json_t *v)
{
	size_t k, count = json_is_array(v) ? json_array_size(v) : 1;
	int rc = 0;

	for (k = 0; k < count && rc == 0; k++) {
		S_push(r, json_is_array(v) ? json_array_get(v, k) : v);
		rc = S_render_nodes(r, t, i + 1, t->nodes[i].end);
		r->nstack--;
	}
	return rc;
}

/* Resolves the partial called name for tag node (NULL: do not memoise,
 * the name came from the data), through the memo. Sets *p (NULL: the
 * partial is missing and renders as nothing); returns 0, or -1 when the
 * callback failed (r->err filled). */
static int S_partial_find(struct S_render *r, const struct S_node *node,
			  const char *name, const struct mustache_template **p)
{
	size_t slot = 0;
	if (node) {
		slot = ((uintptr_t)node / sizeof(*node)) & (S_PARTIAL_MEMO - 1);
		for (size_t k = 0; k < S_PARTIAL_MEMO; k++) {
			struct S_partial_memo *m = &r->memo[slot];
			if (m->node == node) {
				*p = m->tmpl;
				return 0;
			}
			if (!m->node)
				break;
			slot = (slot + 1) & (S_PARTIAL_MEMO - 1);
		}
	}
	r->err->message[0] = '\0';
	r->err->path[0] = '\0';
	*p = r->opt->partial(r->opt->partial_ctx, name, r->err);
	if (!*p && r->err->message[0])
		return -1;
	if (node && !r->memo[slot].node)
		r->memo[slot] = (struct S_partial_memo){node, *p};
	return 0;
}

/* Expands partial or parent node i of t. A missing template renders
 * nothing; a callback error or too deep a recursion fails the render. */
static int S_render_partial(struct S_render *r,
			    const struct mustache_template *t, size_t i)
{
	const struct S_node *n = &t->nodes[i];
	const struct mustache_template *p;
	const char *name = t->pool + n->str;
	size_t old_len = r->indent.len, old_base = r->indent_base;
	int rc;

	if (n->dynamic) {
		json_t *v = S_lookup(r, name, n->nparts, n->len);
		if (!json_is_string(v))
			return 0;
		name = json_string_value(v);
	}
	if (!r->opt || !r->opt->partial)
		return 0;
	if (r->partials >= MUSTACHE_PARTIAL_DEPTH_MAX) {
		mustache_error_set(r->err, t->path, n->line, n->col,
				   "%s '%s' nested more than %d levels deep",
				   S_kind(n->type), name,
				   MUSTACHE_PARTIAL_DEPTH_MAX);
		return -1;
	}
	if (S_partial_find(r, n->dynamic ? NULL : n, name, &p) < 0)
		return -1;
	if (!p)
		return 0;
	if (n->type == S_PARENT) {
		if (r->nframes == r->frame_cap) {
			r->frame_cap = r->frame_cap ? 2 * r->frame_cap : 8;
			r->frames = xrealloc(r->frames,
					     r->frame_cap * sizeof *r->frames);
		}
		r->frames[r->nframes].t = t;
		r->frames[r->nframes++].node = i;
	}
	if (n->standalone)
		buf_append(&r->indent, t->pool + n->indent, n->indent_len);
	else
		r->indent_base = r->indent.len;
	r->partials++;
	rc = S_render_nodes(r, p, 0, p->nnodes);
	r->partials--;
	r->indent.len = old_len;
	r->indent_base = old_base;
	if (n->type == S_PARENT)
		r->nframes--;
	return rc;
}

/* Expands block node i of t: the outermost parent that overrides its name
 * supplies the content, else its own children render. */
static int S_render_block(struct S_render *r, const struct mustache_template *t,
			  size_t i)
{
	const struct S_node *n = &t->nodes[i];
	const struct mustache_template *bt = t;
	size_t bi = i, f, j, old_len = r->indent.len, old_base = r->indent_base;
	int rc, found = 0;

	for (f = 0; f < r->nframes && !found; f++) {
		const struct mustache_template *pt = r->frames[f].t;
		size_t end = pt->nodes[r->frames[f].node].end;
		for (j = r->frames[f].node + 1; j < end; j = pt->nodes[j].end) {
			if (pt->nodes[j].type == S_BLOCK &&
			    strcmp(pt->pool + pt->nodes[j].str,
				   t->pool + n->str) == 0) {
				bt = pt;
				bi = j;
				found = 1;
				break;
			}
		}
	}
	if (n->standalone)
		buf_append(&r->indent, t->pool + n->indent, n->indent_len);
	else if (found)
		r->indent_base = r->indent.len;
	rc = S_render_nodes(r, bt, bi + 1, bt->nodes[bi].end);
	r->indent.len = old_len;
	r->indent_base = old_base;
	return rc;
}

/* Renders nodes [i, end) of t. Returns 0 or -1 with r->err filled. */
static int S_render_nodes(struct S_render *r, const struct mustache_template *t,
			  size_t i, size_t end)
{
	int rc = -1;

	r->nesting++;
	while (i < end) {
		const struct S_node *n = &t->nodes[i];
		json_t *v;

		if (n->bol)
			S_put_indent(r);
		if (n->type >= S_SECTION && S_too_deep(r, t, n) < 0)
			goto out;
		switch (n->type) {
		case S_TEXT:
			S_put_text(r, t->pool + n->str, n->len);
			break;
		case S_VAR:
		case S_RAW:
			if ((v = S_lookup(r, t->pool + n->str, n->nparts,
					  n->len)))
				S_put_value(r, v, n->type == S_RAW);
			break;
		case S_SECTION:
			v = S_lookup(r, t->pool + n->str, n->nparts, n->len);
			if (S_truthy(v) && S_render_section(r, t, i, v) < 0)
				goto out;
			break;
		case S_INVERTED:
			v = S_lookup(r, t->pool + n->str, n->nparts, n->len);
			if (!S_truthy(v) &&
			    S_render_nodes(r, t, i + 1, n->end) < 0)
				goto out;
			break;
		case S_PARTIAL:
		case S_PARENT:
			if (S_render_partial(r, t, i) < 0)
				goto out;
			break;
		case S_BLOCK:
			if (S_render_block(r, t, i) < 0)
				goto out;
			break;
		}
		i = n->end;
	}
	rc = 0;
out:
	r->nesting--;
	return rc;
}

int mustache_render(const struct mustache_template *t, json_t *data,
		    const struct mustache_options *opt, struct buf *out,
		    struct mustache_error *err)
{
	struct mustache_error dummy;
	struct S_render r;
	size_t old = out->len;
	int rc;

	memset(&r, 0, sizeof r);
	r.opt = opt;
	r.escape = opt && opt->escape ? opt->escape : mustache_escape_html;
	r.out = out;
	r.err = err ? err : &dummy;
	buf_init(&r.indent);
	if (data)
		S_push(&r, data);
	rc = S_render_nodes(&r, t, 0, t->nnodes);
	if (rc < 0 && out->data) {
		out->len = old;
		out->data[old] = '\0';
	}
	free(r.stack);
	free(r.frames);
	buf_release(&r.indent);
	return rc;
}
