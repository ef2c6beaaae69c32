#include "archiver/fetch.h"
#include "common/xalloc.h"

#include <curl/curl.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

struct transfer {
	CURL *easy;
	struct curl_slist *headers;
	struct fetch_result res;
	char *url;
	char *ip;
	char *content_type, *location, *content_encoding, *last_modified;
	size_t max_size;
};

struct fetcher {
	CURLM *multi;
	struct fetch_options opt;
	struct curl_slist *connect_to;
	fetch_done_fn *done;
	void *ud;
	size_t running;
};

static long long now_us(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t len = size * n;
	if (t->res.body.len + len > t->max_size) {
		t->res.too_large = 1;
		return 0; /* abort the transfer */
	}
	strbuf_add(&t->res.body, data, len);
	return len;
}

/* A header value of the last response, without trailing CR LF. */
static char *header_value(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);
	if (len <= n || strncasecmp(line, name, n) || line[n] != ':')
		return NULL;
	line += n + 1;
	len -= n + 1;
	while (len && (*line == ' ' || *line == '\t'))
		line++, len--;
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n' || line[len - 1] == ' '))
		len--;
	return xstrndup(line, len);
}

static void set_header(char **slot, char *v)
{
	if (!v)
		return;
	free(*slot);
	*slot = v;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t len = size * n;
	if (len >= 5 && !memcmp(data, "HTTP/", 5)) {
		/* a new response (after 100 Continue, say): keep only the last */
		strbuf_reset(&t->res.head);
	}
	strbuf_add(&t->res.head, data, len);
	set_header(&t->content_type, header_value(data, len, "Content-Type"));
	set_header(&t->location, header_value(data, len, "Location"));
	set_header(&t->content_encoding, header_value(data, len, "Content-Encoding"));
	set_header(&t->last_modified, header_value(data, len, "Last-Modified"));
	return len;
}

/* The request as sent, for the WARC's request record. */
static int on_debug(CURL *easy, curl_infotype type, char *data, size_t size, void *arg)
{
	struct transfer *t = arg;
	(void)easy;
	if (type == CURLINFO_HEADER_OUT)
		strbuf_add(&t->res.request, data, size);
	return 0;
}

struct fetcher *fetcher_new(const struct fetch_options *opt, fetch_done_fn *done, void *ud)
{
	struct fetcher *f = xcalloc(1, sizeof(*f));
	size_t i;
	f->opt = *opt;
	if (!f->opt.connect_timeout_s)
		f->opt.connect_timeout_s = 15;
	if (!f->opt.timeout_s)
		f->opt.timeout_s = 120;
	if (!f->opt.low_speed_s)
		f->opt.low_speed_s = 30;
	if (!f->opt.max_size)
		f->opt.max_size = 100u << 20;
	if (!f->opt.per_host)
		f->opt.per_host = 4;
	if (!f->opt.total)
		f->opt.total = 16;
	f->done = done;
	f->ud = ud;
	for (i = 0; i < opt->nr_connect_to; i++)
		f->connect_to = curl_slist_append(f->connect_to, opt->connect_to[i]);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	f->multi = curl_multi_init();
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, f->opt.per_host);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, f->opt.total);
	curl_multi_setopt(f->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	return f;
}

void fetcher_free(struct fetcher *f)
{
	if (!f)
		return;
	curl_multi_cleanup(f->multi);
	curl_slist_free_all(f->connect_to);
	free(f);
}

static void setup_easy(struct fetcher *f, struct transfer *t)
{
	CURL *e = curl_easy_init();
	if (!e)
		die("unable to create a curl handle");
	t->easy = e;
	curl_easy_setopt(e, CURLOPT_URL, t->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	/* the WARC holds real HTTP/1.1 messages, not curl's rendering of HTTP/2 */
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(e, CURLOPT_HTTP_CONTENT_DECODING, 0L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->opt.user_agent);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, f->opt.connect_timeout_s);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, f->opt.timeout_s);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, f->opt.low_speed_s);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(e, CURLOPT_DEBUGDATA, t);
	curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	if (f->connect_to)
		curl_easy_setopt(e, CURLOPT_CONNECT_TO, f->connect_to);
	/* compressed transfer, but the bytes stay as the server sent them */
	t->headers = curl_slist_append(NULL, "Accept-Encoding: gzip, deflate");
	t->headers = curl_slist_append(t->headers, "Accept: text/html,application/xhtml+xml,*/*;q=0.8");
	t->headers = curl_slist_append(t->headers, "Accept-Language: zh-CN,zh;q=0.9");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
}

void fetcher_add(struct fetcher *f, const char *url, void *ud)
{
	struct transfer *t = xcalloc(1, sizeof(*t));
	t->url = xstrdup(url);
	t->max_size = f->opt.max_size;
	t->res.ud = ud;
	strbuf_init(&t->res.request, 0);
	strbuf_init(&t->res.head, 0);
	strbuf_init(&t->res.body, 0);
	t->res.time_us = now_us();
	setup_easy(f, t);
	if (curl_multi_add_handle(f->multi, t->easy) != CURLM_OK)
		die("unable to start a transfer of '%s'", url);
	f->running++;
}

size_t fetcher_running(const struct fetcher *f)
{
	return f->running;
}

static void transfer_free(struct transfer *t)
{
	curl_slist_free_all(t->headers);
	curl_easy_cleanup(t->easy);
	strbuf_release(&t->res.request);
	strbuf_release(&t->res.head);
	strbuf_release(&t->res.body);
	free(t->url);
	free(t->ip);
	free(t->content_type);
	free(t->location);
	free(t->content_encoding);
	free(t->last_modified);
	free(t);
}

static void finish(struct fetcher *f, CURL *e, CURLcode code)
{
	struct transfer *t;
	char *ip = NULL;
	curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&t);
	curl_multi_remove_handle(f->multi, e);
	f->running--;
	t->res.url = t->url;
	t->res.curl_code = t->res.too_large ? CURLE_WRITE_ERROR : (int)code;
	t->res.error = t->res.too_large ? "larger than the size cap" :
		       code ? curl_easy_strerror(code) : NULL;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &t->res.status);
	curl_easy_getinfo(e, CURLINFO_PRIMARY_IP, &ip);
	t->ip = xstrdup(ip ? ip : "");
	t->res.ip = t->ip;
	t->res.content_type = t->content_type;
	t->res.location = t->location;
	t->res.content_encoding = t->content_encoding;
	t->res.last_modified = t->last_modified;
	f->done(f->ud, &t->res);
	transfer_free(t);
}

void fetcher_wakeup(struct fetcher *f)
{
	curl_multi_wakeup(f->multi);
}

void fetcher_wait(struct fetcher *f, int timeout_ms)
{
	int still, left;
	CURLMsg *msg;
	curl_multi_perform(f->multi, &still);
	curl_multi_poll(f->multi, NULL, 0, timeout_ms, NULL);
	curl_multi_perform(f->multi, &still);
	while ((msg = curl_multi_info_read(f->multi, &left))) {
		if (msg->msg == CURLMSG_DONE)
			finish(f, msg->easy_handle, msg->data.result);
	}
}
