/* Who reads what: every public call that returns registry data, called by
 * every role (and by a caller who set no actor) on a read-write and on a
 * read-only handle.  Everything a call returns -- strings, documents,
 * finding messages, its error message -- is collected and searched for a
 * resident identity number (GB 11643: 18 characters, a valid date of
 * birth, a valid check character) with a matcher of this file's own.  A
 * role the row names as masked must never meet one; the registrar must,
 * so that the fixture is known to carry identifiers through each row. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "fixture.h"

#include <pledger/application.h>
#include <pledger/pledge.h>
#include <pledger/query.h>
#include <pledger/refreg.h>
#include <pledger/review.h>

/* The resident identity number of every sample person (tests/data). */
#define PERSON "11010519491231002X"

/* ---- a GB 11643 matcher --------------------------------------------------- */

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Are the 18 bytes at @s a resident identity number? */
static bool resident_at(const char *s)
{
    static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
    static const char check[] = "10X98765432";
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int sum = 0;

    for (int i = 0; i < 17; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        sum += (s[i] - '0') * w[i];
    }
    int y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
    int m = (s[10] - '0') * 10 + (s[11] - '0');
    int d = (s[12] - '0') * 10 + (s[13] - '0');
    if (y < 1800 || m < 1 || m > 12 || d < 1 ||
        d > mdays[m - 1] + (m == 2 && leap(y)))
        return false;
    char c = s[17] == 'x' ? 'X' : s[17];
    return c == check[sum % 11];
}

/* The first resident identity number anywhere in @text (windows of 18
 * characters at every offset, inside longer digit runs too), or NULL. */
static const char *find_resident(const char *text)
{
    size_t n = strlen(text);
    for (size_t i = 0; i + 18 <= n; i++)
        if (resident_at(text + i))
            return text + i;
    return NULL;
}

/* ---- what a call returns -------------------------------------------------- */

typedef struct buf {
    char *s;
    size_t n, cap;
} buf;

static void put(buf *b, const char *s)
{
    if (!s)
        s = "(null)";
    size_t k = strlen(s);
    if (b->n + k + 2 > b->cap) {
        b->cap = (b->n + k + 2) * 2;
        b->s = realloc(b->s, b->cap);
        ck_assert_ptr_nonnull(b->s);
    }
    memcpy(b->s + b->n, s, k);
    b->n += k;
    b->s[b->n++] = '\n';
    b->s[b->n] = '\0';
}

static void put_own(buf *b, char *s)
{
    put(b, s);
    pledger_free(s);
}

/* ---- the fixture: a registry with people in it ----------------------------- */

static char *dir, *path;
static char *tm, *land, *ar, *eq, *pt; /* registration numbers */
static char *tm_app;                   /* the trademark pledge's application */
static char *draft;                    /* a receivable application naming a person */

/* The receivable sample with a contract number on its second right (the
 * debtor is a person): the right's key is "<resident number>/<contract>". */
static pledger_application *receivable(void)
{
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_RECEIVABLE);
    PL_OK(NULL, pledger_application_set(app, "rights/right[2]/contract_number", "ZL-7"));
    return app;
}

static void build(void)
{
    pledger_registry *reg = NULL;
    pledger_application *app;
    pledger_change ch = PLEDGER_CHANGE_INIT;
    char *uuid = NULL;

    dir = pl_test_mkdir();
    path = pl_test_path(dir, "reg.db");
    fx_now_us = FX_T0;
    PL_OK(NULL, fx_open(&reg, path, "FZ01", 0, -1));
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &tm, NULL));
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_LAND, &land, NULL));
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_EQUITY, &eq, NULL));
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_PATENT, &pt, NULL));
    /* a registered receivable on the person's debt, and a second one on
     * the same right, saved only, twice: each names the other */
    app = receivable();
    PL_OK(reg, fx_submit_app(reg, app));
    uuid = strdup(pledger_application_uuid(app));
    pledger_application_free(app);
    PL_OK(reg, fx_accept(reg, uuid, NULL));
    PL_OK(reg, fx_register(reg, uuid, &ar, NULL));
    free(uuid);
    app = receivable();
    PL_OK(reg, pledger_set_actor(reg, "applicant-1", PLEDGER_ROLE_APPLICANT));
    PL_OK(reg, pledger_application_save(reg, app));
    draft = strdup(pledger_application_uuid(app));
    pledger_application_free(app);
    app = receivable(); /* pending on the same right: the draft's review names it */
    PL_OK(reg, pledger_application_save(reg, app));
    pledger_application_free(app);
    /* version 2 of the trademark pledge: version 1's certificate is
     * superseded (rebuilt when read) */
    fx_now_us += FX_DAY_US;
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    ch.amount = 400000000;
    PL_OK(reg, pledger_pledge_change(reg, tm, &ch, NULL));
    pledger_pledge *p = NULL;
    PL_OK(reg, pledger_pledge_get(&p, reg, tm));
    tm_app = strdup(pledger_pledge_application_uuid(p));
    pledger_pledge_free(p);
    pledger_close(reg);
}

static void unbuild(void)
{
    free(tm), free(land), free(ar), free(eq), free(pt), free(tm_app), free(draft);
    free(path);
    pl_test_rmdir(dir);
}

/* ---- the rows: one a public read call --------------------------------------- */

typedef int (*read_fn)(pledger_registry *reg, buf *out);

static const char *numbers(size_t i)
{
    const char *v[] = { tm, land, ar, eq, pt };
    return i < 5 ? v[i] : NULL;
}

/* load, then everything of the document: XML, every party's identifier
 * by field path, the right's debtor */
static int read_application(pledger_registry *reg, buf *out, const char *uuid)
{
    static const char *const paths[] = {
        "pledgor/id", "pledgee/id", "rights/right[1]/debtors/party[1]/id",
        "rights/right[2]/debtors/party[1]/id", "rights/right[2]/contract_number",
    };
    pledger_application *app = NULL;
    int rc = pledger_application_load(&app, reg, uuid);
    if (rc)
        return rc;
    char *xml = NULL;
    size_t len = 0;
    PL_OK(NULL, pledger_application_to_xml(&xml, &len, app));
    put_own(out, xml);
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        const char *v = NULL;
        if (pledger_application_get(&v, app, paths[i]) == 0)
            put(out, v);
    }
    put(out, pledger_application_uuid(app));
    pledger_application_free(app);
    return 0;
}

static int row_load_registered(pledger_registry *reg, buf *out)
{
    return read_application(reg, out, tm_app);
}

static int row_load_draft(pledger_registry *reg, buf *out)
{
    return read_application(reg, out, draft);
}

static void put_review(buf *out, pledger_review *rv)
{
    for (size_t i = 0; i < pledger_review_count(rv); i++) {
        put(out, pledger_review_code(rv, i));
        put(out, pledger_review_path(rv, i));
        put(out, pledger_review_message(rv, i));
        put(out, pledger_review_basis(rv, i));
    }
    pledger_review_free(rv);
}

static int row_review(pledger_registry *reg, buf *out)
{
    pledger_review *rv = NULL;
    int rc = pledger_application_review(&rv, reg, draft);
    if (!rc)
        put_review(out, rv);
    return rc;
}

/* a document of the caller's own, checked against what the registry holds */
static int row_check(pledger_registry *reg, buf *out)
{
    pledger_application *app = receivable();
    pledger_review *rv = NULL;
    int rc = pledger_application_check(&rv, reg, app);
    pledger_application_free(app);
    if (!rc)
        put_review(out, rv);
    return rc;
}

static void put_pledge(buf *out, const pledger_pledge *p)
{
    char *xml = NULL;
    put(out, pledger_pledge_number(p));
    put(out, pledger_pledge_pledgor_name(p));
    put(out, pledger_pledge_pledgor_id(p));
    put(out, pledger_pledge_pledgee_name(p));
    put(out, pledger_pledge_pledgee_id(p));
    put(out, pledger_pledge_application_uuid(p));
    put(out, pledger_pledge_acceptance_number(p));
    for (size_t i = 0; i < pledger_pledge_right_count(p); i++)
        put(out, pledger_pledge_right_id(p, i));
    PL_OK(NULL, pledger_pledge_to_xml(&xml, p));
    put_own(out, xml);
}

static int row_pledge_get(pledger_registry *reg, buf *out)
{
    for (size_t i = 0; numbers(i); i++) {
        pledger_pledge *p = NULL;
        int rc = pledger_pledge_get(&p, reg, numbers(i));
        if (rc)
            return rc;
        put_pledge(out, p);
        pledger_pledge_free(p);
    }
    return 0;
}

static int row_pledge_get_at(pledger_registry *reg, buf *out)
{
    for (size_t i = 0; numbers(i); i++) {
        pledger_pledge *p = NULL;
        int rc = pledger_pledge_get_at(&p, reg, numbers(i), FX_T0 + FX_DAY_US / 2);
        if (rc)
            return rc;
        put_pledge(out, p);
        pledger_pledge_free(p);
    }
    return 0;
}

static int row_certificate(pledger_registry *reg, buf *out)
{
    for (size_t i = 0; numbers(i); i++) {
        for (int version = 0; version <= 1; version++) { /* current; the first */
            char *xml = NULL;
            int rc = pledger_certificate_get(&xml, reg, numbers(i), version);
            if (rc)
                return rc;
            put_own(out, xml);
        }
    }
    return 0;
}

static int row_verify(pledger_registry *reg, buf *out)
{
    for (size_t i = 0; numbers(i); i++) {
        for (int past = 0; past <= 1; past++) {
            pledger_verify_options o = PLEDGER_VERIFY_OPTIONS_INIT;
            pledger_verification *v = NULL;
            if (past)
                o.as_of = FX_T0 + FX_DAY_US / 2;
            int rc = pledger_verify(&v, reg, numbers(i), &o);
            if (rc)
                return rc;
            put(out, pledger_pledge_number(pledger_verification_pledge(v)));
            put(out, pledger_pledge_pledgor_name(pledger_verification_pledge(v)));
            put(out, pledger_pledge_pledgor_id(pledger_verification_pledge(v)));
            put(out, pledger_pledge_pledgee_name(pledger_verification_pledge(v)));
            put(out, pledger_pledge_pledgee_id(pledger_verification_pledge(v)));
            for (size_t k = 0; k < pledger_pledge_right_count(pledger_verification_pledge(v)); k++)
                put(out, pledger_pledge_right_id(pledger_verification_pledge(v), k));
            pledger_verification_free(v);
        }
    }
    return 0;
}

static int search(pledger_registry *reg, buf *out, const pledger_query *q)
{
    pledger_cursor *cur = NULL;
    int rc = pledger_search(&cur, reg, q);
    if (rc)
        return rc;
    while (pledger_cursor_next(cur) == 1) {
        put(out, pledger_pledge_number(pledger_cursor_pledge(cur)));
        put(out, pledger_pledge_pledgor_name(pledger_cursor_pledge(cur)));
        put(out, pledger_pledge_pledgor_id(pledger_cursor_pledge(cur)));
        put(out, pledger_pledge_pledgee_name(pledger_cursor_pledge(cur)));
        put(out, pledger_pledge_pledgee_id(pledger_cursor_pledge(cur)));
    }
    put(out, pledger_cursor_continuation(cur));
    pledger_cursor_free(cur);
    return 0;
}

static int row_search(pledger_registry *reg, buf *out)
{
    pledger_query q = PLEDGER_QUERY_INIT;
    int rc = search(reg, out, &q); /* everything */
    if (rc)
        return rc;
    q.party_id = PERSON; /* by the person: the hits must not echo the number */
    return search(reg, out, &q);
}

static int row_rank(pledger_registry *reg, buf *out)
{
    int r = 0, rc = pledger_rank(&r, reg, ar, PLEDGER_AS_OF_CURRENT);
    if (rc || (rc = pledger_compare(&r, reg, tm, land)))
        return rc;
    put(out, "ranked");
    return 0;
}

static int row_due(pledger_registry *reg, buf *out)
{
    pledger_due_options o = PLEDGER_DUE_OPTIONS_INIT;
    pledger_due *d = NULL;
    o.within_days = 3650;
    int rc = pledger_due_get(&d, reg, &o);
    if (rc)
        return rc;
    for (size_t i = 0; i < pledger_due_count(d); i++) {
        put(out, pledger_due_subject(d, i));
        put(out, pledger_due_date(d, i));
    }
    pledger_due_free(d);
    return 0;
}

static int row_stats(pledger_registry *reg, buf *out)
{
    pledger_stats_query q = PLEDGER_STATS_QUERY_INIT;
    pledger_stats *s = NULL;
    q.from = "2024-01-01";
    q.to = "2024-12-31";
    int rc = pledger_stats_get(&s, reg, &q);
    if (rc)
        return rc;
    for (size_t i = 0; i < pledger_stats_currency_count(s); i++)
        put(out, pledger_stats_currency(s, i));
    pledger_stats_free(s);
    return 0;
}

static int row_journal(pledger_registry *reg, buf *out)
{
    int64_t bad = -1, count = 0;
    int rc = pledger_journal_verify(&bad, &count, reg);
    if (rc || (rc = pledger_journal_verify_chain(&bad, &count, reg)))
        return rc;
    put(out, "verified");
    return 0;
}

/* a register with rejected records, people among its owners (line
 * numbers and messages are the report) */
static int row_import(pledger_registry *reg, buf *out)
{
    size_t len = 0;
    char *xml = fx_slurp(PLEDGER_TEST_DATADIR "/register-bad.xml", &len);
    pledger_import_report *rep = NULL;
    ck_assert_ptr_nonnull(xml);
    int rc = pledger_register_import_memory(&rep, reg, xml, len, NULL);
    free(xml);
    if (rc)
        return rc;
    for (size_t i = 0; i < pledger_import_report_rejection_count(rep); i++)
        put(out, pledger_import_report_rejection_message(rep, i));
    put(out, pledger_import_report_sha256(rep));
    pledger_import_report_free(rep);
    return 0;
}

enum { NONE = 0, REG = PLEDGER_ROLE_REGISTRAR };
#define B(r) (1u << PLEDGER_ROLE_##r)
#define NOBODY_ELSE (1u << NONE)

/* One row a read call.  masked: the roles (bit 0: no actor) that must
 * never meet an unmasked resident identity number in what it returns;
 * refused: the roles it must refuse (PLEDGER_EPERM); witness: a role that
 * meets one in full here on a read-write handle (the fixture carries a
 * person through this row), 0: none does. */
static const struct row {
    const char *name;
    read_fn fn;
    unsigned masked, refused;
    int witness;
    bool writes; /* refused with PLEDGER_EREADONLY on a read-only handle */
} rows[] = {
    { "application_load (registered)", row_load_registered,
      NOBODY_ELSE | B(APPLICANT) | B(BANK), NOBODY_ELSE | B(APPLICANT) | B(BANK), REG, false },
    { "application_load (draft)", row_load_draft, NOBODY_ELSE | B(APPLICANT) | B(BANK),
      NOBODY_ELSE | B(APPLICANT) | B(BANK), REG, false },
    /* the draft is applicant-1's: applicant-2 may not review it */
    { "application_review", row_review, NOBODY_ELSE | B(APPLICANT) | B(BANK),
      NOBODY_ELSE | B(APPLICANT) | B(REGISTRAR) | B(BANK) | B(AUDITOR), PLEDGER_ROLE_CLERK,
      true },
    { "application_check", row_check, NOBODY_ELSE | B(APPLICANT) | B(BANK), 0, REG, false },
    { "pledge_get", row_pledge_get, NOBODY_ELSE | B(APPLICANT) | B(CLERK) | B(BANK), 0, REG,
      false },
    { "pledge_get_at", row_pledge_get_at, NOBODY_ELSE | B(APPLICANT) | B(CLERK) | B(BANK), 0,
      REG, false },
    { "certificate_get", row_certificate, NOBODY_ELSE | B(APPLICANT) | B(CLERK) | B(BANK), 0,
      REG, false },
    { "verify", row_verify, NOBODY_ELSE | B(APPLICANT) | B(CLERK) | B(BANK), 0, REG, false },
    { "search", row_search, NOBODY_ELSE | B(APPLICANT) | B(CLERK) | B(BANK), 0, REG, false },
    { "rank, compare", row_rank, NOBODY_ELSE | B(APPLICANT) | B(CLERK) | B(BANK), 0, 0,
      false },
    { "due_get", row_due, NOBODY_ELSE | B(APPLICANT) | B(CLERK) | B(BANK),
      NOBODY_ELSE | B(APPLICANT) | B(BANK), 0, false },
    { "stats_get", row_stats, NOBODY_ELSE | B(APPLICANT) | B(CLERK) | B(BANK), 0, 0,
      false },
    { "journal_verify", row_journal, NOBODY_ELSE | B(APPLICANT) | B(CLERK) | B(BANK),
      NOBODY_ELSE | B(APPLICANT) | B(CLERK) | B(BANK), 0, false },
    { "register_import", row_import, NOBODY_ELSE | B(APPLICANT) | B(CLERK) | B(BANK),
      NOBODY_ELSE | B(APPLICANT) | B(CLERK) | B(BANK) | B(AUDITOR), 0, true },
};
#define N_ROWS (sizeof rows / sizeof *rows)

/* The actor of each role: not the filer of the fixture's applications
 * ("applicant-1"), so the applicant row tests somebody else's. */
static const char *const actors[] = { NULL, "applicant-2", "clerk-2", "registrar-2", "bank-2",
                                      "auditor-2" };

/* _i: role (0: no actor) * 2 + read-only */
START_TEST(test_every_read_call)
{
    int role = _i / 2, ro = _i % 2;
    pledger_registry *reg = NULL;

    PL_OK(NULL, fx_open(&reg, path, "FZ01", ro, -1));
    if (role)
        PL_OK(reg, pledger_set_actor(reg, actors[role], (pledger_role)role));
    for (size_t r = 0; r < N_ROWS; r++) {
        const struct row *w = &rows[r];
        buf out = { 0 };
        put(&out, "");
        int rc = w->fn(reg, &out);
        put(&out, pledger_errmsg(reg));
        const char *hit = find_resident(out.s);
        const char *who = role ? actors[role] : "(no actor)";
        if (w->masked & (1u << role))
            ck_assert_msg(!hit, "%s, %s%s: an unmasked resident number reaches it: ...%.40s",
                          w->name, who, ro ? " (read-only)" : "", hit);
        if (w->refused & (1u << role))
            ck_assert_msg(rc == PLEDGER_EPERM || (ro && w->writes && rc == PLEDGER_EREADONLY),
                          "%s, %s%s: expected refused, got %d (%s)", w->name, who,
                          ro ? " (read-only)" : "", rc, pledger_errmsg(reg));
        else if (ro && w->writes)
            ck_assert_msg(rc == PLEDGER_EREADONLY, "%s, %s (read-only): %d (%s)", w->name,
                          who, rc, pledger_errmsg(reg));
        else
            ck_assert_msg(rc == 0, "%s, %s%s: %d (%s)", w->name, who, ro ? " (read-only)" : "",
                          rc, pledger_errmsg(reg));
        /* the fixture carries a person here: the witness sees the number,
         * a masked reader its masked form */
        if (w->witness && role == w->witness && !ro)
            ck_assert_msg(hit, "%s: %s meets no resident number; the row tests nothing",
                          w->name, who);
        if (w->witness && rc == 0 && (w->masked & (1u << role)))
            ck_assert_msg(strstr(out.s, "110105********002"), "%s, %s: no masked number",
                          w->name, who);
        free(out.s);
    }
    pledger_close(reg);
}
END_TEST

/* The applicant who filed an application reads it in full; another
 * applicant, a bank and a caller without an actor are refused. */
START_TEST(test_own_applications)
{
    pledger_registry *reg = NULL;
    buf out = { 0 };

    PL_OK(NULL, fx_open(&reg, path, "FZ01", _i, -1));
    PL_OK(reg, pledger_set_actor(reg, "applicant-1", PLEDGER_ROLE_APPLICANT));
    PL_OK(reg, row_load_draft(reg, &out));
    ck_assert_ptr_nonnull(strstr(out.s, PERSON));
    PL_OK(reg, pledger_set_actor(reg, "applicant-2", PLEDGER_ROLE_APPLICANT));
    PL_FAILS(reg, PLEDGER_EPERM, row_load_draft(reg, &out));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "applicant-2"));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), draft));
    PL_OK(reg, pledger_set_actor(reg, "bank-1", PLEDGER_ROLE_BANK));
    PL_FAILS(reg, PLEDGER_EPERM, row_load_draft(reg, &out));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "bank-1"));
    free(out.s);
    pledger_close(reg);
}
END_TEST

/* The matcher itself: it finds a number anywhere, and not a masked one
 * or one with a wrong check character. */
START_TEST(test_matcher)
{
    ck_assert_ptr_nonnull(find_resident("x " PERSON " y"));
    ck_assert_ptr_nonnull(find_resident("11010519491231002x/ZL-7"));
    ck_assert_ptr_nonnull(find_resident("9" PERSON "9"));
    ck_assert_ptr_null(find_resident("110105********002X"));
    ck_assert_ptr_null(find_resident("110105194912310021"));
    ck_assert_ptr_null(find_resident("110105194913310029")); /* month 13 */
    ck_assert_ptr_null(find_resident("91350100M000100Y43"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("roles-read");
    TCase *tc = tcase_create("read");
    tcase_add_unchecked_fixture(tc, build, unbuild);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_matcher);
    tcase_add_loop_test(tc, test_every_read_call, 0, (PLEDGER_ROLE_AUDITOR + 1) * 2);
    tcase_add_loop_test(tc, test_own_applications, 0, 2);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
