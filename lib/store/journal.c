#include "store/journal.h"
#include "store/sqlite.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/hash.h"
#include "base/i18n.h"
#include "base/note.h"

static const char sql_head[] =
    "SELECT seq, hash, at_us FROM journal ORDER BY seq DESC LIMIT 1";
static const char sql_insert[] =
    "INSERT INTO journal(seq, at_us, actor, role, operation, subject, payload,"
    " prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char sql_all[] =
    "SELECT seq, at_us, actor, role, operation, subject, payload, prev_hash, hash"
    " FROM journal ORDER BY seq";
static const char sql_alg[] = "SELECT value FROM meta WHERE key = 'journal_hash'";

/* The hashed form of an event: each field as "<length>:<bytes>,", the
 * numbers in decimal.  The short fields are gathered in a buffer, so one
 * event is three updates of the digest whatever its fields. */
typedef struct hbuf {
    char b[1024];
    size_t n;
} hbuf;

/* The decimal digits of @v at the end of @tmp[24]; returns their start. */
static char *decimal(char tmp[24], uint64_t v, bool minus)
{
    char *p = tmp + 24;
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    if (minus)
        *--p = '-';
    return p;
}

/* "<n>:" into @h (room is always there: at most 21 bytes). */
static void put_len(hbuf *h, size_t n)
{
    char tmp[24], *p = decimal(tmp, n, false);
    size_t k = (size_t)(tmp + 24 - p);
    memcpy(h->b + h->n, p, k);
    h->b[h->n + k] = ':';
    h->n += k + 1;
}

/* One field; a long one (a payload) goes to the digest directly rather
 * than being copied into the buffer first. */
static int put_field(pl_hash_ctx *c, hbuf *h, const void *data, size_t n)
{
    int rc;
    if (n > 128 || h->n + n + 32 > sizeof h->b) {
        if ((rc = pl_hash_update(c, h->b, h->n)))
            return rc;
        h->n = 0;
        put_len(h, n);
        if ((rc = pl_hash_update(c, h->b, h->n)) || (rc = pl_hash_update(c, data, n)))
            return rc;
        h->n = 0;
    } else {
        put_len(h, n);
        memcpy(h->b + h->n, data, n);
        h->n += n;
    }
    h->b[h->n++] = ',';
    return 0;
}

static int put_int(pl_hash_ctx *c, hbuf *h, int64_t v)
{
    char tmp[24];
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    char *p = decimal(tmp, u, v < 0);
    return put_field(c, h, p, (size_t)(tmp + 24 - p));
}

/* An event's text fields with their lengths (no strlen of the payload
 * when it comes from a column). */
typedef struct event_text {
    const char *s[5]; /* actor, role, operation, subject, payload */
    size_t n[5];
} event_text;

/* An event's text fields. */
static void ev_text(const pl_event *ev, event_text *t)
{
    const char *f[5] = { ev->actor, ev->role, ev->operation, ev->subject, ev->payload };
    for (int i = 0; i < 5; i++) {
        t->s[i] = f[i];
        t->n[i] = strlen(f[i]);
    }
}

/* Hash of one event into @out, on @c (restarted here). */
static int event_hash_on(pl_hash_ctx *c, const unsigned char *prev, int64_t seq, int64_t at_us,
                         const event_text *t, unsigned char out[PL_HASH_LEN])
{
    hbuf h;
    int rc;

    h.n = 0;
    if ((rc = pl_hash_restart(c)) || (rc = put_field(c, &h, prev, PL_HASH_LEN)) ||
        (rc = put_int(c, &h, seq)) || (rc = put_int(c, &h, at_us)))
        return rc;
    for (int i = 0; i < 5; i++)
        if ((rc = put_field(c, &h, t->s[i], t->n[i])))
            return rc;
    if ((rc = pl_hash_update(c, h.b, h.n)))
        return rc;
    return pl_hash_digest(c, out);
}

/* The leaf hash of one event, SHA-256(0x00 || canonical bytes), on @c
 * (a SHA-256 context, restarted here). */
static int event_leaf_on(pl_hash_ctx *c, int64_t seq, int64_t at_us, const event_text *t,
                         pl_mhash *out)
{
    hbuf h;
    int rc;

    h.b[0] = 0x00;
    h.n = 1;
    if ((rc = pl_hash_restart(c)) || (rc = put_int(c, &h, seq)) ||
        (rc = put_int(c, &h, at_us)))
        return rc;
    for (int i = 0; i < 5; i++)
        if ((rc = put_field(c, &h, t->s[i], t->n[i])))
            return rc;
    if ((rc = pl_hash_update(c, h.b, h.n)))
        return rc;
    return pl_hash_digest(c, out->h);
}

/* The canonical bytes alone, "<n>:<bytes>," per field (what the leaf
 * hashes after its 0x00). */
static int event_bytes(int64_t seq, int64_t at_us, const event_text *t, unsigned char **out,
                       size_t *n)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return PLEDGER_ENOMEM;
    char num[2][24];
    int l0 = snprintf(num[0], sizeof num[0], "%" PRId64, seq);
    int l1 = snprintf(num[1], sizeof num[1], "%" PRId64, at_us);
    fprintf(f, "%d:%s,%d:%s,", l0, num[0], l1, num[1]);
    for (int i = 0; i < 5; i++) {
        fprintf(f, "%zu:", t->n[i]);
        fwrite(t->s[i], 1, t->n[i], f);
        fputc(',', f);
    }
    if (fclose(f) != 0) {
        free(buf);
        return PLEDGER_ENOMEM;
    }
    *out = (unsigned char *)buf;
    *n = size;
    return 0;
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
    event_text t;
    pl_hash_ctx *c = NULL;
    int rc = pl_hash_begin(&c, alg);

    if (rc)
        return rc;
    ev_text(ev, &t);
    rc = event_hash_on(c, prev, seq, ev->at_us, &t, out);
    pl_hash_abort(c);
    return rc;
}

/* The last event: its sequence number, hash and instant (0, zeros and
 * INT64_MIN when the journal is empty). */
static int head(pl_db *db, pl_err *e, int64_t *seq, unsigned char hash[PL_HASH_LEN],
                int64_t *at_us)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_head, &st);

    *seq = 0;
    *at_us = INT64_MIN;
    memset(hash, 0, PL_HASH_LEN);
    if (rc)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        if (sqlite3_column_bytes(st, 1) == PL_HASH_LEN)
            memcpy(hash, sqlite3_column_blob(st, 1), PL_HASH_LEN);
        *at_us = sqlite3_column_int64(st, 2);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "reading the journal head");
}

static int sq_head(pl_db *db, pl_err *e, int64_t *seq, unsigned char hash[PL_HASH_LEN])
{
    int64_t at_us;
    return head(db, e, seq, hash, &at_us);
}

static int tree_append(pl_db *db, pl_err *e, int64_t seq, const pl_event *ev);

static int sq_append(pl_db *db, pl_err *e, const pl_event *ev, int64_t *seq_out)
{
    unsigned char prev[PL_HASH_LEN], hash[PL_HASH_LEN];
    sqlite3_stmt *st;
    int64_t seq, last_at;
    int rc;

    if (!pl_db_in_tx(db))
        return pl_err_set(e, PLEDGER_ESTATE, "journal: append outside a transaction");
    if ((rc = head(db, e, &seq, prev, &last_at)))
        return rc;
    /* Instants never go backwards: versions and ranks are ordered by
     * them.  A step takes its instant once it holds the write lock
     * (pl_db_now), after every earlier commit, so only a clock set back
     * meanwhile is refused here. */
    if (last_at > ev->at_us) {
        char last[32], now[32];
        pl_instant_format(last_at, last);
        pl_instant_format(ev->at_us, now);
        return pl_err_set(e, PLEDGER_ESTATE,
                          "%s: the clock went backwards: event %" PRId64 " was recorded at %s, "
                          "this step's instant is %s",
                          ev->operation, seq, last, now);
    }
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
    if ((rc = tree_append(db, e, seq, ev)))
        return rc;
    if (seq_out)
        *seq_out = seq;
    return 0;
}

/* Column @i as text and its length ("" for NULL). */
static const char *col_text(sqlite3_stmt *st, int i, size_t *n)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    *n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    return t ? (const char *)t : "";
}

/* ---- the kept checkpoints -------------------------------------------------- */

static const char sql_cp_all[] =
    "SELECT size, signed_at, note FROM checkpoint ORDER BY size, signed_at";

/* Row @st's checkpoint into @c; PLEDGER_ECORRUPT (naming it) when its
 * note is not a checkpoint of the row's size. */
static int cp_row(pl_err *e, sqlite3_stmt *st, pl_journal_cp *c)
{
    int64_t size = sqlite3_column_int64(st, 0);
    const char *note = (const char *)sqlite3_column_text(st, 2);
    size_t len = note ? (size_t)sqlite3_column_bytes(st, 2) : 0;
    char *text = NULL, *origin = NULL, at[32];
    uint64_t said = 0;
    pl_err why = { 0 };
    int rc;

    memset(c, 0, sizeof *c);
    c->size = size < 0 ? 0 : (uint64_t)size;
    c->signed_at = sqlite3_column_int64(st, 1);
    if (!(rc = pl_note_text(&why, note ? note : "", len, &text)))
        rc = pl_checkpoint_parse(&why, text, &origin, &said, &c->root);
    free(text);
    free(origin);
    if (rc == PLEDGER_ENOMEM)
        return pl_err_oom(e);
    if (!rc && said == c->size)
        return 0;
    c->damaged = true;
    memset(&c->root, 0, sizeof c->root);
    pl_instant_format(c->signed_at, at);
    if (!rc)
        return pl_err_set(e, PLEDGER_ECORRUPT, "journal: the checkpoint kept as of %" PRIu64
                          " events signed at %s signs %" PRIu64 " events: the checkpoint "
                          "table was changed", c->size, at, said);
    char en[PL_ERRMSG_MAX];
    snprintf(en, sizeof en, "%s", why.msg);
    return pl_err_set(e, PLEDGER_ECORRUPT, "journal: the checkpoint of %" PRIu64 " events "
                      "signed at %s cannot be read (%s): the checkpoint table was changed",
                      c->size, at, pl_frag_pair(en, pl_err_text(&why)));
}

static int sq_checkpoints(pl_db *db, pl_err *e, pl_journal_cp **out, size_t *n)
{
    sqlite3_stmt *st;
    pl_journal_cp *v = NULL;
    size_t cap = 0, k = 0;
    int rc = pl_db_stmt(db, e, sql_cp_all, &st);

    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            size_t nc = cap ? 2 * cap : 16;
            pl_journal_cp *nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                sqlite3_reset(st);
                free(v);
                return pl_err_oom(e);
            }
            v = nv;
            cap = nc;
        }
        int crc = cp_row(e, st, &v[k++]);
        if (crc) {
            sqlite3_reset(st);
            if (crc != PLEDGER_ECORRUPT) {
                free(v);
                return crc;
            }
            *out = v;
            *n = k;
            return crc;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(v);
        return pl_db_fail(db, e, rc, "journal: reading checkpoints");
    }
    *out = v;
    *n = k;
    return 0;
}

/* Checking the stored tree against the one the events make: nodes are
 * made, and stored, in post-order, so one cursor reads them in the order
 * the events make them; node_compare is the pl_merkle_put that compares
 * each node the events make with the next stored one. */
static const char sql_node_scan[] = "SELECT pos, level, idx, hash FROM journal_node ORDER BY pos";

typedef struct tree_check {
    pl_db *db;
    bool differs;
    unsigned level;
    uint64_t index;
    sqlite3_stmt *scan;
} tree_check;

static int node_compare(void *ctx, pl_err *e, unsigned level, uint64_t index,
                        const pl_mhash *h)
{
    tree_check *t = ctx;
    (void)e;
    t->level = level;
    t->index = index;
    if (!t->scan &&
        sqlite3_prepare_v2(pl_db_handle(t->db), sql_node_scan, -1, &t->scan, NULL) != SQLITE_OK)
        return PLEDGER_EIO;
    if (sqlite3_step(t->scan) != SQLITE_ROW ||
        (uint64_t)sqlite3_column_int64(t->scan, 0) != pl_merkle_node_pos(level, index) ||
        sqlite3_column_int64(t->scan, 1) != (int64_t)level ||
        (uint64_t)sqlite3_column_int64(t->scan, 2) != index ||
        sqlite3_column_bytes(t->scan, 3) != PL_MERKLE_HASH ||
        memcmp(sqlite3_column_blob(t->scan, 3), h->h, PL_MERKLE_HASH) != 0) {
        t->differs = true;
        return PLEDGER_ECORRUPT;
    }
    return 0;
}

static void tree_check_end(tree_check *t)
{
    sqlite3_finalize(t->scan);
}

/* The kept checkpoints against the tree the events make, as it reaches
 * their sizes: @cps by size, *@next the first not yet held to it,
 * *@agreed the largest size of one that agreed.  A damaged one says
 * @cperr.  1 when one does not hold (*@bad_seq and @e set), 0 when all
 * of this size hold, PLEDGER_ENOMEM when the root could not be made. */
typedef struct cp_walk {
    const pl_journal_cp *cps;
    size_t n, next;
    uint64_t agreed;
    const pl_err *cperr;
} cp_walk;

static int cp_disagrees(pl_err *e, cp_walk *w, const pl_merkle_edge *edge, int64_t *bad_seq)
{
    pl_mhash root;
    bool have_root = false;

    for (; w->next < w->n && w->cps[w->next].size == edge->size; w->next++) {
        const pl_journal_cp *c = &w->cps[w->next];
        if (c->damaged) {
            *bad_seq = c->size ? (int64_t)c->size : 1;
            pl_err_copy(e, w->cperr);
            return 1;
        }
        if (!have_root && pl_merkle_edge_root(edge, &root) != 0)
            return pl_err_oom(e);
        have_root = true;
        if (memcmp(root.h, c->root.h, PL_MERKLE_HASH) == 0) {
            w->agreed = c->size;
            continue;
        }
        char at[32], *mine = pl_base64(root.h, PL_MERKLE_HASH),
                     *signed_root = pl_base64(c->root.h, PL_MERKLE_HASH);
        pl_instant_format(c->signed_at, at);
        if (!mine || !signed_root) {
            free(mine);
            free(signed_root);
            return pl_err_oom(e);
        }
        *bad_seq = (int64_t)w->agreed + 1;
        if (c->size == 0)
            pl_err_set(e, PLEDGER_ECORRUPT, "journal: the checkpoint of 0 events signed at %s "
                       "has the root %s, not the empty tree's %s: the checkpoint table was "
                       "changed", at, signed_root, mine);
        else
            pl_err_set(e, PLEDGER_ECORRUPT, "journal: the checkpoint of %" PRIu64 " events "
                       "the registry signed at %s has the root %s, but events 1 to %" PRIu64
                       " give %s: an event from %" PRIu64 " to %" PRIu64 " was rewritten "
                       "after it was signed", c->size, at, signed_root, c->size, mine,
                       w->agreed + 1, c->size);
        free(mine);
        free(signed_root);
        return 1;
    }
    return 0;
}

static int verify_with(pl_db *db, pl_err *e, int64_t *bad_seq, int64_t *count, tree_check *tcp,
                       cp_walk *cw)
{
    unsigned char prev[PL_HASH_LEN] = {0}, hash[PL_HASH_LEN];
    pl_hash_alg alg = journal_alg(db);
    pl_hash_ctx *c = NULL, *lc = NULL;
    sqlite3_stmt *st;
    int64_t expect = 1;
    pl_merkle_edge edge = { 0 };
    int rc;

    *bad_seq = 0;
    *count = 0;
    int cpd = cp_disagrees(e, cw, &edge, bad_seq);   /* a checkpoint of 0 events */
    if (cpd)
        return cpd < 0 ? cpd : 0;
    if ((rc = pl_db_stmt(db, e, sql_all, &st)))
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        event_text t;
        for (int i = 0; i < 5; i++)
            t.s[i] = col_text(st, 2 + i, &t.n[i]);
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
        /* one context for the whole chain, made at the first event */
        int hrc = c ? 0 : pl_hash_begin(&c, alg);
        if (!hrc)
            hrc = event_hash_on(c, prev, seq, sqlite3_column_int64(st, 1), &t, hash);
        if (hrc) {
            sqlite3_reset(st);
            pl_hash_abort(c);
            return pl_err_set(e, hrc, "journal: hashing event %" PRId64, seq);
        }
        if (sqlite3_column_bytes(st, 8) != PL_HASH_LEN ||
            memcmp(sqlite3_column_blob(st, 8), hash, PL_HASH_LEN) != 0) {
            *bad_seq = seq;
            pl_err_set(e, PLEDGER_ECORRUPT,
                       "journal: event %" PRId64 " (%s %s) was altered: its hash does not "
                       "match its content", seq, t.s[2], t.s[3]);
            break;
        }
        /* the tree: this event's leaf and every subtree it completes
         * must be what is stored */
        pl_mhash leaf;
        pl_err terr = { 0, "" };
        hrc = lc ? 0 : pl_hash_begin(&lc, PL_HASH_SHA256);
        if (!hrc)
            hrc = event_leaf_on(lc, seq, sqlite3_column_int64(st, 1), &t, &leaf);
        if (hrc) {
            sqlite3_reset(st);
            pl_hash_abort(c);
            pl_hash_abort(lc);
            return pl_err_set(e, hrc, "journal: hashing event %" PRId64, seq);
        }
        if (pl_merkle_edge_append(&terr, &edge, &leaf, node_compare, tcp) != 0) {
            *bad_seq = seq;
            pl_err_set(e, PLEDGER_ECORRUPT,
                       "journal: the Merkle tree does not match event %" PRId64 " (%s %s): "
                       "its node at level %u, index %" PRIu64 " was altered or is missing",
                       seq, t.s[2], t.s[3], tcp->level, tcp->index);
            break;
        }
        memcpy(prev, hash, PL_HASH_LEN);
        expect++;
        (*count)++;
        /* the checkpoints the registry signed of this many events */
        if ((cpd = cp_disagrees(e, cw, &edge, bad_seq)) != 0)
            break;
    }
    pl_hash_abort(c);
    pl_hash_abort(lc);
    if (cpd < 0) {
        sqlite3_reset(st);
        return cpd;
    }
    if (!*bad_seq && rc != SQLITE_DONE) {
        rc = pl_db_fail(db, e, rc, "journal: reading events");
        sqlite3_reset(st);
        return rc;
    }
    sqlite3_reset(st);
    if (!*bad_seq) {
        uint64_t stored;
        if ((rc = pl_journal_tree_size(db, e, &stored)))
            return rc;
        if (stored > (uint64_t)*count) {
            *bad_seq = *count + 1;
            pl_err_set(e, PLEDGER_ECORRUPT,
                       "journal: the Merkle tree holds %" PRIu64 " events, the journal %"
                       PRId64 ": events were removed from its end", stored, *count);
        } else if (stored < (uint64_t)*count) {
            *bad_seq = (int64_t)stored + 1;
            pl_err_set(e, PLEDGER_ECORRUPT,
                       "journal: event %" PRIu64 " and later are not in the Merkle tree",
                       stored + 1);
        } else if (cw->next < cw->n) {
            /* a checkpoint of more events than the journal holds */
            const pl_journal_cp *cp = &cw->cps[cw->next];
            char at[32];
            pl_instant_format(cp->signed_at, at);
            *bad_seq = *count + 1;
            if (cp->damaged)
                pl_err_copy(e, cw->cperr);
            else
                pl_err_set(e, PLEDGER_ECORRUPT,
                           "journal: the registry signed a checkpoint of %" PRIu64 " events "
                           "at %s, the journal holds %" PRId64 ": events were removed from "
                           "its end", cp->size, at, *count);
        }
    }
    return 0;
}

static int sq_verify(pl_db *db, pl_err *e, int64_t *bad_seq, int64_t *count)
{
    tree_check tc = { .db = db };
    pl_err cperr = { 0 };
    cp_walk cw = { 0 };
    pl_journal_cp *cps = NULL;
    int rc = sq_checkpoints(db, &cperr, &cps, &cw.n);

    *bad_seq = 0;
    *count = 0;
    if (rc && rc != PLEDGER_ECORRUPT) {   /* a damaged one is found in its place */
        free(cps);
        return pl_err_copy(e, &cperr);
    }
    cw.cps = cps;
    cw.cperr = &cperr;
    rc = verify_with(db, e, bad_seq, count, &tc, &cw);
    tree_check_end(&tc);
    free(cps);
    return rc;
}

/* ---- the tree ------------------------------------------------------------- */

static const char sql_node_get[] = "SELECT hash FROM journal_node WHERE pos = ?1";
static const char sql_node_put[] =
    "INSERT INTO journal_node(pos, level, idx, hash) VALUES (?1, ?2, ?3, ?4)";
/* the last node made tops the subtree that ends at the last leaf */
static const char sql_tree_size[] =
    "SELECT level, idx FROM journal_node ORDER BY pos DESC LIMIT 1";

static const char sql_event[] =
    "SELECT seq, at_us, actor, role, operation, subject, payload FROM journal WHERE seq = ?1";
static const char sql_events_from[] =
    "SELECT seq, at_us, actor, role, operation, subject, payload FROM journal"
    " WHERE seq > ?1 ORDER BY seq";
static const char sql_cp_put[] =
    "INSERT OR IGNORE INTO checkpoint(size, signed_at, note) VALUES (?1, ?2, ?3)";
static const char sql_cp_latest[] =
    "SELECT note FROM checkpoint ORDER BY size DESC, signed_at DESC LIMIT 1";

static int sq_tree_size(pl_db *db, pl_err *e, uint64_t *size)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_tree_size, &st);

    *size = 0;
    if (rc)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int64_t level = sqlite3_column_int64(st, 0), idx = sqlite3_column_int64(st, 1);
        sqlite3_reset(st);
        if (level < 0 || level > 62 || idx < 0 || (uint64_t)idx >= (UINT64_C(1) << (62 - level)))
            return pl_err_set(e, PLEDGER_ECORRUPT, "journal: the tree's last node (level %"
                              PRId64 ", index %" PRId64 ") is damaged", level, idx);
        *size = ((uint64_t)idx + 1) << level;
        return 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "journal: reading the tree's size");
}

static int sq_tree_get(void *ctx, pl_err *e, unsigned level, uint64_t index, pl_mhash *out)
{
    return pl_sq_node_get(ctx, e, sql_node_get, "journal", level, index, out);
}

static int node_put(void *ctx, pl_err *e, unsigned level, uint64_t index, const pl_mhash *h)
{
    return pl_sq_node_put(ctx, e, sql_node_put, "journal", level, index, h);
}

/* The event row at @st's current position as text fields. */
static void row_text(sqlite3_stmt *st, event_text *t)
{
    for (int i = 0; i < 5; i++)
        t->s[i] = col_text(st, 2 + i, &t->n[i]);
}

static int tree_sync_edge(pl_db *db, pl_err *e, pl_merkle_edge *out);

static int sq_tree_sync(pl_db *db, pl_err *e)
{
    pl_merkle_edge edge;
    return tree_sync_edge(db, e, &edge);
}

/* Add event @seq (just inserted, fields @ev) to the tree.  When this
 * connection appended the event before it and nothing else changed the
 * file since, the right edge it kept is used: no edge to read back and
 * no event to re-read.  Otherwise the tree is brought up to date from
 * the stored events (pl_journal_tree_sync()). */
static int tree_append(pl_db *db, pl_err *e, int64_t seq, const pl_event *ev)
{
    int64_t dv;
    int rc = pl_db_data_version(db, e, &dv);
    if (rc)
        return rc;
    const pl_merkle_edge *kept = pl_db_edge(db, dv);
    pl_merkle_edge edge;
    if (kept && kept->size == (uint64_t)seq - 1) {
        event_text t;
        pl_hash_ctx *c = NULL;
        pl_mhash leaf;
        ev_text(ev, &t);
        edge = *kept;
        int hrc = pl_hash_begin(&c, PL_HASH_SHA256);
        if (!hrc)
            hrc = event_leaf_on(c, seq, ev->at_us, &t, &leaf);
        pl_hash_abort(c);
        if (hrc)
            return pl_err_oom(e);
        rc = pl_merkle_edge_append(e, &edge, &leaf, node_put, db);
    } else {
        rc = tree_sync_edge(db, e, &edge);
    }
    pl_db_edge_set(db, rc ? NULL : &edge, dv);
    return rc;
}

static int tree_sync_edge(pl_db *db, pl_err *e, pl_merkle_edge *out)
{
    uint64_t size;
    pl_merkle_edge edge;
    pl_hash_ctx *c = NULL;
    sqlite3_stmt *st;
    int rc;

    if ((rc = pl_journal_tree_size(db, e, &size)) ||
        (rc = pl_merkle_edge_load(e, size, pl_journal_tree_get, db, &edge)))
        return rc;
    if ((rc = pl_db_stmt(db, e, sql_events_from, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, (int64_t)size);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        event_text t;
        pl_mhash leaf;
        if ((uint64_t)seq != edge.size + 1) {
            sqlite3_reset(st);
            pl_hash_abort(c);
            return pl_err_set(e, PLEDGER_ECORRUPT,
                              "journal: event %" PRIu64 " is missing (the tree has %" PRIu64
                              " events, the next stored is %" PRId64 ")",
                              edge.size + 1, edge.size, seq);
        }
        row_text(st, &t);
        int hrc = c ? 0 : pl_hash_begin(&c, PL_HASH_SHA256);
        if (!hrc)
            hrc = event_leaf_on(c, seq, sqlite3_column_int64(st, 1), &t, &leaf);
        if (hrc) {
            sqlite3_reset(st);
            pl_hash_abort(c);
            return pl_err_oom(e);
        }
        if ((rc = pl_merkle_edge_append(e, &edge, &leaf, node_put, db))) {
            sqlite3_reset(st);
            pl_hash_abort(c);
            return rc;
        }
    }
    pl_hash_abort(c);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return pl_db_fail(db, e, rc, "journal: reading events for the tree");
    *out = edge;
    return 0;
}

/* Event @seq's row, stepped on @st (reset by the caller). */
static int event_row(pl_db *db, pl_err *e, int64_t seq, sqlite3_stmt **st)
{
    int rc = pl_db_stmt(db, e, sql_event, st);
    if (rc)
        return rc;
    sqlite3_bind_int64(*st, 1, seq);
    rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW)
        return 0;
    sqlite3_reset(*st);
    if (rc == SQLITE_DONE)
        return pl_err_set(e, PLEDGER_ENOTFOUND, "journal: there is no event %" PRId64, seq);
    return pl_db_fail(db, e, rc, "journal: reading an event");
}

/* Event @seq's leaf hash made from its row (@op and @subject its
 * operation and subject) against the leaf the tree keeps for it, when
 * the tree holds it: a row altered underneath the library, the tree left
 * as it was, must not be proved by the tree (PLEDGER_ECORRUPT naming the
 * event). */
static int leaf_kept(pl_db *db, pl_err *e, int64_t seq, const pl_mhash *leaf, const char *op,
                     const char *subject)
{
    uint64_t size;
    pl_mhash kept;
    int rc = sq_tree_size(db, e, &size);

    if (rc || (uint64_t)seq > size)
        return rc;
    if ((rc = sq_tree_get(db, e, 0, (uint64_t)seq - 1, &kept)))
        return rc;
    if (memcmp(kept.h, leaf->h, PL_MERKLE_HASH) != 0)
        return pl_err_set(e, PLEDGER_ECORRUPT, "journal: event %" PRId64 " (%s %s) was altered: "
                          "its leaf hash is not the one the Merkle tree keeps for it", seq, op,
                          subject);
    return 0;
}

static int sq_event_bytes(pl_db *db, pl_err *e, int64_t seq, unsigned char **out, size_t *n)
{
    sqlite3_stmt *st;
    event_text t;
    pl_mhash leaf;
    char *op = NULL, *subject = NULL;
    int rc = event_row(db, e, seq, &st);

    *out = NULL;
    if (rc)
        return rc;
    row_text(st, &t);
    rc = event_bytes(seq, sqlite3_column_int64(st, 1), &t, out, n);
    if (!rc && (!(op = strndup(t.s[2], t.n[2])) || !(subject = strndup(t.s[3], t.n[3]))))
        rc = PLEDGER_ENOMEM;
    sqlite3_reset(st);
    if (!rc)
        rc = pl_merkle_leaf(&leaf, *out, *n);
    if (rc) {
        free(op);
        free(subject);
        free(*out);
        *out = NULL;
        return pl_err_oom(e);
    }
    rc = leaf_kept(db, e, seq, &leaf, op, subject);
    free(op);
    free(subject);
    if (rc) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

static int sq_leaf(pl_db *db, pl_err *e, int64_t seq, pl_mhash *out)
{
    sqlite3_stmt *st;
    event_text t;
    pl_hash_ctx *c = NULL;
    char *op = NULL, *subject = NULL;
    int rc = event_row(db, e, seq, &st);

    if (rc)
        return rc;
    row_text(st, &t);
    rc = pl_hash_begin(&c, PL_HASH_SHA256);
    if (!rc)
        rc = event_leaf_on(c, seq, sqlite3_column_int64(st, 1), &t, out);
    if (!rc && (!(op = strndup(t.s[2], t.n[2])) || !(subject = strndup(t.s[3], t.n[3]))))
        rc = PLEDGER_ENOMEM;
    pl_hash_abort(c);
    sqlite3_reset(st);
    if (!rc)
        rc = leaf_kept(db, e, seq, out, op, subject);
    else
        rc = pl_err_oom(e);
    free(op);
    free(subject);
    return rc;
}

static int sq_checkpoint_put(pl_db *db, pl_err *e, uint64_t size, int64_t at_us,
                              const char *note)
{
    return pl_sq_checkpoint_put(db, e, sql_cp_put, "journal: storing a checkpoint", size, at_us,
                                note);
}

static int sq_checkpoint_latest(pl_db *db, pl_err *e, char **note)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(db, e, sql_cp_latest, &st);

    *note = NULL;
    if (rc)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (t && !(*note = strdup(t))) {
            sqlite3_reset(st);
            return pl_err_oom(e);
        }
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(db, e, rc, "journal: reading checkpoints");
}

const pl_journal_ops pl_sqlite_journal_ops = {
    .append = sq_append,
    .verify = sq_verify,
    .head = sq_head,
    .tree_size = sq_tree_size,
    .tree_get = sq_tree_get,
    .event_bytes = sq_event_bytes,
    .leaf = sq_leaf,
    .tree_sync = sq_tree_sync,
    .checkpoint_put = sq_checkpoint_put,
    .checkpoint_latest = sq_checkpoint_latest,
    .checkpoints = sq_checkpoints,
};
