/* Documents signed in the W3C XML Signature format (XML-DSig 1.1):
 * one enveloped signature over the whole document (Reference URI="",
 * transforms enveloped-signature then exclusive C14N, digest SHA-256),
 * signed with ECDSA P-256 / SHA-256 or RSA / SHA-256.  Made and checked
 * with libxmlsec1 (its OpenSSL engine), so `xmlsec1 --verify` reads what
 * pledger signs and pledger reads what xmlsec1 signs in that profile.
 *
 * The keys ("document keys") are read here too; they need only OpenSSL,
 * so a library built without libxmlsec1 still reads them, and only
 * signing and checking fail, with PLEDGER_ENOTSUP.
 *
 * Checking refuses every other shape, whatever libxmlsec1 would accept:
 * a Signature anywhere but as the last child of the root, more than one,
 * a reference to anything but the whole document, other transforms or
 * algorithms, KeyInfo that names a key the reader does not trust (keys
 * come from the reader's keyring only, never from the document), and
 * external references of any kind (no network, no file). */
#ifndef PL_MODEL_XMLSIG_H
#define PL_MODEL_XMLSIG_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>
#include <openssl/evp.h>

#include "base/error.h"

/* The namespace of XML Signature. */
#define PL_XMLDSIG_NS "http://www.w3.org/2000/09/xmldsig#"

typedef struct pl_doc_key pl_doc_key;

/* A document key named @name from @len bytes of PEM: a private key
 * (signs and checks) or a public key (checks).  ECDSA on P-256 and RSA of
 * 2048 bits or more.  A valid key of another type sets *@other_type (the
 * caller may take it as a checkpoint key) and returns PLEDGER_EINVAL. */
int pl_doc_key_pem(pl_err *e, const char *name, const char *pem, size_t len,
                   bool *other_type, pl_doc_key **out);
/* The same from @pkey (pl_pem_key_read()), taken -- except when it is of
 * another type (*@other_type): then the caller keeps it. */
int pl_doc_key_take(pl_err *e, const char *name, EVP_PKEY *pkey, bool priv, bool *other_type,
                    pl_doc_key **out);
void pl_doc_key_free(pl_doc_key *k);
const char *pl_doc_key_name(const pl_doc_key *k);
bool pl_doc_key_can_sign(const pl_doc_key *k);
/* "ecdsa-p256" or "rsa-<bits>". */
const char *pl_doc_key_type(const pl_doc_key *k);
/* The same key (same type and public part)? */
bool pl_doc_key_same(const pl_doc_key *a, const pl_doc_key *b);

/* Whether this build can sign and check (libxmlsec1 was found). */
bool pl_xmlsig_available(void);

/* Sign @doc in place: a Signature element appended as the root's last
 * child.  @key must hold a private key. */
int pl_xmlsig_sign(pl_err *e, xmlDocPtr doc, const pl_doc_key *key);

/* The Signature element pledger_xmlsig_sign() would append, for a
 * document whose exclusive canonical form without it (what the
 * enveloped-signature and exclusive C14N transforms of its one reference
 * give) has SHA-256 @digest, signed with @key: its text, in *@out
 * (malloc'd, NUL-terminated), ds the default namespace on <Signature>.
 * For a writer that makes that canonical form itself and never holds the
 * document as a tree (model/exchange-doc.c); libxmlsec1 reads the result
 * as it reads its own. */
int pl_xmlsig_signature_text(pl_err *e, const pl_doc_key *key, const unsigned char digest[32],
                             char **out);

/* The identity of the signed content of @doc: the SHA-256 its signature's
 * one reference gives (ds:DigestValue, as 64 hex digits) -- the digest of
 * the document's exclusive canonical form without the signature, which
 * the signature covers.  Two encodings of the same signed content (line
 * ends, a byte-order mark, another KeyInfo) have the same one; read it
 * from a document pl_xmlsig_verify() verified, or one this library
 * signed.  PLEDGER_ECODE when there is none. */
int pl_xmlsig_signed_digest(pl_err *e, xmlDocPtr doc, char out[65]);

/* Check the signature of @doc (parsed with pl_xml_parse) against the @n
 * @trusted keys; *@signer is the key that verified.  PLEDGER_ECODE when no
 * trusted key verifies it or the signature is not of the profile above
 * (the message says which); PLEDGER_ENOTSUP without libxmlsec1. */
int pl_xmlsig_verify(pl_err *e, xmlDocPtr doc, const pl_doc_key *const *trusted, size_t n,
                     const pl_doc_key **signer);

#endif
