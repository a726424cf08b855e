/* Statistics of a period: counts and exact per-currency sums.
 *
 * Sums are exact in int64 minor units.  SQLite's sum() stops with an
 * error on overflow, so each amount is summed in two halves — the high
 * bits (amount >> 32, below 2^31) and the low 32 bits — which cannot
 * overflow for fewer than 2^31 rows; the halves are recombined here with
 * overflow checks, and a total that does not fit is reported as -1. */
#include "query/query.h"
#include "store/sql-states.h"

#include <stdlib.h>
#include <string.h>

#define FILTERS " AND (?3 = 0 OR p.kind = ?3) AND (?4 IS NULL OR p.office = ?4)"
#define HALVES " v.currency, count(*), sum(v.amount >> 32), sum(v.amount & 4294967295)"

/* Registered in [?1, ?2): counts and amounts of the first versions. */
static const char sql_registered[] =
    "SELECT" HALVES " FROM pledge p JOIN pledge_version v ON v.pledge_id = p.id AND v.version = 1"
    " WHERE p.registered_at >= ?1 AND p.registered_at < ?2" FILTERS
    " GROUP BY v.currency ORDER BY v.currency";

/* In force at the instant ?1 (?2 is not used). */
static const char sql_in_force[] =
    "SELECT" HALVES " FROM pledge_version v JOIN pledge p ON p.id = v.pledge_id"
    " WHERE " PL_SQL_IN_FORCE("v.") " AND " PL_SQL_VALID_AT("v.", "?1")
    FILTERS " GROUP BY v.currency ORDER BY v.currency";

static const char sql_cancelled[] =
    "SELECT count(*) FROM pledge_version v JOIN pledge p ON p.id = v.pledge_id"
    " WHERE v.operation = 'cancel' AND v.valid_from >= ?1 AND v.valid_from < ?2" FILTERS;

void pl_q_stats_clear(pl_q_stats *s)
{
    for (size_t i = 0; i < s->n_sums; i++)
        free(s->sums[i].currency);
    free(s->sums);
    memset(s, 0, sizeof *s);
}

/* hi * 2^32 + lo, or -1 when it does not fit (both are >= 0). */
static int64_t recombine(int64_t hi, int64_t lo)
{
    int64_t t;
    if (hi < 0 || lo < 0 || __builtin_mul_overflow(hi, INT64_C(4294967296), &t) ||
        __builtin_add_overflow(t, lo, &t))
        return -1;
    return t;
}

static pl_q_sum *sum_for(pl_q_stats *s, pl_err *e, const char *currency)
{
    size_t i = 0;

    while (i < s->n_sums && strcmp(s->sums[i].currency, currency) < 0)
        i++;
    if (i < s->n_sums && strcmp(s->sums[i].currency, currency) == 0)
        return &s->sums[i];
    pl_q_sum *v = realloc(s->sums, (s->n_sums + 1) * sizeof *v);
    if (!v) {
        pl_err_oom(e);
        return NULL;
    }
    s->sums = v;
    memmove(&v[i + 1], &v[i], (s->n_sums - i) * sizeof *v);
    memset(&v[i], 0, sizeof *v);
    if (!(v[i].currency = strdup(currency))) {
        memmove(&v[i], &v[i + 1], (s->n_sums - i) * sizeof *v);
        pl_err_oom(e);
        return NULL;
    }
    s->n_sums++;
    return &v[i];
}

static void bind_filters(sqlite3_stmt *st, int64_t a, int64_t b, int kind, const char *office)
{
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    sqlite3_bind_int(st, 3, kind);
    if (office)
        sqlite3_bind_text(st, 4, office, -1, SQLITE_STATIC);
}

/* Run a HALVES query; add its counts to *count and its sums to the
 * registered (@active false) or active totals. */
static int sums(pl_db *db, pl_err *e, const char *sql, int64_t a, int64_t b, int kind,
               const char *office, bool active, pl_q_stats *s, int64_t *count)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql, &st);

    if (rc)
        return rc;
    bind_filters(st, a, b, kind, office);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *cur = (const char *)sqlite3_column_text(st, 0);
        pl_q_sum *sum = sum_for(s, e, cur ? cur : "");
        if (!sum) {
            sqlite3_reset(st);
            return PLEDGER_ENOMEM;
        }
        *count += sqlite3_column_int64(st, 1);
        int64_t total = recombine(sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3));
        if (active)
            sum->active = total;
        else
            sum->registered = total;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "computing statistics");
}

static int cancellations(pl_db *db, pl_err *e, int64_t a, int64_t b, int kind,
                         const char *office, int64_t *out)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_cancelled, &st);

    if (rc)
        return rc;
    bind_filters(st, a, b, kind, office);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : pl_db_fail(db, e, rc, "counting cancellations");
}

int pl_q_stats_run(pl_db *db, pl_err *e, int64_t from_us, int64_t end_us, int kind,
                   const char *office, pl_q_stats *out)
{
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = pl_db_read_begin(db, e)))
        return rc;
    if (!(rc = sums(db, e, sql_registered, from_us, end_us, kind, office, false, out,
                    &out->registrations)) &&
        !(rc = sums(db, e, sql_in_force, end_us - 1, 0, kind, office, true, out,
                    &out->active)))
        rc = cancellations(db, e, from_us, end_us, kind, office, &out->cancellations);
    pl_db_rollback(db);
    if (rc)
        pl_q_stats_clear(out);
    return rc;
}
