/* A registry connection as the layers above the store see it: open with
 * checks and migrations, transactions, the clock, settings.  Nothing here
 * names SQLite: its statements and result codes are the SQLite backend's
 * own (store/sqlite.h, included by lib/store/ alone), and the named
 * operations every backend provides are in store/backend.h.  Nothing
 * above this layer opens a connection or runs BEGIN itself. */
#ifndef PL_STORE_DB_H
#define PL_STORE_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "base/merkle.h"

/* 'PLDG': PRAGMA application_id of every pledger registry. */
#define PL_APPLICATION_ID 0x504C4447
/* The schema version this library writes (PRAGMA user_version) is the
 * number of migrations in store/schema.c. */

typedef struct pl_db pl_db;

typedef struct pl_db_options {
    bool read_only;
    bool create;
    int busy_timeout_ms;
    const char *default_office; /* stored when the registry is created */
} pl_db_options;

int pl_db_open(pl_db **out, pl_err *e, const char *path, const pl_db_options *o);
void pl_db_close(pl_db *db);

/* SQLite's PRAGMA data_version: it changes when another connection
 * commits, not for this connection's own changes. */
int pl_db_data_version(pl_db *db, pl_err *e, int64_t *out);
/* The journal tree's right edge as this connection's last append left it
 * (store/journal.c), when nothing changed the file since: NULL unless it
 * was kept at @data_version.  A rollback of a write transaction drops it. */
const pl_merkle_edge *pl_db_edge(const pl_db *db, int64_t data_version);
/* Keep @edge (NULL: drop it). */
void pl_db_edge_set(pl_db *db, const pl_merkle_edge *edge, int64_t data_version);
bool pl_db_read_only(const pl_db *db);
const char *pl_db_path(const pl_db *db);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK.  pl_db_write_begin refuses on a
 * read-only registry with PLEDGER_EREADONLY.  Rollback never fails. */
int pl_db_write_begin(pl_db *db, pl_err *e);
/* A write transaction that takes no lock yet (BEGIN DEFERRED): each
 * database of the connection is locked by its first write, and read at
 * the snapshot of its first read.  For a writer of the search reports
 * alone (store/report.c): the registry's writer does not hold it back. */
int pl_db_write_begin_lazy(pl_db *db, pl_err *e);
/* pl_db_read_begin() inside an open read transaction joins it: the
 * inner read's commit or rollback only ends the inner read, so a query
 * run inside a caller's read reads the caller's snapshot. */
int pl_db_read_begin(pl_db *db, pl_err *e);
int pl_db_commit(pl_db *db, pl_err *e);
void pl_db_rollback(pl_db *db);
bool pl_db_in_tx(const pl_db *db);
/* A read the caller holds across calls (pledger_read_begin): the reads
 * inside it join its snapshot, a write is refused until
 * pl_db_release_read().  Refused while any transaction is open. */
int pl_db_hold_read(pl_db *db, pl_err *e);
int pl_db_release_read(pl_db *db, pl_err *e);
bool pl_db_read_held(const pl_db *db);

/* A batch: one write transaction in which steps nest.  While it is open,
 * pl_db_write_begin/read_begin/commit of the steps only count their depth
 * and a step's pl_db_rollback marks the batch failed (a failed batch
 * refuses further steps).  pl_db_batch_end() commits (@commit, and no
 * step failed) or rolls everything back; rolling back returns 0 when
 * asked for, PLEDGER_ESTATE when a step had failed. */
int pl_db_batch_begin(pl_db *db, pl_err *e);
int pl_db_batch_end(pl_db *db, pl_err *e, bool commit);

/* The clock of the registry: microseconds since 1970-01-01T00:00:00Z.
 * pl_db_set_clock(db, NULL, NULL) (the default) is the system clock. */
typedef int64_t (*pl_db_clock_fn)(void *payload);
void pl_db_set_clock(pl_db *db, pl_db_clock_fn fn, void *payload);
/* The registry's calendar: its dates are days at @minutes east of UTC
 * (meta utc_offset_minutes, set by the API layer when it opens @db). */
void pl_db_set_utc_offset(pl_db *db, int minutes);
/* The registry's date at the instant @at (INT64_MIN: now, pl_db_now()):
 * the day a pledge's period is compared with to tell whether it has run
 * out (PL_SQL_IN_FORCE_ON, pl_pver_lapse). */
int32_t pl_db_day_of(const pl_db *db, int64_t at);
/* A reading of @db's clock (of the system clock when @db is NULL). */
int64_t pl_db_clock(const pl_db *db);
/* The instant of the write transaction: the clock read once, when
 * pl_db_write_begin() held the write lock, so the instants of commits
 * by any number of connections follow their order whenever the clocks
 * do.  Outside a write transaction, a fresh reading of the clock. */
int64_t pl_db_now(const pl_db *db);

/* Settings kept in the registry's meta table. */
int pl_db_meta_get(pl_db *db, pl_err *e, const char *key, char **out);
int pl_db_meta_set(pl_db *db, pl_err *e, const char *key, const char *value);

#endif
