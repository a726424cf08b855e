#include "base/hash.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

struct pl_hash_ctx {
    EVP_MD_CTX *md;
    EVP_MD *fetched; /* OpenSSL 3: the implementation, fetched once */
};

/* The digest of @a, or NULL.  OpenSSL 3 looks the implementation up on
 * every EVP_DigestInit_ex given the built-in EVP_sha256() object, and a
 * fetch costs more than hashing a Merkle node: each implementation is
 * fetched once per process and kept (*@fetched is left NULL: nothing to
 * free). */
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
static EVP_MD *kept_sha256, *kept_sm3;
static pthread_once_t kept_once = PTHREAD_ONCE_INIT;

static void fetch_kept(void)
{
    kept_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    kept_sm3 = EVP_MD_fetch(NULL, "SM3", NULL);
}
#endif

static const EVP_MD *md_of(pl_hash_alg a, EVP_MD **fetched)
{
    *fetched = NULL;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    pthread_once(&kept_once, fetch_kept);
#endif
    switch (a) {
    case PL_HASH_SHA256:
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
        if (kept_sha256)
            return kept_sha256;
#endif
        return EVP_sha256();
    case PL_HASH_SM3:
#ifndef OPENSSL_NO_SM3
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
        if (kept_sm3)
            return kept_sm3;
#endif
        return EVP_sm3();
#else
        return NULL;
#endif
    default:
        return NULL;
    }
}

static void md_free(EVP_MD *fetched)
{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    EVP_MD_free(fetched);
#else
    (void)fetched;
#endif
}

const char *pl_hash_name(pl_hash_alg a)
{
    switch (a) {
    case PL_HASH_SHA256: return "sha256";
    case PL_HASH_SM3: return "sm3";
    default: return NULL;
    }
}

/* A context initialised for @a, or NULL; *unavailable tells why. */
static EVP_MD_CTX *start(pl_hash_alg a, bool *unavailable, EVP_MD **fetched)
{
    const EVP_MD *md = md_of(a, fetched);
    EVP_MD_CTX *ctx;

    *unavailable = false;
    if (!md) {
        *unavailable = true;
        return NULL;
    }
    if (!(ctx = EVP_MD_CTX_new())) {
        md_free(*fetched);
        *fetched = NULL;
        return NULL;
    }
    if (EVP_DigestInit_ex(ctx, md, NULL) != 1 || EVP_MD_CTX_size(ctx) != PL_HASH_LEN) {
        /* A provider configuration without the algorithm fails here. */
        EVP_MD_CTX_free(ctx);
        md_free(*fetched);
        *fetched = NULL;
        *unavailable = true;
        return NULL;
    }
    return ctx;
}

bool pl_hash_available(pl_hash_alg a)
{
    bool unavailable;
    EVP_MD *fetched;
    EVP_MD_CTX *ctx = start(a, &unavailable, &fetched);
    EVP_MD_CTX_free(ctx);
    md_free(fetched);
    return ctx != NULL;
}

int pl_hash_begin(pl_hash_ctx **out, pl_hash_alg a)
{
    pl_hash_ctx *c;
    bool unavailable;

    if (!out)
        return PLEDGER_EINVAL;
    *out = NULL;
    if (!(c = malloc(sizeof *c)))
        return PLEDGER_ENOMEM;
    if (!(c->md = start(a, &unavailable, &c->fetched))) {
        free(c);
        return unavailable ? PLEDGER_EINVAL : PLEDGER_ENOMEM;
    }
    *out = c;
    return 0;
}

int pl_hash_restart(pl_hash_ctx *c)
{
    if (!c)
        return PLEDGER_EINVAL;
    /* NULL type: the context's own digest, state reset (OpenSSL 1.1.1
     * and 3 alike). */
    if (EVP_DigestInit_ex(c->md, NULL, NULL) != 1)
        return PLEDGER_ENOMEM;
    return 0;
}

int pl_hash_update(pl_hash_ctx *c, const void *d, size_t n)
{
    if (!c || (!d && n))
        return PLEDGER_EINVAL;
    if (n && EVP_DigestUpdate(c->md, d, n) != 1)
        return PLEDGER_ENOMEM;
    return 0;
}

int pl_hash_digest(pl_hash_ctx *c, unsigned char out[32])
{
    unsigned int len = 0;

    if (!c)
        return PLEDGER_EINVAL;
    if (EVP_DigestFinal_ex(c->md, out, &len) != 1 || len != PL_HASH_LEN)
        return PLEDGER_ENOMEM;
    return 0;
}

int pl_hash_end(pl_hash_ctx *c, unsigned char out[32])
{
    int rc = pl_hash_digest(c, out);
    pl_hash_abort(c);
    return rc;
}

void pl_hash_abort(pl_hash_ctx *c)
{
    if (c) {
        EVP_MD_CTX_free(c->md);
        md_free(c->fetched);
        free(c);
    }
}

/* One context per thread for the one-shot digests below: the Merkle tree
 * hashes two 32-byte halves at a time, and making a context for each
 * cost more than the hashing.  Freed when the thread ends. */
static pthread_key_t ctx_key;
static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;
static bool ctx_key_ok;

static void ctx_free(void *p) { EVP_MD_CTX_free(p); }
static void ctx_key_make(void) { ctx_key_ok = pthread_key_create(&ctx_key, ctx_free) == 0; }

int pl_hash_parts(pl_hash_alg a, const void *d1, size_t n1, const void *d2, size_t n2,
                  unsigned char out[32])
{
    EVP_MD *fetched = NULL;
    const EVP_MD *md = md_of(a, &fetched);
    EVP_MD_CTX *ctx = NULL, *own = NULL;
    unsigned int len = 0;
    int rc = 0;

    if (!md || (!d1 && n1) || (!d2 && n2))
        return PLEDGER_EINVAL;
    pthread_once(&ctx_once, ctx_key_make);
    if (ctx_key_ok && !(ctx = pthread_getspecific(ctx_key))) {
        if ((ctx = EVP_MD_CTX_new()) && pthread_setspecific(ctx_key, ctx) != 0)
            own = ctx; /* not kept: freed below */
    } else if (!ctx_key_ok) {
        own = ctx = EVP_MD_CTX_new();
    }
    if (!ctx)
        rc = PLEDGER_ENOMEM;
    else if (EVP_DigestInit_ex(ctx, md, NULL) != 1)
        rc = PLEDGER_EINVAL; /* a provider configuration without the algorithm */
    else if ((n1 && EVP_DigestUpdate(ctx, d1, n1) != 1) ||
             (n2 && EVP_DigestUpdate(ctx, d2, n2) != 1) ||
             EVP_DigestFinal_ex(ctx, out, &len) != 1 || len != PL_HASH_LEN)
        rc = PLEDGER_ENOMEM;
    EVP_MD_CTX_free(own);
    md_free(fetched);
    return rc;
}

int pl_hash(pl_hash_alg a, const void *data, size_t n, unsigned char out[32])
{
    return pl_hash_parts(a, data, n, NULL, 0, out);
}

void pl_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 0x0F];
    }
    out[2 * n] = '\0';
}

int pl_random_bytes(unsigned char *out, size_t n)
{
    while (n > 0) {
        int chunk = n > INT_MAX ? INT_MAX : (int)n;
        if (RAND_bytes(out, chunk) != 1)
            return PLEDGER_EIO;
        out += chunk;
        n -= (size_t)chunk;
    }
    return 0;
}
