/*
 * hits: which old URLs people still ask for (GOV.UK's "hits"), read from
 * the old sites' access logs, so the mappings that matter most are made
 * first (docs/redirects.md).
 *
 * Logs: nginx and Apache "combined" format, optionally with the virtual
 * host first (Apache's vhost_combined, "host:port " + combined), plain or
 * gzip-compressed.  Each request is given to a site by its host (the vhost
 * field, or an absolute request URL), else to --site; it is canonicalised
 * like the mappings (mapping_key()) and counted.
 *
 * Not counted (and reported as such): methods other than GET and HEAD;
 * statuses other than 2xx and 3xx (the old server's own 404s and errors are
 * not pages); furniture (style sheets, scripts, images, fonts, favicon,
 * robots.txt); attack probes (wp-login and wp-admin, xmlrpc, phpMyAdmin,
 * .env, .git, .svn, /etc/passwd, "..", cgi-bin, scripts in URLs, requests
 * over 2048 bytes, escaped binary bytes, and .php on sites that never had
 * a .php page).  Malformed lines are counted and the first ones named with
 * file:line; they never stop the run.
 */
#ifndef JIYUE_HITS_H
#define JIYUE_HITS_H

#include <stddef.h>

#include "common/arena.h"
#include "common/diag.h"
#include "common/strmap.h"
#include "gen/archives.h"
#include "gen/mappings.h"
#include "gen/site.h"

struct strbuf;

enum hits_format { HITS_TEXT, HITS_CSV, HITS_JSON };

/* One old URL and its requests. */
struct hit {
	struct old_site *site;
	const char *key;
	long count;
	const struct mapping *m;    /* its mapping, or NULL: unmapped */
};

struct hits_totals {
	long lines, counted, malformed, method, status, furniture, probes, no_site, other_host;
};

struct hits {
	struct arena arena;
	struct site_config cfg;
	struct archives archives;
	struct mappings map;
	struct old_site *forced;    /* --site */
	struct strmap by_url;       /* site id + ' ' + key -> struct hit */
	struct hits_totals t;
	size_t files;
	struct diag_list diags;
};

/* Load site.yaml, the records, their mappings and captures.  0, or -1 (errors in h->diags). */
int hits_init(struct hits *h, const char *source_dir, const char *archive_dir, const char *site_id);
void hits_release(struct hits *h);

/* Count one log file (plain or .gz).  0, or -1 when it cannot be read (an error in h->diags). */
int hits_read(struct hits *h, const char *path);

/* Append the report: per site, the unmapped URLs and the archived ones, most hits first, top N each (0: all). */
void hits_report(struct hits *h, enum hits_format f, size_t top, struct strbuf *out);

#endif
