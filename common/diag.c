#include "diag.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdarg.h>
#include <string.h>

void diag_list_init(struct diag_list *l)
{
	memset(l, 0, sizeof(*l));
}

static void diag_free_strings(struct diag *d)
{
	free(d->file);
	free(d->msg);
	free(d->hint);
}

void diag_list_release(struct diag_list *l)
{
	size_t i;
	for (i = 0; i < l->nr; i++)
		diag_free_strings(&l->items[i]);
	free(l->items);
	diag_list_init(l);
}

static void count(struct diag_list *l, enum diag_severity sev)
{
	if (sev == DIAG_ERROR)
		l->errors++;
	else if (sev == DIAG_WARNING)
		l->warnings++;
}

struct diag *diag_add(struct diag_list *l, enum diag_severity sev,
		      const char *file, unsigned line, unsigned col,
		      const char *hint, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	struct diag *d;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);

	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	d = &l->items[l->nr++];
	d->severity = sev;
	d->file = file ? xstrdup(file) : NULL;
	d->line = line;
	d->col = col;
	d->msg = strbuf_detach(&msg, NULL);
	d->hint = hint ? xstrdup(hint) : NULL;
	count(l, sev);
	return d;
}

void diag_list_take(struct diag_list *dst, struct diag_list *src)
{
	size_t i;
	ALLOC_GROW(dst->items, dst->nr + src->nr, dst->alloc);
	for (i = 0; i < src->nr; i++) {
		dst->items[dst->nr++] = src->items[i];
		count(dst, src->items[i].severity);
	}
	free(src->items);
	diag_list_init(src);
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int diag_cmp(const void *va, const void *vb)
{
	const struct diag *a = va, *b = vb;
	int c = cmp_str(a->file, b->file);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return cmp_str(a->msg, b->msg);
}

void diag_list_sort(struct diag_list *l)
{
	if (l->nr > 1)
		qsort(l->items, l->nr, sizeof(*l->items), diag_cmp);
}

static const char *severity_name(enum diag_severity s)
{
	switch (s) {
	case DIAG_ERROR: return "error";
	case DIAG_WARNING: return "warning";
	default: return "note";
	}
}

void diag_print(const struct diag *d, FILE *out)
{
	if (d->file) {
		fputs(d->file, out);
		if (d->line)
			fprintf(out, ":%u", d->line);
		if (d->line && d->col)
			fprintf(out, ":%u", d->col);
		fputs(": ", out);
	}
	fprintf(out, "%s: %s\n", severity_name(d->severity), d->msg);
	if (d->hint)
		fprintf(out, "  hint: %s\n", d->hint);
}

void diag_list_print(const struct diag_list *l, FILE *out)
{
	size_t i;
	for (i = 0; i < l->nr; i++)
		diag_print(&l->items[i], out);
}
