/* options: what the command line asked for, filled by main.c and read by
 * each command. Strings are borrowed from argv or are string literals. */
#ifndef STACKMAP_OPTIONS_H
#define STACKMAP_OPTIONS_H

#include <stdbool.h>

struct options {
	const char *catalog_dir;   /* --catalog, default "catalog" */
	const char *templates_dir; /* --templates, else datadir_templates() */
	const char *out_dir;	   /* --out, default "site" */
	const char *snapshot; /* --snapshot, default CATALOG/snapshot.json */
	bool quiet;
	bool verbose;
	/* validate */
	bool strict;
	/* probe */
	const char *only; /* comma-separated vendor ids */
	int jobs;	  /* probe: transfers at once; build: processes */
	bool jobs_given;  /* --jobs was given (build defaults to the CPUs) */
	bool force;	  /* build --force: render even when nothing changed */
	double timeout;
	bool accept_shrink;
	/* diff */
	const char *diff_old;
	const char *diff_new;
	const char *format; /* md, json */
	bool diff_check;    /* --check: may NEW replace OLD? */
	/* schema */
	const char *schema_name;
	/* init */
	const char *init_dir;
	/* choose */
	const char *model;	   /* --model: an id, a name or a remote id */
	double input_tokens;	   /* --input-tokens, a month */
	double output_tokens;	   /* --output-tokens, a month */
	double cached_share;	   /* --cached-share, 0..1 */
	bool require_compatible;   /* --require openai-compatible */
	const char *via;	   /* --via VENDOR, NULL for any */
	const char *layer;	   /* --layer LAYER, NULL for any */
	double max_monthly;	   /* --max-monthly USD; negative: no limit */
	const char *choose_format; /* --format: table (NULL), md, json */
};

/* Each command returns an enum exit_code value. */
int validate_run(const struct options *opt);
int build_run(const struct options *opt);
int probe_run(const struct options *opt);
int diff_run(const struct options *opt);
int schema_run(const struct options *opt);
int choose_run(const struct options *opt);
int init_run(const struct options *opt);

#endif
