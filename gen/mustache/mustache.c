/*
 * mustache: errors and the partial cache.  Parsing is in parse.c,
 * rendering in render.c.
 */
#include "gen/mustache/mustache_int.h"
#include "common/xalloc.h"

#include <stdarg.h>
#include <string.h>

void mu_error_init(struct mu_error *e)
{
	strbuf_init(&e->file, 0);
	strbuf_init(&e->msg, 0);
	e->line = e->col = 0;
}

void mu_error_release(struct mu_error *e)
{
	strbuf_release(&e->file);
	strbuf_release(&e->msg);
	e->line = e->col = 0;
}

void mu_error_set(struct mu_error *e, const char *file, unsigned line,
		  unsigned col, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	strbuf_reset(&e->file);
	strbuf_addstr(&e->file, file ? file : "");
	e->line = line;
	e->col = col;
	strbuf_reset(&e->msg);
	va_start(ap, fmt);
	strbuf_vaddf(&e->msg, fmt, ap);
	va_end(ap);
}

void mu_error_format(const struct mu_error *e, struct strbuf *out)
{
	if (e->file.len) {
		strbuf_addbuf(out, &e->file);
		if (e->line)
			strbuf_addf(out, ":%u:%u", e->line, e->col);
		strbuf_addstr(out, ": ");
	}
	strbuf_addbuf(out, &e->msg);
}

struct mu_cache_entry {
	struct mu_cache_entry *next;
	size_t hash;
	char *name;
	size_t len;
	struct mu_template *t;	/* NULL: the loader has no such partial */
};

struct mu_cache *mu_cache_new(const struct mu_loader *loader,
			      int strict_partials)
{
	struct mu_cache *c = xcalloc(1, sizeof(*c));

	if (loader)
		c->loader = *loader;
	c->strict = strict_partials;
	if (pthread_mutex_init(&c->lock, NULL))
		die("cannot create a mutex");
	return c;
}

void mu_cache_free(struct mu_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nbuckets; i++) {
		struct mu_cache_entry *e = c->buckets[i], *next;
		for (; e; e = next) {
			next = e->next;
			mu_template_free(e->t);
			free(e->name);
			free(e);
		}
	}
	free(c->buckets);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static size_t hash_name(const char *s, size_t len)
{
	size_t h = 2166136261u, i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct mu_cache_entry *lookup(struct mu_cache *c, const char *name,
				     size_t len, size_t h)
{
	struct mu_cache_entry *e;

	if (!c->nbuckets)
		return NULL;
	for (e = c->buckets[h % c->nbuckets]; e; e = e->next)
		if (e->hash == h && e->len == len && !memcmp(e->name, name, len))
			return e;
	return NULL;
}

static void insert(struct mu_cache *c, struct mu_cache_entry *e)
{
	size_t i;

	if (c->count >= c->nbuckets) {
		size_t n = c->nbuckets ? c->nbuckets * 2 : 64;
		struct mu_cache_entry **b = xcalloc(n, sizeof(*b));
		for (i = 0; i < c->nbuckets; i++) {
			struct mu_cache_entry *x = c->buckets[i], *next;
			for (; x; x = next) {
				next = x->next;
				x->next = b[x->hash % n];
				b[x->hash % n] = x;
			}
		}
		free(c->buckets);
		c->buckets = b;
		c->nbuckets = n;
	}
	e->next = c->buckets[e->hash % c->nbuckets];
	c->buckets[e->hash % c->nbuckets] = e;
	c->count++;
}

/* Load and parse a partial; called with the lock held. */
static int load(struct mu_cache *c, const char *name, size_t len, size_t h,
		struct mu_cache_entry **out, struct mu_error *err)
{
	struct strbuf src = STRBUF_INIT, path = STRBUF_INIT;
	struct mu_cache_entry *e;
	struct mu_template *t = NULL;
	char *key = xstrndup(name, len);

	if (c->loader.load && !c->loader.load(c->loader.ud, key, &src, &path)) {
		t = mu_parse(path.len ? path.buf : key, src.buf, src.len, err);
		strbuf_release(&src);
		strbuf_release(&path);
		if (!t) {
			/* not cached: a broken partial fails every render */
			free(key);
			return -1;
		}
	}
	strbuf_release(&src);
	strbuf_release(&path);
	e = xcalloc(1, sizeof(*e));
	e->hash = h;
	e->name = key;
	e->len = len;
	e->t = t;
	insert(c, e);
	*out = e;
	return 0;
}

int mu_cache_find(struct mu_cache *c, const char *name, size_t len,
		  const struct mu_template **out, struct mu_error *err)
{
	size_t h = hash_name(name, len);
	struct mu_cache_entry *e;
	int ret = 0;

	/*
	 * Parsed templates never change, so the lock only guards the
	 * table; holding it while loading keeps two threads from parsing
	 * the same partial twice.
	 */
	pthread_mutex_lock(&c->lock);
	e = lookup(c, name, len, h);
	if (!e)
		ret = load(c, name, len, h, &e, err);
	pthread_mutex_unlock(&c->lock);
	*out = ret < 0 ? NULL : e->t;
	return ret;
}

const struct mu_template *mu_cache_get(struct mu_cache *c, const char *name,
				       struct mu_error *err)
{
	const struct mu_template *t;

	if (mu_cache_find(c, name, strlen(name), &t, err) < 0)
		return NULL;
	if (!t)
		mu_error_set(err, name, 0, 0, "no partial '%s'", name);
	return t;
}

static int preload_nodes(struct mu_cache *c, const struct mu_template *t,
			 const struct mu_node *n, size_t nn,
			 struct mu_error *err);

static int preload_one(struct mu_cache *c, const struct mu_template *from,
		       const struct mu_node *n, struct mu_error *err)
{
	const struct mu_template *t;
	int known;

	pthread_mutex_lock(&c->lock);
	known = lookup(c, n->str, n->len, hash_name(n->str, n->len)) != NULL;
	pthread_mutex_unlock(&c->lock);
	if (known)
		return 0;	/* done already, or being done up the stack */
	if (mu_cache_find(c, n->str, n->len, &t, err) < 0)
		return -1;
	if (!t) {
		if (!c->strict)
			return 0;
		mu_error_set(err, from->name, n->line, n->col,
			     "no partial '%.*s'", (int)n->len, n->str);
		return -1;
	}
	return preload_nodes(c, t, t->kids, t->nkids, err);
}

static int preload_nodes(struct mu_cache *c, const struct mu_template *t,
			 const struct mu_node *n, size_t nn,
			 struct mu_error *err)
{
	size_t i;

	for (i = 0; i < nn; i++) {
		if ((n[i].kind == MU_N_PARTIAL || n[i].kind == MU_N_PARENT) &&
		    !n[i].dynamic && preload_one(c, t, &n[i], err) < 0)
			return -1;
		if (preload_nodes(c, t, n[i].kids, n[i].nkids, err) < 0)
			return -1;
	}
	return 0;
}

int mu_cache_preload(struct mu_cache *c, const char *name,
		     struct mu_error *err)
{
	const struct mu_template *t = mu_cache_get(c, name, err);

	if (!t)
		return -1;
	return preload_nodes(c, t, t->kids, t->nkids, err);
}

int mu_template_preload(struct mu_cache *c, const struct mu_template *t,
			struct mu_error *err)
{
	return preload_nodes(c, t, t->kids, t->nkids, err);
}
