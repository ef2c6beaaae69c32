/* jiyue archive: see archiver/capture.h. */
#include "archiver/capture.h"
#include "cli/commands.h"
#include "common/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char archive_usage[] =
	"usage: jiyue archive ID [options]\n"
	"       jiyue archive --url URL --id ID [options]\n"
	"\n"
	"Mirror the old website described in content/sites/ID.yaml: keep a WARC,\n"
	"a CDXJ index and a WACZ package, and a browsable copy whose every page is\n"
	"stamped 已归档 with the archive date.  An interrupted capture resumes when\n"
	"the same command runs again.  Each completed capture is committed to the\n"
	"git repository in the archive folder and tagged capture/ID/TIMESTAMP.\n"
	"\n"
	"  -s, --source SOURCE     the portal's source folder (default: .)\n"
	"      --archive-dir DIR   where captures go (default: SOURCE/archive)\n"
	"      --url URL           archive from URL without a site record (needs --id)\n"
	"      --id ID             the site's id with --url\n"
	"      --date YYYY-MM-DD   the archive date stamped on pages (default: today, China time)\n"
	"      --index-url URL     the portal's archive index linked from every stamp (default: /archive/)\n"
	"  -c, --concurrency N     connections per host (default: the record's, else 4)\n"
	"      --max-pages N       fetch at most N resources\n"
	"  -j, --jobs N            threads parsing pages and writing the copy (default: one per CPU)\n"
	"      --connect-to HOST:PORT:CONNECT_HOST:CONNECT_PORT\n"
	"                          connect to CONNECT_HOST:CONNECT_PORT for HOST:PORT while\n"
	"                          the archive keeps the real host (a copy of the old site\n"
	"                          on another server, say); repeatable; an empty HOST or\n"
	"                          PORT matches any\n"
	"      --no-commit         do not commit the capture to the archive repository\n"
	"  -q, --quiet             no progress line and no summary\n";

static int value_of(int argc, char **argv, int *i, const char **out)
{
	if (*i + 1 >= argc)
		return usage_error("archive", "option '%s' needs a value", argv[*i]);
	*out = argv[++*i];
	return 0;
}

/*
 * HOST:PORT:CONNECT_HOST:CONNECT_PORT as libcurl's CONNECT_TO reads it: the
 * hosts may be empty or an IPv6 address in brackets, the ports empty or a
 * number.  Checked here so that a typo fails before the crawl, not as 800
 * connection errors.
 */
static int connect_to_valid(const char *s)
{
	int field;
	for (field = 0; field < 4; field++) {
		if (field % 2 == 0 && *s == '[') {
			s += strcspn(s, "]");
			if (*s++ != ']')
				return 0;
		} else if (field % 2 == 0) {
			for (; *s && *s != ':'; s++)
				if ((unsigned char)*s <= ' ' || strchr("/?#@[]", *s))
					return 0;
		} else {
			const char *start = s;
			for (; *s >= '0' && *s <= '9'; s++)
				;
			if (s - start > 5)
				return 0;
		}
		if (field < 3 && *s++ != ':')
			return 0;
	}
	return *s == '\0';
}

/* Fills o from the command line; -1 after --help, else an exit status. */
static int parse_args(int argc, char **argv, struct capture_options *o, const char **connect_to)
{
	const char *v = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (is_help(a)) {
			fputs(archive_usage, stdout);
			return -1;
		} else if (!strcmp(a, "-s") || !strcmp(a, "--source")) {
			if (value_of(argc, argv, &i, &o->source_dir))
				return 2;
		} else if (!strcmp(a, "--archive-dir")) {
			if (value_of(argc, argv, &i, &o->archive_dir))
				return 2;
		} else if (!strcmp(a, "--url")) {
			if (value_of(argc, argv, &i, &o->url))
				return 2;
		} else if (!strcmp(a, "--id")) {
			if (value_of(argc, argv, &i, &o->id))
				return 2;
		} else if (!strcmp(a, "--date")) {
			if (value_of(argc, argv, &i, &o->date))
				return 2;
		} else if (!strcmp(a, "--index-url")) {
			if (value_of(argc, argv, &i, &o->index_url))
				return 2;
		} else if (!strcmp(a, "-c") || !strcmp(a, "--concurrency")) {
			if (value_of(argc, argv, &i, &v))
				return 2;
			if ((o->concurrency = atol(v)) < 1)
				return usage_error("archive", "'%s' needs a number of 1 or more", a);
		} else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
			if (value_of(argc, argv, &i, &v))
				return 2;
			if ((o->jobs = atol(v)) < 1 || o->jobs > 64)
				return usage_error("archive", "'%s' needs a number from 1 to 64", a);
		} else if (!strcmp(a, "--max-pages")) {
			if (value_of(argc, argv, &i, &v))
				return 2;
			if ((o->max_pages = atol(v)) < 1)
				return usage_error("archive", "'%s' needs a number of 1 or more", a);
		} else if (!strcmp(a, "--connect-to")) {
			if (value_of(argc, argv, &i, &v))
				return 2;
			if (!connect_to_valid(v))
				return usage_error("archive", "invalid --connect-to '%s': "
						   "use HOST:PORT:CONNECT_HOST:CONNECT_PORT, "
						   "e.g. fgw.example.gov.cn:80:127.0.0.1:8080", v);
			connect_to[o->nr_connect_to++] = v;
		} else if (!strcmp(a, "--no-commit")) {
			o->no_commit = 1;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o->quiet = 1;
		} else if (a[0] == '-') {
			return usage_error("archive", "unknown option '%s'", a);
		} else if (!o->id) {
			o->id = a;
		} else {
			return usage_error("archive", "one site at a time: '%s' and '%s'", o->id, a);
		}
	}
	if (!o->id)
		return usage_error("archive", "name the site to archive (its id in content/sites/)");
	return 0;
}

int cmd_archive(int argc, char **argv)
{
	struct capture_options o;
	const char **connect_to = xcalloc(argc, sizeof(*connect_to));
	int ret;

	memset(&o, 0, sizeof(o));
	o.source_dir = ".";
	o.index_url = "/archive/";
	o.connect_to = connect_to;
	ret = parse_args(argc, argv, &o, connect_to);
	if (ret < 0)
		ret = 0;
	else if (!ret)
		ret = capture_run(&o);
	free(connect_to);
	return ret;
}
