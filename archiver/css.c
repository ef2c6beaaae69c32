#include "archiver/css.h"
#include "archiver/charset.h"
#include "common/strbuf.h"
#include "common/utf8.h"

#include <string.h>

/* One URL found, with how it was written (quote '"', '\'' or 0: bare url()). */
struct css_url {
	const char *url;
	size_t start, end;
	char quote;
};

typedef void scan_fn(void *ud, const struct css_url *u);

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_newline(int c)
{
	return c == '\n' || c == '\r' || c == '\f';
}

static int is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hex_val(int c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int is_name(int c)
{
	return is_name_start(c) || is_digit(c) || c == '-';
}

/* A valid escape starts at s[i]: a backslash not followed by a newline. */
static int valid_escape(const unsigned char *s, size_t n, size_t i)
{
	return i < n && s[i] == '\\' && (i + 1 >= n || !is_newline(s[i + 1]));
}

/* Decode the escape at s[i] (the backslash) into sb; returns the index after it. */
static size_t escape(const unsigned char *s, size_t n, size_t i, struct strbuf *sb)
{
	unsigned long cp = 0;
	size_t k = 0;
	i++;
	if (i >= n) {
		utf8_encode(sb, 0xfffd);
		return i;
	}
	if (!is_hex(s[i])) {
		strbuf_addch(sb, s[i]);
		return i + 1;
	}
	while (k < 6 && i < n && is_hex(s[i])) {
		cp = cp * 16 + (unsigned long)hex_val(s[i++]);
		k++;
	}
	if (i < n && is_space(s[i])) {
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			i++;
		i++;
	}
	if (!cp || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		cp = 0xfffd;
	utf8_encode(sb, cp);
	return i;
}

/* An identifier from s[i]; lower-cased ASCII into name.  Returns the index after it. */
static size_t ident(const unsigned char *s, size_t n, size_t i, struct strbuf *name)
{
	strbuf_reset(name);
	while (i < n) {
		if (is_name(s[i])) {
			int c = s[i++];
			strbuf_addch(name, c >= 'A' && c <= 'Z' ? c + 32 : c);
		} else if (valid_escape(s, n, i)) {
			i = escape(s, n, i, name);
		} else {
			break;
		}
	}
	return i;
}

static int ident_start(const unsigned char *s, size_t n, size_t i)
{
	if (s[i] == '-') {
		if (i + 1 < n && (is_name_start(s[i + 1]) || s[i + 1] == '-'))
			return 1;
		return valid_escape(s, n, i + 1);
	}
	return is_name_start(s[i]) || valid_escape(s, n, i);
}

static void trim(struct strbuf *sb)
{
	size_t a = 0, b = sb->len;
	while (a < b && is_space((unsigned char)sb->buf[a]))
		a++;
	while (b > a && is_space((unsigned char)sb->buf[b - 1]))
		b--;
	if (a)
		memmove(sb->buf, sb->buf + a, b - a);
	strbuf_setlen(sb, b - a);
}

static void report(scan_fn *fn, void *ud, struct strbuf *val, size_t start, size_t end, char q)
{
	struct css_url u;
	trim(val);
	u.url = val->buf;
	u.start = start;
	u.end = end;
	u.quote = q;
	fn(ud, &u);
}

/*
 * A string token from the quote at s[i]; decoded into val.  Returns the
 * index after it, and through *end the index of its closing quote (or of
 * the end of input).  *ok is 0 for a "bad string" (cut by a newline).
 */
static size_t string(const unsigned char *s, size_t n, size_t i, struct strbuf *val,
		     size_t *end, int *ok)
{
	unsigned char q = s[i++];
	strbuf_reset(val);
	*ok = 1;
	while (i < n) {
		if (s[i] == q) {
			*end = i;
			return i + 1;
		}
		if (is_newline(s[i])) {
			*ok = 0;
			*end = i;
			return i;
		}
		if (s[i] == '\\') {
			if (i + 1 >= n) {
				i++;
				break;
			}
			if (is_newline(s[i + 1])) {
				i += s[i + 1] == '\r' && i + 2 < n && s[i + 2] == '\n' ? 3 : 2;
				continue;
			}
			i = escape(s, n, i, val);
			continue;
		}
		strbuf_addch(val, s[i++]);
	}
	*end = n;
	return n;
}

/*
 * The rest of url( after the parenthesis at s[i - 1] when what follows is
 * not a string: a url token.  Reports it if well-formed; returns the index
 * after the closing parenthesis.
 */
static size_t bare_url(const unsigned char *s, size_t n, size_t i, struct strbuf *val,
		       scan_fn *fn, void *ud)
{
	size_t start = i, end;
	strbuf_reset(val);
	while (i < n) {
		unsigned char c = s[i];
		if (c == ')') {
			report(fn, ud, val, start, i, 0);
			return i + 1;
		}
		if (is_space(c)) {
			end = i;
			while (i < n && is_space(s[i]))
				i++;
			if (i >= n || s[i] == ')') {
				report(fn, ud, val, start, end, 0);
				return i < n ? i + 1 : n;
			}
			break;
		}
		if (c == '"' || c == '\'' || c == '(' || c < 0x09 || c == 0x0b ||
		    (c > 0x0d && c < 0x20) || c == 0x7f)
			break;
		if (c == '\\') {
			if (!valid_escape(s, n, i))
				break;
			i = escape(s, n, i, val);
			continue;
		}
		strbuf_addch(val, c);
		i++;
	}
	if (i >= n) {
		report(fn, ud, val, start, n, 0);
		return n;
	}
	/* a bad url: skip to the closing parenthesis, escapes included */
	while (i < n && s[i] != ')')
		i += valid_escape(s, n, i) ? 2 : 1;
	return i < n ? i + 1 : n;
}

static void css_scan(const char *css, size_t len, scan_fn *fn, void *ud)
{
	const unsigned char *s = (const unsigned char *)css;
	struct strbuf name = STRBUF_INIT, val = STRBUF_INIT;
	size_t i = 0, n = len, end;
	long depth = 0, set_depth = -1;
	int import = 0, ok;

	while (i < n) {
		unsigned char c = s[i];
		if (c == '/' && i + 1 < n && s[i + 1] == '*') {
			const unsigned char *e = memmem(s + i + 2, n - i - 2, "*/", 2);
			i = e ? (size_t)(e - s) + 2 : n;
			continue;
		}
		if (is_space(c)) {
			i++;
			continue;
		}
		if (c == '"' || c == '\'') {
			size_t start = i + 1;
			i = string(s, n, i, &val, &end, &ok);
			if (ok && (import || depth == set_depth))
				report(fn, ud, &val, start, end, (char)c);
			import = 0;
			continue;
		}
		import = 0;
		if (c == '@' && i + 1 < n && ident_start(s, n, i + 1)) {
			i = ident(s, n, i + 1, &name);
			import = !strcmp(name.buf, "import");
			continue;
		}
		if (is_digit(c) || (c == '.' && i + 1 < n && is_digit(s[i + 1]))) {
			/* a number or dimension: "2url(" is not a url */
			while (i < n && (is_digit(s[i]) || s[i] == '.'))
				i++;
			if (i < n && ident_start(s, n, i))
				i = ident(s, n, i, &name);
			continue;
		}
		if (ident_start(s, n, i)) {
			i = ident(s, n, i, &name);
			if (i >= n || s[i] != '(')
				continue;
			i++;
			if (!strcmp(name.buf, "url")) {
				size_t j = i;
				while (j < n && is_space(s[j]))
					j++;
				if (j < n && (s[j] == '"' || s[j] == '\'')) {
					/* url("...") is a function whose string is the URL */
					size_t start = j + 1;
					char q = (char)s[j];
					depth++;
					i = string(s, n, j, &val, &end, &ok);
					if (ok)
						report(fn, ud, &val, start, end, q);
				} else {
					i = bare_url(s, n, j, &val, fn, ud);
				}
				continue;
			}
			depth++;
			if (set_depth < 0 && (!strcmp(name.buf, "image-set") ||
					      !strcmp(name.buf, "-webkit-image-set")))
				set_depth = depth;
			continue;
		}
		if (c == '(') {
			depth++;
		} else if (c == ')') {
			if (depth == set_depth)
				set_depth = -1;
			if (depth > 0)
				depth--;
		} else if (c == '\\') {
			i++; /* a stray backslash before a newline */
		}
		i++;
	}
	strbuf_release(&name);
	strbuf_release(&val);
}

struct find_ctx {
	css_url_fn *fn;
	void *ud;
};

static void find_cb(void *ud, const struct css_url *u)
{
	struct find_ctx *ctx = ud;
	ctx->fn(ctx->ud, u->url, u->start, u->end);
}

void css_find_urls(const char *css, size_t len, css_url_fn *fn, void *ud)
{
	struct find_ctx ctx = { fn, ud };
	css_scan(css, len, find_cb, &ctx);
}

/* Write a replacement URL so that it stays one string or one url token. */
static void add_escaped(struct strbuf *out, const char *s, size_t n, char quote)
{
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\' || (quote && c == (unsigned char)quote) ||
		    (!quote && (c == '"' || c == '\'' || c == '(' || c == ')'))) {
			strbuf_addch(out, '\\');
			strbuf_addch(out, c);
		} else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' ||
			   (!quote && c == ' ')) {
			/* '<' too: a replacement must not close a <style> element */
			strbuf_addf(out, "\\%x ", c ? c : 0xfffd);
		} else {
			strbuf_addch(out, c);
		}
	}
}

struct rewrite_ctx {
	const char *css;
	html_rewrite_fn *fn;
	void *ud;
	struct strbuf *out, rep;
	size_t copied;
	int nr;
};

static void rewrite_cb(void *ud, const struct css_url *u)
{
	struct rewrite_ctx *ctx = ud;
	if (html_url_ignored(u->url))
		return;
	strbuf_reset(&ctx->rep);
	if (!(ctx->fn(ctx->ud, u->url, LINK_REQUISITE, &ctx->rep) & HTML_REWRITE_REPLACED))
		return;
	strbuf_add(ctx->out, ctx->css + ctx->copied, u->start - ctx->copied);
	add_escaped(ctx->out, ctx->rep.buf, ctx->rep.len, u->quote);
	ctx->copied = u->end;
	ctx->nr++;
}

int css_rewrite(const char *css, size_t len, html_rewrite_fn *fn, void *ud, struct strbuf *out)
{
	struct rewrite_ctx ctx;
	ctx.css = css;
	ctx.fn = fn;
	ctx.ud = ud;
	ctx.out = out;
	strbuf_init(&ctx.rep, 0);
	ctx.copied = 0;
	ctx.nr = 0;
	css_scan(css, len, rewrite_cb, &ctx);
	strbuf_add(out, css + ctx.copied, len - ctx.copied);
	strbuf_release(&ctx.rep);
	return ctx.nr;
}

/* The label of a leading @charset "label"; rule (exactly so, as CSS wants it). */
static int charset_rule(const char *css, size_t len, size_t *ls, size_t *le)
{
	static const char head[] = "@charset \"";
	const char *q;
	if (len < sizeof(head) - 1 || memcmp(css, head, sizeof(head) - 1))
		return -1;
	q = memchr(css + sizeof(head) - 1, '"', len - (sizeof(head) - 1));
	if (!q || (size_t)(q - css) + 1 >= len || q[1] != ';')
		return -1;
	*ls = sizeof(head) - 1;
	*le = (size_t)(q - css);
	return 0;
}

const char *css_charset_detect(const char *css, size_t len, const char *content_type,
			       const char *referrer)
{
	const unsigned char *s = (const unsigned char *)css;
	const char *cs;
	size_t ls, le;
	if ((len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) ||
	    (len >= 2 && ((s[0] == 0xfe && s[1] == 0xff) || (s[0] == 0xff && s[1] == 0xfe))))
		return charset_detect(css, len, NULL);
	if ((cs = charset_from_content_type(content_type)))
		return cs;
	if (!charset_rule(css, len, &ls, &le) && (cs = charset_canonical(css + ls, le - ls))) {
		/* an ASCII @charset cannot be right about UTF-16 */
		return strncmp(cs, "utf-16", 6) ? cs : "utf-8";
	}
	if (referrer && (cs = charset_canonical(referrer, strlen(referrer))))
		return cs;
	return charset_detect(css, len, NULL);
}

int css_set_utf8(struct strbuf *css)
{
	size_t ls, le;
	struct strbuf out = STRBUF_INIT;
	if (charset_rule(css->buf, css->len, &ls, &le) ||
	    (le - ls == 5 && !strncasecmp(css->buf + ls, "utf-8", 5)))
		return 0;
	out.max = css->max;
	strbuf_add(&out, css->buf, ls);
	strbuf_addstr(&out, "utf-8");
	strbuf_add(&out, css->buf + le, css->len - le);
	strbuf_release(css);
	*css = out;
	return 1;
}
