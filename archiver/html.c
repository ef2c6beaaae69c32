#include "archiver/html.h"
#include "archiver/charset.h"
#include "archiver/css.h"
#include "common/date.h"
#include "common/strbuf.h"
#include "common/utf8.h"
#include "common/xalloc.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))
#define NONE ((size_t)-1)

/* ---- characters ---- */

/* ASCII whitespace as HTML means it (CR included: the tokenizer sees LF). */
static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

/*
 * strcmp() == 0 with the first bytes compared in line: tag and attribute
 * names are tested against dozens of constants for every tag of every page.
 */
static inline int streq(const char *a, const char *b)
{
	return a[0] == b[0] && (!a[0] || !strcmp(a + 1, b + 1));
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Called for every tag and attribute: the first byte rules most names out without a call. */
static int one_of(const char *s, const char *const *list, size_t nr)
{
	size_t i;
	for (i = 0; i < nr; i++)
		if (list[i][0] == s[0] && (!s[0] || streq(s + 1, list[i] + 1)))
			return 1;
	return 0;
}

#define IS_ONE_OF(s, list) one_of((s), (list), ARRAY_SIZE(list))

static void trim(const char **s, size_t *n)
{
	while (*n && is_space((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* ---- character references ---- */

/*
 * HTML5 names for ASCII characters, which libxml2's HTML 4 table lacks:
 * "javascript&colon;" and "java&Tab;script:" must decode as browsers do,
 * or a script URL would slip past the check.  legacy: valid without ';'.
 */
static const struct {
	const char *name;
	unsigned char c, legacy;
} ascii_refs[] = {
	{ "Tab", '\t', 0 }, { "NewLine", '\n', 0 }, { "excl", '!', 0 }, { "quot", '"', 1 },
	{ "QUOT", '"', 1 }, { "num", '#', 0 }, { "dollar", '$', 0 }, { "percnt", '%', 0 },
	{ "amp", '&', 1 }, { "AMP", '&', 1 }, { "apos", '\'', 0 }, { "lpar", '(', 0 },
	{ "rpar", ')', 0 }, { "ast", '*', 0 }, { "midast", '*', 0 }, { "plus", '+', 0 },
	{ "comma", ',', 0 }, { "period", '.', 0 }, { "sol", '/', 0 }, { "colon", ':', 0 },
	{ "semi", ';', 0 }, { "lt", '<', 1 }, { "LT", '<', 1 }, { "equals", '=', 0 },
	{ "gt", '>', 1 }, { "GT", '>', 1 }, { "quest", '?', 0 }, { "commat", '@', 0 },
	{ "lsqb", '[', 0 }, { "lbrack", '[', 0 }, { "bsol", '\\', 0 }, { "rsqb", ']', 0 },
	{ "rbrack", ']', 0 }, { "Hat", '^', 0 }, { "lowbar", '_', 0 }, { "UnderBar", '_', 0 },
	{ "grave", '`', 0 }, { "DiacriticalGrave", '`', 0 }, { "lcub", '{', 0 },
	{ "lbrace", '{', 0 }, { "verbar", '|', 0 }, { "vert", '|', 0 },
	{ "VerticalLine", '|', 0 }, { "rcub", '}', 0 }, { "rbrace", '}', 0 },
};

/* A named reference's code point (0: unknown); *legacy: valid without ';'. */
static unsigned long named_ref(const char *name, int *legacy)
{
	const htmlEntityDesc *e;
	size_t i;
	for (i = 0; i < ARRAY_SIZE(ascii_refs); i++)
		if (streq(name, ascii_refs[i].name)) {
			*legacy = ascii_refs[i].legacy;
			return ascii_refs[i].c;
		}
	e = htmlEntityLookup((const xmlChar *)name);
	if (!e)
		return 0;
	/* the names valid without ';' are exactly HTML 4's Latin-1 ones */
	*legacy = e->value <= 0xff;
	return e->value;
}

/*
 * The character reference at s[i] ('&'), appended to out.  Returns the
 * index after it, or i if there is none (nothing appended).  Named
 * references come from libxml2's HTML 4 table, which holds every legacy
 * name that may appear without ';'.  In attributes, a reference without
 * ';' followed by '=' or an alphanumeric stays literal ("?a=1&copy=2"), as
 * the HTML Standard says.
 */
static size_t char_ref(const char *s, size_t n, size_t i, int in_attr, struct strbuf *out)
{
	size_t j = i + 1, start;
	if (j < n && s[j] == '#') {
		unsigned long cp = 0;
		int hex = 0, digits = 0;
		j++;
		if (j < n && (s[j] == 'x' || s[j] == 'X')) {
			hex = 1;
			j++;
		}
		for (; j < n; j++) {
			int c = (unsigned char)s[j], v;
			if (is_digit(c))
				v = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				v = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F')
				v = c - 'A' + 10;
			else
				break;
			if (cp <= 0x10ffff)
				cp = cp * (hex ? 16 : 10) + (unsigned long)v;
			digits++;
		}
		if (!digits)
			return i;
		if (j < n && s[j] == ';')
			j++;
		if (!cp || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			cp = 0xfffd;
		else if (cp >= 0x80 && cp < 0xa0)
			cp = charset_cp1252((unsigned char)cp);
		utf8_encode(out, cp);
		return j;
	}
	start = j;
	while (j < n && j - start < 32 && is_alnum((unsigned char)s[j]))
		j++;
	if (j == start)
		return i;
	{
		char name[40];
		size_t len = j - start, k;
		unsigned long cp;
		int legacy;
		memcpy(name, s + start, len);
		name[len] = '\0';
		if (j < n && s[j] == ';' && (cp = named_ref(name, &legacy))) {
			utf8_encode(out, cp);
			return j + 1;
		}
		if (in_attr) {
			if (j < n && s[j] == '=')
				return i;
			cp = named_ref(name, &legacy);
			if (!cp || !legacy)
				return i;
			utf8_encode(out, cp);
			return j;
		}
		/* in text, the longest legacy name that is a prefix: "&copy2025" */
		for (k = len < 6 ? len : 6; k >= 2; k--) {
			name[k] = '\0';
			cp = named_ref(name, &legacy);
			if (cp && legacy) {
				utf8_encode(out, cp);
				return start + k;
			}
		}
		return i;
	}
}

static void decode_refs(const char *s, size_t n, int in_attr, struct strbuf *out)
{
	size_t i = 0, run = 0;
	for (;;) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t j;
		if (!amp)
			break;
		i = (size_t)(amp - s);
		strbuf_add(out, s + run, i - run);
		j = char_ref(s, n, i, in_attr, out);
		if (j == i) {
			strbuf_addch(out, '&');
			j = i + 1;
		}
		i = run = j;
	}
	strbuf_add(out, s + run, n - run);
}

/* ---- URLs ---- */

static const char *const ignored_schemes[] = {
	"javascript", "vbscript", "livescript", "mocha", "data", "mailto", "tel", "sms",
	"callto", "about", "blob", "file", "chrome", "res", "wtai",
};

static const char *const script_schemes[] = { "javascript", "vbscript", "livescript", "mocha" };

/*
 * The scheme of a URL, lower-cased into buf, read as a URL parser would:
 * leading controls and spaces skipped, tabs and newlines ignored.  Returns
 * the index just after the ':' or 0 if there is no scheme.
 */
static size_t url_scheme(const char *u, size_t n, char *buf, size_t cap)
{
	size_t i = 0, k = 0;
	while (i < n && (unsigned char)u[i] <= 0x20)
		i++;
	for (; i < n; i++) {
		int c = (unsigned char)u[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == ':')
			break;
		if (!(is_alpha(c) || (k && (is_digit(c) || c == '+' || c == '-' || c == '.'))))
			return 0;
		if (k + 1 >= cap)
			return 0;
		buf[k++] = (char)lower(c);
	}
	if (i >= n || !k)
		return 0;
	buf[k] = '\0';
	return i + 1;
}

int html_url_ignored(const char *url)
{
	char scheme[16];
	size_t n = strlen(url);
	while (n && (unsigned char)*url <= 0x20) {
		url++;
		n--;
	}
	if (!n || *url == '#')
		return 1;
	return url_scheme(url, n, scheme, sizeof(scheme)) && IS_ONE_OF(scheme, ignored_schemes);
}

/*
 * Would following or loading this URL (attribute attr of tag) run code or
 * show a document we did not check: a script scheme anywhere; a data: URL
 * in a frame, embed or object (even an SVG image runs its scripts there);
 * a data: URL other than an image where it is navigated to.  data: in
 * img, video, background... only ever shows media.
 */
static int url_dangerous(const char *u, size_t n, const char *tag, const char *attr)
{
	static const char *const frames[] = { "iframe", "frame", "embed", "object" };
	static const char *const navigation[] = {
		"href", "xlink:href", "action", "formaction", "content",
		"values", "to", "from", "by",
	};
	char scheme[16];
	size_t i = url_scheme(u, n, scheme, sizeof(scheme));
	if (!i)
		return 0;
	if (IS_ONE_OF(scheme, script_schemes))
		return 1;
	if (!streq(scheme, "data"))
		return 0;
	if (IS_ONE_OF(tag, frames))
		return 1;
	if (!IS_ONE_OF(attr, navigation))
		return 0;
	while (i < n && is_space((unsigned char)u[i]))
		i++;
	return !(n - i >= 6 && !strncasecmp(u + i, "image/", 6));
}

/* ---- which attributes hold URLs ---- */

enum url_attr { UA_NONE, UA_URL, UA_SRCSET, UA_REFRESH, UA_STYLE };

/* The attributes of an element that decide how its other attributes are read. */
struct elem_info {
	char rel[128], name[16], http_equiv[16];
	int has_rel;
};

/* Asked for every tag: the strings are read only up to their terminators. */
static void elem_info_clear(struct elem_info *e)
{
	e->rel[0] = e->name[0] = e->http_equiv[0] = '\0';
	e->has_rel = 0;
}

/* A <link>'s kind from its rel: resources are requisites, related documents pages. */
static int link_rel_kind(const struct elem_info *e, enum link_kind *kind)
{
	static const char *const resources[] = {
		"stylesheet", "icon", "apple-touch-icon", "apple-touch-icon-precomposed",
		"mask-icon", "fluid-icon", "preload", "modulepreload", "prefetch", "manifest",
		"image_src",
	};
	static const char *const origins[] = { "dns-prefetch", "preconnect" };
	const char *p = e->rel;
	int page = 0;
	if (!e->has_rel) {
		*kind = LINK_REQUISITE;
		return UA_URL;
	}
	while (*p) {
		char tok[40];
		size_t k = 0;
		while (is_space((unsigned char)*p))
			p++;
		while (*p && !is_space((unsigned char)*p)) {
			if (k + 1 < sizeof(tok))
				tok[k++] = *p;
			p++;
		}
		tok[k] = '\0';
		if (!k)
			break;
		if (IS_ONE_OF(tok, resources)) {
			*kind = LINK_REQUISITE;
			return UA_URL;
		}
		if (!IS_ONE_OF(tok, origins))
			page = 1;
	}
	if (!page && e->rel[0])
		return UA_NONE;
	*kind = page ? LINK_PAGE : LINK_REQUISITE;
	return UA_URL;
}

/* tag and attr lower-case.  Shared by discovery and rewriting, so both agree. */
static int classify(const char *tag, const char *attr, const struct elem_info *e,
		    enum link_kind *kind)
{
	static const char *const req_src[] = {
		"img", "input", "script", "embed", "source", "track", "video", "audio",
	};
	static const char *const param_names[] = { "movie", "src", "filename", "url" };
	*kind = LINK_REQUISITE;
	if (streq(attr, "style"))
		return UA_STYLE;
	if (streq(attr, "background"))
		return UA_URL;
	if (streq(attr, "href") || streq(attr, "xlink:href")) {
		if (streq(tag, "a") || streq(tag, "area")) {
			*kind = LINK_PAGE;
			return UA_URL;
		}
		if (streq(tag, "link") && streq(attr, "href"))
			return link_rel_kind(e, kind);
		if (streq(tag, "image") || streq(tag, "use") || streq(tag, "feimage"))
			return UA_URL;
		return UA_NONE;
	}
	if (streq(attr, "src")) {
		if (streq(tag, "iframe") || streq(tag, "frame")) {
			*kind = LINK_PAGE;
			return UA_URL;
		}
		return IS_ONE_OF(tag, req_src) ? UA_URL : UA_NONE;
	}
	if (streq(attr, "srcset"))
		return streq(tag, "img") || streq(tag, "source") ? UA_SRCSET : UA_NONE;
	if (streq(attr, "poster"))
		return streq(tag, "video") ? UA_URL : UA_NONE;
	if (streq(attr, "data"))
		return streq(tag, "object") ? UA_URL : UA_NONE;
	if (streq(attr, "value"))
		return streq(tag, "param") && IS_ONE_OF(e->name, param_names) ? UA_URL : UA_NONE;
	if (streq(attr, "content") && streq(tag, "meta") && streq(e->http_equiv, "refresh")) {
		*kind = LINK_PAGE;
		return UA_REFRESH;
	}
	return UA_NONE;
}

/* Attributes whose value is a URL a browser may follow or load. */
static int url_like_attr(const char *attr)
{
	static const char *const names[] = {
		"href", "src", "action", "formaction", "data", "poster", "background", "codebase",
		"cite", "longdesc", "lowsrc", "dynsrc", "usemap", "profile", "manifest", "classid",
		"archive", "ping", "xml:base", "icon",
	};
	size_t n = strlen(attr);
	if (IS_ONE_OF(attr, names))
		return 1;
	/* xlink:href and any other prefixed href */
	return n > 5 && streq(attr + n - 5, ":href");
}

/*
 * The URL of a meta refresh content value ("5; url='x'"), as the HTML
 * Standard's shared declarative refresh steps read it: [*us, *ue) in s.
 * Returns 0 if there is a URL, -1 if not.
 */
static int refresh_url(const char *s, size_t n, size_t *us, size_t *ue)
{
	size_t i = 0, j;
	while (i < n && is_space((unsigned char)s[i]))
		i++;
	j = i;
	while (i < n && is_digit((unsigned char)s[i]))
		i++;
	if (i == j && (i >= n || s[i] != '.'))
		return -1;
	while (i < n && (is_digit((unsigned char)s[i]) || s[i] == '.'))
		i++;
	if (i >= n || (s[i] != ';' && s[i] != ',' && !is_space((unsigned char)s[i])))
		return -1;
	while (i < n && is_space((unsigned char)s[i]))
		i++;
	if (i < n && (s[i] == ';' || s[i] == ','))
		i++;
	while (i < n && is_space((unsigned char)s[i]))
		i++;
	if (i >= n)
		return -1;
	if (n - i >= 3 && !strncasecmp(s + i, "url", 3)) {
		j = i + 3;
		while (j < n && is_space((unsigned char)s[j]))
			j++;
		if (j < n && s[j] == '=') {
			j++;
			while (j < n && is_space((unsigned char)s[j]))
				j++;
			i = j;
		}
	}
	if (i < n && (s[i] == '\'' || s[i] == '"')) {
		const char *q = memchr(s + i + 1, s[i], n - i - 1);
		*us = i + 1;
		*ue = q ? (size_t)(q - s) : n;
	} else {
		*us = i;
		*ue = n;
	}
	while (*ue > *us && is_space((unsigned char)s[*ue - 1]))
		(*ue)--;
	return *ue > *us ? 0 : -1;
}

/* One image candidate of a srcset: the URL at [start, end) of the value. */
struct candidate {
	size_t start, end;
};

/* The HTML Standard's srcset parsing, as far as where the URLs are. */
static size_t srcset_split(const char *s, size_t n, struct candidate **c, size_t *alloc)
{
	size_t i = 0, nr = 0;
	for (;;) {
		size_t start;
		while (i < n && (is_space((unsigned char)s[i]) || s[i] == ','))
			i++;
		if (i >= n)
			break;
		start = i;
		while (i < n && !is_space((unsigned char)s[i]))
			i++;
		ALLOC_GROW(*c, nr + 1, *alloc);
		(*c)[nr].start = start;
		(*c)[nr].end = i;
		if (s[i - 1] == ',') {
			while ((*c)[nr].end > start && s[(*c)[nr].end - 1] == ',')
				(*c)[nr].end--;
		} else {
			/* descriptors up to a comma outside parentheses */
			int paren = 0;
			for (; i < n; i++) {
				if (s[i] == '(')
					paren = 1;
				else if (s[i] == ')')
					paren = 0;
				else if (s[i] == ',' && !paren)
					break;
			}
		}
		if ((*c)[nr].end > start)
			nr++;
	}
	return nr;
}

/* ---- discovery with libxml2 ---- */

void html_links_init(struct html_links *l)
{
	l->items = NULL;
	l->nr = l->alloc = 0;
	l->base = NULL;
}

void html_links_release(struct html_links *l)
{
	size_t i;
	for (i = 0; i < l->nr; i++)
		free(l->items[i].url);
	free(l->items);
	free(l->base);
	html_links_init(l);
}

static void add_link(struct html_links *l, const char *url, size_t n, enum link_kind kind)
{
	char *u;
	trim(&url, &n);
	u = xstrndup(url, n);
	if (html_url_ignored(u)) {
		free(u);
		return;
	}
	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	l->items[l->nr].url = u;
	l->items[l->nr].kind = kind;
	l->nr++;
}

static void css_link(void *ud, const char *url, size_t start, size_t end)
{
	add_link(ud, url, strlen(url), LINK_REQUISITE);
}

/* A lower-case copy of an attribute or tag name; "" if too long to be one we know. */
static void name_lower(const char *s, char *buf, size_t cap)
{
	size_t k = 0;
	for (; *s && k + 1 < cap; s++)
		buf[k++] = (char)lower((unsigned char)*s);
	buf[k] = '\0';
	if (*s)
		buf[0] = '\0';
}

/* Trimmed, lower-cased, cut to fit. */
static void copy_lower(char *dst, size_t cap, const char *s, size_t n)
{
	size_t k = 0;
	trim(&s, &n);
	for (; n && k + 1 < cap; s++, n--)
		dst[k++] = (char)lower((unsigned char)*s);
	dst[k] = '\0';
}

/* atts: libxml2's NULL-terminated name, value, name, value... (a value may be NULL) */
static void sax_elem_info(const xmlChar **atts, struct elem_info *e)
{
	char name[32];
	size_t i;
	elem_info_clear(e);
	for (i = 0; atts && atts[i]; i += 2) {
		const char *v = (const char *)atts[i + 1];
		char *dst;
		size_t cap;
		name_lower((const char *)atts[i], name, sizeof(name));
		if (streq(name, "rel") && !e->has_rel) {
			dst = e->rel;
			cap = sizeof(e->rel);
			e->has_rel = 1;
		} else if (streq(name, "name") && !e->name[0]) {
			dst = e->name;
			cap = sizeof(e->name);
		} else if (streq(name, "http-equiv") && !e->http_equiv[0]) {
			dst = e->http_equiv;
			cap = sizeof(e->http_equiv);
		} else {
			continue;
		}
		if (v)
			copy_lower(dst, cap, v, strlen(v));
	}
}

/* What the SAX callbacks share while libxml2 reads a page. */
struct sax_state {
	struct html_links *out;
	struct candidate *cand;
	size_t cand_alloc;
	int in_style;            /* inside <style>: its text is CSS */
	struct strbuf style;
};

static void attr_links(struct sax_state *st, const char *tag, const char *name,
		       const struct elem_info *info, const char *v)
{
	struct html_links *out = st->out;
	enum link_kind kind;
	size_t n = strlen(v), us, ue, i, nr;

	switch (classify(tag, name, info, &kind)) {
	case UA_URL:
		add_link(out, v, n, kind);
		break;
	case UA_SRCSET:
		nr = srcset_split(v, n, &st->cand, &st->cand_alloc);
		for (i = 0; i < nr; i++)
			add_link(out, v + st->cand[i].start, st->cand[i].end - st->cand[i].start, kind);
		break;
	case UA_REFRESH:
		if (!refresh_url(v, n, &us, &ue))
			add_link(out, v + us, ue - us, kind);
		break;
	case UA_STYLE:
		css_find_urls(v, n, css_link, out);
		break;
	}
}

static void sax_start(void *ud, const xmlChar *xname, const xmlChar **atts)
{
	struct sax_state *st = ud;
	char tag[32], name[32];
	struct elem_info info;
	size_t i;

	name_lower((const char *)xname, tag, sizeof(tag));
	sax_elem_info(atts, &info);
	for (i = 0; atts && atts[i]; i += 2) {
		const char *v = (const char *)atts[i + 1];
		name_lower((const char *)atts[i], name, sizeof(name));
		if (!name[0] || !v)
			continue;
		if (streq(tag, "base") && streq(name, "href")) {
			if (!st->out->base) {
				size_t n = strlen(v);
				trim(&v, &n);
				st->out->base = xstrndup(v, n);
			}
			continue;
		}
		attr_links(st, tag, name, &info, v);
	}
	if (streq(tag, "style")) {
		st->in_style = 1;
		strbuf_reset(&st->style);
	}
}

static void sax_end(void *ud, const xmlChar *xname)
{
	struct sax_state *st = ud;
	if (st->in_style && !strcasecmp((const char *)xname, "style")) {
		st->in_style = 0;
		css_find_urls(st->style.buf, st->style.len, css_link, st->out);
	}
}

static void sax_text(void *ud, const xmlChar *ch, int len)
{
	struct sax_state *st = ud;
	if (st->in_style && len > 0)
		strbuf_add(&st->style, ch, (size_t)len);
}

/*
 * libxml2's HTML parser through SAX: the parser's own reading of the page,
 * without building a tree that would be walked once and freed.
 */
static int sax_parse(const char *buf, size_t len, struct sax_state *st)
{
	htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(buf, (int)len);
	xmlCharEncodingHandlerPtr utf8 = xmlFindCharEncodingHandler("UTF-8");
	if (!ctxt)
		return -1;
	memset(ctxt->sax, 0, sizeof(*ctxt->sax));
	ctxt->sax->initialized = 1;
	ctxt->sax->startElement = sax_start;
	ctxt->sax->endElement = sax_end;
	ctxt->sax->characters = sax_text;
	ctxt->sax->cdataBlock = sax_text;
	ctxt->userData = st;
	/*
	 * The text is UTF-8 already, whatever its <meta charset> still says:
	 * IGNORE_ENC keeps libxml2 from switching encodings on the meta.
	 * HUGE lifts the depth limit of 256, past which libxml2 stops
	 * reading: 300 lines each with an unclosed <font> are that deep.
	 */
	htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				 HTML_PARSE_NONET | HTML_PARSE_NOBLANKS | HTML_PARSE_IGNORE_ENC |
				 XML_PARSE_HUGE);
	if (utf8)
		xmlSwitchToEncoding(ctxt, utf8);
	htmlParseDocument(ctxt);
	htmlFreeParserCtxt(ctxt);
	return 0;
}

static char *markup_only(const char *s, size_t n, size_t *out_len, struct strbuf *date_text);
static int newest_in_text(const struct strbuf *text, const struct cdate *limit, struct cdate *out);

static int find_links(const char *utf8, size_t len, struct html_links *out,
		      struct strbuf *date_text)
{
	struct sax_state st;
	char *copy;
	size_t n;
	int ret;

	if (len > INT_MAX)
		return -1;
	if (!len)
		return 0;
	/*
	 * libxml2 ends a script at the first "</script" even inside "<!--",
	 * where browsers do not, and the rest of the script then opens the
	 * body too early (losing <body background>).  Script text holds no
	 * links we follow, so libxml2 gets it blanked out.
	 */
	copy = markup_only(utf8, len, &n, date_text);
	memset(&st, 0, sizeof(st));
	st.out = out;
	strbuf_init(&st.style, 0);
	ret = n ? sax_parse(copy, n, &st) : 0;
	free(copy);
	free(st.cand);
	strbuf_release(&st.style);
	return ret;
}

int html_find_links(const char *utf8, size_t len, struct html_links *out)
{
	return find_links(utf8, len, out, NULL);
}

int html_find_links_dated(const char *utf8, size_t len, struct html_links *out,
			  const struct cdate *limit, struct cdate *newest, int *found)
{
	struct strbuf text = STRBUF_INIT;
	int ret = find_links(utf8, len, out, &text);
	*found = len <= INT_MAX && !newest_in_text(&text, limit, newest);
	strbuf_release(&text);
	return ret;
}

/* ---- the tokenizer ---- */

enum tok_type { T_TEXT, T_START, T_END, T_COMMENT, T_DOCTYPE, T_BOGUS };
enum raw_kind { RAW_NONE, RAW_SCRIPT, RAW_TEXT, RAW_RCDATA, RAW_PLAIN };

struct attr {
	size_t ws;            /* start of the whitespace before the name */
	size_t name, name_end;
	size_t val, val_end;  /* the value without its quotes */
	size_t end;           /* after the value and its closing quote */
	char quote;           /* '"', '\'', or 0 when unquoted */
	int has_value;
	char lname[32];       /* lower-case name; "" if longer */
};

struct tok {
	enum tok_type type;
	size_t start, end;    /* for a raw text element: through its end tag */
	size_t tag_end;       /* end of the start tag itself */
	size_t close;         /* the '>', or the '/' of "/>", ending a tag */
	int complete;         /* 0: the input ended inside it */
	int self_closing;
	int in_select;        /* a raw text element after a <select> (see walker.select) */
	char name[32];        /* lower-case tag name; "" if longer */
	struct attr *attrs;
	size_t nr, alloc;
	enum raw_kind raw;    /* for a start tag opening raw text */
	size_t raw_start, raw_end;
};

struct walker {
	const char *s;
	size_t pos, end;
	/*
	 * safe (rewriting): the first <svg> or <math> switches raw text
	 * off for the rest of the document, so that no markup a browser might
	 * see as tags is taken for text.  Not safe (reading): their depth.
	 */
	int safe, foreign;
	/*
	 * safe: a <select> was seen.  Inside a select, browsers ignored
	 * <style>, <title>, <xmp>, <iframe>... start tags, so their content
	 * was markup, until Chrome's customizable select parses them as raw
	 * text again: from the first <select> on, the content of those
	 * elements is checked both ways (see rw_inner_prepare()).
	 */
	int select;
	struct tok t, end_tag;
};

static void walker_init(struct walker *w, const char *s, size_t from, size_t to, int safe)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	w->pos = from;
	w->end = to;
	w->safe = safe;
}

static void walker_release(struct walker *w)
{
	free(w->t.attrs);
	free(w->end_tag.attrs);
}

/*
 * A lower-case copy of a tag or attribute name, "" if too long to be one
 * we know or if it holds a NUL: a browser reads "<xmp\0>" as the unknown
 * element "xmp\uFFFD", whose content is markup, not raw text.
 */
static void set_name(char *dst, size_t cap, const char *s, size_t n)
{
	size_t k;
	if (n >= cap || memchr(s, '\0', n)) {
		dst[0] = '\0';
		return;
	}
	for (k = 0; k < n; k++)
		dst[k] = (char)lower((unsigned char)s[k]);
	dst[n] = '\0';
}

/* A start or end tag whose name begins at s[i]: the tokenizer's tag states. */
static void lex_tag(const char *s, size_t n, size_t i, struct tok *t)
{
	size_t ns = i;
	t->nr = 0;
	t->self_closing = 0;
	while (i < n && !is_space((unsigned char)s[i]) && s[i] != '/' && s[i] != '>')
		i++;
	set_name(t->name, sizeof(t->name), s + ns, i - ns);
	for (;;) {
		struct attr *a;
		size_t ws = i, j;
		while (i < n && is_space((unsigned char)s[i]))
			i++;
		if (i >= n)
			break;
		if (s[i] == '>') {
			t->close = i;
			t->tag_end = i + 1;
			t->complete = 1;
			return;
		}
		if (s[i] == '/') {
			if (i + 1 < n && s[i + 1] == '>') {
				t->close = i;
				t->tag_end = i + 2;
				t->self_closing = 1;
				t->complete = 1;
				return;
			}
			i++;
			continue;
		}
		ALLOC_GROW(t->attrs, t->nr + 1, t->alloc);
		a = &t->attrs[t->nr++];
		a->ws = ws;
		a->name = i++; /* the first character may be '=' */
		while (i < n && !is_space((unsigned char)s[i]) && s[i] != '/' && s[i] != '>' &&
		       s[i] != '=')
			i++;
		a->name_end = i;
		set_name(a->lname, sizeof(a->lname), s + a->name, i - a->name);
		a->quote = 0;
		a->has_value = 0;
		a->val = a->val_end = a->end = i;
		j = i;
		while (j < n && is_space((unsigned char)s[j]))
			j++;
		if (j >= n || s[j] != '=')
			continue;
		j++;
		while (j < n && is_space((unsigned char)s[j]))
			j++;
		if (j >= n) {
			i = j;
			break;
		}
		a->has_value = 1;
		if (s[j] == '"' || s[j] == '\'') {
			const char *q = memchr(s + j + 1, s[j], n - j - 1);
			if (!q) {
				i = n;
				break;
			}
			a->quote = s[j];
			a->val = j + 1;
			a->val_end = (size_t)(q - s);
			a->end = i = a->val_end + 1;
		} else {
			a->val = j;
			while (j < n && !is_space((unsigned char)s[j]) && s[j] != '>')
				j++;
			a->val_end = a->end = i = j;
		}
	}
	t->complete = 0;
	t->close = t->tag_end = n;
}

/* "</name" followed by whitespace, '/' or '>' at s[i]: an appropriate end tag. */
static int end_tag_at(const char *s, size_t n, size_t i, const char *name)
{
	size_t k = strlen(name);
	int c;
	if (n - i < k + 3 || s[i] != '<' || s[i + 1] != '/' || strncasecmp(s + i + 2, name, k))
		return 0;
	c = (unsigned char)s[i + 2 + k];
	return is_space(c) || c == '/' || c == '>';
}

static size_t rawtext_end(const char *s, size_t i, size_t n, const char *name)
{
	for (;;) {
		const char *lt = memchr(s + i, '<', n - i);
		if (!lt)
			return n;
		i = (size_t)(lt - s);
		if (end_tag_at(s, n, i, name))
			return i;
		i++;
	}
}

/* An alphabetic run at s[i] equal to "script", followed by whitespace, '/' or '>'. */
static int script_word(const char *s, size_t n, size_t i, size_t *after)
{
	size_t j = i;
	while (j < n && is_alpha((unsigned char)s[j]))
		j++;
	*after = j;
	if (j >= n)
		return -1; /* input ended in the word */
	if (!is_space((unsigned char)s[j]) && s[j] != '/' && s[j] != '>')
		return -2; /* some other character: not a delimiter */
	return j - i == 6 && !strncasecmp(s + i, "script", 6);
}

/*
 * Where the script element starting its content at s[i] ends: the HTML
 * Standard's script data states, escapes included, so that
 * "<!-- document.write('<script>...</script>') -->" stays inside.
 */
static size_t script_end(const char *s, size_t i, size_t n)
{
	enum { DATA, ESC, ESC_DASH, ESC_DASH_DASH, DESC, DESC_DASH, DESC_DASH_DASH } st = DATA;
	while (i < n) {
		int c = (unsigned char)s[i];
		size_t after;
		int r;
		switch (st) {
		case DATA:
			if (c == '<') {
				if (end_tag_at(s, n, i, "script"))
					return i;
				if (n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
					st = ESC_DASH_DASH;
					i += 4;
					continue;
				}
			}
			i++;
			continue;
		case ESC:
		case ESC_DASH:
		case ESC_DASH_DASH:
			if (c == '-') {
				st = st == ESC ? ESC_DASH : ESC_DASH_DASH;
				i++;
				continue;
			}
			if (c == '>' && st == ESC_DASH_DASH) {
				st = DATA;
				i++;
				continue;
			}
			st = ESC;
			if (c != '<') {
				i++;
				continue;
			}
			if (end_tag_at(s, n, i, "script"))
				return i;
			if (i + 1 < n && is_alpha((unsigned char)s[i + 1])) {
				r = script_word(s, n, i + 1, &after);
				if (r == -1)
					return n;
				if (r == 1)
					st = DESC;
				i = r == -2 ? after : after + 1;
				continue;
			}
			i++;
			continue;
		case DESC:
		case DESC_DASH:
		case DESC_DASH_DASH:
			if (c == '-') {
				st = st == DESC ? DESC_DASH : DESC_DASH_DASH;
				i++;
				continue;
			}
			if (c == '>' && st == DESC_DASH_DASH) {
				st = DATA;
				i++;
				continue;
			}
			st = DESC;
			if (c == '<' && i + 1 < n && s[i + 1] == '/') {
				r = script_word(s, n, i + 2, &after);
				if (r == -1)
					return n;
				if (r == 1)
					st = ESC;
				i = r == -2 ? after : after + 1;
				continue;
			}
			i++;
			continue;
		}
	}
	return n;
}

static enum raw_kind raw_kind_of(const char *name)
{
	static const char *const rawtext[] = {
		"style", "xmp", "iframe", "noembed", "noframes", "noscript",
	};
	if (streq(name, "script"))
		return RAW_SCRIPT;
	if (IS_ONE_OF(name, rawtext))
		return RAW_TEXT;
	if (streq(name, "title") || streq(name, "textarea"))
		return RAW_RCDATA;
	if (streq(name, "plaintext"))
		return RAW_PLAIN;
	return RAW_NONE;
}

/* Does markup (not text) start at s[i] == '<'? */
static int markup_at(const char *s, size_t n, size_t i)
{
	int c;
	if (i + 1 >= n)
		return 0;
	c = (unsigned char)s[i + 1];
	return is_alpha(c) || c == '!' || c == '?' || (c == '/' && i + 2 < n);
}

static void to_gt(const char *s, size_t n, size_t from, struct tok *t)
{
	const char *gt = memchr(s + from, '>', n - from);
	t->end = gt ? (size_t)(gt - s) + 1 : n;
	t->complete = gt != NULL;
}

/* The next token into w->t; 0 at the end of input. */
static int walk_next(struct walker *w)
{
	const char *s = w->s;
	size_t i = w->pos, n = w->end;
	struct tok *t = &w->t;

	if (i >= n)
		return 0;
	t->start = i;
	t->raw = RAW_NONE;
	t->nr = 0;
	t->complete = 1;
	t->self_closing = 0;
	t->in_select = 0;
	t->name[0] = '\0';
	if (s[i] != '<' || !markup_at(s, n, i)) {
		i++;
		for (;;) {
			const char *lt = memchr(s + i, '<', n - i);
			if (!lt) {
				i = n;
				break;
			}
			i = (size_t)(lt - s);
			if (markup_at(s, n, i))
				break;
			i++;
		}
		t->type = T_TEXT;
		t->end = t->tag_end = i;
		w->pos = i;
		return 1;
	}
	if (is_alpha((unsigned char)s[i + 1])) {
		t->type = T_START;
		lex_tag(s, n, i + 1, t);
		t->end = t->tag_end;
	} else if (s[i + 1] == '/') {
		if (is_alpha((unsigned char)s[i + 2])) {
			t->type = T_END;
			lex_tag(s, n, i + 2, t);
			t->end = t->tag_end;
		} else if (s[i + 2] == '>') {
			t->type = T_BOGUS; /* "</>" is dropped */
			t->end = i + 3;
		} else {
			t->type = T_BOGUS;
			to_gt(s, n, i + 2, t);
		}
	} else if (s[i + 1] == '!' && n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
		/* "<!-->" and "<!--->" are whole comments; then "-->" or "--!>" */
		size_t j = i + 4;
		t->type = T_COMMENT;
		if (j < n && s[j] == '>') {
			t->end = j + 1;
		} else if (j + 1 < n && s[j] == '-' && s[j + 1] == '>') {
			t->end = j + 2;
		} else {
			t->end = n;
			t->complete = 0;
			for (; j + 2 < n; j++) {
				const char *d = memchr(s + j, '-', n - j - 2);
				if (!d)
					break;
				j = (size_t)(d - s);
				if (s[j + 1] != '-')
					continue;
				if (s[j + 2] == '>') {
					t->end = j + 3;
					t->complete = 1;
					break;
				}
				if (s[j + 2] == '!' && j + 3 < n && s[j + 3] == '>') {
					t->end = j + 4;
					t->complete = 1;
					break;
				}
			}
		}
	} else if (s[i + 1] == '!' && n - i >= 9 && !strncasecmp(s + i + 2, "doctype", 7)) {
		t->type = T_DOCTYPE;
		to_gt(s, n, i + 9, t);
	} else {
		/* "<!x", "<![CDATA[" (never honoured: see walker.safe), "<?" */
		t->type = T_BOGUS;
		to_gt(s, n, i + 2, t);
	}
	t->tag_end = t->end;
	w->pos = t->end;

	if (t->type == T_END && !w->safe && w->foreign &&
	    (streq(t->name, "svg") || streq(t->name, "math")))
		w->foreign--;
	if (t->type != T_START || !t->complete)
		return 1;
	if (streq(t->name, "svg") || streq(t->name, "math")) {
		if (w->safe)
			w->foreign = 1;
		else if (!t->self_closing)
			w->foreign++;
	}
	if (w->safe && streq(t->name, "select"))
		w->select = 1;
	if (w->foreign)
		return 1;
	t->raw = raw_kind_of(t->name);
	if (t->raw == RAW_NONE)
		return 1;
	t->in_select = w->select;
	t->raw_start = t->tag_end;
	if (t->raw == RAW_PLAIN)
		t->raw_end = n;
	else if (t->raw == RAW_SCRIPT)
		t->raw_end = script_end(s, t->tag_end, n);
	else
		t->raw_end = rawtext_end(s, t->tag_end, n, t->name);
	t->end = n;
	if (t->raw_end < n) {
		lex_tag(s, n, t->raw_end + 2, &w->end_tag);
		t->end = w->end_tag.tag_end;
	}
	w->pos = t->end;
	return 1;
}

/* The decoded value of the first attribute called name, lower-cased, into dst. */
static void tok_info(const char *s, const struct tok *t, struct elem_info *e, struct strbuf *tmp)
{
	size_t i;
	elem_info_clear(e);
	for (i = 0; i < t->nr; i++) {
		const struct attr *a = &t->attrs[i];
		char *dst;
		size_t cap;
		if (streq(a->lname, "rel") && !e->has_rel) {
			dst = e->rel;
			cap = sizeof(e->rel);
			e->has_rel = 1;
		} else if (streq(a->lname, "name") && !e->name[0]) {
			dst = e->name;
			cap = sizeof(e->name);
		} else if (streq(a->lname, "http-equiv") && !e->http_equiv[0]) {
			dst = e->http_equiv;
			cap = sizeof(e->http_equiv);
		} else {
			continue;
		}
		strbuf_reset(tmp);
		decode_refs(s + a->val, a->val_end - a->val, 1, tmp);
		copy_lower(dst, cap, tmp->buf, tmp->len);
	}
}

static int all_blank(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!is_space((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * What libxml2 is given to find links in: the page's markup as it is, with
 * script text blanked out (see html_find_links()) and every run of text
 * cut to one character, a blank for blank text, else an 'x' (so the copy
 * is never longer than the page).  No link lives in text, and libxml2
 * reads text a character at a time; one character keeps what text does
 * to the parse (it opens <body>).  Raw text elements (<style>, <title>,
 * <textarea>) are kept whole, and so is every element with an attribute;
 * bare ones are left out (see leave_out()).  With date_text, the same walk
 * collects the text html_newest_date_before() reads.
 */
static void date_text_add(const struct tok *t, const char *s, struct strbuf *text);

/*
 * Elements that hold no link without attributes.  libxml2 costs about the
 * same per element, link or not, so the bare ones (a third of an old
 * page's tags) are left out, with their end tags: one bit per open
 * element of each name says whether its start tag was kept.
 */
static const char *const bare_names[] = {
	"p", "li", "span", "td", "tr", "ul", "ol", "div", "b", "strong", "em", "i", "u",
	"font", "center", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tbody", "thead",
	"tfoot", "th", "dl", "dt", "dd", "small", "big", "sub", "sup", "label", "nobr",
	"pre", "blockquote", "tt", "code", "s", "strike", "cite", "br", "hr",
};

struct bare_stacks {
	uint64_t dropped[ARRAY_SIZE(bare_names)]; /* bit i: the i-th open one was left out */
	unsigned depth[ARRAY_SIZE(bare_names)];
	unsigned deeper[ARRAY_SIZE(bare_names)];  /* open past 64: always kept */
};

static int bare_index(const char *name)
{
	size_t i;
	for (i = 0; i < ARRAY_SIZE(bare_names); i++)
		if (bare_names[i][0] == name[0] && name[0] && streq(name + 1, bare_names[i] + 1))
			return (int)i;
	return -1;
}

/* Should libxml2 not see this tag? */
static int leave_out(struct bare_stacks *b, const struct tok *t)
{
	int x;
	unsigned d;
	if ((t->type != T_START && t->type != T_END) || !t->complete || t->raw != RAW_NONE ||
	    (x = bare_index(t->name)) < 0)
		return 0;
	d = b->depth[x];
	if (t->type == T_END) {
		if (b->deeper[x]) {
			b->deeper[x]--;
			return 0;
		}
		if (!d)
			return 0; /* a stray end tag: libxml2 decides */
		b->depth[x] = --d;
		return (int)((b->dropped[x] >> d) & 1);
	}
	if (streq(t->name, "br") || streq(t->name, "hr"))
		return !t->nr; /* void: no end tag */
	if (d >= 64) {
		b->deeper[x]++;
		return 0;
	}
	b->dropped[x] = (b->dropped[x] & ~(1ull << d)) | ((uint64_t)!t->nr << d);
	b->depth[x] = d + 1;
	return !t->nr;
}

static char *markup_only(const char *s, size_t n, size_t *out_len, struct strbuf *date_text)
{
	char *out = xmalloc(n + 1);
	struct walker w;
	struct bare_stacks bare;
	size_t k = 0, pos = 0;
	memset(&bare, 0, sizeof(bare));
	walker_init(&w, s, 0, n, 0);
	while (walk_next(&w)) {
		const struct tok *t = &w.t;
		if (date_text)
			date_text_add(t, s, date_text);
		if (t->start > pos) {
			memcpy(out + k, s + pos, t->start - pos);
			k += t->start - pos;
		}
		if (leave_out(&bare, t)) {
			/* nothing */
		} else if (t->type == T_TEXT && t->end > t->start) {
			out[k++] = all_blank(s + t->start, t->end - t->start) ? ' ' : 'x';
		} else if (t->type == T_START && t->raw == RAW_SCRIPT && t->raw_end >= t->raw_start) {
			memcpy(out + k, s + t->start, t->raw_start - t->start);
			k += t->raw_start - t->start;
			if (t->raw_end > t->raw_start)
				out[k++] = ' ';
			memcpy(out + k, s + t->raw_end, t->end - t->raw_end);
			k += t->end - t->raw_end;
		} else {
			memcpy(out + k, s + t->start, t->end - t->start);
			k += t->end - t->start;
		}
		pos = t->end;
	}
	if (pos < n) {
		memcpy(out + k, s + pos, n - pos);
		k += n - pos;
	}
	walker_release(&w);
	*out_len = k;
	return out;
}

/* ---- rewriting ---- */

struct splice {
	size_t start, end, len;
};

struct plan {
	size_t meta_at, body_at;
	int banner;        /* 0 in a frameset document */
	int charset_early; /* a charset declaration in the first 1024 bytes */
};

struct rw {
	const char *s;
	size_t n;
	const struct html_rewrite_opts *opt;
	struct strbuf *out;
	size_t copied;            /* s[0..copied) is accounted for in out */
	size_t sp_start, mark;    /* the splice being written */
	size_t verbatim_end;      /* out ends with s[..verbatim_end) copied... */
	size_t verbatim_out;      /* ...if out->len is still this */
	struct splice *sp;
	size_t sp_nr, sp_alloc;
	int top;
	int inner;                /* the content of a raw text element: no raw text inside */
	int skipping;             /* dropping a <script> inside <svg>/<math> */
	size_t skip_start;
	struct plan plan;
	int metas_done, banner_done;
	struct strbuf metas, banner;
	struct strbuf val, rep, tmp, newval;
	struct candidate *cand;
	size_t cand_alloc;
};

static void rw_init(struct rw *rw, const char *s, size_t n, const struct html_rewrite_opts *opt,
		    struct strbuf *out)
{
	memset(rw, 0, sizeof(*rw));
	rw->s = s;
	rw->n = n;
	rw->opt = opt;
	rw->out = out;
	rw->verbatim_out = NONE;
	strbuf_init(&rw->metas, 0);
	strbuf_init(&rw->banner, 0);
	strbuf_init(&rw->val, 0);
	strbuf_init(&rw->rep, 0);
	strbuf_init(&rw->tmp, 0);
	strbuf_init(&rw->newval, 0);
}

static void rw_release(struct rw *rw)
{
	free(rw->sp);
	free(rw->cand);
	strbuf_release(&rw->metas);
	strbuf_release(&rw->banner);
	strbuf_release(&rw->val);
	strbuf_release(&rw->rep);
	strbuf_release(&rw->tmp);
	strbuf_release(&rw->newval);
}

static void rw_flush(struct rw *rw, size_t to)
{
	if (to <= rw->copied)
		return;
	strbuf_add(rw->out, rw->s + rw->copied, to - rw->copied);
	rw->copied = to;
	rw->verbatim_end = to;
	rw->verbatim_out = rw->out->len;
}

static void rw_begin(struct rw *rw, size_t start)
{
	rw_flush(rw, start);
	rw->sp_start = start > rw->copied ? start : rw->copied;
	rw->mark = rw->out->len;
}

static void add_splice(struct rw *rw, size_t start, size_t end, size_t len)
{
	ALLOC_GROW(rw->sp, rw->sp_nr + 1, rw->sp_alloc);
	rw->sp[rw->sp_nr].start = start;
	rw->sp[rw->sp_nr].end = end;
	rw->sp[rw->sp_nr].len = len;
	rw->sp_nr++;
}

static void rw_end(struct rw *rw, size_t end)
{
	add_splice(rw, rw->sp_start, end, rw->out->len - rw->mark);
	rw->copied = end;
}

/*
 * Remove s[start..end).  When out ends with a '<' copied from the page
 * ("<<script>...</script>img src=x onerror=...>"), that '<' was text, and
 * joined to what follows the removal it could open a tag no one checked:
 * it becomes "&lt;".
 */
static void rw_remove(struct rw *rw, size_t start, size_t end)
{
	rw_flush(rw, start);
	if (rw->out->len && rw->out->len == rw->verbatim_out &&
	    rw->out->buf[rw->out->len - 1] == '<') {
		size_t at = rw->verbatim_end - 1, k;
		strbuf_setlen(rw->out, rw->out->len - 1);
		strbuf_addstr(rw->out, "&lt;");
		/* before any empty removals already recorded after it */
		add_splice(rw, 0, 0, 0);
		for (k = rw->sp_nr - 1; k > 0 && rw->sp[k - 1].start > at; k--)
			rw->sp[k] = rw->sp[k - 1];
		rw->sp[k].start = at;
		rw->sp[k].end = at + 1;
		rw->sp[k].len = 4;
		rw->verbatim_out = NONE;
	}
	rw_begin(rw, start);
	rw_end(rw, end);
}

static void rw_insert(struct rw *rw, size_t at, const char *str, size_t len)
{
	rw_begin(rw, at);
	strbuf_add(rw->out, str, len);
	rw_end(rw, rw->sp_start);
}

/*
 * Escape v for an attribute value quoted with q: '&', '<', '>' and the
 * quote.  Nothing else, so that the parts of a value we did not change (a
 * srcset descriptor, the "0; url=" of a refresh) keep their bytes.  '<'
 * and '>' do not need it inside quotes, but inside <noscript> a value is
 * raw text to a browser, where "</noscript>" would end the element.
 */
static void add_attr_value(struct strbuf *sb, const char *v, size_t n, int q)
{
	size_t i, run = 0;
	for (i = 0; i < n; i++) {
		const char *rep;
		switch (v[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			if (q != '"')
				continue;
			rep = "&quot;";
			break;
		case '\'':
			if (q != '\'')
				continue;
			rep = "&#39;";
			break;
		default:
			continue;
		}
		strbuf_add(sb, v + run, i - run);
		strbuf_addstr(sb, rep);
		run = i + 1;
	}
	strbuf_add(sb, v + run, n - run);
}

/* Set an attribute's value; an unquoted one gets quotes only if it must. */
static void rw_set_value(struct rw *rw, const struct attr *a, const char *v, size_t n)
{
	int q = a->quote;
	size_t i;
	if (!q) {
		for (i = 0; i < n; i++)
			if (is_space((unsigned char)v[i]) || strchr("\"'=<>`&", v[i]))
				break;
		if (!n || i < n)
			q = '"';
	}
	rw_begin(rw, a->val);
	if (q && !a->quote)
		strbuf_addch(rw->out, q);
	add_attr_value(rw->out, v, n, q);
	if (q && !a->quote)
		strbuf_addch(rw->out, q);
	rw_end(rw, a->val_end);
}

/*
 * Remove an attribute with the whitespace before it, unless what follows
 * needs that whitespace: in <textarea onload="x"<svg>, the next attribute
 * "<svg" would join the tag name, and in <a b=c onclick="d"/>, the '/'
 * would join the value "c".
 */
static void rw_remove_attr(struct rw *rw, const struct attr *a)
{
	int c = a->end < rw->n ? (unsigned char)rw->s[a->end] : '>';
	rw_begin(rw, c == '>' || is_space(c) ? a->ws : a->name);
	rw_end(rw, a->end);
}

/*
 * Insert attributes (" disabled data-jiyue-external") before a tag's end;
 * last: the last attribute not removed, or NULL.
 */
static void rw_add_attrs(struct rw *rw, const struct tok *t, const struct attr *last,
			 const char *attrs)
{
	rw_begin(rw, t->close);
	if (last && last->has_value && !last->quote && last->val == last->val_end) {
		/* <input value=> : " disabled" would become the value */
		strbuf_addstr(rw->out, "\"\"");
		strbuf_addstr(rw->out, attrs);
	} else if (is_space((unsigned char)rw->s[t->close - 1])) {
		strbuf_addstr(rw->out, attrs + 1);
		strbuf_addch(rw->out, ' ');
	} else {
		strbuf_addstr(rw->out, attrs);
	}
	rw_end(rw, t->close);
}

/* The caller's verdict on one URL; the replacement is in rw->rep. */
static int rw_call(struct rw *rw, const char *url, size_t n, enum link_kind kind)
{
	int r;
	trim(&url, &n);
	strbuf_reset(&rw->tmp);
	strbuf_add(&rw->tmp, url, n);
	if (!rw->opt->rewrite || html_url_ignored(rw->tmp.buf))
		return 0;
	strbuf_reset(&rw->rep);
	r = rw->opt->rewrite(rw->opt->ud, rw->tmp.buf, kind, &rw->rep);
	return r < 0 ? 0 : r & (HTML_REWRITE_REPLACED | HTML_REWRITE_EXTERNAL);
}

static int is_utf8_label(const char *s, size_t n)
{
	trim(&s, &n);
	return n == 5 && !strncasecmp(s, "utf-8", 5);
}

/* Does this <meta> declare a charset (the prescan would take it)? */
static int meta_declares_charset(struct rw *rw, const struct tok *t)
{
	struct elem_info e;
	size_t i, vs, ve;
	tok_info(rw->s, t, &e, &rw->val);
	for (i = 0; i < t->nr; i++) {
		const struct attr *a = &t->attrs[i];
		if (streq(a->lname, "charset") && a->has_value)
			return 1;
		if (streq(a->lname, "content") && streq(e.http_equiv, "content-type") &&
		    !charset_param_span(rw->s + a->val, a->val_end - a->val, &vs, &ve))
			return 1;
	}
	return 0;
}

static const char *const head_tags[] = {
	"html", "head", "base", "basefont", "bgsound", "link", "meta", "noframes",
	"script", "style", "template", "title", "noscript",
};

/*
 * Where the stamp goes, found by a first walk: the metas right after
 * <head> (else <html>, else the DOCTYPE, else the start), the banner right
 * after <body>, or where a browser would open the body without one: before
 * the first text or tag that does not belong in head.  At the end of the
 * input, before an unfinished token, so the banner does not land inside it.
 */
static void rw_plan(struct rw *rw)
{
	struct walker w;
	struct tok *t = &w.t;
	struct plan *p = &rw->plan;
	size_t head_end = NONE, html_end = NONE, doctype_end = NONE, eof_at = rw->n, lead = 0;

	p->body_at = NONE;
	p->banner = 1;
	p->charset_early = 0;
	if (rw->n >= 3 && !memcmp(rw->s, "\xef\xbb\xbf", 3))
		lead = 3;
	walker_init(&w, rw->s, 0, rw->n, 1);
	while (p->body_at == NONE && p->banner && walk_next(&w)) {
		/* unfinished: a tag, comment or raw text element the input ends in */
		if (!t->complete || (t->raw && (t->raw_end >= rw->n || !w.end_tag.complete)))
			eof_at = t->start;
		switch (t->type) {
		case T_TEXT: {
			size_t i = t->start == 0 ? lead : t->start;
			while (i < t->end && is_space((unsigned char)rw->s[i]))
				i++;
			if (i < t->end)
				p->body_at = i;
			break;
		}
		case T_DOCTYPE:
			if (doctype_end == NONE && t->complete)
				doctype_end = t->end;
			break;
		case T_END:
			if (t->complete && streq(t->name, "br"))
				p->body_at = t->start;
			break;
		case T_START:
			if (!t->complete)
				break;
			if (streq(t->name, "body")) {
				p->body_at = t->tag_end;
			} else if (streq(t->name, "frameset")) {
				p->banner = 0;
			} else if (!IS_ONE_OF(t->name, head_tags)) {
				p->body_at = t->start;
			} else if (streq(t->name, "html")) {
				if (html_end == NONE)
					html_end = t->tag_end;
			} else if (streq(t->name, "head")) {
				if (head_end == NONE)
					head_end = t->tag_end;
			} else if (streq(t->name, "meta") && t->start < 1024 &&
				   meta_declares_charset(rw, t)) {
				p->charset_early = 1;
			}
			break;
		default:
			break;
		}
	}
	walker_release(&w);
	if (p->body_at == NONE)
		p->body_at = eof_at;
	if (head_end != NONE)
		p->meta_at = head_end;
	else if (html_end != NONE)
		p->meta_at = html_end;
	else if (doctype_end != NONE)
		p->meta_at = doctype_end;
	else
		p->meta_at = lead;
	if (p->meta_at > p->body_at)
		p->meta_at = p->body_at;
}

static void rw_inserts(struct rw *rw, size_t upto)
{
	if (!rw->metas_done && rw->metas.len && rw->plan.meta_at <= upto) {
		rw_insert(rw, rw->plan.meta_at, rw->metas.buf, rw->metas.len);
		rw->metas_done = 1;
	}
	if (!rw->banner_done && rw->banner.len && rw->plan.body_at <= upto) {
		rw_insert(rw, rw->plan.body_at, rw->banner.buf, rw->banner.len);
		rw->banner_done = 1;
	}
}

static int is_event_handler(const char *s, const struct attr *a)
{
	return a->name_end - a->name > 2 && lower((unsigned char)s[a->name]) == 'o' &&
	       lower((unsigned char)s[a->name + 1]) == 'n';
}

static int starts_with_on(const char *v, size_t n)
{
	trim(&v, &n);
	return n >= 2 && !strncasecmp(v, "on", 2);
}

/* An SVG animation value list ("a;javascript:b") with a dangerous item. */
static int animation_dangerous(const char *v, size_t n)
{
	size_t i = 0;
	while (i <= n) {
		const char *semi = memchr(v + i, ';', n - i);
		size_t e = semi ? (size_t)(semi - v) : n;
		if (url_dangerous(v + i, e - i, "animate", "values"))
			return 1;
		i = e + 1;
	}
	return 0;
}

/* Rewrite the URLs of a srcset value (rw->val) into rw->newval; the callback bits. */
static int rw_srcset(struct rw *rw, enum link_kind kind, int *replaced)
{
	const char *v = rw->val.buf;
	size_t nr = srcset_split(v, rw->val.len, &rw->cand, &rw->cand_alloc), i, at = 0;
	int bits = 0;
	strbuf_reset(&rw->newval);
	for (i = 0; i < nr; i++) {
		struct candidate c = rw->cand[i];
		int r = rw_call(rw, v + c.start, c.end - c.start, kind);
		bits |= r;
		if (!(r & HTML_REWRITE_REPLACED))
			continue;
		strbuf_add(&rw->newval, v + at, c.start - at);
		strbuf_addbuf(&rw->newval, &rw->rep);
		at = c.end;
		*replaced = 1;
	}
	strbuf_add(&rw->newval, v + at, rw->val.len - at);
	return bits;
}

static void rw_run(struct rw *rw, size_t from, size_t to);

enum inner { INNER_SAME, INNER_CHANGED, INNER_FAILED };

/*
 * The content of a raw text element, rewritten as markup into buf (sub
 * holds its splices).  Done for <noscript> and <noframes>, raw text to a
 * browser with scripts and frames but markup to one without, and for
 * every raw text element after a <select> (see walker.select).  Inside,
 * nothing is taken for raw text, as in foreign content: that is how the
 * markup reading sees it within a select, and it is the reading that
 * exposes the most tags; it also keeps this from recursing.
 *
 * A browser that reads the content as raw text ends it at the first
 * "</name": if the result has one, which no change of ours should ever
 * make, the content is kept as it was, or for an element after a select,
 * where it may be markup, the caller drops the element (INNER_FAILED).
 */
static enum inner rw_inner_prepare(struct rw *rw, const struct tok *t, struct rw *sub,
				   struct strbuf *buf)
{
	size_t i, k = strlen(t->name);
	rw_init(sub, rw->s, rw->n, rw->opt, buf);
	sub->inner = 1;
	sub->copied = t->raw_start;
	rw_run(sub, t->raw_start, t->raw_end);
	if (!sub->sp_nr)
		return INNER_SAME;
	for (i = 0; i + k + 2 <= buf->len; i++)
		if (buf->buf[i] == '<' && buf->buf[i + 1] == '/' &&
		    !strncasecmp(buf->buf + i + 2, t->name, k))
			return t->in_select && rw->opt->neutralise ? INNER_FAILED : INNER_SAME;
	return INNER_CHANGED;
}

static void rw_inner_apply(struct rw *rw, const struct tok *t, const struct rw *sub,
			   const struct strbuf *buf)
{
	size_t i;
	rw_flush(rw, t->raw_start);
	strbuf_addbuf(rw->out, buf);
	for (i = 0; i < sub->sp_nr; i++)
		add_splice(rw, sub->sp[i].start, sub->sp[i].end, sub->sp[i].len);
	rw->copied = t->raw_end;
	rw->verbatim_out = NONE;
	if (sub->verbatim_out == buf->len) {
		rw->verbatim_end = sub->verbatim_end;
		rw->verbatim_out = rw->out->len;
	}
}

/* <style> content: its CSS URLs. */
static void rw_style(struct rw *rw, const struct tok *t)
{
	const char *css = rw->s + t->raw_start;
	size_t n = t->raw_end - t->raw_start, i;
	if (!rw->opt->rewrite)
		return;
	strbuf_reset(&rw->newval);
	if (css_rewrite(css, n, rw->opt->rewrite, rw->opt->ud, &rw->newval) <= 0)
		return;
	for (i = 0; i + 8 <= rw->newval.len; i++)
		if (!strncasecmp(rw->newval.buf + i, "</style", 7))
			return; /* cannot happen: css_rewrite escapes '<'; but never end it early */
	rw_begin(rw, t->raw_start);
	strbuf_addbuf(rw->out, &rw->newval);
	rw_end(rw, t->raw_end);
}

#define ATTR_REMOVED 0x100

/*
 * One attribute of a start tag; returns the callback's bits for external
 * marking, or ATTR_REMOVED.
 */
static int rw_attr(struct rw *rw, const struct tok *t, const struct attr *a,
		   const struct elem_info *info, int *refresh_remove)
{
	static const char *const animations[] = {
		"animate", "set", "animatemotion", "animatetransform", "animatecolor",
	};
	static const char *const anim_values[] = { "to", "from", "by", "values" };
	const char *an = a->lname, *tag = t->name;
	int neut = rw->opt->neutralise, r = 0, replaced = 0;
	enum link_kind kind;
	size_t us, ue;

	if (neut && is_event_handler(rw->s, a)) {
		rw_remove_attr(rw, a);
		return ATTR_REMOVED;
	}
	if (!*an || !a->has_value)
		return 0;
	if (streq(tag, "base") && streq(an, "href")) {
		rw_remove_attr(rw, a);
		return ATTR_REMOVED;
	}
	if (neut && (streq(an, "srcdoc") || streq(an, "formaction") ||
		     (streq(tag, "form") && streq(an, "action")))) {
		rw_remove_attr(rw, a);
		return ATTR_REMOVED;
	}
	strbuf_reset(&rw->val);
	decode_refs(rw->s + a->val, a->val_end - a->val, 1, &rw->val);
	if (neut && url_like_attr(an) && url_dangerous(rw->val.buf, rw->val.len, tag, an)) {
		if (streq(an, "href") && (streq(tag, "a") || streq(tag, "area"))) {
			rw_set_value(rw, a, "#", 1);
			return 0;
		}
		rw_remove_attr(rw, a);
		return ATTR_REMOVED;
	}
	if (neut && IS_ONE_OF(tag, animations) &&
	    ((IS_ONE_OF(an, anim_values) && animation_dangerous(rw->val.buf, rw->val.len)) ||
	     (streq(an, "attributename") && starts_with_on(rw->val.buf, rw->val.len)))) {
		/* animating an href to a script URL, or an event handler */
		rw_remove_attr(rw, a);
		return ATTR_REMOVED;
	}
	switch (classify(tag, an, info, &kind)) {
	case UA_URL:
		r = rw_call(rw, rw->val.buf, rw->val.len, kind);
		if (r & HTML_REWRITE_REPLACED)
			rw_set_value(rw, a, rw->rep.buf, rw->rep.len);
		return r;
	case UA_SRCSET:
		r = rw_srcset(rw, kind, &replaced);
		if (replaced)
			rw_set_value(rw, a, rw->newval.buf, rw->newval.len);
		return r;
	case UA_REFRESH:
		if (refresh_url(rw->val.buf, rw->val.len, &us, &ue))
			return 0;
		if (neut && url_dangerous(rw->val.buf + us, ue - us, tag, an)) {
			*refresh_remove = 1;
			return 0;
		}
		r = rw_call(rw, rw->val.buf + us, ue - us, kind);
		if (neut && (r & HTML_REWRITE_EXTERNAL)) {
			*refresh_remove = 1;
			return 0;
		}
		if (r & HTML_REWRITE_REPLACED) {
			strbuf_reset(&rw->newval);
			strbuf_add(&rw->newval, rw->val.buf, us);
			strbuf_addbuf(&rw->newval, &rw->rep);
			strbuf_add(&rw->newval, rw->val.buf + ue, rw->val.len - ue);
			rw_set_value(rw, a, rw->newval.buf, rw->newval.len);
		}
		return r;
	case UA_STYLE:
		strbuf_reset(&rw->newval);
		if (rw->opt->rewrite &&
		    css_rewrite(rw->val.buf, rw->val.len, rw->opt->rewrite, rw->opt->ud,
				&rw->newval) > 0)
			rw_set_value(rw, a, rw->newval.buf, rw->newval.len);
		return 0;
	default:
		break;
	}
	if (rw->opt->set_utf8 && rw->top && streq(tag, "meta")) {
		if (streq(an, "charset") && !is_utf8_label(rw->val.buf, rw->val.len)) {
			rw_set_value(rw, a, "utf-8", 5);
		} else if (streq(an, "content") && streq(info->http_equiv, "content-type") &&
			   !charset_param_span(rw->val.buf, rw->val.len, &us, &ue) &&
			   !is_utf8_label(rw->val.buf + us, ue - us)) {
			strbuf_reset(&rw->newval);
			strbuf_add(&rw->newval, rw->val.buf, us);
			strbuf_addstr(&rw->newval, "utf-8");
			strbuf_add(&rw->newval, rw->val.buf + ue, rw->val.len - ue);
			rw_set_value(rw, a, rw->newval.buf, rw->newval.len);
		}
	}
	return 0;
}

static int has_attr(const struct tok *t, const char *name)
{
	size_t i;
	for (i = 0; i < t->nr; i++)
		if (streq(t->attrs[i].lname, name))
			return 1;
	return 0;
}

static void rw_tag(struct rw *rw, const struct tok *t)
{
	static const char *const controls[] = { "input", "button", "select", "textarea" };
	const char *name = t->name;
	int neut = rw->opt->neutralise, bits = 0, refresh_remove = 0;
	struct elem_info info;
	const struct attr *last = NULL;
	struct rw sub;
	struct strbuf inner_buf = STRBUF_INIT;
	enum inner inner = INNER_SAME;
	int have_sub = 0;
	size_t i, mark_sp, mark_out, mark_copied, mark_vend, mark_vout;

	if (neut && streq(name, "script")) {
		if (t->raw == RAW_SCRIPT || t->self_closing) {
			rw_remove(rw, t->start, t->end);
		} else {
			rw->skipping = 1;
			rw->skip_start = t->start;
		}
		return;
	}
	if (streq(name, "base")) {
		/* keep <base target=...>; a <base> with only href goes */
		for (i = 0; i < t->nr; i++)
			if (!streq(t->attrs[i].lname, "href"))
				break;
		if (i == t->nr) {
			if (t->nr)
				rw_remove(rw, t->start, t->tag_end);
			return;
		}
	}
	if (t->raw != RAW_NONE && t->raw != RAW_SCRIPT &&
	    (t->in_select || streq(name, "noscript") || streq(name, "noframes"))) {
		have_sub = 1;
		inner = rw_inner_prepare(rw, t, &sub, &inner_buf);
		if (inner == INNER_FAILED) {
			rw_remove(rw, t->start, t->end);
			goto out;
		}
	}
	tok_info(rw->s, t, &info, &rw->val);
	mark_sp = rw->sp_nr;
	mark_out = rw->out->len;
	mark_copied = rw->copied;
	mark_vend = rw->verbatim_end;
	mark_vout = rw->verbatim_out;
	for (i = 0; i < t->nr; i++) {
		int r = rw_attr(rw, t, &t->attrs[i], &info, &refresh_remove);
		if (r & ATTR_REMOVED)
			continue;
		bits |= r;
		last = &t->attrs[i];
	}
	if (refresh_remove) {
		/* undo this tag's splices: the whole element goes */
		strbuf_setlen(rw->out, mark_out);
		rw->sp_nr = mark_sp;
		rw->copied = mark_copied;
		rw->verbatim_end = mark_vend;
		rw->verbatim_out = mark_vout;
		rw_remove(rw, t->start, t->tag_end);
		goto out;
	}
	strbuf_reset(&rw->newval);
	if (neut && IS_ONE_OF(name, controls) && !has_attr(t, "disabled"))
		strbuf_addstr(&rw->newval, " disabled");
	if ((bits & HTML_REWRITE_EXTERNAL) && !has_attr(t, "data-jiyue-external"))
		strbuf_addstr(&rw->newval, " data-jiyue-external");
	if (rw->newval.len)
		rw_add_attrs(rw, t, last, rw->newval.buf);
	if (inner == INNER_CHANGED)
		rw_inner_apply(rw, t, &sub, &inner_buf);
	else if (t->raw == RAW_TEXT && streq(name, "style"))
		rw_style(rw, t);
out:
	if (have_sub)
		rw_release(&sub);
	strbuf_release(&inner_buf);
}

static void rw_run(struct rw *rw, size_t from, size_t to)
{
	struct walker w;
	walker_init(&w, rw->s, from, to, 1);
	w.foreign = rw->inner;
	while (walk_next(&w)) {
		const struct tok *t = &w.t;
		if (rw->skipping) {
			if (t->type == T_END && t->complete && streq(t->name, "script")) {
				rw_remove(rw, rw->skip_start, t->end);
				rw->skipping = 0;
			}
			continue;
		}
		if (rw->top)
			rw_inserts(rw, t->start);
		if (t->type == T_START && t->complete)
			rw_tag(rw, t);
	}
	walker_release(&w);
	if (rw->skipping) {
		rw_remove(rw, rw->skip_start, to);
		rw->skipping = 0;
	}
	if (rw->top)
		rw_inserts(rw, to);
	rw_flush(rw, to);
}

/* ---- the stamp ---- */

#define FONTS "'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC'," \
	"'Source Han Sans SC','WenQuanYi Micro Hei',SimSun,sans-serif"

/*
 * The banner starts from all:initial, so that no property of the page's
 * CSS reaches it, then sets what it needs, and spells out the properties
 * that could hide or disguise it one by one for browsers without `all`.
 * Its parts start from all:unset: they inherit from the banner, nothing
 * from the page.  Letter and word spacing are at WCAG 1.4.12's minimums
 * (0.12em, 0.16em), since a reader's own style cannot change them here;
 * the badge is white on dark gold, 5.3:1.  Every declaration is !important, and an inline
 * !important declaration beats every author rule, !important or not,
 * whatever its selector (div, *, body > :first-child...).
 */
static const char banner_style[] =
	"all:initial!important;display:block!important;visibility:visible!important;"
	"opacity:1!important;position:relative!important;inset:auto!important;"
	"top:auto!important;right:auto!important;bottom:auto!important;left:auto!important;"
	"z-index:2147483647!important;transform:none!important;filter:none!important;"
	"clip-path:none!important;clip:auto!important;mask:none!important;"
	"content-visibility:visible!important;float:none!important;clear:both!important;"
	"order:-2147483647!important;flex:none!important;grid-column:1/-1!important;"
	"box-sizing:border-box!important;width:100%!important;min-width:0!important;"
	"max-width:none!important;height:auto!important;min-height:0!important;"
	"max-height:none!important;overflow:visible!important;margin:0!important;"
	"padding:8px 12px!important;border:0!important;border-bottom:2px solid #b8860b!important;"
	"outline:0!important;box-shadow:none!important;background:#fff8e1!important;"
	"color:#3b2f00!important;-webkit-text-fill-color:currentcolor!important;"
	"font:normal normal 400 14px/1.6 " FONTS "!important;text-align:left!important;"
	"text-indent:0!important;text-transform:none!important;text-decoration:none!important;"
	"text-shadow:none!important;letter-spacing:0.12em!important;word-spacing:0.16em!important;"
	"white-space:normal!important;word-break:normal!important;overflow-wrap:anywhere!important;"
	"direction:ltr!important;unicode-bidi:isolate!important;writing-mode:horizontal-tb!important;"
	"pointer-events:auto!important;user-select:text!important;cursor:auto!important;"
	"animation:none!important;transition:none!important;zoom:1!important;";

#define PART "all:unset!important;visibility:visible!important;opacity:1!important;" \
	"position:static!important;transform:none!important;filter:none!important;" \
	"clip-path:none!important;float:none!important;margin:0!important;" \
	"border:0!important;font:inherit!important;"

static const char badge_style[] = PART
	"display:inline-block!important;margin-right:8px!important;padding:0 6px!important;"
	"border-radius:3px!important;background:#8a6508!important;color:#fff!important;"
	"-webkit-text-fill-color:#fff!important;font-weight:700!important;"
	"white-space:nowrap!important;";

static const char text_style[] = PART "display:inline!important;padding:0!important;";

static const char link_style[] = PART
	"display:inline!important;padding:0!important;color:#0b57d0!important;"
	"-webkit-text-fill-color:#0b57d0!important;text-decoration:underline!important;"
	"cursor:pointer!important;word-break:break-all!important;";

static int is_http_url(const char *u)
{
	return !strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8);
}

static void add_attr(struct strbuf *sb, const char *name, const char *v)
{
	strbuf_addch(sb, ' ');
	strbuf_addstr(sb, name);
	strbuf_addstr(sb, "=\"");
	add_attr_value(sb, v, strlen(v), '"');
	strbuf_addch(sb, '"');
}

/*
 * The banner's style attributes: our own constants, written as they are
 * (they hold no '&', '<', '>' or '"': test_banner_markup checks) instead of being
 * escaped again for every page.
 */
static void add_style(struct strbuf *sb, const char *style)
{
	strbuf_addstr(sb, " style=\"");
	strbuf_addstr(sb, style);
	strbuf_addch(sb, '"');
}

void html_stamp_banner(const struct html_stamp *st, struct strbuf *out)
{
	strbuf_addstr(out, "<jiyue-archived role=\"note\" aria-label=\"已归档网页\" lang=\"zh-CN\"");
	add_style(out, banner_style);
	strbuf_addstr(out, "><jiyue-archived-badge");
	add_style(out, badge_style);
	strbuf_addstr(out, ">已归档</jiyue-archived-badge>");
	if (st->site_name && *st->site_name) {
		strbuf_add_html(out, st->site_name, strlen(st->site_name));
		strbuf_addstr(out, "　");
	}
	strbuf_addstr(out, "归档时间：<time");
	if (st->date_iso)
		add_attr(out, "datetime", st->date_iso);
	add_style(out, text_style);
	strbuf_addch(out, '>');
	if (st->date_cn)
		strbuf_add_html(out, st->date_cn, strlen(st->date_cn));
	strbuf_addstr(out, "</time>　本页为原网站的归档副本，内容不再更新。");
	if (st->original_url && *st->original_url) {
		strbuf_addstr(out, "原网址：");
		if (is_http_url(st->original_url)) {
			strbuf_addstr(out, "<a");
			add_attr(out, "href", st->original_url);
			strbuf_addstr(out, " rel=\"nofollow noopener noreferrer\" data-jiyue-external");
			add_style(out, link_style);
			strbuf_addch(out, '>');
			strbuf_add_html(out, st->original_url, strlen(st->original_url));
			strbuf_addstr(out, "</a>");
		} else {
			strbuf_addstr(out, "<jiyue-archived-url");
			add_style(out, text_style);
			strbuf_addch(out, '>');
			strbuf_add_html(out, st->original_url, strlen(st->original_url));
			strbuf_addstr(out, "</jiyue-archived-url>");
		}
	}
	if (st->index_url && *st->index_url) {
		strbuf_addstr(out, "　<a");
		add_attr(out, "href", st->index_url);
		add_style(out, link_style);
		strbuf_addstr(out, ">查看归档网站索引</a>");
	}
	strbuf_addstr(out, "</jiyue-archived>");
}

/*
 * The banner's inline styles cannot undo what a page does to its
 * ancestors: a page that faded in by script (body {opacity: 0} or
 * html {visibility: hidden}, then a script the copy no longer runs) or
 * that blurs, clips or shifts everything would take the banner with it.
 * These rules restore html and body.  In a cascade layer, their !important
 * beats every !important rule of the page's own (unlayered) stylesheets,
 * whatever its selector or order; browsers without layers skip them.
 * Still out of reach: display:none on body (no value is safe to restore),
 * layout offsets, style attributes, and an element after the banner with
 * the same highest z-index.
 */
const char html_stamp_style[] =
	"<style>@layer jiyue-archived{html,body{visibility:visible!important;"
	"opacity:1!important;filter:none!important;transform:none!important;"
	"clip-path:none!important;mask:none!important;"
	"content-visibility:visible!important;zoom:1!important}}</style>";

static void stamp_metas(const struct html_rewrite_opts *opt, int charset, struct strbuf *out)
{
	if (charset)
		strbuf_addstr(out, "<meta charset=\"utf-8\">");
	if (!opt->stamp)
		return;
	if (opt->stamp->date_iso) {
		strbuf_addstr(out, "<meta name=\"archived-date\"");
		add_attr(out, "content", opt->stamp->date_iso);
		strbuf_addch(out, '>');
	}
	if (opt->stamp->original_url) {
		strbuf_addstr(out, "<meta name=\"archived-from\"");
		add_attr(out, "content", opt->stamp->original_url);
		strbuf_addch(out, '>');
	}
	strbuf_addstr(out, html_stamp_style);
}

int html_rewrite(const char *utf8, size_t len, const struct html_rewrite_opts *opt,
		 struct strbuf *out)
{
	struct rw rw;
	size_t i;
	int nr;

	rw_init(&rw, utf8, len, opt, out);
	rw.top = 1;
	if (opt->stamp || opt->set_utf8) {
		rw_plan(&rw);
		stamp_metas(opt, opt->set_utf8 && !rw.plan.charset_early, &rw.metas);
		if (opt->stamp && rw.plan.banner)
			html_stamp_banner(opt->stamp, &rw.banner);
	}
	rw_run(&rw, 0, len);
	if (opt->on_splice)
		for (i = 0; i < rw.sp_nr; i++)
			opt->on_splice(opt->splice_ud, rw.sp[i].start, rw.sp[i].end, rw.sp[i].len);
	nr = rw.sp_nr > INT_MAX ? INT_MAX : (int)rw.sp_nr;
	rw_release(&rw);
	return nr;
}

/* ---- reading: title and dates ---- */

static void collapse_space(struct strbuf *sb)
{
	size_t i, k = 0;
	int space = 0;
	for (i = 0; i < sb->len; i++) {
		if (is_space((unsigned char)sb->buf[i])) {
			space = k > 0;
			continue;
		}
		if (space)
			sb->buf[k++] = ' ';
		space = 0;
		sb->buf[k++] = sb->buf[i];
	}
	strbuf_setlen(sb, k);
}

/* Could the page hold a <base> tag at all?  Most pages do not: no walk then. */
static int may_have_base(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	while ((p = memchr(p, '<', (size_t)(end - p))) && end - p >= 5) {
		if (!strncasecmp(p + 1, "base", 4))
			return 1;
		p++;
	}
	return 0;
}

int html_find_base(const char *utf8, size_t len, struct strbuf *out)
{
	struct walker w;
	struct strbuf v = STRBUF_INIT;
	int rc = -1;
	size_t i;
	if (!may_have_base(utf8, len))
		return -1;
	walker_init(&w, utf8, 0, len, 0);
	while (rc && walk_next(&w)) {
		if (w.t.type != T_START || !streq(w.t.name, "base"))
			continue;
		for (i = 0; i < w.t.nr; i++) {
			const struct attr *a = &w.t.attrs[i];
			const char *s;
			size_t n;
			if (!streq(a->lname, "href") || !a->has_value)
				continue;
			decode_refs(utf8 + a->val, a->val_end - a->val, 1, &v);
			s = v.buf;
			n = v.len;
			trim(&s, &n);
			strbuf_add(out, s, n);
			rc = 0;
			break;
		}
	}
	walker_release(&w);
	strbuf_release(&v);
	return rc;
}

int html_title(const char *utf8, size_t len, struct strbuf *out)
{
	struct walker w;
	struct strbuf t = STRBUF_INIT;
	int rc = -1;
	walker_init(&w, utf8, 0, len, 0);
	while (walk_next(&w)) {
		if (w.t.type != T_START || w.t.raw != RAW_RCDATA || !streq(w.t.name, "title"))
			continue;
		decode_refs(utf8 + w.t.raw_start, w.t.raw_end - w.t.raw_start, 0, &t);
		collapse_space(&t);
		if (t.len) {
			strbuf_addbuf(out, &t);
			rc = 0;
		}
		break;
	}
	walker_release(&w);
	strbuf_release(&t);
	return rc;
}

/* Tags inside which a date may run on: 2017年<span>5</span>月 */
static const char *const inline_tags[] = {
	"a", "abbr", "b", "big", "em", "font", "i", "label", "nobr", "s", "small", "span",
	"strike", "strong", "sub", "sup", "time", "tt", "u", "code",
};

/* Decode UTF-8 into code points, folding full-width digits and separators. */
static uint32_t *text_points(const char *s, size_t n, size_t *nr)
{
	uint32_t *cp = xmalloc((n + 1) * sizeof(*cp));
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k = 0;
	while (i < n) {
		uint32_t c = p[i];
		size_t len = 1;
		if (c >= 0xc0 && c < 0xe0 && i + 1 < n) {
			c = (c & 0x1f) << 6 | (p[i + 1] & 0x3f);
			len = 2;
		} else if (c >= 0xe0 && c < 0xf0 && i + 2 < n) {
			c = (c & 0x0f) << 12 | (uint32_t)(p[i + 1] & 0x3f) << 6 | (p[i + 2] & 0x3f);
			len = 3;
		} else if (c >= 0xf0 && i + 3 < n) {
			c = (c & 0x07) << 18 | (uint32_t)(p[i + 1] & 0x3f) << 12 |
			    (uint32_t)(p[i + 2] & 0x3f) << 6 | (p[i + 3] & 0x3f);
			len = 4;
		}
		if (c >= 0xff10 && c <= 0xff19)
			c = c - 0xff10 + '0';
		else if (c == 0xff0d || c == 0xff0e || c == 0xff0f)
			c = c - 0xff0d + '-';
		else if (c == 0x3000 || c == 0xa0)
			c = ' ';
		cp[k++] = c;
		i += len;
	}
	cp[k] = 0;
	*nr = k;
	return cp;
}

#define CN_YEAR 0x5e74
#define CN_MONTH 0x6708
#define CN_DAY 0x65e5
#define CN_HAO 0x53f7
#define CN_TEN 0x5341

/* A Chinese numeral digit 〇一二...九 (also ○, 零, Ｏ); -1 if not one.  Asked of every character. */
static int cn_digit(uint32_t c)
{
	switch (c) {
	case 0x3007: case 0x25cb: case 0x96f6: case 0xff2f: case 0x25ef:
		return 0;
	case 0x4e00: return 1;
	case 0x4e8c: return 2;
	case 0x4e09: return 3;
	case 0x56db: return 4;
	case 0x4e94: return 5;
	case 0x516d: return 6;
	case 0x4e03: return 7;
	case 0x516b: return 8;
	case 0x4e5d: return 9;
	default: return -1;
	}
}

/* A Chinese number 1..39 at c[i] (五, 十二, 二十, 三十一); -1 if none. */
static int cn_small(const uint32_t *c, size_t n, size_t *i)
{
	size_t j = *i;
	int v = 0, d;
	if (j < n && (d = cn_digit(c[j])) > 0 && j + 1 < n && c[j + 1] == CN_TEN) {
		v = d * 10;
		j += 2;
	} else if (j < n && c[j] == CN_TEN) {
		v = 10;
		j++;
	} else if (j < n && (d = cn_digit(c[j])) > 0) {
		*i = j + 1;
		return d;
	} else {
		return -1;
	}
	if (j < n && (d = cn_digit(c[j])) > 0) {
		v += d;
		j++;
	}
	*i = j;
	return v;
}

static int is_digit_cp(uint32_t c)
{
	return c >= '0' && c <= '9';
}

static size_t skip_blank(const uint32_t *c, size_t n, size_t i)
{
	while (i < n && c[i] == ' ')
		i++;
	return i;
}

static int digits(const uint32_t *c, size_t n, size_t *i, size_t min, size_t max)
{
	size_t j = *i;
	int v = 0;
	while (j < n && j - *i < max && is_digit_cp(c[j]))
		v = v * 10 + (int)(c[j++] - '0');
	if (j - *i < min || (j < n && is_digit_cp(c[j])))
		return -1;
	*i = j;
	return v;
}

static void consider(int y, int m, int d, const struct cdate *limit, struct cdate *best,
		     int *found)
{
	struct cdate c;
	c.year = y;
	c.month = m;
	c.day = d;
	if (y < 1990 || y > 2100 || !date_valid(&c))
		return;
	if (limit && date_cmp(&c, limit) > 0)
		return;
	if (!*found || date_cmp(&c, best) > 0)
		*best = c;
	*found = 1;
}

static void scan_dates(const uint32_t *c, size_t n, const struct cdate *limit,
		       struct cdate *best, int *found)
{
	size_t i;
	for (i = 0; i < n; i++) {
		size_t j = i;
		int y, m, d;
		if (is_digit_cp(c[i]) && (i == 0 || !is_digit_cp(c[i - 1]))) {
			y = digits(c, n, &j, 4, 4);
			if (y < 0)
				continue;
			if (j < n && (c[j] == '-' || c[j] == '/' || c[j] == '.')) {
				uint32_t sep = c[j++];
				if ((m = digits(c, n, &j, 1, 2)) < 0 || j >= n || c[j++] != sep ||
				    (d = digits(c, n, &j, 1, 2)) < 0)
					continue;
				/* 2017.05.12.3 is a version, not a date */
				if (sep == '.' && j + 1 < n && c[j] == '.' && is_digit_cp(c[j + 1]))
					continue;
				consider(y, m, d, limit, best, found);
				continue;
			}
			j = skip_blank(c, n, j);
			if (j >= n || c[j] != CN_YEAR)
				continue;
			j = skip_blank(c, n, j + 1);
			if ((m = digits(c, n, &j, 1, 2)) < 0)
				continue;
			j = skip_blank(c, n, j);
			if (j >= n || c[j] != CN_MONTH)
				continue;
			j = skip_blank(c, n, j + 1);
			if ((d = digits(c, n, &j, 1, 2)) < 0)
				continue;
			j = skip_blank(c, n, j);
			if (j < n && (c[j] == CN_DAY || c[j] == CN_HAO))
				consider(y, m, d, limit, best, found);
		} else if (cn_digit(c[i]) >= 0 && (i == 0 || cn_digit(c[i - 1]) < 0)) {
			/* 二〇一七年五月十二日, the style of official documents */
			int k, dg;
			y = 0;
			for (k = 0; k < 4; k++) {
				if (j >= n || (dg = cn_digit(c[j])) < 0)
					break;
				y = y * 10 + dg;
				j++;
			}
			if (k < 4 || j >= n || c[j] != CN_YEAR)
				continue;
			j++;
			if ((m = cn_small(c, n, &j)) < 0 || j >= n || c[j] != CN_MONTH)
				continue;
			j++;
			if ((d = cn_small(c, n, &j)) < 0 || j >= n ||
			    (c[j] != CN_DAY && c[j] != CN_HAO))
				continue;
			consider(y, m, d, limit, best, found);
		}
	}
}

/* What a token adds to the text dates are looked for in. */
static void date_text_add(const struct tok *t, const char *s, struct strbuf *text)
{
	if (t->type == T_TEXT) {
		decode_refs(s + t->start, t->end - t->start, 0, text);
	} else if (t->type == T_START && t->raw == RAW_RCDATA) {
		strbuf_addch(text, '\n');
		decode_refs(s + t->raw_start, t->raw_end - t->raw_start, 0, text);
		strbuf_addch(text, '\n');
	} else if ((t->type != T_START && t->type != T_END) || !IS_ONE_OF(t->name, inline_tags)) {
		strbuf_addch(text, '\n');
	}
}

static int newest_in_text(const struct strbuf *text, const struct cdate *limit, struct cdate *out)
{
	uint32_t *cp;
	size_t nr;
	int found = 0;
	cp = text_points(text->buf, text->len, &nr);
	scan_dates(cp, nr, limit, out, &found);
	free(cp);
	return found ? 0 : -1;
}

int html_newest_date_before(const char *utf8, size_t len, const struct cdate *limit,
			    struct cdate *out)
{
	struct walker w;
	struct strbuf text = STRBUF_INIT;
	int ret;

	walker_init(&w, utf8, 0, len, 0);
	while (walk_next(&w))
		date_text_add(&w.t, utf8, &text);
	walker_release(&w);
	ret = newest_in_text(&text, limit, out);
	strbuf_release(&text);
	return ret;
}

int html_newest_date(const char *utf8, size_t len, struct cdate *out)
{
	return html_newest_date_before(utf8, len, NULL, out);
}
