/* Search reports: the rows of store/schema-report.c. */
#include "store/report.h"

#include <stdlib.h>
#include <string.h>

static const char sql_next[] = "SELECT coalesce(max(number), 0) + 1 FROM search_report";
static const char sql_put[] =
    "INSERT INTO search_report (number, issued_at, actor, role, kind, query, result_count, "
    "log_size, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char sql_party[] =
    "INSERT OR IGNORE INTO search_report_party (party, number) VALUES (?1, ?2)";
static const char sql_get[] = "SELECT note, actor FROM search_report WHERE number = ?1";
#define COLS "r.number, r.issued_at, r.actor, r.role, r.kind, r.query, r.result_count, " \
             "r.log_size"
static const char sql_find[] =
    "SELECT " COLS " FROM search_report r "
    "WHERE r.number > ?2 AND (?3 IS NULL OR r.actor = ?3) "
    "AND r.issued_at BETWEEN ?4 AND ?5 ORDER BY r.number LIMIT ?6";
static const char sql_find_party[] =
    "SELECT " COLS " FROM search_report_party p JOIN search_report r USING (number) "
    "WHERE p.party = ?1 AND p.number > ?2 AND (?3 IS NULL OR r.actor = ?3) "
    "AND r.issued_at BETWEEN ?4 AND ?5 ORDER BY p.number LIMIT ?6";

int pl_report_next(pl_db *db, pl_err *e, uint64_t *out)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_next, &st);

    if (rc)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = (uint64_t)sqlite3_column_int64(st, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "search reports: the next number");
}

int pl_report_put(pl_db *db, pl_err *e, const pl_report_row *r, const char *const *parties,
                  size_t n)
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
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return pl_db_fail(db, e, rc, "search reports: storing a report");
    for (size_t i = 0; i < n; i++) {
        if ((rc = pl_db_stmt(db, e, sql_party, &st)))
            return rc;
        sqlite3_bind_text(st, 1, parties[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (int64_t)r->number);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return pl_db_fail(db, e, rc, "search reports: indexing a report by party");
    }
    return 0;
}

static char *column_dup(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    return strdup(t ? t : "");
}

int pl_report_get(pl_db *db, pl_err *e, uint64_t number, char **note, char **actor)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_get, &st);

    *note = *actor = NULL;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, number > INT64_MAX ? INT64_MAX : (int64_t)number);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *note = column_dup(st, 0);
        *actor = column_dup(st, 1);
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

int pl_report_find(pl_db *db, pl_err *e, const pl_report_filter *f,
                   int (*each)(void *ctx, pl_err *e, const pl_report_row *r), void *ctx)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, f->party ? sql_find_party : sql_find, &st);

    if (rc)
        return rc;
    if (f->party)
        sqlite3_bind_text(st, 1, f->party, -1, SQLITE_STATIC);
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
            sqlite3_reset(st);
            return pl_err_oom(e);
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
