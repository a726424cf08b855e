/* Sites and the data line: a registry is an office or an acceptance
 * point; batches of applications go from an acceptance point to its
 * office, batches of decisions come back, each closed by a receipt. */
#ifndef PL_WORKFLOW_EXCHANGE_FLOW_H
#define PL_WORKFLOW_EXCHANGE_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/xmlsig.h"
#include "workflow/flow.h"

/* The site of the registry (meta 'site'; an office when never set) and,
 * for an acceptance point, its office (meta 'upstream', "" otherwise). */
int pl_wf_site_get(pl_db *db, pl_err *e, int *site, char upstream[17]);

/* Record the site (role registrar), before the registry holds any
 * application: PLEDGER_ESTATE after. */
int pl_wf_site_set(const pl_ctx *c, int site, const char *upstream);

/* The next batch for @peer, signed with @key and carrying @checkpoint
 * (may be NULL): while the last one sent is not acknowledged, that one
 * again, byte for byte; PLEDGER_ENOTFOUND when nothing is pending. */
int pl_wf_exchange_export(const pl_ctx *c, const char *peer, const pl_doc_key *key,
                          const char *checkpoint, char **out, size_t *len);

/* Import a batch or a receipt.  A batch: checked (signature by a key of
 * @keys named after its sender, receiver, sequence, previous digest, every
 * item) and applied whole or not at all, exactly once; *@receipt is the
 * signed receipt (@key, @checkpoint), the same one again for a batch
 * imported before.  A receipt: closes the batch it acknowledges;
 * *@receipt is NULL. */
int pl_wf_exchange_import(const pl_ctx *c, const char *xml, size_t len,
                          const pl_doc_key *const *keys, size_t nkeys, const pl_doc_key *key,
                          const char *checkpoint, char **receipt, size_t *rlen);

/* One line of this registry. */
typedef struct pl_xline {
    char peer[17];
    uint64_t last_sent, last_acked, last_received;
    size_t pending;        /* items the next export would send */
} pl_xline;

int pl_wf_exchange_status(const pl_ctx *c, pl_xline **out, size_t *n);

#endif
