#include "yamldoc.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "xalloc.h"

/* A block of a tree's memory; blocks form a list, newest first. */
struct S_block {
	struct S_block *next;
	size_t used, cap;
	max_align_t data[];
};

/* The smallest block: most catalog files fit in one or two. */
#define S_BLOCK_MIN ((size_t)16 * 1024)

/* n zeroed bytes from the tree's blocks, aligned as malloc's. */
static void *S_alloc(struct S_block **blocks, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	struct S_block *b = *blocks;
	if (!b || b->cap - b->used < n) {
		size_t cap = b ? 2 * b->cap : S_BLOCK_MIN;
		while (cap < n)
			cap *= 2;
		b = xmalloc(sizeof(*b) + cap);
		b->next = *blocks;
		b->used = 0;
		b->cap = cap;
		*blocks = b;
	}
	char *p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

static void S_blocks_free(struct S_block *b)
{
	while (b) {
		struct S_block *next = b->next;
		free(b);
		b = next;
	}
}

static struct ynode *S_node_new(struct S_block **blocks, enum ynode_kind kind,
				const char *path, yaml_mark_t mark)
{
	struct ynode *n = S_alloc(blocks, sizeof(*n));
	n->kind = kind;
	n->loc.path = path;
	n->loc.line = (unsigned)mark.line + 1;
	n->loc.col = (unsigned)mark.column + 1;
	return n;
}

void yamldoc_free(struct ynode *root)
{
	if (root)
		S_blocks_free(root->blocks);
}

struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->count; i++)
		if (strcmp(map->keys[i]->text, key) == 0)
			return map->items[i];
	return NULL;
}

/* Finds the 1-based line and column of byte offset in text. */
static struct loc S_loc_of_offset(const char *path, const char *text,
				  size_t offset, unsigned first_line)
{
	struct loc at = {path, first_line, 1};
	for (size_t i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			at.line++;
			at.col = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			at.col++;
		}
	}
	return at;
}

int yamldoc_check_utf8(const char *path, const char *text, size_t len,
		       unsigned first_line, struct diags *diags)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		size_t need;
		unsigned min;
		if (c < 0x80) {
			if (c == 0) {
				diag_error(
				    diags,
				    S_loc_of_offset(path, text, i, first_line),
				    "NUL byte in text file");
				return -1;
			}
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			need = 1, min = 0x80, c &= 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2, min = 0x800, c &= 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3, min = 0x10000, c &= 0x07;
		} else {
			goto bad;
		}
		for (size_t k = 1; k <= need; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
				goto bad;
			c = (c << 6) | (s[i + k] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			goto bad;
		i += need + 1;
	}
	return 0;
bad:
	diag_error(diags, S_loc_of_offset(path, text, i, first_line),
		   "invalid UTF-8 (byte 0x%02X)", s[i]);
	return -1;
}

struct frame {
	struct ynode *node;
	struct ynode *pending_key; /* map only: key waiting for its value */
};

/* A copy of the n pointers at old in room for cap. */
static struct ynode **S_grown(struct S_block **blocks, struct ynode **old,
			      size_t n, size_t cap)
{
	struct ynode **p = S_alloc(blocks, cap * sizeof(*p));
	if (n)
		memcpy(p, old, n * sizeof(*p));
	return p;
}

static void S_append(struct S_block **blocks, struct ynode *parent,
		     struct ynode *key, struct ynode *value)
{
	/* grow by powers of two (count is a power of two when full); the
	 * old arrays stay in the blocks until the tree is freed */
	size_t n = parent->count;
	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
		size_t cap = n ? n * 2 : 4;
		parent->items = S_grown(blocks, parent->items, n, cap);
		if (parent->kind == YNODE_MAP)
			parent->keys = S_grown(blocks, parent->keys, n, cap);
	}
	if (parent->kind == YNODE_MAP)
		parent->keys[n] = key;
	parent->items[n] = value;
	parent->count = n + 1;
}

/* Attaches a finished node to the frame on top of the stack. Returns -1
 * (with a diagnostic) on a non-scalar or duplicate mapping key. */
static int S_attach(struct S_block **blocks, struct frame *top,
		    struct ynode *node, struct diags *diags)
{
	if (top->node->kind == YNODE_SEQ) {
		S_append(blocks, top->node, NULL, node);
		return 0;
	}
	if (!top->pending_key) {
		if (node->kind != YNODE_SCALAR) {
			diag_error(diags, node->loc,
				   "mapping keys must be plain strings");
			return -1;
		}
		if (top->node->count >= YAMLDOC_MAX_KEYS) {
			diag_error(diags, node->loc,
				   "more than %d keys in one mapping",
				   YAMLDOC_MAX_KEYS);
			return -1;
		}
		struct ynode *dup = NULL;
		for (size_t i = 0; i < top->node->count; i++)
			if (strcmp(top->node->keys[i]->text, node->text) == 0)
				dup = top->node->keys[i];
		if (dup) {
			diag_error(diags, node->loc,
				   "duplicate key '%s' (first at line %u)",
				   node->text, dup->loc.line);
			return -1;
		}
		top->pending_key = node;
		return 0;
	}
	S_append(blocks, top->node, top->pending_key, node);
	top->pending_key = NULL;
	return 0;
}

static void S_parser_error(yaml_parser_t *parser, const char *path,
			   const char *text, struct diags *diags)
{
	struct loc at;
	if (parser->error == YAML_READER_ERROR)
		at = S_loc_of_offset(path, text, parser->problem_offset, 1);
	else
		at = (struct loc){path, (unsigned)parser->problem_mark.line + 1,
				  (unsigned)parser->problem_mark.column + 1};
	if (parser->context)
		diag_error(diags, at, "invalid YAML: %s %s", parser->problem,
			   parser->context);
	else
		diag_error(diags, at, "invalid YAML: %s",
			   parser->problem ? parser->problem : "parse error");
}

struct ynode *yamldoc_parse(const char *path, const char *text, size_t len,
			    struct diags *diags)
{
	struct ynode *root = NULL;
	struct S_block *blocks = NULL; /* every node of the tree */
	struct frame stack[YAMLDOC_MAX_DEPTH + 1];
	size_t depth = 0;
	int documents = 0;
	int failed = 0;
	yaml_parser_t parser;
	yaml_event_t event;

	if (len > YAMLDOC_MAX_BYTES) {
		diag_error(diags, (struct loc){path, 0, 0},
			   "file is %zu bytes; the limit is %u bytes (4 MiB)",
			   len, YAMLDOC_MAX_BYTES);
		return NULL;
	}
	if (yamldoc_check_utf8(path, text, len, 1, diags) != 0)
		return NULL;
	if (!yaml_parser_initialize(&parser)) {
		diag_error(diags, (struct loc){path, 0, 0},
			   "cannot initialise the YAML parser");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	for (;;) {
		if (!yaml_parser_parse(&parser, &event)) {
			S_parser_error(&parser, path, text, diags);
			failed = 1;
			break;
		}
		yaml_event_type_t type = event.type;
		yaml_mark_t mark = event.start_mark;
		struct loc at = {path, (unsigned)mark.line + 1,
				 (unsigned)mark.column + 1};
		const yaml_char_t *anchor = NULL, *tag = NULL;
		if (type == YAML_SCALAR_EVENT) {
			anchor = event.data.scalar.anchor;
			tag = event.data.scalar.tag;
		} else if (type == YAML_SEQUENCE_START_EVENT) {
			anchor = event.data.sequence_start.anchor;
			tag = event.data.sequence_start.tag;
		} else if (type == YAML_MAPPING_START_EVENT) {
			anchor = event.data.mapping_start.anchor;
			tag = event.data.mapping_start.tag;
		}
		if (type == YAML_ALIAS_EVENT) {
			diag_error(diags, at,
				   "YAML aliases are not allowed in a catalog");
			failed = 1;
		} else if (anchor) {
			diag_error(diags, at,
				   "YAML anchors are not allowed in a catalog");
			failed = 1;
		} else if (tag) {
			diag_error(diags, at,
				   "YAML tags are not allowed in a catalog");
			failed = 1;
		} else if (type == YAML_DOCUMENT_START_EVENT &&
			   ++documents > 1) {
			diag_error(
			    diags, at,
			    "only one YAML document per file is allowed");
			failed = 1;
		} else if (type == YAML_SCALAR_EVENT) {
			struct ynode *n =
			    S_node_new(&blocks, YNODE_SCALAR, path, mark);
			n->len = event.data.scalar.length;
			n->text = S_alloc(&blocks, n->len + 1);
			memcpy(n->text, event.data.scalar.value, n->len);
			n->plain =
			    event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			if (strlen(n->text) != n->len) {
				diag_error(diags, at,
					   "NUL character in a string");
				failed = 1;
			} else if (depth == 0) {
				root = n;
			} else if (S_attach(&blocks, &stack[depth - 1], n,
					    diags)) {
				failed = 1;
			}
		} else if (type == YAML_SEQUENCE_START_EVENT ||
			   type == YAML_MAPPING_START_EVENT) {
			if (depth >= YAMLDOC_MAX_DEPTH) {
				diag_error(diags, at,
					   "nesting deeper than %d levels",
					   YAMLDOC_MAX_DEPTH);
				failed = 1;
			} else {
				struct ynode *n =
				    S_node_new(&blocks,
					       type == YAML_SEQUENCE_START_EVENT
						   ? YNODE_SEQ
						   : YNODE_MAP,
					       path, mark);
				stack[depth].node = n;
				stack[depth].pending_key = NULL;
				depth++;
			}
		} else if ((type == YAML_SEQUENCE_END_EVENT ||
			    type == YAML_MAPPING_END_EVENT) &&
			   depth > 0) {
			struct ynode *n = stack[--depth].node;
			if (depth == 0) {
				root = n;
			} else if (S_attach(&blocks, &stack[depth - 1], n,
					    diags)) {
				failed = 1;
			}
		}
		yaml_event_delete(&event);
		if (failed || type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	if (failed) {
		S_blocks_free(blocks);
		return NULL;
	}
	if (!root)
		root = S_node_new(&blocks, YNODE_MAP, path,
				  (yaml_mark_t){0, 0, 0});
	root->blocks = blocks;
	return root;
}
