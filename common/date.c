#include "date.h"
#include "strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CHINA_OFFSET (8 * 3600)

int date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	return m == 2 && date_is_leap(y) ? 29 : days[m - 1];
}

int date_valid(const struct cdate *d)
{
	return d->year >= 1 && d->year <= 9999 && d->month >= 1 && d->month <= 12 &&
	       d->day >= 1 && d->day <= date_days_in_month(d->year, d->month);
}

/* Howard Hinnant's days-from-civil algorithm (public domain description). */
int64_t date_to_days(const struct cdate *d)
{
	int64_t y = d->year - (d->month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (d->month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + d->day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct cdate date_from_days(int64_t z)
{
	struct cdate d;
	int64_t era, doe, yoe, doy, mp, y;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.year = (int)(y + (d.month <= 2));
	return d;
}

int date_cmp(const struct cdate *a, const struct cdate *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return 0;
}

struct cdate date_add_days(const struct cdate *d, int64_t n)
{
	return date_from_days(date_to_days(d) + n);
}

struct cdate date_add_months(const struct cdate *d, int n)
{
	struct cdate r = *d;
	int total = d->year * 12 + (d->month - 1) + n;
	int dim;
	r.year = total / 12;
	r.month = total % 12 + 1;
	dim = date_days_in_month(r.year, r.month);
	if (r.day > dim)
		r.day = dim;
	return r;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0, i;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Parse "HH:MM[:SS]" and a zone; *secs is seconds of the day, *zone the offset. */
static int parse_time(const char *p, int *secs, int *zone, int *has_zone)
{
	int h, m, s = 0;
	if (digits(p, 2, &h) || p[2] != ':' || digits(p + 3, 2, &m))
		return -1;
	p += 5;
	if (*p == ':') {
		if (digits(p + 1, 2, &s))
			return -1;
		p += 3;
		if (*p == '.') /* fractional seconds: ignored */
			for (p++; isdigit((unsigned char)*p); p++)
				;
	}
	if (h > 23 || m > 59 || s > 60)
		return -2;
	*secs = h * 3600 + m * 60 + s;
	*has_zone = 0;
	if (*p == 'Z' || *p == 'z') {
		*has_zone = 1;
		*zone = 0;
		p++;
	} else if (*p == '+' || *p == '-') {
		int zh, zm, sign = *p == '-' ? -1 : 1;
		if (digits(p + 1, 2, &zh))
			return -1;
		p += 3;
		if (*p == ':')
			p++;
		if (digits(p, 2, &zm))
			return -1;
		p += 2;
		*has_zone = 1;
		*zone = sign * (zh * 3600 + zm * 60);
	}
	return *p ? -1 : 0;
}

int date_parse(const char *s, struct cdate *out, int64_t *epoch_out)
{
	struct cdate d;
	int secs = 0, zone = CHINA_OFFSET, has_zone = 0;
	int64_t epoch;

	if (strlen(s) < 10 || digits(s, 4, &d.year) || s[4] != '-' ||
	    digits(s + 5, 2, &d.month) || s[7] != '-' || digits(s + 8, 2, &d.day))
		return -1;
	if (s[10] == 'T' || s[10] == 't' || s[10] == ' ') {
		int r = parse_time(s + 11, &secs, &zone, &has_zone);
		if (r)
			return r;
		if (!has_zone)
			zone = CHINA_OFFSET;
	} else if (s[10]) {
		return -1;
	}
	if (!date_valid(&d))
		return -2;
	epoch = date_to_days(&d) * 86400 + secs - zone;
	*out = date_from_epoch(epoch);
	if (epoch_out)
		*epoch_out = epoch;
	return 0;
}

struct cdate date_from_epoch(int64_t t)
{
	int64_t local = t + CHINA_OFFSET;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	return date_from_days(days);
}

int64_t date_to_epoch(const struct cdate *d)
{
	return date_to_days(d) * 86400 - CHINA_OFFSET;
}

int date_today(const char *opt, struct cdate *out, struct strbuf *err)
{
	const char *sde;
	if (opt) {
		int r = date_parse(opt, out, NULL);
		if (r == -2) {
			strbuf_addf(err, "invalid date '%s': no such day", opt);
			return -1;
		}
		if (r || strlen(opt) != 10) {
			strbuf_addf(err, "invalid date '%s': expected YYYY-MM-DD", opt);
			return -1;
		}
		return 0;
	}
	sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		long long v;
		errno = 0;
		v = strtoll(sde, &end, 10);
		if (errno || *end || end == sde) {
			strbuf_addf(err, "invalid SOURCE_DATE_EPOCH '%s': expected seconds since 1970", sde);
			return -1;
		}
		*out = date_from_epoch(v);
		return 0;
	}
	*out = date_from_epoch((int64_t)time(NULL));
	return 0;
}

void date_fmt_iso(const struct cdate *d, struct strbuf *sb)
{
	strbuf_addf(sb, "%04d-%02d-%02d", d->year, d->month, d->day);
}

void date_fmt_cn(const struct cdate *d, struct strbuf *sb)
{
	strbuf_addf(sb, "%d年%d月%d日", d->year, d->month, d->day);
}

void date_fmt_rfc822(const struct cdate *d, struct strbuf *sb)
{
	static const char *wd[] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
	static const char *mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int64_t days = date_to_days(d);
	int w = (int)(((days % 7) + 7) % 7);
	strbuf_addf(sb, "%s, %02d %s %04d 00:00:00 +0800", wd[w], d->day,
		    mon[d->month - 1], d->year);
}
