/* The search reports as a transparency log (docs/design.md, "Search
 * reports"): report n is leaf n - 1 of a Merkle tree kept in the store
 * (store/report.h), each group of reports issued together is sealed by
 * one signed checkpoint of that tree, and each report is handed out with
 * its inclusion proof to its group's checkpoint (base/tlog-proof.h). */
#ifndef PL_API_REPORT_LOG_H
#define PL_API_REPORT_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pledger/report.h>

#include "base/error.h"
#include "base/note.h"
#include "store/db.h"
#include "store/report.h"

/* The limits of pledger_report_request (include/pledger/report.h), which
 * the reader of a report's text keeps too. */
#define PL_REPORT_MAX_REQUESTS 10000 /* in a group */
#define PL_REPORT_MAX_QUERY 2000
#define PL_REPORT_MAX_PARTIES 100     /* parties, and numbers asked */
#define PL_REPORT_MAX_PARTY PL_API_PARTY_MAX
#define PL_REPORT_MAX_NUMBERS 10000
#define PL_REPORT_MAX_NUMBER 64
#define PL_REPORT_MAX_ACTOR PL_API_ACTOR_MAX

/* The origin line of the reports' checkpoints: "<log origin>/reports". */
#define PL_REPORT_LOG_SUFFIX "/reports"

typedef struct pl_report_group pl_report_group;

/* Begin a group of at most @n reports after the @size already kept
 * (inside the write transaction that stores them), the last checkpoint
 * kept being of @checkpoint reports (0: none).  The stored tree must give
 * that checkpoint's root at its size: a tree rewritten since, every hash
 * recomputed, is refused (PLEDGER_ECORRUPT), as the group's checkpoint
 * would contradict the one signed before (C2SP tlog-checkpoint). */
int pl_report_group_begin(pl_db *db, pl_err *e, uint64_t size, uint64_t checkpoint, size_t n,
                          pl_report_group **out);
/* Append the report whose text is @text as the next leaf. */
int pl_report_group_add(pl_report_group *g, pl_err *e, const char *text);
/* Sign the checkpoint of the tree with every report added, origin
 * @origin + PL_REPORT_LOG_SUFFIX, with the @nk @keys; keep it, signed at
 * @at.  The tree's new size in *@size. */
int pl_report_group_seal(pl_report_group *g, pl_err *e, const char *origin,
                         const pl_note_key *const *keys, size_t nk, int64_t at,
                         uint64_t *size);
/* The document handed out for the @i-th report of the group (its @text,
 * an empty line, its proof to the group's checkpoint), allocated. */
int pl_report_group_document(pl_report_group *g, pl_err *e, size_t i, const char *text,
                             char **out);
void pl_report_group_free(pl_report_group *g);

/* The same document for report @number read back: @text, its proof to the
 * checkpoint of the tree of @size reports, that checkpoint (inside a read
 * transaction). */
int pl_report_document(pl_db *db, pl_err *e, uint64_t number, const char *text, uint64_t size,
                       char **out);

/* Read a report's @len bytes of text (no proof, no signature), as
 * pledger_report_open() reads them; PLEDGER_EINVAL naming the line. */
int pl_report_text_read(pl_err *e, const char *text, size_t len, pledger_report **out);
/* Whether its text lists the parties asked about (a "parties" line; the
 * first 0.2 builds wrote none). */
bool pl_report_says_parties(const pledger_report *r);

struct pledger_registry;
/* The companion (@path, as messages name it; @last its last report)
 * holds what the registry's mark says it held (store/report.h): not fewer
 * reports, the same tree at the mark's size.  PLEDGER_ECORRUPT on the
 * handle otherwise, naming @path, with in *@bad (may be NULL) the first
 * report missing or not the one marked.  @mark: the mark as read before
 * (size 0: none), or NULL to read it now.  Inside a transaction that read
 * the mark before the companion: a mark covers only reports committed
 * before it. */
int pl_report_mark_check(struct pledger_registry *reg, const char *path, uint64_t last,
                         const pl_report_mark *mark, uint64_t *bad);

#endif
