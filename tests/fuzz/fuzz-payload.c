/* Fuzz target: the journal payload reader (lib/store/payload.c), which
 * reads a journal event's JSON once so that applying the event does not
 * make SQLite parse it for every column.  A journal replayed by
 * pledger_journal_verify() may come from an altered file, so any text
 * reaches it.  Differential: whatever the reader takes as canonical JSON
 * SQLite must find valid too, and every plain value it read must be what
 * SQLite's ->> gives for the same path (the statements of store/apply.c
 * get one or the other); a name lookup finds the first member of that
 * name, as ->> does.  FUZZ_PAYLOAD_TRACE=1 in the environment prints each
 * member's path as it is checked (for reading a failing input). */
#include <sqlite3.h>

#include "fuzz.h"
#include "store/sqlite.h"
#include "store/payload.h"

static sqlite3 *db;
static sqlite3_stmt *st_valid, *st_get;

static void close_db(void)
{
    sqlite3_finalize(st_valid);
    sqlite3_finalize(st_get);
    sqlite3_close(db);
}

static void open_db(void)
{
    if (db)
        return;
    atexit(close_db);
    if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT json_valid(?1)", -1, &st_valid, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT ?1 ->> ?2", -1, &st_get, NULL) != SQLITE_OK)
        abort();
}

/* The JSON path of member @i ("$.a.b[2].c") and its name for
 * pl_payload_find ("a__b", only when no array lies on the way). */
static void path_of(const pl_payload *p, int i, char *path, size_t cap, char *name,
                    size_t ncap, int *by_name)
{
    int chain[PL_PAYLOAD_MAX_DEPTH + 2], n = 0;
    size_t k = 0, nk = 0;

    for (int j = i; j >= 0 && n < (int)(sizeof chain / sizeof chain[0]); j = p->m[j].parent)
        chain[n++] = j;
    *by_name = 1;
    k += (size_t)snprintf(path, cap, "$");
    name[0] = '\0';
    for (int c = n - 1; c >= 0 && k < cap; c--) {
        const pl_member *m = &p->m[chain[c]];
        if (m->key) {
            k += (size_t)snprintf(path + k, cap - k, ".%.*s", (int)m->klen, m->key);
            if (nk < ncap)
                nk += (size_t)snprintf(name + nk, ncap - nk, "%s%.*s", nk ? "__" : "",
                                       (int)m->klen, m->key);
        } else {
            /* its place among its parent's elements */
            int idx = 0;
            for (int j = m->parent + 1; j < chain[c]; j++)
                if (p->m[j].parent == m->parent)
                    idx++;
            k += (size_t)snprintf(path + k, cap - k, "[%d]", idx);
            *by_name = 0;
        }
    }
}

/* Whether member @i, or an object member on its way up, is a later
 * member of a name its object gives twice (->> finds the first). */
static int shadowed(const pl_payload *p, int i)
{
    for (int j = i; j >= 0; j = p->m[j].parent) {
        const pl_member *m = &p->m[j];
        char key[256];
        if (!m->key)
            continue;
        if (m->klen >= sizeof key)
            return 1;
        memcpy(key, m->key, m->klen);
        key[m->klen] = '\0';
        if (pl_payload_find(p, m->parent, key) != m)
            return 1;
    }
    return 0;
}

static void check_member(const pl_payload *p, int i)
{
    const pl_member *m = &p->m[i];
    char path[8192], name[8192];
    int by_name;

    if (shadowed(p, i))
        return;
    path_of(p, i, path, sizeof path, name, sizeof name, &by_name);
    /* the lookup by name that the statements use finds this member */
    if (getenv("FUZZ_PAYLOAD_TRACE"))
        fprintf(stderr, "%s (%s)\n", path, by_name ? name : "-");
    if (by_name)
        FUZZ_ASSERT(pl_payload_find(p, -1, name) == m);
    sqlite3_bind_text(st_get, 1, p->text, (int)(p->end - p->text), SQLITE_STATIC);
    sqlite3_bind_text(st_get, 2, path, -1, SQLITE_STATIC);
    FUZZ_ASSERT(sqlite3_step(st_get) == SQLITE_ROW);
    int type = sqlite3_column_type(st_get, 0);
    if (getenv("FUZZ_PAYLOAD_TRACE"))
        fprintf(stderr, "%s: type %d, sqlite %d\n", path, m->type, type);
    switch (m->type) {
    case PL_J_STR: {
        FUZZ_ASSERT(type == SQLITE_TEXT);
        FUZZ_ASSERT((size_t)sqlite3_column_bytes(st_get, 0) == m->vlen - 2);
        FUZZ_ASSERT(memcmp(sqlite3_column_text(st_get, 0), m->val + 1, m->vlen - 2) == 0);
        break;
    }
    case PL_J_ESC: {
        size_t len;
        char *s = pl_payload_unescape(m->val + 1, m->vlen - 2, &len);
        FUZZ_ASSERT(s != NULL);
        FUZZ_ASSERT(type == SQLITE_TEXT);
        FUZZ_ASSERT((size_t)sqlite3_column_bytes(st_get, 0) == len);
        FUZZ_ASSERT(memcmp(sqlite3_column_text(st_get, 0), s, len) == 0);
        sqlite3_free(s);
        break;
    }
    case PL_J_INT: {
        const char *d = m->val + (m->val[0] == '-');
        int64_t v = 0;
        while (*d >= '0' && *d <= '9')
            v = v * 10 + (*d++ - '0');
        if (m->val[0] == '-')
            v = -v;
        FUZZ_ASSERT(type == SQLITE_INTEGER);
        FUZZ_ASSERT(sqlite3_column_int64(st_get, 0) == v);
        break;
    }
    case PL_J_TRUE:
    case PL_J_FALSE:
        FUZZ_ASSERT(type == SQLITE_INTEGER);
        FUZZ_ASSERT(sqlite3_column_int(st_get, 0) == (m->type == PL_J_TRUE));
        break;
    case PL_J_NULL:
        FUZZ_ASSERT(type == SQLITE_NULL);
        break;
    default:
        break; /* objects, arrays, \u escapes, other numbers: read by SQLite */
    }
    sqlite3_reset(st_get);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    pl_payload *p = malloc(sizeof *p);

    FUZZ_ASSERT(p != NULL);
    open_db();
    pl_payload_read(p, text);
    if (p->plain) {
        sqlite3_bind_text(st_valid, 1, text, -1, SQLITE_STATIC);
        FUZZ_ASSERT(sqlite3_step(st_valid) == SQLITE_ROW);
        FUZZ_ASSERT(sqlite3_column_int(st_valid, 0) == 1);
        sqlite3_reset(st_valid);
        FUZZ_ASSERT(p->n >= 0 && p->n <= PL_PAYLOAD_MAX_MEMBERS);
        for (int i = 0; i < p->n; i++) {
            const pl_member *m = &p->m[i];
            FUZZ_ASSERT(m->val >= p->text && m->val + m->vlen <= p->end);
            FUZZ_ASSERT(m->parent >= -1 && m->parent < i);
            check_member(p, i);
        }
    }
    free(p);
    free(text);
    return 0;
}
