/*
 * charset: which character encoding an archived HTML page is in, and its
 * conversion to UTF-8 for the browsable copy (the WARC keeps the original
 * bytes; only the copy is converted).
 *
 * Detection follows the HTML Standard's order ("determining the character
 * encoding"): byte order mark, then the HTTP Content-Type charset, then a
 * prescan of the first 1024 bytes for <meta charset> or <meta http-equiv=
 * content-type>.  Labels are those of the WHATWG Encoding Standard, so
 * "gb2312", "gbk", "x-gbk", "cp936" and "gb18030" are one encoding, GB18030
 * (a superset: pages labelled gb2312 routinely contain GBK-only characters
 * such as 镕 or 堃, which a strict GB2312 decoder would lose), and
 * "iso-8859-1", "latin1" and "us-ascii" are windows-1252, as in browsers.
 *
 * When nothing is declared, valid UTF-8 is taken as UTF-8 and anything else
 * as GB18030: many old government servers send no charset at all, and GBK
 * is what those pages are in.
 */
#ifndef JIYUE_CHARSET_H
#define JIYUE_CHARSET_H

#include <stddef.h>

struct strbuf;

/*
 * Decide the charset of an HTML body: BOM, then the HTTP Content-Type
 * charset (content_type may be NULL), then a <meta charset> / <meta
 * http-equiv content-type> prescan of the first 1024 bytes (HTML5 prescan),
 * then: valid UTF-8 -> utf-8, else gb18030.  Returns a canonical lower-case
 * name ("utf-8", "gb18030", "big5", "windows-1252", "shift_jis", "euc-kr",
 * "utf-16le"...), a static string.
 */
const char *charset_detect(const char *body, size_t len, const char *content_type);

/* The charset parameter of a Content-Type value, canonical, or NULL if none or unknown. */
const char *charset_from_content_type(const char *content_type);

/*
 * The canonical name of an encoding label ("GB2312" -> "gb18030",
 * " Latin1 " -> "windows-1252"), or NULL if the label is unknown.
 */
const char *charset_canonical(const char *label, size_t len);

/*
 * "Extract a character encoding from a meta element" (HTML Standard), also
 * good for a Content-Type value: where the value after "charset", "=" lies
 * in s, without its quotes, as [*vs, *ve).  0, or -1 when there is none
 * (or its quote is never closed).  The rewriter replaces that span; the
 * detector reads it.
 */
int charset_param_span(const char *s, size_t n, size_t *vs, size_t *ve);

/*
 * Append body, converted from charset to UTF-8, to out.  Invalid or
 * truncated sequences become U+FFFD; a leading byte order mark is dropped.
 * Returns 0, or -1 if the charset is unknown to us and to iconv (out is
 * unchanged).
 */
int charset_to_utf8(const char *body, size_t len, const char *charset, struct strbuf *out);

/*
 * The code point of a windows-1252 byte (0x80 -> U+20AC ...).  HTML numeric
 * character references in 0x80..0x9F are read through the same table.
 */
unsigned charset_cp1252(unsigned char b);

#endif
