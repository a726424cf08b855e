/* The read workloads at one registry size: 3. verification by
 * registration number, 4. search by right, by party identifier, by
 * bank (a pledgee's page) and by similar name (a pledgor's name written
 * another way: its similar-name key and another legal form), each current
 * and "as of" a past instant.
 *
 * pledger answers through the public API on a read-only handle with the
 * bank role (as a bank would); the baseline is a second, plain SQLite
 * connection to the same file (default page cache, like pledger's) running
 * prepared, indexed selects that fetch the same rows.  Each operation runs
 * once on each side on the same key, the side that goes first alternating,
 * after a warm-up of both. */
#include "bench.h"
#include "store/sqlite.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

/* ---- verification ---------------------------------------------------------- */

static const char sql_verify_base[] =
    "SELECT p.id, p.kind, p.registered_at, v.version, v.valid_from, v.state,"
    " v.pledgor_name, v.pledgor_id_type, v.pledgor_id, v.pledgee_name, v.pledgee_id_type,"
    " v.pledgee_id, v.amount, v.currency, v.period_start, v.period_end"
    " FROM pledge p JOIN pledge_version v ON v.pledge_id = p.id"
    " WHERE p.registration_number = ?1"
    " AND v.valid_from <= ?2 AND (v.valid_to IS NULL OR v.valid_to > ?2)";
static const char sql_verify_current[] =
    "SELECT p.id, p.kind, p.registered_at, v.version, v.valid_from, v.state,"
    " v.pledgor_name, v.pledgor_id_type, v.pledgor_id, v.pledgee_name, v.pledgee_id_type,"
    " v.pledgee_id, v.amount, v.currency, v.period_start, v.period_end"
    " FROM pledge p JOIN pledge_version v ON v.pledge_id = p.id"
    " WHERE p.registration_number = ?1 AND v.valid_to IS NULL AND ?2 IS NOT NULL";
static const char sql_rights_base[] =
    "SELECT right_key, identifier FROM pledge_right WHERE pledge_id = ?1 ORDER BY idx";

static volatile uint64_t sink;

/* Read every column of the current row (what a caller of bare SQLite
 * would do with it). */
static void touch_row(sqlite3_stmt *st)
{
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        if (sqlite3_column_type(st, i) == SQLITE_TEXT)
            sink += (uint64_t)sqlite3_column_bytes(st, i) + (uint64_t)*sqlite3_column_text(st, i);
        else
            sink += (uint64_t)sqlite3_column_int64(st, i);
    }
}

static int base_verify(sqlite3 *h, sqlite3_stmt *v, sqlite3_stmt *r, const char *number,
                       int64_t at)
{
    int rc, rows = 0;
    sqlite3_bind_text(v, 1, number, -1, SQLITE_STATIC);
    sqlite3_bind_int64(v, 2, at);
    if ((rc = sqlite3_step(v)) == SQLITE_ROW) {
        touch_row(v);
        int64_t id = sqlite3_column_int64(v, 0);
        sqlite3_bind_int64(r, 1, id);
        while ((rc = sqlite3_step(r)) == SQLITE_ROW) {
            touch_row(r);
            rows++;
        }
        bench_sq(h, rc, "baseline rights");
        sqlite3_reset(r);
    } else {
        bench_sq(h, rc, "baseline verify");
    }
    sqlite3_reset(v);
    return rows;
}

static int pl_verify_one(pledger_registry *reg, const char *number, int64_t as_of)
{
    pledger_verification *v = NULL;
    pledger_verify_options o = PLEDGER_VERIFY_OPTIONS_INIT;
    o.as_of = as_of;
    bench_pl(reg, pledger_verify(&v, reg, number, &o), number);
    int n = (int)pledger_pledge_right_count(pledger_verification_pledge(v));
    sink += (uint64_t)pledger_pledge_state_of(pledger_verification_pledge(v)) + (uint64_t)pledger_pledge_amount(pledger_verification_pledge(v)) +
            (uint64_t)*pledger_pledge_pledgor_name(pledger_verification_pledge(v));
    pledger_verification_free(v);
    return n;
}

/* ---- search -------------------------------------------------------------- */

#define HIT_COLS                                                               \
    "p.id, p.registered_at, p.registration_number, p.kind, v.state, v.version," \
    " v.pledgor_name, v.pledgor_id_type, v.pledgor_id, v.pledgee_name,"        \
    " v.pledgee_id_type, v.pledgee_id, v.amount, v.currency, v.period_start,"  \
    " v.period_end"
#define VALID " AND v.valid_from <= ?2 AND (v.valid_to IS NULL OR v.valid_to > ?2)"

static const char sql_s_right[] =
    "SELECT " HIT_COLS " FROM pledge_right r JOIN pledge p ON p.id = r.pledge_id"
    " JOIN pledge_version v ON v.pledge_id = p.id"
    " WHERE r.kind = ?3 AND r.right_key = ?1 AND p.registered_at <= ?2" VALID
    " ORDER BY p.registered_at, p.id LIMIT ?4";
#define BY(col)                                                                \
    "SELECT " HIT_COLS " FROM pledge_version f JOIN pledge p ON p.id = f.pledge_id" \
    " JOIN pledge_version v ON v.pledge_id = p.id"                             \
    " WHERE f." col " = ?1 AND f.version = 1 AND f.valid_from <= ?2" VALID     \
    " ORDER BY f.valid_from, f.pledge_id LIMIT ?4"
static const char sql_s_pledgor[] = BY("pledgor_id");
/* the names whose similar-name key is the one searched for (the index of
 * pledger's plan; its other arms, the name key and the keys' tails, are
 * pledger's extra work) */
static const char sql_s_name[] =
    "SELECT " HIT_COLS " FROM pledge p JOIN pledge_version v ON v.pledge_id = p.id"
    " WHERE p.id IN (SELECT pledge_id FROM party_name WHERE core = ?1)"
    " AND p.registered_at <= ?2" VALID
    " ORDER BY p.registered_at, p.id LIMIT ?4";
static const char sql_s_pledgee[] = BY("pledgee_id");

static int base_rows(sqlite3 *h, sqlite3_stmt *st, const char *key, int64_t at, int kind,
                     int limit)
{
    int rc, rows = 0;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_int(st, 3, kind);
    sqlite3_bind_int(st, 4, limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        touch_row(st);
        rows++;
    }
    bench_sq(h, rc, "baseline search");
    sqlite3_reset(st);
    return rows;
}

typedef enum { S_RIGHT, S_PARTY, S_BANK, S_NAME } search_kind;
static const char *const search_names[] = { "right", "party", "bank", "name" };

typedef struct skey {
    int kind;
    char key[160];
    char core[160]; /* S_NAME: the similar-name key, for the baseline */
} skey;

static int pl_search_one(pledger_registry *reg, search_kind sk, const skey *k, int64_t as_of,
                         int page)
{
    pledger_query q = PLEDGER_QUERY_INIT;
    pledger_cursor *cur = NULL;
    int n = 0;
    q.as_of = as_of;
    q.page_size = page;
    if (sk == S_RIGHT) {
        q.kind = k->kind;
        q.right_id = k->key;
    } else if (sk == S_NAME) {
        q.party_name = k->key;
    } else {
        q.party_id = k->key;
        q.party_side = sk == S_BANK ? PLEDGER_PARTY_PLEDGEE : PLEDGER_PARTY_EITHER;
    }
    bench_pl(reg, pledger_search(&cur, reg, &q), k->key);
    while (pledger_cursor_next(cur) == 1) {
        sink += (uint64_t)*pledger_pledge_number(pledger_cursor_pledge(cur));
        n++;
    }
    pledger_cursor_free(cur);
    return n;
}

/* ---- operations for bench_interleave ---------------------------------------- */

typedef struct rctx {
    pledger_registry *reg;
    sqlite3 *h;
    sqlite3_stmt *s1, *s2;
    char (*numbers)[64];
    skey *keys;
    search_kind sk;
    int64_t at, sql_at;
    int page;
    size_t hits;
} rctx;

static int op_pl_verify(void *c, size_t i)
{
    rctx *x = c;
    return pl_verify_one(x->reg, x->numbers[i], x->at);
}

static int op_base_verify(void *c, size_t i)
{
    rctx *x = c;
    return base_verify(x->h, x->s1, x->s2, x->numbers[i], x->sql_at);
}

static void check_verify(void *c, size_t i, int a, int b)
{
    rctx *x = c;
    if (a != b || a == 0)
        bench_die("verify %s: pledger has %d rights, the baseline %d", x->numbers[i], a, b);
}

static int op_pl_search(void *c, size_t i)
{
    rctx *x = c;
    return pl_search_one(x->reg, x->sk, &x->keys[i], x->at, x->page);
}

static int op_base_search(void *c, size_t i)
{
    rctx *x = c;
    int b = base_rows(x->h, x->s1, x->sk == S_NAME ? x->keys[i].core : x->keys[i].key,
                      x->sql_at, x->keys[i].kind, x->page + 1);
    if (x->s2)
        b += base_rows(x->h, x->s2, x->keys[i].key, x->sql_at, 0, x->page + 1);
    return b;
}

static void check_search(void *c, size_t i, int a, int b)
{
    rctx *x = c;
    /* party and name: pledger also matches the other side (or the name
     * key, and the longer keys), the baseline one side (or the key) */
    if ((x->sk != S_PARTY && x->sk != S_NAME && a != (b > x->page ? x->page : b)) ||
        (x->sk == S_NAME && a < (b > x->page ? x->page : b)) ||
        (a == 0 && (x->sk != S_BANK || b != 0)))
        bench_die("search %s '%s': pledger %d hits, baseline %d rows", search_names[x->sk],
                  x->keys[i].key, a, b);
    x->hits += (size_t)a;
}

/* ---- the workload ---------------------------------------------------------- */

static sqlite3_stmt *prep(sqlite3 *h, const char *sql) { return bench_prepare(h, sql); }

int wl_read(void *arg)
{
    size_t n = *(size_t *)arg;
    char *path = bench_registry(n), label[96], key[128], sz[16];
    pledger_registry *reg = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    sqlite3 *h = NULL;
    bench_rng rng;
    int64_t mid = bench_registry_mid();
    size_t ops = bench.verify_ops;

    if (n >= 1000000)
        snprintf(sz, sizeof sz, "%zuM", n / 1000000);
    else
        snprintf(sz, sizeof sz, "%zuk", n / 1000);
    o.read_only = 1;
    bench_pl(NULL, pledger_open(&reg, path, &o), path);
    bench_pl(reg, pledger_set_actor(reg, "bank-1", PLEDGER_ROLE_BANK), "set_actor");
    bench_sq(h, sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), path);
    bench_mirror(h, reg);
    rng_seed(&rng, bench.seed, 200 + n);

    int64_t as_of_max_id;
    {
        sqlite3_stmt *st = prep(h, "SELECT max(id) FROM pledge WHERE registered_at <= ?1");
        sqlite3_bind_int64(st, 1, mid);
        bench_sq(h, sqlite3_step(st), "max id");
        as_of_max_id = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }

    /* keys, sampled outside the timed sections */
    char (*numbers)[64] = calloc(ops, sizeof *numbers);
    skey *keys = calloc(bench.search_ops, sizeof *keys);
    if (!numbers || !keys)
        bench_die("out of memory");

    snprintf(label, sizeof label, "3-4. Verification and search, registry of %zu pledges", n);
    bench_section(label);
    for (int asof = 0; asof < 2; asof++) {
        int64_t at = asof ? mid : PLEDGER_AS_OF_CURRENT;
        int64_t sql_at = asof ? mid : INT64_MAX;
        int64_t max_id = asof ? as_of_max_id : (int64_t)n;
        const char *when = asof ? "as_of" : "current";
        sqlite3_stmt *num = prep(h, "SELECT registration_number FROM pledge WHERE id = ?1");
        for (size_t i = 0; i < ops; i++) {
            sqlite3_bind_int64(num, 1, 1 + (int64_t)rng_below(&rng, (uint64_t)max_id));
            bench_sq(h, sqlite3_step(num), "number");
            snprintf(numbers[i], sizeof numbers[i], "%s", sqlite3_column_text(num, 0));
            sqlite3_reset(num);
        }
        sqlite3_finalize(num);

        /* 3. verify (BENCH_ONLY=<key prefix> runs one operation: for profiling) */
        const char *only = getenv("BENCH_ONLY");
        snprintf(key, sizeof key, "verify.%s", when);
        if (only && strncmp(key, only, strlen(only)) && strncmp(only, key, strlen(key)))
            goto search;
        sqlite3_stmt *bv = prep(h, asof ? sql_verify_base : sql_verify_current);
        sqlite3_stmt *br = prep(h, sql_rights_base);
        bench_series pl = { 0 }, base = { 0 };
        rctx x = { reg, h, bv, br, numbers, keys, S_RIGHT, at, sql_at, 0, 0 };
        for (size_t i = 0; i < ops / 10; i++) {
            op_pl_verify(&x, i);
            op_base_verify(&x, i);
        }
        bench_interleave(ops, op_pl_verify, &x, op_base_verify, &x, &pl, &base, check_verify,
                         &x);
        snprintf(label, sizeof label, "verify %s @%s", when, sz);
        snprintf(key, sizeof key, "verify.%s.%zu", when, n);
        bench_row(key, label, &pl, &base);
        series_free(&pl);
        series_free(&base);
        sqlite3_finalize(bv);
        sqlite3_finalize(br);

        /* 4. search */
    search:
        for (search_kind sk = S_RIGHT; sk <= S_NAME; sk++) {
            snprintf(key, sizeof key, "search.%s.%s", search_names[sk], when);
            if (only && strncmp(key, only, strlen(only)))
                continue;
            size_t sops = bench.search_ops;
            int page = sk == S_BANK ? 20 : 100;
            sqlite3_stmt *ks =
                prep(h, sk == S_RIGHT
                            ? "SELECT kind, right_key FROM pledge_right WHERE pledge_id = ?1"
                              " AND idx = 1"
                        : sk == S_NAME /* a company's: the first from a random pledge on */
                            ? "SELECT 0, pledgor_name FROM pledge_version WHERE pledge_id >= ?1"
                              " AND version = 1 AND pledgor_id_type = 'uscc'"
                              " ORDER BY pledge_id LIMIT 1"
                            : "SELECT 0, pledgor_id FROM pledge_version WHERE pledge_id = ?1"
                              " AND version = 1");
            for (size_t i = 0; i < sops; i++) {
                if (sk == S_BANK) {
                    id_uscc(keys[i].key, 5000000 + rng_below(&rng, BENCH_BANKS));
                    continue;
                }
                sqlite3_bind_int64(ks, 1, 1 + (int64_t)rng_below(&rng, (uint64_t)max_id));
                bench_sq(h, sqlite3_step(ks), "key");
                keys[i].kind = sqlite3_column_int(ks, 0);
                snprintf(keys[i].key, sizeof keys[i].key, "%s", sqlite3_column_text(ks, 1));
                sqlite3_reset(ks);
                if (sk == S_NAME) {
                    /* the name written another way: "福州华兴科技有限公司" is
                     * searched as "华兴科技有限责任公司" */
                    char *core = pl_text_name_core(keys[i].key, NULL);
                    if (!core)
                        bench_die("out of memory");
                    snprintf(keys[i].core, sizeof keys[i].core, "%s", core);
                    snprintf(keys[i].key, sizeof keys[i].key, "%s有限责任公司", core);
                    free(core);
                }
            }
            sqlite3_finalize(ks);
            sqlite3_stmt *s1 = prep(h, sk == S_RIGHT ? sql_s_right
                                       : sk == S_BANK ? sql_s_pledgee
                                       : sk == S_NAME ? sql_s_name
                                                      : sql_s_pledgor);
            sqlite3_stmt *s2 = sk == S_PARTY ? prep(h, sql_s_pledgee) : NULL;
            bench_series spl = { 0 }, sbase = { 0 };
            rctx y = { reg, h, s1, s2, numbers, keys, sk, at, sql_at, page, 0 };
            for (size_t i = 0; i < sops / 10; i++) {
                op_pl_search(&y, i);
                op_base_search(&y, i);
            }
            bench_interleave(sops, op_pl_search, &y, op_base_search, &y, &spl, &sbase,
                             check_search, &y);
            size_t hits = y.hits;
            snprintf(label, sizeof label, "search %s %s @%s", search_names[sk], when, sz);
            snprintf(key, sizeof key, "search.%s.%s.%zu", search_names[sk], when, n);
            bench_row(key, label, &spl, &sbase);
            bench_note("%.1f hits per search (page of %d)", (double)hits / (double)sops, page);
            series_free(&spl);
            series_free(&sbase);
            sqlite3_finalize(s1);
            sqlite3_finalize(s2);
        }
    }
    bench_note("as_of = %s instant in the middle of the history (2019-12-31); rows generated "
               "by SQL (no journal), see bench-gen.c", "an");
    bench_note("verify baseline: pledge + version by indexed registration number, then its "
               "rights; pledger also ranks each right (one count per right)");
    bench_note("search baselines: the same indexed walk and rows (pledge_right key; first "
               "versions by party; both sides for 'party', pledgee side for 'bank'; the "
               "similar-name key's index for 'name', whose query is a company pledgor's name "
               "as its similar-name key and another legal form)");
    free(numbers);
    free(keys);
    sqlite3_close(h);
    pledger_close(reg);
    free(path);
    return 0;
}
