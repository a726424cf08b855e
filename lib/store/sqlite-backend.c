/* The SQLite backend: the tables of named operations implemented over
 * SQLite (store/sqlite-*.c), put together. */
#include "store/backend.h"

extern const pl_conn_ops pl_sqlite_conn_ops;
extern const pl_journal_ops pl_sqlite_journal_ops;
extern const pl_rows_ops pl_sqlite_rows_ops;
extern const pl_reports_ops pl_sqlite_reports_ops;
extern const pl_query_ops pl_sqlite_query_ops;
extern const pl_refreg_ops pl_sqlite_refreg_ops;
extern const pl_review_ops pl_sqlite_review_ops;
extern const pl_flow_ops pl_sqlite_flow_ops;
extern const pl_exchange_ops pl_sqlite_exchange_ops;

const pl_backend pl_sqlite_backend = {
    .name = "sqlite",
    .conn = &pl_sqlite_conn_ops,
    .journal = &pl_sqlite_journal_ops,
    .rows = &pl_sqlite_rows_ops,
    .reports = &pl_sqlite_reports_ops,
    .query = &pl_sqlite_query_ops,
    .refreg = &pl_sqlite_refreg_ops,
    .review = &pl_sqlite_review_ops,
    .flow = &pl_sqlite_flow_ops,
    .exchange = &pl_sqlite_exchange_ops,
};
