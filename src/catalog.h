/* catalog: the validated, in-memory form of a catalog directory.
 *
 *   DIR/site.yaml             site settings
 *   DIR/vendors/<id>.yaml     one vendor each, with its offers and signals
 *   DIR/models/<id>.yaml      one model each
 *   DIR/primers/<slug>.md     CommonMark with a YAML front-matter block
 *
 * Ownership: catalog_load fills a caller-owned struct catalog, released with
 * catalog_release; every string and array inside belongs to the catalog.
 * Absent optional values are NULL (strings), NAN (prices), -1 (integers and
 * booleans). Locations borrow path strings owned by the catalog. Vendors,
 * models and primers are sorted by id (slug), offers keep file order. */
#ifndef STACKMAP_CATALOG_H
#define STACKMAP_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct strlist {
	char **items;
	struct loc *locs;
	size_t count;
};

struct model;
struct vendor;

struct offer {
	struct loc loc;
	char *model;
	struct loc model_loc;
	char *remote_id;
	double input;
	double output;
	double cached_input;
	long context;
	char *source;
	struct loc source_loc;
	char *checked;
	struct loc checked_loc;
	char *note;
	/* resolved by validation; borrowed */
	const struct model *model_ref;
};

struct signal {
	struct loc loc;
	char *kind;
	long value_usd;
	char *date;
	char *source;
	char *checked;
	struct loc checked_loc;
	char *note;
};

struct api {
	struct loc loc;
	char *style;
	struct loc style_loc;
	char *base_url;
	char *key_env;
	int openai_compatible;
	char *region;
};

struct vendor {
	struct loc loc;
	char *id;
	struct loc id_loc;
	char *name;
	char *layer;
	long spectrum;
	char *homepage;
	char *summary;
	char *description;
	struct strlist strengths;
	struct strlist via;
	char *docs;
	char *pricing_url;
	struct api *api;
	struct offer *offers;
	size_t n_offers;
	struct signal *signals;
	size_t n_signals;
};

struct model {
	struct loc loc;
	char *id;
	struct loc id_loc;
	char *name;
	char *lab;
	struct loc lab_loc;
	int open_weights;
	char *license;
	long context;
	char *released;
	char *parameters;
	char *summary;
	char *homepage;
	char *source;
	struct strlist frontier_alternatives; /* model ids */
	/* resolved by validation; borrowed */
	const struct vendor *lab_ref;
};

struct primer {
	struct loc loc;
	char *slug;
	char *title;
	char *summary;
	long order;
	char *body; /* CommonMark after the front matter */
};

struct site {
	struct loc loc;
	char *title;
	char *base_url;
	char *description;
	char *language;
	char *repository;
	/* Most offers one page carries (-1: SITE_PAGE_OFFERS): past it the
	 * pricing table is paged and the choose page loads each model's
	 * offers from api/choose/MODEL.json. */
	long page_offers;
};

#define SITE_PAGE_OFFERS 2000

struct catalog {
	char *dir;
	struct vendor *vendors;
	size_t n_vendors;
	struct model *models;
	size_t n_models;
	struct primer *primers;
	size_t n_primers;
	struct site site;
	char **paths; /* owned file paths that locations point into */
	size_t n_paths;
};

/* The layers in stack order, and how many there are. */
extern const char *const catalog_layers[];
extern const size_t catalog_layer_count;
extern const char *const catalog_strengths[];
extern const char *const catalog_api_styles[];
extern const char *const catalog_signal_kinds[];

/* Loads and checks every file of the catalog in dir. Records every problem
 * in diags and returns the number of errors (0 = the catalog is valid).
 * The catalog is filled as far as it could be read either way. */
size_t catalog_load(struct catalog *cat, const char *dir, struct diags *diags);
void catalog_release(struct catalog *cat);

const struct vendor *catalog_find_vendor(const struct catalog *cat,
					 const char *id);
const struct model *catalog_find_model(const struct catalog *cat,
				       const char *id);
/* Index of layer in catalog_layers, or -1. */
int catalog_layer_index(const char *layer);

#endif
