#include "fsutil.h"
#include "strbuf.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mkdir_p(const char *path, unsigned mode)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int ret = 0;

	/* the whole path first: most often its parent exists (a copy of 10,000 files) */
	if (*path && !mkdir(path, mode))
		return 0;
	if (*path && errno == EEXIST) {
		if (is_dir(path))
			return 0;
		errno = ENOTDIR;
		return -1;
	}
	strbuf_addstr(&sb, path);
	for (i = 1; i <= sb.len; i++) {
		if (i < sb.len && sb.buf[i] != '/')
			continue;
		sb.buf[i] = '\0';
		if (mkdir(sb.buf, mode) && errno != EEXIST) {
			ret = -1;
			break;
		}
		if (i < sb.len)
			sb.buf[i] = '/';
	}
	if (!ret && !is_dir(path)) {
		errno = ENOTDIR;
		ret = -1;
	}
	strbuf_release(&sb);
	return ret;
}

static int rm_rf_at(int dirfd, const char *name)
{
	struct stat st;
	int fd;
	DIR *d;
	struct dirent *e;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (rm_rf_at(fd, e->d_name)) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return unlinkat(dirfd, name, AT_REMOVEDIR);
}

int rm_rf(const char *path)
{
	return rm_rf_at(AT_FDCWD, path);
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int e;
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len)) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

int copy_file(const char *src, const char *dst)
{
	char buf[65536];
	int in, out, e;
	struct stat st;
	ssize_t n;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	if (fstat(in, &st)) {
		e = errno;
		close(in);
		errno = e;
		return -1;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st.st_mode & 0777);
	if (out < 0) {
		e = errno;
		close(in);
		errno = e;
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write_all(out, buf, (size_t)n))
			goto fail;
	}
	close(in);
	return close(out);
fail:
	e = errno;
	close(in);
	close(out);
	errno = e;
	return -1;
}

int is_dir(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int is_file(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int list_dir_sorted(const char *path, char ***names, size_t *nr)
{
	DIR *d = opendir(path);
	struct dirent *e;
	size_t alloc = 0;

	*names = NULL;
	*nr = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		ALLOC_GROW(*names, *nr + 1, alloc);
		(*names)[(*nr)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*nr > 1)
		qsort(*names, *nr, sizeof(**names), cmp_names);
	return 0;
}

void free_names(char **names, size_t nr)
{
	size_t i;
	for (i = 0; i < nr; i++)
		free(names[i]);
	free(names);
}
