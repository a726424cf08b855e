/* The SQLite backend's review operations (store/ops-review.h). */
#include "store/ops-review.h"
#include "store/sql-states.h"
#include "store/sqlite.h"

#include "base/i18n.h"

/* One row per pledge: a pledge may name the same right twice. */
static const char sql_pledges_on[] =
    "SELECT p.registration_number, v.state FROM pledge_right r"
    " JOIN pledge p ON p.id = r.pledge_id"
    " JOIN pledge_version v ON v.pledge_id = p.id AND v.valid_to IS NULL"
    " WHERE r.kind = ?1 AND r.right_key = ?2 AND " PL_SQL_IN_FORCE_ON("v.", "?3")
    " GROUP BY p.id ORDER BY p.id";

/* pledge_debtor(debtor, pledge_id) first; the contract number is what
 * the receivable's key holds after its debtor and "/". */
static const char sql_sharing[] =
    "SELECT p.registration_number, v.state FROM pledge_debtor d"
    " CROSS JOIN pledge_right r ON r.pledge_id = d.pledge_id AND r.idx = d.idx"
    " JOIN pledge p ON p.id = d.pledge_id"
    " JOIN pledge_version v ON v.pledge_id = p.id AND v.valid_to IS NULL"
    " WHERE d.debtor = ?1 AND r.kind = ?2 AND r.right_key <> ?4"
    " AND substr(r.right_key, instr(r.right_key, '/') + 1) = ?3"
    " AND " PL_SQL_IN_FORCE_ON("v.", "?5")
    " GROUP BY p.id ORDER BY p.id";

/* In the order of the index application_right_app (schema 11): no sort,
 * so a caller that stops after a few rows reads only those. */
static const char sql_pending[] =
    "SELECT a.acceptance_number, a.uuid, a.state FROM application_right ar"
    " JOIN application a ON a.id = ar.application_id"
    " WHERE ar.right_key = ?1 AND a.kind = ?2 AND a.state BETWEEN 1 AND 5 AND a.id <> ?3"
    " GROUP BY ar.application_id ORDER BY ar.application_id";

/* Each row of @st, bound, as (number, state) to @row; reset at the end. */
static int each_pledge(pl_db *db, pl_err *e, sqlite3_stmt *st, const char *what,
                       pl_review_pledge_fn row, void *arg)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *num = sqlite3_column_text(st, 0);
        int r = row(arg, e, num ? (const char *)num : "", sqlite3_column_int(st, 1));
        if (r) {
            sqlite3_reset(st);
            return r < 0 ? r : 0;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, what);
}

static int pledges_on_right(pl_db *db, pl_err *e, pledger_kind kind, const char *key,
                            pl_review_pledge_fn row, void *arg)
{
    const char *what = N_("reading the pledges on a right");
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_pledges_on, &st);

    if (rc)
        return rc;
    if ((rc = sqlite3_bind_int(st, 1, (int)kind)) ||
        (rc = sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC)) ||
        (rc = sqlite3_bind_int(st, 3, pl_db_day_of(db, INT64_MIN)))) {
        sqlite3_reset(st);
        return pl_db_fail(db, e, rc, what);
    }
    return each_pledge(db, e, st, what, row, arg);
}

static int pledges_sharing_debtor(pl_db *db, pl_err *e, const char *debtor,
                                  const char *contract, const char *except,
                                  pl_review_pledge_fn row, void *arg)
{
    const char *what = N_("reading the pledges on receivables of a debtor");
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_sharing, &st);

    if (rc)
        return rc;
    if ((rc = sqlite3_bind_text(st, 1, debtor, -1, SQLITE_STATIC)) ||
        (rc = sqlite3_bind_int(st, 2, (int)PLEDGER_KIND_RECEIVABLE)) ||
        (rc = sqlite3_bind_text(st, 3, contract, -1, SQLITE_STATIC)) ||
        (rc = sqlite3_bind_text(st, 4, except, -1, SQLITE_STATIC)) ||
        (rc = sqlite3_bind_int(st, 5, pl_db_day_of(db, INT64_MIN)))) {
        sqlite3_reset(st);
        return pl_db_fail(db, e, rc, what);
    }
    return each_pledge(db, e, st, what, row, arg);
}

static int applications_on_right(pl_db *db, pl_err *e, pledger_kind kind, const char *key,
                                 int64_t except, pl_review_app_fn row, void *arg)
{
    const char *what = N_("reading pending applications");
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_pending, &st);

    if (rc)
        return rc;
    if ((rc = sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC)) ||
        (rc = sqlite3_bind_int(st, 2, (int)kind)) || (rc = sqlite3_bind_int64(st, 3, except))) {
        sqlite3_reset(st);
        return pl_db_fail(db, e, rc, what);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *acc = sqlite3_column_text(st, 0);
        const unsigned char *uuid = sqlite3_column_text(st, 1);
        int r = row(arg, e, (const char *)acc, uuid ? (const char *)uuid : "",
                    sqlite3_column_int(st, 2));
        if (r) {
            sqlite3_reset(st);
            return r < 0 ? r : 0;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, what);
}

const pl_review_ops pl_sqlite_review_ops = {
    .pledges_on_right = pledges_on_right,
    .pledges_sharing_debtor = pledges_sharing_debtor,
    .applications_on_right = applications_on_right,
};
