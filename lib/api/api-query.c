/* Public bank queries (include/pledger/query.h): argument checks and the
 * opaque answers around lib/query. */
#include <stdlib.h>
#include <string.h>

#include <pledger/query.h>

#include "api/handle.h"
#include "api/snapshot.h"
#include "base/date.h"
#include "base/text.h"
#include "model/kinds.h"
#include "query/query.h"
#include "workflow/pledge-common.h"
#include "store/journal.h"
#include "workflow/flow.h"

#define MAX_RIGHT 256
#define MAX_PARTY_ID 64
#define MAX_NAME PL_API_PARTY_MAX
#define MAX_PAGE 10000
#define DEFAULT_PAGE 100

struct pledger_verification {
    pl_q_verify q;         /* its version moved into @pledge */
    pledger_pledge *pledge;
    uint64_t log_size;     /* read with the answer */
};

struct pledger_cursor {
    pl_q_page page;
    pledger_pledge **pledges; /* one per hit */
    size_t pos; /* 0: before the first hit; i + 1: on hit i */
    char token[PL_Q_TOKEN_MAX];
    uint64_t log_size; /* read with the page */
};

struct pledger_due {
    pl_q_due d;
};

struct pledger_stats {
    pl_q_stats s;
};

/* An out-parameter that is NULL: there is nowhere to put the answer. */
static int null_out(pledger_registry *reg, const char *fn, const char *param)
{
    return reg ? pl_api_bad_arg(reg, fn, param, "is NULL")
               : pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: %s is NULL", fn, param);
}

/* A failure of the query layer: its message, prefixed with the call. */
static int failed(pledger_registry *reg, const char *fn, int rc)
{
    pl_err_prefix(&reg->err, "%s", fn);
    return rc;
}

static int bad_version(pledger_registry *reg, const char *fn, const char *param,
                       unsigned version, unsigned known, const char *init)
{
    return pl_err_set(&reg->err, PLEDGER_EINVAL,
                      "%s: %s is %u; this library knows 1 to %u (initialise with %s)", fn,
                      param, version, known, init);
}

/* ---- verification ------------------------------------------------------------- */

int pledger_verify(pledger_verification **out, pledger_registry *reg, const char *number,
                   const pledger_verify_options *opts)
{
    static const char fn[] = "pledger_verify";
    char kept[PL_API_NUMBER_MAX + 1];
    static const pledger_verify_options defaults = PLEDGER_VERIFY_OPTIONS_INIT;
    pledger_verification *v;
    char code[20];
    int rc, sight;

    if (!out)
        return null_out(reg, fn, "out");
    *out = NULL;
    if ((rc = pl_api_enter(reg, fn)) ||
        (rc = pl_api_number(reg, fn, "number", number, kept)) ||
        (rc = pl_api_read(reg, fn, PL_READ_PLEDGE, &sight)))
        return rc;
    if (!opts)
        opts = &defaults;
    if (opts->version < 1 || opts->version > PLEDGER_VERIFY_OPTIONS_VERSION)
        return bad_version(reg, fn, "opts->version", opts->version,
                           PLEDGER_VERIFY_OPTIONS_VERSION, "PLEDGER_VERIFY_OPTIONS_INIT");
    if ((rc = pl_api_as_of(reg, fn, "opts->as_of", opts->as_of)))
        return rc;
    if (opts->code) {
        if ((rc = pl_api_check_str(reg, fn, "opts->code", opts->code, 64,
                                   PL_API_REQUIRED | PL_API_TRIMMED)))
            return rc;
        if ((rc = pl_wf_code_normalize(&reg->err, opts->code, code)))
            return pl_err_prefix(&reg->err, "%s: opts->code", fn);
    }
    if (!(v = calloc(1, sizeof *v)))
        return pl_err_oom(&reg->err);
    /* one read transaction for the answer and its snapshot's history: a
     * statement outside one is a read transaction of its own */
    if ((rc = pl_db_read_begin(reg->db, &reg->err))) {
        free(v);
        return failed(reg, fn, rc);
    }
    if ((rc = pl_q_verify_run(reg->db, &reg->err, kept, opts->as_of,
                              opts->code ? code : NULL, reg->role, &v->q))) {
        pl_db_rollback(reg->db);
        free(v);
        return failed(reg, fn, rc);
    }
    /* the version answered from, masked by the query layer, becomes the
     * answer's snapshot; the log it was read from */
    rc = pl_snap_from_pver(reg->db, &reg->err, &v->q.v, &v->pledge);
    if (!rc)
        rc = pl_journal_tree_size(reg->db, &reg->err, &v->log_size);
    pl_db_rollback(reg->db);
    if (rc) {
        pledger_verification_free(v);
        return failed(reg, fn, rc);
    }
    *out = v;
    return 0;
}

void pledger_verification_free(pledger_verification *v)
{
    if (!v)
        return;
    pledger_pledge_free(v->pledge);
    pl_q_verify_clear(&v->q);
    free(v);
}

const pledger_pledge *pledger_verification_pledge(const pledger_verification *v)
{
    return v ? v->pledge : NULL;
}

uint64_t pledger_verification_log_size(const pledger_verification *v)
{
    return v ? v->log_size : 0;
}

uint64_t pledger_cursor_log_size(const pledger_cursor *cur)
{
    return cur ? cur->log_size : 0;
}

#define VGET(type, name, expr, none)                                           \
    type name(const pledger_verification *v) { return v ? (expr) : (none); }

/* What the verification adds to its pledge. */
VGET(int64_t, pledger_verification_as_of, v->q.as_of, 0)
VGET(int, pledger_verification_rank, v->q.rank, 0)
VGET(pledger_code_status, pledger_verification_code_status,
     (pledger_code_status)v->q.code_status, PLEDGER_CODE_NOT_GIVEN)
VGET(int, pledger_verification_code_version, v->q.code_version, 0)
VGET(int64_t, pledger_verification_code_superseded_at, v->q.code_superseded_at, 0)

int pledger_verification_right_rank(const pledger_verification *v, size_t i)
{
    return v && i < pledger_pledge_right_count(v->pledge) ? v->q.ranks[i] : 0;
}

/* The deprecated getters of the pledge's fields (query.h): each is the
 * snapshot's getter of pledger_verification_pledge(), NULL or 0 for a
 * NULL answer. */
#define VPLEDGE(type, name, getter)                                            \
    type name(const pledger_verification *v) { return getter(pledger_verification_pledge(v)); }

VPLEDGE(const char *, pledger_verification_number, pledger_pledge_number)
VPLEDGE(pledger_kind, pledger_verification_kind, pledger_pledge_kind)
VPLEDGE(const char *, pledger_verification_security, pledger_pledge_security)
VPLEDGE(pledger_pledge_state, pledger_verification_state, pledger_pledge_state_of)
VPLEDGE(int, pledger_verification_version, pledger_pledge_version)
VPLEDGE(int64_t, pledger_verification_registered_at, pledger_pledge_registered_at)
VPLEDGE(int64_t, pledger_verification_valid_from, pledger_pledge_valid_from)
VPLEDGE(const char *, pledger_verification_pledgor_name, pledger_pledge_pledgor_name)
VPLEDGE(const char *, pledger_verification_pledgor_id, pledger_pledge_pledgor_id)
VPLEDGE(const char *, pledger_verification_pledgee_name, pledger_pledge_pledgee_name)
VPLEDGE(const char *, pledger_verification_pledgee_id, pledger_pledge_pledgee_id)
VPLEDGE(int64_t, pledger_verification_amount, pledger_pledge_amount)
VPLEDGE(const char *, pledger_verification_currency, pledger_pledge_currency)
VPLEDGE(const char *, pledger_verification_period_start, pledger_pledge_period_start)
VPLEDGE(const char *, pledger_verification_period_end, pledger_pledge_period_end)
VPLEDGE(size_t, pledger_verification_right_count, pledger_pledge_right_count)

const char *pledger_verification_right_id(const pledger_verification *v, size_t i)
{
    return pledger_pledge_right_id(pledger_verification_pledge(v), i);
}

/* ---- rank and order ------------------------------------------------------------- */

int pledger_rank(int *out, pledger_registry *reg, const char *number, int64_t at_us)
{
    static const char fn[] = "pledger_rank";
    char kept[PL_API_NUMBER_MAX + 1];
    int rc, sight;

    if (!out)
        return null_out(reg, fn, "out");
    *out = 0;
    if ((rc = pl_api_enter(reg, fn)) ||
        (rc = pl_api_number(reg, fn, "number", number, kept)) ||
        (rc = pl_api_read(reg, fn, PL_READ_PLEDGE, &sight)) ||
        (rc = pl_api_as_of(reg, fn, "at_us", at_us)))
        return rc;
    if ((rc = pl_q_rank(reg->db, &reg->err, kept, at_us, out)))
        return failed(reg, fn, rc);
    return 0;
}

int pledger_compare(int *out, pledger_registry *reg, const char *number_a, const char *number_b)
{
    static const char fn[] = "pledger_compare";
    char kept_a[PL_API_NUMBER_MAX + 1], kept_b[PL_API_NUMBER_MAX + 1];
    int rc, sight;

    if (!out)
        return null_out(reg, fn, "out");
    *out = 0;
    if ((rc = pl_api_enter(reg, fn)) ||
        (rc = pl_api_number(reg, fn, "number_a", number_a, kept_a)) ||
        (rc = pl_api_number(reg, fn, "number_b", number_b, kept_b)) ||
        (rc = pl_api_read(reg, fn, PL_READ_PLEDGE, &sight)))
        return rc;
    if ((rc = pl_q_compare(reg->db, &reg->err, kept_a, kept_b, out)))
        return failed(reg, fn, rc);
    return 0;
}

/* ---- search ------------------------------------------------------------------------ */

/* Everything a search needs that is built from the query. */
typedef struct search_args {
    pl_q_search s;
    char *right_lo, *right_hi;
    char party_id[MAX_PARTY_ID + 1];
    char *name_key, *name_folded;
} search_args;

static void search_args_clear(search_args *a)
{
    free(a->right_lo);
    free(a->right_hi);
    free(a->name_key);
    free(a->name_folded);
}

static int check_day(pledger_registry *reg, const char *fn, const char *param, const char *s,
                     int32_t *day)
{
    int rc = pl_api_check_str(reg, fn, param, s, 64, PL_API_REQUIRED | PL_API_TRIMMED);
    if (!rc && (rc = pl_date_read(&reg->err, s, day)))
        pl_err_prefix(&reg->err, "%s: %s", fn, param);
    return rc;
}

static int search_args_build(pledger_registry *reg, const pledger_query *q, search_args *a)
{
    static const char fn[] = "pledger_search";
    pl_q_search *s = &a->s;
    int32_t from, to;
    int rc;

    memset(a, 0, sizeof *a);
    if (!q)
        return pl_api_bad_arg(reg, fn, "query", "is NULL");
    if (q->version < 1 || q->version > PLEDGER_QUERY_VERSION)
        return bad_version(reg, fn, "query->version", q->version, PLEDGER_QUERY_VERSION,
                           "PLEDGER_QUERY_INIT");
    if (q->kind != 0 && !pl_kind(q->kind))
        return pl_err_set(&reg->err, PLEDGER_EINVAL,
                          "%s: query->kind %d is not a right kind (1 to 7, or 0 for any)", fn,
                          q->kind);
    s->kind = q->kind;
    if (q->right_id) {
        if ((rc = pl_api_check_str(reg, fn, "query->right_id", q->right_id, MAX_RIGHT,
                                   PL_API_REQUIRED | PL_API_TRIMMED)))
            return rc;
        if (!q->kind)
            return pl_api_bad_arg(reg, fn, "query->right_id",
                                  "needs query->kind: identifiers are normalised by kind");
        if ((rc = pl_q_right_range(&reg->err, q->kind, q->right_id, &a->right_lo,
                                   &a->right_hi)))
            return pl_err_prefix(&reg->err, "%s: query->right_id (%s)", fn,
                                 pl_kind(q->kind)->name);
        s->right_lo = a->right_lo;
        s->right_hi = a->right_hi;
    }
    if (q->party_id) {
        if ((rc = pl_api_check_str(reg, fn, "query->party_id", q->party_id, MAX_PARTY_ID,
                                   PL_API_REQUIRED | PL_API_TRIMMED)))
            return rc;
        if ((rc = pl_q_party_id(&reg->err, q->party_id, a->party_id, sizeof a->party_id)))
            return pl_err_prefix(&reg->err, "%s: query->party_id", fn);
        s->party_id = a->party_id;
    }
    if (q->party_name) {
        if ((rc = pl_api_check_str(reg, fn, "query->party_name", q->party_name, MAX_NAME,
                                   PL_API_REQUIRED | PL_API_TRIMMED)))
            return rc;
        if (!(a->name_folded = pl_text_fold(q->party_name)) ||
            !(a->name_key = pl_text_name_key(q->party_name)))
            return pl_err_oom(&reg->err);
        if (!*a->name_key)
            return pl_api_bad_arg(reg, fn, "query->party_name",
                                  "has nothing to search for once spaces and punctuation are "
                                  "removed");
        s->name_key = a->name_key;
        s->name_folded = a->name_folded;
    }
    if (q->party_side < PLEDGER_PARTY_EITHER || q->party_side > PLEDGER_PARTY_PLEDGEE)
        return pl_err_set(&reg->err, PLEDGER_EINVAL,
                          "%s: query->party_side %d is not a pledger_party_side", fn,
                          q->party_side);
    s->side = q->party_side;
    if (q->state != 0 && !pl_pledge_state_name(q->state))
        return pl_err_set(&reg->err, PLEDGER_EINVAL,
                          "%s: query->state %d is not a pledge state (1 to 5, or 0 for any)",
                          fn, q->state);
    s->state = q->state;
    s->from_us = INT64_MIN;
    s->to_us = INT64_MAX;
    if (q->registered_from) {
        if ((rc = check_day(reg, fn, "query->registered_from", q->registered_from, &from)))
            return rc;
        s->from_us = pl_instant_of_date(from, reg->utc_offset);
    }
    if (q->registered_to) {
        if ((rc = check_day(reg, fn, "query->registered_to", q->registered_to, &to)))
            return rc;
        if (q->registered_from && to < from)
            return pl_err_set(&reg->err, PLEDGER_EINVAL,
                              "%s: query->registered_to %s is before query->registered_from "
                              "%s", fn, q->registered_to, q->registered_from);
        s->to_us = pl_instant_of_date(to + 1, reg->utc_offset) - 1;
    }
    if ((rc = pl_api_as_of(reg, fn, "query->as_of", q->as_of)))
        return rc;
    s->as_of = q->as_of;
    if (q->page_size < 0)
        return pl_err_set(&reg->err, PLEDGER_EINVAL, "%s: query->page_size %d is negative", fn,
                          q->page_size);
    if (q->page_size > MAX_PAGE)
        return pl_err_set(&reg->err, PLEDGER_EINVAL,
                          "%s: query->page_size %d is over the limit of %d", fn, q->page_size,
                          MAX_PAGE);
    s->page_size = q->page_size ? q->page_size : DEFAULT_PAGE;
    s->after_at = INT64_MIN;
    s->after_id = INT64_MIN;
    if (q->after) {
        if ((rc = pl_api_check_str(reg, fn, "query->after", q->after, PL_Q_TOKEN_MAX,
                                   PL_API_REQUIRED | PL_API_TRIMMED)))
            return rc;
        if ((rc = pl_q_token_parse(&reg->err, q->after, &s->after_at, &s->after_id)))
            return pl_err_prefix(&reg->err, "%s: query->after", fn);
    }
    return 0;
}

int pledger_search(pledger_cursor **out, pledger_registry *reg, const pledger_query *query)
{
    static const char fn[] = "pledger_search";
    pledger_cursor *cur;
    search_args a;
    int rc, sight;

    if (!out)
        return null_out(reg, fn, "out");
    *out = NULL;
    if ((rc = pl_api_enter(reg, fn)) || (rc = pl_api_read(reg, fn, PL_READ_PLEDGE, &sight)))
        return rc;
    if ((rc = search_args_build(reg, query, &a))) {
        search_args_clear(&a);
        return rc;
    }
    if (!(cur = calloc(1, sizeof *cur))) {
        search_args_clear(&a);
        return pl_err_oom(&reg->err);
    }
    /* one read transaction for the page and its hits' snapshots */
    if ((rc = pl_db_read_begin(reg->db, &reg->err))) {
        search_args_clear(&a);
        free(cur);
        return failed(reg, fn, rc);
    }
    rc = pl_q_search_run(reg->db, &reg->err, &a.s, reg->role, &cur->page);
    search_args_clear(&a);
    if (rc) {
        pl_db_rollback(reg->db);
        free(cur);
        return failed(reg, fn, rc);
    }
    /* each hit's snapshot: the version the search read, whole */
    if (cur->page.n && !(cur->pledges = calloc(cur->page.n, sizeof *cur->pledges)))
        rc = pl_err_oom(&reg->err);
    for (size_t i = 0; !rc && i < cur->page.n; i++)
        rc = pl_snap_from_pver(reg->db, &reg->err, &cur->page.hits[i].full, &cur->pledges[i]);
    if (!rc)
        rc = pl_journal_tree_size(reg->db, &reg->err, &cur->log_size);
    pl_db_rollback(reg->db);
    if (rc) {
        pledger_cursor_free(cur);
        return failed(reg, fn, rc);
    }
    if (cur->page.more) {
        const pl_q_hit *last = &cur->page.hits[cur->page.n - 1];
        pl_q_token_format(last->registered_at, last->pledge_id, cur->token);
    }
    *out = cur;
    return 0;
}

int pledger_cursor_next(pledger_cursor *cur)
{
    if (!cur)
        return pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "pledger_cursor_next: cur is NULL");
    if (cur->pos < cur->page.n) {
        cur->pos++;
        return 1;
    }
    cur->pos = cur->page.n + 1;
    return 0;
}

size_t pledger_cursor_count(const pledger_cursor *cur) { return cur ? cur->page.n : 0; }

const char *pledger_cursor_continuation(const pledger_cursor *cur)
{
    return cur && cur->token[0] ? cur->token : NULL;
}

void pledger_cursor_free(pledger_cursor *cur)
{
    if (!cur)
        return;
    for (size_t i = 0; cur->pledges && i < cur->page.n; i++)
        pledger_pledge_free(cur->pledges[i]);
    free(cur->pledges);
    pl_q_page_clear(&cur->page);
    free(cur);
}

static const pl_q_hit *hit(const pledger_cursor *cur)
{
    return cur && cur->pos >= 1 && cur->pos <= cur->page.n ? &cur->page.hits[cur->pos - 1]
                                                           : NULL;
}

const pledger_pledge *pledger_cursor_pledge(const pledger_cursor *cur)
{
    return hit(cur) ? cur->pledges[cur->pos - 1] : NULL;
}

pledger_name_match pledger_cursor_name_match(const pledger_cursor *cur)
{
    const pl_q_hit *h = hit(cur);
    return h ? (pledger_name_match)h->name_match : PLEDGER_NAME_MATCH_NONE;
}

/* The deprecated getters of the pledge's fields (query.h): each is the
 * snapshot's getter of pledger_cursor_pledge(), NULL or 0 off a hit. */
#define CPLEDGE(type, name, getter)                                            \
    type name(const pledger_cursor *cur) { return getter(pledger_cursor_pledge(cur)); }

CPLEDGE(const char *, pledger_cursor_number, pledger_pledge_number)
CPLEDGE(pledger_kind, pledger_cursor_kind, pledger_pledge_kind)
CPLEDGE(pledger_pledge_state, pledger_cursor_state, pledger_pledge_state_of)
CPLEDGE(int, pledger_cursor_version, pledger_pledge_version)
CPLEDGE(int64_t, pledger_cursor_registered_at, pledger_pledge_registered_at)
CPLEDGE(const char *, pledger_cursor_pledgor_name, pledger_pledge_pledgor_name)
CPLEDGE(const char *, pledger_cursor_pledgor_id, pledger_pledge_pledgor_id)
CPLEDGE(const char *, pledger_cursor_pledgee_name, pledger_pledge_pledgee_name)
CPLEDGE(const char *, pledger_cursor_pledgee_id, pledger_pledge_pledgee_id)
CPLEDGE(int64_t, pledger_cursor_amount, pledger_pledge_amount)
CPLEDGE(const char *, pledger_cursor_currency, pledger_pledge_currency)
CPLEDGE(const char *, pledger_cursor_period_start, pledger_pledge_period_start)
CPLEDGE(const char *, pledger_cursor_period_end, pledger_pledge_period_end)

/* ---- the due list ------------------------------------------------------------------ */

int pledger_due_get(pledger_due **out, pledger_registry *reg, const pledger_due_options *opts)
{
    static const char fn[] = "pledger_due_get";
    static const pledger_due_options defaults = PLEDGER_DUE_OPTIONS_INIT;
    pledger_due *d;
    int rc, sight;

    if (!out)
        return null_out(reg, fn, "out");
    *out = NULL;
    if ((rc = pl_api_enter(reg, fn)))
        return rc;
    if (!opts)
        opts = &defaults;
    if (opts->version < 1 || opts->version > PLEDGER_DUE_OPTIONS_VERSION)
        return bad_version(reg, fn, "opts->version", opts->version,
                           PLEDGER_DUE_OPTIONS_VERSION, "PLEDGER_DUE_OPTIONS_INIT");
    if (opts->within_days < 0 || opts->within_days > 3650)
        return pl_err_set(&reg->err, PLEDGER_EINVAL,
                          "%s: opts->within_days %d must be 0 to 3650", fn, opts->within_days);
    if ((rc = pl_api_read(reg, fn, PL_READ_DUE, &sight)))
        return rc;
    if (!(d = calloc(1, sizeof *d)))
        return pl_err_oom(&reg->err);
    int64_t at = opts->at == PLEDGER_AS_OF_CURRENT ? pl_api_now(reg) : opts->at;
    if ((rc = pl_q_due_run(reg->db, &reg->err, at, reg->utc_offset, opts->within_days,
                           &d->d))) {
        free(d);
        return failed(reg, fn, rc);
    }
    *out = d;
    return 0;
}

void pledger_due_free(pledger_due *due)
{
    if (!due)
        return;
    pl_q_due_clear(&due->d);
    free(due);
}

static const pl_q_due_item *item(const pledger_due *due, size_t i)
{
    return due && i < due->d.n ? &due->d.items[i] : NULL;
}

size_t pledger_due_count(const pledger_due *due) { return due ? due->d.n : 0; }

pledger_due_what pledger_due_what_of(const pledger_due *due, size_t i)
{
    const pl_q_due_item *it = item(due, i);
    return it ? (pledger_due_what)it->what : (pledger_due_what)0;
}

const char *pledger_due_subject(const pledger_due *due, size_t i)
{
    const pl_q_due_item *it = item(due, i);
    return it ? it->subject : NULL;
}

pledger_kind pledger_due_kind(const pledger_due *due, size_t i)
{
    const pl_q_due_item *it = item(due, i);
    return it ? (pledger_kind)it->kind : (pledger_kind)0;
}

const char *pledger_due_today(const pledger_due *due)
{
    return due ? due->d.today : NULL;
}

const char *pledger_due_date(const pledger_due *due, size_t i)
{
    const pl_q_due_item *it = item(due, i);
    return it ? it->date : NULL;
}

int pledger_due_days_left(const pledger_due *due, size_t i)
{
    const pl_q_due_item *it = item(due, i);
    return it ? it->days_left : 0;
}

const char *pledger_due_what_name(pledger_due_what what)
{
    static const char *const names[] = { NULL, "acceptance", "registration", "correction",
                                         "expiry", "objection" };
    return what >= 1 && what <= PLEDGER_DUE_OBJECTION ? names[what] : NULL;
}

/* ---- statistics --------------------------------------------------------------------- */

int pledger_stats_get(pledger_stats **out, pledger_registry *reg, const pledger_stats_query *q)
{
    static const char fn[] = "pledger_stats_get";
    pledger_stats *s;
    int32_t from, to;
    int rc, sight;

    if (!out)
        return null_out(reg, fn, "out");
    *out = NULL;
    if ((rc = pl_api_enter(reg, fn)) || (rc = pl_api_read(reg, fn, PL_READ_STATS, &sight)))
        return rc;
    if (!q)
        return pl_api_bad_arg(reg, fn, "q", "is NULL");
    if (q->version < 1 || q->version > PLEDGER_STATS_QUERY_VERSION)
        return bad_version(reg, fn, "q->version", q->version, PLEDGER_STATS_QUERY_VERSION,
                           "PLEDGER_STATS_QUERY_INIT");
    if ((rc = check_day(reg, fn, "q->from", q->from, &from)) ||
        (rc = check_day(reg, fn, "q->to", q->to, &to)))
        return rc;
    if (to < from)
        return pl_err_set(&reg->err, PLEDGER_EINVAL, "%s: q->to %s is before q->from %s", fn,
                          q->to, q->from);
    if (q->kind != 0 && !pl_kind(q->kind))
        return pl_err_set(&reg->err, PLEDGER_EINVAL,
                          "%s: q->kind %d is not a right kind (1 to 7, or 0 for all)", fn,
                          q->kind);
    if (q->office && !pl_api_office_code_valid(q->office))
        return pl_api_bad_arg(reg, fn, "q->office",
                              "must be 1 to 16 characters of A-Z, 0-9 and '-'");
    if (!(s = calloc(1, sizeof *s)))
        return pl_err_oom(&reg->err);
    if ((rc = pl_q_stats_run(reg->db, &reg->err, pl_instant_of_date(from, reg->utc_offset),
                             pl_instant_of_date(to + 1, reg->utc_offset), q->kind, q->office,
                             &s->s))) {
        free(s);
        return failed(reg, fn, rc);
    }
    *out = s;
    return 0;
}

void pledger_stats_free(pledger_stats *s)
{
    if (!s)
        return;
    pl_q_stats_clear(&s->s);
    free(s);
}

int64_t pledger_stats_registrations(const pledger_stats *s) { return s ? s->s.registrations : 0; }
int64_t pledger_stats_cancellations(const pledger_stats *s) { return s ? s->s.cancellations : 0; }
int64_t pledger_stats_active(const pledger_stats *s) { return s ? s->s.active : 0; }
size_t pledger_stats_currency_count(const pledger_stats *s) { return s ? s->s.n_sums : 0; }

const char *pledger_stats_currency(const pledger_stats *s, size_t i)
{
    return s && i < s->s.n_sums ? s->s.sums[i].currency : NULL;
}

int64_t pledger_stats_amount_registered(const pledger_stats *s, size_t i)
{
    return s && i < s->s.n_sums ? s->s.sums[i].registered : -1;
}

int64_t pledger_stats_amount_active(const pledger_stats *s, size_t i)
{
    return s && i < s->s.n_sums ? s->s.sums[i].active : -1;
}
