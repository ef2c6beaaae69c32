/* Unit tests of common/: dates, safe paths, UTF-8, buffers, YAML loading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/arena.h"
#include "common/date.h"
#include "common/diag.h"
#include "common/fsutil.h"
#include "common/path.h"
#include "common/strbuf.h"
#include "common/utf8.h"
#include "common/value.h"
#include "common/yamlload.h"
#include "gen/content.h"

static struct cdate D(int y, int m, int d)
{
	struct cdate c = { y, m, d };
	return c;
}

static void assert_date(struct cdate got, int y, int m, int d)
{
	assert_int_equal(got.year, y);
	assert_int_equal(got.month, m);
	assert_int_equal(got.day, d);
}

/* One month after a month end clamps to the shorter month's last day. */
static void test_add_months_month_end(void **state)
{
	struct cdate d = D(2025, 1, 31);
	(void)state;
	assert_date(date_add_months(&d, 1), 2025, 2, 28);
	d = D(2024, 1, 31);
	assert_date(date_add_months(&d, 1), 2024, 2, 29);
	d = D(2025, 3, 31);
	assert_date(date_add_months(&d, 1), 2025, 4, 30);
	d = D(2025, 2, 28);
	assert_date(date_add_months(&d, 1), 2025, 3, 28);
	d = D(2025, 11, 30);
	assert_date(date_add_months(&d, 3), 2026, 2, 28);
	d = D(2025, 12, 15);
	assert_date(date_add_months(&d, 1), 2026, 1, 15);
	d = D(2024, 2, 29);
	assert_date(date_add_months(&d, 12), 2025, 2, 28);
	d = D(2025, 3, 31);
	assert_date(date_add_months(&d, -1), 2025, 2, 28);
}

static void test_add_days_and_round_trip(void **state)
{
	struct cdate d = D(2025, 2, 27);
	(void)state;
	assert_date(date_add_days(&d, 30), 2025, 3, 29);
	d = D(2024, 12, 31);
	assert_date(date_add_days(&d, 1), 2025, 1, 1);
	d = D(1970, 1, 1);
	assert_int_equal(date_to_days(&d), 0);
	d = D(2000, 3, 1);
	assert_date(date_from_days(date_to_days(&d)), 2000, 3, 1);
}

static void test_parse_dates(void **state)
{
	struct cdate d;
	int64_t t;
	(void)state;
	assert_int_equal(date_parse("2025-03-12", &d, NULL), 0);
	assert_date(d, 2025, 3, 12);
	assert_int_equal(date_parse("2025-02-30", &d, NULL), -2);
	assert_int_equal(date_parse("2023-02-29", &d, NULL), -2);
	assert_int_equal(date_parse("2024-02-29", &d, NULL), 0);
	assert_int_equal(date_parse("2025-3-12", &d, NULL), -1);
	assert_int_equal(date_parse("2025-03-12x", &d, NULL), -1);
	assert_int_equal(date_parse("2025年3月12日", &d, NULL), -1);
	/* 17:00 UTC is 01:00 the next day in China */
	assert_int_equal(date_parse("2025-03-12T17:00:00Z", &d, &t), 0);
	assert_date(d, 2025, 3, 13);
	assert_int_equal(date_parse("2025-03-12T23:30:00+08:00", &d, NULL), 0);
	assert_date(d, 2025, 3, 12);
	assert_int_equal(date_parse("2025-03-12 08:00", &d, NULL), 0);
	assert_date(d, 2025, 3, 12);
	assert_int_equal(date_parse("2025-03-12T25:00:00", &d, NULL), -2);
}

static void test_epoch_is_china_time(void **state)
{
	struct cdate d = date_from_epoch(1735660800); /* 2024-12-31T16:00:00Z */
	(void)state;
	assert_date(d, 2025, 1, 1);
	d = date_from_epoch(1735660799);
	assert_date(d, 2024, 12, 31);
	d = D(2025, 1, 1);
	assert_int_equal(date_to_epoch(&d), 1735660800);
}

static void test_date_formats(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct cdate d = D(2025, 3, 5);
	(void)state;
	date_fmt_cn(&d, &sb);
	assert_string_equal(sb.buf, "2025年3月5日");
	strbuf_reset(&sb);
	date_fmt_rfc822(&d, &sb);
	assert_string_equal(sb.buf, "Wed, 05 Mar 2025 00:00:00 +0800");
	strbuf_release(&sb);
}

static void test_today_sources(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct cdate d;
	(void)state;
	assert_int_equal(date_today("2026-11-23", &d, &err), 0);
	assert_date(d, 2026, 11, 23);
	assert_int_equal(date_today("2026-02-29", &d, &err), -1);
	assert_non_null(strstr(err.buf, "no such day"));
	setenv("SOURCE_DATE_EPOCH", "1735660800", 1);
	assert_int_equal(date_today(NULL, &d, &err), 0);
	assert_date(d, 2025, 1, 1);
	setenv("SOURCE_DATE_EPOCH", "soon", 1);
	assert_int_equal(date_today(NULL, &d, &err), -1);
	unsetenv("SOURCE_DATE_EPOCH");
	strbuf_release(&err);
}

static void test_unsafe_paths(void **state)
{
	static const char *bad[] = {
		"../x", "a/../../x", "/etc/passwd", "a/%2e%2e/b", "a/%2E%2e/b", "%2e%2e",
		"a\\..\\b", "a/./b", "a//b", "a/%2fb", "a/%5c", "C:/x", "a/\x01", ".", "",
	};
	static const char *good[] = {
		"a", "a/b/", "fgw/gzdt/x/index.html", "a/..b/c", "a/b..", "%E6%94%BF/x", "a/.well-known",
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_non_null(path_unsafe_reason(bad[i], strlen(bad[i])));
	for (i = 0; i < sizeof(good) / sizeof(*good); i++)
		assert_null(path_unsafe_reason(good[i], strlen(good[i])));
	assert_non_null(path_unsafe_reason("a\0b", 3));
}

static void test_join_refuses_escape(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	assert_int_equal(path_join_safe(&sb, "/out", "../etc"), -1);
	assert_int_equal(sb.len, 0);
	assert_int_equal(path_join_safe(&sb, "/out", "a/b.html"), 0);
	assert_string_equal(sb.buf, "/out/a/b.html");
	assert_non_null(slug_unsafe_reason("a%20b"));
	assert_non_null(slug_unsafe_reason(".hidden"));
	assert_null(slug_unsafe_reason("2025-03-12-news"));
	strbuf_release(&sb);
}

/* mkdir -p: new nested folders, existing ones, and a file in the way. */
static void test_mkdir_p(void **state)
{
	char tmpl[] = "/tmp/jiyue-test-XXXXXX";
	struct strbuf p = STRBUF_INIT;
	(void)state;
	assert_non_null(mkdtemp(tmpl));
	strbuf_addf(&p, "%s/a/b/c", tmpl);
	assert_int_equal(mkdir_p(p.buf, 0755), 0);
	assert_true(is_dir(p.buf));
	assert_int_equal(mkdir_p(p.buf, 0755), 0); /* already there */
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/a/b/d/", tmpl); /* its parent exists; a trailing slash */
	assert_int_equal(mkdir_p(p.buf, 0755), 0);
	assert_true(is_dir(p.buf));
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/a/f", tmpl);
	assert_int_equal(write_file(p.buf, "x", 1), 0);
	errno = 0;
	assert_int_equal(mkdir_p(p.buf, 0755), -1); /* a file of that name */
	assert_int_equal(errno, ENOTDIR);
	strbuf_addstr(&p, "/g/h");
	assert_int_equal(mkdir_p(p.buf, 0755), -1); /* a file on the way */
	assert_int_equal(rm_rf(tmpl), 0);
	strbuf_release(&p);
}

static void test_utf8(void **state)
{
	unsigned line = 0, col = 0;
	(void)state;
	assert_int_equal(utf8_validate("政府网站", strlen("政府网站"), &line, &col), 0);
	assert_int_equal(utf8_validate("ab\n\xd5\xfe", 5, &line, &col), -1);
	assert_int_equal(line, 2);
	assert_int_equal(col, 1);
	assert_int_equal(utf8_validate("政\xc0\xaf", 5, &line, &col), -1); /* overlong */
	assert_int_equal(col, 2);
	assert_int_equal(utf8_validate("\xed\xa0\x80", 3, &line, &col), -1); /* surrogate */
	assert_int_equal(utf8_validate("\xe6\x94", 2, &line, &col), -1);      /* truncated */
}

static void test_strbuf_cap_and_html(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	sb.max = 4;
	assert_int_equal(strbuf_add_capped(&sb, "abc", 3), 0);
	assert_int_equal(strbuf_add_capped(&sb, "de", 2), -1);
	assert_string_equal(sb.buf, "abc");
	strbuf_reset(&sb);
	strbuf_add_html(&sb, "<a href=\"x\">&'", 14);
	assert_string_equal(sb.buf, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
	strbuf_addf(&sb, "%d%s", 42, "x");
	assert_int_equal(sb.len, strlen(sb.buf));
	strbuf_release(&sb);
	assert_int_equal(sb.len, 0);
}

static void test_yaml_positions_and_types(void **state)
{
	struct arena a = ARENA_INIT;
	struct diag_list dl = DIAG_LIST_INIT;
	const char *y = "title: 标题\ndraft: true\nweight: 10\ntags: [a, b]\nnothing: ~\nq: \"true\"\n";
	struct value *v;
	long long n;
	(void)state;
	v = yaml_load(&a, y, strlen(y), "x.md", 2, &dl);
	assert_non_null(v);
	assert_string_equal(value_map_str(v, "title"), "标题");
	assert_true(value_is_true(value_map_get(v, "draft")));
	assert_int_equal(value_as_int(value_map_get(v, "weight"), &n), 0);
	assert_int_equal(n, 10);
	assert_int_equal(value_map_get(v, "tags")->u.list.nr, 2);
	assert_int_equal(value_map_get(v, "nothing")->type, VAL_NULL);
	assert_int_equal(value_map_get(v, "q")->type, VAL_STR);
	assert_int_equal(value_map_get(v, "weight")->line, 4);
	assert_int_equal(value_map_get(v, "weight")->col, 9);
	arena_release(&a);
	diag_list_release(&dl);
}

static void test_yaml_errors(void **state)
{
	struct arena a = ARENA_INIT;
	struct diag_list dl = DIAG_LIST_INIT;
	const char *dup = "a: 1\na: 2\n", *alias = "a: &x 1\nb: *x\n", *bad = "a: [1\n";
	(void)state;
	assert_null(yaml_load(&a, dup, strlen(dup), "f", 1, &dl));
	assert_string_equal(dl.items[0].msg, "duplicate key 'a'");
	assert_int_equal(dl.items[0].line, 2);
	assert_null(yaml_load(&a, alias, strlen(alias), "f", 1, &dl));
	assert_non_null(strstr(dl.items[1].msg, "anchors"));
	assert_null(yaml_load(&a, bad, strlen(bad), "f", 1, &dl));
	assert_non_null(strstr(dl.items[2].msg, "invalid YAML"));
	assert_int_equal(dl.errors, 3);
	arena_release(&a);
	diag_list_release(&dl);
}

static void test_front_matter_split(void **state)
{
	size_t off, len, body;
	unsigned line;
	const char *t = "---\ntitle: x\n---\nbody\n", *crlf = "---\r\ntitle: x\r\n---\r\nbody";
	(void)state;
	assert_int_equal(content_split_front_matter(t, strlen(t), &off, &len, &body, &line), 1);
	assert_int_equal(off, 4);
	assert_int_equal(len, 9);
	assert_string_equal(t + body, "body\n");
	assert_int_equal(line, 4);
	assert_int_equal(content_split_front_matter(crlf, strlen(crlf), &off, &len, &body, &line), 1);
	assert_string_equal(crlf + body, "body");
	assert_int_equal(content_split_front_matter("# x", 3, &off, &len, &body, &line), 0);
	assert_int_equal(content_split_front_matter("---\ntitle: x\n", 13, &off, &len, &body, &line), -1);
	assert_int_equal(content_split_front_matter("----\n", 5, &off, &len, &body, &line), 0);
}

static void test_diag_sort_and_print(void **state)
{
	struct diag_list dl = DIAG_LIST_INIT;
	(void)state;
	diag_error(&dl, "b.md", 1, 1, NULL, "second");
	diag_warning(&dl, "a.md", 9, 2, "do this", "first");
	diag_list_sort(&dl);
	assert_string_equal(dl.items[0].file, "a.md");
	assert_int_equal(dl.errors, 1);
	assert_int_equal(dl.warnings, 1);
	diag_list_release(&dl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_months_month_end),
		cmocka_unit_test(test_add_days_and_round_trip),
		cmocka_unit_test(test_parse_dates),
		cmocka_unit_test(test_epoch_is_china_time),
		cmocka_unit_test(test_date_formats),
		cmocka_unit_test(test_today_sources),
		cmocka_unit_test(test_unsafe_paths),
		cmocka_unit_test(test_join_refuses_escape),
		cmocka_unit_test(test_mkdir_p),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_strbuf_cap_and_html),
		cmocka_unit_test(test_yaml_positions_and_types),
		cmocka_unit_test(test_yaml_errors),
		cmocka_unit_test(test_front_matter_split),
		cmocka_unit_test(test_diag_sort_and_print),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
