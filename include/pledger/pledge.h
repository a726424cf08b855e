/**
 * @file pledge.h
 * @brief Registered pledges: reading them (now or at any past instant),
 *        their certificates, and their later life — change, extension,
 *        cancellation, revocation, objection and expiry.
 *
 * A pledge is versioned, never overwritten: every change closes the
 * current version and opens a new one, so the state at any past instant
 * can be read back.  A #pledger_pledge handle is a snapshot of one
 * version, and the one form every read of a pledge takes: the snapshots
 * of pledger_pledge_get(), pledger_verification_pledge() and
 * pledger_cursor_pledge() have the same fields, read with the getters
 * below or by path (pledger_pledge_field()).
 */
#ifndef PLEDGER_PLEDGE_H
#define PLEDGER_PLEDGE_H

#include <pledger/common.h>
#include <pledger/types.h>
#include <pledger/registry.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One version of a registered pledge.  Opaque. @since 0.1 */
typedef struct pledger_pledge pledger_pledge;

/**
 * The current version of a pledge.
 * @param[out] out    the snapshot, owned by the caller (pledger_pledge_free()).
 * @param[in]  reg    the registry.
 * @param[in]  number the registration number.
 * @return 0, #PLEDGER_ENOTFOUND or #PLEDGER_EINVAL.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_pledge_get(pledger_pledge **out, pledger_registry *reg,
                                      const char *number);

/**
 * The version of a pledge that was valid at instant @p at_us.
 * @return 0; #PLEDGER_ENOTFOUND when the number is unknown or the pledge
 *         was not yet registered at that instant; #PLEDGER_EINVAL naming
 *         @p at_us when it is later than the registry's now
 *         (pledger_now()): the registry answers only for instants that
 *         have passed, as pledger_verify() does.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_pledge_get_at(pledger_pledge **out, pledger_registry *reg,
                                         const char *number, int64_t at_us);

/** Free a snapshot; NULL is a no-op. @since 0.1 */
PLEDGER_EXPORT void pledger_pledge_free(pledger_pledge *pledge);

/** @name Snapshot getters
 * Each takes a snapshot @p p (NULL gives NULL or 0).  Strings are
 * borrowed, valid until the snapshot is freed.  Dates are "YYYY-MM-DD";
 * instants are microseconds since the epoch (UTC).  Resident identity
 * numbers are masked (first 6 and last 4 characters shown) unless the
 * handle's role was registrar or auditor when the snapshot was read.
 * @{ */
/** The registration number.
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT const char *pledger_pledge_number(const pledger_pledge *p);
/** The kind of the pledged rights.
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT pledger_kind pledger_pledge_kind(const pledger_pledge *p);
/** "pledge", or "mortgage" for sea-area and land rights.
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT const char *pledger_pledge_security(const pledger_pledge *p);
/** The state of this version.
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT pledger_pledge_state pledger_pledge_state_of(const pledger_pledge *p);
/** The version number, 1 for the registration.
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT int pledger_pledge_version(const pledger_pledge *p);
/** The registration instant (the pledge's priority).
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT int64_t pledger_pledge_registered_at(const pledger_pledge *p);
/** When this version became valid.
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT int64_t pledger_pledge_valid_from(const pledger_pledge *p);
/** When this version stopped being valid; 0 while it is current.
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT int64_t pledger_pledge_valid_to(const pledger_pledge *p);
/** The pledgor's name.
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT const char *pledger_pledge_pledgor_name(const pledger_pledge *p);
/** The pledgor's normalised identifier (masked for natural persons unless registrar or auditor).
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT const char *pledger_pledge_pledgor_id(const pledger_pledge *p);
/** The pledgee's name.
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT const char *pledger_pledge_pledgee_name(const pledger_pledge *p);
/** The pledgee's normalised identifier (masked like the pledgor's).
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT const char *pledger_pledge_pledgee_id(const pledger_pledge *p);
/** The secured amount in the currency's minor unit (fen for CNY).
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT int64_t pledger_pledge_amount(const pledger_pledge *p);
/** The ISO 4217 code of the secured amount.
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT const char *pledger_pledge_currency(const pledger_pledge *p);
/** The first day of the registration period, "YYYY-MM-DD".
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT const char *pledger_pledge_period_start(const pledger_pledge *p);
/** The last day of the registration period, "YYYY-MM-DD".
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT const char *pledger_pledge_period_end(const pledger_pledge *p);
/** The acceptance number of the application it came from.
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT const char *pledger_pledge_acceptance_number(const pledger_pledge *p);
/** The UUID of the application it came from.
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT const char *pledger_pledge_application_uuid(const pledger_pledge *p);
/** The number of pledged rights.
 * @param[in] p the snapshot.
 * @since 0.1 */
PLEDGER_EXPORT size_t pledger_pledge_right_count(const pledger_pledge *p);
/** The normalised identifier of right @p i (0-based).
 * @param[in] p the snapshot.
 * @param[in] i the index, below pledger_pledge_right_count().
 * @return a borrowed string, or NULL when @p i is out of range.
 * @since 0.1 */
PLEDGER_EXPORT const char *pledger_pledge_right_id(const pledger_pledge *p, size_t i);
/** @} */

/**
 * The pledge version as an XML document (root `pledge`), with the history
 * of its versions up to this one.
 * @param[out] out the document; free with pledger_free().
 * @param[in] p the snapshot.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_pledge_to_xml(char **out, const pledger_pledge *p);

/** @name Field paths
 * Every field of the snapshot by the path of its element or attribute in
 * the pledge document (pledger_pledge_to_xml()), relative to the root
 * `pledge`, with the text the document gives it:
 *
 * | path | example |
 * |------|---------|
 * | `registration_number` | "FZ01-TM-2024-000001" |
 * | `version` | "2" |
 * | `status` | "current" or "superseded" |
 * | `kind`, `security` | "trademark", "pledge" |
 * | `pledgor/name`, `pledgor/id`, `pledgor/id/@type` | the pledgor; type "uscc", "resident" ... |
 * | `pledgee/name`, `pledgee/id`, `pledgee/id/@type` | the pledgee |
 * | `rights/KIND[N]/identifier` | right N (1-based) |
 * | `rights/KIND[N]/classes` | its Nice classes (trademarks that give them) |
 * | `amount`, `amount/@currency` | "1000000" (minor units), "CNY" |
 * | `period/start`, `period/end` | "2024-01-15" |
 * | `registered_at`, `issued_at` | "2024-01-15T02:00:00Z" (issued: this version took effect) |
 * | `acceptance_number`, `application` | the application it came from |
 * | `state` | "active", "under_objection", "cancelled", ... |
 * | `valid_from`, `valid_to` | this version's validity (`valid_to` only once superseded) |
 * | `history/entry[N]/version`, `/operation`, `/at` | versions 1 to this one |
 *
 * KIND is the kind's name as the document writes it (pledger_kind_name():
 * "trademark", "receivable" ...); `*` stands for it as in XPath, and
 * `right` as in the application paths (application.h):
 * "rights/\*[2]/identifier", "rights/right[2]/identifier".  Numbers and
 * instants come as the document writes them (decimal integers; instants
 * ISO 8601 in UTC, microseconds when not whole seconds).  Resident identity numbers are masked as by the
 * other getters.  The strings are borrowed from the snapshot: valid until
 * it is freed (for a verification's or a cursor's, see their calls).
 * @{ */

/**
 * One field of a snapshot by its path in the pledge document.
 * @param[in] p    the snapshot.
 * @param[in] path a path of the table above, e.g. "pledgor/name".
 * @return a borrowed string; NULL when @p p or @p path is NULL
 *         (#PLEDGER_EINVAL), when @p path is no field of a pledge
 *         document (#PLEDGER_EINVAL, the message names the path), or when
 *         this pledge has no such field (#PLEDGER_ENOTFOUND: a third right
 *         of a pledge of two, `valid_to` of a current version, `classes`
 *         of a right that has none).  The code and the message are the
 *         calling thread's: pledger_errcode(NULL), pledger_errmsg(NULL).
 * @since 0.2
 */
PLEDGER_EXPORT const char *pledger_pledge_field(const pledger_pledge *p, const char *path);

/**
 * How many fields the snapshot has: the paths pledger_pledge_field_path()
 * lists, in the order of the document.
 * @param[in] p the snapshot.
 * @return the count; 0 for NULL.
 * @since 0.2
 */
PLEDGER_EXPORT size_t pledger_pledge_field_count(const pledger_pledge *p);

/**
 * The path of field @p i (0-based, in the order of the document), with
 * the kind's name in the rights' paths ("rights/trademark[1]/identifier").
 * @param[in] p the snapshot.
 * @param[in] i the index, below pledger_pledge_field_count().
 * @return a borrowed string, or NULL when @p i is out of range.
 * @since 0.2
 */
PLEDGER_EXPORT const char *pledger_pledge_field_path(const pledger_pledge *p, size_t i);

/**
 * The value of field @p i, as pledger_pledge_field() gives it for
 * pledger_pledge_field_path(p, i): walking the fields by index reads
 * each value at once, where looking each path up again would compare it
 * with the paths before it.
 * @param[in] p the snapshot.
 * @param[in] i the index, below pledger_pledge_field_count().
 * @return a borrowed string, or NULL when @p i is out of range.
 * @since 0.2
 */
PLEDGER_EXPORT const char *pledger_pledge_field_value(const pledger_pledge *p, size_t i);
/** @} */

/**
 * A certificate of a pledge.
 * @param[out] out     the certificate document (root `certificate`); free
 *                     with pledger_free().
 * @param[in]  reg     the registry.
 * @param[in]  number  the registration number.
 * @param[in]  version the pledge version it was issued for, or 0 for the
 *                     latest; a superseded certificate says so.
 * @return 0, #PLEDGER_ENOTFOUND.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_certificate_get(char **out, pledger_registry *reg,
                                           const char *number, int version);

/* ---- certificates as records ----------------------------------------------- */

/** An issued certificate of a pledge, read from the registry.  Opaque.
 *  (Not the offline check of a signed certificate,
 *  #pledger_certificate_check of evidence.h.) @since 0.2 */
typedef struct pledger_certificate pledger_certificate;

/** Whether a certificate is the pledge's latest, and whether the pledge
 *  is still in force.  Its document's `status` element says the same
 *  ("current", "superseded", "cancelled", "revoked", "expired").  Values
 *  may be added: treat an unknown one as not current. @since 0.2 */
typedef enum pledger_certificate_status {
    /** The certificate of the pledge's current version, the pledge in
     *  force (active or under objection). */
    PLEDGER_CERTIFICATE_CURRENT = 1,
    /** A change or an extension issued a newer one: the document is
     *  genuine but out of date (pledger_certificate_superseded_at()). */
    PLEDGER_CERTIFICATE_SUPERSEDED = 2,
    /** The pledge's last certificate; the pledge was cancelled since (a
     *  cancellation issues none): genuine, and no longer in force.
     *  @since 0.2 */
    PLEDGER_CERTIFICATE_CANCELLED = 3,
    /** The pledge's last certificate; the registration was revoked since.
     *  @since 0.2 */
    PLEDGER_CERTIFICATE_REVOKED = 4,
    /** The pledge's last certificate; its registration period is over
     *  (read so from the day after its last day, whether the expiry
     *  sweep recorded it yet or not).  @since 0.2 */
    PLEDGER_CERTIFICATE_EXPIRED = 5
} pledger_certificate_status;

/**
 * Read a certificate of a pledge: its version, verification code, status,
 * the instants it was issued and superseded, and its document (as
 * pledger_certificate_get() gives it).  The same roles may read it as
 * pledger_certificate_get(), and the same identity numbers are masked in
 * its document.
 * @param[out] out     the certificate, owned by the caller
 *                     (pledger_certificate_free()); NULL on failure.
 * @param[in]  reg     the registry (read-only is fine).
 * @param[in]  number  the registration number.
 * @param[in]  version the pledge version it was issued for, or 0 for the
 *                     latest.
 * @return 0; #PLEDGER_ENOTFOUND (no such pledge, or no certificate of that
 *         version); #PLEDGER_EPERM; #PLEDGER_EINVAL (the message names the
 *         argument).
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_certificate_load(pledger_certificate **out, pledger_registry *reg,
                                            const char *number, int version);

/** Free a certificate; NULL is a no-op. @since 0.2 */
PLEDGER_EXPORT void pledger_certificate_free(pledger_certificate *c);

/** @name Certificate getters
 * Each takes a certificate @p c (NULL gives NULL or 0).  Strings are
 * borrowed, valid until it is freed.
 * @{ */
/** The registration number of the pledge.
 * @param[in] c the certificate.
 * @since 0.2 */
PLEDGER_EXPORT const char *pledger_certificate_number(const pledger_certificate *c);
/** The pledge version it was issued for (1 for the registration).
 * @param[in] c the certificate.
 * @since 0.2 */
PLEDGER_EXPORT int pledger_certificate_version(const pledger_certificate *c);
/** Its verification code, "XXXX-XXXX-XXXX-XXXX" (what pledger_verify() takes).
 * @param[in] c the certificate.
 * @since 0.2 */
PLEDGER_EXPORT const char *pledger_certificate_code(const pledger_certificate *c);
/** Current, superseded, or the pledge's last certificate of a pledge that
 *  ended: cancelled, revoked, expired (0 for NULL).
 * @param[in] c the certificate.
 * @since 0.2 */
PLEDGER_EXPORT pledger_certificate_status pledger_certificate_status_of(
    const pledger_certificate *c);
/** When it was issued (microseconds since the epoch): when the version it
 *  is for took effect.
 * @param[in] c the certificate.
 * @since 0.2 */
PLEDGER_EXPORT int64_t pledger_certificate_issued_at(const pledger_certificate *c);
/** When a newer certificate superseded it; 0 while it is current.
 * @param[in] c the certificate.
 * @since 0.2 */
PLEDGER_EXPORT int64_t pledger_certificate_superseded_at(const pledger_certificate *c);
/** The certificate document (root `certificate`), UTF-8 XML; a superseded
 *  one, or one of a pledge that ended, says so in its `status`.
 * @param[in] c the certificate.
 * @since 0.2 */
PLEDGER_EXPORT const char *pledger_certificate_xml(const pledger_certificate *c);
/** @} */

/* ---- changes after registration ------------------------------------------ */

/** The version of #pledger_change this header describes. @since 0.1 */
#define PLEDGER_CHANGE_VERSION 1

/**
 * What a change alters.  Fields left NULL (or -1 for the amount) stay as
 * they were; at least one must be given.
 * @since 0.1
 */
typedef struct pledger_change {
    unsigned version;           /**< #PLEDGER_CHANGE_VERSION */
    const char *pledgor_name;   /**< the pledgor's new name */
    const char *pledgee_name;   /**< the pledgee's new name */
    int64_t amount;             /**< new secured amount (minor units), or -1 */
    const char *note;           /**< why (recorded in the journal), or NULL */
} pledger_change;

/** A change that alters nothing yet. @since 0.1 */
#define PLEDGER_CHANGE_INIT { PLEDGER_CHANGE_VERSION, NULL, NULL, -1, NULL }

/**
 * Change the party names or the secured amount: a new version and a new
 * certificate; the old certificate is marked superseded.  Role: registrar
 * (for receivables also applicant); @p modcode is required for
 * receivables and ignored for other kinds.  A change that leaves the
 * names (as folded: white space, full-width forms) and the amount as they
 * are is refused with #PLEDGER_EINVAL and records nothing -- no version,
 * no certificate superseded.  A new name is kept as typed (full-width
 * forms such as Chinese parentheses kept; white space at its ends dropped).
 * A control character in any text parameter -- a tab or a line break in
 * a name, ESC, DEL, a C1 control, a bidirectional control; the note may
 * hold tab, line feed and CRLF -- is refused with #PLEDGER_EINVAL naming
 * the parameter, the character and its position.  A name is taken as the
 * review takes a party's name in a document, and refused with
 * #PLEDGER_EINVAL naming the field otherwise: empty or white space only
 * (PARTY_NAME_MISSING), a character that shows nothing -- a format
 * character, a soft hyphen, a filler -- or not as itself -- an
 * interlinear annotation character, a noncharacter (PARTY_NAME_INVISIBLE).
 * @param[in] reg the registry.
 * @param[in] number the registration number.
 * @param[in] change what changes.
 * @param[in] modcode the modification code (receivables), else NULL;
 *            read in either case, with or without the dashes.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_pledge_change(pledger_registry *reg, const char *number,
                                         const pledger_change *change, const char *modcode);

/**
 * Extend the registration period to @p new_end ("YYYY-MM-DD", after the
 * current end): a new version and a new certificate.  Receivables: only in
 * the 90 days before expiry, each extension 1 month to 30 years, with the
 * modification code.  Not past the term of a pledged right on the
 * reference register (a trademark's, a permit's or certificate's
 * valid_to): #PLEDGER_EINVAL naming the right and its last day, as the
 * registration's review refused (RIGHT_EXPIRES_IN_PERIOD); for a permit or
 * a sea-area or land certificate the register does not know, not past the
 * validity or term its application states (EM_PERMIT_ENDS_IN_PERIOD,
 * RL_TERM_ENDS_IN_PERIOD), the message naming that field too.  An expired
 * pledge is not extended (#PLEDGER_ESTATE).
 * Role: registrar (receivables also applicant).
 * @param[in] reg the registry.
 * @param[in] number the registration number.
 * @param[in] new_end the new last day, "YYYY-MM-DD", taken as typed
 *                    (full-width digits, white space around it, "YYYYMMDD";
 *                    years 0001 to 9999).
 * @param[in] modcode the modification code (receivables), else NULL;
 *            read in either case, with or without the dashes.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_pledge_extend(pledger_registry *reg, const char *number,
                                         const char *new_end, const char *modcode);

/**
 * Cancel a pledge (the claim was satisfied, or the parties agree).
 * Role: registrar (receivables also applicant, with the modification code).
 * @param[in] note why, or NULL.
 * @param[in] reg the registry.
 * @param[in] number the registration number.
 * @param[in] modcode the modification code (receivables), else NULL;
 *            read in either case, with or without the dashes.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_pledge_cancel(pledger_registry *reg, const char *number,
                                         const char *modcode, const char *note);

/**
 * Revoke a registration (void contract, the right lost, fraud, a refusal
 * ground found later).  Role: registrar.
 * @param[in] reg the registry.
 * @param[in] number the registration number.
 * @param[in] ground a ground code (e.g. "CONTRACT_VOID"), required; white space
 *            alone is empty, as "" is.
 * @param[in] note   an explanation, or NULL.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_pledge_revoke(pledger_registry *reg, const char *number,
                                         const char *ground, const char *note);

/**
 * Register an objection to a receivable pledge (by the pledgor or an
 * interested party): the pledge is under objection; without litigation
 * recorded within 30 days the objection lapses (pledger_registry_expire()).
 * Role: applicant or registrar.
 * @param[in] objector who objects (name), required; white space
 *            alone is empty, as "" is.
 * @param[in] reg the registry.
 * @param[in] number the registration number.
 * @param[in] note why, or NULL.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_pledge_object(pledger_registry *reg, const char *number,
                                         const char *objector, const char *note);

/**
 * Record that litigation was filed on an objection: it no longer lapses;
 * the registrar later dismisses it (pledger_pledge_dismiss_objection()) or
 * revokes the pledge.  Role: registrar.
 * @param[in] reg the registry.
 * @param[in] number the registration number.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_pledge_record_litigation(pledger_registry *reg, const char *number);

/**
 * End an objection: the pledge is active again.  Role: registrar.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_pledge_dismiss_objection(pledger_registry *reg, const char *number,
                                                    const char *note);

/**
 * Apply every deadline that has passed at the registry's current instant:
 * applications whose 30-day correction window closed are deemed
 * withdrawn, pledges whose period ended expire, objections without
 * litigation lapse after 30 days.  Each is its own journaled step.
 * A pledge whose period has run out is answered as expired from the
 * first instant after its last day (the registry's date) by every read
 * -- verification, ranks, snapshots, search, statistics -- and no step
 * is taken on it, whether or not this sweep has recorded the expiry yet;
 * the sweep records it in the journal and the pledge's history.  A lapsed
 * objection likewise: the pledge reads as active once the 30 days ended.
 * Role: registrar.
 * @param[out] out how many steps were taken, or NULL.
 * @param[in]  reg the registry.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_registry_expire(int *out, pledger_registry *reg);

/**
 * Load a calendar of public holidays and make-up working days, used by
 * every deadline counted in working days.  Text format, one entry a line:
 * `YYYY-MM-DD holiday [name]`, `YYYY-MM-DD workday [name]`, ranges
 * `YYYY-MM-DD..YYYY-MM-DD holiday [name]` (at most 366 days), `#`
 * comments; a name holds no control character, tab, line separator or
 * bidirectional control (as no text given to the registry does); at most 36,600 days in one text, and no day named both a
 * holiday and a workday in it.  Entries replace those stored for the
 * same days.  Role: registrar.
 * @param[in] reg the registry.
 * @param[in] text the calendar text (UTF-8).
 * @param[in] len its length in bytes.
 * @return 0, #PLEDGER_EINVAL (message names the line).
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_calendar_load(pledger_registry *reg, const char *text, size_t len);

/**
 * Add @p n working days to @p date ("YYYY-MM-DD") using the registry's
 * calendar (weekends alone when none was loaded).
 * @param[out] out the resulting date, "YYYY-MM-DD" (11 bytes).
 * @param[in] reg the registry.
 * @param[in] date the start date, "YYYY-MM-DD" (not counted), taken as
 *                 new_end of pledger_pledge_extend() is.
 * @param[in] n how many working days, 0 to 3650.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_calendar_add_working_days(char out[11], pledger_registry *reg,
                                                     const char *date, int n);

/**
 * Verify the journal's hash chain from the first event, then that the
 * state tables (applications, pledges, versions, certificates, numbers,
 * calendar, settings) are exactly what replaying the journal gives: a row
 * altered or deleted underneath the library names the event that wrote
 * it, a row no event wrote the number after the last event.  The chain
 * check (pledger_journal_verify_chain()) is run first, with all it
 * holds the events to.  Role: auditor or registrar.
 * @param[out] bad_seq_out 0 when intact, else the first bad sequence
 *                         number (the message says what was wrong).
 * @param[out] count_out   number of events verified, or NULL.
 * @param[in] reg the registry.
 * @return 0 whether or not the chain is intact (check @p bad_seq_out);
 *         an error code when the verification could not run.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_journal_verify(int64_t *bad_seq_out, int64_t *count_out,
                                          pledger_registry *reg);

/**
 * Verify the journal's hash chain alone, from the first event: every
 * event's hash covers its fields and the previous hash, so an event
 * altered, removed or inserted names itself.  The Merkle tree (log.h) is
 * held to the tree the events make, and every checkpoint the registry
 * keeps (no key needed: the registry signed them) to the root the events
 * give at its size -- so a journal rewritten with every hash recomputed
 * is not intact either: the first checkpoint it contradicts is named,
 * with @p bad_seq_out the first event after the largest checkpoint the
 * events agree with (events removed from the end: the first one
 * missing).  The state tables are not
 * compared with the journal's replay (pledger_journal_verify() does that
 * too, at a fraction of the speed): this is the check to run often, the
 * full one to run on a schedule.  Role: auditor or registrar.
 * @param[out] bad_seq_out 0 when intact, else the first bad sequence
 *                         number (the message says what was wrong).
 * @param[out] count_out   number of events verified, or NULL.
 * @param[in] reg the registry.
 * @return 0 whether or not the chain is intact (check @p bad_seq_out);
 *         an error code when the verification could not run.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_journal_verify_chain(int64_t *bad_seq_out, int64_t *count_out,
                                                pledger_registry *reg);

#ifdef __cplusplus
}
#endif

#endif /* PLEDGER_PLEDGE_H */
