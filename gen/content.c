#include "gen/content.h"
#include "gen/site.h"
#include "common/diag.h"
#include "common/fsutil.h"
#include "common/path.h"
#include "common/strbuf.h"
#include "common/utf8.h"
#include "common/value.h"
#include "common/xalloc.h"
#include "common/yamlload.h"

#include <errno.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#define RESERVED_NOTICES "notices"
#define RESERVED_SITES "sites"

/* An article found by the walk, parsed later by the loader threads. */
struct pending {
	struct section *section;
	const char *name, *src;
	struct page *page;
};

struct walker {
	struct content *c;
	const struct content_options *opt;
	struct diag_list *diags;
	struct strbuf abs;   /* absolute (or source-relative) path being walked */
	struct arena *arena; /* where pages and front matter go */
	size_t drafts;
	struct pending *pending;
	size_t nr_pending, alloc_pending;
};

void content_init(struct content *c)
{
	memset(c, 0, sizeof(*c));
	arena_init(&c->arena);
	strmap_init(&c->urls);
}

void content_release(struct content *c)
{
	size_t i;
	for (i = 0; i < c->nr_pages; i++) {
		struct section *s = c->pages[i]->kind != PAGE_ARTICLE ? c->pages[i]->section : NULL;
		if (s) {
			free(s->children);
			free(s->pages);
		}
	}
	free(c->pages);
	/* pages live in these arenas: release them last */
	for (i = 0; i < c->nr_thread_arenas; i++)
		arena_release(&c->thread_arenas[i]);
	free(c->thread_arenas);
	free(c->attachments);
	free(c->aliases);
	strmap_release(&c->urls);
	arena_release(&c->arena);
	content_init(c);
}

/*
 * Front matter is YAML between a first line "---" and the next line "---"
 * (or "..."); the body follows.  Returns 1 if found, 0 if the file has none,
 * -1 if it opens but never closes.
 */
int content_split_front_matter(const char *text, size_t len, size_t *fm_off,
			       size_t *fm_len, size_t *body_off, unsigned *body_line)
{
	size_t i;
	unsigned line = 2;
	if (len < 3 || memcmp(text, "---", 3) || (len > 3 && text[3] != '\n' && text[3] != '\r'))
		return 0;
	i = text[3] == '\r' ? 5 : 4;
	*fm_off = i > len ? len : i;
	while (i < len) {
		const char *eol = memchr(text + i, '\n', len - i);
		size_t end = eol ? (size_t)(eol - text) : len;
		size_t l = end - i;
		if (l && text[i + l - 1] == '\r')
			l--;
		if ((l == 3 && (!memcmp(text + i, "---", 3) || !memcmp(text + i, "...", 3)))) {
			*fm_len = i - *fm_off;
			*body_off = eol ? end + 1 : len;
			*body_line = line + 1;
			return 1;
		}
		i = eol ? end + 1 : len;
		line++;
	}
	return -1;
}

static const char *page_kind_name(enum page_kind k)
{
	switch (k) {
	case PAGE_HOME: return "home";
	case PAGE_DEPARTMENT: return "department";
	case PAGE_COLUMN: return "column";
	default: return "article";
	}
}

/* Claim an output path for `src`; report a collision. */
static int claim(struct walker *w, const char *rel_out, const char *src,
		 unsigned line, unsigned col, const char *what)
{
	const char *prev = strmap_put_new(&w->c->urls, rel_out, (void *)src);
	size_t len = strlen(rel_out);
	if (!prev)
		return 0;
	/* show page URLs as readers see them: without index.html */
	if (len >= 10 && !strcmp(rel_out + len - 10, "index.html"))
		len -= 10;
	diag_error(w->diags, src, line, col,
		   "give one of them another file name or 'slug', or remove the alias",
		   "%s '/%.*s' is already claimed by '%s'", what, (int)len, rel_out, prev);
	return -1;
}

static const char *fm_str(struct walker *w, struct page *p, const char *key)
{
	struct value *v = value_map_get(p->fm, key);
	if (!v || v->type == VAL_NULL)
		return NULL;
	if (v->type != VAL_STR) {
		diag_error(w->diags, p->src, v->line, v->col, NULL,
			   "'%s' must be a string", key);
		return NULL;
	}
	return v->u.str.s;
}

static void read_date(struct walker *w, struct page *p)
{
	struct value *v = value_map_get(p->fm, "date");
	int r;
	if (!v || v->type == VAL_NULL)
		return;
	if (v->type != VAL_STR) {
		diag_error(w->diags, p->src, v->line, v->col, "write the date as YYYY-MM-DD",
			   "'date' must be a date");
		return;
	}
	r = date_parse(v->u.str.s, &p->date, NULL);
	if (r == -2)
		diag_error(w->diags, p->src, v->line, v->col,
			   "use a real calendar date, YYYY-MM-DD",
			   "invalid date '%s': no such day", v->u.str.s);
	else if (r)
		diag_error(w->diags, p->src, v->line, v->col,
			   "write the date as YYYY-MM-DD, optionally with a time: 2025-03-12T09:30:00+08:00",
			   "invalid date '%s'", v->u.str.s);
	else
		p->has_date = 1;
}

static void read_scalars(struct walker *w, struct page *p)
{
	struct value *v;

	p->title = fm_str(w, p, "title");
	if (!p->title || !*p->title) {
		v = value_map_get(p->fm, "title");
		diag_error(w->diags, p->src, v ? v->line : 1, v ? v->col : 1,
			   "add a line 'title: ...' to the front matter between the --- lines",
			   "missing title");
	}
	p->summary = fm_str(w, p, "summary");
	p->link = fm_str(w, p, "link");
	read_date(w, p);
	v = value_map_get(p->fm, "draft");
	if (v && v->type != VAL_BOOL)
		diag_error(w->diags, p->src, v->line, v->col, NULL, "'draft' must be true or false");
	p->draft = value_is_true(v);
	v = value_map_get(p->fm, "weight");
	if (v && value_as_int(v, &p->weight))
		diag_error(w->diags, p->src, v->line, v->col, NULL, "'weight' must be a whole number");
	if (p->link && strncmp(p->link, "https://", 8) && strncmp(p->link, "http://", 7) &&
	    p->link[0] != '/') {
		v = value_map_get(p->fm, "link");
		diag_error(w->diags, p->src, v->line, v->col,
			   "a link-out column points at a platform: https://...",
			   "'link' must be an http(s) URL or a site path");
	}
}

static void read_layout(struct walker *w, struct page *p)
{
	struct value *v = value_map_get(p->fm, "layout");
	p->layout = fm_str(w, p, "layout");
	if (!p->layout)
		return;
	if (slug_unsafe_reason(p->layout) ||
	    !w->opt->has_layout(w->opt->ud, p->layout)) {
		diag_error(w->diags, p->src, v->line, v->col,
			   "use a layout of the theme (a file layouts/NAME.mustache), or remove 'layout'",
			   "unknown layout '%s'", p->layout);
		p->layout = NULL;
	}
}

static int load_file(struct walker *w, struct page *p, struct strbuf *text)
{
	size_t fm_off = 0, fm_len = 0;
	unsigned line = 0, col = 0;
	int r;

	if (strbuf_read_file(text, w->abs.buf)) {
		diag_error(w->diags, p->src, 0, 0, NULL, "unable to read: %s", strerror(errno));
		return -1;
	}
	if (utf8_validate(text->buf, text->len, &line, &col)) {
		diag_error(w->diags, p->src, line, col,
			   "save the file as UTF-8; to convert GB2312/GBK: iconv -f GB18030 -t UTF-8",
			   "not valid UTF-8");
		return -1;
	}
	if (text->len >= 3 && !memcmp(text->buf, "\xef\xbb\xbf", 3)) {
		/* a byte order mark is harmless: drop it */
		memmove(text->buf, text->buf + 3, text->len - 3);
		strbuf_setlen(text, text->len - 3);
	}
	r = content_split_front_matter(text->buf, text->len, &fm_off, &fm_len,
				       &p->body_off, &p->body_line);
	if (r < 0) {
		diag_error(w->diags, p->src, 1, 1, "close the front matter with a line '---'",
			   "front matter is not closed");
		return -1;
	}
	if (r == 0) {
		if (text->len >= 3 && !memcmp(text->buf, "+++", 3))
			diag_error(w->diags, p->src, 1, 1, "write the front matter as YAML between --- lines",
				   "TOML front matter is not supported");
		else
			diag_error(w->diags, p->src, 1, 1,
				   "start the file with front matter: a line '---', 'title: ...', and '---'",
				   "missing title");
		return -1;
	}
	p->fm = yaml_load(w->arena, text->buf + fm_off, fm_len, p->src, 2, w->diags);
	if (!p->fm)
		return -1;
	if (p->fm->type != VAL_MAP) {
		diag_error(w->diags, p->src, 2, 1, "write 'key: value' lines", "front matter must be a mapping");
		return -1;
	}
	return 0;
}

static const char *join_rel(struct arena *a, const char *dir, const char *name, int slash)
{
	return arena_printf(a, "%s%s%s%s", dir, *dir ? "/" : "", name, slash ? "/" : "");
}

/* Output file for an alias path; NULL if it is not a portal path. */
static const char *alias_output(struct walker *w, struct page *p, struct value *v)
{
	const char *a = v->u.str.s, *why;
	size_t len;
	if (!strncmp(a, "http://", 7) || !strncmp(a, "https://", 8))
		return NULL; /* an old site's URL: the redirect maps handle it */
	if (a[0] == '/')
		a++;
	len = strcspn(a, "?#");
	why = len ? path_unsafe_reason(a, len) : "is empty";
	if (!why && memchr(a, '%', len))
		why = "contains a '%' (write the alias decoded)";
	if (why) {
		diag_error(w->diags, p->src, v->line, v->col,
			   "an alias is an old path on this portal, such as /old/path.html",
			   "alias '%s' %s", v->u.str.s, why);
		return NULL;
	}
	if (a[len - 1] == '/')
		return arena_printf(&w->c->arena, "%.*sindex.html", (int)len, a);
	if (path_has_ext(a, ".html") || path_has_ext(a, ".htm"))
		return arena_strndup(&w->c->arena, a, len);
	return arena_printf(&w->c->arena, "%.*s/index.html", (int)len, a);
}

static void read_aliases(struct walker *w, struct page *p)
{
	struct value *v = value_map_get(p->fm, "aliases");
	size_t i;
	if (!v || v->type == VAL_NULL)
		return;
	if (v->type != VAL_LIST) {
		diag_error(w->diags, p->src, v->line, v->col, "write a list: one '- /old/path' per line",
			   "'aliases' must be a list");
		return;
	}
	for (i = 0; i < v->u.list.nr; i++) {
		struct value *e = v->u.list.items[i];
		const char *out;
		if (e->type != VAL_STR) {
			diag_error(w->diags, p->src, e->line, e->col, NULL, "an alias must be a string");
			continue;
		}
		out = alias_output(w, p, e);
		if (!out || claim(w, out, p->src, e->line, e->col, "alias"))
			continue;
		ALLOC_GROW(w->c->aliases, w->c->nr_aliases + 1, w->c->alloc_aliases);
		w->c->aliases[w->c->nr_aliases].rel = out;
		w->c->aliases[w->c->nr_aliases].page = p;
		w->c->nr_aliases++;
	}
}

static void add_page(struct content *c, struct page *p)
{
	ALLOC_GROW(c->pages, c->nr_pages + 1, c->alloc_pages);
	c->pages[c->nr_pages++] = p;
}

static struct page *new_page(struct walker *w, enum page_kind kind, const char *src)
{
	struct page *p = arena_alloc(w->arena, sizeof(*p));
	p->kind = kind;
	p->src = src ? arena_strdup(w->arena, src) : NULL;
	return p;
}

/* Load a page's front matter; NULL if it is broken or a skipped draft. */
static struct page *load_page(struct walker *w, enum page_kind kind, const char *src)
{
	struct strbuf text = STRBUF_INIT;
	struct page *p = new_page(w, kind, src);
	size_t before = w->diags->errors;

	if (!load_file(w, p, &text)) {
		read_scalars(w, p);
		read_layout(w, p);
	}
	strbuf_release(&text);
	if (w->diags->errors > before)
		return NULL;
	if (p->draft && !w->opt->drafts) {
		w->drafts++;
		return NULL;
	}
	return p;
}

static void walker_init(struct walker *w, struct content *c, const struct content_options *opt,
			struct diag_list *diags)
{
	memset(w, 0, sizeof(*w));
	w->c = c;
	w->opt = opt;
	w->diags = diags;
	strbuf_init(&w->abs, 0);
	w->arena = &c->arena;
}

struct page *content_load_page(struct content *c, const struct content_options *opt,
				const char *path, struct diag_list *diags)
{
	struct walker w;
	struct page *p;
	walker_init(&w, c, opt, diags);
	strbuf_addstr(&w.abs, path);
	p = load_page(&w, PAGE_ARTICLE, path);
	c->nr_drafts += w.drafts;
	strbuf_release(&w.abs);
	return p;
}

int content_claim(struct content *c, const char *rel_out, const char *src,
		  unsigned line, unsigned col, struct diag_list *diags)
{
	struct walker w;
	walker_init(&w, c, NULL, diags);
	return claim(&w, rel_out, src, line, col, "URL");
}

static void attach_article(struct walker *w, struct section *s, struct page *p, const char *name);

/* ---- parsing the articles in parallel ---- */

struct loader_thread {
	struct walker w;
	struct diag_list diags;
	size_t *next;
	struct walker *main;
};

static void *load_thread(void *arg)
{
	struct loader_thread *t = arg;
	struct walker *m = t->main;
	for (;;) {
		size_t i = __atomic_fetch_add(t->next, 1, __ATOMIC_RELAXED);
		if (i >= m->nr_pending)
			break;
		strbuf_reset(&t->w.abs);
		strbuf_addstr(&t->w.abs, m->pending[i].src);
		m->pending[i].page = load_page(&t->w, PAGE_ARTICLE, m->pending[i].src);
	}
	return NULL;
}

static int loader_count(const struct content_options *opt, size_t work)
{
	long n = opt->jobs > 0 ? opt->jobs : sysconf(_SC_NPROCESSORS_ONLN);
	if (work < 64)
		return 1; /* not worth a thread */
	return n < 1 ? 1 : n > 32 ? 32 : (int)n;
}

/*
 * Reading and checking front matter is most of a large site's loading
 * time: the walk only lists the files, threads parse them (each into its
 * own arena), and the pages are attached in walk order, deterministically.
 */
static void load_pending(struct walker *w)
{
	int n = loader_count(w->opt, w->nr_pending), i;
	struct loader_thread *t = xcalloc((size_t)n, sizeof(*t));
	pthread_t *tid = xcalloc((size_t)n, sizeof(*tid));
	size_t next = 0, k;

	w->c->thread_arenas = xcalloc((size_t)n, sizeof(struct arena));
	w->c->nr_thread_arenas = (size_t)n;
	for (i = 0; i < n; i++) {
		diag_list_init(&t[i].diags);
		walker_init(&t[i].w, w->c, w->opt, &t[i].diags);
		arena_init(&w->c->thread_arenas[i]);
		t[i].w.arena = &w->c->thread_arenas[i];
		t[i].next = &next;
		t[i].main = w;
	}
	for (i = 1; i < n; i++)
		if (pthread_create(&tid[i], NULL, load_thread, &t[i]))
			die("unable to start a loader thread");
	load_thread(&t[0]);
	for (i = 1; i < n; i++)
		pthread_join(tid[i], NULL);
	for (i = 0; i < n; i++) {
		diag_list_take(w->diags, &t[i].diags);
		w->drafts += t[i].w.drafts;
		strbuf_release(&t[i].w.abs);
	}
	for (k = 0; k < w->nr_pending; k++)
		if (w->pending[k].page)
			attach_article(w, w->pending[k].section, w->pending[k].page, w->pending[k].name);
	free(t);
	free(tid);
}

static enum page_kind section_kind(int depth)
{
	return depth == 0 ? PAGE_HOME : depth == 1 ? PAGE_DEPARTMENT : PAGE_COLUMN;
}

static struct section *new_section(struct walker *w, struct section *parent, const char *dir)
{
	struct section *s = arena_alloc(&w->c->arena, sizeof(*s));
	s->parent = parent;
	s->dir = arena_strdup(&w->c->arena, dir);
	s->depth = parent ? parent->depth + 1 : 0;
	return s;
}

static void attach_article(struct walker *w, struct section *s, struct page *p, const char *name)
{
	const char *slug = fm_str(w, p, "slug");
	char *base = arena_strndup(&w->c->arena, name, strlen(name) - 3);
	const char *why;
	struct value *v = value_map_get(p->fm, "slug");

	if (!slug)
		slug = base;
	why = slug_unsafe_reason(slug);
	if (why) {
		diag_error(w->diags, p->src, v ? v->line : 1, v ? v->col : 1,
			   "use lower-case letters, digits and hyphens, e.g. 2025-03-12-chunjin",
			   "slug '%s' %s", slug, why);
		return;
	}
	p->rel = join_rel(&w->c->arena, s->dir, slug, 1);
	p->section = s;
	if (claim(w, arena_printf(&w->c->arena, "%sindex.html", p->rel), p->src,
		  v ? v->line : 1, v ? v->col : 1, "URL"))
		return;
	read_aliases(w, p);
	ALLOC_GROW(s->pages, s->nr_pages + 1, s->alloc_pages);
	s->pages[s->nr_pages++] = p;
	add_page(w->c, p);
}

static void add_attachment(struct walker *w, const char *src, const char *rel)
{
	struct attachment *a;
	if (claim(w, rel, src, 0, 0, "file"))
		return;
	ALLOC_GROW(w->c->attachments, w->c->nr_attachments + 1, w->c->alloc_attachments);
	a = &w->c->attachments[w->c->nr_attachments++];
	a->src = arena_strdup(&w->c->arena, w->abs.buf);
	a->rel = arena_strdup(&w->c->arena, rel);
}

static int walk(struct walker *w, struct section *s);

static void walk_entry(struct walker *w, struct section *s, const char *name)
{
	struct stat st;
	const char *src = w->abs.buf;
	const char *rel = join_rel(&w->c->arena, s->dir, name, 0);
	const char *why;

	if (lstat(w->abs.buf, &st)) {
		diag_error(w->diags, src, 0, 0, NULL, "unable to stat: %s", strerror(errno));
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		diag_warning(w->diags, src, 0, 0, "copy the file into content/ instead",
			     "symbolic link skipped: it could lead outside the source");
		return;
	}
	if (!strcmp(name, "_index.md"))
		return; /* loaded with the section */
	why = slug_unsafe_reason(name);
	if (why) {
		diag_error(w->diags, src, 0, 0,
			   "rename it with lower-case letters, digits and hyphens",
			   "file name '%s' %s", name, why);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		struct section *child = new_section(w, s, rel);
		if (!walk(w, child))
			return;
		ALLOC_GROW(s->children, s->nr_children + 1, s->alloc_children);
		s->children[s->nr_children++] = child;
	} else if (S_ISREG(st.st_mode) && path_has_ext(name, ".md")) {
		struct pending *pd;
		ALLOC_GROW(w->pending, w->nr_pending + 1, w->alloc_pending);
		pd = &w->pending[w->nr_pending++];
		pd->section = s;
		pd->name = arena_strdup(&w->c->arena, name);
		pd->src = arena_strdup(&w->c->arena, src);
		pd->page = NULL;
	} else if (S_ISREG(st.st_mode)) {
		add_attachment(w, src, rel);
	}
}

static int skip_name(const struct section *s, const char *name)
{
	if (name[0] == '.' || name[strlen(name) - 1] == '~')
		return 1; /* hidden files and editor backups */
	return s->depth == 0 && (!strcmp(name, RESERVED_NOTICES) || !strcmp(name, RESERVED_SITES));
}

/* Load the section's own page from _index.md, or make one up. */
static int load_section_page(struct walker *w, struct section *s, int has_index)
{
	struct page *p;
	size_t base = w->abs.len;

	if (has_index) {
		strbuf_addstr(&w->abs, "/_index.md");
		p = load_page(w, section_kind(s->depth), w->abs.buf);
		strbuf_setlen(&w->abs, base);
		if (!p)
			return 0;
	} else {
		p = new_page(w, section_kind(s->depth), NULL);
		p->title = s->depth ? path_basename(s->dir) : w->opt->cfg->title;
		p->fm = value_map(&w->c->arena);
	}
	p->section = s;
	p->rel = s->depth ? arena_printf(&w->c->arena, "%s/", s->dir) : "";
	s->page = p;
	claim(w, arena_printf(&w->c->arena, "%sindex.html", p->rel),
	      p->src ? p->src : "content", 0, 0, "URL");
	add_page(w->c, p);
	return 1;
}

/* Returns 0 if the section is left out (a draft). */
static int walk(struct walker *w, struct section *s)
{
	char **names;
	size_t nr, i, base = w->abs.len;
	int has_index = 0;

	if (list_dir_sorted(w->abs.buf, &names, &nr)) {
		diag_error(w->diags, w->abs.buf, 0, 0, NULL, "unable to read folder: %s", strerror(errno));
		return 0;
	}
	for (i = 0; i < nr; i++)
		if (!strcmp(names[i], "_index.md"))
			has_index = 1;
	if (!load_section_page(w, s, has_index)) {
		free_names(names, nr);
		return 0;
	}
	for (i = 0; i < nr; i++) {
		if (skip_name(s, names[i]))
			continue;
		strbuf_addf(&w->abs, "/%s", names[i]);
		walk_entry(w, s, names[i]);
		strbuf_setlen(&w->abs, base);
	}
	free_names(names, nr);
	return 1;
}

static int cmp_articles(const void *va, const void *vb)
{
	const struct page *a = *(struct page *const *)va, *b = *(struct page *const *)vb;
	int c;
	if (a->has_date != b->has_date)
		return a->has_date ? -1 : 1; /* undated last */
	if (a->has_date && (c = date_cmp(&a->date, &b->date)))
		return -c;                   /* newest first */
	if (a->weight != b->weight)
		return a->weight < b->weight ? -1 : 1;
	return strcmp(a->rel, b->rel);
}

static int cmp_sections(const void *va, const void *vb)
{
	const struct section *a = *(struct section *const *)va, *b = *(struct section *const *)vb;
	if (a->page->weight != b->page->weight)
		return a->page->weight < b->page->weight ? -1 : 1;
	return strcmp(a->dir, b->dir);
}

void content_sort_newest(struct page **pages, size_t nr)
{
	if (nr > 1)
		qsort(pages, nr, sizeof(*pages), cmp_articles);
}

int content_read_body(const char *source_dir, const struct page *p,
		      struct strbuf *buf, const char **body, size_t *len)
{
	size_t skip = 0;
	strbuf_reset(buf);
	*body = "";
	*len = 0;
	if (!p->src)
		return 0;
	(void)source_dir; /* p->src already starts with it */
	strbuf_addstr(buf, p->src);
	{
		struct strbuf text = STRBUF_INIT;
		if (strbuf_read_file(&text, buf->buf)) {
			strbuf_release(&text);
			return -1;
		}
		strbuf_release(buf);
		*buf = text;
	}
	if (buf->len >= 3 && !memcmp(buf->buf, "\xef\xbb\xbf", 3))
		skip = 3;
	if (skip + p->body_off > buf->len)
		return 0;
	*body = buf->buf + skip + p->body_off;
	*len = buf->len - skip - p->body_off;
	return 0;
}

static void sort_section(struct section *s)
{
	size_t i;
	if (s->nr_pages > 1)
		qsort(s->pages, s->nr_pages, sizeof(*s->pages), cmp_articles);
	if (s->nr_children > 1)
		qsort(s->children, s->nr_children, sizeof(*s->children), cmp_sections);
	for (i = 0; i < s->nr_children; i++)
		sort_section(s->children[i]);
}

/*
 * What a link-out column points at, for its text: front matter
 * `link_label`, else the platform of site.yaml whose URL it starts with
 * (DOMAIN.md rule 12: disclosure and service platforms).
 */
static const char *link_label(const struct site_config *cfg, const struct page *p)
{
	static const struct { const char *key, *label; } platforms[] = {
		{ "disclosure", "政府信息公开平台" },
		{ "service", "政务服务平台" },
	};
	const char *own = value_map_str(p->fm, "link_label");
	struct value *pl = value_map_get(cfg->raw, "platforms");
	size_t i;
	if (own)
		return own;
	for (i = 0; i < sizeof(platforms) / sizeof(*platforms); i++) {
		const char *u = value_map_str(pl, platforms[i].key);
		if (u && *u && !strncmp(p->link, u, strlen(u)))
			return platforms[i].label;
	}
	return NULL;
}

/* The {title,url,date,date_cn,summary} map every list shares. */
static void make_items(struct content *c, const struct site_config *cfg)
{
	const char *root = cfg->root;
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	for (i = 0; i < c->nr_pages; i++) {
		struct page *p = c->pages[i];
		struct value *m = value_map(&c->arena);
		value_map_set(&c->arena, m, "title", value_str_ref(&c->arena, p->title, strlen(p->title)));
		value_map_set(&c->arena, m, "url", value_str(&c->arena, arena_printf(&c->arena, "%s%s", root, p->rel)));
		if (p->has_date) {
			strbuf_reset(&sb);
			date_fmt_iso(&p->date, &sb);
			value_map_set(&c->arena, m, "date", value_strn(&c->arena, sb.buf, sb.len));
			strbuf_reset(&sb);
			date_fmt_cn(&p->date, &sb);
			value_map_set(&c->arena, m, "date_cn", value_strn(&c->arena, sb.buf, sb.len));
		}
		if (p->summary && *p->summary)
			value_map_set(&c->arena, m, "summary", value_str_ref(&c->arena, p->summary, strlen(p->summary)));
		if (p->link) {
			const char *label = link_label(cfg, p);
			value_map_set(&c->arena, m, "link", value_str_ref(&c->arena, p->link, strlen(p->link)));
			if (label)
				value_map_set(&c->arena, m, "link_label", value_str(&c->arena, label));
		}
		value_map_set(&c->arena, m, "kind", value_str(&c->arena, page_kind_name(p->kind)));
		p->item = m;
	}
	strbuf_release(&sb);
}

static void warn_undated(struct content *c, struct diag_list *diags)
{
	size_t i;
	for (i = 0; i < c->nr_pages; i++) {
		struct page *p = c->pages[i];
		if (p->kind == PAGE_ARTICLE && !p->has_date)
			diag_warning(diags, p->src, 1, 1,
				     "add 'date: YYYY-MM-DD' (the national inspection counts an item without a date as not updated)",
				     "article has no publication date");
	}
}

int content_load(struct content *c, const struct content_options *opt,
		 struct diag_list *diags)
{
	struct walker w;
	size_t before = diags->errors;

	walker_init(&w, c, opt, diags);
	path_in(&w.abs, opt->source_dir, "content");
	if (!is_dir(w.abs.buf)) {
		diag_error(diags, w.abs.buf, 0, 0, "create content/_index.md and one folder per department",
			   "no content folder in '%s'", opt->source_dir);
		strbuf_release(&w.abs);
		return -1;
	}
	c->root = new_section(&w, NULL, "");
	walk(&w, c->root);
	load_pending(&w);
	c->nr_drafts += w.drafts;
	free(w.pending);
	strbuf_release(&w.abs);
	if (diags->errors > before)
		return -1;
	if (c->nr_pages <= 1 && !c->root->nr_children) {
		diag_error(diags, NULL, 0, 0,
			   "add content/_index.md and at least one department folder with pages",
			   "content folder is empty");
		return -1;
	}
	sort_section(c->root);
	make_items(c, opt->cfg);
	warn_undated(c, diags);
	return 0;
}
