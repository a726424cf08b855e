/* The keys of rights made again after an upgrade of the library changed
 * how a key is made (store/schema-filing.c, migration 12: receivables).
 * Keys are made from the documents (model/app-extract.c), which SQL
 * cannot read, so the migration only marks the registry; the first
 * handle that opens it for writing reads every receivable application
 * again and journals one "registry.rekey" event with each key that
 * changes and the debtors of each receivable pledged (pledge_debtor,
 * which registrations write since), and how many documents could not be
 * read again ("unread": changed outside the library, they keep their
 * keys).  The journal stays the whole story: a replay makes the old keys
 * from the old events, then this event's. */
#include "workflow/flow.h"

#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "model/application.h"
#include "store/apply.h"
#include "store/journal.h"
#include "store/ops-flow.h"

typedef struct change {
    int64_t id;
    size_t idx;
    char *key; /* or the debtor */
} change;

typedef struct changes {
    change *v;
    size_t n, cap;
} changes;

typedef struct rekey {
    int32_t today;
    changes apps, pledges, debtors;
    size_t unread; /* documents that could not be read again */
} rekey;

static int changed(pl_err *e, changes *c, int64_t id, size_t idx, const char *key)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        change *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return pl_err_oom(e);
        c->v = v;
        c->cap = cap;
    }
    if (!(c->v[c->n].key = strdup(key)))
        return pl_err_oom(e);
    c->v[c->n].id = id;
    c->v[c->n].idx = idx;
    c->n++;
    return 0;
}

static void changes_clear(changes *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].key);
    free(c->v);
}

static int one(void *arg, pl_err *e, const pl_rights_stored *r)
{
    rekey *k = arg;
    pl_doc *doc = NULL;
    pl_app *app = NULL;
    int rc;

    if (!r->document || !r->doc_hash)
        return 0;
    if ((rc = pl_doc_parse_stored(&doc, e, r->document, strlen(r->document), r->doc_hash)) ||
        (rc = pl_doc_extract(doc, e, k->today, &app))) {
        pl_doc_free(doc);
        if (rc == PLEDGER_ENOMEM)
            return rc;
        /* a document changed outside the library keeps its keys: the
         * journal's verification names it */
        k->unread++;
        pl_err_clear(e);
        return 0;
    }
    /* application_right holds the keys there are, in order (workflow/
     * app-flow.c); pledge_right one per right */
    size_t idx = 0;
    for (size_t i = 0; !rc && i < app->n_rights; i++) {
        const char *key = app->rights[i].key;
        if (!key)
            continue;
        idx++;
        if (idx <= r->n_app_keys && r->app_keys[idx - 1] && strcmp(r->app_keys[idx - 1], key))
            rc = changed(e, &k->apps, r->application_id, idx, key);
    }
    for (size_t i = 0; !rc && r->pledge_id && i < app->n_rights && i < r->n_pledge_keys; i++) {
        const pl_app_right *ar = &app->rights[i];
        if (ar->key && r->pledge_keys[i] && strcmp(r->pledge_keys[i], ar->key))
            rc = changed(e, &k->pledges, r->pledge_id, i + 1, ar->key);
        /* a pledge registered before its debtors were kept */
        for (size_t d = 0; !rc && !r->n_pledge_debtors && d < ar->n_debtors; d++)
            if (ar->debtors[d].id_norm && *ar->debtors[d].id_norm)
                rc = changed(e, &k->debtors, r->pledge_id, i + 1, ar->debtors[d].id_norm);
    }
    pl_app_free(app);
    pl_doc_free(doc);
    return rc;
}

/* The array @name of {"id", "idx", "key"} (or {"debtor", "id", "idx"}:
 * canonical JSON names its members in order). */
static void put_changes(pl_json *j, const char *name, const changes *c, bool debtor)
{
    pl_json_begin_array(j, name);
    for (size_t i = 0; i < c->n; i++) {
        pl_json_begin_object(j, NULL);
        if (debtor)
            pl_json_str(j, "debtor", c->v[i].key);
        pl_json_int(j, "id", c->v[i].id);
        pl_json_int(j, "idx", (int64_t)c->v[i].idx);
        if (!debtor)
            pl_json_str(j, "key", c->v[i].key);
        pl_json_end_object(j);
    }
    pl_json_end_array(j);
}

int pl_wf_rights_rekey(pl_db *db, pl_err *e, int utc_offset)
{
    rekey k = { 0 };
    bool pending = false;
    int64_t last_at = 0;
    char *json = NULL;
    int rc;

    /* looked at first without the write lock, which another writer may
     * hold: an opening waits for it only when there is work */
    if ((rc = pl_db_read_begin(db, e)))
        return rc;
    rc = PL_OPS(db, flow)->upgrade_pending(db, e, "right_keys", &pending, &last_at);
    pl_db_rollback(db);
    if (rc || !pending)
        return rc;
    if ((rc = pl_db_write_begin(db, e))) {
        /* another handle holds the lock (the one making the keys, most
         * likely): this one opens all the same, and a later opening does
         * it if it is still to do */
        if (rc == PLEDGER_EBUSY) {
            pl_err_clear(e);
            return 0;
        }
        return rc;
    }
    if ((rc = PL_OPS(db, flow)->upgrade_pending(db, e, "right_keys", &pending, &last_at)) ||
        !pending) {
        pl_db_rollback(db);
        return rc;
    }
    /* recorded at the instant of the event before it: it makes again
     * what that history made, and a registry kept on a clock of its own
     * (a test's, a demonstration's) goes on from where it was; the
     * instant it was made at is in the payload */
    int64_t now = pl_db_now(db), at = last_at ? last_at : now;
    k.today = pl_date_of_instant(at, utc_offset);
    rc = PL_OPS(db, flow)->rights_stored(db, e, PLEDGER_KIND_RECEIVABLE, one, &k);
    if (!rc) {
        pl_json j;
        pl_json_init(&j);
        put_changes(&j, "applications", &k.apps, false);
        put_changes(&j, "debtors", &k.debtors, true);
        pl_json_int(&j, "made_at", now);
        put_changes(&j, "pledges", &k.pledges, false);
        pl_json_int(&j, "unread", (int64_t)k.unread);
        pl_json_str(&j, "upgrade", "right_keys");
        if (!(json = pl_json_finish(&j)))
            rc = pl_err_oom(e);
    }
    if (!rc) {
        pl_event ev = {
            .at_us = at,
            .actor = "pledger",
            .role = "system",
            .operation = PL_OP_RIGHTS_REKEY,
            .subject = "right_keys",
            .payload = json,
        };
        rc = pl_record(db, e, &ev, NULL);
    }
    free(json);
    changes_clear(&k.apps);
    changes_clear(&k.pledges);
    changes_clear(&k.debtors);
    if (rc) {
        pl_db_rollback(db);
        return rc;
    }
    return pl_db_commit(db, e);
}
