/*
 * decode: undo a Content-Encoding (gzip, deflate) of a body as received.
 * The WARC keeps the encoded bytes; the browsable copy and the link finder
 * need the decoded ones.
 */
#ifndef JIYUE_DECODE_H
#define JIYUE_DECODE_H

#include <stddef.h>

struct strbuf;

/*
 * Append the decoded body to out.  encoding NULL, "" or "identity" copies.
 * Returns 0, or -1 (unknown encoding, corrupt data, or over max bytes).
 */
int decode_body(const char *encoding, const char *body, size_t len, size_t max,
		struct strbuf *out);

#endif
