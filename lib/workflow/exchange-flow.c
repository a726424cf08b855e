/* Sites and the data line (docs/design.md, "Sites and the data line").
 *
 * Every change is a journaled event applied by store/apply.c: a batch
 * sent ("exchange.export", which also marks its applications forwarded
 * or its decisions reported), a batch imported ("exchange.import", after
 * one event per item: "application.receive", "application.receive_
 * correction" at an office, "application.result" at an acceptance
 * point), a receipt taken ("exchange.ack").  An import runs its items
 * through the steps of app-flow.c inside one batch transaction
 * (pl_db_batch_begin): all items or none. */
#include "workflow/exchange-flow.h"
#include "store/sqlite.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/exchange-doc.h"
#include "model/kinds.h"
#include "store/apply.h"
#include "workflow/app-flow.h"

static const char zeros[65] = "0000000000000000000000000000000000000000000000000000000000000000";

/* ---- the site ------------------------------------------------------------------------ */

static const char sql_any_application[] = "SELECT EXISTS (SELECT 1 FROM application)";

int pl_wf_site_get(pl_db *db, pl_err *e, int *site, char upstream[17])
{
    char *v = NULL;
    pl_err ignore;

    *site = PLEDGER_SITE_OFFICE;
    upstream[0] = '\0';
    if (pl_db_meta_get(db, &ignore, "site", &v) == 0) {
        if (strcmp(v, "acceptance_point") == 0)
            *site = PLEDGER_SITE_ACCEPTANCE_POINT;
        free(v);
        if (*site == PLEDGER_SITE_ACCEPTANCE_POINT &&
            pl_db_meta_get(db, &ignore, "upstream", &v) == 0) {
            snprintf(upstream, 17, "%s", v);
            free(v);
        }
    }
    (void)e;
    return 0;
}

int pl_wf_site_set(const pl_ctx *c, int site, const char *upstream)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = pl_step_check_role(c->e, PL_STEP_SETTINGS, c->role, c->actor, 0)) ||
        (rc = pl_db_batch_begin(c->db, c->e)))
        return rc;
    if ((rc = pl_db_stmt(c->db, c->e, sql_any_application, &st)))
        goto done;
    rc = sqlite3_step(st);
    bool any = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        rc = pl_db_fail(c->db, c->e, rc, "reading the applications");
        goto done;
    }
    if (any) {
        rc = pl_err_set(c->e, PLEDGER_ESTATE,
                        "site: the registry already holds applications; a registry is an "
                        "office or an acceptance point from its creation");
        goto done;
    }
    if ((rc = pl_wf_setting_set(c, "site", site == PLEDGER_SITE_ACCEPTANCE_POINT
                                               ? "acceptance_point" : "office")) ||
        (rc = pl_wf_setting_set(c, "upstream", upstream ? upstream : "")))
        goto done;
    return pl_db_batch_end(c->db, c->e, true);
done:
    pl_db_batch_end(c->db, c->e, false);
    return rc;
}

/* ---- export ---------------------------------------------------------------------------- */

static const char sql_unacked[] =
    "SELECT document FROM exchange_batch WHERE direction = 'out' AND peer = ?1"
    " AND acked_at IS NULL ORDER BY seq LIMIT 1";
static const char sql_last_out[] =
    "SELECT seq, digest FROM exchange_batch WHERE direction = 'out' AND peer = ?1"
    " ORDER BY seq DESC LIMIT 1";
static const char sql_next_batch_id[] = "SELECT coalesce(max(id), 0) + 1 FROM exchange_batch";
/* An acceptance point's accepted applications, not yet forwarded (again):
 * 'correction' when the office has seen them before.  The instant and
 * actor of the step that accepted (or corrected) them is their last
 * journal event's. */
static const char sql_pending_apps[] =
    "SELECT a.id, a.uuid, a.kind, a.document, a.doc_hash, a.acceptance_number, a.office,"
    " j.at_us, j.actor, EXISTS (SELECT 1 FROM exchange_item i JOIN exchange_batch b"
    " ON b.id = i.batch_id WHERE i.application_id = a.id AND b.direction = 'out')"
    " FROM application a JOIN journal j ON j.seq = a.journal_seq"
    " WHERE a.state = 4 AND a.origin IS NULL ORDER BY a.id LIMIT ?1";
/* An office's decisions on what @peer forwarded, not yet reported. */
static const char sql_pending_results[] =
    "SELECT a.id, a.uuid, a.state, p.registration_number,"
    " (SELECT c.document FROM certificate c WHERE c.pledge_id = p.id ORDER BY c.version"
    "  LIMIT 1),"
    " CASE a.state WHEN 7 THEN a.refusal_ground WHEN 8 THEN a.withdrawn_reason END,"
    " CASE a.state WHEN 5 THEN a.correction_note ELSE a.decision_note END,"
    " CASE a.state WHEN 5 THEN a.correction_due END, j.at_us, j.actor"
    " FROM application a JOIN journal j ON j.seq = a.journal_seq"
    " LEFT JOIN pledge p ON p.application_id = a.id"
    " WHERE a.origin = ?2 AND a.state IN (5, 6, 7, 8)"
    " AND (a.reported_state IS NULL OR a.reported_state <> a.state)"
    " ORDER BY a.id LIMIT ?1";

static char *col(sqlite3_stmt *st, int i, bool *oom)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    char *s = t ? strdup((const char *)t) : NULL;
    if (t && !s)
        *oom = true;
    return s;
}

/* The items the next batch to @peer carries (at most
 * PL_EXCHANGE_MAX_ITEMS), with their application ids. */
static int pending(const pl_ctx *c, const char *peer, pl_xbatch *b, int64_t **ids)
{
    bool ap = c->site == PLEDGER_SITE_ACCEPTANCE_POINT, oom = false;
    sqlite3_stmt *st;
    size_t cap = 0;
    int rc;

    *ids = NULL;
    if ((rc = pl_db_stmt(c->db, c->e, ap ? sql_pending_apps : sql_pending_results, &st)))
        return rc;
    sqlite3_bind_int(st, 1, PL_EXCHANGE_MAX_ITEMS);
    if (!ap)
        sqlite3_bind_text(st, 2, peer, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !oom) {
        if (b->n == cap) {
            size_t nc = cap ? 2 * cap : 64;
            pl_xitem *ni = realloc(b->items, nc * sizeof *ni);
            int64_t *nid = ni ? realloc(*ids, nc * sizeof *nid) : NULL;
            if (ni)
                b->items = ni;
            if (!nid) {
                oom = true;
                break;
            }
            *ids = nid;
            cap = nc;
        }
        pl_xitem *it = &b->items[b->n];
        memset(it, 0, sizeof *it);
        it->due = INT32_MIN;
        (*ids)[b->n++] = sqlite3_column_int64(st, 0);
        it->uuid = col(st, 1, &oom);
        if (ap) {
            it->what = sqlite3_column_int(st, 9) ? PL_XITEM_CORRECTION : PL_XITEM_APPLICATION;
            it->kind = sqlite3_column_int(st, 2);
            it->document = col(st, 3, &oom);
            it->document_len = it->document ? strlen(it->document) : 0;
            snprintf(it->digest, sizeof it->digest, "%s", sqlite3_column_text(st, 4));
            it->acceptance_number = col(st, 5, &oom);
            it->office = col(st, 6, &oom);
            it->at_us = sqlite3_column_int64(st, 7);
            it->by = col(st, 8, &oom);
        } else {
            it->what = PL_XITEM_RESULT;
            it->state = sqlite3_column_int(st, 2);
            it->number = col(st, 3, &oom);
            it->document = col(st, 4, &oom);
            if (it->document) {
                it->document_len = strlen(it->document);
                if (pl_xdigest(c->e, it->document, it->document_len, it->digest))
                    oom = true;
            }
            it->ground = col(st, 5, &oom);
            it->note = col(st, 6, &oom);
            if (sqlite3_column_type(st, 7) != SQLITE_NULL)
                it->due = sqlite3_column_int(st, 7);
            it->at_us = sqlite3_column_int64(st, 8);
            it->by = col(st, 9, &oom);
        }
    }
    sqlite3_reset(st);
    if (oom)
        return pl_err_oom(c->e);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0
                                                 : pl_db_fail(c->db, c->e, rc, "reading what is pending");
}

/* The items of an exchange event's payload. */
static void json_items(pl_json *j, const pl_xbatch *b, const int64_t *ids)
{
    pl_json_begin_array(j, "items");
    for (size_t i = 0; i < b->n; i++) {
        pl_json_begin_object(j, NULL);
        pl_json_int(j, "application_id", ids[i]);
        pl_json_int(j, "state", b->items[i].what == PL_XITEM_RESULT ? b->items[i].state
                                                                      : PLEDGER_APP_ACCEPTED);
        pl_json_str(j, "what", pl_xwhat_name(b->items[i].what));
        pl_json_end_object(j);
    }
    pl_json_end_array(j);
}

static int check_peer(const pl_ctx *c, const char *peer, const char *upstream)
{
    if (strcmp(peer, c->office) == 0)
        return pl_err_set(c->e, PLEDGER_EINVAL, "to: '%s' is this registry's own office code",
                          peer);
    if (c->site == PLEDGER_SITE_ACCEPTANCE_POINT && strcmp(peer, upstream) != 0)
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "to: this acceptance point forwards to office '%s', not '%s'",
                          upstream, peer);
    return 0;
}

int pl_wf_exchange_export(const pl_ctx *c, const char *peer, const pl_doc_key *key,
                          const char *checkpoint, char **out, size_t *len)
{
    char upstream[17], digest[65];
    pl_xbatch b;
    int64_t *ids = NULL, batch_id;
    sqlite3_stmt *st;
    int site, rc;

    *out = NULL;
    memset(&b, 0, sizeof b);
    if ((rc = pl_step_check_role(c->e, PL_STEP_EXCHANGE, c->role, c->actor, 0)) ||
        (rc = pl_wf_site_get(c->db, c->e, &site, upstream)) ||
        (rc = check_peer(c, peer, upstream)) || (rc = pl_db_write_begin(c->db, c->e)))
        return rc;
    /* a batch not acknowledged yet goes again, the same bytes */
    if ((rc = pl_db_stmt(c->db, c->e, sql_unacked, &st)))
        return pl_step_finish(c, rc);
    sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = strdup((const char *)sqlite3_column_text(st, 0));
        if (len && *out)
            *len = strlen(*out);
        sqlite3_reset(st);
        pl_db_rollback(c->db);
        return *out ? 0 : pl_err_oom(c->e);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return pl_step_finish(c, pl_db_fail(c->db, c->e, rc, "reading the batches sent"));
    if ((rc = pending(c, peer, &b, &ids)))
        goto done;
    if (b.n == 0) {
        rc = pl_err_set(c->e, PLEDGER_ENOTFOUND, "nothing to send to '%s'", peer);
        goto done;
    }
    b.seq = 1;
    memcpy(b.previous, zeros, sizeof zeros);
    if ((rc = pl_db_stmt(c->db, c->e, sql_last_out, &st)))
        goto done;
    sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        b.seq = (uint64_t)sqlite3_column_int64(st, 0) + 1;
        snprintf(b.previous, sizeof b.previous, "%s", sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        rc = pl_db_fail(c->db, c->e, rc, "reading the batches sent");
        goto done;
    }
    b.sender = strdup(c->office);
    b.receiver = strdup(peer);
    b.checkpoint = checkpoint ? strdup(checkpoint) : NULL;
    b.created_us = pl_ctx_now(c);
    if (!b.sender || !b.receiver || (checkpoint && !b.checkpoint)) {
        rc = pl_err_oom(c->e);
        goto done;
    }
    if ((rc = pl_xbatch_make(c->e, &b, key, out, len)) ||
        (rc = pl_xdigest(c->e, *out, strlen(*out), digest)) ||
        (rc = pl_wf_next_id(c, sql_next_batch_id, &batch_id)))
        goto done;
    pl_json j;
    pl_json_init(&j);
    pl_json_int(&j, "batch_id", batch_id);
    pl_json_str(&j, "digest", digest);
    pl_json_str(&j, "direction", "out");
    pl_json_str(&j, "document", *out);
    json_items(&j, &b, ids);
    pl_json_str(&j, "peer", peer);
    pl_json_null(&j, "receipt");
    pl_json_int(&j, "sequence", (int64_t)b.seq);
    rc = pl_wf_record(c, "exchange.export", peer, &j);
done:
    pl_xbatch_clear(&b);
    free(ids);
    if ((rc = pl_step_finish(c, rc))) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- import -------------------------------------------------------------------------- */

static const char sql_last_in[] =
    "SELECT seq, digest FROM exchange_batch WHERE direction = 'in' AND peer = ?1"
    " ORDER BY seq DESC LIMIT 1";
static const char sql_in_seq[] =
    "SELECT digest, receipt FROM exchange_batch WHERE direction = 'in' AND peer = ?1"
    " AND seq = ?2";
static const char sql_out_seq[] =
    "SELECT digest, acked_at FROM exchange_batch WHERE direction = 'out' AND peer = ?1"
    " AND seq = ?2";
static const char sql_app_id[] = "SELECT id FROM application WHERE uuid = ?1";

static int take_receipt(const pl_ctx *c, const char *xml, const pl_xreceipt *r)
{
    sqlite3_stmt *st;
    pl_json j;
    int rc;

    if (strcmp(r->receiver, c->office) != 0)
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "receipt: it is addressed to office '%.16s'; this registry is '%s'",
                          r->receiver, c->office);
    if ((rc = pl_db_write_begin(c->db, c->e)) || (rc = pl_db_stmt(c->db, c->e, sql_out_seq, &st)))
        return pl_step_finish(c, rc);
    sqlite3_bind_text(st, 1, r->sender, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t)r->seq);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        rc = pl_err_set(c->e, PLEDGER_ENOTFOUND, "receipt: no batch %" PRIu64 " was sent to '%s'",
                        r->seq, r->sender);
    } else if (rc != SQLITE_ROW) {
        rc = pl_db_fail(c->db, c->e, rc, "reading the batches sent");
    } else if (strcmp((const char *)sqlite3_column_text(st, 0), r->batch) != 0) {
        rc = pl_err_set(c->e, PLEDGER_ECONFLICT,
                        "receipt: batch %" PRIu64 " sent to '%s' has SHA-256 %s; the receipt "
                        "acknowledges %s", r->seq, r->sender, sqlite3_column_text(st, 0),
                        r->batch);
    } else if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
        sqlite3_reset(st);
        pl_db_rollback(c->db);
        return 0; /* taken before */
    } else {
        rc = 0;
    }
    sqlite3_reset(st);
    if (rc)
        return pl_step_finish(c, rc);
    pl_json_init(&j);
    pl_json_str(&j, "peer", r->sender);
    pl_json_str(&j, "receipt", xml);
    pl_json_int(&j, "sequence", (int64_t)r->seq);
    return pl_step_finish(c, pl_wf_record(c, "exchange.ack", r->sender, &j));
}

/* Where batch @b stands on its line: 0 to import it; 1 when it was
 * imported before (*@receipt: the receipt then given); an error when it
 * does not follow the last one imported. */
static int line_check(const pl_ctx *c, const pl_xbatch *b, const char *digest, char **receipt)
{
    sqlite3_stmt *st;
    uint64_t last = 0;
    char last_digest[65];
    int rc;

    memcpy(last_digest, zeros, sizeof zeros);
    if ((rc = pl_db_stmt(c->db, c->e, sql_last_in, &st)))
        return rc;
    sqlite3_bind_text(st, 1, b->sender, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        last = (uint64_t)sqlite3_column_int64(st, 0);
        snprintf(last_digest, sizeof last_digest, "%s", sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return pl_db_fail(c->db, c->e, rc, "reading the batches imported");
    if (b->seq <= last) {
        if ((rc = pl_db_stmt(c->db, c->e, sql_in_seq, &st)))
            return rc;
        sqlite3_bind_text(st, 1, b->sender, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (int64_t)b->seq);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), digest) == 0) {
            *receipt = strdup((const char *)sqlite3_column_text(st, 1));
            rc = *receipt ? 1 : pl_err_oom(c->e);
        } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
            rc = pl_err_set(c->e, PLEDGER_ECONFLICT,
                            "sequence: batch %" PRIu64 " from '%s' was imported before with "
                            "other content (SHA-256 %s, this one %s)", b->seq, b->sender,
                            rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "?",
                            digest);
        } else {
            rc = pl_db_fail(c->db, c->e, rc, "reading the batches imported");
        }
        sqlite3_reset(st);
        return rc;
    }
    if (b->seq > last + 1)
        return pl_err_set(c->e, PLEDGER_ESTATE,
                          "sequence: batch %" PRIu64 " from '%s' cannot be imported: batch %" PRIu64
                          " is missing (the last imported is %" PRIu64 "); import it first",
                          b->seq, b->sender, last + 1, last);
    if (strcmp(b->previous, last_digest) != 0)
        return pl_err_set(c->e, PLEDGER_ECONFLICT,
                          "previous: batch %" PRIu64 " from '%s' follows a batch with SHA-256 "
                          "%s; the batch %" PRIu64 " imported has %s", b->seq, b->sender,
                          b->previous, last, last_digest);
    return 0;
}

static int app_id(const pl_ctx *c, const char *uuid, int64_t *id)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(c->db, c->e, sql_app_id, &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : pl_db_fail(c->db, c->e, rc, "reading an application");
}

static int import_item(const pl_ctx *c, const pl_xbatch *b, const pl_xitem *it)
{
    pl_findings f = { 0 };
    int rc;

    if (c->site == PLEDGER_SITE_ACCEPTANCE_POINT) {
        if (it->what != PL_XITEM_RESULT)
            return pl_err_set(c->e, PLEDGER_EINVAL, "an acceptance point receives decisions, "
                              "not %ss", pl_xwhat_name(it->what));
        pl_wf_decision d = { it->uuid, it->state, it->number, it->document, it->ground,
                             it->note, it->due, it->at_us, it->by };
        return pl_wf_result(c, &d);
    }
    if (it->what == PL_XITEM_RESULT)
        return pl_err_set(c->e, PLEDGER_EINVAL, "an office receives applications, not "
                          "decisions");
    if (!pl_kind(it->kind))
        return pl_err_set(c->e, PLEDGER_EINVAL, "@kind: not a kind");
    pl_wf_received r = { it->uuid, it->kind, it->document, it->document_len, it->digest,
                         it->acceptance_number, it->office, b->sender, it->at_us, it->by };
    rc = it->what == PL_XITEM_APPLICATION ? pl_wf_receive(c, &r, &f)
                                           : pl_wf_receive_correction(c, &r, &f);
    pl_findings_clear(&f);
    return rc;
}

static int import_batch(const pl_ctx *c, const char *xml, size_t len, const pl_xbatch *b,
                        const pl_doc_key *key, const char *checkpoint, char **receipt,
                        size_t *rlen)
{
    char upstream[17], digest[65];
    int64_t *ids = NULL, batch_id;
    int site, rc;

    if (strcmp(b->receiver, c->office) != 0)
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "receiver: the batch is addressed to office '%.16s'; this registry "
                          "is '%s'", b->receiver, c->office);
    if (strcmp(b->sender, c->office) == 0)
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "sender: the batch comes from this registry's own office code '%s'",
                          c->office);
    if ((rc = pl_wf_site_get(c->db, c->e, &site, upstream)))
        return rc;
    if (c->site == PLEDGER_SITE_ACCEPTANCE_POINT && strcmp(b->sender, upstream) != 0)
        return pl_err_set(c->e, PLEDGER_EPERM,
                          "sender: this acceptance point takes batches from its office '%s' "
                          "only, not from '%.16s'", upstream, b->sender);
    if (!key)
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "signers: no certificate private key to sign the receipt with");
    if ((rc = pl_xdigest(c->e, xml, len, digest)) || (rc = pl_db_batch_begin(c->db, c->e)))
        return rc;
    if ((rc = line_check(c, b, digest, receipt)) == 1) {
        pl_db_batch_end(c->db, c->e, false);
        if (rlen)
            *rlen = strlen(*receipt);
        return 0;
    }
    if (rc)
        goto fail;
    if (!(ids = calloc(b->n ? b->n : 1, sizeof *ids))) {
        rc = pl_err_oom(c->e);
        goto fail;
    }
    for (size_t i = 0; i < b->n; i++)
        if ((rc = import_item(c, b, &b->items[i])) ||
            (rc = app_id(c, b->items[i].uuid, &ids[i]))) {
            pl_err_prefix(c->e, "items/%s[%zu] (application %s)",
                          pl_xwhat_name(b->items[i].what), i + 1, b->items[i].uuid);
            goto fail;
        }
    pl_xreceipt r = { (char *)c->office, b->sender, b->seq, "", pl_ctx_now(c), b->n,
                      (char *)checkpoint };
    memcpy(r.batch, digest, sizeof digest);
    if ((rc = pl_xreceipt_make(c->e, &r, key, receipt, rlen)) ||
        (rc = pl_wf_next_id(c, sql_next_batch_id, &batch_id)))
        goto fail;
    pl_json j;
    pl_json_init(&j);
    pl_json_int(&j, "batch_id", batch_id);
    pl_json_str(&j, "digest", digest);
    pl_json_str(&j, "direction", "in");
    pl_json_null(&j, "document");
    json_items(&j, b, ids);
    pl_json_str(&j, "peer", b->sender);
    pl_json_str(&j, "receipt", *receipt);
    pl_json_int(&j, "sequence", (int64_t)b->seq);
    if ((rc = pl_wf_record(c, "exchange.import", b->sender, &j)))
        goto fail;
    free(ids);
    if ((rc = pl_db_batch_end(c->db, c->e, true))) {
        free(*receipt);
        *receipt = NULL;
    }
    return rc;
fail:
    free(ids);
    free(*receipt);
    *receipt = NULL;
    pl_db_batch_end(c->db, c->e, false);
    return rc;
}

int pl_wf_exchange_import(const pl_ctx *c, const char *xml, size_t len,
                          const pl_doc_key *const *keys, size_t nkeys, const pl_doc_key *key,
                          const char *checkpoint, char **receipt, size_t *rlen)
{
    pl_xdoc_kind kind;
    pl_xbatch b;
    pl_xreceipt r;
    int rc;

    *receipt = NULL;
    if (rlen)
        *rlen = 0;
    if ((rc = pl_step_check_role(c->e, PL_STEP_EXCHANGE, c->role, c->actor, 0)) ||
        (rc = pl_xdoc_open(c->e, xml, len, keys, nkeys, &kind, &b, &r)))
        return rc;
    if (kind == PL_XDOC_RECEIPT)
        rc = take_receipt(c, xml, &r);
    else
        rc = import_batch(c, xml, len, &b, key, checkpoint, receipt, rlen);
    pl_xbatch_clear(&b);
    pl_xreceipt_clear(&r);
    return rc;
}

/* ---- status ---------------------------------------------------------------------------- */

static const char sql_lines[] =
    "SELECT peer, coalesce(max(CASE WHEN direction = 'out' THEN seq END), 0),"
    " coalesce(max(CASE WHEN direction = 'out' AND acked_at IS NOT NULL THEN seq END), 0),"
    " coalesce(max(CASE WHEN direction = 'in' THEN seq END), 0)"
    " FROM (SELECT peer, direction, seq, acked_at FROM exchange_batch"
    "  UNION ALL SELECT DISTINCT origin, NULL, NULL, NULL FROM application"
    "  WHERE origin IS NOT NULL"
    "  UNION ALL SELECT ?1, NULL, NULL, NULL WHERE ?1 <> '')"
    " GROUP BY peer ORDER BY peer";
static const char sql_count_apps[] =
    "SELECT count(*) FROM application WHERE state = 4 AND origin IS NULL";
static const char sql_count_results[] =
    "SELECT count(*) FROM application WHERE origin = ?1 AND state IN (5, 6, 7, 8)"
    " AND (reported_state IS NULL OR reported_state <> state)";

int pl_wf_exchange_status(const pl_ctx *c, pl_xline **out, size_t *n)
{
    char upstream[17];
    sqlite3_stmt *st, *cnt;
    pl_xline *v = NULL;
    size_t cap = 0;
    int site, rc;

    *out = NULL;
    *n = 0;
    if ((rc = pl_wf_site_get(c->db, c->e, &site, upstream)) ||
        (rc = pl_db_stmt(c->db, c->e, sql_lines, &st)))
        return rc;
    sqlite3_bind_text(st, 1, site == PLEDGER_SITE_ACCEPTANCE_POINT ? upstream : "", -1,
                      SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            pl_xline *nv = realloc(v, (cap = cap ? 2 * cap : 8) * sizeof *nv);
            if (!nv) {
                rc = SQLITE_NOMEM;
                break;
            }
            v = nv;
        }
        pl_xline *l = &v[(*n)++];
        memset(l, 0, sizeof *l);
        snprintf(l->peer, sizeof l->peer, "%s", sqlite3_column_text(st, 0));
        l->last_sent = (uint64_t)sqlite3_column_int64(st, 1);
        l->last_acked = (uint64_t)sqlite3_column_int64(st, 2);
        l->last_received = (uint64_t)sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(v);
        *n = 0;
        return rc == SQLITE_NOMEM ? pl_err_oom(c->e)
                                  : pl_db_fail(c->db, c->e, rc, "reading the lines");
    }
    for (size_t i = 0; i < *n; i++) {
        bool ap = site == PLEDGER_SITE_ACCEPTANCE_POINT;
        if (ap && strcmp(v[i].peer, upstream) != 0)
            continue;
        if ((rc = pl_db_stmt(c->db, c->e, ap ? sql_count_apps : sql_count_results, &cnt))) {
            free(v);
            *n = 0;
            return rc;
        }
        if (!ap)
            sqlite3_bind_text(cnt, 1, v[i].peer, -1, SQLITE_STATIC);
        if ((rc = sqlite3_step(cnt)) == SQLITE_ROW)
            v[i].pending = (size_t)sqlite3_column_int64(cnt, 0);
        sqlite3_reset(cnt);
        if (rc != SQLITE_ROW) {
            free(v);
            *n = 0;
            return pl_db_fail(c->db, c->e, rc, "counting what is pending");
        }
    }
    *out = v;
    return 0;
}
