/**
 * @file evidence.h
 * @brief Signed certificates and verification statements: documents a
 *        registry hands out that anyone can check without its file.
 *
 * A signed certificate is the certificate as issued, the journal event
 * that issued it, that event's inclusion proof in the log, a signed
 * checkpoint of the log, and a W3C XML Signature over all of it
 * (enveloped, exclusive C14N, SHA-256, ECDSA P-256 or RSA), so
 * `xmlsec1 --verify --pubkey-pem office.pub cert.xml` accepts it too.
 * The schema is `signedCertificate` in share/pledger/pledger.xsd.
 *
 * Two kinds of key take part, both given as PEM through a
 * #pledger_keyring: a certificate key (ECDSA P-256 or RSA) signs the
 * document, a checkpoint key (Ed25519 or SM2) signs the checkpoint.  A
 * reader trusts the public halves of both.
 *
 * Signing and checking need libxmlsec1 when the library is built; a
 * library built without it returns #PLEDGER_ENOTSUP from both
 * (pledger_xmlsig_available() says which).
 */
#ifndef PLEDGER_EVIDENCE_H
#define PLEDGER_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include <pledger/common.h>
#include <pledger/log.h>
#include <pledger/query.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Non-zero when this library can sign and check XML signatures. @since 0.2 */
PLEDGER_EXPORT int pledger_xmlsig_available(void);

/**
 * Sign a certificate of pledge @p number for reading without the registry.
 *
 * The certificate is the one of @p version (0: the latest), exactly as
 * issued.  Its event is proved against the latest checkpoint the registry
 * signed when that checkpoint covers the event (and, if @p signers holds
 * checkpoint keys, was signed by one of them); otherwise a new checkpoint
 * is signed with the checkpoint keys of @p signers (and kept, as
 * pledger_checkpoint_sign() does).
 *
 * @param[out] out     the signed document (allocated; pledger_free() it);
 *                     NULL on failure.  Must not be NULL (#PLEDGER_EINVAL).
 * @param[out] len     its length in bytes (may be NULL); 0 on failure.
 * @param[in]  reg     the registry; its actor must have role registrar.
 *                     When a checkpoint has to be signed, it is kept, so
 *                     the handle must then be writable.
 * @param[in]  number  the registration number (not NULL or empty), as
 *                     pledger_verify() takes it: letters in either case,
 *                     white space, full-width forms.
 * @param[in]  version the certificate's version: 1 for the registration,
 *                     then one per change; 0 for the latest.  Negative:
 *                     #PLEDGER_EINVAL.
 * @param[in]  signers a certificate private key (the first one is used)
 *                     and, when no stored checkpoint covers the event, a
 *                     checkpoint private key; NULL holds none
 *                     (#PLEDGER_EINVAL).  Borrowed for the call.
 * Role: registrar.
 * @return 0; #PLEDGER_ENOTFOUND (no such pledge or version);
 *         #PLEDGER_EINVAL (no certificate key in @p signers; the message
 *         says what is missing); #PLEDGER_ESTATE (no checkpoint covers
 *         the event and @p signers has no checkpoint key);
 *         #PLEDGER_EREADONLY (one would have to be signed on a read-only
 *         handle); #PLEDGER_EPERM;
 *         #PLEDGER_ENOTSUP; #PLEDGER_EIO; #PLEDGER_ENOMEM.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_certificate_sign(char **out, size_t *len, pledger_registry *reg,
                                            const char *number, int version,
                                            const pledger_keyring *signers);

/** What checking a signed certificate established (offline, from the
 *  document alone).  A certificate read from the registry itself is a
 *  #pledger_certificate (pledger_certificate_load(), pledge.h). */
typedef struct pledger_certificate_check pledger_certificate_check;

/**
 * Check a signed certificate with nothing but trusted public keys: the XML
 * signature (a certificate key of @p trusted), the checkpoint's signature
 * (a checkpoint key of @p trusted), the event's inclusion proof against
 * the checkpoint's root, and that the event is the one that issued this
 * very certificate.
 *
 * A genuine certificate stays genuine for its version when a later
 * change supersedes it: whether it is still the current one is a question
 * for the registry (pledger_verify() with its verification code), not for
 * the document.
 *
 * @return 0 when every check holds; #PLEDGER_ECODE when one fails (the
 *         message names it: signature, log/checkpoint, log/inclusion,
 *         certificate); #PLEDGER_EXML (not a signed certificate; the
 *         message names the line); #PLEDGER_ENOTSUP; #PLEDGER_ENOMEM.
 *         The message is pledger_errmsg(NULL).
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_certificate_verify(pledger_certificate_check **out, const char *xml,
                                              size_t len, const pledger_keyring *trusted);

/** The name of the trusted certificate key that signed it. @since 0.2 */
PLEDGER_EXPORT const char *pledger_certificate_check_signer(const pledger_certificate_check *c);
/** The registration number. @since 0.2 */
PLEDGER_EXPORT const char *pledger_certificate_check_number(const pledger_certificate_check *c);
/** The certificate's version (1 for the registration, then one per change). @since 0.2 */
PLEDGER_EXPORT int pledger_certificate_check_version(const pledger_certificate_check *c);
/** The verification code printed on it. @since 0.2 */
PLEDGER_EXPORT const char *pledger_certificate_check_code(const pledger_certificate_check *c);
/** The certificate document (root `certificate`) as the log holds it: the
 *  pledge facts it states. @since 0.2 */
PLEDGER_EXPORT const char *pledger_certificate_check_document(const pledger_certificate_check *c);
/** The journal event that issued it (1 is the first). @since 0.2 */
PLEDGER_EXPORT uint64_t pledger_certificate_check_event(const pledger_certificate_check *c);
/** The size of the log it is proved in. @since 0.2 */
PLEDGER_EXPORT uint64_t pledger_certificate_check_log_size(const pledger_certificate_check *c);
/** The log's origin (the checkpoint's first line). @since 0.2 */
PLEDGER_EXPORT const char *pledger_certificate_check_origin(const pledger_certificate_check *c);
/** The signed checkpoint it carries; keep it to check later that the
 *  log still extends it (pledger_log_check()). @since 0.2 */
PLEDGER_EXPORT const char *
pledger_certificate_check_checkpoint(const pledger_certificate_check *c);
/** Free a check; NULL is a no-op. @since 0.2 */
PLEDGER_EXPORT void pledger_certificate_check_free(pledger_certificate_check *c);

/* ---- verification statements ------------------------------------------ */

/**
 * Verify a registration (as pledger_verify() does, for the current actor
 * and with the same masking) and return the answer as a signed statement
 * a bank can file as evidence: the query, when and to whom it was
 * answered, the code's status, the rank, the pledge version valid at the
 * instant (root `pledge`, as that actor may see it), and the leaf hash of
 * the event that made that version with its inclusion proof and a signed
 * checkpoint, under an XML Signature (schema: `verificationStatement`).
 *
 * A wrong code gives no statement (#PLEDGER_ECODE, as pledger_verify()).
 * The checkpoint is the latest the registry signed when it covers the
 * event; otherwise the office must sign one first (pledger_checkpoint_sign()),
 * or a registrar may pass a checkpoint key in @p signers.
 *
 * @param[out] out     the signed statement (allocated; pledger_free() it);
 *                     NULL on failure.  Must not be NULL (#PLEDGER_EINVAL).
 * @param[out] len     its length in bytes (may be NULL); 0 on failure.
 * @param[in]  reg     the registry, with the actor whose verification it
 *                     is (anyone pledger_verify() answers); writable when
 *                     a registrar's checkpoint key signs a new checkpoint.
 * @param[in]  number  the registration number, as pledger_verify() takes
 *                     it (the statement names it as the registry keeps it).
 * @param[in]  opts    as pledger_verify() (the verification code, the
 *                     instant); NULL for the current version without a code.
 *                     An @c as_of later than the registry's now is refused
 *                     (#PLEDGER_EINVAL naming it): a statement is signed
 *                     only for an instant that has passed, as its answer
 *                     is final.
 * @param[in]  signers a certificate private key (ECDSA P-256 or RSA; the
 *                     first one is used) and, for a registrar when no
 *                     stored checkpoint covers the event, a checkpoint
 *                     private key; NULL holds none (#PLEDGER_EINVAL).
 *                     Borrowed for the call.
 * @return 0; the codes of pledger_verify(); #PLEDGER_EINVAL (no
 *         certificate key); #PLEDGER_ESTATE (no checkpoint covers the
 *         version's event); #PLEDGER_ENOTSUP; #PLEDGER_ENOMEM.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_verify_statement(char **out, size_t *len, pledger_registry *reg,
                                            const char *number,
                                            const pledger_verify_options *opts,
                                            const pledger_keyring *signers);

/** What checking a verification statement established. */
typedef struct pledger_statement_check pledger_statement_check;

/**
 * Check a verification statement with trusted public keys alone: the XML
 * signature (a certificate key), the checkpoint's signature (a checkpoint
 * key), and the inclusion of the version's event in the checkpoint's log.
 * @return 0; #PLEDGER_ECODE naming the check that failed; #PLEDGER_EXML
 *         (not a statement); #PLEDGER_ENOTSUP; #PLEDGER_ENOMEM.  The message
 *         is pledger_errmsg(NULL).
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_statement_verify(pledger_statement_check **out, const char *xml,
                                            size_t len, const pledger_keyring *trusted);

/** The name of the trusted certificate key that signed it. @since 0.2 */
PLEDGER_EXPORT const char *pledger_statement_check_signer(const pledger_statement_check *c);
/** The registration number asked about. @since 0.2 */
PLEDGER_EXPORT const char *pledger_statement_check_number(const pledger_statement_check *c);
/** The pledge's state then ("active", "cancelled", ...: the pledge document's). @since 0.2 */
PLEDGER_EXPORT const char *pledger_statement_check_state(const pledger_statement_check *c);
/** The instant answered for, ISO 8601 UTC. @since 0.2 */
PLEDGER_EXPORT const char *pledger_statement_check_as_of(const pledger_statement_check *c);
/** When it was answered, ISO 8601 UTC. @since 0.2 */
PLEDGER_EXPORT const char *pledger_statement_check_answered_at(const pledger_statement_check *c);
/** To whom: the actor's name. @since 0.2 */
PLEDGER_EXPORT const char *pledger_statement_check_actor(const pledger_statement_check *c);
/** The code's status: "not_given", "matched" or "superseded". @since 0.2 */
PLEDGER_EXPORT const char *pledger_statement_check_code_status(const pledger_statement_check *c);
/** The rank then (0: not in force). @since 0.2 */
PLEDGER_EXPORT int pledger_statement_check_rank(const pledger_statement_check *c);
/** The pledge document (root `pledge`). @since 0.2 */
PLEDGER_EXPORT const char *pledger_statement_check_document(const pledger_statement_check *c);
/** The event that made the version, and the log size it is proved in. @since 0.2 */
PLEDGER_EXPORT uint64_t pledger_statement_check_event(const pledger_statement_check *c);
/** @copydoc pledger_statement_check_event */
PLEDGER_EXPORT uint64_t pledger_statement_check_log_size(const pledger_statement_check *c);
/** The signed checkpoint it carries. @since 0.2 */
PLEDGER_EXPORT const char *pledger_statement_check_checkpoint(const pledger_statement_check *c);
/** Free a check; NULL is a no-op. @since 0.2 */
PLEDGER_EXPORT void pledger_statement_check_free(pledger_statement_check *c);

#ifdef __cplusplus
}
#endif

#endif /* PLEDGER_EVIDENCE_H */
