/* The SQLite backend's import operations of the reference register
 * (store/ops-refreg.h): the connection's settings during an import, the
 * keys an import has given, and a record's rows in ref_right and the
 * tables of its details, or in ref_holding.
 *
 * Settings.  Temporary b-trees in memory: SQLite builds one for every
 * "x IN (...)" CHECK of each row written (ref_right.kind and .status,
 * ref_patent's patent_type), and as files they cost a pager, allocations
 * the size of pages and the kernel's work to map and unmap them, row
 * after row; the statement journals of the import are small.  A larger
 * page cache: fewer dirty pages spilled into the WAL in the middle of the
 * transaction, the peak memory of an import staying well below 64 MiB.
 * Both are put back afterwards: other uses of the connection see no
 * change.  (temp_store cannot change inside a transaction.)
 *
 * Duplicates: the keys imported so far live in ref_import_seen, a table
 * emptied before the commit, so even a file of millions of records is
 * checked with bounded memory. */
#include "store/ops-refreg.h"
#include "store/sqlite-refreg.h"
#include "store/sqlite.h"

#include <stdio.h>
#include <string.h>

/* The page cache during an import, in KiB. */
#define BULK_CACHE_KIB 32768

/* ---- settings --------------------------------------------------------------- */

enum { SAVED_TEMP_STORE, SAVED_CACHE_SIZE };

static int pragma_int(pl_db *db, pl_err *e, const char *sql, int *out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(pl_db_handle(db), sql, -1, &st, NULL);

    if (rc != SQLITE_OK)
        return pl_db_fail(db, e, rc, "reading the connection's settings");
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : pl_db_fail(db, e, rc, "reading the connection's settings");
}

static int import_tune(pl_db *db, pl_err *e, pl_ref_tuning *t)
{
    int *temp_store = &t->saved[SAVED_TEMP_STORE], *cache_size = &t->saved[SAVED_CACHE_SIZE];
    char sql[64];
    int rc;

    t->changed = false;
    if ((rc = pragma_int(db, e, "PRAGMA temp_store", temp_store)) ||
        (rc = pragma_int(db, e, "PRAGMA cache_size", cache_size)))
        return rc;
    t->changed = true;
    /* a negative size is in KiB, a positive one in pages: keep a larger one */
    if (*cache_size > -BULK_CACHE_KIB) {
        snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", BULK_CACHE_KIB);
        if ((rc = pl_db_exec(db, e, sql)))
            return rc;
    }
    return *temp_store == 2 ? 0 : pl_db_exec(db, e, "PRAGMA temp_store = MEMORY");
}

static void import_untune(pl_db *db, pl_ref_tuning *t)
{
    char sql[64];
    pl_err ignore = { 0 };

    if (!t->changed)
        return;
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", t->saved[SAVED_CACHE_SIZE]);
    pl_db_exec(db, &ignore, sql);
    if (t->saved[SAVED_TEMP_STORE] != 2) {
        snprintf(sql, sizeof sql, "PRAGMA temp_store = %d", t->saved[SAVED_TEMP_STORE]);
        pl_db_exec(db, &ignore, sql);
    }
    t->changed = false;
}

/* ---- statements ------------------------------------------------------------- */

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
static const char sql_rights_none[] = "SELECT NOT EXISTS (SELECT 1 FROM ref_right)";
static const char sql_holdings_none[] = "SELECT NOT EXISTS (SELECT 1 FROM ref_holding)";

/* ---- helpers ---------------------------------------------------------------- */

/* Step @st, which returns no row, and reset it; @brc: the bindings' first
 * failure (SQLITE_OK: none).  The failure, either, is about @what. */
static int step_done(pl_db *db, pl_err *e, sqlite3_stmt *st, int brc, const char *what)
{
    int rc = brc == SQLITE_OK ? sqlite3_step(st) : brc;
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return pl_db_fail(db, e, rc, what);
    return 0;
}

static int bind_date(sqlite3_stmt *st, int i, int32_t d)
{
    return d == PL_REF_NO_DATE ? sqlite3_bind_null(st, i) : sqlite3_bind_int(st, i, d);
}

static int bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

static int bind_str(sqlite3_stmt *st, int i, const char *s)
{
    return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* ---- the keys of one import ------------------------------------------------- */

static int import_keys_clear(pl_db *db, pl_err *e)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = pl_db_stmt(db, e, sql_seen_clear, &st)))
        return rc;
    return step_done(db, e, st, SQLITE_OK, "importing the register");
}

static int import_key_add(pl_db *db, pl_err *e, int kind, const char *key, uint64_t line,
                          bool *repeated, uint64_t *first)
{
    sqlite3_stmt *st;
    int rc, brc;

    *repeated = false;
    *first = 0;
    if ((rc = pl_db_stmt(db, e, sql_seen_add, &st)))
        return rc;
    if (!(brc = sqlite3_bind_int(st, 1, kind)) && !(brc = bind_str(st, 2, key)))
        brc = sqlite3_bind_int64(st, 3, (int64_t)line);
    if ((rc = step_done(db, e, st, brc, "importing the register")))
        return rc;
    if (sqlite3_changes(pl_db_handle(db)) > 0)
        return 0;
    *repeated = true;
    if ((rc = pl_db_stmt(db, e, sql_seen_line, &st)))
        return rc;
    if ((brc = sqlite3_bind_int(st, 1, kind)) || (brc = bind_str(st, 2, key)))
        return pl_db_fail(db, e, brc, "importing the register");
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *first = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return 0;
}

static int is_empty(pl_db *db, pl_err *e, const char *sql, bool *out)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql, &st);

    if (rc)
        return rc;
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : pl_db_fail(db, e, rc, "reading the register");
}

static int register_empty(pl_db *db, pl_err *e, bool *no_rights, bool *no_holdings)
{
    int rc;

    if ((rc = is_empty(db, e, sql_rights_none, no_rights)) ||
        (rc = is_empty(db, e, sql_holdings_none, no_holdings)))
        return rc;
    return 0;
}

/* ---- writing a record ------------------------------------------------------- */

/* Look the record's key up: *id 0 when new; *same when its digest is
 * @dg. */
static int find(pl_db *db, pl_err *e, const char *sql, const pl_ref_record *r,
                const unsigned char dg[32], int64_t *id, bool *same)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql, &st), brc;

    *id = 0;
    *same = false;
    if (rc)
        return rc;
    if (r->kind == PLEDGER_KIND_EQUITY) {
        if (!(brc = bind_str(st, 1, r->number)) && !(brc = bind_str(st, 2, r->owners[0].id)))
            brc = sqlite3_bind_int(st, 3, r->owners[0].id_type);
    } else if (!(brc = sqlite3_bind_int(st, 1, r->kind))) {
        brc = bind_str(st, 2, r->number);
    }
    if (brc)
        return pl_db_fail(db, e, brc, "reading the register");
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *old = sqlite3_column_blob(st, 1);
        *id = sqlite3_column_int64(st, 0);
        *same = old && sqlite3_column_bytes(st, 1) == 32 && memcmp(old, dg, 32) == 0;
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading the register");
}

static int clear_children(pl_db *db, pl_err *e, int64_t id, const char *sql)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql, &st);
    if (rc)
        return rc;
    return step_done(db, e, st, sqlite3_bind_int64(st, 1, id), "updating the register");
}

static int write_owners(pl_db *db, pl_err *e, const pl_ref_record *r, int64_t id, bool update)
{
    sqlite3_stmt *st;
    int rc, brc;

    if (update && (rc = clear_children(db, e, id, sql_owner_clear)))
        return rc;
    for (size_t i = 0; i < r->n_owners; i++) {
        const pl_ref_record_owner *o = &r->owners[i];
        if ((rc = pl_db_stmt(db, e, sql_owner_add, &st)))
            return rc;
        (void)((brc = sqlite3_bind_int64(st, 1, id)) ||
               (brc = sqlite3_bind_int64(st, 2, (int64_t)i + 1)) ||
               (brc = bind_str(st, 3, o->name)) || (brc = bind_str(st, 4, o->name_key)) ||
               (brc = sqlite3_bind_int(st, 5, o->id_type)) || (brc = bind_str(st, 6, o->id)) ||
               (brc = bind_opt(st, 7, o->name_en)) || (brc = bind_opt(st, 8, o->name_en_key)));
        if ((rc = step_done(db, e, st, brc, "writing an owner")))
            return rc;
    }
    return 0;
}

static int write_trademark(pl_db *db, pl_err *e, const pl_ref_record *r, int64_t id,
                           bool update)
{
    sqlite3_stmt *st;
    int rc, brc;

    if ((rc = pl_db_stmt(db, e, sql_tm_put, &st)))
        return rc;
    (void)((brc = sqlite3_bind_int64(st, 1, id)) || (brc = bind_opt(st, 2, r->mark)) ||
           (brc = bind_opt(st, 3, r->mark_key)) ||
           (brc = bind_opt(st, 4, r->has_family ? r->family : NULL)));
    if ((rc = step_done(db, e, st, brc, "writing a trademark")))
        return rc;
    if (update && ((rc = clear_children(db, e, id, sql_class_clear)) ||
                   (rc = clear_children(db, e, id, sql_group_clear))))
        return rc;
    for (int c = 1; c <= 45; c++) {
        if (!(r->classes & ((uint64_t)1 << c)))
            continue;
        if ((rc = pl_db_stmt(db, e, sql_class_add, &st)))
            return rc;
        if (!(brc = sqlite3_bind_int64(st, 1, id)))
            brc = sqlite3_bind_int(st, 2, c);
        if ((rc = step_done(db, e, st, brc, "writing a Nice class")))
            return rc;
    }
    for (size_t i = 0; i < r->n_groups; i++) {
        if ((rc = pl_db_stmt(db, e, sql_group_add, &st)))
            return rc;
        if (!(brc = sqlite3_bind_int64(st, 1, id)))
            brc = sqlite3_bind_text(st, 2, r->groups[i], 4, SQLITE_STATIC);
        if ((rc = step_done(db, e, st, brc, "writing a group code")))
            return rc;
    }
    return 0;
}

static int write_patent(pl_db *db, pl_err *e, const pl_ref_record *r, int64_t id)
{
    sqlite3_stmt *st;
    int rc, brc;

    if ((rc = pl_db_stmt(db, e, sql_patent_put, &st)))
        return rc;
    (void)((brc = sqlite3_bind_int64(st, 1, id)) ||
           (brc = sqlite3_bind_int(st, 2, r->patent_type)) ||
           (brc = sqlite3_bind_int(st, 3, r->valid_from)) ||
           (brc = bind_date(st, 4, r->grant_date)) ||
           (brc = sqlite3_bind_int(st, 5, r->fee_paid)) ||
           (brc = sqlite3_bind_int(st, 6, r->invalidation_pending)) ||
           (brc = sqlite3_bind_int(st, 7, r->suspended)) ||
           (brc = bind_opt(st, 8, r->has_twin ? r->twin : NULL)));
    return step_done(db, e, st, brc, "writing a patent");
}

static int write_allowances(pl_db *db, pl_err *e, const pl_ref_record *r, int64_t id,
                            bool update)
{
    sqlite3_stmt *st;
    int rc, brc;

    if (update && (rc = clear_children(db, e, id, sql_allow_clear)))
        return rc;
    for (size_t i = 0; i < r->n_allowances; i++) {
        const pl_ref_record_allowance *a = &r->allowances[i];
        if ((rc = pl_db_stmt(db, e, sql_allow_add, &st)))
            return rc;
        (void)((brc = sqlite3_bind_int64(st, 1, id)) || (brc = bind_str(st, 2, a->pollutant)) ||
               (brc = sqlite3_bind_int64(st, 3, a->micro)) || (brc = bind_str(st, 4, a->unit)));
        if ((rc = step_done(db, e, st, brc, "writing an allowance")))
            return rc;
    }
    return 0;
}

static int write_children(pl_db *db, pl_err *e, const pl_ref_record *r, int64_t id,
                          bool update)
{
    int rc;

    if ((rc = write_owners(db, e, r, id, update)))
        return rc;
    switch (r->kind) {
    case PLEDGER_KIND_TRADEMARK: return write_trademark(db, e, r, id, update);
    case PLEDGER_KIND_PATENT: return write_patent(db, e, r, id);
    case PLEDGER_KIND_EMISSION:
    case PLEDGER_KIND_SEA_AREA:
    case PLEDGER_KIND_LAND: return write_allowances(db, e, r, id, update);
    default: return 0;
    }
}

static int right_write(pl_db *db, pl_err *e, const pl_ref_record *r,
                       const unsigned char dg[32], bool is_new, pl_ref_written *out)
{
    sqlite3_stmt *st;
    int64_t id = 0;
    bool same = false;
    int rc, brc;

    if (!is_new && (rc = find(db, e, sql_right_get, r, dg, &id, &same)))
        return rc;
    if (id && same) {
        *out = PL_REF_UNCHANGED;
        return 0;
    }
    if ((rc = pl_db_stmt(db, e, id ? sql_right_update : sql_right_insert, &st)))
        return rc;
    if (id) {
        if (!(brc = sqlite3_bind_int64(st, 1, id)))
            brc = sqlite3_bind_int(st, 2, r->kind);
    } else if (!(brc = sqlite3_bind_int(st, 1, r->kind))) {
        brc = bind_str(st, 2, r->number);
    }
    /* the schema's CHECK refuses a status without a name */
    (void)(brc || (brc = bind_opt(st, 3, pl_ref_status_name(r->status))) ||
           (brc = bind_date(st, 4, r->valid_from)) || (brc = bind_date(st, 5, r->valid_to)) ||
           (brc = sqlite3_bind_int(st, 6, r->seized)) ||
           (brc = sqlite3_bind_int(st, 7, r->frozen)) ||
           (brc = sqlite3_bind_blob(st, 8, dg, 32, SQLITE_STATIC)) ||
           (brc = sqlite3_bind_int64(st, 9, pl_db_now(db))));
    if ((rc = step_done(db, e, st, brc, id ? "updating the register" : "writing the register")))
        return rc;
    if (id) {
        *out = PL_REF_UPDATED;
        return write_children(db, e, r, id, true);
    }
    *out = PL_REF_INSERTED;
    return write_children(db, e, r, sqlite3_last_insert_rowid(pl_db_handle(db)), false);
}

static int holding_write(pl_db *db, pl_err *e, const pl_ref_record *r,
                         const unsigned char dg[32], bool is_new, pl_ref_written *out)
{
    const pl_ref_record_owner *s = &r->owners[0];
    sqlite3_stmt *st;
    int64_t id = 0;
    bool same = false;
    int rc, brc;

    if (!is_new && (rc = find(db, e, sql_holding_get, r, dg, &id, &same)))
        return rc;
    if (id && same) {
        *out = PL_REF_UNCHANGED;
        return 0;
    }
    if ((rc = pl_db_stmt(db, e, id ? sql_holding_update : sql_holding_insert, &st)))
        return rc;
    (void)((brc = bind_str(st, 1, r->number)) || (brc = bind_opt(st, 2, r->company_name)) ||
           (brc = sqlite3_bind_int(st, 3, s->id_type)) || (brc = bind_str(st, 4, s->id)) ||
           (brc = bind_str(st, 5, s->name)) || (brc = bind_str(st, 6, s->name_key)) ||
           (brc = sqlite3_bind_int64(st, 7, r->capital)) ||
           (brc = bind_str(st, 8, r->currency)) || (brc = sqlite3_bind_int(st, 9, r->frozen)) ||
           (brc = sqlite3_bind_blob(st, 10, dg, 32, SQLITE_STATIC)) ||
           (brc = sqlite3_bind_int64(st, 11, pl_db_now(db))) ||
           (brc = bind_opt(st, 12, s->name_en)) || (brc = bind_opt(st, 13, s->name_en_key)));
    if ((rc = step_done(db, e, st, brc, id ? "updating a holding" : "writing a holding")))
        return rc;
    *out = id ? PL_REF_UPDATED : PL_REF_INSERTED;
    return 0;
}

const pl_refreg_ops pl_sqlite_refreg_ops = {
    .import_tune = import_tune,
    .import_untune = import_untune,
    .import_keys_clear = import_keys_clear,
    .import_key_add = import_key_add,
    .register_empty = register_empty,
    .right_write = right_write,
    .holding_write = holding_write,
    .trademark_get = pl_sqlite_ref_trademark_get,
    .patent_get = pl_sqlite_ref_patent_get,
    .certificate_get = pl_sqlite_ref_certificate_get,
    .holding_get = pl_sqlite_ref_holding_get,
    .kind_loaded = pl_sqlite_ref_kind_loaded,
    .company_get = pl_sqlite_ref_company_get,
    .marks_related = pl_sqlite_ref_marks_related,
    .marks_similar = pl_sqlite_ref_marks_similar,
};
