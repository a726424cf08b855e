/* The journal's Merkle tree, with the hashing of RFC 9162 (Certificate
 * Transparency 2.0) §2.1: leaf hash SHA-256(0x00 || data), node hash
 * SHA-256(0x01 || left || right), the root of the empty tree SHA-256("").
 *
 * The tree is kept as its complete subtrees: the hash of the subtree of
 * 2^level leaves starting at leaf index << level, written once when its
 * last leaf is appended (pl_merkle_edge_append() says which).  Every root,
 * inclusion proof and consistency proof is then O(log n) reads of stored
 * hashes through a pl_merkle_get callback, never a recomputation.
 *
 * The proofs are RFC 9162's PATH and PROOF (§2.1.3.1, §2.1.4.1), and the
 * verifications its algorithms (§2.1.3.2, §2.1.4.2), so any RFC 9162 or
 * RFC 6962 verifier accepts what pledger proves and the other way round. */
#ifndef PL_BASE_MERKLE_H
#define PL_BASE_MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define PL_MERKLE_HASH 32
/* A proof in a tree of at most 2^63 leaves has at most 64 hashes. */
#define PL_MERKLE_MAX_PROOF 64

typedef struct pl_mhash {
    unsigned char h[PL_MERKLE_HASH];
} pl_mhash;

/* Leaf and node hashes.  0 or PLEDGER_ENOMEM (OpenSSL failed). */
int pl_merkle_leaf(pl_mhash *out, const void *data, size_t len);
int pl_merkle_node(pl_mhash *out, const pl_mhash *left, const pl_mhash *right);
/* The root of the empty tree, SHA-256 of nothing. */
void pl_merkle_empty_root(pl_mhash *out);

/* The stored hash of the complete subtree (@level, @index): leaves
 * [index << level, (index + 1) << level).  Returns 0, or a pledger code
 * with the message set in @e (a missing hash is PLEDGER_ECORRUPT). */
typedef int (*pl_merkle_get)(void *ctx, pl_err *e, unsigned level, uint64_t index,
                             pl_mhash *out);

/* The root of the tree of the first @size leaves. */
int pl_merkle_root(pl_err *e, uint64_t size, pl_merkle_get get, void *ctx, pl_mhash *out);

/* The inclusion proof of leaf @index in the tree of @size leaves, leaf
 * side first: @proof has room for PL_MERKLE_MAX_PROOF hashes, *@count is
 * set.  PLEDGER_EINVAL when @index >= @size. */
int pl_merkle_inclusion(pl_err *e, uint64_t index, uint64_t size, pl_merkle_get get,
                        void *ctx, pl_mhash *proof, size_t *count);

/* The consistency proof between the trees of @m and @n leaves
 * (0 < m <= n); PLEDGER_EINVAL otherwise. */
int pl_merkle_consistency(pl_err *e, uint64_t m, uint64_t n, pl_merkle_get get, void *ctx,
                          pl_mhash *proof, size_t *count);

/* RFC 9162 §2.1.3.2: true when @proof proves @leaf is leaf @index of the
 * tree of @size leaves whose root is @root. */
bool pl_merkle_verify_inclusion(uint64_t index, uint64_t size, const pl_mhash *leaf,
                                const pl_mhash *proof, size_t count, const pl_mhash *root);

/* RFC 9162 §2.1.4.2: true when @proof proves the tree of @m leaves with
 * root @root_m is a prefix of the tree of @n leaves with root @root_n.
 * m == n needs an empty proof and equal roots; m == 0 an empty proof. */
bool pl_merkle_verify_consistency(uint64_t m, uint64_t n, const pl_mhash *root_m,
                                  const pl_mhash *root_n, const pl_mhash *proof,
                                  size_t count);

/* The right edge of a tree (the "compact range" [0, size)): one hash per
 * set bit of size, the largest subtree first.  Appending a leaf is
 * O(log n) hashing and tells which complete subtrees it finished. */
typedef struct pl_merkle_edge {
    uint64_t size;
    unsigned n;                       /* hashes in v: popcount(size) */
    pl_mhash v[64];
} pl_merkle_edge;

/* Called for each complete subtree an append finishes, the leaf first. */
typedef int (*pl_merkle_put)(void *ctx, pl_err *e, unsigned level, uint64_t index,
                             const pl_mhash *hash);

/* The edge of the tree of @size leaves, read through @get. */
int pl_merkle_edge_load(pl_err *e, uint64_t size, pl_merkle_get get, void *ctx,
                        pl_merkle_edge *out);
/* Append the leaf whose hash is @leaf; @put (may be NULL) is told every
 * subtree this completes.  PLEDGER_EINVAL when the tree is full (2^63). */
int pl_merkle_edge_append(pl_err *e, pl_merkle_edge *edge, const pl_mhash *leaf,
                          pl_merkle_put put, void *ctx);
/* The root of the edge's tree. */
int pl_merkle_edge_root(const pl_merkle_edge *edge, pl_mhash *out);

/* The position of the complete subtree (@level, @index) in the order the
 * appends make subtrees (post-order, from 0: a leaf, then the subtrees it
 * completes).  A table keyed by it grows at its right end only. */
uint64_t pl_merkle_node_pos(unsigned level, uint64_t index);

#endif
