#include "gen/notices.h"
#include "gen/content.h"
#include "gen/history.h"
#include "gen/ledger.h"
#include "gen/site.h"
#include "common/diag.h"
#include "common/fsutil.h"
#include "common/path.h"
#include "common/siterec.h"
#include "common/strbuf.h"
#include "common/value.h"
#include "common/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name, *label, *rule;
	struct period min;
} kinds[NOTICE_KINDS] = {
	{ "closure", "关停公告", "DOMAIN.md rule 2, 粤办函〔2017〕156号", { 1, 0 } },
	{ "migration", "迁移公告", "DOMAIN.md rule 3, 亳政办秘〔2019〕49号", { 0, 30 } },
	{ "domain-change", "域名变更公告", "DOMAIN.md rule 4, 宿政办秘〔2018〕116号", { 3, 0 } },
	{ "opening", "开通公告", "DOMAIN.md rule 5, 亳政办秘〔2019〕49号", { 0, 30 } },
	{ "other", "公告", NULL, { 0, 0 } },
};

const char *notice_kind_name(enum notice_kind k)
{
	return kinds[k].name;
}

const char *notice_kind_label(enum notice_kind k)
{
	return kinds[k].label;
}

int notice_kind_parse(const char *s, enum notice_kind *k)
{
	int i;
	for (i = 0; i < NOTICE_KINDS; i++)
		if (!strcmp(s, kinds[i].name)) {
			*k = (enum notice_kind)i;
			return 0;
		}
	return -1;
}

int period_parse(const char *s, struct period *p)
{
	char *end;
	long n = strtol(s, &end, 10);
	memset(p, 0, sizeof(*p));
	if (end == s || n < 0 || n > 1200)
		return -1;
	while (*end == ' ')
		end++;
	if (!strcmp(end, "month") || !strcmp(end, "months") || !strcmp(end, "个月") || !strcmp(end, "月"))
		p->months = (int)n;
	else if (!strcmp(end, "day") || !strcmp(end, "days") || !strcmp(end, "天") || !strcmp(end, "日"))
		p->days = (int)n;
	else
		return -1;
	return 0;
}

void period_format(const struct period *p, struct strbuf *sb)
{
	if (p->months)
		strbuf_addf(sb, "%d month%s", p->months, p->months == 1 ? "" : "s");
	else
		strbuf_addf(sb, "%d day%s", p->days, p->days == 1 ? "" : "s");
}

struct cdate period_last_day(const struct cdate *from, const struct period *p)
{
	return p->months ? date_add_months(from, p->months) : date_add_days(from, p->days);
}

int notices_policy(struct notices *n, const struct site_config *cfg, struct diag_list *diags)
{
	struct value *pol = value_map_get(cfg->raw, "notices");
	size_t before = diags->errors;
	int i;
	for (i = 0; i < NOTICE_KINDS; i++)
		n->min[i] = kinds[i].min;
	if (!pol)
		return 0;
	if (pol->type != VAL_MAP) {
		diag_error(diags, cfg->file, pol->line, pol->col, NULL, "'notices' must be a mapping of kinds to periods");
		return -1;
	}
	for (i = 0; i < NOTICE_KINDS - 1; i++) {
		struct value *v = value_map_get(pol, kinds[i].name);
		if (v && (v->type != VAL_STR || period_parse(v->u.str.s, &n->min[i])))
			diag_error(diags, cfg->file, v->line, v->col,
				   "write a period such as '1 month' or '30 days'",
				   "invalid period for '%s' notices", kinds[i].name);
	}
	return diags->errors > before ? -1 : 0;
}

static const char *fm_str(const struct notice *no, const char *key)
{
	return value_map_str(no->page->fm, key);
}

static struct value *fm(const struct notice *no, const char *key)
{
	return value_map_get(no->page->fm, key);
}

/* Position of a front matter key (or the file's first line) for messages. */
static unsigned at_line(const struct notice *no, const char *key)
{
	struct value *v = fm(no, key);
	return v ? v->line : 1;
}

static unsigned at_col(const struct notice *no, const char *key)
{
	struct value *v = fm(no, key);
	return v ? v->col : 1;
}

static int read_date_key(struct notice *no, const char *key, struct cdate *out,
			 struct diag_list *diags)
{
	struct value *v = fm(no, key);
	int r;
	if (!v || v->type == VAL_NULL)
		return 1;
	r = v->type == VAL_STR ? date_parse(v->u.str.s, out, NULL) : -1;
	if (r)
		diag_error(diags, no->page->src, v->line, v->col, "write the date as YYYY-MM-DD",
			   r == -2 ? "invalid date '%s': no such day" : "invalid date '%s'",
			   v->type == VAL_STR ? v->u.str.s : "?");
	return r ? -1 : 0;
}

static void read_kind(struct notice *no, struct diag_list *diags)
{
	const char *k = fm_str(no, "kind");
	if (!k || notice_kind_parse(k, &no->kind)) {
		diag_error(diags, no->page->src, at_line(no, "kind"), at_col(no, "kind"),
			   "use one of: closure, migration, domain-change, opening, other",
			   k ? "unknown notice kind '%s'" : "missing notice %s", k ? k : "'kind'");
		no->kind = NOTICE_OTHER;
	}
}

static void read_site(const struct notices *n, struct notice *no, struct content *c,
		      const struct content_options *opt, struct diag_list *diags)
{
	struct diag_list sub = DIAG_LIST_INIT;
	struct ledger_site *s;
	no->site_id = fm_str(no, "site");
	if (!no->site_id)
		return;
	if (n->ledger && (s = ledger_find(n->ledger, no->site_id))) {
		/* a broken record has had its errors reported with the ledger */
		no->site = s->ok ? &s->rec : NULL;
		return;
	}
	no->site = arena_alloc(&c->arena, sizeof(*no->site));
	if (siterec_load(no->site, &c->arena, opt->source_dir, no->site_id, &sub)) {
		diag_error(diags, no->page->src, at_line(no, "site"), at_col(no, "site"),
			   "describe the old site in content/sites/ID.yaml, or fix 'site'",
			   "no usable site record '%s'", no->site_id);
		no->site = NULL;
	}
	diag_list_take(diags, &sub);
}

/* Rule 2 of the issue: what each kind must say. */
static void check_required(struct notice *no, const struct content *c, struct diag_list *diags)
{
	struct value *d = fm(no, "destinations");
	size_t i;
	if (no->kind == NOTICE_CLOSURE || no->kind == NOTICE_MIGRATION) {
		if (!d || d->type != VAL_LIST || !d->u.list.nr)
			diag_error(diags, no->page->src, at_line(no, "destinations"), at_col(no, "destinations"),
				   "list where the content went: portal paths such as /fgw/ or URLs",
				   "a %s notice needs 'destinations'", kinds[no->kind].name);
	}
	if (no->kind == NOTICE_DOMAIN_CHANGE && (!fm_str(no, "old_domain") || !fm_str(no, "new_domain")))
		diag_error(diags, no->page->src, 1, 1, "add 'old_domain: ...' and 'new_domain: ...'",
			   "a domain-change notice needs both 'old_domain' and 'new_domain'");
	for (i = 0; d && d->type == VAL_LIST && i < d->u.list.nr; i++) {
		struct value *e = d->u.list.items[i];
		const char *u = e->type == VAL_STR ? e->u.str.s : value_map_str(e, "url");
		if (!u) {
			diag_error(diags, no->page->src, e->line, e->col, "write a path, a URL, or {url: ..., title: ...}",
				   "a destination needs a URL");
			continue;
		}
		if (u[0] == '/' && u[1] != '/') {
			/* a portal path: it must be a page of this build */
			struct strbuf key = STRBUF_INIT;
			strbuf_addstr(&key, u + 1);
			if (key.len && key.buf[key.len - 1] != '/' && !strchr(path_basename(key.buf), '.'))
				strbuf_addch(&key, '/');
			if (!key.len || key.buf[key.len - 1] == '/')
				strbuf_addstr(&key, "index.html");
			if (!strmap_get(&c->urls, key.buf))
				diag_error(diags, no->page->src, e->line, e->col,
					   "point it at a column or page of the portal that exists",
					   "destination '%s' is not a page of the portal", u);
			strbuf_release(&key);
		}
	}
}

/* Rule 1 of the issue: `until` must not end the display before the minimum. */
static void check_window(struct notice *no, const struct notices *n, struct diag_list *diags)
{
	const struct period *min = &n->min[no->kind];
	struct strbuf per = STRBUF_INIT, last = STRBUF_INIT, need = STRBUF_INIT;
	struct cdate earliest;
	if (!min->months && !min->days) {
		no->min_last = no->published;
		return;
	}
	no->min_last = period_last_day(&no->published, min);
	earliest = date_add_days(&no->min_last, 1);
	if (!no->has_until) {
		no->until = earliest;
		no->has_until = 1;
	} else if (date_cmp(&no->until, &earliest) < 0) {
		struct strbuf hint = STRBUF_INIT;
		period_format(min, &per);
		date_fmt_iso(&no->min_last, &last);
		date_fmt_iso(&earliest, &need);
		strbuf_addf(&hint, "set 'until' to %s or later, or remove it%s%s%s", need.buf,
			    kinds[no->kind].rule ? " (" : "", kinds[no->kind].rule ? kinds[no->kind].rule : "",
			    kinds[no->kind].rule ? ")" : "");
		diag_error(diags, no->page->src, at_line(no, "until"), at_col(no, "until"), hint.buf,
			   "'until' ends the display too early: a %s notice must be on display for %s, through %s",
			   kinds[no->kind].name, per.buf, last.buf);
		strbuf_release(&hint);
	}
	strbuf_release(&per);
	strbuf_release(&last);
	strbuf_release(&need);
}

static void read_withdrawal(struct notice *no, struct diag_list *diags)
{
	struct value *w = fm(no, "withdrawn");
	no->withdrawn = value_is_true(w);
	no->withdrawn_reason = fm_str(no, "withdrawn_reason");
	if (no->withdrawn && (!no->withdrawn_reason || !*no->withdrawn_reason))
		diag_error(diags, no->page->src, w->line, w->col,
			   "add 'withdrawn_reason: ...': a notice is never withdrawn silently",
			   "a withdrawn notice needs 'withdrawn_reason'");
}

static void set_state(struct notice *no, const struct cdate *today)
{
	if (no->withdrawn)
		no->state = NOTICE_WITHDRAWN;
	else if (date_cmp(today, &no->published) < 0)
		no->state = NOTICE_SCHEDULED;
	else if (no->has_until && date_cmp(today, &no->until) >= 0)
		no->state = NOTICE_EXPIRED;
	else
		no->state = NOTICE_ACTIVE;
}

static struct notice *load_one(struct notices *n, struct content *c, const struct content_options *opt,
			       const char *path, const char *name, struct diag_list *diags)
{
	struct page *p = content_load_page(c, opt, path, diags);
	struct notice *no;
	size_t before = diags->errors;
	const char *why;
	int r;

	if (!p)
		return NULL;
	no = arena_alloc(&c->arena, sizeof(*no));
	no->page = p;
	no->slug = arena_strndup(&c->arena, name, strlen(name) - 3);
	why = slug_unsafe_reason(no->slug);
	if (why) {
		diag_error(diags, p->src, 0, 0, "rename it with lower-case letters, digits and hyphens",
			   "file name '%s' %s", name, why);
		return NULL;
	}
	p->rel = arena_printf(&c->arena, "notices/%s/", no->slug);
	read_kind(no, diags);
	r = read_date_key(no, "published", &no->published, diags);
	if (r > 0)
		diag_error(diags, p->src, 1, 1, "add 'published: YYYY-MM-DD', the first day on display",
			   "missing 'published'");
	no->has_until = read_date_key(no, "until", &no->until, diags) == 0;
	read_withdrawal(no, diags);
	read_site(n, no, c, opt, diags);
	if (diags->errors > before)
		return NULL;
	check_window(no, n, diags);
	content_claim(c, arena_printf(&c->arena, "%sindex.html", p->rel), p->src, 0, 0, diags);
	return no;
}

static int cmp_notices(const void *va, const void *vb)
{
	const struct notice *a = *(struct notice *const *)va, *b = *(struct notice *const *)vb;
	int c = date_cmp(&b->published, &a->published);
	return c ? c : strcmp(a->slug, b->slug);
}

static const char *const state_names[] = { "scheduled", "active", "expired", "withdrawn" };

static struct value *S(struct arena *a, const char *s)
{
	return value_str(a, s);
}

static void set_date(struct arena *a, struct value *m, const char *key, const char *cn_key,
		     const struct cdate *d)
{
	struct strbuf sb = STRBUF_INIT;
	date_fmt_iso(d, &sb);
	value_map_set(a, m, key, value_strn(a, sb.buf, sb.len));
	if (cn_key) {
		strbuf_reset(&sb);
		date_fmt_cn(d, &sb);
		value_map_set(a, m, cn_key, value_strn(a, sb.buf, sb.len));
	}
	strbuf_release(&sb);
}

static struct value *destinations(struct arena *a, const struct notice *no, const char *root)
{
	struct value *d = fm(no, "destinations"), *list = value_list(a);
	size_t i;
	for (i = 0; d && d->type == VAL_LIST && i < d->u.list.nr; i++) {
		struct value *e = d->u.list.items[i], *m = value_map(a);
		const char *u = e->type == VAL_STR ? e->u.str.s : value_map_str(e, "url");
		const char *t = e->type == VAL_MAP ? value_map_str(e, "title") : NULL;
		if (!u)
			continue;
		if (u[0] == '/' && u[1] != '/')
			u = arena_printf(a, "%s%s", root, u + 1);
		value_map_set(a, m, "url", S(a, u));
		if (t)
			value_map_set(a, m, "title", S(a, t));
		value_list_push(a, list, m);
	}
	return list;
}

static void make_item(struct notice *no, struct arena *a, const char *root)
{
	struct value *m = value_map(a);
	struct cdate last;
	const char *s;
	value_map_set(a, m, "title", S(a, no->page->title));
	value_map_set(a, m, "url", S(a, arena_printf(a, "%s%s", root, no->page->rel)));
	value_map_set(a, m, "slug", S(a, no->slug));
	value_map_set(a, m, "kind", S(a, kinds[no->kind].name));
	value_map_set(a, m, "kind_label", S(a, kinds[no->kind].label));
	if (no->kind != NOTICE_OTHER)
		value_map_set(a, m, arena_printf(a, "is_%s", no->kind == NOTICE_DOMAIN_CHANGE ?
						 "domain_change" : kinds[no->kind].name), value_bool(a, 1));
	set_date(a, m, "published", "published_cn", &no->published);
	if (no->has_until) {
		set_date(a, m, "until", NULL, &no->until);
		last = date_add_days(&no->until, -1);
		set_date(a, m, "last_day", "last_day_cn", &last);
	}
	value_map_set(a, m, "state", S(a, state_names[no->state]));
	value_map_set(a, m, arena_printf(a, "is_%s", state_names[no->state]), value_bool(a, 1));
	if (no->withdrawn_reason)
		value_map_set(a, m, "withdrawn_reason", S(a, no->withdrawn_reason));
	if (no->site_id)
		value_map_set(a, m, "site_id", S(a, no->site_id));
	if (no->site) {
		struct strbuf hosts = STRBUF_INIT;
		size_t i;
		value_map_set(a, m, "site_name", S(a, no->site->name));
		for (i = 0; i < no->site->nr_hosts; i++)
			strbuf_addf(&hosts, "%s%s", i ? " " : "", no->site->hosts[i]);
		value_map_set(a, m, "site_hosts", value_strn(a, hosts.buf, hosts.len));
		strbuf_release(&hosts);
	}
	value_map_set(a, m, "destinations", destinations(a, no, root));
	if ((s = fm_str(no, "old_domain")))
		value_map_set(a, m, "old_domain", S(a, s));
	if ((s = fm_str(no, "new_domain")))
		value_map_set(a, m, "new_domain", S(a, s));
	if (no->page->summary && *no->page->summary)
		value_map_set(a, m, "summary", S(a, no->page->summary));
	no->item = m;
}

int notices_load(struct notices *n, struct content *c, const struct content_options *opt,
		 const struct cdate *today, struct diag_list *diags)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT;
	char **names;
	size_t nr, i, before = diags->errors;

	path_in(&dir, opt->source_dir, "content/notices");
	if (list_dir_sorted(dir.buf, &names, &nr)) {
		strbuf_release(&dir);
		return 0; /* no notices */
	}
	for (i = 0; i < nr; i++) {
		struct notice *no;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir.buf, names[i]);
		if (!strcmp(names[i], "_index.md")) {
			n->index_page = content_load_page(c, opt, path.buf, diags);
			continue;
		}
		if (names[i][0] == '.' || !path_has_ext(names[i], ".md") || !is_file(path.buf))
			continue;
		no = load_one(n, c, opt, path.buf, names[i], diags);
		if (!no)
			continue;
		ALLOC_GROW(n->items, n->nr + 1, n->alloc);
		n->items[n->nr++] = no;
	}
	free_names(names, nr);
	/* destinations are checked once every page of the portal is known */
	for (i = 0; i < n->nr; i++) {
		check_required(n->items[i], c, diags);
		set_state(n->items[i], today);
		make_item(n->items[i], &c->arena, opt->cfg->root);
		n->items[i]->page->item = n->items[i]->item; /* page.title, page.url... */
	}
	if (n->nr > 1)
		qsort(n->items, n->nr, sizeof(*n->items), cmp_notices);
	content_claim(c, "notices/index.html", dir.buf, 0, 0, diags);
	strbuf_release(&dir);
	strbuf_release(&path);
	return diags->errors > before ? -1 : 0;
}

void notices_release(struct notices *n)
{
	free(n->items);
	n->items = NULL;
	n->nr = n->alloc = 0;
}

struct notice *notices_find(const struct notices *n, const char *slug)
{
	size_t i;
	for (i = 0; i < n->nr; i++)
		if (!strcmp(n->items[i]->slug, slug))
			return n->items[i];
	return NULL;
}

/* ---- rules 3 and 4: against the publish history ---- */

static void check_still_shown(const struct notices *n, const struct history_notice *hn,
			      const struct cdate *today, const char *source_dir, struct diag_list *diags)
{
	enum notice_kind kind;
	struct notice *no = notices_find(n, hn->slug);
	struct strbuf id = STRBUF_INIT, first = STRBUF_INIT, last = STRBUF_INIT, per = STRBUF_INIT;
	struct strbuf file = STRBUF_INIT;
	struct cdate min_last;

	if (notice_kind_parse(hn->kind, &kind))
		kind = NOTICE_OTHER;
	if (!n->min[kind].months && !n->min[kind].days)
		return;
	min_last = period_last_day(&hn->first_date, &n->min[kind]);
	if (date_cmp(today, &min_last) > 0)
		return; /* the minimum period is over */
	if (no && (no->state == NOTICE_ACTIVE || no->withdrawn))
		return; /* still shown, or withdrawn with a reason */
	history_short_id(&hn->first, &id);
	date_fmt_iso(&hn->first_date, &first);
	date_fmt_iso(&min_last, &last);
	period_format(&n->min[kind], &per);
	if (no)
		strbuf_addstr(&file, no->page->src);
	else {
		path_in(&file, source_dir, "content/notices/");
		strbuf_addf(&file, "%s.md", hn->slug);
	}
	diag_error(diags, file.buf, no ? at_line(no, no->state == NOTICE_SCHEDULED ? "published" : "until") : 0,
		   no ? at_col(no, no->state == NOTICE_SCHEDULED ? "published" : "until") : 0,
		   "keep it on display (restore the file, undo the draft, the new 'until' or 'published'), "
		   "or mark it 'withdrawn: true' with a 'withdrawn_reason'",
		   "%s notice '%s' was first published in %s on %s and must stay on display for %s, "
		   "through %s; this build would %s it",
		   kinds[kind].name, hn->slug, id.buf, first.buf, per.buf, last.buf,
		   !no ? "remove" : no->state == NOTICE_SCHEDULED ? "hide (published moved later)" : "end");
	strbuf_release(&id);
	strbuf_release(&first);
	strbuf_release(&last);
	strbuf_release(&per);
	strbuf_release(&file);
}

static void check_backdating(const struct notice *no, const struct history_notice *hn,
			     const struct cdate *today, int recording, struct diag_list *diags)
{
	struct strbuf pub = STRBUF_INIT, first = STRBUF_INIT, id = STRBUF_INIT, hint = STRBUF_INIT;
	const struct cdate *first_day = hn ? &hn->first_date : today;
	if (no->withdrawn || (!hn && (!recording || no->state != NOTICE_ACTIVE)))
		return;
	if (date_cmp(&no->published, first_day) >= 0)
		return;
	date_fmt_iso(&no->published, &pub);
	date_fmt_iso(first_day, &first);
	if (hn)
		history_short_id(&hn->first, &id);
	strbuf_addf(&hint, "set 'published' to %s, the day it really went on display "
		    "(forged dates fail the national inspection, 国办秘函〔2019〕19号)", first.buf);
	diag_error(diags, no->page->src, at_line(no, "published"), at_col(no, "published"), hint.buf,
		   hn ? "'published' %s is earlier than the first publish commit showing it (%s on %s): no backdating"
		      : "'published' %s is earlier than %s%s, the day this build first shows it: no backdating",
		   pub.buf, hn ? id.buf : first.buf, hn ? first.buf : "");
	strbuf_release(&pub);
	strbuf_release(&first);
	strbuf_release(&id);
	strbuf_release(&hint);
}

int notices_check_history(const struct notices *n, const struct history *h,
			  const struct cdate *today, int recording, const char *source_dir,
			  struct diag_list *diags)
{
	size_t i, before = diags->errors;
	for (i = 0; i < h->notices.cap; i++)
		if (h->notices.slots[i].val)
			check_still_shown(n, h->notices.slots[i].val, today, source_dir, diags);
	for (i = 0; i < n->nr; i++)
		check_backdating(n->items[i], strmap_get(&h->notices, n->items[i]->slug), today,
				 recording, diags);
	return diags->errors > before ? -1 : 0;
}
