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
#define GATHER_MIN 32
#define GATHER_NS 1000000L
/* While a group gathers, the recorder is woken to write the answers'
 * reports once this many are queued (and at its time), not for each: a
 * quarter of the wake-ups, and no slower (docs/performance.md). */
#define GATHER_WAKE 4
/* The flusher folds the reports' write-ahead log back into their file
 * (pledger_report_flush) once this many reports were recorded since it
 * last did, and at least every FLUSH_NS: most of it while the recorder
 * goes on, the pages committed meanwhile while the recorder waits. */
#define FLUSH_REPORTS 1000
#define FLUSH_NS 250000000L

struct recorder {
    pthread_t thread, flush_thread, sync_thread;
    pthread_mutex_t lock;
    pthread_cond_t work, flush, sync;
    pledger_registry *flusher;  /* NULL: the writer's commits fold the log */
    /* NULL: the writer's commits are synced; else the syncer thread syncs
     * the groups recorded (sync_head..sync_tail) before their answers go */
    pledger_registry *syncer;
    recorder_job *sync_head, *sync_tail;
    bool sync_started, sync_stop;
    /* a sync failed: nothing more is recorded (failed_msg says why) */
    bool failed;
    char failed_msg[512];
    size_t unflushed;           /* reports recorded since the last flush */
    bool flush_started;
    recorder_job *head, *tail;
    size_t queued, last_group;
    bool gathering;             /* the recorder's group takes answers as they come */
    bool stopping, started, joined;
    pledger_registry *writer;
    pthread_mutex_t *writer_lock;
    const pledger_keyring *signers;
    /* the recorder thread's own */
    pledger_report_request reqs[GROUP_MAX];
    char *notes[GROUP_MAX];
    uint64_t numbers[GROUP_MAX];
};

/* Record the @n jobs of @group (the writer lock held) in one call: the
 * way left when a group could not be written as it gathered.  Together,
 * and when that fails (one bad request must not cost the others their
 * reports) one by one, each in its client's language (the reason it is
 * refused is the library's, composed on this thread). */
static void record(recorder *r, recorder_job **group, size_t n)
{
    int rc;

    for (size_t i = 0; i < n; i++)
        r->reqs[i] = group[i]->req;
    rc = pledger_set_actor(r->writer, "pledgerd", PLEDGER_ROLE_REGISTRAR);
    if (!rc)
        rc = pledger_report_issue(r->notes, r->numbers, r->writer, r->reqs, n, r->signers);
    if (!rc) {
        for (size_t i = 0; i < n; i++) {
            group[i]->note = r->notes[i];
            group[i]->number = r->numbers[i];
            group[i]->rc = 0;
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (group[i]->lang[0])
            pledger_set_thread_language(group[i]->lang);
        group[i]->rc = pledger_report_issue(r->notes, r->numbers, r->writer, &r->reqs[i], 1,
                                            r->signers);
        if (group[i]->lang[0])
            pledger_set_thread_language(NULL);
        if (group[i]->rc) {
            snprintf(group[i]->msg, sizeof group[i]->msg, "%s", pledger_errmsg(r->writer));
        } else {
            group[i]->note = r->notes[0];
            group[i]->number = r->numbers[0];
        }
    }
}

/* What became of a job offered to the open group. */
enum { ADDED, REFUSED, LATER };

/* Add @job to the open group @g, in its client's language: ADDED (its
 * report is written), REFUSED (its rc and msg say why: a request the
 * library refuses), or LATER: it was answered after the group began
 * (pledger_report_group_add says so with PLEDGER_ESTATE), or the group
 * cannot take more, and it goes to the next. */
static int add_job(recorder *r, pledger_report_group *g, recorder_job *job)
{
    if (job->lang[0])
        pledger_set_thread_language(job->lang);
    int rc = pledger_report_group_add(g, &job->req, &job->number);
    if (rc && (rc != PLEDGER_ESTATE || pledger_report_group_count(g) == 0)) {
        /* refused; ESTATE even by a group just begun is no timing */
        job->rc = rc;
        snprintf(job->msg, sizeof job->msg, "%s", pledger_errmsg(r->writer));
    }
    if (job->lang[0])
        pledger_set_thread_language(NULL);
    if (!rc)
        return ADDED;
    return job->rc ? REFUSED : LATER;
}

/* Close @g with its @n jobs (@group), the writer lock held: their notes
 * and numbers, or, when the group cannot be sealed, recorded again in one
 * call (record()), which says for each why not. */
static void close_group(recorder *r, pledger_report_group *g, recorder_job **group, size_t n)
{
    if (n == 0) {
        pledger_report_group_abandon(g);
        return;
    }
    if (pledger_report_group_close(g, r->notes) == 0) {
        for (size_t i = 0; i < n; i++) {
            group[i]->note = r->notes[i];
            group[i]->rc = 0;
        }
        return;
    }
    record(r, group, n);
}

/* @job is not recorded: a sync failed before (r->failed_msg, set once and
 * then only read). */
static void refuse(recorder *r, recorder_job *job)
{
    job->rc = PLEDGER_EIO;
    job->halted = true;
    snprintf(job->msg, sizeof job->msg, "%s", r->failed_msg);
}

/* The syncer's thread: the groups the recorder committed (unsynced) are
 * synced together (pledger_report_sync) while it records the next, and
 * only then are their answers sent: a report handed out survives a crash
 * of the machine.  A failed sync refuses them and everything after: the
 * system may have dropped what it could not write, and a report whose
 * number and checkpoint could be given again after a power cut must not
 * leave.  The service then answers 500 until it is started again. */
static void *sync_run(void *arg)
{
    recorder *r = arg;

    pthread_setname_np(pthread_self(), "pledgerd-sync");

    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (!r->sync_head && !r->sync_stop)
            pthread_cond_wait(&r->sync, &r->lock);
        recorder_job *jobs = r->sync_head;
        if (!jobs)
            break; /* stopping, nothing left */
        r->sync_head = r->sync_tail = NULL;
        bool failed = r->failed;
        pthread_mutex_unlock(&r->lock);
        int rc = failed ? PLEDGER_EIO : pledger_report_sync(r->syncer);
        pthread_mutex_lock(&r->lock);
        if (rc && !r->failed) {
            snprintf(r->failed_msg, sizeof r->failed_msg, "%s", pledger_errmsg(r->syncer));
            fprintf(stderr, "pledgerd: search reports: " RECORDER_HALTED_MSG "\n",
                    r->failed_msg);
            r->failed = true;
        }
        pthread_mutex_unlock(&r->lock);
        while (jobs) {
            recorder_job *next = jobs->next;
            if (rc) {
                pledger_free(jobs->note);
                jobs->note = NULL;
                jobs->number = 0;
                refuse(r, jobs);
            }
            jobs->done(jobs);
            jobs = next;
        }
        pthread_mutex_lock(&r->lock);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

/* Stop the syncer's thread once it has synced and answered what it holds
 * (the recorder stopped first: nothing more comes). */
static void stop_syncer(recorder *r)
{
    if (!r->sync_started)
        return;
    pthread_mutex_lock(&r->lock);
    r->sync_stop = true;
    pthread_cond_signal(&r->sync);
    pthread_mutex_unlock(&r->lock);
    pthread_join(r->sync_thread, NULL);
    r->sync_started = false;
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

/* Hand the @n recorded or refused jobs of @group on: the recorded to the
 * syncer, the refused answered now. */
static void hand_on(recorder *r, recorder_job **group, size_t n)
{
    recorder_job *first = NULL, *last = NULL;

    for (size_t i = 0; i < n; i++) {
        if (r->syncer && group[i]->rc == 0) {
            group[i]->next = NULL;
            if (last)
                last->next = group[i];
            else
                first = group[i];
            last = group[i];
        } else {
            group[i]->done(group[i]);
        }
    }
    pthread_mutex_lock(&r->lock);
    if (first) {
        if (r->sync_tail)
            r->sync_tail->next = first;
        else
            r->sync_head = first;
        r->sync_tail = last;
        pthread_cond_signal(&r->sync);
    }
    if ((r->unflushed += n) >= FLUSH_REPORTS && r->flusher)
        pthread_cond_signal(&r->flush);
    pthread_mutex_unlock(&r->lock);
}

/* The first queued job (r->lock held). */
static recorder_job *take(recorder *r)
{
    recorder_job *job = r->head;

    r->head = job->next;
    if (!r->head)
        r->tail = NULL;
    r->queued--;
    return job;
}

/* The recorder's thread.  A group begins with the answers queued and,
 * under load, takes those that come until GATHER_MIN are in it or
 * GATHER_NS has passed: each answer's report is written as it comes
 * (pledger_report_group_add), so that closing the group is left with the
 * checkpoint, the proofs and the commit.  The writer lock is held from
 * the group's beginning to its close: the flusher's last pass waits for
 * the group, not the group for it. */
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
        size_t n = 0;
        if (r->failed) {
            while (r->head && n < GROUP_MAX)
                group[n++] = take(r);
            pthread_mutex_unlock(&r->lock);
            for (size_t i = 0; i < n; i++)
                refuse(r, group[i]);
            hand_on(r, group, n);
            pthread_mutex_lock(&r->lock);
            continue;
        }
        bool gather = r->last_group >= GATHER_LOAD;
        struct timespec until;
        deadline(&until, GATHER_NS);
        pthread_mutex_unlock(&r->lock);

        pthread_mutex_lock(r->writer_lock);
        pledger_report_group *g = NULL;
        if (pledger_set_actor(r->writer, "pledgerd", PLEDGER_ROLE_REGISTRAR) == 0 &&
            pledger_report_group_begin(&g, r->writer, r->signers) != 0)
            g = NULL;   /* record() says why, for each answer */
        recorder_job *later = NULL;
        pthread_mutex_lock(&r->lock);
        for (;;) {
            while (r->head && n < GROUP_MAX && !later) {
                recorder_job *job = take(r);
                pthread_mutex_unlock(&r->lock);
                switch (g ? add_job(r, g, job) : ADDED) {
                case ADDED: group[n++] = job; break;
                case REFUSED: job->done(job); break;
                default: later = job; break;
                }
                pthread_mutex_lock(&r->lock);
            }
            if (!g || !gather || later || n >= GATHER_MIN || n >= GROUP_MAX || r->stopping)
                break;
            r->gathering = true;
            int timed_out = pthread_cond_timedwait(&r->work, &r->lock, &until);
            r->gathering = false;
            if (timed_out && !r->head)
                break;  /* the time is up */
        }
        if (later) {    /* first in the next group */
            later->next = r->head;
            r->head = later;
            if (!r->tail)
                r->tail = later;
            r->queued++;
        }
        r->last_group = n;
        pthread_mutex_unlock(&r->lock);
        if (g)
            close_group(r, g, group, n);
        else if (n)
            record(r, group, n);
        pthread_mutex_unlock(r->writer_lock);
        hand_on(r, group, n);
        pthread_mutex_lock(&r->lock);
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

const pledger_keyring *recorder_signers(const recorder *r)
{
    return r ? r->signers : NULL;
}

recorder *recorder_start(pledger_registry *writer, pthread_mutex_t *writer_lock,
                         pledger_registry *flusher, pledger_registry *syncer,
                         const pledger_keyring *signers, char *err, size_t err_size)
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
                   pthread_cond_init(&r->flush, &ca) == 0 &&
                   pthread_cond_init(&r->sync, &ca) == 0;
    pthread_condattr_destroy(&ca);
    if (pthread_mutex_init(&r->lock, NULL) || !cond_ok) {
        snprintf(err, err_size, "cannot start the search report recorder");
        free(r);
        return NULL;
    }
    /* the writer's commits are not synced: the syncer thread syncs the
     * groups together, while the next is recorded (set before the
     * recorder's thread starts, which reads r->syncer) */
    if (syncer) {
        pthread_mutex_lock(writer_lock);
        int rc = pledger_report_set_autosync(writer, 0);
        pthread_mutex_unlock(writer_lock);
        if (rc || pthread_create(&r->sync_thread, NULL, sync_run, r)) {
            snprintf(err, err_size, "cannot start the search reports' syncer: %s",
                     rc ? pledger_errmsg(writer) : "no thread");
            if (!rc) {
                pthread_mutex_lock(writer_lock);
                pledger_report_set_autosync(writer, 1);
                pthread_mutex_unlock(writer_lock);
            }
            free(r);
            return NULL;
        }
        r->syncer = syncer;
        r->sync_started = true;
    }
    if (pthread_create(&r->thread, NULL, run, r)) {
        snprintf(err, err_size, "cannot start the search report recorder");
        stop_syncer(r);
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
    job->halted = false;
    pthread_mutex_lock(&r->lock);
    if (r->stopping) {
        pthread_mutex_unlock(&r->lock);
        job->rc = PLEDGER_EBUSY;
        snprintf(job->msg, sizeof job->msg, "%s", N_("the service is stopping"));
        job->done(job);
        return;
    }
    if (r->failed) {
        pthread_mutex_unlock(&r->lock);
        refuse(r, job);
        job->done(job);
        return;
    }
    if (r->tail)
        r->tail->next = job;
    else
        r->head = job;
    r->tail = job;
    /* wake the recorder for the first answer, and while a group gathers
     * for every few */
    if (++r->queued == (r->gathering ? (size_t)GATHER_WAKE : 1))
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
    /* the recorder recorded what was queued: the syncer syncs the last
     * groups and sends their answers, then stops */
    stop_syncer(r);
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
    pthread_cond_destroy(&r->sync);
    free(r);
}
