/* lib/base/calendar: working days with holidays and make-up working days. */
#include "testutil.h"

#include "base/calendar.h"
#include "base/date.h"

#define D(y, m, d) pl_days_from_civil((y), (m), (d))

/* China, National Day and Mid-Autumn Festival 2025. */
static const char national_day_2025[] =
    "# 2025 National Day and Mid-Autumn Festival (State Council notice)\n"
    "\n"
    "2025-09-28 workday 国庆节调休 (Sunday)\n"
    "2025-10-01..2025-10-08 holiday 国庆节、中秋节\n"
    "   2025-10-11\tworkday\n"
    "  # an indented comment\n";

static pl_calendar *national_day(void)
{
    pl_calendar *c = pl_calendar_new();
    pl_err e;
    ck_assert_ptr_nonnull(c);
    ck_assert_msg(pl_calendar_parse(c, &e, national_day_2025, strlen(national_day_2025)) == 0,
                  "%s", e.msg);
    return c;
}

static void parse_bad(const char *text, const char *msg)
{
    pl_calendar *c = national_day();
    size_t i, n = pl_calendar_count(c);
    int32_t before[16], day;
    int kinds[16], kind;
    pl_err e;

    ck_assert_uint_le(n, 16);
    for (i = 0; i < n; i++)
        pl_calendar_entry(c, i, &before[i], &kinds[i]);
    ck_assert_int_eq(pl_calendar_parse(c, &e, text, strlen(text)), PLEDGER_EINVAL);
    ck_assert_msg(strcmp(e.msg, msg) == 0, "message '%s', expected '%s'", e.msg, msg);
    /* unchanged */
    ck_assert_uint_eq(pl_calendar_count(c), n);
    for (i = 0; i < n; i++) {
        pl_calendar_entry(c, i, &day, &kind);
        ck_assert_int_eq(day, before[i]);
        ck_assert_int_eq(kind, kinds[i]);
    }
    pl_calendar_free(c);
}

START_TEST(weekends_only)
{
    ck_assert(!pl_calendar_is_working_day(NULL, D(2025, 9, 27))); /* Sat */
    ck_assert(!pl_calendar_is_working_day(NULL, D(2025, 9, 28))); /* Sun */
    ck_assert(pl_calendar_is_working_day(NULL, D(2025, 9, 29)));  /* Mon */
    ck_assert(pl_calendar_is_working_day(NULL, D(2025, 10, 1)));  /* Wed */
    ck_assert_int_eq(pl_calendar_add_working_days(NULL, D(2025, 9, 26), 1), D(2025, 9, 29));
    ck_assert_int_eq(pl_calendar_add_working_days(NULL, D(2025, 9, 27), 1), D(2025, 9, 29));
    ck_assert_int_eq(pl_calendar_add_working_days(NULL, D(2025, 9, 28), 5), D(2025, 10, 3));
    ck_assert_int_eq(pl_calendar_add_working_days(NULL, D(2025, 9, 29), 5), D(2025, 10, 6));
    ck_assert_int_eq(pl_calendar_add_working_days(NULL, D(2025, 9, 30), 0), D(2025, 9, 30));
    ck_assert_int_eq(pl_calendar_add_working_days(NULL, D(2025, 9, 30), -3), D(2025, 9, 30));
    ck_assert_int_eq(pl_calendar_working_days_between(NULL, D(2025, 9, 26), D(2025, 10, 3)), 5);
    ck_assert_int_eq(pl_calendar_working_days_between(NULL, D(2025, 10, 3), D(2025, 9, 26)), 0);
    ck_assert_int_eq(pl_calendar_working_days_between(NULL, D(2025, 10, 3), D(2025, 10, 3)), 0);
    ck_assert_uint_eq(pl_calendar_count(NULL), 0);
}
END_TEST

START_TEST(china_national_day_2025)
{
    pl_calendar *c = national_day();
    int32_t day;
    int kind;

    ck_assert_uint_eq(pl_calendar_count(c), 10);
    pl_calendar_entry(c, 0, &day, &kind);
    ck_assert(day == D(2025, 9, 28) && kind == PL_DAY_WORKDAY);
    pl_calendar_entry(c, 1, &day, &kind);
    ck_assert(day == D(2025, 10, 1) && kind == PL_DAY_HOLIDAY);
    pl_calendar_entry(c, 8, &day, &kind);
    ck_assert(day == D(2025, 10, 8) && kind == PL_DAY_HOLIDAY);
    pl_calendar_entry(c, 9, &day, &kind);
    ck_assert(day == D(2025, 10, 11) && kind == PL_DAY_WORKDAY);
    pl_calendar_entry(c, 10, &day, &kind);
    ck_assert(day == 0 && kind == 0);

    ck_assert(pl_calendar_is_working_day(c, D(2025, 9, 28)));   /* make-up Sunday */
    ck_assert(!pl_calendar_is_working_day(c, D(2025, 9, 27)));  /* ordinary Saturday */
    ck_assert(!pl_calendar_is_working_day(c, D(2025, 10, 1)));  /* holiday Wednesday */
    ck_assert(!pl_calendar_is_working_day(c, D(2025, 10, 4)));  /* holiday Saturday */
    ck_assert(pl_calendar_is_working_day(c, D(2025, 10, 9)));
    ck_assert(pl_calendar_is_working_day(c, D(2025, 10, 11)));  /* make-up Saturday */
    ck_assert(!pl_calendar_is_working_day(c, D(2025, 10, 12)));

    ck_assert_int_eq(pl_calendar_add_working_days(c, D(2025, 9, 30), 2), D(2025, 10, 10));
    ck_assert_int_eq(pl_calendar_add_working_days(c, D(2025, 9, 30), 1), D(2025, 10, 9));
    ck_assert_int_eq(pl_calendar_add_working_days(c, D(2025, 9, 30), 3), D(2025, 10, 11));
    ck_assert_int_eq(pl_calendar_add_working_days(c, D(2025, 9, 30), 4), D(2025, 10, 13));
    ck_assert_int_eq(pl_calendar_add_working_days(c, D(2025, 9, 26), 2), D(2025, 9, 29));
    ck_assert_int_eq(pl_calendar_add_working_days(c, D(2025, 9, 26), 1), D(2025, 9, 28));
    ck_assert_int_eq(pl_calendar_add_working_days(c, D(2025, 9, 26), 0), D(2025, 9, 26));
    ck_assert_int_eq(pl_calendar_add_working_days(c, D(2025, 10, 3), 1), D(2025, 10, 9));
    /* far from any entry: plain weekdays */
    ck_assert_int_eq(pl_calendar_add_working_days(c, D(2025, 1, 3), 10), D(2025, 1, 17));
    ck_assert_int_eq(pl_calendar_add_working_days(c, D(2025, 12, 31), 2), D(2026, 1, 2));
    /* 30 working days across the holiday (counted by hand) */
    ck_assert_int_eq(pl_calendar_add_working_days(c, D(2025, 9, 26), 30), D(2025, 11, 13));

    ck_assert_int_eq(pl_calendar_working_days_between(c, D(2025, 9, 26), D(2025, 10, 12)), 6);
    ck_assert_int_eq(pl_calendar_working_days_between(c, D(2025, 9, 30), D(2025, 10, 8)), 0);
    ck_assert_int_eq(pl_calendar_working_days_between(c, D(2025, 9, 30), D(2025, 10, 10)), 2);
    ck_assert_int_eq(pl_calendar_working_days_between(c, D(2025, 9, 27), D(2025, 9, 28)), 1);
    ck_assert_int_eq(pl_calendar_working_days_between(c, D(2025, 9, 28), D(2025, 9, 28)), 0);
    ck_assert_int_eq(pl_calendar_working_days_between(c, D(2025, 10, 12), D(2025, 9, 26)), 0);
    pl_calendar_free(c);
}
END_TEST

/* The arithmetic shortcuts agree with counting day by day. */
START_TEST(matches_naive_count)
{
    pl_calendar *c = national_day();
    pl_err e;
    int32_t a, start = D(2025, 8, 1), end = D(2025, 12, 31);
    int n;

    ck_assert_int_eq(pl_calendar_set(c, &e, D(2025, 12, 25), PL_DAY_HOLIDAY), 0);
    ck_assert_int_eq(pl_calendar_set(c, &e, D(2025, 12, 27), PL_DAY_WORKDAY), 0);
    for (a = start; a <= end; a++) {
        int32_t d = a;
        for (n = 1; n <= 40; n++) {
            do
                d++;
            while (!pl_calendar_is_working_day(c, d));
            ck_assert_int_eq(pl_calendar_add_working_days(c, a, n), d);
            ck_assert_int_eq(pl_calendar_working_days_between(c, a, d), n);
            ck_assert_int_eq(pl_calendar_working_days_between(c, a, d - 1), n - 1);
        }
    }
    pl_calendar_free(c);
}
END_TEST

START_TEST(set_and_replace)
{
    pl_calendar *c = pl_calendar_new();
    int32_t day;
    int kind, i;
    pl_err e;

    ck_assert_int_eq(pl_calendar_set(c, &e, D(2025, 10, 1), PL_DAY_HOLIDAY), 0);
    ck_assert(!pl_calendar_is_working_day(c, D(2025, 10, 1)));
    ck_assert_int_eq(pl_calendar_set(c, &e, D(2025, 10, 1), PL_DAY_WORKDAY), 0);
    ck_assert(pl_calendar_is_working_day(c, D(2025, 10, 1)));
    ck_assert_uint_eq(pl_calendar_count(c), 1);
    ck_assert_int_eq(pl_calendar_set(c, &e, D(2025, 10, 1), 3), PLEDGER_EINVAL);
    ck_assert_str_eq(e.msg, "calendar: day kind 3 is neither holiday (1) nor workday (2)");
    ck_assert_int_eq(pl_calendar_set(c, &e, D(2025, 10, 1), 0), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_calendar_set(NULL, &e, D(2025, 10, 1), PL_DAY_HOLIDAY),
                     PLEDGER_EINVAL);
    /* many entries in reverse order end up sorted */
    for (i = 99; i >= 0; i--)
        ck_assert_int_eq(pl_calendar_set(c, &e, D(2030, 1, 1) + 2 * i, PL_DAY_HOLIDAY), 0);
    ck_assert_uint_eq(pl_calendar_count(c), 101);
    for (i = 0; i < 101; i++) {
        pl_calendar_entry(c, (size_t)i, &day, &kind);
        ck_assert_int_eq(day, i == 0 ? D(2025, 10, 1) : D(2030, 1, 1) + 2 * (i - 1));
    }
    pl_calendar_free(c);
    pl_calendar_free(NULL);
}
END_TEST

START_TEST(parse_forms)
{
    static const char crlf[] = "2025-10-01..2025-10-02 holiday\r\n2025-10-11 workday\r\n";
    static const char later[] = "2025-10-01 workday # wins\n2025-10-01 workday again\n";
    pl_calendar *c = pl_calendar_new(), *k;
    pl_err e;

    ck_assert_int_eq(pl_calendar_parse(c, &e, crlf, strlen(crlf)), 0);
    ck_assert_uint_eq(pl_calendar_count(c), 3);
    ck_assert(pl_calendar_is_working_day(c, D(2025, 10, 11)));
    ck_assert(!pl_calendar_is_working_day(c, D(2025, 10, 2)));
    /* parsing adds to what is there; a later text about a day wins (and
     * one text may name a day twice the same way) */
    ck_assert_int_eq(pl_calendar_parse(c, &e, later, strlen(later)), 0);
    ck_assert_uint_eq(pl_calendar_count(c), 3);
    ck_assert(pl_calendar_is_working_day(c, D(2025, 10, 1)));
    /* no final newline; only len bytes are read */
    ck_assert_int_eq(pl_calendar_parse(c, &e, "2026-01-01 holiday 元旦XXX", 28), 0);
    ck_assert(!pl_calendar_is_working_day(c, D(2026, 1, 1)));
    ck_assert_int_eq(pl_calendar_parse(c, &e, "", 0), 0);
    ck_assert_int_eq(pl_calendar_parse(c, &e, NULL, 0), 0);
    ck_assert_int_eq(pl_calendar_parse(c, &e, "\n\n  \n# x\n", 9), 0);
    ck_assert_uint_eq(pl_calendar_count(c), 4);
    /* a byte order mark before the first line (an editor on Windows) is
     * not part of it; one anywhere else is a character of its line */
    static const char bom[] = "\xEF\xBB\xBF" "2026-10-08 holiday\n";
    ck_assert_int_eq(pl_calendar_parse(c, &e, bom, strlen(bom)), 0);
    ck_assert(!pl_calendar_is_working_day(c, D(2026, 10, 8)));
    ck_assert_uint_eq(pl_calendar_count(c), 5);
    static const char bom2[] = "2026-10-09 holiday\n\xEF\xBB\xBF" "2026-10-10 holiday\n";
    ck_assert_int_eq(pl_calendar_parse(c, &e, bom2, strlen(bom2)), PLEDGER_EINVAL);
    ck_assert_ptr_nonnull(strstr(pl_err_text(&e), "line 2"));
    ck_assert_uint_eq(pl_calendar_count(c), 5);
    /* a whole-year range is allowed, 367 days are not */
    ck_assert_int_eq(pl_calendar_parse(c, &e, "2024-01-01..2024-12-31 holiday", 30), 0);
    ck_assert_uint_eq(pl_calendar_count(c), 5 + 366);
    k = pl_calendar_copy(c);
    ck_assert_uint_eq(pl_calendar_count(k), 5 + 366);
    pl_calendar_free(k);
    pl_calendar_free(c);
}
END_TEST

START_TEST(parse_errors)
{
    parse_bad("2025-10-01 holiday\n2025-10-32 holiday\n",
              "calendar line 2: date '2025-10-32' is not a real date");
    parse_bad("# c\n\n2025-10-01 vacation\n",
              "calendar line 3: expected 'holiday' or 'workday' after the date, "
              "found 'vacation'");
    parse_bad("2025-10-01 holidays\n", "calendar line 1: expected 'holiday' or 'workday' "
                                       "after the date, found 'holidays'");
    parse_bad("2025-10-01\n",
              "calendar line 1: expected 'holiday' or 'workday' after the date, found ''");
    parse_bad("2025-10-01holiday\n",
              "calendar line 1: expected a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD, "
              "found '2025-10-01holiday'");
    parse_bad("2025-1-1 holiday\n", "calendar line 1: expected a date YYYY-MM-DD or a range "
                                    "YYYY-MM-DD..YYYY-MM-DD, found '2025-1-1'");
    parse_bad("2025-10-01..2025-10-0x holiday\n",
              "calendar line 1: date '2025-10-0x' is not in the form YYYY-MM-DD");
    parse_bad("2025-10-08..2025-10-01 holiday\n",
              "calendar line 1: the range 2025-10-08..2025-10-01 ends before it starts");
    parse_bad("2024-01-01..2025-01-01 holiday\n",
              "calendar line 1: the range 2024-01-01..2025-01-01 is longer than 366 days");
    parse_bad("2025-10-01 holiday \xe5\x9b\xbd\xe5\n",
              "calendar line 1: is not valid UTF-8");
    parse_bad("x\r\n\r\n1899-12-31 holiday\n",
              "calendar line 1: expected a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD, "
              "found 'x'");
    parse_bad("2025-10-01 holiday\r\n\r\n1899-12-31 holiday\n",
              "calendar line 3: date '1899-12-31': the year must be 1900 to 9999");
    /* one text names a day one way: a holiday and a workday on the same
     * day is a mistake in the text, not a later line that wins */
    parse_bad("2025-10-01 holiday\n2025-09-28..2025-10-02 workday\n",
              "calendar line 2: 2025-10-01 is named a workday here and a holiday on an "
              "earlier line; a day is one or the other");
    parse_bad("2025-10-01..2025-10-07 workday\n# x\n2025-10-07 holiday\n",
              "calendar line 3: 2025-10-07 is named a holiday here and a workday on an "
              "earlier line; a day is one or the other");
    /* a good line before the bad one is not kept either (parse_bad checks) */
    parse_bad("2026-05-01 holiday\nbad\n",
              "calendar line 2: expected a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD, "
              "found 'bad'");
}
END_TEST

START_TEST(parse_name_controls)
{
    /* the name after the kind is a text given to the registry like any
     * other: no control character, line separator or bidirectional
     * control in it (pl_text_control); white space around it is not */
    static const struct {
        const char *text;
        unsigned cp;
        int at;
    } bad[] = {
        { "2025-10-01 holiday National\aDay\n", 0x07, 9 },
        { "2025-10-01 holiday \x1b[31mRed\n", 0x1B, 1 },
        { "2025-10-01 holiday A\rB\n", 0x0D, 2 },
        { "2025-10-01 holiday Tab\there\n", 0x09, 4 },
        { "2025-10-01 workday x\x7f\n", 0x7F, 2 },
        { "2025-10-01 holiday \xc2\x85next\n", 0x85, 1 },
        { "2025-10-01 holiday 国庆\xe2\x80\xa8节\n", 0x2028, 3 },
        { "2025-10-01 holiday \xe2\x80\xaegnp\n", 0x202E, 1 },
        { "2025-10-01..2025-10-02 holiday \xe2\x81\xa6x\xe2\x81\xa9\n", 0x2066, 1 },
    };
    char msg[256];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "# first\n%s", bad[i].text);
        snprintf(msg, sizeof msg,
                 "calendar line 2: the name holds U+%04X at character %d: a control character "
                 "(or one that turns text around), which no text given to the registry may "
                 "carry", bad[i].cp, bad[i].at);
        parse_bad(text, msg);
    }
    /* white space around the name, a CRLF line end, a name of any script */
    static const char good[] = "2025-10-01 holiday\t 国庆节 National Day \t\r\n"
                               "2025-10-02 holiday\t\r\n2025-10-03 holiday # note\n";
    pl_calendar *c = pl_calendar_new();
    pl_err e;
    ck_assert_msg(pl_calendar_parse(c, &e, good, strlen(good)) == 0, "%s", e.msg);
    ck_assert_uint_eq(pl_calendar_count(c), 3);
    pl_calendar_free(c);
}
END_TEST

START_TEST(parse_nul_byte)
{
    static const char text[] = "2025-10-01 holiday\n2025-10-02 hol\0day\n";
    pl_calendar *c = pl_calendar_new();
    pl_err e;
    ck_assert_int_eq(pl_calendar_parse(c, &e, text, sizeof text - 1), PLEDGER_EINVAL);
    ck_assert_str_eq(e.msg, "calendar line 2: contains a NUL byte");
    ck_assert_uint_eq(pl_calendar_count(c), 0);
    ck_assert_int_eq(pl_calendar_parse(NULL, &e, text, 5), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_calendar_parse(c, &e, NULL, 5), PLEDGER_EINVAL);
    pl_calendar_free(c);
}
END_TEST

START_TEST(far_ranges)
{
    pl_calendar *c = national_day();
    /* long spans are arithmetic, not a day-by-day walk */
    ck_assert_int_eq(pl_calendar_working_days_between(c, D(1900, 1, 1), D(1900, 1, 8)), 5);
    ck_assert_int_eq(pl_calendar_working_days_between(c, INT32_MIN, INT32_MAX), INT32_MAX);
    ck_assert_int_eq(pl_calendar_add_working_days(c, D(1900, 1, 1), 3650), D(1913, 12, 29));
    ck_assert_int_eq(pl_calendar_working_days_between(c, D(1900, 1, 1), D(1913, 12, 29)),
                     3650);
    ck_assert_int_eq(pl_calendar_add_working_days(c, D(2000, 1, 1), INT32_MAX), INT32_MAX);
    ck_assert_int_eq(pl_calendar_add_working_days(c, INT32_MAX, 1), INT32_MAX);
    ck_assert_int_eq(pl_calendar_add_working_days(c, INT32_MIN, 1), INT32_MIN + 1);
    pl_calendar_free(c);
}
END_TEST

static Suite *calendar_suite(void)
{
    Suite *s = suite_create("calendar");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, weekends_only);
    tcase_add_test(tc, china_national_day_2025);
    tcase_add_test(tc, matches_naive_count);
    tcase_add_test(tc, set_and_replace);
    tcase_add_test(tc, parse_forms);
    tcase_add_test(tc, parse_errors);
    tcase_add_test(tc, parse_name_controls);
    tcase_add_test(tc, parse_nul_byte);
    tcase_add_test(tc, far_ranges);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(calendar_suite)
