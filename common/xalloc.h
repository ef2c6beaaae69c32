/*
 * Allocation that never returns NULL: running out of memory is fatal, as in
 * git.  die() prints "fatal: ..." to stderr and exits 128.
 */
#ifndef JIYUE_XALLOC_H
#define JIYUE_XALLOC_H

#include <stddef.h>
#include <stdlib.h>

void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grow an array (ptr, nr, alloc) so that it holds at least n items. */
#define ALLOC_GROW(ptr, n, alloc) do { \
	if ((n) > (alloc)) { \
		size_t na_ = (alloc) ? (alloc) * 2 : 16; \
		while (na_ < (n)) na_ *= 2; \
		(ptr) = xrealloc((ptr), na_ * sizeof(*(ptr))); \
		(alloc) = na_; \
	} \
} while (0)

#endif
