/* The ledger: host rules (rule 6), record fields, the 90-day limit, the interim mappings counter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/arena.h"
#include "common/diag.h"
#include "common/fsutil.h"
#include "common/siterec.h"
#include "common/strbuf.h"
#include "gen/ledger.h"
#include "gen/report.h"

static void test_hosts(void **state)
{
	struct arena a = ARENA_INIT;
	(void)state;
	assert_false(host_is_chinese("fgw.example.gov.cn"));
	assert_true(host_is_chinese("fgw.示例.政务"));
	assert_true(host_is_chinese("fgw.xn--fsq092h.xn--zfr164b"));
	assert_true(host_has_suffix("fgw.example.gov.cn", ".gov.cn"));
	assert_true(host_has_suffix("FGW.EXAMPLE.GOV.CN:8080", ".gov.cn"));
	assert_true(host_has_suffix("fgw.example.gov.cn", ".cn"));
	assert_false(host_has_suffix("fgw.example.gov.cn.evil.com", ".gov.cn"));
	assert_false(host_has_suffix("gov.cn", ".gov.cn"));   /* a suffix needs a name before it */
	assert_true(host_has_suffix("fgw.示例.政务", ".政务"));
	assert_true(host_has_suffix("fgw.xn--fsq092h.xn--zfr164b", ".政务"));
	assert_true(host_has_suffix("某中心.XN--55QW42G", ".公益"));
	assert_false(host_has_suffix("fgw.示例.政务", ".公益"));
	assert_string_equal(host_domain(&a, "WWW.Fgw.Example.gov.cn:8080"), "fgw.example.gov.cn");
	assert_string_equal(host_domain(&a, "www.示例.政务"), "示例.政务");
	assert_string_equal(host_domain(&a, "www"), "www");
	arena_release(&a);
}

/* A temporary source folder holding one record. */
static char *source_with(const char *id, const char *yaml)
{
	char *dir = strdup("/tmp/jiyue-ledger-XXXXXX");
	struct strbuf p = STRBUF_INIT;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&p, "%s/content/sites", dir);
	assert_int_equal(mkdir_p(p.buf, 0755), 0);
	strbuf_addf(&p, "/%s.yaml", id);
	assert_int_equal(write_file(p.buf, yaml, strlen(yaml)), 0);
	strbuf_release(&p);
	return dir;
}

static void test_record_fields(void **state)
{
	struct arena a = ARENA_INIT;
	struct diag_list d = DIAG_LIST_INIT;
	struct site_record rec;
	char *dir = source_with("jkzx",
		"name: 示例市疾病预防控制中心网站\n"
		"department: wjw\n"
		"unit: 示例市疾病预防控制中心\n"
		"unit_type: institution\n"
		"hosts: [www.SJKZX-example.cn, 示例市疾病预防控制中心.公益]\n"
		"disposition: close\n"
		"target: /wjw/tzgg/\n"
		"approved: 2026-08-28\n"
		"closed: 2026-11-10\n"
		"deregistered: {domain: 2026-11-12, psb: ~}\n"
		"contacts: [{name: 温嘉怡, phone: \"0551-60117308\"}]\n");
	(void)state;
	assert_int_equal(siterec_load(&rec, &a, dir, "jkzx", &d), 0);
	assert_int_equal(d.nr, 0);
	assert_int_equal(rec.unit_type, SITE_UNIT_INSTITUTION);
	assert_int_equal(rec.disposition, SITE_CLOSE);
	assert_string_equal(rec.unit, "示例市疾病预防控制中心");
	assert_string_equal(rec.hosts[0], "www.sjkzx-example.cn");
	assert_true(siterec_has_target(&rec));
	assert_true(rec.approved.set);
	assert_int_equal(rec.closed.day.day, 10);
	assert_true(rec.deregistered[SITE_DEREG_DOMAIN].set);
	assert_false(rec.deregistered[SITE_DEREG_PSB].set);   /* null: not yet */
	assert_false(rec.deregistered[SITE_DEREG_ICP].set);
	assert_string_equal(siterec_disposition_label(rec.disposition), "关停迁移");
	assert_string_equal(siterec_dereg_label(SITE_DEREG_DZJG), "党政机关网站标识");
	rm_rf(dir);
	free(dir);
	diag_list_release(&d);
	arena_release(&a);
}

static void test_record_defaults_and_errors(void **state)
{
	struct arena a = ARENA_INIT;
	struct diag_list d = DIAG_LIST_INIT;
	struct site_record rec;
	char *dir = source_with("old", "name: 旧站\nhosts: [old.example.gov.cn]\ntarget: 无\n");
	unsigned line, col;
	(void)state;
	assert_int_equal(siterec_load(&rec, &a, dir, "old", &d), 0);
	assert_int_equal(rec.disposition, SITE_CRAWL_ONLY);   /* no disposition: crawl-only */
	assert_false(siterec_has_target(&rec));
	assert_null(rec.unit);
	siterec_pos(&rec, "target", &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 9);
	siterec_pos(&rec, "deregistered.icp", &line, &col);    /* absent: the file's start */
	assert_int_equal(line, 1);
	rm_rf(dir);
	free(dir);

	dir = source_with("bad", "name: x\nhosts: [x.gov.cn]\nclosed: 2026-02-29\n");
	assert_int_equal(siterec_load(&rec, &a, dir, "bad", &d), -1);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.items[0].line, 3);
	assert_string_equal(d.items[0].msg, "invalid date '2026-02-29' for 'closed': no such day");
	rm_rf(dir);
	free(dir);
	diag_list_release(&d);
	arena_release(&a);
}

static struct cdate day(const char *s)
{
	struct cdate d;
	assert_int_equal(date_parse(s, &d, NULL), 0);
	return d;
}

static void test_deadline(void **state)
{
	struct ledger l;
	struct ledger_site s;
	struct cdate deadline, d;
	(void)state;
	memset(&l, 0, sizeof(l));
	memset(&s, 0, sizeof(s));
	l.policy.close_within.days = 90;
	s.ok = 1;
	s.rec.disposition = SITE_CLOSE;
	assert_int_equal(ledger_deadline(&l, &s, &deadline), -1);  /* not approved */
	s.rec.approved.set = 1;
	s.rec.approved.day = day("2026-06-01");
	assert_int_equal(ledger_deadline(&l, &s, &deadline), 0);
	assert_int_equal(date_cmp(&deadline, (d = day("2026-08-30"), &d)), 0);
	assert_false(ledger_overdue(&l, &s, (d = day("2026-08-30"), &d)));
	assert_true(ledger_overdue(&l, &s, (d = day("2026-08-31"), &d)));
	s.rec.closed.set = 1;
	s.rec.closed.day = day("2026-08-30");
	assert_false(ledger_overdue(&l, &s, (d = day("2027-01-01"), &d)));
	s.rec.closed.day = day("2026-09-02");                          /* closed late */
	assert_true(ledger_overdue(&l, &s, (d = day("2027-01-01"), &d)));
	assert_true(ledger_overdue(&l, &s, (d = day("2026-09-01"), &d))); /* not closed by then */
	s.rec.disposition = SITE_INDEPENDENT;                         /* no limit for kept sites */
	assert_false(ledger_overdue(&l, &s, (d = day("2027-01-01"), &d)));
}

struct csv_case {
	const char *name, *text;
	size_t rows, unresolved;
};

static const struct csv_case csv_cases[] = {
	{ "header only", "old url,new url\n", 0, 0 },
	{ "blank and filled", "old url,new url\n/a,/x/\n/b,\n/c,ARCHIVE\n", 3, 1 },
	{ "BOM and CRLF", "\xEF\xBB\xBFold url,new url\r\n/a,\r\n/b,/y/\r\n", 2, 1 },
	{ "no header", "/a,/x/\n/b,\n", 2, 1 },
	{ "quoted commas and quotes", "old url,new url\n\"/a?x=1,2\",\"/p,q/\"\n\"/b \"\"q\"\"\",\n", 2, 1 },
	{ "newline inside quotes", "old url,new url\n\"/a\n/b\",/x/\n", 1, 0 },
	{ "whitespace is blank", "old url,new url\n/a,   \n/b,\" \"\n", 2, 2 },
	{ "one column", "old url,new url\n/a\n", 1, 1 },
	{ "empty lines skipped", "old url,new url\n\n/a,/x/\n\r\n", 1, 0 },
	{ "no final newline", "old url,new url\n/a,", 1, 1 },
};

static void test_mappings_counter(void **state)
{
	char path[] = "/tmp/jiyue-mappings-XXXXXX";
	size_t i, rows, unresolved;
	int fd = mkstemp(path);
	(void)state;
	assert_true(fd >= 0);
	close(fd);
	for (i = 0; i < sizeof(csv_cases) / sizeof(*csv_cases); i++) {
		const struct csv_case *c = &csv_cases[i];
		assert_int_equal(write_file(path, c->text, strlen(c->text)), 0);
		assert_int_equal(report_count_unresolved_mappings(path, &rows, &unresolved), 0);
		if (rows != c->rows || unresolved != c->unresolved)
			fail_msg("%s: expected %zu rows, %zu unresolved; got %zu, %zu", c->name, c->rows,
				 c->unresolved, rows, unresolved);
	}
	unlink(path);
	assert_int_equal(report_count_unresolved_mappings(path, &rows, &unresolved), 0); /* missing: none */
	assert_int_equal(rows, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_record_fields),
		cmocka_unit_test(test_record_defaults_and_errors),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_mappings_counter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
