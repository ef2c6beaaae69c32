/*
 * auditreport: the page of `jiyue audit --html DIR`, drawn from the same
 * JSON that `jiyue audit --json` prints.  An auditor has to be able to show
 * that every closure, migration, domain-change and opening notice stayed on
 * display for its minimum period (DOMAIN.md rules 2 to 5); the page leads
 * with a timeline of the notices' windows and the old sites' captures, then
 * gives every notice's evidence (publish commits, content commits) in full.
 *
 * The JSON (every field may be missing or null; nothing here trusts it):
 *   generated        the audit's "today", a China date YYYY-MM-DD
 *   portal, branch, publish_commits
 *   notices[]        slug, title, kind, kind_label, site, site_name,
 *                    declared {published, until}   until = first day no longer shown
 *                    minimum {period, last_day}    last_day = last day it must be shown
 *                    displayed {first, last, removed}: {commit, date}, or null
 *                                                  first and last publish commits
 *                                                  showing it, and the first one
 *                                                  without it: it was on display
 *                                                  until that day; without
 *                                                  `removed` it is still on display
 *                    state (scheduled | active | expired | withdrawn | missing:
 *                    only in the history, its file deleted),
 *                    withdrawn, withdrawn_reason, compliant (true, false or null:
 *                    not decided yet), reasons[], commits[] {commit, author, date, message}
 *   sites[]          id, name, captures[] {tag, commit, date, resources, zombie}
 *
 * On the timeline a day is an interval: a window covers its days whole
 * (declared: published to the day before until; displayed: first to the
 * day before removed, else to today), the minimum's marker stands at the
 * end of last_day, and marks of a single day (today, a capture) stand at
 * its middle.
 *
 * Output depends on the JSON only (no clock, no locale), so the same audit
 * gives the same bytes.
 */
#ifndef JIYUE_AUDITREPORT_H
#define JIYUE_AUDITREPORT_H

#include <jansson.h>
#include <stdint.h>

struct strbuf;

/* The whole report as one self-contained HTML page (inline CSS, inline SVG, no JS, no external files), UTF-8, lang="zh-CN". */
int audit_report_html(const json_t *audit, struct strbuf *out);
/* Write DIR/index.html (creating DIR); 0 or -1 with a message in err. */
int audit_report_write(const json_t *audit, const char *dir, struct strbuf *err);
/* The SVG timeline alone (also embedded in the page), for tests. */
void audit_timeline_svg(const json_t *audit, struct strbuf *out);

/*
 * The timeline's date axis, in days since 1970-01-01: from the first of the
 * month of the earliest date in the audit to the first of the month after
 * the latest, drawn from x0 to x1 of the SVG's viewBox.
 */
struct audit_axis {
	int64_t first, end;
	double x0, x1;
};

/* Fill ax from the audit's dates; -1 when it has none (no axis is drawn). */
int audit_axis_of(const json_t *audit, struct audit_axis *ax);
/* x of the start of a day on that axis. */
double audit_axis_x(const struct audit_axis *ax, int64_t day);

#endif
