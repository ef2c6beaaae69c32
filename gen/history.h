/*
 * history: the publish history, kept with libgit2 in the portal's own git
 * repository.  Every successful build commits the output tree to a branch
 * (default `publish`) without touching the working tree or the index; the
 * first publish commit that shows a notice is its proven first day of
 * display.
 *
 * A publish commit's message ends with trailers, one per notice on display:
 *   Notice: <slug> <kind> <published> <until>
 * which is what the checks and `jiyue audit` read back.
 */
#ifndef JIYUE_HISTORY_H
#define JIYUE_HISTORY_H

#include <git2.h>

#include "common/date.h"
#include "common/strmap.h"

struct strbuf;

struct history_notice {
	char *slug, *kind;
	struct cdate published, until;  /* as declared in the first commit showing it */
	git_oid first, last;            /* first and last publish commits showing it */
	struct cdate first_date, last_date;
	int gone;                       /* a later commit no longer shows it */
	git_oid gone_commit;
	struct cdate gone_date;         /* the first day it was no longer shown */
};

struct history {
	git_repository *repo;           /* NULL: the source is not in a git repository */
	char *branch;                   /* "publish" */
	char *ref;                      /* "refs/heads/publish" */
	struct strmap notices;          /* slug -> struct history_notice */
	size_t nr_commits;
	git_oid tip;
	int has_tip;
};

/* Open the repository holding source_dir (searching upwards).  No repository is fine. */
int history_open(struct history *h, const char *source_dir, const char *branch, struct strbuf *err);
void history_release(struct history *h);

/* Walk the branch (oldest first) and learn every notice's display window. */
int history_scan(struct history *h, struct strbuf *err);

/* The China date of a commit. */
struct cdate history_commit_date(const git_commit *c);

/*
 * Commit the tree of out_dir on the branch with message msg.  Blob ids
 * already known (rel path -> 20 raw bytes, may be NULL) save hashing.  Sets
 * *committed to 0 when the tree equals the tip's (no commit made).
 */
int history_record(struct history *h, const char *out_dir, const struct strmap *known,
		   const char *msg, int *committed, git_oid *oid, struct strbuf *err);

/* "abc1234" for messages. */
void history_short_id(const git_oid *oid, struct strbuf *out);

/* Source state for the message: HEAD's id and whether the work tree has changes. */
void history_source_state(struct history *h, struct strbuf *out);

#endif
