/*
 * journal: the crawl's append-only log, so that an interrupted capture
 * (kill -9, power cut) resumes without fetching a finished resource again
 * and without losing any.
 *
 * One JSON object per line (jansson).  A line is only trusted when it ends
 * with a newline: a torn last line is ignored on replay.  Records:
 *   {"t":"capture","id":..,"ts":"20261123083000","date":"2026-11-23"}  first line
 *   {"t":"queue","url":..,"depth":N,"kind":"page"|"requisite"}       frontier
 *   {"t":"done", ...result fields..., "warc_end":OFFSET}             finished
 *   {"t":"crawled"}                                                   the crawl is over
 * The WARC is written before its "done" line; on resume the WARC is cut
 * back to the last journaled warc_end, so WARC and journal always agree.
 */
#ifndef JIYUE_JOURNAL_H
#define JIYUE_JOURNAL_H

#include <jansson.h>

struct journal {
	int fd;
	char *path;
	unsigned since_sync;
};

/* Open (creating if needed) for appending.  0, or -1 with errno. */
int journal_open(struct journal *j, const char *path);
/* Append one record (compact JSON + newline). */
int journal_append(struct journal *j, json_t *rec);
/* fdatasync, so that a power cut keeps what was written. */
int journal_sync(struct journal *j);
void journal_close(struct journal *j);

/* Replay every complete line of path; fn gets each record (borrowed). */
typedef void journal_fn(void *ud, json_t *rec);
int journal_replay(const char *path, journal_fn *fn, void *ud);

#endif
