#include "store/journal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/hash.h"

static const char sql_head[] =
    "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1";
static const char sql_insert[] =
    "INSERT INTO journal(seq, at_us, actor, role, operation, subject, payload,"
    " prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char sql_all[] =
    "SELECT seq, at_us, actor, role, operation, subject, payload, prev_hash, hash"
    " FROM journal ORDER BY seq";
static const char sql_alg[] = "SELECT value FROM meta WHERE key = 'journal_hash'";

static int field(pl_hash_ctx *c, const void *data, size_t n)
{
    char len[24];
    int k = snprintf(len, sizeof len, "%zu:", n);
    int rc = pl_hash_update(c, len, (size_t)k);
    if (!rc && n)
        rc = pl_hash_update(c, data, n);
    if (!rc)
        rc = pl_hash_update(c, ",", 1);
    return rc;
}

static int field_int(pl_hash_ctx *c, int64_t v)
{
    char num[24];
    int k = snprintf(num, sizeof num, "%" PRId64, v);
    return field(c, num, (size_t)k);
}

static int field_str(pl_hash_ctx *c, const char *s)
{
    return field(c, s, strlen(s));
}

static pl_hash_alg journal_alg(pl_db *db)
{
    sqlite3_stmt *st;
    pl_err ignore;
    pl_hash_alg a = PL_HASH_SHA256;

    if (pl_db_stmt(db, &ignore, sql_alg, &st) == 0) {
        if (sqlite3_step(st) == SQLITE_ROW &&
            strcmp((const char *)sqlite3_column_text(st, 0), "sm3") == 0)
            a = PL_HASH_SM3;
        sqlite3_reset(st);
    }
    return a;
}

/* hash of one event given its fields */
static int event_hash(pl_hash_alg alg, const unsigned char *prev, int64_t seq,
                      const pl_event *ev, unsigned char out[PL_HASH_LEN])
{
    pl_hash_ctx *c = NULL;
    int rc = pl_hash_begin(&c, alg);
    if (rc)
        return rc;
    if ((rc = field(c, prev, PL_HASH_LEN)) || (rc = field_int(c, seq)) ||
        (rc = field_int(c, ev->at_us)) || (rc = field_str(c, ev->actor)) ||
        (rc = field_str(c, ev->role)) || (rc = field_str(c, ev->operation)) ||
        (rc = field_str(c, ev->subject)) || (rc = field_str(c, ev->payload))) {
        pl_hash_abort(c);
        return rc;
    }
    return pl_hash_end(c, out);
}

int pl_journal_head(pl_db *db, pl_err *e, int64_t *seq, unsigned char hash[PL_HASH_LEN])
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_head, &st);

    *seq = 0;
    memset(hash, 0, PL_HASH_LEN);
    if (rc)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        if (sqlite3_column_bytes(st, 1) == PL_HASH_LEN)
            memcpy(hash, sqlite3_column_blob(st, 1), PL_HASH_LEN);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading the journal head");
}

int pl_journal_append(pl_db *db, pl_err *e, const pl_event *ev, int64_t *seq_out)
{
    unsigned char prev[PL_HASH_LEN], hash[PL_HASH_LEN];
    sqlite3_stmt *st;
    int64_t seq;
    int rc;

    if (!pl_db_in_tx(db))
        return pl_err_set(e, PLEDGER_ESTATE, "journal: append outside a transaction");
    if ((rc = pl_journal_head(db, e, &seq, prev)))
        return rc;
    seq++;
    if ((rc = event_hash(journal_alg(db), prev, seq, ev, hash)))
        return rc == PLEDGER_ENOMEM ? pl_err_oom(e)
                                    : pl_err_set(e, rc, "journal: hashing event %" PRId64, seq);
    if ((rc = pl_db_stmt(db, e, sql_insert, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, ev->at_us);
    sqlite3_bind_text(st, 3, ev->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ev->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, ev->operation, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, ev->subject, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, ev->payload, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 8, prev, PL_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_blob(st, 9, hash, PL_HASH_LEN, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return pl_db_fail(db, e, rc, "journal: appending an event");
    if (seq_out)
        *seq_out = seq;
    return 0;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

int pl_journal_verify(pl_db *db, pl_err *e, int64_t *bad_seq, int64_t *count)
{
    unsigned char prev[PL_HASH_LEN] = {0}, hash[PL_HASH_LEN];
    pl_hash_alg alg = journal_alg(db);
    sqlite3_stmt *st;
    int64_t expect = 1;
    int rc;

    *bad_seq = 0;
    *count = 0;
    if ((rc = pl_db_stmt(db, e, sql_all, &st)))
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        pl_event ev = {
            .at_us = sqlite3_column_int64(st, 1),
            .actor = col_text(st, 2),
            .role = col_text(st, 3),
            .operation = col_text(st, 4),
            .subject = col_text(st, 5),
            .payload = col_text(st, 6),
        };
        if (seq != expect) {
            *bad_seq = expect;
            pl_err_set(e, PLEDGER_ECORRUPT, "journal: event %" PRId64 " is missing "
                       "(the next one stored is %" PRId64 ")", expect, seq);
            break;
        }
        if (sqlite3_column_bytes(st, 7) != PL_HASH_LEN ||
            memcmp(sqlite3_column_blob(st, 7), prev, PL_HASH_LEN) != 0) {
            *bad_seq = seq;
            pl_err_set(e, PLEDGER_ECORRUPT,
                       "journal: event %" PRId64 " does not chain to event %" PRId64,
                       seq, seq - 1);
            break;
        }
        int hrc = event_hash(alg, prev, seq, &ev, hash);
        if (hrc) {
            sqlite3_reset(st);
            return pl_err_set(e, hrc, "journal: hashing event %" PRId64, seq);
        }
        if (sqlite3_column_bytes(st, 8) != PL_HASH_LEN ||
            memcmp(sqlite3_column_blob(st, 8), hash, PL_HASH_LEN) != 0) {
            *bad_seq = seq;
            pl_err_set(e, PLEDGER_ECORRUPT,
                       "journal: event %" PRId64 " (%s %s) was altered: its hash does not "
                       "match its content", seq, ev.operation, ev.subject);
            break;
        }
        memcpy(prev, hash, PL_HASH_LEN);
        expect++;
        (*count)++;
    }
    if (!*bad_seq && rc != SQLITE_DONE) {
        rc = pl_db_fail(db, e, rc, "journal: reading events");
        sqlite3_reset(st);
        return rc;
    }
    sqlite3_reset(st);
    return 0;
}
