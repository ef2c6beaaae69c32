/*
 * notices: closure, migration, domain-change and opening notices, with the
 * minimum display periods of DOMAIN.md rules 2 to 5 enforced.
 *
 * content/notices/<slug>.md, front matter:
 *   title, kind (closure 关停 | migration 迁移 | domain-change 域名变更 |
 *   opening 开通 | other), site (a record in content/sites/), published
 *   (date), until (optional), destinations (closure and migration: portal
 *   paths or URLs, or {url, title}), old_domain and new_domain
 *   (domain-change), withdrawn + withdrawn_reason.
 *
 * Periods are counted as the civil code counts them (民法典 第二百零一条,
 * 第二百零二条): the day of publication is not counted; a period of N
 * months ends on the corresponding day N months later, or on that month's
 * last day when it has no such day; a period of N days ends N days later.
 * The notice must still be on display on that last day, so `until` (the
 * first day it is no longer shown) must come after it:
 *   closure published 2025-01-31, 1 month: on display through 2025-02-28,
 *     until >= 2025-03-01;
 *   migration published 2025-03-01, 30 days: through 2025-03-31, until >= 2025-04-01.
 * Without `until`, a notice stays exactly the minimum (until = last day + 1);
 * `other` notices without `until` stay until withdrawn.
 *
 * The minimums are policy in site.yaml, defaulting to the DOMAIN.md numbers:
 *   notices: {closure: 1 month, migration: 30 days, domain-change: 3 months, opening: 30 days}
 */
#ifndef JIYUE_NOTICES_H
#define JIYUE_NOTICES_H

#include <stddef.h>

#include "common/date.h"

struct content;
struct content_options;
struct ledger;
struct diag_list;
struct page;
struct site_config;
struct site_record;
struct value;
struct strbuf;

enum notice_kind { NOTICE_CLOSURE, NOTICE_MIGRATION, NOTICE_DOMAIN_CHANGE, NOTICE_OPENING, NOTICE_OTHER };
#define NOTICE_KINDS 5

enum notice_state { NOTICE_SCHEDULED, NOTICE_ACTIVE, NOTICE_EXPIRED, NOTICE_WITHDRAWN };

struct period {
	int months, days;   /* one of them; both 0: no minimum */
};

struct notice {
	struct page *page;            /* title, front matter, src; rel = notices/<slug>/ */
	const char *slug;
	enum notice_kind kind;
	const char *site_id;          /* may be NULL */
	struct site_record *site;     /* loaded record, may be NULL */
	struct cdate published;
	struct cdate until;           /* first day not on display; valid if has_until */
	int has_until;
	struct cdate min_last;        /* the minimum period's last day */
	int withdrawn;
	const char *withdrawn_reason;
	enum notice_state state;
	struct value *item;           /* template data */
};

struct notices {
	struct notice **items;        /* sorted: newest published first, then slug */
	size_t nr, alloc;
	struct page *index_page;      /* content/notices/_index.md, may be NULL */
	struct period min[NOTICE_KINDS];
	/* the loaded ledger, to take site records from (may be NULL: load them) */
	const struct ledger *ledger;
};

const char *notice_kind_name(enum notice_kind k);   /* "closure" ... */
const char *notice_kind_label(enum notice_kind k);  /* 关停公告 ... */
int notice_kind_parse(const char *s, enum notice_kind *k);
/* "1 month", "30 days", "3个月", "30天"; 0 or -1. */
int period_parse(const char *s, struct period *p);
void period_format(const struct period *p, struct strbuf *sb);
/* The last day of a period that starts the day after `from`. */
struct cdate period_last_day(const struct cdate *from, const struct period *p);

/* Read the policy from site.yaml (`notices:`), defaults from DOMAIN.md. */
int notices_policy(struct notices *n, const struct site_config *cfg, struct diag_list *diags);

/*
 * Load content/notices/, check rules 1 and 2 of issue #4 (until long enough;
 * destinations and domains present), compute every notice's state as of
 * today, claim its URL and build its template item.  0, or -1 with errors.
 */
int notices_load(struct notices *n, struct content *c, const struct content_options *opt,
		 const struct cdate *today, struct diag_list *diags);
void notices_release(struct notices *n);

/* The notice with this slug, or NULL. */
struct notice *notices_find(const struct notices *n, const char *slug);



struct history;

/*
 * Rules 3 and 4 of issue #4, against the publish history:
 *  3. a notice first shown less than its minimum period ago must still be
 *     on display in this build, unless withdrawn with a reason;
 *  4. `published` may not be earlier than the first publish commit showing
 *     the notice (no backdating).  When `recording` (this build will be
 *     committed), a notice shown for the first time today must not claim an
 *     earlier day.
 * Returns 0, or -1 with errors in diags.
 */
int notices_check_history(const struct notices *n, const struct history *h,
			  const struct cdate *today, int recording, const char *source_dir,
			  struct diag_list *diags);
#endif
