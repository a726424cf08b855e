/* Lookups in the reference register for the review engine (refreg.h). */
#include "refreg/refreg.h"
#include "store/sqlite.h"

#include <stdlib.h>
#include <string.h>

#include "base/ident.h"
#include "base/text.h"

#define ID_MAX 256 /* 60 code points of a certificate number, in UTF-8 */

/* ------------------------------------------------------------------ */
/* Freeing                                                             */

static void owner_clear(pl_ref_owner *o)
{
    free(o->name);
    free(o->name_key);
    free(o->name_en);
    free(o->id);
    memset(o, 0, sizeof *o);
}

static void right_clear(pl_ref_right *r)
{
    for (size_t i = 0; i < r->n_owners; i++)
        owner_clear(&r->owners[i]);
    free(r->owners);
    free(r->number);
    memset(r, 0, sizeof *r);
    r->valid_from = r->valid_to = PL_REF_NO_DATE;
}

void pl_ref_trademark_clear(pl_ref_trademark *t)
{
    if (!t)
        return;
    right_clear(&t->r);
    free(t->mark);
    free(t->mark_key);
    free(t->family);
    free(t->groups);
    memset(t, 0, sizeof *t);
    t->r.valid_from = t->r.valid_to = PL_REF_NO_DATE;
}

void pl_ref_patent_clear(pl_ref_patent *p)
{
    if (!p)
        return;
    right_clear(&p->r);
    free(p->twin);
    memset(p, 0, sizeof *p);
    p->r.valid_from = p->r.valid_to = PL_REF_NO_DATE;
    p->filing_date = p->grant_date = PL_REF_NO_DATE;
}

void pl_ref_certificate_clear(pl_ref_certificate *c)
{
    if (!c)
        return;
    right_clear(&c->r);
    for (size_t i = 0; i < c->n_allowances; i++) {
        free(c->allowances[i].pollutant);
        free(c->allowances[i].unit);
    }
    free(c->allowances);
    memset(c, 0, sizeof *c);
    c->r.valid_from = c->r.valid_to = PL_REF_NO_DATE;
}

void pl_ref_holding_clear(pl_ref_holding *h)
{
    if (!h)
        return;
    free(h->company);
    free(h->company_name);
    owner_clear(&h->shareholder);
    memset(h, 0, sizeof *h);
}

void pl_ref_marks_clear(pl_ref_marks *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->items[i].number);
        free(m->items[i].family);
        free(m->items[i].mark);
    }
    free(m->items);
    memset(m, 0, sizeof *m);
}

bool pl_ref_right_has_owner(const pl_ref_right *r, pledger_id_type id_type, const char *id)
{
    for (size_t i = 0; r && id && i < r->n_owners; i++)
        if ((!id_type || r->owners[i].id_type == id_type) && strcmp(r->owners[i].id, id) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

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

/* Normalise what the caller typed.  Identifiers on the register were
 * checked against the import's date, so no date limits the lookup: the
 * lookup's "today" is 9999-12-31. */
#define FAR_FUTURE 2932896
static int norm(pl_err *e, pledger_id_type type, const char *what, const char *in, char *out)
{
    if (!in)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: no number given", what);
    if (pl_ident_normalize(e, type, in, FAR_FUTURE, out, ID_MAX) != 0)
        return pl_err_prefix(e, "%s", what);
    return 0;
}

static int fail(pl_db *db, pl_err *e, sqlite3_stmt *st, int rc)
{
    sqlite3_reset(st);
    return pl_db_fail(db, e, rc, "reading the reference register");
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
    sqlite3_bind_int64(st, 1, id);
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

/* ------------------------------------------------------------------ */
/* Trademarks                                                          */

static const char sql_tm[] =
    "SELECT " RIGHT_COLS ", t.mark, t.mark_key, t.family "
    "FROM ref_right r JOIN ref_trademark t ON t.right_id = r.id "
    "WHERE r.kind = 1 AND r.number = ?1";
static const char sql_classes[] =
    "SELECT nice FROM ref_trademark_class WHERE right_id = ?1 ORDER BY nice";
static const char sql_groups[] =
    "SELECT code FROM ref_trademark_group WHERE right_id = ?1 ORDER BY code";

static int load_trademark(pl_db *db, pl_err *e, const char *number, pl_ref_trademark *t,
                          int64_t *id_out)
{
    sqlite3_stmt *st;
    bool oom = false;
    int64_t id;
    size_t cap = 0;
    int rc;

    if ((rc = pl_db_stmt(db, e, sql_tm, &st)))
        return rc;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return pl_err_set(e, PLEDGER_ENOTFOUND,
                          "trademark %s is not on the reference register", number);
    }
    if (rc != SQLITE_ROW)
        return fail(db, e, st, rc);
    id = read_right(st, PLEDGER_KIND_TRADEMARK, &t->r, &oom);
    t->mark = col_str(st, RIGHT_NCOLS, &oom);
    t->mark_key = col_str(st, RIGHT_NCOLS + 1, &oom);
    t->family = col_str(st, RIGHT_NCOLS + 2, &oom);
    sqlite3_reset(st);
    if (oom)
        return pl_err_oom(e);
    if ((rc = load_owners(db, e, id, &t->r)) || (rc = pl_db_stmt(db, e, sql_classes, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && t->n_classes < 45)
        t->classes[t->n_classes++] = sqlite3_column_int(st, 0);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return fail(db, e, st, rc);
    sqlite3_reset(st);
    if ((rc = pl_db_stmt(db, e, sql_groups, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
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
    if (id_out)
        *id_out = id;
    return 0;
}

int pl_refreg_trademark(pl_db *db, pl_err *e, const char *number, pl_ref_trademark *out)
{
    char n[ID_MAX];
    int rc;

    memset(out, 0, sizeof *out);
    pl_ref_trademark_clear(out);
    if ((rc = norm(e, PLEDGER_ID_TRADEMARK, "trademark number", number, n)) ||
        (rc = load_trademark(db, e, n, out, NULL)))
        pl_ref_trademark_clear(out);
    return rc;
}

static const char sql_related[] =
    "SELECT r.number, r.status, t.family, t.mark "
    "FROM ref_owner o "
    "JOIN ref_right r ON r.id = o.right_id AND r.kind = 1 "
    "JOIN ref_trademark t ON t.right_id = r.id "
    "WHERE o.id_number = ?2 AND (?1 = 0 OR o.id_type = ?1) AND r.id <> ?3 "
    "  AND (t.family = ?4 OR t.mark_key = ?5) "
    "  AND EXISTS (SELECT 1 FROM ref_trademark_group g "
    "              WHERE g.right_id = r.id AND g.code IN "
    "                (SELECT code FROM ref_trademark_group WHERE right_id = ?3)) "
    "GROUP BY r.id "
    "ORDER BY substr(r.number, 1, 1) = 'G', CAST(ltrim(r.number, 'G') AS INTEGER), r.number";

int pl_refreg_related_marks(pl_db *db, pl_err *e, pledger_id_type owner_type,
                            const char *owner_id, const char *number, pl_ref_marks *out)
{
    pl_ref_trademark self;
    char oid[ID_MAX], n[ID_MAX];
    sqlite3_stmt *st;
    bool oom = false;
    int64_t self_id = 0;
    size_t cap = 0;
    int rc;

    memset(out, 0, sizeof *out);
    memset(&self, 0, sizeof self);
    if (owner_type) {
        if ((rc = norm(e, owner_type, "owner identifier", owner_id, oid)))
            return rc;
    } else {
        /* any type: only what every identifier's normalisation does */
        char *k = owner_id ? pl_text_normalize_id(owner_id) : NULL;
        if (!k || !*k || strlen(k) >= sizeof oid) {
            free(k);
            return pl_err_set(e, PLEDGER_EINVAL, "owner identifier: %s",
                              !owner_id ? "none given" : "empty, too long or not UTF-8");
        }
        strcpy(oid, k);
        free(k);
    }
    if ((rc = norm(e, PLEDGER_ID_TRADEMARK, "trademark number", number, n)) ||
        (rc = load_trademark(db, e, n, &self, &self_id)))
        goto done;
    if ((rc = pl_db_stmt(db, e, sql_related, &st)))
        goto done;
    sqlite3_bind_int(st, 1, (int)owner_type);
    sqlite3_bind_text(st, 2, oid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, self_id);
    if (self.family)
        sqlite3_bind_text(st, 4, self.family, -1, SQLITE_STATIC);
    if (self.mark_key)
        sqlite3_bind_text(st, 5, self.mark_key, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            size_t c = cap ? cap * 2 : 8;
            pl_ref_mark *m = realloc(out->items, c * sizeof *m);
            if (!m) {
                sqlite3_reset(st);
                rc = pl_err_oom(e);
                goto done;
            }
            out->items = m;
            cap = c;
        }
        pl_ref_mark *m = &out->items[out->n++];
        m->number = col_str(st, 0, &oom);
        m->status = (pl_ref_status)pl_ref_status_from_name(
            (const char *)sqlite3_column_text(st, 1));
        m->family = col_str(st, 2, &oom);
        m->mark = col_str(st, 3, &oom);
    }
    if (rc != SQLITE_DONE) {
        rc = fail(db, e, st, rc);
        goto done;
    }
    sqlite3_reset(st);
    rc = oom ? pl_err_oom(e) : 0;
done:
    pl_ref_trademark_clear(&self);
    if (rc)
        pl_ref_marks_clear(out);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Patents                                                             */

static const char sql_patent[] =
    "SELECT " RIGHT_COLS ", p.patent_type, p.filing_date, p.grant_date, p.fee_paid, "
    "p.invalidation_pending, p.suspended, p.twin "
    "FROM ref_right r JOIN ref_patent p ON p.right_id = r.id "
    "WHERE r.kind = 2 AND r.number = ?1";

int pl_refreg_patent(pl_db *db, pl_err *e, const char *number, pl_ref_patent *out)
{
    char n[ID_MAX];
    sqlite3_stmt *st;
    bool oom = false;
    int64_t id;
    int rc;

    memset(out, 0, sizeof *out);
    pl_ref_patent_clear(out);
    if ((rc = norm(e, PLEDGER_ID_PATENT, "patent number", number, n)) ||
        (rc = pl_db_stmt(db, e, sql_patent, &st)))
        return rc;
    sqlite3_bind_text(st, 1, n, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return pl_err_set(e, PLEDGER_ENOTFOUND, "patent %s is not on the reference register",
                          n);
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
    return rc;
}

/* ------------------------------------------------------------------ */
/* Permits and certificates                                            */

static const char sql_cert[] =
    "SELECT " RIGHT_COLS " FROM ref_right r WHERE r.kind = ?1 AND r.number = ?2";
static const char sql_allowances[] =
    "SELECT pollutant, amount_micro, unit FROM ref_allowance WHERE right_id = ?1 "
    "ORDER BY pollutant";

int pl_refreg_certificate(pl_db *db, pl_err *e, pledger_kind kind, const char *number,
                          pl_ref_certificate *out)
{
    const char *what = kind == PLEDGER_KIND_EMISSION   ? "discharge permit"
                       : kind == PLEDGER_KIND_SEA_AREA ? "sea-area certificate"
                       : kind == PLEDGER_KIND_LAND     ? "land certificate"
                                                       : NULL;
    char n[ID_MAX];
    sqlite3_stmt *st;
    bool oom = false;
    size_t cap = 0;
    int64_t id;
    int rc;

    memset(out, 0, sizeof *out);
    pl_ref_certificate_clear(out);
    if (!what)
        return pl_err_set(e, PLEDGER_EINVAL, "kind %d has no permit or certificate on the "
                          "reference register", (int)kind);
    if ((rc = norm(e, kind == PLEDGER_KIND_EMISSION ? PLEDGER_ID_PERMIT : PLEDGER_ID_CERTIFICATE,
                   what, number, n)) ||
        (rc = pl_db_stmt(db, e, sql_cert, &st)))
        return rc;
    sqlite3_bind_int(st, 1, (int)kind);
    sqlite3_bind_text(st, 2, n, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return pl_err_set(e, PLEDGER_ENOTFOUND, "%s %s is not on the reference register",
                          what, n);
    }
    if (rc != SQLITE_ROW)
        return fail(db, e, st, rc);
    id = read_right(st, kind, &out->r, &oom);
    sqlite3_reset(st);
    if (oom || (rc = load_owners(db, e, id, &out->r)))
        goto done;
    if (kind == PLEDGER_KIND_EMISSION) {
        if ((rc = pl_db_stmt(db, e, sql_allowances, &st)))
            goto done;
        sqlite3_bind_int64(st, 1, id);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (out->n_allowances == cap) {
                size_t c = cap ? cap * 2 : 4;
                pl_ref_allowance *a = realloc(out->allowances, c * sizeof *a);
                if (!a) {
                    sqlite3_reset(st);
                    oom = true;
                    goto done;
                }
                out->allowances = a;
                cap = c;
            }
            pl_ref_allowance *a = &out->allowances[out->n_allowances++];
            a->pollutant = col_str(st, 0, &oom);
            a->amount_micro = sqlite3_column_int64(st, 1);
            a->unit = col_str(st, 2, &oom);
        }
        if (rc != SQLITE_DONE) {
            rc = fail(db, e, st, rc);
            goto done;
        }
        sqlite3_reset(st);
    }
    rc = 0;
done:
    if (oom && !rc)
        rc = pl_err_oom(e);
    if (rc)
        pl_ref_certificate_clear(out);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Holdings                                                            */

static const char sql_holding[] =
    "SELECT company, company_name, shareholder_type, shareholder, shareholder_name, "
    "shareholder_key, capital, currency, frozen, changed_at, shareholder_name_en "
    "FROM ref_holding "
    "WHERE company = ?1 AND shareholder = ?2 AND shareholder_type = ?3";

int pl_refreg_holding(pl_db *db, pl_err *e, const char *company, pledger_id_type type,
                      const char *shareholder, pl_ref_holding *out)
{
    char c[ID_MAX], s[ID_MAX];
    sqlite3_stmt *st;
    bool oom = false;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = norm(e, PLEDGER_ID_USCC, "company", company, c)))
        return rc;
    if (type < PLEDGER_ID_USCC || type > PLEDGER_ID_FOREIGN_REG)
        return pl_err_set(e, PLEDGER_EINVAL, "shareholder: identifier type %d is not a "
                          "party's", (int)type);
    if ((rc = norm(e, type, "shareholder", shareholder, s)) ||
        (rc = pl_db_stmt(db, e, sql_holding, &st)))
        return rc;
    sqlite3_bind_text(st, 1, c, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, s, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, (int)type);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return pl_err_set(e, PLEDGER_ENOTFOUND, "%s is not a shareholder of company %s on "
                          "the reference register", s, c);
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
    return 0;
}
