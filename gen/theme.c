#include "gen/theme.h"
#include "common/diag.h"
#include "common/fsutil.h"
#include "common/path.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *self_dir(void)
{
	static char dir[PATH_MAX];
	ssize_t n;
	char *slash;
	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n <= 0) {
		strcpy(dir, ".");
		return dir;
	}
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return dir;
}

static int load_partial(void *ud, const char *name, struct strbuf *out, struct strbuf *path)
{
	const struct theme *t = ud;
	struct strbuf file = STRBUF_INIT;
	int ret = -1;
	if (!path_unsafe_reason(name, strlen(name))) {
		strbuf_addf(&file, "%s/%s.mustache", t->layouts, name);
		if (!strbuf_read_file(out, file.buf)) {
			strbuf_reset(path);
			strbuf_addbuf(path, &file);
			ret = 0;
		}
	}
	strbuf_release(&file);
	return ret;
}

static int try_dir(struct strbuf *sb, const char *base, const char *name)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s/%s", base, name);
	return is_dir(sb->buf);
}

int theme_open(struct theme *t, const char *source_dir, const char *name,
	       struct diag_list *diags)
{
	struct strbuf sb = STRBUF_INIT, base = STRBUF_INIT;
	const char *why = slug_unsafe_reason(name);

	memset(t, 0, sizeof(*t));
	if (why) {
		diag_error(diags, "site.yaml", 0, 0, NULL, "theme name '%s' %s", name, why);
		return -1;
	}
	path_in(&base, source_dir, "themes");
	if (!try_dir(&sb, base.buf, name) && getenv("JIYUE_THEME_PATH")) {
		strbuf_reset(&base);
		strbuf_addstr(&base, getenv("JIYUE_THEME_PATH"));
		try_dir(&sb, base.buf, name);
	}
	if (!is_dir(sb.buf)) {
		strbuf_reset(&base);
		strbuf_addf(&base, "%s/themes", self_dir());
		if (!try_dir(&sb, base.buf, name)) {
			strbuf_reset(&base);
			strbuf_addf(&base, "%s/../share/jiyue/themes", self_dir());
			if (!try_dir(&sb, base.buf, name)) {
				diag_error(diags, "site.yaml", 0, 0,
					   "put the theme in themes/NAME/ or install jiyue with its themes",
					   "theme '%s' not found", name);
				strbuf_release(&sb);
				strbuf_release(&base);
				return -1;
			}
		}
	}
	strbuf_release(&base);
	t->dir = strbuf_detach(&sb, NULL);
	strbuf_addf(&sb, "%s/layouts", t->dir);
	t->layouts = strbuf_detach(&sb, NULL);
	t->loader.ud = t;
	t->loader.load = load_partial;
	t->cache = mu_cache_new(&t->loader, 1);
	return 0;
}

void theme_release(struct theme *t)
{
	if (t->cache)
		mu_cache_free(t->cache);
	free(t->dir);
	free(t->layouts);
	memset(t, 0, sizeof(*t));
}

int theme_has_layout(const struct theme *t, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	int ok;
	if (path_unsafe_reason(name, strlen(name)))
		return 0;
	strbuf_addf(&sb, "%s/%s.mustache", t->layouts, name);
	ok = is_file(sb.buf);
	strbuf_release(&sb);
	return ok;
}

void theme_report(const struct mu_error *err, struct diag_list *diags)
{
	diag_error(diags, err->file.len ? err->file.buf : NULL, err->line, err->col,
		   NULL, "%s", err->msg.buf);
}

int theme_preload(struct theme *t, const char *name, struct diag_list *diags)
{
	struct mu_error err;
	int ret;
	mu_error_init(&err);
	ret = mu_cache_preload(t->cache, name, &err);
	if (ret) {
		if (!err.file.len) {
			strbuf_addf(&err.file, "%s/%s.mustache", t->layouts, name);
		}
		theme_report(&err, diags);
	}
	mu_error_release(&err);
	return ret ? -1 : 0;
}
