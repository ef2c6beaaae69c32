#include "gen/site.h"
#include "common/diag.h"
#include "common/path.h"
#include "common/strbuf.h"
#include "common/value.h"
#include "common/yamlload.h"

#include <errno.h>
#include <string.h>

static const char *want_str(struct site_config *cfg, struct diag_list *diags,
			    const char *key, const char *def, const char *hint)
{
	struct value *v = value_map_get(cfg->raw, key);
	if (!v || v->type == VAL_NULL) {
		if (!def)
			diag_error(diags, cfg->file, 1, 1, hint, "missing '%s'", key);
		return def;
	}
	if (v->type != VAL_STR || !v->u.str.len) {
		diag_error(diags, cfg->file, v->line, v->col, hint,
			   "'%s' must be a non-empty string", key);
		return def;
	}
	return v->u.str.s;
}

/* baseURL must be absolute http(s); we keep its path as the site root. */
static void set_base_url(struct site_config *cfg, struct arena *a,
			 struct diag_list *diags)
{
	const char *u = want_str(cfg, diags, "baseURL", NULL,
				 "add e.g. 'baseURL: https://www.example.gov.cn/'");
	const char *host, *path;
	struct value *v = value_map_get(cfg->raw, "baseURL");

	cfg->root = "/";
	cfg->base_url = "/";
	if (!u)
		return;
	if (strncmp(u, "http://", 7) && strncmp(u, "https://", 8)) {
		diag_error(diags, cfg->file, v->line, v->col,
			   "write the full address, e.g. https://www.example.gov.cn/",
			   "baseURL '%s' must start with http:// or https://", u);
		return;
	}
	host = strstr(u, "://") + 3;
	path = strchr(host, '/');
	if (!path || !path[1]) {
		cfg->base_url = path ? u : arena_printf(a, "%s/", u);
		return;
	}
	cfg->base_url = u[strlen(u) - 1] == '/' ? u : arena_printf(a, "%s/", u);
	path = strchr(strstr(cfg->base_url, "://") + 3, '/');
	cfg->root = path;
}

static void set_paginate(struct site_config *cfg, struct diag_list *diags)
{
	struct value *v = value_map_get(cfg->raw, "paginate");
	cfg->paginate = 20;
	if (!v)
		return;
	if (value_as_int(v, &cfg->paginate) || cfg->paginate < 1 || cfg->paginate > 10000)
		diag_error(diags, cfg->file, v->line, v->col, "use a whole number such as 20",
			   "'paginate' must be a number from 1 to 10000");
}

static void set_markup(struct site_config *cfg, struct diag_list *diags)
{
	struct value *m = value_map_get(cfg->raw, "markup");
	struct value *u = value_map_get(m, "unsafe");
	cfg->unsafe_html = 0;
	if (m && m->type != VAL_MAP)
		diag_error(diags, cfg->file, m->line, m->col, NULL, "'markup' must be a mapping");
	if (!u)
		return;
	if (u->type != VAL_BOOL)
		diag_error(diags, cfg->file, u->line, u->col, NULL,
			   "'markup.unsafe' must be true or false");
	else
		cfg->unsafe_html = u->u.b;
}

static void check_maps(struct site_config *cfg, struct diag_list *diags)
{
	static const char *maps[] = { "footer", "platforms" };
	size_t i;
	for (i = 0; i < sizeof(maps) / sizeof(*maps); i++) {
		struct value *v = value_map_get(cfg->raw, maps[i]);
		if (v && v->type != VAL_MAP)
			diag_error(diags, cfg->file, v->line, v->col, NULL,
				   "'%s' must be a mapping of names to values", maps[i]);
	}
}

/* A value that goes into nginx and Apache configs as it is: nothing that could end a directive. */
static const char *deploy_value(struct site_config *cfg, struct diag_list *diags, struct value *d,
				const char *key, int path)
{
	struct value *v = value_map_get(d, key);
	const char *s, *p;
	if (!v)
		return NULL;
	s = v->type == VAL_STR ? v->u.str.s : "";
	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x21 || *p == 0x7f || strchr("\"'`;{}$#\\", *p))
			break;
	if (!*s || *p || (path && s[0] != '/') ||
	    (!path && strspn(s, "0123456789.:[]*abcdefABCDEF") != strlen(s)))
		diag_error(diags, cfg->file, v->line, v->col,
			   path ? "write an absolute path without spaces, quotes, ';', '{', '}', '$' or '#'"
				: "write a port (80) or an address and port (127.0.0.1:8080, [::]:80)",
			   "'deploy.%s' cannot go into a server configuration: '%s'", key, s);
	return s;
}

static void set_deploy(struct site_config *cfg, struct diag_list *diags)
{
	struct value *d = value_map_get(cfg->raw, "deploy");
	if (d && d->type != VAL_MAP) {
		diag_error(diags, cfg->file, d->line, d->col, "write e.g. 'deploy: {root: /srv/jiyue/public, listen: 80}'",
			   "'deploy' must be a mapping");
		d = NULL;
	}
	cfg->deploy.root = deploy_value(cfg, diags, d, "root", 1);
	cfg->deploy.listen = deploy_value(cfg, diags, d, "listen", 0);
	cfg->deploy.redirects = deploy_value(cfg, diags, d, "redirects", 1);
	if (!cfg->deploy.listen)
		cfg->deploy.listen = "80";
}

int site_config_load(struct site_config *cfg, struct arena *a,
		     const char *source_dir, struct diag_list *diags)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	size_t before = diags->errors;

	memset(cfg, 0, sizeof(*cfg));
	path_in(&path, source_dir, "site.yaml");
	cfg->file = arena_strndup(a, path.buf, path.len);
	if (strbuf_read_file(&text, path.buf)) {
		diag_error(diags, cfg->file, 0, 0,
			   "run jiyue in the portal's source folder, or pass -s SOURCE",
			   "unable to read site settings: %s", strerror(errno));
		goto out;
	}
	cfg->raw = yaml_load(a, text.buf, text.len, cfg->file, 1, diags);
	/* the value tree points into the arena only: text may go */
	if (!cfg->raw)
		goto out;
	if (cfg->raw->type != VAL_MAP) {
		diag_error(diags, cfg->file, 1, 1, NULL, "site.yaml must be a mapping of settings");
		goto out;
	}
	cfg->title = want_str(cfg, diags, "title", NULL, "add e.g. 'title: 示例市人民政府'");
	set_base_url(cfg, a, diags);
	cfg->language = want_str(cfg, diags, "language", "zh-CN", NULL);
	cfg->theme = want_str(cfg, diags, "theme", "default", NULL);
	set_paginate(cfg, diags);
	set_markup(cfg, diags);
	check_maps(cfg, diags);
	set_deploy(cfg, diags);
out:
	strbuf_release(&path);
	strbuf_release(&text);
	return diags->errors > before ? -1 : 0;
}
