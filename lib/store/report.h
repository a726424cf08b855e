/* Search reports in the store (store/schema-report.c): numbered,
 * append-only rows with the report's text, indexed by party, the Merkle
 * tree whose leaves they are and the checkpoints signed over it, in the
 * registry's companion database <registry>.reports. */
#ifndef PL_STORE_REPORT_H
#define PL_STORE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/merkle.h"
#include "store/backend.h"
#include "store/db.h"

/* Attach the companion database to @db's connection (once; outside a
 * transaction).  A writable registry creates it on first use when
 * @create; for a read-only one that has none (or when not @create),
 * *@present is false: no report was ever recorded (the calls below must
 * not be made then). */
int pl_report_attach(pl_db *db, pl_err *e, bool create, bool *present);

/* A write transaction on the companion only (attached): its write lock is
 * taken now, the registry's is never asked for -- the registry is read,
 * at one snapshot, from its first read on.  A bulk filing holding the
 * registry's write lock for minutes does not hold the reports back. */
int pl_report_write_begin(pl_db *db, pl_err *e);

/* Reports are indexed for the auditor by segments of this many
 * (store/schema-report.c). */
#define PL_REPORT_SEGMENT 4096

typedef struct pl_report_row {
    uint64_t number;
    int64_t issued_at;
    const char *actor, *role, *kind, *query;
    uint64_t result_count, log_size;
    const char *note;    /* the report's text (a report of schema version 1:
                          * its signed note); NULL in pl_report_find() */
    uint64_t checkpoint; /* the size of the tree whose checkpoint proves it;
                          * 0: a report signed on its own (version 1).
                          * Put with its own number while its group is
                          * open; pl_report_close_group() sets it */
} pl_report_row;

/* The number the next report takes (1 for the first), and the size of
 * the last checkpoint kept (@checkpoint, may be NULL: the number before,
 * or 0 when none is kept).  Inside the write transaction that stores it. */
int pl_report_next(pl_db *db, pl_err *e, uint64_t *out, uint64_t *checkpoint);

/* Store @r and index it under the @n @parties its question named and the
 * @nr registrations its answer named (each once).  Inside a write
 * transaction. */
int pl_report_put(pl_db *db, pl_err *e, const pl_report_row *r, const char *const *parties,
                  size_t n, const char *const *results, size_t nr);

/* The group of reports @first to @last closes: those before @last (put
 * naming their own number as their checkpoint) name @last's.  Inside the
 * write transaction that put them. */
int pl_report_close_group(pl_db *db, pl_err *e, uint64_t first, uint64_t last);

/* Report @number's note and the actor it was issued to (both allocated;
 * free()) and its checkpoint's tree size (0: signed on its own);
 * PLEDGER_ENOTFOUND naming the number. */
int pl_report_get(pl_db *db, pl_err *e, uint64_t number, char **note, char **actor,
                  uint64_t *checkpoint);

/* The reports' tree: a pl_merkle_get and a pl_merkle_put over the stored
 * complete subtrees (@ctx is the pl_db); put inside a write transaction.
 * Its size is the number of reports (pl_report_next() - 1). */
int pl_report_node_get(void *ctx, pl_err *e, unsigned level, uint64_t index, pl_mhash *out);
int pl_report_node_put(void *ctx, pl_err *e, unsigned level, uint64_t index,
                       const pl_mhash *hash);

/* Keep the signed checkpoint of the reports' tree of @size leaves, signed
 * at @at (inside a write transaction); read it back (allocated;
 * PLEDGER_ECORRUPT when a report names one that is not kept). */
int pl_report_checkpoint_put(pl_db *db, pl_err *e, uint64_t size, int64_t at, const char *note);
int pl_report_checkpoint_get(pl_db *db, pl_err *e, uint64_t size, char **note);

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

/* The SQLite backend's statement for a party (tests/test-report.c checks
 * its plan seeks every segment). */
extern const char pl_report_sql_find_party[];

/* How this connection's own commits fold the reports' write-ahead log
 * back into their file: once it holds @pages pages (the default 1000), or
 * never (0: another connection calls pl_report_flush).  The registry's
 * own log keeps the default. */
int pl_report_autoflush(pl_db *db, pl_err *e, int pages);
/* Fold what the reports' log holds back into their file, neither waiting
 * for nor blocking a writer (outside a transaction; the companion
 * attached).  *@left: the pages of the log not folded back (those
 * committed meanwhile, or kept for a reader). */
int pl_report_flush(pl_db *db, pl_err *e, uint64_t *left);
/* Whether this connection's commits of reports are synced before they
 * return (@on true, the default) or left in the operating system's cache
 * until pl_report_sync (false). */
int pl_report_autosync(pl_db *db, pl_err *e, bool on);
/* Make every report committed to the companion so far, by any
 * connection, survive a crash of the machine (the companion attached;
 * nothing to do without its write-ahead log).  PLEDGER_EIO naming the
 * file when the system refuses. */
int pl_report_sync(pl_db *db, pl_err *e);

/* ---- reading them through, for their verification ---------------------------- */

/* A key the auditor finds a report by (store/schema-report.c): @what 1 a
 * party its question named, 2 a registration its answer named; in
 * @segment of the index, or -1 among the recent keys. */
typedef struct pl_report_key {
    uint64_t number;
    int what;
    const char *key;
    int64_t segment;
    bool damaged;   /* NULL where pledger writes a value, or a NUL byte in the key */
} pl_report_key;

/* Called for each report kept, in number order, with its @nk @keys (the
 * row's text fields never NULL: a missing one is empty, and @damaged
 * names the first column that is NULL or holds a NUL byte, which pledger
 * never writes; NULL when none); and for the keys of a @number no report
 * is kept under (0 for a key of no number), with @r NULL.  A non-zero
 * return stops the scan and is returned. */
typedef int (*pl_report_scan_fn)(void *ctx, pl_err *e, uint64_t number, const pl_report_row *r,
                                 const char *damaged, const pl_report_key *keys, size_t nk);
int pl_report_scan(pl_db *db, pl_err *e, pl_report_scan_fn each, void *ctx);
/* Each checkpoint kept, by size. */
int pl_report_checkpoint_scan(pl_db *db, pl_err *e,
                              int (*each)(void *ctx, pl_err *e, uint64_t size, const char *note),
                              void *ctx);
/* The ends of what is kept: the last report's number, how many subtrees
 * the tree keeps and one past the last position kept (both 2n -
 * popcount(n) for n reports; @count NULL: not counted, a write's check
 * seeks the ends alone), the largest checkpoint's size. */
int pl_report_ends(pl_db *db, pl_err *e, uint64_t *last, uint64_t *count, uint64_t *end,
                   uint64_t *checkpoint);

/* The companion's name, as messages give it (allocated; NULL: out of
 * memory): "<registry>.reports", before the query of a URI. */
char *pl_report_file(pl_db *db);

/* ---- the registry's mark of them -------------------------------------------- */

/* What the registry file keeps of the reports (its setting
 * "reports_mark"): that the companion held reports 1 to @size, with the
 * tree's @root at that size, at @at (the registry's clock).  A companion
 * cut at its end, or an older copy of it put in its place, holds fewer,
 * or another tree: nothing inside it can tell, the registry can. */
typedef struct pl_report_mark {
    uint64_t size;
    pl_mhash root;
    int64_t at;
} pl_report_mark;

/* Write @m into the registry (its own transaction, outside any other),
 * without waiting for the registry's write lock: PLEDGER_EBUSY at once
 * when another connection holds it (a bulk filing), to be tried later. */
int pl_report_mark_put(pl_db *db, pl_err *e, const pl_report_mark *m);
/* The mark kept (inside a read or write transaction): *@found false when
 * none was ever written; PLEDGER_ECORRUPT when it is not one. */
int pl_report_mark_get(pl_db *db, pl_err *e, pl_report_mark *m, bool *found);

/* What a backend implements of the above (store/backend.h). */
struct pl_reports_ops {
    int (*attach)(pl_db *db, pl_err *e, bool create, bool *present);
    int (*next)(pl_db *db, pl_err *e, uint64_t *out, uint64_t *checkpoint);
    int (*put)(pl_db *db, pl_err *e, const pl_report_row *r, const char *const *parties, size_t n,
               const char *const *results, size_t nr);
    int (*close_group)(pl_db *db, pl_err *e, uint64_t first, uint64_t last);
    int (*get)(pl_db *db, pl_err *e, uint64_t number, char **note, char **actor,
               uint64_t *checkpoint);
    int (*node_get)(void *ctx, pl_err *e, unsigned level, uint64_t index, pl_mhash *out);
    int (*node_put)(void *ctx, pl_err *e, unsigned level, uint64_t index, const pl_mhash *hash);
    int (*checkpoint_put)(pl_db *db, pl_err *e, uint64_t size, int64_t at, const char *note);
    int (*checkpoint_get)(pl_db *db, pl_err *e, uint64_t size, char **note);
    int (*find)(pl_db *db, pl_err *e, const pl_report_filter *f,
                int (*each)(void *ctx, pl_err *e, const pl_report_row *r), void *ctx);
    int (*autoflush)(pl_db *db, pl_err *e, int pages);
    int (*flush)(pl_db *db, pl_err *e, uint64_t *left);
    int (*autosync)(pl_db *db, pl_err *e, bool on);
    int (*sync)(pl_db *db, pl_err *e);
    int (*scan)(pl_db *db, pl_err *e, pl_report_scan_fn each, void *ctx);
    int (*checkpoint_scan)(pl_db *db, pl_err *e,
                           int (*each)(void *ctx, pl_err *e, uint64_t size, const char *note),
                           void *ctx);
    int (*ends)(pl_db *db, pl_err *e, uint64_t *last, uint64_t *count, uint64_t *end,
                uint64_t *checkpoint);
    char *(*file)(pl_db *db);
    int (*mark_put)(pl_db *db, pl_err *e, const pl_report_mark *m);
    int (*mark_get)(pl_db *db, pl_err *e, pl_report_mark *m, bool *found);
};

#endif
