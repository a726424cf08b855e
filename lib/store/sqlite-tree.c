/* A Merkle tree's complete subtrees in a table keyed by their post-order
 * position (pl_merkle_node_pos()), and the checkpoints signed over it:
 * the journal's (journal_node, checkpoint) and the search reports'
 * (reports.report_node, reports.report_checkpoint) are such tables. */
#include "store/sqlite.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"

/* A failure of SQLite's, named "<tree>: <doing>" (journal: reading the
 * tree), the translation made of the two parts' own. */
static int tree_fail(pl_db *db, pl_err *e, int rc, const char *what, const char *doing)
{
    char where[96], local[288];
    snprintf(where, sizeof where, "%s: %s", what, doing);
    snprintf(local, sizeof local, "%s: %s", pl_tr(what), pl_tr(doing));
    return pl_db_fail(db, e, rc, pl_frag_pair(where, local));
}

int pl_sq_node_get(pl_db *db, pl_err *e, const char *sql, const char *what, unsigned level,
                   uint64_t index, pl_mhash *out)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql, &st);

    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, (int64_t)pl_merkle_node_pos(level, index));
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == PL_MERKLE_HASH) {
        memcpy(out->h, sqlite3_column_blob(st, 0), PL_MERKLE_HASH);
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return pl_err_set(e, PLEDGER_ECORRUPT,
                          "%s: the tree's node (level %u, index %" PRIu64 ") is missing or "
                          "damaged", what, level, index);
    return tree_fail(db, e, rc, what, N_("reading the tree"));
}

int pl_sq_node_put(pl_db *db, pl_err *e, const char *sql, const char *what, unsigned level,
                   uint64_t index, const pl_mhash *h)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql, &st);

    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, (int64_t)pl_merkle_node_pos(level, index));
    sqlite3_bind_int(st, 2, (int)level);
    sqlite3_bind_int64(st, 3, (int64_t)index);
    sqlite3_bind_blob(st, 4, h->h, PL_MERKLE_HASH, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : tree_fail(db, e, rc, what, N_("writing the tree"));
}

int pl_sq_checkpoint_put(pl_db *db, pl_err *e, const char *sql, const char *what, uint64_t size,
                         int64_t at, const char *note)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql, &st);

    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, (int64_t)size);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, what);
}
