#include "archiver/cdxj.h"
#include "archiver/url.h"
#include "archiver/warc.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

/* The status code of an HTTP head ("HTTP/1.1 200 OK" -> "200"), as warcio reads it. */
static void http_status(const char *head, size_t len, struct strbuf *out)
{
	size_t i = 0, start;
	while (i < len && head[i] != ' ' && head[i] != '\n')
		i++;
	while (i < len && head[i] == ' ')
		i++;
	start = i;
	while (i < len && head[i] != ' ' && head[i] != '\r' && head[i] != '\n')
		i++;
	strbuf_add(out, head + start, i - start);
}

/* The first header called name in an HTTP head, leading blanks stripped; 0 or -1 if absent. */
static int http_header(const char *head, size_t len, const char *name, struct strbuf *out)
{
	size_t nl = strlen(name);
	const char *p = memchr(head, '\n', len), *end = head + len;
	while (p && ++p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t l = eol ? (size_t)(eol - p) : (size_t)(end - p);
		if (l > nl && p[nl] == ':' && !strncasecmp(p, name, nl)) {
			const char *v = p + nl + 1;
			size_t vl = l - nl - 1;
			while (vl && (*v == ' ' || *v == '\t')) {
				v++;
				vl--;
			}
			while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' ' || v[vl - 1] == '\t'))
				vl--;
			strbuf_add(out, v, vl);
			return 0;
		}
		p = eol;
	}
	return -1;
}

static int index_record(void *ud, const struct warc_record *r)
{
	struct cdxj_indexer *ix = ud;
	struct strbuf ts = STRBUF_INIT, sb = STRBUF_INIT;
	size_t head_len, i;
	json_t *j;
	char *dump;
	int revisit;

	if (!r->type || (strcmp(r->type, "response") && strcmp(r->type, "revisit")))
		return 0;
	if (!r->target_uri || !r->date) {
		strbuf_addf(ix->err, "'%s': the %s record at offset %lld has no %s", ix->path,
			    r->type, r->offset, r->target_uri ? "WARC-Date" : "WARC-Target-URI");
		return -1;
	}
	for (i = 0; r->date[i] && ts.len < 14; i++)
		if (r->date[i] >= '0' && r->date[i] <= '9')
			strbuf_addch(&ts, r->date[i]);
	if (ts.len < 14) {
		strbuf_addf(ix->err, "'%s': the record at offset %lld has a bad WARC-Date '%s'",
			    ix->path, r->offset, r->date);
		strbuf_release(&ts);
		return -1;
	}
	revisit = !strcmp(r->type, "revisit");
	head_len = warc_http_head_len(r->block, r->block_len);

	j = json_object();
	if (json_object_set_new(j, "url", json_string(r->target_uri))) {
		strbuf_addf(ix->err, "'%s': the target URI of the record at offset %lld is not UTF-8",
			    ix->path, r->offset);
		json_decref(j);
		strbuf_release(&ts);
		return -1;
	}
	if (revisit) {
		json_object_set_new(j, "mime", json_string("warc/revisit"));
	} else if (head_len && !http_header(r->block, head_len, "Content-Type", &sb)) {
		/* cdxj-indexer: the media type up to the first ';' or blank */
		strbuf_setlen(&sb, strcspn(sb.buf, "; \t"));
		json_object_set_new(j, "mime", json_stringn(sb.buf, sb.len));
	}
	strbuf_reset(&sb);
	if (head_len)
		http_status(r->block, head_len, &sb);
	if (sb.len)
		json_object_set_new(j, "status", json_stringn(sb.buf, sb.len));
	if (r->payload_digest) {
		const char *colon = strchr(r->payload_digest, ':');
		json_object_set_new(j, "digest", json_string(colon ? colon + 1 : r->payload_digest));
	}
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%lld", r->length);
	json_object_set_new(j, "length", json_string(sb.buf));
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%lld", r->offset);
	json_object_set_new(j, "offset", json_string(sb.buf));
	/* checked valid UTF-8 by cdxj_index_warc() */
	json_object_set_new(j, "filename", json_string(ix->filename));

	/* indent 0 without JSON_COMPACT gives Python's ", " and ": " separators */
	dump = json_dumps(j, JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!dump)
		die("out of memory (json)");

	strbuf_reset(&ix->key);
	if (url_surt(r->target_uri, &ix->key)) {
		/* as cdxj-indexer does when surt fails */
		strbuf_reset(&ix->key);
		strbuf_addstr(&ix->key, r->target_uri);
	}
	strbuf_addf(&ix->lines, "%s %s %s\n", ix->key.buf, ts.buf, dump);
	free(dump);
	strbuf_release(&ts);
	strbuf_release(&sb);
	return 0;
}

struct line {
	const char *p;
	size_t len;
};

static int cmp_line(const void *a, const void *b)
{
	const struct line *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->p, y->p, n);
	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

void cdxj_sort(struct strbuf *sb)
{
	struct line *lines = NULL;
	size_t nr = 0, alloc = 0, i, pos = 0;
	struct strbuf out = STRBUF_INIT;

	while (pos < sb->len) {
		const char *eol = memchr(sb->buf + pos, '\n', sb->len - pos);
		size_t l = eol ? (size_t)(eol - sb->buf) - pos : sb->len - pos;
		if (l) {
			ALLOC_GROW(lines, nr + 1, alloc);
			lines[nr].p = sb->buf + pos;
			lines[nr].len = l;
			nr++;
		}
		pos += l + 1;
	}
	if (nr)
		qsort(lines, nr, sizeof(*lines), cmp_line);
	strbuf_grow(&out, sb->len);
	for (i = 0; i < nr; i++) {
		if (i && !cmp_line(&lines[i - 1], &lines[i]))
			continue;
		strbuf_add(&out, lines[i].p, lines[i].len);
		strbuf_addch(&out, '\n');
	}
	free(lines);
	strbuf_release(sb);
	*sb = out;
}

void cdxj_indexer_init(struct cdxj_indexer *ix, const char *warc_path,
		       const char *filename_in_index, struct strbuf *err)
{
	ix->path = warc_path;
	ix->filename = filename_in_index;
	ix->err = err;
	strbuf_init(&ix->key, 0);
	strbuf_init(&ix->lines, 0);
}

int cdxj_indexer_add(void *ud, const struct warc_record *r)
{
	return index_record(ud, r);
}

void cdxj_indexer_finish(struct cdxj_indexer *ix, struct strbuf *out)
{
	cdxj_sort(&ix->lines);
	strbuf_addbuf(out, &ix->lines);
}

void cdxj_indexer_release(struct cdxj_indexer *ix)
{
	strbuf_release(&ix->key);
	strbuf_release(&ix->lines);
}

int cdxj_index_warc(const char *warc_path, const char *filename_in_index,
		    struct strbuf *out, struct strbuf *err)
{
	struct cdxj_indexer ix;
	int ret;

	if (cdxj_name_check(filename_in_index, err))
		return -1;
	cdxj_indexer_init(&ix, warc_path, filename_in_index, err);
	ret = warc_read(warc_path, cdxj_indexer_add, &ix, err);
	if (!ret)
		cdxj_indexer_finish(&ix, out);
	else if (ret > 0)
		ret = -1;
	cdxj_indexer_release(&ix);
	return ret;
}

int cdxj_name_check(const char *filename_in_index, struct strbuf *err)
{
	json_t *check = json_string(filename_in_index);
	if (!check) {
		strbuf_addf(err, "index file name '%s' is not UTF-8", filename_in_index);
		return -1;
	}
	json_decref(check);
	return 0;
}
