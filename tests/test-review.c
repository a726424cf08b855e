/* The preliminary review (docs/domain.md §4, lib/rules/): for every rule a
 * document that trips it and one that passes it, a loop over the rule
 * table refusing a rule no case trips; every sample application clean
 * against the fixture register (tests/data/register-review.xml); one
 * application with many defects, every one reported with its path;
 * determinism; pledger_application_check() stores nothing; the public
 * table of codes; README's tables generated from the library.
 *
 * Built twice (tests/meson.build): the unit suite, and with PL_REVIEW_SLOW
 * the 'slow' suite, which times the review of a 20-mark application
 * against a generated register of 1,000,000 trademarks. */
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>

#include "testutil.h"
#include "store/sqlite.h"
#include "fixture.h"
#include "api/app-handle.h"
#include "api/handle.h"
#include "rules/rules.h"

#include <pledger/review.h>

static char *dir;
#ifndef PL_REVIEW_SLOW
static char *path;       /* the registry with the fixture register */
static char *path_empty; /* a registry whose reference register is empty */
static pledger_registry *reg, *reg_empty;
#endif

static pledger_registry *open_at(const char *file)
{
    pledger_registry *r = NULL;
    PL_OK(NULL, fx_open(&r, file, "FZ01", 0, -1));
    return r;
}

static void act(pledger_registry *r, const char *name, pledger_role role)
{
    PL_OK(r, pledger_set_actor(r, name, role));
}

#ifndef PL_REVIEW_SLOW
static void import_fixture(pledger_registry *r)
{
    char *file = pl_test_path(PLEDGER_TEST_DATADIR, "register-review.xml");
    pledger_import_report *rep = NULL;
    act(r, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(r, pledger_register_import(&rep, r, file, NULL));
    ck_assert_msg(pledger_import_report_rejected(rep) == 0, "fixture record rejected: line %llu: %s",
                  (unsigned long long)pledger_import_report_rejection_line(rep, 0),
                  pledger_import_report_rejection_message(rep, 0));
    ck_assert_uint_eq(pledger_import_report_inserted(rep), 39);
    pledger_import_report_free(rep);
    free(file);
}

static void setup(void)
{
    dir = pl_test_mkdir();
    path = pl_test_path(dir, "reg.db");
    path_empty = pl_test_path(dir, "empty.db");
    fx_now_us = FX_T0;
    reg = open_at(path);
    reg_empty = open_at(path_empty);
    import_fixture(reg);
}

static void teardown(void)
{
    pledger_close(reg);
    pledger_close(reg_empty);
    free(path);
    free(path_empty);
    pl_test_rmdir(dir);
}
#endif

/* ---- the bundling rule's candidates -------------------------------------- */

/* The review's own lookup of the marks to be pledged together with
 * @number agrees with pl_refreg_related_marks(): same numbers, same
 * statuses, same order.  Returns how many there are. */
static size_t related_agree(pledger_registry *r, pledger_id_type type, const char *owner,
                            const char *number)
{
    pl_err e = { 0, "" };
    pl_ref_trademark self;
    pl_ref_marks a, b;

    ck_assert_int_eq(pl_refreg_trademark(r->db, &e, number, &self), 0);
    ck_assert_msg(pl_refreg_related_marks(r->db, &e, type, owner, number, &a) == 0, "%s",
                  e.msg);
    ck_assert_msg(pl_rule_related_marks(r->db, &e, type, owner, &self, &b) == 0, "%s", e.msg);
    ck_assert_msg(a.n == b.n, "mark %s: %zu related marks, the review finds %zu", number, a.n,
                  b.n);
    for (size_t i = 0; i < a.n; i++) {
        ck_assert_str_eq(a.items[i].number, b.items[i].number);
        ck_assert_int_eq(a.items[i].status, b.items[i].status);
    }
    size_t n = a.n;
    pl_ref_marks_clear(&a);
    pl_ref_marks_clear(&b);
    pl_ref_trademark_clear(&self);
    return n;
}

/* ---- documents ------------------------------------------------------------ */

/* Apply (path, value) pairs; a NULL value removes the node. */
static void edit(pledger_application *app, const char *const *edits)
{
    PL_OK(NULL, fx_edit(app, edits));
}

#ifndef PL_REVIEW_SLOW
static void add_material(pledger_application *app, const char *kind)
{
    static const char bytes[] = "%PDF-1.4 scanned page";
    if (kind)
        PL_OK(NULL, pledger_application_add_material(app, kind, "附件.pdf", bytes,
                                                     sizeof bytes - 1));
}
#endif

/* Check @app against @r, asserting what every review must be: each
 * finding carries its rule's code, severity and basis, the rule applies to
 * the kind, and the path is a path of the document or "". */
static pledger_review *check(pledger_registry *r, pledger_application *app)
{
    pledger_review *rv = NULL;
    PL_OK(r, pledger_application_check(&rv, r, app));
    ck_assert_ptr_nonnull(rv);
    for (size_t i = 0; i < pledger_review_count(rv); i++) {
        const char *code = pledger_review_code(rv, i);
        const pl_rule *rule = pl_rule_find(code);
        ck_assert_msg(rule != NULL, "finding %zu: unknown code %s", i, code);
        ck_assert_int_eq(pledger_review_severity(rv, i), rule->severity);
        ck_assert_str_eq(pledger_review_basis(rv, i), rule->basis);
        ck_assert_msg(rule->kinds & PLEDGER_KIND_BIT(pledger_application_kind(app)),
                      "%s does not apply to %s", code, fx_kinds[pledger_application_kind(app)]);
        ck_assert_ptr_nonnull(pledger_review_path(rv, i));
        ck_assert(strlen(pledger_review_message(rv, i)) > 10);
    }
    return rv;
}

/* "CODE at path: message" of every finding, one a line (caller frees). */
static char *describe(const pledger_review *rv)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    for (size_t i = 0; i < pledger_review_count(rv); i++)
        fprintf(f, "  %s %s at %s: %s\n", pledger_severity_name(pledger_review_severity(rv, i)),
                pledger_review_code(rv, i), pledger_review_path(rv, i),
                pledger_review_message(rv, i));
    fclose(f);
    return out;
}

/* The first finding with @code (and @path unless NULL), or -1. */
static long find(const pledger_review *rv, const char *code, const char *at)
{
    for (size_t i = 0; i < pledger_review_count(rv); i++)
        if (strcmp(pledger_review_code(rv, i), code) == 0 &&
            (!at || strcmp(pledger_review_path(rv, i), at) == 0))
            return (long)i;
    return -1;
}

#ifndef PL_REVIEW_SLOW
static char *findings_json(const pledger_review *rv) { return pl_findings_json(&rv->f); }

/* ---- the registry's state, for the rules that read it ------------------------- */

/* Save, review, submit, accept and register the sample of @kind. */
static char *register_sample(int kind)
{
    pledger_application *app = fx_ck_sample(kind);
    char *num = NULL, *code = NULL;
    act(reg, "applicant-1", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_save(reg, app));
    char *uuid = strdup(pledger_application_uuid(app));
    PL_OK(reg, pledger_application_review(NULL, reg, uuid));
    PL_OK(reg, pledger_application_submit(reg, uuid));
    act(reg, "clerk-1", PLEDGER_ROLE_CLERK);
    PL_OK(reg, pledger_application_accept(NULL, reg, uuid));
    act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_application_register(&num, &code, reg, uuid));
    pledger_free(code);
    pledger_application_free(app);
    free(uuid);
    return num;
}

static void prepare_emission_pledged(void) { free(register_sample(PLEDGER_KIND_EMISSION)); }

static void prepare_land_draft(void)
{
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_LAND);
    act(reg, "applicant-2", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_save(reg, app));
    /* the saved document itself is not "another pending application" */
    pledger_review *rv = check(reg, app);
    ck_assert_int_eq(find(rv, "RIGHT_PENDING_APPLICATION", NULL), -1);
    pledger_review_free(rv);
    pledger_application_free(app);
}

static void prepare_receivable_pledged(void) { free(register_sample(PLEDGER_KIND_RECEIVABLE)); }

static void prepare_receivable_objected(void)
{
    char *num = register_sample(PLEDGER_KIND_RECEIVABLE);
    act(reg, "pledgor", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_pledge_object(reg, num, "福建闽江食品有限公司", "paid"));
    free(num);
}

/* ---- messages are whole sentences -------------------------------------------- */

/* NULL when @text ends as a sentence, else why not.  A sentence is not
 * empty, has no space at either end, closes every parenthesis and quote it
 * opens, does not end on a separator (, ; : - / or an opening
 * parenthesis), nor on a word that cannot end an English sentence (an
 * article, a preposition, a conjunction, an auxiliary: what a cut leaves,
 * "only the first registered can be"); with @stop, it ends with a full
 * stop ('.' or '。').  Legal-basis notes are citations and end without
 * one. */
static const char *not_a_sentence(const char *text, bool stop)
{
    static const char *const dangling[] = {
        "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "into",
        "and", "or", "but", "nor", "than", "as", "if", "that", "which", "whose", "be", "been",
        "is", "are", "was", "were", "can", "could", "may", "must", "shall", "should", "will",
        "would", "its", "their", "his", "her", "each", "every", "per",
    };
    size_t n = text ? strlen(text) : 0;
    int paren = 0, quotes = 0;
    char word[32];
    size_t end, w;

    if (n == 0)
        return "empty";
    if (text[0] == ' ' || text[n - 1] == ' ')
        return "a space at an end";
    for (size_t i = 0; i < n; i++) {
        paren += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
        quotes += text[i] == '\'' && (i == 0 || !((text[i - 1] | 32) >= 'a' &&
                                                   (text[i - 1] | 32) <= 'z'));
        if (paren < 0)
            return "a ')' without its '('";
    }
    if (paren)
        return "an unclosed '('";
    end = n;
    if (stop) {
        if (n >= 3 && strcmp(text + n - 3, "。") == 0)
            end = n - 3;
        else if (text[n - 1] == '.')
            end = n - 1;
        else
            return "no full stop at the end";
    }
    if (end == 0)
        return "nothing before the full stop";
    if (strchr(",;:-/( ", text[end - 1]))
        return "ends on a separator";
    /* the last word, ASCII letters only */
    for (w = end; w > 0 && (((text[w - 1] | 32) >= 'a' && (text[w - 1] | 32) <= 'z')); w--)
        ;
    if (end - w == 0 || end - w >= sizeof word || (w > 0 && text[w - 1] != ' '))
        return NULL; /* a number, a code, a quote, a closing parenthesis */
    for (size_t i = 0; i < end - w; i++)
        word[i] = (char)(text[w + i] | 32);
    word[end - w] = '\0';
    for (size_t i = 0; i < sizeof dangling / sizeof dangling[0]; i++)
        if (strcmp(word, dangling[i]) == 0)
            return "ends on a word no sentence ends on (cut off?)";
    (void)quotes;
    return NULL;
}

START_TEST(test_sentence_check)
{
    /* the check itself: what it refuses, what it lets through */
    ck_assert_ptr_nonnull(not_a_sentence("only the first registered can be.", true));
    ck_assert_ptr_nonnull(not_a_sentence("the pledgor is missing", true));
    ck_assert_ptr_nonnull(not_a_sentence("the pledge contract does not name:.", true));
    ck_assert_ptr_nonnull(not_a_sentence("in force until (2025-12-30.", true));
    ck_assert_ptr_nonnull(not_a_sentence("", false));
    ck_assert_ptr_null(not_a_sentence("the pledgor is missing.", true));
    ck_assert_ptr_null(not_a_sentence("patent 201310699744.2 ends on 2026-02-28 (2027-02-28).",
                                      true));
    ck_assert_ptr_null(not_a_sentence("已知悉风险。", true));
    ck_assert_ptr_null(not_a_sentence("Patent Law art. 9", false));
}
END_TEST

/* Every row's meaning is a sentence, its legal basis a complete note. */
START_TEST(test_rule_texts_are_sentences)
{
    for (size_t i = 0; i < pledger_review_rule_count(); i++) {
        const char *why;
        why = not_a_sentence(pledger_review_rule_meaning(i), true);
        ck_assert_msg(!why, "%s: meaning '%s': %s", pledger_review_rule_code(i),
                      pledger_review_rule_meaning(i), why);
        why = not_a_sentence(pledger_review_rule_basis(i), false);
        ck_assert_msg(!why, "%s: basis '%s': %s", pledger_review_rule_code(i),
                      pledger_review_rule_basis(i), why);
    }
}
END_TEST

/* ---- one case per rule (or more) --------------------------------------------- */

/* the reference register of both documents: the fixture, or an empty one;
 * EMPTY_TRIP: the tripping document against an empty one */
enum { FIXTURE, EMPTY, EMPTY_TRIP };

typedef struct rcase {
    const char *code;
    int kind;
    const char *trip[16];      /* (path, value) pairs turning the sample into a tripping one */
    const char *at;            /* the path the finding names */
    const char *needle;        /* in its message, or NULL */
    const char *pass[16];      /* edits of a passing document (none: the sample itself) */
    const char *trip_material; /* a material added to the tripping document, or NULL */
    const char *pass_material; /* ... to the passing one */
    int registry;              /* FIXTURE, EMPTY or EMPTY_TRIP */
    void (*prepare)(void);     /* registry state, after the pass and before the trip */
} rcase;

#define TM PLEDGER_KIND_TRADEMARK
#define PT PLEDGER_KIND_PATENT
#define RC PLEDGER_KIND_RECEIVABLE
#define EQ PLEDGER_KIND_EQUITY
#define EM PLEDGER_KIND_EMISSION
#define SA PLEDGER_KIND_SEA_AREA
#define LD PLEDGER_KIND_LAND

#define FOREIGN_PLEDGEE "pledgee/@type", "foreign", "pledgee/id/@type", "foreign_reg",  \
                        "pledgee/id", "HRB 86891"

static const rcase cases[] = {
    /* ---- rules-common.c */
    { "PARTY_MISSING", TM, { "pledgee", NULL }, "pledgee", "pledgee is missing" },
    { "PARTY_TYPE_MISSING", TM, { "pledgor/@type", NULL }, "pledgor/@type", NULL },
    { "PARTY_NAME_MISSING", TM, { "agent/name", NULL }, "agent/name", "agent has no name" },
    /* white space alone, of any kind (ideographic, no-break, em space), is no name: a
     * receivable was registered under a pledgor and a pledgee of nothing but spaces */
    { "PARTY_NAME_MISSING", RC, { "pledgor/name", "\xe3\x80\x80" }, "pledgor/name",
      "the pledgor has no name" },
    { "PARTY_NAME_MISSING", RC, { "pledgee/name", "\xc2\xa0\xe2\x80\x83\xe3\x80\x80" },
      "pledgee/name", "the pledgee has no name" },
    { "PARTY_NAME_MISSING", RC, { "rights/right[1]/debtors/party/name", "\xe3\x80\x80" },
      "rights/right[1]/debtors/party/name", "the debtor of the receivable has no name",
      { "rights/right[1]/debtors/party/name",
        "\xe3\x80\x80深圳市前海超市连锁有限公司\xc2\xa0" } },
    /* a name that shows the same and is searched otherwise */
    { "PARTY_NAME_INVISIBLE", RC, { "pledgor/name", "福建闽江\xe2\x80\x8b食品有限公司" },
      "pledgor/name", "the pledgor's name holds U+200B, a character that shows nothing" },
    { "PARTY_NAME_INVISIBLE", TM, { "pledgee/name", "招商银行股份有限\xc2\xad公司" },
      "pledgee/name", "U+00AD" },
    { "PARTY_NAME_INVISIBLE", EQ, { "pledgor/name", "福建\xe3\x85\xa4闽江食品有限公司" },
      "pledgor/name", "U+3164" },
    /* a character no name shows as itself: an interlinear annotation, a
     * noncharacter (a line break, a tab, DEL, a C1 control, the line
     * separator and the bidirectional controls are refused before any
     * review, as in every text: test-controls.c) */
    { "PARTY_NAME_INVISIBLE", LD, { "pledgor/name", "福建\xef\xbf\xb9闽江" }, "pledgor/name",
      "U+FFF9" },
    { "PARTY_NAME_INVISIBLE", EQ, { "pledgee/name", "福建\xef\xb7\x90闽江" }, "pledgee/name",
      "U+FDD0" },
    /* a combining mark with nothing to sit on: alone, first, first of a word; the
     * decomposed "José García" (marks on their letters) passes */
    { "PARTY_NAME_INVISIBLE", TM, { "agent/name", "\xcc\x81" }, "agent/name",
      "the agent's name holds U+0301, a combining mark with no letter to sit on",
      { "agent/name", "Jose\xcc\x81 Garci\xcc\x81" "a" } },
    { "PARTY_NAME_INVISIBLE", PT, { "pledgee/name", "\xcc\x81招商银行" }, "pledgee/name",
      "U+0301" },
    { "PARTY_NAME_INVISIBLE", RC, { "rights/right[1]/debtors/party/name",
                                    "深圳 \xe3\x82\x99超市" },
      "rights/right[1]/debtors/party/name", "U+3099",
      { "rights/right[1]/debtors/party/name", "\xe3\x82\xab\xe3\x82\x99商事" } },
    /* no letter or digit at all, of any kind of party and right */
    { "PARTY_NAME_NO_LETTER", TM, { "pledgor/name", "\xe2\x80\xa6\xe2\x80\xa6" },
      "pledgor/name", "the pledgor's name '……' has no letter or digit" },
    { "PARTY_NAME_NO_LETTER", PT, { "pledgee/name", "***" }, "pledgee/name", "'***'" },
    { "PARTY_NAME_NO_LETTER", RC, { "rights/right[1]/debtors/party/name", "\xef\xbf\xa5" },
      "rights/right[1]/debtors/party/name", "debtor" },
    { "PARTY_NAME_NO_LETTER", EQ, { "pledgee/name", "\xf0\x9f\x8f\xa6\xe2\x84\xa2" },
      "pledgee/name", NULL },
    { "PARTY_NAME_NO_LETTER", EM, { "pledgor/name", "\xcc\x81\xcc\x81" }, "pledgor/name",
      NULL },
    { "PARTY_NAME_NO_LETTER", SA, { "pledgee/name", "\xe3\x80\x8a\xe3\x80\x8b\xe3\x80\x81" },
      "pledgee/name", NULL, { "pledgee/name", "\xe3\x80\x87\xe3\x80\x87科技" } },
    { "PARTY_NAME_NO_LETTER", LD, { "pledgee/name", "- / -" }, "pledgee/name", NULL,
      { "pledgee/name", "Ünïcödé Bank" } },
    { "PARTY_ID_MISSING", RC, { "rights/right[2]/debtors/party/id", NULL },
      "rights/right[2]/debtors/party/id", "debtor of the receivable" },
    { "PARTY_ID_INVALID", TM, { "pledgor/id", "91350100M000100Y44" }, "pledgor/id",
      "check character" },
    { "PARTY_ID_REGION_UNKNOWN", LD, { "pledgor/id", "990101198001010014" }, "pledgor/id",
      "the pledgor's resident identity number: address code 990101: 99 is no province" },
    { "PARTY_ID_REGION_UNKNOWN", LD, { "pledgor/id", "110103201101010015" }, "pledgor/id",
      "(北京市崇文区) was retired after 2009" },
    { "PARTY_ID_TYPE_MISMATCH", TM, { "pledgee/@type", "person" }, "pledgee/id/@type",
      "a person but is identified by a USCC" },
    { "PARTY_ADDRESS_MISSING", PT, { "pledgee/address", NULL }, "pledgee/address", NULL },
    { "PARTY_ADDRESS_MISSING", SA, { "pledgor/address", "\xe3\x80\x80\xe3\x80\x80" },
      "pledgor/address", NULL },
    { "PARTY_COUNTRY_UNKNOWN", EQ, { "pledgor/country", "ZZ" }, "pledgor/country",
      "the pledgor's country 'ZZ' is not an ISO 3166-1 two-letter code" },
    { "PARTY_COUNTRY_UNKNOWN", EQ, { "pledgee/country", "China" }, "pledgee/country",
      "'China' is not" },
    { "PARTY_COUNTRY_UNKNOWN", EQ, { "pledgor/country", "cn" }, "pledgor/country", "'cn'" },
    { "PARTIES_IDENTICAL", TM, { "pledgee/id", "91350100m000100y43" }, "pledgee/id", NULL },
    /* the same wrong number twice */
    { "PARTIES_IDENTICAL", TM, { "pledgor/id", "91350100M000100Y44", "pledgee/id",
                                 "91350100m000100y44" }, "pledgee/id", NULL },
    { "AGENT_REQUIRED", PT, { FOREIGN_PLEDGEE }, "agent", "pledgee is foreign",
      { FOREIGN_PLEDGEE, "agent/@type", "organisation", "agent/name", "北京专利代理事务所",
        "agent/id/@type", "uscc", "agent/id", "914403001922038216" },
      NULL, "power_of_attorney" },
    { "AGENT_REQUIRED", TM, { FOREIGN_PLEDGEE, "agent", NULL }, "agent", NULL,
      { FOREIGN_PLEDGEE } },
    { "AGENT_POA_MISSING", TM, { "materials/material[6]", NULL }, "materials",
      "power of attorney" },
    { "AGENT_POA_MISSING", EQ, { "agent/name", "王芳", "agent/@type", "person" }, "materials",
      NULL, { "agent/name", "王芳", "agent/@type", "person" }, NULL, "power_of_attorney" },
    { "FILING_JOINT_REQUIRED", EQ, { "filing/joint", "false" }, "filing/joint", NULL },
    { "FILING_JOINT_REQUIRED", SA, { "filing", NULL }, "filing/joint",
      "a sea-area use right application is filed jointly" },
    { "RIGHTS_MISSING", LD, { "rights", NULL }, "rights", NULL },
    { "RIGHT_ID_MISSING", SA, { "rights/right[1]/certificate_number", NULL },
      "rights/right[1]/certificate_number", NULL },
    { "RIGHT_ID_INVALID", PT, { "rights/right[2]/number", "201080063196.8" },
      "rights/right[2]/number", "check" },
    /* equity is named by its company's code ("the equity in company number is invalid") */
    { "RIGHT_ID_INVALID", EQ, { "rights/right[1]/company_uscc", "91350100M000100Y42" },
      "rights/right[1]/company_uscc", "the company's unified social credit code is invalid: "
      "USCC '91350100M000100Y42': check character is '2', expected '3'" },
    { "RIGHT_ID_MISSING", EQ, { "rights/right[1]/company_uscc", NULL },
      "rights/right[1]/company_uscc", "the company's unified social credit code is missing" },
    { "RIGHT_DUPLICATE", TM, { "rights/right[2]/number", "１２３４５６７８" }, "rights/right[2]",
      "see rights/right[1]" },
    /* the same invalid number twice */
    { "RIGHT_DUPLICATE", PT, { "rights/right[1]/number", "201080063196.8",
                               "rights/right[2]/number", "201080063196.8" }, "rights/right[2]",
      "see rights/right[1]" },
    { "RIGHT_FIELD_MISSING", EM, { "rights/right[1]/pollutant", NULL },
      "rights/right[1]/pollutant", "the pollutant" },
    { "RIGHT_FIELD_MISSING", TM, { "rights/right[1]/classes", NULL },
      "rights/right[1]/classes", "missing: the Nice classes of the pledged trademark" },
    { "RIGHT_FIELD_MISSING", RC, { "rights/right[1]/debtors", NULL },
      "rights/right[1]/debtors/party", "the debtor" },
    { "QUANTITY_NOT_POSITIVE", EM, { "rights/right[1]/allowance", "0.000" },
      "rights/right[1]/allowance", "the allowance pledged of the pledged pollutant discharge right is 0.000",
      { "rights/right[1]/allowance", "0.001" } },
    { "QUANTITY_NOT_POSITIVE", SA, { "rights/right[1]/area", "0" }, "rights/right[1]/area",
      "the area of the pledged sea-area use right is 0: a pledge of nothing",
      { "rights/right[1]/area", "0.01" } },
    { "QUANTITY_NOT_POSITIVE", LD, { "rights/right[1]/area", "00.00" }, "rights/right[1]/area",
      NULL, { "rights/right[1]/area", "10" } },
    /* the right's own dates: the review took an inverted term, a patent granted before it
     * was filed or filed in 2099 (whose term then ran from 2099) */
    { "RIGHT_DATES_INCONSISTENT", SA, { "rights/right[1]/term_start", "2040-01-01" },
      "rights/right[1]/term_end", "the term of the use right ends (2034-07-31) before it "
      "starts (2040-01-01)" },
    { "RIGHT_DATES_INCONSISTENT", LD, { "rights/right[1]/term_end", "2017-12-31" },
      "rights/right[1]/term_end", "before it starts (2018-01-01)", .registry = EMPTY },
    { "RIGHT_DATES_INCONSISTENT", EM, { "rights/right[1]/valid_from", "2030-01-01" },
      "rights/right[1]/valid_to", "the validity of the permit ends", .registry = EMPTY },
    { "RIGHT_DATES_INCONSISTENT", PT, { "rights/right[2]/grant_date", "2010-12-08" },
      "rights/right[2]/grant_date", "granted on 2010-12-08, before it was filed (2010-12-09)",
      { "rights/right[2]/grant_date", "2010-12-09" }, .registry = EMPTY },
    { "RIGHT_DATES_INCONSISTENT", PT, { "rights/right[2]/filing_date", "2099-01-01",
                                        "rights/right[2]/grant_date", NULL },
      "rights/right[2]/filing_date", "filing date 2099-01-01 is after the day of the review",
      .registry = EMPTY },
    { "CLAIM_MISSING", RC, { "claim", NULL }, "claim", NULL },
    { "CLAIM_TYPE_MISSING", EQ, { "claim/type", NULL }, "claim/type", NULL },
    { "AMOUNT_MISSING", EQ, { "rights/right[1]/capital", NULL }, "rights/right[1]/capital",
      "pledged capital" },
    { "AMOUNT_MISSING", TM, { "claim/amount", NULL }, "claim/amount", "secured amount" },
    { "AMOUNT_NOT_POSITIVE", RC, { "rights/right[1]/amount", "0" }, "rights/right[1]/amount",
      NULL },
    { "CURRENCY_UNKNOWN", TM, { "claim/amount/@currency", "XYZ" }, "claim/amount/@currency",
      "'XYZ'" },
    { "CURRENCY_UNKNOWN", PT, { "valuation/value/@currency", NULL },
      "valuation/value/@currency", "currency of the valuation is missing" },
    { "DATE_INVALID", PT, { "rights/right[2]/grant_date", "1899-12-31" },
      "rights/right[2]/grant_date", "1899-12-31" },
    { "CLAIM_DEADLINE_MISSING", SA, { "claim/performance_end", NULL },
      "claim/performance_end", NULL },
    { "CLAIM_PERIOD_INVERTED", LD, { "claim/performance_start", "2027-01-01" },
      "claim/performance_end", NULL },
    { "PERIOD_MISSING", EM, { "period/start", NULL }, "period/start", NULL },
    { "PERIOD_INVERTED", TM, { "period/start", "2028-01-01" }, "period/end", NULL },
    { "PERIOD_BEFORE_DEBT", TM, { "period/start", "2020-01-01", "period/end", "2023-12-31" },
      "period/end", "before the debt's performance period starts" },
    /* an inverted period: each end compared on its own */
    { "PERIOD_BEFORE_DEBT", TM, { "period/end", "2023-12-31" }, "period/end",
      "before the debt's performance period starts" },
    { "PERIOD_BEFORE_DEBT", TM, { "period/start", "2027-03-01", "period/end", "2024-06-30" },
      "period/start", "after the debtor's performance deadline" },
    { "PERIOD_NOT_COVERING_DEBT", PT, { "period/end", "2025-12-31" }, "period/end",
      "lapses while the debt runs" },
    /* a period starting on the deadline: it starts after the debt's period starts, not
     * "after the debt's performance period (2024-04-01)" */
    { "PERIOD_NOT_COVERING_DEBT", PT, { "period/start", "2026-03-31" }, "period/start",
      "the registration period starts (2026-03-31) after the debt's performance period starts "
      "(2024-04-01): the debt runs unsecured until then" },
    /* the review's day (2024-04-01) is the period's last day it takes */
    { "PERIOD_ENDED", RC, { "period/start", "2024-02-01", "period/end", "2024-03-31" },
      "period/end", "ended on 2024-03-31, before the day of the review (2024-04-01)",
      { "period/start", "2024-02-01", "period/end", "2024-04-01" } },
    { "PERIOD_ENDED", TM, { "period/end", "2024-03-31" }, "period/end", NULL },
    { "CONTRACT_MISSING", EQ, { "contract", NULL }, "contract", NULL },
    /* the review's day (the fixture's clock: 2024-04-01) passes, the next trips */
    { "CONTRACT_DATE_FUTURE", EQ, { "contract/date", "2024-04-02" }, "contract/date",
      "dated 2024-04-02, after the day of the review (2024-04-01)",
      { "contract/date", "2024-04-01" } },
    { "CONTRACT_DATE_FUTURE", RC, { "contract/date", "2031-01-01" }, "contract/date", NULL },
    { "CONTRACT_CLAUSES_MISSING", TM, { "contract/clauses", "parties claim rights" },
      "contract/clauses", "does not name: addresses, deadline, scope" },
    { "MATERIAL_MISSING", TM, { "materials/material[2]", NULL }, "materials",
      "commitment_letter" },
    { "MATERIAL_MISSING", TM, { "materials/material[5]", NULL }, "materials",
      "a required material is missing: the identity documents of the parties (material "
      "kind identity)" },
    { "MATERIAL_MISSING", PT, { "materials/material[5]", NULL }, "materials",
      "evaluation_report", { "materials/material[5]", NULL, "valuation", NULL } },
    { "MATERIAL_MISSING", PT, { "materials/material[4]", NULL }, "materials", "consent",
      { "materials/material[4]", NULL, "rights/right[1]/co_owners", NULL,
        "rights/right[1]/number", "201410000001.6" } },
    { "MATERIAL_INCOMPLETE", LD, { "materials/material[1]/size", NULL },
      "materials/material[1]/size", NULL },
    /* an empty file is no document (the schema takes no negative size) */
    { "MATERIAL_INCOMPLETE", TM, { "materials/material[4]/size", "０" },
      "materials/material[4]/size", "is an empty file (0 bytes): attach the document itself",
      { "materials/material[4]/size", "1" } },
    { "MATERIAL_INCOMPLETE", EQ, { "materials/material[2]/file_name", "\xe3\x80\x80" },
      "materials/material[2]/file_name", "file name" },
    { "MATERIAL_DIGEST_MISSING", SA, { "materials/material[1]/sha256", NULL },
      "materials/material[1]/sha256", NULL },
    { "TRANSLATION_MISSING", PT, { "materials/material[2]/language", "en" },
      "materials/material[2]/language", "'en'", { "materials/material[2]/language", "en" },
      NULL, "translation" },
    { "TRANSLATION_MISSING", TM, { "contract/language", "English" }, "contract/language",
      NULL, { "contract/language", "zh-Hans" } },
    { "RIGHT_ALREADY_PLEDGED", EM, { NULL }, "rights/right[1]/permit_number",
      "R-FZ01-EM-2024-000001", .prepare = prepare_emission_pledged },
    { "RIGHT_PENDING_APPLICATION", LD, { NULL }, "rights/right[1]/certificate_number",
      "only the first of them to reach registration can be registered; the right is then "
      "pledged and the others are refused.", .prepare = prepare_land_draft },
    /* ---- rules-register.c */
    /* the kind in words, not its API name ("no sea_area records") */
    { "REGISTER_NOT_LOADED", SA, { NULL }, "rights", "no sea-area use right records",
      .registry = EMPTY_TRIP },
    { "REGISTER_NOT_LOADED", EM, { NULL }, "rights", "no pollutant discharge right records",
      .registry = EMPTY_TRIP },
    { "REGISTER_NOT_LOADED", EQ, { NULL }, "rights", "no shareholding records",
      .registry = EMPTY_TRIP },
    { "RIGHT_NOT_ON_REGISTER", TM, { "rights/right[2]/number", "7654320" },
      "rights/right[2]/number", "trademark 7654320" },
    { "RIGHT_NOT_ON_REGISTER", EQ, { "rights/right[1]/company_uscc", "91350100100000024B" },
      "rights/right[1]/company_uscc", NULL },
    { "PLEDGOR_NOT_OWNER", TM, { "rights/right[2]/number", "30000005" },
      "rights/right[2]/number", "recorded: Company 0 Ltd." },
    /* the pledgor's identifier invalid: judged by its name */
    { "PLEDGOR_NOT_OWNER", TM, { "rights/right[2]/number", "30000005", "pledgor/id",
                                 "91350100M000100Y44" },
      "rights/right[2]/number", "recorded: Company 0 Ltd.", { "pledgor/id", "91350100M000100Y44" } },
    { "PLEDGOR_NOT_OWNER", EQ, { "rights/right[1]/company_uscc", "91350100100000016G",
                                 "rights/right[1]/company_name", "Company 1 Ltd." },
      "rights/right[1]/company_uscc", "not a recorded shareholder" },
    { "PLEDGOR_NOT_OWNER", LD, { "pledgor/id", "914403001922038216", "pledgor/id/@type", "uscc",
                                 "pledgor/@type", "organisation" },
      "rights/right[1]/certificate_number", NULL },
    { "PLEDGOR_NAME_DIFFERS", TM, { "rights/right[2]/number", "30000006" }, "pledgor/name",
      "'福州闽江罐头厂'", { "rights/right[2]/number", "30000006" }, NULL, "name_change_proof" },
    { "PLEDGOR_NAME_DIFFERS", EQ, { "pledgor/name", "王小芳" }, "pledgor/name", "'王芳'" },
    { "PLEDGOR_NAME_CHANGED", TM, { "rights/right[2]/number", "30000006" }, "pledgor/name",
      "will be examined", .trip_material = "name_change_proof" },
    { "RIGHT_NOT_IN_FORCE", TM, { "rights/right[2]/number", "30000001" },
      "rights/right[2]/number", "is cancelled" },
    { "RIGHT_NOT_IN_FORCE", TM, { "rights/right[2]/number", "30000002" },
      "rights/right[2]/number", "is expired" },
    { "RIGHT_NOT_IN_FORCE", PT, { "rights/right[2]/number", "201710000003.9" },
      "rights/right[2]/number", "is not_granted" },
    { "RIGHT_EXPIRES_IN_PERIOD", TM, { "rights/right[2]/number", "30000007" },
      "rights/right[2]/number", "until 2025-12-30" },
    { "RIGHT_EXPIRES_IN_PERIOD", TM, { "rights/right[2]/number", "30000009" },
      "rights/right[2]/number", "only from 2024-06-01" },
    /* an inverted period still has an end to compare with */
    { "RIGHT_EXPIRES_IN_PERIOD", TM, { "rights/right[2]/number", "30000007",
                                       "period/start", "2028-01-01" },
      "rights/right[2]/number", "until 2025-12-30" },
    { "RIGHT_EXPIRES_IN_PERIOD", EM, { "rights/right[1]/permit_number", "91350100M000100Y43002P" },
      "rights/right[1]/permit_number", NULL },
    { "RIGHT_SEIZED", TM, { "rights/right[2]/number", "30000003" }, "rights/right[2]/number",
      NULL },
    { "RIGHT_SEIZED", SA, { "rights/right[1]/certificate_number", "国海证2020B35010200456" },
      "rights/right[1]/certificate_number", NULL },
    { "RIGHT_FROZEN", TM, { "rights/right[2]/number", "30000004" }, "rights/right[2]/number",
      NULL },
    { "RIGHT_FROZEN", EQ, { "rights/right[1]/company_uscc", "914403001922038216",
                            "rights/right[1]/company_name", "深圳市南山精密仪器有限公司" },
      "rights/right[1]/company_uscc", "holding" },
    /* a co-owned trademark, permit, sea area or land pledged by one owner alone: every
     * other owner on the register is named, and consents (as PT_CO_OWNER_*) */
    { "CO_OWNER_UNDECLARED", TM, { "rights/right[2]/number", "30000010" },
      "rights/right[2]/co_owners", "trademark 30000010 has 2 owners on the register; not the "
      "pledgor and not named as co-owners: 王芳 (name each under co_owners with its consent",
      { "rights/right[2]/number", "30000010", "rights/right[2]/co_owners/party/@type", "person", "rights/right[2]/co_owners/party/name", "王芳", "rights/right[2]/co_owners/party/id/@type", "resident", "rights/right[2]/co_owners/party/id", "11010519491231002X", "rights/right[2]/co_owners/party/@consent", "true" } },
    { "CO_OWNER_UNDECLARED", EM, { "rights/right[1]/permit_number", "91350100M000100Y43003P" },
      "rights/right[1]/co_owners", "discharge permit 91350100M000100Y43003P has 2 owners on the "
      "register; not the pledgor and not named as co-owners: Company 0 Ltd. (",
      { "rights/right[1]/permit_number", "91350100M000100Y43003P", "rights/right[1]/co_owners/party/@type", "organisation", "rights/right[1]/co_owners/party/name", "Company 0 Ltd.", "rights/right[1]/co_owners/party/id/@type", "uscc", "rights/right[1]/co_owners/party/id", "91350100100000008M", "rights/right[1]/co_owners/party/@consent", "true" } },
    { "CO_OWNER_UNDECLARED", SA, { "rights/right[1]/certificate_number",
                                   "国海证2021B35010200789" },
      "rights/right[1]/co_owners", ": 王芳 (",
      { "rights/right[1]/certificate_number", "国海证2021B35010200789", "rights/right[1]/co_owners/party/@type", "person", "rights/right[1]/co_owners/party/name", "王芳", "rights/right[1]/co_owners/party/id/@type", "resident", "rights/right[1]/co_owners/party/id", "11010519491231002X", "rights/right[1]/co_owners/party/@consent", "true" } },
    /* a co-owner named by name alone (no identifier) is still named */
    { "CO_OWNER_UNDECLARED", LD, { "rights/right[1]/certificate_number", "J110118201800456" },
      "rights/right[1]/co_owners", ": 张伟 (",
      { "rights/right[1]/certificate_number", "J110118201800456",
        "rights/right[1]/co_owners/party/@type", "person", "rights/right[1]/co_owners/party/name",
        "张伟", "rights/right[1]/co_owners/party/@consent", "true" } },
    { "CO_OWNER_CONSENT", TM, { "rights/right[2]/number", "30000010", "rights/right[2]/co_owners/party/@type", "person", "rights/right[2]/co_owners/party/name", "王芳", "rights/right[2]/co_owners/party/id/@type", "resident", "rights/right[2]/co_owners/party/id", "11010519491231002X", "rights/right[2]/co_owners/party/@consent", "false" },
      "rights/right[2]/co_owners/party/@consent",
      "co-owner 王芳 of trademark 30000010 has not consented to the pledge",
      { "rights/right[2]/number", "30000010", "rights/right[2]/co_owners/party/@type", "person", "rights/right[2]/co_owners/party/name", "王芳", "rights/right[2]/co_owners/party/id/@type", "resident", "rights/right[2]/co_owners/party/id", "11010519491231002X", "rights/right[2]/co_owners/party/@consent", "true" } },
    { "CO_OWNER_CONSENT", LD, { "rights/right[1]/certificate_number", "J110118201800456",
                                "rights/right[1]/co_owners/party/name", "张伟" },
      "rights/right[1]/co_owners/party/@consent", "co-owner 张伟 of" },
    /* a co-owner the register does not know: of a sole owner's right, of a patent (by
     * identifier), of a household's land (by name alone) */
    { "CO_OWNER_NOT_OWNER", TM,
      { "rights/right[1]/co_owners/party/@type", "person", "rights/right[1]/co_owners/party/name",
        "李四", "rights/right[1]/co_owners/party/id/@type", "resident",
        "rights/right[1]/co_owners/party/id", "110105198001010016",
        "rights/right[1]/co_owners/party/@consent", "true" },
      "rights/right[1]/co_owners/party", "李四 is named as a co-owner of trademark 12345678 "
      "but is not one of its owners on the register (recorded: 福建闽江食品有限公司)" },
    { "CO_OWNER_NOT_OWNER", PT,
      { "rights/right[1]/co_owners/party/name", "张伟", "rights/right[1]/co_owners/party/id",
        "110105198001010016" },
      "rights/right[1]/co_owners/party", "张伟 is named as a co-owner of patent 201310699744.2" },
    { "CO_OWNER_NOT_OWNER", LD,
      { "rights/right[1]/certificate_number", "J110118201800456",
        "rights/right[1]/co_owners/party/@type", "person", "rights/right[1]/co_owners/party/name",
        "李四", "rights/right[1]/co_owners/party/@consent", "true" },
      "rights/right[1]/co_owners/party", "(recorded: 王芳 and others)",
      { "rights/right[1]/certificate_number", "J110118201800456",
        "rights/right[1]/co_owners/party/@type", "person", "rights/right[1]/co_owners/party/name",
        "张伟", "rights/right[1]/co_owners/party/@consent", "true" } },
    /* the consent is a material of every co-owned kind */
    { "MATERIAL_MISSING", TM, { "rights/right[2]/number", "30000010", "rights/right[2]/co_owners/party/@type", "person", "rights/right[2]/co_owners/party/name", "王芳", "rights/right[2]/co_owners/party/id/@type", "resident", "rights/right[2]/co_owners/party/id", "11010519491231002X", "rights/right[2]/co_owners/party/@consent", "true" },
      "materials", "the consent of the co-owners (material kind consent)",
      { "rights/right[2]/number", "30000010", "rights/right[2]/co_owners/party/@type", "person", "rights/right[2]/co_owners/party/name", "王芳", "rights/right[2]/co_owners/party/id/@type", "resident", "rights/right[2]/co_owners/party/id", "11010519491231002X", "rights/right[2]/co_owners/party/@consent", "true" }, NULL, "consent" },
    { "MATERIAL_MISSING", EM, { "rights/right[1]/permit_number", "91350100M000100Y43003P" },
      "materials", "the consent of the co-owners" },
    /* ---- rules-trademark.c */
    /* the pledgor's identifier invalid: its marks found through the registrant */
    { "TM_BUNDLE_MISSING", TM,
      { "rights/right[2]/number", "20000001", "rights/right[2]/classes", "30",
        "rights/right[2]/mark", "榕城", "pledgor/id", "91350100M000100Y44" },
      "rights/right[2]/number", ": 20000004, G2000006 are not in the application" },
    { "TM_BUNDLE_MISSING", TM,
      { "rights/right[2]/number", "20000001", "rights/right[2]/classes", "30",
        "rights/right[2]/mark", "榕城" },
      "rights/right[2]/number", ": 20000004, G2000006 are not in the application",
      { "rights/right[2]/number", "20000001", "rights/right[2]/classes", "30",
        "rights/right[2]/mark", "榕城", "rights/right[3]/number", "20000004",
        "rights/right[3]/classes", "30", "rights/right[4]/number", "G2000006",
        "rights/right[4]/classes", "30" } },
    { "TM_DETAILS_DIFFER", TM, { "rights/right[1]/classes", "29 31" },
      "rights/right[1]/classes", "not registered in class 31" },
    { "TM_CLASS_REPEATED", TM, { "rights/right[1]/classes", "29 29" },
      "rights/right[1]/classes", "class 29 is listed more than once for trademark 12345678" },
    { "TM_DETAILS_DIFFER", TM, { "rights/right[1]/mark", "闽江牌" }, "rights/right[1]/mark",
      NULL, { "rights/right[2]/mark", "ｍｉｎｊｉａｎｇ" } },
    /* every class named, however long the list */
    { "TM_DETAILS_DIFFER", TM,
      { "rights/right[1]/classes", "29 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 "
        "23 24 25 26 27 28 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45" },
      "rights/right[1]/classes", "classes 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, "
      "16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 31, 32, 33, 34, 35, 36, 37, 38, 39, "
      "40, 41, 42, 43, 44, 45." },
    /* the mark ends before the debt falls due (and before the period ends) */
    { "TM_EXPIRES_BEFORE_DEBT", TM, { "rights/right[2]/number", "30000007" },
      "rights/right[2]/number", "registered until 2025-12-30, before the debtor's "
      "performance deadline (2027-02-28): renew it",
      { "rights/right[2]/number", "30000007", "claim/performance_end", "2025-12-30",
        "period/end", "2025-12-30" } },
    /* the period ends in time, the debt does not */
    { "TM_EXPIRES_BEFORE_DEBT", TM, { "rights/right[2]/number", "30000007", "period/end",
                                      "2025-06-30" },
      "rights/right[2]/number", "until 2025-12-30" },
    /* ---- rules-patent.c */
    { "PT_FEE_UNPAID", PT, { "rights/right[2]/number", "201410000001.6" },
      "rights/right[2]/number", NULL },
    { "PT_SUSPENDED", PT, { "rights/right[2]/number", "201510000002.5" },
      "rights/right[2]/number", NULL },
    { "PT_TERM_BEFORE_DEBT", PT, { "rights/right[2]/number", "201620000001.0" },
      "rights/right[2]/number", "ends on 2026-02-28" },
    { "PT_TERM_BEFORE_DEBT", PT, { "rights/right[2]/patent_type", "utility_model",
                                   "rights/right[2]/filing_date", "2016-03-31" },
      "rights/right[2]/number", "ends on 2026-03-30", .registry = EMPTY },
    { "PT_TERM_BEFORE_DEBT", PT, { "rights/right[2]/patent_type", "design",
                                   "rights/right[2]/filing_date", "2016-03-31" },
      "rights/right[2]/number", "design patent",
      { "rights/right[2]/patent_type", "design", "rights/right[2]/filing_date", "2021-06-01" },
      .registry = EMPTY },
    { "PT_CO_OWNER_CONSENT", PT, { "rights/right[1]/co_owners/party/@consent", "false" },
      "rights/right[1]/co_owners/party/@consent", "王芳" },
    { "PT_CO_OWNER_UNDECLARED", PT, { "rights/right[1]/co_owners", NULL },
      "rights/right[1]/co_owners", "王芳" },
    /* invalid identifiers of the pledgor and the co-owner: known by their names */
    { "PT_CO_OWNER_UNDECLARED", PT, { "rights/right[1]/co_owners", NULL, "pledgor/id",
                                      "914403001922038217" },
      "rights/right[1]/co_owners", "王芳",
      { "pledgor/id", "914403001922038217", "rights/right[1]/co_owners/party/id",
        "110105194912310021" } },
    /* neither the declaration nor the signed acknowledgement */
    { "PT_INVALIDATION_PENDING", PT, { "acknowledgements", NULL, "materials/material[6]", NULL },
      "rights/right[1]/number", "attach the written acknowledgement the parties signed "
      "(material kind risk_acknowledgement) and declare the risk in acknowledgements/risk, "
      "with code invalidation_pending" },
    /* declared, not signed: the document of the earlier releases */
    { "PT_INVALIDATION_PENDING", PT, { "materials/material[6]", NULL },
      "rights/right[1]/number", "acknowledgements/risk declares the risk but is not signed" },
    /* declared with no wording (ideographic spaces alone) */
    { "PT_INVALIDATION_PENDING", PT, { "acknowledgements/risk", "\xe3\x80\x80" },
      "rights/right[1]/number", NULL },
    /* signed, the risk not declared (or another one declared) */
    { "PT_INVALIDATION_PENDING", PT, { "acknowledgements/risk/@code", "same_day_pair" },
      "rights/right[1]/number", "declare the risk the written acknowledgement "
      "(materials/material[6]) covers" },
    { "PT_INVALIDATION_ACKNOWLEDGED", PT, { NULL }, "rights/right[1]/number",
      "acknowledged the risk in writing", { "materials/material[6]", NULL } },
    { "PT_INVALIDATION_ACKNOWLEDGED", PT, { NULL }, "rights/right[1]/number", NULL,
      { "acknowledgements/risk/@code", "same_day_pair" } },
    { "PT_SAME_DAY_PAIR", PT, { "rights/right[2]/number", "201520000002.0" },
      "rights/right[2]/number", "same day as 201510000002.5",
      { "rights/right[2]/number", "201520000002.0", "acknowledgements/risk[2]",
        "知悉同日申请的发明专利与实用新型专利只能保留其一。", "acknowledgements/risk[2]/@code",
        "same_day_pair" } },
    { "PT_SAME_DAY_PAIR", PT, { "rights/right[2]/number", "201520000002.0",
                                "acknowledgements/risk[2]", "知悉同日申请的发明专利与实用新型专利只能保留其一。",
                                "acknowledgements/risk[2]/@code", "same_day_pair",
                                "materials/material[6]", NULL },
      "rights/right[2]/number", "is not signed" },
    { "PT_SAME_DAY_PAIR_ACKNOWLEDGED", PT,
      { "rights/right[2]/number", "201520000002.0", "acknowledgements/risk[2]",
        "知悉同日申请的发明专利与实用新型专利只能保留其一。", "acknowledgements/risk[2]/@code",
        "same_day_pair" },
      "rights/right[2]/number", "acknowledged",
      { "rights/right[2]/number", "201520000002.0", "acknowledgements/risk[2]/@code",
        "same_day_pair" } },
    { "PT_DETAILS_DIFFER", PT, { "rights/right[2]/filing_date", "2010-12-10" },
      "rights/right[2]/filing_date", "filed on 2010-12-09" },
    { "PT_DETAILS_DIFFER", PT, { "rights/right[2]/patent_type", "design" },
      "rights/right[2]/patent_type", "of type invention" },
    /* ---- rules-receivable.c */
    { "RC_PERIOD_RANGE", RC, { "period/end", "2024-05-31" }, "period/end", NULL,
      { "period/end", "2024-06-01" } },
    { "RC_PERIOD_RANGE", RC, { "period/end", "2054-05-02" }, "period/end", NULL,
      { "period/end", "2054-05-01" } },
    { "RC_DEBTOR_IS_PLEDGOR", RC,
      { "rights/right[1]/debtors/party[1]/id", "91350100M000100Y43" },
      "rights/right[1]/debtors/party/id", "a receivable the pledgor owes itself" },
    /* written otherwise (full width, lower case), the same identifier */
    { "RC_DEBTOR_IS_PLEDGOR", RC,
      { "rights/right[2]/debtors/party[1]/@type", "organisation",
        "rights/right[2]/debtors/party[1]/id/@type", "uscc",
        "rights/right[2]/debtors/party[1]/id", "９１３５０１００ｍ０００１００ｙ４３" },
      "rights/right[2]/debtors/party/id", "the debtor has the pledgor's identifier" },
    { "RC_PRIOR_PLEDGE", RC, { NULL }, "rights/right[1]", "will take rank 2",
      .prepare = prepare_receivable_pledged },
    /* the receivable pledged, filed again with a debtor added whose identifier sorts
     * first: another key, the same contract and a debtor in common */
    { "RC_SHARED_DEBTOR", RC,
      { "rights/right[1]/debtors/party[2]/@type", "organisation",
        "rights/right[1]/debtors/party[2]/name", "福建三号食品有限公司",
        "rights/right[1]/debtors/party[2]/id/@type", "uscc",
        "rights/right[1]/debtors/party[2]/id", "913501001000000326",
        "rights/right[1]/contract_number", "GY\xe2\x80\x94" "2024\xef\xbc\x8d" "017" },
      "rights/right[1]", "is on a receivable under the same contract number (GY-2024-017) "
      "that also has debtor 914403001922038216: if it is this receivable",
      .prepare = prepare_receivable_pledged },
    { "RC_UNDER_OBJECTION", RC, { NULL }, "rights/right[1]", "R-FZ01-AR-2024-000001",
      .prepare = prepare_receivable_objected },
    { "RC_FILED_JOINTLY", RC, { "filing/joint", "true" }, "filing/joint", NULL },
    /* ---- rules-equity.c */
    { "EQ_CAPITAL_EXCEEDS_HOLDING", EQ, { "rights/right[1]/capital", "600000001" },
      "rights/right[1]/capital", "6,000,000.01 CNY exceeds the pledgor's holding of "
      "6,000,000.00 CNY", { "rights/right[1]/capital", "600000000" } },
    { "EQ_CAPITAL_CURRENCY", EQ, { "rights/right[1]/company_uscc", "913501001000000326",
                                   "rights/right[1]/company_name", "Company 3 Ltd." },
      "rights/right[1]/capital/@currency", "in USD" },
    { "EQ_COMPANY_NAME_DIFFERS", EQ, { "rights/right[1]/company_name", "闽江食品集团" },
      "rights/right[1]/company_name", NULL },
    /* ---- rules-emission.c */
    { "EM_POLLUTANT_NOT_PERMITTED", EM, { "rights/right[1]/pollutant", "二氧化硫" },
      "rights/right[1]/pollutant", NULL, { "rights/right[1]/pollutant", "氨氮",
                                          "rights/right[1]/allowance", "12.5" } },
    /* a pollutant named by its abbreviation is the permit's (full width, any case);
     * another pollutant's abbreviation is not */
    { "EM_POLLUTANT_NOT_PERMITTED", EM, { "rights/right[1]/pollutant", "SO2" },
      "rights/right[1]/pollutant", "allows no 'SO2'",
      { "rights/right[1]/pollutant", "\xef\xbc\xa3\xef\xbc\xaf\xef\xbc\xa4" } },
    /* the area in every unit, each way, against the register's 18.5 mu
     * (12,333.33 m2) and 36.42 公顷 (364,200 m2) */
    { "RL_AREA_EXCEEDS", LD, { "rights/right[1]/area", "18.6" }, "rights/right[1]/area",
      "exceeds the 18.500000 mu (12333.33 m2) land certificate J110118201800123",
      { "rights/right[1]/area", "18.5" } },
    { "RL_AREA_EXCEEDS", LD, { "rights/right[1]/area/@unit", "亩", "rights/right[1]/area",
                               "18.51" },
      "rights/right[1]/area", "18.51 亩 (12340.00 m2)",
      { "rights/right[1]/area/@unit", "亩", "rights/right[1]/area", "18.50" } },
    { "RL_AREA_EXCEEDS", LD, { "rights/right[1]/area/@unit", "平方米", "rights/right[1]/area",
                               "12334" },
      "rights/right[1]/area", "12334 平方米 (12334.00 m2)",
      { "rights/right[1]/area/@unit", "m2", "rights/right[1]/area", "12333.33" } },
    { "RL_AREA_EXCEEDS", LD, { "rights/right[1]/area/@unit", "m²", "rights/right[1]/area",
                               "12333.4" },
      "rights/right[1]/area", "12333.4 m² (12333.40 m2)",
      { "rights/right[1]/area/@unit", "㎡", "rights/right[1]/area", "12333" } },
    { "RL_AREA_EXCEEDS", LD, { "rights/right[1]/area/@unit", "公顷", "rights/right[1]/area",
                               "1.2334" },
      "rights/right[1]/area", "1.2334 公顷 (12334.00 m2)",
      { "rights/right[1]/area/@unit", "HA", "rights/right[1]/area", "1.2333" } },
    { "RL_AREA_EXCEEDS", LD, { "rights/right[1]/area/@unit", "km2", "rights/right[1]/area",
                               "0.0124" },
      "rights/right[1]/area", "0.0124 km2 (12400.00 m2)",
      { "rights/right[1]/area/@unit", "平方公里", "rights/right[1]/area", "0.0123" } },
    { "RL_AREA_EXCEEDS", SA, { "rights/right[1]/area", "36.43" }, "rights/right[1]/area",
      "exceeds the 36.420000 ha (364200.00 m2) sea-area certificate",
      { "rights/right[1]/area", "36.42" } },
    { "RL_AREA_EXCEEDS", SA, { "rights/right[1]/area/@unit", "亩", "rights/right[1]/area",
                               "546.31" },
      "rights/right[1]/area", "546.31 亩 (364206.67 m2)",
      { "rights/right[1]/area/@unit", "mu", "rights/right[1]/area", "546.3" } },
    { "RL_AREA_EXCEEDS", SA, { "rights/right[1]/area/@unit", "m2", "rights/right[1]/area",
                               "364201" },
      "rights/right[1]/area", "364201 m2 (364201.00 m2)",
      { "rights/right[1]/area/@unit", "平方米", "rights/right[1]/area", "364200" } },
    /* signed ("+18.6", the schema's decimal may be) and too large for millionths in
     * 64 bits: compared all the same, never let through */
    { "RL_AREA_EXCEEDS", LD, { "rights/right[1]/area", "+18.6" }, "rights/right[1]/area",
      "the area pledged, 18.6 mu (12400.00 m2), exceeds the 18.500000 mu",
      { "rights/right[1]/area", "+18.5" } },
    { "RL_AREA_EXCEEDS", SA, { "rights/right[1]/area", "\xef\xbc\x8b" "36.43" },
      "rights/right[1]/area", "exceeds the 36.420000 ha",
      { "rights/right[1]/area", "\xef\xbc\x8b" "36.42" } },
    { "RL_AREA_EXCEEDS", LD, { "rights/right[1]/area", "9223372036855" }, "rights/right[1]/area",
      "the area pledged, 9223372036855 mu, exceeds the 18.500000 mu (12333.33 m2) land "
      "certificate J110118201800123" },
    { "RL_AREA_EXCEEDS", SA, { "rights/right[1]/area", "99999999999999999999.5",
                               "rights/right[1]/area/@unit", "m2" },
      "rights/right[1]/area", "99999999999999999999.5 m2, exceeds the 36.420000 ha" },
    { "RL_AREA_UNIT_UNKNOWN", LD, { "rights/right[1]/area/@unit", "acre" },
      "rights/right[1]/area/@unit", "'acre' is not a unit of area the registry knows: give "
      "one of m2 (平方米), mu (亩), ha (公顷), km2 (平方公里)",
      { "rights/right[1]/area/@unit", "ＭＵ" } },
    { "RL_AREA_UNIT_UNKNOWN", SA, { "rights/right[1]/area/@unit", NULL },
      "rights/right[1]/area/@unit", "the area 36.42 has no unit" },
    { "EM_ALLOWANCE_EXCEEDS", EM, { "rights/right[1]/pollutant", "nh3-n",
                                    "rights/right[1]/allowance", "12.6" },
      "rights/right[1]/allowance", "exceeds the permit's 12.500000 t",
      { "rights/right[1]/pollutant", "NH3-N", "rights/right[1]/allowance", "12.5" } },
    { "EM_ALLOWANCE_EXCEEDS", EM, { "rights/right[1]/allowance", "200.000001" },
      "rights/right[1]/allowance", "exceeds the permit's 200.000000 t",
      { "rights/right[1]/allowance", "200.0000000" } },
    { "EM_DETAILS_DIFFER", EM, { "rights/right[1]/valid_to", "2027-12-30" },
      "rights/right[1]/valid_to", "valid until 2027-12-31" },
    /* beyond what millionths in 64 bits hold: more than any permit */
    { "EM_ALLOWANCE_EXCEEDS", EM, { "rights/right[1]/allowance", "9223372036855" },
      "rights/right[1]/allowance", "9223372036855 t of" },
    { "EM_ALLOWANCE_EXCEEDS", EM, { "rights/right[1]/allowance", "99999999999999999999.5" },
      "rights/right[1]/allowance", "exceeds the permit's 200.000000 t" },
    /* signed, in either width: the quantity is the digits after the sign */
    { "EM_ALLOWANCE_EXCEEDS", EM, { "rights/right[1]/allowance", "+200.5" },
      "rights/right[1]/allowance", "the pledged allowance 200.5 t of",
      { "rights/right[1]/allowance", "+200" } },
    { "EM_ALLOWANCE_EXCEEDS", EM, { "rights/right[1]/allowance", "\xef\xbc\x8b" "300" },
      "rights/right[1]/allowance", "exceeds the permit's 200.000000 t",
      { "rights/right[1]/allowance", "\xef\xbc\x8b" "125.5" } },
    { "EM_DETAILS_DIFFER", EM, { "rights/right[1]/allowance/@unit", "kg" },
      "rights/right[1]/allowance/@unit", NULL },
    /* the unit in Chinese is the same unit ("吨" is "t"), also for the allowance's
     * comparison; "千克" is not */
    { "EM_DETAILS_DIFFER", EM, { "rights/right[1]/allowance/@unit", "千克" },
      "rights/right[1]/allowance/@unit", "counted in 't'",
      { "rights/right[1]/allowance/@unit", "吨" } },
    { "EM_ALLOWANCE_EXCEEDS", EM, { "rights/right[1]/allowance/@unit", "吨",
                                    "rights/right[1]/allowance", "200.5" },
      "rights/right[1]/allowance", "exceeds the permit's 200.000000 t",
      { "rights/right[1]/allowance/@unit", "吨" } },
    /* without a unit the quantity cannot be held to the permit's */
    { "EM_DETAILS_DIFFER", EM, { "rights/right[1]/allowance/@unit", NULL,
                                 "rights/right[1]/allowance", "1000" },
      "rights/right[1]/allowance/@unit", "has no unit; discharge permit" },
    { "EM_DETAILS_DIFFER", EM, { "rights/right[1]/allowance/@unit", "" },
      "rights/right[1]/allowance/@unit", "has no unit" },
    { "EM_PERMIT_ENDS_IN_PERIOD", EM, { "rights/right[1]/valid_to", "2025-01-31" },
      "rights/right[1]/valid_to", NULL, .registry = EMPTY },
    /* ---- rules-sea-land.c */
    { "RL_DETAILS_DIFFER", SA, { "rights/right[1]/term_end", "2034-07-30" },
      "rights/right[1]/term_end", "ends on 2034-07-31" },
    { "RL_TERM_ENDS_IN_PERIOD", LD, { "rights/right[1]/term_end", "2025-12-31" },
      "rights/right[1]/term_end", "the land management right ends on 2025-12-31",
      .registry = EMPTY },
};
#define N_CASES ((int)(sizeof cases / sizeof cases[0]))

START_TEST(test_rule_case)
{
    const rcase *k = &cases[_i];
    pledger_registry *r = k->registry == EMPTY ? reg_empty : reg;
    const pl_rule *rule = pl_rule_find(k->code);
    pledger_application *app;
    pledger_review *rv;
    char *text;

    ck_assert_msg(rule != NULL, "case %d: no rule %s", _i, k->code);
    ck_assert(rule->kinds & PL_KBIT(k->kind));

    /* a document that passes: no finding of the rule */
    app = fx_ck_sample(k->kind);
    edit(app, k->pass);
    add_material(app, k->pass_material);
    rv = check(r, app);
    text = describe(rv);
    ck_assert_msg(find(rv, k->code, NULL) < 0, "%s: the passing document trips it:\n%s",
                  k->code, text);
    free(text);
    pledger_review_free(rv);
    pledger_application_free(app);

    if (k->prepare)
        k->prepare();

    /* a document that trips it, at the path */
    if (k->registry == EMPTY_TRIP)
        r = reg_empty;
    app = fx_ck_sample(k->kind);
    edit(app, k->trip);
    add_material(app, k->trip_material);
    rv = check(r, app);
    text = describe(rv);
    long i = find(rv, k->code, k->at);
    ck_assert_msg(i >= 0, "%s at %s not found in:\n%s", k->code, k->at, text);
    ck_assert_int_eq(pledger_review_severity(rv, (size_t)i), rule->severity);
    if (k->needle)
        ck_assert_msg(strstr(pledger_review_message(rv, (size_t)i), k->needle),
                      "%s: '%s' not in '%s'", k->code, k->needle,
                      pledger_review_message(rv, (size_t)i));
    /* every finding of the document, this rule's and the others', is a
     * whole sentence */
    for (size_t f = 0; f < pledger_review_count(rv); f++) {
        const char *why = not_a_sentence(pledger_review_message(rv, f), true);
        ck_assert_msg(!why, "%s: '%s': %s", pledger_review_code(rv, f),
                      pledger_review_message(rv, f), why);
    }
    free(text);
    pledger_review_free(rv);
    pledger_application_free(app);
}
END_TEST

/* Every rule has a case (a new row needs a test). */
START_TEST(test_every_rule_has_a_case)
{
    for (size_t i = 0; i < pledger_review_rule_count(); i++) {
        const char *code = pledger_review_rule_code(i);
        int n = 0;
        for (int k = 0; k < N_CASES; k++)
            n += strcmp(cases[k].code, code) == 0;
        ck_assert_msg(n > 0, "rule %s has no test case in tests/test-review.c", code);
    }
    for (int k = 0; k < N_CASES; k++)
        ck_assert_msg(pl_rule_find(cases[k].code), "case %d: %s is no rule", k, cases[k].code);
}
END_TEST

/* ---- the samples ------------------------------------------------------------------ */

/* Against the fixture register every sample is clean: no blocking or
 * correctable finding and no notice; the patent's acknowledged
 * invalidation request is the one finding, a recorded risk. */
START_TEST(test_samples_clean)
{
    int kind = _i;
    pledger_application *app = fx_ck_sample(kind);
    pledger_review *rv = check(reg, app);
    char *text = describe(rv);
    if (kind == PLEDGER_KIND_PATENT) {
        ck_assert_msg(pledger_review_count(rv) == 1, "%s", text);
        ck_assert_str_eq(pledger_review_code(rv, 0), "PT_INVALIDATION_ACKNOWLEDGED");
        ck_assert_int_eq(pledger_review_severity(rv, 0), PLEDGER_SEVERITY_RISK);
        ck_assert_str_eq(pledger_review_path(rv, 0), "rights/right[1]/number");
    } else {
        ck_assert_msg(pledger_review_count(rv) == 0, "%s sample:\n%s", fx_kinds[kind], text);
    }
    free(text);
    pledger_review_free(rv);

    /* an empty reference register: the register rules say they did not run */
    rv = check(reg_empty, app);
    text = describe(rv);
    if (kind == PLEDGER_KIND_RECEIVABLE) {
        ck_assert_msg(pledger_review_count(rv) == 0, "%s", text);
    } else {
        ck_assert_msg(pledger_review_count(rv) == 1, "%s sample:\n%s", fx_kinds[kind], text);
        ck_assert_str_eq(pledger_review_code(rv, 0), "REGISTER_NOT_LOADED");
        ck_assert_int_eq(pledger_review_severity(rv, 0), PLEDGER_SEVERITY_NOTICE);
        ck_assert_str_eq(pledger_review_path(rv, 0), "rights");
    }
    free(text);
    pledger_review_free(rv);
    pledger_application_free(app);
}
END_TEST

/* Typed at a Chinese counter: the trademark sample with its classes as
 * "第２９类、第３０类", its dates and amounts in full-width digits between
 * ideographic spaces, its currency full width, reviews as clean as the
 * sample; it registers, and the certificate gives the classes as "29 30"
 * and the period as dates. */
START_TEST(test_full_width_typed_fields)
{
    static const char *const wide[] = {
        "rights/right[1]/classes", "第２９类、第３０类",
        "rights/right[2]/classes", "\xe3\x80\x80３５\xe3\x80\x80",
        "period/start", "２０２４－０３－０１",
        "period/end", "\xe3\x80\x80２０２７－０２－２８",
        "claim/amount", "３０００００００００",
        "claim/amount/@currency", "ＣＮＹ",
        "claim/performance_start", "２０２４－０３－０１",
        "claim/performance_end", "２０２７－０２－２８",
        "contract/date", "２０２４－０２－２６",
        "valuation/value", "５２００００００００",
        "valuation/date", "２０２４－０１－１５",
        "materials/material[1]/size", "１８４３２０",
        "valuation/value/@currency", "cny",
        "filing/joint", "ＴＲＵＥ",
        NULL,
    };
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    char *num = NULL, *code = NULL, *cert = NULL;
    edit(app, wide);
    pledger_review *rv = check(reg, app);
    char *text = describe(rv);
    ck_assert_msg(pledger_review_count(rv) == 0, "%s", text);
    free(text);
    pledger_review_free(rv);

    act(reg, "applicant-1", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_save(reg, app));
    char *uuid = strdup(pledger_application_uuid(app));
    PL_OK(reg, pledger_application_review(NULL, reg, uuid));
    PL_OK(reg, pledger_application_submit(reg, uuid));
    act(reg, "clerk-1", PLEDGER_ROLE_CLERK);
    PL_OK(reg, pledger_application_accept(NULL, reg, uuid));
    act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_application_register(&num, &code, reg, uuid));
    PL_OK(reg, pledger_certificate_get(&cert, reg, num, 0));
    ck_assert_msg(strstr(cert, "<classes>29 30</classes>"), "%s", cert);
    ck_assert_msg(strstr(cert, "2027-02-28"), "%s", cert);
    pledger_free(cert);
    pledger_free(code);
    pledger_free(num);
    free(uuid);
    pledger_application_free(app);
}
END_TEST

/* ---- one application, many defects -------------------------------------------------- */

static const char *const many_defects[] = {
    "pledgee/id", "914403001922038217",       /* check character */
    "agent/id", NULL,                          /* no identifier */
    "pledgor/address", NULL,
    "materials/material[6]", NULL,             /* the power of attorney */
    "materials/material[2]", NULL,             /* the commitment letter */
    "materials/material[1]/sha256", NULL,
    "rights/right[1]/classes", "29 31",        /* 12345678 is not in class 31 */
    "rights/right[2]/number", "30000003",      /* seized */
    "rights/right[3]/number", "30000001",      /* cancelled */
    "rights/right[3]/classes", "35",
    "rights/right[4]/number", "20000001",      /* 20000004, G2000006 not pledged with it */
    "rights/right[4]/classes", "30",
    "rights/right[5]/number", "1234567X",      /* not a registration number */
    "rights/right[5]/classes", "35",
    "rights/right[6]/number", "30000005",      /* someone else's */
    "rights/right[6]/classes", "35",
    "claim/amount/@currency", "XYZ",
    "period/end", "2023-12-31",                /* before the start */
    "contract/clauses", "parties claim",
    "filing/joint", "false",
    NULL,
};

/* Every finding, in order: table order, then document order. */
static const char *const many_expected[][2] = {
    { "PARTY_ID_MISSING", "agent/id" },
    { "PARTY_ID_INVALID", "pledgee/id" },
    { "PARTY_ADDRESS_MISSING", "pledgor/address" },
    { "AGENT_POA_MISSING", "materials" },
    { "FILING_JOINT_REQUIRED", "filing/joint" },
    { "RIGHT_ID_INVALID", "rights/right[5]/number" },
    { "CURRENCY_UNKNOWN", "claim/amount/@currency" },
    { "PERIOD_INVERTED", "period/end" },
    { "PERIOD_ENDED", "period/end" },       /* 2023-12-31, before the review's day */
    { "PERIOD_BEFORE_DEBT", "period/end" }, /* the end, compared on its own */
    { "CONTRACT_CLAUSES_MISSING", "contract/clauses" },
    { "MATERIAL_MISSING", "materials" },
    { "MATERIAL_DIGEST_MISSING", "materials/material[1]/sha256" },
    { "PLEDGOR_NOT_OWNER", "rights/right[6]/number" },
    { "RIGHT_NOT_IN_FORCE", "rights/right[3]/number" },
    { "RIGHT_SEIZED", "rights/right[2]/number" },
    { "TM_BUNDLE_MISSING", "rights/right[4]/number" },
    { "TM_DETAILS_DIFFER", "rights/right[1]/classes" },
};

START_TEST(test_many_defects)
{
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    edit(app, many_defects);
    pledger_review *rv = check(reg, app);
    char *text = describe(rv);
    size_t n = sizeof many_expected / sizeof many_expected[0];
    ck_assert_uint_ge(n, 12);
    ck_assert_msg(pledger_review_count(rv) == n, "%zu findings, expected %zu:\n%s",
                  pledger_review_count(rv), n, text);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(strcmp(pledger_review_code(rv, i), many_expected[i][0]) == 0 &&
                          strcmp(pledger_review_path(rv, i), many_expected[i][1]) == 0,
                      "finding %zu is %s at %s, expected %s at %s:\n%s", i,
                      pledger_review_code(rv, i), pledger_review_path(rv, i),
                      many_expected[i][0], many_expected[i][1], text);
    }
    long b = find(rv, "TM_BUNDLE_MISSING", NULL);
    ck_assert_ptr_nonnull(strstr(pledger_review_message(rv, (size_t)b), "20000004, G2000006"));
    /* the kinds of defects: parties, materials, identifiers, register, bundling */
    ck_assert_int_ge(find(rv, "PARTY_ID_INVALID", NULL), 0);
    ck_assert_int_ge(find(rv, "MATERIAL_MISSING", NULL), 0);
    ck_assert_int_ge(find(rv, "RIGHT_ID_INVALID", NULL), 0);
    ck_assert_int_ge(find(rv, "RIGHT_SEIZED", NULL), 0);
    ck_assert_uint_eq(pledger_review_count_severity(rv, PLEDGER_SEVERITY_BLOCKING), 3);
    ck_assert_uint_eq(pledger_review_count_severity(rv, PLEDGER_SEVERITY_CORRECTABLE), 15);
    free(text);
    pledger_review_free(rv);
    pledger_application_free(app);
}
END_TEST

/* ---- the registration step reads the register again ------------------------------- */

static void import_xml(const char *xml)
{
    pledger_import_report *rep = NULL;
    act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_register_import_memory(&rep, reg, xml, strlen(xml), NULL));
    ck_assert_uint_eq(pledger_import_report_rejected(rep), 0);
    pledger_import_report_free(rep);
}

/* The first patent of app-patent.xml, with or without a pending
 * invalidation request. */
#define PATENT_RECORD(as_of, pending)                                                         \
    "<register xmlns=\"urn:pledger:1\" as_of=\"" as_of "\">"                                  \
    "<patent number=\"ZL201310699744.2\" patent_type=\"invention\" status=\"granted\""        \
    " filing_date=\"2013-12-18\" grant_date=\"2016-05-11\" valid_to=\"2033-12-17\""           \
    " fee_paid=\"true\" invalidation_pending=\"" pending "\">"                                \
    "<owner name=\"深圳市南山精密仪器有限公司\" id_type=\"uscc\" id=\"914403001922038216\"/>"  \
    "<owner name=\"王芳\" id_type=\"resident\" id=\"11010519491231002X\"/>"                   \
    "</patent></register>"

/* Save, review, submit and accept @app; its UUID (caller frees). */
static char *accept_app(pledger_application *app)
{
    act(reg, "applicant-1", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_save(reg, app));
    char *uuid = strdup(pledger_application_uuid(app));
    PL_OK(reg, pledger_application_review(NULL, reg, uuid));
    PL_OK(reg, pledger_application_submit(reg, uuid));
    act(reg, "clerk-1", PLEDGER_ROLE_CLERK);
    PL_OK(reg, pledger_application_accept(NULL, reg, uuid));
    return uuid;
}

/* An invalidation request filed between acceptance and registration:
 * the registration is refused until the parties acknowledge it. */
START_TEST(test_register_rechecks_invalidation)
{
    static const char *const no_ack[] = { "acknowledgements", NULL, "materials/material[6]",
                                          NULL, NULL };
    import_xml(PATENT_RECORD("2024-03-20", "false"));
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_PATENT);
    edit(app, no_ack);
    pledger_review *rv = check(reg, app);
    char *text = describe(rv);
    ck_assert_msg(pledger_review_count(rv) == 0, "%s", text);
    free(text);
    pledger_review_free(rv);
    char *uuid = accept_app(app);

    import_xml(PATENT_RECORD("2024-03-25", "true"));
    act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    char *num = NULL;
    PL_FAILS(reg, PLEDGER_EREVIEW, pledger_application_register(&num, NULL, reg, uuid));
    ck_assert_ptr_null(num);
    const char *msg = pledger_errmsg(reg);
    ck_assert_msg(strstr(msg, "PT_INVALIDATION_PENDING at rights/right[1]/number") &&
                      strstr(msg, "risk_acknowledgement"), "%s", msg);
    pledger_application *stored = NULL;
    PL_OK(reg, pledger_application_load(&stored, reg, uuid));
    ck_assert_int_eq(pledger_application_state(stored), PLEDGER_APP_ACCEPTED);
    pledger_application_free(stored);

    /* the parties acknowledge it; the file goes through */
    act(reg, "clerk-1", PLEDGER_ROLE_CLERK);
    PL_OK(reg, pledger_application_request_correction(reg, uuid, "acknowledge the risk"));
    static const char *const ack[] = {
        "acknowledgements/risk", "出质人与质权人已知悉该专利存在尚未审结的无效宣告请求。",
        "acknowledgements/risk/@code", "invalidation_pending", NULL,
    };
    edit(app, ack);
    add_material(app, "risk_acknowledgement");
    PL_OK(reg, pledger_application_correct(reg, app));
    act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_application_register(&num, NULL, reg, uuid));
    ck_assert_ptr_nonnull(num);
    pledger_free(num);
    free(uuid);
    pledger_application_free(app);
}
END_TEST

/* A pending invalidation request the parties did not acknowledge in
 * writing stops submission; the acknowledged sample goes through
 * (register_sample). */
START_TEST(test_submit_refuses_unacknowledged_risk)
{
    static const char *const unsigned_ack[] = { "materials/material[6]", NULL, NULL };
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_PATENT);
    pledger_review *rv = NULL;
    edit(app, unsigned_ack);
    act(reg, "applicant-1", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_save(reg, app));
    PL_OK(reg, pledger_application_review(&rv, reg, pledger_application_uuid(app)));
    ck_assert_uint_eq(pledger_review_count_severity(rv, PLEDGER_SEVERITY_CORRECTABLE), 1);
    ck_assert_str_eq(pledger_review_code(rv, 0), "PT_INVALIDATION_PENDING");
    PL_FAILS(reg, PLEDGER_EREVIEW, pledger_application_submit(reg, pledger_application_uuid(app)));
    pledger_review_free(rv);
    pledger_application_free(app);
    free(register_sample(PLEDGER_KIND_PATENT));
}
END_TEST

/* The class: any reference-register fact that refuses a file, arisen
 * after acceptance (here a seizure), stops the registration; without
 * one, it goes through. */
START_TEST(test_register_rechecks_seizure)
{
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    char *uuid = accept_app(app), *num = NULL;
    import_xml("<register xmlns=\"urn:pledger:1\" as_of=\"2024-03-25\">"
               "<trademark number=\"7654321\" status=\"registered\" mark=\"MINJIANG\""
               " family=\"MJE\" classes=\"35\" groups=\"3501\" valid_from=\"2015-03-01\""
               " valid_to=\"2035-02-28\" seized=\"true\">"
               "<owner name=\"福建闽江食品有限公司\" id_type=\"uscc\" id=\"91350100M000100Y43\"/>"
               "</trademark></register>");
    PL_FAILS(reg, PLEDGER_EREVIEW, pledger_application_register(&num, NULL, reg, uuid));
    ck_assert_msg(strstr(pledger_errmsg(reg), "RIGHT_SEIZED at rights/right[2]/number"), "%s",
                  pledger_errmsg(reg));
    free(uuid);
    pledger_application_free(app);

    /* an acknowledged risk is no reason to stop */
    free(register_sample(PLEDGER_KIND_PATENT));
}
END_TEST

/* ---- determinism; the stored review; nothing stored by check ----------------------- */

START_TEST(test_deterministic)
{
    for (int kind = 1; kind <= 7; kind++) {
        pledger_application *app = fx_ck_sample(kind);
        if (kind == PLEDGER_KIND_TRADEMARK)
            edit(app, many_defects);
        pledger_review *a = check(reg, app), *b = check(reg, app);
        char *ja = findings_json(a), *jb = findings_json(b);
        ck_assert_str_eq(ja, jb);
        /* a fresh handle on the same file, a parse of the same text */
        char *xml = NULL;
        size_t len = 0;
        pledger_application *copy = NULL;
        PL_OK(NULL, pledger_application_to_xml(&xml, &len, app));
        PL_OK(NULL, pledger_application_from_xml(&copy, xml, len));
        pledger_registry *other = open_at(path);
        pledger_review *c = check(other, copy);
        char *jc = findings_json(c);
        ck_assert_str_eq(ja, jc);
        pledger_close(other);
        free(ja);
        free(jb);
        free(jc);
        pledger_free(xml);
        pledger_review_free(a);
        pledger_review_free(b);
        pledger_review_free(c);
        pledger_application_free(copy);
        pledger_application_free(app);
    }
}
END_TEST

/* The review the workflow stores is what check() said before saving. */
START_TEST(test_stored_review_is_the_check)
{
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    edit(app, many_defects);
    pledger_review *before = check(reg, app), *stored = NULL;
    act(reg, "applicant-1", PLEDGER_ROLE_APPLICANT);
    PL_OK(reg, pledger_application_save(reg, app));
    PL_OK(reg, pledger_application_review(&stored, reg, pledger_application_uuid(app)));
    char *jb = findings_json(before), *js = findings_json(stored);
    ck_assert_str_eq(jb, js);
    /* the row the acceptance point reads */
    sqlite3 *h;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT findings, blocking, correctable FROM review",
                                        -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), jb);
    ck_assert_int_eq(sqlite3_column_int(st, 1), 3);
    ck_assert_int_eq(sqlite3_column_int(st, 2), 15);
    sqlite3_finalize(st);
    sqlite3_close(h);
    /* submit refuses it */
    PL_FAILS(reg, PLEDGER_EREVIEW, pledger_application_submit(reg, pledger_application_uuid(app)));
    free(jb);
    free(js);
    pledger_review_free(before);
    pledger_review_free(stored);
    pledger_application_free(app);
}
END_TEST

START_TEST(test_check_stores_nothing)
{
    free(register_sample(PLEDGER_KIND_RECEIVABLE)); /* some state to read */
    char *before = fx_ck_dump(path, NULL);
    /* no actor needed; a read-only registry will do */
    pledger_registry *ro = NULL;
    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    for (int kind = 1; kind <= 7; kind++) {
        pledger_application *app = fx_ck_sample(kind);
        if (kind == PLEDGER_KIND_TRADEMARK)
            edit(app, many_defects);
        pledger_review *a = check(reg, app), *b = check(ro, app);
        char *ja = findings_json(a), *jb = findings_json(b);
        ck_assert_str_eq(ja, jb);
        if (kind == PLEDGER_KIND_RECEIVABLE)
            ck_assert_int_ge(find(a, "RC_PRIOR_PLEDGE", NULL), 0);
        free(ja);
        free(jb);
        pledger_review_free(a);
        pledger_review_free(b);
        pledger_application_free(app);
    }
    pledger_close(ro);
    char *after = fx_ck_dump(path, NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
}
END_TEST

/* The occurrences of @needle in @hay. */
static int occurrences(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* A receivable pledged many times: the findings name the first ten
 * pledges and count the others, the rank stays exact (each review listed
 * every pledge: a batch of thousands on one receivable took minutes). */
START_TEST(test_prior_pledges_named_and_counted)
{
    char *nums[12];
    for (int i = 0; i < 12; i++)
        nums[i] = register_sample(PLEDGER_KIND_RECEIVABLE);
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_RECEIVABLE);
    pledger_review *rv = check(reg, app);
    long at = find(rv, "RC_PRIOR_PLEDGE", "rights/right[1]");
    ck_assert_int_ge(at, 0);
    const char *m = pledger_review_message(rv, (size_t)at);
    ck_assert_ptr_nonnull(strstr(m, "and 2 more"));
    ck_assert_ptr_nonnull(strstr(m, "will take rank 13,"));
    ck_assert_int_eq(occurrences(m, "R-FZ01-AR-"), 10);
    ck_assert_ptr_nonnull(strstr(m, nums[0]));
    ck_assert_ptr_nonnull(strstr(m, nums[9]));
    ck_assert_ptr_null(strstr(m, nums[10]));
    ck_assert_ptr_null(not_a_sentence(m, false));
    ck_assert_int_eq(find(rv, "RC_UNDER_OBJECTION", NULL), -1);
    pledger_review_free(rv);
    /* under objection: eleven of them, named and counted the same way;
     * the rank still counts all twelve */
    act(reg, "pledgor", PLEDGER_ROLE_APPLICANT);
    for (int i = 1; i < 12; i++)
        PL_OK(reg, pledger_pledge_object(reg, nums[i], "福建闽江食品有限公司", "paid"));
    rv = check(reg, app);
    at = find(rv, "RC_UNDER_OBJECTION", "rights/right[1]");
    ck_assert_int_ge(at, 0);
    m = pledger_review_message(rv, (size_t)at);
    ck_assert_ptr_nonnull(strstr(m, "and 1 more"));
    ck_assert_int_eq(occurrences(m, "R-FZ01-AR-"), 10);
    ck_assert_ptr_null(strstr(m, nums[0]));
    ck_assert_ptr_nonnull(strstr(m, nums[1]));
    ck_assert_ptr_null(not_a_sentence(m, false));
    at = find(rv, "RC_PRIOR_PLEDGE", "rights/right[1]");
    ck_assert_ptr_nonnull(strstr(pledger_review_message(rv, (size_t)at), "will take rank 13,"));
    pledger_review_free(rv);
    /* in Chinese too, the count kept */
    ck_assert_int_eq(pledger_set_language("zh_CN"), 0);
    rv = NULL;
    int crc = pledger_application_check(&rv, reg, app);
    ck_assert_int_eq(pledger_set_language(NULL), 0);
    PL_OK(reg, crc);
    at = find(rv, "RC_PRIOR_PLEDGE", "rights/right[1]");
    ck_assert_ptr_nonnull(strstr(pledger_review_message(rv, (size_t)at), "另外 2 项"));
    pledger_review_free(rv);
    pledger_application_free(app);
    for (int i = 0; i < 12; i++)
        free(nums[i]);
}
END_TEST

START_TEST(test_check_arguments)
{
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_LAND);
    pledger_review *rv = (pledger_review *)&rv;
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_check(NULL, reg, app));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "out"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_check(&rv, reg, NULL));
    ck_assert_ptr_null(rv);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "app"));
    rv = (pledger_review *)&rv;
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_application_check(&rv, NULL, app));
    ck_assert_ptr_null(rv);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "pledger_application_check"));
    pledger_application_free(app);
}
END_TEST

START_TEST(test_related_marks_agree)
{
    static const char *const owners[] = { "91350100M000100Y43", "91350100100000008M" };
    sqlite3 *h;
    sqlite3_stmt *st;
    size_t total = 0, n = 0;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT number FROM ref_right WHERE kind = 1"
                                           " ORDER BY number", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int k = 0; k < 2; k++)
            total += related_agree(reg, PLEDGER_ID_USCC, owners[k],
                                   (const char *)sqlite3_column_text(st, 0));
        n++;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    ck_assert_uint_eq(n, 18);
    /* owner A: 12345678 <-> 12345670 (cancelled) and both from 12345672 (X's);
     * 20000001 -> 20000004, G2000006; 20000004 -> 20000001 (same text);
     * G2000006 -> 20000001 (same family; 20000002 shares no group).
     * Owner X: 12345672 from 12345678 and from 12345670. */
    ck_assert_uint_eq(total, 1 + 1 + 2 + 2 + 1 + 1 + 2);
    ck_assert_uint_eq(related_agree(reg, PLEDGER_ID_USCC, owners[0], "20000001"), 2);
}
END_TEST

/* ---- the public table of rules --------------------------------------------------------- */

START_TEST(test_rule_table)
{
    size_t n = pledger_review_rule_count();
    ck_assert_uint_eq(n, pl_rule_count());
    ck_assert_uint_ge(n, 60);
    for (size_t i = 0; i < n; i++) {
        const char *code = pledger_review_rule_code(i);
        size_t at = (size_t)-1;
        ck_assert_ptr_nonnull(code);
        ck_assert_msg(strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == strlen(code) &&
                          code[0] >= 'A' && code[0] <= 'Z',
                      "bad code %s", code);
        for (size_t k = 0; k < i; k++)
            ck_assert_msg(strcmp(pledger_review_rule_code(k), code) != 0, "%s twice", code);
        ck_assert_int_ge(pledger_review_rule_severity(i), PLEDGER_SEVERITY_BLOCKING);
        ck_assert_int_le(pledger_review_rule_severity(i), PLEDGER_SEVERITY_NOTICE);
        unsigned kinds_set = pledger_review_rule_kinds(i);
        ck_assert_uint_ne(kinds_set, 0);
        ck_assert_uint_eq(kinds_set & ~0xFEu, 0); /* bits 1..7 */
        ck_assert(strlen(pledger_review_rule_meaning(i)) > 10);
        ck_assert(strlen(pledger_review_rule_basis(i)) > 10);
        PL_OK(NULL, pledger_review_rule_find(&at, code));
        ck_assert_uint_eq(at, i);
        ck_assert(pl_rule_at(i)->check != NULL);
    }
    ck_assert_ptr_null(pledger_review_rule_code(n));
    ck_assert_ptr_null(pledger_review_rule_meaning(n));
    ck_assert_ptr_null(pledger_review_rule_basis(n));
    ck_assert_int_eq(pledger_review_rule_severity(n), 0);
    ck_assert_uint_eq(pledger_review_rule_kinds(n), 0);
    size_t at = 7;
    PL_FAILS(NULL, PLEDGER_ENOTFOUND, pledger_review_rule_find(&at, "NO_SUCH_RULE"));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "NO_SUCH_RULE"));
    ck_assert_uint_eq(at, 7);
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_review_rule_find(NULL, "PT_FEE_UNPAID"));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_review_rule_find(&at, NULL));
    /* a few fixed facts */
    PL_OK(NULL, pledger_review_rule_find(&at, "TM_BUNDLE_MISSING"));
    ck_assert_uint_eq(pledger_review_rule_kinds(at), PLEDGER_KIND_BIT(PLEDGER_KIND_TRADEMARK));
    PL_OK(NULL, pledger_review_rule_find(&at, "RIGHT_ALREADY_PLEDGED"));
    ck_assert_int_eq(pledger_review_rule_severity(at), PLEDGER_SEVERITY_BLOCKING);
    ck_assert_uint_eq(pledger_review_rule_kinds(at) & PLEDGER_KIND_BIT(PLEDGER_KIND_RECEIVABLE),
                      0);
    /* an unacknowledged risk stops submission; acknowledged, it is recorded */
    PL_OK(NULL, pledger_review_rule_find(&at, "PT_INVALIDATION_PENDING"));
    ck_assert_int_eq(pledger_review_rule_severity(at), PLEDGER_SEVERITY_CORRECTABLE);
    PL_OK(NULL, pledger_review_rule_find(&at, "PT_SAME_DAY_PAIR"));
    ck_assert_int_eq(pledger_review_rule_severity(at), PLEDGER_SEVERITY_CORRECTABLE);
    PL_OK(NULL, pledger_review_rule_find(&at, "PT_INVALIDATION_ACKNOWLEDGED"));
    ck_assert_int_eq(pledger_review_rule_severity(at), PLEDGER_SEVERITY_RISK);
    PL_OK(NULL, pledger_review_rule_find(&at, "PT_SAME_DAY_PAIR_ACKNOWLEDGED"));
    ck_assert_int_eq(pledger_review_rule_severity(at), PLEDGER_SEVERITY_RISK);
}
END_TEST

/* ---- README: the table of codes and the example are generated ----------------------- */

static const char *kinds_text(unsigned set, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    if (set == (PL_K_ALL))
        return "all";
    if (set == (PL_K_ALL & ~PL_K_RC))
        return "all but receivable";
    for (int k = 1; k <= 7; k++)
        if (set & PLEDGER_KIND_BIT(k))
            len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "", fx_kinds[k]);
    return buf;
}

static char *codes_table(void)
{
    char *out = NULL, kb[128];
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    fprintf(f, "| code | severity | kinds | meaning | legal basis |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < pledger_review_rule_count(); i++)
        fprintf(f, "| `%s` | %s | %s | %s | %s |\n", pledger_review_rule_code(i),
                pledger_severity_name(pledger_review_rule_severity(i)),
                kinds_text(pledger_review_rule_kinds(i), kb, sizeof kb),
                pledger_review_rule_meaning(i), pledger_review_rule_basis(i));
    fclose(f);
    return out;
}

/* The README example: the trademark sample with five defects. */
static const char *const example_edits[] = {
    "pledgee/id", "914403001922038217",
    "materials/material[6]", NULL,
    "period/end", "2026-12-31",
    "rights/right[2]/number", "20000001",
    "rights/right[2]/classes", "30",
    "rights/right[2]/mark", "榕城",
    "rights/right[3]/number", "30000003",
    "rights/right[3]/classes", "35",
    NULL,
};

static char *example_table(void)
{
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    edit(app, example_edits);
    pledger_review *rv = check(reg, app);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    fprintf(f, "| severity | code | path | message |\n|---|---|---|---|\n");
    for (size_t i = 0; i < pledger_review_count(rv); i++)
        fprintf(f, "| %s | `%s` | `%s` | %s |\n",
                pledger_severity_name(pledger_review_severity(rv, i)),
                pledger_review_code(rv, i), pledger_review_path(rv, i),
                pledger_review_message(rv, i));
    fclose(f);
    pledger_review_free(rv);
    pledger_application_free(app);
    return out;
}

/* The text between "<!-- @name:begin -->\n" and "<!-- @name:end -->" in
 * README.md (caller frees); NULL when there is no such block. */
static char *readme_block(const char *name)
{
    const char *root = getenv("PLEDGER_SOURCE_ROOT");
    char *file, *text, begin[64], end[64];
    ck_assert_msg(root != NULL, "PLEDGER_SOURCE_ROOT is not set (run through meson test)");
    file = pl_test_path(root, "README.md");
    text = pl_test_slurp(file, NULL);
    snprintf(begin, sizeof begin, "<!-- %s:begin -->\n", name);
    snprintf(end, sizeof end, "<!-- %s:end -->", name);
    char *b = strstr(text, begin), *e = b ? strstr(b, end) : NULL;
    char *out = NULL;
    if (b && e) {
        b += strlen(begin);
        out = strndup(b, (size_t)(e - b));
    }
    free(text);
    free(file);
    return out;
}

static void compare_readme(const char *name, const char *want)
{
    char *have = readme_block(name);
    if (!have || strcmp(have, want) != 0) {
        char file[128];
        snprintf(file, sizeof file, "README-%s.md", name);
        pl_test_write(file, want, strlen(want));
        ck_abort_msg("README.md's %s block is %s; the right text is in %s (build "
                     "directory)", name, have ? "not what the library says" : "missing", file);
    }
    free(have);
}

START_TEST(test_readme_codes)
{
    char *t = codes_table();
    compare_readme("review-codes", t);
    free(t);
}
END_TEST

START_TEST(test_readme_example)
{
    char *t = example_table();
    compare_readme("review-example", t);
    free(t);
}
END_TEST

static Suite *review_suite(void)
{
    Suite *s = suite_create("review");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_rule_case, 0, N_CASES);
    tcase_add_test(tc, test_every_rule_has_a_case);
    tcase_add_test(tc, test_rule_table);
    tcase_add_test(tc, test_sentence_check);
    tcase_add_test(tc, test_rule_texts_are_sentences);
    suite_add_tcase(s, tc);

    tc = tcase_create("documents");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_samples_clean, 1, 8);
    tcase_add_test(tc, test_full_width_typed_fields);
    tcase_add_test(tc, test_many_defects);
    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_stored_review_is_the_check);
    tcase_add_test(tc, test_check_stores_nothing);
    tcase_add_test(tc, test_prior_pledges_named_and_counted);
    tcase_add_test(tc, test_check_arguments);
    tcase_add_test(tc, test_related_marks_agree);
    tcase_add_test(tc, test_register_rechecks_invalidation);
    tcase_add_test(tc, test_register_rechecks_seizure);
    tcase_add_test(tc, test_submit_refuses_unacknowledged_risk);
    suite_add_tcase(s, tc);

    tc = tcase_create("readme");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_readme_codes);
    tcase_add_test(tc, test_readme_example);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(review_suite)

#else /* PL_REVIEW_SLOW */
/* ---- the review at scale ----------------------------------------------------------- */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One text value of the registry file. */
static char *query_text(const char *file, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open_v2(file, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    char *v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

#define N_REGISTER 1000000u
#define N_FAMILIES 5  /* of 4 marks: 20 marks */
#define OWNER 7u      /* tests/gen-register.py: family f belongs to owner f % 5000 */
#define RUNS 400

/* The trademark sample turned into a pledge of every mark of @n_families
 * families of owner OWNER (so that the bundling rule is satisfied),
 * less @drop marks at the end. */
static pledger_application *big_application(const char *db, int drop)
{
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    char sql[160], p[64], v[32];
    int k = 0;

    snprintf(sql, sizeof sql, "SELECT o.id_number FROM ref_owner o JOIN ref_right r"
             " ON r.id = o.right_id WHERE r.kind = 1 AND r.number = '%u'", 10000000u + 4 * OWNER);
    char *owner = query_text(db, sql);
    snprintf(v, sizeof v, "Company %u Ltd.", OWNER);
    const char *const party[] = { "pledgor/name", v, "pledgor/id", owner, NULL };
    edit(app, party);
    for (unsigned f = 0; f < N_FAMILIES; f++) {
        unsigned family = OWNER + 5000 * f;
        for (unsigned j = 0; j < 4; j++) {
            if (k >= 4 * N_FAMILIES - drop)
                break;
            k++;
            snprintf(p, sizeof p, "rights/right[%d]/number", k);
            snprintf(v, sizeof v, "%u", 10000000u + 4 * family + j);
            PL_OK(NULL, pledger_application_set(app, p, v));
            snprintf(p, sizeof p, "rights/right[%d]/classes", k);
            snprintf(v, sizeof v, "%u", 1 + family % 45);
            PL_OK(NULL, pledger_application_set(app, p, v));
            snprintf(p, sizeof p, "rights/right[%d]/mark", k);
            snprintf(v, sizeof v, "MARK %u", family);
            PL_OK(NULL, pledger_application_set(app, p, v));
        }
    }
    free(owner);
    return app;
}

START_TEST(test_review_time)
{
    char *xml = pl_test_path(dir, "r1m.xml"), *db = pl_test_path(dir, "big.db"), *cmd = NULL;
    const char *root = getenv("PLEDGER_SOURCE_ROOT");
    pledger_import_report *rep = NULL;
    double t0, t_import, samples[RUNS];

    /* PLEDGER_REVIEW_SLOW_DB: a registry to keep between runs (imported
     * once, when the file does not exist yet) */
    const char *keep = getenv("PLEDGER_REVIEW_SLOW_DB");
    struct stat sb;
    bool imported = keep && *keep && stat(keep, &sb) == 0;
    if (keep && *keep) {
        free(db);
        db = strdup(keep);
    }
    pledger_registry *r = open_at(db);
    t_import = 0;
    if (!imported) {
        ck_assert_ptr_nonnull(root);
        ck_assert(asprintf(&cmd, "/usr/bin/python3 '%s/tests/gen-register.py' %u '%s'", root,
                           N_REGISTER, xml) > 0);
        ck_assert_int_eq(system(cmd), 0);
        free(cmd);
        act(r, "registrar-1", PLEDGER_ROLE_REGISTRAR);
        t0 = now_s();
        PL_OK(r, pledger_register_import(&rep, r, xml, NULL));
        t_import = now_s() - t0;
        ck_assert_uint_eq(pledger_import_report_inserted(rep), N_REGISTER);
        pledger_import_report_free(rep);
        unlink(xml);
    }

    /* 20 marks, the bundling rule satisfied */
    pledger_application *app = big_application(db, 0);
    int n = 0;
    PL_OK(NULL, pledger_application_count(&n, app, "rights/right"));
    ck_assert_int_eq(n, 4 * N_FAMILIES);
    pledger_review *rv = check(r, app);
    char *text = describe(rv);
    ck_assert_msg(find(rv, "TM_BUNDLE_MISSING", NULL) < 0, "%s", text);
    ck_assert_msg(find(rv, "RIGHT_NOT_ON_REGISTER", NULL) < 0, "%s", text);
    ck_assert_msg(find(rv, "PLEDGOR_NOT_OWNER", NULL) < 0, "%s", text);
    free(text);
    pledger_review_free(rv);

    for (int i = 0; i < RUNS; i++) {
        t0 = now_s();
        PL_OK(r, pledger_application_check(&rv, r, app));
        samples[i] = now_s() - t0;
        pledger_review_free(rv);
    }
    qsort(samples, RUNS, sizeof samples[0], cmp_double);
    double sum = 0;
    for (int i = 0; i < RUNS; i++)
        sum += samples[i];
    printf("review: %d-mark trademark application against %u marks (import %.1f s): "
           "median %.3f ms, mean %.3f ms, min %.3f ms, p95 %.3f ms per "
           "pledger_application_check()\n",
           4 * N_FAMILIES, N_REGISTER, t_import, samples[RUNS / 2] * 1e3, sum / RUNS * 1e3,
           samples[0] * 1e3, samples[RUNS * 95 / 100] * 1e3);
    fflush(stdout);

    /* the review's candidates are pl_refreg_related_marks()'s */
    for (unsigned f = 0; f < N_FAMILIES; f++) {
        char num[16], *owner;
        snprintf(num, sizeof num, "%u", 10000000u + 4 * (OWNER + 5000 * f));
        PL_OK(NULL, pledger_application_get((const char **)&owner, app, "pledgor/id"));
        ck_assert_uint_eq(related_agree(r, PLEDGER_ID_USCC, owner, num), 3);
    }

    /* one mark short: the bundling rule names it */
    pledger_application *short_app = big_application(db, 1);
    rv = check(r, short_app);
    long b = find(rv, "TM_BUNDLE_MISSING", NULL);
    ck_assert_int_ge(b, 0);
    snprintf(text = malloc(32), 32, "%u", 10000000u + 4 * (OWNER + 5000 * (N_FAMILIES - 1)) + 3);
    ck_assert_ptr_nonnull(strstr(pledger_review_message(rv, (size_t)b), text));
    free(text);
    pledger_review_free(rv);
    pledger_application_free(short_app);

    /* the target is 1 ms (0.3 ms measured on a debugoptimized build); the
     * bound leaves room for a loaded machine; instrumented builds (address
     * sanitizer, valgrind) only report */
#ifndef __SANITIZE_ADDRESS__
    if (!getenv("PLEDGER_VALGRIND"))
        ck_assert_msg(samples[RUNS / 2] < 0.005, "median review time %.3f ms",
                      samples[RUNS / 2] * 1e3);
#endif
    pledger_application_free(app);
    pledger_close(r);
    free(xml);
    free(db);
}
END_TEST

static void slow_setup(void)
{
    dir = pl_test_mkdir();
    fx_now_us = FX_T0;
}

static void slow_teardown(void) { pl_test_rmdir(dir); }

static Suite *review_slow_suite(void)
{
    Suite *s = suite_create("review-slow");
    TCase *tc = tcase_create("scale");
    tcase_add_checked_fixture(tc, slow_setup, slow_teardown);
    tcase_set_timeout(tc, 3000);
    tcase_add_test(tc, test_review_time);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(review_slow_suite)
#endif
