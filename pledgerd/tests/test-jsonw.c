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

/* A message as shown (jw_shown, jw_kmsg): what a client sent, quoted in
 * it, cannot drive or mislead the terminal or log viewer it is read in. */
START_TEST(test_shown)
{
    static const struct { const char *in, *out; } cases[] = {
        { "", "" },
        { "no pledge is registered as 'R-1'", "no pledge is registered as 'R-1'" },
        { "质押 € \\x1b", "质押 € \\x1b" },              /* escaped already: as it is */
        { "a\x01\t\n\x1b[31m\x7f", "a\\x01\\x09\\x0a\\x1b[31m\\x7f" },
        { "\xc2\x85\xc2\x9b", "\\x85\\x9b" },               /* C1: NEL, CSI */
        { "R\xe2\x80\xae" "1", "R\\u202E1" },               /* RIGHT-TO-LEFT OVERRIDE */
        { "\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\x8e\xe2\x80\x8f",
          "\\u202A\\u202B\\u202C\\u202D\\u200E\\u200F" },
        { "\xe2\x81\xa6\xe2\x81\xa9\xd8\x9c", "\\u2066\\u2069\\u061C" },
        { "a\xe2\x80\x8b" "b\xc2\xad" "c\xef\xbb\xbf", "a\\u200Bb\\u00ADc\\uFEFF" },
        { "\xe2\x80\xa8\xe2\x80\xa9", "\\u2028\\u2029" },
        { "\xf3\xa0\x80\x81\xf3\xa0\x81\xbf", "\\U000E0001\\U000E007F" },   /* tags */
        { "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },          /* an emoji: visible */
        { "tag\xe3>\xff", "tag\\xe3>\\xff" },               /* not UTF-8 */
        { "\xed\xa0\x80", "\\xed\\xa0\\x80" },              /* a surrogate */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[128];
        size_t n = jw_shown(out, sizeof out, cases[i].in);
        ck_assert_str_eq(out, cases[i].out);
        ck_assert_uint_eq(n, strlen(cases[i].out));
        ck_assert_uint_eq(jw_shown(NULL, 0, cases[i].in), n);
    }
    /* cut at a whole escape or character, the whole length returned */
    char out[8];
    ck_assert_uint_eq(jw_shown(out, sizeof out, "ab\xe2\x80\xae" "cd"), 10);
    ck_assert_str_eq(out, "ab");
    ck_assert_uint_eq(jw_shown(out, sizeof out, "abcde质f"), 9);
    ck_assert_str_eq(out, "abcde");
    /* in an answer: escaped as text, then as JSON */
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_kmsg(&w, "message", "x\xe2\x80\xae\"y\x1b");
    jw_end_obj(&w);
    ck_assert_str_eq(jw_text(&w), "{\"message\":\"x\\\\u202E\\\"y\\\\x1b\"}");
    jw_free(&w);
    /* a long one, over jw_kmsg's buffer on the stack */
    char *big = malloc(3 * 1000 + 1);
    ck_assert_ptr_nonnull(big);
    for (int i = 0; i < 1000; i++)
        memcpy(big + 3 * i, "\xe2\x80\xae", 3);
    big[3000] = '\0';
    jw_init(&w);
    jw_kmsg(&w, "m", big);
    ck_assert_uint_eq(strlen(jw_text(&w)), strlen("\"m\":\"\"") + 1000 * 7);
    jw_free(&w);
    free(big);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jsonw");
    TCase *tc = tcase_create("jsonw");
    tcase_add_test(tc, test_strings);
    tcase_add_test(tc, test_integers);
    tcase_add_test(tc, test_shown);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
