/* Search reports with group commit: every search and verification answered
 * is recorded (pledger_report_issue()) before its answer is sent, and the
 * answers of many requests share one transaction of the writer handle.
 * A request waits for the commit of its group, never for a timer: the
 * recorder takes whatever is pending the moment the previous group is
 * committed, so a lone request costs one commit and 64 concurrent ones
 * share a few. */
#ifndef PLEDGERD_RECORDER_H
#define PLEDGERD_RECORDER_H

#include <pledger/pledger.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

typedef struct recorder recorder;

/* Start the recorder thread over @writer (shared with the filings under
 * @writer_lock), signing with @signers; NULL (with @err) on failure. */
recorder *recorder_start(pledger_registry *writer, pthread_mutex_t *writer_lock,
                         const pledger_keyring *signers, char *err, size_t err_size);

/* Record @req (its strings are read until this returns) and wait for its
 * commit: 0 with *@note (malloc'd) and *@number; otherwise the library's
 * code with its message in @msg. */
int recorder_issue(recorder *r, const pledger_report_request *req, char **note,
                   uint64_t *number, char *msg, size_t msg_size);

/* Record what is pending, then stop the thread and free. */
void recorder_stop(recorder *r);

#endif
