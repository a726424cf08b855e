/* lib/base/json: the canonical JSON of the journal's payloads.  What it
 * writes is hashed into the journal, so these bytes must never change. */
#include "testutil.h"

#include "base/json.h"

static void finish_is(pl_json *j, const char *want)
{
    char *got = pl_json_finish(j);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(members_and_nesting)
{
    pl_json j;
    pl_json_init(&j);
    pl_json_int(&j, "a", -9223372036854775807LL - 1);
    pl_json_str(&j, "b", NULL);
    pl_json_bool(&j, "c", true);
    pl_json_null(&j, "d");
    pl_json_raw(&j, "e", "[1,2]");
    pl_json_begin_array(&j, "f");
    pl_json_item_str(&j, "x");
    pl_json_item_int(&j, 0);
    pl_json_begin_object(&j, NULL);
    pl_json_str(&j, "g", "");
    pl_json_end_object(&j);
    pl_json_end_array(&j);
    finish_is(&j, "{\"a\":-9223372036854775808,\"b\":null,\"c\":true,\"d\":null,"
                  "\"e\":[1,2],\"f\":[\"x\",0,{\"g\":\"\"}]}");
}
END_TEST

START_TEST(string_escapes)
{
    pl_json j;
    pl_json_init(&j);
    /* runs of plain text between the characters that need an escape, at
     * the start, in the middle and at the end */
    pl_json_str(&j, "s", "\"quoted\" a\\b\n\r\t\x01\x1f end");
    pl_json_str(&j, "u", "福建 <x a=\"1\"/> é");
    pl_json_str(&j, "q", "\\");
    pl_json_str(&j, "k\"ey", "plain");
    finish_is(&j, "{\"s\":\"\\\"quoted\\\" a\\\\b\\n\\r\\t\\u0001\\u001f end\","
                  "\"u\":\"福建 <x a=\\\"1\\\"/> é\",\"q\":\"\\\\\",\"k\\\"ey\":\"plain\"}");
}
END_TEST

START_TEST(long_string)
{
    /* a document-sized value: every byte arrives, escapes in place */
    size_t n = 100000;
    char *s = malloc(n + 1), *want = malloc(2 * n + 32);
    ck_assert_ptr_nonnull(s);
    ck_assert_ptr_nonnull(want);
    size_t w = 0;
    w += (size_t)sprintf(want, "{\"d\":\"");
    for (size_t i = 0; i < n; i++) {
        s[i] = i % 97 == 0 ? '"' : (char)('a' + i % 26);
        if (s[i] == '"')
            want[w++] = '\\';
        want[w++] = s[i];
    }
    s[n] = '\0';
    memcpy(want + w, "\"}", 3);
    pl_json j;
    pl_json_init(&j);
    pl_json_str(&j, "d", s);
    finish_is(&j, want);
    free(s);
    free(want);
}
END_TEST

static Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, members_and_nesting);
    tcase_add_test(tc, string_escapes);
    tcase_add_test(tc, long_string);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(json_suite)
