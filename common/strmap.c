#include "strmap.h"
#include "xalloc.h"

#include <stdint.h>
#include <string.h>

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

void strmap_init(struct strmap *m)
{
	m->slots = NULL;
	m->cap = m->nr = 0;
}

void strmap_release(struct strmap *m)
{
	size_t i;
	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	strmap_init(m);
}

static struct strmap_entry *find(const struct strmap *m, const char *key)
{
	size_t i = (size_t)hash(key) & (m->cap - 1);
	while (m->slots[i].key && strcmp(m->slots[i].key, key))
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static void rehash(struct strmap *m)
{
	struct strmap old = *m;
	size_t i;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].key) = old.slots[i];
	free(old.slots);
}

void *strmap_get(const struct strmap *m, const char *key)
{
	struct strmap_entry *e;
	if (!m->cap)
		return NULL;
	e = find(m, key);
	return e->key ? e->val : NULL;
}

void *strmap_put_new(struct strmap *m, const char *key, void *val)
{
	struct strmap_entry *e;
	if ((m->nr + 1) * 4 > m->cap * 3)
		rehash(m);
	e = find(m, key);
	if (e->key)
		return e->val;
	e->key = xstrdup(key);
	e->val = val;
	m->nr++;
	return NULL;
}

void strmap_put(struct strmap *m, const char *key, void *val)
{
	struct strmap_entry *e;
	if ((m->nr + 1) * 4 > m->cap * 3)
		rehash(m);
	e = find(m, key);
	if (!e->key) {
		e->key = xstrdup(key);
		m->nr++;
	}
	e->val = val;
}
