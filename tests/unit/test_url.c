/*
 * Unit tests of archiver/url: parsing, resolution, normalisation, the
 * canonical form, SURT keys, and the URL -> file mapping of the browsable
 * copy (tables, pairwise injectivity, a randomised property test, and real
 * files written below a temporary root).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <locale.h>
#include <strings.h>
#include <wchar.h>
#include <wctype.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archiver/url.h"
#include "common/path.h"
#include "common/strbuf.h"

struct pair {
	const char *in, *want; /* want NULL: must fail */
};

struct triple {
	const char *a, *b, *want;
};

static void check_resolve(const char *base, const char *ref, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	int r = url_resolve(base, ref, &sb);
	if (!want) {
		if (r != -1)
			fail_msg("resolve(%s, %s) gave '%s', want failure", base, ref, sb.buf);
		assert_int_equal(sb.len, 0);
	} else {
		if (r)
			fail_msg("resolve(%s, %s) failed, want '%s'", base, ref, want);
		assert_string_equal(sb.buf, want);
	}
	strbuf_release(&sb);
}

static void check_normalize(const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT, again = STRBUF_INIT;
	int r = url_normalize(in, &sb);
	if (!want) {
		if (r != -1)
			fail_msg("normalize(%s) gave '%s', want failure", in, sb.buf);
	} else {
		if (r)
			fail_msg("normalize(%s) failed, want '%s'", in, want);
		assert_string_equal(sb.buf, want);
		/* the normal form is a fixed point */
		assert_int_equal(url_normalize(sb.buf, &again), 0);
		assert_string_equal(again.buf, sb.buf);
	}
	strbuf_release(&sb);
	strbuf_release(&again);
}

static void test_parse_errors(void **state)
{
	static const char *const bad[] = {
		"", "/relative/path", "//host/x", "host/x", "ftp://h/", "mailto:a@b.cn",
		"javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd",
		"http://", "http:///", "http://:80/", "http://u@/x", "http://h:99999/",
		"http://h:8x/", "http://h:-1/", "http://ex ample.gov.cn/", "http://a..b/",
		"http://.a/", "http://a\\b/", "http://a<b/", "http://%00/", "http://a%zz/",
		"http://a/\x01", "http://a/\x7f", "http://a/b\nc", "http://a/b\tc",
		" http://a/", "http://[::1/", "http://[zz::1]/", "http://[1.2.3.4]/",
		"http://1.2.3.256/", "http://example.123/", "http://0x1.0x100000000/",
		"http://a.b.c.d.e.1/",
		"http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.cn/",
		"http://\xe4\xb8/", /* truncated UTF-8 in the host */
		"http://\xef\xbf\xbd.cn/", /* U+FFFD is no host name */
	};
	struct url u;
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		if (url_parse(bad[i], &u) != -1)
			fail_msg("url_parse accepted '%s'", bad[i]);
		assert_null(u.host);
		url_release(&u);
	}

	assert_int_equal(url_parse("HTTPS://User:Pw@WWW.Example.GOV.cn:8443/a/../b?x=1#f", &u), 0);
	assert_string_equal(u.scheme, "https");
	assert_string_equal(u.host, "www.example.gov.cn");
	assert_int_equal(u.port, 8443);
	assert_string_equal(u.path, "/b");
	assert_string_equal(u.query, "x=1");
	url_release(&u);
	assert_int_equal(url_parse("http://h.cn:80?", &u), 0);
	assert_int_equal(u.port, -1);
	assert_string_equal(u.path, "/");
	assert_string_equal(u.query, "");
	url_release(&u);
	assert_int_equal(url_parse("http://h.cn#x?y", &u), 0);
	assert_null(u.query);
	url_release(&u);
}

static void test_normalize(void **state)
{
	static const struct pair cases[] = {
		{ "http://h/%7e%7E%41%2e%2D%5f", "http://h/~~A.-_" },
		{ "http://h/a%2Fb%2fc", "http://h/a%2Fb%2Fc" },
		{ "http://h/%e9%80%9a%e7%9f%a5", "http://h/%E9%80%9A%E7%9F%A5" },
		{ "http://h/通知.pdf", "http://h/%E9%80%9A%E7%9F%A5.pdf" },
		{ "http://h/a b\"<>\\^`{|}", "http://h/a%20b%22%3C%3E%5C%5E%60%7B%7C%7D" },
		{ "http://h/a!$&'()*+,;=:@b", "http://h/a!$&'()*+,;=:@b" },
		{ "http://h/a%21", "http://h/a%21" },
		{ "http://h/a/%2e%2E/b/%2E/c", "http://h/b/c" },
		{ "http://h/a/b/..", "http://h/a/" },
		{ "http://h/../../x", "http://h/x" },
		{ "http://h/a//b", "http://h/a//b" },
		{ "http://h", "http://h/" },
		{ "http://h/?", "http://h/?" },
		{ "http://h/a?b=%7e&c=%2f&d=通 知", "http://h/a?b=~&c=%2F&d=%E9%80%9A%20%E7%9F%A5" },
		{ "http://h/a?b/../c", "http://h/a?b/../c" },
		{ "http://h/a#x?y", "http://h/a" },
		{ "http://h/%", "http://h/%25" },
		{ "http://h/%g1%4", "http://h/%25g1%254" },
		{ "http://H.EXAMPLE.:80/", "http://h.example/" },
		{ "https://h:443/", "https://h/" },
		{ "https://h:80/", "https://h:80/" },
		{ "http://h:0080/", "http://h/" },
		{ "http://h:/", "http://h/" },
		{ "http://0x7f.0.0.1/", "http://127.0.0.1/" },
		{ "http://127.1/", "http://127.0.0.1/" },
		{ "http://2130706433/", "http://127.0.0.1/" },
		{ "http://0177.0.0.01/", "http://127.0.0.1/" },
		{ "http://%31%32%37.0.0.1:8080/", "http://127.0.0.1:8080/" },
		{ "http://[FE80::1]:8080/x", "http://[fe80::1]:8080/x" },
		{ "http://my_host.gov.cn/", "http://my_host.gov.cn/" },
		{ "http://示例.政务/", "http://xn--fsq092h.xn--zfr164b/" },
		{ "http://例子。政务/", "http://xn--fsqu00a.xn--zfr164b/" },
		{ "http://%E7%A4%BA%E4%BE%8B.%E6%94%BF%E5%8A%A1/", "http://xn--fsq092h.xn--zfr164b/" },
		{ "http://Bücher.ch/", "http://xn--bcher-kva.ch/" },
		{ "http://ＥＸＡＭＰＬＥ.com/", "http://example.com/" },
		{ "http:example.com/a", "http://example.com/a" },
		{ "http:///example.com/a", "http://example.com/a" },
		{ "http://evil@good.gov.cn@bad.cn/", "http://bad.cn/" },
		{ "mailto:x@y.cn", NULL },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		check_normalize(cases[i].in, cases[i].want);
}

/* RFC 3986 section 5.4, with the base's scheme being http. */
static void test_resolve_rfc3986(void **state)
{
	static const struct pair cases[] = {
		/* 5.4.1 normal examples */
		{ "g:h", NULL },
		{ "g", "http://a/b/c/g" },
		{ "./g", "http://a/b/c/g" },
		{ "g/", "http://a/b/c/g/" },
		{ "/g", "http://a/g" },
		{ "//g", "http://g/" },
		{ "?y", "http://a/b/c/d;p?y" },
		{ "g?y", "http://a/b/c/g?y" },
		{ "#s", "http://a/b/c/d;p?q" },
		{ "g#s", "http://a/b/c/g" },
		{ "g?y#s", "http://a/b/c/g?y" },
		{ ";x", "http://a/b/c/;x" },
		{ "g;x", "http://a/b/c/g;x" },
		{ "g;x?y#s", "http://a/b/c/g;x?y" },
		{ "", "http://a/b/c/d;p?q" },
		{ ".", "http://a/b/c/" },
		{ "./", "http://a/b/c/" },
		{ "..", "http://a/b/" },
		{ "../", "http://a/b/" },
		{ "../g", "http://a/b/g" },
		{ "../..", "http://a/" },
		{ "../../", "http://a/" },
		{ "../../g", "http://a/g" },
		/* 5.4.2 abnormal examples */
		{ "../../../g", "http://a/g" },
		{ "../../../../g", "http://a/g" },
		{ "/./g", "http://a/g" },
		{ "/../g", "http://a/g" },
		{ "g.", "http://a/b/c/g." },
		{ ".g", "http://a/b/c/.g" },
		{ "g..", "http://a/b/c/g.." },
		{ "..g", "http://a/b/c/..g" },
		{ "./../g", "http://a/b/g" },
		{ "./g/.", "http://a/b/c/g/" },
		{ "g/./h", "http://a/b/c/g/h" },
		{ "g/../h", "http://a/b/c/h" },
		{ "g;x=1/./y", "http://a/b/c/g;x=1/y" },
		{ "g;x=1/../y", "http://a/b/c/y" },
		{ "g?y/./x", "http://a/b/c/g?y/./x" },
		{ "g?y/../x", "http://a/b/c/g?y/../x" },
		{ "g#s/./x", "http://a/b/c/g" },
		{ "g#s/../x", "http://a/b/c/g" },
		{ "http:g", "http://a/b/c/g" }, /* the non-strict reading, as browsers */
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		check_resolve("http://a/b/c/d;p?q", cases[i].in, cases[i].want);
}

static void test_resolve_browser_cases(void **state)
{
	static const struct triple cases[] = {
		/* protocol-relative, query-only, fragment-only */
		{ "https://a.gov.cn/x/y.html", "//cdn.gov.cn/j.js", "https://cdn.gov.cn/j.js" },
		{ "http://a/b/c", "///g/h", "http://g/h" },
		{ "http://a/b/list.php?id=1", "?id=2", "http://a/b/list.php?id=2" },
		{ "http://a/b/list.php?id=1", "#top", "http://a/b/list.php?id=1" },
		{ "http://a/b/list.php?id=1", "?", "http://a/b/list.php?" },
		/* above the root */
		{ "http://a/b", "../../../../etc/passwd", "http://a/etc/passwd" },
		{ "http://a/b/c", "./%2e%2e/%2E%2E/x", "http://a/x" },
		{ "http://a/b/c", "..%2f..%2fx", "http://a/b/..%2F..%2Fx" },
		/* backslashes count as '/' before the query */
		{ "http://a/b/c/d", "..\\x\\y", "http://a/b/x/y" },
		{ "http://a/b/c/d", "\\\\evil.cn\\x", "http://evil.cn/x" },
		{ "http://a/b/c/d", "/\\evil.cn/x", "http://evil.cn/x" },
		{ "http://a/b/c/d", "x?a\\b", "http://a/b/c/x?a%5Cb" },
		{ "http://a/b/c/d", "http:\\\\evil.cn\\x", "http://evil.cn/x" },
		/* whitespace: trimmed outside, tabs and newlines dropped inside */
		{ "http://a/b/c", "  g \n", "http://a/b/g" },
		{ "http://a/b/c", "\t\r\ng\n/h\t", "http://a/b/g/h" },
		{ "http://a/b/c", "g h", "http://a/b/g%20h" },
		{ "http://a/b/c", "ht\ntp://x.cn/", "http://x.cn/" },
		/* not http(s) */
		{ "http://a/b/c", "javascript:alert(1)", NULL },
		{ "http://a/b/c", " JavaScript:void(0)", NULL },
		{ "http://a/b/c", "java\nscript:alert(1)", NULL },
		{ "http://a/b/c", "mailto:office@gov.cn", NULL },
		{ "http://a/b/c", "data:text/html,<b>x</b>", NULL },
		{ "http://a/b/c", "ftp://a/file.zip", NULL },
		{ "http://a/b/c", "tel:12345", NULL },
		{ "http://a/b/c", "c:\\windows\\x.doc", NULL },
		{ "http://a/b/c", "g\x01h", NULL },
		{ "http://a/b/c", "\x01g \x1f", "http://a/b/g" },
		{ "http://a/b/c", "g\x7f", NULL },
		{ "mailto:x@y", "g", NULL },
		{ "http://a/b/c", "http://", NULL },
		/* scheme, host, ports */
		{ "http://a/b/c", "HTTP://WWW.Example.GOV.cn:80/A", "http://www.example.gov.cn/A" },
		{ "http://a/b/c", "https://h:443/x", "https://h/x" },
		{ "http://a/b/c", "http://h:443/x", "http://h:443/x" },
		{ "http://a/b/c", "https:evil.cn/x", "https://evil.cn/x" },
		{ "http://a/b/c", "http:/g", "http://a/g" },
		{ "http://a/b/c", "http:", "http://a/b/c" },
		{ "http://127.0.0.1:8080/a/b", "c", "http://127.0.0.1:8080/a/c" },
		{ "http://127.0.0.1:8080/a/b", "//127.0.0.1:8080/", "http://127.0.0.1:8080/" },
		{ "http://[::1]:8080/a/b", "../x", "http://[::1]:8080/x" },
		{ "http://a/b/c", "http://[FE80::1]/", "http://[fe80::1]/" },
		/* IDN is punycoded; non-ASCII paths are UTF-8 percent-encoded */
		{ "http://a/b/c", "http://示例.政务/a", "http://xn--fsq092h.xn--zfr164b/a" },
		{ "http://a/b/c", "通知.pdf", "http://a/b/%E9%80%9A%E7%9F%A5.pdf" },
		{ "http://a/b/c", "%CD%A8%D6%AA.doc", "http://a/b/%CD%A8%D6%AA.doc" },
		{ "http://a/b/c", "x.asp?id=%7e1&n=a b", "http://a/b/x.asp?id=~1&n=a%20b" },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		check_resolve(cases[i].a, cases[i].b, cases[i].want);
}

static void test_canonical(void **state)
{
	static const char *const id[] = { "id" };
	static const char *const cn[] = { "分类", "id" };
	static const char *const hosts[] = { "www.site.gov.cn", "OLD.site.gov.cn",
					     "site.gov.cn:8080", "http://alias.cn/" };
	static const char *const local[] = { "127.0.0.1:8080", "localhost:8080" };
	struct {
		const char *in;
		const char *const *keep;
		size_t nkeep;
		const char *const *hosts;
		size_t nhosts;
		const char *want;
	} cases[] = {
		{ "http://h/a.php?b=2&id=5&a=1", id, 1, NULL, 0, "http://h/a.php?id=5" },
		{ "http://h/a.php?b=2&c", id, 1, NULL, 0, "http://h/a.php" },
		{ "http://h/a.php?id=5&ID=6&Id", id, 1, NULL, 0, "http://h/a.php?ID=6&Id&id=5" },
		{ "http://h/a.php?%69d=7", id, 1, NULL, 0, "http://h/a.php?id=7" },
		{ "http://h/a.php?idx=1&id=2", id, 1, NULL, 0, "http://h/a.php?id=2" },
		{ "http://h/a?b=2&a=1&a=0&a&a=&&", NULL, 0, NULL, 0, "http://h/a?a&a=&a=0&a=1&b=2" },
		{ "http://h/a?z=1&z=0&y", NULL, 0, NULL, 0, "http://h/a?y&z=0&z=1" },
		{ "http://h/a?&&", NULL, 0, NULL, 0, "http://h/a" },
		{ "http://h/a?", NULL, 0, NULL, 0, "http://h/a" },
		{ "http://h/x?%E5%88%86%E7%B1%BB=3&x=2", cn, 2, NULL, 0,
		  "http://h/x?%E5%88%86%E7%B1%BB=3" },
		{ "http://OLD.Site.gov.cn/x?id=1&t=2", id, 1, hosts, 4, "http://www.site.gov.cn/x?id=1" },
		{ "http://site.gov.cn:8080/x", NULL, 0, hosts, 4, "http://www.site.gov.cn/x" },
		{ "http://site.gov.cn/x", NULL, 0, hosts, 4, "http://site.gov.cn/x" },
		{ "https://old.site.gov.cn:443/x", NULL, 0, hosts, 4, "https://www.site.gov.cn/x" },
		{ "http://alias.cn/x", NULL, 0, hosts, 4, "http://www.site.gov.cn/x" },
		{ "http://www.site.gov.cn/x", NULL, 0, hosts, 4, "http://www.site.gov.cn/x" },
		{ "http://localhost:8080/a/../b", NULL, 0, local, 2, "http://127.0.0.1:8080/b" },
		{ "http://localhost/b", NULL, 0, local, 2, "http://localhost/b" },
		{ "javascript:x", NULL, 0, NULL, 0, NULL },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf sb = STRBUF_INIT, again = STRBUF_INIT;
		int r = url_canonical(cases[i].in, cases[i].keep, cases[i].nkeep,
				      cases[i].hosts, cases[i].nhosts, &sb);
		if (!cases[i].want) {
			assert_int_equal(r, -1);
			continue;
		}
		if (r)
			fail_msg("canonical(%s) failed", cases[i].in);
		assert_string_equal(sb.buf, cases[i].want);
		assert_int_equal(url_canonical(sb.buf, cases[i].keep, cases[i].nkeep,
					       cases[i].hosts, cases[i].nhosts, &again), 0);
		assert_string_equal(again.buf, sb.buf);
		strbuf_release(&sb);
		strbuf_release(&again);
	}
}

static void test_hostport(void **state)
{
	static const struct pair cases[] = {
		{ "http://WWW.A.cn:80/x", "www.a.cn" },
		{ "https://a.cn:8443/", "a.cn:8443" },
		{ "http://127.0.0.1:8080/", "127.0.0.1:8080" },
		{ "https://[::1]:443/", "[::1]" },
		{ "ftp://a.cn/", NULL },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		int r = url_hostport(cases[i].in, &sb);
		if (cases[i].want) {
			assert_int_equal(r, 0);
			assert_string_equal(sb.buf, cases[i].want);
		} else {
			assert_int_equal(r, -1);
		}
		strbuf_release(&sb);
	}
}

/* ---- local paths ---- */

/*
 * Safety of one relative path: what path_join_safe() checks, plus the
 * length limits, no byte that is a control or backslash, and a lexical
 * join below a root that never climbs out.
 */
static void assert_safe_path(const char *rel)
{
	const char *p = rel, *r;
	size_t len = strlen(rel);
	int depth = 0;
	r = path_unsafe_reason(rel, len);
	if (r)
		fail_msg("'%s' %s", rel, r);
	if (len > 1024)
		fail_msg("'%s' is longer than 1024 bytes", rel);
	for (p = rel; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			fail_msg("'%s' has a control character or backslash", rel);
	if (strpbrk(rel, "<>:\"|?*"))
		fail_msg("'%s' has a character Windows forbids", rel);
	for (p = rel;;) {
		static const char *const dev[] = { "con", "prn", "aux", "nul", "com1", "lpt1" };
		size_t n = strcspn(p, "/"), stem = strcspn(p, "./"), d;
		if (!n || n > 200)
			fail_msg("'%s' has an empty or over-long segment", rel);
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			fail_msg("'%s' has a dot segment", rel);
		if (p[0] == '.' || p[n - 1] == '.' || p[n - 1] == ' ')
			fail_msg("'%s' has a hidden name or one Windows would trim", rel);
		for (d = 0; d < sizeof(dev) / sizeof(*dev); d++)
			if (stem == strlen(dev[d]) && !strncasecmp(p, dev[d], stem))
				fail_msg("'%s' has a Windows device name", rel);
		depth += 1;
		if (depth <= 0)
			fail_msg("'%s' leaves the root", rel);
		if (!p[n])
			break;
		p += n + 1;
	}
}

/*
 * The file has one segment per segment of the URL's path, after HOST (or is
 * HOST "/@h..." for an over-long path): nothing in a name became a '/'.
 */
static void assert_same_depth(const char *url, const char *rel)
{
	struct url u;
	const char *p;
	size_t want = 1, got = 1;
	assert_int_equal(url_parse(url, &u), 0);
	for (p = u.path; *p; p++)
		want += *p == '/';
	for (p = rel; *p; p++)
		got += *p == '/';
	url_release(&u);
	if (got == 2 && strstr(rel, "/@h"))
		return;
	if (got != want)
		fail_msg("'%s' has %zu segments for '%s'", rel, got, url);
}

/*
 * What a case-insensitive file system compares: case folded, non-ASCII
 * letters too (through the C.UTF-8 locale, set up in main()).
 */
static char *fold(const char *s)
{
	size_t len = strlen(s), i = 0, o = 0;
	char *f = malloc(len * 2 + MB_LEN_MAX + 1);
	mbstate_t in, out;
	assert_non_null(f);
	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	while (i < len) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + i, len - i, &in);
		if (k == (size_t)-1 || k == (size_t)-2 || !k) {
			memset(&in, 0, sizeof(in));
			f[o++] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
			i++;
			continue;
		}
		o += wcrtomb(f + o, (wchar_t)towlower((wint_t)wc), &out);
		i += k;
	}
	f[o] = '\0';
	return f;
}

/* Is the file a a directory on the way to b (b = a "/" ...)? */
static int is_dir_prefix(const char *a, const char *b)
{
	size_t n = strlen(a);
	return !strncmp(a, b, n) && b[n] == '/';
}

static void check_local(const char *url, const char *mime, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	if (url_local_path(url, mime, &sb))
		fail_msg("local_path(%s) failed", url);
	if (strcmp(sb.buf, want))
		fail_msg("local_path(%s, %s) = '%s', want '%s'", url, mime ? mime : "NULL",
			 sb.buf, want);
	assert_safe_path(sb.buf);
	strbuf_release(&sb);
}

static void test_local_path_table(void **state)
{
	static const struct {
		const char *url, *mime, *want;
	} cases[] = {
		/* the readable common cases */
		{ "http://www.a.gov.cn/", "text/html", "www.a.gov.cn/index.html" },
		{ "http://www.a.gov.cn/a/b.html", "text/html; charset=gbk", "www.a.gov.cn/a/b.html" },
		{ "http://www.a.gov.cn/css/site.css", "text/css", "www.a.gov.cn/css/site.css" },
		{ "http://www.a.gov.cn/files/%E9%80%9A%E7%9F%A5.pdf", "application/pdf",
		  "www.a.gov.cn/files/通知.pdf" },
		{ "http://www.a.gov.cn/a/", "text/html", "www.a.gov.cn/a/index.html" },
		{ "http://www.a.gov.cn/a/", NULL, "www.a.gov.cn/a/index.html" },
		{ "http://127.0.0.1:8080/x.js", "application/javascript", "127.0.0.1+8080/x.js" },
		{ "http://[::1]:8080/", "text/html", "[++1]+8080/index.html" },
		{ "https://www.a.gov.cn/a.css", "text/css", "www.a.gov.cn@s/a.css" },
		{ "https://www.a.gov.cn:8443/", "text/html", "www.a.gov.cn+8443@s/index.html" },
		{ "http://www.a.gov.cn:443/", "text/html", "www.a.gov.cn+443/index.html" },
		/* HTML gets .html; file and directory of one name both fit */
		{ "http://h/a", "text/html", "h/a@.html" },
		{ "http://h/a/b", "text/html", "h/a/b@.html" },
		{ "http://h/a.html/x", "text/html", "h/a@2Ehtml/x@.html" },
		{ "http://h/a.php", "text/html", "h/a.php@.html" },
		{ "http://h/a.htm", "text/html", "h/a.htm" },
		{ "http://h/index.html", "text/html", "h/index.html@.html" },
		{ "http://h/index.htm", "text/html", "h/index.htm" },
		{ "http://h/a/index", "application/pdf", "h/a/index@.pdf" },
		{ "http://h/a/", "application/pdf", "h/a/index@i.pdf" },
		/* queries, only as given (canonical) */
		{ "http://h/a?id=1", "text/html", "h/a@qid=1.html" },
		{ "http://h/list.php?id=5", "text/html", "h/list.php@qid=5.html" },
		{ "http://h/?id=1", "text/html", "h/index@i@qid=1.html" },
		{ "http://h/a?", "text/html", "h/a@q.html" },
		{ "http://h/?a=%2F&b=/&c=?&d=@", "text/html", "h/index@i@qa=@AF&b=@2F&c=@3F&d=@40.html" },
		{ "http://h/s?q=%E9%80%9A.pdf", "text/html", "h/s@qq=通.pdf.html" },
		{ "http://h/get.asp?id=3", "application/pdf", "h/get.asp@qid=3.pdf" },
		/* case: a mask of the upper-case letters */
		{ "http://h/A", "text/html", "h/A@u1.html" },
		{ "http://h/ABC.pdf", "application/pdf", "h/ABC.pdf@u7.pdf" },
		{ "http://h/x.JPG", "image/jpeg", "h/x.JPG@ue.jpg" },
		{ "http://h/News?id=3", "text/html", "h/News@qid=3@u1.html" },
		{ "http://h/n?ID=3", "text/html", "h/n@qID=3@u6.html" },
		{ "http://H.CN/UploadFiles/2019/a.doc", "application/msword", "h.cn/UploadFiles@u14/2019/a.doc" },
		/* hostile paths */
		{ "http://h/..%2f..%2fetc/passwd", "text/plain", "h/@2E.@AF..@AFetc/passwd@.txt" },
		{ "http://h/%2e%2e/x", "text/html", "h/x@.html" },
		{ "http://h/a%00b", "text/html", "h/a@80b@.html" },
		{ "http://h/a%0Ab%7F", "text/html", "h/a@8Ab@FF@.html" },
		{ "http://h/a\\b", "text/html", "h/a@DCb@.html" },
		{ "http://h/a%5Cb", "text/html", "h/a@DCb@.html" },
		{ "http://h/a//b", "text/html", "h/a/@n/b@.html" },
		{ "http://h/.htaccess", NULL, "h/@2Ehtaccess@.bin" },
		{ "http://h/a.", "text/html", "h/a@2E@.html" },
		{ "http://h/...", "text/html", "h/@2E.@2E@.html" },
		{ "http://h/a@b:c*d", "text/html", "h/a@40b@3Ac@2Ad@.html" },
		{ "http://h/a%40b", "text/html", "h/a%40b@.html" },
		{ "http://h/a%20b.pdf", "application/pdf", "h/a%20b.pdf" },
		{ "http://h/%25.pdf", "application/pdf", "h/%25.pdf" },
		/* Windows device names */
		{ "http://h/CON", "text/html", "h/CO@4E@u3.html" },
		{ "http://h/con.txt", "text/plain", "h/co@6E.txt" },
		{ "http://h/lpt1/x.css", "text/css", "h/lpt@31/x.css" },
		{ "http://aux.gov.cn/", "text/html", "au@78.gov.cn/index.html" },
		/* the capture's own site/index.html is not a host's directory */
		{ "http://index.html/", "text/html", "index.htm@6C/index.html" },
		{ "https://index.html/", "text/html", "index.html@s/index.html" },
		/* characters: caseless scripts decoded, the rest kept escaped */
		{ "http://h/%E9%80%9A%E7%9F%A5.pdf", "text/html", "h/通知.pdf@.html" },
		{ "http://h/%CD%A8%D6%AA.doc", "application/msword", "h/%CD%A8%D6%AA.doc" },
		{ "http://h/%C3%A9t%C3%A9.pdf", "application/pdf", "h/%C3%A9t%C3%A9.pdf" },
		{ "http://h/%EF%BC%9A%EF%BC%88a%EF%BC%89.pdf", "application/pdf", "h/%EF%BC%9A（a）.pdf" },
		{ "http://h/%E9%80%9A%E7", "text/html", "h/通%E7@.html" },
		{ "http://h/%E2%80%AEfdp.exe", NULL, "h/%E2%80%AEfdp.exe" },
		/* types */
		{ "http://h/x.css", "text/plain", "h/x.css" },
		{ "http://h/x.html", "text/plain", "h/x.html@.txt" },
		{ "http://h/x.svg", "text/plain", "h/x.svg@.txt" },
		{ "http://h/x.svg", "image/svg+xml", "h/x.svg" },
		{ "http://h/x.php", "image/png", "h/x.php@.png" },
		{ "http://h/x.txt", "application/octet-stream", "h/x.txt" },
		{ "http://h/x.html", "application/octet-stream", "h/x.html@.bin" },
		{ "http://h/data", NULL, "h/data@.bin" },
		{ "http://h/data.JSON", NULL, "h/data.JSON@u0f.json" },
		{ "http://h/data.json", NULL, "h/data.json" },
		{ "http://h/", "application/x-foo", "h/index@i.bin" },
		{ "http://h/d.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		  "h/d.docx" },
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		check_local(cases[i].url, cases[i].mime, cases[i].want);
	check_local("http://h/a/./b", "text/html", "h/a/b@.html");
	check_local("http://h/?id=1", NULL, "h/index@i@qid=1.html");
	assert_int_equal(url_local_path("mailto:x@y.cn", NULL, &sb), -1);
	assert_int_equal(sb.len, 0);
}

static void test_local_path_long_names(void **state)
{
	struct strbuf url = STRBUF_INIT, got = STRBUF_INIT, got2 = STRBUF_INIT;
	size_t i;
	const char *name;
	(void)state;

	/* a 500-byte segment: 120 bytes kept, then the hash */
	strbuf_addstr(&url, "http://h/");
	for (i = 0; i < 500; i++)
		strbuf_addch(&url, 'x');
	assert_int_equal(url_local_path(url.buf, "text/html", &got), 0);
	assert_safe_path(got.buf);
	name = got.buf + 2;
	assert_int_equal(strspn(name, "x"), 120);
	assert_int_equal(strncmp(name + 120, "@h", 2), 0);
	assert_int_equal(strspn(name + 122, "0123456789abcdef"), 16);
	assert_string_equal(name + 138, ".html");
	/* one byte more is another name */
	strbuf_addch(&url, 'x');
	assert_int_equal(url_local_path(url.buf, "text/html", &got2), 0);
	assert_string_not_equal(got.buf, got2.buf);
	assert_int_equal(strncmp(got.buf, got2.buf, 124), 0);

	/* a long Chinese name is cut between characters */
	strbuf_reset(&url);
	strbuf_reset(&got);
	strbuf_addstr(&url, "http://h/");
	for (i = 0; i < 100; i++)
		strbuf_addstr(&url, "%E9%80%9A");
	strbuf_addstr(&url, ".pdf");
	assert_int_equal(url_local_path(url.buf, "application/pdf", &got), 0);
	assert_safe_path(got.buf);
	assert_non_null(strstr(got.buf, "通@h"));
	assert_int_equal(strstr(got.buf, "@h") - (got.buf + 2), 120);

	/* a long query */
	strbuf_reset(&url);
	strbuf_reset(&got);
	strbuf_addstr(&url, "http://h/list.php?id=");
	for (i = 0; i < 300; i++)
		strbuf_addch(&url, '7');
	assert_int_equal(url_local_path(url.buf, "text/html", &got), 0);
	assert_safe_path(got.buf);
	assert_int_equal(strncmp(got.buf, "h/list.php@h", 12), 0);

	/* a long directory */
	strbuf_reset(&url);
	strbuf_reset(&got);
	strbuf_addstr(&url, "http://h/");
	for (i = 0; i < 300; i++)
		strbuf_addch(&url, 'D');
	strbuf_addstr(&url, "/x.css");
	assert_int_equal(url_local_path(url.buf, "text/css", &got), 0);
	assert_safe_path(got.buf);
	assert_non_null(strstr(got.buf, "@h"));

	/* a deep path over 1024 bytes in all */
	strbuf_reset(&url);
	strbuf_reset(&got);
	strbuf_addstr(&url, "http://h");
	for (i = 0; i < 100; i++)
		strbuf_addstr(&url, "/abcdefghijklmnopqrst");
	assert_int_equal(url_local_path(url.buf, "text/html", &got), 0);
	assert_safe_path(got.buf);
	assert_int_equal(strncmp(got.buf, "h/@h", 4), 0);
	assert_string_equal(got.buf + 4 + 16, ".html");

	/* a long host name */
	strbuf_reset(&url);
	strbuf_reset(&got);
	strbuf_addstr(&url, "http://");
	for (i = 0; i < 4; i++) {
		size_t j;
		for (j = 0; j < 60; j++)
			strbuf_addch(&url, 'a' + (char)i);
		strbuf_addch(&url, '.');
	}
	strbuf_addstr(&url, "cn/");
	assert_int_equal(url_local_path(url.buf, "text/html", &got), 0);
	assert_safe_path(got.buf);
	assert_non_null(strstr(got.buf, "@h"));
	assert_true(strchr(got.buf, '/') - got.buf <= 200);

	strbuf_release(&url);
	strbuf_release(&got);
	strbuf_release(&got2);
}

/* URLs of the tricky table, and the types each may be served as. */
static const char *const tricky[] = {
	"/", "/a", "/a/", "/a/b", "/A", "/a.html", "/a.HTML", "/a?id=1", "/a?id=2", "/a?ID=1",
	"/a?", "/a/?id=1", "/?id=1", "/index.html", "/index.htm", "/index", "/index/",
	"/..%2f..%2fetc/passwd", "/%2e%2e/x", "/x", "/a%00b", "/a\\b", "/a%5Cb", "/a%2Fb", "/a/b/",
	"/xxxxx", "/CON", "/con", "/con.txt", "/a/./b", "/a//b", "/a//", "//a", "/.a", "/a.",
	"/通知.pdf", "/%E9%80%9A%E7%9F%A5.pdf", "/%CD%A8%D6%AA.doc", "/%cd%a8%d6%aa.doc",
	"/a@b", "/a%40b", "/a@40b", "/a:b", "/a%3Ab", "/a@3Ab", "/a.html/x", "/a.html/",
	"/a@.html", "/a@qid=1.html", "/index@i.html", "/@n/x", "/a%20b", "/a b", "/%25",
	"/a/index.html", "/a/index.html/", "/a@u1.html", "/a/n/b", "/a/@n/b", "/a/%40n/b",
	"/list.php?id=5", "/list.php@qid=5.html",
	"/s?q=a.pdf", "/s?q=a", "/s.pdf?q=a", "/x?a=/", "/x?a=%2F", "/x?a=@2F", "/x?a=%40",
	"/%E2%80%AE", "/%EF%BC%9A", "/ｆ", "/%C3%A9", "/%C3%89", "/É",
};
static const char *const mimes[] = {
	"text/html", "application/pdf", NULL, "text/plain", "image/png", "application/x-foo",
};

#define NTRICKY (sizeof(tricky) / sizeof(*tricky))
#define NMIMES (sizeof(mimes) / sizeof(*mimes))

/* Build the tricky table's canonical URLs (long names and host variants added). */
static size_t tricky_urls(char **urls, size_t max)
{
	static const char *const hosts[] = { "http://h.gov.cn", "http://H.gov.cn:8080",
					     "https://h.gov.cn" };
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0, i, h, k;
	for (h = 0; h < 3; h++) {
		for (i = 0; i <= NTRICKY + 1; i++) {
			strbuf_reset(&sb);
			strbuf_addstr(&sb, hosts[h]);
			if (i < NTRICKY) {
				strbuf_addstr(&sb, tricky[i]);
			} else {
				strbuf_addch(&sb, '/');
				for (k = 0; k < 500 + i - NTRICKY; k++)
					strbuf_addch(&sb, 'x');
			}
			assert_true(n < max);
			urls[n] = malloc(2048);
			assert_non_null(urls[n]);
			urls[n][0] = '\0';
			{
				struct strbuf c = STRBUF_INIT;
				assert_int_equal(url_canonical(sb.buf, NULL, 0, NULL, 0, &c), 0);
				snprintf(urls[n], 2048, "%s", c.buf);
				strbuf_release(&c);
			}
			n++;
		}
	}
	strbuf_release(&sb);
	return n;
}

static void test_local_path_pairwise(void **state)
{
	char *urls[3 * (NTRICKY + 2)];
	char *paths[3 * (NTRICKY + 2)][NMIMES];
	size_t n, i, j, m, k;
	(void)state;
	n = tricky_urls(urls, sizeof(urls) / sizeof(*urls));
	for (i = 0; i < n; i++) {
		for (m = 0; m < NMIMES; m++) {
			struct strbuf sb = STRBUF_INIT;
			assert_int_equal(url_local_path(urls[i], mimes[m], &sb), 0);
			assert_safe_path(sb.buf);
			assert_same_depth(urls[i], sb.buf);
			paths[i][m] = fold(sb.buf);
			strbuf_release(&sb);
		}
	}
	/*
	 * Distinct canonical URLs, whatever types they were served as, never
	 * share a file, even with case folded; no file is a directory of another.
	 */
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			for (m = 0; m < NMIMES; m++) {
				for (k = 0; k < NMIMES; k++) {
					if (i != j && !strcmp(urls[i], urls[j]))
						continue; /* the table has duplicates after normalising */
					if (strcmp(urls[i], urls[j]) && !strcmp(paths[i][m], paths[j][k]))
						fail_msg("'%s' and '%s' both map to '%s'", urls[i],
							 urls[j], paths[i][m]);
					if (is_dir_prefix(paths[i][m], paths[j][k]))
						fail_msg("file '%s' of '%s' is a directory of '%s'",
							 paths[i][m], urls[i], paths[j][k]);
				}
			}
		}
	}
	for (i = 0; i < n; i++) {
		for (m = 0; m < NMIMES; m++)
			free(paths[i][m]);
		free(urls[i]);
	}
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Make the directories on the way to file rel below root, then the file itself. */
static int create_below(const char *root, const char *rel)
{
	struct strbuf full = STRBUF_INIT;
	size_t i;
	int fd;
	if (path_join_safe(&full, root, rel))
		return -1;
	for (i = strlen(root) + 1; i < full.len; i++) {
		if (full.buf[i] != '/')
			continue;
		full.buf[i] = '\0';
		if (mkdir(full.buf, 0755) && errno != EEXIST) {
			strbuf_release(&full);
			return -1;
		}
		full.buf[i] = '/';
	}
	fd = open(full.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
	if (fd >= 0)
		close(fd);
	strbuf_release(&full);
	return fd >= 0 ? 0 : -1;
}

/*
 * Every URL of the table really written below a fresh root: joined through
 * path_join_safe(), every directory created, every file created with
 * O_EXCL (so two URLs meeting on one file, or a file where a directory must
 * go, fail here), and each file's real path is below the root.
 */
static char disk_root[] = "/tmp/jiyue-url-XXXXXX";

static int remove_disk_root(void **state)
{
	(void)state;
	return nftw(disk_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void test_local_path_on_disk(void **state)
{
	char *urls[3 * (NTRICKY + 2)], *root, real_root[PATH_MAX], real[PATH_MAX];
	size_t n, i, j;
	(void)state;
	root = mkdtemp(disk_root);
	assert_non_null(root);
	assert_non_null(realpath(root, real_root));
	n = tricky_urls(urls, sizeof(urls) / sizeof(*urls));
	for (i = 0; i < n; i++) {
		struct strbuf rel = STRBUF_INIT, full = STRBUF_INIT;
		int dup = 0;
		for (j = 0; j < i; j++)
			if (!strcmp(urls[i], urls[j]))
				dup = 1;
		if (dup)
			continue;
		assert_int_equal(url_local_path(urls[i], mimes[i % NMIMES], &rel), 0);
		if (create_below(root, rel.buf))
			fail_msg("cannot create '%s' for '%s': %s", rel.buf, urls[i], strerror(errno));
		assert_int_equal(path_join_safe(&full, root, rel.buf), 0);
		assert_non_null(realpath(full.buf, real));
		if (strncmp(real, real_root, strlen(real_root)) || real[strlen(real_root)] != '/')
			fail_msg("'%s' resolved outside the root: %s", rel.buf, real);
		strbuf_release(&rel);
		strbuf_release(&full);
	}
	for (i = 0; i < n; i++)
		free(urls[i]);
}

/* ---- the randomised property test ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

struct entry {
	char *key;  /* folded path */
	char *url;  /* canonical URL */
	int is_dir;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : x->is_dir - y->is_dir;
}

static void test_local_path_random(void **state)
{
	static const char *const segs[] = {
		"a", "A", "b", "index.html", "index", "..", ".", "%2e%2e", "%2E", "%2F", "%2f",
		"a%00b", "%5C", "\\", "%E9%80%9A%E7%9F%A5", "通知", "%CD%A8%D6%AA", "CON", "con.txt",
		"Con", "a.html", "a.HTML", "a.htm", "@", "@40", "%40", "@q", "@.html", "@u1", "@n",
		"a:b", "*", "", "~", "%7E", "a b", "%20", "list.php", ".hidden", "a.", "2019.01",
		"%EF%BD%86", "%C3%A9", "%C3%89", "x.pdf", "X.PDF", "x.pdf@.pdf", "%25", "%",
		"%E2%80%AE", "%EF%BC%8F", "lpt9", "aux.gov", "a@2Eb", "a.b.c", "xxxxxxxxxxxxxxxxxxxx",
		"n", "@n", "s", "@s", "h", "i", "q",
	};
	static const char *const queries[] = {
		NULL, NULL, NULL, "", "id=1", "id=A", "ID=1", "id=a", "a=b&c=d", "x=%2F", "x=/",
		"x=?", "x=%3F", "q=%E9%80%9A", "id=1.html", "x=@", "x=%40", "x=@40", "a", "a=",
	};
	static const char *const hosts[] = {
		"http://h.gov.cn", "http://H.gov.cn", "http://127.0.0.1:8080", "http://127.0.0.1:80",
		"https://h.gov.cn", "http://www.h.gov.cn", "http://[::1]:8080", "http://con.cn",
	};
	enum { N = 20000 };
	struct entry *e = calloc((size_t)N * 16, sizeof(*e));
	size_t ne = 0, i, k;
	struct strbuf raw = STRBUF_INIT, canon = STRBUF_INIT, path = STRBUF_INIT,
		again = STRBUF_INIT;
	(void)state;
	assert_non_null(e);

	for (i = 0; i < N; i++) {
		unsigned nseg = 1 + rnd(5), s;
		const char *q = queries[rnd(sizeof(queries) / sizeof(*queries))];
		char *f;
		strbuf_reset(&raw);
		strbuf_addstr(&raw, hosts[rnd(sizeof(hosts) / sizeof(*hosts))]);
		for (s = 0; s < nseg; s++) {
			strbuf_addch(&raw, '/');
			strbuf_addstr(&raw, segs[rnd(sizeof(segs) / sizeof(*segs))]);
			if (!rnd(3))
				strbuf_addstr(&raw, segs[rnd(sizeof(segs) / sizeof(*segs))]);
		}
		if (!rnd(6))
			strbuf_addch(&raw, '/');
		if (q)
			strbuf_addf(&raw, "?%s", q);

		strbuf_reset(&canon);
		assert_int_equal(url_canonical(raw.buf, NULL, 0, NULL, 0, &canon), 0);
		strbuf_reset(&again);
		assert_int_equal(url_canonical(canon.buf, NULL, 0, NULL, 0, &again), 0);
		assert_string_equal(again.buf, canon.buf);

		strbuf_reset(&path);
		assert_int_equal(url_local_path(canon.buf, mimes[rnd(NMIMES)], &path), 0);
		assert_safe_path(path.buf);
		assert_same_depth(canon.buf, path.buf);

		f = fold(path.buf);
		e[ne].key = f;
		e[ne].url = strdup(canon.buf);
		e[ne].is_dir = 0;
		ne++;
		/* every directory on the way */
		for (k = 0; f[k]; k++) {
			if (f[k] != '/')
				continue;
			e[ne].key = strndup(f, k);
			e[ne].url = NULL;
			e[ne].is_dir = 1;
			ne++;
		}
	}
	qsort(e, ne, sizeof(*e), cmp_entry);
	for (i = 0; i + 1 < ne; i++) {
		if (strcmp(e[i].key, e[i + 1].key))
			continue;
		if (!e[i].is_dir && e[i + 1].is_dir)
			fail_msg("file '%s' of '%s' is also a directory", e[i].key, e[i].url);
		if (!e[i].is_dir && !e[i + 1].is_dir && strcmp(e[i].url, e[i + 1].url))
			fail_msg("'%s' and '%s' both map to '%s'", e[i].url, e[i + 1].url, e[i].key);
	}
	for (i = 0; i < ne; i++) {
		free(e[i].key);
		free(e[i].url);
	}
	free(e);
	strbuf_release(&raw);
	strbuf_release(&canon);
	strbuf_release(&path);
	strbuf_release(&again);
}

/* ---- SURT ---- */

static void test_surt(void **state)
{
	static const struct pair cases[] = {
		{ "http://www.Example.gov.cn:80/a/b?z=1&a=2", "cn,gov,example)/a/b?a=2&z=1" },
		{ "http://127.0.0.1:8080/x/", "1,0,0,127:8080)/x" },
		{ "http://www.gov.cn/通知.pdf", "cn,gov)/%e9%80%9a%e7%9f%a5.pdf" },
		{ "http://h.gov.cn/a?ID=%E9%80%9A", "cn,gov,h)/a?id=%e9%80%9a" },
		{ "https://www.h.gov.cn/A/B.HTML#x", "cn,gov,h)/a/b.html" },
		{ "http://www1.h.gov.cn/", "cn,gov,h)/" },
		{ "http://www2foo.cn/", "cn,www2foo)/" },
		{ "http://示例.政务/", "xn--zfr164b,xn--fsq092h)/" },
		/* surt's own tests (WaybackURLKeyMaker, canonicalizers) */
		{ "http://www.archive.org/", "org,archive)/" },
		{ "http://archive.org/goo/", "org,archive)/goo" },
		{ "http://archive.org/goo/?", "org,archive)/goo" },
		{ "http://archive.org/goo/?b&a", "org,archive)/goo?a&b" },
		{ "http://archive.org/goo/?a=2&b&a=1", "org,archive)/goo?a=1&a=2&b" },
		{ "http://archive.org/index.php?PHPSESSID=0123456789abcdefghijklemopqrstuv&action=profile;u=4221",
		  "org,archive)/index.php?action=profile;u=4221" },
		{ "http://visit.webhosting.yahoo.com/visit.gif?&r=http%3A//web.archive.org/web/20090517140029/http%3A//anthonystewarthead.electric-chi.com/&b=Netscape%205.0%20%28Windows%3B%20en-US%29&s=1366x768&o=Win32&c=24&j=true&v=1.2",
		  "com,yahoo,webhosting,visit)/visit.gif?&b=netscape%205.0%20(windows;%20en-us)&c=24&j=true&o=win32&r=http://web.archive.org/web/20090517140029/http://anthonystewarthead.electric-chi.com/&s=1366x768&v=1.2" },
		{ "http://www34.archive.org/index.html?b=a&b=b&a=b", "org,archive)/index.html?a=b&b=a&b=b" },
		{ "http://archive.org/index.html?a=1&", "org,archive)/index.html?&a=1" },
		{ "http://ARCHIVE.ORG/", "org,archive)/" },
		{ "https://www.archive.org:80/", "org,archive:80)/" },
		{ "http://www.archive.org:443/", "org,archive:443)/" },
		{ "https://www.archive.org:443/", "org,archive)/" },
		{ "http://www.archive.org/big/", "org,archive)/big" },
		{ "http://host/%25%32%35", "host)/%25" },
		{ "http://host/%25%32%35%25%32%35", "host)/%25%25" },
		{ "http://host/%2525252525252525", "host)/%25" },
		{ "http://host/asdf%25%32%35asd", "host)/asdf%25asd" },
		{ "http://host/%%%25%32%35asd%%", "host)/%25%25%25asd%25%25" },
		{ "http://%31%36%38%2e%31%38%38%2e%39%39%2e%32%36/%2E%73%65%63%75%72%65/%77%77%77%2E%65%62%61%79%2E%63%6F%6D/",
		  "26,99,188,168)/.secure/www.ebay.com" },
		{ "http://host%23.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%252944_55%252B",
		  "com,host%23)/~a!b@c%23d$e%25f^00&11*22(33)44_55+" },
		{ "http://3279880203/blah", "11,0,127,195)/blah" },
		{ "http://10.0.258/", "2,1,0,10)/" },
		{ "http://017.0.0.1/", "1,0,0,15)/" },
		{ "http://www.google.com/blah/..", "com,google)/" },
		{ "www.google.com/", "com,google)/" },
		{ "www.google.com", "com,google)/" },
		{ "http://www.evil.com/blah#frag", "com,evil)/blah" },
		{ "http://www.GOOgle.com/", "com,google)/" },
		{ "http://www.google.com.../", "com,google)/" },
		{ "http://www.google.com/foo\tbar\rbaz\n2", "com,google)/foobarbaz2" },
		{ "http://www.google.com/q?", "com,google)/q" },
		{ "http://www.google.com/q?r?", "com,google)/q?r?" },
		{ "http://www.google.com/q?r?s", "com,google)/q?r?s" },
		{ "http://evil.com/foo#bar#baz", "com,evil)/foo" },
		{ "http://evil.com/foo;", "com,evil)/foo;" },
		{ "http://evil.com/foo?bar;", "com,evil)/foo?bar;" },
		{ "http://www.t%EF%BF%BD%04.82.net/", "net,82,t%ef%bf%bd%04)/" },
		{ "Bücher.ch:8080", "ch,xn--bcher-kva:8080)/" },
		{ "☃.com", "com,xn--n3h)/" },
		{ "http://notrailingslash.com", "com,notrailingslash)/" },
		{ "http://www.gotaport.com:1234/", "com,gotaport:1234)/" },
		{ "  http://www.google.com/  ", "com,google)/" },
		{ "https://www.securesite.com/", "com,securesite)/" },
		{ "http://host.com/ab%23cd", "com,host)/ab%23cd" },
		{ "http://host.com//twoslashes?more//slashes", "com,host)/twoslashes?more//slashes" },
		{ "http://www.alexa.com/", "com,alexa)/" },
		{ "http:////////////////www.vikings.com", "com,vikings)/" },
		{ "http://https://order.1and1.com", "com,1and1,order)/" },
		{ "http://mineral.galleries.com:/minerals/silicate/chabazit/chabazit.htm",
		  "com,galleries,mineral)/minerals/silicate/chabazit/chabazit.htm" },
		/* session ids */
		{ "http://a.com/?jsessionid=0123456789abcdefghijklemopqrstuv", "com,a)/" },
		{ "http://a.com/x?one=two&jsessionid=0123456789abcdefghijklemopqrstuv&x=y",
		  "com,a)/x?one=two&x=y" },
		{ "http://a.com/x?jsessionid=0123456789abcdefghijklemopqrstuv0", "com,a)/x?jsessionid=0123456789abcdefghijklemopqrstuv0" },
		{ "http://a.com/x?aspsessionidABCDEFGH=ABCDEFGHIJKLMNOPQRSTUVWX&x=y", "com,a)/x?x=y" },
		{ "http://a.com/x?sid=9682993c8daa2c5497996114facdc805&x=y", "com,a)/x?x=y" },
		{ "http://a.com/?CFID=1169580&CFTOKEN=48630702&dtstamp=22%2F08%2F2006%7C06%3A58%3A11",
		  "com,a)/?dtstamp=22/08/2006|06:58:11" },
		{ "http://a.com/(S(4hqa0555fwsecu455xqckv45))/mileg.aspx", "com,a)/mileg.aspx" },
		{ "http://a.com/(4hqa0555fwsecu455xqckv45)/mileg.aspx", "com,a)/mileg.aspx" },
		{ "http://a.com/(a(4hqa0555fwsecu455xqckv45)S(4hqa0555fwsecu455xqckv45)f(4hqa0555fwsecu455xqckv45))/mileg.aspx?page=sessionschedules",
		  "com,a)/mileg.aspx?page=sessionschedules" },
		{ "http://a.com/photos/36050182@N05/", "com,a)/photos/36050182@n05" },
		/* not keys we make */
		{ "", NULL },
		{ "mailto:foo@example.com", NULL },
		{ "ftp://a.cn/", NULL },
		{ "http://", NULL },
		{ "http://h:99999/", NULL },
		{ "http://h:8x/", NULL },
		{ "http://[::1/", NULL },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		int r = url_surt(cases[i].in, &sb);
		if (!cases[i].want) {
			if (r != -1)
				fail_msg("surt(%s) = '%s', want failure", cases[i].in, sb.buf);
			assert_int_equal(sb.len, 0);
		} else {
			if (r)
				fail_msg("surt(%s) failed", cases[i].in);
			if (strcmp(sb.buf, cases[i].want))
				fail_msg("surt(%s) = '%s', want '%s'", cases[i].in, sb.buf, cases[i].want);
		}
		strbuf_release(&sb);
	}
}

static void test_relative_path(void **state)
{
	static const struct triple cases[] = {
		{ "a/b/c.html", "a/d.css", "../d.css" },
		{ "h/index.html", "h/css/site.css", "css/site.css" },
		{ "h/a/b.html", "h/a/b.html", "b.html" },
		{ "h/a/b.html", "h/a/c.html", "c.html" },
		{ "h/a/b/c.html", "h/x/y.png", "../../x/y.png" },
		{ "h/a.html", "g+8080/b.html", "../g+8080/b.html" },
		{ "h/ab/c.html", "h/a/d.html", "../a/d.html" },
		{ "h/a/c.html", "h/a", "../a" },
		{ "h/a", "h/a/c.html", "a/c.html" },
		{ "h/通知/a.html", "h/通知/b.pdf", "b.pdf" },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		url_relative_path(cases[i].a, cases[i].b, &sb);
		if (strcmp(sb.buf, cases[i].want))
			fail_msg("relative(%s, %s) = '%s', want '%s'", cases[i].a, cases[i].b,
				 sb.buf, cases[i].want);
		strbuf_release(&sb);
	}
}

static void test_path_to_href(void **state)
{
	static const struct pair cases[] = {
		{ "通知%20.pdf", "%E9%80%9A%E7%9F%A5%2520.pdf" },
		{ "../a@qid=1&not;=2.html", "../a@qid=1%26not;=2.html" },
		{ "it's(1).css", "it%27s%281%29.css" },
		{ "x y#?\"<>:", "x%20y%23%3F%22%3C%3E%3A" },
		{ "[++1]+8080/index.html", "%5B++1%5D+8080/index.html" },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		url_path_to_href(cases[i].in, &sb);
		assert_string_equal(sb.buf, cases[i].want);
		strbuf_release(&sb);
	}
}

/*
 * url_resolve() takes a short cut for references within the base's
 * authority (no scheme, no "//"): it must give what normalising the
 * spliced absolute URL gives, for any bytes.
 */
static int spliced(const char *base, const char *ref, struct strbuf *out)
{
	struct url b;
	struct strbuf t = STRBUF_INIT;
	size_t plen = strcspn(ref, "?#");
	int ret;
	if (url_parse(base, &b))
		return -1;
	strbuf_addf(&t, "%s://%s", b.scheme, b.host);
	if (b.port >= 0)
		strbuf_addf(&t, ":%d", b.port);
	if (!plen) {
		strbuf_addstr(&t, b.path);
		if (ref[0] == '?')
			strbuf_add(&t, ref, strcspn(ref, "#"));
		else if (b.query)
			strbuf_addf(&t, "?%s", b.query);
	} else {
		if (ref[0] != '/')
			strbuf_add(&t, b.path, (size_t)(strrchr(b.path, '/') - b.path) + 1);
		strbuf_add(&t, ref, strcspn(ref, "#"));
	}
	ret = url_normalize(t.buf, out);
	url_release(&b);
	strbuf_release(&t);
	return ret;
}

static void test_resolve_within_authority(void **state)
{
	static const char *const bases[] = {
		"http://127.0.0.1:8080/a/b/c.html?x=1", "https://www.Example.gov.cn/%7efoo/bar/",
		"http://h/", "http://h/a%2fb/c;d?q=%41%zz", "http://[::1]:81/x/y",
	};
	static const char alpha[] = "ab./%?#=&;@!$'()*+,~-_2fAFzZ\x01\x7f\xe4\xb8\xad";
	long n;
	(void)state;
	srand(7);
	for (n = 0; n < 200000; n++) {
		char ref[24];
		int len = rand() % 20, i, got, want;
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
		const char *base = bases[rand() % 5];
		for (i = 0; i < len; i++)
			ref[i] = alpha[rand() % (int)(sizeof(alpha) - 1)];
		ref[len] = '\0';
		if ((ref[0] == '/' && ref[1] == '/') || (len && (unsigned char)ref[0] < 0x20) ||
		    (len && (unsigned char)ref[len - 1] < 0x20))
			continue; /* other branches, or trimmed first */
		got = url_resolve(base, ref, &a);
		want = spliced(base, ref, &b);
		if (got != want || (!got && strcmp(a.buf, b.buf)))
			fail_msg("base %s ref '%s': %d '%s', spliced %d '%s'", base, ref, got, a.buf, want, b.buf);
		strbuf_release(&a);
		strbuf_release(&b);
	}
}

int main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_resolve_rfc3986),
		cmocka_unit_test(test_resolve_browser_cases),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_hostport),
		cmocka_unit_test(test_local_path_table),
		cmocka_unit_test(test_local_path_long_names),
		cmocka_unit_test(test_local_path_pairwise),
		cmocka_unit_test_teardown(test_local_path_on_disk, remove_disk_root),
		cmocka_unit_test(test_local_path_random),
		cmocka_unit_test(test_surt),
		cmocka_unit_test(test_relative_path),
		cmocka_unit_test(test_path_to_href),
		cmocka_unit_test(test_resolve_within_authority),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
