/*
 * Unit tests of archiver/html, css and charset: link discovery, the
 * browsable copy (splices only, stamp, neutralising), charsets, dates.
 *
 * The messy-page test compares with tests/fixtures/html/messy-gbk.expected.html;
 * after an intended change, UPDATE_EXPECTED=1 rewrites that file (review the diff).
 * The soup test's seed can be changed with HTML_SOUP_SEED=N; HTML_SOUP_DUMP=FILE
 * saves a failing input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "archiver/charset.h"
#include "archiver/css.h"
#include "archiver/html.h"
#include "common/date.h"
#include "common/strbuf.h"

#define FIXTURES "tests/fixtures/html/"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

/* ---- helpers ---- */

struct splices {
	size_t nr;
	size_t start[4096], end[4096], len[4096];
};

static void record_splice(void *ud, size_t start, size_t end, size_t len)
{
	struct splices *sp = ud;
	if (sp->nr < ARRAY_SIZE(sp->start)) {
		sp->start[sp->nr] = start;
		sp->end[sp->nr] = end;
		sp->len[sp->nr] = len;
	}
	sp->nr++;
}

/*
 * The output is the input with exactly the reported splices: every byte
 * range that was not spliced is in the output, in order, unchanged.
 */
static void assert_splices_account(const char *in, size_t n, const char *out, size_t out_len,
				   const struct splices *sp)
{
	size_t i, at = 0, o = 0;
	assert_true(sp->nr <= ARRAY_SIZE(sp->start));
	for (i = 0; i < sp->nr; i++) {
		assert_true(sp->start[i] >= at);
		assert_true(sp->end[i] >= sp->start[i]);
		assert_true(sp->end[i] <= n);
		assert_true(o + (sp->start[i] - at) <= out_len);
		assert_memory_equal(out + o, in + at, sp->start[i] - at);
		o += sp->start[i] - at + sp->len[i];
		at = sp->end[i];
	}
	assert_int_equal(out_len - o, n - at);
	assert_memory_equal(out + o, in + at, n - at);
}

static int test_rewrite(void *ud, const char *raw, enum link_kind kind, struct strbuf *out)
{
	(void)ud;
	(void)kind;
	if (!strncmp(raw, "http://ext", 10) || !strncmp(raw, "http://elsewhere", 16))
		return HTML_REWRITE_EXTERNAL;
	if (!strcmp(raw, "rel.html")) {
		strbuf_addstr(out, "http://old.example.gov.cn/rel.html");
		return HTML_REWRITE_REPLACED | HTML_REWRITE_EXTERNAL;
	}
	if (!strcmp(raw, "a.html")) {
		strbuf_addstr(out, "A.html");
		return HTML_REWRITE_REPLACED;
	}
	if (!strcmp(raw, "b.png")) {
		strbuf_addstr(out, "B.png");
		return HTML_REWRITE_REPLACED;
	}
	if (!strcmp(raw, "space.html")) {
		strbuf_addstr(out, "a b.html");
		return HTML_REWRITE_REPLACED;
	}
	if (!strcmp(raw, "a.html?x=1&y=2")) {
		strbuf_addstr(out, "q.html?x=1&y=2");
		return HTML_REWRITE_REPLACED;
	}
	if (!strcmp(raw, "quote\".png")) {
		strbuf_addstr(out, "new (1)\".png");
		return HTML_REWRITE_REPLACED;
	}
	return 0;
}

static const struct html_stamp test_stamp = {
	"2025-03-01", "2025年3月1日", "http://www.fgw.example.gov.cn/tzgg/383.htm", "/archive/",
	"示例市发展和改革委员会网站",
};

/* Rewrite in into out (reset first); checks the splice report on the way. */
static int rewrite(const char *in, const struct html_rewrite_opts *o, struct strbuf *out)
{
	struct html_rewrite_opts opt = *o;
	struct splices *sp = calloc(1, sizeof(*sp));
	size_t n = strlen(in);
	int nr;
	assert_non_null(sp);
	opt.on_splice = record_splice;
	opt.splice_ud = sp;
	strbuf_reset(out);
	nr = html_rewrite(in, n, &opt, out);
	assert_int_equal((size_t)nr, sp->nr);
	assert_splices_account(in, n, out->buf, out->len, sp);
	free(sp);
	return nr;
}

/* Replace "{M}" by the stamp's metas and "{B}" by its banner. */
static void expand(const char *tmpl, int charset, struct strbuf *out)
{
	struct strbuf banner = STRBUF_INIT;
	const char *p;
	html_stamp_banner(&test_stamp, &banner);
	strbuf_reset(out);
	for (p = tmpl; *p; p++) {
		if (!strncmp(p, "{M}", 3)) {
			if (charset)
				strbuf_addstr(out, "<meta charset=\"utf-8\">");
			strbuf_addf(out, "<meta name=\"archived-date\" content=\"%s\">"
				    "<meta name=\"archived-from\" content=\"%s\">%s",
				    test_stamp.date_iso, test_stamp.original_url, html_stamp_style);
			p += 2;
		} else if (!strncmp(p, "{B}", 3)) {
			strbuf_addbuf(out, &banner);
			p += 2;
		} else {
			strbuf_addch(out, *p);
		}
	}
	strbuf_release(&banner);
}

/* ---- the messy old page ---- */

static int fixture_rewrite(void *ud, const char *raw, enum link_kind kind, struct strbuf *out)
{
	static const char host[] = "http://www.fgw.example.gov.cn/";
	size_t n = strlen(raw);
	(void)ud;
	(void)kind;
	/* the site's own absolute URLs: relative to the copy of /tzgg/ */
	if (!strncmp(raw, host, sizeof(host) - 1)) {
		strbuf_addf(out, "../%s", raw + sizeof(host) - 1);
		return HTML_REWRITE_REPLACED;
	}
	if (strstr(raw, "://"))
		return HTML_REWRITE_EXTERNAL;
	/* dynamic pages were not archived: absolute to the original, external */
	if (strstr(raw, ".asp") && !strncmp(raw, "../", 3)) {
		strbuf_addf(out, "%s%s", host, raw + 3);
		return HTML_REWRITE_REPLACED | HTML_REWRITE_EXTERNAL;
	}
	/* pages are stored as .html */
	if (n > 4 && !strcmp(raw + n - 4, ".htm")) {
		strbuf_addf(out, "%sl", raw);
		return HTML_REWRITE_REPLACED;
	}
	return 0;
}

static void test_messy_gbk_page(void **state)
{
	struct strbuf raw = STRBUF_INIT, utf8 = STRBUF_INIT, out = STRBUF_INIT;
	struct strbuf expected = STRBUF_INIT, title = STRBUF_INIT;
	struct html_rewrite_opts opt = { fixture_rewrite, NULL, &test_stamp, 1, 1, NULL, NULL };
	struct html_links links;
	struct cdate d;
	const char *cs, *body;
	size_t i;
	int nr, saw_iframe = 0, saw_embed = 0, saw_css = 0;
	(void)state;

	assert_int_equal(strbuf_read_file(&raw, FIXTURES "messy-gbk.html"), 0);
	/* old servers send no charset: the meta says gb2312, decoded as GB18030 */
	cs = charset_detect(raw.buf, raw.len, "text/html");
	assert_string_equal(cs, "gb18030");
	assert_int_equal(charset_to_utf8(raw.buf, raw.len, cs, &utf8), 0);
	assert_non_null(strstr(utf8.buf, "关于做好2017年度节能监察工作的通知"));
	assert_non_null(strstr(utf8.buf, "联系人：王喆")); /* 喆 is GBK, not GB2312 */
	assert_null(strstr(utf8.buf, "\xef\xbf\xbd"));

	html_links_init(&links);
	assert_int_equal(html_find_links(utf8.buf, utf8.len, &links), 0);
	assert_string_equal(links.base, "http://www.fgw.example.gov.cn/tzgg/");
	for (i = 0; i < links.nr; i++) {
		const struct html_link *l = &links.items[i];
		if (!strcmp(l->url, "../left.htm") && l->kind == LINK_PAGE)
			saw_iframe = 1;
		if (!strcmp(l->url, "../flash/banner.swf") && l->kind == LINK_REQUISITE)
			saw_embed = 1;
		if (!strcmp(l->url, "http://www.fgw.example.gov.cn/images/nav.jpg"))
			saw_css = 1;
		assert_null(strstr(l->url, "old.htm")); /* in a comment */
		assert_null(strstr(l->url, "javascript"));
		assert_null(strstr(l->url, "search.asp")); /* forms are not followed */
	}
	assert_true(saw_iframe && saw_embed && saw_css);
	html_links_release(&links);

	nr = rewrite(utf8.buf, &opt, &out);
	assert_true(nr > 0);
	if (getenv("UPDATE_EXPECTED")) {
		FILE *f = fopen(FIXTURES "messy-gbk.expected.html", "wb");
		assert_non_null(f);
		fwrite(out.buf, 1, out.len, f);
		fclose(f);
	}
	assert_int_equal(strbuf_read_file(&expected, FIXTURES "messy-gbk.expected.html"), 0);
	assert_int_equal(out.len, expected.len);
	assert_memory_equal(out.buf, expected.buf, out.len);

	/* and what the expected file must show */
	assert_non_null(strstr(out.buf, "<P><FONT size=3><B>关于做好2017年度节能监察工作的通知</B></FONT>"));
	assert_null(strcasestr(out.buf, "<script"));
	assert_null(strcasestr(out.buf, "onclick"));
	assert_null(strcasestr(out.buf, "onload"));
	assert_null(strcasestr(out.buf, "onsubmit"));
	assert_null(strcasestr(out.buf, "javascript:"));
	assert_null(strcasestr(out.buf, "<base"));
	assert_null(strcasestr(out.buf, "gb2312"));
	assert_null(strstr(out.buf, "search.asp"));
	assert_non_null(strstr(out.buf, "content=\"text/html; charset=utf-8\""));
	assert_non_null(strstr(out.buf, "<HEAD><meta name=\"archived-date\" content=\"2025-03-01\">"
				     "<meta name=\"archived-from\" content=\"http://www.fgw.example.gov.cn/tzgg/383.htm\">"));
	body = strstr(out.buf, "<BODY leftMargin=0 topMargin=0>");
	assert_non_null(body);
	body += strlen("<BODY leftMargin=0 topMargin=0>");
	assert_true(!strncmp(body, "<jiyue-archived role=\"note\"", strlen("<jiyue-archived role=\"note\"")));
	assert_non_null(strstr(out.buf, ">已归档</jiyue-archived-badge>"));
	assert_non_null(strstr(out.buf, ">2025年3月1日</time>"));
	assert_non_null(strstr(out.buf, "<INPUT type=text name=keyword size=12 disabled>"));
	assert_non_null(strstr(out.buf, "<A href=\"../index.html\">首页</A>"));
	assert_non_null(strstr(out.buf, "<A href=\"#\">在线投诉</A>"));
	assert_non_null(strstr(out.buf, "href=\"http://www.fgw.example.gov.cn/bbs/list.asp?page=2&amp;lm=3\" data-jiyue-external>"));
	assert_non_null(strstr(out.buf, "url( \"../images/nav.jpg\" )"));
	/* the junk after </HTML> is still there, less its script */
	assert_non_null(strstr(out.buf, "</HTML>\n\n<p>本站访问量统计\n"));

	assert_int_equal(html_newest_date(utf8.buf, utf8.len, &d), 0);
	assert_int_equal(d.year, 2017);
	assert_int_equal(d.month, 5);
	assert_int_equal(d.day, 12);
	assert_int_equal(html_title(utf8.buf, utf8.len, &title), 0);
	assert_string_equal(title.buf, "示例市发展和改革委员会--通知公告");

	strbuf_release(&raw);
	strbuf_release(&utf8);
	strbuf_release(&out);
	strbuf_release(&expected);
	strbuf_release(&title);
}

/* ---- link discovery ---- */

static const struct {
	const char *html, *links, *base;
} link_cases[] = {
	{ "<a href=a.html>x</a><AREA HREF=\"B.HTML\">", "P a.html\nP B.HTML\n", NULL },
	{ "<link rel=stylesheet href=s.css><link rel=\"shortcut icon\" href=/favicon.ico>"
	  "<link rel=alternate type=application/rss+xml href=rss.xml>"
	  "<link rel=preconnect href=//cdn.example.com><link href=norel.css>",
	  "R s.css\nR /favicon.ico\nP rss.xml\nR norel.css\n", NULL },
	{ "<img src=i.gif srcset=\"a.png 1x, b.png?x=1,2 2x,c.png 100w\">",
	  "R i.gif\nR a.png\nR b.png?x=1,2\nR c.png\n", NULL },
	{ "<img srcset=\"  d.png,  e.png  (max-width: 10px, 2x),f.png\">",
	  "R d.png\nR e.png\nR f.png\n", NULL },
	{ "<script src=j.js></script><iframe src=f.html></iframe>", "R j.js\nP f.html\n", NULL },
	{ "<html><frameset cols=\"20%,*\"><frame src=top.html><frame src=main.html></frameset></html>",
	  "P top.html\nP main.html\n", NULL },
	{ "<embed src=a.swf><object data=b.swf><param name=movie value=c.swf>"
	  "<param name=quality value=high></object>", "R a.swf\nR b.swf\nR c.swf\n", NULL },
	{ "<video src=v.mp4 poster=p.jpg><source src=s.webm><track src=t.vtt></video>"
	  "<audio src=a.mp3></audio>", "R v.mp4\nR p.jpg\nR s.webm\nR t.vtt\nR a.mp3\n", NULL },
	{ "<picture><source srcset=\"x.webp 1x\"><img src=y.jpg></picture>",
	  "R x.webp\nR y.jpg\n", NULL },
	{ "<input type=image src=go.gif>", "R go.gif\n", NULL },
	{ "<meta http-equiv=refresh content=\"0; url='next.html'\">", "P next.html\n", NULL },
	{ "<meta http-equiv=\"Refresh\" content=\"5;URL=http://x.example.gov.cn/\">",
	  "P http://x.example.gov.cn/\n", NULL },
	{ "<meta http-equiv=refresh content=\"30\">", "", NULL },
	{ "<body background=bg.gif><table background=\"t.gif\"><tr><td background=c.gif>x",
	  "R bg.gif\nR t.gif\nR c.gif\n", NULL },
	{ "<p style=\"background:url('p.png')\">x", "R p.png\n", NULL },
	{ "<style>@import \"a.css\"; @import url(b.css); .x{background:url(c.png)} "
	  "/* url(no.png) */ .y:after{content:\"url(no2.png)\"}</style>",
	  "R a.css\nR b.css\nR c.png\n", NULL },
	{ "<a href=\"a.php?x=1&amp;y=2\">x</a><a href=\"&#x2F;p&#47;q\">y</a>",
	  "P a.php?x=1&y=2\nP /p/q\n", NULL },
	{ "<a href=\"  spaced.html\n \">x</a>", "P spaced.html\n", NULL },
	{ "<a href=\"#top\">x</a><a href=\"javascript:void(0)\">y</a><a href=\"mailto:a@b.cn\">z</a>"
	  "<a href=\"\">e</a><img src=\"data:image/png;base64,AAAA\"><a href=\"tel:12345\">t</a>",
	  "", NULL },
	{ "<base href=\" http://www.example.gov.cn/d/ \"><a href=x.html>x</a>",
	  "P x.html\n", "http://www.example.gov.cn/d/" },
	{ "<svg><image xlink:href=\"s.png\"/><use href=\"sprite.svg#i\"/></svg>",
	  "R s.png\nR sprite.svg#i\n", NULL },
	{ "<form action=/post><input name=q></form>", "", NULL },
	{ "<html><body></body></html><a href=late.html>late</a>", "P late.html\n", NULL },
	{ "<script>var a = '<a href=\"no.html\">';</script><a href=yes.html>y</a>",
	  "P yes.html\n", NULL },
	{ "<script><!-- document.write('<script>x()</script>') --></script>"
	  "</head><body background=after.gif>", "R after.gif\n", NULL },
	{ "<!-- <a href=commented.html>x</a> --><a href=real.html>y</a>", "P real.html\n", NULL },
	{ "<noscript><img src=\"pixel.gif\"></noscript>", "R pixel.gif\n", NULL },
	/* bare elements are left out before libxml2 reads the page: links around them stay */
	{ "<div><p>text<div class=c><a href=a.html>x</a></div></p></div><p/><br><br/>"
	  "<td><img src=i.gif></td></tr><td background=t.gif><span><font color=red>"
	  "<a href=b.html>b</a></font></span>",
	  "P a.html\nR i.gif\nR t.gif\nP b.html\n", NULL },
};

static void test_link_discovery(void **state)
{
	struct strbuf got = STRBUF_INIT;
	size_t i, k;
	(void)state;
	for (i = 0; i < ARRAY_SIZE(link_cases); i++) {
		struct html_links l;
		html_links_init(&l);
		assert_int_equal(html_find_links(link_cases[i].html, strlen(link_cases[i].html), &l), 0);
		strbuf_reset(&got);
		for (k = 0; k < l.nr; k++)
			strbuf_addf(&got, "%c %s\n", l.items[k].kind == LINK_PAGE ? 'P' : 'R',
				    l.items[k].url);
		if (strcmp(got.buf, link_cases[i].links))
			print_error("case %zu: %s\n", i, link_cases[i].html);
		assert_string_equal(got.buf, link_cases[i].links);
		if (link_cases[i].base)
			assert_string_equal(l.base, link_cases[i].base);
		else
			assert_null(l.base);
		html_links_release(&l);
	}
	strbuf_release(&got);
}

/* 600 lines, each with an unclosed <font>: deeper than libxml2's default limit. */
static void test_link_discovery_deep(void **state)
{
	struct strbuf html = STRBUF_INIT;
	struct html_links l;
	int i;
	(void)state;
	strbuf_addstr(&html, "<html><body>");
	for (i = 0; i < 600; i++)
		strbuf_addf(&html, "<font color=red>第%d条 <a href=\"n%d.html\">通知</a><br>\n", i, i);
	html_links_init(&l);
	assert_int_equal(html_find_links(html.buf, html.len, &l), 0);
	assert_int_equal(l.nr, 600);
	assert_string_equal(l.items[599].url, "n599.html");
	html_links_release(&l);
	strbuf_release(&html);
}

/* ---- CSS ---- */

struct css_found {
	const char *css;
	struct strbuf list;
};

static void css_found(void *ud, const char *url, size_t start, size_t end)
{
	struct css_found *f = ud;
	strbuf_addf(&f->list, "%s=", url);
	strbuf_add(&f->list, f->css + start, end - start);
	strbuf_addch(&f->list, '\n');
}

static const struct {
	const char *css, *urls; /* url "=" its spelling in the source */
} css_cases[] = {
	{ "a{b:url(x.png)}", "x.png=x.png\n" },
	{ "a{b:URL( 'y.png' )}", "y.png=y.png\n" },
	{ "a{b:url(\"z\\\".png\")}", "z\".png=z\\\".png\n" },
	{ "@import \"a.css\";@import url(b.css) screen;@IMPORT 'c.css' print;",
	  "a.css=a.css\nb.css=b.css\nc.css=c.css\n" },
	{ "/* url(no.png) */ a{content:\"url(no2.png)\"} b{c:url(yes.png)}", "yes.png=yes.png\n" },
	{ "a{b:url(a\\ b.png)}", "a b.png=a\\ b.png\n" },
	{ "a{b:\\75 rl(e.png)}", "e.png=e.png\n" },
	{ "a{b:url(\\66 .png)}", "f.png=\\66 .png\n" },
	{ "a{b:image-set(\"i1.png\" 1x, url(i2.png) 2x)} c{content:\"no.png\"}",
	  "i1.png=i1.png\ni2.png=i2.png\n" },
	{ "a{b:url(a b)} c{d:url(ok.png)}", "ok.png=ok.png\n" },
	{ "@font-face{src:url(f.woff2) format(\"woff2\")}", "f.woff2=f.woff2\n" },
	{ "a{b:myurl(no.png);c:2url(no.png)}", "" },
	{ "a{b:url(unterminated.png", "unterminated.png=unterminated.png\n" },
	{ "a{content:\"bad\n} c{d:url(good.png)}", "good.png=good.png\n" },
};

static void test_css_find_urls(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < ARRAY_SIZE(css_cases); i++) {
		struct css_found f;
		f.css = css_cases[i].css;
		strbuf_init(&f.list, 0);
		css_find_urls(f.css, strlen(f.css), css_found, &f);
		if (strcmp(f.list.buf, css_cases[i].urls))
			print_error("case %zu: %s\n", i, f.css);
		assert_string_equal(f.list.buf, css_cases[i].urls);
		strbuf_release(&f.list);
	}
}

static void test_css_rewrite(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a{b:url(b.png)} c{d:url(keep.png)}", "a{b:url(B.png)} c{d:url(keep.png)}" },
		{ "a{b:url( \"b.png\" )}", "a{b:url( \"B.png\" )}" },
		{ "@import 'b.png';", "@import 'B.png';" },
		/* replacements are escaped for where they go */
		{ "a{b:url(\"quote\\\".png\")}", "a{b:url(\"new (1)\\\".png\")}" },
		{ "a{b:url(quote\\\".png)}", "a{b:url(new\\20 \\(1\\)\\\".png)}" },
		{ "a{b:url(data:image/png;base64,AA)} c{d:url(#f)}",
		  "a{b:url(data:image/png;base64,AA)} c{d:url(#f)}" },
	};
	struct strbuf out = STRBUF_INIT;
	size_t i;
	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		strbuf_reset(&out);
		css_rewrite(cases[i].in, strlen(cases[i].in), test_rewrite, NULL, &out);
		assert_string_equal(out.buf, cases[i].out);
	}
	strbuf_release(&out);
}

static int evil_rewrite(void *ud, const char *raw, enum link_kind kind, struct strbuf *out)
{
	(void)ud;
	(void)raw;
	(void)kind;
	strbuf_addstr(out, "x</style><script>alert(1)</script>");
	return HTML_REWRITE_REPLACED;
}

/* A replacement cannot end a <style> element, quoted or not. */
static void test_css_rewrite_cannot_close_style(void **state)
{
	static const char in[] = "<style>a{b:url(x.png)} c{d:url('y.png')}</style><p>";
	struct html_rewrite_opts opt = { evil_rewrite, NULL, NULL, 1, 0, NULL, NULL };
	struct strbuf out = STRBUF_INIT;
	(void)state;
	rewrite(in, &opt, &out);
	assert_null(strcasestr(out.buf, "</style><script"));
	assert_non_null(strstr(out.buf, "url(x\\3c /style\\3e \\3c script\\3e alert\\(1\\)"));
	assert_non_null(strstr(out.buf, "</style><p>"));
	strbuf_release(&out);
}

static void test_css_charset(void **state)
{
	struct strbuf css = STRBUF_INIT;
	(void)state;
	assert_string_equal(css_charset_detect("@charset \"GB2312\";", 19, NULL, "utf-8"), "gb18030");
	assert_string_equal(css_charset_detect("@charset \"gbk\";", 16, "text/css; charset=utf-8", NULL),
			    "utf-8");
	assert_string_equal(css_charset_detect("\xef\xbb\xbf@charset \"gbk\";", 19, NULL, NULL),
			    "utf-8");
	/* not exactly '@charset "': ignored */
	assert_string_equal(css_charset_detect("@charset 'big5';", 16, NULL, "gb2312"), "gb18030");
	assert_string_equal(css_charset_detect("a{font-family:\"\xcb\xce\xcc\xe5\"}", 20, NULL, NULL),
			    "gb18030");
	assert_string_equal(css_charset_detect("a{}", 3, NULL, NULL), "utf-8");
	strbuf_addstr(&css, "@charset \"gb2312\";\na{font-family:\"宋体\"}");
	assert_int_equal(css_set_utf8(&css), 1);
	assert_string_equal(css.buf, "@charset \"utf-8\";\na{font-family:\"宋体\"}");
	assert_int_equal(css_set_utf8(&css), 0);
	strbuf_release(&css);
}

/* ---- charsets ---- */

static const struct {
	const char *body;
	size_t len; /* 0: strlen */
	const char *content_type, *want;
} charset_cases[] = {
	{ "\xef\xbb\xbf<meta charset=gbk>x", 0, "text/html; charset=gbk", "utf-8" },
	{ "\xfe\xff\x00<", 4, NULL, "utf-16be" },
	{ "\xff\xfe<\x00", 4, "text/html; charset=gbk", "utf-16le" },
	{ "<p>x", 0, "text/html; charset=GBK", "gb18030" },
	{ "<p>x", 0, "text/html;charset=\"utf-8\"", "utf-8" },
	/* the header wins over the meta (HTML Standard) */
	{ "<meta charset=gb2312>", 0, "text/html; charset=utf-8", "utf-8" },
	{ "<meta charset=gb2312>", 0, "text/html", "gb18030" },
	{ "<meta charset=gb2312>", 0, "text/html; charset=x-unknown", "gb18030" },
	{ "<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=x-gbk\">", 0,
	  NULL, "gb18030" },
	/* a charset in content counts only with http-equiv=content-type */
	{ "<meta content=\"text/html; charset=gb2312\">", 0, NULL, "utf-8" },
	{ "<meta content=\"text/html; charset=big5\" http-equiv=Content-Type>", 0, NULL, "big5" },
	{ "<!-- <meta charset=big5> --><meta charset=\"GB_2312-80\">", 0, NULL, "gb18030" },
	{ "<meta charset=utf-16>", 0, NULL, "utf-8" },
	{ "<meta charset=iso-8859-1>", 0, NULL, "windows-1252" },
	{ "<p>x", 0, "text/html; charset=ISO-8859-1", "windows-1252" },
	{ "<meta charset=shift_jis>", 0, NULL, "shift_jis" },
	{ "<title x='<meta charset=big5>'>", 0, NULL, "utf-8" },
	/* nothing declared: valid UTF-8 is UTF-8, anything else GB18030 */
	{ "<p>\xe4\xb8\xad\xe6\x96\x87", 0, NULL, "utf-8" },
	{ "<p>\xd6\xd0\xce\xc4", 0, NULL, "gb18030" },
	{ "", 0, NULL, "utf-8" },
};

static void test_charset_detect(void **state)
{
	struct strbuf late = STRBUF_INIT;
	size_t i;
	(void)state;
	for (i = 0; i < ARRAY_SIZE(charset_cases); i++) {
		const char *b = charset_cases[i].body;
		size_t len = charset_cases[i].len ? charset_cases[i].len : strlen(b);
		const char *got = charset_detect(b, len, charset_cases[i].content_type);
		if (strcmp(got, charset_cases[i].want))
			print_error("case %zu\n", i);
		assert_string_equal(got, charset_cases[i].want);
	}
	/* the prescan reads 1024 bytes only */
	for (i = 0; i < 1030; i++)
		strbuf_addch(&late, ' ');
	strbuf_addstr(&late, "<meta charset=big5>\xd6\xd0");
	assert_string_equal(charset_detect(late.buf, late.len, NULL), "gb18030");
	strbuf_release(&late);

	assert_string_equal(charset_canonical("GB2312", 6), "gb18030");
	assert_string_equal(charset_canonical(" cp936 ", 7), "gb18030");
	assert_string_equal(charset_canonical("x-gbk", 5), "gb18030");
	assert_string_equal(charset_canonical("GBK", 3), "gb18030");
	assert_string_equal(charset_canonical("Big5-HKSCS", 10), "big5");
	assert_null(charset_canonical("klingon", 7));
}

static void convert(const char *in, size_t len, const char *cs, const char *want)
{
	struct strbuf out = STRBUF_INIT;
	assert_int_equal(charset_to_utf8(in, len, cs, &out), 0);
	assert_int_equal(out.len, strlen(want));
	assert_memory_equal(out.buf, want, out.len);
	strbuf_release(&out);
}

#define FFFD "\xef\xbf\xbd"

static void test_charset_convert(void **state)
{
	struct strbuf out = STRBUF_INIT;
	(void)state;
	/* gb2312 labels decode as GB18030: GBK-only 喆 and the cp936 euro */
	convert("\xd6\xd0\xce\xc4", 4, "gb2312", "中文");
	convert("\xcd\xf5\x86\xb4", 4, "GB2312", "王喆");
	convert("\x80", 1, "gbk", "€");
	convert("\x81\x30\x81\x30", 4, "gb18030", "\xc2\x80"); /* four-byte form */
	/* invalid and truncated sequences become U+FFFD, and decoding goes on */
	convert("a\xff" "b", 3, "gb18030", "a" FFFD "b");
	convert("\xd6\xd0\xd6", 3, "gb18030", "中" FFFD);
	convert("\xd6 a", 3, "gb18030", FFFD " a"); /* an ASCII byte is never a trail byte */
	convert("a\xc3(b", 4, "utf-8", "a" FFFD "(b");
	convert("\xed\xa0\x80", 3, "utf-8", FFFD FFFD FFFD);
	convert("\xf0\x9f\x98", 3, "utf-8", FFFD);
	convert("\xe4\xb8\xad", 3, "UTF8", "中");
	/* byte order marks go */
	convert("\xef\xbb\xbf" "abc", 6, "utf-8", "abc");
	convert("\xff\xfe" "a\0", 4, "utf-16le", "a");
	convert("\x84\x31\x95\x33" "a", 5, "gb18030", "a");
	convert("\x80\x81\xe9", 3, "windows-1252", "€\xc2\x81\xc3\xa9");
	convert("\xa4\xa4", 2, "big5", "中");
	/* conversion appends */
	strbuf_addstr(&out, "x");
	assert_int_equal(charset_to_utf8("y", 1, "utf-8", &out), 0);
	assert_string_equal(out.buf, "xy");
	assert_int_equal(charset_to_utf8("y", 1, "x-klingon", &out), -1);
	assert_string_equal(out.buf, "xy");
	strbuf_release(&out);
}

/* ---- dates ---- */

static const struct {
	const char *html, *want; /* NULL: none */
} date_cases[] = {
	{ "<p>发布日期：2017-05-12</p>", "2017-05-12" },
	{ "<p>2017年5月12日</p>", "2017-05-12" },
	{ "<p>2017 年 5 月 12 日</p>", "2017-05-12" },
	{ "<p>2017年5月12号</p>", "2017-05-12" },
	{ "<p>2017/5/12</p>", "2017-05-12" },
	{ "<p>2017.05.12</p>", "2017-05-12" },
	{ "<p>2017-05-12 10:30</p>", "2017-05-12" },
	{ "<p>２０１７－０５－１２</p>", "2017-05-12" },
	{ "<p>２０１７年５月１２日</p>", "2017-05-12" },
	{ "<p>二〇一七年五月十二日</p>", "2017-05-12" },
	{ "<p>二〇二三年十二月三十一日</p>", "2023-12-31" },
	{ "<p>2017年<span>5</span>月<b>12</b>日</p>", "2017-05-12" },
	{ "<p>2017-02-30</p>", NULL },
	{ "<p>2023-02-29 2024-02-29</p>", "2024-02-29" },
	{ "<p>2017-13-01 2017-5-32</p>", NULL },
	{ "<p>1989-12-31 2101-01-01 12017-05-12 2017-05-123</p>", NULL },
	{ "<p>2017-05/12 2017.05.12.3</p>", NULL },
	{ "<p>2015-01-01</p><p>2018-12-31</p><p>2016-06-06</p>", "2018-12-31" },
	{ "<script>var d = '2024-01-01';</script><p>2017-05-12", "2017-05-12" },
	{ "<style>/* 2024-01-01 */</style><!-- 2024-01-02 --><a title=\"2024-01-03\">2017-05-12</a>",
	  "2017-05-12" },
	{ "<td>2017</td><td>05-12</td>", NULL },
	{ "<p>no dates here, only 2017 and 5月</p>", NULL },
};

static void test_dates(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct cdate d, limit = { 2025, 3, 1 };
	size_t i;
	static const char valid_until[] = "<p>有效期至2030年12月31日</p><p>发布于2024-06-01</p>";
	(void)state;
	for (i = 0; i < ARRAY_SIZE(date_cases); i++) {
		const char *h = date_cases[i].html;
		int rc = html_newest_date(h, strlen(h), &d);
		struct html_links l;
		struct cdate d2;
		int found;
		/* the crawler's one reading for links and date gives the same date */
		html_links_init(&l);
		html_find_links_dated(h, strlen(h), &l, NULL, &d2, &found);
		assert_int_equal(found, rc == 0);
		if (found)
			assert_int_equal(date_cmp(&d, &d2), 0);
		html_links_release(&l);
		if (!date_cases[i].want) {
			if (rc == 0)
				print_error("case %zu: got %d-%d-%d\n", i, d.year, d.month, d.day);
			assert_int_equal(rc, -1);
			continue;
		}
		if (rc)
			print_error("case %zu: none\n", i);
		assert_int_equal(rc, 0);
		strbuf_reset(&sb);
		date_fmt_iso(&d, &sb);
		assert_string_equal(sb.buf, date_cases[i].want);
	}
	assert_int_equal(html_newest_date_before(valid_until, strlen(valid_until), &limit, &d), 0);
	{
		struct html_links l;
		struct cdate d2;
		int found;
		html_links_init(&l);
		html_find_links_dated(valid_until, strlen(valid_until), &l, &limit, &d2, &found);
		assert_int_equal(found, 1);
		assert_int_equal(date_cmp(&d, &d2), 0);
		html_links_release(&l);
	}
	strbuf_reset(&sb);
	date_fmt_iso(&d, &sb);
	assert_string_equal(sb.buf, "2024-06-01");
	assert_int_equal(html_newest_date(valid_until, strlen(valid_until), &d), 0);
	assert_int_equal(d.year, 2030);
	strbuf_release(&sb);
}

/* <base href> as the copy reads it: the first one, decoded and trimmed, wherever it is. */
static void test_find_base(void **state)
{
	static const struct {
		const char *html, *want; /* want NULL: none */
	} cases[] = {
		{ "<html><head><base href=\"/x/\"></head></html>", "/x/" },
		{ "<HTML><BASE HREF=' http://h/a/?b=1&amp;c=2 '>", "http://h/a/?b=1&c=2" },
		{ "<p>no base here</p>", NULL },
		{ "<basefont size=3><p>old markup</p>", NULL },
		{ "<base target=_blank><base href=/second/>", "/second/" },
		{ "<body><p>late</p><base href=/late/></body>", "/late/" },
		{ "<!-- <base href=/commented/> --><p>x</p>", NULL },
		{ "<script>var s = '<base href=/in-script/>';</script>", NULL },
		{ "", NULL },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf out = STRBUF_INIT;
		int rc = html_find_base(cases[i].html, strlen(cases[i].html), &out);
		if (cases[i].want) {
			assert_int_equal(rc, 0);
			assert_string_equal(out.buf, cases[i].want);
		} else {
			assert_int_equal(rc, -1);
		}
		strbuf_release(&out);
	}
}

static void test_title(void **state)
{
	static const struct {
		const char *html, *want;
	} cases[] = {
		{ "<TITLE> Hello &amp;\n  World </TITLE>", "Hello & World" },
		{ "<html><head><title>示例&nbsp;标题</title>", "示例\xc2\xa0标题" },
		{ "<svg><title>tooltip</title></svg><title>Real</title>", "Real" },
		{ "<title><b>not bold</b></title>", "<b>not bold</b>" },
		{ "<title>unclosed", "unclosed" },
		{ "<title> </title>", NULL },
		{ "<p>no title", NULL },
		{ "<!-- <title>commented</title> --><title>t</title>", "t" },
	};
	struct strbuf t = STRBUF_INIT;
	size_t i;
	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int rc;
		strbuf_reset(&t);
		rc = html_title(cases[i].html, strlen(cases[i].html), &t);
		if (!cases[i].want) {
			assert_int_equal(rc, -1);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(t.buf, cases[i].want);
	}
	strbuf_release(&t);
}

/* ---- the browsable copy ---- */

static const struct {
	const char *in, *out;
} neutralise_cases[] = {
	{ "<p>x<script>alert(1)</script>y", "<p>xy" },
	{ "<SCRIPT>document.write(\"<script src=x><\\/script>\")</SCRIPT>z", "z" },
	/* "</script>" inside "<!-- -->" does not end the script (HTML Standard) */
	{ "<script><!--\ndocument.write(\"<script>a()</script>\");\n//--></script>z", "z" },
	{ "<script>var s = \"</scr\" + \"ipt>\";</script>z", "z" },
	{ "a<script>never closed <p>ok", "a" },
	{ "<script src=a.js />after", "" },
	{ "<a href=\"javascript:void(0)\" onclick=\"go()\">x</a>", "<a href=\"#\">x</a>" },
	{ "<a href=JavaScript:go() onMouseOver=x>x</a>", "<a href=#>x</a>" },
	{ "<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "<a href=\"#\">x</a>" },
	{ "<a href=\"javascript&colon;alert(1)\">x</a>", "<a href=\"#\">x</a>" },
	{ "<a href=\" &#106;avascript:x\">x</a>", "<a href=\"#\">x</a>" },
	{ "<a href=\"vbscript:msgbox\">x</a>", "<a href=\"#\">x</a>" },
	{ "<img src=\"javascript:x\" onerror=alert(1)>", "<img>" },
	{ "<div onwebkitanimationiteration=\"x\" ONCLICK='y' class=c>", "<div class=c>" },
	{ "<a onclick=x/>", "<a>" },
	{ "<body onload=init() bgcolor=#fff>", "<body bgcolor=#fff>" },
	{ "<iframe src=\"x.html\" srcdoc=\"<script>alert(1)</script>\"></iframe>",
	  "<iframe src=\"x.html\"></iframe>" },
	{ "<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>", "<iframe></iframe>" },
	{ "<object data=\"data:image/svg+xml,<svg onload=alert(1)>\"></object>", "<object></object>" },
	{ "<img src=\"data:image/png;base64,AAAA\">", "<img src=\"data:image/png;base64,AAAA\">" },
	{ "<video src=\"data:video/mp4;base64,AAAA\"></video>",
	  "<video src=\"data:video/mp4;base64,AAAA\"></video>" },
	{ "<a href=\"data:image/png;base64,AAAA\">x</a>", "<a href=\"data:image/png;base64,AAAA\">x</a>" },
	{ "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>", "<a href=\"#\">x</a>" },
	{ "<base href=\"http://old.example.gov.cn/\">x", "x" },
	{ "<base href=\"http://old.example.gov.cn/\" target=_blank>", "<base target=_blank>" },
	{ "<form action=\"/cgi-bin/x.asp\" method=post onsubmit=\"return f()\"><input name=q>"
	  "<input type=submit value=Go><button formaction=/y>B</button><select name=s></select>"
	  "<textarea name=t><b>hi</textarea><input disabled name=d></form>",
	  "<form method=post><input name=q disabled><input type=submit value=Go disabled>"
	  "<button disabled>B</button><select name=s disabled></select>"
	  "<textarea name=t disabled><b>hi</textarea><input disabled name=d></form>" },
	{ "<input type=text />", "<input type=text disabled />" },
	{ "<input type=text/>", "<input type=text/ disabled>" },
	{ "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">x", "x" },
	{ "<meta http-equiv=\"refresh\" content=\"0; url=http://elsewhere.example.com/\">x", "x" },
	{ "<meta http-equiv=refresh content=\"3; url=a.html\">", "<meta http-equiv=refresh content=\"3; url=A.html\">" },
	{ "<meta http-equiv=refresh content=\"60\">", "<meta http-equiv=refresh content=\"60\">" },
	{ "<noscript><img src=pixel.gif></noscript>", "<noscript><img src=pixel.gif></noscript>" },
	{ "<noscript><p>请启用脚本<script>x()</script></p></noscript>",
	  "<noscript><p>请启用脚本</p></noscript>" },
	/* a browser with scripts ends noscript at the first </noscript>, inside the quotes */
	{ "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
	  "<noscript><p title=\"</noscript><img src=x>\"></noscript>" },
	/* a removal must not make "</noscript>" out of "<" and "/noscript>" */
	{ "<noscript><<script></script>/noscript><img src=x onerror=alert(1)></noscript>",
	  "<noscript>&lt;/noscript><img src=x></noscript>" },
	/* in SVG and MathML, <style> is not raw text: its tags are checked */
	{ "<svg><style><img src=x onerror=alert(1)></style></svg>",
	  "<svg><style><img src=x></style></svg>" },
	{ "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
	  "<math><mtext><table><mglyph><style><img src=x>" },
	{ "<svg><script>alert(1)</script><circle/></svg>", "<svg><circle/></svg>" },
	/*
	 * inside a select, <style>, <title>, <xmp>... were ignored (content is
	 * markup) until Chrome's customizable select: checked both ways
	 */
	{ "<select><style></select><img src=x onerror=alert(1)></style>",
	  "<select disabled><style></select><img src=x></style>" },
	{ "<select><title><a title=\"</title><img src=x onerror=alert(1)>\">",
	  "<select disabled><title><a title=\"</title><img src=x>\">" },
	{ "<select></select><xmp><img src=x onerror=alert(1)></xmp>",
	  "<select disabled></select><xmp><img src=x></xmp>" },
	{ "<select></select><textarea>a <b onclick=x>b</b></textarea>",
	  "<select disabled></select><textarea disabled>a <b>b</b></textarea>" },
	/* "<xmp\0>" is an unknown element to a browser, not raw text */
	{ "<xmp\0><img src=x onerror=alert(1)>", NULL },
	{ "<svg><script href=\"x.js\"/>text</svg>", "<svg>text</svg>" },
	{ "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
	  "<svg><a><text>x</text></a></svg>" },
	{ "<svg><animate attributeName=\"href\" values=\"#;javascript:alert(1)\"/></svg>",
	  "<svg><animate attributeName=\"href\" /></svg>" },
	{ "<svg><set attributeName=\" onmouseover\" to=\"alert(1)\"/></svg>",
	  "<svg><set to=\"alert(1)\"/></svg>" },
	/* text '<' joined to what follows a removal becomes &lt; */
	{ "<<script></script>img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)>" },
	{ "<<script></script><script></script>img>", "&lt;img>" },
	{ "<!-- <script>alert(1)</script> -->", "<!-- <script>alert(1)</script> -->" },
	{ "<!--><script>x</script>", "<!-->" },
	{ "<!-- a --!><script>x</script>", "<!-- a --!>" },
	{ "<title><script>x</script></title>", "<title><script>x</script></title>" },
	{ "<textarea><img src=x onerror=alert(1)></textarea>",
	  "<textarea disabled><img src=x onerror=alert(1)></textarea>" },
	{ "<xmp><script>alert(1)</script></xmp>", "<xmp><script>alert(1)</script></xmp>" },
	{ "<div style=\"background:url(javascript:alert(1))\">",
	  "<div style=\"background:url(javascript:alert(1))\">" },
	{ "<a title='x' href=a.html target=_blank>", "<a title='x' href=A.html target=_blank>" },
	{ "<p title=\"a>b\" onclick=x>", "<p title=\"a>b\">" },
	{ "</p onclick=x>", "</p onclick=x>" },
	{ "<a href=x onclick", "<a href=x onclick" },
};

static void test_neutralise(void **state)
{
	struct html_rewrite_opts opt = { test_rewrite, NULL, NULL, 1, 0, NULL, NULL };
	struct strbuf out = STRBUF_INIT;
	size_t i;
	(void)state;
	for (i = 0; i < ARRAY_SIZE(neutralise_cases); i++) {
		if (!neutralise_cases[i].out)
			continue;
		rewrite(neutralise_cases[i].in, &opt, &out);
		if (strcmp(out.buf, neutralise_cases[i].out))
			print_error("case %zu: %s\n", i, neutralise_cases[i].in);
		assert_string_equal(out.buf, neutralise_cases[i].out);
	}
	/* a NUL in a tag name */
	{
		static const char xmp[] = "<xmp\0><img src=x onerror=alert(1)>";
		strbuf_reset(&out);
		html_rewrite(xmp, sizeof(xmp) - 1, &opt, &out);
		assert_int_equal(out.len, sizeof("<xmp\0><img src=x>") - 1);
		assert_memory_equal(out.buf, "<xmp\0><img src=x>", out.len);
		strbuf_reset(&out);
	}
	/* without neutralise, only the <base> goes */
	opt.neutralise = 0;
	opt.rewrite = NULL;
	for (i = 0; i < ARRAY_SIZE(neutralise_cases); i++) {
		const char *in = neutralise_cases[i].in;
		int nr;
		if (!neutralise_cases[i].out)
			continue;
		nr = rewrite(in, &opt, &out);
		if (strstr(in, "<base"))
			continue;
		assert_int_equal(nr, 0);
		assert_string_equal(out.buf, in);
	}
	strbuf_release(&out);
}

static const struct {
	const char *in, *out;
} url_cases[] = {
	{ "<a href=\"http://ext.example.com/x\">x</a>",
	  "<a href=\"http://ext.example.com/x\" data-jiyue-external>x</a>" },
	{ "<a href=rel.html>x</a>", "<a href=http://old.example.gov.cn/rel.html data-jiyue-external>x</a>" },
	{ "<img src=http://ext.example.com/i.gif />",
	  "<img src=http://ext.example.com/i.gif data-jiyue-external />" },
	{ "<img srcset=\"http://ext.example.com/a.png 1x, b.png 2x\">",
	  "<img srcset=\"http://ext.example.com/a.png 1x, B.png 2x\" data-jiyue-external>" },
	{ "<p style=\"background:url(http://ext.example.com/p.png)\">",
	  "<p style=\"background:url(http://ext.example.com/p.png)\">" },
	{ "<p style=\"background:url(&quot;b.png&quot;)\">",
	  "<p style=\"background:url(&quot;B.png&quot;)\">" },
	{ "<a href=\"a.html?x=1&amp;y=2\">x</a>", "<a href=\"q.html?x=1&amp;y=2\">x</a>" },
	{ "<a href=a.html?x=1&y=2>x</a>", "<a href=\"q.html?x=1&amp;y=2\">x</a>" },
	{ "<a href=space.html>x</a>", "<a href=\"a b.html\">x</a>" },
	{ "<a href=' a.html '>x</a>", "<a href='A.html'>x</a>" },
	{ "<A HREF=\"A.HTML\">x</A>", "<A HREF=\"A.HTML\">x</A>" },
	{ "<td background=b.png>", "<td background=B.png>" },
	{ "<style>td{background:url(b.png)}</style>", "<style>td{background:url(B.png)}</style>" },
	{ "<link rel=stylesheet href=\"b.png\">", "<link rel=stylesheet href=\"B.png\">" },
	{ "<!-- <a href=a.html> --><a href=a.html>", "<!-- <a href=a.html> --><a href=A.html>" },
};

static void test_rewrite_urls(void **state)
{
	struct html_rewrite_opts opt = { test_rewrite, NULL, NULL, 1, 0, NULL, NULL };
	struct strbuf out = STRBUF_INIT;
	size_t i;
	(void)state;
	for (i = 0; i < ARRAY_SIZE(url_cases); i++) {
		rewrite(url_cases[i].in, &opt, &out);
		if (strcmp(out.buf, url_cases[i].out))
			print_error("case %zu: %s\n", i, url_cases[i].in);
		assert_string_equal(out.buf, url_cases[i].out);
	}
	strbuf_release(&out);
}

static const struct {
	const char *in, *out; /* {M}: metas, {B}: banner */
} stamp_cases[] = {
	{ "<!DOCTYPE html><html><head><title>t</title></head><body class=x><p>a</p></body></html>",
	  "<!DOCTYPE html><html><head>{M}<title>t</title></head><body class=x>{B}<p>a</p></body></html>" },
	{ "<html><head><title>t</title></head>\n<p>a", "<html><head>{M}<title>t</title></head>\n{B}<p>a" },
	{ "<title>t</title><p>a", "{M}<title>t</title>{B}<p>a" },
	{ "<!DOCTYPE html>\nHello", "<!DOCTYPE html>{M}\n{B}Hello" },
	{ "<html lang=zh><body>", "<html lang=zh>{M}<body>{B}" },
	{ "<html><head></head><div>x</div><body bgcolor=white>",
	  "<html><head>{M}</head>{B}<div>x</div><body bgcolor=white>" },
	{ "", "{M}{B}" },
	{ "<head><title>t</title><!-- unterminated", "<head>{M}<title>t</title>{B}<!-- unterminated" },
	{ "<title>abc", "{M}{B}<title>abc" },
	{ "<head><link rel=stylesheet href=s.css", "<head>{M}{B}<link rel=stylesheet href=s.css" },
	{ "\xef\xbb\xbf<p>x", "\xef\xbb\xbf{M}{B}<p>x" },
	{ "<head profile=x><script>x()</script><body onload=f()><script>y()</script><p>",
	  "<head profile=x>{M}<body>{B}<p>" },
	{ "<html><head><title>t</title></head><frameset cols=\"20%,*\"><frame src=a.html>"
	  "<noframes><body>x</body></noframes></frameset></html>",
	  "<html><head>{M}<title>t</title></head><frameset cols=\"20%,*\"><frame src=A.html>"
	  "<noframes><body>x</body></noframes></frameset></html>" },
	{ "<html><head><noscript><img src=p.gif></noscript><style>p{}</style></head>x",
	  "<html><head>{M}<noscript><img src=p.gif></noscript><style>p{}</style></head>{B}x" },
	{ "<html><body><svg><script>x</script>", "<html>{M}<body>{B}<svg>" },
};

static void test_stamp_placement(void **state)
{
	struct html_rewrite_opts opt = { test_rewrite, NULL, &test_stamp, 1, 0, NULL, NULL };
	struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;
	size_t i;
	(void)state;
	for (i = 0; i < ARRAY_SIZE(stamp_cases); i++) {
		rewrite(stamp_cases[i].in, &opt, &out);
		expand(stamp_cases[i].out, 0, &want);
		if (strcmp(out.buf, want.buf))
			print_error("case %zu: %s\n", i, stamp_cases[i].in);
		assert_string_equal(out.buf, want.buf);
	}
	strbuf_release(&out);
	strbuf_release(&want);
}

/* The banner cannot be restyled by the page: every declaration is !important. */
static void test_banner_markup(void **state)
{
	struct html_stamp st = test_stamp;
	struct strbuf b = STRBUF_INIT;
	const char *p;
	static const char *const must[] = {
		"display:block!important", "visibility:visible!important", "opacity:1!important",
		"position:relative!important", "z-index:2147483647!important", "transform:none!important",
		"filter:none!important", "clip-path:none!important", "width:100%!important",
		"height:auto!important", "min-height:0!important", "max-height:none!important",
		"margin:0!important", "padding:8px 12px!important", "font:normal normal 400 14px/1.6",
		"color:#3b2f00!important", "background:#fff8e1!important", "border:0!important",
		"text-align:left!important", "all:initial!important",
	};
	size_t i;
	(void)state;
	st.original_url = "http://old.example.gov.cn/a?x=1&y=<2>";
	html_stamp_banner(&st, &b);
	p = "<jiyue-archived role=\"note\" aria-label=\"已归档网页\" lang=\"zh-CN\" style=\"";
	assert_true(!strncmp(b.buf, p, strlen(p)));
	for (i = 0; i < ARRAY_SIZE(must); i++)
		assert_non_null(strstr(b.buf, must[i]));
	/* every declaration of every style attribute is !important */
	for (p = b.buf; (p = strstr(p, "style=\"")); ) {
		const char *end = strchr(p + 7, '"'), *d = p + 7;
		size_t k;
		assert_non_null(end);
		/* the styles are written unescaped: nothing in them may need it */
		for (k = 0; p + 7 + k < end; k++)
			assert_null(strchr("&<>", p[7 + k]));
		while (d < end) {
			const char *semi = memchr(d, ';', (size_t)(end - d));
			assert_non_null(semi);
			assert_true(semi - d > 10 && !strncmp(semi - 10, "!important", 10));
			d = semi + 1;
		}
		p = end;
	}
	assert_non_null(strstr(b.buf, ">已归档</jiyue-archived-badge>"));
	assert_non_null(strstr(b.buf, "归档时间：<time datetime=\"2025-03-01\""));
	assert_non_null(strstr(b.buf, ">2025年3月1日</time>"));
	assert_non_null(strstr(b.buf, "<a href=\"http://old.example.gov.cn/a?x=1&amp;y=&lt;2&gt;\" rel=\"nofollow noopener noreferrer\" data-jiyue-external"));
	assert_non_null(strstr(b.buf, ">http://old.example.gov.cn/a?x=1&amp;y=&lt;2&gt;</a>"));
	assert_non_null(strstr(b.buf, "<a href=\"/archive/\""));
	assert_non_null(strstr(b.buf, "示例市发展和改革委员会网站"));
	/* only http(s) URLs are linked */
	strbuf_reset(&b);
	st.original_url = "javascript:alert(1)";
	st.site_name = NULL;
	st.index_url = NULL;
	html_stamp_banner(&st, &b);
	assert_null(strstr(b.buf, "href"));
	assert_non_null(strstr(b.buf, ">javascript:alert(1)</jiyue-archived-url>"));
	strbuf_release(&b);
}

static const struct {
	const char *in, *out;
} utf8_cases[] = {
	{ "<head><meta charset=\"gb2312\"><title>x</title>",
	  "<head><meta charset=\"utf-8\"><title>x</title>" },
	{ "<HEAD><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=GBK\">",
	  "<HEAD><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=utf-8\">" },
	{ "<meta content=\"text/html; charset='gb2312'\" http-equiv=content-type>",
	  "<meta content=\"text/html; charset='utf-8'\" http-equiv=content-type>" },
	{ "<meta charset=gbk>", "<meta charset=utf-8>" },
	{ "<html><head><title>x</title>", "<html><head><meta charset=\"utf-8\"><title>x</title>" },
	{ "<meta charset=UTF-8><p>", "<meta charset=UTF-8><p>" },
	{ "<p>x", "<meta charset=\"utf-8\"><p>x" },
	{ "<meta http-equiv=content-type content=text/html>", "<meta charset=\"utf-8\"><meta http-equiv=content-type content=text/html>" },
};

static void test_set_utf8(void **state)
{
	struct html_rewrite_opts opt = { NULL, NULL, NULL, 0, 1, NULL, NULL };
	struct strbuf out = STRBUF_INIT, late = STRBUF_INIT;
	size_t i;
	(void)state;
	for (i = 0; i < ARRAY_SIZE(utf8_cases); i++) {
		rewrite(utf8_cases[i].in, &opt, &out);
		if (strcmp(out.buf, utf8_cases[i].out))
			print_error("case %zu: %s\n", i, utf8_cases[i].in);
		assert_string_equal(out.buf, utf8_cases[i].out);
	}
	/* a declaration after 1024 bytes is rewritten, and one is added up front */
	strbuf_addstr(&late, "<head>");
	for (i = 0; i < 1100; i++)
		strbuf_addch(&late, ' ');
	strbuf_addstr(&late, "<meta charset=gb2312>");
	rewrite(late.buf, &opt, &out);
	assert_true(!strncmp(out.buf, "<head><meta charset=\"utf-8\"> ", 29));
	assert_non_null(strstr(out.buf, " <meta charset=utf-8>"));
	strbuf_release(&out);
	strbuf_release(&late);
}

/* ---- random soup ---- */

static uint64_t rng;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const soup[] = {
	"<", ">", "</", "/>", "<!--", "-->", "--!>", "<!", "<?", "<!DOCTYPE html>", "\"", "'", "=",
	" ", "\n", "\t", "x", "中文", "&", "&amp;", "&#106;", "&colon;", "&#x09;", ";",
	"<script>", "</script>", "<SCRIPT src=a.js>", "<script><!--", "<style>", "</style>",
	"<noscript>", "</noscript>", "<noframes>", "<title>", "</title>", "<textarea>", "<xmp>",
	"<iframe src=f.html>", "</iframe>", "<plaintext>", "<svg>", "</svg>", "<math>",
	"<a href=", "a.html", "b.png", "rel.html", "http://ext/x", "javascript:alert(1)",
	"data:text/html,x", " onclick=", " ONLOAD=\"x()\"", " style=\"background:url(b.png)\"",
	" srcdoc=", " srcset=\"a.png 1x, b.png 2x\"", "<img src=", "<body>", "<head>", "<html>",
	"<base href=x>", "<base href=x target=_blank>", "<frameset>",
	"<meta http-equiv=refresh content='0;url=javascript:x'>",
	"<meta http-equiv=refresh content=\"0;url=http://ext/r\">", "<meta charset=gb2312>",
	"<form action=/x>", "<input>", "<button formaction=y>", "<textarea", "url(", ")",
	"<animate attributeName=href values=\"javascript:x\">", "2017-05-12", "二〇一七年五月十二日",
	"\xff", "\0", "\xe4", "<![CDATA[", "]]>", "<p", "</p>", "<a/", "<img/src=a.html/>",
	"<select>", "</select>", "<option>", "<template>", "</template>", "<xmp", "<title",
};

/* For failures: the bytes as a C string. */
static void dump(const char *what, const struct strbuf *sb)
{
	size_t i;
	print_error("--- %s\n\"", what);
	for (i = 0; i < sb->len; i++) {
		unsigned char c = (unsigned char)sb->buf[i];
		if (c == '"' || c == '\\')
			print_error("\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			print_error("%c", c);
		else if (c == '\n')
			print_error("\\n\"\n\"");
		else
			print_error("\\x%02x\"\"", c);
	}
	print_error("\"\n");
}

static int soup_rewrite(void *ud, const char *raw, enum link_kind kind, struct strbuf *out)
{
	unsigned h = 5381;
	const char *p;
	(void)ud;
	for (p = raw; *p; p++)
		h = h * 33 + (unsigned char)*p;
	h += (unsigned)kind;
	switch (h % 4) {
	case 0:
		return 0;
	case 1:
		strbuf_addf(out, "R%u/\"<'&>", h % 100);
		return HTML_REWRITE_REPLACED;
	case 2:
		return HTML_REWRITE_EXTERNAL;
	default:
		strbuf_addf(out, "http://old/%u", h % 100);
		return HTML_REWRITE_REPLACED | HTML_REWRITE_EXTERNAL;
	}
}

/*
 * Random byte soup through html_rewrite: no crash (run it under ASan), the
 * output is the input plus the reported splices and nothing else, and the
 * result is neutral: a second pass finds nothing left to remove.
 */
static void test_random_soup(void **state)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT, again = STRBUF_INIT;
	struct html_rewrite_opts opt = { soup_rewrite, NULL, &test_stamp, 1, 1, NULL, NULL };
	struct html_rewrite_opts check = { NULL, NULL, NULL, 1, 0, NULL, NULL };
	const char *seed = getenv("HTML_SOUP_SEED");
	unsigned iter;
	(void)state;
	rng = seed ? strtoull(seed, NULL, 10) | 1 : 0x9e3779b97f4a7c15ull;
	for (iter = 0; iter < 2000; iter++) {
		unsigned k, parts = rnd(120);
		struct html_links links;
		struct cdate d;
		int nr;
		strbuf_reset(&in);
		for (k = 0; k < parts; k++) {
			if (rnd(8) == 0) {
				strbuf_addch(&in, (char)rnd(256));
			} else {
				const char *s = soup[rnd(ARRAY_SIZE(soup))];
				strbuf_add(&in, s, *s ? strlen(s) : 1);
			}
		}
		opt.stamp = rnd(2) ? &test_stamp : NULL;
		opt.set_utf8 = (int)rnd(2);
		strbuf_reset(&out);
		{
			struct splices *sp = calloc(1, sizeof(*sp));
			assert_non_null(sp);
			opt.on_splice = record_splice;
			opt.splice_ud = sp;
			nr = html_rewrite(in.buf, in.len, &opt, &out);
			assert_int_equal((size_t)nr, sp->nr);
			assert_splices_account(in.buf, in.len, out.buf, out.len, sp);
			free(sp);
		}
		strbuf_reset(&again);
		nr = html_rewrite(out.buf, out.len, &check, &again);
		if (nr) {
			const char *path = getenv("HTML_SOUP_DUMP");
			print_error("iteration %u: second pass made %d changes\n", iter, nr);
			if (path) {
				FILE *f = fopen(path, "wb");
				if (f) {
					fwrite(in.buf, 1, in.len, f);
					fclose(f);
				}
			}
			dump("in", &in);
			dump("out", &out);
		}
		assert_int_equal(nr, 0);
		assert_int_equal(again.len, out.len);

		html_links_init(&links);
		html_find_links(in.buf, in.len, &links);
		html_links_release(&links);
		html_newest_date(in.buf, in.len, &d);
		strbuf_reset(&again);
		html_title(in.buf, in.len, &again);
		strbuf_reset(&again);
		css_rewrite(in.buf, in.len, soup_rewrite, NULL, &again);
		strbuf_reset(&again);
		charset_to_utf8(in.buf, in.len, charset_detect(in.buf, in.len, NULL), &again);
	}
	strbuf_release(&in);
	strbuf_release(&out);
	strbuf_release(&again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_messy_gbk_page),
		cmocka_unit_test(test_link_discovery),
		cmocka_unit_test(test_link_discovery_deep),
		cmocka_unit_test(test_css_find_urls),
		cmocka_unit_test(test_css_rewrite),
		cmocka_unit_test(test_css_rewrite_cannot_close_style),
		cmocka_unit_test(test_css_charset),
		cmocka_unit_test(test_charset_detect),
		cmocka_unit_test(test_charset_convert),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_title),
		cmocka_unit_test(test_find_base),
		cmocka_unit_test(test_neutralise),
		cmocka_unit_test(test_rewrite_urls),
		cmocka_unit_test(test_stamp_placement),
		cmocka_unit_test(test_banner_markup),
		cmocka_unit_test(test_set_utf8),
		cmocka_unit_test(test_random_soup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
