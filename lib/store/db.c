/* A registry connection whatever its backend (store/db.h): the
 * transactions and their nesting in a batch, the registry's clock, the
 * journal tree's cached edge and the settings, over the backend's
 * connection operations (store/backend.h, pl_conn_ops). */
#include "store/db.h"

#include <pledger/common.h>
#include "store/backend.h"
#include "base/date.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct pl_db {
    const pl_backend *be;
    void *conn; /* the backend's own state */
    char *path;
    bool read_only;
    int tx_depth;
    bool batch;        /* pl_db_batch_begin(): steps nest inside one transaction */
    bool batch_failed; /* a nested step rolled back: the batch can only roll back */
    bool tx_write;     /* the open transaction holds the write lock */
    int read_nest;     /* reads begun inside an open read transaction, not yet ended */
    bool read_held;    /* the open read is the caller's (pl_db_hold_read) */
    int64_t tx_now;    /* its instant, read once the lock was held */
    pl_db_clock_fn clock;
    void *clock_payload;
    int utc_offset;    /* minutes east of UTC of the registry's dates */
    /* the Merkle tree's right edge after this connection's last append
     * (store/journal.c), valid while edge_valid; the data version then */
    pl_merkle_edge edge;
    int64_t edge_dv;
    bool edge_valid;
};

const pl_backend *pl_db_backend(const pl_db *db) { return db->be; }
void *pl_db_conn(const pl_db *db) { return db->conn; }
void pl_db_conn_set(pl_db *db, void *conn) { db->conn = conn; }
bool pl_db_read_only(const pl_db *db) { return db->read_only; }
const char *pl_db_path(const pl_db *db) { return db->path; }
bool pl_db_in_tx(const pl_db *db) { return db->tx_depth > 0; }

bool pl_db_read_held(const pl_db *db) { return db->read_held; }

/* ---- the clock -------------------------------------------------------- */

static int64_t system_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void pl_db_set_clock(pl_db *db, pl_db_clock_fn fn, void *payload)
{
    db->clock = fn;
    db->clock_payload = fn ? payload : NULL;
}

int64_t pl_db_clock(const pl_db *db)
{
    return db && db->clock ? db->clock(db->clock_payload) : system_clock();
}

void pl_db_set_utc_offset(pl_db *db, int minutes) { db->utc_offset = minutes; }

int32_t pl_db_day_of(const pl_db *db, int64_t at)
{
    return pl_date_of_instant(at == INT64_MIN ? pl_db_now(db) : at, db->utc_offset);
}

int64_t pl_db_now(const pl_db *db)
{
    return db->tx_depth > 0 && db->tx_write ? db->tx_now : pl_db_clock(db);
}

/* ---- transactions ---------------------------------------------------- */

/* A step's own transaction inside a batch: the batch's.  No savepoint:
 * a step that fails fails the whole batch (pl_db_batch_end() can then
 * only roll back), so there is nothing to undo step by step. */
static int nest(pl_db *db, pl_err *e)
{
    if (db->batch_failed)
        return pl_err_set(e, PLEDGER_ESTATE, "a step of this batch failed; the batch is "
                          "rolled back");
    db->tx_depth++;
    return 0;
}

static int write_begin(pl_db *db, pl_err *e, bool lock_now)
{
    if (db->read_only)
        return pl_err_set(e, PLEDGER_EREADONLY,
                          "registry '%s' was opened read-only", db->path);
    if (db->read_held)
        return pl_err_set(e, PLEDGER_ESTATE, "a read is held on this handle "
                          "(pledger_read_begin): end it with pledger_read_end before a change");
    if (db->batch)
        return nest(db, e);
    if (db->tx_depth > 0)
        return pl_err_set(e, PLEDGER_ESTATE, "a transaction is already open");
    int rc = db->be->conn->begin(db, e, lock_now);
    if (rc)
        return rc;
    db->tx_depth = 1;
    db->tx_write = true;
    /* Not before: a commit by another connection while this one waited
     * for the lock would carry a later instant than this step's. */
    db->tx_now = pl_db_clock(db);
    /* A clock that gives no instant (pledger_set_clock(): a Python clock
     * that raised gives PLEDGER_AS_OF_CURRENT) is no step's: what it
     * recorded could never be read back. */
    if (db->tx_now < PLEDGER_INSTANT_MIN || db->tx_now > PLEDGER_INSTANT_MAX) {
        int64_t bad = db->tx_now;
        pl_db_rollback(db);
        return pl_err_set(e, PLEDGER_EINVAL,
                          "the registry's clock gives %" PRId64 " microseconds since 1970, not "
                          "an instant from 0000-01-01 to 9999-12-31: see to the clock it was "
                          "given; nothing was recorded", bad);
    }
    return 0;
}

int pl_db_write_begin(pl_db *db, pl_err *e) { return write_begin(db, e, true); }

int pl_db_write_begin_lazy(pl_db *db, pl_err *e) { return write_begin(db, e, false); }

int pl_db_read_begin(pl_db *db, pl_err *e)
{
    if (db->batch)
        return nest(db, e);
    if (db->tx_depth > 0 && !db->tx_write) {
        /* a read inside a read: it joins the snapshot already open */
        db->tx_depth++;
        db->read_nest++;
        return 0;
    }
    if (db->tx_depth > 0)
        return pl_err_set(e, PLEDGER_ESTATE, "a transaction is already open");
    int rc = db->be->conn->begin(db, e, false);
    if (rc)
        return rc;
    db->tx_depth = 1;
    db->tx_write = false;
    return 0;
}

int pl_db_hold_read(pl_db *db, pl_err *e)
{
    if (db->read_held)
        return pl_err_set(e, PLEDGER_ESTATE, "a read is already held on this handle "
                          "(pledger_read_begin)");
    if (db->batch || db->tx_depth > 0)
        return pl_err_set(e, PLEDGER_ESTATE, "a transaction is open on this handle");
    int rc = pl_db_read_begin(db, e);
    if (rc == 0)
        db->read_held = true;
    return rc;
}

int pl_db_release_read(pl_db *db, pl_err *e)
{
    if (!db->read_held)
        return pl_err_set(e, PLEDGER_ESTATE, "no read is held on this handle "
                          "(pledger_read_begin)");
    db->read_held = false;
    db->read_nest = 0;
    pl_db_rollback(db);
    return 0;
}

int pl_db_commit(pl_db *db, pl_err *e)
{
    if (db->read_nest > 0) {
        db->read_nest--;
        db->tx_depth--;
        return 0;
    }
    if (db->read_held)
        return 0;   /* only pl_db_release_read() ends the caller's read */
    if (db->batch) {
        if (db->tx_depth > 1)
            db->tx_depth--;
        return 0;
    }
    int rc = db->be->conn->commit(db, e);
    if (rc) {
        pl_db_rollback(db);
        return rc;
    }
    db->tx_depth = 0;
    db->tx_write = false;
    return 0;
}

void pl_db_rollback(pl_db *db)
{
    if (db->read_nest > 0) { /* the inner read ends; the outer one goes on */
        db->read_nest--;
        db->tx_depth--;
        return;
    }
    if (db->read_held)
        return;     /* only pl_db_release_read() ends the caller's read */
    if (db->batch) {
        if (db->tx_depth > 1)
            db->tx_depth--;
        db->batch_failed = true;
        return;
    }
    if (db->tx_write)
        db->edge_valid = false;   /* the appends it cached are undone */
    db->be->conn->rollback(db);
    db->tx_depth = 0;
    db->tx_write = false;
}

int pl_db_batch_begin(pl_db *db, pl_err *e)
{
    int rc = pl_db_write_begin(db, e);
    if (rc)
        return rc;
    db->batch = true;
    db->batch_failed = false;
    return 0;
}

int pl_db_batch_end(pl_db *db, pl_err *e, bool commit)
{
    bool failed = db->batch_failed;

    if (!db->batch)
        return pl_err_set(e, PLEDGER_ESTATE, "no batch is open");
    db->batch = db->batch_failed = false;
    db->tx_depth = 1;
    if (!commit || failed) {
        pl_db_rollback(db);
        return commit ? pl_err_set(e, PLEDGER_ESTATE, "a step of the batch failed; it was "
                                   "rolled back") : 0;
    }
    return pl_db_commit(db, e);
}

int pl_db_data_version(pl_db *db, pl_err *e, int64_t *out)
{
    return db->be->conn->data_version(db, e, out);
}

const pl_merkle_edge *pl_db_edge(const pl_db *db, int64_t data_version)
{
    return db->edge_valid && db->edge_dv == data_version ? &db->edge : NULL;
}

void pl_db_edge_set(pl_db *db, const pl_merkle_edge *edge, int64_t data_version)
{
    if (edge) {
        db->edge = *edge;
        db->edge_dv = data_version;
    }
    db->edge_valid = edge != NULL;
}

/* ---- settings ---------------------------------------------------------- */

int pl_db_meta_get(pl_db *db, pl_err *e, const char *key, char **out)
{
    bool found;
    int rc = db->be->conn->meta_get(db, e, key, out, &found);

    if (rc || found)
        return rc;
    return pl_err_set(e, PLEDGER_ENOTFOUND, "registry setting '%s' is missing", key);
}

int pl_db_meta_set(pl_db *db, pl_err *e, const char *key, const char *value)
{
    return db->be->conn->meta_set(db, e, key, value);
}

/* ---- open and close ------------------------------------------------------ */

int pl_db_open(pl_db **out, pl_err *e, const char *path, const pl_db_options *o)
{
    pl_db *db;
    int rc;

    *out = NULL;
    if (!(db = calloc(1, sizeof *db)) || !(db->path = strdup(path))) {
        free(db);
        return pl_err_oom(e);
    }
    db->be = &pl_sqlite_backend;
    db->read_only = o->read_only;
    if ((rc = db->be->conn->open(db, e, path, o))) {
        pl_db_close(db);
        return rc;
    }
    *out = db;
    return 0;
}

void pl_db_close(pl_db *db)
{
    if (!db)
        return;
    if (db->conn) {
        db->read_nest = 0;  /* whatever was open ends here */
        db->read_held = false;
        pl_db_rollback(db); /* the backend's statements are still there */
        db->be->conn->close(db);
    }
    free(db->path);
    free(db);
}
