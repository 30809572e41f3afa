#include "text.h"

#include <stdbool.h>
#include <stdlib.h>

#include "buf.h"

/* Decodes one UTF-8 sequence at s (n bytes left). Returns its length and
 * the code point, or 0 for an invalid sequence. */
static size_t S_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	size_t need;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		need = 1, min = 0x80, c &= 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		need = 2, min = 0x800, c &= 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		need = 3, min = 0x10000, c &= 0x07;
	} else {
		return 0;
	}
	if (need >= n)
		return 0;
	for (size_t k = 1; k <= need; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[k] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return need + 1;
}

static bool S_unwanted(unsigned cp)
{
	if (cp < 0x20)
		return cp != '\t' && cp != '\n';
	if (cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
		return true;
	if (cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return true; /* bidirectional controls */
	if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
		return true; /* noncharacters */
	return false;
}

char *text_clean(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	unsigned cp;
	/* fast paths: most strings are printable ASCII, and clean */
	while (i < len &&
	       ((p[i] >= 0x20 && p[i] < 0x7F) || p[i] == '\n' || p[i] == '\t'))
		i++;
	while (i < len) {
		size_t k = S_decode(p + i, len - i, &cp);
		if (!k || S_unwanted(cp))
			break;
		i += k;
	}
	if (i == len)
		return NULL;
	struct buf out = BUF_INIT;
	buf_append(&out, s, i);
	while (i < len) {
		size_t k = S_decode(p + i, len - i, &cp);
		if (!k) {
			buf_puts(&out, "\xEF\xBF\xBD"); /* U+FFFD */
			i++;
			continue;
		}
		if (!S_unwanted(cp))
			buf_append(&out, s + i, k);
		i += k;
	}
	return buf_detach(&out, NULL);
}

/* Cleans one string value in place. */
static void S_clean_string(json_t *value)
{
	char *c =
	    text_clean(json_string_value(value), json_string_length(value));
	if (c) {
		json_string_set(value, c);
		free(c);
	}
}

void text_clean_tree(json_t *tree)
{
	size_t i;
	const char *key;
	json_t *value;
	if (json_is_string(tree)) {
		S_clean_string(tree);
	} else if (json_is_object(tree)) {
		json_object_foreach(tree, key, value) text_clean_tree(value);
	} else if (json_is_array(tree)) {
		json_array_foreach(tree, i, value) text_clean_tree(value);
	}
}
