#include "gen/report.h"
#include "gen/ledger.h"
#include "common/csvio.h"
#include "common/diag.h"
#include "common/fsutil.h"
#include "common/path.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One site's state on the month's last day. */
struct report_row {
	const struct ledger_site *s;
	const char *status;
	int closed, closed_this_month, migrated, archived, overdue, zombie;
	int dereg[SITE_DEREG_ITEMS];
	int has_deadline, has_notice;
	struct cdate deadline, notice;
	size_t mappings, unresolved;
};

struct report_totals {
	size_t sites, by_disposition[5], retained;
	size_t closed, closed_this_month, migrated, archived, overdue, zombie;
	size_t dereg[SITE_DEREG_ITEMS], dereg_all, unresolved, mappings;
};

struct report {
	const struct report_options *o;
	struct ledger_source src;
	struct cdate first, last, due;
	struct report_row *rows;
	size_t nr;
	struct report_totals t;
	struct diag_list findings;    /* the ledger's self-check as of the last day */
};

/* ---- the mappings ---- */

static int is_header(const char *first_field)
{
	return !strncasecmp(first_field, "old url", 7) || !strncasecmp(first_field, "old_url", 7);
}

/*
 * Rows and unresolved rows (blank new URL) of a mappings file, read with
 * the same CSV reader as the build (common/csvio).  The build reports a
 * malformed file; here it counts as none.
 */
static int blank(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return !*s;
}

/* The column of "new url" in a header row, or -1. */
static int new_url_column(const struct csv_reader *r)
{
	size_t i;
	for (i = 0; i < r->nr; i++)
		if (!strcasecmp(r->fields[i].s, "new url") || !strcasecmp(r->fields[i].s, "new_url"))
			return (int)i;
	return -1;
}

int report_count_unresolved_mappings(const char *path, size_t *rows, size_t *unresolved)
{
	struct strbuf text = STRBUF_INIT;
	struct csv_reader r;
	int first = 1, col = 1;

	*rows = *unresolved = 0;
	if (!is_file(path))
		return 0;
	if (strbuf_read_file(&text, path))
		return -1;
	csv_reader_init(&r, text.buf, text.len);
	while (csv_next(&r) > 0) {
		if (first && r.nr && is_header(r.fields[0].s)) {
			first = 0;
			if (new_url_column(&r) >= 0)
				col = new_url_column(&r);
			continue;
		}
		first = 0;
		if (r.nr == 1 && !r.fields[0].len)
			continue;
		(*rows)++;
		*unresolved += r.nr <= (size_t)col || blank(r.fields[col].s);
	}
	csv_reader_release(&r);
	strbuf_release(&text);
	return 0;
}

/* ---- the month ---- */

static int parse_month(const char *s, struct cdate *first, struct cdate *last)
{
	char *end;
	long y, m;
	if (strlen(s) != 7 || s[4] != '-')
		return -1;
	y = strtol(s, &end, 10);
	if (end != s + 4)
		return -1;
	m = strtol(s + 5, &end, 10);
	if (*end || !isdigit((unsigned char)s[5]) || y < 1970 || y > 9999 || m < 1 || m > 12)
		return -1;
	first->year = last->year = (int)y;
	first->month = last->month = (int)m;
	first->day = 1;
	last->day = date_days_in_month((int)y, (int)m);
	return 0;
}

/* ---- the rows ---- */

static int notice_published_by(const struct notices *n, const char *id, const struct cdate *day)
{
	size_t i;
	for (i = 0; i < n->nr; i++) {
		const struct notice *no = n->items[i];
		if (no->site_id && !strcmp(no->site_id, id) && !no->withdrawn &&
		    (no->kind == NOTICE_CLOSURE || no->kind == NOTICE_MIGRATION) &&
		    date_cmp(&no->published, day) <= 0)
			return 1;
	}
	return 0;
}

static const char *status_of(const struct report_row *row, const struct cdate *day)
{
	const struct site_record *r = &row->s->rec;
	if (r->disposition == SITE_MOVE)
		return row->closed ? "已整体迁移" : "保留（整体迁移中）";
	if (r->disposition == SITE_INDEPENDENT)
		return "保留独立运行";
	if (row->closed)
		return "已关停";
	if (row->has_notice && date_cmp(&row->notice, day) <= 0)
		return "关停公告期";
	if (site_date_by(&r->approved, day))
		return "已批准，整合中";
	return "待批准";
}

static void fill_row(struct report *rp, struct report_row *row, const struct ledger_site *s)
{
	const struct site_record *r = &s->rec;
	const struct cdate *day = &rp->last;
	struct strbuf path = STRBUF_INIT;
	int i;

	row->s = s;
	row->closed = site_date_by(&r->closed, day);
	row->closed_this_month = row->closed && date_cmp(&r->closed.day, &rp->first) >= 0;
	row->migrated = siterec_has_target(r) &&
			(row->closed || notice_published_by(&rp->src.notices, r->id, day));
	row->archived = s->capture.present && date_cmp(&s->capture.date, day) <= 0;
	row->zombie = r->disposition == SITE_ZOMBIE || (row->archived && s->capture.zombie == 1);
	row->overdue = ledger_overdue(&rp->src.ledger, s, day);
	row->has_deadline = !ledger_deadline(&rp->src.ledger, s, &row->deadline);
	if (s->closure) {
		row->has_notice = 1;
		row->notice = s->closure->published;
	} else if (r->notice_start.set) {
		row->has_notice = 1;
		row->notice = r->notice_start.day;
	}
	for (i = 0; i < SITE_DEREG_ITEMS; i++)
		row->dereg[i] = site_date_by(&r->deregistered[i], day);
	path_in(&path, rp->o->source_dir, "content/sites/");
	strbuf_addf(&path, "%s.mappings.csv", r->id);
	if (report_count_unresolved_mappings(path.buf, &row->mappings, &row->unresolved))
		diag_warning(&rp->findings, path.buf, 0, 0, NULL, "unable to read the mappings: %s", strerror(errno));
	row->status = status_of(row, day);
	strbuf_release(&path);
}

static void add_totals(struct report_totals *t, const struct report_row *row)
{
	int i, all = 1;
	t->sites++;
	t->by_disposition[row->s->rec.disposition]++;
	t->retained += ledger_is_retained(row->s);
	t->closed += row->closed;
	t->closed_this_month += row->closed_this_month;
	t->migrated += row->migrated;
	t->archived += row->archived;
	t->overdue += row->overdue;
	t->zombie += row->zombie;
	for (i = 0; i < SITE_DEREG_ITEMS; i++) {
		t->dereg[i] += row->dereg[i];
		all &= row->dereg[i];
	}
	t->dereg_all += all;
	t->mappings += row->mappings;
	t->unresolved += row->unresolved;
}

static void collect(struct report *rp)
{
	const struct ledger *l = &rp->src.ledger;
	size_t i;
	rp->rows = xcalloc(l->nr ? l->nr : 1, sizeof(*rp->rows));
	for (i = 0; i < l->nr; i++) {
		if (!ledger_is_ledger_record(l->sites[i]))
			continue;
		fill_row(rp, &rp->rows[rp->nr], l->sites[i]);
		add_totals(&rp->t, &rp->rows[rp->nr++]);
	}
}

/* ---- CSV (RFC 4180, UTF-8 with a BOM so that Excel reads it as UTF-8) ---- */

static void csv_put(struct strbuf *sb, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n") || (*s && (isspace((unsigned char)*s) || isspace((unsigned char)s[strlen(s) - 1])))) {
		strbuf_addch(sb, '"');
		for (; *s; s++) {
			if (*s == '"')
				strbuf_addch(sb, '"');
			strbuf_addch(sb, *s);
		}
		strbuf_addch(sb, '"');
	} else {
		strbuf_addstr(sb, s);
	}
	strbuf_addstr(sb, last ? "\r\n" : ",");
}

static const char *day_or_blank(struct strbuf *scratch, int set, const struct cdate *d)
{
	strbuf_reset(scratch);
	if (set)
		date_fmt_iso(d, scratch);
	return scratch->buf;
}

static const char *const csv_header[] = {
	"网站标识", "网站名称", "主管部门", "单位类型", "处置方式", "整合去向", "网址", "状态",
	"批准日期", "公告日期", "关停日期", "关停期限", "是否超期", "是否迁移", "归档日期", "僵尸网站",
	"域名注销", "ICP备案注销", "党政机关网站标识注销", "公安机关联网备案注销", "映射条数", "未决映射",
};
#define CSV_COLUMNS (sizeof(csv_header) / sizeof(*csv_header))

static void csv_row(struct strbuf *sb, const struct report_row *row)
{
	const struct site_record *r = &row->s->rec;
	struct strbuf t = STRBUF_INIT, hosts = STRBUF_INIT;
	size_t i;
	for (i = 0; i < r->nr_hosts; i++)
		strbuf_addf(&hosts, "%s%s", i ? " " : "", r->hosts[i]);
	csv_put(sb, r->id, 0);
	csv_put(sb, r->name ? r->name : "", 0);
	csv_put(sb, r->department ? r->department : "", 0);
	csv_put(sb, siterec_unit_label(r->unit_type), 0);
	csv_put(sb, siterec_disposition_label(r->disposition), 0);
	csv_put(sb, r->target ? r->target : "", 0);
	csv_put(sb, hosts.buf, 0);
	csv_put(sb, row->status, 0);
	csv_put(sb, day_or_blank(&t, r->approved.set, &r->approved.day), 0);
	csv_put(sb, day_or_blank(&t, row->has_notice, &row->notice), 0);
	csv_put(sb, day_or_blank(&t, row->closed, &r->closed.day), 0);
	csv_put(sb, day_or_blank(&t, row->has_deadline, &row->deadline), 0);
	csv_put(sb, row->overdue ? "是" : "否", 0);
	csv_put(sb, row->migrated ? "是" : "否", 0);
	csv_put(sb, day_or_blank(&t, row->archived, &row->s->capture.date), 0);
	csv_put(sb, row->zombie ? "是" : "否", 0);
	for (i = 0; i < SITE_DEREG_ITEMS; i++)
		csv_put(sb, day_or_blank(&t, row->dereg[i], &r->deregistered[i].day), 0);
	strbuf_reset(&t);
	strbuf_addf(&t, "%zu", row->mappings);
	csv_put(sb, t.buf, 0);
	strbuf_reset(&t);
	strbuf_addf(&t, "%zu", row->unresolved);
	csv_put(sb, t.buf, 1);
	strbuf_release(&t);
	strbuf_release(&hosts);
}

/* The 合计 row: counts where a column can be counted, blank elsewhere. */
static void csv_totals(struct strbuf *sb, const struct report_totals *t)
{
	size_t counts[CSV_COLUMNS] = { 0 }, i;
	int counted[CSV_COLUMNS] = { 0 };
	struct strbuf n = STRBUF_INIT;
	static const int cols[] = { 10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21 };
	const size_t vals[] = { t->closed, t->overdue, t->migrated, t->archived, t->zombie, t->dereg[0],
				t->dereg[1], t->dereg[2], t->dereg[3], t->mappings, t->unresolved };
	for (i = 0; i < sizeof(cols) / sizeof(*cols); i++) {
		counts[cols[i]] = vals[i];
		counted[cols[i]] = 1;
	}
	csv_put(sb, "合计", 0);
	strbuf_addf(&n, "%zu个网站", t->sites);
	csv_put(sb, n.buf, 0);
	for (i = 2; i < CSV_COLUMNS; i++) {
		strbuf_reset(&n);
		if (counted[i])
			strbuf_addf(&n, "%zu", counts[i]);
		csv_put(sb, n.buf, i == CSV_COLUMNS - 1);
	}
	strbuf_release(&n);
}

static void write_csv(const struct report *rp, struct strbuf *sb)
{
	size_t i;
	strbuf_addstr(sb, "\xEF\xBB\xBF");
	for (i = 0; i < CSV_COLUMNS; i++)
		csv_put(sb, csv_header[i], i == CSV_COLUMNS - 1);
	for (i = 0; i < rp->nr; i++)
		csv_row(sb, &rp->rows[i]);
	csv_totals(sb, &rp->t);
}

/* ---- HTML: one self-contained page, printable on A4 landscape ---- */

static const char report_css[] =
	"body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;"
	"color:#1a1a1a;margin:0;padding:24px 32px;font-size:14px;line-height:1.6;background:#fff}"
	"h1{font-size:24px;text-align:center;color:#b4000f;margin:8px 0 4px;letter-spacing:2px}"
	".subtitle{text-align:center;margin:0 0 8px;font-size:16px}"
	".rule{border:0;border-top:3px solid #b4000f;margin:8px 0 16px}"
	"h2{font-size:18px;border-left:4px solid #b4000f;padding-left:8px;margin:24px 0 8px}"
	"dl.meta{display:flex;flex-wrap:wrap;gap:4px 24px;margin:0 0 8px;justify-content:center}"
	"dl.meta div{display:flex;gap:4px}dl.meta dt{color:#555}dl.meta dd{margin:0;font-weight:bold}"
	"table{border-collapse:collapse;width:100%;margin:8px 0}"
	"th,td{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top}"
	"thead th{background:#f2e6e6}tfoot td,tfoot th{background:#f7f7f7;font-weight:bold}"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
	"table.summary{width:auto;min-width:50%}"
	"table.sites{font-size:12px}table.sites th,table.sites td{white-space:nowrap}table.sites td.wrap{white-space:normal}"
	".bad{color:#b4000f;font-weight:bold}.warn{color:#8a5a00}"
	"ul.findings{padding-left:20px}ul.findings li{margin:2px 0}"
	"code{font-family:monospace;font-size:12px;color:#444}"
	"footer{margin-top:24px;border-top:1px solid #999;padding-top:8px;font-size:12px;color:#444}"
	"@page{size:A4 landscape;margin:12mm}"
	"@media print{body{padding:0;font-size:11pt}table.sites{font-size:8pt}"
	"tr{break-inside:avoid}h2{break-after:avoid}thead{display:table-header-group}}";

static void h(struct strbuf *sb, const char *s)
{
	strbuf_add_html(sb, s, strlen(s));
}

static void cn_day(struct strbuf *sb, const struct cdate *d)
{
	date_fmt_cn(d, sb);
}

static void summary_row(struct strbuf *sb, const char *label, size_t n, const char *note)
{
	strbuf_addstr(sb, "<tr><th scope=\"row\">");
	h(sb, label);
	strbuf_addf(sb, "</th><td class=\"num\">%zu</td><td>", n);
	h(sb, note);
	strbuf_addstr(sb, "</td></tr>\n");
}

static void html_summary(struct strbuf *sb, const struct report *rp)
{
	const struct report_totals *t = &rp->t;
	struct strbuf note = STRBUF_INIT;
	int d;
	strbuf_addstr(sb, "<h2>一、总体情况</h2>\n<table class=\"summary\">\n"
		      "<thead><tr><th scope=\"col\">项目</th><th scope=\"col\" class=\"num\">数量</th>"
		      "<th scope=\"col\">说明</th></tr></thead>\n<tbody>\n");
	for (d = SITE_CLOSE; d <= SITE_ZOMBIE; d++)
		strbuf_addf(&note, "%s%s %zu", d > SITE_CLOSE ? "，" : "", siterec_disposition_label(d),
			    t->by_disposition[d]);
	summary_row(sb, "纳入底账网站", t->sites, note.buf);
	strbuf_reset(&note);
	strbuf_addf(&note, "其中本月关停 %zu", t->closed_this_month);
	summary_row(sb, "已关停", t->closed, note.buf);
	summary_row(sb, "已迁移", t->migrated, "内容已迁移至门户网站栏目");
	summary_row(sb, "已归档", t->archived, "有完整的归档采集（archive/ID/capture.json）");
	strbuf_reset(&note);
	if (t->sites)
		strbuf_addf(&note, "占 %.1f%%，上限 %ld%%", 100.0 * (double)t->retained / (double)t->sites,
			    rp->src.ledger.policy.retained_max_percent);
	summary_row(sb, "保留网站", t->retained, note.buf);
	summary_row(sb, "四项注销全部完成", t->dereg_all, "域名、ICP备案、党政机关网站标识、公安机关联网备案");
	summary_row(sb, "超期未完成关停", t->overdue, "批准后超过期限仍未关停或逾期关停");
	summary_row(sb, "僵尸网站", t->zombie, "");
	strbuf_reset(&note);
	strbuf_addf(&note, "共 %zu 条映射", t->mappings);
	summary_row(sb, "未决映射", t->unresolved, note.buf);
	strbuf_addstr(sb, "</tbody>\n</table>\n");
	strbuf_release(&note);
}

static void html_dereg(struct strbuf *sb, const struct report *rp)
{
	size_t i, due = 0;
	int k;
	for (i = 0; i < rp->nr; i++)
		due += rp->rows[i].closed && rp->rows[i].s->rec.disposition != SITE_MOVE &&
		       rp->rows[i].s->rec.disposition != SITE_INDEPENDENT;
	strbuf_addstr(sb, "<h2>二、注销情况</h2>\n<table class=\"summary\">\n"
		      "<thead><tr><th scope=\"col\">注销事项</th><th scope=\"col\" class=\"num\">已注销</th>"
		      "<th scope=\"col\" class=\"num\">已关停待注销</th></tr></thead>\n<tbody>\n");
	for (k = 0; k < SITE_DEREG_ITEMS; k++) {
		size_t pending = 0;
		for (i = 0; i < rp->nr; i++)
			pending += rp->rows[i].closed && !rp->rows[i].dereg[k] &&
				   !ledger_is_retained(rp->rows[i].s);
		strbuf_addstr(sb, "<tr><th scope=\"row\">");
		h(sb, siterec_dereg_label(k));
		strbuf_addf(sb, "</th><td class=\"num\">%zu</td><td class=\"num%s\">%zu</td></tr>\n",
			    rp->t.dereg[k], pending ? " warn" : "", pending);
	}
	strbuf_addf(sb, "</tbody>\n</table>\n<p>已关停网站 %zu 个，应完成注销。</p>\n", due);
}

static void cell_day(struct strbuf *sb, int set, const struct cdate *d, const char *cls)
{
	strbuf_addf(sb, "<td%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	if (set)
		date_fmt_iso(d, sb);
	strbuf_addstr(sb, "</td>");
}

static void html_site_row(struct strbuf *sb, const struct report_row *row)
{
	const struct site_record *r = &row->s->rec;
	size_t i;
	int k;
	strbuf_addstr(sb, "<tr><td class=\"wrap\">");
	h(sb, r->name ? r->name : r->id);
	strbuf_addstr(sb, "<br><code>");
	for (i = 0; i < r->nr_hosts; i++) {
		if (i)
			strbuf_addstr(sb, "<br>");
		h(sb, r->hosts[i]);
	}
	strbuf_addstr(sb, "</code></td><td>");
	h(sb, siterec_unit_label(r->unit_type));
	strbuf_addstr(sb, "</td><td>");
	h(sb, siterec_disposition_label(r->disposition));
	strbuf_addstr(sb, "</td><td>");
	h(sb, r->target ? r->target : "");
	strbuf_addstr(sb, "</td><td>");
	h(sb, row->status);
	strbuf_addstr(sb, "</td>");
	cell_day(sb, r->approved.set, &r->approved.day, NULL);
	cell_day(sb, row->closed, &r->closed.day, NULL);
	cell_day(sb, row->has_deadline, &row->deadline, row->overdue ? "bad" : NULL);
	strbuf_addf(sb, "<td>%s</td>", row->migrated ? "是" : "否");
	cell_day(sb, row->archived, &row->s->capture.date, NULL);
	for (k = 0; k < SITE_DEREG_ITEMS; k++) {
		strbuf_addstr(sb, row->dereg[k] ? "<td>" : row->closed && !ledger_is_retained(row->s) ?
			      "<td class=\"warn\">未注销" : "<td>");
		if (row->dereg[k])
			date_fmt_iso(&r->deregistered[k].day, sb);
		strbuf_addstr(sb, "</td>");
	}
	strbuf_addf(sb, "<td class=\"num%s\">%zu</td></tr>\n", row->unresolved ? " warn" : "", row->unresolved);
}

/* Short labels for the deregistration columns, under one 注销日期 heading. */
static const char *const dereg_short[SITE_DEREG_ITEMS] = { "域名", "ICP备案", "网站标识", "公安备案" };

static void html_sites(struct strbuf *sb, const struct report *rp)
{
	static const char *const cols[] = { "网站名称及网址", "单位类型", "处置方式", "整合去向", "状态",
					    "批准日期", "关停日期", "关停期限", "迁移", "归档日期" };
	size_t i;
	int k;
	strbuf_addstr(sb, "<h2>三、各网站进展</h2>\n<table class=\"sites\">\n<thead><tr>");
	for (i = 0; i < sizeof(cols) / sizeof(*cols); i++) {
		strbuf_addstr(sb, "<th scope=\"col\" rowspan=\"2\">");
		h(sb, cols[i]);
		strbuf_addstr(sb, "</th>");
	}
	strbuf_addstr(sb, "<th scope=\"colgroup\" colspan=\"4\">注销日期</th>"
		      "<th scope=\"col\" rowspan=\"2\" class=\"num\">未决映射</th></tr>\n<tr>");
	for (k = 0; k < SITE_DEREG_ITEMS; k++)
		strbuf_addf(sb, "<th scope=\"col\">%s</th>", dereg_short[k]);
	strbuf_addstr(sb, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < rp->nr; i++)
		html_site_row(sb, &rp->rows[i]);
	if (!rp->nr)
		strbuf_addstr(sb, "<tr><td colspan=\"15\">底账中暂无网站。</td></tr>\n");
	strbuf_addstr(sb, "</tbody>\n</table>\n<p>注销日期：域名、ICP备案、党政机关网站标识、公安机关联网备案的注销日期；"
		      "已关停而未注销的标为“未注销”。</p>\n");
}

static void html_findings(struct strbuf *sb, const struct report *rp)
{
	size_t i;
	strbuf_addf(sb, "<h2>四、自查情况</h2>\n<p>按工作底账自查（jiyue check）：错误 %zu 项，提示 %zu 项。</p>\n",
		    rp->findings.errors, rp->findings.warnings);
	if (!rp->findings.nr)
		return;
	strbuf_addstr(sb, "<ul class=\"findings\">\n");
	for (i = 0; i < rp->findings.nr; i++) {
		const struct diag *d = &rp->findings.items[i];
		strbuf_addf(sb, "<li><span class=\"%s\">%s</span> ", d->severity == DIAG_ERROR ? "bad" : "warn",
			    d->severity == DIAG_ERROR ? "错误" : "提示");
		h(sb, d->msg);
		if (d->file) {
			strbuf_addstr(sb, " <code>");
			h(sb, d->file);
			if (d->line)
				strbuf_addf(sb, ":%u", d->line);
			strbuf_addstr(sb, "</code>");
		}
		strbuf_addstr(sb, "</li>\n");
	}
	strbuf_addstr(sb, "</ul>\n");
}

static void write_html(const struct report *rp, struct strbuf *sb)
{
	const char *title = rp->src.cfg.title ? rp->src.cfg.title : "";
	strbuf_addstr(sb, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	h(sb, title);
	strbuf_addf(sb, "政府网站集约化工作进展月报（%d年%d月）</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n",
		    rp->first.year, rp->first.month, report_css);
	strbuf_addstr(sb, "<h1>政府网站集约化工作进展月报</h1>\n<p class=\"subtitle\">");
	h(sb, title);
	strbuf_addf(sb, " · %d年%d月</p>\n<dl class=\"meta\"><div><dt>统计截至</dt><dd>", rp->first.year, rp->first.month);
	cn_day(sb, &rp->last);
	strbuf_addstr(sb, "</dd></div><div><dt>报送期限</dt><dd>");
	cn_day(sb, &rp->due);
	strbuf_addstr(sb, "前</dd></div></dl>\n<hr class=\"rule\">\n</header>\n<main>\n");
	html_summary(sb, rp);
	html_dereg(sb, rp);
	html_sites(sb, rp);
	html_findings(sb, rp);
	strbuf_addstr(sb, "</main>\n<footer>\n<p>本报告根据工作底账（content/sites/）生成，反映统计截止日的状态；"
		      "同一底账、同一月份生成的报告内容完全相同。联系人信息仅供内部使用，不列入本报告。</p>\n"
		      "<p>依据：政府网站集约化工作按月报送进展（每月20日前报送上月自查情况、关停数量和整合进度）。</p>\n"
		      "</footer>\n</body>\n</html>\n");
}

/* ---- writing ---- */

/* An absolute, lexically normalised path ("." and ".." resolved), into out. */
static void normalise(const char *path, struct strbuf *out)
{
	struct strbuf in = STRBUF_INIT;
	char cwd[4096];
	const char *p, *seg;
	if (path[0] != '/' && getcwd(cwd, sizeof(cwd)))
		strbuf_addf(&in, "%s/", cwd);
	strbuf_addstr(&in, path);
	strbuf_reset(out);
	for (p = in.buf; *p; p = seg + strcspn(seg, "/")) {
		size_t n;
		seg = p + strspn(p, "/");
		n = strcspn(seg, "/");
		if (!n || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			char *slash = strrchr(out->buf, '/');
			strbuf_setlen(out, slash ? (size_t)(slash - out->buf) : 0);
			continue;
		}
		strbuf_addch(out, '/');
		strbuf_add(out, seg, n);
	}
	if (!out->len)
		strbuf_addch(out, '/');
	strbuf_release(&in);
}

/* The report is for superiors, never for the public: refuse SOURCE/public. */
static int inside_public(const char *source_dir, const char *out_dir)
{
	struct strbuf pub = STRBUF_INIT, out = STRBUF_INIT, tmp = STRBUF_INIT;
	int inside;
	path_in(&tmp, source_dir, "public");
	normalise(tmp.buf, &pub);
	normalise(out_dir, &out);
	inside = !strncmp(out.buf, pub.buf, pub.len) && (!out.buf[pub.len] || out.buf[pub.len] == '/');
	strbuf_release(&pub);
	strbuf_release(&out);
	strbuf_release(&tmp);
	return inside;
}

static int write_one(const char *dir, const char *month, const char *ext, const struct strbuf *data,
		     struct strbuf *written, struct diag_list *diags)
{
	struct strbuf path = STRBUF_INIT;
	int r;
	path_in(&path, dir, "");
	strbuf_addf(&path, "progress-%s.%s", month, ext);
	r = write_file(path.buf, data->buf, data->len);
	if (r)
		diag_error(diags, path.buf, 0, 0, NULL, "unable to write: %s", strerror(errno));
	else
		strbuf_addf(written, "%s\n", path.buf);
	strbuf_release(&path);
	return r;
}

int report_write(const struct report_options *o, struct strbuf *written, struct diag_list *diags)
{
	struct report rp;
	struct strbuf dir = STRBUF_INIT, csv = STRBUF_INIT, html = STRBUF_INIT;
	size_t before = diags->errors;
	int loaded = 0;

	memset(&rp, 0, sizeof(rp));
	rp.o = o;
	diag_list_init(&rp.findings);
	if (parse_month(o->month, &rp.first, &rp.last)) {
		diag_error(diags, NULL, 0, 0, "write the month as YYYY-MM, e.g. --month 2026-11",
			   "invalid month '%s'", o->month);
		return -1;
	}
	rp.due = date_add_months(&rp.first, 1);
	rp.due.day = 20;
	if (o->out_dir)
		strbuf_addstr(&dir, o->out_dir);
	else
		path_in(&dir, o->source_dir, "report");
	if (inside_public(o->source_dir, dir.buf)) {
		diag_error(diags, NULL, 0, 0, "write it beside the portal, e.g. -o report",
			   "'%s' is inside the published site: the report is not for the public", dir.buf);
		goto out;
	}
	loaded = 1;
	if (ledger_source_load(&rp.src, o->source_dir, o->archive_dir, &rp.last, diags))
		goto out;
	ledger_check(&rp.src.ledger, &rp.src.cfg, &rp.src.content, &rp.last, &rp.findings);
	diag_list_sort(&rp.findings);
	collect(&rp);
	write_csv(&rp, &csv);
	write_html(&rp, &html);
	if (mkdir_p(dir.buf, 0755)) {
		diag_error(diags, dir.buf, 0, 0, NULL, "unable to create: %s", strerror(errno));
		goto out;
	}
	if (!write_one(dir.buf, o->month, "html", &html, written, diags))
		write_one(dir.buf, o->month, "csv", &csv, written, diags);
	if (rp.findings.nr)
		diag_add(diags, DIAG_NOTE, NULL, 0, 0, NULL,
			 "the self-check as of %d-%02d-%02d found %zu error%s and %zu warning%s: see section 四 of the report",
			 rp.last.year, rp.last.month, rp.last.day, rp.findings.errors, rp.findings.errors == 1 ? "" : "s",
			 rp.findings.warnings, rp.findings.warnings == 1 ? "" : "s");
out:
	if (loaded)
		ledger_source_release(&rp.src);
	free(rp.rows);
	diag_list_release(&rp.findings);
	strbuf_release(&dir);
	strbuf_release(&csv);
	strbuf_release(&html);
	return diags->errors > before ? -1 : 0;
}
