#include "utf8.h"
#include "strbuf.h"

#include <stdint.h>
#include <string.h>

/* Length of the valid sequence at p (at most n bytes), or 0 if invalid. */
static size_t seq_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0; /* overlong */
		if (c == 0xed && p[1] >= 0xa0)
			return 0; /* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && p[1] < 0x90)
			return 0;
		if (c == 0xf4 && p[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

int utf8_validate(const char *s, size_t len, unsigned *line, unsigned *col)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	unsigned ln = 1, cl = 1;
	while (i < len) {
		size_t k;
		/* ASCII runs are most of the text: skip them eight bytes at a time */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			for (k = 0; k < 8; k++) {
				if (p[i + k] == '\n') {
					ln++;
					cl = 1;
				} else {
					cl++;
				}
			}
			i += 8;
		}
		if (i >= len)
			break;
		k = seq_len(p + i, len - i);
		if (!k) {
			if (line)
				*line = ln;
			if (col)
				*col = cl;
			return -1;
		}
		if (p[i] == '\n') {
			ln++;
			cl = 1;
		} else {
			cl++;
		}
		i += k;
	}
	return 0;
}

void utf8_encode(struct strbuf *sb, unsigned long cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		strbuf_addch(sb, (int)cp);
		return;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		n = 4;
	}
	b[n - 1] = (char)(0x80 | (cp & 0x3f));
	strbuf_add(sb, b, n);
}
