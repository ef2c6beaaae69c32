/* Notice periods: the civil-code reading of "one month" and "30 days" at month ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/strbuf.h"
#include "gen/notices.h"

struct row {
	const char *published, *period, *last_day;
};

/* The last day a notice must still be on display. */
static const struct row rows[] = {
	{ "2025-01-31", "1 month", "2025-02-28" },
	{ "2024-01-31", "1 month", "2024-02-29" },
	{ "2025-01-30", "1 month", "2025-02-28" },
	{ "2025-02-28", "1 month", "2025-03-28" },
	{ "2025-03-31", "1 month", "2025-04-30" },
	{ "2025-12-15", "1 month", "2026-01-15" },
	{ "2025-11-30", "3 months", "2026-02-28" },
	{ "2025-08-31", "3个月", "2025-11-30" },
	{ "2025-03-01", "30 days", "2025-03-31" },
	{ "2025-02-01", "30 days", "2025-03-03" },
	{ "2024-02-01", "30天", "2024-03-02" },
	{ "2025-12-20", "30 days", "2026-01-19" },
};

static void test_last_day_table(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		struct cdate pub, last;
		struct period p;
		struct strbuf got = STRBUF_INIT;
		assert_int_equal(date_parse(rows[i].published, &pub, NULL), 0);
		assert_int_equal(period_parse(rows[i].period, &p), 0);
		last = period_last_day(&pub, &p);
		date_fmt_iso(&last, &got);
		if (strcmp(got.buf, rows[i].last_day))
			fail_msg("%s + %s: expected %s, got %s", rows[i].published, rows[i].period,
				 rows[i].last_day, got.buf);
		strbuf_release(&got);
	}
}

static void test_period_parse(void **state)
{
	struct period p;
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	assert_int_equal(period_parse("2 months", &p), 0);
	assert_int_equal(p.months, 2);
	assert_int_equal(period_parse("45 days", &p), 0);
	assert_int_equal(p.days, 45);
	assert_int_equal(period_parse("1 year", &p), -1);
	assert_int_equal(period_parse("month", &p), -1);
	assert_int_equal(period_parse("-1 days", &p), -1);
	period_parse("1 month", &p);
	period_format(&p, &sb);
	assert_string_equal(sb.buf, "1 month");
	strbuf_release(&sb);
}

static void test_kinds(void **state)
{
	enum notice_kind k;
	(void)state;
	assert_int_equal(notice_kind_parse("domain-change", &k), 0);
	assert_int_equal(k, NOTICE_DOMAIN_CHANGE);
	assert_string_equal(notice_kind_label(k), "域名变更公告");
	assert_int_equal(notice_kind_parse("shutdown", &k), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_last_day_table),
		cmocka_unit_test(test_period_parse),
		cmocka_unit_test(test_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
