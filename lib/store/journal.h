/* The journal: one append-only, hash-chained event per change of state
 * (docs/design.md §4).  hash = H(prev_hash, seq, at, actor, role, operation,
 * subject, payload), each field length-prefixed; H is SHA-256 (or SM3 when
 * the registry was created with it), through OpenSSL's EVP interface. */
#ifndef PL_STORE_JOURNAL_H
#define PL_STORE_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/merkle.h"
#include "store/backend.h"
#include "store/db.h"

#define PL_HASH_LEN 32

typedef struct pl_event {
    int64_t at_us;
    const char *actor;
    const char *role;
    const char *operation;
    const char *subject;
    const char *payload; /* canonical JSON */
} pl_event;

/* Append one event.  Must run inside a write transaction (the caller's
 * step), so the event commits or rolls back with the change it records.
 * Refuses (PLEDGER_ESTATE) an instant before the last event's: the
 * registry's instants never go backwards. */
int pl_journal_append(pl_db *db, pl_err *e, const pl_event *ev, int64_t *seq_out);

/* Verify the whole chain.  *bad_seq is 0 when intact, else the first
 * sequence number whose row was altered, inserted or removed (a gap names
 * the first missing number); the message in @e says what was wrong.
 * Returns 0 whether or not the chain is intact (check *bad_seq); a
 * negative code only when the verification itself could not run. */
int pl_journal_verify(pl_db *db, pl_err *e, int64_t *bad_seq, int64_t *count);

/* The last event's sequence number and hash (0 and zeros when empty). */
int pl_journal_head(pl_db *db, pl_err *e, int64_t *seq, unsigned char hash[PL_HASH_LEN]);

/* ---- the journal as a Merkle tree (RFC 9162) ----------------------------
 *
 * Event seq is leaf seq - 1.  Its leaf hash is SHA-256(0x00 || its
 * canonical bytes): the fields the chain hashes, in the same encoding,
 * without the previous hash -- seq, at_us, actor, role, operation,
 * subject, payload, each "<length>:<bytes>,".  The tree always uses
 * SHA-256 (RFC 9162), whatever digest the chain uses.  pl_journal_append()
 * adds each event to the tree in the same transaction. */

/* The number of events in the tree. */
int pl_journal_tree_size(pl_db *db, pl_err *e, uint64_t *size);
/* A pl_merkle_get over the stored subtrees; @ctx is the pl_db. */
int pl_journal_tree_get(void *ctx, pl_err *e, unsigned level, uint64_t index, pl_mhash *out);
/* Event @seq's canonical bytes (allocated; *@n set) and its leaf hash. */
int pl_journal_event_bytes(pl_db *db, pl_err *e, int64_t seq, unsigned char **out, size_t *n);
int pl_journal_leaf(pl_db *db, pl_err *e, int64_t seq, pl_mhash *out);
/* Add every event the tree lacks (a registry made before the tree: its
 * history is added on the first write).  Inside a write transaction. */
int pl_journal_tree_sync(pl_db *db, pl_err *e);

/* The signed checkpoints the registry handed out. */
int pl_journal_checkpoint_put(pl_db *db, pl_err *e, uint64_t size, int64_t at_us,
                              const char *note);
/* The latest one (by size, then instant), allocated; NULL when none. */
int pl_journal_checkpoint_latest(pl_db *db, pl_err *e, char **note);

/* A checkpoint the registry keeps, as its note states it (read without
 * its signature, which the registry made): size, root, and when it was
 * signed.  @damaged: the note is not a checkpoint of the size its row
 * keeps it under (its size is the row's, its root zeros). */
typedef struct pl_journal_cp {
    uint64_t size;
    int64_t signed_at;
    pl_mhash root;
    bool damaged;
} pl_journal_cp;

/* Every kept checkpoint, by size then instant (allocated, *@n set; NULL
 * and 0 when there is none).  A damaged one stops the reading:
 * PLEDGER_ECORRUPT naming it (size, instant, what is wrong), with the
 * checkpoints before it and itself (the last, @damaged) in *@out. */
int pl_journal_checkpoints(pl_db *db, pl_err *e, pl_journal_cp **out, size_t *n);

/* What a backend implements of the above (store/backend.h). */
struct pl_journal_ops {
    int (*append)(pl_db *db, pl_err *e, const pl_event *ev, int64_t *seq_out);
    int (*verify)(pl_db *db, pl_err *e, int64_t *bad_seq, int64_t *count);
    int (*head)(pl_db *db, pl_err *e, int64_t *seq, unsigned char hash[PL_HASH_LEN]);
    int (*tree_size)(pl_db *db, pl_err *e, uint64_t *size);
    int (*tree_get)(void *ctx, pl_err *e, unsigned level, uint64_t index, pl_mhash *out);
    int (*event_bytes)(pl_db *db, pl_err *e, int64_t seq, unsigned char **out, size_t *n);
    int (*leaf)(pl_db *db, pl_err *e, int64_t seq, pl_mhash *out);
    int (*tree_sync)(pl_db *db, pl_err *e);
    int (*checkpoint_put)(pl_db *db, pl_err *e, uint64_t size, int64_t at_us, const char *note);
    int (*checkpoint_latest)(pl_db *db, pl_err *e, char **note);
    int (*checkpoints)(pl_db *db, pl_err *e, pl_journal_cp **out, size_t *n);
};

#endif
