/* pledgerd's side threads (side.c): a job no longer counts against the
 * limit when its hand-off runs, so a client that asks again as soon as it
 * has its answer is not refused as "another is running". */
#include <check.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "side.h"

static side *sd;
static side_job second;
static atomic_int second_taken = -1, second_ran, first_ran;

static void second_run(side_job *job)
{
    (void)job;
    atomic_store(&second_ran, 1);
}

static void first_run(side_job *job)
{
    (void)job;
    atomic_store(&first_ran, 1);
}

/* the answer leaves here: the next request comes at once */
static void first_done(side_job *job)
{
    (void)job;
    second.run = second_run;
    second.done = NULL;
    atomic_store(&second_taken, (int)side_submit(sd, &second));
}

START_TEST(test_a_place_is_free_when_the_answer_leaves)
{
    char err[128];
    side_job first = { .run = first_run, .done = first_done };

    sd = side_start("test-side", 1, err, sizeof err);
    ck_assert_ptr_nonnull(sd);
    ck_assert_int_eq(side_submit(sd, &first), SIDE_TAKEN);
    while (atomic_load(&second_taken) == -1)   /* the first's answer left */
        ;
    side_stop(sd); /* runs what is queued, the second too */
    ck_assert_int_eq(atomic_load(&first_ran), 1);
    ck_assert_int_eq(atomic_load(&second_taken), SIDE_TAKEN);
    ck_assert_int_eq(atomic_load(&second_ran), 1);
}
END_TEST

/* while a job works, the place is taken: one at a time */
static atomic_int release, in_run, refused_meanwhile = -1;

static void slow_run(side_job *job)
{
    (void)job;
    atomic_store(&in_run, 1);
    while (!atomic_load(&release))
        ;
}

START_TEST(test_a_place_is_taken_while_the_job_works)
{
    char err[128];
    side_job slow = { .run = slow_run, .done = NULL }, other = { .run = second_run };

    sd = side_start("test-side", 1, err, sizeof err);
    ck_assert_ptr_nonnull(sd);
    ck_assert_int_eq(side_submit(sd, &slow), SIDE_TAKEN);
    while (!atomic_load(&in_run))
        ;
    atomic_store(&refused_meanwhile, (int)side_submit(sd, &other));
    atomic_store(&release, 1);
    side_stop(sd);
    ck_assert_int_eq(atomic_load(&refused_meanwhile), SIDE_FULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("side");
    TCase *tc = tcase_create("side");
    tcase_add_test(tc, test_a_place_is_free_when_the_answer_leaves);
    tcase_add_test(tc, test_a_place_is_taken_while_the_job_works);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
