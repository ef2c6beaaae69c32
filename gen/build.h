/*
 * build: `jiyue build`, the whole pipeline from a source folder to a
 * published tree: load settings and content, check, render in parallel into
 * a temporary folder, then swap it into DEST.
 */
#ifndef JIYUE_BUILD_H
#define JIYUE_BUILD_H

#include <stddef.h>

#include "gen/redirects.h"

struct build_options {
	const char *source_dir;  /* default "." */
	const char *dest;        /* default SOURCE/public */
	const char *date;        /* --date, or NULL */
	const char *archive_dir; /* captures to publish; default SOURCE/archive */
	const char *redirects_dir; /* server configs for old hosts; default: `redirects` beside dest */
	int drafts;
	int no_history;          /* do not commit the output to the publish branch */
	int jobs;                /* render threads; 0: one per core */
	int quiet;
};

struct build_stats {
	size_t pages;            /* HTML pages written (lists' extra pages included) */
	size_t articles;
	size_t sections;
	size_t attachments;
	size_t aliases;
	size_t archives;         /* old sites published under /archive/ */
	size_t notices, notices_active;
	int history;             /* 1: committed to the publish branch; 0: unchanged; -1: not recorded */
	size_t drafts;
	size_t warnings;
	struct redirect_stats redirects;
};

/* Returns 0 on success; 1 after printing the errors.  Nothing is changed on failure. */
int build_site(const struct build_options *opt, struct build_stats *stats);

#endif
