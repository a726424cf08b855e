/* The steps of the workflow and the journal operations they record.
 *
 * The step enum lives here, below the workflow (workflow/flow.h includes
 * this header), so that the store's table of journal operations
 * (store/apply.c) is indexed by it: a step the table does not know stops
 * the build, and a step names its operation with pl_step_operation()
 * instead of spelling it.  workflow/states.c keeps the rest of each
 * step's row: its name in messages, roles, the states it starts from and
 * the state it leads to. */
#ifndef PL_STORE_STEPS_H
#define PL_STORE_STEPS_H

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
    PL_STEP_EXCHANGE,
    PL_STEP_IMPORT, /* of the reference register (refreg/import.c) */
    PL_STEP_COUNT
} pl_step;

/* The journal operation @step records ("application.submit"), or NULL
 * for a step that records several (PL_STEP_EXCHANGE: the PL_OP_EXCHANGE_*
 * below) or an unknown step.  Defined with the operation's statements in
 * store/apply.c. */
const char *pl_step_operation(pl_step step);

/* Journal operations that are no step's own (store/apply.c lists them
 * apart from the steps' table):
 * - the save of a new application (PL_STEP_SAVE records
 *   "application.update" for a stored one); */
#define PL_OP_APP_CREATE "application.create"
/* - an objection that lapsed without litigation (the sweep, PL_STEP_EXPIRE,
 *   which records "pledge.expire" for an ended period); */
#define PL_OP_OBJECTION_LAPSE "pledge.objection_lapse"
/* - the data line (PL_STEP_EXCHANGE): a batch sent, a batch imported, a
 *   receipt taken, and the items of an imported batch, which are the
 *   other site's steps, not this registry's; */
#define PL_OP_EXCHANGE_EXPORT "exchange.export"
#define PL_OP_EXCHANGE_IMPORT "exchange.import"
#define PL_OP_EXCHANGE_ACK "exchange.ack"
#define PL_OP_APP_RECEIVE "application.receive"
#define PL_OP_APP_RECEIVE_CORRECTION "application.receive_correction"
#define PL_OP_APP_RESULT "application.result"
/* - the key a bulk filing was made under (PL_STEP_SAVE's batch,
 *   workflow/bulk-flow.c): the table filing_key; */
#define PL_OP_FILING_KEY "filing.key"
/* - the keys of rights made again after an upgrade of the library
 *   (workflow/rekey.c, at the first opening for writing); */
#define PL_OP_RIGHTS_REKEY "registry.rekey"
/* - the import of the reference register (PL_STEP_IMPORT's,
 *   refreg/import.c, which records it below the workflow): it changes no
 *   state. */
#define PL_OP_REGISTER_IMPORT "register_import"

#endif
