#include "yamldoc.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "xalloc.h"

static struct ynode *S_node_new(enum ynode_kind kind, const char *path,
				yaml_mark_t mark)
{
	struct ynode *n = xcalloc(1, sizeof(*n));
	n->kind = kind;
	n->loc.path = path;
	n->loc.line = (unsigned)mark.line + 1;
	n->loc.col = (unsigned)mark.column + 1;
	return n;
}

void yamldoc_free(struct ynode *node)
{
	if (!node)
		return;
	for (size_t i = 0; i < node->count; i++) {
		if (node->keys)
			yamldoc_free(node->keys[i]);
		yamldoc_free(node->items[i]);
	}
	free(node->keys);
	free(node->items);
	free(node->text);
	free(node);
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

static void S_append(struct ynode *parent, struct ynode *key,
		     struct ynode *value)
{
	/* grow by powers of two: count is a power of two when full */
	size_t n = parent->count;
	if ((n & (n - 1)) == 0) {
		size_t cap = n ? n * 2 : 4;
		parent->items = xrealloc(parent->items, cap * sizeof(void *));
		if (parent->kind == YNODE_MAP)
			parent->keys =
			    xrealloc(parent->keys, cap * sizeof(void *));
	}
	if (parent->kind == YNODE_MAP)
		parent->keys[n] = key;
	parent->items[n] = value;
	parent->count = n + 1;
}

/* Attaches a finished node to the frame on top of the stack. Returns -1
 * (with a diagnostic) on a non-scalar or duplicate mapping key. */
static int S_attach(struct frame *top, struct ynode *node, struct diags *diags)
{
	if (top->node->kind == YNODE_SEQ) {
		S_append(top->node, NULL, node);
		return 0;
	}
	if (!top->pending_key) {
		if (node->kind != YNODE_SCALAR) {
			diag_error(diags, node->loc,
				   "mapping keys must be plain strings");
			yamldoc_free(node);
			return -1;
		}
		if (top->node->count >= YAMLDOC_MAX_KEYS) {
			diag_error(diags, node->loc,
				   "more than %d keys in one mapping",
				   YAMLDOC_MAX_KEYS);
			yamldoc_free(node);
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
			yamldoc_free(node);
			return -1;
		}
		top->pending_key = node;
		return 0;
	}
	S_append(top->node, top->pending_key, node);
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
			struct ynode *n = S_node_new(YNODE_SCALAR, path, mark);
			n->text =
			    xstrndup((const char *)event.data.scalar.value,
				     event.data.scalar.length);
			n->len = event.data.scalar.length;
			n->plain =
			    event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			if (strlen(n->text) != n->len) {
				diag_error(diags, at,
					   "NUL character in a string");
				yamldoc_free(n);
				failed = 1;
			} else if (depth == 0) {
				if (root)
					yamldoc_free(root);
				root = n;
			} else if (S_attach(&stack[depth - 1], n, diags)) {
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
				    S_node_new(type == YAML_SEQUENCE_START_EVENT
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
			} else if (S_attach(&stack[depth - 1], n, diags)) {
				failed = 1;
			}
		}
		yaml_event_delete(&event);
		if (failed || type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	while (depth > 0) {
		depth--;
		yamldoc_free(stack[depth].pending_key);
		yamldoc_free(stack[depth].node);
	}
	if (failed) {
		yamldoc_free(root);
		return NULL;
	}
	if (!root) {
		root = S_node_new(YNODE_MAP, path, (yaml_mark_t){0, 0, 0});
	}
	return root;
}
