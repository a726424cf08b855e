#include "store/schema.h"

/* The journal as a Merkle tree (RFC 9162 hashing, store/journal.c): the
 * hash of every complete subtree, written once when its last event is
 * appended, so a root or a proof is O(log n) reads; and the checkpoints
 * the registry signed (the signed note, as handed out).  Append-only like
 * the journal.
 *
 * A node's key is its position in the order nodes are made (post-order:
 * a leaf, then the subtrees it completes), so each append writes at the
 * table's right end -- one b-tree page per commit, not one per level --
 * and the full check reads the table front to back.  Level and index are
 * kept beside it for people and for that check. */
const char pl_sql_log[] =
    "CREATE TABLE journal_node ("
    "  pos INTEGER PRIMARY KEY CHECK (pos >= 0),"
    "  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 63),"
    "  idx INTEGER NOT NULL CHECK (idx >= 0),"
    "  hash BLOB NOT NULL CHECK (length(hash) = 32)"
    ") STRICT;"
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
