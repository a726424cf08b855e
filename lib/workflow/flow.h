/* The workflow (docs/design.md §3): the state machine of applications and
 * pledges, who may do what, and the steps themselves.  Each step runs in
 * one IMMEDIATE transaction together with its journal event. */
#ifndef PL_WORKFLOW_FLOW_H
#define PL_WORKFLOW_FLOW_H

#include <stdbool.h>
#include <stdint.h>
#include <pledger/types.h>

#include "base/json.h"
#include "store/db.h"
#include "store/steps.h"

/* Who acts, when, where: built by the API layer from the handle. */
typedef struct pl_ctx {
    pl_db *db;
    pl_err *e;
    const char *actor;
    pledger_role role;
    const char *office;   /* the handle's office code */
    int utc_offset;       /* minutes east of UTC of the registry's calendar */
    int site;             /* pledger_site of the registry (0: not known, an office) */
    bool self_filing;     /* bulk filing: the pledgee accepts and registers its own
                           * filing of a kind it files alone (bulk-flow.c) */
    struct pl_review_memo *review_memo; /* bulk filing, while it reviews (review.h) */
} pl_ctx;

/* Every step of the workflow: enum pl_step and the journal operation each
 * records, pl_step_operation(), in store/steps.h. */

typedef struct pl_step_rule {
    const char *name;     /* as in messages ("accept"); the journal's operation is
                           * pl_step_operation(step) */
    unsigned roles;       /* role bits (1u << pledger_role) allowed */
    unsigned from;        /* state bits (1u << state) it starts from */
    int to;               /* the state it leads to, 0: stays / depends */
    bool on_pledge;       /* from/to are pledge states, not application states */
} pl_step_rule;

const pl_step_rule *pl_step_rule_of(pl_step step);

/* PLEDGER_EPERM when the registry of @c is an acceptance point and @step
 * is one only an office takes (register, refuse, and every step on a
 * pledge); the message names the office that does. */
int pl_step_check_site(const pl_ctx *c, pl_step step);

/* PLEDGER_EPERM unless @role may take @step (for receivable pledges the
 * pledgee-filed steps also admit the applicant role). */
int pl_step_check_role(pl_err *e, pl_step step, pledger_role role, const char *actor,
                       int kind);
/* PLEDGER_ESTATE unless @state is a state @step starts from; the message
 * names the subject, its state and the step. */
int pl_step_check_state(pl_err *e, pl_step step, int state, const char *subject);

/* What each read call may return to each role: the reading twin of the
 * step table.  One row per kind of answer; the API layer asks
 * pl_read_check() before it reads, and masks what the row says. */
typedef enum pl_read {
    PL_READ_APPLICATION, /* a stored application: load, then get, count, to_xml */
    PL_READ_REVIEW,      /* findings of review and check (messages quote identifiers) */
    PL_READ_PLEDGE,      /* verify, search, snapshots, certificates, rank, compare */
    PL_READ_DUE,         /* the due list */
    PL_READ_STATS,       /* the figures of a period */
    PL_READ_JOURNAL,     /* journal verification (its messages quote payloads) */
    PL_READ_IMPORT,      /* the reference register's import report (rejected lines) */
    PL_READ_REPORTS,     /* search reports: who asked what (a bank: its own) */
    PL_READ_REPORTS_CHECK, /* the verification of every search report (all of them) */
    PL_READ_EXCHANGE,    /* the lines of the data line (pledger_exchange_status) */
    PL_READ_COUNT
} pl_read;

/* What a role sees of an answer. */
typedef enum pl_sight {
    PL_SIGHT_REFUSED, /* PLEDGER_EPERM */
    PL_SIGHT_MASKED,  /* resident identity numbers masked (query/mask.h) */
    PL_SIGHT_OWN,     /* in full, but only what the actor filed; refused otherwise */
    PL_SIGHT_FULL     /* in full */
} pl_sight;

/* The sight of @role (0: no actor set) on @read; PL_SIGHT_REFUSED for an
 * unknown role or read. */
pl_sight pl_read_sight(pl_read read, pledger_role role);

/* PLEDGER_EPERM (the message names @fn, the actor, the role and who may)
 * when @role may not have @read; else 0 and *@sight_out. */
int pl_read_check(pl_err *e, pl_read read, pledger_role role, const char *actor,
                  const char *fn, pl_sight *sight_out);

/* The step's instant: read once the step's write transaction holds the
 * lock (pl_db_now), so that no other writer commits a later one before
 * this step does.  Outside a transaction, the clock now. */
int64_t pl_ctx_now(const pl_ctx *c);
/* The registry-local date of the step's instant. */
int32_t pl_ctx_today(const pl_ctx *c);

/* Journal the step's change: an event at the step's instant by its actor
 * and role, with the payload @j holds (finished, or discarded on failure,
 * here). */
int pl_wf_record(const pl_ctx *c, const char *operation, const char *subject,
                 pl_json *j);

/* End a step: commit, or roll back when @rc says it failed (and return rc). */
int pl_step_finish(const pl_ctx *c, int rc);

/* Set the registry setting @key to @value (role registrar), journaled as
 * a "registry.setting" event in its own transaction. */
int pl_wf_setting_set(const pl_ctx *c, const char *key, const char *value);

/* The keys of rights made again when a migration asked for it (rekey.c):
 * in its own transaction, journaled as one "registry.rekey" event by the
 * library (actor "pledger", role "system") at the instant of the last
 * event (the clock's when there is none; the clock's instant is in the
 * payload as made_at); nothing when nothing is asked.  @utc_offset: the
 * registry's calendar, for the documents' dates.  Nothing either when
 * another handle holds the write lock beyond the busy timeout (it is
 * left to a later opening). */
int pl_wf_rights_rekey(pl_db *db, pl_err *e, int utc_offset);

/* PLEDGER_EINVAL unless @tz names a time zone (see settings.c). */
int pl_time_zone_check(pl_err *e, const char *tz);

/* The time zone of a registry that never set one. */
#define PL_DEFAULT_TIME_ZONE "Asia/Shanghai"

#endif
