/* Bulk filing.  The steps are the single filing's own (app-flow.c): each
 * opens and commits its "transaction" as always, and the batch
 * (pl_db_batch_begin) makes those nest inside one, so that the items are
 * all registered or none is, and the registration numbers of a batch
 * are consecutive (the batch holds the write lock throughout). */
#include "workflow/bulk-flow.h"

#include <stdlib.h>
#include <string.h>

#include "model/kinds.h"
#include "workflow/app-flow.h"

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

static int check_items(const pl_ctx *c, pl_doc *const *docs, size_t n)
{
    const pl_kind_info *k;

    if (c->role != PLEDGER_ROLE_APPLICANT)
        return pl_err_set(c->e, PLEDGER_EPERM,
                          "actor '%s' has role %s; only an applicant (the pledgee) files in bulk",
                          c->actor ? c->actor : "(none)",
                          pl_role_name(c->role) ? pl_role_name(c->role) : "none");
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

int pl_wf_file_batch(const pl_ctx *c, pl_doc *const *docs, size_t n, pl_filed *items,
                     size_t *n_blocked)
{
    pl_ctx self = *c;
    size_t blocked = 0, first = 0, cur = 0;
    int rc;

    *n_blocked = 0;
    if ((rc = check_items(c, docs, n)))
        return rc;
    /* the pledgee alone files these kinds: it accepts and registers its
     * own filing (check_items() admitted only such kinds) */
    self.self_filing = true;
    if ((rc = pl_db_batch_begin(c->db, c->e)))
        return rc;
    for (size_t i = 0; i < n; i++) {
        cur = i;
        if ((rc = pl_wf_save(&self, docs[i], &items[i].uuid)) ||
            (rc = pl_wf_review(&self, items[i].uuid, &items[i].findings)))
            goto fail;
        if ((items[i].blocked = stops_filing(&items[i].findings)) && blocked++ == 0)
            first = i;
    }
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
    if ((rc = pl_db_batch_end(c->db, c->e, true))) {
        unfile(items, n);
        return rc;
    }
    return 0;
fail:
    item_failed(c, rc, cur);
    pl_db_batch_end(c->db, c->e, false);
    unfile(items, n);
    return rc;
}
