/* pledgerd's recorder (recorder.c) over a real registry: each answer's
 * report is written as it comes; a question the library refuses is
 * answered with the library's reason, in the client's language, and
 * takes no number, the others of its group recorded; an answer read
 * beyond the journal the group reads goes to the next group, and is
 * refused there only if no group can take it. */
#include <check.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "recorder.h"

static atomic_int done_count;

static void done(recorder_job *job)
{
    (void)job;
    atomic_fetch_add(&done_count, 1);
}

static pledger_keyring *signer(void)
{
    pledger_keyring *kr = NULL;
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    BIO *b = BIO_new(BIO_s_mem());
    char *pem = NULL;
    ck_assert(k && b && PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL) == 1);
    long n = BIO_get_mem_data(b, &pem);
    ck_assert_int_eq(pledger_keyring_new(&kr), 0);
    ck_assert_int_eq(pledger_keyring_add_pem(kr, "office", pem, (size_t)n), 0);
    BIO_free(b);
    EVP_PKEY_free(k);
    return kr;
}

#define JOBS 40

START_TEST(test_each_answer_recorded_or_refused)
{
    char dir[] = "/tmp/pledgerd-recorder-XXXXXX", path[64], err[256];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/reg.db", dir);
    pledger_registry *writer = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    o.create = 1;
    o.office_code = "FZ01";
    ck_assert_int_eq(pledger_open(&writer, path, &o), 0);
    pledger_keyring *kr = signer();
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    recorder *rec = recorder_start(writer, &lock, NULL, NULL, kr, err, sizeof err);
    ck_assert_msg(rec != NULL, "%s", err);

    /* a burst: most are good; every fifth has a question on two lines
     * (refused), every seventh was read beyond the journal */
    static recorder_job jobs[JOBS];
    static char queries[JOBS][32];
    for (int i = 0; i < JOBS; i++) {
        recorder_job *j = &jobs[i];
        memset(j, 0, sizeof *j);
        pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
        snprintf(queries[i], sizeof queries[i], i % 5 == 4 ? "q=%d\nx" : "q=%d", i);
        r.query = queries[i];
        r.actor = i % 2 ? "bank-a" : "bank-b";
        r.role = PLEDGER_ROLE_BANK;
        r.kind = PLEDGER_REPORT_VERIFICATION;
        if (i % 7 == 6 && i % 5 != 4)
            r.log_size = 1000000;
        j->req = r;
        snprintf(j->lang, sizeof j->lang, "%s", i % 3 ? "" : "zh_CN");
        j->done = done;
        recorder_submit(rec, j);
    }
    while (atomic_load(&done_count) < JOBS)
        usleep(1000);
    recorder_stop(rec);

    uint64_t expect = 1;
    for (int i = 0; i < JOBS; i++) {
        recorder_job *j = &jobs[i];
        if (i % 5 == 4) {
            ck_assert_int_eq(j->rc, PLEDGER_EINVAL);
            ck_assert_ptr_null(j->note);
            /* the library's reason, naming the field, in the client's language */
            ck_assert_msg(strstr(j->msg, ".query"), "%d: %s", i, j->msg);
            if (j->lang[0])
                ck_assert_msg(strstr(j->msg, "UTF-8") && !strstr(j->msg, "must be"),
                              "%d: %s", i, j->msg);
            else
                ck_assert_msg(strstr(j->msg, "must be"), "%d: %s", i, j->msg);
        } else if (i % 7 == 6) {
            ck_assert_int_eq(j->rc, PLEDGER_ESTATE);
            ck_assert_ptr_null(j->note);
            ck_assert_msg(strstr(j->msg, "log_size"), "%d: %s", i, j->msg);
        } else {
            ck_assert_msg(j->rc == 0, "%d: %s", i, j->msg);
            ck_assert_ptr_nonnull(j->note);
            /* numbered in the order they came, the refused taking none */
            ck_assert_uint_eq(j->number, expect);
            char head[64];
            snprintf(head, sizeof head, "pledger/FZ01 search report %llu\n",
                     (unsigned long long)expect);
            ck_assert_msg(!strncmp(j->note, head, strlen(head)), "%d: %.80s", i, j->note);
            ck_assert_ptr_nonnull(strstr(j->note, queries[i]));
            expect++;
            pledger_free(j->note);
        }
    }
    recorder_free(rec);
    /* what was recorded holds together */
    ck_assert_int_eq(pledger_set_actor(writer, "auditor-1", PLEDGER_ROLE_AUDITOR), 0);
    uint64_t bad = 9, count = 0;
    ck_assert_int_eq(pledger_report_verify(&bad, &count, writer, NULL), 0);
    ck_assert_msg(bad == 0, "%s", pledger_errmsg(writer));
    ck_assert_uint_eq(count, expect - 1);
    pledger_close(writer);
    pledger_keyring_free(kr);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pledgerd-recorder");
    TCase *tc = tcase_create("recorder");
    tcase_add_test(tc, test_each_answer_recorded_or_refused);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
