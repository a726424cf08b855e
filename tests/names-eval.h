/* Recall and precision of similar-name search (pledger_search() with a
 * party name) on the names of tests/gen-names.py: every "P" line becomes
 * a pledge whose pledgor has that name, every "Q" line a search, whose
 * hits are right when they are pledges of the same company and wrong
 * otherwise (another company of the same province and industry, or any
 * other).  Shared by tests/test-names.c (a small set, bounds checked) and
 * tests/names-eval.c (the full set, figures printed).
 *
 * The pledges are written with SQL inserts into pledge and pledge_version
 * (foreign keys off: no application rows), as tests/bench/bench-gen.c
 * does; the name index is filled by its triggers as for a registration. */
#ifndef PL_TEST_NAMES_EVAL_H
#define PL_TEST_NAMES_EVAL_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pledger/query.h>
#include <pledger/registry.h>

#include "api/handle.h"
#include "store/sqlite.h"
#include "base/text.h"
#include "store/db.h"

#define NE_VARIANTS 16

typedef struct ne_line {
    char *company;
    char *variant; /* NULL for a pledge */
    char *name;
} ne_line;

typedef struct ne_result {
    size_t pledges, queries;
    size_t expected, found, hits, wrong;  /* right hits = found */
    size_t branch_hits;                   /* found, marked branch */
    char variant[NE_VARIANTS][16];
    size_t v_expected[NE_VARIANTS], v_found[NE_VARIANTS], v_wrong[NE_VARIANTS];
    size_t n_variants;
    double recall, precision;
    double p50_us, p99_us;
    char error[256];
} ne_result;

static inline char *ne_field(char **p)
{
    char *s = *p, *t;
    if (!s)
        return NULL;
    t = strpbrk(s, "\t\n");
    if (t) {
        *p = *t == '\t' ? t + 1 : NULL;
        *t = '\0';
    } else {
        *p = NULL;
    }
    return s;
}

static inline int ne_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static inline int ne_fail(ne_result *r, const char *what, const char *detail)
{
    snprintf(r->error, sizeof r->error, "%s: %s", what, detail ? detail : "");
    return -1;
}

/* Read @tsv, register its pledges in a new registry at @db_path, run its
 * searches; figures in *r.  0, or -1 with r->error set. */
static inline int ne_run(const char *tsv, const char *db_path, ne_result *r)
{
    FILE *f = fopen(tsv, "r");
    ne_line *lines = NULL;
    size_t n = 0, cap = 0, npl = 0;
    char buf[1024];
    pledger_registry *reg = NULL;
    sqlite3_stmt *ins_a = NULL, *ins_p = NULL, *ins_v = NULL;
    double *lat = NULL;
    int rc = -1;

    memset(r, 0, sizeof *r);
    if (!f)
        return ne_fail(r, tsv, "cannot open");
    while (fgets(buf, sizeof buf, f)) {
        char *p = buf, *kind = ne_field(&p);
        ne_line l = { 0 };
        if (!kind || (strcmp(kind, "P") && strcmp(kind, "Q")))
            continue;
        l.company = ne_field(&p);
        if (*kind == 'Q')
            l.variant = ne_field(&p);
        l.name = ne_field(&p);
        if (!l.company || !l.name || (*kind == 'Q' && !l.variant))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            ne_line *g = realloc(lines, cap * sizeof *lines);
            if (!g)
                goto oom;
            lines = g;
        }
        l.company = strdup(l.company);
        l.name = strdup(l.name);
        l.variant = l.variant ? strdup(l.variant) : NULL;
        lines[n++] = l;
    }
    fclose(f);
    f = NULL;

    remove(db_path);
    if (pledger_open(&reg, db_path, NULL)) {
        ne_fail(r, "pledger_open", pledger_errmsg(NULL));
        goto done;
    }
    sqlite3 *h = pl_db_handle(reg->db);
    if (sqlite3_exec(h, "PRAGMA foreign_keys = OFF; BEGIN", NULL, NULL, NULL) ||
        sqlite3_prepare_v2(h, "INSERT INTO application(id, uuid, kind, state, document,"
                              " doc_hash, created_at, created_by, updated_at, journal_seq)"
                              " VALUES (?1, 'app-' || ?1, 1, 7, '', '', 0, 'eval', 0, 0)",
                           -1, &ins_a, NULL) ||
        sqlite3_prepare_v2(h, "INSERT INTO pledge(id, registration_number, application_id,"
                              " kind, registered_at, office) VALUES (?1, ?2, ?1, 1, ?3, 'FZ01')",
                           -1, &ins_p, NULL) ||
        sqlite3_prepare_v2(h, "INSERT INTO pledge_version(pledge_id, version, valid_from,"
                              " state, operation, pledgor_name, pledgor_key, pledgor_id_type,"
                              " pledgor_id, pledgee_name, pledgee_key, pledgee_id_type,"
                              " pledgee_id, amount, currency, period_start, period_end,"
                              " journal_seq) VALUES (?1, 1, ?2, 1, 'register', ?3, ?4, 'uscc',"
                              " ?5, '兴业银行股份有限公司福州分行', ?6, 'uscc',"
                              " '91350100MA00000000', 100000, 'CNY', 19000, 21000, 0)",
                           -1, &ins_v, NULL)) {
        ne_fail(r, "preparing the inserts", sqlite3_errmsg(h));
        goto done;
    }
    char *bank_key = pl_text_name_key("兴业银行股份有限公司福州分行");
    for (size_t i = 0; i < n; i++) {
        char number[32], id[32];
        char *key;
        if (lines[i].variant)
            continue;
        npl++;
        snprintf(number, sizeof number, "N%zu", i);
        snprintf(id, sizeof id, "ID%zu", i);
        if (!(key = pl_text_name_key(lines[i].name)) || !bank_key)
            goto oom;
        sqlite3_bind_int64(ins_p, 1, (sqlite3_int64)i + 1);
        sqlite3_bind_text(ins_p, 2, number, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ins_p, 3, 1700000000000000LL + (sqlite3_int64)i);
        sqlite3_bind_int64(ins_a, 1, (sqlite3_int64)i + 1);
        sqlite3_bind_int64(ins_v, 1, (sqlite3_int64)i + 1);
        sqlite3_bind_int64(ins_v, 2, 1700000000000000LL + (sqlite3_int64)i);
        sqlite3_bind_text(ins_v, 3, lines[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_v, 4, key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins_v, 5, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins_v, 6, bank_key, -1, SQLITE_STATIC);
        free(key);
        if (sqlite3_step(ins_a) != SQLITE_DONE || sqlite3_step(ins_p) != SQLITE_DONE ||
            sqlite3_step(ins_v) != SQLITE_DONE) {
            ne_fail(r, "inserting a pledge", sqlite3_errmsg(h));
            free(bank_key);
            goto done;
        }
        sqlite3_reset(ins_a);
        sqlite3_reset(ins_p);
        sqlite3_reset(ins_v);
    }
    free(bank_key);
    if (sqlite3_exec(h, "COMMIT; PRAGMA foreign_keys = ON", NULL, NULL, NULL)) {
        ne_fail(r, "commit", sqlite3_errmsg(h));
        goto done;
    }
    r->pledges = npl;

    /* expected hits per company: its pledges */
    if (!(lat = calloc(n ? n : 1, sizeof *lat)))
        goto oom;
    for (size_t i = 0; i < n; i++) {
        size_t v, expected = 0, found = 0, wrong = 0;
        if (!lines[i].variant)
            continue;
        for (size_t j = 0; j < n; j++)
            expected += !lines[j].variant && strcmp(lines[j].company, lines[i].company) == 0;
        for (v = 0; v < r->n_variants && strcmp(r->variant[v], lines[i].variant); v++)
            ;
        if (v == r->n_variants) {
            if (v == NE_VARIANTS) {
                ne_fail(r, "too many variants", lines[i].variant);
                goto done;
            }
            snprintf(r->variant[v], sizeof r->variant[v], "%s", lines[i].variant);
            r->n_variants++;
        }
        pledger_query q = PLEDGER_QUERY_INIT;
        pledger_cursor *cur = NULL;
        struct timespec t0, t1;
        q.party_name = lines[i].name;
        q.page_size = 1000;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (pledger_search(&cur, reg, &q)) {
            ne_fail(r, lines[i].name, pledger_errmsg(reg));
            goto done;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        lat[r->queries] =
            (double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3;
        if (getenv("NAMES_EVAL_VERBOSE") && lat[r->queries] > 2000)
            fprintf(stderr, "slow: %s %.0f us\n", lines[i].name, lat[r->queries]);
        r->queries++;
        while (pledger_cursor_next(cur) == 1) {
            size_t k = (size_t)strtoul(pledger_pledge_number(pledger_cursor_pledge(cur)) + 1, NULL, 10);
            r->hits++;
            if (k < n && strcmp(lines[k].company, lines[i].company) == 0) {
                found++;
                r->branch_hits += pledger_cursor_name_match(cur) == PLEDGER_NAME_MATCH_BRANCH;
            } else {
                wrong++;
                if (getenv("NAMES_EVAL_VERBOSE"))
                    fprintf(stderr, "wrong: %s -> %s (%d)\n", lines[i].name,
                            pledger_pledge_pledgor_name(pledger_cursor_pledge(cur)), pledger_cursor_name_match(cur));
            }
        }
        pledger_cursor_free(cur);
        r->expected += expected;
        r->found += found;
        r->wrong += wrong;
        r->v_expected[v] += expected;
        r->v_found[v] += found;
        r->v_wrong[v] += wrong;
    }
    r->recall = r->expected ? (double)r->found / (double)r->expected : 0;
    r->precision = r->hits ? (double)r->found / (double)r->hits : 0;
    if (r->queries) {
        qsort(lat, r->queries, sizeof *lat, ne_cmp_double);
        r->p50_us = lat[r->queries / 2];
        r->p99_us = lat[(r->queries * 99) / 100];
    }
    rc = 0;
    goto done;
oom:
    ne_fail(r, "out of memory", NULL);
done:
    if (f)
        fclose(f);
    sqlite3_finalize(ins_a);
    sqlite3_finalize(ins_p);
    sqlite3_finalize(ins_v);
    pledger_close(reg);
    for (size_t i = 0; i < n; i++) {
        free(lines[i].company);
        free(lines[i].variant);
        free(lines[i].name);
    }
    free(lines);
    free(lat);
    return rc;
}

static inline void ne_print(FILE *out, const ne_result *r)
{
    fprintf(out, "similar-name search: %zu pledges, %zu searches\n", r->pledges, r->queries);
    fprintf(out, "  %-10s %8s %8s %8s %8s\n", "variant", "expected", "found", "wrong", "recall");
    for (size_t v = 0; v < r->n_variants; v++)
        fprintf(out, "  %-10s %8zu %8zu %8zu %8.4f\n", r->variant[v], r->v_expected[v],
                r->v_found[v], r->v_wrong[v],
                r->v_expected[v] ? (double)r->v_found[v] / (double)r->v_expected[v] : 0.0);
    fprintf(out, "  recall    %.4f (%zu of %zu pledges of the company found)\n", r->recall,
            r->found, r->expected);
    fprintf(out, "  precision %.4f (%zu of %zu hits right; %zu found as a branch)\n",
            r->precision, r->found, r->hits, r->branch_hits);
    fprintf(out, "  latency   p50 %.0f us, p99 %.0f us per search\n", r->p50_us, r->p99_us);
}

#endif
