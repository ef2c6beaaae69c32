#include "gen/render.h"
#include "gen/content.h"
#include "gen/markdown.h"
#include "gen/notices.h"
#include "common/siterec.h"
#include "gen/site.h"
#include "gen/theme.h"
#include "gen/tmpldata.h"
#include "common/fsutil.h"

#include <git2.h>
#include "common/value.h"
#include "common/xalloc.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#define HOME_COLUMN_ITEMS 5
#define HOME_LATEST 10

static struct value *S(struct arena *a, const char *s)
{
	return value_str_ref(a, s, strlen(s));
}

static void set(struct arena *a, struct value *m, const char *k, struct value *v)
{
	if (v)
		value_map_set(a, m, k, v);
}

static struct value *map_copy(struct arena *a, const struct value *src)
{
	struct value *m = value_map(a);
	size_t i;
	for (i = 0; src && i < src->u.map.nr; i++)
		value_map_set(a, m, src->u.map.items[i].key, src->u.map.items[i].val);
	return m;
}

static const char *url_of(struct arena *a, const struct site_config *cfg, const char *rel)
{
	return arena_printf(a, "%s%s", cfg->root, rel);
}

/* ---- shared values ---- */

void render_shared_init(struct render_shared *sh)
{
	memset(sh, 0, sizeof(*sh));
	arena_init(&sh->arena);
}

void render_shared_release(struct render_shared *sh)
{
	free(sh->dept_notices);
	free(sh->site_for);
	free(sh->newest);
	arena_release(&sh->arena);
}

static struct value *department_nav(struct render_shared *sh, ssize_t current)
{
	struct arena *a = &sh->arena;
	struct section *root = sh->content->root;
	struct value *list = value_list(a);
	size_t i;
	for (i = 0; i < root->nr_children; i++) {
		struct page *p = root->children[i]->page;
		struct value *m = value_map(a);
		const char *shrt = value_map_str(p->fm, "short");
		set(a, m, "title", S(a, p->title));
		set(a, m, "short", S(a, shrt ? shrt : p->title));
		set(a, m, "url", value_map_get(p->item, "url"));
		if (p->summary)
			set(a, m, "summary", S(a, p->summary));
		if ((ssize_t)i == current)
			set(a, m, "current", value_bool(a, 1));
		value_list_push(a, list, m);
	}
	return list;
}

static void prepare_site(struct render_shared *sh)
{
	struct arena *a = &sh->arena;
	const struct site_config *cfg = sh->cfg;
	struct value *m = value_map(a);
	size_t i, n = sh->content->root->nr_children;

	set(a, m, "title", S(a, cfg->title));
	set(a, m, "root", S(a, cfg->root));
	set(a, m, "baseURL", S(a, cfg->base_url));
	set(a, m, "language", S(a, cfg->language));
	set(a, m, "year", value_int(a, sh->today.year));
	set(a, m, "footer", value_map_get(cfg->raw, "footer"));
	set(a, m, "platforms", value_map_get(cfg->raw, "platforms"));
	set(a, m, "params", cfg->raw);
	set(a, m, "departments", department_nav(sh, -1));
	sh->site_plain = m;
	sh->site_for = xcalloc(n ? n : 1, sizeof(*sh->site_for));
	for (i = 0; i < n; i++) {
		sh->site_for[i] = map_copy(a, m);
		set(a, sh->site_for[i], "departments", department_nav(sh, (ssize_t)i));
	}
}

static struct value *latest_items(struct arena *a, struct page **pages, size_t nr, size_t max)
{
	struct value *list = value_list(a);
	size_t i;
	for (i = 0; i < nr && i < max; i++)
		value_list_push(a, list, pages[i]->item);
	return list;
}

static struct value *column_entry(struct render_shared *sh, struct section *col)
{
	struct arena *a = &sh->arena;
	struct value *m = map_copy(a, col->page->item);
	set(a, m, "count", value_int(a, (long long)col->nr_pages));
	if (!col->page->link)
		set(a, m, "items", latest_items(a, col->pages, col->nr_pages, HOME_COLUMN_ITEMS));
	return m;
}

static struct value *department_columns(struct render_shared *sh, struct section *dept)
{
	struct value *list = value_list(&sh->arena);
	size_t i;
	for (i = 0; i < dept->nr_children; i++)
		value_list_push(&sh->arena, list, column_entry(sh, dept->children[i]));
	return list;
}

static struct section *ancestor_at(struct section *s, int depth)
{
	while (s && s->depth > depth)
		s = s->parent;
	return s && s->depth == depth ? s : NULL;
}

static void prepare_home(struct render_shared *sh)
{
	struct arena *a = &sh->arena;
	struct section *root = sh->content->root;
	size_t i;

	sh->home_departments = value_list(a);
	for (i = 0; i < root->nr_children; i++) {
		struct section *d = root->children[i];
		struct value *m = map_copy(a, value_map_get(sh->site_plain, "departments")->u.list.items[i]);
		set(a, m, "columns", department_columns(sh, d));
		value_list_push(a, sh->home_departments, m);
	}
	sh->latest = value_list(a);
	for (i = 0; i < sh->nr_newest && i < HOME_LATEST; i++) {
		struct page *p = sh->newest[i];
		struct value *m = map_copy(a, p->item);
		struct section *d = ancestor_at(p->section, 1), *c = ancestor_at(p->section, 2);
		if (d)
			set(a, m, "department", S(a, d->page->title));
		if (c)
			set(a, m, "column", S(a, c->page->title));
		value_list_push(a, sh->latest, m);
	}
}

static void collect_articles(struct render_shared *sh)
{
	struct content *c = sh->content;
	size_t i, alloc = 0;
	for (i = 0; i < c->nr_pages; i++) {
		if (c->pages[i]->kind != PAGE_ARTICLE)
			continue;
		ALLOC_GROW(sh->newest, sh->nr_newest + 1, alloc);
		sh->newest[sh->nr_newest++] = c->pages[i];
	}
	content_sort_newest(sh->newest, sh->nr_newest);
}

static int notice_in_department(const struct notice *no, const struct section *d)
{
	const char *dept = no->site ? no->site->department : NULL;
	const char *own = value_map_str(no->page->fm, "department");
	if (own)
		dept = own;
	return dept && !strcmp(dept, d->dir);
}

/* Active notices for the homepage and each department; the notice column's three lists. */
static void prepare_notices(struct render_shared *sh)
{
	struct arena *a = &sh->arena;
	struct section *root = sh->content->root;
	size_t i, j, n = root->nr_children;

	sh->active_notices = value_list(a);
	sh->notices_active = value_list(a);
	sh->notices_archive = value_list(a);
	sh->notices_withdrawn = value_list(a);
	sh->dept_notices = xcalloc(n ? n : 1, sizeof(*sh->dept_notices));
	for (j = 0; j < n; j++)
		sh->dept_notices[j] = value_list(a);
	for (i = 0; sh->notices && i < sh->notices->nr; i++) {
		struct notice *no = sh->notices->items[i];
		switch (no->state) {
		case NOTICE_ACTIVE:
			value_list_push(a, sh->active_notices, no->item);
			value_list_push(a, sh->notices_active, no->item);
			for (j = 0; j < n; j++)
				if (notice_in_department(no, root->children[j]))
					value_list_push(a, sh->dept_notices[j], no->item);
			break;
		case NOTICE_EXPIRED:
			value_list_push(a, sh->notices_archive, no->item);
			break;
		case NOTICE_WITHDRAWN:
			value_list_push(a, sh->notices_withdrawn, no->item);
			break;
		default:
			break; /* scheduled: shown from its first day */
		}
	}
}

void render_shared_prepare(struct render_shared *sh)
{
	collect_articles(sh);
	prepare_site(sh);
	prepare_home(sh);
	prepare_notices(sh);
}

const char *render_closure_rel(struct arena *a, const struct notice *no)
{
	return arena_printf(a, "closing/%s/", no->site_id);
}

size_t render_list_pages(const struct render_shared *sh, const struct section *s)
{
	size_t per = (size_t)sh->cfg->paginate;
	return s->nr_pages ? (s->nr_pages + per - 1) / per : 1;
}

const char *render_list_rel(struct arena *a, const struct page *p, size_t n)
{
	if (n <= 1)
		return p->rel;
	return arena_printf(a, "%spage/%zu/", p->rel, n);
}

/* ---- per page ---- */

void renderer_init(struct renderer *r, struct render_shared *sh)
{
	memset(r, 0, sizeof(*r));
	r->sh = sh;
	arena_init(&r->arena);
	strbuf_init(&r->html, 0);
	strbuf_init(&r->body, 0);
	strbuf_init(&r->file, 0);
	strbuf_init(&r->path, 0);
	diag_list_init(&r->diags);
}

void renderer_release(struct renderer *r)
{
	arena_release(&r->arena);
	strbuf_release(&r->html);
	strbuf_release(&r->body);
	strbuf_release(&r->file);
	strbuf_release(&r->path);
	diag_list_release(&r->diags);
}

static ssize_t department_index(struct render_shared *sh, struct section *s)
{
	struct section *d = ancestor_at(s, 1);
	size_t i;
	for (i = 0; d && i < sh->content->root->nr_children; i++)
		if (sh->content->root->children[i] == d)
			return (ssize_t)i;
	return -1;
}

static struct value *link_to(struct arena *a, const struct page *p)
{
	struct value *m = value_map(a);
	set(a, m, "title", value_map_get(p->item, "title"));
	set(a, m, "url", value_map_get(p->item, "url"));
	return m;
}

static struct value *breadcrumbs(struct arena *a, const struct page *p)
{
	struct section *chain[64];
	struct section *s = p->kind == PAGE_ARTICLE ? p->section : p->section->parent;
	size_t n = 0;
	struct value *list = value_list(a);
	for (; s && n < 64; s = s->parent)
		chain[n++] = s;
	while (n--) {
		struct value *m = link_to(a, chain[n]->page);
		if (!chain[n]->parent) /* portals say 当前位置：首页 > ... */
			set(a, m, "title", S(a, "首页"));
		value_list_push(a, list, m);
	}
	return list;
}

static const char *kind_name(enum page_kind k, const struct render_job *job)
{
	if (job->not_found)
		return "404";
	if (job->archive_index)
		return "archive";
	if (job->closed_sites)
		return "closed-sites";
	if (job->notice_index)
		return "notices";
	if (job->notice)
		return "notice";
	if (job->closure)
		return "closure";
	switch (k) {
	case PAGE_HOME: return "home";
	case PAGE_DEPARTMENT: return "department";
	case PAGE_COLUMN: return "column";
	default: return "article";
	}
}

/* Markdown body of p, as HTML, into r->html. */
static int page_content(struct renderer *r, const struct page *p)
{
	struct markdown_options mo = { r->sh->cfg->unsafe_html, r->sh->cfg->root };
	const char *body;
	size_t len;
	strbuf_reset(&r->html);
	if (content_read_body(r->sh->source_dir, p, &r->file, &body, &len)) {
		diag_error(&r->diags, p->src, 0, 0, NULL, "unable to read: %s", strerror(errno));
		return -1;
	}
	if (len)
		markdown_to_html(&mo, body, len, &r->html);
	return 0;
}

/* [首页] */
static struct value *home_crumb(struct arena *a, struct render_shared *sh)
{
	struct value *list = value_list(a), *m = link_to(a, sh->content->root->page);
	set(a, m, "title", S(a, "首页"));
	value_list_push(a, list, m);
	return list;
}

static struct value *page_value(struct renderer *r, const struct render_job *job, const char *kind)
{
	struct arena *a = &r->arena;
	const struct page *p = job->page;
	const struct site_config *cfg = r->sh->cfg;
	struct value *m = map_copy(a, p->item);
	struct section *d, *c;
	const char *rel = job->not_found ? "404.html" : job->archive_index ? "archive/" :
			  job->closed_sites ? "closed-sites/" :
			  job->closure ? render_closure_rel(a, job->closure) :
			  render_list_rel(a, p, job->list_page);

	set(a, m, "kind", S(a, kind));
	set(a, m, arena_printf(a, "is_%s", kind), value_bool(a, 1));
	set(a, m, "url", S(a, url_of(a, cfg, rel)));
	set(a, m, "permalink", S(a, arena_printf(a, "%s%s", cfg->base_url, rel)));
	set(a, m, "params", p->fm);
	if (job->not_found) {
		set(a, m, "title", S(a, "页面未找到"));
		return m;
	}
	if (job->archive_index) {
		set(a, m, "title", S(a, "归档网站"));
		set(a, m, "summary", S(a, "已关停整合网站的归档页面"));
		set(a, m, "breadcrumbs", home_crumb(a, r->sh));
		return m;
	}
	if (job->closed_sites) {
		set(a, m, "title", S(a, "已关停网站"));
		set(a, m, "summary", S(a, "已关停整合的原网站名录：原域名、关停日期、内容去向和归档"));
		set(a, m, "breadcrumbs", home_crumb(a, r->sh));
		return m;
	}
	if (!p->section) {
		/* notices and the notice column live outside the section tree */
		if (r->html.len)
			set(a, m, "content", value_strn(a, r->html.buf, r->html.len));
		set(a, m, "breadcrumbs", home_crumb(a, r->sh));
		if (job->notice && r->sh->notices->index_page)
			value_list_push(a, value_map_get(m, "breadcrumbs"), link_to(a, r->sh->notices->index_page));
		return m;
	}
	if (r->html.len) /* absent, not "": templates test it with a section */
		set(a, m, "content", value_strn(a, r->html.buf, r->html.len));
	set(a, m, "breadcrumbs", breadcrumbs(a, p));
	d = ancestor_at(p->section, 1);
	c = ancestor_at(p->section, 2);
	if (d && d->page != p)
		set(a, m, "department", link_to(a, d->page));
	if (c && c->page != p)
		set(a, m, "column", link_to(a, c->page));
	return m;
}

static struct value *pager(struct renderer *r, const struct page *p, size_t n, size_t pages, size_t total)
{
	struct arena *a = &r->arena;
	const struct site_config *cfg = r->sh->cfg;
	struct value *m = value_map(a), *nums = value_list(a);
	size_t i;

	set(a, m, "page", value_int(a, (long long)n));
	set(a, m, "pages", value_int(a, (long long)pages));
	set(a, m, "total", value_int(a, (long long)total));
	set(a, m, "multiple", value_bool(a, pages > 1));
	if (n > 1)
		set(a, m, "prev_url", S(a, url_of(a, cfg, render_list_rel(a, p, n - 1))));
	if (n < pages)
		set(a, m, "next_url", S(a, url_of(a, cfg, render_list_rel(a, p, n + 1))));
	for (i = 1; i <= pages; i++) {
		struct value *e = value_map(a);
		set(a, e, "number", value_int(a, (long long)i));
		set(a, e, "url", S(a, url_of(a, cfg, render_list_rel(a, p, i))));
		if (i == n)
			set(a, e, "current", value_bool(a, 1));
		value_list_push(a, nums, e);
	}
	set(a, m, "numbers", nums);
	return m;
}

static void list_values(struct renderer *r, const struct render_job *job, struct value *ctx)
{
	struct arena *a = &r->arena;
	const struct section *s = job->page->section;
	size_t per = (size_t)r->sh->cfg->paginate, n = job->list_page ? job->list_page : 1;
	size_t from = (n - 1) * per, i;
	struct value *items = value_list(a);

	for (i = from; i < s->nr_pages && i < from + per; i++)
		value_list_push(a, items, s->pages[i]->item);
	set(a, ctx, "items", items);
	set(a, ctx, "pager", pager(r, job->page, n, render_list_pages(r->sh, s), s->nr_pages));
}

/* The department's columns, the current one marked: a column's side menu. */
static struct value *sibling_columns(struct renderer *r, ssize_t di, const struct page *p)
{
	struct arena *a = &r->arena;
	struct value *all = value_map_get(r->sh->home_departments->u.list.items[di], "columns");
	struct value *list = value_list(a);
	const struct value *url = value_map_get(p->item, "url");
	size_t i;
	for (i = 0; all && i < all->u.list.nr; i++) {
		struct value *c = all->u.list.items[i];
		if (value_map_get(c, "url") == url) {
			c = map_copy(a, c);
			set(a, c, "current", value_bool(a, 1));
		}
		value_list_push(a, list, c);
	}
	return list;
}

static void set_notices(struct arena *a, struct value *ctx, struct value *list)
{
	if (!list)
		return;
	set(a, ctx, "notices", list);
	set(a, ctx, "has_notices", value_bool(a, list->u.list.nr > 0));
}

/* A site-relative URL made absolute on the portal (for pages served on another host). */
static struct value *absolute(struct arena *a, const struct site_config *cfg, const char *u)
{
	if (u[0] == '/' && u[1] != '/') {
		size_t rootlen = strlen(cfg->root);
		if (!strncmp(u, cfg->root, rootlen))
			u += rootlen;
		else
			u++;
		return value_str(a, arena_printf(a, "%s%s", cfg->base_url, u));
	}
	return S(a, u);
}

/* The closing site's homepage is served on the old host: every link absolute. */
static struct value *absolute_notice(struct renderer *r, const struct notice *no)
{
	struct arena *a = &r->arena;
	const struct site_config *cfg = r->sh->cfg;
	struct value *m = map_copy(a, no->item), *d = value_map_get(no->item, "destinations");
	struct value *list = value_list(a);
	const char *archive = value_map_str(no->item, "archive_url");
	size_t i;
	set(a, m, "url_abs", absolute(a, cfg, value_map_str(no->item, "url")));
	if (archive)
		set(a, m, "archive_url_abs", absolute(a, cfg, archive));
	for (i = 0; d && i < d->u.list.nr; i++) {
		struct value *e = map_copy(a, d->u.list.items[i]);
		set(a, e, "url_abs", absolute(a, cfg, value_map_str(e, "url")));
		value_list_push(a, list, e);
	}
	set(a, m, "destinations", list);
	return m;
}

static struct value *context(struct renderer *r, const struct render_job *job, const char *kind)
{
	struct arena *a = &r->arena;
	struct render_shared *sh = r->sh;
	const struct page *p = job->page;
	struct value *ctx = value_map(a);
	ssize_t di = job->not_found || job->archive_index || job->closed_sites || !p->section ? -1 :
		     department_index(sh, p->section);

	set(a, ctx, "site", di >= 0 ? sh->site_for[di] : sh->site_plain);
	set(a, ctx, "page", page_value(r, job, kind));
	if (job->not_found)
		return ctx;
	if (job->archive_index) {
		set(a, ctx, "archives", sh->archives);
		set(a, ctx, "has_archives", value_bool(a, sh->archives && sh->archives->u.list.nr));
		return ctx;
	}
	if (job->closed_sites) {
		set(a, ctx, "closed_sites", sh->closed_sites);
		set(a, ctx, "has_closed_sites", value_bool(a, sh->closed_sites->u.list.nr > 0));
		set(a, ctx, "closed_sites_count", value_int(a, (long long)sh->closed_sites->u.list.nr));
		return ctx;
	}
	if (job->notice_index) {
		set(a, ctx, "notices_active", sh->notices_active);
		set(a, ctx, "notices_archive", sh->notices_archive);
		set(a, ctx, "notices_withdrawn", sh->notices_withdrawn);
		set(a, ctx, "has_active", value_bool(a, sh->notices_active->u.list.nr > 0));
		set(a, ctx, "has_archive", value_bool(a, sh->notices_archive->u.list.nr > 0));
		set(a, ctx, "has_withdrawn", value_bool(a, sh->notices_withdrawn->u.list.nr > 0));
		return ctx;
	}
	if (job->notice) {
		set(a, ctx, "notice", job->notice->item);
		return ctx;
	}
	if (job->closure) {
		set(a, ctx, "notice", absolute_notice(r, job->closure));
		set(a, ctx, "portal_url", S(a, sh->cfg->base_url));
		set(a, ctx, "portal_title", S(a, sh->cfg->title));
		return ctx;
	}
	set_notices(a, ctx, p->kind == PAGE_HOME ? sh->active_notices :
			    p->kind == PAGE_DEPARTMENT && di >= 0 ? sh->dept_notices[di] : NULL);
	switch (p->kind) {
	case PAGE_HOME:
		set(a, ctx, "departments", sh->home_departments);
		set(a, ctx, "latest", sh->latest);
		break;
	case PAGE_DEPARTMENT:
		set(a, ctx, "columns", value_map_get(sh->home_departments->u.list.items[di], "columns"));
		list_values(r, job, ctx);
		break;
	case PAGE_COLUMN:
		set(a, ctx, "column", p->item);
		if (di >= 0)
			set(a, ctx, "columns", sibling_columns(r, di, p));
		list_values(r, job, ctx);
		break;
	default:
		break;
	}
	return ctx;
}

static int write_output(struct renderer *r, const char *rel_file, const struct strbuf *data)
{
	char *slash;
	strbuf_reset(&r->path);
	strbuf_addf(&r->path, "%s/%s", r->sh->out_dir, rel_file);
	slash = strrchr(r->path.buf, '/');
	*slash = '\0';
	if (mkdir(r->path.buf, 0755) && errno != EEXIST && mkdir_p(r->path.buf, 0755))
		goto fail;
	*slash = '/';
	if (write_file(r->path.buf, data->buf, data->len))
		goto fail;
	r->written++;
	return 0;
fail:
	diag_error(&r->diags, r->path.buf, 0, 0, NULL, "unable to write: %s", strerror(errno));
	return -1;
}

/* The publish history needs every file's blob id: hash now, not by reading it back. */
static void hash_output(struct renderer *r, struct render_job *job, const char *rel)
{
	git_oid oid;
	if (!r->sh->hash_outputs || git_odb_hash(&oid, r->body.buf, r->body.len, GIT_OBJECT_BLOB))
		return;
	memcpy(job->blob_id, oid.id, sizeof(job->blob_id));
	job->out_rel = xstrdup(rel);
}

void render_job(struct renderer *r, struct render_job *job)
{
	const struct page *p = job->page;
	const char *kind = kind_name(p->kind, job);
	int special = job->not_found || job->archive_index || job->closed_sites;
	int own_layout = !special && !job->closure && !job->notice && !job->notice_index;
	const char *layout = own_layout && p->layout ? p->layout : kind;
	const struct mu_template *t;
	struct mu_error err;
	struct value *ctx;

	arena_reset(&r->arena);
	strbuf_reset(&r->html);
	if (!special && page_content(r, p))
		return;
	ctx = context(r, job, kind);
	mu_error_init(&err);
	t = mu_cache_get(r->sh->theme->cache, layout, &err);
	strbuf_reset(&r->body);
	if (!t || mu_render(t, &value_mu_data, ctx, r->sh->theme->cache, &r->body, &err)) {
		theme_report(&err, &r->diags);
		mu_error_release(&err);
		return;
	}
	mu_error_release(&err);
	{
		const char *rel = job->not_found ? "404.html" :
				  job->archive_index ? "archive/index.html" :
				  job->closed_sites ? "closed-sites/index.html" :
				  job->closure ? arena_printf(&r->arena, "%sindex.html",
							      render_closure_rel(&r->arena, job->closure)) :
				  arena_printf(&r->arena, "%sindex.html", render_list_rel(&r->arena, p, job->list_page));
		if (!write_output(r, rel, &r->body))
			hash_output(r, job, rel);
	}
}
