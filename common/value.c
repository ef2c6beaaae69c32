#include "value.h"
#include "arena.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct value *new_value(struct arena *a, enum value_type t)
{
	struct value *v = arena_alloc(a, sizeof(*v));
	v->type = t;
	return v;
}

struct value *value_null(struct arena *a)
{
	return new_value(a, VAL_NULL);
}

struct value *value_bool(struct arena *a, int b)
{
	struct value *v = new_value(a, VAL_BOOL);
	v->u.b = !!b;
	return v;
}

struct value *value_str_ref(struct arena *a, const char *s, size_t len)
{
	struct value *v = new_value(a, VAL_STR);
	v->u.str.s = s;
	v->u.str.len = len;
	return v;
}

struct value *value_strn(struct arena *a, const char *s, size_t len)
{
	return value_str_ref(a, arena_strndup(a, s, len), len);
}

struct value *value_str(struct arena *a, const char *s)
{
	return value_strn(a, s, strlen(s));
}

struct value *value_int(struct arena *a, long long n)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%lld", n);
	struct value *v = value_strn(a, buf, (size_t)len);
	v->u.str.plain = 1;
	return v;
}

struct value *value_list(struct arena *a)
{
	return new_value(a, VAL_LIST);
}

struct value *value_map(struct arena *a)
{
	return new_value(a, VAL_MAP);
}

/* Grow an arena-backed array: the old storage is simply abandoned. */
static void *grow(struct arena *a, void *old, size_t nr, size_t *alloc, size_t size)
{
	size_t na;
	void *p;
	if (nr < *alloc)
		return old;
	na = *alloc ? *alloc * 2 : 8;
	p = arena_alloc(a, na * size);
	if (nr)
		memcpy(p, old, nr * size);
	*alloc = na;
	return p;
}

void value_list_push(struct arena *a, struct value *list, struct value *v)
{
	list->u.list.items = grow(a, list->u.list.items, list->u.list.nr,
				  &list->u.list.alloc, sizeof(struct value *));
	list->u.list.items[list->u.list.nr++] = v;
}

struct value *value_map_getn(const struct value *map, const char *key, size_t len)
{
	size_t i;
	if (!map || map->type != VAL_MAP)
		return NULL;
	for (i = 0; i < map->u.map.nr; i++) {
		const struct value_pair *p = &map->u.map.items[i];
		if (p->keylen == len && !memcmp(p->key, key, len))
			return p->val;
	}
	return NULL;
}

struct value *value_map_get(const struct value *map, const char *key)
{
	return value_map_getn(map, key, strlen(key));
}

struct value *value_map_set(struct arena *a, struct value *map, const char *key,
			    struct value *v)
{
	size_t i, len = strlen(key);
	for (i = 0; i < map->u.map.nr; i++) {
		struct value_pair *p = &map->u.map.items[i];
		if (p->keylen == len && !memcmp(p->key, key, len)) {
			p->val = v;
			return v;
		}
	}
	map->u.map.items = grow(a, map->u.map.items, map->u.map.nr,
				&map->u.map.alloc, sizeof(struct value_pair));
	map->u.map.items[map->u.map.nr].key = key;
	map->u.map.items[map->u.map.nr].keylen = len;
	map->u.map.items[map->u.map.nr].val = v;
	map->u.map.nr++;
	return v;
}

const char *value_map_str(const struct value *map, const char *key)
{
	const struct value *v = value_map_get(map, key);
	return v && v->type == VAL_STR ? v->u.str.s : NULL;
}

int value_is_true(const struct value *v)
{
	return v && v->type == VAL_BOOL && v->u.b;
}

int value_as_int(const struct value *v, long long *out)
{
	char *end;
	long long n;
	if (!v || v->type != VAL_STR || !v->u.str.len)
		return -1;
	errno = 0;
	n = strtoll(v->u.str.s, &end, 10);
	if (errno || *end)
		return -1;
	*out = n;
	return 0;
}
