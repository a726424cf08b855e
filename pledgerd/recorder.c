/* Search reports with group commit (recorder.h). */
#include "recorder.h"
#include "language.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The most answers one transaction records. */
#define GROUP_MAX 512
/* Under load (the previous group held at least GATHER_LOAD answers), a
 * group smaller than GATHER_MIN waits up to GATHER_NS for more answers
 * to join it: each group costs a commit and a signature, so a short wait
 * makes the groups large.  Without load an answer does not wait. */
#define GATHER_LOAD 8
#define GATHER_MIN 48
#define GATHER_NS 1000000L
/* The flusher folds the reports' write-ahead log back into their file
 * (pledger_report_flush) once this many reports were recorded since it
 * last did, and at least every FLUSH_NS: most of it while the recorder
 * goes on, the pages committed meanwhile while the recorder waits. */
#define FLUSH_REPORTS 1000
#define FLUSH_NS 250000000L

struct recorder {
    pthread_t thread, flush_thread;
    pthread_mutex_t lock;
    pthread_cond_t work, flush;
    pledger_registry *flusher;  /* NULL: the writer's commits fold the log */
    size_t unflushed;           /* reports recorded since the last flush */
    bool flush_started;
    recorder_job *head, *tail;
    size_t queued, last_group;
    bool stopping, started, joined;
    pledger_registry *writer;
    pthread_mutex_t *writer_lock;
    const pledger_keyring *signers;
    /* the recorder thread's own */
    pledger_report_request reqs[GROUP_MAX];
    char *notes[GROUP_MAX];
    uint64_t numbers[GROUP_MAX];
};

/* Record the @n jobs of @group under the writer lock: together, and when
 * that fails (one bad request must not cost the others their reports)
 * one by one. */
static void record(recorder *r, recorder_job **group, size_t n)
{
    int rc;

    for (size_t i = 0; i < n; i++)
        r->reqs[i] = group[i]->req;
    pthread_mutex_lock(r->writer_lock);
    rc = pledger_set_actor(r->writer, "pledgerd", PLEDGER_ROLE_REGISTRAR);
    if (!rc)
        rc = pledger_report_issue(r->notes, r->numbers, r->writer, r->reqs, n, r->signers);
    if (!rc) {
        for (size_t i = 0; i < n; i++) {
            group[i]->note = r->notes[i];
            group[i]->number = r->numbers[i];
            group[i]->rc = 0;
        }
    } else if (n == 1) {
        group[0]->rc = rc;
        snprintf(group[0]->msg, sizeof group[0]->msg, "%s", pledger_errmsg(r->writer));
    } else {
        for (size_t i = 0; i < n; i++) {
            group[i]->rc = pledger_report_issue(r->notes, r->numbers, r->writer, &r->reqs[i],
                                                1, r->signers);
            if (group[i]->rc) {
                snprintf(group[i]->msg, sizeof group[i]->msg, "%s", pledger_errmsg(r->writer));
            } else {
                group[i]->note = r->notes[0];
                group[i]->number = r->numbers[0];
            }
        }
    }
    pthread_mutex_unlock(r->writer_lock);
}

/* @ns from now on CLOCK_MONOTONIC (the conditions' clock). */
static void deadline(struct timespec *t, long ns)
{
    clock_gettime(CLOCK_MONOTONIC, t);
    t->tv_nsec += ns;
    while (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

static void *run(void *arg)
{
    recorder *r = arg;
    recorder_job *group[GROUP_MAX];

    pthread_setname_np(pthread_self(), "pledgerd-record");

    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (!r->head && !r->stopping)
            pthread_cond_wait(&r->work, &r->lock);
        if (!r->head)
            break;
        if (r->queued < GATHER_MIN && r->last_group >= GATHER_LOAD && !r->stopping) {
            struct timespec until;
            deadline(&until, GATHER_NS);
            while (r->queued < GATHER_MIN && !r->stopping &&
                   pthread_cond_timedwait(&r->work, &r->lock, &until) == 0)
                ;
        }
        size_t n = 0;
        while (r->head && n < GROUP_MAX) {
            group[n++] = r->head;
            r->head = r->head->next;
            r->queued--;
        }
        r->last_group = n;
        if (!r->head)
            r->tail = NULL;
        pthread_mutex_unlock(&r->lock);
        record(r, group, n);
        for (size_t i = 0; i < n; i++)
            group[i]->done(group[i]);
        pthread_mutex_lock(&r->lock);
        if ((r->unflushed += n) >= FLUSH_REPORTS && r->flusher)
            pthread_cond_signal(&r->flush);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

/* The flusher's thread: the fold and its sync happen here, on a handle of
 * its own, while the recorder goes on committing groups. */
static void *flush_run(void *arg)
{
    recorder *r = arg;
    int last_rc = 0;

    pthread_setname_np(pthread_self(), "pledgerd-flush");

    pthread_mutex_lock(&r->lock);
    while (!r->stopping) {
        struct timespec until;
        deadline(&until, FLUSH_NS);
        while (r->unflushed < FLUSH_REPORTS && !r->stopping &&
               pthread_cond_timedwait(&r->flush, &r->lock, &until) == 0)
            ;
        if (r->stopping)
            break;
        bool any = r->unflushed > 0;
        r->unflushed = 0;
        pthread_mutex_unlock(&r->lock);
        uint64_t left = 0;
        int rc = any ? pledger_report_flush(r->flusher, &left) : 0;
        /* What the recorder committed meanwhile is left (SQLite counts
         * only the pages there were when the fold began): fold the rest
         * while it waits (a few pages and the sync, not a thousand), so
         * that its next commit starts the log again from its beginning.
         * Without this the log grew by gigabytes under load: the recorder
         * commits every millisecond or two and a fold never caught up. */
        if (rc == 0 && any) {
            pthread_mutex_lock(r->writer_lock);
            rc = pledger_report_flush(r->flusher, &left);
            pthread_mutex_unlock(r->writer_lock);
        }
        if (rc && rc != last_rc)
            fprintf(stderr, "pledgerd: search reports: %s\n", pledger_errmsg(r->flusher));
        last_rc = rc;
        pthread_mutex_lock(&r->lock);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

recorder *recorder_start(pledger_registry *writer, pthread_mutex_t *writer_lock,
                         pledger_registry *flusher, const pledger_keyring *signers,
                         char *err, size_t err_size)
{
    recorder *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    r->writer = writer;
    r->writer_lock = writer_lock;
    r->signers = signers;
    pthread_condattr_t ca;
    bool cond_ok = pthread_condattr_init(&ca) == 0 &&
                   pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
                   pthread_cond_init(&r->work, &ca) == 0 &&
                   pthread_cond_init(&r->flush, &ca) == 0;
    pthread_condattr_destroy(&ca);
    if (pthread_mutex_init(&r->lock, NULL) || !cond_ok ||
        pthread_create(&r->thread, NULL, run, r)) {
        snprintf(err, err_size, "cannot start the search report recorder");
        free(r);
        return NULL;
    }
    r->started = true;
    /* the writer's commits no longer fold the reports' log: the flusher
     * does, off the answers' path */
    if (flusher) {
        pthread_mutex_lock(writer_lock);
        int rc = pledger_report_set_autoflush(writer, 0);
        pthread_mutex_unlock(writer_lock);
        if (rc == 0) {
            /* under the lock: the recorder's thread, running already, reads
             * it after each group */
            pthread_mutex_lock(&r->lock);
            r->flusher = flusher;
            r->flush_started = pthread_create(&r->flush_thread, NULL, flush_run, r) == 0;
            if (!r->flush_started)
                r->flusher = NULL;
            pthread_mutex_unlock(&r->lock);
        }
        if (!r->flush_started) {
            pthread_mutex_lock(writer_lock);
            pledger_report_set_autoflush(writer, 1000);   /* the library's default */
            pthread_mutex_unlock(writer_lock);
        }
    }
    return r;
}

void recorder_submit(recorder *r, recorder_job *job)
{
    job->next = NULL;
    job->note = NULL;
    job->number = 0;
    job->rc = 0;
    pthread_mutex_lock(&r->lock);
    if (r->stopping) {
        pthread_mutex_unlock(&r->lock);
        job->rc = PLEDGER_EBUSY;
        snprintf(job->msg, sizeof job->msg, "%s", N_("the service is stopping"));
        job->done(job);
        return;
    }
    if (r->tail)
        r->tail->next = job;
    else
        r->head = job;
    r->tail = job;
    /* wake the recorder for the first answer, and when a gathering group
     * is large enough */
    if (++r->queued == 1 || r->queued == GATHER_MIN)
        pthread_cond_signal(&r->work);
    pthread_mutex_unlock(&r->lock);
}

void recorder_stop(recorder *r)
{
    if (!r || !r->started || r->joined)
        return;
    pthread_mutex_lock(&r->lock);
    r->stopping = true;
    pthread_cond_signal(&r->work);
    pthread_cond_signal(&r->flush);
    pthread_mutex_unlock(&r->lock);
    pthread_join(r->thread, NULL);
    if (r->flush_started)
        pthread_join(r->flush_thread, NULL);
    r->joined = true;
}

void recorder_free(recorder *r)
{
    if (!r)
        return;
    recorder_stop(r);
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->work);
    pthread_cond_destroy(&r->flush);
    free(r);
}
