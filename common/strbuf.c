#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char strbuf_slopbuf[1];

void strbuf_init(struct strbuf *sb, size_t hint)
{
	sb->buf = strbuf_slopbuf;
	sb->len = sb->alloc = sb->max = 0;
	if (hint)
		strbuf_grow(sb, hint);
}

void strbuf_release(struct strbuf *sb)
{
	size_t max = sb->max;
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, 0);
	sb->max = max;
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *res;
	strbuf_grow(sb, 0);
	res = sb->buf;
	if (len)
		*len = sb->len;
	sb->buf = strbuf_slopbuf;
	sb->len = sb->alloc = 0;
	return res;
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need;
	if (extra > SIZE_MAX - sb->len - 1)
		die("buffer size overflow");
	need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return;
	{
		size_t n = sb->alloc ? sb->alloc : 64;
		int fresh = !sb->alloc;
		while (n < need)
			n = n < SIZE_MAX / 2 ? n * 2 : need;
		sb->buf = xrealloc(fresh ? NULL : sb->buf, n);
		if (fresh)
			sb->buf[0] = '\0';
		sb->alloc = n;
	}
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (!sb->alloc) {
		/* only 0 is valid on an unallocated buffer */
		return;
	}
	sb->len = len;
	sb->buf[len] = '\0';
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (!len)
		return;
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

int strbuf_add_capped(struct strbuf *sb, const void *data, size_t len)
{
	if (sb->max && (len > sb->max || sb->len > sb->max - len))
		return -1;
	strbuf_add(sb, data, len);
	return 0;
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addbuf(struct strbuf *sb, const struct strbuf *other)
{
	strbuf_add(sb, other->buf, other->len);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc ? sb->alloc - sb->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		die("vsnprintf failed");
	if (sb->len + (size_t)n + 1 > sb->alloc) {
		strbuf_grow(sb, (size_t)n);
		n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	}
	if (n > 0) {
		sb->len += (size_t)n;
	}
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void strbuf_add_html(struct strbuf *sb, const char *s, size_t len)
{
	size_t i, start = 0;
	for (i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		strbuf_add(sb, s + start, i - start);
		strbuf_addstr(sb, rep);
		start = i + 1;
	}
	strbuf_add(sb, s + start, len - start);
}

int strbuf_read_file(struct strbuf *sb, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t old = sb->len;
	struct stat st;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		strbuf_grow(sb, (size_t)st.st_size);
	for (;;) {
		ssize_t n;
		strbuf_grow(sb, 8192);
		n = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
		if (n < 0) {
			int e = errno;
			if (e == EINTR)
				continue;
			close(fd);
			strbuf_setlen(sb, old);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		sb->len += (size_t)n;
	}
	sb->buf[sb->len] = '\0';
	close(fd);
	return 0;
}

void strbuf_swap(struct strbuf *a, struct strbuf *b)
{
	struct strbuf t = *a;
	*a = *b;
	*b = t;
}
