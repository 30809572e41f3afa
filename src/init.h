/* init: `stackmap init DIR` starts a catalog project of one's own. DIR
 * gets
 *   catalog/          the skeleton's example catalog: a few vendors and
 *                     models copied from the bundled catalog and marked as
 *                     examples, a primer and a site.yaml
 *   catalog/schema/   the JSON Schemas of the catalog files, written from
 *                     this binary's own tables (as `make schemas` does)
 *   templates/        a copy of the templates stackmap would use here
 *                     (--templates, ./templates or the installed ones)
 *   README.md         what to do next
 * so that `cd DIR && stackmap build` works at once. The skeleton is the
 * folder "skeleton" of the data folders that datadir.h searches.
 *
 * DIR must be new or empty: init never overwrites a file, and when it
 * fails it removes what it created. Exit status: EXIT_OK; EXIT_USAGE when
 * DIR is not an empty folder; EXIT_SYSTEM when the skeleton or the
 * templates cannot be found or a file cannot be read or written.
 *
 * init_run is declared in options.h with the other commands. */
#ifndef STACKMAP_INIT_H
#define STACKMAP_INIT_H

/* Files larger than this are not copied into a new project. */
#define INIT_FILE_MAX_BYTES (16u << 20)

#endif
