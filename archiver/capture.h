/*
 * capture: one archive of one old site, from the site record to a
 * committed capture.
 *
 * ARCHIVE/<id>/ holds the latest capture:
 *   site/            the browsable copy (published by the portal under /archive/<id>/)
 *   warc/<id>-<ts>.warc.gz, .cdxj, .wacz   the preservation copies (every capture's)
 *   manifest.jsonl   one line per URL
 *   capture.json     date, counts, failures, newest content date, zombie flag, digests
 * While a capture runs, everything lives in ARCHIVE/<id>/.capture/ with its
 * journal; the capture becomes visible only when complete (the site/ folder
 * is swapped in, capture.json is written last).  Running the same command
 * again after an interruption resumes it.  A completed capture is committed
 * to the git repository at ARCHIVE and tagged capture/<id>/<ts>.
 */
#ifndef JIYUE_CAPTURE_H
#define JIYUE_CAPTURE_H

#include <stddef.h>

struct capture_options {
	const char *source_dir;   /* for content/sites/<id>.yaml; default "." */
	const char *archive_dir;  /* default SOURCE/archive */
	const char *id;
	const char *url;          /* --url: no site record needed */
	const char *date;         /* --date: the archive date stamped on pages */
	const char *index_url;    /* the portal's archive index; default /archive/ */
	long concurrency;         /* 0: the record's */
	long max_pages;           /* 0: the record's */
	long jobs;                /* worker threads; 0: one per CPU */
	const char *const *connect_to; /* HOST:PORT:CONNECT_HOST:CONNECT_PORT (fetch.h) */
	size_t nr_connect_to;
	int no_commit;
	int quiet;
};

/* Returns the exit status: 0 when a capture was made and written. */
int capture_run(const struct capture_options *opt);

#endif
