/* lib/base/ident and the public pledger_id_normalize(): checks and normal
 * forms of every identifier type, with real check characters. */
#include "testutil.h"

#include "base/date.h"
#include "base/ident.h"

static int32_t today; /* 2026-03-01 */

static void setup(void) { today = pl_days_from_civil(2026, 3, 1); }

static void ok_at(pledger_id_type type, const char *in, int32_t day, const char *want)
{
    char out[256];
    pl_err e;
    int rc;

    memset(out, 'x', sizeof out);
    pl_err_clear(&e);
    rc = pl_ident_normalize(&e, type, in, day, out, sizeof out);
    ck_assert_msg(rc == 0, "%s '%s' -> %d: %s", pl_ident_type_label(type), in, rc, e.msg);
    ck_assert_msg(strcmp(out, want) == 0, "%s '%s' -> '%s', expected '%s'",
                  pl_ident_type_label(type), in, out, want);
}

static void ok(pledger_id_type type, const char *in, const char *want)
{
    ok_at(type, in, today, want);
}

/* Fails with PLEDGER_EINVAL, leaves out empty, and the message is
 * exactly @msg (when it starts with '=') or contains @msg. */
static void bad_at(pledger_id_type type, const char *in, int32_t day, const char *msg)
{
    char out[256];
    pl_err e;
    int rc;

    memset(out, 'x', sizeof out);
    pl_err_clear(&e);
    rc = pl_ident_normalize(&e, type, in, day, out, sizeof out);
    ck_assert_msg(rc == PLEDGER_EINVAL, "%s '%s' -> %d, expected EINVAL (out '%s')",
                  pl_ident_type_label(type), in ? in : "(NULL)", rc, out);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(e.code, PLEDGER_EINVAL);
    if (msg[0] == '=')
        ck_assert_str_eq(e.msg, msg + 1);
    else
        ck_assert_msg(strstr(e.msg, msg) != NULL, "message '%s' lacks '%s'", e.msg, msg);
}

static void bad(pledger_id_type type, const char *in, const char *msg)
{
    bad_at(type, in, today, msg);
}

START_TEST(uscc)
{
    ok(PLEDGER_ID_USCC, "91350100M000100Y43", "91350100M000100Y43");
    ok(PLEDGER_ID_USCC, "914403001922038216", "914403001922038216");
    ok(PLEDGER_ID_USCC, " 91350100m000100y43 ", "91350100M000100Y43");
    ok(PLEDGER_ID_USCC, "9135 0100 M000 100Y 43", "91350100M000100Y43");
    /* full width: ９１３５０１００Ｍ０００１００Ｙ４３ */
    ok(PLEDGER_ID_USCC,
       "\xef\xbc\x99\xef\xbc\x91\xef\xbc\x93\xef\xbc\x95\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90"
       "\xef\xbc\x90\xef\xbc\xad\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90"
       "\xef\xbc\x90\xef\xbc\xb9\xef\xbc\x94\xef\xbc\x93",
       "91350100M000100Y43");
    bad(PLEDGER_ID_USCC, "91350100M000100Y44",
        "=USCC '91350100M000100Y44': check character is '4', expected '3'");
    bad(PLEDGER_ID_USCC, "914403001922038217", "check character is '7', expected '6'");
    bad(PLEDGER_ID_USCC, "91350100M000100Y4",
        "=USCC '91350100M000100Y4': has 17 characters, expected 18");
    bad(PLEDGER_ID_USCC, "91350100M000100Y433", "has 19 characters, expected 18");
    bad(PLEDGER_ID_USCC, "91350100I000100Y43",
        "USCC '91350100I000100Y43': character 9 'I' is not allowed");
    bad(PLEDGER_ID_USCC, "91350100O000100Y43", "character 9 'O' is not allowed");
    /* a '-' only groups: dropped, so a '-' typed for a character is a
     * character short */
    bad(PLEDGER_ID_USCC, "9135010-M000100Y43", "has 17 characters, expected 18");
    bad(PLEDGER_ID_USCC, "-1350100M000100Y43", "character 1 '-' is not allowed");
    bad(PLEDGER_ID_USCC, "9135010中M000100Y43", "character 8 '中' is not allowed");
    /* a correct check character, but a letter in the region code */
    bad(PLEDGER_ID_USCC, "9135A100M000100Y4Y",
        "characters 3 to 8 (the region code) must be digits, character 5 is 'A'");
}
END_TEST

START_TEST(resident)
{
    ok(PLEDGER_ID_RESIDENT, "11010519491231002X", "11010519491231002X");
    ok(PLEDGER_ID_RESIDENT, "11010519491231002x", "11010519491231002X");
    ok(PLEDGER_ID_RESIDENT, "440304200002291236", "440304200002291236"); /* 29 Feb 2000 */
    ok(PLEDGER_ID_RESIDENT, "11010519000101001X", "11010519000101001X"); /* first day */
    bad(PLEDGER_ID_RESIDENT, "110105194912310021",
        "=resident identity number: check character is '1', expected 'X'");
    bad(PLEDGER_ID_RESIDENT, "110105194902300012",
        "=resident identity number: birth date 1949-02-30 is not a real date");
    bad(PLEDGER_ID_RESIDENT, "110105189912310015",
        "=resident identity number: birth date 1899-12-31 is before 1900-01-01");
    bad(PLEDGER_ID_RESIDENT, "110105209912310010",
        "=resident identity number: birth date 2099-12-31 is in the future");
    /* born today is fine, tomorrow is not */
    ok_at(PLEDGER_ID_RESIDENT, "110105209912310010", pl_days_from_civil(2099, 12, 31),
          "110105209912310010");
    bad_at(PLEDGER_ID_RESIDENT, "110105209912310010", pl_days_from_civil(2099, 12, 30),
           "is in the future");
    bad(PLEDGER_ID_RESIDENT, "110105491231002",
        "15 characters; old 15-digit numbers are not accepted");
    bad(PLEDGER_ID_RESIDENT, "1101051949123100",
        "=resident identity number: has 16 characters, expected 18");
    bad(PLEDGER_ID_RESIDENT, "1101051949123100AX", "character 17 must be a digit");
    bad(PLEDGER_ID_RESIDENT, "11010519491231002Y", "character 18 must be a digit or X");
}
END_TEST

START_TEST(resident_message_hides_number)
{
    pl_err e;
    char out[32];
    ck_assert_int_eq(pl_ident_normalize(&e, PLEDGER_ID_RESIDENT, "110105194912310021", today,
                                        out, sizeof out),
                     PLEDGER_EINVAL);
    ck_assert_ptr_null(strstr(e.msg, "110105"));
    ck_assert_int_eq(pl_ident_normalize(&e, PLEDGER_ID_PASSPORT, "E123", today, out,
                                        sizeof out),
                     PLEDGER_EINVAL);
    ck_assert_ptr_null(strstr(e.msg, "E123"));
    ck_assert_str_eq(e.msg, "passport number: has 4 characters, expected 5 to 20");
}
END_TEST

START_TEST(passport_foreign)
{
    ok(PLEDGER_ID_PASSPORT, "E12345678", "E12345678");
    ok(PLEDGER_ID_PASSPORT, "e1234 5678", "E12345678");
    ok(PLEDGER_ID_PASSPORT, "AB123", "AB123");
    ok(PLEDGER_ID_PASSPORT, "A1234567890123456789", "A1234567890123456789");
    bad(PLEDGER_ID_PASSPORT, "A12345678901234567890", "has 21 characters, expected 5 to 20");
    ok(PLEDGER_ID_PASSPORT, "E1234-5678", "E12345678");
    bad(PLEDGER_ID_PASSPORT, "E12345678-",
        "=passport number: character 10 '-' is not allowed (A-Z and 0-9)");

    ok(PLEDGER_ID_FOREIGN_REG, "HRB 12345", "HRB12345");
    ok(PLEDGER_ID_FOREIGN_REG, "c-123/45.6", "C-123/45.6");
    ok(PLEDGER_ID_FOREIGN_REG, "7", "7");
    ok(PLEDGER_ID_FOREIGN_REG, "1234567890123456789012345678901234567890",
       "1234567890123456789012345678901234567890");
    bad(PLEDGER_ID_FOREIGN_REG, "12345678901234567890123456789012345678901",
        "has 41 characters, expected 1 to 40");
    bad(PLEDGER_ID_FOREIGN_REG, "A_B",
        "=foreign registration number 'A_B': character 2 '_' is not allowed "
        "(A-Z, 0-9, '-', '/' and '.')");
}
END_TEST

START_TEST(patent)
{
    ok(PLEDGER_ID_PATENT, "201310699744.2", "201310699744.2");
    ok(PLEDGER_ID_PATENT, "201080063196.9", "201080063196.9");
    ok(PLEDGER_ID_PATENT, "95115608.X", "95115608.X");
    ok(PLEDGER_ID_PATENT, "95115608x", "95115608.X");
    ok(PLEDGER_ID_PATENT, "2013106997442", "201310699744.2");
    ok(PLEDGER_ID_PATENT, "ZL201310699744.2", "201310699744.2");
    ok(PLEDGER_ID_PATENT, "zl 2013 1069 9744.2", "201310699744.2");
    ok(PLEDGER_ID_PATENT, "CN2013106997442", "201310699744.2");
    ok(PLEDGER_ID_PATENT, "ZL95115608.X", "95115608.X");
    /* ＺＬ２０１３１０６９９７４４．２ */
    ok(PLEDGER_ID_PATENT,
       "\xef\xbc\xba\xef\xbc\xac\xef\xbc\x92\xef\xbc\x90\xef\xbc\x91\xef\xbc\x93\xef\xbc\x91"
       "\xef\xbc\x90\xef\xbc\x96\xef\xbc\x99\xef\xbc\x99\xef\xbc\x97\xef\xbc\x94\xef\xbc\x94"
       "\xef\xbc\x8e\xef\xbc\x92",
       "201310699744.2");
    ok(PLEDGER_ID_PATENT, "03100001.0", "03100001.0");           /* old form, 2003 */
    ok(PLEDGER_ID_PATENT, "202610000001.9", "202610000001.9");   /* this year */
    ok_at(PLEDGER_ID_PATENT, "202710000001.3", INT32_MAX, "202710000001.3");

    bad(PLEDGER_ID_PATENT, "201310699744.3",
        "=patent application number '201310699744.3': check character is '3', expected '2'");
    bad(PLEDGER_ID_PATENT, "95115608.1", "check character is '1', expected 'X'");
    bad(PLEDGER_ID_PATENT, "202710000001.3",
        "year 2027 is not possible (this form is used from 2003 to 2026)");
    bad(PLEDGER_ID_PATENT, "200210000001.3", "year 2002 is not possible");
    bad(PLEDGER_ID_PATENT, "201340000001.8", "type digit 4 is not 1 (invention)");
    bad(PLEDGER_ID_PATENT, "50115608.9", "year 50 is not possible");
    bad(PLEDGER_ID_PATENT, "2013106997.442", "the '.' must come just before the check");
    bad(PLEDGER_ID_PATENT, "201310699744.", "the '.' must come just before the check");
    bad(PLEDGER_ID_PATENT, "20131069974.2", "expected YYYYTNNNNNNN.C");
    bad(PLEDGER_ID_PATENT, "2013106997A4.2", "character 11 must be a digit");
    bad(PLEDGER_ID_PATENT, "201310699744.Y", "the check character must be a digit or X");
    bad(PLEDGER_ID_PATENT, "ZL", "=patent application number is empty");
}
END_TEST

START_TEST(trademark_nice)
{
    ok(PLEDGER_ID_TRADEMARK, "12345678", "12345678");
    ok(PLEDGER_ID_TRADEMARK, "1", "1");
    ok(PLEDGER_ID_TRADEMARK, "00001234", "00001234");
    ok(PLEDGER_ID_TRADEMARK, "G1234567", "G1234567");
    ok(PLEDGER_ID_TRADEMARK, "g 123", "G123");
    bad(PLEDGER_ID_TRADEMARK, "123456789",
        "=trademark registration number '123456789': expected 1 to 8 digits, "
        "optionally after G (a Madrid designation)");
    bad(PLEDGER_ID_TRADEMARK, "G", "expected 1 to 8 digits");
    bad(PLEDGER_ID_TRADEMARK, "12A", "expected 1 to 8 digits");
    bad(PLEDGER_ID_TRADEMARK, "H123", "expected 1 to 8 digits");

    ok(PLEDGER_ID_NICE_CLASS, "9", "9");
    ok(PLEDGER_ID_NICE_CLASS, "09", "9");
    ok(PLEDGER_ID_NICE_CLASS, "45", "45");
    ok(PLEDGER_ID_NICE_CLASS, "00045", "45");
    ok(PLEDGER_ID_NICE_CLASS, "\xef\xbc\x90\xef\xbc\x99", "9"); /* ０９ */
    ok(PLEDGER_ID_NICE_CLASS, "1", "1");
    bad(PLEDGER_ID_NICE_CLASS, "0", "=Nice class '0': is not a class from 1 to 45");
    bad(PLEDGER_ID_NICE_CLASS, "46", "is not a class from 1 to 45");
    bad(PLEDGER_ID_NICE_CLASS, "99999999999999999999", "is not a class from 1 to 45");
    bad(PLEDGER_ID_NICE_CLASS, "4a", "=Nice class '4A': is not a whole number");
    bad(PLEDGER_ID_NICE_CLASS, "-9", "is not a whole number");
}
END_TEST

START_TEST(permit_certificate)
{
    ok(PLEDGER_ID_PERMIT, "91350100M000100Y43001P", "91350100M000100Y43001P");
    ok(PLEDGER_ID_PERMIT, "9135-0100", "9135-0100");
    ok(PLEDGER_ID_PERMIT, "abcd 1234", "ABCD1234");
    bad(PLEDGER_ID_PERMIT, "1234567",
        "=discharge permit number '1234567': has 7 characters, expected 8 to 40");
    bad(PLEDGER_ID_PERMIT, "12345678901234567890123456789012345678901",
        "has 41 characters, expected 8 to 40");
    bad(PLEDGER_ID_PERMIT, "ABC_12345", "character 4 '_' is not allowed (A-Z, 0-9 and '-')");

    ok(PLEDGER_ID_CERTIFICATE, "国海证2019B33020001号", "国海证2019B33020001号");
    ok(PLEDGER_ID_CERTIFICATE, " 国海证 2019b33020001 号 ", "国海证2019B33020001号");
    ok(PLEDGER_ID_CERTIFICATE, "浙(2020)杭州市不动产权第0001号", "浙(2020)杭州市不动产权第0001号");
    ok(PLEDGER_ID_CERTIFICATE, "X", "X");
    ok(PLEDGER_ID_CERTIFICATE, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                               "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
       "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
       "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十");
    bad(PLEDGER_ID_CERTIFICATE, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                                "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十X",
        "has 61 characters, expected 1 to 60");
    bad(PLEDGER_ID_CERTIFICATE, "AB\x01" "C", "character 3 is a control character");
    bad(PLEDGER_ID_CERTIFICATE, "AB\xc2\x9f", "character 3 is a control character");
    bad(PLEDGER_ID_CERTIFICATE, "AB\x7f", "character 3 is a control character");
}
END_TEST

/* Numbers as people type them: full-width digits, spaces, dashes of any
 * kind, invisible characters pasted along, "第...号" -- for every type. */
START_TEST(as_typed)
{
    /* USCC */
    ok(PLEDGER_ID_USCC, "9135-0100-M000-100Y-43", "91350100M000100Y43");
    ok(PLEDGER_ID_USCC, "91350100\xe2\x80\x93M000100Y43", "91350100M000100Y43"); /* – */
    ok(PLEDGER_ID_USCC, "\xef\xbb\xbf" "91350100M000\xe2\x80\x8b" "100Y43", "91350100M000100Y43");
    ok(PLEDGER_ID_USCC, "\xef\xbc\x99\xef\xbc\x91\xef\xbc\x8d" "350100M000100Y43", /* ９１－ */
       "91350100M000100Y43");
    /* resident */
    ok(PLEDGER_ID_RESIDENT, "110105-19491231-002X", "11010519491231002X");
    ok(PLEDGER_ID_RESIDENT, "110105 1949 1231 002x", "11010519491231002X");
    ok(PLEDGER_ID_RESIDENT, "\xef\xbc\x91\xef\xbc\x91\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90"
       "\xef\xbc\x95\xe2\x80\x94" "19491231002\xef\xbd\x98", "11010519491231002X"); /* １１０１０５—…ｘ */
    /* passport */
    ok(PLEDGER_ID_PASSPORT, "e 1234\xe2\x80\x90" "5678", "E12345678"); /* ‐ */
    /* patent */
    ok(PLEDGER_ID_PATENT, "ZL 2013 1 0699744.2", "201310699744.2");
    ok(PLEDGER_ID_PATENT, "2013-1-0699744.2", "201310699744.2");
    ok(PLEDGER_ID_PATENT, "201310699744\xe3\x80\x82" "2", "201310699744.2"); /* 。 */
    ok(PLEDGER_ID_PATENT, "\xe7\xac\xac ZL201310699744.2 \xe5\x8f\xb7", "201310699744.2");
    /* trademark */
    ok(PLEDGER_ID_TRADEMARK, "\xe7\xac\xac" "12345678" "\xe5\x8f\xb7", "12345678"); /* 第…号 */
    ok(PLEDGER_ID_TRADEMARK, "\xe7\xac\xac 1234 5678 \xe5\x8f\xb7", "12345678");
    ok(PLEDGER_ID_TRADEMARK, "\xe7\xac\xac\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xe5\x8f\xb7",
       "123");                                                           /* 第１２３号 */
    ok(PLEDGER_ID_TRADEMARK, "12345678\xe8\x99\x9f", "12345678");      /* 號 */
    ok(PLEDGER_ID_TRADEMARK, "\xe7\xac\xac" "12345678", "12345678");
    ok(PLEDGER_ID_TRADEMARK, "\xe7\xac\xacG1234567\xe5\x8f\xb7", "G1234567");
    ok(PLEDGER_ID_TRADEMARK, "1234-5678", "12345678");
    bad(PLEDGER_ID_TRADEMARK, "\xe7\xac\xac\xe5\x8f\xb7", "expected 1 to 8 digits"); /* 第号 */
    bad(PLEDGER_ID_TRADEMARK, "\xe7\xac\xac" "123456789" "\xe5\x8f\xb7",
        "=trademark registration number '123456789': expected 1 to 8 digits, "
        "optionally after G (a Madrid designation)");
    /* Nice class */
    ok(PLEDGER_ID_NICE_CLASS, "\xe7\xac\xac" "9" "\xe7\xb1\xbb", "9");          /* 第9类 */
    ok(PLEDGER_ID_NICE_CLASS, "\xe7\xac\xac\xef\xbc\x90\xef\xbc\x99\xe9\xa1\x9e", "9"); /* 第０９類 */
    ok(PLEDGER_ID_NICE_CLASS, "35\xe7\xb1\xbb", "35");
    bad(PLEDGER_ID_NICE_CLASS, "9\xe5\x8f\xb7", "is not a whole number");       /* 9号 */
    /* permit: '-' is part of the number, its other dashes become '-' */
    ok(PLEDGER_ID_PERMIT, "9135\xe2\x80\x93" "0100", "9135-0100");
    ok(PLEDGER_ID_PERMIT, "\xe7\xac\xac 91350100M000100Y43001P \xe5\x8f\xb7",
       "91350100M000100Y43001P");
    /* foreign registration: '-' kept */
    ok(PLEDGER_ID_FOREIGN_REG, "HRB\xe2\x88\x92" "123", "HRB-123"); /* − */
    /* certificate: 第 and 号 belong to it; dashes become '-' */
    ok(PLEDGER_ID_CERTIFICATE, "\xe5\x9b\xbd\xe6\xb5\xb7\xe8\xaf\x81 2019\xe2\x80\x94" "B33020001"
       "\xe5\x8f\xb7", "\xe5\x9b\xbd\xe6\xb5\xb7\xe8\xaf\x81" "2019-B33020001\xe5\x8f\xb7");
    ok(PLEDGER_ID_CERTIFICATE, "\xe7\xac\xac" "0001" "\xe5\x8f\xb7",
       "\xe7\xac\xac" "0001" "\xe5\x8f\xb7");
}
END_TEST

/* pl_ident_check(): pl_ident_normalize() and the GB/T 2260 address code. */
static void region_ok(const char *in)
{
    char out[32];
    pl_err e;
    pl_err_clear(&e);
    ck_assert_msg(pl_ident_check(&e, PLEDGER_ID_RESIDENT, in, today, out, sizeof out) == 0,
                  "'%s': %s", in, e.msg);
    ck_assert_int_eq(pl_ident_resident_region(&e, out), 0);
}

static void region_bad(const char *in, const char *msg)
{
    char out[32];
    pl_err e;
    pl_err_clear(&e);
    /* the format is right: pl_ident_normalize() accepts it */
    ck_assert_int_eq(pl_ident_normalize(&e, PLEDGER_ID_RESIDENT, in, today, out, sizeof out), 0);
    ck_assert_int_eq(pl_ident_resident_region(&e, out), PLEDGER_EINVAL);
    if (msg[0] == '=')
        ck_assert_str_eq(e.msg, msg + 1);
    else
        ck_assert_msg(strstr(e.msg, msg) != NULL, "'%s': message '%s' lacks '%s'", in, e.msg,
                      msg);
    ck_assert_msg(strstr(e.msg, in + 6) == NULL, "the message repeats the number: %s", e.msg);
    memset(out, 'x', sizeof out);
    ck_assert_int_eq(pl_ident_check(&e, PLEDGER_ID_RESIDENT, in, today, out, sizeof out),
                     PLEDGER_EINVAL);
    ck_assert_str_eq(out, "");
    ck_assert_msg(strstr(e.msg, msg + (msg[0] == '=')) != NULL, "'%s': '%s' lacks '%s'", in,
                  e.msg, msg);
}

/* Values no authority issues, though their check character is right: an
 * all-zero USCC, an authority or kind of body GB 32100 does not have, a
 * region in no province, an all-zero body; all-zero trademark, patent,
 * passport, foreign registration, permit and certificate numbers.  Each
 * message names the part that is wrong; the real forms still pass. */
START_TEST(impossible_values)
{
    bad(PLEDGER_ID_USCC, "000000000000000000",
        "=USCC '000000000000000000': character 1 (the registering authority) '0' is none of "
        "1-9, A, N, Y (GB 32100-2015)");
    bad(PLEDGER_ID_USCC, "90350100M000100Y46",
        "character 2 (the kind of body) '0' is not one registering authority '9' gives");
    bad(PLEDGER_ID_USCC, "99350100M000100Y4A", "character 2 (the kind of body) '9'");
    bad(PLEDGER_ID_USCC, "91000000000000000K",
        "characters 3 to 8 (the region code) '000000' are no region");
    bad(PLEDGER_ID_USCC, "91350100000000000H", "characters 9 to 17 (the body's code) are all zeros");
    ok(PLEDGER_ID_USCC, "11100000000013127D", "11100000000013127D");  /* a central body */
    ok(PLEDGER_ID_USCC, "Y1350100M000100Y4D", "Y1350100M000100Y4D");
    ok(PLEDGER_ID_USCC, "92350100MA2Y00001E", "92350100MA2Y00001E");  /* individual business */
    ok(PLEDGER_ID_USCC, "N2350100MA2Y000011", "N2350100MA2Y000011");  /* village collective */
    ok(PLEDGER_ID_USCC, "31350100MA2Y00001P", "31350100MA2Y00001P");  /* law firm */

    bad(PLEDGER_ID_RESIDENT, "000000000000000000", "birth date 0000-00-00 is not a real date");
    bad(PLEDGER_ID_TRADEMARK, "00000000", "=trademark registration number '00000000': is all zeros: no such "
        "registration number is issued");
    bad(PLEDGER_ID_TRADEMARK, "G0", "is all zeros");
    bad(PLEDGER_ID_TRADEMARK, "0", "is all zeros");
    ok(PLEDGER_ID_TRADEMARK, "00012345", "00012345");
    bad(PLEDGER_ID_PATENT, "201310000000.7", "the serial number (the 7 digits after the type "
        "digit) is all zeros");
    bad(PLEDGER_ID_PATENT, "85100000.2", "the serial number (the 5 digits after the type digit) "
        "is all zeros");
    bad(PLEDGER_ID_PASSPORT, "00000000", "=passport number: has no digit but 0 and no letter: "
        "no such number is issued");
    ok(PLEDGER_ID_PASSPORT, "E00000001", "E00000001");
    bad(PLEDGER_ID_FOREIGN_REG, "0000", "has no digit but 0 and no letter");
    bad(PLEDGER_ID_FOREIGN_REG, "-/.", "has no digit but 0 and no letter");
    bad(PLEDGER_ID_PERMIT, "00000000-000", "has no digit but 0 and no letter");
    bad(PLEDGER_ID_PERMIT, "--------", "has no digit but 0 and no letter");
    bad(PLEDGER_ID_CERTIFICATE, "0000000", "has no digit but 0 and no letter");
    bad(PLEDGER_ID_CERTIFICATE, "0-0/0", "has no digit but 0 and no letter");
    ok(PLEDGER_ID_CERTIFICATE, "国海证2019B35010200123", "国海证2019B35010200123");
}
END_TEST

START_TEST(resident_region)
{
    region_ok("11010519491231002X");  /* 北京市朝阳区, listed throughout */
    region_ok("110103198001010013");  /* 崇文区, last listed 2009 */
    region_ok("110103201001010018");  /* ... born in the year after: still possible */
    region_bad("110103201101010015",
               "=resident identity number: address code 110103 (北京市崇文区) was retired "
               "after 2009, before the holder's birth year 2011; a number is assigned under a code "
               "in use");
    region_ok("110221196001010012");  /* 昌平县, retired before 2002 (undated) */
    region_ok("330112196001010011");  /* 临安区 (2017): assigned after the birth */
    region_ok("420600201501010015");  /* 襄樊市 renamed 襄阳市, same code */
    region_ok("830000198001010018");  /* residence permit of a Taiwan resident */
    region_ok("440120197001010011");  /* 广州市 "市区" of the 1980/1982 editions */
    region_bad("440120199001010010", "address code 440120 is no GB/T 2260 division");
    region_ok("46010019700101001X");  /* a prefecture's own code */
    region_bad("990101198001010014",
               "=resident identity number: address code 990101: 99 is no province, "
               "autonomous region or municipality of GB/T 2260");
    region_bad("110199198001010016",
               "=resident identity number: address code 110199 is no GB/T 2260 division "
               "(the division tables up to 2023 have no such code in 北京市)");
    /* born after the newest edition: the code may be newer than the table */
    region_ok("110199202401010014");
    /* other types are not region-checked */
    {
        char out[32];
        pl_err e;
        ck_assert_int_eq(pl_ident_check(&e, PLEDGER_ID_USCC, "91350100M000100Y43", today, out,
                                         sizeof out), 0);
        ck_assert_int_eq(pl_ident_resident_region(&e, "99"), PLEDGER_EINVAL);
        ck_assert_int_eq(pl_ident_resident_region(&e, NULL), PLEDGER_EINVAL);
    }
}
END_TEST

/* The reference register import checks resident numbers the same way. */
START_TEST(register_import_region)
{
    static const char xml[] =
        "<register xmlns=\"urn:pledger:1\" as_of=\"2024-03-15\">\n"
        "  <land number=\"J110118201800123\" status=\"registered\"\n"
        "        valid_from=\"2018-01-01\" valid_to=\"2047-12-31\">\n"
        "    <owner name=\"A\" id_type=\"resident\" id=\"110105-19491231-002X\"/>\n"
        "  </land>\n"
        "  <land number=\"J110118201800124\" status=\"registered\"\n"
        "        valid_from=\"2018-01-01\" valid_to=\"2047-12-31\">\n"
        "    <owner name=\"B\" id_type=\"resident\" id=\"990101198001010014\"/>\n"
        "  </land>\n"
        "</register>\n";
    char *dir = pl_test_mkdir(), *path = pl_test_path(dir, "reg.db");
    pledger_registry *reg = NULL;
    pledger_import_report *rep = NULL;

    PL_OK(NULL, pledger_open(&reg, path, NULL));
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_OK(reg, pledger_register_import_memory(&rep, reg, xml, sizeof xml - 1, NULL));
    ck_assert_uint_eq(pledger_import_report_inserted(rep), 1);
    ck_assert_uint_eq(pledger_import_report_rejected(rep), 1);
    ck_assert_uint_eq(pledger_import_report_rejection_line(rep, 0), 6); /* its record */
    ck_assert_msg(strstr(pledger_import_report_rejection_message(rep, 0),
                         "address code 990101: 99 is no province") != NULL,
                  "%s", pledger_import_report_rejection_message(rep, 0));
    pledger_import_report_free(rep);
    pledger_close(reg);
    free(path);
    pl_test_rmdir(dir);
}
END_TEST

START_TEST(generic_errors)
{
    char out[64], small[18];
    pl_err e;

    bad(PLEDGER_ID_USCC, "", "=USCC is empty");
    bad(PLEDGER_ID_TRADEMARK, " \xe3\x80\x80 ", "=trademark registration number is empty");
    bad(PLEDGER_ID_USCC, "9135\xc0\xaf", "=USCC is not valid UTF-8");
    bad(PLEDGER_ID_USCC, NULL, "=USCC is missing");
    bad((pledger_id_type)0, "1", "=identifier type 0 is unknown");
    bad((pledger_id_type)10, "1", "=identifier type 10 is unknown");
    bad((pledger_id_type)-3, "1", "=identifier type -3 is unknown");

    /* out too small: 18 characters need 19 bytes */
    memset(small, 'x', sizeof small);
    ck_assert_int_eq(pl_ident_normalize(&e, PLEDGER_ID_USCC, "91350100M000100Y43", today,
                                        small, sizeof small),
                     PLEDGER_EINVAL);
    ck_assert_str_eq(small, "");
    ck_assert_str_eq(e.msg, "USCC '91350100M000100Y43': needs 19 bytes, the buffer has 18");
    ck_assert_int_eq(pl_ident_normalize(&e, PLEDGER_ID_USCC, "91350100M000100Y43", today,
                                        out, 19),
                     0);
    ck_assert_str_eq(out, "91350100M000100Y43");
    ck_assert_int_eq(pl_ident_normalize(&e, PLEDGER_ID_USCC, "91350100M000100Y43", today,
                                        NULL, 0),
                     PLEDGER_EINVAL);
    ck_assert_str_eq(e.msg, "USCC: no output buffer");
    /* a NULL pl_err is allowed */
    ck_assert_int_eq(pl_ident_normalize(NULL, PLEDGER_ID_USCC, "x", today, out, sizeof out),
                     PLEDGER_EINVAL);
}
END_TEST

START_TEST(long_value_is_cut_in_message)
{
    char in[400], out[64];
    pl_err e;
    memset(in, 'A', sizeof in - 1);
    in[sizeof in - 1] = '\0';
    ck_assert_int_eq(pl_ident_normalize(&e, PLEDGER_ID_PERMIT, in, today, out, sizeof out),
                     PLEDGER_EINVAL);
    ck_assert(strstr(e.msg, "...': has 399 characters, expected 8 to 40") != NULL);
    ck_assert(strlen(e.msg) < 200);
}
END_TEST

START_TEST(type_names)
{
    static const char *const names[] = {NULL,       "uscc",      "resident",   "passport",
                                        "foreign_reg", "patent", "trademark", "nice_class",
                                        "permit",   "certificate"};
    int t;
    for (t = 1; t <= 9; t++) {
        ck_assert_str_eq(pl_ident_type_name((pledger_id_type)t), names[t]);
        ck_assert_str_eq(pledger_id_type_name((pledger_id_type)t), names[t]);
        ck_assert_int_eq(pl_ident_type_from_name(names[t]), t);
        ck_assert_int_eq(pledger_id_type_from_name(names[t]), t);
    }
    ck_assert_ptr_null(pl_ident_type_name((pledger_id_type)0));
    ck_assert_ptr_null(pledger_id_type_name((pledger_id_type)10));
    ck_assert_int_eq(pl_ident_type_from_name("USCC"), 0);
    ck_assert_int_eq(pl_ident_type_from_name(""), 0);
    ck_assert_int_eq(pl_ident_type_from_name(NULL), 0);
    ck_assert_int_eq(pledger_id_type_from_name("bogus"), 0);
    ck_assert_str_eq(pl_ident_type_label(PLEDGER_ID_PATENT), "patent application number");
    ck_assert_str_eq(pl_ident_type_label((pledger_id_type)77), "identifier");
}
END_TEST

START_TEST(public_normalize)
{
    char out[64];

    PL_OK(NULL, pledger_id_normalize(out, sizeof out, PLEDGER_ID_PATENT, "ZL 201310699744.2"));
    ck_assert_str_eq(out, "201310699744.2");
    ck_assert_str_eq(pledger_errmsg(NULL), "");
    PL_OK(NULL, pledger_id_normalize(out, sizeof out, PLEDGER_ID_RESIDENT,
                                     "11010519491231002x"));
    ck_assert_str_eq(out, "11010519491231002X");
    PL_OK(NULL, pledger_id_normalize(out, sizeof out, PLEDGER_ID_TRADEMARK,
                                     "\xe7\xac\xac 12345678 \xe5\x8f\xb7"));
    ck_assert_str_eq(out, "12345678");
    /* the address code is checked too */
    PL_FAILS(NULL, PLEDGER_EINVAL,
             pledger_id_normalize(out, sizeof out, PLEDGER_ID_RESIDENT, "990101198001010014"));
    ck_assert_str_eq(pledger_errmsg(NULL),
                     "pledger_id_normalize: resident identity number: address code 990101: "
                     "99 is no province, autonomous region or municipality of GB/T 2260");
    ck_assert_str_eq(out, "");

    PL_FAILS(NULL, PLEDGER_EINVAL,
             pledger_id_normalize(out, sizeof out, PLEDGER_ID_USCC, "91350100M000100Y44"));
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(pledger_errmsg(NULL), "pledger_id_normalize: USCC '91350100M000100Y44': "
                                           "check character is '4', expected '3'");
    /* the system clock: nobody born in 2099 yet */
    PL_FAILS(NULL, PLEDGER_EINVAL,
             pledger_id_normalize(out, sizeof out, PLEDGER_ID_RESIDENT, "110105209912310010"));
    ck_assert(strstr(pledger_errmsg(NULL), "is in the future") != NULL);
    PL_FAILS(NULL, PLEDGER_EINVAL,
             pledger_id_normalize(out, sizeof out, PLEDGER_ID_PATENT, "209910000001.X"));
    ck_assert(strstr(pledger_errmsg(NULL), "year 2099 is not possible") != NULL);

    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_id_normalize(NULL, 10, PLEDGER_ID_USCC, "x"));
    ck_assert_str_eq(pledger_errmsg(NULL), "pledger_id_normalize: out is NULL");
    strcpy(out, "keep");
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_id_normalize(out, 0, PLEDGER_ID_USCC, "x"));
    ck_assert_str_eq(pledger_errmsg(NULL), "pledger_id_normalize: out_size is 0");
    ck_assert_str_eq(out, "keep");
    PL_FAILS(NULL, PLEDGER_EINVAL,
             pledger_id_normalize(out, sizeof out, (pledger_id_type)42, "x"));
    ck_assert_str_eq(pledger_errmsg(NULL),
                     "pledger_id_normalize: type 42 is not an identifier type");
    ck_assert_str_eq(out, "");
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_id_normalize(out, sizeof out, PLEDGER_ID_USCC, NULL));
    ck_assert_str_eq(pledger_errmsg(NULL), "pledger_id_normalize: text is NULL");
    PL_FAILS(NULL, PLEDGER_EINVAL,
             pledger_id_normalize(out, 5, PLEDGER_ID_USCC, "91350100M000100Y43"));
    ck_assert(strstr(pledger_errmsg(NULL), "needs 19 bytes, the buffer has 5") != NULL);
    ck_assert_str_eq(out, "");
}
END_TEST

/* ISO 3166-1 alpha-2: the codes assigned, upper case, two letters; every
 * letter pair is tried (the table is searched by halves: one out of
 * order would hide its neighbours). */
START_TEST(country_codes)
{
    static const char *const yes[] = { "AD", "CN", "HK", "MO", "TW", "US", "ZW", "XK" };
    static const char *const no[] = { "ZZ", "cn", "Cn", "C", "CNN", "", "UK", "EU", "XK " };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        ck_assert_msg(pl_ident_country(yes[i]) == (strcmp(yes[i], "XK") != 0), "%s", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        ck_assert_msg(!pl_ident_country(no[i]), "%s", no[i]);
    ck_assert(!pl_ident_country(NULL));
    int n = 0;
    char code[3] = "";
    for (code[0] = 'A'; code[0] <= 'Z'; code[0]++)
        for (code[1] = 'A'; code[1] <= 'Z'; code[1]++)
            n += pl_ident_country(code);
    ck_assert_int_eq(n, 249);
}
END_TEST

static Suite *ident_suite(void)
{
    Suite *s = suite_create("ident");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, uscc);
    tcase_add_test(tc, resident);
    tcase_add_test(tc, resident_message_hides_number);
    tcase_add_test(tc, passport_foreign);
    tcase_add_test(tc, patent);
    tcase_add_test(tc, trademark_nice);
    tcase_add_test(tc, permit_certificate);
    tcase_add_test(tc, as_typed);
    tcase_add_test(tc, impossible_values);
    tcase_add_test(tc, resident_region);
    tcase_add_test(tc, register_import_region);
    tcase_add_test(tc, generic_errors);
    tcase_add_test(tc, long_value_is_cut_in_message);
    tcase_add_test(tc, type_names);
    tcase_add_test(tc, public_normalize);
    tcase_add_test(tc, country_codes);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(ident_suite)
