/* The backend operations of the bank queries (query/): statistics, the
 * due list, verification and search.  See store/backend.h for the rules
 * every operation follows. */
#ifndef PL_STORE_OPS_QUERY_H
#define PL_STORE_OPS_QUERY_H

#include <stdint.h>

#include "store/backend.h"

/* What the statistics count: pledges of @kind (0: every kind) at
 * @office (NULL: every office). */
typedef struct pl_stats_filter {
    int kind;
    const char *office;
} pl_stats_filter;

/* One currency's count of pledges and exact sum of amounts (minor units;
 * -1 when the sum does not fit in int64).  Rows come in currency order. */
typedef int (*pl_stats_row_fn)(void *arg, pl_err *e, const char *currency, int64_t count,
                               int64_t total);

struct pl_query_ops {
    /* Pledges registered in [@from_us, @end_us): per currency, their
     * count and the sum of their first versions' amounts. */
    int (*stats_registered)(pl_db *db, pl_err *e, int64_t from_us, int64_t end_us,
                            const pl_stats_filter *f, pl_stats_row_fn row, void *arg);
    /* Pledges in force at the instant @at_us: per currency, their count
     * and the sum of the amounts of their versions valid then. */
    int (*stats_in_force)(pl_db *db, pl_err *e, int64_t at_us, const pl_stats_filter *f,
                          pl_stats_row_fn row, void *arg);
    /* Cancellations that took effect in [@from_us, @end_us). */
    int (*stats_cancelled)(pl_db *db, pl_err *e, int64_t from_us, int64_t end_us,
                           const pl_stats_filter *f, int64_t *out);
};

#endif
