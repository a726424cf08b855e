/* Keys of filings: a client that may send a request again (its answer
 * lost to a timeout, a dropped connection, a killed process) names the
 * request with a key of its own; the registry keeps the key with what the
 * request made, in the request's own transaction, and answers the same
 * request again with that instead of filing twice.  A key is the actor's
 * own (another actor's same key is another key) and names one request: a
 * bulk filing (bulk-flow.c) or the first save of an application
 * (pl_wf_save_keyed). */
#ifndef PL_WORKFLOW_FILING_KEY_H
#define PL_WORKFLOW_FILING_KEY_H

#include <stdbool.h>
#include <stddef.h>

#include "model/application.h"
#include "workflow/flow.h"

/* What a key names. */
typedef enum pl_keyed {
    PL_KEYED_BATCH, /* a bulk filing */
    PL_KEYED_SAVE,  /* the first save of one application */
} pl_keyed;

/* The text a key is bound to: the SHA-256 of the request's documents, as
 * stored, in order, marked with what the request is. */
#define PL_KEY_DIGEST_MAX 80

/* @what's digest of @docs into @out. */
int pl_key_digest(const pl_ctx *c, pl_keyed what, pl_doc *const *docs, size_t n,
                  char out[PL_KEY_DIGEST_MAX + 1]);

/* c->actor's @key, inside the request's transaction: 0 and *@apps NULL
 * when it was never used; 0 and *@apps the UUIDs it made (a JSON array,
 * the caller frees it) when it was used for the request of @digest;
 * PLEDGER_ECONFLICT, saying what the key named, when it was used for
 * another request. */
int pl_key_look_up(const pl_ctx *c, const char *key, const char *digest, char **apps);

/* The @n UUIDs of a key's JSON array @apps into @uuids; PLEDGER_ECORRUPT
 * when it is not an array of @n UUIDs. */
int pl_key_uuids(const pl_ctx *c, const char *key, const char *apps, size_t n,
                 char (*uuids)[37]);

/* Record, in the open transaction, that the request of @digest made the
 * applications @uuids (@n of them) under @key (journal event
 * "filing.key"). */
int pl_key_record(const pl_ctx *c, const char *key, const char *digest,
                  const char *const *uuids, size_t n);

/* Save the new application @doc as a draft (pl_wf_save) under c->actor's
 * @key: the first call saves it and keeps the key, in one transaction;
 * a later one with the same document saves nothing and gives the UUID
 * saved then (*@replayed true); another document, or a key that named a
 * bulk filing, is PLEDGER_ECONFLICT.  *@uuid: the caller frees it. */
int pl_wf_save_keyed(const pl_ctx *c, pl_doc *doc, const char *key, char **uuid,
                     bool *replayed);

#endif
