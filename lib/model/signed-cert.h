/* Signed documents (share/pledger/pledger.xsd) that prove themselves
 * without the registry.  The signed certificate (root <signedCertificate>):
 *
 *   <signedCertificate xmlns="urn:pledger:1" version="1">
 *     <certificate version="1">...as issued...</certificate>
 *     <log>
 *       <event seq="S">base64 of the event's canonical bytes</event>
 *       <inclusion size="N"><hash>base64</hash>...</inclusion>
 *       <checkpoint>the signed checkpoint of the log of N events</checkpoint>
 *     </log>
 *     <Signature xmlns="http://www.w3.org/2000/09/xmldsig#">...</Signature>
 *   </signedCertificate>
 *
 * Reading it checks, in order: the XML signature (a trusted certificate
 * key), the schema, the checkpoint's signature (a trusted checkpoint key),
 * the event's inclusion in the checkpoint's tree (RFC 9162), and that the
 * event is the one that issued this certificate (its payload carries the
 * same document).  Each failure names the step. */
#ifndef PL_MODEL_SIGNED_CERT_H
#define PL_MODEL_SIGNED_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/merkle.h"
#include "base/note.h"
#include "model/xmlsig.h"

/* The log part of a signed document: event @seq (its canonical bytes, or
 * only its leaf hash when @event is NULL), its inclusion proof in the log
 * of @size events, and the signed checkpoint of that log. */
typedef struct pl_log_evidence {
    uint64_t seq;                   /* 1-based */
    const unsigned char *event;     /* canonical bytes, or NULL: then @leaf */
    size_t event_len;
    pl_mhash leaf;
    uint64_t size;
    const pl_mhash *proof;
    size_t n_proof;
    const char *checkpoint;         /* the signed note */
} pl_log_evidence;

/* What reading the log part established. */
typedef struct pl_log_checked {
    uint64_t seq, size;
    pl_mhash leaf;
    char *origin;                   /* the checkpoint's */
    char *checkpoint;               /* the signed note */
    size_t n_note_signers;
    const pl_note_key *note_signers[PL_NOTE_MAX_SIGS];
} pl_log_checked;

/* How a reader checks a signed checkpoint: pl_note_open() against its
 * trusted keys, or a wrapper that remembers the notes it already checked
 * (a bank checks many documents against one checkpoint). */
typedef struct pl_note_checker {
    int (*open)(void *ctx, pl_err *e, const char *note, size_t len, pl_note_opened *out);
    void *ctx;
} pl_note_checker;

/* What a signed certificate is made from. */
typedef struct pl_signed_cert_in {
    const char *certificate;        /* the certificate document as stored */
    pl_log_evidence log;            /* the event that issued it, with its bytes */
} pl_signed_cert_in;

int pl_signed_cert_make(pl_err *e, const pl_signed_cert_in *in, const pl_doc_key *key,
                        char **out, size_t *len);

/* What reading one established. */
typedef struct pl_signed_cert {
    char *signer;                   /* the name of the trusted key that signed it */
    pl_log_checked log;
    char *document;                 /* the certificate as the log holds it */
    char *number, *code;
    int version;
} pl_signed_cert;

int pl_signed_cert_open(pl_err *e, const char *xml, size_t len,
                        const pl_doc_key *const *doc_keys, size_t n_doc,
                        const pl_note_checker *notes, pl_signed_cert *out);
void pl_signed_cert_clear(pl_signed_cert *c);

/* A verification statement (root <verificationStatement>): what the
 * registry answered a verification, signed for filing as evidence.
 *
 *   <verificationStatement xmlns="urn:pledger:1" version="1">
 *     <registration_number/> <as_of/> <answered_at/>
 *     <answered_to role="bank">actor</answered_to>
 *     <code_status>not_given|matched|superseded</code_status> <rank/>
 *     <pledge version="1">...the version valid at as_of, as that reader sees it...</pledge>
 *     <log><leaf seq="S">...</leaf><inclusion/><checkpoint/></log>
 *     <Signature/>
 *   </verificationStatement>
 *
 * The log part carries only the leaf hash of the event that made the
 * version (its bytes hold what a bank may not read): it proves that event
 * is in the log; its content is checked against the registry. */
typedef struct pl_statement_in {
    const char *number, *as_of, *answered_at, *actor, *role, *code_status;
    int rank;
    const char *pledge;             /* the pledge document */
    pl_log_evidence log;            /* event == NULL: the leaf */
} pl_statement_in;

int pl_statement_make(pl_err *e, const pl_statement_in *in, const pl_doc_key *key, char **out,
                      size_t *len);

typedef struct pl_statement {
    char *signer;                   /* the name of the trusted key that signed it */
    pl_log_checked log;
    char *document;                 /* the pledge document */
    char *number, *as_of, *answered_at, *actor, *code_status, *state;
    int rank;
} pl_statement;

int pl_statement_open(pl_err *e, const char *xml, size_t len, const pl_doc_key *const *doc_keys,
                      size_t n_doc, const pl_note_checker *notes, pl_statement *out);
void pl_statement_clear(pl_statement *s);

/* The certificate an event issued: from the canonical bytes of a journal
 * event, its payload's "certificate" member (document, version, code).
 * PLEDGER_ENOTFOUND when the event issued none. */
int pl_event_certificate(pl_err *e, const unsigned char *event, size_t len, char **document,
                         int *version, char **code);

#endif
