/* The backend operations the workflow (workflow/) and the application
 * calls of the API read the registry with: applications, reviews,
 * identifiers and number sequences, the rights already pledged, the
 * deadline sweep and the calendar.  The workflow writes nothing through
 * them: every change is a journal event that store/apply.c applies.  A
 * pledge's rows are read with pl_pver_load (store/pledge-row.h).  See
 * store/backend.h for the rules every operation follows. */
#ifndef PL_STORE_OPS_FLOW_H
#define PL_STORE_OPS_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "store/backend.h"

/* An application as stored (owned by the caller: pl_app_row_clear). */
typedef struct pl_app_row {
    int64_t id;
    char uuid[37];
    int kind;
    int state;
    char *document;
    char doc_hash[65];
    char *acceptance_number;
    char *registration_number; /* its pledge's, or the office's (acceptance point) */
    int32_t correction_due;    /* INT32_MIN: none */
    int64_t accepted_us;       /* when it was accepted (0: not yet) */
} pl_app_row;

void pl_app_row_clear(pl_app_row *r);

/* The tables whose rows the workflow numbers itself (the identifier is in
 * the event's payload, so a replay makes the same rows). */
typedef enum pl_id_of {
    PL_ID_APPLICATION,
    PL_ID_REVIEW,
    PL_ID_PLEDGE,
    PL_ID_BATCH, /* a batch of the data line (store/ops-exchange.h) */
    PL_ID_COUNT
} pl_id_of;

/* The last review of an application. */
typedef struct pl_review_last {
    bool found;        /* false: never reviewed */
    bool same_doc;     /* it reviewed the document whose hash was given */
    int blocking, correctable;
} pl_review_last;

/* What the deadline sweep looks for (its subjects, in the order of the
 * rows: applications by id, pledges by id). */
typedef enum pl_sweep {
    PL_SWEEP_CORRECTIONS, /* applications whose correction window closed before the day,
                           * except what an acceptance point forwarded */
    PL_SWEEP_OBJECTIONS,  /* current versions under objection, no litigation, whose
                           * objection period ended before the day: pledge numbers */
    PL_SWEEP_ENDED,       /* current versions in force whose period ended before the day */
} pl_sweep;

/* An application as a list shows it (strings valid during the call;
 * NULL when the application has none). */
typedef struct pl_app_entry {
    const char *uuid;
    int kind;
    int state;                 /* as stored (see pl_wf_app_state_on) */
    int32_t correction_due;    /* INT32_MIN: none */
    const char *filed_by;
    int64_t saved_at, updated_at;
    const char *acceptance_number;
    const char *registration_number; /* its pledge's, or the office's */
    const char *pledgor_name, *pledgee_name;
} pl_app_entry;

/* Which applications pl_flow_ops.app_list reads. */
typedef struct pl_app_scan {
    const char *filed_by; /* NULL: any */
    unsigned states;      /* a bit (1u << state) per stored state; 0: any */
    int64_t after_id;     /* only ids above this one */
} pl_app_scan;

typedef int (*pl_app_entry_fn)(void *arg, pl_err *e, const pl_app_entry *a);

/* An application as the keys of its rights are stored (pl_flow_ops.
 * rights_stored): strings valid during the call. */
typedef struct pl_rights_stored {
    int64_t application_id;
    int64_t pledge_id; /* its pledge's, 0: not registered here */
    const char *document, *doc_hash;
    const char *const *app_keys;    /* application_right, by idx from 1 */
    size_t n_app_keys;
    const char *const *pledge_keys; /* pledge_right, by idx from 1 */
    size_t n_pledge_keys;
    size_t n_pledge_debtors;        /* its rows of pledge_debtor */
} pl_rights_stored;

typedef int (*pl_rights_stored_fn)(void *arg, pl_err *e, const pl_rights_stored *r);

/* One subject: an application's UUID or a pledge's number. */
typedef int (*pl_subject_fn)(void *arg, pl_err *e, const char *subject);
/* One day of the calendar. */
typedef int (*pl_calendar_day_fn)(void *arg, pl_err *e, int32_t day, int kind);

struct pl_flow_ops {
    /* Application @uuid (PLEDGER_ENOTFOUND: "no application has UUID ..."). */
    int (*app_load)(pl_db *db, pl_err *e, const char *uuid, pl_app_row *out);
    /* Whether the registry holds any application. */
    int (*apps_exist)(pl_db *db, pl_err *e, bool *out);
    /* The internal id of application @uuid; *@found false when none has it. */
    int (*app_id)(pl_db *db, pl_err *e, const char *uuid, int64_t *id, bool *found);
    /* The applications @scan selects, by id (the order they were saved). */
    int (*app_list)(pl_db *db, pl_err *e, const pl_app_scan *scan, pl_app_entry_fn row,
                    void *arg);
    /* Who filed application @app_id (*@actor allocated; NULL when not known). */
    int (*app_filer)(pl_db *db, pl_err *e, int64_t app_id, char **actor);
    /* The certificate of application @app_id: its pledge's first, or the
     * one its office sent (*@document allocated; NULL: none). */
    int (*app_certificate)(pl_db *db, pl_err *e, int64_t app_id, char **document);
    /* The last review of application @app_id, compared with @doc_hash. */
    int (*review_last)(pl_db *db, pl_err *e, int64_t app_id, const char *doc_hash,
                       pl_review_last *out);

    /* The next identifier of a row of @table. */
    int (*id_next)(pl_db *db, pl_err *e, pl_id_of table, int64_t *out);
    /* The next value of sequence @name in @scope (1 when it never ran);
     * the event that uses it advances it. */
    int (*sequence_next)(pl_db *db, pl_err *e, const char *name, const char *scope,
                         int64_t *out);

    /* The registration in force whose rights include right @key of @kind
     * (*@number allocated; NULL: none). */
    int (*right_pledged)(pl_db *db, pl_err *e, int kind, const char *key, char **number);

    /* The subjects of @which for the day @day (days since 1970). */
    int (*sweep_subjects)(pl_db *db, pl_err *e, pl_sweep which, int32_t day,
                          pl_subject_fn row, void *arg);
    /* The bulk filing @actor made under @key: *@digest (the SHA-256 of its
     * documents, hex) and *@applications (its UUIDs, a JSON array), both
     * allocated; both NULL when none was. */
    int (*filing_key_get)(pl_db *db, pl_err *e, const char *actor, const char *key,
                          char **digest, char **applications);
    /* The calendar's days, in order. */
    int (*calendar_days)(pl_db *db, pl_err *e, pl_calendar_day_fn row, void *arg);

    /* Whether a migration left work named @name to the workflow (store/
     * schema-filing.c: "right_keys"), which the event that does it clears,
     * and the instant of the journal's last event (*@last_at, 0 when it
     * has none): the event is recorded at that instant. */
    int (*upgrade_pending)(pl_db *db, pl_err *e, const char *name, bool *out,
                           int64_t *last_at);
    /* Every application of @kind, by id, with the keys its rights and its
     * pledge's rights are stored under, and how many debtors its pledge's
     * receivables have stored. */
    int (*rights_stored)(pl_db *db, pl_err *e, int kind, pl_rights_stored_fn row,
                         void *arg);
};

#endif
