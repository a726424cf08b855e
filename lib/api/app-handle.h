/* The application handle: a document plus what the registry says of it;
 * the review handle: its findings. */
#ifndef PL_API_APP_HANDLE_H
#define PL_API_APP_HANDLE_H

#include <pledger/application.h>

#include "model/application.h"
#include "rules/findings.h"

struct pledger_application {
    pl_doc *doc;
    char *uuid;                /* NULL until saved */
    pledger_app_state state;
    char *acceptance_number;   /* NULL until accepted */
    char *registration_number; /* NULL until registered */
};

/* The findings of a review (pledger_application_review/check). */
struct pledger_review {
    pl_findings f;
};

/* PLEDGER_EPERM unless the handle's actor filed the application @row
 * (for the applicant's sight PL_SIGHT_OWN). */
#include "workflow/app-flow.h"
int pl_api_own_application(pledger_registry *reg, const char *fn, const pl_app_row *row);

#endif
