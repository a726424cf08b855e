/* Kinds and states a registry file holds that pledger never writes.
 *
 * The file's CHECK constraints keep them in range for what pledger
 * writes, but a file edited outside pledger (constraints ignored) may hold
 * any integer in a pledge's or an application's kind or state.  Every read
 * that meets one answers PLEDGER_ECORRUPT naming the registration or the
 * application, the code and where it came from -- a verification of such
 * a pledge crashed in the certificate's kind lookup.  Each case is read
 * through every path a bank, a clerk or an auditor has: verification,
 * certificate, snapshot, rank, search, due list, application load and
 * list. */
#include "testutil.h"
#include "fixture.h"

static char *dir, *path;
static char *numbers[8];
static char *app_uuid;

static void build(void)
{
    pledger_registry *reg = NULL;
    dir = pl_test_mkdir();
    path = pl_test_path(dir, "codes.db");
    fx_now_us = FX_T0;
    PL_OK(NULL, fx_open(&reg, path, "FZ01", 0, -1));
    for (int k = 1; k <= 7; k++) {
        fx_now_us += 60 * INT64_C(1000000);
        PL_OK(reg, fx_registered(reg, k, &numbers[k], NULL));
    }
    PL_OK(reg, fx_submitted(reg, PLEDGER_KIND_RECEIVABLE, &app_uuid));
    pledger_close(reg);
}

static void drop(void)
{
    for (int k = 1; k <= 7; k++)
        pledger_free(numbers[k]);
    free(app_uuid);
    free(path);
    pl_test_rmdir(dir);
}

typedef struct code_case {
    const char *name;
    const char *sql;   /* run with the CHECK constraints ignored */
    const char *says;  /* in the message of the read that meets it */
} code_case;

#define TM_ID "(SELECT id FROM pledge WHERE kind = 1)"
static const code_case cases[] = {
    { "pledge kind 0", "UPDATE pledge SET kind = 0 WHERE id = " TM_ID, "kind 0" },
    { "pledge kind 77", "UPDATE pledge SET kind = 77 WHERE id = " TM_ID, "kind 77" },
    { "pledge kind -1", "UPDATE pledge SET kind = -1 WHERE id = " TM_ID, "kind -1" },
    { "pledge state 99", "UPDATE pledge_version SET state = 99 WHERE pledge_id = " TM_ID,
      "state 99" },
    { "pledge state 0", "UPDATE pledge_version SET state = 0 WHERE pledge_id = " TM_ID,
      "state 0" },
    { "application state 42", "UPDATE application SET state = 42 WHERE state = 3",
      "state 42" },
    { "application kind 9", "UPDATE application SET kind = 9 WHERE state = 3", "kind 9" },
    { "calendar day kind 3", "INSERT INTO calendar_day (day, kind) VALUES (20200, 3)",
      "kind 3" },
    /* values a certificate or a pledge's document may not say: the
     * document built from them fails its own checks, which is the file's
     * fault, not the caller's (it was PLEDGER_EINVAL or PLEDGER_EXML) */
    { "identifier type unknown",
      "UPDATE pledge_version SET pledgor_id_type = 'martian' WHERE pledge_id = " TM_ID,
      "pledgor/id/@type" },
    { "currency empty", "UPDATE pledge_version SET currency = '' WHERE pledge_id = " TM_ID,
      "currency" },
    { "pledgor's name empty",
      "UPDATE pledge_version SET pledgor_name = '' WHERE pledge_id = " TM_ID, "pledgor/name" },
    { "period before the year 1",
      "UPDATE pledge_version SET period_start = -2000000 WHERE pledge_id = " TM_ID,
      "period/start" },
};
#define N_CASES (int)(sizeof cases / sizeof cases[0])

/* 0, PLEDGER_EPERM (the role's), or PLEDGER_ECORRUPT saying @c->says:
 * never anything else (the data an unknown code stands for is not the
 * caller's fault), never a crash. */
static void outcome(pledger_registry *reg, const code_case *c, const char *call, int rc,
                    int *corrupt)
{
    if (rc == 0 || rc == PLEDGER_EPERM)   /* a role refused before the data is read */
        return;
    ck_assert_msg(rc == PLEDGER_ECORRUPT, "%s: %s answered %d: %s", c->name, call, rc,
                  pledger_errmsg(reg));
    ck_assert_msg(strstr(pledger_errmsg(reg), c->says) &&
                      strstr(pledger_errmsg(reg), "outside pledger"),
                  "%s: %s: '%s' does not say '%s'", c->name, call, pledger_errmsg(reg),
                  c->says);
    (*corrupt)++;
}

static void read_everything(pledger_registry *reg, const code_case *c, int *corrupt)
{
    for (int k = 1; k <= 7; k++) {
        pledger_verification *v = NULL;
        outcome(reg, c, "pledger_verify", pledger_verify(&v, reg, numbers[k], NULL), corrupt);
        pledger_verification_free(v);
        char *xml = NULL;
        outcome(reg, c, "pledger_certificate_get",
                pledger_certificate_get(&xml, reg, numbers[k], 0), corrupt);
        pledger_free(xml);
        pledger_pledge *p = NULL;
        int rc = pledger_pledge_get(&p, reg, numbers[k]);
        outcome(reg, c, "pledger_pledge_get", rc, corrupt);
        if (rc == 0) {
            rc = pledger_pledge_to_xml(&xml, p);
            /* the snapshot's calls say their failures on the thread's error */
            if (rc)
                ck_assert_msg(rc == PLEDGER_ECORRUPT && strstr(pledger_errmsg(NULL),
                                                               c->says),
                              "%s: pledger_pledge_to_xml answered %d: %s", c->name, rc,
                              pledger_errmsg(NULL));
            *corrupt += rc != 0;
            pledger_free(xml);
            xml = NULL;
        }
        pledger_pledge_free(p);
        int rank = 0;
        outcome(reg, c, "pledger_rank",
                pledger_rank(&rank, reg, numbers[k], PLEDGER_AS_OF_CURRENT), corrupt);
    }
    for (int k = 0; k <= 7; k++) {   /* every kind, and all */
        pledger_query q = PLEDGER_QUERY_INIT;
        q.kind = (pledger_kind)k;
        pledger_cursor *cur = NULL;
        int rc = pledger_search(&cur, reg, &q);
        while (rc == 0 && pledger_cursor_next(cur) == 0 && pledger_cursor_count(cur) > 0)
            ;
        outcome(reg, c, "pledger_search", rc, corrupt);
        pledger_cursor_free(cur);
    }
    pledger_due_options o = PLEDGER_DUE_OPTIONS_INIT;
    o.within_days = 3650;
    pledger_due *d = NULL;
    outcome(reg, c, "pledger_due_get", pledger_due_get(&d, reg, &o), corrupt);
    pledger_due_free(d);
    pledger_application *app = NULL;
    outcome(reg, c, "pledger_application_load",
            pledger_application_load(&app, reg, app_uuid), corrupt);
    pledger_application_free(app);
    pledger_app_filter f = PLEDGER_APP_FILTER_INIT;
    pledger_app_list *l = NULL;
    outcome(reg, c, "pledger_application_list", pledger_application_list(&l, reg, &f),
            corrupt);
    pledger_app_list_free(l);
    f.states = 1u << PLEDGER_APP_SUBMITTED;
    outcome(reg, c, "pledger_application_list (submitted)",
            pledger_application_list(&l, reg, &f), corrupt);
    pledger_app_list_free(l);
}

START_TEST(test_unknown_codes_are_corrupt)
{
    const code_case *c = &cases[_i];
    char name[32];
    snprintf(name, sizeof name, "case-%d.db", _i);
    char *copy = pl_test_path(dir, name);
    size_t len = 0;
    char *data = pl_test_slurp(path, &len);
    pl_test_write(copy, data, len);
    free(data);
    char sql[512];
    snprintf(sql, sizeof sql, "PRAGMA ignore_check_constraints = 1; %s", c->sql);
    fx_ck_raw_exec(copy, sql);

    static const struct { const char *actor; pledger_role role; } who[] = {
        { "bank-1", PLEDGER_ROLE_BANK },
        { "clerk-1", PLEDGER_ROLE_CLERK },
        { "auditor-1", PLEDGER_ROLE_AUDITOR },
    };
    int corrupt = 0;
    for (size_t w = 0; w < sizeof who / sizeof who[0]; w++) {
        for (int ro = 0; ro <= 1; ro++) {
            pledger_registry *reg = NULL;
            PL_OK(NULL, fx_open(&reg, copy, NULL, ro, -1));
            PL_OK(reg, pledger_set_actor(reg, who[w].actor, who[w].role));
            read_everything(reg, c, &corrupt);
            pledger_close(reg);
        }
    }
    /* the tampered row was met, and said so */
    ck_assert_msg(corrupt > 0, "%s: no read met it", c->name);
    unlink(copy);
    free(copy);
}
END_TEST

/* The untampered registry: every read answers (the checks refuse nothing
 * pledger writes). */
START_TEST(test_every_code_pledger_writes_passes)
{
    static const code_case none = { "intact", "", "" };
    int corrupt = 0;
    pledger_registry *reg = NULL;
    PL_OK(NULL, fx_open(&reg, path, NULL, 1, -1));
    PL_OK(reg, pledger_set_actor(reg, "clerk-1", PLEDGER_ROLE_CLERK));
    read_everything(reg, &none, &corrupt);
    ck_assert_int_eq(corrupt, 0);
    pledger_close(reg);
}
END_TEST

static Suite *codes_suite(void)
{
    Suite *s = suite_create("tamper-codes");
    TCase *tc = tcase_create("codes");
    tcase_add_unchecked_fixture(tc, build, drop);
    tcase_add_test(tc, test_every_code_pledger_writes_passes);
    tcase_add_loop_test(tc, test_unknown_codes_are_corrupt, 0, N_CASES);
    tcase_set_timeout(tc, getenv("PLEDGER_VALGRIND") ? 900 : 60);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(codes_suite)
