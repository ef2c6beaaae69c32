/*
 * wacz: a capture packaged for ReplayWeb.page, as a WACZ 1.1.1 zip
 * (https://specs.webrecorder.net/wacz/1.1.1/):
 *
 *   archive/<name>.warc.gz     the WARCs, stored (not deflated again) so that
 *                              replay reads records by range
 *   indexes/index.cdxj         the CDXJ index (see cdxj.h)
 *   pages/pages.jsonl          the entry pages
 *   datapackage.json           manifest: every file's sha256 and size
 *   datapackage-digest.json    sha256 of datapackage.json
 *
 * Entries are written in that order, all with the created time and fixed
 * permissions, so the same input gives the same bytes.
 */
#ifndef JIYUE_WACZ_H
#define JIYUE_WACZ_H

#include <stddef.h>

struct strbuf;

struct wacz_page {
	const char *url;
	const char *title;   /* may be NULL */
	const char *ts;      /* RFC 3339, e.g. the WARC-Date of its capture */
};

struct wacz_input {
	const char *const *warc_paths;
	size_t nr_warcs;
	const char *const *warc_sha256; /* optional: their sha256 (hex), if already known */
	const char *cdxj;            /* NULL: the WARCs are indexed here */
	size_t cdxj_len;
	const struct wacz_page *pages;
	size_t nr_pages;
	const char *title;           /* may be NULL */
	const char *created;         /* RFC 3339; NULL: now.  Also the zip entries' time */
	const char *software;        /* NULL: "jiyue" */
	const char *description;     /* Markdown; may be NULL */
	const char *main_page_url;   /* may be NULL */
	const char *main_page_date;  /* RFC 3339; may be NULL */
};

/* Write the WACZ at path (replaced atomically if it exists).  0, or -1 with err set. */
int wacz_write(const char *path, const struct wacz_input *in, struct strbuf *err);

#endif
