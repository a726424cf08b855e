/* lib/base/hash: SHA-256 and SM3 with the standard test vectors, hex,
 * random bytes. */
#include "testutil.h"

#include "base/hash.h"

static void digest_is(pl_hash_alg a, const void *data, size_t n, const char *want)
{
    unsigned char d[32];
    char hex[65];
    ck_assert_int_eq(pl_hash(a, data, n, d), 0);
    pl_hex(d, sizeof d, hex);
    ck_assert_str_eq(hex, want);
}

START_TEST(sha256_vectors)
{
    static const char two_blocks[] =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    ck_assert(pl_hash_available(PL_HASH_SHA256));
    digest_is(PL_HASH_SHA256, "abc", 3,
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    digest_is(PL_HASH_SHA256, "", 0,
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    digest_is(PL_HASH_SHA256, NULL, 0,
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    digest_is(PL_HASH_SHA256, two_blocks, strlen(two_blocks),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(sha256_incremental)
{
    unsigned char d[32], one[32];
    char hex[65], chunk[1000];
    pl_hash_ctx *c = NULL;
    int i;

    /* one million 'a' in 1000 updates */
    memset(chunk, 'a', sizeof chunk);
    ck_assert_int_eq(pl_hash_begin(&c, PL_HASH_SHA256), 0);
    ck_assert_ptr_nonnull(c);
    for (i = 0; i < 1000; i++)
        ck_assert_int_eq(pl_hash_update(c, chunk, sizeof chunk), 0);
    ck_assert_int_eq(pl_hash_update(c, NULL, 0), 0);
    ck_assert_int_eq(pl_hash_end(c, d), 0);
    pl_hex(d, sizeof d, hex);
    ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

    /* byte by byte equals one shot */
    ck_assert_int_eq(pl_hash_begin(&c, PL_HASH_SHA256), 0);
    ck_assert_int_eq(pl_hash_update(c, "a", 1), 0);
    ck_assert_int_eq(pl_hash_update(c, "b", 1), 0);
    ck_assert_int_eq(pl_hash_update(c, "c", 1), 0);
    ck_assert_int_eq(pl_hash_end(c, d), 0);
    ck_assert_int_eq(pl_hash(PL_HASH_SHA256, "abc", 3, one), 0);
    ck_assert_mem_eq(d, one, 32);

    /* abort frees an unfinished context (the sanitizer build checks) */
    ck_assert_int_eq(pl_hash_begin(&c, PL_HASH_SHA256), 0);
    ck_assert_int_eq(pl_hash_update(c, "abc", 3), 0);
    pl_hash_abort(c);
    pl_hash_abort(NULL);
}
END_TEST

/* One context, many digests: restart and digest give what one-shot
 * digests give, for both algorithms; NULL contexts are refused. */
START_TEST(restart_digest)
{
    static const char *const texts[] = { "abc", "", "a longer text, of more than one word" };
    static const pl_hash_alg algs[] = { PL_HASH_SHA256, PL_HASH_SM3 };
    unsigned char d[32], one[32];

    for (size_t a = 0; a < 2; a++) {
        pl_hash_ctx *c = NULL;
        if (!pl_hash_available(algs[a]))
            continue;
        ck_assert_int_eq(pl_hash_begin(&c, algs[a]), 0);
        for (int round = 0; round < 2; round++)
            for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
                ck_assert_int_eq(pl_hash_restart(c), 0);
                ck_assert_int_eq(pl_hash_update(c, texts[i], strlen(texts[i])), 0);
                ck_assert_int_eq(pl_hash_digest(c, d), 0);
                ck_assert_int_eq(pl_hash(algs[a], texts[i], strlen(texts[i]), one), 0);
                ck_assert_mem_eq(d, one, 32);
            }
        /* restart drops what was added since the last digest */
        ck_assert_int_eq(pl_hash_update(c, "junk", 4), 0);
        ck_assert_int_eq(pl_hash_restart(c), 0);
        ck_assert_int_eq(pl_hash_update(c, "abc", 3), 0);
        ck_assert_int_eq(pl_hash_end(c, d), 0);
        ck_assert_int_eq(pl_hash(algs[a], "abc", 3, one), 0);
        ck_assert_mem_eq(d, one, 32);
    }
    ck_assert_int_eq(pl_hash_restart(NULL), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_hash_digest(NULL, d), PLEDGER_EINVAL);
}
END_TEST

START_TEST(sm3_vectors)
{
    static const char sixty_four[] =
        "abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd";
    pl_hash_ctx *c = NULL;
    unsigned char d[32];
    char hex[65];

    if (!pl_hash_available(PL_HASH_SM3)) {
        unsigned char x[32];
        ck_assert_int_eq(pl_hash(PL_HASH_SM3, "abc", 3, x), PLEDGER_EINVAL);
        return;
    }
    /* GB/T 32905-2016, examples 1 and 2 */
    digest_is(PL_HASH_SM3, "abc", 3,
              "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    digest_is(PL_HASH_SM3, sixty_four, 64,
              "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
    ck_assert_int_eq(pl_hash_begin(&c, PL_HASH_SM3), 0);
    ck_assert_int_eq(pl_hash_update(c, "ab", 2), 0);
    ck_assert_int_eq(pl_hash_update(c, "c", 1), 0);
    ck_assert_int_eq(pl_hash_end(c, d), 0);
    pl_hex(d, sizeof d, hex);
    ck_assert_str_eq(hex, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}
END_TEST

START_TEST(errors)
{
    unsigned char d[32];
    pl_hash_ctx *c = (pl_hash_ctx *)d;

    ck_assert(!pl_hash_available((pl_hash_alg)0));
    ck_assert(!pl_hash_available((pl_hash_alg)3));
    ck_assert_int_eq(pl_hash((pl_hash_alg)3, "abc", 3, d), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_hash_begin(&c, (pl_hash_alg)0), PLEDGER_EINVAL);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(pl_hash_begin(NULL, PL_HASH_SHA256), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_hash_update(NULL, "abc", 3), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_hash_end(NULL, d), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_hash_begin(&c, PL_HASH_SHA256), 0);
    ck_assert_int_eq(pl_hash_update(c, NULL, 3), PLEDGER_EINVAL);
    pl_hash_abort(c);
    ck_assert_str_eq(pl_hash_name(PL_HASH_SHA256), "sha256");
    ck_assert_str_eq(pl_hash_name(PL_HASH_SM3), "sm3");
    ck_assert_ptr_null(pl_hash_name((pl_hash_alg)9));
}
END_TEST

START_TEST(hex)
{
    static const unsigned char in[] = {0x00, 0xff, 0x0a, 0xb1, 0x7c};
    char out[11];
    memset(out, 'x', sizeof out);
    pl_hex(in, sizeof in, out);
    ck_assert_str_eq(out, "00ff0ab17c");
    pl_hex(in, 0, out);
    ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(random_bytes)
{
    unsigned char a[32], b[32], zero[32] = {0};
    ck_assert_int_eq(pl_random_bytes(a, sizeof a), 0);
    ck_assert_int_eq(pl_random_bytes(b, sizeof b), 0);
    ck_assert(memcmp(a, b, sizeof a) != 0);
    ck_assert(memcmp(a, zero, sizeof a) != 0);
    ck_assert_int_eq(pl_random_bytes(a, 0), 0);
}
END_TEST

static Suite *hash_suite(void)
{
    Suite *s = suite_create("hash");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, sha256_vectors);
    tcase_add_test(tc, sha256_incremental);
    tcase_add_test(tc, sm3_vectors);
    tcase_add_test(tc, restart_digest);
    tcase_add_test(tc, errors);
    tcase_add_test(tc, hex);
    tcase_add_test(tc, random_bytes);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(hash_suite)
