#include "archiver/capture.h"
#include "archiver/cdxj.h"
#include "archiver/crawl.h"
#include "archiver/digest.h"
#include "archiver/journal.h"
#include "archiver/materialize.h"
#include "archiver/url.h"
#include "archiver/wacz.h"
#include "archiver/warc.h"
#include "cli/commands.h"
#include "common/arena.h"
#include "common/date.h"
#include "common/diag.h"
#include "common/fsutil.h"
#include "common/gitrepo.h"
#include "common/path.h"
#include "common/siterec.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

struct cap {
	const struct capture_options *o;
	struct arena arena;
	struct diag_list diags;
	struct site_record rec;
	struct cdate date;
	char ts[16];
	struct strbuf archive, site_dir, work, journal_path, warc_path, name, err;
	long long warc_end;
	int crawled, resumed;
	struct crawl crawl;
	struct journal journal;
	struct warc_writer *warc;
	struct copy_spool *spool;   /* the early copy (materialize.h) */
	struct strbuf root;         /* .capture/site: the copy being made */
	struct cdxj_indexer cdxj;
	int cdxj_live;              /* the crawl indexes as it writes */
	struct strbuf wname;        /* the WARC's name in the index */
	struct strbuf sha_warc, sha_cdxj, sha_wacz; /* their sha256, once written, for capture.json */
	long long started_us;
};

static long long now_us(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

static void iso_time(long long us, struct strbuf *out)
{
	char buf[32];
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strbuf_addstr(out, buf);
}

static int fail(struct cap *c, const char *fmt, const char *arg)
{
	fprintf(stderr, "error: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 1;
}

/* ---- set-up and resume ---- */

static int load_record(struct cap *c)
{
	const struct capture_options *o = c->o;
	int r = o->url ? siterec_from_url(&c->rec, &c->arena, o->id, o->url, &c->diags)
		       : siterec_load(&c->rec, &c->arena, o->source_dir, o->id, &c->diags);
	diag_list_print(&c->diags, stderr);
	if (r)
		return -1;
	if (o->concurrency > 0)
		c->rec.limits.concurrency = o->concurrency;
	if (o->max_pages > 0)
		c->rec.limits.pages = o->max_pages;
	return 0;
}

static void on_journal(void *ud, json_t *rec)
{
	struct cap *c = ud;
	const char *t = json_string_value(json_object_get(rec, "t"));
	if (!t)
		return;
	if (!strcmp(t, "capture")) {
		const char *ts = json_string_value(json_object_get(rec, "ts"));
		const char *date = json_string_value(json_object_get(rec, "date"));
		if (ts && strlen(ts) == 14)
			memcpy(c->ts, ts, 15);
		if (date)
			date_parse(date, &c->date, NULL);
	} else if (!strcmp(t, "crawled")) {
		c->crawled = 1;
	} else {
		if (!strcmp(t, "done"))
			c->warc_end = json_integer_value(json_object_get(rec, "warc_end"));
		crawl_replay(&c->crawl, rec);
	}
}

static void start_journal(struct cap *c)
{
	struct strbuf d = STRBUF_INIT;
	time_t now = time(NULL);
	struct tm tm;
	json_t *j;
	gmtime_r(&now, &tm);
	strftime(c->ts, sizeof(c->ts), "%Y%m%d%H%M%S", &tm);
	date_fmt_iso(&c->date, &d);
	j = json_pack("{s:s,s:s,s:s,s:s}", "t", "capture", "id", c->rec.id, "ts", c->ts, "date", d.buf);
	journal_append(&c->journal, j);
	journal_sync(&c->journal);
	json_decref(j);
	strbuf_release(&d);
}

static int open_warc(struct cap *c)
{
	struct warc_info info;
	strbuf_addf(&c->name, "%s-%s", c->rec.id, c->ts);
	strbuf_addf(&c->warc_path, "%s/%s.warc.gz", c->work.buf, c->name.buf);
	if (c->resumed && is_file(c->warc_path.buf)) {
		c->warc = warc_reopen(c->warc_path.buf, c->warc_end, &c->err);
		return c->warc ? 0 : -1;
	}
	memset(&info, 0, sizeof(info));
	info.software = "jiyue/" JIYUE_VERSION;
	info.is_part_of = c->rec.id;
	info.description = c->rec.name;
	info.format = "WARC File Format 1.1";
	c->warc = warc_create(c->warc_path.buf, &info, &c->err);
	return c->warc ? 0 : -1;
}

static int prepare(struct cap *c)
{
	const struct capture_options *o = c->o;
	if (o->archive_dir)
		strbuf_addstr(&c->archive, o->archive_dir);
	else
		path_in(&c->archive, o->source_dir, "archive");
	strbuf_addf(&c->site_dir, "%s/%s", c->archive.buf, c->rec.id);
	strbuf_addf(&c->work, "%s/.capture", c->site_dir.buf);
	strbuf_addf(&c->journal_path, "%s/journal.jsonl", c->work.buf);
	if (mkdir_p(c->work.buf, 0755))
		return fail(c, "unable to create '%s'", c->work.buf);
	crawl_init(&c->crawl, &c->rec);
	c->crawl.workers = (size_t)c->o->jobs;
	c->crawl.progress = !o->quiet && isatty(2);
	c->crawl.connect_to = o->connect_to;
	c->crawl.nr_connect_to = o->nr_connect_to;
	c->resumed = is_file(c->journal_path.buf);
	if (c->resumed && journal_replay(c->journal_path.buf, on_journal, c))
		return fail(c, "unable to read the journal '%s'", c->journal_path.buf);
	if (journal_open(&c->journal, c->journal_path.buf))
		return fail(c, "unable to open the journal '%s'", c->journal_path.buf);
	c->crawl.journal = &c->journal;
	if (!c->ts[0]) {
		c->resumed = 0;
		start_journal(c);
	} else if (!o->quiet) {
		fprintf(stderr, "resuming the capture of %s started %s (%zu URLs known, %ld done)\n",
			c->rec.id, c->ts, c->crawl.nr_entries, c->crawl.done);
	}
	if (open_warc(c))
		return fail(c, "%s", c->err.buf);
	c->crawl.warc = c->warc;
	return 0;
}

/* ---- outputs ---- */

static int is_document(const struct crawl_entry *e)
{
	static const char *const doc[] = { "application/pdf", "application/msword",
		"application/vnd.", "application/zip", "application/x-rar", "text/plain",
		"application/octet-stream", "application/wps" };
	size_t i;
	if (!e->path || !e->content_type)
		return 0;
	for (i = 0; i < sizeof(doc) / sizeof(*doc); i++)
		if (!strncmp(e->content_type, doc[i], strlen(doc[i])))
			return 1;
	return 0;
}

static int is_page(const struct crawl_entry *e)
{
	return e->path && e->content_type && !strcmp(e->content_type, "text/html");
}

static json_t *manifest_line(const struct crawl_entry *e)
{
	json_t *j = json_object();
	struct strbuf t = STRBUF_INIT;
#define PUT_S(k, v) json_object_set_new(j, k, (v) ? json_string(v) : json_null())
	PUT_S("url", e->origin);
	PUT_S("canonical", e->url);
	json_object_set_new(j, "status", json_integer(e->status));
	PUT_S("content_type", e->content_type);
	json_object_set_new(j, "size", json_integer(e->size));
	PUT_S("sha256", e->sha256);
	PUT_S("path", e->path);
	if (e->fetch_us)
		iso_time(e->fetch_us, &t);
	PUT_S("fetched", e->fetch_us ? t.buf : NULL);
	PUT_S("redirect", e->redirect);
	PUT_S("error", e->error);
#undef PUT_S
	strbuf_release(&t);
	return j;
}

static int write_json_file(const char *path, json_t *j)
{
	struct strbuf tmp = STRBUF_INIT;
	int r;
	strbuf_addf(&tmp, "%s.tmp", path);
	r = json_dump_file(j, tmp.buf, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!r)
		r = rename(tmp.buf, path);
	strbuf_release(&tmp);
	return r ? -1 : 0;
}

static int write_manifest(struct cap *c, const char *path)
{
	FILE *f = fopen(path, "w");
	size_t i;
	if (!f)
		return -1;
	for (i = 0; i < c->crawl.nr_entries; i++) {
		json_t *j = manifest_line(c->crawl.entries[i]);
		json_dumpf(j, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
		fputc('\n', f);
		json_decref(j);
	}
	return fclose(f) ? -1 : 0;
}

static void html_text(struct strbuf *sb, const char *s)
{
	strbuf_add_html(sb, s, strlen(s));
}

/* A local file as an href: its name keeps URL escapes literally, so encode it. */
static void html_href(struct strbuf *sb, const char *path)
{
	struct strbuf href = STRBUF_INIT;
	url_path_to_href(path, &href);
	html_text(sb, href.buf);
	strbuf_release(&href);
}

/* The capture's own index page: what was archived, when, and the documents. */
static int write_index(struct cap *c, const char *root)
{
	struct strbuf h = STRBUF_INIT, path = STRBUF_INIT, cn = STRBUF_INIT;
	size_t i;
	int ret;
	date_fmt_cn(&c->date, &cn);
	strbuf_addstr(&h, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		      "<meta name=\"archived-date\" content=\"");
	date_fmt_iso(&c->date, &h);
	strbuf_addstr(&h, "\"><title>");
	html_text(&h, c->rec.name);
	strbuf_addstr(&h, "（已归档）</title><style>body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;"
		      "max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.7}"
		      ".stamp{border:2px solid #b71c1c;background:#fff3f3;color:#7f0000;padding:.8rem 1rem;"
		      "font-size:1.1rem}table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;"
		      "padding:.4rem;text-align:left}th{background:#f3f3f3}</style></head><body>\n");
	strbuf_addstr(&h, "<p class=\"stamp\" role=\"note\"><strong>已归档</strong> 归档时间：");
	strbuf_addbuf(&h, &cn);
	strbuf_addf(&h, " · <a href=\"%s\">归档网站</a></p>\n<h1>", c->o->index_url);
	html_text(&h, c->rec.name);
	strbuf_addstr(&h, "</h1>\n<ul>\n");
	for (i = 0; i < c->rec.nr_start; i++) {
		struct crawl_entry *e = crawl_final(&c->crawl, crawl_lookup(&c->crawl, c->rec.start[i]));
		strbuf_addstr(&h, "<li>原网站首页：");
		if (e) {
			strbuf_addstr(&h, "<a href=\"");
			html_href(&h, e->path);
			strbuf_addstr(&h, "\">");
			html_text(&h, c->rec.start[i]);
			strbuf_addstr(&h, "</a>");
		} else {
			html_text(&h, c->rec.start[i]);
			strbuf_addstr(&h, "（未能归档）");
		}
		strbuf_addstr(&h, "</li>\n");
	}
	strbuf_addstr(&h, "</ul>\n<h2>文件</h2>\n<table><thead><tr><th scope=\"col\">文件</th>"
		      "<th scope=\"col\">类型</th><th scope=\"col\">大小</th><th scope=\"col\">归档时间</th>"
		      "</tr></thead><tbody>\n");
	for (i = 0; i < c->crawl.nr_entries; i++) {
		struct crawl_entry *e = c->crawl.entries[i];
		if (!is_document(e))
			continue;
		strbuf_addstr(&h, "<tr><td><a href=\"");
		html_href(&h, e->path);
		strbuf_addstr(&h, "\">");
		html_text(&h, e->origin);
		strbuf_addstr(&h, "</a></td><td>");
		html_text(&h, e->content_type);
		strbuf_addf(&h, "</td><td>%lld</td><td>", e->size);
		strbuf_addbuf(&h, &cn);
		strbuf_addstr(&h, "</td></tr>\n");
	}
	strbuf_addstr(&h, "</tbody></table>\n</body></html>\n");
	strbuf_addf(&path, "%s/index.html", root);
	ret = write_file(path.buf, h.buf, h.len);
	strbuf_release(&h);
	strbuf_release(&path);
	strbuf_release(&cn);
	return ret;
}

struct counts {
	long resources, pages, documents, failed, redirects;
	long long bytes;
	char *newest;        /* newest date in any page's text */
	char *modified;      /* newest Last-Modified of a page */
};

static void newer(char **slot, char *date)
{
	if (date && (!*slot || strcmp(date, *slot) > 0))
		*slot = date;
}

static void count(struct cap *c, struct counts *n)
{
	size_t i;
	memset(n, 0, sizeof(*n));
	for (i = 0; i < c->crawl.nr_entries; i++) {
		struct crawl_entry *e = c->crawl.entries[i];
		if (e->state != ENTRY_DONE)
			continue;
		if (e->path)
			n->resources++;
		n->pages += is_page(e);
		n->documents += is_document(e);
		n->redirects += e->redirect != NULL;
		if (e->error || !e->status || e->status >= 400)
			n->failed++;
		n->bytes += e->size;
		if (is_page(e)) {
			newer(&n->newest, e->newest);
			newer(&n->modified, e->modified);
		}
	}
	/*
	 * Dates in the text say when content was last written; Last-Modified
	 * often only says when files were last copied.  Trust the text.
	 */
	if (!n->newest)
		n->newest = n->modified;
}

/* Rule 7: no update for three months or more makes a zombie site. */
static int is_zombie(const struct cap *c, const char *newest)
{
	struct cdate d, limit;
	if (!newest || date_parse(newest, &d, NULL))
		return -1;
	limit = date_add_months(&d, 3);
	return date_cmp(&limit, &c->date) <= 0;
}

/* sha256: the digest (hex) if already known, else "" and the file is read */
static json_t *file_info(const char *dir, const char *name, const char *sha256)
{
	struct strbuf p = STRBUF_INIT, h = STRBUF_INIT;
	struct stat st;
	json_t *j;
	strbuf_addf(&p, "%s/%s", dir, name);
	if (sha256 && *sha256)
		strbuf_addstr(&h, sha256);
	else
		digest_file_sha256_hex(p.buf, &h);
	j = json_pack("{s:s,s:s,s:I}", "file", name, "sha256", h.buf,
		      "bytes", (json_int_t)(stat(p.buf, &st) ? 0 : st.st_size));
	strbuf_release(&p);
	strbuf_release(&h);
	return j;
}

static json_t *summary(struct cap *c, const struct counts *n)
{
	json_t *j = json_object(), *counts, *fails = json_array(), *traps = json_array(), *start = json_array();
	struct strbuf t = STRBUF_INIT;
	int zombie = is_zombie(c, n->newest);
	size_t i;

	json_object_set_new(j, "site", json_string(c->rec.id));
	json_object_set_new(j, "name", json_string(c->rec.name));
	if (c->rec.department)
		json_object_set_new(j, "department", json_string(c->rec.department));
	date_fmt_iso(&c->date, &t);
	json_object_set_new(j, "date", json_string(t.buf));
	json_object_set_new(j, "timestamp", json_string(c->ts));
	strbuf_reset(&t);
	iso_time(now_us(), &t);
	json_object_set_new(j, "finished", json_string(t.buf));
	for (i = 0; i < c->rec.nr_start; i++)
		json_array_append_new(start, json_string(c->rec.start[i]));
	json_object_set_new(j, "start", start);
	counts = json_pack("{s:i,s:i,s:i,s:i,s:i,s:I}", "resources", n->resources, "pages", n->pages,
			   "documents", n->documents, "failed", n->failed, "redirects", n->redirects,
			   "bytes", (json_int_t)n->bytes);
	json_object_set_new(j, "counts", counts);
	for (i = 0; i < c->crawl.nr_entries; i++) {
		struct crawl_entry *e = c->crawl.entries[i];
		if (e->state == ENTRY_DONE && (e->error || !e->status || e->status >= 400))
			json_array_append_new(fails, json_pack("{s:s,s:i,s:s?}", "url", e->origin,
				"status", (int)e->status, "error", e->error));
	}
	json_object_set_new(j, "failures", fails);
	for (i = 0; i < c->crawl.nr_traps; i++)
		json_array_append_new(traps, json_pack("{s:s,s:s,s:i}", "rule", c->crawl.traps[i].rule,
			"example", c->crawl.traps[i].example, "count", (int)c->crawl.traps[i].count));
	json_object_set_new(j, "traps", traps);
	json_object_set_new(j, "newest_content_date", n->newest ? json_string(n->newest) : json_null());
	json_object_set_new(j, "zombie", zombie < 0 ? json_null() : json_boolean(zombie));
	strbuf_reset(&t);
	strbuf_addf(&t, "%s.warc.gz", c->name.buf);
	json_object_set_new(j, "warc", file_info(c->work.buf, t.buf, c->sha_warc.buf));
	strbuf_reset(&t);
	strbuf_addf(&t, "%s.cdxj", c->name.buf);
	json_object_set_new(j, "cdxj", file_info(c->work.buf, t.buf, c->sha_cdxj.buf));
	strbuf_reset(&t);
	strbuf_addf(&t, "%s.wacz", c->name.buf);
	json_object_set_new(j, "wacz", file_info(c->work.buf, t.buf, c->sha_wacz.buf));
	strbuf_release(&t);
	return j;
}

/* JIYUE_TRACE=1: when each phase ended, for benchmarks and profiling. */
static void trace(const struct cap *c, const char *phase)
{
	const char *env = getenv("JIYUE_TRACE");
	struct rusage ru;
	if (!env || strcmp(env, "1") || getrusage(RUSAGE_SELF, &ru))
		return;
	fprintf(stderr, "trace: %s at %.2f s, CPU %.2f s user %.2f s system\n", phase,
		(now_us() - c->started_us) / 1e6,
		ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
		ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
}

static int write_indexes(struct cap *c, const struct strbuf *cdxj, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	struct wacz_page *pages = xcalloc(c->crawl.nr_entries + 1, sizeof(*pages));
	struct wacz_input in;
	struct strbuf *ts = xcalloc(c->crawl.nr_entries + 1, sizeof(*ts));
	const char *warcs[1], *warc_sha[1];
	size_t i, np = 0;
	int ret = -1;

	strbuf_addf(&path, "%s/%s.cdxj", c->work.buf, c->name.buf);
	if (write_file(path.buf, cdxj->buf, cdxj->len)) {
		strbuf_addf(err, "unable to write '%s'", path.buf);
		goto out;
	}
	/* each digest made once, for the WACZ's datapackage and capture.json */
	digest_sha256_hex(cdxj->buf, cdxj->len, &c->sha_cdxj);
	if (digest_file_sha256_hex(c->warc_path.buf, &c->sha_warc)) {
		strbuf_addf(err, "unable to read '%s': %s", c->warc_path.buf, strerror(errno));
		goto out;
	}
	warc_sha[0] = c->sha_warc.buf;
	for (i = 0; i < c->crawl.nr_entries; i++) {
		struct crawl_entry *e = c->crawl.entries[i];
		if (!is_page(e))
			continue;
		strbuf_init(&ts[np], 0);
		iso_time(e->fetch_us, &ts[np]);
		pages[np].url = e->url;
		pages[np].title = e->title;
		pages[np].ts = ts[np].buf;
		np++;
	}
	memset(&in, 0, sizeof(in));
	warcs[0] = c->warc_path.buf;
	in.warc_paths = warcs;
	in.warc_sha256 = warc_sha;
	in.nr_warcs = 1;
	in.cdxj = cdxj->buf;
	in.cdxj_len = cdxj->len;
	in.pages = pages;
	in.nr_pages = np;
	in.title = c->rec.name;
	in.created = np ? pages[0].ts : "";
	in.software = "jiyue/" JIYUE_VERSION;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/%s.wacz", c->work.buf, c->name.buf);
	ret = wacz_write(path.buf, &in, err);
	if (!ret && digest_file_sha256_hex(path.buf, &c->sha_wacz)) {
		strbuf_addf(err, "unable to read '%s': %s", path.buf, strerror(errno));
		ret = -1;
	}
out:
	for (i = 0; i < np; i++)
		strbuf_release(&ts[i]);
	free(ts);
	free(pages);
	strbuf_release(&path);
	return ret;
}

static int move_into(struct cap *c, const char *name, const char *dir)
{
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
	int r;
	strbuf_addf(&from, "%s/%s", c->work.buf, name);
	strbuf_addf(&to, "%s/%s", dir, name);
	r = rename(from.buf, to.buf);
	if (r)
		strbuf_addf(&c->err, "unable to move '%s' to '%s': %s", from.buf, to.buf, strerror(errno));
	strbuf_release(&from);
	strbuf_release(&to);
	return r;
}

/* Make the finished capture visible: warc/, manifest, site/ swapped in, capture.json last. */
static int publish(struct cap *c, json_t *sum)
{
	struct strbuf warc_dir = STRBUF_INIT, site = STRBUF_INIT, tmp_site = STRBUF_INIT, name = STRBUF_INIT;
	static const char *const ext[] = { ".warc.gz", ".cdxj", ".wacz" };
	size_t i;
	int ret = -1;

	strbuf_addf(&warc_dir, "%s/warc", c->site_dir.buf);
	mkdir_p(warc_dir.buf, 0755);
	for (i = 0; i < 3; i++) {
		strbuf_reset(&name);
		strbuf_addf(&name, "%s%s", c->name.buf, ext[i]);
		if (move_into(c, name.buf, warc_dir.buf))
			goto out;
	}
	if (move_into(c, "manifest.jsonl", c->site_dir.buf))
		goto out;
	strbuf_addf(&site, "%s/site", c->site_dir.buf);
	strbuf_addf(&tmp_site, "%s/site", c->work.buf);
	if (is_dir(site.buf) ? renameat2(AT_FDCWD, tmp_site.buf, AT_FDCWD, site.buf, RENAME_EXCHANGE)
			     : rename(tmp_site.buf, site.buf)) {
		strbuf_addf(&c->err, "unable to publish '%s': %s", site.buf, strerror(errno));
		goto out;
	}
	strbuf_reset(&name);
	strbuf_addf(&name, "%s/capture.json", c->site_dir.buf);
	if (write_json_file(name.buf, sum)) {
		strbuf_addf(&c->err, "unable to write '%s'", name.buf);
		goto out;
	}
	rm_rf(c->work.buf);
	ret = 0;
out:
	strbuf_release(&warc_dir);
	strbuf_release(&site);
	strbuf_release(&tmp_site);
	strbuf_release(&name);
	return ret;
}

static int commit(struct cap *c, const struct counts *n, json_t *sum)
{
	git_repository *repo = NULL;
	struct strbuf msg = STRBUF_INIT, tag = STRBUF_INIT, gi = STRBUF_INIT;
	json_t *warc = json_object_get(sum, "warc");
	json_t *zombie = json_object_get(sum, "zombie");
	git_oid oid;
	int r;

	if (gitrepo_open_or_init(&repo, c->archive.buf, &c->err))
		return -1;
	strbuf_addf(&gi, "%s/.gitignore", c->archive.buf);
	if (!is_file(gi.buf))
		write_file(gi.buf, "*/.capture/\n", 12);
	strbuf_addf(&msg, "archive %s: %s, captured %s\n\n", c->rec.id, c->rec.name,
		    json_string_value(json_object_get(sum, "date")));
	strbuf_addf(&msg, "%ld resources (%ld pages, %ld documents), %ld failed, %lld bytes\n",
		    n->resources, n->pages, n->documents, n->failed, n->bytes);
	strbuf_addf(&msg, "WARC %s sha256:%s\n", json_string_value(json_object_get(warc, "file")),
		    json_string_value(json_object_get(warc, "sha256")));
	strbuf_addf(&msg, "newest content: %s%s\n", n->newest ? n->newest : "unknown",
		    json_is_true(zombie) ? " (zombie site: no update for 3 months or more)" : "");
	strbuf_addf(&msg, "capture: %s\n", c->ts);
	r = gitrepo_commit_path(repo, c->rec.id, msg.buf, &oid, &c->err);
	if (r == 0) {
		strbuf_addf(&tag, "capture/%s/%s", c->rec.id, c->ts);
		r = gitrepo_tag(repo, tag.buf, &oid, msg.buf, &c->err);
	}
	git_repository_free(repo);
	strbuf_release(&msg);
	strbuf_release(&tag);
	strbuf_release(&gi);
	return r < 0 ? -1 : 0;
}

static void print_summary(struct cap *c, const struct counts *n, json_t *sum)
{
	double secs = (now_us() - c->started_us) / 1e6;
	json_t *zombie = json_object_get(sum, "zombie");
	size_t i;
	printf("archived '%s' (%s): %ld resources (%ld pages, %ld documents), %ld failed, %.1f MB in %.1f s\n",
	       c->rec.id, c->rec.name, n->resources, n->pages, n->documents, n->failed,
	       n->bytes / 1048576.0, secs);
	printf("  copy: %s/site/   WARC: %s/warc/%s.warc.gz\n", c->site_dir.buf, c->site_dir.buf, c->name.buf);
	for (i = 0; i < c->crawl.nr_traps; i++)
		printf("  skipped %ld URLs: %s (e.g. %s)\n", c->crawl.traps[i].count,
		       c->crawl.traps[i].rule, c->crawl.traps[i].example);
	if (n->newest)
		printf("  newest content: %s%s\n", n->newest,
		       json_is_true(zombie) ? " — zombie site: no update for 3 months or more (rule 7)" : "");
}

/*
 * The copy is made in .capture/site, from empty: files of a crawl that was
 * interrupted may be stale, so a resumed capture copies everything fetched
 * before the interruption from the WARC.
 */
static int start_copy(struct cap *c)
{
	struct strbuf spool = STRBUF_INIT;
	strbuf_addf(&c->root, "%s/site", c->work.buf);
	rm_rf(c->root.buf);
	if (mkdir_p(c->root.buf, 0755)) {
		fprintf(stderr, "error: unable to create '%s': %s\n", c->root.buf, strerror(errno));
		strbuf_release(&spool);
		return -1;
	}
	strbuf_addf(&spool, "%s/copy.spool", c->work.buf);
	c->spool = copy_spool_new(c->root.buf, spool.buf, &c->err);
	strbuf_release(&spool);
	if (!c->spool) {
		fprintf(stderr, "error: %s\n", c->err.buf);
		return -1;
	}
	c->crawl.spool = c->spool;
	return 0;
}

/* A fresh capture is indexed as the crawl writes it; a resumed one from the WARC. */
static int start_index(struct cap *c)
{
	strbuf_addf(&c->wname, "%s.warc.gz", c->name.buf);
	if (cdxj_name_check(c->wname.buf, &c->err)) {
		fprintf(stderr, "error: %s\n", c->err.buf);
		return -1;
	}
	cdxj_indexer_release(&c->cdxj);
	cdxj_indexer_init(&c->cdxj, c->warc_path.buf, c->wname.buf, &c->err);
	c->cdxj_live = !c->resumed;
	if (c->cdxj_live)
		c->crawl.cdxj = &c->cdxj;
	return 0;
}

/*
 * The manifest, the CDXJ and the WACZ need only the crawl's results: with
 * the index made during the crawl, a thread writes them while the pages
 * are rewritten.
 */
struct side {
	struct cap *c;
	const char *manifest;
	struct strbuf cdxj;
	struct strbuf err;
	pthread_t thread;
	int started, ret;
};

static void *write_side(void *arg)
{
	struct side *sd = arg;
	if (write_manifest(sd->c, sd->manifest)) {
		strbuf_addf(&sd->err, "unable to write '%s'", sd->manifest);
		sd->ret = -1;
	} else {
		sd->ret = write_indexes(sd->c, &sd->cdxj, &sd->err);
	}
	return NULL;
}

static void side_start(struct side *sd)
{
	cdxj_indexer_finish(&sd->c->cdxj, &sd->cdxj);
	sd->started = !pthread_create(&sd->thread, NULL, write_side, sd);
}

/* Join the thread, or do its work now (a resumed capture, whose index the WARC pass made). */
static int side_finish(struct side *sd)
{
	if (sd->started)
		pthread_join(sd->thread, NULL);
	else
		write_side(sd);
	if (sd->ret && !sd->c->err.len)
		strbuf_addbuf(&sd->c->err, &sd->err);
	return sd->ret;
}

static int finish(struct cap *c)
{
	struct materialize_options mo;
	struct strbuf mpath = STRBUF_INIT;
	struct counts n;
	struct side sd;
	json_t *sum = NULL;
	int ret = 1, failed;

	memset(&sd, 0, sizeof(sd));
	strbuf_init(&sd.cdxj, 0);
	strbuf_init(&sd.err, 0);
	count(c, &n);
	if (!n.resources) {
		/* keep the journal for diagnosis, out of the way of the next try */
		struct strbuf kept = STRBUF_INIT;
		copy_spool_free(c->spool);
		c->spool = NULL;
		strbuf_addf(&kept, "%s/failed-%s", c->site_dir.buf, c->ts);
		rm_rf(kept.buf);
		rename(c->work.buf, kept.buf);
		fprintf(stderr, "error: nothing could be archived from %s; what happened is in %s/journal.jsonl\n",
			c->rec.start[0], kept.buf);
		strbuf_release(&kept);
		goto out;
	}
	memset(&mo, 0, sizeof(mo));
	mo.warc_path = c->warc_path.buf;
	mo.root = c->root.buf;
	mo.archive_date = c->date;
	mo.index_url = c->o->index_url;
	mo.site_name = c->rec.name;
	mo.workers = (size_t)c->o->jobs;
	mo.spool = c->spool;
	strbuf_addf(&mpath, "%s/manifest.jsonl", c->work.buf);
	sd.c = c;
	sd.manifest = mpath.buf;
	if (c->cdxj_live) {
		side_start(&sd);
	} else {
		/* indexed in the same pass over the WARC as the copy */
		mo.each_record = cdxj_indexer_add;
		mo.each_record_ud = &c->cdxj;
	}
	failed = materialize(&c->crawl, &mo, &c->err);
	copy_spool_free(c->spool);
	c->spool = NULL;
	if (!failed && !c->cdxj_live)
		cdxj_indexer_finish(&c->cdxj, &sd.cdxj);
	trace(c, "materialized");
	if (side_finish(&sd) || failed || write_index(c, c->root.buf)) {
		fprintf(stderr, "error: %s\n", c->err.len ? c->err.buf : "unable to write the capture");
		goto out;
	}
	trace(c, "indexed");
	sum = summary(c, &n);
	if (publish(c, sum)) {
		fprintf(stderr, "error: %s\n", c->err.buf);
		goto out;
	}
	if (!c->o->no_commit && commit(c, &n, sum))
		fprintf(stderr, "warning: the capture is complete but was not committed: %s\n", c->err.buf);
	if (!c->o->quiet)
		print_summary(c, &n, sum);
	ret = 0;
out:
	json_decref(sum);
	strbuf_release(&sd.cdxj);
	strbuf_release(&sd.err);
	strbuf_release(&mpath);
	return ret;
}

static int crawl_and_finish(struct cap *c)
{
	if (start_copy(c) || start_index(c))
		return 1;
	if (!c->crawled) {
		json_t *j;
		crawl_seed(&c->crawl);
		if (crawl_run(&c->crawl))
			return 1;
		trace(c, "crawled");
		j = json_pack("{s:s}", "t", "crawled");
		journal_append(&c->journal, j);
		json_decref(j);
	}
	journal_sync(&c->journal);
	if (warc_close(c->warc, &c->err)) {
		c->warc = NULL;
		fprintf(stderr, "error: %s\n", c->err.buf);
		return 1;
	}
	c->warc = NULL;
	return finish(c);
}

int capture_run(const struct capture_options *o)
{
	struct cap c;
	struct strbuf err = STRBUF_INIT;
	int ret = 1;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.started_us = now_us();
	arena_init(&c.arena);
	diag_list_init(&c.diags);
	strbuf_init(&c.err, 0);
	strbuf_init(&c.root, 0);
	strbuf_init(&c.wname, 0);
	strbuf_init(&c.sha_warc, 0);
	strbuf_init(&c.sha_cdxj, 0);
	strbuf_init(&c.sha_wacz, 0);
	cdxj_indexer_init(&c.cdxj, "", "", &c.err);
	c.journal.fd = -1;
	if (date_today(o->date, &c.date, &err)) {
		fprintf(stderr, "error: %s\n", err.buf);
		goto out;
	}
	if (load_record(&c) || prepare(&c))
		goto out;
	ret = crawl_and_finish(&c);
out:
	if (c.warc)
		warc_close(c.warc, &c.err);
	copy_spool_free(c.spool);
	cdxj_indexer_release(&c.cdxj);
	journal_close(&c.journal);
	if (c.rec.id)
		crawl_release(&c.crawl);
	arena_release(&c.arena);
	diag_list_release(&c.diags);
	strbuf_release(&err);
	strbuf_release(&c.archive);
	strbuf_release(&c.site_dir);
	strbuf_release(&c.work);
	strbuf_release(&c.journal_path);
	strbuf_release(&c.warc_path);
	strbuf_release(&c.name);
	strbuf_release(&c.root);
	strbuf_release(&c.wname);
	strbuf_release(&c.sha_warc);
	strbuf_release(&c.sha_cdxj);
	strbuf_release(&c.sha_wacz);
	strbuf_release(&c.err);
	return ret;
}
