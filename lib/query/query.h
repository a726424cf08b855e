/* The bank queries (docs/domain.md §5, docs/design.md §3): verification, rank and order,
 * search, the due list and statistics.  Everything here only reads, from
 * the pledge versions valid at an instant (store/schema-workflow.c), with
 * cached prepared statements and the indexes of store/schema-query.c.
 *
 * Instants: PL_Q_CURRENT (INT64_MIN) asks for the current versions (those
 * with valid_to NULL); any other value t for the versions with
 * valid_from <= t < valid_to.  In SQL the current versions are those
 * valid at INT64_MAX, so one statement serves both. */
#ifndef PL_QUERY_QUERY_H
#define PL_QUERY_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pledger/types.h>

#include "base/error.h"
#include "store/db.h"
#include "store/pledge-row.h"

#define PL_Q_CURRENT INT64_MIN

/* In force: active or under objection (an objection does not release
 * the right). */
#define PL_Q_IN_FORCE(state)                                                   \
    ((state) == PLEDGER_PLEDGE_ACTIVE || (state) == PLEDGER_PLEDGE_UNDER_OBJECTION)

/* ---- verification, rank, order ------------------------------------------- */

enum { PL_Q_CODE_NOT_GIVEN = 0, PL_Q_CODE_MATCHED = 1, PL_Q_CODE_SUPERSEDED = 2 };

typedef struct pl_q_verify {
    pl_pver v;           /* the version valid at as_of, masked for the role */
    int64_t as_of;       /* PL_Q_CURRENT or an instant */
    int *ranks;          /* per right (v.n_rights), 0 when not in force */
    int rank;            /* the largest of ranks[] */
    int code_status;     /* PL_Q_CODE_* */
    int code_version;    /* the certificate the code belongs to, 0 without code */
    int64_t code_superseded_at;
    char start[11], end[11];
} pl_q_verify;

/* Verify @number at @as_of, with the certificate verification code @code
 * (normalised by pl_wf_code_normalize(); NULL: none).  PLEDGER_ENOTFOUND
 * for an unknown number or one not yet registered at @as_of;
 * PLEDGER_ECODE when @code is not the code of a certificate of the pledge
 * issued by @as_of.  One read transaction. */
int pl_q_verify_run(pl_db *db, pl_err *e, const char *number, int64_t as_of, const char *code,
                    pledger_role role, pl_q_verify *out);
void pl_q_verify_clear(pl_q_verify *q);

/* Per-right ranks of pledge @pledge_id of @kind registered at
 * @registered_at, among the pledges in force at @as_of on the same right;
 * @own_state is the pledge's state at @as_of (not in force: every rank 0).
 * @ranks has room for the pledge's rights in idx order (@n of them).
 * Kinds that allow one pledge per right rank 1 without a query. */
int pl_q_ranks(pl_db *db, pl_err *e, int64_t pledge_id, int kind, int64_t registered_at,
               int own_state, int64_t as_of, int *ranks, size_t n);

/* The pledge's rank at @as_of: the largest per-right rank, 0 when not in
 * force.  PLEDGER_ENOTFOUND as pl_q_verify_run(). */
int pl_q_rank(pl_db *db, pl_err *e, const char *number, int64_t as_of, int *out);

/* A registration number as a person typed it, as the registry keeps it,
 * written to @out (@out_size bytes, at least strlen(@in) + 1):
 * - @in itself when it is already folded, or a pledge has that number
 *   (one issued with lower-case letters or a space);
 * - else pl_text_normalize_ref(@in) -- full-width forms and letters' case
 *   as issued, white space and what shows nothing dropped, any dash '-'
 *   -- when a pledge has that: "r–fz01–tm–2024–000001 " finds
 *   R-FZ01-TM-2024-000001;
 * - else @in, so that a number found in neither form is named as typed.
 * Reads in its own read transaction (or joins the one held). */
int pl_q_number_kept(pl_db *db, pl_err *e, const char *in, char *out, size_t out_size);

/* -1 when @a was registered before @b (instant, then sequence), 1 after,
 * 0 when the same registration. */
int pl_q_compare(pl_db *db, pl_err *e, const char *a, const char *b, int *out);

/* ---- search --------------------------------------------------------------- */

enum { PL_Q_SIDE_EITHER = 0, PL_Q_SIDE_PLEDGOR = 1, PL_Q_SIDE_PLEDGEE = 2 };
enum { PL_Q_NAME_NONE = 0, PL_Q_NAME_EXACT = 1, PL_Q_NAME_SIMILAR = 2, PL_Q_NAME_BRANCH = 3 };

/* A validated search.  Strings are borrowed. */
typedef struct pl_q_search {
    int kind;                 /* 0: any */
    const char *right_lo;     /* right_key in [right_lo, right_hi); NULL: any */
    const char *right_hi;
    const char *party_id;     /* normalised; NULL: any */
    const char *name_key;     /* pl_text_name_key of the name; NULL: any */
    const char *name_folded;  /* pl_text_fold of the name (exact matches) */
    const char *name_core;    /* pl_text_name_core of the name; set by */
    bool name_branch;         /* pl_q_search_run() from name_folded */
    bool name_long;           /* name_core has SUFFIX_MIN characters or more */
    const char *name_shorter[2]; /* name_core less 2, 3 characters, or NULL */
    const char *name_en;      /* pl_text_english_key of the name when it has a
                               * Latin letter and the key is not empty, else
                               * NULL; set by pl_q_search_run() */
    int side;                 /* PL_Q_SIDE_* */
    int state;                /* 0: any */
    int64_t from_us;          /* registered_at >= from_us */
    int64_t to_us;            /* registered_at <= to_us */
    int64_t as_of;            /* PL_Q_CURRENT or an instant */
    int page_size;            /* 1.. */
    int64_t after_at;         /* resume after (after_at, after_id); */
    int64_t after_id;         /* INT64_MIN, -1 for the first page */
} pl_q_search;

typedef struct pl_q_hit {
    int64_t pledge_id;
    int64_t registered_at;
    char *number;
    int kind, state, version;
    char *pledgor_name, *pledgor_id;
    char *pledgee_name, *pledgee_id;
    int64_t amount;
    char *currency;
    char start[11], end[11];
    int name_match;           /* PL_Q_NAME_* */
    pl_pver full;             /* the version found, whole, masked for the role: read in
                               * the search's transaction (a page's hits only) */
} pl_q_hit;

typedef struct pl_q_page {
    pl_q_hit *hits;
    size_t n;
    bool more;                /* hits follow the last one */
} pl_q_page;

/* One page of hits in registration order, within one read transaction. */
int pl_q_search_run(pl_db *db, pl_err *e, const pl_q_search *s, pledger_role role,
                    pl_q_page *out);
void pl_q_page_clear(pl_q_page *p);

/* The range of right keys a search for @in among rights of @kind means
 * (see pledger_query.right_id): @in is folded first (full-width forms and
 * white space, pl_text_fold), then split at its first '/'.  *lo and *hi
 * are malloc'd.  PLEDGER_EINVAL saying what is malformed. */
int pl_q_right_range(pl_err *e, int kind, const char *in, char **lo, char **hi);

/* A party identifier normalised as stored: a valid USCC or resident
 * number, else a passport or foreign registration number.  @out has
 * @size bytes.  PLEDGER_EINVAL for anything else. */
int pl_q_party_id(pl_err *e, const char *in, char *out, size_t size);

/* Continuation tokens: "1.<registered_at>.<pledge id>". */
#define PL_Q_TOKEN_MAX 48
void pl_q_token_format(int64_t at, int64_t id, char out[PL_Q_TOKEN_MAX]);
int pl_q_token_parse(pl_err *e, const char *token, int64_t *at, int64_t *id);

/* ---- the due list --------------------------------------------------------- */

enum {
    PL_Q_DUE_ACCEPTANCE = 1,
    PL_Q_DUE_REGISTRATION = 2,
    PL_Q_DUE_CORRECTION = 3,
    PL_Q_DUE_EXPIRY = 4,
    PL_Q_DUE_OBJECTION = 5,
};

/* Working days the office has for each decision (docs/domain.md §4.9). */
#define PL_Q_ACCEPT_DAYS 2
#define PL_Q_REGISTER_DAYS_FAST 2 /* trademarks; patents filed online */
#define PL_Q_REGISTER_DAYS 5      /* everything else */

typedef struct pl_q_due_item {
    int what;
    char *subject;
    int kind;
    int32_t due;              /* days since 1970-01-01 */
    int days_left;
    char date[11];
} pl_q_due_item;

typedef struct pl_q_due {
    pl_q_due_item *items;
    size_t n;
    char today[11];   /* the day the list is for, "YYYY-MM-DD" */
} pl_q_due;

/* Everything due by today + @within days at instant @at (today: its
 * calendar day at @utc_offset minutes east of UTC). */
int pl_q_due_run(pl_db *db, pl_err *e, int64_t at, int utc_offset, int within, pl_q_due *out);
void pl_q_due_clear(pl_q_due *d);

/* ---- statistics ------------------------------------------------------------ */

typedef struct pl_q_sum {
    char *currency;
    int64_t registered;       /* -1: does not fit */
    int64_t active;           /* -1: does not fit */
} pl_q_sum;

typedef struct pl_q_stats {
    int64_t registrations, cancellations, active;
    pl_q_sum *sums;           /* sorted by currency */
    size_t n_sums;
} pl_q_stats;

/* Figures of the instants [@from_us, @end_us) for @kind (0: all) and
 * @office (NULL: all); "in force at the end" is at @end_us - 1. */
int pl_q_stats_run(pl_db *db, pl_err *e, int64_t from_us, int64_t end_us, int kind,
                   const char *office, pl_q_stats *out);
void pl_q_stats_clear(pl_q_stats *s);

#endif
