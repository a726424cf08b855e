/* Search reports with group commit: every search and verification answered
 * is recorded and synced before its answer is sent, and the answers of
 * many requests share one group of reports (pledger_report_group_begin():
 * one transaction of the writer handle, one signed checkpoint) and, with
 * a syncer, one sync (recorder_start()).  Each answer's report is written
 * as the answer comes (pledger_report_group_add()), so that closing the
 * group is left with the checkpoint, the proofs and the commit.
 * The request does not hold its thread while it waits: its connection is
 * suspended (libmicrohttpd) and resumed by the recorder once the group it
 * joined is committed.  A group begins with whatever is pending; under
 * load (a previous group of 8 or more) it takes the answers that come
 * for up to a millisecond while fewer than GATHER_MIN are in it (each
 * group costs a commit and a signature): a lone request costs one commit
 * and no wait, a burst shares a few. */
#ifndef PLEDGERD_RECORDER_H
#define PLEDGERD_RECORDER_H

#include <pledger/pledger.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "language.h"

typedef struct recorder recorder;

/* One answer to record. */
typedef struct recorder_job {
    pledger_report_request req;            /* filled by the caller; read until done */
    char lang[24];                         /* the client's language ("": the service's) */
    void (*done)(struct recorder_job *job); /* on the recorder's thread, after */
    void *ctx;
    /* the outcome: 0 with the note (malloc'd by the library: pledger_free)
     * and the number, or the library's code and message */
    int rc;
    char *note;
    uint64_t number;
    char msg[512];
    /* refused because a sync failed before: @msg is the library's reason,
     * which the answer follows with the service's words (HALTED_MSG) in
     * the client's language */
    bool halted;
    struct recorder_job *next;
} recorder_job;

/* Start the recorder thread over @writer (shared with the filings under
 * @writer_lock), signing with @signers; NULL (with @err) on failure.
 * With @flusher (a second writable handle on the registry, the
 * recorder's alone), a thread of its own folds the reports' write-ahead
 * log back into their file (pledger_report_flush) and the writer's
 * commits do not (pledger_report_set_autoflush 0): a commit that folded
 * the log held every answer waiting for its group for the fold's sync.
 * With @syncer (a third handle, the recorder's alone) the writer's commits
 * are not synced (pledger_report_set_autosync 0): a thread of its own
 * syncs the groups committed meanwhile together (pledger_report_sync),
 * while the recorder goes on, and only then calls their done(); without
 * it each commit is synced before done().  After a failed sync every
 * answer is refused (PLEDGER_EIO, saying so) until the service starts
 * again. */
/* What follows a halted job's reason, a format of one %s (the reason). */
#define RECORDER_HALTED_MSG \
    N_("%s; no search report is recorded until the service is started again")

recorder *recorder_start(pledger_registry *writer, pthread_mutex_t *writer_lock,
                         pledger_registry *flusher, pledger_registry *syncer,
                         const pledger_keyring *signers, char *err, size_t err_size);

/* The keys it signs with (they verify what it signed). */
const pledger_keyring *recorder_signers(const recorder *r);

/* Queue @job; its done() is called once it is recorded or refused (at
 * once, refused with PLEDGER_EBUSY, when the recorder is stopping). */
void recorder_submit(recorder *r, recorder_job *job);

/* Record what is queued (each done() called), then stop the thread; later
 * jobs are refused.  Then free it with recorder_free(). */
void recorder_stop(recorder *r);
void recorder_free(recorder *r);

#endif
