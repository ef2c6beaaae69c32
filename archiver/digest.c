#include "archiver/digest.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <openssl/evp.h>

struct digest {
	EVP_MD_CTX *ctx;
};

static struct digest *digest_new(const EVP_MD *md)
{
	struct digest *d = xmalloc(sizeof(*d));
	d->ctx = EVP_MD_CTX_new();
	/* The only way these fail with a built-in digest is lack of memory. */
	if (!d->ctx || !EVP_DigestInit_ex(d->ctx, md, NULL))
		die("out of memory (digest)");
	return d;
}

struct digest *digest_new_sha1(void)
{
	return digest_new(EVP_sha1());
}

struct digest *digest_new_sha256(void)
{
	return digest_new(EVP_sha256());
}

void digest_update(struct digest *d, const void *data, size_t len)
{
	if (len && !EVP_DigestUpdate(d->ctx, data, len))
		die("digest update failed");
}

static unsigned finish(struct digest *d, unsigned char *md)
{
	unsigned n = 0;
	if (!EVP_DigestFinal_ex(d->ctx, md, &n))
		die("digest finish failed");
	EVP_MD_CTX_free(d->ctx);
	free(d);
	return n;
}

void base32_encode(const void *data, size_t len, struct strbuf *out)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	const unsigned char *p = data;
	unsigned acc = 0;
	unsigned bits = 0;
	size_t i, start = out->len;

	for (i = 0; i < len; i++) {
		acc = ((acc << 8) | p[i]) & 0x1fff; /* < 13 bits are ever pending */
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			strbuf_addch(out, alphabet[(acc >> bits) & 31]);
		}
	}
	if (bits)
		strbuf_addch(out, alphabet[(acc << (5 - bits)) & 31]);
	while ((out->len - start) % 8)
		strbuf_addch(out, '=');
}

void digest_finish_sha1_base32(struct digest *d, struct strbuf *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = finish(d, md);
	strbuf_addstr(out, "sha1:");
	base32_encode(md, n, out);
}

void digest_finish_hex(struct digest *d, struct strbuf *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned i, n = finish(d, md);
	for (i = 0; i < n; i++) {
		strbuf_addch(out, hex[md[i] >> 4]);
		strbuf_addch(out, hex[md[i] & 15]);
	}
}

void digest_sha1_base32(const void *data, size_t len, struct strbuf *out)
{
	struct digest *d = digest_new_sha1();
	digest_update(d, data, len);
	digest_finish_sha1_base32(d, out);
}

void digest_sha256_hex(const void *data, size_t len, struct strbuf *out)
{
	struct digest *d = digest_new_sha256();
	digest_update(d, data, len);
	digest_finish_hex(d, out);
}

int digest_file_sha256_hex(const char *path, struct strbuf *out)
{
	struct digest *d;
	char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	d = digest_new_sha256();
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			struct strbuf scratch = STRBUF_INIT;
			digest_finish_hex(d, &scratch);
			strbuf_release(&scratch);
			close(fd);
			errno = e;
			return -1;
		}
		if (!n)
			break;
		digest_update(d, buf, (size_t)n);
	}
	close(fd);
	digest_finish_hex(d, out);
	return 0;
}
