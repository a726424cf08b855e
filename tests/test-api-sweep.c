/* The API sweep: every function exported in lib/libpledger.map is called
 * with NULL pointers, empty strings, 1 MB strings, invalid UTF-8, negative
 * and overflowing numbers, out-of-range enumerations and versions, on a
 * read-write and a read-only registry.  A fallible call must return a
 * pledger error code (one pledger_strerror() knows) with a message that is
 * valid UTF-8 and at most 1 KiB long (never the 1 MB argument echoed); a
 * getter must return its documented "nothing" (NULL, 0); nothing may
 * crash (each function runs in its own forked test).
 *
 * The table at the end has one entry per exported function.  The coverage
 * test reads lib/libpledger.map at run time (PLEDGER_SOURCE_ROOT, set by
 * tests/meson.build) and fails for a mapped function without an entry, and
 * for an entry the map no longer lists. */
#include <limits.h>

/* The sweep calls every exported function, the deprecated getters
 * (query.h, PLEDGER_DEPRECATED) among them, on purpose. */
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif

#include "testutil.h"
#include "fixture.h"

#include "base/error.h"
#include "base/text.h"

#define MB ((size_t)1024 * 1024)

static char *dir, *template_path, *path;
static char *big;         /* 1 MB of 'A' */
static char *big_utf8;    /* 1 MB of valid UTF-8 CJK text */
static const char bad_utf8[] = "\xff\xfe\xc3\x28 \xed\xa0\x80";
static const char *bad_str[4]; /* NULL, "", 1 MB, invalid UTF-8 */

static pledger_registry *R;  /* read-write, actor registrar-1 */
static pledger_registry *RO; /* read-only, actor registrar-1 */
static char tm_num[64], ar_num[64], acc_uuid[40], ar_code[32];
static pledger_application *APP;   /* the trademark sample, not stored */
/* Objects for the getters, made on first use (setup stays cheap, which
 * counts under valgrind). */
static pledger_pledge *P_;
static pledger_verification *V_;
static pledger_cursor *C_;
static pledger_due *D_;
static pledger_stats *S_;
static pledger_import_report *REP_;
static pledger_review *RV_;
static pledger_certificate *CE_;

/* ---- the template registry ----------------------------------------------------------------- */

static void build_template(void)
{
    pledger_registry *reg = NULL;
    char *num = NULL, *code = NULL, *uuid = NULL;

    dir = pl_test_mkdir();
    template_path = pl_test_path(dir, "template.db");
    PL_OK(NULL, fx_open(&reg, template_path, "FZ01", 0, -1));
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &num, NULL));
    snprintf(tm_num, sizeof tm_num, "%s", num);
    pledger_free(num);
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_RECEIVABLE, &num, &code));
    snprintf(ar_num, sizeof ar_num, "%s", num);
    snprintf(ar_code, sizeof ar_code, "%s", code);
    pledger_free(num);
    pledger_free(code);
    PL_OK(reg, pledger_set_actor(reg, "applicant-1", PLEDGER_ROLE_APPLICANT));
    PL_OK(reg, pledger_pledge_object(reg, ar_num, "a creditor", NULL));
    PL_OK(reg, fx_accepted(reg, PLEDGER_KIND_RECEIVABLE, &uuid, NULL));
    snprintf(acc_uuid, sizeof acc_uuid, "%s", uuid);
    free(uuid);
    pledger_close(reg);

    big = malloc(MB + 1);
    memset(big, 'A', MB);
    big[MB] = '\0';
    big_utf8 = malloc(MB + 1);
    for (size_t i = 0; i + 3 <= MB; i += 3)
        memcpy(big_utf8 + i, "质", 3);
    big_utf8[MB - MB % 3] = '\0';
    bad_str[0] = NULL;
    bad_str[1] = "";
    bad_str[2] = big;
    bad_str[3] = bad_utf8;
}

static void drop_template(void)
{
    free(big);
    free(big_utf8);
    free(template_path);
    pl_test_rmdir(dir);
}

static int n_copy;

static void setup(void)
{
    char name[32];
    size_t len = 0;
    snprintf(name, sizeof name, "copy-%d.db", n_copy++);
    path = pl_test_path(dir, name);
    char *data = pl_test_slurp(template_path, &len);
    pl_test_write(path, data, len);
    free(data);
    fx_now_us = FX_T0 + 10 * FX_DAY_US;
    PL_OK(NULL, fx_open(&R, path, NULL, 0, 1000));
    PL_OK(NULL, fx_open(&RO, path, NULL, 1, 1000));
    PL_OK(R, pledger_set_actor(R, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_OK(RO, pledger_set_actor(RO, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    APP = fx_sample(PLEDGER_KIND_TRADEMARK);
    ck_assert_ptr_nonnull(APP);
}

static pledger_pledge *need_pledge(void)
{
    if (!P_)
        PL_OK(R, pledger_pledge_get(&P_, R, tm_num));
    return P_;
}

static pledger_verification *need_verification(void)
{
    if (!V_)
        PL_OK(R, pledger_verify(&V_, R, tm_num, NULL));
    return V_;
}

static pledger_cursor *need_cursor(void)
{
    pledger_query q = PLEDGER_QUERY_INIT;
    if (!C_)
        PL_OK(R, pledger_search(&C_, R, &q));
    return C_;
}

static pledger_due *need_due(void)
{
    if (!D_)
        PL_OK(R, pledger_due_get(&D_, R, NULL));
    return D_;
}

static pledger_stats *need_stats(void)
{
    pledger_stats_query sq = PLEDGER_STATS_QUERY_INIT;
    sq.from = "2024-01-01";
    sq.to = "2024-12-31";
    if (!S_)
        PL_OK(R, pledger_stats_get(&S_, R, &sq));
    return S_;
}

/* A report with rejections: the bad register, imported into this copy. */
static pledger_import_report *need_report(void)
{
    size_t len = 0;
    if (!REP_) {
        char *xml = pl_test_slurp(PLEDGER_TEST_DATADIR "/register-bad.xml", &len);
        PL_OK(R, pledger_register_import_memory(&REP_, R, xml, len, NULL));
        free(xml);
    }
    return REP_;
}

static pledger_review *need_review(void)
{
    if (!RV_)
        PL_OK(R, pledger_application_check(&RV_, R, APP));
    return RV_;
}

static pledger_certificate *need_certificate(void)
{
    if (!CE_)
        PL_OK(R, pledger_certificate_load(&CE_, R, tm_num, 0));
    return CE_;
}

#define P need_pledge()
#define CE need_certificate()
#define V need_verification()
#define C need_cursor()
#define D need_due()
#define S need_stats()
#define REP need_report()
#define RV need_review()

static void teardown(void)
{
    pledger_certificate_free(CE_);
    CE_ = NULL;
    pledger_review_free(RV_);
    pledger_import_report_free(REP_);
    pledger_stats_free(S_);
    pledger_due_free(D_);
    pledger_cursor_free(C_);
    pledger_verification_free(V_);
    pledger_pledge_free(P_);
    pledger_application_free(APP);
    pledger_close(RO);
    pledger_close(R);
    RV_ = NULL;
    REP_ = NULL;
    S_ = NULL;
    D_ = NULL;
    C_ = NULL;
    V_ = NULL;
    P_ = NULL;
    APP = NULL;
    RO = R = NULL;
    unlink(path);
    free(path);
}

/* ---- what a refusal must look like --------------------------------------------------------- */

/* @rc is a pledger error code with a message on @r (the calling thread's
 * when @r is NULL): known to pledger_strerror(), valid UTF-8, short. */
static void refused(const char *what, int line, pledger_registry *r, int rc)
{
    ck_assert_msg(rc < 0, "line %d: %s -> %d: should have failed", line, what, rc);
    ck_assert_msg(strcmp(pledger_strerror(rc), pledger_strerror(INT_MIN)) != 0,
                  "line %d: %s -> %d: not a pledger code", line, what, rc);
    const char *m = pledger_errmsg(r);
    ck_assert_msg(m && *m, "line %d: %s -> %d (%s) without a message", line, what, rc,
                  pledger_strerror(rc));
    ck_assert_msg(strlen(m) < PL_ERRMSG_MAX, "line %d: %s: a message of %zu bytes", line,
                  what, strlen(m));
    ck_assert_msg(pl_utf8_valid(m, strlen(m)), "line %d: %s: the message is not UTF-8: %s",
                  line, what, m);
    ck_assert_msg(pledger_errcode(r) == rc, "line %d: %s -> %d but errcode says %d", line,
                  what, rc, pledger_errcode(r));
}

/* Either way is fine, but a failure must look like one. */
static void either(const char *what, int line, pledger_registry *r, int rc)
{
    if (rc < 0)
        refused(what, line, r, rc);
}

#define ERR(r, expr) refused(#expr, __LINE__, (r), (expr))
#define ANY(r, expr) either(#expr, __LINE__, (r), (expr))
#define NIL(expr) ck_assert_msg((expr) == 0, "line %d: %s is not NULL/0", __LINE__, #expr)
#define EACH_BAD(s) for (int k_ = 0; k_ < 4 && ((s) = bad_str[k_], 1); k_++)

static void as(pledger_registry *r, pledger_role role)
{
    PL_OK(r, pledger_set_actor(r, "sweeper", role));
}

/* ---- registry.h ---------------------------------------------------------------------------- */

static void sweep_pledger_open(void)
{
    pledger_registry *r = (pledger_registry *)&r;
    const char *s;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    ERR(NULL, pledger_open(NULL, path, NULL));
    o.create = 0;
    EACH_BAD(s) {
        r = (pledger_registry *)&r;
        ERR(NULL, pledger_open(&r, s, &o));
        ck_assert_ptr_null(r);
    }
    for (unsigned v = 0; v < 3; v += 2) {
        o = (pledger_open_options)PLEDGER_OPEN_OPTIONS_INIT;
        o.version = v == 0 ? 0 : 99;
        ERR(NULL, pledger_open(&r, path, &o));
    }
    o = (pledger_open_options)PLEDGER_OPEN_OPTIONS_INIT;
    o.busy_timeout_ms = -1;
    ERR(NULL, pledger_open(&r, path, &o));
    o.busy_timeout_ms = INT_MIN;
    ERR(NULL, pledger_open(&r, path, &o));
    o = (pledger_open_options)PLEDGER_OPEN_OPTIONS_INIT;
    static const char *const offices[] = { "", "fz01", "A B", "12345678901234567", "é" };
    for (size_t i = 0; i < sizeof offices / sizeof offices[0]; i++) {
        o.office_code = offices[i];
        ERR(NULL, pledger_open(&r, path, &o));
    }
    o.office_code = big;
    ERR(NULL, pledger_open(&r, path, &o));
    o.office_code = bad_utf8;
    ERR(NULL, pledger_open(&r, path, &o));
    /* not a registry; a directory; read-only and missing */
    o = (pledger_open_options)PLEDGER_OPEN_OPTIONS_INIT;
    ERR(NULL, pledger_open(&r, PLEDGER_TEST_DATADIR "/app-land.xml", &o));
    ERR(NULL, pledger_open(&r, dir, &o));
    o.read_only = 1;
    char *missing = pl_test_path(dir, "missing.db");
    ERR(NULL, pledger_open(&r, missing, &o));
    free(missing);
    ck_assert_ptr_null(r);
}

static void sweep_pledger_close(void)
{
    pledger_close(NULL);
}

static void sweep_pledger_errmsg(void)
{
    ck_assert_ptr_nonnull(pledger_errmsg(NULL));
    ck_assert_ptr_nonnull(pledger_errmsg(R));
}

static void sweep_pledger_errcode(void)
{
    pledger_pledge *p = NULL;
    (void)pledger_errcode(NULL);
    ERR(NULL, pledger_set_clock(NULL, NULL, NULL)); /* errcode(NULL) is checked in there */
    ERR(R, pledger_pledge_get(&p, R, "R-NONE"));
    PL_OK(R, pledger_pledge_get(&p, R, tm_num));
    ck_assert_int_eq(pledger_errcode(R), 0);
    ck_assert_str_eq(pledger_errmsg(R), "");
    pledger_pledge_free(p);
}

static void sweep_pledger_set_clock(void)
{
    ERR(NULL, pledger_set_clock(NULL, fx_clock, NULL));
    PL_OK(R, pledger_set_clock(R, NULL, NULL)); /* back to the system clock */
    ck_assert(pledger_now(R) > FX_T0);
    PL_OK(R, pledger_set_clock(R, fx_clock, NULL));
}

static void sweep_pledger_now(void)
{
    ck_assert(pledger_now(NULL) > FX_T0);
    ck_assert(pledger_now(R) == fx_now_us);
}

static void sweep_pledger_office_code(void)
{
    NIL(pledger_office_code(NULL));
    ck_assert_str_eq(pledger_office_code(R), "FZ01");
}

static void sweep_pledger_set_actor(void)
{
    const char *s;
    ERR(NULL, pledger_set_actor(NULL, "x", PLEDGER_ROLE_BANK));
    EACH_BAD(s)
        ERR(R, pledger_set_actor(R, s, PLEDGER_ROLE_BANK));
    ERR(R, pledger_set_actor(R, "a\nb", PLEDGER_ROLE_BANK));
    ERR(R, pledger_set_actor(R, "a\xc2\x85" "b", PLEDGER_ROLE_BANK));   /* C1: NEL */
    static const int roles[] = { -1, 0, 6, INT_MAX, INT_MIN };
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        ERR(R, pledger_set_actor(R, "x", (pledger_role)roles[i]));
    ck_assert_str_eq(pledger_actor(R), "registrar-1"); /* unchanged */
}

static void sweep_pledger_may(void)
{
    const char *s;
    ERR(NULL, pledger_may(NULL, "pledger_application_save"));
    ERR(R, pledger_may(R, NULL));
    EACH_BAD(s)
        ERR(R, pledger_may(R, s));
    ERR(R, pledger_may(R, bad_utf8));
    ERR(RO, pledger_may(RO, "pledger_application_submit"));   /* a registrar's */
    PL_OK(R, pledger_set_actor(R, "registrar-1", PLEDGER_ROLE_BANK));
    ERR(R, pledger_may(R, "pledger_application_save"));
    PL_OK(R, pledger_set_actor(R, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    ANY(R, pledger_may(R, "pledger_application_register"));
}

static void sweep_pledger_actor(void)
{
    NIL(pledger_actor(NULL));
}

static void sweep_pledger_set_number_template(void)
{
    const char *s;
    ERR(NULL, pledger_set_number_template(NULL, "{series}{year}{seq:6}"));
    EACH_BAD(s)
        ERR(R, pledger_set_number_template(R, s));
    static const char *const bad[] = { "{series}-{year}", "{series}{year}{seq:0}",
                                       "{series}{year}{seq:13}", "{series}{year}{seq:-1}",
                                       "{series}{year}{seq:99999999999}", "{bogus}{seq:6}",
                                       "{series}{year}{seq:6", "{series}{year}{seq:6}\n" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ERR(R, pledger_set_number_template(R, bad[i]));
    ERR(RO, pledger_set_number_template(RO, "{series}{year}{seq:6}"));
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_set_number_template(R, "{series}{year}{seq:6}"));
}

static void sweep_pledger_time_zone(void)
{
    NIL(pledger_time_zone(NULL));
    ck_assert_str_eq(pledger_time_zone(R), "Asia/Shanghai");
}

static void sweep_pledger_set_time_zone(void)
{
    const char *s;
    ERR(NULL, pledger_set_time_zone(NULL, "UTC"));
    EACH_BAD(s)
        ERR(R, pledger_set_time_zone(R, s));
    static const char *const bad[] = { "Asia/Shangai", "/etc/passwd", "Asia//Shanghai",
                                       "../../etc/passwd", "Asia/Shanghai\n", "Asia/",
                                       "Asia Shanghai", "Asia" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ERR(R, pledger_set_time_zone(R, bad[i]));
    ck_assert_str_eq(pledger_time_zone(R), "Asia/Shanghai"); /* unchanged */
    ERR(RO, pledger_set_time_zone(RO, "UTC"));
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_set_time_zone(R, "UTC"));
}

static void sweep_pledger_set_language(void)
{
    static const char *const bad[] = { "zh CN", "../x", ":", "zh_CN;", "\x1b[0m" };
    ERR(NULL, pledger_set_language(big));
    ERR(NULL, pledger_set_language(bad_utf8));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ERR(NULL, pledger_set_language(bad[i]));
    ck_assert_int_eq(pledger_set_language(NULL), 0);
    ck_assert_int_eq(pledger_set_language(""), 0);
}

static void sweep_pledger_set_thread_language(void)
{
    static const char *const bad[] = { "zh CN", "../x", ":", "zh_CN:en", "zh_CN;", "\x1b[0m",
                                       "z", "zh_CN_CN" };
    ERR(NULL, pledger_set_thread_language(big));
    ERR(NULL, pledger_set_thread_language(bad_utf8));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ERR(NULL, pledger_set_thread_language(bad[i]));
    ERR(NULL, pledger_set_thread_language("xx-YY")); /* no catalogue */
    ck_assert_int_eq(pledger_set_thread_language("en"), 0);
    ck_assert_int_eq(pledger_set_thread_language(NULL), 0);
    ck_assert_int_eq(pledger_set_thread_language(""), 0);
}

static void sweep_pledger_translate(void)
{
    NIL(pledger_translate(NULL));
    ck_assert_str_eq(pledger_translate(""), "");
    ck_assert_str_eq(pledger_translate(big), big);
    ck_assert_str_eq(pledger_translate(bad_utf8), bad_utf8);
}

static void sweep_pledger_role_name(void)
{
    static const int v[] = { -1, 0, 6, INT_MAX, INT_MIN };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        NIL(pledger_role_name((pledger_role)v[i]));
}

static void sweep_pledger_role_from_name(void)
{
    const char *s;
    EACH_BAD(s)
        NIL(pledger_role_from_name(s));
    NIL(pledger_role_from_name("BANK"));
}

/* ---- common.h ------------------------------------------------------------------------------ */

static void sweep_pledger_strerror(void)
{
    static const int v[] = { INT_MIN, -1000, -100, 1, 100, INT_MAX };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        ck_assert_ptr_nonnull(pledger_strerror(v[i]));
}

static void sweep_pledger_version(void)
{
    ck_assert_ptr_nonnull(pledger_version());
}

/* ---- ident.h ------------------------------------------------------------------------------- */

static void sweep_pledger_id_normalize(void)
{
    char out[256];
    const char *s;
    ERR(NULL, pledger_id_normalize(NULL, 64, PLEDGER_ID_USCC, "91350100M000100Y43"));
    ERR(NULL, pledger_id_normalize(out, 0, PLEDGER_ID_USCC, "91350100M000100Y43"));
    out[0] = 'x';
    ERR(NULL, pledger_id_normalize(out, 5, PLEDGER_ID_USCC, "91350100M000100Y43"));
    ck_assert_str_eq(out, "");
    static const int types[] = { -1, 0, 10, INT_MAX, INT_MIN };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        ERR(NULL, pledger_id_normalize(out, sizeof out, (pledger_id_type)types[i],
                                       "91350100M000100Y43"));
    for (int t = PLEDGER_ID_USCC; t <= PLEDGER_ID_CERTIFICATE; t++) {
        EACH_BAD(s) {
            out[0] = 'x';
            ERR(NULL, pledger_id_normalize(out, sizeof out, (pledger_id_type)t, s));
            ck_assert_str_eq(out, "");
        }
        ERR(NULL, pledger_id_normalize(out, sizeof out, (pledger_id_type)t, big_utf8));
        ERR(NULL, pledger_id_normalize(out, sizeof out, (pledger_id_type)t, "\t\x01\x7f"));
    }
}

/* ---- common.h: instants ------------------------------------------------------------------- */

static void sweep_pledger_instant_parse(void)
{
    static const char *const bad[] = { "2026-02-30", "2026-1-1", "2026- 1-01", " 2026-01-01",
                                       "2026-01-01T10:00:60Z", "2026-01-01T24:00:00Z",
                                       "2026-01-01T00:00:00", "2026-01-01x", "" };
    int64_t v = 7;
    const char *s;
    ERR(NULL, pledger_instant_parse(NULL, "2026-01-01"));
    ERR(NULL, pledger_instant_parse(&v, NULL));
    ERR(NULL, pledger_instant_parse(&v, big_utf8));
    EACH_BAD(s)
        ERR(NULL, pledger_instant_parse(&v, s));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ERR(NULL, pledger_instant_parse(&v, bad[i]));
    ck_assert_int_eq(v, 7); /* untouched */
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "pledger_instant_parse"));
    ck_assert_int_eq(pledger_instant_parse(&v, "2026-03-01T08:00:00+08:00"), 0);
    ck_assert_int_eq(v, INT64_C(1772323200000000));
    ck_assert_int_eq(pledger_instant_parse(&v, "2026-03-01"), 0);
    ck_assert_int_eq(v, INT64_C(1772323200000000));
    ck_assert_int_eq(pledger_instant_parse(&v, "1970-01-01T00:00:00.000001Z"), 0);
    ck_assert_int_eq(v, 1);
    /* the first and last instants it reads are the published bounds, and
     * the one past either is refused */
    ck_assert_int_eq(pledger_instant_parse(&v, "0000-01-01"), 0);
    ck_assert_int_eq(v, PLEDGER_INSTANT_MIN);
    ck_assert_int_eq(pledger_instant_parse(&v, "9999-12-31T23:59:59.999999Z"), 0);
    ck_assert_int_eq(v, PLEDGER_INSTANT_MAX);
    ERR(NULL, pledger_instant_parse(&v, "0000-01-01T00:00:00+00:01"));
    ERR(NULL, pledger_instant_parse(&v, "9999-12-31T23:59:59-00:01"));
    ck_assert_int_eq(v, PLEDGER_INSTANT_MAX);
    ck_assert(PLEDGER_AS_OF_CURRENT < PLEDGER_INSTANT_MIN);
}

/* The registry's calendar: a bare date is the first instant of its day at
 * the registry's UTC offset (UTC+8 here), an instant with its offset is
 * what pledger_instant_parse() reads, what it refuses is refused. */
static void sweep_pledger_instant_parse_registry(void)
{
    int64_t v = 7;
    const char *s;
    ERR(NULL, pledger_instant_parse_registry(NULL, R, "2026-01-01"));
    ERR(NULL, pledger_instant_parse_registry(&v, NULL, "2026-01-01"));
    ERR(NULL, pledger_instant_parse_registry(&v, R, NULL));
    ERR(NULL, pledger_instant_parse_registry(&v, R, big_utf8));
    EACH_BAD(s)
        ERR(NULL, pledger_instant_parse_registry(&v, R, s));
    ERR(NULL, pledger_instant_parse_registry(&v, R, "2026-02-30"));
    ERR(NULL, pledger_instant_parse_registry(&v, R, "2026-03-01T00:00:00"));
    /* 0000-01-01 begins at 0000-01-01T00:00+08:00, before the first instant */
    ERR(NULL, pledger_instant_parse_registry(&v, R, "0000-01-01"));
    ck_assert_int_eq(v, 7); /* untouched */
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "pledger_instant_parse_registry"));
    ck_assert_int_eq(pledger_instant_parse_registry(&v, R, "2026-03-01"), 0);
    ck_assert_int_eq(v, INT64_C(1772323200000000) - INT64_C(8) * 3600 * 1000000);
    ck_assert_int_eq(pledger_instant_parse_registry(&v, RO, "2026-03-01"), 0);
    ck_assert_int_eq(v, INT64_C(1772323200000000) - INT64_C(8) * 3600 * 1000000);
    ck_assert_int_eq(pledger_instant_parse_registry(&v, R, "2026-03-01T08:00:00+08:00"), 0);
    ck_assert_int_eq(v, INT64_C(1772323200000000));
    ck_assert_int_eq(pledger_instant_parse_registry(&v, R, "9999-12-31"), 0);
    ck_assert_int_eq(v, PLEDGER_INSTANT_MAX + 1 - INT64_C(32) * 3600 * 1000000);
}

/* ---- money.h ------------------------------------------------------------------------------- */

static void sweep_pledger_money_parse(void)
{
    int64_t v = 7;
    const char *s;
    ERR(NULL, pledger_money_parse(NULL, "1", "CNY"));
    ERR(NULL, pledger_money_parse(&v, NULL, "CNY"));
    ERR(NULL, pledger_money_parse(&v, "1", NULL));
    ERR(NULL, pledger_money_parse(&v, big_utf8, "CNY"));
    EACH_BAD(s) {
        ERR(NULL, pledger_money_parse(&v, s, "CNY"));
        ERR(NULL, pledger_money_parse(&v, "1", s));
    }
    ck_assert_int_eq(v, 7);
}

static void sweep_pledger_money_format(void)
{
    char out[PLEDGER_MONEY_TEXT_MAX];
    const char *s;
    ERR(NULL, pledger_money_format(NULL, sizeof out, 1, "CNY"));
    ERR(NULL, pledger_money_format(out, 0, 1, "CNY"));
    out[0] = 'x';
    ERR(NULL, pledger_money_format(out, 3, 100, "CNY"));
    ck_assert_str_eq(out, "");
    ERR(NULL, pledger_money_format(out, sizeof out, 1, NULL));
    EACH_BAD(s) ERR(NULL, pledger_money_format(out, sizeof out, 1, s));
}

static void sweep_pledger_id_type_name(void)
{
    static const int v[] = { -1, 0, 10, INT_MAX, INT_MIN };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        NIL(pledger_id_type_name((pledger_id_type)v[i]));
}

static void sweep_pledger_id_type_from_name(void)
{
    const char *s;
    EACH_BAD(s)
        NIL(pledger_id_type_from_name(s));
}

/* ---- application.h: names and the document ------------------------------------------------- */

static const int bad_enums[] = { -1, 0, 99, INT_MAX, INT_MIN };
#define EACH_ENUM(v) for (size_t e_ = 0; e_ < 5 && ((v) = bad_enums[e_], 1); e_++)

static void sweep_pledger_free(void)
{
    pledger_free(NULL);
}

static void sweep_pledger_kind_name(void)
{
    int v;
    EACH_ENUM(v)
        NIL(pledger_kind_name((pledger_kind)v));
    NIL(pledger_kind_name((pledger_kind)8));
}

static void sweep_pledger_kind_from_name(void)
{
    const char *s;
    EACH_BAD(s)
        NIL(pledger_kind_from_name(s));
    NIL(pledger_kind_from_name("Trademark"));
}

static void sweep_pledger_app_state_name(void)
{
    int v;
    EACH_ENUM(v)
        NIL(pledger_app_state_name((pledger_app_state)v));
}

static void sweep_pledger_pledge_state_name(void)
{
    int v;
    EACH_ENUM(v)
        NIL(pledger_pledge_state_name((pledger_pledge_state)v));
}

static void sweep_pledger_severity_name(void)
{
    int v;
    EACH_ENUM(v)
        NIL(pledger_severity_name((pledger_severity)v));
}

static void sweep_pledger_application_new(void)
{
    pledger_application *a = (pledger_application *)&a;
    int v;
    ERR(NULL, pledger_application_new(NULL, PLEDGER_KIND_LAND));
    EACH_ENUM(v) {
        ERR(NULL, pledger_application_new(&a, (pledger_kind)v));
        ck_assert_ptr_null(a);
    }
}

static void sweep_pledger_application_from_xml(void)
{
    pledger_application *a = (pledger_application *)&a;
    size_t len = 0;
    char *xml = fx_sample_xml(PLEDGER_KIND_LAND, &len);
    ERR(NULL, pledger_application_from_xml(NULL, xml, len));
    ERR(NULL, pledger_application_from_xml(&a, NULL, 10));
    ck_assert_ptr_null(a);
    ERR(NULL, pledger_application_from_xml(&a, "", 0));
    ERR(NULL, pledger_application_from_xml(&a, big, MB));
    ERR(NULL, pledger_application_from_xml(&a, big_utf8, strlen(big_utf8)));
    ERR(NULL, pledger_application_from_xml(&a, bad_utf8, sizeof bad_utf8 - 1));
    ERR(NULL, pledger_application_from_xml(&a, xml, len / 2)); /* truncated */
    ERR(NULL, pledger_application_from_xml(&a, xml, SIZE_MAX)); /* over every limit */
    ERR(NULL, pledger_application_from_xml(&a, xml, (size_t)INT_MAX + 1));
    ck_assert_ptr_null(a);
    free(xml);
}

static void sweep_pledger_application_to_xml(void)
{
    char *s = (char *)&s;
    size_t len = 7;
    ERR(NULL, pledger_application_to_xml(NULL, &len, APP));
    ERR(NULL, pledger_application_to_xml(&s, &len, NULL));
    ck_assert_ptr_null(s);
}

static const char *const bad_paths[] = {
    "[1]", "a//b", "/pledgor", "pledgor/", "rights/right[0]", "rights/right[-1]",
    "rights/right[99999999999999999999]", "rights/right[1", "@", "pledgor/@", "pledgor/name/@",
    "..", "pledgor/*", "pledgor/name[2147483648]", "a b", "pledgor\x01",
};
#define N_BAD_PATHS (sizeof bad_paths / sizeof bad_paths[0])

static void sweep_pledger_application_get(void)
{
    const char *v = "x", *s;
    ERR(NULL, pledger_application_get(NULL, APP, "pledgor/name"));
    ERR(NULL, pledger_application_get(&v, NULL, "pledgor/name"));
    EACH_BAD(s)
        ERR(NULL, pledger_application_get(&v, APP, s));
    for (size_t i = 0; i < N_BAD_PATHS; i++)
        ERR(NULL, pledger_application_get(&v, APP, bad_paths[i]));
    ERR(NULL, pledger_application_get(&v, APP, "rights/right[3]/number"));
}

static void sweep_pledger_application_set(void)
{
    const char *s;
    char *before = NULL, *after = NULL;
    PL_OK(NULL, pledger_application_to_xml(&before, NULL, APP));
    ERR(NULL, pledger_application_set(NULL, "pledgor/name", "x"));
    EACH_BAD(s)
        ERR(NULL, pledger_application_set(APP, s, "x"));
    for (size_t i = 0; i < N_BAD_PATHS; i++)
        ERR(NULL, pledger_application_set(APP, bad_paths[i], "x"));
    ERR(NULL, pledger_application_set(APP, "pledgor/name", bad_utf8));
    ERR(NULL, pledger_application_set(APP, "pledgor/name", "a\x01"));
    ERR(NULL, pledger_application_set(APP, "pledgor/name", big));
    ERR(NULL, pledger_application_set(APP, "claim/amount", "-1"));
    ERR(NULL, pledger_application_set(APP, "claim/amount", "99999999999999999999"));
    ERR(NULL, pledger_application_set(APP, "rights/right[99]/number", "1"));
    ERR(NULL, pledger_application_set(APP, "no_such_element", "1"));
    ERR(NULL, pledger_application_set(APP, "@kind", "car"));
    PL_OK(NULL, pledger_application_to_xml(&after, NULL, APP));
    ck_assert_str_eq(before, after); /* every refusal left the document alone */
    pledger_free(before);
    pledger_free(after);
}

static void sweep_pledger_application_count(void)
{
    int n = -1;
    const char *s;
    ERR(NULL, pledger_application_count(NULL, APP, "rights/right"));
    ERR(NULL, pledger_application_count(&n, NULL, "rights/right"));
    EACH_BAD(s)
        ERR(NULL, pledger_application_count(&n, APP, s));
    for (size_t i = 0; i < 4; i++)
        ERR(NULL, pledger_application_count(&n, APP, bad_paths[i]));
}

static void sweep_pledger_application_add_material(void)
{
    const char *s;
    ERR(NULL, pledger_application_add_material(NULL, "pledge_contract", "c.pdf", "x", 1));
    EACH_BAD(s) {
        ERR(NULL, pledger_application_add_material(APP, s, "c.pdf", "x", 1));
        ERR(NULL, pledger_application_add_material(APP, "pledge_contract", s, "x", 1));
    }
    ERR(NULL, pledger_application_add_material(APP, "no_such_kind", "c.pdf", "x", 1));
    ERR(NULL, pledger_application_add_material(APP, "pledge_contract", "c.pdf", NULL, 5));
}

static void sweep_pledger_application_kind(void)
{
    NIL(pledger_application_kind(NULL));
}

static void sweep_pledger_application_uuid(void)
{
    NIL(pledger_application_uuid(NULL));
    NIL(pledger_application_uuid(APP));
}

static void sweep_pledger_application_state(void)
{
    NIL(pledger_application_state(NULL));
}

static void sweep_pledger_application_acceptance_number(void)
{
    NIL(pledger_application_acceptance_number(NULL));
    NIL(pledger_application_acceptance_number(APP));
}

static void sweep_pledger_application_registration_number(void)
{
    NIL(pledger_application_registration_number(NULL));
    NIL(pledger_application_registration_number(APP));
}

static void sweep_pledger_application_free(void)
{
    pledger_application_free(NULL);
}

/* ---- application.h: the workflow ----------------------------------------------------------- */

/* The UUID arguments every step refuses. */
static const char *const bad_uuids[] = {
    NULL, "", NULL /* big */, bad_utf8, "00000000-0000-0000-0000-000000000000",
    "' OR 1=1 --", "not-a-uuid",
};
#define EACH_UUID(s)                                                                      \
    for (int u_ = 0; u_ < 7 && ((s) = u_ == 2 ? big : bad_uuids[u_], 1); u_++)

static void sweep_pledger_application_save(void)
{
    ERR(NULL, pledger_application_save(NULL, APP));
    as(R, PLEDGER_ROLE_APPLICANT);
    ERR(R, pledger_application_save(R, NULL));
    ERR(RO, pledger_application_save(RO, APP));
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_application_save(R, APP));
    NIL(pledger_application_uuid(APP));
}

static void sweep_pledger_application_replace(void)
{
    const char *s;
    ERR(NULL, pledger_application_replace(NULL, acc_uuid, APP));
    as(R, PLEDGER_ROLE_APPLICANT);
    ERR(R, pledger_application_replace(R, acc_uuid, NULL));
    EACH_UUID(s)
        ERR(R, pledger_application_replace(R, s, APP));
    ERR(R, pledger_application_replace(R, acc_uuid, APP)); /* accepted: too late */
    ERR(RO, pledger_application_replace(RO, acc_uuid, APP)); /* read-only */
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_application_replace(R, acc_uuid, APP));
    NIL(pledger_application_uuid(APP));
}

static void sweep_pledger_application_save_keyed(void)
{
    static const char *const bad_keys[] = { "", "a b", "key/1", "ключ", "x\ty", NULL };
    char longest[PLEDGER_FILING_KEY_MAX + 2];
    int replayed = -1;
    ERR(NULL, pledger_application_save_keyed(NULL, APP, "k", &replayed));
    ck_assert_int_eq(replayed, 0);
    as(R, PLEDGER_ROLE_APPLICANT);
    ERR(R, pledger_application_save_keyed(R, NULL, "k", NULL));
    ERR(R, pledger_application_save_keyed(R, APP, NULL, NULL));
    for (int i = 0; bad_keys[i]; i++) {
        ERR(R, pledger_application_save_keyed(R, APP, bad_keys[i], NULL));
        ck_assert_msg(strstr(pledger_errmsg(R), "key"), "%s", pledger_errmsg(R));
    }
    memset(longest, 'k', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';    /* one too many */
    ERR(R, pledger_application_save_keyed(R, APP, longest, NULL));
    ERR(RO, pledger_application_save_keyed(RO, APP, "k", NULL)); /* read-only */
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_application_save_keyed(R, APP, "k", &replayed));
    ck_assert_int_eq(replayed, 0);
    NIL(pledger_application_uuid(APP));
}

static void sweep_pledger_application_load(void)
{
    pledger_application *a = (pledger_application *)&a;
    const char *s;
    ERR(R, pledger_application_load(NULL, R, acc_uuid));
    ERR(NULL, pledger_application_load(&a, NULL, acc_uuid));
    EACH_UUID(s) {
        ERR(R, pledger_application_load(&a, R, s));
        ck_assert_ptr_null(a);
    }
}

static void sweep_pledger_application_list(void)
{
    pledger_app_list *l = (pledger_app_list *)&l;
    pledger_app_filter f = PLEDGER_APP_FILTER_INIT;
    const char *s;
    as(R, PLEDGER_ROLE_CLERK);
    ERR(NULL, pledger_application_list(&l, NULL, &f));
    ck_assert_ptr_null(l);
    ERR(R, pledger_application_list(NULL, R, &f));
    ERR(R, pledger_application_list(&l, R, NULL));
    EACH_BAD(s) {
        f.filed_by = s;
        if (s)
            ERR(R, pledger_application_list(&l, R, &f));
        f.filed_by = NULL;
        f.after = s;
        if (s)
            ERR(R, pledger_application_list(&l, R, &f));
        f.after = NULL;
    }
    static const int limits[] = { 0, -1, 10001, INT_MAX, INT_MIN };
    for (size_t i = 0; i < 5; i++) {
        f.limit = limits[i];
        ERR(R, pledger_application_list(&l, R, &f));
    }
    f.limit = 10;
    static const unsigned states[] = { 1u, 1u << 10, UINT_MAX };
    for (size_t i = 0; i < 3; i++) {
        f.states = states[i];
        ERR(R, pledger_application_list(&l, R, &f));
    }
    f.states = 0;
    static const int kinds[] = { -1, 8, INT_MAX, INT_MIN };
    for (size_t i = 0; i < 4; i++) {
        f.kind = kinds[i];
        ERR(R, pledger_application_list(&l, R, &f));
    }
    f.kind = 0;
    f.version = 0;
    ERR(R, pledger_application_list(&l, R, &f));
    f.version = PLEDGER_APP_FILTER_VERSION;
    PL_OK(R, pledger_application_list(&l, R, &f));
    ck_assert_uint_ge(pledger_app_list_count(l), 1);
    pledger_app_list_free(l);
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_application_list(&l, R, &f));
    as(R, PLEDGER_ROLE_APPLICANT);
    f.filed_by = "someone-else";
    ERR(R, pledger_application_list(&l, R, &f));
}

#define APP_LIST_GETTER(name)                                                             \
    static void sweep_pledger_app_list_##name(void)                                       \
    {                                                                                     \
        NIL(pledger_app_list_##name(NULL, 0));                                            \
        NIL(pledger_app_list_##name(NULL, SIZE_MAX));                                     \
    }
APP_LIST_GETTER(uuid)
APP_LIST_GETTER(kind)
APP_LIST_GETTER(state)
APP_LIST_GETTER(filed_by)
APP_LIST_GETTER(saved_at)
APP_LIST_GETTER(updated_at)
APP_LIST_GETTER(acceptance_number)
APP_LIST_GETTER(registration_number)
APP_LIST_GETTER(pledgor_name)
APP_LIST_GETTER(pledgee_name)
static void sweep_pledger_app_list_count(void) { NIL(pledger_app_list_count(NULL)); }
static void sweep_pledger_app_list_free(void) { pledger_app_list_free(NULL); }

static void sweep_pledger_application_review(void)
{
    pledger_review *rv = (pledger_review *)&rv;
    const char *s;
    as(R, PLEDGER_ROLE_APPLICANT);
    ERR(NULL, pledger_application_review(&rv, NULL, acc_uuid));
    EACH_UUID(s) {
        ERR(R, pledger_application_review(&rv, R, s));
        ck_assert_ptr_null(rv);
    }
    ERR(R, pledger_application_review(&rv, R, acc_uuid)); /* accepted: too late */
}

static void sweep_pledger_application_submit(void)
{
    const char *s;
    as(R, PLEDGER_ROLE_APPLICANT);
    ERR(NULL, pledger_application_submit(NULL, acc_uuid));
    EACH_UUID(s)
        ERR(R, pledger_application_submit(R, s));
    ERR(R, pledger_application_submit(R, acc_uuid));
}

static void sweep_pledger_application_accept(void)
{
    char *n = (char *)&n;
    const char *s;
    as(R, PLEDGER_ROLE_CLERK);
    ERR(NULL, pledger_application_accept(&n, NULL, acc_uuid));
    EACH_UUID(s) {
        ERR(R, pledger_application_accept(&n, R, s));
        ck_assert_ptr_null(n);
    }
    ERR(R, pledger_application_accept(&n, R, acc_uuid));
}

static void sweep_pledger_application_request_correction(void)
{
    const char *s;
    as(R, PLEDGER_ROLE_CLERK);
    ERR(NULL, pledger_application_request_correction(NULL, acc_uuid, "x"));
    EACH_UUID(s)
        ERR(R, pledger_application_request_correction(R, s, "x"));
    EACH_BAD(s)
        ERR(R, pledger_application_request_correction(R, acc_uuid, s));
}

static void sweep_pledger_application_correct(void)
{
    pledger_application *a = NULL;
    as(R, PLEDGER_ROLE_CLERK);
    ERR(NULL, pledger_application_correct(NULL, APP));
    ERR(R, pledger_application_correct(R, NULL));
    ERR(R, pledger_application_correct(R, APP)); /* never saved */
    PL_OK(R, pledger_application_load(&a, R, acc_uuid));
    ERR(R, pledger_application_correct(R, a)); /* accepted, not awaiting correction */
    pledger_application_free(a);
}

static void sweep_pledger_application_register(void)
{
    char *n = (char *)&n, *c = (char *)&c;
    const char *s;
    ERR(NULL, pledger_application_register(&n, &c, NULL, acc_uuid));
    EACH_UUID(s) {
        ERR(R, pledger_application_register(&n, &c, R, s));
        ck_assert_ptr_null(n);
        ck_assert_ptr_null(c);
    }
    ERR(R, pledger_application_register(&n, NULL, R, acc_uuid)); /* a receivable */
    ck_assert_ptr_null(n);
}

static void sweep_pledger_application_refuse(void)
{
    const char *s;
    ERR(NULL, pledger_application_refuse(NULL, acc_uuid, "G", NULL));
    EACH_UUID(s)
        ERR(R, pledger_application_refuse(R, s, "G", NULL));
    EACH_BAD(s)
        ERR(R, pledger_application_refuse(R, acc_uuid, s, NULL));
    ERR(R, pledger_application_refuse(R, acc_uuid, "G", bad_utf8));
    ERR(R, pledger_application_refuse(R, acc_uuid, "G", big));
}

static void sweep_pledger_application_withdraw(void)
{
    const char *s;
    as(R, PLEDGER_ROLE_APPLICANT);
    ERR(NULL, pledger_application_withdraw(NULL, acc_uuid));
    EACH_UUID(s)
        ERR(R, pledger_application_withdraw(R, s));
}

/* ---- application.h: review results --------------------------------------------------------- */

static void sweep_pledger_review_count(void)
{
    NIL(pledger_review_count(NULL));
}

static void sweep_pledger_review_count_severity(void)
{
    int v;
    NIL(pledger_review_count_severity(NULL, PLEDGER_SEVERITY_BLOCKING));
    EACH_ENUM(v)
        NIL(pledger_review_count_severity(RV, (pledger_severity)v));
}

static void sweep_pledger_review_code(void)
{
    NIL(pledger_review_code(NULL, 0));
    NIL(pledger_review_code(RV, SIZE_MAX));
    NIL(pledger_review_code(RV, pledger_review_count(RV)));
}

static void sweep_pledger_review_severity(void)
{
    NIL(pledger_review_severity(NULL, 0));
    NIL(pledger_review_severity(RV, SIZE_MAX));
}

static void sweep_pledger_review_path(void)
{
    NIL(pledger_review_path(NULL, 0));
    NIL(pledger_review_path(RV, SIZE_MAX));
}

static void sweep_pledger_review_message(void)
{
    NIL(pledger_review_message(NULL, 0));
    NIL(pledger_review_message(RV, SIZE_MAX));
}

static void sweep_pledger_review_basis(void)
{
    NIL(pledger_review_basis(NULL, 0));
    NIL(pledger_review_basis(RV, SIZE_MAX));
}

static void sweep_pledger_review_free(void)
{
    pledger_review_free(NULL);
}

/* ---- application.h: bulk filing --------------------------------------------------------------- */

/* A filing refused by its review (item 1 has no secured amount): the
 * result of the getters below; nothing is stored. */
static pledger_filing *refused_filing(void)
{
    pledger_application *apps[2] = { fx_ck_sample(PLEDGER_KIND_RECEIVABLE),
                                     fx_ck_sample(PLEDGER_KIND_RECEIVABLE) };
    pledger_filing *f = NULL;
    PL_OK(NULL, pledger_application_set(apps[1], "claim/amount", NULL));
    as(R, PLEDGER_ROLE_APPLICANT);
    PL_FAILS(R, PLEDGER_EREVIEW, pledger_file_batch(&f, R, apps, 2));
    ck_assert_ptr_nonnull(f);
    pledger_application_free(apps[0]);
    pledger_application_free(apps[1]);
    return f;
}

static void sweep_pledger_file_batch(void)
{
    pledger_application *ar = fx_ck_sample(PLEDGER_KIND_RECEIVABLE), *apps[3] = { ar, ar, NULL };
    pledger_filing *f = (pledger_filing *)&f;
    ERR(NULL, pledger_file_batch(&f, NULL, apps, 1));
    ck_assert_ptr_null(f);
    as(R, PLEDGER_ROLE_APPLICANT);
    ERR(R, pledger_file_batch(NULL, R, apps, 1));
    ERR(R, pledger_file_batch(&f, R, NULL, 1));
    ERR(R, pledger_file_batch(&f, R, apps, 0));
    ERR(R, pledger_file_batch(&f, R, apps, 3));            /* apps[2] is NULL */
    ERR(R, pledger_file_batch(&f, R, apps, SIZE_MAX));
    ERR(R, pledger_file_batch(&f, R, &APP, 1));            /* a trademark */
    ERR(RO, pledger_file_batch(&f, RO, apps, 1));          /* read-only */
    as(R, PLEDGER_ROLE_REGISTRAR);
    ERR(R, pledger_file_batch(&f, R, apps, 1));
    ck_assert_ptr_null(f);
    pledger_application_free(ar);
}

static void sweep_pledger_filings_from_xml(void)
{
    static const char one[] = "<filings xmlns=\"urn:pledger:1\"><application/></filings>";
    pledger_application **apps = (pledger_application **)&apps;
    size_t n = 7;
    ERR(NULL, pledger_filings_from_xml(NULL, &n, one, sizeof one - 1));
    ck_assert_uint_eq(n, 0);
    ERR(NULL, pledger_filings_from_xml(&apps, NULL, one, sizeof one - 1));
    ck_assert_ptr_null(apps);
    ERR(NULL, pledger_filings_from_xml(&apps, &n, NULL, 5));
    ERR(NULL, pledger_filings_from_xml(&apps, &n, one, 0));
    ERR(NULL, pledger_filings_from_xml(&apps, &n, one, SIZE_MAX));
    ERR(NULL, pledger_filings_from_xml(&apps, &n, bad_utf8, sizeof bad_utf8 - 1));
    ERR(NULL, pledger_filings_from_xml(&apps, &n, one, sizeof one - 1)); /* no kind */
    ck_assert_ptr_null(apps);
    ck_assert_uint_eq(n, 0);
}

static void sweep_pledger_application_array_free(void)
{
    pledger_application **apps = calloc(2, sizeof *apps);
    ck_assert_ptr_nonnull(apps);
    apps[0] = fx_ck_sample(PLEDGER_KIND_RECEIVABLE);
    pledger_application_array_free(apps, 2);   /* a NULL among them */
    pledger_application_array_free(NULL, 3);
}

static void sweep_pledger_file_batch_keyed(void)
{
    static const char *const bad_keys[] = { "", "a b", "key/1", "ключ", "x\ty", NULL };
    pledger_application *ar = fx_ck_sample(PLEDGER_KIND_RECEIVABLE), *apps[3] = { ar, ar, NULL };
    pledger_filing *f = (pledger_filing *)&f;
    char longest[PLEDGER_FILING_KEY_MAX + 2];
    ERR(NULL, pledger_file_batch_keyed(&f, NULL, "k", apps, 1));
    ck_assert_ptr_null(f);
    as(R, PLEDGER_ROLE_APPLICANT);
    ERR(R, pledger_file_batch_keyed(NULL, R, "k", apps, 1));
    ERR(R, pledger_file_batch_keyed(&f, R, NULL, apps, 1));
    ERR(R, pledger_file_batch_keyed(&f, R, "k", NULL, 1));
    ERR(R, pledger_file_batch_keyed(&f, R, "k", apps, 0));
    ERR(R, pledger_file_batch_keyed(&f, R, "k", apps, 3)); /* apps[2] is NULL */
    ERR(R, pledger_file_batch_keyed(&f, R, "k", apps, SIZE_MAX));
    ERR(R, pledger_file_batch_keyed(&f, R, "k", &APP, 1)); /* a trademark */
    for (int i = 0; bad_keys[i]; i++) {
        ERR(R, pledger_file_batch_keyed(&f, R, bad_keys[i], apps, 1));
        ck_assert_msg(strstr(pledger_errmsg(R), "key"), "%s", pledger_errmsg(R));
    }
    memset(longest, 'k', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';    /* one too many */
    ERR(R, pledger_file_batch_keyed(&f, R, longest, apps, 1));
    ERR(RO, pledger_file_batch_keyed(&f, RO, "k", apps, 1)); /* read-only */
    as(R, PLEDGER_ROLE_REGISTRAR);
    ERR(R, pledger_file_batch_keyed(&f, R, "k", apps, 1));
    ck_assert_ptr_null(f);
    pledger_application_free(ar);
}

static void sweep_pledger_filing_replayed(void)
{
    pledger_filing *f = refused_filing();
    NIL(pledger_filing_replayed(NULL));
    NIL(pledger_filing_replayed(f));
    pledger_filing_free(f);
}

static void sweep_pledger_filing_count(void) { NIL(pledger_filing_count(NULL)); }
static void sweep_pledger_filing_blocked(void) { NIL(pledger_filing_blocked(NULL)); }

static void sweep_pledger_filing_item_blocked(void)
{
    pledger_filing *f = refused_filing();
    NIL(pledger_filing_item_blocked(NULL, 0));
    NIL(pledger_filing_item_blocked(f, 2));
    NIL(pledger_filing_item_blocked(f, SIZE_MAX));
    ck_assert_int_eq(pledger_filing_item_blocked(f, 1), 1);
    pledger_filing_free(f);
}

/* The getters of item @i's strings: NULL beyond the items, and NULL for
 * every item of a refused filing. */
#define SWEEP_FILING_STR(fn)                                                                     \
    static void sweep_##fn(void)                                                                 \
    {                                                                                            \
        pledger_filing *f = refused_filing();                                                    \
        NIL(fn(NULL, 0));                                                                        \
        NIL(fn(f, 0));                                                                           \
        NIL(fn(f, 2));                                                                           \
        NIL(fn(f, SIZE_MAX));                                                                    \
        pledger_filing_free(f);                                                                  \
    }
SWEEP_FILING_STR(pledger_filing_uuid)
SWEEP_FILING_STR(pledger_filing_acceptance_number)
SWEEP_FILING_STR(pledger_filing_number)
SWEEP_FILING_STR(pledger_filing_modcode)

static void sweep_pledger_filing_review(void)
{
    pledger_filing *f = refused_filing();
    NIL(pledger_filing_review(NULL, 0));
    NIL(pledger_filing_review(f, 2));
    NIL(pledger_filing_review(f, SIZE_MAX));
    ck_assert_uint_gt(pledger_review_count(pledger_filing_review(f, 1)), 0);
    pledger_filing_free(f);
}

static void sweep_pledger_filing_free(void)
{
    pledger_filing_free(NULL);
    pledger_filing_free(refused_filing());
}

/* ---- review.h ------------------------------------------------------------------------------ */

static void sweep_pledger_review_rule_count(void)
{
    ck_assert_uint_gt(pledger_review_rule_count(), 0);
}

static void sweep_pledger_review_rule_code(void)
{
    NIL(pledger_review_rule_code(SIZE_MAX));
    NIL(pledger_review_rule_code(pledger_review_rule_count()));
}

static void sweep_pledger_review_rule_severity(void)
{
    NIL(pledger_review_rule_severity(SIZE_MAX));
}

static void sweep_pledger_review_rule_kinds(void)
{
    NIL(pledger_review_rule_kinds(SIZE_MAX));
}

static void sweep_pledger_review_rule_meaning(void)
{
    NIL(pledger_review_rule_meaning(SIZE_MAX));
}

static void sweep_pledger_review_rule_basis(void)
{
    NIL(pledger_review_rule_basis(SIZE_MAX));
}

static void sweep_pledger_review_rule_find(void)
{
    size_t i = 12345;
    const char *s;
    ERR(NULL, pledger_review_rule_find(NULL, "TM_BUNDLE_MISSING"));
    EACH_BAD(s)
        ERR(NULL, pledger_review_rule_find(&i, s));
    ERR(NULL, pledger_review_rule_find(&i, "tm_bundle_missing"));
    ck_assert_uint_eq(i, 12345);
}

static void sweep_pledger_application_check(void)
{
    pledger_review *rv = (pledger_review *)&rv;
    ERR(R, pledger_application_check(NULL, R, APP));
    ERR(NULL, pledger_application_check(&rv, NULL, APP));
    ERR(R, pledger_application_check(&rv, R, NULL));
    ck_assert_ptr_null(rv);
}

/* ---- pledge.h ------------------------------------------------------------------------------ */

static const char *const bad_numbers[] = {
    NULL, "", NULL /* big */, bad_utf8, "R-FZ01-TM-2024-999999", "' OR 1=1 --", "%",
};
#define EACH_NUMBER(s)                                                                    \
    for (int n_ = 0; n_ < 7 && ((s) = n_ == 2 ? big : bad_numbers[n_], 1); n_++)

static void sweep_pledger_pledge_get(void)
{
    pledger_pledge *p = (pledger_pledge *)&p;
    const char *s;
    ERR(R, pledger_pledge_get(NULL, R, tm_num));
    ERR(NULL, pledger_pledge_get(&p, NULL, tm_num));
    EACH_NUMBER(s) {
        ERR(R, pledger_pledge_get(&p, R, s));
        ck_assert_ptr_null(p);
    }
}

static void sweep_pledger_pledge_get_at(void)
{
    pledger_pledge *p = (pledger_pledge *)&p;
    const char *s;
    ERR(R, pledger_pledge_get_at(NULL, R, tm_num, FX_T0));
    ERR(NULL, pledger_pledge_get_at(&p, NULL, tm_num, FX_T0));
    EACH_NUMBER(s)
        ERR(R, pledger_pledge_get_at(&p, R, s, FX_T0 + FX_DAY_US));
    ERR(R, pledger_pledge_get_at(&p, R, tm_num, -1));
    ERR(R, pledger_pledge_get_at(&p, R, tm_num, INT64_MIN + 1));
    ck_assert_ptr_null(p);
    static const int64_t at[] = { INT64_MIN, INT64_MAX, 0 };
    for (size_t i = 0; i < 3; i++) {
        ANY(R, pledger_pledge_get_at(&p, R, tm_num, at[i]));
        pledger_pledge_free(p);
        p = NULL;
    }
}

static void sweep_pledger_pledge_free(void)
{
    pledger_pledge_free(NULL);
}

#define PLEDGE_GETTER(name)                                                               \
    static void sweep_pledger_pledge_##name(void)                                        \
    {                                                                                    \
        NIL(pledger_pledge_##name(NULL));                                                \
        (void)pledger_pledge_##name(P);                                                  \
    }
PLEDGE_GETTER(number)
PLEDGE_GETTER(kind)
PLEDGE_GETTER(security)
PLEDGE_GETTER(state_of)
PLEDGE_GETTER(version)
PLEDGE_GETTER(registered_at)
PLEDGE_GETTER(valid_from)
PLEDGE_GETTER(valid_to)
PLEDGE_GETTER(pledgor_name)
PLEDGE_GETTER(pledgor_id)
PLEDGE_GETTER(pledgee_name)
PLEDGE_GETTER(pledgee_id)
PLEDGE_GETTER(amount)
PLEDGE_GETTER(currency)
PLEDGE_GETTER(period_start)
PLEDGE_GETTER(period_end)
PLEDGE_GETTER(acceptance_number)
PLEDGE_GETTER(application_uuid)
PLEDGE_GETTER(right_count)

static void sweep_pledger_pledge_right_id(void)
{
    NIL(pledger_pledge_right_id(NULL, 0));
    NIL(pledger_pledge_right_id(P, SIZE_MAX));
    NIL(pledger_pledge_right_id(P, pledger_pledge_right_count(P)));
}

static void sweep_pledger_pledge_to_xml(void)
{
    char *s = (char *)&s;
    ERR(NULL, pledger_pledge_to_xml(NULL, P));
    ERR(NULL, pledger_pledge_to_xml(&s, NULL));
    ck_assert_ptr_null(s);
}

/* A getter that answers NULL for @path and says why on the thread, with
 * the code @code. */
#define FIELD_REFUSED(p, path, code)                                                      \
    do {                                                                                 \
        NIL(pledger_pledge_field((p), (path)));                                          \
        refused("pledger_pledge_field(" #p ", " #path ")", __LINE__, NULL,                \
                pledger_errcode(NULL));                                                  \
        ck_assert_int_eq(pledger_errcode(NULL), (code));                                 \
    } while (0)

static void sweep_pledger_pledge_field(void)
{
    const char *s;
    FIELD_REFUSED(NULL, "registration_number", PLEDGER_EINVAL);
    EACH_BAD(s)
        FIELD_REFUSED(P, s, PLEDGER_EINVAL);
    FIELD_REFUSED(P, big_utf8, PLEDGER_EINVAL);
    static const char *const unknown[] = {
        "number", "/registration_number", "registration_number/", "pledgor", "pledgor/",
        "rights", "rights/*", "rights/*[0]/identifier", "rights/*[-1]/identifier",
        "rights/*[1]", "rights/*[1]/", "rights/*[1]/identifier/", "rights/patent[1]x",
        "rights/nokind[1]/identifier", "rights/*[18446744073709551616]/identifier",
        "history/entry[0]/at", "history/entry[1]", "history/entry[1]/when", "*", "//",
        "pledgor/id/@", "amount/@", "amount/@CURRENCY", "Registration_Number",
    };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        FIELD_REFUSED(P, unknown[i], PLEDGER_EINVAL);
    /* fields a pledge document may have and this one has not */
    static const char *const absent[] = {
        "valid_to", "rights/*[3]/identifier", "rights/*[1000000]/classes",
        "rights/patent[1]/identifier", "history/entry[2]/at", "history/entry[99]/version",
    };
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        ck_assert_msg(!pledger_pledge_field(P, absent[i]), "%s: '%s'", absent[i],
                      pledger_pledge_field(P, absent[i]));
        FIELD_REFUSED(P, absent[i], PLEDGER_ENOTFOUND);
    }
    /* every path the snapshot lists answers */
    for (size_t i = 0; i < pledger_pledge_field_count(P); i++)
        ck_assert_ptr_nonnull(pledger_pledge_field(P, pledger_pledge_field_path(P, i)));
}

static void sweep_pledger_pledge_field_count(void)
{
    NIL(pledger_pledge_field_count(NULL));
    ck_assert_uint_gt(pledger_pledge_field_count(P), 20);
}

static void sweep_pledger_pledge_field_path(void)
{
    NIL(pledger_pledge_field_path(NULL, 0));
    NIL(pledger_pledge_field_path(P, SIZE_MAX));
    NIL(pledger_pledge_field_path(P, pledger_pledge_field_count(P)));
}

static void sweep_pledger_pledge_field_value(void)
{
    NIL(pledger_pledge_field_value(NULL, 0));
    NIL(pledger_pledge_field_value(P, SIZE_MAX));
    NIL(pledger_pledge_field_value(P, pledger_pledge_field_count(P)));
    /* the value by index is the value by path, the same string */
    for (size_t i = 0; i < pledger_pledge_field_count(P); i++)
        ck_assert_ptr_eq(pledger_pledge_field_value(P, i),
                         pledger_pledge_field(P, pledger_pledge_field_path(P, i)));
}

static void sweep_pledger_certificate_load(void)
{
    pledger_certificate *c = (pledger_certificate *)&c;
    const char *s;
    ERR(R, pledger_certificate_load(NULL, R, tm_num, 0));
    ERR(NULL, pledger_certificate_load(&c, NULL, tm_num, 0));
    ck_assert_ptr_null(c);
    EACH_NUMBER(s) {
        c = (pledger_certificate *)&c;
        ERR(R, pledger_certificate_load(&c, R, s, 0));
        ck_assert_ptr_null(c);
    }
    static const int versions[] = { -1, INT_MIN, INT_MAX, 2 };
    for (size_t i = 0; i < 4; i++) {
        c = (pledger_certificate *)&c;
        ERR(R, pledger_certificate_load(&c, R, tm_num, versions[i]));
        ck_assert_ptr_null(c);
    }
    /* a role that may not read registrations */
    as(RO, PLEDGER_ROLE_APPLICANT);
    ANY(RO, pledger_certificate_load(&c, RO, tm_num, 0));
    pledger_certificate_free(c);
    c = NULL;
    PL_OK(RO, pledger_certificate_load(&c, RO, ar_num, 1));
    pledger_certificate_free(c);
}

static void sweep_pledger_certificate_free(void)
{
    pledger_certificate_free(NULL);
}

#define CERTIFICATE_GETTER(name)                                                          \
    static void sweep_pledger_certificate_##name(void)                                   \
    {                                                                                    \
        NIL(pledger_certificate_##name(NULL));                                           \
        (void)pledger_certificate_##name(CE);                                            \
    }
CERTIFICATE_GETTER(number)
CERTIFICATE_GETTER(version)
CERTIFICATE_GETTER(code)
CERTIFICATE_GETTER(status_of)
CERTIFICATE_GETTER(issued_at)
CERTIFICATE_GETTER(superseded_at)
CERTIFICATE_GETTER(xml)

static void sweep_pledger_certificate_get(void)
{
    char *c = (char *)&c;
    const char *s;
    ERR(R, pledger_certificate_get(NULL, R, tm_num, 0));
    ERR(NULL, pledger_certificate_get(&c, NULL, tm_num, 0));
    EACH_NUMBER(s)
        ERR(R, pledger_certificate_get(&c, R, s, 0));
    static const int versions[] = { -1, INT_MIN, INT_MAX, 2 };
    for (size_t i = 0; i < 4; i++) {
        ERR(R, pledger_certificate_get(&c, R, tm_num, versions[i]));
        ck_assert_ptr_null(c);
    }
}

static void sweep_pledger_pledge_change(void)
{
    pledger_change ch = PLEDGER_CHANGE_INIT;
    const char *s;
    ch.amount = 5;
    ERR(NULL, pledger_pledge_change(NULL, tm_num, &ch, NULL));
    EACH_NUMBER(s)
        ERR(R, pledger_pledge_change(R, s, &ch, NULL));
    ERR(R, pledger_pledge_change(R, tm_num, NULL, NULL));
    ch.version = 0;
    ERR(R, pledger_pledge_change(R, tm_num, &ch, NULL));
    ch.version = 99;
    ERR(R, pledger_pledge_change(R, tm_num, &ch, NULL));
    ch = (pledger_change)PLEDGER_CHANGE_INIT;
    ERR(R, pledger_pledge_change(R, tm_num, &ch, NULL)); /* nothing to change */
    static const int64_t amounts[] = { -2, INT64_MIN };
    for (size_t i = 0; i < 2; i++) {
        ch.amount = amounts[i];
        ERR(R, pledger_pledge_change(R, tm_num, &ch, NULL));
    }
    ch.amount = -1;
    EACH_BAD(s) {
        if (!s)
            continue;
        ch.pledgor_name = s;
        ERR(R, pledger_pledge_change(R, tm_num, &ch, NULL));
        ch.pledgor_name = NULL;
        ch.pledgee_name = s;
        ERR(R, pledger_pledge_change(R, tm_num, &ch, NULL));
        ch.pledgee_name = NULL;
    }
    ch.amount = 5;
    ch.note = bad_utf8;
    ERR(R, pledger_pledge_change(R, tm_num, &ch, NULL));
    ch.note = NULL;
    EACH_BAD(s)
        ERR(R, pledger_pledge_change(R, ar_num, &ch, s)); /* a receivable needs its code */
    ERR(RO, pledger_pledge_change(RO, tm_num, &ch, NULL));
}

static void sweep_pledger_pledge_extend(void)
{
    const char *s;
    ERR(NULL, pledger_pledge_extend(NULL, tm_num, "2030-01-01", NULL));
    EACH_NUMBER(s)
        ERR(R, pledger_pledge_extend(R, s, "2030-01-01", NULL));
    EACH_BAD(s)
        ERR(R, pledger_pledge_extend(R, tm_num, s, NULL));
    static const char *const dates[] = { "2030-02-30", "99999-01-01", "2030-1-1", "2020-01-01",
                                         "-2030-01-01", "2030-01-01T00:00:00Z" };
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
        ERR(R, pledger_pledge_extend(R, tm_num, dates[i], NULL));
    EACH_BAD(s)
        ERR(R, pledger_pledge_extend(R, ar_num, "2030-01-01", s));
}

static void sweep_pledger_pledge_cancel(void)
{
    const char *s;
    ERR(NULL, pledger_pledge_cancel(NULL, tm_num, NULL, NULL));
    EACH_NUMBER(s)
        ERR(R, pledger_pledge_cancel(R, s, NULL, NULL));
    ERR(R, pledger_pledge_cancel(R, tm_num, NULL, bad_utf8));
    ERR(R, pledger_pledge_cancel(R, tm_num, NULL, big));
    EACH_BAD(s)
        ERR(R, pledger_pledge_cancel(R, ar_num, s, NULL));
}

static void sweep_pledger_pledge_revoke(void)
{
    const char *s;
    ERR(NULL, pledger_pledge_revoke(NULL, tm_num, "G", NULL));
    EACH_NUMBER(s)
        ERR(R, pledger_pledge_revoke(R, s, "G", NULL));
    EACH_BAD(s)
        ERR(R, pledger_pledge_revoke(R, tm_num, s, NULL));
    ERR(R, pledger_pledge_revoke(R, tm_num, "G", bad_utf8));
    ERR(R, pledger_pledge_revoke(R, tm_num, "G", big));
}

static void sweep_pledger_pledge_object(void)
{
    const char *s;
    ERR(NULL, pledger_pledge_object(NULL, ar_num, "x", NULL));
    EACH_NUMBER(s)
        ERR(R, pledger_pledge_object(R, s, "x", NULL));
    EACH_BAD(s)
        ERR(R, pledger_pledge_object(R, ar_num, s, NULL));
    ERR(R, pledger_pledge_object(R, tm_num, "x", NULL)); /* not a receivable */
}

static void sweep_pledger_pledge_record_litigation(void)
{
    const char *s;
    ERR(NULL, pledger_pledge_record_litigation(NULL, ar_num));
    EACH_NUMBER(s)
        ERR(R, pledger_pledge_record_litigation(R, s));
    ERR(R, pledger_pledge_record_litigation(R, tm_num));
}

static void sweep_pledger_pledge_dismiss_objection(void)
{
    const char *s;
    ERR(NULL, pledger_pledge_dismiss_objection(NULL, ar_num, NULL));
    EACH_NUMBER(s)
        ERR(R, pledger_pledge_dismiss_objection(R, s, NULL));
    ERR(R, pledger_pledge_dismiss_objection(R, ar_num, bad_utf8));
    ERR(R, pledger_pledge_dismiss_objection(R, ar_num, big));
    ERR(R, pledger_pledge_dismiss_objection(R, tm_num, NULL));
}

static void sweep_pledger_registry_expire(void)
{
    int n = -1;
    ERR(NULL, pledger_registry_expire(&n, NULL));
    ERR(RO, pledger_registry_expire(&n, RO));
    as(R, PLEDGER_ROLE_CLERK);
    ERR(R, pledger_registry_expire(&n, R));
}

static void sweep_pledger_calendar_load(void)
{
    static const char ok[] = "2025-01-01 holiday\n";
    ERR(NULL, pledger_calendar_load(NULL, ok, sizeof ok - 1));
    ERR(R, pledger_calendar_load(R, NULL, 5));
    ERR(R, pledger_calendar_load(R, big, MB));
    ERR(R, pledger_calendar_load(R, big_utf8, strlen(big_utf8)));
    ERR(R, pledger_calendar_load(R, bad_utf8, sizeof bad_utf8 - 1));
    ERR(R, pledger_calendar_load(R, "2025-01-01 holiday \xff\n", 21));
    ERR(R, pledger_calendar_load(R, "2025-01-01..2099-01-01 holiday\n", 31));
    ERR(R, pledger_calendar_load(R, "99999-01-01 holiday\n", 20));
    ERR(R, pledger_calendar_load(R, "2025-01-01\0holiday\n", 19));
    ERR(RO, pledger_calendar_load(RO, "", 0));
    ERR(RO, pledger_calendar_load(RO, ok, sizeof ok - 1));
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_calendar_load(R, ok, sizeof ok - 1));
}

static void sweep_pledger_calendar_add_working_days(void)
{
    char out[11];
    const char *s;
    ERR(R, pledger_calendar_add_working_days(NULL, R, "2025-01-01", 1));
    ERR(NULL, pledger_calendar_add_working_days(out, NULL, "2025-01-01", 1));
    EACH_BAD(s)
        ERR(R, pledger_calendar_add_working_days(out, R, s, 1));
    ERR(R, pledger_calendar_add_working_days(out, R, "2025-02-30", 1));
    static const int n[] = { -1, INT_MIN, INT_MAX, 3651 };
    for (size_t i = 0; i < 4; i++)
        ERR(R, pledger_calendar_add_working_days(out, R, "2025-01-01", n[i]));
    ERR(R, pledger_calendar_add_working_days(out, R, "9999-12-31", 3650));
}

static void sweep_pledger_journal_verify(void)
{
    int64_t bad = -1, count = -1;
    ERR(R, pledger_journal_verify(NULL, &count, R));
    ERR(NULL, pledger_journal_verify(&bad, &count, NULL));
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_journal_verify(&bad, &count, R));
    as(RO, PLEDGER_ROLE_AUDITOR);
    PL_OK(RO, pledger_journal_verify(&bad, NULL, RO));
    ck_assert_int_eq(bad, 0);
}

static void sweep_pledger_journal_verify_chain(void)
{
    int64_t bad = -1, count = -1;
    ERR(R, pledger_journal_verify_chain(NULL, &count, R));
    ERR(NULL, pledger_journal_verify_chain(&bad, &count, NULL));
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_journal_verify_chain(&bad, &count, R));
    as(RO, PLEDGER_ROLE_AUDITOR);
    PL_OK(RO, pledger_journal_verify_chain(&bad, NULL, RO));
    ck_assert_int_eq(bad, 0);
}

/* ---- query.h: verification, rank ----------------------------------------------------------- */

static void sweep_pledger_verify(void)
{
    pledger_verification *v = (pledger_verification *)&v;
    pledger_verify_options o = PLEDGER_VERIFY_OPTIONS_INIT;
    const char *s;
    ERR(R, pledger_verify(NULL, R, tm_num, NULL));
    ERR(NULL, pledger_verify(&v, NULL, tm_num, NULL));
    EACH_NUMBER(s) {
        ERR(R, pledger_verify(&v, R, s, NULL));
        ck_assert_ptr_null(v);
    }
    o.version = 0;
    ERR(R, pledger_verify(&v, R, tm_num, &o));
    o.version = 99;
    ERR(R, pledger_verify(&v, R, tm_num, &o));
    o = (pledger_verify_options)PLEDGER_VERIFY_OPTIONS_INIT;
    EACH_BAD(s) {
        if (!s)
            continue;
        o.code = s;
        ERR(R, pledger_verify(&v, R, tm_num, &o));
    }
    o.code = "AAAA-BBBB-CCCC-DDDD";
    ERR(R, pledger_verify(&v, R, tm_num, &o));
    o.code = NULL;
    o.as_of = -1;
    ERR(R, pledger_verify(&v, R, tm_num, &o));
    o.as_of = INT64_MAX;
    ANY(R, pledger_verify(&v, R, tm_num, &o));
    pledger_verification_free(v);
}

static void sweep_pledger_verification_free(void)
{
    pledger_verification_free(NULL);
}

#define VERIFICATION_GETTER(name)                                                         \
    static void sweep_pledger_verification_##name(void)                                  \
    {                                                                                    \
        NIL(pledger_verification_##name(NULL));                                          \
        (void)pledger_verification_##name(V);                                            \
    }
VERIFICATION_GETTER(number)
VERIFICATION_GETTER(kind)
VERIFICATION_GETTER(security)
VERIFICATION_GETTER(state)
VERIFICATION_GETTER(version)
VERIFICATION_GETTER(registered_at)
VERIFICATION_GETTER(valid_from)
VERIFICATION_GETTER(as_of)
VERIFICATION_GETTER(pledgor_name)
VERIFICATION_GETTER(pledgor_id)
VERIFICATION_GETTER(pledgee_name)
VERIFICATION_GETTER(pledgee_id)
VERIFICATION_GETTER(amount)
VERIFICATION_GETTER(currency)
VERIFICATION_GETTER(period_start)
VERIFICATION_GETTER(period_end)
VERIFICATION_GETTER(right_count)
VERIFICATION_GETTER(rank)
VERIFICATION_GETTER(code_status)
VERIFICATION_GETTER(code_version)
VERIFICATION_GETTER(code_superseded_at)

static void sweep_pledger_verification_pledge(void)
{
    NIL(pledger_verification_pledge(NULL));
    ck_assert_ptr_nonnull(pledger_verification_pledge(V));
}

static void sweep_pledger_verification_right_id(void)
{
    NIL(pledger_verification_right_id(NULL, 0));
    NIL(pledger_verification_right_id(V, SIZE_MAX));
}

static void sweep_pledger_verification_right_rank(void)
{
    NIL(pledger_verification_right_rank(NULL, 0));
    NIL(pledger_verification_right_rank(V, SIZE_MAX));
}

static void sweep_pledger_rank(void)
{
    int r = -7;
    const char *s;
    ERR(R, pledger_rank(NULL, R, tm_num, PLEDGER_AS_OF_CURRENT));
    ERR(NULL, pledger_rank(&r, NULL, tm_num, PLEDGER_AS_OF_CURRENT));
    EACH_NUMBER(s)
        ERR(R, pledger_rank(&r, R, s, PLEDGER_AS_OF_CURRENT));
    ERR(R, pledger_rank(&r, R, tm_num, -1));
    ANY(R, pledger_rank(&r, R, tm_num, INT64_MAX));
}

static void sweep_pledger_compare(void)
{
    int c = 7;
    const char *s;
    ERR(R, pledger_compare(NULL, R, tm_num, ar_num));
    ERR(NULL, pledger_compare(&c, NULL, tm_num, ar_num));
    EACH_NUMBER(s) {
        ERR(R, pledger_compare(&c, R, s, ar_num));
        ERR(R, pledger_compare(&c, R, tm_num, s));
    }
}

/* ---- query.h: search ----------------------------------------------------------------------- */

static void search_refused(int line, const pledger_query *q)
{
    pledger_cursor *c = (pledger_cursor *)&c;
    refused("pledger_search", line, R, pledger_search(&c, R, q));
    ck_assert_ptr_null(c);
}

static void sweep_pledger_search(void)
{
    pledger_cursor *c = NULL;
    pledger_query q = PLEDGER_QUERY_INIT;
    const char *s;
    ERR(R, pledger_search(NULL, R, &q));
    ERR(NULL, pledger_search(&c, NULL, &q));
    ERR(R, pledger_search(&c, R, NULL));
#define QBAD(field, value)                                                                \
    do {                                                                                 \
        q = (pledger_query)PLEDGER_QUERY_INIT;                                           \
        q.kind = PLEDGER_KIND_TRADEMARK;                                                 \
        q.field = (value);                                                               \
        search_refused(__LINE__, &q);                                                    \
    } while (0)
    QBAD(version, 0);
    QBAD(version, 99);
    QBAD(kind, -1);
    QBAD(kind, 99);
    QBAD(kind, INT_MIN);
    QBAD(state, -1);
    QBAD(state, 99);
    QBAD(party_side, -1);
    QBAD(party_side, 3);
    QBAD(page_size, -1);
    QBAD(page_size, 10001);
    QBAD(page_size, INT_MAX);
    EACH_BAD(s) {
        if (!s)
            continue;
        QBAD(right_id, s);
        QBAD(party_id, s);
        QBAD(registered_from, s);
        QBAD(registered_to, s);
        QBAD(after, s);
    }
    QBAD(party_name, bad_utf8);
    QBAD(party_name, big);
    QBAD(registered_from, "2024-13-01");
    QBAD(after, "AAAAAAAAAAAAAAAA");
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.right_id = "12345678"; /* a right without its kind */
    search_refused(__LINE__, &q);
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.registered_from = "2025-01-01";
    q.registered_to = "2024-01-01";
    search_refused(__LINE__, &q);
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.as_of = INT64_MAX;
    ANY(R, pledger_search(&c, R, &q));
    pledger_cursor_free(c);
#undef QBAD
}

static void sweep_pledger_cursor_next(void)
{
    ERR(NULL, pledger_cursor_next(NULL));
    while (pledger_cursor_next(C) == 1)
        ;
    ck_assert_int_eq(pledger_cursor_next(C), 0);
    ck_assert_int_eq(pledger_cursor_next(C), 0);
    NIL(pledger_cursor_number(C)); /* past the end: no hit */
}

#define CURSOR_GETTER(name)                                                               \
    static void sweep_pledger_cursor_##name(void)                                        \
    {                                                                                    \
        NIL(pledger_cursor_##name(NULL));                                                \
        (void)pledger_cursor_##name(C);                                                  \
    }
CURSOR_GETTER(count)
CURSOR_GETTER(continuation)
CURSOR_GETTER(number)
CURSOR_GETTER(kind)
CURSOR_GETTER(state)
CURSOR_GETTER(version)
CURSOR_GETTER(registered_at)
CURSOR_GETTER(pledgor_name)
CURSOR_GETTER(pledgor_id)
CURSOR_GETTER(pledgee_name)
CURSOR_GETTER(pledgee_id)
CURSOR_GETTER(amount)
CURSOR_GETTER(currency)
CURSOR_GETTER(period_start)
CURSOR_GETTER(period_end)
CURSOR_GETTER(name_match)

/* the log size read with the answer: the registry's, nothing changed since */
static void sweep_pledger_cursor_log_size(void)
{
    uint64_t n = 0;
    ck_assert_uint_eq(pledger_cursor_log_size(NULL), 0);
    PL_OK(R, pledger_log_size(R, &n));
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_eq(pledger_cursor_log_size(C), n);
}

static void sweep_pledger_verification_log_size(void)
{
    uint64_t n = 0;
    ck_assert_uint_eq(pledger_verification_log_size(NULL), 0);
    PL_OK(R, pledger_log_size(R, &n));
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_eq(pledger_verification_log_size(V), n);
}

static void sweep_pledger_cursor_pledge(void)
{
    NIL(pledger_cursor_pledge(NULL));
    NIL(pledger_cursor_pledge(C)); /* before the first hit */
    while (pledger_cursor_next(C) == 1)
        ck_assert_ptr_nonnull(pledger_cursor_pledge(C));
    NIL(pledger_cursor_pledge(C)); /* past the end */
}

static void sweep_pledger_cursor_free(void)
{
    pledger_cursor_free(NULL);
}

/* ---- query.h: due list, statistics --------------------------------------------------------- */

static void sweep_pledger_due_get(void)
{
    pledger_due *d = (pledger_due *)&d;
    pledger_due_options o = PLEDGER_DUE_OPTIONS_INIT;
    ERR(R, pledger_due_get(NULL, R, NULL));
    ERR(NULL, pledger_due_get(&d, NULL, NULL));
    static const int within[] = { -1, 3651, INT_MAX, INT_MIN };
    for (size_t i = 0; i < 4; i++) {
        o.within_days = within[i];
        ERR(R, pledger_due_get(&d, R, &o));
        ck_assert_ptr_null(d);
    }
    o = (pledger_due_options)PLEDGER_DUE_OPTIONS_INIT;
    o.version = 99;
    ERR(R, pledger_due_get(&d, R, &o));
    o = (pledger_due_options)PLEDGER_DUE_OPTIONS_INIT;
    o.at = INT64_MAX;
    ANY(R, pledger_due_get(&d, R, &o));
    pledger_due_free(d);
    d = NULL;
    o.at = INT64_MIN + 1;
    ANY(R, pledger_due_get(&d, R, &o));
    pledger_due_free(d);
    d = NULL;
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_due_get(&d, R, NULL));
}

static void sweep_pledger_due_free(void)
{
    pledger_due_free(NULL);
}

static void sweep_pledger_due_count(void)
{
    NIL(pledger_due_count(NULL));
}

static void sweep_pledger_due_today(void)
{
    NIL(pledger_due_today(NULL));
    ck_assert_uint_eq(strlen(pledger_due_today(D)), 10);
}

#define DUE_GETTER(name)                                                                  \
    static void sweep_pledger_due_##name(void)                                           \
    {                                                                                    \
        NIL(pledger_due_##name(NULL, 0));                                                \
        NIL(pledger_due_##name(D, SIZE_MAX));                                            \
        NIL(pledger_due_##name(D, pledger_due_count(D)));                                \
    }
DUE_GETTER(what_of)
DUE_GETTER(subject)
DUE_GETTER(kind)
DUE_GETTER(date)
DUE_GETTER(days_left)

static void sweep_pledger_due_what_name(void)
{
    int v;
    EACH_ENUM(v)
        NIL(pledger_due_what_name((pledger_due_what)v));
}

static void sweep_pledger_stats_get(void)
{
    pledger_stats *st = (pledger_stats *)&st;
    pledger_stats_query q = PLEDGER_STATS_QUERY_INIT;
    const char *s;
    q.from = "2024-01-01";
    q.to = "2024-12-31";
    ERR(R, pledger_stats_get(NULL, R, &q));
    ERR(NULL, pledger_stats_get(&st, NULL, &q));
    ERR(R, pledger_stats_get(&st, R, NULL));
    ck_assert_ptr_null(st);
    EACH_BAD(s) {
        q.from = s;
        ERR(R, pledger_stats_get(&st, R, &q));
        q.from = "2024-01-01";
        q.to = s;
        ERR(R, pledger_stats_get(&st, R, &q));
        q.to = "2024-12-31";
        if (s && *s) {
            q.office = s;
            ERR(R, pledger_stats_get(&st, R, &q));
            q.office = NULL;
        }
    }
    q.from = "2025-01-01";
    ERR(R, pledger_stats_get(&st, R, &q));
    q.from = "2024-01-01";
    int v;
    EACH_ENUM(v) {
        if (v == 0)
            continue;
        q.kind = v;
        ERR(R, pledger_stats_get(&st, R, &q));
    }
    q.kind = 0;
    q.version = 99;
    ERR(R, pledger_stats_get(&st, R, &q));
}

static void sweep_pledger_stats_free(void)
{
    pledger_stats_free(NULL);
}

#define STATS_GETTER(name)                                                                \
    static void sweep_pledger_stats_##name(void)                                         \
    {                                                                                    \
        NIL(pledger_stats_##name(NULL));                                                 \
        (void)pledger_stats_##name(S);                                                   \
    }
STATS_GETTER(registrations)
STATS_GETTER(cancellations)
STATS_GETTER(active)
STATS_GETTER(currency_count)

static void sweep_pledger_stats_currency(void)
{
    NIL(pledger_stats_currency(NULL, 0));
    NIL(pledger_stats_currency(S, SIZE_MAX));
}

static void sweep_pledger_stats_amount_registered(void)
{
    ck_assert_int_eq(pledger_stats_amount_registered(NULL, 0), -1);
    ck_assert_int_eq(pledger_stats_amount_registered(S, SIZE_MAX), -1);
}

static void sweep_pledger_stats_amount_active(void)
{
    ck_assert_int_eq(pledger_stats_amount_active(NULL, 0), -1);
    ck_assert_int_eq(pledger_stats_amount_active(S, SIZE_MAX), -1);
}

/* ---- refreg.h ------------------------------------------------------------------------------ */

static void sweep_pledger_register_import(void)
{
    pledger_import_report *r = (pledger_import_report *)&r;
    pledger_import_options o = PLEDGER_IMPORT_OPTIONS_INIT;
    const char *file = PLEDGER_TEST_DATADIR "/register-small.xml", *s;
    ERR(R, pledger_register_import(NULL, R, file, NULL));
    ERR(NULL, pledger_register_import(&r, NULL, file, NULL));
    EACH_BAD(s) {
        ERR(R, pledger_register_import(&r, R, s, NULL));
        ck_assert_ptr_null(r);
    }
    ERR(R, pledger_register_import(&r, R, dir, NULL)); /* a directory */
    ERR(R, pledger_register_import(&r, R, "/dev/null", NULL));
    o.version = 99;
    ERR(R, pledger_register_import(&r, R, file, &o));
    ERR(RO, pledger_register_import(&r, RO, file, NULL));
    as(R, PLEDGER_ROLE_CLERK);
    ERR(R, pledger_register_import(&r, R, file, NULL));
}

static void sweep_pledger_register_import_memory(void)
{
    pledger_import_report *r = (pledger_import_report *)&r;
    pledger_import_options o = PLEDGER_IMPORT_OPTIONS_INIT;
    static const char ok[] = "<register xmlns=\"urn:pledger:1\"/>";
    ERR(R, pledger_register_import_memory(NULL, R, ok, sizeof ok - 1, NULL));
    ERR(NULL, pledger_register_import_memory(&r, NULL, ok, sizeof ok - 1, NULL));
    ERR(R, pledger_register_import_memory(&r, R, NULL, 5, NULL));
    ERR(R, pledger_register_import_memory(&r, R, "", 0, NULL));
    ERR(R, pledger_register_import_memory(&r, R, big, MB, NULL));
    ERR(R, pledger_register_import_memory(&r, R, big_utf8, strlen(big_utf8), NULL));
    ERR(R, pledger_register_import_memory(&r, R, bad_utf8, sizeof bad_utf8 - 1, NULL));
    ERR(R, pledger_register_import_memory(&r, R, ok, sizeof ok - 5, NULL)); /* truncated */
    ck_assert_ptr_null(r);
    o.version = 0;
    ERR(R, pledger_register_import_memory(&r, R, ok, sizeof ok - 1, &o));
    ERR(RO, pledger_register_import_memory(&r, RO, ok, sizeof ok - 1, NULL));
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_register_import_memory(&r, R, ok, sizeof ok - 1, NULL));
}

#define REPORT_GETTER(name)                                                               \
    static void sweep_pledger_import_report_##name(void)                                 \
    {                                                                                    \
        NIL(pledger_import_report_##name(NULL));                                         \
        (void)pledger_import_report_##name(REP);                                         \
    }
REPORT_GETTER(inserted)
REPORT_GETTER(updated)
REPORT_GETTER(unchanged)
REPORT_GETTER(rejected)
REPORT_GETTER(rejection_count)
REPORT_GETTER(sha256)

static void sweep_pledger_import_report_rejection_line(void)
{
    NIL(pledger_import_report_rejection_line(NULL, 0));
    NIL(pledger_import_report_rejection_line(REP, SIZE_MAX));
    NIL(pledger_import_report_rejection_line(REP, pledger_import_report_rejection_count(REP)));
}

static void sweep_pledger_import_report_rejection_message(void)
{
    NIL(pledger_import_report_rejection_message(NULL, 0));
    NIL(pledger_import_report_rejection_message(REP, SIZE_MAX));
    /* the messages of a bad file are UTF-8 too */
    for (size_t i = 0; i < pledger_import_report_rejection_count(REP); i++) {
        const char *m = pledger_import_report_rejection_message(REP, i);
        ck_assert(m && *m && pl_utf8_valid(m, strlen(m)));
    }
}

static void sweep_pledger_import_report_free(void)
{
    pledger_import_report_free(NULL);
}

/* ---- the table ----------------------------------------------------------------------------- */

typedef struct entry {
    const char *name;
    void (*sweep)(void);
} entry;


/* ---- log.h --------------------------------------------------------------------------------- */

static const char sweep_note[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKv"
    "qfqdngotpRZb6KE6RyyBwJnAM=\n";
static const char sweep_vkey[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

static pledger_keyring *sweep_ring(void)
{
    pledger_keyring *kr = NULL;
    PL_OK(NULL, pledger_keyring_new(&kr));
    PL_OK(NULL, pledger_keyring_add_vkey(kr, sweep_vkey));
    return kr;
}

static void sweep_pledger_keyring_new(void)
{
    pledger_keyring *kr = NULL;
    ERR(NULL, pledger_keyring_new(NULL));
    PL_OK(NULL, pledger_keyring_new(&kr));
    ck_assert_uint_eq(pledger_keyring_count(kr), 0);
    pledger_keyring_free(kr);
}

static void sweep_pledger_keyring_add_pem_file(void)
{
    pledger_keyring *kr = sweep_ring();
    const char *s;
    ERR(NULL, pledger_keyring_add_pem_file(NULL, "a", "/etc/hostname"));
    EACH_BAD(s)
        ERR(NULL, pledger_keyring_add_pem_file(kr, s, "/etc/hostname"));
    EACH_BAD(s)
        ERR(NULL, pledger_keyring_add_pem_file(kr, "a", s));
    ERR(NULL, pledger_keyring_add_pem_file(kr, "a", "/nonexistent/key.pem"));
    ERR(NULL, pledger_keyring_add_pem_file(kr, "a", "/etc"));
    ERR(NULL, pledger_keyring_add_pem_file(kr, "a", path));   /* not PEM */
    ck_assert_uint_eq(pledger_keyring_count(kr), 1);
    pledger_keyring_free(kr);
}

static void sweep_pledger_keyring_add_pem(void)
{
    pledger_keyring *kr = sweep_ring();
    const char *s;
    ERR(NULL, pledger_keyring_add_pem(NULL, "a", "x", 1));
    ERR(NULL, pledger_keyring_add_pem(kr, "a", NULL, 1));
    EACH_BAD(s)
        ERR(NULL, pledger_keyring_add_pem(kr, s, "x", 1));
    ERR(NULL, pledger_keyring_add_pem(kr, "a", big, MB));
    ERR(NULL, pledger_keyring_add_pem(kr, "a", big_utf8, strlen(big_utf8)));
    ERR(NULL, pledger_keyring_add_pem(kr, "a", bad_utf8, sizeof bad_utf8 - 1));
    ERR(NULL, pledger_keyring_add_pem(kr, "a", "", 0));
    pledger_keyring_free(kr);
}

static void sweep_pledger_keyring_add_vkey(void)
{
    pledger_keyring *kr = sweep_ring();
    const char *s;
    ERR(NULL, pledger_keyring_add_vkey(NULL, sweep_vkey));
    EACH_BAD(s)
        ERR(NULL, pledger_keyring_add_vkey(kr, s));
    ERR(NULL, pledger_keyring_add_vkey(kr, "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBf"
                                           "sVkmqq/LDE4izWy10TW"));
    ERR(NULL, pledger_keyring_add_vkey(kr, "a b+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4"
                                           "izWy10TW"));
    ERR(NULL, pledger_keyring_add_vkey(kr, "x+zzzzzzzz+AAAA"));
    PL_OK(NULL, pledger_keyring_add_vkey(kr, sweep_vkey));   /* twice: kept once */
    ck_assert_uint_eq(pledger_keyring_count(kr), 1);
    pledger_keyring_free(kr);
}

static void sweep_pledger_keyring_count(void)
{
    NIL(pledger_keyring_count(NULL));
}

static void sweep_pledger_keyring_vkey(void)
{
    pledger_keyring *kr = sweep_ring();
    NIL(pledger_keyring_vkey(NULL, 0));
    NIL(pledger_keyring_vkey(kr, 1));
    NIL(pledger_keyring_vkey(kr, SIZE_MAX));
    ck_assert_str_eq(pledger_keyring_vkey(kr, 0), sweep_vkey);
    pledger_keyring_free(kr);
}

static void sweep_pledger_keyring_free(void)
{
    pledger_keyring_free(NULL);
}

static void sweep_pledger_log_size(void)
{
    uint64_t n = 0;
    ERR(NULL, pledger_log_size(NULL, &n));
    ERR(R, pledger_log_size(R, NULL));
    PL_OK(RO, pledger_log_size(RO, &n));
    ck_assert_uint_gt(n, 0);
}

static void sweep_pledger_read_begin(void)
{
    uint64_t n = 0, m = 0;
    ERR(NULL, pledger_read_begin(NULL));
    PL_OK(RO, pledger_read_begin(RO));
    ERR(RO, pledger_read_begin(RO));          /* one read at a time */
    PL_OK(RO, pledger_log_size(RO, &n));
    PL_OK(RO, pledger_log_size(RO, &m));
    ck_assert_uint_eq(n, m);
    PL_OK(RO, pledger_read_end(RO));
}

static void sweep_pledger_read_end(void)
{
    ERR(NULL, pledger_read_end(NULL));
    ERR(RO, pledger_read_end(RO));            /* none held */
    PL_OK(R, pledger_read_begin(R));
    PL_OK(R, pledger_read_end(R));
    ERR(R, pledger_read_end(R));
}

static void sweep_pledger_log_root(void)
{
    unsigned char root[32];
    ERR(NULL, pledger_log_root(NULL, 1, root));
    ERR(R, pledger_log_root(R, 1, NULL));
    ERR(R, pledger_log_root(R, UINT64_MAX, root));
    ERR(R, pledger_log_root(R, (uint64_t)INT64_MAX + 1, root));
    PL_OK(RO, pledger_log_root(RO, 0, root));
}

static void sweep_pledger_log_leaf(void)
{
    unsigned char leaf[32];
    ERR(NULL, pledger_log_leaf(NULL, 1, leaf));
    ERR(R, pledger_log_leaf(R, 1, NULL));
    ERR(R, pledger_log_leaf(R, 0, leaf));
    ERR(R, pledger_log_leaf(R, UINT64_MAX, leaf));
    ERR(R, pledger_log_leaf(R, (uint64_t)INT64_MAX, leaf));
    PL_OK(RO, pledger_log_leaf(RO, 1, leaf));
}

static void sweep_pledger_log_prove_inclusion(void)
{
    pledger_proof *p = NULL;
    ERR(NULL, pledger_log_prove_inclusion(&p, NULL, 1, 0));
    ERR(R, pledger_log_prove_inclusion(NULL, R, 1, 0));
    ERR(R, pledger_log_prove_inclusion(&p, R, 0, 0));
    ERR(R, pledger_log_prove_inclusion(&p, R, UINT64_MAX, 0));
    ERR(R, pledger_log_prove_inclusion(&p, R, 1, UINT64_MAX));
    ck_assert_ptr_null(p);
    PL_OK(RO, pledger_log_prove_inclusion(&p, RO, 1, 0));
    pledger_proof_free(p);
}

static void sweep_pledger_log_prove_consistency(void)
{
    pledger_proof *p = NULL;
    ERR(NULL, pledger_log_prove_consistency(&p, NULL, 1, 0));
    ERR(R, pledger_log_prove_consistency(NULL, R, 1, 0));
    ERR(R, pledger_log_prove_consistency(&p, R, 0, 0));
    ERR(R, pledger_log_prove_consistency(&p, R, UINT64_MAX, 0));
    ERR(R, pledger_log_prove_consistency(&p, R, 2, 1));
    ERR(R, pledger_log_prove_consistency(&p, R, 1, UINT64_MAX));
    ck_assert_ptr_null(p);
}

static void sweep_pledger_proof_parse(void)
{
    pledger_proof *p = NULL;
    const char *s;
    ERR(NULL, pledger_proof_parse(NULL, ""));
    ERR(NULL, pledger_proof_parse(&p, NULL));
    EACH_BAD(s)
        if (s && *s)
            ERR(NULL, pledger_proof_parse(&p, s));
    ERR(NULL, pledger_proof_parse(&p, "AAAA\n"));
    ck_assert_ptr_null(p);
    PL_OK(NULL, pledger_proof_parse(&p, ""));
    ck_assert_uint_eq(pledger_proof_count(p), 0);
    ck_assert_str_eq(pledger_proof_text(p), "");
    pledger_proof_free(p);
}

static void sweep_pledger_proof_count(void) { NIL(pledger_proof_count(NULL)); }
static void sweep_pledger_proof_hash(void)
{
    pledger_proof *p = NULL;
    NIL(pledger_proof_hash(NULL, 0));
    PL_OK(NULL, pledger_proof_parse(&p, ""));
    NIL(pledger_proof_hash(p, 0));
    NIL(pledger_proof_hash(p, SIZE_MAX));
    pledger_proof_free(p);
}
static void sweep_pledger_proof_text(void) { NIL(pledger_proof_text(NULL)); }
static void sweep_pledger_proof_tree_size(void)
{
    pledger_proof *p = NULL;
    ck_assert_uint_eq(pledger_proof_tree_size(NULL), 0);
    PL_OK(NULL, pledger_proof_parse(&p, ""));
    ck_assert_uint_eq(pledger_proof_tree_size(p), 0);   /* the text does not say */
    pledger_proof_free(p);
}
static void sweep_pledger_proof_free(void) { pledger_proof_free(NULL); }

static void sweep_pledger_log_verify_inclusion(void)
{
    unsigned char h[32] = { 0 };
    pledger_proof *p = NULL;
    PL_OK(NULL, pledger_proof_parse(&p, ""));
    ERR(NULL, pledger_log_verify_inclusion(1, 1, NULL, p, h));
    ERR(NULL, pledger_log_verify_inclusion(1, 1, h, NULL, h));
    ERR(NULL, pledger_log_verify_inclusion(1, 1, h, p, NULL));
    ERR(NULL, pledger_log_verify_inclusion(0, 0, h, p, h));
    ERR(NULL, pledger_log_verify_inclusion(UINT64_MAX, UINT64_MAX, h, p, h));
    ERR(NULL, pledger_log_verify_inclusion(2, 1, h, p, h));
    PL_OK(NULL, pledger_log_verify_inclusion(1, 1, h, p, h));
    pledger_proof_free(p);
}

static void sweep_pledger_log_verify_consistency(void)
{
    unsigned char h[32] = { 0 }, g[32] = { 1 };
    pledger_proof *p = NULL;
    PL_OK(NULL, pledger_proof_parse(&p, ""));
    ERR(NULL, pledger_log_verify_consistency(1, 2, NULL, h, p));
    ERR(NULL, pledger_log_verify_consistency(1, 2, h, NULL, p));
    ERR(NULL, pledger_log_verify_consistency(1, 2, h, h, NULL));
    ERR(NULL, pledger_log_verify_consistency(2, 1, h, h, p));
    ERR(NULL, pledger_log_verify_consistency(1, 1, h, g, p));
    ERR(NULL, pledger_log_verify_consistency(UINT64_MAX - 1, UINT64_MAX, h, g, p));
    pledger_proof_free(p);
}

static void sweep_pledger_log_origin(void)
{
    NIL(pledger_log_origin(NULL));
    ck_assert_str_eq(pledger_log_origin(R), "pledger/FZ01");
}

static void sweep_pledger_set_log_origin(void)
{
    const char *s;
    ERR(NULL, pledger_set_log_origin(NULL, "x"));
    EACH_BAD(s)
        ERR(R, pledger_set_log_origin(R, s));
    ERR(R, pledger_set_log_origin(R, "two\nlines"));
    ERR(R, pledger_set_log_origin(R, "tab\there"));
    ERR(RO, pledger_set_log_origin(RO, "registry.example.cn/FZ01"));
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_set_log_origin(R, "registry.example.cn/FZ01"));
    ck_assert_str_eq(pledger_log_origin(R), "pledger/FZ01");
}

static void sweep_pledger_checkpoint_sign(void)
{
    char *note = NULL;
    pledger_keyring *pub = sweep_ring(), *empty = NULL;
    PL_OK(NULL, pledger_keyring_new(&empty));
    ERR(NULL, pledger_checkpoint_sign(&note, NULL, pub));
    ERR(R, pledger_checkpoint_sign(NULL, R, pub));
    ERR(R, pledger_checkpoint_sign(&note, R, NULL));
    ERR(R, pledger_checkpoint_sign(&note, R, empty));
    ERR(R, pledger_checkpoint_sign(&note, R, pub));      /* a public key cannot sign */
    ERR(RO, pledger_checkpoint_sign(&note, RO, pub));
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_checkpoint_sign(&note, R, pub));
    ck_assert_ptr_null(note);
    pledger_keyring_free(pub);
    pledger_keyring_free(empty);
}

static void sweep_pledger_checkpoint_latest(void)
{
    char *note = (char *)&note;
    ERR(NULL, pledger_checkpoint_latest(&note, NULL));
    ERR(R, pledger_checkpoint_latest(NULL, R));
    PL_OK(RO, pledger_checkpoint_latest(&note, RO));
    ck_assert_ptr_null(note);   /* none signed */
}

static void sweep_pledger_checkpoint_open(void)
{
    pledger_checkpoint *c = NULL;
    pledger_keyring *kr = sweep_ring();
    ERR(NULL, pledger_checkpoint_open(NULL, sweep_note, sizeof sweep_note - 1, kr));
    ERR(NULL, pledger_checkpoint_open(&c, NULL, 5, kr));
    ERR(NULL, pledger_checkpoint_open(&c, sweep_note, sizeof sweep_note - 1, NULL));
    ERR(NULL, pledger_checkpoint_open(&c, big, MB, kr));
    ERR(NULL, pledger_checkpoint_open(&c, big_utf8, strlen(big_utf8), kr));
    ERR(NULL, pledger_checkpoint_open(&c, bad_utf8, sizeof bad_utf8 - 1, kr));
    ERR(NULL, pledger_checkpoint_open(&c, "", 0, kr));
    /* a well signed note that is no checkpoint */
    ERR(NULL, pledger_checkpoint_open(&c, sweep_note, sizeof sweep_note - 1, kr));
    ck_assert_ptr_null(c);
    pledger_keyring_free(kr);
}

#define CHECKPOINT_GETTER(name)                                                           \
    static void sweep_pledger_checkpoint_##name(void) { NIL(pledger_checkpoint_##name(NULL)); }
CHECKPOINT_GETTER(origin)
CHECKPOINT_GETTER(size)
CHECKPOINT_GETTER(root)
CHECKPOINT_GETTER(signer_count)
static void sweep_pledger_checkpoint_signer(void) { NIL(pledger_checkpoint_signer(NULL, 0)); }
static void sweep_pledger_checkpoint_free(void) { pledger_checkpoint_free(NULL); }

static void sweep_pledger_log_check(void)
{
    ERR(NULL, pledger_log_check(NULL, NULL));
    ERR(R, pledger_log_check(R, NULL));
}

/* ---- evidence.h ---------------------------------------------------------------------------- */

static void sweep_pledger_xmlsig_available(void)
{
    ck_assert_int_eq(pledger_xmlsig_available(), PL_TEST_XMLSIG);   /* as configured */
}

/* A keyring with a fresh ECDSA P-256 private key (a certificate key). */
static pledger_keyring *sweep_cert_ring(void)
{
    pledger_keyring *kr = NULL;
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    BIO *b = BIO_new(BIO_s_mem());
    char *pem = NULL;
    ck_assert(k && b && PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL) == 1);
    long n = BIO_get_mem_data(b, &pem);
    PL_OK(NULL, pledger_keyring_new(&kr));
    PL_OK(NULL, pledger_keyring_add_pem(kr, "office", pem, (size_t)n));
    BIO_free(b);
    EVP_PKEY_free(k);
    return kr;
}

static void sweep_pledger_certificate_sign(void)
{
    char *xml = NULL;
    size_t len = 0;
    const char *s;
    pledger_keyring *cert = sweep_cert_ring(), *pub = sweep_ring();
    as(R, PLEDGER_ROLE_REGISTRAR);
    ERR(NULL, pledger_certificate_sign(&xml, &len, NULL, tm_num, 0, cert));
    ERR(R, pledger_certificate_sign(NULL, &len, R, tm_num, 0, cert));
    ERR(R, pledger_certificate_sign(&xml, &len, R, tm_num, 0, NULL));
    ERR(R, pledger_certificate_sign(&xml, &len, R, tm_num, 0, pub)); /* no certificate key */
    ERR(R, pledger_certificate_sign(&xml, &len, R, tm_num, -1, cert));
    ERR(R, pledger_certificate_sign(&xml, &len, R, tm_num, INT_MAX, cert));
    EACH_NUMBER(s)
        ERR(R, pledger_certificate_sign(&xml, &len, R, s, 0, cert));
    /* no checkpoint key and none stored that covers it, or one is stored:
     * either way an answer, never a crash */
    ANY(R, pledger_certificate_sign(&xml, &len, R, tm_num, 0, cert));
    pledger_free(xml);
    xml = NULL;
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_certificate_sign(&xml, &len, R, tm_num, 0, cert));
    as(RO, PLEDGER_ROLE_AUDITOR);
    ERR(RO, pledger_certificate_sign(&xml, &len, RO, tm_num, 0, cert));
    ck_assert_ptr_null(xml);
    pledger_keyring_free(cert);
    pledger_keyring_free(pub);
}

/* ---- report.h ---------------------------------------------------------------------------- */

static void sweep_pledger_report_kind_name(void)
{
    int v;
    EACH_ENUM(v)
        if (v != PLEDGER_REPORT_SEARCH && v != PLEDGER_REPORT_VERIFICATION)
            NIL(pledger_report_kind_name((pledger_report_kind)v));
}

/* A keyring with a fresh Ed25519 private key (a checkpoint key). */
static pledger_keyring *sweep_note_signer(void)
{
    pledger_keyring *kr = NULL;
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    BIO *b = BIO_new(BIO_s_mem());
    char *pem = NULL;
    ck_assert(k && b && PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL) == 1);
    long n = BIO_get_mem_data(b, &pem);
    PL_OK(NULL, pledger_keyring_new(&kr));
    PL_OK(NULL, pledger_keyring_add_pem(kr, "office", pem, (size_t)n));
    BIO_free(b);
    EVP_PKEY_free(k);
    return kr;
}

static void sweep_pledger_report_issue(void)
{
    char *notes[2] = { NULL, NULL };
    const char *s;
    pledger_keyring *kr = sweep_note_signer(), *pub = sweep_ring();
    pledger_report_request r[2] = { PLEDGER_REPORT_REQUEST_INIT, PLEDGER_REPORT_REQUEST_INIT };
    r[0].query = r[1].query = "right=x";
    as(R, PLEDGER_ROLE_BANK);
    ERR(NULL, pledger_report_issue(notes, NULL, NULL, r, 1, kr));
    ERR(R, pledger_report_issue(NULL, NULL, R, r, 1, kr));
    ERR(R, pledger_report_issue(notes, NULL, R, NULL, 1, kr));
    ERR(R, pledger_report_issue(notes, NULL, R, r, 0, kr));
    ERR(R, pledger_report_issue(notes, NULL, R, r, SIZE_MAX, kr));
    ERR(R, pledger_report_issue(notes, NULL, R, r, 1, NULL));
    ERR(R, pledger_report_issue(notes, NULL, R, r, 1, pub));
    EACH_BAD(s) {
        r[1].query = s;
        ERR(R, pledger_report_issue(notes, NULL, R, r, 2, kr));
        r[1].query = "right=x";
        r[1].actor = s;
        if (s) /* NULL: the registry's actor */
            ERR(R, pledger_report_issue(notes, NULL, R, r, 2, kr));
        r[1].actor = NULL;
        r[1].numbers = &s;
        r[1].number_count = 1;
        ERR(R, pledger_report_issue(notes, NULL, R, r, 2, kr));
        r[1].parties = &s;
        r[1].party_count = 1;
        r[1].number_count = 0;
        ERR(R, pledger_report_issue(notes, NULL, R, r, 2, kr));
        r[1].party_count = 0;
    }
    int v;
    EACH_ENUM(v) {
        r[1].kind = (pledger_report_kind)v;
        ERR(R, pledger_report_issue(notes, NULL, R, r, 2, kr));
        r[1].kind = PLEDGER_REPORT_SEARCH;
        r[1].role = (pledger_role)v;
        if (v < 0 || v > PLEDGER_ROLE_AUDITOR || (v != 0 && v != PLEDGER_ROLE_BANK))
            ERR(R, pledger_report_issue(notes, NULL, R, r, 2, kr));
        r[1].role = 0;
    }
    r[1].version = UINT_MAX;
    ERR(R, pledger_report_issue(notes, NULL, R, r, 2, kr));
    r[1].version = PLEDGER_REPORT_REQUEST_VERSION;
    r[1].log_size = UINT64_MAX;
    ERR(R, pledger_report_issue(notes, NULL, R, r, 2, kr));
    r[1].log_size = 0;
    r[1].number_count = SIZE_MAX;
    ERR(R, pledger_report_issue(notes, NULL, R, r, 2, kr));
    r[1].number_count = 0;
    r[1].asked_count = SIZE_MAX;
    ERR(R, pledger_report_issue(notes, NULL, R, r, 2, kr));
    r[1].asked_count = 101;
    ERR(R, pledger_report_issue(notes, NULL, R, r, 2, kr));
    r[1].asked_count = 1;
    ERR(R, pledger_report_issue(notes, NULL, R, r, 2, kr)); /* asked NULL */
    {
        /* a control character (a space is taken: a number as typed) */
        const char *bad_asked[] = { "R\0331" };
        r[1].asked = bad_asked;
        ERR(R, pledger_report_issue(notes, NULL, R, r, 2, kr));
        ck_assert_ptr_nonnull(strstr(pledger_errmsg(R), "requests[1].asked[0]"));
        r[1].asked = NULL;
    }
    r[1].asked_count = 0;
    ERR(RO, pledger_report_issue(notes, NULL, RO, r, 2, kr));
    ck_assert_ptr_null(notes[0]);
    PL_OK(R, pledger_report_issue(notes, NULL, R, r, 2, kr));
    pledger_free(notes[0]);
    pledger_free(notes[1]);
    pledger_keyring_free(kr);
    pledger_keyring_free(pub);
}

/* A group: its arguments, a bad request in it (refused, the group goes
 * on), the handle refusing other calls meanwhile. */
static void sweep_pledger_report_group_begin(void)
{
    pledger_report_group *g = (pledger_report_group *)&g;
    pledger_keyring *kr = sweep_note_signer(), *pub = sweep_ring();
    as(R, PLEDGER_ROLE_BANK);
    ERR(NULL, pledger_report_group_begin(&g, NULL, kr));
    ck_assert_ptr_null(g);
    ERR(R, pledger_report_group_begin(NULL, R, kr));
    ERR(R, pledger_report_group_begin(&g, R, NULL));
    ERR(R, pledger_report_group_begin(&g, R, pub));
    ERR(RO, pledger_report_group_begin(&g, RO, kr));
    ck_assert_ptr_null(g);
    PL_OK(R, pledger_report_group_begin(&g, R, kr));
    ERR(R, pledger_set_actor(R, "sweeper", PLEDGER_ROLE_BANK));
    pledger_report_group_abandon(g);
    pledger_keyring_free(kr);
    pledger_keyring_free(pub);
}

static void sweep_pledger_report_group_add(void)
{
    pledger_report_group *g = NULL;
    pledger_keyring *kr = sweep_note_signer();
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    const char *s;
    uint64_t number = 0;
    as(R, PLEDGER_ROLE_BANK);
    ERR(NULL, pledger_report_group_add(NULL, &r, &number));
    PL_OK(R, pledger_report_group_begin(&g, R, kr));
    ERR(R, pledger_report_group_add(g, NULL, &number));
    EACH_BAD(s) {
        r.query = s;
        ERR(R, pledger_report_group_add(g, &r, &number));
        r.query = "right=x";
        r.numbers = &s;
        r.number_count = 1;
        ERR(R, pledger_report_group_add(g, &r, &number));
        r.number_count = 0;
    }
    r.version = UINT_MAX;
    ERR(R, pledger_report_group_add(g, &r, &number));
    r.version = PLEDGER_REPORT_REQUEST_VERSION;
    r.log_size = UINT64_MAX;
    ERR(R, pledger_report_group_add(g, &r, &number));
    r.log_size = 0;
    ck_assert_uint_eq(pledger_report_group_count(g), 0);
    PL_OK(R, pledger_report_group_add(g, &r, &number));
    ck_assert_uint_eq(pledger_report_group_count(g), 1);
    char *note = NULL;
    PL_OK(R, pledger_report_group_close(g, &note));
    ck_assert_ptr_nonnull(note);
    pledger_free(note);
    pledger_keyring_free(kr);
}

static void sweep_pledger_report_group_count(void)
{
    NIL(pledger_report_group_count(NULL));
}

static void sweep_pledger_report_group_close(void)
{
    pledger_report_group *g = NULL;
    pledger_keyring *kr = sweep_note_signer();
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.query = "right=x";
    as(R, PLEDGER_ROLE_BANK);
    ERR(NULL, pledger_report_group_close(NULL, NULL));
    PL_OK(R, pledger_report_group_begin(&g, R, kr));
    PL_OK(R, pledger_report_group_add(g, &r, NULL));
    ERR(R, pledger_report_group_close(g, NULL));   /* ends it: nothing kept */
    PL_OK(R, pledger_report_group_begin(&g, R, kr));
    PL_OK(R, pledger_report_group_close(g, NULL)); /* empty */
    pledger_keyring_free(kr);
}

static void sweep_pledger_report_group_abandon(void)
{
    pledger_report_group_abandon(NULL);
}

static void sweep_pledger_report_get(void)
{
    char *note = (char *)&note;
    as(R, PLEDGER_ROLE_AUDITOR);
    ERR(NULL, pledger_report_get(&note, NULL, 1));
    ck_assert_ptr_null(note);
    ERR(R, pledger_report_get(NULL, R, 1));
    ERR(R, pledger_report_get(&note, R, 0));
    ERR(R, pledger_report_get(&note, R, UINT64_MAX));
    as(R, PLEDGER_ROLE_CLERK);
    ERR(R, pledger_report_get(&note, R, 1));
    ck_assert_ptr_null(note);
}

static void sweep_pledger_report_set_autoflush(void)
{
    ERR(NULL, pledger_report_set_autoflush(NULL, 0));
    ERR(R, pledger_report_set_autoflush(R, -1));
    ERR(R, pledger_report_set_autoflush(R, INT_MIN));
    ERR(R, pledger_report_set_autoflush(R, 1000001));
    ERR(R, pledger_report_set_autoflush(R, INT_MAX));
    ERR(RO, pledger_report_set_autoflush(RO, 0));
    PL_OK(R, pledger_report_set_autoflush(R, 0));
    PL_OK(R, pledger_report_set_autoflush(R, 1000000));
    PL_OK(R, pledger_report_set_autoflush(R, 1000));
}

static void sweep_pledger_report_set_autosync(void)
{
    ERR(NULL, pledger_report_set_autosync(NULL, 0));
    ERR(R, pledger_report_set_autosync(R, -1));
    ERR(R, pledger_report_set_autosync(R, 2));
    ERR(R, pledger_report_set_autosync(R, INT_MIN));
    ERR(R, pledger_report_set_autosync(R, INT_MAX));
    ERR(RO, pledger_report_set_autosync(RO, 0));
    PL_OK(R, pledger_report_set_autosync(R, 0));
    PL_OK(R, pledger_report_set_autosync(R, 1));
}

static void sweep_pledger_report_sync(void)
{
    ERR(NULL, pledger_report_sync(NULL));
    PL_OK(R, pledger_read_begin(R));
    ERR(R, pledger_report_sync(R));
    PL_OK(R, pledger_read_end(R));
    PL_OK(R, pledger_report_sync(R));
    PL_OK(RO, pledger_report_sync(RO));
}

static void sweep_pledger_report_verify(void)
{
    uint64_t bad = 7, count = 7;
    pledger_keyring *empty = NULL;
    PL_OK(NULL, pledger_keyring_new(&empty));
    ERR(NULL, pledger_report_verify(&bad, &count, NULL, NULL));
    ck_assert_uint_eq(bad, 0);
    ERR(R, pledger_report_verify(NULL, &count, R, NULL));
    as(R, PLEDGER_ROLE_AUDITOR);
    ERR(R, pledger_report_verify(&bad, &count, R, empty));
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_report_verify(&bad, &count, R, NULL));
    as(R, PLEDGER_ROLE_CLERK);
    ERR(R, pledger_report_verify(&bad, &count, R, NULL));
    as(R, PLEDGER_ROLE_AUDITOR);
    PL_OK(R, pledger_report_verify(&bad, NULL, R, NULL));
    PL_OK(R, pledger_report_verify(&bad, &count, R, NULL));
    ck_assert_uint_eq(bad, 0);
    as(RO, PLEDGER_ROLE_AUDITOR);
    PL_OK(RO, pledger_report_verify(&bad, &count, RO, NULL));
    ck_assert_uint_eq(bad, 0);
    pledger_keyring_free(empty);
}

static void sweep_pledger_report_flush(void)
{
    uint64_t left = 7;
    ERR(NULL, pledger_report_flush(NULL, &left));
    ERR(RO, pledger_report_flush(RO, &left));
    ck_assert_uint_eq(left, 0);
    PL_OK(R, pledger_read_begin(R));
    ERR(R, pledger_report_flush(R, &left));
    PL_OK(R, pledger_read_end(R));
    PL_OK(R, pledger_report_flush(R, NULL));
    PL_OK(R, pledger_report_flush(R, &left));
}

static void sweep_pledger_report_find(void)
{
    pledger_report_list *l = (pledger_report_list *)&l;
    pledger_report_filter f = PLEDGER_REPORT_FILTER_INIT;
    const char *s;
    as(R, PLEDGER_ROLE_AUDITOR);
    ERR(NULL, pledger_report_find(&l, NULL, &f));
    ck_assert_ptr_null(l);
    ERR(R, pledger_report_find(NULL, R, &f));
    ERR(R, pledger_report_find(&l, R, NULL));
    EACH_BAD(s) {
        if (!s)
            continue;
        f.party = s;
        ERR(R, pledger_report_find(&l, R, &f));
        f.party = NULL;
        f.actor = s;
        ERR(R, pledger_report_find(&l, R, &f));
        f.actor = NULL;
    }
    static const int limits[] = { 0, -1, 10001, INT_MAX, INT_MIN };
    for (size_t i = 0; i < 5; i++) {
        f.limit = limits[i];
        ERR(R, pledger_report_find(&l, R, &f));
    }
    f.limit = 10;
    f.from = INT64_MAX;
    f.to = 0;
    ERR(R, pledger_report_find(&l, R, &f));
    f.from = f.to = PLEDGER_AS_OF_CURRENT;
    f.version = 0;
    ERR(R, pledger_report_find(&l, R, &f));
    f.version = PLEDGER_REPORT_FILTER_VERSION;
    f.after = UINT64_MAX;
    PL_OK(R, pledger_report_find(&l, R, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 0);
    pledger_report_list_free(l);
    as(R, PLEDGER_ROLE_APPLICANT);
    ERR(R, pledger_report_find(&l, R, &f));
}

#define REPORT_LIST_GETTER(name)                                                          \
    static void sweep_pledger_report_list_##name(void)                                    \
    {                                                                                     \
        NIL(pledger_report_list_##name(NULL, 0));                                         \
        NIL(pledger_report_list_##name(NULL, SIZE_MAX));                                  \
    }
REPORT_LIST_GETTER(number)
REPORT_LIST_GETTER(issued_at)
REPORT_LIST_GETTER(actor)
REPORT_LIST_GETTER(role)
REPORT_LIST_GETTER(kind)
REPORT_LIST_GETTER(query)
REPORT_LIST_GETTER(result_count)
REPORT_LIST_GETTER(log_size)
static void sweep_pledger_report_list_count(void) { NIL(pledger_report_list_count(NULL)); }
static void sweep_pledger_report_list_free(void) { pledger_report_list_free(NULL); }

static void sweep_pledger_report_open(void)
{
    pledger_report *r = NULL;
    pledger_keyring *kr = sweep_ring();
    ERR(NULL, pledger_report_open(NULL, sweep_note, sizeof sweep_note - 1, kr));
    ERR(NULL, pledger_report_open(&r, NULL, 5, kr));
    ERR(NULL, pledger_report_open(&r, sweep_note, sizeof sweep_note - 1, NULL));
    ERR(NULL, pledger_report_open(&r, big, MB, kr));
    ERR(NULL, pledger_report_open(&r, big_utf8, strlen(big_utf8), kr));
    ERR(NULL, pledger_report_open(&r, bad_utf8, sizeof bad_utf8 - 1, kr));
    ERR(NULL, pledger_report_open(&r, "", 0, kr));
    /* a well signed note that is no report */
    ERR(NULL, pledger_report_open(&r, sweep_note, sizeof sweep_note - 1, kr));
    ck_assert_ptr_null(r);
    pledger_keyring_free(kr);
}

#define SREPORT_GETTER(name)                                                              \
    static void sweep_pledger_report_##name(void) { NIL(pledger_report_##name(NULL)); }
SREPORT_GETTER(origin)
SREPORT_GETTER(number)
SREPORT_GETTER(issued_at)
SREPORT_GETTER(actor)
SREPORT_GETTER(role)
SREPORT_GETTER(kind_of)
SREPORT_GETTER(query)
SREPORT_GETTER(log_size)
SREPORT_GETTER(log_root)
SREPORT_GETTER(result_count)
SREPORT_GETTER(signer_count)
SREPORT_GETTER(party_count)
SREPORT_GETTER(asked_count)
static void sweep_pledger_report_result(void) { NIL(pledger_report_result(NULL, 0)); }
static void sweep_pledger_report_party(void) { NIL(pledger_report_party(NULL, 0)); }
static void sweep_pledger_report_asked(void) { NIL(pledger_report_asked(NULL, 0)); }
static void sweep_pledger_report_signer(void) { NIL(pledger_report_signer(NULL, 0)); }
static void sweep_pledger_report_free(void) { pledger_report_free(NULL); }

/* ---- exchange.h -------------------------------------------------------------------------- */

static void sweep_pledger_set_site(void)
{
    const char *s;
    ERR(NULL, pledger_set_site(NULL, PLEDGER_SITE_OFFICE, NULL));
    as(R, PLEDGER_ROLE_REGISTRAR);
    ERR(R, pledger_set_site(R, (pledger_site)0, NULL));
    ERR(R, pledger_set_site(R, (pledger_site)INT_MAX, NULL));
    ERR(R, pledger_set_site(R, PLEDGER_SITE_OFFICE, "BJ00"));
    EACH_BAD(s)
        ERR(R, pledger_set_site(R, PLEDGER_SITE_ACCEPTANCE_POINT, s));
    ERR(R, pledger_set_site(R, PLEDGER_SITE_ACCEPTANCE_POINT, "BJ00")); /* applications exist */
    ERR(RO, pledger_set_site(RO, PLEDGER_SITE_OFFICE, NULL));
    ck_assert_int_eq(pledger_registry_site(R), PLEDGER_SITE_OFFICE);
}

static void sweep_pledger_registry_site(void) { NIL(pledger_registry_site(NULL)); }
static void sweep_pledger_registry_upstream(void)
{
    NIL(pledger_registry_upstream(NULL));
    NIL(pledger_registry_upstream(R));
}
static void sweep_pledger_site_name(void)
{
    int v;
    EACH_ENUM(v)
        if (v != PLEDGER_SITE_OFFICE && v != PLEDGER_SITE_ACCEPTANCE_POINT)
            NIL(pledger_site_name((pledger_site)v));
}

static void sweep_pledger_exchange_export(void)
{
    char *xml = (char *)&xml;
    size_t len = 1;
    const char *s;
    pledger_keyring *cert = sweep_cert_ring(), *pub = sweep_ring();
    as(R, PLEDGER_ROLE_CLERK);
    ERR(NULL, pledger_exchange_export(&xml, &len, NULL, "BJ00", cert));
    ck_assert_ptr_null(xml);
    ERR(R, pledger_exchange_export(NULL, &len, R, "BJ00", cert));
    EACH_BAD(s)
        ERR(R, pledger_exchange_export(&xml, &len, R, s, cert));
    ERR(R, pledger_exchange_export(&xml, &len, R, "BJ00", NULL));
    ERR(R, pledger_exchange_export(&xml, &len, R, "BJ00", pub));
    ERR(R, pledger_exchange_export(&xml, &len, R, "FZ01", cert)); /* itself */
    ERR(R, pledger_exchange_export(&xml, &len, R, "BJ00", cert)); /* nothing pending */
    ERR(RO, pledger_exchange_export(&xml, &len, RO, "BJ00", cert));
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_exchange_export(&xml, &len, R, "BJ00", cert));
    ck_assert_ptr_null(xml);
    ck_assert_uint_eq(len, 0);
    pledger_keyring_free(cert);
    pledger_keyring_free(pub);
}

static void sweep_pledger_exchange_import(void)
{
    char *r = (char *)&r;
    size_t len = 1;
    const char *s;
    pledger_keyring *cert = sweep_cert_ring(), *pub = sweep_ring();
    as(R, PLEDGER_ROLE_CLERK);
    ERR(NULL, pledger_exchange_import(&r, &len, NULL, "<batch/>", 8, cert, cert));
    ck_assert_ptr_null(r);
    ERR(R, pledger_exchange_import(NULL, &len, R, "<batch/>", 8, cert, cert));
    ERR(R, pledger_exchange_import(&r, &len, R, NULL, 8, cert, cert));
    ERR(R, pledger_exchange_import(&r, &len, R, "<batch/>", 8, NULL, cert));
    ERR(R, pledger_exchange_import(&r, &len, R, "<batch/>", 8, pub, cert));
    EACH_BAD(s)
        if (s)
            ERR(R, pledger_exchange_import(&r, &len, R, s, strlen(s), cert, cert));
    ERR(R, pledger_exchange_import(&r, &len, R, big, MB, cert, cert));
    ERR(R, pledger_exchange_import(&r, &len, R, "<batch/>", SIZE_MAX, cert, cert));
    ERR(R, pledger_exchange_import(&r, &len, R, bad_utf8, sizeof bad_utf8 - 1, cert, cert));
    ERR(RO, pledger_exchange_import(&r, &len, RO, "<batch/>", 8, cert, cert));
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_exchange_import(&r, &len, R, "<batch/>", 8, cert, cert));
    ck_assert_ptr_null(r);
    ck_assert_uint_eq(len, 0);
    pledger_keyring_free(cert);
    pledger_keyring_free(pub);
}

static void sweep_pledger_exchange_status(void)
{
    pledger_exchange_line *l = (pledger_exchange_line *)&l;
    size_t n = 1;
    ERR(NULL, pledger_exchange_status(&l, &n, NULL));
    ERR(R, pledger_exchange_status(NULL, &n, R));
    ERR(R, pledger_exchange_status(&l, NULL, R));
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_exchange_status(&l, &n, R));
    ck_assert_ptr_null(l);
    /* the refusal names what was asked for (it said "the due list") */
    ck_assert_msg(strstr(pledger_errmsg(R), "the data line's batches") &&
                  !strstr(pledger_errmsg(R), "due list"), "%s", pledger_errmsg(R));
    as(R, PLEDGER_ROLE_CLERK);
    PL_OK(R, pledger_exchange_status(&l, &n, R));
    ck_assert_uint_eq(n, 0);
    pledger_free(l);
}

static void sweep_pledger_application_certificate(void)
{
    char *x = (char *)&x;
    const char *s;
    as(R, PLEDGER_ROLE_CLERK);
    ERR(NULL, pledger_application_certificate(&x, NULL, acc_uuid));
    ck_assert_ptr_null(x);
    ERR(R, pledger_application_certificate(NULL, R, acc_uuid));
    EACH_UUID(s)
        ERR(R, pledger_application_certificate(&x, R, s));
    ERR(R, pledger_application_certificate(&x, R, acc_uuid)); /* not registered */
    as(R, PLEDGER_ROLE_BANK);
    ERR(R, pledger_application_certificate(&x, R, acc_uuid));
    ck_assert_ptr_null(x);
}

static void sweep_pledger_certificate_verify(void)
{
    pledger_certificate_check *c = NULL;
    pledger_keyring *kr = sweep_ring();
    ERR(NULL, pledger_certificate_verify(NULL, "x", 1, kr));
    ERR(NULL, pledger_certificate_verify(&c, NULL, 1, kr));
    ERR(NULL, pledger_certificate_verify(&c, "x", 1, NULL));
    ERR(NULL, pledger_certificate_verify(&c, big, MB, kr));
    ERR(NULL, pledger_certificate_verify(&c, big_utf8, strlen(big_utf8), kr));
    ERR(NULL, pledger_certificate_verify(&c, bad_utf8, sizeof bad_utf8 - 1, kr));
    ERR(NULL, pledger_certificate_verify(&c, "", 0, kr));
    ERR(NULL, pledger_certificate_verify(&c, sweep_note, sizeof sweep_note - 1, kr));
    ck_assert_ptr_null(c);
    pledger_keyring_free(kr);
}

#define CERT_CHECK_GETTER(name)                                                           \
    static void sweep_pledger_certificate_check_##name(void)                             \
    {                                                                                    \
        NIL(pledger_certificate_check_##name(NULL));                                     \
    }
CERT_CHECK_GETTER(signer)
CERT_CHECK_GETTER(number)
CERT_CHECK_GETTER(version)
CERT_CHECK_GETTER(code)
CERT_CHECK_GETTER(document)
CERT_CHECK_GETTER(event)
CERT_CHECK_GETTER(log_size)
CERT_CHECK_GETTER(origin)
CERT_CHECK_GETTER(checkpoint)
static void sweep_pledger_certificate_check_free(void) { pledger_certificate_check_free(NULL); }

static void sweep_pledger_verify_statement(void)
{
    char *xml = NULL;
    size_t len = 0;
    const char *s;
    pledger_keyring *cert = sweep_cert_ring(), *pub = sweep_ring();
    pledger_verify_options vo = PLEDGER_VERIFY_OPTIONS_INIT;
    ERR(NULL, pledger_verify_statement(&xml, &len, NULL, tm_num, NULL, cert));
    ERR(R, pledger_verify_statement(NULL, &len, R, tm_num, NULL, cert));
    ERR(R, pledger_verify_statement(&xml, &len, R, tm_num, NULL, NULL));
    ERR(R, pledger_verify_statement(&xml, &len, R, tm_num, NULL, pub));
    EACH_NUMBER(s)
        ERR(R, pledger_verify_statement(&xml, &len, R, s, NULL, cert));
    vo.version = 0;
    ERR(R, pledger_verify_statement(&xml, &len, R, tm_num, &vo, cert));
    vo = (pledger_verify_options)PLEDGER_VERIFY_OPTIONS_INIT;
    vo.code = "AAAA-BBBB-CCCC-DDDD";
    ERR(R, pledger_verify_statement(&xml, &len, R, tm_num, &vo, cert));
    vo.code = bad_utf8;
    ERR(R, pledger_verify_statement(&xml, &len, R, tm_num, &vo, cert));
    vo.code = NULL;
    vo.as_of = INT64_MIN + 1;
    ERR(R, pledger_verify_statement(&xml, &len, R, tm_num, &vo, cert));
    for (int role = PLEDGER_ROLE_APPLICANT; role <= PLEDGER_ROLE_AUDITOR; role++) {
        as(R, (pledger_role)role);
        ANY(R, pledger_verify_statement(&xml, &len, R, tm_num, NULL, cert));
        pledger_free(xml);
        xml = NULL;
    }
    as(RO, PLEDGER_ROLE_BANK);
    ANY(RO, pledger_verify_statement(&xml, &len, RO, tm_num, NULL, cert));
    pledger_free(xml);
    pledger_keyring_free(cert);
    pledger_keyring_free(pub);
}

static void sweep_pledger_statement_verify(void)
{
    pledger_statement_check *c = NULL;
    pledger_keyring *kr = sweep_ring();
    ERR(NULL, pledger_statement_verify(NULL, "x", 1, kr));
    ERR(NULL, pledger_statement_verify(&c, NULL, 1, kr));
    ERR(NULL, pledger_statement_verify(&c, "x", 1, NULL));
    ERR(NULL, pledger_statement_verify(&c, big, MB, kr));
    ERR(NULL, pledger_statement_verify(&c, big_utf8, strlen(big_utf8), kr));
    ERR(NULL, pledger_statement_verify(&c, bad_utf8, sizeof bad_utf8 - 1, kr));
    ERR(NULL, pledger_statement_verify(&c, "", 0, kr));
    ck_assert_ptr_null(c);
    pledger_keyring_free(kr);
}

#define ST_CHECK_GETTER(name)                                                             \
    static void sweep_pledger_statement_check_##name(void)                               \
    {                                                                                    \
        NIL(pledger_statement_check_##name(NULL));                                       \
    }
ST_CHECK_GETTER(signer)
ST_CHECK_GETTER(number)
ST_CHECK_GETTER(state)
ST_CHECK_GETTER(as_of)
ST_CHECK_GETTER(answered_at)
ST_CHECK_GETTER(actor)
ST_CHECK_GETTER(code_status)
ST_CHECK_GETTER(rank)
ST_CHECK_GETTER(document)
ST_CHECK_GETTER(event)
ST_CHECK_GETTER(log_size)
ST_CHECK_GETTER(checkpoint)
static void sweep_pledger_statement_check_free(void) { pledger_statement_check_free(NULL); }

#define E(f) { #f, sweep_##f }

static const entry table[] = {
    /* registry.h */
    E(pledger_open), E(pledger_close), E(pledger_errmsg), E(pledger_errcode),
    E(pledger_set_clock), E(pledger_now), E(pledger_office_code), E(pledger_time_zone), E(pledger_set_time_zone),
    E(pledger_set_language), E(pledger_set_thread_language), E(pledger_translate),
    E(pledger_set_actor), E(pledger_may),
    E(pledger_keyring_new), E(pledger_keyring_add_pem_file), E(pledger_keyring_add_pem),
    E(pledger_keyring_add_vkey), E(pledger_keyring_count), E(pledger_keyring_vkey),
    E(pledger_keyring_free), E(pledger_log_size), E(pledger_read_begin), E(pledger_read_end),
    E(pledger_log_root), E(pledger_log_leaf),
    E(pledger_log_prove_inclusion), E(pledger_log_prove_consistency), E(pledger_proof_parse),
    E(pledger_proof_count), E(pledger_proof_hash), E(pledger_proof_text),
    E(pledger_proof_tree_size), E(pledger_proof_free),
    E(pledger_log_verify_inclusion), E(pledger_log_verify_consistency), E(pledger_log_origin),
    E(pledger_set_log_origin), E(pledger_checkpoint_sign), E(pledger_checkpoint_latest),
    E(pledger_checkpoint_open), E(pledger_checkpoint_origin), E(pledger_checkpoint_size),
    E(pledger_checkpoint_root), E(pledger_checkpoint_signer_count), E(pledger_checkpoint_signer),
    E(pledger_checkpoint_free), E(pledger_log_check),
    /* evidence.h */
    /* report.h */
    E(pledger_report_kind_name), E(pledger_report_issue), E(pledger_report_get),
    E(pledger_report_group_begin), E(pledger_report_group_add), E(pledger_report_group_count),
    E(pledger_report_group_close), E(pledger_report_group_abandon),
    E(pledger_report_find), E(pledger_report_set_autoflush), E(pledger_report_flush),
    E(pledger_report_set_autosync), E(pledger_report_sync), E(pledger_report_verify),
    E(pledger_report_list_count), E(pledger_report_list_number),
    E(pledger_report_list_issued_at), E(pledger_report_list_actor), E(pledger_report_list_role),
    E(pledger_report_list_kind), E(pledger_report_list_query),
    E(pledger_report_list_result_count), E(pledger_report_list_log_size),
    E(pledger_report_list_free), E(pledger_report_open), E(pledger_report_origin),
    E(pledger_report_number), E(pledger_report_issued_at), E(pledger_report_actor),
    E(pledger_report_role), E(pledger_report_kind_of), E(pledger_report_query),
    E(pledger_report_log_size), E(pledger_report_log_root), E(pledger_report_result_count),
    E(pledger_report_result), E(pledger_report_party_count), E(pledger_report_party),
    E(pledger_report_asked_count), E(pledger_report_asked),
    E(pledger_report_signer_count), E(pledger_report_signer),
    E(pledger_report_free),
    E(pledger_set_site), E(pledger_registry_site), E(pledger_registry_upstream),
    E(pledger_site_name), E(pledger_exchange_export), E(pledger_exchange_import),
    E(pledger_exchange_status), E(pledger_application_certificate),
    E(pledger_xmlsig_available), E(pledger_certificate_sign), E(pledger_certificate_verify),
    E(pledger_certificate_check_signer), E(pledger_certificate_check_number),
    E(pledger_certificate_check_version), E(pledger_certificate_check_code),
    E(pledger_certificate_check_document), E(pledger_certificate_check_event),
    E(pledger_certificate_check_log_size), E(pledger_certificate_check_origin),
    E(pledger_certificate_check_checkpoint), E(pledger_certificate_check_free),
    E(pledger_verify_statement), E(pledger_statement_verify), E(pledger_statement_check_signer),
    E(pledger_statement_check_number), E(pledger_statement_check_state),
    E(pledger_statement_check_as_of), E(pledger_statement_check_answered_at),
    E(pledger_statement_check_actor), E(pledger_statement_check_code_status),
    E(pledger_statement_check_rank), E(pledger_statement_check_document),
    E(pledger_statement_check_event), E(pledger_statement_check_log_size),
    E(pledger_statement_check_checkpoint), E(pledger_statement_check_free),
    E(pledger_actor), E(pledger_set_number_template), E(pledger_role_name),
    E(pledger_role_from_name),
    /* common.h, ident.h */
    E(pledger_strerror), E(pledger_version), E(pledger_id_normalize), E(pledger_id_type_name),
    E(pledger_id_type_from_name),
    /* money.h */
    E(pledger_instant_parse), E(pledger_instant_parse_registry),
    E(pledger_money_parse), E(pledger_money_format),
    /* application.h */
    E(pledger_free), E(pledger_kind_name), E(pledger_kind_from_name), E(pledger_app_state_name),
    E(pledger_pledge_state_name), E(pledger_severity_name), E(pledger_application_new),
    E(pledger_application_from_xml), E(pledger_application_to_xml), E(pledger_application_get),
    E(pledger_application_set), E(pledger_application_count),
    E(pledger_application_add_material), E(pledger_application_kind),
    E(pledger_application_uuid), E(pledger_application_state),
    E(pledger_application_acceptance_number), E(pledger_application_registration_number),
    E(pledger_application_free), E(pledger_application_save), E(pledger_application_load),
    E(pledger_application_review), E(pledger_application_submit), E(pledger_application_accept),
    E(pledger_application_request_correction), E(pledger_application_correct),
    E(pledger_application_register), E(pledger_application_refuse),
    E(pledger_application_withdraw), E(pledger_review_count), E(pledger_review_count_severity),
    E(pledger_review_code), E(pledger_review_severity), E(pledger_review_path),
    E(pledger_review_message), E(pledger_review_basis), E(pledger_review_free),
    E(pledger_file_batch), E(pledger_file_batch_keyed), E(pledger_filing_replayed),
    E(pledger_filings_from_xml), E(pledger_application_array_free),
    E(pledger_application_save_keyed), E(pledger_application_replace),
    E(pledger_application_list), E(pledger_app_list_count), E(pledger_app_list_uuid),
    E(pledger_app_list_kind), E(pledger_app_list_state), E(pledger_app_list_filed_by),
    E(pledger_app_list_saved_at), E(pledger_app_list_updated_at),
    E(pledger_app_list_acceptance_number), E(pledger_app_list_registration_number),
    E(pledger_app_list_pledgor_name), E(pledger_app_list_pledgee_name),
    E(pledger_app_list_free),
    E(pledger_filing_count), E(pledger_filing_blocked),
    E(pledger_filing_item_blocked), E(pledger_filing_uuid), E(pledger_filing_acceptance_number),
    E(pledger_filing_number), E(pledger_filing_modcode), E(pledger_filing_review),
    E(pledger_filing_free),
    /* review.h */
    E(pledger_review_rule_count), E(pledger_review_rule_code), E(pledger_review_rule_severity),
    E(pledger_review_rule_kinds), E(pledger_review_rule_meaning), E(pledger_review_rule_basis),
    E(pledger_review_rule_find), E(pledger_application_check),
    /* pledge.h */
    E(pledger_pledge_get), E(pledger_pledge_get_at), E(pledger_pledge_free),
    E(pledger_pledge_number), E(pledger_pledge_kind), E(pledger_pledge_security),
    E(pledger_pledge_state_of), E(pledger_pledge_version), E(pledger_pledge_registered_at),
    E(pledger_pledge_valid_from), E(pledger_pledge_valid_to), E(pledger_pledge_pledgor_name),
    E(pledger_pledge_pledgor_id), E(pledger_pledge_pledgee_name), E(pledger_pledge_pledgee_id),
    E(pledger_pledge_amount), E(pledger_pledge_currency), E(pledger_pledge_period_start),
    E(pledger_pledge_period_end), E(pledger_pledge_acceptance_number),
    E(pledger_pledge_application_uuid), E(pledger_pledge_right_count),
    E(pledger_pledge_right_id), E(pledger_pledge_to_xml), E(pledger_certificate_get),
    E(pledger_pledge_field), E(pledger_pledge_field_count), E(pledger_pledge_field_path),
    E(pledger_pledge_field_value),
    E(pledger_certificate_load), E(pledger_certificate_free), E(pledger_certificate_number),
    E(pledger_certificate_version), E(pledger_certificate_code), E(pledger_certificate_status_of),
    E(pledger_certificate_issued_at), E(pledger_certificate_superseded_at),
    E(pledger_certificate_xml), E(pledger_verification_pledge), E(pledger_cursor_pledge),
    E(pledger_verification_log_size), E(pledger_cursor_log_size),
    E(pledger_pledge_change), E(pledger_pledge_extend), E(pledger_pledge_cancel),
    E(pledger_pledge_revoke), E(pledger_pledge_object), E(pledger_pledge_record_litigation),
    E(pledger_pledge_dismiss_objection), E(pledger_registry_expire), E(pledger_calendar_load),
    E(pledger_calendar_add_working_days), E(pledger_journal_verify), E(pledger_journal_verify_chain),
    /* query.h */
    E(pledger_verify), E(pledger_verification_free), E(pledger_verification_number),
    E(pledger_verification_kind), E(pledger_verification_security),
    E(pledger_verification_state), E(pledger_verification_version),
    E(pledger_verification_registered_at), E(pledger_verification_valid_from),
    E(pledger_verification_as_of), E(pledger_verification_pledgor_name),
    E(pledger_verification_pledgor_id), E(pledger_verification_pledgee_name),
    E(pledger_verification_pledgee_id), E(pledger_verification_amount),
    E(pledger_verification_currency), E(pledger_verification_period_start),
    E(pledger_verification_period_end), E(pledger_verification_right_count),
    E(pledger_verification_right_id), E(pledger_verification_right_rank),
    E(pledger_verification_rank), E(pledger_verification_code_status),
    E(pledger_verification_code_version), E(pledger_verification_code_superseded_at),
    E(pledger_rank), E(pledger_compare), E(pledger_search), E(pledger_cursor_next),
    E(pledger_cursor_count), E(pledger_cursor_continuation), E(pledger_cursor_free),
    E(pledger_cursor_number), E(pledger_cursor_kind), E(pledger_cursor_state),
    E(pledger_cursor_version), E(pledger_cursor_registered_at), E(pledger_cursor_pledgor_name),
    E(pledger_cursor_pledgor_id), E(pledger_cursor_pledgee_name), E(pledger_cursor_pledgee_id),
    E(pledger_cursor_amount), E(pledger_cursor_currency), E(pledger_cursor_period_start),
    E(pledger_cursor_period_end), E(pledger_cursor_name_match), E(pledger_due_get),
    E(pledger_due_free), E(pledger_due_count), E(pledger_due_today), E(pledger_due_what_of),
    E(pledger_due_subject),
    E(pledger_due_kind), E(pledger_due_date), E(pledger_due_days_left),
    E(pledger_due_what_name), E(pledger_stats_get), E(pledger_stats_free),
    E(pledger_stats_registrations), E(pledger_stats_cancellations), E(pledger_stats_active),
    E(pledger_stats_currency_count), E(pledger_stats_currency),
    E(pledger_stats_amount_registered), E(pledger_stats_amount_active),
    /* refreg.h */
    E(pledger_register_import), E(pledger_register_import_memory),
    E(pledger_import_report_inserted), E(pledger_import_report_updated),
    E(pledger_import_report_unchanged), E(pledger_import_report_rejected),
    E(pledger_import_report_rejection_count), E(pledger_import_report_rejection_line),
    E(pledger_import_report_rejection_message), E(pledger_import_report_sha256),
    E(pledger_import_report_free),
};
#define N_ENTRIES (int)(sizeof table / sizeof table[0])

START_TEST(test_sweep)
{
    /* the report comes from an import, which is a change: made first */
    if (!strncmp(table[_i].name, "pledger_import_report_", 22))
        (void)REP;
    /* a register file refused for its content leaves a trace in the
     * journal (refreg.h): the journal is compared without those events */
    static const char others[] = "SELECT count(*) FROM journal WHERE operation <> "
                                 "'register_import' OR payload ->> '$.refused' IS NULL";
    bool traces = !strncmp(table[_i].name, "pledger_register_import", 23);
    const char *tables = traces ? "application pledge pledge_version certificate sequence"
                                : "application pledge pledge_version certificate sequence "
                                  "journal";
    int64_t events = fx_ck_raw_int(path, others);
    char *before = fx_dump(path, tables);
    table[_i].sweep();
    /* the refusals changed nothing (the entries that may succeed touch
     * nothing stored either) */
    pledger_close(R);
    pledger_close(RO);
    R = RO = NULL;
    char *after = fx_dump(path, tables);
    ck_assert_int_eq(fx_ck_raw_int(path, others), events);
    ck_assert_msg(strcmp(before, after) == 0, "%s changed the registry", table[_i].name);
    free(before);
    free(after);
}
END_TEST

/* Every function of lib/libpledger.map has its entry, and every entry is
 * still exported. */
START_TEST(test_coverage)
{
    const char *root = getenv("PLEDGER_SOURCE_ROOT");
    ck_assert_msg(root && *root, "PLEDGER_SOURCE_ROOT is not set (tests/meson.build sets it)");
    char *map = pl_test_path(root, "lib/libpledger.map");
    char *text = pl_test_slurp(map, NULL);
    char missing[4096] = "";
    int n_mapped = 0, n_missing = 0;
    unsigned char seen[N_ENTRIES] = { 0 };
    char *save = NULL;
    /* the names in the global: part of each node (comments and local: skipped) */
    int in_global = 0;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char name[128];
        while (*line == ' ' || *line == '\t')
            line++;
        if (!strncmp(line, "global:", 7)) {
            in_global = 1;
            continue;
        }
        if (!strncmp(line, "local:", 6) || *line == '}') {
            in_global = 0;
            continue;
        }
        if (!in_global || sscanf(line, "%127[a-z0-9_];", name) != 1 ||
            strncmp(name, "pledger_", 8) != 0)
            continue;
        n_mapped++;
        int found = 0;
        for (int i = 0; i < N_ENTRIES; i++)
            if (!strcmp(table[i].name, name)) {
                found = 1;
                seen[i] = 1;
            }
        if (!found) {
            n_missing++;
            if (strlen(missing) + strlen(name) + 3 < sizeof missing) {
                strcat(missing, " ");
                strcat(missing, name);
            }
        }
    }
    ck_assert_msg(n_mapped > 100, "%s: only %d names read", map, n_mapped);
    ck_assert_msg(n_missing == 0, "%d exported functions have no entry in the sweep table of "
                  "tests/test-api-sweep.c:%s", n_missing, missing);
    for (int i = 0; i < N_ENTRIES; i++)
        ck_assert_msg(seen[i], "%s has a sweep entry but is not in %s", table[i].name, map);
    ck_assert_int_eq(n_mapped, N_ENTRIES);
    free(text);
    free(map);
}
END_TEST

static Suite *sweep_suite(void)
{
    Suite *s = suite_create("api-sweep");
    TCase *tc = tcase_create("coverage");
    tcase_add_test(tc, test_coverage);
    suite_add_tcase(s, tc);
    tc = tcase_create("sweep");
    tcase_add_unchecked_fixture(tc, build_template, drop_template);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_sweep, 0, N_ENTRIES);
    tcase_set_timeout(tc, getenv("PLEDGER_VALGRIND") ? 900 : 60);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(sweep_suite)
