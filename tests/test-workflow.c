/* The workflow (docs/design.md §3) for all seven right kinds: full paths,
 * refusals, withdrawals, every illegal step and role, numbers, versions,
 * certificates, receivables' modification codes, objections, expiry, the
 * calendar, and the journal (verification, tampering, replay). */
#include <ctype.h>
#include <sqlite3.h>

#include "testutil.h"
#include "store/sqlite.h"
#include "fixture.h"
#include "api/handle.h"
#include "store/apply.h"
#include "store/steps.h"
#include "workflow/flow.h"

#include <pledger/application.h>
#include <pledger/pledge.h>

/* The registry of each test (fx_ck_setup: reg.db in a fresh directory). */
static char *dir, *path;
static pledger_registry *reg;

static void setup(void) { fx_ck_setup(&dir, &path, &reg); }
static void teardown(void) { fx_ck_teardown(dir, path, reg); }

static pledger_role acting; /* the role act() set last */

/* Who takes a step as @role: an applicant acts only on what it filed
 * (every application here is filed by applicant-1). */
static const char *filer_or_someone(pledger_role role)
{
    return role == PLEDGER_ROLE_APPLICANT ? "applicant-1" : "someone";
}

static void act(const char *name, pledger_role role)
{
    PL_OK(reg, pledger_set_actor(reg, name, role));
    acting = role;
}

/* The pledgor's name the next samples are filed with, when not NULL. */
static const char *sample_pledgor_name;

/* Save, review, submit: returns the UUID (caller frees). */
static char *submitted(int kind)
{
    pledger_application *app = fx_ck_sample(kind);
    pledger_review *rv = NULL;
    if (sample_pledgor_name)
        PL_OK(NULL, pledger_application_set(app, "pledgor/name", sample_pledgor_name));
    act("applicant-1", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_save(reg, app));
    ck_assert_int_eq(pledger_application_state(app), PLEDGER_APP_DRAFT);
    char *uuid = strdup(pledger_application_uuid(app));
    ck_assert_uint_eq(strlen(uuid), 36);
    pledger_application_free(app);
    PL_OK(reg, pledger_application_review(&rv, reg, uuid));
    for (size_t i = 0; i < pledger_review_count(rv); i++)
        ck_assert_msg(pledger_review_severity(rv, i) > PLEDGER_SEVERITY_CORRECTABLE,
                      "%s sample: %s at %s: %s", fx_kinds[kind], pledger_review_code(rv, i),
                      pledger_review_path(rv, i), pledger_review_message(rv, i));
    pledger_review_free(rv);
    PL_OK(reg, pledger_application_submit(reg, uuid));
    return uuid;
}

static char *accepted(int kind, char **acceptance)
{
    char *uuid = submitted(kind);
    PL_OK(reg, fx_accept(reg, uuid, acceptance));
    return uuid;
}

/* Register a sample: returns the registration number; *modcode for receivables. */
static char *registered(int kind, char **modcode)
{
    char *uuid = accepted(kind, NULL), *num = NULL, *code = NULL;
    PL_OK(reg, fx_register(reg, uuid, &num, &code));
    ck_assert_ptr_nonnull(num);
    if (kind == PLEDGER_KIND_RECEIVABLE)
        ck_assert_ptr_nonnull(code);
    else
        ck_assert_ptr_null(code);
    if (modcode)
        *modcode = code;
    else
        pledger_free(code);
    free(uuid);
    return num;
}

/* Every row of every table (or of the tables named in @only), in a fixed
 * order: "nothing changed" means equal dumps. */
static char *dump(const char *only)
{
    return fx_ck_dump(path, only);
}

static int64_t raw_int(const char *sql)
{
    return fx_ck_raw_int(path, sql);
}

static void raw_exec(const char *sql)
{
    fx_ck_raw_exec(path, sql);
}

static void assert_journal_intact(void)
{
    int64_t bad = -1, count = 0;
    pledger_role role = reg->role;
    char *actor = reg->actor ? strdup(reg->actor) : NULL;
    act("auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(reg, pledger_journal_verify(&bad, &count, reg));
    ck_assert_msg(bad == 0, "journal broken at %lld: %s", (long long)bad, pledger_errmsg(reg));
    ck_assert_int_eq(count, raw_int("SELECT count(*) FROM journal"));
    if (actor) {
        act(actor, role);
        free(actor);
    }
}

/* ---- every kind, the whole way ------------------------------------------------ */

START_TEST(test_full_path)
{
    int kind = _i;
    char *acc = NULL, *num = NULL, *code = NULL, *cert = NULL;
    pledger_pledge *p = NULL;
    char *uuid = accepted(kind, &acc);

    /* acceptance number: {series}-{office}-{kind}-{year}-{seq:6} */
    char expect[64];
    snprintf(expect, sizeof expect, "A-FZ01-%s-2024-000001",
             (const char *[]){ "", "TM", "PT", "AR", "EQ", "EM", "SA", "LD" }[kind]);
    ck_assert_str_eq(acc, expect);

    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    fx_now_us += FX_DAY_US;
    PL_OK(reg, pledger_application_register(&num, &code, reg, uuid));
    snprintf(expect, sizeof expect, "R-FZ01-%s-2024-000001",
             (const char *[]){ "", "TM", "PT", "AR", "EQ", "EM", "SA", "LD" }[kind]);
    ck_assert_str_eq(num, expect);
    int64_t reg_at = fx_now_us;

    PL_OK(reg, pledger_pledge_get(&p, reg, num));
    ck_assert_int_eq(pledger_pledge_kind(p), kind);
    ck_assert_int_eq(pledger_pledge_state_of(p), PLEDGER_PLEDGE_ACTIVE);
    ck_assert_int_eq(pledger_pledge_version(p), 1);
    ck_assert_int_eq(pledger_pledge_registered_at(p), reg_at);
    ck_assert_str_eq(pledger_pledge_acceptance_number(p), acc);
    ck_assert_str_eq(pledger_pledge_application_uuid(p), uuid);
    ck_assert_str_eq(pledger_pledge_security(p),
                     kind == PLEDGER_KIND_SEA_AREA || kind == PLEDGER_KIND_LAND ? "mortgage"
                                                                                 : "pledge");
    ck_assert(pledger_pledge_right_count(p) >= 1);
    int64_t amount1 = pledger_pledge_amount(p);
    ck_assert(amount1 > 0);
    char *end1 = strdup(pledger_pledge_period_end(p));
    pledger_pledge_free(p);

    PL_OK(reg, pledger_certificate_get(&cert, reg, num, 0));
    ck_assert_ptr_nonnull(strstr(cert, num));
    ck_assert_ptr_nonnull(strstr(cert, "<status>current</status>"));
    ck_assert_ptr_nonnull(strstr(cert, "<verification_code>"));
    pledger_free(cert);

    /* the application knows it is registered */
    pledger_application *app = NULL;
    PL_OK(reg, pledger_application_load(&app, reg, uuid));
    ck_assert_int_eq(pledger_application_state(app), PLEDGER_APP_REGISTERED);
    ck_assert_str_eq(pledger_application_registration_number(app), num);
    pledger_application_free(app);

    /* change the secured amount: version 2, certificate 2, the old one superseded */
    fx_now_us += FX_DAY_US;
    int64_t t_change = fx_now_us;
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.amount = amount1 + 100;
    ch.note = "top-up of the loan";
    PL_OK(reg, pledger_pledge_change(reg, num, &ch, code));
    PL_OK(reg, pledger_pledge_get(&p, reg, num));
    ck_assert_int_eq(pledger_pledge_version(p), 2);
    ck_assert_int_eq(pledger_pledge_amount(p), amount1 + 100);
    ck_assert_int_eq(pledger_pledge_valid_from(p), t_change);
    pledger_pledge_free(p);
    PL_OK(reg, pledger_pledge_get_at(&p, reg, num, t_change - 1));
    ck_assert_int_eq(pledger_pledge_version(p), 1);
    ck_assert_int_eq(pledger_pledge_amount(p), amount1);
    ck_assert_int_eq(pledger_pledge_valid_to(p), t_change);
    pledger_pledge_free(p);
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_pledge_get_at(&p, reg, num, reg_at - 1));
    PL_OK(reg, pledger_certificate_get(&cert, reg, num, 1));
    ck_assert_ptr_nonnull(strstr(cert, "<status>superseded</status>"));
    pledger_free(cert);
    PL_OK(reg, pledger_certificate_get(&cert, reg, num, 2));
    ck_assert_ptr_nonnull(strstr(cert, "<status>current</status>"));
    pledger_free(cert);

    /* extend (receivables only in the last 90 days of the period) */
    int y, m, d;
    ck_assert_int_eq(sscanf(end1, "%d-%d-%d", &y, &m, &d), 3);
    if (kind == PLEDGER_KIND_RECEIVABLE) {
        PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_extend(reg, num, "2026-10-31", code));
        fx_now_us = FX_T0 + 540 * FX_DAY_US; /* 2025-09-23: within 90 days of 2025-10-31 */
    }
    char new_end[32];
    snprintf(new_end, sizeof new_end, "%04d-%02d-%02d", y + 1, m, d > 28 ? 28 : d);
    PL_OK(reg, pledger_pledge_extend(reg, num, new_end, code));
    PL_OK(reg, pledger_pledge_get(&p, reg, num));
    ck_assert_int_eq(pledger_pledge_version(p), 3);
    ck_assert_str_eq(pledger_pledge_period_end(p), new_end);
    pledger_pledge_free(p);

    /* cancel */
    fx_now_us += FX_DAY_US;
    PL_OK(reg, pledger_pledge_cancel(reg, num, code, "loan repaid"));
    PL_OK(reg, pledger_pledge_get(&p, reg, num));
    ck_assert_int_eq(pledger_pledge_state_of(p), PLEDGER_PLEDGE_CANCELLED);
    ck_assert_int_eq(pledger_pledge_version(p), 4);
    char *xml = NULL;
    PL_OK(NULL, pledger_pledge_to_xml(&xml, p));
    ck_assert_ptr_nonnull(strstr(xml, "cancel"));
    ck_assert_ptr_null(strstr(xml, "verification_code")); /* only certificates carry it */
    pledger_free(xml);
    pledger_pledge_free(p);
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_cancel(reg, num, code, NULL));

    assert_journal_intact();
    free(end1);
    free(acc);
    free(num);
    pledger_free(code);
    free(uuid);
}
END_TEST

START_TEST(test_refused)
{
    int kind = _i;
    char *uuid = accepted(kind, NULL);
    pledger_application *app = NULL;
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_refuse(reg, uuid, "", NULL));
    PL_OK(reg, pledger_application_refuse(reg, uuid, "RIGHT_SEIZED", "seized by a court"));
    PL_OK(reg, pledger_application_load(&app, reg, uuid));
    ck_assert_int_eq(pledger_application_state(app), PLEDGER_APP_REFUSED);
    ck_assert_ptr_null(pledger_application_registration_number(app));
    pledger_application_free(app);
    char *num = NULL, *code = NULL;
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_application_register(&num, &code, reg, uuid));
    ck_assert_ptr_null(num);
    ck_assert_int_eq(raw_int("SELECT count(*) FROM pledge"), 0);
    free(uuid);
}
END_TEST

START_TEST(test_correction_window)
{
    int kind = _i;
    char *uuid = accepted(kind, NULL);
    pledger_application *app = NULL;
    int n = -1;

    act("clerk-1", PLEDGER_ROLE_CLERK);
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_request_correction(reg, uuid, NULL));
    PL_OK(reg, pledger_application_request_correction(reg, uuid, "the pledge contract is unsigned"));
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    fx_now_us += 30 * FX_DAY_US; /* the 30th day: still open */
    PL_OK(reg, pledger_registry_expire(&n, reg));
    ck_assert_int_eq(n, 0);
    PL_OK(reg, pledger_application_load(&app, reg, uuid));
    ck_assert_int_eq(pledger_application_state(app), PLEDGER_APP_CORRECTION_REQUESTED);
    pledger_application_free(app);
    fx_now_us += FX_DAY_US; /* day 31: deemed withdrawn */
    /* before the sweep records it: read so, and no correction is made */
    PL_OK(reg, pledger_application_load(&app, reg, uuid));
    ck_assert_int_eq(pledger_application_state(app), PLEDGER_APP_WITHDRAWN);
    act("clerk-1", PLEDGER_ROLE_CLERK);
    char *before = dump(NULL);
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_application_correct(reg, app));
    ck_assert_msg(strstr(pledger_errmsg(reg), "deemed withdrawn"), "%s", pledger_errmsg(reg));
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    pledger_application_free(app);
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_registry_expire(&n, reg));
    ck_assert_int_eq(n, 1);
    PL_OK(reg, pledger_application_load(&app, reg, uuid));
    ck_assert_int_eq(pledger_application_state(app), PLEDGER_APP_WITHDRAWN);
    pledger_application_free(app);
    ck_assert_int_eq(raw_int("SELECT count(*) FROM application WHERE withdrawn_reason = "
                             "'correction_lapsed'"), 1);
    PL_OK(reg, pledger_registry_expire(&n, reg));
    ck_assert_int_eq(n, 0);
    free(uuid);
}
END_TEST

START_TEST(test_correction_cured)
{
    char *uuid = accepted(PLEDGER_KIND_TRADEMARK, NULL);
    pledger_application *app = NULL;
    act("clerk-1", PLEDGER_ROLE_CLERK);
    PL_OK(reg, pledger_application_request_correction(reg, uuid, "the goods list is missing"));
    PL_OK(reg, pledger_application_load(&app, reg, uuid));
    PL_OK(NULL, pledger_application_set(app, "rights/right[1]/goods", "罐头；茶"));
    PL_OK(reg, pledger_application_correct(reg, app));
    ck_assert_int_eq(pledger_application_state(app), PLEDGER_APP_ACCEPTED);
    pledger_application_free(app);
    PL_OK(reg, pledger_application_load(&app, reg, uuid));
    const char *goods = NULL;
    PL_OK(NULL, pledger_application_get(&goods, app, "rights/right[1]/goods"));
    ck_assert_str_eq(goods, "罐头；茶");
    pledger_application_free(app);
    free(uuid);
}
END_TEST

static int64_t app_state_of(const char *uuid)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT state FROM application WHERE uuid = '%s'", uuid);
    return raw_int(sql);
}

/* A correction goes through the review a submission does: a corrected
 * document with a finding that blocks submission is refused with the
 * findings, nothing recorded, the application still awaiting correction.
 * One case per rule class: parties, currency, dates, names, filing,
 * materials, period. "@path" copies the value of path. */
static const struct {
    int kind;
    const char *code;
    const char *edits[7];
} blocked_corrections[] = {
    { PLEDGER_KIND_PATENT, "PARTIES_IDENTICAL",
      { "pledgee/name", "@pledgor/name", "pledgee/id", "@pledgor/id", NULL } },
    { PLEDGER_KIND_EQUITY, "CURRENCY_UNKNOWN", { "claim/amount/@currency", "XXX", NULL } },
    { PLEDGER_KIND_EQUITY, "CONTRACT_DATE_FUTURE", { "contract/date", "2030-01-01", NULL } },
    { PLEDGER_KIND_EQUITY, "PARTY_NAME_INVISIBLE",
      { "pledgor/name", "\xe7\x8e\x8b\xe2\x80\x8b\xe8\x8a\xb3", NULL } },
    { PLEDGER_KIND_EMISSION, "FILING_JOINT_REQUIRED", { "filing/joint", "false", NULL } },
    { PLEDGER_KIND_EMISSION, "TRANSLATION_MISSING", { "contract/language", "en", NULL } },
    { PLEDGER_KIND_LAND, "PERIOD_", { "period/start", "2028-01-01", "period/end",
                                      "2027-12-31", NULL } },
    { PLEDGER_KIND_TRADEMARK, "PARTY_", { "pledgor/id", "91350100M000100Y44", NULL } },
    { PLEDGER_KIND_RECEIVABLE, "RC_DEBTOR_IS_PLEDGOR",
      { "rights/right[1]/debtors/party[1]/id", "@pledgor/id", NULL } },
};

START_TEST(test_correction_is_reviewed)
{
    int kind = blocked_corrections[_i].kind;
    char *uuid = accepted(kind, NULL);
    pledger_application *app = NULL;
    act("clerk-1", PLEDGER_ROLE_CLERK);
    PL_OK(reg, pledger_application_request_correction(reg, uuid, "see the note"));
    PL_OK(reg, pledger_application_load(&app, reg, uuid));
    const char *const *ed = blocked_corrections[_i].edits;
    for (size_t k = 0; ed[k]; k += 2) {
        const char *v = ed[k + 1];
        char *copy = NULL;
        if (v[0] == '@') {
            const char *got = NULL;
            PL_OK(NULL, pledger_application_get(&got, app, v + 1));
            ck_assert_ptr_nonnull(got);
            copy = strdup(got);
            v = copy;
        }
        PL_OK(NULL, pledger_application_set(app, ed[k], v));
        free(copy);
    }
    char *before = dump(NULL);
    PL_FAILS(reg, PLEDGER_EREVIEW, pledger_application_correct(reg, app));
    const char *msg = pledger_errmsg(reg);
    ck_assert_msg(strstr(msg, blocked_corrections[_i].code) && strstr(msg, uuid) &&
                  strstr(msg, "blocking"), "%s", msg);
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    ck_assert_int_eq(pledger_application_state(app), PLEDGER_APP_CORRECTION_REQUESTED);
    pledger_application_free(app);
    /* the registrar cannot register what awaits correction */
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    char *num = NULL, *code = NULL;
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_application_register(&num, &code, reg, uuid));
    /* a clean correction is taken (its review not recorded: the step's one
     * event is the correction) and registers, reviewed again then */
    act("clerk-1", PLEDGER_ROLE_CLERK);
    int64_t reviews = raw_int("SELECT count(*) FROM review");
    PL_OK(reg, pledger_application_load(&app, reg, uuid));
    PL_OK(NULL, pledger_application_set(app, "contract/number", "HT-CORRECTED-1"));
    PL_OK(reg, pledger_application_correct(reg, app));
    ck_assert_int_eq(pledger_application_state(app), PLEDGER_APP_ACCEPTED);
    pledger_application_free(app);
    ck_assert_int_eq(raw_int("SELECT count(*) FROM review"), reviews);
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, fx_register(reg, uuid, &num, &code));
    pledger_free(num);
    pledger_free(code);
    assert_journal_intact();
    free(uuid);
}
END_TEST

/* The other way a document changes before a decision, a replacement,
 * leaves a draft that must pass the review again before it is submitted;
 * once submitted, only a correction changes it. */
START_TEST(test_replaced_document_is_reviewed_again)
{
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_EQUITY), *bad;
    act("applicant-1", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_save(reg, app));
    char *uuid = strdup(pledger_application_uuid(app));
    PL_OK(reg, pledger_application_review(NULL, reg, uuid));
    bad = fx_ck_sample(PLEDGER_KIND_EQUITY);
    PL_OK(NULL, pledger_application_set(bad, "claim/amount/@currency", "XXX"));
    PL_OK(reg, pledger_application_replace(reg, uuid, bad));
    ck_assert_int_eq(pledger_application_state(bad), PLEDGER_APP_DRAFT);
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_application_submit(reg, uuid));
    PL_OK(reg, pledger_application_review(NULL, reg, uuid));
    PL_FAILS(reg, PLEDGER_EREVIEW, pledger_application_submit(reg, uuid));
    PL_OK(reg, pledger_application_replace(reg, uuid, app));
    PL_OK(reg, pledger_application_review(NULL, reg, uuid));
    PL_OK(reg, pledger_application_submit(reg, uuid));
    act("clerk-1", PLEDGER_ROLE_CLERK);
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_application_replace(reg, uuid, bad));
    PL_OK(reg, pledger_application_accept(NULL, reg, uuid));
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_application_replace(reg, uuid, bad));
    PL_OK(reg, pledger_application_request_correction(reg, uuid, "x"));
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_application_replace(reg, uuid, bad));
    pledger_application_free(app);
    pledger_application_free(bad);
    free(uuid);
}
END_TEST

/* Registration never takes a document the review would block, however it
 * came to be stored (an older library took corrections unreviewed): the
 * last review must be a clean one of this very document, else the review
 * runs at registration. */
START_TEST(test_register_needs_a_clean_review_of_the_document)
{
    char *clean = accepted(PLEDGER_KIND_PATENT, NULL), *uuid = accepted(PLEDGER_KIND_PATENT, NULL);
    char *num = NULL, *code = NULL, sql[512];

    /* another document under @uuid's, as an unreviewed correction stored
     * it: the pledgee is the pledgor */
    pledger_application *bad = fx_ck_sample(PLEDGER_KIND_PATENT);
    const char *name = NULL, *id = NULL;
    PL_OK(NULL, pledger_application_get(&name, bad, "pledgor/name"));
    char *n = strdup(name);
    PL_OK(NULL, pledger_application_get(&id, bad, "pledgor/id"));
    char *i = strdup(id);
    PL_OK(NULL, pledger_application_set(bad, "pledgee/name", n));
    PL_OK(NULL, pledger_application_set(bad, "pledgee/id", i));
    free(n);
    free(i);
    act("applicant-1", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_save(reg, bad));
    snprintf(sql, sizeof sql, "UPDATE application SET (document, doc_hash) = (SELECT document, "
             "doc_hash FROM application WHERE uuid = '%s') WHERE uuid = '%s'",
             pledger_application_uuid(bad), uuid);
    pledger_application_free(bad);
    raw_exec(sql);
    char *before = dump("pledge");
    PL_FAILS(reg, PLEDGER_EREVIEW, fx_register(reg, uuid, &num, &code));
    ck_assert_msg(strstr(pledger_errmsg(reg), "PARTIES_IDENTICAL"), "%s", pledger_errmsg(reg));
    char *after = dump("pledge");
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    ck_assert_int_eq(app_state_of(uuid), PLEDGER_APP_ACCEPTED);

    /* the same document, its review gone: reviewed at registration, clean */
    snprintf(sql, sizeof sql, "DELETE FROM review WHERE application_id = "
             "(SELECT id FROM application WHERE uuid = '%s')", clean);
    raw_exec(sql);
    PL_OK(reg, fx_register(reg, clean, &num, &code));
    pledger_free(num);
    free(uuid);
    free(clean);
}
END_TEST

/* ---- the state machine: every step from every state, every role ---------------- */

enum { S_DRAFT, S_REVIEWED, S_SUBMITTED, S_ACCEPTED, S_CORR, S_REGISTERED, S_REFUSED,
       S_WITHDRAWN, S_COUNT };

/* An application of trademark kind in state @s; *number when registered. */
static char *app_in_state(int s, char **number)
{
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    char *uuid;
    *number = NULL;
    act("applicant-1", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_save(reg, app));
    uuid = strdup(pledger_application_uuid(app));
    pledger_application_free(app);
    if (s == S_DRAFT)
        return uuid;
    if (s == S_WITHDRAWN) {
        PL_OK(reg, pledger_application_withdraw(reg, uuid));
        return uuid;
    }
    PL_OK(reg, pledger_application_review(NULL, reg, uuid));
    if (s == S_REVIEWED)
        return uuid;
    PL_OK(reg, pledger_application_submit(reg, uuid));
    if (s == S_SUBMITTED)
        return uuid;
    act("clerk-1", PLEDGER_ROLE_CLERK);
    PL_OK(reg, pledger_application_accept(NULL, reg, uuid));
    if (s == S_ACCEPTED)
        return uuid;
    if (s == S_CORR) {
        PL_OK(reg, pledger_application_request_correction(reg, uuid, "fix it"));
        return uuid;
    }
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    if (s == S_REFUSED) {
        PL_OK(reg, pledger_application_refuse(reg, uuid, "TM_CANCELLED", NULL));
        return uuid;
    }
    PL_OK(reg, pledger_application_register(number, NULL, reg, uuid));
    return uuid;
}

enum { ST_REVIEW, ST_SUBMIT, ST_ACCEPT, ST_REQCORR, ST_CORRECT, ST_REGISTER, ST_REFUSE,
       ST_WITHDRAW, ST_SAVE, ST_REPLACE, ST_COUNT };
static const pledger_role step_role[ST_COUNT] = {
    PLEDGER_ROLE_APPLICANT, PLEDGER_ROLE_APPLICANT, PLEDGER_ROLE_CLERK, PLEDGER_ROLE_CLERK,
    PLEDGER_ROLE_CLERK, PLEDGER_ROLE_REGISTRAR, PLEDGER_ROLE_REGISTRAR,
    PLEDGER_ROLE_APPLICANT, PLEDGER_ROLE_APPLICANT, PLEDGER_ROLE_APPLICANT,
};
/* allowed[step][state] */
static const int allowed[ST_COUNT][S_COUNT] = {
    [ST_REVIEW] = { [S_DRAFT] = 1, [S_REVIEWED] = 1, [S_CORR] = 1 },
    [ST_SUBMIT] = { [S_REVIEWED] = 1 },
    [ST_ACCEPT] = { [S_SUBMITTED] = 1 },
    [ST_REQCORR] = { [S_ACCEPTED] = 1 },
    [ST_CORRECT] = { [S_CORR] = 1 },
    [ST_REGISTER] = { [S_ACCEPTED] = 1 },
    [ST_REFUSE] = { [S_ACCEPTED] = 1 },
    [ST_WITHDRAW] = { [S_DRAFT] = 1, [S_REVIEWED] = 1, [S_SUBMITTED] = 1, [S_ACCEPTED] = 1,
                      [S_CORR] = 1 },
    [ST_SAVE] = { [S_DRAFT] = 1, [S_REVIEWED] = 1 },
    [ST_REPLACE] = { [S_DRAFT] = 1, [S_REVIEWED] = 1 },
};

static int do_step(int step, const char *uuid)
{
    pledger_application *app = NULL;
    char *num = NULL;
    int rc;
    switch (step) {
    case ST_REVIEW: return pledger_application_review(NULL, reg, uuid);
    case ST_SUBMIT: return pledger_application_submit(reg, uuid);
    case ST_ACCEPT: return pledger_application_accept(NULL, reg, uuid);
    case ST_REQCORR: return pledger_application_request_correction(reg, uuid, "x");
    case ST_REGISTER:
        rc = pledger_application_register(&num, NULL, reg, uuid);
        free(num);
        return rc;
    case ST_REFUSE: return pledger_application_refuse(reg, uuid, "G", NULL);
    case ST_WITHDRAW: return pledger_application_withdraw(reg, uuid);
    case ST_CORRECT:
    case ST_SAVE: {
        /* a clerk reads it (not every role may), the actor tries the step */
        char *who = strdup(pledger_actor(reg));
        pledger_role role = acting;
        ck_assert_ptr_nonnull(who);
        act("clerk-reader", PLEDGER_ROLE_CLERK);
        ck_assert_int_eq(pledger_application_load(&app, reg, uuid), 0);
        act(who, role);
        free(who);
        rc = step == ST_SAVE ? pledger_application_save(reg, app)
                             : pledger_application_correct(reg, app);
        pledger_application_free(app);
        return rc;
    }
    case ST_REPLACE: {
        /* the document alone, as a service's client sends it, over the UUID */
        char *who = strdup(pledger_actor(reg)), *xml = NULL;
        pledger_role role = acting;
        size_t len = 0;
        ck_assert_ptr_nonnull(who);
        act("clerk-reader", PLEDGER_ROLE_CLERK);
        ck_assert_int_eq(pledger_application_load(&app, reg, uuid), 0);
        ck_assert_int_eq(pledger_application_to_xml(&xml, &len, app), 0);
        pledger_application_free(app);
        ck_assert_int_eq(pledger_application_from_xml(&app, xml, len), 0);
        pledger_free(xml);
        act(who, role);
        free(who);
        rc = pledger_application_replace(reg, uuid, app);
        if (rc == 0) {
            ck_assert_str_eq(pledger_application_uuid(app), uuid);
            ck_assert_int_eq(pledger_application_state(app), PLEDGER_APP_DRAFT);
        } else {
            ck_assert_ptr_null(pledger_application_uuid(app));
        }
        pledger_application_free(app);
        return rc;
    }
    }
    return -999;
}

/* A document saved over a stored application by its UUID (a service's
 * client holds no handle): it replaces the draft's document, a reviewed
 * one becomes a draft again; another kind, another application's handle,
 * a bad or unknown UUID and a read-only registry are refused, nothing
 * changed; the handle takes the UUID. */
START_TEST(test_replace_by_uuid)
{
    pledger_application *first = fx_ck_sample(PLEDGER_KIND_PATENT), *next = NULL, *got = NULL;
    pledger_application *other = fx_ck_sample(PLEDGER_KIND_PATENT);
    pledger_review *rv = NULL;
    pledger_registry *ro = NULL;
    const char *amount = NULL;

    act("applicant-1", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_save(reg, first));
    char *uuid = strdup(pledger_application_uuid(first));
    ck_assert_ptr_nonnull(uuid);
    PL_OK(reg, pledger_application_review(&rv, reg, uuid));
    pledger_review_free(rv);
    PL_OK(reg, pledger_application_save(reg, other));

    /* the corrected document alone, over the UUID typed in upper case */
    next = fx_ck_sample(PLEDGER_KIND_PATENT);
    PL_OK(NULL, pledger_application_set(next, "claim/amount", "777000000"));
    char upper[37];
    for (size_t i = 0; i < 37; i++)
        upper[i] = (char)toupper((unsigned char)uuid[i]);
    PL_OK(reg, pledger_application_replace(reg, upper, next));
    ck_assert_str_eq(pledger_application_uuid(next), uuid);
    ck_assert_int_eq(pledger_application_state(next), PLEDGER_APP_DRAFT);
    PL_OK(reg, pledger_application_load(&got, reg, uuid));
    PL_OK(NULL, pledger_application_get(&amount, got, "claim/amount"));
    ck_assert_str_eq(amount, "777000000");
    ck_assert_int_eq(pledger_application_state(got), PLEDGER_APP_DRAFT);
    pledger_application_free(got);
    /* the same handle again: its own UUID */
    PL_OK(NULL, pledger_application_set(next, "claim/amount", "778000000"));
    PL_OK(reg, pledger_application_replace(reg, uuid, next));

    char *before = dump(NULL);
    /* another application's handle; another kind; bad and unknown UUIDs */
    PL_FAILS(reg, PLEDGER_EINVAL,
             pledger_application_replace(reg, pledger_application_uuid(other), next));
    ck_assert_msg(strstr(pledger_errmsg(reg), "app:"), "%s", pledger_errmsg(reg));
    pledger_application *tm = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_replace(reg, uuid, tm));
    ck_assert_ptr_null(pledger_application_uuid(tm));
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_application_replace(reg, "not-a-uuid", tm));
    ck_assert_msg(strstr(pledger_errmsg(reg), "not-a-uuid"), "%s", pledger_errmsg(reg));
    PL_FAILS(reg, PLEDGER_ENOTFOUND,
             pledger_application_replace(reg, "00000000-0000-4000-8000-000000000000", tm));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_replace(reg, uuid, NULL));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_replace(reg, NULL, tm));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_application_replace(NULL, uuid, tm));
    PL_OK(NULL, fx_open(&ro, path, "FZ01", 1, -1));
    PL_OK(ro, pledger_set_actor(ro, "applicant-1", PLEDGER_ROLE_APPLICANT));
    pledger_application *again = fx_ck_sample(PLEDGER_KIND_PATENT);
    PL_FAILS(ro, PLEDGER_EREADONLY, pledger_application_replace(ro, uuid, again));
    ck_assert_ptr_null(pledger_application_uuid(again));
    pledger_close(ro);
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    assert_journal_intact();

    pledger_application_free(again);
    pledger_application_free(tm);
    pledger_application_free(next);
    pledger_application_free(other);
    pledger_application_free(first);
    free(uuid);
}
END_TEST

START_TEST(test_illegal_steps)
{
    int s = _i;
    char *num = NULL;
    char *uuid = app_in_state(s, &num);
    for (int step = 0; step < ST_COUNT; step++) {
        if (allowed[step][s])
            continue;
        act(filer_or_someone(step_role[step]), step_role[step]);
        char *before = dump(NULL);
        int rc = do_step(step, uuid);
        ck_assert_msg(rc == PLEDGER_ESTATE, "step %d in state %d: %d (%s)", step, s, rc,
                      pledger_errmsg(reg));
        /* the refusal names the states the step is allowed in, all of them */
        static const char *const names[S_COUNT] = {
            "draft", "reviewed", "submitted", "accepted", "correction_requested",
            "registered", "refused", "withdrawn",
        };
        char want[200] = "is allowed only while it is ";
        for (int t = 0, n = 0; t < S_COUNT; t++)
            if (allowed[step][t]) {
                strcat(want, n++ ? " or " : "");
                strcat(want, names[t]);
            }
        const char *msg = pledger_errmsg(reg);
        const char *at = strstr(msg, want);
        ck_assert_msg(at && at[strlen(want)] == '\0', "step %d in state %d: '%s' lacks '%s'",
                      step, s, msg, want);
        ck_assert_msg(strstr(msg, names[s]), "step %d: '%s' names not state %s", step, msg,
                      names[s]);
        char *after = dump(NULL);
        ck_assert_msg(strcmp(before, after) == 0, "step %d in state %d changed the registry",
                      step, s);
        free(before);
        free(after);
    }
    free(num);
    free(uuid);
}
END_TEST

START_TEST(test_wrong_roles)
{
    int s = _i;
    char *num = NULL;
    char *uuid = app_in_state(s, &num);
    /* the whole registry compared once around all the refusals of this
     * state (a dump around each one made this the valgrind run's longest
     * test): any refused step that changed anything fails it */
    char *before = dump(NULL);
    for (int step = 0; step < ST_COUNT; step++) {
        for (int role = PLEDGER_ROLE_APPLICANT; role <= PLEDGER_ROLE_AUDITOR; role++) {
            int ok = role == (int)step_role[step] ||
                     ((step == ST_REVIEW || step == ST_SAVE || step == ST_REPLACE) &&
                      role == PLEDGER_ROLE_CLERK);
            if (ok)
                continue;
            act("intruder", (pledger_role)role);
            int rc = do_step(step, uuid);
            ck_assert_msg(rc == PLEDGER_EPERM, "step %d as role %d in state %d: %d (%s)", step,
                          role, s, rc, pledger_errmsg(reg));
            ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "intruder"));
        }
    }
    char *after = dump(NULL);
    ck_assert_msg(strcmp(before, after) == 0, "a refused step in state %d changed the "
                  "registry", s);
    free(before);
    free(after);
    free(num);
    free(uuid);
}
END_TEST

/* An applicant acts on, and reads, only the applications it filed:
 * another applicant is refused every applicant step in every state, with
 * the same refusal whether the step would be allowed there or not (the
 * state is not told), and nothing changes. */
START_TEST(test_other_applicant)
{
    int s = _i;
    char *num = NULL, *cert = NULL;
    char *uuid = app_in_state(s, &num);
    static const int steps[] = { ST_REVIEW, ST_SUBMIT, ST_WITHDRAW, ST_SAVE, ST_REPLACE };
    pledger_application *app = NULL;
    /* every change is journaled: a journal that did not grow is a registry
     * that did not change (a whole dump per state made this slow) */
    int64_t events = raw_int("SELECT count(*) FROM journal");

    act("applicant-2", PLEDGER_ROLE_APPLICANT);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        int rc = do_step(steps[i], uuid);
        ck_assert_msg(rc == PLEDGER_EPERM, "step %d in state %d: %d (%s)", steps[i], s, rc,
                      pledger_errmsg(reg));
        ck_assert_msg(strstr(pledger_errmsg(reg), "did not file application") &&
                          strstr(pledger_errmsg(reg), "applicant-2"),
                      "%s", pledger_errmsg(reg));
    }
    PL_FAILS(reg, PLEDGER_EPERM, pledger_application_load(&app, reg, uuid));
    ck_assert_ptr_null(app);
    PL_FAILS(reg, PLEDGER_EPERM, pledger_application_certificate(&cert, reg, uuid));
    ck_assert_ptr_null(cert);
    ck_assert_msg(raw_int("SELECT count(*) FROM journal") == events,
                  "another applicant changed the registry in state %d", s);
    /* the filer still may */
    act("applicant-1", PLEDGER_ROLE_APPLICANT);
    if (allowed[ST_REVIEW][s])
        PL_OK(reg, do_step(ST_REVIEW, uuid));
    free(num);
    free(uuid);
}
END_TEST

/* A finding about another filer's pending application says it exists;
 * shown to an applicant, it does not name it (its UUID is masked but for
 * its first eight digits); the office reads it in full. */
START_TEST(test_pending_application_masked)
{
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    pledger_review *rv = NULL;
    char *mine, *theirs;
    act("applicant-2", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_save(reg, app));
    theirs = strdup(pledger_application_uuid(app));
    pledger_application_free(app);
    app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    act("applicant-1", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_save(reg, app));
    mine = strdup(pledger_application_uuid(app));
    pledger_application_free(app);
    for (int office = 0; office < 2; office++) {
        if (office)
            act("clerk-1", PLEDGER_ROLE_CLERK);
        PL_OK(reg, pledger_application_review(&rv, reg, mine));
        int seen = 0;
        for (size_t i = 0; i < pledger_review_count(rv); i++) {
            if (strcmp(pledger_review_code(rv, i), "RIGHT_PENDING_APPLICATION") != 0)
                continue;
            const char *m = pledger_review_message(rv, i);
            char masked[40];
            snprintf(masked, sizeof masked, "%.8s-****-****-****-************", theirs);
            ck_assert_msg(!office == !strstr(m, theirs), "%s", m);
            ck_assert_msg(!office == !!strstr(m, masked), "%s", m);
            seen++;
        }
        ck_assert_int_ge(seen, 1); /* one per right of the sample */
        pledger_review_free(rv);
    }
    free(mine);
    free(theirs);
}
END_TEST

START_TEST(test_pledge_roles_and_states)
{
    char *code = NULL;
    char *num = registered(PLEDGER_KIND_TRADEMARK, &code);
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.amount = 5;
    for (int role = PLEDGER_ROLE_APPLICANT; role <= PLEDGER_ROLE_AUDITOR; role++) {
        if (role == PLEDGER_ROLE_REGISTRAR)
            continue;
        act("intruder", (pledger_role)role);
        char *before = dump(NULL);
        PL_FAILS(reg, PLEDGER_EPERM, pledger_pledge_change(reg, num, &ch, NULL));
        PL_FAILS(reg, PLEDGER_EPERM, pledger_pledge_extend(reg, num, "2030-01-01", NULL));
        PL_FAILS(reg, PLEDGER_EPERM, pledger_pledge_cancel(reg, num, NULL, NULL));
        PL_FAILS(reg, PLEDGER_EPERM, pledger_pledge_revoke(reg, num, "VOID", NULL));
        PL_FAILS(reg, PLEDGER_EPERM, pledger_pledge_record_litigation(reg, num));
        char *after = dump(NULL);
        ck_assert_str_eq(before, after);
        free(before);
        free(after);
    }
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    /* objections are for receivables only; litigation/dismissal need one */
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_object(reg, num, "a creditor", NULL));
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_record_litigation(reg, num));
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_dismiss_objection(reg, num, NULL));
    PL_OK(reg, pledger_pledge_revoke(reg, num, "CONTRACT_VOID", "court judgment"));
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_change(reg, num, &ch, NULL));
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_extend(reg, num, "2030-01-01", NULL));
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_cancel(reg, num, NULL, NULL));
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_revoke(reg, num, "X", NULL));
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_pledge_revoke(reg, "R-NOPE", "X", NULL));
    free(num);
}
END_TEST

/* ---- per-kind rules the workflow owns -------------------------------------------- */

/* Whether @s quotes a resident identity number (17 digits and a digit or
 * X): personal data, which messages never repeat. */
static bool quotes_resident_id(const char *s)
{
    for (size_t run = 0; *s; s++) {
        if (run == 17 && (*s == 'X' || (*s >= '0' && *s <= '9')))
            return true;
        run = *s >= '0' && *s <= '9' ? run + 1 : 0;
    }
    return false;
}

START_TEST(test_single_pledge_kinds)
{
    /* A trademark (patent, equity, ...) can be pledged once at a time. */
    for (int kind = PLEDGER_KIND_TRADEMARK; kind <= PLEDGER_KIND_LAND; kind++) {
        if (kind == PLEDGER_KIND_RECEIVABLE)
            continue;
        /* the second application is reviewed before the first is registered
         * (afterwards its review says RIGHT_ALREADY_PLEDGED): registration
         * refuses it on its own */
        char *uuid = accepted(kind, NULL);
        char *num = registered(kind, NULL);
        char *num2 = NULL;
        act("registrar-1", PLEDGER_ROLE_REGISTRAR);
        int64_t seq_before = raw_int("SELECT coalesce(sum(next), 0) FROM sequence");
        char *before = dump(NULL);
        PL_FAILS(reg, PLEDGER_ECONFLICT, pledger_application_register(&num2, NULL, reg, uuid));
        ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), num));
        ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "rights/right[1]"));
        ck_assert_msg(!quotes_resident_id(pledger_errmsg(reg)), "%s", pledger_errmsg(reg));
        if (kind == PLEDGER_KIND_EQUITY)   /* the company, not its shareholder */
            ck_assert_msg(strstr(pledger_errmsg(reg), "equity in company 91"), "%s",
                          pledger_errmsg(reg));
        char *after = dump(NULL);
        ck_assert_str_eq(before, after); /* no number consumed, nothing written */
        ck_assert_int_eq(seq_before, raw_int("SELECT coalesce(sum(next), 0) FROM sequence"));
        /* once the first pledge is cancelled, the right can be pledged again */
        PL_OK(reg, pledger_pledge_cancel(reg, num, NULL, NULL));
        PL_OK(reg, pledger_application_register(&num2, NULL, reg, uuid));
        /* the sequence is gap-free: this is number 2 of the kind */
        ck_assert_ptr_nonnull(strstr(num2, "-2024-000002"));
        free(before);
        free(after);
        free(num);
        free(num2);
        free(uuid);
    }
}
END_TEST

START_TEST(test_receivable_rules)
{
    char *code1 = NULL, *code2 = NULL;
    char *n1 = registered(PLEDGER_KIND_RECEIVABLE, &code1);
    fx_now_us += 1000;
    char *n2 = registered(PLEDGER_KIND_RECEIVABLE, &code2); /* same receivables: allowed */
    ck_assert_str_ne(n1, n2);
    ck_assert_str_ne(code1, code2);
    ck_assert_int_eq(strlen(code1), 19);
    /* only a salted hash of the code is stored */
    ck_assert_int_eq(raw_int("SELECT count(*) FROM pledge WHERE modcode_hash IS NOT NULL AND "
                             "length(modcode_salt) = 32 AND length(modcode_hash) = 64"), 2);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM journal WHERE instr(payload, '%s') > 0",
             code1);
    ck_assert_int_eq(raw_int(sql), 0);

    /* the pledgee (applicant role) acts with the code; a wrong or missing code is refused */
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.pledgee_name = "深圳前海商业银行";
    act("pledgee-bank", PLEDGER_ROLE_APPLICANT);
    char *before = dump(NULL);
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_change(reg, n1, &ch, NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "modcode"));
    PL_FAILS(reg, PLEDGER_ECODE, pledger_pledge_change(reg, n1, &ch, code2));
    PL_FAILS(reg, PLEDGER_ECODE, pledger_pledge_cancel(reg, n1, "0000-0000-0000-0000", NULL));
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    PL_OK(reg, pledger_pledge_change(reg, n1, &ch, code1));
    /* the bank may not revoke */
    PL_FAILS(reg, PLEDGER_EPERM, pledger_pledge_revoke(reg, n1, "X", NULL));

    /* objection: lapses after 30 days without litigation */
    act("pledgor", PLEDGER_ROLE_APPLICANT);
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_object(reg, n2, NULL, NULL));
    PL_OK(reg, pledger_pledge_object(reg, n2, "福建闽江食品有限公司", "debt already paid"));
    pledger_pledge *p = NULL;
    PL_OK(reg, pledger_pledge_get(&p, reg, n2));
    ck_assert_int_eq(pledger_pledge_state_of(p), PLEDGER_PLEDGE_UNDER_OBJECTION);
    pledger_pledge_free(p);
    int n = 0;
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    fx_now_us += 30 * FX_DAY_US;
    PL_OK(reg, pledger_registry_expire(&n, reg));
    ck_assert_int_eq(n, 0);
    fx_now_us += FX_DAY_US;
    PL_OK(reg, pledger_registry_expire(&n, reg));
    ck_assert_int_eq(n, 1);
    PL_OK(reg, pledger_pledge_get(&p, reg, n2));
    ck_assert_int_eq(pledger_pledge_state_of(p), PLEDGER_PLEDGE_ACTIVE);
    pledger_pledge_free(p);

    /* with litigation the objection stays until the registrar decides */
    act("pledgor", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_pledge_object(reg, n1, "a creditor", NULL));
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_pledge_record_litigation(reg, n1));
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_record_litigation(reg, n1));
    fx_now_us += 60 * FX_DAY_US;
    PL_OK(reg, pledger_registry_expire(&n, reg));
    PL_OK(reg, pledger_pledge_get(&p, reg, n1));
    ck_assert_int_eq(pledger_pledge_state_of(p), PLEDGER_PLEDGE_UNDER_OBJECTION);
    pledger_pledge_free(p);
    PL_OK(reg, pledger_pledge_dismiss_objection(reg, n1, "claim rejected by the court"));
    PL_OK(reg, pledger_pledge_get(&p, reg, n1));
    ck_assert_int_eq(pledger_pledge_state_of(p), PLEDGER_PLEDGE_ACTIVE);
    pledger_pledge_free(p);

    /* extension: only in the last 90 days, each 1 month to 30 years */
    act("pledgee-bank", PLEDGER_ROLE_APPLICANT);
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_extend(reg, n1, "2026-10-31", code1));
    fx_now_us = FX_T0 + 560 * FX_DAY_US; /* 2025-10-13 */
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_extend(reg, n1, "2025-11-15", code1));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_extend(reg, n1, "2055-11-01", code1));
    PL_OK(reg, pledger_pledge_extend(reg, n1, "2026-10-31", code1));

    assert_journal_intact();
    free(n1);
    free(n2);
    pledger_free(code1);
    pledger_free(code2);
}
END_TEST

START_TEST(test_receivable_needs_modcode_out)
{
    char *uuid = accepted(PLEDGER_KIND_RECEIVABLE, NULL), *num = NULL;
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_register(&num, NULL, reg, uuid));
    ck_assert_ptr_null(num);
    ck_assert_int_eq(raw_int("SELECT count(*) FROM pledge"), 0);
    free(uuid);
}
END_TEST

START_TEST(test_expiry)
{
    char *num = registered(PLEDGER_KIND_PATENT, NULL);
    pledger_pledge *p = NULL;
    int n = 0;
    PL_OK(reg, pledger_pledge_get(&p, reg, num));
    char end[11];
    snprintf(end, sizeof end, "%s", pledger_pledge_period_end(p));
    pledger_pledge_free(p);
    fx_now_us = FX_T0 + 4000 * FX_DAY_US; /* long after the end of the period */
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_registry_expire(&n, reg));
    ck_assert_int_eq(n, 1);
    PL_OK(reg, pledger_pledge_get(&p, reg, num));
    ck_assert_int_eq(pledger_pledge_state_of(p), PLEDGER_PLEDGE_EXPIRED);
    ck_assert_str_eq(pledger_pledge_period_end(p), end);
    pledger_pledge_free(p);
    PL_OK(reg, pledger_registry_expire(&n, reg));
    ck_assert_int_eq(n, 0);
    act("clerk-1", PLEDGER_ROLE_CLERK);
    PL_FAILS(reg, PLEDGER_EPERM, pledger_registry_expire(&n, reg));
    free(num);
}
END_TEST

/* A pledge whose period has run out is expired from the first instant of
 * the next day (the registry's date, UTC+8), in every answer, before the
 * expiry sweep has recorded it as after; no step is taken on it.  The
 * patent sample's period ends on 2026-03-31. */
#define END_OF_PATENT_PERIOD INT64_C(1774972800000000) /* 2026-04-01T00:00:00+08:00 */

static int stats_active_on(const char *day)
{
    pledger_stats_query q = PLEDGER_STATS_QUERY_INIT;
    pledger_stats *st = NULL;
    q.from = "2024-01-01";
    q.to = day;
    q.kind = PLEDGER_KIND_PATENT;
    PL_OK(reg, pledger_stats_get(&st, reg, &q));
    int n = (int)pledger_stats_active(st);
    pledger_stats_free(st);
    return n;
}

static int search_count(int state, int64_t as_of, pledger_pledge_state *seen)
{
    pledger_query q = PLEDGER_QUERY_INIT;
    pledger_cursor *cur = NULL;
    int n = 0;
    q.kind = PLEDGER_KIND_PATENT;
    q.state = state;
    q.as_of = as_of;
    PL_OK(reg, pledger_search(&cur, reg, &q));
    while (pledger_cursor_next(cur) == 1) {
        *seen = pledger_pledge_state_of(pledger_cursor_pledge(cur));
        n++;
    }
    pledger_cursor_free(cur);
    return n;
}

static void assert_in_force(const char *num, int64_t as_of, bool in_force)
{
    pledger_verification *v = NULL;
    pledger_pledge *p = NULL;
    pledger_pledge_state seen = 0;
    int rank = -1, want = in_force ? PLEDGER_PLEDGE_ACTIVE : PLEDGER_PLEDGE_EXPIRED;
    pledger_verify_options o = PLEDGER_VERIFY_OPTIONS_INIT;
    o.as_of = as_of;
    PL_OK(reg, pledger_verify(&v, reg, num, &o));
    ck_assert_int_eq(pledger_pledge_state_of(pledger_verification_pledge(v)), want);
    ck_assert_int_eq(pledger_verification_rank(v), in_force);
    ck_assert_int_eq(pledger_verification_right_rank(v, 0), in_force);
    pledger_verification_free(v);
    PL_OK(reg, pledger_rank(&rank, reg, num, as_of));
    ck_assert_int_eq(rank, in_force);
    if (as_of == PLEDGER_AS_OF_CURRENT)
        PL_OK(reg, pledger_pledge_get(&p, reg, num));
    else
        PL_OK(reg, pledger_pledge_get_at(&p, reg, num, as_of));
    ck_assert_int_eq(pledger_pledge_state_of(p), want);
    pledger_pledge_free(p);
    ck_assert_int_eq(search_count(PLEDGER_PLEDGE_ACTIVE, as_of, &seen), in_force);
    ck_assert_int_eq(search_count(PLEDGER_PLEDGE_EXPIRED, as_of, &seen), !in_force);
    ck_assert_int_eq(search_count(0, as_of, &seen), 1);
    ck_assert_int_eq(seen, want);
}

/* The last certificate of a pledge that ended says how it ended, in its
 * status and in its document: cancelled, revoked, expired (before the
 * sweep records the expiry as after); a superseded one stays superseded. */
static void assert_cert_status(const char *num, int version, pledger_certificate_status want,
                               const char *word)
{
    pledger_certificate *c = NULL;
    char tag[64];
    PL_OK(reg, pledger_certificate_load(&c, reg, num, version));
    ck_assert_int_eq(pledger_certificate_status_of(c), want);
    snprintf(tag, sizeof tag, "<status>%s</status>", word);
    ck_assert_msg(strstr(pledger_certificate_xml(c), tag), "%s", pledger_certificate_xml(c));
    pledger_certificate_free(c);
    char *xml = NULL;
    PL_OK(reg, pledger_certificate_get(&xml, reg, num, 0));
    if (version == 0)
        ck_assert_msg(strstr(xml, tag), "%s", xml);
    pledger_free(xml);
}

START_TEST(test_certificate_of_an_ended_pledge)
{
    char *a = registered(PLEDGER_KIND_TRADEMARK, NULL);
    char *b = registered(PLEDGER_KIND_RECEIVABLE, NULL);
    char *code = NULL, *c = registered(PLEDGER_KIND_PATENT, &code);
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    assert_cert_status(a, 0, PLEDGER_CERTIFICATE_CURRENT, "current");
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.pledgee_name = "另一家银行";
    PL_OK(reg, pledger_pledge_change(reg, a, &ch, NULL));
    PL_OK(reg, pledger_pledge_cancel(reg, a, NULL, "repaid"));
    assert_cert_status(a, 0, PLEDGER_CERTIFICATE_CANCELLED, "cancelled");
    assert_cert_status(a, 2, PLEDGER_CERTIFICATE_CANCELLED, "cancelled");
    assert_cert_status(a, 1, PLEDGER_CERTIFICATE_SUPERSEDED, "superseded");
    PL_OK(reg, pledger_pledge_revoke(reg, b, "CONTRACT_VOID", NULL));
    assert_cert_status(b, 0, PLEDGER_CERTIFICATE_REVOKED, "revoked");
    /* masked for a role that sees residents masked: the same status */
    act("auditor-1", PLEDGER_ROLE_AUDITOR);
    assert_cert_status(b, 0, PLEDGER_CERTIFICATE_REVOKED, "revoked");
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    fx_now_us = END_OF_PATENT_PERIOD - 1;
    assert_cert_status(c, 0, PLEDGER_CERTIFICATE_CURRENT, "current");
    fx_now_us = END_OF_PATENT_PERIOD;
    assert_cert_status(c, 0, PLEDGER_CERTIFICATE_EXPIRED, "expired");
    int n = 0;
    PL_OK(reg, pledger_registry_expire(&n, reg));
    assert_cert_status(c, 0, PLEDGER_CERTIFICATE_EXPIRED, "expired");
    free(a);
    free(b);
    free(c);
    pledger_free(code);
}
END_TEST

START_TEST(test_expired_before_the_sweep)
{
    char *num = registered(PLEDGER_KIND_PATENT, NULL);
    pledger_change ch = PLEDGER_CHANGE_INIT;
    int n = -1;

    act("bank-1", PLEDGER_ROLE_BANK);
    fx_now_us = END_OF_PATENT_PERIOD;   /* answered only once they have passed */
    assert_in_force(num, END_OF_PATENT_PERIOD - 1, true);
    assert_in_force(num, END_OF_PATENT_PERIOD, false);
    fx_now_us = END_OF_PATENT_PERIOD - 1;
    assert_in_force(num, PLEDGER_AS_OF_CURRENT, true);
    ck_assert_int_eq(stats_active_on("2026-03-31"), 1);
    fx_now_us = END_OF_PATENT_PERIOD;
    assert_in_force(num, PLEDGER_AS_OF_CURRENT, false);
    ck_assert_int_eq(stats_active_on("2026-04-01"), 0);
    /* no step on it: it is expired, not active */
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    char *before = dump(NULL);
    ch.amount = 5;
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_change(reg, num, &ch, NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "expired"));
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_cancel(reg, num, NULL, NULL));
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    /* the sweep records it; every answer stays the same */
    PL_OK(reg, pledger_registry_expire(&n, reg));
    ck_assert_int_eq(n, 1);
    act("bank-1", PLEDGER_ROLE_BANK);
    assert_in_force(num, PLEDGER_AS_OF_CURRENT, false);
    assert_in_force(num, END_OF_PATENT_PERIOD, false);
    assert_in_force(num, END_OF_PATENT_PERIOD - 1, true);
    /* on the real clock (after 2026-03-31), it is expired */
    PL_OK(reg, pledger_set_clock(reg, NULL, NULL));
    assert_in_force(num, PLEDGER_AS_OF_CURRENT, false);
    free(num);
}
END_TEST

/* An objection to a receivable pledge lapses when its 30 days for
 * litigation end with none recorded: every answer reads the pledge as
 * active again from then, before the sweep records it, and search's
 * state filter agrees. */
START_TEST(test_objection_lapses_before_the_sweep)
{
    char *code = NULL;
    char *num = registered(PLEDGER_KIND_RECEIVABLE, &code);
    pledger_verification *v = NULL;
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_pledge_object(reg, num, "debtor-1", "the receivable was paid"));
    int64_t objected = fx_now_us;
    int64_t at[] = { objected + 29 * FX_DAY_US, objected + 32 * FX_DAY_US };
    int want[] = { PLEDGER_PLEDGE_UNDER_OBJECTION, PLEDGER_PLEDGE_ACTIVE };
    for (int i = 0; i < 2; i++) {
        fx_now_us = at[i];
        PL_OK(reg, pledger_verify(&v, reg, num, NULL));
        ck_assert_int_eq(pledger_pledge_state_of(pledger_verification_pledge(v)), want[i]);
        pledger_verification_free(v);
        pledger_query q = PLEDGER_QUERY_INIT;
        pledger_cursor *cur = NULL;
        q.kind = PLEDGER_KIND_RECEIVABLE;
        q.state = want[i];
        PL_OK(reg, pledger_search(&cur, reg, &q));
        ck_assert_int_eq(pledger_cursor_next(cur), 1);
        ck_assert_int_eq(pledger_pledge_state_of(pledger_cursor_pledge(cur)), want[i]);
        pledger_cursor_free(cur);
    }
    /* no litigation is recorded on a lapsed objection */
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_record_litigation(reg, num));
    int n = 0;
    PL_OK(reg, pledger_registry_expire(&n, reg));
    ck_assert_int_eq(n, 1);
    PL_OK(reg, pledger_verify(&v, reg, num, NULL));
    ck_assert_int_eq(pledger_pledge_state_of(pledger_verification_pledge(v)),
                     PLEDGER_PLEDGE_ACTIVE);
    pledger_verification_free(v);
    pledger_free(code);
    free(num);
}
END_TEST

/* A change that changes nothing is refused and records nothing: it made
 * a new version and a new certificate, and the certificate a bank held
 * read "superseded".  The same names typed otherwise (white space,
 * full-width forms) are the same names. */
START_TEST(test_a_change_of_nothing)
{
    char *num = registered(PLEDGER_KIND_TRADEMARK, NULL);
    pledger_pledge *p = NULL;
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_pledge_get(&p, reg, num));
    int64_t amount = pledger_pledge_amount(p);
    char *pledgee = strdup(pledger_pledge_pledgee_name(p));
    pledger_pledge_free(p);
    char spaced[512];
    snprintf(spaced, sizeof spaced, "  %s ", pledgee);
    char *before = dump(NULL);
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.amount = amount;
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_change(reg, num, &ch, NULL));
    ck_assert_msg(strstr(pledger_errmsg(reg), "nothing would change"), "%s",
                  pledger_errmsg(reg));
    ch = (pledger_change)PLEDGER_CHANGE_INIT;
    ch.pledgee_name = spaced;
    ch.note = "the same bank";
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_change(reg, num, &ch, NULL));
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);
    /* a real change still goes through */
    ch = (pledger_change)PLEDGER_CHANGE_INIT;
    ch.amount = amount + 100;
    PL_OK(reg, pledger_pledge_change(reg, num, &ch, NULL));
    free(before);
    free(after);
    free(pledgee);
    free(num);
}
END_TEST

/* A name is the same name however it is typed (white space, full-width
 * forms) -- also when the registered one holds full-width forms, as a
 * Chinese company's parentheses are: the same name typed again is no
 * change (it made version 2 and superseded the bank's certificate), and a
 * new name is kept as typed, not folded to half-width ("（" stays). */
START_TEST(test_a_change_keeps_the_name_as_typed)
{
    static const char registered_name[] = "福建闽江食品（集团）有限公司";
    for (int kind = 1; kind <= 7; kind++) {
        char *code = NULL;
        sample_pledgor_name = registered_name;
        char *num = registered(kind, &code);
        sample_pledgor_name = NULL;
        act("registrar-1", PLEDGER_ROLE_REGISTRAR);
        char *before = dump(NULL);
        static const char *const same[] = {
            "福建闽江食品（集团）有限公司", "  福建闽江食品（集团）有限公司\xe3\x80\x80",
            "福建闽江食品(集团)有限公司",
        };
        for (size_t k = 0; k < sizeof same / sizeof same[0]; k++) {
            pledger_change ch = PLEDGER_CHANGE_INIT;
            ch.pledgor_name = same[k];
            PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_change(reg, num, &ch, code));
            ck_assert_msg(strstr(pledger_errmsg(reg), "nothing would change"), "%s: %s",
                          same[k], pledger_errmsg(reg));
        }
        char *after = dump(NULL);
        ck_assert_str_eq(before, after);
        pledger_change ch = PLEDGER_CHANGE_INIT;
        ch.pledgor_name = " 福建闽江食品（控股）有限公司\xe3\x80\x80";
        PL_OK(reg, pledger_pledge_change(reg, num, &ch, code));
        pledger_pledge *p = NULL;
        PL_OK(reg, pledger_pledge_get(&p, reg, num));
        ck_assert_str_eq(pledger_pledge_pledgor_name(p), "福建闽江食品（控股）有限公司");
        ck_assert_int_eq(pledger_pledge_version(p), 2);
        pledger_pledge_free(p);
        char *cert = NULL;
        PL_OK(reg, pledger_certificate_get(&cert, reg, num, 0));
        ck_assert_msg(strstr(cert, "<name>福建闽江食品（控股）有限公司</name>"), "%s", cert);
        pledger_free(cert);
        /* found by its name, typed either way */
        pledger_query q = PLEDGER_QUERY_INIT;
        pledger_cursor *cur = NULL;
        q.party_name = "福建闽江食品(控股)有限公司";
        PL_OK(reg, pledger_search(&cur, reg, &q));
        ck_assert_int_eq(pledger_cursor_next(cur), 1);
        ck_assert_int_eq(pledger_cursor_name_match(cur), PLEDGER_NAME_MATCH_EXACT);
        pledger_cursor_free(cur);
        free(before);
        free(after);
        pledger_free(code);
        free(num);
    }
}
END_TEST

/* A change sets only what the review would take in a document: a name
 * with a character that shows nothing (PARTY_NAME_INVISIBLE), a control
 * character no document holds, a name of white space only (PARTY_NAME_
 * MISSING), an amount not positive (AMOUNT_NOT_POSITIVE) -- each refused
 * naming the field, nothing recorded, for either party and every kind. */
static const char *const bad_names[] = {
    "\xe7\x8e\x8b\xe2\x80\xae\xe8\x8a\xb3", /* U+202E */
    "\xc2\xad",                             /* a lone soft hyphen U+00AD */
    "ACME\xe2\x80\x8b Ltd",                 /* U+200B */
    "ACME\xef\xbb\xbf",                     /* U+FEFF */
    "A\xe1\xa0\x8b" "B",                    /* U+180B */
    "\xe3\x85\xa4",                         /* U+3164 HANGUL FILLER */
    "ACME\x01 Ltd",                         /* a control character */
    "ACME\x7f Ltd",                         /* DEL */
    "ACME\xc2\x9b Ltd",                     /* a C1 control, U+009B */
    "ACME\xef\xbf\xbb Ltd",                 /* U+FFFB */
    "ACME\xf0\x9f\xbf\xbe Ltd",             /* the noncharacter U+1FFFE */
    " \t ",                                 /* white space only */
    "\xe3\x80\x80",                         /* U+3000 only */
    "\xcc\x81",                             /* a lone combining acute U+0301 */
    "\xcc\x81" "ACME Ltd",                   /* a name starting with one */
    "\xe2\x80\xa6\xe2\x80\xa6",                 /* punctuation only: …… */
    "***",                                  /* ASCII symbols only */
    "\xef\xbf\xa5\xf0\x9f\x8f\xa6",             /* ￥ and an emoji */
};

START_TEST(test_change_takes_only_what_the_review_takes)
{
    int kind = 1 + _i % 7;
    char *code = NULL, *num = registered(kind, &code);
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    char *before = dump(NULL);
    for (size_t k = 0; k < sizeof bad_names / sizeof bad_names[0]; k++) {
        for (int party = 0; party < 2; party++) {
            pledger_change ch = PLEDGER_CHANGE_INIT;
            const char *field = party ? "pledgee_name" : "pledgor_name";
            if (party)
                ch.pledgee_name = bad_names[k];
            else
                ch.pledgor_name = bad_names[k];
            PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_change(reg, num, &ch, code));
            ck_assert_msg(strstr(pledger_errmsg(reg), field), "%zu: %s", k,
                          pledger_errmsg(reg));
        }
    }
    pledger_change ch = PLEDGER_CHANGE_INIT;
    int64_t amounts[] = { 0, -2, INT64_MIN };
    for (size_t k = 0; k < 3; k++) {
        ch.amount = amounts[k];
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_change(reg, num, &ch, code));
        ck_assert_msg(strstr(pledger_errmsg(reg), "amount"), "%s", pledger_errmsg(reg));
    }
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);
    /* what the review takes goes through: a name with a visible space */
    ch = (pledger_change)PLEDGER_CHANGE_INIT;
    ch.pledgor_name = "王 芳";
    PL_OK(reg, pledger_pledge_change(reg, num, &ch, code));
    /* and a name whose combining marks sit on their letters */
    ch.pledgor_name = "Jose\xcc\x81 Garci\xcc\x81" "a";
    PL_OK(reg, pledger_pledge_change(reg, num, &ch, code));
    free(before);
    free(after);
    pledger_free(code);
    free(num);
}
END_TEST

/* Every required free-text argument of a step refuses white space alone
 * as it refuses "": named, as empty, nothing recorded. */
START_TEST(test_white_space_is_empty)
{
    static const char *const blanks[] = { "", " ", "   ", " \t\n ", "\xe3\x80\x80" };
    char *uuid = accepted(PLEDGER_KIND_RECEIVABLE, NULL), *code = NULL;
    char *num = registered(PLEDGER_KIND_RECEIVABLE, &code);
    char *before = dump(NULL);
    for (size_t k = 0; k < sizeof blanks / sizeof blanks[0]; k++) {
        const char *b = blanks[k];
        act("clerk-1", PLEDGER_ROLE_CLERK);
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_request_correction(reg, uuid, b));
        ck_assert_msg(strstr(pledger_errmsg(reg), "note") &&
                      strstr(pledger_errmsg(reg), "empty"), "%s", pledger_errmsg(reg));
        act("registrar-1", PLEDGER_ROLE_REGISTRAR);
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_refuse(reg, uuid, b, "why"));
        ck_assert_msg(strstr(pledger_errmsg(reg), "ground") &&
                      strstr(pledger_errmsg(reg), "empty"), "%s", pledger_errmsg(reg));
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_revoke(reg, num, b, "why"));
        ck_assert_msg(strstr(pledger_errmsg(reg), "ground") &&
                      strstr(pledger_errmsg(reg), "empty"), "%s", pledger_errmsg(reg));
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_object(reg, num, b, "why"));
        ck_assert_msg(strstr(pledger_errmsg(reg), "objector") &&
                      strstr(pledger_errmsg(reg), "empty"), "%s", pledger_errmsg(reg));
    }
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    free(uuid);
    free(num);
    pledger_free(code);
}
END_TEST

/* An application whose registration period has already run out is not
 * registered: the pledge would be expired the moment it existed. */
START_TEST(test_no_registration_after_the_period)
{
    char *uuid = accepted(PLEDGER_KIND_PATENT, NULL), *num = NULL;
    char *uuid2 = accepted(PLEDGER_KIND_PATENT, NULL);
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    /* on the period's last day it is registrable */
    fx_now_us = END_OF_PATENT_PERIOD - 1;
    PL_OK(reg, pledger_application_register(&num, NULL, reg, uuid2));
    pledger_free(num);
    num = NULL;
    fx_now_us = END_OF_PATENT_PERIOD;   /* the period ended yesterday */
    char *before = dump(NULL);
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_register(&num, NULL, reg, uuid));
    ck_assert_ptr_null(num);
    ck_assert_msg(strstr(pledger_errmsg(reg), "period/end") &&
                      strstr(pledger_errmsg(reg), "2026-03-31"),
                  "%s", pledger_errmsg(reg));
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);   /* still accepted: nothing changed */
    PL_OK(reg, pledger_application_refuse(reg, uuid, "PERIOD_ENDED", "the period has ended"));
    free(before);
    free(after);
    free(uuid);
    free(uuid2);
}
END_TEST

/* An extension cannot outlast a pledged right's term on the reference
 * register, as the registration could not (RIGHT_EXPIRES_IN_PERIOD): the
 * trademark sample's mark 12345678 is in force until 2034-01-06. */
START_TEST(test_extend_within_the_rights_term)
{
    char *file = pl_test_path(PLEDGER_TEST_DATADIR, "register-review.xml");
    pledger_import_report *rep = NULL;
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_register_import(&rep, reg, file, NULL));
    ck_assert_uint_eq(pledger_import_report_rejected(rep), 0);
    pledger_import_report_free(rep);
    free(file);
    char *num = registered(PLEDGER_KIND_TRADEMARK, NULL);
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    char *before = dump(NULL);
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_extend(reg, num, "2034-06-30", NULL));
    ck_assert_msg(strstr(pledger_errmsg(reg), "12345678") &&
                      strstr(pledger_errmsg(reg), "2034-01-06") &&
                      strstr(pledger_errmsg(reg), "new_end"),
                  "%s", pledger_errmsg(reg));
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);
    PL_OK(reg, pledger_pledge_extend(reg, num, "2034-01-06", NULL));
    pledger_pledge *p = NULL;
    PL_OK(reg, pledger_pledge_get(&p, reg, num));
    ck_assert_str_eq(pledger_pledge_period_end(p), "2034-01-06");
    pledger_pledge_free(p);
    free(before);
    free(after);
    free(num);
}
END_TEST

/* A permit or a use right the register does not know lasts as its
 * application states (the registration refused a period past it:
 * EM_PERMIT_ENDS_IN_PERIOD, RL_TERM_ENDS_IN_PERIOD), and an extension
 * cannot outlast it either: the samples' permit is valid until 2027-12-31,
 * the sea area's term ends 2034-07-31 and the land's 2047-12-31. */
START_TEST(test_extend_within_the_stated_term)
{
    static const struct {
        pledger_kind kind;
        const char *end, *after, *path, *code;
    } cases[] = {
        { PLEDGER_KIND_EMISSION, "2027-12-31", "2028-01-01", "rights/right[1]/valid_to",
          "EM_PERMIT_ENDS_IN_PERIOD" },
        { PLEDGER_KIND_SEA_AREA, "2034-07-31", "2034-08-01", "rights/right[1]/term_end",
          "RL_TERM_ENDS_IN_PERIOD" },
        { PLEDGER_KIND_LAND, "2047-12-31", "2048-01-01", "rights/right[1]/term_end",
          "RL_TERM_ENDS_IN_PERIOD" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *num = registered(cases[i].kind, NULL);
        act("registrar-1", PLEDGER_ROLE_REGISTRAR);
        char *before = dump(NULL);
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_extend(reg, num, cases[i].after, NULL));
        const char *m = pledger_errmsg(reg);
        ck_assert_msg(strstr(m, "new_end") && strstr(m, cases[i].end) &&
                          strstr(m, cases[i].after) && strstr(m, cases[i].path) &&
                          strstr(m, cases[i].code),
                      "%s", m);
        char *after = dump(NULL);
        ck_assert_str_eq(before, after);
        PL_OK(reg, pledger_pledge_extend(reg, num, cases[i].end, NULL));
        pledger_pledge *p = NULL;
        PL_OK(reg, pledger_pledge_get(&p, reg, num));
        ck_assert_str_eq(pledger_pledge_period_end(p), cases[i].end);
        pledger_pledge_free(p);
        free(before);
        free(after);
        free(num);
    }
}
END_TEST

/* ---- submit needs a clean, current review ---------------------------------------- */

START_TEST(test_submit_needs_clean_review)
{
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    pledger_review *rv = NULL;
    act("applicant-1", PLEDGER_ROLE_APPLICANT);
    PL_OK(NULL, pledger_application_set(app, "pledgor/id", "91350100M000100Y44")); /* bad check */
    PL_OK(NULL, pledger_application_set(app, "claim/amount", NULL));
    PL_OK(reg, pledger_application_save(reg, app));
    const char *uuid = pledger_application_uuid(app);
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_application_submit(reg, uuid)); /* never reviewed */
    PL_OK(reg, pledger_application_review(&rv, reg, uuid));
    int found_id = 0, found_amount = 0;
    for (size_t i = 0; i < pledger_review_count(rv); i++) {
        found_id += strcmp(pledger_review_path(rv, i), "pledgor/id") == 0;
        found_amount += strcmp(pledger_review_path(rv, i), "claim/amount") == 0;
    }
    ck_assert_int_eq(found_id, 1);
    ck_assert_int_eq(found_amount, 1);
    ck_assert(pledger_review_count_severity(rv, PLEDGER_SEVERITY_CORRECTABLE) >= 2);
    pledger_review_free(rv);
    char *before = dump(NULL);
    PL_FAILS(reg, PLEDGER_EREVIEW, pledger_application_submit(reg, uuid));
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    /* the stored review is what the acceptance point sees */
    ck_assert_int_eq(raw_int("SELECT correctable FROM review ORDER BY id DESC LIMIT 1"), 2);
    /* fix, save (back to draft), review, submit */
    PL_OK(NULL, pledger_application_set(app, "pledgor/id", "91350100M000100Y43"));
    PL_OK(NULL, pledger_application_set(app, "claim/amount", "300000000"));
    PL_OK(NULL, pledger_application_set(app, "claim/amount/@currency", "CNY"));
    PL_OK(reg, pledger_application_save(reg, app));
    ck_assert_int_eq(pledger_application_state(app), PLEDGER_APP_DRAFT);
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_application_submit(reg, uuid));
    PL_OK(reg, pledger_application_review(NULL, reg, uuid));
    PL_OK(reg, pledger_application_submit(reg, uuid));
    pledger_application_free(app);
}
END_TEST

/* ---- numbers ------------------------------------------------------------------- */

START_TEST(test_numbers_gap_free_per_year_and_kind)
{
    char *a1 = NULL, *a2 = NULL, *a3 = NULL, *a4 = NULL;
    free(accepted(PLEDGER_KIND_TRADEMARK, &a1));
    free(accepted(PLEDGER_KIND_TRADEMARK, &a2));
    free(accepted(PLEDGER_KIND_PATENT, &a3));
    ck_assert_str_eq(a1, "A-FZ01-TM-2024-000001");
    ck_assert_str_eq(a2, "A-FZ01-TM-2024-000002");
    ck_assert_str_eq(a3, "A-FZ01-PT-2024-000001");
    fx_now_us = INT64_C(1735689600000000) + 3600 * INT64_C(1000000); /* 2025-01-01T01:00Z */
    free(accepted(PLEDGER_KIND_TRADEMARK, &a4));
    ck_assert_str_eq(a4, "A-FZ01-TM-2025-000001");
    free(a1);
    free(a2);
    free(a3);
    free(a4);
}
END_TEST

START_TEST(test_number_template)
{
    char *a1 = NULL;
    act("clerk-1", PLEDGER_ROLE_CLERK);
    PL_FAILS(reg, PLEDGER_EPERM, pledger_set_number_template(reg, "{series}{year}{seq:5}"));
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_set_number_template(reg, "{office}-{seq:6}"));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "{year}"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_set_number_template(reg, "{series}{year}{seq:13}"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_set_number_template(reg, "{series}{year}{nope}{seq:3}"));
    PL_OK(reg, pledger_set_number_template(reg, "{office}{kind}{year}{series}{seq:5}"));
    free(accepted(PLEDGER_KIND_EQUITY, &a1));
    ck_assert_str_eq(a1, "FZ01EQ2024A00001");
    free(a1);
    assert_journal_intact();
}
END_TEST

START_TEST(test_clock_backwards)
{
    char *num = registered(PLEDGER_KIND_TRADEMARK, NULL);
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    fx_now_us -= FX_DAY_US;
    char *before = dump(NULL);
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_cancel(reg, num, NULL, NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "clock went backwards"));
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);
    fx_now_us += FX_DAY_US;
    PL_OK(reg, pledger_pledge_cancel(reg, num, NULL, NULL)); /* the same instant is fine */
    free(before);
    free(after);
    free(num);
}
END_TEST

/* A clock that gives no instant (pledger_set_clock(): before 0000-01-01 or
 * after 9999-12-31, PLEDGER_AS_OF_CURRENT among them, as the Python
 * bindings' clock does when it raises) records nothing: every step is
 * refused naming the clock, on a new registry as on one whose last event
 * is earlier (which "the clock went backwards" alone did not catch), and
 * before anything is made at that instant (a certificate). */
START_TEST(test_clock_outside_the_instants)
{
    static const int64_t bad[] = { PLEDGER_INSTANT_MAX + 1, INT64_MAX, PLEDGER_INSTANT_MIN - 1,
                                   INT64_MIN };
    const int64_t t0 = fx_now_us;
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    char *num = NULL;
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.amount = 5;

    act("applicant-1", PLEDGER_ROLE_APPLICANT);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fx_now_us = bad[i];
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_save(reg, app));
        ck_assert_msg(strstr(pledger_errmsg(reg), "the registry's clock gives") &&
                          strstr(pledger_errmsg(reg), "nothing was recorded"),
                      "%s", pledger_errmsg(reg));
        ck_assert_ptr_null(pledger_application_uuid(app));
        ck_assert_int_eq(raw_int("SELECT count(*) FROM journal"), 0);
    }
    pledger_application_free(app);
    fx_now_us = t0;
    num = registered(PLEDGER_KIND_TRADEMARK, NULL);
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    char *before = dump(NULL);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fx_now_us = bad[i];
        app = fx_ck_sample(PLEDGER_KIND_PATENT);
        act("applicant-1", PLEDGER_ROLE_APPLICANT);
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_save(reg, app));
        ck_assert_msg(strstr(pledger_errmsg(reg), "the registry's clock gives"), "%s",
                      pledger_errmsg(reg));
        pledger_application_free(app);
        /* a pledge step, which makes a certificate at its instant: refused first */
        act("registrar-1", PLEDGER_ROLE_REGISTRAR);
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_change(reg, num, &ch, NULL));
        ck_assert_msg(strstr(pledger_errmsg(reg), "the registry's clock gives"), "%s",
                      pledger_errmsg(reg));
        /* the sweep: the pledge is due after 9999, and not recorded so */
        int n = 0, rc = pledger_registry_expire(&n, reg);
        ck_assert_int_eq(rc, bad[i] > t0 ? PLEDGER_EINVAL : 0);
    }
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);
    fx_now_us = t0 + FX_DAY_US;
    PL_OK(reg, pledger_pledge_change(reg, num, &ch, NULL));
    assert_journal_intact();
    free(before);
    free(after);
    free(num);
}
END_TEST

/* Versions that take effect at one instant (the clock is not moved
 * between them, as a replay's may not be): each superseded certificate
 * is its own version's, terms and code, for every role -- it was the
 * version in force at its instant, the later one, that came back. */
START_TEST(test_certificates_of_versions_at_one_instant)
{
    char *num = registered(PLEDGER_KIND_TRADEMARK, NULL), *cert = NULL;
    pledger_pledge *p = NULL;
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_pledge_get(&p, reg, num));
    int64_t amount = pledger_pledge_amount(p);
    pledger_pledge_free(p);
    fx_now_us += FX_DAY_US;
    for (int i = 1; i <= 3; i++) {                 /* versions 2, 3, 4 */
        pledger_change ch = PLEDGER_CHANGE_INIT;
        ch.amount = amount + 100 * i;
        PL_OK(reg, pledger_pledge_change(reg, num, &ch, NULL));
    }
    static const pledger_role roles[] = { PLEDGER_ROLE_REGISTRAR, PLEDGER_ROLE_BANK,
                                          PLEDGER_ROLE_AUDITOR };
    for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++) {
        act("reader-1", roles[r]);
        for (int version = 1; version <= 4; version++) {
            char want_version[64], want_amount[64];
            snprintf(want_version, sizeof want_version, "<version>%d</version>", version);
            snprintf(want_amount, sizeof want_amount, ">%lld<",
                     (long long)(version == 1 ? amount : amount + 100 * (version - 1)));
            pledger_certificate *c = NULL;
            PL_OK(reg, pledger_certificate_load(&c, reg, num, version));
            ck_assert_int_eq(pledger_certificate_version(c), version);
            PL_OK(reg, pledger_certificate_get(&cert, reg, num, version));
            ck_assert_msg(strstr(cert, want_version) && strstr(cert, want_amount),
                          "role %d, version %d: %s", (int)roles[r], version, cert);
            ck_assert_ptr_nonnull(strstr(cert, pledger_certificate_code(c)));
            ck_assert_ptr_nonnull(strstr(cert, version == 4 ? "<status>current</status>"
                                                            : "<status>superseded</status>"));
            pledger_free(cert);
            pledger_certificate_free(c);
        }
    }
    free(num);
}
END_TEST

START_TEST(test_certificate_masks_residents)
{
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_PATENT);
    char *num = NULL, *cert = NULL;
    act("applicant-1", PLEDGER_ROLE_APPLICANT);
    PL_OK(NULL, pledger_application_set(app, "pledgor/@type", "person"));
    PL_OK(NULL, pledger_application_set(app, "pledgor/id/@type", "resident"));
    PL_OK(NULL, pledger_application_set(app, "pledgor/id", "11010519491231002X"));
    PL_OK(reg, pledger_application_save(reg, app));
    char *uuid = strdup(pledger_application_uuid(app));
    pledger_application_free(app);
    PL_OK(reg, pledger_application_review(NULL, reg, uuid));
    PL_OK(reg, pledger_application_submit(reg, uuid));
    act("clerk-1", PLEDGER_ROLE_CLERK);
    PL_OK(reg, pledger_application_accept(NULL, reg, uuid));
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_application_register(&num, NULL, reg, uuid));
    PL_OK(reg, pledger_certificate_get(&cert, reg, num, 0));
    ck_assert_ptr_nonnull(strstr(cert, "11010519491231002X"));
    pledger_free(cert);
    act("bank-1", PLEDGER_ROLE_BANK);
    PL_OK(reg, pledger_certificate_get(&cert, reg, num, 0));
    ck_assert_ptr_null(strstr(cert, "11010519491231002X"));
    ck_assert_ptr_nonnull(strstr(cert, "110105********002X"));
    pledger_free(cert);
    free(num);
    free(uuid);
}
END_TEST

/* ---- the journal ------------------------------------------------------------------ */

START_TEST(test_journal_tamper)
{
    char *num = registered(PLEDGER_KIND_EQUITY, NULL);
    int64_t bad = 0, count = 0;
    assert_journal_intact();
    int64_t n = raw_int("SELECT count(*) FROM journal");
    ck_assert_int_eq(n, 5); /* create, review, submit, accept, register */
    /* the triggers refuse UPDATE and DELETE */
    sqlite3 *h;
    ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
    ck_assert_int_ne(sqlite3_exec(h, "UPDATE journal SET actor = 'x' WHERE seq = 1", 0, 0, 0),
                     SQLITE_OK);
    ck_assert_int_ne(sqlite3_exec(h, "DELETE FROM journal WHERE seq = 2", 0, 0, 0), SQLITE_OK);
    sqlite3_close(h);
    /* with the triggers dropped, an altered payload is found at exactly its sequence */
    raw_exec("DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;"
             "UPDATE journal SET payload = replace(payload, '\"state\":4', '\"state\":6')"
             " WHERE seq = 4");
    act("auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(reg, pledger_journal_verify(&bad, &count, reg));
    ck_assert_int_eq(bad, 4);
    ck_assert_int_eq(count, 3);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "event 4"));
    act("bank-1", PLEDGER_ROLE_BANK);
    PL_FAILS(reg, PLEDGER_EPERM, pledger_journal_verify(&bad, &count, reg));
    free(num);
}
END_TEST

START_TEST(test_journal_deleted_row)
{
    char *num = registered(PLEDGER_KIND_LAND, NULL);
    int64_t bad = 0, count = 0;
    raw_exec("DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = 3");
    act("auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(reg, pledger_journal_verify(&bad, &count, reg));
    ck_assert_int_eq(bad, 3);
    free(num);
}
END_TEST

/* The chain alone finds an altered event but not a state row changed
 * underneath; the full verification finds both. */
START_TEST(test_journal_verify_chain)
{
    char *num = registered(PLEDGER_KIND_PATENT, NULL);
    int64_t bad = -1, count = -1;

    act("auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(reg, pledger_journal_verify_chain(&bad, &count, reg));
    ck_assert_int_eq(bad, 0);
    ck_assert_int_eq(count, 5);
    raw_exec("UPDATE pledge_version SET amount = amount + 1");
    PL_OK(reg, pledger_journal_verify_chain(&bad, &count, reg));
    ck_assert_int_eq(bad, 0);
    PL_OK(reg, pledger_journal_verify(&bad, &count, reg));
    ck_assert_int_eq(bad, 5);
    raw_exec("DROP TRIGGER journal_no_update;"
             "UPDATE journal SET actor = 'mallory' WHERE seq = 2");
    PL_OK(reg, pledger_journal_verify_chain(&bad, &count, reg));
    ck_assert_int_eq(bad, 2);
    ck_assert_int_eq(count, 1);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "event 2"));
    act("bank-1", PLEDGER_ROLE_BANK);
    PL_FAILS(reg, PLEDGER_EPERM, pledger_journal_verify_chain(&bad, &count, reg));
    free(num);
}
END_TEST

/* A stored document is parsed again without the schema check only when it
 * matches the digest stored with it: one changed underneath the library is
 * refused by the next step and by a read, and the step changes nothing. */
START_TEST(test_stored_document_digest)
{
    char *acceptance = NULL;
    char *uuid = accepted(PLEDGER_KIND_TRADEMARK, &acceptance);
    pledger_application *app = NULL;
    char *number = NULL;

    raw_exec("UPDATE application SET document = replace(document, '</application>',"
             " '<unknown/></application>')");
    int64_t events = raw_int("SELECT count(*) FROM journal");
    char *before = dump(NULL);
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_FAILS(reg, PLEDGER_ECORRUPT, pledger_application_register(&number, NULL, reg, uuid));
    ck_assert_ptr_null(number);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), uuid));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "does not match its digest"));
    PL_FAILS(reg, PLEDGER_ECORRUPT, pledger_application_load(&app, reg, uuid));
    ck_assert_ptr_null(app);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), uuid));
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);
    ck_assert_int_eq(raw_int("SELECT count(*) FROM journal"), events);
    free(before);
    free(after);
    free(acceptance);
    free(uuid);
}
END_TEST

START_TEST(test_replay_rebuilds_state)
{
    /* a registry with every kind, changes, an objection, a refusal, a withdrawal */
    char *code = NULL;
    char *nums[8] = { 0 };
    for (int kind = 1; kind <= 7; kind++)
        nums[kind] = registered(kind, kind == PLEDGER_KIND_RECEIVABLE ? &code : NULL);
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.amount = 123456;
    PL_OK(reg, pledger_pledge_change(reg, nums[1], &ch, NULL));
    PL_OK(reg, pledger_pledge_cancel(reg, nums[2], NULL, NULL));
    PL_OK(reg, pledger_pledge_object(reg, nums[3], "someone", NULL));
    char *u = accepted(PLEDGER_KIND_PATENT, NULL);
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_application_refuse(reg, u, "PT_FEE_UNPAID", NULL));
    free(u);
    u = submitted(PLEDGER_KIND_RECEIVABLE); /* land is pledged: RIGHT_ALREADY_PLEDGED */
    PL_OK(reg, pledger_application_withdraw(reg, u));
    free(u);
    static const char cal[] = "2024-10-01..2024-10-07 holiday\n2024-10-12 workday\n";
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_calendar_load(reg, cal, strlen(cal)));

    const char *state = "application application_right review pledge pledge_version "
                        "pledge_right certificate sequence calendar_day";
    char *before = dump(state);
    pl_err e;
    ck_assert_int_eq(pl_replay(reg->db, &e), 0);
    char *after = dump(state);
    ck_assert_str_eq(before, after);
    ck_assert_int_gt(strlen(before), 1000);
    free(before);
    free(after);
    for (int kind = 1; kind <= 7; kind++)
        free(nums[kind]);
    pledger_free(code);
}
END_TEST

/* ---- the calendar ------------------------------------------------------------------ */

START_TEST(test_calendar_deadlines)
{
    char out[11];
    static const char cal[] =
        "# 2025 National Day and Mid-Autumn\n"
        "2025-10-01..2025-10-08 holiday National Day\n"
        "2025-09-28 workday make-up (Sunday)\n"
        "2025-10-11 workday make-up (Saturday)\n";
    PL_OK(reg, pledger_calendar_add_working_days(out, reg, "2025-09-30", 2));
    ck_assert_str_eq(out, "2025-10-02"); /* weekends alone */
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_calendar_load(reg, cal, strlen(cal)));
    PL_OK(reg, pledger_calendar_add_working_days(out, reg, "2025-09-30", 2));
    ck_assert_str_eq(out, "2025-10-10");
    PL_OK(reg, pledger_calendar_add_working_days(out, reg, "2025-09-26", 1));
    ck_assert_str_eq(out, "2025-09-28"); /* the make-up Sunday */
    PL_OK(reg, pledger_calendar_add_working_days(out, reg, "2025-10-09", 2));
    ck_assert_str_eq(out, "2025-10-11"); /* the make-up Saturday */
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_calendar_load(reg, "2025-13-01 holiday\n", 19));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "line 1"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_calendar_add_working_days(out, reg, "2025-02-30", 1));
    act("clerk-1", PLEDGER_ROLE_CLERK);
    PL_FAILS(reg, PLEDGER_EPERM, pledger_calendar_load(reg, cal, strlen(cal)));
}
END_TEST

/* ---- read-only ---------------------------------------------------------------------- */

START_TEST(test_read_only_registry)
{
    char *num = registered(PLEDGER_KIND_TRADEMARK, NULL);
    char *uuid = accepted(PLEDGER_KIND_PATENT, NULL);
    pledger_registry *ro = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    o.read_only = 1;
    PL_OK(NULL, pledger_open(&ro, path, &o));
    PL_OK(ro, pledger_set_actor(ro, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    char *before = dump(NULL);
    char *n2 = NULL;
    PL_FAILS(ro, PLEDGER_EREADONLY, pledger_application_register(&n2, NULL, ro, uuid));
    PL_FAILS(ro, PLEDGER_EREADONLY, pledger_pledge_cancel(ro, num, NULL, NULL));
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_LAND);
    PL_FAILS(ro, PLEDGER_EREADONLY, pledger_application_save(ro, app));
    pledger_application_free(app);
    pledger_pledge *p = NULL;
    PL_OK(ro, pledger_pledge_get(&p, ro, num)); /* reads work */
    pledger_pledge_free(p);
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    pledger_close(ro);
    free(num);
    free(uuid);
}
END_TEST

START_TEST(test_bad_arguments)
{
    char *s = NULL;
    act("x", PLEDGER_ROLE_APPLICANT);
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_application_submit(NULL, "x"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_submit(reg, NULL));
    PL_FAILS(reg, PLEDGER_ENOTFOUND,
             pledger_application_submit(reg, "00000000-0000-0000-0000-000000000000"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_submit(reg, "\xff\xfe"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_accept(&s, reg, ""));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_set_actor(reg, "x", (pledger_role)9));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_set_actor(reg, "", PLEDGER_ROLE_BANK));
    /* white space alone names nobody (a blank actor was journaled); the
     * actor set before stays */
    static const char *const blank[] = { " ", "   ", "\xe3\x80\x80", " \xc2\xa0 " };
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_set_actor(reg, blank[i], PLEDGER_ROLE_APPLICANT));
        ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "white space only"));
        ck_assert_str_eq(pledger_actor(reg), "x");
    }
    PL_OK(reg, pledger_set_actor(reg, " x ", PLEDGER_ROLE_APPLICANT));
    act("x", PLEDGER_ROLE_APPLICANT);
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_application_new(NULL, PLEDGER_KIND_LAND));
    pledger_application *app = NULL;
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_application_new(&app, (pledger_kind)8));
    PL_FAILS(NULL, PLEDGER_EXML, pledger_application_from_xml(&app, "<a>", 3));
    ck_assert_ptr_null(app);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "line 1"));
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.version = 99;
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_change(reg, "R-1", &ch, NULL));
    ck_assert_str_eq(pledger_kind_name(PLEDGER_KIND_SEA_AREA), "sea_area");
    ck_assert_int_eq(pledger_kind_from_name("land"), PLEDGER_KIND_LAND);
    ck_assert_int_eq(pledger_kind_from_name("car"), 0);
    ck_assert_ptr_null(pledger_kind_name((pledger_kind)0));
    ck_assert_str_eq(pledger_app_state_name(PLEDGER_APP_CORRECTION_REQUESTED),
                     "correction_requested");
    ck_assert_str_eq(pledger_pledge_state_name(PLEDGER_PLEDGE_UNDER_OBJECTION),
                     "under_objection");
    ck_assert_str_eq(pledger_severity_name(PLEDGER_SEVERITY_RISK), "risk");
    ck_assert_str_eq(pledger_role_name(PLEDGER_ROLE_AUDITOR), "auditor");
    ck_assert_int_eq(pledger_role_from_name("clerk"), PLEDGER_ROLE_CLERK);
    ck_assert_str_eq(pledger_actor(reg), "x");
}
END_TEST

/* ---- the step table: each step leads where workflow/states.c says and
 * journals what store/apply.c applies ------------------------------------------- */

/* The operation of the journal's last event (caller frees). */
static char *last_operation(void)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    char *op = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT operation FROM journal ORDER BY seq DESC"
                                        " LIMIT 1", -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    op = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    ck_assert_ptr_nonnull(op);
    return op;
}

static int64_t pledge_state_of(const char *number)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT v.state FROM pledge_version v JOIN pledge p"
             " ON p.id = v.pledge_id WHERE p.registration_number = '%s'"
             " AND v.valid_to IS NULL", number);
    return raw_int(sql);
}

START_TEST(test_step_table)
{
    pl_step step = _i;
    const pl_step_rule *r = pl_step_rule_of(step);
    const char *op = pl_step_operation(step);
    char *uuid = NULL, *num = NULL, *code = NULL;
    int64_t state = -1;
    int n = 0;

    ck_assert_ptr_nonnull(r);
    /* every step but the data line's records one operation of its own */
    if (step == PL_STEP_EXCHANGE) {
        ck_assert_ptr_null(op);
        return;
    }
    ck_assert_msg(op != NULL, "step %s has no journal operation", r->name);
    /* spelled here again, apart from the tables: the journal's names are a
     * stored format, and the targets are docs/design.md §3's (0: the step
     * stays or depends) */
    static const struct { const char *op; int to; } expect[PL_STEP_COUNT] = {
        [PL_STEP_SAVE] = { "application.update", PLEDGER_APP_DRAFT },
        [PL_STEP_REVIEW] = { "application.review", 0 },
        [PL_STEP_SUBMIT] = { "application.submit", PLEDGER_APP_SUBMITTED },
        [PL_STEP_ACCEPT] = { "application.accept", PLEDGER_APP_ACCEPTED },
        [PL_STEP_REQUEST_CORRECTION] = { "application.request_correction",
                                         PLEDGER_APP_CORRECTION_REQUESTED },
        [PL_STEP_CORRECT] = { "application.correct", PLEDGER_APP_ACCEPTED },
        [PL_STEP_REGISTER] = { "application.register", PLEDGER_APP_REGISTERED },
        [PL_STEP_REFUSE] = { "application.refuse", PLEDGER_APP_REFUSED },
        [PL_STEP_WITHDRAW] = { "application.withdraw", PLEDGER_APP_WITHDRAWN },
        [PL_STEP_CHANGE] = { "pledge.change", PLEDGER_PLEDGE_ACTIVE },
        [PL_STEP_EXTEND] = { "pledge.extend", PLEDGER_PLEDGE_ACTIVE },
        [PL_STEP_CANCEL] = { "pledge.cancel", PLEDGER_PLEDGE_CANCELLED },
        [PL_STEP_REVOKE] = { "pledge.revoke", PLEDGER_PLEDGE_REVOKED },
        [PL_STEP_OBJECT] = { "pledge.object", PLEDGER_PLEDGE_UNDER_OBJECTION },
        [PL_STEP_LITIGATION] = { "pledge.litigation", PLEDGER_PLEDGE_UNDER_OBJECTION },
        [PL_STEP_DISMISS_OBJECTION] = { "pledge.dismiss_objection", PLEDGER_PLEDGE_ACTIVE },
        [PL_STEP_EXPIRE] = { "pledge.expire", 0 },
        [PL_STEP_CALENDAR] = { "calendar.load", 0 },
        [PL_STEP_SETTINGS] = { "registry.setting", 0 },
        [PL_STEP_IMPORT] = { "register_import", 0 },
    };
    ck_assert_ptr_nonnull(expect[step].op);
    ck_assert_str_eq(op, expect[step].op);
    ck_assert_int_eq(r->to, expect[step].to);
    for (int other = 0; other < PL_STEP_COUNT; other++)
        ck_assert_msg(other == (int)step || !pl_step_operation(other) ||
                          strcmp(pl_step_operation(other), op) != 0,
                      "steps %s and %s record the same operation %s", r->name,
                      pl_step_rule_of(other)->name, op);
    switch (step) {
    case PL_STEP_SAVE:
    case PL_STEP_REVIEW:
    case PL_STEP_SUBMIT:
    case PL_STEP_ACCEPT:
    case PL_STEP_REQUEST_CORRECTION:
    case PL_STEP_CORRECT:
    case PL_STEP_REGISTER:
    case PL_STEP_REFUSE:
    case PL_STEP_WITHDRAW: {
        static const struct { int from, st; pledger_role role; } how[] = {
            [PL_STEP_SAVE] = { S_DRAFT, ST_SAVE, PLEDGER_ROLE_APPLICANT },
            [PL_STEP_REVIEW] = { S_DRAFT, ST_REVIEW, PLEDGER_ROLE_APPLICANT },
            [PL_STEP_SUBMIT] = { S_REVIEWED, ST_SUBMIT, PLEDGER_ROLE_APPLICANT },
            [PL_STEP_ACCEPT] = { S_SUBMITTED, ST_ACCEPT, PLEDGER_ROLE_CLERK },
            [PL_STEP_REQUEST_CORRECTION] = { S_ACCEPTED, ST_REQCORR, PLEDGER_ROLE_CLERK },
            [PL_STEP_CORRECT] = { S_CORR, ST_CORRECT, PLEDGER_ROLE_CLERK },
            [PL_STEP_REGISTER] = { S_ACCEPTED, ST_REGISTER, PLEDGER_ROLE_REGISTRAR },
            [PL_STEP_REFUSE] = { S_ACCEPTED, ST_REFUSE, PLEDGER_ROLE_REGISTRAR },
            [PL_STEP_WITHDRAW] = { S_SUBMITTED, ST_WITHDRAW, PLEDGER_ROLE_APPLICANT },
        };
        uuid = app_in_state(how[step].from, &num);
        act(filer_or_someone(how[step].role), how[step].role);
        fx_now_us += FX_DAY_US;
        ck_assert_msg(do_step(how[step].st, uuid) == 0, "%s: %s", r->name,
                      pledger_errmsg(reg));
        state = app_state_of(uuid);
        ck_assert_int_eq(state, step == PL_STEP_REVIEW ? PLEDGER_APP_REVIEWED : r->to);
        break;
    }
    case PL_STEP_CHANGE:
    case PL_STEP_EXTEND:
    case PL_STEP_CANCEL:
    case PL_STEP_REVOKE: {
        num = registered(PLEDGER_KIND_TRADEMARK, NULL);
        pledger_change ch = PLEDGER_CHANGE_INIT;
        ch.amount = 12345;
        act("registrar-1", PLEDGER_ROLE_REGISTRAR);
        fx_now_us += FX_DAY_US;
        int rc = step == PL_STEP_CHANGE   ? pledger_pledge_change(reg, num, &ch, NULL)
                 : step == PL_STEP_EXTEND ? pledger_pledge_extend(reg, num, "2090-12-31", NULL)
                 : step == PL_STEP_CANCEL ? pledger_pledge_cancel(reg, num, NULL, "repaid")
                                          : pledger_pledge_revoke(reg, num, "G", NULL);
        ck_assert_msg(rc == 0, "%s: %s", r->name, pledger_errmsg(reg));
        break;
    }
    case PL_STEP_OBJECT:
    case PL_STEP_LITIGATION:
    case PL_STEP_DISMISS_OBJECTION:
        num = registered(PLEDGER_KIND_RECEIVABLE, &code);
        act("registrar-1", PLEDGER_ROLE_REGISTRAR);
        fx_now_us += FX_DAY_US;
        PL_OK(reg, pledger_pledge_object(reg, num, "someone", "why"));
        if (step != PL_STEP_OBJECT)
            PL_OK(reg, pledger_pledge_record_litigation(reg, num));
        if (step == PL_STEP_DISMISS_OBJECTION)
            PL_OK(reg, pledger_pledge_dismiss_objection(reg, num, NULL));
        break;
    case PL_STEP_EXPIRE:
        num = registered(PLEDGER_KIND_PATENT, NULL);
        fx_now_us = FX_T0 + 4000 * FX_DAY_US; /* long after the end of the period */
        act("registrar-1", PLEDGER_ROLE_REGISTRAR);
        PL_OK(reg, pledger_registry_expire(&n, reg));
        ck_assert_int_eq(n, 1);
        ck_assert_int_eq(pledge_state_of(num), PLEDGER_PLEDGE_EXPIRED);
        break;
    case PL_STEP_SETTINGS:
        act("registrar-1", PLEDGER_ROLE_REGISTRAR);
        PL_OK(reg, pledger_set_number_template(reg, "{series}-{office}-{year}-{seq:8}"));
        break;
    case PL_STEP_CALENDAR:
        /* the calendar's own tests load one (test-calendar.c); its event is
         * replayed by test_replay_rebuilds_state */
        return;
    case PL_STEP_IMPORT: {
        /* the register's own tests import many (test-refreg.c): here its
         * event is the step's operation, and only a registrar takes it */
        pledger_import_report *rep = NULL;
        static const char reg_xml[] = "<register xmlns=\"urn:pledger:1\"/>";
        act("clerk-1", PLEDGER_ROLE_CLERK);
        PL_FAILS(reg, PLEDGER_EPERM,
                 pledger_register_import_memory(&rep, reg, reg_xml, strlen(reg_xml), NULL));
        ck_assert_msg(strstr(pledger_errmsg(reg), "only registrar may do this"), "%s",
                      pledger_errmsg(reg));
        act("registrar-1", PLEDGER_ROLE_REGISTRAR);
        PL_OK(reg, pledger_register_import_memory(&rep, reg, reg_xml, strlen(reg_xml), NULL));
        pledger_import_report_free(rep);
        ck_assert_int_eq(raw_int("SELECT count(*) FROM journal WHERE seq = (SELECT max(seq) "
                                 "FROM journal) AND operation = 'register_import'"), 1);
        return;
    }
    default:
        ck_abort_msg("step %d is not tested", (int)step);
    }
    if (r->on_pledge) {
        ck_assert_msg(r->to != 0, "pledge step %s has no target", r->name);
        ck_assert_int_eq(pledge_state_of(num), r->to);
    }
    if (num && strncmp(op, "pledge.", 7) == 0) {
        /* the version's operation is the journal's without "pledge." */
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM pledge_version v JOIN pledge p"
                 " ON p.id = v.pledge_id WHERE p.registration_number = '%s'"
                 " AND v.valid_to IS NULL AND v.operation = '%s'", num, op + 7);
        ck_assert_int_eq(raw_int(sql), 1);
    }
    char *last = last_operation();
    ck_assert_str_eq(last, op);
    free(last);
    /* every step's statements were prepared once (a change of schema may
     * prepare them again once; a plan depending on a bound value would at
     * every new value: tests/test-query.c, test_statements_prepared_once) */
    {
        const char *worst = NULL;
        int most = pl_db_reprepared_most(reg->db, &worst);
        ck_assert_msg(most <= 1, "a statement was prepared again %d times: %s", most,
                      worst ? worst : "?");
    }
    /* and the state the journal rebuilds is the same */
    act("auditor-1", PLEDGER_ROLE_AUDITOR);
    char *before = dump(NULL);
    PL_OK(reg, pl_replay(reg->db, &reg->err));
    char *after = dump(NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    if (uuid)
        ck_assert_int_eq(app_state_of(uuid), state);
    free(uuid);
    free(num);
    pledger_free(code);
}
END_TEST

static Suite *workflow_suite(void)
{
    Suite *s = suite_create("workflow");
    TCase *tc = tcase_create("kinds");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_full_path, 1, 8);
    tcase_add_loop_test(tc, test_refused, 1, 8);
    tcase_add_loop_test(tc, test_correction_window, 1, 8);
    tcase_add_test(tc, test_correction_cured);
    tcase_add_loop_test(tc, test_correction_is_reviewed, 0,
                        sizeof blocked_corrections / sizeof blocked_corrections[0]);
    tcase_add_test(tc, test_register_needs_a_clean_review_of_the_document);
    tcase_add_test(tc, test_replaced_document_is_reviewed_again);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);

    tc = tcase_create("state-machine");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_illegal_steps, 0, S_COUNT);
    tcase_add_loop_test(tc, test_wrong_roles, 0, S_COUNT);
    tcase_add_loop_test(tc, test_other_applicant, 0, S_COUNT);
    tcase_add_test(tc, test_pending_application_masked);
    tcase_add_test(tc, test_pledge_roles_and_states);
    tcase_add_loop_test(tc, test_step_table, 0, PL_STEP_COUNT);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);

    tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_single_pledge_kinds);
    tcase_add_test(tc, test_receivable_rules);
    tcase_add_test(tc, test_receivable_needs_modcode_out);
    tcase_add_test(tc, test_expiry);
    tcase_add_test(tc, test_certificate_of_an_ended_pledge);
    tcase_add_test(tc, test_expired_before_the_sweep);
    tcase_add_test(tc, test_extend_within_the_rights_term);
    tcase_add_test(tc, test_extend_within_the_stated_term);
    tcase_add_test(tc, test_a_change_of_nothing);
    tcase_add_test(tc, test_a_change_keeps_the_name_as_typed);
    tcase_add_test(tc, test_white_space_is_empty);
    tcase_add_loop_test(tc, test_change_takes_only_what_the_review_takes, 0, 7);
    tcase_add_test(tc, test_no_registration_after_the_period);
    tcase_add_test(tc, test_objection_lapses_before_the_sweep);
    tcase_add_test(tc, test_submit_needs_clean_review);
    tcase_add_test(tc, test_numbers_gap_free_per_year_and_kind);
    tcase_add_test(tc, test_number_template);
    tcase_add_test(tc, test_certificate_masks_residents);
    tcase_add_test(tc, test_certificates_of_versions_at_one_instant);
    tcase_add_test(tc, test_clock_backwards);
    tcase_add_test(tc, test_clock_outside_the_instants);
    tcase_add_test(tc, test_calendar_deadlines);
    tcase_add_test(tc, test_read_only_registry);
    tcase_add_test(tc, test_bad_arguments);
    tcase_add_test(tc, test_replace_by_uuid);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);

    tc = tcase_create("journal");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_journal_tamper);
    tcase_add_test(tc, test_journal_deleted_row);
    tcase_add_test(tc, test_stored_document_digest);
    tcase_add_test(tc, test_journal_verify_chain);
    tcase_add_test(tc, test_replay_rebuilds_state);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(workflow_suite)
