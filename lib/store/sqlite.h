/* The SQLite backend's own interface: the connection handle, cached
 * prepared statements and the mapping of SQLite result codes to pledger
 * codes.  Only lib/store/ includes this header (tests/store-boundary.sh
 * enforces it): the layers above call the named operations of
 * store/backend.h, which a second backend implements without SQL. */
#ifndef PL_STORE_SQLITE_H
#define PL_STORE_SQLITE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <sys/types.h>

#include "pledger/types.h"

#include "base/merkle.h"
#include "store/db.h"
#include "store/report.h"

sqlite3 *pl_db_handle(pl_db *db);

/* What a connection keeps of the search reports' companion
 * (store/report.c); zero when the connection opens. */
typedef struct pl_sq_reports {
    bool unsynced;   /* its commits are not synced (pl_report_autosync 0) */
    bool wal_known;  /* the write-ahead log whose directory entry was synced */
    dev_t wal_dev;
    ino_t wal_ino;
    /* the write-ahead log met at this connection's first write of reports
     * since it attached them: the same one must take the next
     * (pl_sq_check_not_moved); ino 0: no write yet */
    dev_t tx_wal_dev;
    ino_t tx_wal_ino;
} pl_sq_reports;
pl_sq_reports *pl_sq_reports_of(pl_db *db);
/* Make the connection's calls wait @us microseconds for a lock (0: not
 * at all, PLEDGER_EBUSY at once); the wait it had, to give back. */
int64_t pl_sq_busy_timeout_swap(pl_db *db, int64_t us);

/* A prepared statement for @sql, cached by the address of @sql (pass a
 * string literal or a static constant).  The statement comes back reset
 * with its bindings cleared; do not finalize it. */
int pl_db_stmt(pl_db *db, pl_err *e, const char *sql, sqlite3_stmt **out);

/* The most times any one cached statement was prepared again since it
 * was first (SQLITE_STMTSTATUS_REPREPARE), and its SQL (NULL when none).
 * A change of schema (ATTACH, a migration) prepares each statement again
 * once; a statement whose plan SQLite marks as depending on a bound
 * value is prepared again at every new value, which costs more than most
 * lookups: the tests hold every statement to once. */
int pl_db_reprepared_most(pl_db *db, const char **sql);

/* Execute SQL with no result rows (schema, pragmas).  Not for user data. */
int pl_db_exec(pl_db *db, pl_err *e, const char *sql);
/* PRAGMA @schema.journal_mode = WAL.  Two connections turning a new file
 * to WAL at once can each be answered SQLITE_BUSY at once (SQLite does not
 * wait where waiting could deadlock): tried again every 5 ms for the
 * handle's busy timeout.  The SQLite result code. */
int pl_db_wal_mode(pl_db *db, const char *schema);

/* Map an SQLite result code to a pledger code, with a message naming
 * what was being done.  Returns the pledger code. */
/* PLEDGER_EIO, naming @path, when the file of @schema ("main",
 * "reports") was deleted, moved or replaced since it was opened: a write
 * to it would be lost with the handle.  0 otherwise. */
/* The open transaction writes @path (the search reports' companion), not
 * the registry: a failure of SQLite's in it names @path (pl_db_fail).
 * Forgotten at its commit or rollback; NULL forgets it now. */
void pl_sq_tx_file(pl_db *db, const char *path);

int pl_sq_check_not_moved(pl_db *db, pl_err *e, const char *schema, const char *path);
int pl_db_fail(pl_db *db, pl_err *e, int rc, const char *what);

/* The code the kinds and states of a row are kept as, checked on the way
 * out of the store: the file's CHECK constraints hold for what pledger
 * writes, but a registry edited outside pledger may hold any integer, and
 * an unknown one must not reach the layers that look it up.  0 when
 * @value is @lo to @hi, else PLEDGER_ECORRUPT naming @what ("kind") of
 * @whose ("pledge 'R-...'"). */
int pl_sq_code_ok(pl_err *e, int value, int lo, int hi, const char *what, const char *whose);
/* The kind (a pledger_kind) and the state (a pledger_pledge_state or a
 * pledger_app_state) of pledge or application @name, as pl_sq_code_ok();
 * NULL for what the row does not hold. */
typedef enum { PL_SQ_PLEDGE, PL_SQ_APPLICATION } pl_sq_row;
int pl_sq_row_ok(pl_err *e, pl_sq_row row, const char *name, const int *kind,
                 const int *state);

/* A tree's subtree (@level, @index) from a table keyed by its post-order
 * position (store/sqlite-tree.c): @sql selects the hash for ?1 (put:
 * inserts ?1 position, ?2 level, ?3 index, ?4 hash); @what names the tree
 * in messages ("journal"). */
/* The search reports read through (store/report-scan.c): the ops of
 * store/report.h, and the ends a write checks before it appends (pl_report_ends). */
int pl_sq_report_scan(pl_db *db, pl_err *e, pl_report_scan_fn each, void *ctx);
int pl_sq_report_checkpoints(pl_db *db, pl_err *e,
                             int (*each)(void *ctx, pl_err *e, uint64_t size, const char *note),
                             void *ctx);
int pl_sq_report_ends(pl_db *db, pl_err *e, uint64_t *last, uint64_t *count, uint64_t *end,
                      uint64_t *checkpoint);

int pl_sq_node_get(pl_db *db, pl_err *e, const char *sql, const char *what, unsigned level,
                   uint64_t index, pl_mhash *out);
int pl_sq_node_put(pl_db *db, pl_err *e, const char *sql, const char *what, unsigned level,
                   uint64_t index, const pl_mhash *h);
/* Keep a signed checkpoint: @sql inserts ?1 size, ?2 instant, ?3 note;
 * @what says what was being done, for the message. */
int pl_sq_checkpoint_put(pl_db *db, pl_err *e, const char *sql, const char *what, uint64_t size,
                         int64_t at, const char *note);

#endif
