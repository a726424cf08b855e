/* The SQLite backend's query operations (store/ops-query.h).
 *
 * Statistics: sums are exact in int64 minor units.  SQLite's sum() stops
 * with an error on overflow, so each amount is summed in two halves --
 * the high bits (amount >> 32, below 2^31) and the low 32 bits -- which
 * cannot overflow for fewer than 2^31 rows; the halves are recombined
 * here with overflow checks, and a total that does not fit is -1. */
#include "store/ops-query.h"
#include "store/sql-states.h"
#include "store/sqlite-search.h"
#include "store/sqlite.h"

#define FILTERS " AND (?3 = 0 OR p.kind = ?3) AND (?4 IS NULL OR p.office = ?4)"
#define HALVES " v.currency, count(*), sum(v.amount >> 32), sum(v.amount & 4294967295)"

/* Registered in [?1, ?2): counts and amounts of the first versions. */
static const char sql_registered[] =
    "SELECT" HALVES " FROM pledge p JOIN pledge_version v ON v.pledge_id = p.id AND v.version = 1"
    " WHERE p.registered_at >= ?1 AND p.registered_at < ?2" FILTERS
    " GROUP BY v.currency ORDER BY v.currency";

/* In force at the instant ?1, whose registry date is ?2. */
static const char sql_in_force[] =
    "SELECT" HALVES " FROM pledge_version v JOIN pledge p ON p.id = v.pledge_id"
    " WHERE " PL_SQL_IN_FORCE_ON("v.", "?2") " AND " PL_SQL_VALID_AT("v.", "?1")
    FILTERS " GROUP BY v.currency ORDER BY v.currency";

static const char sql_cancelled[] =
    "SELECT count(*) FROM pledge_version v JOIN pledge p ON p.id = v.pledge_id"
    " WHERE v.operation = 'cancel' AND v.valid_from >= ?1 AND v.valid_from < ?2" FILTERS;

/* hi * 2^32 + lo, or -1 when it does not fit (both are >= 0). */
static int64_t recombine(int64_t hi, int64_t lo)
{
    int64_t t;
    if (hi < 0 || lo < 0 || __builtin_mul_overflow(hi, INT64_C(4294967296), &t) ||
        __builtin_add_overflow(t, lo, &t))
        return -1;
    return t;
}

static void bind_filters(sqlite3_stmt *st, int64_t a, int64_t b, const pl_stats_filter *f)
{
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    sqlite3_bind_int(st, 3, f->kind);
    if (f->office)
        sqlite3_bind_text(st, 4, f->office, -1, SQLITE_STATIC);
}

static int sums(pl_db *db, pl_err *e, const char *sql, int64_t a, int64_t b,
                const pl_stats_filter *f, pl_stats_row_fn row, void *arg)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql, &st);

    if (rc)
        return rc;
    bind_filters(st, a, b, f);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *cur = (const char *)sqlite3_column_text(st, 0);
        int64_t total = recombine(sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3));
        int r = row(arg, e, cur ? cur : "", sqlite3_column_int64(st, 1), total);
        if (r) {
            sqlite3_reset(st);
            return r;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "computing statistics");
}

static int stats_registered(pl_db *db, pl_err *e, int64_t from_us, int64_t end_us,
                            const pl_stats_filter *f, pl_stats_row_fn row, void *arg)
{
    return sums(db, e, sql_registered, from_us, end_us, f, row, arg);
}

static int stats_in_force(pl_db *db, pl_err *e, int64_t at_us, const pl_stats_filter *f,
                          pl_stats_row_fn row, void *arg)
{
    return sums(db, e, sql_in_force, at_us, pl_db_day_of(db, at_us), f, row, arg);
}

static int stats_cancelled(pl_db *db, pl_err *e, int64_t from_us, int64_t end_us,
                           const pl_stats_filter *f, int64_t *out)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_cancelled, &st);

    if (rc)
        return rc;
    bind_filters(st, from_us, end_us, f);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : pl_db_fail(db, e, rc, "counting cancellations");
}

/* ---- the due list ---------------------------------------------------------- */

/* Applications awaiting a decision or a correction, with the instant the
 * wait began; the document only where its filing/online flag matters. */
static const char sql_due_apps[] =
    "SELECT uuid, kind, state, submitted_at, updated_at, correction_requested_at,"
    " correction_due, CASE WHEN kind = 2 AND state = " PL_SQL_APP_ACCEPTED " THEN document END"
    " FROM application WHERE state IN (" PL_SQL_APP_SUBMITTED ", " PL_SQL_APP_ACCEPTED ", "
    PL_SQL_APP_CORRECTION_REQUESTED ")";

static const char sql_due_period[] =
    "SELECT p.registration_number, p.kind, v.period_end"
    " FROM pledge_version v JOIN pledge p ON p.id = v.pledge_id"
    " WHERE " PL_SQL_IN_FORCE("v.") " AND v.period_end <= ?2"
    " AND " PL_SQL_VALID_AT("v.", "?1");

static const char sql_due_objection[] =
    "SELECT p.registration_number, p.kind, v.objection_until"
    " FROM pledge_version v JOIN pledge p ON p.id = v.pledge_id"
    " WHERE " PL_SQL_UNDER_OBJECTION("v.") " AND v.objection_until <= ?2 AND v.litigation = 0"
    " AND " PL_SQL_VALID_AT("v.", "?1");

static int due_applications(pl_db *db, pl_err *e, pl_due_app_fn row, void *arg)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_due_apps, &st);

    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pl_due_app a = {
            .uuid = (const char *)sqlite3_column_text(st, 0),
            .kind = sqlite3_column_int(st, 1),
            .state = sqlite3_column_int(st, 2),
            .submitted_at = sqlite3_column_type(st, 3) == SQLITE_NULL
                                ? INT64_MIN : sqlite3_column_int64(st, 3),
            .updated_at = sqlite3_column_int64(st, 4),
            .correction_requested_at = sqlite3_column_type(st, 5) == SQLITE_NULL
                                           ? INT64_MIN : sqlite3_column_int64(st, 5),
            .correction_due = sqlite3_column_type(st, 6) == SQLITE_NULL
                                  ? INT32_MIN : sqlite3_column_int(st, 6),
            .document = (const char *)sqlite3_column_text(st, 7),
        };
        /* uuid is NOT NULL: NULL here is SQLite out of memory */
        int r = !a.uuid ? pl_err_oom(e)
                        : pl_sq_row_ok(e, PL_SQ_APPLICATION, a.uuid, &a.kind, &a.state);
        if (!r)
            r = row(arg, e, &a);
        if (r) {
            sqlite3_reset(st);
            return r;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading pending applications");
}

static int due_pledges(pl_db *db, pl_err *e, pl_due_pledges which, int64_t at_us,
                       int32_t by_day, pl_due_pledge_fn row, void *arg)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, which == PL_DUE_OBJECTION ? sql_due_objection : sql_due_period,
                        &st);

    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, at_us);
    sqlite3_bind_int64(st, 2, by_day);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *number = (const char *)sqlite3_column_text(st, 0);
        int kind = sqlite3_column_int(st, 1);
        int r = !number ? pl_err_oom(e) /* NOT NULL: out of memory */
                        : pl_sq_row_ok(e, PL_SQ_PLEDGE, number, &kind, NULL);
        if (!r)
            r = row(arg, e, number, kind, sqlite3_column_int(st, 2));
        if (r) {
            sqlite3_reset(st);
            return r;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading pledges that fall due");
}

/* ---- verification and ranks ------------------------------------------------ */

/* The instant bound in SQL for "valid at": the current versions are the
 * ones valid at INT64_MAX (valid_to NULL). */
static int64_t sql_instant(int64_t as_of) { return as_of == INT64_MIN ? INT64_MAX : as_of; }

static const char sql_ranks[] =
    "SELECT r0.idx, (SELECT count(*) FROM pledge_right r"
    "   JOIN pledge p ON p.id = r.pledge_id"
    "   JOIN pledge_version v ON v.pledge_id = r.pledge_id"
    "   WHERE r.kind = r0.kind AND r.right_key = r0.right_key"
    "   AND (p.registered_at, p.id) < (?2, ?1)"
    "   AND " PL_SQL_VALID_AT("v.", "?3")
    "   AND " PL_SQL_IN_FORCE_ON("v.", "?4") ")"
    " FROM pledge_right r0 WHERE r0.pledge_id = ?1 ORDER BY r0.idx";

static const char sql_certificates[] =
    "SELECT version, issued_at, superseded_at, verification_code FROM certificate"
    " WHERE pledge_id = ?1 ORDER BY version";

static const char sql_pledge_at[] =
    "SELECT p.id, p.registered_at, " PL_SQL_STATE_ON("v.", "?3") ", p.kind,"
    " (SELECT count(*) FROM pledge_right r WHERE r.pledge_id = p.id)"
    " FROM pledge p JOIN pledge_version v ON v.pledge_id = p.id"
    " WHERE p.registration_number = ?1"
    " AND " PL_SQL_VALID_AT("v.", "?2");

static const char sql_order[] =
    "SELECT registered_at, id FROM pledge WHERE registration_number = ?1";

static int pledge_brief(pl_db *db, pl_err *e, const char *number, int64_t as_of,
                        pl_pledge_brief *out, bool *found)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_pledge_at, &st);

    *found = false;
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, sql_instant(as_of));
    sqlite3_bind_int(st, 3, pl_db_day_of(db, as_of));
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *found = true;
        out->id = sqlite3_column_int64(st, 0);
        out->registered_at = sqlite3_column_int64(st, 1);
        out->state = sqlite3_column_int(st, 2);
        out->kind = sqlite3_column_int(st, 3);
        out->n_rights = (size_t)sqlite3_column_int64(st, 4);
        int r = pl_sq_row_ok(e, PL_SQ_PLEDGE, number, &out->kind, &out->state);
        if (r) {
            sqlite3_reset(st);
            return r;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading a pledge");
}

static int pledge_order(pl_db *db, pl_err *e, const char *number, int64_t *registered_at,
                        int64_t *id, bool *found)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_order, &st);

    *found = false;
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *found = true;
        *registered_at = sqlite3_column_int64(st, 0);
        *id = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading a pledge");
}

static int pledges_before(pl_db *db, pl_err *e, int64_t pledge_id, int64_t registered_at,
                          int64_t as_of, int *before, size_t n)
{
    sqlite3_stmt *st;
    size_t i = 0;
    int rc = pl_db_stmt(db, e, sql_ranks, &st);

    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, pledge_id);
    sqlite3_bind_int64(st, 2, registered_at);
    sqlite3_bind_int64(st, 3, sql_instant(as_of));
    sqlite3_bind_int(st, 4, pl_db_day_of(db, as_of));
    while (i < n && (rc = sqlite3_step(st)) == SQLITE_ROW)
        before[i++] = sqlite3_column_int(st, 1);
    sqlite3_reset(st);
    if (i < n && rc != SQLITE_DONE)
        return pl_db_fail(db, e, rc, "ranking a pledge");
    return 0;
}

static int certificates(pl_db *db, pl_err *e, int64_t pledge_id, pl_cert_row_fn row,
                        void *arg)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_certificates, &st);

    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, pledge_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pl_cert_row c = {
            .version = sqlite3_column_int(st, 0),
            .issued_at = sqlite3_column_int64(st, 1),
            .superseded_at = sqlite3_column_type(st, 2) == SQLITE_NULL
                                 ? INT64_MIN : sqlite3_column_int64(st, 2),
            .code = (const char *)sqlite3_column_text(st, 3),
        };
        int r = row(arg, e, &c);
        if (r) {
            sqlite3_reset(st);
            return r;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading certificates");
}

const pl_query_ops pl_sqlite_query_ops = {
    .stats_registered = stats_registered,
    .stats_in_force = stats_in_force,
    .stats_cancelled = stats_cancelled,
    .due_applications = due_applications,
    .due_pledges = due_pledges,
    .pledge_brief = pledge_brief,
    .pledge_order = pledge_order,
    .pledges_before = pledges_before,
    .certificates = certificates,
    .search = pl_sqlite_search,
};
