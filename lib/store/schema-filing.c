#include "store/schema.h"

/* 9: the keys of bulk filings (workflow/bulk-flow.c).  A pledgee that
 * files a batch under a key of its own and does not hear the answer
 * files it again under the same key: the registry answers with what the
 * first filing registered instead of registering it twice.  One row per
 * (actor, key): the SHA-256 of the batch's documents (a key reused for
 * other documents is refused) and the UUIDs of its applications, in
 * order (a JSON array).  Written by the journal event "filing.key", in
 * the batch's own transaction. */
const char pl_sql_filing[] =
    "CREATE TABLE filing_key ("
    "  actor TEXT NOT NULL,"
    "  key TEXT NOT NULL,"
    "  digest TEXT NOT NULL,"
    "  applications TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  journal_seq INTEGER NOT NULL,"
    "  PRIMARY KEY (actor, key)"
    ") STRICT;";

/* 10: the applications an actor filed, by state, in the order they were
 * saved (the rowid ends the index): an applicant lists its own
 * (pledger_application_list) without reading every application of the
 * registry.  An index only: a handle that cannot migrate reads the list
 * the slower way without it. */
const char pl_sql_app_filer[] =
    "CREATE INDEX IF NOT EXISTS application_created_by ON application(created_by, state);";

/* 11: the applications naming a right, in the order they were made (the
 * application's id ends the index): the review's "other pending
 * applications on the same right" reads the oldest two and stops,
 * however many name it -- an office importing thousands of items on one
 * receivable read every earlier one for each (quadratic).  An index
 * only: a handle that cannot migrate reads them the slower way. */
const char pl_sql_right_apps[] =
    "CREATE INDEX IF NOT EXISTS application_right_app ON application_right(right_key, "
    "application_id);";

/* 12: the keys of receivables made again.  A receivable's key named its
 * first-listed debtor and its contract number with only case and spaces
 * folded, so the same receivable filed with its debtors in another order,
 * or its contract number typed with another dash, was not found as the
 * same right.  The key now names the debtor whose identifier sorts first
 * and folds the dashes (model/app-extract.c).  SQL cannot make keys from
 * documents: this marks a registry that holds receivables, and the first
 * handle that opens it for writing journals a "registry.rekey" event with
 * every key that changes (workflow/rekey.c), which also clears the mark.
 * The mark is the store's own note, not the registry's state (no event
 * writes it and the replay has none).  A handle that cannot migrate reads
 * the old keys. */
/* Also the debtors of each receivable pledged, by identifier: a search
 * by a debtor finds a receivable of several debtors by any of them (its
 * key names one).  Registration events write them; the "registry.rekey"
 * event writes them for the pledges registered before. */
const char pl_sql_rekey[] =
    "CREATE TABLE IF NOT EXISTS pledge_debtor ("
    "  pledge_id INTEGER NOT NULL REFERENCES pledge(id),"
    "  idx INTEGER NOT NULL,"
    "  debtor TEXT NOT NULL,"
    "  PRIMARY KEY (pledge_id, idx, debtor)"
    ") STRICT;"
    "CREATE INDEX IF NOT EXISTS pledge_debtor_debtor ON pledge_debtor(debtor, pledge_id);"
    "CREATE TABLE IF NOT EXISTS upgrade_pending ("
    "  name TEXT PRIMARY KEY"
    ") STRICT;"
    "INSERT OR IGNORE INTO upgrade_pending(name) SELECT 'right_keys'"
    " WHERE EXISTS (SELECT 1 FROM application WHERE kind = 3);";
