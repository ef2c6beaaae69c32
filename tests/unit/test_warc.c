/*
 * Unit tests of the preservation output: digests, WARC writing, reading
 * and resuming, the CDXJ index and the WACZ package.
 *
 * With JIYUE_WARC_KEEP=DIR the WARC, CDXJ and WACZ of the main test are
 * copied to DIR (as test.warc.gz, test.cdxj, test.wacz) for
 * tests/warcio/run.sh, which reads them with an independent reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <zip.h>

#include "archiver/cdxj.h"
#include "archiver/digest.h"
#include "archiver/wacz.h"
#include "archiver/warc.h"
#include "common/fsutil.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

/* 2026-11-23T08:30:00Z */
#define T0 1795422600000000LL

#define HELLO_SHA1 "sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N"
#define EMPTY_SHA1 "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"

#define CN_URL "http://example.com/%E6%96%B0%E9%97%BB/%E9%80%9A%E7%9F%A5.html?b=2&a=1"

static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
#define PNG_LEN (sizeof(png) - 1)

struct fixture {
	char dir[64];
	struct strbuf warc, err;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	strcpy(f->dir, "/tmp/jiyue-test-warc-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	strbuf_init(&f->warc, 0);
	strbuf_init(&f->err, 0);
	strbuf_addf(&f->warc, "%s/test.warc.gz", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	rm_rf(f->dir);
	strbuf_release(&f->warc);
	strbuf_release(&f->err);
	free(f);
	return 0;
}

/* ---- recording what warc_read sees ---- */

struct rec {
	char *type, *uri, *date, *id, *digest, *ctype;
	char *concurrent, *refers_to, *refers_uri, *refers_date, *profile, *truncated;
	char *block_digest, *ip, *version;
	long long offset, length;
	struct strbuf block;
};

struct recs {
	struct rec *v;
	size_t nr, alloc;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int collect(void *ud, const struct warc_record *r)
{
	struct recs *rs = ud;
	struct rec *x;
	ALLOC_GROW(rs->v, rs->nr + 1, rs->alloc);
	x = &rs->v[rs->nr++];
	memset(x, 0, sizeof(*x));
	x->type = dup_or_null(r->type);
	x->uri = dup_or_null(r->target_uri);
	x->date = dup_or_null(r->date);
	x->id = dup_or_null(r->record_id);
	x->digest = dup_or_null(r->payload_digest);
	x->ctype = dup_or_null(r->content_type);
	x->version = dup_or_null(r->version);
	x->concurrent = dup_or_null(warc_record_header(r, "WARC-Concurrent-To"));
	x->refers_to = dup_or_null(warc_record_header(r, "WARC-Refers-To"));
	x->refers_uri = dup_or_null(warc_record_header(r, "WARC-Refers-To-Target-URI"));
	x->refers_date = dup_or_null(warc_record_header(r, "warc-refers-to-date"));
	x->profile = dup_or_null(warc_record_header(r, "WARC-Profile"));
	x->truncated = dup_or_null(warc_record_header(r, "WARC-Truncated"));
	x->block_digest = dup_or_null(warc_record_header(r, "WARC-Block-Digest"));
	x->ip = dup_or_null(warc_record_header(r, "WARC-IP-Address"));
	x->offset = r->offset;
	x->length = r->length;
	strbuf_init(&x->block, 0);
	strbuf_add(&x->block, r->block, r->block_len);
	return 0;
}

static void recs_release(struct recs *rs)
{
	size_t i;
	for (i = 0; i < rs->nr; i++) {
		struct rec *x = &rs->v[i];
		free(x->type);
		free(x->uri);
		free(x->date);
		free(x->id);
		free(x->digest);
		free(x->ctype);
		free(x->version);
		free(x->concurrent);
		free(x->refers_to);
		free(x->refers_uri);
		free(x->refers_date);
		free(x->profile);
		free(x->truncated);
		free(x->block_digest);
		free(x->ip);
		strbuf_release(&x->block);
	}
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

static void read_all(const char *path, struct recs *rs)
{
	struct strbuf err = STRBUF_INIT;
	int ret = warc_read(path, collect, rs, &err);
	if (ret)
		fprintf(stderr, "warc_read: %s\n", err.buf);
	assert_int_equal(ret, 0);
	strbuf_release(&err);
}

static long long file_size(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return (long long)st.st_size;
}

/* ---- building exchanges ---- */

struct ex {
	struct strbuf req, head;
	struct warc_exchange x;
};

static void ex_init(struct ex *e, const char *uri, const char *status_and_headers,
		    const void *body, size_t body_len, long long t)
{
	strbuf_init(&e->req, 0);
	strbuf_init(&e->head, 0);
	strbuf_addf(&e->req, "GET %s HTTP/1.1\r\nHost: example.com\r\nUser-Agent: jiyue-test\r\n\r\n",
		    strchr(uri + strlen("http://"), '/'));
	strbuf_addf(&e->head, "HTTP/1.1 %s\r\n\r\n", status_and_headers);
	memset(&e->x, 0, sizeof(e->x));
	e->x.target_uri = uri;
	e->x.ip = "93.184.216.34";
	e->x.time_us = t;
	e->x.request = e->req.buf;
	e->x.request_len = e->req.len;
	e->x.resp_head = e->head.buf;
	e->x.resp_head_len = e->head.len;
	e->x.body = body;
	e->x.body_len = body_len;
}

static void ex_release(struct ex *e)
{
	strbuf_release(&e->req);
	strbuf_release(&e->head);
}

static void write_ok(struct warc_writer *w, struct ex *e, struct warc_result *res)
{
	struct strbuf err = STRBUF_INIT;
	int ret = warc_write_exchange(w, &e->x, res, &err);
	if (ret)
		fprintf(stderr, "warc_write_exchange: %s\n", err.buf);
	assert_int_equal(ret, 0);
	strbuf_release(&err);
}

static struct warc_writer *create_ok(const char *path)
{
	struct warc_info info = { "jiyue/test", "示例市政务服务数据管理局 <admin@example.gov.cn>",
				  "fgw", "示例市发展和改革委员会", NULL, T0 - 5000000 };
	struct strbuf err = STRBUF_INIT;
	struct warc_writer *w = warc_create(path, &info, &err);
	if (!w)
		fprintf(stderr, "warc_create: %s\n", err.buf);
	assert_non_null(w);
	strbuf_release(&err);
	return w;
}

/*
 * The main fixture WARC: 6 exchanges.
 *   0 http://www.example.com/index.html   "hello", 3 outlinks
 *   1 http://example.com/copy.html        "hello" again -> revisit
 *   2 http://example.com/logo.png         binary with NULs, IPv6, .123456 s
 *   3 CN_URL                              Chinese path, chunked head
 *   4 http://example.com/old              301, empty body
 *   5 http://example.com/old2             301, empty body (no revisit)
 */
static void write_fixture(const char *path, struct warc_result res[6])
{
	static const char *const links[] = {
		"http://example.com/a", "http://example.com/logo.png E img/@src",
		"http://example.com/s.css",
	};
	/* a link, an item with its own hop type, a page requisite */
	static const unsigned char embed[] = { 0, 0, 1 };
	struct warc_writer *w = create_ok(path);
	struct strbuf err = STRBUF_INIT;
	struct ex e;

	ex_init(&e, "http://www.example.com/index.html",
		"200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 5", "hello", 5, T0);
	e.x.outlinks = links;
	e.x.nr_outlinks = 3;
	e.x.outlink_embed = embed;
	write_ok(w, &e, &res[0]);
	ex_release(&e);

	ex_init(&e, "http://example.com/copy.html",
		"200 OK\r\nContent-Type: text/html\r\nContent-Length: 5", "hello", 5, T0 + 1000000);
	write_ok(w, &e, &res[1]);
	ex_release(&e);

	ex_init(&e, "http://example.com/logo.png",
		"200 OK\r\nContent-Type: image/png\r\nContent-Length: 33", png, PNG_LEN, T0 + 2123456);
	e.x.ip = "2606:2800:220:1:248:1893:25c8:1946";
	write_ok(w, &e, &res[2]);
	ex_release(&e);

	ex_init(&e, CN_URL, "200 OK\r\nContent-Type: text/html;charset=UTF-8\r\n"
		"Transfer-Encoding: chunked", "通知", strlen("通知"), T0 + 3000000);
	e.x.ip = "";
	write_ok(w, &e, &res[3]);
	ex_release(&e);

	ex_init(&e, "http://example.com/old",
		"301 Moved Permanently\r\nLocation: /new\r\nContent-Length: 0", NULL, 0, T0 + 4000000);
	write_ok(w, &e, &res[4]);
	ex_release(&e);

	ex_init(&e, "http://example.com/old2",
		"301 Moved Permanently\r\nLocation: /new\r\nContent-Length: 0", NULL, 0, T0 + 5000000);
	write_ok(w, &e, &res[5]);
	ex_release(&e);

	assert_int_equal(warc_offset(w), file_size(path));
	assert_int_equal(warc_close(w, &err), 0);
	strbuf_release(&err);
}

static void keep(const char *src, const char *name)
{
	const char *dir = getenv("JIYUE_WARC_KEEP");
	struct strbuf dst = STRBUF_INIT;
	if (!dir || !*dir)
		return;
	mkdir_p(dir, 0755);
	strbuf_addf(&dst, "%s/%s", dir, name);
	assert_int_equal(copy_file(src, dst.buf), 0);
	strbuf_release(&dst);
}

/* ---- tests ---- */

static void test_digests(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct fixture *f = *state;
	static const char *const b32[][2] = {
		{ "", "" }, { "f", "MY======" }, { "fo", "MZXQ====" }, { "foo", "MZXW6===" },
		{ "foob", "MZXW6YQ=" }, { "fooba", "MZXW6YTB" }, { "foobar", "MZXW6YTBOI======" },
	};
	size_t i;

	digest_sha1_base32("hello", 5, &sb);
	assert_string_equal(sb.buf, HELLO_SHA1);
	strbuf_reset(&sb);
	digest_sha1_base32("", 0, &sb);
	assert_string_equal(sb.buf, EMPTY_SHA1);
	strbuf_reset(&sb);
	digest_sha256_hex("hello", 5, &sb);
	assert_string_equal(sb.buf, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
	for (i = 0; i < sizeof(b32) / sizeof(b32[0]); i++) {
		strbuf_reset(&sb);
		base32_encode(b32[i][0], strlen(b32[i][0]), &sb);
		assert_string_equal(sb.buf, b32[i][1]);
	}
	{
		struct digest *d = digest_new_sha1();
		strbuf_reset(&sb);
		digest_update(d, "hel", 3);
		digest_update(d, "lo", 2);
		digest_finish_sha1_base32(d, &sb);
		assert_string_equal(sb.buf, HELLO_SHA1);
	}
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/hello.txt", f->dir);
	assert_int_equal(write_file(sb.buf, "hello", 5), 0);
	{
		struct strbuf hex = STRBUF_INIT;
		assert_int_equal(digest_file_sha256_hex(sb.buf, &hex), 0);
		assert_string_equal(hex.buf, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
		strbuf_addstr(&sb, ".missing");
		assert_int_equal(digest_file_sha256_hex(sb.buf, &hex), -1);
		strbuf_release(&hex);
	}
	strbuf_release(&sb);
}

static void test_dates(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	warc_format_date(T0, &sb);
	assert_string_equal(sb.buf, "2026-11-23T08:30:00Z");
	strbuf_reset(&sb);
	warc_format_date(T0 + 123456, &sb);
	assert_string_equal(sb.buf, "2026-11-23T08:30:00.123456Z");
	strbuf_reset(&sb);
	warc_format_date(T0 + 1, &sb);
	assert_string_equal(sb.buf, "2026-11-23T08:30:00.000001Z");
	strbuf_release(&sb);
}

static const char *block_body(const struct rec *r, size_t *len)
{
	size_t h = warc_http_head_len(r->block.buf, r->block.len);
	assert_true(h > 0);
	*len = r->block.len - h;
	return r->block.buf + h;
}

static void assert_sha1(const char *data, size_t len, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	digest_sha1_base32(data, len, &sb);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void test_write_and_read(void **state)
{
	struct fixture *f = *state;
	struct warc_result res[6];
	struct recs rs = { 0 };
	const char *types[] = {
		"warcinfo",
		"response", "request", "metadata",
		"revisit", "request",
		"response", "request",
		"response", "request",
		"response", "request",
		"response", "request",
	};
	const struct rec *r;
	const char *body;
	size_t i, j, len;

	write_fixture(f->warc.buf, res);
	read_all(f->warc.buf, &rs);
	assert_int_equal(rs.nr, sizeof(types) / sizeof(types[0]));
	for (i = 0; i < rs.nr; i++) {
		r = &rs.v[i];
		assert_string_equal(r->type, types[i]);
		assert_string_equal(r->version, "WARC/1.1");
		/* <urn:uuid:8-4-4-4-12>, version 4 */
		assert_int_equal(strlen(r->id), 47);
		assert_memory_equal(r->id, "<urn:uuid:", 10);
		assert_int_equal(r->id[24], '4');
		assert_int_equal(r->id[46], '>');
		for (j = 0; j < i; j++)
			assert_string_not_equal(r->id, rs.v[j].id);
		/* members are back to back and every block digest is right */
		if (i)
			assert_int_equal(r->offset, rs.v[i - 1].offset + rs.v[i - 1].length);
		assert_sha1(r->block.buf, r->block.len, r->block_digest);
	}
	assert_int_equal(rs.v[0].offset, 0);
	assert_int_equal(rs.v[rs.nr - 1].offset + rs.v[rs.nr - 1].length, file_size(f->warc.buf));

	/* warcinfo */
	r = &rs.v[0];
	assert_null(r->uri);
	assert_string_equal(r->date, "2026-11-23T08:29:55Z");
	assert_string_equal(r->ctype, "application/warc-fields");
	assert_non_null(strstr(r->block.buf, "software: jiyue/test\r\n"));
	assert_non_null(strstr(r->block.buf, "format: WARC File Format 1.1\r\n"));
	assert_non_null(strstr(r->block.buf, "isPartOf: fgw\r\n"));
	assert_non_null(strstr(r->block.buf, "description: 示例市发展和改革委员会\r\n"));

	/* the first response: "hello", with its request and outlinks */
	r = &rs.v[1];
	assert_string_equal(r->uri, "http://www.example.com/index.html");
	assert_string_equal(r->date, "2026-11-23T08:30:00Z");
	assert_string_equal(r->ctype, "application/http;msgtype=response");
	assert_string_equal(r->ip, "93.184.216.34");
	assert_string_equal(r->digest, HELLO_SHA1);
	assert_null(r->truncated);
	body = block_body(r, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(body, "hello", 5);
	assert_int_equal(res[0].offset, r->offset);
	assert_int_equal(res[0].length, r->length);
	assert_string_equal(res[0].digest, HELLO_SHA1);
	assert_int_equal(res[0].revisit, 0);
	assert_string_equal(rs.v[2].concurrent, r->id);
	assert_string_equal(rs.v[2].ctype, "application/http;msgtype=request");
	assert_string_equal(rs.v[2].uri, r->uri);
	assert_string_equal(rs.v[2].date, r->date);
	assert_string_equal(rs.v[2].digest, EMPTY_SHA1);
	assert_memory_equal(rs.v[2].block.buf, "GET /index.html HTTP/1.1\r\n", 26);
	assert_string_equal(rs.v[3].concurrent, r->id);
	assert_string_equal(rs.v[3].ctype, "application/warc-fields");
	assert_string_equal(rs.v[3].block.buf,
			    "outlink: http://example.com/a L =NAVLINK_MISC\r\n"
			    "outlink: http://example.com/logo.png E img/@src\r\n"
			    "outlink: http://example.com/s.css E =EMBED_MISC\r\n");

	/* same payload again: a revisit of the first, HTTP head only */
	r = &rs.v[4];
	assert_string_equal(r->uri, "http://example.com/copy.html");
	assert_string_equal(r->profile, "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest");
	assert_string_equal(r->refers_to, rs.v[1].id);
	assert_string_equal(r->refers_uri, "http://www.example.com/index.html");
	assert_string_equal(r->refers_date, "2026-11-23T08:30:00Z");
	assert_string_equal(r->truncated, "length");
	assert_string_equal(r->digest, HELLO_SHA1);
	assert_string_equal(r->ctype, "application/http;msgtype=response");
	body = block_body(r, &len);
	assert_int_equal(len, 0);
	assert_int_equal(res[1].revisit, 1);
	assert_int_equal(res[1].offset, r->offset);
	assert_string_equal(rs.v[5].concurrent, r->id);

	/* binary body with NULs, kept byte for byte */
	r = &rs.v[6];
	assert_string_equal(r->date, "2026-11-23T08:30:02.123456Z");
	assert_string_equal(r->ip, "2606:2800:220:1:248:1893:25c8:1946");
	body = block_body(r, &len);
	assert_int_equal(len, PNG_LEN);
	assert_memory_equal(body, png, PNG_LEN);
	assert_sha1(png, PNG_LEN, r->digest);
	assert_string_equal(r->digest, res[2].digest);

	/* the Chinese URL, percent-encoded as given; the chunked header renamed */
	r = &rs.v[8];
	assert_string_equal(r->uri, CN_URL);
	assert_null(r->ip);
	assert_non_null(strstr(r->block.buf, "\r\nX-Crawler-Transfer-Encoding: chunked\r\n"));
	assert_null(strstr(r->block.buf, "\r\nTransfer-Encoding"));
	body = block_body(r, &len);
	assert_int_equal(len, strlen("通知"));
	assert_sha1("通知", strlen("通知"), r->digest);

	/* empty bodies are never revisits */
	assert_string_equal(rs.v[10].digest, EMPTY_SHA1);
	assert_string_equal(rs.v[12].digest, EMPTY_SHA1);
	assert_int_equal(res[4].revisit, 0);
	assert_int_equal(res[5].revisit, 0);
	recs_release(&rs);
}

static void test_plain_warc(void **state)
{
	struct fixture *f = *state;
	static const char warc[] =
		"WARC/1.0\r\n"
		"WARC-Type: resource\r\n"
		"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000000>\r\n"
		"WARC-Date: 2017-03-06T04:02:06Z\r\n"
		"WARC-Target-URI: http://example.com/x\r\n"
		"X-Folded: a\r\n"
		"  b\r\n"
		"Content-Length: 5\r\n"
		"\r\n"
		"hello\r\n\r\n"
		"WARC/1.0\r\n"
		"WARC-Type: metadata\r\n"
		"Content-Length: 0\r\n"
		"\r\n"
		"\r\n\r\n";
	struct strbuf path = STRBUF_INIT;
	struct recs rs = { 0 };

	strbuf_addf(&path, "%s/plain.warc", f->dir);
	assert_int_equal(write_file(path.buf, warc, sizeof(warc) - 1), 0);
	read_all(path.buf, &rs);
	assert_int_equal(rs.nr, 2);
	assert_string_equal(rs.v[0].version, "WARC/1.0");
	assert_string_equal(rs.v[0].type, "resource");
	assert_string_equal(rs.v[0].block.buf, "hello");
	assert_int_equal(rs.v[0].offset, 0);
	assert_int_equal(rs.v[1].offset, rs.v[0].length);
	assert_int_equal(rs.v[1].offset + rs.v[1].length, (long long)sizeof(warc) - 1);
	recs_release(&rs);

	/* a wrong Content-Length is caught */
	{
		static const char broken[] = "WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: 4\r\n\r\nhello\r\n\r\n";
		struct strbuf err = STRBUF_INIT;
		assert_int_equal(write_file(path.buf, broken, sizeof(broken) - 1), 0);
		assert_int_equal(warc_read(path.buf, collect, &rs, &err), -1);
		assert_non_null(strstr(err.buf, "is not followed by CRLF CRLF"));
		assert_int_equal(rs.nr, 0);
		strbuf_release(&err);
	}
	strbuf_release(&path);
}

static void test_write_errors(void **state)
{
	struct fixture *f = *state;
	struct warc_writer *w = create_ok(f->warc.buf);
	struct warc_result res;
	long long end = warc_offset(w);
	struct ex e;

	/* warc_create never overwrites */
	assert_null(warc_create(f->warc.buf, NULL, &f->err));
	assert_non_null(strstr(f->err.buf, "unable to create"));

	ex_init(&e, "http://例子.com/", "200 OK", "x", 1, T0);
	strbuf_reset(&f->err);
	assert_int_equal(warc_write_exchange(w, &e.x, &res, &f->err), -1);
	assert_string_equal(f->err.buf, "target URI 'http://例子.com/' is not absolute ASCII with percent-encoding");
	ex_release(&e);

	ex_init(&e, "http://example.com/a b", "200 OK", "x", 1, T0);
	strbuf_reset(&f->err);
	assert_int_equal(warc_write_exchange(w, &e.x, &res, &f->err), -1);
	ex_release(&e);

	ex_init(&e, "http://example.com/", "200 OK", "x", 1, T0);
	e.x.resp_head_len -= 2;   /* no blank line */
	strbuf_reset(&f->err);
	assert_int_equal(warc_write_exchange(w, &e.x, &res, &f->err), -1);
	assert_non_null(strstr(f->err.buf, "ending with an empty line"));
	e.x.resp_head_len += 2;
	e.x.ip = "not an ip";
	strbuf_reset(&f->err);
	assert_int_equal(warc_write_exchange(w, &e.x, &res, &f->err), -1);
	assert_string_equal(f->err.buf, "IP address 'not an ip' of 'http://example.com/' is not numeric");
	ex_release(&e);

	{
		static const char *const bad_links[] = { "http://example.com/\r\nWARC-Type: x" };
		ex_init(&e, "http://example.com/", "200 OK", "x", 1, T0);
		e.x.outlinks = bad_links;
		e.x.nr_outlinks = 1;
		strbuf_reset(&f->err);
		assert_int_equal(warc_write_exchange(w, &e.x, &res, &f->err), -1);
		ex_release(&e);
	}
	/* nothing was written by the failures */
	assert_int_equal(warc_offset(w), end);
	assert_int_equal(file_size(f->warc.buf), end);
	strbuf_reset(&f->err);
	assert_int_equal(warc_close(w, &f->err), 0);

	/* a line break in warcinfo would forge a field */
	{
		struct warc_info info = { "x\r\nformat: y", NULL, NULL, NULL, NULL, 0 };
		struct strbuf p = STRBUF_INIT;
		strbuf_addf(&p, "%s/info.warc.gz", f->dir);
		strbuf_reset(&f->err);
		assert_null(warc_create(p.buf, &info, &f->err));
		assert_string_equal(f->err.buf, "warcinfo field 'software' holds a line break");
		assert_int_equal(access(p.buf, F_OK), -1);
		strbuf_release(&p);
	}
}

static void append_bytes(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/*
 * The reader decompresses whole members with libdeflate and hands what it
 * cannot take to zlib: the records before a damaged member still arrive,
 * and the error names that member's offset, as the stream reader did.
 */
static void test_read_damaged_member(void **state)
{
	struct fixture *f = *state;
	struct warc_result res[6];
	struct strbuf whole = STRBUF_INIT, msg = STRBUF_INIT;
	struct recs rs = { 0 };
	size_t i, seen_before = 0;

	write_fixture(f->warc.buf, res);
	assert_int_equal(strbuf_read_file(&whole, f->warc.buf), 0);
	/* flip bytes inside the third response's deflate data */
	for (i = 20; i < 28; i++)
		whole.buf[res[2].offset + (long long)i] ^= 0x55;
	assert_int_equal(write_file(f->warc.buf, whole.buf, whole.len), 0);
	strbuf_reset(&f->err);
	assert_int_equal(warc_read(f->warc.buf, collect, &rs, &f->err), -1);
	strbuf_addf(&msg, "member at offset %lld", res[2].offset);
	if (!strstr(f->err.buf, msg.buf))
		fail_msg("error '%s' does not name '%s'", f->err.buf, msg.buf);
	for (i = 0; i < rs.nr; i++)
		seen_before += rs.v[i].offset < res[2].offset;
	assert_int_equal(seen_before, rs.nr);
	assert_true(rs.nr >= 3); /* warcinfo and the first two exchanges at least */
	recs_release(&rs);

	/* cut inside the last member: a torn record, named as such */
	assert_int_equal(unlink(f->warc.buf), 0);
	write_fixture(f->warc.buf, res);
	strbuf_reset(&whole);
	assert_int_equal(strbuf_read_file(&whole, f->warc.buf), 0);
	assert_int_equal(write_file(f->warc.buf, whole.buf, whole.len - 7), 0);
	strbuf_reset(&f->err);
	assert_int_equal(warc_read(f->warc.buf, collect, &rs, &f->err), -1);
	assert_non_null(strstr(f->err.buf, "torn record"));
	recs_release(&rs);
	strbuf_release(&whole);
	strbuf_release(&msg);
}

static void test_reopen_after_torn_record(void **state)
{
	struct fixture *f = *state;
	struct warc_result res[6], r2;
	struct warc_writer *w;
	struct strbuf whole = STRBUF_INIT;
	struct recs rs = { 0 };
	long long good;
	struct ex e;
	size_t i;

	write_fixture(f->warc.buf, res);
	good = file_size(f->warc.buf);
	assert_int_equal(strbuf_read_file(&whole, f->warc.buf), 0);

	/* kill -9 in the middle of an exchange: half a gzip member, then junk */
	append_bytes(f->warc.buf, whole.buf + res[2].offset, (size_t)res[2].length / 2);
	append_bytes(f->warc.buf, "garbage\0\x1f\x8b", 10);
	strbuf_reset(&f->err);
	assert_int_equal(warc_read(f->warc.buf, collect, &rs, &f->err), -1);
	recs_release(&rs);

	/* not a record boundary: refused, and nothing is cut */
	strbuf_reset(&f->err);
	assert_null(warc_reopen(f->warc.buf, good - 3, &f->err));
	assert_non_null(strstr(f->err.buf, "cannot resume at offset"));
	strbuf_reset(&f->err);
	assert_null(warc_reopen(f->warc.buf, good + 1000000, &f->err));
	assert_non_null(strstr(f->err.buf, "cannot resume"));
	assert_true(file_size(f->warc.buf) > good);

	w = warc_reopen(f->warc.buf, good, &f->err);
	assert_non_null(w);
	assert_int_equal(file_size(f->warc.buf), good);
	assert_int_equal(warc_offset(w), good);

	/* the digests were re-learned: "hello" and the PNG are revisits now */
	ex_init(&e, "http://example.com/again.html", "200 OK\r\nContent-Type: text/html", "hello", 5,
		T0 + 60000000);
	write_ok(w, &e, &r2);
	assert_int_equal(r2.revisit, 1);
	assert_int_equal(r2.offset, good);
	ex_release(&e);
	ex_init(&e, "http://example.com/logo2.png", "200 OK\r\nContent-Type: image/png", png, PNG_LEN,
		T0 + 61000000);
	write_ok(w, &e, &r2);
	assert_int_equal(r2.revisit, 1);
	ex_release(&e);
	ex_init(&e, "http://example.com/new.html", "200 OK\r\nContent-Type: text/html", "new", 3,
		T0 + 62000000);
	write_ok(w, &e, &r2);
	assert_int_equal(r2.revisit, 0);
	ex_release(&e);
	assert_int_equal(warc_close(w, &f->err), 0);

	read_all(f->warc.buf, &rs);
	assert_int_equal(rs.nr, 14 + 6);
	assert_int_equal(rs.v[14].offset, good);
	assert_string_equal(rs.v[14].type, "revisit");
	assert_string_equal(rs.v[14].refers_to, rs.v[1].id);
	assert_string_equal(rs.v[14].refers_date, rs.v[1].date);
	assert_string_equal(rs.v[16].type, "revisit");
	assert_string_equal(rs.v[16].refers_uri, "http://example.com/logo.png");
	assert_string_equal(rs.v[16].refers_date, "2026-11-23T08:30:02.123456Z");
	assert_string_equal(rs.v[18].type, "response");
	for (i = 0; i < rs.nr; i++)
		assert_null(memmem(rs.v[i].block.buf, rs.v[i].block.len, "garbage", 7));
	recs_release(&rs);
	strbuf_release(&whole);
}

static void test_reopen_at_zero_keeps_warcinfo(void **state)
{
	struct fixture *f = *state;
	struct warc_writer *w = create_ok(f->warc.buf);
	long long info_end = warc_offset(w);
	struct recs rs = { 0 };
	struct warc_result r;
	struct ex e;

	ex_init(&e, "http://example.com/", "200 OK", "x", 1, T0);
	write_ok(w, &e, &r);
	ex_release(&e);
	assert_int_equal(warc_close(w, &f->err), 0);

	/* killed before the first exchange was journaled */
	w = warc_reopen(f->warc.buf, 0, &f->err);
	assert_non_null(w);
	assert_int_equal(warc_offset(w), info_end);
	assert_int_equal(warc_close(w, &f->err), 0);
	read_all(f->warc.buf, &rs);
	assert_int_equal(rs.nr, 1);
	assert_string_equal(rs.v[0].type, "warcinfo");
	recs_release(&rs);

	/* a torn warcinfo: nothing worth keeping */
	assert_int_equal(truncate(f->warc.buf, info_end - 1), 0);
	w = warc_reopen(f->warc.buf, 0, &f->err);
	assert_non_null(w);
	assert_int_equal(warc_offset(w), 0);
	assert_int_equal(file_size(f->warc.buf), 0);
	assert_int_equal(warc_close(w, &f->err), 0);
}

/* Bodies far larger than the 64 KiB buffers, compressible or not; a cut body. */
static void test_large_bodies_and_truncation(void **state)
{
	struct fixture *f = *state;
	struct warc_writer *w = create_ok(f->warc.buf);
	size_t big = 3 * 1024 * 1024 + 17, zeros = 5 * 1024 * 1024, i;
	char *noise = xmalloc(big), *blank = xcalloc(1, zeros);
	uint64_t x = 88172645463325252ULL;
	struct warc_result r[4];
	struct recs rs = { 0 };
	struct strbuf sb = STRBUF_INIT;
	const char *body;
	size_t len;
	struct ex e;

	for (i = 0; i < big; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		noise[i] = (char)(x >> 32);
	}
	warc_set_sync(w, 1);
	ex_init(&e, "http://example.com/noise.bin", "200 OK\r\nContent-Type: application/octet-stream",
		noise, big, T0);
	write_ok(w, &e, &r[0]);
	ex_release(&e);
	ex_init(&e, "http://example.com/zeros.bin", "200 OK\r\nContent-Type: application/octet-stream",
		blank, zeros, T0 + 1000000);
	write_ok(w, &e, &r[1]);
	ex_release(&e);
	/* cut short: marked, and never the first copy of a payload */
	ex_init(&e, "http://example.com/cut.html", "200 OK\r\nContent-Type: text/html", "hello", 5,
		T0 + 2000000);
	e.x.truncated = "length";
	write_ok(w, &e, &r[2]);
	ex_release(&e);
	ex_init(&e, "http://example.com/whole.html", "200 OK\r\nContent-Type: text/html", "hello", 5,
		T0 + 3000000);
	write_ok(w, &e, &r[3]);
	ex_release(&e);
	assert_int_equal(r[2].revisit, 0);
	assert_int_equal(r[3].revisit, 0);
	assert_int_equal(warc_sync(w, &f->err), 0);
	assert_int_equal(warc_close(w, &f->err), 0);
	assert_true(r[0].length > (long long)big);
	assert_true(r[1].length < (long long)zeros / 100);

	read_all(f->warc.buf, &rs);
	assert_int_equal(rs.nr, 9);
	body = block_body(&rs.v[1], &len);
	assert_int_equal(len, big);
	assert_memory_equal(body, noise, big);
	digest_sha1_base32(noise, big, &sb);
	assert_string_equal(rs.v[1].digest, sb.buf);
	body = block_body(&rs.v[3], &len);
	assert_int_equal(len, zeros);
	assert_memory_equal(body, blank, zeros);
	assert_string_equal(rs.v[5].truncated, "length");
	assert_string_equal(rs.v[5].type, "response");
	assert_string_equal(rs.v[7].type, "response");
	assert_null(rs.v[7].truncated);

	/* and after a reopen, the cut copy is still not pointed at */
	w = warc_reopen(f->warc.buf, file_size(f->warc.buf), &f->err);
	assert_non_null(w);
	ex_init(&e, "http://example.com/zeros2.bin", "200 OK", blank, zeros, T0 + 4000000);
	write_ok(w, &e, &r[0]);
	assert_int_equal(r[0].revisit, 1);
	ex_release(&e);
	assert_int_equal(warc_close(w, &f->err), 0);

	recs_release(&rs);
	strbuf_release(&sb);
	free(noise);
	free(blank);
}

/* The index lines, with key, timestamp and the JSON as cdxj-indexer writes it. */
static void test_cdxj(void **state)
{
	struct fixture *f = *state;
	struct warc_result res[6];
	struct strbuf out = STRBUF_INIT, want = STRBUF_INIT, path = STRBUF_INIT;
	const char *p;
	size_t nr = 0;

	write_fixture(f->warc.buf, res);
	assert_int_equal(cdxj_index_warc(f->warc.buf, "test.warc.gz", &out, &f->err), 0);
	strbuf_addf(&path, "%s/test.cdxj", f->dir);
	assert_int_equal(write_file(path.buf, out.buf, out.len), 0);
	keep(f->warc.buf, "test.warc.gz");
	keep(path.buf, "test.cdxj");

	/* one line per response or revisit, sorted, ending with a newline */
	for (p = out.buf; *p; p = strchr(p, '\n') + 1) {
		const char *next = strchr(p, '\n');
		assert_non_null(next);
		if (next[1])
			assert_true(strncmp(p, next + 1, (size_t)(next - p) + 1) < 0);
		nr++;
	}
	assert_int_equal(nr, 6);

	strbuf_addf(&want, "com,example)/index.html 20261123083000 {\"url\": "
		    "\"http://www.example.com/index.html\", \"mime\": \"text/html\", \"status\": \"200\", "
		    "\"digest\": \"VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N\", \"length\": \"%lld\", "
		    "\"offset\": \"%lld\", \"filename\": \"test.warc.gz\"}\n",
		    res[0].length, res[0].offset);
	assert_non_null(strstr(out.buf, want.buf));
	strbuf_reset(&want);
	strbuf_addf(&want, "com,example)/copy.html 20261123083001 {\"url\": "
		    "\"http://example.com/copy.html\", \"mime\": \"warc/revisit\", \"status\": \"200\", "
		    "\"digest\": \"VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N\", \"length\": \"%lld\", "
		    "\"offset\": \"%lld\", \"filename\": \"test.warc.gz\"}\n",
		    res[1].length, res[1].offset);
	assert_non_null(strstr(out.buf, want.buf));
	/* warcio's SURT: lower case, query arguments sorted */
	assert_non_null(strstr(out.buf, "com,example)/%e6%96%b0%e9%97%bb/%e9%80%9a%e7%9f%a5.html?a=1&b=2 "
				       "20261123083003 {\"url\": \"" CN_URL "\", \"mime\": \"text/html\", "));
	assert_non_null(strstr(out.buf, "\ncom,example)/logo.png 20261123083002 {\"url\": "
				       "\"http://example.com/logo.png\", \"mime\": \"image/png\""));
	assert_non_null(strstr(out.buf, "\ncom,example)/old 20261123083004 {\"url\": \"http://example.com/old\", "
				       "\"status\": \"301\", \"digest\": \"3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ\""));
	assert_memory_equal(out.buf, "com,example)/%e6", 16);

	/* merging: sorting twice the same index keeps one copy */
	strbuf_addbuf(&want, &out);
	strbuf_reset(&want);
	strbuf_addbuf(&want, &out);
	strbuf_addbuf(&want, &out);
	cdxj_sort(&want);
	assert_string_equal(want.buf, out.buf);

	strbuf_release(&out);
	strbuf_release(&want);
	strbuf_release(&path);
}

static void zip_read(zip_t *za, const char *name, struct strbuf *out)
{
	zip_stat_t st;
	zip_file_t *zf;
	strbuf_reset(out);
	assert_int_equal(zip_stat(za, name, 0, &st), 0);
	zf = zip_fopen(za, name, 0);
	assert_non_null(zf);
	strbuf_grow(out, (size_t)st.size);
	assert_int_equal(zip_fread(zf, out->buf, st.size), (zip_int64_t)st.size);
	strbuf_setlen(out, (size_t)st.size);
	zip_fclose(zf);
}

static void test_wacz(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = {
		"archive/test.warc.gz", "indexes/index.cdxj", "pages/pages.jsonl",
		"datapackage.json", "datapackage-digest.json",
	};
	struct warc_result res[6];
	struct wacz_page pages[] = {
		{ "http://www.example.com/index.html", "示例市发展和改革委员会", "2026-11-23T08:30:00Z" },
		{ CN_URL, NULL, "2026-11-23T08:30:03Z" },
	};
	const char *warcs[1];
	struct wacz_input in;
	struct strbuf wacz = STRBUF_INIT, data = STRBUF_INIT, hash = STRBUF_INIT, cdxj = STRBUF_INIT;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	json_t *dp, *resources, *r;
	zip_t *za;
	zip_stat_t st;
	size_t i;
	int zerr;

	write_fixture(f->warc.buf, res);
	warcs[0] = f->warc.buf;
	memset(&in, 0, sizeof(in));
	in.warc_paths = warcs;
	in.nr_warcs = 1;
	in.pages = pages;
	in.nr_pages = 2;
	in.title = "示例市发展和改革委员会 (fgw)";
	in.created = "2026-11-23T09:00:00Z";
	in.software = "jiyue/test";
	in.main_page_url = "http://www.example.com/index.html";
	in.main_page_date = "2026-11-23T08:30:00Z";
	strbuf_addf(&wacz, "%s/test.wacz", f->dir);
	assert_int_equal(wacz_write(wacz.buf, &in, &f->err), 0);
	keep(wacz.buf, "test.wacz");

	za = zip_open(wacz.buf, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	assert_non_null(za);
	assert_int_equal(zip_get_num_entries(za, 0), 5);
	for (i = 0; i < 5; i++) {
		assert_string_equal(zip_get_name(za, i, 0), names[i]);
		assert_int_equal(zip_stat_index(za, i, 0, &st), 0);
		/* the WARC is stored as is, for range requests into it */
		assert_int_equal(st.comp_method, i == 0 ? ZIP_CM_STORE : ZIP_CM_DEFLATE);
	}
	assert_int_equal(zip_stat_index(za, 0, 0, &st), 0);
	assert_int_equal((long long)st.size, file_size(f->warc.buf));

	/* the index is the WARC's */
	assert_int_equal(cdxj_index_warc(f->warc.buf, "test.warc.gz", &cdxj, &f->err), 0);
	zip_read(za, "indexes/index.cdxj", &data);
	assert_string_equal(data.buf, cdxj.buf);

	zip_read(za, "pages/pages.jsonl", &data);
	assert_memory_equal(data.buf, "{\"format\":\"json-pages-1.0\",\"id\":\"pages\",\"title\":\"All Pages\"}\n", 61);
	assert_non_null(strstr(data.buf, "\"url\":\"http://www.example.com/index.html\",\"ts\":\"2026-11-23T08:30:00Z\","
				    "\"title\":\"示例市发展和改革委员会\"}\n"));

	zip_read(za, "datapackage.json", &data);
	dp = json_loads(data.buf, 0, NULL);
	assert_non_null(dp);
	assert_string_equal(json_string_value(json_object_get(dp, "profile")), "data-package");
	assert_string_equal(json_string_value(json_object_get(dp, "wacz_version")), "1.1.1");
	assert_string_equal(json_string_value(json_object_get(dp, "created")), "2026-11-23T09:00:00Z");
	assert_string_equal(json_string_value(json_object_get(dp, "software")), "jiyue/test");
	assert_string_equal(json_string_value(json_object_get(dp, "title")), in.title);
	assert_string_equal(json_string_value(json_object_get(dp, "mainPageUrl")), in.main_page_url);
	resources = json_object_get(dp, "resources");
	assert_int_equal(json_array_size(resources), 3);
	for (i = 0; i < 3; i++) {
		r = json_array_get(resources, i);
		assert_string_equal(json_string_value(json_object_get(r, "path")), names[i]);
		zip_read(za, names[i], &data);
		strbuf_reset(&hash);
		strbuf_addstr(&hash, "sha256:");
		digest_sha256_hex(data.buf, data.len, &hash);
		assert_string_equal(json_string_value(json_object_get(r, "hash")), hash.buf);
		assert_int_equal(json_integer_value(json_object_get(r, "bytes")), (long long)data.len);
	}
	assert_string_equal(json_string_value(json_object_get(json_array_get(resources, 0), "name")),
			    "test.warc.gz");
	json_decref(dp);

	zip_read(za, "datapackage.json", &data);
	strbuf_reset(&hash);
	strbuf_addstr(&hash, "sha256:");
	digest_sha256_hex(data.buf, data.len, &hash);
	zip_read(za, "datapackage-digest.json", &data);
	dp = json_loads(data.buf, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(dp, "path")), "datapackage.json");
	assert_string_equal(json_string_value(json_object_get(dp, "hash")), hash.buf);
	json_decref(dp);
	zip_close(za);

	/* same input, same bytes, even in another time zone */
	assert_int_equal(strbuf_read_file(&a, wacz.buf), 0);
	strbuf_addstr(&wacz, ".2");
	in.cdxj = cdxj.buf;
	in.cdxj_len = cdxj.len;
	{
		char *tz = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
		setenv("TZ", "CST-8", 1);
		tzset();
		assert_int_equal(wacz_write(wacz.buf, &in, &f->err), 0);
		if (tz)
			setenv("TZ", tz, 1);
		else
			unsetenv("TZ");
		tzset();
		free(tz);
	}
	assert_int_equal(strbuf_read_file(&b, wacz.buf), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.buf, b.buf, a.len);

	/* errors */
	in.nr_warcs = 0;
	strbuf_reset(&f->err);
	assert_int_equal(wacz_write(wacz.buf, &in, &f->err), -1);
	in.nr_warcs = 1;
	in.created = "yesterday";
	strbuf_reset(&f->err);
	assert_int_equal(wacz_write(wacz.buf, &in, &f->err), -1);
	assert_non_null(strstr(f->err.buf, "created time 'yesterday'"));

	strbuf_release(&wacz);
	strbuf_release(&data);
	strbuf_release(&hash);
	strbuf_release(&cdxj);
	strbuf_release(&a);
	strbuf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_digests, setup, teardown),
		cmocka_unit_test(test_dates),
		cmocka_unit_test_setup_teardown(test_write_and_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plain_warc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_after_torn_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_damaged_member, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_at_zero_keeps_warcinfo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_bodies_and_truncation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cdxj, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wacz, setup, teardown),
	};
	return cmocka_run_group_tests_name("warc", tests, NULL, NULL);
}
