/* jiyue check: see gen/ledger.h and docs/ledger.md. */
#include "cli/commands.h"
#include "common/diag.h"
#include "common/strbuf.h"
#include "gen/ledger.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char check_usage[] =
	"usage: jiyue check [-s SOURCE] [--date YYYY-MM-DD] [--format text|json] [--archive-dir DIR]\n"
	"\n"
	"Check the site ledger (工作底账, content/sites/ID.yaml) against the rules of\n"
	"DOMAIN.md: domain suffixes by unit type, one English and one Chinese domain,\n"
	"the department sub-domain, one site per unit, at most 10% retained, closure\n"
	"within 90 days of approval, the closure notice before closure and\n"
	"deregistration, all four deregistrations, no domain reused, a reason for\n"
	"every independent site, zombie flags from captures.  Records without\n"
	"'disposition' are crawl-only and not checked.  'jiyue build' runs the same\n"
	"checks.  Exits 1 on errors, 0 with warnings only.\n"
	"\n"
	"  -s, --source SOURCE   the portal's source folder (default: .)\n"
	"      --date DATE       check as of this day (default: today, China time)\n"
	"      --format FORMAT   text (diagnostics on stderr, the default) or json (stdout)\n"
	"      --archive-dir DIR the captures (default: SOURCE/archive)\n";

static json_t *diag_json(const struct diag *d)
{
	static const char *const sev[] = { "error", "warning", "note" };
	return json_pack("{s:s,s:s?,s:i,s:i,s:s,s:s?}", "severity", sev[d->severity], "file", d->file,
			 "line", (int)d->line, "column", (int)d->col, "message", d->msg, "hint", d->hint);
}

static void print_json(const struct ledger_source *src, const struct diag_list *diags, size_t records)
{
	struct strbuf day = STRBUF_INIT;
	json_t *j, *list = json_array();
	size_t i;
	date_fmt_iso(&src->today, &day);
	for (i = 0; i < diags->nr; i++)
		json_array_append_new(list, diag_json(&diags->items[i]));
	j = json_pack("{s:s,s:I,s:I,s:I,s:I,s:o}", "date", day.buf, "sites", (json_int_t)src->ledger.nr,
		      "ledger_records", (json_int_t)records, "errors", (json_int_t)diags->errors,
		      "warnings", (json_int_t)diags->warnings, "diagnostics", list);
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(j);
	strbuf_release(&day);
}

int cmd_check(int argc, char **argv)
{
	const char *source = ".", *date = NULL, *format = "text", *archive_dir = NULL;
	struct diag_list diags = DIAG_LIST_INIT;
	struct ledger_source src;
	struct strbuf err = STRBUF_INIT;
	struct cdate today;
	size_t i, records = 0;
	int ret;

	for (i = 1; i < (size_t)argc; i++) {
		const char *arg = argv[i];
		const char **slot;
		if (is_help(arg)) {
			fputs(check_usage, stdout);
			return 0;
		} else if (!strcmp(arg, "-s") || !strcmp(arg, "--source")) {
			slot = &source;
		} else if (!strcmp(arg, "--date")) {
			slot = &date;
		} else if (!strcmp(arg, "--format")) {
			slot = &format;
		} else if (!strcmp(arg, "--archive-dir")) {
			slot = &archive_dir;
		} else {
			return usage_error("check", "unknown option '%s'", arg);
		}
		if (i + 1 >= (size_t)argc)
			return usage_error("check", "option '%s' needs a value", arg);
		*slot = argv[++i];
	}
	if (strcmp(format, "text") && strcmp(format, "json"))
		return usage_error("check", "unknown format '%s': use text or json", format);
	if (date_today(date, &today, &err)) {
		fprintf(stderr, "error: %s\n", err.buf);
		strbuf_release(&err);
		return 2;
	}
	/* the checks run on every record that loaded, even when others did not */
	ledger_source_load(&src, source, archive_dir, &today, &diags);
	if (src.cfg.raw)
		ledger_check(&src.ledger, &src.cfg, &src.content, &today, &diags);
	diag_list_sort(&diags);
	for (i = 0; i < src.ledger.nr; i++)
		records += ledger_is_ledger_record(src.ledger.sites[i]);
	if (!strcmp(format, "json")) {
		print_json(&src, &diags, records);
	} else {
		diag_list_print(&diags, stderr);
		printf("checked %zu site record%s (%zu in the ledger, %zu crawl-only): %zu error%s, %zu warning%s\n",
		       src.ledger.nr, src.ledger.nr == 1 ? "" : "s", records, src.ledger.nr - records,
		       diags.errors, diags.errors == 1 ? "" : "s",
		       diags.warnings, diags.warnings == 1 ? "" : "s");
	}
	ret = diags.errors ? 1 : 0;
	ledger_source_release(&src);
	diag_list_release(&diags);
	strbuf_release(&err);
	return ret;
}
