/*
 * warc: the preservation copy of a capture, as a WARC 1.1 file, and a
 * reader for it.
 *
 * A file starts with a 'warcinfo' record; each fetched resource then adds
 * a 'response' (or, when its payload was already stored earlier in the same
 * file, a 'revisit' that points at the first copy), the 'request' that
 * produced it and, when links were found, a 'metadata' record listing them.
 * Request and metadata carry WARC-Concurrent-To the response.  Every
 * record is its own gzip member, so a CDXJ index can point replay tools at
 * (offset, length) of one member.
 *
 * Durability: the records of an exchange are built in memory and written
 * together, and warc_offset() is the end of the last complete exchange.
 * The crawler journals that offset after each exchange; after a crash it
 * reopens the file at the journaled offset, which cuts off whatever a
 * killed write left behind.  Digests of payloads already stored are re-learned from the file
 * on reopen, so revisits keep pointing at records that really are in it.
 *
 * All functions report failure with a short message in err and leave the
 * file ending at a record boundary.
 */
#ifndef JIYUE_WARC_H
#define JIYUE_WARC_H

#include <stddef.h>

#include "common/strbuf.h"

struct strbuf;
struct warc_writer;

/* The fields of the warcinfo record (application/warc-fields); any may be NULL. */
struct warc_info {
	const char *software;
	const char *operator_;
	const char *is_part_of;
	const char *description;
	const char *format;      /* default "WARC File Format 1.1" */
	long long time_us;       /* WARC-Date of the warcinfo record; 0: now */
};

/* Create a new WARC (fails if path exists) and write the warcinfo record. */
struct warc_writer *warc_create(const char *path, const struct warc_info *info,
				struct strbuf *err);

/*
 * Reopen for appending after offset, truncating whatever follows (a torn
 * record).  The part kept must read back cleanly: offset has to be a record
 * boundary.  Offset 0 means "no exchange was journaled yet": the warcinfo
 * record written by warc_create() is kept if it is complete.
 */
struct warc_writer *warc_reopen(const char *path, long long offset, struct strbuf *err);

/* Current end offset (after the last complete record), to journal. */
long long warc_offset(const struct warc_writer *w);

/*
 * Power cuts: the page cache may lose what kill -9 would not.  Either call
 * warc_sync() before making a journaled offset durable (fdatasync of the
 * journal), or set warc_set_sync() to fdatasync(2) after every exchange.
 */
int warc_sync(struct warc_writer *w, struct strbuf *err);
void warc_set_sync(struct warc_writer *w, int on);

struct warc_exchange {
	const char *target_uri;       /* absolute, ASCII, percent-encoded */
	const char *ip;               /* may be NULL or "" */
	long long time_us;            /* fetch time, Unix microseconds */
	const char *request;          /* the HTTP request as sent (request line + headers [+ body]) */
	size_t request_len;
	const char *resp_head;        /* status line + headers as received, ending with an empty line */
	size_t resp_head_len;
	const char *body;             /* entity body after transfer-decoding, before content-decoding */
	size_t body_len;
	/*
	 * Links found in the resource, for a 'metadata' record of Heritrix-style
	 * "outlink: URL L a/@href" lines (see outlink_embed).  An item that already holds a space is
	 * taken as "URL HOPTYPE CONTEXT" and written as is.  0: no record.
	 */
	const char *const *outlinks;
	size_t nr_outlinks;
	/* optional, per outlink: 1 embedded (E =EMBED_MISC), 0 a link (L =NAVLINK_MISC) */
	const unsigned char *outlink_embed;
	/* WARC-Truncated reason ("length", "time", "disconnect") if the body is incomplete; else NULL. */
	const char *truncated;
};

struct warc_result {
	long long offset, length;  /* of the response or revisit record's gzip member */
	char digest[64];           /* payload digest, "sha1:..." */
	int revisit;
};

/*
 * Write the exchange: a 'response' record, or a 'revisit' (profile
 * http://netpreserve.org/warc/1.1/revisit/identical-payload-digest, HTTP
 * head only, WARC-Refers-To and -Target-URI and -Date of the first copy)
 * when a complete, non-empty payload with the same digest is already in
 * this file; then the 'request' and, if there are outlinks, the
 * 'metadata' record.
 *
 * The HTTP head is stored as received, with one exception: as the body is
 * stored without its transfer coding, a Transfer-Encoding header is kept as
 * X-Crawler-Transfer-Encoding (Common Crawl's convention), else readers
 * would try to de-chunk a body that is not chunked.
 */
int warc_write_exchange(struct warc_writer *w, const struct warc_exchange *x,
			struct warc_result *res, struct strbuf *err);

/*
 * The same in two steps, so that the records can be built and compressed
 * on worker threads while one thread owns the file:
 * warc_build_exchange() is safe to call from any thread, each with its own
 * deflater; it reads the writer's table of first copies (under the
 * writer's lock) to decide on a revisit.  warc_append_built() is for the
 * writer's owner only.  Two identical payloads built at the same time
 * are both stored whole: a lost revisit costs space, never correctness.
 */
struct warc_deflater;
struct warc_deflater *warc_deflater_new(void);
void warc_deflater_free(struct warc_deflater *z);

struct warc_built {
	struct strbuf out;         /* the records, each its own gzip member */
	long long resp_len;        /* of the first member: response or revisit */
	char digest[64];           /* payload digest, "sha1:..." */
	char *uri, *date, *resp_id;
	int revisit;
	int worth_remembering;     /* a complete, non-empty payload */
};

void warc_built_init(struct warc_built *b);
void warc_built_release(struct warc_built *b);
int warc_build_exchange(struct warc_writer *w, struct warc_deflater *z,
			const struct warc_exchange *x, struct warc_built *b, struct strbuf *err);
int warc_append_built(struct warc_writer *w, const struct warc_built *b,
		      struct warc_result *res, struct strbuf *err);

/* Flush (fdatasync), close and free; w may be NULL.  0 or -1. */
int warc_close(struct warc_writer *w, struct strbuf *err);

/* ---- reading ---- */

struct warc_header {
	const char *name, *value;
};

struct warc_record {
	const char *version;         /* "WARC/1.1" */
	/* Frequently used headers; NULL when absent. */
	const char *type, *target_uri, *date, *record_id, *payload_digest, *content_type;
	long long offset, length;    /* of the gzip member (of the record in a plain .warc) */
	const char *block;           /* the record block (Content-Length bytes) */
	size_t block_len;
	const struct warc_header *headers;  /* all named fields, in file order */
	size_t nr_headers;
};

/* The first named field called name (case-insensitive), or NULL. */
const char *warc_record_header(const struct warc_record *r, const char *name);

/*
 * Call fn for each record of a .warc.gz (one record per gzip member) or a
 * plain .warc.  Records are checked: WARC version line, Content-Length,
 * the CRLF CRLF after the block and, when it is sha1, WARC-Block-Digest.
 * Everything passed to fn is valid only during the call.  A non-zero return
 * from fn stops the walk and is returned; otherwise 0, or -1 with err set.
 */
typedef int warc_record_fn(void *ud, const struct warc_record *r);
int warc_read(const char *path, warc_record_fn *fn, void *ud, struct strbuf *err);

/* Length of the HTTP head at the start of block, blank line included; 0 if there is none. */
size_t warc_http_head_len(const char *block, size_t len);

/* Append a WARC-Date: "2026-11-23T08:30:00Z", or with ".123456" when time_us has microseconds. */
void warc_format_date(long long time_us, struct strbuf *out);

#endif
