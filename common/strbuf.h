/*
 * strbuf: a growable byte buffer, always NUL-terminated.
 *
 * Ownership: the strbuf owns sb->buf.  sb->buf is never NULL: an empty
 * buffer points at a shared static "" until the first write, so callers may
 * read sb->buf at any time.  strbuf_release() frees and resets; after
 * strbuf_detach() the caller owns the returned memory (free() it) and the
 * strbuf is empty again.
 *
 * A cap (sb->max, 0 = none) bounds growth like curl's dynbuf: the *_capped
 * adders return -1 instead of growing past it, for data from the network.
 * Allocation failure is fatal (see xalloc.h).
 */
#ifndef JIYUE_STRBUF_H
#define JIYUE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

extern char strbuf_slopbuf[];

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
	size_t max; /* 0: unlimited */
};

#define STRBUF_INIT { strbuf_slopbuf, 0, 0, 0 }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_setlen(struct strbuf *sb, size_t len);
static inline void strbuf_reset(struct strbuf *sb) { strbuf_setlen(sb, 0); }

/* Exchange the contents of two buffers (no copying). */
void strbuf_swap(struct strbuf *a, struct strbuf *b);

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);

/* Inline: the URL and HTML code add one byte at a time in its inner loops. */
static inline void strbuf_addch(struct strbuf *sb, int c)
{
	if (sb->len + 1 >= sb->alloc)
		strbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}
void strbuf_addbuf(struct strbuf *sb, const struct strbuf *other);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);

/* Append, failing with -1 (buffer unchanged) if sb->max would be exceeded. */
int strbuf_add_capped(struct strbuf *sb, const void *data, size_t len);

/* HTML-escape & < > " ' into sb. */
void strbuf_add_html(struct strbuf *sb, const char *s, size_t len);

/* Read a whole file; returns 0, or -1 with errno set (sb keeps old content). */
int strbuf_read_file(struct strbuf *sb, const char *path);

#endif
