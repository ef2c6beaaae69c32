#include "archiver/url.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char hexdig[] = "0123456789ABCDEF";

/* Locale-free ctype: URLs are bytes, and the locale must not change a key. */
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alnum(int c) { return is_alpha(c) || is_digit(c); }
static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int to_lower(int c) { return is_upper(c) ? c + 32 : c; }

/* Case-insensitive equality of n bytes, ASCII only, whatever the locale (Turkish I). */
static int ascii_ncaseeq(const char *a, const char *b, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (to_lower((unsigned char)a[i]) != to_lower((unsigned char)b[i]))
			return 0;
	return 1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Is s[i] the start of a "%XX" escape (any case)?  Returns the byte or -1. */
static int escape_at(const char *s, size_t len, size_t i)
{
	int h, l;
	if (s[i] != '%' || i + 2 >= len)
		return -1;
	h = hexval((unsigned char)s[i + 1]);
	l = hexval((unsigned char)s[i + 2]);
	return h < 0 || l < 0 ? -1 : h * 16 + l;
}

static void add_escape(struct strbuf *sb, unsigned c)
{
	char e[3] = { '%', hexdig[(c >> 4) & 15], hexdig[c & 15] };
	strbuf_add(sb, e, 3);
}

static int is_unreserved(int c)
{
	return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Bytes the normal form always percent-encodes (asked for every byte of every link). */
static int must_encode(int c)
{
	switch (c) {
	case '"': case '<': case '>': case '\\': case '^': case '`': case '{': case '|': case '}':
		return 1;
	default:
		return c <= 0x20 || c >= 0x7f;
	}
}

static void lower_str(char *s)
{
	for (; *s; s++)
		*s = (char)to_lower((unsigned char)*s);
}

/*
 * Normalise the percent-encoding of a path or query: decode unreserved,
 * upper-case the rest, "%25" for a stray '%', encode what must be.
 */
static void normalize_pct(const char *s, size_t len, struct strbuf *out)
{
	size_t i, run;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		/* most bytes stay as they are: copy them a run at a time */
		for (run = i; run < len && s[run] != '%' && !must_encode((unsigned char)s[run]); run++)
			;
		if (run > i) {
			strbuf_add(out, s + i, run - i);
			i = run - 1;
			continue;
		}
		if (c == '%') {
			int b = escape_at(s, len, i);
			if (b < 0) {
				strbuf_addstr(out, "%25");
			} else {
				if (is_unreserved(b))
					strbuf_addch(out, b);
				else
					add_escape(out, (unsigned)b);
				i += 2;
			}
		} else if (must_encode(c)) {
			add_escape(out, c);
		} else {
			strbuf_addch(out, c);
		}
	}
}

/*
 * RFC 3986 5.2.4 on a path starting with '/': "." and ".." segments go, a
 * final one leaves a trailing slash, ".." never climbs above the root.
 */
static void remove_dot_segments(const char *path, struct strbuf *out)
{
	struct strbuf res = STRBUF_INIT;
	const char *p = path + 1;
	if (!strstr(path, "/.")) {
		strbuf_addstr(out, path); /* no dot segment: most paths */
		return;
	}
	for (;;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int last = !e;
		if (n == 1 && p[0] == '.') {
			if (last)
				strbuf_addch(&res, '/');
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			/* drop the last output segment, keep its leading '/' */
			char *slash = res.len ? strrchr(res.buf, '/') : NULL;
			if (slash)
				strbuf_setlen(&res, (size_t)(slash - res.buf));
			if (last)
				strbuf_addch(&res, '/');
		} else {
			strbuf_addch(&res, '/');
			strbuf_add(&res, p, n);
		}
		if (last)
			break;
		p = e + 1;
	}
	if (!res.len)
		strbuf_addch(&res, '/');
	strbuf_addbuf(out, &res);
	strbuf_release(&res);
}

/* ---- hosts: IDNA (punycode), IPv4 numbers, validation ---- */

/* Decode one UTF-8 character at p (n bytes left); 0 if invalid, else its length. */
static size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned c = p[0];
	size_t len, i;
	uint32_t v;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/*
 * The little of IDNA's mapping that matters for real host names: ASCII and
 * fullwidth letters to lower case, the ideographic full stops to '.', and
 * the simple upper-case letters of Latin-1, Greek and Cyrillic.
 */
static uint32_t idna_map(uint32_t c)
{
	if (c >= 0xff01 && c <= 0xff5e)
		c -= 0xfee0;
	if (c == 0x3002 || c == 0xff0e || c == 0xff61)
		return '.';
	if (c < 0x80)
		return (uint32_t)to_lower((int)c);
	if ((c >= 0xc0 && c <= 0xde && c != 0xd7) || (c >= 0x391 && c <= 0x3ab && c != 0x3a2) ||
	    (c >= 0x410 && c <= 0x42f))
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;
	return c;
}

static char puny_digit(uint32_t d)
{
	return (char)(d < 26 ? 'a' + d : '0' + d - 26);
}

static uint32_t puny_adapt(uint32_t delta, uint32_t numpoints, int first)
{
	uint32_t k = 0;
	delta = first ? delta / 700 : delta / 2;
	delta += delta / numpoints;
	while (delta > ((36 - 1) * 26) / 2) {
		delta /= 36 - 1;
		k += 36;
	}
	return k + (36 * delta) / (delta + 38);
}

/* RFC 3492 encoding of one label of code points; -1 on overflow. */
static int punycode(const uint32_t *cps, size_t n, struct strbuf *out)
{
	uint32_t cpn = 128, delta = 0, bias = 72, h, b = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		if (cps[i] < 0x80) {
			strbuf_addch(out, (int)cps[i]);
			b++;
		}
	}
	h = b;
	if (b)
		strbuf_addch(out, '-');
	while (h < n) {
		uint32_t m = UINT32_MAX;
		for (i = 0; i < n; i++)
			if (cps[i] >= cpn && cps[i] < m)
				m = cps[i];
		if ((uint64_t)(m - cpn) * (h + 1) + delta > UINT32_MAX)
			return -1;
		delta += (m - cpn) * (h + 1);
		cpn = m;
		for (i = 0; i < n; i++) {
			if (cps[i] < cpn && ++delta == 0)
				return -1;
			if (cps[i] == cpn) {
				uint32_t q = delta, k;
				for (k = 36;; k += 36) {
					uint32_t t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
					if (q < t)
						break;
					strbuf_addch(out, puny_digit(t + (q - t) % (36 - t)));
					q = (q - t) / (36 - t);
				}
				strbuf_addch(out, puny_digit(q));
				bias = puny_adapt(delta, h + 1, h == b);
				delta = 0;
				h++;
			}
		}
		delta++;
		cpn++;
	}
	return 0;
}

/*
 * What nameprep (RFC 3491) prohibits, roughly: non-ASCII spaces and
 * controls, format characters, surrogates, private use, non-characters,
 * U+FFF9-U+FFFD, tags.
 */
static int idna_prohibited(uint32_t c)
{
	return (c >= 0x80 && c <= 0xa0) || c == 0x1680 || (c >= 0x2000 && c <= 0x200f) ||
		(c >= 0x2028 && c <= 0x202f) || (c >= 0x205f && c <= 0x206f) || c == 0x3000 ||
		(c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfdd0 && c <= 0xfdef) || c == 0xfeff ||
		(c >= 0xfff9 && c <= 0xffff) || (c & 0xfffe) == 0xfffe || c >= 0xe0000;
}

/* A host with non-ASCII bytes to its ASCII form; -1 if it is not UTF-8 or not a name. */
static int idna_to_ascii(const char *s, size_t len, struct strbuf *out)
{
	uint32_t *cps = xmalloc((len + 1) * sizeof(*cps));
	size_t n = 0, i = 0, start;
	int ret = 0;
	while (i < len) {
		uint32_t cp;
		size_t k = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (!k || idna_prohibited(cp)) {
			free(cps);
			return -1;
		}
		cps[n++] = idna_map(cp);
		i += k;
	}
	for (start = 0, i = 0; i <= n && !ret; i++) {
		if (i < n && cps[i] != '.')
			continue;
		if (i > start) {
			size_t j;
			int ascii = 1;
			for (j = start; j < i; j++)
				if (cps[j] >= 0x80)
					ascii = 0;
			if (ascii) {
				for (j = start; j < i; j++)
					strbuf_addch(out, (int)cps[j]);
			} else {
				strbuf_addstr(out, "xn--");
				ret = punycode(cps + start, i - start, out);
			}
		}
		if (i < n)
			strbuf_addch(out, '.');
		start = i + 1;
	}
	free(cps);
	return ret;
}

/* One part of a WHATWG IPv4 address: decimal, 0x hex or 0 octal. */
static int ipv4_number(const char *s, size_t len, uint64_t *v)
{
	int base = 10;
	size_t i;
	*v = 0;
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		len -= 2;
	} else if (len >= 2 && s[0] == '0') {
		base = 8;
		s++;
		len--;
	}
	if (!len)
		return base == 10 ? -1 : 0;
	for (i = 0; i < len; i++) {
		int d = hexval((unsigned char)s[i]);
		if (d < 0 || d >= base)
			return -1;
		*v = *v * (uint64_t)base + (uint64_t)d;
		if (*v > 0xffffffffULL)
			return -1;
	}
	return 0;
}

/* Does the host's last label make it an IPv4 address (WHATWG "ends in a number")? */
static int ends_in_number(const char *h)
{
	const char *last = strrchr(h, '.');
	size_t i, n;
	last = last ? last + 1 : h;
	n = strlen(last);
	if (!n)
		return 0;
	for (i = 0; i < n && is_digit(last[i]); i++)
		;
	if (i == n)
		return 1;
	if (n >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X')) {
		for (i = 2; i < n && hexval((unsigned char)last[i]) >= 0; i++)
			;
		return i == n;
	}
	return 0;
}

/* Dotted decimal, by hand, not printf: every link of a crawl on an IP address comes here. */
static void add_ipv4(struct strbuf *out, uint64_t addr)
{
	int i;
	for (i = 0; i < 4; i++) {
		char d[4];
		unsigned b = (unsigned)(addr >> (24 - 8 * i)) & 255;
		size_t k = sizeof(d);
		do
			d[--k] = (char)('0' + b % 10);
		while ((b /= 10));
		if (i)
			strbuf_addch(out, '.');
		strbuf_add(out, d + k, sizeof(d) - k);
	}
}

static int ipv4_parse(const char *h, struct strbuf *out)
{
	uint64_t parts[4], addr = 0;
	size_t n = 0, i;
	const char *p = h;
	for (;;) {
		const char *e = strchr(p, '.');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (n == 4 || ipv4_number(p, len, &parts[n]))
			return -1;
		n++;
		if (!e)
			break;
		p = e + 1;
	}
	for (i = 0; i + 1 < n; i++) {
		if (parts[i] > 255)
			return -1;
		addr = addr * 256 + parts[i];
	}
	if (parts[n - 1] >= (1ULL << (8 * (5 - n))))
		return -1;
	addr = (addr << (8 * (5 - n))) + parts[n - 1];
	add_ipv4(out, addr);
	return 0;
}

/* Parse and normalise the host s[0..len) into out; 0 or -1. */
static int parse_host(const char *s, size_t len, struct strbuf *out)
{
	struct strbuf dec = STRBUF_INIT, name = STRBUF_INIT;
	size_t i, label = 0;
	int ret = -1, high = 0;

	if (len && s[0] == '[') {
		int colon = 0;
		if (len < 4 || s[len - 1] != ']')
			return -1;
		for (i = 1; i + 1 < len; i++) {
			int c = (unsigned char)s[i];
			if (c == ':')
				colon = 1;
			else if (hexval(c) < 0 && c != '.')
				return -1;
		}
		if (!colon)
			return -1;
		for (i = 0; i < len; i++)
			strbuf_addch(out, to_lower((unsigned char)s[i]));
		return 0;
	}
	for (i = 0; i < len; i++) {
		int b = escape_at(s, len, i);
		if (s[i] == '%' && b < 0)
			goto done;
		if (b >= 0) {
			strbuf_addch(&dec, b);
			i += 2;
		} else {
			strbuf_addch(&dec, s[i]);
		}
		if ((unsigned char)dec.buf[dec.len - 1] >= 0x80)
			high = 1;
	}
	if (high) {
		if (idna_to_ascii(dec.buf, dec.len, &name))
			goto done;
	} else {
		strbuf_addbuf(&name, &dec);
	}
	lower_str(name.buf);
	if (name.len && name.buf[name.len - 1] == '.')
		strbuf_setlen(&name, name.len - 1);
	if (!name.len || name.len > 253)
		goto done;
	for (i = 0; i <= name.len; i++) {
		int c = i < name.len ? (unsigned char)name.buf[i] : '.';
		if (c == '.') {
			if (i == label || i - label > 63)
				goto done;
			label = i + 1;
		} else if (!is_alnum(c) && c != '-' && c != '_') {
			goto done;
		}
	}
	if (ends_in_number(name.buf))
		ret = ipv4_parse(name.buf, out);
	else {
		strbuf_addbuf(out, &name);
		ret = 0;
	}
done:
	strbuf_release(&dec);
	strbuf_release(&name);
	return ret;
}

/*
 * Split "host[:port]" (no userinfo) and normalise both; port is -1 when
 * absent or empty ("host:").  0 or -1.
 */
static int parse_hostport(const char *s, size_t len, struct strbuf *host, long *port)
{
	size_t hlen = len, i;
	*port = -1;
	if (len && s[0] == '[') {
		const char *rb = memchr(s, ']', len);
		if (!rb)
			return -1;
		hlen = (size_t)(rb - s) + 1;
		if (hlen < len && s[hlen] != ':')
			return -1;
	} else {
		const char *colon = memchr(s, ':', len);
		if (colon)
			hlen = (size_t)(colon - s);
	}
	if (hlen < len) {
		long v = 0;
		for (i = hlen + 1; i < len; i++) {
			if (!is_digit(s[i]))
				return -1;
			v = v * 10 + (s[i] - '0');
			if (v > 65535)
				return -1;
		}
		if (hlen + 1 < len)
			*port = v;
	}
	return parse_host(s, hlen, host);
}

static int default_port(const char *scheme)
{
	return !strcmp(scheme, "https") ? 443 : 80;
}

/* Length of a scheme ("http:" -> 4) at the start of s, or 0. */
static size_t scheme_len(const char *s)
{
	size_t i;
	if (!is_alpha((unsigned char)s[0]))
		return 0;
	for (i = 1; s[i] && (is_alnum((unsigned char)s[i]) || strchr("+-.", s[i])); i++)
		;
	return s[i] == ':' ? i : 0;
}

static int http_scheme(const char *s, size_t n, const char **canon)
{
	if (n == 4 && ascii_ncaseeq(s, "http", 4))
		*canon = "http";
	else if (n == 5 && ascii_ncaseeq(s, "https", 5))
		*canon = "https";
	else
		return 0;
	return 1;
}

int url_parse(const char *abs, struct url *u)
{
	struct strbuf host = STRBUF_INIT, path = STRBUF_INIT, tmp = STRBUF_INIT;
	const char *scheme, *p, *auth, *at, *q;
	size_t n, alen, i;
	long port;

	memset(u, 0, sizeof(*u));
	u->port = -1;
	for (i = 0; abs[i]; i++)
		if ((unsigned char)abs[i] < 0x20 || abs[i] == 0x7f)
			return -1;
	n = scheme_len(abs);
	if (!n || !http_scheme(abs, n, &scheme))
		return -1;
	p = abs + n + 1;
	while (*p == '/')
		p++;
	auth = p;
	alen = strcspn(auth, "/?#");
	p = auth + alen;
	/* userinfo is never kept: the host is what follows the last '@' */
	for (at = NULL, i = 0; i < alen; i++)
		if (auth[i] == '@')
			at = auth + i;
	if (at) {
		alen -= (size_t)(at + 1 - auth);
		auth = at + 1;
	}
	if (parse_hostport(auth, alen, &host, &port))
		goto fail;
	if (port == default_port(scheme))
		port = -1;

	/* after the authority the path starts with '/' or is empty */
	n = strcspn(p, "?#");
	if (n)
		normalize_pct(p, n, &tmp);
	else
		strbuf_addch(&tmp, '/');
	remove_dot_segments(tmp.buf, &path);
	p += n;

	u->scheme = xstrdup(scheme);
	u->host = strbuf_detach(&host, NULL);
	u->port = (int)port;
	u->path = strbuf_detach(&path, NULL);
	if (*p == '?') {
		q = p + 1;
		strbuf_reset(&tmp);
		normalize_pct(q, strcspn(q, "#"), &tmp);
		u->query = strbuf_detach(&tmp, NULL);
	}
	strbuf_release(&tmp);
	return 0;
fail:
	strbuf_release(&host);
	strbuf_release(&path);
	strbuf_release(&tmp);
	return -1;
}

void url_release(struct url *u)
{
	free(u->scheme);
	free(u->host);
	free(u->path);
	free(u->query);
	memset(u, 0, sizeof(*u));
	u->port = -1;
}

static void add_hostport(const struct url *u, struct strbuf *out)
{
	char digits[16], *d = digits + sizeof(digits);
	int port = u->port;
	strbuf_addstr(out, u->host);
	if (port < 0)
		return;
	do {
		*--d = (char)('0' + port % 10);
		port /= 10;
	} while (port);
	*--d = ':';
	strbuf_add(out, d, (size_t)(digits + sizeof(digits) - d));
}

void url_format(const struct url *u, struct strbuf *out)
{
	strbuf_addstr(out, u->scheme);
	strbuf_addstr(out, "://");
	add_hostport(u, out);
	strbuf_addstr(out, u->path);
	if (u->query) {
		strbuf_addch(out, '?');
		strbuf_addstr(out, u->query);
	}
}

int url_normalize(const char *abs, struct strbuf *out)
{
	struct url u;
	if (url_parse(abs, &u))
		return -1;
	url_format(&u, out);
	url_release(&u);
	return 0;
}

int url_hostport(const char *abs, struct strbuf *out)
{
	struct url u;
	if (url_parse(abs, &u))
		return -1;
	add_hostport(&u, out);
	url_release(&u);
	return 0;
}

int url_resolve(const char *base, const char *ref, struct strbuf *out)
{
	struct url b;
	int ret;
	if (url_parse(base, &b))
		return -1;
	ret = url_resolve_parsed(&b, ref, out);
	url_release(&b);
	return ret;
}

/*
 * What url_normalize() makes of "SCHEME://HOST" + pq, where pq (a path
 * starting with '/', and a query) follows the already normal authority of
 * b: the same steps as url_parse() takes after the authority, without
 * parsing and formatting the host again for every link of a page.
 */
/* Could the normalised path pq[0..n) hold a "." or ".." segment? ("%2e" decodes to '.') */
static int may_have_dot_segment(const char *pq, size_t n)
{
	size_t i;
	for (i = 0; i + 1 < n; i++)
		if (pq[i] == '/' && (pq[i + 1] == '.' || pq[i + 1] == '%'))
			return 1;
	return 0;
}

static int format_in_authority(const struct url *b, const char *pq, struct strbuf *out)
{
	struct strbuf tmp = STRBUF_INIT, path = STRBUF_INIT;
	const char *p;
	size_t n;
	for (p = pq; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return -1;
	n = strcspn(pq, "?#");
	strbuf_addstr(out, b->scheme);
	strbuf_addstr(out, "://");
	add_hostport(b, out);
	if (!n) {
		strbuf_addch(out, '/');
	} else if (!may_have_dot_segment(pq, n)) {
		normalize_pct(pq, n, out); /* most links: no temporary copies */
	} else {
		normalize_pct(pq, n, &tmp);
		remove_dot_segments(tmp.buf, &path);
		strbuf_addbuf(out, &path);
	}
	p = pq + n;
	if (*p == '?') {
		strbuf_addch(out, '?');
		normalize_pct(p + 1, strcspn(p + 1, "#"), out);
	}
	strbuf_release(&tmp);
	strbuf_release(&path);
	return 0;
}

int url_resolve_parsed(const struct url *base, const char *ref, struct strbuf *out)
{
	const struct url b = *base;
	struct strbuf r = STRBUF_INIT, t = STRBUF_INIT;
	const char *s, *end, *scheme = NULL;
	size_t n, i, plen;
	int ret = -1;

	/* browsers trim C0 controls and spaces, and drop tabs and newlines */
	s = ref;
	end = ref + strlen(ref);
	while (s < end && (unsigned char)*s <= 0x20)
		s++;
	while (end > s && (unsigned char)end[-1] <= 0x20)
		end--;
	strbuf_grow(&r, (size_t)(end - s));
	while (s < end) {
		const char *run = s;
		while (s < end && *s != '\t' && *s != '\n' && *s != '\r')
			s++;
		strbuf_add(&r, run, (size_t)(s - run));
		if (s < end)
			s++;
	}

	n = scheme_len(r.buf);
	if (n && !http_scheme(r.buf, n, &scheme))
		goto done;
	/* for http(s), '\' is '/' everywhere before the query */
	for (i = 0; i < r.len && r.buf[i] != '?' && r.buf[i] != '#'; i++)
		if (r.buf[i] == '\\')
			r.buf[i] = '/';
	s = r.buf;
	if (n) {
		s += n + 1;
		if (strcmp(scheme, b.scheme) || (s[0] == '/' && s[1] == '/')) {
			while (*s == '/')
				s++;
			strbuf_addf(&t, "%s://%s", scheme, s);
			ret = url_normalize(t.buf, out);
			goto done;
		}
		/* "http:g" on an http base is a relative reference */
	}
	if (s[0] == '/' && s[1] == '/') {
		while (*s == '/')
			s++;
		strbuf_addf(&t, "%s://%s", b.scheme, s);
		ret = url_normalize(t.buf, out);
		goto done;
	}

	/* a reference within the base's authority: path and query only */
	plen = strcspn(s, "?#");
	if (!plen) {
		strbuf_addstr(&t, b.path);
		if (s[0] == '?')
			strbuf_add(&t, s, strcspn(s, "#"));
		else if (b.query) {
			strbuf_addch(&t, '?');
			strbuf_addstr(&t, b.query);
		}
	} else {
		if (s[0] != '/') {
			const char *slash = strrchr(b.path, '/');
			strbuf_add(&t, b.path, (size_t)(slash - b.path) + 1);
		}
		strbuf_add(&t, s, strcspn(s, "#"));
	}
	ret = format_in_authority(&b, t.buf, out);
done:
	strbuf_release(&r);
	strbuf_release(&t);
	return ret;
}

/* ---- canonical form ---- */

struct qparam {
	const char *p;
	size_t len, nlen; /* the whole "name=value", the name */
	int has_eq;
	size_t idx;
};

static int cmp_bytes(const char *a, size_t na, const char *b, size_t nb)
{
	int c = memcmp(a, b, na < nb ? na : nb);
	if (c)
		return c;
	return na < nb ? -1 : na > nb;
}

static int cmp_qparam(const void *va, const void *vb)
{
	const struct qparam *a = va, *b = vb;
	int c = cmp_bytes(a->p, a->nlen, b->p, b->nlen);
	if (!c)
		c = a->has_eq - b->has_eq;
	if (!c && a->has_eq)
		c = cmp_bytes(a->p + a->nlen + 1, a->len - a->nlen - 1,
			      b->p + b->nlen + 1, b->len - b->nlen - 1);
	if (!c) /* qsort is not stable: the original order breaks ties */
		c = a->idx < b->idx ? -1 : a->idx > b->idx;
	return c;
}

static int keep_param(const char *name, size_t n, const char *const *keep, size_t nkeep)
{
	struct strbuf k = STRBUF_INIT;
	size_t i;
	int found = 0;
	if (!keep || !nkeep)
		return 1;
	for (i = 0; i < nkeep && !found; i++) {
		strbuf_reset(&k);
		normalize_pct(keep[i], strlen(keep[i]), &k);
		found = k.len == n && ascii_ncaseeq(k.buf, name, n);
	}
	strbuf_release(&k);
	return found;
}

/* Sort the query's parameters and keep the significant ones; NULL if none is left. */
static char *reduce_query(const char *q, const char *const *keep, size_t nkeep)
{
	struct qparam *v = NULL;
	size_t nr = 0, alloc = 0, i;
	struct strbuf out = STRBUF_INIT;
	const char *p = q;
	for (;;) {
		size_t len = strcspn(p, "&");
		if (len) {
			const char *eq = memchr(p, '=', len);
			size_t nlen = eq ? (size_t)(eq - p) : len;
			if (keep_param(p, nlen, keep, nkeep)) {
				ALLOC_GROW(v, nr + 1, alloc);
				v[nr].p = p;
				v[nr].len = len;
				v[nr].nlen = nlen;
				v[nr].has_eq = !!eq;
				v[nr].idx = nr;
				nr++;
			}
		}
		if (!p[len])
			break;
		p += len + 1;
	}
	if (nr)
		qsort(v, nr, sizeof(*v), cmp_qparam);
	for (i = 0; i < nr; i++) {
		if (i)
			strbuf_addch(&out, '&');
		strbuf_add(&out, v[i].p, v[i].len);
	}
	free(v);
	return nr ? strbuf_detach(&out, NULL) : NULL;
}

/* Split an alias ("host", "host:port", or a URL) into normal host and raw port. */
static int parse_alias(const char *alias, struct strbuf *host, long *port)
{
	const char *s = strstr(alias, "://");
	s = s ? s + 3 : alias;
	return parse_hostport(s, strcspn(s, "/?#"), host, port);
}

void url_hosts_init(struct url_hosts *uh, const char *const *hosts, size_t nhosts)
{
	struct strbuf h = STRBUF_INIT;
	size_t i;
	memset(uh, 0, sizeof(*uh));
	if (!hosts || !nhosts)
		return;
	uh->host = xcalloc(nhosts, sizeof(*uh->host));
	uh->port = xcalloc(nhosts, sizeof(*uh->port));
	uh->nr = nhosts;
	for (i = 0; i < nhosts; i++) {
		strbuf_reset(&h);
		if (!parse_alias(hosts[i], &h, &uh->port[i]))
			uh->host[i] = xstrdup(h.buf);
	}
	strbuf_release(&h);
}

void url_hosts_release(struct url_hosts *uh)
{
	size_t i;
	for (i = 0; i < uh->nr; i++)
		free(uh->host[i]);
	free(uh->host);
	free(uh->port);
	memset(uh, 0, sizeof(*uh));
}

/* Fold an alias host[:port] of the site onto its canonical one. */
static void fold_host(struct url *u, const struct url_hosts *uh)
{
	size_t i;
	for (i = 0; i < uh->nr; i++) {
		long port = uh->port[i];
		if (!uh->host[i] || strcmp(uh->host[i], u->host))
			continue;
		if (port == default_port(u->scheme))
			port = -1;
		if (port != u->port)
			continue;
		if (uh->host[0]) {
			free(u->host);
			u->host = xstrdup(uh->host[0]);
			u->port = uh->port[0] == default_port(u->scheme) ? -1 : (int)uh->port[0];
		}
		return;
	}
}

int url_canonical_in(const char *abs, const char *const *keep, size_t nkeep,
		     const struct url_hosts *uh, struct strbuf *out)
{
	struct url u;
	if (url_parse(abs, &u))
		return -1;
	if (uh)
		fold_host(&u, uh);
	if (u.query) {
		char *q = reduce_query(u.query, keep, nkeep);
		free(u.query);
		u.query = q;
	}
	url_format(&u, out);
	url_release(&u);
	return 0;
}

int url_canonical(const char *abs, const char *const *keep, size_t nkeep,
		  const char *const *hosts, size_t nhosts, struct strbuf *out)
{
	struct url_hosts uh;
	int ret;
	url_hosts_init(&uh, hosts, nhosts);
	ret = url_canonical_in(abs, keep, nkeep, &uh, out);
	url_hosts_release(&uh);
	return ret;
}

/* ---- the file of a URL in the browsable copy ---- */

#define NAME_MAX_BYTES 200
#define NAME_PREFIX_BYTES 120
#define PATH_MAX_BYTES 1024

/*
 * Characters that may appear decoded in file names: caseless (so that a
 * case-insensitive file system cannot fold two names together), without a
 * canonical decomposition (so that macOS's normalisation cannot either),
 * visible, and not a fullwidth or small look-alike of a character Windows
 * forbids, which its "best fit" conversion would turn into the real one.
 */
static int decodable(uint32_t c)
{
	static const uint32_t ranges[][2] = {
		{ 0xa1, 0xa9 }, { 0xab, 0xac }, { 0xae, 0xb1 }, { 0xb4, 0xb4 },
		{ 0xb6, 0xb8 }, { 0xbb, 0xbf }, { 0xd7, 0xd7 }, { 0xf7, 0xf7 },
		{ 0x2010, 0x2023 }, { 0x2026, 0x2027 }, { 0x2030, 0x2043 },
		{ 0x2045, 0x205e }, { 0x2190, 0x2214 }, { 0x2216, 0x2328 },
		{ 0x232b, 0x23ff }, { 0x2460, 0x24b5 }, { 0x2500, 0x2bff },
		{ 0x2e80, 0x2fdf }, { 0x3001, 0x3029 }, { 0x3030, 0x303f },
		{ 0x3041, 0x3096 }, { 0x309b, 0x30ff }, { 0x3105, 0x312f },
		{ 0x3131, 0x318e }, { 0x3190, 0x33ff }, { 0x3400, 0x4dbf },
		{ 0x4dc0, 0x9fff }, { 0xa000, 0xa48c }, { 0xa490, 0xa4c6 },
		{ 0xac00, 0xd7a3 }, { 0xfe10, 0xfe19 }, { 0xfe30, 0xfe51 },
		{ 0xfe53, 0xfe54 }, { 0xfe57, 0xfe60 }, { 0xfe62, 0xfe63 },
		{ 0xfe66, 0xfe67 }, { 0xfe69, 0xfe6b }, { 0xff01, 0xff20 },
		{ 0xff3b, 0xff40 }, { 0xff5b, 0xff65 }, { 0xff66, 0xff9f },
		{ 0xffe0, 0xffe6 }, { 0x20000, 0x2a6df }, { 0x2a700, 0x2ebef },
		{ 0x30000, 0x3134f },
	};
	/* fullwidth " * . / : < > ? \ | */
	static const uint32_t lookalike[] = {
		0xff02, 0xff0a, 0xff0e, 0xff0f, 0xff1a, 0xff1c, 0xff1e, 0xff1f,
		0xff3c, 0xff5c,
	};
	size_t i;
	for (i = 0; i < sizeof(lookalike) / sizeof(*lookalike); i++)
		if (c == lookalike[i])
			return 0;
	for (i = 0; i < sizeof(ranges) / sizeof(*ranges); i++)
		if (c >= ranges[i][0] && c <= ranges[i][1])
			return 1;
	return 0;
}

/* If the escapes at x[i] spell one decodable character, append it and return the escapes used. */
static size_t decode_char(const char *x, size_t len, size_t i, struct strbuf *out)
{
	unsigned char b[4];
	size_t need, k;
	uint32_t cp;
	int lead = escape_at(x, len, i);
	if (lead >= 0xc2 && lead <= 0xdf)
		need = 2;
	else if (lead >= 0xe0 && lead <= 0xef)
		need = 3;
	else if (lead >= 0xf0 && lead <= 0xf4)
		need = 4;
	else
		return 0;
	for (k = 0; k < need; k++) {
		int v = i + 3 * k < len ? escape_at(x, len, i + 3 * k) : -1;
		if (v < 0)
			return 0;
		b[k] = (unsigned char)v;
	}
	if (utf8_decode(b, need, &cp) != need || !decodable(cp))
		return 0;
	strbuf_add(out, b, need);
	return need;
}

static void add_marker_escape(struct strbuf *out, unsigned b)
{
	strbuf_addch(out, '@');
	strbuf_addch(out, hexdig[(b >> 4) & 15]);
	strbuf_addch(out, hexdig[b & 15]);
}

/* Length of a Windows device name at the start of s (before any '.'), or 0. */
static size_t device_stem(const char *s, size_t len)
{
	static const char *const names[] = { "con", "prn", "aux", "nul", "conin$", "conout$" };
	size_t stem = 0, i;
	while (stem < len && s[stem] != '.')
		stem++;
	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (stem == strlen(names[i]) && ascii_ncaseeq(s, names[i], stem))
			return stem;
	if (stem == 4 && (ascii_ncaseeq(s, "com", 3) || ascii_ncaseeq(s, "lpt", 3)) && is_digit(s[3]))
		return stem;
	return 0;
}

/*
 * If s[0..len) ends in an extension (a '.' that is not the first byte, then
 * 1 to 12 ASCII letters or digits), the index of that '.', else 0.
 */
static size_t ext_dot(const char *s, size_t len)
{
	size_t i = len;
	while (i > 0 && is_alnum((unsigned char)s[i - 1]))
		i--;
	if (i < 2 || i == len || len - i > 12 || s[i - 1] != '.')
		return 0;
	return i - 1;
}

enum text_kind { T_FILE, T_DIR, T_QUERY };

/*
 * T(x) of url.h: append the name text of a normalised segment or query to
 * out, and '0' or '1' to cases for each ASCII letter copied as it is.
 */
static void add_text(const char *x, size_t len, enum text_kind kind,
		     struct strbuf *out, struct strbuf *cases)
{
	size_t i, dev = SIZE_MAX, dot = SIZE_MAX;
	if (kind != T_QUERY) {
		size_t stem = device_stem(x, len);
		if (stem)
			dev = stem - 1;
	}
	if (kind == T_DIR && ext_dot(x, len))
		dot = ext_dot(x, len);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)x[i];
		int b = escape_at(x, len, i);
		if (b >= 0) {
			size_t k = b >= 0x80 ? decode_char(x, len, i, out) : 0;
			if (k) {
				i += 3 * k - 1;
				continue;
			}
			/* what path_join_safe() would refuse even encoded */
			if (b < 0x20 || b == 0x7f || b == '/' || b == '\\')
				add_marker_escape(out, (unsigned)b | 0x80);
			else
				add_escape(out, (unsigned)b);
			i += 2;
		} else if (c >= 0x80 || c < 0x20 || c == 0x7f || c == '\\') {
			/* never in a normal form; kept out of names all the same */
			add_marker_escape(out, c | 0x80);
		} else if (c == '@' || c == ':' || c == '*' || c == '%' ||
			   (kind == T_QUERY && (c == '/' || c == '?')) ||
			   (kind != T_QUERY && c == '.' && (i == 0 || i + 1 == len)) ||
			   i == dev || i == dot) {
			add_marker_escape(out, c);
		} else {
			if (is_alpha(c))
				strbuf_addch(cases, is_upper(c) ? '1' : '0');
			strbuf_addch(out, c);
		}
	}
}

/* The @u field's hex from the cases string; nothing when all are lower case. */
static void add_case_mask(const struct strbuf *cases, struct strbuf *out)
{
	size_t i, n = 0;
	for (i = 0; i < cases->len; i++)
		if (cases->buf[i] == '1')
			n = i / 4 + 1;
	for (i = 0; i < n; i++) {
		unsigned v = 0, j;
		for (j = 0; j < 4 && 4 * i + j < cases->len; j++)
			if (cases->buf[4 * i + j] == '1')
				v |= 1u << j;
		strbuf_addch(out, "0123456789abcdef"[v]);
	}
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;
	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* "@h" and the hash of role, text and query (NULL: none). */
static void add_hash(struct strbuf *out, char role, const char *text, size_t len, const char *query)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	h = fnv1a(h, &role, 1);
	h = fnv1a(h, text, len);
	if (query) {
		h = fnv1a(h, "\0?", 2);
		h = fnv1a(h, query, strlen(query));
	}
	strbuf_addf(out, "@h%016llx", (unsigned long long)h);
}

/* Append the first <= max bytes of name text t, cut between whole characters and escapes. */
static void add_prefix(struct strbuf *out, const struct strbuf *t, size_t max)
{
	size_t i = 0;
	while (i < t->len) {
		unsigned char c = (unsigned char)t->buf[i];
		size_t n = 1;
		if (c == '%' || c == '@')
			n = 3;
		else if (c >= 0xf0)
			n = 4;
		else if (c >= 0xe0)
			n = 3;
		else if (c >= 0xc0)
			n = 2;
		if (i + n > max || i + n > t->len)
			break;
		i += n;
	}
	strbuf_add(out, t->buf, i);
}

/* ---- types and extensions ---- */

struct mime_ext {
	const char *type;
	const char *exts; /* the first is the one appended */
};

static const struct mime_ext mime_exts[] = {
	{ "text/html", "html htm" },
	{ "application/xhtml+xml", "html htm" },
	{ "text/css", "css" },
	{ "text/javascript", "js mjs" },
	{ "application/javascript", "js mjs" },
	{ "application/x-javascript", "js mjs" },
	{ "application/ecmascript", "js mjs" },
	{ "application/json", "json" },
	{ "text/plain", "txt text log" },
	{ "text/xml", "xml xsl" },
	{ "application/xml", "xml xsl" },
	{ "application/rss+xml", "xml rss" },
	{ "application/atom+xml", "xml atom" },
	{ "text/csv", "csv" },
	{ "image/png", "png" },
	{ "image/jpeg", "jpg jpeg jpe jfif" },
	{ "image/pjpeg", "jpg jpeg jpe" },
	{ "image/gif", "gif" },
	{ "image/webp", "webp" },
	{ "image/svg+xml", "svg svgz" },
	{ "image/bmp", "bmp" },
	{ "image/x-ms-bmp", "bmp" },
	{ "image/x-icon", "ico" },
	{ "image/vnd.microsoft.icon", "ico" },
	{ "image/tiff", "tif tiff" },
	{ "application/pdf", "pdf" },
	{ "application/ofd", "ofd" },
	{ "application/msword", "doc dot wps" },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx" },
	{ "application/vnd.ms-excel", "xls et" },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx" },
	{ "application/vnd.ms-powerpoint", "ppt pps dps" },
	{ "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx" },
	{ "application/rtf", "rtf" },
	{ "text/rtf", "rtf" },
	{ "application/zip", "zip" },
	{ "application/x-zip-compressed", "zip" },
	{ "application/x-rar-compressed", "rar" },
	{ "application/vnd.rar", "rar" },
	{ "application/x-rar", "rar" },
	{ "application/x-7z-compressed", "7z" },
	{ "application/gzip", "gz tgz" },
	{ "application/x-gzip", "gz tgz" },
	{ "application/x-tar", "tar" },
	{ "application/x-shockwave-flash", "swf" },
	{ "font/woff", "woff" },
	{ "application/font-woff", "woff" },
	{ "font/woff2", "woff2" },
	{ "font/ttf", "ttf" },
	{ "application/x-font-ttf", "ttf" },
	{ "font/otf", "otf" },
	{ "application/vnd.ms-fontobject", "eot" },
	{ "video/mp4", "mp4" },
	{ "video/x-flv", "flv" },
	{ "video/webm", "webm" },
	{ "audio/mpeg", "mp3" },
	{ "audio/wav", "wav" },
	{ "audio/x-wav", "wav" },
};

/* Extensions that static servers send as documents a browser renders with scripts. */
static const char scriptable_exts[] = "html htm shtml xhtml xht xml xsl xslt svg svgz";

static int ext_in(const char *e, size_t n, const char *list)
{
	while (*list) {
		size_t w = strcspn(list, " ");
		if (w == n && ascii_ncaseeq(list, e, n))
			return 1;
		list += w;
		while (*list == ' ')
			list++;
	}
	return 0;
}

static const struct mime_ext *mime_lookup(const char *mime)
{
	size_t i, n;
	while (mime && (*mime == ' ' || *mime == '\t'))
		mime++;
	if (!mime)
		return NULL;
	n = strcspn(mime, "; \t");
	for (i = 0; i < sizeof(mime_exts) / sizeof(*mime_exts); i++)
		if (strlen(mime_exts[i].type) == n && ascii_ncaseeq(mime_exts[i].type, mime, n))
			return &mime_exts[i];
	return NULL;
}

static int mime_is_html(const struct mime_ext *mt)
{
	return mt && !strncmp(mt->exts, "html", 4);
}

/* Does the name's own extension e[n] suit the type (see url.h)? */
static int ext_suits(const char *e, size_t n, const char *mime, const struct mime_ext *mt)
{
	size_t i;
	if (!mime)
		return 1;
	if (mime_is_html(mt))
		return ext_in(e, n, "html htm");
	if (ext_in(e, n, scriptable_exts))
		return mt && ext_in(e, n, mt->exts);
	if (!mt)
		return 1;
	for (i = 0; i < sizeof(mime_exts) / sizeof(*mime_exts); i++)
		if (ext_in(e, n, mime_exts[i].exts))
			return 1;
	return 0;
}

/* X of url.h: the extension a generated file name ends with. */
static void choose_ext(const struct strbuf *t, int index, const char *mime,
		       const struct mime_ext *mt, struct strbuf *x)
{
	size_t dot = index ? 0 : ext_dot(t->buf, t->len);
	if (mt) {
		strbuf_add(x, mt->exts, strcspn(mt->exts, " "));
	} else if (dot && (!mime || !ext_in(t->buf + dot + 1, t->len - dot - 1, scriptable_exts))) {
		strbuf_add(x, t->buf + dot + 1, t->len - dot - 1);
		lower_str(x->buf);
	} else {
		strbuf_addstr(x, index && !mime ? "html" : "bin");
	}
}

/* F of url.h for the last segment seg[len] (empty: an index) and the query. */
static void add_file_name(const char *seg, size_t len, const char *query, const char *mime,
			  struct strbuf *out, struct strbuf *x)
{
	const struct mime_ext *mt = mime_lookup(mime);
	struct strbuf t = STRBUF_INIT, q = STRBUF_INIT, cases = STRBUF_INIT, name = STRBUF_INIT;
	int index = !len, upper;
	size_t dot;

	add_text(seg, len, T_FILE, &t, &cases);
	if (query)
		add_text(query, strlen(query), T_QUERY, &q, &cases);
	upper = !!memchr(cases.buf, '1', cases.len);
	choose_ext(&t, index, mime, mt, x);

	if (index && !query && (!mime || mime_is_html(mt))) {
		strbuf_addstr(out, "index.html");
		goto done;
	}
	dot = index ? 0 : ext_dot(t.buf, t.len);
	if (!index && !query && !upper && dot && t.len <= NAME_MAX_BYTES &&
	    ext_suits(t.buf + dot + 1, t.len - dot - 1, mime, mt) && strcmp(t.buf, "index.html")) {
		strbuf_addbuf(out, &t);
		goto done;
	}

	strbuf_addstr(&name, index ? "index@i" : t.buf);
	if (!index)
		strbuf_addch(&name, '@');
	if (query) {
		strbuf_addstr(&name, index ? "@q" : "q");
		strbuf_addbuf(&name, &q);
	}
	if (upper) {
		strbuf_addstr(&name, index || query ? "@u" : "u");
		add_case_mask(&cases, &name);
	}
	strbuf_addf(&name, ".%s", x->buf);
	if (name.len > NAME_MAX_BYTES) {
		strbuf_reset(&name);
		if (index)
			strbuf_addstr(&name, "index@i");
		else
			add_prefix(&name, &t, NAME_PREFIX_BYTES);
		add_hash(&name, index ? 'i' : 'f', seg, len, query);
		strbuf_addf(&name, ".%s", x->buf);
	}
	strbuf_addbuf(out, &name);
done:
	strbuf_release(&t);
	strbuf_release(&q);
	strbuf_release(&cases);
	strbuf_release(&name);
}

/* D of url.h. */
static void add_dir_name(const char *seg, size_t len, struct strbuf *out)
{
	struct strbuf t = STRBUF_INIT, cases = STRBUF_INIT;
	size_t start = out->len;
	if (!len) {
		strbuf_addstr(out, "@n");
		return;
	}
	add_text(seg, len, T_DIR, &t, &cases);
	strbuf_addbuf(out, &t);
	if (memchr(cases.buf, '1', cases.len)) {
		strbuf_addstr(out, "@u");
		add_case_mask(&cases, out);
	}
	if (out->len - start > NAME_MAX_BYTES) {
		strbuf_setlen(out, start);
		add_prefix(out, &t, NAME_PREFIX_BYTES);
		add_hash(out, 'd', seg, len, NULL);
	}
	strbuf_release(&t);
	strbuf_release(&cases);
}

/* HOST of url.h. */
static void add_host_name(const struct url *u, struct strbuf *out)
{
	struct strbuf h = STRBUF_INIT, t = STRBUF_INIT;
	size_t stem, i;
	int https = !strcmp(u->scheme, "https");
	add_hostport(u, &h);
	stem = device_stem(h.buf, h.len);
	for (i = 0; i < h.len; i++) {
		if (h.buf[i] == ':')
			strbuf_addch(&t, '+');
		else if (stem && i == stem - 1)
			add_marker_escape(&t, (unsigned char)h.buf[i]);
		else
			strbuf_addch(&t, h.buf[i]);
	}
	/* site/index.html is the capture's own index, beside the hosts */
	if (!https && !strcmp(t.buf, "index.html")) {
		strbuf_setlen(&t, t.len - 1);
		add_marker_escape(&t, 'l');
	}
	if (t.len + 2 * https > NAME_MAX_BYTES) {
		add_prefix(out, &t, NAME_PREFIX_BYTES);
		add_hash(out, https ? 's' : 'h', h.buf, h.len, NULL);
	} else {
		strbuf_addbuf(out, &t);
		if (https)
			strbuf_addstr(out, "@s");
	}
	strbuf_release(&h);
	strbuf_release(&t);
}

int url_local_path(const char *canonical, const char *mime, struct strbuf *out)
{
	struct url u;
	struct strbuf res = STRBUF_INIT, x = STRBUF_INIT;
	const char *p;

	if (url_parse(canonical, &u))
		return -1;
	add_host_name(&u, &res);
	for (p = u.path + 1;; ) {
		const char *e = strchr(p, '/');
		strbuf_addch(&res, '/');
		if (!e) {
			add_file_name(p, strlen(p), u.query, mime, &res, &x);
			break;
		}
		add_dir_name(p, (size_t)(e - p), &res);
		p = e + 1;
	}
	if (res.len > PATH_MAX_BYTES) {
		struct strbuf whole = STRBUF_INIT;
		url_format(&u, &whole);
		strbuf_reset(&res);
		add_host_name(&u, &res);
		strbuf_addch(&res, '/');
		add_hash(&res, 'u', whole.buf, whole.len, NULL);
		strbuf_addf(&res, ".%s", x.buf);
		strbuf_release(&whole);
	}
	strbuf_addbuf(out, &res);
	strbuf_release(&res);
	strbuf_release(&x);
	url_release(&u);
	return 0;
}

void url_relative_path(const char *from, const char *to, struct strbuf *out)
{
	size_t i, common = 0;
	size_t start = out->len;
	for (i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	for (i = common; from[i]; i++)
		if (from[i] == '/')
			strbuf_addstr(out, "../");
	strbuf_addstr(out, to + common);
	if (out->len == start)
		strbuf_addstr(out, "./");
}

static int href_safe(int c)
{
	switch (c) {
	case '!': case '$': case '*': case '+': case ',': case ';': case '=': case '@': case '/':
		return 1;
	default:
		return is_unreserved(c);
	}
}

void url_path_to_href(const char *path, struct strbuf *out)
{
	/* '&', quotes and parentheses too: safe in an attribute or a CSS url() */
	while (*path) {
		const char *run = path;
		while (href_safe((unsigned char)*path))
			path++;
		strbuf_add(out, run, (size_t)(path - run));
		if (*path)
			add_escape(out, (unsigned char)*path++);
	}
}

/* ---- SURT, as the Python surt package computes it ---- */

/* Python's unquote_to_bytes() until nothing changes. */
static void unescape_repeatedly(struct strbuf *sb)
{
	struct strbuf t = STRBUF_INIT;
	for (;;) {
		size_t i;
		int changed = 0;
		strbuf_reset(&t);
		for (i = 0; i < sb->len; i++) {
			int b = escape_at(sb->buf, sb->len, i);
			if (b >= 0) {
				strbuf_addch(&t, b);
				i += 2;
				changed = 1;
			} else {
				strbuf_addch(&t, sb->buf[i]);
			}
		}
		if (!changed)
			break;
		strbuf_reset(sb);
		strbuf_addbuf(sb, &t);
	}
	strbuf_release(&t);
}

/* surt's escapeOnce(): quote() with everything printable but '#' and '%' safe. */
static void escape_once(const char *s, size_t len, struct strbuf *out)
{
	size_t i;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c > 0x20 && c < 0x7f && c != '#' && c != '%')
			strbuf_addch(out, c);
		else
			add_escape(out, c);
	}
}

static void escape_once_sb(struct strbuf *sb)
{
	struct strbuf t = STRBUF_INIT;
	escape_once(sb->buf, sb->len, &t);
	strbuf_reset(sb);
	strbuf_addbuf(sb, &t);
	strbuf_release(&t);
}

static void lower_sb(struct strbuf *sb)
{
	size_t i;
	for (i = 0; i < sb->len; i++)
		sb->buf[i] = (char)to_lower((unsigned char)sb->buf[i]);
}

/*
 * surt's normalizePath(): "." dropped, ".." pops (or stays when nothing is
 * left to pop), empty segments dropped except a final one.
 */
static void surt_normalize_path(const struct strbuf *in, struct strbuf *out)
{
	struct seg { const char *p; size_t n; } *kept = NULL;
	size_t nr = 0, alloc = 0, i, start;
	if (!in->len) {
		strbuf_addch(out, '/');
		return;
	}
	/* the text before the first '/' is skipped, as split()[0] is */
	start = 0;
	while (start < in->len && in->buf[start] != '/')
		start++;
	while (start < in->len) {
		const char *p = in->buf + start + 1;
		size_t n = 0;
		while (start + 1 + n < in->len && p[n] != '/')
			n++;
		if (n == 1 && p[0] == '.') {
			;
		} else if (n == 2 && p[0] == '.' && p[1] == '.' && nr) {
			nr--;
		} else {
			ALLOC_GROW(kept, nr + 1, alloc);
			kept[nr].p = p;
			kept[nr].n = n;
			nr++;
		}
		start += 1 + n;
	}
	strbuf_addch(out, '/');
	for (i = 0; i + 1 < nr; i++) {
		if (kept[i].n) {
			strbuf_add(out, kept[i].p, kept[i].n);
			strbuf_addch(out, '/');
		}
	}
	if (nr)
		strbuf_add(out, kept[nr - 1].p, kept[nr - 1].n);
	free(kept);
}

/* inet_aton()'s reading of a dotted number, as gethostbyname() does it; -1 if none. */
static int inet_aton_like(const char *s, size_t len, struct strbuf *out)
{
	uint64_t parts[4], v, addr = 0;
	size_t n = 0, i = 0;
	while (i <= len) {
		size_t j = i;
		int base = 10;
		if (n == 4)
			return -1;
		if (j < len && s[j] == '0') {
			base = 8;
			if (j + 1 < len && (s[j + 1] == 'x' || s[j + 1] == 'X')) {
				base = 16;
				j += 2;
			}
		}
		v = 0;
		if (j >= len || s[j] == '.') {
			if (base == 10 || base == 16)
				return -1;
		}
		for (; j < len && s[j] != '.'; j++) {
			int d = hexval((unsigned char)s[j]);
			if (d < 0 || d >= base)
				return -1;
			v = v * (uint64_t)base + (uint64_t)d;
			if (v > 0xffffffffULL)
				return -1;
		}
		parts[n++] = v;
		i = j + 1;
	}
	for (i = 0; i + 1 < n; i++) {
		if (parts[i] > 255)
			return -1;
		addr = addr * 256 + parts[i];
	}
	if (parts[n - 1] > (0xffffffffULL >> (8 * (n - 1))))
		return -1;
	addr = (addr << (8 * (5 - n))) + parts[n - 1];
	add_ipv4(out, addr);
	return 0;
}

/*
 * surt's attemptIPFormats(): all digits is a 32-bit number (masked);
 * something matching its DECIMAL_IP or OCTAL_IP pattern goes through
 * gethostbyname(), which reads it like inet_aton() (a DNS lookup of a
 * malformed one is taken to fail).
 */
static int surt_ip(const struct strbuf *h, struct strbuf *out)
{
	size_t i, parts = 1;
	int octal;
	uint32_t v = 0;
	if (!h->len)
		return -1;
	for (i = 0; i < h->len && is_digit(h->buf[i]); i++)
		v = v * 10 + (uint32_t)(h->buf[i] - '0');
	if (i == h->len) {
		strbuf_addf(out, "%u.%u.%u.%u", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
		return 0;
	}
	octal = h->buf[0] == '0';
	for (i = 0; i < h->len; i++) {
		char c = h->buf[i];
		if (c == '.') {
			if (++parts > 4 || i + 1 == h->len || h->buf[i + 1] == '.')
				return -1;
		} else if (!is_digit(c) || (octal && c > '7')) {
			return -1;
		}
	}
	if (h->buf[0] == '.')
		return -1;
	return inet_aton_like(h->buf, h->len, out);
}

/*
 * The session-id patterns of surt's URLRegexTransformer, matched by hand:
 * for a query, "^(.*)(?:ID)(?:&(.*))?$" with the greedy (.*) taking the
 * rightmost place where ID matches and is followed by '&' or the end.
 */
static size_t match_alnum(const char *s, size_t len, size_t n, int letters_only)
{
	size_t i;
	if (len < n)
		return 0;
	for (i = 0; i < n; i++)
		if (letters_only ? !is_alpha((unsigned char)s[i]) : !is_alnum((unsigned char)s[i]))
			return 0;
	return n;
}

/* Length of the session id of kind k at s, or 0. */
static size_t query_sid_at(int k, const char *s, size_t len)
{
	static const char *const pfx[] = { "jsessionid=", "phpsessid=", "sid=" };
	size_t n, m, i;
	if (k < 3) {
		n = strlen(pfx[k]);
		if (len < n || !ascii_ncaseeq(s, pfx[k], n))
			return 0;
		return match_alnum(s + n, len - n, 32, 0) ? n + 32 : 0;
	}
	if (k == 3) {
		if (len < 12 || !ascii_ncaseeq(s, "aspsessionid", 12) ||
		    !match_alnum(s + 12, len - 12, 8, 1) || len < 21 || s[20] != '=' ||
		    !match_alnum(s + 21, len - 21, 24, 1))
			return 0;
		return 45;
	}
	/* cfid=[^&]+&cftoken=[^&]+ */
	if (len < 5 || !ascii_ncaseeq(s, "cfid=", 5))
		return 0;
	for (i = 5; i < len && s[i] != '&'; i++)
		;
	if (i == 5 || len - i < 9 || !ascii_ncaseeq(s + i, "&cftoken=", 9))
		return 0;
	for (m = i + 9; m < len && s[m] != '&'; m++)
		;
	return m > i + 9 ? m : 0;
}

static void strip_query_session_ids(struct strbuf *q)
{
	int k;
	for (k = 0; k < 5; k++) {
		size_t p = q->len + 1;
		while (p-- > 0) {
			size_t n = query_sid_at(k, q->buf + p, q->len - p);
			struct strbuf t = STRBUF_INIT;
			if (!n || (p + n < q->len && q->buf[p + n] != '&'))
				continue;
			strbuf_add(&t, q->buf, p);
			if (p + n < q->len)
				strbuf_add(&t, q->buf + p + n + 1, q->len - p - n - 1);
			strbuf_reset(q);
			strbuf_addbuf(q, &t);
			strbuf_release(&t);
			break;
		}
	}
}

/* ".aspx" somewhere in r[len] after at least one byte, with no '?' before it. */
static int aspx_follows(const char *r, size_t len)
{
	size_t k;
	for (k = 1; k + 5 <= len; k++) {
		if (r[k - 1] == '?')
			return 0;
		if (ascii_ncaseeq(r + k, ".aspx", 5))
			return 1;
	}
	return 0;
}

/* ASP.NET cookieless session segments: "/(S(24 chars))/x.aspx" -> "/x.aspx". */
static void strip_path_session_ids(struct strbuf *path)
{
	int k;
	for (k = 0; k < 2; k++) {
		size_t p = path->len;
		while (p-- > 1) {
			const char *s = path->buf + p;
			size_t left = path->len - p, n = 0;
			if (path->buf[p - 1] != '/' || s[0] != '(')
				continue;
			if (k == 0) {
				size_t j = 1;
				while (left >= j + 27 && is_alpha((unsigned char)s[j]) && s[j + 1] == '(' &&
				       match_alnum(s + j + 2, left - j - 2, 24, 0) && s[j + 26] == ')')
					j += 27;
				if (j > 1 && left >= j + 2 && s[j] == ')' && s[j + 1] == '/')
					n = j + 2;
			} else if (left >= 27 && match_alnum(s + 1, left - 1, 24, 0) &&
				   s[25] == ')' && s[26] == '/') {
				n = 27;
			}
			if (n && aspx_follows(s + n, left - n)) {
				memmove(path->buf + p, s + n, left - n);
				strbuf_setlen(path, path->len - n);
				break;
			}
		}
	}
}

/* surt's alphaReorderQuery(): split on '&', sort the (name, value) tuples. */
static void alpha_reorder_query(struct strbuf *q)
{
	struct qparam *v = NULL;
	size_t nr = 0, alloc = 0, i, start = 0;
	struct strbuf t = STRBUF_INIT;
	if (q->len <= 1)
		return;
	for (i = 0; i <= q->len; i++) {
		if (i < q->len && q->buf[i] != '&')
			continue;
		ALLOC_GROW(v, nr + 1, alloc);
		v[nr].p = q->buf + start;
		v[nr].len = i - start;
		{
			const char *eq = memchr(v[nr].p, '=', v[nr].len);
			v[nr].has_eq = !!eq;
			v[nr].nlen = eq ? (size_t)(eq - v[nr].p) : v[nr].len;
		}
		v[nr].idx = nr;
		nr++;
		start = i + 1;
	}
	qsort(v, nr, sizeof(*v), cmp_qparam);
	for (i = 0; i < nr; i++) {
		if (i)
			strbuf_addch(&t, '&');
		strbuf_add(&t, v[i].p, v[i].len);
	}
	free(v);
	strbuf_reset(q);
	strbuf_addbuf(q, &t);
	strbuf_release(&t);
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int url_surt(const char *abs, struct strbuf *out)
{
	struct strbuf s = STRBUF_INIT, host = STRBUF_INIT, path = STRBUF_INIT,
		query = STRBUF_INIT, tmp = STRBUF_INIT;
	const char *p, *end, *scheme, *netloc = NULL, *hostinfo, *portstr = NULL;
	size_t n, netlen = 0, hlen, plen = 0, i;
	long port = -1;
	int has_query = 0, raw_http, ret = -1;

	/* handyurl.parse(): strip, drop tabs and newlines, default scheme */
	p = abs;
	end = abs + strlen(abs);
	while (p < end && is_space((unsigned char)*p))
		p++;
	while (end > p && is_space((unsigned char)end[-1]))
		end--;
	for (; p < end; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			strbuf_addch(&s, *p);
	if (!s.len)
		goto done;
	if (!scheme_len(s.buf)) {
		strbuf_addstr(&tmp, "http://");
		strbuf_addbuf(&tmp, &s);
		strbuf_reset(&s);
		strbuf_addbuf(&s, &tmp);
	}
	/* "^(https?://)+" -> its last repetition */
	p = s.buf;
	for (;;) {
		size_t a = !strncmp(p, "http://", 7) ? 7 : !strncmp(p, "https://", 8) ? 8 : 0;
		if (!a || (strncmp(p + a, "http://", 7) && strncmp(p + a, "https://", 8)))
			break;
		p += a;
	}

	/* urlsplit() by surt's RFC 2396 regex */
	n = scheme_len(p);
	if (!http_scheme(p, n, &scheme))
		goto done;
	raw_http = !strncmp(p, "http", 4); /* surt compares the scheme as written */
	p += n + 1;
	if (p[0] == '/' && p[1] == '/') {
		netloc = p + 2;
		netlen = strcspn(netloc, "/?#");
		p = netloc + netlen;
	}
	n = strcspn(p, "?#");
	strbuf_add(&path, p, n);
	p += n;
	if (*p == '?') {
		n = strcspn(p + 1, "#");
		strbuf_add(&query, p + 1, n);
		has_query = n > 0;
	}

	/* hostname and port as urllib's _hostinfo reads them */
	while (netlen && netloc[netlen - 1] == ':')
		netlen--;
	hostinfo = netloc;
	for (i = 0; i < netlen; i++)
		if (netloc[i] == '@')
			hostinfo = netloc + i + 1;
	hlen = netloc ? netlen - (size_t)(hostinfo - netloc) : 0;
	if (hlen && memchr(hostinfo, '[', hlen)) {
		const char *ob = memchr(hostinfo, '[', hlen), *cb;
		size_t rest = hlen - (size_t)(ob + 1 - hostinfo);
		cb = memchr(ob + 1, ']', rest);
		if (!cb)
			goto done; /* "Invalid IPv6 URL" */
		strbuf_add(&host, ob + 1, (size_t)(cb - ob - 1));
		{
			const char *c = memchr(cb, ':', hlen - (size_t)(cb - hostinfo));
			if (c) {
				portstr = c + 1;
				plen = hlen - (size_t)(portstr - hostinfo);
			}
		}
	} else if (hlen) {
		const char *c = memchr(hostinfo, ':', hlen);
		strbuf_add(&host, hostinfo, c ? (size_t)(c - hostinfo) : hlen);
		if (c) {
			portstr = c + 1;
			plen = hlen - (size_t)(portstr - hostinfo);
		}
	}
	if (portstr && plen) {
		port = 0;
		for (i = 0; i < plen; i++) {
			if (!is_digit(portstr[i]))
				goto done;
			port = port * 10 + (portstr[i] - '0');
			if (port > 65535)
				goto done;
		}
		if (!port)
			port = -1;
	}
	lower_sb(&host);
	if (!host.len && path.len && raw_http) {
		/* "http:////www.vikings.com": the host is the path's first segment */
		const char *q = path.buf;
		size_t qlen = path.len, h;
		while (qlen && *q == '/') {
			q++;
			qlen--;
		}
		h = 0;
		while (h < qlen && q[h] != '/')
			h++;
		strbuf_add(&host, q, h);
		strbuf_reset(&tmp);
		strbuf_addch(&tmp, '/');
		if (h < qlen)
			strbuf_add(&tmp, q + h + 1, qlen - h - 1);
		strbuf_reset(&path);
		strbuf_addbuf(&path, &tmp);
	}
	if (!host.len)
		goto done;

	/* GoogleURLCanonicalizer */
	if (has_query) {
		unescape_repeatedly(&query);
		escape_once_sb(&query);
	}
	unescape_repeatedly(&host);
	for (i = 0; i < host.len && (unsigned char)host.buf[i] < 0x80; i++)
		;
	if (i < host.len) {
		strbuf_reset(&tmp);
		if (!idna_to_ascii(host.buf, host.len, &tmp)) {
			strbuf_reset(&host);
			strbuf_addbuf(&host, &tmp);
		}
	}
	strbuf_reset(&tmp);
	for (i = 0; i < host.len; i++) {
		if (host.buf[i] == '.' && i + 1 < host.len && host.buf[i + 1] == '.')
			i++;
		strbuf_addch(&tmp, host.buf[i]);
	}
	for (i = 0; i < tmp.len && tmp.buf[i] == '.'; i++)
		;
	n = tmp.len;
	while (n > i && tmp.buf[n - 1] == '.')
		n--;
	strbuf_reset(&host);
	strbuf_add(&host, tmp.buf + i, n - i);
	strbuf_reset(&tmp);
	if (!surt_ip(&host, &tmp)) {
		strbuf_reset(&host);
		strbuf_addbuf(&host, &tmp);
	} else {
		lower_sb(&host);
		escape_once_sb(&host);
	}
	unescape_repeatedly(&path);
	strbuf_reset(&tmp);
	surt_normalize_path(&path, &tmp);
	strbuf_reset(&path);
	escape_once(tmp.buf, tmp.len, &path);

	/* IAURLCanonicalizer: lower case again (escapes too), no "www." */
	lower_sb(&host);
	if (!strncmp(host.buf, "www", 3)) {
		for (i = 3; i < host.len && is_digit(host.buf[i]); i++)
			;
		if (i < host.len && host.buf[i] == '.') {
			memmove(host.buf, host.buf + i + 1, host.len - i - 1);
			strbuf_setlen(&host, host.len - i - 1);
		}
	}
	if (port == default_port(scheme))
		port = -1;
	lower_sb(&path);
	strip_path_session_ids(&path);
	if (path.len > 1 && path.buf[path.len - 1] == '/')
		strbuf_setlen(&path, path.len - 1);
	if (has_query) {
		strip_query_session_ids(&query);
		lower_sb(&query);
		alpha_reorder_query(&query);
		has_query = query.len > 0;
	}
	if (!host.len)
		goto done;

	/* the SURT format: host labels reversed, IPv4 too; no scheme */
	for (n = host.len; ; n = i - 1) {
		for (i = n; i > 0 && host.buf[i - 1] != '.'; i--)
			;
		strbuf_add(out, host.buf + i, n - i);
		if (!i)
			break;
		strbuf_addch(out, ',');
	}
	if (port >= 0)
		strbuf_addf(out, ":%ld", port);
	strbuf_addch(out, ')');
	strbuf_addbuf(out, &path);
	if (has_query) {
		strbuf_addch(out, '?');
		strbuf_addbuf(out, &query);
	}
	ret = 0;
done:
	strbuf_release(&s);
	strbuf_release(&host);
	strbuf_release(&path);
	strbuf_release(&query);
	strbuf_release(&tmp);
	return ret;
}
