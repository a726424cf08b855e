/* Similar-name search (pledger_query.party_name): the similar-name key
 * (base/names.c) of every way a company's name is written, the name index
 * and its migration, branches, exact matches staying exact, and recall
 * and precision on generated names (tests/gen-names.py, >= 0.95 each). */
#include <sqlite3.h>

#include "testutil.h"
#include "store/sqlite.h"
#include "fixture.h"
#include "names-eval.h"
#include "store/schema.h"

#include <pledger/application.h>
#include <pledger/pledge.h>
#include <pledger/query.h>

static char *dir, *path;
static pledger_registry *reg;

static void setup(void) { fx_ck_setup(&dir, &path, &reg); }
static void teardown(void) { fx_ck_teardown(dir, path, reg); }

/* ---- the key ------------------------------------------------------------------- */

START_TEST(test_core)
{
    static const struct {
        const char *name, *core;
        bool branch;
    } cases[] = {
        /* places in front: province, with or without its suffix, city, county */
        { "福建省闽江食品有限公司", "闽江食品", false },
        { "福建闽江食品有限公司", "闽江食品", false },
        { "闽江食品有限公司", "闽江食品", false },
        { "福州市闽江食品有限公司", "闽江食品", false },
        { "福州闽江食品有限公司", "闽江食品", false },
        { "福建省福州市鼓楼区闽江食品有限公司", "闽江食品", false },
        { "福清市闽江食品有限公司", "闽江食品", false },
        { "广西壮族自治区桂林市漓江食品有限公司", "漓江食品", false },
        { "上海市闽江食品有限公司", "闽江食品", false },
        /* a place that is the trade name stays: 3 characters must remain */
        { "中山食品有限公司", "中山食品", false },
        /* legal forms, 集团 anywhere it is one */
        { "闽江食品有限责任公司", "闽江食品", false },
        { "闽江食品股份有限公司", "闽江食品", false },
        { "闽江食品股份公司", "闽江食品", false },
        { "闽江食品集团有限公司", "闽江食品", false },
        { "闽江食品集团股份有限公司", "闽江食品", false },
        { "闽江食品（集团）有限公司", "闽江食品", false },
        { "闽江食品集团", "闽江食品", false },
        /* brackets: a place goes, anything else stays */
        { "闽江食品（福建）有限公司", "闽江食品", false },
        { "【福建省】闽江食品有限公司", "闽江食品", false },
        { "闽江食品（中国）有限公司", "闽江食品", false },
        { "闽江食品（一厂）有限公司", "闽江食品一厂", false },
        /* traditional characters, full-width forms and punctuation */
        { "福建省閩江食品有限責任公司", "闽江食品", false },
        { "福建省　闽江食品·有限公司。", "闽江食品", false },
        { "ＡＣＭＥ　Ｃｏ．，Ｌｔｄ．", "acme", false },
        { "Fujian Minjiang Food Co., Ltd.", "minjiangfood", false },
        /* branches: the head office's key */
        { "福建省闽江食品有限公司福州分公司", "闽江食品", true },
        { "闽江食品有限公司（福州）分公司", "闽江食品", true },
        { "闽江食品福州分公司", "闽江食品", true },
        { "中国工商银行股份有限公司福州鼓楼支行", "中国工商银行", true },
        { "兴业银行股份有限公司福州分行", "兴业银行", true },
        /* nothing else to take */
        { "公司", "公司", false },
        { "有限公司", "有限公司", false },
        { "王芳", "王芳", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool branch = !cases[i].branch;
        char *core = pl_text_name_core(cases[i].name, &branch);
        ck_assert_ptr_nonnull(core);
        ck_assert_msg(strcmp(core, cases[i].core) == 0 && branch == cases[i].branch,
                      "%s -> '%s'%s, expected '%s'%s", cases[i].name, core,
                      branch ? " (branch)" : "", cases[i].core,
                      cases[i].branch ? " (branch)" : "");
        free(core);
    }
    ck_assert_ptr_null(pl_text_name_core(NULL, NULL));
    ck_assert_ptr_null(pl_text_name_core("\xff", NULL));
}
END_TEST

/* ---- search through a registration -------------------------------------------------- */

/* The hits of a search for @name: "<match>" per hit ("=" exact, "~"
 * similar, "b" branch), in order. */
static void search_marks(const char *name, int side, char *out, size_t size)
{
    pledger_query q = PLEDGER_QUERY_INIT;
    pledger_cursor *cur = NULL;
    size_t n = 0;
    q.party_name = name;
    q.party_side = side;
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

START_TEST(test_issue_example)
{
    /* the sample's pledgor is 福建闽江食品有限公司, registered by the workflow */
    char *num = NULL, *uuid = NULL, marks[16];
    PL_OK(reg, fx_submitted(reg, PLEDGER_KIND_TRADEMARK, &uuid));
    PL_OK(reg, fx_accept(reg, uuid, NULL));
    PL_OK(reg, fx_register(reg, uuid, &num, NULL));
    static const char *const similar[] = {
        "福建省闽江食品有限公司", "闽江食品有限公司", "福州市闽江食品有限公司",
        "福州闽江食品有限责任公司", "福建閩江食品股份有限公司", "闽江食品（福建）有限公司",
        "福建省　闽江食品·有限公司", "福建闽江食品集团有限公司", "福建省闽江食品有限公司福州分公司",
    };
    for (size_t i = 0; i < sizeof similar / sizeof similar[0]; i++) {
        search_marks(similar[i], PLEDGER_PARTY_EITHER, marks, sizeof marks);
        ck_assert_msg(strcmp(marks, "~") == 0, "%s: '%s'", similar[i], marks);
    }
    /* exact stays exact */
    search_marks("福建闽江食品有限公司", PLEDGER_PARTY_EITHER, marks, sizeof marks);
    ck_assert_str_eq(marks, "=");
    search_marks("  福建闽江食品有限公司 ", PLEDGER_PARTY_PLEDGOR, marks, sizeof marks);
    ck_assert_str_eq(marks, "=");
    /* the side still counts, and other companies are not found */
    search_marks("福建省闽江食品有限公司", PLEDGER_PARTY_PLEDGEE, marks, sizeof marks);
    ck_assert_str_eq(marks, "");
    search_marks("福建省闽海食品有限公司", PLEDGER_PARTY_EITHER, marks, sizeof marks);
    ck_assert_str_eq(marks, "");
    search_marks("福建省闽江机械有限公司", PLEDGER_PARTY_EITHER, marks, sizeof marks);
    ck_assert_str_eq(marks, "");
    /* the index holds both parties of the version the workflow wrote */
    int64_t rows = 0;
    PL_OK(NULL, fx_raw_int(path, "SELECT count(*) FROM party_name WHERE core IN"
                                 " ('闽江食品', '前海商业银行')", &rows));
    ck_assert_int_eq(rows, 2);
    free(num);
    free(uuid);
}
END_TEST

/* A pledge written with SQL (foreign keys off): pledgor @pledgor. */
static void insert_pledge(sqlite3 *h, int id, const char *pledgor)
{
    sqlite3_stmt *st;
    char *key = pl_text_name_key(pledgor), *sql = NULL;
    ck_assert_ptr_nonnull(key);
    ck_assert(asprintf(&sql,
                       "PRAGMA foreign_keys = OFF;"
                       "INSERT INTO application(id, uuid, kind, state, document, doc_hash,"
                       " created_at, created_by, updated_at, journal_seq)"
                       " VALUES (%d, 'app-%d', 1, 7, '', '', 0, 'test', 0, 0);"
                       "INSERT INTO pledge(id, registration_number, application_id, kind,"
                       " registered_at, office) VALUES (%d, 'N%d', %d, 1, %d, 'FZ01');",
                       id, id, id, id, id, 1000 + id) > 0);
    ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    free(sql);
    ck_assert_int_eq(
        sqlite3_prepare_v2(h,
                           "INSERT INTO pledge_version(pledge_id, version, valid_from, state,"
                           " operation, pledgor_name, pledgor_key, pledgor_id_type, pledgor_id,"
                           " pledgee_name, pledgee_key, pledgee_id_type, pledgee_id, amount,"
                           " currency, period_start, period_end, journal_seq) VALUES (?1, 1,"
                           " 1000 + ?1, 1, 'register', ?2, ?3, 'uscc', 'X',"
                           " '兴业银行股份有限公司福州分行', '兴业银行股份有限公司福州分行',"
                           " 'uscc', 'Y', 1, 'CNY', 1, 2, 0)",
                           -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_int(st, 1, id);
    sqlite3_bind_text(st, 2, pledgor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    free(key);
}

START_TEST(test_branches_and_places)
{
    sqlite3 *h = pl_db_handle(reg->db);
    char marks[16];
    insert_pledge(h, 1, "福建省闽江食品有限公司");
    insert_pledge(h, 2, "福建省闽江食品有限公司福州分公司");
    insert_pledge(h, 3, "闽江食品有限公司（厦门）分公司");
    insert_pledge(h, 4, "福清闽江食品有限公司");     /* a place the key does not know */
    insert_pledge(h, 5, "福建省闽海食品有限公司");   /* another company */
    insert_pledge(h, 6, "新闽江食品有限公司");       /* another, one character more */
    /* the head office's name finds its branches, marked so */
    search_marks("福建闽江食品有限公司", PLEDGER_PARTY_EITHER, marks, sizeof marks);
    ck_assert_str_eq(marks, "~bb~");
    search_marks("福建省闽江食品有限公司", PLEDGER_PARTY_PLEDGOR, marks, sizeof marks);
    ck_assert_str_eq(marks, "=bb~");
    /* a branch's name: the head office and the branches, as similar */
    search_marks("福建省闽江食品有限公司厦门分公司", PLEDGER_PARTY_EITHER, marks, sizeof marks);
    ck_assert_str_eq(marks, "~~~~");
    /* an unknown place in front of the search finds the company too (not
     * the name with another unknown place, 福清) */
    search_marks("长乐闽江食品有限公司", PLEDGER_PARTY_EITHER, marks, sizeof marks);
    ck_assert_str_eq(marks, "~bb");
    /* the pledgee's branch is found by the bank's name (pledgee side) */
    search_marks("兴业银行股份有限公司", PLEDGER_PARTY_PLEDGEE, marks, sizeof marks);
    ck_assert_str_eq(marks, "bbbbbb");
}
END_TEST

/* Every statement of the name plan is driven by an index. */
START_TEST(test_name_plans)
{
    static const struct {
        const char *sql, *must;
    } plans[] = {
        { "SELECT pledge_id FROM party_name WHERE core IN (?1, ?2, ?3) AND ?4 <> 3 - side",
          "INDEX party_name_core" },
        { "SELECT pledge_id FROM party_name WHERE substr(core, 3) = ?1 AND length(core) >= 6",
          "INDEX party_name_tail2" },
        { "SELECT pledge_id FROM party_name WHERE substr(core, 4) = ?1 AND length(core) >= 7",
          "INDEX party_name_tail3" },
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
        ck_assert_msg(strstr(plan, plans[k].must) && !strstr(plan, "SCAN n") &&
                          !strstr(plan, "SCAN party_name;"),
                      "%s\n -> %s", plans[k].sql, plan);
    }
}
END_TEST

/* ---- migration ------------------------------------------------------------------------ */

/* A registry as the pledger before the name index left it (migrations 1
 * to 4, no SQL functions on the connection), with two pledges. */
START_TEST(test_migration_builds_index)
{
    char *old = pl_test_path(dir, "old.db"), sql[128];
    sqlite3 *h = NULL;
    char marks[16];
    int i;

    ck_assert_int_eq(sqlite3_open(old, &h), SQLITE_OK);
    for (i = 0; i < pl_migration_count && pl_migrations[i].sql != pl_sql_names; i++)
        ck_assert_int_eq(sqlite3_exec(h, pl_migrations[i].sql, NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_eq(i, 4);
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
             PL_APPLICATION_ID, i);
    ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "INSERT INTO meta VALUES ('default_office', 'FZ01'),"
                                     " ('number_template', '{office}-{kind}-{year}-{seq:6}')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    insert_pledge(h, 1, "福建省閩江食品有限公司");
    insert_pledge(h, 2, "福建省闽江食品有限公司福州分公司");
    insert_pledge(h, 3, "福建省闽海食品有限公司");
    sqlite3_close(h);

    pledger_close(reg);
    reg = NULL;
    PL_OK(NULL, fx_open(&reg, old, "FZ01", 0, -1)); /* migrates */
    int64_t v = 0, rows = 0;
    PL_OK(NULL, fx_raw_int(old, "PRAGMA user_version", &v));
    ck_assert_int_eq(v, pl_migration_count);
    PL_OK(NULL, fx_raw_int(old, "SELECT count(*) FROM party_name", &rows));
    ck_assert_int_eq(rows, 6);
    search_marks("福建闽江食品有限公司", PLEDGER_PARTY_EITHER, marks, sizeof marks);
    ck_assert_str_eq(marks, "~b");
    /* and what is registered after it is indexed by the triggers */
    insert_pledge(pl_db_handle(reg->db), 4, "闽江食品（福建）有限责任公司");
    search_marks("福建闽江食品有限公司", PLEDGER_PARTY_EITHER, marks, sizeof marks);
    ck_assert_str_eq(marks, "~b~");
    free(old);
}
END_TEST

/* ---- recall and precision -------------------------------------------------------------- */

/* 500 companies of tests/gen-names.py (10 searches each, a negative of
 * the same province and industry each): both at least 0.95. */
START_TEST(test_recall_precision)
{
    ne_result r;
    char *db = pl_test_path(dir, "names.db");
    int rc = ne_run(PLEDGER_TEST_NAMES_TSV, db, &r);
    ck_assert_msg(rc == 0, "%s", r.error);
    ne_print(stdout, &r);
    ck_assert_uint_eq(r.queries, 5000);
    ck_assert_msg(r.recall >= 0.95, "recall %.4f", r.recall);
    ck_assert_msg(r.precision >= 0.95, "precision %.4f", r.precision);
    ck_assert_uint_gt(r.branch_hits, 0);
    free(db);
}
END_TEST

static Suite *names_suite(void)
{
    Suite *s = suite_create("names");
    TCase *tc = tcase_create("key");
    tcase_add_test(tc, test_core);
    suite_add_tcase(s, tc);

    tc = tcase_create("search");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_issue_example);
    tcase_add_test(tc, test_branches_and_places);
    tcase_add_test(tc, test_name_plans);
    tcase_add_test(tc, test_migration_builds_index);
    tcase_add_test(tc, test_recall_precision);
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(names_suite)
