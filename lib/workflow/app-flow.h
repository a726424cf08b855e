/* The application steps of the workflow, by UUID. */
#ifndef PL_WORKFLOW_APP_FLOW_H
#define PL_WORKFLOW_APP_FLOW_H

#include "model/application.h"
#include "rules/findings.h"
#include "store/ops-flow.h"
#include "workflow/flow.h"

/* An application as stored: pl_app_row (store/ops-flow.h). */

/* The next id of a row of @table (a backend operation). */
int pl_wf_next_id(const pl_ctx *c, pl_id_of table, int64_t *out);
int pl_wf_app_load(const pl_ctx *c, const char *uuid, pl_app_row *out);
/* The stored document of @row, parsed (its SHA-256 checked) and extracted
 * at today's date: the caller frees *@app (pl_app_free) before *@doc. */
int pl_wf_stored_app(const pl_ctx *c, const pl_app_row *row, pl_doc **doc, pl_app **app);
/* The state of the application @row today: the recorded one, or, at an
 * office, withdrawn when a correction was requested and its 30 days ended
 * before today (deemed withdrawn, whether or not the sweep has recorded it
 * yet).  An acceptance point leaves that decision to its office for what
 * it forwarded, and makes it for a correction it asked for itself before
 * forwarding, as its sweep does. */
int pl_wf_app_state_on(const pl_ctx *c, const pl_app_row *row);

/* PLEDGER_EPERM unless the context's actor filed the application @row;
 * the message begins with @what (a function or step name).  Every step
 * an applicant takes on an application checks it, as does every read of
 * one by an applicant. */
int pl_wf_own_application(const pl_ctx *c, const char *what, const pl_app_row *row);

/* Create (when *uuid is NULL; *uuid receives the new UUID, malloc'd) or
 * replace the document of a draft/reviewed application. */
int pl_wf_save(const pl_ctx *c, pl_doc *doc, char **uuid);
int pl_wf_review(const pl_ctx *c, const char *uuid, pl_findings *out);
int pl_wf_submit(const pl_ctx *c, const char *uuid);
int pl_wf_accept(const pl_ctx *c, const char *uuid, char **number_out);
int pl_wf_request_correction(const pl_ctx *c, const char *uuid, const char *note);
int pl_wf_correct(const pl_ctx *c, const char *uuid, pl_doc *doc);
int pl_wf_register(const pl_ctx *c, const char *uuid, char **number_out, char **modcode_out);
int pl_wf_refuse(const pl_ctx *c, const char *uuid, const char *ground, const char *note);
int pl_wf_withdraw(const pl_ctx *c, const char *uuid, const char *reason);
/* The sweep's step: an application whose correction window closed before
 * today is deemed withdrawn.  Returns 1 (nothing done) when it no longer
 * qualifies.  No role check: the sweep checked it. */
int pl_wf_deem_withdrawn(const pl_ctx *c, const char *uuid);

/* An application an office receives from an acceptance point
 * (workflow/exchange-flow.c): accepted there at @at_us by @by. */
typedef struct pl_wf_received {
    const char *uuid;
    int kind;
    const char *document;
    size_t document_len;
    const char *digest;            /* SHA-256 of document, hex: its doc_hash */
    const char *acceptance_number, *office, *origin;
    int64_t at_us;
    const char *by;
} pl_wf_received;

/* Store it, accepted, and review it (*@findings); PLEDGER_ECONFLICT when
 * the UUID is already here.  No role check: the import checked. */
int pl_wf_receive(const pl_ctx *c, const pl_wf_received *in, pl_findings *findings);
/* Its corrected document (it awaits correction), accepted again, reviewed. */
int pl_wf_receive_correction(const pl_ctx *c, const pl_wf_received *in, pl_findings *findings);

/* An office's decision on an application this acceptance point
 * forwarded. */
typedef struct pl_wf_decision {
    const char *uuid;
    int state;            /* registered, correction_requested, refused, withdrawn */
    const char *number;   /* registered */
    const char *certificate;
    const char *ground, *note;
    int32_t due;          /* correction_requested; INT32_MIN: none */
    int64_t at_us;
    const char *by;
} pl_wf_decision;

int pl_wf_result(const pl_ctx *c, const pl_wf_decision *in);

#endif
