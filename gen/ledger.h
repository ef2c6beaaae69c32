/*
 * ledger: the site ledger (工作底账) as a whole, every record in
 * content/sites/ID.yaml, and the policy checks across records (DOMAIN.md
 * rules 2, 3, 6 to 9 and 11; docs/ledger.md).  One record's values are
 * read and checked by common/siterec; this module knows the portal, the
 * notices and the captures.
 *
 * Only records that declare `disposition` are ledger records; the others
 * are crawl-only (an archiving job) and no policy applies to them.
 *
 * Policy in site.yaml, defaulting to the DOMAIN.md numbers:
 *   ledger: {retained_max: 10%, close_within: 90 days, warn_before: 14 days}
 *
 * The ledger owns its sites' array; records, captures and strings live in
 * the arena given to ledger_load().
 */
#ifndef JIYUE_LEDGER_H
#define JIYUE_LEDGER_H

#include <stddef.h>

#include "common/arena.h"
#include "common/date.h"
#include "common/siterec.h"
#include "gen/content.h"
#include "gen/notices.h"
#include "gen/site.h"

struct diag_list;
struct strbuf;
struct value;

/* ARCHIVE/<id>/capture.json, written by the archiver when a capture is complete. */
struct ledger_capture {
	int present;
	struct cdate date;         /* the archive date */
	int zombie;                /* 1: flagged (rule 7), 0: not, -1: unknown */
	const char *newest;        /* newest content date found, or NULL */
};

struct ledger_site {
	struct site_record rec;
	int ok;                            /* loaded without errors */
	struct ledger_capture capture;
	const struct notice *closure;      /* its closure notice, once linked; may be NULL */
};

struct ledger_policy {
	long retained_max_percent;         /* rule 8 */
	struct period close_within;        /* rule 3 */
	struct period warn_before;
};

struct ledger {
	struct arena *arena;
	struct ledger_site **sites;        /* sorted by id */
	size_t nr, alloc;
	struct ledger_policy policy;
	struct period closure_notice;      /* the notices' minimum for a closure (rule 2) */
};

/* Load every content/sites/ID.yaml (a missing folder is an empty ledger). */
int ledger_load(struct ledger *l, struct arena *a, const char *source_dir, struct diag_list *diags);
void ledger_release(struct ledger *l);

/* Read `ledger:` from site.yaml. */
int ledger_policy(struct ledger *l, const struct site_config *cfg, struct diag_list *diags);

struct ledger_site *ledger_find(const struct ledger *l, const char *id);

/* The archive folder: DIR when given, else site.yaml's archive_dir, else SOURCE/archive. */
void ledger_archive_dir(struct strbuf *out, const struct site_config *cfg, const char *source_dir,
			const char *dir);

/* Read every site's capture.json in archive_dir; a missing folder is fine. */
void ledger_read_captures(struct ledger *l, const char *archive_dir, struct diag_list *diags);

/* Give each site its closure notice (the latest not withdrawn) and the closure period. */
void ledger_link_notices(struct ledger *l, const struct notices *n);

/*
 * The policy checks, as of today.  c (may be NULL) is the portal, to check
 * that targets are its pages.  Errors and warnings go to diags with the
 * record's file and the line of the offending node.  0, or -1 on errors.
 */
int ledger_check(const struct ledger *l, const struct site_config *cfg, const struct content *c,
		 const struct cdate *today, struct diag_list *diags);

/* ---- state as of a day, for the report and the closed-sites page ---- */

int ledger_is_ledger_record(const struct ledger_site *s);   /* declares a disposition */
int ledger_is_retained(const struct ledger_site *s);        /* move or independent */
/* The 90-day limit (rule 3) for a site to close; 0, or -1 when none applies. */
int ledger_deadline(const struct ledger *l, const struct ledger_site *s, struct cdate *out);
/* Past its 90-day limit on day: not closed by then, or closed late. */
int ledger_overdue(const struct ledger *l, const struct ledger_site *s, const struct cdate *day);
/* The first day after the closure notice's display; 0, or -1 when unknown. */
int ledger_notice_end(const struct ledger *l, const struct ledger_site *s, struct cdate *out);

/*
 * The directory of closed sites (已关停网站) for templates: every ledger
 * site closed on or before today, newest closure first.  `archived` lists
 * the ids whose capture the portal publishes under /archive/<id>/.
 * Contacts are never part of it.
 */
struct value *ledger_closed_sites_value(const struct ledger *l, struct arena *a,
					const struct site_config *cfg, const struct content *c,
					const char *const *archived, size_t nr_archived,
					const struct cdate *today);

/*
 * Everything `jiyue check` and `jiyue report` read from a source folder:
 * settings, the portal's pages (for targets and notice destinations), the
 * notices, the ledger and its captures, as of today.
 */
struct ledger_source {
	struct arena arena;
	struct site_config cfg;
	struct content content;
	struct notices notices;
	struct ledger ledger;
	struct cdate today;
};

int ledger_source_load(struct ledger_source *src, const char *source_dir, const char *archive_dir,
		       const struct cdate *today, struct diag_list *diags);
void ledger_source_release(struct ledger_source *src);

#endif
