/*
 * output: a build writes into a fresh temporary folder beside DEST and only
 * a complete build replaces DEST, in one atomic step (renameat2 with
 * RENAME_EXCHANGE), so readers never see half a site, a failed build leaves
 * the previous DEST untouched, and nothing stale survives.
 *
 * Temporary folders are named ".DESTNAME.jiyue-PID-XXXXXX"; ones left by a
 * killed build (their PID is gone) are removed by the next build.
 */
#ifndef JIYUE_OUTPUT_H
#define JIYUE_OUTPUT_H

struct strbuf;

struct output {
	char *dest;   /* as given */
	char *tmp;    /* the folder being written */
};

/*
 * Check DEST (it must not be, or contain, the source folder) and create the
 * temporary folder.  Returns 0, or -1 with a message in err.
 */
int output_begin(struct output *o, const char *dest, const char *source_dir,
		 struct strbuf *err);
/* Swap the finished tree into place.  Returns 0, or -1 with a message. */
int output_commit(struct output *o, struct strbuf *err);
/* Throw the temporary tree away (after a failure). */
void output_abort(struct output *o);

#endif
