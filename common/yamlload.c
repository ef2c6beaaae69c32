#include "yamlload.h"
#include "arena.h"
#include "diag.h"
#include "strbuf.h"
#include "value.h"

#include <strings.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 64

struct loader {
	yaml_parser_t parser;
	struct arena *arena;
	const char *file;
	unsigned first_line;
	struct diag_list *diags;
	int depth;
};

static void error_at(struct loader *l, const yaml_mark_t *m, const char *hint,
		     const char *msg, const char *subject)
{
	if (subject)
		diag_error(l->diags, l->file, (unsigned)m->line + l->first_line,
			   (unsigned)m->column + 1, hint, "%s '%s'", msg, subject);
	else
		diag_error(l->diags, l->file, (unsigned)m->line + l->first_line,
			   (unsigned)m->column + 1, hint, "%s", msg);
}

static int next_event(struct loader *l, yaml_event_t *ev)
{
	if (yaml_parser_parse(&l->parser, ev))
		return 0;
	{
		const yaml_mark_t *m = l->parser.problem_mark.line || l->parser.problem_mark.column
			? &l->parser.problem_mark : &l->parser.context_mark;
		struct strbuf msg = STRBUF_INIT;
		strbuf_addf(&msg, "invalid YAML: %s", l->parser.problem ? l->parser.problem : "syntax error");
		if (l->parser.context)
			strbuf_addf(&msg, " (%s)", l->parser.context);
		error_at(l, m, "check the indentation, and quote values containing ': ' or '#'",
			 msg.buf, NULL);
		strbuf_release(&msg);
	}
	return -1;
}

static struct value *scalar(struct loader *l, yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	struct value *v;

	if (plain && (!strcasecmp(s, "true") || !strcasecmp(s, "yes")))
		v = value_bool(l->arena, 1);
	else if (plain && (!strcasecmp(s, "false") || !strcasecmp(s, "no")))
		v = value_bool(l->arena, 0);
	else if (plain && (!len || !strcmp(s, "~") || !strcasecmp(s, "null")))
		v = value_null(l->arena);
	else {
		v = value_strn(l->arena, s, len);
		v->u.str.plain = plain;
	}
	return v;
}

static struct value *node(struct loader *l, yaml_event_t *ev);

static struct value *sequence(struct loader *l, struct value *list)
{
	for (;;) {
		yaml_event_t ev;
		struct value *item;
		if (next_event(l, &ev))
			return NULL;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return list;
		}
		item = node(l, &ev);
		yaml_event_delete(&ev);
		if (!item)
			return NULL;
		value_list_push(l->arena, list, item);
	}
}

static struct value *mapping(struct loader *l, struct value *map)
{
	for (;;) {
		yaml_event_t ev;
		struct value *val;
		const char *key;
		if (next_event(l, &ev))
			return NULL;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return map;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			error_at(l, &ev.start_mark, "keys must be plain words such as 'title'",
				 "a key must be a scalar", NULL);
			yaml_event_delete(&ev);
			return NULL;
		}
		key = arena_strndup(l->arena, (const char *)ev.data.scalar.value,
				    ev.data.scalar.length);
		if (value_map_get(map, key)) {
			error_at(l, &ev.start_mark, "remove one of the two", "duplicate key", key);
			yaml_event_delete(&ev);
			return NULL;
		}
		yaml_event_delete(&ev);
		if (next_event(l, &ev))
			return NULL;
		val = node(l, &ev);
		yaml_event_delete(&ev);
		if (!val)
			return NULL;
		value_map_set(l->arena, map, key, val);
	}
}

static struct value *node(struct loader *l, yaml_event_t *ev)
{
	struct value *v = NULL;
	unsigned line = (unsigned)ev->start_mark.line + l->first_line;
	unsigned col = (unsigned)ev->start_mark.column + 1;

	if (ev->type == YAML_ALIAS_EVENT ||
	    (ev->type == YAML_SCALAR_EVENT && ev->data.scalar.anchor) ||
	    (ev->type == YAML_SEQUENCE_START_EVENT && ev->data.sequence_start.anchor) ||
	    (ev->type == YAML_MAPPING_START_EVENT && ev->data.mapping_start.anchor)) {
		error_at(l, &ev->start_mark, "write the value out in full",
			 "YAML anchors and aliases are not supported", NULL);
		return NULL;
	}
	if (++l->depth > MAX_DEPTH) {
		error_at(l, &ev->start_mark, NULL, "YAML nested too deeply", NULL);
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		v = scalar(l, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
		v = sequence(l, value_list(l->arena));
		break;
	case YAML_MAPPING_START_EVENT:
		v = mapping(l, value_map(l->arena));
		break;
	default:
		error_at(l, &ev->start_mark, NULL, "unexpected YAML event", NULL);
		break;
	}
	l->depth--;
	if (v) {
		v->line = line;
		v->col = col;
	}
	return v;
}

static struct value *document(struct loader *l)
{
	yaml_event_t ev;
	struct value *root = NULL;

	/* stream start, then document start or stream end (empty) */
	if (next_event(l, &ev))
		return NULL;
	yaml_event_delete(&ev);
	if (next_event(l, &ev))
		return NULL;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		return value_map(l->arena);
	}
	yaml_event_delete(&ev);
	if (next_event(l, &ev))
		return NULL;
	root = node(l, &ev);
	yaml_event_delete(&ev);
	if (!root)
		return NULL;
	if (next_event(l, &ev)) /* document end */
		return NULL;
	yaml_event_delete(&ev);
	if (next_event(l, &ev))
		return NULL;
	if (ev.type != YAML_STREAM_END_EVENT) {
		error_at(l, &ev.start_mark, "keep one YAML document per file",
			 "more than one YAML document", NULL);
		yaml_event_delete(&ev);
		return NULL;
	}
	yaml_event_delete(&ev);
	return root;
}

struct value *yaml_load(struct arena *a, const char *text, size_t len,
			const char *file, unsigned first_line,
			struct diag_list *diags)
{
	struct loader l;
	struct value *root;

	memset(&l, 0, sizeof(l));
	l.arena = a;
	l.file = file;
	l.first_line = first_line;
	l.diags = diags;
	if (!yaml_parser_initialize(&l.parser)) {
		diag_error(diags, file, 0, 0, NULL, "unable to initialise the YAML parser");
		return NULL;
	}
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&l.parser, YAML_UTF8_ENCODING);
	root = document(&l);
	yaml_parser_delete(&l.parser);
	if (root && root->type == VAL_NULL)
		root = value_map(a);
	return root;
}
