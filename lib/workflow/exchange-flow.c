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

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "model/exchange-doc.h"
#include "model/kinds.h"
#include "store/apply.h"
#include "store/journal.h"
#include "store/ops-exchange.h"
#include "store/ops-flow.h"
#include "workflow/app-flow.h"
#include "workflow/numbers.h"

static const char zeros[65] = "0000000000000000000000000000000000000000000000000000000000000000";

/* ---- the site ------------------------------------------------------------------------ */

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
    bool any;
    int rc;

    if ((rc = pl_step_check_role(c->e, PL_STEP_SETTINGS, c->role, c->actor, 0)) ||
        (rc = pl_db_batch_begin(c->db, c->e)))
        return rc;
    if ((rc = PL_OPS(c->db, flow)->apps_exist(c->db, c->e, &any)))
        goto done;
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

/* What the journal event of a batch says of one item. */
typedef struct xref {
    int64_t id;        /* the application */
    pl_xwhat what;
    int state;         /* a result's state */
} xref;

/* The next batch as its items are read: each written into the batch as
 * it comes (pl_xwriter), its document never copied, only what the event
 * says of it kept. */
typedef struct pending_ctx {
    const pl_ctx *c;
    pl_xwriter *w;
    xref *refs;
    size_t n, cap;
    bool full;         /* the next item would make the batch too large */
} pending_ctx;

/* Write @it (of application @id) into the batch; 1 (not an error) when
 * it does not fit in this batch: it goes in the next. */
static int pending_put(pending_ctx *p, pl_err *e, int64_t id, const pl_xitem *it)
{
    if (p->n && pl_xwriter_size(p->w) + pl_xwriter_item_size(it) + 4096 > PL_EXCHANGE_MAX_SIZE) {
        p->full = true;
        return 1;
    }
    if (p->n == p->cap) {
        size_t nc = p->cap ? 2 * p->cap : 64;
        xref *nr = realloc(p->refs, nc * sizeof *nr);
        if (!nr)
            return pl_err_oom(e);
        p->refs = nr;
        p->cap = nc;
    }
    int rc = pl_xwriter_item(p->w, e, it);
    if (rc)
        return rc;
    p->refs[p->n++] = (xref){ id, it->what, it->state };
    return 0;
}

static int pending_app(void *arg, pl_err *e, const pl_xpending_app *a)
{
    pl_xitem it = {
        .what = a->sent_before ? PL_XITEM_CORRECTION : PL_XITEM_APPLICATION,
        .uuid = (char *)a->uuid,
        .kind = a->kind,
        .state = PLEDGER_APP_ACCEPTED,
        .acceptance_number = (char *)a->acceptance_number,
        .office = (char *)a->office,
        .at_us = a->at_us,
        .by = (char *)a->by,
        .document = (char *)a->document,
        .document_len = strlen(a->document),
        .due = INT32_MIN,
    };
    snprintf(it.digest, sizeof it.digest, "%s", a->doc_hash);
    return pending_put(arg, e, a->id, &it);
}

static int pending_result(void *arg, pl_err *e, const pl_xpending_result *r)
{
    pending_ctx *p = arg;
    pl_xitem it = {
        .what = PL_XITEM_RESULT,
        .uuid = (char *)r->uuid,
        .state = r->state,
        .number = (char *)r->number,
        .document = (char *)r->certificate,
        .ground = (char *)r->ground,
        .note = (char *)r->note,
        .due = r->due,
        .at_us = r->at_us,
        .by = (char *)r->by,
    };
    int rc;

    if (it.document) {
        it.document_len = strlen(it.document);
        if ((rc = pl_xdigest(e, it.document, it.document_len, it.digest)))
            return rc;
    }
    return pending_put(p, e, r->id, &it);
}

/* Write the items the next batch to @peer carries (at most
 * PL_EXCHANGE_MAX_ITEMS, and no more than PL_EXCHANGE_MAX_SIZE bytes). */
static int pending(const pl_ctx *c, const char *peer, pending_ctx *p)
{
    const pl_exchange_ops *x = PL_OPS(c->db, exchange);
    int rc = c->site == PLEDGER_SITE_ACCEPTANCE_POINT
                 ? x->pending_applications(c->db, c->e, PL_EXCHANGE_MAX_ITEMS, pending_app, p)
                 : x->pending_results(c->db, c->e, peer, PL_EXCHANGE_MAX_ITEMS, pending_result,
                                      p);
    return rc == 1 && p->full ? 0 : rc;
}

/* The items of an exchange event's payload. */
static void json_items(pl_json *j, const xref *refs, size_t n)
{
    pl_json_begin_array(j, "items");
    for (size_t i = 0; i < n; i++) {
        pl_json_begin_object(j, NULL);
        pl_json_int(j, "application_id", refs[i].id);
        pl_json_int(j, "state", refs[i].what == PL_XITEM_RESULT ? refs[i].state
                                                                 : PLEDGER_APP_ACCEPTED);
        pl_json_str(j, "what", pl_xwhat_name(refs[i].what));
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

/* The batch's text back from the JSON string that holds it (at @s, after
 * its opening quote): @len bytes, else NULL.  The writer puts no control
 * character but tab and line ends in a batch, so no \u escape. */
static char *json_unquote(const char *s, size_t len)
{
    char *out = malloc(len + 1), *o = out;
    if (!out)
        return NULL;
    for (; *s && *s != '"' && (size_t)(o - out) < len; s++) {
        if (*s != '\\') {
            *o++ = *s;
            continue;
        }
        switch (*++s) {
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case '"': case '\\': case '/': *o++ = *s; break;
        default: free(out); return NULL;
        }
    }
    if (*s != '"' || (size_t)(o - out) != len) {
        free(out);
        return NULL;
    }
    *o = '\0';
    return out;
}

/* Record the batch @*out (@len bytes) sent to @peer: its event, whose
 * payload holds the batch as a JSON string.  While SQLite stores it (the
 * journal's row, then the batch's), the batch is held once, in the
 * payload: *@out is freed and made again from it after. */
static int record_export(const pl_ctx *c, const char *peer, int64_t batch_id,
                         const char *digest, const pending_ctx *p, uint64_t seq, char **out,
                         size_t len)
{
    static const char key[] = "\"document\":\"";
    pl_json j;
    pl_json_init(&j);
    pl_json_int(&j, "batch_id", batch_id);
    pl_json_str(&j, "digest", digest);
    pl_json_str(&j, "direction", "out");
    pl_json_str(&j, "document", *out);
    json_items(&j, p->refs, p->n);
    pl_json_str(&j, "peer", peer);
    pl_json_null(&j, "receipt");
    pl_json_int(&j, "sequence", (int64_t)seq);
    char *payload = pl_json_finish(&j);
    if (!payload)
        return pl_err_oom(c->e);
    free(*out);
    *out = NULL;
    pl_event ev = {
        .at_us = pl_ctx_now(c),
        .actor = c->actor,
        .role = pl_role_name(c->role),
        .operation = PL_OP_EXCHANGE_EXPORT,
        .subject = peer,
        .payload = payload,
    };
    int rc = pl_record(c->db, c->e, &ev, NULL);
    /* the first "document" is the member's key: the members before it are
     * a number and two strings of hex digits and letters */
    const char *at = strstr(payload, key);
    if (!rc && (!at || !(*out = json_unquote(at + sizeof key - 1, len))))
        rc = pl_err_oom(c->e);
    free(payload);
    return rc;
}

int pl_wf_exchange_export(const pl_ctx *c, const char *peer, const pl_doc_key *key,
                          const char *checkpoint, char **out, size_t *len)
{
    char upstream[17], digest[65];
    pl_xbatch b;
    pending_ctx p = { c, NULL, NULL, 0, 0, false };
    int64_t batch_id;
    const pl_exchange_ops *x = PL_OPS(c->db, exchange);
    pl_xbatch_row last;
    char *again;
    int site, rc;

    *out = NULL;
    memset(&b, 0, sizeof b);
    if ((rc = pl_step_check_role(c->e, PL_STEP_EXCHANGE, c->role, c->actor, 0)) ||
        (rc = pl_wf_site_get(c->db, c->e, &site, upstream)) ||
        (rc = check_peer(c, peer, upstream)) || (rc = pl_db_write_begin(c->db, c->e)))
        return rc;
    /* a batch not acknowledged yet goes again: the same bytes, or, when
     * the key given now is not the one that signed it (replaced while
     * the batch waited), the same batch signed anew with it -- its
     * identity, which the receiver and the receipt name, is its signed
     * content's and does not change */
    if ((rc = x->batch_unacked(c->db, c->e, peer, &again)))
        return pl_step_finish(c, rc);
    if (again) {
        bool resigned;
        rc = pl_xdoc_resign(c->e, again, key, out, len, &resigned);
        free(again);
        pl_db_rollback(c->db);
        return rc ? pl_err_prefix(c->e, "the batch waiting for its receipt from '%s'", peer) : 0;
    }
    b.seq = 1;
    memcpy(b.previous, zeros, sizeof zeros);
    if ((rc = x->batch_last(c->db, c->e, true, peer, &last)))
        goto done;
    if (last.found) {
        b.seq = last.seq + 1;
        snprintf(b.previous, sizeof b.previous, "%s", last.digest);
    }
    pl_xbatch_row_clear(&last);
    b.sender = (char *)c->office;
    b.receiver = (char *)peer;
    b.created_us = pl_ctx_now(c);
    /* the batch is written as its items are read: no copy of them, no
     * tree (a batch of 75 MB is held once, then once more as the
     * journal event that records it) */
    if ((rc = pl_xwriter_begin(c->e, &b, &p.w)) || (rc = pending(c, peer, &p)))
        goto done;
    if (p.n == 0) {
        rc = pl_err_set(c->e, PLEDGER_ENOTFOUND, "nothing to send to '%s'", peer);
        goto done;
    }
    rc = pl_xwriter_finish(p.w, c->e, checkpoint, key, out, len, digest);
    p.w = NULL;
    if (rc || (rc = pl_wf_next_id(c, PL_ID_BATCH, &batch_id)))
        goto done;
    rc = record_export(c, peer, batch_id, digest, &p, b.seq, out, strlen(*out));
done:
    pl_xwriter_abort(p.w);
    free(p.refs);
    if ((rc = pl_step_finish(c, rc))) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- import -------------------------------------------------------------------------- */

static int take_receipt(const pl_ctx *c, const char *xml, const pl_xreceipt *r)
{
    pl_xbatch_row sent;
    pl_json j;
    int rc;

    if (strcmp(r->receiver, c->office) != 0)
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "receipt: it is addressed to office '%.16s'; this registry is '%s'",
                          r->receiver, c->office);
    if ((rc = pl_db_write_begin(c->db, c->e)) ||
        (rc = PL_OPS(c->db, exchange)->batch_get(c->db, c->e, true, r->sender, r->seq, &sent)))
        return pl_step_finish(c, rc);
    if (!sent.found) {
        rc = pl_err_set(c->e, PLEDGER_ENOTFOUND, "receipt: no batch %" PRIu64 " was sent to '%s'",
                        r->seq, r->sender);
    } else if (strcmp(sent.digest, r->batch) != 0) {
        rc = pl_err_set(c->e, PLEDGER_ECONFLICT,
                        "receipt: batch %" PRIu64 " sent to '%s' has SHA-256 %s; the receipt "
                        "acknowledges %s", r->seq, r->sender, sent.digest, r->batch);
    } else if (r->items != sent.items) {
        rc = pl_err_set(c->e, PLEDGER_EINVAL,
                        "receipt: items: it counts %" PRIu64 " items; batch %" PRIu64 " sent to "
                        "'%s' carried %" PRIu64, r->items, r->seq, r->sender, sent.items);
    } else if (sent.acked) {
        pl_xbatch_row_clear(&sent);
        pl_db_rollback(c->db);
        return 0; /* taken before */
    }
    pl_xbatch_row_clear(&sent);
    if (rc)
        return pl_step_finish(c, rc);
    pl_json_init(&j);
    pl_json_str(&j, "peer", r->sender);
    pl_json_str(&j, "receipt", xml);
    pl_json_int(&j, "sequence", (int64_t)r->seq);
    return pl_step_finish(c, pl_wf_record(c, PL_OP_EXCHANGE_ACK, r->sender, &j));
}

/* Where batch @b stands on its line: 0 to import it; 1 when it was
 * imported before (*@receipt: the receipt then given); an error when it
 * does not follow the last one imported. */
static int line_check(const pl_ctx *c, const pl_xbatch *b, const char *digest, char **receipt)
{
    const pl_exchange_ops *x = PL_OPS(c->db, exchange);
    pl_xbatch_row row;
    uint64_t last = 0;
    char last_digest[65];
    int rc;

    memcpy(last_digest, zeros, sizeof zeros);
    if ((rc = x->batch_last(c->db, c->e, false, b->sender, &row)))
        return rc;
    if (row.found) {
        last = row.seq;
        snprintf(last_digest, sizeof last_digest, "%s", row.digest);
    }
    pl_xbatch_row_clear(&row);
    if (b->seq <= last) {
        if ((rc = x->batch_get(c->db, c->e, false, b->sender, b->seq, &row)))
            return rc;
        if (row.found && strcmp(row.digest, digest) == 0) {
            *receipt = row.receipt; /* never NULL for a batch imported */
            row.receipt = NULL;
            rc = 1;
        } else {
            rc = pl_err_set(c->e, PLEDGER_ECONFLICT,
                            "sequence: batch %" PRIu64 " from '%s' was imported before with "
                            "other content (SHA-256 %s, this one %s)", b->seq, b->sender,
                            row.found ? row.digest : "?", digest);
        }
        pl_xbatch_row_clear(&row);
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
    return PL_OPS(c->db, exchange)->app_id(c->db, c->e, uuid, id);
}

/* What an acceptance point says of an application it accepted, checked
 * before the office stores it: accepted by the point that sends the
 * batch, under a number that point makes (never one of the office's own
 * or another point's), at an instant that has passed, by someone. */
/* Whether @at_us (a step at the point) is more than the hour its clock
 * may run ahead of the office's after this registry's now: then @at and
 * @now say both as instants. */
static bool after_now(const pl_ctx *c, int64_t at_us, char at[32], char now[32])
{
    if (at_us <= pl_ctx_now(c) + INT64_C(3600000000))
        return false;
    pl_instant_format(at_us, at);
    pl_instant_format(pl_ctx_now(c), now);
    return true;
}

static int check_acceptance(const pl_ctx *c, const pl_xbatch *b, const pl_xitem *it)
{
    char at[32], now[32];

    if (!it->office || strcmp(it->office, b->sender) != 0)
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "office: accepted at '%.16s', but the batch comes from '%s'; a "
                          "point sends only what it accepted", it->office ? it->office : "",
                          b->sender);
    if (it->at_us <= 0)
        return pl_err_set(c->e, PLEDGER_EINVAL, "at: %" PRId64 " is not an instant of the "
                          "acceptance (microseconds since 1970, above 0)", it->at_us);
    if (after_now(c, it->at_us, at, now))
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "at: the acceptance instant %s is more than an hour after this "
                          "registry's now (%s): the acceptance point's clock is wrong", at, now);
    if (!it->by || !*it->by)
        return pl_err_set(c->e, PLEDGER_EINVAL, "by: no clerk named");
    /* the caller's prefix names the item and the application */
    int rc = pl_number_check_foreign(c->db, c->e, "acceptance_number",
                                     it->acceptance_number ? it->acceptance_number : "",
                                     PL_SERIES_ACCEPTANCE, b->sender, pl_kind(it->kind)->code);
    /* one application's number (SQLite's constraint said it otherwise) */
    char holder[37];
    if (!rc && !(rc = PL_OPS(c->db, exchange)->acceptance_holder(c->db, c->e,
                                                                  it->acceptance_number,
                                                                  it->uuid ? it->uuid : "",
                                                                  holder)) && *holder)
        rc = pl_err_set(c->e, PLEDGER_ECONFLICT, "acceptance_number: '%s' is already "
                        "application %s's", it->acceptance_number, holder);
    return rc;
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
    if (it->what == PL_XITEM_APPLICATION && (rc = check_acceptance(c, b, it)))
        return rc;
    if (it->what == PL_XITEM_CORRECTION) {
        /* a correction of the sender's own application only; and one the
         * office has decided meanwhile (withdrawn when the correction
         * lapsed, refused, registered) is passed over: the decision
         * stands, and the office's next batch tells it to the point.
         * Refused, it refused the whole batch, every time the point sent
         * it again, and the line stood still behind it. */
        bool found;
        int state;
        char origin[17];
        if ((rc = PL_OPS(c->db, exchange)->app_line(c->db, c->e, it->uuid ? it->uuid : "",
                                                    &found, &state, origin)))
            return rc;
        if (found && !*origin)
            return pl_err_set(c->e, PLEDGER_EPERM,
                              "correction: the application was filed at this office, not at "
                              "'%s' which sends its correction", b->sender);
        if (found && strcmp(origin, b->sender) != 0)
            return pl_err_set(c->e, PLEDGER_EPERM,
                              "correction: the application was accepted at '%s', not at '%s' "
                              "which sends its correction", origin, b->sender);
        if (found && (state == PLEDGER_APP_WITHDRAWN || state == PLEDGER_APP_REFUSED ||
                      state == PLEDGER_APP_REGISTERED))
            return 0;
    }
    /* a correction made at the point: at an instant that has passed too
     * (the point's clock within the hour allowed of the office's) */
    char at[32], now[32];
    if (it->what != PL_XITEM_APPLICATION && after_now(c, it->at_us, at, now))
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "at: the correction's instant %s is more than an hour after this "
                          "registry's now (%s): the acceptance point's clock is wrong", at, now);
    pl_wf_received r = { it->uuid, it->kind, it->document, it->document_len, it->digest,
                         it->acceptance_number, it->office, b->sender, it->at_us, it->by };
    rc = it->what == PL_XITEM_APPLICATION ? pl_wf_receive(c, &r, &f)
                                           : pl_wf_receive_correction(c, &r, &f);
    pl_findings_clear(&f);
    return rc;
}

static int import_batch(const pl_ctx *c, const pl_xbatch *b,
                        const pl_doc_key *key, const char *checkpoint, char **receipt,
                        size_t *rlen)
{
    char upstream[17], digest[65];
    xref *refs = NULL;
    int64_t batch_id;
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
    /* verified by pl_xdoc_open(): the digest its signature covers */
    memcpy(digest, b->digest, sizeof digest);
    if ((rc = pl_db_batch_begin(c->db, c->e)))
        return rc;
    if ((rc = line_check(c, b, digest, receipt)) == 1) {
        pl_db_batch_end(c->db, c->e, false);
        /* the receipt given before, signed anew when the key given now is
         * not the one that signed it (this registry's key was replaced,
         * and the sender trusts the new one only) */
        char *stored = *receipt;
        bool resigned;
        *receipt = NULL;
        rc = pl_xdoc_resign(c->e, stored, key, receipt, rlen, &resigned);
        free(stored);
        return rc ? pl_err_prefix(c->e, "the receipt of batch %" PRIu64 " from '%s'", b->seq,
                                  b->sender)
                  : 0;
    }
    if (rc)
        goto fail;
    if (!(refs = calloc(b->n ? b->n : 1, sizeof *refs))) {
        rc = pl_err_oom(c->e);
        goto fail;
    }
    for (size_t i = 0; i < b->n; i++) {
        refs[i].what = b->items[i].what;
        refs[i].state = b->items[i].state;
        if ((rc = import_item(c, b, &b->items[i])) ||
            (rc = app_id(c, b->items[i].uuid, &refs[i].id))) {
            pl_err_prefix(c->e, "items/%s[%zu] (application %s)",
                          pl_xwhat_name(b->items[i].what), i + 1, b->items[i].uuid);
            goto fail;
        }
    }
    pl_xreceipt r = { (char *)c->office, b->sender, b->seq, "", pl_ctx_now(c), b->n,
                      (char *)checkpoint };
    memcpy(r.batch, digest, sizeof digest);
    if ((rc = pl_xreceipt_make(c->e, &r, key, receipt, rlen)) ||
        (rc = pl_wf_next_id(c, PL_ID_BATCH, &batch_id)))
        goto fail;
    pl_json j;
    pl_json_init(&j);
    pl_json_int(&j, "batch_id", batch_id);
    pl_json_str(&j, "digest", digest);
    pl_json_str(&j, "direction", "in");
    pl_json_null(&j, "document");
    json_items(&j, refs, b->n);
    pl_json_str(&j, "peer", b->sender);
    pl_json_str(&j, "receipt", *receipt);
    pl_json_int(&j, "sequence", (int64_t)b->seq);
    if ((rc = pl_wf_record(c, PL_OP_EXCHANGE_IMPORT, b->sender, &j)))
        goto fail;
    free(refs);
    if ((rc = pl_db_batch_end(c->db, c->e, true))) {
        free(*receipt);
        *receipt = NULL;
    }
    return rc;
fail:
    free(refs);
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
        rc = import_batch(c, &b, key, checkpoint, receipt, rlen);
    pl_xbatch_clear(&b);
    pl_xreceipt_clear(&r);
    return rc;
}

/* ---- status ---------------------------------------------------------------------------- */

/* The lines as they are read. */
typedef struct lines_ctx {
    pl_xline *v;
    size_t n, cap;
} lines_ctx;

static int line_add(void *arg, pl_err *e, const char *peer, uint64_t last_sent,
                    uint64_t last_acked, uint64_t last_received)
{
    lines_ctx *x = arg;

    if (x->n == x->cap) {
        size_t nc = x->cap ? 2 * x->cap : 8;
        pl_xline *nv = realloc(x->v, nc * sizeof *nv);
        if (!nv)
            return pl_err_oom(e);
        x->v = nv;
        x->cap = nc;
    }
    pl_xline *l = &x->v[x->n++];
    memset(l, 0, sizeof *l);
    snprintf(l->peer, sizeof l->peer, "%s", peer);
    l->last_sent = last_sent;
    l->last_acked = last_acked;
    l->last_received = last_received;
    return 0;
}

int pl_wf_exchange_status(const pl_ctx *c, pl_xline **out, size_t *n)
{
    const pl_exchange_ops *x = PL_OPS(c->db, exchange);
    char upstream[17];
    lines_ctx l = { NULL, 0, 0 };
    bool ap;
    int site, rc;

    *out = NULL;
    *n = 0;
    if ((rc = pl_wf_site_get(c->db, c->e, &site, upstream)))
        return rc;
    ap = site == PLEDGER_SITE_ACCEPTANCE_POINT;
    if ((rc = x->lines(c->db, c->e, ap ? upstream : "", line_add, &l))) {
        free(l.v);
        return rc;
    }
    for (size_t i = 0; i < l.n; i++) {
        int64_t count;
        if (ap && strcmp(l.v[i].peer, upstream) != 0)
            continue;
        if ((rc = ap ? x->pending_applications_count(c->db, c->e, &count)
                     : x->pending_results_count(c->db, c->e, l.v[i].peer, &count))) {
            free(l.v);
            return rc;
        }
        l.v[i].pending = (size_t)count;
    }
    *out = l.v;
    *n = l.n;
    return 0;
}
