/* jiyue hits: see gen/hits.h. */
#include "cli/commands.h"
#include "common/strbuf.h"
#include "gen/hits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char hits_usage[] =
	"usage: jiyue hits LOG... [-s SOURCE] [--site ID] [--format text|csv|json] [--top N] [--archive-dir DIR]\n"
	"\n"
	"Read the old sites' access logs (nginx or Apache combined format, or\n"
	"vhost_combined; plain or .gz) and rank the old URLs people still ask for:\n"
	"the unmapped ones by hits (map them first), and the archived ones with many\n"
	"hits (candidates for a redirect).  Requests go to a site by their host,\n"
	"else to --site; they are canonicalised like the mappings.  Furniture (CSS,\n"
	"scripts, images, fonts, favicon, robots.txt), attack probes, methods other\n"
	"than GET and HEAD and statuses other than 2xx and 3xx are left out and\n"
	"counted.  Malformed lines are counted and named (FILE:LINE), never fatal.\n"
	"\n"
	"  -s, --source SOURCE   the portal's source folder (default: .): site.yaml,\n"
	"                        content/sites/ (records and mappings)\n"
	"      --site ID         the site of requests whose log line has no host\n"
	"      --format FORMAT   text (default), csv (site,old_url,type,hits) or json\n"
	"      --top N           at most N URLs per list and site (default 50; 0: all)\n"
	"      --archive-dir DIR captures (default: SOURCE/archive)\n";

int cmd_hits(int argc, char **argv)
{
	const char *source = ".", *site = NULL, *archive = NULL;
	enum hits_format f = HITS_TEXT;
	long top = 50;
	char **logs = calloc((size_t)argc, sizeof(char *));
	size_t nr_logs = 0, i;
	struct hits h;
	struct strbuf out = STRBUF_INIT;
	int ret = 0;

	for (i = 1; i < (size_t)argc; i++) {
		const char *a = argv[i];
		int has_value = i + 1 < (size_t)argc;
		if (is_help(a)) {
			fputs(hits_usage, stdout);
			free(logs);
			return 0;
		} else if ((!strcmp(a, "-s") || !strcmp(a, "--source")) && has_value) {
			source = argv[++i];
		} else if (!strcmp(a, "--site") && has_value) {
			site = argv[++i];
		} else if (!strcmp(a, "--archive-dir") && has_value) {
			archive = argv[++i];
		} else if (!strcmp(a, "--top") && has_value) {
			char *end;
			top = strtol(argv[++i], &end, 10);
			if (*end || top < 0) {
				free(logs);
				return usage_error("hits", "'--top' needs a number, 0 or more");
			}
		} else if (!strcmp(a, "--format") && has_value) {
			a = argv[++i];
			if (!strcmp(a, "text"))
				f = HITS_TEXT;
			else if (!strcmp(a, "csv"))
				f = HITS_CSV;
			else if (!strcmp(a, "json"))
				f = HITS_JSON;
			else {
				free(logs);
				return usage_error("hits", "unknown format '%s': use text, csv or json", a);
			}
		} else if (a[0] == '-' && a[1]) {
			static const char *const valued[] = { "-s", "--source", "--site", "--archive-dir", "--top", "--format" };
			size_t k;
			int known = 0;
			for (k = 0; k < sizeof(valued) / sizeof(*valued); k++)
				known |= !strcmp(a, valued[k]);
			free(logs);
			return usage_error("hits", known ? "option '%s' needs a value" : "unknown option '%s'", a);
		} else {
			logs[nr_logs++] = argv[i];
		}
	}
	if (!nr_logs) {
		free(logs);
		return usage_error("hits", "name at least one access log");
	}
	if (hits_init(&h, source, archive, site)) {
		diag_list_sort(&h.diags);
		diag_list_print(&h.diags, stderr);
		hits_release(&h);
		free(logs);
		return 1;
	}
	for (i = 0; i < nr_logs; i++)
		if (hits_read(&h, logs[i]))
			ret = 1;
	hits_report(&h, f, (size_t)top, &out);
	fwrite(out.buf, 1, out.len, stdout);
	if (h.t.malformed > 10)
		fprintf(stderr, "note: %ld malformed lines in all; the first 10 are named above\n", h.t.malformed);
	diag_list_print(&h.diags, stderr);
	strbuf_release(&out);
	hits_release(&h);
	free(logs);
	return ret;
}
