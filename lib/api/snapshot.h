/* The pledge snapshot (include/pledger/pledge.h): the one form every read
 * of a pledge answers with.  pledger_pledge_get() makes its own; a
 * verification (api-query.c) and each hit of a search make theirs here
 * and lend them out. */
#ifndef PL_API_SNAPSHOT_H
#define PL_API_SNAPSHOT_H

#include <stdint.h>

#include <pledger/pledge.h>
#include <pledger/types.h>

#include "base/error.h"
#include "store/db.h"
#include "store/pledge-row.h"

/* A snapshot of the version @v, already masked for the reader's role
 * (query/mask.h), with the history of its versions read from @db.  The
 * strings of @v move into the snapshot (@v is left empty, also on
 * failure).  Versions 1 to v->version never change once written, so the
 * history needs no transaction shared with the read of @v.  On failure
 * *@out is NULL and the error on @e. */
int pl_snap_from_pver(pl_db *db, pl_err *e, pl_pver *v, pledger_pledge **out);

#endif
