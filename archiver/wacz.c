#include "archiver/wacz.h"
#include "archiver/cdxj.h"
#include "archiver/digest.h"
#include "common/path.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>
#include <zip.h>

#define WACZ_VERSION "1.1.1"

/* One file of the package, in zip order. */
struct entry {
	char *zip_name;          /* archive/x.warc.gz */
	const char *file;        /* on disk, or NULL for data */
	const struct strbuf *data;
	int store;               /* 1: ZIP_CM_STORE */
	const char *known_sha256; /* the file's digest (hex) if the caller has it, or NULL */
	char *hash;              /* "sha256:..." */
	long long bytes;
};

/* A Frictionless resource name: lower case, [-a-z0-9._/] only. */
static void resource_name(const char *zip_name, struct strbuf *out)
{
	const char *p;
	for (p = path_basename(zip_name); *p; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			   c == '-' || c == '.' || c == '_'))
			c = '-';
		strbuf_addch(out, c);
	}
}

/* Set key to a string; invalid UTF-8 is an error, not a silently missing field. */
static int set_str(json_t *obj, const char *key, const char *val, const char *what,
		   struct strbuf *err)
{
	json_t *s;
	if (!val)
		return 0;
	s = json_string(val);
	if (!s) {
		strbuf_addf(err, "%s '%s' is not valid UTF-8", what, val);
		return -1;
	}
	json_object_set_new(obj, key, s);
	return 0;
}

static void dump_line(json_t *j, struct strbuf *out)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!s)
		die("out of memory (json)");
	strbuf_addstr(out, s);
	strbuf_addch(out, '\n');
	free(s);
}

static int build_pages(const struct wacz_input *in, struct strbuf *out, struct strbuf *err)
{
	json_t *j = json_pack("{s:s,s:s,s:s}", "format", "json-pages-1.0",
			      "id", "pages", "title", "All Pages");
	size_t i;
	dump_line(j, out);
	json_decref(j);
	for (i = 0; i < in->nr_pages; i++) {
		const struct wacz_page *p = &in->pages[i];
		struct strbuf id = STRBUF_INIT, key = STRBUF_INIT;
		int bad;
		if (!p->url || !p->ts) {
			strbuf_addf(err, "page %zu ('%s') has no %s", i, p->url ? p->url : "",
				    p->url ? "ts" : "url");
			return -1;
		}
		/* A stable id: the same page in the same capture keeps its id. */
		strbuf_addf(&key, "%s %s", p->ts, p->url);
		digest_sha256_hex(key.buf, key.len, &id);
		strbuf_setlen(&id, 24);
		j = json_object();
		json_object_set_new(j, "id", json_string(id.buf));
		bad = set_str(j, "url", p->url, "page URL", err) ||
		      set_str(j, "ts", p->ts, "page ts", err) ||
		      set_str(j, "title", p->title, "page title", err);
		if (!bad)
			dump_line(j, out);
		json_decref(j);
		strbuf_release(&id);
		strbuf_release(&key);
		if (bad)
			return -1;
	}
	return 0;
}

static int hash_entry(struct entry *e, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "sha256:");
	if (e->file) {
		struct stat st;
		if (stat(e->file, &st) ||
		    (e->known_sha256 ? (strbuf_addstr(&sb, e->known_sha256), 0)
				     : digest_file_sha256_hex(e->file, &sb))) {
			strbuf_addf(err, "unable to read '%s': %s", e->file, strerror(errno));
			strbuf_release(&sb);
			return -1;
		}
		e->bytes = (long long)st.st_size;
	} else {
		digest_sha256_hex(e->data->buf, e->data->len, &sb);
		e->bytes = (long long)e->data->len;
	}
	e->hash = strbuf_detach(&sb, NULL);
	return 0;
}

static int build_datapackage(const struct wacz_input *in, const char *created,
			     const struct entry *entries, size_t nr, struct strbuf *out,
			     struct strbuf *err)
{
	json_t *dp = json_object(), *res = json_array();
	struct strbuf name = STRBUF_INIT;
	size_t i;
	char *s;
	int ret = -1;

	json_object_set_new(dp, "profile", json_string("data-package"));
	json_object_set_new(dp, "wacz_version", json_string(WACZ_VERSION));
	if (set_str(dp, "title", in->title, "title", err) ||
	    set_str(dp, "description", in->description, "description", err) ||
	    set_str(dp, "created", created, "created", err) ||
	    set_str(dp, "software", in->software ? in->software : "jiyue", "software", err) ||
	    /*
	     * The spec spells it mainPageUrl, py-wacz writes mainPageURL:
	     * both, so that either kind of reader finds it.
	     */
	    set_str(dp, "mainPageUrl", in->main_page_url, "main page URL", err) ||
	    set_str(dp, "mainPageURL", in->main_page_url, "main page URL", err) ||
	    set_str(dp, "mainPageDate", in->main_page_date, "main page date", err))
		goto out;
	for (i = 0; i < nr; i++) {
		json_t *r = json_object();
		strbuf_reset(&name);
		resource_name(entries[i].zip_name, &name);
		json_object_set_new(r, "name", json_string(name.buf));
		if (set_str(r, "path", entries[i].zip_name, "file name", err)) {
			json_decref(r);
			goto out;
		}
		json_object_set_new(r, "hash", json_string(entries[i].hash));
		json_object_set_new(r, "bytes", json_integer(entries[i].bytes));
		json_array_append_new(res, r);
	}
	json_object_set(dp, "resources", res);
	s = json_dumps(dp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!s)
		die("out of memory (json)");
	strbuf_addstr(out, s);
	strbuf_addch(out, '\n');
	free(s);
	ret = 0;
out:
	json_decref(res);
	json_decref(dp);
	strbuf_release(&name);
	return ret;
}

/* The date and time fields of an RFC 3339 time; what follows the seconds is ignored. */
static int parse_time(const char *s, struct tm *tm)
{
	memset(tm, 0, sizeof(*tm));
	return s && strptime(s, "%Y-%m-%dT%H:%M:%S", tm) ? 0 : -1;
}

/*
 * Zip times are local times and libzip converts with localtime(): give it
 * the time_t whose local time shows the wall time of tm, so the entries
 * read the same time, and the package has the same bytes, in every zone.
 */
static time_t zip_time(struct tm *tm)
{
	tm->tm_isdst = -1;
	return mktime(tm);
}

static int add_entry(zip_t *za, const struct entry *e, time_t mtime, struct strbuf *err)
{
	zip_source_t *src;
	zip_int64_t idx;

	if (e->file)
		src = zip_source_file(za, e->file, 0, 0);
	else
		src = zip_source_buffer(za, e->data->buf, e->data->len, 0);
	if (!src) {
		strbuf_addf(err, "unable to add '%s' to the WACZ: %s", e->zip_name, zip_strerror(za));
		return -1;
	}
	idx = zip_file_add(za, e->zip_name, src, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(src);
		strbuf_addf(err, "unable to add '%s' to the WACZ: %s", e->zip_name, zip_strerror(za));
		return -1;
	}
	/*
	 * WACZ: WARCs are stored so replay can read a record by its offset.
	 * The indexes are deflated at level 1: the CDXJ of a large site is
	 * megabytes of text, and the default level costs several times the CPU.
	 */
	if (zip_set_file_compression(za, (zip_uint64_t)idx,
				     e->store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, e->store ? 0 : 1) ||
	    zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0) ||
	    zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
					     0100644u << 16)) {
		strbuf_addf(err, "unable to add '%s' to the WACZ: %s", e->zip_name, zip_strerror(za));
		return -1;
	}
	return 0;
}

int wacz_write(const char *path, const struct wacz_input *in, struct strbuf *err)
{
	struct strbuf cdxj = STRBUF_INIT, pages = STRBUF_INIT, dp = STRBUF_INIT;
	struct strbuf dpd = STRBUF_INIT, created = STRBUF_INIT;
	struct entry *entries;
	size_t nr = 0, i, j;
	zip_t *za = NULL;
	time_t mtime;
	int zerr = 0, ret = -1;

	entries = xcalloc(in->nr_warcs + 4, sizeof(*entries));
	if (!in->nr_warcs) {
		strbuf_addstr(err, "a WACZ needs at least one WARC");
		goto out;
	}
	for (i = 0; i < in->nr_warcs; i++) {
		const char *base = path_basename(in->warc_paths[i]);
		if (!path_has_ext(base, ".warc") && !path_has_ext(base, ".warc.gz")) {
			strbuf_addf(err, "'%s' is not named .warc or .warc.gz", in->warc_paths[i]);
			goto out;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(path_basename(in->warc_paths[j]), base)) {
				strbuf_addf(err, "two WARCs are called '%s'", base);
				goto out;
			}
		{
			struct strbuf sb = STRBUF_INIT;
			strbuf_addf(&sb, "archive/%s", base);
			entries[nr].zip_name = strbuf_detach(&sb, NULL);
		}
		entries[nr].file = in->warc_paths[i];
		entries[nr].known_sha256 = in->warc_sha256 ? in->warc_sha256[i] : NULL;
		entries[nr].store = 1;
		nr++;
	}

	if (in->cdxj) {
		strbuf_add(&cdxj, in->cdxj, in->cdxj_len);
	} else {
		for (i = 0; i < in->nr_warcs; i++)
			if (cdxj_index_warc(in->warc_paths[i], path_basename(in->warc_paths[i]),
					    &cdxj, err))
				goto out;
		cdxj_sort(&cdxj);
	}
	if (build_pages(in, &pages, err))
		goto out;

	if (in->created) {
		struct tm tm;
		strbuf_addstr(&created, in->created);
		if (parse_time(in->created, &tm)) {
			strbuf_addf(err, "created time '%s' is not RFC 3339 (YYYY-MM-DDThh:mm:ssZ)",
				    in->created);
			goto out;
		}
		mtime = zip_time(&tm);
	} else {
		struct tm tm;
		char buf[32];
		time_t now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
		strbuf_addstr(&created, buf);
		mtime = zip_time(&tm);
	}

	entries[nr].zip_name = xstrdup("indexes/index.cdxj");
	entries[nr++].data = &cdxj;
	entries[nr].zip_name = xstrdup("pages/pages.jsonl");
	entries[nr++].data = &pages;
	for (i = 0; i < nr; i++)
		if (hash_entry(&entries[i], err))
			goto out;
	if (build_datapackage(in, created.buf, entries, nr, &dp, err))
		goto out;
	{
		json_t *d = json_object();
		struct strbuf h = STRBUF_INIT;
		char *s;
		strbuf_addstr(&h, "sha256:");
		digest_sha256_hex(dp.buf, dp.len, &h);
		json_object_set_new(d, "path", json_string("datapackage.json"));
		json_object_set_new(d, "hash", json_string(h.buf));
		s = json_dumps(d, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (!s)
			die("out of memory (json)");
		strbuf_addstr(&dpd, s);
		strbuf_addch(&dpd, '\n');
		free(s);
		json_decref(d);
		strbuf_release(&h);
	}
	entries[nr].zip_name = xstrdup("datapackage.json");
	entries[nr++].data = &dp;
	entries[nr].zip_name = xstrdup("datapackage-digest.json");
	entries[nr++].data = &dpd;

	/* libzip writes a temporary file and renames it over path on zip_close. */
	za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (!za) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		strbuf_addf(err, "unable to create '%s': %s", path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		goto out;
	}
	for (i = 0; i < nr; i++)
		if (add_entry(za, &entries[i], mtime, err))
			goto out;
	if (zip_close(za)) {
		strbuf_addf(err, "unable to write '%s': %s", path, zip_strerror(za));
		goto out;
	}
	za = NULL;
	ret = 0;
out:
	if (za)
		zip_discard(za);
	for (i = 0; i < in->nr_warcs + 4; i++) {
		free(entries[i].zip_name);
		free(entries[i].hash);
	}
	free(entries);
	strbuf_release(&cdxj);
	strbuf_release(&pages);
	strbuf_release(&dp);
	strbuf_release(&dpd);
	strbuf_release(&created);
	return ret;
}
