#include "archiver/journal.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int journal_open(struct journal *j, const char *path)
{
	j->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	j->path = xstrdup(path);
	j->since_sync = 0;
	return j->fd < 0 ? -1 : 0;
}

int journal_append(struct journal *j, json_t *rec)
{
	char *line = json_dumps(rec, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
	struct strbuf sb = STRBUF_INIT;
	int ret = 0;
	if (!line)
		return -1;
	strbuf_addstr(&sb, line);
	strbuf_addch(&sb, '\n');
	free(line);
	/* one write() per line: O_APPEND keeps lines whole */
	if (write(j->fd, sb.buf, sb.len) != (ssize_t)sb.len)
		ret = -1;
	strbuf_release(&sb);
	j->since_sync++;
	return ret;
}

int journal_sync(struct journal *j)
{
	j->since_sync = 0;
	return fdatasync(j->fd);
}

void journal_close(struct journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	free(j->path);
	j->fd = -1;
	j->path = NULL;
}

int journal_replay(const char *path, journal_fn *fn, void *ud)
{
	struct strbuf text = STRBUF_INIT;
	size_t i = 0;
	if (strbuf_read_file(&text, path)) {
		strbuf_release(&text);
		return errno == ENOENT ? 0 : -1;
	}
	while (i < text.len) {
		char *nl = memchr(text.buf + i, '\n', text.len - i);
		json_t *rec;
		if (!nl)
			break; /* torn last line: never trusted */
		rec = json_loadb(text.buf + i, (size_t)(nl - (text.buf + i)), 0, NULL);
		if (rec) {
			fn(ud, rec);
			json_decref(rec);
		}
		i = (size_t)(nl - text.buf) + 1;
	}
	strbuf_release(&text);
	return 0;
}
