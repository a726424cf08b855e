/* Bulk filing: a pledgee files many registrations of one kind at once,
 * through the same steps as one filing, inside one transaction. */
#ifndef PL_WORKFLOW_BULK_FLOW_H
#define PL_WORKFLOW_BULK_FLOW_H

#include <stddef.h>

#include "model/application.h"
#include "rules/findings.h"
#include "workflow/flow.h"

/* What became of one item of a batch. */
typedef struct pl_filed {
    char *uuid;              /* the application; NULL once the batch rolled back */
    char *acceptance_number; /* NULL unless registered */
    char *number;            /* the registration number; NULL unless registered */
    char *modcode;           /* a receivable's modification code, NULL otherwise */
    pl_findings findings;    /* its review */
    bool blocked;            /* blocking or correctable findings: nothing is filed */
} pl_filed;

void pl_filed_clear(pl_filed *f);

/* The role of @c's actor files in bulk (applicant: the pledgee), or
 * PLEDGER_EPERM saying so. */
int pl_bulk_check_role(const pl_ctx *c);

/* The most items one call files. */
#define PL_FILE_BATCH_MAX 100000

/* File @n documents (@items: n zeroed slots).  Role applicant (the
 * pledgee), kinds whose pledgee files alone, all of one kind.  Every item
 * is saved and reviewed; when any has blocking or correctable findings
 * nothing is kept and PLEDGER_EREVIEW is returned with every item's
 * findings in @items (*n_blocked: how many stopped it); otherwise each
 * is submitted, accepted and registered (consecutive numbers), and the
 * whole commits at once.  Any other failure names the item and keeps
 * nothing.  @key (NULL: none) names the batch for its filer: filed once
 * under it, the same documents again are not filed but answered with what
 * was registered (*@replayed true, no modification codes: they were given
 * once), other documents under it are PLEDGER_ECONFLICT. */
int pl_wf_file_batch(const pl_ctx *c, pl_doc *const *docs, size_t n, const char *key,
                     pl_filed *items, size_t *n_blocked, bool *replayed);

#endif
