#include "archiver/warc.h"
#include "archiver/digest.h"
#include "common/path.h"
#include "common/strbuf.h"
#include "common/strmap.h"
#include "common/xalloc.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libdeflate.h>
#define ZLIB_CONST
#include <zlib.h>

#define REVISIT_PROFILE "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
#define CONFORMS_TO "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"

/* Where a payload was first stored, for the revisits that point at it. */
struct first_copy {
	char *uri, *date, *id;
};

struct warc_writer {
	int fd;
	char *path;
	long long offset;
	int sync;
	/*
	 * payload digest -> struct first_copy.  Builders on other threads read
	 * it, the owner adds to it: under lock.  Entries are never removed, so
	 * a struct first_copy outlives the lock.
	 */
	struct strmap first;
	pthread_mutex_t lock;
	struct warc_deflater *z;  /* the owner's, for warc_write_exchange() */
};

/*
 * The compressor of one thread.  libdeflate compresses a whole buffer at
 * once, several times faster than zlib's stream for records of a few
 * kilobytes, which is what a crawl writes; the record is gathered into
 * `in` first.
 */
struct warc_deflater {
	struct libdeflate_compressor *c;
	struct strbuf in;
};

struct piece {
	const void *data;
	size_t len;
};

/* ---- small helpers ---- */

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void warc_format_date(long long time_us, struct strbuf *out)
{
	time_t secs = (time_t)(time_us / 1000000);
	long long frac = time_us % 1000000;
	struct tm tm;
	char buf[32];

	if (frac < 0) {
		frac += 1000000;
		secs--;
	}
	gmtime_r(&secs, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	strbuf_addstr(out, buf);
	if (frac)
		strbuf_addf(out, ".%06lld", frac);
	strbuf_addch(out, 'Z');
}

static void random_bytes(unsigned char *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = getrandom(buf + got, len - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("unable to get random bytes: %s", strerror(errno));
		got += (size_t)n;
	}
}

/*
 * Three record IDs per resource: each thread draws random bytes from the
 * kernel a page at a time rather than with a system call per ID.
 */
static void random_id_bytes(unsigned char *buf, size_t len)
{
	static _Thread_local unsigned char pool[4096];
	static _Thread_local size_t left;
	if (left < len) {
		random_bytes(pool, sizeof(pool));
		left = sizeof(pool);
	}
	memcpy(buf, pool + sizeof(pool) - left, len);
	memset(pool + sizeof(pool) - left, 0, len); /* used bytes are not kept */
	left -= len;
}

/* A random (version 4) UUID as a WARC-Record-ID: "<urn:uuid:...>". */
static void new_record_id(struct strbuf *out)
{
	static const char hex[] = "0123456789abcdef";
	char s[64], *p = s;
	unsigned char b[16];
	size_t i;
	random_id_bytes(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	memcpy(p, "<urn:uuid:", 10);
	p += 10;
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[b[i] >> 4];
		*p++ = hex[b[i] & 15];
	}
	*p++ = '>';
	strbuf_add(out, s, (size_t)(p - s));
}

static void add_field(struct strbuf *h, const char *name, const char *value)
{
	strbuf_addstr(h, name);
	strbuf_addstr(h, ": ");
	strbuf_addstr(h, value);
	strbuf_addstr(h, "\r\n");
}

static void start_head(struct strbuf *h, const char *type, const char *id, const char *date)
{
	strbuf_addstr(h, "WARC/1.1\r\n");
	add_field(h, "WARC-Type", type);
	add_field(h, "WARC-Record-ID", id);
	add_field(h, "WARC-Date", date);
}

struct warc_deflater *warc_deflater_new(void)
{
	struct warc_deflater *z = xcalloc(1, sizeof(*z));
	/* level 1: within 3 % of level 3's size (measured on bench-archive) at less CPU */
	z->c = libdeflate_alloc_compressor(1);
	if (!z->c)
		die("out of memory (libdeflate)");
	strbuf_init(&z->in, 0);
	return z;
}

void warc_deflater_free(struct warc_deflater *z)
{
	if (!z)
		return;
	libdeflate_free_compressor(z->c);
	strbuf_release(&z->in);
	free(z);
}

/*
 * Append one record as a gzip member: head (named fields, without
 * Content-Length), Content-Length, the block pieces, CRLF CRLF.  The gzip
 * header has no name and mtime 0: same input, same bytes.
 */
static void add_record(struct warc_deflater *z, struct strbuf *out, struct strbuf *head,
		       const struct piece *block, size_t nr)
{
	size_t i, total = 0, bound, n;

	for (i = 0; i < nr; i++)
		total += block[i].len;
	strbuf_addf(head, "Content-Length: %zu\r\n\r\n", total);
	strbuf_reset(&z->in);
	strbuf_addbuf(&z->in, head);
	for (i = 0; i < nr; i++)
		strbuf_add(&z->in, block[i].data, block[i].len);
	strbuf_add(&z->in, "\r\n\r\n", 4);
	bound = libdeflate_gzip_compress_bound(z->c, z->in.len);
	strbuf_grow(out, bound);
	n = libdeflate_gzip_compress(z->c, z->in.buf, z->in.len, out->buf + out->len, bound);
	if (!n)
		die("libdeflate: compression failed");
	strbuf_setlen(out, out->len + n);
	if (z->in.alloc > (8u << 20))
		strbuf_release(&z->in); /* do not keep a huge record's buffer */
}

static void block_digest(const struct piece *block, size_t nr, struct strbuf *out)
{
	struct digest *d = digest_new_sha1();
	size_t i;
	for (i = 0; i < nr; i++)
		digest_update(d, block[i].data, block[i].len);
	digest_finish_sha1_base32(d, out);
}

size_t warc_http_head_len(const char *block, size_t len)
{
	const char *crlf = memmem(block, len, "\r\n\r\n", 4);
	const char *lf = memmem(block, len, "\n\n", 2);
	if (crlf && (!lf || crlf < lf))
		return (size_t)(crlf - block) + 4;
	if (lf)
		return (size_t)(lf - block) + 2;
	return 0;
}

static int write_at(int fd, const char *buf, size_t len, long long off)
{
	while (len) {
		ssize_t n = pwrite(fd, buf, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

/*
 * Append buf at the end of the file.  On failure the file is cut back to
 * where it was, so that it still ends at a record boundary.
 */
static int append(struct warc_writer *w, const struct strbuf *buf, int sync, struct strbuf *err)
{
	if (write_at(w->fd, buf->buf, buf->len, w->offset) ||
	    (sync && fdatasync(w->fd))) {
		int e = errno;
		if (ftruncate(w->fd, (off_t)w->offset)) {
			/* nothing better to do: the journal still names the good end */
		}
		strbuf_addf(err, "unable to write '%s': %s", w->path, strerror(e));
		return -1;
	}
	w->offset += (long long)buf->len;
	return 0;
}

static struct warc_writer *writer_new(int fd, const char *path)
{
	struct warc_writer *w = xcalloc(1, sizeof(*w));
	w->fd = fd;
	w->path = xstrdup(path);
	strmap_init(&w->first);
	pthread_mutex_init(&w->lock, NULL);
	w->z = warc_deflater_new();
	return w;
}

static void writer_free(struct warc_writer *w)
{
	size_t i;
	for (i = 0; i < w->first.cap; i++) {
		struct first_copy *f = w->first.slots[i].val;
		if (!w->first.slots[i].key)
			continue;
		free(f->uri);
		free(f->date);
		free(f->id);
		free(f);
	}
	strmap_release(&w->first);
	pthread_mutex_destroy(&w->lock);
	warc_deflater_free(w->z);
	free(w->path);
	free(w);
}

static void remember(struct warc_writer *w, const char *digest, const char *uri,
		     const char *date, const char *id)
{
	struct first_copy *f;
	pthread_mutex_lock(&w->lock);
	if (!strmap_get(&w->first, digest)) {
		f = xmalloc(sizeof(*f));
		f->uri = xstrdup(uri);
		f->date = xstrdup(date);
		f->id = xstrdup(id);
		strmap_put_new(&w->first, digest, f);
	}
	pthread_mutex_unlock(&w->lock);
}

/* ---- writing ---- */

static int add_info_field(struct strbuf *body, const char *name, const char *value,
			  struct strbuf *err)
{
	if (!value)
		return 0;
	if (strpbrk(value, "\r\n")) {
		strbuf_addf(err, "warcinfo field '%s' holds a line break", name);
		return -1;
	}
	strbuf_addf(body, "%s: %s\r\n", name, value);
	return 0;
}

struct warc_writer *warc_create(const char *path, const struct warc_info *info,
				struct strbuf *err)
{
	static const struct warc_info none;
	struct strbuf body = STRBUF_INIT, h = STRBUF_INIT, out = STRBUF_INIT;
	struct strbuf id = STRBUF_INIT, date = STRBUF_INIT, bd = STRBUF_INIT;
	struct warc_writer *w = NULL;
	struct piece block;
	int fd;

	if (!info)
		info = &none;
	if (add_info_field(&body, "software", info->software, err) ||
	    add_info_field(&body, "format", info->format ? info->format : "WARC File Format 1.1", err) ||
	    add_info_field(&body, "conformsTo", CONFORMS_TO, err) ||
	    add_info_field(&body, "operator", info->operator_, err) ||
	    add_info_field(&body, "isPartOf", info->is_part_of, err) ||
	    add_info_field(&body, "description", info->description, err))
		goto out;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		strbuf_addf(err, "unable to create '%s': %s", path, strerror(errno));
		goto out;
	}
	w = writer_new(fd, path);

	new_record_id(&id);
	warc_format_date(info->time_us ? info->time_us : now_us(), &date);
	block.data = body.buf;
	block.len = body.len;
	block_digest(&block, 1, &bd);
	start_head(&h, "warcinfo", id.buf, date.buf);
	add_field(&h, "WARC-Filename", path_basename(path));
	add_field(&h, "WARC-Block-Digest", bd.buf);
	add_field(&h, "Content-Type", "application/warc-fields");
	add_record(w->z, &out, &h, &block, 1);
	if (append(w, &out, 0, err)) {
		close(w->fd);
		unlink(path);
		writer_free(w);
		w = NULL;
	}
out:
	strbuf_release(&body);
	strbuf_release(&h);
	strbuf_release(&out);
	strbuf_release(&id);
	strbuf_release(&date);
	strbuf_release(&bd);
	return w;
}

static int check_exchange(const struct warc_exchange *x, struct strbuf *err)
{
	const char *u = x->target_uri, *p;
	size_t i;

	if (!u || !*u) {
		strbuf_addstr(err, "exchange without a target URI");
		return -1;
	}
	/* WARC 1.1: an RFC 3986 URI, no whitespace, no angle brackets. */
	for (p = u; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    *p == '<' || *p == '>' || *p == '"')
			break;
	if (*p || !strchr(u, ':')) {
		strbuf_addf(err, "target URI '%s' is not absolute ASCII with percent-encoding", u);
		return -1;
	}
	if (x->ip && *x->ip) {
		if (strlen(x->ip) > 45 || x->ip[strspn(x->ip, "0123456789abcdefABCDEF.:")]) {
			strbuf_addf(err, "IP address '%s' of '%s' is not numeric", x->ip, u);
			return -1;
		}
	}
	if (x->time_us <= 0) {
		strbuf_addf(err, "no fetch time for '%s'", u);
		return -1;
	}
	if (!x->resp_head || x->resp_head_len < 5 || memcmp(x->resp_head, "HTTP/", 5) ||
	    warc_http_head_len(x->resp_head, x->resp_head_len) != x->resp_head_len) {
		strbuf_addf(err, "response of '%s' is not an HTTP status line and headers "
			    "ending with an empty line", u);
		return -1;
	}
	if (!x->request || !warc_http_head_len(x->request, x->request_len)) {
		strbuf_addf(err, "request of '%s' has no complete HTTP head", u);
		return -1;
	}
	if (x->body_len && !x->body) {
		strbuf_addf(err, "body of '%s' is missing", u);
		return -1;
	}
	if (x->truncated && (!*x->truncated || x->truncated[strspn(x->truncated,
				"abcdefghijklmnopqrstuvwxyz")])) {
		strbuf_addf(err, "truncation reason '%s' of '%s' is not a token", x->truncated, u);
		return -1;
	}
	for (i = 0; i < x->nr_outlinks; i++) {
		const char *l = x->outlinks[i];
		if (!l || !*l || strpbrk(l, "\r\n")) {
			strbuf_addf(err, "outlink %zu of '%s' is empty or holds a line break", i, u);
			return -1;
		}
	}
	return 0;
}

/* The response head, with Transfer-Encoding renamed (see warc.h). */
static void stored_head(const char *head, size_t len, struct strbuf *out)
{
	static const char te[] = "transfer-encoding:";
	const char *p = head, *end = head + len;
	int first = 1;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t l = eol ? (size_t)(eol - p) + 1 : (size_t)(end - p);
		if (!first && l >= sizeof(te) - 1 && !strncasecmp(p, te, sizeof(te) - 1))
			strbuf_addstr(out, "X-Crawler-");
		strbuf_add(out, p, l);
		p += l;
		first = 0;
	}
}

void warc_built_init(struct warc_built *b)
{
	memset(b, 0, sizeof(*b));
	strbuf_init(&b->out, 0);
}

void warc_built_release(struct warc_built *b)
{
	strbuf_release(&b->out);
	free(b->uri);
	free(b->date);
	free(b->resp_id);
	memset(b, 0, sizeof(*b));
}

/* The first copy of a payload already in the file, or NULL. */
static const struct first_copy *first_copy_of(struct warc_writer *w, const char *digest)
{
	const struct first_copy *f;
	pthread_mutex_lock(&w->lock);
	f = strmap_get(&w->first, digest);
	pthread_mutex_unlock(&w->lock);
	return f;
}

/* The response, or a revisit of first; its gzip member goes to b->out. */
static void build_response(struct warc_deflater *z, const struct warc_exchange *x,
			   const struct first_copy *first, const char *ip, struct warc_built *b)
{
	struct strbuf h = STRBUF_INIT, head = STRBUF_INIT, bd = STRBUF_INIT;
	struct piece block[2];

	stored_head(x->resp_head, x->resp_head_len, &head);
	block[0].data = head.buf;
	block[0].len = head.len;
	block[1].data = x->body;
	block[1].len = first ? 0 : x->body_len;
	block_digest(block, 2, &bd);
	start_head(&h, first ? "revisit" : "response", b->resp_id, b->date);
	add_field(&h, "WARC-Target-URI", x->target_uri);
	if (ip)
		add_field(&h, "WARC-IP-Address", ip);
	if (first) {
		add_field(&h, "WARC-Profile", REVISIT_PROFILE);
		add_field(&h, "WARC-Refers-To", first->id);
		add_field(&h, "WARC-Refers-To-Target-URI", first->uri);
		add_field(&h, "WARC-Refers-To-Date", first->date);
		/* WARC 1.1 6.7.2: identical-digest truncation is marked "length". */
		add_field(&h, "WARC-Truncated", "length");
	} else if (x->truncated) {
		add_field(&h, "WARC-Truncated", x->truncated);
	}
	add_field(&h, "WARC-Block-Digest", bd.buf);
	add_field(&h, "WARC-Payload-Digest", b->digest);
	add_field(&h, "Content-Type", "application/http;msgtype=response");
	add_record(z, &b->out, &h, block, 2);
	strbuf_release(&h);
	strbuf_release(&head);
	strbuf_release(&bd);
}

static void build_request(struct warc_deflater *z, const struct warc_exchange *x,
			  const char *ip, struct warc_built *b)
{
	struct strbuf h = STRBUF_INIT, id = STRBUF_INIT, bd = STRBUF_INIT;
	struct piece block;
	size_t req_head = warc_http_head_len(x->request, x->request_len);

	new_record_id(&id);
	block.data = x->request;
	block.len = x->request_len;
	block_digest(&block, 1, &bd);
	start_head(&h, "request", id.buf, b->date);
	add_field(&h, "WARC-Target-URI", x->target_uri);
	if (ip)
		add_field(&h, "WARC-IP-Address", ip);
	add_field(&h, "WARC-Concurrent-To", b->resp_id);
	add_field(&h, "WARC-Block-Digest", bd.buf);
	strbuf_reset(&bd);
	digest_sha1_base32(x->request + req_head, x->request_len - req_head, &bd);
	add_field(&h, "WARC-Payload-Digest", bd.buf);
	add_field(&h, "Content-Type", "application/http;msgtype=request");
	add_record(z, &b->out, &h, &block, 1);
	strbuf_release(&h);
	strbuf_release(&id);
	strbuf_release(&bd);
}

/* metadata: the links found, as Heritrix writes them */
static void build_metadata(struct warc_deflater *z, const struct warc_exchange *x,
			   struct warc_built *b)
{
	struct strbuf h = STRBUF_INIT, id = STRBUF_INIT, bd = STRBUF_INIT, meta = STRBUF_INIT;
	struct piece block;
	size_t i;

	for (i = 0; i < x->nr_outlinks; i++) {
		const char *hop = " L a/@href\r\n";
		if (strchr(x->outlinks[i], ' '))
			hop = "\r\n";
		else if (x->outlink_embed)
			hop = x->outlink_embed[i] ? " E =EMBED_MISC\r\n" : " L =NAVLINK_MISC\r\n";
		strbuf_addstr(&meta, "outlink: ");
		strbuf_addstr(&meta, x->outlinks[i]);
		strbuf_addstr(&meta, hop);
	}
	new_record_id(&id);
	block.data = meta.buf;
	block.len = meta.len;
	block_digest(&block, 1, &bd);
	start_head(&h, "metadata", id.buf, b->date);
	add_field(&h, "WARC-Target-URI", x->target_uri);
	add_field(&h, "WARC-Concurrent-To", b->resp_id);
	add_field(&h, "WARC-Block-Digest", bd.buf);
	add_field(&h, "Content-Type", "application/warc-fields");
	add_record(z, &b->out, &h, &block, 1);
	strbuf_release(&h);
	strbuf_release(&id);
	strbuf_release(&bd);
	strbuf_release(&meta);
}

int warc_build_exchange(struct warc_writer *w, struct warc_deflater *z,
			const struct warc_exchange *x, struct warc_built *b, struct strbuf *err)
{
	const struct first_copy *first = NULL;
	const char *ip = x->ip && *x->ip ? x->ip : NULL;
	struct strbuf sb = STRBUF_INIT;

	if (check_exchange(x, err))
		return -1;
	warc_format_date(x->time_us, &sb);
	b->date = strbuf_detach(&sb, NULL);
	digest_sha1_base32(x->body, x->body_len, &sb);
	snprintf(b->digest, sizeof(b->digest), "%s", sb.buf);
	strbuf_release(&sb);
	new_record_id(&sb);
	b->resp_id = strbuf_detach(&sb, NULL);
	b->uri = xstrdup(x->target_uri);
	/*
	 * Only a complete, non-empty payload is worth pointing at: a revisit of
	 * an empty body saves nothing and one of a cut body would lie.
	 */
	b->worth_remembering = x->body_len && !x->truncated;
	if (b->worth_remembering)
		first = first_copy_of(w, b->digest);
	b->revisit = !!first;
	build_response(z, x, first, ip, b);
	b->resp_len = (long long)b->out.len;
	build_request(z, x, ip, b);
	if (x->nr_outlinks)
		build_metadata(z, x, b);
	return 0;
}

int warc_append_built(struct warc_writer *w, const struct warc_built *b,
		      struct warc_result *res, struct strbuf *err)
{
	long long start = w->offset;
	if (append(w, &b->out, w->sync, err))
		return -1;
	if (!b->revisit && b->worth_remembering)
		remember(w, b->digest, b->uri, b->date, b->resp_id);
	if (res) {
		res->offset = start;
		res->length = b->resp_len;
		snprintf(res->digest, sizeof(res->digest), "%s", b->digest);
		res->revisit = b->revisit;
	}
	return 0;
}

int warc_write_exchange(struct warc_writer *w, const struct warc_exchange *x,
			struct warc_result *res, struct strbuf *err)
{
	struct warc_built b;
	int ret;
	warc_built_init(&b);
	ret = warc_build_exchange(w, w->z, x, &b, err);
	if (!ret)
		ret = warc_append_built(w, &b, res, err);
	warc_built_release(&b);
	return ret;
}

long long warc_offset(const struct warc_writer *w)
{
	return w->offset;
}

void warc_set_sync(struct warc_writer *w, int on)
{
	w->sync = on;
}

int warc_sync(struct warc_writer *w, struct strbuf *err)
{
	if (fdatasync(w->fd) && errno != EINVAL) {
		strbuf_addf(err, "unable to flush '%s': %s", w->path, strerror(errno));
		return -1;
	}
	return 0;
}

int warc_close(struct warc_writer *w, struct strbuf *err)
{
	int ret;
	if (!w)
		return 0;
	ret = warc_sync(w, err);
	if (close(w->fd) && !ret) {
		strbuf_addf(err, "unable to close '%s': %s", w->path, strerror(errno));
		ret = -1;
	}
	writer_free(w);
	return ret;
}

/* ---- reading ---- */

struct rd {
	int fd;
	const char *path;
	long long limit;     /* read no further than this; -1: to the end */
	long long pos;       /* bytes read so far */
	unsigned char in[65536];
	warc_record_fn *fn;
	void *ud;
	struct strbuf *err;
	struct strbuf rec;
	struct warc_header *hdrs;
	size_t nr_hdrs, alloc_hdrs;
};

static ssize_t rd_fill(struct rd *r)
{
	size_t want = sizeof(r->in);
	ssize_t n;
	if (r->limit >= 0) {
		if (r->pos >= r->limit)
			return 0;
		if ((long long)want > r->limit - r->pos)
			want = (size_t)(r->limit - r->pos);
	}
	do
		n = read(r->fd, r->in, want);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		strbuf_addf(r->err, "unable to read '%s': %s", r->path, strerror(errno));
		return -1;
	}
	r->pos += n;
	return n;
}

const char *warc_record_header(const struct warc_record *r, const char *name)
{
	size_t i;
	for (i = 0; i < r->nr_headers; i++)
		if (!strcasecmp(r->headers[i].name, name))
			return r->headers[i].value;
	return NULL;
}

static void trim(char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' || (*s)[*len - 1] == '\r'))
		(*len)--;
}

static int bad(struct rd *r, long long off, const char *what)
{
	strbuf_addf(r->err, "'%s': the record at offset %lld %s", r->path, off, what);
	return -1;
}

/* Does a sha1 WARC-Block-Digest (base32, or hex as some tools write it) match? */
static int block_digest_ok(const char *want, const char *block, size_t len)
{
	struct strbuf got = STRBUF_INIT;
	size_t n;
	int ok = 1;
	if (strncasecmp(want, "sha1:", 5))
		return 1; /* another algorithm: not ours to check */
	n = strlen(want + 5);
	if (n == 32) {
		digest_sha1_base32(block, len, &got);
		ok = !strcasecmp(got.buf, want);
	} else if (n == 40) {
		struct digest *d = digest_new_sha1();
		digest_update(d, block, len);
		digest_finish_hex(d, &got);
		ok = !strcasecmp(got.buf, want + 5);
	}
	strbuf_release(&got);
	return ok;
}

/*
 * Parse the record at buf (modified in place: header names and values are
 * NUL-terminated there) and set *used to its size, CRLF CRLF included.
 */
static int parse_record(struct rd *r, char *buf, size_t len, long long off,
			struct warc_record *rec, size_t *used)
{
	char *p = buf, *end = buf + len, *eol, *prev_end = NULL;
	const char *cl;
	unsigned long long clen;
	size_t l, i;

	memset(rec, 0, sizeof(*rec));
	eol = memchr(p, '\n', len);
	if (len < 5 || memcmp(p, "WARC/", 5) || !eol)
		return bad(r, off, "does not start with a WARC version line");
	l = (size_t)(eol - p);
	if (l && p[l - 1] == '\r')
		l--;
	p[l] = '\0';
	rec->version = p;
	p = eol + 1;
	r->nr_hdrs = 0;
	for (;;) {
		char *name, *value, *colon;
		size_t nl, vl;
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			return bad(r, off, "has no end of its named fields");
		l = (size_t)(eol - p);
		if (l && p[l - 1] == '\r')
			l--;
		if (!l) {
			p = eol + 1;
			break;
		}
		if (*p == ' ' || *p == '\t') {
			/* a folded line continues the previous value */
			value = p;
			vl = l;
			trim(&value, &vl);
			if (!prev_end)
				return bad(r, off, "starts with a continuation line");
			*prev_end = ' ';
			memmove(prev_end + 1, value, vl);
			prev_end += 1 + vl;
			*prev_end = '\0';
			p = eol + 1;
			continue;
		}
		colon = memchr(p, ':', l);
		if (!colon)
			return bad(r, off, "has a named field without ':'");
		name = p;
		nl = (size_t)(colon - p);
		trim(&name, &nl);
		value = colon + 1;
		vl = (size_t)(p + l - value);
		trim(&value, &vl);
		name[nl] = '\0';
		value[vl] = '\0';
		prev_end = value + vl;
		ALLOC_GROW(r->hdrs, r->nr_hdrs + 1, r->alloc_hdrs);
		r->hdrs[r->nr_hdrs].name = name;
		r->hdrs[r->nr_hdrs].value = value;
		r->nr_hdrs++;
		p = eol + 1;
	}
	rec->headers = r->hdrs;
	rec->nr_headers = r->nr_hdrs;

	cl = warc_record_header(rec, "Content-Length");
	if (!cl || !*cl || cl[strspn(cl, "0123456789")] || strlen(cl) > 18)
		return bad(r, off, "has no valid Content-Length");
	clen = strtoull(cl, NULL, 10);
	if (clen > (unsigned long long)(end - p) || (size_t)(end - p) - clen < 4)
		return bad(r, off, "is cut short");
	rec->block = p;
	rec->block_len = (size_t)clen;
	if (memcmp(p + clen, "\r\n\r\n", 4))
		return bad(r, off, "is not followed by CRLF CRLF (wrong Content-Length?)");
	*used = (size_t)(p - buf) + (size_t)clen + 4;

	for (i = 0; i < rec->nr_headers; i++) {
		const char *n = rec->headers[i].name, *v = rec->headers[i].value;
		const char **slot = NULL;
		if (!strcasecmp(n, "WARC-Type"))
			slot = &rec->type;
		else if (!strcasecmp(n, "WARC-Target-URI"))
			slot = &rec->target_uri;
		else if (!strcasecmp(n, "WARC-Date"))
			slot = &rec->date;
		else if (!strcasecmp(n, "WARC-Record-ID"))
			slot = &rec->record_id;
		else if (!strcasecmp(n, "WARC-Payload-Digest"))
			slot = &rec->payload_digest;
		else if (!strcasecmp(n, "Content-Type"))
			slot = &rec->content_type;
		if (slot && !*slot)
			*slot = v;
	}
	{
		const char *want = warc_record_header(rec, "WARC-Block-Digest");
		if (want && !block_digest_ok(want, rec->block, rec->block_len))
			return bad(r, off, "does not match its WARC-Block-Digest");
	}
	return 0;
}

/* One gzip member's record, decompressed into r->rec: hand it to the callback. */
static int member_record(struct rd *r, long long member, long long len)
{
	struct warc_record rec;
	size_t used;
	if (parse_record(r, r->rec.buf, r->rec.len, member, &rec, &used))
		return -1;
	if (used != r->rec.len) {
		strbuf_addf(r->err, "'%s': the gzip member at offset %lld holds more "
			    "than one record", r->path, member);
		return -1;
	}
	rec.offset = member;
	rec.length = len;
	return r->fn(r->ud, &rec);
}

static int read_gzip(struct rd *r, size_t have, long long start)
{
	z_stream zs;
	long long member = start;
	int in_member = 0, ret = 0;
	const uInt chunk = 65536;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		die("out of memory (zlib)");
	zs.next_in = r->in;
	zs.avail_in = (uInt)have;
	for (;;) {
		int z;
		if (!zs.avail_in) {
			ssize_t n = rd_fill(r);
			if (n < 0) {
				ret = -1;
				break;
			}
			if (!n) {
				if (in_member) {
					strbuf_addf(r->err, "'%s' ends inside the gzip member at offset %lld "
						    "(a torn record?)", r->path, member);
					ret = -1;
				}
				break;
			}
			zs.next_in = r->in;
			zs.avail_in = (uInt)n;
		}
		in_member = 1;
		strbuf_grow(&r->rec, chunk);
		zs.next_out = (Bytef *)r->rec.buf + r->rec.len;
		zs.avail_out = chunk;
		z = inflate(&zs, Z_NO_FLUSH);
		strbuf_setlen(&r->rec, r->rec.len + (chunk - zs.avail_out));
		if (z == Z_STREAM_END) {
			long long len = (long long)zs.total_in;
			/* Empty members (some tools pad with them) hold no record. */
			if (r->rec.len && (ret = member_record(r, member, len)))
				break;
			member += len;
			strbuf_reset(&r->rec);
			inflateReset(&zs);
			in_member = 0;
			continue;
		}
		if (z == Z_BUF_ERROR && !zs.avail_in)
			continue;
		if (z != Z_OK) {
			strbuf_addf(r->err, "'%s': corrupt gzip data in the member at offset %lld",
				    r->path, member);
			ret = -1;
			break;
		}
	}
	inflateEnd(&zs);
	return ret;
}

static int read_plain(struct rd *r, size_t have)
{
	size_t pos = 0;
	ssize_t n;
	strbuf_add(&r->rec, r->in, have);
	while ((n = rd_fill(r)) > 0)
		strbuf_add(&r->rec, r->in, (size_t)n);
	if (n < 0)
		return -1;
	while (pos < r->rec.len) {
		struct warc_record rec;
		size_t used;
		int ret;
		/* Blank lines between records are tolerated, as other readers do. */
		if (r->rec.buf[pos] == '\r' || r->rec.buf[pos] == '\n') {
			pos++;
			continue;
		}
		if (parse_record(r, r->rec.buf + pos, r->rec.len - pos, (long long)pos, &rec, &used))
			return -1;
		rec.offset = (long long)pos;
		rec.length = (long long)used;
		ret = r->fn(r->ud, &rec);
		if (ret)
			return ret;
		pos += used;
	}
	return 0;
}

/* Read the records in the first limit bytes of fd (-1: all). */
/*
 * The members of a mapped .warc.gz, each decompressed whole by libdeflate
 * (several times faster than zlib's stream).  *done is set to where this
 * stopped; at anything libdeflate does not take (a torn or corrupt member),
 * it returns 1 and the zlib reader carries on from there with its precise
 * messages.  Clean pages are dropped from memory as it goes.
 */
static int read_gzip_mapped(struct rd *r, const unsigned char *map, size_t end, size_t *done)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	size_t off = 0, cap = 1u << 20, dropped = 0, page = (size_t)sysconf(_SC_PAGESIZE);
	int ret = 0;

	if (!d)
		die("out of memory (libdeflate)");
	while (off < end && !ret) {
		size_t in_used = 0, out_used = 0;
		enum libdeflate_result z;
		strbuf_grow(&r->rec, cap);
		z = libdeflate_gzip_decompress_ex(d, map + off, end - off, r->rec.buf, cap,
						  &in_used, &out_used);
		if (z == LIBDEFLATE_INSUFFICIENT_SPACE && cap < ((size_t)1 << 40)) {
			strbuf_reset(&r->rec);
			cap *= 2;
			continue;
		}
		if (z != LIBDEFLATE_SUCCESS) {
			ret = 1;
			break;
		}
		strbuf_setlen(&r->rec, out_used);
		/* Empty members (some tools pad with them) hold no record. */
		if (out_used)
			ret = member_record(r, (long long)off, (long long)in_used);
		strbuf_reset(&r->rec);
		off += in_used;
		if (off - dropped >= (8u << 20)) {
			size_t upto = off / page * page;
			madvise((void *)(map + dropped), upto - dropped, MADV_DONTNEED);
			dropped = upto;
		}
	}
	libdeflate_free_decompressor(d);
	*done = off;
	return ret;
}

/* A regular gzipped file: mapped and read with libdeflate, then zlib for what is left. */
static int read_gzip_file(struct rd *r)
{
	struct stat st;
	size_t end, done = 0;
	void *map;
	ssize_t n;
	int ret;

	if (fstat(r->fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0)
		return -2;
	end = (size_t)st.st_size;
	if (r->limit >= 0 && (size_t)r->limit < end)
		end = (size_t)r->limit;
	map = mmap(NULL, end, PROT_READ, MAP_PRIVATE, r->fd, 0);
	if (map == MAP_FAILED)
		return -2;
	madvise(map, end, MADV_SEQUENTIAL);
	ret = read_gzip_mapped(r, map, end, &done);
	munmap(map, end);
	if (ret != 1)
		return ret;
	/* the zlib reader from the member libdeflate did not take */
	if (lseek(r->fd, (off_t)done, SEEK_SET) < 0) {
		strbuf_addf(r->err, "unable to read '%s': %s", r->path, strerror(errno));
		return -1;
	}
	r->pos = (long long)done;
	strbuf_reset(&r->rec);
	n = rd_fill(r);
	if (n < 0)
		return -1;
	return read_gzip(r, (size_t)n, (long long)done);
}

static int read_fd(int fd, const char *path, long long limit, warc_record_fn *fn, void *ud,
		   struct strbuf *err)
{
	struct rd *r = xcalloc(1, sizeof(*r));
	ssize_t n;
	int ret;

	r->fd = fd;
	r->path = path;
	r->limit = limit;
	r->fn = fn;
	r->ud = ud;
	r->err = err;
	strbuf_init(&r->rec, 0);
	n = rd_fill(r);
	if (n < 0)
		ret = -1;
	else if (n >= 2 && r->in[0] == 0x1f && r->in[1] == 0x8b) {
		ret = read_gzip_file(r);
		if (ret == -2) /* not a mappable file: the stream as it comes */
			ret = read_gzip(r, (size_t)n, 0);
	}
	else
		ret = read_plain(r, (size_t)n);
	strbuf_release(&r->rec);
	free(r->hdrs);
	free(r);
	return ret;
}

int warc_read(const char *path, warc_record_fn *fn, void *ud, struct strbuf *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;
	if (fd < 0) {
		strbuf_addf(err, "unable to open '%s': %s", path, strerror(errno));
		return -1;
	}
	ret = read_fd(fd, path, -1, fn, ud, err);
	close(fd);
	return ret;
}

/* ---- resuming ---- */

static int learn(void *ud, const struct warc_record *r)
{
	struct warc_writer *w = ud;
	size_t head;
	if (!r->type || strcmp(r->type, "response") || !r->payload_digest ||
	    !r->target_uri || !r->date || !r->record_id ||
	    warc_record_header(r, "WARC-Truncated"))
		return 0;
	head = warc_http_head_len(r->block, r->block_len);
	if (head && head < r->block_len)
		remember(w, r->payload_digest, r->target_uri, r->date, r->record_id);
	return 0;
}

struct first_end {
	long long end;
};

static int first_warcinfo(void *ud, const struct warc_record *r)
{
	struct first_end *fe = ud;
	if (r->type && !strcmp(r->type, "warcinfo"))
		fe->end = r->offset + r->length;
	return 1;
}

struct warc_writer *warc_reopen(const char *path, long long offset, struct strbuf *err)
{
	struct warc_writer *w;
	unsigned char magic[2];
	struct stat st;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		strbuf_addf(err, "unable to open '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st)) {
		strbuf_addf(err, "unable to open '%s': %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (offset < 0 || offset > (long long)st.st_size) {
		strbuf_addf(err, "cannot resume '%s' at offset %lld: it has %lld bytes",
			    path, offset, (long long)st.st_size);
		close(fd);
		return NULL;
	}
	if (st.st_size && (pread(fd, magic, 2, 0) != 2 || magic[0] != 0x1f || magic[1] != 0x8b)) {
		strbuf_addf(err, "cannot resume '%s': it is not a gzip-compressed WARC", path);
		close(fd);
		return NULL;
	}
	if (!offset) {
		/* Keep the warcinfo record of warc_create() if it is whole. */
		struct first_end fe = { 0 };
		struct strbuf ignored = STRBUF_INIT;
		read_fd(fd, path, -1, first_warcinfo, &fe, &ignored);
		strbuf_release(&ignored);
		offset = fe.end;
	}
	w = writer_new(fd, path);
	/* Check what is kept, and learn its payloads, before cutting anything. */
	if (read_fd(fd, path, offset, learn, w, err)) {
		strbuf_addf(err, "; cannot resume at offset %lld", offset);
		goto fail;
	}
	if ((long long)st.st_size > offset && ftruncate(fd, (off_t)offset)) {
		strbuf_addf(err, "unable to truncate '%s': %s", path, strerror(errno));
		goto fail;
	}
	w->offset = offset;
	return w;
fail:
	close(fd);
	writer_free(w);
	return NULL;
}
