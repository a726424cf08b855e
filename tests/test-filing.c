/* Bulk filing (pledger_file_batch): all items registered in one
 * transaction with consecutive numbers, or none with every item's
 * findings; who may file, which kinds, and that a refused batch changes
 * nothing in the file. */
#include <sqlite3.h>
#include <stdbool.h>

#include "testutil.h"
#include "fixture.h"

#include <pledger/application.h>
#include <pledger/pledge.h>
#include <pledger/query.h>

static char *dir, *path;
static pledger_registry *reg;

static void setup(void) { fx_ck_setup(&dir, &path, &reg); }
static void teardown(void) { fx_ck_teardown(dir, path, reg); }

#define N_ITEMS 40

/* @n receivable samples, each with its own main contract number. */
static pledger_application **samples(size_t n)
{
    pledger_application **apps = calloc(n, sizeof *apps);
    ck_assert_ptr_nonnull(apps);
    for (size_t i = 0; i < n; i++) {
        char contract[64];
        apps[i] = fx_ck_sample(PLEDGER_KIND_RECEIVABLE);
        snprintf(contract, sizeof contract, "QHB-2024-LD-%04zu", i);
        PL_OK(NULL, pledger_application_set(apps[i], "claim/main_contract_number", contract));
    }
    return apps;
}

static void free_samples(pledger_application **apps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pledger_application_free(apps[i]);
    free(apps);
}

/* The sequence number at the end of a registration number. */
static long serial_of(const char *number)
{
    const char *dash = strrchr(number, '-');
    ck_assert_ptr_nonnull(dash);
    return strtol(dash + 1, NULL, 10);
}

START_TEST(files_every_item_with_consecutive_numbers)
{
    pledger_application **apps = samples(N_ITEMS);
    pledger_filing *f = NULL;
    char *number = NULL;
    int64_t bad = -1, count = 0;

    /* a single registration first: the batch's numbers follow it */
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_RECEIVABLE, &number, NULL));
    fx_act(reg, "bank-qh", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_file_batch(&f, reg, apps, N_ITEMS));
    ck_assert_uint_eq(pledger_filing_count(f), N_ITEMS);
    ck_assert_uint_eq(pledger_filing_blocked(f), 0);
    for (size_t i = 0; i < N_ITEMS; i++) {
        const char *num = pledger_filing_number(f, i);
        ck_assert_ptr_nonnull(num);
        ck_assert_int_eq(serial_of(num), serial_of(number) + 1 + (long)i);
        ck_assert_str_eq(pledger_application_registration_number(apps[i]), num);
        ck_assert_str_eq(pledger_application_uuid(apps[i]), pledger_filing_uuid(f, i));
        ck_assert_str_eq(pledger_application_acceptance_number(apps[i]),
                         pledger_filing_acceptance_number(f, i));
        ck_assert_int_eq(pledger_application_state(apps[i]), PLEDGER_APP_REGISTERED);
        ck_assert_uint_ge(strlen(pledger_filing_modcode(f, i)), 16);
        if (i > 0)
            ck_assert_str_ne(pledger_filing_modcode(f, i), pledger_filing_modcode(f, i - 1));
        ck_assert_int_eq(pledger_filing_item_blocked(f, i), 0);
        ck_assert_ptr_nonnull(pledger_filing_review(f, i));
    }
    /* what the bank verifies is what was filed */
    pledger_verification *v = NULL;
    fx_act(reg, "bank-1", PLEDGER_ROLE_BANK);
    PL_OK(reg, pledger_verify(&v, reg, pledger_filing_number(f, 7), NULL));
    ck_assert_int_eq(pledger_pledge_state_of(pledger_verification_pledge(v)), PLEDGER_PLEDGE_ACTIVE);
    ck_assert_int_eq(pledger_pledge_amount(pledger_verification_pledge(v)), 100000000);
    pledger_verification_free(v);
    /* the modification code works for a change by the pledgee */
    pledger_application *loaded = NULL;
    fx_act(reg, "bank-qh", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_load(&loaded, reg, pledger_filing_uuid(f, 3)));
    ck_assert_str_eq(pledger_application_registration_number(loaded), pledger_filing_number(f, 3));
    pledger_application_free(loaded);
    /* every step journaled as itself, the journal intact */
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(reg, pledger_journal_verify(&bad, &count, reg));
    ck_assert_int_eq(bad, 0);
    ck_assert_int_eq(fx_ck_raw_int(path, "SELECT count(*) FROM journal WHERE operation = "
                                         "'application.register' AND actor = 'bank-qh'"),
                     N_ITEMS);
    ck_assert_int_eq(fx_ck_raw_int(path, "SELECT count(*) FROM journal WHERE actor = 'bank-qh'"),
                     5 * N_ITEMS);
    pledger_filing_free(f);
    pledger_free(number);
    free_samples(apps, N_ITEMS);
}
END_TEST

static const char *finding_of(const pledger_filing *f, size_t i, const char *code);

/* The message of item @i's RC_PRIOR_PLEDGE finding, or NULL. */
static const char *prior_of(const pledger_filing *f, size_t i)
{
    return finding_of(f, i, "RC_PRIOR_PLEDGE");
}

/* File @n samples on the one receivable of the sample; each item's rank
 * notice gives the rank the registry then gives it. */
static pledger_filing *file_ranked(size_t n)
{
    pledger_application **apps = samples(n);
    pledger_filing *f = NULL;
    fx_act(reg, "bank-qh", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_file_batch(&f, reg, apps, n));
    fx_act(reg, "bank-1", PLEDGER_ROLE_BANK);
    for (size_t i = 0; i < n; i++) {
        int rank = 0;
        char want[32];
        PL_OK(reg, pledger_rank(&rank, reg, pledger_filing_number(f, i), PLEDGER_AS_OF_CURRENT));
        snprintf(want, sizeof want, "will take rank %d,", rank);
        const char *m = prior_of(f, i);
        if (rank == 1)
            ck_assert_ptr_null(m);
        else
            ck_assert_msg(m && strstr(m, want), "item %zu (rank %d): %s", i, rank,
                          m ? m : "no rank notice");
    }
    free_samples(apps, n);
    return f;
}

/* Every item of a batch is reviewed before any is registered: each
 * item's rank notice gave the rank after the registry's pledges alone
 * (every item of a batch on one receivable said "rank 2"), though the
 * batch's earlier items register before it.  Now each counts them; what
 * the registry holds on the receivable is read once for the batch. */
/* The message of item @i's finding @code, or NULL. */
static const char *finding_of(const pledger_filing *f, size_t i, const char *code)
{
    const pledger_review *r = pledger_filing_review(f, i);
    for (size_t k = 0; r && k < pledger_review_count(r); k++)
        if (strcmp(pledger_review_code(r, k), code) == 0)
            return pledger_review_message(r, k);
    return NULL;
}

START_TEST(a_batch_ranks_its_items_after_each_other)
{
    /* an application of another applicant on the receivable, pending */
    pledger_application *pending = fx_ck_sample(PLEDGER_KIND_RECEIVABLE);
    fx_act(reg, "applicant-2", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_save(reg, pending));
    PL_OK(reg, pledger_application_review(NULL, reg, pledger_application_uuid(pending)));
    /* a receivable pledged by no one: the first item has no notice */
    pledger_filing *f = file_ranked(3);
    /* every item names the pending one, and no item the batch's others
     * as "pending": they are ranked */
    for (size_t i = 0; i < 3; i++) {
        const char *m = finding_of(f, i, "RIGHT_PENDING_APPLICATION");
        char head[9]; /* another applicant's: shown masked after its first 8 */
        snprintf(head, sizeof head, "%s", pledger_application_uuid(pending));
        ck_assert_msg(m && strstr(m, head) && strstr(m, "(reviewed, not yet accepted)"),
                      "item %zu: %s", i, m ? m : "no notice");
        ck_assert_ptr_null(strstr(m, "other pending applications"));
    }
    pledger_application_free(pending);
    ck_assert_ptr_nonnull(strstr(prior_of(f, 1), "earlier items of this batch pledge the same "
                                                 "receivable (1 of them)"));
    ck_assert_ptr_nonnull(strstr(prior_of(f, 2), "(2 of them): this pledge will take rank 3"));
    pledger_filing_free(f);
    /* three before it: named, then the batch's own counted */
    f = file_ranked(12);
    ck_assert_ptr_nonnull(strstr(prior_of(f, 0), "will take rank 4, after those registered"));
    ck_assert_ptr_nonnull(strstr(prior_of(f, 11), "), and earlier items of this batch pledge it "
                                                  "too (11 of them): this pledge will take "
                                                  "rank 15, after them all"));
    pledger_filing_free(f);
    /* fifteen before it: ten named, five counted, then the batch's */
    f = file_ranked(2);
    ck_assert_ptr_nonnull(strstr(prior_of(f, 1), " and 5 more), and earlier items of this "
                                                 "batch pledge it too (1 of them): this pledge "
                                                 "will take rank 17"));
    pledger_filing_free(f);
    /* a single filing afterwards: the registry's 17, no batch */
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_RECEIVABLE);
    pledger_review *rv = NULL;
    PL_OK(reg, pledger_application_check(&rv, reg, app));
    bool seen = false;
    for (size_t k = 0; k < pledger_review_count(rv); k++)
        if (strcmp(pledger_review_code(rv, k), "RC_PRIOR_PLEDGE") == 0) {
            ck_assert_ptr_nonnull(strstr(pledger_review_message(rv, k), " and 7 more): this "
                                         "pledge will take rank 18,"));
            seen = true;
        }
    ck_assert(seen);
    pledger_review_free(rv);
    pledger_application_free(app);
}
END_TEST

/* Whether item @i has a finding @code whose message holds @needle. */
static bool has_finding(const pledger_filing *f, size_t i, const char *code, const char *needle)
{
    const pledger_review *r = pledger_filing_review(f, i);
    for (size_t k = 0; r && k < pledger_review_count(r); k++)
        if (strcmp(pledger_review_code(r, k), code) == 0 &&
            strstr(pledger_review_message(r, k), needle))
            return true;
    return false;
}

/* The sample's receivable filed again in the batch with a debtor added
 * whose identifier sorts first: another key, so RC_PRIOR_PLEDGE does not
 * rank it after the first item, and RC_SHARED_DEBTOR counts the earlier
 * items with a debtor in common under the same contract number and
 * another key (the batch's part of the rule, run under the sanitizers
 * here). */
START_TEST(a_batch_counts_its_items_sharing_a_debtor)
{
    pledger_application **apps = samples(3);
    static const char *const added[] = {
        "rights/right[1]/debtors/party[2]/@type", "organisation",
        "rights/right[1]/debtors/party[2]/name", "福建三号食品有限公司",
        "rights/right[1]/debtors/party[2]/id/@type", "uscc",
        "rights/right[1]/debtors/party[2]/id", "913501001000000326",
    };
    for (size_t k = 0; k < sizeof added / sizeof added[0]; k += 2)
        PL_OK(NULL, pledger_application_set(apps[1], added[k], added[k + 1]));
    pledger_filing *f = NULL;
    fx_act(reg, "bank-qh", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_file_batch(&f, reg, apps, 3));
    ck_assert_uint_eq(pledger_filing_blocked(f), 0);
    const char *batch = "earlier items of this batch (1 of them) pledge receivables under the "
                        "same contract number (GY-2024-017)";
    ck_assert(!has_finding(f, 0, "RC_SHARED_DEBTOR", "earlier items of this batch"));
    ck_assert(has_finding(f, 1, "RC_SHARED_DEBTOR", batch));
    /* the third has the first's key: ranked after it, and the second named */
    ck_assert(has_finding(f, 2, "RC_PRIOR_PLEDGE", "earlier items of this batch"));
    ck_assert(has_finding(f, 2, "RC_SHARED_DEBTOR", batch));
    pledger_filing_free(f);
    free_samples(apps, 3);
}
END_TEST

START_TEST(one_bad_item_files_nothing_and_reports_every_item)
{
    pledger_application **apps = samples(N_ITEMS);
    pledger_filing *f = NULL;
    char *number = NULL;

    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_RECEIVABLE, &number, NULL));
    char *before = fx_ck_dump(path, NULL);
    PL_OK(NULL, pledger_application_set(apps[7], "claim/amount", NULL));
    PL_OK(NULL, pledger_application_set(apps[31], "pledgor/id", NULL));
    fx_act(reg, "bank-qh", PLEDGER_ROLE_APPLICANT);
    PL_FAILS(reg, PLEDGER_EREVIEW, pledger_file_batch(&f, reg, apps, N_ITEMS));
    ck_assert_msg(strstr(pledger_errmsg(reg), "2 of 40 items") &&
                      strstr(pledger_errmsg(reg), "item 7"),
                  "%s", pledger_errmsg(reg));
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(pledger_filing_blocked(f), 2);
    for (size_t i = 0; i < N_ITEMS; i++) {
        ck_assert_int_eq(pledger_filing_item_blocked(f, i), i == 7 || i == 31);
        ck_assert_ptr_null(pledger_filing_uuid(f, i));
        ck_assert_ptr_null(pledger_filing_number(f, i));
        ck_assert_ptr_null(pledger_filing_modcode(f, i));
        ck_assert_ptr_null(pledger_application_uuid(apps[i]));
    }
    const pledger_review *r = pledger_filing_review(f, 7);
    bool seen = false;
    for (size_t k = 0; k < pledger_review_count(r); k++)
        if (strcmp(pledger_review_code(r, k), "AMOUNT_MISSING") == 0) {
            ck_assert_str_eq(pledger_review_path(r, k), "claim/amount");
            seen = true;
        }
    ck_assert_msg(seen, "item 7's review lacks AMOUNT_MISSING");
    ck_assert_uint_gt(pledger_review_count_severity(pledger_filing_review(f, 31),
                                                    PLEDGER_SEVERITY_CORRECTABLE) +
                          pledger_review_count_severity(pledger_filing_review(f, 31),
                                                        PLEDGER_SEVERITY_BLOCKING),
                      0);
    pledger_filing_free(f);
    f = NULL;
    /* nothing of the batch is in the file, not even a journal event */
    char *after = fx_ck_dump(path, NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    /* the cured batch files, its numbers right after the single one */
    PL_OK(NULL, pledger_application_set(apps[7], "claim/amount", "100000000"));
    PL_OK(NULL, pledger_application_set(apps[7], "claim/amount/@currency", "CNY"));
    PL_OK(NULL, pledger_application_set(apps[31], "pledgor/id", "91350100M000100Y43"));
    PL_OK(NULL, pledger_application_set(apps[31], "pledgor/id/@type", "uscc"));
    PL_OK(reg, pledger_file_batch(&f, reg, apps, N_ITEMS));
    ck_assert_int_eq(serial_of(pledger_filing_number(f, 0)), serial_of(number) + 1);
    ck_assert_int_eq(serial_of(pledger_filing_number(f, N_ITEMS - 1)),
                     serial_of(number) + N_ITEMS);
    pledger_filing_free(f);
    pledger_free(number);
    free_samples(apps, N_ITEMS);
}
END_TEST

START_TEST(who_and_what_may_be_filed_in_bulk)
{
    pledger_application **apps = samples(4);
    pledger_application *tm = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    pledger_filing *f = NULL;
    char *before = fx_ck_dump(path, NULL);

    static const pledger_role refused[] = { PLEDGER_ROLE_CLERK, PLEDGER_ROLE_REGISTRAR,
                                            PLEDGER_ROLE_BANK, PLEDGER_ROLE_AUDITOR };
    for (size_t i = 0; i < 4; i++) {
        fx_act(reg, "someone", refused[i]);
        PL_FAILS(reg, PLEDGER_EPERM, pledger_file_batch(&f, reg, apps, 4));
        ck_assert_ptr_null(f);
        ck_assert_msg(strstr(pledger_errmsg(reg), "only an applicant"), "%s",
                      pledger_errmsg(reg));
    }
    fx_act(reg, "bank-qh", PLEDGER_ROLE_APPLICANT);
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_file_batch(&f, reg, apps, 0));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_file_batch(NULL, reg, apps, 4));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_file_batch(&f, reg, NULL, 4));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_file_batch(&f, NULL, apps, 4));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_file_batch(&f, reg, apps, 100001));
    /* a trademark is filed jointly and registered by the registrar */
    pledger_application *mixed[4] = { apps[0], apps[1], tm, apps[3] };
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_file_batch(&f, reg, mixed, 4));
    ck_assert_msg(strstr(pledger_errmsg(reg), "item 2") &&
                      strstr(pledger_errmsg(reg), "trademark"), "%s", pledger_errmsg(reg));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_file_batch(&f, reg, &tm, 1));
    ck_assert_msg(strstr(pledger_errmsg(reg), "item 0"), "%s", pledger_errmsg(reg));
    pledger_application *twice[3] = { apps[0], apps[1], apps[0] };
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_file_batch(&f, reg, twice, 3));
    ck_assert_msg(strstr(pledger_errmsg(reg), "apps[2] is the same application handle as "
                                             "apps[0]"), "%s", pledger_errmsg(reg));
    pledger_application *holes[2] = { apps[0], NULL };
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_file_batch(&f, reg, holes, 2));
    ck_assert_msg(strstr(pledger_errmsg(reg), "apps[1]"), "%s", pledger_errmsg(reg));
    /* an application already saved is filed through its own steps */
    PL_OK(reg, pledger_application_save(reg, apps[2]));
    char *after_save = fx_ck_dump(path, NULL);
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_file_batch(&f, reg, apps, 4));
    ck_assert_msg(strstr(pledger_errmsg(reg), "apps[2]"), "%s", pledger_errmsg(reg));
    char *after = fx_ck_dump(path, NULL);
    ck_assert_str_eq(after_save, after);
    ck_assert_str_ne(before, after_save);
    /* a read-only handle */
    pledger_registry *ro = NULL;
    PL_OK(NULL, fx_open(&ro, path, "FZ01", 1, -1));
    PL_OK(ro, pledger_set_actor(ro, "bank-qh", PLEDGER_ROLE_APPLICANT));
    PL_FAILS(ro, PLEDGER_EREADONLY, pledger_file_batch(&f, ro, apps, 2));
    pledger_close(ro);
    free(before);
    free(after);
    free(after_save);
    pledger_application_free(tm);
    free_samples(apps, 4);
}
END_TEST

/* A batch holds the write lock for its whole transaction: a single
 * filing by another handle during it waits, and numbers stay gap-free. */
START_TEST(batches_and_single_steps_interleave_without_gaps)
{
    pledger_registry *other = NULL;
    pledger_filing *f = NULL;
    long serials[3 * 10 + 3];
    size_t ns = 0;

    PL_OK(NULL, fx_open(&other, path, "FZ01", 0, 5000));
    for (int round = 0; round < 3; round++) {
        pledger_application **apps = samples(10);
        char *number = NULL;
        fx_act(reg, "bank-qh", PLEDGER_ROLE_APPLICANT);
        PL_OK(reg, pledger_file_batch(&f, reg, apps, 10));
        for (size_t i = 0; i < 10; i++)
            serials[ns++] = serial_of(pledger_filing_number(f, i));
        pledger_filing_free(f);
        PL_OK(other, fx_registered(other, PLEDGER_KIND_RECEIVABLE, &number, NULL));
        serials[ns++] = serial_of(number);
        pledger_free(number);
        free_samples(apps, 10);
    }
    for (size_t i = 1; i < ns; i++)
        ck_assert_int_eq(serials[i], serials[i - 1] + 1);
    pledger_close(other);
}
END_TEST

/* A batch sent again under its key (the answer was lost) is filed once:
 * the second call answers with the first one's UUIDs and numbers, writes
 * nothing, and gives no modification codes again; the same key with other
 * documents is a conflict; another actor's key is another key; a refused
 * batch keeps no key; the key survives the journal's replay. */
START_TEST(a_keyed_batch_is_filed_once)
{
    enum { N = 3 };
    pledger_application **apps = samples(N), **again = samples(N), **other = samples(N);
    pledger_filing *f = NULL, *g = NULL;
    int64_t bad = -1, count = 0;

    fx_act(reg, "bank-qh", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_file_batch_keyed(&f, reg, "batch-2024-0001", apps, N));
    ck_assert_int_eq(pledger_filing_replayed(f), 0);
    char *before = fx_ck_dump(path, NULL);
    PL_OK(reg, pledger_file_batch_keyed(&g, reg, "batch-2024-0001", again, N));
    ck_assert_int_eq(pledger_filing_replayed(g), 1);
    ck_assert_uint_eq(pledger_filing_count(g), N);
    for (size_t i = 0; i < N; i++) {
        ck_assert_str_eq(pledger_filing_uuid(g, i), pledger_filing_uuid(f, i));
        ck_assert_str_eq(pledger_filing_number(g, i), pledger_filing_number(f, i));
        ck_assert_str_eq(pledger_filing_acceptance_number(g, i),
                         pledger_filing_acceptance_number(f, i));
        ck_assert_ptr_nonnull(pledger_filing_modcode(f, i));
        ck_assert_ptr_null(pledger_filing_modcode(g, i)); /* given once */
        ck_assert_str_eq(pledger_application_registration_number(again[i]),
                         pledger_filing_number(f, i));
        ck_assert_int_eq(pledger_application_state(again[i]), PLEDGER_APP_REGISTERED);
    }
    char *after = fx_ck_dump(path, NULL);
    ck_assert_str_eq(before, after); /* nothing written, not even a journal event */
    free(after);
    pledger_filing_free(g);
    g = NULL;

    /* the same key, other documents (another amount; then fewer of them) */
    PL_OK(NULL, pledger_application_set(other[1], "claim/amount", "200000000"));
    PL_FAILS(reg, PLEDGER_ECONFLICT,
             pledger_file_batch_keyed(&g, reg, "batch-2024-0001", other, N));
    ck_assert_ptr_null(g);
    ck_assert_msg(strstr(pledger_errmsg(reg), "batch-2024-0001"), "%s", pledger_errmsg(reg));
    free_samples(other, N);
    other = samples(N);
    PL_FAILS(reg, PLEDGER_ECONFLICT,
             pledger_file_batch_keyed(&g, reg, "batch-2024-0001", other, N - 1));
    after = fx_ck_dump(path, NULL);
    ck_assert_str_eq(before, after);
    free(after);

    /* a refused batch keeps no key: corrected, it is filed under it */
    free_samples(other, N);
    other = samples(N);
    PL_OK(NULL, pledger_application_set(other[2], "claim/amount", NULL));
    PL_FAILS(reg, PLEDGER_EREVIEW, pledger_file_batch_keyed(&g, reg, "batch-2024-0002", other, N));
    pledger_filing_free(g);
    g = NULL;
    free_samples(other, N);
    other = samples(N);
    PL_OK(reg, pledger_file_batch_keyed(&g, reg, "batch-2024-0002", other, N));
    ck_assert_int_eq(pledger_filing_replayed(g), 0);
    ck_assert_str_ne(pledger_filing_number(g, 0), pledger_filing_number(f, 0));
    pledger_filing_free(g);
    g = NULL;

    /* another pledgee's key of the same name is its own */
    free_samples(other, N);
    other = samples(N);
    fx_act(reg, "bank-other", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_file_batch_keyed(&g, reg, "batch-2024-0001", other, N));
    ck_assert_int_eq(pledger_filing_replayed(g), 0);
    ck_assert_str_ne(pledger_filing_uuid(g, 0), pledger_filing_uuid(f, 0));

    /* the keys are state the journal's replay rebuilds, and checks */
    ck_assert_int_eq(fx_ck_raw_int(path, "SELECT count(*) FROM filing_key"), 3);
    ck_assert_int_eq(fx_ck_raw_int(path, "SELECT count(*) FROM journal WHERE operation = "
                                         "'filing.key'"), 3);
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(reg, pledger_journal_verify(&bad, &count, reg));
    ck_assert_int_eq(bad, 0);

    /* a damaged record of a key is said to be damage, and files nothing */
    pledger_filing_free(g);
    g = NULL;
    free_samples(other, N);
    other = samples(N);
    ck_assert_int_eq(fx_raw_exec(path, "UPDATE filing_key SET applications = '[\"nope\"]' "
                                       "WHERE key = 'batch-2024-0002'", NULL), 0);
    free(before);
    before = fx_ck_dump(path, NULL);
    fx_act(reg, "bank-qh", PLEDGER_ROLE_APPLICANT);
    PL_FAILS(reg, PLEDGER_ECORRUPT,
             pledger_file_batch_keyed(&g, reg, "batch-2024-0002", other, N));
    ck_assert_ptr_null(g);
    ck_assert_msg(strstr(pledger_errmsg(reg), "batch-2024-0002"), "%s", pledger_errmsg(reg));
    after = fx_ck_dump(path, NULL);
    ck_assert_str_eq(before, after);
    free(after);

    free(before);
    pledger_filing_free(f);
    pledger_filing_free(g);
    free_samples(apps, N);
    free_samples(again, N);
    free_samples(other, N);
}
END_TEST


/* The first save of an application under a key (its answer lost, the
 * client sends it again) saves one draft: the second call gives the first
 * one's UUID and state, writes nothing; another document under the key,
 * or a key of a bulk filing, is a conflict; another actor's key is its
 * own; a refused save keeps no key; keys outside the alphabet, a handle
 * already saved and a read-only registry are refused; the journal's
 * replay rebuilds the keys and checks them. */
START_TEST(a_keyed_save_saves_one_draft)
{
    pledger_application **apps = samples(4);
    pledger_application *again = fx_ck_sample(PLEDGER_KIND_RECEIVABLE);
    pledger_registry *ro = NULL;
    pledger_filing *f = NULL;
    pledger_review *rv = NULL;
    int64_t bad = -1, count = 0;
    int replayed = -1;
    char uuid[37];

    PL_OK(NULL, pledger_application_set(again, "claim/main_contract_number", "QHB-2024-LD-0000"));
    fx_act(reg, "bank-qh", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_save_keyed(reg, apps[0], "draft-0001", &replayed));
    ck_assert_int_eq(replayed, 0);
    ck_assert_int_eq(pledger_application_state(apps[0]), PLEDGER_APP_DRAFT);
    snprintf(uuid, sizeof uuid, "%s", pledger_application_uuid(apps[0]));
    char *before = fx_ck_dump(path, NULL);

    /* sent again: the same draft, nothing written */
    PL_OK(reg, pledger_application_save_keyed(reg, again, "draft-0001", &replayed));
    ck_assert_int_eq(replayed, 1);
    ck_assert_str_eq(pledger_application_uuid(again), uuid);
    ck_assert_int_eq(pledger_application_state(again), PLEDGER_APP_DRAFT);
    char *after = fx_ck_dump(path, NULL);
    ck_assert_str_eq(before, after);
    free(after);

    /* once it moved on, the answer gives the state it has now */
    PL_OK(reg, pledger_application_review(&rv, reg, uuid));
    pledger_review_free(rv);
    pledger_application_free(again);
    again = fx_ck_sample(PLEDGER_KIND_RECEIVABLE);
    PL_OK(NULL, pledger_application_set(again, "claim/main_contract_number", "QHB-2024-LD-0000"));
    PL_OK(reg, pledger_application_save_keyed(reg, again, "draft-0001", NULL));
    ck_assert_str_eq(pledger_application_uuid(again), uuid);
    ck_assert_int_eq(pledger_application_state(again), PLEDGER_APP_REVIEWED);
    free(before);
    before = fx_ck_dump(path, NULL);

    /* another document under the key; a batch's key; a save's key for a
     * batch: conflicts, nothing written */
    PL_FAILS(reg, PLEDGER_ECONFLICT,
             pledger_application_save_keyed(reg, apps[1], "draft-0001", &replayed));
    ck_assert_int_eq(replayed, 0);
    ck_assert_ptr_null(pledger_application_uuid(apps[1]));
    ck_assert_msg(strstr(pledger_errmsg(reg), "'draft-0001' was used by 'bank-qh' to save another "
                                              "application"), "%s", pledger_errmsg(reg));
    ck_assert_int_eq(pledger_set_language("zh_CN"), 0);
    PL_FAILS(reg, PLEDGER_ECONFLICT,
             pledger_application_save_keyed(reg, apps[1], "draft-0001", NULL));
    ck_assert_msg(strstr(pledger_errmsg(reg), "“draft-0001”已由“bank-qh”用于保存另一件申请"),
                  "%s", pledger_errmsg(reg));
    ck_assert_int_eq(pledger_set_language(NULL), 0);
    PL_FAILS(reg, PLEDGER_ECONFLICT, pledger_file_batch_keyed(&f, reg, "draft-0001", apps + 1, 1));
    ck_assert_msg(strstr(pledger_errmsg(reg), "not for a bulk filing"), "%s", pledger_errmsg(reg));
    after = fx_ck_dump(path, NULL);
    ck_assert_str_eq(before, after);
    free(after);
    PL_OK(reg, pledger_file_batch_keyed(&f, reg, "batch-0001", apps + 2, 1));
    pledger_filing_free(f);
    f = NULL;
    PL_FAILS(reg, PLEDGER_ECONFLICT,
             pledger_application_save_keyed(reg, apps[1], "batch-0001", NULL));
    ck_assert_msg(strstr(pledger_errmsg(reg), "for a bulk filing, not to save one application"),
                  "%s", pledger_errmsg(reg));
    ck_assert_ptr_null(pledger_application_uuid(apps[1]));

    /* refused: keys outside the alphabet, a saved handle, a bank's save
     * (which keeps no key) */
    static const char *const bad_keys[] = { "", "draft 1", "draft/1", "ключ" };
    for (size_t i = 0; i < sizeof bad_keys / sizeof bad_keys[0]; i++) {
        PL_FAILS(reg, PLEDGER_EINVAL,
                 pledger_application_save_keyed(reg, apps[1], bad_keys[i], NULL));
        ck_assert_msg(strstr(pledger_errmsg(reg), "key:"), "%s", pledger_errmsg(reg));
    }
    char longest[PLEDGER_FILING_KEY_MAX + 2];
    memset(longest, 'k', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_save_keyed(reg, apps[1], longest, NULL));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_save_keyed(reg, apps[1], NULL, NULL));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_save_keyed(reg, NULL, "draft-0002", NULL));
    PL_FAILS(reg, PLEDGER_EINVAL,
             pledger_application_save_keyed(reg, apps[0], "draft-0002", NULL));
    ck_assert_msg(strstr(pledger_errmsg(reg), "already saved"), "%s", pledger_errmsg(reg));
    fx_act(reg, "bank-qh", PLEDGER_ROLE_BANK); /* its own key, in a role that saves nothing */
    PL_FAILS(reg, PLEDGER_EPERM, pledger_application_save_keyed(reg, apps[1], "draft-0001", NULL));
    ck_assert_ptr_null(pledger_application_uuid(apps[1]));
    fx_act(reg, "bank-x", PLEDGER_ROLE_BANK);
    PL_FAILS(reg, PLEDGER_EPERM, pledger_application_save_keyed(reg, apps[1], "draft-0002", NULL));
    ck_assert_ptr_null(pledger_application_uuid(apps[1]));
    ck_assert_int_eq(fx_ck_raw_int(path, "SELECT count(*) FROM filing_key WHERE key = "
                                         "'draft-0002'"), 0);
    PL_OK(NULL, fx_open(&ro, path, "FZ01", 1, -1));
    fx_act(ro, "bank-qh", PLEDGER_ROLE_APPLICANT);
    PL_FAILS(ro, PLEDGER_EREADONLY,
             pledger_application_save_keyed(ro, apps[1], "draft-0003", NULL));
    pledger_close(ro);

    /* another actor's key of the same name is its own */
    fx_act(reg, "clerk-1", PLEDGER_ROLE_CLERK);
    PL_OK(reg, pledger_application_save_keyed(reg, apps[1], "draft-0001", &replayed));
    ck_assert_int_eq(replayed, 0);
    ck_assert_str_ne(pledger_application_uuid(apps[1]), uuid);

    /* the keys are state the journal's replay rebuilds, and checks */
    ck_assert_int_eq(fx_ck_raw_int(path, "SELECT count(*) FROM filing_key"), 3);
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(reg, pledger_journal_verify(&bad, &count, reg));
    ck_assert_int_eq(bad, 0);

    /* a damaged record of a key is said to be damage, and saves nothing */
    ck_assert_int_eq(fx_raw_exec(path, "UPDATE filing_key SET applications = '[\"nope\"]' "
                                       "WHERE key = 'draft-0001' AND actor = 'bank-qh'", NULL), 0);
    free(before);
    before = fx_ck_dump(path, NULL);
    fx_act(reg, "bank-qh", PLEDGER_ROLE_APPLICANT);
    pledger_application_free(again);
    again = fx_ck_sample(PLEDGER_KIND_RECEIVABLE);
    PL_OK(NULL, pledger_application_set(again, "claim/main_contract_number", "QHB-2024-LD-0000"));
    PL_FAILS(reg, PLEDGER_ECORRUPT,
             pledger_application_save_keyed(reg, again, "draft-0001", &replayed));
    ck_assert_int_eq(replayed, 0);
    ck_assert_ptr_null(pledger_application_uuid(again));
    ck_assert_msg(strstr(pledger_errmsg(reg), "draft-0001"), "%s", pledger_errmsg(reg));
    after = fx_ck_dump(path, NULL);
    ck_assert_str_eq(before, after);
    free(after);

    free(before);
    pledger_application_free(again);
    free_samples(apps, 4);
}
END_TEST


/* The envelope "<filings>" around the documents of @apps, declared in
 * @encoding: malloc'd.  Each application begins on a line of its own;
 * *@first_line (may be NULL) is the line of the second one's start tag. */
static char *envelope(pledger_application **apps, size_t n, const char *encoding,
                      long *second_line)
{
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    ck_assert_ptr_nonnull(out);
    len = (size_t)snprintf(out, cap, "<?xml version=\"1.0\" encoding=\"%s\"?>\n"
                           "<filings xmlns=\"urn:pledger:1\">\n", encoding);
    for (size_t i = 0; i < n; i++) {
        char *xml = NULL;
        size_t xl = 0;
        PL_OK(NULL, pledger_application_to_xml(&xml, &xl, apps[i]));
        const char *el = strstr(xml, "<application");
        ck_assert_ptr_nonnull(el);
        if (i == 1 && second_line) {
            *second_line = 1;
            for (size_t k = 0; k < len; k++)
                *second_line += out[k] == '\n';
        }
        size_t el_len = xl - (size_t)(el - xml);
        while (len + el_len + 64 > cap)
            ck_assert_ptr_nonnull(out = realloc(out, cap *= 2));
        memcpy(out + len, el, el_len);
        len += el_len;
        pledger_free(xml);
    }
    memcpy(out + len, "</filings>\n", 12);
    return out;
}

/* A refusal of pledger_filings_from_xml(): @code, a message beginning
 * with @head, and nothing handed out. */
static void refused(const char *xml, size_t len, int code, const char *head)
{
    pledger_application **got = (pledger_application **)&got;
    size_t n = 99;
    PL_FAILS(NULL, code, pledger_filings_from_xml(&got, &n, xml, len));
    ck_assert_ptr_null(got);
    ck_assert_uint_eq(n, 0);
    ck_assert_msg(strncmp(pledger_errmsg(NULL), head, strlen(head)) == 0,
                  "'%s' does not begin with '%s'", pledger_errmsg(NULL), head);
}

START_TEST(a_filing_document_reads_as_its_applications)
{
    pledger_application **apps = samples(3), **got = NULL;
    pledger_filing *f = NULL;
    size_t n = 0;
    long second = 0;

    /* declared ISO-8859-1 or GBK, read as the UTF-8 it is: the names
     * (Chinese in the sample) are those filed, byte for byte (the
     * envelope was transcoded from Latin-1 once, and the names garbled) */
    const char *encodings[] = { "UTF-8", "ISO-8859-1", "GBK" };
    for (size_t e = 0; e < 3; e++) {
        char *doc = envelope(apps, 3, encodings[e], NULL);
        PL_OK(NULL, pledger_filings_from_xml(&got, &n, doc, strlen(doc)));
        ck_assert_uint_eq(n, 3);
        for (size_t i = 0; i < n; i++) {
            char *want = NULL, *have = NULL;
            PL_OK(NULL, pledger_application_to_xml(&want, NULL, apps[i]));
            PL_OK(NULL, pledger_application_to_xml(&have, NULL, got[i]));
            ck_assert_str_eq(have, want);
            ck_assert_ptr_null(pledger_application_uuid(got[i]));
            ck_assert_int_eq(pledger_application_state(got[i]), PLEDGER_APP_DRAFT);
            pledger_free(want);
            pledger_free(have);
        }
        if (e == 1) {   /* what was read is filed */
            fx_act(reg, "bank-qh", PLEDGER_ROLE_APPLICANT);
            PL_OK(reg, pledger_file_batch(&f, reg, got, n));
            ck_assert_uint_eq(pledger_filing_count(f), 3);
            ck_assert_ptr_nonnull(pledger_application_registration_number(got[2]));
            pledger_filing_free(f);
        }
        pledger_application_array_free(got, n);
        free(doc);
    }
    pledger_application_array_free(NULL, 5);

    /* refusals name the line of the whole document */
    char *doc = envelope(apps, 3, "UTF-8", &second);
    char *bad = strdup(doc), *at = strstr(bad, "<application");
    at = strstr(at + 1, "<application");   /* the second one */
    memcpy(at + 1, "applicatio\xe3", 11);
    char head[96];
    snprintf(head, sizeof head, "filings: line %ld: invalid UTF-8", second);
    refused(bad, strlen(bad), PLEDGER_EXML, head);
    /* the second application without its kind: the schema's refusal */
    free(bad);
    bad = strdup(doc);
    at = strstr(strstr(strstr(bad, "<application") + 1, "<application"), "kind=\"receivable\"");
    memcpy(at, "kinx", 4);
    snprintf(head, sizeof head, "filings/application[2]: application: line %ld:", second);
    refused(bad, strlen(bad), PLEDGER_EXML, head);
    /* a NUL byte, a DOCTYPE, a cut document */
    refused(doc, strlen(doc) + 1, PLEDGER_EXML, "filings: line ");
    const char *dtd = "<!DOCTYPE filings [<!ENTITY a \"b\">]>\n"
                      "<filings xmlns=\"urn:pledger:1\"/>";
    refused(dtd, strlen(dtd), PLEDGER_EXML, "filings: line 1: a DOCTYPE");
    refused(doc, strlen(doc) / 2, PLEDGER_EXML, "filings: line ");
    /* not a bulk filing */
    const char *other[][2] = {
        { "<filings/>", "filings: line 1: root element <filings> is in namespace" },
        { "<application xmlns=\"urn:pledger:1\"/>", "filings: the root element must be" },
        { "<filings xmlns=\"urn:pledger:1\">\n</filings>", "filings: no <application>" },
        { "<filings xmlns=\"urn:pledger:1\">\n\n<batch/></filings>",
          "filings: element <batch> at line 3: only <application>" },
        { "<filings xmlns=\"urn:pledger:1\">\n<application/>\nnote</filings>",
          "filings: text at line 3 between" },
        { "", "filings: " },
    };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
        refused(other[i][0], strlen(other[i][0]),
                i == 0 || i == 5 ? PLEDGER_EXML : PLEDGER_EINVAL, other[i][1]);
    /* more applications than one filing files */
    size_t many = 100001, ml = 0;
    char *big = malloc(64 + many * 15);
    ck_assert_ptr_nonnull(big);
    ml += (size_t)sprintf(big, "<filings xmlns=\"urn:pledger:1\">");
    for (size_t i = 0; i < many; i++)
        ml += (size_t)sprintf(big + ml, "<application/>");
    ml += (size_t)sprintf(big + ml, "</filings>");
    refused(big, ml, PLEDGER_EINVAL, "filings: more than 100000 applications");
    free(big);
    /* the arguments */
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_filings_from_xml(NULL, &n, doc, strlen(doc)));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_filings_from_xml(&got, NULL, doc, strlen(doc)));
    ck_assert_ptr_null(got);
    refused(NULL, 3, PLEDGER_EINVAL, "pledger_filings_from_xml: xml is NULL");
    free(bad);
    free(doc);
    free_samples(apps, 3);
}
END_TEST


static Suite *make(void)
{
    Suite *s = suite_create("filing");
    TCase *tc = tcase_create("filing");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, files_every_item_with_consecutive_numbers);
    tcase_add_test(tc, a_batch_ranks_its_items_after_each_other);
    tcase_add_test(tc, a_batch_counts_its_items_sharing_a_debtor);
    tcase_add_test(tc, one_bad_item_files_nothing_and_reports_every_item);
    tcase_add_test(tc, who_and_what_may_be_filed_in_bulk);
    tcase_add_test(tc, batches_and_single_steps_interleave_without_gaps);
    tcase_add_test(tc, a_keyed_batch_is_filed_once);
    tcase_add_test(tc, a_keyed_save_saves_one_draft);
    tcase_add_test(tc, a_filing_document_reads_as_its_applications);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(make)
