/*
 * crawl: the frontier, the scope and trap rules, and the loop that drives
 * fetch -> WARC -> journal for one capture.
 *
 * Scope: pages are followed only on the site's hosts and up to the depth
 * limit; page requisites (CSS, JS, images, fonts, media) are fetched from
 * any host but never followed further than their own requisites.  A
 * resource is fetched once, under its canonical URL (only the site's
 * significant query parameters, hosts folded onto the canonical one).
 *
 * Traps are reported, never endless: a path segment repeated three times
 * in a row (Heritrix's pathological-path rule); a chain of more than
 * TRAP_CHAIN pages of one shape each found on the previous one (digits
 * folded: /cal?m=7 found on /cal?m=6 found on /cal?m=5 ...), which is what
 * a calendar or an endless "next" link does while a CMS's ?id= articles
 * hang off list pages; more than TRAP_SHAPE URLs of one shape or
 * TRAP_QUERIES query variants of one path; and the page, depth and
 * URL-length limits of the site record.
 */
#ifndef JIYUE_CRAWL_H
#define JIYUE_CRAWL_H

#include "archiver/url.h"
#include "common/strmap.h"

#include <stddef.h>

struct site_record;
struct strbuf;
struct warc_writer;
struct journal;
struct copy_spool;
struct cdxj_indexer;

#define TRAP_CHAIN 100
#define TRAP_SHAPE 20000
#define TRAP_QUERIES 20000

enum entry_state { ENTRY_QUEUED, ENTRY_RUNNING, ENTRY_DONE };

struct crawl_entry {
	char *url;           /* canonical URL: the key and what is fetched */
	char *origin;        /* the URL as first found, before canonicalisation */
	int depth;
	int chain;           /* pages of this shape in a row that led here */
	int requisite;       /* 1: page requisite, 0: page */
	enum entry_state state;
	int attempts;
	long long not_before_us;
	/* results */
	long status;         /* 0: no response */
	char *content_type;  /* MIME type only, lower case */
	char *encoding;      /* Content-Encoding */
	long long size;      /* payload bytes as received */
	char *sha256;        /* of the payload as received */
	char *redirect;      /* absolute target of a 3xx */
	char *error;         /* why it failed */
	long long fetch_us;
	char *path;          /* local file below site/, for archived 2xx resources */
	char *newest;        /* newest date in the page's text, YYYY-MM-DD */
	char *modified;      /* its Last-Modified date, YYYY-MM-DD */
	char *title;
	/* the browsable copy, made early (see materialize.h); set on a worker */
	int early;           /* EARLY_NONE, EARLY_WRITTEN or EARLY_SPOOLED */
	long long spool_off; /* EARLY_SPOOLED: where its text is in the copy spool */
	size_t spool_len;
};

enum { EARLY_NONE, EARLY_WRITTEN, EARLY_SPOOLED };

struct trap_report {
	char *rule;
	char *example;
	long count;
};

struct crawl {
	const struct site_record *rec;
	struct warc_writer *warc;
	struct journal *journal;
	struct crawl_entry **entries;  /* in discovery order */
	size_t nr_entries, alloc_entries;
	size_t next_queued;            /* first entry that may still be queued */
	struct strmap seen;            /* canonical URL -> entry */
	struct url_hosts hosts;        /* the record's hosts, parsed */
	char *canon_prefix[2];         /* "http://HOST/", "https://HOST/" (or NULL): canonical_as_is() */
	struct strmap shapes;          /* trap counters */
	struct trap_report *traps;
	size_t nr_traps, alloc_traps;
	size_t running;
	long done, failed, skipped_scope, skipped_limit;
	long long bytes;
	int progress;                  /* draw a live line on stderr */
	size_t workers;                /* threads parsing and compressing; 0: one per CPU */
	long long started_us;
	char *user_agent;
	struct copy_spool *spool;      /* optional: archived resources go here as they arrive */
	struct cdxj_indexer *cdxj;     /* optional: response and revisit records indexed as written */
	const char *const *connect_to; /* see struct fetch_options */
	size_t nr_connect_to;
};

void crawl_init(struct crawl *c, const struct site_record *rec);
void crawl_release(struct crawl *c);

/* Replay a journal record (on resume). */
void crawl_replay(struct crawl *c, void *json_rec);

/* Queue the site's start URLs (no-op for ones already known). */
void crawl_seed(struct crawl *c);

/* Run until the frontier is empty.  Returns 0, or -1 if the WARC or journal could not be written. */
int crawl_run(struct crawl *c);

/* Entry for a URL (resolved and canonicalised like links are), or NULL. */
struct crawl_entry *crawl_lookup(struct crawl *c, const char *abs_url);

/* Follow redirects from e to the archived resource it ends at, or NULL. */
struct crawl_entry *crawl_final(struct crawl *c, struct crawl_entry *e);

/* Canonical form of an absolute URL for this site; 0 or -1. */
int crawl_canonical(const struct crawl *c, const char *abs, struct strbuf *out);

/* The same two, faster, for a URL that url_resolve() or url_normalize() made. */
int crawl_canonical_normalized(const struct crawl *c, const char *norm, struct strbuf *out);
struct crawl_entry *crawl_lookup_normalized(struct crawl *c, const char *norm);

#endif
