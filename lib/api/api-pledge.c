/* Public pledge calls: snapshots (now or at an instant), certificates,
 * changes after registration, the deadline sweep, the calendar and the
 * journal. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pledger/application.h>
#include <pledger/pledge.h>

#include "api/handle.h"
#include "store/sqlite.h"
#include "base/calendar.h"
#include "base/date.h"
#include "base/ident.h"
#include "model/certificate.h"
#include "model/kinds.h"
#include "query/mask.h"
#include "store/apply.h"
#include "store/state-check.h"
#include "store/pledge-row.h"
#include "workflow/pledge-common.h"
#include "workflow/flow.h"
#include "workflow/pledge-flow.h"

#define MAX_NUMBER 96

struct pledger_pledge {
    pl_pver v;
    char start[11], end[11];
    char *pledgor_id, *pledgee_id; /* as shown to the caller (maybe masked) */
    pl_pledge_history *history;
    size_t n_history;
    char **history_ops;
};

static const char sql_history[] =
    "SELECT version, operation, valid_from FROM pledge_version"
    " WHERE pledge_id = ?1 AND version <= ?2 ORDER BY version";
static const char sql_cert[] =
    "SELECT version, issued_at, superseded_at, verification_code, document FROM certificate"
    " WHERE pledge_id = (SELECT id FROM pledge WHERE registration_number = ?1)"
    " AND (?2 = 0 OR version = ?2) ORDER BY version DESC LIMIT 1";

static int read_history(pledger_registry *reg, pledger_pledge *p)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(reg->db, &reg->err, sql_history, &st);

    if (rc)
        return rc;
    p->history = calloc((size_t)p->v.version, sizeof *p->history);
    p->history_ops = calloc((size_t)p->v.version, sizeof *p->history_ops);
    if (!p->history || !p->history_ops)
        return pl_err_oom(&reg->err);
    sqlite3_bind_int64(st, 1, p->v.pledge_id);
    sqlite3_bind_int(st, 2, p->v.version);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && p->n_history < (size_t)p->v.version) {
        size_t i = p->n_history;
        if (!(p->history_ops[i] = strdup((const char *)sqlite3_column_text(st, 1)))) {
            sqlite3_reset(st);
            return pl_err_oom(&reg->err);
        }
        p->history[i].version = sqlite3_column_int(st, 0);
        p->history[i].operation = p->history_ops[i];
        p->history[i].at = sqlite3_column_int64(st, 2);
        p->n_history++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
                                                 : pl_db_fail(reg->db, &reg->err, rc,
                                                              "reading a pledge's history");
}

static int get(pledger_pledge **out, pledger_registry *reg, const char *fn, const char *number,
               int64_t at)
{
    pledger_pledge *p;
    int rc, sight;

    if (!out)
        return reg ? pl_api_bad_arg(reg, fn, "out", "is NULL")
                   : pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    if ((rc = pl_api_enter(reg, fn)) ||
        (rc = pl_api_check_str(reg, fn, "number", number, MAX_NUMBER, 1)) ||
        (rc = pl_api_read(reg, fn, PL_READ_PLEDGE, &sight)))
        return rc;
    if (!(p = calloc(1, sizeof *p)))
        return pl_err_oom(&reg->err);
    if ((rc = pl_pver_load(reg->db, &reg->err, number, at, &p->v)))
        goto fail;
    pl_date_format(p->v.period_start, p->start);
    pl_date_format(p->v.period_end, p->end);
    /* resident identity numbers masked for the role (query/mask.h),
     * in the snapshot itself, so its XML form is masked too */
    pl_mask_pver(&p->v, reg->role);
    p->pledgor_id = pl_mask_id(p->v.pledgor_id_type, p->v.pledgor_id, reg->role);
    p->pledgee_id = pl_mask_id(p->v.pledgee_id_type, p->v.pledgee_id, reg->role);
    if (!p->pledgor_id || !p->pledgee_id) {
        rc = pl_err_oom(&reg->err);
        goto fail;
    }
    if ((rc = read_history(reg, p)))
        goto fail;
    *out = p;
    return 0;
fail:
    pledger_pledge_free(p);
    return rc;
}

int pledger_pledge_get(pledger_pledge **out, pledger_registry *reg, const char *number)
{
    return get(out, reg, "pledger_pledge_get", number, INT64_MIN);
}

int pledger_pledge_get_at(pledger_pledge **out, pledger_registry *reg, const char *number,
                          int64_t at_us)
{
    if (at_us == INT64_MIN)
        at_us++;
    return get(out, reg, "pledger_pledge_get_at", number, at_us);
}

void pledger_pledge_free(pledger_pledge *p)
{
    if (!p)
        return;
    for (size_t i = 0; p->history_ops && i < p->n_history; i++)
        free(p->history_ops[i]);
    pl_pver_clear(&p->v);
    free(p->pledgor_id);
    free(p->pledgee_id);
    free(p->history_ops);
    free(p->history);
    free(p);
}

#define GET(type, name, expr, none)                                             \
    type name(const pledger_pledge *p) { return p ? (expr) : (none); }

GET(const char *, pledger_pledge_number, p->v.number, NULL)
GET(pledger_kind, pledger_pledge_kind, (pledger_kind)p->v.kind, 0)
GET(const char *, pledger_pledge_security, pl_kind(p->v.kind)->security, NULL)
GET(pledger_pledge_state, pledger_pledge_state_of, (pledger_pledge_state)p->v.state, 0)
GET(int, pledger_pledge_version, p->v.version, 0)
GET(int64_t, pledger_pledge_registered_at, p->v.registered_at, 0)
GET(int64_t, pledger_pledge_valid_from, p->v.valid_from, 0)
GET(int64_t, pledger_pledge_valid_to, p->v.valid_to, 0)
GET(const char *, pledger_pledge_pledgor_name, p->v.pledgor_name, NULL)
GET(const char *, pledger_pledge_pledgor_id, p->pledgor_id, NULL)
GET(const char *, pledger_pledge_pledgee_name, p->v.pledgee_name, NULL)
GET(const char *, pledger_pledge_pledgee_id, p->pledgee_id, NULL)
GET(int64_t, pledger_pledge_amount, p->v.amount, 0)
GET(const char *, pledger_pledge_currency, p->v.currency, NULL)
GET(const char *, pledger_pledge_period_start, p->start, NULL)
GET(const char *, pledger_pledge_period_end, p->end, NULL)
GET(const char *, pledger_pledge_acceptance_number, p->v.acceptance_number, NULL)
GET(const char *, pledger_pledge_application_uuid, p->v.application_uuid, NULL)
GET(size_t, pledger_pledge_right_count, p->v.n_rights, 0)

const char *pledger_pledge_right_id(const pledger_pledge *p, size_t i)
{
    return p && i < p->v.n_rights ? p->v.rights[i].identifier : NULL;
}

int pledger_pledge_to_xml(char **out, const pledger_pledge *p)
{
    pl_err *e = pl_err_thread();
    pl_cert_right *rights;
    int rc;

    pl_err_clear(e);
    if (!out)
        return pl_err_set(e, PLEDGER_EINVAL, "pledger_pledge_to_xml: out is NULL");
    *out = NULL;
    if (!p)
        return pl_err_set(e, PLEDGER_EINVAL, "pledger_pledge_to_xml: p is NULL");
    if (!(rights = calloc(p->v.n_rights ? p->v.n_rights : 1, sizeof *rights)))
        return pl_err_oom(e);
    for (size_t i = 0; i < p->v.n_rights; i++) {
        rights[i].kind = pl_kind(p->v.kind)->name;
        rights[i].identifier = p->v.rights[i].identifier;
        rights[i].classes = p->v.rights[i].classes;
    }
    pl_pledge_fields f = {
        .cert = {
            .registration_number = p->v.number,
            .version = p->v.version,
            .status = p->v.valid_to ? "superseded" : "current",
            .kind = (pledger_kind)p->v.kind,
            .security = pl_kind(p->v.kind)->security,
            .pledgor = { p->v.pledgor_name,
                         (pledger_id_type)pl_ident_type_from_name(p->v.pledgor_id_type),
                         p->pledgor_id },
            .pledgee = { p->v.pledgee_name,
                         (pledger_id_type)pl_ident_type_from_name(p->v.pledgee_id_type),
                         p->pledgee_id },
            .rights = rights,
            .n_rights = p->v.n_rights,
            .currency = p->v.currency,
            .amount = p->v.amount,
            .period_start = p->v.period_start,
            .period_end = p->v.period_end,
            .registered_at = p->v.registered_at,
            .issued_at = p->v.valid_from,
            .acceptance_number = p->v.acceptance_number,
            .application = p->v.application_uuid,
            .verification_code = NULL, /* only certificates carry it */
        },
        .state = (pledger_pledge_state)p->v.state,
        .valid_from = p->v.valid_from,
        .has_valid_to = p->v.valid_to != 0,
        .valid_to = p->v.valid_to,
        .history = p->history,
        .n_history = p->n_history,
    };
    rc = pl_pledge_to_xml(e, &f, out, NULL);
    free(rights);
    return rc;
}

int pledger_certificate_get(char **out, pledger_registry *reg, const char *number, int version)
{
    static const char fn[] = "pledger_certificate_get";
    sqlite3_stmt *st;
    pl_pver v;
    int rc, sight;

    if (!out)
        return reg ? pl_api_bad_arg(reg, fn, "out", "is NULL")
                   : pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    if ((rc = pl_api_enter(reg, fn)) ||
        (rc = pl_api_check_str(reg, fn, "number", number, MAX_NUMBER, 1)) ||
        (rc = pl_api_read(reg, fn, PL_READ_PLEDGE, &sight)))
        return rc;
    if (version < 0)
        return pl_api_bad_arg(reg, fn, "version", "is negative");
    if ((rc = pl_db_stmt(reg->db, &reg->err, sql_cert, &st)))
        return rc;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, version);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return pl_db_fail(reg->db, &reg->err, rc, "reading a certificate");
        return version ? pl_err_set(&reg->err, PLEDGER_ENOTFOUND,
                                    "%s: pledge '%s' has no certificate of version %d", fn,
                                    number, version)
                       : pl_err_set(&reg->err, PLEDGER_ENOTFOUND,
                                    "%s: no pledge is registered as '%s'", fn, number);
    }
    bool superseded = sqlite3_column_type(st, 2) != SQLITE_NULL;
    if (!superseded && !pl_mask_applies(reg->role)) {
        *out = strdup((const char *)sqlite3_column_text(st, 4));
        sqlite3_reset(st);
        return *out ? 0 : pl_err_oom(&reg->err);
    }
    /* A superseded certificate (the same document, saying so), or one
     * whose natural persons' identity numbers the caller may not see:
     * rebuilt from the version it was issued for. */
    int64_t issued = sqlite3_column_int64(st, 1);
    char code[PL_CODE_LEN + 1];
    snprintf(code, sizeof code, "%s", (const char *)sqlite3_column_text(st, 3));
    sqlite3_reset(st);
    if ((rc = pl_pver_load(reg->db, &reg->err, number, issued, &v)))
        return rc;
    pl_mask_pver(&v, reg->role);
    rc = pl_wf_certificate_xml(&reg->err, &v, issued, code, superseded, out);
    pl_pver_clear(&v);
    return rc;
}

/* ---- changes ------------------------------------------------------------------- */

static int enter_number(pledger_registry *reg, const char *fn, const char *number, pl_ctx *c)
{
    int rc = pl_api_enter(reg, fn);
    if (rc || (rc = pl_api_check_str(reg, fn, "number", number, MAX_NUMBER, 1)))
        return rc;
    pl_api_ctx(reg, c);
    return 0;
}

int pledger_pledge_change(pledger_registry *reg, const char *number,
                          const pledger_change *change, const char *modcode)
{
    static const char fn[] = "pledger_pledge_change";
    pl_ctx c;
    int rc = enter_number(reg, fn, number, &c);

    if (rc)
        return rc;
    if (!change)
        return pl_api_bad_arg(reg, fn, "change", "is NULL");
    if (change->version != PLEDGER_CHANGE_VERSION)
        return pl_api_bad_arg(reg, fn, "change->version",
                              "is not PLEDGER_CHANGE_VERSION (use PLEDGER_CHANGE_INIT)");
    if ((rc = pl_api_check_str(reg, fn, "change->pledgor_name", change->pledgor_name, 512, 0)) ||
        (rc = pl_api_check_str(reg, fn, "change->pledgee_name", change->pledgee_name, 512, 0)) ||
        (rc = pl_api_check_str(reg, fn, "change->note", change->note, 4096, 0)) ||
        (rc = pl_api_check_str(reg, fn, "modcode", modcode, 64, 0)))
        return rc;
    if (change->amount < -1 || change->amount == 0)
        return pl_api_bad_arg(reg, fn, "change->amount", "must be positive, or -1 for unchanged");
    pl_change_req r = { change->pledgor_name, change->pledgee_name, change->amount,
                        change->note };
    return pl_wf_change(&c, number, &r, modcode);
}

int pledger_pledge_extend(pledger_registry *reg, const char *number, const char *new_end,
                          const char *modcode)
{
    static const char fn[] = "pledger_pledge_extend";
    int32_t day;
    pl_ctx c;
    int rc = enter_number(reg, fn, number, &c);

    if (rc || (rc = pl_api_check_str(reg, fn, "new_end", new_end, 10, 1)) ||
        (rc = pl_api_check_str(reg, fn, "modcode", modcode, 64, 0)))
        return rc;
    if ((rc = pl_date_parse(&reg->err, new_end, &day)))
        return pl_err_prefix(&reg->err, "%s: new_end", fn);
    return pl_wf_extend(&c, number, day, modcode);
}

int pledger_pledge_cancel(pledger_registry *reg, const char *number, const char *modcode,
                          const char *note)
{
    static const char fn[] = "pledger_pledge_cancel";
    pl_ctx c;
    int rc = enter_number(reg, fn, number, &c);
    if (rc || (rc = pl_api_check_str(reg, fn, "modcode", modcode, 64, 0)) ||
        (rc = pl_api_check_str(reg, fn, "note", note, 4096, 0)))
        return rc;
    return pl_wf_cancel(&c, number, modcode, note);
}

int pledger_pledge_revoke(pledger_registry *reg, const char *number, const char *ground,
                          const char *note)
{
    static const char fn[] = "pledger_pledge_revoke";
    pl_ctx c;
    int rc = enter_number(reg, fn, number, &c);
    if (rc || (rc = pl_api_check_str(reg, fn, "ground", ground, 64, 1)) ||
        (rc = pl_api_check_str(reg, fn, "note", note, 4096, 0)))
        return rc;
    return pl_wf_revoke(&c, number, ground, note);
}

int pledger_pledge_object(pledger_registry *reg, const char *number, const char *objector,
                          const char *note)
{
    static const char fn[] = "pledger_pledge_object";
    pl_ctx c;
    int rc = enter_number(reg, fn, number, &c);
    if (rc || (rc = pl_api_check_str(reg, fn, "objector", objector, 512, 1)) ||
        (rc = pl_api_check_str(reg, fn, "note", note, 4096, 0)))
        return rc;
    return pl_wf_object(&c, number, objector, note);
}

int pledger_pledge_record_litigation(pledger_registry *reg, const char *number)
{
    pl_ctx c;
    int rc = enter_number(reg, "pledger_pledge_record_litigation", number, &c);
    return rc ? rc : pl_wf_litigation(&c, number);
}

int pledger_pledge_dismiss_objection(pledger_registry *reg, const char *number,
                                     const char *note)
{
    static const char fn[] = "pledger_pledge_dismiss_objection";
    pl_ctx c;
    int rc = enter_number(reg, fn, number, &c);
    if (rc || (rc = pl_api_check_str(reg, fn, "note", note, 4096, 0)))
        return rc;
    return pl_wf_dismiss_objection(&c, number, note);
}

int pledger_registry_expire(int *out, pledger_registry *reg)
{
    int count = 0, rc;
    pl_ctx c;

    if (out)
        *out = 0;
    if ((rc = pl_api_enter(reg, "pledger_registry_expire")))
        return rc;
    /* refused even when nothing is due: it is a writing call */
    if (pl_db_read_only(reg->db))
        return pl_err_set(&reg->err, PLEDGER_EREADONLY,
                          "pledger_registry_expire: registry '%s' was opened read-only",
                          pl_db_path(reg->db));
    pl_api_ctx(reg, &c);
    rc = pl_wf_expire(&c, &count);
    if (out)
        *out = count;
    return rc;
}

/* ---- calendar and journal ---------------------------------------------------------- */

int pledger_calendar_load(pledger_registry *reg, const char *text, size_t len)
{
    static const char fn[] = "pledger_calendar_load";
    pl_calendar *cal;
    pl_ctx c;
    int rc = pl_api_enter(reg, fn);

    if (rc)
        return rc;
    if (!text)
        return pl_api_bad_arg(reg, fn, "text", "is NULL");
    if (len > (16u << 20))
        return pl_api_bad_arg(reg, fn, "len", "is over 16 MiB");
    if (!(cal = pl_calendar_new()))
        return pl_err_oom(&reg->err);
    pl_api_ctx(reg, &c);
    if (!(rc = pl_calendar_parse(cal, &reg->err, text, len)))
        rc = pl_wf_calendar_store(&c, cal);
    pl_calendar_free(cal);
    return rc;
}

int pledger_calendar_add_working_days(char out[11], pledger_registry *reg, const char *date,
                                      int n)
{
    static const char fn[] = "pledger_calendar_add_working_days";
    pl_calendar *cal;
    int32_t day;
    int rc;

    if (!out)
        return reg ? pl_api_bad_arg(reg, fn, "out", "is NULL")
                   : pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: out is NULL", fn);
    out[0] = '\0';
    if ((rc = pl_api_enter(reg, fn)) || (rc = pl_api_check_str(reg, fn, "date", date, 10, 1)))
        return rc;
    if (n < 0 || n > 3650)
        return pl_api_bad_arg(reg, fn, "n", "must be 0 to 3650");
    if ((rc = pl_date_parse(&reg->err, date, &day)))
        return pl_err_prefix(&reg->err, "%s: date", fn);
    if ((rc = pl_wf_calendar_read(reg->db, &reg->err, &cal)))
        return rc;
    int32_t end = pl_calendar_add_working_days(cal, day, n);
    pl_calendar_free(cal);
    /* the answer must be a date "YYYY-MM-DD" can write */
    if (end > pl_days_from_civil(9999, 12, 31))
        return pl_err_set(&reg->err, PLEDGER_EINVAL, "%s: %d working days after %s is after "
                          "9999-12-31", fn, n, date);
    pl_date_format(end, out);
    return 0;
}

/* The chain from the first event, then (@state) the state tables against
 * the journal's replay. */
static int journal_verify(const char *fn, int64_t *bad_seq_out, int64_t *count_out,
                          pledger_registry *reg, bool state)
{
    int64_t bad = 0, count = 0;
    int rc, sight;

    if (!bad_seq_out)
        return reg ? pl_api_bad_arg(reg, fn, "bad_seq_out", "is NULL")
                   : pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: bad_seq_out is NULL", fn);
    *bad_seq_out = 0;
    if (count_out)
        *count_out = 0;
    if ((rc = pl_api_enter(reg, fn)) || (rc = pl_api_read(reg, fn, PL_READ_JOURNAL, &sight)))
        return rc;
    if ((rc = pl_db_read_begin(reg->db, &reg->err)))
        return rc;
    rc = pl_journal_verify(reg->db, &reg->err, &bad, &count);
    /* an intact chain: the state tables must be its replay */
    if (state && !rc && !bad)
        rc = pl_state_verify(reg->db, &reg->err, &bad);
    pl_db_rollback(reg->db);
    if (rc)
        return rc;
    *bad_seq_out = bad;
    if (count_out)
        *count_out = count;
    return 0;
}

int pledger_journal_verify(int64_t *bad_seq_out, int64_t *count_out, pledger_registry *reg)
{
    return journal_verify("pledger_journal_verify", bad_seq_out, count_out, reg, true);
}

int pledger_journal_verify_chain(int64_t *bad_seq_out, int64_t *count_out,
                                 pledger_registry *reg)
{
    return journal_verify("pledger_journal_verify_chain", bad_seq_out, count_out, reg, false);
}
