/*
 * mu_json: feed jansson values to the mustache engine, and two partial
 * loaders (a JSON object of sources, and a directory of .mustache files).
 *
 *	struct mu_json mj;
 *	mu_json_init(&mj);
 *	mu_render(tpl, &mj.data, json_root, cache, &out, &err);
 *
 * Value handles are `const json_t *`; the engine never keeps them past
 * mu_render(), and the adapter takes no references.
 *
 * JSON has no functions, so an object {"__tag__": "code", ...} (the
 * spec's lambda notation) is a lambda only when a resolver set with
 * mu_json_set_lambda_resolver() maps it to a C callback; otherwise it is an
 * ordinary object.
 */
#ifndef JIYUE_MU_JSON_H
#define JIYUE_MU_JSON_H

#include <jansson.h>
#include "gen/mustache/mustache.h"

/*
 * A lambda: section is NULL for {{x}}, else the raw text of {{#x}}...{{/x}}.
 * Append the result to out; return 0, or -1 on failure.
 */
typedef int mu_json_lambda_fn(void *ud, const char *section, size_t len,
			      struct strbuf *out);
/* Find the callback for lambda object `fn`; NULL: not a lambda. */
typedef mu_json_lambda_fn *mu_json_resolve_fn(void *ud, const json_t *fn);

struct mu_json {
	struct mu_data data;	/* pass &mj.data to mu_render() */
	mu_json_resolve_fn *resolve;
	void *resolve_ud;	/* given to the resolver and the lambdas */
};

void mu_json_init(struct mu_json *mj);
void mu_json_set_lambda_resolver(struct mu_json *mj,
				 mu_json_resolve_fn *resolve, void *ud);

/*
 * Append the textual form of a scalar: integers as integers, reals in the
 * shortest form that reads back the same (1.21 -> "1.21"), null as "".
 */
void mu_json_text(const json_t *v, struct strbuf *out);

/* Partials from a JSON object {name: source}; `partials` must outlive l. */
void mu_json_loader(struct mu_loader *l, const json_t *partials);

/*
 * Partials from files DIR/<name>.mustache; `dir` must outlive l.  Names
 * may contain '/' but no ".." component and may not start with '/'.
 */
void mu_dir_loader(struct mu_loader *l, const char *dir);

#endif
