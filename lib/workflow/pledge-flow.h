/* The pledge steps after registration, the deadline sweep and the
 * calendar. */
#ifndef PL_WORKFLOW_PLEDGE_FLOW_H
#define PL_WORKFLOW_PLEDGE_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "base/calendar.h"
#include "workflow/flow.h"

typedef struct pl_change_req {
    const char *pledgor_name; /* NULL: unchanged */
    const char *pledgee_name;
    int64_t amount;           /* -1: unchanged */
    const char *note;
} pl_change_req;

int pl_wf_change(const pl_ctx *c, const char *number, const pl_change_req *r,
                 const char *modcode);
int pl_wf_extend(const pl_ctx *c, const char *number, int32_t new_end, const char *modcode);
int pl_wf_cancel(const pl_ctx *c, const char *number, const char *modcode, const char *note);
int pl_wf_revoke(const pl_ctx *c, const char *number, const char *ground, const char *note);
int pl_wf_object(const pl_ctx *c, const char *number, const char *objector, const char *note);
int pl_wf_litigation(const pl_ctx *c, const char *number);
int pl_wf_dismiss_objection(const pl_ctx *c, const char *number, const char *note);

/* Apply every deadline passed at c->now; *count: steps taken. */
int pl_wf_expire(const pl_ctx *c, int *count);

/* Store the entries of @cal (journaled). */
int pl_wf_calendar_store(const pl_ctx *c, const pl_calendar *cal);
/* The registry's calendar (caller frees with pl_calendar_free). */
int pl_wf_calendar_read(pl_db *db, pl_err *e, pl_calendar **out);

#endif
