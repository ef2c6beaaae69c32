/* jiyue build: see gen/build.h. */
#include "cli/commands.h"
#include "gen/build.h"
#include "common/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char build_usage[] =
	"usage: jiyue build [-s SOURCE] [-d DEST] [--date YYYY-MM-DD] [--drafts] [--no-history] [--archive-dir DIR]\n"
	"                   [--redirects DIR] [-j N] [-q]\n"
	"\n"
	"Build the portal in SOURCE (site.yaml, content/, themes/) into DEST.\n"
	"The new site is written beside DEST and swapped in only when complete:\n"
	"a failed build leaves DEST as it was.\n"
	"\n"
	"  -s, --source SOURCE   the portal's source folder (default: .)\n"
	"  -d, --destination DEST  where the site goes (default: SOURCE/public)\n"
	"      --date DATE       build as of this day (China time); also from\n"
	"                        SOURCE_DATE_EPOCH; default: today in Asia/Shanghai\n"
	"      --archive-dir DIR captures of old sites to publish under /archive/\n"
	"                        (default: SOURCE/archive, or archive_dir in site.yaml)\n"
	"      --redirects DIR   the old hosts' nginx and Apache configs and redirects.csv\n"
	"                        (default: the folder 'redirects' beside DEST; docs/redirects.md)\n"
	"  -D, --drafts          include pages marked 'draft: true'\n"
	"      --no-history      do not commit the output to the publish branch (previews)\n"
	"  -j, --jobs N          render with N threads (default: one per core)\n"
	"  -q, --quiet           print only errors and warnings\n";

static int need_arg(int argc, char **argv, int i)
{
	return i + 1 < argc ? 0 : usage_error("build", "option '%s' needs a value", argv[i]);
}

static int parse(int argc, char **argv, struct build_options *o)
{
	int i;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (is_help(a)) {
			fputs(build_usage, stdout);
			exit(0);
		} else if (!strcmp(a, "-s") || !strcmp(a, "--source")) {
			if (need_arg(argc, argv, i))
				return 2;
			o->source_dir = argv[++i];
		} else if (!strcmp(a, "-d") || !strcmp(a, "--destination")) {
			if (need_arg(argc, argv, i))
				return 2;
			o->dest = argv[++i];
		} else if (!strcmp(a, "--archive-dir")) {
			if (need_arg(argc, argv, i))
				return 2;
			o->archive_dir = argv[++i];
		} else if (!strcmp(a, "--redirects")) {
			if (need_arg(argc, argv, i))
				return 2;
			o->redirects_dir = argv[++i];
		} else if (!strcmp(a, "--date")) {
			if (need_arg(argc, argv, i))
				return 2;
			o->date = argv[++i];
		} else if (!strcmp(a, "-D") || !strcmp(a, "--drafts") || !strcmp(a, "--buildDrafts")) {
			o->drafts = 1;
		} else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
			if (need_arg(argc, argv, i))
				return 2;
			o->jobs = atoi(argv[++i]);
			if (o->jobs < 1)
				return usage_error("build", "'-j' needs a number of threads, 1 or more");
		} else if (!strcmp(a, "--no-history")) {
			o->no_history = 1;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o->quiet = 1;
		} else {
			return usage_error("build", "unknown option '%s'", a);
		}
	}
	return 0;
}

int cmd_build(int argc, char **argv)
{
	struct build_options o;
	struct build_stats st;
	struct strbuf dest = STRBUF_INIT;
	struct timespec t0, t1;
	int r;

	memset(&o, 0, sizeof(o));
	o.source_dir = ".";
	if ((r = parse(argc, argv, &o)))
		return r;
	if (!o.dest) {
		strbuf_addf(&dest, "%s/public", o.source_dir);
		o.dest = dest.buf;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = build_site(&o, &st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!r && !o.quiet)
		printf("built %zu pages (%zu articles, %zu sections, %zu attachments, %zu aliases, "
		       "%zu archived sites; %zu drafts left out) into '%s' in %.2f s\n",
		       st.pages, st.articles, st.sections, st.attachments, st.aliases, st.archives, st.drafts,
		       o.dest, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (!r && !o.quiet && st.notices)
		printf("notices: %zu, %zu on display\n", st.notices, st.notices_active);
	if (!r && !o.quiet && st.history >= 0)
		printf("%s\n", st.history ? "recorded in the publish history" :
		       "output unchanged: nothing new for the publish history");
	strbuf_release(&dest);
	return r;
}
