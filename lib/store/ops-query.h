/* The backend operations of the bank queries (query/): statistics, the
 * due list, verification and search.  See store/backend.h for the rules
 * every operation follows. */
#ifndef PL_STORE_OPS_QUERY_H
#define PL_STORE_OPS_QUERY_H

#include <stdbool.h>
#include <stddef.h>
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

/* An application awaiting a decision or a correction (the due list). */
typedef struct pl_due_app {
    const char *uuid;
    int kind, state;
    int64_t submitted_at;            /* INT64_MIN: never submitted */
    int64_t updated_at;              /* the last change of state */
    int64_t correction_requested_at; /* INT64_MIN: none */
    int32_t correction_due;          /* INT32_MIN: none */
    const char *document;            /* a patent's document while accepted, else NULL */
} pl_due_app;

typedef int (*pl_due_app_fn)(void *arg, pl_err *e, const pl_due_app *app);

/* Which pledges the due list asks for. */
typedef enum pl_due_pledges {
    PL_DUE_PERIOD_END,   /* in force, period_end by the day */
    PL_DUE_OBJECTION,    /* under objection without litigation, objection_until by the day */
} pl_due_pledges;

/* A pledge and its due day (days since 1970-01-01). */
typedef int (*pl_due_pledge_fn)(void *arg, pl_err *e, const char *number, int kind,
                                int32_t day);

/* A pledge as verification and ranking need it, at an instant. */
typedef struct pl_pledge_brief {
    int64_t id;            /* the store's identifier of the pledge */
    int64_t registered_at;
    int kind, state;       /* state: of the version valid at the instant */
    size_t n_rights;
} pl_pledge_brief;

/* A certificate of a pledge (the code is valid during the call). */
typedef struct pl_cert_row {
    int version;
    int64_t issued_at;
    int64_t superseded_at; /* INT64_MIN: current */
    const char *code;      /* the verification code as stored */
} pl_cert_row;

typedef int (*pl_cert_row_fn)(void *arg, pl_err *e, const pl_cert_row *c);

/* Search plans: which criterion drives the walk (query/search.c says
 * why each exists); every other criterion of the spec is checked on the
 * rows the walk yields, except the party name, which the caller matches
 * on the row's names. */
typedef enum pl_search_plan {
    PL_SEARCH_ALL,     /* registration order */
    PL_SEARCH_KIND,    /* the pledges of one kind, in registration order */
    PL_SEARCH_RIGHT,   /* the pledges of the rights in [right_lo, right_hi) */
    PL_SEARCH_PLEDGOR, /* the pledges of the pledgor party_id */
    PL_SEARCH_PLEDGEE, /* the pledges of the pledgee party_id */
    PL_SEARCH_NAME,    /* the pledges whose parties' names match the name keys */
    PL_SEARCH_DEBTOR,  /* the receivables of debtor (and contract, when given) */
} pl_search_plan;

typedef struct pl_search_spec {
    int64_t at;                  /* versions valid at this instant; INT64_MIN: current */
    int64_t after_at, after_id;  /* rows after (registered_at, id) only */
    int64_t upper;               /* registered_at <= upper */
    int kind, state;             /* 0: any */
    const char *party_id;        /* normalised; NULL: any */
    int side;                    /* 0 either, 1 pledgor, 2 pledgee */
    const char *right_lo, *right_hi;
    const char *debtor;          /* the debtor plan's: a debtor's identifier, normalised */
    const char *contract;        /* and the contract number (pl_text_normalize_ref); NULL: any */
    int limit;                   /* rows at most; -1: no limit */
    /* the name plan's keys, and the rows' name columns when name_key is set */
    const char *name_key;        /* pl_text_name_key of the name */
    const char *name_core;       /* its similar-name key; NULL or "" when empty */
    bool name_long;              /* name_core has enough characters for suffixes */
    const char *name_shorter[2]; /* name_core less 2, 3 characters, or NULL */
    const char *name_en;         /* its English-name key, or NULL */
} pl_search_spec;

/* A row of a search: a pledge and its version valid at the instant (the
 * strings are valid during the call). */
typedef struct pl_search_row {
    int64_t pledge_id, registered_at;
    const char *number;
    int kind, state, version;
    const char *pledgor_name, *pledgor_key, *pledgor_id_type, *pledgor_id;
    const char *pledgee_name, *pledgee_key, *pledgee_id_type, *pledgee_id;
    int64_t amount;
    const char *currency;
    int32_t period_start, period_end;
    /* with a name_key only: each side's branch flag and similar-name key
     * as the name index holds them ("0闽江食品"), and whether the
     * reference register knows the side's party under name_en */
    const char *pledgor_core, *pledgee_core;
    bool pledgor_en, pledgee_en;
} pl_search_row;

/* 0: go on; > 0: stop (no error); < 0: a pledger code, stop. */
typedef int (*pl_search_row_fn)(void *arg, pl_err *e, const pl_search_row *row);

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

    /* Every application submitted, accepted or asked for a correction
     * (the strings are valid during the call). */
    int (*due_applications)(pl_db *db, pl_err *e, pl_due_app_fn row, void *arg);
    /* The pledges of @which whose day falls on or before @by_day, among
     * the versions valid at the instant @at_us. */
    int (*due_pledges)(pl_db *db, pl_err *e, pl_due_pledges which, int64_t at_us,
                       int32_t by_day, pl_due_pledge_fn row, void *arg);

    /* Verification and ranks.  An instant @as_of of INT64_MIN asks for
     * the current versions.  *@found is false (and 0 returned) when
     * there is no such pledge, or none at the instant. */
    int (*pledge_brief)(pl_db *db, pl_err *e, const char *number, int64_t as_of,
                        pl_pledge_brief *out, bool *found);
    /* The registration order of @number: its instant and identifier
     * (pledges registered at one instant are ordered by identifier). */
    int (*pledge_order)(pl_db *db, pl_err *e, const char *number, int64_t *registered_at,
                        int64_t *id, bool *found);
    /* For each right of pledge @pledge_id in order (at most @n), the
     * number of pledges in force at @as_of on the same right registered
     * before it (instant, then identifier); @before has room for @n. */
    int (*pledges_before)(pl_db *db, pl_err *e, int64_t pledge_id, int64_t registered_at,
                          int64_t as_of, int *before, size_t n);
    /* The certificates of pledge @pledge_id, oldest first. */
    int (*certificates)(pl_db *db, pl_err *e, int64_t pledge_id, pl_cert_row_fn row,
                        void *arg);

    /* Walk @plan over the pledges matching @spec, in registration order
     * (registered_at, then id), at most spec->limit rows. */
    int (*search)(pl_db *db, pl_err *e, pl_search_plan plan, const pl_search_spec *spec,
                  pl_search_row_fn row, void *arg);
};

#endif
