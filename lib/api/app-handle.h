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

#endif
