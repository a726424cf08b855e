/* The SQLite backend: the tables of named operations implemented over
 * SQLite (store/sqlite-*.c), put together. */
#include "store/backend.h"

extern const pl_conn_ops pl_sqlite_conn_ops;
extern const pl_query_ops pl_sqlite_query_ops;

const pl_backend pl_sqlite_backend = {
    .name = "sqlite",
    .conn = &pl_sqlite_conn_ops,
    .query = &pl_sqlite_query_ops,
};
