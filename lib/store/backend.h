/* The store's backend interface: the named operations the layers above
 * the store call, grouped by subject, as tables of function pointers --
 * the way SQLite's sqlite3_vfs or libgit2's git_odb_backend let a second
 * implementation slot in.  A backend fills every table; the SQLite
 * backend (store/sqlite-*.c) is the first.  docs/backend.md tells how to
 * write another.
 *
 * Rules of every operation:
 * - It takes the connection first and a pl_err second, returns 0 or a
 *   pledger code (PLEDGER_ENOMEM, PLEDGER_EBUSY, PLEDGER_EIO,
 *   PLEDGER_ECORRUPT ...) with the message set: a backend maps its own
 *   failures to pledger codes, none of its codes or types cross this
 *   line.  A row that is not there is not a failure: a lookup says so
 *   (a bool *found, or no call of its callback) and the layer above
 *   words the domain's message.
 * - It runs inside the transaction its caller opened with
 *   pl_db_read_begin() / pl_db_write_begin() (store/db.h); it never opens
 *   or ends one itself unless its description says so.
 * - Rows come back as the plain C structs of the group's header (owned by
 *   the caller, freed with the group's clear function) or through a
 *   callback per row (strings valid during the call; the callback
 *   returns 0 to go on, > 0 to stop early, < 0 a pledger code to stop
 *   with); no cursor, row id or statement escapes.
 * - Instants are int64 microseconds since 1970 (UTC), dates int32 day
 *   numbers, amounts int64 minor units: what the columns hold. */
#ifndef PL_STORE_BACKEND_H
#define PL_STORE_BACKEND_H

#include "store/db.h"

/* The connection: what store/db.h does over a backend.  pl_db_open()
 * makes the pl_db (its path and mode) and calls open, which keeps its
 * own state with pl_db_conn_set() and, when it may write, creates or
 * migrates the schema; pl_db_close() rolls back and calls close.  The
 * nesting of transactions in a batch, the clock and the settings' error
 * messages are db.c's, the same for every backend. */
typedef struct pl_conn_ops {
    int (*open)(pl_db *db, pl_err *e, const char *path, const pl_db_options *o);
    void (*close)(pl_db *db);
    /* Begin a transaction: @write takes the write lock now (waiting for
     * it up to the busy timeout: PLEDGER_EBUSY), else a read snapshot. */
    int (*begin)(pl_db *db, pl_err *e, bool write);
    int (*commit)(pl_db *db, pl_err *e);
    /* End the open transaction, if any, undoing it; never fails. */
    void (*rollback)(pl_db *db);
    /* A number that changes when another connection commits. */
    int (*data_version)(pl_db *db, pl_err *e, int64_t *out);
    /* The registry's settings (the meta table): *found false when @key
     * has none. */
    int (*meta_get)(pl_db *db, pl_err *e, const char *key, char **out, bool *found);
    int (*meta_set)(pl_db *db, pl_err *e, const char *key, const char *value);
} pl_conn_ops;

/* The backend's state of @db, as its open kept it. */
void *pl_db_conn(const pl_db *db);
void pl_db_conn_set(pl_db *db, void *conn);

/* One table per subject, each defined in its own header. */
typedef struct pl_journal_ops pl_journal_ops; /* store/journal.h: the journal, its tree, checkpoints */
typedef struct pl_rows_ops pl_rows_ops;       /* store/pledge-row.h: a pledge's rows at an instant */
typedef struct pl_reports_ops pl_reports_ops; /* store/report.h: the search reports */
typedef struct pl_query_ops pl_query_ops; /* store/ops-query.h: statistics, due list, verification, search */
typedef struct pl_refreg_ops pl_refreg_ops; /* store/ops-refreg.h: the reference register's import and lookups */
typedef struct pl_review_ops pl_review_ops; /* store/ops-review.h: pledges and applications on a right */
typedef struct pl_flow_ops pl_flow_ops; /* store/ops-flow.h: applications, ids, sequences, sweep, calendar */
typedef struct pl_exchange_ops pl_exchange_ops; /* store/ops-exchange.h: the data line's batches */

typedef struct pl_backend {
    const char *name; /* "sqlite" */
    const pl_conn_ops *conn;
    const pl_journal_ops *journal;
    const pl_rows_ops *rows;
    const pl_reports_ops *reports;
    const pl_query_ops *query;
    const pl_refreg_ops *refreg;
    const pl_review_ops *review;
    const pl_flow_ops *flow;
    const pl_exchange_ops *exchange;
} pl_backend;

/* The backend of @db (set when it was opened). */
const pl_backend *pl_db_backend(const pl_db *db);

/* The operations of group @group of @db's backend:
 * PL_OPS(db, query)->stats_sums(db, e, ...). */
#define PL_OPS(db, group) (pl_db_backend(db)->group)

/* The SQLite backend (store/sqlite-backend.c). */
extern const pl_backend pl_sqlite_backend;

#endif
