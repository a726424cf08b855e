/* One review names every defect: a rule never stays silent because
 * another field of the same file is wrong (lib/rules/rules.h).
 *
 * For each kind, a table of "breakers": edits of the valid sample
 * (tests/data/app-<kind>.xml, against the fixture register
 * tests/data/register-review.xml) that trip one rule at one path.  Every
 * pair of breakers of a kind whose edits touch different fields (rules
 * sharing an input -- the period, the debt's dates, the pledgor's
 * identifier, the register's record, the materials -- among them) is
 * applied at once, and both findings must be in the one review.  The few
 * pairs where one defect truly hides the other (a rule's own input is the
 * field the other breaks) are listed with the reason. */
#include <stdbool.h>

#include "testutil.h"
#include "fixture.h"

#include <pledger/review.h>

static char *dir, *path;
static pledger_registry *reg;

static void setup(void)
{
    char *file = pl_test_path(PLEDGER_TEST_DATADIR, "register-review.xml");
    pledger_import_report *rep = NULL;
    fx_ck_setup(&dir, &path, &reg);
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_register_import(&rep, reg, file, NULL));
    ck_assert_uint_eq(pledger_import_report_rejected(rep), 0);
    pledger_import_report_free(rep);
    free(file);
}

static void teardown(void) { fx_ck_teardown(dir, path, reg); }

typedef struct breaker {
    int kind;
    const char *code;     /* the rule it trips */
    const char *at;       /* at this path */
    const char *edits[9]; /* (path, value) pairs; a NULL value removes */
} breaker;

#define TM PLEDGER_KIND_TRADEMARK
#define PT PLEDGER_KIND_PATENT
#define RC PLEDGER_KIND_RECEIVABLE
#define EQ PLEDGER_KIND_EQUITY
#define EM PLEDGER_KIND_EMISSION
#define SA PLEDGER_KIND_SEA_AREA
#define LD PLEDGER_KIND_LAND

static const breaker breakers[] = {
    /* ---- trademark: parties, period, debt, materials, register, bundling */
    { TM, "PARTY_ID_INVALID", "pledgor/id", { "pledgor/id", "91350100M000100Y44" } },
    { TM, "PARTY_ID_INVALID", "pledgee/id", { "pledgee/id", "914403001922038217" } },
    { TM, "PARTIES_IDENTICAL", "pledgee/id", { "pledgee/id", "91350100M000100Y43" } },
    { TM, "PARTY_ADDRESS_MISSING", "pledgor/address", { "pledgor/address", NULL } },
    { TM, "PLEDGOR_NAME_DIFFERS", "pledgor/name", { "pledgor/name", "福州闽江罐头食品厂" } },
    { TM, "AGENT_POA_MISSING", "materials", { "materials/material[6]/@kind", "other" } },
    { TM, "MATERIAL_MISSING", "materials", { "materials/material[2]/@kind", "other" } },
    { TM, "MATERIAL_DIGEST_MISSING", "materials/material[1]/sha256",
      { "materials/material[1]/sha256", NULL } },
    { TM, "FILING_JOINT_REQUIRED", "filing/joint", { "filing/joint", "false" } },
    { TM, "CURRENCY_UNKNOWN", "claim/amount/@currency", { "claim/amount/@currency", "XYZ" } },
    { TM, "CONTRACT_CLAUSES_MISSING", "contract/clauses", { "contract/clauses", "parties claim" } },
    { TM, "PERIOD_INVERTED", "period/end", { "period/start", "2028-01-01" } },
    { TM, "PERIOD_MISSING", "period/start", { "period/start", NULL } },
    { TM, "CLAIM_PERIOD_INVERTED", "claim/performance_end",
      { "claim/performance_start", "2027-06-01" } },
    { TM, "PERIOD_BEFORE_DEBT", "period/end",
      { "claim/performance_start", "2027-03-01", "claim/performance_end", "2027-06-30" } },
    { TM, "PERIOD_NOT_COVERING_DEBT", "period/end", { "period/end", "2026-12-31" } },
    { TM, "RIGHT_ID_INVALID", "rights/right[2]/number", { "rights/right[2]/number", "1234567X" } },
    { TM, "RIGHT_DUPLICATE", "rights/right[4]",
      { "rights/right[3]/number", "12345671", "rights/right[3]/classes", "31",
        "rights/right[4]/number", "１２３４５６７１", "rights/right[4]/classes", "31" } },
    { TM, "RIGHT_EXPIRES_IN_PERIOD", "rights/right[2]/number",
      { "rights/right[2]/number", "30000007" } },
    { TM, "TM_EXPIRES_BEFORE_DEBT", "rights/right[2]/number",
      { "rights/right[2]/number", "30000007" } },
    { TM, "PLEDGOR_NOT_OWNER", "rights/right[2]/number", { "rights/right[2]/number", "30000005" } },
    { TM, "RIGHT_NOT_IN_FORCE", "rights/right[2]/number", { "rights/right[2]/number", "30000001" } },
    { TM, "RIGHT_SEIZED", "rights/right[1]/number",
      { "rights/right[1]/number", "30000003", "rights/right[1]/classes", "35",
        "rights/right[1]/mark", NULL } },
    { TM, "TM_BUNDLE_MISSING", "rights/right[1]/number",
      { "rights/right[1]/number", "20000001", "rights/right[1]/classes", "30",
        "rights/right[1]/mark", "榕城" } },
    { TM, "TM_DETAILS_DIFFER", "rights/right[1]/classes", { "rights/right[1]/classes", "29 30 31" } },
    { TM, "TM_CLASS_REPEATED", "rights/right[2]/classes", { "rights/right[2]/classes", "35 35" } },

    /* ---- patent: the risks, the term, co-owners, the register */
    { PT, "PARTY_ID_INVALID", "pledgor/id", { "pledgor/id", "914403001922038217" } },
    { PT, "PERIOD_INVERTED", "period/end", { "period/start", "2027-01-01" } },
    { PT, "CLAIM_DEADLINE_MISSING", "claim/performance_end", { "claim/performance_end", NULL } },
    { PT, "AMOUNT_NOT_POSITIVE", "claim/amount", { "claim/amount", "0" } },
    { PT, "CURRENCY_UNKNOWN", "valuation/value/@currency", { "valuation/value/@currency", NULL } },
    { PT, "MATERIAL_MISSING", "materials", { "materials/material[4]/@kind", "other" } },
    { PT, "PT_INVALIDATION_PENDING", "rights/right[1]/number",
      { "materials/material[6]/@kind", "other" } },
    { PT, "PT_CO_OWNER_UNDECLARED", "rights/right[1]/co_owners",
      { "rights/right[1]/co_owners", NULL } },
    { PT, "PT_CO_OWNER_CONSENT", "rights/right[1]/co_owners/party/@consent",
      { "rights/right[1]/co_owners/party/@consent", "false" } },
    { PT, "PT_DETAILS_DIFFER", "rights/right[1]/filing_date",
      { "rights/right[1]/filing_date", "2013-12-19" } },
    { PT, "PT_TERM_BEFORE_DEBT", "rights/right[2]/number",
      { "rights/right[2]/number", "201620000001.0" } },
    { PT, "PT_FEE_UNPAID", "rights/right[2]/number", { "rights/right[2]/number", "201410000001.6" } },
    { PT, "PT_SAME_DAY_PAIR", "rights/right[2]/number",
      { "rights/right[2]/number", "201520000002.0" } },

    /* ---- receivable: the period's range, the debt, the receivables */
    { RC, "RC_PERIOD_RANGE", "period/end", { "period/end", "2024-05-31" } },
    { RC, "RC_DEBTOR_IS_PLEDGOR", "rights/right[1]/debtors/party/id",
      { "rights/right[1]/debtors/party[1]/id", "91350100M000100Y43" } },
    { LD, "CONTRACT_DATE_FUTURE", "contract/date", { "contract/date", "2024-12-01" } },
    { RC, "PERIOD_INVERTED", "period/end", { "period/start", "2026-01-01" } },
    { RC, "CLAIM_PERIOD_INVERTED", "claim/performance_end",
      { "claim/performance_start", "2025-06-01" } },
    { RC, "PERIOD_NOT_COVERING_DEBT", "period/end", { "period/end", "2025-03-31" } },
    { RC, "AMOUNT_NOT_POSITIVE", "rights/right[1]/amount", { "rights/right[1]/amount", "0" } },
    { RC, "PARTY_ID_INVALID", "rights/right[2]/debtors/party/id",
      { "rights/right[2]/debtors/party/id", "110105194912310021" } },
    { RC, "RC_FILED_JOINTLY", "filing/joint", { "filing/joint", "true" } },

    /* ---- equity: the holding, the company, the period */
    { EQ, "EQ_CAPITAL_EXCEEDS_HOLDING", "rights/right[1]/capital",
      { "rights/right[1]/capital", "600000001" } },
    { EQ, "EQ_COMPANY_NAME_DIFFERS", "rights/right[1]/company_name",
      { "rights/right[1]/company_name", "闽江食品集团" } },
    { EQ, "PARTY_ID_INVALID", "pledgor/id", { "pledgor/id", "110105194912310021" } },
    { EQ, "PARTY_COUNTRY_UNKNOWN", "pledgee/country", { "pledgee/country", "ZZ" } },
    { EQ, "PERIOD_INVERTED", "period/end", { "period/start", "2030-01-01" } },
    { EQ, "CURRENCY_UNKNOWN", "claim/amount/@currency", { "claim/amount/@currency", "XYZ" } },

    /* ---- emission: the permit's allowance, dates, term */
    { EM, "EM_ALLOWANCE_EXCEEDS", "rights/right[1]/allowance",
      { "rights/right[1]/allowance", "200.000001" } },
    { EM, "EM_DETAILS_DIFFER", "rights/right[1]/valid_from",
      { "rights/right[1]/valid_from", "2023-01-02" } },
    { EM, "RIGHT_EXPIRES_IN_PERIOD", "rights/right[1]/permit_number",
      { "rights/right[1]/permit_number", "91350100M000100Y43002P" } },
    { EM, "PERIOD_INVERTED", "period/end", { "period/start", "2025-12-01" } },
    { EM, "PARTY_ID_INVALID", "pledgor/id", { "pledgor/id", "91350100M000100Y44" } },

    /* ---- sea area */
    { SA, "RIGHT_SEIZED", "rights/right[1]/certificate_number",
      { "rights/right[1]/certificate_number", "国海证2020B35010200456" } },
    { SA, "RL_DETAILS_DIFFER", "rights/right[1]/term_end",
      { "rights/right[1]/term_end", "2034-07-30" } },
    { SA, "PERIOD_INVERTED", "period/end", { "period/start", "2028-01-01" } },
    { SA, "PARTY_ADDRESS_MISSING", "pledgor/address", { "pledgor/address", NULL } },

    /* ---- land */
    { LD, "PLEDGOR_NOT_OWNER", "rights/right[1]/certificate_number",
      { "pledgor/name", "Company 0 Ltd.", "pledgor/@type", "organisation", "pledgor/id/@type",
        "uscc", "pledgor/id", "91350100100000008M" } },
    { LD, "RL_DETAILS_DIFFER", "rights/right[1]/term_start",
      { "rights/right[1]/term_start", "2018-01-02" } },
    { LD, "PERIOD_INVERTED", "period/end", { "period/start", "2027-01-01" } },
    { LD, "CLAIM_PERIOD_INVERTED", "claim/performance_end",
      { "claim/performance_start", "2026-09-01" } },
};
#define N_BREAKERS (sizeof breakers / sizeof breakers[0])

/* The pairs where one defect hides the other by nature, not by a rule
 * giving up: the first breaker destroys an input the second's rule
 * cannot do without. */
static const struct {
    int kind;
    const char *hider, *hider_at; /* code and path of the breaker that hides */
    const char *hidden;           /* the code hidden */
    const char *why;
} hidden[] = {
    { TM, "PARTY_ID_INVALID", "pledgor/id", "PARTIES_IDENTICAL",
      "the pledgor's identifier is wrong: whether the pledgee's is the same cannot be told" },
    { TM, "PARTY_ID_INVALID", "pledgor/id", "PLEDGOR_NAME_DIFFERS",
      "without its identifier the pledgor is recognised on the register by its name, so a "
      "different name makes it no owner (PLEDGOR_NOT_OWNER) rather than a renamed one" },
    { TM, "PERIOD_MISSING", "period/start", "PERIOD_INVERTED",
      "an order needs both ends of the period" },
    { TM, "PERIOD_BEFORE_DEBT", "period/end", "PERIOD_NOT_COVERING_DEBT",
      "a period that ends before the debt starts does not cover it either: one fact, "
      "reported once, by PERIOD_BEFORE_DEBT" },
    { TM, "CLAIM_PERIOD_INVERTED", "claim/performance_end", "PERIOD_NOT_COVERING_DEBT",
      "the debt now starts after the period ends: PERIOD_BEFORE_DEBT reports it" },
    { RC, "CLAIM_PERIOD_INVERTED", "claim/performance_end", "PERIOD_NOT_COVERING_DEBT",
      "the debt now starts after the period ends: PERIOD_BEFORE_DEBT reports it" },
    { RC, "PERIOD_INVERTED", "period/end", "RC_PERIOD_RANGE",
      "the length of a period that ends before it starts is not a length: which end is "
      "wrong decides it" },
    { EQ, "PARTY_ID_INVALID", "pledgor/id", "EQ_CAPITAL_EXCEEDS_HOLDING",
      "a holding is recorded under the shareholder's identifier: without a valid one the "
      "pledgor's holding cannot be found" },
};

static bool is_hidden(const breaker *a, const breaker *b)
{
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
        if (hidden[i].kind == a->kind && strcmp(hidden[i].hider, a->code) == 0 &&
            strcmp(hidden[i].hider_at, a->at) == 0 && strcmp(hidden[i].hidden, b->code) == 0)
            return true;
    return false;
}

/* The two paths name the same field, or one lies inside the other. */
static bool overlap(const char *p, const char *q)
{
    size_t n = strlen(p), m = strlen(q);
    if (n > m) {
        const char *t = p;
        p = q;
        q = t;
        n = m;
    }
    return strncmp(p, q, n) == 0 && (q[n] == '\0' || q[n] == '/' || q[n] == '[');
}

static bool touch_same_field(const breaker *a, const breaker *b)
{
    for (size_t i = 0; a->edits[i]; i += 2)
        for (size_t j = 0; b->edits[j]; j += 2)
            if (overlap(a->edits[i], b->edits[j]))
                return true;
    return false;
}

/* The sample of @kind with the edits of @a and @b (b may be NULL). */
static pledger_application *broken(int kind, const breaker *a, const breaker *b)
{
    pledger_application *app = fx_ck_sample(kind);
    PL_OK(NULL, fx_edit(app, a->edits));
    if (b)
        PL_OK(NULL, fx_edit(app, b->edits));
    return app;
}

static bool has(const pledger_review *rv, const char *code, const char *at)
{
    for (size_t i = 0; i < pledger_review_count(rv); i++)
        if (strcmp(pledger_review_code(rv, i), code) == 0 &&
            strcmp(pledger_review_path(rv, i), at) == 0)
            return true;
    return false;
}

START_TEST(test_pairs)
{
    int kind = _i;
    char *report = NULL;
    size_t len = 0, tested = 0, failed = 0, alone = 0;
    FILE *f = open_memstream(&report, &len);

    /* each breaker alone trips its rule */
    for (size_t i = 0; i < N_BREAKERS; i++) {
        const breaker *a = &breakers[i];
        if (a->kind != kind)
            continue;
        pledger_application *app = broken(kind, a, NULL);
        pledger_review *rv = NULL;
        PL_OK(reg, pledger_application_check(&rv, reg, app));
        ck_assert_msg(has(rv, a->code, a->at), "%s breaker %s at %s does not trip it alone",
                      fx_kinds[kind], a->code, a->at);
        alone++;
        pledger_review_free(rv);
        pledger_application_free(app);
    }
    ck_assert_uint_ge(alone, 4);

    /* every pair of independent edits: both findings */
    for (size_t i = 0; i < N_BREAKERS; i++) {
        for (size_t j = i + 1; j < N_BREAKERS; j++) {
            const breaker *a = &breakers[i], *b = &breakers[j];
            if (a->kind != kind || b->kind != kind || touch_same_field(a, b))
                continue;
            pledger_application *app = broken(kind, a, b);
            pledger_review *rv = NULL;
            PL_OK(reg, pledger_application_check(&rv, reg, app));
            bool ha = has(rv, a->code, a->at) || is_hidden(b, a);
            bool hb = has(rv, b->code, b->at) || is_hidden(a, b);
            if (!ha || !hb) {
                failed++;
                fprintf(f, "  %s at %s + %s at %s: %s%s%s missing\n", a->code, a->at, b->code,
                        b->at, ha ? "" : a->code, !ha && !hb ? " and " : "", hb ? "" : b->code);
            }
            tested++;
            pledger_review_free(rv);
            pledger_application_free(app);
        }
    }
    fclose(f);
    ck_assert_msg(failed == 0, "%s: %zu of %zu pairs lose a finding:\n%s", fx_kinds[kind], failed,
                  tested, report);
    ck_assert_uint_ge(tested, 6);
    printf("%s: %zu breakers, %zu pairs, both findings in each\n", fx_kinds[kind], alone, tested);
    free(report);
}
END_TEST

/* Every listed exception names a breaker that exists, and its pair is
 * really missing a finding (an exception no longer needed is removed). */
START_TEST(test_exceptions_needed)
{
    for (size_t h = 0; h < sizeof hidden / sizeof hidden[0]; h++) {
        const breaker *a = NULL, *b = NULL;
        for (size_t i = 0; i < N_BREAKERS; i++) {
            if (breakers[i].kind != hidden[h].kind)
                continue;
            if (!a && strcmp(breakers[i].code, hidden[h].hider) == 0 &&
                strcmp(breakers[i].at, hidden[h].hider_at) == 0)
                a = &breakers[i];
            if (!b && strcmp(breakers[i].code, hidden[h].hidden) == 0)
                b = &breakers[i];
        }
        if (!a || !b || touch_same_field(a, b))
            continue; /* not a pair the test runs */
        pledger_application *app = broken(a->kind, a, b);
        pledger_review *rv = NULL;
        PL_OK(reg, pledger_application_check(&rv, reg, app));
        ck_assert_msg(!has(rv, b->code, b->at), "%s hides %s no more: remove the exception (%s)",
                      a->code, b->code, hidden[h].why);
        pledger_review_free(rv);
        pledger_application_free(app);
    }
}
END_TEST

static Suite *pairs_suite(void)
{
    Suite *s = suite_create("rule-pairs");
    TCase *tc = tcase_create("pairs");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_pairs, 1, 8);
    tcase_add_test(tc, test_exceptions_needed);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(pairs_suite)
