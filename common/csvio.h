/*
 * csvio: CSV as spreadsheets write it (RFC 4180 plus what Excel and WPS
 * add): a UTF-8 byte order mark, CRLF or LF line ends, quoted fields that
 * hold commas, doubled quotes and line breaks, blank lines.
 *
 * The reader works on a whole file in memory and hands out one record at a
 * time, with the line and column where each field starts, so callers can
 * report errors as FILE:LINE:COL.  Fields are trimmed of spaces and tabs
 * unless quoted (a quoted field keeps its spaces).
 *
 * Ownership: the reader points into the text given to csv_reader_init()
 * (which must outlive it) and owns its record buffers; csv_reader_release()
 * frees them.
 */
#ifndef JIYUE_CSVIO_H
#define JIYUE_CSVIO_H

#include <stddef.h>

struct strbuf;

struct csv_field {
	char *s;          /* NUL-terminated, unescaped, trimmed */
	size_t len;
	unsigned col;     /* 1-based column (in bytes) where the field starts */
};

struct csv_reader {
	const char *text;
	size_t len, pos;
	unsigned line;           /* line of the next record */
	struct csv_field *fields;
	size_t nr, alloc;
	char *buf;               /* the unescaped fields, one after another */
	size_t buf_alloc;
	unsigned rec_line;       /* line where the current record starts */
	const char *error;       /* why csv_next() failed */
	unsigned err_line, err_col;
};

void csv_reader_init(struct csv_reader *r, const char *text, size_t len);
void csv_reader_release(struct csv_reader *r);

/*
 * Read the next record into r->fields / r->nr, skipping blank lines.
 * Returns 1 with a record, 0 at the end, -1 on malformed input (r->error,
 * r->err_line, r->err_col say what and where).
 */
int csv_next(struct csv_reader *r);

/* Append s as one CSV field, quoted when it needs to be. */
void csv_add_field(struct strbuf *out, const char *s);
/* Append one record: the fields, comma-separated, and "\n". */
void csv_add_row(struct strbuf *out, const char *const *fields, size_t nr);

#endif
