/* Public review calls: the table of rules, and the check of a document
 * that stores nothing. */
#include <pledger/review.h>

#include <stdlib.h>
#include <string.h>

#include "api/app-handle.h"
#include "api/handle.h"
#include "base/i18n.h"
#include "query/mask.h"
#include "rules/review.h"
#include "rules/rules.h"
#include "workflow/app-flow.h"
#include "workflow/flow.h"

size_t pledger_review_rule_count(void) { return pl_rule_count(); }

const char *pledger_review_rule_code(size_t i)
{
    const pl_rule *r = pl_rule_at(i);
    return r ? r->code : NULL;
}

pledger_severity pledger_review_rule_severity(size_t i)
{
    const pl_rule *r = pl_rule_at(i);
    return r ? (pledger_severity)r->severity : 0;
}

unsigned pledger_review_rule_kinds(size_t i)
{
    const pl_rule *r = pl_rule_at(i);
    return r ? r->kinds : 0;
}

const char *pledger_review_rule_meaning(size_t i)
{
    const pl_rule *r = pl_rule_at(i);
    return r ? pl_tr(r->meaning) : NULL;
}

const char *pledger_review_rule_basis(size_t i)
{
    const pl_rule *r = pl_rule_at(i);
    return r ? pl_tr(r->basis) : NULL;
}

int pledger_review_rule_find(size_t *out, const char *code)
{
    static const char fn[] = "pledger_review_rule_find";
    pl_err *e = pl_err_thread();

    pl_err_clear(e);
    if (!out)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: out is NULL", fn);
    if (!code)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: code is NULL", fn);
    for (size_t i = 0, n = pl_rule_count(); i < n; i++) {
        if (strcmp(pl_rule_at(i)->code, code) == 0) {
            *out = i;
            return 0;
        }
    }
    return pl_err_set(e, PLEDGER_ENOTFOUND, "%s: no review rule has the code '%.64s'", fn,
                      code);
}

/* The stored application of @app in this registry, 0 when it has none. */
static int own_id(const pl_ctx *c, const pledger_application *app, int64_t *out)
{
    pl_app_row row;
    int rc;

    *out = 0;
    if (!app->uuid)
        return 0;
    rc = pl_wf_app_load(c, app->uuid, &row);
    if (rc == PLEDGER_ENOTFOUND) { /* saved to another registry */
        pl_err_clear(c->e);
        return 0;
    }
    if (rc)
        return rc;
    *out = row.id;
    pl_app_row_clear(&row);
    return 0;
}

int pledger_application_check(pledger_review **out, pledger_registry *reg,
                              pledger_application *app)
{
    static const char fn[] = "pledger_application_check";
    pledger_review *r = NULL;
    pl_app *a = NULL;
    pl_review_env env = { 0 };
    pl_ctx c;
    int rc, sight;

    if (out)
        *out = NULL;
    if ((rc = pl_api_enter(reg, fn)) || (rc = pl_api_read(reg, fn, PL_READ_REVIEW, &sight)))
        return rc;
    if (!out)
        return pl_api_bad_arg(reg, fn, "out", "is NULL");
    if (!app)
        return pl_api_bad_arg(reg, fn, "app", "is NULL");
    pl_api_ctx(reg, &c);
    memset(&env, 0, sizeof env);
    env.today = pl_ctx_today(&c);
    if ((rc = pl_doc_extract(app->doc, c.e, env.today, &a)))
        return rc;
    if (!(r = calloc(1, sizeof *r))) {
        pl_app_free(a);
        return pl_err_oom(c.e);
    }
    /* one snapshot for every lookup; nothing is written */
    if (!(rc = pl_db_read_begin(reg->db, c.e))) {
        if (!(rc = own_id(&c, app, &env.application_id)))
            rc = pl_review_run(reg->db, c.e, a, &env, &r->f);
        if (rc)
            pl_db_rollback(reg->db);
        else
            rc = pl_db_commit(reg->db, c.e);
    }
    pl_app_free(a);
    if (rc) {
        pledger_review_free(r);
        return rc;
    }
    if (sight == PL_SIGHT_MASKED)
        pl_mask_findings(&r->f);
    *out = r;
    return 0;
}
