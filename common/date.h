/*
 * date: calendar dates in China time (Asia/Shanghai, UTC+8 all year since
 * 1991, so a fixed offset is exact for every date this tool handles).
 *
 * Month arithmetic is calendar arithmetic: date_add_months() moves to the
 * same day of the month N months later and, when that month is shorter,
 * clamps to its last day.  So one month after 01-31 is 02-28 (02-29 in a
 * leap year), one month after 03-31 is 04-30, and one month after 02-28 is
 * 03-28.  This is how a display period "of one month" is read in Chinese
 * administrative practice (民法典 第二百零二条: a period counted in
 * months ends on the corresponding day of the last month, or on its last
 * day when there is no corresponding day).
 */
#ifndef JIYUE_DATE_H
#define JIYUE_DATE_H

#include <stdint.h>
#include <time.h>

struct strbuf;

struct cdate {
	int year, month, day;
};

int date_is_leap(int year);
int date_days_in_month(int year, int month);
int date_valid(const struct cdate *d);

/* Days since 1970-01-01 (negative before). */
int64_t date_to_days(const struct cdate *d);
struct cdate date_from_days(int64_t days);
int date_cmp(const struct cdate *a, const struct cdate *b);

struct cdate date_add_days(const struct cdate *d, int64_t n);
struct cdate date_add_months(const struct cdate *d, int n);

/*
 * Parse "YYYY-MM-DD", optionally followed by "THH:MM[:SS]" or " HH:MM[:SS]"
 * and a zone ("Z", "+08:00", "+0800").  A time with a zone is converted to
 * the China calendar date; without a zone it is China time already.
 * Returns 0, or -1 if malformed, or -2 if well-formed but not a real date
 * (2025-02-30).  *epoch_out (may be NULL) gets the instant in Unix time.
 */
int date_parse(const char *s, struct cdate *out, int64_t *epoch_out);

/* China calendar date of a Unix time. */
struct cdate date_from_epoch(int64_t t);
/* Unix time of midnight China time on d. */
int64_t date_to_epoch(const struct cdate *d);

/*
 * "Today" for a run: from --date (if non-NULL), else SOURCE_DATE_EPOCH,
 * else the clock.  Returns 0, or -1 with a message in err.
 */
int date_today(const char *opt, struct cdate *out, struct strbuf *err);

/* Formats append to sb. */
void date_fmt_iso(const struct cdate *d, struct strbuf *sb);  /* 2025-03-12 */
void date_fmt_cn(const struct cdate *d, struct strbuf *sb);   /* 2025年3月12日 */
/* RFC 822 at midnight China time, for RSS: "Wed, 12 Mar 2025 00:00:00 +0800" */
void date_fmt_rfc822(const struct cdate *d, struct strbuf *sb);

#endif
