/* The settings of the connection while a reference register is imported
 * (import.c): one long write transaction of many small rows.
 *
 * Temporary b-trees in memory: SQLite builds one for every "x IN (...)"
 * CHECK of each row written (ref_right.kind and .status, ref_patent's
 * patent_type), and as files they cost a pager, allocations the size of
 * pages and the kernel's work to map and unmap them, row after row; the
 * statement journals of the import are small.  A larger page cache:
 * fewer dirty pages spilled into the WAL in the middle of the
 * transaction, the peak memory of an import staying well below 64 MiB.
 * Both are put back afterwards: other uses of the connection see no
 * change.  (temp_store cannot change inside a transaction.) */
#ifndef PL_REFREG_BULK_H
#define PL_REFREG_BULK_H

#include <stdbool.h>

#include "base/error.h"
#include "store/db.h"

/* The page cache during an import, in KiB. */
#define PL_REFREG_BULK_CACHE_KIB 32768

typedef struct pl_refreg_bulk {
    int temp_store, cache_size; /* as they were */
    bool saved;
} pl_refreg_bulk;

/* Remember the settings in @b and change them; outside a transaction. */
int pl_refreg_bulk_begin(pl_db *db, pl_err *e, pl_refreg_bulk *b);

/* Put back what pl_refreg_bulk_begin() changed (nothing when it did not
 * run or failed before changing anything); after the commit or rollback. */
void pl_refreg_bulk_end(pl_db *db, pl_refreg_bulk *b);

#endif
