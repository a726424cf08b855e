/* pledgerd's JSON writer (jsonw.c): every byte a string may hold, and the
 * integers at their limits, written as RFC 8259 says. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

START_TEST(test_strings)
{
    static const struct { const char *in, *out; } cases[] = {
        { "", "\"\"" },
        { "plain", "\"plain\"" },
        { "\"", "\"\\\"\"" },
        { "\\", "\"\\\\\"" },
        { "a\"b\\c", "\"a\\\"b\\\\c\"" },
        { "\n\r\t", "\"\\n\\r\\t\"" },
        { "\x01x\x1f", "\"\\u0001x\\u001f\"" },
        { "\x7f", "\"\\u007f\"" },
        { "质押 €", "\"质押 €\"" },
        { "end\\", "\"end\\\\\"" },
        /* not UTF-8 (a message quoting what a client sent): U+FFFD for
         * each byte that begins no well-formed sequence, the rest kept */
        { "tag\xe3>", "\"tag\\ufffd>\"" },
        { "\xff\xfe", "\"\\ufffd\\ufffd\"" },
        { "\xc0\xaf", "\"\\ufffd\\ufffd\"" },           /* overlong '/' */
        { "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" }, /* a surrogate */
        { "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" }, /* > U+10FFFF */
        { "\xe4\xb8", "\"\\ufffd\\ufffd\"" },           /* cut at the end */
        { "\xe4\xb8\"", "\"\\ufffd\\ufffd\\\"\"" },     /* cut by an escape */
        { "质\x80押", "\"质\\ufffd押\"" },
        { "\xf0\x9f\x98\x80 ok", "\"\xf0\x9f\x98\x80 ok\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jw w;
        jw_init(&w);
        jw_str(&w, cases[i].in);
        ck_assert_str_eq(jw_text(&w), cases[i].out);
        jw_free(&w);
    }
    /* every byte from 0x01 to 0xff in one string: escaped exactly where
     * JSON requires (and DEL), the rest as it is; from 0x80 on no byte
     * begins a well-formed sequence here (each is followed by the next
     * value, never a continuation byte after 0xc1), so each is U+FFFD */
    char all[256];
    for (int c = 1; c < 256; c++)
        all[c - 1] = (char)c;
    all[255] = '\0';
    jw w;
    jw_init(&w);
    jw_str(&w, all);
    const char *t = jw_text(&w);
    size_t escapes = 0;
    for (const char *p = t + 1; *p && p[1]; p++)
        if (*p == '\\') {
            escapes++;
            p += p[1] == 'u' ? 5 : 1;
        }
    ck_assert_uint_eq(escapes, 31 + 2 + 1 + 128); /* C0 but NUL, '"', '\\', DEL; 0x80.. */
    jw_free(&w);
    /* a long string grows the buffer */
    char *big = malloc(100001);
    ck_assert_ptr_nonnull(big);
    memset(big, 'x', 100000);
    big[100000] = '\0';
    jw_init(&w);
    jw_kstr(&w, "k", big);
    ck_assert_uint_eq(strlen(jw_text(&w)), 100000 + 6);
    jw_free(&w);
    free(big);
}
END_TEST

START_TEST(test_integers)
{
    jw w;
    jw_init(&w);
    jw_arr(&w);
    jw_int(&w, INT64_MIN);
    jw_int(&w, -1);
    jw_int(&w, 0);
    jw_int(&w, 7);
    jw_int(&w, INT64_MAX);
    jw_uint(&w, 0);
    jw_uint(&w, UINT64_MAX);
    jw_null(&w);
    jw_bool(&w, true);
    jw_end_arr(&w);
    ck_assert_str_eq(jw_text(&w), "[-9223372036854775808,-1,0,7,9223372036854775807,0,"
                                  "18446744073709551615,null,true]");
    jw_free(&w);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jsonw");
    TCase *tc = tcase_create("jsonw");
    tcase_add_test(tc, test_strings);
    tcase_add_test(tc, test_integers);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
