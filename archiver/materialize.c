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
#include "common/xalloc.h"

#include <errno.h>
#include <string.h>

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
	/* the resource being rewritten */
	struct crawl_entry *cur;
	const char *base;
};

static int write_local(struct mat *m, const char *rel, const char *data, size_t len)
{
	struct strbuf path = STRBUF_INIT;
	char *slash;
	int ret = -1;
	if (path_join_safe(&path, m->opt->root, rel)) {
		strbuf_addf(m->err, "unsafe local path '%s'", rel);
		goto out;
	}
	slash = strrchr(path.buf, '/');
	*slash = '\0';
	if (mkdir_p(path.buf, 0755)) {
		strbuf_addf(m->err, "unable to create '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	*slash = '/';
	if (write_file(path.buf, data, len)) {
		strbuf_addf(m->err, "unable to write '%s': %s", path.buf, strerror(errno));
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
	struct mat *m = ud;
	struct strbuf abs = STRBUF_INIT;
	struct crawl_entry *target;
	const char *frag = strchr(raw, '#');
	int ret;
	(void)kind;
	if (raw[0] == '#' || url_resolve(m->base, raw, &abs)) {
		strbuf_release(&abs);
		return 0; /* same-page anchors, mailto: and the like stay */
	}
	target = crawl_final(m->c, crawl_lookup(m->c, abs.buf));
	if (target) {
		struct strbuf rel = STRBUF_INIT;
		/* file names keep URL escapes literally: the href must encode them */
		url_relative_path(m->cur->path, target->path, &rel);
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

static int write_html(struct mat *m, const char *body, size_t len, const char *content_type)
{
	struct strbuf utf8 = STRBUF_INIT, out = STRBUF_INIT, base = STRBUF_INIT;
	struct html_links hl;
	struct html_rewrite_opts ro;
	int ret;

	charset_to_utf8(body, len, charset_detect(body, len, content_type), &utf8);
	html_links_init(&hl);
	html_find_links(utf8.buf, utf8.len, &hl);
	m->base = m->cur->url;
	if (hl.base && !url_resolve(m->cur->url, hl.base, &base))
		m->base = base.buf;
	memset(&ro, 0, sizeof(ro));
	ro.rewrite = rewrite_link;
	ro.ud = m;
	m->stamp.original_url = m->cur->url;
	ro.stamp = &m->stamp;
	ro.neutralise = 1;
	ro.set_utf8 = 1;
	html_rewrite(utf8.buf, utf8.len, &ro, &out);
	ret = write_local(m, m->cur->path, out.buf, out.len);
	html_links_release(&hl);
	strbuf_release(&utf8);
	strbuf_release(&out);
	strbuf_release(&base);
	return ret;
}

/* Stylesheets are converted to UTF-8 like the pages that now link them as UTF-8. */
static int write_css(struct mat *m, const char *body, size_t len, const char *content_type)
{
	struct strbuf out = STRBUF_INIT, utf8 = STRBUF_INIT;
	int ret;
	m->base = m->cur->url;
	if (charset_to_utf8(body, len, css_charset_detect(body, len, content_type, NULL), &utf8))
		strbuf_add(&utf8, body, len);
	css_set_utf8(&utf8);
	css_rewrite(utf8.buf, utf8.len, rewrite_link, m, &out);
	strbuf_release(&utf8);
	ret = write_local(m, m->cur->path, out.buf, out.len);
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
static int write_resource(struct mat *m, const char *body, size_t len, const char *content_type)
{
	if (is_html_entry(m->cur))
		return write_html(m, body, len, content_type);
	if (is_css_entry(m->cur))
		return write_css(m, body, len, content_type);
	return write_local(m, m->cur->path, body, len);
}

/* Keep the decoded body of an HTML/CSS payload that revisits will need again. */
static void keep_raw(struct mat *m, const struct strbuf *body)
{
	long *n = m->cur->sha256 ? strmap_get(&m->twins, m->cur->sha256) : NULL;
	struct strbuf *copy;
	if (!n || *n < 2 || !(is_html_entry(m->cur) || is_css_entry(m->cur)) ||
	    strmap_get(&m->raw, m->cur->sha256))
		return;
	copy = xmalloc(sizeof(*copy));
	strbuf_init(copy, body->len);
	strbuf_addbuf(copy, body);
	strmap_put(&m->raw, m->cur->sha256, copy);
}

static int on_response(struct mat *m, const struct warc_record *r)
{
	const char *sep = memmem(r->block, r->block_len, "\r\n\r\n", 4);
	struct strbuf body = STRBUF_INIT, ct = STRBUF_INIT;
	const char *b, *content_type;
	size_t hlen, blen;
	int ret = 0;

	if (!sep)
		return 0;
	hlen = (size_t)(sep - r->block) + 4;
	b = r->block + hlen;
	blen = r->block_len - hlen;
	if (decode_body(m->cur->encoding, b, blen, (size_t)-1, &body)) {
		strbuf_release(&body);
		return 0; /* undecodable: the WARC still has it; no copy */
	}
	content_type = header_of(r->block, hlen, "Content-Type", &ct);
	ret = write_resource(m, body.buf, body.len, content_type);
	keep_raw(m, &body);
	if (!ret && r->payload_digest)
		strmap_put_new(&m->by_digest, r->payload_digest, m->cur->path);
	strbuf_release(&body);
	strbuf_release(&ct);
	return ret;
}

/* A revisit has no body: its copy is the earlier identical one. */
static int on_revisit(struct mat *m, const struct warc_record *r)
{
	const char *first = r->payload_digest ? strmap_get(&m->by_digest, r->payload_digest) : NULL;
	struct strbuf *raw = m->cur->sha256 ? strmap_get(&m->raw, m->cur->sha256) : NULL;
	struct strbuf src = STRBUF_INIT, dst = STRBUF_INIT;
	int ret = 0;
	if (raw)
		return write_resource(m, raw->buf, raw->len, NULL);
	if (!first || !strcmp(first, m->cur->path))
		return 0;
	path_join_safe(&src, m->opt->root, first);
	if (path_join_safe(&dst, m->opt->root, m->cur->path) == 0) {
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
	int revisit;
	if (!r->type || !r->target_uri)
		return 0;
	revisit = !strcmp(r->type, "revisit");
	if (!revisit && strcmp(r->type, "response"))
		return 0;
	m->cur = crawl_lookup(m->c, r->target_uri);
	if (!m->cur || !m->cur->path || m->cur->state != ENTRY_DONE)
		return 0;
	if ((revisit ? on_revisit(m, r) : on_response(m, r)) < 0) {
		m->failed = 1;
		return -1;
	}
	return 0;
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

int materialize(struct crawl *c, const struct materialize_options *opt, struct strbuf *err)
{
	struct mat m;
	int ret;
	memset(&m, 0, sizeof(m));
	m.c = c;
	m.opt = opt;
	m.err = err;
	strmap_init(&m.by_digest);
	strmap_init(&m.twins);
	strmap_init(&m.raw);
	count_twins(&m);
	strbuf_init(&m.date_iso, 0);
	strbuf_init(&m.date_cn, 0);
	date_fmt_iso(&opt->archive_date, &m.date_iso);
	date_fmt_cn(&opt->archive_date, &m.date_cn);
	m.stamp.date_iso = m.date_iso.buf;
	m.stamp.date_cn = m.date_cn.buf;
	m.stamp.index_url = opt->index_url;
	m.stamp.site_name = opt->site_name;
	ret = warc_read(opt->warc_path, on_record, &m, err);
	strmap_release(&m.by_digest);
	free_values(&m.twins, 0);
	free_values(&m.raw, 1);
	strbuf_release(&m.date_iso);
	strbuf_release(&m.date_cn);
	return ret || m.failed ? -1 : 0;
}
