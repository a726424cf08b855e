/* Search reports with group commit (recorder.h). */
#include "recorder.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most answers one transaction records. */
#define GROUP_MAX 512

typedef struct pending {
    const pledger_report_request *req;
    char *note;
    uint64_t number;
    int rc;
    char msg[512];
    bool done;
    struct pending *next;
} pending;

struct recorder {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    pending *head, *tail;
    bool stopping, started;
    pledger_registry *writer;
    pthread_mutex_t *writer_lock;
    const pledger_keyring *signers;
};

/* Record the @n answers of @group under the writer lock: together, and
 * when that fails (one bad request must not cost the others their
 * reports) one by one. */
static void record(recorder *r, pending **group, size_t n)
{
    static pledger_report_request reqs[GROUP_MAX];
    static char *notes[GROUP_MAX];
    static uint64_t numbers[GROUP_MAX];
    int rc;

    for (size_t i = 0; i < n; i++)
        reqs[i] = *group[i]->req;
    pthread_mutex_lock(r->writer_lock);
    rc = pledger_set_actor(r->writer, "pledgerd", PLEDGER_ROLE_REGISTRAR);
    if (!rc)
        rc = pledger_report_issue(notes, numbers, r->writer, reqs, n, r->signers);
    if (!rc) {
        for (size_t i = 0; i < n; i++) {
            group[i]->note = notes[i];
            group[i]->number = numbers[i];
            group[i]->rc = 0;
        }
    } else if (n == 1) {
        group[0]->rc = rc;
        snprintf(group[0]->msg, sizeof group[0]->msg, "%s", pledger_errmsg(r->writer));
    } else {
        for (size_t i = 0; i < n; i++) {
            group[i]->rc = pledger_report_issue(notes, numbers, r->writer, &reqs[i], 1,
                                                r->signers);
            if (group[i]->rc) {
                snprintf(group[i]->msg, sizeof group[i]->msg, "%s", pledger_errmsg(r->writer));
            } else {
                group[i]->note = notes[0];
                group[i]->number = numbers[0];
            }
        }
    }
    pthread_mutex_unlock(r->writer_lock);
}

static void *run(void *arg)
{
    recorder *r = arg;
    pending *group[GROUP_MAX];

    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (!r->head && !r->stopping)
            pthread_cond_wait(&r->work, &r->lock);
        if (!r->head)
            break;
        size_t n = 0;
        while (r->head && n < GROUP_MAX) {
            group[n++] = r->head;
            r->head = r->head->next;
        }
        if (!r->head)
            r->tail = NULL;
        pthread_mutex_unlock(&r->lock);
        record(r, group, n);
        pthread_mutex_lock(&r->lock);
        for (size_t i = 0; i < n; i++)
            group[i]->done = true;
        pthread_cond_broadcast(&r->done);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

recorder *recorder_start(pledger_registry *writer, pthread_mutex_t *writer_lock,
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
    if (pthread_mutex_init(&r->lock, NULL) || pthread_cond_init(&r->work, NULL) ||
        pthread_cond_init(&r->done, NULL) || pthread_create(&r->thread, NULL, run, r)) {
        snprintf(err, err_size, "cannot start the search report recorder");
        free(r);
        return NULL;
    }
    r->started = true;
    return r;
}

int recorder_issue(recorder *r, const pledger_report_request *req, char **note,
                   uint64_t *number, char *msg, size_t msg_size)
{
    pending p;
    memset(&p, 0, sizeof p);
    p.req = req;
    pthread_mutex_lock(&r->lock);
    if (r->stopping) {
        pthread_mutex_unlock(&r->lock);
        snprintf(msg, msg_size, "the service is stopping");
        return PLEDGER_EBUSY;
    }
    if (r->tail)
        r->tail->next = &p;
    else
        r->head = &p;
    r->tail = &p;
    pthread_cond_signal(&r->work);
    while (!p.done)
        pthread_cond_wait(&r->done, &r->lock);
    pthread_mutex_unlock(&r->lock);
    *note = p.note;
    *number = p.number;
    if (p.rc)
        snprintf(msg, msg_size, "%s", p.msg);
    return p.rc;
}

void recorder_stop(recorder *r)
{
    if (!r)
        return;
    if (r->started) {
        pthread_mutex_lock(&r->lock);
        r->stopping = true;
        pthread_cond_signal(&r->work);
        pthread_mutex_unlock(&r->lock);
        pthread_join(r->thread, NULL);
    }
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->work);
    pthread_cond_destroy(&r->done);
    free(r);
}
