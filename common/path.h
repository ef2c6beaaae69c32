/*
 * path: every path jiyue writes is joined through path_join_safe(), which
 * refuses anything that could leave its root.  URLs, slugs and aliases are
 * hostile input.
 */
#ifndef JIYUE_PATH_H
#define JIYUE_PATH_H

#include <stddef.h>

struct strbuf;

/*
 * Check a relative path (as from a URL path or a slug) for safety:
 * no absolute path, no "." or ".." segment (also percent-encoded, any case:
 * %2e, %2f, %5c), no backslash, no NUL or control character, no empty
 * segment other than a trailing slash.  Returns NULL if safe, else a short
 * reason ("contains a '..' segment").
 */
const char *path_unsafe_reason(const char *rel, size_t len);

/*
 * Append root + "/" + rel to out, after checking rel with
 * path_unsafe_reason().  Returns 0, or -1 (out unchanged) if unsafe.
 */
int path_join_safe(struct strbuf *out, const char *root, const char *rel);

/* Is a file or folder name acceptable as a URL slug?  Same rules, one segment. */
const char *slug_unsafe_reason(const char *name);

/*
 * Append dir/rel to sb, or just rel when dir is "." or "", so that
 * messages name files as the user would type them.
 */
void path_in(struct strbuf *sb, const char *dir, const char *rel);

/* The last component of path (pointer into it). */
const char *path_basename(const char *path);
/* Does name end with ext (e.g. ".md"), case-insensitively? */
int path_has_ext(const char *name, const char *ext);

#endif
