/* Search reports in the store (store/schema-report.c): numbered,
 * append-only rows with the signed note handed out, indexed by party, in
 * the registry's companion database <registry>.reports. */
#ifndef PL_STORE_REPORT_H
#define PL_STORE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "store/backend.h"
#include "store/db.h"

/* Attach the companion database to @db's connection (once; outside a
 * transaction).  A writable registry creates it on first use; for a
 * read-only one that has none, *@present is false: no report was ever
 * recorded (the calls below must not be made then). */
int pl_report_attach(pl_db *db, pl_err *e, bool *present);

typedef struct pl_report_row {
    uint64_t number;
    int64_t issued_at;
    const char *actor, *role, *kind, *query;
    uint64_t result_count, log_size;
    const char *note; /* NULL in the rows of pl_report_find() */
} pl_report_row;

/* The number the next report takes (1 for the first).  Inside the write
 * transaction that stores it. */
int pl_report_next(pl_db *db, pl_err *e, uint64_t *out);

/* Store @r and index it under the @n @parties its question named and the
 * @nr registrations its answer named (each once).  Inside a write
 * transaction. */
int pl_report_put(pl_db *db, pl_err *e, const pl_report_row *r, const char *const *parties,
                  size_t n, const char *const *results, size_t nr);

/* Report @number's note and the actor it was issued to (both allocated;
 * free()); PLEDGER_ENOTFOUND naming the number. */
int pl_report_get(pl_db *db, pl_err *e, uint64_t number, char **note, char **actor);

typedef struct pl_report_filter {
    const char *party;  /* NULL: any; as asked */
    const char *party_id;  /* the same as an identifier, normalized (NULL: @party) */
    const char *party_key; /* the same as a name, its name key (NULL: @party) */
    const char *actor;  /* NULL: any */
    int64_t from, to;   /* issued within [from, to] */
    uint64_t after;     /* numbers above this */
    int64_t limit;      /* at most this many rows */
} pl_report_filter;

/* Call @each for the reports @f selects, in number order; a non-zero
 * return of @each stops and is returned. */
int pl_report_find(pl_db *db, pl_err *e, const pl_report_filter *f,
                   int (*each)(void *ctx, pl_err *e, const pl_report_row *r), void *ctx);

/* What a backend implements of the above (store/backend.h). */
struct pl_reports_ops {
    int (*attach)(pl_db *db, pl_err *e, bool *present);
    int (*next)(pl_db *db, pl_err *e, uint64_t *out);
    int (*put)(pl_db *db, pl_err *e, const pl_report_row *r, const char *const *parties, size_t n,
               const char *const *results, size_t nr);
    int (*get)(pl_db *db, pl_err *e, uint64_t number, char **note, char **actor);
    int (*find)(pl_db *db, pl_err *e, const pl_report_filter *f,
                int (*each)(void *ctx, pl_err *e, const pl_report_row *r), void *ctx);
};

#endif
