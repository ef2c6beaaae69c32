#include "archiver/decode.h"
#include "common/strbuf.h"

#include <string.h>
#include <strings.h>
#include <zlib.h>

static int inflate_all(const char *body, size_t len, size_t max, int window, struct strbuf *out)
{
	z_stream zs;
	int r;
	size_t start = out->len;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, window) != Z_OK)
		return -1;
	zs.next_in = (Bytef *)body;
	zs.avail_in = (uInt)len;
	do {
		strbuf_grow(out, 65536);
		zs.next_out = (Bytef *)out->buf + out->len;
		zs.avail_out = (uInt)(out->alloc - out->len - 1);
		r = inflate(&zs, Z_NO_FLUSH);
		out->len = (size_t)((char *)zs.next_out - out->buf);
		if (out->len - start > max) {
			r = Z_DATA_ERROR;
			break;
		}
	} while (r == Z_OK && (zs.avail_in || !zs.avail_out));
	inflateEnd(&zs);
	out->buf[out->len] = '\0';
	if (r != Z_STREAM_END && r != Z_OK) {
		strbuf_setlen(out, start);
		return -1;
	}
	return 0;
}

int decode_body(const char *encoding, const char *body, size_t len, size_t max,
		struct strbuf *out)
{
	if (!encoding || !*encoding || !strcasecmp(encoding, "identity")) {
		strbuf_add(out, body, len);
		return 0;
	}
	if (!strcasecmp(encoding, "gzip") || !strcasecmp(encoding, "x-gzip"))
		return inflate_all(body, len, max, 15 + 16, out);
	if (!strcasecmp(encoding, "deflate")) {
		/* servers send zlib-wrapped or raw deflate under this name */
		if (!inflate_all(body, len, max, 15, out))
			return 0;
		return inflate_all(body, len, max, -15, out);
	}
	return -1;
}
