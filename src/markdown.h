/* markdown: CommonMark through cmark, made safe for publishing.
 * Both functions drop raw HTML (blocks and inline) and neutralise links and
 * images whose URL is not http(s), relative or a fragment.
 * Ownership: both return a new string the caller frees. */
#ifndef STACKMAP_MARKDOWN_H
#define STACKMAP_MARKDOWN_H

/* Renders CommonMark to HTML (cmark's safe mode plus the URL rule). */
char *markdown_to_html(const char *text);
/* For the Markdown pages: returns text unchanged when it holds no raw HTML
 * and no unsafe link, and otherwise re-emits it through cmark with those
 * removed. */
char *markdown_to_safe_commonmark(const char *text);

#endif
