#include "archiver/crawl.h"
#include "archiver/cdxj.h"
#include "archiver/charset.h"
#include "archiver/css.h"
#include "archiver/decode.h"
#include "archiver/digest.h"
#include "archiver/fetch.h"
#include "archiver/html.h"
#include "archiver/journal.h"
#include "archiver/materialize.h"
#include "archiver/url.h"
#include "archiver/warc.h"
#include "cli/commands.h"
#include "common/date.h"
#include "common/siterec.h"
#include "common/strbuf.h"
#include "common/workq.h"
#include "common/xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_ATTEMPTS 3
#define SYNC_EVERY 64

static long long now_us(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

/* "http://HOST/" and "https://HOST/" for the canonical host, normalised. */
static void make_canon_prefixes(struct crawl *c)
{
	static const char *const schemes[] = { "http", "https" };
	struct strbuf raw = STRBUF_INIT, norm = STRBUF_INIT;
	size_t i;
	for (i = 0; c->rec->nr_hosts && i < 2; i++) {
		strbuf_reset(&raw);
		strbuf_reset(&norm);
		strbuf_addf(&raw, "%s://%s/", schemes[i], c->rec->hosts[0]);
		if (!url_normalize(raw.buf, &norm))
			c->canon_prefix[i] = strbuf_detach(&norm, NULL);
	}
	strbuf_release(&raw);
	strbuf_release(&norm);
}

void crawl_init(struct crawl *c, const struct site_record *rec)
{
	memset(c, 0, sizeof(*c));
	c->rec = rec;
	strmap_init(&c->seen);
	url_hosts_init(&c->hosts, c->rec->hosts, c->rec->nr_hosts);
	make_canon_prefixes(c);
	strmap_init(&c->shapes);
	c->started_us = now_us();
	c->user_agent = xstrdup("jiyue/" JIYUE_VERSION " (archiver for government website consolidation)");
}

static void entry_free(struct crawl_entry *e)
{
	free(e->url);
	free(e->origin);
	free(e->content_type);
	free(e->encoding);
	free(e->sha256);
	free(e->redirect);
	free(e->error);
	free(e->path);
	free(e->newest);
	free(e->modified);
	free(e->title);
	free(e);
}

void crawl_release(struct crawl *c)
{
	size_t i;
	for (i = 0; i < c->nr_entries; i++)
		entry_free(c->entries[i]);
	free(c->entries);
	for (i = 0; i < c->shapes.cap; i++)
		free(c->shapes.slots[i].val);
	strmap_release(&c->shapes);
	strmap_release(&c->seen);
	url_hosts_release(&c->hosts);
	free(c->canon_prefix[0]);
	free(c->canon_prefix[1]);
	for (i = 0; i < c->nr_traps; i++) {
		free(c->traps[i].rule);
		free(c->traps[i].example);
	}
	free(c->traps);
	free(c->user_agent);
}

int crawl_canonical(const struct crawl *c, const char *abs, struct strbuf *out)
{
	const struct site_record *r = c->rec;
	return url_canonical_in(abs, r->query_params_given ? r->query_params : NULL,
				r->query_params_given ? r->nr_query_params : 0, &c->hosts, out);
}

/*
 * A normalised URL (url_resolve()'s output) on the site's canonical host
 * without a query is canonical already: most links of a crawl are, and
 * parsing them again is a good part of its time.
 */
static int canonical_as_is(const struct crawl *c, const char *norm)
{
	size_t i;
	if (strchr(norm, '?'))
		return 0;
	for (i = 0; i < 2; i++)
		if (c->canon_prefix[i] && !strncmp(norm, c->canon_prefix[i], strlen(c->canon_prefix[i])))
			return 1;
	return 0;
}

int crawl_canonical_normalized(const struct crawl *c, const char *norm, struct strbuf *out)
{
	if (canonical_as_is(c, norm)) {
		strbuf_addstr(out, norm);
		return 0;
	}
	return crawl_canonical(c, norm, out);
}

struct crawl_entry *crawl_lookup(struct crawl *c, const char *abs_url)
{
	struct strbuf key = STRBUF_INIT;
	struct crawl_entry *e = NULL;
	if (!crawl_canonical(c, abs_url, &key))
		e = strmap_get(&c->seen, key.buf);
	strbuf_release(&key);
	return e;
}

struct crawl_entry *crawl_lookup_normalized(struct crawl *c, const char *norm)
{
	struct strbuf key = STRBUF_INIT;
	struct crawl_entry *e = NULL;
	if (canonical_as_is(c, norm))
		return strmap_get(&c->seen, norm);
	if (!crawl_canonical(c, norm, &key))
		e = strmap_get(&c->seen, key.buf);
	strbuf_release(&key);
	return e;
}


struct crawl_entry *crawl_final(struct crawl *c, struct crawl_entry *e)
{
	int hops;
	for (hops = 0; e && hops < 10; hops++) {
		if (e->state != ENTRY_DONE)
			return NULL;
		if (e->status >= 200 && e->status < 300 && e->path)
			return e;
		if (e->status >= 300 && e->status < 400 && e->redirect)
			e = crawl_lookup_normalized(c, e->redirect);
		else
			return NULL;
	}
	return NULL; /* a redirect loop or a chain too long */
}

static int host_in_scope(const struct crawl *c, const char *abs)
{
	struct strbuf hp = STRBUF_INIT;
	size_t i;
	int in = 0;
	if (!url_hostport(abs, &hp))
		for (i = 0; i < c->rec->nr_hosts && !in; i++)
			in = !strcmp(hp.buf, c->rec->hosts[i]);
	strbuf_release(&hp);
	return in;
}

static void report_trap(struct crawl *c, const char *rule, const char *url)
{
	size_t i;
	for (i = 0; i < c->nr_traps; i++)
		if (!strcmp(c->traps[i].rule, rule)) {
			c->traps[i].count++;
			return;
		}
	ALLOC_GROW(c->traps, c->nr_traps + 1, c->alloc_traps);
	c->traps[c->nr_traps].rule = xstrdup(rule);
	c->traps[c->nr_traps].example = xstrdup(url);
	c->traps[c->nr_traps].count = 1;
	c->nr_traps++;
}

/* Heritrix's pathological path: the same segment three times in a row. */
static int repeated_segments(const char *url)
{
	const char *p = strstr(url, "://"), *prev = NULL, *seg;
	size_t prev_len = 0;
	int run = 1;
	if (!p)
		return 0;
	p = strchr(p + 3, '/');
	while (p && *p == '/') {
		size_t len;
		seg = p + 1;
		len = strcspn(seg, "/?");
		if (prev && len && len == prev_len && !memcmp(seg, prev, len)) {
			if (++run >= 3)
				return 1;
		} else {
			run = 1;
		}
		prev = seg;
		prev_len = len;
		p = seg + len;
	}
	return 0;
}

/* Count one more URL of a shape; 1 when the shape is over its limit. */
static int over_shape(struct crawl *c, const char *key, long limit)
{
	long *n = strmap_get(&c->shapes, key);
	if (!n) {
		n = xcalloc(1, sizeof(*n));
		strmap_put(&c->shapes, key, n);
	}
	return ++*n > limit;
}

/* The URL with every run of digits folded to '#': /cal?m=12 -> /cal?m=# */
static void shape_of(const char *url, struct strbuf *shape)
{
	const char *p;
	for (p = url; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			strbuf_addch(shape, '#');
			while (isdigit((unsigned char)p[1]))
				p++;
		} else {
			strbuf_addch(shape, *p);
		}
	}
}

/* Pages of one shape in a row: 0 when the parent has another shape. */
static int shape_chain(const struct crawl_entry *parent, const char *url)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	int chain = 0;
	if (parent) {
		shape_of(parent->url, &a);
		shape_of(url, &b);
		if (!strcmp(a.buf, b.buf))
			chain = parent->chain + 1;
	}
	strbuf_release(&a);
	strbuf_release(&b);
	return chain;
}

static const char *trap_rule(struct crawl *c, const char *url, int chain)
{
	struct strbuf shape = STRBUF_INIT, path = STRBUF_INIT;
	const char *rule = NULL;
	if (repeated_segments(url))
		return "a path segment repeats (pathological path)";
	if (chain > TRAP_CHAIN)
		return "an endless chain of pages of one shape (calendar or \"next\" trap)";
	strbuf_addstr(&shape, "s:");
	shape_of(url, &shape);
	strbuf_addstr(&path, "q:");
	strbuf_add(&path, url, strcspn(url, "?"));
	if (strchr(url, '?') && over_shape(c, path.buf, TRAP_QUERIES))
		rule = "too many query variations of one path";
	else if (over_shape(c, shape.buf, TRAP_SHAPE))
		rule = "too many URLs of one shape";
	strbuf_release(&shape);
	strbuf_release(&path);
	return rule;
}

static void journal_queue(struct crawl *c, const struct crawl_entry *e)
{
	json_t *j;
	if (!c->journal)
		return;
	j = json_pack("{s:s,s:s,s:s,s:i,s:i,s:s}", "t", "queue", "url", e->url, "origin", e->origin,
		      "depth", e->depth, "chain", e->chain, "kind", e->requisite ? "requisite" : "page");
	journal_append(c->journal, j);
	json_decref(j);
}

static struct crawl_entry *new_entry(struct crawl *c, const char *canonical, const char *origin,
				     int depth, int requisite)
{
	struct crawl_entry *e = xcalloc(1, sizeof(*e));
	e->url = xstrdup(canonical);
	e->origin = xstrdup(origin ? origin : canonical);
	e->depth = depth;
	e->requisite = requisite;
	strmap_put(&c->seen, canonical, e);
	ALLOC_GROW(c->entries, c->nr_entries + 1, c->alloc_entries);
	c->entries[c->nr_entries++] = e;
	return e;
}

/* Decide about a discovered absolute URL; queue it if it is to be fetched. */
static void add_link(struct crawl *c, const struct crawl_entry *parent, const char *abs,
		     int depth, int requisite)
{
	struct strbuf key = STRBUF_INIT;
	const struct site_limits *lim = &c->rec->limits;
	const char *rule;
	int chain;

	/* links and redirects come from url_resolve(): normalised; seeds do not */
	if (parent ? crawl_canonical_normalized(c, abs, &key) : crawl_canonical(c, abs, &key))
		goto out;
	if (strmap_get(&c->seen, key.buf))
		goto out;
	if (!requisite && !host_in_scope(c, key.buf)) {
		c->skipped_scope++;
		goto out;
	}
	if ((long)key.len > lim->url_length) {
		report_trap(c, "URL longer than the limit", key.buf);
		goto out;
	}
	if (!requisite && depth > lim->depth) {
		report_trap(c, "deeper than the depth limit", key.buf);
		c->skipped_limit++;
		goto out;
	}
	if ((long)c->nr_entries >= lim->pages) {
		report_trap(c, "page limit reached", key.buf);
		c->skipped_limit++;
		goto out;
	}
	chain = requisite ? 0 : shape_chain(parent, key.buf);
	rule = trap_rule(c, key.buf, chain);
	if (rule) {
		report_trap(c, rule, key.buf);
		goto out;
	}
	{
		struct crawl_entry *e = new_entry(c, key.buf, abs, depth, requisite);
		e->chain = chain;
		journal_queue(c, e);
	}
out:
	strbuf_release(&key);
}

void crawl_seed(struct crawl *c)
{
	size_t i;
	for (i = 0; i < c->rec->nr_start; i++)
		add_link(c, NULL, c->rec->start[i], 0, 0);
}

/* ---- replay ---- */

static char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? xstrdup(s) : NULL;
}

void crawl_replay(struct crawl *c, void *json_rec)
{
	json_t *r = json_rec;
	const char *t = json_string_value(json_object_get(r, "t"));
	const char *url = json_string_value(json_object_get(r, "url"));
	struct crawl_entry *e;
	if (!t || !url)
		return;
	e = strmap_get(&c->seen, url);
	if (!strcmp(t, "queue") && !e) {
		const char *kind = json_string_value(json_object_get(r, "kind"));
		e = new_entry(c, url, json_string_value(json_object_get(r, "origin")),
			      (int)json_integer_value(json_object_get(r, "depth")),
			      kind && !strcmp(kind, "requisite"));
		e->chain = (int)json_integer_value(json_object_get(r, "chain"));
	} else if (!strcmp(t, "done") && e) {
		e->state = ENTRY_DONE;
		e->status = (long)json_integer_value(json_object_get(r, "status"));
		e->content_type = jstr(r, "content_type");
		e->encoding = jstr(r, "encoding");
		e->size = json_integer_value(json_object_get(r, "size"));
		e->sha256 = jstr(r, "sha256");
		e->redirect = jstr(r, "redirect");
		e->error = jstr(r, "error");
		e->fetch_us = json_integer_value(json_object_get(r, "fetch_us"));
		e->path = jstr(r, "path");
		e->newest = jstr(r, "newest");
		e->modified = jstr(r, "modified");
		e->title = jstr(r, "title");
		c->done++;
		if (e->error || e->status >= 400 || !e->status)
			c->failed++;
		c->bytes += e->size;
	}
}

/* ---- fetching ---- */

struct run {
	struct crawl *c;
	struct fetcher *f;
	struct workq *q;            /* finished transfers being processed */
	size_t max_jobs;            /* stop starting transfers beyond this backlog */
	int failed_io;
	struct strmap last_request; /* host -> time of its last request (delay) */
};

static int pick_and_start(struct run *r, struct crawl_entry *e, long long now)
{
	struct crawl *c = r->c;
	if (c->rec->limits.delay_ms > 0) {
		struct strbuf host = STRBUF_INIT;
		long long *last;
		url_hostport(e->url, &host);
		last = strmap_get(&r->last_request, host.buf);
		if (last && now - *last < c->rec->limits.delay_ms * 1000LL) {
			strbuf_release(&host);
			return 0;
		}
		if (!last) {
			last = xcalloc(1, sizeof(*last));
			strmap_put(&r->last_request, host.buf, last);
		}
		*last = now;
		strbuf_release(&host);
	}
	e->state = ENTRY_RUNNING;
	e->attempts++;
	c->running++;
	fetcher_add(r->f, e->url, e);
	return 1;
}

static void fill(struct run *r)
{
	struct crawl *c = r->c;
	size_t max = (size_t)c->rec->limits.concurrency * (c->rec->nr_hosts + 1);
	long long now = now_us();
	size_t i;
	int all_done_before = 1;

	if (max > 64)
		max = 64;
	if (workq_pending(r->q) >= r->max_jobs)
		return; /* the workers are behind: bodies would pile up in memory */
	for (i = c->next_queued; i < c->nr_entries && c->running < max; i++) {
		struct crawl_entry *e = c->entries[i];
		if (e->state != ENTRY_QUEUED) {
			if (all_done_before)
				c->next_queued = i + 1;
			continue;
		}
		all_done_before = 0;
		if (e->not_before_us > now)
			continue;
		pick_and_start(r, e, now);
	}
}

static int has_queued(const struct crawl *c)
{
	size_t i;
	for (i = c->next_queued; i < c->nr_entries; i++)
		if (c->entries[i]->state == ENTRY_QUEUED)
			return 1;
	return 0;
}

/* "text/html; charset=gbk" -> "text/html" */
static char *mime_of(const char *content_type)
{
	size_t n;
	char *m, *p;
	if (!content_type)
		return NULL;
	n = strcspn(content_type, ";");
	while (n && content_type[n - 1] == ' ')
		n--;
	m = xstrndup(content_type, n);
	for (p = m; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return m;
}

static int is_html(const char *mime, const char *body, size_t len)
{
	size_t i = 0;
	if (mime)
		return !strcmp(mime, "text/html") || !strcmp(mime, "application/xhtml+xml");
	while (i < len && isspace((unsigned char)body[i]))
		i++;
	return len - i > 5 && (!strncasecmp(body + i, "<!doctype", 9) || !strncasecmp(body + i, "<html", 5));
}

static int is_css(const char *mime, const char *url)
{
	size_t n = strcspn(url, "?");
	if (mime)
		return !strcmp(mime, "text/css");
	return n > 4 && !strncasecmp(url + n - 4, ".css", 4);
}

/*
 * The links of one resource, resolved on a worker; the owner then offers
 * them to the frontier in document order.
 */
struct links {
	struct url base;        /* parsed once per resource */
	int have_base;
	struct strbuf abs;
	char **out;             /* absolute URLs (the WARC's outlinks), each once per kind */
	unsigned char *requisite;
	size_t nr, alloc, alloc_req;
	struct strmap kinds;    /* URL -> kinds found: 1 page, 2 requisite */
};

static void found(struct links *l, const char *raw, int requisite)
{
	uintptr_t kinds, kind = requisite ? 2 : 1;
	strbuf_reset(&l->abs);
	if (!l->have_base || url_resolve_parsed(&l->base, raw, &l->abs))
		return;
	/* a page links the same URL many times (menus, pagers): once is enough */
	kinds = (uintptr_t)strmap_get(&l->kinds, l->abs.buf);
	if (kinds & kind)
		return;
	strmap_put(&l->kinds, l->abs.buf, (void *)(kinds | kind));
	ALLOC_GROW(l->out, l->nr + 1, l->alloc);
	ALLOC_GROW(l->requisite, l->nr + 1, l->alloc_req);
	l->requisite[l->nr] = (unsigned char)requisite;
	l->out[l->nr++] = xstrdup(l->abs.buf);
}

static void links_set_base(struct links *l, const char *abs)
{
	if (l->have_base)
		url_release(&l->base);
	l->have_base = !url_parse(abs, &l->base);
}

static void links_release(struct links *l)
{
	size_t i;
	if (l->have_base)
		url_release(&l->base);
	for (i = 0; i < l->nr; i++)
		free(l->out[i]);
	free(l->out);
	free(l->requisite);
	strbuf_release(&l->abs);
	strmap_release(&l->kinds);
}

static void found_css(void *ud, const char *url, size_t start, size_t end)
{
	(void)start;
	(void)end;
	found(ud, url, 1);
}

/* Newest of two YYYY-MM-DD strings (either may be NULL). */
static void keep_newest(char **slot, const char *date)
{
	if (date && (!*slot || strcmp(date, *slot) > 0)) {
		free(*slot);
		*slot = xstrdup(date);
	}
}

static void scan_html(struct crawl_entry *e, struct links *l, const char *body, size_t len,
		      const char *content_type, struct strbuf *utf8)
{
	struct strbuf base = STRBUF_INIT, title = STRBUF_INIT;
	struct html_links hl;
	/* "valid until 2030" is not an update: only dates up to today count */
	struct cdate d, today = date_from_epoch(now_us() / 1000000);
	size_t i;
	int dated;

	charset_to_utf8(body, len, charset_detect(body, len, content_type), utf8);
	html_links_init(&hl);
	html_find_links_dated(utf8->buf, utf8->len, &hl, &today, &d, &dated);
	if (hl.base && !url_resolve(e->url, hl.base, &base))
		links_set_base(l, base.buf);
	for (i = 0; i < hl.nr; i++)
		found(l, hl.items[i].url, hl.items[i].kind == LINK_REQUISITE);
	if (dated) {
		struct strbuf iso = STRBUF_INIT;
		date_fmt_iso(&d, &iso);
		keep_newest(&e->newest, iso.buf);
		strbuf_release(&iso);
	}
	if (!html_title(utf8->buf, utf8->len, &title) && title.len)
		e->title = strbuf_detach(&title, NULL);
	links_set_base(l, e->url);
	html_links_release(&hl);
	strbuf_release(&base);
	strbuf_release(&title);
}

/*
 * Find the links of a page or stylesheet.  The decoded body (and a page's
 * UTF-8 text) are handed back for the early copy.  0, or -1 when the body
 * could not be decoded.
 */
static int scan_links(struct crawl *c, struct crawl_entry *e, struct fetch_result *res,
		      struct links *l, struct strbuf *body, struct strbuf *utf8)
{
	if (decode_body(res->content_encoding, res->body.buf, res->body.len,
			(size_t)c->rec->limits.size * 4, body)) {
		free(e->error);
		e->error = xstrdup("unable to decode the content encoding");
		return -1;
	}
	if (is_html(e->content_type, body->buf, body->len))
		scan_html(e, l, body->buf, body->len, res->content_type, utf8);
	else if (is_css(e->content_type, e->url))
		css_find_urls(body->buf, body->len, found_css, l);
	return 0;
}

/* n digits at *p, advancing; -1 if they are not there. */
static int fixed_digits(const char **p, int n)
{
	int v = 0;
	while (n--) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (*(*p)++ - '0');
	}
	return v;
}

/*
 * "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110's IMF-fixdate) as Unix time;
 * -1 if not one.  By hand: strptime() and timegm() cost more than the rest
 * of a small resource's bookkeeping.
 */
static int parse_http_date(const char *s, int64_t *t)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	const char *p = strchr(s, ',');
	struct cdate d;
	int hh, mm, ss, i;
	char mon[3];
	if (!p)
		return -1;
	for (p++; *p == ' '; p++)
		;
	d.day = fixed_digits(&p, 2);
	if (d.day < 0 || *p++ != ' ')
		return -1;
	for (i = 0; i < 3; i++) {
		if (!p[i])
			return -1;
		mon[i] = (char)tolower((unsigned char)p[i]);
	}
	p += 3;
	for (i = 0; i < 12 && memcmp(months + 3 * i, mon, 3); i++)
		;
	d.month = i + 1;
	if (i == 12 || *p++ != ' ' || (d.year = fixed_digits(&p, 4)) < 0 || *p++ != ' ' ||
	    (hh = fixed_digits(&p, 2)) < 0 || *p++ != ':' || (mm = fixed_digits(&p, 2)) < 0 ||
	    *p++ != ':' || (ss = fixed_digits(&p, 2)) < 0 || strncmp(p, " GMT", 4))
		return -1;
	if (!date_valid(&d) || hh > 23 || mm > 59 || ss > 60)
		return -1;
	*t = date_to_days(&d) * 86400 + hh * 3600 + mm * 60 + ss;
	return 0;
}

static void last_modified_date(struct crawl_entry *e, const char *lm)
{
	struct strbuf iso = STRBUF_INIT;
	struct cdate d;
	int64_t t;
	if (!lm || parse_http_date(lm, &t))
		return;
	d = date_from_epoch(t);
	date_fmt_iso(&d, &iso);
	keep_newest(&e->modified, iso.buf);
	strbuf_release(&iso);
}

/* On a worker: the WARC records of the exchange, compressed, for the owner to append. */
static int build_warc(struct crawl *c, struct warc_deflater *z, struct crawl_entry *e,
		      struct fetch_result *res, struct links *l, struct warc_built *wb,
		      struct strbuf *err)
{
	struct warc_exchange x;
	memset(&x, 0, sizeof(x));
	x.target_uri = e->url;
	x.ip = res->ip;
	x.time_us = res->time_us;
	x.request = res->request.buf;
	x.request_len = res->request.len;
	x.resp_head = res->head.buf;
	x.resp_head_len = res->head.len;
	x.body = res->body.buf;
	x.body_len = res->body.len;
	x.outlinks = (const char *const *)l->out;
	x.nr_outlinks = l->nr;
	x.outlink_embed = l->requisite;
	return warc_build_exchange(c->warc, z, &x, wb, err);
}

static void journal_done(struct crawl *c, const struct crawl_entry *e)
{
	json_t *j = json_object();
#define PUT_S(k, v) if (v) json_object_set_new(j, k, json_string(v))
	json_object_set_new(j, "t", json_string("done"));
	json_object_set_new(j, "url", json_string(e->url));
	json_object_set_new(j, "status", json_integer(e->status));
	PUT_S("content_type", e->content_type);
	PUT_S("encoding", e->encoding);
	json_object_set_new(j, "size", json_integer(e->size));
	PUT_S("sha256", e->sha256);
	PUT_S("redirect", e->redirect);
	PUT_S("error", e->error);
	json_object_set_new(j, "fetch_us", json_integer(e->fetch_us));
	PUT_S("path", e->path);
	PUT_S("newest", e->newest);
	PUT_S("modified", e->modified);
	PUT_S("title", e->title);
	json_object_set_new(j, "warc_end", json_integer(warc_offset(c->warc)));
#undef PUT_S
	journal_append(c->journal, j);
	json_decref(j);
	if (c->journal->since_sync >= SYNC_EVERY) {
		/* the WARC first: a journaled offset must never exceed what is on disk */
		struct strbuf err = STRBUF_INIT;
		if (!warc_sync(c->warc, &err))
			journal_sync(c->journal);
		strbuf_release(&err);
	}
}

static int retry_later(struct crawl *c, struct crawl_entry *e, struct fetch_result *res)
{
	int transient = (res->curl_code && !res->too_large) || res->status >= 500;
	size_t i;
	if (!transient || e->attempts >= MAX_ATTEMPTS)
		return 0;
	e->state = ENTRY_QUEUED;
	e->not_before_us = now_us() + (500000LL << (e->attempts - 1));
	for (i = 0; i < c->nr_entries; i++)
		if (c->entries[i] == e && i < c->next_queued)
			c->next_queued = i;
	return 1;
}

static void record_result(struct crawl *c, struct crawl_entry *e, struct fetch_result *res)
{
	struct strbuf sb = STRBUF_INIT;
	e->status = res->status;
	e->fetch_us = res->time_us;
	e->content_type = mime_of(res->content_type);
	e->encoding = res->content_encoding ? xstrdup(res->content_encoding) : NULL;
	e->size = (long long)res->body.len;
	if (res->curl_code)
		e->error = xstrdup(res->error ? res->error : "transfer failed");
	if (res->status >= 300 && res->status < 400 && res->location) {
		if (!url_resolve(e->url, res->location, &sb))
			e->redirect = xstrdup(sb.buf);
		else
			e->error = xstrdup("redirect to a non-http URL");
	}
	strbuf_reset(&sb);
	digest_sha256_hex(res->body.buf, res->body.len, &sb);
	e->sha256 = strbuf_detach(&sb, NULL);
	if (!res->curl_code && res->status >= 200 && res->status < 300 &&
	    !url_local_path(e->url, e->content_type, &sb))
		e->path = strbuf_detach(&sb, NULL);
	last_modified_date(e, res->last_modified);
	strbuf_release(&sb);
}

/*
 * A finished transfer on its way through a worker.  The worker writes the
 * entry's results and builds the WARC records; until the owner takes the
 * job back, the owner reads nothing of the entry but its URL.
 */
struct job {
	struct crawl *c;
	struct crawl_entry *e;
	struct fetch_result res;    /* owns its buffers and strings */
	char *strs[6];
	struct links l;
	struct warc_built wb;
	int built;                  /* wb holds records to append */
	struct strbuf err;
};

static const char *own(struct job *j, int slot, const char *s)
{
	return j->strs[slot] = s ? xstrdup(s) : NULL;
}

static void move_strbuf(struct strbuf *dst, struct strbuf *src)
{
	*dst = *src;
	strbuf_init(src, 0);
}

/* Take the result over from the fetcher, which frees its copy on return. */
static struct job *job_new(struct crawl *c, struct crawl_entry *e, struct fetch_result *res)
{
	struct job *j = xcalloc(1, sizeof(*j));
	j->c = c;
	j->e = e;
	j->res = *res;
	move_strbuf(&j->res.request, &res->request);
	move_strbuf(&j->res.head, &res->head);
	move_strbuf(&j->res.body, &res->body);
	j->res.url = e->url;
	j->res.error = own(j, 0, res->error);
	j->res.ip = own(j, 1, res->ip);
	j->res.content_type = own(j, 2, res->content_type);
	j->res.location = own(j, 3, res->location);
	j->res.content_encoding = own(j, 4, res->content_encoding);
	j->res.last_modified = own(j, 5, res->last_modified);
	strbuf_init(&j->l.abs, 0);
	strmap_init(&j->l.kinds);
	warc_built_init(&j->wb);
	strbuf_init(&j->err, 0);
	return j;
}

static void job_free(struct job *j)
{
	size_t i;
	strbuf_release(&j->res.request);
	strbuf_release(&j->res.head);
	strbuf_release(&j->res.body);
	for (i = 0; i < sizeof(j->strs) / sizeof(*j->strs); i++)
		free(j->strs[i]);
	links_release(&j->l);
	warc_built_release(&j->wb);
	strbuf_release(&j->err);
	free(j);
}

static int plain_encoding(const char *enc)
{
	return !enc || !*enc || !strcasecmp(enc, "identity");
}

/*
 * On a worker: hand an archived resource to the copy while its body is in
 * memory (materialize.h).  A body that cannot be decoded is left to
 * materialize(), which reads it from the WARC and says why.
 */
static void copy_early(struct crawl *c, struct crawl_entry *e, struct fetch_result *res,
		       struct strbuf *body, int decoded, const struct strbuf *utf8)
{
	const char *data = body->buf;
	size_t len = body->len;
	if (!decoded) {
		if (plain_encoding(res->content_encoding)) {
			data = res->body.buf;
			len = res->body.len;
		} else if (decode_body(res->content_encoding, res->body.buf, res->body.len,
				       (size_t)-1, body)) {
			return;
		} else {
			data = body->buf;
			len = body->len;
		}
	}
	copy_spool_add(c->spool, e, data, len, utf8->len ? utf8 : NULL, res->content_type);
}

/* On a worker: digests, links, dates, the early copy and the WARC records. */
static void process(void *job, void *ctx)
{
	struct job *j = job;
	struct crawl *c = j->c;
	struct crawl_entry *e = j->e;
	struct strbuf body = STRBUF_INIT, utf8 = STRBUF_INIT;
	int decoded = 0, undecodable = 0;

	record_result(c, e, &j->res);
	links_set_base(&j->l, e->url);
	if (e->path && (!e->requisite || is_css(e->content_type, e->url))) {
		decoded = !scan_links(c, e, &j->res, &j->l, &body, &utf8);
		undecodable = !decoded;
	}
	if (e->path && c->spool && !undecodable)
		copy_early(c, e, &j->res, &body, decoded, &utf8);
	strbuf_release(&body);
	strbuf_release(&utf8);
	if (j->res.status && !j->res.curl_code)
		j->built = !build_warc(c, ctx, e, &j->res, &j->l, &j->wb, &j->err) ? 1 : -1;
}

static void *worker_ctx_new(void)
{
	return warc_deflater_new();
}

static void worker_ctx_free(void *ctx)
{
	warc_deflater_free(ctx);
}

static void wake_owner(void *ud)
{
	struct run *r = ud;
	fetcher_wakeup(r->f);
}

/*
 * On the owner: append the exchange's records; index the response or
 * revisit as cdxj_indexer_add() would index it when reading the WARC.
 */
static int append_and_index(struct crawl *c, struct job *j)
{
	struct warc_result wr;
	struct warc_record r;
	if (warc_append_built(c->warc, &j->wb, &wr, &j->err))
		return -1;
	if (!c->cdxj)
		return 0;
	memset(&r, 0, sizeof(r));
	r.type = wr.revisit ? "revisit" : "response";
	r.target_uri = j->wb.uri;
	r.date = j->wb.date;
	r.payload_digest = wr.digest;
	r.offset = wr.offset;
	r.length = wr.length;
	r.block = j->res.head.buf; /* the indexer reads the HTTP head only */
	r.block_len = j->res.head.len;
	if (cdxj_indexer_add(c->cdxj, &r)) {
		strbuf_addbuf(&j->err, c->cdxj->err);
		return -1;
	}
	return 0;
}

/* On the owner: the frontier, the WARC file and the journal. */
static void complete(struct run *r, struct job *j)
{
	struct crawl *c = r->c;
	struct crawl_entry *e = j->e;
	size_t i;

	e->state = ENTRY_DONE;
	for (i = 0; i < j->l.nr; i++)
		add_link(c, e, j->l.out[i], e->depth + 1, j->l.requisite[i]);
	if (e->redirect)
		add_link(c, e, e->redirect, e->depth, e->requisite);
	if (j->built == 1 && append_and_index(c, j))
		j->built = -1;
	if (j->built < 0) {
		fprintf(stderr, "error: unable to write the WARC: %s\n", j->err.buf);
		r->failed_io = 1;
	}
	c->done++;
	c->bytes += e->size;
	if (e->error || !e->status || e->status >= 400)
		c->failed++;
	journal_done(c, e);
	job_free(j);
}

static void drain(struct run *r, int wait)
{
	struct job *j;
	while ((j = workq_pop(r->q, wait)))
		complete(r, j);
}

static void on_done(void *ud, struct fetch_result *res)
{
	struct run *r = ud;
	struct crawl *c = r->c;
	struct crawl_entry *e = res->ud;

	c->running--;
	if (retry_later(c, e, res))
		return;
	workq_push(r->q, job_new(c, e, res));
}

static void progress(struct crawl *c, int final)
{
	double secs = (now_us() - c->started_us) / 1e6;
	size_t queued = c->nr_entries - (size_t)c->done;
	if (!c->progress && !final)
		return;
	fprintf(stderr, "%s%ld done, %zu queued, %ld failed, %.1f MB, %.1f/s%s",
		c->progress ? "\r\033[K" : "", c->done, queued, c->failed, c->bytes / 1048576.0,
		secs > 0 ? c->done / secs : 0.0, final ? "\n" : "");
	fflush(stderr);
}

int crawl_run(struct crawl *c)
{
	struct fetch_options fo;
	struct run r;
	long long last_draw = 0;
	size_t i, nr_workers;

	memset(&fo, 0, sizeof(fo));
	fo.user_agent = c->user_agent;
	fo.connect_to = c->connect_to;
	fo.nr_connect_to = c->nr_connect_to;
	fo.timeout_s = c->rec->limits.timeout;
	fo.max_size = (size_t)c->rec->limits.size;
	fo.per_host = c->rec->limits.concurrency;
	fo.total = c->rec->limits.concurrency * (long)(c->rec->nr_hosts + 1);
	memset(&r, 0, sizeof(r));
	r.c = c;
	strmap_init(&r.last_request);
	r.f = fetcher_new(&fo, on_done, &r);
	nr_workers = c->workers ? c->workers : workq_default_threads(8);
	r.max_jobs = 4 * nr_workers + 8;
	r.q = workq_new(nr_workers, process, worker_ctx_new, worker_ctx_free, wake_owner, &r);
	while (!r.failed_io && (c->running || has_queued(c) || workq_pending(r.q))) {
		long long now;
		fill(&r);
		fetcher_wait(r.f, c->running || workq_pending(r.q) ? 100 : 20);
		drain(&r, 0);
		now = now_us();
		if (now - last_draw > 250000) {
			progress(c, 0);
			last_draw = now;
		}
	}
	drain(&r, 1);
	workq_free(r.q);
	fetcher_free(r.f);
	for (i = 0; i < r.last_request.cap; i++)
		free(r.last_request.slots[i].val);
	strmap_release(&r.last_request);
	if (c->progress)
		progress(c, 0), fputc('\n', stderr);
	return r.failed_io ? -1 : 0;
}
