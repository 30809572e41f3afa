/* fuzz_yaml: one catalog file through yamldoc_parse and then schema_load
 * for each of the four schemas (vendor, model, site, primer front matter),
 * as catalog_load does for a file it reads.
 *
 * Checks: a parse either gives a tree or records an error; every node of
 * the tree is well formed (scalars NUL-free with the stated length, keys
 * unique plain strings, 1-based locations, depth within the limit); the
 * UTF-8 verdict agrees with an independent decoder; schema_load's error
 * count matches the errors it recorded; schema_release frees everything
 * (LeakSanitizer). */
#include "fuzz_util.h"

#include "catalog.h"
#include "diag.h"
#include "schema.h"
#include "yamldoc.h"

/* A strict UTF-8 decoder written from RFC 3629, independent of
 * yamldoc_check_utf8: returns 1 when s[0..n) is valid and has no NUL. */
static int S_utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t k;
		unsigned lo = 0x80, hi = 0xBF;
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			k = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			k = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			k = 3;
		else
			return 0;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
		else if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
		if (i + k >= n)
			return 0;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (size_t j = 2; j <= k; j++)
			if (s[i + j] < 0x80 || s[i + j] > 0xBF)
				return 0;
		i += k + 1;
	}
	return 1;
}

static int S_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void S_check_node(const struct ynode *n, unsigned depth)
{
	FUZZ_CHECK(n != NULL, "NULL node in the tree");
	FUZZ_CHECK(depth <= YAMLDOC_MAX_DEPTH + 1, "tree depth %u", depth);
	FUZZ_CHECK(n->loc.line >= 1 && n->loc.col >= 1,
		   "node location %u:%u is not 1-based", n->loc.line,
		   n->loc.col);
	switch (n->kind) {
	case YNODE_SCALAR:
		FUZZ_CHECK(n->text != NULL, "scalar without text");
		FUZZ_CHECK(strlen(n->text) == n->len,
			   "scalar length %zu, strlen %zu", n->len,
			   strlen(n->text));
		FUZZ_CHECK(n->count == 0, "scalar with %zu children", n->count);
		break;
	case YNODE_MAP: {
		/* keys unique: sorted copy, neighbours differ (n log n, so that
		 * big mappings time the parser, not this check) */
		const char **keys = malloc((n->count + 1) * sizeof *keys);
		if (!keys)
			abort();
		for (size_t i = 0; i < n->count; i++) {
			const struct ynode *k = n->keys[i];
			FUZZ_CHECK(k && k->kind == YNODE_SCALAR,
				   "mapping key %zu is not a scalar", i);
			S_check_node(k, depth + 1);
			S_check_node(n->items[i], depth + 1);
			keys[i] = k->text;
		}
		qsort(keys, n->count, sizeof *keys, S_cmp);
		for (size_t i = 1; i < n->count; i++)
			FUZZ_CHECK(strcmp(keys[i - 1], keys[i]) != 0,
				   "duplicate key '%s' kept", keys[i]);
		free(keys);
		for (size_t i = 0; i < n->count && i < 16; i++)
			FUZZ_CHECK(ynode_get(n, n->keys[i]->text) ==
				       n->items[i],
				   "ynode_get('%s') finds another value",
				   n->keys[i]->text);
		break;
	}
	case YNODE_SEQ:
		FUZZ_CHECK(n->keys == NULL, "sequence with keys");
		for (size_t i = 0; i < n->count; i++)
			S_check_node(n->items[i], depth + 1);
		break;
	default:
		FUZZ_CHECK(0, "node kind %d", (int)n->kind);
	}
}

static void S_load(const struct schema *schema, const struct ynode *root)
{
	struct diags d;
	diags_init(&d);
	void *target = calloc(1, schema->size);
	if (!target)
		abort();
	size_t errors = schema_load(schema, root, target, &d);
	FUZZ_CHECK(errors == d.errors,
		   "schema_load(%s) returned %zu errors but recorded %zu",
		   schema->name, errors, d.errors);
	for (size_t i = 0; i < d.count; i++) {
		FUZZ_CHECK(d.items[i].message && d.items[i].message[0],
			   "empty diagnostic");
		fuzz_check_message(d.items[i].message);
		FUZZ_CHECK(d.items[i].path &&
			       strcmp(d.items[i].path, "fuzz.yaml") == 0,
			   "diagnostic names another file");
	}
	schema_release(schema, target);
	free(target);
	diags_release(&d);
}

static FILE *S_devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	S_devnull = fopen("/dev/null", "w");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct schema *const schemas[] = {
	    &schema_vendor, &schema_model, &schema_site, &schema_primer};
	const char *text = (const char *)data;
	struct diags d;

	diags_init(&d);
	int utf8 = yamldoc_check_utf8("fuzz.yaml", text, size, 1, &d);
	FUZZ_CHECK((utf8 == 0) == S_utf8_ok(data, size),
		   "yamldoc_check_utf8 says %d, the reference decoder %d", utf8,
		   S_utf8_ok(data, size));
	FUZZ_CHECK((utf8 == 0) == (d.errors == 0),
		   "yamldoc_check_utf8 returned %d with %zu errors", utf8,
		   d.errors);
	diags_release(&d);

	diags_init(&d);
	struct ynode *root = yamldoc_parse("fuzz.yaml", text, size, &d);
	if (!root) {
		FUZZ_CHECK(d.errors > 0, "yamldoc_parse failed silently");
	} else {
		FUZZ_CHECK(utf8 == 0, "invalid UTF-8 parsed");
		S_check_node(root, 0);
		for (size_t i = 0; i < sizeof schemas / sizeof *schemas; i++)
			S_load(schemas[i], root);
		yamldoc_free(root);
	}
	for (size_t i = 0; i < d.count; i++)
		fuzz_check_message(d.items[i].message);
	if (S_devnull)
		diags_print(&d, S_devnull);
	diags_release(&d);
	return 0;
}
