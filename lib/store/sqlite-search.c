/* The SQLite backend's search plans (store/ops-query.h).
 *
 * Each plan is driven by an index of store/schema-query.c, and every other
 * criterion is checked on the rows it yields:
 *   right       pledge_right(kind, right_key): the few pledges of a right,
 *               sorted;
 *   party id    pledge_version(pledgor_id | pledgee_id, valid_from, pledge_id)
 *               over first versions: already in registration order (a
 *               first version's valid_from is the registration instant,
 *               and a party's identifier never changes between versions),
 *               so a page is read by walking the index from the
 *               continuation point;
 *   party name  the versions with that name key (pledge_version(pledgor_key
 *               | pledgee_key)), with that similar-name key
 *               (party_name(core)), or whose similar-name key ends in it
 *               after a place the key did not recognise (party_name(
 *               substr(core, 3 | 4))), or whose party's identifier the
 *               reference register gives an owner or a shareholder
 *               registered with that English name (ref_owner(name_en_key,
 *               id_number), ref_holding(shareholder_en_key, shareholder),
 *               then pledge_version(pledgor_id | pledgee_id)); sorted;
 *   debtor      pledge_debtor(debtor, pledge_id): a receivable by any of its
 *               debtors (its key names one), sorted;
 *   kind        pledge(kind, registered_at), walked in order;
 *   otherwise   pledge(registered_at), walked in order. */
#include "store/sqlite-search.h"
#include "store/sql-states.h"
#include "store/sqlite.h"

/* Bindings shared by every plan:
 *   ?1 the instant (INT64_MAX: current)   ?2 ?3 resume after (at, id)
 *   ?4 registered_at <= this              ?5 kind (0: any)
 *   ?6 state (0: any) on the date ?20     ?8 party id
 *   ?10 ?11 right keys in [lo, hi)        ?12 side      ?13 row limit
 *   ?21 ?22 the debtor plan's debtor and contract number (NULL: any)
 * and the party name plan's own:
 *   ?14 name key   ?15 similar-name key (NULL when empty)
 *   ?16 1 when the similar-name key has SUFFIX_MIN characters or more
 *   ?17 ?18 the similar-name key less its first 2 and 3 characters (NULL
 *       unless CJK characters and SUFFIX_MIN characters remain)
 *   ?19 the English-name key (pl_text_english_key; NULL when the name has
 *       no Latin letter) */
#define HIT_COLS                                                               \
    "p.id, p.registered_at, p.registration_number, p.kind,"                    \
    PL_SQL_STATE_ON("v.", "?20") ", v.version,"                                \
    " v.pledgor_name, v.pledgor_key, v.pledgor_id_type, v.pledgor_id,"         \
    " v.pledgee_name, v.pledgee_key, v.pledgee_id_type, v.pledgee_id,"         \
    " v.amount, v.currency, v.period_start, v.period_end," NAME_INDEX(1) ","   \
    NAME_INDEX(2) "," NAME_EN("pledgor") "," NAME_EN("pledgee")

/* With a name searched for (?14), the branch flag and similar-name key of
 * the version's party on @side as the name index holds them ("0闽江食品"):
 * read by the index's primary key instead of computed again per hit. */
#define NAME_INDEX(side)                                                       \
    " CASE WHEN ?14 IS NULL THEN NULL ELSE (SELECT n.branch || n.core"          \
    " FROM party_name n WHERE n.pledge_id = v.pledge_id"                        \
    " AND n.version = v.version AND n.side = " #side ") END"

/* With an English name searched for (?19), 1 when the reference register
 * has an owner or a shareholder registered with that English name and
 * the identifier (and type) of the version's @party; read from the
 * indexes ref_owner_en and ref_holding_en alone. */
#define ID_TYPE_NUMBER(col)                                                    \
    " CASE " col " WHEN 'uscc' THEN 1 WHEN 'resident' THEN 2"                  \
    " WHEN 'passport' THEN 3 WHEN 'foreign_reg' THEN 4 END"
#define NAME_EN(party)                                                         \
    " CASE WHEN ?19 IS NULL THEN 0 ELSE EXISTS (SELECT 1 FROM ref_owner o"      \
    " WHERE o.name_en_key = ?19 AND o.id_number = v." party "_id"               \
    " AND o.id_type =" ID_TYPE_NUMBER("v." party "_id_type") ")"                \
    " OR EXISTS (SELECT 1 FROM ref_holding h WHERE h.shareholder_en_key = ?19"  \
    " AND h.shareholder = v." party "_id AND h.shareholder_type ="              \
    ID_TYPE_NUMBER("v." party "_id_type") ") END"

#define VALID_AT " AND v.pledge_id = p.id AND " PL_SQL_VALID_AT("v.", "?1")

/* The party name is not here: it is matched in C (read_hit()). */
#define RESIDUAL                                                               \
    " AND (?5 = 0 OR p.kind = ?5)"                                             \
    " AND (?6 = 0 OR " PL_SQL_STATE_ON("v.", "?20") " = ?6)"                   \
    " AND ((?12 <> 2 AND (?8 IS NULL OR v.pledgor_id = ?8))"                   \
    "   OR (?12 <> 1 AND (?8 IS NULL OR v.pledgee_id = ?8)))"

#define KEYSET " AND (p.registered_at, p.id) > (?2, ?3) AND p.registered_at <= ?4"

#define ORDER " ORDER BY p.registered_at, p.id LIMIT ?13"

static const char sql_all[] =
    "SELECT " HIT_COLS " FROM pledge p CROSS JOIN pledge_version v"
    " WHERE 1" KEYSET VALID_AT RESIDUAL ORDER;

static const char sql_kind[] =
    "SELECT " HIT_COLS " FROM pledge p INDEXED BY pledge_kind_registered"
    " CROSS JOIN pledge_version v"
    " WHERE p.kind = ?5" KEYSET VALID_AT RESIDUAL ORDER;

/* Driven by the matching rights themselves; a pledge with several rights
 * in the range is listed once, by its first one (the NOT EXISTS reads the
 * pledge's earlier rights by primary key).  Not "p.id IN (SELECT ...)":
 * that builds a temporary b-tree on every execution, which cost more than
 * the rest of a one-hit search (tests/bench, README "Performance"). */
static const char sql_right[] =
    "SELECT " HIT_COLS " FROM pledge_right r CROSS JOIN pledge p CROSS JOIN pledge_version v"
    " WHERE r.kind = ?5 AND r.right_key >= ?10 AND r.right_key < ?11 AND p.id = r.pledge_id"
    " AND NOT EXISTS (SELECT 1 FROM pledge_right r2 WHERE r2.pledge_id = r.pledge_id"
    "   AND r2.idx < r.idx AND +r2.kind = r.kind AND +r2.right_key >= ?10"
    "   AND +r2.right_key < ?11)"
    KEYSET VALID_AT RESIDUAL " ORDER BY +p.registered_at, p.id LIMIT ?13";

/* A receivable by any of its debtors (pledge_debtor(debtor)), and its
 * contract number (?22: the part of the key after its first '/') when
 * given, or by its key in [?10, ?11) as the right plan finds it (a pledge
 * whose debtors the registry does not keep yet: one registered before,
 * until the first opening for writing keeps them); each pledge once,
 * however many of its rights match. */
static const char sql_debtor[] =
    "SELECT " HIT_COLS " FROM pledge p CROSS JOIN pledge_version v"
    " WHERE p.id IN (SELECT d.pledge_id FROM pledge_debtor d CROSS JOIN pledge_right r"
    "   WHERE d.debtor = ?21 AND r.pledge_id = d.pledge_id AND r.idx = d.idx"
    "   AND (?22 IS NULL OR substr(r.right_key, instr(r.right_key, '/') + 1) = ?22)"
    "   UNION SELECT pledge_id FROM pledge_right"
    "   WHERE kind = ?5 AND right_key >= ?10 AND right_key < ?11)"
    KEYSET VALID_AT RESIDUAL " ORDER BY +p.registered_at, p.id LIMIT ?13";

/* "?12 <> 3 - side" keeps the side asked for (1 pledgor, 2 pledgee). */
static const char sql_name[] =
    "SELECT " HIT_COLS " FROM pledge p CROSS JOIN pledge_version v"
    " WHERE p.id IN (SELECT pledge_id FROM pledge_version WHERE ?12 <> 2 AND pledgor_key = ?14"
    "   UNION ALL SELECT pledge_id FROM pledge_version WHERE ?12 <> 1 AND pledgee_key = ?14"
    "   UNION ALL SELECT pledge_id FROM party_name WHERE core IN (?15, ?17, ?18)"
    "     AND ?12 <> 3 - side"
    "   UNION ALL SELECT pledge_id FROM party_name WHERE ?16 AND substr(core, 3) = ?15"
    "     AND length(core) >= 6 AND ?12 <> 3 - side"
    "   UNION ALL SELECT pledge_id FROM party_name WHERE ?16 AND substr(core, 4) = ?15"
    "     AND length(core) >= 7 AND ?12 <> 3 - side"
    "   UNION ALL SELECT f.pledge_id FROM ref_owner o CROSS JOIN pledge_version f"
    "     WHERE o.name_en_key = ?19 AND ?12 <> 2 AND f.pledgor_id = o.id_number"
    "   UNION ALL SELECT f.pledge_id FROM ref_owner o CROSS JOIN pledge_version f"
    "     WHERE o.name_en_key = ?19 AND ?12 <> 1 AND f.pledgee_id = o.id_number"
    "   UNION ALL SELECT f.pledge_id FROM ref_holding h CROSS JOIN pledge_version f"
    "     WHERE h.shareholder_en_key = ?19 AND ?12 <> 2 AND f.pledgor_id = h.shareholder"
    "   UNION ALL SELECT f.pledge_id FROM ref_holding h CROSS JOIN pledge_version f"
    "     WHERE h.shareholder_en_key = ?19 AND ?12 <> 1 AND f.pledgee_id = h.shareholder)"
    KEYSET VALID_AT RESIDUAL " ORDER BY +p.registered_at, p.id LIMIT ?13";

#define BY_PARTY(col, index)                                                   \
    "SELECT " HIT_COLS " FROM pledge_version f INDEXED BY " index              \
    " CROSS JOIN pledge p CROSS JOIN pledge_version v"                         \
    " WHERE f." col " = ?8 AND f.version = 1"                                  \
    " AND (f.valid_from, f.pledge_id) > (?2, ?3) AND f.valid_from <= ?4"       \
    " AND p.id = f.pledge_id" VALID_AT RESIDUAL                                \
    " ORDER BY f.valid_from, f.pledge_id LIMIT ?13"

static const char sql_pledgor[] = BY_PARTY("pledgor_id", "pledge_version_pledgor_first");
static const char sql_pledgee[] = BY_PARTY("pledgee_id", "pledge_version_pledgee_first");

static const char *const plans[] = {
    [PL_SEARCH_ALL] = sql_all,         [PL_SEARCH_KIND] = sql_kind,
    [PL_SEARCH_RIGHT] = sql_right,     [PL_SEARCH_PLEDGOR] = sql_pledgor,
    [PL_SEARCH_PLEDGEE] = sql_pledgee, [PL_SEARCH_NAME] = sql_name,
    [PL_SEARCH_DEBTOR] = sql_debtor,
};
_Static_assert(sizeof plans / sizeof plans[0] == PL_SEARCH_DEBTOR + 1, "one statement a plan");

static void bind_all(pl_db *db, sqlite3_stmt *st, const pl_search_spec *s)
{
    sqlite3_bind_int64(st, 1, s->at == INT64_MIN ? INT64_MAX : s->at);
    sqlite3_bind_int64(st, 2, s->after_at);
    sqlite3_bind_int64(st, 3, s->after_id);
    sqlite3_bind_int64(st, 4, s->upper);
    sqlite3_bind_int(st, 5, s->kind);
    sqlite3_bind_int(st, 6, s->state);
    sqlite3_bind_int(st, 20, pl_db_day_of(db, s->at));
    if (s->party_id)
        sqlite3_bind_text(st, 8, s->party_id, -1, SQLITE_STATIC);
    if (s->name_key) {
        sqlite3_bind_text(st, 14, s->name_key, -1, SQLITE_STATIC);
        if (s->name_core && *s->name_core)
            sqlite3_bind_text(st, 15, s->name_core, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 16, s->name_long);
        for (int i = 0; i < 2; i++)
            if (s->name_shorter[i])
                sqlite3_bind_text(st, 17 + i, s->name_shorter[i], -1, SQLITE_STATIC);
        if (s->name_en)
            sqlite3_bind_text(st, 19, s->name_en, -1, SQLITE_STATIC);
    }
    if (s->right_lo) {
        sqlite3_bind_text(st, 10, s->right_lo, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 11, s->right_hi, -1, SQLITE_STATIC);
    }
    if (s->debtor) {
        sqlite3_bind_text(st, 21, s->debtor, -1, SQLITE_STATIC);
        if (s->contract)
            sqlite3_bind_text(st, 22, s->contract, -1, SQLITE_STATIC);
    }
    sqlite3_bind_int(st, 12, s->side);
    sqlite3_bind_int(st, 13, s->limit);
}

#define TEXT(i) ((const char *)sqlite3_column_text(st, (i)))

int pl_sqlite_search(pl_db *db, pl_err *e, pl_search_plan plan, const pl_search_spec *spec,
                     pl_search_row_fn row, void *arg)
{
    sqlite3_stmt *st;
    int rc;

    if ((unsigned)plan > PL_SEARCH_DEBTOR)
        return pl_err_set(e, PLEDGER_EINVAL, "search: unknown plan %d", (int)plan);
    /* a registry read before schema 12 (readable without it) keeps no
     * debtors: its receivables are found by their keys */
    if (plan == PL_SEARCH_DEBTOR &&
        sqlite3_table_column_metadata(pl_db_handle(db), "main", "pledge_debtor", NULL, NULL,
                                      NULL, NULL, NULL, NULL) != SQLITE_OK)
        plan = PL_SEARCH_RIGHT;
    if ((rc = pl_db_stmt(db, e, plans[plan], &st)))
        return rc;
    bind_all(db, st, spec);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pl_search_row r = {
            .pledge_id = sqlite3_column_int64(st, 0),
            .registered_at = sqlite3_column_int64(st, 1),
            .number = TEXT(2),
            .kind = sqlite3_column_int(st, 3),
            .state = sqlite3_column_int(st, 4),
            .version = sqlite3_column_int(st, 5),
            .pledgor_name = TEXT(6), .pledgor_key = TEXT(7),
            .pledgor_id_type = TEXT(8), .pledgor_id = TEXT(9),
            .pledgee_name = TEXT(10), .pledgee_key = TEXT(11),
            .pledgee_id_type = TEXT(12), .pledgee_id = TEXT(13),
            .amount = sqlite3_column_int64(st, 14),
            .currency = TEXT(15),
            .period_start = sqlite3_column_int(st, 16),
            .period_end = sqlite3_column_int(st, 17),
            .pledgor_core = TEXT(18), .pledgee_core = TEXT(19),
            .pledgor_en = sqlite3_column_int(st, 20) != 0,
            .pledgee_en = sqlite3_column_int(st, 21) != 0,
        };
        int r2 = r.number ? pl_sq_row_ok(e, PL_SQ_PLEDGE, r.number, &r.kind, &r.state) : 0;
        if (!r2)
            r2 = row(arg, e, &r);
        if (r2) {
            sqlite3_reset(st);
            return r2 < 0 ? r2 : 0;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "searching pledges");
}
