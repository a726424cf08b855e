/* Who may change what, asked before the call (pledger_may): for every
 * call it answers, every role, no actor, and both sites, its answer is the
 * call's own -- PLEDGER_EPERM with the same words when the call refuses
 * the role or the site, 0 when the call goes on to look at its arguments
 * (here an application that does not exist, or a document). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "fixture.h"

#include <pledger/application.h>
#include <pledger/exchange.h>
#include <pledger/pledge.h>
#include <pledger/report.h>

#define NO_UUID "00000000-0000-4000-8000-000000000000"

static char *dir, *path;
static pledger_registry *reg;

static void setup(void) { fx_ck_setup(&dir, &path, &reg); }
static void teardown(void) { fx_ck_teardown(dir, path, reg); }

/* Make the call named @call as the handle's actor, with arguments that
 * get past every check made before the role's (an application nobody
 * saved, the sample document): its code. */
static int make_call(const char *call)
{
    char *out = NULL, *mod = NULL;
    pledger_review *rv = NULL;
    pledger_filing *f = NULL;
    int n = 0, rc;

    if (!strcmp(call, "pledger_application_save") ||
        !strcmp(call, "pledger_application_save_keyed") ||
        !strcmp(call, "pledger_application_replace")) {
        pledger_application *app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
        rc = !strcmp(call, "pledger_application_save") ? pledger_application_save(reg, app)
             : !strcmp(call, "pledger_application_replace")
                 ? pledger_application_replace(reg, NO_UUID, app)
                 : pledger_application_save_keyed(reg, app, "k-1", &n);
        pledger_application_free(app);
    } else if (!strcmp(call, "pledger_file_batch") || !strcmp(call, "pledger_file_batch_keyed")) {
        pledger_application *app = fx_ck_sample(PLEDGER_KIND_RECEIVABLE);
        rc = !strcmp(call, "pledger_file_batch") ? pledger_file_batch(&f, reg, &app, 1)
                                                 : pledger_file_batch_keyed(&f, reg, "b-1", &app, 1);
        pledger_filing_free(f);
        pledger_application_free(app);
    } else if (!strcmp(call, "pledger_application_review")) {
        rc = pledger_application_review(&rv, reg, NO_UUID);
        pledger_review_free(rv);
    } else if (!strcmp(call, "pledger_application_submit")) {
        rc = pledger_application_submit(reg, NO_UUID);
    } else if (!strcmp(call, "pledger_application_withdraw")) {
        rc = pledger_application_withdraw(reg, NO_UUID);
    } else if (!strcmp(call, "pledger_application_accept")) {
        rc = pledger_application_accept(&out, reg, NO_UUID);
    } else if (!strcmp(call, "pledger_application_request_correction")) {
        rc = pledger_application_request_correction(reg, NO_UUID, "a note");
    } else if (!strcmp(call, "pledger_application_register")) {
        rc = pledger_application_register(&out, &mod, reg, NO_UUID);
    } else if (!strcmp(call, "pledger_application_refuse")) {
        rc = pledger_application_refuse(reg, NO_UUID, "other", "a note");
    } else if (!strcmp(call, "pledger_registry_expire")) {
        rc = pledger_registry_expire(&n, reg);
    } else if (!strcmp(call, "pledger_calendar_load")) {
        rc = pledger_calendar_load(reg, "", 0);
    } else if (!strcmp(call, "pledger_register_import") ||
               !strcmp(call, "pledger_register_import_memory")) {
        pledger_import_report *rep = NULL;
        rc = !strcmp(call, "pledger_register_import")
                 ? pledger_register_import(&rep, reg, "/nonexistent/register.xml", NULL)
                 : pledger_register_import_memory(&rep, reg, "<not-a-register/>", 17, NULL);
        pledger_import_report_free(rep);
    } else if (!strcmp(call, "pledger_journal_verify") ||
               !strcmp(call, "pledger_journal_verify_chain")) {
        int64_t bad = 0, count = 0;
        rc = !strcmp(call, "pledger_journal_verify")
                 ? pledger_journal_verify(&bad, &count, reg)
                 : pledger_journal_verify_chain(&bad, &count, reg);
    } else if (!strcmp(call, "pledger_report_verify")) {
        uint64_t bad = 0, count = 0;
        rc = pledger_report_verify(&bad, &count, reg, NULL);
    } else {
        ck_abort_msg("no call made for %s", call);
        return 0;
    }
    pledger_free(out);
    pledger_free(mod);
    return rc;
}

START_TEST(pledger_may_answers_as_the_call_does)
{
    static const char *const calls[] = {
        "pledger_application_save", "pledger_application_save_keyed",
        "pledger_application_replace", "pledger_application_review",
        "pledger_application_submit", "pledger_application_accept",
        "pledger_application_request_correction", "pledger_application_register",
        "pledger_application_refuse", "pledger_application_withdraw", "pledger_file_batch",
        "pledger_file_batch_keyed", "pledger_registry_expire", "pledger_calendar_load",
        "pledger_register_import", "pledger_register_import_memory",
        /* the verifications that read the whole registry */
        "pledger_journal_verify", "pledger_journal_verify_chain", "pledger_report_verify",
    };
    size_t refused = 0, allowed = 0;

    for (int site = PLEDGER_SITE_OFFICE; site <= PLEDGER_SITE_ACCEPTANCE_POINT; site++) {
        if (site == PLEDGER_SITE_ACCEPTANCE_POINT) {
            /* a registry is an acceptance point from its creation: another file */
            char *ap = pl_test_path(dir, "ap.db");
            pledger_close(reg);
            PL_OK(NULL, fx_open(&reg, ap, "FZ01", 0, -1));
            free(ap);
            fx_act(reg, "reg-1", PLEDGER_ROLE_REGISTRAR);
            PL_OK(reg, pledger_set_site(reg, PLEDGER_SITE_ACCEPTANCE_POINT, "BJ00"));
        }
        for (int role = PLEDGER_ROLE_APPLICANT; role <= PLEDGER_ROLE_AUDITOR; role++) {
            fx_act(reg, "someone", (pledger_role)role);
            for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
                int may = pledger_may(reg, calls[i]);
                char said[1024];
                snprintf(said, sizeof said, "%s", pledger_errmsg(reg));
                int rc = make_call(calls[i]);
                ck_assert_msg(may == 0 || may == PLEDGER_EPERM, "%s: %d", calls[i], may);
                if (may == PLEDGER_EPERM) {
                    ck_assert_msg(rc == PLEDGER_EPERM, "site %d, role %d: %s: pledger_may "
                                  "refused (%s), the call gave %d (%s)", site, role, calls[i],
                                  said, rc, pledger_errmsg(reg));
                    /* the same words (the call may put its name first) */
                    const char *m = pledger_errmsg(reg);
                    ck_assert_msg(strlen(m) >= strlen(said) &&
                                  !strcmp(m + strlen(m) - strlen(said), said),
                                  "%s: '%s' against the call's '%s'", calls[i], said, m);
                    refused++;
                } else {
                    ck_assert_msg(rc != PLEDGER_EPERM, "site %d, role %d: %s: pledger_may "
                                  "allowed it, the call refused: %s", site, role, calls[i],
                                  pledger_errmsg(reg));
                    allowed++;
                }
            }
        }
    }
    /* both answers were given, many times */
    ck_assert_uint_ge(refused, 60);
    ck_assert_uint_ge(allowed, 20);
}
END_TEST

START_TEST(pledger_may_knows_its_calls)
{
    /* no actor: refused as the call refuses it */
    PL_FAILS(reg, PLEDGER_EPERM, pledger_may(reg, "pledger_application_save"));
    ck_assert_msg(strstr(pledger_errmsg(reg), "no actor"), "%s", pledger_errmsg(reg));
    /* the data line: a clerk and the registrar */
    int want[] = { [PLEDGER_ROLE_APPLICANT] = PLEDGER_EPERM, [PLEDGER_ROLE_CLERK] = 0,
                   [PLEDGER_ROLE_REGISTRAR] = 0, [PLEDGER_ROLE_BANK] = PLEDGER_EPERM,
                   [PLEDGER_ROLE_AUDITOR] = PLEDGER_EPERM };
    for (int role = PLEDGER_ROLE_APPLICANT; role <= PLEDGER_ROLE_AUDITOR; role++) {
        fx_act(reg, "someone", (pledger_role)role);
        ck_assert_int_eq(pledger_may(reg, "pledger_exchange_import"), want[role]);
        ck_assert_int_eq(pledger_may(reg, "pledger_exchange_export"), want[role]);
    }
    /* the verifications: the auditor and the registrar (the journal's
     * messages quote payloads; the reports say who asked what) */
    int verify[] = { [PLEDGER_ROLE_APPLICANT] = PLEDGER_EPERM, [PLEDGER_ROLE_CLERK] = PLEDGER_EPERM,
                     [PLEDGER_ROLE_REGISTRAR] = 0, [PLEDGER_ROLE_BANK] = PLEDGER_EPERM,
                     [PLEDGER_ROLE_AUDITOR] = 0 };
    for (int role = PLEDGER_ROLE_APPLICANT; role <= PLEDGER_ROLE_AUDITOR; role++) {
        fx_act(reg, "someone", (pledger_role)role);
        ck_assert_int_eq(pledger_may(reg, "pledger_report_verify"), verify[role]);
        if (verify[role])
            ck_assert_msg(strstr(pledger_errmsg(reg), pledger_role_name((pledger_role)role)),
                          "names the role: %s", pledger_errmsg(reg));
    }
    /* names it does not answer, and no handle */
    const char *others[] = { "pledger_pledge_change", "pledger_pledge_cancel", "save",
                             "pledger_application_save ", "", "pledger_search",
                             "pledger_journal_verify ", "pledger_report_list" };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_may(reg, others[i]));
        ck_assert_msg(strstr(pledger_errmsg(reg), "is not a call it answers"), "%s",
                      pledger_errmsg(reg));
    }
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_may(reg, NULL));
    ck_assert_int_eq(pledger_may(NULL, "pledger_application_save"), PLEDGER_EINVAL);
}
END_TEST

static Suite *make(void)
{
    Suite *s = suite_create("roles-write");
    TCase *tc = tcase_create("roles-write");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, pledger_may_answers_as_the_call_does);
    tcase_add_test(tc, pledger_may_knows_its_calls);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(make)
