/* Applying journal events to the state tables.  Every change of state is
 * an event whose canonical JSON payload holds every value the change
 * writes (numbers, codes, documents); one table of SQL statements per
 * operation writes the rows from the payload.  The table is indexed by the
 * workflow's steps (store/steps.h: pl_step_operation() names each step's
 * operation), with the operations that are no step's own listed apart.  The live path (record) and
 * the rebuild path (replay) run the same statements, so the journal alone
 * rebuilds the state.  The payload is read once per event (canonical JSON)
 * and its members bound to the statements' named parameters: $a__b is the
 * value at $.a.b, @x the JSON text of $.x, :seq, :at and :actor the
 * event's sequence number, instant and actor; anything the reader does not
 * take as a plain value is bound as SQLite's own ->> would give it. */
#ifndef PL_STORE_APPLY_H
#define PL_STORE_APPLY_H

#include "store/journal.h"

/* Append @ev to the journal (pl_journal_append: refused when its instant
 * is before the last event's) and apply it.  Inside a write transaction. */
int pl_record(pl_db *db, pl_err *e, const pl_event *ev, int64_t *seq_out);

/* Apply one event's payload to the state tables. */
int pl_apply(pl_db *db, pl_err *e, const char *operation, const char *payload,
             int64_t seq, int64_t at_us, const char *actor);

/* Empty the state tables and rebuild them from the journal, in one
 * transaction.  The reference register and settings are not state. */
int pl_replay(pl_db *db, pl_err *e);

#endif
