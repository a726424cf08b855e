#include "base/merkle.h"

#include <string.h>

#include "base/hash.h"

/* ---- hashing ------------------------------------------------------------ */

int pl_merkle_leaf(pl_mhash *out, const void *data, size_t len)
{
    static const unsigned char prefix = 0x00;
    return pl_hash_parts(PL_HASH_SHA256, &prefix, 1, data, len, out->h);
}

int pl_merkle_node(pl_mhash *out, const pl_mhash *left, const pl_mhash *right)
{
    unsigned char buf[1 + 2 * PL_MERKLE_HASH];

    buf[0] = 0x01;
    memcpy(buf + 1, left->h, PL_MERKLE_HASH);
    memcpy(buf + 1 + PL_MERKLE_HASH, right->h, PL_MERKLE_HASH);
    return pl_hash(PL_HASH_SHA256, buf, sizeof buf, out->h);
}

void pl_merkle_empty_root(pl_mhash *out)
{
    static const unsigned char empty[PL_MERKLE_HASH] = {
        0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4,
        0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b,
        0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
    };
    memcpy(out->h, empty, sizeof empty);
}

/* ---- ranges -------------------------------------------------------------- */

/* The largest power of two below @n (n > 1). */
static uint64_t split_point(uint64_t n)
{
    uint64_t k = 1;
    while (k << 1 < n)
        k <<= 1;
    return k;
}

static bool is_pow2(uint64_t n) { return n && !(n & (n - 1)); }

static unsigned log2u(uint64_t n)
{
    unsigned l = 0;
    while (n >>= 1)
        l++;
    return l;
}

/* MTH(D[a:b]), a < b.  The recursion of RFC 9162 splits [a, b) at the
 * largest power of two k below b - a; every left part it meets is a
 * complete subtree aligned on its size, read as it is stored. */
static int range_hash(pl_err *e, uint64_t a, uint64_t b, pl_merkle_get get, void *ctx,
                      pl_mhash *out)
{
    uint64_t n = b - a;

    if (is_pow2(n) && a % n == 0) {
        unsigned level = log2u(n);
        return get(ctx, e, level, a >> level, out);
    }
    uint64_t k = split_point(n);
    pl_mhash l, r;
    int rc = range_hash(e, a, a + k, get, ctx, &l);
    if (!rc)
        rc = range_hash(e, a + k, b, get, ctx, &r);
    if (!rc && (rc = pl_merkle_node(out, &l, &r)))
        pl_err_oom(e);
    return rc;
}

int pl_merkle_root(pl_err *e, uint64_t size, pl_merkle_get get, void *ctx, pl_mhash *out)
{
    if (size == 0) {
        pl_merkle_empty_root(out);
        return 0;
    }
    return range_hash(e, 0, size, get, ctx, out);
}

/* ---- proofs -------------------------------------------------------------- */

static int push(pl_err *e, pl_mhash *proof, size_t *count, const pl_mhash *h)
{
    if (*count >= PL_MERKLE_MAX_PROOF)
        return pl_err_set(e, PLEDGER_ECORRUPT, "merkle: a proof longer than %d hashes",
                          PL_MERKLE_MAX_PROOF);
    proof[(*count)++] = *h;
    return 0;
}

/* PATH(m, D[a:b]) of RFC 9162 §2.1.3.1, m absolute. */
static int path(pl_err *e, uint64_t m, uint64_t a, uint64_t b, pl_merkle_get get, void *ctx,
                pl_mhash *proof, size_t *count)
{
    if (b - a == 1)
        return 0;
    uint64_t k = split_point(b - a);
    pl_mhash sib;
    int rc;
    if (m < a + k) {
        rc = path(e, m, a, a + k, get, ctx, proof, count);
        if (!rc)
            rc = range_hash(e, a + k, b, get, ctx, &sib);
    } else {
        rc = path(e, m, a + k, b, get, ctx, proof, count);
        if (!rc)
            rc = range_hash(e, a, a + k, get, ctx, &sib);
    }
    return rc ? rc : push(e, proof, count, &sib);
}

int pl_merkle_inclusion(pl_err *e, uint64_t index, uint64_t size, pl_merkle_get get,
                        void *ctx, pl_mhash *proof, size_t *count)
{
    *count = 0;
    if (index >= size)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "merkle: event %llu is not in a tree of %llu events",
                          (unsigned long long)index + 1, (unsigned long long)size);
    return path(e, index, 0, size, get, ctx, proof, count);
}

/* SUBPROOF(m, D[a:b], whole) of RFC 9162 §2.1.4.1, m relative to a. */
static int subproof(pl_err *e, uint64_t m, uint64_t a, uint64_t b, bool whole,
                    pl_merkle_get get, void *ctx, pl_mhash *proof, size_t *count)
{
    uint64_t n = b - a;
    pl_mhash h;
    int rc;

    if (m == n) {
        if (whole)
            return 0;
        rc = range_hash(e, a, b, get, ctx, &h);
        return rc ? rc : push(e, proof, count, &h);
    }
    uint64_t k = split_point(n);
    if (m <= k) {
        rc = subproof(e, m, a, a + k, whole, get, ctx, proof, count);
        if (!rc)
            rc = range_hash(e, a + k, b, get, ctx, &h);
    } else {
        rc = subproof(e, m - k, a + k, b, false, get, ctx, proof, count);
        if (!rc)
            rc = range_hash(e, a, a + k, get, ctx, &h);
    }
    return rc ? rc : push(e, proof, count, &h);
}

int pl_merkle_consistency(pl_err *e, uint64_t m, uint64_t n, pl_merkle_get get, void *ctx,
                          pl_mhash *proof, size_t *count)
{
    *count = 0;
    if (m == 0 || m > n)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "merkle: no consistency proof from %llu to %llu events (the "
                          "older tree must have 1 to %llu)",
                          (unsigned long long)m, (unsigned long long)n,
                          (unsigned long long)n);
    return subproof(e, m, 0, n, true, get, ctx, proof, count);
}

/* ---- verification (RFC 9162 §2.1.3.2, §2.1.4.2) -------------------------- */

static bool same(const pl_mhash *a, const pl_mhash *b)
{
    return memcmp(a->h, b->h, PL_MERKLE_HASH) == 0;
}

bool pl_merkle_verify_inclusion(uint64_t index, uint64_t size, const pl_mhash *leaf,
                                const pl_mhash *proof, size_t count, const pl_mhash *root)
{
    if (index >= size || count > PL_MERKLE_MAX_PROOF)
        return false;
    uint64_t fn = index, sn = size - 1;
    pl_mhash r = *leaf;
    for (size_t i = 0; i < count; i++) {
        if (sn == 0)
            return false;
        if ((fn & 1) || fn == sn) {
            if (pl_merkle_node(&r, &proof[i], &r))
                return false;
            if (!(fn & 1))
                while (fn && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else if (pl_merkle_node(&r, &r, &proof[i])) {
            return false;
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && same(&r, root);
}

bool pl_merkle_verify_consistency(uint64_t m, uint64_t n, const pl_mhash *root_m,
                                  const pl_mhash *root_n, const pl_mhash *proof,
                                  size_t count)
{
    if (m > n || count > PL_MERKLE_MAX_PROOF)
        return false;
    if (m == n && m > 0)
        return count == 0 && same(root_m, root_n);
    if (m == 0) {
        /* every tree extends the empty one, whose root is SHA-256 of
         * nothing (RFC 9162 2.1.1): any other "root of size 0" is not one */
        pl_mhash empty;
        pl_merkle_empty_root(&empty);
        return count == 0 && same(root_m, &empty) && (n > 0 || same(root_n, &empty));
    }
    if (count == 0)
        return false;

    /* A first tree whose size is a power of two is a node of the second:
     * its root starts the path. */
    const pl_mhash *p = proof;
    size_t np = count;
    pl_mhash first;
    bool prepend = is_pow2(m);
    uint64_t fn = m - 1, sn = n - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    pl_mhash fr, sr;
    size_t i = 0;
    if (prepend) {
        first = *root_m;
        fr = sr = first;
    } else {
        fr = sr = p[0];
        i = 1;
    }
    for (; i < np; i++) {
        const pl_mhash *c = &p[i];
        if (sn == 0)
            return false;
        if ((fn & 1) || fn == sn) {
            if (pl_merkle_node(&fr, c, &fr) || pl_merkle_node(&sr, c, &sr))
                return false;
            if (!(fn & 1))
                while (fn && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else if (pl_merkle_node(&sr, &sr, c)) {
            return false;
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && same(&fr, root_m) && same(&sr, root_n);
}

/* ---- the right edge -------------------------------------------------------- */

int pl_merkle_edge_load(pl_err *e, uint64_t size, pl_merkle_get get, void *ctx,
                        pl_merkle_edge *out)
{
    uint64_t start = 0;

    out->size = size;
    out->n = 0;
    for (int level = 63; level >= 0; level--) {
        uint64_t bit = (uint64_t)1 << level;
        if (!(size & bit))
            continue;
        int rc = get(ctx, e, (unsigned)level, start >> level, &out->v[out->n]);
        if (rc)
            return rc;
        out->n++;
        start += bit;
    }
    return 0;
}

int pl_merkle_edge_append(pl_err *e, pl_merkle_edge *edge, const pl_mhash *leaf,
                          pl_merkle_put put, void *ctx)
{
    if (edge->size >= ((uint64_t)1 << 63))
        return pl_err_set(e, PLEDGER_EINVAL, "merkle: the tree is full");
    uint64_t index = edge->size;
    pl_mhash h = *leaf;
    unsigned level = 0;
    int rc;

    if (put && (rc = put(ctx, e, 0, index, &h)))
        return rc;
    /* each trailing one bit of the old size is a subtree the new leaf
     * completes, from the smallest up */
    while (index & 1) {
        if (edge->n == 0)
            return pl_err_set(e, PLEDGER_ECORRUPT, "merkle: the tree's edge is damaged");
        if (pl_merkle_node(&h, &edge->v[edge->n - 1], &h))
            return pl_err_oom(e);
        edge->n--;
        index >>= 1;
        level++;
        if (put && (rc = put(ctx, e, level, index, &h)))
            return rc;
    }
    edge->v[edge->n++] = h;
    edge->size++;
    return 0;
}

int pl_merkle_edge_root(const pl_merkle_edge *edge, pl_mhash *out)
{
    if (edge->n == 0) {
        pl_merkle_empty_root(out);
        return 0;
    }
    pl_mhash r = edge->v[edge->n - 1];
    for (unsigned i = edge->n - 1; i-- > 0;)
        if (pl_merkle_node(&r, &edge->v[i], &r))
            return PLEDGER_ENOMEM;
    *out = r;
    return 0;
}

uint64_t pl_merkle_node_pos(unsigned level, uint64_t index)
{
    /* after the append that makes it, 2n - popcount(n) nodes exist (n
     * leaves, n = (index + 1) << level); the ones made after it in that
     * append are its ancestors it completes: one per trailing 1 of index */
    uint64_t n = (index + 1) << level;
    return 2 * n - (uint64_t)__builtin_popcountll(index + 1) - 1 -
           (uint64_t)__builtin_ctzll(~index);
}
