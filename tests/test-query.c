/* The bank queries (include/pledger/query.h): verification with codes,
 * point-in-time answers before, between and after every event, ranks and
 * order, search with every criterion and resumable pages, masking by
 * role, the due list, statistics, argument errors, the query plans, and a
 * read-only reader in another process while a writer registers. */
#include <sqlite3.h>
#include <sys/wait.h>

#include "testutil.h"
#include "store/sqlite.h"
#include "fixture.h"
#include "api/handle.h"
#include "base/date.h"

#include <pledger/application.h>
#include <pledger/pledge.h>
#include <pledger/query.h>

#define HOUR_US INT64_C(3600000000)
/* The snapshot of an answer and of a cursor's hit (the pledge's fields). */
#define VP(v) pledger_verification_pledge(v)
#define CP(c) pledger_cursor_pledge(c)

/* The registry of each test (fx_ck_setup: reg.db in a fresh directory). */
static char *dir, *path;
static pledger_registry *reg;

static void setup(void) { fx_ck_setup(&dir, &path, &reg); }
static void teardown(void) { fx_ck_teardown(dir, path, reg); }

static void act(const char *name, pledger_role role)
{
    PL_OK(reg, pledger_set_actor(reg, name, role));
}

/* Save (with @edit applied: pairs of path, value), review, submit. */
static char *submitted_edit(int kind, const char *const *edit)
{
    pledger_application *app = fx_ck_sample(kind);
    PL_OK(NULL, fx_edit(app, edit));
    PL_OK(reg, fx_submit_app(reg, app));
    char *uuid = strdup(pledger_application_uuid(app));
    pledger_application_free(app);
    return uuid;
}

static char *accepted_edit(int kind, const char *const *edit)
{
    char *uuid = submitted_edit(kind, edit);
    PL_OK(reg, fx_accept(reg, uuid, NULL));
    return uuid;
}

static char *registered_edit(int kind, char **modcode, const char *const *edit)
{
    char *uuid = accepted_edit(kind, edit), *num = NULL;
    PL_OK(reg, fx_register(reg, uuid, &num, modcode));
    free(uuid);
    return num;
}

static char *registered(int kind, char **modcode)
{
    return registered_edit(kind, modcode, NULL);
}

static sqlite3 *raw_open(void)
{
    sqlite3 *h;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    return h;
}

/* The verification code of certificate @version of pledge @number. */
static char *cert_code(const char *number, int version)
{
    sqlite3 *h = raw_open();
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(h,
                                        "SELECT verification_code FROM certificate WHERE"
                                        " pledge_id = (SELECT id FROM pledge WHERE"
                                        " registration_number = ?1) AND version = ?2",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, version);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    char *code = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return code;
}

/* ---- the fixture: all seven kinds, several versions, three pledges on the
 * same receivables ----------------------------------------------------------- */

enum { TM, PT, R1, EQ, EM, SA, LD, R2, R3, NP };

static const char *const names[NP] = { "TM", "PT", "R1", "EQ", "EM", "SA", "LD", "R2", "R3" };
/* registration instants: one hour apart, in this order */
#define REG_AT(i) (FX_T0 + ((i) + 1) * HOUR_US)
/* the events */
#define E_CHANGE_TM (FX_T0 + 1 * FX_DAY_US)  /* TM amount 300000000 -> 350000000 (v2) */
#define E_EXTEND_PT (FX_T0 + 2 * FX_DAY_US)  /* PT period end 2026-03-31 -> 2027-03-31 (v2) */
#define E_CANCEL_R1 (FX_T0 + 3 * FX_DAY_US)  /* R1 cancelled (v2) */
#define E_CHANGE_EQ (FX_T0 + 4 * FX_DAY_US)  /* EQ pledgee renamed (v2) */
#define E_CANCEL_EQ (FX_T0 + 5 * FX_DAY_US)  /* EQ cancelled (v3) */
#define E_OBJECT_R3 (FX_T0 + 6 * FX_DAY_US)  /* R3 under objection (v2) */
#define E_REVOKE_LD (FX_T0 + 7 * FX_DAY_US)  /* LD revoked (v2) */

static const int reg_kind[NP] = {
    PLEDGER_KIND_TRADEMARK, PLEDGER_KIND_PATENT, PLEDGER_KIND_RECEIVABLE, PLEDGER_KIND_EQUITY,
    PLEDGER_KIND_EMISSION, PLEDGER_KIND_SEA_AREA, PLEDGER_KIND_LAND, PLEDGER_KIND_RECEIVABLE,
    PLEDGER_KIND_RECEIVABLE,
};
static const int64_t first_amount[NP] = {
    300000000, 1000000000, 100000000, 800000000, 20000000, 60000000, 30000000, 100000000,
    100000000,
};

static char *num[NP];
static char *modcode[NP];

#define USCC_A "91350100M000100Y43"
#define USCC_B "914403001922038216"
#define RESIDENT_W "11010519491231002X"
#define RESIDENT_W_MASKED "110105********002X"

static void fixture(void)
{
    for (int i = 0; i < NP; i++) {
        fx_now_us = REG_AT(i);
        num[i] = registered(reg_kind[i], &modcode[i]);
    }
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    pledger_change ch = PLEDGER_CHANGE_INIT;
    fx_now_us = E_CHANGE_TM;
    ch.amount = 350000000;
    PL_OK(reg, pledger_pledge_change(reg, num[TM], &ch, NULL));
    fx_now_us = E_EXTEND_PT;
    PL_OK(reg, pledger_pledge_extend(reg, num[PT], "2027-03-31", NULL));
    fx_now_us = E_CANCEL_R1;
    PL_OK(reg, pledger_pledge_cancel(reg, num[R1], modcode[R1], "claim extinguished"));
    fx_now_us = E_CHANGE_EQ;
    ch = (pledger_change)PLEDGER_CHANGE_INIT;
    ch.pledgee_name = "深圳前海商业银行有限公司";
    PL_OK(reg, pledger_pledge_change(reg, num[EQ], &ch, NULL));
    fx_now_us = E_CANCEL_EQ;
    PL_OK(reg, pledger_pledge_cancel(reg, num[EQ], NULL, NULL));
    fx_now_us = E_OBJECT_R3;
    PL_OK(reg, pledger_pledge_object(reg, num[R3], "a creditor of the pledgor", NULL));
    fx_now_us = E_REVOKE_LD;
    PL_OK(reg, pledger_pledge_revoke(reg, num[LD], "CONTRACT_VOID", NULL));
    fx_now_us = FX_T0 + 10 * FX_DAY_US;
}

static void fixture_free(void)
{
    for (int i = 0; i < NP; i++) {
        free(num[i]);
        pledger_free(modcode[i]);
        num[i] = modcode[i] = NULL;
    }
}

static pledger_verification *verify_at(const char *number, int64_t at)
{
    pledger_verify_options o = PLEDGER_VERIFY_OPTIONS_INIT;
    pledger_verification *v = NULL;
    o.as_of = at;
    PL_OK(reg, pledger_verify(&v, reg, number, &o));
    ck_assert_ptr_nonnull(v);
    return v;
}

/* State, version, rank and amount of @number at @at. */
static void expect_at(int i, int64_t at, pledger_pledge_state state, int version, int rank,
                      int64_t amount)
{
    pledger_verification *v = verify_at(num[i], at);
    ck_assert_msg(pledger_pledge_state_of(VP(v)) == state && pledger_pledge_version(VP(v)) ==
                      version && pledger_verification_rank(v) == rank &&
                      pledger_pledge_amount(VP(v)) == amount,
                  "%s at %+lld us: state %d version %d rank %d amount %lld, expected %d %d %d "
                  "%lld", names[i], (long long)(at - FX_T0), pledger_pledge_state_of(VP(v)),
                  pledger_pledge_version(VP(v)), pledger_verification_rank(v),
                  (long long)pledger_pledge_amount(VP(v)), state, version, rank,
                  (long long)amount);
    ck_assert_int_eq(pledger_verification_as_of(v), at);
    ck_assert_int_eq(pledger_pledge_registered_at(VP(v)), REG_AT(i));
    ck_assert_int_eq(pledger_pledge_kind(VP(v)), reg_kind[i]);
    pledger_verification_free(v);
}

static void expect_absent(int i, int64_t at)
{
    pledger_verify_options o = PLEDGER_VERIFY_OPTIONS_INIT;
    pledger_verification *v = (pledger_verification *)&o; /* must be reset to NULL */
    o.as_of = at;
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_verify(&v, reg, num[i], &o));
    ck_assert_ptr_null(v);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), num[i]));
}

/* ---- verification at every instant ------------------------------------------- */

START_TEST(test_verify_timeline)
{
    fixture();
    act("bank-1", PLEDGER_ROLE_BANK);
    const pledger_pledge_state A = PLEDGER_PLEDGE_ACTIVE;

    /* before each registration: not found; at it: version 1, in force */
    for (int i = 0; i < NP; i++) {
        expect_absent(i, REG_AT(i) - 1);
        int rank = i == R2 ? 2 : i == R3 ? 3 : 1;
        expect_at(i, REG_AT(i), A, 1, rank, first_amount[i]);
    }
    /* trademark: changed amount from E_CHANGE_TM on */
    expect_at(TM, E_CHANGE_TM - 1, A, 1, 1, 300000000);
    expect_at(TM, E_CHANGE_TM, A, 2, 1, 350000000);
    expect_at(TM, PLEDGER_AS_OF_CURRENT, A, 2, 1, 350000000);
    /* patent: extended */
    pledger_verification *v = verify_at(num[PT], E_EXTEND_PT - 1);
    ck_assert_str_eq(pledger_pledge_period_start(VP(v)), "2024-04-01");
    ck_assert_str_eq(pledger_pledge_period_end(VP(v)), "2026-03-31");
    ck_assert_int_eq(pledger_pledge_version(VP(v)), 1);
    pledger_verification_free(v);
    v = verify_at(num[PT], E_EXTEND_PT);
    ck_assert_str_eq(pledger_pledge_period_end(VP(v)), "2027-03-31");
    ck_assert_int_eq(pledger_pledge_version(VP(v)), 2);
    ck_assert_int_eq(pledger_pledge_valid_from(VP(v)), E_EXTEND_PT);
    pledger_verification_free(v);
    /* receivables: R1 first until cancelled, then R2 first and R3 second */
    expect_at(R1, E_CANCEL_R1 - 1, A, 1, 1, 100000000);
    expect_at(R2, E_CANCEL_R1 - 1, A, 1, 2, 100000000);
    expect_at(R3, E_CANCEL_R1 - 1, A, 1, 3, 100000000);
    expect_at(R1, E_CANCEL_R1, PLEDGER_PLEDGE_CANCELLED, 2, 0, 100000000);
    expect_at(R2, E_CANCEL_R1, A, 1, 1, 100000000);
    expect_at(R3, E_CANCEL_R1, A, 1, 2, 100000000);
    /* an objection does not release the right: R3 keeps rank 2 */
    expect_at(R3, E_OBJECT_R3 - 1, A, 1, 2, 100000000);
    expect_at(R3, E_OBJECT_R3, PLEDGER_PLEDGE_UNDER_OBJECTION, 2, 2, 100000000);
    expect_at(R3, PLEDGER_AS_OF_CURRENT, PLEDGER_PLEDGE_UNDER_OBJECTION, 2, 2, 100000000);
    expect_at(R1, PLEDGER_AS_OF_CURRENT, PLEDGER_PLEDGE_CANCELLED, 2, 0, 100000000);
    /* each receivable right has its own rank; the pledge's is the largest */
    v = verify_at(num[R3], E_CANCEL_R1 - 1);
    ck_assert_uint_eq(pledger_pledge_right_count(VP(v)), 2);
    ck_assert_str_eq(pledger_pledge_right_id(VP(v), 0), USCC_B "/GY-2024-017");
    ck_assert_ptr_nonnull(strstr(pledger_pledge_right_id(VP(v), 1), "desc:"));
    ck_assert_int_eq(pledger_verification_right_rank(v, 0), 3);
    ck_assert_int_eq(pledger_verification_right_rank(v, 1), 3);
    ck_assert_int_eq(pledger_verification_right_rank(v, 2), 0);
    ck_assert_ptr_null(pledger_pledge_right_id(VP(v), 2));
    pledger_verification_free(v);
    /* equity: renamed pledgee, then cancelled */
    v = verify_at(num[EQ], E_CHANGE_EQ - 1);
    ck_assert_str_eq(pledger_pledge_pledgee_name(VP(v)), "深圳前海商业银行股份有限公司");
    pledger_verification_free(v);
    expect_at(EQ, E_CHANGE_EQ, A, 2, 1, 800000000);
    v = verify_at(num[EQ], E_CHANGE_EQ);
    ck_assert_str_eq(pledger_pledge_pledgee_name(VP(v)), "深圳前海商业银行有限公司");
    pledger_verification_free(v);
    expect_at(EQ, E_CANCEL_EQ, PLEDGER_PLEDGE_CANCELLED, 3, 0, 800000000);
    /* land: revoked */
    expect_at(LD, E_REVOKE_LD - 1, A, 1, 1, 30000000);
    expect_at(LD, E_REVOKE_LD, PLEDGER_PLEDGE_REVOKED, 2, 0, 30000000);
    /* untouched kinds stay at version 1 */
    expect_at(EM, PLEDGER_AS_OF_CURRENT, A, 1, 1, 20000000);
    expect_at(SA, PLEDGER_AS_OF_CURRENT, A, 1, 1, 60000000);

    /* the whole answer of one pledge */
    v = verify_at(num[TM], PLEDGER_AS_OF_CURRENT);
    ck_assert_str_eq(pledger_pledge_number(VP(v)), num[TM]);
    ck_assert_str_eq(pledger_pledge_security(VP(v)), "pledge");
    ck_assert_str_eq(pledger_pledge_pledgor_name(VP(v)), "福建闽江食品有限公司");
    ck_assert_str_eq(pledger_pledge_pledgor_id(VP(v)), USCC_A);
    ck_assert_str_eq(pledger_pledge_pledgee_name(VP(v)), "深圳前海商业银行股份有限公司");
    ck_assert_str_eq(pledger_pledge_pledgee_id(VP(v)), USCC_B);
    ck_assert_str_eq(pledger_pledge_currency(VP(v)), "CNY");
    ck_assert_str_eq(pledger_pledge_period_start(VP(v)), "2024-03-01");
    ck_assert_str_eq(pledger_pledge_period_end(VP(v)), "2027-02-28");
    ck_assert_uint_eq(pledger_pledge_right_count(VP(v)), 2);
    ck_assert_str_eq(pledger_pledge_right_id(VP(v), 0), "12345678");
    ck_assert_str_eq(pledger_pledge_right_id(VP(v), 1), "7654321");
    ck_assert_int_eq(pledger_pledge_valid_from(VP(v)), E_CHANGE_TM);
    ck_assert_int_eq(pledger_verification_as_of(v), PLEDGER_AS_OF_CURRENT);
    ck_assert_int_eq(pledger_verification_code_status(v), PLEDGER_CODE_NOT_GIVEN);
    ck_assert_int_eq(pledger_verification_code_version(v), 0);
    pledger_verification_free(v);
    v = verify_at(num[SA], PLEDGER_AS_OF_CURRENT);
    ck_assert_str_eq(pledger_pledge_security(VP(v)), "mortgage");
    pledger_verification_free(v);
    v = verify_at(num[PT], PLEDGER_AS_OF_CURRENT);
    ck_assert_str_eq(pledger_pledge_right_id(VP(v), 0), "201310699744.2");
    ck_assert_str_eq(pledger_pledge_right_id(VP(v), 1), "201080063196.9");
    pledger_verification_free(v);

    /* the default options are the current versions */
    PL_OK(reg, pledger_verify(&v, reg, num[R2], NULL));
    ck_assert_int_eq(pledger_verification_rank(v), 1);
    pledger_verification_free(v);
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_verify(&v, reg, "R-FZ01-TM-2024-999999", NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "R-FZ01-TM-2024-999999"));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "pledger_verify"));
    fixture_free();
}
END_TEST

/* ---- verification codes ----------------------------------------------------------- */

static pledger_verification *verify_code(const char *number, const char *code, int64_t at, int rc)
{
    pledger_verify_options o = PLEDGER_VERIFY_OPTIONS_INIT;
    pledger_verification *v = NULL;
    o.code = code;
    o.as_of = at;
    PL_FAILS(reg, rc, pledger_verify(&v, reg, number, &o));
    if (rc)
        ck_assert_ptr_null(v);
    return v;
}

START_TEST(test_verify_codes)
{
    fixture();
    act("bank-1", PLEDGER_ROLE_BANK);
    char *c1 = cert_code(num[TM], 1), *c2 = cert_code(num[TM], 2);
    ck_assert_str_ne(c1, c2);
    ck_assert_uint_eq(strlen(c1), 19);

    /* the current certificate */
    pledger_verification *v = verify_code(num[TM], c2, PLEDGER_AS_OF_CURRENT, 0);
    ck_assert_int_eq(pledger_verification_code_status(v), PLEDGER_CODE_MATCHED);
    ck_assert_int_eq(pledger_verification_code_version(v), 2);
    ck_assert_int_eq(pledger_verification_code_superseded_at(v), 0);
    ck_assert_int_eq(pledger_pledge_version(VP(v)), 2);
    pledger_verification_free(v);
    /* case, spaces, full-width forms and dashes do not matter */
    char loose[64];
    snprintf(loose, sizeof loose, " %.4s %.4s%.4s %.4s ", c2, c2 + 5, c2 + 10, c2 + 15);
    for (char *p = loose; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    v = verify_code(num[TM], loose, PLEDGER_AS_OF_CURRENT, 0);
    ck_assert_int_eq(pledger_verification_code_status(v), PLEDGER_CODE_MATCHED);
    pledger_verification_free(v);
    /* the first certificate: superseded by the change, and it says so */
    v = verify_code(num[TM], c1, PLEDGER_AS_OF_CURRENT, 0);
    ck_assert_int_eq(pledger_verification_code_status(v), PLEDGER_CODE_SUPERSEDED);
    ck_assert_int_eq(pledger_verification_code_version(v), 1);
    ck_assert_int_eq(pledger_verification_code_superseded_at(v), E_CHANGE_TM);
    ck_assert_int_eq(pledger_pledge_version(VP(v)), 2); /* the answer is the current one */
    ck_assert_int_eq(pledger_pledge_amount(VP(v)), 350000000);
    pledger_verification_free(v);
    /* ... but it was the valid one before the change */
    v = verify_code(num[TM], c1, E_CHANGE_TM - 1, 0);
    ck_assert_int_eq(pledger_verification_code_status(v), PLEDGER_CODE_MATCHED);
    ck_assert_int_eq(pledger_pledge_version(VP(v)), 1);
    pledger_verification_free(v);
    /* the second certificate did not exist yet then */
    verify_code(num[TM], c2, E_CHANGE_TM - 1, PLEDGER_ECODE);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "version 2"));
    /* a wrong code never yields an answer */
    verify_code(num[TM], "AAAA-AAAA-AAAA-AAAA", PLEDGER_AS_OF_CURRENT, PLEDGER_ECODE);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), num[TM]));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "not that of any certificate"));
    /* nor does the genuine code of another pledge */
    char *other = cert_code(num[EM], 1);
    verify_code(num[TM], other, PLEDGER_AS_OF_CURRENT, PLEDGER_ECODE);
    v = verify_code(num[EM], other, PLEDGER_AS_OF_CURRENT, 0);
    ck_assert_int_eq(pledger_verification_code_status(v), PLEDGER_CODE_MATCHED);
    pledger_verification_free(v);
    /* one character off */
    char off[20];
    snprintf(off, sizeof off, "%s", c2);
    off[18] = off[18] == '0' ? '1' : '0';
    verify_code(num[TM], off, PLEDGER_AS_OF_CURRENT, PLEDGER_ECODE);
    /* a cancelled pledge keeps its last certificate: matched, state cancelled */
    char *r1 = cert_code(num[R1], 1);
    v = verify_code(num[R1], r1, PLEDGER_AS_OF_CURRENT, 0);
    ck_assert_int_eq(pledger_verification_code_status(v), PLEDGER_CODE_MATCHED);
    ck_assert_int_eq(pledger_pledge_state_of(VP(v)), PLEDGER_PLEDGE_CANCELLED);
    ck_assert_int_eq(pledger_verification_rank(v), 0);
    pledger_verification_free(v);
    /* malformed codes are argument errors naming the field */
    verify_code(num[TM], "ABC", PLEDGER_AS_OF_CURRENT, PLEDGER_EINVAL);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "opts->code"));
    verify_code(num[TM], "AAAA-AAAA-AAAA-AAA!", PLEDGER_AS_OF_CURRENT, PLEDGER_EINVAL);
    verify_code(num[TM], "", PLEDGER_AS_OF_CURRENT, PLEDGER_EINVAL);
    /* a code for an unknown number: not found */
    verify_code("R-NOPE", c2, PLEDGER_AS_OF_CURRENT, PLEDGER_ENOTFOUND);
    free(c1);
    free(c2);
    free(other);
    free(r1);
    fixture_free();
}
END_TEST

/* ---- rank and compare --------------------------------------------------------------- */

START_TEST(test_rank_compare)
{
    int r = -1;
    fixture();
    act("bank-1", PLEDGER_ROLE_BANK);
    static const struct {
        int i;
        int64_t at;
        int rank;
    } cases[] = {
        { R1, REG_AT(R1), 1 }, { R1, E_CANCEL_R1 - 1, 1 }, { R1, E_CANCEL_R1, 0 },
        { R2, REG_AT(R2), 2 }, { R2, E_CANCEL_R1 - 1, 2 }, { R2, E_CANCEL_R1, 1 },
        { R3, REG_AT(R3), 3 }, { R3, E_CANCEL_R1, 2 },     { R3, E_OBJECT_R3, 2 },
        { TM, REG_AT(TM), 1 }, { EQ, E_CANCEL_EQ - 1, 1 }, { EQ, E_CANCEL_EQ, 0 },
        { LD, E_REVOKE_LD, 0 }, { SA, PLEDGER_AS_OF_CURRENT, 1 },
        { R2, PLEDGER_AS_OF_CURRENT, 1 }, { R3, PLEDGER_AS_OF_CURRENT, 2 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        PL_OK(reg, pledger_rank(&r, reg, num[cases[k].i], cases[k].at));
        ck_assert_msg(r == cases[k].rank, "%s at %+lld: rank %d, expected %d",
                      names[cases[k].i], (long long)(cases[k].at - FX_T0), r, cases[k].rank);
    }
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_rank(&r, reg, num[R2], REG_AT(R2) - 1));
    ck_assert_int_eq(r, 0);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "did not exist at that instant"));
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_rank(&r, reg, "R-NOPE", PLEDGER_AS_OF_CURRENT));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "R-NOPE"));

    PL_OK(reg, pledger_compare(&r, reg, num[R1], num[R2]));
    ck_assert_int_eq(r, -1);
    PL_OK(reg, pledger_compare(&r, reg, num[R3], num[R2]));
    ck_assert_int_eq(r, 1);
    PL_OK(reg, pledger_compare(&r, reg, num[R2], num[R2]));
    ck_assert_int_eq(r, 0);
    PL_OK(reg, pledger_compare(&r, reg, num[TM], num[R3])); /* any two registrations */
    ck_assert_int_eq(r, -1);
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_compare(&r, reg, num[R1], "R-NOPE"));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "R-NOPE"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_compare(&r, reg, num[R1], NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "number_b"));
    fixture_free();
}
END_TEST

START_TEST(test_same_instant_ranks_by_sequence)
{
    /* two receivable pledges registered at the same instant: the one
     * registered first (lower sequence) ranks first */
    char *a = registered(PLEDGER_KIND_RECEIVABLE, NULL);
    char *b = registered(PLEDGER_KIND_RECEIVABLE, NULL);
    int r = 0;
    PL_OK(reg, pledger_compare(&r, reg, a, b));
    ck_assert_int_eq(r, -1);
    PL_OK(reg, pledger_compare(&r, reg, b, a));
    ck_assert_int_eq(r, 1);
    PL_OK(reg, pledger_rank(&r, reg, a, FX_T0));
    ck_assert_int_eq(r, 1);
    PL_OK(reg, pledger_rank(&r, reg, b, FX_T0));
    ck_assert_int_eq(r, 2);
    /* pages resume exactly between registrations of the same instant */
    char *c = registered(PLEDGER_KIND_RECEIVABLE, NULL);
    const char *order[] = { a, b, c };
    pledger_query q = PLEDGER_QUERY_INIT;
    pledger_cursor *cur = NULL;
    char token[64] = "";
    q.page_size = 1;
    for (int party = 0; party < 2; party++) {
        q.party_id = party ? USCC_B : NULL; /* the kind plan, then the party plan */
        q.kind = party ? 0 : PLEDGER_KIND_RECEIVABLE;
        for (int i = 0; i < 3; i++) {
            q.after = i ? token : NULL;
            PL_OK(reg, pledger_search(&cur, reg, &q));
            ck_assert_int_eq(pledger_cursor_next(cur), 1);
            ck_assert_str_eq(pledger_pledge_number(CP(cur)), order[i]);
            if (i < 2)
                strcpy(token, pledger_cursor_continuation(cur));
            else
                ck_assert_ptr_null(pledger_cursor_continuation(cur));
            pledger_cursor_free(cur);
        }
    }
    free(a);
    free(b);
    free(c);
}
END_TEST

/* ---- search ----------------------------------------------------------------------- */

/* The hits of a whole search (every page) as "TM PT R1 ...", with
 * "=" after a hit marked exact and "~" after one marked similar. */
static char *search_all(pledger_query q)
{
    static char out[512];
    pledger_cursor *cur = NULL;
    char token[64] = "";
    out[0] = '\0';
    for (int pages = 0;; pages++) {
        ck_assert_int_lt(pages, 100);
        q.after = token[0] ? token : NULL;
        PL_OK(reg, pledger_search(&cur, reg, &q));
        ck_assert_uint_le(pledger_cursor_count(cur), q.page_size ? (size_t)q.page_size : 100);
        while (pledger_cursor_next(cur) == 1) {
            const char *n = pledger_pledge_number(CP(cur));
            int i = 0;
            while (i < NP && (!num[i] || strcmp(num[i], n) != 0))
                i++;
            ck_assert_int_lt(i, NP);
            if (out[0])
                strcat(out, " ");
            strcat(out, names[i]);
            if (pledger_cursor_name_match(cur) == PLEDGER_NAME_MATCH_EXACT)
                strcat(out, "=");
            else if (pledger_cursor_name_match(cur) == PLEDGER_NAME_MATCH_SIMILAR)
                strcat(out, "~");
        }
        ck_assert_int_eq(pledger_cursor_next(cur), 0);
        const char *t = pledger_cursor_continuation(cur);
        if (!t) {
            pledger_cursor_free(cur);
            return out;
        }
        ck_assert_uint_lt(strlen(t), sizeof token);
        strcpy(token, t);
        pledger_cursor_free(cur);
    }
}

static void expect_search(pledger_query q, const char *expected)
{
    for (int size = 0; size <= 3; size++) { /* the same hits whatever the page size */
        q.page_size = size;
        const char *got = search_all(q);
        ck_assert_msg(strcmp(got, expected) == 0, "page size %d: got '%s', expected '%s'",
                      size, got, expected);
    }
}

START_TEST(test_search_criteria)
{
    fixture();
    act("bank-1", PLEDGER_ROLE_BANK);
    pledger_query q = PLEDGER_QUERY_INIT;

    /* no criterion: every pledge, in registration order */
    expect_search(q, "TM PT R1 EQ EM SA LD R2 R3");
    q.as_of = REG_AT(R1);
    expect_search(q, "TM PT R1");
    q.as_of = REG_AT(TM) - 1;
    expect_search(q, "");

    /* by right, normalised per kind */
    static const struct {
        int kind;
        const char *id;
        const char *hits;
    } rights[] = {
        { PLEDGER_KIND_TRADEMARK, "12345678", "TM" },
        { PLEDGER_KIND_TRADEMARK, " ７６５４３２１ ", "TM" },
        { PLEDGER_KIND_TRADEMARK, "1234567", "" },
        { PLEDGER_KIND_PATENT, "ZL 201310699744.2", "PT" },
        { PLEDGER_KIND_PATENT, "CN2010800631969", "PT" },
        { PLEDGER_KIND_RECEIVABLE, USCC_B "/gy-2024-017", "R1 R2 R3" },
        { PLEDGER_KIND_RECEIVABLE, "９１４４０３００１９２２０３８２１６", "R1 R2 R3" },
        { PLEDGER_KIND_RECEIVABLE, USCC_B "/GY-2024-018", "" },
        { PLEDGER_KIND_RECEIVABLE, USCC_A, "" },
        { PLEDGER_KIND_EQUITY, "91350100m000100y43", "EQ" },
        { PLEDGER_KIND_EQUITY, USCC_A "/" RESIDENT_W, "EQ" },
        { PLEDGER_KIND_EQUITY, USCC_A "/" USCC_B, "" },
        { PLEDGER_KIND_EMISSION, "91350100m000100y43001p", "EM" },
        { PLEDGER_KIND_SEA_AREA, "国海证 2019B35010200123", "SA" },
        { PLEDGER_KIND_LAND, "J110118201800123", "LD" },
        { PLEDGER_KIND_LAND, "国海证 2019B35010200123", "" },
        /* as typed in full width (U+FF01..U+FF5E) and with ideographic
         * spaces, the '/' between a receivable's or a share's two parts too */
        { PLEDGER_KIND_TRADEMARK, "\xe7\xac\xac\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96\xef\xbc\x97\xef\xbc\x98\xe5\x8f\xb7", "TM" }, /* 第１２３４５６７８号 */
        { PLEDGER_KIND_TRADEMARK, " \xe3\x80\x80\xef\xbc\x97\xef\xbc\x96\xef\xbc\x95\xef\xbc\x94\xef\xbc\x93\xef\xbc\x92\xef\xbc\x91\xe3\x80\x80 ", "TM" }, /* ideographic spaces */
        { PLEDGER_KIND_PATENT, "\xef\xbc\xba\xef\xbc\xac\xef\xbc\x92\xef\xbc\x90\xef\xbc\x91\xef\xbc\x93\xef\xbc\x91\xef\xbc\x90\xef\xbc\x96\xef\xbc\x99\xef\xbc\x99\xef\xbc\x97\xef\xbc\x94\xef\xbc\x94\xef\xbc\x8e\xef\xbc\x92", "PT" }, /* ＺＬ２０１３１０６９９７４４．２ */
        { PLEDGER_KIND_PATENT, "\xef\xbc\xa3\xef\xbc\xae\xe3\x80\x80\xef\xbc\x92\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x98\xef\xbc\x90\xef\xbc\x90\xef\xbc\x96\xef\xbc\x93\xef\xbc\x91\xef\xbc\x99\xef\xbc\x96\xef\xbc\x99", "PT" }, /* ＣＮ　… */
        { PLEDGER_KIND_RECEIVABLE, "\xef\xbc\x99\xef\xbc\x91\xef\xbc\x94\xef\xbc\x94\xef\xbc\x90\xef\xbc\x93\xef\xbc\x90\xef\xbc\x90\xef\xbc\x91\xef\xbc\x99\xef\xbc\x92\xef\xbc\x92\xef\xbc\x90\xef\xbc\x93\xef\xbc\x98\xef\xbc\x92\xef\xbc\x91\xef\xbc\x96\xef\xbc\x8f\xef\xbc\xa7\xef\xbc\xb9\xef\xbc\x8d\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94\xef\xbc\x8d\xef\xbc\x90\xef\xbc\x91\xef\xbc\x97", "R1 R2 R3" }, /* …／ＧＹ－２０２４－０１７ */
        { PLEDGER_KIND_RECEIVABLE, "914403001922038216\xef\xbc\x8fgy\xef\xbc\x8d" "2024-017", "R1 R2 R3" }, /* …／gy－2024-017 */
        { PLEDGER_KIND_RECEIVABLE, "914403001922038216\xef\xbc\x8fGY-2024-018", "" }, /* another contract */
        { PLEDGER_KIND_EQUITY, "\xef\xbc\x99\xef\xbc\x91\xef\xbc\x93\xef\xbc\x95\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x90\xef\xbc\xad\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x90\xef\xbc\xb9\xef\xbc\x94\xef\xbc\x93\xef\xbc\x8f\xef\xbc\x91\xef\xbc\x91\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x95\xef\xbc\x91\xef\xbc\x99\xef\xbc\x94\xef\xbc\x99\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x91\xef\xbc\x90\xef\xbc\x90\xef\xbc\x92\xef\xbc\xb8", "EQ" }, /* …／… */
        { PLEDGER_KIND_EQUITY, "91350100M000100Y43\xef\xbc\x8f" "914403001922038216", "" }, /* another pledgor */
        { PLEDGER_KIND_EMISSION, "\xef\xbc\x99\xef\xbc\x91\xef\xbc\x93\xef\xbc\x95\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x90\xef\xbd\x8d\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x90\xef\xbd\x99\xef\xbc\x94\xef\xbc\x93\xef\xbc\x90\xef\xbc\x90\xef\xbc\x91\xef\xbd\x90", "EM" }, /* ｍ…ｐ */
        { PLEDGER_KIND_SEA_AREA, "\xe5\x9b\xbd\xe6\xb5\xb7\xe8\xaf\x81\xe3\x80\x80\xef\xbc\x92\xef\xbc\x90\xef\xbc\x91\xef\xbc\x99\xef\xbc\xa2\xef\xbc\x93\xef\xbc\x95\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x92\xef\xbc\x90\xef\xbc\x90\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93", "SA" }, /* 国海证　… */
        { PLEDGER_KIND_LAND, "\xef\xbc\xaa\xef\xbc\x91\xef\xbc\x91\xef\xbc\x90\xef\xbc\x91\xef\xbc\x91\xef\xbc\x98\xef\xbc\x92\xef\xbc\x90\xef\xbc\x91\xef\xbc\x98\xef\xbc\x90\xef\xbc\x90\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93", "LD" }, /* Ｊ… */
    };
    for (size_t k = 0; k < sizeof rights / sizeof rights[0]; k++) {
        q = (pledger_query)PLEDGER_QUERY_INIT;
        q.kind = rights[k].kind;
        q.right_id = rights[k].id;
        expect_search(q, rights[k].hits);
    }
    /* the description key of a receivable without contract number */
    pledger_verification *v = verify_at(num[R1], PLEDGER_AS_OF_CURRENT);
    char desc[80];
    snprintf(desc, sizeof desc, "%s", pledger_pledge_right_id(VP(v), 1));
    pledger_verification_free(v);
    for (char *p = desc + 5; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.kind = PLEDGER_KIND_RECEIVABLE;
    q.right_id = desc;
    expect_search(q, "R1 R2 R3");
    char desc_fw[160]; /* "ｄｅｓｃ：" and the key */
    snprintf(desc_fw, sizeof desc_fw, "\xef\xbd\x84\xef\xbd\x85\xef\xbd\x93\xef\xbd\x83"
             "\xef\xbc\x9a%s", desc + 5);
    q.right_id = desc_fw;
    expect_search(q, "R1 R2 R3");
    q.right_id = desc;
    q.as_of = REG_AT(R2);
    expect_search(q, "R1 R2");

    /* by kind and by state, at instants */
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.kind = PLEDGER_KIND_RECEIVABLE;
    expect_search(q, "R1 R2 R3");
    q.state = PLEDGER_PLEDGE_ACTIVE;
    expect_search(q, "R2");
    q.as_of = E_OBJECT_R3 - 1;
    expect_search(q, "R2 R3");
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.state = PLEDGER_PLEDGE_ACTIVE;
    expect_search(q, "TM PT EM SA R2");
    q.state = PLEDGER_PLEDGE_CANCELLED;
    expect_search(q, "R1 EQ");
    q.as_of = E_CANCEL_EQ - 1;
    expect_search(q, "R1");
    q.as_of = PLEDGER_AS_OF_CURRENT;
    q.state = PLEDGER_PLEDGE_REVOKED;
    expect_search(q, "LD");
    q.state = PLEDGER_PLEDGE_UNDER_OBJECTION;
    expect_search(q, "R3");

    /* by party identifier, exact, on either side or one */
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.party_id = USCC_A;
    expect_search(q, "TM PT R1 EM SA LD R2 R3");
    q.party_side = PLEDGER_PARTY_PLEDGOR;
    expect_search(q, "TM R1 EM SA R2 R3");
    q.party_side = PLEDGER_PARTY_PLEDGEE;
    expect_search(q, "PT LD");
    q.party_id = "９１４４０３００１９２２０３８２１６"; /* full-width: normalised */
    expect_search(q, "TM R1 EQ EM SA R2 R3");
    q.party_side = PLEDGER_PARTY_PLEDGOR;
    expect_search(q, "PT");
    q.party_side = PLEDGER_PARTY_EITHER;
    expect_search(q, "TM PT R1 EQ EM SA R2 R3");
    q.party_id = "110105 19491231 002x";
    expect_search(q, "EQ LD");
    q.party_id = "91350100M000100Y43"; /* combined with state and kind */
    q.state = PLEDGER_PLEDGE_ACTIVE;
    expect_search(q, "TM PT EM SA R2");
    q.kind = PLEDGER_KIND_RECEIVABLE;
    expect_search(q, "R2");
    q.as_of = REG_AT(R3);
    expect_search(q, "R1 R2 R3");
    q.party_id = "E12345678"; /* a passport: valid, no pledge */
    expect_search(q, "");

    /* by party name: same key; exact when the folded names are equal */
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.party_name = "福建闽江食品有限公司";
    expect_search(q, "TM= R1= EM= SA= R2= R3=");
    q.party_name = "  福建闽江食品股份有限公司 ";
    expect_search(q, "TM~ R1~ EM~ SA~ R2~ R3~");
    q.party_name = "深圳前海商业银行股份有限公司";
    q.party_side = PLEDGER_PARTY_PLEDGEE;
    expect_search(q, "TM= R1= EQ~ EM= SA= R2= R3=");
    q.as_of = E_CHANGE_EQ - 1;
    expect_search(q, "TM= R1= EQ= EM= SA= R2= R3=");
    q.party_side = PLEDGER_PARTY_PLEDGOR;
    expect_search(q, "");
    q.as_of = PLEDGER_AS_OF_CURRENT;
    q.party_side = PLEDGER_PARTY_EITHER;
    q.party_name = "王芳";
    expect_search(q, "EQ= LD=");
    q.party_id = RESIDENT_W; /* name and identifier of the same party */
    expect_search(q, "EQ= LD=");
    q.party_id = USCC_A;
    expect_search(q, "");

    /* registration-date range, in the registry's calendar days */
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.registered_from = "2024-04-01";
    q.registered_to = "2024-04-01";
    expect_search(q, "TM PT R1 EQ EM SA LD R2 R3");
    q.registered_from = "2024-04-02";
    q.registered_to = NULL;
    expect_search(q, "");
    q.registered_from = NULL;
    q.registered_to = "2024-03-31";
    expect_search(q, "");
    q.registered_to = "2024-04-01";
    q.kind = PLEDGER_KIND_LAND;
    expect_search(q, "LD");

    /* the hit's fields, from the version valid at the instant */
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.kind = PLEDGER_KIND_TRADEMARK;
    q.as_of = E_CHANGE_TM - 1;
    pledger_cursor *cur = NULL;
    PL_OK(reg, pledger_search(&cur, reg, &q));
    ck_assert_ptr_null(pledger_pledge_number(CP(cur))); /* not yet on a hit */
    ck_assert_int_eq(pledger_cursor_next(cur), 1);
    ck_assert_str_eq(pledger_pledge_number(CP(cur)), num[TM]);
    ck_assert_int_eq(pledger_pledge_kind(CP(cur)), PLEDGER_KIND_TRADEMARK);
    ck_assert_int_eq(pledger_pledge_state_of(CP(cur)), PLEDGER_PLEDGE_ACTIVE);
    ck_assert_int_eq(pledger_pledge_version(CP(cur)), 1);
    ck_assert_int_eq(pledger_pledge_amount(CP(cur)), 300000000);
    ck_assert_int_eq(pledger_pledge_registered_at(CP(cur)), REG_AT(TM));
    ck_assert_str_eq(pledger_pledge_currency(CP(cur)), "CNY");
    ck_assert_str_eq(pledger_pledge_period_start(CP(cur)), "2024-03-01");
    ck_assert_str_eq(pledger_pledge_period_end(CP(cur)), "2027-02-28");
    ck_assert_str_eq(pledger_pledge_pledgor_name(CP(cur)), "福建闽江食品有限公司");
    ck_assert_str_eq(pledger_pledge_pledgor_id(CP(cur)), USCC_A);
    ck_assert_str_eq(pledger_pledge_pledgee_name(CP(cur)), "深圳前海商业银行股份有限公司");
    ck_assert_str_eq(pledger_pledge_pledgee_id(CP(cur)), USCC_B);
    ck_assert_int_eq(pledger_cursor_name_match(cur), PLEDGER_NAME_MATCH_NONE);
    ck_assert_int_eq(pledger_cursor_next(cur), 0);
    ck_assert_ptr_null(pledger_pledge_number(CP(cur)));
    ck_assert_int_eq(pledger_cursor_next(cur), 0);
    ck_assert_ptr_null(pledger_cursor_continuation(cur));
    pledger_cursor_free(cur);
    fixture_free();
}
END_TEST

/* ---- pages ------------------------------------------------------------------------ */

START_TEST(test_pagination)
{
    fixture();
    act("bank-1", PLEDGER_ROLE_BANK);
    pledger_query q = PLEDGER_QUERY_INIT;
    pledger_cursor *cur = NULL;
    const char *const expected[] = { "TM PT", "R1 EQ", "EM SA", "LD R2", "R3" };
    char token[64] = "", first_token[64];
    q.page_size = 2;
    for (int page = 0; page < 5; page++) {
        char got[64] = "";
        q.after = page ? token : NULL;
        PL_OK(reg, pledger_search(&cur, reg, &q));
        while (pledger_cursor_next(cur) == 1) {
            for (int i = 0; i < NP; i++)
                if (strcmp(num[i], pledger_pledge_number(CP(cur))) == 0) {
                    if (got[0])
                        strcat(got, " ");
                    strcat(got, names[i]);
                }
        }
        ck_assert_str_eq(got, expected[page]);
        const char *t = pledger_cursor_continuation(cur);
        if (page < 4) {
            ck_assert_ptr_nonnull(t);
            strcpy(token, t);
            if (page == 0)
                strcpy(first_token, t);
        } else {
            ck_assert_ptr_null(t);
        }
        pledger_cursor_free(cur);
    }
    /* a page that ends exactly at the last hit has no continuation */
    q.page_size = 9;
    q.after = NULL;
    PL_OK(reg, pledger_search(&cur, reg, &q));
    ck_assert_uint_eq(pledger_cursor_count(cur), 9);
    ck_assert_ptr_null(pledger_cursor_continuation(cur));
    pledger_cursor_free(cur);
    q.page_size = 8;
    PL_OK(reg, pledger_search(&cur, reg, &q));
    ck_assert_uint_eq(pledger_cursor_count(cur), 8);
    ck_assert_ptr_nonnull(pledger_cursor_continuation(cur));
    pledger_cursor_free(cur);

    /* resuming after registrations made in between: they come at the end */
    fx_now_us = FX_T0 + 20 * FX_DAY_US;
    char *r4 = registered(PLEDGER_KIND_RECEIVABLE, NULL);
    act("bank-1", PLEDGER_ROLE_BANK);
    q.page_size = 100;
    q.after = first_token;
    PL_OK(reg, pledger_search(&cur, reg, &q));
    ck_assert_uint_eq(pledger_cursor_count(cur), 8);
    ck_assert_int_eq(pledger_cursor_next(cur), 1);
    ck_assert_str_eq(pledger_pledge_number(CP(cur)), num[R1]);
    for (int i = 0; i < 7; i++)
        ck_assert_int_eq(pledger_cursor_next(cur), 1);
    ck_assert_str_eq(pledger_pledge_number(CP(cur)), r4);
    pledger_cursor_free(cur);
    /* ... unless the search is pinned to an instant */
    q.as_of = FX_T0 + 10 * FX_DAY_US;
    PL_OK(reg, pledger_search(&cur, reg, &q));
    ck_assert_uint_eq(pledger_cursor_count(cur), 7);
    pledger_cursor_free(cur);
    /* the same token resumes the party-driven plans too */
    q.as_of = PLEDGER_AS_OF_CURRENT;
    q.party_id = USCC_B;
    q.page_size = 3;
    q.after = NULL;
    PL_OK(reg, pledger_search(&cur, reg, &q));
    ck_assert_uint_eq(pledger_cursor_count(cur), 3); /* TM PT R1 */
    strcpy(token, pledger_cursor_continuation(cur));
    pledger_cursor_free(cur);
    q.after = token;
    q.page_size = 100;
    PL_OK(reg, pledger_search(&cur, reg, &q));
    ck_assert_uint_eq(pledger_cursor_count(cur), 6); /* EQ EM SA R2 R3 R4 */
    ck_assert_int_eq(pledger_cursor_next(cur), 1);
    ck_assert_str_eq(pledger_pledge_number(CP(cur)), num[EQ]);
    pledger_cursor_free(cur);
    free(r4);
    fixture_free();
}
END_TEST

/* ---- privacy ---------------------------------------------------------------------- */

START_TEST(test_masking_by_role)
{
    static const char *const person_debtor[] = { "rights/right[2]/contract_number", "zl-7",
                                                 NULL };
    fixture();
    fx_now_us = FX_T0 + 11 * FX_DAY_US;
    char *rp = registered_edit(PLEDGER_KIND_RECEIVABLE, NULL, person_debtor);
    for (int role = 0; role <= PLEDGER_ROLE_AUDITOR; role++) {
        if (role)
            act("someone", (pledger_role)role);
        else
            reg->role = (pledger_role)0; /* no actor set yet: masked too */
        int whole = role == PLEDGER_ROLE_REGISTRAR || role == PLEDGER_ROLE_AUDITOR;
        const char *id = whole ? RESIDENT_W : RESIDENT_W_MASKED;
        const char *right = whole ? RESIDENT_W "/ZL-7" : RESIDENT_W_MASKED "/ZL-7";

        pledger_verification *v = verify_at(num[EQ], PLEDGER_AS_OF_CURRENT);
        ck_assert_str_eq(pledger_pledge_pledgor_id(VP(v)), id);
        ck_assert_str_eq(pledger_pledge_pledgee_id(VP(v)), USCC_B); /* not a person */
        ck_assert_str_eq(pledger_pledge_right_id(VP(v), 0), USCC_A); /* the company */
        pledger_verification_free(v);
        /* a receivable owed by a natural person names her in its identifier */
        v = verify_at(rp, PLEDGER_AS_OF_CURRENT);
        ck_assert_str_eq(pledger_pledge_right_id(VP(v), 0), USCC_B "/GY-2024-017");
        ck_assert_str_eq(pledger_pledge_right_id(VP(v), 1), right);
        pledger_verification_free(v);

        pledger_query q = PLEDGER_QUERY_INIT;
        pledger_cursor *cur = NULL;
        q.party_id = RESIDENT_W; /* the full number finds them */
        PL_OK(reg, pledger_search(&cur, reg, &q));
        ck_assert_uint_eq(pledger_cursor_count(cur), 2);
        while (pledger_cursor_next(cur) == 1)
            ck_assert_str_eq(pledger_pledge_pledgor_id(CP(cur)), id);
        pledger_cursor_free(cur);

        pledger_pledge *p = NULL;
        PL_OK(reg, pledger_pledge_get(&p, reg, num[LD]));
        ck_assert_str_eq(pledger_pledge_pledgor_id(p), id);
        pledger_pledge_free(p);
        PL_OK(reg, pledger_pledge_get(&p, reg, rp));
        ck_assert_str_eq(pledger_pledge_right_id(p, 1), right);
        char *xml = NULL;
        PL_OK(NULL, pledger_pledge_to_xml(&xml, p));
        ck_assert_ptr_nonnull(strstr(xml, id));
        if (!whole)
            ck_assert_ptr_null(strstr(xml, RESIDENT_W));
        pledger_free(xml);
        pledger_pledge_free(p);
    }
    free(rp);
    fixture_free();
}
END_TEST

/* ---- the due list ------------------------------------------------------------------- */

static const char *due_dump(pledger_due *d)
{
    static char out[1024];
    out[0] = '\0';
    for (size_t i = 0; i < pledger_due_count(d); i++) {
        char line[128];
        snprintf(line, sizeof line, "%s%s %s %s %d", i ? "; " : "",
                 pledger_due_what_name(pledger_due_what_of(d, i)),
                 fx_kinds[pledger_due_kind(d, i)], pledger_due_date(d, i),
                 pledger_due_days_left(d, i));
        strcat(out, line);
    }
    return out;
}

static void expect_due(int64_t at, int within, const char *expected)
{
    pledger_due_options o = PLEDGER_DUE_OPTIONS_INIT;
    pledger_due *d = NULL;
    o.at = at;
    o.within_days = within;
    PL_OK(reg, pledger_due_get(&d, reg, &o));
    ck_assert_msg(strcmp(due_dump(d), expected) == 0, "at %+lld within %d:\n got %s\n want %s",
                  (long long)(at - FX_T0), within, due_dump(d), expected);
    pledger_due_free(d);
}

START_TEST(test_due_list)
{
    static const char qingming[] = "2024-04-04..2024-04-06 holiday Qingming\n"
                                   "2024-04-07 workday make-up (Sunday)\n";
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_calendar_load(reg, qingming, strlen(qingming)));
    /* Monday 2024-04-01: a trademark application submitted, a patent (filed
     * online) and an equity (not online) accepted, a land application
     * asked to correct, a receivable pledge under objection */
    char *s_tm = submitted_edit(PLEDGER_KIND_TRADEMARK, NULL);
    char *a_pt = accepted_edit(PLEDGER_KIND_PATENT, NULL);
    char *a_eq = accepted_edit(PLEDGER_KIND_EQUITY, NULL);
    char *c_ld = accepted_edit(PLEDGER_KIND_LAND, NULL);
    PL_OK(reg, pledger_application_request_correction(reg, c_ld, "sign the contract"));
    char *r = registered(PLEDGER_KIND_RECEIVABLE, NULL);
    PL_OK(reg, pledger_pledge_object(reg, r, "a creditor", NULL));
    act("clerk-1", PLEDGER_ROLE_CLERK);

    /* acceptance: 2 working days after 04-01 = 04-03; registration of the
     * online patent 04-03; of the equity 5 working days = 04-09 (04-04..06
     * off, Sunday 04-07 on); correction 30 days = 05-01; objection 05-01 */
    expect_due(FX_T0, 0, "");
    expect_due(FX_T0, 1, "");
    expect_due(FX_T0, 2, "acceptance trademark 2024-04-03 2; registration patent 2024-04-03 2");
    expect_due(FX_T0, 30,
               "acceptance trademark 2024-04-03 2; registration patent 2024-04-03 2; "
               "registration equity 2024-04-09 8; correction land 2024-05-01 30; "
               "objection receivable 2024-05-01 30");
    /* on 04-05 (a holiday) the first two are overdue */
    expect_due(FX_T0 + 4 * FX_DAY_US, 0,
               "acceptance trademark 2024-04-03 -2; registration patent 2024-04-03 -2");
    /* before anything happened: nothing */
    expect_due(FX_T0 - 1, 3650, "");
    /* the receivable's period (2025-10-31) comes within reach; long after,
     * everything is overdue */
    expect_due(FX_T0 + 570 * FX_DAY_US, 10,
               "acceptance trademark 2024-04-03 -568; registration patent 2024-04-03 -568; "
               "registration equity 2024-04-09 -562; correction land 2024-05-01 -540; "
               "objection receivable 2024-05-01 -540; expiry receivable 2025-10-31 8");
    /* the subjects: UUIDs of applications, the number of the pledge */
    pledger_due *d = NULL;
    pledger_due_options o = PLEDGER_DUE_OPTIONS_INIT;
    o.at = FX_T0 + 570 * FX_DAY_US;
    PL_OK(reg, pledger_due_get(&d, reg, &o));
    ck_assert_uint_eq(pledger_due_count(d), 6);
    /* the day it is for, from which the days left count */
    ck_assert_str_eq(pledger_due_today(d), "2025-10-23");
    ck_assert_str_eq(pledger_due_date(d, 5), "2025-10-31");
    ck_assert_int_eq(pledger_due_days_left(d, 5), 8);
    ck_assert_str_eq(pledger_due_subject(d, 0), s_tm);
    ck_assert_str_eq(pledger_due_subject(d, 1), a_pt);
    ck_assert_str_eq(pledger_due_subject(d, 2), a_eq);
    ck_assert_str_eq(pledger_due_subject(d, 3), c_ld);
    ck_assert_str_eq(pledger_due_subject(d, 4), r);
    ck_assert_int_eq(pledger_due_what_of(d, 5), PLEDGER_DUE_EXPIRY);
    ck_assert_ptr_null(pledger_due_subject(d, 6));
    ck_assert_int_eq(pledger_due_what_of(d, 6), 0);
    pledger_due_free(d);
    /* the default is now, within 30 days */
    fx_now_us = FX_T0 + FX_DAY_US;
    PL_OK(reg, pledger_due_get(&d, reg, NULL));
    ck_assert_uint_eq(pledger_due_count(d), 5);
    ck_assert_int_eq(pledger_due_days_left(d, 0), 1);
    ck_assert_str_eq(pledger_due_today(d), "2024-04-02");
    pledger_due_free(d);
    /* today is the registry's day (Asia/Shanghai): 16:00 UTC is
     * midnight of the next day there */
    o.at = FX_T0 + 14 * 3600 * INT64_C(1000000) - 1;
    PL_OK(reg, pledger_due_get(&d, reg, &o));
    ck_assert_str_eq(pledger_due_today(d), "2024-04-01");
    pledger_due_free(d);
    o.at += 1;
    PL_OK(reg, pledger_due_get(&d, reg, &o));
    ck_assert_str_eq(pledger_due_today(d), "2024-04-02");
    pledger_due_free(d);
    /* the last day there is: each item its true days left (they were
     * clamped at -1,000,000) */
    o.at = PLEDGER_INSTANT_MAX - FX_DAY_US;   /* 9999-12-31 07:59 in Shanghai */
    PL_OK(reg, pledger_due_get(&d, reg, &o));
    ck_assert_str_eq(pledger_due_today(d), "9999-12-31");
    ck_assert_uint_ge(pledger_due_count(d), 5);
    for (size_t i = 0; i < pledger_due_count(d); i++) {
        int y;
        unsigned m, dd;
        ck_assert_int_eq(sscanf(pledger_due_date(d, i), "%d-%u-%u", &y, &m, &dd), 3);
        int32_t due = pl_days_from_civil(y, m, dd), last = pl_days_from_civil(9999, 12, 31);
        ck_assert_int_eq(pledger_due_days_left(d, i), due - last);
        ck_assert_int_lt(pledger_due_days_left(d, i), -1000000);
    }
    pledger_due_free(d);

    /* decisions leave the list */
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_application_refuse(reg, a_pt, "PT_FEE_UNPAID", NULL));
    PL_OK(reg, pledger_pledge_record_litigation(reg, r));
    act("clerk-1", PLEDGER_ROLE_CLERK);
    PL_OK(reg, pledger_application_accept(NULL, reg, s_tm));
    /* accepted on 04-02: the trademark's registration is due 2 working
     * days later, 04-07 (the make-up Sunday) */
    expect_due(FX_T0 + FX_DAY_US, 30,
               "registration trademark 2024-04-07 5; registration equity 2024-04-09 7; "
               "correction land 2024-05-01 29");

    /* banks and applicants do not see the offices' work list */
    act("bank-1", PLEDGER_ROLE_BANK);
    PL_FAILS(reg, PLEDGER_EPERM, pledger_due_get(&d, reg, NULL));
    ck_assert_ptr_null(d);
    act("applicant-1", PLEDGER_ROLE_APPLICANT);
    PL_FAILS(reg, PLEDGER_EPERM, pledger_due_get(&d, reg, NULL));
    act("auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(reg, pledger_due_get(&d, reg, NULL));
    pledger_due_free(d);
    ck_assert_str_eq(pledger_due_what_name(PLEDGER_DUE_CORRECTION), "correction");
    ck_assert_ptr_null(pledger_due_what_name((pledger_due_what)6));
    free(s_tm);
    free(a_pt);
    free(a_eq);
    free(c_ld);
    free(r);
}
END_TEST

/* ---- statistics ------------------------------------------------------------------- */

static pledger_stats *stats(const char *from, const char *to, int kind, const char *office)
{
    pledger_stats_query q = PLEDGER_STATS_QUERY_INIT;
    pledger_stats *s = NULL;
    q.from = from;
    q.to = to;
    q.kind = kind;
    q.office = office;
    PL_OK(reg, pledger_stats_get(&s, reg, &q));
    return s;
}

static void expect_stats(const char *from, const char *to, int kind, const char *office,
                         int64_t regs, int64_t cancels, int64_t active, int64_t amount_reg,
                         int64_t amount_active)
{
    pledger_stats *s = stats(from, to, kind, office);
    ck_assert_int_eq(pledger_stats_registrations(s), regs);
    ck_assert_int_eq(pledger_stats_cancellations(s), cancels);
    ck_assert_int_eq(pledger_stats_active(s), active);
    if (amount_reg || amount_active) {
        ck_assert_uint_eq(pledger_stats_currency_count(s), 1);
        ck_assert_str_eq(pledger_stats_currency(s, 0), "CNY");
        ck_assert_int_eq(pledger_stats_amount_registered(s, 0), amount_reg);
        ck_assert_int_eq(pledger_stats_amount_active(s, 0), amount_active);
    } else {
        ck_assert_uint_eq(pledger_stats_currency_count(s), 0);
    }
    pledger_stats_free(s);
}

START_TEST(test_statistics)
{
    fixture();
    act("bank-1", PLEDGER_ROLE_BANK);
    /* 2024-04-01: all nine registered, nothing changed yet */
    expect_stats("2024-04-01", "2024-04-01", 0, NULL, 9, 0, 9, 2510000000, 2510000000);
    /* to 04-10: R1 and EQ cancelled, LD revoked; R3 (under objection) in force; TM's
     * amount is 350000000 now, registered as 300000000 */
    expect_stats("2024-04-01", "2024-04-10", 0, NULL, 9, 2, 6, 2510000000, 1630000000);
    expect_stats("2024-04-02", "2024-04-10", 0, NULL, 0, 2, 6, 0, 1630000000);
    expect_stats("2024-04-04", "2024-04-04", 0, NULL, 0, 1, 8, 0, 2460000000);
    expect_stats("2024-03-01", "2024-03-31", 0, NULL, 0, 0, 0, 0, 0);
    expect_stats("2024-04-01", "2024-04-10", PLEDGER_KIND_RECEIVABLE, NULL, 3, 1, 2, 300000000,
                 200000000);
    expect_stats("2024-04-01", "2024-04-10", PLEDGER_KIND_TRADEMARK, "FZ01", 1, 0, 1, 300000000,
                 350000000);
    expect_stats("2024-04-01", "2024-04-10", 0, "SZ-02", 0, 0, 0, 0, 0);
    fixture_free();
}
END_TEST

START_TEST(test_statistics_currencies_and_overflow)
{
    /* per currency, never mixed; a total beyond int64 is reported, not wrapped */
    static const char *const usd[] = { "claim/amount/@currency", "USD", "claim/amount", "123",
                                       NULL };
    static const char *const huge[] = { "claim/amount", "5000000000000000000", NULL };
    free(registered_edit(PLEDGER_KIND_RECEIVABLE, NULL, usd));
    free(registered_edit(PLEDGER_KIND_RECEIVABLE, NULL, huge));
    pledger_stats *s = stats("2024-04-01", "2024-04-01", 0, NULL);
    ck_assert_uint_eq(pledger_stats_currency_count(s), 2);
    ck_assert_str_eq(pledger_stats_currency(s, 0), "CNY");
    ck_assert_str_eq(pledger_stats_currency(s, 1), "USD");
    ck_assert_int_eq(pledger_stats_amount_registered(s, 0), INT64_C(5000000000000000000));
    ck_assert_int_eq(pledger_stats_amount_registered(s, 1), 123);
    ck_assert_int_eq(pledger_stats_amount_active(s, 1), 123);
    ck_assert_int_eq(pledger_stats_amount_registered(s, 2), -1);
    ck_assert_ptr_null(pledger_stats_currency(s, 2));
    pledger_stats_free(s);
    free(registered_edit(PLEDGER_KIND_RECEIVABLE, NULL, huge));
    s = stats("2024-04-01", "2024-04-01", 0, NULL);
    ck_assert_int_eq(pledger_stats_registrations(s), 3);
    ck_assert_int_eq(pledger_stats_amount_registered(s, 0), -1); /* 10^19 > 2^63 - 1 */
    ck_assert_int_eq(pledger_stats_amount_active(s, 0), -1);
    ck_assert_int_eq(pledger_stats_amount_registered(s, 1), 123);
    pledger_stats_free(s);
}
END_TEST

/* ---- argument errors ----------------------------------------------------------------- */

#define FAILS_NAMING(code, expr, field)                                        \
    do {                                                                       \
        PL_FAILS(reg, code, expr);                                             \
        ck_assert_msg(strstr(pledger_errmsg(reg), field) != NULL,              \
                      "'%s' does not name %s", pledger_errmsg(reg), field);    \
    } while (0)

START_TEST(test_bad_arguments)
{
    char *tm = registered(PLEDGER_KIND_TRADEMARK, NULL);
    pledger_verification *v = NULL;
    pledger_cursor *cur = NULL;
    pledger_stats *s = NULL;
    pledger_due *d = NULL;
    int r = 0;
    act("registrar-1", PLEDGER_ROLE_REGISTRAR);

    /* verify */
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_verify(NULL, reg, tm, NULL));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_verify(&v, NULL, tm, NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "pledger_verify"));
    FAILS_NAMING(PLEDGER_EINVAL, pledger_verify(&v, reg, NULL, NULL), "number");
    FAILS_NAMING(PLEDGER_EINVAL, pledger_verify(&v, reg, "", NULL), "number");
    FAILS_NAMING(PLEDGER_EINVAL, pledger_verify(&v, reg, "R-\xff", NULL), "UTF-8");
    pledger_verify_options vo = PLEDGER_VERIFY_OPTIONS_INIT;
    vo.version = 7;
    FAILS_NAMING(PLEDGER_EINVAL, pledger_verify(&v, reg, tm, &vo), "opts->version");
    ck_assert_ptr_null(v);
    /* an instant still to come: its answer could change, so none is given
     * (verify, search, rank); the registry's now itself is answered */
    vo = (pledger_verify_options)PLEDGER_VERIFY_OPTIONS_INIT;
    vo.as_of = fx_now_us + 1;
    FAILS_NAMING(PLEDGER_EINVAL, pledger_verify(&v, reg, tm, &vo), "opts->as_of");
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "instants that have passed"));
    ck_assert_ptr_null(v);
    vo.as_of = fx_now_us;
    PL_OK(reg, pledger_verify(&v, reg, tm, &vo));
    pledger_verification_free(v);
    v = NULL;
    FAILS_NAMING(PLEDGER_EINVAL, pledger_rank(&r, reg, tm, fx_now_us + 1), "at_us");
    PL_OK(reg, pledger_rank(&r, reg, tm, fx_now_us));
    ck_assert_int_eq(r, 1);
    {
        /* a snapshot too: the current version lapsed to a day to come was
         * answered as if it were the version of that instant */
        pledger_pledge *sp = NULL;
        FAILS_NAMING(PLEDGER_EINVAL, pledger_pledge_get_at(&sp, reg, tm, fx_now_us + 1), "at_us");
        ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "instants that have passed"));
        ck_assert_ptr_null(sp);
        FAILS_NAMING(PLEDGER_EINVAL, pledger_pledge_get_at(&sp, reg, tm, INT64_MAX), "at_us");
        PL_OK(reg, pledger_pledge_get_at(&sp, reg, tm, fx_now_us));
        pledger_pledge_free(sp);
    }
    {
        pledger_query fq = PLEDGER_QUERY_INIT;
        fq.as_of = INT64_MAX;
        FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &fq), "query->as_of");
        ck_assert_ptr_null(cur);
    }

    /* search */
    pledger_query q = PLEDGER_QUERY_INIT;
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, NULL), "query");
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_search(NULL, reg, &q));
    q.version = 0;
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->version");
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.kind = 8;
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->kind");
    q.kind = 0;
    q.right_id = "12345678";
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->right_id");
    q.kind = PLEDGER_KIND_TRADEMARK;
    q.right_id = "1234A678";
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->right_id");
    q.kind = PLEDGER_KIND_PATENT;
    q.right_id = "201310699744.3"; /* wrong check digit */
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->right_id");
    q.kind = PLEDGER_KIND_EQUITY;
    q.right_id = "91350100M000100Y44";
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "company's USCC");
    q.kind = PLEDGER_KIND_RECEIVABLE;
    q.right_id = "desc:abc";
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "64 hex digits");
    q.right_id = USCC_B "/";
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "contract number");
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.party_id = "91350100M000100Y44"; /* 18 characters, neither USCC nor resident */
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->party_id");
    q.party_id = "11010519491231002Y";
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->party_id");
    q.party_id = "a#b";
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->party_id");
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.party_name = "、。 ";
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->party_name");
    q.party_name = "";
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->party_name");
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.party_side = 3;
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->party_side");
    q.party_side = 0;
    q.state = 6;
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->state");
    q.state = 0;
    q.registered_from = "2024-02-30";
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->registered_from");
    q.registered_from = "2024-04-02";
    q.registered_to = "2024-04-01";
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->registered_to");
    q.registered_to = "2024-04-02"; /* one day is fine */
    PL_OK(reg, pledger_search(&cur, reg, &q));
    pledger_cursor_free(cur);
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.page_size = -1;
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->page_size");
    q.page_size = 10001;
    FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->page_size");
    q.page_size = 10000;
    PL_OK(reg, pledger_search(&cur, reg, &q));
    pledger_cursor_free(cur);
    static const char *const bad_tokens[] = { "x", "1.", "1.5", "1.5.", "1.5.0", "2.5.1",
                                              "1.05.1", "1.5.1 ", "1.99999999999999999999.1" };
    for (size_t k = 0; k < sizeof bad_tokens / sizeof bad_tokens[0]; k++) {
        q.after = bad_tokens[k];
        FAILS_NAMING(PLEDGER_EINVAL, pledger_search(&cur, reg, &q), "query->after");
        ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "is not a continuation token (one "
                                     "comes with each page of results"));
        ck_assert_ptr_null(cur);
    }
    q.after = "1.-5.1";
    PL_OK(reg, pledger_search(&cur, reg, &q));
    ck_assert_uint_eq(pledger_cursor_count(cur), 1);
    pledger_cursor_free(cur);
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_cursor_next(NULL));
    ck_assert_uint_eq(pledger_cursor_count(NULL), 0);
    ck_assert_ptr_null(pledger_pledge_number(CP(NULL)));

    /* rank, compare */
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_rank(NULL, reg, tm, 0));
    FAILS_NAMING(PLEDGER_EINVAL, pledger_rank(&r, reg, NULL, 0), "number");
    FAILS_NAMING(PLEDGER_EINVAL, pledger_compare(&r, reg, "", tm), "number_a");

    /* due list */
    pledger_due_options o = PLEDGER_DUE_OPTIONS_INIT;
    o.within_days = -1;
    FAILS_NAMING(PLEDGER_EINVAL, pledger_due_get(&d, reg, &o), "opts->within_days");
    o.within_days = 3651;
    FAILS_NAMING(PLEDGER_EINVAL, pledger_due_get(&d, reg, &o), "opts->within_days");
    o = (pledger_due_options)PLEDGER_DUE_OPTIONS_INIT;
    o.version = 2;
    FAILS_NAMING(PLEDGER_EINVAL, pledger_due_get(&d, reg, &o), "opts->version");

    /* statistics */
    pledger_stats_query sq = PLEDGER_STATS_QUERY_INIT;
    FAILS_NAMING(PLEDGER_EINVAL, pledger_stats_get(&s, reg, NULL), "q");
    FAILS_NAMING(PLEDGER_EINVAL, pledger_stats_get(&s, reg, &sq), "q->from");
    sq.from = "2024-04-02";
    sq.to = "2024-04-01";
    FAILS_NAMING(PLEDGER_EINVAL, pledger_stats_get(&s, reg, &sq), "q->to");
    sq.to = "2024-13-01";
    FAILS_NAMING(PLEDGER_EINVAL, pledger_stats_get(&s, reg, &sq), "q->to");
    sq.to = "2024-04-02";
    sq.kind = -1;
    FAILS_NAMING(PLEDGER_EINVAL, pledger_stats_get(&s, reg, &sq), "q->kind");
    sq.kind = 0;
    sq.office = "fz01";
    FAILS_NAMING(PLEDGER_EINVAL, pledger_stats_get(&s, reg, &sq), "q->office");
    ck_assert_ptr_null(s);
    ck_assert_int_eq(pledger_stats_amount_active(NULL, 0), -1);
    free(tm);
}
END_TEST

/* ---- query plans -------------------------------------------------------------------- */

START_TEST(test_query_plans)
{
    /* every statement is driven by the index meant for it: no full scan
     * of pledge or pledge_version except where the whole table is asked */
    static const struct {
        const char *sql;
        const char *must;
    } plans[] = {
        { "SELECT 1 FROM pledge_version f WHERE f.pledgor_id = ?8 AND f.version = 1"
          " AND (f.valid_from, f.pledge_id) > (?2, ?3) AND f.valid_from <= ?4"
          " ORDER BY f.valid_from, f.pledge_id LIMIT 5",
          "INDEX pledge_version_pledgor_first" },
        { "SELECT 1 FROM pledge_version f WHERE f.pledgee_id = ?8 AND f.version = 1"
          " AND (f.valid_from, f.pledge_id) > (?2, ?3) AND f.valid_from <= ?4"
          " ORDER BY f.valid_from, f.pledge_id LIMIT 5",
          "INDEX pledge_version_pledgee_first" },
        { "SELECT 1 FROM pledge p WHERE p.kind = ?5 AND (p.registered_at, p.id) > (?2, ?3)"
          " ORDER BY p.registered_at, p.id LIMIT 5",
          "INDEX pledge_kind_registered" },
        { "SELECT 1 FROM pledge_version v WHERE v.state IN (1, 5) AND v.period_end <= ?2",
          "INDEX pledge_version_in_force_end" },
        { "SELECT 1 FROM pledge_version v WHERE v.state = 5 AND v.objection_until <= ?2",
          "INDEX pledge_version_objection" },
        { "SELECT 1 FROM pledge_version v WHERE v.operation = 'cancel' AND v.valid_from >= ?1"
          " AND v.valid_from < ?2",
          "INDEX pledge_version_operation" },
    };
    sqlite3 *h = pl_db_handle(reg->db);
    for (size_t k = 0; k < sizeof plans / sizeof plans[0]; k++) {
        char *sql = NULL;
        sqlite3_stmt *st;
        char plan[1024] = "";
        ck_assert(asprintf(&sql, "EXPLAIN QUERY PLAN %s", plans[k].sql) > 0);
        ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            strncat(plan, (const char *)sqlite3_column_text(st, 3), 200);
            strcat(plan, "; ");
        }
        sqlite3_finalize(st);
        free(sql);
        ck_assert_msg(strstr(plan, plans[k].must) && !strstr(plan, "TEMP B-TREE"),
                      "%s\n -> %s", plans[k].sql, plan);
    }
    /* and the library's statements themselves prepare (INDEXED BY would
     * fail to prepare if its index could not serve them) and run */
    pledger_query q = PLEDGER_QUERY_INIT;
    pledger_cursor *cur = NULL;
    q.party_id = USCC_A;
    for (int side = 0; side <= 2; side++) {
        q.party_side = side;
        PL_OK(reg, pledger_search(&cur, reg, &q));
        pledger_cursor_free(cur);
    }
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.kind = PLEDGER_KIND_PATENT;
    PL_OK(reg, pledger_search(&cur, reg, &q));
    pledger_cursor_free(cur);
}
END_TEST

/* ---- a read-only reader while another process registers ----------------------------- */

#define WRITER_PLEDGES 25

static int64_t writer_now;
static int64_t writer_clock(void *payload)
{
    (void)payload;
    return writer_now += 1000;
}

/* The writer: its own handle, its own clock; no Check assertions in a
 * child process — the exit status says what happened.  It tells the
 * parent through @ready once its connection is open. */
static int writer(int ready)
{
    pledger_registry *w = NULL;
    pledger_application *app = NULL;
    char *xml, *file = pl_test_path(PLEDGER_TEST_DATADIR, "app-receivable.xml");
    size_t len;
    int rc = 0;

    xml = pl_test_slurp(file, &len);
    free(file);
    if (pledger_open(&w, path, NULL))
        return 10;
    if (write(ready, "w", 1) != 1)
        return 13;
    close(ready);
    writer_now = FX_T0;
    pledger_set_clock(w, writer_clock, NULL);
    for (int i = 0; i < WRITER_PLEDGES && !rc; i++) {
        char *uuid, *n = NULL, *code = NULL;
        if (pledger_application_from_xml(&app, xml, len) ||
            pledger_set_actor(w, "applicant", PLEDGER_ROLE_APPLICANT) ||
            pledger_application_save(w, app))
            rc = 11;
        uuid = rc ? NULL : strdup(pledger_application_uuid(app));
        pledger_application_free(app);
        if (!rc && (pledger_application_review(NULL, w, uuid) ||
                    pledger_application_submit(w, uuid) ||
                    pledger_set_actor(w, "clerk", PLEDGER_ROLE_CLERK) ||
                    pledger_application_accept(NULL, w, uuid) ||
                    pledger_set_actor(w, "registrar", PLEDGER_ROLE_REGISTRAR) ||
                    pledger_application_register(&n, &code, w, uuid)))
            rc = 12;
        if (rc)
            fprintf(stderr, "writer: %s\n", pledger_errmsg(w));
        free(uuid);
        pledger_free(n);
        pledger_free(code);
    }
    free(xml);
    pledger_close(w);
    return rc;
}

/* One consistent look: all receivable pledges page by page; each verifies
 * with rank = its position (all share the same receivables). */
static size_t reader_pass(pledger_registry *ro, char **seen, size_t n_seen)
{
    pledger_query q = PLEDGER_QUERY_INIT;
    pledger_cursor *cur = NULL;
    char token[64] = "";
    size_t n = 0;
    q.kind = PLEDGER_KIND_RECEIVABLE;
    q.page_size = 4;
    for (;;) {
        uint64_t before = 0, after = 0;
        q.after = token[0] ? token : NULL;
        PL_OK(ro, pledger_log_size(ro, &before));
        PL_OK(ro, pledger_search(&cur, ro, &q));
        PL_OK(ro, pledger_log_size(ro, &after));
        /* the page's log size is one the log had while it was read */
        ck_assert_uint_ge(pledger_cursor_log_size(cur), before);
        ck_assert_uint_le(pledger_cursor_log_size(cur), after);
        while (pledger_cursor_next(cur) == 1) {
            const char *number = pledger_pledge_number(CP(cur));
            ck_assert_uint_lt(n, WRITER_PLEDGES);
            if (n < n_seen) /* what was seen before is still there, in order */
                ck_assert_str_eq(seen[n], number);
            else
                seen[n] = strdup(number);
            pledger_verification *v = NULL;
            PL_OK(ro, pledger_log_size(ro, &before));
            PL_OK(ro, pledger_verify(&v, ro, number, NULL));
            PL_OK(ro, pledger_log_size(ro, &after));
            ck_assert_uint_ge(pledger_verification_log_size(v), before);
            ck_assert_uint_le(pledger_verification_log_size(v), after);
            ck_assert_uint_gt(pledger_verification_log_size(v), 0);
            ck_assert_int_eq(pledger_pledge_state_of(VP(v)), PLEDGER_PLEDGE_ACTIVE);
            ck_assert_int_eq(pledger_verification_rank(v), (int)n + 1);
            ck_assert_int_eq(pledger_pledge_registered_at(VP(v)),
                             pledger_pledge_registered_at(CP(cur)));
            pledger_verification_free(v);
            n++;
        }
        const char *t = pledger_cursor_continuation(cur);
        if (t)
            strcpy(token, t);
        pledger_cursor_free(cur);
        if (!t)
            break;
    }
    ck_assert_uint_ge(n, n_seen); /* counts only grow */
    pledger_stats_query sq = PLEDGER_STATS_QUERY_INIT;
    pledger_stats *s = NULL;
    sq.from = "2024-04-01";
    sq.to = "2024-04-01";
    PL_OK(ro, pledger_stats_get(&s, ro, &sq));
    ck_assert_int_ge(pledger_stats_registrations(s), (int64_t)n);
    pledger_stats_free(s);
    return n;
}

START_TEST(test_concurrent_reader)
{
    pledger_registry *ro = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    char *seen[WRITER_PLEDGES] = { 0 };
    size_t n = 0;
    int passes = 0, status = 0, ready[2];
    char byte;

    /* No SQLite connection may cross the fork: close ours first; the
     * registry file (with its schema) stays. */
    pledger_close(reg);
    reg = NULL;
    ck_assert_int_eq(pipe(ready), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(ready[0]);
        _exit(writer(ready[1]));
    }
    close(ready[1]);
    ck_assert_int_eq(read(ready[0], &byte, 1), 1);
    close(ready[0]);
    o.read_only = 1;
    PL_OK(NULL, pledger_open(&ro, path, &o));
    /* the reader's date is the writer's (the pledges' periods run from
     * FX_T0; on the real clock of today they have run out) */
    fx_now_us = FX_T0;
    PL_OK(ro, pledger_set_clock(ro, fx_clock, NULL));
    PL_OK(ro, pledger_set_actor(ro, "bank-1", PLEDGER_ROLE_BANK));
    for (;;) {
        pid_t done = waitpid(pid, &status, WNOHANG);
        ck_assert_int_ge(done, 0);
        n = reader_pass(ro, seen, n);
        passes++;
        if (done == pid)
            break;
    }
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer failed: status %d",
                  status);
    ck_assert_uint_eq(n, WRITER_PLEDGES); /* the last pass saw everything */
    ck_assert_int_ge(passes, 2);
    for (size_t i = 0; i < n; i++)
        free(seen[i]);
    pledger_close(ro);
}
END_TEST

/* Every read path, each with many different values bound: SQLite must
 * not prepare a cached statement again for each of them.  A statement whose plan SQLite
 * marks as depending on a bound value is prepared again at every new
 * value (a search hit's version by number once cost ten times the lookup
 * that way), which only a count shows. */
START_TEST(test_statements_prepared_once)
{
    const int64_t instants[] = { PLEDGER_AS_OF_CURRENT, REG_AT(TM), E_CHANGE_TM - 1,
                                 E_CHANGE_TM, E_CANCEL_EQ, FX_T0 + 9 * FX_DAY_US };
    const char *worst = NULL;
    int r, most;

    fixture();
    act("auditor-1", PLEDGER_ROLE_AUDITOR);
    for (int i = 0; i < NP; i++) {
        for (size_t k = 0; k < sizeof instants / sizeof instants[0]; k++) {
            pledger_verify_options o = PLEDGER_VERIFY_OPTIONS_INIT;
            pledger_verification *v = NULL;
            pledger_pledge *p = NULL;
            o.as_of = instants[k];
            if (pledger_verify(&v, reg, num[i], &o) == 0)
                pledger_verification_free(v);
            if (pledger_pledge_get_at(&p, reg, num[i], instants[k]) == 0)
                pledger_pledge_free(p);
            (void)pledger_rank(&r, reg, num[i], instants[k]);
        }
        for (int version = 0; version <= 3; version++) {
            pledger_certificate *c = NULL;
            char *xml = NULL;
            if (pledger_certificate_load(&c, reg, num[i], version) == 0)
                pledger_certificate_free(c);
            if (pledger_certificate_get(&xml, reg, num[i], version) == 0)
                pledger_free(xml);
        }
        PL_OK(reg, pledger_compare(&r, reg, num[i], num[(i + 1) % NP]));
    }
    for (int k = 0; k < 4 * NP; k++) {
        pledger_query q = PLEDGER_QUERY_INIT;
        pledger_cursor *cur = NULL;
        q.as_of = instants[k % (int)(sizeof instants / sizeof instants[0])];
        switch (k % 4) {
        case 0: q.kind = reg_kind[k / 4]; break;
        case 1: q.party_id = k % 8 == 1 ? USCC_A : USCC_B; break;
        case 2: q.party_name = k % 8 == 2 ? "福建闽江食品有限公司" : "深圳前海商业银行股份有限公司"; break;
        default: break;
        }
        PL_OK(reg, pledger_search(&cur, reg, &q));
        while (pledger_cursor_next(cur) == 1)
            ck_assert_ptr_nonnull(pledger_pledge_number(pledger_cursor_pledge(cur)));
        pledger_cursor_free(cur);
    }
    /* once is a change of schema (the fixture's first write); more is a
     * plan that depends on the values bound */
    most = pl_db_reprepared_most(reg->db, &worst);
    ck_assert_msg(most <= 1, "a statement was prepared again %d times: %s", most,
                  worst ? worst : "?");
    fixture_free();
}
END_TEST

static Suite *query_suite(void)
{
    Suite *s = suite_create("query");
    TCase *tc = tcase_create("verify");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_verify_timeline);
    tcase_add_test(tc, test_verify_codes);
    tcase_add_test(tc, test_rank_compare);
    tcase_add_test(tc, test_same_instant_ranks_by_sequence);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);

    tc = tcase_create("search");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_search_criteria);
    tcase_add_test(tc, test_pagination);
    tcase_add_test(tc, test_masking_by_role);
    tcase_add_test(tc, test_query_plans);
    tcase_add_test(tc, test_statements_prepared_once);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);

    tc = tcase_create("office");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_due_list);
    tcase_add_test(tc, test_statistics);
    tcase_add_test(tc, test_statistics_currencies_and_overflow);
    tcase_add_test(tc, test_bad_arguments);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);

    tc = tcase_create("concurrency");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_concurrent_reader);
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(query_suite)
