/**
 * @file types.h
 * @brief The enumerations shared by every part of the API: right kinds,
 *        roles, application and pledge states, identifier types.
 *
 * Values are stable: new values may be added, existing ones never change.
 * Each has a lower-case API name (the one used in documents, the journal
 * and the command line), see pledger_kind_name() and friends.
 */
#ifndef PLEDGER_TYPES_H
#define PLEDGER_TYPES_H

#include <pledger/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The kind of right pledged (see the domain notes, docs/domain.md §1). @since 0.1 */
typedef enum pledger_kind {
    PLEDGER_KIND_TRADEMARK = 1,  /**< "trademark": exclusive right to use a registered mark */
    PLEDGER_KIND_PATENT = 2,     /**< "patent": invention, utility model or design patent */
    PLEDGER_KIND_RECEIVABLE = 3, /**< "receivable": accounts receivable */
    PLEDGER_KIND_EQUITY = 4,     /**< "equity": share of an unlisted company's capital */
    PLEDGER_KIND_EMISSION = 5,   /**< "emission": pollutant discharge right */
    PLEDGER_KIND_SEA_AREA = 6,   /**< "sea_area": sea-area use right (a mortgage) */
    PLEDGER_KIND_LAND = 7        /**< "land": rural land management right (a mortgage) */
} pledger_kind;

/** Who performs a call (see the design notes, docs/design.md §3). @since 0.1 */
typedef enum pledger_role {
    PLEDGER_ROLE_APPLICANT = 1, /**< "applicant": drafts, reviews, submits, withdraws */
    PLEDGER_ROLE_CLERK = 2,     /**< "clerk": accepts, requests and records corrections */
    PLEDGER_ROLE_REGISTRAR = 3, /**< "registrar": registers, refuses, changes, extends, cancels, revokes */
    PLEDGER_ROLE_BANK = 4,      /**< "bank": reads only */
    PLEDGER_ROLE_AUDITOR = 5    /**< "auditor": reads, verifies the journal */
} pledger_role;

/** The state of an application. @since 0.1 */
typedef enum pledger_app_state {
    PLEDGER_APP_DRAFT = 1,                /**< "draft" */
    PLEDGER_APP_REVIEWED = 2,             /**< "reviewed" */
    PLEDGER_APP_SUBMITTED = 3,            /**< "submitted" */
    PLEDGER_APP_ACCEPTED = 4,             /**< "accepted" */
    PLEDGER_APP_CORRECTION_REQUESTED = 5, /**< "correction_requested" */
    PLEDGER_APP_REGISTERED = 6,           /**< "registered" */
    PLEDGER_APP_REFUSED = 7,              /**< "refused" */
    PLEDGER_APP_WITHDRAWN = 8,            /**< "withdrawn" (by the applicant, or deemed) */
    PLEDGER_APP_FORWARDED = 9             /**< "forwarded": an acceptance point sent it to
                                               its office, which decides (@since 0.2) */
} pledger_app_state;

/** What a registry is (pledger_set_site()). @since 0.2 */
typedef enum pledger_site {
    PLEDGER_SITE_OFFICE = 1,           /**< "office": registers, numbers, certifies */
    PLEDGER_SITE_ACCEPTANCE_POINT = 2  /**< "acceptance_point": saves, reviews, accepts and
                                            forwards to its office; never registers */
} pledger_site;

/** The state of a registered pledge. @since 0.1 */
typedef enum pledger_pledge_state {
    PLEDGER_PLEDGE_ACTIVE = 1,          /**< "active" */
    PLEDGER_PLEDGE_CANCELLED = 2,       /**< "cancelled" */
    PLEDGER_PLEDGE_REVOKED = 3,         /**< "revoked" */
    PLEDGER_PLEDGE_EXPIRED = 4,         /**< "expired" */
    PLEDGER_PLEDGE_UNDER_OBJECTION = 5  /**< "under_objection" (receivables) */
} pledger_pledge_state;

/** Types of identifiers pledger checks and normalises (docs/domain.md §2). @since 0.1 */
typedef enum pledger_id_type {
    PLEDGER_ID_USCC = 1,        /**< "uscc": unified social credit code, 18 characters */
    PLEDGER_ID_RESIDENT = 2,    /**< "resident": resident identity number, 18 characters */
    PLEDGER_ID_PASSPORT = 3,    /**< "passport": passport number */
    PLEDGER_ID_FOREIGN_REG = 4, /**< "foreign_reg": foreign registration number */
    PLEDGER_ID_PATENT = 5,      /**< "patent": patent application number */
    PLEDGER_ID_TRADEMARK = 6,   /**< "trademark": trademark registration number */
    PLEDGER_ID_NICE_CLASS = 7,  /**< "nice_class": Nice class 1-45 */
    PLEDGER_ID_PERMIT = 8,      /**< "permit": pollutant discharge permit number */
    PLEDGER_ID_CERTIFICATE = 9  /**< "certificate": sea-area or land right certificate number */
} pledger_id_type;

/** How serious a review finding is. @since 0.1 */
typedef enum pledger_severity {
    PLEDGER_SEVERITY_BLOCKING = 1,    /**< "blocking": the application cannot be registered */
    PLEDGER_SEVERITY_CORRECTABLE = 2, /**< "correctable": must be cured before submission */
    PLEDGER_SEVERITY_RISK = 3,        /**< "risk": acknowledged in writing; recorded, allowed */
    PLEDGER_SEVERITY_NOTICE = 4       /**< "notice": for information */
} pledger_severity;

#ifdef __cplusplus
}
#endif

#endif /* PLEDGER_TYPES_H */
