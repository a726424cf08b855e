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
 * auditor's "who looked at this party?": the parties a question named
 * and the registrations each answer named (report_key, below) -- joined
 * at the auditor's query with the register's own party indexes, so a
 * verification is found under the pledgor it never typed, at no cost to
 * the answer.
 *
 * The reports are also the leaves of a Merkle tree (RFC 9162 hashing, as
 * the journal's): leaf i is the text of report i + 1, report_node keeps
 * every complete subtree in the order appends make them (as journal_node
 * does), and report_checkpoint the signed checkpoint of each group of
 * reports issued together.  A report handed out carries its inclusion
 * proof to its group's checkpoint: one signature serves the group, and a
 * report cannot be dropped or changed later without breaking the
 * checkpoints banks hold.  search_report.note is the report's text and
 * checkpoint the size of the tree its group's checkpoint signs; reports
 * of version 1 of this schema were signed one by one: their note is the
 * signed note and their checkpoint NULL. */
/* The auditor's keys of each report: the parties its question named
 * (what = 1, as asked) and the registrations its answer named (what =
 * 2).  A key is random in any order of keys, so indexing each report as
 * it is recorded would write a page anywhere in the index for each one;
 * instead the keys of the reports of the current segment (4,096 reports,
 * store/report.c) are appended to report_key_recent in the order they
 * come, and once the segment is complete they move, sorted, to
 * report_key under their segment's number -- at the index's right end, a
 * page written once for a hundred keys -- a slice at a time while the next
 * segment is recorded (store/report.c, seal_slice).  The auditor seeks
 * each segment and reads the recent ones through. */
#define REPORT_KEYS \
    "CREATE TABLE reports.report_key_recent (" \
    "  number INTEGER NOT NULL REFERENCES search_report(number)," \
    "  what INTEGER NOT NULL CHECK (what IN (1, 2))," \
    "  key TEXT NOT NULL" \
    ") STRICT;" \
    "CREATE TABLE reports.report_key (" \
    "  segment INTEGER NOT NULL CHECK (segment >= 0)," \
    "  what INTEGER NOT NULL CHECK (what IN (1, 2))," \
    "  key TEXT NOT NULL," \
    "  number INTEGER NOT NULL REFERENCES search_report(number)," \
    "  PRIMARY KEY (segment, what, key, number)" \
    ") STRICT, WITHOUT ROWID;" \
    "CREATE TRIGGER reports.report_key_no_update BEFORE UPDATE ON report_key " \
    "BEGIN SELECT RAISE(ABORT, 'report_key is append-only'); END;" \
    "CREATE TRIGGER reports.report_key_no_delete BEFORE DELETE ON report_key " \
    "BEGIN SELECT RAISE(ABORT, 'report_key is append-only'); END;"

#define REPORT_TREE \
    "CREATE TABLE reports.report_node (" \
    "  pos INTEGER PRIMARY KEY CHECK (pos >= 0)," \
    "  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 63)," \
    "  idx INTEGER NOT NULL CHECK (idx >= 0)," \
    "  hash BLOB NOT NULL CHECK (length(hash) = 32)" \
    ") STRICT;" \
    "CREATE TRIGGER reports.report_node_no_update BEFORE UPDATE ON report_node " \
    "BEGIN SELECT RAISE(ABORT, 'report_node is append-only'); END;" \
    "CREATE TRIGGER reports.report_node_no_delete BEFORE DELETE ON report_node " \
    "BEGIN SELECT RAISE(ABORT, 'report_node is append-only'); END;" \
    "CREATE TABLE reports.report_checkpoint (" \
    "  size INTEGER PRIMARY KEY CHECK (size >= 1)," \
    "  signed_at INTEGER NOT NULL," \
    "  note TEXT NOT NULL" \
    ") STRICT;" \
    "CREATE TRIGGER reports.report_checkpoint_no_update BEFORE UPDATE ON report_checkpoint " \
    "BEGIN SELECT RAISE(ABORT, 'report_checkpoint is append-only'); END;" \
    "CREATE TRIGGER reports.report_checkpoint_no_delete BEFORE DELETE ON report_checkpoint " \
    "BEGIN SELECT RAISE(ABORT, 'report_checkpoint is append-only'); END;"

/* A report is written as it is added to its group, before the group's
 * checkpoint is known: its row names its own number, and when the group
 * closes, in the same transaction, the rows before its last name the
 * last's (store/report.c).  That is the one change a row takes. */
#define REPORT_NO_UPDATE \
    "CREATE TRIGGER reports.search_report_no_update BEFORE UPDATE ON search_report " \
    "WHEN NOT coalesce(OLD.checkpoint IS OLD.number AND NEW.checkpoint > OLD.number" \
    "  AND NEW.number IS OLD.number AND NEW.issued_at IS OLD.issued_at" \
    "  AND NEW.actor IS OLD.actor AND NEW.role IS OLD.role AND NEW.kind IS OLD.kind" \
    "  AND NEW.query IS OLD.query AND NEW.result_count IS OLD.result_count" \
    "  AND NEW.log_size IS OLD.log_size AND NEW.note IS OLD.note, 0) " \
    "BEGIN SELECT RAISE(ABORT, 'search_report is append-only'); END;"

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
    "  note TEXT NOT NULL,"
    "  checkpoint INTEGER CHECK (checkpoint >= number)"
    ") STRICT;"
    "CREATE INDEX reports.search_report_actor ON search_report(actor, number);"
    REPORT_KEYS
    REPORT_NO_UPDATE
    "CREATE TRIGGER reports.search_report_no_delete BEFORE DELETE ON search_report "
    "BEGIN SELECT RAISE(ABORT, 'search_report is append-only'); END;"
    REPORT_TREE;

/* Version 1 to 2: the tree (its leaves for the reports already kept are
 * added by store/report.c in the same transaction) and the keys by
 * segment, the keys of version 1 moved into them (store/report.c). */
const char pl_sql_report_v2[] =
    "ALTER TABLE reports.search_report ADD COLUMN checkpoint INTEGER "
    "CHECK (checkpoint >= number);"
    REPORT_TREE
    REPORT_KEYS
    "INSERT INTO reports.report_key_recent (number, what, key) "
    "  SELECT number, 1, party FROM reports.search_report_party"
    "  UNION ALL SELECT number, 2, registration FROM reports.search_report_result"
    "  ORDER BY 1;"
    "DROP TABLE reports.search_report_party;"
    "DROP TABLE reports.search_report_result;";

/* Version 2 to 3: a group's rows are written as it gathers (above). */
const char pl_sql_report_v3[] =
    "DROP TRIGGER reports.search_report_no_update;"
    REPORT_NO_UPDATE;
