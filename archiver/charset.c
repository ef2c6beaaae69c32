#include "archiver/charset.h"
#include "common/strbuf.h"
#include "common/utf8.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

/*
 * Labels of the WHATWG Encoding Standard for the encodings an archived
 * Chinese government site may plausibly use, and a few more.  Sorted by
 * nothing; the list is short enough to scan.
 */
static const struct {
	const char *label, *name;
} labels[] = {
	{ "utf-8", "utf-8" }, { "utf8", "utf-8" }, { "unicode-1-1-utf-8", "utf-8" },
	{ "unicode11utf8", "utf-8" }, { "unicode20utf8", "utf-8" }, { "x-unicode20utf8", "utf-8" },

	{ "gb18030", "gb18030" }, { "gb2312", "gb18030" }, { "gbk", "gb18030" },
	{ "x-gbk", "gb18030" }, { "cp936", "gb18030" }, { "ms936", "gb18030" },
	{ "windows-936", "gb18030" }, { "chinese", "gb18030" }, { "csgb2312", "gb18030" },
	{ "csiso58gb231280", "gb18030" }, { "gb_2312", "gb18030" }, { "gb_2312-80", "gb18030" },
	{ "iso-ir-58", "gb18030" },
	/* not a WHATWG label, but seen in the wild and unambiguous */
	{ "euc-cn", "gb18030" }, { "x-euc-cn", "gb18030" },

	{ "big5", "big5" }, { "big5-hkscs", "big5" }, { "cn-big5", "big5" },
	{ "csbig5", "big5" }, { "x-x-big5", "big5" },

	{ "shift_jis", "shift_jis" }, { "shift-jis", "shift_jis" }, { "sjis", "shift_jis" },
	{ "x-sjis", "shift_jis" }, { "ms932", "shift_jis" }, { "ms_kanji", "shift_jis" },
	{ "windows-31j", "shift_jis" }, { "csshiftjis", "shift_jis" },
	{ "euc-jp", "euc-jp" }, { "x-euc-jp", "euc-jp" }, { "cseucpkdfmtjapanese", "euc-jp" },
	{ "iso-2022-jp", "iso-2022-jp" }, { "csiso2022jp", "iso-2022-jp" },

	{ "euc-kr", "euc-kr" }, { "cseuckr", "euc-kr" }, { "csksc56011987", "euc-kr" },
	{ "iso-ir-149", "euc-kr" }, { "korean", "euc-kr" }, { "ks_c_5601-1987", "euc-kr" },
	{ "ks_c_5601-1989", "euc-kr" }, { "ksc5601", "euc-kr" }, { "ksc_5601", "euc-kr" },
	{ "windows-949", "euc-kr" },

	{ "windows-1252", "windows-1252" }, { "cp1252", "windows-1252" },
	{ "x-cp1252", "windows-1252" }, { "iso-8859-1", "windows-1252" },
	{ "iso8859-1", "windows-1252" }, { "iso88591", "windows-1252" },
	{ "iso_8859-1", "windows-1252" }, { "iso_8859-1:1987", "windows-1252" },
	{ "latin1", "windows-1252" }, { "l1", "windows-1252" }, { "cp819", "windows-1252" },
	{ "ibm819", "windows-1252" }, { "csisolatin1", "windows-1252" },
	{ "iso-ir-100", "windows-1252" }, { "us-ascii", "windows-1252" },
	{ "ascii", "windows-1252" }, { "ansi_x3.4-1968", "windows-1252" },

	{ "utf-16le", "utf-16le" }, { "utf-16", "utf-16le" }, { "unicode", "utf-16le" },
	{ "unicodefeff", "utf-16le" }, { "ucs-2", "utf-16le" }, { "csunicode", "utf-16le" },
	{ "iso-10646-ucs-2", "utf-16le" },
	{ "utf-16be", "utf-16be" }, { "unicodefffe", "utf-16be" },

	{ "windows-1250", "windows-1250" }, { "cp1250", "windows-1250" },
	{ "x-cp1250", "windows-1250" },
	{ "windows-1251", "windows-1251" }, { "cp1251", "windows-1251" },
	{ "x-cp1251", "windows-1251" },
	{ "windows-874", "windows-874" }, { "tis-620", "windows-874" }, { "dos-874", "windows-874" },
	{ "iso-8859-11", "windows-874" },
	{ "koi8-r", "koi8-r" }, { "koi8_r", "koi8-r" }, { "koi8", "koi8-r" }, { "koi", "koi8-r" },
	{ "cskoi8r", "koi8-r" }, { "koi8-u", "koi8-u" }, { "koi8-ru", "koi8-u" },
	{ "iso-8859-2", "iso-8859-2" }, { "iso8859-2", "iso-8859-2" }, { "latin2", "iso-8859-2" },
	{ "l2", "iso-8859-2" }, { "iso_8859-2", "iso-8859-2" },
	{ "iso-8859-5", "iso-8859-5" }, { "iso8859-5", "iso-8859-5" }, { "cyrillic", "iso-8859-5" },
	{ "iso_8859-5", "iso-8859-5" },
	{ "iso-8859-15", "iso-8859-15" }, { "iso8859-15", "iso-8859-15" }, { "l9", "iso-8859-15" },
	{ "iso_8859-15", "iso-8859-15" }, { "latin-9", "iso-8859-15" },
	{ "x-user-defined", "x-user-defined" },
};

/* The name iconv knows each canonical encoding by (glibc). */
static const struct {
	const char *name, *iconv;
} iconv_names[] = {
	{ "gb18030", "GB18030" },
	/* WHATWG big5 is Big5 with the HKSCS extensions */
	{ "big5", "BIG5-HKSCS" },
	/* WHATWG shift_jis and euc-kr are the Microsoft supersets */
	{ "shift_jis", "CP932" }, { "euc-kr", "CP949" },
	{ "euc-jp", "EUC-JP" }, { "iso-2022-jp", "ISO-2022-JP" },
	{ "utf-16le", "UTF-16LE" }, { "utf-16be", "UTF-16BE" },
	{ "windows-1250", "CP1250" }, { "windows-1251", "CP1251" }, { "windows-874", "CP874" },
	{ "koi8-r", "KOI8-R" }, { "koi8-u", "KOI8-U" },
	{ "iso-8859-2", "ISO-8859-2" }, { "iso-8859-5", "ISO-8859-5" },
	{ "iso-8859-15", "ISO-8859-15" },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

const char *charset_canonical(const char *label, size_t len)
{
	char buf[32];
	size_t i, n = 0;
	while (len && is_space((unsigned char)*label)) {
		label++;
		len--;
	}
	while (len && is_space((unsigned char)label[len - 1]))
		len--;
	if (!len || len >= sizeof(buf))
		return NULL;
	for (i = 0; i < len; i++)
		buf[n++] = (char)lower((unsigned char)label[i]);
	buf[n] = '\0';
	for (i = 0; i < ARRAY_SIZE(labels); i++)
		if (!strcmp(buf, labels[i].label))
			return labels[i].name;
	return NULL;
}

int charset_param_span(const char *s, size_t n, size_t *vs, size_t *ve)
{
	size_t i = 0;
	while (i + 7 <= n) {
		if (strncasecmp(s + i, "charset", 7)) {
			i++;
			continue;
		}
		i += 7;
		while (i < n && is_space((unsigned char)s[i]))
			i++;
		if (i >= n || s[i] != '=')
			continue;
		i++;
		while (i < n && is_space((unsigned char)s[i]))
			i++;
		if (i < n && (s[i] == '"' || s[i] == '\'')) {
			const char *q = memchr(s + i + 1, s[i], n - i - 1);
			if (!q)
				return -1;
			*vs = i + 1;
			*ve = (size_t)(q - s);
		} else {
			*vs = i;
			while (i < n && !is_space((unsigned char)s[i]) && s[i] != ';')
				i++;
			*ve = i;
		}
		return 0;
	}
	return -1;
}

/* The canonical name of the charset parameter's label, or NULL. */
static const char *charset_param(const char *s, size_t n)
{
	size_t vs, ve;
	if (charset_param_span(s, n, &vs, &ve) || vs == ve)
		return NULL;
	return charset_canonical(s + vs, ve - vs);
}

/* The "get an attribute" step of the prescan; name and value lower-cased. */
struct pattr {
	char name[16], value[128];
	size_t name_len, value_len;
	int long_name;
};

static void pattr_add(char *buf, size_t *len, size_t cap, int c, int *overflow)
{
	if (*len + 1 < cap)
		buf[(*len)++] = (char)lower(c);
	else if (overflow)
		*overflow = 1;
}

static int prescan_attr(const unsigned char *s, size_t n, size_t *pos, struct pattr *a)
{
	size_t i = *pos;
	a->name_len = a->value_len = 0;
	a->long_name = 0;
	while (i < n && (is_space(s[i]) || s[i] == '/'))
		i++;
	if (i >= n || s[i] == '>') {
		*pos = i;
		return 0;
	}
	for (;; i++) {
		if (i >= n) {
			*pos = i;
			return 0;
		}
		if (s[i] == '=' && a->name_len) {
			i++;
			break;
		}
		if (is_space(s[i])) {
			while (i < n && is_space(s[i]))
				i++;
			if (i >= n || s[i] != '=')
				goto done;
			i++;
			break;
		}
		if (s[i] == '/' || s[i] == '>')
			goto done;
		pattr_add(a->name, &a->name_len, sizeof(a->name), s[i], &a->long_name);
	}
	while (i < n && is_space(s[i]))
		i++;
	if (i >= n) {
		*pos = i;
		return 0;
	}
	if (s[i] == '"' || s[i] == '\'') {
		unsigned char q = s[i++];
		while (i < n && s[i] != q)
			pattr_add(a->value, &a->value_len, sizeof(a->value), s[i++], NULL);
		if (i >= n) {
			*pos = i;
			return 0;
		}
		i++;
	} else if (s[i] != '>') {
		while (i < n && !is_space(s[i]) && s[i] != '>')
			pattr_add(a->value, &a->value_len, sizeof(a->value), s[i++], NULL);
	}
done:
	a->name[a->name_len] = '\0';
	a->value[a->value_len] = '\0';
	*pos = i;
	return 1;
}

static int pattr_is(const struct pattr *a, const char *name)
{
	return !a->long_name && !strcmp(a->name, name);
}

/* A <meta> at *pos (just after "<meta"): the charset it declares, or NULL. */
static const char *prescan_meta(const unsigned char *s, size_t n, size_t *pos)
{
	struct pattr a;
	const char *charset = NULL;
	int got_pragma = 0, need_pragma = -1;
	char seen[3] = { 0, 0, 0 }; /* http-equiv, content, charset */

	while (prescan_attr(s, n, pos, &a)) {
		if (pattr_is(&a, "http-equiv") && !seen[0]) {
			seen[0] = 1;
			if (!strcmp(a.value, "content-type"))
				got_pragma = 1;
		} else if (pattr_is(&a, "content") && !seen[1]) {
			seen[1] = 1;
			if (!charset) {
				charset = charset_param(a.value, a.value_len);
				if (charset)
					need_pragma = 1;
			}
		} else if (pattr_is(&a, "charset") && !seen[2]) {
			seen[2] = 1;
			charset = charset_canonical(a.value, a.value_len);
			need_pragma = 0;
		}
	}
	if (need_pragma < 0 || (need_pragma && !got_pragma) || !charset)
		return NULL;
	/* a document that declares UTF-16 in ASCII cannot be UTF-16 */
	if (!strncmp(charset, "utf-16", 6))
		return "utf-8";
	if (!strcmp(charset, "x-user-defined"))
		return "windows-1252";
	return charset;
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The HTML Standard's "prescan a byte stream to determine its encoding". */
static const char *prescan(const unsigned char *s, size_t n)
{
	size_t i = 0;
	if (n > 1024)
		n = 1024;
	while (i < n) {
		if (s[i] != '<') {
			i++;
			continue;
		}
		if (n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
			/* the dashes of "-->" may be those of "<!--" */
			const unsigned char *e = memmem(s + i + 2, n - i - 2, "-->", 3);
			if (!e)
				return NULL;
			i = (size_t)(e - s) + 3;
		} else if (n - i >= 6 && !strncasecmp((const char *)s + i + 1, "meta", 4) &&
			   (is_space(s[i + 5]) || s[i + 5] == '/')) {
			const char *cs;
			i += 5;
			cs = prescan_meta(s, n, &i);
			if (cs)
				return cs;
		} else if (n - i >= 2 && (is_alpha(s[i + 1]) ||
			   (s[i + 1] == '/' && n - i >= 3 && is_alpha(s[i + 2])))) {
			struct pattr a;
			i += s[i + 1] == '/' ? 2 : 1;
			while (i < n && !is_space(s[i]) && s[i] != '>')
				i++;
			while (prescan_attr(s, n, &i, &a))
				;
		} else if (n - i >= 2 && (s[i + 1] == '!' || s[i + 1] == '/' || s[i + 1] == '?')) {
			const unsigned char *e = memchr(s + i, '>', n - i);
			if (!e)
				return NULL;
			i = (size_t)(e - s) + 1;
		} else {
			i++;
		}
	}
	return NULL;
}

/*
 * Length of the UTF-8 sequence at p if valid; otherwise 0 and *bad gets the
 * length of the maximal subpart to replace by one U+FFFD (Unicode's and
 * WHATWG's "substitution of maximal subparts").
 */
static size_t utf8_seq(const unsigned char *p, size_t n, size_t *bad)
{
	unsigned c = p[0], lo = 0x80, hi = 0xbf;
	size_t need, i;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 2;
	else if (c >= 0xe0 && c <= 0xef)
		need = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 4;
	else {
		*bad = 1;
		return 0;
	}
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f; /* no surrogates */
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	for (i = 1; i < need; i++) {
		unsigned b;
		if (i >= n) {
			*bad = i;
			return 0;
		}
		b = p[i];
		if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xbf)) {
			*bad = i;
			return 0;
		}
	}
	return need;
}

const char *charset_from_content_type(const char *content_type)
{
	const char *cs;
	if (!content_type)
		return NULL;
	cs = charset_param(content_type, strlen(content_type));
	return cs && strcmp(cs, "x-user-defined") ? cs : NULL;
}

const char *charset_detect(const char *body, size_t len, const char *content_type)
{
	const unsigned char *s = (const unsigned char *)body;
	const char *cs;
	if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		return "utf-8";
	if (len >= 2 && s[0] == 0xfe && s[1] == 0xff)
		return "utf-16be";
	if (len >= 2 && s[0] == 0xff && s[1] == 0xfe)
		return "utf-16le";
	if ((cs = charset_from_content_type(content_type)))
		return cs;
	if ((cs = prescan(s, len)))
		return cs;
	return utf8_validate(body, len, NULL, NULL) == 0 ? "utf-8" : "gb18030";
}

static const unsigned short cp1252_c1[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

unsigned charset_cp1252(unsigned char b)
{
	return b >= 0x80 && b < 0xa0 ? cp1252_c1[b - 0x80] : b;
}

#define REPLACEMENT "\xef\xbf\xbd"

static void utf8_sanitise(const char *s, size_t n, struct strbuf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, bad;
	strbuf_grow(out, n);
	while (i < n) {
		size_t k;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_seq(p + i, n - i, &bad);
		if (k) {
			i += k;
			continue;
		}
		strbuf_add(out, s + run, i - run);
		strbuf_addstr(out, REPLACEMENT);
		i += bad;
		run = i;
	}
	strbuf_add(out, s + run, n - run);
}

/*
 * unit: the code unit to skip over an invalid sequence (2 for UTF-16).
 * gb: GB18030 as WHATWG decodes it, where a lone 0x80 is the euro sign
 * (cp936 put it there; glibc's GB18030 refuses it).
 */
static int iconv_convert(const char *s, size_t n, const char *name, size_t unit, int gb,
			 struct strbuf *out)
{
	iconv_t cd = iconv_open("UTF-8", name);
	char *in = (char *)s;
	size_t inleft = n;

	if (cd == (iconv_t)-1)
		return -1;
	while (inleft) {
		char *o;
		size_t oleft, r;
		/* 3 output bytes per input byte covers every encoding here */
		strbuf_grow(out, inleft < 4096 ? inleft * 3 + 8 : 4096 * 3);
		o = out->buf + out->len;
		oleft = out->alloc - out->len - 1;
		r = iconv(cd, &in, &inleft, &o, &oleft);
		out->len = (size_t)(o - out->buf);
		out->buf[out->len] = '\0';
		if (r != (size_t)-1 || errno == E2BIG)
			continue;
		if (gb && errno == EILSEQ && (unsigned char)*in == 0x80)
			strbuf_addstr(out, "\xe2\x82\xac");
		else
			strbuf_addstr(out, REPLACEMENT);
		if (errno == EINVAL)
			break; /* truncated sequence at the end */
		/* skip one code unit and go on from a clean state */
		if (inleft < unit)
			break;
		in += unit;
		inleft -= unit;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv_close(cd);
	return 0;
}

int charset_to_utf8(const char *body, size_t len, const char *charset, struct strbuf *out)
{
	const char *name = charset_canonical(charset, strlen(charset));
	size_t base = out->len, i;

	if (!name || !strcmp(name, "utf-8")) {
		if (name)
			utf8_sanitise(body, len, out);
		else if (iconv_convert(body, len, charset, 1, 0, out) < 0)
			return -1;
	} else if (!strcmp(name, "windows-1252") || !strcmp(name, "x-user-defined")) {
		/* by table: glibc's CP1252 refuses the five unassigned bytes */
		const unsigned char *p = (const unsigned char *)body;
		int user = name[0] == 'x';
		strbuf_grow(out, len);
		for (i = 0; i < len; i++) {
			if (p[i] < 0x80)
				strbuf_addch(out, p[i]);
			else
				utf8_encode(out, user ? 0xf780u + p[i] - 0x80 : charset_cp1252(p[i]));
		}
	} else {
		size_t k;
		const char *ic = NULL;
		for (k = 0; k < ARRAY_SIZE(iconv_names); k++)
			if (!strcmp(iconv_names[k].name, name))
				ic = iconv_names[k].iconv;
		if (!ic || iconv_convert(body, len, ic, !strncmp(name, "utf-16", 6) ? 2 : 1,
					 !strcmp(name, "gb18030"), out) < 0)
			return -1;
	}
	if (out->len - base >= 3 && !memcmp(out->buf + base, "\xef\xbb\xbf", 3)) {
		memmove(out->buf + base, out->buf + base + 3, out->len - base - 3);
		strbuf_setlen(out, out->len - 3);
	}
	return 0;
}
