/* jiyue audit: see gen/audit.h and gen/auditreport.h. */
#include "cli/commands.h"
#include "common/strbuf.h"
#include "gen/audit.h"
#include "gen/auditreport.h"

#include <stdio.h>
#include <string.h>

static const char audit_usage[] =
	"usage: jiyue audit [-s SOURCE] [--json] [--html DIR] [--date YYYY-MM-DD] [--archive-dir DIR]\n"
	"\n"
	"Report, from the git history, what was public when: for every notice its\n"
	"declared window, the window it was really on display (the first and last\n"
	"publish commits showing it), whether it met its minimum display period and\n"
	"was not backdated, and every content commit that touched it; for every\n"
	"archived site its captures.  Exits 1 when a notice is not compliant.\n"
	"\n"
	"  -s, --source SOURCE   the portal's source folder (default: .)\n"
	"      --json            print the audit as JSON\n"
	"      --html DIR        write DIR/index.html with a timeline chart\n"
	"      --date DATE       audit as of this day (default: today, China time)\n"
	"      --archive-dir DIR the archive repository (default: SOURCE/archive)\n";

static int all_compliant(const json_t *a)
{
	size_t i;
	json_t *n;
	json_array_foreach(json_object_get(a, "notices"), i, n)
		if (json_is_false(json_object_get(n, "compliant")))
			return 0;
	return 1;
}

int cmd_audit(int argc, char **argv)
{
	struct audit_options o;
	struct strbuf err = STRBUF_INIT;
	const char *html = NULL;
	int json = 0, i, ret = 0;
	json_t *a;

	memset(&o, 0, sizeof(o));
	o.source_dir = ".";
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char **slot = NULL;
		if (is_help(arg)) {
			fputs(audit_usage, stdout);
			return 0;
		} else if (!strcmp(arg, "--json")) {
			json = 1;
			continue;
		} else if (!strcmp(arg, "-s") || !strcmp(arg, "--source")) {
			slot = &o.source_dir;
		} else if (!strcmp(arg, "--html")) {
			slot = &html;
		} else if (!strcmp(arg, "--date")) {
			slot = &o.date;
		} else if (!strcmp(arg, "--archive-dir")) {
			slot = &o.archive_dir;
		} else {
			return usage_error("audit", "unknown option '%s'", arg);
		}
		if (i + 1 >= argc)
			return usage_error("audit", "option '%s' needs a value", arg);
		*slot = argv[++i];
	}
	a = audit_collect(&o, &err);
	if (!a) {
		fprintf(stderr, "error: %s\n", err.buf);
		strbuf_release(&err);
		return 1;
	}
	if (json) {
		json_dumpf(a, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	} else if (!html) {
		audit_print_text(a, stdout);
	}
	if (html) {
		if (audit_report_write(a, html, &err)) {
			fprintf(stderr, "error: %s\n", err.buf);
			ret = 1;
		} else if (!json) {
			printf("wrote %s/index.html\n", html);
		}
	}
	if (!ret && !all_compliant(a))
		ret = 1;
	json_decref(a);
	strbuf_release(&err);
	return ret;
}
