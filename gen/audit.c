#include "gen/audit.h"
#include "gen/content.h"
#include "gen/history.h"
#include "gen/notices.h"
#include "gen/site.h"
#include "common/arena.h"
#include "common/diag.h"
#include "common/gitrepo.h"
#include "common/path.h"
#include "common/siterec.h"
#include "common/strbuf.h"
#include "common/value.h"
#include "common/xalloc.h"
#include "common/yamlload.h"

#include <stdlib.h>
#include <string.h>

struct audit {
	const struct audit_options *o;
	struct arena arena;
	struct diag_list diags;
	struct site_config cfg;
	struct content content;
	struct notices notices;
	struct history history;
	struct cdate today;
	struct strbuf *err;
};

static int theme_free_layout(void *ud, const char *name)
{
	(void)ud;
	(void)name;
	return 1; /* the audit renders nothing: any layout will do */
}

static json_t *jdate(const struct cdate *d)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j;
	date_fmt_iso(d, &sb);
	j = json_string(sb.buf);
	strbuf_release(&sb);
	return j;
}

static json_t *jcommit(const git_oid *oid, const struct cdate *d)
{
	struct strbuf id = STRBUF_INIT;
	json_t *j;
	history_short_id(oid, &id);
	j = json_pack("{s:s,s:o}", "commit", id.buf, "date", jdate(d));
	strbuf_release(&id);
	return j;
}

/* Content commits on HEAD that changed `path` (relative to the work tree), oldest first. */
static json_t *content_commits(struct audit *a, const char *path, git_oid *last_blob, int *have_blob)
{
	json_t *list = json_array();
	git_revwalk *walk = NULL;
	git_oid oid;
	if (!a->history.repo || git_revwalk_new(&walk, a->history.repo) || git_revwalk_push_head(walk))
		goto out;
	git_revwalk_sorting(walk, GIT_SORT_TIME | GIT_SORT_REVERSE);
	while (!git_revwalk_next(&oid, walk)) {
		git_commit *c = NULL, *parent = NULL;
		git_tree *t = NULL, *pt = NULL;
		git_tree_entry *e = NULL, *pe = NULL;
		if (git_commit_lookup(&c, a->history.repo, &oid) || git_commit_tree(&t, c))
			goto next;
		git_tree_entry_bypath(&e, t, path);
		if (git_commit_parentcount(c) && !git_commit_parent(&parent, c, 0) && !git_commit_tree(&pt, parent))
			git_tree_entry_bypath(&pe, pt, path);
		if (e) {
			*last_blob = *git_tree_entry_id(e);
			*have_blob = 1;
		}
		if ((e || pe) && (!e || !pe || !git_oid_equal(git_tree_entry_id(e), git_tree_entry_id(pe)))) {
			const git_signature *au = git_commit_author(c);
			struct strbuf id = STRBUF_INIT, who = STRBUF_INIT, when = STRBUF_INIT;
			char tz[16];
			long long t0 = (long long)au->when.time + au->when.offset * 60LL;
			struct cdate d = date_from_days(t0 >= 0 ? t0 / 86400 : (t0 - 86399) / 86400);
			long long sod = t0 - date_to_days(&d) * 86400;
			history_short_id(git_commit_id(c), &id);
			strbuf_addf(&who, "%s <%s>", au->name, au->email);
			date_fmt_iso(&d, &when);
			snprintf(tz, sizeof(tz), "%c%02d:%02d", au->when.offset < 0 ? '-' : '+',
				 abs(au->when.offset) / 60, abs(au->when.offset) % 60);
			strbuf_addf(&when, "T%02lld:%02lld:%02lld%s", sod / 3600, sod / 60 % 60, sod % 60, tz);
			json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s}", "commit", id.buf,
				"author", who.buf, "date", when.buf, "message", git_commit_summary(c)));
			strbuf_release(&id);
			strbuf_release(&who);
			strbuf_release(&when);
		}
next:
		git_tree_entry_free(e);
		git_tree_entry_free(pe);
		git_tree_free(t);
		git_tree_free(pt);
		git_commit_free(parent);
		git_commit_free(c);
	}
out:
	git_revwalk_free(walk);
	return list;
}

static const char *const state_names[] = { "scheduled", "active", "expired", "withdrawn" };

static const char *per_cn(const struct period *p)
{
	static char buf[32];
	snprintf(buf, sizeof(buf), p->months ? "%d 个月" : "%d 天", p->months ? p->months : p->days);
	return buf;
}

/* Compliance of one notice, with the reasons when it is not. */
static void judge(struct audit *a, json_t *j, const struct notice *no, const struct history_notice *hn,
		  enum notice_kind kind)
{
	const struct period *min = &a->notices.min[kind];
	json_t *reasons = json_array();
	struct strbuf r = STRBUF_INIT, per = STRBUF_INIT, s1 = STRBUF_INIT, s2 = STRBUF_INIT;
	struct cdate start = hn ? hn->first_date : no->published, last;
	int has_min = min->months || min->days;

	last = has_min ? period_last_day(&start, min) : start;
	period_format(min, &per);
	json_object_set_new(j, "minimum", has_min ?
			    json_pack("{s:s,s:o}", "period", per.buf, "last_day", jdate(&last)) : json_null());
	if (no && hn && date_cmp(&no->published, &hn->first_date) < 0) {
		date_fmt_iso(&no->published, &s1);
		date_fmt_iso(&hn->first_date, &s2);
		strbuf_addf(&r, "声明发布日期 %s，但首次公开于 %s（倒签）", s1.buf, s2.buf);
		json_array_append_new(reasons, json_string(r.buf));
	}
	if (has_min && hn && hn->gone && date_cmp(&hn->gone_date, &last) <= 0 && !(no && no->withdrawn)) {
		strbuf_reset(&r);
		strbuf_reset(&s1);
		strbuf_reset(&s2);
		date_fmt_iso(&hn->first_date, &s1);
		date_fmt_iso(&hn->gone_date, &s2);
		strbuf_addf(&r, "实际公示 %lld 天（%s 起，%s 撤下），不足 %s%s",
			    (long long)(date_to_days(&hn->gone_date) - date_to_days(&hn->first_date)),
			    s1.buf, s2.buf, per_cn(min), "");
		json_array_append_new(reasons, json_string(r.buf));
	}
	/* never shown: nothing to judge yet */
	json_object_set_new(j, "compliant", !hn ? json_null() : json_boolean(json_array_size(reasons) == 0));
	json_object_set_new(j, "reasons", reasons);
	strbuf_release(&r);
	strbuf_release(&per);
	strbuf_release(&s1);
	strbuf_release(&s2);
}

/* The front matter of a notice's last committed version (for notices since deleted). */
static struct value *last_front_matter(struct audit *a, const git_oid *blob_id, const char *path)
{
	git_blob *blob = NULL;
	struct value *fm = NULL;
	size_t off, len, body;
	unsigned line;
	struct diag_list quiet = DIAG_LIST_INIT;
	if (git_blob_lookup(&blob, a->history.repo, blob_id))
		return NULL;
	if (content_split_front_matter(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
				       &off, &len, &body, &line) == 1)
		fm = yaml_load(&a->arena, (const char *)git_blob_rawcontent(blob) + off, len, path, 2, &quiet);
	diag_list_release(&quiet);
	git_blob_free(blob);
	return fm && fm->type == VAL_MAP ? fm : NULL;
}

static json_t *notice_entry(struct audit *a, const char *slug, const struct notice *no,
			    const struct history_notice *hn)
{
	json_t *j = json_object(), *commits;
	enum notice_kind kind = no ? no->kind : NOTICE_OTHER;
	struct strbuf path = STRBUF_INIT;
	struct value *old = NULL;
	git_oid blob;
	int have_blob = 0;
	const char *title = no ? no->page->title : NULL;

	strbuf_addf(&path, "content/notices/%s.md", slug);
	commits = content_commits(a, path.buf, &blob, &have_blob);
	if (!no && have_blob)
		old = last_front_matter(a, &blob, path.buf);
	if (!title)
		title = value_map_str(old, "title");
	if (!no && hn && notice_kind_parse(hn->kind, &kind))
		kind = NOTICE_OTHER;
	json_object_set_new(j, "slug", json_string(slug));
	json_object_set_new(j, "title", json_string(title ? title : slug));
	json_object_set_new(j, "kind", json_string(notice_kind_name(kind)));
	json_object_set_new(j, "kind_label", json_string(notice_kind_label(kind)));
	if (no && no->site_id)
		json_object_set_new(j, "site", json_string(no->site_id));
	else if (value_map_str(old, "site"))
		json_object_set_new(j, "site", json_string(value_map_str(old, "site")));
	if (no && no->site)
		json_object_set_new(j, "site_name", json_string(no->site->name));
	json_object_set_new(j, "declared", json_pack("{s:o,s:o}",
		"published", jdate(no ? &no->published : &hn->published),
		"until", no ? (no->has_until ? jdate(&no->until) : json_null()) : jdate(&hn->until)));
	if (hn) {
		json_t *d = json_pack("{s:o,s:o}", "first", jcommit(&hn->first, &hn->first_date),
				      "last", jcommit(&hn->last, &hn->last_date));
		if (hn->gone)
			json_object_set_new(d, "removed", jcommit(&hn->gone_commit, &hn->gone_date));
		json_object_set_new(j, "displayed", d);
	} else {
		json_object_set_new(j, "displayed", json_null());
	}
	json_object_set_new(j, "state", json_string(no ? state_names[no->state] : "missing"));
	json_object_set_new(j, "withdrawn", json_boolean(no && no->withdrawn));
	json_object_set_new(j, "withdrawn_reason", no && no->withdrawn_reason ?
			    json_string(no->withdrawn_reason) : json_null());
	judge(a, j, no, hn, kind);
	json_object_set_new(j, "commits", commits);
	strbuf_release(&path);
	return j;
}

static int cmp_json_slug(const void *va, const void *vb)
{
	const char *a = *(const char *const *)va, *b = *(const char *const *)vb;
	return strcmp(a, b);
}

static json_t *notices_json(struct audit *a)
{
	json_t *list = json_array();
	const char **slugs = NULL;
	size_t nr = 0, alloc = 0, i;
	for (i = 0; i < a->notices.nr; i++) {
		ALLOC_GROW(slugs, nr + 1, alloc);
		slugs[nr++] = a->notices.items[i]->slug;
	}
	for (i = 0; i < a->history.notices.cap; i++) {
		struct history_notice *hn = a->history.notices.slots[i].val;
		if (hn && !notices_find(&a->notices, hn->slug)) {
			ALLOC_GROW(slugs, nr + 1, alloc);
			slugs[nr++] = hn->slug;
		}
	}
	if (nr > 1)
		qsort(slugs, nr, sizeof(*slugs), cmp_json_slug);
	for (i = 0; i < nr; i++)
		json_array_append_new(list, notice_entry(a, slugs[i], notices_find(&a->notices, slugs[i]),
							 strmap_get(&a->history.notices, slugs[i])));
	free(slugs);
	return list;
}

/* "capture/<id>/<YYYYMMDDhhmmss>" -> the capture's China date */
static int tag_date(const char *ts, struct cdate *d)
{
	struct strbuf iso = STRBUF_INIT;
	int r;
	if (strlen(ts) != 14)
		return -1;
	strbuf_addf(&iso, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", ts, ts + 4, ts + 6, ts + 8, ts + 10, ts + 12);
	r = date_parse(iso.buf, d, NULL);
	strbuf_release(&iso);
	return r;
}

static json_t *site_entry(json_t *sites, const char *id, struct audit *a)
{
	size_t i;
	json_t *s;
	struct site_record rec;
	struct diag_list quiet = DIAG_LIST_INIT;
	for (i = 0; i < json_array_size(sites); i++) {
		s = json_array_get(sites, i);
		if (!strcmp(json_string_value(json_object_get(s, "id")), id))
			return s;
	}
	s = json_pack("{s:s,s:[]}", "id", id, "captures");
	if (!siterec_load(&rec, &a->arena, a->o->source_dir, id, &quiet) && rec.name)
		json_object_set_new(s, "name", json_string(rec.name));
	diag_list_release(&quiet);
	json_array_append_new(sites, s);
	return s;
}

static json_t *sites_json(struct audit *a)
{
	struct strbuf dir = STRBUF_INIT;
	git_repository *repo = NULL;
	git_strarray tags = { 0 };
	json_t *sites = json_array();
	size_t i;

	if (a->o->archive_dir)
		strbuf_addstr(&dir, a->o->archive_dir);
	else
		path_in(&dir, a->o->source_dir, "archive");
	if (git_repository_open_ext(&repo, dir.buf, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) ||
	    git_tag_list_match(&tags, "capture/*", repo))
		goto out;
	for (i = 0; i < tags.count; i++) {
		const char *name = tags.strings[i] + 8, *slash = strchr(name, '/');
		git_object *obj = NULL;
		git_commit *c = NULL;
		char *id;
		struct cdate d;
		struct strbuf cid = STRBUF_INIT;
		const char *msg, *res;
		json_t *cap;
		if (!slash || tag_date(slash + 1, &d) || git_revparse_single(&obj, repo, tags.strings[i]) ||
		    git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT)) {
			git_object_free(obj);
			continue;
		}
		id = xstrndup(name, (size_t)(slash - name));
		msg = git_commit_message(c);
		res = strstr(msg, " resources");
		while (res && res > msg && res[-1] >= '0' && res[-1] <= '9')
			res--;
		history_short_id(git_commit_id(c), &cid);
		cap = json_pack("{s:s,s:s,s:o,s:I,s:b}", "tag", tags.strings[i], "commit", cid.buf,
				"date", jdate(&d), "resources", (json_int_t)(res ? atoll(res) : 0),
				"zombie", strstr(msg, "zombie") != NULL);
		json_array_append_new(json_object_get(site_entry(sites, id, a), "captures"), cap);
		free(id);
		strbuf_release(&cid);
		git_commit_free(c);
		git_object_free(obj);
	}
out:
	git_strarray_dispose(&tags);
	git_repository_free(repo);
	strbuf_release(&dir);
	return sites;
}

static int load(struct audit *a)
{
	struct content_options co;
	struct strbuf e = STRBUF_INIT;
	if (site_config_load(&a->cfg, &a->arena, a->o->source_dir, &a->diags) ||
	    date_today(a->o->date, &a->today, &e)) {
		strbuf_addbuf(a->err, &e);
		strbuf_release(&e);
		return -1;
	}
	strbuf_release(&e);
	memset(&co, 0, sizeof(co));
	co.source_dir = a->o->source_dir;
	co.cfg = &a->cfg;
	co.drafts = 0;
	co.has_layout = theme_free_layout;
	if (content_load(&a->content, &co, &a->diags) ||
	    notices_policy(&a->notices, &a->cfg, &a->diags) ||
	    notices_load(&a->notices, &a->content, &co, &a->today, &a->diags))
		return -1;
	if (history_open(&a->history, a->o->source_dir, "publish", a->err) || history_scan(&a->history, a->err))
		return -1;
	return 0;
}

json_t *audit_collect(const struct audit_options *o, struct strbuf *err)
{
	struct audit a;
	json_t *j = NULL;
	const char *branch;

	memset(&a, 0, sizeof(a));
	a.o = o;
	a.err = err;
	arena_init(&a.arena);
	diag_list_init(&a.diags);
	content_init(&a.content);
	if (load(&a)) {
		diag_list_sort(&a.diags);
		diag_list_print(&a.diags, stderr);
		if (!err->len)
			strbuf_addstr(err, "the portal's source has errors: fix them first (see above)");
		goto out;
	}
	branch = value_map_str(a.cfg.raw, "publish_branch");
	j = json_object();
	json_object_set_new(j, "generated", jdate(&a.today));
	json_object_set_new(j, "portal", json_string(a.cfg.title));
	json_object_set_new(j, "branch", json_string(branch ? branch : "publish"));
	json_object_set_new(j, "publish_commits", json_integer((json_int_t)a.history.nr_commits));
	if (a.history.has_tip) {
		char tip[GIT_OID_HEXSZ + 1];
		git_oid_tostr(tip, sizeof(tip), &a.history.tip);
		json_object_set_new(j, "tip", json_string(tip));
	}
	json_object_set_new(j, "notices", notices_json(&a));
	json_object_set_new(j, "sites", sites_json(&a));
out:
	notices_release(&a.notices);
	history_release(&a.history);
	content_release(&a.content);
	diag_list_release(&a.diags);
	arena_release(&a.arena);
	return j;
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "-";
}

static void print_commit(FILE *out, const char *label, const json_t *c)
{
	if (c && json_is_object(c))
		fprintf(out, "%s %s (%s)", label, str(c, "date"), str(c, "commit"));
}

void audit_print_text(const json_t *a, FILE *out)
{
	size_t i, k;
	json_t *n, *s;
	fprintf(out, "audit of %s as of %s: %lld publish commits on '%s'\n\n", str(a, "portal"),
		str(a, "generated"), (long long)json_integer_value(json_object_get(a, "publish_commits")),
		str(a, "branch"));
	json_array_foreach(json_object_get(a, "notices"), i, n) {
		json_t *decl = json_object_get(n, "declared"), *min = json_object_get(n, "minimum");
		json_t *disp = json_object_get(n, "displayed"), *c;
		fprintf(out, "notice %s (%s%s%s): %s\n", str(n, "slug"), str(n, "kind"),
			json_object_get(n, "site") ? ", site " : "", json_object_get(n, "site") ? str(n, "site") : "",
			str(n, "title"));
		fprintf(out, "  declared:  published %s, until %s\n", str(decl, "published"), str(decl, "until"));
		if (json_is_object(min))
			fprintf(out, "  minimum:   %s, on display through %s\n", str(min, "period"), str(min, "last_day"));
		fprintf(out, "  displayed: ");
		if (json_is_object(disp)) {
			print_commit(out, "from", json_object_get(disp, "first"));
			print_commit(out, " to", json_object_get(disp, "last"));
			print_commit(out, ", removed", json_object_get(disp, "removed"));
		} else {
			fprintf(out, "never");
		}
		fprintf(out, "\n  state:     %s%s%s\n", str(n, "state"),
			json_is_true(json_object_get(n, "withdrawn")) ? ", withdrawn: " : "",
			json_is_true(json_object_get(n, "withdrawn")) ? str(n, "withdrawn_reason") : "");
		fprintf(out, "  compliant: %s\n", json_is_true(json_object_get(n, "compliant")) ? "yes" :
			json_is_null(json_object_get(n, "compliant")) ? "not yet shown" : "NO");
		json_array_foreach(json_object_get(n, "reasons"), k, c)
			fprintf(out, "    - %s\n", json_string_value(c));
		fprintf(out, "  commits:\n");
		json_array_foreach(json_object_get(n, "commits"), k, c)
			fprintf(out, "    %s %s %s %s\n", str(c, "date"), str(c, "commit"), str(c, "author"),
				str(c, "message"));
		fputc('\n', out);
	}
	json_array_foreach(json_object_get(a, "sites"), i, s) {
		json_t *c;
		fprintf(out, "site %s (%s): %zu captures\n", str(s, "id"), str(s, "name"),
			json_array_size(json_object_get(s, "captures")));
		json_array_foreach(json_object_get(s, "captures"), k, c)
			fprintf(out, "  %s %s %lld resources%s\n", str(c, "date"), str(c, "tag"),
				(long long)json_integer_value(json_object_get(c, "resources")),
				json_is_true(json_object_get(c, "zombie")) ? ", zombie site" : "");
	}
}
