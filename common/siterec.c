#include "common/siterec.h"
#include "common/arena.h"
#include "common/diag.h"
#include "common/path.h"
#include "common/strbuf.h"
#include "common/value.h"
#include "common/yamlload.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>

void siterec_default_limits(struct site_limits *l)
{
	l->pages = 20000;
	l->depth = 30;
	l->url_length = 2048;
	l->size = 100LL << 20;
	l->concurrency = 4;
	l->delay_ms = 0;
	l->timeout = 120;
}

const char *siterec_id_unsafe(const char *id)
{
	const char *p;
	if (!*id)
		return "is empty";
	for (p = id; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-' && *p != '_')
			return "may hold only lower-case letters, digits, '-' and '_'";
	return NULL;
}

static char *lower_dup(struct arena *a, const char *s)
{
	char *d = arena_strdup(a, s), *p;
	for (p = d; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

/* A list of strings (or one string) under key; returns the count, -1 on error. */
static long str_list(struct site_record *rec, struct arena *a, struct diag_list *diags,
		     const char *key, const char ***out, int lower)
{
	struct value *v = value_map_get(rec->raw, key);
	size_t i;
	*out = NULL;
	if (!v || v->type == VAL_NULL)
		return 0;
	if (v->type == VAL_STR) {
		*out = arena_alloc(a, sizeof(char *));
		(*out)[0] = lower ? lower_dup(a, v->u.str.s) : v->u.str.s;
		return 1;
	}
	if (v->type != VAL_LIST) {
		diag_error(diags, rec->file, v->line, v->col, NULL, "'%s' must be a list", key);
		return -1;
	}
	*out = arena_alloc(a, (v->u.list.nr + 1) * sizeof(char *));
	for (i = 0; i < v->u.list.nr; i++) {
		struct value *e = v->u.list.items[i];
		if (e->type != VAL_STR || !e->u.str.len) {
			diag_error(diags, rec->file, e->line, e->col, NULL,
				   "'%s' entries must be non-empty strings", key);
			return -1;
		}
		(*out)[i] = lower ? lower_dup(a, e->u.str.s) : e->u.str.s;
	}
	return (long)v->u.list.nr;
}

/* "100MB", "20 MiB", "5000000", "1G" */
static int parse_size(const char *s, long long *out)
{
	char *end;
	long long n = strtoll(s, &end, 10);
	while (*end == ' ')
		end++;
	if (end == s || n < 0)
		return -1;
	if (!*end || !strcasecmp(end, "b"))
		*out = n;
	else if (!strcasecmp(end, "k") || !strcasecmp(end, "kb") || !strcasecmp(end, "kib"))
		*out = n << 10;
	else if (!strcasecmp(end, "m") || !strcasecmp(end, "mb") || !strcasecmp(end, "mib"))
		*out = n << 20;
	else if (!strcasecmp(end, "g") || !strcasecmp(end, "gb") || !strcasecmp(end, "gib"))
		*out = n << 30;
	else
		return -1;
	return 0;
}

static void read_limit(struct site_record *rec, struct diag_list *diags,
		       struct value *limits, const char *key, long *slot, long min)
{
	struct value *v = value_map_get(limits, key);
	long long n;
	if (!v)
		return;
	if (value_as_int(v, &n) || n < min)
		diag_error(diags, rec->file, v->line, v->col, NULL,
			   "'limits.%s' must be a whole number of at least %ld", key, min);
	else
		*slot = (long)n;
}

static void read_limits(struct site_record *rec, struct diag_list *diags)
{
	struct value *l = value_map_get(rec->raw, "limits"), *sz;
	siterec_default_limits(&rec->limits);
	if (!l)
		return;
	if (l->type != VAL_MAP) {
		diag_error(diags, rec->file, l->line, l->col, NULL, "'limits' must be a mapping");
		return;
	}
	read_limit(rec, diags, l, "pages", &rec->limits.pages, 1);
	read_limit(rec, diags, l, "depth", &rec->limits.depth, 0);
	read_limit(rec, diags, l, "url_length", &rec->limits.url_length, 64);
	read_limit(rec, diags, l, "concurrency", &rec->limits.concurrency, 1);
	read_limit(rec, diags, l, "delay_ms", &rec->limits.delay_ms, 0);
	read_limit(rec, diags, l, "timeout", &rec->limits.timeout, 1);
	sz = value_map_get(l, "size");
	if (sz && (sz->type != VAL_STR || parse_size(sz->u.str.s, &rec->limits.size)))
		diag_error(diags, rec->file, sz->line, sz->col, "write e.g. 100MB",
			   "'limits.size' must be a size");
}

static int check_hosts(struct site_record *rec, struct diag_list *diags)
{
	size_t i;
	struct value *v = value_map_get(rec->raw, "hosts");
	for (i = 0; i < rec->nr_hosts; i++) {
		const char *h = rec->hosts[i];
		if (strchr(h, '/') || strchr(h, ' ') || strstr(h, "://")) {
			diag_error(diags, rec->file, v ? v->line : 1, v ? v->col : 1,
				   "write host names only: fgw.example.gov.cn (a port is allowed: 127.0.0.1:8080)",
				   "host '%s' is not a host name", h);
			return -1;
		}
	}
	return 0;
}

/* ---- the ledger fields ---- */

static const char *const disposition_names[] = { "", "close", "move", "independent", "zombie" };
static const char *const disposition_labels[] = { "仅归档", "关停迁移", "整体迁移", "保留独立", "僵尸网站" };
static const char *const unit_names[] = { "", "government", "institution" };
static const char *const unit_labels[] = { "", "党政机关", "事业单位" };
static const char *const dereg_names[] = { "domain", "icp", "dzjg", "psb" };
static const char *const dereg_keys[] = { "deregistered.domain", "deregistered.icp",
					   "deregistered.dzjg", "deregistered.psb" };
static const char *const dereg_labels[] = { "域名", "ICP备案", "党政机关网站标识", "公安机关联网备案" };

const char *siterec_disposition_name(enum site_disposition d) { return disposition_names[d]; }
const char *siterec_disposition_label(enum site_disposition d) { return disposition_labels[d]; }
const char *siterec_unit_name(enum site_unit_type u) { return unit_names[u]; }
const char *siterec_unit_label(enum site_unit_type u) { return unit_labels[u]; }
const char *siterec_dereg_name(enum site_dereg i) { return dereg_names[i]; }
const char *siterec_dereg_label(enum site_dereg i) { return dereg_labels[i]; }

int siterec_has_target(const struct site_record *rec)
{
	return rec->target && strcmp(rec->target, "无");
}

int site_date_by(const struct site_date *d, const struct cdate *day)
{
	return d->set && date_cmp(&d->day, day) <= 0;
}

static struct value *node_at(const struct site_record *rec, const char *key)
{
	const char *dot = strchr(key, '.');
	struct value *v;
	if (!rec->raw)
		return NULL;
	if (!dot)
		return value_map_get(rec->raw, key);
	v = value_map_getn(rec->raw, key, (size_t)(dot - key));
	return v && v->type == VAL_MAP ? value_map_get(v, dot + 1) : v;
}

void siterec_pos(const struct site_record *rec, const char *key, unsigned *line, unsigned *col)
{
	struct value *v = node_at(rec, key);
	*line = v && v->line ? v->line : 1;
	*col = v && v->line ? v->col : 1;
}

static int host_label_is_punycode(const char *host)
{
	const char *p = host;
	for (;;) {
		if (!strncmp(p, "xn--", 4))
			return 1;
		p = strchr(p, '.');
		if (!p++)
			return 0;
	}
}

int host_is_chinese(const char *host)
{
	const unsigned char *p;
	for (p = (const unsigned char *)host; *p && *p != ':'; p++)
		if (*p >= 0x80)
			return 1;
	return host_label_is_punycode(host);
}

/* The two Chinese top-level domains of rule 6, and their punycode. */
static const char *punycode_of(const char *suffix)
{
	if (!strcmp(suffix, ".政务"))
		return ".xn--zfr164b";
	if (!strcmp(suffix, ".公益"))
		return ".xn--55qw42g";
	return NULL;
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len > n && !strncasecmp(s + len - n, suffix, n);
}

int host_has_suffix(const char *host, const char *suffix)
{
	size_t len = strcspn(host, ":");
	const char *puny = punycode_of(suffix);
	return ends_with(host, len, suffix) || (puny && ends_with(host, len, puny));
}

const char *host_domain(struct arena *a, const char *host)
{
	size_t len = strcspn(host, ":");
	if (!strncasecmp(host, "www.", 4) && len > 4) {
		host += 4;
		len -= 4;
	}
	return lower_dup(a, arena_strndup(a, host, len));
}

static void read_date(struct site_record *rec, struct diag_list *diags, struct value *v,
		      const char *key, struct site_date *out)
{
	int r;
	memset(out, 0, sizeof(*out));
	if (!v || v->type == VAL_NULL)
		return;
	out->line = v->line;
	out->col = v->col;
	r = v->type == VAL_STR ? date_parse(v->u.str.s, &out->day, NULL) : -1;
	if (r == -2)
		diag_error(diags, rec->file, v->line, v->col, "use a real calendar date, YYYY-MM-DD",
			   "invalid date '%s' for '%s': no such day", v->u.str.s, key);
	else if (r && v->type == VAL_STR)
		diag_error(diags, rec->file, v->line, v->col, "write the date as YYYY-MM-DD",
			   "invalid date '%s' for '%s'", v->u.str.s, key);
	else if (r)
		diag_error(diags, rec->file, v->line, v->col, "write the date as YYYY-MM-DD",
			   "'%s' must be a date", key);
	else
		out->set = 1;
}

/* A scalar that must be one of names[1..n); returns its index, 0 when absent or bad. */
static int read_choice(struct site_record *rec, struct diag_list *diags, const char *key,
		       const char *const *names, int n, const char *hint)
{
	struct value *v = value_map_get(rec->raw, key);
	int i;
	if (!v || v->type == VAL_NULL)
		return 0;
	for (i = 1; v->type == VAL_STR && i < n; i++)
		if (!strcmp(v->u.str.s, names[i]))
			return i;
	diag_error(diags, rec->file, v->line, v->col, hint, "unknown %s '%s'", key,
		   v->type == VAL_STR ? v->u.str.s : "?");
	return 0;
}

static const char *read_text(struct site_record *rec, struct diag_list *diags, const char *key)
{
	struct value *v = value_map_get(rec->raw, key);
	if (!v || v->type == VAL_NULL)
		return NULL;
	if (v->type != VAL_STR || !v->u.str.len) {
		diag_error(diags, rec->file, v->line, v->col, NULL, "'%s' must be a non-empty string", key);
		return NULL;
	}
	return v->u.str.s;
}

/* A portal path ("/fgw/gzdt/") or 无; whether the page exists is the build's check. */
static void read_target(struct site_record *rec, struct diag_list *diags)
{
	struct value *v = value_map_get(rec->raw, "target");
	const char *t = read_text(rec, diags, "target");
	const char *why;
	if (!t || !strcmp(t, "无"))
		goto out;
	if (t[0] != '/' || t[1] == '/') {
		diag_error(diags, rec->file, v->line, v->col,
			   "write the portal column's path, e.g. /fgw/gzdt/, or 无 when the content goes nowhere",
			   "target '%s' is not a path on the portal", t);
		t = NULL;
	} else if (t[1] && (why = path_unsafe_reason(t + 1, strlen(t + 1)))) {
		diag_error(diags, rec->file, v->line, v->col, NULL, "target '%s' %s", t, why);
		t = NULL;
	}
out:
	rec->target = t;
}

static void read_deregistered(struct site_record *rec, struct diag_list *diags)
{
	struct value *m = value_map_get(rec->raw, "deregistered");
	size_t i;
	int k;
	if (!m || m->type == VAL_NULL)
		return;
	if (m->type != VAL_MAP) {
		diag_error(diags, rec->file, m->line, m->col, "write e.g. deregistered: {domain: 2025-07-15, icp: 2025-07-18}",
			   "'deregistered' must be a mapping of items to dates");
		return;
	}
	for (i = 0; i < m->u.map.nr; i++) {
		const struct value_pair *p = &m->u.map.items[i];
		for (k = 0; k < SITE_DEREG_ITEMS && strcmp(p->key, dereg_names[k]); k++)
			;
		if (k == SITE_DEREG_ITEMS) {
			diag_error(diags, rec->file, p->val->line, p->val->col,
				   "the four items are domain, icp, dzjg (党政机关网站标识) and psb (公安机关联网备案)",
				   "unknown deregistration item '%s'", p->key);
			continue;
		}
		read_date(rec, diags, p->val, dereg_keys[k], &rec->deregistered[k]);
	}
}

static void read_contacts(struct site_record *rec, struct diag_list *diags)
{
	struct value *v = value_map_get(rec->raw, "contacts");
	size_t i;
	if (!v || v->type == VAL_NULL || v->type == VAL_MAP)
		return; /* none, or one contact */
	for (i = 0; v->type == VAL_LIST && i < v->u.list.nr; i++)
		if (v->u.list.items[i]->type != VAL_MAP)
			break;
	if (v->type != VAL_LIST || i < v->u.list.nr)
		diag_error(diags, rec->file, v->line, v->col,
			   "write e.g. contacts: [{name: 王某, phone: \"0551-60000000\"}]",
			   "'contacts' must be a list of mappings");
}

static void read_ledger(struct site_record *rec, struct diag_list *diags)
{
	rec->unit_type = (enum site_unit_type)read_choice(rec, diags, "unit_type", unit_names, 3,
		"use government (党政机关) or institution (事业单位)");
	rec->disposition = (enum site_disposition)read_choice(rec, diags, "disposition", disposition_names, 5,
		"use close (关停迁移), move (整体迁移), independent (保留独立) or zombie (僵尸网站)");
	rec->unit = read_text(rec, diags, "unit");
	if (!rec->unit)
		rec->unit = rec->department;
	rec->reason = read_text(rec, diags, "reason");
	read_target(rec, diags);
	read_date(rec, diags, value_map_get(rec->raw, "approved"), "approved", &rec->approved);
	read_date(rec, diags, value_map_get(rec->raw, "notice_start"), "notice_start", &rec->notice_start);
	read_date(rec, diags, value_map_get(rec->raw, "closed"), "closed", &rec->closed);
	read_deregistered(rec, diags);
	read_contacts(rec, diags);
}

static int fill(struct site_record *rec, struct arena *a, struct diag_list *diags)
{
	long n;
	size_t before = diags->errors;
	struct value *qp;

	rec->name = value_map_str(rec->raw, "name");
	rec->department = value_map_str(rec->raw, "department");
	if (!rec->name)
		diag_error(diags, rec->file, 1, 1, "add 'name: ...' (the old site's name)", "missing 'name'");
	n = str_list(rec, a, diags, "hosts", &rec->hosts, 1);
	rec->nr_hosts = n > 0 ? (size_t)n : 0;
	if (n == 0)
		diag_error(diags, rec->file, 1, 1, "add 'hosts: [www.example.gov.cn]'",
			   "missing 'hosts'");
	else if (n > 0)
		check_hosts(rec, diags);
	n = str_list(rec, a, diags, "start", &rec->start, 0);
	rec->nr_start = n > 0 ? (size_t)n : 0;
	if (n == 0 && rec->nr_hosts) {
		rec->start = arena_alloc(a, sizeof(char *));
		rec->start[0] = arena_printf(a, "http://%s/", rec->hosts[0]);
		rec->nr_start = 1;
	}
	qp = value_map_get(rec->raw, "query_params");
	rec->query_params_given = qp && qp->type != VAL_NULL;
	n = str_list(rec, a, diags, "query_params", &rec->query_params, 0);
	rec->nr_query_params = n > 0 ? (size_t)n : 0;
	read_limits(rec, diags);
	read_ledger(rec, diags);
	return diags->errors > before ? -1 : 0;
}

int siterec_load(struct site_record *rec, struct arena *a, const char *source_dir,
		 const char *id, struct diag_list *diags)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	const char *why = siterec_id_unsafe(id);
	int ret = -1;

	memset(rec, 0, sizeof(*rec));
	rec->id = arena_strdup(a, id);
	if (why) {
		diag_error(diags, NULL, 0, 0, NULL, "site id '%s' %s", id, why);
		return -1;
	}
	path_in(&path, source_dir, "content/sites/");
	strbuf_addf(&path, "%s.yaml", id);
	rec->file = arena_strdup(a, path.buf);
	if (strbuf_read_file(&text, path.buf)) {
		diag_error(diags, rec->file, 0, 0,
			   "describe the site in content/sites/ID.yaml, or use --url URL --id ID",
			   "unable to read the site record: %s", strerror(errno));
		goto out;
	}
	rec->raw = yaml_load(a, text.buf, text.len, rec->file, 1, diags);
	if (!rec->raw)
		goto out;
	if (rec->raw->type != VAL_MAP) {
		diag_error(diags, rec->file, 1, 1, NULL, "a site record must be a mapping");
		goto out;
	}
	ret = fill(rec, a, diags);
out:
	strbuf_release(&path);
	strbuf_release(&text);
	return ret;
}

int siterec_from_url(struct site_record *rec, struct arena *a, const char *id,
		     const char *url, struct diag_list *diags)
{
	const char *why = siterec_id_unsafe(id), *host, *end;
	memset(rec, 0, sizeof(*rec));
	rec->id = arena_strdup(a, id);
	if (why) {
		diag_error(diags, NULL, 0, 0, NULL, "site id '%s' %s", id, why);
		return -1;
	}
	if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) {
		diag_error(diags, NULL, 0, 0, NULL, "'%s' is not an http or https URL", url);
		return -1;
	}
	host = strstr(url, "://") + 3;
	end = host + strcspn(host, "/?#");
	rec->name = rec->id;
	rec->hosts = arena_alloc(a, sizeof(char *));
	rec->hosts[0] = lower_dup(a, arena_strndup(a, host, (size_t)(end - host)));
	rec->nr_hosts = 1;
	rec->start = arena_alloc(a, sizeof(char *));
	rec->start[0] = arena_strdup(a, url);
	rec->nr_start = 1;
	rec->raw = value_map(a);
	siterec_default_limits(&rec->limits);
	return 0;
}
