/* The registry handle and the helpers every api-*.c file uses to report
 * errors: a failure is recorded on the handle (or, without one, on the
 * calling thread). */
#ifndef PL_API_HANDLE_H
#define PL_API_HANDLE_H

#include <pledger/registry.h>

#include "base/error.h"
#include "store/db.h"

struct pledger_registry {
    pl_db *db;
    pl_err err;
    pledger_clock_fn clock;
    void *clock_payload;
    char office[17];
};

/* Start a public call: clears the handle's error.  Returns PLEDGER_EINVAL
 * (recorded on the thread) when @reg is NULL. */
int pl_api_enter(pledger_registry *reg, const char *fn);

/* The error sink of a call: the handle's, or the thread's. */
pl_err *pl_api_err(pledger_registry *reg);

/* Record an argument error naming the function and the parameter. */
int pl_api_bad_arg(pledger_registry *reg, const char *fn, const char *param,
                   const char *why);

int64_t pl_api_now(const pledger_registry *reg);

#endif
