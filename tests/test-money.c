/* lib/base/money: currencies, parsing and formatting of minor units. */
#include "testutil.h"

#include "base/money.h"

#include <pledger/money.h>

static void parse_is(const char *text, const char *cur, int64_t want)
{
    pl_err e;
    int64_t got = -7;
    int rc;

    pl_err_clear(&e);
    rc = pl_money_parse(&e, text, cur, &got);
    ck_assert_msg(rc == 0, "parse '%s' %s -> %d: %s", text, cur, rc, e.msg);
    ck_assert_msg(got == want, "parse '%s' %s = %lld, expected %lld", text, cur,
                  (long long)got, (long long)want);
}

/* Fails with PLEDGER_EINVAL, *out untouched; message exactly @msg after a
 * leading '=', else containing it. */
static void parse_bad(const char *text, const char *cur, const char *msg)
{
    pl_err e;
    int64_t got = -7;
    int rc;

    pl_err_clear(&e);
    rc = pl_money_parse(&e, text, cur, &got);
    ck_assert_msg(rc == PLEDGER_EINVAL, "parse '%s' %s -> %d (%lld), expected EINVAL",
                  text ? text : "(NULL)", cur ? cur : "(NULL)", rc, (long long)got);
    ck_assert_int_eq(got, -7);
    ck_assert_int_eq(e.code, PLEDGER_EINVAL);
    if (msg[0] == '=')
        ck_assert_str_eq(e.msg, msg + 1);
    else
        ck_assert_msg(strstr(e.msg, msg) != NULL, "message '%s' lacks '%s'", e.msg, msg);
}

static void format_is(int64_t v, const char *cur, const char *want)
{
    char buf[PL_MONEY_TEXT_MAX];
    ck_assert_int_eq(pl_money_format(v, cur, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, want);
}

START_TEST(currencies)
{
    static const char *const two[] = {"CNY", "HKD", "MOP", "TWD", "USD", "EUR", "GBP", "AUD",
                                      "CAD", "CHF", "SGD", "NZD", "SEK", "NOK", "DKK", "RUB",
                                      "INR", "THB", "MYR", "PHP", "IDR", "BRL", "MXN", "ZAR",
                                      "AED", "SAR", "TRY", "PLN", "CZK", "HUF", "ILS"};
    size_t i;
    for (i = 0; i < sizeof two / sizeof two[0]; i++)
        ck_assert_msg(pl_currency_digits(two[i]) == 2, "%s", two[i]);
    ck_assert_int_eq(pl_currency_digits("JPY"), 0);
    ck_assert_int_eq(pl_currency_digits("KRW"), 0);
    ck_assert_int_eq(pl_currency_digits("VND"), 0);
    ck_assert_int_eq(pl_currency_digits("CLP"), 0);
    ck_assert_int_eq(pl_currency_digits("ISK"), 0);
    ck_assert_int_eq(pl_currency_digits("KWD"), 3);
    ck_assert_int_eq(pl_currency_digits("BHD"), 3);
    ck_assert_int_eq(pl_currency_digits("OMR"), 3);
    ck_assert_int_eq(pl_currency_digits("ZAR"), 2);  /* last in the table */
    ck_assert_int_eq(pl_currency_digits("AED"), 2);  /* first */
    ck_assert_int_eq(pl_currency_digits("XYZ"), -1);
    ck_assert_int_eq(pl_currency_digits("cny"), -1);
    ck_assert_int_eq(pl_currency_digits("CN"), -1);
    ck_assert_int_eq(pl_currency_digits("CNYY"), -1);
    ck_assert_int_eq(pl_currency_digits(""), -1);
    ck_assert_int_eq(pl_currency_digits(NULL), -1);
}
END_TEST

START_TEST(parse_plain)
{
    parse_is("3000000", "CNY", 300000000);
    parse_is("3,000,000.00", "CNY", 300000000);
    parse_is("3000000.5", "CNY", 300000050);
    parse_is("3000000.55", "CNY", 300000055);
    parse_is("0", "CNY", 0);
    parse_is("0.01", "CNY", 1);
    parse_is("007", "CNY", 700);
    parse_is("1,000", "CNY", 100000);
    parse_is("999", "CNY", 99900);
    parse_is(" 12 ", "CNY", 1200);
    parse_is("\xef\xbc\x91\xef\xbc\x8c\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90\xef\xbc\x8e"
             "\xef\xbc\x95", "CNY", 100050);           /* １，０００．５ */
    parse_is("1000", "JPY", 1000);
    parse_is("1,234,567", "JPY", 1234567);
    parse_is("1.234", "KWD", 1234);
    parse_is("92233720368547758.07", "CNY", INT64_MAX);
    parse_is("9223372036854775807", "JPY", INT64_MAX);
    parse_is("9,223,372,036,854,775,807", "JPY", INT64_MAX);
}
END_TEST

START_TEST(parse_chinese_units)
{
    parse_is("300万", "CNY", INT64_C(300000000));
    parse_is("1.5亿", "CNY", INT64_C(15000000000));
    parse_is("1,000万", "CNY", INT64_C(1000000000));
    parse_is("0.0001万", "CNY", 100);                  /* 1 yuan */
    parse_is("1.000001万", "CNY", 1000001);            /* 4 + 2 decimals */
    parse_is("2亿", "JPY", INT64_C(200000000));
    parse_is("1.00000001亿", "JPY", 100000001);
    parse_bad("1.0000001万", "CNY", "amount '1.0000001万' has 7 decimals; CNY allows 6 with 万;");
    parse_bad("1.000000001亿", "JPY", "has 9 decimals; JPY allows 8 with 亿");
    parse_bad("万", "CNY", "is not a number");
    parse_bad("300万万", "CNY", "is not a number");
    parse_bad("1000000000亿", "CNY", "is too large");
}
END_TEST

START_TEST(parse_errors)
{
    parse_bad("-5", "CNY", "amount '-5' is negative;");
    parse_bad("", "CNY", "amount is empty;");
    parse_bad(" \xe3\x80\x80 ", "CNY", "amount is empty;");
    parse_bad(NULL, "CNY", "=amount is missing");
    parse_bad("abc", "CNY", "amount 'abc' is not a number;");
    parse_bad("+5", "CNY", "is not a number");
    parse_bad("5元元", "CNY", "is not a number");
    parse_bad("元5", "CNY", "is not a number");
    parse_bad("1.5.5", "CNY", "is not a number");
    parse_bad(".5", "CNY", "is not a number");
    parse_bad("1e6", "CNY", "is not a number");
    parse_bad("1 000", "CNY", "is not a number");
    parse_bad("1.", "CNY", "amount '1.': no digits after the '.';");
    parse_bad("1,00", "CNY", "amount '1,00': commas must separate groups of three digits;");
    parse_bad("1000,000", "CNY", "commas must separate groups of three digits");
    parse_bad("1,000,00", "CNY", "commas must separate groups of three digits");
    parse_bad("1,0000", "CNY", "commas must separate groups of three digits");
    parse_bad(",100", "CNY", "commas must separate groups of three digits");
    parse_bad("1,000,", "CNY", "commas must separate groups of three digits");
    parse_bad("1.001", "CNY", "amount '1.001' has 3 decimals; CNY has 2;");
    parse_bad("1000.5", "JPY", "amount '1000.5' has 1 decimals; JPY has 0;");
    parse_bad("92233720368547758.08", "CNY",
              "amount '92233720368547758.08' is too large (more than 9223372036854775807 "
              "minor units);");
    parse_bad("9223372036854775808", "JPY", "is too large");
    parse_bad("99999999999999999999999999999999", "JPY", "is too large");
    parse_bad("1", "XYZ", "=amount: currency 'XYZ' is not a known ISO 4217 code");
    parse_bad("1", "cny", "currency 'cny' is not a known ISO 4217 code");
    parse_bad("1", NULL, "=amount: the currency is missing");
    parse_bad("1\xc0\xaf", "CNY", "=amount is not valid UTF-8");
}
END_TEST

/* As people write money: 万元, the yuan sign, spaces before the unit, full
 * width; refusals end with the forms that would have been accepted. */
START_TEST(parse_as_written)
{
    parse_is("300万元", "CNY", INT64_C(300000000));
    parse_is("3000元", "CNY", 300000);
    parse_is("3.5亿元", "CNY", INT64_C(35000000000));
    parse_is("300 万元", "CNY", INT64_C(300000000));
    parse_is("300万 元", "CNY", INT64_C(300000000));
    parse_is("¥3,000,000.00", "CNY", 300000000);
    parse_is("￥ 3000000", "CNY", 300000000);
    parse_is("¥1,000", "JPY", 1000);
    parse_is("\xef\xbc\x93\xef\xbc\x90\xef\xbc\x90万元", "CNY", INT64_C(300000000)); /* ３００万元 */
    parse_bad("300万元", "USD", "amount '300万元': 元 is the yuan, but the currency is USD;");
    parse_bad("¥5", "USD", "the sign is that of the yuan or the yen, but the currency is USD");
    parse_bad("3 000", "CNY", "is not a number");
    parse_bad("3,00", "CNY",
              "=amount '3,00': commas must separate groups of three digits; accepted: 3000000, "
              "3,000,000.00, 300万, 300万元, 3.5亿 (CNY: at most 2 decimals, commas only "
              "between groups of three digits)");
    parse_bad("3.5", "JPY",
              "=amount '3.5' has 1 decimals; JPY has 0; accepted: 3000000, 3,000,000, 300万, "
              "3.5亿 (JPY: 0 decimals, commas only between groups of three digits)");
    parse_bad("1.2345", "KWD", "; accepted: 3000000, 3,000,000.000, 300万, 3.5亿 (KWD: at most 3");
}
END_TEST

START_TEST(format)
{
    char buf[8];

    format_is(300000000, "CNY", "3,000,000.00");
    format_is(0, "CNY", "0.00");
    format_is(5, "CNY", "0.05");
    format_is(100, "CNY", "1.00");
    format_is(99999, "CNY", "999.99");
    format_is(100000, "CNY", "1,000.00");
    format_is(-123456, "CNY", "-1,234.56");
    format_is(-5, "CNY", "-0.05");
    format_is(1234567, "JPY", "1,234,567");
    format_is(123, "JPY", "123");
    format_is(1234, "KWD", "1.234");
    format_is(INT64_MAX, "CNY", "92,233,720,368,547,758.07");
    format_is(INT64_MIN, "JPY", "-9,223,372,036,854,775,808");
    format_is(INT64_MIN, "KWD", "-9,223,372,036,854,775.808");

    ck_assert_int_eq(pl_money_format(0, "CNY", buf, 5), 0);   /* "0.00" + NUL */
    ck_assert_str_eq(buf, "0.00");
    strcpy(buf, "junk");
    ck_assert_int_eq(pl_money_format(0, "CNY", buf, 4), PLEDGER_EINVAL);
    ck_assert_str_eq(buf, "");
    strcpy(buf, "junk");
    ck_assert_int_eq(pl_money_format(100, "XYZ", buf, sizeof buf), PLEDGER_EINVAL);
    ck_assert_str_eq(buf, "");
    ck_assert_int_eq(pl_money_format(100, "CNY", NULL, 0), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_money_format(100, NULL, buf, sizeof buf), PLEDGER_EINVAL);
}
END_TEST

/* The public pair: the same parser and formatter, messages named. */
START_TEST(public_pair)
{
    char out[PLEDGER_MONEY_TEXT_MAX];
    int64_t v = -7;

    PL_OK(NULL, pledger_money_parse(&v, "300万元", "CNY"));
    ck_assert_int_eq(v, 300000000);
    PL_OK(NULL, pledger_money_format(out, sizeof out, v, "CNY"));
    ck_assert_str_eq(out, "3,000,000.00");
    PL_OK(NULL, pledger_money_parse(&v, "\xef\xbc\x93.5亿", "CNY")); /* ３.5亿 */
    ck_assert_int_eq(v, INT64_C(35000000000));
    PL_OK(NULL, pledger_money_format(out, sizeof out, 1234567, "JPY"));
    ck_assert_str_eq(out, "1,234,567");
    PL_OK(NULL, pledger_money_format(out, 5, 0, "CNY"));
    ck_assert_str_eq(out, "0.00");

    v = -7;
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_money_parse(&v, "3,00", "CNY"));
    ck_assert_int_eq(v, -7);
    ck_assert_str_eq(pledger_errmsg(NULL),
                     "pledger_money_parse: amount '3,00': commas must separate groups of three "
                     "digits; accepted: 3000000, 3,000,000.00, 300万, 300万元, 3.5亿 (CNY: at "
                     "most 2 decimals, commas only between groups of three digits)");
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_money_parse(&v, "1.001", "CNY"));
    ck_assert(strstr(pledger_errmsg(NULL), "has 3 decimals; CNY has 2") != NULL);
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_money_parse(&v, "92233720368547758.08", "CNY"));
    ck_assert(strstr(pledger_errmsg(NULL), "is too large") != NULL);
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_money_parse(&v, "1", "XYZ"));
    ck_assert_str_eq(pledger_errmsg(NULL),
                     "pledger_money_parse: amount: currency 'XYZ' is not a known ISO 4217 code");
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_money_parse(NULL, "1", "CNY"));
    ck_assert_str_eq(pledger_errmsg(NULL), "pledger_money_parse: out is NULL");
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_money_parse(&v, NULL, "CNY"));
    ck_assert_str_eq(pledger_errmsg(NULL), "pledger_money_parse: text is NULL");
    ck_assert_int_eq(v, -7);

    strcpy(out, "junk");
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_money_format(out, 4, 0, "CNY"));
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(pledger_errmsg(NULL),
                     "pledger_money_format: '0.00' needs 5 bytes, out_size is 4");
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_money_format(out, sizeof out, 1, "XYZ"));
    ck_assert_str_eq(pledger_errmsg(NULL),
                     "pledger_money_format: currency 'XYZ' is not a known ISO 4217 code");
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_money_format(out, sizeof out, 1, NULL));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_money_format(NULL, 8, 1, "CNY"));
    ck_assert_str_eq(pledger_errmsg(NULL), "pledger_money_format: out is NULL");
    /* the longest text fits PLEDGER_MONEY_TEXT_MAX */
    PL_OK(NULL, pledger_money_format(out, sizeof out, INT64_MIN, "JPY"));
    ck_assert_str_eq(out, "-9,223,372,036,854,775,808");
}
END_TEST

START_TEST(round_trip)
{
    static const int64_t values[] = {0, 1, 9, 10, 99, 100, 101, 999, 1000, 123456789,
                                     100000000000, INT64_MAX - 1, INT64_MAX};
    static const char *const curs[] = {"CNY", "JPY", "KWD"};
    size_t i, j;
    for (i = 0; i < sizeof values / sizeof values[0]; i++)
        for (j = 0; j < 3; j++) {
            char buf[PL_MONEY_TEXT_MAX];
            ck_assert_int_eq(pl_money_format(values[i], curs[j], buf, sizeof buf), 0);
            parse_is(buf, curs[j], values[i]);
        }
}
END_TEST

START_TEST(add_sub)
{
    int64_t r = 42;
    ck_assert(pl_money_add(1, 2, &r) && r == 3);
    ck_assert(pl_money_add(INT64_MAX - 1, 1, &r) && r == INT64_MAX);
    r = 42;
    ck_assert(!pl_money_add(INT64_MAX, 1, &r) && r == 42);
    ck_assert(!pl_money_add(INT64_MIN, -1, &r) && r == 42);
    ck_assert(pl_money_add(INT64_MIN, INT64_MAX, &r) && r == -1);
    ck_assert(pl_money_sub(5, 7, &r) && r == -2);
    ck_assert(pl_money_sub(INT64_MIN + 1, 1, &r) && r == INT64_MIN);
    r = 42;
    ck_assert(!pl_money_sub(INT64_MIN, 1, &r) && r == 42);
    ck_assert(!pl_money_sub(0, INT64_MIN, &r) && r == 42);
    ck_assert(!pl_money_sub(INT64_MAX, -1, &r) && r == 42);
}
END_TEST

static Suite *money_suite(void)
{
    Suite *s = suite_create("money");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, currencies);
    tcase_add_test(tc, parse_plain);
    tcase_add_test(tc, parse_chinese_units);
    tcase_add_test(tc, parse_errors);
    tcase_add_test(tc, parse_as_written);
    tcase_add_test(tc, format);
    tcase_add_test(tc, public_pair);
    tcase_add_test(tc, round_trip);
    tcase_add_test(tc, add_sub);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(money_suite)
