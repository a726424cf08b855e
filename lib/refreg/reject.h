/* Rejecting a record of the reference register: the report's list of
 * rejections (line and message), shared by the import (import.c), the
 * reading of a record (record.c) and its writing (write.c).  Internal to
 * the import. */
#ifndef PL_REFREG_REJECT_H
#define PL_REFREG_REJECT_H

#include <stdint.h>

#include "base/error.h"
#include "refreg/refreg.h"

#define MSG_MAX 480

/* What makes a record's message ("trademark 12345678: ..."), and where
 * its rejection goes. */
typedef struct where {
    pl_refreg_report *rep;
    pl_err *e;
    int32_t today;   /* the import's date (identifier checks) */
    uint64_t line;
    char what[256];
} where;

/* Reject the record @w describes: "<what>: <message>".  Returns 1 (the
 * record is rejected) or PLEDGER_ENOMEM. */
int pl_refreg_bad(where *w, const char *fmt, ...) PL_PRINTF(2, 3);

/* Count a rejection at @line in @rep and keep its message (the first
 * PL_REFREG_KEEP_REJECTIONS): 0 or PLEDGER_ENOMEM (set in @e). */
int pl_refreg_reject(pl_refreg_report *rep, pl_err *e, uint64_t line, const char *fmt, ...)
    PL_PRINTF(4, 5);

/* A message of the parser or the schema made fit to keep: no trailing
 * newline, space or full stop, and UTF-8 (a quote cut in a character
 * becomes '?'). */
void pl_refreg_trim_message(char *s);

#endif
