/* The reference register of the underlying rights (docs/domain.md §4.2): what
 * the trademark office, the IP office, the market regulator, the
 * environment authority and the real-estate registries know about each
 * right, imported from their XML files (share/pledger/register.xsd) and
 * read by the review engine.
 *
 * Tables: lib/store/schema-register.c; the backend's operations:
 * store/ops-refreg.h.  Import: import.c (the stream), record.c (a
 * record's fields), valid.c (the quick schema check), write.c (its
 * rows), bulk.c (the settings).  Lookups: lookup.c.  Public calls: lib/api/api-refreg.c.
 *
 * Every lookup takes numbers and identifiers as the user typed them and
 * normalises them first (pl_ident_normalize): full-width to half-width,
 * upper case, no spaces, no ZL/CN prefix on patents.  A lookup fills a
 * caller-provided struct whose strings it owns until the matching
 * pl_ref_*_clear(); on failure the struct is left cleared.  Lookups read
 * through cached statements and start no transaction of their own, so a
 * caller that wants several lookups to see one snapshot wraps them in
 * pl_db_read_begin() / pl_db_commit(). */
#ifndef PL_REFREG_REFREG_H
#define PL_REFREG_REFREG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pledger/types.h>

#include "base/error.h"
#include "store/db.h"
#include "store/ops-refreg.h"

/* The values and rows of the register (pl_ref_status, pl_ref_trademark,
 * ... and their pl_ref_*_clear) are store/ops-refreg.h's: the backend
 * fills them. */

/* "invention", "utility_model", "design"; NULL for other values. */
const char *pl_ref_patent_type_name(int type);

/* True when @r lists an owner with identifier @id (normalised) of type
 * @id_type (0: any type). */
bool pl_ref_right_has_owner(const pl_ref_right *r, pledger_id_type id_type, const char *id);

/* ---- lookups ------------------------------------------------------- */

/* The trademark registered as @number.  PLEDGER_EINVAL when @number is not
 * a trademark number, PLEDGER_ENOTFOUND when the register does not have
 * it (both messages name the number). */
int pl_refreg_trademark(pl_db *db, pl_err *e, const char *number, pl_ref_trademark *out);

/* The bundling rule (docs/domain.md §4.3: every identical or similar mark of
 * the pledgor registered on identical or similar goods must be pledged
 * together): the trademarks other than @number that
 *   - list the owner (@owner_type, @owner_id) among their owners
 *     (@owner_type 0: an owner with that identifier of any type), and
 *   - are in the same family as @number, or have the same mark text
 *     (compared by mark_key, so case, full-width forms and runs of
 *     white space do not matter; figurative marks have no text), and
 *   - share at least one similar-goods group code with @number,
 * whatever their status (the review decides what a cancelled or expired
 * related mark means: only registered ones can be pledged).  Sorted by
 * number: national numbers in numeric order, then Madrid "G" numbers.
 * PLEDGER_ENOTFOUND when @number itself is not on the register; an empty
 * list is not an error. */
int pl_refreg_related_marks(pl_db *db, pl_err *e, pledger_id_type owner_type,
                            const char *owner_id, const char *number, pl_ref_marks *out);

/* The patent (or application) @number, written with or without the ZL
 * prefix and check separator as pl_ident_normalize accepts. */
int pl_refreg_patent(pl_db *db, pl_err *e, const char *number, pl_ref_patent *out);

/* The holding of shareholder (@type, @shareholder) in the company whose
 * USCC is @company.  PLEDGER_ENOTFOUND when the shareholder holds nothing
 * in that company. */
int pl_refreg_holding(pl_db *db, pl_err *e, const char *company, pledger_id_type type,
                      const char *shareholder, pl_ref_holding *out);

/* The discharge permit (PLEDGER_KIND_EMISSION), sea-area
 * (PLEDGER_KIND_SEA_AREA) or land (PLEDGER_KIND_LAND) certificate
 * @number.  PLEDGER_EINVAL for another kind. */
int pl_refreg_certificate(pl_db *db, pl_err *e, pledger_kind kind, const char *number,
                          pl_ref_certificate *out);

/* ---- import -------------------------------------------------------- */

/* Rejected-record messages kept in a report; later ones are only counted. */
#define PL_REFREG_KEEP_REJECTIONS 1000
/* The progress callback runs at least this often (in records). */
#define PL_REFREG_PROGRESS_EVERY 1000

/* The limits of one record (a child of <register>, its descendants
 * included): past one, the record is rejected with its line and the
 * limit, the reader skips the rest of it without keeping it, and the
 * import goes on.  Far above what a valid record needs (64 owners of
 * 400-character names, 1000 group codes). */
#define PL_REFREG_MAX_RECORD_BYTES ((uint64_t)1 << 20)
#define PL_REFREG_MAX_RECORD_ELEMENTS 1024
#define PL_REFREG_MAX_RECORD_DEPTH 8   /* levels of elements below the record */
#define PL_REFREG_MAX_VALUE 16384      /* bytes of one attribute value or text node */

typedef int (*pl_refreg_progress_fn)(uint64_t records, uint64_t bytes_read,
                                     uint64_t total_bytes, void *payload);

typedef struct pl_refreg_rejection {
    uint64_t line;   /* line of the record's start tag */
    char *message;   /* "trademark 12345678: valid_to ..." */
} pl_refreg_rejection;

typedef struct pl_refreg_report {
    uint64_t records;    /* record elements read: the four counts below */
    uint64_t inserted, updated, unchanged, rejected;
    uint64_t bytes;      /* size of the file */
    char sha256[65];     /* of the file's bytes, lower-case hex */
    int64_t journal_seq; /* the register_import event */
    size_t n_kept;       /* min(rejected, PL_REFREG_KEEP_REJECTIONS) */
    pl_refreg_rejection *kept;
} pl_refreg_report;

void pl_refreg_report_clear(pl_refreg_report *r);

/* Where the register comes from: a file (@path), or a buffer (@data,
 * @len) when @path is NULL.  @name names it in messages (default: the
 * path, or "register"). */
typedef struct pl_refreg_source {
    const char *path;
    const void *data;
    size_t len;
    const char *name;
} pl_refreg_source;

typedef struct pl_refreg_import_opts {
    int32_t today;        /* identifiers dated after today (birth dates) are refused */
    const char *actor;    /* of the journal event */
    const char *role;     /* of the journal event ("registrar") */
    pl_refreg_progress_fn progress; /* or NULL */
    void *payload;
} pl_refreg_import_opts;

/* Import a register file in one write transaction: each record is
 * inserted, updated (only when its normalised content differs) or left
 * unchanged; records absent from the file stay as they are.  A record
 * whose content is bad (schema, check digit, date, consistency, or a
 * number already imported from this file) is rejected with its line and
 * a message, and the others are imported.  The last write before the
 * commit is one journal event, operation "register_import", subject
 * "register", payload {"bytes","inserted","records","rejected","sha256",
 * "unchanged","updated"}.
 *
 * A record past its limits (PL_REFREG_MAX_RECORD_*, PL_REFREG_MAX_VALUE)
 * is rejected like a bad one; the import holds one record at a time.
 *
 * Refused whole, with the register exactly as before:
 *   PLEDGER_EXML      not well-formed (truncated included), a DOCTYPE or an
 *                     entity, a construct or tag past the lexical guard's
 *                     limits (model/xml.h), a root other than urn:pledger:1
 *                     <register> (message "NAME: line N: ...").  Then a
 *                     journal event "register_import" of its own records
 *                     the refusal: {"bytes","refused":"line N: ...",
 *                     "sha256"} of the whole file (what was read of a pipe);
 *   PLEDGER_ECONFLICT the progress callback returned non-zero (cancelled);
 *   PLEDGER_ENOTFOUND, PLEDGER_EIO  the file cannot be opened or read;
 *   PLEDGER_EREADONLY, PLEDGER_EBUSY, ...  from the store.
 * The progress callback runs every PL_REFREG_PROGRESS_EVERY records and
 * once at the end (records, bytes read so far, total size or 0 when
 * unknown), before the commit.  Memory stays constant whatever the size
 * of the file.  On success *out holds the counts (clear it with
 * pl_refreg_report_clear); on failure it is left cleared. */
int pl_refreg_import(pl_db *db, pl_err *e, const pl_refreg_source *src,
                     const pl_refreg_import_opts *o, pl_refreg_report *out);

#endif
