#include "store/schema.h"

/* 9: search reports (docs/design.md, "Search reports").
 *
 * Every answer a bank is given by a service (a search, a verification)
 * can be recorded as a numbered report: who asked, in what role, when,
 * the question, how many registrations the answer named, the log size it
 * was read at, and the signed note handed out (which lists the numbers).
 * Reports are an access register beside the register of pledges, not a
 * change of its state: they are not journal events (a search must not
 * move the log a bank's checkpoint proves), and like checkpoints they are
 * append-only.  search_report_party indexes each report under the
 * parties it concerned (those asked for, and the pledgors and pledgees of
 * the registrations verified), so an auditor lists who looked for a party
 * without reading every note. */
const char pl_sql_report[] =
    "CREATE TABLE search_report ("
    "  number INTEGER PRIMARY KEY CHECK (number >= 1),"
    "  issued_at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  role TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('search', 'verification')),"
    "  query TEXT NOT NULL,"
    "  result_count INTEGER NOT NULL CHECK (result_count >= 0),"
    "  log_size INTEGER NOT NULL CHECK (log_size >= 0),"
    "  note TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX search_report_actor ON search_report(actor, number);"
    "CREATE TABLE search_report_party ("
    "  party TEXT NOT NULL,"
    "  number INTEGER NOT NULL REFERENCES search_report(number),"
    "  PRIMARY KEY (party, number)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TRIGGER search_report_no_update BEFORE UPDATE ON search_report "
    "BEGIN SELECT RAISE(ABORT, 'search_report is append-only'); END;"
    "CREATE TRIGGER search_report_no_delete BEFORE DELETE ON search_report "
    "BEGIN SELECT RAISE(ABORT, 'search_report is append-only'); END;"
    "CREATE TRIGGER search_report_party_no_update BEFORE UPDATE ON search_report_party "
    "BEGIN SELECT RAISE(ABORT, 'search_report_party is append-only'); END;"
    "CREATE TRIGGER search_report_party_no_delete BEFORE DELETE ON search_report_party "
    "BEGIN SELECT RAISE(ABORT, 'search_report_party is append-only'); END;";
