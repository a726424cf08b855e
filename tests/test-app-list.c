/* Listing applications (pledger_application_list): what each role sees,
 * every filter and its bad values, pages, the state an application has
 * today, and a registry the listing's index has not reached yet. */
#include <inttypes.h>
#include <stdbool.h>

#include "testutil.h"
#include "fixture.h"
#include "store/schema.h"

#include <pledger/application.h>

static char *dir, *path;
static pledger_registry *reg;

static void setup(void) { fx_ck_setup(&dir, &path, &reg); }
static void teardown(void) { fx_ck_teardown(dir, path, reg); }

/* Save a sample of @kind as @actor (an applicant): its UUID, allocated. */
static char *saved(const char *actor, int kind, const char *pledgor)
{
    pledger_application *app = fx_ck_sample(kind);
    char *uuid;
    fx_act(reg, actor, PLEDGER_ROLE_APPLICANT);
    if (pledgor)
        PL_OK(NULL, pledger_application_set(app, "pledgor/name", pledgor));
    PL_OK(reg, pledger_application_save(reg, app));
    uuid = strdup(pledger_application_uuid(app));
    ck_assert_ptr_nonnull(uuid);
    pledger_application_free(app);
    return uuid;
}

/* The list @f gives, which must be @n long. */
static pledger_app_list *listed(const pledger_app_filter *f, size_t n)
{
    pledger_app_list *l = NULL;
    PL_OK(reg, pledger_application_list(&l, reg, f));
    ck_assert_ptr_nonnull(l);
    ck_assert_uint_eq(pledger_app_list_count(l), n);
    return l;
}

START_TEST(each_role_sees_what_it_may)
{
    char *a1 = saved("applicant-1", PLEDGER_KIND_TRADEMARK, "福州甲公司");
    fx_now_us += 1000000;
    char *a2 = saved("applicant-1", PLEDGER_KIND_PATENT, NULL);
    char *b1 = saved("applicant-2", PLEDGER_KIND_TRADEMARK, NULL);
    fx_now_us += 1000000;
    char *a3 = saved("applicant-1", PLEDGER_KIND_RECEIVABLE, NULL);
    pledger_app_filter f = PLEDGER_APP_FILTER_INIT;
    pledger_app_list *l;

    /* an applicant: its own, in the order saved, whatever it asks */
    fx_act(reg, "applicant-1", PLEDGER_ROLE_APPLICANT);
    l = listed(&f, 3);
    ck_assert_str_eq(pledger_app_list_uuid(l, 0), a1);
    ck_assert_str_eq(pledger_app_list_uuid(l, 1), a2);
    ck_assert_str_eq(pledger_app_list_uuid(l, 2), a3);
    ck_assert_int_eq(pledger_app_list_kind(l, 0), PLEDGER_KIND_TRADEMARK);
    ck_assert_int_eq(pledger_app_list_kind(l, 2), PLEDGER_KIND_RECEIVABLE);
    ck_assert_int_eq(pledger_app_list_state(l, 1), PLEDGER_APP_DRAFT);
    ck_assert_str_eq(pledger_app_list_filed_by(l, 0), "applicant-1");
    ck_assert_str_eq(pledger_app_list_pledgor_name(l, 0), "福州甲公司");
    ck_assert_ptr_nonnull(pledger_app_list_pledgee_name(l, 0));
    ck_assert_int_eq(pledger_app_list_saved_at(l, 0), FX_T0);
    ck_assert_int_eq(pledger_app_list_saved_at(l, 2), FX_T0 + 2000000);
    ck_assert_ptr_null(pledger_app_list_acceptance_number(l, 0));
    ck_assert_ptr_null(pledger_app_list_registration_number(l, 0));
    ck_assert_ptr_null(pledger_app_list_uuid(l, 3));
    ck_assert_int_eq(pledger_app_list_state(l, 3), 0);
    pledger_app_list_free(l);
    f.filed_by = "applicant-1";
    pledger_app_list_free(listed(&f, 3));
    f.filed_by = "applicant-2";
    l = (pledger_app_list *)&l;
    PL_FAILS(reg, PLEDGER_EPERM, pledger_application_list(&l, reg, &f));
    ck_assert_ptr_null(l);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "filter.filed_by"));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "applicant-2"));
    f.filed_by = NULL;
    fx_act(reg, "applicant-2", PLEDGER_ROLE_APPLICANT);
    l = listed(&f, 1);
    ck_assert_str_eq(pledger_app_list_uuid(l, 0), b1);
    pledger_app_list_free(l);
    fx_act(reg, "nobody-yet", PLEDGER_ROLE_APPLICANT);
    pledger_app_list_free(listed(&f, 0));

    /* the office: every application, or one actor's */
    static const pledger_role office[] = { PLEDGER_ROLE_CLERK, PLEDGER_ROLE_REGISTRAR,
                                           PLEDGER_ROLE_AUDITOR };
    for (size_t i = 0; i < 3; i++) {
        fx_act(reg, "office-1", office[i]);
        f.filed_by = NULL;
        l = listed(&f, 4);
        ck_assert_str_eq(pledger_app_list_uuid(l, 2), b1);
        ck_assert_str_eq(pledger_app_list_filed_by(l, 2), "applicant-2");
        pledger_app_list_free(l);
        f.filed_by = "applicant-2";
        pledger_app_list_free(listed(&f, 1));
    }
    f.filed_by = NULL;

    /* a bank reads registrations, not applications; no actor: nothing */
    fx_act(reg, "bank-1", PLEDGER_ROLE_BANK);
    PL_FAILS(reg, PLEDGER_EPERM, pledger_application_list(&l, reg, &f));
    ck_assert_ptr_null(l);
    pledger_registry *anon;
    PL_OK(NULL, fx_open(&anon, path, "FZ01", 1, -1));
    PL_FAILS(anon, PLEDGER_EPERM, pledger_application_list(&l, anon, &f));
    pledger_close(anon);
    free(a1);
    free(a2);
    free(a3);
    free(b1);
}
END_TEST

START_TEST(states_and_kinds_follow_the_workflow)
{
    char *draft = saved("applicant-1", PLEDGER_KIND_TRADEMARK, NULL);
    char *sub = NULL, *acc = NULL, *accno = NULL, *late = NULL, *number = NULL;
    pledger_app_filter f = PLEDGER_APP_FILTER_INIT;
    pledger_app_list *l;

    PL_OK(reg, fx_submitted(reg, PLEDGER_KIND_PATENT, &sub));
    PL_OK(reg, fx_accepted(reg, PLEDGER_KIND_EQUITY, &acc, &accno));
    PL_OK(reg, fx_accepted(reg, PLEDGER_KIND_TRADEMARK, &late, NULL));
    PL_OK(reg, pledger_application_request_correction(reg, late, "the contract is unsigned"));
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_RECEIVABLE, &number, NULL));

    /* the acceptance point's queue */
    fx_act(reg, "clerk-1", PLEDGER_ROLE_CLERK);
    f.states = 1u << PLEDGER_APP_SUBMITTED;
    l = listed(&f, 1);
    ck_assert_str_eq(pledger_app_list_uuid(l, 0), sub);
    ck_assert_int_eq(pledger_app_list_kind(l, 0), PLEDGER_KIND_PATENT);
    pledger_app_list_free(l);
    f.states = 1u << PLEDGER_APP_ACCEPTED;
    l = listed(&f, 1);
    ck_assert_str_eq(pledger_app_list_uuid(l, 0), acc);
    ck_assert_str_eq(pledger_app_list_acceptance_number(l, 0), accno);
    pledger_app_list_free(l);
    f.states = 1u << PLEDGER_APP_REGISTERED;
    l = listed(&f, 1);
    ck_assert_str_eq(pledger_app_list_registration_number(l, 0), number);
    ck_assert_int_eq(pledger_app_list_updated_at(l, 0), FX_T0);
    pledger_app_list_free(l);
    f.states = (1u << PLEDGER_APP_DRAFT) | (1u << PLEDGER_APP_SUBMITTED);
    l = listed(&f, 2);
    ck_assert_str_eq(pledger_app_list_uuid(l, 0), draft);
    ck_assert_str_eq(pledger_app_list_uuid(l, 1), sub);
    pledger_app_list_free(l);
    f.states = 1u << PLEDGER_APP_REFUSED;
    pledger_app_list_free(listed(&f, 0));
    f.states = 0;
    f.kind = PLEDGER_KIND_TRADEMARK;
    pledger_app_list_free(listed(&f, 2));
    f.kind = PLEDGER_KIND_LAND;
    pledger_app_list_free(listed(&f, 0));
    f.kind = 0;

    /* an applicant filters its own the same way */
    fx_act(reg, "applicant-1", PLEDGER_ROLE_APPLICANT);
    f.states = 1u << PLEDGER_APP_CORRECTION_REQUESTED;
    l = listed(&f, 1);
    ck_assert_str_eq(pledger_app_list_uuid(l, 0), late);
    pledger_app_list_free(l);

    /* day 31 of the correction window: withdrawn, as a load says */
    fx_now_us += 31 * FX_DAY_US;
    pledger_app_list_free(listed(&f, 0));
    f.states = 1u << PLEDGER_APP_WITHDRAWN;
    l = listed(&f, 1);
    ck_assert_str_eq(pledger_app_list_uuid(l, 0), late);
    ck_assert_int_eq(pledger_app_list_state(l, 0), PLEDGER_APP_WITHDRAWN);
    pledger_application *app;
    PL_OK(reg, pledger_application_load(&app, reg, late));
    ck_assert_int_eq(pledger_application_state(app), pledger_app_list_state(l, 0));
    pledger_application_free(app);
    pledger_app_list_free(l);
    free(draft);
    free(sub);
    free(acc);
    free(accno);
    free(late);
    pledger_free(number);
}
END_TEST

/* Several states at once: the rows of each state's cursor merged in the
 * order saved, page after page, the same as the whole list filtered. */
START_TEST(states_merge_in_the_order_saved)
{
    enum { N = 24 };
    char *uuid[N];
    pledger_app_filter f = PLEDGER_APP_FILTER_INIT;
    const unsigned want = (1u << PLEDGER_APP_DRAFT) | (1u << PLEDGER_APP_SUBMITTED) |
                          (1u << PLEDGER_APP_ACCEPTED);

    for (size_t i = 0; i < N; i++) {
        switch (i % 4) {
        case 0: uuid[i] = saved("applicant-1", PLEDGER_KIND_TRADEMARK, NULL); break;
        case 1: PL_OK(reg, fx_submitted(reg, PLEDGER_KIND_PATENT, &uuid[i])); break;
        case 2: PL_OK(reg, fx_accepted(reg, PLEDGER_KIND_EQUITY, &uuid[i], NULL)); break;
        default: /* withdrawn: in none of the states asked */
            uuid[i] = saved("applicant-1", PLEDGER_KIND_TRADEMARK, NULL);
            PL_OK(reg, pledger_application_withdraw(reg, uuid[i]));
        }
    }
    static const pledger_role who[] = { PLEDGER_ROLE_CLERK, PLEDGER_ROLE_APPLICANT };
    for (size_t w = 0; w < 2; w++) {
        fx_act(reg, who[w] == PLEDGER_ROLE_CLERK ? "clerk-1" : "applicant-1", who[w]);
        f.states = want;
        f.after = NULL;
        f.limit = 5;
        size_t seen = 0;
        for (;;) {
            pledger_app_list *l = NULL;
            PL_OK(reg, pledger_application_list(&l, reg, &f));
            size_t n = pledger_app_list_count(l);
            for (size_t i = 0; i < n; i++) {
                while (seen < N && seen % 4 == 3)
                    seen++; /* the withdrawn ones are skipped */
                ck_assert_uint_lt(seen, N);
                ck_assert_str_eq(pledger_app_list_uuid(l, i), uuid[seen]);
                ck_assert(want & (1u << pledger_app_list_state(l, i)));
                seen++;
            }
            static char last[37];
            if (n)
                snprintf(last, sizeof last, "%s", pledger_app_list_uuid(l, n - 1));
            pledger_app_list_free(l);
            if (n < (size_t)f.limit)
                break;
            f.after = last;
        }
        ck_assert_uint_eq(seen, N - 1); /* the last one, withdrawn, not listed */
    }
    for (size_t i = 0; i < N; i++)
        free(uuid[i]);
}
END_TEST

START_TEST(pages_follow_each_other)
{
    enum { N = 25 };
    char *uuids[N];
    pledger_app_filter f = PLEDGER_APP_FILTER_INIT;
    char upper[37];
    size_t seen = 0;

    for (size_t i = 0; i < N; i++)
        uuids[i] = saved(i % 5 == 4 ? "applicant-2" : "applicant-1",
                         PLEDGER_KIND_TRADEMARK, NULL);
    fx_act(reg, "clerk-1", PLEDGER_ROLE_CLERK);
    f.limit = 10;
    for (int page = 0; page < 4; page++) {
        pledger_app_list *l = listed(&f, page < 2 ? 10 : page == 2 ? 5 : 0);
        for (size_t i = 0; i < pledger_app_list_count(l); i++)
            ck_assert_str_eq(pledger_app_list_uuid(l, i), uuids[seen++]);
        if (pledger_app_list_count(l)) {
            /* the cursor as a person types it: upper case, spaces around */
            const char *last = pledger_app_list_uuid(l, pledger_app_list_count(l) - 1);
            for (size_t k = 0; k < 37; k++)
                upper[k] = (char)(last[k] >= 'a' && last[k] <= 'f' ? last[k] - 32 : last[k]);
            f.after = upper;
            char *typed = NULL;
            ck_assert_int_gt(asprintf(&typed, "  %s ", upper), 0);
            pledger_app_list *again = NULL;
            f.after = typed;
            PL_OK(reg, pledger_application_list(&again, reg, &f));
            f.after = upper;
            pledger_app_list *same = listed(&f, pledger_app_list_count(again));
            pledger_app_list_free(same);
            pledger_app_list_free(again);
            free(typed);
        }
        pledger_app_list_free(l);
    }
    ck_assert_uint_eq(seen, N);

    /* a cursor typed in full-width forms (three bytes a character) */
    {
        char wide[256] = "";
        size_t w = 0;
        for (const char *p = uuids[9]; *p; p++) {
            unsigned c = (unsigned char)*p;
            unsigned cp = 0xFF00u + (c - 0x20u); /* U+FF10 ... for '0' ... */
            wide[w++] = (char)(0xE0 | (cp >> 12));
            wide[w++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            wide[w++] = (char)(0x80 | (cp & 0x3F));
        }
        ck_assert_uint_eq(w, 108);
        f.after = wide;
        f.limit = 1;
        pledger_app_list *l = listed(&f, 1);
        ck_assert_str_eq(pledger_app_list_uuid(l, 0), uuids[10]);
        pledger_app_list_free(l);
    }

    /* an applicant's pages skip the others' applications */
    fx_act(reg, "applicant-2", PLEDGER_ROLE_APPLICANT);
    f.after = NULL;
    f.limit = 3;
    pledger_app_list *l = listed(&f, 3);
    ck_assert_str_eq(pledger_app_list_uuid(l, 2), uuids[14]);
    f.after = uuids[14];
    pledger_app_list_free(l);
    l = listed(&f, 2);
    ck_assert_str_eq(pledger_app_list_uuid(l, 1), uuids[24]);
    pledger_app_list_free(l);

    /* a cursor no application has */
    f.after = "00000000-0000-4000-8000-000000000000";
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_application_list(&l, reg, &f));
    ck_assert_ptr_null(l);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "filter.after"));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "00000000-0000-4000-8000-000000000000"));
    for (size_t i = 0; i < N; i++)
        free(uuids[i]);
}
END_TEST

START_TEST(bad_filters_name_the_field)
{
    char *uuid = saved("applicant-1", PLEDGER_KIND_TRADEMARK, NULL);
    char *before = fx_ck_dump(path, NULL);
    static const struct {
        const char *field;
        unsigned version, states;
        int kind, limit;
        const char *filed_by, *after;
    } bad[] = {
        { "filter.version", 0, 0, 0, 10, NULL, NULL },
        { "filter.version", 2, 0, 0, 10, NULL, NULL },
        { "filter.states", 1, 1u, 0, 10, NULL, NULL },
        { "filter.states", 1, 1u << 10, 0, 10, NULL, NULL },
        { "filter.states", 1, 0x80000000u, 0, 10, NULL, NULL },
        { "filter.kind", 1, 0, -1, 10, NULL, NULL },
        { "filter.kind", 1, 0, 8, 10, NULL, NULL },
        { "filter.limit", 1, 0, 0, 0, NULL, NULL },
        { "filter.limit", 1, 0, 0, -5, NULL, NULL },
        { "filter.limit", 1, 0, 0, 10001, NULL, NULL },
        { "filter.filed_by", 1, 0, 0, 10, "", NULL },
        { "filter.filed_by", 1, 0, 0, 10, "\xff\xfe", NULL },
        { "filter.filed_by", 1, 0, 0, 10, "a\x01b", NULL },
        { "filter.filed_by", 1, 0, 0, 10, "line\nbreak", NULL },
        { "filter.filed_by", 1, 0, 0, 10,
          "a-name-of-a-hundred-and-twenty-nine-bytes-is-one-byte-longer-than-any-actor-"
          "name-pledger_set_actor-takes-000000000000000000000001", NULL },
        { "filter.after", 1, 0, 0, 10, NULL, "\x7f" },
        { "filter.after", 1, 0, 0, 10, NULL, "" },
        { "filter.after", 1, 0, 0, 10, NULL, "\xc3\x28" },
    };
    pledger_app_list *l;

    fx_act(reg, "clerk-1", PLEDGER_ROLE_CLERK);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pledger_app_filter f = { bad[i].version, bad[i].states, bad[i].kind, bad[i].filed_by,
                                 bad[i].after, bad[i].limit };
        l = (pledger_app_list *)&l;
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_list(&l, reg, &f));
        ck_assert_ptr_null(l);
        ck_assert_msg(strstr(pledger_errmsg(reg), bad[i].field) != NULL, "case %zu: %s", i,
                      pledger_errmsg(reg));
    }
    /* a cursor that is no UUID at all is one no application has */
    pledger_app_filter f = PLEDGER_APP_FILTER_INIT;
    f.after = "not-a-uuid";
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_application_list(&l, reg, &f));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_list(&l, reg, NULL));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_list(NULL, reg, &f));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_application_list(&l, NULL, &f));
    f.after = NULL;
    f.limit = 10000;
    f.states = ((1u << 10) - 1) & ~1u;
    pledger_app_list_free(listed(&f, 1));
    char *after = fx_ck_dump(path, NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    free(uuid);
}
END_TEST

START_TEST(a_registry_before_the_index_lists_too)
{
    char *a = saved("applicant-1", PLEDGER_KIND_TRADEMARK, NULL);
    char *b = saved("applicant-2", PLEDGER_KIND_TRADEMARK, NULL);
    pledger_app_filter f = PLEDGER_APP_FILTER_INIT;
    pledger_registry *ro;
    pledger_app_list *l;

    pledger_close(reg);
    reg = NULL;
    /* as the previous version of the library left it */
    fx_ck_raw_exec(path, "DROP TABLE upgrade_pending; DROP INDEX application_right_app; "
                         "DROP INDEX application_created_by");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", pl_migration_count - 3);
    fx_ck_raw_exec(path, sql);
    PL_OK(NULL, fx_open(&ro, path, "FZ01", 1, -1));
    PL_OK(ro, pledger_set_actor(ro, "applicant-2", PLEDGER_ROLE_APPLICANT));
    PL_OK(ro, pledger_application_list(&l, ro, &f));
    ck_assert_uint_eq(pledger_app_list_count(l), 1);
    ck_assert_str_eq(pledger_app_list_uuid(l, 0), b);
    pledger_app_list_free(l);
    pledger_close(ro);
    /* opened to write, it gets the index back */
    PL_OK(NULL, fx_open(&reg, path, "FZ01", 0, -1));
    ck_assert_int_eq(fx_ck_raw_int(path, "SELECT count(*) FROM sqlite_schema"
                                         " WHERE name = 'application_created_by'"), 1);
    ck_assert_int_eq(fx_ck_raw_int(path, "PRAGMA user_version"), pl_migration_count);
    PL_OK(reg, pledger_set_actor(reg, "applicant-1", PLEDGER_ROLE_APPLICANT));
    l = listed(&f, 1);
    ck_assert_str_eq(pledger_app_list_uuid(l, 0), a);
    pledger_app_list_free(l);
    free(a);
    free(b);
}
END_TEST

static Suite *make(void)
{
    Suite *s = suite_create("app-list");
    TCase *tc = tcase_create("list");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, each_role_sees_what_it_may);
    tcase_add_test(tc, states_and_kinds_follow_the_workflow);
    tcase_add_test(tc, states_merge_in_the_order_saved);
    tcase_add_test(tc, pages_follow_each_other);
    tcase_add_test(tc, bad_filters_name_the_field);
    tcase_add_test(tc, a_registry_before_the_index_lists_too);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(make)
