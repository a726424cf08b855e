/* The application handle: a document plus what the registry says of it. */
#ifndef PL_API_APP_HANDLE_H
#define PL_API_APP_HANDLE_H

#include <pledger/application.h>

#include "model/application.h"

struct pledger_application {
    pl_doc *doc;
    char *uuid;                /* NULL until saved */
    pledger_app_state state;
    char *acceptance_number;   /* NULL until accepted */
    char *registration_number; /* NULL until registered */
};

#endif
