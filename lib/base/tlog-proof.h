/* Transparency log proofs in the text format of C2SP tlog-proof
 * (c2sp.org/tlog-proof@v1): an entry's index, its Merkle inclusion proof
 * (RFC 9162 PATH, leaf side first) and, after an empty line, the signed
 * checkpoint it proves against, verbatim:
 *
 *     c2sp.org/tlog-proof@v1
 *     index <index>
 *     <base64 hash>            (one line each)
 *
 *     <checkpoint note>
 *
 * Written here rather than taken from a library: no Debian package reads
 * or writes the format, and it is thirty lines of text over what
 * base/merkle.c and base/note.c already do. */
#ifndef PL_BASE_TLOG_PROOF_H
#define PL_BASE_TLOG_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/merkle.h"

#define PL_TLOG_PROOF_HEADER "c2sp.org/tlog-proof@v1"

/* @head (may be ""; when not, an empty line follows it) and the proof of
 * entry @index: the @n hashes of @proof and the signed @checkpoint;
 * allocated into *@out. */
int pl_tlog_proof_write(pl_err *e, const char *head, uint64_t index, const pl_mhash *proof,
                        size_t n, const char *checkpoint, char **out);

typedef struct pl_tlog_proof {
    uint64_t index;
    pl_mhash proof[PL_MERKLE_MAX_PROOF];
    size_t n;
    const char *checkpoint; /* into the text read, to its end */
    size_t checkpoint_len;
} pl_tlog_proof;

/* Read the proof of @len bytes at @text; a line that is wrong is
 * PLEDGER_EINVAL naming it, counted from @first_line (the line number of
 * the header in the document it came in).  An "extra" line is allowed
 * and skipped (the format leaves it unauthenticated). */
int pl_tlog_proof_read(pl_err *e, const char *text, size_t len, int first_line,
                       pl_tlog_proof *out);

#endif
