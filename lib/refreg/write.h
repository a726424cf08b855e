/* Writing one record of the reference register (write.c), inside
 * the import's transaction.  Internal to the import (import.h).
 * Each returns 0 or a negative code that stops the import (and
 * pl_refreg_first_time() 1 when it rejects the record). */
#ifndef PL_REFREG_WRITE_H
#define PL_REFREG_WRITE_H

#include "refreg/import.h"
#include "refreg/record.h"

/* The digest of @r's normalised content into @out (ref_right.digest,
 * ref_holding.digest: a record whose digest is unchanged is not written). */
int pl_refreg_digest(imp *im, const record *r, unsigned char out[32]);

/* Empty ref_import_seen: before the first record and before the commit. */
int pl_refreg_seen_clear(imp *im);
/* Set im->no_rights and im->no_holdings: ref_right, ref_holding are empty. */
int pl_refreg_note_empty(imp *im);

/* Refuse a key given twice in one file: 1 when rejected (pl_refreg_bad). */
int pl_refreg_first_time(imp *im, where *w, const record *r);

/* Write @r, of digest @dg, into ref_right and its detail tables, or into
 * ref_holding; a row whose digest is @dg is left as it is. */
int pl_refreg_write_right(imp *im, const record *r, const unsigned char dg[32]);
int pl_refreg_write_holding(imp *im, const record *r, const unsigned char dg[32]);

#endif
