#include "arena.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#define CHUNK_MIN (64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	max_align_t data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->used_total = 0;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	arena_init(a);
}

void arena_reset(struct arena *a)
{
	struct arena_chunk *c = a->head, *last = NULL;
	if (!c)
		return;
	/* keep the oldest chunk (the last in the list) */
	while (c->next) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	last = c;
	last->used = 0; /* arena_alloc zeroes what it hands out */
	a->head = last;
	a->used_total = 0;
}

void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->head;
	size_t align = sizeof(max_align_t);
	size_t need = (size + align - 1) & ~(align - 1);
	void *p;

	if (!need)
		need = align;
	if (!c || c->size - c->used < need) {
		size_t sz = need > CHUNK_MIN ? need : CHUNK_MIN;
		c = xmalloc(sizeof(*c) + sz);
		c->used = 0;
		c->size = sz;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	memset(p, 0, need);
	c->used += need;
	a->used_total += need;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	char *p;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	p = arena_strndup(a, sb.buf, sb.len);
	strbuf_release(&sb);
	return p;
}
