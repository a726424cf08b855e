/* The signed certificate (root <signedCertificate>, share/pledger/
 * pledger.xsd): a certificate that proves itself without the registry.
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

/* What a signed certificate is made from. */
typedef struct pl_signed_cert_in {
    const char *certificate;        /* the certificate document as stored */
    uint64_t seq;                   /* the event that issued it (1-based) */
    const unsigned char *event;     /* its canonical bytes */
    size_t event_len;
    uint64_t size;                  /* the log the proof and checkpoint are of */
    const pl_mhash *proof;
    size_t n_proof;
    const char *checkpoint;         /* the signed note */
} pl_signed_cert_in;

int pl_signed_cert_make(pl_err *e, const pl_signed_cert_in *in, const pl_doc_key *key,
                        char **out, size_t *len);

/* What reading one established. */
typedef struct pl_signed_cert {
    const pl_doc_key *signer;       /* the trusted key of the XML signature */
    char *document;                 /* the certificate as the log holds it */
    char *number, *code;
    int version;
    uint64_t seq, size;
    char *origin;                   /* the checkpoint's */
    char *checkpoint;               /* the signed note */
    size_t n_note_signers;
    const pl_note_key *note_signers[PL_NOTE_MAX_SIGS];
} pl_signed_cert;

int pl_signed_cert_open(pl_err *e, const char *xml, size_t len,
                        const pl_doc_key *const *doc_keys, size_t n_doc,
                        const pl_note_key *const *note_keys, size_t n_note, pl_signed_cert *out);
void pl_signed_cert_clear(pl_signed_cert *c);

/* The certificate an event issued: from the canonical bytes of a journal
 * event, its payload's "certificate" member (document, version, code).
 * PLEDGER_ENOTFOUND when the event issued none. */
int pl_event_certificate(pl_err *e, const unsigned char *event, size_t len, char **document,
                         int *version, char **code);

#endif
