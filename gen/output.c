#include "gen/output.h"
#include "common/fsutil.h"
#include "common/path.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Split dest into its parent folder and its last name. */
static void split_dest(const char *dest, struct strbuf *parent, struct strbuf *name)
{
	size_t len = strlen(dest);
	const char *slash;
	while (len > 1 && dest[len - 1] == '/')
		len--;
	strbuf_add(name, dest, len);
	slash = memrchr(name->buf, '/', name->len);
	if (!slash) {
		strbuf_addstr(parent, ".");
		return;
	}
	strbuf_add(parent, name->buf, slash == name->buf ? 1 : (size_t)(slash - name->buf));
	{
		size_t skip = (size_t)(slash - name->buf) + 1;
		memmove(name->buf, name->buf + skip, name->len - skip);
		strbuf_setlen(name, name->len - skip);
	}
}

/* Is `inner` the same folder as, or inside, `outer`?  Both must exist. */
static int is_within(const char *inner, const char *outer)
{
	char a[PATH_MAX], b[PATH_MAX];
	size_t n;
	if (!realpath(inner, a) || !realpath(outer, b))
		return 0;
	n = strlen(b);
	if (!strcmp(b, "/"))
		return 1;
	return !strncmp(a, b, n) && (a[n] == '\0' || a[n] == '/');
}

static void remove_stale(const char *parent, const char *prefix)
{
	char **names;
	size_t nr, i, plen = strlen(prefix);
	if (list_dir_sorted(parent, &names, &nr))
		return;
	for (i = 0; i < nr; i++) {
		long pid;
		if (strncmp(names[i], prefix, plen))
			continue;
		pid = strtol(names[i] + plen, NULL, 10);
		if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM))
			continue; /* another build is running */
		{
			struct strbuf sb = STRBUF_INIT;
			strbuf_addf(&sb, "%s/%s", parent, names[i]);
			rm_rf(sb.buf);
			strbuf_release(&sb);
		}
	}
	free_names(names, nr);
}

int output_begin(struct output *o, const char *dest, const char *source_dir,
		 struct strbuf *err)
{
	struct strbuf parent = STRBUF_INIT, name = STRBUF_INIT, tmp = STRBUF_INIT;
	struct strbuf prefix = STRBUF_INIT;
	int ret = -1;

	memset(o, 0, sizeof(*o));
	split_dest(dest, &parent, &name);
	if (!name.len || !strcmp(name.buf, ".") || !strcmp(name.buf, "..")) {
		strbuf_addf(err, "unusable destination '%s': name a folder such as public", dest);
		goto out;
	}
	if (mkdir_p(parent.buf, 0755)) {
		strbuf_addf(err, "unable to create '%s': %s", parent.buf, strerror(errno));
		goto out;
	}
	if (is_dir(dest) && is_within(source_dir, dest)) {
		strbuf_addf(err, "destination '%s' holds the source folder: it would be replaced; "
			    "choose another, e.g. public", dest);
		goto out;
	}
	if (!is_dir(dest) && access(dest, F_OK) == 0) {
		strbuf_addf(err, "destination '%s' exists and is not a folder", dest);
		goto out;
	}
	strbuf_addf(&prefix, ".%s.jiyue-", name.buf);
	remove_stale(parent.buf, prefix.buf);
	strbuf_addf(&tmp, "%s/%s%ld-XXXXXX", parent.buf, prefix.buf, (long)getpid());
	if (!mkdtemp(tmp.buf)) {
		strbuf_addf(err, "unable to create a temporary folder in '%s': %s",
			    parent.buf, strerror(errno));
		goto out;
	}
	chmod(tmp.buf, 0755);
	o->dest = xstrdup(dest);
	o->tmp = strbuf_detach(&tmp, NULL);
	ret = 0;
out:
	strbuf_release(&parent);
	strbuf_release(&name);
	strbuf_release(&tmp);
	strbuf_release(&prefix);
	return ret;
}

int output_commit(struct output *o, struct strbuf *err)
{
	if (is_dir(o->dest)) {
		if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->dest, RENAME_EXCHANGE)) {
			strbuf_addf(err, "unable to replace '%s': %s", o->dest, strerror(errno));
			output_abort(o);
			return -1;
		}
		/* o->tmp now holds the previous site */
	} else if (rename(o->tmp, o->dest)) {
		strbuf_addf(err, "unable to create '%s': %s", o->dest, strerror(errno));
		output_abort(o);
		return -1;
	}
	output_abort(o);
	return 0;
}

void output_abort(struct output *o)
{
	if (o->tmp)
		rm_rf(o->tmp);
	free(o->tmp);
	free(o->dest);
	memset(o, 0, sizeof(*o));
}
