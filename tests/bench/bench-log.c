/* 8. The transparency log on the batch workload's database: inclusion
 * and consistency proofs read from the stored subtrees, their offline
 * verification, and a signed certificate checked with public keys alone
 * (XML signature, checkpoint signature, proof, event).  No baseline:
 * bare SQLite has no Merkle tree; the figures are per operation. */
#include "bench.h"
#include "store/sqlite.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <pledger/evidence.h>

#include "base/merkle.h"
#include "store/journal.h"

/* Key @k as PEM: the private half into @kr, the public into @pub. */
static void add_key(pledger_keyring *kr, pledger_keyring *pub, const char *name, EVP_PKEY *k)
{
    char *data = NULL;
    BIO *b = BIO_new(BIO_s_mem());
    if (!k || !b || PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL) != 1)
        bench_die("key generation failed");
    long n = BIO_get_mem_data(b, &data);
    bench_pl(NULL, pledger_keyring_add_pem(kr, name, data, (size_t)n), "keyring_add_pem");
    (void)BIO_reset(b);
    if (PEM_write_bio_PUBKEY(b, k) != 1)
        bench_die("public key failed");
    n = BIO_get_mem_data(b, &data);
    bench_pl(NULL, pledger_keyring_add_pem(pub, name, data, (size_t)n), "keyring_add_pem");
    BIO_free(b);
    EVP_PKEY_free(k);
}

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

void bench_log_section(const char *path)
{
    pledger_registry *reg = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    bench_series inc = { 0 }, cons = { 0 }, vinc = { 0 }, cert = { 0 };
    uint64_t size = 0, seed = 0x9e3779b97f4a7c15u;
    unsigned char root[PLEDGER_LOG_HASH_SIZE], leaf[PLEDGER_LOG_HASH_SIZE];
    const size_t n_inc = bench.quick ? 500 : 20000, n_cert = bench.quick ? 50 : 2000;

    bench_pl(NULL, pledger_open(&reg, path, &o), path);
    bench_pl(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR), "set_actor");
    bench_section("8. The transparency log (the batch database: proofs from the stored "
                  "subtrees, offline checks, a signed certificate)");
    bench_pl(reg, pledger_log_size(reg, &size), "log_size");
    bench_pl(reg, pledger_log_root(reg, size, root), "log_root");
    for (size_t i = 0; i < n_inc; i++) {
        uint64_t ev = next_rand(&seed) % size + 1;
        pledger_proof *p = NULL;
        int64_t t0 = bench_ns();
        bench_pl(reg, pledger_log_prove_inclusion(&p, reg, ev, 0), "prove_inclusion");
        series_add(&inc, (double)(bench_ns() - t0));
        bench_pl(reg, pledger_log_leaf(reg, ev, leaf), "log_leaf");
        t0 = bench_ns();
        bench_pl(NULL, pledger_log_verify_inclusion(ev, size, leaf, p, root), "verify_inclusion");
        series_add(&vinc, (double)(bench_ns() - t0));
        pledger_proof_free(p);
    }
    for (size_t i = 0; i < n_inc / 4; i++) {
        uint64_t m = next_rand(&seed) % size + 1;
        pledger_proof *p = NULL;
        int64_t t0 = bench_ns();
        bench_pl(reg, pledger_log_prove_consistency(&p, reg, m, 0), "prove_consistency");
        series_add(&cons, (double)(bench_ns() - t0));
        pledger_proof_free(p);
    }
    bench_row("log.prove_inclusion", "inclusion proof (random event)", &inc, NULL);
    bench_row("log.verify_inclusion", "inclusion proof checked offline", &vinc, NULL);
    bench_row("log.prove_consistency", "consistency proof (random old size)", &cons, NULL);

    /* a signed certificate of the last registration, checked offline */
    pledger_keyring *signers = NULL, *trusted = NULL;
    bench_pl(NULL, pledger_keyring_new(&signers), "keyring_new");
    bench_pl(NULL, pledger_keyring_new(&trusted), "keyring_new");
    add_key(signers, trusted, "office", EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"));
    add_key(signers, trusted, "log", EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"));
    pledger_cursor *cur = NULL;
    pledger_query q = PLEDGER_QUERY_INIT;
    q.page_size = 1;
    bench_pl(reg, pledger_search(&cur, reg, &q), "search");
    if (pledger_cursor_next(cur) != 1)
        bench_die("the batch database has no pledge");
    char *number = strdup(pledger_pledge_number(pledger_cursor_pledge(cur)));
    pledger_cursor_free(cur);
    char *xml = NULL;
    size_t len = 0;
    bench_pl(reg, pledger_certificate_sign(&xml, &len, reg, number, 0, signers),
             "certificate_sign");
    for (size_t i = 0; i < n_cert; i++) {
        pledger_certificate_check *c = NULL;
        int64_t t0 = bench_ns();
        bench_pl(NULL, pledger_certificate_verify(&c, xml, len, trusted), "certificate_verify");
        series_add(&cert, (double)(bench_ns() - t0));
        pledger_certificate_check_free(c);
    }
    bench_row("log.certificate_verify", "signed certificate checked offline", &cert, NULL);
    size_t hashes = 0;
    for (const char *p = xml; (p = strstr(p, "<hash>")); p++)
        hashes++;
    bench_note("log of %" PRIu64 " events; the certificate is %zu bytes (ECDSA P-256 "
               "signature, an Ed25519 checkpoint, a proof of %zu hashes)", size, len, hashes);
    bench_result("log.events", (double)size);
    free(xml);
    free(number);
    pledger_keyring_free(signers);
    pledger_keyring_free(trusted);
    pledger_close(reg);
    series_free(&inc);
    series_free(&vinc);
    series_free(&cons);
    series_free(&cert);
}

/* ---- proofs at scale: a log of N events made without its events ----------------- */

/* The tree of a log of N events is written straight into journal_node
 * (the events themselves would take hours to generate at 10M and play no
 * part in a proof): leaf i is the hash of "event i".  The registry is
 * then opened read-only, as a bank's or a service's handle would be, and
 * proofs are read through the public API: what they cost depends on the
 * node table's size and the proof's length, both those of a real log of
 * N events. */
typedef struct tree_fill {
    sqlite3_stmt *put;
} tree_fill;

static int put_node(void *ctx, pl_err *e, unsigned level, uint64_t index, const pl_mhash *h)
{
    tree_fill *f = ctx;
    (void)e;
    sqlite3_bind_int64(f->put, 1, (int64_t)pl_merkle_node_pos(level, index));
    sqlite3_bind_int(f->put, 2, (int)level);
    sqlite3_bind_int64(f->put, 3, (int64_t)index);
    sqlite3_bind_blob(f->put, 4, h->h, PL_MERKLE_HASH, SQLITE_STATIC);
    int rc = sqlite3_step(f->put);
    sqlite3_reset(f->put);
    return rc == SQLITE_DONE ? 0 : -1;
}

int wl_tree(void *arg)
{
    size_t n = *(size_t *)arg;
    char name[64];
    snprintf(name, sizeof name, "tree-%zu.db", n);
    char *path = bench_path(name);
    pledger_registry *reg = NULL;

    if (!bench_exists(path)) {
        pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
        o.create = 1;
        o.office_code = "FZ01";
        bench_pl(NULL, pledger_open(&reg, path, &o), path);
        pledger_close(reg);
        sqlite3 *h = NULL;
        bench_sq(h, sqlite3_open(path, &h), path);
        bench_exec(h, "PRAGMA journal_mode = WAL");
        bench_exec(h, "BEGIN");
        tree_fill f;
        bench_sq(h, sqlite3_prepare_v2(h, "INSERT INTO journal_node(pos, level, idx, hash)"
                                          " VALUES (?1, ?2, ?3, ?4)", -1, &f.put, NULL),
                 "prepare");
        pl_merkle_edge edge = { 0 };
        pl_err e = { 0, "" };
        int64_t t0 = bench_ns();
        for (size_t i = 0; i < n; i++) {
            char ev[32];
            pl_mhash leaf;
            int len = snprintf(ev, sizeof ev, "event %zu", i);
            if (pl_merkle_leaf(&leaf, ev, (size_t)len) ||
                pl_merkle_edge_append(&e, &edge, &leaf, put_node, &f))
                bench_die("tree: appending leaf %zu: %s", i, sqlite3_errmsg(h));
        }
        sqlite3_finalize(f.put);
        bench_exec(h, "COMMIT");
        sqlite3_close(h);
        printf("   (tree of %zu events written in %.0f s)\n", n, (double)(bench_ns() - t0) / 1e9);
    }
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    o.read_only = 1;
    bench_pl(NULL, pledger_open(&reg, path, &o), path);
    bench_pl(reg, pledger_set_actor(reg, "bank-1", PLEDGER_ROLE_BANK), "set_actor");
    uint64_t size = 0, seed = 0x2545f4914f6cdd1du;
    unsigned char root[PLEDGER_LOG_HASH_SIZE], leaf[PLEDGER_LOG_HASH_SIZE];
    bench_pl(reg, pledger_log_size(reg, &size), "log_size");
    if (size != n)
        bench_die("%s: the log has %" PRIu64 " events, not %zu", path, size, n);
    bench_pl(reg, pledger_log_root(reg, size, root), "log_root");
    bench_series inc = { 0 }, cons = { 0 };
    const size_t ops = bench.quick ? 500 : 20000;
    char title[128];
    snprintf(title, sizeof title, "8b. Proofs from a log of %zu events (read-only handle, cold "
             "file cache for the first)", n);
    bench_section(title);
    for (size_t i = 0; i < ops; i++) {
        uint64_t ev = next_rand(&seed) % size + 1;
        pledger_proof *p = NULL;
        int64_t t0 = bench_ns();
        bench_pl(reg, pledger_log_prove_inclusion(&p, reg, ev, 0), "prove_inclusion");
        series_add(&inc, (double)(bench_ns() - t0));
        if (i % 1000 == 0) {   /* the proof is right */
            unsigned char l[32];
            char evtext[32];
            pl_mhash lh;
            int len = snprintf(evtext, sizeof evtext, "event %" PRIu64, ev - 1);
            pl_merkle_leaf(&lh, evtext, (size_t)len);
            memcpy(l, lh.h, 32);
            bench_pl(NULL, pledger_log_verify_inclusion(ev, size, l, p, root), "verify");
        }
        pledger_proof_free(p);
    }
    for (size_t i = 0; i < ops / 4; i++) {
        uint64_t m = next_rand(&seed) % size + 1;
        pledger_proof *p = NULL;
        int64_t t0 = bench_ns();
        bench_pl(reg, pledger_log_prove_consistency(&p, reg, m, 0), "prove_consistency");
        series_add(&cons, (double)(bench_ns() - t0));
        pledger_proof_free(p);
    }
    char key[64];
    snprintf(key, sizeof key, "tree.inclusion.%zu", n);
    bench_row(key, "inclusion proof (random event)", &inc, NULL);
    snprintf(key, sizeof key, "tree.consistency.%zu", n);
    bench_row(key, "consistency proof (random old size)", &cons, NULL);
    (void)leaf;
    pledger_close(reg);
    series_free(&inc);
    series_free(&cons);
    free(path);
    return 0;
}
