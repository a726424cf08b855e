/* What pledger knows about each right kind, state and severity: one table,
 * one place (docs/domain.md §1). */
#ifndef PL_MODEL_KINDS_H
#define PL_MODEL_KINDS_H

#include <stdbool.h>
#include <pledger/types.h>

typedef struct pl_kind_info {
    pledger_kind kind;
    const char *name;     /* API name, also the element name in documents */
    const char *code;     /* two letters used in numbers */
    const char *security; /* "pledge" or "mortgage" */
    bool several_pledges; /* several pledges on one right, ranked by time */
    bool needs_modcode;   /* later changes need the modification code */
    bool pledgee_files;   /* the pledgee alone may do what the registrar does */
} pl_kind_info;

/* NULL when @kind is not a kind. */
const pl_kind_info *pl_kind(int kind);
int pl_kind_from_name(const char *name);
/* The API name of @kind ("trademark", ...); NULL when not a kind. */
const char *pl_kind_name(int kind);

const char *pl_app_state_name(int state);
const char *pl_pledge_state_name(int state);
const char *pl_severity_name(int severity);
const char *pl_role_name(int role); /* NULL when not a role */
int pl_role_from_name(const char *name);

#endif
