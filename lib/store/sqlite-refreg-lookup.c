/* The SQLite backend's lookups in the reference register
 * (store/ops-refreg.h): the rights, holdings and companies the review
 * reads, and the marks of the bundling rule. */
#include "store/sqlite-refreg.h"
#include "store/sqlite.h"

#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------------- */

/* A column as a malloc'd string (NULL for SQL NULL).  *oom set when the
 * copy fails. */
static char *col_str(sqlite3_stmt *st, int i, bool *oom)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    char *c;

    if (!s)
        return NULL;
    if (!(c = strdup((const char *)s)))
        *oom = true;
    return c;
}

static int32_t col_date(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? PL_REF_NO_DATE
                                                      : sqlite3_column_int(st, i);
}

static int fail(pl_db *db, pl_err *e, sqlite3_stmt *st, int rc)
{
    sqlite3_reset(st);
    return pl_db_fail(db, e, rc, "reading the reference register");
}

static int bind_str(sqlite3_stmt *st, int i, const char *s)
{
    return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static int bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    return s ? bind_str(st, i, s) : sqlite3_bind_null(st, i);
}

static const char sql_owners[] =
    "SELECT name, name_key, id_type, id_number, name_en FROM ref_owner WHERE right_id = ?1 "
    "ORDER BY pos";

static int load_owners(pl_db *db, pl_err *e, int64_t id, pl_ref_right *r)
{
    sqlite3_stmt *st;
    bool oom = false;
    size_t cap = 0;
    int rc = pl_db_stmt(db, e, sql_owners, &st);

    if (rc)
        return rc;
    if ((rc = sqlite3_bind_int64(st, 1, id)))
        return fail(db, e, st, rc);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (r->n_owners == cap) {
            size_t n = cap ? cap * 2 : 2;
            pl_ref_owner *o = realloc(r->owners, n * sizeof *o);
            if (!o) {
                sqlite3_reset(st);
                return pl_err_oom(e);
            }
            r->owners = o;
            cap = n;
        }
        pl_ref_owner *o = &r->owners[r->n_owners++];
        o->name = col_str(st, 0, &oom);
        o->name_key = col_str(st, 1, &oom);
        o->id_type = (pledger_id_type)sqlite3_column_int(st, 2);
        o->id = col_str(st, 3, &oom);
        o->name_en = col_str(st, 4, &oom);
    }
    if (rc != SQLITE_DONE)
        return fail(db, e, st, rc);
    sqlite3_reset(st);
    return oom ? pl_err_oom(e) : 0;
}

/* The columns every right query starts with. */
#define RIGHT_COLS \
    "r.id, r.number, r.status, r.valid_from, r.valid_to, r.seized, r.frozen, r.changed_at"
#define RIGHT_NCOLS 8

static int64_t read_right(sqlite3_stmt *st, pledger_kind kind, pl_ref_right *r, bool *oom)
{
    r->kind = kind;
    r->number = col_str(st, 1, oom);
    r->status = (pl_ref_status)pl_ref_status_from_name((const char *)sqlite3_column_text(st, 2));
    r->valid_from = col_date(st, 3);
    r->valid_to = col_date(st, 4);
    r->seized = sqlite3_column_int(st, 5) != 0;
    r->frozen = sqlite3_column_int(st, 6) != 0;
    r->changed_at = sqlite3_column_int64(st, 7);
    return sqlite3_column_int64(st, 0);
}

/* ---- trademarks ------------------------------------------------------------- */

static const char sql_tm[] =
    "SELECT " RIGHT_COLS ", t.mark, t.mark_key, t.family "
    "FROM ref_right r JOIN ref_trademark t ON t.right_id = r.id "
    "WHERE r.kind = 1 AND r.number = ?1";
static const char sql_classes[] =
    "SELECT nice FROM ref_trademark_class WHERE right_id = ?1 ORDER BY nice";
static const char sql_groups[] =
    "SELECT code FROM ref_trademark_group WHERE right_id = ?1 ORDER BY code";

static int load_trademark(pl_db *db, pl_err *e, const char *number, pl_ref_trademark *t,
                          bool *found)
{
    sqlite3_stmt *st;
    bool oom = false;
    int64_t id;
    size_t cap = 0;
    int rc;

    if ((rc = pl_db_stmt(db, e, sql_tm, &st)))
        return rc;
    if ((rc = bind_str(st, 1, number)))
        return fail(db, e, st, rc);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return 0;
    }
    if (rc != SQLITE_ROW)
        return fail(db, e, st, rc);
    *found = true;
    id = read_right(st, PLEDGER_KIND_TRADEMARK, &t->r, &oom);
    t->mark = col_str(st, RIGHT_NCOLS, &oom);
    t->mark_key = col_str(st, RIGHT_NCOLS + 1, &oom);
    t->family = col_str(st, RIGHT_NCOLS + 2, &oom);
    sqlite3_reset(st);
    if (oom)
        return pl_err_oom(e);
    if ((rc = load_owners(db, e, id, &t->r)) || (rc = pl_db_stmt(db, e, sql_classes, &st)))
        return rc;
    if ((rc = sqlite3_bind_int64(st, 1, id)))
        return fail(db, e, st, rc);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && t->n_classes < 45)
        t->classes[t->n_classes++] = sqlite3_column_int(st, 0);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return fail(db, e, st, rc);
    sqlite3_reset(st);
    if ((rc = pl_db_stmt(db, e, sql_groups, &st)))
        return rc;
    if ((rc = sqlite3_bind_int64(st, 1, id)))
        return fail(db, e, st, rc);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *g = (const char *)sqlite3_column_text(st, 0);
        if (t->n_groups == cap) {
            size_t n = cap ? cap * 2 : 8;
            char (*gs)[5] = realloc(t->groups, n * sizeof *gs);
            if (!gs) {
                sqlite3_reset(st);
                return pl_err_oom(e);
            }
            t->groups = gs;
            cap = n;
        }
        memcpy(t->groups[t->n_groups], g && strlen(g) == 4 ? g : "????", 4);
        t->groups[t->n_groups++][4] = '\0';
    }
    if (rc != SQLITE_DONE)
        return fail(db, e, st, rc);
    sqlite3_reset(st);
    return 0;
}

int pl_sqlite_ref_trademark_get(pl_db *db, pl_err *e, const char *number, pl_ref_trademark *out,
                                bool *found)
{
    int rc;

    memset(out, 0, sizeof *out);
    pl_ref_trademark_clear(out);
    *found = false;
    if ((rc = load_trademark(db, e, number, out, found)) || !*found)
        pl_ref_trademark_clear(out);
    return rc;
}

/* ---- patents ---------------------------------------------------------------- */

static const char sql_patent[] =
    "SELECT " RIGHT_COLS ", p.patent_type, p.filing_date, p.grant_date, p.fee_paid, "
    "p.invalidation_pending, p.suspended, p.twin "
    "FROM ref_right r JOIN ref_patent p ON p.right_id = r.id "
    "WHERE r.kind = 2 AND r.number = ?1";

int pl_sqlite_ref_patent_get(pl_db *db, pl_err *e, const char *number, pl_ref_patent *out,
                             bool *found)
{
    sqlite3_stmt *st;
    bool oom = false;
    int64_t id;
    int rc;

    memset(out, 0, sizeof *out);
    pl_ref_patent_clear(out);
    *found = false;
    if ((rc = pl_db_stmt(db, e, sql_patent, &st)))
        return rc;
    if ((rc = bind_str(st, 1, number)))
        return fail(db, e, st, rc);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return 0;
    }
    if (rc != SQLITE_ROW)
        return fail(db, e, st, rc);
    id = read_right(st, PLEDGER_KIND_PATENT, &out->r, &oom);
    out->patent_type = (pl_ref_patent_type)sqlite3_column_int(st, RIGHT_NCOLS);
    out->filing_date = col_date(st, RIGHT_NCOLS + 1);
    out->grant_date = col_date(st, RIGHT_NCOLS + 2);
    out->fee_paid = sqlite3_column_int(st, RIGHT_NCOLS + 3) != 0;
    out->invalidation_pending = sqlite3_column_int(st, RIGHT_NCOLS + 4) != 0;
    out->suspended = sqlite3_column_int(st, RIGHT_NCOLS + 5) != 0;
    out->twin = col_str(st, RIGHT_NCOLS + 6, &oom);
    sqlite3_reset(st);
    rc = oom ? pl_err_oom(e) : load_owners(db, e, id, &out->r);
    if (rc)
        pl_ref_patent_clear(out);
    else
        *found = true;
    return rc;
}

/* ---- permits and certificates ----------------------------------------------- */

static const char sql_cert[] =
    "SELECT " RIGHT_COLS " FROM ref_right r WHERE r.kind = ?1 AND r.number = ?2";
static const char sql_allowances[] =
    "SELECT pollutant, amount_micro, unit FROM ref_allowance WHERE right_id = ?1 "
    "ORDER BY pollutant";

static int load_allowances(pl_db *db, pl_err *e, int64_t id, pl_ref_certificate *out)
{
    sqlite3_stmt *st;
    bool oom = false;
    size_t cap = 0;
    int rc;

    if ((rc = pl_db_stmt(db, e, sql_allowances, &st)))
        return rc;
    if ((rc = sqlite3_bind_int64(st, 1, id)))
        return fail(db, e, st, rc);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n_allowances == cap) {
            size_t c = cap ? cap * 2 : 4;
            pl_ref_allowance *a = realloc(out->allowances, c * sizeof *a);
            if (!a) {
                sqlite3_reset(st);
                return pl_err_oom(e);
            }
            out->allowances = a;
            cap = c;
        }
        pl_ref_allowance *a = &out->allowances[out->n_allowances++];
        a->pollutant = col_str(st, 0, &oom);
        a->amount_micro = sqlite3_column_int64(st, 1);
        a->unit = col_str(st, 2, &oom);
    }
    if (rc != SQLITE_DONE)
        return fail(db, e, st, rc);
    sqlite3_reset(st);
    return oom ? pl_err_oom(e) : 0;
}

int pl_sqlite_ref_certificate_get(pl_db *db, pl_err *e, pledger_kind kind, const char *number,
                                  pl_ref_certificate *out, bool *found)
{
    sqlite3_stmt *st;
    bool oom = false;
    int64_t id;
    int rc;

    memset(out, 0, sizeof *out);
    pl_ref_certificate_clear(out);
    *found = false;
    if ((rc = pl_db_stmt(db, e, sql_cert, &st)))
        return rc;
    if ((rc = sqlite3_bind_int(st, 1, (int)kind)) || (rc = bind_str(st, 2, number)))
        return fail(db, e, st, rc);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return 0;
    }
    if (rc != SQLITE_ROW)
        return fail(db, e, st, rc);
    id = read_right(st, kind, &out->r, &oom);
    sqlite3_reset(st);
    if (oom)
        rc = pl_err_oom(e);
    else if (!(rc = load_owners(db, e, id, &out->r)))
        rc = load_allowances(db, e, id, out);   /* a permit's; a certificate's area */
    if (rc)
        pl_ref_certificate_clear(out);
    else
        *found = true;
    return rc;
}

/* ---- holdings and companies ------------------------------------------------- */

static const char sql_holding[] =
    "SELECT company, company_name, shareholder_type, shareholder, shareholder_name, "
    "shareholder_key, capital, currency, frozen, changed_at, shareholder_name_en "
    "FROM ref_holding "
    "WHERE company = ?1 AND shareholder = ?2 AND shareholder_type = ?3";

int pl_sqlite_ref_holding_get(pl_db *db, pl_err *e, const char *company, pledger_id_type type,
                              const char *shareholder, pl_ref_holding *out, bool *found)
{
    sqlite3_stmt *st;
    bool oom = false;
    int rc;

    memset(out, 0, sizeof *out);
    *found = false;
    if ((rc = pl_db_stmt(db, e, sql_holding, &st)))
        return rc;
    if ((rc = bind_str(st, 1, company)) || (rc = bind_str(st, 2, shareholder)) ||
        (rc = sqlite3_bind_int(st, 3, (int)type)))
        return fail(db, e, st, rc);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return 0;
    }
    if (rc != SQLITE_ROW)
        return fail(db, e, st, rc);
    out->company = col_str(st, 0, &oom);
    out->company_name = col_str(st, 1, &oom);
    out->shareholder.id_type = (pledger_id_type)sqlite3_column_int(st, 2);
    out->shareholder.id = col_str(st, 3, &oom);
    out->shareholder.name = col_str(st, 4, &oom);
    out->shareholder.name_key = col_str(st, 5, &oom);
    out->capital = sqlite3_column_int64(st, 6);
    const unsigned char *cur = sqlite3_column_text(st, 7);
    memcpy(out->currency, cur && strlen((const char *)cur) == 3 ? (const char *)cur : "???",
           3);
    out->currency[3] = '\0';
    out->frozen = sqlite3_column_int(st, 8) != 0;
    out->changed_at = sqlite3_column_int64(st, 9);
    out->shareholder.name_en = col_str(st, 10, &oom);
    sqlite3_reset(st);
    if (oom) {
        pl_ref_holding_clear(out);
        return pl_err_oom(e);
    }
    *found = true;
    return 0;
}

static const char sql_kind_loaded[] = "SELECT EXISTS (SELECT 1 FROM ref_right WHERE kind = ?1)";
static const char sql_holdings_loaded[] = "SELECT EXISTS (SELECT 1 FROM ref_holding)";
static const char sql_company[] =
    "SELECT company_name FROM ref_holding WHERE company = ?1"
    " ORDER BY company_name IS NULL, id LIMIT 1";

int pl_sqlite_ref_kind_loaded(pl_db *db, pl_err *e, pledger_kind kind, bool *out)
{
    bool equity = kind == PLEDGER_KIND_EQUITY;
    sqlite3_stmt *st;
    int rc;

    *out = false;
    if ((rc = pl_db_stmt(db, e, equity ? sql_holdings_loaded : sql_kind_loaded, &st)))
        return rc;
    if (!equity && (rc = sqlite3_bind_int(st, 1, (int)kind)))
        return fail(db, e, st, rc);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0) != 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : pl_db_fail(db, e, rc, "reading the reference register");
}

int pl_sqlite_ref_company_get(pl_db *db, pl_err *e, const char *company, bool *known,
                              char **name)
{
    sqlite3_stmt *st;
    int rc;

    *known = false;
    *name = NULL;
    if ((rc = pl_db_stmt(db, e, sql_company, &st)))
        return rc;
    if ((rc = bind_str(st, 1, company)))
        return fail(db, e, st, rc);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *n = sqlite3_column_text(st, 0);
        *known = true;
        if (n && !(*name = strdup((const char *)n))) {
            sqlite3_reset(st);
            *known = false;
            return pl_err_oom(e);
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? 0 : pl_db_fail(db, e, rc, "reading the reference register");
}

/* ---- the marks of the bundling rule ----------------------------------------- */

/* The definition, from the owner; ?3 is the mark's number. */
#define SELF_ID "(SELECT id FROM ref_right WHERE kind = 1 AND number = ?3)"
static const char sql_related[] =
    "SELECT r.number, r.status, t.family, t.mark "
    "FROM ref_owner o "
    "JOIN ref_right r ON r.id = o.right_id AND r.kind = 1 "
    "JOIN ref_trademark t ON t.right_id = r.id "
    "WHERE o.id_number = ?2 AND (?1 = 0 OR o.id_type = ?1) AND r.id <> " SELF_ID " "
    "  AND (t.family = ?4 OR t.mark_key = ?5) "
    "  AND EXISTS (SELECT 1 FROM ref_trademark_group g "
    "              WHERE g.right_id = r.id AND g.code IN "
    "                (SELECT code FROM ref_trademark_group WHERE right_id = " SELF_ID ")) "
    "GROUP BY r.id "
    "ORDER BY substr(r.number, 1, 1) = 'G', CAST(ltrim(r.number, 'G') AS INTEGER), r.number";

/* The review's walk: from the family and the mark text (a handful of
 * marks) rather than from the owner (whose portfolio may hold
 * thousands), and without temporary tables: the review runs it once per
 * pledged mark (CROSS JOIN: the candidates first, whatever the planner
 * guesses without statistics).  tests/test-review.c checks that both
 * give the same lists. */
#define RELATED_WHERE                                                                    \
    " r.kind = 1 AND r.number <> ?1"                                                     \
    " AND EXISTS (SELECT 1 FROM ref_owner o WHERE o.id_number = ?4 AND o.id_type = ?5"   \
    "             AND o.right_id = r.id)"                                                \
    " AND EXISTS (SELECT 1 FROM ref_trademark_group g JOIN ref_trademark_group s"        \
    "             ON s.right_id = (SELECT id FROM ref_right WHERE kind = 1 AND number = ?1)" \
    "             AND s.code = g.code WHERE g.right_id = r.id)"
static const char sql_related_family[] =
    "SELECT r.number, r.status FROM ref_trademark t CROSS JOIN ref_right r ON r.id = t.right_id"
    " WHERE t.family = ?2 AND" RELATED_WHERE;
static const char sql_related_mark[] =
    "SELECT r.number, r.status FROM ref_trademark t CROSS JOIN ref_right r ON r.id = t.right_id"
    " WHERE t.mark_key = ?3 AND t.family IS NOT ?2 AND" RELATED_WHERE;

/* Append the rows of @st (number, status[, family, mark]) to @out; *@oom
 * when a copy failed.  Returns the last step's code. */
static int marks_read(sqlite3_stmt *st, bool full, pl_ref_marks *out, bool *oom)
{
    size_t cap = out->n; /* at least: realloc from there on */
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *n = sqlite3_column_text(st, 0);
        if (out->n == cap) {
            size_t k = cap ? cap * 2 : 8;
            pl_ref_mark *m = realloc(out->items, k * sizeof *m);
            if (!m) {
                *oom = true;
                break;
            }
            out->items = m;
            cap = k;
        }
        pl_ref_mark *m = &out->items[out->n];
        memset(m, 0, sizeof *m);
        m->status = (pl_ref_status)pl_ref_status_from_name(
            (const char *)sqlite3_column_text(st, 1));
        if (!(m->number = strdup(n ? (const char *)n : ""))) {
            *oom = true;
            break;
        }
        out->n++;
        if (full) {
            m->family = col_str(st, 2, oom);
            m->mark = col_str(st, 3, oom);
            if (*oom)
                break;
        }
    }
    sqlite3_reset(st);
    return rc;
}

int pl_sqlite_ref_marks_related(pl_db *db, pl_err *e, const pl_ref_owner_key *owner,
                                const pl_ref_trademark *self, pl_ref_marks *out)
{
    sqlite3_stmt *st;
    bool oom = false;
    int rc;

    if ((rc = pl_db_stmt(db, e, sql_related, &st)))
        return rc;
    if ((rc = sqlite3_bind_int(st, 1, (int)owner->type)) || (rc = bind_str(st, 2, owner->id)) ||
        (rc = bind_str(st, 3, self->r.number)) || (rc = bind_opt(st, 4, self->family)) ||
        (rc = bind_opt(st, 5, self->mark_key)))
        return fail(db, e, st, rc);
    rc = marks_read(st, true, out, &oom);
    if (oom)
        return pl_err_oom(e);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading the reference register");
}

static int similar_add(pl_db *db, pl_err *e, const char *sql, const pl_ref_owner_key *owner,
                       const pl_ref_trademark *self, pl_ref_marks *out)
{
    sqlite3_stmt *st;
    bool oom = false;
    int rc;

    if ((rc = pl_db_stmt(db, e, sql, &st)))
        return rc;
    if ((rc = bind_str(st, 1, self->r.number)) || (rc = bind_opt(st, 2, self->family)) ||
        (rc = bind_opt(st, 3, self->mark_key)) || (rc = bind_str(st, 4, owner->id)) ||
        (rc = sqlite3_bind_int(st, 5, (int)owner->type))) {
        sqlite3_reset(st);
        return pl_db_fail(db, e, rc, "reading the marks related to a trademark");
    }
    rc = marks_read(st, false, out, &oom);
    if (oom)
        return pl_err_oom(e);
    return rc == SQLITE_DONE ? 0
                             : pl_db_fail(db, e, rc, "reading the marks related to a trademark");
}

int pl_sqlite_ref_marks_similar(pl_db *db, pl_err *e, const pl_ref_owner_key *owner,
                                const pl_ref_trademark *self, pl_ref_marks *out)
{
    int rc;

    if ((self->family && (rc = similar_add(db, e, sql_related_family, owner, self, out))) ||
        (self->mark_key && (rc = similar_add(db, e, sql_related_mark, owner, self, out))))
        return rc;
    return 0;
}
