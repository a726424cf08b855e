/* Statistics of a period: counts and exact per-currency sums, from the
 * backend's statistics operations (store/ops-query.h). */
#include "query/query.h"
#include "store/ops-query.h"

#include <stdlib.h>
#include <string.h>

void pl_q_stats_clear(pl_q_stats *s)
{
    for (size_t i = 0; i < s->n_sums; i++)
        free(s->sums[i].currency);
    free(s->sums);
    memset(s, 0, sizeof *s);
}

static pl_q_sum *sum_for(pl_q_stats *s, pl_err *e, const char *currency)
{
    size_t i = 0;

    while (i < s->n_sums && strcmp(s->sums[i].currency, currency) < 0)
        i++;
    if (i < s->n_sums && strcmp(s->sums[i].currency, currency) == 0)
        return &s->sums[i];
    pl_q_sum *v = realloc(s->sums, (s->n_sums + 1) * sizeof *v);
    if (!v) {
        pl_err_oom(e);
        return NULL;
    }
    s->sums = v;
    memmove(&v[i + 1], &v[i], (s->n_sums - i) * sizeof *v);
    memset(&v[i], 0, sizeof *v);
    if (!(v[i].currency = strdup(currency))) {
        memmove(&v[i], &v[i + 1], (s->n_sums - i) * sizeof *v);
        pl_err_oom(e);
        return NULL;
    }
    s->n_sums++;
    return &v[i];
}

/* Adds one currency's row to the registered (@active false) or active
 * totals and its count to *count. */
typedef struct sum_acc {
    pl_q_stats *s;
    bool active;
    int64_t *count;
} sum_acc;

static int add_row(void *arg, pl_err *e, const char *currency, int64_t count, int64_t total)
{
    sum_acc *a = arg;
    pl_q_sum *sum = sum_for(a->s, e, currency);

    if (!sum)
        return PLEDGER_ENOMEM;
    *a->count += count;
    if (a->active)
        sum->active = total;
    else
        sum->registered = total;
    return 0;
}

int pl_q_stats_run(pl_db *db, pl_err *e, int64_t from_us, int64_t end_us, int kind,
                   const char *office, pl_q_stats *out)
{
    const pl_query_ops *q = PL_OPS(db, query);
    pl_stats_filter f = { kind, office };
    sum_acc registered = { out, false, &out->registrations }, active = { out, true, &out->active };
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = pl_db_read_begin(db, e)))
        return rc;
    if (!(rc = q->stats_registered(db, e, from_us, end_us, &f, add_row, &registered)) &&
        !(rc = q->stats_in_force(db, e, end_us - 1, &f, add_row, &active)))
        rc = q->stats_cancelled(db, e, from_us, end_us, &f, &out->cancellations);
    pl_db_rollback(db);
    if (rc)
        pl_q_stats_clear(out);
    return rc;
}
