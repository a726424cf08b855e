/* Bulk filing.  The steps are the single filing's own (app-flow.c): each
 * opens and commits its "transaction" as always, and the batch
 * (pl_db_batch_begin) makes those nest inside one, so that the items are
 * all registered or none is, and the registration numbers of a batch
 * are consecutive (the batch holds the write lock throughout). */
#include "workflow/bulk-flow.h"

#include <stdlib.h>
#include <string.h>

#include "model/kinds.h"
#include "store/apply.h"
#include "store/ops-flow.h"
#include "rules/review.h"
#include "workflow/app-flow.h"
#include "workflow/filing-key.h"

void pl_filed_clear(pl_filed *f)
{
    free(f->uuid);
    free(f->acceptance_number);
    free(f->number);
    if (f->modcode)
        memset(f->modcode, 0, strlen(f->modcode));
    free(f->modcode);
    pl_findings_clear(&f->findings);
    memset(f, 0, sizeof *f);
}

int pl_bulk_check_role(const pl_ctx *c)
{
    if (c->role != PLEDGER_ROLE_APPLICANT)
        return pl_err_set(c->e, PLEDGER_EPERM,
                          "file_batch: actor '%s' has role %s; only an applicant (the "
                          "pledgee) files in bulk",
                          c->actor ? c->actor : "(none)",
                          pl_role_name(c->role) ? pl_role_name(c->role) : "none");
    return 0;
}

static int check_items(const pl_ctx *c, pl_doc *const *docs, size_t n)
{
    const pl_kind_info *k;
    int rc;

    if ((rc = pl_bulk_check_role(c)))
        return rc;
    if (n == 0)
        return pl_err_set(c->e, PLEDGER_EINVAL, "n: the batch has no items");
    if (n > PL_FILE_BATCH_MAX)
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "n: %zu items; one batch files at most %d", n,
                          PL_FILE_BATCH_MAX);
    for (size_t i = 0; i < n; i++)
        if (!docs[i])
            return pl_err_set(c->e, PLEDGER_EINVAL, "item %zu: is NULL", i);
    k = pl_kind(pl_doc_kind(docs[0]));
    if (!k->pledgee_files)
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "item 0: @kind: a %s application is filed jointly and "
                          "registered by the registrar; only kinds the pledgee files alone "
                          "(receivable) are filed in bulk", k->name);
    for (size_t i = 1; i < n; i++)
        if ((int)pl_doc_kind(docs[i]) != (int)k->kind)
            return pl_err_set(c->e, PLEDGER_EINVAL,
                              "item %zu: @kind: a %s application in a batch of %s "
                              "applications; a batch is of one kind",
                              i, pl_kind(pl_doc_kind(docs[i]))->name, k->name);
    return 0;
}

static bool stops_filing(const pl_findings *f)
{
    size_t counts[5];
    pl_findings_count(f, counts);
    return counts[PLEDGER_SEVERITY_BLOCKING] + counts[PLEDGER_SEVERITY_CORRECTABLE] > 0;
}

/* Forget what the rolled-back batch made. */
static void unfile(pl_filed *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(items[i].uuid);
        free(items[i].acceptance_number);
        free(items[i].number);
        free(items[i].modcode);
        items[i].uuid = items[i].acceptance_number = items[i].number = items[i].modcode = NULL;
    }
}

static int item_failed(const pl_ctx *c, int rc, size_t i)
{
    pl_err_prefix(c->e, "item %zu", i);
    return rc;
}

/* The applications the first filing under @key registered (@apps: its
 * record, @n of them), into @items. */
static int replay(const pl_ctx *c, const char *key, const char *apps, size_t n,
                  pl_filed *items)
{
    char (*uuids)[37] = malloc(n * sizeof *uuids);
    int rc;

    if (!uuids)
        return pl_err_oom(c->e);
    if ((rc = pl_key_uuids(c, key, apps, n, uuids)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        pl_app_row row;
        memset(&row, 0, sizeof row);
        if ((rc = PL_OPS(c->db, flow)->app_load(c->db, c->e, uuids[i], &row))) {
            pl_err_prefix(c->e, "the filing made under key '%s'", key);
            goto done;
        }
        if (!row.acceptance_number || !row.registration_number) {
            /* what the key names was registered: a row without its numbers
             * is damage, not a lack of memory */
            pl_app_row_clear(&row);
            rc = pl_err_set(c->e, PLEDGER_ECORRUPT, "the filing made under key '%s': item %zu "
                            "(application %s) has no registration number", key, i, uuids[i]);
            goto done;
        }
        items[i].uuid = strdup(row.uuid);
        items[i].acceptance_number = strdup(row.acceptance_number);
        items[i].number = strdup(row.registration_number);
        pl_app_row_clear(&row);
        if (!items[i].uuid || !items[i].acceptance_number || !items[i].number) {
            rc = pl_err_oom(c->e);
            goto done;
        }
    }
done:
    free(uuids);
    return rc;
}

/* Under @key: 0 and *@found false when it was never used (*@digest: the
 * batch's, to record); *@found true when the same batch was filed under
 * it (@items: what was registered); PLEDGER_ECONFLICT when it was used
 * for another request. */
static int look_up_key(const pl_ctx *c, const char *key, pl_doc *const *docs, size_t n,
                       char *digest, pl_filed *items, bool *found)
{
    char *apps = NULL;
    int rc;

    *found = false;
    if ((rc = pl_key_digest(c, PL_KEYED_BATCH, docs, n, digest)) ||
        (rc = pl_key_look_up(c, key, digest, &apps)))
        return rc;
    if (apps && !(rc = replay(c, key, apps, n, items)))
        *found = true;
    free(apps);
    return rc;
}

/* Record that the batch of @items was filed under @key (inside the batch). */
static int record_key(const pl_ctx *c, const char *key, const char *digest,
                      const pl_filed *items, size_t n)
{
    const char **uuids = malloc(n * sizeof *uuids);
    int rc;

    if (!uuids)
        return pl_err_oom(c->e);
    for (size_t i = 0; i < n; i++)
        uuids[i] = items[i].uuid;
    rc = pl_key_record(c, key, digest, uuids, n);
    free(uuids);
    return rc;
}

int pl_wf_file_batch(const pl_ctx *c, pl_doc *const *docs, size_t n, const char *key,
                     pl_filed *items, size_t *n_blocked, bool *replayed)
{
    pl_ctx self = *c;
    size_t blocked = 0, first = 0, cur = 0;
    char digest[PL_KEY_DIGEST_MAX + 1] = "";
    int rc;

    *n_blocked = 0;
    *replayed = false;
    if ((rc = check_items(c, docs, n)))
        return rc;
    /* the pledgee alone files these kinds: it accepts and registers its
     * own filing (check_items() admitted only such kinds) */
    self.self_filing = true;
    if ((rc = pl_db_batch_begin(c->db, c->e)))
        return rc;
    if (key && (rc = look_up_key(c, key, docs, n, digest, items, replayed))) {
        pl_db_batch_end(c->db, c->e, false);
        unfile(items, n);
        return rc;
    }
    if (*replayed) { /* filed before: nothing to write */
        pl_db_batch_end(c->db, c->e, false);
        return 0;
    }
    /* every item is reviewed before any is registered: what the registry
     * holds on a right is read once for the batch (review.h) */
    if (!(self.review_memo = pl_review_memo_new())) {
        rc = pl_err_oom(c->e);
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        cur = i;
        if ((rc = pl_wf_save(&self, docs[i], &items[i].uuid)) ||
            (rc = pl_wf_review(&self, items[i].uuid, &items[i].findings)))
            goto fail;
        if ((items[i].blocked = stops_filing(&items[i].findings)) && blocked++ == 0)
            first = i;
    }
    pl_review_memo_free(self.review_memo);
    self.review_memo = NULL; /* the registrations change what it holds */
    if (blocked) {
        const pl_finding *f = &items[first].findings.v[0];
        for (size_t j = 0; j < items[first].findings.n; j++)
            if (items[first].findings.v[j].severity == PLEDGER_SEVERITY_BLOCKING ||
                items[first].findings.v[j].severity == PLEDGER_SEVERITY_CORRECTABLE) {
                f = &items[first].findings.v[j];
                break;
            }
        pl_db_batch_end(c->db, c->e, false);
        unfile(items, n);
        *n_blocked = blocked;
        return pl_err_set(c->e, PLEDGER_EREVIEW,
                          "%zu of %zu items have findings that stop filing "
                          "(the first: item %zu, %s: %s); nothing was filed",
                          blocked, n, first, f->path ? f->path : "-", pl_finding_text(f));
    }
    for (size_t i = 0; i < n; i++)
        if ((cur = i, rc = pl_wf_submit(&self, items[i].uuid)) ||
            (rc = pl_wf_accept(&self, items[i].uuid, &items[i].acceptance_number)) ||
            (rc = pl_wf_register(&self, items[i].uuid, &items[i].number, &items[i].modcode)))
            goto fail;
    if (key && (cur = n, rc = record_key(c, key, digest, items, n)))
        goto fail;
    if ((rc = pl_db_batch_end(c->db, c->e, true))) {
        unfile(items, n);
        return rc;
    }
    return 0;
fail:
    pl_review_memo_free(self.review_memo);
    if (cur < n)
        item_failed(c, rc, cur);
    pl_db_batch_end(c->db, c->e, false);
    unfile(items, n);
    return rc;
}
