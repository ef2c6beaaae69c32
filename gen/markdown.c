#include "gen/markdown.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>

static const char *const extensions[] = { "table", "strikethrough", "autolink" };

void markdown_global_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

static void attach_extensions(cmark_parser *parser)
{
	size_t i;
	for (i = 0; i < sizeof(extensions) / sizeof(*extensions); i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
		if (!ext)
			die("cmark-gfm extension '%s' is missing", extensions[i]);
		cmark_parser_attach_syntax_extension(parser, ext);
	}
}

/* Raw HTML becomes literal text: the renderer then escapes it. */
static void escape_raw_html(cmark_node *node)
{
	cmark_node_type t = cmark_node_get_type(node);
	const char *lit = cmark_node_get_literal(node);
	cmark_node *text;

	if (t == CMARK_NODE_HTML_INLINE) {
		text = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(text, lit ? lit : "");
		cmark_node_replace(node, text);
		cmark_node_free(node);
	} else if (t == CMARK_NODE_HTML_BLOCK) {
		/* a block needs a paragraph around its text */
		cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
		text = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(text, lit ? lit : "");
		cmark_node_append_child(para, text);
		cmark_node_replace(node, para);
		cmark_node_free(node);
	}
}

static void prefix_root(cmark_node *node, const char *root)
{
	const char *url = cmark_node_get_url(node);
	struct strbuf sb = STRBUF_INIT;
	if (!url || url[0] != '/' || url[1] == '/')
		return;
	strbuf_addstr(&sb, root);
	strbuf_addstr(&sb, url + 1);
	cmark_node_set_url(node, sb.buf);
	strbuf_release(&sb);
}

/*
 * A table (办事指南) goes into a box that scrolls sideways on a narrow
 * screen instead of widening the page (the theme styles .table-wrap).  The
 * box is focusable, so that the keyboard can scroll it too, and is a region
 * named after the heading just before the table, else 表格.  A custom block
 * writes its on_enter and on_exit as given, also when raw HTML is escaped.
 */
static void wrap_table(cmark_node *table)
{
	cmark_node *box = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
	cmark_node *prev = cmark_node_previous(table);
	struct strbuf open = STRBUF_INIT;
	char *label = NULL;
	size_t len;

	if (prev && cmark_node_get_type(prev) == CMARK_NODE_HEADING)
		label = cmark_render_plaintext(prev, CMARK_OPT_DEFAULT, 0);
	len = label ? strlen(label) : 0;
	while (len && (label[len - 1] == '\n' || label[len - 1] == ' '))
		len--;
	strbuf_addstr(&open, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"");
	if (len)
		strbuf_add_html(&open, label, len);
	else
		strbuf_addstr(&open, "表格");
	strbuf_addstr(&open, "\">");
	cmark_node_set_on_enter(box, open.buf);
	cmark_node_set_on_exit(box, "</div>");
	cmark_node_insert_before(table, box);
	cmark_node_append_child(box, table);
	strbuf_release(&open);
	free(label);
}

static void fix_tree(const struct markdown_options *opt, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node **raw = NULL, **tables = NULL;
	size_t nr = 0, alloc = 0, nr_tables = 0, alloc_tables = 0, i;
	cmark_event_type ev;
	int prefix = strcmp(opt->root, "/") != 0;

	/* collect first: replacing nodes while iterating would confuse the iterator */
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (!opt->unsafe_html && (t == CMARK_NODE_HTML_INLINE || t == CMARK_NODE_HTML_BLOCK)) {
			ALLOC_GROW(raw, nr + 1, alloc);
			raw[nr++] = n;
		} else if (prefix && (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)) {
			prefix_root(n, opt->root);
		} else if (!strcmp(cmark_node_get_type_string(n), "table")) {
			ALLOC_GROW(tables, nr_tables + 1, alloc_tables);
			tables[nr_tables++] = n;
		}
	}
	cmark_iter_free(it);
	for (i = 0; i < nr; i++)
		escape_raw_html(raw[i]);
	for (i = 0; i < nr_tables; i++)
		wrap_table(tables[i]);
	free(raw);
	free(tables);
}

void markdown_to_html(const struct markdown_options *opt, const char *text,
		      size_t len, struct strbuf *out)
{
	int options = CMARK_OPT_DEFAULT | CMARK_OPT_GITHUB_PRE_LANG;
	cmark_parser *parser;
	cmark_node *doc;
	char *html;

	if (opt->unsafe_html)
		options |= CMARK_OPT_UNSAFE;
	parser = cmark_parser_new(options);
	attach_extensions(parser);
	cmark_parser_feed(parser, text, len);
	doc = cmark_parser_finish(parser);
	fix_tree(opt, doc);
	html = cmark_render_html(doc, options, cmark_parser_get_syntax_extensions(parser));
	strbuf_addstr(out, html);
	free(html);
	cmark_node_free(doc);
	cmark_parser_free(parser);
}
