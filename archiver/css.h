/*
 * css: the URLs of a stylesheet (url(...), @import "...", image-set("..."))
 * for the crawler, and their rewriting in place for the browsable copy.
 *
 * This is a scanner, not a parser: it follows the CSS Syntax tokenizer far
 * enough to find url tokens, url() functions and strings where a URL is
 * expected, and to skip comments and other strings, so that "url(" inside a
 * comment or a string is not a URL.  Everything else is copied byte for
 * byte: a stylesheet is never re-serialised.
 */
#ifndef JIYUE_CSS_H
#define JIYUE_CSS_H

#include <stddef.h>

#include "archiver/html.h"

struct strbuf;


/*
 * Called for each URL of css: url is unescaped and trimmed of whitespace
 * (a NUL-terminated string valid during the call); [start, end) is the
 * byte range of its spelling in css (between the quotes, or the unquoted
 * text of url(...)).  Every URL is reported, data: and #fragment ones too;
 * see html_url_ignored().
 */
typedef void css_url_fn(void *ud, const char *url, size_t start, size_t end);

/*
 * url(...) (quoted or not) and @import "..." / @import url(...) in a
 * stylesheet, a <style> element or a style attribute; also the strings of
 * image-set().  Comments are skipped and CSS escapes decoded.
 */
void css_find_urls(const char *css, size_t len, css_url_fn *fn, void *ud);

/*
 * Append css to out with its URLs rewritten by fn (kind LINK_REQUISITE;
 * return values as for html_rewrite_fn; "external" means nothing in CSS).
 * URLs that html_url_ignored() skips are not offered to fn.  Replacements
 * are escaped for where they go (inside quotes or a bare url()), so a URL
 * cannot end the string, the url() or an enclosing <style> element.
 * Returns the number of URLs replaced.
 */
int css_rewrite(const char *css, size_t len, html_rewrite_fn *fn, void *ud, struct strbuf *out);

/*
 * The charset of a stylesheet, as CSS Syntax decides it: BOM, then the HTTP
 * Content-Type charset (may be NULL), then a leading @charset "..."; rule,
 * then the charset of the page that links it (referrer, may be NULL), then
 * valid UTF-8 -> utf-8, else gb18030.  A canonical name (see charset.h).
 * Old stylesheets name fonts in GBK ("宋体") and rarely say so: once the
 * page is UTF-8, the browser would read them as UTF-8 too, so they are
 * converted like the page (charset_to_utf8, then css_set_utf8).
 */
const char *css_charset_detect(const char *css, size_t len, const char *content_type,
			       const char *referrer);

/*
 * For a stylesheet converted to UTF-8: make a leading @charset rule say
 * "utf-8", which browsers would otherwise believe.  Returns 1 if changed.
 */
int css_set_utf8(struct strbuf *css);

#endif
