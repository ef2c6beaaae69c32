#include "gen/tmpldata.h"
#include "common/value.h"

static enum mu_kind v_kind(void *ud, const void *h)
{
	const struct value *v = h;
	(void)ud;
	if (!v)
		return MU_MISSING;
	switch (v->type) {
	case VAL_NULL: return MU_NULL;
	case VAL_BOOL: return v->u.b ? MU_TRUE : MU_FALSE;
	case VAL_STR: return MU_STRING;
	case VAL_LIST: return MU_LIST;
	default: return MU_MAP;
	}
}

static const void *v_get(void *ud, const void *map, const char *name, size_t len)
{
	(void)ud;
	return value_map_getn(map, name, len);
}

static void v_text(void *ud, const void *h, struct strbuf *out)
{
	const struct value *v = h;
	(void)ud;
	if (!v)
		return;
	if (v->type == VAL_STR)
		strbuf_add(out, v->u.str.s, v->u.str.len);
	else if (v->type == VAL_BOOL)
		strbuf_addstr(out, v->u.b ? "true" : "false");
}

static size_t v_list_len(void *ud, const void *h)
{
	const struct value *v = h;
	(void)ud;
	return v && v->type == VAL_LIST ? v->u.list.nr : 0;
}

static const void *v_list_at(void *ud, const void *h, size_t i)
{
	const struct value *v = h;
	(void)ud;
	return v->u.list.items[i];
}

static int v_lambda(void *ud, const void *fn, const char *section, size_t len,
		    struct strbuf *out)
{
	(void)ud; (void)fn; (void)section; (void)len; (void)out;
	return -1; /* value trees hold no code */
}

const struct mu_data value_mu_data = {
	NULL, v_kind, v_get, v_text, v_list_len, v_list_at, v_lambda
};
