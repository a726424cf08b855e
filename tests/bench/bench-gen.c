/* A registry of N registered pledges for the read workloads, written with
 * SQL inserts that follow lib/store/schema-workflow.c (the workflow would
 * take hours for 10M pledges).  What is realistic: registration numbers
 * of the default template, valid USCCs and resident identity numbers,
 * trademark and patent numbers with their check digits, the kind mix, a
 * pool of N/4 pledgors (about 4 pledges each) and 200 banks as pledgees,
 * 1 to 3 rights per pledge, 10 % of the pledges with a second version (a
 * change, or a cancellation) so that "as of" answers differ from current
 * ones, registrations spread over 2015-2024 in id order.  What is not:
 * the journal is empty (the read workloads never read it), application
 * and certificate documents are short placeholders and journal_seq is 0.
 *
 * The database is built once per size and seed (a ".done" file marks it
 * complete) with the schema's own indexes dropped during the load and
 * re-created, exactly as the schema defines them, afterwards. */
#include "bench.h"
#include "store/sqlite.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/error.h"
#include "base/ident.h"
#include "base/text.h"
#include "store/schema.h"

#define START_US INT64_C(1420070400000000) /* 2015-01-01T00:00:00Z */
#define SPAN_US (INT64_C(3653) * BENCH_DAY_US)

int64_t bench_registry_mid(void) { return START_US + SPAN_US / 2; }

static const char *const kind_codes[] = { NULL, "TM", "PT", "AR", "EQ", "EM", "SA", "LD" };
static const char *const offices[] = { "FZ01", "SZ01", "BJ01", "SH01",
                                       "HZ01", "CD01", "WH01", "SU01" };
static const char code_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int gen_kind(bench_rng *r)
{
    /* trademark 30 %, receivable 30 %, patent 15 %, equity 10 %, 5 % each other */
    static const int mix[20] = { 1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 2, 2, 2, 4, 4, 5, 6, 7 };
    return mix[rng_below(r, 20)];
}

static void hex(bench_rng *r, char *out, size_t digits)
{
    static const char h[] = "0123456789abcdef";
    for (size_t i = 0; i < digits; i++)
        out[i] = h[rng_below(r, 16)];
    out[digits] = '\0';
}

static void uuid4(bench_rng *r, char out[37])
{
    hex(r, out, 36);
    out[8] = out[13] = out[18] = out[23] = '-';
    out[14] = '4';
    out[19] = "89ab"[rng_below(r, 4)];
}

static void code16(bench_rng *r, char out[20])
{
    for (int i = 0; i < 19; i++)
        out[i] = (i % 5 == 4) ? '-' : code_alphabet[rng_below(r, 31)];
    out[19] = '\0';
}

static void normalize(pledger_id_type type, const char *in, char *out, size_t size)
{
    pl_err e;
    if (pl_ident_normalize(&e, type, in, INT32_MAX, out, size))
        bench_die("generated identifier '%s' is invalid: %s", in, e.msg);
}

typedef struct party {
    char name[160];
    char *key;
    const char *id_type;
    char id[32];
} party;

static void party_free(party *p)
{
    free(p->key);
    p->key = NULL;
}

static void make_pledgor(party *p, uint64_t idx, int kind)
{
    bool person = kind == PLEDGER_KIND_EQUITY || kind == PLEDGER_KIND_LAND || idx % 7 == 3;
    if (person) {
        name_person(p->name, sizeof p->name, idx);
        id_resident(p->id, idx);
        p->id_type = "resident";
    } else {
        name_company(p->name, sizeof p->name, idx);
        id_uscc(p->id, idx);
        p->id_type = "uscc";
    }
    if (!(p->key = pl_text_name_key(p->name)))
        bench_die("out of memory");
}

static void make_bank(party *p, uint64_t b)
{
    name_bank(p->name, sizeof p->name, b);
    id_uscc(p->id, 5000000 + b);
    p->id_type = "uscc";
    if (!(p->key = pl_text_name_key(p->name)))
        bench_die("out of memory");
}

/* Pledgor pool size for a registry of @n pledges. */
static uint64_t pledgor_pool(size_t n) { return n / 4 > 1000 ? n / 4 : 1000; }

static const char *const table_list =
    "('application', 'application_right', 'pledge', 'pledge_version', 'pledge_right',"
    " 'certificate', 'review')";

char *bench_registry(size_t n)
{
    char name[96], *path, *marker;
    sqlite3 *h = NULL;
    sqlite3_stmt *st, *ins_app, *ins_pledge, *ins_ver, *ins_right, *ins_cert;
    char **index_sql = NULL;
    size_t n_index = 0;
    bench_rng r;
    int counters[8][8][12];
    uint64_t serial[8] = { 0 };

    snprintf(name, sizeof name, "registry-%zu-s%" PRIu64 ".db", n, bench.seed);
    path = bench_path(name);
    if (asprintf(&marker, "%s.done", path) < 0)
        bench_die("out of memory");
    if (bench_exists(marker)) {
        free(marker);
        return path;
    }
    printf("   (generating %s: %zu pledges, once per size and seed)\n", name, n);
    fflush(stdout);
    int64_t t0 = bench_ns();
    bench_unlink_db(path);
    {
        pledger_registry *reg = NULL;
        pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
        o.office_code = "FZ01";
        bench_pl(NULL, pledger_open(&reg, path, &o), path);
        pledger_close(reg);
    }
    setenv("SQLITE_TMPDIR", bench.dir, 1);
    bench_sq(h, sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL), path);
    /* the name index's triggers call them (store/schema-names.c) */
    bench_sq(h, pl_schema_functions(h), "registering the schema's functions");
    bench_exec(h, "PRAGMA journal_mode = DELETE");
    bench_exec(h, "PRAGMA journal_mode = OFF");
    bench_exec(h, "PRAGMA synchronous = OFF");
    bench_exec(h, "PRAGMA cache_size = -1048576");
    bench_exec(h, "PRAGMA foreign_keys = OFF");

    /* Drop the schema's indexes on the loaded tables; re-create them after. */
    {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                 " AND tbl_name IN %s",
                 table_list);
        st = bench_prepare(h, sql);
        char **names = NULL;
        while (sqlite3_step(st) == SQLITE_ROW) {
            char **v = realloc(index_sql, (n_index + 1) * sizeof *v);
            char **w = realloc(names, (n_index + 1) * sizeof *w);
            if (w)
                names = w;
            if (!v || !w || !(v[n_index] = strdup((const char *)sqlite3_column_text(st, 1))) ||
                !(w[n_index] = strdup((const char *)sqlite3_column_text(st, 0))))
                bench_die("out of memory");
            index_sql = v;
            n_index++;
        }
        sqlite3_finalize(st);
        st = NULL;
        for (size_t i = 0; i < n_index; i++) {
            snprintf(sql, sizeof sql, "DROP INDEX \"%s\"", names[i]);
            bench_exec(h, sql);
            free(names[i]);
        }
        free(names);
    }

    ins_app = bench_prepare(
        h, "INSERT INTO application(id, uuid, kind, state, document, doc_hash, pledgor_name,"
           " pledgor_key, pledgor_id, pledgee_name, pledgee_key, pledgee_id, amount, currency,"
           " created_at, created_by, updated_at, submitted_at, office, acceptance_number,"
           " accepted_at, accepted_by, decided_at, decided_by, journal_seq)"
           " VALUES (?1, ?2, ?3, 6, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'CNY', ?13,"
           " 'applicant-1', ?14, ?13, ?15, ?16, ?13, 'clerk-1', ?14, 'registrar-1', 0)");
    ins_pledge = bench_prepare(
        h, "INSERT INTO pledge(id, registration_number, application_id, kind, registered_at,"
           " office, modcode_salt, modcode_hash) VALUES (?1, ?2, ?1, ?3, ?4, ?5, ?6, ?7)");
    ins_ver = bench_prepare(
        h, "INSERT INTO pledge_version(pledge_id, version, valid_from, valid_to, state,"
           " operation, pledgor_name, pledgor_key, pledgor_id_type, pledgor_id, pledgee_name,"
           " pledgee_key, pledgee_id_type, pledgee_id, debtor_name, debtor_id, amount, currency,"
           " period_start, period_end, objection_by, objection_until, litigation, note,"
           " journal_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'uscc',"
           " ?13, NULL, NULL, ?14, 'CNY', ?15, ?16, NULL, NULL, 0, NULL, 0)");
    ins_right = bench_prepare(
        h, "INSERT INTO pledge_right(pledge_id, idx, kind, right_key, identifier, classes)"
           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    ins_cert = bench_prepare(
        h, "INSERT INTO certificate(pledge_id, version, issued_at, superseded_at,"
           " verification_code, document) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");

    memset(counters, 0, sizeof counters);
    rng_seed(&r, bench.seed, 100 + n);
    bench_exec(h, "BEGIN");
    for (size_t i = 1; i <= n; i++) {
        int kind = gen_kind(&r);
        int64_t at = START_US + (int64_t)((double)SPAN_US * (double)(i - 1) / (double)n) +
                     (int64_t)rng_below(&r, 1000000);
        int32_t day = pl_date_of_instant(at, 480);
        int y;
        unsigned m, d;
        pl_civil_from_days(day, &y, &m, &d);
        int oi = (int)rng_below(&r, 8), yi = y - 2015 < 0 ? 0 : y - 2015 > 11 ? 11 : y - 2015;
        int seqno = ++counters[oi][kind][yi];
        char number[64], acceptance[64], uuid[37], doc_hash[65], doc[160];
        snprintf(number, sizeof number, "R-%s-%s-%04d-%06d", offices[oi], kind_codes[kind], y,
                 seqno);
        snprintf(acceptance, sizeof acceptance, "A-%s-%s-%04d-%06d", offices[oi],
                 kind_codes[kind], y, seqno);
        uuid4(&r, uuid);
        hex(&r, doc_hash, 64);
        snprintf(doc, sizeof doc,
                 "<application xmlns=\"urn:pledger:1\" kind=\"%d\" version=\"1\"/>", kind);
        party pr, pe;
        make_pledgor(&pr, rng_below(&r, pledgor_pool(n)), kind);
        make_bank(&pe, rng_below(&r, BENCH_BANKS));
        int64_t amount = (int64_t)(1000 + rng_below(&r, 100000)) * 10000;
        int64_t decided = at, accepted = at - (int64_t)rng_below(&r, 3) * BENCH_DAY_US - 3600000000;

        sqlite3_bind_int64(ins_app, 1, (int64_t)i);
        sqlite3_bind_text(ins_app, 2, uuid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins_app, 3, kind);
        sqlite3_bind_text(ins_app, 4, doc, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins_app, 5, doc_hash, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins_app, 6, pr.name, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_app, 7, pr.key, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_app, 8, pr.id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_app, 9, pe.name, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_app, 10, pe.key, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_app, 11, pe.id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins_app, 12, amount);
        sqlite3_bind_int64(ins_app, 13, accepted);
        sqlite3_bind_int64(ins_app, 14, decided);
        sqlite3_bind_text(ins_app, 15, offices[oi], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_app, 16, acceptance, -1, SQLITE_TRANSIENT);
        bench_sq(h, sqlite3_step(ins_app), "insert application");
        sqlite3_reset(ins_app);

        char salt[33], mhash[65];
        sqlite3_bind_int64(ins_pledge, 1, (int64_t)i);
        sqlite3_bind_text(ins_pledge, 2, number, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins_pledge, 3, kind);
        sqlite3_bind_int64(ins_pledge, 4, at);
        sqlite3_bind_text(ins_pledge, 5, offices[oi], -1, SQLITE_STATIC);
        if (kind == PLEDGER_KIND_RECEIVABLE) {
            hex(&r, salt, 32);
            hex(&r, mhash, 64);
            sqlite3_bind_text(ins_pledge, 6, salt, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins_pledge, 7, mhash, -1, SQLITE_TRANSIENT);
        } else {
            sqlite3_bind_null(ins_pledge, 6);
            sqlite3_bind_null(ins_pledge, 7);
        }
        bench_sq(h, sqlite3_step(ins_pledge), "insert pledge");
        sqlite3_reset(ins_pledge);

        /* rights */
        int n_rights = kind == PLEDGER_KIND_TRADEMARK ? 1 + (int)rng_below(&r, 3)
                       : kind == PLEDGER_KIND_PATENT  ? 1 + (int)rng_below(&r, 2)
                                                      : 1;
        for (int k = 1; k <= n_rights; k++) {
            char raw[96], key[160], ident[160], classes[12] = "";
            uint64_t s = serial[kind]++;
            switch (kind) {
            case PLEDGER_KIND_TRADEMARK:
                id_trademark(raw, s * 7919 % 98000000);
                normalize(PLEDGER_ID_TRADEMARK, raw, ident, sizeof ident);
                snprintf(classes, sizeof classes, "%d", 1 + (int)rng_below(&r, 45));
                snprintf(key, sizeof key, "%s", ident);
                break;
            case PLEDGER_KIND_PATENT:
                id_patent(raw, s);
                normalize(PLEDGER_ID_PATENT, raw, ident, sizeof ident);
                snprintf(key, sizeof key, "%s", ident);
                break;
            case PLEDGER_KIND_RECEIVABLE: {
                char debtor[19];
                id_uscc(debtor, 7000000 + rng_below(&r, pledgor_pool(n)));
                snprintf(key, sizeof key, "%s/HT-%04d-%07" PRIu64, debtor, y, s);
                snprintf(ident, sizeof ident, "%s", key);
                break;
            }
            case PLEDGER_KIND_EQUITY:
                id_uscc(raw, 3000000 + s);
                snprintf(ident, sizeof ident, "%s", raw);
                snprintf(key, sizeof key, "%s/%s", raw, pr.id);
                break;
            case PLEDGER_KIND_EMISSION:
                id_permit(raw, s);
                normalize(PLEDGER_ID_PERMIT, raw, ident, sizeof ident);
                snprintf(key, sizeof key, "%s", ident);
                break;
            case PLEDGER_KIND_SEA_AREA:
                id_sea_area(raw, s);
                normalize(PLEDGER_ID_CERTIFICATE, raw, ident, sizeof ident);
                snprintf(key, sizeof key, "%s", ident);
                break;
            default:
                id_land(raw, s);
                normalize(PLEDGER_ID_CERTIFICATE, raw, ident, sizeof ident);
                snprintf(key, sizeof key, "%s", ident);
                break;
            }
            sqlite3_bind_int64(ins_right, 1, (int64_t)i);
            sqlite3_bind_int(ins_right, 2, k);
            sqlite3_bind_int(ins_right, 3, kind);
            sqlite3_bind_text(ins_right, 4, key, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins_right, 5, ident, -1, SQLITE_TRANSIENT);
            if (classes[0])
                sqlite3_bind_text(ins_right, 6, classes, -1, SQLITE_TRANSIENT);
            else
                sqlite3_bind_null(ins_right, 6);
            bench_sq(h, sqlite3_step(ins_right), "insert pledge_right");
            sqlite3_reset(ins_right);
        }

        /* versions and certificates */
        int32_t start = day, end = pl_date_add_years(day, 1 + (int)rng_below(&r, 5));
        int versions = rng_below(&r, 10) == 0 ? 2 : 1;
        bool cancel = versions == 2 && rng_below(&r, 5) < 2;
        int64_t v2_at = at + (int64_t)(1 + rng_below(&r, 720)) * BENCH_DAY_US;
        for (int v = 1; v <= versions; v++) {
            int64_t from = v == 1 ? at : v2_at;
            sqlite3_bind_int64(ins_ver, 1, (int64_t)i);
            sqlite3_bind_int(ins_ver, 2, v);
            sqlite3_bind_int64(ins_ver, 3, from);
            if (v < versions)
                sqlite3_bind_int64(ins_ver, 4, v2_at);
            else
                sqlite3_bind_null(ins_ver, 4);
            sqlite3_bind_int(ins_ver, 5, v == 2 && cancel ? 2 : 1);
            sqlite3_bind_text(ins_ver, 6, v == 1 ? "register" : cancel ? "cancel" : "change", -1,
                              SQLITE_STATIC);
            sqlite3_bind_text(ins_ver, 7, pr.name, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_ver, 8, pr.key, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_ver, 9, pr.id_type, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_ver, 10, pr.id, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_ver, 11, pe.name, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_ver, 12, pe.key, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_ver, 13, pe.id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(ins_ver, 14, v == 2 && !cancel ? amount / 2 : amount);
            sqlite3_bind_int(ins_ver, 15, start);
            sqlite3_bind_int(ins_ver, 16, end);
            bench_sq(h, sqlite3_step(ins_ver), "insert pledge_version");
            sqlite3_reset(ins_ver);
            if (v == 1 || !cancel) {
                char code[20], cdoc[160];
                code16(&r, code);
                snprintf(cdoc, sizeof cdoc,
                         "<certificate xmlns=\"urn:pledger:1\" number=\"%s\" version=\"%d\"/>",
                         number, v);
                sqlite3_bind_int64(ins_cert, 1, (int64_t)i);
                sqlite3_bind_int(ins_cert, 2, v);
                sqlite3_bind_int64(ins_cert, 3, from);
                if (v < versions && !cancel)
                    sqlite3_bind_int64(ins_cert, 4, v2_at);
                else
                    sqlite3_bind_null(ins_cert, 4);
                sqlite3_bind_text(ins_cert, 5, code, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(ins_cert, 6, cdoc, -1, SQLITE_TRANSIENT);
                bench_sq(h, sqlite3_step(ins_cert), "insert certificate");
                sqlite3_reset(ins_cert);
            }
        }
        party_free(&pr);
        party_free(&pe);
        if (i % 1000000 == 0) {
            printf("   (%zu pledges, %.0f s)\n", i, (double)(bench_ns() - t0) / 1e9);
            fflush(stdout);
        }
    }
    bench_exec(h, "COMMIT");
    sqlite3_finalize(ins_app);
    sqlite3_finalize(ins_pledge);
    sqlite3_finalize(ins_ver);
    sqlite3_finalize(ins_right);
    sqlite3_finalize(ins_cert);
    double load_s = (double)(bench_ns() - t0) / 1e9;
    for (size_t i = 0; i < n_index; i++) {
        bench_exec(h, index_sql[i]);
        free(index_sql[i]);
    }
    free(index_sql);
    bench_exec(h, "PRAGMA journal_mode = WAL");
    sqlite3_close(h);
    FILE *f = fopen(marker, "w");
    if (!f)
        bench_die("%s: cannot create", marker);
    fclose(f);
    printf("   (generated in %.0f s: rows %.0f s, indexes %.0f s)\n",
           (double)(bench_ns() - t0) / 1e9, load_s, (double)(bench_ns() - t0) / 1e9 - load_s);
    fflush(stdout);
    free(marker);
    return path;
}
