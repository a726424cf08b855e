/* Search reports: the rows of store/schema-report.c, in the registry's
 * companion database. */
#include "store/report.h"
#include "store/sqlite.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/merkle.h"
#include "store/schema.h"

/* 'PLDR': PRAGMA application_id of a companion database of reports. */
#define REPORTS_APPLICATION_ID 0x504C4452
#define REPORTS_VERSION 3

static int node_put(void *ctx, pl_err *e, unsigned level, uint64_t index, const pl_mhash *h);
/* The companion's file name: <registry>.reports; for a URI, before its
 * query; for an in-memory registry, in memory too (allocated). */
static char *companion_path(const char *path)
{
    if (!path || !*path || strcmp(path, ":memory:") == 0 || strstr(path, "mode=memory"))
        return strdup(":memory:");
    const char *q = strncmp(path, "file:", 5) == 0 ? strchr(path, '?') : NULL;
    size_t head = q ? (size_t)(q - path) : strlen(path);
    size_t n = strlen(path) + sizeof ".reports";
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%.*s.reports%s", (int)head, path, q ? q : "");
    return out;
}

/* A failure of the companion @path itself (pl_db_fail() would name the
 * registry): its code and a message naming the file. */
static int companion_fail(pl_err *e, int rc, const char *path)
{
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
        return pl_err_set(e, PLEDGER_ENOTDB, "%s is not an SQLite database; the search "
                          "reports of the registry belong in it", path);
    case SQLITE_CORRUPT:
        return pl_err_set(e, PLEDGER_ECORRUPT, "the search reports' database %s is damaged "
                          "(%s): restore it from a backup", path, sqlite3_errstr(rc));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return pl_err_set(e, PLEDGER_EBUSY, "the search reports' database %s is busy (%s)",
                          path, sqlite3_errstr(rc));
    default:
        return pl_err_set(e, PLEDGER_EIO, "the search reports' database %s cannot be opened "
                          "or read (%s)", path, sqlite3_errstr(rc));
    }
}

static int pragma_int(pl_db *db, pl_err *e, const char *sql, const char *path, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(pl_db_handle(db), sql, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : companion_fail(e, rc, path);
}

/* A transaction that writes the companion alone: BEGIN DEFERRED, then
 * @sql, a write to the companion that changes nothing, takes its write
 * lock at once (SQLite takes it at a write statement's start, with the
 * busy wait, when the transaction has not read the companion yet).  The
 * registry's lock is never asked for: the registry is read at the
 * snapshot of its first read.  BEGIN IMMEDIATE would lock every attached
 * file, and wait for a bulk filing holding the registry for seconds. */
static int companion_write_begin(pl_db *db, pl_err *e, const char *sql, bool cached)
{
    int rc = pl_db_write_begin_lazy(db, e);
    if (!rc && cached) {
        /* prepared once: SQLite's parse of this DELETE (its foreign keys and
         * triggers coded each time) was a tenth of a group of reports */
        sqlite3_stmt *st;
        if (!(rc = pl_db_stmt(db, e, sql, &st))) {
            int step = sqlite3_step(st);
            sqlite3_reset(st);
            if (step != SQLITE_DONE)
                rc = pl_db_fail(db, e, step, "locking the search reports");
        }
        if (rc)
            pl_db_rollback(db);
    } else if (!rc && (rc = pl_db_exec(db, e, sql))) {
        pl_db_rollback(db);
    }
    /* a report written to a companion unlinked under the handle would be
     * handed out and lost (sqlite-conn.c checks the registry the same way) */
    if (!rc) {
        char *path = companion_path(pl_db_path(db));
        if (!path)
            rc = pl_err_oom(e);
        else if (!(rc = pl_sq_check_not_moved(db, e, "reports", path)))
            pl_sq_tx_file(db, path);   /* what fails in it, fails in this file */
        free(path);
        if (rc)
            pl_db_rollback(db);
    }
    return rc;
}

static const char sql_lock[] = "DELETE FROM reports.search_report WHERE 0";

int pl_report_write_begin(pl_db *db, pl_err *e)
{
    return companion_write_begin(db, e, sql_lock, true);
}

/* Version 1 to 2 (store/schema-report.c): the tree, with the reports kept
 * so far as its first leaves -- each its text, the signed note without
 * its signatures -- in one transaction. */
static int seal(pl_db *db, pl_err *e, uint64_t last);

static int upgrade_v1(pl_db *db, pl_err *e, const char *path)
{
    sqlite3_stmt *st = NULL;
    pl_merkle_edge edge = { 0 };
    char sql[64];
    int rc;

    int64_t version = 0;
    if ((rc = pl_report_write_begin(db, e)))
        return rc;
    /* another handle may have brought it up between the look and the lock */
    if ((rc = pragma_int(db, e, "PRAGMA reports.user_version", path, &version)) ||
        version != 1)
        goto out;
    if ((rc = pl_db_exec(db, e, pl_sql_report_v2)) ||
        (rc = pl_db_exec(db, e, pl_sql_report_v3))) {
        /* a file that says version 1 without version 1's tables */
        char why[PL_ERRMSG_MAX], why_local[PL_ERRMSG_MAX];
        snprintf(why, sizeof why, "%s", e->msg);
        snprintf(why_local, sizeof why_local, "%s", pl_err_text(e));
        rc = pl_err_set(e, PLEDGER_ECORRUPT, "%s says it holds version 1 of the search "
                        "reports' schema, but its tables are not version 1's (%s): the file "
                        "was changed outside pledger; restore it from a backup", path,
                        pl_frag_pair(why, why_local));
        goto out;
    }
    rc = sqlite3_prepare_v2(pl_db_handle(db),
                            "SELECT number, note FROM reports.search_report ORDER BY number",
                            -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *note = (const char *)sqlite3_column_text(st, 1);
        const char *end = note ? strstr(note, "\n\n") : NULL;
        pl_mhash leaf;
        if ((uint64_t)sqlite3_column_int64(st, 0) != edge.size + 1 || !end) {
            rc = pl_err_set(e, PLEDGER_ECORRUPT, "%s: search report %lld is not a signed "
                            "note in its place: the reports cannot be brought to version %d",
                            path, (long long)sqlite3_column_int64(st, 0), REPORTS_VERSION);
            goto out;
        }
        if (pl_merkle_leaf(&leaf, note, (size_t)(end - note) + 1)) {
            rc = pl_err_oom(e);
            goto out;
        }
        if ((rc = pl_merkle_edge_append(e, &edge, &leaf, node_put, db)))
            goto out;
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE) {
        rc = companion_fail(e, rc, path);
        goto out;
    }
    rc = 0;
    if (edge.size >= PL_REPORT_SEGMENT)
        rc = seal(db, e, edge.size / PL_REPORT_SEGMENT * PL_REPORT_SEGMENT);
    snprintf(sql, sizeof sql, "PRAGMA reports.user_version = %d", REPORTS_VERSION);
    if (!rc)
        rc = pl_db_exec(db, e, sql);
out:
    sqlite3_finalize(st);
    if (!rc)
        return pl_db_commit(db, e);
    pl_db_rollback(db);
    return rc;
}

/* Version 2 to 3 (store/schema-report.c): the trigger that lets a group's
 * rows be written as it gathers. */
static int upgrade_v2(pl_db *db, pl_err *e, const char *path)
{
    int64_t version = 0;
    char sql[64];
    int rc;

    if ((rc = pl_report_write_begin(db, e)))
        return rc;
    /* another handle may have brought it up between the look and the lock */
    if ((rc = pragma_int(db, e, "PRAGMA reports.user_version", path, &version)) ||
        version != 2)
        goto out;
    if ((rc = pl_db_exec(db, e, pl_sql_report_v3))) {
        rc = pl_err_set(e, PLEDGER_ECORRUPT, "%s says it holds version 2 of the search "
                        "reports' schema, but its triggers are not version 2's: the file was "
                        "changed outside pledger; restore it from a backup", path);
        goto out;
    }
    snprintf(sql, sizeof sql, "PRAGMA reports.user_version = %d", REPORTS_VERSION);
    rc = pl_db_exec(db, e, sql);
out:
    if (!rc)
        return pl_db_commit(db, e);
    pl_db_rollback(db);
    return rc;
}

static int sq_attach(pl_db *db, pl_err *e, bool create, bool *present)
{
    sqlite3 *h = pl_db_handle(db);
    sqlite3_stmt *st = NULL;
    int64_t app = 0, version = 0, tables = 0;
    char *path;
    int rc;

    *present = true;
    if (sqlite3_db_filename(h, "reports"))
        return 0;
    if (pl_db_read_held(db)) {
        /* the read the caller holds attached what was there when it
         * began (pledger_read_begin): no report was, in its snapshot */
        *present = false;
        return 0;
    }
    if (pl_db_in_tx(db))
        return pl_err_set(e, PLEDGER_ESTATE, "search reports: attached inside a transaction");
    if (!(path = companion_path(pl_db_path(db))))
        return pl_err_oom(e);
    if ((pl_db_read_only(db) || !create) && strcmp(path, ":memory:") != 0 &&
        strncmp(path, "file:", 5) != 0 && access(path, F_OK) != 0) {
        free(path); /* no report was ever recorded */
        *present = false;
        return 0;
    }
    /* ATTACH opens with the connection's flags, and a registry is opened
     * without "create": make the (empty) file first, with the registry's
     * permissions.  O_EXCL: a file that exists is never opened here (closing
     * a descriptor would drop the POSIX locks SQLite holds on it). */
    if (!pl_db_read_only(db) && strcmp(path, ":memory:") != 0 &&
        strncmp(path, "file:", 5) != 0 && access(path, F_OK) != 0) {
        struct stat reg_st;
        mode_t mode = stat(pl_db_path(db), &reg_st) == 0 ? (reg_st.st_mode & 0666) : 0600;
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd >= 0)
            close(fd);
    }
    /* a log met by an earlier attach is not this one's */
    pl_sq_reports_of(db)->tx_wal_dev = 0;
    pl_sq_reports_of(db)->tx_wal_ino = 0;
    rc = sqlite3_prepare_v2(h, "ATTACH ?1 AS reports", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK) {
        if (pl_db_read_only(db) && (rc & 0xff) == SQLITE_CANTOPEN && access(path, F_OK) != 0) {
            free(path); /* removed since: none to show (a damaged one is an error) */
            *present = false;
            return 0;
        }
        rc = companion_fail(e, rc, path);
        free(path);
        return rc;
    }
    /* the auditor reads the index of each segment through the map; a
     * writer's cache holds the pages its groups of reports write (the
     * recent end of each table) and a segment's keys while they are
     * sealed: 16 MiB.  It was 64 MiB: a thread that records reports
     * then filled glibc's 64 MiB heap of its arena with the cache, and
     * each group's other allocations made a second heap and gave it back,
     * a thousand system calls and two thousand page faults a second */
    pl_db_exec(db, e, "PRAGMA reports.mmap_size = 1099511627776");
    pl_db_exec(db, e, "PRAGMA reports.cache_size = -16384");
    pl_err_clear(e);
    /* the three from one snapshot: a maker may commit between two reads */
    if ((rc = pl_db_read_begin(db, e)))
        goto fail;
    rc = pragma_int(db, e, "PRAGMA reports.application_id", path, &app);
    if (!rc)
        rc = pragma_int(db, e, "PRAGMA reports.user_version", path, &version);
    if (!rc)
        rc = pragma_int(db, e, "SELECT count(*) FROM reports.sqlite_schema", path, &tables);
    pl_db_rollback(db);
    if (rc)
        goto fail;
    if (version == 0 && app == 0 && tables == 0 && (pl_db_read_only(db) || !create)) {
        /* empty: another handle is making it right now (the file exists
         * from its first step, the schema from its commit), or never
         * finished: no report yet, as when there is no file */
        sqlite3_exec(h, "DETACH reports", NULL, NULL, NULL);
        free(path);
        *present = false;
        return 0;
    }
    if (version == 0 && app == 0 && tables == 0 && !pl_db_read_only(db)) {
        char sql[96];
        snprintf(sql, sizeof sql, "PRAGMA reports.application_id = %d; PRAGMA "
                 "reports.user_version = %d;", REPORTS_APPLICATION_ID, REPORTS_VERSION);
        /* the schema first, under the companion's write lock (the
         * handle's busy wait applies), looking again there: another handle
         * may have made it between the first look and the lock; then the
         * WAL mode.  The lock is taken by setting the identifier every
         * maker sets: the same value whoever made it. */
        char lock_sql[64];
        snprintf(lock_sql, sizeof lock_sql, "PRAGMA reports.application_id = %d",
                 REPORTS_APPLICATION_ID);
        if ((rc = companion_write_begin(db, e, lock_sql, false)))
            goto fail;
        /* made by another: its version is set (the identifier is ours now) */
        if ((rc = pragma_int(db, e, "PRAGMA reports.user_version", path, &version)) ||
            (rc = pragma_int(db, e, "SELECT count(*) FROM reports.sqlite_schema", path,
                             &tables)) ||
            (version == 0 && tables == 0 &&
             ((rc = pl_db_exec(db, e, pl_sql_report)) || (rc = pl_db_exec(db, e, sql))))) {
            pl_db_rollback(db);
            goto fail;
        }
        if (version == 0 && tables != 0) {
            pl_db_rollback(db); /* tables of another program: not ours to mark */
        } else {
            if ((rc = pl_db_commit(db, e)))
                goto fail;
            app = REPORTS_APPLICATION_ID;
            if (version == 0)
                version = REPORTS_VERSION;
        }
    }
    if (!pl_db_read_only(db) && app == REPORTS_APPLICATION_ID) {
        /* WAL at every writable attach, not only by its maker: a maker
         * stopped between its schema and the mode change (the mode change
         * refused) would leave it in rollback mode for good; on a
         * companion already in WAL this only reads the mode */
        if ((rc = pl_db_wal_mode(db, "reports")) != SQLITE_OK) {
            rc = companion_fail(e, rc, path);
            goto fail;
        }
        /* FULL: a commit is synced before it returns, so a report handed
         * out survives a crash of the machine; NORMAL for a connection
         * whose caller syncs before it hands reports out (sq_sync) */
        pl_db_exec(db, e, pl_sq_reports_of(db)->unsynced ? "PRAGMA reports.synchronous = NORMAL"
                                                         : "PRAGMA reports.synchronous = FULL");
        if (version == 1) {
            if ((rc = upgrade_v1(db, e, path)))
                goto fail;
            version = REPORTS_VERSION;
        } else if (version == 2) {
            if ((rc = upgrade_v2(db, e, path)))
                goto fail;
            version = REPORTS_VERSION;
        }
    }
    if (app != REPORTS_APPLICATION_ID) {
        rc = pl_err_set(e, PLEDGER_ENOTDB, "%s is not a pledger database of search reports "
                        "(application_id 0x%08llx)", path, (unsigned long long)app);
        goto fail;
    }
    /* version 2 reads as 3 (only a trigger of the writer differs) */
    if (version != REPORTS_VERSION && !(version == 2 && pl_db_read_only(db))) {
        if (version == 1 && pl_db_read_only(db))
            rc = pl_err_set(e, PLEDGER_EREADONLY, "%s has version 1 of the search reports' "
                            "schema: open the registry writable once to bring it to version "
                            "%d", path, REPORTS_VERSION);
        else
            rc = pl_err_set(e, version > REPORTS_VERSION ? PLEDGER_ENEWER : PLEDGER_ECORRUPT,
                            "%s has version %lld of the search reports' schema; this library "
                            "reads version %d", path, (long long)version, REPORTS_VERSION);
        goto fail;
    }
    free(path);
    return 0;
fail:
    sqlite3_exec(h, "DETACH reports", NULL, NULL, NULL);
    free(path);
    return rc;
}

static const char sql_put[] =
    "INSERT INTO reports.search_report (number, issued_at, actor, role, kind, query, result_count, "
    "log_size, note, checkpoint) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char sql_key[] =
    "INSERT INTO reports.report_key_recent (number, what, key) VALUES (?1, ?2, ?3)";
/* A segment's keys, sorted, to the index; out of the recent ones. */
static const char sql_seal[] =
    "INSERT OR IGNORE INTO reports.report_key (segment, what, key, number) "
    "SELECT (number - 1) / ?1, what, key, number FROM reports.report_key_recent "
    "WHERE number <= ?2 ORDER BY 1, 2, 3, 4";
static const char sql_seal_drop[] = "DELETE FROM reports.report_key_recent WHERE number <= ?1";
/* A slice of a complete segment's keys (seal_slice): the recent keys in
 * the order they were recorded, the first rows of them moved. */
static const char sql_slice_walk[] =
    "SELECT rowid, number FROM reports.report_key_recent ORDER BY rowid";
static const char sql_slice_move[] =
    "INSERT OR IGNORE INTO reports.report_key (segment, what, key, number) "
    "SELECT (number - 1) / ?1, what, key, number FROM reports.report_key_recent "
    "WHERE rowid <= ?2 ORDER BY 1, 2, 3, 4";
static const char sql_slice_drop[] = "DELETE FROM reports.report_key_recent WHERE rowid <= ?1";
/* A group's reports but its last name its checkpoint (the trigger lets
 * a row's checkpoint go from its own number to a later one, nothing else:
 * store/schema-report.c). */
static const char sql_close_group[] =
    "UPDATE reports.search_report SET checkpoint = ?2 WHERE number >= ?1 AND number < ?2";
static const char sql_get[] =
    "SELECT note, actor, checkpoint FROM reports.search_report WHERE number = ?1";
static const char sql_node_get[] = "SELECT hash FROM reports.report_node WHERE pos = ?1";
static const char sql_node_put[] =
    "INSERT INTO reports.report_node (pos, level, idx, hash) VALUES (?1, ?2, ?3, ?4)";
static const char sql_cp_put[] =
    "INSERT INTO reports.report_checkpoint (size, signed_at, note) VALUES (?1, ?2, ?3)";
static const char sql_cp_get[] = "SELECT note FROM reports.report_checkpoint WHERE size = ?1";
#define COLS "r.number, r.issued_at, r.actor, r.role, r.kind, r.query, r.result_count, " \
             "r.log_size"
static const char sql_find[] =
    "SELECT " COLS " FROM reports.search_report r "
    "WHERE r.number > ?2 AND (?3 IS NULL OR r.actor = ?3) "
    "AND r.issued_at BETWEEN ?4 AND ?5 ORDER BY r.number LIMIT ?6";
/* About a party: the reports whose question named it (under its name key
 * ?8, as pledger_report_issue keeps the parties asked; ?1 as asked, as
 * earlier builds kept them), and
 * those whose answer named a registration of it -- as pledgor or pledgee
 * by identifier (?7, normalized), as pledgor by name (?8, its name key) --
 * found through the register's own indexes (store/schema-workflow.c): in
 * each sealed segment of report_key by a seek (CROSS JOIN: the planner
 * would rather read a whole segment's registrations), in the recent keys
 * by reading them through (two segments at most).  The segments walked are
 * those kept, each found by a seek past the one before: counting from 0
 * to the largest ran for hours once a key of segment 4e9 was planted. */
const char pl_report_sql_find_party[] =
    "WITH RECURSIVE"
    " seg(n) AS (SELECT min(segment) FROM reports.report_key"
    "   UNION ALL SELECT (SELECT min(k.segment) FROM reports.report_key k"
    "     WHERE k.segment > seg.n) FROM seg WHERE seg.n IS NOT NULL),"
    " regs(reg) AS (SELECT p.registration_number FROM main.pledge p"
    "   JOIN main.pledge_version v ON v.pledge_id = p.id"
    "   WHERE v.pledgor_id = ?7 OR v.pledgee_id = ?7 OR v.pledgor_key = ?8),"
    " hits(number) AS ("
    "   SELECT k.number FROM seg CROSS JOIN reports.report_key k"
    "   WHERE k.segment = seg.n AND k.what = 1 AND k.key IN (?1, ?8)"
    "   UNION SELECT k.number FROM regs CROSS JOIN seg CROSS JOIN reports.report_key k"
    "   WHERE k.segment = seg.n AND k.what = 2 AND k.key = regs.reg"
    "   UNION SELECT number FROM reports.report_key_recent"
    "   WHERE (what = 1 AND key IN (?1, ?8)) OR (what = 2 AND key IN regs)) "
    "SELECT " COLS " FROM reports.search_report r WHERE r.number IN hits "
    "AND r.number > ?2 AND (?3 IS NULL OR r.actor = ?3) "
    "AND r.issued_at BETWEEN ?4 AND ?5 ORDER BY r.number LIMIT ?6";

/* The number after the last report -- once the ends of what is kept
 * agree: n reports make a tree of 2n - popcount(n) subtrees, sealed by a
 * checkpoint over all n (none yet: a companion brought from version 1
 * before its first group).  A report, a subtree or a checkpoint removed
 * underneath the library is said so here, not left to collide with the
 * next append. */
static int sq_next(pl_db *db, pl_err *e, uint64_t *out, uint64_t *checkpoint)
{
    uint64_t last = 0, nodes = 0, cp = 0;
    int rc = pl_sq_report_ends(db, e, &last, NULL, &nodes, &cp);

    if (rc)
        return rc;
    uint64_t want = 2 * last - (uint64_t)__builtin_popcountll(last);
    if (nodes != want || (cp != 0 && cp != last)) {
        char *path = companion_path(pl_db_path(db));
        rc = pl_err_set(e, PLEDGER_ECORRUPT, "search reports: %s was changed outside pledger: "
                        "its last report is number %llu, its tree ends at %llu subtrees "
                        "(%llu reports make %llu) and its last checkpoint is over %llu "
                        "reports; no report is recorded until it is mended "
                        "(pledger_report_verify says where)", path ? path : pl_db_path(db),
                        (unsigned long long)last, (unsigned long long)nodes,
                        (unsigned long long)last, (unsigned long long)want,
                        (unsigned long long)cp);
        free(path);
        return rc;
    }
    *out = last + 1;
    if (checkpoint)
        *checkpoint = cp;
    return 0;
}

/* The segments up to the one that ends with report @last are complete:
 * their keys move, sorted, to the index (all but the last at an upgrade;
 * as reports are recorded, a slice at a time: seal_slice). */
static int seal(pl_db *db, pl_err *e, uint64_t last)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_seal, &st);

    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, PL_REPORT_SEGMENT);
    sqlite3_bind_int64(st, 2, (int64_t)last);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return pl_db_fail(db, e, rc, "search reports: indexing a segment's keys");
    if ((rc = pl_db_stmt(db, e, sql_seal_drop, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, (int64_t)last);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0
                             : pl_db_fail(db, e, rc, "search reports: indexing a segment's keys");
}

/* A complete segment's keys move to the index a slice at a time while the
 * next segment is recorded: every SLICE_EVERY reports, the keys of the
 * oldest reports (SLICE_MOVE at most, so a backlog is caught up) of the
 * complete segments that are still recent.  Moved all at once when the
 * segment's last report was recorded, 4,096 reports' keys held that
 * report's group, and the answers waiting behind it, some 10 ms: most of
 * pledgerd's 99th percentile (docs/performance.md).  A slice's keys land
 * anywhere in their segment's part of the index, so smaller slices write
 * more pages for the same keys: 256 reports a slice kept the answers a
 * second of 64 reports' slices and the 99th percentile of 1,024's.  The recent keys are
 * rows in the order they were recorded (by number), so a slice is their
 * first rows, found by rowid, not by a scan; a slice takes whole reports.
 * The index then holds the keys of reports 1 to m, the recent rows those
 * after m, m no more than the complete segments' end. */
#define SLICE_EVERY 256
#define SLICE_MOVE 384

static int seal_slice(pl_db *db, pl_err *e, uint64_t last)
{
    const char *what = "search reports: indexing a segment's keys";
    uint64_t complete = last / PL_REPORT_SEGMENT * PL_REPORT_SEGMENT, to = 0;
    int64_t upto = 0;
    bool any = false;
    sqlite3_stmt *st;
    int rc;

    if (complete == 0)
        return 0;
    if ((rc = pl_db_stmt(db, e, sql_slice_walk, &st)))
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t number = sqlite3_column_int64(st, 1);
        if (!any) {   /* the oldest recent report: the slice starts there */
            if (number < 1 || (uint64_t)number > complete)
                break;
            to = (uint64_t)number + SLICE_MOVE - 1 < complete ? (uint64_t)number + SLICE_MOVE - 1
                                                              : complete;
            any = true;
        }
        if (number < 1 || (uint64_t)number > to)
            break;
        upto = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return pl_db_fail(db, e, rc, what);
    if (!upto)
        return 0;
    if ((rc = pl_db_stmt(db, e, sql_slice_move, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, PL_REPORT_SEGMENT);
    sqlite3_bind_int64(st, 2, upto);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return pl_db_fail(db, e, rc, what);
    if ((rc = pl_db_stmt(db, e, sql_slice_drop, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, upto);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, what);
}

static int sq_put(pl_db *db, pl_err *e, const pl_report_row *r, const char *const *parties,
                  size_t n, const char *const *results, size_t nr)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_put, &st);

    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, (int64_t)r->number);
    sqlite3_bind_int64(st, 2, r->issued_at);
    sqlite3_bind_text(st, 3, r->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->query, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, (int64_t)r->result_count);
    sqlite3_bind_int64(st, 8, (int64_t)r->log_size);
    sqlite3_bind_text(st, 9, r->note, -1, SQLITE_STATIC);
    if (r->checkpoint)
        sqlite3_bind_int64(st, 10, (int64_t)r->checkpoint);
    else
        sqlite3_bind_null(st, 10);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return pl_db_fail(db, e, rc, "search reports: storing a report");
    for (size_t i = 0; i < n + nr; i++) {
        if ((rc = pl_db_stmt(db, e, sql_key, &st)))
            return rc;
        sqlite3_bind_int64(st, 1, (int64_t)r->number);
        sqlite3_bind_int(st, 2, i < n ? 1 : 2);
        sqlite3_bind_text(st, 3, i < n ? parties[i] : results[i - n], -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return pl_db_fail(db, e, rc, "search reports: keeping a report's keys");
    }
    if (r->number % SLICE_EVERY == 0)
        return seal_slice(db, e, r->number);
    return 0;
}

static int sq_close_group(pl_db *db, pl_err *e, uint64_t first, uint64_t last)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_close_group, &st);

    if (rc)
        return rc;
    if (first >= last)
        return 0;
    sqlite3_bind_int64(st, 1, (int64_t)first);
    sqlite3_bind_int64(st, 2, (int64_t)last);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "search reports: closing a group");
}

static char *column_dup(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    return strdup(t ? t : "");
}

static int sq_get(pl_db *db, pl_err *e, uint64_t number, char **note, char **actor,
                  uint64_t *checkpoint)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_get, &st);

    *note = *actor = NULL;
    *checkpoint = 0;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, number > INT64_MAX ? INT64_MAX : (int64_t)number);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *note = column_dup(st, 0);
        *actor = column_dup(st, 1);
        int64_t cp = sqlite3_column_int64(st, 2);
        *checkpoint = cp > 0 ? (uint64_t)cp : 0;
        sqlite3_reset(st);
        if (!*note || !*actor) {
            free(*note);
            free(*actor);
            *note = *actor = NULL;
            return pl_err_oom(e);
        }
        return 0;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return pl_err_set(e, PLEDGER_ENOTFOUND, "no search report number %llu",
                          (unsigned long long)number);
    return pl_db_fail(db, e, rc, "search reports: reading a report");
}

static int sq_find(pl_db *db, pl_err *e, const pl_report_filter *f,
                   int (*each)(void *ctx, pl_err *e, const pl_report_row *r), void *ctx)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, f->party ? pl_report_sql_find_party : sql_find, &st);

    if (rc)
        return rc;
    if (f->party) {
        sqlite3_bind_text(st, 1, f->party, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, f->party_id ? f->party_id : f->party, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, f->party_key ? f->party_key : f->party, -1, SQLITE_STATIC);
    }
    sqlite3_bind_int64(st, 2, f->after > INT64_MAX ? INT64_MAX : (int64_t)f->after);
    if (f->actor)
        sqlite3_bind_text(st, 3, f->actor, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, f->from);
    sqlite3_bind_int64(st, 5, f->to);
    sqlite3_bind_int64(st, 6, f->limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pl_report_row r = {
            (uint64_t)sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
            (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
            (const char *)sqlite3_column_text(st, 4), (const char *)sqlite3_column_text(st, 5),
            (uint64_t)sqlite3_column_int64(st, 6), (uint64_t)sqlite3_column_int64(st, 7), NULL
        };
        if (!r.actor || !r.role || !r.kind || !r.query) {
            bool oom = sqlite3_errcode(pl_db_handle(db)) == SQLITE_NOMEM;
            sqlite3_reset(st);
            if (oom)
                return pl_err_oom(e);
            return pl_err_set(e, PLEDGER_ECORRUPT, "search report %llu: its %s is NULL, which "
                              "pledger never writes: the search reports' file was changed "
                              "outside pledger (pledger_report_verify says what else)",
                              (unsigned long long)r.number,
                              !r.actor ? "actor" : !r.role ? "role" : !r.kind ? "kind"
                                                                                : "query");
        }
        int cr = each(ctx, e, &r);
        if (cr) {
            sqlite3_reset(st);
            return cr;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "search reports: listing reports");
}

static int sq_node_get(void *ctx, pl_err *e, unsigned level, uint64_t index, pl_mhash *out)
{
    return pl_sq_node_get(ctx, e, sql_node_get, "search reports", level, index, out);
}

static int node_put(void *ctx, pl_err *e, unsigned level, uint64_t index, const pl_mhash *h)
{
    return pl_sq_node_put(ctx, e, sql_node_put, "search reports", level, index, h);
}

static int sq_cp_put(pl_db *db, pl_err *e, uint64_t size, int64_t at, const char *note)
{
    return pl_sq_checkpoint_put(db, e, sql_cp_put, "search reports: keeping a checkpoint", size,
                                at, note);
}

static int sq_cp_get(pl_db *db, pl_err *e, uint64_t size, char **note)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_cp_get, &st);

    *note = NULL;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, size > INT64_MAX ? INT64_MAX : (int64_t)size);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *note = column_dup(st, 0);
        sqlite3_reset(st);
        return *note ? 0 : pl_err_oom(e);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return pl_err_set(e, PLEDGER_ECORRUPT, "search reports: the checkpoint of the first "
                          "%llu reports is missing", (unsigned long long)size);
    return pl_db_fail(db, e, rc, "search reports: reading a checkpoint");
}

/* SQLite folds a database's write-ahead log back from the committing
 * connection's wal hook, by default once it holds 1000 pages; a hook of
 * our own keeps that for the registry and takes the reports' limit from
 * its argument (0: never). */
#define DEFAULT_AUTOCHECKPOINT 1000

static int wal_hook(void *arg, sqlite3 *h, const char *name, int pages)
{
    int limit = strcmp(name, "reports") == 0 ? (int)(intptr_t)arg : DEFAULT_AUTOCHECKPOINT;
    if (limit > 0 && pages >= limit)
        sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

static int sq_autoflush(pl_db *db, pl_err *e, int pages)
{
    (void)e;
    sqlite3_wal_hook(pl_db_handle(db), wal_hook, (void *)(intptr_t)pages);
    return 0;
}

static int sq_flush(pl_db *db, pl_err *e, uint64_t *left)
{
    int in_log = 0, folded = 0;
    *left = 0;
    int rc = sqlite3_wal_checkpoint_v2(pl_db_handle(db), "reports", SQLITE_CHECKPOINT_PASSIVE,
                                       &in_log, &folded);
    if (rc == SQLITE_BUSY)  /* another connection is folding it: not an error */
        return 0;
    if (rc != SQLITE_OK) {   /* the reports' file, not the registry, failed */
        char *path = companion_path(pl_db_path(db));
        pl_sq_tx_file(db, path);
        rc = pl_db_fail(db, e, rc, "search reports: folding the write-ahead log back");
        pl_sq_tx_file(db, NULL);
        free(path);
        return rc;
    }
    if (in_log > folded)
        *left = (uint64_t)(in_log - folded);
    return 0;
}

static bool companion_attached(pl_db *db)
{
    const char *f = sqlite3_db_filename(pl_db_handle(db), "reports");
    return f != NULL;
}

static int sq_autosync(pl_db *db, pl_err *e, bool on)
{
    pl_sq_reports_of(db)->unsynced = !on;
    if (!companion_attached(db) || pl_db_read_only(db))
        return 0; /* the attach sets it */
    return pl_db_exec(db, e, on ? "PRAGMA reports.synchronous = FULL"
                                : "PRAGMA reports.synchronous = NORMAL");
}

/* Sync the directory holding @path (a file created in it is found there
 * after a crash of the machine only once its entry is synced). */
static int sync_dir(pl_err *e, const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir)
        return pl_err_oom(e);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = 0;
    if (fd < 0 || fsync(fd) != 0)
        rc = pl_err_set(e, PLEDGER_EIO, "search reports: syncing the directory %s: %s", dir,
                        strerror(errno));
    if (fd >= 0)
        close(fd);
    free(dir);
    return rc;
}

/* The companion's write-ahead log holds every commit not yet folded back
 * into its file (folds sync the file before the log starts again), so
 * syncing the log, and once its directory entry, is syncing every report
 * committed so far.  The log is opened by its name each time: another
 * connection may have removed and made it again since. */
static int sq_sync(pl_db *db, pl_err *e)
{
    const char *file = sqlite3_db_filename(pl_db_handle(db), "reports");
    if (!file || !*file)
        return 0; /* not attached, or in memory */
    const char *wal = sqlite3_filename_wal(file);
    if (!wal || !*wal)
        return 0;
    int fd = open(wal, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0; /* no log: every commit is in the file, synced by its fold */
        return pl_err_set(e, PLEDGER_EIO, "search reports: opening %s to sync it: %s", wal,
                          strerror(errno));
    }
    pl_sq_reports *st = pl_sq_reports_of(db);
    struct stat sb;
    int rc = 0;
    if (fdatasync(fd) != 0 || fstat(fd, &sb) != 0)
        rc = pl_err_set(e, PLEDGER_EIO, "search reports: syncing %s: %s", wal, strerror(errno));
    close(fd);
    if (!rc && (!st->wal_known || st->wal_dev != sb.st_dev || st->wal_ino != sb.st_ino)) {
        if (!(rc = sync_dir(e, wal))) {
            st->wal_known = true;
            st->wal_dev = sb.st_dev;
            st->wal_ino = sb.st_ino;
        }
    }
    return rc;
}

static char *sq_file(pl_db *db)
{
    return companion_path(pl_db_path(db));
}

#define MARK_KEY "reports_mark"

/* The registry's mark (report.h): a write of the registry alone, its
 * lock not waited for -- the answers wait for the sync that marks. */
static int sq_mark_put(pl_db *db, pl_err *e, const pl_report_mark *m)
{
    char value[160], hex[2 * sizeof m->root.h + 1];
    for (size_t i = 0; i < sizeof m->root.h; i++)
        snprintf(hex + 2 * i, 3, "%02x", m->root.h[i]);
    snprintf(value, sizeof value, "%" PRIu64 " %s %" PRId64, m->size, hex, m->at);
    /* BEGIN DEFERRED: the registry's lock alone, taken by the write (the
     * companion's, which a recorder holds most of the time, is not asked) */
    int64_t was = pl_sq_busy_timeout_swap(db, 0);
    int rc = pl_db_write_begin_lazy(db, e);
    if (!rc) {
        if (!(rc = pl_db_meta_set(db, e, MARK_KEY, value)) &&
            !(rc = pl_sq_check_not_moved(db, e, "main", pl_db_path(db))))
            rc = pl_db_commit(db, e);
        else
            pl_db_rollback(db);
    }
    pl_sq_busy_timeout_swap(db, was);
    return rc;
}

static int sq_mark_get(pl_db *db, pl_err *e, pl_report_mark *m, bool *found)
{
    char *v = NULL, hex[2 * sizeof m->root.h + 1];
    pl_err none = { 0 };
    int n = 0;

    *found = false;
    memset(m, 0, sizeof *m);
    int rc = pl_db_meta_get(db, &none, MARK_KEY, &v);
    if (rc == PLEDGER_ENOTFOUND)
        return 0;
    if (rc)
        return pl_err_set(e, rc, "%s", pl_err_text(&none));
    long long at = 0;
    unsigned long long size = 0;
    bool ok = sscanf(v, "%llu %64[0-9a-f] %lld%n", &size, hex, &at, &n) == 3 && !v[n] &&
              strlen(hex) == sizeof hex - 1 && size > 0;
    for (size_t i = 0; ok && i < sizeof m->root.h; i++) {
        unsigned byte;
        ok = sscanf(hex + 2 * i, "%2x", &byte) == 1;
        m->root.h[i] = (unsigned char)byte;
    }
    if (!ok)
        rc = pl_err_set(e, PLEDGER_ECORRUPT, "the registry's setting 'reports_mark' ('%.80s') "
                        "is not what pledger writes: the registry was changed outside pledger",
                        v);
    free(v);
    if (rc)
        return rc;
    m->size = size;
    m->at = at;
    *found = true;
    return 0;
}

const pl_reports_ops pl_sqlite_reports_ops = {
    .attach = sq_attach,
    .next = sq_next,
    .put = sq_put,
    .close_group = sq_close_group,
    .get = sq_get,
    .find = sq_find,
    .node_get = sq_node_get,
    .node_put = node_put,
    .checkpoint_put = sq_cp_put,
    .checkpoint_get = sq_cp_get,
    .autoflush = sq_autoflush,
    .flush = sq_flush,
    .autosync = sq_autosync,
    .sync = sq_sync,
    .scan = pl_sq_report_scan,
    .checkpoint_scan = pl_sq_report_checkpoints,
    .ends = pl_sq_report_ends,
    .file = sq_file,
    .mark_put = sq_mark_put,
    .mark_get = sq_mark_get,
};
