/*
 * mu_json: struct mu_data over jansson, and partial loaders.
 */
#include "gen/mustache/mu_json.h"
#include "common/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_lambda_object(const json_t *v)
{
	const json_t *tag = json_object_get(v, "__tag__");

	return tag && json_is_string(tag) &&
	       !strcmp(json_string_value(tag), "code");
}

static mu_json_lambda_fn *resolve(const struct mu_json *mj, const json_t *v)
{
	if (!mj->resolve || !json_is_object(v) || !is_lambda_object(v))
		return NULL;
	return mj->resolve(mj->resolve_ud, v);
}

static enum mu_kind json_kind(void *ud, const void *vp)
{
	const json_t *v = vp;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return resolve(ud, v) ? MU_LAMBDA : MU_MAP;
	case JSON_ARRAY:
		return MU_LIST;
	case JSON_STRING:
		return MU_STRING;
	case JSON_INTEGER:
	case JSON_REAL:
		return MU_NUMBER;
	case JSON_TRUE:
		return MU_TRUE;
	case JSON_FALSE:
		return MU_FALSE;
	case JSON_NULL:
		return MU_NULL;
	}
	return MU_MISSING;
}

static const void *json_get(void *ud, const void *map, const char *name,
			    size_t len)
{
	(void)ud;
	if (!json_is_object((const json_t *)map))
		return NULL;
	return json_object_getn(map, name, len);
}

/*
 * Whole numbers as integers (100.0 -> "100", not "1e+02"), others in the
 * shortest %g form that reads back as the same double (1.21 -> "1.21").
 */
static void add_real(struct strbuf *out, double d)
{
	char buf[40];
	int prec;

	if (d > -1e15 && d < 1e15 && (double)(long long)d == d) {
		strbuf_addf(out, "%lld", (long long)d);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	strbuf_addstr(out, buf);
}

void mu_json_text(const json_t *v, struct strbuf *out)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		strbuf_add(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		strbuf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		add_real(out, json_real_value(v));
		break;
	case JSON_TRUE:
		strbuf_addstr(out, "true");
		break;
	case JSON_FALSE:
		strbuf_addstr(out, "false");
		break;
	default:
		break;	/* null, and containers: nothing */
	}
}

static void json_text(void *ud, const void *v, struct strbuf *out)
{
	(void)ud;
	mu_json_text(v, out);
}

static size_t json_list_len(void *ud, const void *list)
{
	(void)ud;
	return json_array_size(list);
}

static const void *json_list_at(void *ud, const void *list, size_t i)
{
	(void)ud;
	return json_array_get(list, i);
}

static int json_lambda(void *ud, const void *fn, const char *section,
		       size_t len, struct strbuf *out)
{
	struct mu_json *mj = ud;
	mu_json_lambda_fn *cb = resolve(mj, fn);

	if (!cb)
		return -1;
	return cb(mj->resolve_ud, section, len, out);
}

void mu_json_init(struct mu_json *mj)
{
	memset(mj, 0, sizeof(*mj));
	mj->data.ud = mj;
	mj->data.kind = json_kind;
	mj->data.get = json_get;
	mj->data.text = json_text;
	mj->data.list_len = json_list_len;
	mj->data.list_at = json_list_at;
	mj->data.lambda = json_lambda;
}

void mu_json_set_lambda_resolver(struct mu_json *mj,
				 mu_json_resolve_fn *resolve_fn, void *ud)
{
	mj->resolve = resolve_fn;
	mj->resolve_ud = ud;
}

static int load_json(void *ud, const char *name, struct strbuf *out,
		     struct strbuf *path)
{
	const json_t *src = json_object_get(ud, name);

	if (!json_is_string(src))
		return -1;
	strbuf_add(out, json_string_value(src), json_string_length(src));
	strbuf_addstr(path, name);
	return 0;
}

void mu_json_loader(struct mu_loader *l, const json_t *partials)
{
	l->ud = (void *)partials;
	l->load = load_json;
}

/* Keep partial names inside the directory. */
static int safe_name(const char *name)
{
	const char *p = name;

	if (!*name || *name == '/')
		return 0;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		p += n;
		if (*p)
			p++;
	}
	return 1;
}

static int load_dir(void *ud, const char *name, struct strbuf *out,
		    struct strbuf *path)
{
	const char *dir = ud;

	if (!safe_name(name))
		return -1;
	strbuf_reset(path);
	strbuf_addf(path, "%s/%s.mustache", dir, name);
	return strbuf_read_file(out, path->buf);
}

void mu_dir_loader(struct mu_loader *l, const char *dir)
{
	l->ud = (void *)dir;
	l->load = load_dir;
}
