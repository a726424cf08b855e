/* The registry handle and the helpers every api-*.c file uses to report
 * errors: a failure is recorded on the handle (or, without one, on the
 * calling thread). */
#ifndef PL_API_HANDLE_H
#define PL_API_HANDLE_H

#include <stdbool.h>

#include <pledger/registry.h>
#include <pledger/types.h>

#include "base/error.h"
#include "store/db.h"

struct pledger_registry {
    pl_db *db;
    pl_err err;
    char office[17];
    int utc_offset;    /* minutes east of UTC of the registry's dates (meta) */
    char time_zone[65]; /* the office's zone, for showing instants (meta) */
    char log_origin[208]; /* pledger_log_origin()'s answer */
    char *actor;       /* pledger_set_actor(); NULL until set */
    pledger_role role; /* 0 until set */
    int site;          /* pledger_site (meta 'site'; an office when never set) */
    char upstream[17]; /* an acceptance point's office, "" for an office */
    bool reports_vouched; /* the search reports' companion was found to be this
                           * registry's at this handle's first report */
    /* the registry's mark of the reports (store/report.h) this handle last
     * wrote: its size, and when (monotonic, microseconds; 0: never) */
    uint64_t reports_marked;
    int64_t reports_marked_mono;
    bool reports_unsynced; /* pledger_report_set_autosync(reg, 0): its reports'
                            * commits are synced by pledger_report_sync() */
    /* reports this handle synced and did not mark (the mark was not due):
     * their size, or (a syncing handle that skipped the read) only that
     * some were; pledger_close() marks them */
    uint64_t reports_unmarked;
    bool reports_sync_unmarked;
    /* the group of search reports open on this handle (its transaction),
     * NULL when none: the handle takes no other call meanwhile */
    struct pledger_report_group *report_group;
};

/* pledger_close(): the group of reports left open, abandoned. */
void pl_api_report_group_abandon(pledger_registry *reg);

/* Mark in the registry that the companion holds reports 1 to @size, every
 * one of them synced (store/report.h): at once when @now_or_never, else
 * when this handle has not done so for ten seconds (a later call marks
 * it then).  Best effort: the handle's own message is left as it was. */
void pl_api_reports_mark(pledger_registry *reg, uint64_t size, bool now_or_never);

/* pledger_close(): mark in the registry the reports this handle synced
 * since its last mark (best effort, never waiting for the registry). */
void pl_api_reports_mark_at_close(pledger_registry *reg);

/* The one gate of every call that returns registry data: the read table
 * (pl_read_check(), workflow/states.c).  PLEDGER_EPERM, on the handle,
 * unless the handle's actor may have @read (a pl_read); else 0 and in
 * *@sight_out (a pl_sight) whether the answer is masked, full, or the
 * actor's own only. */
int pl_api_read(pledger_registry *reg, const char *fn, int read, int *sight_out);

/* PLEDGER_EREADONLY, on the handle, when the registry was opened
 * read-only. */
int pl_api_writable(pledger_registry *reg, const char *fn);

/* A key a client makes for a request it may send again
 * (pledger_file_batch_keyed, pledger_application_save_keyed): 1 to
 * PLEDGER_FILING_KEY_MAX of A-Z a-z 0-9 and . _ : - (a UUID, a
 * reference of its own). */
int pl_api_check_key(pledger_registry *reg, const char *fn, const char *key);

/* An office code: 1 to 16 characters of A-Z, 0-9 and '-' (the one check
 * of pledger_open, pledger_set_site, the exchange calls and statistics). */
bool pl_api_office_code_valid(const char *s);

/* Start a public call: clears the handle's error.  Returns PLEDGER_EINVAL
 * (recorded on the thread) when @reg is NULL. */
int pl_api_enter(pledger_registry *reg, const char *fn);

/* The error sink of a call: the handle's, or the thread's. */
pl_err *pl_api_err(pledger_registry *reg);

/* Record an argument error naming the function and the parameter. */
int pl_api_bad_arg(pledger_registry *reg, const char *fn, const char *param,
                   const char *why);

int64_t pl_api_now(const pledger_registry *reg);

/* The workflow context of a call: db, error sink, actor, role, office. */
struct pl_ctx;
void pl_api_ctx(pledger_registry *reg, struct pl_ctx *out);

/* The longest actor name (pledger_set_actor), in bytes. */
#define PL_API_ACTOR_MAX 128

/* 1 to @max bytes of UTF-8 with no control character (C0, DEL, C1, the line
 * and paragraph separators and bidirectional controls; and no space when
 * @no_space); NULL is not. */
bool pl_api_line_ok(const char *s, size_t max, bool no_space);

/* Argument checks shared by the api-*.c files: each records an
 * PLEDGER_EINVAL naming the function and the parameter.
 *
 * pl_api_check_str: @s is UTF-8 of at most @max_len bytes, with no
 * control character (pl_text_control: C0, DEL, C1, the line and paragraph
 * separators, bidirectional controls); @flags: PL_API_REQUIRED (not NULL,
 * not empty, not white space only), PL_API_LINES (a multi-line free text,
 * a note: may hold tab, line feed and CRLF), PL_API_TRIMMED (one line the
 * call drops the white space around -- an identifier, a filter, a name:
 * a tab or a line end around it is white space, not inside). */
#define PL_API_REQUIRED 1
#define PL_API_LINES 2
#define PL_API_TRIMMED 4
int pl_api_check_str(pledger_registry *reg, const char *fn, const char *param, const char *s,
                     size_t max_len, int flags);

/* @s (UTF-8, or NULL) has no control character (pl_text_control, @how a
 * pl_text_lines); else PLEDGER_EINVAL naming @fn, @param, the character
 * and its position. */
int pl_api_check_control(pledger_registry *reg, const char *fn, const char *param,
                         const char *s, int how);

/* Inside a read or write transaction: the latest checkpoint the registry
 * signed has the root the stored tree gives at its size (nothing when
 * none is kept).  PLEDGER_ECORRUPT otherwise, naming both roots and
 * ending with @refused (what the caller does not do over it). */
int pl_api_latest_checkpoint_holds(pledger_registry *reg, const char *refused);

/* Instant argument @param of a question about the registry's record
 * (verification, statement, search, rank): PLEDGER_AS_OF_CURRENT or an
 * instant no later than pl_api_now(); a later one is refused naming
 * @param -- the answer could still change. */
int pl_api_as_of(pledger_registry *reg, const char *fn, const char *param, int64_t as_of);

/* The longest party name a question may give (pledger_query.party_name),
 * in bytes; a search report keeps each party as asked, so it takes as
 * long a one (pledger_report_request.parties, pledger_report_filter.party). */
#define PL_API_PARTY_MAX 512

/* The longest registration number an argument may be (bytes). */
#define PL_API_NUMBER_MAX 96
/* Registration number argument @param: checked as pl_api_check_str
 * (required, PL_API_NUMBER_MAX bytes), then resolved as the registry
 * keeps it (pl_q_number_kept: "r-fz01-tm-2024-000001" or its full-width
 * form finds R-FZ01-TM-2024-000001) into @out. */
int pl_api_number(pledger_registry *reg, const char *fn, const char *param, const char *in,
                  char out[PL_API_NUMBER_MAX + 1]);
/* The length of an application UUID as the registry keeps it. */
#define PL_API_UUID_LEN 36
/* Application UUID argument @param as typed -- white space around it,
 * upper-case hex digits, full-width forms -- in the form the registry
 * keeps (lower case) into @out; what is not a UUID is left as typed, for
 * the message that it is not found.  Checked as pl_api_check_str
 * (required). */
int pl_api_uuid(pledger_registry *reg, const char *fn, const char *param, const char *in,
                char out[PL_API_UUID_LEN + 1]);

#endif
