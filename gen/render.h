/*
 * render: builds the data each template sees (the contract is documented
 * in docs/themes.md) and renders pages.  The shared parts (site, the
 * homepage's and departments' lists) are built once, before the threads
 * start, and only read afterwards.
 */
#ifndef JIYUE_RENDER_H
#define JIYUE_RENDER_H

#include <stddef.h>

#include "common/arena.h"
#include "common/date.h"
#include "common/diag.h"
#include "common/strbuf.h"

struct content;
struct notice;
struct notices;
struct page;
struct section;
struct site_config;
struct theme;
struct value;

struct render_shared {
	const struct site_config *cfg;
	struct content *content;
	struct theme *theme;
	const char *source_dir;
	const char *out_dir;
	struct cdate today;
	struct arena arena;        /* shared values live here */
	struct value *site_plain;  /* site data, no department current */
	struct value **site_for;   /* per department index: site with that one current */
	struct page **newest;      /* all articles, newest first */
	size_t nr_newest;
	struct value *home_departments;
	struct value *latest;
	struct value *archives;    /* the archive index's list; NULL: no index */
	struct value *closed_sites; /* the directory of closed sites (已关停网站) */
	struct notices *notices;
	struct value *active_notices;      /* on display today, for the homepage */
	struct value **dept_notices;       /* per department index */
	struct value *notices_active, *notices_archive, *notices_withdrawn;
	int hash_outputs;          /* compute git blob ids while the bytes are at hand */
};

/* One unit of work: a page, or one page of a paginated list. */
struct render_job {
	struct page *page;
	size_t list_page;  /* 1-based page of a list; 0 for non-lists */
	int not_found;     /* the 404 page */
	int archive_index; /* the archive index (归档网站) */
	int closed_sites;  /* the directory of closed sites (已关停网站) */
	int notice_index;  /* the notices column /notices/ */
	struct notice *notice;   /* a notice's own page */
	struct notice *closure;  /* the replacement homepage of a closing site */
	/* filled when render_shared.hash_outputs: the file written and its git blob id */
	char *out_rel;
	unsigned char blob_id[20];
};

/* Where a closing site's replacement homepage goes, below the output root. */
const char *render_closure_rel(struct arena *a, const struct notice *no);

/* Per-thread state. */
struct renderer {
	struct render_shared *sh;
	struct arena arena;
	struct strbuf html, body, file, path;
	struct diag_list diags;
	size_t written;
};

void render_shared_init(struct render_shared *sh);
void render_shared_release(struct render_shared *sh);
/* Build the shared values; call once, single-threaded. */
void render_shared_prepare(struct render_shared *sh);

/* Number of list pages a section needs (at least 1). */
size_t render_list_pages(const struct render_shared *sh, const struct section *s);
/* Output path of page n of a section's list, below the root ("fgw/gzdt/page/2/"). */
const char *render_list_rel(struct arena *a, const struct page *p, size_t n);

void renderer_init(struct renderer *r, struct render_shared *sh);
void renderer_release(struct renderer *r);
/* Render one job into sh->out_dir; errors go to r->diags. */
void render_job(struct renderer *r, struct render_job *job);

#endif
