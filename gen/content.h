/*
 * content: the portal's pages, loaded from SOURCE/content/ following Hugo's
 * conventions.  A folder is a section; `_index.md` is the section's own
 * page; every other `.md` file is an article; every other file is an
 * attachment, copied as is.  Sections one level below the root are
 * departments (部门), below them columns (栏目).
 *
 * Reserved top-level folders: `notices/` (notices) and `sites/` (the ledger
 * of old sites, holding internal contacts: never copied into the output).
 *
 * The model owns everything through one arena (struct content.arena).
 */
#ifndef JIYUE_CONTENT_H
#define JIYUE_CONTENT_H

#include <stddef.h>

#include "common/arena.h"
#include "common/date.h"
#include "common/strmap.h"

struct diag_list;
struct value;
struct site_config;
struct strbuf;

enum page_kind { PAGE_HOME, PAGE_DEPARTMENT, PAGE_COLUMN, PAGE_ARTICLE };

struct section;

struct page {
	enum page_kind kind;
	const char *src;      /* file, relative to the source root ("content/a/b.md"); NULL if synthesized */
	const char *rel;      /* URL path below the site root: "" (home), "fgw/", "fgw/gzdt/x/" */
	const char *title;
	const char *summary;  /* may be NULL */
	const char *layout;   /* NULL: the kind's default */
	const char *link;     /* link-out column: the external URL; else NULL */
	struct cdate date;
	int has_date;
	long long weight;
	int draft;
	struct value *fm;     /* front matter (a map) */
	size_t body_off;      /* where the Markdown body starts in the file */
	unsigned body_line;   /* its line number */
	struct section *section; /* articles: their section; section pages: the section itself */
	struct value *item;   /* {title,url,date,date_cn,summary}: shared by every list */
};

struct section {
	struct page *page;
	struct section *parent;
	const char *dir;      /* relative to content/: "" for the root, "fgw", "fgw/gzdt" */
	int depth;            /* 0 root, 1 department, 2 column, 3+ deeper */
	struct section **children;
	size_t nr_children, alloc_children;
	struct page **pages;  /* articles, newest first after content_sort() */
	size_t nr_pages, alloc_pages;
};

struct attachment {
	const char *src;      /* path to read */
	const char *rel;      /* path below the output root */
};

/* An alias: an old URL path that must lead to the page. */
struct alias {
	const char *rel;      /* output path below the root, e.g. "old/x.html" */
	struct page *page;
};

struct content {
	struct arena arena;
	struct section *root;
	struct page **pages;          /* every published page, in walk order */
	size_t nr_pages, alloc_pages;
	struct attachment *attachments;
	size_t nr_attachments, alloc_attachments;
	struct alias *aliases;
	size_t nr_aliases, alloc_aliases;
	struct strmap urls;           /* output path -> claiming source file */
	size_t nr_drafts;             /* drafts left out */
	struct arena *thread_arenas;  /* where the parallel loaders allocated */
	size_t nr_thread_arenas;
};

struct content_options {
	const char *source_dir;
	const struct site_config *cfg;
	int drafts;                   /* include draft pages */
	int jobs;                     /* loader threads; 0: one per core */
	/* Does the theme have layout `name`?  For front matter `layout:`. */
	int (*has_layout)(void *ud, const char *name);
	void *ud;
};

void content_init(struct content *c);
void content_release(struct content *c);

/*
 * Walk SOURCE/content and load every page's front matter (bodies are read
 * again at render time to keep memory flat).  Returns 0, or -1 after adding
 * errors to diags.
 */
int content_load(struct content *c, const struct content_options *opt,
		 struct diag_list *diags);

/*
 * Load one Markdown file (front matter checked like any page's; a draft
 * comes back NULL unless opt->drafts).  The page has no section or URL yet.
 */
struct page *content_load_page(struct content *c, const struct content_options *opt,
				const char *path, struct diag_list *diags);

/* Claim an output path (e.g. "notices/x/index.html") for src; -1 on a collision (reported). */
int content_claim(struct content *c, const char *rel_out, const char *src,
		  unsigned line, unsigned col, struct diag_list *diags);

/*
 * Read page p's file again and point *body / *len at its Markdown body
 * inside buf.  Returns 0, or -1 with errno set.
 */
int content_read_body(const char *source_dir, const struct page *p,
		      struct strbuf *buf, const char **body, size_t *len);

/* Sort articles newest first (undated last, then weight, then URL). */
void content_sort_newest(struct page **pages, size_t nr);

/* Split a Markdown file into front matter and body: see content.c. */
int content_split_front_matter(const char *text, size_t len, size_t *fm_off,
			       size_t *fm_len, size_t *body_off, unsigned *body_line);

#endif
