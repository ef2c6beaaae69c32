/*
 * Rendering a parsed template.
 *
 * The context stack and the stack of parents being expanded are linked
 * lists living on the C stack, and indentation lives in a buffer inside
 * struct render, so a render allocates nothing but the output (and some
 * scratch space for dynamic names and lambdas when a template uses
 * them).
 */
#include "gen/mustache/mustache_int.h"
#include "common/xalloc.h"

#include <stdarg.h>
#include <string.h>

struct ctx {
	const void *v;
	const struct ctx *up;
};

/* {{<parent}} tags being expanded, innermost first, with their blocks. */
struct args {
	const struct mu_node *parent;
	const struct args *up;
};

struct render {
	const struct mu_data *d;
	struct mu_cache *cache;
	struct strbuf *out;
	struct mu_error *err;
	/*
	 * Indentation of the partials and blocks we are in.  Inside a
	 * partial included inline, the part before indent_base is not
	 * ours: such a partial's lines are not indented.
	 */
	char *indent;
	size_t indent_base, indent_len, indent_alloc;
	char indent_buf[128];
	struct strbuf scratch;
	int bol;		/* at the start of a template line */
	unsigned depth;		/* partials, parents and lambda results */
	unsigned block_depth;
};

static int render_nodes(struct render *r, const struct mu_template *t,
			const struct mu_node *n, size_t nn,
			const struct ctx *c, const struct args *a);

__attribute__((format(printf, 4, 5)))
static int fail(struct render *r, const struct mu_template *t,
		const struct mu_node *n, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	mu_error_set(r->err, t->name, n->line, n->col, "%s", msg.buf);
	strbuf_release(&msg);
	return -1;
}

static enum mu_kind kind_of(const struct render *r, const void *v)
{
	return v ? r->d->kind(r->d->ud, v) : MU_MISSING;
}

/*
 * A dotted name: the first part is looked up on the context stack, the
 * others only inside what it found.
 */
static const void *lookup(const struct render *r, const struct ctx *c,
			  const char *name, size_t len)
{
	const char *dot, *end = name + len;
	const void *v = NULL;
	size_t n;

	if (len == 1 && *name == '.')
		return c->v;
	dot = memchr(name, '.', len);
	n = dot ? (size_t)(dot - name) : len;
	for (; c; c = c->up)
		if (c->v && (v = r->d->get(r->d->ud, c->v, name, n)))
			break;
	while (v && dot) {
		name = dot + 1;
		dot = memchr(name, '.', (size_t)(end - name));
		n = dot ? (size_t)(dot - name) : (size_t)(end - name);
		v = r->d->get(r->d->ud, v, name, n);
	}
	return v;
}

static int is_falsey(const struct render *r, const void *v, enum mu_kind k)
{
	switch (k) {
	case MU_MISSING:
	case MU_NULL:
	case MU_FALSE:
		return 1;
	case MU_LIST:
		return !r->d->list_len(r->d->ud, v);
	default:
		return 0;
	}
}

static void indent_init(struct render *r)
{
	r->indent = r->indent_buf;
	r->indent_base = r->indent_len = 0;
	r->indent_alloc = sizeof(r->indent_buf);
}

static void indent_release(struct render *r)
{
	if (r->indent != r->indent_buf)
		free(r->indent);
}

static void add_indent(struct render *r)
{
	strbuf_add(r->out, r->indent + r->indent_base,
		   r->indent_len - r->indent_base);
}

/* Template text: indent each line when inside an indented partial. */
static void out_text(struct render *r, const char *s, size_t len)
{
	if (r->indent_len == r->indent_base) {
		strbuf_add(r->out, s, len);
		r->bol = s[len - 1] == '\n';
		return;
	}
	while (len) {
		const char *nl = memchr(s, '\n', len);
		size_t n = nl ? (size_t)(nl - s) + 1 : len;
		if (r->bol)
			add_indent(r);
		strbuf_add(r->out, s, n);
		r->bol = nl != NULL;
		s += n;
		len -= n;
	}
}

/* What & < > " ' become, and how much longer that is. */
static const char *const html_rep[256] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
	['"'] = "&quot;", ['\''] = "&#39;",
};
static const unsigned char html_extra[256] = {
	['&'] = 4, ['<'] = 3, ['>'] = 3, ['"'] = 5, ['\''] = 4,
};

/*
 * HTML-escape out[from..] in place: values rarely need it, so scan first
 * and only then make room, filling it from the end.
 */
static void escape_tail(struct strbuf *out, size_t from)
{
	const unsigned char *s = (const unsigned char *)out->buf;
	size_t extra = 0, i, j;

	for (i = from; i < out->len; i++)
		extra += html_extra[s[i]];
	if (!extra)
		return;
	strbuf_grow(out, extra);
	i = out->len;
	j = out->len + extra;
	out->buf[j] = '\0';
	while (i > from) {
		unsigned char c = (unsigned char)out->buf[--i];
		size_t n = html_extra[c];
		if (!n) {
			out->buf[--j] = (char)c;
			continue;
		}
		j -= n + 1;
		memcpy(out->buf + j, html_rep[c], n + 1);
	}
	out->len += extra;
}

/*
 * Interpolated values are not template lines: only their start gets the
 * indentation, if they begin a line.
 */
static size_t value_begin(struct render *r)
{
	size_t mark = r->out->len;

	if (r->bol)
		add_indent(r);
	return mark;
}

static void value_end(struct render *r, size_t mark, size_t start, int escape)
{
	if (r->out->len == start) {
		/* nothing came: no indentation either */
		strbuf_setlen(r->out, mark);
		return;
	}
	if (escape)
		escape_tail(r->out, start);
	r->bol = 0;
}

static int call_lambda(struct render *r, const struct mu_template *t,
		       const struct mu_node *n, const void *fn,
		       const char *section, size_t len, struct strbuf *res)
{
	if (!r->d->lambda || r->d->lambda(r->d->ud, fn, section, len, res) < 0)
		return fail(r, t, n, "lambda '%.*s' failed", (int)n->len,
			    n->str);
	return 0;
}

/* Render what a lambda returned, as a template, in the current context. */
static int render_lambda_result(struct render *r, const struct mu_template *t,
				const struct mu_node *n, const struct strbuf *res,
				const char *otag, size_t olen, const char *ctag,
				size_t clen, const struct ctx *c,
				const struct args *a)
{
	struct mu_error perr;
	struct mu_template *lt;
	int ret;

	if (r->depth >= MU_MAX_DEPTH)
		return fail(r, t, n, "lambda recursion too deep");
	mu_error_init(&perr);
	lt = mu_parse_delims(t->name, res->buf, res->len, otag, olen, ctag,
			     clen, &perr);
	if (!lt) {
		fail(r, t, n, "in result of lambda '%.*s': %s", (int)n->len,
		     n->str, perr.msg.buf);
		mu_error_release(&perr);
		return -1;
	}
	mu_error_release(&perr);
	r->depth++;
	ret = render_nodes(r, lt, lt->kids, lt->nkids, c, a);
	r->depth--;
	mu_template_free(lt);
	return ret;
}

static int interpolate_lambda(struct render *r, const struct mu_template *t,
			      const struct mu_node *n, const void *fn,
			      const struct ctx *c, const struct args *a)
{
	struct strbuf res = STRBUF_INIT, text = STRBUF_INIT;
	struct render sub = *r;
	size_t mark, start;
	int ret;

	if (call_lambda(r, t, n, fn, NULL, 0, &res) < 0) {
		strbuf_release(&res);
		return -1;
	}
	/* the result is a template in default delimiters, then a value */
	sub.out = &text;
	sub.bol = 1;
	indent_init(&sub);
	strbuf_init(&sub.scratch, 0);
	ret = render_lambda_result(&sub, t, n, &res, "{{", 2, "}}", 2, c, a);
	indent_release(&sub);
	strbuf_release(&sub.scratch);
	if (!ret) {
		mark = value_begin(r);
		start = r->out->len;
		strbuf_addbuf(r->out, &text);
		value_end(r, mark, start, n->kind == MU_N_VAR);
	}
	strbuf_release(&res);
	strbuf_release(&text);
	return ret;
}

static int interpolate(struct render *r, const struct mu_template *t,
		       const struct mu_node *n, const struct ctx *c,
		       const struct args *a)
{
	const void *v = lookup(r, c, n->str, n->len);
	size_t mark, start;

	switch (kind_of(r, v)) {
	case MU_MISSING:
	case MU_NULL:
	case MU_LIST:
	case MU_MAP:
		return 0;
	case MU_LAMBDA:
		return interpolate_lambda(r, t, n, v, c, a);
	default:
		break;
	}
	mark = value_begin(r);
	start = r->out->len;
	r->d->text(r->d->ud, v, r->out);
	value_end(r, mark, start, n->kind == MU_N_VAR);
	return 0;
}

static int section(struct render *r, const struct mu_template *t,
		   const struct mu_node *n, const struct ctx *c,
		   const struct args *a)
{
	const void *v = lookup(r, c, n->str, n->len);
	enum mu_kind k = kind_of(r, v);
	struct ctx inner;
	size_t i, len;

	if (n->kind == MU_N_INVERTED) {
		if (!is_falsey(r, v, k))
			return 0;
		return render_nodes(r, t, n->kids, n->nkids, c, a);
	}
	inner.up = c;
	switch (k) {
	case MU_MISSING:
	case MU_NULL:
	case MU_FALSE:
		return 0;
	case MU_LIST:
		len = r->d->list_len(r->d->ud, v);
		for (i = 0; i < len; i++) {
			inner.v = r->d->list_at(r->d->ud, v, i);
			if (render_nodes(r, t, n->kids, n->nkids, &inner, a) < 0)
				return -1;
		}
		return 0;
	case MU_LAMBDA: {
		struct strbuf res = STRBUF_INIT;
		int ret = call_lambda(r, t, n, v, n->raw, n->raw_len, &res);
		if (!ret)
			ret = render_lambda_result(r, t, n, &res, n->otag,
						   n->olen, n->ctag, n->clen,
						   c, a);
		strbuf_release(&res);
		return ret;
	}
	default:
		inner.v = v;
		return render_nodes(r, t, n->kids, n->nkids, &inner, a);
	}
}

/* Render `nodes` with the node's indentation added to ours. */
static int render_indented(struct render *r, const struct mu_template *t,
			   const struct mu_node *n, const struct mu_node *nodes,
			   size_t nn, const struct ctx *c, const struct args *a)
{
	size_t old = r->indent_len, need = old + n->indent_len;
	int ret;

	if (!n->indent_len)
		return render_nodes(r, t, nodes, nn, c, a);
	if (need > r->indent_alloc) {
		char *bigger = xmalloc(need * 2);
		memcpy(bigger, r->indent, old);
		indent_release(r);
		r->indent = bigger;
		r->indent_alloc = need * 2;
	}
	memcpy(r->indent + old, n->indent, n->indent_len);
	r->indent_len = need;
	ret = render_nodes(r, t, nodes, nn, c, a);
	r->indent_len = old;
	return ret;
}

/* {{>x}} and {{<x}} */
static int include(struct render *r, const struct mu_template *t,
		   const struct mu_node *n, const struct ctx *c,
		   const struct args *a)
{
	const char *name = n->str;
	size_t len = n->len;
	const struct mu_template *p;
	struct args self;
	size_t base;
	int ret;

	if (n->dynamic) {
		const void *v = lookup(r, c, n->str, n->len);
		enum mu_kind k = kind_of(r, v);
		if (k == MU_MISSING || k == MU_NULL || k == MU_LIST ||
		    k == MU_MAP || k == MU_LAMBDA)
			return 0;
		strbuf_reset(&r->scratch);
		r->d->text(r->d->ud, v, &r->scratch);
		name = r->scratch.buf;
		len = r->scratch.len;
	}
	if (!r->cache)
		return 0;
	if (r->depth >= MU_MAX_DEPTH)
		return fail(r, t, n, "partial recursion too deep");
	if (mu_cache_find(r->cache, name, len, &p, r->err) < 0)
		return -1;
	if (!p) {
		if (r->cache->strict)
			return fail(r, t, n, "no partial '%.*s'", (int)len, name);
		return 0;
	}
	if (n->kind == MU_N_PARENT) {
		self.parent = n;
		self.up = a;
		a = &self;
	}
	base = r->indent_base;
	if (!n->standalone) {
		/* included inline: its lines are not ours to indent */
		if (r->bol)
			add_indent(r);
		r->indent_base = r->indent_len;
	}
	r->bol = 1;
	r->depth++;
	ret = render_indented(r, p, n, p->kids, p->nkids, c, a);
	r->depth--;
	r->indent_base = base;
	/* after a standalone line the next one starts, else we are mid-line */
	r->bol = n->standalone;
	return ret;
}

/* {{$x}}: the outermost override wins, else the default content. */
static int block(struct render *r, const struct mu_template *t,
		 const struct mu_node *n, const struct ctx *c,
		 const struct args *a)
{
	const struct mu_node *use = n;
	const struct args *f;
	size_t i;
	int ret;

	for (f = a; f; f = f->up)
		for (i = 0; i < f->parent->nkids; i++) {
			const struct mu_node *b = &f->parent->kids[i];
			if (b->len == n->len && !memcmp(b->str, n->str, n->len))
				use = b;
		}
	if (r->block_depth >= MU_MAX_DEPTH)
		return fail(r, t, n, "block recursion too deep");
	r->block_depth++;
	ret = render_indented(r, t, n, use->kids, use->nkids, c, a);
	r->block_depth--;
	return ret;
}

static int render_nodes(struct render *r, const struct mu_template *t,
			const struct mu_node *n, size_t nn,
			const struct ctx *c, const struct args *a)
{
	const struct mu_node *end = n + nn;
	int ret = 0;

	for (; n < end && !ret; n++) {
		switch (n->kind) {
		case MU_N_TEXT:
			out_text(r, n->str, n->len);
			break;
		case MU_N_VAR:
		case MU_N_RAW:
			ret = interpolate(r, t, n, c, a);
			break;
		case MU_N_SECTION:
		case MU_N_INVERTED:
			ret = section(r, t, n, c, a);
			break;
		case MU_N_PARTIAL:
		case MU_N_PARENT:
			ret = include(r, t, n, c, a);
			break;
		case MU_N_BLOCK:
			ret = block(r, t, n, c, a);
			break;
		case MU_N_ROOT:
			break;
		}
	}
	return ret;
}

int mu_render(const struct mu_template *t, const struct mu_data *data,
	      const void *root, struct mu_cache *cache, struct strbuf *out,
	      struct mu_error *err)
{
	struct render r;
	struct ctx c;
	int ret;

	memset(&r, 0, sizeof(r));
	r.d = data;
	r.cache = cache;
	r.out = out;
	r.err = err;
	r.bol = 1;
	indent_init(&r);
	strbuf_init(&r.scratch, 0);
	c.v = root;
	c.up = NULL;
	ret = render_nodes(&r, t, t->kids, t->nkids, &c, NULL);
	indent_release(&r);
	strbuf_release(&r.scratch);
	return ret;
}
