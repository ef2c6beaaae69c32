/* utf8: validation with a position, for clear errors on non-UTF-8 input. */
#ifndef JIYUE_UTF8_H
#define JIYUE_UTF8_H

#include <stddef.h>

/*
 * Return 0 if s[0..len) is valid UTF-8 (no overlongs, no surrogates);
 * otherwise -1 and the 1-based line and column (in characters) of the first
 * bad byte.
 */
int utf8_validate(const char *s, size_t len, unsigned *line, unsigned *col);

struct strbuf;

/* Append code point cp as UTF-8 (cp must be a valid scalar value). */
void utf8_encode(struct strbuf *sb, unsigned long cp);

#endif
