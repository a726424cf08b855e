/* The search reports read through for their verification (store/report.h,
 * pl_report_scan and its neighbours): every row with its keys, every
 * signed checkpoint, the tree's size.  SQLite's side; the checks are the
 * library's (api/api-report-verify.c). */
#include "store/report.h"
#include "store/sqlite.h"

#include <stdlib.h>
#include <string.h>

static const char sql_rows[] =
    "SELECT number, issued_at, actor, role, kind, query, result_count, log_size, note, "
    "checkpoint FROM reports.search_report ORDER BY number";
/* The keys in the order of the rows: a report's all at once. */
static const char sql_keys[] =
    "SELECT number, what, key, segment FROM reports.report_key "
    "UNION ALL SELECT number, what, key, -1 FROM reports.report_key_recent "
    "ORDER BY 1, 2, 3";
static const char sql_checkpoints[] =
    "SELECT size, note FROM reports.report_checkpoint ORDER BY size";
/* count(*) of the nodes only when asked for (a verification): a write
 * checks the ends alone, each one seek (?1 = 0) */
static const char sql_ends[] =
    "SELECT (SELECT coalesce(max(number), 0) FROM reports.search_report),"
    " CASE WHEN ?1 THEN (SELECT count(*) FROM reports.report_node) END,"
    " (SELECT coalesce(max(pos) + 1, 0) FROM reports.report_node),"
    " (SELECT coalesce(max(size), 0) FROM reports.report_checkpoint)";

typedef struct key_buf {
    pl_report_key *v;
    size_t n, cap;
} key_buf;

static void key_buf_clear(key_buf *b)
{
    for (size_t i = 0; i < b->n; i++)
        free((char *)b->v[i].key);
    b->n = 0;
}

/* Take the key at @st's row into @b. */
static int key_take(key_buf *b, pl_err *e, sqlite3_stmt *st)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 16;
        pl_report_key *v = realloc(b->v, cap * sizeof *v);
        if (!v)
            return pl_err_oom(e);
        b->v = v;
        b->cap = cap;
    }
    const char *k = (const char *)sqlite3_column_text(st, 2);
    pl_report_key *key = &b->v[b->n];
    int64_t number = sqlite3_column_int64(st, 0);
    key->number = number > 0 ? (uint64_t)number : 0;
    key->what = sqlite3_column_int(st, 1);
    key->segment = sqlite3_column_int64(st, 3);
    key->damaged = !k || sqlite3_column_type(st, 0) == SQLITE_NULL ||
                   sqlite3_column_type(st, 1) == SQLITE_NULL ||
                   strlen(k) != (size_t)sqlite3_column_bytes(st, 2);
    if (!k && sqlite3_errcode(sqlite3_db_handle(st)) == SQLITE_NOMEM)
        return pl_err_oom(e);
    if (!(key->key = strdup(k ? k : "")))
        return pl_err_oom(e);
    b->n++;
    return 0;
}

/* The keys at @keys' cursor (state *@krc) that share its number, into
 * @b (cleared first); *@number is that number. */
static int key_group(key_buf *b, pl_err *e, sqlite3_stmt *keys, int *krc, int64_t *number)
{
    int rc;

    key_buf_clear(b);
    *number = sqlite3_column_int64(keys, 0);
    while (*krc == SQLITE_ROW && sqlite3_column_int64(keys, 0) == *number) {
        if ((rc = key_take(b, e, keys)))
            return rc;
        *krc = sqlite3_step(keys);
    }
    return 0;
}

/* @number as a report's number: 0 for none a report can have (0, below) */
static uint64_t as_number(int64_t number)
{
    return number > 0 ? (uint64_t)number : 0;
}

int pl_sq_report_scan(pl_db *db, pl_err *e, pl_report_scan_fn each, void *ctx)
{
    sqlite3 *h = pl_db_handle(db);
    sqlite3_stmt *rows = NULL, *keys = NULL;
    key_buf kb = { 0 };
    int64_t kn;
    int rc, krc, cr = 0;

    /* two cursors at once: prepared here, not from the handle's cache */
    if ((rc = sqlite3_prepare_v2(h, sql_rows, -1, &rows, NULL)) != SQLITE_OK ||
        (rc = sqlite3_prepare_v2(h, sql_keys, -1, &keys, NULL)) != SQLITE_OK) {
        rc = pl_db_fail(db, e, rc, "search reports: reading them through");
        goto out;
    }
    krc = sqlite3_step(keys);
    while (!cr && (rc = sqlite3_step(rows)) == SQLITE_ROW) {
        int64_t number = sqlite3_column_int64(rows, 0);
        int64_t cp = sqlite3_column_int64(rows, 9);
        /* keys of numbers no row has (in the order SQLite sorts them:
         * signed), before this one */
        while (!cr && krc == SQLITE_ROW && sqlite3_column_int64(keys, 0) < number) {
            if ((cr = key_group(&kb, e, keys, &krc, &kn)))
                goto out;
            cr = each(ctx, e, as_number(kn), NULL, NULL, kb.v, kb.n);
        }
        if (cr)
            break;
        key_buf_clear(&kb);
        if (krc == SQLITE_ROW && sqlite3_column_int64(keys, 0) == number &&
            (cr = key_group(&kb, e, keys, &krc, &kn)))
            goto out;
        pl_report_row r = {
            as_number(number), sqlite3_column_int64(rows, 1),
            (const char *)sqlite3_column_text(rows, 2), (const char *)sqlite3_column_text(rows, 3),
            (const char *)sqlite3_column_text(rows, 4), (const char *)sqlite3_column_text(rows, 5),
            (uint64_t)sqlite3_column_int64(rows, 6), (uint64_t)sqlite3_column_int64(rows, 7),
            (const char *)sqlite3_column_text(rows, 8), cp > 0 ? (uint64_t)cp : 0
        };
        /* a column pledger never leaves NULL, or a text holding a NUL
         * byte (C compares it short, SQLite in full: a report hidden
         * from a list by actor) */
        static const char *const names[] = { NULL, "issued_at", "actor", "role", "kind",
                                             "query", "result_count", "log_size", "note" };
        const char *const texts[] = { NULL, NULL, r.actor, r.role, r.kind, r.query, NULL,
                                      NULL, r.note };
        const char *damaged = NULL;
        for (int c = 1; c <= 8 && !damaged; c++) {
            const char *t = texts[c];
            if (sqlite3_column_type(rows, c) == SQLITE_NULL ||
                (t && strlen(t) != (size_t)sqlite3_column_bytes(rows, c)))
                damaged = names[c];
        }
        if ((!r.actor || !r.role || !r.kind || !r.query || !r.note) &&
            sqlite3_errcode(h) == SQLITE_NOMEM) {
            cr = pl_err_oom(e);
            break;
        }
        r.actor = r.actor ? r.actor : "";
        r.role = r.role ? r.role : "";
        r.kind = r.kind ? r.kind : "";
        r.query = r.query ? r.query : "";
        r.note = r.note ? r.note : "";
        cr = each(ctx, e, r.number, &r, damaged, kb.v, kb.n);
    }
    if (cr) {
        rc = cr;
        goto out;
    }
    if (rc != SQLITE_DONE) {
        rc = pl_db_fail(db, e, rc, "search reports: reading them through");
        goto out;
    }
    /* keys after the last row */
    while (!cr && krc == SQLITE_ROW) {
        if ((cr = key_group(&kb, e, keys, &krc, &kn)))
            goto out;
        cr = each(ctx, e, as_number(kn), NULL, NULL, kb.v, kb.n);
    }
    if (cr)
        rc = cr;
    else if (krc != SQLITE_DONE)
        rc = pl_db_fail(db, e, krc, "search reports: reading their keys through");
    else
        rc = 0;
out:
    key_buf_clear(&kb);
    free(kb.v);
    sqlite3_finalize(rows);
    sqlite3_finalize(keys);
    return rc;
}

int pl_sq_report_checkpoints(pl_db *db, pl_err *e,
                             int (*each)(void *ctx, pl_err *e, uint64_t size, const char *note),
                             void *ctx)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_checkpoints, &st), cr = 0;

    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *note = (const char *)sqlite3_column_text(st, 1);
        int64_t size = sqlite3_column_int64(st, 0);
        if ((cr = each(ctx, e, size > 0 ? (uint64_t)size : 0, note ? note : "")))
            break;
    }
    sqlite3_reset(st);
    if (cr)
        return cr;
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "search reports: reading a checkpoint");
}

int pl_sq_report_ends(pl_db *db, pl_err *e, uint64_t *last, uint64_t *count, uint64_t *end,
                      uint64_t *checkpoint)
{
    sqlite3_stmt *st;
    int64_t v[4] = { 0, 0, 0, 0 };
    int rc = pl_db_stmt(db, e, sql_ends, &st);

    if (rc)
        return rc;
    sqlite3_bind_int(st, 1, count != NULL);
    rc = sqlite3_step(st);
    for (int i = 0; rc == SQLITE_ROW && i < 4; i++)
        v[i] = sqlite3_column_int64(st, i);
    sqlite3_reset(st);
    *last = v[0] > 0 ? (uint64_t)v[0] : 0;
    if (count)
        *count = v[1] > 0 ? (uint64_t)v[1] : 0;
    *end = v[2] > 0 ? (uint64_t)v[2] : 0;
    *checkpoint = v[3] > 0 ? (uint64_t)v[3] : 0;
    return rc == SQLITE_ROW ? 0 : pl_db_fail(db, e, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                                             "search reports: the next number");
}
