/* 11. Search reports: pledger_report_issue() in groups of 1 to 256, as
 * pledgerd's recorder calls it, into a fresh companion of a fresh
 * registry: each a verification naming one of a million registration
 * numbers (the auditor's keys land anywhere), every third a search naming
 * a party too, committed without a sync as pledgerd's recorder commits
 * them (its syncer thread syncs them, off this path).  Wall clock per
 * report; no baseline (bare SQLite has no reports).  Then the auditor's
 * pledger_report_verify() of them all, without and with the key.  The
 * service's figures are pledgerd/load/run.sh's. */
#include "bench.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <pledger/report.h>

static pledger_keyring *signer(void)
{
    pledger_keyring *kr = NULL;
    char *data = NULL;
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    BIO *b = BIO_new(BIO_s_mem());
    if (!k || !b || PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL) != 1)
        bench_die("key generation failed");
    long n = BIO_get_mem_data(b, &data);
    bench_pl(NULL, pledger_keyring_new(&kr), "keyring_new");
    bench_pl(NULL, pledger_keyring_add_pem(kr, "bench-reports", data, (size_t)n),
             "keyring_add_pem");
    BIO_free(b);
    EVP_PKEY_free(k);
    return kr;
}

int wl_reports(void *arg)
{
    (void)arg;
    static const size_t groups[] = { 1, 8, 32, 64, 256 };
    const size_t per_group_size = bench.quick ? 2000 : 40000;
    char *path = bench_path("reports.db"), *companion = bench_path("reports.db.reports");
    pledger_registry *reg = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    pledger_keyring *kr = signer();
    bench_rng rng;

    bench_unlink_db(path);
    bench_unlink_db(companion);
    o.create = 1;
    o.office_code = "BJ01";
    bench_pl(NULL, pledger_open(&reg, path, &o), path);
    bench_pl(reg, pledger_set_actor(reg, "pledgerd", PLEDGER_ROLE_REGISTRAR), "set_actor");
    /* as the recorder's handle: the commits unsynced, a thread of its own
     * syncs them (pledger_report_sync), which is not measured here */
    bench_pl(reg, pledger_report_set_autosync(reg, 0), "report_set_autosync");
    rng_seed(&rng, bench.seed, 11);
    bench_section("11. Search reports (pledger_report_issue, groups as pledgerd's recorder "
                  "makes them; a fresh companion)");
    pledger_report_request req[256];
    char *notes[256], numbers[256][32], parties[256][24], query[256][96];
    const char *num_p[256], *party_p[256];
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        size_t n = groups[g], done = 0;
        int64_t t0 = bench_ns();
        while (done < per_group_size) {
            for (size_t i = 0; i < n; i++) {
                uint64_t r = rng_below(&rng, 1000000);
                snprintf(numbers[i], sizeof numbers[i], "R-BJ01-TM-2026-%07" PRIu64, r);
                snprintf(parties[i], sizeof parties[i], "91110000%09" PRIu64 "X", r % 99991);
                num_p[i] = numbers[i];
                party_p[i] = parties[i];
                req[i] = (pledger_report_request)PLEDGER_REPORT_REQUEST_INIT;
                req[i].actor = (r & 1) ? "bank-a" : "bank-b";
                req[i].role = PLEDGER_ROLE_BANK;
                req[i].numbers = &num_p[i];
                req[i].number_count = 1;
                if (r % 3 == 0) {
                    req[i].kind = PLEDGER_REPORT_SEARCH;
                    req[i].parties = &party_p[i];
                    req[i].party_count = 1;
                    snprintf(query[i], sizeof query[i], "/v1/pledges?party_id=%.23s", parties[i]);
                } else {   /* as pledgerd records them: the number asked, too */
                    req[i].kind = PLEDGER_REPORT_VERIFICATION;
                    req[i].asked = &num_p[i];
                    req[i].asked_count = 1;
                    snprintf(query[i], sizeof query[i], "/v1/pledges/%.31s", numbers[i]);
                }
                req[i].query = query[i];
            }
            bench_pl(reg, pledger_report_issue(notes, NULL, reg, req, n, kr), "report_issue");
            for (size_t i = 0; i < n; i++)
                pledger_free(notes[i]);
            done += n;
        }
        double us = (double)(bench_ns() - t0) / 1e3 / (double)done;
        char key[48];
        snprintf(key, sizeof key, "reports.group%zu_us", n);
        bench_result(key, us);
        bench_note("groups of %3zu: %7.0f reports/s, %6.1f us a report (%zu reports)", n,
                   1e6 / us, us, done);
    }
    /* the auditor's check of every report just issued, without the key
     * (rows, keys, texts, tree, checkpoints' text) and with it (each
     * checkpoint's signature too: one a group) */
    bench_pl(reg, pledger_set_actor(reg, "auditor-1", PLEDGER_ROLE_AUDITOR), "set_actor");
    for (int signed_too = 0; signed_too < 2; signed_too++) {
        uint64_t bad = 0, count = 0;
        int64_t t0 = bench_ns();
        bench_pl(reg, pledger_report_verify(&bad, &count, reg, signed_too ? kr : NULL),
                 "report_verify");
        if (bad)
            bench_die("report_verify: report %" PRIu64 ": %s", bad, pledger_errmsg(reg));
        double s = (double)(bench_ns() - t0) / 1e9;
        bench_result(signed_too ? "reports.verify_signed_per_s" : "reports.verify_per_s",
                     (double)count / s);
        bench_note("verified %" PRIu64 " reports%s: %7.0f reports/s (%.2f s)", count,
                   signed_too ? " and their checkpoints' signatures" : "", (double)count / s,
                   s);
    }
    pledger_close(reg);
    pledger_keyring_free(kr);
    free(path);
    free(companion);
    return 0;
}
