#include "gen/archives.h"
#include "common/arena.h"
#include "common/date.h"
#include "common/diag.h"
#include "common/fsutil.h"
#include "common/siterec.h"
#include "common/strbuf.h"
#include "common/value.h"
#include "common/xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct value *jstr(struct arena *a, json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? value_str(a, s) : NULL;
}

static struct value *item_of(struct arena *a, const char *id, const char *root, json_t *cap)
{
	struct value *m = value_map(a), *v;
	json_t *counts = json_object_get(cap, "counts"), *start = json_object_get(cap, "start");
	struct strbuf hosts = STRBUF_INIT, cn = STRBUF_INIT;
	struct cdate d;
	size_t i;

	value_map_set(a, m, "id", value_str(a, id));
	v = jstr(a, cap, "name");
	value_map_set(a, m, "name", v ? v : value_str(a, id));
	value_map_set(a, m, "url", value_str(a, arena_printf(a, "%sarchive/%s/", root, id)));
	if ((v = jstr(a, cap, "date"))) {
		value_map_set(a, m, "date", v);
		if (!date_parse(v->u.str.s, &d, NULL)) {
			date_fmt_cn(&d, &cn);
			value_map_set(a, m, "date_cn", value_strn(a, cn.buf, cn.len));
		}
	}
	value_map_set(a, m, "pages", value_int(a, json_integer_value(json_object_get(counts, "pages"))));
	value_map_set(a, m, "documents", value_int(a, json_integer_value(json_object_get(counts, "documents"))));
	value_map_set(a, m, "resources", value_int(a, json_integer_value(json_object_get(counts, "resources"))));
	for (i = 0; i < json_array_size(start); i++) {
		const char *u = json_string_value(json_array_get(start, i));
		if (u)
			strbuf_addf(&hosts, "%s%s", hosts.len ? " " : "", u);
	}
	value_map_set(a, m, "hosts", value_strn(a, hosts.buf, hosts.len));
	if (json_is_true(json_object_get(cap, "zombie")))
		value_map_set(a, m, "zombie", value_bool(a, 1));
	strbuf_release(&hosts);
	strbuf_release(&cn);
	return m;
}

int archives_load(struct archives *a, struct arena *arena, const char *archive_dir,
		  const char *root, struct diag_list *diags)
{
	char **names;
	size_t nr, i;
	struct strbuf p = STRBUF_INIT;

	memset(a, 0, sizeof(*a));
	a->dir = archive_dir;
	if (list_dir_sorted(archive_dir, &names, &nr))
		return 0; /* no archive yet */
	for (i = 0; i < nr; i++) {
		json_error_t je;
		json_t *cap;
		struct archived_site *s;
		if (siterec_id_unsafe(names[i]))
			continue; /* .git, .gitignore and the like */
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s/capture.json", archive_dir, names[i]);
		if (!is_file(p.buf))
			continue;
		cap = json_load_file(p.buf, 0, &je);
		if (!cap) {
			diag_error(diags, p.buf, (unsigned)je.line, (unsigned)je.column,
				   "run 'jiyue archive ID' again to rewrite it", "%s", je.text);
			continue;
		}
		ALLOC_GROW(a->items, a->nr + 1, a->alloc);
		s = &a->items[a->nr++];
		s->id = arena_strdup(arena, names[i]);
		s->site_dir = arena_printf(arena, "%s/%s/site", archive_dir, names[i]);
		s->item = item_of(arena, names[i], root, cap);
		json_decref(cap);
	}
	free_names(names, nr);
	strbuf_release(&p);
	return diags->errors ? -1 : 0;
}

void archives_release(struct archives *a)
{
	free(a->items);
	memset(a, 0, sizeof(*a));
}

/* Hard links cost no space and no time; copies are the fallback. */
static int link_tree(const char *src, const char *dst, struct diag_list *diags)
{
	char **names;
	size_t nr, i;
	struct strbuf s = STRBUF_INIT, d = STRBUF_INIT;
	int ret = 0;
	if (list_dir_sorted(src, &names, &nr))
		return 0;
	if (mkdir_p(dst, 0755)) {
		diag_error(diags, dst, 0, 0, NULL, "unable to create: %s", strerror(errno));
		free_names(names, nr);
		return -1;
	}
	for (i = 0; i < nr && !ret; i++) {
		struct stat st;
		strbuf_reset(&s);
		strbuf_reset(&d);
		strbuf_addf(&s, "%s/%s", src, names[i]);
		strbuf_addf(&d, "%s/%s", dst, names[i]);
		if (lstat(s.buf, &st) || S_ISLNK(st.st_mode))
			continue;
		if (S_ISDIR(st.st_mode))
			ret = link_tree(s.buf, d.buf, diags);
		else if (S_ISREG(st.st_mode) && link(s.buf, d.buf) && copy_file(s.buf, d.buf)) {
			diag_error(diags, s.buf, 0, 0, NULL, "unable to publish: %s", strerror(errno));
			ret = -1;
		}
	}
	free_names(names, nr);
	strbuf_release(&s);
	strbuf_release(&d);
	return ret;
}

int archives_publish(const struct archives *a, const char *out_dir, struct diag_list *diags)
{
	struct strbuf dst = STRBUF_INIT;
	size_t i;
	int ret = 0;
	for (i = 0; i < a->nr && !ret; i++) {
		strbuf_reset(&dst);
		strbuf_addf(&dst, "%s/archive/%s", out_dir, a->items[i].id);
		ret = link_tree(a->items[i].site_dir, dst.buf, diags);
	}
	strbuf_release(&dst);
	return ret;
}

struct value *archives_value(const struct archives *a, struct arena *arena)
{
	struct value *list = value_list(arena);
	size_t i;
	for (i = 0; i < a->nr; i++)
		value_list_push(arena, list, a->items[i].item);
	return list;
}
