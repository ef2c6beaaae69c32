/*
 * value: a small dynamic value tree (null, bool, string, list, map) for
 * YAML front matter, site settings and template contexts.  All nodes and
 * strings live in an arena (see arena.h); nothing is freed alone.
 *
 * Scalars keep their text: a number in YAML stays the string "10" and
 * `plain` records that it was unquoted, so value_as_int() can read it.
 * Maps keep insertion order (templates and output stay deterministic).
 */
#ifndef JIYUE_VALUE_H
#define JIYUE_VALUE_H

#include <stddef.h>

struct arena;

enum value_type { VAL_NULL, VAL_BOOL, VAL_STR, VAL_LIST, VAL_MAP };

struct value;

struct value_pair {
	const char *key;
	size_t keylen;
	struct value *val;
};

struct value {
	enum value_type type;
	unsigned line, col; /* where it came from in its file; 0 if computed */
	union {
		int b;
		struct {
			const char *s;
			size_t len;
			int plain;
		} str;
		struct {
			struct value **items;
			size_t nr, alloc;
		} list;
		struct {
			struct value_pair *items;
			size_t nr, alloc;
		} map;
	} u;
};

struct value *value_null(struct arena *a);
struct value *value_bool(struct arena *a, int b);
/* The string is not copied: it must outlive the arena's use. */
struct value *value_str_ref(struct arena *a, const char *s, size_t len);
struct value *value_str(struct arena *a, const char *s);         /* copies */
struct value *value_strn(struct arena *a, const char *s, size_t len); /* copies */
struct value *value_int(struct arena *a, long long n);
struct value *value_list(struct arena *a);
struct value *value_map(struct arena *a);

void value_list_push(struct arena *a, struct value *list, struct value *v);
/* Set key (not copied) to v; replaces an existing key.  Returns v. */
struct value *value_map_set(struct arena *a, struct value *map, const char *key,
			    struct value *v);
struct value *value_map_get(const struct value *map, const char *key);
struct value *value_map_getn(const struct value *map, const char *key, size_t len);

/* Convenience lookups: NULL / default when absent or of another type. */
const char *value_map_str(const struct value *map, const char *key);
int value_is_true(const struct value *v);
/* Parse an integer scalar; returns 0 and sets *out, or -1. */
int value_as_int(const struct value *v, long long *out);

#endif
