#include "store/apply.h"

#include <inttypes.h>
#include <string.h>

#include "base/date.h"

/* ---- statements shared by several operations ----------------------------- */

#define P(path) "(?1->>'$." path "')"

static const char app_doc[] =
    "UPDATE application SET document = " P("document") ", doc_hash = " P("doc_hash") ","
    " pledgor_name = " P("pledgor_name") ", pledgor_key = " P("pledgor_key") ","
    " pledgor_id = " P("pledgor_id") ", pledgee_name = " P("pledgee_name") ","
    " pledgee_key = " P("pledgee_key") ", pledgee_id = " P("pledgee_id") ","
    " amount = " P("amount") ", currency = " P("currency")
    " WHERE id = " P("application_id");
static const char app_rights_clear[] =
    "DELETE FROM application_right WHERE application_id = " P("application_id");
static const char app_rights_insert[] =
    "INSERT INTO application_right(application_id, idx, right_key)"
    " SELECT " P("application_id") ", key + 1, value FROM json_each(?1, '$.rights')";
static const char app_state[] =
    "UPDATE application SET state = " P("state") ", updated_at = ?3, journal_seq = ?2"
    " WHERE id = " P("application_id");
static const char sequence_next[] =
    "INSERT INTO sequence(name, scope, next)"
    " VALUES (" P("sequence.name") ", " P("sequence.scope") ", " P("sequence.value") " + 1)"
    " ON CONFLICT(name, scope) DO UPDATE SET next = excluded.next";

static const char version_close[] =
    "UPDATE pledge_version SET valid_to = ?3"
    " WHERE pledge_id = " P("pledge_id") " AND valid_to IS NULL";
static const char version_insert[] =
    "INSERT INTO pledge_version(pledge_id, version, valid_from, valid_to, state, operation,"
    " pledgor_name, pledgor_key, pledgor_id_type, pledgor_id,"
    " pledgee_name, pledgee_key, pledgee_id_type, pledgee_id, debtor_name, debtor_id,"
    " amount, currency, period_start, period_end, objection_by, objection_until,"
    " litigation, note, journal_seq)"
    " VALUES (" P("pledge_id") ", " P("v.version") ", ?3, NULL, " P("v.state") ","
    " " P("v.operation") ", " P("v.pledgor_name") ", " P("v.pledgor_key") ","
    " " P("v.pledgor_id_type") ", " P("v.pledgor_id") ", " P("v.pledgee_name") ","
    " " P("v.pledgee_key") ", " P("v.pledgee_id_type") ", " P("v.pledgee_id") ","
    " " P("v.debtor_name") ", " P("v.debtor_id") ", " P("v.amount") ", " P("v.currency") ","
    " " P("v.period_start") ", " P("v.period_end") ", " P("v.objection_by") ","
    " " P("v.objection_until") ", " P("v.litigation") ", " P("v.note") ", ?2)";
static const char cert_supersede[] =
    "UPDATE certificate SET superseded_at = ?3"
    " WHERE pledge_id = " P("pledge_id") " AND superseded_at IS NULL"
    " AND " P("certificate.version") " IS NOT NULL";
static const char cert_insert[] =
    "INSERT INTO certificate(pledge_id, version, issued_at, superseded_at,"
    " verification_code, document)"
    " SELECT " P("pledge_id") ", " P("certificate.version") ", ?3, NULL,"
    " " P("certificate.code") ", " P("certificate.document")
    " WHERE " P("certificate.version") " IS NOT NULL";

/* ---- per-operation statements ------------------------------------------- */

static const char app_create[] =
    "INSERT INTO application(id, uuid, kind, state, document, doc_hash, created_at,"
    " created_by, updated_at, journal_seq)"
    " VALUES (" P("application_id") ", " P("uuid") ", " P("kind") ", " P("state") ","
    " " P("document") ", " P("doc_hash") ", ?3, ?4, ?3, ?2)";
static const char review_insert[] =
    "INSERT INTO review(id, application_id, at_us, actor, doc_hash, blocking, correctable,"
    " risks, notices, findings)"
    " VALUES (" P("review_id") ", " P("application_id") ", ?3, ?4, " P("doc_hash") ","
    " " P("blocking") ", " P("correctable") ", " P("risks") ", " P("notices") ","
    " ?1->'$.findings')";
static const char app_submitted[] =
    "UPDATE application SET submitted_at = ?3 WHERE id = " P("application_id");
static const char app_accepted[] =
    "UPDATE application SET office = " P("office") ","
    " acceptance_number = " P("acceptance_number") ", accepted_at = ?3, accepted_by = ?4"
    " WHERE id = " P("application_id");
static const char app_correction[] =
    "UPDATE application SET correction_note = " P("note") ","
    " correction_requested_at = ?3, correction_due = " P("due")
    " WHERE id = " P("application_id");
static const char app_decided[] =
    "UPDATE application SET decided_at = ?3, decided_by = ?4,"
    " refusal_ground = " P("ground") ", decision_note = " P("note") ","
    " withdrawn_reason = " P("withdrawn_reason")
    " WHERE id = " P("application_id");
static const char pledge_insert[] =
    "INSERT INTO pledge(id, registration_number, application_id, kind, registered_at,"
    " office, modcode_salt, modcode_hash)"
    " VALUES (" P("pledge_id") ", " P("registration_number") ", " P("application_id") ","
    " " P("kind") ", ?3, " P("office") ", " P("modcode_salt") ", " P("modcode_hash") ")";
static const char pledge_rights[] =
    "INSERT INTO pledge_right(pledge_id, idx, kind, right_key, identifier, classes)"
    " SELECT " P("pledge_id") ", key + 1, " P("kind") ", value->>'$.key',"
    " value->>'$.identifier', value->>'$.classes' FROM json_each(?1, '$.rights')";
static const char calendar_days[] =
    "INSERT INTO calendar_day(day, kind, name)"
    " SELECT value->>'$.day', value->>'$.kind', value->>'$.name'"
    " FROM json_each(?1, '$.days') WHERE true"
    " ON CONFLICT(day) DO UPDATE SET kind = excluded.kind, name = excluded.name";

static const char meta_set[] =
    "INSERT INTO meta(key, value) VALUES (" P("key") ", " P("value") ")"
    " ON CONFLICT(key) DO UPDATE SET value = excluded.value";

#define OP(name, ...) { name, (const char *const[]){ __VA_ARGS__, NULL } }

typedef struct op {
    const char *name;
    const char *const *sql; /* NULL-terminated; NULL: the event changes no state */
} op;

static const op ops[] = {
    OP("application.create", app_create, app_doc, app_rights_clear, app_rights_insert),
    OP("application.update", app_doc, app_rights_clear, app_rights_insert, app_state),
    OP("application.review", review_insert, app_state),
    OP("application.submit", app_state, app_submitted),
    OP("application.accept", app_state, app_accepted, sequence_next),
    OP("application.request_correction", app_state, app_correction),
    OP("application.correct", app_doc, app_rights_clear, app_rights_insert, app_state),
    OP("application.refuse", app_state, app_decided),
    OP("application.withdraw", app_state, app_decided),
    OP("application.register", app_state, app_decided, pledge_insert, pledge_rights,
       version_insert, cert_insert, sequence_next),
    OP("pledge.change", version_close, version_insert, cert_supersede, cert_insert),
    OP("pledge.extend", version_close, version_insert, cert_supersede, cert_insert),
    OP("pledge.cancel", version_close, version_insert),
    OP("pledge.revoke", version_close, version_insert),
    OP("pledge.expire", version_close, version_insert),
    OP("pledge.object", version_close, version_insert),
    OP("pledge.litigation", version_close, version_insert),
    OP("pledge.dismiss_objection", version_close, version_insert),
    OP("pledge.objection_lapse", version_close, version_insert),
    OP("calendar.load", calendar_days),
    OP("registry.setting", meta_set),
    { "register_import", NULL },
};

static const op *find_op(const char *name)
{
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(ops[i].name, name) == 0)
            return &ops[i];
    return NULL;
}

int pl_apply(pl_db *db, pl_err *e, const char *operation, const char *payload,
             int64_t seq, int64_t at_us, const char *actor)
{
    const op *o = find_op(operation);
    int rc;

    if (!o)
        return pl_err_set(e, PLEDGER_ECORRUPT,
                          "journal event %" PRId64 ": unknown operation '%s'", seq, operation);
    for (const char *const *s = o->sql; s && *s; s++) {
        sqlite3_stmt *st;
        if ((rc = pl_db_stmt(db, e, *s, &st)))
            return rc;
        sqlite3_bind_text(st, 1, payload, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, seq);
        sqlite3_bind_int64(st, 3, at_us);
        sqlite3_bind_text(st, 4, actor, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            rc = pl_db_fail(db, e, rc, "applying an event");
            return pl_err_prefix(e, "%s (event %" PRId64 ", statement %d)", operation, seq,
                                 (int)(s - o->sql) + 1);
        }
    }
    return 0;
}

static const char sql_last_instant[] =
    "SELECT seq, at_us FROM journal ORDER BY seq DESC LIMIT 1";

/* Instants never go backwards: versions and ranks are ordered by them. */
static int check_monotonic(pl_db *db, pl_err *e, const pl_event *ev)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_last_instant, &st);

    if (rc)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_int64(st, 1) > ev->at_us) {
        char last[32], now[32];
        pl_instant_format(sqlite3_column_int64(st, 1), last);
        pl_instant_format(ev->at_us, now);
        rc = pl_err_set(e, PLEDGER_ESTATE,
                        "%s: the clock went backwards: event %lld was recorded at %s, "
                        "this step's instant is %s",
                        ev->operation, (long long)sqlite3_column_int64(st, 0), last, now);
    } else {
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
                                                   : pl_db_fail(db, e, rc, "reading the journal");
    }
    sqlite3_reset(st);
    return rc;
}

int pl_record(pl_db *db, pl_err *e, const pl_event *ev, int64_t *seq_out)
{
    int64_t seq;
    int rc = check_monotonic(db, e, ev);

    if (!rc)
        rc = pl_journal_append(db, e, ev, &seq);
    if (rc)
        return rc;
    if ((rc = pl_apply(db, e, ev->operation, ev->payload, seq, ev->at_us, ev->actor)))
        return rc;
    if (seq_out)
        *seq_out = seq;
    return 0;
}

static const char sql_events[] =
    "SELECT seq, at_us, actor, operation, payload FROM journal ORDER BY seq";

int pl_replay(pl_db *db, pl_err *e)
{
    static const char *const clear[] = {
        "DELETE FROM certificate", "DELETE FROM pledge_version", "DELETE FROM pledge_right",
        "DELETE FROM pledge", "DELETE FROM review", "DELETE FROM application_right",
        "DELETE FROM application", "DELETE FROM sequence", "DELETE FROM calendar_day",
    };
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = pl_db_write_begin(db, e)))
        return rc;
    for (size_t i = 0; i < sizeof clear / sizeof clear[0]; i++)
        if ((rc = pl_db_exec(db, e, clear[i])))
            goto fail;
    /* A statement of its own: pl_apply uses the cache while this one runs. */
    rc = sqlite3_prepare_v2(pl_db_handle(db), sql_events, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        rc = pl_db_fail(db, e, rc, "replaying the journal");
        goto fail;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = pl_apply(db, e, (const char *)sqlite3_column_text(st, 3),
                      (const char *)sqlite3_column_text(st, 4), sqlite3_column_int64(st, 0),
                      sqlite3_column_int64(st, 1), (const char *)sqlite3_column_text(st, 2));
        if (rc)
            goto fail;
    }
    if (rc != SQLITE_DONE) {
        rc = pl_db_fail(db, e, rc, "replaying the journal");
        goto fail;
    }
    sqlite3_finalize(st);
    return pl_db_commit(db, e);
fail:
    sqlite3_finalize(st);
    pl_db_rollback(db);
    return rc;
}
