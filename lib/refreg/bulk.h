/* The settings of the connection while a reference register is imported
 * (import.c): one long write transaction of many small rows.  The
 * backend tunes its connection for that (store/ops-refreg.h,
 * import_tune; the SQLite backend's reasons are in
 * store/sqlite-refreg-write.c) and puts it back afterwards: other uses
 * of the connection see no change. */
#ifndef PL_REFREG_BULK_H
#define PL_REFREG_BULK_H

#include "base/error.h"
#include "store/db.h"
#include "store/ops-refreg.h"

typedef pl_ref_tuning pl_refreg_bulk; /* zero-initialised */

/* Remember the settings in @b and change them; outside a transaction. */
int pl_refreg_bulk_begin(pl_db *db, pl_err *e, pl_refreg_bulk *b);

/* Put back what pl_refreg_bulk_begin() changed (nothing when it did not
 * run or failed before changing anything); after the commit or rollback. */
void pl_refreg_bulk_end(pl_db *db, pl_refreg_bulk *b);

#endif
