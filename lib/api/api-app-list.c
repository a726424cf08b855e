/* Listing applications: an acceptance point's queue, an applicant's own
 * drafts (pledger_application_list). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pledger/application.h>

#include "api/handle.h"
#include "base/text.h"
#include "store/ops-flow.h"
#include "workflow/app-flow.h"

/* The states a filter may name: 1 (draft) to 9 (forwarded). */
#define ALL_STATES (((1u << (PLEDGER_APP_FORWARDED + 1)) - 1) & ~1u)
#define MAX_LIMIT 10000

typedef struct app_item {
    char *uuid, *filed_by, *acceptance_number, *registration_number;
    char *pledgor_name, *pledgee_name;
    pledger_kind kind;
    pledger_app_state state;
    int64_t saved_at, updated_at;
} app_item;

struct pledger_app_list {
    app_item *v;
    size_t n, cap;
};

typedef struct gather {
    pledger_app_list *l;
    const pl_ctx *c;
    unsigned states;
    int kind, limit;
} gather;

static void item_clear(app_item *it)
{
    free(it->uuid);
    free(it->filed_by);
    free(it->acceptance_number);
    free(it->registration_number);
    free(it->pledgor_name);
    free(it->pledgee_name);
}

/* A copy of @s, NULL for NULL; *@oom when it could not be made. */
static char *dup_or_null(const char *s, bool *oom)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        *oom = true;
    return d;
}

static int add(void *arg, pl_err *e, const pl_app_entry *a)
{
    gather *g = arg;
    pledger_app_list *l = g->l;
    pl_app_row row = { .state = a->state, .correction_due = a->correction_due };
    snprintf(row.uuid, sizeof row.uuid, "%s", a->uuid ? a->uuid : "");
    int state = pl_wf_app_state_on(g->c, &row);
    bool oom = false;

    if ((g->states && !(g->states & (1u << state))) || (g->kind && a->kind != g->kind))
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        app_item *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return pl_err_oom(e);
        l->v = v;
        l->cap = cap;
    }
    app_item *it = &l->v[l->n];
    *it = (app_item){ .kind = (pledger_kind)a->kind, .state = (pledger_app_state)state,
                      .saved_at = a->saved_at, .updated_at = a->updated_at };
    it->uuid = dup_or_null(a->uuid, &oom);
    it->filed_by = dup_or_null(a->filed_by, &oom);
    it->acceptance_number = dup_or_null(a->acceptance_number, &oom);
    it->registration_number = dup_or_null(a->registration_number, &oom);
    it->pledgor_name = dup_or_null(a->pledgor_name, &oom);
    it->pledgee_name = dup_or_null(a->pledgee_name, &oom);
    if (oom) {
        item_clear(it);
        return pl_err_oom(e);
    }
    return ++l->n >= (size_t)g->limit ? 1 : 0;
}

static int check_filter(pledger_registry *reg, const char *fn, const pledger_app_filter *f,
                        char after[PL_API_UUID_LEN + 1])
{
    int rc;

    if (!f)
        return pl_api_bad_arg(reg, fn, "filter", "is NULL");
    if (f->version != PLEDGER_APP_FILTER_VERSION)
        return pl_api_bad_arg(reg, fn, "filter.version", "is not PLEDGER_APP_FILTER_VERSION");
    if (f->states & ~ALL_STATES)
        return pl_api_bad_arg(reg, fn, "filter.states",
                              "has a bit that is no application state (bits 1 to 9)");
    if (f->kind && (f->kind < PLEDGER_KIND_TRADEMARK || f->kind > PLEDGER_KIND_LAND))
        return pl_api_bad_arg(reg, fn, "filter.kind", "is not a pledger_kind (1 to 7) or 0");
    if ((rc = pl_api_check_control(reg, fn, "filter.filed_by", f->filed_by, PL_TEXT_LINE)) ||
        (rc = pl_api_check_control(reg, fn, "filter.after", f->after, PL_TEXT_TRIMMED)))
        return rc;
    if (f->filed_by && !pl_api_line_ok(f->filed_by, PL_API_ACTOR_MAX, false))
        return pl_api_bad_arg(reg, fn, "filter.filed_by",
                              "must be 1 to 128 bytes of UTF-8 without control characters");
    if (f->limit < 1 || f->limit > MAX_LIMIT)
        return pl_api_bad_arg(reg, fn, "filter.limit", "must be 1 to 10000");
    /* a cursor is a UUID as typed (either case, spaces around); text no
     * one could have typed for one is refused, not looked for */
    if (f->after && !pl_api_line_ok(f->after, 256, false))
        return pl_api_bad_arg(reg, fn, "filter.after",
                              "must be an application's UUID: 1 to 256 bytes of UTF-8 without "
                              "control characters");
    if (f->after && (rc = pl_api_uuid(reg, fn, "filter.after", f->after, after)))
        return rc;
    return 0;
}

int pledger_application_list(pledger_app_list **out, pledger_registry *reg,
                             const pledger_app_filter *filter)
{
    static const char fn[] = "pledger_application_list";
    char after[PL_API_UUID_LEN + 1] = "";
    pledger_app_list *l;
    pl_ctx c;
    int rc, sight;

    if (out)
        *out = NULL;
    if ((rc = pl_api_enter(reg, fn)))
        return rc;
    if (!out)
        return pl_api_bad_arg(reg, fn, "out", "is NULL");
    if ((rc = check_filter(reg, fn, filter, after)) ||
        (rc = pl_api_read(reg, fn, PL_READ_APPLICATION, &sight)))
        return rc;
    pl_app_scan scan = { filter->filed_by, filter->states, 0 };
    if (sight == PL_SIGHT_OWN) {
        if (scan.filed_by && strcmp(scan.filed_by, reg->actor) != 0)
            return pl_err_set(&reg->err, PLEDGER_EPERM,
                              "%s: filter.filed_by: actor '%s' has role applicant and lists "
                              "its own applications only, not those of '%s'",
                              fn, reg->actor, scan.filed_by);
        scan.filed_by = reg->actor;
    }
    /* an application whose correction window closed is stored as awaiting
     * its correction and counts as withdrawn */
    if (scan.states & (1u << PLEDGER_APP_WITHDRAWN))
        scan.states |= 1u << PLEDGER_APP_CORRECTION_REQUESTED;
    if (!(l = calloc(1, sizeof *l)))
        return pl_err_oom(&reg->err);
    pl_api_ctx(reg, &c);
    gather g = { l, &c, filter->states, filter->kind, filter->limit };
    if ((rc = pl_db_read_begin(reg->db, &reg->err)) == 0) {
        bool found = true;
        if (*after && (rc = PL_OPS(reg->db, flow)->app_id(reg->db, &reg->err, after,
                                                          &scan.after_id, &found)) == 0 &&
            !found)
            rc = pl_err_set(&reg->err, PLEDGER_ENOTFOUND,
                            "filter.after: no application has UUID '%s'", after);
        if (!rc)
            rc = PL_OPS(reg->db, flow)->app_list(reg->db, &reg->err, &scan, add, &g);
        if (rc)
            pl_db_rollback(reg->db);
        else
            rc = pl_db_commit(reg->db, &reg->err);
    }
    if (rc) {
        pledger_app_list_free(l);
        return pl_err_prefix(&reg->err, "%s", fn);
    }
    *out = l;
    return 0;
}

#define ITEM(l, i) ((l) && (i) < (l)->n ? &(l)->v[i] : NULL)
#define GETTER(type, name, field, none)                                  \
    type pledger_app_list_##name(const pledger_app_list *l, size_t i)    \
    {                                                                    \
        const app_item *it = ITEM(l, i);                                 \
        return it ? it->field : none;                                    \
    }

size_t pledger_app_list_count(const pledger_app_list *l) { return l ? l->n : 0; }
GETTER(const char *, uuid, uuid, NULL)
GETTER(pledger_kind, kind, kind, 0)
GETTER(pledger_app_state, state, state, 0)
GETTER(const char *, filed_by, filed_by, NULL)
GETTER(int64_t, saved_at, saved_at, 0)
GETTER(int64_t, updated_at, updated_at, 0)
GETTER(const char *, acceptance_number, acceptance_number, NULL)
GETTER(const char *, registration_number, registration_number, NULL)
GETTER(const char *, pledgor_name, pledgor_name, NULL)
GETTER(const char *, pledgee_name, pledgee_name, NULL)

void pledger_app_list_free(pledger_app_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        item_clear(&l->v[i]);
    free(l->v);
    free(l);
}
