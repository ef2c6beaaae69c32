/*
 * mappings: where every URL of every old site goes (GOV.UK's transition
 * model, DOMAIN.md last section).  A mapping is one canonical old URL and
 * its type:
 *
 *   redirect    301 to a new URL (a page of the portal, or an allowed site)
 *   archive     410 page saying 已归档, linking to the archived copy and to a
 *               suggested page
 *   unresolved  no decision yet: served as archive
 *
 * Sources, in the order they are read (the first of equal type wins):
 *  1. content/sites/<id>.mappings.csv, GOV.UK's import format: a header
 *     `old url,new url` (optional further columns `suggested url` and
 *     `archive url`); a blank new url is unresolved, ARCHIVE is archive.
 *     An old url is a path or a full URL on one of the site's hosts.
 *  2. page front matter `aliases` that are full URLs on an old host:
 *     redirects to that page.
 *  3. the archiver's manifest (ARCHIVE/<id>/manifest.jsonl) of each
 *     published capture: every archived URL maps to its archived copy
 *     /archive/<id>/<path> unless mapped otherwise; mappings of the other
 *     sources get the copy as their archive_url.
 * Duplicates (URLs that canonicalise alike) resolve redirect > archive >
 * unresolved, then the first wins; the losers are kept in `dropped`.
 *
 * A site record may instead declare a whole-site mode, which overrides every
 * per-URL mapping (GOV.UK's global redirect / global archive):
 *   whole_site: {mode: redirect, to: https://www.example.gov.cn/fgw/, append_path: false}
 *   whole_site: {mode: archive}        (or simply `whole_site: archive`)
 *
 * Canonical form (mapping_key()): the archiver's url_canonical() with the
 * record's hosts and query_params (so mappings and manifests agree: lower-
 * case host folded onto the record's first host, no fragment, normalised
 * percent-encoding, only significant query parameters, sorted), then
 * reduced to the path and query: "/show.asp?id=12".  Parameter names are
 * compared ignoring case, as ASP does.
 *
 * Everything is allocated from the arena given to mappings_load().
 */
#ifndef JIYUE_MAPPINGS_H
#define JIYUE_MAPPINGS_H

#include <stddef.h>

#include "common/siterec.h"
#include "common/strmap.h"

struct arena;
struct archives;
struct content;
struct diag_list;
struct notice;
struct notices;
struct site_config;
struct strbuf;

enum mapping_type { MAP_REDIRECT, MAP_ARCHIVE, MAP_UNRESOLVED, MAP_TYPES };

enum whole_site_mode { WHOLE_NONE, WHOLE_REDIRECT, WHOLE_ARCHIVE };

struct mapping {
	enum mapping_type type;
	const char *key;           /* canonical path and query: "/show.asp?id=12" */
	const char *old_url;       /* http://HOST/key, HOST the record's first host */
	const char *new_url;       /* redirect: as written (path or URL); else NULL */
	const char *target;        /* redirect: the absolute URL sent in Location (set by redirects_produce) */
	const char *target_rel;    /* redirect to the portal: the path below its root, decoded */
	const char *archive_url;   /* the archived copy, absolute on the portal; or NULL */
	const char *archive_rel;   /* the same below the output root (for checks); or NULL */
	const char *suggested_url; /* archive/unresolved: a page to try instead; or NULL */
	const char *suggested_title;
	const char *file;          /* where it was declared */
	unsigned line, col;
	const char *page;          /* archive/unresolved: its 410 page below gone/<id>/ */
	struct old_site *site;
};

/* A mapping that lost to another one with the same canonical URL. */
struct dropped_mapping {
	struct mapping *m;
	const struct mapping *kept;
	const char *reason;
};

struct old_site {
	struct site_record rec;
	int serves;                /* has mappings, a capture, a closure notice or a whole-site mode */
	const char **names;        /* server names: the record's hosts, punycode, no port, unique */
	size_t nr_names;
	const char **params;       /* significant query parameters, lower case, sorted; NULL: all */
	size_t nr_params;
	int all_params;            /* query_params not given: every parameter counts */
	enum whole_site_mode whole;
	const char *whole_to;      /* whole-site redirect: its URL as written */
	const char *whole_target;  /* the same, absolute (set by redirects_produce) */
	int append_path;
	unsigned whole_line, whole_col;
	struct notice *closure;    /* the closure notice about this site, or NULL */
	const char *target;        /* where `/` goes after the notice: as written, or NULL */
	const char *target_file;   /* where target was declared */
	unsigned target_line, target_col;
	const char *home_target;   /* the same, absolute (set by redirects_produce) */
	const char *home_title;    /* the title of that page when it is the portal's */
	const char *archive_url;   /* the published capture /archive/<id>/, absolute; or NULL */
	struct mapping **items;    /* sorted by key once loaded */
	size_t nr, alloc;
	struct strmap by_key;
	size_t counts[MAP_TYPES];
};

struct mappings {
	struct arena *arena;
	const struct site_config *cfg;
	struct old_site **sites;   /* every usable record, by id; those with `serves` get configs */
	size_t nr_sites, alloc_sites;
	struct strmap by_name;     /* server name -> old_site */
	struct dropped_mapping *dropped;
	size_t nr_dropped, alloc_dropped;
};

struct mappings_input {
	const char *source_dir;
	const struct site_config *cfg;
	struct content *content;          /* NULL: no aliases, no department targets */
	const struct notices *notices;    /* may be NULL */
	const struct archives *archives;  /* may be NULL */
};

/*
 * Load every site record of content/sites/ and, for those with mappings, a
 * capture, a closure notice or a whole-site mode, their mappings.  Errors
 * (file:line:col) go to diags.  Returns 0 or -1.
 */
int mappings_load(struct mappings *m, struct arena *a, const struct mappings_input *in,
		  struct diag_list *diags);
void mappings_release(struct mappings *m);

/* Index of the records' sites: a site by its server name (lower case, punycode), or NULL. */
struct old_site *mappings_site_of_host(const struct mappings *m, const char *name);

/*
 * Canonical key of an old URL of site s: url is a full http(s) URL on one of
 * its hosts or a path starting with '/'.  Appends to key; returns 0, or -1
 * with *why set (a phrase for an error message).
 */
int mapping_key(const struct old_site *s, const char *url, struct strbuf *key, const char **why);

/* Set up s's hosts and parameters from s->rec (for mapping_key()); 0 or -1 with diags. */
int old_site_prepare(struct old_site *s, struct arena *a, struct diag_list *diags);

const char *mapping_type_name(enum mapping_type t);

/* Normalise a host name as browsers send it (lower case, punycode, no port); 0 or -1. */
int host_server_name(const char *host, struct strbuf *out);

#endif
