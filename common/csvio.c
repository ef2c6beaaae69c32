#include "common/csvio.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#include <stdint.h>
#include <string.h>

void csv_reader_init(struct csv_reader *r, const char *text, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->text = text;
	r->len = len;
	r->line = 1;
	/* Excel and WPS save "CSV UTF-8" with a byte order mark */
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		r->pos = 3;
}

void csv_reader_release(struct csv_reader *r)
{
	free(r->fields);
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

static int is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* Reserve room for len more bytes of unescaped text. */
static void buf_reserve(struct csv_reader *r, size_t used, size_t len)
{
	if (used + len + 1 > r->buf_alloc) {
		r->buf_alloc = (used + len + 1) * 2;
		r->buf = xrealloc(r->buf, r->buf_alloc);
	}
}

static int fail(struct csv_reader *r, const char *why, unsigned line, unsigned col)
{
	r->error = why;
	r->err_line = line;
	r->err_col = col;
	return -1;
}

/* Is the rest of the current line empty (spaces only)?  Then skip it. */
static int skip_blank_line(struct csv_reader *r)
{
	size_t p = r->pos;
	while (p < r->len && is_blank(r->text[p]))
		p++;
	if (p < r->len && r->text[p] == '\r')
		p++;
	if (p < r->len && r->text[p] != '\n')
		return 0;
	r->pos = p < r->len ? p + 1 : p;
	r->line++;
	return 1;
}

/*
 * Read one field starting at r->pos into the buffer at *used; leaves r->pos
 * at the comma or line end after it.  Returns 0 or -1.
 */
static int read_field(struct csv_reader *r, size_t *used, size_t line_start, struct csv_field *f)
{
	const char *t = r->text;
	size_t start = *used, end;
	while (r->pos < r->len && is_blank(t[r->pos]))
		r->pos++;
	f->col = (unsigned)(r->pos - line_start + 1);
	if (r->pos < r->len && t[r->pos] == '"') {
		unsigned qline = r->line, qcol = f->col;
		r->pos++;
		for (;;) {
			if (r->pos >= r->len)
				return fail(r, "a quoted field is not closed", qline, qcol);
			if (t[r->pos] == '"') {
				if (r->pos + 1 < r->len && t[r->pos + 1] == '"') {
					buf_reserve(r, *used, 1);
					r->buf[(*used)++] = '"';
					r->pos += 2;
					continue;
				}
				r->pos++;
				break;
			}
			if (t[r->pos] == '\n')
				r->line++;
			buf_reserve(r, *used, 1);
			r->buf[(*used)++] = t[r->pos++];
		}
		while (r->pos < r->len && is_blank(t[r->pos]))
			r->pos++;
		if (r->pos < r->len && t[r->pos] != ',' && t[r->pos] != '\n' && t[r->pos] != '\r')
			return fail(r, "text after a closing quote (write a quote inside a quoted field as \"\")",
				    r->line, (unsigned)(r->pos - line_start + 1));
		end = *used;
	} else {
		while (r->pos < r->len && t[r->pos] != ',' && t[r->pos] != '\n' &&
		       !(t[r->pos] == '\r' && (r->pos + 1 >= r->len || t[r->pos + 1] == '\n'))) {
			if (t[r->pos] == '"')
				return fail(r, "a quote inside an unquoted field (quote the whole field and double the quote)",
					    r->line, (unsigned)(r->pos - line_start + 1));
			buf_reserve(r, *used, 1);
			r->buf[(*used)++] = t[r->pos++];
		}
		end = *used;
		while (end > start && is_blank(r->buf[end - 1]))
			end--;
	}
	buf_reserve(r, end, 0);
	r->buf[end] = '\0';
	*used = end + 1;
	f->len = end - start;
	f->s = (char *)(uintptr_t)start; /* an offset until the buffer stops moving */
	return 0;
}

int csv_next(struct csv_reader *r)
{
	size_t used = 0, line_start, i;
	while (r->pos < r->len && skip_blank_line(r))
		;
	r->nr = 0;
	if (r->pos >= r->len)
		return 0;
	r->rec_line = r->line;
	line_start = r->pos;
	for (;;) {
		struct csv_field *f;
		unsigned field_line = r->line;
		ALLOC_GROW(r->fields, r->nr + 1, r->alloc);
		f = &r->fields[r->nr++];
		if (read_field(r, &used, line_start, f))
			return -1;
		if (field_line != r->rec_line)
			f->col = 0; /* a field after a quoted line break: its column means little */
		if (r->pos < r->len && r->text[r->pos] == ',') {
			r->pos++;
			continue;
		}
		if (r->pos < r->len && r->text[r->pos] == '\r')
			r->pos++;
		if (r->pos < r->len && r->text[r->pos] == '\n')
			r->pos++;
		r->line++;
		break;
	}
	for (i = 0; i < r->nr; i++)
		r->fields[i].s = r->buf + (size_t)(uintptr_t)r->fields[i].s;
	return 1;
}

static int needs_quotes(const char *s)
{
	if (!*s)
		return 0;
	if (is_blank(s[0]) || is_blank(s[strlen(s) - 1]))
		return 1;
	return strpbrk(s, ",\"\r\n") != NULL;
}

void csv_add_field(struct strbuf *out, const char *s)
{
	const char *p;
	if (!s)
		return;
	if (!needs_quotes(s)) {
		strbuf_addstr(out, s);
		return;
	}
	strbuf_addch(out, '"');
	for (p = s; *p; p++) {
		if (*p == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, *p);
	}
	strbuf_addch(out, '"');
}

void csv_add_row(struct strbuf *out, const char *const *fields, size_t nr)
{
	size_t i;
	for (i = 0; i < nr; i++) {
		if (i)
			strbuf_addch(out, ',');
		csv_add_field(out, fields[i]);
	}
	strbuf_addch(out, '\n');
}
