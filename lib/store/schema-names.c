#include "store/schema.h"
#include "store/sqlite.h"

#include <stdlib.h>
#include <string.h>

#include "base/text.h"

/* The name index of similar-name search (query/search.c): one row per
 * party (side 1 the pledgor, 2 the pledgee) of every pledge version, with
 * the name's similar-name key (pl_text_name_core) and whether the name is
 * a branch's, kept by triggers from pledge_version itself -- so every
 * path that writes a version (the workflow, a journal replay, the
 * migration that builds the index for an existing registry) fills it.
 * party_name_core finds equal keys; party_name_tail2 and _tail3 the keys
 * that end in the key searched for after 2 or 3 more characters (a place
 * the key does not know: "晋江闽江食品" for "闽江食品"), by equality too.
 *
 * Not an FTS5 trigram index: a phrase query must intersect the posting
 * lists of every trigram of the key, and keys share common ones ("有限公",
 * "科技有" when a name has something after its legal form), so a search
 * cost milliseconds of CPU at 100,000 pledges where an equality lookup
 * costs microseconds; what the search needs of "contains" is "ends in,
 * after 2 or 3 characters", which these indexes answer exactly. */
const char pl_sql_names[] =
    "CREATE TABLE party_name ("
    "  id INTEGER PRIMARY KEY,"
    "  pledge_id INTEGER NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  side INTEGER NOT NULL CHECK (side = 1 OR side = 2),"
    "  core TEXT NOT NULL,"
    "  branch INTEGER NOT NULL CHECK (branch IN (0, 1)),"
    "  UNIQUE (pledge_id, version, side)"
    ") STRICT;"
    "CREATE INDEX party_name_core ON party_name(core);"
    "CREATE INDEX party_name_tail2 ON party_name(substr(core, 3)) WHERE length(core) >= 6;"
    "CREATE INDEX party_name_tail3 ON party_name(substr(core, 4)) WHERE length(core) >= 7;"
    "CREATE TRIGGER pledge_version_name_insert AFTER INSERT ON pledge_version BEGIN"
    "  INSERT INTO party_name(pledge_id, version, side, core, branch) VALUES"
    "    (new.pledge_id, new.version, 1, pl_name_core(new.pledgor_name),"
    "     pl_name_branch(new.pledgor_name)),"
    "    (new.pledge_id, new.version, 2, pl_name_core(new.pledgee_name),"
    "     pl_name_branch(new.pledgee_name));"
    "END;"
    "CREATE TRIGGER pledge_version_name_delete AFTER DELETE ON pledge_version BEGIN"
    "  DELETE FROM party_name WHERE pledge_id = old.pledge_id AND version = old.version;"
    "END;"
    /* the versions already registered */
    "INSERT INTO party_name(pledge_id, version, side, core, branch)"
    "  SELECT pledge_id, version, 1, pl_name_core(pledgor_name), pl_name_branch(pledgor_name)"
    "  FROM pledge_version"
    "  UNION ALL"
    "  SELECT pledge_id, version, 2, pl_name_core(pledgee_name), pl_name_branch(pledgee_name)"
    "  FROM pledge_version;";

/* pl_name_core(name) and pl_name_branch(name): pl_text_name_core()'s key
 * and branch flag (1/0); NULL for a NULL name, an error for a name that is
 * not UTF-8. */
static void name_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const unsigned char *name = sqlite3_value_text(argv[0]);
    bool branch = false;
    char *core;

    (void)argc;
    if (!name) {
        if (sqlite3_value_type(argv[0]) != SQLITE_NULL)
            sqlite3_result_error_nomem(ctx);
        return;
    }
    if (!(core = pl_text_name_core((const char *)name, &branch))) {
        if (pl_utf8_valid((const char *)name, strlen((const char *)name)))
            sqlite3_result_error_nomem(ctx);
        else
            sqlite3_result_error(ctx, "pl_name_core: the name is not valid UTF-8", -1);
        return;
    }
    if (sqlite3_user_data(ctx))
        sqlite3_result_int(ctx, branch);
    else
        sqlite3_result_text(ctx, core, -1, SQLITE_TRANSIENT);
    free(core);
}

int pl_schema_functions(sqlite3 *h)
{
    static int branch_tag;
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    int rc = sqlite3_create_function_v2(h, "pl_name_core", 1, flags, NULL, name_fn, NULL, NULL,
                                        NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(h, "pl_name_branch", 1, flags, &branch_tag, name_fn,
                                        NULL, NULL, NULL);
    return rc;
}
