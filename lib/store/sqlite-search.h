/* The SQLite backend's search plans (store/sqlite-search.c), for its
 * table of query operations (store/sqlite-query.c). */
#ifndef PL_STORE_SQLITE_SEARCH_H
#define PL_STORE_SQLITE_SEARCH_H

#include "store/ops-query.h"

int pl_sqlite_search(pl_db *db, pl_err *e, pl_search_plan plan, const pl_search_spec *spec,
                     pl_search_row_fn row, void *arg);

#endif
