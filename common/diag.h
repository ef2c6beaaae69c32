/*
 * diag: diagnostics with a position, so every loader and check reports
 * errors alike and tests can assert them.
 *
 *   content/fgw/x.md:3:7: error: invalid date '2025-02-30'
 *     hint: use a real calendar date, YYYY-MM-DD
 *
 * A diag_list owns its entries and their strings.  It is not thread-safe;
 * give each thread its own list and merge with diag_list_take().
 */
#ifndef JIYUE_DIAG_H
#define JIYUE_DIAG_H

#include <stdio.h>
#include <stddef.h>

enum diag_severity { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag {
	enum diag_severity severity;
	char *file;      /* may be NULL */
	unsigned line;   /* 1-based; 0 unknown */
	unsigned col;    /* 1-based; 0 unknown */
	char *msg;
	char *hint;      /* what to do; may be NULL */
};

struct diag_list {
	struct diag *items;
	size_t nr, alloc;
	size_t errors, warnings;
};

#define DIAG_LIST_INIT { NULL, 0, 0, 0, 0 }

void diag_list_init(struct diag_list *l);
void diag_list_release(struct diag_list *l);

/* Add a diagnostic; hint may be NULL.  Returns the new entry. */
struct diag *diag_add(struct diag_list *l, enum diag_severity sev,
		      const char *file, unsigned line, unsigned col,
		      const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

#define diag_error(l, file, line, col, hint, ...) \
	diag_add((l), DIAG_ERROR, (file), (line), (col), (hint), __VA_ARGS__)
#define diag_warning(l, file, line, col, hint, ...) \
	diag_add((l), DIAG_WARNING, (file), (line), (col), (hint), __VA_ARGS__)

/* Move all entries of src to the end of dst. */
void diag_list_take(struct diag_list *dst, struct diag_list *src);

/* Sort by file, line, column, then message: output must be deterministic. */
void diag_list_sort(struct diag_list *l);

void diag_print(const struct diag *d, FILE *out);
void diag_list_print(const struct diag_list *l, FILE *out);

#endif
