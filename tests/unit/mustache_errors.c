/*
 * Error messages and positions of the mustache engine, and reuse of a
 * parsed template: things the official spec does not test.
 */
#include "gen/mustache/mustache.h"
#include "gen/mustache/mu_json.h"
#include "common/strbuf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned passed, failed;

static void check(int ok, const char *what, const char *got)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s\n  got: %s\n", what, got);
}

/* mu_parse() must fail with exactly "file:line:col: msg". */
static void parse_error(const char *tpl, const char *want)
{
	struct mu_error err;
	struct mu_template *t;
	struct strbuf got = STRBUF_INIT;

	mu_error_init(&err);
	t = mu_parse("t.mustache", tpl, strlen(tpl), &err);
	if (t)
		strbuf_addstr(&got, "(parsed fine)");
	else
		mu_error_format(&err, &got);
	check(!t && !strcmp(got.buf, want), want, got.buf);
	mu_template_free(t);
	mu_error_release(&err);
	strbuf_release(&got);
}

/* Render tpl with JSON data and partials; compare output or error. */
static void render(const char *tpl, const char *data, const char *partials,
		   int strict, const char *want)
{
	struct mu_error err;
	struct mu_template *t;
	struct strbuf got = STRBUF_INIT;
	json_t *d = json_loads(data, 0, NULL);
	json_t *p = json_loads(partials, 0, NULL);
	struct mu_loader loader;
	struct mu_cache *cache;
	struct mu_json mj;

	mu_error_init(&err);
	mu_json_init(&mj);
	mu_json_loader(&loader, p);
	cache = mu_cache_new(&loader, strict);
	t = mu_parse("t.mustache", tpl, strlen(tpl), &err);
	if (!t || mu_render(t, &mj.data, d, cache, &got, &err) < 0) {
		strbuf_reset(&got);
		mu_error_format(&err, &got);
	}
	check(!strcmp(got.buf, want), want, got.buf);
	mu_template_free(t);
	mu_cache_free(cache);
	mu_error_release(&err);
	strbuf_release(&got);
	json_decref(d);
	json_decref(p);
}

static void test_parse_errors(void)
{
	parse_error("a\n{{#items}}\nx\n",
		    "t.mustache:2:1: unclosed section 'items'");
	parse_error("{{#a}}{{^b}}{{/b}}",
		    "t.mustache:1:1: unclosed section 'a'");
	parse_error("{{#y}}\n  {{/x}}",
		    "t.mustache:2:3: unexpected closing tag 'x' (open section is 'y')");
	parse_error("x {{/x}}",
		    "t.mustache:1:3: unexpected closing tag 'x'");
	parse_error("{{<p}}{{$b}}{{/p}}",
		    "t.mustache:1:13: unexpected closing tag 'p' (open block is 'b')");
	parse_error("line\nhello {{name",
		    "t.mustache:2:7: unclosed tag (no '}}' after '{{')");
	parse_error("{{{name}}",
		    "t.mustache:1:1: unclosed tag (no '}}}' after '{{')");
	parse_error("{{= =}}",
		    "t.mustache:1:1: bad set-delimiter tag '{{= =}}'");
	parse_error("ok\n  {{=<% %> x=}}",
		    "t.mustache:2:3: bad set-delimiter tag '{{=<% %> x=}}'");
	parse_error("{{=a=b c=}}",
		    "t.mustache:1:1: bad set-delimiter tag '{{=a=b c=}}'");
	parse_error("{{=<% %>=}}<%x",
		    "t.mustache:1:12: unclosed tag (no '%>' after '<%')");
	parse_error("é {{ }}", "t.mustache:1:3: empty tag '{{ }}'");
	parse_error("{{#}}", "t.mustache:1:1: empty tag '{{#}}'");
	parse_error("{{a b}}", "t.mustache:1:1: bad tag name 'a b'");
	parse_error("{{$b}}", "t.mustache:1:1: unclosed block 'b'");
	parse_error("{{<p}}", "t.mustache:1:1: unclosed parent 'p'");
}

static void test_render_errors(void)
{
	render("x\n {{>nope}}", "{}", "{}", 1,
	       "t.mustache:2:2: no partial 'nope'");
	render("[{{>nope}}]", "{}", "{}", 0, "[]");
	render("{{>a}}", "{}", "{\"a\": \"a{{>a}}\"}", 0,
	       "a:1:2: partial recursion too deep");
	render("{{>bad}}", "{}", "{\"bad\": \"ok\\n{{#x}}\"}", 0,
	       "bad:2:1: unclosed section 'x'");
	render("{{>*dyn}}", "{\"dyn\": \"nope\"}", "{}", 1,
	       "t.mustache:1:1: no partial 'nope'");
	render("{{<p}}{{/p}}", "{}", "{}", 1,
	       "t.mustache:1:1: no partial 'p'");
}

/* Behaviour the spec leaves open, pinned down. */
static void test_render_edges(void)
{
	/* indentation adds up through nested standalone partials */
	render("  {{>a}}\n", "{}",
	       "{\"a\": \"x\\n  {{>b}}\\ny\\n\", \"b\": \"1\\n2\\n\"}", 1,
	       "  x\n    1\n    2\n  y\n");
	/* but a partial included inline is not indented */
	render("  {{>a}}\n", "{}",
	       "{\"a\": \"{{>b}}z\", \"b\": \"P\\n\"}", 1, "  P\nz");
	/* "" and 0 are truthy, an empty list is not */
	render("{{#s}}S{{/s}}{{#z}}Z{{/z}}{{#e}}E{{/e}}{{^e}}!{{/e}}",
	       "{\"s\": \"\", \"z\": 0, \"e\": []}", "{}", 1, "SZ!");
	/* numbers as the spec expects them */
	render("{{a}} {{b}} {{c}} {{d}}", "{\"a\": 1.21, \"b\": 100.0, \"c\": -7, \"d\": 0.1}",
	       "{}", 1, "1.21 100 -7 0.1");
}

static void test_render_many(void)
{
	static const char *const data[] = {
		"{\"title\": \"A & B\", \"items\": [1, 2.5, \"x\"]}",
		"{\"title\": \"<none>\", \"items\": []}",
		"{\"items\": [{\"n\": 1}], \"n\": 7}",
	};
	static const char *const want[] = {
		"<h1>A &amp; B</h1>\n  <li>1</li>\n  <li>2.5</li>\n  <li>x</li>\n",
		"<h1>&lt;none&gt;</h1>\n  <p>empty</p>\n",
		"<h1></h1>\n  <li>1</li>\n",
	};
	const char *tpl = "<h1>{{title}}</h1>\n"
			  "{{#items}}\n  {{>item}}\n{{/items}}\n"
			  "{{^items}}\n  <p>empty</p>\n{{/items}}\n";
	json_t *p = json_loads("{\"item\": \"<li>{{#n}}{{n}}{{/n}}{{^n}}{{.}}{{/n}}</li>\\n\"}",
			       0, NULL);
	struct mu_error err;
	struct mu_template *t;
	struct mu_loader loader;
	struct mu_cache *cache;
	struct mu_json mj;
	struct strbuf got = STRBUF_INIT;
	int round, i, ok = 1;

	mu_error_init(&err);
	mu_json_init(&mj);
	mu_json_loader(&loader, p);
	cache = mu_cache_new(&loader, 1);
	t = mu_parse("page", tpl, strlen(tpl), &err);
	for (round = 0; t && round < 100; round++)
		for (i = 0; i < 3; i++) {
			json_t *d = json_loads(data[i], 0, NULL);
			strbuf_reset(&got);
			if (mu_render(t, &mj.data, d, cache, &got, &err) < 0)
				mu_error_format(&err, &got);
			json_decref(d);
			ok &= !strcmp(got.buf, want[i]);
		}
	check(t && ok, "one parse, many renders", got.buf);
	mu_template_free(t);
	mu_cache_free(cache);
	mu_error_release(&err);
	strbuf_release(&got);
	json_decref(p);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	struct strbuf path = STRBUF_INIT;
	FILE *f;

	strbuf_addf(&path, "%s/%s", dir, name);
	f = fopen(path.buf, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	strbuf_release(&path);
}

static void remove_file(const char *dir, const char *name)
{
	struct strbuf path = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", dir, name);
	remove(path.buf);
	strbuf_release(&path);
}

/* Partials from DIR/<name>.mustache, as `jiyue mustache --partials` does. */
static void test_dir_loader(void)
{
	char dir[] = "/tmp/mu_errors.XXXXXX";
	const char *tpl = "{{>part}}|{{>sub/inner}}|{{>../part}}";
	struct mu_loader loader;
	struct mu_cache *cache;
	struct mu_error err;
	struct mu_template *t;
	struct strbuf got = STRBUF_INIT;
	struct mu_json mj;
	json_t *d = json_loads("{\"x\": \"<x>\"}", 0, NULL);

	if (!mkdtemp(dir)) {
		check(0, "mkdtemp", "");
		return;
	}
	write_file(dir, "part.mustache", "[{{x}}]\n  {{#x}}\n");
	strbuf_addf(&got, "%s/sub", dir);
	mkdir(got.buf, 0700);
	strbuf_reset(&got);
	write_file(dir, "sub/inner.mustache", "{{{x}}}");

	mu_error_init(&err);
	mu_json_init(&mj);
	mu_dir_loader(&loader, dir);
	cache = mu_cache_new(&loader, 0);
	t = mu_parse("t", tpl, strlen(tpl), &err);
	if (!t || mu_render(t, &mj.data, d, cache, &got, &err) < 0) {
		strbuf_reset(&got);
		mu_error_format(&err, &got);
	}
	/* part.mustache does not parse; its own path and position come out */
	{
		struct strbuf want = STRBUF_INIT;
		strbuf_addf(&want, "%s/part.mustache:2:3: unclosed section 'x'",
			    dir);
		check(!strcmp(got.buf, want.buf), want.buf, got.buf);
		strbuf_release(&want);
	}
	mu_cache_free(cache);

	write_file(dir, "part.mustache", "[{{x}}]");
	cache = mu_cache_new(&loader, 0);
	strbuf_reset(&got);
	if (mu_render(t, &mj.data, d, cache, &got, &err) < 0)
		mu_error_format(&err, &got);
	check(!strcmp(got.buf, "[&lt;x&gt;]|<x>|"), "[&lt;x&gt;]|<x>|", got.buf);
	mu_cache_free(cache);

	remove_file(dir, "part.mustache");
	remove_file(dir, "sub/inner.mustache");
	remove_file(dir, "sub");
	rmdir(dir);
	mu_template_free(t);
	mu_error_release(&err);
	strbuf_release(&got);
	json_decref(d);
}

struct job {
	const struct mu_template *t;
	struct mu_cache *cache;
	json_t *data;
	int ok;
};

static void *render_thread(void *arg)
{
	struct job *j = arg;
	struct strbuf out = STRBUF_INIT;
	struct mu_error err;
	struct mu_json mj;
	int i;

	mu_error_init(&err);
	mu_json_init(&mj);
	j->ok = 1;
	for (i = 0; i < 2000; i++) {
		strbuf_reset(&out);
		if (mu_render(j->t, &mj.data, j->data, j->cache, &out, &err) < 0 ||
		    strcmp(out.buf, "<b>x</b> <i>x</i> 1;2;3;\n"))
			j->ok = 0;
	}
	mu_error_release(&err);
	strbuf_release(&out);
	return NULL;
}

static void test_threads(void)
{
	const char *tpl = "{{>b}} {{>i}} {{#n}}{{>*sep}}{{/n}}\n";
	json_t *p = json_loads("{\"b\": \"<b>{{v}}</b>\", \"i\": \"<i>{{v}}</i>\","
			       " \"semi\": \"{{.}};\"}", 0, NULL);
	json_t *d = json_loads("{\"v\": \"x\", \"n\": [1, 2, 3], \"sep\": \"semi\"}",
			       0, NULL);
	struct mu_loader loader;
	struct mu_cache *cache;
	struct mu_error err;
	struct mu_template *t;
	struct job jobs[4];
	pthread_t th[4];
	int i, ok = 1;

	mu_error_init(&err);
	mu_json_loader(&loader, p);
	cache = mu_cache_new(&loader, 1);
	t = mu_parse("threads", tpl, strlen(tpl), &err);
	for (i = 0; i < 4; i++) {
		jobs[i].t = t;
		jobs[i].cache = cache;
		jobs[i].data = d;
		pthread_create(&th[i], NULL, render_thread, &jobs[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		ok &= jobs[i].ok;
	}
	check(t && ok, "renders from four threads sharing a cache", "");
	mu_template_free(t);
	mu_cache_free(cache);
	mu_error_release(&err);
	json_decref(p);
	json_decref(d);
}

int main(void)
{
	test_parse_errors();
	test_render_errors();
	test_render_edges();
	test_render_many();
	test_dir_loader();
	test_threads();
	printf("mustache errors: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
