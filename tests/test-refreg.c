/* The reference register: import (counts, idempotence, updates,
 * rejections with their lines, refusal of bad XML leaving the register
 * untouched, progress and cancel, roles) and the lookups of the review.
 *
 * Built twice (tests/meson.build): the unit suite, and with
 * PL_REFREG_SLOW the 'slow' suite, which imports generated registers of
 * 100,000 and 1,000,000 trademarks in child processes and compares their
 * peak memory. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include <openssl/evp.h>

#include "testutil.h"
#include "base/area.h"
#include "base/micro.h"
#include "store/sqlite.h"
#include "api/handle.h"
#include "base/date.h"
#include "base/text.h"
#include "model/xml.h"
#include "refreg/refreg.h"
#include "refreg/valid.h"
#include "store/db.h"

static char *dir;
static int64_t test_now;

static void setup(void)
{
    dir = pl_test_mkdir();
    test_now = INT64_C(1714521600000000); /* 2024-05-01T00:00:00Z */
}

static void teardown(void) { pl_test_rmdir(dir); }

#ifndef PL_REFREG_SLOW
static int64_t test_clock(void *payload) { return *(int64_t *)payload; }

static pledger_registry *open_as(const char *name, pledger_role role)
{
    char *path = pl_test_path(dir, name);
    pledger_registry *reg = NULL;

    PL_OK(NULL, pledger_open(&reg, path, NULL));
    PL_OK(reg, pledger_set_clock(reg, test_clock, &test_now));
    if (role)
        PL_OK(reg, pledger_set_actor(reg, "registrar-1", role));
    free(path);
    return reg;
}

static pledger_registry *open_registrar(void)
{
    return open_as("reg.db", PLEDGER_ROLE_REGISTRAR);
}

static char *data_path(const char *name)
{
    char *p = NULL;
    ck_assert(asprintf(&p, "%s/%s", PLEDGER_TEST_DATADIR, name) > 0);
    return p;
}

static int32_t days(const char *iso)
{
    int32_t d = 0;
    ck_assert_int_eq(pl_date_parse(NULL, iso, &d), 0);
    return d;
}

/* Growable text buffer. */
typedef struct buf {
    char *s;
    size_t n, cap;
} buf;

static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n + 1)
            cap *= 2;
        b->s = realloc(b->s, cap);
        ck_assert_ptr_nonnull(b->s);
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void buf_printf(buf *b, const char *fmt, ...) PL_PRINTF(2, 3);

static void buf_printf(buf *b, const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    ck_assert(n >= 0);
    buf_add(b, s, (size_t)n);
    free(s);
}

/* Every row of every ref_ table, in a stable order, as text. */
static char *dump_ref(pledger_registry *reg)
{
    sqlite3 *h = pl_db_handle(reg->db);
    sqlite3_stmt *tables = NULL;
    buf b = { 0 };

    ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name LIKE 'ref!_%' ESCAPE '!' ORDER BY name",
                                        -1, &tables, NULL),
                     SQLITE_OK);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(tables, 0);
        sqlite3_stmt *st = NULL;
        char *sql = NULL;
        int ncol;

        ck_assert(asprintf(&sql, "SELECT * FROM %s", t) > 0);
        ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
        ncol = sqlite3_column_count(st);
        sqlite3_finalize(st);
        free(sql);
        buf order = { 0 };
        for (int i = 1; i <= ncol; i++)
            buf_printf(&order, "%s%d", i > 1 ? ", " : "", i);
        ck_assert(asprintf(&sql, "SELECT * FROM %s ORDER BY %s", t, order.s) > 0);
        free(order.s);
        ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
        buf_printf(&b, "== %s\n", t);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int i = 0; i < ncol; i++) {
                switch (sqlite3_column_type(st, i)) {
                case SQLITE_NULL: buf_printf(&b, "NULL"); break;
                case SQLITE_INTEGER:
                    buf_printf(&b, "%lld", (long long)sqlite3_column_int64(st, i));
                    break;
                case SQLITE_BLOB: {
                    const unsigned char *p = sqlite3_column_blob(st, i);
                    for (int k = 0; k < sqlite3_column_bytes(st, i); k++)
                        buf_printf(&b, "%02x", p[k]);
                    break;
                }
                default: buf_printf(&b, "'%s'", (const char *)sqlite3_column_text(st, i)); break;
                }
                buf_printf(&b, i + 1 < ncol ? "|" : "\n");
            }
        }
        sqlite3_finalize(st);
        free(sql);
    }
    sqlite3_finalize(tables);
    return b.s ? b.s : strdup("");
}

static int64_t query_int(pledger_registry *reg, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v;
    ck_assert_int_eq(sqlite3_prepare_v2(pl_db_handle(reg->db), sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static char *query_text(pledger_registry *reg, const char *sql)
{
    sqlite3_stmt *st = NULL;
    char *v;
    ck_assert_int_eq(sqlite3_prepare_v2(pl_db_handle(reg->db), sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

static int64_t journal_count(pledger_registry *reg)
{
    return query_int(reg, "SELECT count(*) FROM journal");
}

static void sha256_hex(const void *data, size_t n, char out[65])
{
    unsigned char md[32];
    unsigned int len = 0;
    ck_assert_int_eq(EVP_Digest(data, n, md, &len, EVP_sha256(), NULL), 1);
    for (int i = 0; i < 32; i++)
        sprintf(out + 2 * i, "%02x", md[i]);
}

static void assert_counts(const pledger_import_report *r, uint64_t ins, uint64_t upd,
                          uint64_t same, uint64_t rej)
{
    ck_assert_msg(pledger_import_report_inserted(r) == ins &&
                      pledger_import_report_updated(r) == upd &&
                      pledger_import_report_unchanged(r) == same &&
                      pledger_import_report_rejected(r) == rej,
                  "counts %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64
                  ", expected %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64
                  " (first rejection: line %" PRIu64 ": %s)",
                  pledger_import_report_inserted(r), pledger_import_report_updated(r),
                  pledger_import_report_unchanged(r), pledger_import_report_rejected(r), ins,
                  upd, same, rej, pledger_import_report_rejection_line(r, 0),
                  pledger_import_report_rejection_message(r, 0));
}

/* Replace the one occurrence of @from in @s by @to (asserting it is there
 * once); returns a new string. */
static char *replace1(const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    char *out = NULL;
    ck_assert_msg(p != NULL, "'%s' not found", from);
    ck_assert_msg(strstr(p + 1, from) == NULL, "'%s' found twice", from);
    ck_assert(asprintf(&out, "%.*s%s%s", (int)(p - s), s, to, p + strlen(from)) > 0);
    return out;
}

static void import_file(pledger_registry *reg, const char *name, pledger_import_report **rep)
{
    char *path = data_path(name);
    PL_OK(reg, pledger_register_import(rep, reg, path, NULL));
    ck_assert_ptr_nonnull(*rep);
    free(path);
}

static void import_text(pledger_registry *reg, const char *text, pledger_import_report **rep)
{
    PL_OK(reg, pledger_register_import_memory(rep, reg, text, strlen(text), NULL));
    ck_assert_ptr_nonnull(*rep);
}

/* Import @text; it must fail with @code and a message containing @needle. */
static void import_fails(pledger_registry *reg, const char *text, int code, const char *needle)
{
    pledger_import_report *rep = (pledger_import_report *)1;
    PL_FAILS(reg, code, pledger_register_import_memory(&rep, reg, text, strlen(text), NULL));
    ck_assert_ptr_null(rep);
    ck_assert_msg(strstr(pledger_errmsg(reg), needle) != NULL, "message '%s' lacks '%s'",
                  pledger_errmsg(reg), needle);
}

#define OWNER_A "91350100M000100Y43"
#define OWNER_B "914403001922038216"
#define PERSON "11010519491231002X"

/* ------------------------------------------------------------------ */
/* A small register of every kind                                      */

static void check_trademark_10000001(pl_db *db, const char *groups, int64_t changed)
{
    pl_ref_trademark t;
    char *key = pl_text_name_key("ACME Technology Co., Ltd.");

    ck_assert_int_eq(pl_refreg_trademark(db, NULL, " 1000 0001 ", &t), 0);
    ck_assert_int_eq(t.r.kind, PLEDGER_KIND_TRADEMARK);
    ck_assert_str_eq(t.r.number, "10000001");
    ck_assert_int_eq(t.r.status, PL_REF_REGISTERED);
    ck_assert_int_eq(t.r.valid_from, days("2014-01-07"));
    ck_assert_int_eq(t.r.valid_to, days("2034-01-06"));
    ck_assert(!t.r.seized && !t.r.frozen);
    ck_assert_int_eq(t.r.changed_at, changed);
    ck_assert_uint_eq(t.r.n_owners, 1);
    ck_assert_str_eq(t.r.owners[0].name, "ACME Technology Co., Ltd.");
    ck_assert_str_eq(t.r.owners[0].name_key, key);
    ck_assert_int_eq(t.r.owners[0].id_type, PLEDGER_ID_USCC);
    ck_assert_str_eq(t.r.owners[0].id, OWNER_A);
    ck_assert(pl_ref_right_has_owner(&t.r, PLEDGER_ID_USCC, OWNER_A));
    ck_assert(pl_ref_right_has_owner(&t.r, 0, OWNER_A));
    ck_assert(!pl_ref_right_has_owner(&t.r, PLEDGER_ID_RESIDENT, OWNER_A));
    ck_assert(!pl_ref_right_has_owner(&t.r, PLEDGER_ID_USCC, OWNER_B));
    ck_assert_str_eq(t.mark, "ACME");
    ck_assert_str_eq(t.mark_key, "acme");
    ck_assert_str_eq(t.family, "F1");
    ck_assert_uint_eq(t.n_classes, 1);
    ck_assert_int_eq(t.classes[0], 9);
    buf g = { 0 };
    for (size_t i = 0; i < t.n_groups; i++)
        buf_printf(&g, "%s%s", i ? " " : "", t.groups[i]);
    ck_assert_str_eq(g.s, groups);
    free(g.s);
    free(key);
    pl_ref_trademark_clear(&t);
    ck_assert_ptr_null(t.r.owners);
}

static char *related(pl_db *db, pledger_id_type type, const char *owner, const char *number)
{
    pl_ref_marks m;
    buf b = { 0 };
    pl_err e = { 0 };

    ck_assert_msg(pl_refreg_related_marks(db, &e, type, owner, number, &m) == 0, "%s", e.msg);
    buf_add(&b, "", 0);
    for (size_t i = 0; i < m.n; i++)
        buf_printf(&b, "%s%s%s", i ? " " : "", m.items[i].number,
                   m.items[i].status == PL_REF_REGISTERED ? "" : "(x)");
    pl_ref_marks_clear(&m);
    return b.s;
}

START_TEST(test_import_small)
{
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = NULL;
    pl_db *db = reg->db;
    char *path = data_path("register-small.xml"), sha[65];
    size_t len;
    char *text = pl_test_slurp(path, &len);

    import_file(reg, "register-small.xml", &rep);
    assert_counts(rep, 19, 0, 0, 0);
    ck_assert_uint_eq(pledger_import_report_rejection_count(rep), 0);
    ck_assert_ptr_null(pledger_import_report_rejection_message(rep, 0));
    ck_assert_uint_eq(pledger_import_report_rejection_line(rep, 0), 0);
    sha256_hex(text, len, sha);
    ck_assert_str_eq(pledger_import_report_sha256(rep), sha);
    pledger_import_report_free(rep);

    ck_assert_int_eq(query_int(reg, "SELECT count(*) FROM ref_right"), 17);
    ck_assert_int_eq(query_int(reg, "SELECT count(*) FROM ref_holding"), 2);
    ck_assert_int_eq(query_int(reg, "SELECT count(*) FROM ref_import_seen"), 0);

    /* one journal event, last, naming the file's hash and the counts */
    ck_assert_int_eq(journal_count(reg), 1);
    char *ev = query_text(reg, "SELECT operation || ' ' || subject || ' ' || actor || ' ' || "
                               "role || ' ' || at_us || ' ' || payload FROM journal");
    char *want = NULL;
    ck_assert(asprintf(&want, "register_import register registrar-1 registrar %" PRId64
                       " {\"bytes\":%zu,\"inserted\":19,\"records\":19,\"rejected\":0,"
                       "\"sha256\":\"%s\",\"unchanged\":0,\"updated\":0}",
                       test_now, len, sha) > 0);
    ck_assert_str_eq(ev, want);
    free(ev);
    free(want);

    /* trademarks */
    check_trademark_10000001(db, "0901 0907", test_now);
    pl_ref_trademark t;
    ck_assert_int_eq(pl_refreg_trademark(db, NULL, "10000003", &t), 0);
    ck_assert_str_eq(t.mark, "ａｃｍｅ");
    ck_assert_str_eq(t.mark_key, "acme");
    ck_assert_str_eq(t.family, "F2");
    pl_ref_trademark_clear(&t);
    ck_assert_int_eq(pl_refreg_trademark(db, NULL, "g1234567", &t), 0);
    ck_assert_str_eq(t.r.number, "G1234567");
    ck_assert_str_eq(t.r.owners[0].id, OWNER_A);
    ck_assert_uint_eq(t.n_classes, 2);
    ck_assert_int_eq(t.classes[0], 9);
    ck_assert_int_eq(t.classes[1], 35);
    ck_assert_uint_eq(t.n_groups, 2);
    ck_assert_str_eq(t.groups[0], "0907");
    ck_assert_str_eq(t.groups[1], "3501");
    pl_ref_trademark_clear(&t);
    ck_assert_int_eq(pl_refreg_trademark(db, NULL, "10000007", &t), 0);
    ck_assert_int_eq(t.r.status, PL_REF_CANCELLED);
    ck_assert_ptr_null(t.mark);
    ck_assert_ptr_null(t.mark_key);
    pl_ref_trademark_clear(&t);
    ck_assert_int_eq(pl_refreg_trademark(db, NULL, "10000008", &t), 0);
    ck_assert(t.r.seized && t.r.frozen);
    ck_assert_ptr_null(t.family);
    ck_assert_str_eq(t.mark, "双星");
    ck_assert_uint_eq(t.r.n_owners, 2);
    ck_assert_str_eq(t.r.owners[0].id, OWNER_A);
    ck_assert_str_eq(t.r.owners[1].name, "张三");
    ck_assert_int_eq(t.r.owners[1].id_type, PLEDGER_ID_RESIDENT);
    ck_assert_str_eq(t.r.owners[1].id, PERSON);
    ck_assert_int_eq(t.classes[0], 25);
    ck_assert_str_eq(t.groups[0], "2501");
    pl_ref_trademark_clear(&t);

    /* the bundling rule: same owner, same family or mark text, a shared group */
    char *s = related(db, PLEDGER_ID_USCC, OWNER_A, "10000001");
    ck_assert_str_eq(s, "9999 10000002 10000003 10000007(x) G1234567");
    free(s);
    s = related(db, 0, " 9135 0100 m000 100y 43", "10000001");
    ck_assert_str_eq(s, "9999 10000002 10000003 10000007(x) G1234567");
    free(s);
    s = related(db, PLEDGER_ID_USCC, OWNER_B, "10000001");
    ck_assert_str_eq(s, "10000005");
    free(s);
    s = related(db, PLEDGER_ID_USCC, OWNER_A, "10000004"); /* F1 but only class 35 */
    ck_assert_str_eq(s, "G1234567");
    free(s);
    s = related(db, PLEDGER_ID_USCC, OWNER_A, "10000008");
    ck_assert_str_eq(s, "");
    free(s);
    s = related(db, PLEDGER_ID_RESIDENT, PERSON, "10000001");
    ck_assert_str_eq(s, "");
    free(s);

    /* patents */
    pl_ref_patent p;
    ck_assert_int_eq(pl_refreg_patent(db, NULL, "ZL 2013 1069 9744.2", &p), 0);
    ck_assert_int_eq(p.r.kind, PLEDGER_KIND_PATENT);
    ck_assert_str_eq(p.r.number, "201310699744.2");
    ck_assert_int_eq(p.patent_type, PL_REF_INVENTION);
    ck_assert_int_eq(p.r.status, PL_REF_GRANTED);
    ck_assert_int_eq(p.filing_date, days("2013-12-18"));
    ck_assert_int_eq(p.r.valid_from, days("2013-12-18"));
    ck_assert_int_eq(p.grant_date, days("2016-05-04"));
    ck_assert_int_eq(p.r.valid_to, days("2033-12-17"));
    ck_assert(p.fee_paid && p.invalidation_pending && !p.suspended && !p.r.seized);
    ck_assert_ptr_null(p.twin);
    ck_assert_uint_eq(p.r.n_owners, 2);
    ck_assert_str_eq(p.r.owners[0].id, OWNER_A);
    ck_assert_str_eq(p.r.owners[1].id, OWNER_B);
    pl_ref_patent_clear(&p);
    ck_assert_int_eq(pl_refreg_patent(db, NULL, "201320000001.7", &p), 0);
    ck_assert_int_eq(p.patent_type, PL_REF_UTILITY_MODEL);
    ck_assert(!p.fee_paid && p.suspended && p.r.seized && !p.invalidation_pending);
    ck_assert_str_eq(p.twin, "201310000003.0");
    ck_assert_int_eq(p.r.owners[0].id_type, PLEDGER_ID_RESIDENT);
    pl_ref_patent_clear(&p);
    ck_assert_int_eq(pl_refreg_patent(db, NULL, "2013300000027", &p), 0);
    ck_assert_int_eq(p.patent_type, PL_REF_DESIGN);
    ck_assert_int_eq(p.r.status, PL_REF_NOT_GRANTED);
    ck_assert_int_eq(p.grant_date, PL_REF_NO_DATE);
    ck_assert_int_eq(p.r.valid_to, PL_REF_NO_DATE);
    pl_ref_patent_clear(&p);
    ck_assert_int_eq(pl_refreg_patent(db, NULL, "95115608X", &p), 0);
    ck_assert_str_eq(p.r.number, "95115608.X");
    ck_assert_int_eq(p.r.status, PL_REF_EXPIRED);
    pl_ref_patent_clear(&p);

    /* holdings */
    pl_ref_holding h;
    ck_assert_int_eq(pl_refreg_holding(db, NULL, OWNER_B, PLEDGER_ID_USCC, OWNER_A, &h), 0);
    ck_assert_str_eq(h.company, OWNER_B);
    ck_assert_str_eq(h.company_name, "Shenzhen Other Co., Ltd.");
    ck_assert_str_eq(h.shareholder.name, "ACME Technology Co., Ltd.");
    ck_assert_str_eq(h.shareholder.id, OWNER_A);
    ck_assert_int_eq(h.capital, 300000000);
    ck_assert_str_eq(h.currency, "CNY");
    ck_assert(!h.frozen);
    ck_assert_int_eq(h.changed_at, test_now);
    pl_ref_holding_clear(&h);
    ck_assert_int_eq(pl_refreg_holding(db, NULL, OWNER_B, PLEDGER_ID_RESIDENT,
                                       "11010519491231002x", &h), 0);
    ck_assert_ptr_null(h.company_name);
    ck_assert_int_eq(h.capital, 5000000);
    ck_assert(h.frozen);
    ck_assert_str_eq(h.shareholder.name, "张三");
    pl_ref_holding_clear(&h);

    /* permits and certificates */
    pl_ref_certificate c;
    ck_assert_int_eq(pl_refreg_certificate(db, NULL, PLEDGER_KIND_EMISSION,
                                           "91350100m000100y43001p", &c), 0);
    ck_assert_int_eq(c.r.kind, PLEDGER_KIND_EMISSION);
    ck_assert_int_eq(c.r.status, PL_REF_REGISTERED);
    ck_assert_int_eq(c.r.valid_from, days("2020-07-01"));
    ck_assert_int_eq(c.r.valid_to, days("2025-06-30"));
    ck_assert_str_eq(c.r.owners[0].id, OWNER_A);
    ck_assert_uint_eq(c.n_allowances, 2);
    ck_assert_str_eq(c.allowances[0].pollutant, "COD");
    ck_assert_int_eq(c.allowances[0].amount_micro, 3000000);
    ck_assert_str_eq(c.allowances[1].pollutant, "SO2");
    ck_assert_int_eq(c.allowances[1].amount_micro, 120500000);
    ck_assert_str_eq(c.allowances[1].unit, "t/a");
    pl_ref_certificate_clear(&c);
    ck_assert_int_eq(pl_refreg_certificate(db, NULL, PLEDGER_KIND_SEA_AREA,
                                           "国海证 2019B33020001号", &c), 0);
    ck_assert_str_eq(c.r.number, "国海证2019B33020001号");
    ck_assert(c.r.seized && !c.r.frozen);
    ck_assert_str_eq(c.r.owners[0].id, OWNER_B);
    ck_assert_uint_eq(c.n_allowances, 0);
    pl_ref_certificate_clear(&c);
    ck_assert_int_eq(pl_refreg_certificate(db, NULL, PLEDGER_KIND_LAND,
                                           "闽(2020)福州市农村土地承包经营权第0000001号", &c), 0);
    ck_assert_int_eq(c.r.status, PL_REF_EXPIRED);
    ck_assert_int_eq(c.r.owners[0].id_type, PLEDGER_ID_RESIDENT);
    pl_ref_certificate_clear(&c);

    free(text);
    free(path);
    pledger_close(reg);
}
END_TEST

START_TEST(test_lookup_failures)
{
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = NULL;
    pl_db *db = reg->db;
    pl_err e = { 0 };
    pl_ref_trademark t;
    pl_ref_patent p;
    pl_ref_holding h;
    pl_ref_certificate c;
    pl_ref_marks m;

    import_file(reg, "register-small.xml", &rep);
    pledger_import_report_free(rep);

    ck_assert_int_eq(pl_refreg_trademark(db, &e, "12345678", &t), PLEDGER_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(e.msg, "12345678"));
    ck_assert_ptr_null(t.r.number);
    ck_assert_int_eq(pl_refreg_trademark(db, &e, "12A", &t), PLEDGER_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "trademark number"));
    ck_assert_int_eq(pl_refreg_trademark(db, &e, NULL, &t), PLEDGER_EINVAL);
    /* a patent number is not a trademark's */
    ck_assert_int_eq(pl_refreg_patent(db, &e, "201310699744.3", &p), PLEDGER_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "patent number"));
    ck_assert_int_eq(pl_refreg_patent(db, &e, "201310000003.0", &p), PLEDGER_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(e.msg, "201310000003.0"));
    ck_assert_int_eq(pl_refreg_holding(db, &e, OWNER_B, PLEDGER_ID_USCC, OWNER_B, &h),
                     PLEDGER_ENOTFOUND);
    ck_assert_int_eq(pl_refreg_holding(db, &e, "91350100M000100Y44", PLEDGER_ID_USCC, OWNER_A,
                                       &h), PLEDGER_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "company"));
    ck_assert_int_eq(pl_refreg_holding(db, &e, OWNER_B, PLEDGER_ID_PATENT, OWNER_A, &h),
                     PLEDGER_EINVAL);
    ck_assert_int_eq(pl_refreg_certificate(db, &e, PLEDGER_KIND_TRADEMARK, "10000001", &c),
                     PLEDGER_EINVAL);
    ck_assert_int_eq(pl_refreg_certificate(db, &e, PLEDGER_KIND_LAND, "国海证2019B33020001号",
                                           &c), PLEDGER_ENOTFOUND);
    ck_assert_int_eq(pl_refreg_related_marks(db, &e, PLEDGER_ID_USCC, OWNER_A, "12345678", &m),
                     PLEDGER_ENOTFOUND);
    ck_assert_uint_eq(m.n, 0);
    ck_assert_int_eq(pl_refreg_related_marks(db, &e, PLEDGER_ID_USCC, "91350100M000100Y44",
                                             "10000001", &m), PLEDGER_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "owner identifier"));
    ck_assert_str_eq(pl_ref_status_name(PL_REF_NOT_GRANTED), "not_granted");
    ck_assert_int_eq(pl_ref_status_from_name("terminated"), PL_REF_TERMINATED);
    ck_assert_int_eq(pl_ref_status_from_name("bogus"), 0);
    ck_assert_ptr_null(pl_ref_status_name(0));
    ck_assert_str_eq(pl_ref_patent_type_name(PL_REF_UTILITY_MODEL), "utility_model");
    pledger_close(reg);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Idempotence and updates                                             */

START_TEST(test_reimport_unchanged)
{
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = NULL;
    int64_t first = test_now;

    import_file(reg, "register-small.xml", &rep);
    pledger_import_report_free(rep);
    char *before = dump_ref(reg);

    test_now += 3600 * INT64_C(1000000);
    import_file(reg, "register-small.xml", &rep);
    assert_counts(rep, 0, 0, 19, 0);
    pledger_import_report_free(rep);
    char *after = dump_ref(reg);
    ck_assert_str_eq(before, after);
    ck_assert_int_eq(query_int(reg, "SELECT min(changed_at) = max(changed_at) FROM ref_right"),
                     1);
    ck_assert_int_eq(query_int(reg, "SELECT max(changed_at) FROM ref_right"), first);
    /* each import is one journal event */
    ck_assert_int_eq(journal_count(reg), 2);

    /* the same content written otherwise is the same record */
    char *path = data_path("register-small.xml");
    char *text = pl_test_slurp(path, NULL);
    char *t1 = replace1(text, "groups=\"0907 0901\"", "groups=\" 0901  0907 0901\"");
    char *t2 = replace1(t1, "fee_paid=\"false\" suspended=\"true\"",
                        "suspended=\"1\"");
    char *t3 = replace1(t2, "seized=\"true\" frozen=\"1\"", "frozen=\"true\" seized=\"1\"");
    char *t4 = replace1(t3, "classes=\"9\" groups=\"0907\" valid_from=\"2015-03-01\"",
                        "classes=\" +09 \" groups=\"0907\" valid_from=\" 2015-03-01\"");
    import_text(reg, t4, &rep);
    assert_counts(rep, 0, 0, 19, 0);
    pledger_import_report_free(rep);
    free(after);
    after = dump_ref(reg);
    ck_assert_str_eq(before, after);

    free(t1);
    free(t2);
    free(t3);
    free(t4);
    free(text);
    free(path);
    free(before);
    free(after);
    pledger_close(reg);
}
END_TEST

START_TEST(test_reimport_modified)
{
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = NULL;
    pl_db *db = reg->db;
    int64_t first = test_now;
    char *path = data_path("register-small.xml");
    char *text = pl_test_slurp(path, NULL);

    import_file(reg, "register-small.xml", &rep);
    pledger_import_report_free(rep);

    /* five records change, each in one way */
    char *t1 = replace1(text, "number=\"10000002\" status=\"registered\"",
                        "number=\"10000002\" status=\"expired\"");
    char *t2 = replace1(t1, "grant_date=\"2016-05-04\"", "grant_date=\"2016-05-05\"");
    char *t3 = replace1(t2, "capital=\"5000000\"", "capital=\"6000000\"");
    char *t4 = replace1(t3, "<owner name=\"张三\" id_type=\"resident\" id=\"11010519491231002x\"/>",
                        "<owner name=\"Shenzhen Other Co., Ltd.\" id_type=\"uscc\" "
                        "id=\"914403001922038216\"/>");
    char *t5 = replace1(t4, "groups=\"0907 0901\"", "groups=\"0901\"");
    test_now += 86400 * INT64_C(1000000);
    import_text(reg, t5, &rep);
    assert_counts(rep, 0, 5, 14, 0);
    pledger_import_report_free(rep);

    ck_assert_int_eq(query_int(reg, "SELECT count(*) FROM ref_right WHERE changed_at > 0 AND "
                                    "changed_at = (SELECT max(changed_at) FROM ref_right)"),
                     4);
    ck_assert_int_eq(query_int(reg, "SELECT count(*) FROM ref_holding WHERE changed_at = "
                                    "(SELECT max(changed_at) FROM ref_right)"),
                     1);

    check_trademark_10000001(db, "0901", test_now);
    pl_ref_trademark t;
    ck_assert_int_eq(pl_refreg_trademark(db, NULL, "10000002", &t), 0);
    ck_assert_int_eq(t.r.status, PL_REF_EXPIRED);
    ck_assert_int_eq(t.r.changed_at, test_now);
    pl_ref_trademark_clear(&t);
    ck_assert_int_eq(pl_refreg_trademark(db, NULL, "10000003", &t), 0);
    ck_assert_int_eq(t.r.changed_at, first);
    pl_ref_trademark_clear(&t);
    ck_assert_int_eq(pl_refreg_trademark(db, NULL, "10000008", &t), 0);
    ck_assert_uint_eq(t.r.n_owners, 2);
    ck_assert_str_eq(t.r.owners[1].id, OWNER_B);
    ck_assert_int_eq(t.r.owners[1].id_type, PLEDGER_ID_USCC);
    pl_ref_trademark_clear(&t);
    ck_assert_int_eq(query_int(reg, "SELECT count(*) FROM ref_owner WHERE id_type = 2"), 2);

    char *s = related(db, PLEDGER_ID_USCC, OWNER_A, "10000001");
    ck_assert_str_eq(s, "9999 10000003 10000007(x)");
    free(s);

    pl_ref_patent p;
    ck_assert_int_eq(pl_refreg_patent(db, NULL, "201310699744.2", &p), 0);
    ck_assert_int_eq(p.grant_date, days("2016-05-05"));
    pl_ref_patent_clear(&p);
    pl_ref_holding h;
    ck_assert_int_eq(pl_refreg_holding(db, NULL, OWNER_B, PLEDGER_ID_RESIDENT, PERSON, &h), 0);
    ck_assert_int_eq(h.capital, 6000000);
    pl_ref_holding_clear(&h);

    /* and back: the same five change again, nothing else */
    import_file(reg, "register-small.xml", &rep);
    assert_counts(rep, 0, 5, 14, 0);
    pledger_import_report_free(rep);
    s = related(db, PLEDGER_ID_USCC, OWNER_A, "10000001");
    ck_assert_str_eq(s, "9999 10000002 10000003 10000007(x) G1234567");
    free(s);
    ck_assert_int_eq(query_int(reg, "SELECT count(*) FROM ref_owner WHERE id_type = 2"), 3);

    free(t1);
    free(t2);
    free(t3);
    free(t4);
    free(t5);
    free(text);
    free(path);
    pledger_close(reg);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Rejected records                                                    */

START_TEST(test_rejections)
{
    static const struct {
        uint64_t line;
        const char *needle[2];
    } want[] = {
        { 4, { "trademark 20000002", "status" } },
        { 5, { "trademark 20000003", "owner[1]/@id" } },
        { 6, { "trademark 20000004", "valid_to" } },
        { 7, { "trademark without number", "number" } },
        { 8, { "trademark 20000006", "group 3501 is in class 35" } },
        { 9, { "trademark 20000001", "already given at line 3" } },
        { 10, { "trademark 20000008", "valid_to 2004-01-06 is before valid_from 2014-01-07" } },
        { 11, { "patent 201310699744.2", "patent_type design does not match the number" } },
        { 12, { "patent 201310000011.5", "status granted needs a grant_date" } },
        { 13, { "<foo>", "not a record" } },
        { 14, { "<trademark>", "urn:other" } },
        { 15, { "<register>", "text outside a record" } },
        { 17, { "holding in 914403001922038216", "shareholder/@id" } },
        { 18, { "emission 91350100M000100Y43001P", "allowance[2] repeats pollutant SO2" } },
        { 20, { "patent 201310699744.3", "number" } },
        { 21, { "sea_area S1", "seized" } },
    };
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = NULL;
    pl_ref_trademark t;
    pl_ref_patent p;
    pl_ref_certificate c;

    import_file(reg, "register-bad.xml", &rep);
    assert_counts(rep, 3, 0, 0, 16);
    ck_assert_uint_eq(pledger_import_report_rejection_count(rep), 16);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *msg = pledger_import_report_rejection_message(rep, i);
        ck_assert_msg(pledger_import_report_rejection_line(rep, i) == want[i].line,
                      "rejection %zu at line %" PRIu64 ", expected %" PRIu64 ": %s", i,
                      pledger_import_report_rejection_line(rep, i), want[i].line, msg);
        for (int k = 0; k < 2; k++)
            ck_assert_msg(strstr(msg, want[i].needle[k]) != NULL,
                          "line %" PRIu64 ": '%s' lacks '%s'", want[i].line, msg,
                          want[i].needle[k]);
    }
    /* personal identifiers are not repeated in messages */
    ck_assert_ptr_null(strstr(pledger_import_report_rejection_message(rep, 12),
                              "110105194912310021"));
    ck_assert_ptr_null(pledger_import_report_rejection_message(rep, 16));
    pledger_import_report_free(rep);

    ck_assert_int_eq(pl_refreg_trademark(reg->db, NULL, "20000001", &t), 0);
    ck_assert_int_eq(t.r.status, PL_REF_REGISTERED); /* the first one given */
    pl_ref_trademark_clear(&t);
    ck_assert_int_eq(pl_refreg_trademark(reg->db, NULL, "20000002", &t), PLEDGER_ENOTFOUND);
    ck_assert_int_eq(pl_refreg_patent(reg->db, NULL, "201310000003.0", &p), 0);
    pl_ref_patent_clear(&p);
    ck_assert_int_eq(pl_refreg_certificate(reg->db, NULL, PLEDGER_KIND_LAND, "L-1", &c), 0);
    pl_ref_certificate_clear(&c);
    ck_assert_int_eq(query_int(reg, "SELECT count(*) FROM ref_right"), 3);
    ck_assert_int_eq(query_int(reg, "SELECT count(*) FROM ref_holding"), 0);
    ck_assert_int_eq(query_int(reg, "SELECT json_extract(payload, '$.rejected') FROM journal"),
                     16);
    pledger_close(reg);
}
END_TEST

#define OWN_A "<owner name=\"A\" id_type=\"uscc\" id=\"" OWNER_A "\"/>"
#define TM_TERM "valid_from=\"2014-01-07\" valid_to=\"2034-01-06\""

/* A rejection expected at @line, its message holding @needle. */
typedef struct rejection {
    uint64_t line;
    const char *needle;
} rejection;

/* The report's first @n rejections are @want's, in order. */
static void assert_rejections(const pledger_import_report *rep, const rejection *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *msg = pledger_import_report_rejection_message(rep, i);
        ck_assert_msg(pledger_import_report_rejection_line(rep, i) == want[i].line,
                      "rejection %zu at line %" PRIu64 ", expected %" PRIu64 ": %s", i,
                      pledger_import_report_rejection_line(rep, i), want[i].line, msg);
        ck_assert_msg(strstr(msg, want[i].needle) != NULL, "'%s' lacks '%s'", msg,
                      want[i].needle);
    }
}

START_TEST(test_more_rejections)
{
    static const rejection want[] = {
        { 2, "patent 201310000003.0: status not_granted with a grant_date" },
        { 3, "patent 201320000001.7: twin is the patent itself" },
        { 4, "patent 201310699744.2: grant_date is before filing_date" },
        { 5, "trademark 40000001: owner[2] repeats owner[1]" },
        { 6, "trademark 40000002: groups: '0900' is not a similar-goods group code" },
        { 7, "emission P-12345678: Element 'allowance', attribute 'amount'" },
        { 8, "holding 914403001922038216: Element 'holding', attribute 'currency'" },
        { 10, "holding in 914403001922038216 of " OWNER_A ": already given at line 9" },
        { 11, "trademark 40000003: Element 'owner', attribute 'id_type'" },
        { 12, "trademark 40000004: Element 'trademark', attribute 'classes'" },
        /* white space alone, the ideographic and the no-break space too, is no name */
        { 13, "trademark 40000005: owner[1]/@name is missing" },
        { 14, "holding in 914403001922038216: shareholder/@name is missing" },
        /* a currency the review does not know: the holding could never be pledged */
        { 15, "holding in 914403001922038216: currency 'XXX' is not an ISO 4217 code pledger "
              "knows" },
    };
    static const char text[] =
        "<register xmlns=\"urn:pledger:1\">\n"
        "<patent number=\"201310000003.0\" patent_type=\"invention\" status=\"not_granted\" "
        "filing_date=\"2013-02-01\" grant_date=\"2014-01-01\">" OWN_A "</patent>\n"
        "<patent number=\"201320000001.7\" patent_type=\"utility_model\" status=\"granted\" "
        "filing_date=\"2013-02-01\" grant_date=\"2014-01-01\" twin=\"2013200000017\">" OWN_A
        "</patent>\n"
        "<patent number=\"201310699744.2\" patent_type=\"invention\" status=\"granted\" "
        "filing_date=\"2013-12-18\" grant_date=\"2013-12-17\">" OWN_A "</patent>\n"
        "<trademark number=\"40000001\" status=\"registered\" classes=\"9\" " TM_TERM ">"
        OWN_A OWN_A "</trademark>\n"
        "<trademark number=\"40000002\" status=\"registered\" classes=\"9\" groups=\"0900\" "
        TM_TERM ">" OWN_A "</trademark>\n"
        "<emission number=\"P-12345678\" status=\"registered\" " TM_TERM ">" OWN_A
        "<allowance pollutant=\"SO2\" amount=\"1.0000001\" unit=\"t\"/></emission>\n"
        "<holding company=\"914403001922038216\" capital=\"1\" currency=\"cny\">"
        "<shareholder name=\"A\" id_type=\"uscc\" id=\"" OWNER_A "\"/></holding>\n"
        "<holding company=\"914403001922038216\" capital=\"1\" currency=\"CNY\">"
        "<shareholder name=\"A\" id_type=\"uscc\" id=\"" OWNER_A "\"/></holding>\n"
        "<holding company=\"914403001922038216\" capital=\"2\" currency=\"CNY\">"
        "<shareholder name=\"A\" id_type=\"uscc\" id=\" " OWNER_A "\"/></holding>\n"
        "<trademark number=\"40000003\" status=\"registered\" classes=\"9\" " TM_TERM ">"
        "<owner name=\"A\" id_type=\"patent\" id=\"201310699744.2\"/></trademark>\n"
        "<trademark number=\"40000004\" status=\"registered\" classes=\"9 46\" " TM_TERM ">"
        OWN_A "</trademark>\n"
        "<trademark number=\"40000005\" status=\"registered\" classes=\"9\" " TM_TERM ">"
        "<owner name=\"\xe3\x80\x80\xc2\xa0 \" id_type=\"uscc\" id=\"" OWNER_A "\"/></trademark>\n"
        "<holding company=\"914403001922038216\" capital=\"3\" currency=\"CNY\">"
        "<shareholder name=\"\xe3\x80\x80\" id_type=\"uscc\" id=\"" OWNER_B "\"/></holding>\n"
        "<holding company=\"914403001922038216\" capital=\"3\" currency=\"XXX\">"
        "<shareholder name=\"A\" id_type=\"uscc\" id=\"" OWNER_A "\"/></holding>\n"
        "</register>\n";
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = NULL;
    pl_ref_holding h;

    import_text(reg, text, &rep);
    assert_counts(rep, 1, 0, 0, 13);
    assert_rejections(rep, want, sizeof want / sizeof want[0]);
    pledger_import_report_free(rep);
    ck_assert_int_eq(pl_refreg_holding(reg->db, NULL, OWNER_B, PLEDGER_ID_USCC, OWNER_A, &h), 0);
    ck_assert_int_eq(h.capital, 1);
    pl_ref_holding_clear(&h);
    pledger_close(reg);
}
END_TEST

/* A text of a record holding a character no text given to the registry
 * may carry (a bidirectional control, DEL, a C1 control, a line
 * separator), in an attribute of the record or of an owner or an
 * allowance: the record is rejected naming the element, the attribute,
 * the code point and its position; a character that only shows nothing
 * (U+200B) is not one, and the others are imported. */
START_TEST(test_control_characters_rejected)
{
    static const rejection want[] = {
        { 2, "trademark 40000011: owner: name holds U+202E at character 2" },
        { 3, "trademark 40000012: trademark: mark holds U+007F at character 4" },
        { 4, "trademark 40000013: owner: name holds U+0085 at character 1" },
        { 5, "emission P-22345678: allowance: pollutant holds U+2028 at character 3" },
        { 6, "holding 914403001922038216: shareholder: name holds U+200F at character 2" },
    };
    static const char text[] =
        "<register xmlns=\"urn:pledger:1\">\n"
        "<trademark number=\"40000011\" status=\"registered\" classes=\"9\" " TM_TERM ">"
        "<owner name=\"A\xe2\x80\xae" "B\" id_type=\"uscc\" id=\"" OWNER_A "\"/></trademark>\n"
        "<trademark number=\"40000012\" status=\"registered\" classes=\"9\" mark=\"ABC\x7f\" "
        TM_TERM ">" OWN_A "</trademark>\n"
        "<trademark number=\"40000013\" status=\"registered\" classes=\"9\" " TM_TERM ">"
        "<owner name=\"\xc2\x85" "A\" id_type=\"uscc\" id=\"" OWNER_A "\"/></trademark>\n"
        "<emission number=\"P-22345678\" status=\"registered\" " TM_TERM ">" OWN_A
        "<allowance pollutant=\"SO\xe2\x80\xa8" "2\" amount=\"1\" unit=\"t\"/></emission>\n"
        "<holding company=\"914403001922038216\" capital=\"1\" currency=\"CNY\">"
        "<shareholder name=\"A\xe2\x80\x8f\" id_type=\"uscc\" id=\"" OWNER_A "\"/></holding>\n"
        "<trademark number=\"40000014\" status=\"registered\" classes=\"9\" "
        "mark=\"AB\xe2\x80\x8b" "C\" " TM_TERM ">" OWN_A "</trademark>\n"
        "</register>\n";
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = NULL;

    import_text(reg, text, &rep);
    assert_counts(rep, 1, 0, 0, 5);
    assert_rejections(rep, want, sizeof want / sizeof want[0]);
    pledger_import_report_free(rep);
    pledger_close(reg);
}
END_TEST

/* A sea-area or land certificate's area and its unit: kept in the unit's
 * symbol whatever name the file gives it (亩 is mu, 公顷 ha, 平方米 m2),
 * digested (a re-import is unchanged, a changed area an update); an
 * unknown unit, one without the other, or a quantity that is none
 * rejects the record naming the field. */
#define RL_TERM "status=\"registered\" valid_from=\"2018-01-01\" valid_to=\"2047-12-31\""
START_TEST(test_certificate_areas)
{
    static const char text[] =
        "<register xmlns=\"urn:pledger:1\">\n"
        "<land number=\"L-1\" " RL_TERM " area=\"18.5\" area_unit=\"亩\">" OWN_A "</land>\n"
        "<land number=\"L-2\" " RL_TERM " area=\"12333.33\" area_unit=\"平方米\">" OWN_A
        "</land>\n"
        "<sea_area number=\"S-1\" " RL_TERM " area=\"36.42\" area_unit=\"ＨＡ\">" OWN_A
        "</sea_area>\n"
        "<sea_area number=\"S-2\" " RL_TERM " area=\"0.5\" area_unit=\"km²\">" OWN_A
        "</sea_area>\n"
        "<land number=\"L-3\" " RL_TERM ">" OWN_A "</land>\n"
        "<land number=\"L-4\" " RL_TERM " area=\"3\" area_unit=\"acre\">" OWN_A "</land>\n"
        "<land number=\"L-5\" " RL_TERM " area=\"3\">" OWN_A "</land>\n"
        "<sea_area number=\"S-3\" " RL_TERM " area_unit=\"ha\">" OWN_A "</sea_area>\n"
        "<sea_area number=\"S-4\" " RL_TERM " area=\"1.0000001\" area_unit=\"ha\">" OWN_A
        "</sea_area>\n"
        "<land number=\"L-6\" " RL_TERM " area=\" +7.25 \" area_unit=\"mu\">" OWN_A "</land>\n"
        "</register>\n";
    static const rejection want[] = {
        { 7, "land L-4: area_unit 'acre' is not a unit of area the registry knows: m2 (平方米), "
             "mu (亩), ha (公顷), km2 (平方公里)" },
        { 8, "land L-5: area '3' is given without its unit" },
        { 9, "sea_area S-3: area_unit is given without the area" },
        { 10, "sea_area S-4: Element 'sea_area', attribute 'area'" },
    };
    static const struct {
        int kind;
        const char *number, *unit;
        int64_t micro;
    } kept[] = {
        { PLEDGER_KIND_LAND, "L-1", "mu", 18500000 },
        { PLEDGER_KIND_LAND, "L-2", "m2", 12333330000 },
        { PLEDGER_KIND_SEA_AREA, "S-1", "ha", 36420000 },
        { PLEDGER_KIND_SEA_AREA, "S-2", "km2", 500000 },
        { PLEDGER_KIND_LAND, "L-3", NULL, 0 },
        /* as register.xsd's decimal takes it: white space and a '+' (an
         * allowance's amount took them, an area was rejected) */
        { PLEDGER_KIND_LAND, "L-6", "mu", 7250000 },
    };
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = NULL;

    import_text(reg, text, &rep);
    assert_counts(rep, 6, 0, 0, 4);
    assert_rejections(rep, want, sizeof want / sizeof want[0]);
    pledger_import_report_free(rep);
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        pl_ref_certificate c;
        ck_assert_int_eq(pl_refreg_certificate(reg->db, NULL, kept[i].kind, kept[i].number, &c),
                         0);
        if (!kept[i].unit) {
            ck_assert_uint_eq(c.n_allowances, 0);
        } else {
            ck_assert_uint_eq(c.n_allowances, 1);
            ck_assert_str_eq(c.allowances[0].pollutant, PL_REF_AREA);
            ck_assert_str_eq(c.allowances[0].unit, kept[i].unit);
            ck_assert_int_eq(c.allowances[0].amount_micro, kept[i].micro);
        }
        pl_ref_certificate_clear(&c);
    }
    /* the same file again: unchanged; an area changed: an update */
    import_text(reg, text, &rep);
    assert_counts(rep, 0, 0, 6, 4);
    pledger_import_report_free(rep);
    import_text(reg,
                "<register xmlns=\"urn:pledger:1\">\n"
                "<land number=\"L-1\" " RL_TERM " area=\"18.6\" area_unit=\"mu\">" OWN_A
                "</land>\n</register>\n", &rep);
    assert_counts(rep, 0, 1, 0, 0);
    pledger_import_report_free(rep);
    pledger_close(reg);
}
END_TEST

/* The conversions of base/area.c: each unit against each, both ways, at
 * the edge (1 mu is 666.67 m2 written to the hundredth), and units as
 * people write them. */
START_TEST(test_area_units)
{
    static const struct {
        const char *a, *a_unit, *r, *r_unit;
        bool exceeds;
    } cases[] = {
        { "666.67", "m2", "1", "mu", false },     { "666.68", "m2", "1", "mu", true },
        { "667", "m2", "1", "mu", true },         { "666.6", "m2", "1", "mu", false },
        { "1", "mu", "666.67", "m2", false },     { "1", "mu", "663", "m2", true }, 
        { "12333.33", "m2", "18.5", "mu", false }, { "12333.34", "m2", "18.5", "mu", true },
        { "19", "mu", "18.6", "mu", true },       { "18.6", "mu", "18.6", "mu", false },
        { "18.601", "mu", "18.6", "mu", true },
        { "15", "mu", "1", "ha", false },         { "15.01", "mu", "1", "ha", true },
        { "1", "ha", "15", "mu", false },         { "1.001", "ha", "15", "mu", true },
        { "10000", "m2", "1", "ha", false },      { "10001", "m2", "1", "ha", true },
        { "1", "ha", "10000", "m2", false },      { "1.0001", "ha", "10000", "m2", true },
        { "100", "ha", "1", "km2", false },       { "100.1", "ha", "1", "km2", true },
        { "1", "km2", "1500", "mu", false },      { "1.001", "km2", "1500", "mu", true },
        { "0", "mu", "0", "m2", false },
        { "9223372036854", "km2", "1", "m2", true },
        { "1", "m2", "9223372036854", "km2", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t a, r;
        int d, rd;
        ck_assert(pl_micro_parse(cases[i].a, strlen(cases[i].a), &a, &d) == PL_MICRO_OK);
        ck_assert(pl_micro_parse(cases[i].r, strlen(cases[i].r), &r, &rd) == PL_MICRO_OK);
        ck_assert_msg(pl_area_exceeds(a, pl_area_unit_of(cases[i].a_unit), d, r,
                                      pl_area_unit_of(cases[i].r_unit)) == cases[i].exceeds,
                      "%s %s against %s %s", cases[i].a, cases[i].a_unit, cases[i].r,
                      cases[i].r_unit);
    }
    static const struct { const char *name; pl_area_unit u; } names[] = {
        { "m2", PL_AREA_M2 },   { "M²", PL_AREA_M2 },   { "㎡", PL_AREA_M2 },
        { " 平方米 ", PL_AREA_M2 }, { "平米", PL_AREA_M2 }, { "ｍ２", PL_AREA_M2 },
        { "mu", PL_AREA_MU },   { "亩", PL_AREA_MU },   { "MU", PL_AREA_MU },
        { "ha", PL_AREA_HA },   { "hm2", PL_AREA_HA },  { "公顷", PL_AREA_HA },
        { "Hectares", PL_AREA_HA }, { "km2", PL_AREA_KM2 }, { "平方公里", PL_AREA_KM2 },
        { "平方千米", PL_AREA_KM2 }, { "acre", PL_AREA_NONE }, { "", PL_AREA_NONE },
        { "m", PL_AREA_NONE },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        ck_assert_msg(pl_area_unit_of(names[i].name) == names[i].u, "'%s'", names[i].name);
    ck_assert_int_eq(pl_area_unit_of(NULL), PL_AREA_NONE);
    /* the one reader of quantities: the register's figures, the
     * allowances and areas the review compares */
    static const char *const bad[] = { "1.2.3", "", ".", "-1", "+1", " 1", "1 ", "1e3",
                                       "１", "1,5", "0x10" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t m = -7;
        int d = -7;
        ck_assert_msg(pl_micro_parse(bad[i], strlen(bad[i]), &m, &d) == PL_MICRO_BAD, "'%s'",
                      bad[i]);
        ck_assert(m == -7 && d == -7);
    }
    static const struct { const char *s; int64_t micro; int decimals; } good[] = {
        { "18.5", 18500000, 1 },       { "300", 300000000, 0 },    { ".5", 500000, 1 },
        { "5.", 5000000, 0 },          { "0.000001", 1, 6 },       { "0.0000001", 1, 7 },
        { "0.0000000", 0, 7 },         { "1.0000001", 1000001, 7 }, { "007", 7000000, 0 },
        { "9223372036854.775799", INT64_MAX - 8, 6 },
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        int64_t m;
        int d;
        ck_assert_msg(pl_micro_parse(good[i].s, strlen(good[i].s), &m, &d) == PL_MICRO_OK, "'%s'",
                      good[i].s);
        ck_assert_msg(m == good[i].micro && d == good[i].decimals, "'%s': %lld, %d", good[i].s,
                      (long long)m, d);
    }
    static const char *const huge[] = { "9223372036854.775808", "9223372036854.775807", "9223372036854.7758071",
                                        "9223372036855", "99999999999999999999999999" };
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        int64_t m = -7;
        ck_assert_msg(pl_micro_parse(huge[i], strlen(huge[i]), &m, NULL) == PL_MICRO_HUGE, "'%s'",
                      huge[i]);
        ck_assert(m == -7);
    }
    /* a count of bytes, not a string: what follows is not read */
    int64_t m;
    ck_assert(pl_micro_parse("12x", 2, &m, NULL) == PL_MICRO_OK && m == 12000000);
    char out[32];
    pl_area_format_m2(out, 18500000, PL_AREA_MU);
    ck_assert_str_eq(out, "12333.33");
}
END_TEST

/* The quick check of a record against register.xsd (refreg-valid.c)
 * never accepts what libxml2's validator refuses, and accepts the plain
 * records, which are then not given to libxml2. */
#define Q_OWNER "<owner name=\"A\" id_type=\"uscc\" id=\"" OWNER_A "\"/>"
#define Q_TM "<trademark number=\"10000001\" status=\"registered\" classes=\"9 35\" "
#define Q_TERM "valid_from=\"2014-01-07\" valid_to=\"2034-01-06\""
#define Q_PAT "<patent number=\"201310699744.2\" patent_type=\"invention\" "
#define Q_HOLD "<holding company=\"914403001922038216\" "
#define Q_SH "<shareholder name=\"A\" id_type=\"uscc\" id=\"" OWNER_A "\"/>"
#define S10 "Abcdefghi "
#define S100 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10
#define S400 S100 S100 S100 S100 /* 400 characters */
#define Q_EM "<emission number=\"P-1\" status=\"registered\" " Q_TERM ">" Q_OWNER

enum { Q_PLAIN = 1, Q_VALID = 2, Q_INVALID = 3 };

static void quiet(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    (void)err;
}

START_TEST(test_quick_schema_check)
{
    static const struct {
        int expect;
        const char *rec;
    } cases[] = {
        { Q_PLAIN, Q_TM Q_TERM ">" Q_OWNER "</trademark>" },
        { Q_PLAIN, Q_TM Q_TERM " mark=\"\" family=\"F 1\" groups=\"0901 3501\" seized=\"1\" "
                   "frozen=\"false\">\n  " Q_OWNER "<!-- c -->" Q_OWNER "\n</trademark>" },
        { Q_PLAIN, Q_TM "valid_from=\"2024-02-29\" valid_to=\"9999-12-31\">" Q_OWNER
                   "</trademark>" },
        { Q_PLAIN, Q_PAT "status=\"granted\" filing_date=\"2013-12-18\" grant_date=\"2016-05-04\" "
                   "valid_to=\"2033-12-17\" fee_paid=\"true\" invalidation_pending=\"0\" "
                   "suspended=\"false\" twin=\"2013200000017\" seized=\"true\">" Q_OWNER
                   "</patent>" },
        { Q_PLAIN, Q_HOLD "company_name=\"\xe5\x85\xac\xe5\x8f\xb8\" capital=\"000300000000\" "
                   "currency=\"CNY\" frozen=\"1\">" Q_SH "</holding>" },
        /* the registered English name, optional on owners and shareholders */
        { Q_PLAIN, Q_TM Q_TERM "><owner name=\"A\" name_en=\"ACME Co., Ltd.\" id_type=\"uscc\" "
                   "id=\"" OWNER_A "\"/></trademark>" },
        { Q_PLAIN, Q_HOLD "capital=\"1\" currency=\"CNY\"><shareholder id=\"" OWNER_A "\" "
                   "name_en=\" Wang  Fang \" id_type=\"resident\" name=\"A\"/></holding>" },
        { Q_INVALID, Q_TM Q_TERM "><owner name=\"A\" name_en=\"\" id_type=\"uscc\" id=\""
                     OWNER_A "\"/></trademark>" },
        { Q_PLAIN, Q_HOLD "capital=\"1\" currency=\"CNY\"><shareholder name=\"A\" "
                   "name_en=\"" S400 "\" id_type=\"uscc\" id=\"" OWNER_A "\"/></holding>" },
        { Q_INVALID, Q_HOLD "capital=\"1\" currency=\"CNY\"><shareholder name=\"A\" "
                     "name_en=\"" S400 "x\" id_type=\"uscc\" id=\"" OWNER_A "\"/></holding>" },
        { Q_PLAIN, Q_EM "<allowance pollutant=\"SO2\" amount=\"120.5\" unit=\"t/a\"/>"
                   "<allowance pollutant=\"N O x\" amount=\"12345678901.123456\" unit=\"t\"/>"
                   "</emission>" },
        { Q_PLAIN, "<sea_area number=\"S1\" status=\"expired\" " Q_TERM ">" Q_OWNER "</sea_area>" },
        { Q_PLAIN, "<land number=\"L1\" status=\"cancelled\" " Q_TERM ">" Q_OWNER "</land>" },
        /* valid, but written in ways the quick check leaves to libxml2 */
        { Q_VALID, Q_TM Q_TERM " groups=\"\">" Q_OWNER "</trademark>" },
        { Q_VALID, "<trademark number=\"1\" status=\" registered \" classes=\"9\" " Q_TERM ">"
                   Q_OWNER "</trademark>" },
        { Q_VALID, "<trademark number=\"1\" status=\"registered\" classes=\" 09  35 \" " Q_TERM
                   ">" Q_OWNER "</trademark>" },
        { Q_VALID, Q_TM Q_TERM " seized=\" true\">" Q_OWNER "</trademark>" },
        { Q_VALID, Q_EM "<allowance pollutant=\"SO2\" amount=\"999999999999\" unit=\"t\"/>"
                   "</emission>" },
        { Q_VALID, Q_EM "<allowance pollutant=\"SO2\" amount=\"+1.5\" unit=\"t\"/></emission>" },
        { Q_VALID, Q_HOLD "capital=\"1000000000000000000\" currency=\"CNY\">" Q_SH "</holding>" },
        { Q_VALID, Q_TM Q_TERM "><owner name=\"A\" id_type=\"uscc\" id=\"" OWNER_A "\"><!-- -->"
                   "</owner></trademark>" },
        /* invalid */
        { Q_INVALID, Q_TM "valid_from=\"2023-02-29\" valid_to=\"2034-01-06\">" Q_OWNER
                     "</trademark>" },
        { Q_INVALID, Q_TM "valid_from=\"2023-13-01\" valid_to=\"2034-01-06\">" Q_OWNER
                     "</trademark>" },
        { Q_INVALID, Q_TM "valid_from=\"0000-01-01\" valid_to=\"2034-01-06\">" Q_OWNER
                     "</trademark>" },
        { Q_INVALID, Q_TM "valid_from=\"2023-1-01\" valid_to=\"2034-01-06\">" Q_OWNER
                     "</trademark>" },
        { Q_INVALID, Q_TM "valid_from=\"2023-04-31\" valid_to=\"2034-01-06\">" Q_OWNER
                     "</trademark>" },
        { Q_INVALID, "<trademark number=\"1\" status=\"registered\" classes=\"46\" " Q_TERM ">"
                     Q_OWNER "</trademark>" },
        { Q_INVALID, "<trademark number=\"1\" status=\"registered\" classes=\"0\" " Q_TERM ">"
                     Q_OWNER "</trademark>" },
        { Q_INVALID, "<trademark number=\"1\" status=\"registered\" classes=\"\" " Q_TERM ">"
                     Q_OWNER "</trademark>" },
        { Q_INVALID, Q_TM Q_TERM " groups=\"090\">" Q_OWNER "</trademark>" },
        { Q_INVALID, Q_TM Q_TERM " groups=\"09010\">" Q_OWNER "</trademark>" },
        { Q_INVALID, Q_TM Q_TERM " family=\"\">" Q_OWNER "</trademark>" },
        { Q_INVALID, Q_TM Q_TERM " seized=\"yes\">" Q_OWNER "</trademark>" },
        { Q_INVALID, Q_TM Q_TERM " foo=\"1\">" Q_OWNER "</trademark>" },
        { Q_INVALID, Q_TM Q_TERM " xml:lang=\"en\">" Q_OWNER "</trademark>" },
        { Q_INVALID, Q_TM Q_TERM " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                     "xsi:nil=\"true\">" Q_OWNER "</trademark>" },
        { Q_INVALID, Q_TM Q_TERM "></trademark>" },
        { Q_INVALID, Q_TM Q_TERM ">text" Q_OWNER "</trademark>" },
        { Q_INVALID, Q_TM Q_TERM ">" Q_OWNER "<allowance pollutant=\"SO2\" amount=\"1\" "
                     "unit=\"t\"/></trademark>" },
        { Q_INVALID, Q_TM Q_TERM "><owner name=\"A\" id_type=\"uscc\" id=\"" OWNER_A "\"> "
                     "</owner></trademark>" },
        { Q_INVALID, Q_TM Q_TERM "><owner name=\"\" id_type=\"uscc\" id=\"x\"/></trademark>" },
        { Q_INVALID, Q_TM Q_TERM "><owner name=\"A\" id_type=\"patent\" id=\"x\"/></trademark>" },
        { Q_INVALID, Q_TM Q_TERM "><owner name=\"A\" id_type=\"uscc\"/></trademark>" },
        { Q_INVALID, Q_TM Q_TERM "><x:owner xmlns:x=\"urn:other\" name=\"A\" id_type=\"uscc\" "
                     "id=\"x\"/></trademark>" },
        { Q_INVALID, "<trademark number=\"\" status=\"registered\" classes=\"9\" " Q_TERM ">"
                     Q_OWNER "</trademark>" },
        { Q_INVALID, "<trademark number=\"12345678901234567890123456789012345678901234567890"
                     "123456789012345\" status=\"registered\" classes=\"9\" " Q_TERM ">" Q_OWNER
                     "</trademark>" },
        { Q_INVALID, "<trademark number=\"1\" status=\"granted\" classes=\"9\" " Q_TERM ">"
                     Q_OWNER "</trademark>" },
        { Q_INVALID, Q_PAT "status=\"registered\" filing_date=\"2013-12-18\">" Q_OWNER
                     "</patent>" },
        { Q_INVALID, Q_PAT "status=\"granted\">" Q_OWNER "</patent>" },
        { Q_INVALID, Q_HOLD "capital=\"-1\" currency=\"CNY\">" Q_SH "</holding>" },
        { Q_INVALID, Q_HOLD "capital=\"1\" currency=\"cny\">" Q_SH "</holding>" },
        { Q_INVALID, Q_HOLD "capital=\"1\" currency=\"CNYY\">" Q_SH "</holding>" },
        { Q_INVALID, Q_HOLD "capital=\"1\" currency=\"CNY\">" Q_SH Q_SH "</holding>" },
        { Q_INVALID, Q_HOLD "capital=\"1\" currency=\"CNY\">" Q_OWNER "</holding>" },
        { Q_INVALID, Q_EM "<allowance pollutant=\"SO2\" amount=\"1.0000001\" unit=\"t\"/>"
                     "</emission>" },
        { Q_INVALID, Q_EM "<allowance pollutant=\"SO2\" amount=\"999999999999.5\" unit=\"t\"/>"
                     "</emission>" },
        { Q_VALID, Q_EM "<allowance pollutant=\"SO2\" amount=\"1.\" unit=\"t\"/></emission>" },
        { Q_INVALID, Q_EM "<allowance pollutant=\"\" amount=\"1\" unit=\"t\"/></emission>" },
        { Q_INVALID, Q_EM "<allowance pollutant=\"123456789012345678901234567890123\" amount=\"1\" "
                     "unit=\"t\"/></emission>" },
        { Q_INVALID, "<emission number=\"P-1\" status=\"registered\" " Q_TERM "><allowance "
                     "pollutant=\"SO2\" amount=\"1\" unit=\"t\"/>" Q_OWNER "</emission>" },
    };
    pl_err e = { 0 };
    xmlSchemaPtr schema = pl_xml_schema(&e, "register.xsd");
    ck_assert_ptr_nonnull(schema);
    xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema);
    ck_assert_ptr_nonnull(v);
    xmlSchemaSetValidStructuredErrors(v, quiet, NULL); /* the verdict is what counts */

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf b = { 0 };
        buf_printf(&b, "<register xmlns=\"urn:pledger:1\">%s</register>", cases[i].rec);
        xmlDocPtr doc = xmlReadMemory(b.s, (int)b.n, "case", NULL, XML_PARSE_NONET |
                                      XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        ck_assert_msg(doc != NULL, "case %zu is not well-formed: %s", i, cases[i].rec);
        xmlNodePtr rec = xmlDocGetRootElement(doc)->children;
        static const struct { const char *name; int kind; } kinds[] = {
            { "trademark", PLEDGER_KIND_TRADEMARK }, { "patent", PLEDGER_KIND_PATENT },
            { "holding", PLEDGER_KIND_EQUITY },      { "emission", PLEDGER_KIND_EMISSION },
            { "sea_area", PLEDGER_KIND_SEA_AREA },   { "land", PLEDGER_KIND_LAND },
        };
        int kind = 0;
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
            if (strcmp((const char *)rec->name, kinds[k].name) == 0)
                kind = kinds[k].kind;
        bool quick = pl_refreg_surely_valid(rec, kind);
        int full = xmlSchemaValidateOneElement(v, rec);
        ck_assert_msg(full >= 0, "case %zu: libxml2 failed", i);
        ck_assert_msg(!quick || full == 0, "case %zu: quick check accepts what libxml2 "
                      "refuses: %s", i, cases[i].rec);
        ck_assert_msg((full == 0) == (cases[i].expect != Q_INVALID),
                      "case %zu: libxml2 says %d: %s", i, full, cases[i].rec);
        ck_assert_msg(quick == (cases[i].expect == Q_PLAIN), "case %zu: quick check says %d: %s",
                      i, quick, cases[i].rec);
        xmlFreeDoc(doc);
        free(b.s);
    }
    xmlSchemaFreeValidCtxt(v);
}
END_TEST

/* The quick check never accepts what register.xsd refuses, over every
 * record of the register files of tests/data and the fuzz corpus, each
 * also with every attribute value replaced by values that are valid or
 * not depending on the attribute (dates out of range, padded numbers,
 * signs, full-width digits, empty...).  It may leave to libxml2 what is
 * valid; it must never pass what is not. */
static int soundness_one(xmlSchemaValidCtxtPtr v, xmlNodePtr rec, int kind, int *fast)
{
    bool quick = pl_refreg_surely_valid(rec, kind);
    int full = xmlSchemaValidateOneElement(v, rec);
    ck_assert_int_ge(full, 0);
    ck_assert_msg(!quick || full == 0, "the quick check accepts a record register.xsd refuses "
                  "(<%s>, line %ld)", (const char *)rec->name, xmlGetLineNo(rec));
    if (quick)
        (*fast)++;
    return full == 0;
}

static void soundness_file(xmlSchemaValidCtxtPtr v, const char *path, int *records, int *fast,
                           int *refused)
{
    static const struct { const char *name; int kind; } kinds[] = {
        { "trademark", PLEDGER_KIND_TRADEMARK }, { "patent", PLEDGER_KIND_PATENT },
        { "holding", PLEDGER_KIND_EQUITY },      { "emission", PLEDGER_KIND_EMISSION },
        { "sea_area", PLEDGER_KIND_SEA_AREA },   { "land", PLEDGER_KIND_LAND },
    };
    static const char *const values[] = {
        "", " ", "0", "1", "09", " 9", "+1", "-1", "1.5", "1e3", "\xef\xbc\x99", "true", "TRUE",
        "2024-02-29", "2023-02-29", "2024-13-01", "0000-01-01", "2024-1-1", "CNY", "cny",
        "uscc", "resident", "registered", "granted", "invention", "9 35", "0901 3501", "x",
    };
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING);
    if (!doc)
        return;   /* corpus inputs that are not XML at all */
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr rec = root ? root->children : NULL; rec; rec = rec->next) {
        if (rec->type != XML_ELEMENT_NODE)
            continue;
        int kind = 0;
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
            if (strcmp((const char *)rec->name, kinds[k].name) == 0)
                kind = kinds[k].kind;
        if (!kind)
            continue;
        (*records)++;
        soundness_one(v, rec, kind, fast);
        /* every attribute of the record and of its children, each value */
        for (xmlNodePtr el = rec; el; el = el == rec ? rec->children : el->next) {
            if (el->type != XML_ELEMENT_NODE)
                continue;
            for (xmlAttrPtr a = el->properties; a; a = a->next) {
                xmlChar *old = xmlGetProp(el, a->name);
                for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
                    xmlSetProp(el, a->name, BAD_CAST values[i]);
                    if (!soundness_one(v, rec, kind, fast))
                        (*refused)++;
                }
                xmlSetProp(el, a->name, old);
                xmlFree(old);
            }
        }
    }
    xmlFreeDoc(doc);
}

START_TEST(test_quick_check_sound_over_corpus)
{
    pl_err e = { 0 };
    xmlSchemaPtr schema = pl_xml_schema(&e, "register.xsd");
    ck_assert_ptr_nonnull(schema);
    xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema);
    ck_assert_ptr_nonnull(v);
    xmlSchemaSetValidStructuredErrors(v, quiet, NULL);
    int records = 0, fast = 0, refused = 0;
    const char *root = getenv("PLEDGER_SOURCE_ROOT");
    ck_assert_ptr_nonnull(root);
    const char *dirs[] = { "tests/data", "tests/fuzz/corpus/register" };
    for (size_t d = 0; d < 2; d++) {
        char *dpath = NULL;
        ck_assert(asprintf(&dpath, "%s/%s", root, dirs[d]) > 0);
        DIR *dp = opendir(dpath);
        ck_assert_ptr_nonnull(dp);
        for (struct dirent *de; (de = readdir(dp));) {
            if (de->d_name[0] == '.' || (d == 0 && (strncmp(de->d_name, "register", 8) != 0 &&
                                                    strstr(de->d_name, "register") == NULL)))
                continue;
            char *path = NULL;
            ck_assert(asprintf(&path, "%s/%s", dpath, de->d_name) > 0);
            soundness_file(v, path, &records, &fast, &refused);
            free(path);
        }
        closedir(dp);
        free(dpath);
    }
    fprintf(stderr, "quick check: %d records, %d record variants passed quickly, %d refused "
            "by register.xsd (none passed quickly)\n", records, fast, refused);
    ck_assert_int_gt(records, 20);
    ck_assert_int_gt(fast, 100);
    ck_assert_int_gt(refused, 100);
    xmlSchemaFreeValidCtxt(v);
}
END_TEST

/* An import into an empty ref_right (or ref_holding) inserts without
 * looking records up; one into a filled one compares digests.  The
 * connection's settings changed for the import are put back. */
START_TEST(test_fresh_tables_and_settings)
{
    static const char holding[] =
        "<holding company=\"914403001922038216\" capital=\"1\" currency=\"CNY\">"
        "<shareholder name=\"A\" id_type=\"uscc\" id=\"" OWNER_A "\"/></holding>\n";
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = NULL;
    buf b = { 0 };

    PL_OK(reg, pl_db_exec(reg->db, NULL, "PRAGMA cache_size = -2000"));
    PL_OK(reg, pl_db_exec(reg->db, NULL, "PRAGMA temp_store = FILE"));
    buf_printf(&b, "<register xmlns=\"urn:pledger:1\">\n%s</register>\n", holding);
    import_text(reg, b.s, &rep);
    assert_counts(rep, 1, 0, 0, 0);
    pledger_import_report_free(rep);
    ck_assert_int_eq(query_int(reg, "PRAGMA cache_size"), -2000);
    ck_assert_int_eq(query_int(reg, "PRAGMA temp_store"), 1);

    /* rights into an empty ref_right, the holding again into a filled ref_holding */
    free(b.s);
    b = (buf){ 0 };
    buf_printf(&b, "<register xmlns=\"urn:pledger:1\">\n%s<trademark number=\"40000001\" "
               "status=\"registered\" classes=\"9\" " TM_TERM ">" OWN_A "</trademark>\n"
               "<trademark number=\"40000001\" status=\"expired\" classes=\"9\" " TM_TERM ">"
               OWN_A "</trademark>\n</register>\n", holding);
    import_text(reg, b.s, &rep);
    assert_counts(rep, 1, 0, 1, 1);
    ck_assert_uint_eq(pledger_import_report_rejection_line(rep, 0), 4);
    ck_assert_ptr_nonnull(strstr(pledger_import_report_rejection_message(rep, 0),
                                 "already given at line 3"));
    pledger_import_report_free(rep);
    ck_assert_int_eq(query_int(reg, "SELECT count(*) FROM ref_right WHERE status = "
                                    "'registered'"), 1);

    /* and now both filled: the changed holding is updated, the mark unchanged */
    char *t = replace1(b.s, "capital=\"1\"", "capital=\"2\"");
    import_text(reg, t, &rep);
    assert_counts(rep, 0, 1, 1, 1);
    pledger_import_report_free(rep);
    ck_assert_int_eq(query_int(reg, "SELECT capital FROM ref_holding"), 2);
    ck_assert_int_eq(query_int(reg, "PRAGMA cache_size"), -2000);
    ck_assert_int_eq(query_int(reg, "PRAGMA temp_store"), 1);
    free(t);
    free(b.s);
    pledger_close(reg);
}
END_TEST

START_TEST(test_messages_are_utf8)
{
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = NULL;
    buf b = { 0 };

    /* a number of 70 CJK characters: too long, and quoted cut at a byte
     * count that falls inside a character */
    buf_printf(&b, "<register xmlns=\"urn:pledger:1\">\n  <land number=\"");
    for (int i = 0; i < 70; i++)
        buf_printf(&b, "国");
    buf_printf(&b, "\" status=\"registered\" valid_from=\"2000-01-01\" "
               "valid_to=\"2001-01-01\"><owner name=\"A\" id_type=\"uscc\" id=\"" OWNER_A
               "\"/></land>\n</register>\n");
    import_text(reg, b.s, &rep);
    assert_counts(rep, 0, 0, 0, 1);
    const char *msg = pledger_import_report_rejection_message(rep, 0);
    ck_assert_uint_eq(pledger_import_report_rejection_line(rep, 0), 2);
    ck_assert_msg(pl_utf8_valid(msg, strlen(msg)), "not UTF-8: %s", msg);
    ck_assert_ptr_nonnull(strstr(msg, "land 国国国"));
    pledger_import_report_free(rep);
    free(b.s);

    /* the reasons in the reader's language: the record named as the file
     * names it, its identifier's own check translated too */
    static const char two_bad[] =
        "<register xmlns=\"urn:pledger:1\">\n"
        "  <trademark number=\"30000009\" status=\"registered\" classes=\"9\" groups=\"0101\" "
        "valid_from=\"2014-01-07\" valid_to=\"2034-01-06\"><owner name=\"A\" "
        "id_type=\"uscc\" id=\"" OWNER_A "\"/></trademark>\n"
        "  <trademark number=\"30000010\" status=\"registered\" classes=\"9\" "
        "valid_from=\"2014-01-07\" valid_to=\"2034-01-06\"><owner name=\"A\" "
        "id_type=\"uscc\" id=\"91350100M000100Y44\"/></trademark>\n"
        "</register>\n";
    ck_assert_int_eq(pledger_set_language("zh_CN"), 0);
    import_text(reg, two_bad, &rep);
    ck_assert_int_eq(pledger_set_language(NULL), 0);
    assert_counts(rep, 0, 0, 0, 2);
    msg = pledger_import_report_rejection_message(rep, 0);
    ck_assert_msg(strstr(msg, "trademark 30000009: groups：群组 0101 属于第 1 类，不在所列类别之中"),
                  "%s", msg);
    msg = pledger_import_report_rejection_message(rep, 1);
    ck_assert_msg(strstr(msg, "trademark 30000010: owner[1]/@id") && strstr(msg, "校验"), "%s",
                  msg);
    pledger_import_report_free(rep);
    pledger_close(reg);
}
END_TEST

/* A register of @n one-line trademarks owned by OWNER_A, numbered from
 * 30000000; record i is on line i + 3. */
static char *gen_register(unsigned n, const char *extra_after, unsigned extra_at)
{
    buf b = { 0 };
    buf_printf(&b, "<?xml version=\"1.0\"?>\n<register xmlns=\"urn:pledger:1\">\n");
    for (unsigned i = 0; i < n; i++) {
        buf_printf(&b, "  <trademark number=\"%u\" status=\"registered\" classes=\"9\" "
                   "groups=\"0901\" valid_from=\"2014-01-07\" valid_to=\"2034-01-06\">"
                   "<owner name=\"A\" id_type=\"uscc\" id=\"" OWNER_A "\"/></trademark>\n",
                   30000000 + i);
        if (extra_after && i + 1 == extra_at)
            buf_add(&b, extra_after, strlen(extra_after));
    }
    buf_printf(&b, "</register>\n");
    return b.s;
}

START_TEST(test_rejection_line_beyond_65535)
{
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = NULL;
    char *text = gen_register(70000, "  <trademark number=\"1\" status=\"registered\" "
                              "classes=\"9\" valid_from=\"2014-01-07\" valid_to=\"2034-13-06\">"
                              "<owner name=\"A\" id_type=\"uscc\" id=\"" OWNER_A "\"/>"
                              "</trademark>\n  <!-- a comment -->\n  <land number=\"X\"/>\n",
                              69990);

    import_text(reg, text, &rep);
    assert_counts(rep, 70000, 0, 0, 2);
    ck_assert_uint_eq(pledger_import_report_rejection_line(rep, 0), 69990 + 3);
    ck_assert_ptr_nonnull(strstr(pledger_import_report_rejection_message(rep, 0), "valid_to"));
    /* after a comment, the element's own line (libxml2 keeps 16 bits of it) */
    ck_assert_uint_ge(pledger_import_report_rejection_line(rep, 1), 65535);
    pledger_import_report_free(rep);
    free(text);
    pledger_close(reg);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Refusals: the register stays as it was                             */

static void assert_refused_unchanged(pledger_registry *reg, const char *text, int code,
                                     const char *needle)
{
    char *before = dump_ref(reg);
    int64_t events = journal_count(reg);

    import_fails(reg, text, code, needle);
    char *after = dump_ref(reg);
    ck_assert_str_eq(before, after);
    /* a file refused for its content leaves a trace: one event that says
     * why, with no counts; the register rows are as they were */
    ck_assert_int_eq(journal_count(reg), events + (code == PLEDGER_EXML));
    if (code == PLEDGER_EXML) {
        char *op = query_text(reg, "SELECT operation FROM journal ORDER BY seq DESC LIMIT 1");
        char *why = query_text(reg, "SELECT payload ->> '$.refused' FROM journal "
                                    "ORDER BY seq DESC LIMIT 1");
        char *sha = query_text(reg, "SELECT payload ->> '$.sha256' FROM journal "
                                    "ORDER BY seq DESC LIMIT 1");
        char hex[65];
        ck_assert_str_eq(op, "register_import");
        ck_assert_msg(strncmp(why, "line ", 5) == 0 && strstr(pledger_errmsg(reg), why),
                      "the event says '%s', the call '%s'", why, pledger_errmsg(reg));
        sha256_hex(text, strlen(text), hex);
        ck_assert_str_eq(sha, hex);
        ck_assert_int_eq(query_int(reg, "SELECT payload ->> '$.inserted' IS NULL FROM journal "
                                        "ORDER BY seq DESC LIMIT 1"), 1);
        free(op);
        free(why);
        free(sha);
        /* the chain holds and the replay accepts the trace */
        int64_t bad = -1;
        PL_OK(reg, pledger_journal_verify(&bad, NULL, reg));
        ck_assert_msg(bad == 0, "journal: %s", pledger_errmsg(reg));
    }
    ck_assert_int_eq(query_int(reg, "SELECT count(*) FROM ref_import_seen"), 0);
    free(before);
    free(after);
}

START_TEST(test_truncated_and_not_well_formed)
{
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = NULL;
    char *path = data_path("register-small.xml");
    size_t len;
    char *text = pl_test_slurp(path, &len);

    import_file(reg, "register-small.xml", &rep);
    pledger_import_report_free(rep);

    /* every record of the truncated part differs from what is stored */
    char *changed = strdup(text);
    for (char *p = changed; (p = strstr(p, "status=\"registered\"")); p++)
        memcpy(p, "status=\"cancelled\" ", 19);
    changed[len / 2] = '\0';
    assert_refused_unchanged(reg, changed, PLEDGER_EXML, "register: line ");

    /* the same from a file: the message names it and the line of the end */
    char *trunc = pl_test_path(dir, "truncated.xml");
    pl_test_write(trunc, changed, len / 2);
    char *before = dump_ref(reg);
    PL_FAILS(reg, PLEDGER_EXML, pledger_register_import(&rep, reg, trunc, NULL));
    ck_assert_ptr_null(rep);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), trunc));
    char *after = dump_ref(reg);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);

    /* a mismatched tag on line 6, after a good record */
    assert_refused_unchanged(
        reg,
        "<?xml version=\"1.0\"?>\n"
        "<register xmlns=\"urn:pledger:1\">\n"
        "  <trademark number=\"10000001\" status=\"expired\" classes=\"9\" valid_from="
        "\"2014-01-07\" valid_to=\"2034-01-06\"><owner name=\"A\" id_type=\"uscc\" id=\""
        OWNER_A "\"/></trademark>\n"
        "  <land number=\"X\" status=\"registered\" valid_from=\"2000-01-01\"\n"
        "        valid_to=\"2001-01-01\"><owner name=\"A\" id_type=\"uscc\" id=\"" OWNER_A "\"/>\n"
        "  </sea_area>\n"
        "</register>\n",
        PLEDGER_EXML, "register: line 6: the element <land> opened on line 4 is closed "
        "by </sea_area>");
    /* a file cut short says so, naming the element left open (libxml2's
     * reader said "the start tag <?> of line 0", or "there is more after
     * the end of the document's root element" of a file cut after the root's
     * start tag) */
    assert_refused_unchanged(reg, "<?xml version=\"1.0\"?>\n"
                             "<register xmlns=\"urn:pledger:1\" as_of=\"2024-05-01\">\n",
                             PLEDGER_EXML, "register: line 2: the file ends before the "
                             "element <register> is closed: it is cut short");
    assert_refused_unchanged(reg, "<register xmlns=\"urn:pledger:1\">\n"
                             "  <trademark number=\"10000001\" status=\"expired\" classes=\"9\" "
                             "valid_from=\"2014-01-07\" valid_to=\"2034-01-06\"><owner name=\"A\" "
                             "id_type=\"uscc\" id=\"" OWNER_A "\"/></tradem",
                             PLEDGER_EXML, "register: line 2: the file ends before the "
                             "element <trademark> is closed: it is cut short");
    assert_refused_unchanged(reg, "<register xmlns=\"urn:pledger:1\">\n  <tradem",
                             PLEDGER_EXML, "line 2: the file ends before the element "
                             "<register> is closed");
    assert_refused_unchanged(reg, "<?xml version=\"1.0\"?>\n<regis", PLEDGER_EXML,
                             "line 2: the file ends inside a tag: it is cut short");
    /* an end tag left open in the middle: no line 0, no <?> */
    assert_refused_unchanged(reg, "<register xmlns=\"urn:pledger:1\">\n<land number=\"X\">\n"
                             "</land\n<b/>\n</register>\n", PLEDGER_EXML,
                             "line 4: a tag does not end with '>'");
    /* garbage after the root, two roots, bad UTF-8, no root at all */
    assert_refused_unchanged(reg, "<register xmlns=\"urn:pledger:1\"/>\n<register/>\n",
                             PLEDGER_EXML, "line 2: there is more after the end of the "
                             "document's root element");
    assert_refused_unchanged(reg, "<register xmlns=\"urn:pledger:1\"><land number=\"\xff\"/>"
                             "</register>", PLEDGER_EXML, "line 1");
    assert_refused_unchanged(reg, "<?xml version=\"1.0\"?>\n", PLEDGER_EXML, "line");
    assert_refused_unchanged(reg, "", PLEDGER_EXML, "line");
    /* a root that is not a register */
    assert_refused_unchanged(reg, "<register xmlns=\"urn:other\"/>", PLEDGER_EXML,
                             "namespace 'urn:other'");
    assert_refused_unchanged(reg, "<registry xmlns=\"urn:pledger:1\"/>", PLEDGER_EXML,
                             "<registry>");
    assert_refused_unchanged(reg, "<register xmlns=\"urn:pledger:1\" source=\"x\"/>",
                             PLEDGER_EXML, "register/@source");
    assert_refused_unchanged(reg, "<register xmlns=\"urn:pledger:1\" as_of=\"2024-02-30\"/>",
                             PLEDGER_EXML, "register/@as_of");

    /* an empty register imports nothing, and is journalled */
    import_text(reg, "<register xmlns=\"urn:pledger:1\" as_of=\"2024-05-01\"/>", &rep);
    assert_counts(rep, 0, 0, 0, 0);
    pledger_import_report_free(rep);

    free(trunc);
    free(changed);
    free(text);
    free(path);
    pledger_close(reg);
}
END_TEST

START_TEST(test_doctype_and_entities)
{
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = NULL;

    import_file(reg, "register-small.xml", &rep);
    pledger_import_report_free(rep);
    assert_refused_unchanged(reg,
                             "<?xml version=\"1.0\"?>\n"
                             "<!DOCTYPE register [<!ENTITY e \"20000001\">]>\n"
                             "<register xmlns=\"urn:pledger:1\"><land number=\"&e;\"/></register>",
                             PLEDGER_EXML, "line 2: a DOCTYPE declaration is not allowed");
    assert_refused_unchanged(reg,
                             "<?xml version=\"1.0\"?>\n"
                             "<!DOCTYPE register SYSTEM \"file:///etc/passwd\">\n"
                             "<register xmlns=\"urn:pledger:1\"/>",
                             PLEDGER_EXML, "DOCTYPE");
    /* a file with no element: libxml2's reader calls it "extra content
     * at the end of the document", which it said as "there is more after
     * the end of the document's root element" */
    static const char *const no_element[] = { "", "  \n\n ", "<?xml version=\"1.0\"?>\n" };
    for (size_t i = 0; i < sizeof no_element / sizeof no_element[0]; i++)
        assert_refused_unchanged(reg, no_element[i], PLEDGER_EXML,
                                 "the document holds no XML element");
    /* the billion laughs */
    buf b = { 0 };
    buf_printf(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE register [\n<!ENTITY l0 \"lol\">\n");
    for (int i = 1; i < 10; i++)
        buf_printf(&b, "<!ENTITY l%d \"&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;\">\n",
                   i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
    buf_printf(&b, "]>\n<register xmlns=\"urn:pledger:1\"><land number=\"&l9;\"/></register>");
    assert_refused_unchanged(reg, b.s, PLEDGER_EXML, "DOCTYPE");
    free(b.s);
    /* elements nested past the reader's limit: said in the reader's
     * words, naming the line (libxml2's advised "use XML_PARSE_HUGE
     * option", an option of no reader) */
    buf deep = { 0 };
    buf_printf(&deep, "<register xmlns=\"urn:pledger:1\">\n");
    for (int i = 0; i < 300; i++)
        buf_printf(&deep, "<a>");
    assert_refused_unchanged(reg, deep.s, PLEDGER_EXML,
                             "register: line 2: elements nested deeper than 256 levels");
    ck_assert_msg(!strstr(pledger_errmsg(reg), "XML_PARSE_HUGE"), "%s", pledger_errmsg(reg));
    free(deep.s);
    /* a row of comments: libxml2's reader parses it whole before it gives
     * the next node (a 200 MB file of them took 5 GB): refused at the
     * 10,001st, naming its line */
    buf quiet = { 0 };
    buf_printf(&quiet, "<register xmlns=\"urn:pledger:1\">\n");
    for (int i = 0; i < 10001; i++)
        buf_printf(&quiet, "<!-- %d -->\n", i);
    buf_printf(&quiet, "</register>\n");
    assert_refused_unchanged(reg, quiet.s, PLEDGER_EXML, "register: line 10002: more than "
                             "10000 comments and processing instructions in a row");
    free(quiet.s);
    /* an entity reference without any declaration */
    assert_refused_unchanged(reg,
                             "<register xmlns=\"urn:pledger:1\">\n"
                             "  <land number=\"&e;\" status=\"registered\"/>\n</register>",
                             PLEDGER_EXML, "line 2");
    assert_refused_unchanged(reg,
                             "<register xmlns=\"urn:pledger:1\">\n"
                             "  &e;\n</register>",
                             PLEDGER_EXML, "line 2");
    /* character references and the predefined entities are plain text */
    import_text(reg,
                "<register xmlns=\"urn:pledger:1\"><trademark number=\"&#x33;0000001\" "
                "status=\"registered\" mark=\"A &amp; B\" classes=\"9\" valid_from=\"2014-01-07\" "
                "valid_to=\"2034-01-06\"><owner name=\"A\" id_type=\"uscc\" id=\"" OWNER_A "\"/>"
                "</trademark></register>",
                &rep);
    assert_counts(rep, 1, 0, 0, 0);
    pledger_import_report_free(rep);
    pl_ref_trademark t;
    ck_assert_int_eq(pl_refreg_trademark(reg->db, NULL, "30000001", &t), 0);
    ck_assert_str_eq(t.mark, "A & B");
    pl_ref_trademark_clear(&t);
    pledger_close(reg);
}
END_TEST

/* A register is read in the encoding it declares: real GB18030 and
 * Latin-1 text is taken, and the same names come out as from UTF-8.  One
 * whose bytes are UTF-8 text under another declaration (an editor kept a
 * Latin-1 declaration) would be imported garbled: refused, naming the
 * line, nothing stored -- from memory and from a file, however short. */
START_TEST(test_declared_encodings)
{
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = NULL;
    static const char gb_record[] =   /* 福建省 ..., 商标 in GB18030 */
        "<?xml version=\"1.0\" encoding=\"GB18030\"?>\n"
        "<register xmlns=\"urn:pledger:1\">\n"
        "<trademark number=\"30000002\" status=\"registered\" mark=\"\xc9\xcc\xb1\xea\" "
        "classes=\"9\" valid_from=\"2014-01-07\" valid_to=\"2034-01-06\">"
        "<owner name=\"\xb8\xa3\xbd\xa8\xca\xa1\" id_type=\"uscc\" id=\"" OWNER_A "\"/>"
        "</trademark></register>";
    import_text(reg, gb_record, &rep);
    assert_counts(rep, 1, 0, 0, 0);
    pledger_import_report_free(rep);
    pl_ref_trademark t;
    ck_assert_int_eq(pl_refreg_trademark(reg->db, NULL, "30000002", &t), 0);
    ck_assert_str_eq(t.mark, "商标");
    pl_ref_trademark_clear(&t);
    char *owner = query_text(reg, "SELECT name FROM ref_owner WHERE name LIKE '福建%'");
    ck_assert_str_eq(owner, "福建省");
    free(owner);

    static const char *const mislabelled[] = {
        /* a long one: refused after eight UTF-8 characters */
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
        "<register xmlns=\"urn:pledger:1\">\n\n"
        "<trademark number=\"30000003\" status=\"registered\" mark=\"商标商标商标商标\" "
        "classes=\"9\" valid_from=\"2014-01-07\" valid_to=\"2034-01-06\">"
        "<owner name=\"福建省\" id_type=\"uscc\" id=\"" OWNER_A "\"/>"
        "</trademark></register>",
        /* one UTF-8 character in all: refused at the end */
        "<?xml version='1.0' encoding='windows-1252'?>\n"
        "<register xmlns=\"urn:pledger:1\">\n\n"
        "<trademark number=\"30000004\" status=\"registered\" mark=\"caf\xc3\xa9\" "
        "classes=\"9\" valid_from=\"2014-01-07\" valid_to=\"2034-01-06\">"
        "<owner name=\"A\" id_type=\"uscc\" id=\"" OWNER_A "\"/>"
        "</trademark></register>",
    };
    for (size_t i = 0; i < sizeof mislabelled / sizeof mislabelled[0]; i++) {
        assert_refused_unchanged(reg, mislabelled[i], PLEDGER_EXML, "line 4: the file declares "
                                 "encoding '");
        char *path = pl_test_path(dir, "mislabelled.xml");
        pl_test_write(path, mislabelled[i], strlen(mislabelled[i]));
        PL_FAILS(reg, PLEDGER_EXML, pledger_register_import(&rep, reg, path, NULL));
        ck_assert_ptr_null(rep);
        ck_assert_msg(strstr(pledger_errmsg(reg), "but its bytes are UTF-8 text: it would be "
                             "read garbled"), "%s", pledger_errmsg(reg));
        free(path);
    }
    /* Latin-1 that is Latin-1 (café: é is one byte, no UTF-8) is taken */
    import_text(reg,
                "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                "<register xmlns=\"urn:pledger:1\"><trademark number=\"30000005\" "
                "status=\"registered\" mark=\"caf\xe9\" classes=\"9\" valid_from=\"2014-01-07\" "
                "valid_to=\"2034-01-06\"><owner name=\"A\" id_type=\"uscc\" id=\"" OWNER_A "\"/>"
                "</trademark></register>",
                &rep);
    assert_counts(rep, 1, 0, 0, 0);
    pledger_import_report_free(rep);
    ck_assert_int_eq(pl_refreg_trademark(reg->db, NULL, "30000005", &t), 0);
    ck_assert_str_eq(t.mark, "café");
    pl_ref_trademark_clear(&t);
    pledger_close(reg);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Progress and cancel                                                 */

typedef struct calls {
    unsigned n;
    uint64_t records[16], bytes[16], total[16];
    uint64_t cancel_at; /* return non-zero when records reach it (0: never) */
} calls;

static int on_progress(uint64_t records, uint64_t bytes_read, uint64_t total, void *payload)
{
    calls *c = payload;
    if (c->n < 16) {
        c->records[c->n] = records;
        c->bytes[c->n] = bytes_read;
        c->total[c->n] = total;
    }
    c->n++;
    return c->cancel_at && records >= c->cancel_at;
}

START_TEST(test_progress)
{
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = NULL;
    pledger_import_options o = PLEDGER_IMPORT_OPTIONS_INIT;
    calls c = { 0 };
    char *text = gen_register(2500, NULL, 0);
    char *path = pl_test_path(dir, "gen.xml");
    size_t len = strlen(text);

    pl_test_write(path, text, len);
    o.progress = on_progress;
    o.payload = &c;
    PL_OK(reg, pledger_register_import(&rep, reg, path, &o));
    assert_counts(rep, 2500, 0, 0, 0);
    pledger_import_report_free(rep);
    ck_assert_uint_eq(c.n, 3);
    ck_assert_uint_eq(c.records[0], 1000);
    ck_assert_uint_eq(c.records[1], 2000);
    ck_assert_uint_eq(c.records[2], 2500);
    for (unsigned i = 0; i < c.n; i++) {
        ck_assert_uint_eq(c.total[i], len);
        ck_assert_uint_le(c.bytes[i], len);
        if (i)
            ck_assert_uint_ge(c.bytes[i], c.bytes[i - 1]);
    }
    ck_assert_uint_gt(c.bytes[0], 0);
    ck_assert_uint_lt(c.bytes[0], len);
    ck_assert_uint_eq(c.bytes[2], len);

    /* from memory too */
    memset(&c, 0, sizeof c);
    PL_OK(reg, pledger_register_import_memory(&rep, reg, text, len, &o));
    assert_counts(rep, 0, 0, 2500, 0);
    pledger_import_report_free(rep);
    ck_assert_uint_eq(c.n, 3);
    ck_assert_uint_eq(c.records[2], 2500);
    ck_assert_uint_eq(c.bytes[2], len);
    ck_assert_uint_eq(c.total[2], len);

    /* an empty register still reports once */
    memset(&c, 0, sizeof c);
    static const char empty[] = "<register xmlns=\"urn:pledger:1\"/>";
    PL_OK(reg, pledger_register_import_memory(&rep, reg, empty, strlen(empty), &o));
    pledger_import_report_free(rep);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_uint_eq(c.records[0], 0);
    ck_assert_uint_eq(c.bytes[0], strlen(empty));

    free(path);
    free(text);
    pledger_close(reg);
}
END_TEST

START_TEST(test_cancel)
{
    pledger_registry *reg = open_registrar();
    pledger_import_report *rep = (pledger_import_report *)1;
    pledger_import_options o = PLEDGER_IMPORT_OPTIONS_INIT;
    calls c = { 0 };
    char *text = gen_register(2500, NULL, 0);
    size_t len = strlen(text);
    pl_ref_trademark t;

    import_file(reg, "register-small.xml", &rep);
    pledger_import_report_free(rep);
    char *before = dump_ref(reg);
    o.progress = on_progress;
    o.payload = &c;

    c.cancel_at = 2000;
    PL_FAILS(reg, PLEDGER_ECANCELLED, pledger_register_import_memory(&rep, reg, text, len, &o));
    ck_assert_ptr_null(rep);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "cancelled"));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "2000 records"));
    ck_assert_uint_eq(c.n, 2);
    /* cancelled at the very end: still nothing */
    memset(&c, 0, sizeof c);
    c.cancel_at = 2500;
    PL_FAILS(reg, PLEDGER_ECANCELLED, pledger_register_import_memory(&rep, reg, text, len, &o));
    ck_assert_uint_eq(c.n, 3);
    char *after = dump_ref(reg);
    ck_assert_str_eq(before, after);
    ck_assert_int_eq(journal_count(reg), 1);
    ck_assert_int_eq(pl_refreg_trademark(reg->db, NULL, "30000000", &t), PLEDGER_ENOTFOUND);

    /* and the handle works afterwards */
    o.progress = NULL;
    PL_OK(reg, pledger_register_import_memory(&rep, reg, text, len, &o));
    assert_counts(rep, 2500, 0, 0, 0);
    pledger_import_report_free(rep);
    free(before);
    free(after);
    free(text);
    pledger_close(reg);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Roles, read-only registries, arguments                              */

START_TEST(test_roles_and_arguments)
{
    pledger_registry *reg = open_as("reg.db", 0);
    pledger_import_report *rep = (pledger_import_report *)1;
    char *path = data_path("register-small.xml");
    pledger_import_options bad = PLEDGER_IMPORT_OPTIONS_INIT;

    PL_FAILS(reg, PLEDGER_EPERM, pledger_register_import(&rep, reg, path, NULL));
    ck_assert_ptr_null(rep);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "pledger_set_actor"));
    PL_OK(reg, pledger_set_actor(reg, "teller", PLEDGER_ROLE_BANK));
    PL_FAILS(reg, PLEDGER_EPERM, pledger_register_import(&rep, reg, path, NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "registrar"));
    PL_OK(reg, pledger_set_actor(reg, "clerk", PLEDGER_ROLE_CLERK));
    PL_FAILS(reg, PLEDGER_EPERM, pledger_register_import_memory(&rep, reg, "x", 1, NULL));
    ck_assert_int_eq(query_int(reg, "SELECT count(*) FROM ref_right"), 0);
    ck_assert_int_eq(journal_count(reg), 0);

    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_register_import(NULL, reg, path, NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "out"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_register_import(&rep, reg, NULL, NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "path"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_register_import(&rep, reg, "", NULL));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_register_import_memory(&rep, reg, NULL, 1, NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "data"));
    bad.version = 0;
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_register_import(&rep, reg, path, &bad));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "opts->version"));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_register_import(&rep, NULL, path, NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "pledger_register_import"));
    char *missing = pl_test_path(dir, "missing.xml");
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_register_import(&rep, reg, missing, NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), missing));
    PL_FAILS(reg, PLEDGER_EIO, pledger_register_import(&rep, reg, dir, NULL));
    ck_assert_ptr_null(rep);
    /* getters accept NULL */
    ck_assert_uint_eq(pledger_import_report_inserted(NULL), 0);
    ck_assert_uint_eq(pledger_import_report_rejection_count(NULL), 0);
    ck_assert_ptr_null(pledger_import_report_sha256(NULL));
    ck_assert_ptr_null(pledger_import_report_rejection_message(NULL, 0));
    pledger_import_report_free(NULL);

    PL_OK(reg, pledger_register_import(&rep, reg, path, NULL));
    pledger_import_report_free(rep);
    pledger_close(reg);

    /* read-only: refused even for a registrar, and nothing changes */
    char *db = pl_test_path(dir, "reg.db");
    pledger_open_options ro = PLEDGER_OPEN_OPTIONS_INIT;
    ro.read_only = 1;
    PL_OK(NULL, pledger_open(&reg, db, &ro));
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    char *before = dump_ref(reg);
    rep = (pledger_import_report *)1;
    PL_FAILS(reg, PLEDGER_EREADONLY, pledger_register_import(&rep, reg, path, NULL));
    ck_assert_ptr_null(rep);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "read-only"));
    char *after = dump_ref(reg);
    ck_assert_str_eq(before, after);
    /* lookups work on a read-only registry */
    pl_ref_trademark t;
    ck_assert_int_eq(pl_refreg_trademark(reg->db, NULL, "10000001", &t), 0);
    pl_ref_trademark_clear(&t);
    pledger_close(reg);

    free(before);
    free(after);
    free(db);
    free(missing);
    free(path);
}
END_TEST

#else /* PL_REFREG_SLOW */

/* ------------------------------------------------------------------ */
/* Slow: constant memory over 100,000 and 1,000,000 records            */

typedef struct run {
    long maxrss_kb;
    double seconds;
    off_t bytes;
} run;

static run import_in_child(const char *xml, unsigned count)
{
    struct timespec t0, t1;
    struct rusage ru;
    struct stat sb;
    int status = 0;
    run r = { 0 };
    pid_t pid;

    ck_assert_int_eq(stat(xml, &sb), 0);
    r.bytes = sb.st_size;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        char *db = pl_test_path(dir, "slow.db");
        pledger_registry *reg = NULL;
        pledger_import_report *rep = NULL;
        unlink(db);
        if (pledger_open(&reg, db, NULL) ||
            pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR) ||
            pledger_register_import(&rep, reg, xml, NULL)) {
            fprintf(stderr, "import failed: %s\n", pledger_errmsg(reg));
            _exit(2);
        }
        if (pledger_import_report_inserted(rep) != count ||
            pledger_import_report_rejected(rep) != 0) {
            fprintf(stderr, "import counted %" PRIu64 " inserted, %" PRIu64 " rejected\n",
                    pledger_import_report_inserted(rep), pledger_import_report_rejected(rep));
            _exit(3);
        }
        pledger_import_report_free(rep);
        pledger_close(reg);
        _exit(0);
    }
    ck_assert_int_eq(wait4(pid, &status, 0, &ru), pid);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    r.maxrss_kb = ru.ru_maxrss;
    r.seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return r;
}

static void generate(const char *out, unsigned count)
{
    const char *root = getenv("PLEDGER_SOURCE_ROOT");
    char *cmd = NULL;
    ck_assert_ptr_nonnull(root);
    ck_assert(asprintf(&cmd, "/usr/bin/python3 '%s/tests/gen-register.py' %u '%s'", root, count,
                       out) > 0);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
}

START_TEST(test_constant_memory)
{
    char *small = pl_test_path(dir, "r100k.xml"), *large = pl_test_path(dir, "r1m.xml");
    run a, b;

    generate(small, 100000);
    a = import_in_child(small, 100000);
    unlink(small);
    generate(large, 1000000);
    b = import_in_child(large, 1000000);
    unlink(large);
    printf("refreg import: 100,000 records, %.1f MB in %.2f s (%.1f MB/s), peak RSS %ld kB\n",
           (double)a.bytes / 1e6, a.seconds, (double)a.bytes / 1e6 / a.seconds, a.maxrss_kb);
    printf("refreg import: 1,000,000 records, %.1f MB in %.2f s (%.1f MB/s), peak RSS %ld kB\n",
           (double)b.bytes / 1e6, b.seconds, (double)b.bytes / 1e6 / b.seconds, b.maxrss_kb);
    fflush(stdout);
    ck_assert_msg((double)b.maxrss_kb <= 1.5 * (double)a.maxrss_kb + 8 * 1024,
                  "peak RSS %ld kB for 1,000,000 records exceeds 1.5 x %ld kB + 8 MB",
                  b.maxrss_kb, a.maxrss_kb);
    free(small);
    free(large);
}
END_TEST
#endif

static Suite *make_suite(void)
{
    Suite *s = suite_create("refreg");
    TCase *tc = tcase_create("refreg");

    tcase_add_checked_fixture(tc, setup, teardown);
#ifdef PL_REFREG_SLOW
    tcase_set_timeout(tc, 3600);
    tcase_add_test(tc, test_constant_memory);
#else
    tcase_add_test(tc, test_import_small);
    tcase_add_test(tc, test_lookup_failures);
    tcase_add_test(tc, test_reimport_unchanged);
    tcase_add_test(tc, test_reimport_modified);
    tcase_add_test(tc, test_rejections);
    tcase_add_test(tc, test_more_rejections);
    tcase_add_test(tc, test_control_characters_rejected);
    tcase_add_test(tc, test_certificate_areas);
    tcase_add_test(tc, test_area_units);
    tcase_add_test(tc, test_messages_are_utf8);
    tcase_add_test(tc, test_quick_schema_check);
    tcase_add_test(tc, test_fresh_tables_and_settings);
    tcase_add_test(tc, test_truncated_and_not_well_formed);
    tcase_add_test(tc, test_doctype_and_entities);
    tcase_add_test(tc, test_declared_encodings);
    tcase_add_test(tc, test_progress);
    tcase_add_test(tc, test_cancel);
    tcase_add_test(tc, test_roles_and_arguments);
#endif
    suite_add_tcase(s, tc);
#ifndef PL_REFREG_SLOW
    /* a register of 70,000 records, and 40,000 record variants checked
     * twice: their own case, left out of the valgrind run
     * (tests/meson.build, 'heavy') */
    tc = tcase_create("large");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_rejection_line_beyond_65535);
    tcase_add_test(tc, test_quick_check_sound_over_corpus);
    suite_add_tcase(s, tc);
#endif
    return s;
}

PL_TEST_MAIN(make_suite)
