/*
 * audit: what was public when, for auditors.  Per notice: its declared
 * window, the window it was really on display according to the publish
 * history (first and last publish commits showing it, and the commit that
 * removed it), whether that complied with the minimum period and was not
 * backdated, and every content commit that touched its file.  Per archived
 * site: its captures from the archive repository's tags.
 *
 * The result is one JSON document (see docs/audit.md); the text and HTML
 * reports are made from it.
 */
#ifndef JIYUE_AUDIT_H
#define JIYUE_AUDIT_H

#include <jansson.h>
#include <stdio.h>

struct strbuf;

struct audit_options {
	const char *source_dir;
	const char *archive_dir;   /* NULL: SOURCE/archive */
	const char *date;          /* --date: "today" for the audit */
};

/* Collect the audit; NULL with a message in err. */
json_t *audit_collect(const struct audit_options *o, struct strbuf *err);

/* The plain-text report. */
void audit_print_text(const json_t *a, FILE *out);

#endif
