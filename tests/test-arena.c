/* lib/base/arena: zeroed, aligned memory from blocks freed together. */
#include "testutil.h"

#include <stdalign.h>
#include <stdint.h>

#include "base/arena.h"

START_TEST(alloc_zeroed_aligned_distinct)
{
    pl_arena *a = pl_arena_new();
    unsigned char *prev = NULL;

    ck_assert_ptr_nonnull(a);
    for (size_t n = 0; n < 3000; n++) {
        unsigned char *p = pl_arena_alloc(a, n % 97);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq((uintptr_t)p % alignof(max_align_t), 0);
        for (size_t i = 0; i < n % 97; i++)
            ck_assert_uint_eq(p[i], 0);
        memset(p, 0xAB, n % 97 ? n % 97 : 1); /* at least one byte is ours */
        ck_assert_ptr_ne(p, prev);
        prev = p;
    }
    pl_arena_free(a);
}
END_TEST

START_TEST(large_and_huge)
{
    pl_arena *a = pl_arena_new();
    char *big = pl_arena_alloc(a, 100000); /* larger than a block */
    char *small = pl_arena_alloc(a, 8);

    ck_assert_ptr_nonnull(big);
    ck_assert_ptr_nonnull(small);
    memset(big, 1, 100000);
    ck_assert_int_eq(small[0], 0);
    ck_assert_ptr_null(pl_arena_alloc(a, SIZE_MAX));       /* cannot be: NULL, no wrap */
    ck_assert_ptr_null(pl_arena_alloc(a, SIZE_MAX - 8));
    ck_assert_ptr_nonnull(pl_arena_alloc(a, 1));            /* still usable */
    pl_arena_free(a);
    pl_arena_free(NULL);
}
END_TEST

static Suite *arena_suite(void)
{
    Suite *s = suite_create("arena");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, alloc_zeroed_aligned_distinct);
    tcase_add_test(tc, large_and_huge);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(arena_suite)
