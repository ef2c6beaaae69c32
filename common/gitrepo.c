#include "common/gitrepo.h"
#include "common/date.h"
#include "common/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void lib_init(void)
{
	static int done;
	if (!done) {
		git_libgit2_init();
		done = 1;
	}
}

const char *gitrepo_error(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown libgit2 error";
}

int gitrepo_open_or_init(git_repository **repo, const char *path, struct strbuf *err)
{
	git_repository_init_options opts;
	lib_init();
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	if (!git_repository_open_ext(repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL))
		return 0;
	opts.flags = GIT_REPOSITORY_INIT_MKPATH;
	opts.initial_head = "main";
	if (git_repository_init_ext(repo, path, &opts)) {
		strbuf_addf(err, "unable to create a git repository in '%s': %s", path, gitrepo_error());
		return -1;
	}
	return 0;
}

static int parse_tz(const char *s, int *offset_min)
{
	int sign, h, m;
	if (*s == 'Z' || *s == 'z') {
		*offset_min = 0;
		return 0;
	}
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s == '-' ? -1 : 1;
	if (sscanf(s + 1, "%2d:%2d", &h, &m) != 2 && sscanf(s + 1, "%2d%2d", &h, &m) != 2)
		return -1;
	*offset_min = sign * (h * 60 + m);
	return 0;
}

int gitrepo_parse_date(const char *s, long long *epoch, int *offset_min)
{
	char *end;
	long long t;
	struct cdate d;
	int Y, M, D, h = 0, mi = 0, sec = 0, n = 0;

	*offset_min = 480;
	if (*s == '@')
		s++;
	t = strtoll(s, &end, 10);
	if (end != s && (*end == '\0' || *end == ' ')) {
		*epoch = t;
		while (*end == ' ')
			end++;
		return *end ? parse_tz(end, offset_min) : 0;
	}
	if (sscanf(s, "%4d-%2d-%2d%n", &Y, &M, &D, &n) != 3)
		return -1;
	s += n;
	if (*s == 'T' || *s == ' ') {
		if (sscanf(s + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &n) != 3)
			return -1;
		s += 1 + n;
	}
	while (*s == ' ')
		s++;
	if (*s && parse_tz(s, offset_min))
		return -1;
	d.year = Y;
	d.month = M;
	d.day = D;
	if (!date_valid(&d))
		return -1;
	*epoch = date_to_days(&d) * 86400 + h * 3600 + mi * 60 + sec - *offset_min * 60LL;
	return 0;
}

int gitrepo_signature(git_repository *repo, const char *role, git_signature **sig)
{
	char name_var[32], email_var[32], date_var[32];
	const char *name, *email, *date;
	git_config *cfg = NULL;
	git_buf cname = { 0 }, cemail = { 0 };
	long long when = 0;
	int off = 480, ret, have_date = 0;

	snprintf(name_var, sizeof(name_var), "GIT_%s_NAME", role);
	snprintf(email_var, sizeof(email_var), "GIT_%s_EMAIL", role);
	snprintf(date_var, sizeof(date_var), "GIT_%s_DATE", role);
	name = getenv(name_var);
	email = getenv(email_var);
	date = getenv(date_var);
	if ((!name || !email) && !git_repository_config_snapshot(&cfg, repo)) {
		if (!name && !git_config_get_string_buf(&cname, cfg, "user.name"))
			name = cname.ptr;
		if (!email && !git_config_get_string_buf(&cemail, cfg, "user.email"))
			email = cemail.ptr;
	}
	if (!name || !*name)
		name = "jiyue";
	if (!email || !*email)
		email = "jiyue@localhost";
	if (date && *date && !gitrepo_parse_date(date, &when, &off))
		have_date = 1;
	if (have_date)
		ret = git_signature_new(sig, name, email, (git_time_t)when, off);
	else {
		ret = git_signature_now(sig, name, email);
		if (!ret) /* China time, whatever the machine's zone */
			(*sig)->when.offset = 480;
	}
	git_buf_dispose(&cname);
	git_buf_dispose(&cemail);
	git_config_free(cfg);
	return ret;
}

static int head_commit(git_repository *repo, git_commit **commit)
{
	git_oid oid;
	*commit = NULL;
	if (git_reference_name_to_id(&oid, repo, "HEAD"))
		return 0; /* unborn branch */
	return git_commit_lookup(commit, repo, &oid);
}

int gitrepo_commit_path(git_repository *repo, const char *prefix, const char *msg,
			git_oid *oid, struct strbuf *err)
{
	git_index *index = NULL;
	git_oid tree_oid;
	git_tree *tree = NULL;
	git_commit *parent = NULL;
	git_signature *author = NULL, *committer = NULL;
	char *paths[1];
	git_strarray spec;
	int ret = -1;

	paths[0] = (char *)prefix;
	spec.strings = paths;
	spec.count = 1;
	if (git_repository_index(&index, repo) ||
	    git_index_add_all(index, &spec, GIT_INDEX_ADD_FORCE, NULL, NULL) ||
	    git_index_update_all(index, &spec, NULL, NULL) ||
	    git_index_write(index) || git_index_write_tree(&tree_oid, index) ||
	    git_tree_lookup(&tree, repo, &tree_oid) || head_commit(repo, &parent)) {
		strbuf_addf(err, "unable to stage '%s': %s", prefix, gitrepo_error());
		goto out;
	}
	if (parent && git_oid_equal(git_commit_tree_id(parent), &tree_oid)) {
		ret = 1;
		goto out;
	}
	if (gitrepo_signature(repo, "AUTHOR", &author) ||
	    gitrepo_signature(repo, "COMMITTER", &committer) ||
	    git_commit_create_v(oid, repo, "HEAD", author, committer, NULL, msg, tree,
				parent ? 1 : 0, parent)) {
		strbuf_addf(err, "unable to commit: %s", gitrepo_error());
		goto out;
	}
	ret = 0;
out:
	git_signature_free(author);
	git_signature_free(committer);
	git_commit_free(parent);
	git_tree_free(tree);
	git_index_free(index);
	return ret;
}

int gitrepo_tag(git_repository *repo, const char *name, const git_oid *oid,
		const char *msg, struct strbuf *err)
{
	git_object *target = NULL;
	git_signature *tagger = NULL;
	git_oid tag_oid;
	int ret = -1;
	if (git_object_lookup(&target, repo, oid, GIT_OBJECT_COMMIT) ||
	    gitrepo_signature(repo, "COMMITTER", &tagger) ||
	    git_tag_create(&tag_oid, repo, name, target, tagger, msg, 1)) {
		strbuf_addf(err, "unable to tag '%s': %s", name, gitrepo_error());
		goto out;
	}
	ret = 0;
out:
	git_signature_free(tagger);
	git_object_free(target);
	return ret;
}
