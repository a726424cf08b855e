/* The connection's settings during an import: see bulk.h. */
#include "refreg/bulk.h"

int pl_refreg_bulk_begin(pl_db *db, pl_err *e, pl_refreg_bulk *b)
{
    return PL_OPS(db, refreg)->import_tune(db, e, b);
}

void pl_refreg_bulk_end(pl_db *db, pl_refreg_bulk *b)
{
    PL_OPS(db, refreg)->import_untune(db, b);
}
