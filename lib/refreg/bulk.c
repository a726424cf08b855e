/* The connection's settings during an import: see bulk.h. */
#include "refreg/bulk.h"
#include "store/sqlite.h"

#include <stdio.h>

static int pragma_int(pl_db *db, pl_err *e, const char *sql, int *out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(pl_db_handle(db), sql, -1, &st, NULL);

    if (rc != SQLITE_OK)
        return pl_db_fail(db, e, rc, "reading the connection's settings");
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : pl_db_fail(db, e, rc, "reading the connection's settings");
}

int pl_refreg_bulk_begin(pl_db *db, pl_err *e, pl_refreg_bulk *b)
{
    char sql[64];
    int rc;

    b->saved = false;
    if ((rc = pragma_int(db, e, "PRAGMA temp_store", &b->temp_store)) ||
        (rc = pragma_int(db, e, "PRAGMA cache_size", &b->cache_size)))
        return rc;
    b->saved = true;
    /* a negative size is in KiB, a positive one in pages: keep a larger one */
    if (b->cache_size > -PL_REFREG_BULK_CACHE_KIB) {
        snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", PL_REFREG_BULK_CACHE_KIB);
        if ((rc = pl_db_exec(db, e, sql)))
            return rc;
    }
    return b->temp_store == 2 ? 0 : pl_db_exec(db, e, "PRAGMA temp_store = MEMORY");
}

void pl_refreg_bulk_end(pl_db *db, pl_refreg_bulk *b)
{
    char sql[64];
    pl_err ignore = { 0 };

    if (!b->saved)
        return;
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", b->cache_size);
    pl_db_exec(db, &ignore, sql);
    if (b->temp_store != 2) {
        snprintf(sql, sizeof sql, "PRAGMA temp_store = %d", b->temp_store);
        pl_db_exec(db, &ignore, sql);
    }
    b->saved = false;
}
