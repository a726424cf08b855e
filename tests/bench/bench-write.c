/* The write workloads: the durable lifecycle of a pledge, batch
 * registration in one transaction, and journal verification.
 *
 * Baselines.  After pledger has written a pledge, the benchmark reads back
 * (untimed) every row that each step wrote and the bare-SQLite baseline
 * writes the same rows, byte for byte, into a database of the same schema
 * (created by pledger_open, so with the same indexes, constraints and
 * pragmas: WAL, synchronous=FULL, foreign_keys=ON), with prepared
 * statements and the same number of commits.  What the ratio measures is
 * therefore everything pledger does beyond storing its rows: reading the
 * application back, parsing and extracting its document, the review, the
 * checks, numbering, the certificate, the JSON payload, the hash chain.
 *
 * Batch mode.  pledger has no batch call, and every workflow step opens
 * its own BEGIN IMMEDIATE (lib/store/db.c refuses nesting).  The
 * benchmark binary is linked with -Wl,--wrap for pl_db_write_begin and
 * pl_db_commit: while batch mode is on, the steps' own begin and commit
 * are no-ops inside one transaction the benchmark opened with the real
 * ones.  So the batch figure is the library's own, unmodified
 * registration step (pledger_application_register), 100,000 times, with
 * one commit. */
#include "bench.h"
#include "store/sqlite.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "api/handle.h"
#include "store/db.h"
#include "store/journal.h"
#include "store/schema.h"

/* ---- batch mode (link-time wrapping) --------------------------------------- */

int __real_pl_db_write_begin(pl_db *db, pl_err *e);
int __real_pl_db_commit(pl_db *db, pl_err *e);
int __wrap_pl_db_write_begin(pl_db *db, pl_err *e);
int __wrap_pl_db_commit(pl_db *db, pl_err *e);

static pl_db *batch_db;

int __wrap_pl_db_write_begin(pl_db *db, pl_err *e)
{
    if (batch_db && db == batch_db)
        return 0;
    return __real_pl_db_write_begin(db, e);
}

int __wrap_pl_db_commit(pl_db *db, pl_err *e)
{
    if (batch_db && db == batch_db)
        return 0;
    return __real_pl_db_commit(db, e);
}

void bench_batch_begin(pledger_registry *reg)
{
    if (__real_pl_db_write_begin(reg->db, &reg->err))
        bench_die("batch: %s", reg->err.msg);
    batch_db = reg->db;
}

void bench_batch_commit(pledger_registry *reg)
{
    batch_db = NULL;
    if (!pl_db_in_tx(reg->db))
        bench_die("batch: the transaction was rolled back: %s", reg->err.msg);
    if (__real_pl_db_commit(reg->db, &reg->err))
        bench_die("batch: commit: %s", reg->err.msg);
}

/* ---- applications ------------------------------------------------------------ */

static const char *const kind_names[] = {
    NULL, "trademark", "patent", "receivable", "equity", "emission", "sea_area", "land",
};

/* The kind of the i-th pledge: a mix like a registry's (out of 20). */
static int kind_of(size_t i)
{
    static const int mix[20] = { 1, 3, 1, 2, 3, 1, 4, 3, 1, 2, 3, 5, 1, 3, 6, 2, 3, 7, 1, 4 };
    return mix[i % 20];
}

static char *samples[8];
static size_t sample_len[8];

static void load_samples(void)
{
    for (int k = 1; k <= 7; k++) {
        char p[4096];
        if (samples[k])
            continue;
        snprintf(p, sizeof p, "%s/app-%s.xml", PLEDGER_BENCH_DATADIR, kind_names[k]);
        samples[k] = bench_slurp(p, &sample_len[k]);
    }
}

static void set(pledger_application *app, const char *path, const char *value)
{
    int rc = pledger_application_set(app, path, value);
    if (rc)
        bench_die("setting %s to '%s': %s", path, value, pledger_errmsg(NULL));
}

/* The @n-th application of @kind: the kind's sample with identifiers,
 * parties and amounts of its own. */
static pledger_application *make_app(int kind, uint64_t n, bench_rng *rng)
{
    pledger_application *app = NULL;
    char a[96], b[96], name[160];
    uint64_t pledgor = rng_below(rng, 5000), bank = rng_below(rng, BENCH_BANKS);

    if (pledger_application_from_xml(&app, samples[kind], sample_len[kind]))
        bench_die("sample %s: %s", kind_names[kind], pledger_errmsg(NULL));
    if (kind == PLEDGER_KIND_EQUITY || kind == PLEDGER_KIND_LAND) {
        id_resident(a, 100000 + pledgor);
        name_person(name, sizeof name, pledgor);
    } else {
        id_uscc(a, 100000 + pledgor);
        name_company(name, sizeof name, pledgor);
    }
    set(app, "pledgor/id", a);
    set(app, "pledgor/name", name);
    if (kind != PLEDGER_KIND_PATENT && kind != PLEDGER_KIND_LAND) {
        id_uscc(a, 5000000 + bank);
        name_bank(name, sizeof name, bank);
        set(app, "pledgee/id", a);
        set(app, "pledgee/name", name);
    }
    snprintf(a, sizeof a, "%" PRIu64, (uint64_t)(100000 + rng_below(rng, 100000)) * 1000);
    set(app, "claim/amount", a);
    switch (kind) {
    case PLEDGER_KIND_TRADEMARK:
        id_trademark(a, 2 * n);
        id_trademark(b, 2 * n + 1);
        set(app, "rights/right[1]/number", a);
        set(app, "rights/right[2]/number", b);
        break;
    case PLEDGER_KIND_PATENT:
        id_patent(a, 2 * n);
        id_patent(b, 2 * n + 1);
        set(app, "rights/right[1]/number", a);
        set(app, "rights/right[2]/number", b);
        break;
    case PLEDGER_KIND_RECEIVABLE:
        snprintf(a, sizeof a, "HT-%04d-%06" PRIu64, 2024, n);
        set(app, "rights/right[1]/contract_number", a);
        /* the second receivable has no contract number: its key is the
         * description's hash, so each application needs its own */
        snprintf(a, sizeof a, "应收王芳个人的设备租赁款（第%" PRIu64 "号租赁合同）", n);
        set(app, "rights/right[2]/description", a);
        break;
    case PLEDGER_KIND_EQUITY:
        id_uscc(a, 2000000 + n);
        set(app, "rights/right[1]/company_uscc", a);
        break;
    case PLEDGER_KIND_EMISSION:
        id_permit(a, 3 * (3000000 + n));
        set(app, "rights/right[1]/permit_number", a);
        break;
    case PLEDGER_KIND_SEA_AREA:
        id_sea_area(a, n);
        set(app, "rights/right[1]/certificate_number", a);
        break;
    case PLEDGER_KIND_LAND:
        id_land(a, n);
        set(app, "rights/right[1]/certificate_number", a);
        break;
    }
    return app;
}

/* The registry's clock: 1 ms per reading from 2024-04-01T02:00Z. */
static int64_t clock_us = BENCH_T0;

static int64_t bench_clock(void *payload)
{
    (void)payload;
    clock_us += 1000;
    return clock_us;
}

static pledger_registry *open_registry(const char *path)
{
    pledger_registry *reg = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    o.office_code = "FZ01";
    bench_pl(NULL, pledger_open(&reg, path, &o), path);
    bench_pl(reg, pledger_set_clock(reg, bench_clock, NULL), "set_clock");
    return reg;
}

static void act(pledger_registry *reg, const char *name, pledger_role role)
{
    bench_pl(reg, pledger_set_actor(reg, name, role), "set_actor");
}

/* A review that lets the application be submitted. */
static void check_review(pledger_review *rv, int kind)
{
    size_t bad = pledger_review_count_severity(rv, PLEDGER_SEVERITY_BLOCKING) +
                 pledger_review_count_severity(rv, PLEDGER_SEVERITY_CORRECTABLE);
    if (bad)
        bench_die("the %s application has findings: %s at %s: %s", kind_names[kind],
                  pledger_review_code(rv, 0), pledger_review_path(rv, 0),
                  pledger_review_message(rv, 0));
}

/* ---- copying rows: the baseline's input --------------------------------------- */

/* Parameters of every source query: ?1 application id, ?2 pledge id,
 * ?3..?7 the journal sequence numbers of the create, review, submit,
 * accept and register events. */
typedef struct copy {
    int step;          /* 1 create .. 5 register */
    const char *table; /* INSERT INTO table VALUES (...) when dst is NULL */
    const char *src;
    const char *dst;
    sqlite3_stmt *s, *d;
    /* rows read: n x ncol values */
    sqlite3_value **v;
    size_t n, cap, ncol;
} copy;

#define JOURNAL_OF(seqparam) "SELECT * FROM journal WHERE seq = " seqparam
#define SEQUENCE_OF(seqparam)                                                  \
    "SELECT payload->>'$.sequence.name', payload->>'$.sequence.scope',"        \
    " (payload->>'$.sequence.value') + 1 FROM journal WHERE seq = " seqparam
#define SEQUENCE_UPSERT                                                        \
    "INSERT INTO sequence(name, scope, next) VALUES (?1, ?2, ?3)"              \
    " ON CONFLICT(name, scope) DO UPDATE SET next = excluded.next"

static copy copies[] = {
    { 1, NULL,
      "SELECT id, uuid, kind, 1, document, doc_hash, pledgor_name, pledgor_key, pledgor_id,"
      " pledgee_name, pledgee_key, pledgee_id, amount, currency, created_at, created_by,"
      " created_at, ?3 FROM application WHERE id = ?1",
      "INSERT INTO application(id, uuid, kind, state, document, doc_hash, pledgor_name,"
      " pledgor_key, pledgor_id, pledgee_name, pledgee_key, pledgee_id, amount, currency,"
      " created_at, created_by, updated_at, journal_seq)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
      NULL, NULL, NULL, 0, 0, 0 },
    { 1, "application_right", "SELECT * FROM application_right WHERE application_id = ?1",
      NULL, NULL, NULL, NULL, 0, 0, 0 },
    { 1, "journal", JOURNAL_OF("?3"), NULL, NULL, NULL, NULL, 0, 0, 0 },
    { 2, "review", "SELECT * FROM review WHERE application_id = ?1", NULL, NULL, NULL, NULL,
      0, 0, 0 },
    { 2, NULL, "SELECT 2, at_us, seq, ?1 FROM journal WHERE seq = ?4",
      "UPDATE application SET state = ?1, updated_at = ?2, journal_seq = ?3 WHERE id = ?4",
      NULL, NULL, NULL, 0, 0, 0 },
    { 2, "journal", JOURNAL_OF("?4"), NULL, NULL, NULL, NULL, 0, 0, 0 },
    { 3, NULL, "SELECT 3, at_us, seq, ?1 FROM journal WHERE seq = ?5",
      "UPDATE application SET state = ?1, updated_at = ?2, journal_seq = ?3,"
      " submitted_at = ?2 WHERE id = ?4",
      NULL, NULL, NULL, 0, 0, 0 },
    { 3, "journal", JOURNAL_OF("?5"), NULL, NULL, NULL, NULL, 0, 0, 0 },
    { 4, NULL,
      "SELECT 4, j.at_us, j.seq, a.id, a.office, a.acceptance_number, a.accepted_by"
      " FROM journal j, application a WHERE j.seq = ?6 AND a.id = ?1",
      "UPDATE application SET state = ?1, updated_at = ?2, journal_seq = ?3, office = ?5,"
      " acceptance_number = ?6, accepted_at = ?2, accepted_by = ?7 WHERE id = ?4",
      NULL, NULL, NULL, 0, 0, 0 },
    { 4, NULL, SEQUENCE_OF("?6"), SEQUENCE_UPSERT, NULL, NULL, NULL, 0, 0, 0 },
    { 4, "journal", JOURNAL_OF("?6"), NULL, NULL, NULL, NULL, 0, 0, 0 },
    { 5, NULL,
      "SELECT 6, j.at_us, j.seq, a.id, a.decided_by"
      " FROM journal j, application a WHERE j.seq = ?7 AND a.id = ?1",
      "UPDATE application SET state = ?1, updated_at = ?2, journal_seq = ?3, decided_at = ?2,"
      " decided_by = ?5, refusal_ground = NULL, decision_note = NULL,"
      " withdrawn_reason = NULL WHERE id = ?4",
      NULL, NULL, NULL, 0, 0, 0 },
    { 5, "pledge", "SELECT * FROM pledge WHERE id = ?2", NULL, NULL, NULL, NULL, 0, 0, 0 },
    { 5, "pledge_right", "SELECT * FROM pledge_right WHERE pledge_id = ?2", NULL, NULL, NULL,
      NULL, 0, 0, 0 },
    { 5, "pledge_version", "SELECT * FROM pledge_version WHERE pledge_id = ?2", NULL, NULL,
      NULL, NULL, 0, 0, 0 },
    { 5, "certificate", "SELECT * FROM certificate WHERE pledge_id = ?2", NULL, NULL, NULL,
      NULL, 0, 0, 0 },
    { 5, NULL, SEQUENCE_OF("?7"), SEQUENCE_UPSERT, NULL, NULL, NULL, 0, 0, 0 },
    { 5, "journal", JOURNAL_OF("?7"), NULL, NULL, NULL, NULL, 0, 0, 0 },
};
#define N_COPIES (sizeof copies / sizeof copies[0])

static void copies_prepare(sqlite3 *src, sqlite3 *dst, int only_step)
{
    for (size_t i = 0; i < N_COPIES; i++) {
        copy *c = &copies[i];
        if (only_step && c->step != only_step)
            continue;
        c->s = bench_prepare(src, c->src);
        c->ncol = (size_t)sqlite3_column_count(c->s);
        if (c->dst) {
            c->d = bench_prepare(dst, c->dst);
        } else {
            char sql[1024];
            int k = snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (?", c->table);
            for (size_t j = 1; j < c->ncol; j++)
                k += snprintf(sql + k, sizeof sql - (size_t)k, ", ?");
            snprintf(sql + k, sizeof sql - (size_t)k, ")");
            c->d = bench_prepare(dst, sql);
        }
    }
}

static void copies_clear(void)
{
    for (size_t i = 0; i < N_COPIES; i++) {
        copy *c = &copies[i];
        for (size_t j = 0; j < c->n * c->ncol; j++)
            sqlite3_value_free(c->v[j]);
        c->n = 0;
    }
}

static void copies_finalize(void)
{
    copies_clear();
    for (size_t i = 0; i < N_COPIES; i++) {
        copy *c = &copies[i];
        sqlite3_finalize(c->s);
        sqlite3_finalize(c->d);
        free(c->v);
        c->s = c->d = NULL;
        c->v = NULL;
        c->cap = 0;
    }
}

/* Read (untimed) the rows the steps wrote for application @app_id. */
static void copies_load(sqlite3 *src, int only_step, int64_t app_id, int64_t pledge_id,
                        const int64_t seq[5])
{
    for (size_t i = 0; i < N_COPIES; i++) {
        copy *c = &copies[i];
        int rc;
        if (only_step && c->step != only_step)
            continue;
        sqlite3_bind_int64(c->s, 1, app_id);
        sqlite3_bind_int64(c->s, 2, pledge_id);
        for (int k = 0; k < 5; k++)
            sqlite3_bind_int64(c->s, 3 + k, seq[k]);
        while ((rc = sqlite3_step(c->s)) == SQLITE_ROW) {
            if ((c->n + 1) * c->ncol > c->cap) {
                size_t cap = c->cap ? c->cap * 2 : 64 * c->ncol;
                sqlite3_value **v = realloc(c->v, cap * sizeof *v);
                if (!v)
                    bench_die("out of memory");
                c->v = v;
                c->cap = cap;
            }
            for (size_t j = 0; j < c->ncol; j++)
                if (!(c->v[c->n * c->ncol + j] = sqlite3_value_dup(sqlite3_column_value(c->s,
                                                                           (int)j))))
                    bench_die("out of memory");
            c->n++;
        }
        bench_sq(src, rc, c->src);
        sqlite3_reset(c->s);
    }
}

/* Write (timed by the caller) the rows of @step; in batch mode rows
 * [from, to) of what copies_load accumulated (one pledge each for the
 * per-pledge copies). */
static void copies_write(sqlite3 *dst, int step, size_t row_from, size_t row_to)
{
    for (size_t i = 0; i < N_COPIES; i++) {
        copy *c = &copies[i];
        if (c->step != step)
            continue;
        for (size_t r = row_from; r < row_to && r < c->n; r++) {
            for (size_t j = 0; j < c->ncol; j++)
                sqlite3_bind_value(c->d, (int)j + 1, c->v[r * c->ncol + j]);
            int rc = sqlite3_step(c->d);
            if (rc != SQLITE_DONE)
                bench_die("baseline: %s: %s", c->dst ? c->dst : c->table, sqlite3_errmsg(dst));
            sqlite3_reset(c->d);
        }
    }
}

static sqlite3 *raw_open(const char *path, bool read_only)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h,
                             read_only ? SQLITE_OPEN_READONLY
                                       : SQLITE_OPEN_READWRITE,
                             NULL);
    bench_sq(h, rc, path);
    sqlite3_busy_timeout(h, 5000);
    /* the functions the schema's triggers call (the name index) */
    bench_sq(h, pl_schema_functions(h), "pl_schema_functions");
    if (!read_only) {
        /* What pledger's connection uses (lib/store/db.c). */
        bench_exec(h, "PRAGMA journal_mode = WAL");
        bench_exec(h, "PRAGMA synchronous = FULL");
        bench_exec(h, "PRAGMA foreign_keys = ON");
    }
    return h;
}

static double query_payload_avg(sqlite3 *h)
{
    sqlite3_stmt *st = bench_prepare(h, "SELECT avg(length(payload)) FROM journal");
    double v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_double(st, 0) : 0;
    sqlite3_finalize(st);
    return v;
}

static int64_t query_int(sqlite3 *h, const char *sql, int64_t param)
{
    sqlite3_stmt *st = bench_prepare(h, sql);
    int64_t v = -1;
    sqlite3_bind_int64(st, 1, param);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* ---- 1. the durable lifecycle ------------------------------------------------------ */

static const char *const step_names[] = { NULL, "create (save)", "review", "submit", "accept",
                                          "register" };

int wl_lifecycle(void *arg)
{
    (void)arg;
    char *pl_path = bench_path("lifecycle.db"), *base_path = bench_path("lifecycle-base.db");
    bench_series pl[6] = { { 0 } }, base[6] = { { 0 } };
    pledger_registry *reg, *breg;
    sqlite3 *src, *dst;
    sqlite3_stmt *begin, *commit;
    bench_rng rng;
    size_t per_kind[8] = { 0 };

    load_samples();
    bench_unlink_db(pl_path);
    bench_unlink_db(base_path);
    reg = open_registry(pl_path);
    breg = open_registry(base_path); /* the same schema and settings */
    pledger_close(breg);
    src = raw_open(pl_path, true);
    dst = raw_open(base_path, false);
    bench_mirror(dst, reg);
    begin = bench_prepare(dst, "BEGIN IMMEDIATE");
    commit = bench_prepare(dst, "COMMIT");
    copies_prepare(src, dst, 0);
    rng_seed(&rng, bench.seed, 1);

    for (size_t i = 0; i < bench.lifecycle_n; i++) {
        int kind = kind_of(i);
        pledger_application *app = make_app(kind, per_kind[kind]++, &rng);
        pledger_review *rv = NULL;
        char uuid[37], *num = NULL, *code = NULL;
        int64_t seq[5];

        int64_t first_seq = query_int(src, "SELECT coalesce(max(seq), 0) + ?1 FROM journal", 1);
        double d[6];
        int64_t t0;
        act(reg, "applicant-1", PLEDGER_ROLE_APPLICANT);
        t0 = bench_ns();
        bench_pl(reg, pledger_application_save(reg, app), "save");
        d[1] = (double)(bench_ns() - t0);
        snprintf(uuid, sizeof uuid, "%s", pledger_application_uuid(app));
        pledger_application_free(app);
        t0 = bench_ns();
        bench_pl(reg, pledger_application_review(&rv, reg, uuid), "review");
        d[2] = (double)(bench_ns() - t0);
        check_review(rv, kind);
        pledger_review_free(rv);
        t0 = bench_ns();
        bench_pl(reg, pledger_application_submit(reg, uuid), "submit");
        d[3] = (double)(bench_ns() - t0);
        act(reg, "clerk-1", PLEDGER_ROLE_CLERK);
        t0 = bench_ns();
        bench_pl(reg, pledger_application_accept(&num, reg, uuid), "accept");
        d[4] = (double)(bench_ns() - t0);
        pledger_free(num);
        act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
        t0 = bench_ns();
        bench_pl(reg, pledger_application_register(&num, &code, reg, uuid), "register");
        d[5] = (double)(bench_ns() - t0);
        pledger_free(num);
        pledger_free(code);
        d[0] = 0;
        for (int k = 1; k <= 5; k++) {
            series_add(&pl[k], d[k]);
            d[0] += d[k];
        }
        series_add(&pl[0], d[0]);

        /* The same rows, the same five commits, bare SQLite. */
        int64_t app_id;
        {
            sqlite3_stmt *st = bench_prepare(src, "SELECT id FROM application WHERE uuid = ?1");
            sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
            bench_sq(src, sqlite3_step(st), "application id");
            app_id = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
        int64_t pledge_id = query_int(src, "SELECT id FROM pledge WHERE application_id = ?1",
                                      app_id);
        for (int k = 0; k < 5; k++)
            seq[k] = first_seq + k;
        copies_load(src, 0, app_id, pledge_id, seq);
        double total = 0;
        for (int k = 1; k <= 5; k++) {
            int64_t b0 = bench_ns();
            bench_sq(dst, sqlite3_step(begin), "BEGIN");
            sqlite3_reset(begin);
            copies_write(dst, k, 0, SIZE_MAX);
            bench_sq(dst, sqlite3_step(commit), "COMMIT");
            sqlite3_reset(commit);
            double bd = (double)(bench_ns() - b0);
            series_add(&base[k], bd);
            total += bd;
        }
        series_add(&base[0], total);
        copies_clear();
    }

    bench_section("1. Durable lifecycle: one pledge through 5 steps, each its own commit "
                  "(synchronous=FULL)");
    for (int k = 1; k <= 5; k++) {
        char key[64], label[64];
        snprintf(key, sizeof key, "lifecycle.%d", k);
        snprintf(label, sizeof label, "lifecycle step: %s", step_names[k]);
        bench_row(key, label, &pl[k], &base[k]);
    }
    bench_row("lifecycle.total", "lifecycle: whole pledge (5 commits)", &pl[0], &base[0]);
    double med_ratio = series_pct(&pl[0], 50) / series_pct(&base[0], 50);
    bench_note("ratio of the medians of the whole pledge: %.2f (fsync latency on this shared "
               "disk dominates both sides and varies from commit to commit)",
               med_ratio);
    bench_result("lifecycle.total.median_ratio", med_ratio);
    bench_note("mix of the 7 kinds (trademark, receivable most); baseline = the rows pledger "
               "wrote, copied by prepared INSERT/UPDATE, same 5 commits, same schema");
    copies_finalize();
    sqlite3_finalize(begin);
    sqlite3_finalize(commit);
    sqlite3_close(src);
    sqlite3_close(dst);
    pledger_close(reg);
    for (int k = 0; k < 6; k++) {
        series_free(&pl[k]);
        series_free(&base[k]);
    }
    free(pl_path);
    free(base_path);
    return 0;
}

/* ---- 2. batch registration, 7. journal verification ---------------------------------- */

static void journal_baseline(sqlite3 *h, bench_series *out, int64_t *events);
static void journal_section(const char *path, sqlite3 *src);

int wl_batch(void *arg)
{
    (void)arg;
    char *pl_path = bench_path("batch.db"), *base_path = bench_path("batch-base.db");
    size_t n = bench.batch_n, per_kind[8] = { 0 };
    bench_series prep[5] = { { 0 } }, pl = { 0 }, base = { 0 };
    char (*uuids)[37] = calloc(n, sizeof *uuids);
    pledger_registry *reg;
    bench_rng rng;
    int64_t t0;

    if (!uuids)
        bench_die("out of memory");
    load_samples();
    bench_unlink_db(pl_path);
    bench_unlink_db(base_path);
    reg = open_registry(pl_path);
    rng_seed(&rng, bench.seed, 2);

    /* Applications up to 'accepted', 1000 per transaction (not the
     * measured batch; their per-step costs inside a transaction are
     * printed too: CPU, no fsync). */
    int64_t prep0 = bench_ns();
    for (size_t i = 0; i < n; i++) {
        if (i % 1000 == 0) {
            if (i)
                bench_batch_commit(reg);
            bench_batch_begin(reg);
        }
        if (i && i % 20000 == 0) {
            printf("   (%zu applications accepted, %.0f s)\n", i,
                   (double)(bench_ns() - prep0) / 1e9);
            fflush(stdout);
        }
        int kind = kind_of(i);
        pledger_application *app = make_app(kind, per_kind[kind]++, &rng);
        pledger_review *rv = NULL;
        char *num = NULL;
        act(reg, "applicant-1", PLEDGER_ROLE_APPLICANT);
        t0 = bench_ns();
        bench_pl(reg, pledger_application_save(reg, app), "save");
        series_add(&prep[1], (double)(bench_ns() - t0));
        snprintf(uuids[i], sizeof uuids[i], "%s", pledger_application_uuid(app));
        pledger_application_free(app);
        t0 = bench_ns();
        bench_pl(reg, pledger_application_review(&rv, reg, uuids[i]), "review");
        series_add(&prep[2], (double)(bench_ns() - t0));
        check_review(rv, kind);
        pledger_review_free(rv);
        t0 = bench_ns();
        bench_pl(reg, pledger_application_submit(reg, uuids[i]), "submit");
        series_add(&prep[3], (double)(bench_ns() - t0));
        act(reg, "clerk-1", PLEDGER_ROLE_CLERK);
        t0 = bench_ns();
        bench_pl(reg, pledger_application_accept(&num, reg, uuids[i]), "accept");
        series_add(&prep[4], (double)(bench_ns() - t0));
        pledger_free(num);
    }
    bench_batch_commit(reg);

    /* The baseline starts from the same database: the accepted applications. */
    {
        sqlite3 *h = raw_open(pl_path, true);
        sqlite3_stmt *st = bench_prepare(h, "VACUUM INTO ?1");
        sqlite3_bind_text(st, 1, base_path, -1, SQLITE_STATIC);
        bench_sq(h, sqlite3_step(st), "VACUUM INTO");
        sqlite3_finalize(st);
        sqlite3_close(h);
    }

    /* pledger: the registration step, n times, one transaction. */
    act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    int64_t wall0 = bench_ns();
    bench_batch_begin(reg);
    for (size_t i = 0; i < n; i++) {
        char *num = NULL, *code = NULL;
        if (i && i % 20000 == 0) {
            printf("   (%zu registered in the open transaction, %.0f s)\n", i,
                   (double)(bench_ns() - wall0) / 1e9);
            fflush(stdout);
        }
        t0 = bench_ns();
        bench_pl(reg, pledger_application_register(&num, &code, reg, uuids[i]), "register");
        series_add(&pl, (double)(bench_ns() - t0));
        pledger_free(num);
        pledger_free(code);
    }
    t0 = bench_ns();
    bench_batch_commit(reg);
    double pl_commit = (double)(bench_ns() - t0);
    double pl_wall = (double)(bench_ns() - wall0);

    /* Baseline: the same rows, one transaction, prepared statements.  The
     * rows are read from pledger's database 1000 pledges at a time,
     * outside the timed sections. */
    sqlite3 *src = raw_open(pl_path, true), *dst = raw_open(base_path, false);
    bench_mirror(src, reg); /* src: the journal baseline reads through it */
    bench_mirror(dst, reg);
    copies_prepare(src, dst, 5);
    double base_commit, base_wall = 0;
    {
        int64_t b0 = bench_ns();
        bench_exec(dst, "BEGIN IMMEDIATE");
        base_wall += (double)(bench_ns() - b0);
        sqlite3_stmt *ids = bench_prepare(
            src, "SELECT p.application_id, p.id, v.journal_seq FROM pledge p"
                 " JOIN pledge_version v ON v.pledge_id = p.id AND v.version = 1 ORDER BY p.id");
        int rc = SQLITE_ROW;
        while (rc == SQLITE_ROW) {
            size_t got = 0;
            while (got < 1000 && (rc = sqlite3_step(ids)) == SQLITE_ROW) {
                int64_t seq[5] = { 0, 0, 0, 0, sqlite3_column_int64(ids, 2) };
                copies_load(src, 5, sqlite3_column_int64(ids, 0), sqlite3_column_int64(ids, 1),
                            seq);
                got++;
            }
            /* each copy holds one row per pledge except pledge_right (one per right) */
            size_t rights_row = 0;
            for (size_t i = 0; i < got; i++) {
                b0 = bench_ns();
                for (size_t c = 0; c < N_COPIES; c++) {
                    copy *cp = &copies[c];
                    if (cp->step != 5)
                        continue;
                    size_t from = i, to = i + 1;
                    if (strcmp(cp->src, "SELECT * FROM pledge_right WHERE pledge_id = ?2") == 0) {
                        /* the rights of pledge i: consecutive rows with its pledge id */
                        from = rights_row;
                        to = from;
                        int64_t pid = sqlite3_value_int64(cp->v[from * cp->ncol]);
                        while (to < cp->n && sqlite3_value_int64(cp->v[to * cp->ncol]) == pid)
                            to++;
                        rights_row = to;
                    }
                    for (size_t r = from; r < to; r++) {
                        for (size_t j = 0; j < cp->ncol; j++)
                            sqlite3_bind_value(cp->d, (int)j + 1, cp->v[r * cp->ncol + j]);
                        if (sqlite3_step(cp->d) != SQLITE_DONE)
                            bench_die("baseline batch: %s", sqlite3_errmsg(dst));
                        sqlite3_reset(cp->d);
                    }
                }
                double d = (double)(bench_ns() - b0);
                series_add(&base, d);
                base_wall += d;
            }
            copies_clear();
        }
        bench_sq(src, rc, "pledges");
        sqlite3_finalize(ids);
        b0 = bench_ns();
        bench_exec(dst, "COMMIT");
        base_commit = (double)(bench_ns() - b0);
        base_wall += base_commit;
    }
    copies_finalize();
    if ((size_t)query_int(dst, "SELECT count(*) + 0 * ?1 FROM pledge", 0) != n)
        bench_die("baseline batch: wrong number of pledges");

    bench_section("2. Batch registration: pledges registered in ONE transaction");
    const char *labels[] = { NULL, "in one tx: create (save)", "in one tx: review",
                             "in one tx: submit", "in one tx: accept" };
    for (int k = 1; k <= 4; k++) {
        char key[64];
        snprintf(key, sizeof key, "batch.prep.%d", k);
        bench_row(key, labels[k], &prep[k], NULL);
    }
    bench_row("batch.register", "batch register (per pledge)", &pl, &base);
    double pl_rate = (double)n / ((pl.total_ns + pl_commit) / 1e9);
    double base_rate = (double)n / (base_wall / 1e9);
    bench_note("register %zu pledges + 1 COMMIT: pledger %.2f s (commit %.1f ms, wall %.2f s) = "
               "%.0f pledges/s; baseline %.2f s (commit %.1f ms) = %.0f pledges/s; "
               "ratio %.2f",
               n, (pl.total_ns + pl_commit) / 1e9, pl_commit / 1e6, pl_wall / 1e9, pl_rate,
               base_wall / 1e9, base_commit / 1e6, base_rate,
               pl_rate > 0 ? base_rate / pl_rate : 0);
    bench_note("pledger = pledger_application_register() itself, its own BEGIN/COMMIT made "
               "no-ops inside one transaction (link-time --wrap of pl_db_write_begin/"
               "pl_db_commit in this binary only); baseline = the same rows (application "
               "update, pledge, rights, version, certificate, sequence, journal event) by "
               "prepared statements in one transaction");
    bench_result("batch.rate_with_commit", pl_rate);
    bench_result("batch.base_rate_with_commit", base_rate);
    bench_result("batch.ratio_with_commit", base_rate / pl_rate);

    journal_section(pl_path, src);
    bench_log_section(pl_path);

    sqlite3_close(src);
    sqlite3_close(dst);
    pledger_close(reg);
    for (int k = 0; k < 5; k++)
        series_free(&prep[k]);
    series_free(&pl);
    series_free(&base);
    free(uuids);
    free(pl_path);
    free(base_path);
    return 0;
}

/* 7. Journal verification on the batch workload's database, opened
 * read-only as an auditor would: the public call (since the reliability
 * work it also checks that the state tables are the journal's replay), the
 * hash chain alone (pledger_journal_verify_chain), and the baseline (the
 * chain, bare SQLite, with the read-only handle's cache and mmap). */
static void journal_section(const char *path, sqlite3 *src)
{
    bench_series jv = { 0 }, jc = { 0 }, jb = { 0 };
    int64_t events = 0, bevents = 0, t0;
    pledger_registry *reg = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;

    o.read_only = 1;
    bench_pl(NULL, pledger_open(&reg, path, &o), path);
    bench_mirror(src, reg);
    bench_section("7. Journal verification (the whole journal of the batch database, "
                  "read-only handle)");
    act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    for (int round = 0; round < 2; round++) {
        int64_t bad = -1, count = 0;
        t0 = bench_ns();
        bench_pl(reg, pledger_journal_verify(&bad, &count, reg), "journal_verify");
        series_add(&jv, (double)(bench_ns() - t0));
        if (bad != 0)
            bench_die("journal_verify: event %" PRId64 " is bad", bad);
        events = count;
        bad = -1;
        t0 = bench_ns();
        bench_pl(reg, pledger_journal_verify_chain(&bad, &count, reg), "journal_verify_chain");
        series_add(&jc, (double)(bench_ns() - t0));
        if (bad != 0)
            bench_die("journal_verify_chain: event %" PRId64 " is bad", bad);
        journal_baseline(src, &jb, &bevents);
        if (bevents != events || count != events)
            bench_die("journal baseline read %" PRId64 " events, pledger %" PRId64, bevents,
                      events);
    }
    bench_row("journal.public", "pledger_journal_verify (per run)", &jv, &jb);
    bench_row("journal.chain", "pledger_journal_verify_chain (per run)", &jc, &jb);
    double ev_s = (double)events / (series_pct(&jv, 50) / 1e9);
    double ch_s = (double)events / (series_pct(&jc, 50) / 1e9);
    double bev_s = (double)events / (series_pct(&jb, 50) / 1e9);
    bench_note("%" PRId64 " events per run (payloads %.0f bytes on average), 2 runs each, "
               "interleaved: pledger_journal_verify %.0f events/s (chain + replay check of the "
               "state tables), chain alone %.0f events/s, baseline %.0f events/s",
               events, query_payload_avg(src), ev_s, ch_s, bev_s);
    bench_note("baseline = one prepared scan of the journal in seq order, the same SHA-256 "
               "over the same length-prefixed fields (one reused EVP context), the same "
               "chain and hash comparisons");
    bench_result("journal.events_s", ev_s);
    bench_result("journal.chain_events_s", ch_s);
    bench_result("journal.base_events_s", bev_s);
    bench_result("journal.events", (double)events);
    pledger_close(reg);
    series_free(&jv);
    series_free(&jc);
    series_free(&jb);
}

int wl_journal(void *arg)
{
    (void)arg;
    char *pl_path = bench_path("batch.db");
    if (!bench_exists(pl_path))
        bench_die("%s: run the batch workload first", pl_path);
    sqlite3 *src = raw_open(pl_path, true);
    journal_section(pl_path, src);
    bench_log_section(pl_path);
    sqlite3_close(src);
    free(pl_path);
    return 0;
}

/* "<len>:<bytes>," for each field, as lib/store/journal.c hashes them. */
static size_t put_field(unsigned char *buf, const void *data, size_t n)
{
    char len[24];
    int k = snprintf(len, sizeof len, "%zu:", n);
    memcpy(buf, len, (size_t)k);
    if (n)
        memcpy(buf + k, data, n);
    buf[(size_t)k + n] = ',';
    return (size_t)k + n + 1;
}

static size_t put_int(unsigned char *buf, int64_t v)
{
    char num[24];
    int k = snprintf(num, sizeof num, "%" PRId64, v);
    return put_field(buf, num, (size_t)k);
}

static void journal_baseline(sqlite3 *h, bench_series *out, int64_t *events)
{
    sqlite3_stmt *st = bench_prepare(h, "SELECT seq, at_us, actor, role, operation, subject,"
                                        " payload, prev_hash, hash FROM journal ORDER BY seq");
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const EVP_MD *md = EVP_sha256();
    unsigned char prev[32] = { 0 }, hash[32], *buf = NULL;
    size_t cap = 0;
    int64_t expect = 1, t0 = bench_ns();
    int rc;

    *events = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t need = 32 + 7 * 24 + 16, k = 0;
        for (int c = 2; c <= 6; c++)
            need += (size_t)sqlite3_column_bytes(st, c);
        if (need > cap) {
            cap = need * 2;
            if (!(buf = realloc(buf, cap)))
                bench_die("out of memory");
        }
        if (sqlite3_column_int64(st, 0) != expect || sqlite3_column_bytes(st, 7) != 32 ||
            memcmp(sqlite3_column_blob(st, 7), prev, 32) != 0)
            bench_die("journal baseline: chain broken at %" PRId64, expect);
        k += put_field(buf + k, prev, 32);
        k += put_int(buf + k, sqlite3_column_int64(st, 0));
        k += put_int(buf + k, sqlite3_column_int64(st, 1));
        for (int c = 2; c <= 6; c++)
            k += put_field(buf + k, sqlite3_column_text(st, c),
                           (size_t)sqlite3_column_bytes(st, c));
        if (EVP_DigestInit_ex(ctx, md, NULL) != 1 || EVP_DigestUpdate(ctx, buf, k) != 1 ||
            EVP_DigestFinal_ex(ctx, hash, NULL) != 1)
            bench_die("SHA-256 failed");
        if (sqlite3_column_bytes(st, 8) != 32 || memcmp(sqlite3_column_blob(st, 8), hash, 32))
            bench_die("journal baseline: event %" PRId64 " does not hash as pledger's", expect);
        memcpy(prev, hash, 32);
        expect++;
        (*events)++;
    }
    bench_sq(h, rc, "journal scan");
    series_add(out, (double)(bench_ns() - t0));
    sqlite3_finalize(st);
    EVP_MD_CTX_free(ctx);
    free(buf);
}

/* ---- 9. bulk filing -------------------------------------------------------------- */

/* The tables a filing writes, parents first; party_name is written by
 * pledge_version's trigger, on both sides. */
static const char *const bulk_tables[] = {
    "sequence", "application", "application_right", "review",  "pledge",
    "pledge_version", "pledge_right", "certificate", "journal", "journal_node",
};
#define N_BULK_TABLES (sizeof bulk_tables / sizeof bulk_tables[0])

/* Every row of @table in @src, as values (the caller frees them). */
static sqlite3_value **table_rows(sqlite3 *src, const char *table, size_t *nrows, int *ncol)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY rowid", table);
    sqlite3_stmt *st = bench_prepare(src, sql);
    sqlite3_value **v = NULL;
    size_t n = 0, cap = 0;
    int rc;
    *ncol = sqlite3_column_count(st);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n + (size_t)*ncol > cap) {
            cap = cap ? 2 * cap : 4096;
            if (!(v = realloc(v, cap * sizeof *v)))
                bench_die("out of memory");
        }
        for (int j = 0; j < *ncol; j++)
            if (!(v[n++] = sqlite3_value_dup(sqlite3_column_value(st, j))))
                bench_die("out of memory");
    }
    bench_sq(src, rc, table);
    sqlite3_finalize(st);
    *nrows = *ncol ? n / (size_t)*ncol : 0;
    return v;
}

int wl_bulk(void *arg)
{
    (void)arg;
    char *pl_path = bench_path("bulk.db"), *base_path = bench_path("bulk-base.db");
    size_t n = bench.bulk_n;
    pledger_application **apps = calloc(n, sizeof *apps);
    pledger_filing *f = NULL;
    bench_rng rng;

    if (!apps)
        bench_die("out of memory");
    load_samples();
    bench_unlink_db(pl_path);
    bench_unlink_db(base_path);
    pledger_registry *reg = open_registry(pl_path);
    pledger_close(open_registry(base_path)); /* the same schema, settings and meta */
    rng_seed(&rng, bench.seed, 9);
    for (size_t i = 0; i < n; i++)
        apps[i] = make_app(PLEDGER_KIND_RECEIVABLE, i, &rng);
    act(reg, "bank-1", PLEDGER_ROLE_APPLICANT);

    /* pledger: one call, durable (synchronous=FULL commit included) */
    int64_t cpu0 = bench_cpu_ns(), wall0 = bench_ns();
    int rc = pledger_file_batch(&f, reg, apps, n);
    double pl_wall = (double)(bench_ns() - wall0), pl_cpu = (double)(bench_cpu_ns() - cpu0);
    if (rc) {
        if (f && pledger_filing_blocked(f))
            for (size_t i = 0; i < n; i++)
                if (pledger_filing_item_blocked(f, i)) {
                    const pledger_review *r = pledger_filing_review(f, i);
                    for (size_t k = 0; k < pledger_review_count(r); k++)
                        fprintf(stderr, "item %zu: %s %s\n", i, pledger_review_code(r, k),
                                pledger_review_message(r, k));
                    break;
                }
        bench_pl(reg, rc, "pledger_file_batch");
    }
    pledger_filing_free(f);
    for (size_t i = 0; i < n; i++)
        pledger_application_free(apps[i]);
    free(apps);

    /* baseline: the rows the call left, by prepared INSERTs, one transaction */
    sqlite3 *src = raw_open(pl_path, true), *dst = raw_open(base_path, false);
    sqlite3_value **rows[N_BULK_TABLES];
    size_t nrows[N_BULK_TABLES], total_rows = 0;
    int ncol[N_BULK_TABLES];
    sqlite3_stmt *ins[N_BULK_TABLES];
    for (size_t t = 0; t < N_BULK_TABLES; t++) {
        char sql[1024];
        int len = snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (", bulk_tables[t]);
        rows[t] = table_rows(src, bulk_tables[t], &nrows[t], &ncol[t]);
        for (int j = 0; j < ncol[t]; j++)
            len += snprintf(sql + len, sizeof sql - (size_t)len, "%s?", j ? ", " : "");
        snprintf(sql + len, sizeof sql - (size_t)len, ")");
        ins[t] = bench_prepare(dst, sql);
        total_rows += nrows[t];
    }
    cpu0 = bench_cpu_ns();
    wall0 = bench_ns();
    bench_exec(dst, "BEGIN IMMEDIATE");
    for (size_t t = 0; t < N_BULK_TABLES; t++)
        for (size_t r = 0; r < nrows[t]; r++) {
            for (int j = 0; j < ncol[t]; j++)
                sqlite3_bind_value(ins[t], j + 1, rows[t][r * (size_t)ncol[t] + (size_t)j]);
            if (sqlite3_step(ins[t]) != SQLITE_DONE)
                bench_die("baseline bulk: %s: %s", bulk_tables[t], sqlite3_errmsg(dst));
            sqlite3_reset(ins[t]);
        }
    bench_exec(dst, "COMMIT");
    double base_wall = (double)(bench_ns() - wall0), base_cpu = (double)(bench_cpu_ns() - cpu0);
    for (size_t t = 0; t < N_BULK_TABLES; t++) {
        for (size_t k = 0; k < nrows[t] * (size_t)ncol[t]; k++)
            sqlite3_value_free(rows[t][k]);
        free(rows[t]);
        sqlite3_finalize(ins[t]);
    }
    sqlite3_close(src);
    sqlite3_close(dst);
    pledger_close(reg);

    bench_section("9. Bulk filing: receivables filed by one pledger_file_batch() call");
    bench_note("%zu receivables (save, review, submit, accept, register each; 5 journal events "
               "each), one transaction, durable commit:", n);
    bench_note("pledger : wall %.3f s = %.0f filings/s; thread CPU %.3f s = %.0f filings/s "
               "(one core)", pl_wall / 1e9, n / (pl_wall / 1e9), pl_cpu / 1e9,
               n / (pl_cpu / 1e9));
    bench_note("baseline: wall %.3f s, thread CPU %.3f s (the same %zu rows of %zu tables "
               "by prepared INSERT, one transaction)", base_wall / 1e9, base_cpu / 1e9,
               total_rows, (size_t)N_BULK_TABLES);
    bench_note("ratio pledger / baseline: wall %.2f, CPU %.2f", pl_wall / base_wall,
               pl_cpu / base_cpu);
    bench_result("bulk.filings_s", n / (pl_cpu / 1e9));
    bench_result("bulk.ratio", pl_cpu / base_cpu);
    free(pl_path);
    free(base_path);
    return 0;
}

/* ---- 10. the data line: importing an acceptance point's batch at the office ----------- */

/* A keyring holding a fresh ECDSA P-256 key named @name: its private half
 * in *@priv, its public half in *@pub. */
static void site_keys(const char *name, pledger_keyring **priv, pledger_keyring **pub)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    BIO *b = BIO_new(BIO_s_mem()), *bp = BIO_new(BIO_s_mem());
    char *pem = NULL;
    if (!k || !b || !bp || PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL) != 1 ||
        PEM_write_bio_PUBKEY(bp, k) != 1)
        bench_die("making a key");
    long n = BIO_get_mem_data(b, &pem);
    bench_pl(NULL, pledger_keyring_new(priv), "keyring");
    bench_pl(NULL, pledger_keyring_add_pem(*priv, name, pem, (size_t)n), "key");
    n = BIO_get_mem_data(bp, &pem);
    bench_pl(NULL, pledger_keyring_new(pub), "keyring");
    bench_pl(NULL, pledger_keyring_add_pem(*pub, name, pem, (size_t)n), "key");
    BIO_free(b);
    BIO_free(bp);
    EVP_PKEY_free(k);
}

int wl_exchange(void *arg)
{
    (void)arg;
    char *ap_path = bench_path("point.db"), *of_path = bench_path("office.db");
    size_t n = bench.bulk_n, per_kind[8] = { 0 };
    pledger_keyring *ap_priv, *ap_pub, *of_priv, *of_pub;
    bench_rng rng;

    load_samples();
    bench_unlink_db(ap_path);
    bench_unlink_db(of_path);
    pledger_registry *ap = open_registry(ap_path), *of = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    o.office_code = "BJ00";
    bench_pl(NULL, pledger_open(&of, of_path, &o), of_path);
    bench_pl(of, pledger_set_clock(of, bench_clock, NULL), "set_clock");
    site_keys("FZ01", &ap_priv, &ap_pub);
    site_keys("BJ00", &of_priv, &of_pub);
    act(ap, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    bench_pl(ap, pledger_set_site(ap, PLEDGER_SITE_ACCEPTANCE_POINT, "BJ00"), "set_site");
    rng_seed(&rng, bench.seed, 10);

    /* the acceptance point's n accepted applications (not measured) */
    for (size_t i = 0; i < n; i++) {
        if (i % 1000 == 0) {
            if (i)
                bench_batch_commit(ap);
            bench_batch_begin(ap);
        }
        int kind = kind_of(i);
        pledger_application *app = make_app(kind, per_kind[kind]++, &rng);
        pledger_review *rv = NULL;
        act(ap, "applicant-1", PLEDGER_ROLE_APPLICANT);
        bench_pl(ap, pledger_application_save(ap, app), "save");
        char uuid[37];
        snprintf(uuid, sizeof uuid, "%s", pledger_application_uuid(app));
        pledger_application_free(app);
        bench_pl(ap, pledger_application_review(&rv, ap, uuid), "review");
        check_review(rv, kind);
        pledger_review_free(rv);
        bench_pl(ap, pledger_application_submit(ap, uuid), "submit");
        act(ap, "clerk-1", PLEDGER_ROLE_CLERK);
        bench_pl(ap, pledger_application_accept(NULL, ap, uuid), "accept");
    }
    bench_batch_commit(ap);

    /* export at the point, import at the office */
    char *batch = NULL, *receipt = NULL;
    size_t blen = 0, rlen = 0;
    act(ap, "clerk-1", PLEDGER_ROLE_CLERK);
    int64_t c0 = bench_cpu_ns(), w0 = bench_ns();
    bench_pl(ap, pledger_exchange_export(&batch, &blen, ap, "BJ00", ap_priv), "export");
    double ex_wall = (double)(bench_ns() - w0), ex_cpu = (double)(bench_cpu_ns() - c0);
    act(of, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    c0 = bench_cpu_ns();
    w0 = bench_ns();
    bench_pl(of, pledger_exchange_import(&receipt, &rlen, of, batch, blen, ap_pub, of_priv),
             "import");
    double im_wall = (double)(bench_ns() - w0), im_cpu = (double)(bench_cpu_ns() - c0);
    /* the same batch again: exactly once, the stored receipt */
    char *again = NULL;
    w0 = bench_ns();
    bench_pl(of, pledger_exchange_import(&again, NULL, of, batch, blen, ap_pub, of_priv),
             "import again");
    double again_wall = (double)(bench_ns() - w0);
    if (strcmp(again, receipt) != 0)
        bench_die("importing the batch again gave another receipt");

    bench_section("10. The data line: a batch of accepted applications, point to office");
    bench_note("%zu applications of the seven kinds, one batch of %.1f MB:", n, blen / 1e6);
    bench_note("export at the point: wall %.3f s, CPU %.3f s (%.0f items/s)", ex_wall / 1e9,
               ex_cpu / 1e9, n / (ex_cpu / 1e9));
    bench_note("import at the office (signature, schema, every item received and reviewed, "
               "receipt signed, one durable commit): wall %.3f s = %.0f items/s; CPU %.3f s = "
               "%.0f items/s", im_wall / 1e9, n / (im_wall / 1e9), im_cpu / 1e9,
               n / (im_cpu / 1e9));
    bench_note("the same batch imported again (its receipt returned, nothing written): %.3f s",
               again_wall / 1e9);
    bench_result("exchange.import_items_s", n / (im_cpu / 1e9));
    pledger_free(batch);
    pledger_free(receipt);
    pledger_free(again);
    pledger_keyring_free(ap_priv);
    pledger_keyring_free(ap_pub);
    pledger_keyring_free(of_priv);
    pledger_keyring_free(of_pub);
    pledger_close(ap);
    pledger_close(of);
    free(ap_path);
    free(of_path);
    return 0;
}
