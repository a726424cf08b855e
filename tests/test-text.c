/* lib/base/text: UTF-8 validation, folding, identifier normalisation and
 * the party-name key. */
#include "testutil.h"

#include "base/text.h"

static bool valid(const char *s) { return pl_utf8_valid(s, strlen(s)); }

START_TEST(utf8_valid_accepts)
{
    ck_assert(valid(""));
    ck_assert(valid("plain ASCII ~"));
    ck_assert(valid("\xc3\xa9"));             /* é U+00E9 */
    ck_assert(valid("深圳市华星光电"));
    ck_assert(valid("\xef\xbf\xbd"));         /* U+FFFD */
    ck_assert(valid("\xed\x9f\xbf"));         /* U+D7FF, just below the surrogates */
    ck_assert(valid("\xee\x80\x80"));         /* U+E000, just above them */
    ck_assert(valid("\xf0\x9f\x98\x80"));     /* U+1F600 */
    ck_assert(valid("\xf4\x8f\xbf\xbf"));     /* U+10FFFF, the last code point */
    ck_assert(pl_utf8_valid("a\0b", 3));      /* U+0000 is a character */
    ck_assert(pl_utf8_valid(NULL, 0));
    ck_assert(pl_utf8_valid("\xe4\xb8\xad\xff", 3)); /* only n bytes are looked at */
}
END_TEST

START_TEST(utf8_valid_rejects)
{
    ck_assert(!valid("\x80"));                /* lone continuation byte */
    ck_assert(!valid("a\xbf"));
    ck_assert(!valid("\xc0\xaf"));            /* overlong '/' */
    ck_assert(!valid("\xc1\xbf"));            /* overlong U+007F */
    ck_assert(!valid("\xe0\x80\xaf"));        /* overlong, 3 bytes */
    ck_assert(!valid("\xe0\x9f\xbf"));        /* overlong U+07FF */
    ck_assert(!valid("\xf0\x80\x80\xaf"));    /* overlong, 4 bytes */
    ck_assert(!valid("\xf0\x8f\xbf\xbf"));    /* overlong U+FFFF */
    ck_assert(!valid("\xed\xa0\x80"));        /* U+D800 surrogate */
    ck_assert(!valid("\xed\xbf\xbf"));        /* U+DFFF surrogate */
    ck_assert(!valid("\xf4\x90\x80\x80"));    /* U+110000 */
    ck_assert(!valid("\xf5\x80\x80\x80"));
    ck_assert(!valid("\xff"));
    ck_assert(!valid("\xe4\xb8"));            /* truncated */
    ck_assert(!valid("\xe4\xb8z"));           /* continuation missing */
    ck_assert(!pl_utf8_valid("\xe4\xb8\xad", 2)); /* cut by n */
    ck_assert(!pl_utf8_valid(NULL, 1));
}
END_TEST

START_TEST(decode_and_space)
{
    uint32_t cp = 0;
    ck_assert_uint_eq(pl_utf8_decode("\xe4\xb8\xad", 3, &cp), 3);
    ck_assert_uint_eq(cp, 0x4E2D);
    ck_assert_uint_eq(pl_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
    ck_assert_uint_eq(cp, 0x1F600);
    ck_assert_uint_eq(pl_utf8_decode("\xe4\xb8\xad", 2, &cp), 0);
    ck_assert_uint_eq(pl_utf8_decode("x", 0, &cp), 0);
    ck_assert(pl_text_is_space(' ') && pl_text_is_space('\t') && pl_text_is_space(0x3000));
    ck_assert(pl_text_is_space(0xA0) && pl_text_is_space(0x2003) && pl_text_is_space(0x85));
    ck_assert(!pl_text_is_space('x') && !pl_text_is_space(0x200B) && !pl_text_is_space(0));
}
END_TEST

static void fold_is(const char *in, const char *want)
{
    char *got = pl_text_fold(in);
    ck_assert_msg(got != NULL, "pl_text_fold(\"%s\") returned NULL", in);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(fold)
{
    fold_is("", "");
    fold_is("abc", "abc");
    fold_is("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3\xef\xbc\x91\xef\xbc\x92", "ABC12"); /* ＡＢＣ１２ */
    fold_is("\xef\xbc\x81", "!");                    /* U+FF01 -> '!' */
    fold_is("\xef\xbd\x9e", "~");                    /* U+FF5E -> '~' */
    fold_is("\xef\xbd\x9f", "\xef\xbd\x9f");         /* U+FF5F is not folded */
    fold_is("（深圳）", "(深圳)");
    fold_is("\xe3\x80\x80" "abc" "\xe3\x80\x80", "abc"); /* ideographic spaces trimmed */
    fold_is("a\xe3\x80\x80" "b", "a b");
    fold_is("  a \t\r\n b  ", "a b");
    fold_is("a\xc2\xa0\xc2\xa0" "b", "a b");         /* no-break spaces */
    fold_is("\xe2\x80\x83x\xe2\x80\xa8", "x");       /* em space, line separator */
    fold_is(" \t ", "");
    fold_is("深圳  华星", "深圳 华星");
    ck_assert_ptr_null(pl_text_fold(NULL));
    ck_assert_ptr_null(pl_text_fold("ok\xc0\xaf"));
    ck_assert_ptr_null(pl_text_fold("\xed\xa0\x80"));
}
END_TEST

static void norm_is(const char *in, const char *want)
{
    char *got = pl_text_normalize_id(in);
    ck_assert_msg(got != NULL, "pl_text_normalize_id(\"%s\") returned NULL", in);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(normalize_id)
{
    norm_is(" \xef\xbd\x9a\xef\xbd\x8c 2013 1069 9744.2 ", "ZL201310699744.2"); /* ｚｌ */
    norm_is("91350100m000100y43", "91350100M000100Y43");
    norm_is("a\xe3\x80\x80" "b\tc", "ABC");
    norm_is("国海证2019b33020001号", "国海证2019B33020001号");
    norm_is("\xc3\xa9x", "\xc3\xa9X");               /* only ASCII is upper-cased */
    norm_is("", "");
    ck_assert_ptr_null(pl_text_normalize_id(NULL));
    ck_assert_ptr_null(pl_text_normalize_id("\xff"));
}
END_TEST

static void ref_is(const char *in, const char *want)
{
    char *got = pl_text_normalize_ref(in);
    ck_assert_msg(got != NULL, "pl_text_normalize_ref(\"%s\") returned NULL", in);
    ck_assert_str_eq(got, want);
    free(got);
}

/* A reference typed or pasted: its dashes are one dash, what shows
 * nothing is dropped, the rest as pl_text_normalize_id. */
START_TEST(normalize_ref)
{
    static const char *const dashes[] = {
        "\xe2\x80\x90", "\xe2\x80\x91", "\xe2\x80\x92", "\xe2\x80\x93", /* U+2010..2013 */
        "\xe2\x80\x94", "\xe2\x80\x95", "\xe2\x88\x92",                 /* 2014, 2015, 2212 */
        "\xef\xb9\x98", "\xef\xb9\xa3", "\xef\xbc\x8d", "-",               /* FE58, FE63, FF0D */
    };
    for (size_t i = 0; i < sizeof dashes / sizeof dashes[0]; i++) {
        char in[64];
        snprintf(in, sizeof in, " ht%s2026%s002 ", dashes[i], dashes[i]);
        ref_is(in, "HT-2026-002");
    }
    ref_is("HT-2026-\xc2\xad" "002", "HT-2026-002");          /* soft hyphen */
    ref_is("\xef\xbb\xbfHT\xe2\x80\x8b-2026\xe2\x81\xa0-002", "HT-2026-002"); /* BOM, ZWSP, WJ */
    ref_is("HT2026002", "HT2026002");                             /* no dash is not one dash */
    ref_is("\xe5\x90\x88\xe5\x90\x8c\xe2\x80\x94" "7", "\xe5\x90\x88\xe5\x90\x8c-7"); /* 合同—7 */
    ref_is("", "");
    ck_assert_ptr_null(pl_text_normalize_ref(NULL));
    ck_assert_ptr_null(pl_text_normalize_ref("\xff"));
}
END_TEST

static void key_is(const char *in, const char *want)
{
    char *got = pl_text_name_key(in);
    ck_assert_msg(got != NULL, "pl_text_name_key(\"%s\") returned NULL", in);
    ck_assert_msg(strcmp(got, want) == 0, "pl_text_name_key(\"%s\") = \"%s\", expected \"%s\"",
                  in, got, want);
    free(got);
}

START_TEST(name_key_chinese)
{
    key_is("深圳市华星光电有限公司", "深圳市华星光电");
    key_is("深圳市华星光电股份有限公司", "深圳市华星光电");
    key_is("深圳市华星光电有限责任公司", "深圳市华星光电");
    key_is("海尔集团有限公司", "海尔");               /* the longest ending wins */
    key_is("海尔集团公司", "海尔集团");
    key_is("华为技术（深圳）有限公司", "华为技术深圳");
    key_is(" 华为技术 ( 深圳 ) 有限公司 ", "华为技术深圳");
    key_is("《华星》“光电”，公司。", "华星光电");
    key_is("「华星」、【光电】·〔深圳〕公司", "华星光电深圳");
    key_is("公司", "公司");                             /* nothing would remain */
    key_is("有限公司", "有限公司");                     /* only an ending: kept */
    key_is("Company Limited", "companylimited");
    key_is("公司公司", "公司");                         /* ONE ending only */
    key_is("深圳市华星光电", "深圳市华星光电");
}
END_TEST

START_TEST(name_key_latin)
{
    key_is("ACME Co., Ltd.", "acme");
    key_is("acme inc", "acme");
    key_is("ACME INC.", "acme");
    key_is("Acme Company Limited", "acme");
    key_is("Acme Corporation", "acme");
    key_is("Acme Corp.", "acme");
    key_is("Acme Company", "acme");
    key_is("Acme Limited", "acme");
    key_is("Acme, L.L.C.", "acme");
    key_is("Acme PLC", "acme");
    key_is("Siemens AG", "siemens");
    key_is("Robert Bosch GmbH", "robertbosch");
    key_is("Acme S.A.", "acme");
    key_is("Acme® Inc™", "acme");
    key_is("Johnson & Johnson", "johnsonjohnson");
    key_is("O'Brien-Smith Ltd", "obriensmith");
    key_is("Acme Co Ltd Inc", "acmecoltd");             /* ONE ending only */
    key_is("Inc.", "inc");
    key_is("ＡＣＭＥ　Ｃｏ．，Ｌｔｄ．", "acme");        /* full width */
    key_is("Acme\xe2\x80\x8b Inc", "acme");             /* zero-width space dropped */
    key_is("", "");
    key_is("...", "");
    ck_assert_ptr_null(pl_text_name_key(NULL));
    ck_assert_ptr_null(pl_text_name_key("Acme\xc0\xaf"));
}
END_TEST

/* A message quotes at most PL_EXCERPT_MAX bytes of a value, never cutting
 * a character in two. */
START_TEST(test_excerpt)
{
    char out[PL_EXCERPT_MAX + 8];
    pl_text_excerpt(out, "short");
    ck_assert_str_eq(out, "short");
    /* 39 ASCII bytes then a 3-byte character: cut before it */
    char s[64];
    memset(s, 'a', 39);
    strcpy(s + 39, "福建");
    pl_text_excerpt(out, s);
    ck_assert_uint_eq(strlen(out), 39 + 3);
    ck_assert(pl_utf8_valid(out, strlen(out)));
    ck_assert_str_eq(out + 39, "...");
    /* exactly 40 bytes: no "..." */
    memset(s, 'b', 40);
    s[40] = '\0';
    pl_text_excerpt(out, s);
    ck_assert_str_eq(out, s);
    for (size_t max = 0; max < 14; max++) {
        const char *t = "福建省闽江"; /* 3 bytes each */
        size_t k = pl_utf8_prefix(t, strlen(t), max);
        ck_assert_uint_eq(k, max >= 15 ? 15 : max / 3 * 3);
    }
}
END_TEST

static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_excerpt);
    tcase_add_test(tc, utf8_valid_accepts);
    tcase_add_test(tc, utf8_valid_rejects);
    tcase_add_test(tc, decode_and_space);
    tcase_add_test(tc, fold);
    tcase_add_test(tc, normalize_id);
    tcase_add_test(tc, normalize_ref);
    tcase_add_test(tc, name_key_chinese);
    tcase_add_test(tc, name_key_latin);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(text_suite)
