/* Similar-name search by a registered English name: the reference
 * register's name_en on owners and shareholders (register.xsd), its key
 * (pl_text_english_key), the search that finds the pledges of the party
 * the register knows under it (by identifier, through indexes), exact
 * matches staying exact, registers without English names, and migration
 * 6 of an older registry. */
#include <inttypes.h>
#include <sqlite3.h>

#include "testutil.h"
#include "store/sqlite.h"
#include "fixture.h"
#include "api/handle.h"
#include "base/text.h"
#include "refreg/refreg.h"
#include "store/schema.h"

#include <pledger/pledge.h>
#include <pledger/query.h>
#include <pledger/refreg.h>

#define MINJIANG "91350100M000100Y43" /* the sample pledgor, 福建闽江食品有限公司 */
#define QIANHAI "914403001922038216"  /* the sample pledgee */
#define MINHAI "91350100MA2Y00002L"   /* another food company, with no pledge */

static char *dir, *path;
static pledger_registry *reg;

static void setup(void) { fx_ck_setup(&dir, &path, &reg); }
static void teardown(void) { fx_ck_teardown(dir, path, reg); }

/* ---- the key ------------------------------------------------------------------- */

START_TEST(test_english_key)
{
    static const struct {
        const char *name, *key;
    } cases[] = {
        { "Fujian Minjiang Food Co., Ltd.", "minjiangfood" },
        { "FUJIAN MINJIANG FOOD CO LTD", "minjiangfood" },
        { "fujian minjiang food co.,ltd", "minjiangfood" },
        { "Fujian Minjiang Food Co.", "minjiangfood" },
        { "Fujian Minjiang Food Company Limited", "minjiangfood" },
        { "Fujian Minjiang Food Corporation", "minjiangfood" },
        { "Fujian Minjiang Food Corp.", "minjiangfood" },
        { "Fujian Minjiang Food Inc.", "minjiangfood" },
        { "Fujian Minjiang Food Group Co., Ltd.", "minjiangfood" },
        { "Fujian Minjiang Food (Group) Co., Ltd.", "minjiangfood" },
        { "Minjiang Food (Fujian) Co., Ltd.", "minjiangfood" },
        { "Minjiang Food", "minjiangfood" },
        { "ＦＵＪＩＡＮ　ＭＩＮＪＩＡＮＧ　ＦＯＯＤ　ＣＯ．，ＬＴＤ．", "minjiangfood" },
        { "Fujian  Min-jiang  Food", "minjiangfood" },
        /* a legal form only as a whole word */
        { "Texaco", "texaco" },
        { "Fujian Minhai Food Co., Ltd.", "minhaifood" },
        /* nothing else to take */
        { "Company Limited", "company" },
        { "Co.", "co" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *key = pl_text_english_key(cases[i].name);
        ck_assert_ptr_nonnull(key);
        ck_assert_msg(strcmp(key, cases[i].key) == 0, "%s -> '%s', expected '%s'",
                      cases[i].name, key, cases[i].key);
        free(key);
    }
    ck_assert_ptr_null(pl_text_english_key(NULL));
    ck_assert_ptr_null(pl_text_english_key("\xff"));
}
END_TEST

/* ---- search --------------------------------------------------------------------- */

/* The hits of a search for @name (and @party_id, or NULL) on @side, as a
 * bank: "<match>" per hit ("=" exact, "~" similar, "b" branch). */
static void marks_for(const char *name, int side, const char *party_id, char *out,
                      size_t size)
{
    pledger_query q = PLEDGER_QUERY_INIT;
    pledger_cursor *cur = NULL;
    size_t n = 0;

    PL_OK(reg, pledger_set_actor(reg, "bank-1", PLEDGER_ROLE_BANK));
    q.party_name = name;
    q.party_side = side;
    q.party_id = party_id;
    PL_OK(reg, pledger_search(&cur, reg, &q));
    out[0] = '\0';
    while (pledger_cursor_next(cur) == 1 && n + 2 < size) {
        pledger_name_match m = pledger_cursor_name_match(cur);
        out[n++] = m == PLEDGER_NAME_MATCH_EXACT     ? '='
                   : m == PLEDGER_NAME_MATCH_SIMILAR ? '~'
                   : m == PLEDGER_NAME_MATCH_BRANCH  ? 'b'
                                                     : '?';
        out[n] = '\0';
    }
    pledger_cursor_free(cur);
}

static void expect(const char *name, int side, const char *party_id, const char *want)
{
    char marks[16];
    marks_for(name, side, party_id, marks, sizeof marks);
    ck_assert_msg(strcmp(marks, want) == 0, "%s (side %d%s%s): '%s', expected '%s'", name,
                  side, party_id ? ", id " : "", party_id ? party_id : "", marks, want);
}

/* Import @xml as a registrar; the report's counts must be @ins, @upd,
 * @same and @rej. */
static void import(const char *xml, uint64_t ins, uint64_t upd, uint64_t same, uint64_t rej)
{
    pledger_import_report *rep = NULL;
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_OK(reg, pledger_register_import_memory(&rep, reg, xml, strlen(xml), NULL));
    ck_assert_msg(pledger_import_report_inserted(rep) == ins &&
                      pledger_import_report_updated(rep) == upd &&
                      pledger_import_report_unchanged(rep) == same &&
                      pledger_import_report_rejected(rep) == rej,
                  "inserted %" PRIu64 " updated %" PRIu64 " unchanged %" PRIu64
                  " rejected %" PRIu64 "%s%s",
                  pledger_import_report_inserted(rep), pledger_import_report_updated(rep),
                  pledger_import_report_unchanged(rep), pledger_import_report_rejected(rep),
                  pledger_import_report_rejection_count(rep) ? ": " : "",
                  pledger_import_report_rejection_count(rep)
                      ? pledger_import_report_rejection_message(rep, 0)
                      : "");
    pledger_import_report_free(rep);
}

static char *register_file(void)
{
    char file[4096];
    size_t len = 0;
    snprintf(file, sizeof file, "%s/register-english.xml", PLEDGER_TEST_DATADIR);
    char *xml = fx_slurp(file, &len);
    ck_assert_ptr_nonnull(xml);
    return xml;
}

/* The sample trademark pledge: 福建闽江食品有限公司 pledges to
 * 深圳前海商业银行股份有限公司. */
static void register_sample(void)
{
    char *num = NULL, *uuid = NULL;
    PL_OK(reg, fx_submitted(reg, PLEDGER_KIND_TRADEMARK, &uuid));
    PL_OK(reg, fx_accept(reg, uuid, NULL));
    PL_OK(reg, fx_register(reg, uuid, &num, NULL));
    free(num);
    free(uuid);
}

START_TEST(test_english_search)
{
    char *xml = register_file();

    register_sample();
    /* before the register knows the English name, nothing */
    expect("Fujian Minjiang Food Co., Ltd.", PLEDGER_PARTY_EITHER, NULL, "");
    import(xml, 3, 0, 0, 0);
    /* the owner's registered English name, however it is written */
    static const char *const variants[] = {
        "Fujian Minjiang Food Co., Ltd.", "FUJIAN MINJIANG FOOD CO LTD",
        "fujian minjiang food", "Minjiang Food Company Limited", "Fujian Minjiang Food Co.",
        "ＦＵＪＩＡＮ　ＭＩＮＪＩＡＮＧ　ＦＯＯＤ", "Minjiang Food (Fujian) Co., Ltd.",
        "Fujian Minjiang Food Group Corp.",
    };
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        expect(variants[i], PLEDGER_PARTY_EITHER, NULL, "~");
        expect(variants[i], PLEDGER_PARTY_PLEDGOR, NULL, "~");
        expect(variants[i], PLEDGER_PARTY_PLEDGEE, NULL, "");
    }
    /* with the party's identifier too: the same party, not the other one */
    expect("Fujian Minjiang Food Co., Ltd.", PLEDGER_PARTY_EITHER, MINJIANG, "~");
    expect("Fujian Minjiang Food Co., Ltd.", PLEDGER_PARTY_EITHER, QIANHAI, "");
    /* another company's registered English name, an unregistered one */
    expect("Fujian Minhai Food Co., Ltd.", PLEDGER_PARTY_EITHER, NULL, "");
    expect("Fujian Minjiang Machinery Co., Ltd.", PLEDGER_PARTY_EITHER, NULL, "");
    expect("Minjiang", PLEDGER_PARTY_EITHER, NULL, "");
    /* a shareholder's registered English name: the pledgee */
    expect("Shenzhen Qianhai Commercial Bank Co., Ltd.", PLEDGER_PARTY_PLEDGEE, NULL, "~");
    expect("SHENZHEN QIANHAI COMMERCIAL BANK", PLEDGER_PARTY_EITHER, NULL, "~");
    expect("Shenzhen Qianhai Commercial Bank Co., Ltd.", PLEDGER_PARTY_PLEDGOR, NULL, "");
    /* exact stays exact, the Chinese names still similar */
    expect("福建闽江食品有限公司", PLEDGER_PARTY_EITHER, NULL, "=");
    expect("福建省闽江食品有限公司", PLEDGER_PARTY_EITHER, NULL, "~");
    /* the lookups give the English name; NULL for an owner without one */
    pl_ref_trademark t;
    pl_err e = { 0 };
    PL_OK(NULL, pl_refreg_trademark(reg->db, &e, "12345678", &t));
    ck_assert_str_eq(t.r.owners[0].name_en, "Fujian Minjiang Food Co., Ltd.");
    pl_ref_trademark_clear(&t);
    pl_ref_holding h;
    PL_OK(NULL, pl_refreg_holding(reg->db, &e, "91330100MA27X0003L", PLEDGER_ID_USCC, QIANHAI,
                                  &h));
    ck_assert_str_eq(h.shareholder.name_en, "Shenzhen Qianhai Commercial Bank Co., Ltd.");
    pl_ref_holding_clear(&h);
    free(xml);
}
END_TEST

/* The same records with and without English names: a register without
 * them behaves as before, adding or removing one updates the record, and
 * importing the same file again changes nothing. */
START_TEST(test_english_reimport)
{
    static const char plain[] =
        "<register xmlns=\"urn:pledger:1\">"
        "<trademark number=\"12345678\" status=\"registered\" classes=\"29\""
        " valid_from=\"2015-06-07\" valid_to=\"2035-06-06\">"
        "<owner name=\"福建闽江食品有限公司\" id_type=\"uscc\" id=\"" MINJIANG "\"/>"
        "</trademark></register>";
    static const char english[] =
        "<register xmlns=\"urn:pledger:1\">"
        "<trademark number=\"12345678\" status=\"registered\" classes=\"29\""
        " valid_from=\"2015-06-07\" valid_to=\"2035-06-06\">"
        "<owner name=\"福建闽江食品有限公司\" name_en=\"Fujian Minjiang Food Co., Ltd.\""
        " id_type=\"uscc\" id=\"" MINJIANG "\"/>"
        "</trademark></register>";
    pl_ref_trademark t;
    pl_err e = { 0 };

    register_sample();
    import(plain, 1, 0, 0, 0);
    expect("Fujian Minjiang Food Co., Ltd.", PLEDGER_PARTY_EITHER, NULL, "");
    expect("福建省闽江食品有限公司", PLEDGER_PARTY_EITHER, NULL, "~");
    PL_OK(NULL, pl_refreg_trademark(reg->db, &e, "12345678", &t));
    ck_assert_ptr_null(t.r.owners[0].name_en);
    pl_ref_trademark_clear(&t);
    import(plain, 0, 0, 1, 0);
    import(english, 0, 1, 0, 0);
    expect("Fujian Minjiang Food Co., Ltd.", PLEDGER_PARTY_EITHER, NULL, "~");
    import(english, 0, 0, 1, 0);
    import(plain, 0, 1, 0, 0);
    expect("Fujian Minjiang Food Co., Ltd.", PLEDGER_PARTY_EITHER, NULL, "");
    ck_assert_int_eq(fx_ck_raw_int(path, "SELECT count(*) FROM ref_owner"
                                         " WHERE name_en IS NOT NULL"), 0);
}
END_TEST

/* An English name without a Latin letter is refused with its field; an
 * empty one by the schema. */
START_TEST(test_english_rejected)
{
    static const char bad[] =
        "<register xmlns=\"urn:pledger:1\">\n"
        "<trademark number=\"12345678\" status=\"registered\" classes=\"29\""
        " valid_from=\"2015-06-07\" valid_to=\"2035-06-06\">"
        "<owner name=\"福建闽江食品有限公司\" name_en=\"闽江食品\""
        " id_type=\"uscc\" id=\"" MINJIANG "\"/></trademark>\n"
        "<holding company=\"91330100MA27X0003L\" capital=\"1\" currency=\"CNY\">"
        "<shareholder name=\"王芳\" name_en=\"\" id_type=\"uscc\" id=\"" QIANHAI "\"/>"
        "</holding>\n"
        "<trademark number=\"22334455\" status=\"registered\" classes=\"29\""
        " valid_from=\"2015-06-07\" valid_to=\"2035-06-06\">"
        "<owner name=\"A\" id_type=\"uscc\" id=\"" MINHAI "\"/>"
        "<owner name=\"B\" name_en=\"--\" id_type=\"uscc\" id=\"" MINJIANG "\"/></trademark>\n"
        "</register>";
    pledger_import_report *rep = NULL;

    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_OK(reg, pledger_register_import_memory(&rep, reg, bad, strlen(bad), NULL));
    ck_assert_uint_eq(pledger_import_report_rejected(rep), 3);
    ck_assert_uint_eq(pledger_import_report_rejection_line(rep, 0), 2);
    ck_assert_ptr_nonnull(strstr(pledger_import_report_rejection_message(rep, 0),
                                 "owner[1]/@name_en"));
    ck_assert_uint_eq(pledger_import_report_rejection_line(rep, 1), 3);
    ck_assert_ptr_nonnull(strstr(pledger_import_report_rejection_message(rep, 1), "name_en"));
    ck_assert_ptr_nonnull(strstr(pledger_import_report_rejection_message(rep, 2),
                                 "owner[2]/@name_en"));
    pledger_import_report_free(rep);
}
END_TEST

/* Every statement of the English-name lookups is driven by an index. */
START_TEST(test_english_plans)
{
    static const struct {
        const char *sql, *must, *also;
    } plans[] = {
        { "SELECT f.pledge_id FROM ref_owner o CROSS JOIN pledge_version f"
          " WHERE o.name_en_key = ?1 AND f.pledgor_id = o.id_number",
          "INDEX ref_owner_en", "INDEX pledge_version_pledgor" },
        { "SELECT f.pledge_id FROM ref_holding h CROSS JOIN pledge_version f"
          " WHERE h.shareholder_en_key = ?1 AND f.pledgee_id = h.shareholder",
          "INDEX ref_holding_en", "INDEX pledge_version_pledgee" },
        { "SELECT EXISTS (SELECT 1 FROM ref_owner o WHERE o.name_en_key = ?1"
          " AND o.id_number = ?2 AND o.id_type = 1)",
          "COVERING INDEX ref_owner_en", "COVERING INDEX ref_owner_en" },
        { "SELECT EXISTS (SELECT 1 FROM ref_holding h WHERE h.shareholder_en_key = ?1"
          " AND h.shareholder = ?2 AND h.shareholder_type = 1)",
          "COVERING INDEX ref_holding_en", "COVERING INDEX ref_holding_en" },
    };
    sqlite3 *h = pl_db_handle(reg->db);
    for (size_t k = 0; k < sizeof plans / sizeof plans[0]; k++) {
        char *sql = NULL, plan[1024] = "";
        sqlite3_stmt *st;
        ck_assert(asprintf(&sql, "EXPLAIN QUERY PLAN %s", plans[k].sql) > 0);
        ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            strncat(plan, (const char *)sqlite3_column_text(st, 3), 200);
            strcat(plan, "; ");
        }
        sqlite3_finalize(st);
        free(sql);
        ck_assert_msg(strstr(plan, plans[k].must) && strstr(plan, plans[k].also) &&
                          !strstr(plan, "SCAN o") && !strstr(plan, "SCAN h") &&
                          !strstr(plan, "SCAN f"),
                      "%s\n -> %s", plans[k].sql, plan);
    }
}
END_TEST

/* ---- migration ------------------------------------------------------------------------ */

/* The digest the importer wrote for the holding of OLD_HOLDING before
 * English names existed (SHA-256 of its normalised content; checked
 * independently of the library when the test was written). */
#define OLD_HOLDING_DIGEST "C482C7881FBECA29C4556AE7287BC149E646E23D07C8B8E563D955E18537B358"

/* A registry as the pledger before English names left it (migrations 1 to
 * 5): a holding of 福建闽江食品有限公司 on the register, imported then,
 * and a pledge it gave. */
START_TEST(test_english_migration)
{
    static const char holding[] =
        "<register xmlns=\"urn:pledger:1\">"
        "<holding company=\"91330100MA27X0003L\" capital=\"100\" currency=\"CNY\">"
        "<shareholder name=\"福建闽江食品有限公司\"%s id_type=\"uscc\" id=\"" MINJIANG "\"/>"
        "</holding></register>";
    char *old = pl_test_path(dir, "old.db"), *sql = NULL, *xml = NULL;
    char *key = pl_text_name_key("福建闽江食品有限公司");
    sqlite3 *h = NULL;
    int i;

    ck_assert_ptr_nonnull(key);
    ck_assert_int_eq(sqlite3_open(old, &h), SQLITE_OK);
    ck_assert_int_eq(pl_schema_functions(h), SQLITE_OK);
    for (i = 0; i < pl_migration_count && pl_migrations[i].sql != pl_sql_register_en; i++)
        ck_assert_int_eq(sqlite3_exec(h, pl_migrations[i].sql, NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_eq(i, 5);
    ck_assert(asprintf(&sql,
                       "PRAGMA application_id = %d; PRAGMA user_version = %d;"
                       "INSERT INTO meta VALUES ('default_office', 'FZ01'),"
                       " ('number_template', '{office}-{kind}-{year}-{seq:6}');"
                       "INSERT INTO ref_holding(company, company_name, shareholder_type,"
                       " shareholder, shareholder_name, shareholder_key, capital, currency,"
                       " frozen, digest, changed_at) VALUES ('91330100MA27X0003L', NULL, 1,"
                       " '" MINJIANG "', '福建闽江食品有限公司', '%s', 100, 'CNY', 0,"
                       " X'" OLD_HOLDING_DIGEST "', 1);"
                       "PRAGMA foreign_keys = OFF;"
                       "INSERT INTO application(id, uuid, kind, state, document, doc_hash,"
                       " created_at, created_by, updated_at, journal_seq)"
                       " VALUES (1, 'app-1', 4, 7, '', '', 0, 'test', 0, 0);"
                       "INSERT INTO pledge(id, registration_number, application_id, kind,"
                       " registered_at, office) VALUES (1, 'N1', 1, 4, 1001, 'FZ01');"
                       "INSERT INTO pledge_version(pledge_id, version, valid_from, state,"
                       " operation, pledgor_name, pledgor_key, pledgor_id_type, pledgor_id,"
                       " pledgee_name, pledgee_key, pledgee_id_type, pledgee_id, amount,"
                       " currency, period_start, period_end, journal_seq) VALUES (1, 1, 1001,"
                       " 1, 'register', '福建闽江食品有限公司', '%s', 'uscc', '" MINJIANG "',"
                       " '兴业银行股份有限公司', '兴业银行', 'uscc', '" QIANHAI "', 1, 'CNY',"
                       " 1, 2, 0);",
                       PL_APPLICATION_ID, i, key, key) > 0);
    ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(h));
    sqlite3_close(h);
    free(sql);

    pledger_close(reg);
    reg = NULL;
    PL_OK(NULL, fx_open(&reg, old, "FZ01", 0, -1)); /* migrates */
    ck_assert_int_eq(fx_ck_raw_int(old, "PRAGMA user_version"), pl_migration_count);
    ck_assert_int_eq(fx_ck_raw_int(old, "SELECT count(*) FROM ref_holding"
                                        " WHERE shareholder_name_en IS NULL"
                                        " AND shareholder_en_key IS NULL"), 1);
    /* the record as it was imported then is unchanged: its digest is the same */
    ck_assert(asprintf(&xml, holding, "") > 0);
    import(xml, 0, 0, 1, 0);
    free(xml);
    expect("Fujian Minjiang Food Co., Ltd.", PLEDGER_PARTY_EITHER, NULL, "");
    /* with the English name it is updated, and the pledge found by it */
    ck_assert(asprintf(&xml, holding, " name_en=\"Fujian Minjiang Food Co., Ltd.\"") > 0);
    import(xml, 0, 1, 0, 0);
    free(xml);
    expect("FUJIAN MINJIANG FOOD CO LTD", PLEDGER_PARTY_EITHER, NULL, "~");
    expect("FUJIAN MINJIANG FOOD CO LTD", PLEDGER_PARTY_PLEDGEE, NULL, "");
    free(key);
    free(old);
}
END_TEST

static Suite *names_en_suite(void)
{
    Suite *s = suite_create("names-en");
    TCase *tc = tcase_create("key");
    tcase_add_test(tc, test_english_key);
    suite_add_tcase(s, tc);

    tc = tcase_create("search");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_english_search);
    tcase_add_test(tc, test_english_reimport);
    tcase_add_test(tc, test_english_rejected);
    tcase_add_test(tc, test_english_plans);
    tcase_add_test(tc, test_english_migration);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(names_en_suite)
