/*
 * html: what the archiver does with an HTML page besides storing it: find
 * its links, and make the browsable copy that the portal serves.
 *
 * Two tools, on purpose:
 *
 *  - Link DISCOVERY uses libxml2's HTML parser through its SAX interface
 *    (HTML_PARSE_RECOVER | NOERROR | NOWARNING | NONET, and HUGE for the
 *    deep nesting of unclosed tags): it reads anything and gives
 *    entity-decoded attribute values, and no tree is built, since every
 *    element is looked at once, in document order.
 *
 *  - REWRITING splices changes into the original bytes at positions found
 *    by our own small tokenizer, and copies everything else byte for byte.
 *    A tree round trip would re-serialise the page: libxml2 (like any HTML
 *    parser) closes unclosed <p> and <td>, moves misnested tags, adds
 *    <html>/<head>/<body>/<tbody>, changes attribute quoting and case,
 *    re-encodes entities, drops or moves the junk after </html>, and
 *    rewrites comments and conditional comments.  Old government sites are
 *    made of exactly such markup, and the copy must look and read like the
 *    original.  wget, wget2, HTTrack and pywb rewrite in place for the same
 *    reason.
 *
 * The tokenizer follows the HTML Standard's tokenizer states that matter
 * for safety: tags and attributes (quoted and unquoted values), comments
 * ("-->", "--!>", "<!-->"), bogus comments, DOCTYPE, the raw text of
 * <script> (with its "<!--" escape states), <style>, <xmp>, <iframe>,
 * <noembed>, <noframes>, <noscript>, the RCDATA of <title> and <textarea>,
 * and <plaintext>.  Where it cannot know what a browser would do, it
 * takes the reading that exposes more tags to neutralising: inside <svg>
 * or <math> <style> is not raw text, so from the first <svg> or <math> on
 * nothing is; inside <select>, browsers long ignored <style>, <title>,
 * <xmp>... and read their content as markup (Chrome's customizable select
 * reads it as raw text again), so after a <select> that content is
 * checked both ways.
 *
 * What the copy changes, and nothing else:
 *  - URLs the caller's callback rewrites (relative local paths);
 *  - elements with a URL the callback marks external get the boolean
 *    attribute data-jiyue-external (kept absolute to the original site);
 *  - <base href> is removed (the element, or only its href when it also
 *    has a target), since rewritten links are relative to the copy;
 *  - the stamp: <meta name="archived-date"> and <meta name="archived-from">
 *    in head, and a banner as the first child of body;
 *  - with set_utf8, the declared charset becomes utf-8;
 *  - with neutralise, active content goes: see struct html_rewrite_opts.
 *
 * All functions take UTF-8 (see charset.h) of any length, any bytes.
 * libxml2 must be initialised (xmlInitParser()) before threads call
 * html_find_links() concurrently.
 */
#ifndef JIYUE_HTML_H
#define JIYUE_HTML_H

#include <stddef.h>

struct strbuf;
struct cdate;

/*
 * a/area href, iframe/frame src, meta refresh and <link rel> other than
 * resources (alternate, canonical, next...) are pages; everything else
 * (img, script, stylesheets, icons, media, embeds, CSS url()) is a
 * requisite of the page.
 */
enum link_kind { LINK_PAGE, LINK_REQUISITE };

struct html_link {
	char *url;              /* entity-decoded, trimmed, as written: not resolved */
	enum link_kind kind;
};

struct html_links {
	struct html_link *items;
	size_t nr, alloc;
	char *base;             /* the first <base href> value, or NULL */
};

void html_links_init(struct html_links *l);
void html_links_release(struct html_links *l);

/*
 * Discover the links of a UTF-8 HTML document, in document order,
 * duplicates kept: a/area href, link href, img src and srcset (split, one
 * link per candidate), input type=image src, script src, iframe/frame src,
 * embed src, object data, param name=movie value, source src/srcset, track
 * src, video src/poster, audio src, svg image/use href, background
 * attributes (old table layouts), meta refresh, and url()/@import in
 * <style> elements and style attributes (css_find_urls).  <base href> goes
 * to out->base.  Form actions are not links: forms are never submitted.
 * URLs html_url_ignored() says are not fetchable are left out.
 * Returns 0, or -1 if libxml2 could not parse anything at all.
 */
int html_find_links(const char *utf8, size_t len, struct html_links *out);

/*
 * html_find_links() and html_newest_date_before() (below) in one reading
 * of the page, as the crawler needs both for every page: *found is 1 and
 * *newest set when a date is found, else 0.
 */
int html_find_links_dated(const char *utf8, size_t len, struct html_links *out,
			  const struct cdate *limit, struct cdate *newest, int *found);

/*
 * Is this URL (as written, trimmed) one that names no resource to fetch:
 * empty, "#fragment", or javascript:, vbscript:, data:, mailto:, tel:,
 * sms:, about:, blob: ...?  Those are never offered to a rewrite callback.
 */
int html_url_ignored(const char *url);

/* Bits of a rewrite callback's return value. */
#define HTML_REWRITE_REPLACED 1 /* `out` holds the replacement URL */
#define HTML_REWRITE_EXTERNAL 2 /* mark the element data-jiyue-external */

/*
 * Rewrite callback: given a URL as written in the page (entity-decoded,
 * trimmed) and its kind, return 0 to leave it as is, 1 after appending the
 * replacement to `out`, 2 to leave it and mark the element external, or 3
 * to replace it and mark external (a relative link to something not
 * archived: the caller writes the absolute original URL).  The caller
 * resolves raw_url against the page URL and html_links.base itself.
 */
typedef int html_rewrite_fn(void *ud, const char *raw_url, enum link_kind kind,
			    struct strbuf *out);

struct html_stamp {
	const char *date_iso;     /* "2025-03-01" */
	const char *date_cn;      /* "2025年3月1日" */
	const char *original_url; /* shown and linked (as an external link) */
	const char *index_url;    /* the portal's archive index, e.g. "/archive/"; may be NULL */
	const char *site_name;    /* optional, e.g. 示例市发展和改革委员会网站 */
};

struct html_rewrite_opts {
	html_rewrite_fn *rewrite; /* may be NULL: URLs stay as they are */
	void *ud;
	const struct html_stamp *stamp; /* NULL: no stamp */
	/*
	 * Remove active content, because the copy is served from the portal's
	 * own origin: <script> elements with their content (an unclosed one
	 * to the end of the document), on* attributes, srcdoc, javascript:
	 * and vbscript: URLs in any URL attribute, data: URLs in frames,
	 * embeds and objects and non-image ones in links (an a/area href
	 * becomes "#", other attributes go), SVG animations that set such a
	 * URL or an event handler, <meta http-equiv=refresh> to such a URL or
	 * to a URL the callback marks external (no silent redirect off the
	 * archive).
	 * Forms are disabled without script: <form action> and formaction go
	 * (nothing to submit to), and input, button, select and textarea get
	 * the attribute disabled.  <noscript> stays, with its content: its
	 * links are rewritten like any others.
	 */
	int neutralise;
	/*
	 * The input is UTF-8 now: rewrite the declared charset to utf-8, and
	 * add <meta charset="utf-8"> when no declaration is early enough.
	 */
	int set_utf8;
	/*
	 * For tests and debugging, may be NULL: called once per change, in
	 * order, with the original byte range [start, end) that was replaced
	 * (start == end: an insertion) and the length of what replaced it.
	 */
	void (*on_splice)(void *ud, size_t start, size_t end, size_t repl_len);
	void *splice_ud;
};

/*
 * Append the browsable copy of a UTF-8 document to out: the changes above
 * spliced into the original bytes, everything else copied byte for byte.
 * Returns the number of changes (0: out got an exact copy).
 */
int html_rewrite(const char *utf8, size_t len, const struct html_rewrite_opts *opt,
		 struct strbuf *out);

/*
 * The stamp's banner alone (what html_rewrite puts first in body): a
 * <jiyue-archived> element whose every part carries an inline style with
 * !important, which beats any rule of the page's own CSS.
 */
void html_stamp_banner(const struct html_stamp *stamp, struct strbuf *out);

/*
 * What html_rewrite puts in head after the stamp's metas: a <style> that
 * keeps the page's CSS from hiding html and body, and the banner with them.
 */
extern const char html_stamp_style[];

/*
 * The newest plausible date mentioned in the page's text (rule 7, zombie
 * sites): 2017-05-12, 2017/5/12, 2017.05.12, 2017年5月12日 (also 号, and
 * full-width digits), 二〇一七年五月十二日.  Only real calendar dates in
 * 1990..2100 count; text in scripts, styles, comments and attributes does
 * not.  Returns 0 if found, -1 if none.
 */
int html_newest_date(const char *utf8, size_t len, struct cdate *out);
/* The same, ignoring dates after limit (the capture date: "valid until 2030" is no update). */
int html_newest_date_before(const char *utf8, size_t len, const struct cdate *limit,
			    struct cdate *out);

/* <title> text, entities decoded, whitespace collapsed; 0, or -1 if none or empty. */
/*
 * The first <base href> of a UTF-8 page, entity-decoded and trimmed, as
 * html_find_links() reports it, read with the rewriting tokenizer only
 * (no tree): for callers that need the base but not the links.  Returns 0
 * and appends it to out, or -1 when the page has none.
 */
int html_find_base(const char *utf8, size_t len, struct strbuf *out);
int html_title(const char *utf8, size_t len, struct strbuf *out);

#endif
