/*
 * feeds: sitemap.xml and the RSS feed (index.xml), written with libxml2's
 * xmlTextWriter, never by hand, so every title is escaped correctly.
 * Deterministic: no build timestamps; dates come from the pages.
 */
#ifndef JIYUE_FEEDS_H
#define JIYUE_FEEDS_H

#include <stddef.h>

struct page;
struct site_config;
struct strbuf;

#define FEED_ITEMS 20

/* pages: every published page in site order.  Returns 0 or -1 (libxml2 failed). */
int feeds_sitemap(const struct site_config *cfg, struct page **pages, size_t nr,
		  struct strbuf *out);
/* newest: articles newest first (at most FEED_ITEMS are used). */
int feeds_rss(const struct site_config *cfg, struct page **newest, size_t nr,
	      struct strbuf *out);

#endif
