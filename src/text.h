/* text: makes strings from outside (catalog, vendors' APIs) safe to show.
 *
 * text_clean drops what no page, feed or export should carry: control
 * characters other than tab and newline, C1 controls, the bidirectional
 * overrides, embeddings, isolates and marks (which can make "exe.txt" read
 * as "txt.exe"), and Unicode noncharacters (invalid in XML); invalid UTF-8
 * becomes U+FFFD. */
#ifndef STACKMAP_TEXT_H
#define STACKMAP_TEXT_H

#include <jansson.h>
#include <stddef.h>

/* Returns a cleaned copy of s[0..len) that the caller frees, or NULL when
 * s needs no cleaning. */
char *text_clean(const char *s, size_t len);

/* Cleans a string value, or every string value inside a JSON tree, in
 * place. */
void text_clean_tree(json_t *tree);

#endif
