/*
 * redirects: what a build writes so that no old link breaks (docs/redirects.md).
 *
 * Into the output (the portal's web root):
 *   _redirects              the portal's own aliases, Netlify / Cloudflare Pages format
 *   gone/<id>/<page>.html   a 410 page (已归档) per archive or unresolved mapping,
 *                           rendered with the theme's `gone` layout
 *   gone/<id>/404.html      the old site's branded 404
 *   gone/<id>/index.html    the whole-site archive's 410 page
 * Beside the output, never inside it (DIR: `--redirects DIR`, default
 * the folder `redirects` next to DEST), swapped in atomically like DEST:
 *   DIR/nginx/<host>.conf   server blocks for nginx's http block
 *   DIR/apache/<host>.conf  a virtual host; DIR/apache/<host>.map its RewriteMap
 *   DIR/redirects.csv       old_url,type,new_url,archive_url,suggested_url
 *   DIR/dropped.csv         mappings that lost to another with the same URL
 *
 * Checks, each an error with file:line that fails the build: targets on the
 * portal must exist in this build (and not be an alias stub: no chains);
 * other targets must be under .gov.cn or .政务 or a host allowed in
 * site.yaml (`redirects: {allow: [example.org]}`); a target on an old host
 * is a chain (or a loop).
 */
#ifndef JIYUE_REDIRECTS_H
#define JIYUE_REDIRECTS_H

#include <stddef.h>

#include "common/date.h"
#include "common/strmap.h"
#include "gen/mappings.h"
#include "gen/output.h"

struct diag_list;
struct theme;
struct value;

struct redirect_stats {
	size_t hosts;              /* old hosts with server configs */
	size_t counts[MAP_TYPES];
	size_t dropped;
	size_t aliases;            /* lines of _redirects */
	int written;               /* the redirects folder was written */
	const char *dir;           /* the folder; lives as long as the build */
};

struct redirects {
	struct mappings map;
	const struct site_config *cfg;
	struct content *content;
	struct cdate today;
	const char *dir;           /* where the redirects folder goes */
	const char *dest;          /* the build's destination */
	const char *source_dir;
	const char **allow;        /* redirects.allow: server names */
	size_t nr_allow;
	struct strmap page_by_rel; /* "fgw/x/" -> struct page, for titles */
	struct strmap alias_rels;  /* output files of alias stubs */
	int archive_index;         /* the portal has /archive/ */
	struct output out;
	size_t map_entries, map_longest;  /* the largest nginx map, its longest key */
	size_t nginx_vars, var_longest;   /* the maps' variables: how many, the longest name */
	struct redirect_stats stats;
};

/*
 * Load the mappings (see mappings.h), the allowlist, and decide where the
 * folder goes: dir_opt, else next to dest.  0, or -1 with errors in diags.
 */
int redirects_load(struct redirects *r, struct arena *a, const struct mappings_input *in,
		   const struct cdate *today, const char *dest, const char *dir_opt,
		   int archive_index, struct diag_list *diags);

/*
 * Once the portal is written into out_dir: check every target, render the
 * gone pages with theme (site: the templates' site value), write
 * _redirects, and write the folder into a temporary one beside it.
 */
int redirects_produce(struct redirects *r, const char *out_dir, struct theme *theme,
		      struct value *site, struct diag_list *diags);

/* Swap the folder into place (after the portal's own swap); 0 or -1 with err. */
int redirects_commit(struct redirects *r, struct strbuf *err);
void redirects_abort(struct redirects *r);
void redirects_release(struct redirects *r);

/* Does the theme need the `gone` layout (is there an old host to serve)? */
int redirects_need_layout(const struct redirects *r);

#endif
