/*
 * Internals of the mustache engine shared by parse.c, render.c and
 * mustache.c.  Nothing here is part of the public API.
 *
 * A parsed template is a tree of mu_node.  Every string a node points at
 * lives in the template: either in its private copy of the source (names,
 * most text, delimiters) or in one of its `allocs` (text that had a block's
 * intrinsic indentation removed).  After mu_parse() returns, the tree is
 * never written again, so any number of threads may render it at once.
 */
#ifndef JIYUE_MUSTACHE_INT_H
#define JIYUE_MUSTACHE_INT_H

#include <pthread.h>
#include "gen/mustache/mustache.h"

/*
 * How deep partials, parents and lambda results may nest before we assume
 * a template includes itself for ever.  Blocks have a limit of their own.
 */
#define MU_MAX_DEPTH 100

enum mu_node_kind {
	MU_N_ROOT,	/* only used while parsing */
	MU_N_TEXT,
	MU_N_VAR,	/* {{x}} */
	MU_N_RAW,	/* {{{x}}} and {{&x}} */
	MU_N_SECTION,	/* {{#x}} */
	MU_N_INVERTED,	/* {{^x}} */
	MU_N_PARTIAL,	/* {{>x}} */
	MU_N_PARENT,	/* {{<x}}: kids are its argument blocks only */
	MU_N_BLOCK	/* {{$x}} */
};

struct mu_node {
	enum mu_node_kind kind;
	int dynamic;			/* {{>*x}}: the name is looked up */
	int standalone;			/* partial, parent: alone on its line */
	unsigned line, col;		/* of the opening delimiter */
	const char *str;		/* text, or the tag's name */
	size_t len;
	struct mu_node *kids;		/* section, inverted, parent, block */
	size_t nkids;
	const char *indent;		/* partial, parent, block: prepended */
	size_t indent_len;		/* to each line they expand to */
	const char *raw;		/* section: unrendered text for lambdas */
	size_t raw_len;
	const char *otag, *ctag;	/* section: delimiters in effect there */
	size_t olen, clen;
};

struct mu_template {
	char *name;
	char *src;
	size_t len;
	struct mu_node *kids;
	size_t nkids;
	char **allocs;
	size_t nallocs, allocs_alloc;
};

/* Parse with the given delimiters in effect (lambda section results). */
struct mu_template *mu_parse_delims(const char *name, const char *text,
				    size_t len, const char *otag, size_t olen,
				    const char *ctag, size_t clen,
				    struct mu_error *err);

struct mu_cache_entry;

struct mu_cache {
	struct mu_loader loader;
	int strict;
	pthread_mutex_t lock;
	struct mu_cache_entry **buckets;
	size_t nbuckets, count;
};

/*
 * Find partial `name` in the cache, loading and parsing it on first use.
 * *out is NULL when there is no such partial.  Returns -1 (err filled)
 * only when the partial exists but does not parse.
 */
int mu_cache_find(struct mu_cache *c, const char *name, size_t len,
		  const struct mu_template **out, struct mu_error *err);

void mu_error_set(struct mu_error *e, const char *file, unsigned line,
		  unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
