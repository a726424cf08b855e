#include "store/schema.h"

/* The journal as a Merkle tree (RFC 9162 hashing, store/journal.c): the
 * hash of every complete subtree, written once when its last event is
 * appended, so a root or a proof is O(log n) reads; and the checkpoints
 * the registry signed (the signed note, as handed out).  Append-only like
 * the journal. */
const char pl_sql_log[] =
    "CREATE TABLE journal_node ("
    "  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 63),"
    "  idx INTEGER NOT NULL CHECK (idx >= 0),"
    "  hash BLOB NOT NULL CHECK (length(hash) = 32),"
    "  PRIMARY KEY (level, idx)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TRIGGER journal_node_no_update BEFORE UPDATE ON journal_node "
    "BEGIN SELECT RAISE(ABORT, 'journal_node is append-only'); END;"
    "CREATE TRIGGER journal_node_no_delete BEFORE DELETE ON journal_node "
    "BEGIN SELECT RAISE(ABORT, 'journal_node is append-only'); END;"
    "CREATE TABLE checkpoint ("
    "  size INTEGER NOT NULL CHECK (size >= 0),"
    "  signed_at INTEGER NOT NULL,"
    "  note TEXT NOT NULL,"
    "  PRIMARY KEY (size, signed_at)"
    ") STRICT;";
