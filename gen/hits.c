#include "gen/hits.h"
#include "archiver/url.h"
#include "common/csvio.h"
#include "common/path.h"
#include "common/strbuf.h"
#include "common/value.h"
#include "common/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#define MAX_REQUEST 2048
#define MALFORMED_SHOWN 10

int hits_init(struct hits *h, const char *source_dir, const char *archive_dir, const char *site_id)
{
	struct strbuf dir = STRBUF_INIT;
	struct mappings_input in;
	const char *setting;
	size_t i;

	memset(h, 0, sizeof(*h));
	arena_init(&h->arena);
	diag_list_init(&h->diags);
	if (site_config_load(&h->cfg, &h->arena, source_dir, &h->diags))
		return -1;
	setting = value_map_str(h->cfg.raw, "archive_dir");
	if (archive_dir)
		strbuf_addstr(&dir, archive_dir);
	else
		path_in(&dir, source_dir, setting ? setting : "archive");
	archives_load(&h->archives, &h->arena, arena_strdup(&h->arena, dir.buf), h->cfg.root, &h->diags);
	strbuf_release(&dir);
	memset(&in, 0, sizeof(in));
	in.source_dir = source_dir;
	in.cfg = &h->cfg;
	in.archives = &h->archives;
	if (mappings_load(&h->map, &h->arena, &in, &h->diags))
		return -1;
	if (site_id) {
		for (i = 0; i < h->map.nr_sites && strcmp(h->map.sites[i]->rec.id, site_id); i++)
			;
		if (i == h->map.nr_sites) {
			diag_error(&h->diags, NULL, 0, 0, "name a record of content/sites/ (without .yaml)",
				   "no usable site record '%s'", site_id);
			return -1;
		}
		h->forced = h->map.sites[i];
	}
	return 0;
}

void hits_release(struct hits *h)
{
	mappings_release(&h->map);
	archives_release(&h->archives);
	strmap_release(&h->by_url);
	diag_list_release(&h->diags);
	arena_release(&h->arena);
}

/* ---- one log line ---- */

struct request {
	const char *vhost;     /* "host:port" of vhost_combined, or NULL */
	size_t vhost_len;
	const char *method, *target;
	size_t method_len, target_len;
	int status;
};

static const char *skip_token(const char *p)
{
	while (*p && *p != ' ')
		p++;
	return p;
}

/* Parse combined (or vhost_combined); 0, or -1 when the line is not one. */
static int parse_line(const char *line, struct request *rq)
{
	const char *p = line, *bracket = strchr(line, '['), *quote = strchr(line, '"'), *t, *end;
	int fields = 0;
	memset(rq, 0, sizeof(*rq));
	if (!bracket || !quote || quote < bracket)
		return -1;
	for (t = line; t < bracket; fields++) {
		const char *e = skip_token(t);
		if (fields == 0) {
			rq->vhost = t;
			rq->vhost_len = (size_t)(e - t);
		}
		t = e;
		while (*t == ' ')
			t++;
	}
	if (fields == 3)
		rq->vhost = NULL;
	else if (fields != 4)
		return -1;
	/* the request line, with the escapes servers write for quotes */
	p = quote + 1;
	for (end = p; *end && *end != '"'; end++)
		if (*end == '\\' && end[1])
			end++;
	if (*end != '"')
		return -1;
	rq->method = p;
	rq->method_len = strcspn(p, " \"");
	rq->target = p + rq->method_len;
	if (*rq->target == ' ') {
		rq->target++;
		rq->target_len = (size_t)(end - rq->target);
		t = memchr(rq->target, ' ', rq->target_len);
		if (t)
			rq->target_len = (size_t)(t - rq->target);
	}
	p = end + 1;
	if (*p++ != ' ' || !isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]) || (p[3] && p[3] != ' ' && p[3] != '\n' && p[3] != '\r'))
		return -1;
	rq->status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	return 0;
}

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return 1;
	return 0;
}

static int is_probe(const char *target, size_t len, int php_site)
{
	static const char *const probes[] = {
		"wp-login", "wp-admin", "wp-content", "wp-includes", "xmlrpc.php", "phpmyadmin", "/pma/",
		"/.env", "/.git", "/.svn", "/.ht", "/.aws", "/.ds_store", "etc/passwd", "..", "%2e%2e",
		"/cgi-bin/", "<script", "%3cscript", "${jndi", "/vendor/phpunit", "\\x", "/boaform",
		"/hnap1", "/actuator", "/solr/", "/console/", "/manager/html", "eval(", "base64_decode",
	};
	size_t i, plen = strcspn(target, "?");
	if (len > MAX_REQUEST)
		return 1;
	for (i = 0; i < sizeof(probes) / sizeof(*probes); i++)
		if (contains_ci(target, probes[i]))
			return 1;
	if (!php_site && plen >= 4 && !strncasecmp(target + plen - 4, ".php", 4))
		return 1;
	return 0;
}

static int is_furniture(const char *target)
{
	static const char *const exts[] = {
		"css", "js", "mjs", "map", "png", "jpg", "jpeg", "gif", "ico", "svg", "webp", "bmp",
		"tif", "tiff", "woff", "woff2", "ttf", "eot", "otf", "cur",
	};
	static const char *const names[] = { "favicon.ico", "robots.txt", "apple-touch-icon", "browserconfig.xml" };
	size_t plen = strcspn(target, "?#"), i;
	const char *slash = target, *dot = NULL, *p;
	for (p = target; p < target + plen; p++) {
		if (*p == '/')
			slash = p + 1, dot = NULL;
		else if (*p == '.')
			dot = p + 1;
	}
	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strncasecmp(slash, names[i], strlen(names[i])))
			return 1;
	for (i = 0; dot && i < sizeof(exts) / sizeof(*exts); i++)
		if ((size_t)(target + plen - dot) == strlen(exts[i]) && !strncasecmp(dot, exts[i], strlen(exts[i])))
			return 1;
	return 0;
}

/* A site with a .php page anywhere in its mappings or capture asks for .php honestly. */
static int php_site(const struct old_site *s)
{
	size_t i;
	for (i = 0; i < s->nr; i++)
		if (contains_ci(s->items[i]->key, ".php"))
			return 1;
	return 0;
}

/* The site a request goes to: its host's, else --site. */
static struct old_site *site_of(struct hits *h, const struct request *rq, const char *target, int *other)
{
	struct strbuf host = STRBUF_INIT, name = STRBUF_INIT;
	struct old_site *s = NULL;
	int have = 0;
	*other = 0;
	if (!strncasecmp(target, "http://", 7) || !strncasecmp(target, "https://", 8))
		have = !url_hostport(target, &host);
	else if (rq->vhost && rq->vhost_len && rq->vhost[0] != '-') {
		strbuf_add(&host, rq->vhost, rq->vhost_len);
		have = 1;
	}
	if (have && !host_server_name(host.buf, &name)) {
		s = mappings_site_of_host(&h->map, name.buf);
		if (h->forced && s != h->forced) {
			*other = 1;
			s = NULL;
		}
	} else {
		s = h->forced;
	}
	strbuf_release(&host);
	strbuf_release(&name);
	return s;
}

static void count(struct hits *h, struct old_site *s, const char *target)
{
	struct strbuf key = STRBUF_INIT, id = STRBUF_INIT;
	struct hit *e;
	const char *why;
	if (mapping_key(s, target, &key, &why)) {
		h->t.probes++; /* not a URL of the site at all */
		goto out;
	}
	strbuf_addf(&id, "%s %s", s->rec.id, key.buf);
	e = strmap_get(&h->by_url, id.buf);
	if (!e) {
		e = arena_alloc(&h->arena, sizeof(*e));
		e->site = s;
		e->key = arena_strdup(&h->arena, key.buf);
		e->m = strmap_get(&s->by_key, key.buf);
		strmap_put(&h->by_url, id.buf, e);
	}
	e->count++;
	h->t.counted++;
out:
	strbuf_release(&key);
	strbuf_release(&id);
}

static void take_line(struct hits *h, const char *path, unsigned lineno, const char *line)
{
	struct request rq;
	struct old_site *s;
	char *target;
	int other;
	h->t.lines++;
	if (parse_line(line, &rq)) {
		if (h->t.malformed++ < MALFORMED_SHOWN)
			diag_warning(&h->diags, path, lineno, 0, NULL,
				     "not a line of the combined log format: skipped");
		return;
	}
	if (!((rq.method_len == 3 && !memcmp(rq.method, "GET", 3)) ||
	      (rq.method_len == 4 && !memcmp(rq.method, "HEAD", 4)))) {
		h->t.method++;
		return;
	}
	if (rq.status < 200 || rq.status >= 400) {
		h->t.status++;
		return;
	}
	target = xstrndup(rq.target, rq.target_len);
	s = site_of(h, &rq, target, &other);
	if (!s) {
		if (other)
			h->t.other_host++;
		else
			h->t.no_site++;
	} else if ((target[0] != '/' && strncasecmp(target, "http", 4)) ||
		   is_probe(target, rq.target_len, php_site(s))) {
		h->t.probes++;
	} else if (is_furniture(target)) {
		h->t.furniture++;
	} else {
		count(h, s, target);
	}
	free(target);
}

int hits_read(struct hits *h, const char *path)
{
	gzFile f = gzopen(path, "rb");
	char buf[8192];
	struct strbuf line = STRBUF_INIT;
	unsigned lineno = 0;
	if (!f) {
		diag_error(&h->diags, path, 0, 0, NULL, "unable to read: %s", strerror(errno ? errno : EIO));
		return -1;
	}
	h->files++;
	/* gzgets reads plain files as they are */
	while (gzgets(f, buf, sizeof(buf))) {
		size_t n = strlen(buf);
		strbuf_add(&line, buf, n);
		if (n && buf[n - 1] != '\n' && !gzeof(f))
			continue; /* a long line goes on */
		lineno++;
		while (line.len && (line.buf[line.len - 1] == '\n' || line.buf[line.len - 1] == '\r'))
			strbuf_setlen(&line, line.len - 1);
		if (line.len)
			take_line(h, path, lineno, line.buf);
		strbuf_reset(&line);
	}
	if (!gzeof(f)) {
		int zerr;
		const char *msg = gzerror(f, &zerr);
		diag_error(&h->diags, path, lineno + 1, 0, NULL, "unable to read: %s", msg);
	}
	gzclose(f);
	strbuf_release(&line);
	return 0;
}

/* ---- the report ---- */

static int cmp_hits(const void *va, const void *vb)
{
	const struct hit *a = *(const struct hit *const *)va, *b = *(const struct hit *const *)vb;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->key, b->key);
}

enum hit_kind { HIT_UNMAPPED, HIT_ARCHIVED, HIT_SERVED };

static enum hit_kind kind_of(const struct hit *e)
{
	if (e->site->whole == WHOLE_ARCHIVE)
		return HIT_ARCHIVED;
	if (e->site->whole == WHOLE_REDIRECT)
		return HIT_SERVED;
	if (!e->m)
		return HIT_UNMAPPED;
	return e->m->type == MAP_REDIRECT ? HIT_SERVED : HIT_ARCHIVED;
}

static const char *type_of(const struct hit *e)
{
	if (!e->m)
		return e->site->whole == WHOLE_ARCHIVE ? "archive" : "unmapped";
	return mapping_type_name(e->m->type);
}

/* The site's hits of one kind, most first. */
static size_t collect(struct hits *h, const struct old_site *s, enum hit_kind k, struct hit ***out, long *total)
{
	size_t i, nr = 0, alloc = 0;
	*out = NULL;
	*total = 0;
	for (i = 0; i < h->by_url.cap; i++) {
		struct hit *e = h->by_url.slots[i].val;
		if (!e || e->site != s)
			continue;
		*total += e->count;
		if (kind_of(e) != k)
			continue;
		ALLOC_GROW(*out, nr + 1, alloc);
		(*out)[nr++] = e;
	}
	if (nr > 1)
		qsort(*out, nr, sizeof(**out), cmp_hits);
	return nr;
}

static const char *old_url(struct hits *h, const struct hit *e)
{
	return arena_printf(&h->arena, "http://%s%s", e->site->names[0], e->key);
}

static void text_list(struct hits *h, struct hit **v, size_t nr, size_t top, const char *title, struct strbuf *out)
{
	size_t i;
	if (!nr)
		return;
	strbuf_addf(out, "  %s:\n", title);
	for (i = 0; i < nr && (!top || i < top); i++)
		strbuf_addf(out, "  %8ld  %s%s%s\n", v[i]->count, old_url(h, v[i]),
			    v[i]->m || v[i]->site->whole ? "  " : "", v[i]->m || v[i]->site->whole ? type_of(v[i]) : "");
	if (top && nr > top)
		strbuf_addf(out, "  ... %zu more\n", nr - top);
}

static void summary(const struct hits *h, struct strbuf *out)
{
	const struct hits_totals *t = &h->t;
	strbuf_addf(out, "hits: %zu log%s, %ld lines: %ld counted, %ld furniture, %ld probes, "
		    "%ld other methods, %ld not 2xx/3xx, %ld malformed, %ld without a site, %ld for other hosts\n",
		    h->files, h->files == 1 ? "" : "s", t->lines, t->counted, t->furniture, t->probes,
		    t->method, t->status, t->malformed, t->no_site, t->other_host);
}

static json_t *json_list(struct hits *h, struct hit **v, size_t nr, size_t top)
{
	json_t *a = json_array();
	size_t i;
	for (i = 0; i < nr && (!top || i < top); i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "url", old_url(h, v[i]), "type", type_of(v[i]),
						   "hits", (json_int_t)v[i]->count));
	return a;
}

void hits_report(struct hits *h, enum hits_format f, size_t top, struct strbuf *out)
{
	static const char *const head[] = { "site", "old_url", "type", "hits" };
	json_t *js = NULL, *sites = NULL;
	size_t i, k;
	if (f == HITS_TEXT)
		summary(h, out);
	else if (f == HITS_CSV)
		csv_add_row(out, head, 4);
	else {
		const struct hits_totals *t = &h->t;
		js = json_pack("{s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}}", "summary",
			       "logs", (json_int_t)h->files, "lines", (json_int_t)t->lines, "counted", (json_int_t)t->counted,
			       "furniture", (json_int_t)t->furniture, "probes", (json_int_t)t->probes,
			       "other_methods", (json_int_t)t->method, "not_2xx_3xx", (json_int_t)t->status,
			       "malformed", (json_int_t)t->malformed, "without_site", (json_int_t)t->no_site,
			       "other_hosts", (json_int_t)t->other_host);
		sites = json_array();
		json_object_set_new(js, "sites", sites);
	}
	for (i = 0; i < h->map.nr_sites; i++) {
		struct old_site *s = h->map.sites[i];
		struct hit **v[2];
		size_t nr[2];
		long total;
		nr[0] = collect(h, s, HIT_UNMAPPED, &v[0], &total);
		nr[1] = collect(h, s, HIT_ARCHIVED, &v[1], &total);
		if (total && f == HITS_TEXT) {
			strbuf_addf(out, "\nsite %s (%s): %ld requests\n", s->rec.id, s->rec.name ? s->rec.name : s->rec.id, total);
			text_list(h, v[0], nr[0], top, "unmapped, by hits (map these first)", out);
			text_list(h, v[1], nr[1], top, "archived, by hits (candidates for a redirect)", out);
		} else if (total && f == HITS_CSV) {
			for (k = 0; k < 2; k++) {
				size_t j;
				for (j = 0; j < nr[k] && (!top || j < top); j++) {
					char n[32];
					const char *row[4] = { s->rec.id, old_url(h, v[k][j]), type_of(v[k][j]), n };
					snprintf(n, sizeof(n), "%ld", v[k][j]->count);
					csv_add_row(out, row, 4);
				}
			}
		} else if (total) {
			json_array_append_new(sites, json_pack("{s:s, s:I, s:o, s:o}", "id", s->rec.id, "requests",
							       (json_int_t)total, "unmapped", json_list(h, v[0], nr[0], top),
							       "archived", json_list(h, v[1], nr[1], top)));
		}
		free(v[0]);
		free(v[1]);
	}
	if (js) {
		char *s = json_dumps(js, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		strbuf_addstr(out, s);
		strbuf_addch(out, '\n');
		free(s);
		json_decref(js);
	}
}
