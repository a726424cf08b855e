/* Several processes on one registry file.
 *
 * - 4 writer processes take applications through to registration, change
 *   and cancel pledges, all at the same office (so they compete for the
 *   same number sequences), reporting every acknowledged step; 4 reader
 *   processes search, verify, count and check the journal meanwhile.
 *   Afterwards: no duplicate number, numbers gap-free, the journal holds
 *   exactly the acknowledged steps (none lost, none twice) and verifies,
 *   every reader answer was consistent with a committed state (gap-free
 *   numbers, counts that never go back, pledges that never vanish).
 * - One writer has a busy timeout of 0: it meets locked moments and must
 *   get PLEDGER_EBUSY with a message and no change, then retry.
 * - A lock held past the busy timeout gives PLEDGER_EBUSY after waiting
 *   that long, changing nothing; one released within it is waited for.
 * - Every step that journals an event reads its instant while it holds
 *   the write lock.
 * Built with PL_CONC_REAL_CLOCK (test concurrency-clock): 4 writers and 4
 * readers on the system clock for 15 s, no call failing (no "clock went
 * backwards", no busy timeout), numbers gap-free, the journal intact; it
 * prints the steps, reads, errors and longest waits. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <time.h>

#include "testutil.h"
#include "store/sqlite.h"
#include "fixture.h"

#define WRITERS 4
#define READERS 4

static char *dir, *path;
static int n_apps_per_writer = 10;
static int reader_rounds = 40;

static int64_t mono_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}


/* ---- shared ------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The registration numbers of one answer are gap-free per scope (the
 * number without its last 6 digits): what any committed state shows. */
static int gap_free(char **nums, size_t n, char *why, size_t why_size)
{
    qsort(nums, n, sizeof *nums, cmp_str);
    for (size_t i = 0; i < n;) {
        size_t len = strlen(nums[i]);
        if (len < 7)
            return snprintf(why, why_size, "odd number '%s'", nums[i]), -1;
        size_t j = i;
        long expect_seq = 1;
        for (; j < n && strlen(nums[j]) == len && !strncmp(nums[j], nums[i], len - 6); j++) {
            long seq = strtol(nums[j] + len - 6, NULL, 10);
            if (seq != expect_seq)
                return snprintf(why, why_size, "%s follows number %ld of its series", nums[j],
                                expect_seq - 1), -1;
            expect_seq++;
        }
        i = j;
    }
    return 0;
}

static void setup(void)
{
    pledger_registry *reg = NULL;
    dir = pl_test_mkdir();
    path = pl_test_path(dir, "shared.db");
    PL_OK(NULL, fx_open(&reg, path, "FZ01", 0, -1));
    pledger_close(reg);
    if (getenv("PLEDGER_VALGRIND")) {
        n_apps_per_writer = 2;
        reader_rounds = 4;
    }
}

static void teardown(void)
{
    free(path);
    pl_test_rmdir(dir);
}

#ifndef PL_CONC_REAL_CLOCK

/* ---- writers ------------------------------------------------------------- */

static int busy_seen;

/* Run @call until it is not PLEDGER_EBUSY.  A writer with a busy timeout
 * never sees EBUSY (the library waits); the impatient one sees it, with a
 * message, and retries: the failed attempt changed nothing (the final
 * journal count proves it). */
#define RETRY(reg, impatient, rc, call)                                                  \
    do {                                                                                 \
        while (((rc) = (call)) == PLEDGER_EBUSY) {                                       \
            if (!(impatient))                                                            \
                fx_fatal(reg, #call " (busy within the timeout)", rc);                   \
            if (!strstr(pledger_errmsg(reg), "locked") &&                                \
                !strstr(pledger_errmsg(reg), "busy"))                                    \
                fx_fatal(reg, #call " (EBUSY without a clear message)", rc);             \
            busy_seen++;                                                                 \
            usleep(500);                                                                 \
        }                                                                                \
    } while (0)


static void writer_main(int w)
{
    pledger_registry *reg = NULL;
    int impatient = w == WRITERS - 1, rc;
    char actor[32];

    /* open may meet a lock too (it reads the header and sets WAL mode) */
    RETRY(NULL, impatient, rc, fx_open(&reg, path, "FZ01", 0, impatient ? 0 : 10000));
    if (rc)
        fx_fatal(NULL, "pledger_open", rc);
    snprintf(actor, sizeof actor, "writer-%d", w);
    for (int i = 0; i < n_apps_per_writer; i++) {
        int kind = i % 2 ? PLEDGER_KIND_RECEIVABLE : PLEDGER_KIND_TRADEMARK;
        pledger_application *app = fx_sample(kind);
        char *acc = NULL, *num = NULL, *code = NULL, uuid[40];
        if (!app)
            fx_fatal(NULL, "loading a sample", PLEDGER_EIO);
        if (kind == PLEDGER_KIND_TRADEMARK) {
            char n1[16], n2[16];
            snprintf(n1, sizeof n1, "%d", 20000000 + w * 1000 + 2 * i);
            snprintf(n2, sizeof n2, "%d", 20000000 + w * 1000 + 2 * i + 1);
            if ((rc = pledger_application_set(app, "rights/right[1]/number", n1)) ||
                (rc = pledger_application_set(app, "rights/right[2]/number", n2)))
                fx_fatal(NULL, "pledger_application_set", rc);
        }
        fx_act(reg, actor, PLEDGER_ROLE_APPLICANT);
        RETRY(reg, impatient, rc, pledger_application_save(reg, app));
        if (rc)
            fx_fatal(reg, "pledger_application_save", rc);
        snprintf(uuid, sizeof uuid, "%s", pledger_application_uuid(app));
        pledger_application_free(app);
        fx_say("A application.create %s", uuid);
        RETRY(reg, impatient, rc, pledger_application_review(NULL, reg, uuid));
        if (rc)
            fx_fatal(reg, "pledger_application_review", rc);
        fx_say("A application.review %s", uuid);
        RETRY(reg, impatient, rc, pledger_application_submit(reg, uuid));
        if (rc)
            fx_fatal(reg, "pledger_application_submit", rc);
        fx_say("A application.submit %s", uuid);
        fx_act(reg, actor, PLEDGER_ROLE_CLERK);
        RETRY(reg, impatient, rc, pledger_application_accept(&acc, reg, uuid));
        if (rc)
            fx_fatal(reg, "pledger_application_accept", rc);
        fx_say("A application.accept %s %s", uuid, acc);
        fx_act(reg, actor, PLEDGER_ROLE_REGISTRAR);
        RETRY(reg, impatient, rc, pledger_application_register(&num, &code, reg, uuid));
        if (rc)
            fx_fatal(reg, "pledger_application_register", rc);
        fx_say("A application.register %s %s", uuid, num);
        if (i % 3 == 1) {
            pledger_change ch = PLEDGER_CHANGE_INIT;
            ch.amount = 4200000 + i;
            RETRY(reg, impatient, rc, pledger_pledge_change(reg, num, &ch, code));
            if (rc)
                fx_fatal(reg, "pledger_pledge_change", rc);
            fx_say("A pledge.change %s", num);
        }
        if (i % 3 == 2) {
            RETRY(reg, impatient, rc, pledger_pledge_cancel(reg, num, code, "repaid"));
            if (rc)
                fx_fatal(reg, "pledger_pledge_cancel", rc);
            fx_say("A pledge.cancel %s", num);
        }
        pledger_free(acc);
        pledger_free(num);
        pledger_free(code);
    }
    fx_say("W %d %d", w, busy_seen);
    pledger_close(reg);
}

/* ---- readers ------------------------------------------------------------- */

static void reader_main(int r)
{
    pledger_registry *reg = NULL;
    size_t last_hits = 0;
    int64_t last_events = 0, last_regs = 0;
    int rc, busy = 0;

    if ((rc = fx_open(&reg, path, NULL, 1, 10000)))
        fx_fatal(NULL, "pledger_open (read-only)", rc);
    fx_act(reg, "reader", r == 0 ? PLEDGER_ROLE_AUDITOR : PLEDGER_ROLE_BANK);
    for (int it = 0; it < reader_rounds; it++) {
        /* every pledge, current versions, one page, one read transaction */
        pledger_query q = PLEDGER_QUERY_INIT;
        pledger_cursor *cur = NULL;
        char why[256];
        q.page_size = 10000;
        while ((rc = pledger_search(&cur, reg, &q)) == PLEDGER_EBUSY)
            busy++;
        if (rc)
            fx_fatal(reg, "pledger_search", rc);
        size_t n = pledger_cursor_count(cur);
        char **nums = calloc(n + 1, sizeof *nums);
        size_t k = 0;
        while (pledger_cursor_next(cur) == 1 && k < n)
            nums[k++] = strdup(pledger_pledge_number(pledger_cursor_pledge(cur)));
        pledger_cursor_free(cur);
        if (k != n)
            fx_fatal(reg, "cursor count and hits differ", PLEDGER_ECORRUPT);
        if (n < last_hits) {
            fx_say("X reader %d: %zu pledges after %zu: a committed pledge vanished", r, n,
                   last_hits);
            _exit(3);
        }
        if (gap_free(nums, n, why, sizeof why)) {
            fx_say("X reader %d: numbers of one answer not gap-free: %s", r, why);
            _exit(3);
        }
        last_hits = n;
        /* a pledge seen once stays verifiable */
        if (n) {
            pledger_verification *v = NULL;
            const char *pick = nums[(size_t)it % n];
            while ((rc = pledger_verify(&v, reg, pick, NULL)) == PLEDGER_EBUSY)
                busy++;
            if (rc)
                fx_fatal(reg, "pledger_verify", rc);
            if (strcmp(pledger_pledge_number(pledger_verification_pledge(v)), pick) != 0)
                fx_fatal(reg, "pledger_verify answered another number", PLEDGER_ECORRUPT);
            pledger_verification_free(v);
        }
        for (size_t i = 0; i < n; i++)
            free(nums[i]);
        free(nums);
        /* the statistics never go back either */
        pledger_stats_query sq = PLEDGER_STATS_QUERY_INIT;
        pledger_stats *st = NULL;
        sq.from = "2024-01-01";
        sq.to = "2024-12-31";
        while ((rc = pledger_stats_get(&st, reg, &sq)) == PLEDGER_EBUSY)
            busy++;
        if (rc)
            fx_fatal(reg, "pledger_stats_get", rc);
        int64_t regs = pledger_stats_registrations(st);
        pledger_stats_free(st);
        if (regs < last_regs) {
            fx_say("X reader %d: %lld registrations after %lld", r, (long long)regs,
                   (long long)last_regs);
            _exit(3);
        }
        last_regs = regs;
        /* the auditor: the journal verifies at every moment */
        if (r == 0) {
            int64_t bad = -1, count = 0;
            while ((rc = pledger_journal_verify(&bad, &count, reg)) == PLEDGER_EBUSY)
                busy++;
            if (rc)
                fx_fatal(reg, "pledger_journal_verify", rc);
            if (bad) {
                fx_say("X reader 0: journal broken at event %lld: %s", (long long)bad,
                       pledger_errmsg(reg));
                _exit(3);
            }
            if (count < last_events) {
                fx_say("X reader 0: %lld events after %lld", (long long)count,
                       (long long)last_events);
                _exit(3);
            }
            last_events = count;
        }
    }
    fx_say("R %d %zu %d", r, last_hits, busy);
    pledger_close(reg);
}

/* ---- the parent ------------------------------------------------------------ */

typedef struct ack {
    char op[40];
    char subject[64];
    int writer;
} ack;

static int cmp_ack(const void *a, const void *b)
{
    const ack *x = a, *y = b;
    int c = strcmp(x->op, y->op);
    return c ? c : strcmp(x->subject, y->subject);
}

START_TEST(test_writers_and_readers)
{
    pid_t pids[WRITERS + READERS];
    FILE *logs[WRITERS + READERS];
    int go[2];
    int64_t t0 = mono_us();

    ck_assert_int_eq(pipe(go), 0);
    for (int p = 0; p < WRITERS + READERS; p++) {
        int fds[2];
        ck_assert_int_eq(pipe(fds), 0);
        fflush(NULL);
        pids[p] = fork();
        ck_assert_int_ge(pids[p], 0);
        if (pids[p] == 0) {
            char c;
            close(fds[0]);
            close(go[1]);
            fx_out_fd = fds[1];
            /* all start together: the parent closes the "go" pipe */
            if (read(go[0], &c, 1) != 0)
                _exit(6);
            if (p < WRITERS)
                writer_main(p);
            else
                reader_main(p - WRITERS);
            _exit(0);
        }
        close(fds[1]);
        logs[p] = fdopen(fds[0], "r");
        ck_assert_ptr_nonnull(logs[p]);
    }
    close(go[0]);
    close(go[1]);

    /* read every child's lines to the end (each has its own pipe) */
    ack *acks = NULL;
    size_t n_acks = 0, cap = 0;
    char **numbers = NULL; /* acceptance and registration numbers acknowledged */
    size_t n_numbers = 0, cap_numbers = 0;
    int busy_impatient = -1, reader_busy = 0, readers_done = 0, writers_done = 0;
    size_t reader_max = 0;
    char line[600];
    for (int p = 0; p < WRITERS + READERS; p++) {
        while (fgets(line, sizeof line, logs[p])) {
            line[strcspn(line, "\n")] = '\0';
            ck_assert_msg(line[0] != 'X', "%s %d: %s", p < WRITERS ? "writer" : "reader",
                          p < WRITERS ? p : p - WRITERS, line + 2);
            if (line[0] == 'W') {
                int w, b;
                ck_assert_int_eq(sscanf(line + 2, "%d %d", &w, &b), 2);
                if (w == WRITERS - 1)
                    busy_impatient = b;
                writers_done++;
                continue;
            }
            if (line[0] == 'R') {
                int r, b;
                size_t hits;
                ck_assert_int_eq(sscanf(line + 2, "%d %zu %d", &r, &hits, &b), 3);
                reader_busy += b;
                if (hits > reader_max)
                    reader_max = hits;
                readers_done++;
                continue;
            }
            ck_assert_msg(line[0] == 'A', "bad line '%s'", line);
            char op[40], subject[64], extra[64] = "";
            int n = sscanf(line + 2, "%39s %63s %63s", op, subject, extra);
            ck_assert_int_ge(n, 2);
            if (n_acks == cap) {
                cap = cap ? 2 * cap : 256;
                acks = realloc(acks, cap * sizeof *acks);
                ck_assert_ptr_nonnull(acks);
            }
            snprintf(acks[n_acks].op, sizeof acks[n_acks].op, "%s", op);
            snprintf(acks[n_acks].subject, sizeof acks[n_acks].subject, "%s", subject);
            acks[n_acks].writer = p;
            n_acks++;
            if (n == 3) {
                if (n_numbers == cap_numbers) {
                    cap_numbers = cap_numbers ? 2 * cap_numbers : 256;
                    numbers = realloc(numbers, cap_numbers * sizeof *numbers);
                    ck_assert_ptr_nonnull(numbers);
                }
                numbers[n_numbers++] = strdup(extra);
            }
        }
        fclose(logs[p]);
    }
    for (int p = 0; p < WRITERS + READERS; p++) {
        int status = 0;
        ck_assert_int_eq(waitpid(pids[p], &status, 0), pids[p]);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                      "process %d ended with status 0x%x", p, status);
    }
    ck_assert_int_eq(writers_done, WRITERS);
    ck_assert_int_eq(readers_done, READERS);

    /* no number acknowledged twice, and each is in the registry */
    qsort(numbers, n_numbers, sizeof *numbers, cmp_str);
    for (size_t i = 1; i < n_numbers; i++)
        ck_assert_msg(strcmp(numbers[i - 1], numbers[i]) != 0, "number %s issued twice",
                      numbers[i]);
    ck_assert_uint_eq(n_numbers, (size_t)(2 * WRITERS * n_apps_per_writer));
    char why[1024];
    char **reg_numbers = calloc(n_numbers + 1, sizeof *reg_numbers);
    size_t n_reg = 0;
    for (size_t i = 0; i < n_numbers; i++) {
        char sql[256];
        int64_t found = 0;
        if (numbers[i][0] == 'R') {
            snprintf(sql, sizeof sql, "SELECT count(*) FROM pledge WHERE registration_number"
                                      " = '%s'", numbers[i]);
            reg_numbers[n_reg++] = numbers[i];
        } else {
            snprintf(sql, sizeof sql, "SELECT count(*) FROM application WHERE"
                                      " acceptance_number = '%s'", numbers[i]);
        }
        PL_OK(NULL, fx_raw_int(path, sql, &found));
        ck_assert_msg(found == 1, "number %s: %lld rows", numbers[i], (long long)found);
    }
    /* gap-free: every number of the run, both series */
    ck_assert_msg(gap_free(numbers, n_numbers, why, sizeof why) == 0, "%s", why);
    ck_assert_uint_eq(reader_max <= n_reg, 1);
    free(reg_numbers);

    /* the journal: exactly the acknowledged events, each once */
    int64_t bad = -1, count = 0, stored = 0;
    ck_assert_msg(fx_integrity(path, why, sizeof why) == 0, "integrity_check: %s", why);
    PL_OK(NULL, fx_journal_verify(path, &bad, &count, why, sizeof why));
    ck_assert_msg(bad == 0, "journal broken at %lld: %s", (long long)bad, why);
    ck_assert_int_eq(count, (int64_t)n_acks);
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT operation, subject, actor FROM journal"
                                           " ORDER BY seq", -1, &st, NULL), SQLITE_OK);
    ack *events = calloc((size_t)count + 1, sizeof *events);
    int64_t last_seq_of[WRITERS] = { 0 };
    while (sqlite3_step(st) == SQLITE_ROW) {
        ck_assert_int_lt(stored, count);
        snprintf(events[stored].op, sizeof events[stored].op, "%s", sqlite3_column_text(st, 0));
        snprintf(events[stored].subject, sizeof events[stored].subject, "%s",
                 sqlite3_column_text(st, 1));
        int w = -1;
        ck_assert_int_eq(sscanf((const char *)sqlite3_column_text(st, 2), "writer-%d", &w), 1);
        ck_assert(w >= 0 && w < WRITERS);
        last_seq_of[w] = stored + 1;
        stored++;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    ck_assert_int_eq(stored, count);
    for (int w = 0; w < WRITERS; w++)
        ck_assert_int_gt(last_seq_of[w], 0);
    qsort(acks, n_acks, sizeof *acks, cmp_ack);
    qsort(events, (size_t)stored, sizeof *events, cmp_ack);
    for (size_t i = 0; i < n_acks; i++)
        ck_assert_msg(cmp_ack(&acks[i], &events[i]) == 0,
                      "acknowledged %s %s but the journal has %s %s", acks[i].op,
                      acks[i].subject, events[i].op, events[i].subject);
    printf("concurrency: %d writers, %d readers, %zu events, %zu numbers, %.1f s; "
           "EBUSY seen by the writer without a busy timeout: %d, by readers: %d\n",
           WRITERS, READERS, n_acks, n_numbers, (double)(mono_us() - t0) / 1e6,
           busy_impatient, reader_busy);
    ck_assert_int_ge(busy_impatient, 0);
    for (size_t i = 0; i < n_numbers; i++)
        free(numbers[i]);
    free(numbers);
    free(events);
    free(acks);
}
END_TEST

/* A writer holds the lock past the busy timeout: PLEDGER_EBUSY after
 * waiting about that long, with a message, nothing changed; reads go on
 * meanwhile.  Released within the timeout: the call waits and succeeds. */
/* Six handles, each on a thread of its own, open one registry that does
 * not exist yet at the same instant: the four writers all open it (one
 * makes it, the others wait for it: turning a new file to WAL can be
 * answered BUSY at once, without the busy wait, when two connections ask
 * together); the two readers open it or are told it does not exist yet, or
 * is empty. */
typedef struct opener {
    const char *path;
    bool read_only;
    pthread_barrier_t *gate;
    int rc;
    char msg[512];
} opener;

static void *open_new(void *arg)
{
    opener *op = arg;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    pledger_registry *r = NULL;
    o.office_code = "FZ01";
    o.read_only = op->read_only;
    o.busy_timeout_ms = 30000;
    pthread_barrier_wait(op->gate);
    op->rc = pledger_open(&r, op->path, &o);
    snprintf(op->msg, sizeof op->msg, "%s", op->rc ? pledger_errmsg(NULL) : "");
    pledger_close(r);
    return NULL;
}

START_TEST(test_open_new_at_once)
{
    char *fresh = pl_test_path(dir, "fresh.db");
    pthread_barrier_t gate;
    pthread_t t[6];
    opener op[6];

    for (int round = 0; round < 3; round++) {
        unlink(fresh);
        ck_assert_int_eq(pthread_barrier_init(&gate, NULL, 6), 0);
        for (int i = 0; i < 6; i++) {
            op[i] = (opener){ .path = fresh, .read_only = i >= 4, .gate = &gate };
            ck_assert_int_eq(pthread_create(&t[i], NULL, open_new, &op[i]), 0);
        }
        for (int i = 0; i < 6; i++) {
            pthread_join(t[i], NULL);
            bool ok = op[i].rc == 0 || (op[i].read_only && (op[i].rc == PLEDGER_ENOTFOUND ||
                                                            op[i].rc == PLEDGER_ENOTDB));
            ck_assert_msg(ok, "%s %d: %s", op[i].read_only ? "reader" : "writer", i, op[i].msg);
        }
        pthread_barrier_destroy(&gate);
        pledger_registry *r = NULL;
        PL_OK(NULL, fx_open(&r, fresh, NULL, 1, -1));
        pledger_close(r);
        char side[600];
        snprintf(side, sizeof side, "%s-wal", fresh);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", fresh);
        unlink(side);
    }
    free(fresh);
}
END_TEST

START_TEST(test_busy_timeout)
{
    pledger_registry *reg = NULL, *ro = NULL;
    sqlite3 *h = NULL;
    char *num = NULL, *uuid = NULL;

    PL_OK(NULL, fx_open(&reg, path, "FZ01", 0, 300));
    PL_OK(reg, fx_accepted(reg, PLEDGER_KIND_EQUITY, &uuid, NULL));
    PL_OK(NULL, fx_open(&ro, path, NULL, 1, 300));
    PL_OK(ro, pledger_set_actor(ro, "bank-1", PLEDGER_ROLE_BANK));
    char *before = fx_dump(path, NULL);
    ck_assert_ptr_nonnull(before);

    ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    int64_t t = mono_us();
    PL_FAILS(reg, PLEDGER_EBUSY, pledger_application_register(&num, NULL, reg, uuid));
    int64_t waited = mono_us() - t;
    ck_assert_ptr_null(num);
    ck_assert_msg(waited >= 250000, "gave up after %lld us, before the busy timeout",
                  (long long)waited);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "locked"));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), path));
    ck_assert_int_eq(pledger_errcode(reg), PLEDGER_EBUSY);
    /* reading while the lock is held works (write-ahead log) */
    pledger_query q = PLEDGER_QUERY_INIT;
    pledger_cursor *cur = NULL;
    PL_OK(ro, pledger_search(&cur, ro, &q));
    pledger_cursor_free(cur);
    ck_assert_int_eq(sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    char *after = fx_dump(path, NULL);
    ck_assert_str_eq(before, after);
    free(after);

    /* the same call with a lock released within the timeout: it waits */
    int locked[2];
    char c1;
    ck_assert_int_eq(pipe(locked), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        sqlite3 *c = NULL;
        close(locked[0]);
        if (sqlite3_open(path, &c) != SQLITE_OK ||
            sqlite3_exec(c, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
            write(locked[1], "L", 1) != 1)
            _exit(1);
        usleep(300000);
        sqlite3_exec(c, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(c);
        _exit(0);
    }
    pledger_close(reg);
    reg = NULL;
    PL_OK(NULL, fx_open(&reg, path, "FZ01", 0, 5000));
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    close(locked[1]);
    ck_assert_int_eq(read(locked[0], &c1, 1), 1); /* the child holds the lock */
    close(locked[0]);
    t = mono_us();
    PL_OK(reg, pledger_application_register(&num, NULL, reg, uuid));
    waited = mono_us() - t;
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_int_eq(status, 0);
    ck_assert_msg(waited >= 50000, "did not wait for the lock (%lld us)", (long long)waited);
    ck_assert_ptr_nonnull(strstr(num, "R-FZ01-EQ-2024-000001"));
    pledger_free(num);
    free(before);
    free(uuid);
    pledger_close(ro);
    pledger_close(reg);
    sqlite3_close(h);
}
END_TEST

/* ---- the instant of every step is read under the write lock ------------------- */

/* A clock that, each time it is read, tries to take the registry's write
 * lock on a connection of its own: when it cannot, the step reading it
 * holds the lock.  It answers 1 us later each time, and remembers which
 * instants it gave while the lock was held. */
typedef struct probe_clock {
    sqlite3 *h;
    int64_t next;
    int64_t locked[1024];
    size_t n_locked, reads;
} probe_clock;

static int64_t probing_clock(void *payload)
{
    probe_clock *p = payload;
    int64_t t = p->next++;
    int rc = sqlite3_exec(p->h, "BEGIN IMMEDIATE", NULL, NULL, NULL);

    p->reads++;
    if (rc == SQLITE_OK)
        sqlite3_exec(p->h, "ROLLBACK", NULL, NULL, NULL);
    else if ((rc & 0xff) == SQLITE_BUSY && p->n_locked < 1024)
        p->locked[p->n_locked++] = t;
    return t;
}

/* Every step that journals an event takes its instant once it holds the
 * write lock: read when the call starts, another writer's commit could
 * come between with a later instant (the clock going backwards), and the
 * step's dates (numbers' year, deadlines) could be another day's. */
START_TEST(test_instant_under_lock)
{
    static const char regxml[] = "<register xmlns=\"urn:pledger:1\"></register>\n";
    pledger_registry *reg = NULL;
    pledger_import_report *rep = NULL;
    pledger_application *app = NULL;
    pledger_change ch = PLEDGER_CHANGE_INIT;
    probe_clock pc;
    char *tm = NULL, *ar = NULL, *ar_code = NULL, *tm2 = NULL;
    char *u_fix = NULL, *u_lapse = NULL, *u_refuse = NULL, *u_withdraw = NULL;
    int n = 0;

    memset(&pc, 0, sizeof pc);
    pc.next = FX_T0;
    ck_assert_int_eq(sqlite3_open(path, &pc.h), SQLITE_OK);
    PL_OK(NULL, fx_open(&reg, path, "FZ01", 0, 5000));
    PL_OK(reg, pledger_set_clock(reg, probing_clock, &pc));

    /* save, review, submit, accept, register, of two kinds */
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &tm, NULL));
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_RECEIVABLE, &ar, &ar_code));
    /* save again, request a correction, correct; refuse; withdraw */
    app = fx_sample(PLEDGER_KIND_EQUITY);
    ck_assert_ptr_nonnull(app);
    PL_OK(reg, pledger_set_actor(reg, "applicant-1", PLEDGER_ROLE_APPLICANT));
    PL_OK(reg, pledger_application_save(reg, app));
    PL_OK(reg, pledger_application_save(reg, app));
    PL_OK(reg, pledger_application_review(NULL, reg, pledger_application_uuid(app)));
    PL_OK(reg, pledger_application_submit(reg, pledger_application_uuid(app)));
    u_fix = strdup(pledger_application_uuid(app));
    PL_OK(reg, fx_accept(reg, u_fix, NULL));
    PL_OK(reg, pledger_application_request_correction(reg, u_fix, "a page is missing"));
    PL_OK(reg, pledger_application_correct(reg, app));
    pledger_application_free(app);
    PL_OK(reg, fx_accepted(reg, PLEDGER_KIND_PATENT, &u_refuse, NULL));
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_OK(reg, pledger_application_refuse(reg, u_refuse, "CONTRACT_VOID", NULL));
    PL_OK(reg, fx_submitted(reg, PLEDGER_KIND_LAND, &u_withdraw));
    PL_OK(reg, pledger_application_withdraw(reg, u_withdraw));
    PL_OK(reg, fx_accepted(reg, PLEDGER_KIND_EMISSION, &u_lapse, NULL));
    PL_OK(reg, pledger_application_request_correction(reg, u_lapse, "left to lapse"));
    /* the pledge steps */
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    ch.amount = 4200000;
    PL_OK(reg, pledger_pledge_change(reg, tm, &ch, NULL));
    PL_OK(reg, pledger_pledge_extend(reg, tm, "2031-01-01", NULL));
    PL_OK(reg, pledger_pledge_object(reg, ar, "a creditor", NULL));
    PL_OK(reg, pledger_pledge_record_litigation(reg, ar));
    PL_OK(reg, pledger_pledge_dismiss_objection(reg, ar, NULL));
    PL_OK(reg, pledger_pledge_object(reg, ar, "another creditor", NULL));
    PL_OK(reg, pledger_pledge_cancel(reg, tm, NULL, "repaid"));
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_SEA_AREA, &tm2, NULL));
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_OK(reg, pledger_pledge_revoke(reg, tm2, "CONTRACT_VOID", NULL));
    /* the registry-wide steps */
    PL_OK(reg, pledger_calendar_load(reg, "2030-01-01 holiday\n", 19));
    PL_OK(reg, pledger_set_number_template(reg, "{series}-{office}-{kind}-{year}-{seq:6}"));
    PL_OK(reg, pledger_register_import_memory(&rep, reg, regxml, sizeof regxml - 1, NULL));
    pledger_import_report_free(rep);
    /* the lapsed correction, the lapsed objection, the ended pledge */
    pc.next += 4000 * FX_DAY_US;
    PL_OK(reg, pledger_registry_expire(&n, reg));
    ck_assert_int_eq(n, 3);
    pledger_close(reg);

    /* every event's instant was read while its step held the lock */
    sqlite3_stmt *st = NULL;
    const char *const ops[] = {
        "application.create", "application.update", "application.review",
        "application.submit", "application.accept", "application.request_correction",
        "application.correct", "application.register", "application.refuse",
        "application.withdraw", "pledge.change", "pledge.extend", "pledge.object",
        "pledge.litigation", "pledge.dismiss_objection", "pledge.cancel", "pledge.revoke",
        "pledge.expire", "pledge.objection_lapse", "calendar.load", "registry.setting",
        "register_import",
    };
    int seen[sizeof ops / sizeof ops[0]] = { 0 };
    int events = 0;
    ck_assert_int_eq(sqlite3_prepare_v2(pc.h, "SELECT seq, operation, at_us FROM journal"
                                              " ORDER BY seq", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *op = (const char *)sqlite3_column_text(st, 1);
        int64_t at = sqlite3_column_int64(st, 2);
        bool locked = false;
        for (size_t i = 0; i < pc.n_locked && !locked; i++)
            locked = pc.locked[i] == at;
        ck_assert_msg(locked, "event %lld (%s): its instant was read before the step held "
                      "the write lock", (long long)sqlite3_column_int64(st, 0), op);
        for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
            if (!strcmp(ops[i], op))
                seen[i]++;
        events++;
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        ck_assert_msg(seen[i] > 0, "no %s event: the test no longer covers it", ops[i]);
    ck_assert_int_gt(events, 40);
    sqlite3_close(pc.h);
    free(tm);
    free(tm2);
    free(ar);
    pledger_free(ar_code);
    free(u_fix);
    free(u_lapse);
    free(u_refuse);
    free(u_withdraw);
}
END_TEST

#else

/* ---- the real clock ---------------------------------------------------------- */

/* 4 writers and 4 readers on the system clock for RT_SECONDS: every
 * process reads its own clock, so a step's instant is only ordered with
 * another writer's if it is taken once the write lock is held.  Writers
 * take applications through every step that journals an event (save,
 * review, submit, accept, request correction, correct, register, change,
 * cancel, expire, calendar, number template, register import); no call
 * may fail, whatever the other writers do. */

/* 15 s in the suite; PLEDGER_RT_SECONDS sets another length (the
 * figures in README.md are of 30 s runs) */
#define RT_SECONDS 15

static int64_t rt_deadline;

/* The registry's date (UTC+8) @days from now, as YYYY-MM-DD. */
static void rt_date(char out[11], int days)
{
    time_t t = time(NULL) + 8 * 3600 + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

typedef struct rt_stats {
    long steps, events, errors, busy, clock; /* busy, clock: errors of those kinds */
    int64_t max_wait; /* the longest call, lock wait included (us) */
} rt_stats;

/* Count one call that took @us: an error is reported ("E ...") and
 * counted, never fatal, so the figures show every failure of the run. */
static void rt_count(rt_stats *s, pledger_registry *reg, const char *what, int rc, int64_t us)
{
    if (us > s->max_wait)
        s->max_wait = us;
    if (rc) {
        s->busy += rc == PLEDGER_EBUSY;
        s->clock += rc == PLEDGER_ESTATE && strstr(pledger_errmsg(reg), "clock went backwards");
        if (s->errors++ < 20)
            fx_say("E %s -> %d (%s) after %.3f s: %s", what, rc, pledger_strerror(rc),
                   (double)us / 1e6, pledger_errmsg(reg));
        return;
    }
    s->steps++;
    s->events++;
}

/* @rc = @call, timed and counted in @s. */
#define RT_STEP(s, reg, what, rc, call)                                                  \
    do {                                                                                 \
        int64_t t_ = mono_us();                                                          \
        (rc) = (call);                                                                   \
        rt_count(&(s), reg, what, rc, mono_us() - t_);                                   \
    } while (0)

static void rt_writer_main(int wi)
{
    static const char calendar[] = "2030-01-01 holiday New Year\n";
    static const char reg_xml[] = "<register xmlns=\"urn:pledger:1\"></register>\n";
    pledger_registry *reg = NULL;
    rt_stats s = { 0, 0, 0, 0, 0, 0 };
    char actor[32], end[11];
    int rc, rc2;

    if ((rc = pledger_open(&reg, path, NULL)))
        fx_fatal(NULL, "pledger_open", rc);
    snprintf(actor, sizeof actor, "writer-%d", wi);
    rt_date(end, 700);
    for (int i = 0; mono_us() < rt_deadline; i++) {
        int kind = i % 2 ? PLEDGER_KIND_RECEIVABLE : PLEDGER_KIND_TRADEMARK;
        pledger_application *app = fx_sample(kind);
        char *acc = NULL, *num = NULL, *code = NULL, uuid[40] = "";
        if (!app)
            fx_fatal(NULL, "loading a sample", PLEDGER_EIO);
        if (kind == PLEDGER_KIND_TRADEMARK) {
            char n1[16], n2[16];
            snprintf(n1, sizeof n1, "%d", 30000000 + wi * 1000000 + 2 * i);
            snprintf(n2, sizeof n2, "%d", 30000000 + wi * 1000000 + 2 * i + 1);
            if ((rc = pledger_application_set(app, "rights/right[1]/number", n1)) ||
                (rc = pledger_application_set(app, "rights/right[2]/number", n2)))
                fx_fatal(NULL, "pledger_application_set", rc);
        }
        /* pledges that do not end while the run lasts (expire passes them by) */
        if ((rc = pledger_application_set(app, "period/end", end)))
            fx_fatal(NULL, "pledger_application_set", rc);
        fx_act(reg, actor, PLEDGER_ROLE_APPLICANT);
        RT_STEP(s, reg, "save", rc, pledger_application_save(reg, app));
        if (!rc)
            snprintf(uuid, sizeof uuid, "%s", pledger_application_uuid(app));
        if (!rc)
            RT_STEP(s, reg, "review", rc, pledger_application_review(NULL, reg, uuid));
        if (!rc)
            RT_STEP(s, reg, "submit", rc, pledger_application_submit(reg, uuid));
        fx_act(reg, actor, PLEDGER_ROLE_CLERK);
        if (!rc) {
            RT_STEP(s, reg, "accept", rc, pledger_application_accept(&acc, reg, uuid));
            if (!rc)
                fx_say("N %s", acc);
        }
        if (!rc && i % 4 == 3) {
            RT_STEP(s, reg, "request_correction", rc,
                    pledger_application_request_correction(reg, uuid, "a page is missing"));
            if (!rc)
                RT_STEP(s, reg, "correct", rc, pledger_application_correct(reg, app));
        }
        pledger_application_free(app);
        fx_act(reg, actor, PLEDGER_ROLE_REGISTRAR);
        if (!rc) {
            RT_STEP(s, reg, "register", rc, pledger_application_register(&num, &code, reg, uuid));
            if (!rc)
                fx_say("N %s", num);
        }
        if (!rc && i % 3 == 1) {
            pledger_change ch = PLEDGER_CHANGE_INIT;
            ch.amount = 4200000 + i;
            RT_STEP(s, reg, "change", rc2, pledger_pledge_change(reg, num, &ch, code));
        }
        if (!rc && i % 3 == 2)
            RT_STEP(s, reg, "cancel", rc2, pledger_pledge_cancel(reg, num, code, "repaid"));
        /* the registry-wide steps, each writer in its turn */
        switch ((i + wi) % 8) {
        case 0: {
            int n = 0;
            RT_STEP(s, reg, "expire", rc2, pledger_registry_expire(&n, reg));
            if (!rc2)
                s.events += n - 1; /* one event per deadline passed, none else */
            break;
        }
        case 2:
            RT_STEP(s, reg, "calendar_load", rc2,
                    pledger_calendar_load(reg, calendar, sizeof calendar - 1));
            break;
        case 4:
            RT_STEP(s, reg, "set_number_template", rc2,
                    pledger_set_number_template(reg, "{series}-{office}-{kind}-{year}-{seq:6}"));
            break;
        case 6: {
            pledger_import_report *rep = NULL;
            RT_STEP(s, reg, "register_import", rc2,
                    pledger_register_import_memory(&rep, reg, reg_xml, sizeof reg_xml - 1, NULL));
            pledger_import_report_free(rep);
            break;
        }
        default:
            break;
        }
        pledger_free(acc);
        pledger_free(num);
        pledger_free(code);
    }
    fx_say("W %d %ld %ld %ld %ld %ld %lld", wi, s.steps, s.events, s.errors, s.busy, s.clock,
           (long long)s.max_wait);
    pledger_close(reg);
}

static void rt_reader_main(int r)
{
    pledger_registry *reg = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    rt_stats s = { 0, 0, 0, 0, 0, 0 };
    char today[11];
    int rc;

    rt_date(today, 0);
    o.read_only = 1;
    if ((rc = pledger_open(&reg, path, &o)))
        fx_fatal(NULL, "pledger_open (read-only)", rc);
    fx_act(reg, "reader", r == 0 ? PLEDGER_ROLE_AUDITOR : PLEDGER_ROLE_BANK);
    while (mono_us() < rt_deadline) {
        pledger_query q = PLEDGER_QUERY_INIT;
        pledger_cursor *cur = NULL;
        q.page_size = 50;
        RT_STEP(s, reg, "search", rc, pledger_search(&cur, reg, &q));
        if (!rc && pledger_cursor_next(cur) == 1) {
            pledger_verification *v = NULL;
            char pick[80];
            snprintf(pick, sizeof pick, "%s", pledger_pledge_number(pledger_cursor_pledge(cur)));
            RT_STEP(s, reg, "verify", rc, pledger_verify(&v, reg, pick, NULL));
            pledger_verification_free(v);
        }
        pledger_cursor_free(cur);
        pledger_stats_query sq = PLEDGER_STATS_QUERY_INIT;
        pledger_stats *st = NULL;
        sq.from = "2024-01-01";
        sq.to = today;
        RT_STEP(s, reg, "stats", rc, pledger_stats_get(&st, reg, &sq));
        pledger_stats_free(st);
        if (r == 0) {
            int64_t bad = -1, count = 0;
            RT_STEP(s, reg, "journal_verify", rc, pledger_journal_verify(&bad, &count, reg));
            if (!rc && bad) {
                fx_say("E journal_verify: broken at event %lld: %s", (long long)bad,
                       pledger_errmsg(reg));
                s.errors++;
            }
        }
    }
    fx_say("R %d %ld %ld %lld", r, s.steps, s.errors, (long long)s.max_wait);
    pledger_close(reg);
}

START_TEST(test_real_clock)
{
    pid_t pids[WRITERS + READERS];
    FILE *logs[WRITERS + READERS];
    int go[2];

    ck_assert_int_eq(pipe(go), 0);
    int seconds = getenv("PLEDGER_VALGRIND") ? 5 : RT_SECONDS;
    if (getenv("PLEDGER_RT_SECONDS") && atoi(getenv("PLEDGER_RT_SECONDS")) > 0)
        seconds = atoi(getenv("PLEDGER_RT_SECONDS"));
    rt_deadline = mono_us() + seconds * INT64_C(1000000);
    for (int p = 0; p < WRITERS + READERS; p++) {
        int fds[2];
        ck_assert_int_eq(pipe(fds), 0);
        fflush(NULL);
        pids[p] = fork();
        ck_assert_int_ge(pids[p], 0);
        if (pids[p] == 0) {
            char c;
            close(fds[0]);
            close(go[1]);
            fx_out_fd = fds[1];
            if (read(go[0], &c, 1) != 0)
                _exit(6);
            if (p < WRITERS)
                rt_writer_main(p);
            else
                rt_reader_main(p - WRITERS);
            _exit(0);
        }
        close(fds[1]);
        logs[p] = fdopen(fds[0], "r");
        ck_assert_ptr_nonnull(logs[p]);
    }
    close(go[0]);
    close(go[1]);

    char **numbers = NULL;
    size_t n_numbers = 0, cap = 0;
    long steps = 0, events = 0, errors = 0, busy = 0, clock_back = 0, reads = 0, read_errors = 0;
    long long max_wait = 0, max_read = 0;
    int done = 0;
    char line[600], first_error[700] = "";
    for (int p = 0; p < WRITERS + READERS; p++) {
        while (fgets(line, sizeof line, logs[p])) {
            line[strcspn(line, "\n")] = '\0';
            ck_assert_msg(line[0] != 'X', "process %d: %s", p, line + 2);
            if (line[0] == 'E') {
                if (!first_error[0])
                    snprintf(first_error, sizeof first_error, "process %d: %s", p, line + 2);
                fprintf(stderr, "process %d: %s\n", p, line + 2);
            } else if (line[0] == 'N') {
                if (n_numbers == cap) {
                    cap = cap ? 2 * cap : 256;
                    numbers = realloc(numbers, cap * sizeof *numbers);
                    ck_assert_ptr_nonnull(numbers);
                }
                numbers[n_numbers++] = strdup(line + 2);
            } else if (line[0] == 'W') {
                long s, ev, er, bu, cl;
                long long mw;
                int w;
                ck_assert_int_eq(sscanf(line + 2, "%d %ld %ld %ld %ld %ld %lld", &w, &s, &ev, &er,
                                        &bu, &cl, &mw), 7);
                steps += s;
                events += ev;
                errors += er;
                busy += bu;
                clock_back += cl;
                if (mw > max_wait)
                    max_wait = mw;
                done++;
            } else if (line[0] == 'R') {
                long s, er;
                long long mw;
                int r;
                ck_assert_int_eq(sscanf(line + 2, "%d %ld %ld %lld", &r, &s, &er, &mw), 4);
                reads += s;
                read_errors += er;
                if (mw > max_read)
                    max_read = mw;
                done++;
            } else {
                ck_abort_msg("bad line '%s'", line);
            }
        }
        fclose(logs[p]);
    }
    for (int p = 0; p < WRITERS + READERS; p++) {
        int status = 0;
        ck_assert_int_eq(waitpid(pids[p], &status, 0), pids[p]);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                      "process %d ended with status 0x%x", p, status);
    }
    printf("real clock: %d writers, %d readers, %d s: %ld steps by the writers (%ld events), "
           "%ld reads, %ld writer errors (%ld busy, %ld clock went backwards), %ld reader "
           "errors; longest writer call %.3f s, longest read %.3f s\n",
           WRITERS, READERS, seconds, steps, events, reads, errors, busy, clock_back,
           read_errors,
           (double)max_wait / 1e6, (double)max_read / 1e6);
    fflush(stdout);
    ck_assert_int_eq(done, WRITERS + READERS);
    ck_assert_msg(errors == 0 && read_errors == 0, "%ld writer and %ld reader errors; first: %s",
                  errors, read_errors, first_error);
    ck_assert_int_gt(steps, 0);
    ck_assert_int_gt(reads, 0);

    /* every number once, in the registry, gap-free per series and scope */
    char why[1024];
    qsort(numbers, n_numbers, sizeof *numbers, cmp_str);
    for (size_t i = 1; i < n_numbers; i++)
        ck_assert_msg(strcmp(numbers[i - 1], numbers[i]) != 0, "number %s issued twice",
                      numbers[i]);
    int64_t stored = 0;
    PL_OK(NULL, fx_raw_int(path, "SELECT (SELECT count(*) FROM application WHERE"
                                 " acceptance_number IS NOT NULL) + (SELECT count(*) FROM pledge)",
                           &stored));
    ck_assert_int_eq(stored, (int64_t)n_numbers);
    ck_assert_msg(gap_free(numbers, n_numbers, why, sizeof why) == 0, "%s", why);

    /* the journal: every acknowledged event, intact, instants never going back */
    int64_t bad = -1, count = 0, back = -1;
    ck_assert_msg(fx_integrity(path, why, sizeof why) == 0, "integrity_check: %s", why);
    PL_OK(NULL, fx_journal_verify(path, &bad, &count, why, sizeof why));
    ck_assert_msg(bad == 0, "journal broken at %lld: %s", (long long)bad, why);
    ck_assert_int_eq(count, (int64_t)events);
    PL_OK(NULL, fx_raw_int(path, "SELECT count(*) FROM journal a JOIN journal b"
                                 " ON b.seq = a.seq + 1 WHERE b.at_us < a.at_us", &back));
    ck_assert_int_eq(back, 0);
    for (size_t i = 0; i < n_numbers; i++)
        free(numbers[i]);
    free(numbers);
}
END_TEST

#endif

static Suite *concurrency_suite(void)
{
    Suite *s = suite_create("concurrency");
#ifdef PL_CONC_REAL_CLOCK
    TCase *tc = tcase_create("real clock");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_real_clock);
#else
    TCase *tc = tcase_create("processes");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_writers_and_readers);
    tcase_add_test(tc, test_busy_timeout);
    tcase_add_test(tc, test_open_new_at_once);
    tcase_add_test(tc, test_instant_under_lock);
#endif
    tcase_set_timeout(tc, getenv("PLEDGER_VALGRIND") ? 900 : 120);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(concurrency_suite)
