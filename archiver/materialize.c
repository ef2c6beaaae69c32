#include "archiver/materialize.h"
#include "archiver/charset.h"
#include "archiver/crawl.h"
#include "archiver/css.h"
#include "archiver/decode.h"
#include "archiver/html.h"
#include "archiver/url.h"
#include "archiver/warc.h"
#include "common/fsutil.h"
#include "common/path.h"
#include "common/strbuf.h"
#include "common/strmap.h"
#include "common/workq.h"
#include "common/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_BACKLOG 64

struct mat {
	struct crawl *c;
	const struct materialize_options *opt;
	struct strmap by_digest;   /* payload digest -> local path */
	struct strmap twins;       /* sha256 of a payload served at several URLs -> count */
	struct strmap raw;         /* such an HTML/CSS payload's sha256 -> decoded body */
	struct strbuf *err;
	struct html_stamp stamp;
	struct strbuf date_iso, date_cn;
	int failed;
	struct workq *q;           /* responses being rewritten and written */
	struct revisit *revisits;  /* done last: they copy files the responses wrote */
	size_t nr_revisits, alloc_revisits;
};

/*
 * One resource to write.  Workers rewrite and write responses in
 * parallel: each job has its own state, and the shared crawl is only read.
 */
struct mjob {
	struct mat *m;
	struct crawl_entry *cur;
	struct url base;           /* what relative links resolve against */
	int have_base;
	char *block;               /* the response record's block (HTTP head + body) */
	size_t block_len;
	struct copy_spool *spool;  /* or its text is in the copy spool */
	char *payload_digest;
	int keep_raw;              /* hand the decoded body back for revisits */
	struct strmap *made_dirs;  /* the worker's: folders it created */
	struct strbuf raw;
	struct strbuf err;
	int ret;
};

struct revisit {
	struct crawl_entry *cur;
	char *payload_digest;
};

static void set_base(struct mjob *j, const char *abs)
{
	if (j->have_base)
		url_release(&j->base);
	j->have_base = !url_parse(abs, &j->base);
}

/*
 * Create the folder of a file to write, unless this thread did already:
 * mkdir_p() costs a system call per component, for every file.
 */
static int make_folder(struct mjob *j, const char *dir)
{
	struct strmap *made = j->made_dirs;
	if (made && strmap_get(made, dir))
		return 0;
	if (mkdir_p(dir, 0755))
		return -1;
	if (made)
		strmap_put(made, dir, (void *)1);
	return 0;
}

static int write_local(struct mjob *j, const char *rel, const char *data, size_t len)
{
	struct strbuf path = STRBUF_INIT;
	char *slash;
	int ret = -1;
	if (path_join_safe(&path, j->m->opt->root, rel)) {
		strbuf_addf(&j->err, "unsafe local path '%s'", rel);
		goto out;
	}
	slash = strrchr(path.buf, '/');
	*slash = '\0';
	if (make_folder(j, path.buf)) {
		strbuf_addf(&j->err, "unable to create '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	*slash = '/';
	if (write_file(path.buf, data, len)) {
		strbuf_addf(&j->err, "unable to write '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	strbuf_release(&path);
	return ret;
}

/*
 * A link in the copy: archived -> relative path (keeping its #fragment);
 * anything else -> the original's absolute URL, marked external.
 */
static int rewrite_link(void *ud, const char *raw, enum link_kind kind, struct strbuf *out)
{
	struct mjob *j = ud;
	struct strbuf abs = STRBUF_INIT;
	struct crawl_entry *target;
	const char *frag = strchr(raw, '#');
	int ret;
	(void)kind;
	if (raw[0] == '#' || !j->have_base || url_resolve_parsed(&j->base, raw, &abs)) {
		strbuf_release(&abs);
		return 0; /* same-page anchors, mailto: and the like stay */
	}
	target = crawl_final(j->m->c, crawl_lookup_normalized(j->m->c, abs.buf));
	if (target) {
		struct strbuf rel = STRBUF_INIT;
		/* file names keep URL escapes literally: the href must encode them */
		url_relative_path(j->cur->path, target->path, &rel);
		url_path_to_href(rel.buf, out);
		strbuf_release(&rel);
		if (frag)
			strbuf_addstr(out, frag);
		ret = 1;
	} else {
		strbuf_addbuf(out, &abs);
		if (frag)
			strbuf_addstr(out, frag);
		ret = 3;
	}
	strbuf_release(&abs);
	return ret;
}

static int write_html_utf8(struct mjob *j, const char *utf8, size_t len)
{
	struct strbuf out = STRBUF_INIT, base = STRBUF_INIT, href = STRBUF_INIT;
	struct html_rewrite_opts ro;
	struct html_stamp stamp = j->m->stamp;
	int ret;

	if (!html_find_base(utf8, len, &href) && !url_resolve(j->cur->url, href.buf, &base))
		set_base(j, base.buf);
	else
		set_base(j, j->cur->url);
	memset(&ro, 0, sizeof(ro));
	ro.rewrite = rewrite_link;
	ro.ud = j;
	stamp.original_url = j->cur->url;
	ro.stamp = &stamp;
	ro.neutralise = 1;
	ro.set_utf8 = 1;
	html_rewrite(utf8, len, &ro, &out);
	ret = write_local(j, j->cur->path, out.buf, out.len);
	strbuf_release(&href);
	strbuf_release(&out);
	strbuf_release(&base);
	return ret;
}

static int write_html(struct mjob *j, const char *body, size_t len, const char *content_type)
{
	struct strbuf utf8 = STRBUF_INIT;
	int ret;
	charset_to_utf8(body, len, charset_detect(body, len, content_type), &utf8);
	ret = write_html_utf8(j, utf8.buf, utf8.len);
	strbuf_release(&utf8);
	return ret;
}

/* Stylesheets are converted to UTF-8 like the pages that now link them as UTF-8. */
static int write_css(struct mjob *j, const char *body, size_t len, const char *content_type)
{
	struct strbuf out = STRBUF_INIT, utf8 = STRBUF_INIT;
	int ret;
	set_base(j, j->cur->url);
	if (charset_to_utf8(body, len, css_charset_detect(body, len, content_type, NULL), &utf8))
		strbuf_add(&utf8, body, len);
	css_set_utf8(&utf8);
	css_rewrite(utf8.buf, utf8.len, rewrite_link, j, &out);
	strbuf_release(&utf8);
	ret = write_local(j, j->cur->path, out.buf, out.len);
	strbuf_release(&out);
	return ret;
}

static const char *header_of(const char *head, size_t len, const char *name, struct strbuf *val)
{
	size_t i = 0, n = strlen(name);
	strbuf_reset(val);
	while (i < len) {
		const char *eol = memchr(head + i, '\n', len - i);
		size_t l = eol ? (size_t)(eol - head) - i : len - i;
		if (l > n && !strncasecmp(head + i, name, n) && head[i + n] == ':') {
			const char *v = head + i + n + 1;
			size_t vl = l - n - 1;
			while (vl && (*v == ' ' || *v == '\t'))
				v++, vl--;
			while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
				vl--;
			strbuf_add(val, v, vl);
			return val->buf;
		}
		i += l + 1;
	}
	return NULL;
}

static int is_html_entry(const struct crawl_entry *e)
{
	if (!e->content_type)
		return path_has_ext(e->path, ".html");
	return !strcmp(e->content_type, "text/html") || !strcmp(e->content_type, "application/xhtml+xml");
}

static int is_css_entry(const struct crawl_entry *e)
{
	return e->content_type && !strcmp(e->content_type, "text/css");
}

/*
 * Write the copy of the current resource from its decoded body.  HTML and
 * CSS are rewritten for where they live, so identical bytes at two URLs
 * make two different files.
 */
static int write_resource(struct mjob *j, const char *body, size_t len, const char *content_type)
{
	if (is_html_entry(j->cur))
		return write_html(j, body, len, content_type);
	if (is_css_entry(j->cur))
		return write_css(j, body, len, content_type);
	return write_local(j, j->cur->path, body, len);
}

/* Does a revisit need this HTML/CSS payload's decoded body again? */
static int wants_raw(struct mat *m, const struct crawl_entry *e)
{
	long *n = e->sha256 ? strmap_get(&m->twins, e->sha256) : NULL;
	return n && *n >= 2 && (is_html_entry(e) || is_css_entry(e)) &&
	       !strmap_get(&m->raw, e->sha256);
}

/* ---- the early copy: what the crawl hands over while bodies are in memory ---- */

struct copy_spool {
	char *root;                /* site/ */
	char *path;                /* the spool file */
	int fd;
	long long size;            /* bytes spooled */
	int failed;                /* a write failed: the rest is left to the WARC pass */
	pthread_mutex_t lock;      /* for everything below root */
	struct strmap made_dirs;
};

struct copy_spool *copy_spool_new(const char *root, const char *path, struct strbuf *err)
{
	struct copy_spool *s;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		strbuf_addf(err, "unable to create '%s': %s", path, strerror(errno));
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->root = xstrdup(root);
	s->path = xstrdup(path);
	s->fd = fd;
	pthread_mutex_init(&s->lock, NULL);
	strmap_init(&s->made_dirs);
	return s;
}

void copy_spool_free(struct copy_spool *s)
{
	if (!s)
		return;
	close(s->fd);
	unlink(s->path);
	pthread_mutex_destroy(&s->lock);
	strmap_release(&s->made_dirs);
	free(s->root);
	free(s->path);
	free(s);
}

static int pwritev_all(int fd, struct iovec *iov, int n, long long off)
{
	while (n) {
		ssize_t w = pwritev(fd, iov, n, off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += w;
		while (n && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/* Keep a record "KIND [TYPE NUL] TEXT" for the pass after the crawl. */
static void spool_text(struct copy_spool *s, struct crawl_entry *e, char kind, const char *type,
		       const char *text, size_t len)
{
	struct iovec iov[3];
	int i, n = 0, ok;
	size_t total = 0;
	iov[n].iov_base = &kind;
	iov[n++].iov_len = 1;
	if (type) {
		iov[n].iov_base = (char *)type;
		iov[n++].iov_len = strlen(type) + 1;
	}
	iov[n].iov_base = (char *)text;
	iov[n++].iov_len = len;
	for (i = 0; i < n; i++)
		total += iov[i].iov_len;
	pthread_mutex_lock(&s->lock);
	ok = !s->failed && !pwritev_all(s->fd, iov, n, s->size);
	if (ok) {
		e->spool_off = s->size;
		s->size += (long long)total;
	} else {
		s->failed = 1;
	}
	pthread_mutex_unlock(&s->lock);
	if (ok) {
		e->spool_len = total;
		e->early = EARLY_SPOOLED;
	}
}

/* Write a resource that links nowhere (an image, a PDF) at once. */
static void write_now(struct copy_spool *s, struct crawl_entry *e, const char *data, size_t len)
{
	struct strbuf path = STRBUF_INIT;
	char *slash;
	int ok = 0;
	if (path_join_safe(&path, s->root, e->path))
		goto out; /* the WARC pass reports it */
	slash = strrchr(path.buf, '/');
	*slash = '\0';
	pthread_mutex_lock(&s->lock);
	if (strmap_get(&s->made_dirs, path.buf) || !mkdir_p(path.buf, 0755)) {
		strmap_put(&s->made_dirs, path.buf, (void *)1);
		ok = 1;
	}
	pthread_mutex_unlock(&s->lock);
	*slash = '/';
	if (ok && !write_file(path.buf, data, len))
		e->early = EARLY_WRITTEN;
out:
	strbuf_release(&path);
}

void copy_spool_add(struct copy_spool *s, struct crawl_entry *e, const char *body, size_t len,
		    const struct strbuf *utf8, const char *content_type)
{
	if (is_html_entry(e)) {
		struct strbuf text = STRBUF_INIT;
		if (!utf8) {
			charset_to_utf8(body, len, charset_detect(body, len, content_type), &text);
			utf8 = &text;
		}
		spool_text(s, e, 'h', NULL, utf8->buf, utf8->len);
		strbuf_release(&text);
	} else if (is_css_entry(e)) {
		spool_text(s, e, 'c', content_type ? content_type : "", body, len);
	} else {
		write_now(s, e, body, len);
	}
}

static int pread_all(int fd, char *buf, size_t len, long long off)
{
	while (len) {
		ssize_t r = pread(fd, buf, len, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf += r;
		len -= (size_t)r;
		off += r;
	}
	return 0;
}

/* On a worker: a page or stylesheet from the spool, now that every link's fate is known. */
static void write_spooled(void *job, void *ctx)
{
	struct mjob *j = job;
	size_t n = j->cur->spool_len, tl;
	char *p = xmalloc(n + 1);
	const char *type;
	j->made_dirs = ctx;
	if (!n || pread_all(j->spool->fd, p, n, j->cur->spool_off)) {
		strbuf_addf(&j->err, "unable to read '%s': %s", j->spool->path,
			    n ? strerror(errno) : "empty record");
		j->ret = -1;
	} else if (p[0] == 'h') {
		j->ret = write_html_utf8(j, p + 1, n - 1);
	} else {
		p[n] = '\0';
		type = p + 1;
		tl = strlen(type);
		if (tl < n - 1)
			j->ret = write_css(j, type + tl + 1, n - 2 - tl, *type ? type : NULL);
	}
	free(p);
}

/* On a worker. */
static void write_response(void *job, void *ctx)
{
	struct mjob *j = job;
	const char *sep = memmem(j->block, j->block_len, "\r\n\r\n", 4);
	struct strbuf body = STRBUF_INIT, ct = STRBUF_INIT;
	size_t hlen;
	j->made_dirs = ctx;

	if (!sep)
		return;
	hlen = (size_t)(sep - j->block) + 4;
	if (decode_body(j->cur->encoding, j->block + hlen, j->block_len - hlen, (size_t)-1, &body)) {
		strbuf_release(&body);
		return; /* undecodable: the WARC still has it; no copy */
	}
	j->ret = write_resource(j, body.buf, body.len, header_of(j->block, hlen, "Content-Type", &ct));
	if (j->keep_raw)
		strbuf_swap(&j->raw, &body);
	strbuf_release(&body);
	strbuf_release(&ct);
}

static struct mjob *mjob_new(struct mat *m, struct crawl_entry *cur)
{
	struct mjob *j = xcalloc(1, sizeof(*j));
	j->m = m;
	j->cur = cur;
	strbuf_init(&j->raw, 0);
	strbuf_init(&j->err, 0);
	return j;
}

static void mjob_free(struct mjob *j)
{
	if (j->have_base)
		url_release(&j->base);
	free(j->block);
	free(j->payload_digest);
	strbuf_release(&j->raw);
	strbuf_release(&j->err);
	free(j);
}

/* On the owner: what later revisits need, and the first error. */
static void finish_response(struct mat *m, struct mjob *j)
{
	if (j->ret < 0) {
		if (!m->failed)
			strbuf_addbuf(m->err, &j->err);
		m->failed = 1;
	} else if (j->payload_digest) {
		strmap_put_new(&m->by_digest, j->payload_digest, j->cur->path);
	}
	if (j->keep_raw && j->raw.len && !strmap_get(&m->raw, j->cur->sha256)) {
		struct strbuf *copy = xmalloc(sizeof(*copy));
		strbuf_init(copy, 0);
		strbuf_swap(copy, &j->raw);
		strmap_put(&m->raw, j->cur->sha256, copy);
	}
	mjob_free(j);
}

static void drain(struct mat *m, int wait)
{
	struct mjob *j;
	while ((j = workq_pop(m->q, wait)))
		finish_response(m, j);
}

static void on_response(struct mat *m, struct crawl_entry *cur, const struct warc_record *r)
{
	struct mjob *j = mjob_new(m, cur);
	j->block = xmalloc(r->block_len + 1);
	memcpy(j->block, r->block, r->block_len);
	j->block[r->block_len] = '\0';
	j->block_len = r->block_len;
	j->payload_digest = r->payload_digest ? xstrdup(r->payload_digest) : NULL;
	j->keep_raw = wants_raw(m, cur);
	workq_push(m->q, j);
	/* a bounded backlog: bodies waiting for a worker are held in memory */
	while (workq_pending(m->q) >= MAX_BACKLOG)
		finish_response(m, workq_pop(m->q, 1));
	drain(m, 0);
}

/* A revisit has no body: its copy is the earlier identical one. */
static int write_revisit(struct mat *m, const struct revisit *rv)
{
	const char *first = rv->payload_digest ? strmap_get(&m->by_digest, rv->payload_digest) : NULL;
	struct strbuf *raw = rv->cur->sha256 ? strmap_get(&m->raw, rv->cur->sha256) : NULL;
	struct strbuf src = STRBUF_INIT, dst = STRBUF_INIT;
	int ret = 0;
	if (raw) {
		struct mjob *j = mjob_new(m, rv->cur);
		ret = write_resource(j, raw->buf, raw->len, NULL);
		if (ret)
			strbuf_addbuf(m->err, &j->err);
		mjob_free(j);
		return ret;
	}
	if (!first || !strcmp(first, rv->cur->path))
		return 0;
	path_join_safe(&src, m->opt->root, first);
	if (path_join_safe(&dst, m->opt->root, rv->cur->path) == 0) {
		char *slash = strrchr(dst.buf, '/');
		*slash = '\0';
		mkdir_p(dst.buf, 0755);
		*slash = '/';
		if (copy_file(src.buf, dst.buf)) {
			strbuf_addf(m->err, "unable to copy '%s': %s", src.buf, strerror(errno));
			ret = -1;
		}
	}
	strbuf_release(&src);
	strbuf_release(&dst);
	return ret;
}

static int on_record(void *ud, const struct warc_record *r)
{
	struct mat *m = ud;
	struct crawl_entry *cur;
	int revisit;
	if (m->opt->each_record && m->opt->each_record(m->opt->each_record_ud, r)) {
		m->failed = 1;
		return -1;
	}
	if (!r->type || !r->target_uri)
		return 0;
	revisit = !strcmp(r->type, "revisit");
	if (!revisit && strcmp(r->type, "response"))
		return 0;
	cur = crawl_lookup(m->c, r->target_uri); /* another tool may have written the WARC */
	if (!cur || !cur->path || cur->state != ENTRY_DONE)
		return 0;
	if (cur->early) {
		/* copied during the crawl; a twin may still need its text */
		if (!revisit && r->payload_digest)
			strmap_put_new(&m->by_digest, r->payload_digest, cur->path);
		if (revisit || !wants_raw(m, cur))
			return 0;
	}
	if (revisit) {
		ALLOC_GROW(m->revisits, m->nr_revisits + 1, m->alloc_revisits);
		m->revisits[m->nr_revisits].cur = cur;
		m->revisits[m->nr_revisits].payload_digest =
			r->payload_digest ? xstrdup(r->payload_digest) : NULL;
		m->nr_revisits++;
	} else {
		on_response(m, cur, r);
	}
	return m->failed ? -1 : 0;
}

static void write_revisits(struct mat *m)
{
	size_t i;
	for (i = 0; i < m->nr_revisits; i++) {
		if (!m->failed && write_revisit(m, &m->revisits[i]))
			m->failed = 1;
		free(m->revisits[i].payload_digest);
	}
	free(m->revisits);
}

static void *made_dirs_new(void)
{
	struct strmap *map = xmalloc(sizeof(*map));
	strmap_init(map);
	return map;
}

static void made_dirs_free(void *map)
{
	strmap_release(map);
	free(map);
}

static void count_twins(struct mat *m)
{
	size_t i;
	for (i = 0; i < m->c->nr_entries; i++) {
		struct crawl_entry *e = m->c->entries[i];
		long *n;
		if (!e->path || !e->sha256)
			continue;
		n = strmap_get(&m->twins, e->sha256);
		if (!n) {
			n = xcalloc(1, sizeof(*n));
			strmap_put(&m->twins, e->sha256, n);
		}
		++*n;
	}
}

static void free_values(struct strmap *map, int bufs)
{
	size_t i;
	for (i = 0; i < map->cap; i++) {
		if (bufs && map->slots[i].val)
			strbuf_release(map->slots[i].val);
		free(map->slots[i].val);
	}
	strmap_release(map);
}

/* Pages and stylesheets kept in the spool during the crawl, rewritten by the workers. */
static void write_spool(struct mat *m, struct copy_spool *s)
{
	struct workq *q;
	struct mjob *j;
	size_t i;
	if (!s || s->size <= 0)
		return;
	q = workq_new(m->opt->workers ? m->opt->workers : workq_default_threads(8), write_spooled,
		      made_dirs_new, made_dirs_free, NULL, NULL);
	for (i = 0; i < m->c->nr_entries; i++) {
		struct crawl_entry *e = m->c->entries[i];
		if (e->early != EARLY_SPOOLED)
			continue;
		j = mjob_new(m, e);
		j->spool = s;
		workq_push(q, j);
	}
	while ((j = workq_pop(q, 1)))
		finish_response(m, j);
	workq_free(q);
}

/* Is there an archived resource that the crawl did not copy (a resumed capture)? */
static int copy_incomplete(const struct crawl *c)
{
	size_t i;
	for (i = 0; i < c->nr_entries; i++) {
		const struct crawl_entry *e = c->entries[i];
		if (e->state == ENTRY_DONE && e->path && !e->early)
			return 1;
	}
	return 0;
}

int materialize(struct crawl *c, const struct materialize_options *opt, struct strbuf *err)
{
	struct mat m;
	int ret = 0;
	memset(&m, 0, sizeof(m));
	m.c = c;
	m.opt = opt;
	m.err = err;
	strmap_init(&m.by_digest);
	strmap_init(&m.twins);
	strmap_init(&m.raw);
	strbuf_init(&m.date_iso, 0);
	strbuf_init(&m.date_cn, 0);
	date_fmt_iso(&opt->archive_date, &m.date_iso);
	date_fmt_cn(&opt->archive_date, &m.date_cn);
	m.stamp.date_iso = m.date_iso.buf;
	m.stamp.date_cn = m.date_cn.buf;
	m.stamp.index_url = opt->index_url;
	m.stamp.site_name = opt->site_name;
	write_spool(&m, opt->spool);
	if (!m.failed && (opt->each_record || copy_incomplete(c))) {
		count_twins(&m);
		m.q = workq_new(opt->workers ? opt->workers : workq_default_threads(8),
				write_response, made_dirs_new, made_dirs_free, NULL, NULL);
		ret = warc_read(opt->warc_path, on_record, &m, err);
		drain(&m, 1);
		workq_free(m.q);
		write_revisits(&m);
	}
	strmap_release(&m.by_digest);
	free_values(&m.twins, 0);
	free_values(&m.raw, 1);
	strbuf_release(&m.date_iso);
	strbuf_release(&m.date_cn);
	return ret || m.failed ? -1 : 0;
}
