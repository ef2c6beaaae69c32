/*
 * report: `jiyue report --month YYYY-MM`, the monthly progress report of
 * DOMAIN.md rule 10 (due by the 20th of the following month): sites in
 * scope, closed, migrated, archived, deregistered by item, overdue and
 * unresolved mappings, and the ledger's self-check, as of the month's last
 * day.  Written as OUT/progress-YYYY-MM.html (self-contained, printable)
 * and OUT/progress-YYYY-MM.csv (UTF-8 with a BOM, RFC 4180), from the
 * ledger only: same source, same month, same bytes.  Contacts are never
 * part of it.
 */
#ifndef JIYUE_REPORT_H
#define JIYUE_REPORT_H

#include <stddef.h>

struct diag_list;
struct strbuf;

struct report_options {
	const char *source_dir;    /* default "." */
	const char *out_dir;       /* default SOURCE/report; never inside SOURCE/public */
	const char *month;         /* "2026-11" */
	const char *archive_dir;   /* default SOURCE/archive */
};

/*
 * Write the report.  Returns 0 and appends the written files' paths,
 * one per line, to written; or -1 with errors in diags.  Findings of the
 * self-check are part of the report, not errors of the command.
 */
int report_write(const struct report_options *o, struct strbuf *written, struct diag_list *diags);

/*
 * Interim reader until the mappings module lands (issue #5, part B):
 * count the rows of an `old url,new url` CSV and those whose new URL is
 * blank (unresolved).  Handles a BOM, CRLF, quoted fields and a header
 * row.  A missing file counts nothing.  0, or -1 if unreadable.
 */
int report_count_unresolved_mappings(const char *path, size_t *rows, size_t *unresolved);

#endif
