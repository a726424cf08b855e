/* Shared fixture of the suites that drive a registry (test-workflow,
 * test-query, test-review, test-crash, test-concurrency, test-hostile,
 * test-tamper, test-api-sweep): the sample documents of tests/data, a
 * fixed clock, the workflow steps up to registration, raw looks at the
 * database file (dump, integrity, single values), and the reports of
 * child processes to their parent.
 *
 * The fx_ helpers do not assert: each returns a pledger code (or NULL),
 * so they also serve in child processes forked outside Check's control,
 * where a failed ck_assert would have nowhere to go.  The Check suites
 * wrap them in PL_OK(), or use the fx_ck_ forms at the end, which assert
 * (in the suite's own process only). */
#ifndef PL_TEST_FIXTURE_H
#define PL_TEST_FIXTURE_H

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "store/sqlite.h"

#include <pledger/pledger.h>

#define FX_DAY_US INT64_C(86400000000)
/* 2024-04-01T02:00:00Z, a Monday (10:00 in Beijing). */
#define FX_T0 INT64_C(1711936800000000)

static const char *const fx_kinds[] = {
    NULL, "trademark", "patent", "receivable", "equity", "emission", "sea_area", "land",
};

/* The fixed clock: every handle given fx_clock reads fx_now_us. */
static int64_t fx_now_us = FX_T0;

static inline int64_t fx_clock(void *payload)
{
    (void)payload;
    return fx_now_us;
}

/* The whole of a file, NUL-terminated; *len its size.  NULL on failure. */
static inline char *fx_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) != NULL) {
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        } else {
            buf[n] = '\0';
            if (len)
                *len = (size_t)n;
        }
    }
    fclose(f);
    return buf;
}

/* The text of tests/data/app-<kind>.xml (caller frees), or NULL. */
static inline char *fx_sample_xml(int kind, size_t *len)
{
    char file[4096];
    if (kind < 1 || kind > 7)
        return NULL;
    snprintf(file, sizeof file, "%s/app-%s.xml", PLEDGER_TEST_DATADIR, fx_kinds[kind]);
    return fx_slurp(file, len);
}

/* The sample application of @kind, parsed; NULL on failure. */
static inline pledger_application *fx_sample(int kind)
{
    size_t len = 0;
    char *xml = fx_sample_xml(kind, &len);
    pledger_application *app = NULL;
    if (xml && pledger_application_from_xml(&app, xml, len) != 0)
        app = NULL;
    free(xml);
    return app;
}

/* Open (creating) the registry at @path for office @office with the
 * fixed clock. */
static inline int fx_open(pledger_registry **out, const char *path, const char *office,
                          int read_only, int busy_ms)
{
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    int rc;
    o.office_code = office;
    o.read_only = read_only;
    if (busy_ms >= 0)
        o.busy_timeout_ms = busy_ms;
    if ((rc = pledger_open(out, path, &o)))
        return rc;
    return pledger_set_clock(*out, fx_clock, NULL);
}

/* Apply (path, value) pairs to @app, up to a NULL path; a NULL value
 * removes the node.  NULL @edits: nothing to do. */
static inline int fx_edit(pledger_application *app, const char *const *edits)
{
    int rc = 0;
    for (size_t i = 0; !rc && edits && edits[i]; i += 2)
        rc = pledger_application_set(app, edits[i], edits[i + 1]);
    return rc;
}

/* Save, review and submit @app (which keeps its handle, now with a UUID).
 * Acts as "applicant-1".  The review must be clean (nothing blocking or
 * correctable), else PLEDGER_EREVIEW from the submission. */
static inline int fx_submit_app(pledger_registry *reg, pledger_application *app)
{
    int rc;
    if ((rc = pledger_set_actor(reg, "applicant-1", PLEDGER_ROLE_APPLICANT)) ||
        (rc = pledger_application_save(reg, app)) ||
        (rc = pledger_application_review(NULL, reg, pledger_application_uuid(app))))
        return rc;
    return pledger_application_submit(reg, pledger_application_uuid(app));
}

/* A submitted sample of @kind; *uuid (caller frees) its UUID. */
static inline int fx_submitted(pledger_registry *reg, int kind, char **uuid)
{
    pledger_application *app = fx_sample(kind);
    int rc;
    *uuid = NULL;
    if (!app)
        return PLEDGER_EIO;
    rc = fx_submit_app(reg, app);
    if (pledger_application_uuid(app))
        *uuid = strdup(pledger_application_uuid(app));
    pledger_application_free(app);
    return rc;
}

/* Accept the submitted application @uuid as clerk "clerk-1";
 * *acceptance (may be NULL) its acceptance number, NULL on failure. */
static inline int fx_accept(pledger_registry *reg, const char *uuid, char **acceptance)
{
    int rc;
    if (acceptance)
        *acceptance = NULL;
    if ((rc = pledger_set_actor(reg, "clerk-1", PLEDGER_ROLE_CLERK)))
        return rc;
    return pledger_application_accept(acceptance, reg, uuid);
}

/* Register the accepted application @uuid as "registrar-1": *number its
 * registration number, *modcode (may be NULL unless a receivable) its
 * modification code. */
static inline int fx_register(pledger_registry *reg, const char *uuid, char **number,
                              char **modcode)
{
    char *code = NULL;
    int rc;
    *number = NULL;
    if (!(rc = pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR)))
        rc = pledger_application_register(number, &code, reg, uuid);
    if (modcode)
        *modcode = code;
    else
        pledger_free(code);
    return rc;
}

/* An accepted sample (fx_submitted, fx_accept). */
static inline int fx_accepted(pledger_registry *reg, int kind, char **uuid, char **acceptance)
{
    int rc = fx_submitted(reg, kind, uuid);
    if (rc && acceptance)
        *acceptance = NULL;
    return rc ? rc : fx_accept(reg, *uuid, acceptance);
}

/* A registered sample (fx_accepted, fx_register). */
static inline int fx_registered(pledger_registry *reg, int kind, char **number, char **modcode)
{
    char *uuid = NULL;
    int rc = fx_accepted(reg, kind, &uuid, NULL);
    *number = NULL;
    if (modcode)
        *modcode = NULL;
    if (!rc)
        rc = fx_register(reg, uuid, number, modcode);
    free(uuid);
    return rc;
}

/* ---- raw looks at the file ----------------------------------------------- */

/* Every row of every table (or of the tables named in @only, separated by
 * spaces), in a fixed order: "nothing changed" means equal dumps.  NULL
 * when the file cannot be read. */
static inline char *fx_dump(const char *path, const char *only)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *tables = NULL, *rows = NULL;
    char *out = NULL;
    size_t len = 0;
    FILE *f;

    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h, "SELECT name FROM sqlite_master WHERE type = 'table'"
                              " AND name NOT LIKE 'sqlite_%' ORDER BY name",
                           -1, &tables, NULL) != SQLITE_OK) {
        sqlite3_close(h);
        return NULL;
    }
    f = open_memstream(&out, &len);
    while (f && sqlite3_step(tables) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(tables, 0);
        char sql[512];
        if (only) {
            const char *p = strstr(only, t);
            size_t n = strlen(t);
            if (!p || (p > only && p[-1] != ' ') || (p[n] && p[n] != ' '))
                continue;
        }
        int ncol, w;
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", t);
        if (sqlite3_prepare_v2(h, sql, -1, &rows, NULL) != SQLITE_OK) {
            fprintf(f, "## %s: unreadable\n", t);
            continue;
        }
        ncol = sqlite3_column_count(rows);
        sqlite3_finalize(rows);
        /* ordered by every column: the same rows give the same text */
        w = snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1", t);
        for (int c = 2; c <= ncol && w > 0 && (size_t)w < sizeof sql - 8; c++)
            w += snprintf(sql + w, sizeof sql - (size_t)w, ",%d", c);
        if (sqlite3_prepare_v2(h, sql, -1, &rows, NULL) != SQLITE_OK) {
            fprintf(f, "## %s: unreadable\n", t);
            continue;
        }
        fprintf(f, "## %s\n", t);
        while (sqlite3_step(rows) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(rows); i++) {
                if (sqlite3_column_type(rows, i) == SQLITE_BLOB) {
                    const unsigned char *b = sqlite3_column_blob(rows, i);
                    for (int k = 0; k < sqlite3_column_bytes(rows, i); k++)
                        fprintf(f, "%02x", b[k]);
                } else {
                    const unsigned char *v = sqlite3_column_text(rows, i);
                    fputs(v ? (const char *)v : "NULL", f);
                }
                fputc('|', f);
            }
            fputc('\n', f);
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    sqlite3_close(h);
    if (f)
        fclose(f);
    return out;
}

/* One integer a query on the file returns; PLEDGER_EIO when it fails. */
static inline int fx_raw_int(const char *path, const char *sql, int64_t *out)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    int rc = PLEDGER_EIO;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = 0;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return rc;
}

/* Run SQL on the file with a plain read-write connection (tampering);
 * the SQLite error text goes to *msg (caller frees with sqlite3_free). */
static inline int fx_raw_exec(const char *path, const char *sql, char **msg)
{
    sqlite3 *h = NULL;
    int rc;
    if (msg)
        *msg = NULL;
    if (sqlite3_open(path, &h) != SQLITE_OK) {
        sqlite3_close(h);
        return SQLITE_CANTOPEN;
    }
    sqlite3_busy_timeout(h, 10000);
    rc = sqlite3_exec(h, sql, NULL, NULL, msg);
    sqlite3_close(h);
    return rc;
}

/* PRAGMA integrity_check of the file: 0 when it answers exactly "ok",
 * else PLEDGER_ECORRUPT with its first answer in @why. */
static inline int fx_integrity(const char *path, char *why, size_t why_size)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    int rc = PLEDGER_ECORRUPT;
    snprintf(why, why_size, "cannot run integrity_check");
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        snprintf(why, why_size, "%s", r ? r : "(null)");
        if (r && strcmp(r, "ok") == 0 && sqlite3_step(st) == SQLITE_DONE)
            rc = 0;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return rc;
}

/* The journal of the file verifies: *bad the first bad event (0 intact),
 * as an auditor on a fresh read-only handle. */
static inline int fx_journal_verify(const char *path, int64_t *bad, int64_t *count,
                                    char *why, size_t why_size)
{
    pledger_registry *r = NULL;
    int rc = fx_open(&r, path, NULL, 1, 10000);
    snprintf(why, why_size, "%s", rc ? pledger_errmsg(NULL) : "");
    if (!rc && !(rc = pledger_set_actor(r, "auditor-1", PLEDGER_ROLE_AUDITOR)))
        rc = pledger_journal_verify(bad, count, r);
    if (r)
        snprintf(why, why_size, "%s", pledger_errmsg(r));
    pledger_close(r);
    return rc;
}

/* ---- child processes: reports to the parent ------------------------------- */

/* The write end of the child's pipe to its parent. */
static int fx_out_fd = -1;

/* One line to the parent.  Lines stay under PIPE_BUF, so each write() is
 * atomic and a kill never leaves half a line. */
static void fx_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void fx_say(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        _exit(4);
    if ((size_t)n > sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    if (write(fx_out_fd, line, (size_t)n) != n)
        _exit(5);
}

/* An unexpected failure: tell the parent ("X ...") and end the child. */
static inline void fx_fatal(pledger_registry *reg, const char *what, int rc)
{
    fx_say("X %s -> %d (%s): %s", what, rc, pledger_strerror(rc), pledger_errmsg(reg));
    _exit(3);
}

/* Act as @name in @role, or fx_fatal(). */
static inline void fx_act(pledger_registry *reg, const char *name, pledger_role role)
{
    int rc = pledger_set_actor(reg, name, role);
    if (rc)
        fx_fatal(reg, "pledger_set_actor", rc);
}

/* ---- the asserting forms, for the Check suites' own process ---------------- */

/* The one-registry fixture: a fresh directory *dir, *path its "reg.db",
 * opened as *reg for office FZ01 on the fixed clock, set back to FX_T0. */
static inline void fx_ck_setup(char **dir, char **path, pledger_registry **reg)
{
    *dir = pl_test_mkdir();
    *path = pl_test_path(*dir, "reg.db");
    fx_now_us = FX_T0;
    PL_OK(NULL, fx_open(reg, *path, "FZ01", 0, -1));
}

/* Undo fx_ck_setup(): close, remove the directory, free both names. */
static inline void fx_ck_teardown(char *dir, char *path, pledger_registry *reg)
{
    pledger_close(reg);
    free(path);
    pl_test_rmdir(dir);
}

/* The sample application of @kind, parsed (the test fails if it cannot
 * be read or parsed). */
static inline pledger_application *fx_ck_sample(int kind)
{
    size_t len = 0;
    char *xml = fx_sample_xml(kind, &len);
    pledger_application *app = NULL;
    ck_assert_msg(xml != NULL, "cannot read the sample of kind %d", kind);
    PL_OK(NULL, pledger_application_from_xml(&app, xml, len));
    free(xml);
    return app;
}

/* fx_dump() of the file, which must be readable, every table of it. */
static inline char *fx_ck_dump(const char *path, const char *only)
{
    char *d = fx_dump(path, only);
    ck_assert_msg(d != NULL, "cannot read %s", path);
    ck_assert_msg(!strstr(d, ": unreadable\n"), "a table of %s cannot be read:\n%s", path, d);
    return d;
}

/* The one integer @sql returns on the file. */
static inline int64_t fx_ck_raw_int(const char *path, const char *sql)
{
    int64_t v = -1;
    ck_assert_msg(fx_raw_int(path, sql, &v) == 0, "cannot run %s", sql);
    return v;
}

/* Run @sql on the file (tampering); it must succeed. */
static inline void fx_ck_raw_exec(const char *path, const char *sql)
{
    char *msg = NULL;
    int rc = fx_raw_exec(path, sql, &msg);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
    sqlite3_free(msg);
}

/* Key pair @k (taken: freed here) as PEM files <stem>.key and <stem>.pub
 * in @dir; *@priv and *@pub are their paths (free them). */
static inline void fx_ck_write_key(const char *dir, EVP_PKEY *k, const char *stem, char **priv,
                                   char **pub)
{
    char name[64];
    FILE *f;

    ck_assert_ptr_nonnull(k);
    snprintf(name, sizeof name, "%s.key", stem);
    *priv = pl_test_path(dir, name);
    snprintf(name, sizeof name, "%s.pub", stem);
    *pub = pl_test_path(dir, name);
    ck_assert_ptr_nonnull(f = fopen(*priv, "w"));
    ck_assert_int_eq(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL), 1);
    fclose(f);
    ck_assert_ptr_nonnull(f = fopen(*pub, "w"));
    ck_assert_int_eq(PEM_write_PUBKEY(f, k), 1);
    fclose(f);
    EVP_PKEY_free(k);
}

#endif
