/* Verification by registration number, ranks on a right, and the order of
 * two registrations. */
#include "query/query.h"
#include "store/sqlite.h"

#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "model/kinds.h"
#include "query/mask.h"
#include "store/sql-states.h"

/* The instant bound in SQL for "valid at": the current versions are the
 * ones valid at INT64_MAX (valid_to NULL). */
static int64_t sql_instant(int64_t as_of) { return as_of == PL_Q_CURRENT ? INT64_MAX : as_of; }

static const char sql_ranks[] =
    "SELECT r0.idx, (SELECT count(*) FROM pledge_right r"
    "   JOIN pledge p ON p.id = r.pledge_id"
    "   JOIN pledge_version v ON v.pledge_id = r.pledge_id"
    "   WHERE r.kind = r0.kind AND r.right_key = r0.right_key"
    "   AND (p.registered_at, p.id) < (?2, ?1)"
    "   AND " PL_SQL_VALID_AT("v.", "?3")
    "   AND " PL_SQL_IN_FORCE("v.") ")"
    " FROM pledge_right r0 WHERE r0.pledge_id = ?1 ORDER BY r0.idx";

static const char sql_certificates[] =
    "SELECT version, issued_at, superseded_at, verification_code FROM certificate"
    " WHERE pledge_id = ?1 ORDER BY version";

static const char sql_pledge_at[] =
    "SELECT p.id, p.registered_at, v.state, p.kind,"
    " (SELECT count(*) FROM pledge_right r WHERE r.pledge_id = p.id)"
    " FROM pledge p JOIN pledge_version v ON v.pledge_id = p.id"
    " WHERE p.registration_number = ?1"
    " AND " PL_SQL_VALID_AT("v.", "?2");

static const char sql_order[] =
    "SELECT registered_at, id FROM pledge WHERE registration_number = ?1";

int pl_q_ranks(pl_db *db, pl_err *e, int64_t pledge_id, int kind, int64_t registered_at,
               int own_state, int64_t as_of, int *ranks, size_t n)
{
    const pl_kind_info *k = pl_kind(kind);
    sqlite3_stmt *st;
    size_t i = 0;
    int rc;

    memset(ranks, 0, n * sizeof *ranks);
    if (!PL_Q_IN_FORCE(own_state) || n == 0)
        return 0;
    if (k && !k->several_pledges) {
        /* The registry refuses a second pledge on a right of these kinds
         * while one is in force (workflow/app-flow.c), so one in force is
         * the only one: first on each of its rights. */
        for (i = 0; i < n; i++)
            ranks[i] = 1;
        return 0;
    }
    if ((rc = pl_db_stmt(db, e, sql_ranks, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, pledge_id);
    sqlite3_bind_int64(st, 2, registered_at);
    sqlite3_bind_int64(st, 3, sql_instant(as_of));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && i < n)
        ranks[i++] = 1 + sqlite3_column_int(st, 1);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return pl_db_fail(db, e, rc, "ranking a pledge");
    return 0;
}

int pl_q_code_normalize(pl_err *e, const char *in, char out[20])
{
    char *n = pl_text_normalize_id(in);
    char raw[17];
    size_t k = 0;

    out[0] = '\0';
    if (!n)
        return in && pl_utf8_valid(in, strlen(in))
                   ? pl_err_oom(e)
                   : pl_err_set(e, PLEDGER_EINVAL, "the verification code is not valid UTF-8");
    for (const char *p = n; *p; p++) {
        if (*p == '-')
            continue;
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z')) || k == 16) {
            free(n);
            return pl_err_set(e, PLEDGER_EINVAL,
                              "the verification code must be 16 letters and digits, written "
                              "XXXX-XXXX-XXXX-XXXX");
        }
        raw[k++] = *p;
    }
    free(n);
    if (k != 16)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "the verification code must be 16 letters and digits, written "
                          "XXXX-XXXX-XXXX-XXXX; this one has %zu", k);
    for (size_t g = 0, o = 0; g < 4; g++) {
        memcpy(out + o, raw + 4 * g, 4);
        o += 4;
        out[o++] = g < 3 ? '-' : '\0';
    }
    return 0;
}

/* Compare without stopping at the first difference. */
static bool same_code(const char *a, const char *b)
{
    unsigned char diff = 0;
    size_t n = strlen(a);

    if (n != strlen(b))
        return false;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

static int check_code(pl_db *db, pl_err *e, pl_q_verify *q, const char *code)
{
    int64_t t = sql_instant(q->as_of), issued = 0, superseded = 0;
    int version = 0, rc;
    bool has_superseded = false;
    sqlite3_stmt *st;

    if ((rc = pl_db_stmt(db, e, sql_certificates, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, q->v.pledge_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *stored = (const char *)sqlite3_column_text(st, 3);
        if (stored && same_code(stored, code) && !version) {
            version = sqlite3_column_int(st, 0);
            issued = sqlite3_column_int64(st, 1);
            has_superseded = sqlite3_column_type(st, 2) != SQLITE_NULL;
            superseded = sqlite3_column_int64(st, 2);
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return pl_db_fail(db, e, rc, "reading certificates");
    if (!version)
        return pl_err_set(e, PLEDGER_ECODE,
                          "code: the verification code is not that of any certificate of "
                          "pledge %s", q->v.number);
    if (issued > t) {
        char when[32];
        pl_instant_format(issued, when);
        return pl_err_set(e, PLEDGER_ECODE,
                          "code: the verification code is that of the certificate of version "
                          "%d of pledge %s, issued only at %s, after the instant asked about",
                          version, q->v.number, when);
    }
    q->code_version = version;
    if (has_superseded && superseded <= t) {
        q->code_status = PL_Q_CODE_SUPERSEDED;
        q->code_superseded_at = superseded;
    } else {
        q->code_status = PL_Q_CODE_MATCHED;
    }
    return 0;
}

void pl_q_verify_clear(pl_q_verify *q)
{
    pl_pver_clear(&q->v);
    free(q->ranks);
    memset(q, 0, sizeof *q);
}

int pl_q_verify_run(pl_db *db, pl_err *e, const char *number, int64_t as_of, const char *code,
                    pledger_role role, pl_q_verify *out)
{
    int rc;

    memset(out, 0, sizeof *out);
    out->as_of = as_of;
    if ((rc = pl_db_read_begin(db, e)))
        return rc;
    if ((rc = pl_pver_load(db, e, number, as_of, &out->v)))
        goto done;
    if (!(out->ranks = calloc(out->v.n_rights ? out->v.n_rights : 1, sizeof *out->ranks))) {
        rc = pl_err_oom(e);
        goto done;
    }
    if ((rc = pl_q_ranks(db, e, out->v.pledge_id, out->v.kind, out->v.registered_at,
                         out->v.state, as_of, out->ranks, out->v.n_rights)))
        goto done;
    for (size_t i = 0; i < out->v.n_rights; i++)
        if (out->ranks[i] > out->rank)
            out->rank = out->ranks[i];
    if (code)
        rc = check_code(db, e, out, code);
done:
    pl_db_rollback(db);
    if (rc) {
        pl_q_verify_clear(out);
        return rc;
    }
    pl_mask_pver(&out->v, role);
    pl_date_format(out->v.period_start, out->start);
    pl_date_format(out->v.period_end, out->end);
    return 0;
}

static int not_found(pl_db *db, pl_err *e, const char *number)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_order, &st);

    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return pl_err_set(e, PLEDGER_ENOTFOUND, "pledge '%s' did not exist at that instant",
                          number);
    if (rc == SQLITE_DONE)
        return pl_err_set(e, PLEDGER_ENOTFOUND, "no pledge is registered as '%s'", number);
    return pl_db_fail(db, e, rc, "reading a pledge");
}

static int rank_in_tx(pl_db *db, pl_err *e, const char *number, int64_t as_of, int *out)
{
    int64_t id, registered_at;
    int state, kind, rc, ranks_small[8], *ranks = ranks_small;
    size_t n;
    sqlite3_stmt *st;

    if ((rc = pl_db_stmt(db, e, sql_pledge_at, &st)))
        return rc;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, sql_instant(as_of));
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? not_found(db, e, number)
                                 : pl_db_fail(db, e, rc, "reading a pledge");
    }
    id = sqlite3_column_int64(st, 0);
    registered_at = sqlite3_column_int64(st, 1);
    state = sqlite3_column_int(st, 2);
    kind = sqlite3_column_int(st, 3);
    n = (size_t)sqlite3_column_int64(st, 4);
    sqlite3_reset(st);
    if (n > sizeof ranks_small / sizeof ranks_small[0] && !(ranks = calloc(n, sizeof *ranks)))
        return pl_err_oom(e);
    rc = pl_q_ranks(db, e, id, kind, registered_at, state, as_of, ranks, n);
    *out = 0;
    for (size_t i = 0; !rc && i < n; i++)
        if (ranks[i] > *out)
            *out = ranks[i];
    if (ranks != ranks_small)
        free(ranks);
    return rc;
}

int pl_q_rank(pl_db *db, pl_err *e, const char *number, int64_t as_of, int *out)
{
    int rc;

    *out = 0;
    if ((rc = pl_db_read_begin(db, e)))
        return rc;
    rc = rank_in_tx(db, e, number, as_of, out);
    pl_db_rollback(db);
    if (rc)
        *out = 0;
    return rc;
}

static int order_of(pl_db *db, pl_err *e, const char *number, int64_t *at, int64_t *id)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_order, &st);

    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *at = sqlite3_column_int64(st, 0);
        *id = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return pl_err_set(e, PLEDGER_ENOTFOUND, "no pledge is registered as '%s'", number);
    return pl_db_fail(db, e, rc, "reading a pledge");
}

int pl_q_compare(pl_db *db, pl_err *e, const char *a, const char *b, int *out)
{
    int64_t at_a = 0, id_a = 0, at_b = 0, id_b = 0;
    int rc;

    *out = 0;
    if ((rc = pl_db_read_begin(db, e)))
        return rc;
    if (!(rc = order_of(db, e, a, &at_a, &id_a)))
        rc = order_of(db, e, b, &at_b, &id_b);
    pl_db_rollback(db);
    if (rc)
        return rc;
    if (at_a != at_b)
        *out = at_a < at_b ? -1 : 1;
    else if (id_a != id_b)
        *out = id_a < id_b ? -1 : 1;
    return 0;
}
