/*
 * fetch: HTTP(S) transfers through libcurl's multi interface, many at once,
 * with the bytes kept exactly as received for the WARC.
 *
 * We do not let libcurl follow redirects (each hop is archived on its own)
 * nor decode content encodings (the WARC keeps the compressed body; the
 * copy is decoded later).  We do let it remove chunked transfer framing.
 * Only http and https are allowed, also for redirects.
 *
 * Usage: fetcher_init, then fetcher_add for each URL (up to the limits)
 * and fetcher_wait in a loop; every finished transfer comes back once
 * through the `done` callback, which owns nothing after it returns.
 */
#ifndef JIYUE_FETCH_H
#define JIYUE_FETCH_H

#include <stddef.h>

#include "common/strbuf.h"

struct fetch_options {
	const char *user_agent;
	long connect_timeout_s;   /* default 15 */
	long timeout_s;           /* whole transfer; default 120 */
	long low_speed_s;         /* abort below 1 KB/s for this long; default 30 */
	size_t max_size;          /* body cap in bytes; default 100 MiB */
	long per_host;            /* concurrent connections per host; default 4 */
	long total;               /* concurrent transfers overall; default 16 */
	/* "HOST:PORT:CONNECT_HOST:CONNECT_PORT" each (libcurl's CONNECT_TO):
	   connect elsewhere while the URL, the Host header and the WARC keep
	   the real host.  The strings must outlive the fetcher. */
	const char *const *connect_to;
	size_t nr_connect_to;
};

struct fetch_result {
	const char *url;
	void *ud;                 /* as given to fetcher_add */
	int curl_code;            /* 0: a response was received */
	const char *error;        /* curl's message when curl_code != 0 */
	int too_large;            /* stopped at max_size */
	long status;              /* HTTP status, 0 if none */
	const char *ip;           /* peer address, may be "" */
	long long time_us;        /* when the request started, Unix microseconds */
	struct strbuf request;    /* request line + headers as sent */
	struct strbuf head;       /* status line + headers as received (last response) */
	struct strbuf body;       /* entity body as received (still content-encoded) */
	const char *content_type; /* from the headers; NULL if none */
	const char *location;     /* raw Location header, or NULL */
	const char *content_encoding; /* or NULL */
	const char *last_modified;    /* or NULL */
};

typedef void fetch_done_fn(void *ud, struct fetch_result *res);

struct fetcher;

struct fetcher *fetcher_new(const struct fetch_options *opt, fetch_done_fn *done, void *ud);
void fetcher_free(struct fetcher *f);
/* Start fetching url; ud comes back in the result. */
void fetcher_add(struct fetcher *f, const char *url, void *ud);
/* Transfers in flight. */
size_t fetcher_running(const struct fetcher *f);
/* Make a fetcher_wait() in progress return early; safe from any thread. */
void fetcher_wakeup(struct fetcher *f);

/* Wait up to timeout_ms for progress and deliver finished transfers. */
void fetcher_wait(struct fetcher *f, int timeout_ms);

#endif
