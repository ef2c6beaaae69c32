/*
 * Unit tests of gen/auditreport: the page of `jiyue audit --html` and its
 * timeline, from tests/fixtures/audit/sample.json (five notices: two
 * compliant, one displayed too short, one withdrawn, one scheduled; one
 * title carries <script>&") and from empty, partial and hostile JSON.
 *
 * The SVG is parsed as XML (it must stand alone) and the page with
 * libxml2's HTML parser, so that escaping is checked by a parser rather
 * than by looking for strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "common/date.h"
#include "common/fsutil.h"
#include "common/strbuf.h"
#include "gen/auditreport.h"

#define SAMPLE "tests/fixtures/audit/sample.json"
#define SVG_NS "http://www.w3.org/2000/svg"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

/* ---- helpers ---- */

static json_t *load_sample(void)
{
	json_error_t je;
	json_t *j = json_load_file(SAMPLE, 0, &je);
	if (!j)
		fail_msg("%s:%d: %s", SAMPLE, je.line, je.text);
	return j;
}

static json_t *parse(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!j)
		fail_msg("bad test JSON: %s", je.text);
	return j;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	const char *p = hay;
	while ((p = strstr(p, needle))) {
		n++;
		p += len;
	}
	return n;
}

static int64_t day(const char *s)
{
	struct cdate c;
	assert_int_equal(date_parse(s, &c, NULL), 0);
	return date_to_days(&c);
}

static void assert_near(double got, double want)
{
	if (!(got - want < 1e-6 && want - got < 1e-6))
		fail_msg("%.9f, expected %.9f", got, want);
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("expected to find '%s'", needle);
}

static void assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle))
		fail_msg("did not expect '%s'", needle);
}

/* The timeline alone must be well-formed XML: it is also saved as a file. */
static xmlDocPtr parse_svg(const struct strbuf *svg)
{
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	xmlDocPtr doc;
	int wf;
	assert_non_null(ctxt);
	doc = xmlCtxtReadMemory(ctxt, svg->buf, (int)svg->len, "timeline.svg", "UTF-8",
				XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	wf = ctxt->wellFormed;
	xmlFreeParserCtxt(ctxt);
	if (!doc || !wf) {
		xmlFreeDoc(doc);
		fail_msg("the SVG is not well-formed XML:\n%s", svg->buf);
	}
	return doc;
}

static xmlDocPtr parse_html(const struct strbuf *html)
{
	xmlDocPtr doc = htmlReadMemory(html->buf, (int)html->len, "index.html", "UTF-8",
				       HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	assert_non_null(doc);
	return doc;
}

/* Nodes matching an XPath expression; "s:" is the SVG namespace. */
static int xcount(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr x = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o;
	int n;
	assert_non_null(x);
	xmlXPathRegisterNs(x, BAD_CAST "s", BAD_CAST SVG_NS);
	o = xmlXPathEvalExpression(BAD_CAST expr, x);
	if (!o)
		fail_msg("bad XPath %s", expr);
	n = o->nodesetval ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(x);
	return n;
}

/* The text of the only node matching expr (malloc'ed). */
static char *xtext(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr x = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o;
	xmlChar *t;
	char *s;
	assert_non_null(x);
	xmlXPathRegisterNs(x, BAD_CAST "s", BAD_CAST SVG_NS);
	o = xmlXPathEvalExpression(BAD_CAST expr, x);
	assert_non_null(o);
	assert_non_null(o->nodesetval);
	if (o->nodesetval->nodeNr != 1)
		fail_msg("%s: %d nodes, expected 1", expr, o->nodesetval->nodeNr);
	t = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
	s = strdup((const char *)t);
	xmlFree(t);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(x);
	return s;
}

/*
 * Shapes that carry data (not decoration marked aria-hidden, not the
 * hatch pattern) without a <title> on themselves or a group around them.
 */
#define UNTITLED_SHAPES \
	"//*[self::s:rect or self::s:circle or self::s:line or self::s:path or self::s:polygon]" \
	"[not(ancestor::s:defs)][not(ancestor-or-self::*[@aria-hidden='true'])]" \
	"[not(ancestor-or-self::*/s:title)]"

static void render_both(const json_t *j, struct strbuf *html, struct strbuf *svg)
{
	assert_int_equal(audit_report_html(j, html), 0);
	audit_timeline_svg(j, svg);
	assert_true(html->len > 0);
	assert_true(svg->len > 0);
}

/* ---- the sample ---- */

static void test_sample_page(void **state)
{
	json_t *j = load_sample();
	struct strbuf html = STRBUF_INIT, svg = STRBUF_INIT;
	(void)state;

	render_both(j, &html, &svg);
	assert_int_equal(strncmp(html.buf, "<!DOCTYPE html>\n<html lang=\"zh-CN\">", 35), 0);
	assert_contains(html.buf, "<meta charset=\"utf-8\">");
	assert_contains(html.buf, "<h1>网站集约化公告与归档审计报告</h1>");
	assert_contains(html.buf, "示例市人民政府");
	assert_contains(html.buf, "2026年11月23日");
	assert_contains(html.buf, "<code>publish</code>");
	assert_contains(html.buf, "42 次");
	/* The summary line: 5 notices, 2 compliant, 1 not (in red), sites. */
	assert_contains(html.buf, "5 条公告：2 条合规，<strong class=\"bad\">1 条不合规</strong>");
	assert_contains(html.buf, "1 条尚未判定");
	assert_contains(html.buf, "1 条已撤回（不作判定）");
	assert_contains(html.buf, "归档网站 2 个，共 3 次归档，其中僵尸网站 1 个");
	assert_contains(html.buf, "on display 20 days (2025-09-01 until removed on 2025-09-21), less than 1 month");

	/* The timeline, embedded as is. */
	assert_non_null(strstr(html.buf, svg.buf));
	assert_int_equal(count(html.buf, "<svg"), 1);
	assert_contains(svg.buf, "role=\"img\"");
	assert_contains(svg.buf, "aria-label=\"公告展示期与网站归档时间轴，2025年6月至2026年12月：5 条公告，2 个归档网站\"");
	/* One bar per displayed notice, coloured by its verdict. */
	assert_int_equal(count(svg.buf, "class=\"disp disp-ok\""), 2);
	assert_int_equal(count(svg.buf, "class=\"disp disp-bad\""), 1);
	assert_int_equal(count(svg.buf, "class=\"disp disp-wd\""), 1);
	assert_int_equal(count(svg.buf, "class=\"disp disp-open\""), 0);
	assert_int_equal(count(svg.buf, "class=\"decl\""), 5 + 1);   /* + legend */
	assert_int_equal(count(svg.buf, "<g class=\"min\"><title>"), 5);
	assert_contains(svg.buf, "待发布");
	/* Today, and quarterly month labels over 19 months. */
	assert_contains(svg.buf, "<line class=\"today\"");
	assert_contains(svg.buf, ">今日 2026-11-23</text>");
	assert_contains(svg.buf, ">2025年7月</text>");
	assert_contains(svg.buf, ">2025年10月</text>");
	assert_contains(svg.buf, ">2026年1月</text>");
	assert_contains(svg.buf, ">2026年10月</text>");
	assert_lacks(svg.buf, ">2025年8月</text>");
	/* Captures, one of a zombie site. */
	assert_int_equal(count(svg.buf, "<circle class=\"cap\" "), 2 + 1);   /* + legend */
	assert_int_equal(count(svg.buf, "<circle class=\"cap cap-zombie\" "), 1 + 1);
	assert_contains(svg.buf, "capture/fgw/20250701083000\n归档日期：2025-07-01\n资源：153 个");

	/* Everything from the JSON is escaped; nothing is fetched or run. */
	assert_contains(html.buf, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;测试&quot;");
	assert_contains(html.buf, "&lt;b&gt;政策文件&lt;/b&gt; &amp; 工作动态");
	assert_contains(html.buf, "张三 &lt;zs@example.gov.cn&gt;");
	assert_lacks(html.buf, "<script");
	assert_lacks(html.buf, "<b>");
	assert_lacks(html.buf, "<link");
	assert_lacks(html.buf, "<img");
	assert_lacks(html.buf, "src=");
	assert_int_equal(count(html.buf, "http"), count(html.buf, "http://www.w3.org/2000/svg"));

	/* Print and phone. */
	assert_contains(html.buf, "@media print");
	assert_contains(html.buf, "@media (max-width:640px)");
	assert_contains(html.buf, "name=\"viewport\"");
	assert_contains(html.buf, ".chart{overflow-x:auto");

	strbuf_release(&html);
	strbuf_release(&svg);
	json_decref(j);
}

/* The SVG parses as XML, counts match, and every data shape has a title. */
static void test_sample_svg_structure(void **state)
{
	json_t *j = load_sample();
	struct strbuf svg = STRBUF_INIT;
	xmlDocPtr doc;
	char *t;
	(void)state;

	audit_timeline_svg(j, &svg);
	doc = parse_svg(&svg);
	assert_int_equal(xcount(doc, "/s:svg[@role='img'][@aria-label][@viewBox]"), 1);
	assert_int_equal(xcount(doc, "//s:rect[contains(concat(' ', @class, ' '), ' disp ')]"), 4);
	assert_int_equal(xcount(doc, "//s:rect[contains(concat(' ', @class, ' '), ' disp ')][not(s:title)]"), 0);
	assert_int_equal(xcount(doc, "//s:circle[contains(@class, 'cap')][s:title]"), 3 + 0);
	assert_int_equal(xcount(doc, "//s:g[@class='today-g'][s:title]/s:line[@class='today']"), 1);
	assert_int_equal(xcount(doc, "//s:a[starts-with(@href, '#notice-')]"), 5);
	assert_int_equal(xcount(doc, "//s:a[starts-with(@href, '#site-')]"), 2);
	assert_int_equal(xcount(doc, UNTITLED_SHAPES), 0);
	/* Text is text: no images, no foreign objects. */
	assert_int_equal(xcount(doc, "//s:image | //s:foreignObject | //s:script"), 0);

	/* Rows run oldest first; the JSON lists newest first. */
	t = xtext(doc, "(//s:a[starts-with(@href, '#notice-')])[1]/@href");
	assert_string_equal(t, "#notice-5");
	free(t);
	/* The hostile title survives as text, clipped on the chart, whole in its tooltip. */
	t = xtext(doc, "//s:a[@href='#notice-4']/s:g[not(@class)]/s:title");
	assert_string_equal(t, "关于原发改委网站内容迁移去向的公告 <script>alert(1)</script> & \"测试\"\n"
			       "迁移公告 · 已期满 · 合规");
	free(t);
	t = xtext(doc, "//s:a[@href='#notice-4']/s:g[not(@class)]/s:text[@class='t']");
	assert_string_equal(t, "关于原发改委网站内容迁移去向的公告 <…");
	free(t);
	/* The too-short notice: its bar ends before its minimum's marker. */
	t = xtext(doc, "//s:a[@href='#notice-3']/s:rect[contains(@class, 'disp-bad')]/s:title");
	assert_string_equal(t, "实际展示：2025-09-01 至 2025-09-20，共 20 天\n首个发布提交：3d5a9e2（2025-09-01）\n"
			       "最后包含它的发布提交：f08c6b1（2025-09-20）\n撤下它的发布提交：91d0e4a（2025-09-21）\n不合规");
	free(t);
	t = xtext(doc, "//s:a[@href='#notice-3']/s:g[@class='min']/s:title");
	assert_string_equal(t, "最短展示期（1个月）：须展示至 2025-10-01（含当日）");
	free(t);

	xmlFreeDoc(doc);
	strbuf_release(&svg);
	json_decref(j);
}

/* The page, read back by an HTML parser, holds the JSON's text unchanged. */
static void test_sample_html_round_trip(void **state)
{
	json_t *j = load_sample();
	struct strbuf html = STRBUF_INIT;
	xmlDocPtr doc;
	char *t;
	(void)state;

	assert_int_equal(audit_report_html(j, &html), 0);
	doc = parse_html(&html);
	assert_int_equal(xcount(doc, "//script"), 0);
	assert_int_equal(xcount(doc, "//article[starts-with(@id, 'notice-')]"), 5);
	assert_int_equal(xcount(doc, "//article[starts-with(@id, 'site-')]"), 2);
	assert_int_equal(xcount(doc, "//article[contains(@class, 'v-bad')]"), 1);
	t = xtext(doc, "//article[@id='notice-4']//h3");
	assert_string_equal(t, json_string_value(json_object_get(json_array_get(json_object_get(j, "notices"), 3), "title")));
	free(t);
	t = xtext(doc, "//article[@id='notice-4']//table[@class='commits']/tbody/tr[1]/td[4]");
	assert_string_equal(t, "迁移公告：列出原发改委栏目去向 <b>政策文件</b> & 工作动态");
	free(t);
	/* Evidence of the display window: the publish commits, the day count. */
	t = xtext(doc, "//article[@id='notice-5']//tr[th='实际展示期']/td");
	assert_string_equal(t, "2025-06-10 至 2025-07-12，共 33 天首个发布提交 9f1c2ab（2025-06-10）"
			       "最后包含它的发布提交 77aa010（2025-07-12）撤下它的发布提交 3b9d1f2（2025-07-13）");
	free(t);
	t = xtext(doc, "//article[@id='notice-2']//tr[th='撤回']/td");
	assert_string_equal(t, "已撤回：住建局网站改为整体迁入集约化平台，域名变更计划取消");
	free(t);
	t = xtext(doc, "//article[@id='notice-1']//tr[th='实际展示期']/td");
	assert_string_equal(t, "尚未发布：发布分支上还没有包含此公告的提交");
	free(t);
	t = xtext(doc, "//article[@id='site-2']//tbody/tr[1]/td[5]");
	assert_string_equal(t, "僵尸网站");
	free(t);

	xmlFreeDoc(doc);
	strbuf_release(&html);
	json_decref(j);
}

static void test_deterministic(void **state)
{
	json_t *j = load_sample(), *again = load_sample();
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, sa = STRBUF_INIT, sb = STRBUF_INIT;
	(void)state;

	render_both(j, &a, &sa);
	render_both(again, &b, &sb);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.buf, b.buf, a.len);
	assert_int_equal(sa.len, sb.len);
	assert_memory_equal(sa.buf, sb.buf, sa.len);
	/* Appending renders after what the buffer already holds. */
	strbuf_reset(&b);
	strbuf_addstr(&b, "X");
	assert_int_equal(audit_report_html(j, &b), 0);
	assert_int_equal(b.len, a.len + 1);
	assert_memory_equal(b.buf + 1, a.buf, a.len);

	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&sa);
	strbuf_release(&sb);
	json_decref(j);
	json_decref(again);
}

/* ---- missing, null and wrong fields ---- */

static void test_missing_and_hostile_fields(void **state)
{
	static const char *const inputs[] = {
		"{}",
		"{\"notices\":[{}]}",
		"null",
		"[]",
		"\"text\"",
		"{\"notices\":null,\"sites\":null,\"generated\":null,\"publish_commits\":null}",
		"{\"notices\":{},\"sites\":\"x\",\"generated\":20261123,\"portal\":[],\"branch\":{}}",
		"{\"notices\":[null,1,\"x\",[],{\"title\":5,\"declared\":\"2025\",\"minimum\":[],"
		"\"displayed\":{\"first\":null,\"last\":{\"date\":\"2025-02-30\",\"commit\":7}},"
		"\"commits\":{},\"reasons\":\"x\",\"compliant\":\"yes\",\"state\":\"\"}]}",
		"{\"notices\":[{\"declared\":{\"published\":\"2025-05-01\"},\"displayed\":{\"last\":{\"date\":\"2025-05-03\"}},"
		"\"commits\":[null,{\"commit\":null,\"message\":\"\\u0001\\u001f\"}],\"reasons\":[null,3,\"\"],"
		"\"compliant\":false,\"withdrawn\":true}]}",
		"{\"notices\":[{\"title\":\"反了\",\"declared\":{\"published\":\"2025-05-10\",\"until\":\"2025-05-01\"},"
		"\"displayed\":{\"first\":{\"date\":\"2025-06-09\"},\"last\":{\"date\":\"2025-06-01\"}},"
		"\"minimum\":{\"period\":\"forever\",\"last_day\":\"never\"}}]}",
		"{\"sites\":[{},null,{\"id\":\"a\",\"captures\":[null,{\"date\":\"nope\"},{\"date\":\"2025-01-01\",\"resources\":\"many\"}]}]}",
		"{\"generated\":\"0001-01-01\",\"sites\":[{\"captures\":[{\"date\":\"9999-12-31\"}]}]}",
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(inputs); i++) {
		json_t *j = parse(inputs[i]);
		struct strbuf html = STRBUF_INIT, svg = STRBUF_INIT;
		xmlDocPtr doc;
		render_both(j, &html, &svg);
		assert_int_equal(strncmp(html.buf, "<!DOCTYPE html>", 15), 0);
		assert_true(html.len > 20 && !strcmp(html.buf + html.len - 8, "</html>\n"));
		doc = parse_svg(&svg);
		assert_int_equal(xcount(doc, UNTITLED_SHAPES), 0);
		xmlFreeDoc(doc);
		strbuf_release(&html);
		strbuf_release(&svg);
		json_decref(j);
	}
}

static void test_empty_audit(void **state)
{
	json_t *j = parse("{}");
	struct strbuf html = STRBUF_INIT, svg = STRBUF_INIT, null_html = STRBUF_INIT;
	struct audit_axis ax;
	(void)state;

	render_both(j, &html, &svg);
	assert_int_equal(audit_axis_of(j, &ax), -1);
	assert_contains(svg.buf, "审计数据中没有可用的日期，未绘制时间轴");
	assert_contains(svg.buf, "无公告");
	assert_contains(svg.buf, "无归档网站");
	assert_lacks(svg.buf, "today-g");
	assert_contains(html.buf, "0 条公告：0 条合规，0 条不合规；归档网站 0 个，共 0 次归档。");
	assert_contains(html.buf, "没有公告。");
	/* A NULL audit is an empty one. */
	assert_int_equal(audit_report_html(NULL, &null_html), 0);
	assert_string_equal(null_html.buf, html.buf);

	strbuf_release(&html);
	strbuf_release(&svg);
	strbuf_release(&null_html);
	json_decref(j);
}

/* ---- the scale ---- */

/*
 * The sample's dates run from 2025-06-10 to 2026-12-31 (the opening
 * notice's last day), so the axis spans 2025-06-01 .. 2027-01-01: 579 days
 * over 292 .. 936 in the viewBox.
 */
static void test_axis_scale(void **state)
{
	json_t *j = load_sample();
	struct strbuf svg = STRBUF_INIT;
	struct audit_axis ax;
	const double per_day = 644.0 / 579.0;
	(void)state;

	assert_int_equal(audit_axis_of(j, &ax), 0);
	assert_int_equal(ax.first, day("2025-06-01"));
	assert_int_equal(ax.end, day("2027-01-01"));
	assert_int_equal(ax.end - ax.first, 579);
	assert_near(ax.x0, 292.0);
	assert_near(ax.x1, 936.0);
	assert_near(audit_axis_x(&ax, day("2025-06-01")), 292.0);
	assert_near(audit_axis_x(&ax, day("2027-01-01")), 936.0);
	/* 2026-01-01 is 214 days in: 292 + 214 * 644 / 579 = 530.024 */
	assert_near(audit_axis_x(&ax, day("2026-01-01")), 292.0 + 214 * per_day);
	assert_true(audit_axis_x(&ax, day("2026-01-01")) > 530.02);
	assert_true(audit_axis_x(&ax, day("2026-01-01")) < 530.03);

	audit_timeline_svg(j, &svg);
	/* The year line of 2026 stands there. */
	assert_contains(svg.buf, "<line class=\"grid-y\" x1=\"530.0\" y1=\"40\" x2=\"530.0\"");
	/*
	 * The first row (oldest, fgw-closure) at y 40 + 30: its display bar
	 * covers 2025-06-10 (day 9: x 302.0) through the whole of 2025-07-12
	 * (33 days: width 36.7), 22 below the row's top.
	 */
	assert_contains(svg.buf, "<rect class=\"disp disp-ok\" x=\"302.0\" y=\"92.0\" width=\"36.7\" height=\"14.0\"");
	/* Its minimum's marker at the end of 2025-07-10 (day 40: x 336.5). */
	assert_contains(svg.buf, "<line x1=\"336.5\" y1=\"75.0\" x2=\"336.5\"");
	/* Today, 2026-11-23, is day 540; its line stands mid-day: 292 + 540.5 * 644 / 579 = 893.2 */
	assert_contains(svg.buf, "<line class=\"today\" x1=\"893.2\"");
	/* A capture is a mid-day dot too: 2025-09-25 is day 116 -> 421.6 */
	assert_contains(svg.buf, "<circle class=\"cap cap-zombie\" cx=\"421.6\"");

	strbuf_release(&svg);
	json_decref(j);
}

/* Month labels thin out as the range grows: 1, 2, 3, 6 months, then years. */
static void test_tick_steps(void **state)
{
	static const struct {
		const char *first;   /* a capture date; "generated" is 2026-11-23 */
		const char *has[3], *lacks[2];
	} cases[] = {
		{ "2026-11-01", { ">2026年11月<", NULL, NULL }, { ">2026年12月<", NULL } },
		{ "2026-04-15", { ">2026年4月<", ">2026年5月<", ">2026年11月<" }, { NULL, NULL } },
		{ "2025-11-01", { ">2025年11月<", ">2026年1月<", ">2026年11月<" }, { ">2025年12月<", ">2026年2月<" } },
		{ "2024-06-01", { ">2024年7月<", ">2025年1月<", ">2026年7月<" }, { ">2024年10月<", ">2025年4月<" } },
		{ "2019-03-05", { ">2020年<", ">2026年<", NULL }, { ">2020年1月<", ">2019年<" } },
		{ "1949-10-01", { ">1950年<", ">2000年<", NULL }, { ">1951年<", NULL } },
	};
	size_t i, k;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct strbuf text = STRBUF_INIT, svg = STRBUF_INIT;
		json_t *j;
		xmlDocPtr doc;
		strbuf_addf(&text, "{\"generated\":\"2026-11-23\",\"sites\":[{\"id\":\"x\",\"captures\":"
			    "[{\"date\":\"%s\"}]}]}", cases[i].first);
		j = parse(text.buf);
		audit_timeline_svg(j, &svg);
		for (k = 0; k < 3 && cases[i].has[k]; k++)
			if (!strstr(svg.buf, cases[i].has[k]))
				fail_msg("from %s: no label %s", cases[i].first, cases[i].has[k]);
		for (k = 0; k < 2 && cases[i].lacks[k]; k++)
			if (strstr(svg.buf, cases[i].lacks[k]))
				fail_msg("from %s: unexpected label %s", cases[i].first, cases[i].lacks[k]);
		/* Never more than 9 labels. */
		doc = parse_svg(&svg);
		assert_true(xcount(doc, "//s:text[@class='tick' or @class='tick-y']") <= 9);
		assert_true(xcount(doc, "//s:text[@class='tick' or @class='tick-y']") >= 1);
		xmlFreeDoc(doc);
		strbuf_release(&text);
		strbuf_release(&svg);
		json_decref(j);
	}
}

/* ---- states ---- */

static void test_still_shown_and_missing_notices(void **state)
{
	json_t *j = parse(
		"{\"generated\":\"2026-11-23\",\"notices\":["
		"{\"slug\":\"a\",\"title\":\"展示中的公告\",\"kind\":\"migration\",\"state\":\"active\",\"compliant\":null,"
		"\"declared\":{\"published\":\"2026-11-10\",\"until\":\"2026-12-11\"},"
		"\"minimum\":{\"period\":\"30 days\",\"last_day\":\"2026-12-10\"},"
		"\"displayed\":{\"first\":{\"commit\":\"aaa1111\",\"date\":\"2026-11-10\"},"
		"\"last\":{\"commit\":\"bbb2222\",\"date\":\"2026-11-20\"}}},"
		"{\"slug\":\"m\",\"title\":\"源文件已删的公告\",\"kind\":\"closure\",\"state\":\"missing\",\"compliant\":false,"
		"\"reasons\":[\"on display 4 days (2026-10-01 until removed on 2026-10-05), less than 1 month\"],"
		"\"declared\":{\"published\":\"2026-10-01\",\"until\":\"2026-11-02\"},"
		"\"displayed\":{\"first\":{\"commit\":\"ccc3333\",\"date\":\"2026-10-01\"},"
		"\"last\":{\"commit\":\"ddd4444\",\"date\":\"2026-10-01\"},"
		"\"removed\":{\"commit\":\"eee5555\",\"date\":\"2026-10-05\"}}},"
		"{\"slug\":\"n\",\"title\":\"从未上线\",\"kind\":\"opening\",\"state\":\"expired\",\"compliant\":false,"
		"\"displayed\":null,\"declared\":{\"published\":\"2026-09-01\",\"until\":\"2026-10-02\"}}]}");
	struct strbuf html = STRBUF_INIT, svg = STRBUF_INIT;
	(void)state;

	render_both(j, &html, &svg);
	/* Kind labels come from the kind when kind_label is missing. */
	assert_contains(svg.buf, ">迁移公告 · 展示中 · <tspan class=\"c-open\">待判定</tspan>");
	assert_contains(svg.buf, ">关停公告 · 源文件已删除 · <tspan class=\"c-bad\">不合规</tspan>");

	/* No publish commit removed it: it runs on to today, drawn lighter. */
	assert_int_equal(count(svg.buf, "class=\"disp disp-open\""), 1);
	assert_int_equal(count(svg.buf, "<rect class=\"disp-cont disp-open\""), 1);
	assert_contains(svg.buf, "仍在展示：发布分支最新提交仍包含此公告（最后一次在 2026-11-20），至今日 2026-11-23");
	assert_contains(svg.buf, ">至今 14天</text>");
	assert_contains(html.buf, "2026-11-10 起，仍在展示（至今日共 14 天）");
	assert_contains(html.buf, "此后没有发布提交撤下它");

	/* Removed by a publish commit: on display up to the day before, no further. */
	assert_int_equal(count(svg.buf, "class=\"disp disp-bad\""), 1);
	assert_contains(svg.buf, "实际展示：2026-10-01 至 2026-10-04，共 4 天");
	assert_contains(svg.buf, ">4天</text>");
	assert_contains(html.buf, "2026-10-01 至 2026-10-04，共 4 天");
	assert_contains(html.buf, "撤下它的发布提交 <code>eee5555</code>（2026-10-05）");

	/* Never shown. */
	assert_contains(svg.buf, "class=\"note c-bad\"");
	assert_contains(svg.buf, ">无展示记录</text>");
	assert_contains(html.buf, "<span class=\"bad-text\">无</span>：发布分支上没有包含此公告的提交");
	assert_contains(html.buf, "30天，须展示至 2026-12-10（含当日）");
	assert_contains(html.buf, "<strong class=\"bad\">2 条不合规</strong>，1 条尚未判定");

	strbuf_release(&html);
	strbuf_release(&svg);
	json_decref(j);
}

/* Control characters cannot reach the XML; long titles are clipped on the chart only. */
static void test_control_characters_and_long_titles(void **state)
{
	json_t *j = parse(
		"{\"notices\":[{\"title\":\"关于\\u0001\\u0008测试\\u001b[31m网站关停的公告关于示例市某某某某某某某某某某委员会网站关停的公告\","
		"\"declared\":{\"published\":\"2025-01-01\"}}],"
		"\"sites\":[{\"id\":\"x\\u0000y\",\"name\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}]}");
	struct strbuf html = STRBUF_INIT, svg = STRBUF_INIT;
	xmlDocPtr doc;
	char *t;
	(void)state;

	render_both(j, &html, &svg);
	assert_lacks(html.buf, "\x01");
	assert_lacks(html.buf, "\x1b");
	doc = parse_svg(&svg);
	t = xtext(doc, "//s:a[@href='#notice-1']/s:g[not(@class)]/s:title");
	assert_string_equal(t, "关于测试[31m网站关停的公告关于示例市某某某某某某某某某某委员会网站关停的公告\n公告 · 待判定");
	free(t);
	t = xtext(doc, "//s:a[@href='#notice-1']/s:g[not(@class)]/s:text[@class='t']");
	assert_string_equal(t, "关于测试[31m网站关停的公告关于示例市…");
	free(t);
	t = xtext(doc, "//s:a[@href='#site-1']/s:g[not(@class)]/s:text[@class='t']");
	assert_string_equal(t, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…");
	free(t);
	xmlFreeDoc(doc);

	strbuf_release(&html);
	strbuf_release(&svg);
	json_decref(j);
}

/* ---- writing ---- */

static void test_write(void **state)
{
	char tmpl[] = "/tmp/jiyue-audit-XXXXXX";
	json_t *j = load_sample();
	struct strbuf dir = STRBUF_INIT, err = STRBUF_INIT, got = STRBUF_INIT, want = STRBUF_INIT;
	(void)state;

	assert_non_null(mkdtemp(tmpl));
	strbuf_addf(&dir, "%s/report/audit", tmpl);
	assert_int_equal(audit_report_write(j, dir.buf, &err), 0);
	assert_int_equal(err.len, 0);
	strbuf_addstr(&dir, "/index.html");
	assert_int_equal(strbuf_read_file(&got, dir.buf), 0);
	assert_int_equal(audit_report_html(j, &want), 0);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.buf, want.buf, got.len);

	/* A folder that cannot be made: the message names it. */
	strbuf_reset(&dir);
	strbuf_addf(&dir, "%s/report/audit/index.html/sub", tmpl);
	assert_int_equal(audit_report_write(j, dir.buf, &err), -1);
	assert_contains(err.buf, "unable to create '");
	assert_contains(err.buf, "index.html/sub'");

	assert_int_equal(rm_rf(tmpl), 0);
	strbuf_release(&dir);
	strbuf_release(&err);
	strbuf_release(&got);
	strbuf_release(&want);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_page),
		cmocka_unit_test(test_sample_svg_structure),
		cmocka_unit_test(test_sample_html_round_trip),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_missing_and_hostile_fields),
		cmocka_unit_test(test_empty_audit),
		cmocka_unit_test(test_axis_scale),
		cmocka_unit_test(test_tick_steps),
		cmocka_unit_test(test_still_shown_and_missing_notices),
		cmocka_unit_test(test_control_characters_and_long_titles),
		cmocka_unit_test(test_write),
	};
	int ret;
	xmlInitParser();
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return ret;
}
