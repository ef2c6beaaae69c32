/*
 * arena: a bump allocator for the many small, short-lived objects of one
 * page render or one loaded file.  Everything allocated from an arena is
 * freed at once by arena_release(); nothing is freed alone.  Not
 * thread-safe: one arena per thread.
 */
#ifndef JIYUE_ARENA_H
#define JIYUE_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used_total;
};

#define ARENA_INIT { NULL, 0 }

void arena_init(struct arena *a);
void arena_release(struct arena *a);
/* Free all but the first chunk and rewind: cheap reuse between pages. */
void arena_reset(struct arena *a);

void *arena_alloc(struct arena *a, size_t size);      /* zeroed, aligned */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
