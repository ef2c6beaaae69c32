#include "gen/build.h"
#include "gen/archives.h"
#include "gen/history.h"
#include "gen/ledger.h"
#include "gen/notices.h"
#include "gen/content.h"
#include "gen/feeds.h"
#include "gen/markdown.h"
#include "gen/output.h"
#include "gen/redirects.h"
#include "gen/render.h"
#include "gen/site.h"
#include "gen/theme.h"
#include "common/diag.h"
#include "common/fsutil.h"
#include "common/gitrepo.h"
#include "common/path.h"
#include "common/value.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define JOB_RUN 64

static const char *const required_layouts[] = { "home", "department", "column", "article", "404" };

struct build {
	const struct build_options *opt;
	struct diag_list diags;
	struct arena arena;
	struct site_config cfg;
	struct theme theme;
	struct content content;
	struct render_shared shared;
	struct archives archives;
	int archive_index;         /* render /archive/ */
	struct ledger ledger;
	int closed_sites;          /* render /closed-sites/ */
	struct notices notices;
	int notice_column;         /* render /notices/ */
	struct history history;
	struct redirects redirects;
	int recording;             /* this build goes into the publish history */
	int preview_note;          /* --date is not the commit's day */
	int history_state;         /* 1 committed, 0 unchanged, -1 not recorded */
	struct cdate commit_day;
	struct output out;
	struct render_job *jobs;
	size_t nr_jobs, alloc_jobs;
	size_t next_job;           /* taken atomically by the threads */
	size_t written;
};

static int has_layout(void *ud, const char *name)
{
	return theme_has_layout(ud, name);
}

static struct render_job *add_job(struct build *b, struct page *p, size_t list_page, int not_found)
{
	struct render_job *j;
	ALLOC_GROW(b->jobs, b->nr_jobs + 1, b->alloc_jobs);
	j = &b->jobs[b->nr_jobs++];
	memset(j, 0, sizeof(*j));
	j->page = p;
	j->list_page = list_page;
	j->not_found = not_found;
	return j;
}

/* The notice column, every notice, and the closing sites' replacement homepages. */
static void plan_notice_jobs(struct build *b)
{
	size_t i;
	if (!b->notice_column)
		return;
	add_job(b, b->notices.index_page, 0, 0)->notice_index = 1;
	for (i = 0; i < b->notices.nr; i++) {
		struct notice *no = b->notices.items[i];
		if (no->state == NOTICE_SCHEDULED)
			continue; /* it appears on its first day, not before */
		add_job(b, no->page, 0, 0)->notice = no;
		if (no->kind == NOTICE_CLOSURE && no->site && !no->withdrawn)
			add_job(b, no->page, 0, 0)->closure = no;
	}
}

/* Every page, every page of every list, and the 404 page. */
static void plan_jobs(struct build *b)
{
	struct content *c = &b->content;
	size_t i, n;
	for (i = 0; i < c->nr_pages; i++) {
		struct page *p = c->pages[i];
		if (p->kind == PAGE_ARTICLE || p->kind == PAGE_HOME) {
			add_job(b, p, 0, 0);
			continue;
		}
		for (n = 1; n <= render_list_pages(&b->shared, p->section); n++) {
			if (n > 1) {
				const char *rel = render_list_rel(&c->arena, p, n);
				const char *file = arena_printf(&c->arena, "%sindex.html", rel);
				const char *prev = strmap_put_new(&c->urls, file, (void *)"a list page");
				if (prev) {
					diag_error(&b->diags, prev, 0, 0, "rename it: list pages use /page/N/",
						   "'/%s' is needed by the list of '%s'", rel,
						   p->src ? p->src : p->rel);
					continue;
				}
			}
			add_job(b, p, n, 0);
		}
	}
	add_job(b, c->root->page, 0, 1);
	if (b->archive_index)
		add_job(b, c->root->page, 0, 0)->archive_index = 1;
	if (b->closed_sites)
		add_job(b, c->root->page, 0, 0)->closed_sites = 1;
	plan_notice_jobs(b);
}

struct thread_arg {
	struct build *b;
	struct renderer r;
};

static void *render_thread(void *arg)
{
	struct thread_arg *t = arg;
	struct build *b = t->b;
	/*
	 * Take jobs in runs: neighbouring jobs write into the same folder, and
	 * two threads creating entries in one folder contend for its lock.
	 */
	for (;;) {
		size_t i = __atomic_fetch_add(&b->next_job, JOB_RUN, __ATOMIC_RELAXED), end;
		if (i >= b->nr_jobs)
			break;
		end = i + JOB_RUN < b->nr_jobs ? i + JOB_RUN : b->nr_jobs;
		for (; i < end; i++)
			render_job(&t->r, &b->jobs[i]);
	}
	return NULL;
}

static int job_count(const struct build_options *opt)
{
	long n = opt->jobs > 0 ? opt->jobs : sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static void render_all(struct build *b)
{
	int n = job_count(b->opt), i;
	struct thread_arg *args = xcalloc((size_t)n, sizeof(*args));
	pthread_t *threads = xcalloc((size_t)n, sizeof(*threads));

	for (i = 0; i < n; i++) {
		args[i].b = b;
		renderer_init(&args[i].r, &b->shared);
	}
	/* the main thread is worker 0 */
	for (i = 1; i < n; i++)
		if (pthread_create(&threads[i], NULL, render_thread, &args[i]))
			die("unable to start a render thread");
	render_thread(&args[0]);
	for (i = 1; i < n; i++)
		pthread_join(threads[i], NULL);
	for (i = 0; i < n; i++) {
		b->written += args[i].r.written;
		diag_list_take(&b->diags, &args[i].r.diags);
		renderer_release(&args[i].r);
	}
	free(args);
	free(threads);
}

static int ensure_parent(const char *path)
{
	char *copy = xstrdup(path), *slash = strrchr(copy, '/');
	int r = 0;
	if (slash) {
		*slash = '\0';
		r = mkdir_p(copy, 0755);
	}
	free(copy);
	return r;
}

static void write_or_report(struct build *b, const char *rel, const struct strbuf *data)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", b->out.tmp, rel);
	if (ensure_parent(path.buf) || write_file(path.buf, data->buf, data->len))
		diag_error(&b->diags, path.buf, 0, 0, NULL, "unable to write: %s", strerror(errno));
	strbuf_release(&path);
}

/* A stub at an old path that sends the reader to the page (Hugo's aliases). */
static void write_aliases(struct build *b)
{
	struct strbuf html = STRBUF_INIT, url = STRBUF_INIT;
	size_t i;
	for (i = 0; i < b->content.nr_aliases; i++) {
		const struct alias *al = &b->content.aliases[i];
		strbuf_reset(&html);
		strbuf_reset(&url);
		strbuf_addf(&url, "%s%s", b->cfg.root, al->page->rel);
		strbuf_addstr(&html, "<!DOCTYPE html>\n<html lang=\"");
		strbuf_add_html(&html, b->cfg.language, strlen(b->cfg.language));
		strbuf_addstr(&html, "\"><head><meta charset=\"utf-8\"><title>");
		strbuf_add_html(&html, al->page->title, strlen(al->page->title));
		strbuf_addstr(&html, "</title><link rel=\"canonical\" href=\"");
		strbuf_add_html(&html, b->cfg.base_url, strlen(b->cfg.base_url));
		strbuf_add_html(&html, al->page->rel, strlen(al->page->rel));
		strbuf_addstr(&html, "\"><meta name=\"robots\" content=\"noindex\">"
			      "<meta http-equiv=\"refresh\" content=\"0; url=");
		strbuf_add_html(&html, url.buf, url.len);
		strbuf_addstr(&html, "\"></head><body><p>本页已迁移至 <a href=\"");
		strbuf_add_html(&html, url.buf, url.len);
		strbuf_addstr(&html, "\">");
		strbuf_add_html(&html, al->page->title, strlen(al->page->title));
		strbuf_addstr(&html, "</a>。</p></body></html>\n");
		write_or_report(b, al->rel, &html);
	}
	strbuf_release(&html);
	strbuf_release(&url);
}

static void copy_attachments(struct build *b)
{
	struct strbuf dst = STRBUF_INIT;
	size_t i;
	for (i = 0; i < b->content.nr_attachments; i++) {
		const struct attachment *a = &b->content.attachments[i];
		strbuf_reset(&dst);
		strbuf_addf(&dst, "%s/%s", b->out.tmp, a->rel);
		if (ensure_parent(dst.buf) || copy_file(a->src, dst.buf))
			diag_error(&b->diags, a->src, 0, 0, NULL, "unable to copy: %s", strerror(errno));
	}
	strbuf_release(&dst);
}

/* Copy a folder tree; symbolic links are skipped (they could lead anywhere). */
static int copy_tree(const char *src, const char *dst, struct diag_list *diags)
{
	char **names;
	size_t nr, i;
	struct strbuf s = STRBUF_INIT, d = STRBUF_INIT;
	if (list_dir_sorted(src, &names, &nr))
		return 0;
	mkdir_p(dst, 0755);
	for (i = 0; i < nr; i++) {
		struct stat st;
		strbuf_reset(&s);
		strbuf_reset(&d);
		strbuf_addf(&s, "%s/%s", src, names[i]);
		strbuf_addf(&d, "%s/%s", dst, names[i]);
		if (names[i][0] == '.' || lstat(s.buf, &st) || S_ISLNK(st.st_mode))
			continue;
		if (S_ISDIR(st.st_mode))
			copy_tree(s.buf, d.buf, diags);
		else if (S_ISREG(st.st_mode) && copy_file(s.buf, d.buf))
			diag_error(diags, s.buf, 0, 0, NULL, "unable to copy: %s", strerror(errno));
	}
	free_names(names, nr);
	strbuf_release(&s);
	strbuf_release(&d);
	return 0;
}

static void write_feeds(struct build *b)
{
	struct strbuf xml = STRBUF_INIT;
	if (feeds_sitemap(&b->cfg, b->content.pages, b->content.nr_pages, &xml))
		diag_error(&b->diags, "sitemap.xml", 0, 0, NULL, "unable to write the sitemap");
	else
		write_or_report(b, "sitemap.xml", &xml);
	strbuf_reset(&xml);
	if (feeds_rss(&b->cfg, b->shared.newest, b->shared.nr_newest, &xml))
		diag_error(&b->diags, "index.xml", 0, 0, NULL, "unable to write the RSS feed");
	else
		write_or_report(b, "index.xml", &xml);
	strbuf_release(&xml);
}

static struct page *notice_index_page(struct build *b)
{
	struct arena *a = &b->content.arena;
	struct page *p = b->notices.index_page;
	if (!p) {
		p = arena_alloc(a, sizeof(*p));
		p->title = "网站整合公告";
		p->fm = value_map(a);
	}
	p->rel = "notices/";
	p->item = value_map(a);
	value_map_set(a, p->item, "title", value_str(a, p->title));
	value_map_set(a, p->item, "url", value_str(a, arena_printf(a, "%snotices/", b->cfg.root)));
	return p;
}

static void load_notices(struct build *b, const struct content_options *co)
{
	struct strbuf dir = STRBUF_INIT;
	static const char *const layouts[] = { "notices", "notice" };
	size_t i;
	path_in(&dir, b->opt->source_dir, "content/notices");
	b->notice_column = is_dir(dir.buf);
	strbuf_release(&dir);
	if (notices_policy(&b->notices, &b->cfg, &b->diags) || !b->notice_column)
		return;
	notices_load(&b->notices, &b->content, co, &b->shared.today, &b->diags);
	b->notices.index_page = notice_index_page(b);
	for (i = 0; i < 2; i++)
		theme_preload(&b->theme, layouts[i], &b->diags);
	for (i = 0; i < b->notices.nr; i++)
		if (b->notices.items[i]->kind == NOTICE_CLOSURE && b->notices.items[i]->site) {
			theme_preload(&b->theme, "closure", &b->diags);
			break;
		}
}

/* A notice about an archived site links to its archive. */
static void link_notice_archives(struct build *b)
{
	size_t i, j;
	for (i = 0; i < b->notices.nr; i++) {
		struct notice *no = b->notices.items[i];
		for (j = 0; no->site_id && j < b->archives.nr; j++)
			if (!strcmp(b->archives.items[j].id, no->site_id))
				value_map_set(&b->content.arena, no->item, "archive_url",
					      value_str(&b->content.arena,
							arena_printf(&b->content.arena, "%sarchive/%s/", b->cfg.root, no->site_id)));
	}
}

/*
 * The publish history: read it for the checks, and decide whether this
 * build is recorded.  A build whose --date is not the commit's own day is
 * a preview: it is checked but not recorded.
 */
static void load_history(struct build *b)
{
	struct strbuf err = STRBUF_INIT;
	const char *branch = value_map_str(b->cfg.raw, "publish_branch");
	git_signature *sig = NULL;

	if (history_open(&b->history, b->opt->source_dir, branch ? branch : "publish", &err) ||
	    history_scan(&b->history, &err)) {
		diag_error(&b->diags, NULL, 0, 0, NULL, "%s", err.buf);
		strbuf_release(&err);
		return;
	}
	strbuf_release(&err);
	if (b->history.repo && !b->opt->no_history &&
	    !gitrepo_signature(b->history.repo, "COMMITTER", &sig)) {
		b->commit_day = date_from_epoch((long long)sig->when.time);
		b->recording = !date_cmp(&b->commit_day, &b->shared.today);
		b->preview_note = !b->recording;
		git_signature_free(sig);
	}
	notices_check_history(&b->notices, &b->history, &b->shared.today, b->recording,
			      b->opt->source_dir, &b->diags);
}

/*
 * Captures of old sites go under /archive/, with an index page when the
 * theme has an "archive" layout (required once there is a capture).
 */
static void load_archives(struct build *b)
{
	struct strbuf dir = STRBUF_INIT;
	ledger_archive_dir(&dir, &b->cfg, b->opt->source_dir, b->opt->archive_dir);
	archives_load(&b->archives, &b->arena, arena_strdup(&b->arena, dir.buf), b->cfg.root, &b->diags);
	strbuf_release(&dir);
	b->archive_index = b->archives.nr || theme_has_layout(&b->theme, "archive");
	if (!b->archive_index)
		return;
	if (theme_preload(&b->theme, "archive", &b->diags))
		return;
	if (strmap_put_new(&b->content.urls, "archive/index.html", (void *)"the archive index"))
		diag_error(&b->diags, strmap_get(&b->content.urls, "archive/index.html"), 0, 0,
			   "rename it: /archive/ holds the archived old sites",
			   "'/archive/' is reserved for the archive index");
}

/*
 * The ledger's policy checks (errors fail the build), and the directory of
 * closed sites when the theme has its layout: a theme without it still
 * builds, with a warning once there is a closed site to list.
 */
static void check_ledger(struct build *b)
{
	size_t i, closed = 0;
	ledger_read_captures(&b->ledger, b->archives.dir, &b->diags);
	ledger_link_notices(&b->ledger, &b->notices);
	ledger_check(&b->ledger, &b->cfg, &b->content, &b->shared.today, &b->diags);
	for (i = 0; i < b->ledger.nr; i++)
		closed += ledger_is_ledger_record(b->ledger.sites[i]) &&
			  site_date_by(&b->ledger.sites[i]->rec.closed, &b->shared.today);
	if (!theme_has_layout(&b->theme, "closed-sites")) {
		if (closed)
			diag_warning(&b->diags, b->theme.dir, 0, 0,
				     "add layouts/closed-sites.mustache to the theme (docs/themes.md)",
				     "the theme has no 'closed-sites' layout: the directory of %zu closed site%s "
				     "(已关停网站) is not published", closed, closed == 1 ? "" : "s");
		return;
	}
	if (theme_preload(&b->theme, "closed-sites", &b->diags))
		return;
	if (strmap_put_new(&b->content.urls, "closed-sites/index.html", (void *)"the directory of closed sites")) {
		diag_error(&b->diags, strmap_get(&b->content.urls, "closed-sites/index.html"), 0, 0,
			   "rename it: /closed-sites/ lists the closed old sites (已关停网站)",
			   "'/closed-sites/' is reserved for the directory of closed sites");
		return;
	}
	b->closed_sites = 1;
}

static struct value *closed_sites_value(struct build *b)
{
	const char **ids = xcalloc(b->archives.nr + 1, sizeof(*ids));
	struct value *v;
	size_t i;
	for (i = 0; i < b->archives.nr; i++)
		ids[i] = b->archives.items[i].id;
	v = ledger_closed_sites_value(&b->ledger, &b->shared.arena, &b->cfg, &b->content, ids, b->archives.nr,
				      &b->shared.today);
	free(ids);
	return v;
}

/* The old sites' mappings; their pages need the theme's `gone` layout. */
static void load_redirects(struct build *b)
{
	struct mappings_input in = { b->opt->source_dir, &b->cfg, &b->content, &b->notices, &b->archives };
	if (redirects_load(&b->redirects, &b->arena, &in, &b->shared.today, b->opt->dest,
			   b->opt->redirects_dir, b->archive_index, &b->diags) ||
	    !redirects_need_layout(&b->redirects))
		return;
	if (!theme_has_layout(&b->theme, "gone"))
		diag_error(&b->diags, b->theme.dir, 0, 0,
			   "copy layouts/gone.mustache from the default theme (docs/themes.md)",
			   "the theme has no 'gone' layout, which the old sites' hosts need "
			   "for archived and unknown URLs");
	else
		theme_preload(&b->theme, "gone", &b->diags);
}

static int load(struct build *b)
{
	struct content_options co;
	struct strbuf err = STRBUF_INIT;
	size_t i;

	if (site_config_load(&b->cfg, &b->arena, b->opt->source_dir, &b->diags))
		return -1;
	if (date_today(b->opt->date, &b->shared.today, &err)) {
		diag_error(&b->diags, NULL, 0, 0, "pass --date YYYY-MM-DD", "%s", err.buf);
		strbuf_release(&err);
		return -1;
	}
	strbuf_release(&err);
	if (theme_open(&b->theme, b->opt->source_dir, b->cfg.theme, &b->diags))
		return -1;
	for (i = 0; i < sizeof(required_layouts) / sizeof(*required_layouts); i++)
		theme_preload(&b->theme, required_layouts[i], &b->diags);
	memset(&co, 0, sizeof(co));
	co.source_dir = b->opt->source_dir;
	co.cfg = &b->cfg;
	co.drafts = b->opt->drafts;
	co.has_layout = has_layout;
	co.ud = &b->theme;
	content_load(&b->content, &co, &b->diags);
	ledger_load(&b->ledger, &b->arena, b->opt->source_dir, &b->diags);
	ledger_policy(&b->ledger, &b->cfg, &b->diags);
	b->notices.ledger = &b->ledger;
	load_notices(b, &co);
	for (i = 0; i < b->content.nr_pages; i++)
		if (b->content.pages[i]->layout)
			theme_preload(&b->theme, b->content.pages[i]->layout, &b->diags);
	load_archives(b);
	link_notice_archives(b);
	check_ledger(b);
	load_redirects(b);
	if (!b->diags.errors)
		load_history(b);
	return b->diags.errors ? -1 : 0;
}

/* Rule 5: every notice on display is linked from the rendered homepage. */
static void check_home_links(struct build *b)
{
	struct strbuf path = STRBUF_INIT, html = STRBUF_INIT;
	size_t i;
	strbuf_addf(&path, "%s/index.html", b->out.tmp);
	strbuf_read_file(&html, path.buf);
	for (i = 0; i < b->notices.nr; i++) {
		struct notice *no = b->notices.items[i];
		const char *url = value_map_str(no->item, "url");
		struct strbuf attr = STRBUF_INIT;
		if (no->state != NOTICE_ACTIVE)
			continue;
		strbuf_addf(&attr, "href=\"%s\"", url);
		if (!strstr(html.buf, attr.buf))
			diag_error(&b->diags, b->theme.dir, 0, 0,
				   "the home layout must show the notice zone (partials/notice-zone): "
				   "closure and migration notices must be prominent on the homepage",
				   "the active notice '%s' is not linked from the rendered homepage", no->slug);
		strbuf_release(&attr);
	}
	strbuf_release(&path);
	strbuf_release(&html);
}

static size_t active_count(const struct build *b)
{
	size_t i, n = 0;
	for (i = 0; i < b->notices.nr; i++)
		n += b->notices.items[i]->state == NOTICE_ACTIVE;
	return n;
}

static void publish_message(struct build *b, struct strbuf *msg)
{
	struct strbuf day = STRBUF_INIT;
	size_t i;
	date_fmt_iso(&b->shared.today, &day);
	strbuf_addf(msg, "publish %s: %zu pages, %zu notices on display\n\n", day.buf, b->written,
		    active_count(b));
	strbuf_addstr(msg, "Source: ");
	history_source_state(&b->history, msg);
	strbuf_addf(msg, "\nBuild-Date: %s\nPages: %zu\nNotices: %zu (%zu on display)\n", day.buf,
		    b->written, b->notices.nr, active_count(b));
	for (i = 0; i < b->notices.nr; i++) {
		struct notice *no = b->notices.items[i];
		if (no->state != NOTICE_ACTIVE)
			continue;
		strbuf_addf(msg, "Notice: %s %s ", no->slug, notice_kind_name(no->kind));
		date_fmt_iso(&no->published, msg);
		strbuf_addch(msg, ' ');
		if (no->has_until)
			date_fmt_iso(&no->until, msg);
		else
			strbuf_addstr(msg, "9999-12-31");
		strbuf_addch(msg, '\n');
	}
	strbuf_release(&day);
}

/* Blob ids the render threads computed, by output path. */
static void known_blobs(struct build *b, struct strmap *known)
{
	size_t i;
	for (i = 0; i < b->nr_jobs; i++)
		if (b->jobs[i].out_rel)
			strmap_put(known, b->jobs[i].out_rel, b->jobs[i].blob_id);
}

/* Commit the published tree to the publish branch (see gen/history.h). */
static int record_history(struct build *b)
{
	struct strbuf msg = STRBUF_INIT, err = STRBUF_INIT;
	struct strmap known = STRMAP_INIT;
	git_oid oid;
	int committed = 0;
	b->history_state = -1;
	if (!b->recording)
		return 0;
	publish_message(b, &msg);
	known_blobs(b, &known);
	if (history_record(&b->history, b->opt->dest, &known, msg.buf, &committed, &oid, &err)) {
		strmap_release(&known);
		diag_error(&b->diags, NULL, 0, 0, "the site was published; run the build again to record it",
			   "%s", err.buf);
		strbuf_release(&msg);
		strbuf_release(&err);
		return -1;
	}
	b->history_state = committed;
	strmap_release(&known);
	strbuf_release(&msg);
	strbuf_release(&err);
	return 0;
}

static int produce(struct build *b)
{
	struct strbuf err = STRBUF_INIT, static_dir = STRBUF_INIT, dst = STRBUF_INIT;
	int ret = -1;

	if (output_begin(&b->out, b->opt->dest, b->opt->source_dir, &err)) {
		diag_error(&b->diags, NULL, 0, 0, NULL, "%s", err.buf);
		goto out;
	}
	b->shared.cfg = &b->cfg;
	b->shared.content = &b->content;
	b->shared.theme = &b->theme;
	b->shared.source_dir = b->opt->source_dir;
	b->shared.out_dir = b->out.tmp;
	b->shared.notices = &b->notices;
	b->shared.hash_outputs = b->recording;
	render_shared_prepare(&b->shared);
	if (b->archive_index)
		b->shared.archives = archives_value(&b->archives, &b->shared.arena);
	if (b->closed_sites)
		b->shared.closed_sites = closed_sites_value(b);
	plan_jobs(b);
	if (!b->diags.errors)
		render_all(b);
	if (!b->diags.errors)
		check_home_links(b);
	write_aliases(b);
	copy_attachments(b);
	archives_publish(&b->archives, b->out.tmp, &b->diags);
	strbuf_addf(&static_dir, "%s/static", b->theme.dir);
	strbuf_addf(&dst, "%s/static", b->out.tmp);
	copy_tree(static_dir.buf, dst.buf, &b->diags);
	write_feeds(b);
	if (!b->diags.errors)
		redirects_produce(&b->redirects, b->out.tmp, &b->theme, b->shared.site_plain, &b->diags);
	if (b->diags.errors) {
		output_abort(&b->out);
		redirects_abort(&b->redirects);
		goto out;
	}
	if (output_commit(&b->out, &err)) {
		diag_error(&b->diags, NULL, 0, 0, NULL, "%s", err.buf);
		redirects_abort(&b->redirects);
		goto out;
	}
	/* after the pages they serve */
	if (redirects_commit(&b->redirects, &err)) {
		diag_error(&b->diags, NULL, 0, 0, "the site was published; run the build again", "%s", err.buf);
		goto out;
	}
	ret = record_history(b);
out:
	strbuf_release(&err);
	strbuf_release(&static_dir);
	strbuf_release(&dst);
	return ret;
}

static void fill_stats(struct build *b, struct build_stats *st)
{
	size_t i;
	memset(st, 0, sizeof(*st));
	st->pages = b->written;
	for (i = 0; i < b->content.nr_pages; i++) {
		if (b->content.pages[i]->kind == PAGE_ARTICLE)
			st->articles++;
		else
			st->sections++;
	}
	st->attachments = b->content.nr_attachments;
	st->aliases = b->content.nr_aliases;
	st->drafts = b->content.nr_drafts;
	st->archives = b->archives.nr;
	st->notices = b->notices.nr;
	st->notices_active = active_count(b);
	st->history = b->history_state;
	st->warnings = b->diags.warnings;
	st->redirects = b->redirects.stats;
}

/* The mapping report goes to stderr, beside the diagnostics it sums up. */
static void print_redirects(const struct redirect_stats *rs)
{
	if (!rs->written)
		return;
	fprintf(stderr, "redirects: %zu old host%s; %zu redirect, %zu archive, %zu unresolved",
		rs->hosts, rs->hosts == 1 ? "" : "s", rs->counts[MAP_REDIRECT], rs->counts[MAP_ARCHIVE],
		rs->counts[MAP_UNRESOLVED]);
	if (rs->dropped)
		fprintf(stderr, "; %zu duplicate%s dropped (see %s/dropped.csv)", rs->dropped,
			rs->dropped == 1 ? "" : "s", rs->dir);
	fprintf(stderr, "; server configs in '%s'\n", rs->dir);
}

int build_site(const struct build_options *opt, struct build_stats *stats)
{
	struct build b;
	int ret;

	memset(&b, 0, sizeof(b));
	b.opt = opt;
	diag_list_init(&b.diags);
	arena_init(&b.arena);
	content_init(&b.content);
	render_shared_init(&b.shared);
	b.history_state = -1;
	markdown_global_init();

	ret = load(&b) || produce(&b) ? 1 : 0;
	diag_list_sort(&b.diags);
	diag_list_print(&b.diags, stderr);
	if (ret)
		fprintf(stderr, "error: build failed with %zu error%s; '%s' was left as it was\n",
			b.diags.errors, b.diags.errors == 1 ? "" : "s", opt->dest);
	fill_stats(&b, stats);

	if (!ret && !opt->quiet)
		print_redirects(&b.redirects.stats);
	if (!ret && b.preview_note)
		fprintf(stderr, "note: --date is not today's date: a preview, not recorded in the publish history\n");
	for (size_t j = 0; j < b.nr_jobs; j++)
		free(b.jobs[j].out_rel);
	free(b.jobs);
	redirects_release(&b.redirects);
	archives_release(&b.archives);
	ledger_release(&b.ledger);
	notices_release(&b.notices);
	history_release(&b.history);
	render_shared_release(&b.shared);
	content_release(&b.content);
	if (b.theme.cache)
		theme_release(&b.theme);
	arena_release(&b.arena);
	diag_list_release(&b.diags);
	return ret;
}
