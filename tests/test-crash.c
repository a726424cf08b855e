/* Crash recovery: a child process runs a mixed workload on one registry
 * file (applications of every kind through review, submission,
 * acceptance, correction, registration, refusal and withdrawal; pledges
 * changed, extended, cancelled and revoked; calendars loaded) and tells
 * the parent, over a pipe, each step it starts and each step the library
 * acknowledged.  The parent kills it with SIGKILL at a random moment
 * (seeded, so the schedule is reproducible), reopens the registry and
 * checks:
 *
 * - PRAGMA integrity_check is "ok" and the journal verifies;
 * - the journal is exactly the acknowledged steps, in order, plus at most
 *   the one step in flight at the kill (it committed or left no trace);
 * - no transition is half done: a registered application has exactly one
 *   pledge, with exactly one current version, contiguous versions and a
 *   current certificate; every application that was accepted has its
 *   acceptance number; nothing else holds a pledge;
 * - acceptance and registration numbers are gap-free per series, office,
 *   kind and year, and agree with the stored sequences.
 *
 * Then the next child goes on with the same file.  PLEDGER_CRASH_KILLS
 * sets the number of kills (20 in the unit suite, 300 in the slow one),
 * PLEDGER_CRASH_SEED the seed. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <time.h>

#include "testutil.h"
#include "store/sqlite.h"
#include "fixture.h"

#ifndef PL_CRASH_KILLS
#define PL_CRASH_KILLS 20
#endif

#define MAX_APPS 8192

/* What the parent knows of each application (re-read from the file after
 * every kill; inherited by the next child through fork()). */
typedef struct m_app {
    char uuid[40];
    int kind;
    int state;       /* pledger_app_state */
    char number[64]; /* registration number, "" when none */
    int pstate;      /* pledger_pledge_state of its pledge, 0 when none */
    char modcode[32];/* receivables: the modification code, "" when unknown */
    int blocked;     /* child only: its review found a blocking problem */
} m_app;

static m_app apps[MAX_APPS];
static int n_apps;

/* The journal the parent expects: one (operation, subject) per
 * acknowledged step. */
typedef struct m_event {
    char op[40];
    char subject[64];
} m_event;

static m_event *expect;
static size_t n_expect, cap_expect;

static char *dir, *path;
static uint64_t rng_state;
static int round_no, base_seed;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static int rnd_below(int n)
{
    return (int)(rnd() % (uint64_t)n);
}

static void seed(uint64_t s)
{
    rng_state = s * UINT64_C(0x9E3779B97F4A7C15) + 1;
    for (int i = 0; i < 8; i++)
        rnd();
}

static void expect_add(const char *op, const char *subject)
{
    if (n_expect == cap_expect) {
        cap_expect = cap_expect ? 2 * cap_expect : 1024;
        expect = realloc(expect, cap_expect * sizeof *expect);
        ck_assert_ptr_nonnull(expect);
    }
    snprintf(expect[n_expect].op, sizeof expect[n_expect].op, "%s", op);
    snprintf(expect[n_expect].subject, sizeof expect[n_expect].subject, "%s", subject);
    n_expect++;
}

/* Modification codes of receivable pledges, by registration number, as the
 * child reported them (the parent keeps them across rounds). */
typedef struct m_code {
    char number[64];
    char code[32];
} m_code;

static m_code *codes;
static size_t n_codes, cap_codes;

static void code_add(const char *number, const char *code)
{
    if (n_codes == cap_codes) {
        cap_codes = cap_codes ? 2 * cap_codes : 256;
        codes = realloc(codes, cap_codes * sizeof *codes);
        ck_assert_ptr_nonnull(codes);
    }
    snprintf(codes[n_codes].number, sizeof codes[n_codes].number, "%s", number);
    snprintf(codes[n_codes].code, sizeof codes[n_codes].code, "%s", code);
    n_codes++;
}

static const char *code_of(const char *number)
{
    for (size_t i = 0; i < n_codes; i++)
        if (!strcmp(codes[i].number, number))
            return codes[i].code;
    return NULL;
}

/* ---- the child ------------------------------------------------------------ */

static int local_serial;



/* A new application of a random kind, saved (one step). */
static void child_create(pledger_registry *reg)
{
    static const int weights[] = { 0, 4, 1, 4, 1, 1, 1, 1 };
    int total = 0, r, kind = 1, rc;
    for (int k = 1; k <= 7; k++)
        total += weights[k];
    r = rnd_below(total);
    while (r >= weights[kind])
        r -= weights[kind++];
    pledger_application *app = fx_sample(kind);
    if (!app)
        fx_fatal(NULL, "loading a sample", PLEDGER_EIO);
    if (kind == PLEDGER_KIND_TRADEMARK) {
        /* marks of their own, so that their registrations never conflict */
        char num[16];
        int base = 10000000 + 2 * (round_no * 1000 + local_serial++);
        snprintf(num, sizeof num, "%d", base);
        if ((rc = pledger_application_set(app, "rights/right[1]/number", num)))
            fx_fatal(NULL, "set rights/right[1]/number", rc);
        snprintf(num, sizeof num, "%d", base + 1);
        if ((rc = pledger_application_set(app, "rights/right[2]/number", num)))
            fx_fatal(NULL, "set rights/right[2]/number", rc);
    }
    fx_act(reg, "applicant-1", PLEDGER_ROLE_APPLICANT);
    fx_say("B save - %d", kind);
    if ((rc = pledger_application_save(reg, app)))
        fx_fatal(reg, "pledger_application_save (new)", rc);
    fx_say("A save %s %d", pledger_application_uuid(app), kind);
    m_app *a = &apps[n_apps++];
    memset(a, 0, sizeof *a);
    snprintf(a->uuid, sizeof a->uuid, "%s", pledger_application_uuid(app));
    a->kind = kind;
    a->state = PLEDGER_APP_DRAFT;
    pledger_application_free(app);
}

/* Save the document again with another secured amount (back to draft). */
static void child_update(pledger_registry *reg, m_app *a)
{
    pledger_application *app = NULL;
    char amount[32];
    int rc;
    fx_act(reg, "applicant-1", PLEDGER_ROLE_APPLICANT);
    if ((rc = pledger_application_load(&app, reg, a->uuid)))
        fx_fatal(reg, "pledger_application_load", rc);
    snprintf(amount, sizeof amount, "%d", 100000000 + rnd_below(1000000));
    if ((rc = pledger_application_set(app, "claim/amount", amount)))
        fx_fatal(NULL, "set claim/amount", rc);
    fx_say("B save %s", a->uuid);
    if ((rc = pledger_application_save(reg, app)))
        fx_fatal(reg, "pledger_application_save (update)", rc);
    fx_say("A save %s", a->uuid);
    a->state = PLEDGER_APP_DRAFT;
    pledger_application_free(app);
}

static void child_correct(pledger_registry *reg, m_app *a)
{
    pledger_application *app = NULL;
    int rc;
    fx_act(reg, "clerk-1", PLEDGER_ROLE_CLERK);
    if ((rc = pledger_application_load(&app, reg, a->uuid)))
        fx_fatal(reg, "pledger_application_load", rc);
    if ((rc = pledger_application_set(app, "contract/guarantee_scope", "主债权本金及利息")))
        fx_fatal(NULL, "set contract/guarantee_scope", rc);
    fx_say("B correct %s", a->uuid);
    rc = pledger_application_correct(reg, app);
    if (rc == PLEDGER_EREVIEW) {
        /* the right was pledged since: the corrected document is reviewed
         * as at submission and refused, nothing changes; the applicant
         * withdraws it next */
        fx_say("F correct %s %d", a->uuid, rc);
        a->blocked = 1;
        pledger_application_free(app);
        return;
    }
    if (rc)
        fx_fatal(reg, "pledger_application_correct", rc);
    fx_say("A correct %s", a->uuid);
    a->state = PLEDGER_APP_ACCEPTED;
    pledger_application_free(app);
}

/* A step on the application with no result but the new state. */
static void child_simple(pledger_registry *reg, m_app *a, const char *step, int to)
{
    int rc;
    fx_say("B %s %s", step, a->uuid);
    if (!strcmp(step, "review"))
        rc = pledger_application_review(NULL, reg, a->uuid);
    else if (!strcmp(step, "submit"))
        rc = pledger_application_submit(reg, a->uuid);
    else if (!strcmp(step, "withdraw"))
        rc = pledger_application_withdraw(reg, a->uuid);
    else if (!strcmp(step, "request_correction"))
        rc = pledger_application_request_correction(reg, a->uuid, "sign page 3");
    else
        rc = pledger_application_refuse(reg, a->uuid, "CONTRACT_VOID", NULL);
    if (rc == PLEDGER_EREVIEW && !strcmp(step, "submit")) {
        /* the right is pledged already: the review says so, the
         * submission is refused, nothing changes */
        fx_say("F %s %s %d", step, a->uuid, rc);
        a->blocked = 1;
        return;
    }
    if (rc)
        fx_fatal(reg, step, rc);
    fx_say("A %s %s", step, a->uuid);
    a->state = to;
}

static void child_register(pledger_registry *reg, m_app *a)
{
    char *num = NULL, *code = NULL;
    int rc;
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    fx_say("B register %s", a->uuid);
    rc = pledger_application_register(&num, &code, reg, a->uuid);
    if (rc == PLEDGER_ECONFLICT) {
        /* the right is pledged already and its kind allows one pledge */
        fx_say("F register %s %d", a->uuid, rc);
        return;
    }
    if (rc)
        fx_fatal(reg, "pledger_application_register", rc);
    fx_say("A register %s %s %s", a->uuid, num, code ? code : "-");
    a->state = PLEDGER_APP_REGISTERED;
    a->pstate = PLEDGER_PLEDGE_ACTIVE;
    snprintf(a->number, sizeof a->number, "%s", num);
    snprintf(a->modcode, sizeof a->modcode, "%s", code ? code : "");
    pledger_free(num);
    pledger_free(code);
}

/* A step on a pledge in force. */
static void child_pledge(pledger_registry *reg, m_app *a, int r)
{
    const char *mc = a->modcode[0] ? a->modcode : NULL;
    int receivable = a->kind == PLEDGER_KIND_RECEIVABLE, rc;

    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    if (r < 10 || (receivable && !mc)) {
        fx_say("B revoke %s", a->number);
        if ((rc = pledger_pledge_revoke(reg, a->number, "CONTRACT_VOID", "court judgment")))
            fx_fatal(reg, "pledger_pledge_revoke", rc);
        fx_say("A revoke %s", a->number);
        a->pstate = PLEDGER_PLEDGE_REVOKED;
    } else if (r < 35) {
        fx_say("B cancel %s", a->number);
        if ((rc = pledger_pledge_cancel(reg, a->number, mc, "loan repaid")))
            fx_fatal(reg, "pledger_pledge_cancel", rc);
        fx_say("A cancel %s", a->number);
        a->pstate = PLEDGER_PLEDGE_CANCELLED;
    } else if (r < 50 && !receivable) {
        pledger_pledge *p = NULL;
        int y, m, d;
        char end[48];
        if ((rc = pledger_pledge_get(&p, reg, a->number)))
            fx_fatal(reg, "pledger_pledge_get", rc);
        if (sscanf(pledger_pledge_period_end(p), "%d-%d-%d", &y, &m, &d) != 3)
            fx_fatal(reg, "reading period_end", PLEDGER_EINVAL);
        pledger_pledge_free(p);
        if (y >= 2090) /* far enough: change instead next time */
            y = 2089;
        snprintf(end, sizeof end, "%04d-%02d-%02d", y + 1, m, d > 28 ? 28 : d);
        fx_say("B extend %s", a->number);
        rc = pledger_pledge_extend(reg, a->number, end, mc);
        if (rc == PLEDGER_EINVAL && (strstr(pledger_errmsg(reg), "(EM_PERMIT_ENDS_IN_PERIOD)") ||
                                     strstr(pledger_errmsg(reg), "(RL_TERM_ENDS_IN_PERIOD)") ||
                                     strstr(pledger_errmsg(reg), "(RIGHT_EXPIRES_IN_PERIOD)"))) {
            /* a year more outlasts the pledged right's term (a permit's,
             * a use right's, as its application states): refused,
             * nothing changes */
            fx_say("F extend %s %d", a->number, rc);
            return;
        }
        if (rc)
            fx_fatal(reg, "pledger_pledge_extend", rc);
        fx_say("A extend %s", a->number);
    } else {
        pledger_change ch = PLEDGER_CHANGE_INIT;
        if (r % 2)
            ch.amount = 1000000 + rnd_below(100000000);
        else {
            /* the other name than the pledge has: a change that changes
             * nothing is refused */
            static const char *const names[] = { "深圳前海商业银行",
                                                 "深圳前海商业银行股份有限公司" };
            pledger_pledge *p = NULL;
            if ((rc = pledger_pledge_get(&p, reg, a->number)))
                fx_fatal(reg, "pledger_pledge_get", rc);
            ch.pledgee_name = strcmp(pledger_pledge_pledgee_name(p), names[0]) == 0 ? names[1]
                                                                                 : names[0];
            pledger_pledge_free(p);
        }
        ch.note = "supplementary agreement";
        fx_say("B change %s", a->number);
        if ((rc = pledger_pledge_change(reg, a->number, &ch, mc)))
            fx_fatal(reg, "pledger_pledge_change", rc);
        fx_say("A change %s", a->number);
    }
}

/* One step on the application @a, chosen by its state. */
static void child_advance(pledger_registry *reg, m_app *a)
{
    int r = rnd_below(100);

    switch (a->state) {
    case PLEDGER_APP_DRAFT:
    case PLEDGER_APP_REVIEWED:
        if (r < 15 || (a->blocked && r < 60)) {
            a->blocked = 0;
            child_update(reg, a);
            return;
        }
        fx_act(reg, "applicant-1", PLEDGER_ROLE_APPLICANT);
        if (r < 20 || a->blocked)
            child_simple(reg, a, "withdraw", PLEDGER_APP_WITHDRAWN);
        else if (a->state == PLEDGER_APP_DRAFT)
            child_simple(reg, a, "review", PLEDGER_APP_REVIEWED);
        else
            child_simple(reg, a, "submit", PLEDGER_APP_SUBMITTED);
        return;
    case PLEDGER_APP_SUBMITTED: {
        char *num = NULL;
        int rc;
        fx_act(reg, "clerk-1", PLEDGER_ROLE_CLERK);
        fx_say("B accept %s", a->uuid);
        if ((rc = pledger_application_accept(&num, reg, a->uuid)))
            fx_fatal(reg, "pledger_application_accept", rc);
        fx_say("A accept %s %s", a->uuid, num);
        a->state = PLEDGER_APP_ACCEPTED;
        pledger_free(num);
        return;
    }
    case PLEDGER_APP_ACCEPTED:
        if (r < 12) {
            fx_act(reg, "clerk-1", PLEDGER_ROLE_CLERK);
            child_simple(reg, a, "request_correction", PLEDGER_APP_CORRECTION_REQUESTED);
        } else if (r < 20) {
            fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
            child_simple(reg, a, "refuse", PLEDGER_APP_REFUSED);
        } else {
            child_register(reg, a);
        }
        return;
    case PLEDGER_APP_CORRECTION_REQUESTED:
        if (a->blocked) {
            a->blocked = 0;
            fx_act(reg, "applicant-1", PLEDGER_ROLE_APPLICANT);
            child_simple(reg, a, "withdraw", PLEDGER_APP_WITHDRAWN);
            return;
        }
        child_correct(reg, a);
        return;
    case PLEDGER_APP_REGISTERED:
        child_pledge(reg, a, r);
        return;
    default:
        fx_fatal(reg, "advancing a decided application", PLEDGER_ESTATE);
    }
}

static void child_calendar(pledger_registry *reg)
{
    char text[128];
    int rc, day = 1 + rnd_below(28) % 28;
    snprintf(text, sizeof text, "2025-10-%02d holiday\n2025-09-%02d workday make-up\n", day,
             day);
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    fx_say("B calendar -");
    if ((rc = pledger_calendar_load(reg, text, strlen(text))))
        fx_fatal(reg, "pledger_calendar_load", rc);
    fx_say("A calendar -");
}

static int actionable(const m_app *a)
{
    if (a->state == PLEDGER_APP_REGISTERED)
        return a->pstate == PLEDGER_PLEDGE_ACTIVE;
    return a->state != PLEDGER_APP_REFUSED && a->state != PLEDGER_APP_WITHDRAWN;
}

static void child_main(void)
{
    pledger_registry *reg = NULL;
    int rc = fx_open(&reg, path, "FZ01", 0, 10000);
    if (rc)
        fx_fatal(NULL, "pledger_open", rc);
    fx_say("O");
    for (;;) {
        fx_now_us += 1000 + rnd_below(1000);
        int live = 0, r = rnd_below(100);
        for (int i = 0; i < n_apps; i++)
            live += actionable(&apps[i]);
        if (r == 0) {
            child_calendar(reg);
        } else if ((live < 8 || r < 20) && n_apps < MAX_APPS - 1) {
            child_create(reg);
        } else {
            int pick = rnd_below(live), i = 0;
            for (;; i++)
                if (actionable(&apps[i]) && pick-- == 0)
                    break;
            child_advance(reg, &apps[i]);
        }
    }
}

/* ---- the parent ------------------------------------------------------------ */

static const char *step_operation(const char *step, int new_app)
{
    static const struct {
        const char *step, *op;
    } map[] = {
        { "review", "application.review" },
        { "submit", "application.submit" },
        { "accept", "application.accept" },
        { "request_correction", "application.request_correction" },
        { "correct", "application.correct" },
        { "register", "application.register" },
        { "refuse", "application.refuse" },
        { "withdraw", "application.withdraw" },
        { "change", "pledge.change" },
        { "extend", "pledge.extend" },
        { "cancel", "pledge.cancel" },
        { "revoke", "pledge.revoke" },
        { "calendar", "calendar.load" },
    };
    if (!strcmp(step, "save"))
        return new_app ? "application.create" : "application.update";
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i].step, step))
            return map[i].op;
    ck_abort_msg("unknown step '%s'", step);
    return NULL;
}

/* What a round left: its acknowledged steps became expected events; the
 * step in flight at the kill, if any, is in @inflight ("" when none). */
typedef struct round_result {
    int acked;
    int opened; /* the child got past pledger_open() */
    char inflight_op[40];
    char inflight_subject[64];
    int inflight;
} round_result;

static void digest(char *text, round_result *res)
{
    char *save = NULL;
    memset(res, 0, sizeof *res);
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char kind = line[0], step[40] = "", subject[64] = "", x1[64] = "", x2[64] = "";
        ck_assert_msg(kind != 'X', "round %d (seed %d): the workload failed: %s", round_no,
                      base_seed, line + 2);
        if (kind == 'O') {
            res->opened = 1;
            continue;
        }
        int n = sscanf(line + 2, "%39s %63s %63s %63s", step, subject, x1, x2);
        ck_assert_msg(n >= 2, "round %d: bad line '%s'", round_no, line);
        if (kind == 'B') {
            res->inflight = 1;
            snprintf(res->inflight_op, sizeof res->inflight_op, "%s",
                     step_operation(step, !strcmp(step, "save") && !strcmp(subject, "-")));
            snprintf(res->inflight_subject, sizeof res->inflight_subject, "%s", subject);
            continue;
        }
        res->inflight = 0;
        if (kind == 'F')
            continue;
        ck_assert_msg(kind == 'A', "round %d: bad line '%s'", round_no, line);
        res->acked++;
        expect_add(step_operation(step, !strcmp(step, "save") && n >= 3), subject);
        if (!strcmp(step, "register") && n >= 4 && strcmp(x2, "-") != 0)
            code_add(x1, x2);
    }
}

static int64_t mono_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* Run one child until it has finished @steps steps (acknowledged or
 * refused), then let it run @extra_us more and SIGKILL it, wherever it is:
 * opening, inside a step, committing, between steps.  Counting steps
 * rather than time keeps the schedule the same on a loaded machine.
 * Collect what it said. */
static void run_and_kill(int steps, int64_t extra_us, int64_t limit_us, round_result *res)
{
    int fds[2], done = 0;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);

    ck_assert_ptr_nonnull(mem);
    ck_assert_int_eq(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        fx_out_fd = fds[1];
        seed((uint64_t)base_seed * 7919 + (uint64_t)round_no);
        fx_now_us = FX_T0 + (int64_t)round_no * 3600 * INT64_C(1000000);
        child_main();
        _exit(0);
    }
    close(fds[1]);
    int64_t start = mono_us(), deadline = start + limit_us;
    int reached = steps == 0;
    if (reached)
        deadline = start + extra_us;
    for (;;) {
        int64_t now = mono_us();
        if (now >= deadline)
            break;
        struct pollfd p = { fds[0], POLLIN, 0 };
        if (poll(&p, 1, (int)((deadline - now + 999) / 1000)) <= 0)
            continue;
        char buf[4096];
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n <= 0)
            break; /* the child died by itself: digest() says why */
        fwrite(buf, 1, (size_t)n, mem);
        for (ssize_t k = 0; k < n; k++)
            if ((buf[k] == 'A' || buf[k] == 'F') && (k == 0 || buf[k - 1] == '\n'))
                done++;
        if (!reached && done >= steps) {
            reached = 1;
            deadline = mono_us() + extra_us;
        }
    }
    kill(pid, SIGKILL);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    for (;;) {
        char buf[4096];
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n <= 0)
            break;
        fwrite(buf, 1, (size_t)n, mem);
    }
    close(fds[0]);
    fclose(mem);
    digest(text, res);
    /* a workload failure was reported above; anything else is a crash */
    ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
                  "round %d: the workload ended by itself (status 0x%x)", round_no, status);
    free(text);
}

static sqlite3 *raw_open(void)
{
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(h, 10000);
    return h;
}

static int64_t q_int(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st = NULL;
    ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(h));
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The journal is the expected events, plus the one in flight if it
 * committed (then it becomes expected too). */
static void check_journal(sqlite3 *h, const round_result *res)
{
    sqlite3_stmt *st = NULL;
    size_t i = 0;
    ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT seq, operation, subject FROM journal"
                                           " ORDER BY seq", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *op = (const char *)sqlite3_column_text(st, 1);
        const char *subject = (const char *)sqlite3_column_text(st, 2);
        ck_assert_int_eq(sqlite3_column_int64(st, 0), (int64_t)i + 1);
        if (i == n_expect) {
            /* one more than acknowledged: the step in flight, committed */
            ck_assert_msg(res->inflight, "round %d: journal event %zu (%s %s) was never "
                          "started", round_no, i + 1, op, subject);
            ck_assert_str_eq(op, res->inflight_op);
            if (strcmp(res->inflight_subject, "-") != 0)
                ck_assert_str_eq(subject, res->inflight_subject);
            expect_add(op, subject);
            i++;
            ck_assert_msg(sqlite3_step(st) == SQLITE_DONE,
                          "round %d: more than one unacknowledged event", round_no);
            break;
        }
        ck_assert_msg(!strcmp(op, expect[i].op) &&
                      (!strcmp(expect[i].subject, "-") || !strcmp(subject, expect[i].subject)),
                      "round %d: journal event %zu is %s %s, expected %s %s", round_no, i + 1,
                      op, subject, expect[i].op, expect[i].subject);
        i++;
    }
    sqlite3_finalize(st);
    ck_assert_msg(i == n_expect, "round %d: the journal has %zu events, %zu were acknowledged",
                  round_no, i, n_expect);
}

/* Numbers of a series: for every sequence scope, the numbers issued are
 * exactly scope + 000001 .. scope + (next - 1), and no number lies outside
 * a scope. */
static void check_numbers(sqlite3 *h, const char *series, const char *numbers_sql)
{
    sqlite3_stmt *st = NULL;
    int64_t scopes_total = 0;
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT scope, next FROM sequence WHERE name = '%s'", series);
    ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *scope = (const char *)sqlite3_column_text(st, 0);
        int64_t next = sqlite3_column_int64(st, 1);
        sqlite3_stmt *n = NULL;
        ck_assert_int_eq(sqlite3_prepare_v2(h, numbers_sql, -1, &n, NULL), SQLITE_OK);
        int64_t count = 0, max = 0, sum = 0;
        while (sqlite3_step(n) == SQLITE_ROW) {
            const char *num = (const char *)sqlite3_column_text(n, 0);
            size_t sl = strlen(scope);
            if (strncmp(num, scope, sl) != 0)
                continue;
            char *end = NULL;
            int64_t v = strtoll(num + sl, &end, 10);
            ck_assert_msg(*end == '\0' && v >= 1, "number %s", num);
            count++;
            sum += v;
            if (v > max)
                max = v;
        }
        sqlite3_finalize(n);
        /* distinct (UNIQUE) values whose count, max and sum are those of 1..n */
        ck_assert_msg(count == next - 1 && max == count && sum == count * (count + 1) / 2,
                      "round %d: series %s scope %s: %lld numbers, max %lld, next %lld",
                      round_no, series, scope, (long long)count, (long long)max,
                      (long long)next);
        scopes_total += count;
    }
    sqlite3_finalize(st);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM (%s)", numbers_sql);
    ck_assert_msg(q_int(h, sql) == scopes_total, "round %d: series %s: numbers outside every "
                  "sequence", round_no, series);
}

static void check_state(sqlite3 *h)
{
    static const struct {
        const char *what, *sql;
    } none[] = {
        { "registered applications without exactly one pledge",
          "SELECT count(*) FROM application a WHERE a.state = 6 AND"
          " (SELECT count(*) FROM pledge p WHERE p.application_id = a.id) != 1" },
        { "pledges of applications that are not registered",
          "SELECT count(*) FROM pledge p JOIN application a ON a.id = p.application_id"
          " WHERE a.state != 6" },
        { "pledges without exactly one current version",
          "SELECT count(*) FROM pledge p WHERE (SELECT count(*) FROM pledge_version v"
          " WHERE v.pledge_id = p.id AND v.valid_to IS NULL) != 1" },
        { "pledges whose versions are not 1..n",
          "SELECT count(*) FROM pledge p WHERE (SELECT max(version) FROM pledge_version v"
          " WHERE v.pledge_id = p.id) IS NOT (SELECT count(*) FROM pledge_version v"
          " WHERE v.pledge_id = p.id)" },
        { "current versions that are not the latest",
          "SELECT count(*) FROM pledge_version v WHERE v.valid_to IS NULL AND v.version !="
          " (SELECT max(version) FROM pledge_version w WHERE w.pledge_id = v.pledge_id)" },
        { "pledges without a current certificate",
          "SELECT count(*) FROM pledge p WHERE (SELECT count(*) FROM certificate c"
          " WHERE c.pledge_id = p.id AND c.superseded_at IS NULL) != 1" },
        { "pledges without the rights of their application",
          "SELECT count(*) FROM pledge p WHERE NOT EXISTS (SELECT 1 FROM pledge_right r"
          " WHERE r.pledge_id = p.id)" },
        { "accepted applications without an acceptance number",
          "SELECT count(*) FROM application WHERE state IN (4, 5, 6, 7)"
          " AND (acceptance_number IS NULL OR accepted_at IS NULL)" },
        { "applications not yet accepted with an acceptance number",
          "SELECT count(*) FROM application WHERE state IN (1, 2, 3)"
          " AND acceptance_number IS NOT NULL" },
        { "applications without exactly one creation event, or whose last event is not"
          " the last one recorded on them",
          "SELECT count(*) FROM application a LEFT JOIN (SELECT subject, max(seq) AS last,"
          " sum(operation = 'application.create') AS created FROM journal GROUP BY subject) j"
          " ON j.subject = a.uuid WHERE j.last IS NOT a.journal_seq OR j.created IS NOT 1" },
    };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        int64_t n = q_int(h, none[i].sql);
        ck_assert_msg(n == 0, "round %d: %lld %s", round_no, (long long)n, none[i].what);
    }
    check_numbers(h, "A", "SELECT acceptance_number FROM application"
                          " WHERE acceptance_number IS NOT NULL");
    check_numbers(h, "R", "SELECT registration_number FROM pledge");
}

/* Re-read what the next child needs from the file. */
static void reload_model(sqlite3 *h)
{
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(h,
        "SELECT a.uuid, a.kind, a.state, p.registration_number, v.state FROM application a"
        " LEFT JOIN pledge p ON p.application_id = a.id"
        " LEFT JOIN pledge_version v ON v.pledge_id = p.id AND v.valid_to IS NULL"
        " ORDER BY a.id", -1, &st, NULL), SQLITE_OK);
    n_apps = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        ck_assert_int_lt(n_apps, MAX_APPS - 1);
        m_app *a = &apps[n_apps++];
        memset(a, 0, sizeof *a);
        snprintf(a->uuid, sizeof a->uuid, "%s", (const char *)sqlite3_column_text(st, 0));
        a->kind = sqlite3_column_int(st, 1);
        a->state = sqlite3_column_int(st, 2);
        if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
            snprintf(a->number, sizeof a->number, "%s",
                     (const char *)sqlite3_column_text(st, 3));
            a->pstate = sqlite3_column_int(st, 4);
            const char *c = code_of(a->number);
            snprintf(a->modcode, sizeof a->modcode, "%s", c ? c : "");
        }
    }
    sqlite3_finalize(st);
}

static void check_after_kill(const round_result *res)
{
    char why[1024];
    int64_t bad = -1, count = -1;

    ck_assert_msg(fx_integrity(path, why, sizeof why) == 0, "round %d: integrity_check: %s",
                  round_no, why);
    /* reopening recovers the write-ahead log; the journal verifies */
    ck_assert_msg(fx_journal_verify(path, &bad, &count, why, sizeof why) == 0,
                  "round %d: cannot verify the journal: %s", round_no, why);
    ck_assert_msg(bad == 0, "round %d: journal broken at event %lld: %s", round_no,
                  (long long)bad, why);
    sqlite3 *h = raw_open();
    check_journal(h, res);
    ck_assert_int_eq(count, (int64_t)n_expect);
    check_state(h);
    reload_model(h);
    sqlite3_close(h);
}

static int env_int(const char *name, int dflt)
{
    const char *v = getenv(name);
    return v && *v ? atoi(v) : dflt;
}

START_TEST(test_kill_and_recover)
{
    /* under valgrind (memcheck of the unit suite) everything is some 30
     * times slower: fewer, shorter rounds, and patience */
    int slow = getenv("PLEDGER_VALGRIND") ? 30 : 1;
    int kills = env_int("PLEDGER_CRASH_KILLS", slow > 1 ? 5 : PL_CRASH_KILLS);
    int max_steps = slow > 1 ? 12 : 40;
    base_seed = env_int("PLEDGER_CRASH_SEED", 20240401);
    int survived = 0, opened = 0, acked = 0, inflight_committed = 0, inflight_lost = 0;

    dir = pl_test_mkdir();
    path = pl_test_path(dir, "crash.db");
    {
        /* the registry exists before the first child */
        pledger_registry *reg = NULL;
        PL_OK(NULL, fx_open(&reg, path, "FZ01", 0, -1));
        pledger_close(reg);
    }
    seed((uint64_t)base_seed);
    for (round_no = 1; round_no <= kills; round_no++) {
        /* the schedule comes from the seed: after 0 to 40 steps, then 0 to
         * 6 ms more (a step takes a few); one round in ten dies at once,
         * while opening (and recovering) the registry */
        int steps = rnd_below(10) == 0 ? 0 : rnd_below(max_steps + 1);
        int64_t extra = steps ? rnd_below(6000) : rnd_below(3000);
        uint64_t keep = rng_state;
        round_result res;
        size_t before = n_expect;
        local_serial = 0;
        run_and_kill(steps, extra * slow, INT64_C(20000000) * slow, &res);
        rng_state = keep;
        check_after_kill(&res);
        survived++;
        opened += res.opened;
        acked += res.acked;
        if (res.inflight) {
            if (n_expect > before + (size_t)res.acked)
                inflight_committed++;
            else
                inflight_lost++;
        }
    }
    int64_t pledges = 0, registered_apps = 0;
    PL_OK(NULL, fx_raw_int(path, "SELECT count(*) FROM pledge", &pledges));
    PL_OK(NULL, fx_raw_int(path, "SELECT count(*) FROM application", &registered_apps));
    printf("crash: %d kills survived (seed %d): %d children opened the registry, %d steps "
           "acknowledged, %zu events, %lld applications, %lld pledges; in flight at the "
           "kill: %d committed, %d rolled back\n",
           survived, base_seed, opened, acked, n_expect, (long long)registered_apps,
           (long long)pledges, inflight_committed, inflight_lost);
    ck_assert_int_eq(survived, kills);
    ck_assert_int_gt(acked, kills);
    free(expect);
    expect = NULL;
    n_expect = cap_expect = 0;
    free(codes);
    codes = NULL;
    n_codes = cap_codes = 0;
    free(path);
    pl_test_rmdir(dir);
}
END_TEST

static Suite *crash_suite(void)
{
    Suite *s = suite_create("crash");
    TCase *tc = tcase_create("sigkill");
    int kills = env_int("PLEDGER_CRASH_KILLS", PL_CRASH_KILLS);
    tcase_add_test(tc, test_kill_and_recover);
    /* about a second per kill at worst, more under valgrind */
    tcase_set_timeout(tc, 60 + kills * (getenv("PLEDGER_VALGRIND") ? 20 : 2));
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(crash_suite)
