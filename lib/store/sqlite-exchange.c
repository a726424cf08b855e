/* The SQLite backend's operations of the data line (store/ops-exchange.h). */
#include "store/ops-exchange.h"
#include "store/sqlite.h"

#include "base/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pl_xbatch_row_clear(pl_xbatch_row *b)
{
    free(b->digest);
    free(b->receipt);
    memset(b, 0, sizeof *b);
}

/* Column @i as an allocated string, NULL for NULL; *@oom when it could
 * not be copied. */
static char *col_dup(sqlite3_stmt *st, int i, bool *oom)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    char *s = t ? strdup((const char *)t) : NULL;

    if (!s && sqlite3_column_type(st, i) != SQLITE_NULL)
        *oom = true;
    return s;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* ---- batches ---------------------------------------------------------------- */

static const char sql_unacked[] =
    "SELECT document FROM exchange_batch WHERE direction = 'out' AND peer = ?1"
    " AND acked_at IS NULL ORDER BY seq LIMIT 1";
static const char sql_last_out[] =
    "SELECT seq, digest FROM exchange_batch WHERE direction = 'out' AND peer = ?1"
    " ORDER BY seq DESC LIMIT 1";
static const char sql_last_in[] =
    "SELECT seq, digest FROM exchange_batch WHERE direction = 'in' AND peer = ?1"
    " ORDER BY seq DESC LIMIT 1";
static const char sql_in_seq[] =
    "SELECT digest, receipt FROM exchange_batch WHERE direction = 'in' AND peer = ?1"
    " AND seq = ?2";
static const char sql_out_seq[] =
    "SELECT digest, acked_at, items FROM exchange_batch WHERE direction = 'out' AND peer = ?1"
    " AND seq = ?2";
static const char sql_was_forwarded[] =
    "SELECT EXISTS (SELECT 1 FROM exchange_item i JOIN exchange_batch b ON b.id = i.batch_id"
    " WHERE i.application_id = ?1 AND b.direction = 'out' AND i.what <> 'result')";
static const char sql_app_id[] = "SELECT id FROM application WHERE uuid = ?1";
static const char sql_number_holder[] =
    "SELECT uuid FROM application WHERE office_number = ?1 AND uuid <> ?2"
    " UNION ALL SELECT a.uuid FROM pledge p JOIN application a ON a.id = p.application_id"
    " WHERE p.registration_number = ?1 AND a.uuid <> ?2 LIMIT 1";

static const char *what_read(bool out)
{
    return out ? N_("reading the batches sent") : N_("reading the batches imported");
}

static int batch_unacked(pl_db *db, pl_err *e, const char *peer, char **document)
{
    sqlite3_stmt *st;
    bool oom = false;
    int rc = pl_db_stmt(db, e, sql_unacked, &st);

    *document = NULL;
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        *document = col_dup(st, 0, &oom);
    sqlite3_reset(st);
    if (oom)
        return pl_err_oom(e);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, what_read(true));
}

static int batch_last(pl_db *db, pl_err *e, bool out, const char *peer, pl_xbatch_row *row)
{
    sqlite3_stmt *st;
    bool oom = false;
    int rc = pl_db_stmt(db, e, out ? sql_last_out : sql_last_in, &st);

    memset(row, 0, sizeof *row);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        row->found = true;
        row->seq = (uint64_t)sqlite3_column_int64(st, 0);
        row->digest = col_dup(st, 1, &oom);
    }
    sqlite3_reset(st);
    if (oom) {
        pl_xbatch_row_clear(row);
        return pl_err_oom(e);
    }
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, what_read(out));
}

static int batch_get(pl_db *db, pl_err *e, bool out, const char *peer, uint64_t seq,
                     pl_xbatch_row *row)
{
    sqlite3_stmt *st;
    bool oom = false;
    int rc = pl_db_stmt(db, e, out ? sql_out_seq : sql_in_seq, &st);

    memset(row, 0, sizeof *row);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t)seq);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        row->found = true;
        row->seq = seq;
        row->digest = col_dup(st, 0, &oom);
        if (out) {
            row->acked = sqlite3_column_type(st, 1) != SQLITE_NULL;
            row->items = (uint64_t)sqlite3_column_int64(st, 2);
        }
        else if (sqlite3_column_type(st, 1) == SQLITE_NULL)
            rc = SQLITE_CORRUPT; /* a batch imported always has our receipt */
        else
            row->receipt = col_dup(st, 1, &oom);
    }
    sqlite3_reset(st);
    if (oom || rc == SQLITE_CORRUPT) {
        pl_xbatch_row_clear(row);
        return oom ? pl_err_oom(e) : pl_db_fail(db, e, rc, what_read(out));
    }
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, what_read(out));
}

static int app_forwarded(pl_db *db, pl_err *e, int64_t app_id, bool *out)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_was_forwarded, &st);

    *out = false;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, app_id);
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : pl_db_fail(db, e, rc, "reading the batches sent");
}

static const char sql_acceptance_holder[] =
    "SELECT uuid FROM application WHERE acceptance_number = ?1 AND uuid <> ?2 LIMIT 1";

/* The application other than @uuid that @number is given to by @sql. */
static int holder_of(pl_db *db, pl_err *e, const char *sql, const char *number,
                     const char *uuid, char holder[37])
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql, &st);

    holder[0] = '\0';
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, uuid, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(holder, 37, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? 0 : pl_db_fail(db, e, rc, "reading the applications' numbers");
}

static int number_holder(pl_db *db, pl_err *e, const char *number, const char *uuid,
                         char holder[37])
{
    return holder_of(db, e, sql_number_holder, number, uuid, holder);
}

static int acceptance_holder(pl_db *db, pl_err *e, const char *number, const char *uuid,
                             char holder[37])
{
    return holder_of(db, e, sql_acceptance_holder, number, uuid, holder);
}

static int app_id(pl_db *db, pl_err *e, const char *uuid, int64_t *id)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_app_id, &st);

    *id = 0;
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : pl_db_fail(db, e, rc, "reading an application");
}

static const char sql_app_line[] =
    "SELECT state, coalesce(origin, '') FROM application WHERE uuid = ?1";

static int app_line(pl_db *db, pl_err *e, const char *uuid, bool *found, int *state,
                    char origin[17])
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_app_line, &st);

    *found = false;
    *state = 0;
    origin[0] = '\0';
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *o = col_text(st, 1);
        *found = true;
        *state = sqlite3_column_int(st, 0);
        snprintf(origin, 17, "%s", o ? o : "");
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
                                                 : pl_db_fail(db, e, rc, "reading an application");
}

/* ---- what the next batch carries -------------------------------------------- */

/* An acceptance point's accepted applications, not yet forwarded (again):
 * 'correction' when the office has seen them before.  The instant and
 * actor of the step that accepted (or corrected) them is their last
 * journal event's. */
static const char sql_pending_apps[] =
    "SELECT a.id, a.uuid, a.kind, a.document, a.doc_hash, a.acceptance_number, a.office,"
    " j.at_us, j.actor, EXISTS (SELECT 1 FROM exchange_item i JOIN exchange_batch b"
    " ON b.id = i.batch_id WHERE i.application_id = a.id AND b.direction = 'out')"
    " FROM application a JOIN journal j ON j.seq = a.journal_seq"
    " WHERE a.state = 4 AND a.origin IS NULL ORDER BY a.id LIMIT ?1";
/* An office's decisions on what @peer forwarded, not yet reported. */
static const char sql_pending_results[] =
    "SELECT a.id, a.uuid, a.state, p.registration_number,"
    " (SELECT c.document FROM certificate c WHERE c.pledge_id = p.id ORDER BY c.version"
    "  LIMIT 1),"
    " CASE a.state WHEN 7 THEN a.refusal_ground WHEN 8 THEN a.withdrawn_reason END,"
    " CASE a.state WHEN 5 THEN a.correction_note ELSE a.decision_note END,"
    " CASE a.state WHEN 5 THEN a.correction_due END, j.at_us, j.actor"
    " FROM application a JOIN journal j ON j.seq = a.journal_seq"
    " LEFT JOIN pledge p ON p.application_id = a.id"
    " WHERE a.origin = ?2 AND a.state IN (5, 6, 7, 8)"
    " AND (a.reported_state IS NULL OR a.reported_state <> a.state)"
    " ORDER BY a.id LIMIT ?1";
static const char sql_count_apps[] =
    "SELECT count(*) FROM application WHERE state = 4 AND origin IS NULL";
static const char sql_count_results[] =
    "SELECT count(*) FROM application WHERE origin = ?1 AND state IN (5, 6, 7, 8)"
    " AND (reported_state IS NULL OR reported_state <> state)";

static int pending_applications(pl_db *db, pl_err *e, int limit, pl_xpending_app_fn row,
                                void *arg)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_pending_apps, &st);

    if (rc)
        return rc;
    sqlite3_bind_int(st, 1, limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pl_xpending_app a = {
            .id = sqlite3_column_int64(st, 0),
            .uuid = col_text(st, 1),
            .kind = sqlite3_column_int(st, 2),
            .document = col_text(st, 3),
            .doc_hash = col_text(st, 4),
            .acceptance_number = col_text(st, 5),
            .office = col_text(st, 6),
            .at_us = sqlite3_column_int64(st, 7),
            .by = col_text(st, 8),
            .sent_before = sqlite3_column_int(st, 9) != 0,
        };
        /* uuid, document, doc_hash are NOT NULL: NULL is out of memory */
        int r = !(a.uuid && a.document && a.doc_hash)
                    ? pl_err_oom(e)
                    : pl_sq_row_ok(e, PL_SQ_APPLICATION, a.uuid, &a.kind, NULL);
        if (!r)
            r = row(arg, e, &a);
        if (r) {
            sqlite3_reset(st);
            return r;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading what is pending");
}

static int pending_results(pl_db *db, pl_err *e, const char *peer, int limit,
                           pl_xpending_result_fn row, void *arg)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_pending_results, &st);

    if (rc)
        return rc;
    sqlite3_bind_int(st, 1, limit);
    sqlite3_bind_text(st, 2, peer, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pl_xpending_result r = {
            .id = sqlite3_column_int64(st, 0),
            .uuid = col_text(st, 1),
            .state = sqlite3_column_int(st, 2),
            .number = col_text(st, 3),
            .certificate = col_text(st, 4),
            .ground = col_text(st, 5),
            .note = col_text(st, 6),
            .due = sqlite3_column_type(st, 7) == SQLITE_NULL ? INT32_MIN
                                                             : sqlite3_column_int(st, 7),
            .at_us = sqlite3_column_int64(st, 8),
            .by = col_text(st, 9),
        };
        int k = r.uuid ? pl_sq_row_ok(e, PL_SQ_APPLICATION, r.uuid, NULL, &r.state)
                       : pl_err_oom(e); /* uuid NOT NULL */
        if (!k)
            k = row(arg, e, &r);
        if (k) {
            sqlite3_reset(st);
            return k;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading what is pending");
}

static int count(pl_db *db, pl_err *e, const char *sql, const char *peer, int64_t *out)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql, &st);

    *out = 0;
    if (rc)
        return rc;
    if (peer)
        sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : pl_db_fail(db, e, rc, "counting what is pending");
}

static int pending_applications_count(pl_db *db, pl_err *e, int64_t *out)
{
    return count(db, e, sql_count_apps, NULL, out);
}

static int pending_results_count(pl_db *db, pl_err *e, const char *peer, int64_t *out)
{
    return count(db, e, sql_count_results, peer, out);
}

/* ---- the lines -------------------------------------------------------------- */

static const char sql_lines[] =
    "SELECT peer, coalesce(max(CASE WHEN direction = 'out' THEN seq END), 0),"
    " coalesce(max(CASE WHEN direction = 'out' AND acked_at IS NOT NULL THEN seq END), 0),"
    " coalesce(max(CASE WHEN direction = 'in' THEN seq END), 0)"
    " FROM (SELECT peer, direction, seq, acked_at FROM exchange_batch"
    "  UNION ALL SELECT DISTINCT origin, NULL, NULL, NULL FROM application"
    "  WHERE origin IS NOT NULL"
    "  UNION ALL SELECT ?1, NULL, NULL, NULL WHERE ?1 <> '')"
    " GROUP BY peer ORDER BY peer";

static int lines(pl_db *db, pl_err *e, const char *upstream, pl_xline_fn row, void *arg)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_lines, &st);

    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, upstream ? upstream : "", -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *peer = col_text(st, 0);
        int r = peer ? row(arg, e, peer, (uint64_t)sqlite3_column_int64(st, 1),
                           (uint64_t)sqlite3_column_int64(st, 2),
                           (uint64_t)sqlite3_column_int64(st, 3))
                     : pl_err_oom(e); /* never NULL: out of memory */
        if (r) {
            sqlite3_reset(st);
            return r;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading the lines");
}

const pl_exchange_ops pl_sqlite_exchange_ops = {
    .batch_unacked = batch_unacked,
    .batch_last = batch_last,
    .batch_get = batch_get,
    .app_forwarded = app_forwarded,
    .app_id = app_id,
    .app_line = app_line,
    .number_holder = number_holder,
    .acceptance_holder = acceptance_holder,
    .pending_applications = pending_applications,
    .pending_results = pending_results,
    .pending_applications_count = pending_applications_count,
    .pending_results_count = pending_results_count,
    .lines = lines,
};
