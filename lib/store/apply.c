#include "store/apply.h"
#include "store/sqlite.h"
#include "store/payload.h"
#include "store/steps.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- statements shared by several operations ----------------------------- */

/* Parameters: $a__b is the payload's value at $.a.b as ->> gives it (SQL
 * text, integer, NULL), @a the JSON text at $.a as -> gives it; :seq, :at
 * and :actor the event's sequence number, instant and actor. */

/* A new document and the state, in one statement: the row (the document
 * is most of it) is written once. */
static const char app_doc_state[] =
    "UPDATE application SET document = $document, doc_hash = $doc_hash,"
    " pledgor_name = $pledgor_name, pledgor_key = $pledgor_key,"
    " pledgor_id = $pledgor_id, pledgee_name = $pledgee_name,"
    " pledgee_key = $pledgee_key, pledgee_id = $pledgee_id,"
    " amount = $amount, currency = $currency,"
    " state = $state, updated_at = :at, journal_seq = :seq"
    " WHERE id = $application_id";
static const char app_rights_clear[] =
    "DELETE FROM application_right WHERE application_id = $application_id";
static const char app_rights_insert[] =
    "INSERT INTO application_right(application_id, idx, right_key)"
    " SELECT $application_id, key + 1, value FROM json_each(@rights)";
static const char app_state[] =
    "UPDATE application SET state = $state, updated_at = :at, journal_seq = :seq"
    " WHERE id = $application_id";
static const char sequence_next[] =
    "INSERT INTO sequence(name, scope, next)"
    " VALUES ($sequence__name, $sequence__scope, $sequence__value + 1)"
    " ON CONFLICT(name, scope) DO UPDATE SET next = excluded.next";

static const char version_close[] =
    "UPDATE pledge_version SET valid_to = :at"
    " WHERE pledge_id = $pledge_id AND valid_to IS NULL";
static const char version_insert[] =
    "INSERT INTO pledge_version(pledge_id, version, valid_from, valid_to, state, operation,"
    " pledgor_name, pledgor_key, pledgor_id_type, pledgor_id,"
    " pledgee_name, pledgee_key, pledgee_id_type, pledgee_id, debtor_name, debtor_id,"
    " amount, currency, period_start, period_end, objection_by, objection_until,"
    " litigation, note, journal_seq)"
    " VALUES ($pledge_id, $v__version, :at, NULL, $v__state, $v__operation,"
    " $v__pledgor_name, $v__pledgor_key, $v__pledgor_id_type, $v__pledgor_id,"
    " $v__pledgee_name, $v__pledgee_key, $v__pledgee_id_type, $v__pledgee_id,"
    " $v__debtor_name, $v__debtor_id, $v__amount, $v__currency,"
    " $v__period_start, $v__period_end, $v__objection_by, $v__objection_until,"
    " $v__litigation, $v__note, :seq)";
static const char cert_supersede[] =
    "UPDATE certificate SET superseded_at = :at"
    " WHERE pledge_id = $pledge_id AND superseded_at IS NULL"
    " AND $certificate__version IS NOT NULL";
static const char cert_insert[] =
    "INSERT INTO certificate(pledge_id, version, issued_at, superseded_at,"
    " verification_code, document)"
    " SELECT $pledge_id, $certificate__version, :at, NULL,"
    " $certificate__code, $certificate__document"
    " WHERE $certificate__version IS NOT NULL";

/* ---- per-operation statements ------------------------------------------- */

/* the whole row at once, the document's fields included */
static const char app_create[] =
    "INSERT INTO application(id, uuid, kind, state, document, doc_hash,"
    " pledgor_name, pledgor_key, pledgor_id, pledgee_name, pledgee_key, pledgee_id,"
    " amount, currency, created_at, created_by, updated_at, journal_seq)"
    " VALUES ($application_id, $uuid, $kind, $state, $document, $doc_hash,"
    " $pledgor_name, $pledgor_key, $pledgor_id, $pledgee_name, $pledgee_key, $pledgee_id,"
    " $amount, $currency, :at, :actor, :at, :seq)";
static const char review_insert[] =
    "INSERT INTO review(id, application_id, at_us, actor, doc_hash, blocking, correctable,"
    " risks, notices, findings)"
    " VALUES ($review_id, $application_id, :at, :actor, $doc_hash,"
    " $blocking, $correctable, $risks, $notices, @findings)";
/* The state change (app_state) and what else the step writes to the
 * application, in one statement each: the row is written once. */
#define APP_STATE "UPDATE application SET state = $state, updated_at = :at, journal_seq = :seq, "
static const char app_submitted[] =
    APP_STATE "submitted_at = :at WHERE id = $application_id";
static const char app_accepted[] =
    APP_STATE "office = $office,"
    " acceptance_number = $acceptance_number, accepted_at = :at, accepted_by = :actor"
    " WHERE id = $application_id";
static const char app_correction[] =
    APP_STATE "correction_note = $note,"
    " correction_requested_at = :at, correction_due = $due"
    " WHERE id = $application_id";
static const char app_decided[] =
    APP_STATE "decided_at = :at, decided_by = :actor,"
    " refusal_ground = $ground, decision_note = $note,"
    " withdrawn_reason = $withdrawn_reason"
    " WHERE id = $application_id";
static const char pledge_insert[] =
    "INSERT INTO pledge(id, registration_number, application_id, kind, registered_at,"
    " office, modcode_salt, modcode_hash)"
    " VALUES ($pledge_id, $registration_number, $application_id,"
    " $kind, :at, $office, $modcode_salt, $modcode_hash)";
static const char pledge_rights[] =
    "INSERT INTO pledge_right(pledge_id, idx, kind, right_key, identifier, classes)"
    " SELECT $pledge_id, key + 1, $kind, value->>'$.key',"
    " value->>'$.identifier', value->>'$.classes' FROM json_each(@rights)";
/* A receivable's debtors (its right's "debtors": their identifiers). */
static const char pledge_debtors[] =
    "INSERT OR IGNORE INTO pledge_debtor(pledge_id, idx, debtor)"
    " SELECT $pledge_id, r.key + 1, d.value FROM json_each(@rights) r,"
    " json_each(r.value, '$.debtors') d";
static const char calendar_days[] =
    "INSERT INTO calendar_day(day, kind, name)"
    " SELECT value->>'$.day', value->>'$.kind', value->>'$.name'"
    " FROM json_each(@days) WHERE true"
    " ON CONFLICT(day) DO UPDATE SET kind = excluded.kind, name = excluded.name";

/* The three statements above for one element of the array at a time
 * ($elem: the element, :idx its position from 1, as json_each's key + 1),
 * run for each element of a canonical payload's array: json_each parses
 * the payload again and every value->>'$.x' the element again. */
static const char app_right_one[] =
    "INSERT INTO application_right(application_id, idx, right_key)"
    " VALUES ($application_id, :idx, $elem)";
static const char pledge_right_one[] =
    "INSERT INTO pledge_right(pledge_id, idx, kind, right_key, identifier, classes)"
    " VALUES ($pledge_id, :idx, $kind, $elem__key, $elem__identifier, $elem__classes)";
static const char calendar_day_one[] =
    "INSERT INTO calendar_day(day, kind, name) VALUES ($elem__day, $elem__kind, $elem__name)"
    " ON CONFLICT(day) DO UPDATE SET kind = excluded.kind, name = excluded.name";

typedef struct each {
    const char *sql;   /* the statement over json_each */
    const char *one;   /* the same for one element */
    const char *array; /* the member it reads */
} each;

static const each eaches[] = {
    { app_rights_insert, app_right_one, "rights" },
    { pledge_rights, pledge_right_one, "rights" },
    { calendar_days, calendar_day_one, "days" },
};

/* ---- sites and the data line (workflow/exchange-flow.c) -------------------- */

/* An application received from an acceptance point: accepted there, by
 * its clerk ($accepted_at, $accepted_by: the site's instant and actor). */
static const char app_receive[] =
    "INSERT INTO application(id, uuid, kind, state, document, doc_hash,"
    " pledgor_name, pledgor_key, pledgor_id, pledgee_name, pledgee_key, pledgee_id,"
    " amount, currency, created_at, created_by, updated_at, submitted_at,"
    " office, acceptance_number, accepted_at, accepted_by, origin, journal_seq)"
    " VALUES ($application_id, $uuid, $kind, $state, $document, $doc_hash,"
    " $pledgor_name, $pledgor_key, $pledgor_id, $pledgee_name, $pledgee_key, $pledgee_id,"
    " $amount, $currency, :at, :actor, :at, $accepted_at,"
    " $office, $acceptance_number, $accepted_at, $accepted_by, $origin, :seq)";
/* A corrected document received: the state it reports is to be sent again. */
static const char app_unreport[] =
    "UPDATE application SET reported_state = NULL WHERE id = $application_id";
/* The office's decision, received at the acceptance point. */
static const char app_result[] =
    APP_STATE "office_number = $registration_number, office_certificate = $certificate,"
    " decided_at = $decided_at, decided_by = $decided_by, refusal_ground = $ground,"
    " decision_note = $note, withdrawn_reason = $withdrawn_reason,"
    " correction_note = $correction_note, correction_requested_at = $correction_at,"
    " correction_due = $due"
    " WHERE id = $application_id";
static const char xbatch_insert[] =
    "INSERT INTO exchange_batch(id, direction, peer, seq, digest, document, items,"
    " created_at, receipt, acked_at, journal_seq)"
    " VALUES ($batch_id, $direction, $peer, $sequence, $digest, $document,"
    " json_array_length(@items), :at, $receipt, NULL, :seq)";
static const char xitems_insert[] =
    "INSERT INTO exchange_item(batch_id, idx, application_id, what, state)"
    " SELECT $batch_id, key + 1, value->>'$.application_id', value->>'$.what',"
    " value->>'$.state' FROM json_each(@items)";
/* What an acceptance point sends is forwarded; what an office sends is
 * reported. */
static const char xitems_forwarded[] =
    "UPDATE application SET state = 9, updated_at = :at, journal_seq = :seq"
    " WHERE id IN (SELECT value->>'$.application_id' FROM json_each(@items)"
    " WHERE value->>'$.what' <> 'result') AND $direction = 'out'";
static const char xitems_reported[] =
    "UPDATE application SET reported_state = (SELECT value->>'$.state'"
    " FROM json_each(@items) WHERE value->>'$.application_id' = application.id)"
    " WHERE id IN (SELECT value->>'$.application_id' FROM json_each(@items)"
    " WHERE value->>'$.what' = 'result') AND $direction = 'out'";
static const char xbatch_ack[] =
    "UPDATE exchange_batch SET receipt = $receipt, acked_at = :at"
    " WHERE direction = 'out' AND peer = $peer AND seq = $sequence AND acked_at IS NULL";

/* ---- bulk filing (workflow/bulk-flow.c) ------------------------------------ */

static const char filing_key_insert[] =
    "INSERT INTO filing_key(actor, key, digest, applications, created_at, journal_seq)"
    " VALUES (:actor, $key, $digest, @applications, :at, :seq)";

/* ---- the keys of rights made again (workflow/rekey.c) ---------------------- */

/* Each element {"id", "idx", "key"}: the right idx of application or
 * pledge id now has key, which a receivable is also identified by (it
 * has no number of its own). */
static const char app_rekey[] =
    "UPDATE application_right SET right_key = j.value->>'$.key' FROM json_each(@applications) j"
    " WHERE application_id = j.value->>'$.id' AND idx = j.value->>'$.idx'";
static const char pledge_rekey[] =
    "UPDATE pledge_right SET right_key = j.value->>'$.key', identifier = j.value->>'$.key'"
    " FROM json_each(@pledges) j"
    " WHERE pledge_id = j.value->>'$.id' AND idx = j.value->>'$.idx'";
/* Each element {"debtor", "id", "idx"}: a debtor of the receivable idx
 * of pledge id, registered before its debtors were kept. */
static const char pledge_rekey_debtors[] =
    "INSERT OR IGNORE INTO pledge_debtor(pledge_id, idx, debtor)"
    " SELECT j.value->>'$.id', j.value->>'$.idx', j.value->>'$.debtor'"
    " FROM json_each(@debtors) j";
/* the store's mark that asked for it (store/schema-filing.c); none in a replay */
static const char rekey_done[] = "DELETE FROM upgrade_pending WHERE name = $upgrade";

static const char meta_set[] =
    "INSERT INTO meta(key, value) VALUES ($key, $value)"
    " ON CONFLICT(key) DO UPDATE SET value = excluded.value";

#define OP(name, ...) { name, (const char *const[]){ __VA_ARGS__, NULL } }

typedef struct op {
    const char *name;
    const char *const *sql; /* NULL-terminated; NULL: the event changes no state */
} op;

/* The operation each step records, indexed by the step (store/steps.h):
 * pl_step_operation() names it to the workflow, pl_apply() applies it. */
static const op step_ops[] = {
    [PL_STEP_SAVE] = OP("application.update", app_doc_state, app_rights_clear,
                        app_rights_insert),
    [PL_STEP_REVIEW] = OP("application.review", review_insert, app_state),
    [PL_STEP_SUBMIT] = OP("application.submit", app_submitted),
    [PL_STEP_ACCEPT] = OP("application.accept", app_accepted, sequence_next),
    [PL_STEP_REQUEST_CORRECTION] = OP("application.request_correction", app_correction),
    [PL_STEP_CORRECT] = OP("application.correct", app_doc_state, app_rights_clear,
                           app_rights_insert),
    [PL_STEP_REGISTER] = OP("application.register", app_decided, pledge_insert,
                            pledge_rights, pledge_debtors, version_insert, cert_insert,
                            sequence_next),
    [PL_STEP_REFUSE] = OP("application.refuse", app_decided),
    /* also the sweep's application whose correction window closed */
    [PL_STEP_WITHDRAW] = OP("application.withdraw", app_decided),
    [PL_STEP_CHANGE] = OP("pledge.change", version_close, version_insert, cert_supersede,
                          cert_insert),
    [PL_STEP_EXTEND] = OP("pledge.extend", version_close, version_insert, cert_supersede,
                          cert_insert),
    [PL_STEP_CANCEL] = OP("pledge.cancel", version_close, version_insert),
    [PL_STEP_REVOKE] = OP("pledge.revoke", version_close, version_insert),
    [PL_STEP_OBJECT] = OP("pledge.object", version_close, version_insert),
    [PL_STEP_LITIGATION] = OP("pledge.litigation", version_close, version_insert),
    [PL_STEP_DISMISS_OBJECTION] = OP("pledge.dismiss_objection", version_close,
                                     version_insert),
    /* the sweep: an ended period (a lapsed objection is PL_OP_OBJECTION_LAPSE) */
    [PL_STEP_EXPIRE] = OP("pledge.expire", version_close, version_insert),
    [PL_STEP_CALENDAR] = OP("calendar.load", calendar_days),
    [PL_STEP_SETTINGS] = OP("registry.setting", meta_set),
    /* several operations: the PL_OP_EXCHANGE_* of other_ops */
    [PL_STEP_EXCHANGE] = { NULL, NULL },
    /* the register's rows are reference data: no state */
    [PL_STEP_IMPORT] = { PL_OP_REGISTER_IMPORT, NULL },
};
_Static_assert(sizeof step_ops / sizeof step_ops[0] == PL_STEP_COUNT,
               "store/apply.c: step_ops has one row per step of store/steps.h");

/* The operations that are no step's own (store/steps.h says whose they are). */
static const op other_ops[] = {
    /* no app_rights_clear: a new application has no rights rows (they
     * reference it, and foreign keys are enforced) */
    OP(PL_OP_APP_CREATE, app_create, app_rights_insert),
    OP(PL_OP_OBJECTION_LAPSE, version_close, version_insert),
    OP(PL_OP_APP_RECEIVE, app_receive, app_rights_insert),
    OP(PL_OP_APP_RECEIVE_CORRECTION, app_doc_state, app_rights_clear, app_rights_insert,
       app_unreport),
    OP(PL_OP_APP_RESULT, app_result),
    OP(PL_OP_EXCHANGE_EXPORT, xbatch_insert, xitems_insert, xitems_forwarded,
       xitems_reported),
    OP(PL_OP_EXCHANGE_IMPORT, xbatch_insert, xitems_insert),
    OP(PL_OP_EXCHANGE_ACK, xbatch_ack),
    OP(PL_OP_FILING_KEY, filing_key_insert),
    OP(PL_OP_RIGHTS_REKEY, app_rekey, pledge_rekey, pledge_rekey_debtors, rekey_done),
};

const char *pl_step_operation(pl_step step)
{
    return step >= 0 && step < PL_STEP_COUNT ? step_ops[step].name : NULL;
}

static const op *find_op(const char *name)
{
    for (size_t i = 0; i < sizeof step_ops / sizeof step_ops[0]; i++)
        if (step_ops[i].name && strcmp(step_ops[i].name, name) == 0)
            return &step_ops[i];
    for (size_t i = 0; i < sizeof other_ops / sizeof other_ops[0]; i++)
        if (strcmp(other_ops[i].name, name) == 0)
            return &other_ops[i];
    return NULL;
}

static const char sql_arrow2[] = "SELECT ?1 ->> ?2";
static const char sql_arrow1[] = "SELECT ?1 -> ?2";

/* Bind parameter @i of @st to what SQLite's -> (@text) or ->> gives for
 * the path that @name spells ("" for the value itself) in the @n bytes
 * of JSON at @json. */
static int bind_by_sqlite(pl_db *db, pl_err *e, sqlite3_stmt *st, int i, const char *json,
                          int n, const char *name, bool text)
{
    char path[256];
    size_t k = 0;
    sqlite3_stmt *q;
    int rc;

    path[k++] = '$';
    if (*name)
        path[k++] = '.';
    for (const char *c = name; *c && k + 1 < sizeof path; c++) {
        if (c[0] == '_' && c[1] == '_') {
            path[k++] = '.';
            c++;
        } else {
            path[k++] = *c;
        }
    }
    path[k] = '\0';
    if ((rc = pl_db_stmt(db, e, text ? sql_arrow1 : sql_arrow2, &q)))
        return rc;
    sqlite3_bind_text(q, 1, json, n, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, path, (int)k, SQLITE_STATIC);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        rc = sqlite3_bind_value(st, i, sqlite3_column_value(q, 0)) == SQLITE_OK ? 0
                                                                                 : SQLITE_NOMEM;
    if (rc)
        rc = pl_db_fail(db, e, rc, "applying an event");
    sqlite3_reset(q);
    return rc;
}

/* What the statements' parameters are bound to: the payload, the event,
 * and for a statement of one array element, the element and its place. */
typedef struct bind_ctx {
    const pl_payload *p;
    int64_t seq, at_us;
    const char *actor;
    int elem;    /* member index of the element, -1: none */
    int64_t idx; /* its position from 1 */
} bind_ctx;

static int bind_member(pl_db *db, pl_err *e, sqlite3_stmt *st, int i, const bind_ctx *c,
                       const char *name, bool text)
{
    const pl_payload *p = c->p;
    const pl_member *m, *from = NULL;

    if (c->elem >= 0 && strncmp(name, "elem", 4) == 0 && (!name[4] || name[4] == '_')) {
        /* $elem, $elem__x: the element (of a canonical payload), then x in it */
        from = &p->m[c->elem];
        name += name[4] ? 6 : 4;
        m = *name ? pl_payload_find(p, c->elem, name) : from;
    } else if (!p->plain) {
        return bind_by_sqlite(db, e, st, i, p->text, -1, name, text);
    } else {
        m = pl_payload_find(p, -1, name);
    }
    if (!m)
        return 0; /* no such member: NULL, as -> and ->> give */
    if (text) {
        /* canonical JSON is its own minified rendering */
        return sqlite3_bind_text(st, i, m->val, (int)m->vlen, SQLITE_STATIC) == SQLITE_OK
                   ? 0 : pl_err_oom(e);
    }
    switch (m->type) {
    case PL_J_STR:
        sqlite3_bind_text(st, i, m->val + 1, (int)m->vlen - 2, SQLITE_STATIC);
        return 0;
    case PL_J_ESC: {
        size_t len;
        char *s = pl_payload_unescape(m->val + 1, m->vlen - 2, &len);
        if (!s)
            return pl_err_oom(e);
        return sqlite3_bind_text64(st, i, s, len, sqlite3_free, SQLITE_UTF8) == SQLITE_OK
                   ? 0 : pl_err_oom(e);
    }
    case PL_J_INT:
        sqlite3_bind_int64(st, i, pl_payload_int(m));
        return 0;
    case PL_J_TRUE:
        sqlite3_bind_int(st, i, 1);
        return 0;
    case PL_J_FALSE:
        sqlite3_bind_int(st, i, 0);
        return 0;
    case PL_J_NULL:
        return 0;
    default:
        /* objects, arrays, \u escapes, other numbers: SQLite's reading */
        if (from)
            return bind_by_sqlite(db, e, st, i, from->val, (int)from->vlen, name, text);
        return bind_by_sqlite(db, e, st, i, p->text, -1, name, text);
    }
}

/* Bind every parameter of @st (see the statements above). */
static int bind_all(pl_db *db, pl_err *e, sqlite3_stmt *st, const bind_ctx *c)
{
    int n = sqlite3_bind_parameter_count(st), rc;

    for (int i = 1; i <= n; i++) {
        const char *name = sqlite3_bind_parameter_name(st, i);
        if (!name)
            return pl_err_set(e, PLEDGER_EINVAL, "applying an event: parameter %d has no "
                              "name", i);
        switch (name[0]) {
        case '$':
        case '@':
            if ((rc = bind_member(db, e, st, i, c, name + 1, name[0] == '@')))
                return rc;
            break;
        default:
            if (strcmp(name, ":seq") == 0)
                sqlite3_bind_int64(st, i, c->seq);
            else if (strcmp(name, ":at") == 0)
                sqlite3_bind_int64(st, i, c->at_us);
            else if (strcmp(name, ":actor") == 0)
                sqlite3_bind_text(st, i, c->actor, -1, SQLITE_STATIC);
            else if (strcmp(name, ":idx") == 0 && c->elem >= 0)
                sqlite3_bind_int64(st, i, c->idx);
            else
                return pl_err_set(e, PLEDGER_EINVAL, "applying an event: unknown "
                                  "parameter %s", name);
        }
    }
    return 0;
}

/* Run statement @sql once with @c. */
static int run(pl_db *db, pl_err *e, const char *sql, const bind_ctx *c)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = pl_db_stmt(db, e, sql, &st)))
        return rc;
    if ((rc = bind_all(db, e, st, c))) {
        sqlite3_clear_bindings(st);
        return rc;
    }
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "applying an event");
}

/* Run statement @sql of an operation: a statement over json_each once per
 * element when the payload is canonical and the member an array (none
 * when it is absent: json_each of NULL has no rows), else as it is. */
static int run_statement(pl_db *db, pl_err *e, const char *sql, bind_ctx *c)
{
    const pl_payload *p = c->p;

    for (size_t k = 0; p->plain && k < sizeof eaches / sizeof eaches[0]; k++) {
        if (eaches[k].sql != sql)
            continue;
        const pl_member *a = pl_payload_find(p, -1, eaches[k].array);
        if (!a)
            return 0;
        if (a->type != PL_J_ARRAY)
            break;
        int ai = (int)(a - p->m), rc;
        c->idx = 0;
        for (int j = ai + 1; j < p->n; j++) {
            if (p->m[j].parent != ai)
                continue;
            c->elem = j;
            c->idx++;
            rc = run(db, e, eaches[k].one, c);
            c->elem = -1;
            if (rc)
                return rc;
        }
        return 0;
    }
    return run(db, e, sql, c);
}

int pl_apply(pl_db *db, pl_err *e, const char *operation, const char *payload_text,
             int64_t seq, int64_t at_us, const char *actor)
{
    const op *o = find_op(operation);
    bind_ctx c = { .seq = seq, .at_us = at_us, .actor = actor, .elem = -1 };
    pl_payload *p;
    int rc = 0;

    if (!o)
        return pl_err_set(e, PLEDGER_ECORRUPT,
                          "journal event %" PRId64 ": unknown operation '%s'", seq, operation);
    if (!o->sql)
        return 0;
    if (!(p = malloc(sizeof *p)))
        return pl_err_oom(e);
    pl_payload_read(p, payload_text);
    c.p = p;
    for (const char *const *s = o->sql; *s; s++) {
        if ((rc = run_statement(db, e, *s, &c))) {
            rc = pl_err_prefix(e, "%s (event %" PRId64 ", statement %d)", operation, seq,
                               (int)(s - o->sql) + 1);
            break;
        }
    }
    free(p);
    return rc;
}

int pl_record(pl_db *db, pl_err *e, const pl_event *ev, int64_t *seq_out)
{
    int64_t seq;
    int rc = pl_journal_append(db, e, ev, &seq);

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
        "DELETE FROM certificate", "DELETE FROM pledge_version", "DELETE FROM pledge_debtor",
        "DELETE FROM pledge_right",
        "DELETE FROM pledge", "DELETE FROM review", "DELETE FROM application_right",
        "DELETE FROM exchange_item", "DELETE FROM exchange_batch",
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
