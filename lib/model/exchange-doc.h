/* The documents of the data line (share/pledger/exchange.xsd): a batch
 * one site sends the other, and the receipt that closes it.  Both are
 * signed by their sender (model/signed-doc.h); this module makes and
 * reads them and knows nothing of the registry. */
#ifndef PL_MODEL_EXCHANGE_DOC_H
#define PL_MODEL_EXCHANGE_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "model/xmlsig.h"

#define PL_EXCHANGE_SCHEMA "exchange.xsd"
/* The largest batch read: 10,000 applications are about 48 MB and
 * 150,000 nodes of libxml2's tree (about 240 bytes each). */
#define PL_EXCHANGE_MAX_SIZE ((size_t)128 * 1024 * 1024)
#define PL_EXCHANGE_MAX_NODES ((size_t)1000 * 1000)
/* The most items one batch carries (what an export puts in one). */
#define PL_EXCHANGE_MAX_ITEMS 20000

typedef enum pl_xwhat {
    PL_XITEM_APPLICATION,
    PL_XITEM_CORRECTION,
    PL_XITEM_RESULT,
} pl_xwhat;

/* "application", "correction", "result". */
const char *pl_xwhat_name(pl_xwhat w);

typedef struct pl_xitem {
    pl_xwhat what;
    char *uuid;
    int kind;                 /* application, correction: pledger_kind */
    int state;                /* result: the application's state at the office */
    char *acceptance_number;  /* application, correction */
    char *office;             /* application, correction: where it was accepted */
    int64_t at_us;            /* the site's instant of the step */
    char *by;                 /* the site's actor */
    char *document;           /* application, correction: the document; result: the
                               * certificate (registered) or NULL */
    size_t document_len;
    char digest[65];          /* SHA-256 of document, hex */
    char *number, *ground, *note; /* result; NULL when absent */
    int32_t due;              /* result correction_requested; INT32_MIN: none */
} pl_xitem;

typedef struct pl_xbatch {
    char *sender, *receiver;
    uint64_t seq;
    char previous[65];        /* 64 zeros for the first batch of a line */
    int64_t created_us;
    pl_xitem *items;
    size_t n;
    char *checkpoint;         /* NULL: none */
    char digest[65];          /* read by pl_xdoc_open(): its identity (pl_xdigest_signed()) */
} pl_xbatch;

typedef struct pl_xreceipt {
    char *sender, *receiver;  /* the receipt's: the batch's receiver, then its sender */
    uint64_t seq;
    char batch[65];           /* the batch's identity (pl_xdigest_signed) */
    int64_t received_us;
    uint64_t items;
    char *checkpoint;
} pl_xreceipt;

void pl_xitem_clear(pl_xitem *it);
void pl_xbatch_clear(pl_xbatch *b);
void pl_xreceipt_clear(pl_xreceipt *r);

/* SHA-256 of @len bytes, as 64 hex digits in @out. */
int pl_xdigest(pl_err *e, const char *bytes, size_t len, char out[65]);
/* The identity of the signed exchange document @xml: the digest its
 * signature covers (pl_xmlsig_signed_digest), not that of its bytes, so a
 * batch whose line ends, byte-order mark or KeyInfo changed on its way is
 * still the same batch, and its receipt still names it. */
int pl_xdigest_signed(pl_err *e, const char *xml, size_t len, char out[65]);

/* A batch or a receipt this registry made (@xml), signed with @key: the
 * same bytes, or its signature made anew by @key (pl_signed_doc_resign()):
 * what it sends again after its certificate key was replaced. */
int pl_xdoc_resign(pl_err *e, const char *xml, const pl_doc_key *key, char **out, size_t *len,
                   bool *resigned);

/* Make and sign (with @key, a certificate key) a batch / a receipt.  A
 * text field that is no UTF-8 or holds a character XML cannot carry (a C0
 * control but tab, line feed and carriage return; U+FFFE, U+FFFF) is
 * refused (PLEDGER_EINVAL) naming the item and the field. */
int pl_xbatch_make(pl_err *e, const pl_xbatch *b, const pl_doc_key *key, char **out,
                   size_t *len);
int pl_xreceipt_make(pl_err *e, const pl_xreceipt *r, const pl_doc_key *key, char **out,
                     size_t *len);

/* A batch written item by item, as its text (never a tree): what
 * pl_xbatch_make() does from items held in memory, for a caller that reads
 * them one at a time.  begin takes the batch's sender, receiver, seq,
 * previous and created_us (not its items); item writes one more (the
 * caller's pointers are not kept); finish adds @checkpoint (NULL: none),
 * signs with @key, and gives the text and the digest its signature covers
 * (pl_xdigest_signed()'s); finish and abort free the writer. */
typedef struct pl_xwriter pl_xwriter;
int pl_xwriter_begin(pl_err *e, const pl_xbatch *b, pl_xwriter **out);
int pl_xwriter_item(pl_xwriter *w, pl_err *e, const pl_xitem *it);
int pl_xwriter_finish(pl_xwriter *w, pl_err *e, const char *checkpoint, const pl_doc_key *key,
                      char **out, size_t *len, char digest[65]);
void pl_xwriter_abort(pl_xwriter *w);
/* The bytes written so far, and at most how many @it adds. */
size_t pl_xwriter_size(const pl_xwriter *w);
size_t pl_xwriter_item_size(const pl_xitem *it);

/* What an exchange document is: its root. */
typedef enum pl_xdoc_kind { PL_XDOC_BATCH = 1, PL_XDOC_RECEIPT = 2 } pl_xdoc_kind;

/* Read @xml: a batch or a receipt, signed by its sender.  The sender must
 * have a key among the @n @keys named by its office code (else
 * PLEDGER_EPERM: an unknown sender), and that key must have signed it
 * (PLEDGER_ECODE); the schema must hold; every application's document
 * must have its digest.  *@kind says which of *@batch / *@receipt was
 * filled. */
int pl_xdoc_open(pl_err *e, const char *xml, size_t len, const pl_doc_key *const *keys,
                 size_t n, pl_xdoc_kind *kind, pl_xbatch *batch, pl_xreceipt *receipt);

#endif
