/*
 * Unit tests of the redirect maps: the CSV reader (what spreadsheets
 * write), canonical keys of old URLs per site (full URLs and paths, hosts
 * not of the site), server names, and the escaping of keys and targets in
 * the generated nginx and Apache configs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/arena.h"
#include "common/csvio.h"
#include "common/diag.h"
#include "common/strbuf.h"
#include "common/value.h"
#include "common/xalloc.h"
#include "gen/mappings.h"
#include "gen/srvconf.h"

/* ---- CSV ---- */

/* Read text and join every record as "f1|f2|...;" with each field's column. */
static int csv_dump(const char *text, size_t len, struct strbuf *out)
{
	struct csv_reader r;
	int got;
	size_t i;
	csv_reader_init(&r, text, len);
	while ((got = csv_next(&r)) > 0) {
		strbuf_addf(out, "%u:", r.rec_line);
		for (i = 0; i < r.nr; i++)
			strbuf_addf(out, "%s%s@%u", i ? "|" : "", r.fields[i].s, r.fields[i].col);
		strbuf_addch(out, ';');
	}
	if (got < 0)
		strbuf_addf(out, "ERR %u:%u %s", r.err_line, r.err_col, r.error);
	csv_reader_release(&r);
	return got;
}

static void check_csv(const char *text, const char *want)
{
	struct strbuf out = STRBUF_INIT;
	csv_dump(text, strlen(text), &out);
	if (strcmp(out.buf, want))
		fail_msg("CSV %s\n  got  %s\n  want %s", text, out.buf, want);
	strbuf_release(&out);
}

static void test_csv_read(void **state)
{
	(void)state;
	check_csv("old url,new url\n/a,/b\n", "1:old url@1|new url@9;2:/a@1|/b@4;");
	/* a byte order mark, CRLF, blank lines, trailing and leading spaces */
	check_csv("\xEF\xBB\xBFold url,new url\r\n\r\n  /a , /b  \r\n\r\n", "1:old url@1|new url@9;3:/a@3|/b@8;");
	/* quoted fields: commas, doubled quotes, spaces kept, a line break inside */
	check_csv("\"/a,b \"\"x\"\"\",\" y \"\n", "1:/a,b \"x\"@1| y @14;");
	check_csv("\"two\nlines\",x\n/next,\n", "1:two\nlines@1|x@0;3:/next@1|@7;");
	/* empty fields and a missing last line end */
	check_csv("a,,b", "1:a@1|@3|b@4;");
	check_csv(",\n", "1:@1|@2;");
	check_csv("", "");
	check_csv("\r\n\n  \n", "");
	/* a carriage return alone stays text */
	check_csv("a\rb,c\n", "1:a\rb@1|c@5;");
	/* malformed: where and why */
	check_csv("a,b\n\"open,x\n", "1:a@1|b@3;ERR 2:1 a quoted field is not closed");
	check_csv("a\nb\"c,d\n", "1:a@1;ERR 2:2 a quote inside an unquoted field (quote the whole field and double the quote)");
	check_csv("\"a\"b,c\n", "ERR 1:4 text after a closing quote (write a quote inside a quoted field as \"\")");
}

static void test_csv_write(void **state)
{
	struct strbuf out = STRBUF_INIT;
	const char *row[] = { "plain", "a,b", "say \"hi\"", "", " pad", "two\nlines", NULL };
	(void)state;
	csv_add_row(&out, row, 7);
	assert_string_equal(out.buf, "plain,\"a,b\",\"say \"\"hi\"\"\",,\" pad\",\"two\nlines\",\n");
	/* and it reads back */
	{
		struct strbuf back = STRBUF_INIT;
		csv_dump(out.buf, out.len, &back);
		assert_string_equal(back.buf, "1:plain@1|a,b@7|say \"hi\"@13|@26| pad@27|two\nlines@34|@0;");
		strbuf_release(&back);
	}
	strbuf_release(&out);
}

/* ---- canonical keys ---- */

struct fixture {
	struct arena a;
	struct old_site site;
};

static struct old_site *make_site(struct fixture *f, const char *const *hosts, size_t nh,
				  const char *const *params, size_t np, int given)
{
	struct diag_list d = DIAG_LIST_INIT;
	memset(f, 0, sizeof(*f));
	arena_init(&f->a);
	f->site.rec.id = "fgw";
	f->site.rec.hosts = (const char **)hosts;
	f->site.rec.nr_hosts = nh;
	f->site.rec.query_params = (const char **)params;
	f->site.rec.nr_query_params = np;
	f->site.rec.query_params_given = given;
	f->site.rec.raw = value_map(&f->a);
	f->site.rec.file = "content/sites/fgw.yaml";
	assert_int_equal(old_site_prepare(&f->site, &f->a, &d), 0);
	diag_list_release(&d);
	return &f->site;
}

static void check_key(const struct old_site *s, const char *url, const char *want)
{
	struct strbuf key = STRBUF_INIT;
	const char *why = NULL;
	int r = mapping_key(s, url, &key, &why);
	if (!want) {
		if (!r)
			fail_msg("%s: expected an error, got '%s'", url, key.buf);
		assert_non_null(why);
	} else if (r || strcmp(key.buf, want)) {
		fail_msg("%s\n  got  %s (%s)\n  want %s", url, r ? "error" : key.buf, r ? why : "", want);
	}
	strbuf_release(&key);
}

static void test_keys(void **state)
{
	static const char *const hosts[] = { "fgw.example.gov.cn", "www.fgw.example.gov.cn", "示例发改.政务" };
	static const char *const params[] = { "id", "Page" };
	struct fixture f;
	struct old_site *s = make_site(&f, hosts, 3, params, 2, 1);
	(void)state;
	/* paths and full URLs on any of the hosts give one key */
	check_key(s, "/news/1.html", "/news/1.html");
	check_key(s, "http://fgw.example.gov.cn/news/1.html", "/news/1.html");
	check_key(s, "http://WWW.FGW.Example.gov.cn/news/1.html", "/news/1.html");
	check_key(s, "https://fgw.example.gov.cn:443/news/1.html", "/news/1.html");
	check_key(s, "http://fgw.example.gov.cn:80/news/1.html#part", "/news/1.html");
	check_key(s, "http://xn--fsqz7h7utg1s.xn--zfr164b/news/1.html", "/news/1.html");
	check_key(s, "http://示例发改.政务/news/1.html", "/news/1.html");
	check_key(s, "http://fgw.example.gov.cn", "/");
	/* only significant parameters, names in lower case, sorted */
	check_key(s, "/show.asp?ID=5&from=home", "/show.asp?id=5");
	check_key(s, "/show.asp?page=2&x=1&id=5", "/show.asp?id=5&page=2");
	check_key(s, "/show.asp?id=2&id=1", "/show.asp?id=1&id=2");
	check_key(s, "/show.asp?x=1", "/show.asp");
	check_key(s, "/show.asp?", "/show.asp");
	/* percent-encoding normalised: unreserved decoded, hex upper case, the rest encoded */
	check_key(s, "/%7euser/%e9%80%9a%e7%9f%a5.html", "/~user/%E9%80%9A%E7%9F%A5.html");
	check_key(s, "/通知.html", "/%E9%80%9A%E7%9F%A5.html");
	check_key(s, "/a b\"c.html", "/a%20b%22c.html");
	check_key(s, "/a/./b/../c.html", "/a/c.html");
	check_key(s, "/A/B.HTML", "/A/B.HTML");
	/* not the site's, or not a URL at all */
	check_key(s, "http://evil.example.com/news/1.html", NULL);
	check_key(s, "http://fgw.example.gov.cn.evil.com/x", NULL);
	check_key(s, "http://evil.com@fgw.example.gov.cn/x", "/x");
	check_key(s, "http://fgw.example.gov.cn@evil.com/x", NULL);
	check_key(s, "news/1.html", NULL);
	check_key(s, "//fgw.example.gov.cn/x", NULL);
	check_key(s, "ftp://fgw.example.gov.cn/x", NULL);
	check_key(s, "", NULL);
	arena_release(&f.a);
}

static void test_keys_all_params(void **state)
{
	static const char *const hosts[] = { "old.example.gov.cn" };
	struct fixture f;
	struct old_site *s = make_site(&f, hosts, 1, NULL, 0, 0);
	(void)state;
	assert_int_equal(s->all_params, 1);
	check_key(s, "/s?b=2&A=1&&", "/s?a=1&b=2");
	check_key(s, "/s?q=%e4%b8%ad", "/s?q=%E4%B8%AD");
	arena_release(&f.a);
}

static void check_name(const char *host, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	int r = host_server_name(host, &sb);
	if (want ? r || strcmp(sb.buf, want) : !r)
		fail_msg("host '%s': got %s, want %s", host, r ? "error" : sb.buf, want ? want : "error");
	strbuf_release(&sb);
}

static void test_server_names(void **state)
{
	(void)state;
	check_name("FGW.Example.gov.cn", "fgw.example.gov.cn");
	check_name("fgw.example.gov.cn.", "fgw.example.gov.cn");
	check_name("示例.政务", "xn--fsq092h.xn--zfr164b");
	check_name("127.0.0.1:8080", "127.0.0.1");
	/* anything that could end an nginx or Apache directive */
	check_name("evil.gov.cn;", NULL);
	check_name("evil.gov.cn {", NULL);
	check_name("a b.gov.cn", NULL);
	check_name("\"q\".gov.cn", NULL);
	check_name("a$b.gov.cn", NULL);
	check_name("a\nb.gov.cn", NULL);
	check_name("a/b", NULL);
	check_name("[::1]", NULL);
	check_name("", NULL);
}

/* ---- the configs ---- */

static struct mapping *add(struct fixture *f, enum mapping_type t, const char *key, const char *target,
			   const char *page)
{
	struct mapping *m = arena_alloc(&f->a, sizeof(*m));
	m->type = t;
	m->key = key;
	m->target = target;
	m->page = page;
	m->site = &f->site;
	ALLOC_GROW(f->site.items, f->site.nr + 1, f->site.alloc);
	f->site.items[f->site.nr++] = m;
	return m;
}

static void test_config_escaping(void **state)
{
	static const char *const hosts[] = { "old.example.gov.cn" };
	static const char *const params[] = { "id" };
	struct fixture f;
	struct srv_table t;
	struct srvconf_options o = { "/srv/www", "127.0.0.1:8080", "/etc/r/apache", "2026-11-23", NULL, NULL, NULL };
	struct strbuf ngx = STRBUF_INIT, conf = STRBUF_INIT, map = STRBUF_INIT;
	const char *p;
	(void)state;
	make_site(&f, hosts, 1, params, 1, 1);
	add(&f, MAP_REDIRECT, "/a%20b;%7Bx%7D$y%22q.html", "https://www.example.gov.cn/x/", NULL);
	add(&f, MAP_REDIRECT, "/evil%0A%7D%20server%20%7B.html?id=1", "https://www.example.gov.cn/y/", NULL);
	add(&f, MAP_ARCHIVE, "/Case.html", NULL, "0123456789abcdef.html");
	add(&f, MAP_REDIRECT, "/case.html", "https://www.example.gov.cn/z/", NULL);
	add(&f, MAP_ARCHIVE, "/a%2Fb", NULL, "1111111111111111.html");
	add(&f, MAP_REDIRECT, "/a/b", "https://www.example.gov.cn/w/", NULL);
	srv_table_build(&t, &f.site, NULL);
	/* "/a%2Fb" and "/a/b" are one request to the servers: the redirect stays */
	assert_int_equal(t.nr, 5);
	assert_int_equal(t.nr_dropped, 1);
	assert_string_equal(t.dropped[0].m->key, "/a%2Fb");
	srvconf_nginx(&f.site, &t, "old.example.gov.cn", &o, &ngx);
	/* quotes escaped inside a quoted key; a newline only as a \x escape */
	assert_non_null(strstr(ngx.buf, "\t\"/a b;{x}$y\\\"q.html?id=\" \"https://www.example.gov.cn/x/\";\n"));
	assert_non_null(strstr(ngx.buf, "\t\"~^\\x2Fevil\\x0A\\x7D\\x20server\\x20\\x7B\\x2Ehtml\\x3Fid\\x3D1$\" "));
	/* keys equal but for case are matched case-sensitively */
	assert_non_null(strstr(ngx.buf, "\"~^\\x2FCase\\x2Ehtml\\x3Fid\\x3D$\" \"0123456789abcdef.html\";"));
	assert_non_null(strstr(ngx.buf, "\"~^\\x2Fcase\\x2Ehtml\\x3Fid\\x3D$\" \"https://www.example.gov.cn/z/\";"));
	assert_non_null(strstr(ngx.buf, "listen 127.0.0.1:8080;\n\tserver_name old.example.gov.cn;\n\troot \"/srv/www\";"));
	for (p = ngx.buf; (p = strstr(p, "server {")); p++)
		assert_true(p == ngx.buf || p[-1] == '\n'); /* the only server block is ours */
	srvconf_apache(&f.site, &t, "old.example.gov.cn", &o, &conf, &map);
	assert_non_null(strstr(conf.buf, "<VirtualHost 127.0.0.1:8080>"));
	assert_non_null(strstr(conf.buf, "RewriteMap jiyue_old_example_gov_cn_"));
	assert_non_null(strstr(conf.buf, "\"txt:/etc/r/apache/old.example.gov.cn.map\""));
	/* map keys: escaped as int:escape does, no space or line break anywhere */
	assert_non_null(strstr(map.buf, "\n/a%20b;%7bx%7d$y%22q.html?id= R:https://www.example.gov.cn/x/\n"));
	assert_non_null(strstr(map.buf, "\n/evil%0a%7d%20server%20%7b.html?id=1 R:https://www.example.gov.cn/y/\n"));
	assert_non_null(strstr(map.buf, "\n=/Case.html?id= G:0123456789abcdef.html\n"));
	assert_non_null(strstr(map.buf, "\n=/case.html?id= R:https://www.example.gov.cn/z/\n"));
	srv_table_release(&t);
	free(f.site.items);
	strbuf_release(&ngx);
	strbuf_release(&conf);
	strbuf_release(&map);
	arena_release(&f.a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_read),
		cmocka_unit_test(test_csv_write),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_keys_all_params),
		cmocka_unit_test(test_server_names),
		cmocka_unit_test(test_config_escaping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
