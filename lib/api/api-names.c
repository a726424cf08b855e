/* Names of the public enumerations, and pledger_free(). */
#include <stdlib.h>

#include <pledger/application.h>

#include "model/kinds.h"

void pledger_free(void *ptr) { free(ptr); }

const char *pledger_kind_name(pledger_kind kind)
{
    const pl_kind_info *k = pl_kind((int)kind);
    return k ? k->name : NULL;
}

int pledger_kind_from_name(const char *name) { return pl_kind_from_name(name); }

const char *pledger_app_state_name(pledger_app_state state)
{
    return pl_app_state_name((int)state);
}

const char *pledger_pledge_state_name(pledger_pledge_state state)
{
    return pl_pledge_state_name((int)state);
}

const char *pledger_severity_name(pledger_severity severity)
{
    return pl_severity_name((int)severity);
}
