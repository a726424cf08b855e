/* The backend operations of the review (rules/): what the registry's own
 * pledges and applications say about a right.  See store/backend.h for
 * the rules every operation follows; the reference register's lookups
 * are store/ops-refreg.h's. */
#ifndef PL_STORE_OPS_REVIEW_H
#define PL_STORE_OPS_REVIEW_H

#include <stdint.h>

#include <pledger/types.h>

#include "store/backend.h"

/* A pledge on a right: its number (valid during the call) and state. */
typedef int (*pl_review_pledge_fn)(void *arg, pl_err *e, const char *number, int state);

/* An application naming a right: its acceptance number (NULL before
 * acceptance), uuid (valid during the call) and state. */
typedef int (*pl_review_app_fn)(void *arg, pl_err *e, const char *acceptance_number,
                                const char *uuid, int state);

/* A row function returns 0 to go on, > 0 to stop (no error), or a
 * pledger code (< 0) to stop with it. */
struct pl_review_ops {
    /* The pledges in force (current versions) on the right of @kind whose
     * key is @key, oldest registration first. */
    int (*pledges_on_right)(pl_db *db, pl_err *e, pledger_kind kind, const char *key,
                            pl_review_pledge_fn row, void *arg);
    /* The pledges in force (current versions) on a receivable whose
     * debtors include @debtor (a normalised identifier) under the contract
     * number @contract (normalised, as the receivable's key ends), other
     * than those on the receivable whose key is @except: the receivables
     * that may be this one with its debtors listed otherwise.  Oldest
     * registration first, one row per pledge. */
    int (*pledges_sharing_debtor)(pl_db *db, pl_err *e, const char *debtor,
                                  const char *contract, const char *except,
                                  pl_review_pledge_fn row, void *arg);
    /* The applications of @kind, pending (draft to accepted: states 1 to
     * 5), naming the right whose key is @key, other than the application
     * @except (the store's identifier; 0: none), oldest first. */
    int (*applications_on_right)(pl_db *db, pl_err *e, pledger_kind kind, const char *key,
                                 int64_t except, pl_review_app_fn row, void *arg);
};

#endif
