#include "gen/redirects.h"
#include "gen/content.h"
#include "gen/notices.h"
#include "gen/render.h"
#include "gen/site.h"
#include "gen/srvconf.h"
#include "gen/theme.h"
#include "gen/tmpldata.h"
#include "archiver/digest.h"
#include "archiver/url.h"
#include "common/csvio.h"
#include "common/diag.h"
#include "common/fsutil.h"
#include "common/path.h"
#include "common/strbuf.h"
#include "common/value.h"
#include "common/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Where a target was written, for messages. */
struct where {
	const char *file;
	unsigned line, col;
	const char *what;     /* "new url", "target", ... */
};

/* ---- loading ---- */

static void read_allowlist(struct redirects *r, struct arena *a, struct diag_list *diags)
{
	struct value *rd = value_map_get(r->cfg->raw, "redirects"), *al = value_map_get(rd, "allow");
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	if (rd && rd->type != VAL_MAP)
		diag_error(diags, r->cfg->file, rd->line, rd->col, "write 'redirects: {allow: [example.org]}'",
			   "'redirects' must be a mapping");
	if (!al)
		return;
	if (al->type != VAL_LIST) {
		diag_error(diags, r->cfg->file, al->line, al->col, "write a list of host names",
			   "'redirects.allow' must be a list");
		return;
	}
	r->allow = arena_alloc(a, (al->u.list.nr + 1) * sizeof(char *));
	for (i = 0; i < al->u.list.nr; i++) {
		struct value *e = al->u.list.items[i];
		strbuf_reset(&sb);
		if (e->type != VAL_STR || host_server_name(e->u.str.s, &sb))
			diag_error(diags, r->cfg->file, e->line, e->col, "write a host name such as example.org",
				   "'redirects.allow' entries must be host names");
		else
			r->allow[r->nr_allow++] = arena_strdup(a, sb.buf);
	}
	strbuf_release(&sb);
}

/* nginx reads a parameter as $arg_NAME: only letters, digits and '_' make a variable name. */
static void check_params(const struct old_site *s, struct diag_list *diags)
{
	struct value *qp = value_map_get(s->rec.raw, "query_params");
	size_t i;
	for (i = 0; i < s->nr_params; i++)
		if (strspn(s->params[i], "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(s->params[i]))
			diag_error(diags, s->rec.file, qp ? qp->line : 1, qp ? qp->col : 1,
				   "significant parameters may hold letters, digits and '_' only",
				   "query parameter '%s' cannot be matched by the server configs", s->params[i]);
}

/* Mappings a whole-site mode overrides are not served: say so once. */
static void warn_overridden(const struct old_site *s, struct diag_list *diags)
{
	size_t n = s->whole == WHOLE_REDIRECT ? s->nr : s->whole == WHOLE_ARCHIVE ? s->counts[MAP_REDIRECT] : 0;
	if (n)
		diag_warning(diags, s->rec.file, s->whole_line, s->whole_col, NULL,
			     "whole-site %s: %zu mapping%s of the site %s not served",
			     s->whole == WHOLE_REDIRECT ? "redirect" : "archive", n, n == 1 ? "" : "s",
			     n == 1 ? "is" : "are");
}

static char *sibling_dir(const char *dest)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(dest);
	const char *slash;
	while (len > 1 && dest[len - 1] == '/')
		len--;
	strbuf_add(&sb, dest, len);
	slash = strrchr(sb.buf, '/');
	if (!slash)
		strbuf_reset(&sb);
	else
		strbuf_setlen(&sb, (size_t)(slash - sb.buf) + 1);
	strbuf_addstr(&sb, "redirects");
	return strbuf_detach(&sb, NULL);
}

static void index_pages(struct redirects *r)
{
	size_t i;
	for (i = 0; i < r->content->nr_pages; i++)
		strmap_put(&r->page_by_rel, r->content->pages[i]->rel, r->content->pages[i]);
	for (i = 0; i < r->content->nr_aliases; i++)
		strmap_put(&r->alias_rels, r->content->aliases[i].rel, r->content->aliases[i].page);
}

/* A path made absolute without touching the disk: "a/b/" -> "/cwd/a/b". */
static char *lexical_abs(const char *p)
{
	struct strbuf sb = STRBUF_INIT;
	char cwd[PATH_MAX];
	if (p[0] != '/' && getcwd(cwd, sizeof(cwd)))
		strbuf_addf(&sb, "%s/", cwd);
	strbuf_addstr(&sb, p);
	while (sb.len > 1 && sb.buf[sb.len - 1] == '/')
		strbuf_setlen(&sb, sb.len - 1);
	return strbuf_detach(&sb, NULL);
}

/* The folder is swapped in whole: it must not be, hold, or lie inside the destination. */
static void check_dir(struct redirects *r, const char *dest, struct diag_list *diags)
{
	char *d = lexical_abs(r->dir), *p = lexical_abs(dest);
	size_t nd = strlen(d), np = strlen(p);
	if (!strcmp(d, p) || (nd > np && !strncmp(d, p, np) && d[np] == '/') ||
	    (np > nd && !strncmp(p, d, nd) && p[nd] == '/'))
		diag_error(diags, NULL, 0, 0, "pass --redirects DIR beside the destination (the default)",
			   "the redirects folder '%s' overlaps the destination '%s': server configs are "
			   "never published", r->dir, dest);
	free(d);
	free(p);
}

int redirects_load(struct redirects *r, struct arena *a, const struct mappings_input *in,
		   const struct cdate *today, const char *dest, const char *dir_opt,
		   int archive_index, struct diag_list *diags)
{
	size_t before = diags->errors, i;
	memset(r, 0, sizeof(*r));
	r->cfg = in->cfg;
	r->content = in->content;
	r->dest = arena_strdup(a, dest);
	r->source_dir = in->source_dir;
	r->today = *today;
	r->archive_index = archive_index;
	r->dir = dir_opt ? arena_strdup(a, dir_opt) : NULL;
	if (!r->dir) {
		char *d = sibling_dir(dest);
		r->dir = arena_strdup(a, d);
		free(d);
	}
	check_dir(r, dest, diags);
	read_allowlist(r, a, diags);
	mappings_load(&r->map, a, in, diags);
	for (i = 0; i < r->map.nr_sites; i++)
		if (r->map.sites[i]->serves) {
			check_params(r->map.sites[i], diags);
			warn_overridden(r->map.sites[i], diags);
		}
	index_pages(r);
	return diags->errors > before ? -1 : 0;
}

int redirects_need_layout(const struct redirects *r)
{
	size_t i;
	for (i = 0; i < r->map.nr_sites; i++)
		if (r->map.sites[i]->serves)
			return 1;
	return 0;
}

void redirects_release(struct redirects *r)
{
	mappings_release(&r->map);
	strmap_release(&r->page_by_rel);
	strmap_release(&r->alias_rels);
	if (r->out.tmp)
		output_abort(&r->out);
}

/* ---- targets ---- */

/* What a Location header may carry into a config: a '$' would be read as a variable by nginx. */
static void add_config_safe(struct strbuf *out, const char *s, int fragment)
{
	srv_percent_encode(out, s, fragment ? "-._~!&'()*+,;=:@/?%" : "!#%&'()*+,-./:;<=>?@[]^_`{|}~", 0);
}

/* Does the built portal have the page at rel (encoded, no query)?  0 yes, else a reason. */
static const char *portal_lacks(struct redirects *r, const char *out_dir, const char *rel,
				const struct page **alias_of, const struct page **page)
{
	struct strbuf dec = STRBUF_INIT, cand = STRBUF_INIT, path = STRBUF_INIT;
	const char *why = NULL;
	int k;
	srv_percent_decode(rel, strlen(rel), 0, &dec);
	if (dec.len && (why = path_unsafe_reason(dec.buf, dec.len)))
		goto out;
	why = "is not a page or file of the portal";
	for (k = 0; k < 2; k++) {
		strbuf_reset(&cand);
		strbuf_addbuf(&cand, &dec);
		if (!dec.len || dec.buf[dec.len - 1] == '/')
			strbuf_addstr(&cand, k ? "" : "index.html");
		else if (k)
			strbuf_addstr(&cand, "/index.html");
		if (!cand.len || (k && cand.len == dec.len))
			continue;
		if ((*alias_of = strmap_get(&r->alias_rels, cand.buf))) {
			why = "is an alias (an old path that redirects again)";
			goto out;
		}
		strbuf_reset(&path);
		if (!path_join_safe(&path, out_dir, cand.buf) && is_file(path.buf)) {
			why = NULL;
			if (cand.len >= 10 && !strcmp(cand.buf + cand.len - 10, "index.html")) {
				strbuf_setlen(&cand, cand.len - 10);
				*page = strmap_get(&r->page_by_rel, cand.buf);
			}
			goto out;
		}
	}
out:
	strbuf_release(&dec);
	strbuf_release(&cand);
	strbuf_release(&path);
	return why;
}

static int allowed_external(const struct redirects *r, const char *name)
{
	size_t i, n = strlen(name);
	static const char *const suffixes[] = { ".gov.cn", ".xn--zfr164b" }; /* .政务 */
	for (i = 0; i < 2; i++) {
		size_t sl = strlen(suffixes[i]);
		if (n > sl && !strcmp(name + n - sl, suffixes[i]))
			return 1;
	}
	for (i = 0; i < r->nr_allow; i++) {
		size_t al = strlen(r->allow[i]);
		if (!strcmp(name, r->allow[i]) || (n > al && name[n - al - 1] == '.' && !strcmp(name + n - al, r->allow[i])))
			return 1;
	}
	return 0;
}

/* The old site whose configs serve a URL's host, or NULL. */
static struct old_site *serving_site(struct redirects *r, const char *url)
{
	struct strbuf hp = STRBUF_INIT, nm = STRBUF_INIT;
	struct old_site *s = NULL;
	if (!url_hostport(url, &hp) && !host_server_name(hp.buf, &nm))
		s = mappings_site_of_host(&r->map, nm.buf);
	strbuf_release(&hp);
	strbuf_release(&nm);
	return s && s->serves ? s : NULL;
}

/*
 * A target on an old host: the old host would redirect again (a chain, or
 * a loop back to `from`), or answer 410 or 404.  Each is an error.
 */
static void old_host_target(struct redirects *r, struct old_site *s2, const char *url, const struct where *w,
			    const struct mapping *from, struct diag_list *diags)
{
	struct strbuf key = STRBUF_INIT, chain = STRBUF_INIT;
	const char *why, *next = url;
	struct mapping *m2 = NULL;
	int hops;
	strbuf_addstr(&chain, url);
	for (hops = 0; hops < 20; hops++) {
		strbuf_reset(&key);
		m2 = mapping_key(s2, next, &key, &why) ? NULL : strmap_get(&s2->by_key, key.buf);
		if (from && m2 == from) {
			diag_error(diags, w->file, w->line, w->col, "point it at a page of the portal",
				   "redirect loop: %s -> %s", from->old_url, chain.buf);
			goto out;
		}
		if (s2->whole == WHOLE_REDIRECT || !m2 || m2->type != MAP_REDIRECT)
			break;
		next = m2->new_url;
		strbuf_addf(&chain, " -> %s", next);
		if (!(s2 = serving_site(r, next)))
			break;
	}
	if (s2 && s2->whole == WHOLE_REDIRECT)
		diag_error(diags, w->file, w->line, w->col, "point it at the page itself",
			   "redirect chain: %s '%s' is on %s, which redirects every URL", w->what, url, s2->names[0]);
	else if (!s2 || (m2 && m2->type == MAP_REDIRECT))
		diag_error(diags, w->file, w->line, w->col, "point it at the last one directly",
			   "redirect chain: %s '%s' is an old URL that redirects again (%s)", w->what, url, chain.buf);
	else
		diag_error(diags, w->file, w->line, w->col, "point it at a page of the portal",
			   "%s '%s' is an old URL of '%s' that %s", w->what, url, s2->rec.id,
			   m2 || s2->whole == WHOLE_ARCHIVE ? "is archived (410)" : "has no mapping (404)");
out:
	strbuf_release(&key);
	strbuf_release(&chain);
}

/*
 * Resolve a target as written (a portal path or a URL): *abs is what the
 * servers send in Location, *rel the portal path below the root (or NULL).
 * Returns 0, or -1 after reporting why it cannot be used.
 */
static int resolve(struct redirects *r, const char *out_dir, const char *u, const struct where *w,
		   const struct mapping *from, const char **abs, const char **rel, const char **title,
		   struct diag_list *diags)
{
	struct arena *a = r->map.arena;
	const struct site_config *cfg = r->cfg;
	struct strbuf in = STRBUF_INIT, norm = STRBUF_INIT, hp = STRBUF_INIT, name = STRBUF_INIT, portal = STRBUF_INIT;
	const char *hash = strchr(u, '#'), *why;
	int ret = -1;

	*abs = *rel = NULL;
	if (title)
		*title = NULL;
	if (u[0] == '/' && u[1] != '/')
		strbuf_addf(&in, "%s%.*s", cfg->base_url, (int)(hash ? (size_t)(hash - u - 1) : strlen(u) - 1), u + 1);
	else
		strbuf_add(&in, u, hash ? (size_t)(hash - u) : strlen(u));
	if (url_normalize(in.buf, &norm) || url_hostport(norm.buf, &hp) || host_server_name(hp.buf, &name)) {
		diag_error(diags, w->file, w->line, w->col, NULL, "%s '%s' is not a valid URL", w->what, u);
		goto out;
	}
	url_hostport(cfg->base_url, &portal);
	strbuf_reset(&hp);
	host_server_name(portal.buf, &hp);
	if (!strcmp(name.buf, hp.buf)) {
		const char *path = strchr(strstr(norm.buf, "://") + 3, '/');
		size_t rootlen = strlen(cfg->root), plen;
		const struct page *alias_of = NULL, *page = NULL;
		char *p;
		if (strncmp(path, cfg->root, rootlen) && strncmp(path, cfg->root, rootlen - 1)) {
			diag_error(diags, w->file, w->line, w->col, NULL, "%s '%s' is outside the portal's root '%s'",
				   w->what, u, cfg->root);
			goto out;
		}
		path += strncmp(path, cfg->root, rootlen) ? rootlen - 1 : rootlen;
		plen = strcspn(path, "?");
		p = arena_strndup(a, path, plen);
		if ((why = portal_lacks(r, out_dir, p, &alias_of, &page))) {
			struct strbuf hint = STRBUF_INIT;
			if (alias_of)
				strbuf_addf(&hint, "point it at the page itself: %s%s", cfg->root, alias_of->rel);
			diag_error(diags, w->file, w->line, w->col, alias_of ? hint.buf :
				   "point it at a page of this build (check the path, or build the page first)",
				   "%s '%s' %s", w->what, u, why);
			strbuf_release(&hint);
			goto out;
		}
		*rel = p;
		if (title && page)
			*title = page->title;
	} else {
		struct old_site *s2 = mappings_site_of_host(&r->map, name.buf);
		if (s2 && s2->serves) {
			old_host_target(r, s2, norm.buf, w, from, diags);
			goto out;
		}
		if (!allowed_external(r, name.buf)) {
			diag_error(diags, w->file, w->line, w->col,
				   "government sites only: a host under .gov.cn or .政务, or add it to "
				   "'redirects: {allow: [...]}' in site.yaml",
				   "%s '%s' is on '%s', which is not an allowed host", w->what, u, name.buf);
			goto out;
		}
	}
	strbuf_reset(&in);
	add_config_safe(&in, norm.buf, 0);
	if (hash && hash[1]) {
		strbuf_addch(&in, '#');
		add_config_safe(&in, hash + 1, 1);
	}
	*abs = arena_strdup(a, in.buf);
	ret = 0;
out:
	strbuf_release(&in);
	strbuf_release(&norm);
	strbuf_release(&hp);
	strbuf_release(&name);
	strbuf_release(&portal);
	return ret;
}

static void check_mapping(struct redirects *r, struct old_site *s, struct mapping *m, const char *out_dir,
			  struct diag_list *diags)
{
	struct where w = { m->file, m->line, m->col, "new url" };
	const char *rel;
	if (m->type == MAP_REDIRECT) {
		if (s->whole == WHOLE_NONE)
			resolve(r, out_dir, m->new_url, &w, m, &m->target, &m->target_rel, NULL, diags);
		return;
	}
	if (m->suggested_url) {
		w.what = "suggested url";
		resolve(r, out_dir, m->suggested_url, &w, NULL, &m->suggested_url, &rel, &m->suggested_title, diags);
	} else if (s->home_target) {
		m->suggested_url = s->home_target;
		m->suggested_title = s->home_title;
	}
	if (m->archive_url && !m->archive_rel) {
		w.what = "archive url";
		resolve(r, out_dir, m->archive_url, &w, NULL, &m->archive_url, &m->archive_rel, NULL, diags);
	}
}

static void check_site(struct redirects *r, struct old_site *s, const char *out_dir, struct diag_list *diags)
{
	size_t i;
	const char *rel;
	if (s->whole == WHOLE_REDIRECT) {
		struct where w = { s->rec.file, s->whole_line, s->whole_col, "whole_site.to" };
		resolve(r, out_dir, s->whole_to, &w, NULL, &s->whole_target, &rel, NULL, diags);
	}
	if (s->target && s->whole == WHOLE_NONE) {
		struct where w = { s->target_file, s->target_line, s->target_col, "target" };
		resolve(r, out_dir, s->target, &w, NULL, &s->home_target, &rel, &s->home_title, diags);
	}
	for (i = 0; i < s->nr; i++)
		check_mapping(r, s, s->items[i], out_dir, diags);
}

/* ---- the 410 and 404 pages ---- */

static void gone_page_name(struct mapping *m, struct arena *a)
{
	struct strbuf h = STRBUF_INIT;
	digest_sha256_hex(m->key, strlen(m->key), &h);
	m->page = arena_printf(a, "%.16s.html", h.buf);
	strbuf_release(&h);
}

static struct value *S(struct arena *a, const char *s)
{
	return value_str(a, s);
}

static void set_opt(struct arena *a, struct value *m, const char *k, const char *v)
{
	if (v)
		value_map_set(a, m, k, S(a, v));
}

/* kind: "archive", "unresolved", "not_found" or "site" (whole-site archive) */
static struct value *gone_context(struct redirects *r, struct arena *a, const struct old_site *s,
				  const struct mapping *m, const char *kind, struct value *site)
{
	struct value *ctx = value_map(a), *page = value_map(a), *old = value_map(a), *g = value_map(a);
	struct strbuf hosts = STRBUF_INIT;
	int not_found = !strcmp(kind, "not_found");
	size_t i;
	value_map_set(a, ctx, "site", site);
	value_map_set(a, page, "title", S(a, not_found ? "页面不存在" : "页面已归档"));
	value_map_set(a, page, "kind", S(a, "gone"));
	value_map_set(a, page, "is_gone", value_bool(a, 1));
	value_map_set(a, ctx, "page", page);
	value_map_set(a, ctx, "portal_url", S(a, r->cfg->base_url));
	value_map_set(a, ctx, "portal_title", S(a, r->cfg->title));
	if (r->archive_index)
		value_map_set(a, ctx, "archive_index_url", S(a, arena_printf(a, "%sarchive/", r->cfg->base_url)));
	value_map_set(a, old, "id", S(a, s->rec.id));
	value_map_set(a, old, "name", S(a, s->rec.name ? s->rec.name : s->rec.id));
	/* as the record writes them: a Chinese domain reads as fgw.示例.政务, not punycode */
	for (i = 0; i < s->rec.nr_hosts; i++)
		strbuf_addf(&hosts, "%s%s", i ? " " : "", s->rec.hosts[i]);
	value_map_set(a, old, "hosts", value_strn(a, hosts.buf, hosts.len));
	set_opt(a, old, "archive_url", s->archive_url);
	value_map_set(a, ctx, "old_site", old);
	value_map_set(a, g, "status", value_int(a, not_found ? 404 : 410));
	value_map_set(a, g, arena_printf(a, "is_%s", kind), value_bool(a, 1));
	value_map_set(a, g, not_found ? "is_404" : "is_410", value_bool(a, 1));
	if (m) {
		set_opt(a, g, "old_url", m->old_url);
		set_opt(a, g, "archive_url", m->archive_url);
		set_opt(a, g, "suggested_url", m->suggested_url);
		set_opt(a, g, "suggested_title", m->suggested_title);
	} else if (s->home_target) {
		set_opt(a, g, "suggested_url", s->home_target);
		set_opt(a, g, "suggested_title", s->home_title);
	}
	value_map_set(a, ctx, "gone", g);
	strbuf_release(&hosts);
	return ctx;
}

static void render_gone(struct redirects *r, const struct mu_template *t, struct theme *theme,
			const char *out_dir, const struct old_site *s, const struct mapping *m,
			const char *kind, const char *file, struct value *site, struct diag_list *diags)
{
	struct arena a = ARENA_INIT;
	struct strbuf html = STRBUF_INIT, path = STRBUF_INIT;
	struct mu_error err;
	mu_error_init(&err);
	if (mu_render(t, &value_mu_data, gone_context(r, &a, s, m, kind, site), theme->cache, &html, &err)) {
		theme_report(&err, diags);
	} else {
		strbuf_addf(&path, "%s/gone/%s", out_dir, s->rec.id);
		if (mkdir_p(path.buf, 0755))
			diag_error(diags, path.buf, 0, 0, NULL, "unable to create: %s", strerror(errno));
		strbuf_addf(&path, "/%s", file);
		if (write_file(path.buf, html.buf, html.len))
			diag_error(diags, path.buf, 0, 0, NULL, "unable to write: %s", strerror(errno));
	}
	mu_error_release(&err);
	strbuf_release(&html);
	strbuf_release(&path);
	arena_release(&a);
}

static void write_gone_pages(struct redirects *r, const char *out_dir, struct theme *theme,
			     struct value *site, struct diag_list *diags)
{
	struct mu_error err;
	const struct mu_template *t;
	size_t i, j;
	mu_error_init(&err);
	t = mu_cache_get(theme->cache, "gone", &err);
	if (!t) {
		theme_report(&err, diags);
		mu_error_release(&err);
		return;
	}
	mu_error_release(&err);
	for (i = 0; i < r->map.nr_sites; i++) {
		struct old_site *s = r->map.sites[i];
		if (!s->serves)
			continue;
		render_gone(r, t, theme, out_dir, s, NULL, "not_found", "404.html", site, diags);
		if (s->whole == WHOLE_ARCHIVE)
			render_gone(r, t, theme, out_dir, s, NULL, "site", "index.html", site, diags);
		if (s->whole == WHOLE_REDIRECT)
			continue;
		for (j = 0; j < s->nr; j++) {
			struct mapping *m = s->items[j];
			if (m->type == MAP_REDIRECT)
				continue;
			gone_page_name(m, r->map.arena);
			render_gone(r, t, theme, out_dir, s, m, mapping_type_name(m->type), m->page, site, diags);
		}
	}
}

/* ---- _redirects: the portal's own aliases ---- */

static void add_href_path(struct strbuf *out, const char *path)
{
	srv_percent_encode(out, path, "-._~!$&'()*+,;=:@/", 0);
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void write_netlify(struct redirects *r, const char *out_dir, struct diag_list *diags)
{
	struct strbuf line = STRBUF_INIT, all = STRBUF_INIT, path = STRBUF_INIT;
	char **lines;
	size_t i, n = r->content->nr_aliases;
	if (!n)
		return;
	lines = xcalloc(n, sizeof(char *));
	for (i = 0; i < n; i++) {
		const struct alias *al = &r->content->aliases[i];
		size_t len = strlen(al->rel);
		strbuf_reset(&line);
		strbuf_addstr(&line, r->cfg->root);
		if (len >= 10 && !strcmp(al->rel + len - 10, "index.html"))
			len -= 10;
		strbuf_addf(&path, "%.*s", (int)len, al->rel);
		add_href_path(&line, path.buf);
		strbuf_reset(&path);
		strbuf_addf(&line, " %s", r->cfg->root);
		add_href_path(&line, al->page->rel);
		strbuf_addstr(&line, " 301\n");
		lines[i] = strbuf_detach(&line, NULL);
	}
	qsort(lines, n, sizeof(char *), cmp_lines);
	strbuf_addstr(&all, "# The portal's old paths (front matter aliases); generated by jiyue build.\n");
	for (i = 0; i < n; i++) {
		strbuf_addstr(&all, lines[i]);
		free(lines[i]);
	}
	free(lines);
	strbuf_addf(&path, "%s/_redirects", out_dir);
	if (write_file(path.buf, all.buf, all.len))
		diag_error(diags, path.buf, 0, 0, NULL, "unable to write: %s", strerror(errno));
	r->stats.aliases = n;
	strbuf_release(&line);
	strbuf_release(&all);
	strbuf_release(&path);
}

/* ---- the redirects folder ---- */

static int put_file(struct redirects *r, const char *rel, const struct strbuf *data, struct diag_list *diags)
{
	struct strbuf path = STRBUF_INIT;
	int ret = 0;
	strbuf_addf(&path, "%s/%s", r->out.tmp, rel);
	if (write_file(path.buf, data->buf, data->len)) {
		diag_error(diags, path.buf, 0, 0, NULL, "unable to write: %s", strerror(errno));
		ret = -1;
	}
	strbuf_release(&path);
	return ret;
}

static const char *where_of(struct arena *a, const struct mapping *m)
{
	return m->line ? arena_printf(a, "%s:%u", m->file, m->line) : m->file;
}

static void csv_mapping(struct strbuf *csv, const struct mapping *m, const char *type, const char *new_url)
{
	const char *f[5] = { m->old_url, type, new_url, m->archive_url, m->type == MAP_REDIRECT ? NULL : m->suggested_url };
	csv_add_row(csv, f, 5);
}

static void csv_site(struct redirects *r, const struct old_site *s, const struct srvconf_options *o,
		     struct strbuf *csv)
{
	size_t i;
	const char *star = arena_printf(r->map.arena, "http://%s/*", s->names[0]);
	if (o->closing) {
		const char *f[5] = { arena_printf(r->map.arena, "http://%s/", s->names[0]), "notice",
				     arena_printf(r->map.arena, "%s%s", r->cfg->base_url,
						  render_closure_rel(r->map.arena, s->closure)), NULL, NULL };
		csv_add_row(csv, f, 5);
	}
	if (s->whole != WHOLE_NONE) {
		const char *f[5] = { star, s->whole == WHOLE_REDIRECT ? "redirect" : "archive",
				     s->whole == WHOLE_REDIRECT ? arena_printf(r->map.arena, "%s%s", s->whole_target,
									       s->append_path ? "*" : "") : NULL,
				     s->archive_url, NULL };
		csv_add_row(csv, f, 5);
	}
	for (i = 0; i < s->nr; i++) {
		const struct mapping *m = s->items[i];
		if (s->whole == WHOLE_REDIRECT || (s->whole == WHOLE_ARCHIVE && m->type == MAP_REDIRECT))
			continue;
		csv_mapping(csv, m, mapping_type_name(m->type), m->target);
	}
}

static void dropped_row(struct redirects *r, struct strbuf *csv, const struct mapping *m,
			const struct mapping *kept, const char *reason)
{
	const char *f[7] = { m->old_url, mapping_type_name(m->type), m->new_url, where_of(r->map.arena, m),
			     kept ? where_of(r->map.arena, kept) : NULL, kept ? kept->old_url : NULL, reason };
	csv_add_row(csv, f, 7);
}

/* The mapping `/` gets after the notice: a 301 to the site's target, unless mapped already. */
static const struct mapping *home_mapping(struct redirects *r, struct old_site *s, const struct srvconf_options *o)
{
	struct mapping *m;
	struct strbuf key = STRBUF_INIT;
	const char *why;
	if (o->closing || !o->home || s->whole != WHOLE_NONE)
		return NULL;
	mapping_key(s, "/", &key, &why);
	m = strmap_get(&s->by_key, key.buf);
	if (m) {
		strbuf_release(&key);
		return NULL;
	}
	m = arena_alloc(r->map.arena, sizeof(*m));
	m->type = MAP_REDIRECT;
	m->key = arena_strdup(r->map.arena, key.buf);
	m->old_url = arena_printf(r->map.arena, "http://%s%s", s->names[0], key.buf);
	m->target = o->home;
	m->site = s;
	m->file = s->target_file;
	m->line = s->target_line;
	strbuf_release(&key);
	return m;
}

static void site_options(struct redirects *r, const struct old_site *s, struct srvconf_options *o,
			 const char *root, const char *maps, const char *date)
{
	const struct notice *no = s->closure;
	memset(o, 0, sizeof(*o));
	o->root = root;
	o->listen = r->cfg->deploy.listen;
	o->maps_dir = maps;
	o->date = date;
	if (no && no->state == NOTICE_ACTIVE) {
		struct strbuf u = STRBUF_INIT;
		o->closing = arena_printf(r->map.arena, "%sindex.html", render_closure_rel(r->map.arena, no));
		date_fmt_iso(&no->until, &u);
		o->until = arena_strdup(r->map.arena, u.buf);
		strbuf_release(&u);
	}
	o->home = s->home_target;
}

/* Where a folder is, for a config: resolved when it exists, else made absolute as written. */
static char *absolute(const char *path)
{
	char buf[PATH_MAX];
	if (path[0] == '/' || !realpath(path, buf))
		return lexical_abs(path);
	return xstrdup(buf);
}

static void write_site_configs(struct redirects *r, struct old_site *s, const struct srvconf_options *o,
			       struct strbuf *csv, struct strbuf *dropped, struct diag_list *diags)
{
	struct srv_table t;
	struct strbuf conf = STRBUF_INIT, map = STRBUF_INIT, rel = STRBUF_INIT;
	size_t j;
	srv_table_build(&t, s, home_mapping(r, s, o));
	if (t.nr > r->map_entries)
		r->map_entries = t.nr;
	for (j = 0; j < t.nr; j++)
		if (strlen(t.items[j].key) > r->map_longest)
			r->map_longest = strlen(t.items[j].key);
	/* two map variables per host name, "jiyue_<name>_<hash>_gone" and "_to" */
	r->nginx_vars += 2 * s->nr_names;
	for (j = 0; j < s->nr_names; j++)
		if (strlen(s->names[j]) + 32 > r->var_longest)
			r->var_longest = strlen(s->names[j]) + 32;
	for (j = 0; j < t.nr_dropped; j++)
		dropped_row(r, dropped, t.dropped[j].m, NULL,
			    "the servers see the same request as another mapping (a repeated parameter or an encoded '/')");
	r->stats.dropped += t.nr_dropped;
	csv_site(r, s, o, csv);
	for (j = 0; j < s->nr_names; j++) {
		strbuf_reset(&conf);
		strbuf_reset(&rel);
		srvconf_nginx(s, &t, s->names[j], o, &conf);
		strbuf_addf(&rel, "nginx/%s.conf", s->names[j]);
		put_file(r, rel.buf, &conf, diags);
		strbuf_reset(&conf);
		strbuf_reset(&map);
		strbuf_reset(&rel);
		srvconf_apache(s, &t, s->names[j], o, &conf, &map);
		strbuf_addf(&rel, "apache/%s.conf", s->names[j]);
		put_file(r, rel.buf, &conf, diags);
		strbuf_reset(&rel);
		strbuf_addf(&rel, "apache/%s.map", s->names[j]);
		put_file(r, rel.buf, &map, diags);
		r->stats.hosts++;
	}
	for (j = 0; j < MAP_TYPES; j++)
		r->stats.counts[j] += s->counts[j];
	srv_table_release(&t);
	strbuf_release(&conf);
	strbuf_release(&map);
	strbuf_release(&rel);
}

/* A hash bucket that holds keys of this length, as nginx lays them out. */
static size_t hash_bucket(size_t longest)
{
	size_t bucket = (2 * (longest + 2 + 2 * sizeof(void *)) + 63) / 64 * 64;
	return bucket < 64 ? 64 : bucket;
}

/*
 * nginx's map hashes must fit the largest map and its longest key, and its
 * variables hash every map's variable (two per old host name, with the
 * host in their names), or nginx refuses to start: the sizes are
 * http-level settings, so one file sets them.
 */
static void write_nginx_sizes(struct redirects *r, struct diag_list *diags)
{
	struct strbuf conf = STRBUF_INIT;
	size_t max_size = r->map_entries * 2 < 2048 ? 2048 : (r->map_entries * 2 + 1023) / 1024 * 1024;
	/* nginx has a few hundred variables of its own */
	size_t vars = (4 * (r->nginx_vars + 512) + 1023) / 1024 * 1024;
	strbuf_addf(&conf, "# http-level settings for the maps of the old hosts' configs beside this file:\n"
		    "# nginx sizes a map's hash when it reads the map, so this file must come first\n"
		    "# (its name sorts before any host's).  Generated by `jiyue build`.  They may be\n"
		    "# set once: if nginx.conf sets them, keep the larger values there and drop this file.\n"
		    "map_hash_max_size %zu;\nmap_hash_bucket_size %zu;\n"
		    "variables_hash_max_size %zu;\nvariables_hash_bucket_size %zu;\n",
		    max_size, hash_bucket(r->map_longest), vars, hash_bucket(r->var_longest));
	put_file(r, "nginx/+http.conf", &conf, diags);
	strbuf_release(&conf);
}

static void alias_rows(struct redirects *r, struct strbuf *csv)
{
	size_t i;
	for (i = 0; i < r->content->nr_aliases; i++) {
		const struct alias *al = &r->content->aliases[i];
		size_t len = strlen(al->rel);
		const char *f[5] = { NULL, "redirect", NULL, NULL, NULL };
		if (len >= 10 && !strcmp(al->rel + len - 10, "index.html"))
			len -= 10;
		f[0] = arena_printf(r->map.arena, "%s%.*s", r->cfg->base_url, (int)len, al->rel);
		f[2] = arena_printf(r->map.arena, "%s%s", r->cfg->base_url, al->page->rel);
		csv_add_row(csv, f, 5);
	}
}

static int write_folder(struct redirects *r, const char *dest, const char *source_dir, struct diag_list *diags)
{
	static const char *const head[] = { "old_url", "type", "new_url", "archive_url", "suggested_url" };
	static const char *const dhead[] = { "old_url", "type", "new_url", "source", "kept_source", "kept_old_url", "reason" };
	struct strbuf csv = STRBUF_INIT, dropped = STRBUF_INIT, err = STRBUF_INIT, date = STRBUF_INIT, sub = STRBUF_INIT;
	char *root = absolute(r->cfg->deploy.root ? r->cfg->deploy.root : dest), *maps;
	size_t i;
	int ret = -1;

	if (output_begin(&r->out, r->dir, source_dir, &err)) {
		diag_error(diags, NULL, 0, 0, "pass --redirects DIR", "%s", err.buf);
		goto out;
	}
	maps = r->cfg->deploy.redirects ? xstrdup(r->cfg->deploy.redirects) : absolute(r->dir);
	strbuf_addf(&sub, "%s/apache", maps);
	free(maps);
	maps = strbuf_detach(&sub, NULL);
	date_fmt_iso(&r->today, &date);
	csv_add_row(&csv, head, 5);
	csv_add_row(&dropped, dhead, 7);
	for (i = 0; i < r->map.nr_dropped; i++)
		dropped_row(r, &dropped, r->map.dropped[i].m, r->map.dropped[i].kept, r->map.dropped[i].reason);
	r->stats.dropped = r->map.nr_dropped;
	strbuf_addf(&sub, "%s/nginx", r->out.tmp);
	mkdir_p(sub.buf, 0755);
	strbuf_reset(&sub);
	strbuf_addf(&sub, "%s/apache", r->out.tmp);
	mkdir_p(sub.buf, 0755);
	for (i = 0; i < r->map.nr_sites; i++) {
		struct old_site *s = r->map.sites[i];
		struct srvconf_options o;
		if (!s->serves)
			continue;
		site_options(r, s, &o, root, maps, date.buf);
		write_site_configs(r, s, &o, &csv, &dropped, diags);
	}
	write_nginx_sizes(r, diags);
	alias_rows(r, &csv);
	put_file(r, "redirects.csv", &csv, diags);
	put_file(r, "dropped.csv", &dropped, diags);
	free(maps);
	ret = 0;
out:
	free(root);
	strbuf_release(&csv);
	strbuf_release(&dropped);
	strbuf_release(&err);
	strbuf_release(&date);
	strbuf_release(&sub);
	return ret;
}

int redirects_produce(struct redirects *r, const char *out_dir, struct theme *theme,
		      struct value *site, struct diag_list *diags)
{
	size_t before = diags->errors, i;
	int serving = redirects_need_layout(r);
	for (i = 0; i < r->map.nr_sites; i++)
		if (r->map.sites[i]->serves)
			check_site(r, r->map.sites[i], out_dir, diags);
	if (diags->errors > before)
		return -1;
	if (serving)
		write_gone_pages(r, out_dir, theme, site, diags);
	write_netlify(r, out_dir, diags);
	if (!serving && !r->content->nr_aliases && !is_dir(r->dir))
		return diags->errors > before ? -1 : 0;
	r->stats.dir = r->dir;
	if (write_folder(r, r->dest, r->source_dir, diags))
		return -1;
	return diags->errors > before ? -1 : 0;
}

int redirects_commit(struct redirects *r, struct strbuf *err)
{
	if (!r->out.tmp)
		return 0;
	if (output_commit(&r->out, err))
		return -1;
	r->stats.written = 1;
	return 0;
}

void redirects_abort(struct redirects *r)
{
	if (r->out.tmp)
		output_abort(&r->out);
}
