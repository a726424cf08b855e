/* Threads of their own for the requests that take long: the writes (a
 * bulk filing commits for seconds under the writer's lock) and the
 * verifications (each reads the whole journal or every search report:
 * seconds to a minute on a large registry).  Answered on the thread of
 * their connection, they would hold that thread's other connections --
 * the banks' -- as long.  The connection's thread suspends the
 * connection and queues the request; the side thread answers it and
 * resumes the connection (service.c). */
#ifndef PLEDGERD_SIDE_H
#define PLEDGERD_SIDE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* One queued request: embedded in the caller's own. */
typedef struct side_job {
    struct side_job *next;
    void (*run)(struct side_job *job); /* on the side thread: the work */
    /* Then, once the job no longer counts against @max, the hand-off (the
     * answer sent); may free the job; NULL: none.  A client that asks
     * again as soon as it has its answer finds the place free: counted
     * until after the answer had left, the next verification of one that
     * waited for each was refused as "another is running". */
    void (*done)(struct side_job *job);
} side_job;

typedef struct side side;

/* Start a thread named @name that runs the jobs in turn, holding at most
 * @max queued or at work (0: no limit).  NULL when it cannot start (out
 * of memory, no thread), @err says why. */
side *side_start(const char *name, size_t max, char *err, size_t err_size);

typedef enum side_taken {
    SIDE_TAKEN = 0,   /* queued: its run() will be called */
    SIDE_FULL,        /* @max are queued or at work already */
    SIDE_STOPPING     /* side_stop() was called */
} side_taken;

side_taken side_submit(side *sd, side_job *job);

/* Refuse new jobs, run the queued ones, wait for the thread and free @sd
 * (NULL: nothing). */
void side_stop(side *sd);

#endif
