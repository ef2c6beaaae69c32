/*
 * strmap: a string -> pointer hash map (open addressing, FNV-1a).  Keys are
 * copied and owned by the map; values are not owned.
 */
#ifndef JIYUE_STRMAP_H
#define JIYUE_STRMAP_H

#include <stddef.h>

struct strmap_entry {
	char *key;
	void *val;
};

struct strmap {
	struct strmap_entry *slots;
	size_t cap, nr;
};

#define STRMAP_INIT { NULL, 0, 0 }

void strmap_init(struct strmap *m);
void strmap_release(struct strmap *m);
void *strmap_get(const struct strmap *m, const char *key);
/* Insert key if absent and return NULL; if present, return its value unchanged. */
void *strmap_put_new(struct strmap *m, const char *key, void *val);
/* Insert or replace. */
void strmap_put(struct strmap *m, const char *key, void *val);

#endif
