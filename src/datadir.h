/* datadir: where stackmap finds the files it ships with when the user
 * names none: the default templates and the skeleton of `stackmap init`.
 *
 * A NAME ("templates", "skeleton") is looked up in these folders, and the
 * first that holds it wins:
 *   1. EXE/../share/stackmap   an installed tree, wherever it was moved
 *                              (a DESTDIR staging tree, a copied prefix)
 *   2. EXE                     the source tree the binary was built in
 *   3. STACKMAP_DATADIR        the data folder compiled in: the Makefile's
 *                              DATADIR, $(PREFIX)/share/stackmap
 * where EXE is the folder of the running binary (/proc/self/exe).
 *
 * Ownership: every returned string is the caller's to free. */
#ifndef STACKMAP_DATADIR_H
#define STACKMAP_DATADIR_H

/* The folder NAME in the first data folder above that holds it as a
 * folder, or NULL when none does. */
char *datadir_find(const char *name);

/* The templates folder to use when --templates is not given: ./templates
 * when it exists, else datadir_find("templates"), else "templates" (so
 * that errors name the folder the user would expect). */
char *datadir_templates(void);

#endif
