/* Shared helpers of the Check suites. */
#ifndef PL_TESTUTIL_H
#define PL_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pledger/pledger.h>

/* Assert that a call returning a pledger code succeeded; on failure the
 * message says which call and what the library said. */
#define PL_OK(reg, expr)                                                       \
    do {                                                                       \
        int pl_rc_ = (expr);                                                   \
        ck_assert_msg(pl_rc_ == 0, "%s -> %d (%s): %s", #expr, pl_rc_,         \
                      pledger_strerror(pl_rc_), pledger_errmsg(reg));          \
    } while (0)

/* Assert that a call failed with exactly @code. */
#define PL_FAILS(reg, code, expr)                                              \
    do {                                                                       \
        int pl_rc_ = (expr);                                                   \
        ck_assert_msg(pl_rc_ == (code), "%s -> %d (%s), expected %d (%s): %s", \
                      #expr, pl_rc_, pledger_strerror(pl_rc_), (code),         \
                      pledger_strerror(code), pledger_errmsg(reg));            \
    } while (0)

/* A fresh directory for one test, removed by pl_test_rmdir(). */
static inline char *pl_test_mkdir(void)
{
    const char *base = getenv("TMPDIR");
    char *tmpl = NULL;
    if (!base || !*base)
        base = "/tmp";
    ck_assert(asprintf(&tmpl, "%s/pledger-test-XXXXXX", base) > 0);
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    return tmpl;
}

/* Path of @name inside @dir; caller frees. */
static inline char *pl_test_path(const char *dir, const char *name)
{
    char *p = NULL;
    ck_assert(asprintf(&p, "%s/%s", dir, name) > 0);
    return p;
}

static inline void pl_test_rmdir(char *dir)
{
    char *cmd = NULL;
    ck_assert(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    free(dir);
}

/* Read a whole file; *len gets its size.  Caller frees. */
static inline char *pl_test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    ck_assert(n >= 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

static inline void pl_test_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot create %s", path);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

/* main() for a suite file: runs the suite built by @make, exits non-zero
 * on any failure. */
#define PL_TEST_MAIN(make)                                                     \
    int main(void)                                                             \
    {                                                                          \
        SRunner *sr = srunner_create(make());                                  \
        srunner_run_all(sr, CK_NORMAL);                                        \
        int failed = srunner_ntests_failed(sr);                                \
        srunner_free(sr);                                                      \
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;                           \
    }

#endif
