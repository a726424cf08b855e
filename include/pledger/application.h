/**
 * @file application.h
 * @brief Applications: the document, its fields, and the workflow from
 *        draft to registration (see the design notes, docs/design.md §3).
 *
 * An application is an XML document in the namespace `urn:pledger:1`
 * (schema `share/pledger/pledger.xsd`, also compiled into the library).
 * A #pledger_application handle holds one in memory; fields are read and
 * written by short paths such as `pledgor/name`, `pledgor/id/@type`,
 * `rights/right[2]/number` (steps separated by `/`, `[n]` 1-based,
 * a final `@name` for an attribute; any child of `rights` is `right`).
 *
 * Calls on a handle alone (no registry) report failures on the calling
 * thread: read them with pledger_errmsg(NULL).  Workflow calls take the
 * registry and name the application one way throughout: the two that
 * bring a document (pledger_application_save() and
 * pledger_application_correct()) take the handle that holds it, every
 * other step takes the UUID of the stored application (what
 * pledger_application_uuid() gives after a save), so a step never acts
 * on a document the registry has not checked.  Each checks the actor's
 * role (pledger_set_actor()) and the current state, and runs as one
 * transaction together with its journal event: it either happens
 * completely or not at all.
 */
#ifndef PLEDGER_APPLICATION_H
#define PLEDGER_APPLICATION_H

#include <pledger/common.h>
#include <pledger/types.h>
#include <pledger/registry.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An application document with its stored state.  Opaque. @since 0.1 */
typedef struct pledger_application pledger_application;

/** The result of a review: its findings.  Opaque. @since 0.1 */
typedef struct pledger_review pledger_review;


/**
 * Free memory the library handed to the caller as `char *` (documents,
 * numbers, codes).  NULL is a no-op.
 * @since 0.1
 */
PLEDGER_EXPORT void pledger_free(void *ptr);

/**
 * The API name of a right kind: "trademark", "patent", "receivable",
 * "equity", "emission", "sea_area", "land".
 * @return a static string, or NULL for a value that is not a kind.
 * @since 0.1
 */
PLEDGER_EXPORT const char *pledger_kind_name(pledger_kind kind);

/**
 * The kind named @p name.
 * @return the #pledger_kind, or 0 when unknown or NULL.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_kind_from_name(const char *name);

/** API names of the application states ("draft", "reviewed", ...);
 *  NULL for an unknown value. @since 0.1 */
PLEDGER_EXPORT const char *pledger_app_state_name(pledger_app_state state);

/** API names of the pledge states ("active", "cancelled", ...);
 *  NULL for an unknown value. @since 0.1 */
PLEDGER_EXPORT const char *pledger_pledge_state_name(pledger_pledge_state state);

/** API names of the severities ("blocking", "correctable", "risk",
 *  "notice"); NULL for an unknown value. @since 0.1 */
PLEDGER_EXPORT const char *pledger_severity_name(pledger_severity severity);

/* ---- the document ---------------------------------------------------- */

/**
 * A new, empty application of @p kind (not yet stored).
 * @param[out] out  the handle, owned by the caller (pledger_application_free()).
 * @param[in]  kind the right kind.
 * @return 0, #PLEDGER_EINVAL (unknown kind) or #PLEDGER_ENOMEM.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_new(pledger_application **out, pledger_kind kind);

/**
 * Read an application from its XML document.  The document is parsed
 * with the network off, no DTD and no entities, and validated against the
 * schema; the first problem is reported with its line and field path.
 * @param[out] out the handle, owned by the caller; NULL on failure.
 * @param[in]  xml the document (UTF-8), not necessarily NUL-terminated.
 * @param[in]  len its length in bytes.
 * @return 0, #PLEDGER_EXML, #PLEDGER_EINVAL or #PLEDGER_ENOMEM.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_from_xml(pledger_application **out,
                                                const char *xml, size_t len);

/**
 * Write the application's document out.  Reading it back gives an
 * equivalent application.
 * @param[out] out     the document, NUL-terminated; free with pledger_free().
 * @param[out] len_out its length in bytes, or NULL.
 * @param[in]  app     the application.
 * @return 0, #PLEDGER_EINVAL or #PLEDGER_ENOMEM.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_to_xml(char **out, size_t *len_out,
                                              const pledger_application *app);

/**
 * Read one field.
 * @param[out] out  the text of the element or attribute, borrowed: valid
 *                  until the next call on @p app.
 * @param[in]  app  the application.
 * @param[in]  path a field path, e.g. "pledgor/name".
 * @return 0, #PLEDGER_ENOTFOUND (no such field in this document) or
 *         #PLEDGER_EINVAL (malformed path).
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_get(const char **out, pledger_application *app,
                                           const char *path);

/**
 * Write one field, creating the elements on the way; @p value NULL
 * removes it.  A change that would make the document invalid is refused
 * and the document stays as it was.  This changes the handle only:
 * pledger_application_save() stores it.  The value is kept as typed; the
 * typed fields (dates, amounts ...) and the enumerated ones are read as a
 * Chinese counter types them: "２０２４年３月１日", "发明" for invention,
 * "实用新型" for utility_model (docs/domain.md).  A control character
 * (C0, DEL, C1, U+2028/U+2029, a bidirectional control) is refused with
 * #PLEDGER_EINVAL naming the path, the character and its position; a tab
 * or a line break only around a one-line value, anywhere in the
 * description, goods and guarantee_scope.
 * @param[in] app   the application.
 * @param[in] path  a field path.
 * @param[in] value the new text (UTF-8), or NULL.
 * @return 0, #PLEDGER_EINVAL or #PLEDGER_EXML (a value the schema refuses:
 *         an enumeration's refusal lists its values in both forms).
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_set(pledger_application *app, const char *path,
                                           const char *value);

/**
 * Count the nodes a path matches, such as "rights/right" or "materials/material".
 * @param[out] out the count (0 when none).
 * @param[in] app the application.
 * @param[in] path a field path without a final index.
 * @return 0 or #PLEDGER_EINVAL.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_count(int *out, pledger_application *app,
                                             const char *path);

/**
 * Attach a material (a scanned contract, a power of attorney, ...): the
 * library records its kind, file name, size and SHA-256 digest; the bytes
 * themselves are not stored.
 * @param[in] app       the application.
 * @param[in] kind      e.g. "pledge_contract", "power_of_attorney" (see the schema).
 * @param[in] file_name the file's name as the applicant gave it.
 * @param[in] bytes     its content.
 * @param[in] len       its length.
 * @return 0, #PLEDGER_EINVAL or #PLEDGER_EXML.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_add_material(pledger_application *app,
                                                    const char *kind, const char *file_name,
                                                    const void *bytes, size_t len);

/** The application's kind. @since 0.1 */
PLEDGER_EXPORT pledger_kind pledger_application_kind(const pledger_application *app);

/** The application's UUID, or NULL while it has never been saved. @since 0.1 */
PLEDGER_EXPORT const char *pledger_application_uuid(const pledger_application *app);

/** The state when it was loaded or last saved (#PLEDGER_APP_DRAFT for a
 *  new one). @since 0.1 */
PLEDGER_EXPORT pledger_app_state pledger_application_state(const pledger_application *app);

/** The acceptance number, or NULL before acceptance. @since 0.1 */
PLEDGER_EXPORT const char *pledger_application_acceptance_number(const pledger_application *app);

/** The registration number, or NULL unless registered. @since 0.1 */
PLEDGER_EXPORT const char *pledger_application_registration_number(const pledger_application *app);

/** Free an application handle; NULL is a no-op. @since 0.1 */
PLEDGER_EXPORT void pledger_application_free(pledger_application *app);

/* ---- the workflow ---------------------------------------------------- */

/**
 * Store the application: the first save creates a draft and gives it a
 * UUID (see pledger_application_uuid()); a later save replaces the
 * document of a draft or reviewed application (which becomes a draft
 * again, so it must be reviewed again).  Role: applicant or clerk; an
 * applicant saves over only an application it filed (#PLEDGER_EPERM).
 * @param[in] reg the registry.
 * @param[in] app the application; its UUID and state are updated.
 * @return 0, #PLEDGER_EPERM, #PLEDGER_ESTATE, #PLEDGER_EREADONLY, ...
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_save(pledger_registry *reg, pledger_application *app);

/**
 * Save @p app's document over the stored application @p uuid, as
 * pledger_application_save() does for a handle that was loaded or saved
 * before: for a caller that holds the document and the UUID but not that
 * handle (a service's client, a script started again).  The application
 * must be a draft or reviewed (a reviewed one becomes a draft again, so it
 * must be reviewed again) and of the same kind.  Role: applicant, of an
 * application it filed (#PLEDGER_EPERM otherwise), or clerk.
 * @param[in] reg  the registry, opened writable.
 * @param[in] uuid the stored application's UUID (any case).
 * @param[in] app  the new document: a handle not saved yet, or one of
 *                 @p uuid itself (another application's handle is
 *                 #PLEDGER_EINVAL); its UUID and state are updated.
 * @return 0, #PLEDGER_ENOTFOUND, #PLEDGER_EPERM, #PLEDGER_ESTATE,
 *         #PLEDGER_EINVAL (another kind, another application's handle),
 *         #PLEDGER_EREADONLY, ...
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_application_replace(pledger_registry *reg, const char *uuid,
                                               pledger_application *app);

/**
 * The first save of a new application (pledger_application_save()) under
 * a key the caller makes (a UUID, its own reference of the application),
 * so that it is saved once however often it is sent: for a client that did
 * not hear the answer (a timeout, a connection lost, a process killed) and
 * sends it again.
 *
 * - The first call under @p key saves a draft and keeps the key with it
 *   (the actor's own: another actor's same key is another key), in the
 *   same transaction.
 * - A later call by the same actor under the same key with the same
 *   document saves nothing and returns 0: @p app gets the UUID, state and
 *   numbers of the application saved then (which may have moved on since:
 *   reviewed, submitted, registered), and *@p replayed is 1.
 * - Under the same key, another document, or a key that named a bulk
 *   filing (pledger_file_batch_keyed()), is #PLEDGER_ECONFLICT and
 *   nothing is saved.  A save refused (#PLEDGER_EPERM, ...) keeps no key.
 *
 * Later saves of the draft are pledger_application_save()'s.
 * @param[in]  reg      the registry, opened writable; role applicant or clerk.
 * @param[in]  app      a new application (one with a UUID is #PLEDGER_EINVAL).
 * @param[in]  key      1 to #PLEDGER_FILING_KEY_MAX characters of A-Z a-z 0-9
 *                      and . _ : - (anything else is #PLEDGER_EINVAL).
 * @param[out] replayed 1 when the application was saved before under the
 *                      key and nothing was saved now, else 0; may be NULL.
 * @return 0, #PLEDGER_ECONFLICT, #PLEDGER_EPERM, #PLEDGER_EINVAL,
 *         #PLEDGER_EREADONLY, ...
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_application_save_keyed(pledger_registry *reg,
                                                  pledger_application *app, const char *key,
                                                  int *replayed);

/**
 * Load a stored application: the whole document, every party's identity
 * number in full.  Role: clerk, registrar or auditor; an applicant only
 * the applications it saved itself (the actor's name is compared); a bank,
 * or a caller who set no actor, is refused (a bank reads registrations:
 * pledger_verify(), pledger_search(), pledger_certificate_get()).
 * @param[out] out  the handle, owned by the caller; NULL on failure.
 * @param[in]  reg  the registry.
 * @param[in]  uuid its UUID.
 * @return 0, #PLEDGER_EPERM (the message names the actor and the role),
 *         #PLEDGER_ENOTFOUND or #PLEDGER_EINVAL.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_load(pledger_application **out, pledger_registry *reg,
                                            const char *uuid);

/** The version of #pledger_app_filter this header describes. */
#define PLEDGER_APP_FILTER_VERSION 1

/** Which applications pledger_application_list() lists.  Initialise with
 *  #PLEDGER_APP_FILTER_INIT. @since 0.2 */
typedef struct pledger_app_filter {
    /** Must be #PLEDGER_APP_FILTER_VERSION. */
    unsigned version;
    /** The states wanted: `1u << state` for each #pledger_app_state (as
     *  pledger_application_state() would give it today: an application
     *  whose correction window closed counts as withdrawn); 0: any. */
    unsigned states;
    /** Of this kind (a #pledger_kind); 0: any. */
    int kind;
    /** Saved by this actor; NULL: any (an applicant: always itself). */
    const char *filed_by;
    /** Only applications saved after this one: the UUID of the last of
     *  the previous page; NULL: from the first. */
    const char *after;
    /** At most this many (1 to 10,000). */
    int limit;
} pledger_app_filter;

/** Any application, the first 1,000. */
#define PLEDGER_APP_FILTER_INIT { PLEDGER_APP_FILTER_VERSION, 0, 0, NULL, NULL, 1000 }

/** A list of applications (without their documents).  Opaque. @since 0.2 */
typedef struct pledger_app_list pledger_app_list;

/**
 * The applications @p filter selects, in the order they were saved: an
 * acceptance point's queue (the submitted ones), an applicant's own
 * drafts.  Role: clerk, registrar or auditor see every application; an
 * applicant only those it saved itself (the filter's `filed_by` is taken
 * as the actor, and another actor's name is #PLEDGER_EPERM); a bank, or a
 * caller who set no actor, is refused, as by pledger_application_load().
 * @param[out] out    the list, owned by the caller
 *                    (pledger_app_list_free()); NULL on failure.
 * @param[in]  reg    the registry.
 * @param[in]  filter what to list.
 * @return 0 (an empty list when none matches); #PLEDGER_EINVAL naming the
 *         field (`filter.states` with a bit that is no state,
 *         `filter.kind`, `filter.filed_by`, `filter.after`,
 *         `filter.limit`); #PLEDGER_ENOTFOUND when no application has
 *         the UUID `filter.after`; #PLEDGER_EPERM.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_application_list(pledger_app_list **out, pledger_registry *reg,
                                            const pledger_app_filter *filter);
/** How many applications the list holds. @since 0.2 */
PLEDGER_EXPORT size_t pledger_app_list_count(const pledger_app_list *l);
/** Application @p i's UUID; NULL out of range (so for every getter). @since 0.2 */
PLEDGER_EXPORT const char *pledger_app_list_uuid(const pledger_app_list *l, size_t i);
/** Its kind; 0 out of range. @since 0.2 */
PLEDGER_EXPORT pledger_kind pledger_app_list_kind(const pledger_app_list *l, size_t i);
/** Its state today (as pledger_application_state() after a load). @since 0.2 */
PLEDGER_EXPORT pledger_app_state pledger_app_list_state(const pledger_app_list *l, size_t i);
/** The actor who saved it. @since 0.2 */
PLEDGER_EXPORT const char *pledger_app_list_filed_by(const pledger_app_list *l, size_t i);
/** When it was first saved (microseconds since 1970, UTC). @since 0.2 */
PLEDGER_EXPORT int64_t pledger_app_list_saved_at(const pledger_app_list *l, size_t i);
/** When its last step was taken. @since 0.2 */
PLEDGER_EXPORT int64_t pledger_app_list_updated_at(const pledger_app_list *l, size_t i);
/** Its acceptance number; NULL before acceptance. @since 0.2 */
PLEDGER_EXPORT const char *pledger_app_list_acceptance_number(const pledger_app_list *l,
                                                              size_t i);
/** Its registration number (an acceptance point: the one its office
 *  sent); NULL before registration. @since 0.2 */
PLEDGER_EXPORT const char *pledger_app_list_registration_number(const pledger_app_list *l,
                                                                size_t i);
/** The pledgor's name as the document gives it; NULL when it has none. @since 0.2 */
PLEDGER_EXPORT const char *pledger_app_list_pledgor_name(const pledger_app_list *l, size_t i);
/** The pledgee's name as the document gives it; NULL when it has none. @since 0.2 */
PLEDGER_EXPORT const char *pledger_app_list_pledgee_name(const pledger_app_list *l, size_t i);
/** Free a list; NULL is fine. @since 0.2 */
PLEDGER_EXPORT void pledger_app_list_free(pledger_app_list *l);

/**
 * Review a stored application against every rule of its kind and the
 * reference register, store the result with the application and journal
 * it.  A draft becomes reviewed.  Role: applicant (only of an application
 * it filed: #PLEDGER_EPERM otherwise, whatever its state) or clerk.  The
 * messages the applicant receives show resident identity numbers masked
 * (first 6 and last 4 characters) and another application's UUID masked
 * but for its first 8 digits; the clerk's, and the stored result, in full.
 * @param[out] out  the findings, owned by the caller (pledger_review_free());
 *                  may be NULL when only the stored result matters.
 * @param[in]  reg  the registry.
 * @param[in]  uuid the application.
 * @return 0 (whatever was found), or an error code.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_review(pledger_review **out, pledger_registry *reg,
                                              const char *uuid);

/**
 * Submit a reviewed application.  Refused with #PLEDGER_EREVIEW when its
 * latest review has blocking or correctable findings, or when the
 * document changed since that review.  Role: applicant, of an
 * application it filed (#PLEDGER_EPERM otherwise, whatever its state).
 * @param[in] reg the registry.
 * @param[in] uuid the application's UUID.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_submit(pledger_registry *reg, const char *uuid);

/**
 * Accept a submitted application at this handle's office, giving it an
 * acceptance number.  Role: clerk.
 * @param[out] out the acceptance number (free with pledger_free()), or NULL
 *                 to ignore it.
 * @param[in] reg the registry.
 * @param[in] uuid the application's UUID.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_accept(char **out, pledger_registry *reg,
                                              const char *uuid);

/**
 * Ask the applicant to cure a curable deficiency.  The applicant has 30
 * calendar days; after that, pledger_registry_expire() deems the
 * application withdrawn.  Role: clerk.
 * @param[in] note what must be corrected (required: white space
 *            alone is empty; shown to the applicant).
 * @param[in] reg the registry.
 * @param[in] uuid the application's UUID.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_request_correction(pledger_registry *reg,
                                                          const char *uuid, const char *note);

/**
 * Record the corrected document of an application awaiting correction;
 * it is accepted again.  The document must have the same kind.  It goes
 * through the review a submission does (pledger_application_review();
 * not recorded: registration reviews it again): while it has a blocking or
 * correctable finding the correction is refused with #PLEDGER_EREVIEW,
 * whose message gives how many there are and names the first (code, path,
 * message), and nothing is recorded (the application still awaits
 * correction).  Role: clerk.
 * @param[in] app the corrected application (its UUID names the one to correct).
 * @param[in] reg the registry.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_correct(pledger_registry *reg,
                                               pledger_application *app);

/**
 * Register an accepted application: the pledge exists from now, with a
 * registration number and a certificate.  The document must be the one a
 * clean review saw (submission, or the office's review of what an
 * acceptance point sent): otherwise (a correction) it is reviewed now, and a
 * blocking or correctable finding refuses the registration with
 * #PLEDGER_EREVIEW naming the first one.  Refused with #PLEDGER_ECONFLICT
 * when a right it names is already pledged and its kind allows one pledge
 * only (trademarks, patents, equity, emission, sea-area and land rights);
 * refused with #PLEDGER_EREVIEW when the reference register, read again
 * now, gives a blocking or correctable finding the review did not (an
 * invalidation request the parties have not acknowledged in writing, a
 * seizure, a lapse, a new owner...): the message names the first one;
 * request a correction or refuse.  An application whose registration
 * period ended before today is not registered (#PLEDGER_EINVAL naming
 * period/end): the pledge would be expired at once; refuse it.
 * Role: registrar.
 * @param[out] out          the registration number (free with pledger_free()),
 *                          or NULL.
 * @param[out] modcode_out  for receivables: the modification code, returned
 *                          this once and needed for every later change,
 *                          extension or cancellation (free with
 *                          pledger_free()); must not be NULL for a
 *                          receivable.  NULL for other kinds.
 * @param[in] reg the registry.
 * @param[in] uuid the application's UUID.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_register(char **out, char **modcode_out,
                                                pledger_registry *reg, const char *uuid);

/**
 * Refuse an accepted application.  Role: registrar.
 * @param[in] ground a refusal ground code (e.g. "TM_SEIZED"), required; white space
 *            alone is empty, as "" is.
 * @param[in] note   an explanation, or NULL.
 * @param[in] reg the registry.
 * @param[in] uuid the application's UUID.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_refuse(pledger_registry *reg, const char *uuid,
                                              const char *ground, const char *note);

/**
 * Withdraw an application that has not been decided.  Role: applicant,
 * of an application it filed (#PLEDGER_EPERM otherwise).
 * @param[in] reg the registry.
 * @param[in] uuid the application's UUID.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_application_withdraw(pledger_registry *reg, const char *uuid);

/* ---- review results ---------------------------------------------------- */

/** Number of findings. @since 0.1 */
PLEDGER_EXPORT size_t pledger_review_count(const pledger_review *review);
/** How many findings have @p severity. @since 0.1 */
PLEDGER_EXPORT size_t pledger_review_count_severity(const pledger_review *review,
                                                    pledger_severity severity);
/** Stable code of finding @p i (such as "TM_BUNDLE_MISSING"); NULL if out of range. @since 0.1 */
PLEDGER_EXPORT const char *pledger_review_code(const pledger_review *review, size_t i);
/** Severity of finding @p i; 0 if out of range. @since 0.1 */
PLEDGER_EXPORT pledger_severity pledger_review_severity(const pledger_review *review, size_t i);
/** Field path finding @p i is about ("" for the whole application). @since 0.1 */
PLEDGER_EXPORT const char *pledger_review_path(const pledger_review *review, size_t i);
/** Message of finding @p i in the language of pledger_set_language() (the
 *  locale by default); the registry keeps it in English. @since 0.1 */
PLEDGER_EXPORT const char *pledger_review_message(const pledger_review *review, size_t i);
/** Short legal-basis note of finding @p i. @since 0.1 */
PLEDGER_EXPORT const char *pledger_review_basis(const pledger_review *review, size_t i);
/** Free a review; NULL is a no-op. @since 0.1 */
PLEDGER_EXPORT void pledger_review_free(pledger_review *review);

/* ---- bulk filing ---------------------------------------------------------- */

/** The outcome of pledger_file_batch(): per item, its application, its
 * numbers and its review. */
typedef struct pledger_filing pledger_filing;

/**
 * File many registrations of one kind in one call (bulk filing).  For the
 * kinds the pledgee files alone (#PLEDGER_KIND_RECEIVABLE); role
 * applicant (the pledgee).  Every item goes through the steps of a single
 * filing -- save, review, submit, accept at this handle's office,
 * register -- inside one transaction:
 *
 * - every item is reviewed first; when any item has blocking or
 *   correctable findings nothing is filed, the call returns
 *   #PLEDGER_EREVIEW, and *@p out holds every item's findings
 *   (pledger_filing_review(); masked as for the applicant) and which
 *   items stopped the filing (pledger_filing_item_blocked());
 * - otherwise every item is registered; the registration numbers of one
 *   batch are consecutive in the order of @p apps, and each handle in
 *   @p apps is updated (UUID, state registered, numbers) as the single
 *   steps would.
 *
 * Any other failure (an item of another kind, an item already saved, a
 * register check that fails at registration) names the item ("item 17:
 * ...") and files nothing.  At most 100,000 items per call.
 * @param[out] out  the outcome (pledger_filing_free()); set on success and
 *                  on #PLEDGER_EREVIEW, NULL otherwise.
 * @param[in]  reg  the registry, opened writable, actor role applicant.
 * @param[in]  apps @p n applications, none saved yet, all of one kind.
 * @param[in]  n    how many; at least 1.
 * @return 0, #PLEDGER_EREVIEW, or another error code.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_file_batch(pledger_filing **out, pledger_registry *reg,
                                      pledger_application *const *apps, size_t n);
/** The longest key of pledger_file_batch_keyed(), in characters. @since 0.2 */
#define PLEDGER_FILING_KEY_MAX 128

/**
 * pledger_file_batch() under a key the caller makes (a UUID, its own
 * reference of the batch), so that a batch is filed once however often
 * it is sent: for a pledgee that did not hear the answer (a connection
 * lost, a process killed) and sends the batch again.
 *
 * - The first call under @p key files as pledger_file_batch() does; once
 *   filed, the key is kept with the batch (the actor's own: another
 *   actor's same key is another key), in the same transaction.
 * - A later call by the same actor under the same key with the same
 *   documents, in the same order, files nothing and returns 0 with what
 *   the first registered: the UUIDs, acceptance and registration numbers
 *   (the handles in @p apps are updated as if filed).
 *   pledger_filing_replayed() says so.  The modification codes are not
 *   given again (pledger_filing_modcode() is NULL): they are given once.
 * - Under the same key, other documents (or another number of them) are
 *   #PLEDGER_ECONFLICT, and nothing is filed.
 * - A batch refused (#PLEDGER_EREVIEW or another error) files nothing and
 *   keeps no key: corrected, it may be sent again under the same key.
 *
 * @param[out] out  as for pledger_file_batch().
 * @param[in]  reg  the registry, opened writable, actor role applicant.
 * @param[in]  key  1 to #PLEDGER_FILING_KEY_MAX characters of A-Z a-z 0-9
 *                  and . _ : - (anything else is #PLEDGER_EINVAL naming it).
 * @param[in]  apps @p n applications, none saved yet, all of one kind.
 * @param[in]  n    how many; at least 1.
 * @return 0, #PLEDGER_EREVIEW, #PLEDGER_ECONFLICT, or another error code.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_file_batch_keyed(pledger_filing **out, pledger_registry *reg,
                                            const char *key, pledger_application *const *apps,
                                            size_t n);
/**
 * Read a bulk filing sent as one document: a root element
 * `<filings xmlns="urn:pledger:1">` whose children are `<application>`
 * elements, each what pledger_application_from_xml() reads as a document
 * of its own; what pledger_file_batch() takes, in the same order.
 *
 * The envelope is read as every document of the library is: as UTF-8,
 * whatever encoding its declaration names (a document in another
 * encoding is refused, never read as other characters); no DOCTYPE, no
 * network; at most 256 MiB. Text between the applications, another
 * element or no application at all are refused, as are more than 100,000
 * applications (the most pledger_file_batch() files at once).
 *
 * @param[out] out   an array of *@p count new drafts, to be freed with
 *                   pledger_application_array_free() (or, to keep the
 *                   drafts, the array alone with pledger_free() and each
 *                   draft later with pledger_application_free()); NULL on
 *                   failure.
 * @param[out] count how many (at least 1); 0 on failure.
 * @param[in]  xml   the document.
 * @param[in]  len   its length in bytes.
 * @return 0; #PLEDGER_EXML for XML that does not read ("filings: line N:
 *         ..."); #PLEDGER_EINVAL for a document that is not a bulk filing
 *         ("filings: ..."); an application that pledger_application_from_xml()
 *         would refuse, with its code and the message "filings/application[i]:
 *         application: line N: ...", i counted from 1 and N the line of
 *         the whole document. The message is pledger_errmsg(NULL)'s.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_filings_from_xml(pledger_application ***out, size_t *count,
                                            const char *xml, size_t len);
/** Free @p count applications and the array that holds them (as
 * pledger_filings_from_xml() gives them); NULL is a no-op. @since 0.2 */
PLEDGER_EXPORT void pledger_application_array_free(pledger_application **apps, size_t count);
/** 1 when the filing was made before under its key and nothing was filed
 * by this call (pledger_file_batch_keyed()), else 0. @since 0.2 */
PLEDGER_EXPORT int pledger_filing_replayed(const pledger_filing *f);
/** The number of items of a filing. @since 0.2 */
PLEDGER_EXPORT size_t pledger_filing_count(const pledger_filing *f);
/** How many items have findings that stopped the filing (0 once filed). @since 0.2 */
PLEDGER_EXPORT size_t pledger_filing_blocked(const pledger_filing *f);
/** 1 when item @p i has blocking or correctable findings, else 0. @since 0.2 */
PLEDGER_EXPORT int pledger_filing_item_blocked(const pledger_filing *f, size_t i);
/** Item @p i's application UUID; NULL when nothing was filed. @since 0.2 */
PLEDGER_EXPORT const char *pledger_filing_uuid(const pledger_filing *f, size_t i);
/** Item @p i's acceptance number; NULL when nothing was filed. @since 0.2 */
PLEDGER_EXPORT const char *pledger_filing_acceptance_number(const pledger_filing *f, size_t i);
/** Item @p i's registration number; NULL when nothing was filed. @since 0.2 */
PLEDGER_EXPORT const char *pledger_filing_number(const pledger_filing *f, size_t i);
/** Item @p i's modification code (receivables), given only here, once;
 * NULL when nothing was filed. @since 0.2 */
PLEDGER_EXPORT const char *pledger_filing_modcode(const pledger_filing *f, size_t i);
/** Item @p i's review findings, borrowed from @p f. @since 0.2 */
PLEDGER_EXPORT const pledger_review *pledger_filing_review(const pledger_filing *f, size_t i);
/** Free a filing (its modification codes are wiped); NULL is a no-op. @since 0.2 */
PLEDGER_EXPORT void pledger_filing_free(pledger_filing *f);

#ifdef __cplusplus
}
#endif

#endif /* PLEDGER_APPLICATION_H */
