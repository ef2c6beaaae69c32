/*
 * srvconf: the nginx server blocks and Apache virtual hosts that serve an
 * old site's hosts from the portal's web root (docs/redirects.md):
 *
 *   redirect mapping      301 to its target
 *   archive, unresolved   410 with the page gone/<id>/<page> (已归档)
 *   `/`                   while the closure notice runs: closing/<id>/index.html
 *                         (200); afterwards a 301 to the site's target
 *   anything else         404 with the page gone/<id>/404.html
 *   whole-site redirect   every URL 301 to `to` (with the path when append_path)
 *   whole-site archive    every URL 410 (gone/<id>/index.html unless it has its own page)
 *
 * Requests are matched on a server key built from the request as the server
 * sees it: the decoded path, then '?' and each significant parameter
 * "name=value" in the site's order (values as sent), or the whole query
 * when every parameter counts.  Both servers compare keys ignoring ASCII
 * case, as the old IIS and ASP sites did, except for mappings that differ
 * only in case: those are matched exactly.
 *
 * Everything that reaches a config is escaped or refused: host names are
 * checked by mappings (letters, digits, '-', '.'), paths become quoted
 * strings or, when they hold control bytes or invalid UTF-8, regular
 * expressions of \xHH escapes; targets are normalised URLs in which '$',
 * quotes and spaces are percent-encoded.
 */
#ifndef JIYUE_SRVCONF_H
#define JIYUE_SRVCONF_H

#include <stddef.h>

struct mapping;
struct old_site;
struct strbuf;

struct srvconf_options {
	const char *root;       /* the portal's web root on the server */
	const char *listen;     /* "80", "127.0.0.1:8080" */
	const char *maps_dir;   /* where redirects/apache/ is installed (Apache's maps) */
	const char *date;       /* the build's date, YYYY-MM-DD */
	const char *until;      /* the closure notice's first day off display, or NULL */
	const char *closing;    /* while the notice runs: "closing/<id>/index.html"; else NULL */
	const char *home;       /* after it: where `/` goes (absolute URL); else NULL */
};

/* One line of a site's lookup table. */
struct srv_entry {
	const struct mapping *m;
	char *key;       /* the server key, path decoded (nginx's $uri) */
	int exact;       /* another entry differs only in case: match case-sensitively */
};

struct srv_table {
	struct srv_entry *items;
	size_t nr, alloc;
	struct srv_entry *dropped;  /* entries the servers cannot tell from an earlier one */
	size_t nr_dropped, alloc_dropped;
};

/*
 * The table for site s: its mappings that the servers serve (with `home`,
 * a mapping for `/`, when not NULL), keyed as above.  Mappings whose keys
 * the servers cannot tell apart (a repeated parameter, an encoded '/') keep
 * the stronger or first one; the others go to t->dropped.
 */
void srv_table_build(struct srv_table *t, const struct old_site *s, const struct mapping *home);
void srv_table_release(struct srv_table *t);

/*
 * Append s with every byte but ASCII letters, digits and those in keep
 * percent-encoded, in lower-case hex when lower (as Apache writes it).
 */
void srv_percent_encode(struct strbuf *out, const char *s, const char *keep, int lower);

/* Append s[0..len) with %XX escapes decoded, and runs of '/' merged when merge_slashes. */
void srv_percent_decode(const char *s, size_t len, int merge_slashes, struct strbuf *out);

/* Append the nginx configuration for host `name` of site s. */
void srvconf_nginx(const struct old_site *s, const struct srv_table *t, const char *name,
		   const struct srvconf_options *o, struct strbuf *out);

/* Append the Apache virtual host for `name` to conf and its RewriteMap to map. */
void srvconf_apache(const struct old_site *s, const struct srv_table *t, const char *name,
		    const struct srvconf_options *o, struct strbuf *conf, struct strbuf *map);

#endif
