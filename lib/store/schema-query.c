#include "store/schema.h"
#include "store/sql-states.h"

/* Indexes that serve the bank queries (lib/query).  Each names the query
 * it drives; EXPLAIN QUERY PLAN of every statement of lib/query is checked
 * by tests/test-query.c.
 *
 * A first version's valid_from is the pledge's registration instant, and
 * the parties' identifiers never change between versions (a change alters
 * names and amounts only), so an index over first versions ordered by
 * (party id, valid_from, pledge_id) lists a party's pledges in
 * registration order: a page of a bank's pledges is read by walking it. */
const char pl_sql_query[] =
    /* search by party identifier (query/search.c) */
    "CREATE INDEX pledge_version_pledgor_first"
    "  ON pledge_version(pledgor_id, valid_from, pledge_id) WHERE version = 1;"
    "CREATE INDEX pledge_version_pledgee_first"
    "  ON pledge_version(pledgee_id, valid_from, pledge_id) WHERE version = 1;"
    /* search by kind, walked in registration order (query/search.c) */
    "CREATE INDEX pledge_kind_registered ON pledge(kind, registered_at);"
    /* due list: periods ending, objections lapsing (query/due.c) */
    "CREATE INDEX pledge_version_in_force_end"
    "  ON pledge_version(period_end) WHERE " PL_SQL_IN_FORCE("") ";"
    "CREATE INDEX pledge_version_objection"
    "  ON pledge_version(objection_until) WHERE " PL_SQL_UNDER_OBJECTION("") ";"
    /* statistics: cancellations of a period (query/stats.c) */
    "CREATE INDEX pledge_version_operation ON pledge_version(operation, valid_from);";
