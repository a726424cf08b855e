/* Checking the state tables against the journal: the journal is replayed
 * (store/apply.c, the statements the live path runs) into a private
 * in-memory registry and every state table is compared row by row with
 * the registry's own.  A row changed, deleted or added underneath the
 * library is found, and named by the journal event that wrote it. */
#ifndef PL_STORE_STATE_CHECK_H
#define PL_STORE_STATE_CHECK_H

#include <stdint.h>

#include "store/db.h"

/* Compare the state tables of @db with a replay of its journal.  Run it
 * inside a read transaction of @db (both sides then see one snapshot),
 * after pl_journal_verify() found the chain intact.
 *
 * *bad_seq is 0 when every row matches; else the first (lowest) journal
 * sequence number whose effect the tables do not show (a row it wrote
 * was altered or deleted), or, for a row no event wrote, the number after
 * the last event; the message in @e names the table, the row's key and
 * the column.  Returns 0 whether or not they match; a negative code only
 * when the check itself could not run (out of memory, an event that
 * cannot be applied is reported as a mismatch at that event). */
int pl_state_verify(pl_db *db, pl_err *e, int64_t *bad_seq);

#endif
