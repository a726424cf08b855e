/* The journal: one append-only, hash-chained event per change of state
 * (docs/design.md §4).  hash = H(prev_hash, seq, at, actor, role, operation,
 * subject, payload), each field length-prefixed; H is SHA-256 (or SM3 when
 * the registry was created with it), through OpenSSL's EVP interface. */
#ifndef PL_STORE_JOURNAL_H
#define PL_STORE_JOURNAL_H

#include <stdint.h>

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

#endif
