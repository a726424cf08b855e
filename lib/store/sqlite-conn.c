/* The SQLite backend's connection (store/backend.h, pl_conn_ops): opening
 * a registry file with its checks and migrations, the cached prepared
 * statements, transactions as BEGIN IMMEDIATE / DEFERRED, waiting for
 * the lock, the meta table, and the mapping of SQLite's result codes to
 * pledger codes. */
#include "store/sqlite.h"
#include "store/backend.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <pledger/version.h>

#include "base/i18n.h"
#include "store/schema.h"

#define pl_schema_version pl_migration_count

typedef struct stmt_slot {
    const char *sql;
    sqlite3_stmt *stmt;
} stmt_slot;

/* The backend's state of one pl_db (pl_db_conn()). */
typedef struct sq_conn {
    sqlite3 *h;
    bool sqlite_header;      /* the file began with SQLite's header when opened */
    int64_t busy_timeout_us; /* how long a call waits for a lock */
    int64_t busy_since;      /* when the present wait began (monotonic) */
    uint64_t busy_rand;      /* the jitter of the waits */
    stmt_slot *slots;
    size_t nslots, used;
    pl_sq_reports reports;   /* store/report.c */
    char *tx_file;           /* the file the open transaction writes, when not the registry */
    /* the write-ahead log the registry had at its first write: the same
     * one must take the next (pl_sq_check_not_moved) */
    dev_t wal_dev;
    ino_t wal_ino;           /* 0: no write yet */
} sq_conn;

static sq_conn *conn_of(const pl_db *db) { return pl_db_conn(db); }

sqlite3 *pl_db_handle(pl_db *db) { return conn_of(db)->h; }

pl_sq_reports *pl_sq_reports_of(pl_db *db) { return &conn_of(db)->reports; }

void pl_sq_tx_file(pl_db *db, const char *path)
{
    sq_conn *q = conn_of(db);
    if (!q)
        return;
    free(q->tx_file);
    q->tx_file = path ? strdup(path) : NULL; /* out of memory: the registry is named */
}

int pl_sq_code_ok(pl_err *e, int value, int lo, int hi, const char *what, const char *whose)
{
    if (value >= lo && value <= hi)
        return 0;
    return pl_err_set(e, PLEDGER_ECORRUPT, "%s: %s %d in the registry file is none pledger "
                      "writes (%d to %d): the file was changed outside pledger; restore it "
                      "from a backup", whose, what, value, lo, hi);
}

int pl_sq_row_ok(pl_err *e, pl_sq_row row, const char *name, const int *kind,
                 const int *state)
{
    bool pledge = row == PL_SQ_PLEDGE;
    char whose[200];
    int rc;

    snprintf(whose, sizeof whose, "%s '%s'", pledge ? "pledge" : "application",
             name ? name : "?");
    if (kind && (rc = pl_sq_code_ok(e, *kind, PLEDGER_KIND_TRADEMARK, PLEDGER_KIND_LAND, "kind",
                                    whose)))
        return rc;
    if (!state)
        return 0;
    return pledge ? pl_sq_code_ok(e, *state, PLEDGER_PLEDGE_ACTIVE,
                                  PLEDGER_PLEDGE_UNDER_OBJECTION, "state", whose)
                  : pl_sq_code_ok(e, *state, PLEDGER_APP_DRAFT, PLEDGER_APP_FORWARDED, "state",
                                  whose);
}

/* Every SQLite failure of every statement ends here.  A damaged file
 * (SQLITE_CORRUPT, or SQLITE_NOTADB once the file was opened as a
 * database: its header was overwritten since) is PLEDGER_ECORRUPT and
 * says to restore a backup; whether a file is a database at all is
 * decided when it is opened (probe_file()). */
int pl_db_fail(pl_db *db, pl_err *e, int rc, const char *what)
{
    sq_conn *q = db ? conn_of(db) : NULL;
    const char *detail = q && q->h ? sqlite3_errmsg(q->h) : sqlite3_errstr(rc);
    const char *path = q && q->tx_file ? q->tx_file : db && pl_db_path(db) ? pl_db_path(db) : "?";
    int sys = q && q->h ? sqlite3_system_errno(q->h) : 0;
    int code;

    /* what was being done, in the reader's language (the callers' texts
     * are the catalogue's: pl_db_fail's fourth argument is extracted) */
    what = pl_frag(what);
    if ((rc & 0xff) == SQLITE_FULL)   /* SQLite's own words are English */
        detail = pl_frag("the disk is full (or the database reached its size limit)");
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: code = PLEDGER_EBUSY; break;
    case SQLITE_NOMEM: code = PLEDGER_ENOMEM; break;
    case SQLITE_READONLY:
        if (rc == SQLITE_READONLY_CANTINIT || rc == SQLITE_READONLY_DIRECTORY)
            return pl_err_set(e, PLEDGER_EREADONLY, "%s: registry '%s': its shared-memory "
                              "file '%s-shm' is missing and cannot be created (a reader "
                              "needs it, or write access to the directory)", what, path,
                              path);
        code = PLEDGER_EREADONLY;
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return pl_err_set(e, PLEDGER_ECORRUPT,
                          "%s: registry '%s' is damaged (%s): restore it from a backup", what,
                          path, detail);
    case SQLITE_CONSTRAINT: code = PLEDGER_ECONFLICT; break;
    case SQLITE_CANTOPEN: {
        /* SQLite's errno is that of its last call, often a probe for a
         * file it would then create (the write-ahead log): what is
         * missing, the registry or what goes beside it? */
        struct stat st;
        bool exists = q && !q->tx_file && db && pl_db_path(db) && stat(path, &st) == 0;
        char dir[4096];
        const char *slash = strrchr(path, '/');
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + 1 : 1,
                 slash ? path : ".");
        int dir_errno = access(dir, W_OK) == 0 ? 0 : errno;
        if (exists || sys == EROFS || sys == EACCES || sys == EPERM ||
            (dir_errno && dir_errno != ENOENT))
            return pl_err_set(e, PLEDGER_EREADONLY, "%s: registry '%s': %s (%s)", what, path,
                              exists ? pl_frag("its write-ahead log or shared-memory file "
                                               "cannot be opened or created beside it")
                                     : pl_frag("it cannot be created in its directory"),
                              dir_errno ? strerror(dir_errno)
                              : sys && sys != ENOENT ? strerror(sys) : detail);
        code = sys == ENOENT ? PLEDGER_ENOTFOUND : PLEDGER_EIO;
        break;
    }
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_PROTOCOL: code = PLEDGER_EIO; break;
    default: code = PLEDGER_EIO; break;
    }
    if (code == PLEDGER_ENOMEM)
        return pl_err_oom(e);
    if (q && q->tx_file) {   /* a transaction of the search reports' file alone */
        if (sys && ((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_IOERR))
            return pl_err_set(e, code, "%s: search reports' file '%s': %s (%s)", what, path,
                              detail, strerror(sys));
        return pl_err_set(e, code, "%s: search reports' file '%s': %s", what, path, detail);
    }
    if (sys && ((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_IOERR))
        return pl_err_set(e, code, "%s: registry '%s': %s (%s)", what, path, detail,
                          strerror(sys));
    return pl_err_set(e, code, "%s: registry '%s': %s", what, path, detail);
}

/* ---- statement cache ------------------------------------------------- */

static size_t slot_index(const char *sql, size_t n)
{
    uintptr_t x = (uintptr_t)sql;
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 7) & (n - 1);
}

static int cache_grow(sq_conn *db)
{
    size_t n = db->nslots ? db->nslots * 2 : 64;
    stmt_slot *s = calloc(n, sizeof *s);

    if (!s)
        return -1;
    for (size_t i = 0; i < db->nslots; i++) {
        if (!db->slots[i].sql)
            continue;
        size_t j = slot_index(db->slots[i].sql, n);
        while (s[j].sql)
            j = (j + 1) & (n - 1);
        s[j] = db->slots[i];
    }
    free(db->slots);
    db->slots = s;
    db->nslots = n;
    return 0;
}

int pl_db_stmt(pl_db *pdb, pl_err *e, const char *sql, sqlite3_stmt **out)
{
    sq_conn *db = conn_of(pdb);
    size_t i;
    int rc;

    *out = NULL;
    if (db->nslots) {
        for (i = slot_index(sql, db->nslots); db->slots[i].sql;
             i = (i + 1) & (db->nslots - 1)) {
            if (db->slots[i].sql == sql) {
                sqlite3_reset(db->slots[i].stmt);
                sqlite3_clear_bindings(db->slots[i].stmt);
                *out = db->slots[i].stmt;
                return 0;
            }
        }
    }
    if ((db->used + 1) * 2 > db->nslots && cache_grow(db) < 0)
        return pl_err_oom(e);
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK)
        return pl_db_fail(pdb, e, rc, "preparing a statement");
    for (i = slot_index(sql, db->nslots); db->slots[i].sql;
         i = (i + 1) & (db->nslots - 1))
        ;
    db->slots[i].sql = sql;
    db->slots[i].stmt = st;
    db->used++;
    *out = st;
    return 0;
}

int pl_db_reprepared_most(pl_db *pdb, const char **sql)
{
    sq_conn *db = conn_of(pdb);
    int most = 0;

    if (sql)
        *sql = NULL;
    for (size_t i = 0; i < db->nslots; i++) {
        if (!db->slots[i].stmt)
            continue;
        int n = sqlite3_stmt_status(db->slots[i].stmt, SQLITE_STMTSTATUS_REPREPARE, 0);
        if (n > most) {
            most = n;
            if (sql)
                *sql = db->slots[i].sql;
        }
    }
    return most;
}

int pl_db_exec(pl_db *db, pl_err *e, const char *sql)
{
    int rc = sqlite3_exec(conn_of(db)->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : pl_db_fail(db, e, rc, "executing SQL");
}

/* ---- waiting for a lock ------------------------------------------------ */

static int64_t monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int pl_db_wal_mode(pl_db *db, const char *schema)
{
    sq_conn *q = conn_of(db);
    char sql[80];
    int rc;

    snprintf(sql, sizeof sql, "PRAGMA %s.journal_mode = WAL", schema);
    int64_t end = monotonic_us() + q->busy_timeout_us;
    while (((rc = sqlite3_exec(q->h, sql, NULL, NULL, NULL)) & 0xff) == SQLITE_BUSY &&
           monotonic_us() < end)
        nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
    return rc;
}

/* SQLite's own busy handler sleeps longer and longer between tries, up to
 * 100 ms: a writer that has waited a while looks at the lock ten times a
 * second, and the writers that look sooner (one that has just committed
 * looks at once) take it every time it is free in between; with 4 busy
 * writers some waited out the whole timeout.  This handler looks every
 * 0.5 to 1.5 ms, and once it has waited 20 ms every 0.1 to 0.3 ms, so a
 * waiter that has waited longer is likelier to be the first to look when
 * the lock is let go (jittered, so that waiters do not look in step); a
 * writer waits about as long as the transactions before its turn take. */
static int busy_wait(void *payload, int tries)
{
    sq_conn *db = payload;
    int64_t now = monotonic_us(), left, nap;

    if (tries == 0)
        db->busy_since = now;
    left = db->busy_timeout_us - (now - db->busy_since);
    if (left <= 0)
        return 0;
    db->busy_rand = db->busy_rand * 6364136223846793005u + 1442695040888963407u;
    nap = now - db->busy_since < 20000 ? 500 + (int64_t)((db->busy_rand >> 33) % 1000)
                                        : 100 + (int64_t)((db->busy_rand >> 33) % 200);
    struct timespec ts = { 0, (long)(nap < left ? nap : left) * 1000 };
    nanosleep(&ts, NULL);
    return 1;
}

int64_t pl_sq_busy_timeout_swap(pl_db *db, int64_t us)
{
    sq_conn *q = conn_of(db);
    int64_t was = q->busy_timeout_us;
    q->busy_timeout_us = us;
    return was;
}

/* ---- transactions ---------------------------------------------------- */

static const char sql_begin_immediate[] = "BEGIN IMMEDIATE";
static const char sql_begin_deferred[] = "BEGIN DEFERRED";
static const char sql_commit[] = "COMMIT";
static const char sql_rollback[] = "ROLLBACK";

/* Run a cached transaction-control statement (no re-parsing per call). */
static int tx_exec(pl_db *db, const char *sql)
{
    sqlite3_stmt *st;
    pl_err ignore;
    int rc;

    if (pl_db_stmt(db, &ignore, sql, &st))
        return sqlite3_exec(conn_of(db)->h, sql, NULL, NULL, NULL);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int pl_sq_check_not_moved(pl_db *db, pl_err *e, const char *schema, const char *path)
{
    sq_conn *q = conn_of(db);
    int moved = 0;

    /* SQLite's own check (a stat of the path against the inode it has
     * open); a database without a file (":memory:") answers NOTFOUND */
    if (sqlite3_file_control(q->h, schema, SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK)
        return 0;
    if (moved)
        return pl_err_set(e, PLEDGER_EIO, "'%s' was deleted, moved or replaced while open: "
                          "nothing is written to the file this handle still holds, which no "
                          "path names (open the registry again)", path ? path : "?");
    /* The write-ahead log too (the registry's, the search reports'):
     * SQLite keeps writing into a log unlinked under it, and what a crash
     * then leaves is the file without the commits it answered -- reports
     * handed out, their numbers given again.  A log lives as long as a
     * connection to its database does (this one: folding it back starts
     * it again in place, never unlinks it): the one met at the first
     * write must be there still. */
    bool reports = strcmp(schema, "reports") == 0;
    if (!reports && strcmp(schema, "main") != 0)
        return 0;
    dev_t *wal_dev = reports ? &q->reports.tx_wal_dev : &q->wal_dev;
    ino_t *wal_ino = reports ? &q->reports.tx_wal_ino : &q->wal_ino;
    const char *db_file = sqlite3_db_filename(q->h, schema);
    const char *wal = db_file && *db_file ? sqlite3_filename_wal(db_file) : NULL;
    struct stat st;
    if (!wal || !*wal)
        return 0;
    if (stat(wal, &st) != 0) {
        if (errno != ENOENT)
            return 0;   /* not ours to judge (permissions): SQLite says what it meets */
        /* the reports' log is made by the first write after the last
         * connection to them closed: none met yet, none lost */
        if (reports && !*wal_ino)
            return 0;
        return pl_err_set(e, PLEDGER_EIO, "'%s': its write-ahead log '%s' was deleted while "
                          "open: what is written would be lost with it (open the registry "
                          "again)", path ? path : "?", wal);
    }
    if (*wal_ino && (*wal_ino != st.st_ino || *wal_dev != st.st_dev))
        return pl_err_set(e, PLEDGER_EIO, "'%s': its write-ahead log '%s' was replaced while "
                          "open: what is written would be lost with the old one (open the "
                          "registry again)", path ? path : "?", wal);
    *wal_dev = st.st_dev;
    *wal_ino = st.st_ino;
    return 0;
}

static int sq_begin(pl_db *db, pl_err *e, bool write)
{
    int rc = tx_exec(db, write ? sql_begin_immediate : sql_begin_deferred);
    if (rc != SQLITE_OK)
        return pl_db_fail(db, e, rc, write ? "starting a write transaction"
                                           : "starting a read transaction");
    /* A write into a file that was unlinked or replaced under the open
     * handle would be answered as done and lost with the handle. */
    if (write && (rc = pl_sq_check_not_moved(db, e, "main", pl_db_path(db)))) {
        tx_exec(db, sql_rollback);
        return rc;
    }
    return 0;
}

static int sq_commit(pl_db *db, pl_err *e)
{
    int rc = tx_exec(db, sql_commit);
    rc = rc == SQLITE_OK ? 0 : pl_db_fail(db, e, rc, "committing");
    pl_sq_tx_file(db, NULL);
    return rc;
}

/* SQLite may have rolled a failed transaction back itself: only an open
 * one is rolled back. */
static void sq_rollback(pl_db *db)
{
    sq_conn *q = conn_of(db);
    if (q && q->h && !sqlite3_get_autocommit(q->h))
        tx_exec(db, sql_rollback);
    pl_sq_tx_file(db, NULL);
}

static const char sql_data_version[] = "PRAGMA data_version";

static int sq_data_version(pl_db *db, pl_err *e, int64_t *out)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_data_version, &st);
    if (rc)
        return rc;
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : pl_db_fail(db, e, rc, "reading the data version");
}

/* ---- meta ------------------------------------------------------------ */

static const char sql_meta_get[] = "SELECT value FROM meta WHERE key = ?1";
static const char sql_meta_set[] =
    "INSERT INTO meta(key, value) VALUES (?1, ?2) "
    "ON CONFLICT(key) DO UPDATE SET value = excluded.value";

static int sq_meta_get(pl_db *db, pl_err *e, const char *key, char **out, bool *found)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_meta_get, &st);

    *out = NULL;
    *found = false;
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return 0;
    }
    if (rc != SQLITE_ROW) {
        rc = pl_db_fail(db, e, rc, "reading a registry setting");
        sqlite3_reset(st);
        return rc;
    }
    const char *v = (const char *)sqlite3_column_text(st, 0);
    *out = strdup(v ? v : "");
    sqlite3_reset(st);
    *found = *out != NULL;
    return *out ? 0 : pl_err_oom(e);
}

static int sq_meta_set(pl_db *db, pl_err *e, const char *key, const char *value)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_meta_set, &st);

    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "writing a registry setting");
}

/* ---- open ------------------------------------------------------------ */

static int query_int(pl_db *db, pl_err *e, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(conn_of(db)->h, sql, -1, &st, NULL);

    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        }
    }
    if (rc != SQLITE_OK)
        rc = pl_db_fail(db, e, rc, "reading the registry header");
    sqlite3_finalize(st);
    return rc;
}

/* What the file is, read without writing anything. */
typedef struct probe {
    int64_t app_id, user_version, objects;
} probe;

static int probe_file(pl_db *db, pl_err *e, probe *p)
{
    int rc = query_int(db, e, "SELECT count(*) FROM sqlite_master", &p->objects);

    /* SQLite cannot read it: a file that never was a database, or a
     * database that is damaged (one that starts with SQLite's header). */
    if (rc == PLEDGER_ECORRUPT && !conn_of(db)->sqlite_header)
        return pl_err_set(e, PLEDGER_ENOTDB,
                          "'%s' is not an SQLite database (it does not start with SQLite's "
                          "header), so not a pledger registry",
                          pl_db_path(db));
    if (rc)
        return rc;
    if ((rc = query_int(db, e, "PRAGMA application_id", &p->app_id)) ||
        (rc = query_int(db, e, "PRAGMA user_version", &p->user_version)))
        return rc;
    return 0;
}

static bool probe_empty(const probe *p)
{
    return p->objects == 0 && p->app_id == 0 && p->user_version == 0;
}

static int probe_check(pl_db *db, pl_err *e, const probe *p)
{
    if (probe_empty(p))
        return 0;
    if (p->app_id != PL_APPLICATION_ID)
        return pl_err_set(e, PLEDGER_ENOTDB,
                          "'%s' is an SQLite database but not a pledger registry "
                          "(application_id 0x%08llx)",
                          pl_db_path(db), (unsigned long long)p->app_id);
    if (p->user_version > pl_schema_version)
        return pl_err_set(e, PLEDGER_ENEWER,
                          "registry '%s' has schema version %lld, newer than the %d "
                          "this pledger %s knows; use a newer pledger",
                          pl_db_path(db), (long long)p->user_version, pl_schema_version,
                          PLEDGER_VERSION_STRING);
    return 0;
}

static int widen_check(sqlite3 *h, const pl_migration *m);

static int migrate(pl_db *db, pl_err *e, const char *default_office)
{
    probe p;
    int rc;

    if ((rc = pl_db_write_begin(db, e)))
        return rc;
    /* Re-read inside the transaction: another process may have won. */
    if ((rc = probe_file(db, e, &p)) || (rc = probe_check(db, e, &p)))
        goto fail;
    for (int v = (int)p.user_version; v < pl_schema_version; v++) {
        rc = sqlite3_exec(conn_of(db)->h, pl_migrations[v].sql, NULL, NULL, NULL);
        if (rc == SQLITE_OK && pl_migrations[v].widen_table)
            rc = widen_check(conn_of(db)->h, &pl_migrations[v]);
        if (rc != SQLITE_OK) {
            rc = pl_db_fail(db, e, rc, pl_migrations[v].name);
            goto fail;
        }
    }
    if (p.user_version == 0) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d", PL_APPLICATION_ID);
        if ((rc = pl_db_exec(db, e, sql)) ||
            (rc = pl_db_meta_set(db, e, "default_office",
                                 default_office ? default_office : "PLEDGER")) ||
            (rc = pl_db_meta_set(db, e, "journal_hash", "sha256")) ||
            (rc = pl_db_meta_set(db, e, "utc_offset_minutes", "480")) ||
            (rc = pl_db_meta_set(db, e, "number_template", "{series}-{office}-{kind}-{year}-{seq:6}")))
            goto fail;
    }
    if (p.user_version != pl_schema_version) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", pl_schema_version);
        if ((rc = pl_db_exec(db, e, sql)))
            goto fail;
    }
    return pl_db_commit(db, e);
fail:
    pl_db_rollback(db);
    return rc;
}

/* Widen a CHECK constraint of a table (@m->widen_*): the table's SQL in
 * sqlite_schema rewritten and the schema version bumped, so that every
 * connection reads the schema again.  What SQLite's documentation gives
 * for changes that leave the stored content valid (ALTER TABLE, "making
 * other kinds of table schema changes"); inside the migration's
 * transaction, so it is undone with it.  SQLITE_CORRUPT when the
 * table's SQL does not hold the old CHECK exactly once. */
static int widen_check(sqlite3 *h, const pl_migration *m)
{
    sqlite3_stmt *st = NULL;
    int64_t version = 0;
    int rc = sqlite3_prepare_v2(h, "PRAGMA schema_version", -1, &st, NULL);

    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        version = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return rc;
    if ((rc = sqlite3_exec(h, "PRAGMA writable_schema = ON", NULL, NULL, NULL)) != SQLITE_OK)
        return rc;
    rc = sqlite3_prepare_v2(h,
                            "UPDATE sqlite_schema SET sql = replace(sql, ?2, ?3)"
                            " WHERE type = 'table' AND name = ?1"
                            " AND instr(sql, ?2) > 0"
                            " AND instr(substr(sql, instr(sql, ?2) + 1), ?2) = 0",
                            -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, m->widen_table, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, m->widen_from, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, m->widen_to, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h);
        if (rc == SQLITE_OK && sqlite3_changes(h) != 1)
            rc = SQLITE_CORRUPT;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA schema_version = %lld", (long long)version + 1);
        rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
    }
    int off = sqlite3_exec(h, "PRAGMA writable_schema = OFF", NULL, NULL, NULL);
    return rc != SQLITE_OK ? rc : off;
}

/* The first bytes of every SQLite 3 database file. */
static const char sqlite_magic[16] = "SQLite format 3";

/* What the file system says about @path before SQLite opens it, so that
 * each case has its own message: a directory, a missing parent, a file
 * that cannot be read.  *exists tells whether the file is there;
 * *sqlite_header is set later, by read_header(). */
static int check_path(pl_err *e, const char *path, const pl_db_options *o, bool *exists,
                      bool *sqlite_header)
{
    struct stat sb;
    int err;

    *exists = *sqlite_header = false;
    if (stat(path, &sb) != 0) {
        err = errno;
        if (err == ENOTDIR)
            return pl_err_set(e, PLEDGER_ENOTFOUND, "registry '%s': a directory on the path "
                              "is a file", path);
        if (err != ENOENT)
            return pl_err_set(e, PLEDGER_EIO, "registry '%s': %s", path, strerror(err));
        if (o->read_only || !o->create)
            return pl_err_set(e, PLEDGER_ENOTFOUND, "registry '%s' does not exist%s", path,
                              o->read_only ? " (a read-only open never creates one)" : "");
        const char *slash = strrchr(path, '/');
        if (slash && slash != path) {
            char *dir = strndup(path, (size_t)(slash - path));
            if (!dir)
                return pl_err_oom(e);
            int rc = 0;
            if (stat(dir, &sb) != 0)
                rc = pl_err_set(e, PLEDGER_ENOTFOUND, "registry '%s' cannot be created: "
                                "directory '%s' %s", path, dir,
                                errno == ENOENT ? "does not exist" : strerror(errno));
            else if (!S_ISDIR(sb.st_mode))
                rc = pl_err_set(e, PLEDGER_ENOTFOUND, "registry '%s' cannot be created: "
                                "'%s' is not a directory", path, dir);
            free(dir);
            return rc;
        }
        return 0;
    }
    if (S_ISDIR(sb.st_mode))
        return pl_err_set(e, PLEDGER_EIO, "registry '%s' is a directory, not a registry file",
                          path);
    if (!S_ISREG(sb.st_mode))
        return pl_err_set(e, PLEDGER_EIO, "registry '%s' is not a regular file", path);
    /* an empty file is where a registry may be made (create), not one: a
     * write through a handle that may not create would make it one */
    if (sb.st_size == 0 && !o->read_only && !o->create)
        return pl_err_set(e, PLEDGER_ENOTFOUND, "registry '%s' is an empty file, not a "
                          "registry (open it with create to make one there)", path);
    *exists = true;
    /* Readable?  Asked without opening the file: closing a descriptor of
     * the database file drops every POSIX lock this process holds on it,
     * SQLite's own among them (another handle of this process on the same
     * registry would lose its shared lock, and another process could then
     * take the WAL from under it).  The header is read through SQLite's
     * own descriptor once the connection is open (read_header). */
    if (access(path, R_OK) != 0)
        return pl_err_set(e, PLEDGER_EIO, "registry '%s' cannot be read: %s", path,
                          strerror(errno));
    return 0;
}

/* The first bytes of the existing database file of @db, read through
 * SQLite's own descriptor (see check_path): whether it starts with
 * SQLite's header, and PLEDGER_ECORRUPT for a file cut short inside it. */
static int read_header(pl_db *db, pl_err *e)
{
    sq_conn *q = conn_of(db);
    char head[sizeof sqlite_magic];
    sqlite3_file *f = NULL;
    sqlite3_int64 size = 0;

    if (sqlite3_file_control(q->h, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
        !f->pMethods)
        return 0; /* not opened yet: SQLite will say what it finds */
    if (f->pMethods->xFileSize(f, &size) != SQLITE_OK)
        return pl_err_set(e, PLEDGER_EIO, "registry '%s' cannot be read", pl_db_path(db));
    size_t n = size < (sqlite3_int64)sizeof head ? (size_t)size : sizeof head;
    if (n && f->pMethods->xRead(f, head, (int)n, 0) != SQLITE_OK)
        return pl_err_set(e, PLEDGER_EIO, "registry '%s' cannot be read", pl_db_path(db));
    q->sqlite_header = n > 0 && memcmp(head, sqlite_magic, n) == 0;
    if (q->sqlite_header && n < sizeof head)
        return pl_err_set(e, PLEDGER_ECORRUPT, "registry '%s' is damaged (truncated to %zu "
                          "bytes): restore it from a backup", pl_db_path(db), n);
    return 0;
}

static bool is_memory_path(const char *path)
{
    return strcmp(path, ":memory:") == 0 || strncmp(path, "file::memory:", 13) == 0;
}

/* Open @path for @db (pl_db_open() made it, with its path and mode): on
 * failure the caller closes @db, which finalizes what was made here. */
static int sq_open(pl_db *db, pl_err *e, const char *path, const pl_db_options *o)
{
    sq_conn *q;
    probe p;
    int rc, flags;
    bool exists = false, header = false;

    if (!is_memory_path(path) && (rc = check_path(e, path, o, &exists, &header)))
        return rc;
    if (!(q = calloc(1, sizeof *q)))
        return pl_err_oom(e);
    pl_db_conn_set(db, q);
    q->sqlite_header = header;
    flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_URI;
    flags |= o->read_only ? SQLITE_OPEN_READONLY
                          : SQLITE_OPEN_READWRITE | (o->create ? SQLITE_OPEN_CREATE : 0);
    rc = sqlite3_open_v2(path, &q->h, flags, NULL);
    if (rc != SQLITE_OK)
        return pl_db_fail(db, e, rc, "opening");
    if (exists && (rc = read_header(db, e)))
        return rc;
    /* SQLite falls back to reading a file it may not write: say so now. */
    if (!o->read_only && exists && sqlite3_db_readonly(q->h, "main") == 1)
        return pl_err_set(e, PLEDGER_EREADONLY, "registry '%s' cannot be written (%s); "
                          "open it read-only", path, strerror(EACCES));
    q->busy_timeout_us = (int64_t)o->busy_timeout_ms * 1000;
    q->busy_rand = (uint64_t)(uintptr_t)q ^ (uint64_t)monotonic_us();
    sqlite3_busy_handler(q->h, busy_wait, q);
    sqlite3_extended_result_codes(q->h, 1);
    if ((rc = pl_schema_functions(q->h)) != SQLITE_OK)
        return pl_db_fail(db, e, rc, "registering the schema's SQL functions");
    /* Check what the file is before anything can write to it. */
    if ((rc = probe_file(db, e, &p)) || (rc = probe_check(db, e, &p)))
        return rc;
    if (o->read_only) {
        if (probe_empty(&p))
            return pl_err_set(e, PLEDGER_ENOTDB,
                              "'%s' is an empty database, not a pledger registry", path);
        int first_needed = (int)p.user_version;
        while (first_needed < pl_schema_version && pl_migrations[first_needed].readable_before)
            first_needed++;
        if (first_needed < pl_schema_version)
            return pl_err_set(e, PLEDGER_EREADONLY,
                              "registry '%s' has schema version %lld and needs migrating to "
                              "%d; open it read-write once",
                              path, (long long)p.user_version, pl_schema_version);
    } else {
        if ((rc = pl_db_wal_mode(db, "main")) != SQLITE_OK)
            return pl_db_fail(db, e, rc, "turning on WAL mode");
        if ((rc = pl_db_exec(db, e, "PRAGMA synchronous = FULL")))
            return rc;
    }
    /* Reads through the page cache of the OS: fewer copies per lookup.  A
     * read-only handle (a bank's) maps as much of the file as SQLite allows
     * (2 GiB in its default build): address space, not memory; a writer
     * keeps 256 MiB so that a long import's resident set stays small. */
    if ((rc = pl_db_exec(db, e, "PRAGMA foreign_keys = ON")) ||
        (rc = pl_db_exec(db, e, o->read_only ? "PRAGMA mmap_size = 1099511627776"
                                             : "PRAGMA mmap_size = 268435456")) ||
        (rc = pl_db_exec(db, e, "PRAGMA cache_size = -16384")))
        return rc;
    if (!o->read_only && p.user_version < pl_schema_version &&
        (rc = migrate(db, e, o->default_office)))
        return rc;
    return 0;
}

/* After pl_db_close() rolled back what was open. */
static void sq_close(pl_db *db)
{
    sq_conn *q = conn_of(db);

    if (!q)
        return;
    for (size_t i = 0; i < q->nslots; i++)
        sqlite3_finalize(q->slots[i].stmt);
    free(q->slots);
    free(q->tx_file);
    if (q->h)
        sqlite3_close_v2(q->h);
    free(q);
    pl_db_conn_set(db, NULL);
}

const pl_conn_ops pl_sqlite_conn_ops = {
    .open = sq_open,
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .data_version = sq_data_version,
    .meta_get = sq_meta_get,
    .meta_set = sq_meta_set,
};
