/*
 * materialize: turn a finished crawl's WARC into the browsable copy.
 *
 * This runs after the crawl, not during it, because a link can only be
 * rewritten to a local file once we know the whole set of resources that
 * were archived: links to archived resources become relative paths, links
 * to anything else become absolute URLs of the original, marked external.
 * Every HTML page is converted to UTF-8, stamped "已归档" with the archive
 * date, and stripped of active content; the WARC keeps the originals.
 */
#ifndef JIYUE_MATERIALIZE_H
#define JIYUE_MATERIALIZE_H

#include "common/date.h"

struct crawl;
struct strbuf;
struct warc_record;

struct materialize_options {
	const char *warc_path;
	const char *root;          /* the site/ folder to fill (must exist, empty) */
	struct cdate archive_date;
	const char *index_url;     /* the portal's archive index, e.g. /archive/ */
	const char *site_name;
	size_t workers;            /* threads rewriting pages; 0: one per CPU */
	/*
	 * Optional: called with every record of the WARC as it is read, so
	 * that the caller can index it in the same pass.  Non-zero stops.
	 */
	int (*each_record)(void *ud, const struct warc_record *r);
	void *each_record_ud;
};

/* Returns 0, or -1 with a message in err. */
int materialize(struct crawl *c, const struct materialize_options *opt, struct strbuf *err);

#endif
