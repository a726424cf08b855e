/* Digests (SHA-256, SM3) and random bytes, through OpenSSL's EVP API. */
#ifndef PL_BASE_HASH_H
#define PL_BASE_HASH_H

#include <stdbool.h>
#include <stddef.h>

#include <pledger/common.h>

#ifndef PL_HASH_LEN
#define PL_HASH_LEN 32 /* both digests are 256 bits */
#endif

typedef enum { PL_HASH_SHA256 = 1, PL_HASH_SM3 = 2 } pl_hash_alg;

/* True when the OpenSSL in use provides @a (SM3 may be missing: a build
 * without it, or a FIPS-only provider configuration). */
bool pl_hash_available(pl_hash_alg a);

/* The algorithm's lower-case name ("sha256", "sm3"), NULL if unknown. */
const char *pl_hash_name(pl_hash_alg a);

/* Digest of the @n bytes at @data into @out.  0, PLEDGER_EINVAL when @a is
 * unknown or unavailable, PLEDGER_ENOMEM when OpenSSL fails. */
int pl_hash(pl_hash_alg a, const void *data, size_t n, unsigned char out[32]);
/* The digest of @d1 then @d2 (either may be empty), in one call (the same
 * results). */
int pl_hash_parts(pl_hash_alg a, const void *d1, size_t n1, const void *d2, size_t n2,
                  unsigned char out[32]);

/* Incremental digest: begin, update any number of times, then end (which
 * writes the digest and frees the context) or abort (which only frees it;
 * NULL is fine).  begin: 0, PLEDGER_EINVAL (unknown/unavailable, *out
 * NULL), PLEDGER_ENOMEM.  update: 0, PLEDGER_EINVAL for a NULL context,
 * PLEDGER_ENOMEM when OpenSSL fails.  end: 0 or PLEDGER_ENOMEM; it frees
 * @c in both cases. */
typedef struct pl_hash_ctx pl_hash_ctx;
int pl_hash_begin(pl_hash_ctx **out, pl_hash_alg a);
int pl_hash_update(pl_hash_ctx *c, const void *d, size_t n);
int pl_hash_end(pl_hash_ctx *c, unsigned char out[32]);
void pl_hash_abort(pl_hash_ctx *c);

/* Many digests on one context (no allocation per digest): after begin,
 * update any number of times, then digest (writes it; the context stays
 * and must still be ended or aborted), restart, update, digest, ...
 * restart: 0, PLEDGER_EINVAL for a NULL context, PLEDGER_ENOMEM when
 * OpenSSL fails; digest: 0, PLEDGER_EINVAL, PLEDGER_ENOMEM. */
int pl_hash_restart(pl_hash_ctx *c);
int pl_hash_digest(pl_hash_ctx *c, unsigned char out[32]);

/* Lower-case hexadecimal of the @n bytes at @in; @out has room for 2n+1
 * bytes and is NUL-terminated. */
void pl_hex(const unsigned char *in, size_t n, char *out);

/* @n cryptographically strong random bytes: 0 or PLEDGER_EIO. */
int pl_random_bytes(unsigned char *out, size_t n);

#endif
