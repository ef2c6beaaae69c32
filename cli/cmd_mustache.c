/*
 * jiyue mustache TEMPLATE DATA [--partials DIR]: render one template with
 * JSON or YAML data to stdout, for theme authors trying a template.  JSON
 * goes through the jansson adapter, YAML through the value adapter the
 * build uses: the engine sees only callbacks either way.
 */
#include "cli/commands.h"
#include "common/arena.h"
#include "common/diag.h"
#include "common/path.h"
#include "common/strbuf.h"
#include "common/value.h"
#include "common/yamlload.h"
#include "gen/mustache/mu_json.h"
#include "gen/mustache/mustache.h"
#include "gen/tmpldata.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char mustache_usage[] =
	"usage: jiyue mustache TEMPLATE DATA [--partials DIR]\n"
	"\n"
	"Render TEMPLATE with DATA (a .json, .yaml or .yml file; '-' reads JSON\n"
	"from standard input) and print the result.  Partials and parents\n"
	"({{>name}}, {{<name}}) are read from DIR/name.mustache; DIR defaults to\n"
	"the template's folder.  A missing partial is an error.\n";

struct data_source {
	json_t *json;
	struct arena arena;
	struct value *yaml;
	struct mu_json mj;
	const struct mu_data *data;
	const void *root;
};

static int load_json(struct data_source *d, const char *path)
{
	json_error_t je;
	d->json = !strcmp(path, "-") ? json_loadf(stdin, JSON_DECODE_ANY, &je)
				     : json_load_file(path, JSON_DECODE_ANY, &je);
	if (!d->json) {
		fprintf(stderr, "%s:%d:%d: error: %s\n", path, je.line, je.column, je.text);
		return -1;
	}
	mu_json_init(&d->mj);
	d->data = &d->mj.data;
	d->root = d->json;
	return 0;
}

static int load_yaml(struct data_source *d, const char *path)
{
	struct strbuf text = STRBUF_INIT;
	struct diag_list diags = DIAG_LIST_INIT;
	if (strbuf_read_file(&text, path)) {
		fprintf(stderr, "error: unable to read '%s': %s\n", path, strerror(errno));
		return -1;
	}
	d->yaml = yaml_load(&d->arena, text.buf, text.len, path, 1, &diags);
	strbuf_release(&text);
	diag_list_print(&diags, stderr);
	diag_list_release(&diags);
	if (!d->yaml)
		return -1;
	d->data = &value_mu_data;
	d->root = d->yaml;
	return 0;
}

static int load_data(struct data_source *d, const char *path)
{
	memset(d, 0, sizeof(*d));
	arena_init(&d->arena);
	if (path_has_ext(path, ".yaml") || path_has_ext(path, ".yml"))
		return load_yaml(d, path);
	return load_json(d, path);
}

static void release_data(struct data_source *d)
{
	if (d->json)
		json_decref(d->json);
	arena_release(&d->arena);
}

static int render(const char *tpl_path, const char *partials, struct data_source *d)
{
	struct strbuf src = STRBUF_INIT, out = STRBUF_INIT;
	struct mu_error err;
	struct mu_loader loader;
	struct mu_cache *cache;
	struct mu_template *t = NULL;
	int ret = 1;

	mu_error_init(&err);
	if (strbuf_read_file(&src, tpl_path)) {
		fprintf(stderr, "error: unable to read '%s': %s\n", tpl_path, strerror(errno));
		goto out_nocache;
	}
	mu_dir_loader(&loader, partials);
	cache = mu_cache_new(&loader, 1);
	t = mu_parse(tpl_path, src.buf, src.len, &err);
	if (t && !mu_render(t, d->data, d->root, cache, &out, &err)) {
		fwrite(out.buf, 1, out.len, stdout);
		ret = 0;
	} else {
		struct diag_list dl = DIAG_LIST_INIT;
		diag_error(&dl, err.file.len ? err.file.buf : tpl_path, err.line, err.col,
			   NULL, "%s", err.msg.buf);
		diag_list_print(&dl, stderr);
		diag_list_release(&dl);
	}
	mu_template_free(t);
	mu_cache_free(cache);
out_nocache:
	mu_error_release(&err);
	strbuf_release(&src);
	strbuf_release(&out);
	return ret;
}

int cmd_mustache(int argc, char **argv)
{
	const char *args[2] = { NULL, NULL }, *partials = NULL;
	struct strbuf dir = STRBUF_INIT;
	struct data_source d;
	int i, n = 0, ret;

	for (i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(mustache_usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--partials")) {
			if (i + 1 >= argc)
				return usage_error("mustache", "option '--partials' needs a folder");
			partials = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error("mustache", "unknown option '%s'", argv[i]);
		} else if (n < 2) {
			args[n++] = argv[i];
		} else {
			return usage_error("mustache", "too many arguments");
		}
	}
	if (n < 2)
		return usage_error("mustache", "give a template and a data file");
	if (!partials) {
		const char *slash = strrchr(args[0], '/');
		if (slash)
			strbuf_add(&dir, args[0], (size_t)(slash - args[0]));
		else
			strbuf_addstr(&dir, ".");
		partials = dir.buf;
	}
	if (load_data(&d, args[1])) {
		release_data(&d);
		strbuf_release(&dir);
		return 1;
	}
	ret = render(args[0], partials, &d);
	release_data(&d);
	strbuf_release(&dir);
	return ret;
}
