/* pledger_open / pledger_close: creation, refusals, migrations, read-only
 * behaviour, options, errors and the clock. */
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testutil.h"
#include "store/sqlite.h"
#include "api/handle.h"
#include "base/error.h"
#include "base/text.h"
#include "rules/findings.h"
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
    for (int c = PLEDGER_OK; c >= PLEDGER_ENOTSUP; c--)
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
    /* an empty file (a wrong --db, a touch): not a registry unless the
     * handle may create one; it stays empty */
    pl_test_write(path, "", 0);
    o.read_only = 0;
    o.create = 0;
    PL_FAILS(NULL, PLEDGER_ENOTFOUND, pledger_open(&reg, path, &o));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "an empty file"));
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_size, 0);
    o.create = 1;
    PL_OK(NULL, pledger_open(&reg, path, &o));
    pledger_close(reg);
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
    for (int i = 0; i < upto; i++) {
        raw_exec(path, pl_migrations[i].sql);
        if (pl_migrations[i].widen_table) {
            /* what store/db.c does, the older pledger's way: by hand */
            char *w = sqlite3_mprintf("PRAGMA writable_schema = ON;"
                                      " UPDATE sqlite_schema SET sql = replace(sql, %Q, %Q)"
                                      " WHERE name = %Q; PRAGMA writable_schema = OFF;",
                                      pl_migrations[i].widen_from, pl_migrations[i].widen_to,
                                      pl_migrations[i].widen_table);
            raw_exec(path, w);
            sqlite3_free(w);
        }
    }
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
        /* read-only: read as it is when every migration it lacks may be
         * read without, else refused (it must be opened read-write once) */
        bool readable = true;
        for (int v = upto; v < pl_migration_count; v++)
            readable = readable && pl_migrations[v].readable_before;
        pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
        o.read_only = 1;
        if (readable) {
            PL_OK(NULL, pledger_open(&reg, path, &o));
            ck_assert_str_eq(pledger_office_code(reg), "OLD-1");
            pledger_close(reg);
            reg = NULL;
            ck_assert_int_eq(raw_int(path, "PRAGMA user_version"), upto);
        } else {
            PL_FAILS(NULL, PLEDGER_EREADONLY, pledger_open(&reg, path, &o));
            ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "migrat"));
        }
        PL_OK(NULL, pledger_open(&reg, path, NULL));
        /* the data written before the migration survives it */
        ck_assert_str_eq(pledger_office_code(reg), "OLD-1");
        pledger_close(reg);
        ck_assert_int_eq(raw_int(path, "PRAGMA user_version"), pl_migration_count);
        /* a widened CHECK is widened once, whatever the version migrated
         * from, and the file is sound after it */
        ck_assert_int_eq(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = "
                                       "'application' AND sql LIKE '%state BETWEEN 1 AND 9%'"
                                       " AND sql NOT LIKE '%state BETWEEN 1 AND 8%'"), 1);
        ck_assert_int_eq(raw_int(path, "SELECT count(*) FROM pragma_integrity_check WHERE "
                                       "integrity_check <> 'ok'"), 0);
        free(path);
    }
    /* the last four migrations are read without (a bank's copy after an
     * upgrade); the one before them is not */
    ck_assert(pl_migrations[pl_migration_count - 1].readable_before);
    ck_assert(pl_migrations[pl_migration_count - 2].readable_before);
    ck_assert(pl_migrations[pl_migration_count - 3].readable_before);
    ck_assert(pl_migrations[pl_migration_count - 4].readable_before);
    ck_assert(!pl_migrations[pl_migration_count - 5].readable_before);
    /* every migration has a name and some SQL */
    for (int i = 0; i < pl_migration_count; i++) {
        ck_assert_ptr_nonnull(pl_migrations[i].name);
        ck_assert(strlen(pl_migrations[i].sql) > 10);
    }
}
END_TEST

/* A second handle on a registry this process already has open must not
 * cost the first one its locks: closing any descriptor of the database
 * file drops every POSIX lock the process holds on it, SQLite's shared
 * lock among them, and another process closing its own handle would then
 * think itself the last one, checkpoint and delete the WAL from under the
 * first handle, whose later commits would go to a deleted file (what a
 * service with a reader per thread and another program on the same file
 * did).  Here: a writer handle, a second (read-only) handle opened in the
 * same process, a child process that opens and closes the registry, then
 * a commit by the first handle -- which another process must see. */
/* File scope: the forked children inherit them reachable, so that valgrind
 * does not count them lost when a child leaves with _exit(). */
static char *volatile locks_path;
static pledger_registry *volatile locks_w, *volatile locks_r;

START_TEST(test_second_handle_keeps_the_first_ones_locks)
{
    char *path = locks_path = pl_test_path(dir, "locks.db");
    pledger_registry *w = NULL, *r = NULL;
    pledger_open_options ro = PLEDGER_OPEN_OPTIONS_INIT;

    PL_OK(NULL, pledger_open(&w, path, NULL));
    locks_w = w;
    PL_OK(w, pledger_set_actor(w, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_OK(w, pledger_set_number_template(w, "{series}-{office}-{kind}-{year}-{seq:5}"));
    ro.read_only = 1;
    PL_OK(NULL, pledger_open(&r, path, &ro));   /* the second handle of this process */
    locks_r = r;
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        pledger_registry *c = NULL;
        _exit(pledger_open(&c, path, NULL) == 0 ? (pledger_close(c), 0) : 3);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    /* the first handle commits after the other process closed; a third
     * process, while both handles are still open, must read that commit */
    PL_OK(w, pledger_set_number_template(w, "{series}-{office}-{kind}-{year}-{seq:7}"));
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        sqlite3 *h = NULL;
        sqlite3_stmt *st = NULL;
        int seen = -1;
        if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
            sqlite3_prepare_v2(h, "SELECT count(*) FROM meta WHERE key = 'number_template'"
                                  " AND value LIKE '%seq:7%'", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            seen = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(h);
        _exit(seen == 1 ? 0 : 1);
    }
    waitpid(pid, &status, 0);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "another process does not see the first handle's commit");
    pledger_close(r);
    pledger_close(w);
    locks_r = locks_w = NULL;
    free(path);
    locks_path = NULL;
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

/* A read begun inside a read joins it: the inner read's end leaves the
 * outer snapshot open (a commit by another handle stays unseen until the
 * outer read ends); a write cannot begin inside a read; a read cannot
 * begin inside a write. */
START_TEST(test_nested_reads)
{
    char *path = pl_test_path(dir, "nest.db");
    pledger_registry *a = NULL, *b = NULL;
    char *v = NULL;
    pl_err e;

    PL_OK(NULL, pledger_open(&a, path, NULL));
    PL_OK(NULL, pledger_open(&b, path, NULL));
    ck_assert_int_eq(pl_db_meta_set(a->db, &e, "probe", "one"), 0);
    ck_assert_int_eq(pl_db_read_begin(b->db, &e), 0);
    ck_assert_int_eq(pl_db_meta_get(b->db, &e, "probe", &v), 0); /* the snapshot starts */
    ck_assert_str_eq(v, "one");
    free(v);
    ck_assert_int_eq(pl_db_read_begin(b->db, &e), 0);           /* joins */
    ck_assert_int_eq(pl_db_write_begin(b->db, &e), PLEDGER_ESTATE);
    ck_assert_int_eq(pl_db_meta_set(a->db, &e, "probe", "two"), 0);
    pl_db_rollback(b->db);                                       /* the inner read ends */
    ck_assert(pl_db_in_tx(b->db));
    ck_assert_int_eq(pl_db_meta_get(b->db, &e, "probe", &v), 0);
    ck_assert_str_eq(v, "one");                                  /* still the outer snapshot */
    free(v);
    ck_assert_int_eq(pl_db_read_begin(b->db, &e), 0);
    ck_assert_int_eq(pl_db_commit(b->db, &e), 0);                /* an inner commit too */
    ck_assert(pl_db_in_tx(b->db));
    pl_db_rollback(b->db);                                       /* the outer read ends */
    ck_assert(!pl_db_in_tx(b->db));
    ck_assert_int_eq(pl_db_meta_get(b->db, &e, "probe", &v), 0);
    ck_assert_str_eq(v, "two");
    free(v);
    ck_assert_int_eq(pl_db_write_begin(b->db, &e), 0);
    ck_assert_int_eq(pl_db_read_begin(b->db, &e), PLEDGER_ESTATE);
    pl_db_rollback(b->db);
    ck_assert(!pl_db_in_tx(b->db));
    pledger_close(b);
    pledger_close(a);
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


/* ---- paths that cannot be a registry -------------------------------- */

/* Open must fail with @code and a message naming @path and saying @why. */
static void assert_open_fails(const char *path, const pledger_open_options *o, int code,
                              const char *why)
{
    pledger_registry *reg = (pledger_registry *)1;
    PL_FAILS(NULL, code, pledger_open(&reg, path, o));
    ck_assert_ptr_null(reg);
    ck_assert_msg(strstr(pledger_errmsg(NULL), path) != NULL, "no path: %s",
                  pledger_errmsg(NULL));
    ck_assert_msg(strstr(pledger_errmsg(NULL), why) != NULL, "expected '%s' in: %s", why,
                  pledger_errmsg(NULL));
}

START_TEST(test_open_paths)
{
    pledger_open_options ro = PLEDGER_OPEN_OPTIONS_INIT;
    ro.read_only = 1;
    char *sub = pl_test_path(dir, "a-directory");
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    assert_open_fails(sub, NULL, PLEDGER_EIO, "is a directory");
    assert_open_fails(sub, &ro, PLEDGER_EIO, "is a directory");
    char *deep = pl_test_path(dir, "no-such-dir/reg.db");
    assert_open_fails(deep, NULL, PLEDGER_ENOTFOUND, "no-such-dir' does not exist");
    char *file = pl_test_path(dir, "plain");
    pl_test_write(file, "x", 1);
    char *through = pl_test_path(dir, "plain/reg.db");
    assert_open_fails(through, NULL, PLEDGER_ENOTFOUND, "is a file");
    assert_open_fails(through, &ro, PLEDGER_ENOTFOUND, "is a file");
    char *missing = pl_test_path(dir, "missing.db");
    assert_open_fails(missing, &ro, PLEDGER_ENOTFOUND, "read-only open never creates");
    assert_open_fails("/dev/null", NULL, PLEDGER_EIO, "not a regular file");
    struct stat sb;
    ck_assert_int_ne(stat(missing, &sb), 0);
    free(sub);
    free(deep);
    free(file);
    free(through);
    free(missing);
}
END_TEST

/* Run in a child that cannot pass file permissions (root drops to
 * nobody): open @path with @o, exit 0 when the result is @code with
 * @why in the message. */
static int open_as_nobody(const char *path, int read_only, int code, const char *why)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(90);
        pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
        o.read_only = read_only;
        pledger_registry *reg = NULL;
        int rc = pledger_open(&reg, path, &o);
        pledger_close(reg);
        if (rc != code || (why && !strstr(pledger_errmsg(NULL), why)) ||
            (rc && !strstr(pledger_errmsg(NULL), path))) {
            fprintf(stderr, "open(%s, read_only=%d) -> %d: %s\n", path, read_only, rc,
                    pledger_errmsg(NULL));
            _exit(1);
        }
        _exit(0);
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

START_TEST(test_open_permissions)
{
    char *path = pl_test_path(dir, "reg.db");
    pledger_registry *reg = NULL;
    PL_OK(NULL, pledger_open(&reg, path, NULL));
    pledger_close(reg);
    ck_assert_int_eq(chmod(dir, 0755), 0);
    ck_assert_int_eq(chmod(path, 0), 0);
    ck_assert_int_eq(open_as_nobody(path, 0, PLEDGER_EIO, "cannot be read"), 0);
    ck_assert_int_eq(open_as_nobody(path, 1, PLEDGER_EIO, "cannot be read"), 0);
    ck_assert_int_eq(chmod(path, 0444), 0);
    ck_assert_int_eq(open_as_nobody(path, 0, PLEDGER_EREADONLY, "open it read-only"), 0);
    /* a reader of a WAL registry needs the -shm file */
    ck_assert_int_eq(open_as_nobody(path, 1, PLEDGER_EREADONLY, "-shm' is missing"), 0);
    ck_assert_int_eq(chmod(dir, 0777), 0); /* WAL: the reader creates the -shm file */
    ck_assert_int_eq(open_as_nobody(path, 1, 0, NULL), 0);
    /* a directory on the path this user may not search */
    ck_assert_int_eq(chmod(dir, 0700), 0);
    ck_assert_int_eq(open_as_nobody(path, 1, PLEDGER_EIO, "ermission denied"), 0);
    /* a directory this user may read but not write (a read-only file
     * system is the same to it): a new registry cannot be made there, and
     * one there cannot be written without its log and shared memory --
     * said so, not "No such file or directory" (which made it "not found") */
    ck_assert_int_eq(chmod(dir, 0755), 0);
    char *fresh = pl_test_path(dir, "fresh.db"), *side = NULL;
    ck_assert_int_eq(open_as_nobody(fresh, 0, PLEDGER_EREADONLY,
                                    "it cannot be created in its directory"), 0);
    for (const char *sfx = "-wal"; sfx; sfx = strcmp(sfx, "-wal") ? NULL : "-shm") {
        ck_assert_int_ne(asprintf(&side, "%s%s", path, sfx), -1);
        unlink(side);
        free(side);
    }
    ck_assert_int_eq(chmod(path, 0666), 0);
    ck_assert_int_eq(open_as_nobody(path, 0, PLEDGER_EREADONLY,
                                    "-shm' is missing and cannot be created"), 0);
    ck_assert_int_eq(chmod(path, 0644), 0);
    free(fresh);
    free(path);
}
END_TEST

/* ---- damaged files ----------------------------------------------------- */

static char *make_registry(const char *name, size_t *len)
{
    char *path = pl_test_path(dir, name);
    pledger_registry *reg = NULL;
    PL_OK(NULL, pledger_open(&reg, path, NULL));
    pledger_close(reg); /* checkpointed: the whole registry is in the file */
    char *bytes = pl_test_slurp(path, len);
    ck_assert_uint_gt(*len, 8192);
    free(path);
    return bytes;
}

static void refused_both_ways(const char *name, const void *data, size_t n, int code,
                              const char *why)
{
    char *path = pl_test_path(dir, name);
    pledger_open_options ro = PLEDGER_OPEN_OPTIONS_INIT;
    pledger_registry *reg = NULL;
    pl_test_write(path, data, n);
    assert_refused_unchanged(path, code);
    ck_assert_msg(strstr(pledger_errmsg(NULL), why), "expected '%s' in: %s", why,
                  pledger_errmsg(NULL));
    ro.read_only = 1;
    PL_FAILS(NULL, code, pledger_open(&reg, path, &ro));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), path));
    free(path);
}

START_TEST(test_damaged_files)
{
    size_t len;
    char *good = make_registry("good.db", &len);
    char *buf = malloc(len);
    ck_assert_ptr_nonnull(buf);

    /* not SQLite at all: the wrong file */
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)(i * 2654435761u >> 13);
    refused_both_ways("random.db", buf, 8192, PLEDGER_ENOTDB, "not an SQLite database");
    memset(buf, 0, len);
    refused_both_ways("zeros.db", buf, 8192, PLEDGER_ENOTDB, "not an SQLite database");
    /* SQLite's header, then not what it promises: damaged */
    refused_both_ways("half.db", good, len / 2, PLEDGER_ECORRUPT, "restore it from a backup");
    refused_both_ways("header.db", good, 100, PLEDGER_ECORRUPT, "damaged");
    refused_both_ways("ten.db", good, 10, PLEDGER_ECORRUPT, "truncated to 10 bytes");
    memcpy(buf, good, len);
    memset(buf + 100, 0xa5, 4096 - 100); /* page 1: the schema */
    refused_both_ways("page1.db", buf, len, PLEDGER_ECORRUPT, "damaged");
    memcpy(buf, good, len);
    buf[16] = 0;
    buf[17] = 3; /* a page size that is no power of two */
    refused_both_ways("pagesize.db", buf, len, PLEDGER_ECORRUPT, "damaged");
    free(buf);
    free(good);
}
END_TEST

/* A page found damaged by a later call, not by the open. */
START_TEST(test_damage_found_later)
{
    char *path = pl_test_path(dir, "later.db");
    pledger_registry *reg = NULL;
    PL_OK(NULL, pledger_open(&reg, path, NULL));
    pledger_close(reg);
    int64_t page = raw_int(path, "PRAGMA page_size");
    size_t len;
    char *bytes = pl_test_slurp(path, &len);
    /* every table and index of pledges, not the settings read by the open */
    int64_t n = raw_int(path, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%pledge%'"
                              " AND rootpage > 0");
    ck_assert_int_gt(n, 0);
    for (int64_t i = 0; i < n; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT rootpage FROM sqlite_master WHERE name LIKE "
                 "'%%pledge%%' AND rootpage > 0 ORDER BY rootpage LIMIT 1 OFFSET %lld",
                 (long long)i);
        int64_t root = raw_int(path, sql);
        memset(bytes + (root - 1) * page, 0xa5, (size_t)page);
    }
    pl_test_write(path, bytes, len);
    free(bytes);

    pledger_open_options ro = PLEDGER_OPEN_OPTIONS_INIT;
    ro.read_only = 1;
    for (int i = 0; i < 2; i++) {
        PL_OK(NULL, pledger_open(&reg, path, i ? &ro : NULL));
        pledger_pledge *p = NULL;
        PL_FAILS(reg, PLEDGER_ECORRUPT, pledger_pledge_get(&p, reg, "R-PLEDGER-TM-2024-000001"));
        ck_assert_ptr_null(p);
        ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), path));
        ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "restore it from a backup"));
        pledger_close(reg);
    }
    free(path);
}
END_TEST

/* A registry file deleted, moved or replaced under an open handle: a
 * write would go to the file the handle still holds, which no path names,
 * be answered as done and be lost with the handle.  Each is refused, the
 * file's path named; once the path names the file again, writes go on. */
START_TEST(test_moved_registry_refuses_writes)
{
    char *path = pl_test_path(dir, "moved.db"), *away = pl_test_path(dir, "away.db");
    pledger_registry *reg = NULL;
    PL_OK(NULL, pledger_open(&reg, path, NULL));
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_OK(reg, pledger_set_number_template(reg, "{series}-{office}-{kind}-{year}-{seq:5}"));
    int64_t events = raw_int(path, "SELECT count(*) FROM journal");
    static const char *const how[] = { "moved", "deleted", "replaced" };
    for (int i = 0; i < 3; i++) {
        if (i == 0)
            ck_assert_int_eq(rename(path, away), 0);
        else if (i == 1)
            ck_assert_int_eq(link(path, away) == 0 && unlink(path) == 0, 1);
        else {   /* a copy in its place: another file under the same name */
            size_t len;
            char *bytes = pl_test_slurp(path, &len);
            ck_assert_int_eq(link(path, away) == 0 && unlink(path) == 0, 1);
            pl_test_write(path, bytes, len);
            free(bytes);
        }
        PL_FAILS(reg, PLEDGER_EIO,
                 pledger_set_number_template(reg, "{series}-{office}-{kind}-{year}-{seq:7}"));
        ck_assert_msg(strstr(pledger_errmsg(reg), path) &&
                      strstr(pledger_errmsg(reg), "was deleted, moved or replaced while open"),
                      "%s: %s", how[i], pledger_errmsg(reg));
        if (i < 2) {   /* named again: nothing was written, and now it is */
            ck_assert_int_eq(rename(away, path), 0);
            ck_assert_int_eq(raw_int(path, "SELECT count(*) FROM journal"), events);
            PL_OK(reg, pledger_set_number_template(reg, i ? "{series}-{office}-{kind}-{year}"
                                                            "-{seq:6}"
                                                          : "{series}-{office}-{kind}-{year}"
                                                            "-{seq:8}"));
            events++;
            ck_assert_int_eq(raw_int(path, "SELECT count(*) FROM journal"), events);
        }
    }
    /* what the handle reads is still the file it holds */
    PL_OK(reg, pledger_read_begin(reg));
    PL_OK(reg, pledger_read_end(reg));
    pledger_close(reg);

    /* its write-ahead log unlinked: the commits would stay in the unlinked
     * log, answered as done, and a crash would take them back */
    char *wal = NULL;
    ck_assert_int_ne(asprintf(&wal, "%s-wal", path), -1);
    PL_OK(NULL, pledger_open(&reg, path, NULL));
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_OK(reg, pledger_set_number_template(reg, "{series}-{office}-{kind}-{year}-{seq:6}"));
    ck_assert_int_eq(unlink(wal), 0);
    PL_FAILS(reg, PLEDGER_EIO,
             pledger_set_number_template(reg, "{series}-{office}-{kind}-{year}-{seq:7}"));
    ck_assert_msg(strstr(pledger_errmsg(reg), "its write-ahead log") &&
                  strstr(pledger_errmsg(reg), "was deleted while open"), "%s",
                  pledger_errmsg(reg));
    pledger_close(reg);
    free(wal);
    free(path);
    free(away);
}
END_TEST

/* ---- control characters in messages ------------------------------------ */

/* No C0, DEL or C1 character in @msg, and valid UTF-8. */
static void assert_printable(const char *msg)
{
    const unsigned char *s = (const unsigned char *)msg;
    for (; *s; s++) {
        ck_assert_msg(*s >= 0x20 && *s != 0x7f, "control 0x%02x in: %s", *s, msg);
        ck_assert_msg(!(s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f),
                      "C1 U+%04X in: %s", s[1], msg);
    }
    ck_assert(pl_utf8_valid(msg, strlen(msg)));
}

#define HOSTILE "\x1b[31mred\x1b]0;title\x07\x01\t\n\r\x7f\xc2\x9b" "2J\xc2\x85"

static void assert_escaped(const char *msg)
{
    assert_printable(msg);
    ck_assert_msg(strstr(msg, "\\x1b[31mred\\x1b]0;title\\x07\\x01\\x09\\x0a\\x0d\\x7f\\x9b"
                              "2J\\x85"), "not escaped: %s", msg);
}

START_TEST(test_messages_escape_controls)
{
    pledger_registry *reg = NULL;
    pledger_application *app = NULL;
    pledger_pledge *p = NULL;
    const char *v = NULL;
    char out[256];

    PL_OK(NULL, pledger_open(&reg, ":memory:", NULL));
    /* an identifier */
    PL_FAILS(NULL, PLEDGER_EINVAL,
             pledger_id_normalize(out, sizeof out, PLEDGER_ID_USCC, "9135" HOSTILE));
    assert_printable(pledger_errmsg(NULL)); /* folded and upper-cased */
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "9135\\x1b[31MRED\\x1b]0;TITLE\\x07"));
    /* a UUID and a registration number */
    PL_OK(reg, pledger_set_actor(reg, "clerk-1", PLEDGER_ROLE_CLERK));
    /* (refused before they are looked for: no text holds a control) */
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_application_load(&app, reg, HOSTILE));
    assert_printable(pledger_errmsg(reg));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "uuid holds U+001B at character 1"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_get(&p, reg, "R-" HOSTILE));
    assert_printable(pledger_errmsg(reg));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "number holds U+001B at character 3"));
    /* a field path */
    PL_OK(NULL, pledger_application_new(&app, PLEDGER_KIND_TRADEMARK));
    ck_assert_int_lt(pledger_application_get(&v, app, "pledgor/" HOSTILE), 0);
    assert_escaped(pledger_errmsg(NULL));
    pledger_application_free(app);
    pledger_close(reg);
    /* a path */
    char *path = pl_test_path(dir, HOSTILE "/reg.db");
    PL_FAILS(NULL, PLEDGER_ENOTFOUND, pledger_open(&reg, path, NULL));
    assert_escaped(pledger_errmsg(NULL));
    free(path);

    /* escaping never overflows the message nor cuts a character */
    char long_text[3000];
    for (size_t i = 0; i + 3 < sizeof long_text; i += 3)
        memcpy(long_text + i, i % 2 ? "\x1b" "\xe4\xb8" : "\xad\xc2\x9b", 3);
    memcpy(long_text + sizeof long_text - 4, "end", 4);
    pl_err e;
    pl_err_set(&e, PLEDGER_EINVAL, "x '%s'", long_text);
    ck_assert_uint_lt(strlen(e.msg), PL_ERRMSG_MAX);
    assert_printable(e.msg);
    pl_err_prefix(&e, "prefix \x1b");
    ck_assert(strncmp(e.msg, "prefix \\x1b: x '", 16) == 0);
    assert_printable(e.msg);
    /* what is escaped once stays as it is */
    pl_err_set(&e, PLEDGER_EINVAL, "a\\x1bb");
    ck_assert_str_eq(e.msg, "a\\x1bb");
    pl_err_set(&e, PLEDGER_EINVAL, "two lines\n");
    ck_assert_str_eq(e.msg, "two lines");

    /* review findings quote the document's text: of any length */
    pl_findings f = { 0 };
    ck_assert_int_eq(pl_findings_add(&f, "X", 1, "pledgor/name", "b", "name '%s' %s", HOSTILE,
                                     long_text), 0);
    ck_assert_uint_eq(f.n, 1);
    assert_escaped(f.v[0].message);
    ck_assert_ptr_nonnull(strstr(f.v[0].message, "end"));
    pl_findings_clear(&f);
}
END_TEST

static Suite *registry_suite(void)
{
    Suite *s = suite_create("registry");
    TCase *tc = tcase_create("open");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_create_close_reopen);
    tcase_add_test(tc, test_nested_reads);
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
    tcase_add_test(tc, test_second_handle_keeps_the_first_ones_locks);
    tcase_add_test(tc, test_read_only);
    tcase_add_test(tc, test_clock);
    tcase_add_test(tc, test_open_paths);
    tcase_add_test(tc, test_open_permissions);
    tcase_add_test(tc, test_damaged_files);
    tcase_add_test(tc, test_damage_found_later);
    tcase_add_test(tc, test_messages_escape_controls);
    tcase_add_test(tc, test_moved_registry_refuses_writes);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(registry_suite)
