/*
 * siterec: a record of an old website in the ledger (工作底账),
 * content/sites/<id>.yaml.  Both halves read it: the archiver to know what
 * to crawl, the generator to publish the archive and the redirects.
 *
 *   name: 示例市发展和改革委员会网站
 *   department: fgw
 *   hosts: [fgw.example.gov.cn, www.fgw.example.gov.cn]   # first is canonical; host:port allowed
 *   start: [http://fgw.example.gov.cn/]                     # default: http://HOSTS[0]/
 *   query_params: [id]      # parameters that change content; others are dropped
 *   limits: {pages: 20000, depth: 30, url_length: 2048, size: 100MB,
 *            concurrency: 4, delay_ms: 0, timeout: 120}
 *
 * Everything is allocated from the arena given to siterec_load().
 */
#ifndef JIYUE_SITEREC_H
#define JIYUE_SITEREC_H

#include <stddef.h>

struct arena;
struct diag_list;
struct value;

struct site_limits {
	long pages;        /* resources fetched at most; default 20000 */
	long depth;        /* link hops from a start page; default 30 */
	long url_length;   /* longer URLs are skipped; default 2048 */
	long long size;    /* bytes per resource; default 100 MiB */
	long concurrency;  /* connections per host; default 4 */
	long delay_ms;     /* pause between requests to a host; default 0 */
	long timeout;      /* seconds per transfer; default 120 */
};

struct site_record {
	const char *id;
	const char *file;          /* where it came from, or NULL */
	const char *name;
	const char *department;
	const char **hosts;        /* lower case */
	size_t nr_hosts;
	const char **start;
	size_t nr_start;
	const char **query_params; /* NULL with nr 0: keep every parameter */
	size_t nr_query_params;
	int query_params_given;    /* `query_params: []` drops them all */
	struct site_limits limits;
	struct value *raw;
};

/* Is id usable as a folder name and record name?  NULL if so, else why not. */
const char *siterec_id_unsafe(const char *id);

/* Load SOURCE/content/sites/<id>.yaml.  Returns 0, or -1 with errors in diags. */
int siterec_load(struct site_record *rec, struct arena *a, const char *source_dir,
		 const char *id, struct diag_list *diags);

/* A record made from a single URL (`jiyue archive --url URL --id ID`). */
int siterec_from_url(struct site_record *rec, struct arena *a, const char *id,
		     const char *url, struct diag_list *diags);

void siterec_default_limits(struct site_limits *l);

#endif
