#include "gen/feeds.h"
#include "gen/content.h"
#include "gen/site.h"
#include "common/date.h"
#include "common/strbuf.h"

#include <libxml/xmlwriter.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))

static void absolute_url(const struct site_config *cfg, const struct page *p, struct strbuf *sb)
{
	strbuf_reset(sb);
	strbuf_addstr(sb, cfg->base_url);
	strbuf_addstr(sb, p->rel);
}

static int finish(xmlTextWriterPtr w, xmlBufferPtr buf, int rc, struct strbuf *out)
{
	if (rc >= 0)
		rc = xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	if (rc >= 0)
		strbuf_add(out, xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
	xmlBufferFree(buf);
	return rc < 0 ? -1 : 0;
}

int feeds_sitemap(const struct site_config *cfg, struct page **pages, size_t nr,
		  struct strbuf *out)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int rc;

	xmlTextWriterSetIndent(w, 1);
	rc = xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	if (rc >= 0)
		rc = xmlTextWriterStartElement(w, X("urlset"));
	if (rc >= 0)
		rc = xmlTextWriterWriteAttribute(w, X("xmlns"),
						 X("http://www.sitemaps.org/schemas/sitemap/0.9"));
	for (i = 0; rc >= 0 && i < nr; i++) {
		absolute_url(cfg, pages[i], &sb);
		rc = xmlTextWriterStartElement(w, X("url"));
		if (rc >= 0)
			rc = xmlTextWriterWriteElement(w, X("loc"), X(sb.buf));
		if (rc >= 0 && pages[i]->has_date) {
			strbuf_reset(&sb);
			date_fmt_iso(&pages[i]->date, &sb);
			rc = xmlTextWriterWriteElement(w, X("lastmod"), X(sb.buf));
		}
		if (rc >= 0)
			rc = xmlTextWriterEndElement(w);
	}
	if (rc >= 0)
		rc = xmlTextWriterEndElement(w);
	strbuf_release(&sb);
	return finish(w, buf, rc, out);
}

static int rss_item(xmlTextWriterPtr w, const struct site_config *cfg,
		    const struct page *p, struct strbuf *sb)
{
	int rc = xmlTextWriterStartElement(w, X("item"));
	if (rc >= 0)
		rc = xmlTextWriterWriteElement(w, X("title"), X(p->title));
	absolute_url(cfg, p, sb);
	if (rc >= 0)
		rc = xmlTextWriterWriteElement(w, X("link"), X(sb->buf));
	if (rc >= 0)
		rc = xmlTextWriterWriteElement(w, X("guid"), X(sb->buf));
	if (rc >= 0 && p->has_date) {
		strbuf_reset(sb);
		date_fmt_rfc822(&p->date, sb);
		rc = xmlTextWriterWriteElement(w, X("pubDate"), X(sb->buf));
	}
	if (rc >= 0 && p->summary)
		rc = xmlTextWriterWriteElement(w, X("description"), X(p->summary));
	if (rc >= 0)
		rc = xmlTextWriterEndElement(w);
	return rc;
}

int feeds_rss(const struct site_config *cfg, struct page **newest, size_t nr,
	      struct strbuf *out)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int rc;

	xmlTextWriterSetIndent(w, 1);
	rc = xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	if (rc >= 0)
		rc = xmlTextWriterStartElement(w, X("rss"));
	if (rc >= 0)
		rc = xmlTextWriterWriteAttribute(w, X("version"), X("2.0"));
	if (rc >= 0)
		rc = xmlTextWriterStartElement(w, X("channel"));
	if (rc >= 0)
		rc = xmlTextWriterWriteElement(w, X("title"), X(cfg->title));
	if (rc >= 0)
		rc = xmlTextWriterWriteElement(w, X("link"), X(cfg->base_url));
	strbuf_addf(&sb, "%s 最新信息", cfg->title);
	if (rc >= 0)
		rc = xmlTextWriterWriteElement(w, X("description"), X(sb.buf));
	if (rc >= 0)
		rc = xmlTextWriterWriteElement(w, X("language"), X(cfg->language));
	for (i = 0; rc >= 0 && i < nr && i < FEED_ITEMS; i++)
		rc = rss_item(w, cfg, newest[i], &sb);
	if (rc >= 0)
		rc = xmlTextWriterEndElement(w);
	if (rc >= 0)
		rc = xmlTextWriterEndElement(w);
	strbuf_release(&sb);
	return finish(w, buf, rc, out);
}
