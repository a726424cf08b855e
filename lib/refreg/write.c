/* Writing one record of the reference register (write.h): its
 * digest, and its rows in ref_right and the tables of its details, or in
 * ref_holding.
 *
 * Duplicates: the keys imported so far live in ref_import_seen, a table
 * emptied before the commit, so even a file of millions of records is
 * checked with bounded memory. */
#include "refreg/write.h"
#include "store/sqlite.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"

/* ------------------------------------------------------------------ */
/* The digest of a record's normalised content                         */

static void dg_raw(imp *im, const void *p, size_t n)
{
    if (im->dlen + n > im->dcap) {
        size_t cap = im->dcap ? im->dcap : 1024;
        while (cap < im->dlen + n)
            cap *= 2;
        unsigned char *b = realloc(im->dbuf, cap);
        if (!b) {
            im->doom = true;
            return;
        }
        im->dbuf = b;
        im->dcap = cap;
    }
    memcpy(im->dbuf + im->dlen, p, n);
    im->dlen += n;
}

static void dg_int(imp *im, int64_t v)
{
    unsigned char b[9];
    b[0] = 'I';
    for (int i = 0; i < 8; i++)
        b[1 + i] = (unsigned char)((uint64_t)v >> (8 * i));
    dg_raw(im, b, sizeof b);
}

static void dg_str(imp *im, const char *s)
{
    if (!s) {
        dg_raw(im, "N", 1);
        return;
    }
    size_t n = strlen(s);
    dg_int(im, (int64_t)n);
    dg_raw(im, s, n);
}

int pl_refreg_digest(imp *im, const record *r, unsigned char out[32])
{
    im->dlen = 0;
    dg_raw(im, "pledger-ref-1", 13);
    dg_int(im, r->kind);
    dg_str(im, r->number);
    dg_int(im, r->status);
    dg_int(im, r->valid_from);
    dg_int(im, r->valid_to);
    dg_int(im, r->seized);
    dg_int(im, r->frozen);
    dg_int(im, (int64_t)r->n_owners);
    for (size_t i = 0; i < r->n_owners; i++) {
        dg_str(im, r->owners[i].name);
        dg_str(im, r->owners[i].name_key);
        dg_int(im, r->owners[i].id_type);
        dg_str(im, r->owners[i].id);
    }
    switch (r->kind) {
    case PLEDGER_KIND_TRADEMARK:
        dg_str(im, r->mark);
        dg_str(im, r->mark_key);
        dg_str(im, r->has_family ? r->family : NULL);
        dg_int(im, (int64_t)r->classes);
        dg_int(im, (int64_t)r->n_groups);
        for (size_t i = 0; i < r->n_groups; i++)
            dg_raw(im, r->groups[i], 4);
        break;
    case PLEDGER_KIND_PATENT:
        dg_int(im, r->patent_type);
        dg_int(im, r->grant_date);
        dg_int(im, r->fee_paid);
        dg_int(im, r->invalidation_pending);
        dg_int(im, r->suspended);
        dg_str(im, r->has_twin ? r->twin : NULL);
        break;
    case PLEDGER_KIND_EMISSION:
        dg_int(im, (int64_t)r->n_allowances);
        for (size_t i = 0; i < r->n_allowances; i++) {
            dg_str(im, r->allowances[i].pollutant);
            dg_int(im, r->allowances[i].micro);
            dg_str(im, r->allowances[i].unit);
        }
        break;
    case PLEDGER_KIND_EQUITY:
        dg_str(im, r->company_name);
        dg_int(im, r->capital);
        dg_str(im, r->currency);
        break;
    default:
        break;
    }
    /* Registered English names, only when the record has one: the digest
     * of a record without them is what it was before they existed, so a
     * re-import of an older file leaves its records unchanged. */
    for (size_t i = 0; i < r->n_owners; i++) {
        if (!r->owners[i].name_en)
            continue;
        dg_raw(im, "name_en", 7);
        for (size_t j = 0; j < r->n_owners; j++) {
            dg_str(im, r->owners[j].name_en);
            dg_str(im, r->owners[j].name_en_key);
        }
        break;
    }
    if (im->doom)
        return pl_err_oom(im->e);
    int rc;
    if ((rc = pl_hash_restart(im->dsha)) || (rc = pl_hash_update(im->dsha, im->dbuf, im->dlen)) ||
        (rc = pl_hash_digest(im->dsha, out)))
        return pl_err_set(im->e, rc, "%s: SHA-256 failed", im->name);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

static const char sql_seen_add[] =
    "INSERT INTO ref_import_seen(kind, number, line) VALUES (?1, ?2, ?3) "
    "ON CONFLICT DO NOTHING";
static const char sql_seen_line[] =
    "SELECT line FROM ref_import_seen WHERE kind = ?1 AND number = ?2";
static const char sql_seen_clear[] = "DELETE FROM ref_import_seen";

static const char sql_right_get[] =
    "SELECT id, digest FROM ref_right WHERE kind = ?1 AND number = ?2";
static const char sql_right_insert[] =
    "INSERT INTO ref_right(kind, number, status, valid_from, valid_to, seized, frozen, "
    "digest, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char sql_right_update[] =
    "UPDATE ref_right SET status = ?3, valid_from = ?4, valid_to = ?5, seized = ?6, "
    "frozen = ?7, digest = ?8, changed_at = ?9 WHERE id = ?1 AND kind = ?2";
static const char sql_owner_clear[] = "DELETE FROM ref_owner WHERE right_id = ?1";
static const char sql_owner_add[] =
    "INSERT INTO ref_owner(right_id, pos, name, name_key, id_type, id_number, name_en, "
    "name_en_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char sql_tm_put[] =
    "INSERT INTO ref_trademark(right_id, mark, mark_key, family) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(right_id) DO UPDATE SET mark = excluded.mark, mark_key = excluded.mark_key, "
    "family = excluded.family";
static const char sql_class_clear[] = "DELETE FROM ref_trademark_class WHERE right_id = ?1";
static const char sql_class_add[] =
    "INSERT INTO ref_trademark_class(right_id, nice) VALUES (?1, ?2)";
static const char sql_group_clear[] = "DELETE FROM ref_trademark_group WHERE right_id = ?1";
static const char sql_group_add[] =
    "INSERT INTO ref_trademark_group(right_id, code) VALUES (?1, ?2)";
static const char sql_patent_put[] =
    "INSERT INTO ref_patent(right_id, patent_type, filing_date, grant_date, fee_paid, "
    "invalidation_pending, suspended, twin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT(right_id) DO UPDATE SET patent_type = excluded.patent_type, "
    "filing_date = excluded.filing_date, grant_date = excluded.grant_date, "
    "fee_paid = excluded.fee_paid, invalidation_pending = excluded.invalidation_pending, "
    "suspended = excluded.suspended, twin = excluded.twin";
static const char sql_allow_clear[] = "DELETE FROM ref_allowance WHERE right_id = ?1";
static const char sql_allow_add[] =
    "INSERT INTO ref_allowance(right_id, pollutant, amount_micro, unit) "
    "VALUES (?1, ?2, ?3, ?4)";
static const char sql_holding_get[] =
    "SELECT id, digest FROM ref_holding "
    "WHERE company = ?1 AND shareholder = ?2 AND shareholder_type = ?3";
static const char sql_holding_insert[] =
    "INSERT INTO ref_holding(company, company_name, shareholder_type, shareholder, "
    "shareholder_name, shareholder_key, capital, currency, frozen, digest, changed_at, "
    "shareholder_name_en, shareholder_en_key) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
static const char sql_holding_update[] =
    "UPDATE ref_holding SET company_name = ?2, shareholder_name = ?5, "
    "shareholder_key = ?6, capital = ?7, currency = ?8, frozen = ?9, digest = ?10, "
    "changed_at = ?11, shareholder_name_en = ?12, shareholder_en_key = ?13 "
    "WHERE company = ?1 AND shareholder_type = ?3 AND shareholder = ?4";

static int step_done(imp *im, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return pl_db_fail(im->db, im->e, rc, what);
    return 0;
}

int pl_refreg_seen_clear(imp *im)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = pl_db_stmt(im->db, im->e, sql_seen_clear, &st)))
        return rc;
    return step_done(im, st, "importing the register");
}

static void bind_date(sqlite3_stmt *st, int i, int32_t d)
{
    if (d == PL_REF_NO_DATE)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int(st, i, d);
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* Look the record's key up: *id 0 when new; *same when its digest is
 * @dg. */
static int find(imp *im, const char *sql, const record *r, const unsigned char dg[32],
                int64_t *id, bool *same)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(im->db, im->e, sql, &st);

    *id = 0;
    *same = false;
    if (rc || (r->kind == PLEDGER_KIND_EQUITY ? im->no_holdings : im->no_rights))
        return rc;
    if (r->kind == PLEDGER_KIND_EQUITY) {
        sqlite3_bind_text(st, 1, r->number, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, r->owners[0].id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, r->owners[0].id_type);
    } else {
        sqlite3_bind_int(st, 1, r->kind);
        sqlite3_bind_text(st, 2, r->number, -1, SQLITE_STATIC);
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *old = sqlite3_column_blob(st, 1);
        *id = sqlite3_column_int64(st, 0);
        *same = old && sqlite3_column_bytes(st, 1) == 32 && memcmp(old, dg, 32) == 0;
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(im->db, im->e, rc, "reading the register");
}

static const char sql_rights_none[] = "SELECT NOT EXISTS (SELECT 1 FROM ref_right)";
static const char sql_holdings_none[] = "SELECT NOT EXISTS (SELECT 1 FROM ref_holding)";

static int is_empty(imp *im, const char *sql, bool *out)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(im->db, im->e, sql, &st);

    if (rc)
        return rc;
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : pl_db_fail(im->db, im->e, rc, "reading the register");
}

int pl_refreg_note_empty(imp *im)
{
    int rc;

    if ((rc = is_empty(im, sql_rights_none, &im->no_rights)) ||
        (rc = is_empty(im, sql_holdings_none, &im->no_holdings)))
        return rc;
    return 0;
}

static int clear_children(imp *im, int64_t id, const char *sql)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(im->db, im->e, sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return step_done(im, st, "updating the register");
}

static int write_children(imp *im, const record *r, int64_t id, bool update)
{
    sqlite3_stmt *st;
    int rc;

    if (update && (rc = clear_children(im, id, sql_owner_clear)))
        return rc;
    for (size_t i = 0; i < r->n_owners; i++) {
        if ((rc = pl_db_stmt(im->db, im->e, sql_owner_add, &st)))
            return rc;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (int64_t)i + 1);
        sqlite3_bind_text(st, 3, r->owners[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, r->owners[i].name_key, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, r->owners[i].id_type);
        sqlite3_bind_text(st, 6, r->owners[i].id, -1, SQLITE_STATIC);
        bind_opt(st, 7, r->owners[i].name_en);
        bind_opt(st, 8, r->owners[i].name_en_key);
        if ((rc = step_done(im, st, "writing an owner")))
            return rc;
    }
    switch (r->kind) {
    case PLEDGER_KIND_TRADEMARK:
        if ((rc = pl_db_stmt(im->db, im->e, sql_tm_put, &st)))
            return rc;
        sqlite3_bind_int64(st, 1, id);
        bind_opt(st, 2, r->mark);
        bind_opt(st, 3, r->mark_key);
        bind_opt(st, 4, r->has_family ? r->family : NULL);
        if ((rc = step_done(im, st, "writing a trademark")))
            return rc;
        if (update && ((rc = clear_children(im, id, sql_class_clear)) ||
                       (rc = clear_children(im, id, sql_group_clear))))
            return rc;
        for (int c = 1; c <= 45; c++) {
            if (!(r->classes & ((uint64_t)1 << c)))
                continue;
            if ((rc = pl_db_stmt(im->db, im->e, sql_class_add, &st)))
                return rc;
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_int(st, 2, c);
            if ((rc = step_done(im, st, "writing a Nice class")))
                return rc;
        }
        for (size_t i = 0; i < r->n_groups; i++) {
            if ((rc = pl_db_stmt(im->db, im->e, sql_group_add, &st)))
                return rc;
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_text(st, 2, r->groups[i], 4, SQLITE_STATIC);
            if ((rc = step_done(im, st, "writing a group code")))
                return rc;
        }
        return 0;
    case PLEDGER_KIND_PATENT:
        if ((rc = pl_db_stmt(im->db, im->e, sql_patent_put, &st)))
            return rc;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, r->patent_type);
        sqlite3_bind_int(st, 3, r->valid_from);
        bind_date(st, 4, r->grant_date);
        sqlite3_bind_int(st, 5, r->fee_paid);
        sqlite3_bind_int(st, 6, r->invalidation_pending);
        sqlite3_bind_int(st, 7, r->suspended);
        bind_opt(st, 8, r->has_twin ? r->twin : NULL);
        return step_done(im, st, "writing a patent");
    case PLEDGER_KIND_EMISSION:
        if (update && (rc = clear_children(im, id, sql_allow_clear)))
            return rc;
        for (size_t i = 0; i < r->n_allowances; i++) {
            if ((rc = pl_db_stmt(im->db, im->e, sql_allow_add, &st)))
                return rc;
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_text(st, 2, r->allowances[i].pollutant, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, r->allowances[i].micro);
            sqlite3_bind_text(st, 4, r->allowances[i].unit, -1, SQLITE_STATIC);
            if ((rc = step_done(im, st, "writing an allowance")))
                return rc;
        }
        return 0;
    default:
        return 0;
    }
}

int pl_refreg_write_right(imp *im, const record *r, const unsigned char dg[32])
{
    sqlite3_stmt *st;
    int64_t id;
    bool same;
    int rc;

    if ((rc = find(im, sql_right_get, r, dg, &id, &same)))
        return rc;
    if (id && same) {
        im->rep->unchanged++;
        return 0;
    }
    if ((rc = pl_db_stmt(im->db, im->e, id ? sql_right_update : sql_right_insert, &st)))
        return rc;
    if (id)
        sqlite3_bind_int64(st, 1, id);
    else
        sqlite3_bind_int(st, 1, r->kind);
    if (!id)
        sqlite3_bind_text(st, 2, r->number, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int(st, 2, r->kind);
    sqlite3_bind_text(st, 3, pl_ref_status_name(r->status), -1, SQLITE_STATIC);
    bind_date(st, 4, r->valid_from);
    bind_date(st, 5, r->valid_to);
    sqlite3_bind_int(st, 6, r->seized);
    sqlite3_bind_int(st, 7, r->frozen);
    sqlite3_bind_blob(st, 8, dg, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, pl_db_now(im->db));
    if ((rc = step_done(im, st, id ? "updating the register" : "writing the register")))
        return rc;
    if (id) {
        im->rep->updated++;
        return write_children(im, r, id, true);
    }
    im->rep->inserted++;
    return write_children(im, r, sqlite3_last_insert_rowid(pl_db_handle(im->db)), false);
}

int pl_refreg_write_holding(imp *im, const record *r, const unsigned char dg[32])
{
    sqlite3_stmt *st;
    int64_t id;
    bool same;
    int rc;

    if ((rc = find(im, sql_holding_get, r, dg, &id, &same)))
        return rc;
    if (id && same) {
        im->rep->unchanged++;
        return 0;
    }
    if ((rc = pl_db_stmt(im->db, im->e, id ? sql_holding_update : sql_holding_insert, &st)))
        return rc;
    sqlite3_bind_text(st, 1, r->number, -1, SQLITE_STATIC);
    bind_opt(st, 2, r->company_name);
    sqlite3_bind_int(st, 3, r->owners[0].id_type);
    sqlite3_bind_text(st, 4, r->owners[0].id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->owners[0].name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->owners[0].name_key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, r->capital);
    sqlite3_bind_text(st, 8, r->currency, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, r->frozen);
    sqlite3_bind_blob(st, 10, dg, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, pl_db_now(im->db));
    bind_opt(st, 12, r->owners[0].name_en);
    bind_opt(st, 13, r->owners[0].name_en_key);
    if ((rc = step_done(im, st, id ? "updating a holding" : "writing a holding")))
        return rc;
    if (id)
        im->rep->updated++;
    else
        im->rep->inserted++;
    return 0;
}

/* Refuse a key given twice in one file.  Returns 1 when rejected. */
int pl_refreg_first_time(imp *im, where *w, const record *r)
{
    char key[3 * ID_MAX];
    const char *k = r->number;
    sqlite3_stmt *st;
    int rc;

    if (r->kind == PLEDGER_KIND_EQUITY) {
        snprintf(key, sizeof key, "%s/%d/%s", r->number, r->owners[0].id_type,
                 r->owners[0].id);
        k = key;
    }
    if ((rc = pl_db_stmt(im->db, im->e, sql_seen_add, &st)))
        return rc;
    sqlite3_bind_int(st, 1, r->kind);
    sqlite3_bind_text(st, 2, k, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (int64_t)w->line);
    if ((rc = step_done(im, st, "importing the register")))
        return rc;
    if (sqlite3_changes(pl_db_handle(im->db)) > 0)
        return 0;
    if ((rc = pl_db_stmt(im->db, im->e, sql_seen_line, &st)))
        return rc;
    sqlite3_bind_int(st, 1, r->kind);
    sqlite3_bind_text(st, 2, k, -1, SQLITE_STATIC);
    int64_t first = 0;
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        first = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return pl_refreg_bad(w, "already given at line %" PRId64 " of this file", first);
}
