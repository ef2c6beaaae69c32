/*
 * digest: the fixity strings of the archive formats, over OpenSSL's EVP.
 *
 * WARC records carry SHA-1 as "sha1:" + RFC 4648 base32 (upper case, 32
 * characters, no padding needed for 20 bytes), as every WARC tool writes
 * it; WACZ's datapackage.json carries SHA-256 as lower-case hex (the caller
 * adds the "sha256:" label).  All functions append to out.  Running out of
 * memory inside OpenSSL is fatal, as everywhere else.
 */
#ifndef JIYUE_DIGEST_H
#define JIYUE_DIGEST_H

#include <stddef.h>

struct strbuf;

/* Appends "sha1:" and the base32 SHA-1 of data. */
void digest_sha1_base32(const void *data, size_t len, struct strbuf *out);
/* Appends the 64 lower-case hex digits of the SHA-256 of data. */
void digest_sha256_hex(const void *data, size_t len, struct strbuf *out);
/* SHA-256 of a whole file, as hex; 0, or -1 with errno set (out unchanged). */
int digest_file_sha256_hex(const char *path, struct strbuf *out);

/* RFC 4648 base32, upper case, with '=' padding. */
void base32_encode(const void *data, size_t len, struct strbuf *out);

/*
 * Incremental hashing, for a digest over pieces that are never joined
 * (a WARC block is the HTTP head followed by the body).
 * digest_finish_*() append the result and free d.
 */
struct digest;
struct digest *digest_new_sha1(void);
struct digest *digest_new_sha256(void);
void digest_update(struct digest *d, const void *data, size_t len);
void digest_finish_sha1_base32(struct digest *d, struct strbuf *out);
void digest_finish_hex(struct digest *d, struct strbuf *out);

#endif
