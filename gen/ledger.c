#include "gen/ledger.h"
#include "common/diag.h"
#include "common/fsutil.h"
#include "common/path.h"
#include "common/strbuf.h"
#include "common/value.h"
#include "common/xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- loading ---- */

static int cmp_sites(const void *va, const void *vb)
{
	const struct ledger_site *a = *(struct ledger_site *const *)va;
	const struct ledger_site *b = *(struct ledger_site *const *)vb;
	return strcmp(a->rec.id, b->rec.id);
}

int ledger_load(struct ledger *l, struct arena *a, const char *source_dir, struct diag_list *diags)
{
	struct strbuf dir = STRBUF_INIT;
	char **names;
	size_t nr, i, before = diags->errors;

	memset(l, 0, sizeof(*l));
	l->arena = a;
	l->policy.retained_max_percent = 10;
	l->policy.close_within.days = 90;
	l->policy.warn_before.days = 14;
	l->closure_notice.months = 1;
	path_in(&dir, source_dir, "content/sites");
	if (list_dir_sorted(dir.buf, &names, &nr)) {
		strbuf_release(&dir);
		return 0; /* no ledger yet */
	}
	for (i = 0; i < nr; i++) {
		struct ledger_site *s;
		const char *id, *why;
		if (names[i][0] == '.' || !path_has_ext(names[i], ".yaml"))
			continue; /* mappings (.csv) and the like belong to their readers */
		id = arena_strndup(a, names[i], strlen(names[i]) - 5);
		if ((why = siterec_id_unsafe(id))) {
			diag_error(diags, arena_printf(a, "%s/%s", dir.buf, names[i]), 0, 0,
				   "rename it: the id names the site's folders and URLs", "site id '%s' %s", id, why);
			continue;
		}
		s = arena_alloc(a, sizeof(*s));
		s->ok = !siterec_load(&s->rec, a, source_dir, id, diags);
		s->capture.zombie = -1;
		ALLOC_GROW(l->sites, l->nr + 1, l->alloc);
		l->sites[l->nr++] = s;
	}
	free_names(names, nr);
	strbuf_release(&dir);
	qsort(l->sites, l->nr, sizeof(*l->sites), cmp_sites);
	return diags->errors > before ? -1 : 0;
}

void ledger_release(struct ledger *l)
{
	free(l->sites);
	l->sites = NULL;
	l->nr = l->alloc = 0;
}

struct ledger_site *ledger_find(const struct ledger *l, const char *id)
{
	size_t i;
	for (i = 0; i < l->nr; i++)
		if (!strcmp(l->sites[i]->rec.id, id))
			return l->sites[i];
	return NULL;
}

static void read_period(const struct site_config *cfg, struct value *pol, const char *key,
			struct period *out, struct diag_list *diags)
{
	struct value *v = value_map_get(pol, key);
	if (v && (v->type != VAL_STR || period_parse(v->u.str.s, out)))
		diag_error(diags, cfg->file, v->line, v->col, "write a period such as '90 days' or '3 months'",
			   "invalid period for 'ledger.%s'", key);
}

int ledger_policy(struct ledger *l, const struct site_config *cfg, struct diag_list *diags)
{
	struct value *pol = value_map_get(cfg->raw, "ledger"), *v;
	size_t before = diags->errors;
	char *end;
	long n;
	if (!pol)
		return 0;
	if (pol->type != VAL_MAP) {
		diag_error(diags, cfg->file, pol->line, pol->col, NULL, "'ledger' must be a mapping of policy settings");
		return -1;
	}
	read_period(cfg, pol, "close_within", &l->policy.close_within, diags);
	read_period(cfg, pol, "warn_before", &l->policy.warn_before, diags);
	v = value_map_get(pol, "retained_max");
	if (!v)
		return diags->errors > before ? -1 : 0;
	n = v->type == VAL_STR ? strtol(v->u.str.s, &end, 10) : -1;
	if (n < 0 || n > 100 || end == v->u.str.s || (*end && strcmp(end, "%")))
		diag_error(diags, cfg->file, v->line, v->col, "write a share such as 10%",
			   "invalid share for 'ledger.retained_max'");
	else
		l->policy.retained_max_percent = n;
	return diags->errors > before ? -1 : 0;
}

void ledger_archive_dir(struct strbuf *out, const struct site_config *cfg, const char *source_dir,
			const char *dir)
{
	const char *setting = cfg ? value_map_str(cfg->raw, "archive_dir") : NULL;
	if (dir)
		strbuf_addstr(out, dir);
	else
		path_in(out, source_dir, setting ? setting : "archive");
}

static void read_capture(struct ledger *l, struct ledger_site *s, const char *path, struct diag_list *diags)
{
	json_error_t je;
	json_t *cap = json_load_file(path, 0, &je), *z;
	const char *date, *newest;
	if (!cap) {
		diag_error(diags, path, (unsigned)je.line, (unsigned)je.column,
			   "run 'jiyue archive ID' again to rewrite it", "%s", je.text);
		return;
	}
	date = json_string_value(json_object_get(cap, "date"));
	newest = json_string_value(json_object_get(cap, "newest_content_date"));
	z = json_object_get(cap, "zombie");
	if (date && !date_parse(date, &s->capture.date, NULL)) {
		s->capture.present = 1;
		s->capture.zombie = json_is_boolean(z) ? json_is_true(z) : -1;
		s->capture.newest = newest ? arena_strdup(l->arena, newest) : NULL;
	} else {
		diag_error(diags, path, 0, 0, "run 'jiyue archive ID' again to rewrite it",
			   "the capture has no valid 'date'");
	}
	json_decref(cap);
}

void ledger_read_captures(struct ledger *l, const char *archive_dir, struct diag_list *diags)
{
	struct strbuf p = STRBUF_INIT;
	size_t i;
	for (i = 0; i < l->nr; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s/capture.json", archive_dir, l->sites[i]->rec.id);
		if (is_file(p.buf))
			read_capture(l, l->sites[i], p.buf, diags);
	}
	strbuf_release(&p);
}

void ledger_link_notices(struct ledger *l, const struct notices *n)
{
	size_t i;
	l->closure_notice = n->min[NOTICE_CLOSURE];
	for (i = 0; i < n->nr; i++) {
		const struct notice *no = n->items[i];
		struct ledger_site *s;
		if (no->kind != NOTICE_CLOSURE || no->withdrawn || !no->site_id ||
		    !(s = ledger_find(l, no->site_id)))
			continue;
		/* items are newest first: the first one met is the latest */
		if (!s->closure)
			s->closure = no;
	}
}

/* ---- state ---- */

int ledger_is_ledger_record(const struct ledger_site *s)
{
	return s->ok && s->rec.disposition != SITE_CRAWL_ONLY;
}

int ledger_is_retained(const struct ledger_site *s)
{
	return s->rec.disposition == SITE_MOVE || s->rec.disposition == SITE_INDEPENDENT;
}

static int is_closing(const struct ledger_site *s)
{
	return s->rec.disposition == SITE_CLOSE || s->rec.disposition == SITE_ZOMBIE;
}

int ledger_deadline(const struct ledger *l, const struct ledger_site *s, struct cdate *out)
{
	if (!is_closing(s) || !s->rec.approved.set)
		return -1;
	*out = period_last_day(&s->rec.approved.day, &l->policy.close_within);
	return 0;
}

int ledger_overdue(const struct ledger *l, const struct ledger_site *s, const struct cdate *day)
{
	struct cdate deadline;
	const struct cdate *end = site_date_by(&s->rec.closed, day) ? &s->rec.closed.day : day;
	return !ledger_deadline(l, s, &deadline) && date_cmp(end, &deadline) > 0;
}

int ledger_notice_end(const struct ledger *l, const struct ledger_site *s, struct cdate *out)
{
	struct cdate last;
	if (s->closure) {
		*out = s->closure->has_until ? s->closure->until : date_add_days(&s->closure->min_last, 1);
		return 0;
	}
	if (!s->rec.notice_start.set)
		return -1;
	last = period_last_day(&s->rec.notice_start.day, &l->closure_notice);
	*out = date_add_days(&last, 1);
	return 0;
}

/* ---- the checks ---- */

struct checker {
	const struct ledger *l;
	const struct site_config *cfg;
	const struct content *c;
	struct cdate today;
	const char *portal_domain;   /* baseURL host without www. */
	struct diag_list *diags;
	struct strbuf a, b;          /* scratch for dates in messages */
};

static const char *iso(struct strbuf *sb, const struct cdate *d)
{
	strbuf_reset(sb);
	date_fmt_iso(d, sb);
	return sb->buf;
}

static void at(const struct ledger_site *s, const char *key, unsigned *line, unsigned *col)
{
	siterec_pos(&s->rec, key, line, col);
}

#define REPORT(ck, sev, s, key, hint, ...) do { \
	unsigned l_, c_; \
	at((s), (key), &l_, &c_); \
	diag_add((ck)->diags, (sev), (s)->rec.file, l_, c_, (hint), __VA_ARGS__); \
} while (0)

/* Where hosts[i] is written, for a message about that host. */
static void host_pos(const struct ledger_site *s, size_t i, unsigned *line, unsigned *col)
{
	struct value *h = value_map_get(s->rec.raw, "hosts");
	if (h && h->type == VAL_LIST && i < h->u.list.nr) {
		*line = h->u.list.items[i]->line;
		*col = h->u.list.items[i]->col;
	} else {
		at(s, "hosts", line, col);
	}
}

#define REPORT_HOST(ck, sev, s, i, hint, ...) do { \
	unsigned l_, c_; \
	host_pos((s), (i), &l_, &c_); \
	diag_add((ck)->diags, (sev), (s)->rec.file, l_, c_, (hint), __VA_ARGS__); \
} while (0)

static const char *const gov_hint = "党政机关 use one .gov.cn and one .政务 domain (DOMAIN.md rule 6)";
static const char *const inst_hint = "事业单位 use one .cn (never .gov.cn) and one .公益 domain (DOMAIN.md rule 6)";

/* The suffix a host must have, or NULL when it has it. */
static const char *suffix_problem(enum site_unit_type u, const char *host, int chinese)
{
	if (u == SITE_UNIT_GOVERNMENT)
		return chinese ? (host_has_suffix(host, ".政务") ? NULL : "must end in .政务")
			       : (host_has_suffix(host, ".gov.cn") ? NULL : "must end in .gov.cn");
	if (chinese)
		return host_has_suffix(host, ".公益") ? NULL : "must end in .公益";
	if (host_has_suffix(host, ".gov.cn"))
		return "must not end in .gov.cn";
	return host_has_suffix(host, ".cn") ? NULL : "must end in .cn";
}

/* Rule 6: suffixes by unit type, one English and one Chinese domain. */
static void check_domains(struct checker *ck, const struct ledger_site *s)
{
	const struct site_record *r = &s->rec;
	const char *seen[2] = { NULL, NULL };  /* the valid English and Chinese domains */
	int written[2] = { 0, 0 };             /* any host of that kind, valid or not */
	const char *hint = r->unit_type == SITE_UNIT_GOVERNMENT ? gov_hint : inst_hint;
	size_t i;

	if (r->unit_type == SITE_UNIT_UNSET) {
		REPORT(ck, DIAG_ERROR, s, "disposition",
		       "add 'unit_type: government' (党政机关) or 'unit_type: institution' (事业单位): "
		       "the domain rules depend on it (DOMAIN.md rule 6)",
		       "a ledger record needs 'unit_type'");
		return;
	}
	for (i = 0; i < r->nr_hosts; i++) {
		int zh = host_is_chinese(r->hosts[i]);
		const char *dom = host_domain(ck->l->arena, r->hosts[i]), *why;
		written[zh] = 1;
		if ((why = suffix_problem(r->unit_type, r->hosts[i], zh))) {
			REPORT_HOST(ck, DIAG_ERROR, s, i, hint, "host '%s' of a %s %s", r->hosts[i],
				    r->unit_type == SITE_UNIT_GOVERNMENT ? "government body" : "public institution", why);
			continue;
		}
		if (seen[zh] && strcmp(seen[zh], dom))
			REPORT_HOST(ck, DIAG_ERROR, s, i,
				    "a site has one English and one Chinese domain; list only its own hosts (DOMAIN.md rule 6)",
				    "a second %s domain '%s' (the first is '%s')", zh ? "Chinese" : "English", dom, seen[zh]);
		else
			seen[zh] = dom;
	}
	for (i = 0; i < 2; i++)
		if (!written[i])
			REPORT(ck, DIAG_ERROR, s, "hosts", hint, "no %s domain among the hosts",
			       i ? "Chinese (.政务 or .公益)" : "English");
	if (r->unit_type == SITE_UNIT_GOVERNMENT && seen[0] && r->department && ck->portal_domain) {
		const char *want = arena_printf(ck->l->arena, "%s.%s", r->department, ck->portal_domain);
		if (strcmp(seen[0], want))
			REPORT(ck, DIAG_ERROR, s, "hosts",
			       "departments use a sub-domain of the portal, <department>.<portal domain> "
			       "(DOMAIN.md rule 6; the portal domain is site.yaml's baseURL host without www.)",
			       "English domain '%s' is not the department's sub-domain '%s'", seen[0], want);
	}
}

/* Rule 9: where the content goes, and why a site is kept. */
static void check_disposition(struct checker *ck, const struct ledger_site *s)
{
	const struct site_record *r = &s->rec;
	if (!r->department)
		REPORT(ck, DIAG_ERROR, s, "disposition",
		       "add 'department: ID', the unit that runs the site: one unit has at most one site (DOMAIN.md rule 8)",
		       "a ledger record needs 'department'");
	if (r->disposition == SITE_INDEPENDENT && !r->reason)
		REPORT(ck, DIAG_ERROR, s, "disposition",
		       "add 'reason: ...': keeping a site independent needs a reason (DOMAIN.md rule 9)",
		       "an independent site needs a 'reason'");
	if ((r->disposition == SITE_CLOSE || r->disposition == SITE_MOVE) && !siterec_has_target(r))
		REPORT(ck, DIAG_ERROR, s, r->target ? "target" : "disposition",
		       "name the portal column the content moves to, e.g. 'target: /fgw/' (DOMAIN.md rule 9)",
		       "a '%s' site needs a 'target' column on the portal", siterec_disposition_name(r->disposition));
	if (siterec_has_target(r) && ck->c) {
		struct strbuf key = STRBUF_INIT;
		strbuf_addf(&key, "%s%sindex.html", r->target + 1,
			    r->target[1] && r->target[strlen(r->target) - 1] != '/' ? "/" : "");
		if (!strmap_get(&ck->c->urls, key.buf))
			REPORT(ck, DIAG_ERROR, s, "target", "point it at a department or column of the portal that exists",
			       "target '%s' is not a page of the portal", r->target);
		strbuf_release(&key);
	}
}

/* Rule 3: closed within 90 days of approval. */
static void check_offline_limit(struct checker *ck, const struct ledger_site *s)
{
	const struct site_record *r = &s->rec;
	struct cdate deadline, warn_reach;
	struct strbuf per = STRBUF_INIT;
	int64_t days;

	if (r->approved.set && r->closed.set && date_cmp(&r->closed.day, &r->approved.day) < 0) {
		REPORT(ck, DIAG_ERROR, s, "closed", NULL, "'closed' %s is before 'approved' %s",
		       iso(&ck->a, &r->closed.day), iso(&ck->b, &r->approved.day));
		return;
	}
	if (ledger_deadline(ck->l, s, &deadline))
		return;
	period_format(&ck->l->policy.close_within, &per);
	if (r->closed.set) {
		days = date_to_days(&r->closed.day) - date_to_days(&r->approved.day);
		if (date_cmp(&r->closed.day, &deadline) > 0)
			REPORT(ck, DIAG_ERROR, s, "closed",
			       "offline work finishes within the limit after approval (DOMAIN.md rule 3, 亳政办秘〔2019〕49号; "
			       "ledger.close_within in site.yaml)",
			       "'closed' %s is %lld days after approval: the limit of %s ended on %s",
			       iso(&ck->a, &r->closed.day), (long long)days, per.buf, iso(&ck->b, &deadline));
	} else if (date_cmp(&ck->today, &deadline) > 0) {
		REPORT(ck, DIAG_ERROR, s, "approved",
		       "close the site and record 'closed: YYYY-MM-DD' (DOMAIN.md rule 3, 亳政办秘〔2019〕49号)",
		       "not closed %lld days after approval: the limit of %s ended on %s",
		       (long long)(date_to_days(&ck->today) - date_to_days(&r->approved.day)), per.buf,
		       iso(&ck->a, &deadline));
	} else {
		/* warn once the deadline falls within the warning period from today */
		warn_reach = period_last_day(&ck->today, &ck->l->policy.warn_before);
		if (date_cmp(&warn_reach, &deadline) >= 0)
			REPORT(ck, DIAG_WARNING, s, "approved",
			       "close the site and record 'closed: YYYY-MM-DD', or a planned date (DOMAIN.md rule 3)",
			       "not closed yet: the limit of %s after approval ends on %s, in %lld days",
			       per.buf, iso(&ck->a, &deadline),
			       (long long)(date_to_days(&deadline) - date_to_days(&ck->today)));
	}
	strbuf_release(&per);
}

/* " 'slug'" of the site's closure notice, or "" when only 'notice_start' tells. */
static const char *notice_name(const struct ledger *l, const struct ledger_site *s)
{
	return s->closure ? arena_printf(l->arena, " '%s'", s->closure->slug) : "";
}

/* Rule 2: the closure notice runs its whole period on the open site, which closes after it. */
static void check_notice(struct checker *ck, const struct ledger_site *s)
{
	const struct site_record *r = &s->rec;
	struct cdate end, last;
	if (s->closure && r->notice_start.set && date_cmp(&r->notice_start.day, &s->closure->published))
		REPORT(ck, DIAG_WARNING, s, "notice_start", "make the ledger and the notice agree",
		       "'notice_start' %s differs from the closure notice '%s', published %s",
		       iso(&ck->a, &r->notice_start.day), s->closure->slug, iso(&ck->b, &s->closure->published));
	if (!r->closed.set || ledger_notice_end(ck->l, s, &end) || date_cmp(&r->closed.day, &end) >= 0)
		return;
	last = date_add_days(&end, -1);
	REPORT(ck, DIAG_ERROR, s, "closed",
	       "the site stays open while its closure notice runs (DOMAIN.md rule 2, 粤办函〔2017〕156号)",
	       "'closed' %s is before the closure notice%s ends: it is on display through %s",
	       iso(&ck->a, &r->closed.day), notice_name(ck->l, s), iso(&ck->b, &last));
}

/* Rules 2 and 11: deregister after closure and the notice period, never before. */
static void check_dereg_dates(struct checker *ck, const struct ledger_site *s)
{
	const struct site_record *r = &s->rec;
	struct cdate end, last;
	int has_end = !ledger_notice_end(ck->l, s, &end);
	int i;
	if (has_end)
		last = date_add_days(&end, -1);
	for (i = 0; i < SITE_DEREG_ITEMS; i++) {
		const struct site_date *d = &r->deregistered[i];
		const char *key = arena_printf(ck->l->arena, "deregistered.%s", siterec_dereg_name(i));
		if (!d->set)
			continue;
		if (!r->closed.set || date_cmp(&d->day, &r->closed.day) < 0) {
			REPORT(ck, DIAG_ERROR, s, key,
			       "deregister only after the site has closed (DOMAIN.md rule 2, 粤办函〔2017〕156号)",
			       r->closed.set ? "'%s' %s is before the site closed on %s" : "'%s' %s, but the site has no 'closed' date%s",
			       key, iso(&ck->a, &d->day), r->closed.set ? iso(&ck->b, &r->closed.day) : "");
		} else if (has_end && date_cmp(&d->day, &end) < 0) {
			struct strbuf hint = STRBUF_INIT;
			strbuf_addf(&hint, "deregister on %s or later: the notice runs its full period first "
				    "(DOMAIN.md rule 2, 粤办函〔2017〕156号)", iso(&ck->b, &end));
			REPORT(ck, DIAG_ERROR, s, key, hint.buf,
			       "'%s' %s is before the closure notice%s ends: it is on display through %s",
			       key, iso(&ck->a, &d->day), notice_name(ck->l, s), iso(&ck->b, &last));
			strbuf_release(&hint);
		}
	}
}

/* Rule 11: all four deregistrations once closed; late past the 90-day limit. */
static void check_dereg_complete(struct checker *ck, const struct ledger_site *s)
{
	const struct site_record *r = &s->rec;
	struct strbuf missing = STRBUF_INIT;
	struct cdate deadline;
	int i, late;
	if (!is_closing(s) || !site_date_by(&r->closed, &ck->today))
		return;
	for (i = 0; i < SITE_DEREG_ITEMS; i++)
		if (!site_date_by(&r->deregistered[i], &ck->today))
			strbuf_addf(&missing, "%s%s (%s)", missing.len ? ", " : "", siterec_dereg_name(i),
				    siterec_dereg_label(i));
	if (!missing.len) {
		strbuf_release(&missing);
		return;
	}
	late = !ledger_deadline(ck->l, s, &deadline) && date_cmp(&ck->today, &deadline) > 0;
	REPORT(ck, late ? DIAG_ERROR : DIAG_WARNING, s, value_map_get(r->raw, "deregistered") ? "deregistered" : "closed",
	       "record each date under 'deregistered:' once done (DOMAIN.md rule 11; the offline work, "
	       "deregistration included, finishes within the limit after approval, rule 3)",
	       "closed on %s but not deregistered: %s%s%s", iso(&ck->a, &r->closed.day), missing.buf,
	       late ? "; the limit after approval ended on " : "", late ? iso(&ck->b, &deadline) : "");
	strbuf_release(&missing);
}

/* Rule 7: a capture that found no update for three months flags a zombie site. */
static void check_zombie(struct checker *ck, const struct ledger_site *s)
{
	const struct site_record *r = &s->rec;
	const struct ledger_capture *cap = &s->capture;
	if (r->disposition == SITE_ZOMBIE) {
		if (site_date_by(&r->closed, &ck->today) && !cap->present)
			REPORT(ck, DIAG_WARNING, s, "closed",
			       "run 'jiyue archive ID' (DOMAIN.md rule 7: important data is preserved, then the site closes)",
			       "a zombie site closed without a capture in the archive");
		return;
	}
	if (cap->present && cap->zombie == 1 && !site_date_by(&r->closed, &cap->date))
		REPORT(ck, DIAG_WARNING, s, "disposition",
		       "a zombie site is neither integrated nor kept: archive it, then close it "
		       "('disposition: zombie', DOMAIN.md rule 7)",
		       "the capture of %s found no update since %s: a zombie site", iso(&ck->a, &cap->date),
		       cap->newest ? cap->newest : "(unknown)");
}

/* Rules 6 and 11: a domain is never transferred, and once deregistered never reused. */
static void check_shared_domain(struct checker *ck, const struct ledger_site *s, size_t si,
				const struct ledger_site *o, size_t oi, const char *dom)
{
	const struct site_date *ds = &s->rec.deregistered[SITE_DEREG_DOMAIN];
	const struct site_date *dso = &o->rec.deregistered[SITE_DEREG_DOMAIN];
	const struct ledger_site *gone = dso->set ? o : ds->set ? s : NULL;
	const struct ledger_site *user = gone == s ? o : s;
	size_t ui = gone == s ? oi : si;
	if (gone)
		REPORT_HOST(ck, DIAG_ERROR, user, ui, "choose another domain (DOMAIN.md rule 11)",
			    "domain '%s' was deregistered with site '%s' on %s: a deregistered domain is never reused",
			    dom, gone->rec.id, iso(&ck->a, &gone->rec.deregistered[SITE_DEREG_DOMAIN].day));
	else
		REPORT_HOST(ck, DIAG_ERROR, s, si, "domains are never transferred (DOMAIN.md rule 6)",
			    "domain '%s' is also a host of site '%s'", dom, o->rec.id);
}

/* Rule 8: one site per unit; and the domains two sites share. */
static void check_across(struct checker *ck, const struct ledger_site *s, const struct ledger_site *o)
{
	const struct site_record *r = &s->rec, *q = &o->rec;
	size_t i, j;
	if (r->unit && q->unit && !strcmp(r->unit, q->unit))
		REPORT(ck, DIAG_ERROR, s, value_map_get(r->raw, "unit") ? "unit" : "department",
		       "one unit has at most one site (DOMAIN.md rule 8, 粤办函〔2017〕156号); "
		       "an institution under a department names itself with 'unit:'",
		       "unit '%s' already has a site: '%s' (%s)", r->unit, q->id, q->file);
	for (i = 0; i < r->nr_hosts; i++) {
		const char *dom = host_domain(ck->l->arena, r->hosts[i]);
		for (j = 0; j < q->nr_hosts; j++)
			if (!strcmp(dom, host_domain(ck->l->arena, q->hosts[j]))) {
				check_shared_domain(ck, s, i, o, j, dom);
				break;
			}
	}
}

/* Rule 8: retained sites are at most 10% of all. */
static void check_retained(struct checker *ck)
{
	const struct ledger *l = ck->l;
	const struct ledger_site *first = NULL;
	struct strbuf ids = STRBUF_INIT, hint = STRBUF_INIT;
	size_t i, total = 0, kept = 0;
	for (i = 0; i < l->nr; i++) {
		if (!ledger_is_ledger_record(l->sites[i]))
			continue;
		total++;
		if (!ledger_is_retained(l->sites[i]))
			continue;
		kept++;
		if (!first)
			first = l->sites[i];
		strbuf_addf(&ids, "%s'%s'", ids.len ? ", " : "", l->sites[i]->rec.id);
	}
	if (!kept || (long)(kept * 100) <= l->policy.retained_max_percent * (long)total)
		goto out;
	strbuf_addf(&hint, "keep at most %ld%% of the sites (move or independent); close and migrate the others "
		    "(DOMAIN.md rule 8, 揭府办函〔2017〕40号; ledger.retained_max in site.yaml)",
		    l->policy.retained_max_percent);
	REPORT(ck, DIAG_ERROR, first, "disposition", hint.buf,
	       "%zu of %zu sites are retained (%.1f%%), more than %ld%%: %s", kept, total,
	       100.0 * (double)kept / (double)total, l->policy.retained_max_percent, ids.buf);
out:
	strbuf_release(&ids);
	strbuf_release(&hint);
}

static const char *portal_domain(struct arena *a, const struct site_config *cfg)
{
	const char *host = strstr(cfg->base_url, "://");
	if (!host)
		return NULL;
	host += 3;
	return host_domain(a, arena_strndup(a, host, strcspn(host, "/")));
}

/* A record with ledger fields but no disposition escapes every rule: say so. */
static void check_crawl_only(struct checker *ck, const struct ledger_site *s)
{
	static const char *const keys[] = { "unit_type", "reason", "target", "approved", "notice_start",
					    "closed", "deregistered" };
	size_t i;
	for (i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		if (value_map_get(s->rec.raw, keys[i])) {
			REPORT(ck, DIAG_WARNING, s, keys[i],
			       "add 'disposition: close' (or move, independent, zombie) to make it a ledger record (docs/ledger.md)",
			       "'%s' in a record without 'disposition': the ledger's rules do not apply to it", keys[i]);
			return;
		}
}

int ledger_check(const struct ledger *l, const struct site_config *cfg, const struct content *c,
		 const struct cdate *today, struct diag_list *diags)
{
	struct checker ck;
	size_t i, j, before = diags->errors;

	memset(&ck, 0, sizeof(ck));
	ck.l = l;
	ck.cfg = cfg;
	ck.c = c;
	ck.today = *today;
	ck.diags = diags;
	ck.portal_domain = portal_domain(l->arena, cfg);
	strbuf_init(&ck.a, 0);
	strbuf_init(&ck.b, 0);
	for (i = 0; i < l->nr; i++) {
		const struct ledger_site *s = l->sites[i];
		if (!ledger_is_ledger_record(s)) {
			if (s->ok)
				check_crawl_only(&ck, s);
			continue;
		}
		check_domains(&ck, s);
		check_disposition(&ck, s);
		check_offline_limit(&ck, s);
		check_notice(&ck, s);
		check_dereg_dates(&ck, s);
		check_dereg_complete(&ck, s);
		check_zombie(&ck, s);
		for (j = 0; j < i; j++)
			if (ledger_is_ledger_record(l->sites[j]))
				check_across(&ck, s, l->sites[j]);
	}
	/* a record that did not load could be retained or not: no share without it */
	for (i = 0; i < l->nr && l->sites[i]->ok; i++)
		;
	if (i == l->nr)
		check_retained(&ck);
	strbuf_release(&ck.a);
	strbuf_release(&ck.b);
	return diags->errors > before ? -1 : 0;
}

/* ---- the directory of closed sites (已关停网站) ---- */

static struct page *page_at(const struct content *c, const char *path)
{
	size_t i, len = strlen(path + 1);
	for (i = 0; i < c->nr_pages; i++) {
		const char *rel = c->pages[i]->rel;
		size_t n = strlen(rel);
		if (c->pages[i]->kind == PAGE_ARTICLE)
			continue;
		if (n && rel[n - 1] == '/')
			n--;
		if ((len == n || (len == n + 1 && path[len] == '/')) && !strncmp(rel, path + 1, n))
			return c->pages[i];
	}
	return NULL;
}

static void set_str(struct arena *a, struct value *m, const char *key, const char *s)
{
	value_map_set(a, m, key, value_str(a, s));
}

static void set_day(struct arena *a, struct value *m, const char *key, const struct cdate *d)
{
	struct strbuf sb = STRBUF_INIT;
	date_fmt_iso(d, &sb);
	set_str(a, m, key, sb.buf);
	strbuf_reset(&sb);
	date_fmt_cn(d, &sb);
	set_str(a, m, arena_printf(a, "%s_cn", key), sb.buf);
	strbuf_release(&sb);
}

static struct value *target_value(struct arena *a, const struct site_config *cfg, const struct content *c,
				  const char *target)
{
	struct page *p = page_at(c, target);
	struct value *m = value_map(a);
	const char *url = p ? value_map_str(p->item, "url") : NULL;
	set_str(a, m, "url", url ? url : arena_printf(a, "%s%s", cfg->root, target + 1));
	set_str(a, m, "title", p ? p->title : target);
	if (p && p->section && p->section->depth > 1) {
		struct section *d = p->section;
		while (d->depth > 1)
			d = d->parent;
		set_str(a, m, "department", d->page->title);
	}
	return m;
}

static int is_in(const char *id, const char *const *ids, size_t nr)
{
	size_t i;
	for (i = 0; i < nr; i++)
		if (!strcmp(ids[i], id))
			return 1;
	return 0;
}

static struct value *closed_site_item(const struct ledger_site *s, struct arena *a, const struct site_config *cfg,
				      const struct content *c, int archived)
{
	const struct site_record *r = &s->rec;
	struct value *m = value_map(a), *hosts = value_list(a), *dest;
	struct strbuf text = STRBUF_INIT;
	size_t i;
	set_str(a, m, "id", r->id);
	set_str(a, m, "name", r->name);
	for (i = 0; i < r->nr_hosts; i++) {
		value_list_push(a, hosts, value_str(a, r->hosts[i]));
		strbuf_addf(&text, "%s%s", i ? " " : "", r->hosts[i]);
	}
	value_map_set(a, m, "hosts", hosts);
	set_str(a, m, "hosts_text", text.buf);
	set_str(a, m, "disposition", siterec_disposition_name(r->disposition));
	set_str(a, m, "disposition_label", siterec_disposition_label(r->disposition));
	set_day(a, m, "closed", &r->closed.day);
	if (siterec_has_target(r))
		value_map_set(a, m, "target", target_value(a, cfg, c, r->target));
	if (s->closure && s->closure->item) {
		dest = value_map_get(s->closure->item, "destinations");
		if (dest && dest->u.list.nr)
			value_map_set(a, m, "destinations", dest);
		if (s->closure->state != NOTICE_SCHEDULED)
			value_map_set(a, m, "notice_url", value_map_get(s->closure->item, "url"));
	}
	if (archived)
		set_str(a, m, "archive_url", arena_printf(a, "%sarchive/%s/", cfg->root, r->id));
	strbuf_release(&text);
	return m;
}

static int cmp_closed(const void *va, const void *vb)
{
	const struct ledger_site *a = *(struct ledger_site *const *)va;
	const struct ledger_site *b = *(struct ledger_site *const *)vb;
	int c = date_cmp(&b->rec.closed.day, &a->rec.closed.day);
	return c ? c : strcmp(a->rec.id, b->rec.id);
}

struct value *ledger_closed_sites_value(const struct ledger *l, struct arena *a,
					const struct site_config *cfg, const struct content *c,
					const char *const *archived, size_t nr_archived,
					const struct cdate *today)
{
	struct value *list = value_list(a);
	struct ledger_site **closed = xcalloc(l->nr ? l->nr : 1, sizeof(*closed));
	size_t i, n = 0;
	for (i = 0; i < l->nr; i++)
		if (ledger_is_ledger_record(l->sites[i]) && site_date_by(&l->sites[i]->rec.closed, today))
			closed[n++] = l->sites[i];
	qsort(closed, n, sizeof(*closed), cmp_closed);
	for (i = 0; i < n; i++)
		value_list_push(a, list, closed_site_item(closed[i], a, cfg, c,
							  is_in(closed[i]->rec.id, archived, nr_archived)));
	free(closed);
	return list;
}

/* ---- a source folder, for check and report ---- */

static int any_layout(void *ud, const char *name)
{
	return 1; /* layouts are the build's business */
}

/* The portal's pages; their own warnings (undated articles...) are the build's business. */
static void load_pages(struct content *c, const struct content_options *co, struct diag_list *diags)
{
	struct diag_list own = DIAG_LIST_INIT;
	size_t i;
	content_load(c, co, &own);
	for (i = 0; i < own.nr; i++) {
		const struct diag *d = &own.items[i];
		if (d->severity == DIAG_ERROR)
			diag_add(diags, DIAG_ERROR, d->file, d->line, d->col, d->hint, "%s", d->msg);
	}
	diag_list_release(&own);
}

int ledger_source_load(struct ledger_source *src, const char *source_dir, const char *archive_dir,
		       const struct cdate *today, struct diag_list *diags)
{
	struct content_options co;
	struct strbuf dir = STRBUF_INIT;
	size_t before = diags->errors;

	memset(src, 0, sizeof(*src));
	arena_init(&src->arena);
	content_init(&src->content);
	src->today = *today;
	if (site_config_load(&src->cfg, &src->arena, source_dir, diags))
		return -1;
	memset(&co, 0, sizeof(co));
	co.source_dir = source_dir;
	co.cfg = &src->cfg;
	co.has_layout = any_layout;
	load_pages(&src->content, &co, diags);
	ledger_load(&src->ledger, &src->arena, source_dir, diags);
	ledger_policy(&src->ledger, &src->cfg, diags);
	src->notices.ledger = &src->ledger;
	if (!notices_policy(&src->notices, &src->cfg, diags))
		notices_load(&src->notices, &src->content, &co, today, diags);
	ledger_link_notices(&src->ledger, &src->notices);
	ledger_archive_dir(&dir, &src->cfg, source_dir, archive_dir);
	ledger_read_captures(&src->ledger, dir.buf, diags);
	strbuf_release(&dir);
	return diags->errors > before ? -1 : 0;
}

void ledger_source_release(struct ledger_source *src)
{
	notices_release(&src->notices);
	ledger_release(&src->ledger);
	content_release(&src->content);
	arena_release(&src->arena);
}
