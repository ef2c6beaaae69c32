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
out:
	strbuf_release(&path);
	strbuf_release(&text);
	return diags->errors > before ? -1 : 0;
}
