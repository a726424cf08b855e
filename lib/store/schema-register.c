#include "store/schema.h"

/* The reference register of the underlying rights (lib/refreg/):
 * what the authorities know about each right, imported from their files
 * by pledger_register_import() and read by the review.
 *
 * ref_right holds one row per trademark, patent, discharge permit,
 * sea-area or land certificate (kind = pledger_kind), keyed by its
 * normalised number; ref_owner its owners (registrants, patentees,
 * holders) in the authority's order; ref_trademark, ref_trademark_class,
 * ref_trademark_group, ref_patent and ref_allowance what is particular to
 * a kind (ref_allowance: a permit's allowances; a sea-area or land
 * certificate's area, as the row of pollutant 'area').  ref_holding is the market regulator's table of shareholdings.
 * Dates are days since 1970-01-01, instants microseconds since the epoch,
 * money integer minor units.  digest is the SHA-256 of the record's
 * normalised content: a re-import compares it to decide between unchanged
 * and update.  changed_at is the instant of the import that last inserted
 * or changed the row. */
/* The CHECKs spell sets of three or more values as comparisons: SQLite
 * 3.40 builds a temporary b-tree for "x IN (a, b, c)" on every row it
 * checks, which was a third of a register import's time.  Files created
 * with the IN lists have the same constraints, only slower to check. */
const char pl_sql_register[] =
    "CREATE TABLE ref_right ("
    "  id INTEGER PRIMARY KEY,"
    "  kind INTEGER NOT NULL CHECK (kind = 1 OR kind = 2 OR kind BETWEEN 5 AND 7),"
    "  number TEXT NOT NULL CHECK (length(number) BETWEEN 1 AND 64),"
    "  status TEXT NOT NULL CHECK (status = 'registered' OR status = 'cancelled'"
    "    OR status = 'invalidated' OR status = 'expired' OR status = 'terminated'"
    "    OR status = 'not_granted' OR status = 'granted'),"
    "  valid_from INTEGER,"
    "  valid_to INTEGER CHECK (valid_to >= valid_from),"
    "  seized INTEGER NOT NULL CHECK (seized IN (0, 1)),"
    "  frozen INTEGER NOT NULL CHECK (frozen IN (0, 1)),"
    "  digest BLOB NOT NULL CHECK (length(digest) = 32),"
    "  changed_at INTEGER NOT NULL,"
    "  UNIQUE (kind, number)"
    ") STRICT;"

    "CREATE TABLE ref_owner ("
    "  right_id INTEGER NOT NULL REFERENCES ref_right(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL CHECK (pos >= 1),"
    "  name TEXT NOT NULL,"
    "  name_key TEXT NOT NULL,"
    "  id_type INTEGER NOT NULL CHECK (id_type BETWEEN 1 AND 4),"
    "  id_number TEXT NOT NULL,"
    "  PRIMARY KEY (right_id, pos)"
    ") STRICT, WITHOUT ROWID;"
    /* the rights of an owner (bundling rule, 'is the pledgor the owner') */
    "CREATE INDEX ref_owner_id ON ref_owner(id_number, id_type, right_id);"

    "CREATE TABLE ref_trademark ("
    "  right_id INTEGER PRIMARY KEY REFERENCES ref_right(id) ON DELETE CASCADE,"
    "  mark TEXT,"
    "  mark_key TEXT,"
    "  family TEXT"
    ") STRICT;"
    "CREATE INDEX ref_trademark_family ON ref_trademark(family) WHERE family IS NOT NULL;"
    "CREATE INDEX ref_trademark_mark ON ref_trademark(mark_key) WHERE mark_key IS NOT NULL;"

    "CREATE TABLE ref_trademark_class ("
    "  right_id INTEGER NOT NULL REFERENCES ref_right(id) ON DELETE CASCADE,"
    "  nice INTEGER NOT NULL CHECK (nice BETWEEN 1 AND 45),"
    "  PRIMARY KEY (right_id, nice)"
    ") STRICT, WITHOUT ROWID;"

    "CREATE TABLE ref_trademark_group ("
    "  right_id INTEGER NOT NULL REFERENCES ref_right(id) ON DELETE CASCADE,"
    "  code TEXT NOT NULL CHECK (length(code) = 4),"
    "  PRIMARY KEY (right_id, code)"
    ") STRICT, WITHOUT ROWID;"

    "CREATE TABLE ref_patent ("
    "  right_id INTEGER PRIMARY KEY REFERENCES ref_right(id) ON DELETE CASCADE,"
    "  patent_type INTEGER NOT NULL CHECK (patent_type BETWEEN 1 AND 3),"
    "  filing_date INTEGER NOT NULL,"
    "  grant_date INTEGER CHECK (grant_date >= filing_date),"
    "  fee_paid INTEGER NOT NULL CHECK (fee_paid IN (0, 1)),"
    "  invalidation_pending INTEGER NOT NULL CHECK (invalidation_pending IN (0, 1)),"
    "  suspended INTEGER NOT NULL CHECK (suspended IN (0, 1)),"
    "  twin TEXT"
    ") STRICT;"

    "CREATE TABLE ref_allowance ("
    "  right_id INTEGER NOT NULL REFERENCES ref_right(id) ON DELETE CASCADE,"
    "  pollutant TEXT NOT NULL,"
    "  amount_micro INTEGER NOT NULL CHECK (amount_micro >= 0),"
    "  unit TEXT NOT NULL,"
    "  PRIMARY KEY (right_id, pollutant)"
    ") STRICT, WITHOUT ROWID;"

    "CREATE TABLE ref_holding ("
    "  id INTEGER PRIMARY KEY,"
    "  company TEXT NOT NULL,"
    "  company_name TEXT,"
    "  shareholder_type INTEGER NOT NULL CHECK (shareholder_type BETWEEN 1 AND 4),"
    "  shareholder TEXT NOT NULL,"
    "  shareholder_name TEXT NOT NULL,"
    "  shareholder_key TEXT NOT NULL,"
    "  capital INTEGER NOT NULL CHECK (capital >= 0),"
    "  currency TEXT NOT NULL CHECK (length(currency) = 3),"
    "  frozen INTEGER NOT NULL CHECK (frozen IN (0, 1)),"
    "  digest BLOB NOT NULL CHECK (length(digest) = 32),"
    "  changed_at INTEGER NOT NULL,"
    "  UNIQUE (company, shareholder, shareholder_type)"
    ") STRICT;"
    "CREATE INDEX ref_holding_shareholder ON ref_holding(shareholder, shareholder_type);"

    /* Scratch space of one import, empty outside it: the records read so
     * far, so that a number given twice in one file is refused.  (A table
     * of the main database rather than a TEMP one, so that its pages stay
     * on disk whatever temp_store the SQLite build defaults to.) */
    "CREATE TABLE ref_import_seen ("
    "  kind INTEGER NOT NULL,"
    "  number TEXT NOT NULL,"
    "  line INTEGER NOT NULL,"
    "  PRIMARY KEY (kind, number)"
    ") STRICT, WITHOUT ROWID;";

/* Migration 6: the owner's and the shareholder's registered English name
 * (register.xsd, attribute name_en), NULL when the register gives none,
 * and its key (pl_text_english_key), under which a similar-name search
 * by an English name finds the owner's identifier (query/search.c).  The
 * indexes hold only the rows that have one, and end in the identifier so
 * that "is this party registered under this English name" is read from
 * the index alone. */
const char pl_sql_register_en[] =
    "ALTER TABLE ref_owner ADD COLUMN name_en TEXT;"
    "ALTER TABLE ref_owner ADD COLUMN name_en_key TEXT;"
    "ALTER TABLE ref_holding ADD COLUMN shareholder_name_en TEXT;"
    "ALTER TABLE ref_holding ADD COLUMN shareholder_en_key TEXT;"
    "CREATE INDEX ref_owner_en ON ref_owner(name_en_key, id_number, id_type)"
    "  WHERE name_en_key IS NOT NULL;"
    "CREATE INDEX ref_holding_en ON ref_holding(shareholder_en_key, shareholder,"
    "  shareholder_type) WHERE shareholder_en_key IS NOT NULL;";
