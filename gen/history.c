#include "gen/history.h"

#include <dirent.h>
#include "common/fsutil.h"
#include "common/gitrepo.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#include <stdio.h>
#include <git2/sys/odb_backend.h>
#include <openssl/sha.h>
#include <zlib.h>
#include <string.h>
#include <sys/stat.h>

int history_open(struct history *h, const char *source_dir, const char *branch, struct strbuf *err)
{
	memset(h, 0, sizeof(*h));
	strmap_init(&h->notices);
	h->branch = xstrdup(branch);
	h->ref = xstrdup("refs/heads/");
	h->ref = xrealloc(h->ref, strlen(h->ref) + strlen(branch) + 1);
	strcat(h->ref, branch);
	git_libgit2_init();
	if (git_repository_open_ext(&h->repo, source_dir, 0, NULL)) {
		h->repo = NULL; /* not a repository: no history */
		return 0;
	}
	if (git_repository_is_bare(h->repo)) {
		strbuf_addf(err, "'%s' is in a bare repository", source_dir);
		return -1;
	}
	return 0;
}

static void free_notice(struct history_notice *n)
{
	free(n->slug);
	free(n->kind);
	free(n);
}

void history_release(struct history *h)
{
	size_t i;
	for (i = 0; i < h->notices.cap; i++)
		if (h->notices.slots[i].val)
			free_notice(h->notices.slots[i].val);
	strmap_release(&h->notices);
	git_repository_free(h->repo);
	free(h->branch);
	free(h->ref);
	memset(h, 0, sizeof(*h));
}

struct cdate history_commit_date(const git_commit *c)
{
	return date_from_epoch((long long)git_commit_time(c));
}

void history_short_id(const git_oid *oid, struct strbuf *out)
{
	char buf[GIT_OID_HEXSZ + 1];
	git_oid_tostr(buf, sizeof(buf), oid);
	strbuf_add(out, buf, 7);
}

/* "Notice: slug kind published until" */
static int parse_trailer(const char *line, size_t len, char **slug, char **kind,
			 struct cdate *pub, struct cdate *until)
{
	char buf[512], s[256], k[64], p[32], u[32];
	if (len >= sizeof(buf) || len < 8 || memcmp(line, "Notice: ", 8))
		return -1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (sscanf(buf + 8, "%255s %63s %31s %31s", s, k, p, u) != 4 ||
	    date_parse(p, pub, NULL) || date_parse(u, until, NULL))
		return -1;
	*slug = xstrdup(s);
	*kind = xstrdup(k);
	return 0;
}

/* One publish commit: which notices it shows, and which it no longer shows. */
static void scan_commit(struct history *h, git_commit *c, struct strmap *shown)
{
	const char *msg = git_commit_message(c), *p = msg;
	struct cdate day = history_commit_date(c);
	size_t i;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char *slug, *kind;
		struct cdate pub, until;
		if (!parse_trailer(p, len, &slug, &kind, &pub, &until)) {
			struct history_notice *n = strmap_get(&h->notices, slug);
			if (!n) {
				n = xcalloc(1, sizeof(*n));
				n->slug = slug;
				n->kind = kind;
				n->published = pub;
				n->until = until;
				n->first = *git_commit_id(c);
				n->first_date = day;
				strmap_put(&h->notices, slug, n);
			} else {
				free(slug);
				free(kind);
			}
			n->last = *git_commit_id(c);
			n->last_date = day;
			n->gone = 0;
			strmap_put(shown, n->slug, n);
		}
		p = eol ? eol + 1 : NULL;
	}
	/* notices shown before but not by this commit are gone from here on */
	for (i = 0; i < h->notices.cap; i++) {
		struct history_notice *n = h->notices.slots[i].val;
		if (n && !n->gone && !strmap_get(shown, n->slug)) {
			n->gone = 1;
			n->gone_commit = *git_commit_id(c);
			n->gone_date = day;
		}
	}
}

int history_scan(struct history *h, struct strbuf *err)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	int ret = -1;

	if (!h->repo)
		return 0;
	if (git_reference_name_to_id(&h->tip, h->repo, h->ref))
		return 0; /* nothing published yet */
	h->has_tip = 1;
	if (git_revwalk_new(&walk, h->repo) || git_revwalk_push(walk, &h->tip)) {
		strbuf_addf(err, "unable to read the branch '%s': %s", h->branch, gitrepo_error());
		goto out;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	git_revwalk_simplify_first_parent(walk);
	while (!git_revwalk_next(&oid, walk)) {
		git_commit *c;
		struct strmap shown = STRMAP_INIT;
		if (git_commit_lookup(&c, h->repo, &oid))
			continue;
		scan_commit(h, c, &shown);
		strmap_release(&shown);
		git_commit_free(c);
		h->nr_commits++;
	}
	ret = 0;
out:
	git_revwalk_free(walk);
	return ret;
}

/* ---- writing a tree from a folder ---- */

/*
 * New objects are collected in memory, zlib-compressed, and written as
 * packfiles of at most PACK_LIMIT bytes through libgit2's pack writer: a
 * first build of 100,000 pages writes a few packs, not 100,000 loose files.
 * We write the pack ourselves, without deltas, because libgit2's
 * packbuilder spends seconds searching for deltas among pages that share
 * nothing but their template.
 */
#define PACK_LIMIT (64u << 20)

struct tree_writer {
	git_repository *repo;
	git_odb *odb;
	struct strbuf pack;       /* entries of the pack being collected */
	unsigned nr_objects;
	struct strmap pending;    /* hex ids of the objects in it */
	const struct strmap *known;
	struct strbuf rel;
	struct strbuf *err;
};

static void pack_entry_header(struct strbuf *sb, git_object_t type, size_t size)
{
	unsigned char c = (unsigned char)((type << 4) | (size & 15));
	size >>= 4;
	while (size) {
		strbuf_addch(sb, c | 0x80);
		c = size & 0x7f;
		size >>= 7;
	}
	strbuf_addch(sb, c);
}

/* Queue an object for the next pack (unless it is there or queued already). */
static int queue_object(struct tree_writer *t, const git_oid *oid, git_object_t type,
			const void *data, size_t len)
{
	char hex[GIT_OID_HEXSZ + 1];
	z_stream zs;
	int r;
	git_oid_tostr(hex, sizeof(hex), oid);
	if (strmap_get(&t->pending, hex) || git_odb_exists(t->odb, oid))
		return 0;
	strmap_put(&t->pending, hex, (void *)1);
	pack_entry_header(&t->pack, type, len);
	memset(&zs, 0, sizeof(zs));
	if (deflateInit(&zs, 1) != Z_OK)
		return -1;
	strbuf_grow(&t->pack, deflateBound(&zs, (uLong)len));
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)t->pack.buf + t->pack.len;
	zs.avail_out = (uInt)(t->pack.alloc - t->pack.len - 1);
	r = deflate(&zs, Z_FINISH);
	t->pack.len = (size_t)((char *)zs.next_out - t->pack.buf);
	deflateEnd(&zs);
	t->nr_objects++;
	return r == Z_STREAM_END ? 0 : -1;
}

/* Write the queued objects as one packfile. */
static int flush_pack(struct tree_writer *t)
{
	struct strbuf pack = STRBUF_INIT;
	unsigned char hdr[12] = { 'P', 'A', 'C', 'K', 0, 0, 0, 2 }, sum[20];
	git_odb_writepack *wp = NULL;
	git_indexer_progress stats;
	unsigned n = t->nr_objects;
	int r;
	if (!n)
		return 0;
	hdr[8] = (unsigned char)(n >> 24);
	hdr[9] = (unsigned char)(n >> 16);
	hdr[10] = (unsigned char)(n >> 8);
	hdr[11] = (unsigned char)n;
	strbuf_add(&pack, hdr, sizeof(hdr));
	strbuf_addbuf(&pack, &t->pack);
	SHA1((const unsigned char *)pack.buf, pack.len, sum);
	strbuf_add(&pack, sum, sizeof(sum));
	memset(&stats, 0, sizeof(stats));
	r = git_odb_write_pack(&wp, t->odb, NULL, NULL);
	if (!r)
		r = wp->append(wp, pack.buf, pack.len, &stats);
	if (!r)
		r = wp->commit(wp, &stats);
	if (wp)
		wp->free(wp);
	strbuf_release(&pack);
	strbuf_reset(&t->pack);
	strmap_release(&t->pending);
	t->nr_objects = 0;
	return r;
}

static int queue_and_maybe_flush(struct tree_writer *t, const git_oid *oid, git_object_t type,
				 const void *data, size_t len)
{
	if (queue_object(t, oid, type, data, len))
		return -1;
	return t->pack.len > PACK_LIMIT ? flush_pack(t) : 0;
}

static int blob_for(struct tree_writer *t, const char *path, git_oid *oid)
{
	const unsigned char *k = t->known ? strmap_get(t->known, t->rel.buf) : NULL;
	if (k)
		git_oid_fromraw(oid, k);
	else if (git_odb_hashfile(oid, path, GIT_OBJECT_BLOB))
		return -1;
	/* unchanged files reuse their blobs: write only what is new */
	if (git_odb_exists(t->odb, oid))
		return 0;
	{
		struct strbuf data = STRBUF_INIT;
		int r = strbuf_read_file(&data, path) ? -1 :
			queue_and_maybe_flush(t, oid, GIT_OBJECT_BLOB, data.buf, data.len);
		strbuf_release(&data);
		return r;
	}
}

struct tree_entry {
	char *name;
	int is_dir;
	git_oid oid;
};

/* git's order: names compared as if directories ended with '/' */
static int cmp_entries(const void *va, const void *vb)
{
	const struct tree_entry *a = va, *b = vb;
	size_t la = strlen(a->name), lb = strlen(b->name), n = la < lb ? la : lb;
	int c = memcmp(a->name, b->name, n);
	unsigned char ca, cb;
	if (c)
		return c;
	ca = la > n ? (unsigned char)a->name[n] : a->is_dir ? '/' : 0;
	cb = lb > n ? (unsigned char)b->name[n] : b->is_dir ? '/' : 0;
	return (int)ca - (int)cb;
}

/*
 * Serialise and hash the tree ourselves and write it only when it is new:
 * an unchanged rebuild then writes no object at all.
 */
static int store_tree(struct tree_writer *t, struct tree_entry *e, size_t nr, git_oid *oid)
{
	struct strbuf raw = STRBUF_INIT;
	size_t i;
	int r = 0;
	qsort(e, nr, sizeof(*e), cmp_entries);
	for (i = 0; i < nr; i++) {
		strbuf_addf(&raw, "%s %s", e[i].is_dir ? "40000" : "100644", e[i].name);
		strbuf_addch(&raw, '\0');
		strbuf_add(&raw, e[i].oid.id, GIT_OID_RAWSZ);
	}
	if (git_odb_hash(oid, raw.buf, raw.len, GIT_OBJECT_TREE))
		r = -1;
	else
		r = queue_and_maybe_flush(t, oid, GIT_OBJECT_TREE, raw.buf, raw.len);
	strbuf_release(&raw);
	return r;
}

/* A folder's type from readdir when the file system says it, else from lstat. */
static int entry_type(const char *path, const struct dirent *d)
{
	struct stat st;
	if (d->d_type == DT_DIR || d->d_type == DT_REG || d->d_type == DT_LNK)
		return d->d_type;
	if (lstat(path, &st))
		return DT_UNKNOWN;
	return S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
}

/* Store the tree of a folder; store_tree sorts, so readdir order is fine. */
static int write_dir(struct tree_writer *t, const char *dir, git_oid *tree_oid)
{
	DIR *dh = opendir(dir);
	struct dirent *d;
	size_t n = 0, alloc = 0, i, base = t->rel.len;
	struct strbuf path = STRBUF_INIT;
	struct tree_entry *e = NULL;
	int ret = -1;

	if (!dh) {
		strbuf_addf(t->err, "unable to read '%s'", dir);
		return -1;
	}
	while ((d = readdir(dh))) {
		int type;
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, d->d_name);
		strbuf_setlen(&t->rel, base);
		strbuf_addf(&t->rel, "%s%s", base ? "/" : "", d->d_name);
		type = entry_type(path.buf, d);
		if (type != DT_DIR && type != DT_REG)
			continue;
		ALLOC_GROW(e, n + 1, alloc);
		memset(&e[n], 0, sizeof(e[n]));
		e[n].name = xstrdup(d->d_name);
		e[n].is_dir = type == DT_DIR;
		n++;
		if (type == DT_DIR ? write_dir(t, path.buf, &e[n - 1].oid) : blob_for(t, path.buf, &e[n - 1].oid))
			goto fail;
	}
	if (store_tree(t, e, n, tree_oid))
		goto fail;
	ret = 0;
	goto out;
fail:
	strbuf_addf(t->err, "unable to store '%s' in the publish history: %s", path.buf, gitrepo_error());
out:
	strbuf_setlen(&t->rel, base);
	for (i = 0; i < n; i++)
		free(e[i].name);
	free(e);
	closedir(dh);
	strbuf_release(&path);
	return ret;
}

static int move_branch(struct history *h, const git_oid *oid, git_commit *parent)
{
	git_reference *ref = NULL;
	int r = git_reference_create_matching(&ref, h->repo, h->ref, oid, 1,
					      parent ? git_commit_id(parent) : NULL, "jiyue build");
	git_reference_free(ref);
	return r;
}

int history_record(struct history *h, const char *out_dir, const struct strmap *known,
		   const char *msg, int *committed, git_oid *oid, struct strbuf *err)
{
	struct tree_writer t;
	git_oid tree_oid;
	git_tree *tree = NULL;
	git_commit *parent = NULL;
	git_signature *author = NULL, *committer = NULL;
	int ret = -1;

	*committed = 0;
	memset(&t, 0, sizeof(t));
	t.repo = h->repo;
	t.known = known;
	t.err = err;
	strbuf_init(&t.rel, 0);
	strbuf_init(&t.pack, 0);
	strmap_init(&t.pending);
	if (git_repository_odb(&t.odb, h->repo)) {
		strbuf_addf(err, "unable to open the object database: %s", gitrepo_error());
		goto out;
	}
	if (write_dir(&t, out_dir, &tree_oid) || flush_pack(&t))
		goto out;
	if (h->has_tip && git_commit_lookup(&parent, h->repo, &h->tip)) {
		strbuf_addf(err, "unable to read the branch '%s': %s", h->branch, gitrepo_error());
		goto out;
	}
	if (parent && git_oid_equal(git_commit_tree_id(parent), &tree_oid)) {
		ret = 0; /* the same output: no commit */
		goto out;
	}
	/* the branch moves only once every object is safely in a pack */
	if (git_tree_lookup(&tree, h->repo, &tree_oid) ||
	    gitrepo_signature(h->repo, "AUTHOR", &author) ||
	    gitrepo_signature(h->repo, "COMMITTER", &committer) ||
	    git_commit_create_v(oid, h->repo, NULL, author, committer, NULL, msg, tree,
				parent ? 1 : 0, parent) ||
	    move_branch(h, oid, parent)) {
		strbuf_addf(err, "unable to commit to '%s': %s", h->branch, gitrepo_error());
		goto out;
	}
	h->tip = *oid;
	h->has_tip = 1;
	*committed = 1;
	ret = 0;
out:
	git_signature_free(author);
	git_signature_free(committer);
	git_commit_free(parent);
	git_tree_free(tree);
	strbuf_release(&t.pack);
	strmap_release(&t.pending);
	git_odb_free(t.odb);
	strbuf_release(&t.rel);
	return ret;
}

void history_source_state(struct history *h, struct strbuf *out)
{
	git_oid head;
	git_status_list *st = NULL;
	git_status_options so;
	size_t changes = 0;
	if (!h->repo || git_reference_name_to_id(&head, h->repo, "HEAD")) {
		strbuf_addstr(out, "no commit");
		return;
	}
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (!git_status_list_new(&st, h->repo, &so))
		changes = git_status_list_entrycount(st);
	git_status_list_free(st);
	{
		char buf[GIT_OID_HEXSZ + 1];
		git_oid_tostr(buf, sizeof(buf), &head);
		strbuf_addstr(out, buf);
	}
	if (changes)
		strbuf_addf(out, " (with uncommitted changes: %zu files)", changes);
}
