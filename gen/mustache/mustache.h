/*
 * mustache: our Mustache engine (spec v1.4, with the optional inheritance,
 * dynamic names and lambdas modules).
 *
 * The engine never sees a concrete data type: values are opaque
 * `const void *` handles interpreted through a `struct mu_data` callback
 * table, so YAML front matter, computed lists and JSON can all feed it.
 *
 * Templates are parsed once (mu_template) and rendered many times.  Partials
 * and parents are loaded on demand through a `struct mu_loader` and cached
 * in a `struct mu_cache`, which owns every template it hands out.
 *
 * Ownership: mu_parse() returns a template the caller frees with
 * mu_template_free(), unless it came from a cache.  Errors are returned in a
 * struct mu_error the caller owns (mu_error_release()).
 */
#ifndef JIYUE_MUSTACHE_H
#define JIYUE_MUSTACHE_H

#include <stddef.h>
#include "common/strbuf.h"

enum mu_kind {
	MU_MISSING = 0, /* lookup failed */
	MU_NULL,
	MU_FALSE,
	MU_TRUE,
	MU_STRING,
	MU_NUMBER,
	MU_LIST,
	MU_MAP,
	MU_LAMBDA
};

struct mu_data {
	void *ud;
	/* Kind of a value handle (NULL handle: MU_MISSING). */
	enum mu_kind (*kind)(void *ud, const void *v);
	/* Member `name` (name[0..len)) of a map; NULL when absent or not a map. */
	const void *(*get)(void *ud, const void *map, const char *name, size_t len);
	/* Append the textual form of a scalar (string, number, bool, null=""). */
	void (*text)(void *ud, const void *v, struct strbuf *out);
	size_t (*list_len)(void *ud, const void *list);
	const void *(*list_at)(void *ud, const void *list, size_t i);
	/*
	 * Call a lambda.  For a variable tag `section` is NULL; for a section
	 * it is the raw, unrendered section text.  The lambda appends its
	 * result to out; the engine renders that result as a template: for
	 * a variable with the default delimiters, then HTML-escaped unless
	 * the tag is {{{x}}} or {{&x}}; for a section with the delimiters in
	 * effect there.  Return 0, or -1 on failure.  An inverted section
	 * never calls its lambda (a lambda is truthy).
	 */
	int (*lambda)(void *ud, const void *fn, const char *section, size_t len,
		      struct strbuf *out);
};

/* An error with its position.  line and col are 1-based; 0 if unknown. */
struct mu_error {
	struct strbuf file; /* template name or path */
	unsigned line, col;
	struct strbuf msg;  /* short, lowercase, e.g. "unclosed section 'x'" */
};
void mu_error_init(struct mu_error *e);
void mu_error_release(struct mu_error *e);
/* "file:line:col: msg" */
void mu_error_format(const struct mu_error *e, struct strbuf *out);

struct mu_template;

/*
 * Parse `len` bytes of template text.  `name` is used in error messages
 * (usually the file path).  Returns NULL and fills err on a syntax error.
 */
struct mu_template *mu_parse(const char *name, const char *text, size_t len,
			     struct mu_error *err);
void mu_template_free(struct mu_template *t);

/* Where partials ({{>x}}) and parents ({{<x}}) come from. */
struct mu_loader {
	void *ud;
	/*
	 * Fill `out` with the source of partial `name` and `path` with the
	 * name to report in errors; return 0, or -1 if there is no such
	 * partial (the spec renders a missing partial as "", but the cache
	 * can be told to treat it as an error: see mu_cache_init).
	 */
	int (*load)(void *ud, const char *name, struct strbuf *out,
		    struct strbuf *path);
};

struct mu_cache; /* parsed partials by name; owns them */
/*
 * strict_partials: a missing partial is an error ("no partial 'x'") instead of
 * the spec's empty string.  The cache may be shared by threads rendering
 * at the same time: a mutex guards its table (the loader is called with it
 * held), and the templates it hands out never change.  Missing partials
 * are remembered too, so the loader is asked once per name.
 */
struct mu_cache *mu_cache_new(const struct mu_loader *loader, int strict_partials);
void mu_cache_free(struct mu_cache *c);
/* Parse the partial `name` now (and its partials, recursively). */
int mu_cache_preload(struct mu_cache *c, const char *name, struct mu_error *err);
/* Parse now every partial and parent that t names (recursively). */
int mu_template_preload(struct mu_cache *c, const struct mu_template *t,
			struct mu_error *err);
/*
 * The parsed partial `name`, loading it if needed; NULL with err filled if
 * it is missing or does not parse.  The cache keeps ownership.
 */
const struct mu_template *mu_cache_get(struct mu_cache *c, const char *name,
				       struct mu_error *err);
/*
 * The parsed template `name`, loading and parsing it if needed (owned by
 * the cache).  NULL and err filled when it is missing or broken.
 */
const struct mu_template *mu_cache_get(struct mu_cache *c, const char *name,
				       struct mu_error *err);

/*
 * Render t with the context stack starting at `root` and append to out.
 * Sections skip missing values, null, false and empty lists; anything else
 * (also "" and 0) is truthy: a list is iterated, a lambda called, and any
 * other value pushed on the context stack for the section's content.
 * cache may be NULL (then partials render as empty).  Returns 0, or -1 and
 * fills err (e.g. a partial with a syntax error, a lambda that failed, a
 * missing partial under strict_partials).
 */
int mu_render(const struct mu_template *t, const struct mu_data *data,
	      const void *root, struct mu_cache *cache, struct strbuf *out,
	      struct mu_error *err);

#endif
