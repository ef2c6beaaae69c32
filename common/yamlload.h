/*
 * yamlload: YAML text -> value tree (libyaml's event parser), with the
 * position of every node, for front matter and settings files.
 *
 * Plain scalars true/false/yes/no (any case), null and ~ become booleans and
 * null; every other scalar stays a string (see value.h).  Anchors and
 * aliases are refused (they are never needed here and allow "billion
 * laughs"), so are duplicate keys and non-scalar keys.
 */
#ifndef JIYUE_YAMLLOAD_H
#define JIYUE_YAMLLOAD_H

#include <stddef.h>

struct arena;
struct diag_list;
struct value;

/*
 * Parse text[0..len) as one YAML document.  `file` names it in
 * diagnostics; `first_line` is the line of text[0] in that file (front
 * matter starts on line 2).  An empty document gives an empty map.
 * Returns NULL after adding an error to diags.
 */
struct value *yaml_load(struct arena *a, const char *text, size_t len,
			const char *file, unsigned first_line,
			struct diag_list *diags);

#endif
