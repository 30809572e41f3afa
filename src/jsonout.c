#include "jsonout.h"

#include <string.h>

#include "mustache.h"

void jsonout_string(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;
	buf_grow(out, len + 2);
	buf_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F)
			continue;
		buf_append(out, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':
			buf_puts(out, "\\\"");
			break;
		case '\\':
			buf_puts(out, "\\\\");
			break;
		case '\n':
			buf_puts(out, "\\n");
			break;
		case '\t':
			buf_puts(out, "\\t");
			break;
		case '\r':
			buf_puts(out, "\\r");
			break;
		default: {
			char esc[7] = {'\\',	    'u',	 '0', '0',
				       hex[c >> 4], hex[c & 15], 0};
			buf_puts(out, esc);
		}
		}
	}
	buf_append(out, s + run, len - run);
	buf_putc(out, '"');
}

void jsonout_key(struct buf *out, const char *key, int *first)
{
	if (!*first)
		buf_putc(out, ',');
	*first = 0;
	jsonout_string(out, key, strlen(key));
	buf_putc(out, ':');
}

void jsonout_object_without(struct buf *out, const json_t *obj,
			    const char *skip)
{
	const char *key;
	json_t *value;
	int first = 1;
	buf_putc(out, '{');
	json_object_foreach((json_t *)obj, key, value)
	{
		if (skip && strcmp(key, skip) == 0)
			continue;
		jsonout_key(out, key, &first);
		jsonout_write(out, value);
	}
	buf_putc(out, '}');
}

void jsonout_write(struct buf *out, const json_t *v)
{
	char num[40];
	size_t len;
	const char *text;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		jsonout_object_without(out, v, NULL);
		break;
	case JSON_ARRAY: {
		size_t i;
		json_t *value;
		buf_putc(out, '[');
		json_array_foreach(v, i, value)
		{
			if (i)
				buf_putc(out, ',');
			jsonout_write(out, value);
		}
		buf_putc(out, ']');
		break;
	}
	case JSON_STRING:
		jsonout_string(out, json_string_value(v),
			       json_string_length(v));
		break;
	case JSON_INTEGER:
	case JSON_TRUE:
	case JSON_FALSE:
		text = mustache_scalar_text(v, num, &len);
		buf_append(out, text, len);
		break;
	case JSON_REAL:
		text = mustache_scalar_text(v, num, &len);
		buf_append(out, text, len);
		if (!strpbrk(text, ".e"))
			buf_puts(out, ".0");
		break;
	case JSON_NULL:
		buf_puts(out, "null");
		break;
	}
}
