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
 * The ledger half (DOMAIN.md rules 6 to 11, docs/ledger.md):
 *
 *   unit_type: government          # 党政机关 | institution 事业单位
 *   unit: 示例市疾病预防控制中心      # the unit running it, when not the department itself
 *   disposition: close             # close | move | independent | zombie
 *   reason: ...                    # why an independent site is kept
 *   target: /fgw/                  # the portal column it moves to, or 无
 *   approved: 2025-05-20           # closure approved
 *   notice_start: 2025-06-10       # the closure notice went up
 *   closed: 2025-07-11             # closed (may lie ahead: planned)
 *   deregistered: {domain: 2025-07-15, icp: ..., dzjg: ..., psb: ...}
 *   contacts: [{name: ..., phone: ...}]   # internal: never rendered
 *
 * A record without `disposition` is a crawl-only record: the archiver's
 * and the redirects' business, outside the ledger's policy checks.  This
 * module checks values one record at a time; the rules across records are
 * in gen/ledger.c.
 *
 * Everything is allocated from the arena given to siterec_load().
 */
#ifndef JIYUE_SITEREC_H
#define JIYUE_SITEREC_H

#include <stddef.h>

#include "common/date.h"

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

enum site_unit_type {
	SITE_UNIT_UNSET,
	SITE_UNIT_GOVERNMENT,    /* 党政机关: .gov.cn and .政务 */
	SITE_UNIT_INSTITUTION,   /* 事业单位: .cn and .公益, never .gov.cn */
};

enum site_disposition {
	SITE_CRAWL_ONLY,         /* no `disposition`: not a ledger record */
	SITE_CLOSE,              /* close, migrate as sub-site / column / channel */
	SITE_MOVE,               /* keep, move whole onto the platform */
	SITE_INDEPENDENT,        /* keep independent; a reason is required */
	SITE_ZOMBIE,             /* 僵尸网站: archive, then close */
};

/* The four deregistrations of DOMAIN.md rule 11, in `deregistered:`. */
enum site_dereg { SITE_DEREG_DOMAIN, SITE_DEREG_ICP, SITE_DEREG_DZJG, SITE_DEREG_PSB };
#define SITE_DEREG_ITEMS 4

/* A ledger date; unset when absent (a deregistration not done yet). */
struct site_date {
	int set;
	struct cdate day;
	unsigned line, col;      /* of the YAML node, for messages */
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
	/* the ledger; see the top of this file */
	enum site_unit_type unit_type;
	const char *unit;          /* the unit running the site: `unit`, else the department */
	enum site_disposition disposition;
	const char *reason;
	const char *target;        /* a portal path, "无", or NULL when absent */
	struct site_date approved, notice_start, closed;
	struct site_date deregistered[SITE_DEREG_ITEMS];
	struct value *raw;         /* the whole document (contacts stay only here) */
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

/* Names as written in YAML ("close") and labels for people (关停迁移). */
const char *siterec_disposition_name(enum site_disposition d);
const char *siterec_disposition_label(enum site_disposition d);
const char *siterec_unit_name(enum site_unit_type u);
const char *siterec_unit_label(enum site_unit_type u);
const char *siterec_dereg_name(enum site_dereg i);     /* "icp" */
const char *siterec_dereg_label(enum site_dereg i);    /* ICP备案 */

/* Does the record name a portal column (not absent, not 无)? */
int siterec_has_target(const struct site_record *rec);
/* Is a date set and on or before day? */
int site_date_by(const struct site_date *d, const struct cdate *day);

/*
 * Position of key in the record (a top-level key, or "deregistered.icp"),
 * for messages: its node's line and column, else 1:1.
 */
void siterec_pos(const struct site_record *rec, const char *key, unsigned *line, unsigned *col);

/*
 * Hosts, as the domain rules read them (rule 6).  A Chinese host has a
 * non-ASCII or punycode (xn--) label; .政务 and .公益 may be written in
 * Unicode or punycode.  The port is ignored.
 */
int host_is_chinese(const char *host);
int host_has_suffix(const char *host, const char *suffix); /* ".gov.cn", ".政务", ".公益", ".cn" */
/* The registered name: lower case, no port, no leading "www.". */
const char *host_domain(struct arena *a, const char *host);

#endif
