/* jiyue report: see gen/report.h and docs/ledger.md. */
#include "cli/commands.h"
#include "common/diag.h"
#include "common/strbuf.h"
#include "gen/report.h"

#include <stdio.h>
#include <string.h>

static const char report_usage[] =
	"usage: jiyue report --month YYYY-MM [-s SOURCE] [-o DIR] [--archive-dir DIR]\n"
	"\n"
	"Write the monthly progress report on the consolidation (DOMAIN.md rule 10,\n"
	"due by the 20th of the following month) from the site ledger, as of the\n"
	"month's last day: sites in scope, closed, migrated, archived, deregistered\n"
	"by item, overdue, unresolved mappings, and the ledger's self-check.\n"
	"Writes DIR/progress-YYYY-MM.html (printable) and DIR/progress-YYYY-MM.csv\n"
	"(UTF-8 with a BOM, for Excel).\n"
	"\n"
	"      --month YYYY-MM   the month reported on (required)\n"
	"  -s, --source SOURCE   the portal's source folder (default: .)\n"
	"  -o, --output DIR      where the files go (default: SOURCE/report; never\n"
	"                        inside SOURCE/public)\n"
	"      --archive-dir DIR the captures (default: SOURCE/archive)\n";

int cmd_report(int argc, char **argv)
{
	struct report_options o;
	struct diag_list diags = DIAG_LIST_INIT;
	struct strbuf written = STRBUF_INIT;
	int i, ret;

	memset(&o, 0, sizeof(o));
	o.source_dir = ".";
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char **slot;
		if (is_help(arg)) {
			fputs(report_usage, stdout);
			return 0;
		} else if (!strcmp(arg, "--month")) {
			slot = &o.month;
		} else if (!strcmp(arg, "-s") || !strcmp(arg, "--source")) {
			slot = &o.source_dir;
		} else if (!strcmp(arg, "-o") || !strcmp(arg, "--output")) {
			slot = &o.out_dir;
		} else if (!strcmp(arg, "--archive-dir")) {
			slot = &o.archive_dir;
		} else {
			return usage_error("report", "unknown option '%s'", arg);
		}
		if (i + 1 >= argc)
			return usage_error("report", "option '%s' needs a value", arg);
		*slot = argv[++i];
	}
	if (!o.month)
		return usage_error("report", "which month? pass --month YYYY-MM");
	ret = report_write(&o, &written, &diags) ? 1 : 0;
	diag_list_sort(&diags);
	diag_list_print(&diags, stderr);
	if (!ret)
		fputs(written.buf, stdout);
	diag_list_release(&diags);
	strbuf_release(&written);
	return ret;
}
