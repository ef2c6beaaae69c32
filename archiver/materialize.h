/*
 * materialize: turn a finished crawl into the browsable copy.
 *
 * Pages and stylesheets are rewritten after the crawl, not during it,
 * because a link can only be rewritten to a local file once we know the
 * whole set of resources that were archived: links to archived resources
 * become relative paths, links to anything else become absolute URLs of
 * the original, marked external.  Every HTML page is converted to UTF-8,
 * stamped "已归档" with the archive date, and stripped of active content;
 * the WARC keeps the originals.
 *
 * The early copy: while a body is still in memory, the crawl hands it to
 * a copy spool (copy_spool_add(), from its worker threads).  A resource
 * that links nowhere (an image, a PDF) is written to the copy at once; a
 * page's UTF-8 text and a stylesheet go to the spool file, so that
 * materialize() rewrites them without reading, inflating and decoding the
 * WARC again.  Whatever the crawl did not copy (the part of a resumed
 * capture fetched before the interruption, a body the spool could not
 * take) is made from the WARC as before.
 */
#ifndef JIYUE_MATERIALIZE_H
#define JIYUE_MATERIALIZE_H

#include "common/date.h"

#include <stddef.h>

struct crawl;
struct crawl_entry;
struct strbuf;
struct warc_record;

/*
 * The spool lives in a file at path (created, truncated; removed by
 * copy_spool_free()); root is the site/ folder the copy goes to.
 * copy_spool_add() is safe from any thread; it sets e->early (crawl.h)
 * when the copy of e is made or kept.  body is the decoded payload; utf8,
 * if not NULL, the page's text already converted to UTF-8.
 */
struct copy_spool;
struct copy_spool *copy_spool_new(const char *root, const char *path, struct strbuf *err);
void copy_spool_add(struct copy_spool *s, struct crawl_entry *e, const char *body, size_t len,
		    const struct strbuf *utf8, const char *content_type);
void copy_spool_free(struct copy_spool *s);

struct materialize_options {
	const char *warc_path;
	const char *root;          /* the site/ folder to fill (must exist, empty) */
	struct cdate archive_date;
	const char *index_url;     /* the portal's archive index, e.g. /archive/ */
	const char *site_name;
	size_t workers;            /* threads rewriting pages; 0: one per CPU */
	struct copy_spool *spool;  /* what the crawl kept, or NULL */
	/*
	 * Optional: called with every record of the WARC as it is read, so
	 * that the caller can index it in the same pass.  Non-zero stops.
	 * Given, it makes materialize() read the whole WARC.
	 */
	int (*each_record)(void *ud, const struct warc_record *r);
	void *each_record_ud;
};

/* Returns 0, or -1 with a message in err. */
int materialize(struct crawl *c, const struct materialize_options *opt, struct strbuf *err);

#endif
