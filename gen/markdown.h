/*
 * markdown: GitHub-flavoured Markdown to HTML through cmark-gfm, with the
 * table, strikethrough and autolink extensions.
 *
 * Raw HTML is escaped by default (shown as text, never executed): a site
 * opts in with `markup: {unsafe: true}` in site.yaml.  Links and images
 * that start with "/" get the site root prepended, so content written for
 * "/" works under a baseURL with a path.
 *
 * One struct markdown per thread (cmark parsers are not shared);
 * markdown_global_init() must run once before any thread starts.
 */
#ifndef JIYUE_MARKDOWN_H
#define JIYUE_MARKDOWN_H

#include <stddef.h>

struct strbuf;

struct markdown_options {
	int unsafe_html;
	const char *root; /* "/" or "/portal/" */
};

void markdown_global_init(void);

/* Append the HTML for text[0..len) to out. */
void markdown_to_html(const struct markdown_options *opt, const char *text,
		      size_t len, struct strbuf *out);

#endif
