#include "gen/auditreport.h"
#include "common/date.h"
#include "common/fsutil.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

/*
 * The timeline's geometry, in viewBox units (CSS pixels when the chart is
 * shown at its full 1000 width).  Row titles get the left column; dates
 * run from PLOT_X0 to PLOT_X1.
 */
#define SVG_W 1000
#define LABEL_X 16
#define PLOT_X0 292.0
#define PLOT_X1 936.0         /* room on the right for a note after a bar */
#define TITLE_PX 13.0
#define TITLE_MAX_EM 19.5     /* (PLOT_X0 - LABEL_X - a gap) / TITLE_PX */
#define TICK_PX 11.5
#define AXIS_H 40             /* month labels above the first row */
#define GROUP_H 30            /* 公告 / 归档网站 headings */
#define NOTICE_H 48
#define SITE_H 38
#define LEGEND_ROW 24
#define MAX_TICK_LABELS 9     /* "2025年10月" is about 60 wide: 9 fit in the plot */

/* ---- JSON, read defensively: jansson returns NULL for every wrong type ---- */

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A date of the audit as a day number; ok is 0 when missing or malformed. */
struct day {
	int ok;
	int64_t d;
};

static struct day day_of(const char *s)
{
	struct day r = { 0, 0 };
	struct cdate c;
	if (s && !date_parse(s, &c, NULL)) {
		r.ok = 1;
		r.d = date_to_days(&c);
	}
	return r;
}

/* One notice, with its dates parsed once for the chart and the tables. */
struct nrow {
	const json_t *j;
	size_t idx;                     /* in "notices": the anchor notice-<idx+1> */
	const char *title, *kind, *kind_label, *state, *site;
	const char *first_commit, *last_commit, *removed_commit, *first_s, *last_s, *removed_s;
	struct day pub, until, min_last, first, last, removed;
	int displayed;                  /* "displayed" is an object */
	int64_t shown_end;              /* first day off display, if first.ok and removed.ok */
	int still_shown;                /* no publish commit removed it: on display today */
	int compliant;                  /* 1, 0, or -1: null, not decided */
	int withdrawn;
};

struct audit {
	const json_t *j;
	struct day today;
	struct nrow *rows;              /* chart order: by publication date */
	size_t nr;
	const json_t *sites;
	size_t nr_sites;
	struct audit_axis axis;
	int has_axis;
};

static const struct {
	const char *name, *label;
} kinds[] = {
	{ "closure", "关停公告" },
	{ "migration", "迁移公告" },
	{ "domain-change", "域名变更公告" },
	{ "opening", "开通公告" },
	{ "other", "公告" },
};

static const struct {
	const char *name, *label;
} states[] = {
	{ "scheduled", "待展示" },
	{ "active", "展示中" },
	{ "expired", "已期满" },
	{ "withdrawn", "已撤回" },
	{ "missing", "源文件已删除" },
};

static const char *kind_label_of(const json_t *n)
{
	const char *s = jstr(n, "kind_label"), *k = jstr(n, "kind");
	size_t i;
	if (s && *s)
		return s;
	for (i = 0; k && i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(k, kinds[i].name))
			return kinds[i].label;
	return k && *k ? k : "公告";
}

/* The Chinese word for a state; an unknown state is shown as it came. */
static const char *state_label(const char *state)
{
	size_t i;
	if (!state || !*state)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(states); i++)
		if (!strcmp(state, states[i].name))
			return states[i].label;
	return state;
}

static int is_state(const struct nrow *r, const char *name)
{
	return r->state && !strcmp(r->state, name);
}

static void nrow_load(struct nrow *r, const json_t *n, size_t idx)
{
	const json_t *decl = json_object_get(n, "declared");
	const json_t *disp = json_object_get(n, "displayed");
	const json_t *first = json_object_get(disp, "first");
	const json_t *last = json_object_get(disp, "last");
	const json_t *removed = json_object_get(disp, "removed");
	const json_t *c = json_object_get(n, "compliant");

	r->j = n;
	r->idx = idx;
	r->title = jstr(n, "title");
	r->kind = jstr(n, "kind");
	r->kind_label = kind_label_of(n);
	r->state = jstr(n, "state");
	r->site = jstr(n, "site");
	r->pub = day_of(jstr(decl, "published"));
	r->until = day_of(jstr(decl, "until"));
	r->min_last = day_of(jstr(json_object_get(n, "minimum"), "last_day"));
	r->displayed = json_is_object(disp);
	r->first_s = jstr(first, "date");
	r->last_s = jstr(last, "date");
	r->first_commit = jstr(first, "commit");
	r->last_commit = jstr(last, "commit");
	r->removed_s = jstr(removed, "date");
	r->removed_commit = jstr(removed, "commit");
	r->removed = day_of(r->removed_s);
	r->first = day_of(r->first_s);
	r->last = day_of(r->last_s);
	/* One end alone is a window of one day; ends swapped are still the window. */
	if (r->first.ok && !r->last.ok)
		r->last = r->first;
	else if (!r->first.ok && r->last.ok)
		r->first = r->last;
	else if (r->first.ok && r->last.d < r->first.d) {
		struct day t = r->first;
		r->first = r->last;
		r->last = t;
	}
	/*
	 * The live site is the branch's latest build, so a notice stays on
	 * display until the publish commit that removes it; one that no commit
	 * removed is in the latest build, on display still.
	 */
	if (r->first.ok && r->removed.ok && r->removed.d > r->last.d)
		r->shown_end = r->removed.d;
	else if (r->first.ok)
		r->shown_end = r->last.d + 1;
	r->still_shown = r->first.ok && !json_is_object(removed);
	r->compliant = json_is_true(c) ? 1 : json_is_false(c) ? 0 : -1;
	r->withdrawn = json_is_true(json_object_get(n, "withdrawn")) || is_state(r, "withdrawn");
}

/*
 * Oldest publication first, so that the chart reads as a cascade from top
 * left to bottom right; notices without a date go last, in the JSON's order.
 */
static int nrow_cmp(const void *pa, const void *pb)
{
	const struct nrow *a = pa, *b = pb;
	struct day da = a->pub.ok ? a->pub : a->first, db = b->pub.ok ? b->pub : b->first;
	if (da.ok != db.ok)
		return da.ok ? -1 : 1;
	if (da.ok && da.d != db.d)
		return da.d < db.d ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

struct span {
	int ok;
	int64_t lo, hi;
};

static void span_add(struct span *s, struct day d)
{
	if (!d.ok)
		return;
	if (!s->ok || d.d < s->lo)
		s->lo = d.d;
	if (!s->ok || d.d > s->hi)
		s->hi = d.d;
	s->ok = 1;
}

static int axis_fill(const struct audit *a, struct audit_axis *ax)
{
	struct span s = { 0, 0, 0 };
	struct cdate c;
	size_t i, k;

	span_add(&s, a->today);
	for (i = 0; i < a->nr; i++) {
		const struct nrow *r = &a->rows[i];
		struct day u = r->until;
		u.d--; /* until is the first day off display; the window ends the day before */
		span_add(&s, r->pub);
		span_add(&s, u);
		span_add(&s, r->min_last);
		span_add(&s, r->first);
		span_add(&s, r->last);
	}
	for (i = 0; i < a->nr_sites; i++) {
		const json_t *caps = json_object_get(json_array_get(a->sites, i), "captures");
		for (k = 0; k < json_array_size(caps); k++)
			span_add(&s, day_of(jstr(json_array_get(caps, k), "date")));
	}
	if (!s.ok)
		return -1;
	c = date_from_days(s.lo);
	c.day = 1;
	ax->first = date_to_days(&c);
	c = date_from_days(s.hi);
	c.day = 1;
	c = date_add_months(&c, 1);
	ax->end = date_to_days(&c);
	ax->x0 = PLOT_X0;
	ax->x1 = PLOT_X1;
	return 0;
}

static void audit_load(struct audit *a, const json_t *j)
{
	const json_t *notices = json_object_get(j, "notices");
	size_t i;

	memset(a, 0, sizeof(*a));
	a->j = j;
	a->today = day_of(jstr(j, "generated"));
	a->nr = json_array_size(notices);
	if (a->nr)
		a->rows = xcalloc(a->nr, sizeof(*a->rows));
	for (i = 0; i < a->nr; i++)
		nrow_load(&a->rows[i], json_array_get(notices, i), i);
	if (a->nr > 1)
		qsort(a->rows, a->nr, sizeof(*a->rows), nrow_cmp);
	a->sites = json_object_get(j, "sites");
	a->nr_sites = json_array_size(a->sites);
	a->has_axis = !axis_fill(a, &a->axis);
}

static void audit_release(struct audit *a)
{
	free(a->rows);
	a->rows = NULL;
}

int audit_axis_of(const json_t *audit, struct audit_axis *ax)
{
	struct audit a;
	int ret;
	audit_load(&a, audit);
	ret = a.has_axis ? 0 : -1;
	if (!ret)
		*ax = a.axis;
	audit_release(&a);
	return ret;
}

double audit_axis_x(const struct audit_axis *ax, int64_t day)
{
	return ax->x0 + (double)(day - ax->first) * (ax->x1 - ax->x0) / (double)(ax->end - ax->first);
}

/* ---- text ---- */

/*
 * Escape text from the JSON for HTML and for the SVG, which must also
 * stand alone as XML: XML 1.0 has no C0 controls but tab, LF and CR, so
 * the rest are dropped rather than making the file unreadable.
 */
static void add_text(struct strbuf *sb, const char *s)
{
	size_t i, start = 0;
	if (!s)
		return;
	for (i = 0; s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r')
			continue;
		strbuf_add_html(sb, s + start, i - start);
		start = i + 1;
	}
	strbuf_add_html(sb, s + start, i - start);
}

/* The text, or a dash when the JSON has none. */
static void add_text_or_dash(struct strbuf *sb, const char *s)
{
	if (s && *s)
		add_text(sb, s);
	else
		strbuf_addstr(sb, "—");
}

static void add_code(struct strbuf *sb, const char *s)
{
	if (!s || !*s) {
		strbuf_addstr(sb, "—");
		return;
	}
	strbuf_addstr(sb, "<code>");
	add_text(sb, s);
	strbuf_addstr(sb, "</code>");
}

static void add_day(struct strbuf *sb, int64_t d)
{
	struct cdate c = date_from_days(d);
	date_fmt_iso(&c, sb);
}

/* A date from the JSON as it was written, flagged when it is not a date. */
static void add_date_raw(struct strbuf *sb, const char *raw, struct day d)
{
	add_text_or_dash(sb, raw);
	if (raw && *raw && !d.ok)
		strbuf_addstr(sb, "（无法识别的日期）");
}

/* "9f1c2ab（2025-06-10）" for tooltips. */
static void add_commit_tip(struct strbuf *sb, const char *commit, const char *date)
{
	add_text_or_dash(sb, commit);
	if (date && *date) {
		strbuf_addstr(sb, "（");
		add_text(sb, date);
		strbuf_addstr(sb, "）");
	}
}

/* Decode one UTF-8 character (malformed bytes count as one character each). */
static size_t utf8_next(const char *s, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, i;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	n = u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : u[0] >= 0xc0 ? 2 : 0;
	if (!n) {
		*cp = 0xfffd;
		return 1;
	}
	*cp = u[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		*cp = (*cp << 6) | (u[i] & 0x3f);
	}
	return n;
}

/*
 * How wide a character is drawn in the CJK sans faces, in em: ideographs,
 * kana, hangul and full-width forms take a whole em, the rest a little
 * over half.  Good enough to clip titles and keep labels apart.
 */
static double char_em(unsigned cp)
{
	if (cp < 0x20)
		return 0; /* dropped by add_text() */
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x20000)
		return 1.0;
	return 0.56;
}

static double text_em(const char *s)
{
	double w = 0;
	unsigned cp;
	while (s && *s) {
		s += utf8_next(s, &cp);
		w += char_em(cp);
	}
	return w;
}

/* The text, cut with "…" where it would grow wider than max_em. */
static void add_clipped(struct strbuf *sb, const char *s, double max_em)
{
	const char *p = s;
	double w = 0;
	unsigned cp;
	if (!s)
		return;
	if (text_em(s) <= max_em) {
		add_text(sb, s);
		return;
	}
	while (*p) {
		size_t n = utf8_next(p, &cp);
		if (w + char_em(cp) > max_em - 1.0)
			break;
		w += char_em(cp);
		p += n;
	}
	{
		char *head = xstrndup(s, (size_t)(p - s));
		add_text(sb, head);
		free(head);
	}
	strbuf_addstr(sb, "…");
}

/* "1 month" -> "1个月", "30 days" -> "30天"; anything else as it came. */
static void add_period(struct strbuf *sb, const char *s)
{
	char *end;
	long n;
	if (!s || !*s) {
		strbuf_addstr(sb, "—");
		return;
	}
	n = strtol(s, &end, 10);
	if (end != s && n >= 0) {
		while (*end == ' ')
			end++;
		if (!strcmp(end, "month") || !strcmp(end, "months") || !strcmp(end, "个月") || !strcmp(end, "月")) {
			strbuf_addf(sb, "%ld个月", n);
			return;
		}
		if (!strcmp(end, "day") || !strcmp(end, "days") || !strcmp(end, "天") || !strcmp(end, "日")) {
			strbuf_addf(sb, "%ld天", n);
			return;
		}
	}
	add_text(sb, s);
}

static const char *compliance_label(const struct nrow *r)
{
	if (r->compliant == 1)
		return "合规";
	if (r->compliant == 0)
		return "不合规";
	return r->withdrawn ? "不适用" : "待判定";
}

static const char *compliance_class(const struct nrow *r)
{
	if (r->compliant == 1)
		return "ok";
	if (r->compliant == 0)
		return "bad";
	return r->withdrawn ? "na" : "open";
}

/* The display bar's colour: withdrawn first, whatever the verdict. */
static const char *bar_class(const struct nrow *r)
{
	if (r->withdrawn)
		return "disp-wd";
	if (r->compliant == 1)
		return "disp-ok";
	if (r->compliant == 0)
		return "disp-bad";
	return "disp-open";
}

/* ---- the timeline ---- */

struct layout {
	double notices_head, notices_y, sites_head, sites_y, rows_end, legend_y;
	int height;
};

static void layout_of(const struct audit *a, struct layout *l)
{
	size_t nn = a->nr ? a->nr : 1, ns = a->nr_sites ? a->nr_sites : 1;
	l->notices_head = AXIS_H;
	l->notices_y = l->notices_head + GROUP_H;
	l->sites_head = l->notices_y + (double)nn * NOTICE_H + 10;
	l->sites_y = l->sites_head + GROUP_H;
	l->rows_end = l->sites_y + (double)ns * SITE_H;
	l->legend_y = l->rows_end + 46;
	l->height = (int)(l->legend_y + 2 * LEGEND_ROW + 8);
}

static double X(const struct audit *a, int64_t day)
{
	return audit_axis_x(&a->axis, day);
}


/* The middle of a day: where marks of a single day (today, a capture) stand. */
static double X_mid(const struct audit *a, int64_t day)
{
	return (X(a, day) + X(a, day + 1)) / 2;
}

/* A rectangle from x0 to x1 (at least 2 wide) with its tooltip, already escaped. */
static void svg_rect(struct strbuf *sb, const char *cls, double x0, double x1,
		     double y, double h, const char *tip)
{
	if (x1 - x0 < 2)
		x1 = x0 + 2;
	strbuf_addf(sb, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"",
		    cls, x0, y, x1 - x0, h);
	if (strcmp(cls, "site-notice") && strncmp(cls, "disp-cont", 9))
		strbuf_addstr(sb, " rx=\"1.5\"");
	strbuf_addf(sb, "><title>%s</title></rect>\n", tip);
}

/*
 * A short note on the display line of a row: from `start`, but not across
 * the vertical lines at marks[] (the minimum's marker and today, 0: none,
 * in increasing x); before everything the row draws (from `lo`) when it
 * would run off the right edge.
 */
static void svg_note(struct strbuf *sb, double start, const double marks[2], double lo, double y,
		     const char *cls, const char *text)
{
	double w = text_em(text) * 11;
	int i;
	for (i = 0; i < 2; i++)
		if (marks[i] > 0 && start < marks[i] + 6 && start + w > marks[i] - 3)
			start = marks[i] + 6;
	if (start + w <= SVG_W - 4)
		strbuf_addf(sb, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\">%s</text>\n", cls, start, y, text);
	else
		strbuf_addf(sb, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
			    cls, lo - 5, y, text);
}

static const char svg_style[] =
	"<style>\n"
	".jy-tl{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\",\"Microsoft YaHei\","
	"\"WenQuanYi Micro Hei\",sans-serif;font-size:12px}\n"
	".jy-tl text{fill:#1f1f1f}\n"
	".jy-tl .t{font-size:13px}\n"
	".jy-tl .sub,.jy-tl .note{font-size:11px;fill:#5c5c5c}\n"
	".jy-tl .head{font-size:13px;font-weight:bold}\n"
	".jy-tl .tick{font-size:11.5px;fill:#444}\n"
	".jy-tl .tick-y{font-size:11.5px;font-weight:bold}\n"
	".jy-tl .axis{stroke:#9a9a9a}\n"
	".jy-tl .grid{stroke:#e6e6e6}\n"
	".jy-tl .grid-y{stroke:#c4c4c4}\n"
	".jy-tl .zebra{fill:#f6f7f9}\n"
	".jy-tl .sep{stroke:#d6d6d6}\n"
	".jy-tl .decl{fill:#fff;stroke:#6b6b6b;stroke-width:1}\n"
	".jy-tl .disp-ok{fill:#2e7d32}\n"
	".jy-tl .disp-bad{fill:#c62828}\n"
	".jy-tl .disp-open{fill:#1d5ea8}\n"
	".jy-tl .disp-wd{fill:url(#jy-hatch);stroke:#8a8a8a;stroke-width:1}\n"
	".jy-tl .disp-cont{fill-opacity:.3}\n"
	".jy-tl .min line{stroke:#1f1f1f;stroke-width:1.5}\n"
	".jy-tl .min path{fill:#1f1f1f}\n"
	".jy-tl .track{stroke:#d0d0d0;stroke-width:1}\n"
	".jy-tl .site-notice{fill:#b3131b;fill-opacity:.09}\n"
	".jy-tl .cap{fill:#0b4f9c;stroke:#fff;stroke-width:1.5}\n"
	".jy-tl .cap-zombie{fill:#e07b00}\n"
	".jy-tl .today{stroke:#1f1f1f;stroke-width:1.5;stroke-dasharray:5 3}\n"
	".jy-tl .today-box{fill:#1f1f1f}\n"
	".jy-tl text.today-t{fill:#fff;font-size:11px}\n"
	".jy-tl .c-ok{fill:#1b6e2e}\n"
	".jy-tl .c-bad{fill:#b3131b;font-weight:bold}\n"
	".jy-tl .c-open{fill:#1d5ea8}\n"
	".jy-tl .c-na{fill:#5c5c5c}\n"
	".jy-tl a:hover .t{text-decoration:underline}\n"
	"</style>\n"
	"<defs><pattern id=\"jy-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
	"patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ececec\"/>"
	"<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8a8a8a\" stroke-width=\"2.5\"/></pattern></defs>\n";

/* Months between labels: 1, 2, 3 or 6 months, else whole years. */
static int tick_step(int months)
{
	static const int steps[] = { 1, 2, 3, 6, 12, 24, 36, 60, 120 };
	size_t i;
	int s;
	for (i = 0; i < ARRAY_SIZE(steps); i++)
		if ((months + steps[i] - 1) / steps[i] <= MAX_TICK_LABELS)
			return steps[i];
	for (s = 240; (months + s - 1) / s > MAX_TICK_LABELS; s *= 2)
		;
	return s;
}

static int month_index(const struct cdate *c)
{
	return c->year * 12 + c->month - 1;
}

static void svg_axis(struct strbuf *sb, const struct audit *a, const struct layout *l)
{
	struct cdate c = date_from_days(a->axis.first), e = date_from_days(a->axis.end);
	int months = month_index(&e) - month_index(&c), step = tick_step(months), i;
	struct strbuf label = STRBUF_INIT;

	strbuf_addf(sb, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n",
		    PLOT_X0, AXIS_H, PLOT_X1, AXIS_H);
	for (i = 0; i < months; i++, c = date_add_months(&c, 1)) {
		double x = X(a, date_to_days(&c));
		int labelled = step < 12 ? (c.month - 1) % step == 0
					 : c.month == 1 && c.year % (step / 12) == 0;
		/* Year boundaries get a darker line, unless there are too many to see. */
		int year_line = c.month == 1 && months <= 240;

		if (labelled || year_line) {
			strbuf_addf(sb, "<line class=\"%s\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
				    c.month == 1 ? "grid-y" : "grid", x, AXIS_H, x, l->rows_end);
			strbuf_addf(sb, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n",
				    x, AXIS_H - 18, x, AXIS_H);
		} else if (months <= 120) {
			strbuf_addf(sb, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n",
				    x, AXIS_H - 5, x, AXIS_H);
		}
		if (!labelled)
			continue;
		strbuf_reset(&label);
		if (step < 12)
			strbuf_addf(&label, "%d年%d月", c.year, c.month);
		else
			strbuf_addf(&label, "%d年", c.year);
		/* A label that would run off the right edge is left out. */
		if (x + 4 + text_em(label.buf) * TICK_PX > SVG_W - 4)
			continue;
		strbuf_addf(sb, "<text class=\"%s\" x=\"%.1f\" y=\"%d\">%s</text>\n",
			    c.month == 1 ? "tick-y" : "tick", x + 4, AXIS_H - 8, label.buf);
	}
	strbuf_release(&label);
}

/* Row shading, grid and axis, behind everything; decoration only. */
static void svg_backdrop(struct strbuf *sb, const struct audit *a, const struct layout *l)
{
	size_t i;
	strbuf_addstr(sb, "<g aria-hidden=\"true\">\n");
	for (i = 0; i < a->nr; i += 2)
		strbuf_addf(sb, "<rect class=\"zebra\" x=\"0\" y=\"%.1f\" width=\"%d\" height=\"%d\"/>\n",
			    l->notices_y + (double)i * NOTICE_H, SVG_W, NOTICE_H);
	for (i = 0; i < a->nr_sites; i += 2)
		strbuf_addf(sb, "<rect class=\"zebra\" x=\"0\" y=\"%.1f\" width=\"%d\" height=\"%d\"/>\n",
			    l->sites_y + (double)i * SITE_H, SVG_W, SITE_H);
	strbuf_addf(sb, "<line class=\"sep\" x1=\"0\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
		    l->sites_head - 5, SVG_W, l->sites_head - 5);
	if (a->has_axis)
		svg_axis(sb, a, l);
	else
		strbuf_addf(sb, "<text class=\"note\" x=\"%.1f\" y=\"%d\">审计数据中没有可用的日期，未绘制时间轴</text>\n",
			    PLOT_X0, AXIS_H - 8);
	strbuf_addf(sb, "<text class=\"head\" x=\"%d\" y=\"%.1f\">公告（%zu）</text>\n",
		    LABEL_X, l->notices_head + 20, a->nr);
	strbuf_addf(sb, "<text class=\"head\" x=\"%d\" y=\"%.1f\">归档网站（%zu）</text>\n",
		    LABEL_X, l->sites_head + 20, a->nr_sites);
	if (!a->nr)
		strbuf_addf(sb, "<text class=\"note\" x=\"%d\" y=\"%.1f\">无公告</text>\n",
			    LABEL_X, l->notices_y + 26);
	if (!a->nr_sites)
		strbuf_addf(sb, "<text class=\"note\" x=\"%d\" y=\"%.1f\">无归档网站</text>\n",
			    LABEL_X, l->sites_y + 22);
	strbuf_addstr(sb, "</g>\n");
}

static void svg_notice_label(struct strbuf *sb, const struct nrow *r, double y)
{
	const char *state = state_label(r->state);

	strbuf_addstr(sb, "<g><title>");
	add_text_or_dash(sb, r->title);
	strbuf_addstr(sb, "\n");
	add_text(sb, r->kind_label);
	if (state) {
		strbuf_addstr(sb, " · ");
		add_text(sb, state);
	}
	strbuf_addf(sb, " · %s</title>\n", compliance_label(r));
	strbuf_addf(sb, "<text class=\"t\" x=\"%d\" y=\"%.1f\">", LABEL_X, y + 20);
	if (r->title && *r->title)
		add_clipped(sb, r->title, TITLE_MAX_EM);
	else
		strbuf_addstr(sb, "（无标题）");
	strbuf_addf(sb, "</text>\n<text class=\"sub\" x=\"%d\" y=\"%.1f\">", LABEL_X, y + 38);
	add_clipped(sb, r->kind_label, 8);
	if (state) {
		strbuf_addstr(sb, " · ");
		add_clipped(sb, state, 6);
	}
	strbuf_addf(sb, " · <tspan class=\"c-%s\">%s</tspan></text>\n</g>\n",
		    compliance_class(r), compliance_label(r));
}

static void svg_notice(struct strbuf *sb, const struct audit *a, const struct nrow *r, double y)
{
	struct strbuf tip = STRBUF_INIT, note = STRBUF_INIT;
	double lo = SVG_W, start = PLOT_X0 + 2, marks[2] = { 0, 0 };   /* to place the row's note */
	const char *note_cls = "note";

	strbuf_addf(sb, "<a href=\"#notice-%zu\">\n", r->idx + 1);
	svg_notice_label(sb, r, y);
	if (!a->has_axis)
		goto done;

	/* Declared: from publication to the day before `until`. */
	if (r->pub.ok) {
		int has_until = r->until.ok && r->until.d > r->pub.d;
		int64_t end = has_until ? r->until.d :
			      r->min_last.ok && r->min_last.d >= r->pub.d ? r->min_last.d + 1 : r->pub.d + 1;
		strbuf_addstr(&tip, "声明展示期：");
		add_day(&tip, r->pub.d);
		if (has_until) {
			strbuf_addstr(&tip, " 至 ");
			add_day(&tip, r->until.d - 1);
			strbuf_addstr(&tip, "\n撤下日期（until）：");
			add_day(&tip, r->until.d);
		} else {
			strbuf_addstr(&tip, " 起\n未声明有效的撤下日期");
		}
		lo = start = X(a, r->pub.d);
		svg_rect(sb, "decl", lo, X(a, end), y + 8, 9, tip.buf);
		start += 2;
	}

	/*
	 * Displayed: from the first publish commit showing it to the one that
	 * removed it; a notice still in the latest build runs on to today.
	 */
	if (r->first.ok) {
		char cls[32];
		int64_t days = r->shown_end - r->first.d;
		double x0 = X(a, r->first.d), x1 = X(a, r->shown_end);

		strbuf_reset(&tip);
		strbuf_addstr(&tip, "实际展示：");
		add_day(&tip, r->first.d);
		strbuf_addstr(&tip, " 至 ");
		add_day(&tip, r->shown_end - 1);
		strbuf_addf(&tip, "，共 %lld 天\n首个发布提交：", (long long)days);
		add_commit_tip(&tip, r->first_commit, r->first_s);
		strbuf_addstr(&tip, "\n最后包含它的发布提交：");
		add_commit_tip(&tip, r->last_commit, r->last_s);
		if (r->still_shown) {
			strbuf_addstr(&tip, "\n仍在发布分支的最新提交中");
		} else if (r->removed_s) {
			strbuf_addstr(&tip, "\n撤下它的发布提交：");
			add_commit_tip(&tip, r->removed_commit, r->removed_s);
		}
		strbuf_addf(&tip, "\n%s%s", r->withdrawn ? "已撤回 · " : "", compliance_label(r));
		snprintf(cls, sizeof(cls), "disp %s", bar_class(r));
		svg_rect(sb, cls, x0, x1, y + 22, 14, tip.buf);
		lo = x0 < lo ? x0 : lo;
		start = x1 + 5;

		if (r->still_shown && a->today.ok && a->today.d >= r->shown_end) {
			double xt = X_mid(a, a->today.d);
			strbuf_reset(&tip);
			strbuf_addstr(&tip, "仍在展示：发布分支最新提交仍包含此公告（最后一次在 ");
			add_day(&tip, r->last.d);
			strbuf_addstr(&tip, "），至今日 ");
			add_day(&tip, a->today.d);
			snprintf(cls, sizeof(cls), "disp-cont %s", bar_class(r));
			svg_rect(sb, cls, x1, xt, y + 22, 14, tip.buf);
			start = xt + 5;
			days = a->today.d - r->first.d + 1;
		}
		strbuf_addf(&note, "%s%lld天", r->still_shown ? "至今 " : "", (long long)days);
	} else {
		strbuf_addstr(&note, is_state(r, "scheduled") ? "待发布" : "无展示记录");
		if (r->compliant == 0)
			note_cls = "note c-bad";
	}

	/* The minimum's end: the bar must reach this line. */
	if (r->min_last.ok) {
		const char *period = jstr(json_object_get(r->j, "minimum"), "period");
		double x = X(a, r->min_last.d + 1);
		strbuf_addstr(sb, "<g class=\"min\"><title>最短展示期");
		if (period) {
			strbuf_addstr(sb, "（");
			add_period(sb, period);
			strbuf_addstr(sb, "）");
		}
		strbuf_addstr(sb, "：须展示至 ");
		add_day(sb, r->min_last.d);
		strbuf_addf(sb, "（含当日）</title><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
			    "<path d=\"M%.1f %.1fh9l-4.5 6z\"/></g>\n",
			    x, y + 5, x, y + 41, x - 4.5, y + 2);
		lo = x - 4.5 < lo ? x - 4.5 : lo;
		marks[0] = x;
	}
	if (a->today.ok)
		marks[1] = X_mid(a, a->today.d);
	if (marks[0] > marks[1] && marks[1] > 0) {
		double t = marks[0];
		marks[0] = marks[1];
		marks[1] = t;
	}
	svg_note(sb, start, marks, lo, y + 33, note_cls, note.buf);
done:
	strbuf_addstr(sb, "</a>\n");
	strbuf_release(&tip);
	strbuf_release(&note);
}

static int is_zombie(const json_t *cap)
{
	return json_is_true(json_object_get(cap, "zombie"));
}

static void add_int_or_dash(struct strbuf *sb, const json_t *v)
{
	if (json_is_integer(v))
		strbuf_addf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else
		strbuf_addstr(sb, "—");
}

static void svg_site(struct strbuf *sb, const struct audit *a, const json_t *site, size_t idx, double y)
{
	const char *id = jstr(site, "id"), *name = jstr(site, "name");
	const json_t *caps = json_object_get(site, "captures");
	size_t nc = json_array_size(caps), i, zombies = 0;
	struct strbuf tip = STRBUF_INIT;
	double cy = y + SITE_H / 2.0;

	for (i = 0; i < nc; i++)
		zombies += is_zombie(json_array_get(caps, i));
	strbuf_addf(sb, "<a href=\"#site-%zu\">\n<g><title>", idx + 1);
	add_text_or_dash(sb, name && *name ? name : id);
	strbuf_addf(sb, "\n%zu 次归档%s</title>\n", nc, zombies ? " · 僵尸网站" : "");
	strbuf_addf(sb, "<text class=\"t\" x=\"%d\" y=\"%.1f\">", LABEL_X, y + 17);
	if (name && *name)
		add_clipped(sb, name, TITLE_MAX_EM);
	else if (id && *id)
		add_clipped(sb, id, TITLE_MAX_EM);
	else
		strbuf_addstr(sb, "（未命名网站）");
	strbuf_addf(sb, "</text>\n<text class=\"sub\" x=\"%d\" y=\"%.1f\">", LABEL_X, y + 32);
	if (id && *id) {
		add_clipped(sb, id, 10);
		strbuf_addstr(sb, " · ");
	}
	if (nc)
		strbuf_addf(sb, "归档 %zu 次", nc);
	else
		strbuf_addstr(sb, "无归档");
	if (zombies)
		strbuf_addstr(sb, " · <tspan class=\"c-bad\">僵尸网站</tspan>");
	strbuf_addstr(sb, "</text>\n</g>\n");
	if (!a->has_axis)
		goto done;

	/* The site's closure notices on display: captures are expected around them. */
	for (i = 0; id && i < a->nr; i++) {
		const struct nrow *r = &a->rows[i];
		int64_t from, to;
		if (!r->site || strcmp(r->site, id) || !r->kind || strcmp(r->kind, "closure"))
			continue;
		if (r->first.ok) {
			from = r->first.d;
			to = r->last.d + 1;
		} else if (r->pub.ok && r->until.ok && r->until.d > r->pub.d) {
			from = r->pub.d;
			to = r->until.d;
		} else {
			continue;
		}
		strbuf_reset(&tip);
		strbuf_addstr(&tip, r->first.ok ? "关停公告实际展示：" : "关停公告声明展示期：");
		add_day(&tip, from);
		strbuf_addstr(&tip, " 至 ");
		add_day(&tip, to - 1);
		strbuf_addstr(&tip, "\n");
		add_text_or_dash(&tip, r->title);
		svg_rect(sb, "site-notice", X(a, from), X(a, to), y + 4, SITE_H - 8, tip.buf);
	}
	strbuf_addf(sb, "<line class=\"track\" aria-hidden=\"true\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		    PLOT_X0, cy, PLOT_X1, cy);
	for (i = 0; i < nc; i++) {
		const json_t *cap = json_array_get(caps, i);
		const char *date = jstr(cap, "date");
		struct day d = day_of(date);
		if (!d.ok)
			continue;
		strbuf_reset(&tip);
		add_text_or_dash(&tip, jstr(cap, "tag"));
		strbuf_addstr(&tip, "\n归档日期：");
		add_text(&tip, date);
		strbuf_addstr(&tip, "\n资源：");
		add_int_or_dash(&tip, json_object_get(cap, "resources"));
		strbuf_addstr(&tip, " 个\n提交：");
		add_text_or_dash(&tip, jstr(cap, "commit"));
		if (is_zombie(cap))
			strbuf_addstr(&tip, "\n僵尸网站");
		strbuf_addf(sb, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\"><title>%s</title></circle>\n",
			    is_zombie(cap) ? "cap cap-zombie" : "cap", X_mid(a, d.d), cy, tip.buf);
	}
done:
	strbuf_addstr(sb, "</a>\n");
	strbuf_release(&tip);
}

static void svg_today(struct strbuf *sb, const struct audit *a, const struct layout *l)
{
	double x, bx, bw = 104;
	if (!a->has_axis || !a->today.ok)
		return;
	x = X_mid(a, a->today.d);
	bx = x - bw / 2;
	if (bx < PLOT_X0 - 20)
		bx = PLOT_X0 - 20;
	if (bx + bw > SVG_W - 2)
		bx = SVG_W - 2 - bw;
	strbuf_addstr(sb, "<g class=\"today-g\"><title>今日（审计日期）：");
	add_day(sb, a->today.d);
	strbuf_addf(sb, "</title>\n<line class=\"today\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		    x, AXIS_H - 2, x, l->rows_end + 6);
	strbuf_addf(sb, "<rect class=\"today-box\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"20\" rx=\"3\"/>\n",
		    bx, l->rows_end + 6, bw);
	strbuf_addf(sb, "<text class=\"today-t\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">今日 ",
		    bx + bw / 2, l->rows_end + 20);
	add_day(sb, a->today.d);
	strbuf_addstr(sb, "</text>\n</g>\n");
}

static void svg_legend(struct strbuf *sb, const struct layout *l)
{
	static const char *const labels[] = {
		"声明展示期", "实际展示期（合规）", "实际展示期（不合规）", "实际展示期（未判定）", "已撤回",
		"仍在展示（至今日）", "最短展示期末日", "关停公告展示期", "网站归档", "僵尸网站归档", "今日（审计日期）",
	};
	size_t i;

	strbuf_addstr(sb, "<g class=\"legend\"><title>图例</title>\n");
	for (i = 0; i < ARRAY_SIZE(labels); i++) {
		double x = LABEL_X + (double)(i % 6) * 163, y = l->legend_y + (double)(i / 6) * LEGEND_ROW;
		switch (i) {
		case 0:
			strbuf_addf(sb, "<rect class=\"decl\" x=\"%.1f\" y=\"%.1f\" width=\"24\" height=\"9\" rx=\"1.5\"/>", x, y - 9);
			break;
		case 1: case 2: case 3: case 4: {
			static const char *const cls[] = { "disp-ok", "disp-bad", "disp-open", "disp-wd" };
			strbuf_addf(sb, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"24\" height=\"12\" rx=\"1.5\"/>",
				    cls[i - 1], x, y - 11);
			break;
		}
		case 5:
			strbuf_addf(sb, "<rect class=\"disp-ok\" x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"12\"/>"
				    "<rect class=\"disp-cont disp-ok\" x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\"/>",
				    x, y - 11, x + 10, y - 11);
			break;
		case 6:
			strbuf_addf(sb, "<g class=\"min\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
				    "<path d=\"M%.1f %.1fh9l-4.5 6z\"/></g>", x + 12, y - 13, x + 12, y + 3, x + 7.5, y - 15);
			break;
		case 7:
			strbuf_addf(sb, "<rect class=\"site-notice\" x=\"%.1f\" y=\"%.1f\" width=\"24\" height=\"16\"/>", x, y - 13);
			break;
		case 8: case 9:
			strbuf_addf(sb, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\"/>",
				    i == 9 ? "cap cap-zombie" : "cap", x + 12, y - 5);
			break;
		default:
			strbuf_addf(sb, "<line class=\"today\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
				    x + 12, y - 15, x + 12, y + 4);
			break;
		}
		strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + 32, y, labels[i]);
	}
	strbuf_addstr(sb, "</g>\n");
}

static void add_month_cn(struct strbuf *sb, int64_t day)
{
	struct cdate c = date_from_days(day);
	strbuf_addf(sb, "%d年%d月", c.year, c.month);
}

static void timeline(struct strbuf *sb, const struct audit *a)
{
	struct layout l;
	size_t i;

	layout_of(a, &l);
	strbuf_addf(sb, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"jy-tl\" viewBox=\"0 0 %d %d\" "
		    "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"公告展示期与网站归档时间轴",
		    SVG_W, l.height, SVG_W, l.height);
	if (a->has_axis) {
		strbuf_addstr(sb, "，");
		add_month_cn(sb, a->axis.first);
		strbuf_addstr(sb, "至");
		add_month_cn(sb, a->axis.end - 1);
	}
	strbuf_addf(sb, "：%zu 条公告，%zu 个归档网站\">\n", a->nr, a->nr_sites);
	strbuf_addstr(sb, svg_style);
	svg_backdrop(sb, a, &l);
	for (i = 0; i < a->nr; i++)
		svg_notice(sb, a, &a->rows[i], l.notices_y + (double)i * NOTICE_H);
	for (i = 0; i < a->nr_sites; i++)
		svg_site(sb, a, json_array_get(a->sites, i), i, l.sites_y + (double)i * SITE_H);
	svg_today(sb, a, &l);
	svg_legend(sb, &l);
	strbuf_addstr(sb, "</svg>\n");
}

void audit_timeline_svg(const json_t *audit, struct strbuf *out)
{
	struct audit a;
	audit_load(&a, audit);
	timeline(out, &a);
	audit_release(&a);
}

/* ---- the page ---- */

static const char page_style[] =
	"<style>\n"
	":root{--ink:#1f1f1f;--muted:#5c5c5c;--line:#e2e2e2;--bg:#f3f3f3;--red:#b3131b;--green:#1b6e2e;"
	"--blue:#1d5ea8;--orange:#9a4a00;--link:#0b4f9c;"
	"--sans:\"PingFang SC\",\"Hiragino Sans GB\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",\"Source Han Sans SC\","
	"\"WenQuanYi Micro Hei\",sans-serif}\n"
	"*,*::before,*::after{box-sizing:border-box}\n"
	"html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
	"body{margin:0;font-family:var(--sans);font-size:15px;line-height:1.7;color:var(--ink);background:var(--bg)}\n"
	"a{color:var(--link)}\n"
	"code{font-family:ui-monospace,\"SFMono-Regular\",Menlo,Consolas,\"Liberation Mono\",monospace;font-size:.9em;"
	"background:#f1f3f5;padding:0 .3em;border-radius:3px;overflow-wrap:anywhere}\n"
	".wrap{max-width:1120px;margin:0 auto;padding:0 20px}\n"
	".top{background:#fff;border-top:6px solid var(--red);border-bottom:1px solid var(--line);padding:22px 0 16px}\n"
	".portal{margin:0;color:var(--red);font-weight:bold;letter-spacing:.08em}\n"
	"h1{margin:2px 0 10px;font-size:1.75rem;line-height:1.3}\n"
	".meta{display:flex;flex-wrap:wrap;gap:4px 28px;margin:0}\n"
	".meta div{display:flex;gap:8px}.meta dt{color:var(--muted)}.meta dd{margin:0}\n"
	".card{background:#fff;border:1px solid var(--line);border-radius:4px;padding:18px 22px;margin:18px 0}\n"
	"h2{font-size:1.25rem;line-height:1.4;margin:0 0 12px;padding-left:10px;border-left:4px solid var(--red)}\n"
	"h3{font-size:1.08rem;line-height:1.5;margin:0 0 8px}\n"
	"h4{font-size:.95rem;margin:14px 0 6px;color:var(--muted)}\n"
	".lead{font-size:1.1rem;margin:0}\n"
	".muted,.note{color:var(--muted)}.note{font-size:.9rem;margin:8px 0 0}\n"
	"strong.bad,.bad-text{color:var(--red)}\n"
	".attention{margin:10px 0 0;padding:10px 14px 10px 32px;background:#fdf3f3;border-left:4px solid var(--red)}\n"
	".chart{overflow-x:auto;border:1px solid var(--line);border-radius:3px;background:#fff;margin-top:10px}\n"
	".chart svg{display:block;width:100%;min-width:820px;height:auto}\n"
	".notice{margin:22px 0 0;padding:2px 0 2px 16px;border-left:4px solid #9a9a9a}\n"
	".notice.v-ok{border-left-color:#2e7d32}.notice.v-bad{border-left-color:var(--red)}"
	".notice.v-open{border-left-color:var(--blue)}\n"
	".site{border-top:1px solid var(--line);padding:16px 0 6px}\n"
	".site:first-of-type{border-top:0;padding-top:4px}\n"
	".v-ok strong.verdict{color:var(--green)}.v-bad strong.verdict{color:var(--red)}"
	".v-open strong.verdict{color:var(--blue)}\n"
	".badge{display:inline-block;font-size:.8rem;line-height:1.6;padding:0 .55em;border-radius:3px;"
	"border:1px solid currentColor;margin-right:6px;vertical-align:.1em;white-space:nowrap}\n"
	".b-ok{color:var(--green);background:#edf7ee}.b-bad{color:#fff;background:var(--red);border-color:var(--red)}\n"
	".b-open{color:var(--blue);background:#eef4fb}.b-na,.b-state{color:var(--muted);background:#f6f6f6}\n"
	".b-kind{color:var(--ink);background:#fff}.b-zombie{color:var(--orange);background:#fff4e5}\n"
	".scroll{overflow-x:auto}\n"
	"table{border-collapse:collapse;width:100%;font-size:.92rem}\n"
	"th,td{text-align:left;vertical-align:top;padding:6px 10px;border-bottom:1px solid var(--line)}\n"
	"thead th{background:#f6f7f9;font-weight:600;white-space:nowrap}\n"
	".kv th{width:7.5em;color:var(--muted);font-weight:normal;white-space:nowrap}\n"
	".kv ul{margin:4px 0 0;padding-left:1.3em}\n"
	".commits td:nth-child(1),.commits td:nth-child(3),.caps td{white-space:nowrap}\n"
	".commits td:nth-child(4){min-width:14em}\n"
	".num{text-align:right}\n"
	"footer{color:var(--muted);font-size:.88rem;padding:6px 0 30px}\n"
	"@media (max-width:640px){body{font-size:14px}.wrap{padding:0 12px}h1{font-size:1.35rem}.lead{font-size:1rem}"
	".card{padding:14px 14px;margin:12px 0}.kv th,.kv td{display:block;width:auto;border:0;padding:2px 0}"
	".kv th{padding-top:8px}.kv tr{display:block;border-bottom:1px solid var(--line);padding-bottom:6px}}\n"
	"@media print{@page{size:A4;margin:14mm}body{background:#fff;font-size:10pt}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	".top{border-top-width:3pt;padding:0 0 8pt}.wrap{max-width:none;padding:0}"
	".card{border:0;padding:0;margin:14pt 0}.chart{overflow:visible;border:0}.chart svg{min-width:0}"
	"tr,.keep,#timeline{break-inside:avoid}h2,h3,h4{break-after:avoid}a{color:inherit;text-decoration:none}"
	".scroll{overflow:visible}}\n"
	"</style>\n";

static void add_badge(struct strbuf *sb, const char *cls, const char *text)
{
	strbuf_addf(sb, "<span class=\"badge b-%s\">", cls);
	add_text(sb, text);
	strbuf_addstr(sb, "</span>");
}

static void page_header(struct strbuf *sb, const struct audit *a)
{
	const char *portal = jstr(a->j, "portal"), *gen = jstr(a->j, "generated");
	const json_t *pc = json_object_get(a->j, "publish_commits");

	strbuf_addstr(sb, "<header class=\"top\"><div class=\"wrap\">\n");
	if (portal && *portal) {
		strbuf_addstr(sb, "<p class=\"portal\">");
		add_text(sb, portal);
		strbuf_addstr(sb, "</p>\n");
	}
	strbuf_addstr(sb, "<h1>网站集约化公告与归档审计报告</h1>\n<dl class=\"meta\">\n<div><dt>审计日期</dt><dd>");
	if (a->today.ok) {
		struct cdate c = date_from_days(a->today.d);
		date_fmt_cn(&c, sb);
	} else {
		add_date_raw(sb, gen, a->today);
	}
	strbuf_addstr(sb, "</dd></div>\n<div><dt>发布分支</dt><dd>");
	add_code(sb, jstr(a->j, "branch"));
	strbuf_addstr(sb, "</dd></div>\n<div><dt>发布提交</dt><dd>");
	add_int_or_dash(sb, pc);
	if (json_is_integer(pc))
		strbuf_addstr(sb, " 次");
	strbuf_addstr(sb, "</dd></div>\n</dl>\n</div></header>\n");
}

static void add_reasons(struct strbuf *sb, const json_t *n, const char *sep)
{
	const json_t *reasons = json_object_get(n, "reasons");
	size_t i, shown = 0;
	for (i = 0; i < json_array_size(reasons); i++) {
		const char *s = json_string_value(json_array_get(reasons, i));
		if (!s || !*s)
			continue;
		if (shown++)
			strbuf_addstr(sb, sep);
		add_text(sb, s);
	}
}

static void notice_link(struct strbuf *sb, const struct nrow *r)
{
	strbuf_addf(sb, "<a href=\"#notice-%zu\">", r->idx + 1);
	if (r->title && *r->title)
		add_text(sb, r->title);
	else
		strbuf_addstr(sb, "（无标题）");
	strbuf_addstr(sb, "</a>");
}

static void page_summary(struct strbuf *sb, const struct audit *a)
{
	size_t i, ok = 0, bad = 0, open = 0, na = 0, caps = 0, zombie_sites = 0;

	for (i = 0; i < a->nr; i++) {
		const struct nrow *r = &a->rows[i];
		ok += r->compliant == 1;
		bad += r->compliant == 0;
		open += r->compliant == -1 && !r->withdrawn;
		na += r->compliant == -1 && r->withdrawn;
	}
	for (i = 0; i < a->nr_sites; i++) {
		const json_t *c = json_object_get(json_array_get(a->sites, i), "captures");
		size_t k, z = 0;
		caps += json_array_size(c);
		for (k = 0; k < json_array_size(c); k++)
			z |= (size_t)is_zombie(json_array_get(c, k));
		zombie_sites += z;
	}
	strbuf_addstr(sb, "<section class=\"card\" id=\"summary\">\n<h2>审计结论</h2>\n<p class=\"lead\">");
	strbuf_addf(sb, "%zu 条公告：%zu 条合规，", a->nr, ok);
	if (bad)
		strbuf_addf(sb, "<strong class=\"bad\">%zu 条不合规</strong>", bad);
	else
		strbuf_addstr(sb, "0 条不合规");
	if (open)
		strbuf_addf(sb, "，%zu 条尚未判定", open);
	if (na)
		strbuf_addf(sb, "，%zu 条已撤回（不作判定）", na);
	strbuf_addf(sb, "；归档网站 %zu 个，共 %zu 次归档", a->nr_sites, caps);
	if (zombie_sites)
		strbuf_addf(sb, "，其中僵尸网站 %zu 个", zombie_sites);
	strbuf_addstr(sb, "。</p>\n");
	if (bad) {
		strbuf_addstr(sb, "<ul class=\"attention\">\n");
		for (i = 0; i < a->nr; i++) {
			const struct nrow *r = &a->rows[i];
			if (r->compliant != 0)
				continue;
			strbuf_addstr(sb, "<li>");
			notice_link(sb, r);
			if (json_array_size(json_object_get(r->j, "reasons"))) {
				strbuf_addstr(sb, "：");
				add_reasons(sb, r->j, "；");
			}
			strbuf_addstr(sb, "</li>\n");
		}
		strbuf_addstr(sb, "</ul>\n");
	}
	strbuf_addstr(sb, "</section>\n");
}

static void page_timeline(struct strbuf *sb, const struct audit *a)
{
	strbuf_addstr(sb, "<section class=\"card\" id=\"timeline\">\n<h2>时间轴</h2>\n"
		      "<p class=\"note\">每条公告上方细框为声明展示期（发布日至撤下日前一日），下方实心条为实际展示期"
		      "（从发布分支上首个包含该公告的提交，到撤下它的发布提交前一日；尚未撤下的以浅色延续到今日），"
		      "竖线为最短展示期的最后一日：实心条应到达竖线。将鼠标停在图形上可查看确切日期与提交。</p>\n"
		      "<div class=\"chart\" role=\"region\" aria-label=\"时间轴（可横向滚动）\" tabindex=\"0\">\n");
	timeline(sb, a);
	strbuf_addstr(sb, "</div>\n</section>\n");
}

static void kv_row(struct strbuf *sb, const char *th)
{
	strbuf_addf(sb, "<tr><th scope=\"row\">%s</th><td>", th);
}

static void notice_declared(struct strbuf *sb, const struct nrow *r)
{
	const json_t *decl = json_object_get(r->j, "declared");
	const char *pub = jstr(decl, "published"), *until = jstr(decl, "until");

	kv_row(sb, "声明展示期");
	if (r->pub.ok && r->until.ok && r->until.d > r->pub.d) {
		add_day(sb, r->pub.d);
		strbuf_addstr(sb, " 至 ");
		add_day(sb, r->until.d - 1);
		strbuf_addstr(sb, " <span class=\"muted\">（");
		add_day(sb, r->until.d);
		strbuf_addstr(sb, " 起撤下）</span>");
	} else {
		strbuf_addstr(sb, "发布 ");
		add_date_raw(sb, pub, r->pub);
		strbuf_addstr(sb, "，撤下 ");
		add_date_raw(sb, until, r->until);
	}
	strbuf_addstr(sb, "</td></tr>\n");
}

static void notice_minimum(struct strbuf *sb, const struct nrow *r)
{
	const json_t *min = json_object_get(r->j, "minimum");
	const char *period = jstr(min, "period"), *last = jstr(min, "last_day");

	kv_row(sb, "最短展示期");
	if (!period && !last) {
		strbuf_addstr(sb, "—</td></tr>\n");
		return;
	}
	add_period(sb, period);
	strbuf_addstr(sb, "，须展示至 ");
	add_date_raw(sb, last, r->min_last);
	if (r->min_last.ok)
		strbuf_addstr(sb, "（含当日）");
	strbuf_addstr(sb, "</td></tr>\n");
}

static void add_commit_html(struct strbuf *sb, const char *what, const char *commit, const char *date)
{
	strbuf_addf(sb, "<br>%s ", what);
	add_code(sb, commit);
	strbuf_addstr(sb, "（");
	add_text_or_dash(sb, date);
	strbuf_addstr(sb, "）");
}

static void notice_displayed(struct strbuf *sb, const struct audit *a, const struct nrow *r)
{
	kv_row(sb, "实际展示期");
	if (!r->displayed) {
		if (is_state(r, "scheduled"))
			strbuf_addstr(sb, "尚未发布：发布分支上还没有包含此公告的提交");
		else
			strbuf_addstr(sb, "<span class=\"bad-text\">无</span>：发布分支上没有包含此公告的提交");
		strbuf_addstr(sb, "</td></tr>\n");
		return;
	}
	if (!r->first.ok) {
		add_date_raw(sb, r->first_s, r->first);
		strbuf_addstr(sb, " 至 ");
		add_date_raw(sb, r->last_s, r->last);
	} else if (r->still_shown) {
		add_day(sb, r->first.d);
		strbuf_addstr(sb, " 起，仍在展示");
		if (a->today.ok && a->today.d >= r->first.d)
			strbuf_addf(sb, "（至今日共 %lld 天）", (long long)(a->today.d - r->first.d + 1));
	} else {
		add_day(sb, r->first.d);
		strbuf_addstr(sb, " 至 ");
		add_day(sb, r->shown_end - 1);
		strbuf_addf(sb, "，共 %lld 天", (long long)(r->shown_end - r->first.d));
	}
	add_commit_html(sb, "首个发布提交", r->first_commit, r->first_s);
	add_commit_html(sb, "最后包含它的发布提交", r->last_commit, r->last_s);
	if (r->still_shown)
		strbuf_addstr(sb, "<br><span class=\"muted\">此后没有发布提交撤下它：它在发布分支的最新提交中</span>");
	else if (r->removed_s || r->removed_commit)
		add_commit_html(sb, "撤下它的发布提交", r->removed_commit, r->removed_s);
	strbuf_addstr(sb, "</td></tr>\n");
}

static void notice_commits(struct strbuf *sb, const struct nrow *r)
{
	const json_t *commits = json_object_get(r->j, "commits");
	size_t i, n = json_array_size(commits);

	strbuf_addf(sb, "<h4>内容提交（%zu）</h4>\n", n);
	if (!n) {
		strbuf_addstr(sb, "<p class=\"note\">无内容提交记录。</p>\n");
		return;
	}
	strbuf_addstr(sb, "<div class=\"scroll\"><table class=\"commits\">\n"
		      "<thead><tr><th scope=\"col\">提交</th><th scope=\"col\">作者</th>"
		      "<th scope=\"col\">时间</th><th scope=\"col\">说明</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		const json_t *c = json_array_get(commits, i);
		strbuf_addstr(sb, "<tr><td>");
		add_code(sb, jstr(c, "commit"));
		strbuf_addstr(sb, "</td><td>");
		add_text_or_dash(sb, jstr(c, "author"));
		strbuf_addstr(sb, "</td><td>");
		add_text_or_dash(sb, jstr(c, "date"));
		strbuf_addstr(sb, "</td><td>");
		add_text_or_dash(sb, jstr(c, "message"));
		strbuf_addstr(sb, "</td></tr>\n");
	}
	strbuf_addstr(sb, "</tbody></table></div>\n");
}

static void page_notice(struct strbuf *sb, const struct audit *a, const struct nrow *r)
{
	const char *slug = jstr(r->j, "slug"), *site_name = jstr(r->j, "site_name");
	const char *state = state_label(r->state);
	const char *reason = jstr(r->j, "withdrawn_reason");

	strbuf_addf(sb, "<article class=\"notice v-%s\" id=\"notice-%zu\">\n<div class=\"keep\">\n<h3>",
		    compliance_class(r), r->idx + 1);
	if (r->title && *r->title)
		add_text(sb, r->title);
	else
		strbuf_addstr(sb, "（无标题）");
	strbuf_addstr(sb, "</h3>\n<p>");
	add_badge(sb, compliance_class(r), compliance_label(r));
	add_badge(sb, "kind", r->kind_label);
	if (state)
		add_badge(sb, "state", state);
	strbuf_addstr(sb, "</p>\n<div class=\"scroll\"><table class=\"kv\">\n");
	kv_row(sb, "公告标识");
	add_code(sb, slug);
	strbuf_addstr(sb, "</td></tr>\n");
	kv_row(sb, "所属网站");
	if (site_name && *site_name) {
		add_text(sb, site_name);
		if (r->site && *r->site) {
			strbuf_addstr(sb, " ");
			add_code(sb, r->site);
		}
	} else {
		add_code(sb, r->site);
	}
	strbuf_addstr(sb, "</td></tr>\n");
	notice_declared(sb, r);
	notice_minimum(sb, r);
	notice_displayed(sb, a, r);
	if (r->withdrawn) {
		kv_row(sb, "撤回");
		strbuf_addstr(sb, "已撤回：");
		if (reason && *reason)
			add_text(sb, reason);
		else
			strbuf_addstr(sb, "<span class=\"bad-text\">未说明原因</span>");
		strbuf_addstr(sb, "</td></tr>\n");
	}
	kv_row(sb, "审计结论");
	strbuf_addf(sb, "<strong class=\"verdict\">%s</strong>", compliance_label(r));
	if (r->compliant == -1 && !r->withdrawn)
		strbuf_addstr(sb, "（最短展示期尚未届满或无从判断）");
	if (json_array_size(json_object_get(r->j, "reasons"))) {
		strbuf_addstr(sb, "<ul><li>");
		add_reasons(sb, r->j, "</li><li>");
		strbuf_addstr(sb, "</li></ul>");
	}
	strbuf_addstr(sb, "</td></tr>\n</table></div>\n</div>\n");
	notice_commits(sb, r);
	strbuf_addstr(sb, "</article>\n");
}

static void page_site(struct strbuf *sb, const struct audit *a, const json_t *site, size_t idx)
{
	const char *id = jstr(site, "id"), *name = jstr(site, "name");
	const json_t *caps = json_object_get(site, "captures");
	size_t i, n = json_array_size(caps), related = 0;

	strbuf_addf(sb, "<article class=\"site\" id=\"site-%zu\">\n<h3>", idx + 1);
	if (name && *name)
		add_text(sb, name);
	else
		strbuf_addstr(sb, "（未命名网站）");
	if (id && *id) {
		strbuf_addstr(sb, " ");
		add_code(sb, id);
	}
	strbuf_addstr(sb, "</h3>\n");
	for (i = 0; id && i < a->nr; i++) {
		const struct nrow *r = &a->rows[i];
		if (!r->site || strcmp(r->site, id))
			continue;
		strbuf_addstr(sb, related++ ? "、" : "<p>相关公告：");
		notice_link(sb, r);
	}
	if (related)
		strbuf_addstr(sb, "</p>\n");
	if (!n) {
		strbuf_addstr(sb, "<p class=\"note\">尚无归档。</p>\n</article>\n");
		return;
	}
	strbuf_addstr(sb, "<div class=\"scroll\"><table class=\"caps\">\n<thead><tr><th scope=\"col\">归档日期</th>"
		      "<th scope=\"col\">标签</th><th scope=\"col\">提交</th><th scope=\"col\" class=\"num\">资源数</th>"
		      "<th scope=\"col\">状态</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		const json_t *c = json_array_get(caps, i);
		const char *date = jstr(c, "date");
		strbuf_addstr(sb, "<tr><td>");
		add_date_raw(sb, date, day_of(date));
		strbuf_addstr(sb, "</td><td>");
		add_code(sb, jstr(c, "tag"));
		strbuf_addstr(sb, "</td><td>");
		add_code(sb, jstr(c, "commit"));
		strbuf_addstr(sb, "</td><td class=\"num\">");
		add_int_or_dash(sb, json_object_get(c, "resources"));
		strbuf_addstr(sb, "</td><td>");
		if (is_zombie(c))
			add_badge(sb, "zombie", "僵尸网站");
		else
			strbuf_addstr(sb, "—");
		strbuf_addstr(sb, "</td></tr>\n");
	}
	strbuf_addstr(sb, "</tbody></table></div>\n</article>\n");
}

int audit_report_html(const json_t *audit, struct strbuf *out)
{
	struct audit a;
	const char *portal = jstr(audit, "portal"), *branch = jstr(audit, "branch");
	size_t i;

	audit_load(&a, audit);
	strbuf_addstr(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<title>网站集约化公告与归档审计报告");
	if (portal && *portal) {
		strbuf_addstr(out, " · ");
		add_text(out, portal);
	}
	strbuf_addstr(out, "</title>\n");
	strbuf_addstr(out, page_style);
	strbuf_addstr(out, "</head>\n<body>\n");
	page_header(out, &a);
	strbuf_addstr(out, "<main class=\"wrap\">\n");
	page_summary(out, &a);
	page_timeline(out, &a);

	strbuf_addstr(out, "<section class=\"card\" id=\"notices\">\n<h2>公告明细</h2>\n");
	if (!a.nr)
		strbuf_addstr(out, "<p class=\"note\">没有公告。</p>\n");
	for (i = 0; i < a.nr; i++)
		page_notice(out, &a, &a.rows[i]);
	strbuf_addstr(out, "</section>\n<section class=\"card\" id=\"sites\">\n<h2>归档网站</h2>\n");
	if (!a.nr_sites)
		strbuf_addstr(out, "<p class=\"note\">没有归档网站。</p>\n");
	for (i = 0; i < a.nr_sites; i++)
		page_site(out, &a, json_array_get(a.sites, i), i);
	strbuf_addstr(out, "</section>\n</main>\n<footer class=\"wrap\">\n<p>本报告由 jiyue audit 生成。"
		      "实际展示期自发布分支");
	if (branch && *branch) {
		strbuf_addstr(out, " ");
		add_code(out, branch);
		strbuf_addstr(out, " ");
	}
	strbuf_addstr(out, "上首个包含该公告的发布提交之日起，至撤下它的发布提交之日前一日止；最新发布提交仍包含的公告"
		      "视为展示至今日。日期均为北京时间。展示期按《民法典》第二百零一、二百零二条计算：发布当日不计入，"
		      "期间的最后一日公告须仍在展示。</p>\n</footer>\n"
		      "</body>\n</html>\n");
	audit_release(&a);
	return 0;
}

int audit_report_write(const json_t *audit, const char *dir, struct strbuf *err)
{
	struct strbuf html = STRBUF_INIT, path = STRBUF_INIT;
	int ret = 0;

	if (mkdir_p(dir, 0755)) {
		strbuf_addf(err, "unable to create '%s': %s", dir, strerror(errno));
		return -1;
	}
	audit_report_html(audit, &html);
	strbuf_addf(&path, "%s/index.html", dir);
	if (write_file(path.buf, html.buf, html.len)) {
		strbuf_addf(err, "unable to write '%s': %s", path.buf, strerror(errno));
		ret = -1;
	}
	strbuf_release(&html);
	strbuf_release(&path);
	return ret;
}
