/*
 * fsutil: small file-system helpers.  All return 0 on success and -1 with
 * errno set on failure; none prints.
 */
#ifndef JIYUE_FSUTIL_H
#define JIYUE_FSUTIL_H

#include <stddef.h>

/* mkdir -p; existing folders are fine. */
int mkdir_p(const char *path, unsigned mode);
/* rm -rf; a missing path is fine.  Never follows symbolic links. */
int rm_rf(const char *path);
/* Create or truncate path and write len bytes. */
int write_file(const char *path, const void *data, size_t len);
/* Copy a regular file (contents and permission bits only). */
int copy_file(const char *src, const char *dst);
int is_dir(const char *path);
int is_file(const char *path);

/*
 * Names in a folder, without "." and "..", sorted bytewise so every walk
 * is deterministic.  *names is a malloc'ed array of malloc'ed strings;
 * free with free_names().
 */
int list_dir_sorted(const char *path, char ***names, size_t *nr);
void free_names(char **names, size_t nr);

#endif
