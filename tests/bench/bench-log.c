/* 8. The transparency log on the batch workload's database: inclusion
 * and consistency proofs read from the stored subtrees, their offline
 * verification, and a signed certificate checked with public keys alone
 * (XML signature, checkpoint signature, proof, event).  No baseline:
 * bare SQLite has no Merkle tree; the figures are per operation. */
#include "bench.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <pledger/evidence.h>

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
    char *number = strdup(pledger_cursor_number(cur));
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
