/*
 * theme: finds a theme's folder and gives the renderer its parsed layouts.
 *
 * Lookup for theme NAME: SOURCE/themes/NAME, then $JIYUE_THEME_PATH/NAME,
 * then the bundled themes next
 * to the binary (DIR_OF_BINARY/themes/NAME, as in a checkout) and in the
 * install prefix (DIR_OF_BINARY/../share/jiyue/themes/NAME).
 *
 * Layouts are LAYOUTS/NAME.mustache; partials and parents are looked up by
 * the same rule, so {{>partials/header}} is layouts/partials/header.mustache.
 * A missing partial is an error, not the spec's empty string.
 */
#ifndef JIYUE_THEME_H
#define JIYUE_THEME_H

#include "gen/mustache/mustache.h"

struct diag_list;

struct theme {
	char *dir;         /* the theme's folder */
	char *layouts;     /* dir/layouts */
	struct mu_loader loader;
	struct mu_cache *cache;
};

/* Returns 0, or -1 after adding an error to diags. */
int theme_open(struct theme *t, const char *source_dir, const char *name,
	       struct diag_list *diags);
void theme_release(struct theme *t);

int theme_has_layout(const struct theme *t, const char *name);

/*
 * Parse layout `name` (and everything it includes) now, so that rendering
 * from several threads only reads.  Errors go to diags with file:line:col.
 */
int theme_preload(struct theme *t, const char *name, struct diag_list *diags);

/* Add a mustache error to diags. */
void theme_report(const struct mu_error *err, struct diag_list *diags);

/* The folder holding the running binary (from /proc/self/exe). */
const char *self_dir(void);

#endif
