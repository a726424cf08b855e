/* The backend operations of the data line between an acceptance point and
 * its office (workflow/exchange-flow.c): the batches sent and imported,
 * what the next batch carries, the lines' status.  The batches themselves
 * are written by the journal events "exchange.export", "exchange.import"
 * and "exchange.ack" (store/apply.c).  See store/backend.h for the rules
 * every operation follows. */
#ifndef PL_STORE_OPS_EXCHANGE_H
#define PL_STORE_OPS_EXCHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/backend.h"

/* A batch on a line (strings allocated: pl_xbatch_row_clear). */
typedef struct pl_xbatch_row {
    bool found;
    uint64_t seq;
    char *digest;   /* SHA-256 of the batch, hex */
    char *receipt;  /* "in": the receipt given (a batch imported without one
                     * is PLEDGER_ECORRUPT); NULL for "out" */
    bool acked;     /* "out": a receipt was taken */
    uint64_t items; /* "out", from batch_get: how many items it carried */
} pl_xbatch_row;

void pl_xbatch_row_clear(pl_xbatch_row *b);

/* An accepted application an acceptance point has not forwarded (again);
 * the strings are valid during the call. */
typedef struct pl_xpending_app {
    int64_t id;
    const char *uuid;
    int kind;
    const char *document, *doc_hash, *acceptance_number, *office;
    int64_t at_us;        /* the instant and actor of its last step */
    const char *by;
    bool sent_before;     /* it left in a batch before: a correction */
} pl_xpending_app;

/* An office's decision on an application @peer forwarded, not reported
 * yet; the strings are valid during the call. */
typedef struct pl_xpending_result {
    int64_t id;
    const char *uuid;
    int state;
    const char *number;      /* registered: its registration number */
    const char *certificate; /* registered: its first certificate */
    const char *ground;      /* refused: the ground; withdrawn: the reason */
    const char *note;        /* the correction's note, or the decision's */
    int32_t due;             /* correction requested: its due day; INT32_MIN: none */
    int64_t at_us;           /* the instant and actor of its last step */
    const char *by;
} pl_xpending_result;

typedef int (*pl_xpending_app_fn)(void *arg, pl_err *e, const pl_xpending_app *a);
typedef int (*pl_xpending_result_fn)(void *arg, pl_err *e, const pl_xpending_result *r);

/* A line: a peer and the last batch sequence numbers on it. */
typedef int (*pl_xline_fn)(void *arg, pl_err *e, const char *peer, uint64_t last_sent,
                           uint64_t last_acked, uint64_t last_received);

struct pl_exchange_ops {
    /* The oldest batch sent to @peer that no receipt acknowledged yet
     * (*@document allocated; NULL: none). */
    int (*batch_unacked)(pl_db *db, pl_err *e, const char *peer, char **document);
    /* The last batch sent to (@out) or imported from (!@out) @peer. */
    int (*batch_last)(pl_db *db, pl_err *e, bool out, const char *peer, pl_xbatch_row *row);
    /* Batch @seq sent to (@out) or imported from (!@out) @peer. */
    int (*batch_get)(pl_db *db, pl_err *e, bool out, const char *peer, uint64_t seq,
                     pl_xbatch_row *row);
    /* Whether application @app_id left this registry in a batch before
     * (not as a decision). */
    int (*app_forwarded)(pl_db *db, pl_err *e, int64_t app_id, bool *out);
    /* The identifier of application @uuid (it exists). */
    int (*app_id)(pl_db *db, pl_err *e, const char *uuid, int64_t *id);
    /* Where application @uuid came from and where it stands: *@found, its
     * state, and the acceptance point that sent it (@origin, "" when it
     * was filed here). */
    int (*app_line)(pl_db *db, pl_err *e, const char *uuid, bool *found, int *state,
                    char origin[17]);
    /* The application other than @uuid that registration number @number
     * is already given to (an office's decision taken at an acceptance
     * point, or a pledge registered here): its UUID in @holder, "" when
     * none. */
    int (*number_holder)(pl_db *db, pl_err *e, const char *number, const char *uuid,
                         char holder[37]);
    /* The same of an acceptance number: the application other than @uuid
     * that acceptance number @number is given to, "" when none. */
    int (*acceptance_holder)(pl_db *db, pl_err *e, const char *number, const char *uuid,
                             char holder[37]);

    /* What the next batch carries, at most @limit rows in id order: an
     * acceptance point's applications, an office's decisions for @peer. */
    int (*pending_applications)(pl_db *db, pl_err *e, int limit, pl_xpending_app_fn row,
                                void *arg);
    int (*pending_results)(pl_db *db, pl_err *e, const char *peer, int limit,
                           pl_xpending_result_fn row, void *arg);
    /* How many there are (no limit). */
    int (*pending_applications_count)(pl_db *db, pl_err *e, int64_t *out);
    int (*pending_results_count)(pl_db *db, pl_err *e, const char *peer, int64_t *out);

    /* Every line in peer order: the peers of batches, the origins of
     * applications, and @upstream (NULL or "": none). */
    int (*lines)(pl_db *db, pl_err *e, const char *upstream, pl_xline_fn row, void *arg);
};

#endif
