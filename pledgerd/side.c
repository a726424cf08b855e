/* A thread of its own for long requests (side.h). */
#include "side.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct side {
    pthread_mutex_t lock;
    pthread_cond_t cv;
    side_job *head, *tail;
    size_t held;   /* queued or at work */
    size_t max;
    bool stop;
    pthread_t thread;
    char name[16]; /* the thread's name: 15 bytes at most (pthread_setname_np) */
};

static void *side_run(void *arg)
{
    side *sd = arg;
    pthread_setname_np(pthread_self(), sd->name);
    pthread_mutex_lock(&sd->lock);
    for (;;) {
        while (!sd->head && !sd->stop)
            pthread_cond_wait(&sd->cv, &sd->lock);
        side_job *job = sd->head;
        if (!job)
            break; /* stopping, nothing left */
        sd->head = job->next;
        if (!sd->head)
            sd->tail = NULL;
        pthread_mutex_unlock(&sd->lock);
        job->run(job);
        pthread_mutex_lock(&sd->lock);
        sd->held--;
        pthread_mutex_unlock(&sd->lock);
        if (job->done)
            job->done(job); /* may free the job: not touched after */
        pthread_mutex_lock(&sd->lock);
    }
    pthread_mutex_unlock(&sd->lock);
    return NULL;
}

side *side_start(const char *name, size_t max, char *err, size_t err_size)
{
    side *sd = calloc(1, sizeof *sd);
    if (!sd) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    snprintf(sd->name, sizeof sd->name, "%s", name);
    sd->max = max;
    pthread_mutex_init(&sd->lock, NULL);
    pthread_cond_init(&sd->cv, NULL);
    int rc = pthread_create(&sd->thread, NULL, side_run, sd);
    if (rc) {
        snprintf(err, err_size, "the thread %s cannot start: %s", sd->name, strerror(rc));
        pthread_cond_destroy(&sd->cv);
        pthread_mutex_destroy(&sd->lock);
        free(sd);
        return NULL;
    }
    return sd;
}

side_taken side_submit(side *sd, side_job *job)
{
    side_taken t = SIDE_TAKEN;
    pthread_mutex_lock(&sd->lock);
    if (sd->stop)
        t = SIDE_STOPPING;
    else if (sd->max && sd->held >= sd->max)
        t = SIDE_FULL;
    if (t == SIDE_TAKEN) {
        job->next = NULL;
        if (sd->tail)
            sd->tail->next = job;
        else
            sd->head = job;
        sd->tail = job;
        sd->held++;
        pthread_cond_signal(&sd->cv);
    }
    pthread_mutex_unlock(&sd->lock);
    return t;
}

void side_stop(side *sd)
{
    if (!sd)
        return;
    pthread_mutex_lock(&sd->lock);
    sd->stop = true;
    pthread_cond_signal(&sd->cv);
    pthread_mutex_unlock(&sd->lock);
    pthread_join(sd->thread, NULL);
    pthread_cond_destroy(&sd->cv);
    pthread_mutex_destroy(&sd->lock);
    free(sd);
}
