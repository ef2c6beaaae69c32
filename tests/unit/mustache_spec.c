/*
 * Runs the official Mustache spec (the *.json files of a directory,
 * default ../shared/spec/mustache) against our engine.
 *
 * The spec's lambdas are source code in other languages, so each lambda
 * test is bound here, by name, to a C function doing the same thing.
 */
#include "gen/mustache/mustache.h"
#include "gen/mustache/mu_json.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int calls;	/* for the lambdas counting their calls */

static int l_world(void *ud, const char *s, size_t len, struct strbuf *out)
{
	(void)ud, (void)s, (void)len;
	strbuf_addstr(out, "world");
	return 0;
}

static int l_planet(void *ud, const char *s, size_t len, struct strbuf *out)
{
	(void)ud, (void)s, (void)len;
	strbuf_addstr(out, "{{planet}}");
	return 0;
}

static int l_alt_planet(void *ud, const char *s, size_t len,
			struct strbuf *out)
{
	(void)ud, (void)s, (void)len;
	strbuf_addstr(out, "|planet| => {{planet}}");
	return 0;
}

static int l_count(void *ud, const char *s, size_t len, struct strbuf *out)
{
	(void)ud, (void)s, (void)len;
	strbuf_addf(out, "%d", ++calls);
	return 0;
}

static int l_gt(void *ud, const char *s, size_t len, struct strbuf *out)
{
	(void)ud, (void)s, (void)len;
	strbuf_addstr(out, ">");
	return 0;
}

static int l_is_x(void *ud, const char *s, size_t len, struct strbuf *out)
{
	(void)ud;
	strbuf_addstr(out, len == 5 && !memcmp(s, "{{x}}", 5) ? "yes" : "no");
	return 0;
}

static int l_around_planet(void *ud, const char *s, size_t len,
			   struct strbuf *out)
{
	(void)ud;
	strbuf_add(out, s, len);
	strbuf_addstr(out, "{{planet}}");
	strbuf_add(out, s, len);
	return 0;
}

static int l_around_alt(void *ud, const char *s, size_t len,
			struct strbuf *out)
{
	(void)ud;
	strbuf_add(out, s, len);
	strbuf_addstr(out, "{{planet}} => |planet|");
	strbuf_add(out, s, len);
	return 0;
}

static int l_underscores(void *ud, const char *s, size_t len,
			 struct strbuf *out)
{
	(void)ud;
	strbuf_addstr(out, "__");
	strbuf_add(out, s, len);
	strbuf_addstr(out, "__");
	return 0;
}

static int l_false(void *ud, const char *s, size_t len, struct strbuf *out)
{
	/* returns false: the engine must not even call it for {{^x}} */
	(void)ud, (void)s, (void)len, (void)out;
	return 0;
}

static const struct {
	const char *test;
	mu_json_lambda_fn *fn;
} lambdas[] = {
	{ "Interpolation", l_world },
	{ "Interpolation - Expansion", l_planet },
	{ "Interpolation - Alternate Delimiters", l_alt_planet },
	{ "Interpolation - Multiple Calls", l_count },
	{ "Escaping", l_gt },
	{ "Section", l_is_x },
	{ "Section - Expansion", l_around_planet },
	{ "Section - Alternate Delimiters", l_around_alt },
	{ "Section - Multiple Calls", l_underscores },
	{ "Inverted Section", l_false },
};

static mu_json_lambda_fn *resolve(void *ud, const json_t *fn)
{
	const char *test = ud;
	size_t i;

	(void)fn;
	for (i = 0; i < sizeof(lambdas) / sizeof(*lambdas); i++)
		if (!strcmp(lambdas[i].test, test))
			return lambdas[i].fn;
	return NULL;
}

/* Print s with C escapes, so whitespace differences show. */
static void print_escaped(const char *s, size_t len)
{
	size_t i;

	putchar('"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* Render one test; 0 if the output is as expected. */
static int run_test(const char *file, const json_t *test)
{
	const char *name = json_string_value(json_object_get(test, "name"));
	const json_t *tpl = json_object_get(test, "template");
	const json_t *expected = json_object_get(test, "expected");
	const json_t *partials = json_object_get(test, "partials");
	struct mu_error err;
	struct mu_template *t;
	struct strbuf out = STRBUF_INIT;
	struct mu_loader loader;
	struct mu_cache *cache;
	struct mu_json mj;
	int ok = 0;

	if (!name || !json_is_string(tpl) || !json_is_string(expected)) {
		printf("FAIL %s: malformed test\n", file);
		return -1;
	}
	mu_error_init(&err);
	mu_json_init(&mj);
	mu_json_set_lambda_resolver(&mj, resolve, (void *)name);
	mu_json_loader(&loader, partials);
	cache = mu_cache_new(&loader, 0);
	calls = 0;

	t = mu_parse(name, json_string_value(tpl), json_string_length(tpl),
		     &err);
	if (t && !mu_render(t, &mj.data, json_object_get(test, "data"), cache,
			    &out, &err))
		ok = out.len == json_string_length(expected) &&
		     !memcmp(out.buf, json_string_value(expected), out.len);
	if (!ok) {
		printf("FAIL %s: %s\n  expected: ", file, name);
		print_escaped(json_string_value(expected),
			      json_string_length(expected));
		printf("\n  got:      ");
		if (err.msg.len) {
			struct strbuf msg = STRBUF_INIT;
			mu_error_format(&err, &msg);
			printf("error: %s", msg.buf);
			strbuf_release(&msg);
		} else {
			print_escaped(out.buf, out.len);
		}
		putchar('\n');
	}
	mu_template_free(t);
	mu_cache_free(cache);
	mu_error_release(&err);
	strbuf_release(&out);
	return ok ? 0 : -1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../shared/spec/mustache";
	DIR *d = opendir(dir);
	struct dirent *de;
	char **files = NULL;
	size_t nfiles = 0, alloc = 0, i, j;
	unsigned passed = 0, failed = 0;

	if (!d) {
		perror(dir);
		return 2;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n > 5 && !strcmp(de->d_name + n - 5, ".json")) {
			ALLOC_GROW(files, nfiles + 1, alloc);
			files[nfiles++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	qsort(files, nfiles, sizeof(*files), by_name);

	for (i = 0; i < nfiles; i++) {
		struct strbuf path = STRBUF_INIT;
		json_error_t jerr;
		json_t *spec, *tests;

		strbuf_addf(&path, "%s/%s", dir, files[i]);
		spec = json_load_file(path.buf, 0, &jerr);
		if (!spec) {
			printf("FAIL %s: %s (line %d)\n", path.buf, jerr.text,
			       jerr.line);
			failed++;
		}
		tests = json_object_get(spec, "tests");
		for (j = 0; j < json_array_size(tests); j++) {
			if (run_test(files[i], json_array_get(tests, j)))
				failed++;
			else
				passed++;
		}
		json_decref(spec);
		strbuf_release(&path);
		free(files[i]);
	}
	free(files);
	if (!nfiles) {
		printf("FAIL %s: no spec files\n", dir);
		failed++;
	}
	printf("mustache spec: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
