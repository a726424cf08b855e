#include "store/schema.h"

/* 8: sites and the data line (docs/design.md, "Sites and the data line").
 *
 * A registry is an office or an acceptance point (meta 'site', and for an
 * acceptance point 'upstream', the office it forwards to).  Batches go
 * both ways on a line (this registry and one peer): 'out' ones this
 * registry made, kept with their bytes until the peer's receipt closes
 * them (an export after a crash sends the same bytes again); 'in' ones it
 * imported, kept with the receipt it gave (importing the same batch again
 * returns that receipt).  Applications gain: origin (the acceptance point
 * an office received one from), reported_state (the last state an office
 * reported back), office_number and office_certificate (at an acceptance
 * point: what the office registered).  The new application state 9,
 * forwarded, is allowed by pl_sql_exchange_check below. */
const char pl_sql_exchange[] =
    "ALTER TABLE application ADD COLUMN origin TEXT;"
    "ALTER TABLE application ADD COLUMN reported_state INTEGER;"
    "ALTER TABLE application ADD COLUMN office_number TEXT;"
    "ALTER TABLE application ADD COLUMN office_certificate TEXT;"
    "CREATE INDEX application_origin ON application(origin, state) WHERE origin IS NOT NULL;"
    "CREATE TABLE exchange_batch ("
    "  id INTEGER PRIMARY KEY,"
    "  direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),"
    "  peer TEXT NOT NULL,"
    "  seq INTEGER NOT NULL CHECK (seq >= 1),"
    "  digest TEXT NOT NULL,"
    "  document TEXT,"          /* out: the signed batch as sent */
    "  items INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  receipt TEXT,"           /* out: the peer's (NULL until it came); in: ours */
    "  acked_at INTEGER,"
    "  journal_seq INTEGER NOT NULL,"
    "  UNIQUE (direction, peer, seq)"
    ") STRICT;"
    "CREATE TABLE exchange_item ("
    "  batch_id INTEGER NOT NULL REFERENCES exchange_batch(id),"
    "  idx INTEGER NOT NULL,"
    "  application_id INTEGER NOT NULL REFERENCES application(id),"
    "  what TEXT NOT NULL CHECK (what IN ('application', 'correction', 'result')),"
    "  state INTEGER NOT NULL,"
    "  PRIMARY KEY (batch_id, idx)"
    ") STRICT;"
    "CREATE INDEX exchange_item_application ON exchange_item(application_id);";

/* The application's state CHECK, widened from 1..8 to 1..9 (forwarded).
 * SQLite cannot alter a CHECK; widening one changes nothing stored, and
 * SQLite documents rewriting the table's SQL in sqlite_schema for such a
 * change (ALTER TABLE, "other kinds of table schema changes"): done by
 * store/db.c with the schema version bumped, in the migration's
 * transaction. */
const char pl_sql_exchange_check_from[] = "CHECK (state BETWEEN 1 AND 8)";
const char pl_sql_exchange_check_to[] = "CHECK (state BETWEEN 1 AND 9)";
