/* The SQLite backend's workflow operations (store/ops-flow.h): the reads
 * the steps make before they journal their change. */
#include "store/ops-flow.h"
#include "base/calendar.h"
#include "store/sql-states.h"
#include "store/sqlite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pl_app_row_clear(pl_app_row *r)
{
    free(r->document);
    free(r->acceptance_number);
    free(r->registration_number);
    memset(r, 0, sizeof *r);
}

/* Column @i of the row as an allocated string, NULL for NULL; *@oom set
 * when a value could not be copied. */
static char *col_dup(sqlite3_stmt *st, int i, bool *oom)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    char *s = t ? strdup((const char *)t) : NULL;

    if (!s && sqlite3_column_type(st, i) != SQLITE_NULL)
        *oom = true;
    return s;
}

/* ---- applications ----------------------------------------------------------- */

static const char sql_app[] =
    "SELECT a.id, a.uuid, a.kind, a.state, a.document, a.doc_hash, a.acceptance_number,"
    " coalesce(p.registration_number, a.office_number), a.correction_due, a.accepted_at"
    " FROM application a LEFT JOIN pledge p ON p.application_id = a.id WHERE a.uuid = ?1";
static const char sql_any_application[] = "SELECT EXISTS (SELECT 1 FROM application)";
static const char sql_created_by[] = "SELECT created_by FROM application WHERE id = ?1";
static const char sql_certificate[] =
    "SELECT coalesce(a.office_certificate, (SELECT c.document FROM certificate c"
    " JOIN pledge p ON p.id = c.pledge_id WHERE p.application_id = a.id"
    " ORDER BY c.version LIMIT 1)) FROM application a WHERE a.id = ?1";
static const char sql_last_review[] =
    "SELECT doc_hash, blocking, correctable FROM review WHERE application_id = ?1"
    " ORDER BY id DESC LIMIT 1";

static int app_load(pl_db *db, pl_err *e, const char *uuid, pl_app_row *out)
{
    sqlite3_stmt *st;
    bool oom = false;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = pl_db_stmt(db, e, sql_app, &st)))
        return rc;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return pl_err_set(e, PLEDGER_ENOTFOUND, "no application has UUID '%s'", uuid);
    }
    if (rc != SQLITE_ROW) {
        rc = pl_db_fail(db, e, rc, "reading an application");
        sqlite3_reset(st);
        return rc;
    }
    out->id = sqlite3_column_int64(st, 0);
    snprintf(out->uuid, sizeof out->uuid, "%s", (const char *)sqlite3_column_text(st, 1));
    out->kind = sqlite3_column_int(st, 2);
    out->state = sqlite3_column_int(st, 3);
    if ((rc = pl_sq_row_ok(e, PL_SQ_APPLICATION, out->uuid, &out->kind, &out->state))) {
        sqlite3_reset(st);
        return rc;
    }
    snprintf(out->doc_hash, sizeof out->doc_hash, "%s", (const char *)sqlite3_column_text(st, 5));
    out->correction_due = sqlite3_column_type(st, 8) == SQLITE_NULL
                              ? INT32_MIN : sqlite3_column_int(st, 8);
    out->accepted_us = sqlite3_column_int64(st, 9);
    out->document = col_dup(st, 4, &oom);
    out->acceptance_number = col_dup(st, 6, &oom);
    out->registration_number = col_dup(st, 7, &oom);
    sqlite3_reset(st);
    if (!out->document || oom) {
        pl_app_row_clear(out);
        return pl_err_oom(e);
    }
    return 0;
}

static int apps_exist(pl_db *db, pl_err *e, bool *out)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_any_application, &st);

    *out = false;
    if (rc)
        return rc;
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : pl_db_fail(db, e, rc, "reading the applications");
}

static int app_filer(pl_db *db, pl_err *e, int64_t app_id, char **actor)
{
    sqlite3_stmt *st;
    bool oom = false;
    int rc = pl_db_stmt(db, e, sql_created_by, &st);

    *actor = NULL;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, app_id);
    if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
        sqlite3_reset(st);
        /* no row: the application was just read, so the file is damaged */
        return pl_db_fail(db, e, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                          "reading who filed an application");
    }
    *actor = col_dup(st, 0, &oom);
    sqlite3_reset(st);
    return oom ? pl_err_oom(e) : 0;
}

static const char sql_app_id[] = "SELECT id FROM application WHERE uuid = ?1";

static int app_id(pl_db *db, pl_err *e, const char *uuid, int64_t *id, bool *found)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_app_id, &st);

    *found = false;
    *id = 0;
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *found = true;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
                                                 : pl_db_fail(db, e, rc, "reading an application");
}

/* The listing's columns.  With neither an actor nor states, the rows in
 * id order; else one cursor per state, on the index of states or on that
 * of who filed and state, each in id order, merged: a page of a common
 * state of a large registry is a seek and a page of rows, never a sort
 * of all of them. */
#define APP_LIST_COLUMNS                                                                  \
    "SELECT a.id, a.uuid, a.kind, a.state, a.correction_due, a.created_by, a.created_at," \
    " a.updated_at, a.acceptance_number, coalesce(p.registration_number, a.office_number)," \
    " a.pledgor_name, a.pledgee_name"                                                     \
    " FROM application a LEFT JOIN pledge p ON p.application_id = a.id"
static const char sql_app_list_all[] = APP_LIST_COLUMNS " WHERE a.id > ?2 ORDER BY a.id";
static const char sql_app_list_state[] =
    APP_LIST_COLUMNS " WHERE a.state = ?3 AND a.id > ?2 ORDER BY a.id";
static const char sql_app_list_by[] =
    APP_LIST_COLUMNS " WHERE a.created_by = ?1 AND a.state = ?3 AND a.id > ?2 ORDER BY a.id";

#define APP_STATES 10 /* states 1 to 9 */

/* Row of @st as an entry: out of memory when its text is missing, the
 * file damaged when its kind or state is none pledger writes. */
static int app_entry(pl_db *db, pl_err *e, sqlite3_stmt *st, pl_app_entry *a)
{
    *a = (pl_app_entry){
        .uuid = (const char *)sqlite3_column_text(st, 1),
        .kind = sqlite3_column_int(st, 2),
        .state = sqlite3_column_int(st, 3),
        .correction_due = sqlite3_column_type(st, 4) == SQLITE_NULL
                              ? INT32_MIN : sqlite3_column_int(st, 4),
        .filed_by = (const char *)sqlite3_column_text(st, 5),
        .saved_at = sqlite3_column_int64(st, 6),
        .updated_at = sqlite3_column_int64(st, 7),
        .acceptance_number = (const char *)sqlite3_column_text(st, 8),
        .registration_number = (const char *)sqlite3_column_text(st, 9),
        .pledgor_name = (const char *)sqlite3_column_text(st, 10),
        .pledgee_name = (const char *)sqlite3_column_text(st, 11),
    };
    if (!a->uuid || !a->filed_by)
        return pl_db_fail(db, e, SQLITE_NOMEM, "listing the applications");
    return pl_sq_row_ok(e, PL_SQ_APPLICATION, a->uuid, &a->kind, &a->state);
}

static int app_list(pl_db *db, pl_err *e, const pl_app_scan *scan, pl_app_entry_fn row,
                    void *arg)
{
    sqlite3_stmt *cur[APP_STATES] = { NULL };
    int live[APP_STATES], n = 0, rc = 0;
    unsigned states = scan->states ? scan->states : ((1u << APP_STATES) - 2);
    pl_app_entry a;

    if (!scan->filed_by && !scan->states) {
        sqlite3_stmt *st;
        if ((rc = pl_db_stmt(db, e, sql_app_list_all, &st)))
            return rc;
        sqlite3_bind_int64(st, 2, scan->after_id);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int r = app_entry(db, e, st, &a);
            if (!r)
                r = row(arg, e, &a);
            if (r) {
                sqlite3_reset(st);
                return r < 0 ? r : 0;
            }
        }
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "listing the applications");
    }
    /* a cursor per state, each on its first row */
    for (int s = 1; s < APP_STATES && !rc; s++) {
        if (!(states & (1u << s)))
            continue;
        const char *sql = scan->filed_by ? sql_app_list_by : sql_app_list_state;
        sqlite3_stmt *st = NULL;
        if ((rc = sqlite3_prepare_v2(pl_db_handle(db), sql, -1, &st, NULL)) != SQLITE_OK) {
            rc = pl_db_fail(db, e, rc, "listing the applications");
            break;
        }
        cur[n] = st;
        if (scan->filed_by)
            sqlite3_bind_text(st, 1, scan->filed_by, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, scan->after_id);
        sqlite3_bind_int(st, 3, s);
        int r = sqlite3_step(st);
        live[n++] = r == SQLITE_ROW;
        if (r != SQLITE_ROW && r != SQLITE_DONE)
            rc = pl_db_fail(db, e, r, "listing the applications");
    }
    /* merged: the lowest id of the cursors' rows, then that cursor on */
    while (!rc) {
        int best = -1;
        for (int k = 0; k < n; k++)
            if (live[k] && (best < 0 || sqlite3_column_int64(cur[k], 0) <
                                            sqlite3_column_int64(cur[best], 0)))
                best = k;
        if (best < 0)
            break;
        int r = app_entry(db, e, cur[best], &a);
        if (!r)
            r = row(arg, e, &a);
        if (r) {
            rc = r < 0 ? r : 0;
            break;
        }
        r = sqlite3_step(cur[best]);
        live[best] = r == SQLITE_ROW;
        if (r != SQLITE_ROW && r != SQLITE_DONE)
            rc = pl_db_fail(db, e, r, "listing the applications");
    }
    for (int k = 0; k < n; k++)
        sqlite3_finalize(cur[k]);
    return rc;
}

static const char sql_filing_key[] =
    "SELECT digest, applications FROM filing_key WHERE actor = ?1 AND key = ?2";

static int filing_key_get(pl_db *db, pl_err *e, const char *actor, const char *key,
                          char **digest, char **applications)
{
    sqlite3_stmt *st;
    bool oom = false;
    int rc = pl_db_stmt(db, e, sql_filing_key, &st);

    *digest = *applications = NULL;
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *digest = col_dup(st, 0, &oom);
        *applications = col_dup(st, 1, &oom);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return pl_db_fail(db, e, rc, "reading the key of a bulk filing");
    if (oom || (rc == SQLITE_ROW && (!*digest || !*applications))) {
        free(*digest);
        free(*applications);
        *digest = *applications = NULL;
        return oom ? pl_err_oom(e) : pl_db_fail(db, e, SQLITE_CORRUPT,
                                                "reading the key of a bulk filing");
    }
    return 0;
}

static int app_certificate(pl_db *db, pl_err *e, int64_t app_id, char **document)
{
    sqlite3_stmt *st;
    bool oom = false;
    int rc = pl_db_stmt(db, e, sql_certificate, &st);

    *document = NULL;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, app_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *document = col_dup(st, 0, &oom);
    sqlite3_reset(st);
    if (oom)
        return pl_err_oom(e);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
                                                 : pl_db_fail(db, e, rc, "reading a certificate");
}

static int review_last(pl_db *db, pl_err *e, int64_t app_id, const char *doc_hash,
                       pl_review_last *out)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_last_review, &st);

    memset(out, 0, sizeof *out);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, app_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *h = sqlite3_column_text(st, 0);
        out->found = true;
        out->same_doc = h && strcmp((const char *)h, doc_hash) == 0;
        out->blocking = sqlite3_column_int(st, 1);
        out->correctable = sqlite3_column_int(st, 2);
        if (!h && sqlite3_column_type(st, 0) != SQLITE_NULL)
            rc = SQLITE_NOMEM;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? 0 : pl_db_fail(db, e, rc, "reading the last review");
}

/* ---- identifiers and sequences ---------------------------------------------- */

static const char sql_next_app_id[] = "SELECT coalesce(max(id), 0) + 1 FROM application";
static const char sql_next_review_id[] = "SELECT coalesce(max(id), 0) + 1 FROM review";
static const char sql_next_pledge_id[] = "SELECT coalesce(max(id), 0) + 1 FROM pledge";
static const char sql_next_batch_id[] = "SELECT coalesce(max(id), 0) + 1 FROM exchange_batch";
static const char sql_sequence[] = "SELECT next FROM sequence WHERE name = ?1 AND scope = ?2";

static int id_next(pl_db *db, pl_err *e, pl_id_of table, int64_t *out)
{
    static const char *const sqls[PL_ID_COUNT] = {
        [PL_ID_APPLICATION] = sql_next_app_id,
        [PL_ID_REVIEW] = sql_next_review_id,
        [PL_ID_PLEDGE] = sql_next_pledge_id,
        [PL_ID_BATCH] = sql_next_batch_id,
    };
    sqlite3_stmt *st;
    int rc;

    *out = 0;
    if ((unsigned)table >= PL_ID_COUNT || !sqls[table])
        return pl_db_fail(db, e, SQLITE_MISUSE, "allocating an id");
    if ((rc = pl_db_stmt(db, e, sqls[table], &st)))
        return rc;
    rc = sqlite3_step(st);
    *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : pl_db_fail(db, e, rc, "allocating an id");
}

static int sequence_next(pl_db *db, pl_err *e, const char *name, const char *scope,
                         int64_t *out)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_sequence, &st);

    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        *out = 1;
        rc = 0;
    } else {
        rc = pl_db_fail(db, e, rc, "reading a number sequence");
    }
    sqlite3_reset(st);
    return rc;
}

/* ---- the rights pledged ------------------------------------------------------ */

static const char sql_right_pledged[] =
    "SELECT p.registration_number FROM pledge_right r JOIN pledge p ON p.id = r.pledge_id"
    " JOIN pledge_version v ON v.pledge_id = p.id AND v.valid_to IS NULL"
    " WHERE r.kind = ?1 AND r.right_key = ?2 AND " PL_SQL_IN_FORCE_ON("v.", "?3") " LIMIT 1";

static int right_pledged(pl_db *db, pl_err *e, int kind, const char *key, char **number)
{
    sqlite3_stmt *st;
    bool oom = false;
    int rc = pl_db_stmt(db, e, sql_right_pledged, &st);

    *number = NULL;
    if (rc)
        return rc;
    sqlite3_bind_int(st, 1, kind);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, pl_db_day_of(db, INT64_MIN));
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *number = col_dup(st, 0, &oom);
    sqlite3_reset(st);
    if (oom)
        return pl_err_oom(e);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? 0 : pl_db_fail(db, e, rc, "checking existing pledges");
}

/* ---- the deadline sweep and the calendar ------------------------------------ */

static const char sql_lapsed_corrections[] =
    "SELECT uuid FROM application WHERE state = " PL_SQL_APP_CORRECTION_REQUESTED
    " AND correction_due < ?1"
    /* what an acceptance point forwarded, its office deems withdrawn and
     * reports (workflow/exchange-flow.c) */
    " AND office_number IS NULL AND NOT EXISTS (SELECT 1 FROM exchange_item i"
    " JOIN exchange_batch b ON b.id = i.batch_id"
    " WHERE i.application_id = application.id AND b.direction = 'out'"
    " AND i.what <> 'result') ORDER BY id";
static const char sql_ended[] =
    "SELECT p.registration_number FROM pledge_version v JOIN pledge p ON p.id = v.pledge_id"
    " WHERE v.valid_to IS NULL AND " PL_SQL_IN_FORCE("v.") " AND v.period_end < ?1"
    " ORDER BY p.id";
static const char sql_lapsed_objections[] =
    "SELECT p.registration_number FROM pledge_version v JOIN pledge p ON p.id = v.pledge_id"
    " WHERE v.valid_to IS NULL AND " PL_SQL_UNDER_OBJECTION("v.") " AND v.litigation = 0"
    " AND v.objection_until < ?1 ORDER BY p.id";
static const char sql_calendar[] = "SELECT day, kind FROM calendar_day ORDER BY day";

static int sweep_subjects(pl_db *db, pl_err *e, pl_sweep which, int32_t day,
                          pl_subject_fn row, void *arg)
{
    const char *sql = which == PL_SWEEP_CORRECTIONS ? sql_lapsed_corrections
                      : which == PL_SWEEP_OBJECTIONS ? sql_lapsed_objections
                                                     : sql_ended;
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql, &st);

    if (rc)
        return rc;
    sqlite3_bind_int(st, 1, day);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *s = sqlite3_column_text(st, 0);
        /* uuid and registration_number are NOT NULL: NULL is out of memory */
        int r = s ? row(arg, e, (const char *)s) : pl_err_oom(e);
        if (r) {
            sqlite3_reset(st);
            return r;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "looking for passed deadlines");
}

static int calendar_days(pl_db *db, pl_err *e, pl_calendar_day_fn row, void *arg)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_calendar, &st);

    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int day = sqlite3_column_int(st, 0), kind = sqlite3_column_int(st, 1);
        char whose[48];
        snprintf(whose, sizeof whose, "calendar day %d", day);
        int r = pl_sq_code_ok(e, kind, PL_DAY_HOLIDAY, PL_DAY_WORKDAY, "kind", whose);
        if (!r)
            r = row(arg, e, day, kind);
        if (r) {
            sqlite3_reset(st);
            return r;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading the calendar");
}

/* ---- the keys of rights made again (workflow/rekey.c) ----------------------- */

static const char sql_upgrade_pending[] =
    "SELECT EXISTS (SELECT 1 FROM upgrade_pending WHERE name = ?1),"
    " (SELECT at_us FROM journal ORDER BY seq DESC LIMIT 1)";

static int upgrade_pending(pl_db *db, pl_err *e, const char *name, bool *out,
                           int64_t *last_at)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_upgrade_pending, &st);

    *out = false;
    *last_at = 0;
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0) != 0;
        *last_at = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
                                                 : pl_db_fail(db, e, rc, "reading the upgrades");
}

static const char sql_rights_apps[] =
    "SELECT a.id, p.id, a.document, a.doc_hash,"
    " (SELECT count(*) FROM pledge_debtor d WHERE d.pledge_id = p.id) FROM application a"
    " LEFT JOIN pledge p ON p.application_id = a.id WHERE a.kind = ?1 ORDER BY a.id";
static const char sql_rights_app_keys[] =
    "SELECT idx, right_key FROM application_right WHERE application_id = ?1 ORDER BY idx";
static const char sql_rights_pledge_keys[] =
    "SELECT idx, right_key FROM pledge_right WHERE pledge_id = ?1 ORDER BY idx";

typedef struct keys {
    char **v;
    size_t n;
} keys;

static void keys_clear(keys *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->v[i]);
    free(k->v);
    k->v = NULL;
    k->n = 0;
}

/* The keys of @id by @sql, in @k with k->v[idx - 1] for each idx (a gap
 * is NULL). */
static int keys_read(pl_db *db, pl_err *e, const char *sql, int64_t id, keys *k)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql, &st);

    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t idx = sqlite3_column_int64(st, 0);
        const unsigned char *t = sqlite3_column_text(st, 1);
        if (idx < 1 || idx > 100000) {
            sqlite3_reset(st);
            return pl_err_set(e, PLEDGER_ECORRUPT, "right %lld of row %lld is out of range",
                              (long long)idx, (long long)id);
        }
        if ((size_t)idx > k->n) {
            char **v = realloc(k->v, (size_t)idx * sizeof *v);
            if (!v) {
                sqlite3_reset(st);
                return pl_err_oom(e);
            }
            for (size_t i = k->n; i < (size_t)idx; i++)
                v[i] = NULL;
            k->v = v;
            k->n = (size_t)idx;
        }
        free(k->v[idx - 1]);
        if (!(k->v[idx - 1] = strdup(t ? (const char *)t : ""))) {
            sqlite3_reset(st);
            return pl_err_oom(e);
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading the keys of rights");
}

static int rights_stored(pl_db *db, pl_err *e, int kind, pl_rights_stored_fn row, void *arg)
{
    sqlite3_stmt *st;
    keys ak = { 0 }, pk = { 0 };
    int rc = pl_db_stmt(db, e, sql_rights_apps, &st);

    if (rc)
        return rc;
    sqlite3_bind_int(st, 1, kind);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pl_rights_stored r = {
            .application_id = sqlite3_column_int64(st, 0),
            .pledge_id = sqlite3_column_int64(st, 1),
            .document = (const char *)sqlite3_column_text(st, 2),
            .doc_hash = (const char *)sqlite3_column_text(st, 3),
            .n_pledge_debtors = (size_t)sqlite3_column_int64(st, 4),
        };
        /* the statement's row stays: the keys are read by other statements */
        if ((rc = keys_read(db, e, sql_rights_app_keys, r.application_id, &ak)) ||
            (r.pledge_id && (rc = keys_read(db, e, sql_rights_pledge_keys, r.pledge_id, &pk))))
            break;
        r.app_keys = (const char *const *)ak.v;
        r.n_app_keys = ak.n;
        r.pledge_keys = (const char *const *)pk.v;
        r.n_pledge_keys = pk.n;
        rc = row(arg, e, &r);
        keys_clear(&ak);
        keys_clear(&pk);
        if (rc > 0)
            rc = SQLITE_DONE; /* the caller stops here */
        if (rc)
            break;
    }
    keys_clear(&ak);
    keys_clear(&pk);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return 0;
    return rc < 0 ? rc : pl_db_fail(db, e, rc, "reading the keys of rights");
}

const pl_flow_ops pl_sqlite_flow_ops = {
    .app_load = app_load,
    .apps_exist = apps_exist,
    .app_id = app_id,
    .app_list = app_list,
    .app_filer = app_filer,
    .app_certificate = app_certificate,
    .review_last = review_last,
    .id_next = id_next,
    .sequence_next = sequence_next,
    .right_pledged = right_pledged,
    .sweep_subjects = sweep_subjects,
    .calendar_days = calendar_days,
    .filing_key_get = filing_key_get,
    .upgrade_pending = upgrade_pending,
    .rights_stored = rights_stored,
};
