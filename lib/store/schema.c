#include "store/schema.h"

/* 1: the registry itself — settings, gap-free number sequences and the
 *    append-only, hash-chained journal. */
static const char m1_base[] =
    "CREATE TABLE meta ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ") STRICT;"
    "CREATE TABLE sequence ("
    "  name TEXT NOT NULL,"          /* e.g. 'acceptance', 'registration' */
    "  scope TEXT NOT NULL,"         /* e.g. office + year */
    "  next INTEGER NOT NULL CHECK (next >= 1),"
    "  PRIMARY KEY (name, scope)"
    ") STRICT;"
    "CREATE TABLE journal ("
    "  seq INTEGER PRIMARY KEY CHECK (seq >= 1),"
    "  at_us INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  role TEXT NOT NULL,"
    "  operation TEXT NOT NULL,"
    "  subject TEXT NOT NULL,"
    "  payload TEXT NOT NULL,"
    "  prev_hash BLOB NOT NULL,"
    "  hash BLOB NOT NULL"
    ") STRICT;"
    "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal "
    "BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;"
    "CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal "
    "BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;";

const pl_migration pl_migrations[] = {
    { "registry base: meta, sequences, journal", m1_base },
    { "applications, pledges, certificates, calendar", pl_sql_workflow },
    { "reference register of rights", pl_sql_register },
    { "indexes for verification and search", pl_sql_query },
    { "name index for similar-name search", pl_sql_names },
    { "registered English names of owners and shareholders", pl_sql_register_en },
    { "the journal's Merkle tree and signed checkpoints", pl_sql_log },
    { "sites and the data line: exchange batches, forwarded applications", pl_sql_exchange,
      "application", pl_sql_exchange_check_from, pl_sql_exchange_check_to },
    { "the keys of bulk filings", pl_sql_filing, .readable_before = true },
    { "applications by who filed them", pl_sql_app_filer, .readable_before = true },
    { "applications by the rights they name", pl_sql_right_apps, .readable_before = true },
    { "the keys of receivables made again (marked here, made by workflow/rekey.c)",
      pl_sql_rekey, .readable_before = true },
};

const int pl_migration_count =
    (int)(sizeof pl_migrations / sizeof pl_migrations[0]);
