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
