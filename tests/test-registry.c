/* pledger_open / pledger_close: creation, refusals, migrations, read-only
 * behaviour, options, errors and the clock. */
#include <sqlite3.h>
#include <sys/stat.h>

#include "testutil.h"
#include "api/handle.h"
#include "store/db.h"
#include "store/schema.h"

static char *dir;

static void setup(void) { dir = pl_test_mkdir(); }
static void teardown(void) { pl_test_rmdir(dir); }

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
    /* what the last migration's backfill calls, as pledger_open() has it */
    ck_assert_int_eq(pl_schema_functions(h), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
    sqlite3_free(msg);
    ck_assert_int_eq(sqlite3_close(h), SQLITE_OK);
}

static int64_t raw_int(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

/* Open must refuse @path with @code, leave its bytes as they were and name
 * the path in the message. */
static void assert_refused_unchanged(const char *path, int code)
{
    size_t n0, n1;
    char *before = pl_test_slurp(path, &n0);
    pledger_registry *reg = (pledger_registry *)1;

    PL_FAILS(NULL, code, pledger_open(&reg, path, NULL));
    ck_assert_ptr_null(reg);
    ck_assert_msg(strstr(pledger_errmsg(NULL), path) != NULL,
                  "message does not name the path: %s", pledger_errmsg(NULL));
    ck_assert_int_eq(pledger_errcode(NULL), code);
    char *after = pl_test_slurp(path, &n1);
    ck_assert_uint_eq(n0, n1);
    ck_assert_msg(memcmp(before, after, n0) == 0, "refused file was modified");
    free(before);
    free(after);
    /* no -wal or -shm left behind either */
    char *wal = NULL;
    ck_assert(asprintf(&wal, "%s-wal", path) > 0);
    struct stat sb;
    ck_assert_int_ne(stat(wal, &sb), 0);
    free(wal);
}

START_TEST(test_create_close_reopen)
{
    char *path = pl_test_path(dir, "reg.db");
    pledger_registry *reg = NULL;

    PL_OK(NULL, pledger_open(&reg, path, NULL));
    ck_assert_ptr_nonnull(reg);
    ck_assert_str_eq(pledger_errmsg(reg), "");
    ck_assert_str_eq(pledger_office_code(reg), "PLEDGER");
    pledger_close(reg);
    ck_assert_int_eq(raw_int(path, "PRAGMA application_id"), PL_APPLICATION_ID);
    ck_assert_int_eq(raw_int(path, "PRAGMA user_version"), pl_migration_count);
    ck_assert_int_eq(raw_int(path, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
    ck_assert_int_eq(raw_int(path, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%STRICT%' AND name NOT LIKE 'sqlite_%'"), 0);

    PL_OK(NULL, pledger_open(&reg, path, NULL));
    pledger_close(reg);
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    o.read_only = 1;
    PL_OK(NULL, pledger_open(&reg, path, &o));
    pledger_close(reg);
    pledger_close(NULL);
    free(path);
}
END_TEST

START_TEST(test_version)
{
    ck_assert_str_eq(pledger_version(), PLEDGER_VERSION_STRING);
    ck_assert(PLEDGER_VERSION_CHECK(0, 0, 1));
    ck_assert(PLEDGER_VERSION_CHECK(PLEDGER_VERSION_MAJOR, PLEDGER_VERSION_MINOR,
                                    PLEDGER_VERSION_MICRO));
    ck_assert(!PLEDGER_VERSION_CHECK(PLEDGER_VERSION_MAJOR + 1, 0, 0));
    ck_assert(!PLEDGER_VERSION_CHECK(PLEDGER_VERSION_MAJOR, PLEDGER_VERSION_MINOR,
                                     PLEDGER_VERSION_MICRO + 1));
}
END_TEST

START_TEST(test_strerror)
{
    for (int c = PLEDGER_OK; c >= PLEDGER_ECANCELLED; c--)
        ck_assert_str_ne(pledger_strerror(c), "unknown error");
    ck_assert_str_eq(pledger_strerror(1), "unknown error");
    ck_assert_str_eq(pledger_strerror(-999), "unknown error");
}
END_TEST

START_TEST(test_bad_arguments)
{
    pledger_registry *reg = (pledger_registry *)1;
    char *path = pl_test_path(dir, "x.db");
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;

    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_open(NULL, path, NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "out"));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_open(&reg, NULL, NULL));
    ck_assert_ptr_null(reg);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "path"));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_open(&reg, "", NULL));
    o.version = 0;
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_open(&reg, path, &o));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "version"));
    o.version = PLEDGER_OPEN_OPTIONS_VERSION + 1;
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_open(&reg, path, &o));
    o.version = PLEDGER_OPEN_OPTIONS_VERSION;
    o.busy_timeout_ms = -1;
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_open(&reg, path, &o));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "busy_timeout_ms"));
    o.busy_timeout_ms = 100;
    o.office_code = "bad office";
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_open(&reg, path, &o));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "office_code"));
    o.office_code = "ABCDEFGHIJKLMNOPQ"; /* 17 characters */
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_open(&reg, path, &o));
    o.office_code = "";
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_open(&reg, path, &o));
    struct stat sb;
    ck_assert_int_ne(stat(path, &sb), 0); /* nothing was created */

    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_set_clock(NULL, NULL, NULL));
    ck_assert_ptr_null(pledger_office_code(NULL));
    free(path);
}
END_TEST

START_TEST(test_missing_file)
{
    char *path = pl_test_path(dir, "missing.db");
    pledger_registry *reg = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    struct stat sb;

    o.create = 0;
    PL_FAILS(NULL, PLEDGER_ENOTFOUND, pledger_open(&reg, path, &o));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), path));
    o.create = 1;
    o.read_only = 1;
    PL_FAILS(NULL, PLEDGER_ENOTFOUND, pledger_open(&reg, path, &o));
    ck_assert_int_ne(stat(path, &sb), 0);
    char *deep = pl_test_path(dir, "no/such/dir/reg.db");
    PL_FAILS(NULL, PLEDGER_ENOTFOUND, pledger_open(&reg, deep, NULL));
    free(deep);
    free(path);
}
END_TEST

START_TEST(test_refuse_not_sqlite)
{
    char *path = pl_test_path(dir, "text.db");
    const char text[] = "This is a contract, not a database.\n"
                        "It is long enough to have a header-sized prefix............"
                        "................................................................";
    pl_test_write(path, text, sizeof text - 1);
    assert_refused_unchanged(path, PLEDGER_ENOTDB);
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    o.read_only = 1;
    pledger_registry *reg = NULL;
    PL_FAILS(NULL, PLEDGER_ENOTDB, pledger_open(&reg, path, &o));
    free(path);
}
END_TEST

START_TEST(test_refuse_foreign_sqlite)
{
    char *path = pl_test_path(dir, "other.db");
    raw_exec(path, "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);"
                   "INSERT INTO customers(name) VALUES ('Wang');");
    assert_refused_unchanged(path, PLEDGER_ENOTDB);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "not a pledger registry"));
    /* another application's id, even with an empty schema */
    char *path2 = pl_test_path(dir, "other2.db");
    raw_exec(path2, "PRAGMA application_id = 1234; CREATE TABLE t(x);");
    assert_refused_unchanged(path2, PLEDGER_ENOTDB);
    free(path2);
    free(path);
}
END_TEST

START_TEST(test_refuse_newer)
{
    char *path = pl_test_path(dir, "newer.db");
    pledger_registry *reg = NULL;
    PL_OK(NULL, pledger_open(&reg, path, NULL));
    pledger_close(reg);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", pl_migration_count + 1);
    raw_exec(path, "PRAGMA journal_mode = DELETE");
    raw_exec(path, sql);
    assert_refused_unchanged(path, PLEDGER_ENEWER);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "newer"));
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    o.read_only = 1;
    PL_FAILS(NULL, PLEDGER_ENEWER, pledger_open(&reg, path, &o));
    free(path);
}
END_TEST

START_TEST(test_empty_file_becomes_registry)
{
    char *path = pl_test_path(dir, "empty.db");
    pledger_registry *reg = NULL;
    pl_test_write(path, "", 0);
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    o.read_only = 1;
    PL_FAILS(NULL, PLEDGER_ENOTDB, pledger_open(&reg, path, &o));
    PL_OK(NULL, pledger_open(&reg, path, NULL));
    pledger_close(reg);
    ck_assert_int_eq(raw_int(path, "PRAGMA user_version"), pl_migration_count);
    free(path);
}
END_TEST

/* Build a registry as an older pledger left it: migrations 1..@upto only. */
static void make_old_registry(const char *path, int upto)
{
    char sql[96];
    raw_exec(path, "PRAGMA journal_mode = WAL");
    for (int i = 0; i < upto; i++)
        raw_exec(path, pl_migrations[i].sql);
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
             PL_APPLICATION_ID, upto);
    raw_exec(path, sql);
    if (upto >= 1)
        raw_exec(path, "INSERT INTO meta VALUES ('default_office', 'OLD-1'),"
                       " ('number_template', '{office}-{kind}-{year}-{seq:6}')");
}

START_TEST(test_migrations)
{
    for (int upto = 1; upto <= pl_migration_count; upto++) {
        char name[32];
        snprintf(name, sizeof name, "old-%d.db", upto);
        char *path = pl_test_path(dir, name);
        pledger_registry *reg = NULL;
        make_old_registry(path, upto);
        if (upto < pl_migration_count) {
            pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
            o.read_only = 1;
            PL_FAILS(NULL, PLEDGER_EREADONLY, pledger_open(&reg, path, &o));
            ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "migrat"));
        }
        PL_OK(NULL, pledger_open(&reg, path, NULL));
        /* the data written before the migration survives it */
        ck_assert_str_eq(pledger_office_code(reg), "OLD-1");
        pledger_close(reg);
        ck_assert_int_eq(raw_int(path, "PRAGMA user_version"), pl_migration_count);
        free(path);
    }
    /* every migration has a name and some SQL */
    for (int i = 0; i < pl_migration_count; i++) {
        ck_assert_ptr_nonnull(pl_migrations[i].name);
        ck_assert(strlen(pl_migrations[i].sql) > 10);
    }
}
END_TEST

START_TEST(test_office_code)
{
    char *path = pl_test_path(dir, "office.db");
    pledger_registry *reg = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    o.office_code = "SZ-01";
    PL_OK(NULL, pledger_open(&reg, path, &o));
    ck_assert_str_eq(pledger_office_code(reg), "SZ-01");
    pledger_close(reg);
    PL_OK(NULL, pledger_open(&reg, path, NULL));
    ck_assert_str_eq(pledger_office_code(reg), "SZ-01"); /* the default */
    pledger_close(reg);
    o.office_code = "GZ-02";
    PL_OK(NULL, pledger_open(&reg, path, &o));
    ck_assert_str_eq(pledger_office_code(reg), "GZ-02");
    pledger_close(reg);
    free(path);
}
END_TEST

START_TEST(test_read_only)
{
    char *path = pl_test_path(dir, "ro.db");
    pledger_registry *rw = NULL, *ro = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    pl_err e;

    PL_OK(NULL, pledger_open(&rw, path, NULL));
    /* A writer holds an open write transaction... */
    ck_assert_int_eq(pl_db_write_begin(rw->db, &e), 0);
    ck_assert_int_eq(pl_db_meta_set(rw->db, &e, "probe", "uncommitted"), 0);
    /* ...and a read-only handle still opens and reads. */
    o.read_only = 1;
    o.busy_timeout_ms = 0;
    PL_OK(NULL, pledger_open(&ro, path, &o));
    char *v = NULL;
    ck_assert_int_eq(pl_db_meta_get(ro->db, &e, "default_office", &v), 0);
    ck_assert_str_eq(v, "PLEDGER");
    free(v);
    ck_assert_int_eq(pl_db_meta_get(ro->db, &e, "probe", &v), PLEDGER_ENOTFOUND);
    ck_assert_int_eq(pl_db_commit(rw->db, &e), 0);
    ck_assert_int_eq(pl_db_meta_get(ro->db, &e, "probe", &v), 0);
    ck_assert_str_eq(v, "uncommitted");
    free(v);
    /* The read-only handle cannot write, even with raw SQL. */
    ck_assert_int_eq(pl_db_write_begin(ro->db, &e), PLEDGER_EREADONLY);
    ck_assert_ptr_nonnull(strstr(e.msg, "read-only"));
    ck_assert_int_eq(pl_db_meta_set(ro->db, &e, "x", "y"), PLEDGER_EREADONLY);
    pledger_close(ro);
    pledger_close(rw);
    free(path);
}
END_TEST

static int64_t fixed_clock(void *payload) { return *(int64_t *)payload; }

START_TEST(test_clock)
{
    pledger_registry *reg = NULL;
    int64_t t = 1700000000123456;
    PL_OK(NULL, pledger_open(&reg, ":memory:", NULL));
    PL_OK(reg, pledger_set_clock(reg, fixed_clock, &t));
    ck_assert_int_eq(pledger_now(reg), t);
    t += 5;
    ck_assert_int_eq(pledger_now(reg), 1700000000123461);
    PL_OK(reg, pledger_set_clock(reg, NULL, NULL));
    ck_assert(pledger_now(reg) > 1700000000000000);
    ck_assert(pledger_now(NULL) > 1700000000000000);
    pledger_close(reg);
}
END_TEST

static Suite *registry_suite(void)
{
    Suite *s = suite_create("registry");
    TCase *tc = tcase_create("open");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_create_close_reopen);
    tcase_add_test(tc, test_version);
    tcase_add_test(tc, test_strerror);
    tcase_add_test(tc, test_bad_arguments);
    tcase_add_test(tc, test_missing_file);
    tcase_add_test(tc, test_refuse_not_sqlite);
    tcase_add_test(tc, test_refuse_foreign_sqlite);
    tcase_add_test(tc, test_refuse_newer);
    tcase_add_test(tc, test_empty_file_becomes_registry);
    tcase_add_test(tc, test_migrations);
    tcase_add_test(tc, test_office_code);
    tcase_add_test(tc, test_read_only);
    tcase_add_test(tc, test_clock);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(registry_suite)
