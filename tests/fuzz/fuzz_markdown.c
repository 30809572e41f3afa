/* fuzz_markdown: markdown_to_html and markdown_to_safe_commonmark on
 * hostile CommonMark (vendor descriptions, primer bodies), and the
 * Markdown escaper the .md pages use for values. Inputs that are not
 * valid UTF-8 or hold a NUL are skipped: the loaders refuse them.
 *
 * Checks:
 * - the HTML has no "<script" and no tag the renderer did not make: every
 *   tag is one of cmark's, with only cmark's attributes (no on...=), and
 *   every href/src is http(s), relative or a fragment (no javascript:,
 *   data:, vbscript:, also not behind entities or case games);
 * - the safe CommonMark, parsed again, has no raw HTML and no link or
 *   image whose URL is unsafe, so a second renderer (GitHub showing the
 *   .md twin) cannot be led into one either;
 * - render_escape_markdown(value) parses as plain text: no HTML, link,
 *   image, code or emphasis node, and no line break. */
#include "fuzz_util.h"

#include <cmark.h>
#include <ctype.h>
#include <strings.h>

#include "buf.h"
#include "markdown.h"
#include "render.h"
#include "yamldoc.h"

/* Tags cmark's HTML renderer writes, and the attributes it gives them. */
static const char *const S_tags[] = {
    "p",  "blockquote", "ul", "ol", "li", "pre", "code",   "h1", "h2",	"h3",
    "h4", "h5",		"h6", "hr", "br", "em",	 "strong", "a",	 "img", NULL};
static const char *const S_attrs[] = {"href",  "title", "src", "alt",
				      "start", "class", NULL};

static int S_in(const char *w, size_t n, const char *const *set)
{
	for (; *set; set++)
		if (strlen(*set) == n && strncasecmp(w, *set, n) == 0)
			return 1;
	return 0;
}

/* Lower-cases a URL the way a browser reads it into out: ASCII blanks
 * and control characters dropped, and with entities set, the character
 * references of an HTML attribute decoded (&amp; &quot; &lt; &gt; &#NN;
 * &#xNN;; a malformed one stays text, as in HTML). */
static void S_url_as_browser(const char *s, size_t n, char *out, size_t size,
			     int entities)
{
	size_t j = 0;
	for (size_t i = 0; i < n && j + 1 < size; i++) {
		unsigned long c = (unsigned char)s[i];
		const char *semi =
		    entities && c == '&' ? memchr(s + i, ';', n - i) : NULL;
		if (semi) {
			size_t len = (size_t)(semi - (s + i)) + 1;
			const char *p = s + i + 1, *digits = p + 1;
			char *stop = NULL;
			if (len == 5 && !strncmp(s + i, "&amp;", 5))
				c = '&';
			else if (len == 6 && !strncmp(s + i, "&quot;", 6))
				c = '"';
			else if (len == 4 && !strncmp(s + i, "&lt;", 4))
				c = '<';
			else if (len == 4 && !strncmp(s + i, "&gt;", 4))
				c = '>';
			else if (*p == '#') {
				int hex = digits[0] == 'x' || digits[0] == 'X';
				c = strtoul(digits + hex, &stop, hex ? 16 : 10);
				if (stop != semi || stop == digits + hex) {
					c = '&';
					len = 1;
				}
			} else {
				len = 1;
			}
			i += len - 1;
		}
		if (c <= 0x20 || c == 0x7f)
			continue;
		out[j++] = (char)tolower((int)(c & 0xff));
	}
	out[j] = '\0';
}

/* The rule markdown.c states: http(s), or no ':' before the first '/',
 * '?' or '#'. */
static int S_safe_url(const char *u)
{
	if (!strncmp(u, "http://", 7) || !strncmp(u, "https://", 8))
		return 1;
	for (const char *p = u; *p; p++) {
		if (*p == '/' || *p == '?' || *p == '#')
			return 1;
		if (*p == ':')
			return 0;
	}
	return 1;
}

static void S_check_html(const char *html)
{
	FUZZ_CHECK(!fuzz_contains_nocase(html, "<script"),
		   "HTML contains <script");
	for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
		const char *q = p + 1;
		if (*q == '/')
			q++;
		size_t n = 0;
		while (isalnum((unsigned char)q[n]))
			n++;
		FUZZ_CHECK(n > 0 && S_in(q, n, S_tags),
			   "HTML has a tag cmark does not write: %.40s", p);
		q += n;
		/* attributes, up to the end of the tag */
		for (;;) {
			while (*q == ' ')
				q++;
			if (*q == '>' || (*q == '/' && q[1] == '>') || !*q)
				break;
			const char *name = q;
			while (isalnum((unsigned char)*q) || *q == '-')
				q++;
			size_t nlen = (size_t)(q - name);
			FUZZ_CHECK(nlen > 0 && S_in(name, nlen, S_attrs),
				   "HTML attribute cmark does not write: "
				   "%.40s",
				   name);
			FUZZ_CHECK(*q == '=' && q[1] == '"',
				   "unquoted attribute: %.40s", name);
			const char *v = q + 2;
			const char *end = strchr(v, '"');
			FUZZ_CHECK(end != NULL, "unterminated attribute");
			if ((nlen == 4 && !strncasecmp(name, "href", 4)) ||
			    (nlen == 3 && !strncasecmp(name, "src", 3))) {
				char url[4096];
				S_url_as_browser(v, (size_t)(end - v), url,
						 sizeof url, 1);
				FUZZ_CHECK(S_safe_url(url),
					   "unsafe URL in HTML: %.200s", url);
			}
			q = end + 1;
		}
	}
}

/* Walks a parsed document; returns the node types seen as a bit set.
 * cmark's CommonMark writer separates two adjacent lists with the comment
 * "<!-- end list -->": that one HTML block is its own, not counted. */
static unsigned long S_walk(cmark_node *doc, int check_urls)
{
	unsigned long seen = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		const char *lit = cmark_node_get_literal(node);
		if (t == CMARK_NODE_HTML_BLOCK && lit &&
		    strcmp(lit, "<!-- end list -->\n") == 0)
			continue;
		seen |= 1UL << t;
		if (check_urls &&
		    (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)) {
			const char *u = cmark_node_get_url(node);
			char url[4096];
			/* cmark has decoded its entities already */
			S_url_as_browser(u ? u : "", strlen(u ? u : ""), url,
					 sizeof url, 0);
			FUZZ_CHECK(S_safe_url(url) ||
				       fuzz_skip("md-entity-url"),
				   "safe CommonMark re-parses to a link to "
				   "%.200s",
				   url);
		}
	}
	cmark_iter_free(it);
	return seen;
}

static void S_check_commonmark(const char *md)
{
	cmark_node *doc =
	    cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	FUZZ_CHECK(doc != NULL, "cmark cannot parse the output");
	unsigned long seen = S_walk(doc, 1);
	FUZZ_CHECK(!(seen & (1UL << CMARK_NODE_HTML_BLOCK)) &&
		       !(seen & (1UL << CMARK_NODE_HTML_INLINE)),
		   "safe CommonMark re-parses with raw HTML:\n%.2000s", md);
	cmark_node_free(doc);
}

static void S_check_escape(const char *text, size_t len)
{
	struct buf b = BUF_INIT;
	/* inside a sentence, as a table cell or a list item shows it */
	buf_puts(&b, "x ");
	render_escape_markdown(&b, text, len);
	buf_puts(&b, " x");
	FUZZ_CHECK(!memchr(b.data, '\n', b.len) && !memchr(b.data, '\r', b.len),
		   "escaped value spans lines");
	cmark_node *doc =
	    cmark_parse_document(b.data, b.len, CMARK_OPT_DEFAULT);
	unsigned long seen = S_walk(doc, 0);
	static const cmark_node_type bad[] = {
	    CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE,
	    CMARK_NODE_LINK,	   CMARK_NODE_IMAGE,
	    CMARK_NODE_CODE,	   CMARK_NODE_EMPH,
	    CMARK_NODE_STRONG,	   CMARK_NODE_CODE_BLOCK,
	    CMARK_NODE_LINEBREAK};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		FUZZ_CHECK(!(seen & (1UL << bad[i])),
			   "escaped value parses with a %s node: %.200s",
			   cmark_node_get_type_string(
			       cmark_node_new(bad[i])), /* leaks: aborting */
			   b.data);
	cmark_node_free(doc);
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Descriptions and primers are valid UTF-8 without NUL: yamldoc and
	 * the primer loader refuse anything else. */
	struct diags d;
	diags_init(&d);
	int utf8 =
	    yamldoc_check_utf8("fuzz.md", (const char *)data, size, 1, &d);
	diags_release(&d);
	if (utf8 != 0)
		return 0;
	char *text = fuzz_strndup((const char *)data, size);
	size_t len = strlen(text);

	char *html = markdown_to_html(text);
	FUZZ_CHECK(html != NULL, "markdown_to_html returned NULL");
	S_check_html(html);
	free(html);

	char *md = markdown_to_safe_commonmark(text);
	FUZZ_CHECK(md != NULL, "markdown_to_safe_commonmark returned NULL");
	S_check_commonmark(md);
	free(md);

	if (len <= 1024)
		S_check_escape(text, len);
	free(text);
	return 0;
}
