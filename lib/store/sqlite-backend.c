/* The SQLite backend: the tables of named operations implemented over
 * SQLite (store/sqlite-*.c), put together. */
#include "store/backend.h"

extern const pl_query_ops pl_sqlite_query_ops;

const pl_backend pl_sqlite_backend = {
    .name = "sqlite",
    .query = &pl_sqlite_query_ops,
};
