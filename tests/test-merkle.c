/* lib/base/merkle and lib/base/note: RFC 9162 trees, proofs and their
 * verification against the published vectors of the RFC 6962/9162
 * implementations (the transparency-dev and certificate-transparency test
 * data), a property test over random sizes against a naive reference, and
 * C2SP signed notes and checkpoints against Go's sumdb/note vector. */
#include "testutil.h"

#include <stdint.h>
#include <stdlib.h>

#include "base/hash.h"
#include "base/merkle.h"
#include "base/note.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

/* ---- a tree in memory: every complete subtree, as the journal stores them */

typedef struct mem_tree {
    size_t n;
    pl_mhash *level[64];
    size_t cap[64];
    uint64_t gets;
} mem_tree;

static int mem_put(void *ctx, pl_err *e, unsigned level, uint64_t index, const pl_mhash *h)
{
    mem_tree *t = ctx;
    (void)e;
    if (index >= t->cap[level]) {
        size_t cap = t->cap[level] ? t->cap[level] * 2 : 16;
        while (cap <= index)
            cap *= 2;
        pl_mhash *v = realloc(t->level[level], cap * sizeof *v);
        ck_assert_ptr_nonnull(v);
        t->level[level] = v;
        t->cap[level] = cap;
    }
    t->level[level][index] = *h;
    return 0;
}

static int mem_get(void *ctx, pl_err *e, unsigned level, uint64_t index, pl_mhash *out)
{
    mem_tree *t = ctx;
    t->gets++;
    if (level >= 64 || index >= t->cap[level] || (index + 1) << level > t->n)
        return pl_err_set(e, PLEDGER_ECORRUPT, "no subtree (%u, %llu)", level,
                          (unsigned long long)index);
    *out = t->level[level][index];
    return 0;
}

static void mem_free(mem_tree *t)
{
    for (int i = 0; i < 64; i++)
        free(t->level[i]);
}

static void unhex(const char *hex, unsigned char *out, size_t n)
{
    ck_assert_uint_eq(strlen(hex), 2 * n);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (unsigned char)v;
    }
}

static pl_mhash H(const char *hex)
{
    pl_mhash h;
    unhex(hex, h.h, 32);
    return h;
}

/* The leaves of the published vectors. */
static const char *const leaves_hex[] = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
};
static const char *const roots_hex[] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

static void build_vectors_tree(mem_tree *t, pl_merkle_edge *edge)
{
    pl_err e = { 0, "" };
    memset(t, 0, sizeof *t);
    memset(edge, 0, sizeof *edge);
    for (size_t i = 0; i < 8; i++) {
        unsigned char data[16];
        size_t n = strlen(leaves_hex[i]) / 2;
        unhex(leaves_hex[i], data, n);
        pl_mhash leaf;
        ck_assert_int_eq(pl_merkle_leaf(&leaf, data, n), 0);
        ck_assert_int_eq(pl_merkle_edge_append(&e, edge, &leaf, mem_put, t), 0);
        t->n = i + 1;
        pl_mhash root, want = H(roots_hex[i]);
        ck_assert_int_eq(pl_merkle_edge_root(edge, &root), 0);
        ck_assert_mem_eq(root.h, want.h, 32);
        ck_assert_int_eq(pl_merkle_root(&e, i + 1, mem_get, t, &root), 0);
        ck_assert_mem_eq(root.h, want.h, 32);
    }
}

START_TEST(hashes_and_roots)
{
    mem_tree t;
    pl_merkle_edge edge;
    pl_mhash h, want;
    pl_err e = { 0, "" };

    pl_merkle_empty_root(&h);
    want = H("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ck_assert_mem_eq(h.h, want.h, 32);
    ck_assert_int_eq(pl_merkle_root(&e, 0, mem_get, NULL, &h), 0);
    ck_assert_mem_eq(h.h, want.h, 32);
    build_vectors_tree(&t, &edge);
    /* the stored complete subtrees are the published node hashes */
    want = H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e");
    ck_assert_mem_eq(t.level[1][1].h, want.h, 32);
    want = H("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    ck_assert_mem_eq(t.level[2][1].h, want.h, 32);
    /* the edge read back from storage is the edge appended */
    pl_merkle_edge loaded;
    for (uint64_t n = 1; n <= 8; n++) {
        t.n = n;
        ck_assert_int_eq(pl_merkle_edge_load(&e, n, mem_get, &t, &loaded), 0);
        ck_assert_int_eq(pl_merkle_edge_root(&loaded, &h), 0);
        want = H(roots_hex[n - 1]);
        ck_assert_mem_eq(h.h, want.h, 32);
    }
    mem_free(&t);
}
END_TEST

static const struct {
    uint64_t leaf, size;   /* leaf 1-based, as published */
    const char *proof[3];
} inclusion[] = {
    { 1, 1, { NULL } },
    { 1, 8, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
              "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
    { 6, 8, { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
              "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
    { 3, 3, { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" } },
    { 2, 5, { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
              "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
};

static const struct {
    uint64_t m, n;
    const char *proof[3];
} consistency[] = {
    { 1, 1, { NULL } },
    { 1, 8, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
              "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
    { 6, 8, { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
              "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
    { 2, 5, { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
    { 6, 7, { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
              "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
};

START_TEST(published_inclusion_proofs)
{
    mem_tree t;
    pl_merkle_edge edge;
    pl_err e = { 0, "" };
    build_vectors_tree(&t, &edge);

    for (size_t v = 0; v < sizeof inclusion / sizeof inclusion[0]; v++) {
        pl_mhash want[3], got[PL_MERKLE_MAX_PROOF], leaf, root;
        size_t n = 0, count = 0;
        while (n < 3 && inclusion[v].proof[n]) {
            want[n] = H(inclusion[v].proof[n]);
            n++;
        }
        uint64_t index = inclusion[v].leaf - 1, size = inclusion[v].size;
        ck_assert_int_eq(pl_merkle_inclusion(&e, index, size, mem_get, &t, got, &count), 0);
        ck_assert_uint_eq(count, n);
        for (size_t i = 0; i < n; i++)
            ck_assert_mem_eq(got[i].h, want[i].h, 32);
        leaf = t.level[0][index];
        root = H(roots_hex[size - 1]);
        ck_assert(pl_merkle_verify_inclusion(index, size, &leaf, want, n, &root));

        /* the published corruptions: each must fail */
        pl_mhash bad[PL_MERKLE_MAX_PROOF + 2];
        if (index > 0)
            ck_assert(!pl_merkle_verify_inclusion(index - 1, size, &leaf, want, n, &root));
        ck_assert(!pl_merkle_verify_inclusion(index + 1, size, &leaf, want, n, &root));
        ck_assert(!pl_merkle_verify_inclusion(index ^ 2, size, &leaf, want, n, &root) ||
                  (index ^ 2) == index);
        ck_assert(!pl_merkle_verify_inclusion(index, size * 2, &leaf, want, n, &root));
        if (size / 2 > index)
            ck_assert(!pl_merkle_verify_inclusion(index, size / 2, &leaf, want, n, &root));
        pl_mhash other = H("abacaba000000000000000000000000000000000000000000060061e00123456");
        ck_assert(!pl_merkle_verify_inclusion(index, size, &other, want, n, &root));
        ck_assert(!pl_merkle_verify_inclusion(index, size, &leaf, want, n, &other));
        memcpy(bad, want, n * sizeof *want);
        bad[n] = root;                                  /* trailing root */
        ck_assert(!pl_merkle_verify_inclusion(index, size, &leaf, bad, n + 1, &root));
        bad[0] = root;                                  /* preceding root */
        memcpy(bad + 1, want, n * sizeof *want);
        ck_assert(!pl_merkle_verify_inclusion(index, size, &leaf, bad, n + 1, &root));
        for (size_t i = 0; i < n; i++) {                /* one bit flipped */
            memcpy(bad, want, n * sizeof *want);
            bad[i].h[0] ^= 8;
            ck_assert(!pl_merkle_verify_inclusion(index, size, &leaf, bad, n, &root));
        }
        if (n > 0)                                      /* a hash removed */
            ck_assert(!pl_merkle_verify_inclusion(index, size, &leaf, want, n - 1, &root));
    }
    /* out of the tree */
    pl_mhash some = H("abacaba000000000000000000000000000000000000000000060061e00123456");
    ck_assert(!pl_merkle_verify_inclusion(0, 0, &some, NULL, 0, &some));
    ck_assert(!pl_merkle_verify_inclusion(1, 1, &some, NULL, 0, &some));
    ck_assert(pl_merkle_verify_inclusion(0, 1, &some, NULL, 0, &some));
    size_t count;
    pl_mhash proof[PL_MERKLE_MAX_PROOF];
    ck_assert_int_eq(pl_merkle_inclusion(&e, 8, 8, mem_get, &t, proof, &count), PLEDGER_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "event 9"));
    mem_free(&t);
}
END_TEST

START_TEST(published_consistency_proofs)
{
    mem_tree t;
    pl_merkle_edge edge;
    pl_err e = { 0, "" };
    build_vectors_tree(&t, &edge);

    for (size_t v = 0; v < sizeof consistency / sizeof consistency[0]; v++) {
        pl_mhash want[3], got[PL_MERKLE_MAX_PROOF], bad[PL_MERKLE_MAX_PROOF + 2];
        size_t n = 0, count = 0;
        while (n < 3 && consistency[v].proof[n]) {
            want[n] = H(consistency[v].proof[n]);
            n++;
        }
        uint64_t m = consistency[v].m, sz = consistency[v].n;
        ck_assert_int_eq(pl_merkle_consistency(&e, m, sz, mem_get, &t, got, &count), 0);
        ck_assert_uint_eq(count, n);
        for (size_t i = 0; i < n; i++)
            ck_assert_mem_eq(got[i].h, want[i].h, 32);
        pl_mhash r1 = H(roots_hex[m - 1]), r2 = H(roots_hex[sz - 1]);
        ck_assert(pl_merkle_verify_consistency(m, sz, &r1, &r2, want, n));
        if (n == 0)
            continue;
        /* the published corruptions */
        ck_assert(!pl_merkle_verify_consistency(m - 1, sz, &r1, &r2, want, n));
        ck_assert(!pl_merkle_verify_consistency(m + 1, sz, &r1, &r2, want, n));
        ck_assert(!pl_merkle_verify_consistency(m ^ 2, sz, &r1, &r2, want, n));
        ck_assert(!pl_merkle_verify_consistency(m, sz * 2, &r1, &r2, want, n));
        ck_assert(!pl_merkle_verify_consistency(m, sz / 2, &r1, &r2, want, n));
        ck_assert(!pl_merkle_verify_consistency(m, sz, &r2, &r1, want, n));
        ck_assert(!pl_merkle_verify_consistency(m, sz, &r1, &r2, want, 0));
        memcpy(bad, want, n * sizeof *want);
        bad[n] = r1;
        ck_assert(!pl_merkle_verify_consistency(m, sz, &r1, &r2, bad, n + 1));
        bad[n] = r2;
        ck_assert(!pl_merkle_verify_consistency(m, sz, &r1, &r2, bad, n + 1));
        bad[0] = r1;
        memcpy(bad + 1, want, n * sizeof *want);
        ck_assert(!pl_merkle_verify_consistency(m, sz, &r1, &r2, bad, n + 1));
        bad[0] = r2;
        ck_assert(!pl_merkle_verify_consistency(m, sz, &r1, &r2, bad, n + 1));
        bad[0] = want[0];
        ck_assert(!pl_merkle_verify_consistency(m, sz, &r1, &r2, bad, n + 1));
        ck_assert(!pl_merkle_verify_consistency(m, sz, &r1, &r2, want, n - 1));
        for (size_t i = 0; i < n; i++) {
            memcpy(bad, want, n * sizeof *want);
            bad[i].h[0] ^= 16;
            ck_assert(!pl_merkle_verify_consistency(m, sz, &r1, &r2, bad, n));
        }
    }
    /* the sizes that are always consistent, and time travel */
    pl_mhash r1 = H(roots_hex[0]), r2 = H(roots_hex[1]), empty;
    pl_merkle_empty_root(&empty);
    /* the empty tree's root is SHA-256 of nothing: another "root of size
     * 0" is consistent with nothing */
    ck_assert(pl_merkle_verify_consistency(0, 0, &empty, &empty, NULL, 0));
    ck_assert(pl_merkle_verify_consistency(0, 1, &empty, &r2, NULL, 0));
    ck_assert(!pl_merkle_verify_consistency(0, 0, &r1, &r1, NULL, 0));
    ck_assert(!pl_merkle_verify_consistency(0, 1, &r1, &r2, NULL, 0));
    ck_assert(!pl_merkle_verify_consistency(0, 1, &empty, &r2, &empty, 1));
    ck_assert(!pl_merkle_verify_consistency(1, 1, &r1, &r2, NULL, 0));
    ck_assert(!pl_merkle_verify_consistency(1, 0, &r1, &r2, NULL, 0));
    ck_assert(!pl_merkle_verify_consistency(2, 1, &r1, &r2, NULL, 0));
    ck_assert(!pl_merkle_verify_consistency(1, 2, &r1, &r2, NULL, 0));
    size_t count;
    pl_mhash proof[PL_MERKLE_MAX_PROOF];
    ck_assert_int_eq(pl_merkle_consistency(&e, 0, 8, mem_get, &t, proof, &count),
                     PLEDGER_EINVAL);
    ck_assert_int_eq(pl_merkle_consistency(&e, 9, 8, mem_get, &t, proof, &count),
                     PLEDGER_EINVAL);
    mem_free(&t);
}
END_TEST

/* MTH of leaves [a, b) straight from RFC 9162's definition. */
static void naive_root(const pl_mhash *leaves, uint64_t a, uint64_t b, pl_mhash *out)
{
    if (b - a == 1) {
        *out = leaves[a];
        return;
    }
    uint64_t k = 1;
    while (k << 1 < b - a)
        k <<= 1;
    pl_mhash l, r;
    naive_root(leaves, a, a + k, &l);
    naive_root(leaves, a + k, b, &r);
    ck_assert_int_eq(pl_merkle_node(out, &l, &r), 0);
}

/* Random sizes: every root equals the definition's, every proof the code
 * makes verifies, and at most 2 log2(n) + 2 hashes are read for it. */
START_TEST(property_random_sizes)
{
    enum { MAX = 1500 };
    mem_tree t;
    pl_merkle_edge edge;
    pl_err e = { 0, "" };
    pl_mhash *leaves = malloc(MAX * sizeof *leaves), *roots = malloc(MAX * sizeof *roots);
    unsigned seed = 20261203;

    ck_assert_ptr_nonnull(leaves);
    ck_assert_ptr_nonnull(roots);
    memset(&t, 0, sizeof t);
    memset(&edge, 0, sizeof edge);
    for (uint64_t i = 0; i < MAX; i++) {
        char data[32];
        int n = snprintf(data, sizeof data, "event %llu", (unsigned long long)i);
        ck_assert_int_eq(pl_merkle_leaf(&leaves[i], data, (size_t)n), 0);
        ck_assert_int_eq(pl_merkle_edge_append(&e, &edge, &leaves[i], mem_put, &t), 0);
        t.n = i + 1;
        ck_assert_int_eq(pl_merkle_edge_root(&edge, &roots[i]), 0);
    }
    /* under memcheck, fewer rounds: the same code paths, a seventh of
     * the repetitions (tests/meson.build, the valgrind setup) */
    const int rounds = getenv("PLEDGER_VALGRIND") ? 60 : 400;
    for (int round = 0; round < rounds; round++) {
        uint64_t n = 1 + (uint64_t)rand_r(&seed) % MAX;
        uint64_t m = 1 + (uint64_t)rand_r(&seed) % n;
        uint64_t i = (uint64_t)rand_r(&seed) % n;
        unsigned log2n = 0;
        while (((uint64_t)1 << log2n) < n)
            log2n++;
        pl_mhash want, got, proof[PL_MERKLE_MAX_PROOF];
        size_t count;

        naive_root(leaves, 0, n, &want);
        ck_assert_mem_eq(roots[n - 1].h, want.h, 32);
        t.gets = 0;
        ck_assert_int_eq(pl_merkle_root(&e, n, mem_get, &t, &got), 0);
        ck_assert_mem_eq(got.h, want.h, 32);
        ck_assert_uint_le(t.gets, log2n + 1);

        t.gets = 0;
        ck_assert_int_eq(pl_merkle_inclusion(&e, i, n, mem_get, &t, proof, &count), 0);
        ck_assert_uint_le(t.gets, 2 * log2n + 2);
        ck_assert(pl_merkle_verify_inclusion(i, n, &leaves[i], proof, count, &want));
        if (n > 1)
            ck_assert(!pl_merkle_verify_inclusion(i, n, &leaves[(i + 1) % n], proof, count,
                                                  &want));

        t.gets = 0;
        ck_assert_int_eq(pl_merkle_consistency(&e, m, n, mem_get, &t, proof, &count), 0);
        ck_assert_uint_le(t.gets, 2 * log2n + 2);
        ck_assert(pl_merkle_verify_consistency(m, n, &roots[m - 1], &want, proof, count));
        if (m < n && m > 1) {
            ck_assert(!pl_merkle_verify_consistency(m - 1, n, &roots[m - 1], &want, proof,
                                                    count));
            ck_assert(!pl_merkle_verify_consistency(m, n, &roots[m - 2], &want, proof,
                                                    count));
        }
    }
    free(leaves);
    free(roots);
    mem_free(&t);
}
END_TEST

/* A history rewritten and every hash recomputed: the new tree cannot be
 * proved consistent with a root kept from before. */
START_TEST(rewrite_detected)
{
    mem_tree a, b;
    pl_merkle_edge ea, eb;
    pl_err e = { 0, "" };
    pl_mhash kept, proof[PL_MERKLE_MAX_PROOF], root_b;
    size_t count;

    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&ea, 0, sizeof ea);
    memset(&eb, 0, sizeof eb);
    for (int i = 0; i < 100; i++) {
        char data[64];
        pl_mhash leaf;
        int n = snprintf(data, sizeof data, "{\"amount\":%d}", i == 41 ? 999 : 300000000);
        ck_assert_int_eq(pl_merkle_leaf(&leaf, data, (size_t)n), 0);
        ck_assert_int_eq(pl_merkle_edge_append(&e, &eb, &leaf, mem_put, &b), 0);
        n = snprintf(data, sizeof data, "{\"amount\":%d}", 300000000);
        ck_assert_int_eq(pl_merkle_leaf(&leaf, data, (size_t)n), 0);
        ck_assert_int_eq(pl_merkle_edge_append(&e, &ea, &leaf, mem_put, &a), 0);
        a.n = b.n = (size_t)i + 1;
        if (i == 59)
            ck_assert_int_eq(pl_merkle_edge_root(&ea, &kept), 0);   /* a bank keeps size 60 */
    }
    ck_assert_int_eq(pl_merkle_edge_root(&eb, &root_b), 0);
    ck_assert_int_eq(pl_merkle_consistency(&e, 60, 100, mem_get, &b, proof, &count), 0);
    ck_assert(!pl_merkle_verify_consistency(60, 100, &kept, &root_b, proof, count));
    ck_assert_int_eq(pl_merkle_consistency(&e, 60, 100, mem_get, &a, proof, &count), 0);
    pl_mhash root_a;
    ck_assert_int_eq(pl_merkle_edge_root(&ea, &root_a), 0);
    ck_assert(pl_merkle_verify_consistency(60, 100, &kept, &root_a, proof, count));
    mem_free(&a);
    mem_free(&b);
}
END_TEST

/* ---- signed notes --------------------------------------------------------- */

static const char go_skey[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char go_vkey[] = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char go_text[] = "If you think cryptography is the answer to your problem,\n"
                              "then you don't know what your problem is.\n";
static const char go_note[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKv"
    "qfqdngotpRZb6KE6RyyBwJnAM=\n";

START_TEST(note_go_vector)
{
    pl_err e = { 0, "" };
    pl_note_key *sk = NULL, *vk = NULL;
    char *note = NULL, *vtext = NULL;
    pl_note_opened o;

    ck_assert_msg(pl_note_key_skey(&e, go_skey, &sk) == 0, "%s", e.msg);
    ck_assert_int_eq(pl_note_key_vkey(&e, go_vkey, &vk), 0);
    ck_assert_uint_eq(pl_note_key_id(sk), 0xc74f20a3u);
    ck_assert_uint_eq(pl_note_key_id(vk), 0xc74f20a3u);
    ck_assert_int_eq(pl_note_key_vkey_text(&e, sk, &vtext), 0);
    ck_assert_str_eq(vtext, go_vkey);
    /* Ed25519 is deterministic: the same note, byte for byte */
    const pl_note_key *signers[] = { sk };
    ck_assert_int_eq(pl_note_sign(&e, go_text, signers, 1, &note), 0);
    ck_assert_str_eq(note, go_note);
    const pl_note_key *trusted[] = { vk };
    ck_assert_int_eq(pl_note_open(&e, go_note, strlen(go_note), trusted, 1, &o), 0);
    ck_assert_str_eq(o.text, go_text);
    ck_assert_uint_eq(o.n_verified, 1);
    pl_note_opened_clear(&o);

    /* one letter changed: the trusted key's signature fails, the note is refused */
    char *forged = strdup(go_note);
    forged[strstr(forged, "cryptography") - forged + 11] = 'Y';
    ck_assert_int_eq(pl_note_open(&e, forged, strlen(forged), trusted, 1, &o), PLEDGER_ECODE);
    ck_assert_ptr_nonnull(strstr(e.msg, "PeterNeumann"));
    free(forged);
    free(note);
    free(vtext);
    pl_note_key_free(sk);
    pl_note_key_free(vk);
}
END_TEST

static pl_note_key *pem_key(const char *name, const char *alg, bool private_key)
{
    EVP_PKEY *p = EVP_PKEY_Q_keygen(NULL, NULL, alg);
    ck_assert_ptr_nonnull(p);
    BIO *b = BIO_new(BIO_s_mem());
    ck_assert_ptr_nonnull(b);
    if (private_key)
        ck_assert_int_eq(PEM_write_bio_PrivateKey(b, p, NULL, NULL, 0, NULL, NULL), 1);
    else
        ck_assert_int_eq(PEM_write_bio_PUBKEY(b, p), 1);
    char *data;
    long n = BIO_get_mem_data(b, &data);
    pl_note_key *k = NULL;
    pl_err e = { 0, "" };
    ck_assert_msg(pl_note_key_pem(&e, name, data, (size_t)n, &k) == 0, "%s", e.msg);
    BIO_free(b);
    EVP_PKEY_free(p);
    return k;
}

START_TEST(note_keys_sign_verify_rotate)
{
    pl_err e = { 0, "" };
    pl_note_key *old = pem_key("registry.example.cn/FZ01", "ED25519", true);
    pl_note_key *cur = pem_key("registry.example.cn/FZ01", "ED25519", true);
    pl_note_key *sm2 = pem_key("registry.example.cn/FZ01-sm2", "SM2", true);
    pl_note_key *stranger = pem_key("registry.example.cn/FZ01", "ED25519", true);
    char *text = NULL, *note = NULL, *origin = NULL;
    pl_note_opened o;
    pl_mhash root = H(roots_hex[7]), got;
    uint64_t size;

    ck_assert_int_eq(pl_note_key_alg(sm2), PL_NOTE_SM2);
    ck_assert_int_eq(pl_checkpoint_text(&e, "registry.example.cn/FZ01", 8, &root, &text), 0);
    ck_assert_str_eq(text, "registry.example.cn/FZ01\n8\nXcnaeacGWamtVZy3Ad7Zoqudgjqt"
                           "L0lgz+Nw7/RgQyg=\n");
    /* signed by the old key and SM2 */
    const pl_note_key *by[] = { old, sm2 };
    ck_assert_int_eq(pl_note_sign(&e, text, by, 2, &note), 0);
    /* a bank trusting the current and the old key (rotation) reads it */
    const pl_note_key *trust[] = { cur, old };
    ck_assert_int_eq(pl_note_open(&e, note, strlen(note), trust, 2, &o), 0);
    ck_assert_uint_eq(o.n_verified, 1);
    ck_assert_ptr_eq(o.verified[0], old);
    ck_assert_int_eq(pl_checkpoint_parse(&e, o.text, &origin, &size, &got), 0);
    ck_assert_str_eq(origin, "registry.example.cn/FZ01");
    ck_assert_uint_eq(size, 8);
    ck_assert_mem_eq(got.h, root.h, 32);
    pl_note_opened_clear(&o);
    /* trusting only SM2 works too */
    const pl_note_key *trust_sm2[] = { sm2 };
    ck_assert_int_eq(pl_note_open(&e, note, strlen(note), trust_sm2, 1, &o), 0);
    pl_note_opened_clear(&o);
    /* a key of the same name it does not know: no trusted signature */
    const pl_note_key *other[] = { stranger };
    ck_assert_int_eq(pl_note_open(&e, note, strlen(note), other, 1, &o), PLEDGER_ECODE);
    /* a public key alone cannot sign */
    pl_note_key *pub = pem_key("registry.example.cn/FZ01", "ED25519", false);
    ck_assert(!pl_note_key_can_sign(pub));
    const pl_note_key *bad[] = { pub };
    char *none = NULL;
    ck_assert_int_eq(pl_note_sign(&e, text, bad, 1, &none), PLEDGER_EINVAL);
    ck_assert_ptr_null(none);
    free(origin);
    free(text);
    free(note);
    pl_note_key_free(old);
    pl_note_key_free(cur);
    pl_note_key_free(sm2);
    pl_note_key_free(stranger);
    pl_note_key_free(pub);
}
END_TEST

START_TEST(note_and_checkpoint_malformed)
{
    pl_err e = { 0, "" };
    pl_note_key *vk = NULL, *k = NULL;
    pl_note_opened o;
    char *origin = NULL;
    uint64_t size;
    pl_mhash root;
    ck_assert_int_eq(pl_note_key_vkey(&e, go_vkey, &vk), 0);
    const pl_note_key *t[] = { vk };
    static const char *const notes[] = {
        "",                                        /* empty */
        "text\n",                                  /* no signatures */
        "text\n\n",                                /* no signature line */
        "text\n\nPeterNeumann x08go=\n",           /* no em dash */
        "text\n\n\xe2\x80\x94 PeterNeumann !!!!\n", /* not base64 */
        "text\n\n\xe2\x80\x94 PeterNeumann x08g\n", /* too short */
        "te\x01xt\n\n\xe2\x80\x94 PeterNeumann x08go/ZJ\n", /* control character */
        "text\n\n\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIu"
        "GUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",  /* no final newline */
        "\xff\xfe\n\n\xe2\x80\x94 a b\n",           /* not UTF-8 */
    };
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
        int rc = pl_note_open(&e, notes[i], strlen(notes[i]), t, 1, &o);
        ck_assert_msg(rc == PLEDGER_EINVAL || rc == PLEDGER_ECODE, "note %zu: %d", i, rc);
        ck_assert_ptr_null(o.text);
    }
    /* what is wrong is said naming the line (and the character) */
    static const struct {
        const char *note, *msg;
    } said[] = {
        { "text\r\n\n\xe2\x80\x94 PeterNeumann x08go/ZJ\n",
          "note: line 1 ends with a carriage return (a CRLF line end): a signed note's lines "
          "end with a line feed alone" },
        { "\xef\xbb\xbftext\n\n\xe2\x80\x94 PeterNeumann x08go/ZJ\n",
          "note: line 1: it begins with a byte order mark (U+FEFF), which is no part of a "
          "signed note: save it without one" },
        { "o\n8\n\xe6\xa0\xb9x\x1b[0m\n\n\xe2\x80\x94 a b\n",
          "note: line 3: U+001B at character 3: a control character; a note holds none but "
          "line feeds" },
        { "o\n\n\xe2\x80\x94 a b\x00" "c\n",
          "note: line 3: U+0000 at character 6: a control character; a note holds none but "
          "line feeds" },
        { "o\nx\ry\n\n\xe2\x80\x94 a b\n",
          "note: line 2: U+000D at character 2: a control character; a note holds none but "
          "line feeds" },
        { "o\n\xe6\xa0\xff\n\n\xe2\x80\x94 a b\n", "note: line 2: not UTF-8 text at character 1" },
    };
    for (size_t i = 0; i < sizeof said / sizeof said[0]; i++) {
        /* (strlen stops at a NUL: the length of the text as written) */
        size_t n = strlen(said[i].note);
        if (strstr(said[i].msg, "U+0000"))
            n += 1 + strlen(said[i].note + n + 1);
        ck_assert_int_eq(pl_note_open(&e, said[i].note, n, t, 1, &o), PLEDGER_EINVAL);
        ck_assert_str_eq(e.msg, said[i].msg);
    }
    char many[2048] = "o\n\n";
    for (int i = 0; i < 40; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many),
                 "\xe2\x80\x94 k%d AAAAAAAA\n", i);
    ck_assert_int_eq(pl_note_open(&e, many, strlen(many), t, 1, &o), PLEDGER_EINVAL);
    ck_assert_str_eq(e.msg, "note: line 35: more than 32 signatures");
    static const char *const cps[] = {
        "", "origin\n", "origin\n8\n", "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n-1\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n18446744073709551616\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n8\nXcnaeacGWamtVZy3Ad7Zoqudgjqt\n", "o\n8\nnot base64 at all!\n",
        /* an empty extension line (C2SP tlog-checkpoint: they are not empty) */
        "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n",
        "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\next\n\nmore\n",
    };
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        ck_assert_msg(pl_checkpoint_parse(&e, cps[i], &origin, &size, &root) == PLEDGER_EINVAL,
                      "checkpoint %zu", i);
        ck_assert_ptr_null(origin);
    }
    ck_assert_int_eq(pl_checkpoint_parse(&e, "o\n18446744073709551615\n"
                                             "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
                                             "extension line\n", &origin, &size, &root), 0);
    ck_assert_uint_eq(size, UINT64_MAX);
    free(origin);
    /* key names and keys */
    static const char *const names[] = { "", "a b", "a+b", "a\xe3\x80\x80" "b", "a\nb" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        ck_assert_int_eq(pl_note_key_pem(&e, names[i], "x", 1, &k), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_note_key_pem(&e, "ok", "not a pem", 9, &k), PLEDGER_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "'ok'"));
    ck_assert_int_eq(pl_note_key_pem_file(&e, "ok", "/nonexistent/key.pem", &k),
                     PLEDGER_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(e.msg, "/nonexistent/key.pem"));
    ck_assert_int_eq(pl_note_key_vkey(&e, "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiB"
                                          "fsVkmqq/LDE4izWy10TW", &k), PLEDGER_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "does not match"));
    pl_note_key *rsa = NULL;
    EVP_PKEY *p = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    BIO *b = BIO_new(BIO_s_mem());
    ck_assert_int_eq(PEM_write_bio_PUBKEY(b, p), 1);
    char *data;
    long n = BIO_get_mem_data(b, &data);
    ck_assert_int_eq(pl_note_key_pem(&e, "ec", data, (size_t)n, &rsa), PLEDGER_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "Ed25519 or SM2"));
    BIO_free(b);
    EVP_PKEY_free(p);
    pl_note_key_free(vk);
}
END_TEST

static Suite *merkle_suite(void)
{
    Suite *s = suite_create("merkle");
    TCase *tc = tcase_create("tree");
    tcase_add_test(tc, hashes_and_roots);
    tcase_add_test(tc, published_inclusion_proofs);
    tcase_add_test(tc, published_consistency_proofs);
    tcase_add_test(tc, property_random_sizes);
    tcase_add_test(tc, rewrite_detected);
    suite_add_tcase(s, tc);
    tc = tcase_create("notes");
    tcase_add_test(tc, note_go_vector);
    tcase_add_test(tc, note_keys_sign_verify_rotate);
    tcase_add_test(tc, note_and_checkpoint_malformed);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(merkle_suite)
