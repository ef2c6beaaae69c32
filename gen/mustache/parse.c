/*
 * Template parser: source text to a tree of mu_node.
 *
 * All whitespace rules are settled here, once, so that rendering only has
 * to copy text: standalone lines are cut out of the text nodes, the
 * indentation of standalone partials, parents and blocks is recorded on
 * their nodes, and the intrinsic indentation of blocks (see the spec's
 * ~inheritance tests) is removed from their content.
 */
#include "gen/mustache/mustache_int.h"
#include "common/xalloc.h"

#include <string.h>

/* A container still open while parsing: the root, a section, a block... */
struct frame {
	struct mu_node node;		/* its tag; kids are set on closing */
	struct mu_node *kids;
	size_t nkids, alloc;
	size_t raw_start;		/* where the content starts */
	const char *strip;		/* intrinsic indentation to ignore */
	size_t strip_len;
	int standalone_open;		/* the open tag stood alone on its line */
	int left_clear;			/* only blanks before the open tag */
	const char *lead;		/* those blanks, less outer indentation */
	size_t lead_len;
};

struct parser {
	struct mu_template *t;
	const char *src;
	size_t len;
	size_t pos;			/* where to look for the next tag */
	size_t text;			/* start of text not yet emitted */
	const char *otag, *ctag;
	size_t olen, clen;
	struct frame *fr;
	size_t nfr, afr;
	struct mu_error *err;
	size_t lc_off, lc_bol;		/* position cache for line numbers */
	unsigned lc_line;
};

static int is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\f' || c == '\v';
}

static void position(struct parser *p, size_t off, unsigned *line,
		     unsigned *col)
{
	size_t i;
	unsigned c = 1;

	if (off < p->lc_off) {
		p->lc_off = p->lc_bol = 0;
		p->lc_line = 1;
	}
	for (i = p->lc_off; i < off; i++)
		if (p->src[i] == '\n') {
			p->lc_line++;
			p->lc_bol = i + 1;
		}
	p->lc_off = off;
	/* count characters, not bytes, so UTF-8 text gives editor columns */
	for (i = p->lc_bol; i < off; i++)
		if (((unsigned char)p->src[i] & 0xc0) != 0x80)
			c++;
	*line = p->lc_line;
	*col = c;
}

__attribute__((format(printf, 3, 4)))
static int fail(struct parser *p, size_t off, const char *fmt, ...)
{
	unsigned line, col;
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	position(p, off, &line, &col);
	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	mu_error_set(p->err, p->t->name, line, col, "%s", msg.buf);
	strbuf_release(&msg);
	return -1;
}

/* Sections, blocks and parents nested deeper are surely a mistake. */
#define MAX_NESTING 1000

/* Quote at most this much of a tag in error messages. */
#define QUOTE_MAX 40

static int quote_len(size_t len)
{
	return (int)(len > QUOTE_MAX ? QUOTE_MAX : len);
}

static void free_nodes(struct mu_node *n, size_t nn)
{
	size_t i;

	for (i = 0; i < nn; i++)
		free_nodes(n[i].kids, n[i].nkids);
	free(n);
}

void mu_template_free(struct mu_template *t)
{
	size_t i;

	if (!t)
		return;
	free_nodes(t->kids, t->nkids);
	for (i = 0; i < t->nallocs; i++)
		free(t->allocs[i]);
	free(t->allocs);
	free(t->src);
	free(t->name);
	free(t);
}

static struct frame *top(struct parser *p)
{
	return &p->fr[p->nfr - 1];
}

static void add_node(struct parser *p, const struct mu_node *n)
{
	struct frame *f = top(p);

	/* inside {{<parent}}, only the argument blocks mean anything */
	if (f->node.kind == MU_N_PARENT && n->kind != MU_N_BLOCK) {
		free_nodes(n->kids, n->nkids);
		return;
	}
	ALLOC_GROW(f->kids, f->nkids + 1, f->alloc);
	f->kids[f->nkids++] = *n;
}

/* Is there intrinsic indentation to strip in the current position? */
static int stripping(const struct parser *p)
{
	size_t i;

	for (i = 0; i < p->nfr; i++)
		if (p->fr[i].strip_len)
			return 1;
	return 0;
}

/*
 * Skip the intrinsic indentation of the enclosing blocks at the start of
 * the line at `off`; each block's is relative to the one around it.
 */
static size_t skip_strip(const struct parser *p, size_t off)
{
	size_t i;

	for (i = 0; i < p->nfr; i++) {
		const struct frame *f = &p->fr[i];
		if (!f->strip_len)
			continue;
		if (off + f->strip_len > p->len ||
		    memcmp(p->src + off, f->strip, f->strip_len))
			break;
		off += f->strip_len;
	}
	return off;
}

/* Copy [a, b) without the intrinsic indentation at each line start. */
static const char *strip_text(struct parser *p, size_t a, size_t b,
			      size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = a;
	int bol = !a || p->src[a - 1] == '\n';
	struct mu_template *t = p->t;

	while (i < b) {
		const char *nl;
		size_t end;

		if (bol) {
			size_t j = skip_strip(p, i);
			i = j < b ? j : b;
		}
		nl = memchr(p->src + i, '\n', b - i);
		end = nl ? (size_t)(nl - p->src) + 1 : b;
		strbuf_add(&sb, p->src + i, end - i);
		i = end;
		bol = 1;
	}
	if (sb.len == b - a) {
		/* nothing was stripped: keep pointing into the source */
		strbuf_release(&sb);
		*len = b - a;
		return p->src + a;
	}
	*len = sb.len;
	ALLOC_GROW(t->allocs, t->nallocs + 1, t->allocs_alloc);
	t->allocs[t->nallocs] = strbuf_detach(&sb, NULL);
	return t->allocs[t->nallocs++];
}

static void emit_text(struct parser *p, size_t a, size_t b)
{
	struct mu_node n;

	if (a >= b || top(p)->node.kind == MU_N_PARENT)
		return;
	memset(&n, 0, sizeof(n));
	n.kind = MU_N_TEXT;
	if (stripping(p))
		n.str = strip_text(p, a, b, &n.len);
	else {
		n.str = p->src + a;
		n.len = b - a;
	}
	if (n.len)
		add_node(p, &n);
}

/* If only blanks precede `off` on its line, give the line's start. */
static int left_clear(const struct parser *p, size_t off, size_t *bol)
{
	size_t i = off;

	while (i > p->text && is_blank(p->src[i - 1]))
		i--;
	if (i > 0 && p->src[i - 1] != '\n')
		return 0;
	*bol = i;
	return 1;
}

/* If only blanks and a line end follow `off`, give the next line's start. */
static int right_clear(const struct parser *p, size_t off, size_t *next)
{
	size_t i = off;

	while (i < p->len && is_blank(p->src[i]))
		i++;
	if (i == p->len)
		*next = i;
	else if (p->src[i] == '\n')
		*next = i + 1;
	else if (p->src[i] == '\r' && i + 1 < p->len && p->src[i + 1] == '\n')
		*next = i + 2;
	else
		return 0;
	return 1;
}

/* Indentation [bol, ts) less the intrinsic indentation of outer blocks. */
static void relative_indent(const struct parser *p, size_t bol, size_t ts,
			    const char **ind, size_t *len)
{
	size_t i = skip_strip(p, bol);

	if (i > ts)
		i = ts;
	*ind = p->src + i;
	*len = ts - i;
}

/* The leading blanks of the line at `off`, relative to outer blocks. */
static void next_line_indent(const struct parser *p, size_t off,
			     const char **ind, size_t *len)
{
	size_t i = skip_strip(p, off), j = i;

	while (j < p->len && is_blank(p->src[j]))
		j++;
	*ind = p->src + i;
	*len = j - i;
}

/*
 * Emit the text before a tag that is removed with its whole line when it
 * stands alone there.  Returns 1 if it did, with the line start in *bol.
 */
static int standalone(struct parser *p, size_t ts, size_t te, size_t *bol)
{
	size_t next;

	if (left_clear(p, ts, bol) && right_clear(p, te, &next)) {
		emit_text(p, p->text, *bol);
		p->text = p->pos = next;
		return 1;
	}
	emit_text(p, p->text, ts);
	p->text = p->pos = te;
	return 0;
}

static void trim(const char **s, size_t *len)
{
	while (*len && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

static int check_name(struct parser *p, size_t ts, size_t te,
		      const char *name, size_t len)
{
	size_t i;

	if (!len)
		return fail(p, ts, "empty tag '%.*s'", quote_len(te - ts),
			    p->src + ts);
	for (i = 0; i < len; i++)
		if (is_space(name[i]))
			return fail(p, ts, "bad tag name '%.*s'",
				    quote_len(len), name);
	return 0;
}

static const char *kind_word(enum mu_node_kind k)
{
	switch (k) {
	case MU_N_BLOCK:
		return "block";
	case MU_N_PARENT:
		return "parent";
	default:
		return "section";
	}
}

/* {{=<% %>=}}: two delimiters, no blanks or '=' in them. */
static int set_delims(struct parser *p, size_t ts, size_t te, const char *s,
		      size_t len)
{
	const char *o, *c;
	size_t olen = 0, clen = 0, i;

	trim(&s, &len);
	o = s;
	while (olen < len && !is_space(o[olen]))
		olen++;
	c = o + olen;
	len -= olen;
	trim(&c, &len);
	clen = len;
	for (i = 0; i < olen; i++)
		if (o[i] == '=')
			olen = 0;
	for (i = 0; i < clen; i++)
		if (is_space(c[i]) || c[i] == '=')
			clen = 0;
	if (!olen || !clen)
		return fail(p, ts, "bad set-delimiter tag '%.*s'",
			    quote_len(te - ts), p->src + ts);
	p->otag = o;
	p->olen = olen;
	p->ctag = c;
	p->clen = clen;
	return 0;
}

/* Find `ch` immediately followed by the closing delimiter. */
static const char *find_close(const struct parser *p, size_t from, int ch)
{
	const char *end = p->src + p->len, *s = p->src + from;

	for (;;) {
		const char *q = memmem(s, (size_t)(end - s), p->ctag, p->clen);
		if (!q)
			return NULL;
		if (!ch)
			return q;
		if (q > p->src + from && q[-1] == ch)
			return q - 1;
		s = q + 1;
	}
}

static void push_frame(struct parser *p, const struct mu_node *n, size_t te)
{
	struct frame *f;

	ALLOC_GROW(p->fr, p->nfr + 1, p->afr);
	f = &p->fr[p->nfr++];
	memset(f, 0, sizeof(*f));
	f->node = *n;
	f->raw_start = te;
}

static void open_section(struct parser *p, struct mu_node *n, size_t ts,
			 size_t te)
{
	size_t bol;

	n->otag = p->otag;
	n->olen = p->olen;
	n->ctag = p->ctag;
	n->clen = p->clen;
	standalone(p, ts, te, &bol);
	push_frame(p, n, te);
}

static void open_parent(struct parser *p, struct mu_node *n, size_t ts,
			size_t te)
{
	size_t bol, next;
	int left = left_clear(p, ts, &bol);
	const char *lead = NULL;
	size_t lead_len = 0;

	if (left)
		relative_indent(p, bol, ts, &lead, &lead_len);
	if (left && right_clear(p, te, &next)) {
		emit_text(p, p->text, bol);
		p->text = p->pos = next;
		n->indent = lead;
		n->indent_len = lead_len;
		n->standalone = 1;
		push_frame(p, n, te);
		top(p)->standalone_open = 1;
		return;
	}
	emit_text(p, p->text, ts);
	p->text = p->pos = te;
	push_frame(p, n, te);
	top(p)->left_clear = left;
	top(p)->lead = lead;
	top(p)->lead_len = lead_len;
}

static void open_block(struct parser *p, struct mu_node *n, size_t ts,
		       size_t te)
{
	size_t bol, next, strip_len = 0, lead_len = 0;
	const char *strip = NULL, *lead = NULL;
	int left;

	if (top(p)->node.kind == MU_N_PARENT) {
		/*
		 * An argument block: what precedes it is ignored anyway, so
		 * it only has to end its line to swallow the line end, and
		 * then the next line tells its intrinsic indentation.
		 */
		if (right_clear(p, te, &next)) {
			p->text = p->pos = next;
			next_line_indent(p, next, &strip, &strip_len);
		} else {
			p->text = p->pos = te;
		}
		push_frame(p, n, te);
		top(p)->strip = strip;
		top(p)->strip_len = strip_len;
		return;
	}
	left = left_clear(p, ts, &bol);
	if (left)
		relative_indent(p, bol, ts, &lead, &lead_len);
	if (standalone(p, ts, te, &bol)) {
		/* a parameter block ending its line: indent as its content */
		next_line_indent(p, p->pos, &strip, &strip_len);
		n->indent = strip;
		n->indent_len = strip_len;
		push_frame(p, n, te);
		top(p)->standalone_open = 1;
		top(p)->strip = strip;
		top(p)->strip_len = strip_len;
		return;
	}
	/* maybe a standalone {{$b}}...{{/b}} pair: see close_block() */
	push_frame(p, n, te);
	top(p)->left_clear = left;
	top(p)->lead = lead;
	top(p)->lead_len = lead_len;
}

/* Drop the blanks ending the last text node: they became indentation. */
static void trim_lead(struct parser *p)
{
	struct frame *f = top(p);
	struct mu_node *last;

	if (!f->nkids || f->kids[f->nkids - 1].kind != MU_N_TEXT)
		return;
	last = &f->kids[f->nkids - 1];
	while (last->len && is_blank(last->str[last->len - 1]))
		last->len--;
	if (!last->len)
		f->nkids--;
}

/* The kids of a closed container, without the room left to grow. */
static struct mu_node *shrink(struct frame *f)
{
	if (!f->nkids) {
		free(f->kids);
		return NULL;
	}
	return xrealloc(f->kids, f->nkids * sizeof(*f->kids));
}

/* Pop the top frame into a node of the frame below. */
static void pop_frame(struct parser *p, size_t ts, int lead_is_indent)
{
	struct frame f = *top(p);
	struct mu_node n = f.node;

	n.kids = shrink(&f);
	n.nkids = f.nkids;
	if (n.kind == MU_N_SECTION || n.kind == MU_N_INVERTED) {
		n.raw = p->src + f.raw_start;
		n.raw_len = ts - f.raw_start;
	}
	p->nfr--;
	if (lead_is_indent) {
		trim_lead(p);
		n.indent = f.lead;
		n.indent_len = f.lead_len;
		n.standalone = 1;
	}
	add_node(p, &n);
}

static void close_block(struct parser *p, size_t ts, size_t te)
{
	struct frame *f = top(p);
	size_t bol, next;
	int is_arg = p->fr[p->nfr - 2].node.kind == MU_N_PARENT;

	if (is_arg) {
		/* its end is like the end of a file: blanks before it go */
		if (left_clear(p, ts, &bol))
			emit_text(p, p->text, bol);
		else
			emit_text(p, p->text, ts);
		p->text = p->pos = te;
		pop_frame(p, ts, 0);
		return;
	}
	standalone(p, ts, te, &bol);
	/*
	 * "  {{$b}}...{{/b}}\n" stands alone as a pair: the blanks before
	 * it indent whatever it expands to.  The line end stays.
	 */
	pop_frame(p, ts, !f->standalone_open && f->left_clear &&
		  right_clear(p, te, &next));
}

static void close_parent(struct parser *p, size_t ts, size_t te)
{
	struct frame *f = top(p);
	size_t bol, next;
	int right = right_clear(p, te, &next);

	if (right && (f->standalone_open || f->left_clear ||
		      left_clear(p, ts, &bol))) {
		/* the pair stands alone: its line end goes too */
		p->text = p->pos = next;
		pop_frame(p, ts, !f->standalone_open && f->left_clear);
		return;
	}
	p->text = p->pos = te;
	pop_frame(p, ts, 0);
}

static int close_tag(struct parser *p, size_t ts, size_t te, const char *name,
		     size_t len, int dynamic)
{
	struct frame *f = top(p);
	const struct mu_node *open = &f->node;
	size_t bol;

	if (p->nfr == 1)
		return fail(p, ts, "unexpected closing tag '%s%.*s'",
			    dynamic ? "*" : "", quote_len(len), name);
	if (open->dynamic != dynamic || open->len != len ||
	    memcmp(open->str, name, len))
		return fail(p, ts,
			    "unexpected closing tag '%s%.*s' (open %s is '%s%.*s')",
			    dynamic ? "*" : "", quote_len(len), name,
			    kind_word(open->kind), open->dynamic ? "*" : "",
			    quote_len(open->len), open->str);
	switch (open->kind) {
	case MU_N_BLOCK:
		close_block(p, ts, te);
		break;
	case MU_N_PARENT:
		close_parent(p, ts, te);
		break;
	default:
		standalone(p, ts, te, &bol);
		pop_frame(p, ts, 0);
		break;
	}
	return 0;
}

static void add_partial(struct parser *p, struct mu_node *n, size_t ts,
			size_t te)
{
	size_t bol;

	if (left_clear(p, ts, &bol))
		relative_indent(p, bol, ts, &n->indent, &n->indent_len);
	n->standalone = standalone(p, ts, te, &bol);
	if (!n->standalone) {
		n->indent = NULL;
		n->indent_len = 0;
	}
	add_node(p, n);
}

static int parse_tag(struct parser *p, size_t ts)
{
	size_t cs = ts + p->olen, te;
	int sigil = cs < p->len ? p->src[cs] : 0;
	const char *close, *name;
	size_t len;
	struct mu_node n;

	switch (sigil) {
	case '{':
		close = find_close(p, cs + 1, '}');
		break;
	case '=':
		close = find_close(p, cs + 1, '=');
		break;
	default:
		close = find_close(p, cs, 0);
		break;
	}
	if (!close)
		return fail(p, ts, "unclosed tag (no '%s%.*s' after '%.*s')",
			    sigil == '{' ? "}" : sigil == '=' ? "=" : "",
			    (int)p->clen, p->ctag, (int)p->olen, p->otag);
	te = (size_t)(close - p->src) + p->clen + (sigil == '{' || sigil == '=');
	if (sigil && strchr("{&#^/><$!=", sigil))
		cs++;
	name = p->src + cs;
	len = (size_t)(close - name);

	if (sigil == '!') {
		size_t bol;
		standalone(p, ts, te, &bol);
		return 0;
	}
	if (sigil == '=') {
		size_t bol;
		if (set_delims(p, ts, te, name, len) < 0)
			return -1;
		standalone(p, ts, te, &bol);
		return 0;
	}

	trim(&name, &len);
	memset(&n, 0, sizeof(n));
	position(p, ts, &n.line, &n.col);
	if ((sigil == '>' || sigil == '<' ||
	     (sigil == '/' && top(p)->node.dynamic)) && len && name[0] == '*') {
		/* a dynamic name: {{>*x}} includes the partial named by x */
		n.dynamic = 1;
		name++;
		len--;
		trim(&name, &len);
	}
	if (check_name(p, ts, te, name, len) < 0)
		return -1;
	n.str = name;
	n.len = len;
	if (sigil && strchr("#^$<", sigil) && p->nfr > MAX_NESTING)
		return fail(p, ts, "sections nested too deep at '%.*s'",
			    quote_len(len), name);

	switch (sigil) {
	case '#':
	case '^':
		n.kind = sigil == '#' ? MU_N_SECTION : MU_N_INVERTED;
		open_section(p, &n, ts, te);
		return 0;
	case '$':
		n.kind = MU_N_BLOCK;
		open_block(p, &n, ts, te);
		return 0;
	case '<':
		n.kind = MU_N_PARENT;
		open_parent(p, &n, ts, te);
		return 0;
	case '/':
		return close_tag(p, ts, te, name, len, n.dynamic);
	case '>':
		n.kind = MU_N_PARTIAL;
		add_partial(p, &n, ts, te);
		return 0;
	case '{':
	case '&':
		n.kind = MU_N_RAW;
		break;
	default:
		n.kind = MU_N_VAR;
		break;
	}
	emit_text(p, p->text, ts);
	p->text = p->pos = te;
	add_node(p, &n);
	return 0;
}

static int parse_all(struct parser *p)
{
	for (;;) {
		const char *o = memmem(p->src + p->pos, p->len - p->pos,
				       p->otag, p->olen);
		if (!o)
			break;
		if (parse_tag(p, (size_t)(o - p->src)) < 0)
			return -1;
	}
	emit_text(p, p->text, p->len);
	if (p->nfr > 1) {
		const struct mu_node *open = &top(p)->node;
		/* report the innermost open tag: the likely culprit */
		mu_error_set(p->err, p->t->name, open->line, open->col,
			     "unclosed %s '%s%.*s'", kind_word(open->kind),
			     open->dynamic ? "*" : "", quote_len(open->len),
			     open->str);
		return -1;
	}
	return 0;
}

struct mu_template *mu_parse_delims(const char *name, const char *text,
				    size_t len, const char *otag, size_t olen,
				    const char *ctag, size_t clen,
				    struct mu_error *err)
{
	struct parser p;
	struct mu_template *t = xcalloc(1, sizeof(*t));
	struct mu_node root;
	int ret;

	t->name = xstrdup(name ? name : "");
	t->src = xstrndup(text ? text : "", text ? len : 0);
	len = text ? len : 0;
	t->len = len;

	memset(&p, 0, sizeof(p));
	p.t = t;
	p.src = t->src;
	p.len = len;
	p.otag = otag;
	p.olen = olen;
	p.ctag = ctag;
	p.clen = clen;
	p.err = err;
	p.lc_line = 1;
	memset(&root, 0, sizeof(root));
	root.kind = MU_N_ROOT;
	push_frame(&p, &root, 0);

	ret = parse_all(&p);
	while (p.nfr > 1) {
		struct frame *f = top(&p);
		free_nodes(f->kids, f->nkids);
		p.nfr--;
	}
	t->kids = shrink(&p.fr[0]);
	t->nkids = p.fr[0].nkids;
	free(p.fr);
	if (ret < 0) {
		mu_template_free(t);
		return NULL;
	}
	return t;
}

struct mu_template *mu_parse(const char *name, const char *text, size_t len,
			     struct mu_error *err)
{
	return mu_parse_delims(name, text, len, "{{", 2, "}}", 2, err);
}
