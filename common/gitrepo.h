/*
 * gitrepo: the few libgit2 operations jiyue needs, with git's habits:
 * signatures from user.name/user.email (else "jiyue"), and commit times
 * from GIT_AUTHOR_DATE / GIT_COMMITTER_DATE when set (tests simulate a
 * history with them), else the clock.
 */
#ifndef JIYUE_GITREPO_H
#define JIYUE_GITREPO_H

#include <git2.h>

struct strbuf;

/* Open the repository at path, creating it (non-bare, branch main) if there is none. */
int gitrepo_open_or_init(git_repository **repo, const char *path, struct strbuf *err);

/*
 * Stage everything below `prefix` (a folder relative to the work tree;
 * deletions too) and commit it on HEAD with message msg.  *oid gets the
 * new commit; returns 1 if nothing changed (no commit made), 0 if
 * committed, -1 on error.
 */
int gitrepo_commit_path(git_repository *repo, const char *prefix, const char *msg,
			git_oid *oid, struct strbuf *err);

/* Create (or replace) the annotated tag name on oid. */
int gitrepo_tag(git_repository *repo, const char *name, const git_oid *oid,
		const char *msg, struct strbuf *err);

/* The signature to use for a role: "AUTHOR" or "COMMITTER". */
int gitrepo_signature(git_repository *repo, const char *role, git_signature **sig);

/* Parse a git date ("@1700000000 +0800", "1700000000 +0800", ISO 8601). 0 or -1. */
int gitrepo_parse_date(const char *s, long long *epoch, int *offset_min);

/* The last libgit2 error as text. */
const char *gitrepo_error(void);

#endif
