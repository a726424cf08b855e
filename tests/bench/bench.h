/* pledger-bench: the cost of the main operations of the library, each
 * measured against bare SQLite doing the minimum the operation needs, in
 * the same process, on the same data shape, interleaved (see README.md,
 * "Performance").  Not a test: nothing here passes or fails on time. */
#ifndef PL_BENCH_H
#define PL_BENCH_H

#include <sqlite3.h>
#include "store/sqlite.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pledger/pledger.h>

/* ---- configuration ------------------------------------------------------ */

typedef struct bench_cfg {
    const char *dir;        /* scratch directory for the databases and files */
    uint64_t seed;
    bool quick;             /* small counts, to check the program itself */
    size_t sizes[8];        /* registry sizes of the read workloads */
    size_t n_sizes;
    size_t lifecycle_n;     /* pledges through the durable lifecycle */
    size_t batch_n;         /* pledges registered in one transaction */
    size_t bulk_n;          /* receivables filed by one pledger_file_batch() call */
    size_t verify_ops;      /* verifications per size and variant */
    size_t search_ops;      /* searches per size and variant */
    size_t review_marks;    /* marks of the reference register of the review */
    size_t review_ops;
    double import_mb[4];    /* sizes of the import files, MB */
    size_t n_imports;
    const char *results;    /* file the workloads append their figures to */
} bench_cfg;

extern bench_cfg bench;

/* ---- time, statistics, report ------------------------------------------- */

int64_t bench_ns(void);

typedef struct bench_series {
    double *ns;             /* one sample per operation (wall clock) */
    size_t n, cap;
    double total_ns;        /* sum of the samples */
    double cpu_ns;          /* thread CPU time of the operations, when measured */
} bench_series;

/* Thread CPU time (a system call here: measured per block, not per op). */
int64_t bench_cpu_ns(void);

/* Run operations 0..n-1 of @a and of @b on the same keys, interleaved in
 * blocks of 100 whose order alternates; each op's wall time goes to @sa /
 * @sb, each block's thread CPU time to their cpu_ns.  The ops return a
 * count (rows, hits) that must agree (a's and b's) unless @check is NULL;
 * @check(i, ra, rb) says whether they agree. */
typedef int (*bench_op)(void *ctx, size_t i);
void bench_interleave(size_t n, bench_op a, void *actx, bench_op b, void *bctx,
                      bench_series *sa, bench_series *sb,
                      void (*check)(void *ctx, size_t i, int ra, int rb), void *cctx);

void series_add(bench_series *s, double ns);
void series_free(bench_series *s);
double series_pct(bench_series *s, double pct); /* ns; sorts */
double series_mean(const bench_series *s);

/* Peak resident set size of this process so far, MiB. */
double bench_peak_rss_mb(void);

/* One line of the report: pledger's figures, the baseline's and their
 * ratio (pledger's mean time per operation over the baseline's).  @base
 * may be NULL (no baseline).  @key names the figures in the results file
 * (e.g. "verify.current.1000000"). */
void bench_row(const char *key, const char *label, bench_series *pl, bench_series *base);
/* A line of the report with figures that are not per-operation latencies. */
void bench_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bench_section(const char *title);
/* Append "key value" to the results file. */
void bench_result(const char *key, double value);

/* Run @fn in a child process (its own peak RSS); returns its exit status. */
int bench_child(const char *what, int (*fn)(void *), void *arg);

/* ---- failures ----------------------------------------------------------- */

_Noreturn void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Die with pledger's message unless rc == 0. */
void bench_pl(pledger_registry *reg, int rc, const char *what);
/* Die with SQLite's message unless rc is one of ok1/ok2. */
void bench_sq(sqlite3 *h, int rc, const char *what);
sqlite3_stmt *bench_prepare(sqlite3 *h, const char *sql);
void bench_exec(sqlite3 *h, const char *sql);

/* ---- deterministic data --------------------------------------------------- */

typedef struct bench_rng {
    uint64_t s;
} bench_rng;

uint64_t rng_next(bench_rng *r);
uint64_t rng_below(bench_rng *r, uint64_t n);
void rng_seed(bench_rng *r, uint64_t seed, uint64_t stream);

/* Valid identifiers (check characters computed as the standards say). */
void id_uscc(char out[19], uint64_t n);
void id_resident(char out[19], uint64_t n);
void id_patent(char out[16], uint64_t n);   /* "YYYYTNNNNNNN.C" */
void id_trademark(char out[12], uint64_t n);
void id_permit(char out[32], uint64_t n);
void id_sea_area(char out[64], uint64_t n);
void id_land(char out[32], uint64_t n);
void name_company(char *out, size_t size, uint64_t n);
void name_person(char *out, size_t size, uint64_t n);
void name_bank(char *out, size_t size, uint64_t n);
#define BENCH_BANKS 200

/* The registry's instants: 2024-04-01T02:00:00Z. */
#define BENCH_T0 INT64_C(1711936800000000)
#define BENCH_DAY_US INT64_C(86400000000)

char *bench_path(const char *name);   /* malloc'd: dir/name */
char *bench_slurp(const char *path, size_t *len);
void bench_unlink_db(const char *path); /* the file and its -wal, -shm */
bool bench_exists(const char *path);

/* Give the baseline connection @to the page cache and memory-map sizes
 * pledger's own connection uses (lib/store/db.c sets them), so both sides
 * read through the same SQLite configuration. */
void bench_mirror(sqlite3 *to, pledger_registry *reg);

/* Batch mode (bench-batch.c): while on, the workflow's own BEGIN and
 * COMMIT are no-ops inside one transaction the benchmark opened. */
void bench_batch_begin(pledger_registry *reg);
void bench_batch_commit(pledger_registry *reg);

/* ---- a generated registry (bench-gen.c) ------------------------------------ */

/* The database of @n registered pledges written with SQL inserts that
 * follow lib/store/schema-workflow.c (no journal); built once per size
 * and seed and kept in the scratch directory.  Returns its path. */
char *bench_registry(size_t n);
/* The instant in the middle of a generated registry's history. */
int64_t bench_registry_mid(void);

/* ---- workloads -------------------------------------------------------------- */

int wl_lifecycle(void *arg);
int wl_bulk(void *arg);       /* 9. bulk filing (pledger_file_batch) */
int wl_exchange(void *arg);   /* 10. an exchange batch imported at the office */
int wl_reports(void *arg);    /* 11. search reports (bench-report.c) */
int wl_batch(void *arg);      /* also journal verification on its database */
void bench_log_section(const char *path); /* 8. the log (bench-log.c) */
int wl_journal(void *arg);
int wl_tree(void *arg);       /* proofs from a synthetic log (arg: size_t *events) */    /* journal verification alone (batch's database) */
int wl_read(void *arg);       /* verify + search at one size (arg: size_t *) */
int wl_import(void *arg);     /* reference-register import (arg: double *MB) */
int wl_review(void *arg);

#endif
