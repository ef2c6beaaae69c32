/*
 * archives: the old sites' latest captures, published by the portal under
 * /archive/<id>/ with an index page (归档网站).  A capture counts only once
 * complete: ARCHIVE/<id>/capture.json exists (the archiver writes it last).
 */
#ifndef JIYUE_ARCHIVES_H
#define JIYUE_ARCHIVES_H

#include <stddef.h>

struct arena;
struct diag_list;
struct value;

struct archived_site {
	const char *id;
	const char *site_dir;    /* ARCHIVE/<id>/site */
	struct value *item;      /* {id,name,url,date,date_cn,pages,documents,resources,hosts,zombie} */
};

struct archives {
	const char *dir;
	struct archived_site *items;
	size_t nr, alloc;
};

/* Read ARCHIVE/<id>/capture.json for every site; a missing ARCHIVE is fine. */
int archives_load(struct archives *a, struct arena *arena, const char *archive_dir,
		  const char *root, struct diag_list *diags);
void archives_release(struct archives *a);

/* Copy (hard-link where possible) every site/ tree to OUT/archive/<id>/. */
int archives_publish(const struct archives *a, const char *out_dir, struct diag_list *diags);

/* The list for templates. */
struct value *archives_value(const struct archives *a, struct arena *arena);

#endif
