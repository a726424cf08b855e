#include "store/schema.h"

/* The companion database of search reports (docs/design.md, "Search
 * reports"): <registry>.reports beside the registry file, attached to the
 * registry's connection as "reports" (store/report.c).
 *
 * Every answer a bank is given by a service (a search, a verification)
 * can be recorded as a numbered report: who asked, in what role, when,
 * the question, how many registrations the answer named, the log size it
 * was read at, and the signed note handed out (which lists the numbers).
 * Reports are an access register beside the register of pledges, not a
 * change of its state: they are not journal events (a search must not
 * move the log a bank's checkpoint proves), and they are not in the
 * registry file either -- a service records thousands a second, and every
 * commit to the registry file would empty the page cache of each of its
 * readers.  Like checkpoints they are append-only.  Two indexes serve the
 * auditor's "who looked at this party?": search_report_party, the
 * parties a question named, and search_report_result, the registrations
 * each answer named -- joined at the auditor's query with the register's
 * own party indexes, so a verification is found under the pledgor it
 * never typed, at no cost to the answer. */
const char pl_sql_report[] =
    "CREATE TABLE reports.search_report ("
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
    "CREATE INDEX reports.search_report_actor ON search_report(actor, number);"
    "CREATE TABLE reports.search_report_party ("
    "  party TEXT NOT NULL,"
    "  number INTEGER NOT NULL REFERENCES search_report(number),"
    "  PRIMARY KEY (party, number)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TABLE reports.search_report_result ("
    "  registration TEXT NOT NULL,"
    "  number INTEGER NOT NULL REFERENCES search_report(number),"
    "  PRIMARY KEY (registration, number)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TRIGGER reports.search_report_result_no_change BEFORE UPDATE ON "
    "search_report_result "
    "BEGIN SELECT RAISE(ABORT, 'search_report_result is append-only'); END;"
    "CREATE TRIGGER reports.search_report_result_no_delete BEFORE DELETE ON "
    "search_report_result "
    "BEGIN SELECT RAISE(ABORT, 'search_report_result is append-only'); END;"
    "CREATE TRIGGER reports.search_report_no_update BEFORE UPDATE ON search_report "
    "BEGIN SELECT RAISE(ABORT, 'search_report is append-only'); END;"
    "CREATE TRIGGER reports.search_report_no_delete BEFORE DELETE ON search_report "
    "BEGIN SELECT RAISE(ABORT, 'search_report is append-only'); END;"
    "CREATE TRIGGER reports.search_report_party_no_update BEFORE UPDATE ON "
    "search_report_party "
    "BEGIN SELECT RAISE(ABORT, 'search_report_party is append-only'); END;"
    "CREATE TRIGGER reports.search_report_party_no_delete BEFORE DELETE ON "
    "search_report_party "
    "BEGIN SELECT RAISE(ABORT, 'search_report_party is append-only'); END;";
