/* schema: the catalog format described once, as tables of fields. The same
 * tables drive loading a YAML node into a C struct (types, enums, required
 * and unknown keys with a did-you-mean hint) and writing the JSON Schemas
 * that editors use (catalog/schema/NAME.schema.json).
 *
 * Ownership: schema_load allocates the strings and arrays it stores into the
 * target struct; they belong to that struct's owner (see catalog.h). */
#ifndef STACKMAP_SCHEMA_H
#define STACKMAP_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "yamldoc.h"

enum field_type {
	FT_ID,		  /* [a-z0-9][a-z0-9-]* */
	FT_MODEL_ID,	  /* [a-z0-9][a-z0-9.-]* */
	FT_LINE,	  /* one line of plain text */
	FT_TEXT,	  /* text, may span lines (CommonMark) */
	FT_URL,		  /* http:// or https:// URL */
	FT_DATE,	  /* YYYY-MM-DD, a real date */
	FT_ENV,		  /* environment variable name */
	FT_ENUM,	  /* one of values */
	FT_ENUM_LIST,	  /* list of distinct values */
	FT_ID_LIST,	  /* list of distinct ids */
	FT_MODEL_ID_LIST, /* list of distinct model ids */
	FT_INT,		  /* integer in [min, max], stored as long */
	FT_NUMBER,	  /* finite number >= 0, stored as double */
	FT_BOOL,	  /* true or false, stored as int */
	FT_OBJECT,	/* nested mapping, stored as a pointer to sub struct */
	FT_OBJECT_LIST, /* list of mappings, stored as array + count */
};

struct schema;

struct field {
	const char *name;
	enum field_type type;
	bool required;
	size_t offset; /* of the value in the struct */
	size_t
	    loc_offset; /* offset + 1 of a struct loc for the value; 0 none */
	size_t count_offset;	   /* FT_OBJECT_LIST: the size_t count */
	const char *const *values; /* FT_ENUM, FT_ENUM_LIST */
	long min, max;		   /* FT_INT */
	const struct schema *sub;  /* FT_OBJECT, FT_OBJECT_LIST */
	const char *description;   /* for the JSON Schema */
};

struct schema {
	const char *name;  /* how messages call it: "vendor", "offer" */
	const char *title; /* JSON Schema title */
	const struct field *fields;
	size_t n_fields;
	size_t size;	   /* sizeof the struct */
	size_t loc_offset; /* offset of the struct's own struct loc */
};

extern const struct schema schema_vendor;
extern const struct schema schema_model;
extern const struct schema schema_site;
extern const struct schema schema_primer;

/* Fills target (a zeroed struct of schema->size bytes) from node. Absent
 * optional values are set to NULL / NAN / -1. Returns the number of errors
 * recorded. */
size_t schema_load(const struct schema *schema, const struct ynode *node,
		   void *target, struct diags *diags);
/* Frees what schema_load stored in target (not target itself). */
void schema_release(const struct schema *schema, void *target);

/* Returns a new JSON Schema (draft 2020-12) for schema; caller decrefs. */
json_t *schema_to_json(const struct schema *schema);

/* Checks syntax of single values; exported for tests and other modules. */
bool schema_is_id(const char *s);
bool schema_is_model_id(const char *s);
bool schema_is_url(const char *s);
bool schema_is_date(const char *s);
/* Levenshtein distance, capped at cap + 1. */
size_t schema_edit_distance(const char *a, const char *b, size_t cap);

/* Whether a word at edit distance d from what the user typed is close
 * enough to suggest: at most `most`, and at most a third of the typed
 * length (at least 1), so that "x" suggests nothing. */
bool schema_close_enough(const char *typed, size_t d, size_t most);

#endif
