/*
 * libFuzzer target for archiver/html, css and charset.  Not built by the
 * Makefile.  From the repository root:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -I. \
 *       $(pkg-config --cflags libxml-2.0) tests/fuzz/fuzz_html.c \
 *       archiver/html.c archiver/css.c archiver/charset.c \
 *       common/strbuf.c common/xalloc.c common/date.c common/utf8.c \
 *       $(pkg-config --libs libxml-2.0) -o build/fuzz_html
 *   mkdir -p build/fuzz-corpus && cp tests/fixtures/html/messy-gbk.html build/fuzz-corpus/
 *   build/fuzz_html build/fuzz-corpus -max_len=65536
 *
 * Beyond "no crash, no leak": the copy is the input plus the changes
 * html_rewrite reports and nothing else, and a second neutralising pass
 * over the copy finds nothing left to change.  The first input byte picks
 * the options.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "archiver/charset.h"
#include "archiver/css.h"
#include "archiver/html.h"
#include "common/date.h"
#include "common/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct splices {
	const char *in;
	const struct strbuf *out; /* complete when the changes are reported */
	size_t n, at, o;
	int bad;
};

/* Check each change as it is reported: what lies between changes is unchanged. */
static void check_splice(void *ud, size_t start, size_t end, size_t len)
{
	struct splices *sp = ud;
	if (start < sp->at || end < start || end > sp->n ||
	    sp->o + (start - sp->at) > sp->out->len ||
	    memcmp(sp->out->buf + sp->o, sp->in + sp->at, start - sp->at)) {
		sp->bad = 1;
		return;
	}
	sp->o += start - sp->at + len;
	sp->at = end;
}

static int fuzz_rewrite(void *ud, const char *raw, enum link_kind kind, struct strbuf *out)
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
		strbuf_addf(out, "R%u/\"<'&> )", h % 100);
		return HTML_REWRITE_REPLACED;
	case 2:
		return HTML_REWRITE_EXTERNAL;
	default:
		strbuf_addf(out, "http://old.example.gov.cn/%u", h % 100);
		return HTML_REWRITE_REPLACED | HTML_REWRITE_EXTERNAL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct html_stamp stamp = {
		"2025-03-01", "2025年3月1日", "http://www.example.gov.cn/a?b=1&c=<d>", "/archive/", "示例",
	};
	struct html_rewrite_opts opt, check;
	struct strbuf out = STRBUF_INIT, again = STRBUF_INIT, tmp = STRBUF_INIT;
	struct splices sp;
	struct html_links links;
	struct cdate d;
	const char *in, *cs;
	size_t n;
	unsigned flags;

	if (!size)
		return 0;
	flags = data[0];
	in = (const char *)data + 1;
	n = size - 1;

	memset(&opt, 0, sizeof(opt));
	opt.rewrite = flags & 1 ? fuzz_rewrite : NULL;
	opt.stamp = flags & 2 ? &stamp : NULL;
	opt.neutralise = !!(flags & 4);
	opt.set_utf8 = !!(flags & 8);
	opt.on_splice = check_splice;
	opt.splice_ud = &sp;
	memset(&sp, 0, sizeof(sp));
	sp.in = in;
	sp.n = n;
	sp.out = &out;
	html_rewrite(in, n, &opt, &out);
	if (sp.bad || out.len - sp.o != n - sp.at || memcmp(out.buf + sp.o, in + sp.at, n - sp.at))
		abort();

	if (opt.neutralise) {
		memset(&check, 0, sizeof(check));
		check.neutralise = 1;
		if (html_rewrite(out.buf, out.len, &check, &again))
			abort();
	}

	html_links_init(&links);
	html_find_links(in, n, &links);
	html_links_release(&links);
	{
		/* the crawler's one reading: the same date as the walk of its own */
		struct cdate d2;
		int found, rc;
		html_links_init(&links);
		html_find_links_dated(in, n, &links, NULL, &d2, &found);
		html_links_release(&links);
		rc = html_newest_date(in, n, &d);
		if (found != (rc == 0) || (found && date_cmp(&d, &d2)))
			abort();
	}
	html_title(in, n, &tmp);
	strbuf_reset(&tmp);
	css_rewrite(in, n, fuzz_rewrite, NULL, &tmp);
	strbuf_reset(&tmp);
	cs = charset_detect(in, n, flags & 16 ? "text/html; charset=gbk" : NULL);
	charset_to_utf8(in, n, cs, &tmp);

	strbuf_release(&out);
	strbuf_release(&again);
	strbuf_release(&tmp);
	return 0;
}
