#include "gen/mappings.h"
#include "gen/archives.h"
#include "gen/content.h"
#include "gen/notices.h"
#include "gen/site.h"
#include "archiver/url.h"
#include "common/arena.h"
#include "common/csvio.h"
#include "common/diag.h"
#include "common/fsutil.h"
#include "common/path.h"
#include "common/strbuf.h"
#include "common/utf8.h"
#include "common/value.h"
#include "common/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const type_names[MAP_TYPES] = { "redirect", "archive", "unresolved" };

const char *mapping_type_name(enum mapping_type t)
{
	return type_names[t];
}

/* ---- hosts and canonical keys ---- */

int host_server_name(const char *host, struct strbuf *out)
{
	struct strbuf url = STRBUF_INIT, hp = STRBUF_INIT;
	size_t n, i;
	int ret = -1;
	strbuf_addf(&url, "http://%s/", host);
	if (strpbrk(host, "/?#@\\ \t\r\n") || url_hostport(url.buf, &hp))
		goto out;
	n = hp.buf[0] == '[' ? 0 : strcspn(hp.buf, ":");
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)hp.buf[i]) && !strchr(".-_", hp.buf[i]))
			goto out;
	if (!n)
		goto out; /* IPv6 literals are not server names */
	strbuf_add(out, hp.buf, n);
	ret = 0;
out:
	strbuf_release(&url);
	strbuf_release(&hp);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int old_site_prepare(struct old_site *s, struct arena *a, struct diag_list *diags)
{
	struct value *hv = value_map_get(s->rec.raw, "hosts");
	struct strbuf sb = STRBUF_INIT;
	size_t i, j;
	int ret = 0;

	s->names = arena_alloc(a, (s->rec.nr_hosts + 1) * sizeof(char *));
	for (i = 0; i < s->rec.nr_hosts; i++) {
		strbuf_reset(&sb);
		if (host_server_name(s->rec.hosts[i], &sb)) {
			diag_error(diags, s->rec.file, hv ? hv->line : 1, hv ? hv->col : 1,
				   "write host names only (letters, digits, '-' and '.'), e.g. fgw.example.gov.cn",
				   "host '%s' cannot be served: not a host name", s->rec.hosts[i]);
			ret = -1;
			continue;
		}
		for (j = 0; j < s->nr_names && strcmp(s->names[j], sb.buf); j++)
			;
		if (j == s->nr_names)
			s->names[s->nr_names++] = arena_strdup(a, sb.buf);
	}
	s->all_params = !s->rec.query_params_given || !s->rec.nr_query_params;
	if (!s->all_params) {
		s->params = arena_alloc(a, s->rec.nr_query_params * sizeof(char *));
		for (i = 0; i < s->rec.nr_query_params; i++) {
			char *p = arena_strdup(a, s->rec.query_params[i]), *c;
			for (c = p; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			for (j = 0; j < s->nr_params && strcmp(s->params[j], p); j++)
				;
			if (j == s->nr_params)
				s->params[s->nr_params++] = p;
		}
		if (s->nr_params > 1)
			qsort(s->params, s->nr_params, sizeof(char *), cmp_str);
	}
	strbuf_release(&sb);
	return ret;
}

/* Is the host of an absolute URL one of the site's?  Compared as server names. */
static int on_site_host(const struct old_site *s, const char *abs)
{
	struct strbuf hp = STRBUF_INIT, name = STRBUF_INIT;
	size_t i;
	int found = 0;
	if (!url_hostport(abs, &hp) && !host_server_name(hp.buf, &name))
		for (i = 0; i < s->nr_names && !found; i++)
			found = !strcmp(s->names[i], name.buf);
	strbuf_release(&hp);
	strbuf_release(&name);
	return found;
}

struct qpiece {
	char *p;
	size_t nlen;
};

static int cmp_qpiece(const void *va, const void *vb)
{
	const struct qpiece *a = va, *b = vb;
	size_t n = a->nlen < b->nlen ? a->nlen : b->nlen;
	int c = memcmp(a->p, b->p, n);
	if (c)
		return c;
	if (a->nlen != b->nlen)
		return a->nlen < b->nlen ? -1 : 1;
	return strcmp(a->p, b->p);
}

/* Parameter names in lower case (ASP reads ID as id), then sorted again. */
static void fold_query(struct strbuf *key, size_t qstart)
{
	struct qpiece *v = NULL;
	size_t nr = 0, alloc = 0, i;
	char *q = xstrdup(key->buf + qstart), *p, *save = NULL;
	for (p = strtok_r(q, "&", &save); p; p = strtok_r(NULL, "&", &save)) {
		size_t j;
		ALLOC_GROW(v, nr + 1, alloc);
		v[nr].p = p;
		v[nr].nlen = strcspn(p, "=");
		for (j = 0; j < v[nr].nlen; j++)
			p[j] = (char)tolower((unsigned char)p[j]);
		nr++;
	}
	if (nr > 1)
		qsort(v, nr, sizeof(*v), cmp_qpiece);
	strbuf_setlen(key, qstart);
	for (i = 0; i < nr; i++) {
		if (i)
			strbuf_addch(key, '&');
		strbuf_addstr(key, v[i].p);
	}
	free(v);
	free(q);
}

/* The archiver's own canonical form (crawl_canonical()), so that manifests and mappings agree. */
static int site_canonical(const struct old_site *s, const char *abs, struct strbuf *out)
{
	const struct site_record *r = &s->rec;
	return url_canonical(abs, r->query_params_given ? r->query_params : NULL,
			     r->query_params_given ? r->nr_query_params : 0, r->hosts, r->nr_hosts, out);
}

int mapping_key(const struct old_site *s, const char *url, struct strbuf *key, const char **why)
{
	struct strbuf abs = STRBUF_INIT, c = STRBUF_INIT;
	const char *rest, *q;
	int ret = -1;

	if (url[0] == '/' && url[1] != '/') {
		strbuf_addf(&abs, "http://%s%s", s->rec.hosts[0], url);
	} else if (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8)) {
		strbuf_addstr(&abs, url);
		if (!on_site_host(s, url)) {
			*why = "is not on one of the site's hosts";
			goto out;
		}
	} else {
		*why = "is neither a path starting with '/' nor an http(s) URL";
		goto out;
	}
	if (site_canonical(s, abs.buf, &c)) {
		*why = "is not a valid URL";
		goto out;
	}
	rest = strchr(strstr(c.buf, "://") + 3, '/');
	strbuf_addstr(key, rest ? rest : "/");
	q = strchr(key->buf, '?');
	if (q)
		fold_query(key, (size_t)(q - key->buf) + 1);
	ret = 0;
out:
	strbuf_release(&abs);
	strbuf_release(&c);
	return ret;
}

/* ---- building the set ---- */

static struct mapping *new_mapping(struct old_site *s, struct arena *a, enum mapping_type t,
				   const char *key, const char *file, unsigned line, unsigned col)
{
	struct mapping *m = arena_alloc(a, sizeof(*m));
	m->type = t;
	m->key = arena_strdup(a, key);
	m->old_url = arena_printf(a, "http://%s%s", s->names[0], key);
	m->file = file;
	m->line = line;
	m->col = col;
	m->site = s;
	return m;
}

static void drop(struct mappings *mm, struct mapping *m, const struct mapping *kept, const char *reason)
{
	ALLOC_GROW(mm->dropped, mm->nr_dropped + 1, mm->alloc_dropped);
	mm->dropped[mm->nr_dropped].m = m;
	mm->dropped[mm->nr_dropped].kept = kept;
	mm->dropped[mm->nr_dropped].reason = reason;
	mm->nr_dropped++;
}

/* Duplicates resolve redirect > archive > unresolved, then the first wins. */
static void add_mapping(struct mappings *mm, struct old_site *s, struct mapping *m)
{
	struct mapping *old = strmap_get(&s->by_key, m->key);
	if (!old) {
		strmap_put(&s->by_key, m->key, m);
		return;
	}
	if (m->type < old->type) {
		strmap_put(&s->by_key, m->key, m);
		if (!m->archive_url)
			m->archive_url = old->archive_url, m->archive_rel = old->archive_rel;
		drop(mm, old, m, "a stronger type wins (redirect > archive > unresolved)");
	} else {
		drop(mm, m, old, m->type == old->type ? "the first line wins" :
		     "a stronger type wins (redirect > archive > unresolved)");
	}
}

static const char *new_url_problem(const char *u)
{
	if (u[0] == '/' && u[1] != '/')
		return NULL;
	if (!strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8))
		return NULL;
	return "is neither a portal path starting with '/', an http(s) URL, ARCHIVE nor blank";
}

struct csv_cols {
	int old_url, new_url, suggested, archive;
};

static int header_is(const char *field, const char *name)
{
	size_t i, n = strlen(name);
	if (strlen(field) != n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = (char)tolower((unsigned char)field[i]);
		if (c != name[i] && !(name[i] == ' ' && (c == '_' || c == '-')))
			return 0;
	}
	return 1;
}

static int read_header(struct csv_reader *r, struct csv_cols *cols)
{
	size_t i;
	cols->old_url = cols->new_url = cols->suggested = cols->archive = -1;
	for (i = 0; i < r->nr; i++) {
		const char *f = r->fields[i].s;
		if (header_is(f, "old url"))
			cols->old_url = (int)i;
		else if (header_is(f, "new url"))
			cols->new_url = (int)i;
		else if (header_is(f, "suggested url"))
			cols->suggested = (int)i;
		else if (header_is(f, "archive url"))
			cols->archive = (int)i;
	}
	return cols->old_url < 0 || cols->new_url < 0 ? -1 : 0;
}

static const struct csv_field *col_field(const struct csv_reader *r, int col)
{
	static const struct csv_field none = { (char *)"", 0, 0 };
	return col >= 0 && (size_t)col < r->nr ? &r->fields[col] : &none;
}

/* An optional URL column: a path or an http(s) URL, else an error. */
static const char *optional_url(struct csv_reader *r, int col, const char *file, const char *what,
				struct arena *a, struct diag_list *diags)
{
	const struct csv_field *f = col_field(r, col);
	if (!f->len)
		return NULL;
	if (new_url_problem(f->s)) {
		diag_error(diags, file, r->rec_line, f->col, "write a portal path such as /fgw/ or a full URL",
			   "%s '%s' is not a path or an http(s) URL", what, f->s);
		return NULL;
	}
	return arena_strdup(a, f->s);
}

static void csv_row(struct mappings *mm, struct old_site *s, struct csv_reader *r,
		    const struct csv_cols *cols, const char *file, struct diag_list *diags)
{
	const struct csv_field *old = col_field(r, cols->old_url), *nu = col_field(r, cols->new_url);
	struct strbuf key = STRBUF_INIT;
	const char *why, *problem;
	enum mapping_type t;
	struct mapping *m;

	if (!old->len) {
		diag_error(diags, file, r->rec_line, 1, "write the old URL in the first column", "empty old url");
		goto out;
	}
	if (mapping_key(s, old->s, &key, &why)) {
		struct strbuf hint = STRBUF_INIT;
		size_t i;
		strbuf_addstr(&hint, "write a path (/news/1.html) or a URL on one of the site's hosts:");
		for (i = 0; i < s->rec.nr_hosts; i++)
			strbuf_addf(&hint, " %s", s->rec.hosts[i]);
		diag_error(diags, file, r->rec_line, old->col, hint.buf, "old url '%s' %s", old->s, why);
		strbuf_release(&hint);
		goto out;
	}
	if (!nu->len)
		t = MAP_UNRESOLVED;
	else if (!strcasecmp(nu->s, "ARCHIVE"))
		t = MAP_ARCHIVE;
	else if ((problem = new_url_problem(nu->s))) {
		diag_error(diags, file, r->rec_line, nu->col,
			   "write a portal path (/fgw/gzdt/), a full URL, ARCHIVE, or leave it blank (unresolved)",
			   "new url '%s' %s", nu->s, problem);
		goto out;
	} else
		t = MAP_REDIRECT;
	m = new_mapping(s, mm->arena, t, key.buf, file, r->rec_line, old->col);
	if (t == MAP_REDIRECT)
		m->new_url = arena_strdup(mm->arena, nu->s);
	m->suggested_url = optional_url(r, cols->suggested, file, "suggested url", mm->arena, diags);
	m->archive_url = optional_url(r, cols->archive, file, "archive url", mm->arena, diags);
	add_mapping(mm, s, m);
out:
	strbuf_release(&key);
}

static int load_csv(struct mappings *mm, struct old_site *s, const char *source_dir, struct diag_list *diags)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	struct csv_reader r;
	struct csv_cols cols;
	const char *file;
	unsigned line, col;
	int got;

	path_in(&path, source_dir, "content/sites/");
	strbuf_addf(&path, "%s.mappings.csv", s->rec.id);
	file = arena_strdup(mm->arena, path.buf);
	strbuf_release(&path);
	if (strbuf_read_file(&text, file)) {
		strbuf_release(&text);
		return errno == ENOENT ? 0 : (diag_error(diags, file, 0, 0, NULL, "unable to read: %s",
							  strerror(errno)), -1);
	}
	if (utf8_validate(text.buf, text.len, &line, &col)) {
		diag_error(diags, file, line, col, "save the file as UTF-8 (CSV UTF-8 in Excel or WPS)",
			   "not valid UTF-8");
		strbuf_release(&text);
		return -1;
	}
	csv_reader_init(&r, text.buf, text.len);
	got = csv_next(&r);
	if (got > 0 && read_header(&r, &cols)) {
		diag_error(diags, file, r.rec_line, 1, "start the file with the line: old url,new url",
			   "missing the header 'old url,new url'");
		got = 0;
	}
	while (got > 0 && (got = csv_next(&r)) > 0) {
		if (r.nr == 1 && !r.fields[0].len)
			continue;
		csv_row(mm, s, &r, &cols, file, diags);
	}
	if (got < 0)
		diag_error(diags, file, r.err_line, r.err_col, NULL, "%s", r.error);
	s->serves = 1; /* a mappings file makes the site one to serve, even when empty */
	csv_reader_release(&r);
	strbuf_release(&text);
	return 0;
}

/* ---- the archiver's manifest ---- */

struct manifest_entry {
	const char *path;      /* local file below site/, for archived 2xx resources */
	const char *redirect;  /* absolute target of a 3xx */
};

/* Follow the old site's own redirects to the archived resource they end at. */
static const char *follow(const struct strmap *entries, const struct old_site *s, const char *canonical)
{
	struct strbuf c = STRBUF_INIT;
	struct manifest_entry *e = strmap_get(entries, canonical);
	const char *path = NULL;
	int hops;
	for (hops = 0; e && hops < 10; hops++) {
		if (e->path) {
			path = e->path;
			break;
		}
		strbuf_reset(&c);
		if (site_canonical(s, e->redirect, &c))
			break;
		e = strmap_get(entries, c.buf);
	}
	strbuf_release(&c);
	return path;
}

static void archive_links(struct mappings *mm, struct mapping *m, const char *id, const char *path)
{
	struct strbuf href = STRBUF_INIT;
	url_path_to_href(path, &href);
	m->archive_url = arena_printf(mm->arena, "%sarchive/%s/%s", mm->cfg->base_url, id, href.buf);
	m->archive_rel = arena_printf(mm->arena, "archive/%s/%s", id, path);
	strbuf_release(&href);
}

static void manifest_mapping(struct mappings *mm, struct old_site *s, const char *file, unsigned line,
			     const char *canonical, const char *path)
{
	struct strbuf key = STRBUF_INIT;
	const char *why;
	struct mapping *m;
	if (mapping_key(s, canonical, &key, &why))
		goto out; /* a page requisite from another host */
	m = strmap_get(&s->by_key, key.buf);
	if (m) {
		if (!m->archive_url)
			archive_links(mm, m, s->rec.id, path);
		goto out;
	}
	m = new_mapping(s, mm->arena, MAP_ARCHIVE, key.buf, file, line, 0);
	archive_links(mm, m, s->rec.id, path);
	strmap_put(&s->by_key, m->key, m);
out:
	strbuf_release(&key);
}

static int load_manifest(struct mappings *mm, struct old_site *s, const char *archive_dir,
			 struct diag_list *diags)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	struct strmap entries = STRMAP_INIT;
	struct { char *url; unsigned line; } *seen = NULL;
	size_t nr = 0, alloc = 0, i;
	const char *file, *p;
	unsigned line = 0;

	strbuf_addf(&path, "%s/%s/manifest.jsonl", archive_dir, s->rec.id);
	file = arena_strdup(mm->arena, path.buf);
	strbuf_release(&path);
	if (strbuf_read_file(&text, file)) {
		strbuf_release(&text);
		return 0;
	}
	for (p = text.buf; *p; ) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		json_error_t je;
		json_t *j;
		line++;
		if (!n) {
			p += 1;
			continue;
		}
		j = json_loadb(p, n, 0, &je);
		p += n + (eol ? 1 : 0);
		if (!json_is_object(j)) {
			diag_error(diags, file, line, (unsigned)je.column, "run 'jiyue archive' again to rewrite it",
				   "not a manifest line: %s", j ? "not an object" : je.text);
			json_decref(j);
			continue;
		}
		{
			const char *canonical = json_string_value(json_object_get(j, "canonical"));
			long long status = json_integer_value(json_object_get(j, "status"));
			struct manifest_entry *e = arena_alloc(mm->arena, sizeof(*e));
			const char *lp = json_string_value(json_object_get(j, "path"));
			const char *to = json_string_value(json_object_get(j, "redirect"));
			if (canonical && status >= 200 && status < 300 && lp && !path_unsafe_reason(lp, strlen(lp)))
				e->path = arena_strdup(mm->arena, lp);
			else if (canonical && status >= 300 && status < 400 && to)
				e->redirect = arena_strdup(mm->arena, to);
			if (canonical && (e->path || e->redirect) && !strmap_put_new(&entries, canonical, e)) {
				ALLOC_GROW(seen, nr + 1, alloc);
				seen[nr].url = xstrdup(canonical);
				seen[nr++].line = line;
			}
		}
		json_decref(j);
	}
	/* every archived URL, and every redirect of the old site that ends at one */
	for (i = 0; i < nr; i++) {
		const char *lp = follow(&entries, s, seen[i].url);
		if (lp)
			manifest_mapping(mm, s, file, seen[i].line, seen[i].url, lp);
		free(seen[i].url);
	}
	free(seen);
	strmap_release(&entries);
	strbuf_release(&text);
	return 0;
}

/* ---- whole-site modes, targets, notices ---- */

static void read_whole_site(struct old_site *s, struct diag_list *diags)
{
	struct value *w = value_map_get(s->rec.raw, "whole_site"), *mode, *ap;
	const char *f = s->rec.file, *name;
	if (!w || w->type == VAL_NULL)
		return;
	s->whole_line = w->line;
	s->whole_col = w->col;
	mode = w->type == VAL_MAP ? value_map_get(w, "mode") : w;
	name = mode && mode->type == VAL_STR ? mode->u.str.s : NULL;
	if (name && !strcmp(name, "archive"))
		s->whole = WHOLE_ARCHIVE;
	else if (name && !strcmp(name, "redirect"))
		s->whole = WHOLE_REDIRECT;
	else {
		diag_error(diags, f, mode ? mode->line : w->line, mode ? mode->col : w->col,
			   "write 'whole_site: {mode: redirect, to: URL}' or 'whole_site: {mode: archive}'",
			   "unknown whole-site mode '%s'", name ? name : "");
		return;
	}
	if (w->type != VAL_MAP) {
		if (s->whole == WHOLE_REDIRECT)
			diag_error(diags, f, w->line, w->col, "write 'whole_site: {mode: redirect, to: URL}'",
				   "a whole-site redirect needs 'to'");
		return;
	}
	s->whole_to = value_map_str(w, "to");
	if (s->whole == WHOLE_REDIRECT && (!s->whole_to || new_url_problem(s->whole_to)))
		diag_error(diags, f, w->line, w->col, "add 'to: https://www.example.gov.cn/fgw/' (a portal path or a URL)",
			   "a whole-site redirect needs 'to', a portal path or an http(s) URL");
	if (s->whole == WHOLE_ARCHIVE && s->whole_to)
		diag_error(diags, f, w->line, w->col, "remove 'to', or use mode: redirect",
			   "a whole-site archive has no 'to'");
	ap = value_map_get(w, "append_path");
	if (ap && ap->type != VAL_BOOL)
		diag_error(diags, f, ap->line, ap->col, NULL, "'append_path' must be true or false");
	s->append_path = ap && ap->type == VAL_BOOL && ap->u.b;
	if (s->append_path && s->whole != WHOLE_REDIRECT)
		diag_error(diags, f, ap->line, ap->col, NULL, "'append_path' applies to a whole-site redirect only");
}

/* The closure notice about the site: the latest one not withdrawn. */
static struct notice *closure_of(const struct notices *n, const char *id)
{
	size_t i;
	for (i = 0; n && i < n->nr; i++) {
		struct notice *no = n->items[i];
		if (no->kind == NOTICE_CLOSURE && no->site_id && !strcmp(no->site_id, id) && !no->withdrawn)
			return no; /* newest first */
	}
	return NULL;
}

/* Where `/` goes after the notice: its first destination, else the record's `target:`, else its department. */
static void read_target(struct mappings *mm, struct old_site *s, const struct content *c)
{
	struct value *d = s->closure ? value_map_get(s->closure->page->fm, "destinations") : NULL, *t;
	if (d && d->type == VAL_LIST && d->u.list.nr) {
		struct value *e = d->u.list.items[0];
		s->target = e->type == VAL_STR ? e->u.str.s : value_map_str(e, "url");
		s->target_file = s->closure->page->src;
		s->target_line = e->line;
		s->target_col = e->col;
		if (s->target)
			return;
	}
	/* the ledger's target column (checked there: a portal path, or 无 for none) */
	t = value_map_get(s->rec.raw, "target");
	if (siterec_has_target(&s->rec) && t && t->type == VAL_STR) {
		s->target = s->rec.target;
		s->target_file = s->rec.file;
		s->target_line = t->line;
		s->target_col = t->col;
		return;
	}
	if (c && s->rec.department && !slug_unsafe_reason(s->rec.department)) {
		const char *rel = arena_printf(mm->arena, "%s/index.html", s->rec.department);
		if (strmap_get(&c->urls, rel))
			s->target = arena_printf(mm->arena, "/%s/", s->rec.department);
	}
}

static const struct archived_site *capture_of(const struct archives *ar, const char *id)
{
	size_t i;
	for (i = 0; ar && i < ar->nr; i++)
		if (!strcmp(ar->items[i].id, id))
			return &ar->items[i];
	return NULL;
}

/* ---- aliases of portal pages that are old sites' URLs ---- */

static void page_aliases(struct mappings *mm, const struct page *p, struct diag_list *diags)
{
	struct value *v = value_map_get(p->fm, "aliases");
	struct strbuf hp = STRBUF_INIT, name = STRBUF_INIT, key = STRBUF_INIT;
	size_t i;
	for (i = 0; v && v->type == VAL_LIST && i < v->u.list.nr; i++) {
		struct value *e = v->u.list.items[i];
		struct old_site *s;
		struct mapping *m;
		const char *why;
		if (e->type != VAL_STR || (strncmp(e->u.str.s, "http://", 7) && strncmp(e->u.str.s, "https://", 8)))
			continue;
		strbuf_reset(&hp);
		strbuf_reset(&name);
		strbuf_reset(&key);
		s = url_hostport(e->u.str.s, &hp) || host_server_name(hp.buf, &name) ? NULL :
		    mappings_site_of_host(mm, name.buf);
		if (!s) {
			diag_warning(diags, p->src, e->line, e->col,
				     "list the old site's hosts in its record in content/sites/, "
				     "or write an old path of the portal as /old/path.html",
				     "alias '%s' is not on a host of any site record: nothing redirects it", e->u.str.s);
			continue;
		}
		if (mapping_key(s, e->u.str.s, &key, &why)) {
			diag_error(diags, p->src, e->line, e->col, NULL, "alias '%s' %s", e->u.str.s, why);
			continue;
		}
		m = new_mapping(s, mm->arena, MAP_REDIRECT, key.buf, p->src, e->line, e->col);
		m->new_url = arena_printf(mm->arena, "/%s", p->rel);
		add_mapping(mm, s, m);
		s->serves = 1;
	}
	strbuf_release(&hp);
	strbuf_release(&name);
	strbuf_release(&key);
}

/* ---- loading ---- */

static int cmp_mapping(const void *a, const void *b)
{
	return strcmp((*(struct mapping *const *)a)->key, (*(struct mapping *const *)b)->key);
}

static void collect(struct old_site *s)
{
	size_t i;
	for (i = 0; i < s->by_key.cap; i++) {
		struct mapping *m = s->by_key.slots[i].val;
		if (!m)
			continue;
		ALLOC_GROW(s->items, s->nr + 1, s->alloc);
		s->items[s->nr++] = m;
	}
	if (s->nr > 1)
		qsort(s->items, s->nr, sizeof(*s->items), cmp_mapping);
	memset(s->counts, 0, sizeof(s->counts));
	for (i = 0; i < s->nr; i++)
		s->counts[s->items[i]->type]++;
}

static void index_names(struct mappings *mm, struct old_site *s, const char *portal, struct diag_list *diags)
{
	size_t i;
	struct value *hv = value_map_get(s->rec.raw, "hosts");
	for (i = 0; i < s->nr_names; i++) {
		struct old_site *other = strmap_put_new(&mm->by_name, s->names[i], s);
		if (other)
			diag_error(diags, s->rec.file, hv ? hv->line : 1, hv ? hv->col : 1,
				   "a host belongs to one site record only", "host '%s' is also a host of '%s'",
				   s->names[i], other->rec.file);
		else if (!strcmp(s->names[i], portal))
			diag_error(diags, s->rec.file, hv ? hv->line : 1, hv ? hv->col : 1,
				   "an old site's record lists the old site's own hosts only",
				   "host '%s' is the portal's own host (baseURL)", s->names[i]);
	}
}

static int has_mappings_file(char **names, size_t nr, const char *id)
{
	size_t i, n = strlen(id);
	for (i = 0; i < nr; i++)
		if (!strncmp(names[i], id, n) && !strcmp(names[i] + n, ".mappings.csv"))
			return 1;
	return 0;
}

static void load_records(struct mappings *mm, const struct mappings_input *in, struct diag_list *diags)
{
	struct strbuf dir = STRBUF_INIT, portal = STRBUF_INIT, hp = STRBUF_INIT;
	struct diag_list sub = DIAG_LIST_INIT;
	char **names;
	size_t nr, i;
	if (!url_hostport(in->cfg->base_url, &hp))
		host_server_name(hp.buf, &portal);
	path_in(&dir, in->source_dir, "content/sites");
	if (list_dir_sorted(dir.buf, &names, &nr))
		nr = 0, names = NULL;
	for (i = 0; i < nr; i++) {
		size_t n = strlen(names[i]);
		struct old_site *s;
		char *id;
		if (n <= 5 || strcmp(names[i] + n - 5, ".yaml") || names[i][0] == '.')
			continue;
		id = xstrndup(names[i], n - 5);
		s = arena_alloc(mm->arena, sizeof(*s));
		if (!siterec_load(&s->rec, mm->arena, in->source_dir, id, &sub) &&
		    !old_site_prepare(s, mm->arena, &sub) && s->nr_names) {
			ALLOC_GROW(mm->sites, mm->nr_sites + 1, mm->alloc_sites);
			mm->sites[mm->nr_sites++] = s;
			index_names(mm, s, portal.buf, diags);
		}
		/* the ledger's checks report broken records; mappings need a usable one */
		if (sub.errors && has_mappings_file(names, nr, id))
			diag_list_take(diags, &sub);
		diag_list_release(&sub);
		free(id);
	}
	/* a mappings file without its record */
	for (i = 0; i < nr; i++) {
		size_t n = strlen(names[i]), j;
		if (n <= 13 || strcmp(names[i] + n - 13, ".mappings.csv"))
			continue;
		for (j = 0; j < mm->nr_sites && (strlen(mm->sites[j]->rec.id) != n - 13 ||
						 strncmp(mm->sites[j]->rec.id, names[i], n - 13)); j++)
			;
		if (j == mm->nr_sites)
			diag_error(diags, arena_printf(mm->arena, "%s/%s", dir.buf, names[i]), 0, 0,
				   "describe the site in content/sites/ID.yaml", "no usable site record for '%s'", names[i]);
	}
	free_names(names, nr);
	strbuf_release(&dir);
	strbuf_release(&portal);
	strbuf_release(&hp);
}

int mappings_load(struct mappings *mm, struct arena *a, const struct mappings_input *in,
		  struct diag_list *diags)
{
	size_t before = diags->errors, i;
	memset(mm, 0, sizeof(*mm));
	mm->arena = a;
	mm->cfg = in->cfg;
	load_records(mm, in, diags);
	for (i = 0; i < mm->nr_sites; i++)
		load_csv(mm, mm->sites[i], in->source_dir, diags);
	for (i = 0; in->content && i < in->content->nr_pages; i++)
		page_aliases(mm, in->content->pages[i], diags);
	for (i = 0; i < mm->nr_sites; i++) {
		struct old_site *s = mm->sites[i];
		const struct archived_site *cap = capture_of(in->archives, s->rec.id);
		read_whole_site(s, diags);
		s->closure = closure_of(in->notices, s->rec.id);
		if (cap) {
			s->archive_url = arena_printf(a, "%sarchive/%s/", in->cfg->base_url, s->rec.id);
			load_manifest(mm, s, in->archives->dir, diags);
		}
		collect(s);
		s->serves |= cap || s->closure || s->whole;
		if (s->serves)
			read_target(mm, s, in->content);
	}
	return diags->errors > before ? -1 : 0;
}

void mappings_release(struct mappings *mm)
{
	size_t i;
	for (i = 0; i < mm->nr_sites; i++) {
		free(mm->sites[i]->items);
		strmap_release(&mm->sites[i]->by_key);
	}
	free(mm->sites);
	free(mm->dropped);
	strmap_release(&mm->by_name);
	memset(mm, 0, sizeof(*mm));
}

struct old_site *mappings_site_of_host(const struct mappings *mm, const char *name)
{
	return strmap_get(&mm->by_name, name);
}
