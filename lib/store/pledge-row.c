#include "store/pledge-row.h"
#include "store/sqlite.h"
#include "store/sql-states.h"

#include <stdlib.h>
#include <string.h>

#define VERSION_COLUMNS                                                        \
    "p.id, p.registration_number, p.kind, p.registered_at, p.office,"          \
    " p.modcode_salt, p.modcode_hash, a.acceptance_number, a.uuid,"            \
    " v.version, v.valid_from, v.valid_to, v.state, v.operation,"              \
    " v.pledgor_name, v.pledgor_key, v.pledgor_id_type, v.pledgor_id,"         \
    " v.pledgee_name, v.pledgee_key, v.pledgee_id_type, v.pledgee_id,"         \
    " v.debtor_name, v.debtor_id, v.amount, v.currency, v.period_start,"       \
    " v.period_end, v.objection_by, v.objection_until, v.litigation, v.note"   \
    " FROM pledge p JOIN application a ON a.id = p.application_id"             \
    " JOIN pledge_version v ON v.pledge_id = p.id"

static const char sql_by_number[] =
    "SELECT " VERSION_COLUMNS " WHERE p.registration_number = ?1"
    " AND (CASE WHEN ?2 IS NULL THEN v.valid_to IS NULL"
    "      ELSE " PL_SQL_VALID_AT("v.", "?2") " END)";
static const char sql_by_id[] =
    "SELECT " VERSION_COLUMNS " WHERE p.id = ?1"
    " AND (CASE WHEN ?2 IS NULL THEN v.valid_to IS NULL"
    "      ELSE " PL_SQL_VALID_AT("v.", "?2") " END)";
/* "+?2": with "v.version = ?2" SQLite 3.40 prepares the statement again
 * at every step (its plan marked as depending on the value bound),
 * which cost ten times the lookup itself. */
static const char sql_by_version[] =
    "SELECT " VERSION_COLUMNS " WHERE p.id = ?1 AND v.version = +?2";
static const char sql_rights[] =
    "SELECT right_key, identifier, classes FROM pledge_right WHERE pledge_id = ?1 ORDER BY idx";

static int dup_col(sqlite3_stmt *st, int i, char **out)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    *out = NULL;
    if (!t)
        return 0;
    *out = strdup((const char *)t);
    return *out ? 0 : -1;
}

void pl_pver_lapse(pl_pver *v, int32_t day)
{
    if ((v->state == PLEDGER_PLEDGE_ACTIVE || v->state == PLEDGER_PLEDGE_UNDER_OBJECTION) &&
        v->period_end < day)
        v->state = PLEDGER_PLEDGE_EXPIRED;
    else if (v->state == PLEDGER_PLEDGE_UNDER_OBJECTION && !v->litigation &&
             v->objection_until != INT32_MIN && v->objection_until < day)
        v->state = PLEDGER_PLEDGE_ACTIVE;
}

int pl_pver_set(pl_err *e, char **field, const char *value)
{
    char *copy = NULL;
    if (value && !(copy = strdup(value)))
        return pl_err_oom(e);
    free(*field);
    *field = copy;
    return 0;
}

void pl_pver_clear(pl_pver *p)
{
    char **strs[] = {
        &p->number, &p->office, &p->modcode_salt, &p->modcode_hash, &p->acceptance_number,
        &p->application_uuid, &p->operation, &p->pledgor_name, &p->pledgor_key,
        &p->pledgor_id_type, &p->pledgor_id, &p->pledgee_name, &p->pledgee_key,
        &p->pledgee_id_type, &p->pledgee_id, &p->debtor_name, &p->debtor_id, &p->currency,
        &p->objection_by, &p->note,
    };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        free(*strs[i]);
    for (size_t i = 0; i < p->n_rights; i++) {
        free(p->rights[i].key);
        free(p->rights[i].identifier);
        free(p->rights[i].classes);
    }
    free(p->rights);
    memset(p, 0, sizeof *p);
}

static int read_rights(pl_db *db, pl_err *e, pl_pver *p)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_rights, &st);
    size_t cap = 0;

    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, p->pledge_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (p->n_rights == cap) {
            size_t ncap = cap ? cap * 2 : 4;
            pl_pright *v = realloc(p->rights, ncap * sizeof *v);
            if (!v)
                goto oom;
            p->rights = v;
            cap = ncap;
        }
        pl_pright *r = &p->rights[p->n_rights];
        memset(r, 0, sizeof *r);
        p->n_rights++;
        if (dup_col(st, 0, &r->key) || dup_col(st, 1, &r->identifier) ||
            dup_col(st, 2, &r->classes))
            goto oom;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading pledged rights");
oom:
    sqlite3_reset(st);
    return pl_err_oom(e);
}

static int load(pl_db *db, pl_err *e, const char *sql, const char *number, int64_t id,
                int64_t at_us, pl_pver *out)
{
    sqlite3_stmt *st;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = pl_db_stmt(db, e, sql, &st)))
        return rc;
    if (number)
        sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, id);
    if (at_us != INT64_MIN)
        sqlite3_bind_int64(st, 2, at_us);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        if (number)
            return pl_err_set(e, PLEDGER_ENOTFOUND,
                              at_us == INT64_MIN ? "no pledge is registered as '%s'"
                                                 : "pledge '%s' did not exist at that instant",
                              number);
        return pl_err_set(e, PLEDGER_ENOTFOUND, "no pledge with id %lld", (long long)id);
    }
    if (rc != SQLITE_ROW) {
        rc = pl_db_fail(db, e, rc, "reading a pledge");
        sqlite3_reset(st);
        return rc;
    }
    out->pledge_id = sqlite3_column_int64(st, 0);
    out->kind = sqlite3_column_int(st, 2);
    out->registered_at = sqlite3_column_int64(st, 3);
    out->version = sqlite3_column_int(st, 9);
    out->valid_from = sqlite3_column_int64(st, 10);
    out->valid_to = sqlite3_column_type(st, 11) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 11);
    out->state = sqlite3_column_int(st, 12);
    out->amount = sqlite3_column_int64(st, 24);
    out->period_start = sqlite3_column_int(st, 26);
    out->period_end = sqlite3_column_int(st, 27);
    out->objection_until = sqlite3_column_type(st, 29) == SQLITE_NULL
                               ? INT32_MIN : sqlite3_column_int(st, 29);
    out->litigation = sqlite3_column_int(st, 30);
    if ((rc = pl_sq_row_ok(e, PL_SQ_PLEDGE, (const char *)sqlite3_column_text(st, 1),
                           &out->kind, &out->state))) {
        sqlite3_reset(st);
        return rc;
    }
    if (dup_col(st, 1, &out->number) || dup_col(st, 4, &out->office) ||
        dup_col(st, 5, &out->modcode_salt) || dup_col(st, 6, &out->modcode_hash) ||
        dup_col(st, 7, &out->acceptance_number) || dup_col(st, 8, &out->application_uuid) ||
        dup_col(st, 13, &out->operation) || dup_col(st, 14, &out->pledgor_name) ||
        dup_col(st, 15, &out->pledgor_key) || dup_col(st, 16, &out->pledgor_id_type) ||
        dup_col(st, 17, &out->pledgor_id) || dup_col(st, 18, &out->pledgee_name) ||
        dup_col(st, 19, &out->pledgee_key) || dup_col(st, 20, &out->pledgee_id_type) ||
        dup_col(st, 21, &out->pledgee_id) || dup_col(st, 22, &out->debtor_name) ||
        dup_col(st, 23, &out->debtor_id) || dup_col(st, 25, &out->currency) ||
        dup_col(st, 28, &out->objection_by) || dup_col(st, 31, &out->note)) {
        sqlite3_reset(st);
        pl_pver_clear(out);
        return pl_err_oom(e);
    }
    sqlite3_reset(st);
    if ((rc = read_rights(db, e, out)))
        pl_pver_clear(out);
    return rc;
}

static int sq_pver_load(pl_db *db, pl_err *e, const char *number, int64_t at_us, pl_pver *out)
{
    return load(db, e, sql_by_number, number, 0, at_us, out);
}

static int sq_pver_load_id(pl_db *db, pl_err *e, int64_t pledge_id, int64_t at_us, pl_pver *out)
{
    return load(db, e, sql_by_id, NULL, pledge_id, at_us, out);
}

/* Version @version exactly, whatever its validity (a search names the
 * versions it found by number: two that took effect at one instant are
 * both there). */
static int sq_pver_load_version(pl_db *db, pl_err *e, int64_t pledge_id, int version,
                                pl_pver *out)
{
    int rc = load(db, e, sql_by_version, NULL, pledge_id, version, out);

    if (rc == PLEDGER_ENOTFOUND)
        return pl_err_set(e, PLEDGER_ENOTFOUND, "pledge %lld has no version %d",
                          (long long)pledge_id, version);
    return rc;
}

/* ---- a certificate and the event that issued it ---------------------------------- */

static const char sql_cert_issue[] =
    "SELECT c.version, c.document, v.journal_seq FROM pledge p"
    " JOIN certificate c ON c.pledge_id = p.id"
    " LEFT JOIN pledge_version v ON v.pledge_id = p.id AND v.valid_from = c.issued_at"
    " WHERE p.registration_number = ?1"
    " AND c.version = CASE WHEN ?2 = 0"
    "     THEN (SELECT max(version) FROM certificate WHERE pledge_id = p.id) ELSE ?2 END"
    " ORDER BY v.journal_seq";

static int sq_cert_issue_load(pl_db *db, pl_err *e, const char *number, int version,
                              char **document, int *version_out, int64_t *seqs, size_t cap,
                              size_t *n)
{
    sqlite3_stmt *st;
    int rc;

    *document = NULL;
    *version_out = 0;
    *n = 0;
    if ((rc = pl_db_stmt(db, e, sql_cert_issue, &st)))
        return rc;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, version);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!*document) {
            *version_out = sqlite3_column_int(st, 0);
            if (dup_col(st, 1, document)) {
                sqlite3_reset(st);
                return pl_err_oom(e);
            }
        }
        if (sqlite3_column_type(st, 2) != SQLITE_NULL && *n < cap)
            seqs[(*n)++] = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(*document);
        *document = NULL;
        return pl_db_fail(db, e, rc, "reading a certificate");
    }
    if (!*document)
        return version ? pl_err_set(e, PLEDGER_ENOTFOUND,
                                    "pledge '%s' has no certificate of version %d", number,
                                    version)
                       : pl_err_set(e, PLEDGER_ENOTFOUND, "no pledge is registered as '%s'",
                                    number);
    return 0;
}

static const char sql_version_event[] =
    "SELECT v.journal_seq FROM pledge p JOIN pledge_version v ON v.pledge_id = p.id"
    " WHERE p.registration_number = ?1"
    " AND " PL_SQL_VALID_AT("v.", "?2");

static int sq_pver_event(pl_db *db, pl_err *e, const char *number, int64_t at_us, int64_t *seq)
{
    sqlite3_stmt *st;
    int rc;

    *seq = 0;
    if ((rc = pl_db_stmt(db, e, sql_version_event, &st)))
        return rc;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, at_us);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *seq = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE)
        return pl_db_fail(db, e, rc, "reading a pledge version");
    return pl_err_set(e, PLEDGER_ENOTFOUND, "pledge '%s' had no version at that instant", number);
}

/* ---- a pledge's history and its stored certificates ------------------------------ */

static const char sql_history[] =
    "SELECT version, operation, valid_from FROM pledge_version"
    " WHERE pledge_id = ?1 AND version <= ?2 ORDER BY version";

static int sq_history(pl_db *db, pl_err *e, int64_t pledge_id, int up_to,
                      int (*each)(void *arg, pl_err *e, int version, const char *operation,
                                  int64_t at_us),
                      void *arg)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = pl_db_stmt(db, e, sql_history, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, pledge_id);
    sqlite3_bind_int(st, 2, up_to);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *op = (const char *)sqlite3_column_text(st, 1);
        int r = op ? each(arg, e, sqlite3_column_int(st, 0), op, sqlite3_column_int64(st, 2))
                   : pl_err_oom(e); /* NOT NULL: out of memory */
        if (r) {
            sqlite3_reset(st);
            return r < 0 ? r : 0;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading a pledge's history");
}

static const char sql_cert[] =
    "SELECT version, issued_at, superseded_at, verification_code, document FROM certificate"
    " WHERE pledge_id = (SELECT id FROM pledge WHERE registration_number = ?1)"
    " AND (?2 = 0 OR version = ?2) ORDER BY version DESC LIMIT 1";

void pl_cert_stored_clear(pl_cert_stored *c)
{
    free(c->code);
    free(c->document);
    memset(c, 0, sizeof *c);
}

static int sq_certificate(pl_db *db, pl_err *e, const char *number, int version,
                          bool with_document, pl_cert_stored *out, bool *found)
{
    sqlite3_stmt *st;
    int rc;

    memset(out, 0, sizeof *out);
    *found = false;
    if ((rc = pl_db_stmt(db, e, sql_cert, &st)))
        return rc;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, version);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *found = true;
        out->version = sqlite3_column_int(st, 0);
        out->issued_at = sqlite3_column_int64(st, 1);
        out->superseded_at = sqlite3_column_type(st, 2) == SQLITE_NULL
                                 ? INT64_MIN : sqlite3_column_int64(st, 2);
        if (dup_col(st, 3, &out->code) || (with_document && dup_col(st, 4, &out->document))) {
            sqlite3_reset(st);
            pl_cert_stored_clear(out);
            *found = false;
            return pl_err_oom(e);
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
                                                 : pl_db_fail(db, e, rc, "reading a certificate");
}

const pl_rows_ops pl_sqlite_rows_ops = {
    .pver_load = sq_pver_load,
    .pver_load_id = sq_pver_load_id,
    .cert_issue_load = sq_cert_issue_load,
    .pver_event = sq_pver_event,
    .pver_load_version = sq_pver_load_version,
    .history = sq_history,
    .certificate = sq_certificate,
};
