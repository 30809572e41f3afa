#include "markdown.h"

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

/* True for URLs a published page may link to: http(s), or a relative
 * path or fragment with neither ':' nor '&' (an entity such as "&#115;"
 * would turn back into a scheme when the CommonMark is parsed again).
 * Anything with another scheme (javascript:, data:, ...) is refused. */
static int S_url_is_safe(const char *url)
{
	if (!url)
		return 0;
	if (strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "https://", 8) == 0)
		return 1;
	return strpbrk(url, ":&") == NULL;
}

/* Removes raw HTML nodes and empties unsafe link URLs. Returns how many
 * nodes it changed. */
static size_t S_sanitise(cmark_node *doc)
{
	cmark_iter *iter = cmark_iter_new(doc);
	cmark_node **doomed = NULL;
	size_t n = 0, cap = 0, changed = 0;
	cmark_event_type ev;
	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(iter);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type t = cmark_node_get_type(node);
		int bad =
		    t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE;
		if ((t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) &&
		    !S_url_is_safe(cmark_node_get_url(node))) {
			/* with the URL gone, a title would be read back as
			 * the destination: drop it too */
			cmark_node_set_url(node, "");
			cmark_node_set_title(node, "");
			changed++;
		}
		if (bad) {
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				doomed =
				    xrealloc(doomed, cap * sizeof(*doomed));
			}
			doomed[n++] = node;
		}
	}
	cmark_iter_free(iter);
	for (size_t i = 0; i < n; i++) {
		cmark_node_unlink(doomed[i]);
		cmark_node_free(doomed[i]);
	}
	free(doomed);
	return changed + n;
}

static cmark_node *S_parse(const char *text, size_t *changed)
{
	cmark_node *doc =
	    cmark_parse_document(text, strlen(text), CMARK_OPT_DEFAULT);
	if (!doc) {
		fputs("stackmap: out of memory\n", stderr);
		exit(3);
	}
	*changed = S_sanitise(doc);
	return doc;
}

char *markdown_to_html(const char *text)
{
	size_t changed;
	cmark_node *doc = S_parse(text, &changed);
	char *html = cmark_render_html(doc, CMARK_OPT_SAFE);
	cmark_node_free(doc);
	char *out = xstrdup(html);
	free(html);
	return out;
}

char *markdown_to_safe_commonmark(const char *text)
{
	size_t changed;
	cmark_node *doc = S_parse(text, &changed);
	if (!changed) {
		/* nothing unsafe: keep the author's own formatting */
		cmark_node_free(doc);
		return xstrdup(text);
	}
	char *md = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
	cmark_node_free(doc);
	char *out = xstrdup(md);
	free(md);
	return out;
}
