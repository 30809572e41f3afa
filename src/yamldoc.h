/* yamldoc: reads one YAML file into a small node tree that remembers where
 * each node stands, refusing what a catalog never needs and an attacker
 * would use: files over 4 MiB, invalid UTF-8, aliases and anchors, tags,
 * nesting deeper than 64, mappings of more than 1000 keys, more than one
 * document, duplicate mapping keys.
 *
 * Ownership: yamldoc_parse returns a tree the caller frees with
 * yamldoc_free(root); every node, scalar and key inside it belongs to the
 * tree, which allocates them from a few large blocks (a catalog of 100,000
 * offers is millions of nodes: one malloc and one free each cost more
 * than the parse). Only the root can be freed; its subtrees go with it.
 * Node locations borrow the path string passed to yamldoc_parse, which must
 * outlive the tree. */
#ifndef STACKMAP_YAMLDOC_H
#define STACKMAP_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

#define YAMLDOC_MAX_BYTES (4u * 1024u * 1024u)
#define YAMLDOC_MAX_DEPTH 64
/* Keys in one mapping: a catalog mapping has a few dozen at most, and the
 * duplicate-key check is linear per key. */
#define YAMLDOC_MAX_KEYS 1000

enum ynode_kind {
	YNODE_SCALAR,
	YNODE_MAP,
	YNODE_SEQ,
};

struct ynode {
	enum ynode_kind kind;
	struct loc loc;
	/* scalar */
	char *text;
	size_t len;
	bool plain; /* unquoted, not a block scalar */
	/* map: keys[i] -> items[i]; seq: items[i] */
	struct ynode **keys;
	struct ynode **items;
	size_t count;
	/* the root only: the blocks that hold the whole tree (private) */
	void *blocks;
};

/* Parses text (len bytes) read from path. Returns the root node, or NULL
 * after recording errors in diags. An empty document gives an empty map. */
struct ynode *yamldoc_parse(const char *path, const char *text, size_t len,
			    struct diags *diags);
/* Frees the tree of root (NULL: nothing). */
void yamldoc_free(struct ynode *root);

/* Checks text for valid UTF-8; on failure records an error at the first bad
 * byte and returns -1. Returns 0 when the text is valid. */
int yamldoc_check_utf8(const char *path, const char *text, size_t len,
		       unsigned first_line, struct diags *diags);

/* Looks up key in a map node; NULL when absent or when node is no map. */
struct ynode *ynode_get(const struct ynode *map, const char *key);

#endif
