/*
 * cdxj: the index that replay tools (pywb, ReplayWeb.page) binary-search
 * to find a capture in a WARC, written as webrecorder's cdxj-indexer
 * writes it:
 *
 *   com,example)/a?b=1&c=2 20261123083000 {"url": "http://www.example.com/a?c=2&b=1", "mime": "text/html", "status": "200", "digest": "VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N", "length": "812", "offset": "1290", "filename": "x.warc.gz"}
 *
 * The key is url_surt()'s (warcio's SURT), the timestamp the first 14
 * digits of WARC-Date, "digest" the payload digest without its "sha1:"
 * label, length and offset those of the record's gzip member, all values
 * strings.  Revisits have mime "warc/revisit".
 */
#ifndef JIYUE_CDXJ_H
#define JIYUE_CDXJ_H

#include "common/strbuf.h"

struct warc_record;

/*
 * Index the response and revisit records of a WARC, appending one line per
 * record to out, sorted bytewise (LC_ALL=C sort order) among themselves.
 * filename_in_index is what "filename" says (for a WACZ: the name under
 * archive/).  0, or -1 with err set.
 */
int cdxj_index_warc(const char *warc_path, const char *filename_in_index,
		    struct strbuf *out, struct strbuf *err);

/*
 * The same, fed record by record by a caller that reads the WARC anyway
 * (the capture indexes while it writes the browsable copy):
 *   cdxj_name_check(name, err);      is the name usable (UTF-8)?
 *   cdxj_indexer_init(&ix, path, name, err);
 *   warc_read(path, cdxj_indexer_add, &ix, err)  or call it from your own reader
 *   cdxj_indexer_finish(&ix, out);   sorted lines appended to out
 *   cdxj_indexer_release(&ix);
 * path is only named in errors.
 */
struct cdxj_indexer {
	const char *path;
	const char *filename;
	struct strbuf *err;
	struct strbuf key;
	struct strbuf lines;
};

int cdxj_name_check(const char *filename_in_index, struct strbuf *err);
void cdxj_indexer_init(struct cdxj_indexer *ix, const char *warc_path,
		       const char *filename_in_index, struct strbuf *err);
int cdxj_indexer_add(void *ix, const struct warc_record *r);
void cdxj_indexer_finish(struct cdxj_indexer *ix, struct strbuf *out);
void cdxj_indexer_release(struct cdxj_indexer *ix);

/* Sort the lines of sb bytewise and drop repeated lines (to merge indexes). */
void cdxj_sort(struct strbuf *sb);

#endif
