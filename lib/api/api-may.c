/* Public: whether the handle's actor may make a call that changes the
 * registry, or one of the verifications (pledger_may), from the
 * workflow's own rules. */
#include <string.h>

#include "api/handle.h"
#include "workflow/bulk-flow.h"
#include "workflow/flow.h"

/* The calls pledger_may() answers: those whose rule is the role's and the
 * site's alone (a pledge's change, extension or cancellation depends on
 * its kind too: a pledgee files its receivable's itself). */
static const struct {
    const char *call;
    int step; /* a pl_step; -1: bulk filing */
} calls[] = {
    { "pledger_application_save", PL_STEP_SAVE },
    { "pledger_application_save_keyed", PL_STEP_SAVE },
    { "pledger_application_replace", PL_STEP_SAVE },
    { "pledger_application_review", PL_STEP_REVIEW },
    { "pledger_application_submit", PL_STEP_SUBMIT },
    { "pledger_application_accept", PL_STEP_ACCEPT },
    { "pledger_application_request_correction", PL_STEP_REQUEST_CORRECTION },
    { "pledger_application_correct", PL_STEP_CORRECT },
    { "pledger_application_register", PL_STEP_REGISTER },
    { "pledger_application_refuse", PL_STEP_REFUSE },
    { "pledger_application_withdraw", PL_STEP_WITHDRAW },
    { "pledger_file_batch", -1 },
    { "pledger_file_batch_keyed", -1 },
    { "pledger_exchange_export", PL_STEP_EXCHANGE },
    { "pledger_exchange_import", PL_STEP_EXCHANGE },
    { "pledger_registry_expire", PL_STEP_EXPIRE },
    { "pledger_calendar_load", PL_STEP_CALENDAR },
    { "pledger_register_import", PL_STEP_IMPORT },
    { "pledger_register_import_memory", PL_STEP_IMPORT },
};

/* The reads it answers: the verifications, each of the whole journal or
 * of every search report, which a service runs apart and one at a time
 * (it asks before it makes a caller wait for a turn). */
static const struct {
    const char *call;
    pl_read read;
} reads[] = {
    { "pledger_journal_verify", PL_READ_JOURNAL },
    { "pledger_journal_verify_chain", PL_READ_JOURNAL },
    { "pledger_report_verify", PL_READ_REPORTS_CHECK },
};

int pledger_may(pledger_registry *reg, const char *call)
{
    static const char fn[] = "pledger_may";
    pl_ctx c;
    int rc;

    if ((rc = pl_api_enter(reg, fn)))
        return rc;
    if (!call)
        return pl_api_bad_arg(reg, fn, "call", "is NULL");
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        if (strcmp(call, calls[i].call) != 0)
            continue;
        if (!reg->actor)
            return pl_err_set(&reg->err, PLEDGER_EPERM,
                              "%s: no actor is set (call pledger_set_actor first)", call);
        pl_api_ctx(reg, &c);
        if (calls[i].step < 0) {   /* a bulk filing registers what it files */
            if (!(rc = pl_bulk_check_role(&c)))
                rc = pl_step_check_site(&c, PL_STEP_REGISTER);
        } else if (!(rc = pl_step_check_site(&c, (pl_step)calls[i].step))) {
            rc = pl_step_check_role(c.e, (pl_step)calls[i].step, c.role, c.actor, 0);
        }
        return rc;   /* the call's own words (which it may put after its name) */
    }
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        int sight;
        if (strcmp(call, reads[i].call) != 0)
            continue;
        if (!reg->actor)
            return pl_err_set(&reg->err, PLEDGER_EPERM,
                              "%s: no actor is set (call pledger_set_actor first)", call);
        return pl_api_read(reg, call, reads[i].read, &sight);
    }
    return pl_err_set(&reg->err, PLEDGER_EINVAL, "%s: call '%.64s' is not a call it answers "
                      "(the library's calls that change the registry, by name, but a "
                      "pledge's steps; the verifications of the journal and of the search "
                      "reports)", fn, call);
}
