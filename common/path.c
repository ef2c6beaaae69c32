#include "path.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Decode one possibly percent-encoded character at s[i]; *adv gets its width. */
static int decoded_char(const char *s, size_t len, size_t i, size_t *adv)
{
	if (s[i] == '%' && i + 2 < len &&
	    isxdigit((unsigned char)s[i + 1]) && isxdigit((unsigned char)s[i + 2])) {
		char hex[3] = { s[i + 1], s[i + 2], 0 };
		*adv = 3;
		return (int)strtol(hex, NULL, 16);
	}
	*adv = 1;
	return (unsigned char)s[i];
}

/* Check one segment s[0..len): reason or NULL. */
static const char *segment_reason(const char *s, size_t len)
{
	size_t i = 0, adv, dots = 0, chars = 0;
	while (i < len) {
		int c = decoded_char(s, len, i, &adv);
		if (c == '/' && adv > 1)
			return "contains an encoded '/'";
		if (c == '\\')
			return "contains a backslash";
		if (c == 0)
			return "contains a NUL byte";
		if (c < 0x20 || c == 0x7f)
			return "contains a control character";
		if (c == '.')
			dots++;
		chars++;
		i += adv;
	}
	if (chars && dots == chars && chars <= 2)
		return chars == 1 ? "contains a '.' segment" : "contains a '..' segment";
	return NULL;
}

const char *path_unsafe_reason(const char *rel, size_t len)
{
	size_t start = 0, i;
	if (!len)
		return "is empty";
	if (memchr(rel, '\0', len))
		return "contains a NUL byte";
	if (rel[0] == '/' || rel[0] == '\\')
		return "is an absolute path";
	if (len >= 2 && isalpha((unsigned char)rel[0]) && rel[1] == ':')
		return "is an absolute path";
	for (i = 0; i <= len; i++) {
		if (i == len || rel[i] == '/') {
			const char *r;
			if (i == start) {
				if (i == len)
					break; /* trailing slash */
				return "contains an empty segment";
			}
			r = segment_reason(rel + start, i - start);
			if (r)
				return r;
			start = i + 1;
		}
	}
	return NULL;
}

int path_join_safe(struct strbuf *out, const char *root, const char *rel)
{
	if (path_unsafe_reason(rel, strlen(rel)))
		return -1;
	strbuf_addstr(out, root);
	if (out->len && out->buf[out->len - 1] != '/')
		strbuf_addch(out, '/');
	strbuf_addstr(out, rel);
	return 0;
}

const char *slug_unsafe_reason(const char *name)
{
	const char *r;
	size_t len = strlen(name);
	if (!len)
		return "is empty";
	if (strchr(name, '/'))
		return "contains a '/'";
	r = path_unsafe_reason(name, len);
	if (r)
		return r;
	if (strchr(name, '%'))
		return "contains a '%'";
	if (name[0] == '.')
		return "starts with '.'";
	return NULL;
}

const char *path_basename(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

int path_has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);
	return n > e && !strcasecmp(name + n - e, ext);
}

void path_in(struct strbuf *sb, const char *dir, const char *rel)
{
	if (dir && *dir && strcmp(dir, "."))
		strbuf_addf(sb, "%s/", dir);
	strbuf_addstr(sb, rel);
}
