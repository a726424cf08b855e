/* The workflow (DESIGN.md §2): the state machine of applications and
 * pledges, who may do what, and the steps themselves.  Each step runs in
 * one IMMEDIATE transaction together with its journal event. */
#ifndef PL_WORKFLOW_FLOW_H
#define PL_WORKFLOW_FLOW_H

#include <stdbool.h>
#include <stdint.h>
#include <pledger/types.h>

#include "store/db.h"

/* Who acts, when, where: built by the API layer from the handle. */
typedef struct pl_ctx {
    pl_db *db;
    pl_err *e;
    const char *actor;
    pledger_role role;
    const char *office;   /* the handle's office code */
    int utc_offset;       /* minutes east of UTC of the registry's calendar */
} pl_ctx;

/* Every step of the workflow. */
typedef enum pl_step {
    PL_STEP_SAVE,
    PL_STEP_REVIEW,
    PL_STEP_SUBMIT,
    PL_STEP_ACCEPT,
    PL_STEP_REQUEST_CORRECTION,
    PL_STEP_CORRECT,
    PL_STEP_REGISTER,
    PL_STEP_REFUSE,
    PL_STEP_WITHDRAW,
    PL_STEP_CHANGE,
    PL_STEP_EXTEND,
    PL_STEP_CANCEL,
    PL_STEP_REVOKE,
    PL_STEP_OBJECT,
    PL_STEP_LITIGATION,
    PL_STEP_DISMISS_OBJECTION,
    PL_STEP_EXPIRE,
    PL_STEP_CALENDAR,
    PL_STEP_SETTINGS,
    PL_STEP_COUNT
} pl_step;

typedef struct pl_step_rule {
    const char *name;     /* as in messages and the journal ("accept") */
    unsigned roles;       /* role bits (1u << pledger_role) allowed */
    unsigned from;        /* state bits (1u << state) it starts from */
    int to;               /* the state it leads to, 0: stays / depends */
    bool on_pledge;       /* from/to are pledge states, not application states */
} pl_step_rule;

const pl_step_rule *pl_step_rule_of(pl_step step);

/* PLEDGER_EPERM unless @role may take @step (for receivable pledges the
 * pledgee-filed steps also admit the applicant role). */
int pl_step_check_role(pl_err *e, pl_step step, pledger_role role, const char *actor,
                       int kind);
/* PLEDGER_ESTATE unless @state is a state @step starts from; the message
 * names the subject, its state and the step. */
int pl_step_check_state(pl_err *e, pl_step step, int state, const char *subject);

/* The step's instant: read once the step's write transaction holds the
 * lock (pl_db_now), so that no other writer commits a later one before
 * this step does.  Outside a transaction, the clock now. */
int64_t pl_ctx_now(const pl_ctx *c);
/* The registry-local date of the step's instant. */
int32_t pl_ctx_today(const pl_ctx *c);

/* End a step: commit, or roll back when @rc says it failed (and return rc). */
int pl_step_finish(const pl_ctx *c, int rc);

#endif
