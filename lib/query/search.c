/* Search: one page of pledges in registration order (registration instant,
 * then id), read from the versions valid at an instant.
 *
 * Plans.  Each criterion that narrows the search has an index that drives
 * it (store/schema-query.c), and every other criterion is checked on the
 * rows it yields:
 *   right       pledge_right(kind, right_key): the few pledges of a right,
 *               sorted;
 *   party id    pledge_version(pledgor_id | pledgee_id, valid_from, pledge_id)
 *               over first versions: already in registration order (a
 *               first version's valid_from is the registration instant,
 *               and a party's identifier never changes between versions),
 *               so a page is read by walking the index from the
 *               continuation point — also for a bank with millions of
 *               pledges; "either party" merges the two walks;
 *   party name  the versions with that name key (pledge_version(pledgor_key
 *               | pledgee_key)), with that similar-name key
 *               (party_name(core)), or whose similar-name key ends in it
 *               after a place the key did not recognise (party_name(
 *               substr(core, 3 | 4))), or whose party's identifier the
 *               reference register gives an owner or a shareholder
 *               registered with that English name (ref_owner(name_en_key,
 *               id_number), ref_holding(shareholder_en_key, shareholder),
 *               then pledge_version(pledgor_id | pledgee_id)); sorted, then
 *               each hit's names are matched again in C (name_match(), and
 *               the version's English-name flags) and the rows that do not
 *               match at the version valid at the instant are skipped;
 *   kind        pledge(kind, registered_at), walked in order;
 *   otherwise   pledge(registered_at), walked in order.
 * Every statement fetches page_size + 1 rows: the extra one says whether
 * more hits follow. */
#include "query/query.h"
#include "store/sqlite.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/ident.h"
#include "base/text.h"
#include "query/mask.h"
#include "store/sql-states.h"

/* Bindings shared by every plan:
 *   ?1 the instant (INT64_MAX: current)   ?2 ?3 resume after (at, id)
 *   ?4 registered_at <= this              ?5 kind (0: any)
 *   ?6 state (0: any)                     ?8 party id
 *   ?10 ?11 right keys in [lo, hi)        ?12 side      ?13 row limit
 * and the party name plan's own:
 *   ?14 name key   ?15 similar-name key (NULL when empty)
 *   ?16 1 when the similar-name key has SUFFIX_MIN characters or more
 *   ?17 ?18 the similar-name key less its first 2 and 3 characters (NULL
 *       unless CJK characters and SUFFIX_MIN characters remain)
 *   ?19 the English-name key (pl_text_english_key; NULL when the name has
 *       no Latin letter) */
#define HIT_COLS                                                               \
    "p.id, p.registered_at, p.registration_number, p.kind, v.state, v.version," \
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
    " AND (?5 = 0 OR p.kind = ?5) AND (?6 = 0 OR v.state = ?6)"                \
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

/* The similar-name key of a hit may end in the one searched for after 2
 * or 3 more characters (a place not in the key's list of places:
 * "晋江闽江食品" for "闽江食品"), or the other way round, when the
 * shorter key has at least this many characters. */
#define SUFFIX_MIN 4

#define BY_PARTY(col, index)                                                   \
    "SELECT " HIT_COLS " FROM pledge_version f INDEXED BY " index              \
    " CROSS JOIN pledge p CROSS JOIN pledge_version v"                         \
    " WHERE f." col " = ?8 AND f.version = 1"                                  \
    " AND (f.valid_from, f.pledge_id) > (?2, ?3) AND f.valid_from <= ?4"       \
    " AND p.id = f.pledge_id" VALID_AT RESIDUAL                                \
    " ORDER BY f.valid_from, f.pledge_id LIMIT ?13"

static const char sql_pledgor[] = BY_PARTY("pledgor_id", "pledge_version_pledgor_first");
static const char sql_pledgee[] = BY_PARTY("pledgee_id", "pledge_version_pledgee_first");

/* ---- hits ------------------------------------------------------------------- */

static void hit_clear(pl_q_hit *h)
{
    free(h->number);
    free(h->pledgor_name);
    free(h->pledgor_id);
    free(h->pledgee_name);
    free(h->pledgee_id);
    free(h->currency);
    memset(h, 0, sizeof *h);
}

void pl_q_page_clear(pl_q_page *p)
{
    for (size_t i = 0; i < p->n; i++)
        hit_clear(&p->hits[i]);
    free(p->hits);
    memset(p, 0, sizeof *p);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return strdup(t ? t : "");
}

/* Exact when the folded name equals the folded query. */
static bool folded_equal(const char *name, const char *folded_query)
{
    char *f = pl_text_fold(name);
    bool eq = f && strcmp(f, folded_query) == 0;
    free(f);
    return eq;
}

static size_t utf8_chars(const char *s)
{
    size_t c = 0;
    for (; *s; s++)
        c += ((unsigned char)*s & 0xC0) != 0x80;
    return c;
}

/* True when @core ends in @q after 2 or 3 CJK characters (3 bytes each). */
static bool suffix_match(const char *core, const char *q)
{
    size_t n = strlen(core), k = strlen(q), extra;

    if (k > n || memcmp(core + n - k, q, k) != 0)
        return false;
    extra = n - k;
    if (extra != 6 && extra != 9)
        return false;
    for (size_t i = 0; i < extra; i += 3)
        if ((unsigned char)core[i] < 0xE3)
            return false;
    return true;
}

/* How party name @name (name key @key; @indexed its branch flag and
 * similar-name key from the name index, NULL when absent) matches the
 * search: PL_Q_NAME_*, NONE when it does not; -1 out of memory. */
static int name_match(const pl_q_search *s, const char *name, const char *key,
                      const char *indexed)
{
    char *computed = NULL;
    const char *core;
    bool branch = false;
    int m = PL_Q_NAME_NONE;

    if (!name || !key)
        return PL_Q_NAME_NONE;
    if (strcmp(key, s->name_key) == 0)
        return folded_equal(name, s->name_folded) ? PL_Q_NAME_EXACT : PL_Q_NAME_SIMILAR;
    if (!s->name_core)
        return PL_Q_NAME_NONE;
    if (indexed && (indexed[0] == '0' || indexed[0] == '1')) {
        branch = indexed[0] == '1';
        core = indexed + 1;
    } else if (!(core = computed = pl_text_name_core(name, &branch))) {
        return -1;
    }
    if (strcmp(core, s->name_core) == 0 ||
        (utf8_chars(s->name_core) >= SUFFIX_MIN && suffix_match(core, s->name_core)) ||
        (utf8_chars(core) >= SUFFIX_MIN && suffix_match(s->name_core, core)))
        m = branch && !s->name_branch ? PL_Q_NAME_BRANCH : PL_Q_NAME_SIMILAR;
    free(computed);
    return m;
}

/* The better of two matches: exact, similar, branch, none. */
static int better(int a, int b)
{
    static const int rank[] = { [PL_Q_NAME_NONE] = 0, [PL_Q_NAME_EXACT] = 3,
                                [PL_Q_NAME_SIMILAR] = 2, [PL_Q_NAME_BRANCH] = 1 };
    return rank[a] >= rank[b] ? a : b;
}

/* 0, or 1 when the row's names do not match the name searched for (no
 * hit); -1 out of memory. */
static int read_hit(sqlite3_stmt *st, const pl_q_search *s, pledger_role role, pl_q_hit *h)
{
    const char *pledgor_name = (const char *)sqlite3_column_text(st, 6);
    const char *pledgor_key = (const char *)sqlite3_column_text(st, 7);
    const char *pledgee_name = (const char *)sqlite3_column_text(st, 10);
    const char *pledgee_key = (const char *)sqlite3_column_text(st, 11);

    memset(h, 0, sizeof *h);
    if (s->name_key) {
        /* the party the identifier names, when one is given */
        const char *pledgor_id = (const char *)sqlite3_column_text(st, 9);
        const char *pledgee_id = (const char *)sqlite3_column_text(st, 13);
        int a = PL_Q_NAME_NONE, b = PL_Q_NAME_NONE;
        if (s->side != PL_Q_SIDE_PLEDGEE &&
            (!s->party_id || (pledgor_id && strcmp(pledgor_id, s->party_id) == 0))) {
            if ((a = name_match(s, pledgor_name, pledgor_key,
                                (const char *)sqlite3_column_text(st, 18))) < 0)
                return -1;
            /* the party the register knows under the English name searched for */
            if (sqlite3_column_int(st, 20))
                a = better(a, PL_Q_NAME_SIMILAR);
        }
        if (s->side != PL_Q_SIDE_PLEDGOR &&
            (!s->party_id || (pledgee_id && strcmp(pledgee_id, s->party_id) == 0))) {
            if ((b = name_match(s, pledgee_name, pledgee_key,
                                (const char *)sqlite3_column_text(st, 19))) < 0)
                return -1;
            if (sqlite3_column_int(st, 21))
                b = better(b, PL_Q_NAME_SIMILAR);
        }
        if ((h->name_match = better(a, b)) == PL_Q_NAME_NONE)
            return 1;
    }
    h->pledge_id = sqlite3_column_int64(st, 0);
    h->registered_at = sqlite3_column_int64(st, 1);
    h->kind = sqlite3_column_int(st, 3);
    h->state = sqlite3_column_int(st, 4);
    h->version = sqlite3_column_int(st, 5);
    h->amount = sqlite3_column_int64(st, 14);
    pl_date_format(sqlite3_column_int(st, 16), h->start);
    pl_date_format(sqlite3_column_int(st, 17), h->end);
    h->number = col_dup(st, 2);
    h->pledgor_name = col_dup(st, 6);
    h->pledgee_name = col_dup(st, 10);
    h->currency = col_dup(st, 15);
    h->pledgor_id = pl_mask_id((const char *)sqlite3_column_text(st, 8),
                               (const char *)sqlite3_column_text(st, 9), role);
    h->pledgee_id = pl_mask_id((const char *)sqlite3_column_text(st, 12),
                               (const char *)sqlite3_column_text(st, 13), role);
    if (!h->number || !h->pledgor_name || !h->pledgee_name || !h->currency || !h->pledgor_id ||
        !h->pledgee_id) {
        hit_clear(h);
        return -1;
    }
    return 0;
}

/* ---- running a plan ------------------------------------------------------------- */

typedef struct bounds {
    int64_t t;          /* ?1 */
    int64_t after_at;   /* ?2 */
    int64_t after_id;   /* ?3 */
    int64_t upper;      /* ?4 */
} bounds;

static void bind_all(sqlite3_stmt *st, const pl_q_search *s, const bounds *b, int limit)
{
    sqlite3_bind_int64(st, 1, b->t);
    sqlite3_bind_int64(st, 2, b->after_at);
    sqlite3_bind_int64(st, 3, b->after_id);
    sqlite3_bind_int64(st, 4, b->upper);
    sqlite3_bind_int(st, 5, s->kind);
    sqlite3_bind_int(st, 6, s->state);
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
    sqlite3_bind_int(st, 12, s->side);
    /* a name is matched in C, which may skip rows: no limit then */
    sqlite3_bind_int(st, 13, s->name_key ? -1 : limit);
}

/* Run @sql, appending up to @limit hits to @out (room allocated by the
 * caller). */
static int run(pl_db *db, pl_err *e, const char *sql, const pl_q_search *s, const bounds *b,
               int limit, pledger_role role, pl_q_hit *out, size_t *n)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql, &st);

    *n = 0;
    if (rc)
        return rc;
    bind_all(st, s, b, limit);
    while (*n < (size_t)limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int r = read_hit(st, s, role, &out[*n]);
        if (r < 0) {
            sqlite3_reset(st);
            return pl_err_oom(e);
        }
        if (r == 0)
            (*n)++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return pl_db_fail(db, e, rc, "searching pledges");
    return 0;
}

static int hit_cmp(const pl_q_hit *a, const pl_q_hit *b)
{
    if (a->registered_at != b->registered_at)
        return a->registered_at < b->registered_at ? -1 : 1;
    return a->pledge_id < b->pledge_id ? -1 : a->pledge_id > b->pledge_id;
}

/* Merge the two sorted lists @a and @b (each holding hits owned by them)
 * into @out, dropping duplicates, at most @limit; what is not moved is
 * freed. */
static size_t merge(pl_q_hit *a, size_t na, pl_q_hit *b, size_t nb, pl_q_hit *out, size_t limit)
{
    size_t i = 0, j = 0, n = 0;

    while (n < limit && (i < na || j < nb)) {
        int c = i == na ? 1 : j == nb ? -1 : hit_cmp(&a[i], &b[j]);
        if (c == 0) {
            hit_clear(&b[j++]);
            c = -1;
        }
        out[n++] = c < 0 ? a[i++] : b[j++];
    }
    while (i < na)
        hit_clear(&a[i++]);
    while (j < nb)
        hit_clear(&b[j++]);
    return n;
}

static int search_run(pl_db *db, pl_err *e, const pl_q_search *s, pledger_role role,
                      pl_q_page *out)
{
    int limit = s->page_size + 1, rc;
    pl_q_hit *hits, *other = NULL;
    size_t n = 0, n2 = 0;
    bounds b;

    memset(out, 0, sizeof *out);
    b.t = s->as_of == PL_Q_CURRENT ? INT64_MAX : s->as_of;
    b.upper = s->to_us < b.t ? s->to_us : b.t;
    /* Resume after (after_at, after_id), but not before from_us:
     * (registered_at, id) > (from_us, INT64_MIN) is registered_at >= from_us. */
    if (s->after_at < s->from_us) {
        b.after_at = s->from_us;
        b.after_id = INT64_MIN;
    } else {
        b.after_at = s->after_at;
        b.after_id = s->after_id;
    }
    if (!(hits = calloc((size_t)limit, sizeof *hits)))
        return pl_err_oom(e);
    if ((rc = pl_db_read_begin(db, e))) {
        free(hits);
        return rc;
    }
    if (s->right_lo) {
        rc = run(db, e, sql_right, s, &b, limit, role, hits, &n);
    } else if (s->party_id && s->side != PL_Q_SIDE_EITHER) {
        rc = run(db, e, s->side == PL_Q_SIDE_PLEDGOR ? sql_pledgor : sql_pledgee, s, &b, limit,
                 role, hits, &n);
    } else if (s->party_id) {
        pl_q_hit *first = calloc((size_t)limit, sizeof *first);
        other = calloc((size_t)limit, sizeof *other);
        size_t n1 = 0;
        if (!first || !other) {
            rc = pl_err_oom(e);
        } else if (!(rc = run(db, e, sql_pledgor, s, &b, limit, role, first, &n1)) &&
                   !(rc = run(db, e, sql_pledgee, s, &b, limit, role, other, &n2))) {
            n = merge(first, n1, other, n2, hits, (size_t)limit);
            n2 = 0;
        }
        for (size_t i = 0; i < n1 && rc; i++)
            hit_clear(&first[i]);
        free(first);
    } else if (s->name_key) {
        rc = run(db, e, sql_name, s, &b, limit, role, hits, &n);
    } else if (s->kind) {
        rc = run(db, e, sql_kind, s, &b, limit, role, hits, &n);
    } else {
        rc = run(db, e, sql_all, s, &b, limit, role, hits, &n);
    }
    pl_db_rollback(db);
    if (other) {
        for (size_t i = 0; i < n2; i++)
            hit_clear(&other[i]);
        free(other);
    }
    out->hits = hits;
    out->n = n;
    if (rc) {
        pl_q_page_clear(out);
        return rc;
    }
    if (n > (size_t)s->page_size) {
        hit_clear(&hits[n - 1]);
        out->n = n - 1;
        out->more = true;
    }
    return 0;
}

/* True when folded @s has an ASCII letter (full-width ones are folded). */
static bool has_latin(const char *s)
{
    for (; *s; s++)
        if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
            return true;
    return false;
}

/* The similar-name key of the name searched for, and the keys it finds. */
int pl_q_search_run(pl_db *db, pl_err *e, const pl_q_search *s, pledger_role role,
                    pl_q_page *out)
{
    pl_q_search q = *s;
    char *core = NULL, *en = NULL;
    int rc;

    if (s->name_key) {
        if (!(core = pl_text_name_core(s->name_folded, &q.name_branch))) {
            memset(out, 0, sizeof *out);
            return pl_err_oom(e);
        }
        q.name_core = core;
        q.name_long = utf8_chars(core) >= SUFFIX_MIN;
        /* "晋江闽江食品" -> "闽江食品", "福清市闽江食品" -> "闽江食品" */
        for (size_t k = 2; k <= 3; k++) {
            const char *rest = core + 3 * k;
            if (strlen(core) >= 3 * k && suffix_match(core, rest) &&
                utf8_chars(rest) >= SUFFIX_MIN)
                q.name_shorter[k - 2] = rest;
        }
        /* an English name: the owners the register knows under it */
        if (has_latin(s->name_folded)) {
            if (!(en = pl_text_english_key(s->name_folded))) {
                free(core);
                memset(out, 0, sizeof *out);
                return pl_err_oom(e);
            }
            if (*en)
                q.name_en = en;
        }
    }
    rc = search_run(db, e, &q, role, out);
    free(core);
    free(en);
    return rc;
}

/* ---- criteria ------------------------------------------------------------------- */

int pl_q_party_id(pl_err *e, const char *in, char *out, size_t size)
{
    static const pledger_id_type long_types[] = { PLEDGER_ID_USCC, PLEDGER_ID_RESIDENT };
    static const pledger_id_type short_types[] = { PLEDGER_ID_PASSPORT,
                                                   PLEDGER_ID_FOREIGN_REG };
    char *n = pl_text_normalize_id(in);
    pl_err ignored;
    bool is18;

    if (!n)
        return pl_utf8_valid(in, strlen(in))
                   ? pl_err_oom(e)
                   : pl_err_set(e, PLEDGER_EINVAL, "the party identifier is not valid UTF-8");
    is18 = strlen(n) == 18;
    free(n);
    const pledger_id_type *types = is18 ? long_types : short_types;
    for (int i = 0; i < 2; i++)
        if (pl_ident_normalize(&ignored, types[i], in, INT32_MAX, out, size) == 0)
            return 0;
    if (is18)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "an 18-character party identifier must be a valid USCC or resident "
                          "identity number (check character and date of birth); this one is "
                          "neither");
    return pl_err_set(e, PLEDGER_EINVAL,
                      "the party identifier is not a USCC, resident identity, passport or "
                      "foreign registration number");
}

/* [key, key + "\x01"): exactly @key (keys hold no control characters). */
static int exact_range(pl_err *e, const char *key, char **lo, char **hi)
{
    size_t n = strlen(key);
    *lo = strdup(key);
    *hi = malloc(n + 2);
    if (!*lo || !*hi) {
        free(*lo);
        free(*hi);
        *lo = *hi = NULL;
        return pl_err_oom(e);
    }
    memcpy(*hi, key, n);
    (*hi)[n] = '\x01';
    (*hi)[n + 1] = '\0';
    return 0;
}

/* ["<prefix>/", "<prefix>0"): every key starting "<prefix>/". */
static int prefix_range(pl_err *e, const char *prefix, char **lo, char **hi)
{
    *hi = NULL;
    if (asprintf(lo, "%s/", prefix) < 0 || asprintf(hi, "%s0", prefix) < 0) {
        free(*hi);
        *lo = *hi = NULL;
        return pl_err_oom(e);
    }
    return 0;
}

#define ID_MAX 128

/* "<a>/<b>" or "<a>": the part before the first '/' in @a_out (malloc'd),
 * the rest (NULL when no '/') in @b_out. */
static int split(pl_err *e, const char *in, char **a_out, char **b_out)
{
    const char *slash = strchr(in, '/');
    *b_out = NULL;
    *a_out = slash ? strndup(in, (size_t)(slash - in)) : strdup(in);
    if (!*a_out || (slash && !(*b_out = strdup(slash + 1)))) {
        free(*a_out);
        *a_out = NULL;
        return pl_err_oom(e);
    }
    return 0;
}

static int right_composite(pl_err *e, int kind, const char *in, char **lo, char **hi)
{
    char first[ID_MAX], second[ID_MAX], *a = NULL, *b = NULL, *key = NULL;
    int rc;

    if ((rc = split(e, in, &a, &b)))
        return rc;
    if (kind == PLEDGER_KIND_EQUITY) {
        if ((rc = pl_ident_normalize(e, PLEDGER_ID_USCC, a, INT32_MAX, first, sizeof first))) {
            pl_err_prefix(e, "the company's USCC");
            goto done;
        }
        if (b && (rc = pl_q_party_id(e, b, second, sizeof second))) {
            pl_err_prefix(e, "the pledgor's identifier");
            goto done;
        }
    } else {
        if ((rc = pl_q_party_id(e, a, first, sizeof first))) {
            pl_err_prefix(e, "the debtor's identifier");
            goto done;
        }
        if (b) {
            char *c = pl_text_normalize_id(b);
            if (!c) {
                rc = pl_err_oom(e);
                goto done;
            }
            if (!*c || strlen(c) >= sizeof second) {
                free(c);
                rc = pl_err_set(e, PLEDGER_EINVAL,
                                "the contract number after '/' is empty or too long");
                goto done;
            }
            strcpy(second, c);
            free(c);
        }
    }
    if (!b) {
        rc = prefix_range(e, first, lo, hi);
    } else if (asprintf(&key, "%s/%s", first, second) < 0) {
        key = NULL;
        rc = pl_err_oom(e);
    } else {
        rc = exact_range(e, key, lo, hi);
    }
done:
    free(a);
    free(b);
    free(key);
    return rc;
}

/* "desc:" + 64 hex digits (any case): the key of a receivable that has no
 * debtor identifier and contract number. */
static int right_desc(pl_err *e, const char *in, char **lo, char **hi)
{
    char key[5 + 64 + 1] = "desc:";
    const char *hex = in + 5;

    if (strlen(hex) != 64)
        return pl_err_set(e, PLEDGER_EINVAL, "'desc:' must be followed by 64 hex digits");
    for (size_t i = 0; i < 64; i++) {
        char c = hex[i];
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return pl_err_set(e, PLEDGER_EINVAL, "'desc:' must be followed by 64 hex digits");
        key[5 + i] = c;
    }
    key[69] = '\0';
    return exact_range(e, key, lo, hi);
}

int pl_q_right_range(pl_err *e, int kind, const char *in, char **lo, char **hi)
{
    char norm[ID_MAX];
    pledger_id_type type;

    *lo = *hi = NULL;
    switch (kind) {
    case PLEDGER_KIND_TRADEMARK: type = PLEDGER_ID_TRADEMARK; break;
    case PLEDGER_KIND_PATENT: type = PLEDGER_ID_PATENT; break;
    case PLEDGER_KIND_EMISSION: type = PLEDGER_ID_PERMIT; break;
    case PLEDGER_KIND_SEA_AREA:
    case PLEDGER_KIND_LAND: type = PLEDGER_ID_CERTIFICATE; break;
    case PLEDGER_KIND_EQUITY: return right_composite(e, kind, in, lo, hi);
    case PLEDGER_KIND_RECEIVABLE:
        if (strncmp(in, "desc:", 5) == 0)
            return right_desc(e, in, lo, hi);
        return right_composite(e, kind, in, lo, hi);
    default:
        return pl_err_set(e, PLEDGER_EINVAL, "%d is not a right kind", kind);
    }
    if (pl_ident_normalize(e, type, in, INT32_MAX, norm, sizeof norm))
        return PLEDGER_EINVAL;
    return exact_range(e, norm, lo, hi);
}

/* ---- continuation tokens ------------------------------------------------------------- */

void pl_q_token_format(int64_t at, int64_t id, char out[PL_Q_TOKEN_MAX])
{
    snprintf(out, PL_Q_TOKEN_MAX, "1.%" PRId64 ".%" PRId64, at, id);
}

static bool parse_i64(const char *s, const char **end, int64_t *out)
{
    char *e;
    if (!((*s >= '0' && *s <= '9') || *s == '-'))
        return false;
    errno = 0;
    long long v = strtoll(s, &e, 10);
    if (errno || e == s || (e - s > 1 && (s[0] == '0' || (s[0] == '-' && s[1] == '0'))))
        return false;
    *out = (int64_t)v;
    *end = e;
    return true;
}

int pl_q_token_parse(pl_err *e, const char *token, int64_t *at, int64_t *id)
{
    const char *p = token;

    if (strncmp(p, "1.", 2) == 0 && parse_i64(p + 2, &p, at) && *p == '.' &&
        parse_i64(p + 1, &p, id) && *p == '\0' && *id >= 1)
        return 0;
    return pl_err_set(e, PLEDGER_EINVAL,
                      "is not a continuation token returned by pledger_cursor_continuation()");
}
