/**
 * @file exchange.h
 * @brief Sites and the data line: an acceptance point and its office run
 *        separate registries and exchange signed batches.
 *
 * A registry is an office (the default: it registers, numbers and
 * certifies) or an acceptance point (it saves, reviews and accepts
 * applications and forwards them to its office; it never registers).
 * Between an acceptance point and its office runs a line of batches in
 * each direction:
 *
 * - the acceptance point exports its accepted applications (they become
 *   #PLEDGER_APP_FORWARDED), the office imports them (accepted there, with
 *   the acceptance point's acceptance number, instant and clerk, and
 *   reviewed); corrections asked for go the same way;
 * - the office exports its decisions (registered with the number and the
 *   certificate as issued, correction requested, refused, withdrawn), the
 *   acceptance point imports them: its application takes the same state
 *   and holds the certificate (pledger_application_certificate()).
 *
 * A batch is an XML document (share/pledger/exchange.xsd) signed by its
 * sender with a certificate key (ECDSA P-256 or RSA; the profile of
 * signed certificates), numbered on its line and chained to the batch
 * before it by its SHA-256, and carrying the sender's latest signed
 * checkpoint.  Importing is exactly once: a batch imported again changes
 * nothing and returns the same receipt; a gap or a wrong previous digest
 * is refused naming the missing batch; a bad signature, an unknown
 * sender or any invalid item refuses the whole batch.  The receipt is a
 * signed document the sender imports to close the batch; until then,
 * exporting again returns the same batch, byte for byte.  How the bytes
 * travel (files, a queue, a service) is the caller's.
 *
 * Signing and checking need libxmlsec1 (pledger_xmlsig_available());
 * without it these calls return #PLEDGER_ENOTSUP.
 */
#ifndef PLEDGER_EXCHANGE_H
#define PLEDGER_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>

#include <pledger/common.h>
#include <pledger/log.h>
#include <pledger/registry.h>
#include <pledger/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Record what this registry is, before it holds any application
 * (#PLEDGER_ESTATE after).  Role registrar; journaled.
 * @param[in] reg      the registry, opened writable (#PLEDGER_EREADONLY
 *                     otherwise), actor role registrar; NULL:
 *                     #PLEDGER_EINVAL, the message on the calling thread.
 *                     On success its handle answers the new site at once
 *                     (pledger_registry_site()); on failure nothing changes.
 * @param[in] site     #PLEDGER_SITE_OFFICE or #PLEDGER_SITE_ACCEPTANCE_POINT
 *                     (another value: #PLEDGER_EINVAL).
 * @param[in] upstream an acceptance point's office code (required: 1 to 16
 *                     characters of A-Z, 0-9 and '-', not this registry's
 *                     own); NULL for an office.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_set_site(pledger_registry *reg, pledger_site site,
                                    const char *upstream);
/** What the registry is (#PLEDGER_SITE_OFFICE unless set); 0 for NULL. @since 0.2 */
PLEDGER_EXPORT pledger_site pledger_registry_site(const pledger_registry *reg);
/** An acceptance point's office code; NULL for an office. @since 0.2 */
PLEDGER_EXPORT const char *pledger_registry_upstream(const pledger_registry *reg);
/** "office" or "acceptance_point"; NULL for another value. @since 0.2 */
PLEDGER_EXPORT const char *pledger_site_name(pledger_site site);

/**
 * The next batch for the office (or acceptance point) @p to: everything
 * pending for it (at most 20,000 items), signed with the first
 * certificate private key of @p signers.  While the last batch sent to
 * @p to has no receipt, that batch again (a crash after exporting loses
 * nothing and sends nothing twice): the same bytes, or, when that key is
 * not the one that signed it (the key was replaced while the batch
 * waited), the same batch signed anew with it -- the same batch to its
 * receiver, whose receipt names it by its signed content.  The batch carries
 * the latest checkpoint the registry signed (pledger_checkpoint_sign(),
 * on the office's own schedule), when there is one.  Role clerk or
 * registrar; journaled.
 * @param[out] out     the signed batch (pledger_free()); NULL on failure.
 *                     Must not be NULL (#PLEDGER_EINVAL).
 * @param[out] len     its length in bytes (may be NULL); 0 on failure.
 * @param[in]  reg     the registry, opened writable (#PLEDGER_EREADONLY
 *                     otherwise): the batch is journaled as sent.
 * @param[in]  to      the receiver's office code (1 to 16 characters of
 *                     A-Z, 0-9 and '-'; not NULL).
 * @param[in]  signers its first certificate private key (ECDSA P-256 or
 *                     RSA) signs the batch; NULL or a keyring without
 *                     one: #PLEDGER_EINVAL.  Borrowed for the call.
 * @return 0; #PLEDGER_ENOTFOUND when nothing is pending for @p to;
 *         #PLEDGER_EINVAL (@p to is not this acceptance point's office, or
 *         no certificate key); #PLEDGER_EPERM; #PLEDGER_ENOTSUP.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_exchange_export(char **out, size_t *len, pledger_registry *reg,
                                           const char *to, const pledger_keyring *signers);

/**
 * Import a batch or a receipt (@p len bytes at @p xml).  A batch must be
 * signed by a key of @p trusted named by its sender's office code (the
 * certificate public keys of the peers) and be addressed to this
 * registry; it is applied whole, in one transaction, or not at all, and
 * answered with a receipt signed with @p signers' certificate key (the
 * same receipt again for a batch imported before).  A receipt closes
 * the batch it acknowledges (*@p receipt is then NULL).
 * Role clerk or registrar; journaled.
 * @return 0; #PLEDGER_EPERM (an unknown sender, a sender this registry
 *         takes nothing from, the role); #PLEDGER_ECODE (the signature);
 *         #PLEDGER_EXML (not a batch or receipt of the schema);
 *         #PLEDGER_ESTATE (a batch is missing before this one: the message
 *         names it); #PLEDGER_ECONFLICT (the previous-batch digest, a batch
 *         number imported before with other content, an application
 *         already here); #PLEDGER_EINVAL (an invalid item: the message
 *         names it; another receiver); #PLEDGER_ENOTSUP.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_exchange_import(char **receipt, size_t *receipt_len,
                                           pledger_registry *reg, const char *xml, size_t len,
                                           const pledger_keyring *trusted,
                                           const pledger_keyring *signers);

/** One line of a registry: what went each way. @since 0.2 */
typedef struct pledger_exchange_line {
    char peer[17];           /**< the other site's office code */
    uint64_t last_sent;      /**< the last batch sent to it (0: none) */
    uint64_t last_acked;     /**< the last batch it acknowledged */
    uint64_t last_received;  /**< the last batch imported from it */
    size_t pending;          /**< items the next export to it would carry */
} pledger_exchange_line;

/**
 * The lines of this registry, ordered by peer: an acceptance point's to
 * its office, an office's to each acceptance point it received from.
 * Role clerk, registrar or auditor.
 * @param[out] out the lines, an array of @p n (pledger_free(), even when
 *                 @p n is 0); NULL on failure.  Must not be NULL.
 * @param[out] n   how many lines; 0 on failure.  Must not be NULL.
 * @param[in]  reg the registry (read-only is fine).
 * @return 0; #PLEDGER_EINVAL (a NULL argument); #PLEDGER_EPERM (the
 *         role); #PLEDGER_ENOMEM.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_exchange_status(pledger_exchange_line **out, size_t *n,
                                           pledger_registry *reg);

/**
 * The certificate of an application, as its office issued it: at an
 * acceptance point, what the office's decision carried; at the office,
 * the first certificate of the pledge it registered.  Role applicant
 * (its own applications), clerk, registrar or auditor.
 * @param[out] out  the certificate (XML, pledger_free()); NULL on
 *                  failure.  Must not be NULL (#PLEDGER_EINVAL).
 * @param[in]  reg  the registry (read-only is fine).
 * @param[in]  uuid the application's UUID (any case; white space around
 *                  it and full-width forms are read as the registry
 *                  writes them); not NULL.
 * @return 0; #PLEDGER_ENOTFOUND (no such application, or not registered).
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_application_certificate(char **out, pledger_registry *reg,
                                                   const char *uuid);

#ifdef __cplusplus
}
#endif

#endif /* PLEDGER_EXCHANGE_H */
