/* The documents the library writes: the registration certificate (root
 * <certificate>) and the registered pledge (root <pledge>), both in
 * urn:pledger:1 and described by share/pledger/pledger.xsd.  The output
 * is deterministic (fixed element order, two-space indentation, UTF-8)
 * and validated against the schema before it is returned. */
#ifndef PL_MODEL_CERTIFICATE_H
#define PL_MODEL_CERTIFICATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pledger/types.h>

#include "base/error.h"

/* A party as the certificate names it. */
typedef struct pl_cert_party {
    const char *name;         /* required */
    pledger_id_type id_type;  /* USCC, RESIDENT, PASSPORT or FOREIGN_REG; 0 = no <id> */
    const char *id;           /* normalised identifier; NULL = no <id> */
} pl_cert_party;

/* One pledged right: <trademark><identifier>..</identifier><classes>..
 * </classes></trademark>. */
typedef struct pl_cert_right {
    const char *kind;         /* element name: "trademark", "patent", ... */
    const char *identifier;   /* the normalised identifier or the right's key */
    const char *classes;      /* Nice classes "9 35" (trademarks), NULL otherwise */
} pl_cert_right;

/* Everything a certificate states.  Strings are UTF-8 and borrowed. */
typedef struct pl_cert_fields {
    const char *registration_number; /* required */
    int version;                     /* 1, 2, ... (each change/extension adds one) */
    const char *status;              /* "current" or "superseded"; NULL = "current" */
    pledger_kind kind;
    const char *security;            /* "pledge" or "mortgage"; NULL = by kind
                                        (sea_area and land are mortgages) */
    pl_cert_party pledgor;
    pl_cert_party pledgee;
    const pl_cert_right *rights;     /* at least one */
    size_t n_rights;
    const char *currency;            /* ISO 4217 code of the secured amount */
    int64_t amount;                  /* secured amount in minor units */
    int32_t period_start;            /* registration period, days since 1970-01-01 */
    int32_t period_end;
    int64_t registered_at;           /* microseconds since the epoch, UTC */
    int64_t issued_at;
    const char *acceptance_number;   /* NULL = left out */
    const char *application;         /* the application's UUID; NULL = left out */
    const char *verification_code;   /* required for a certificate; NULL in a
                                        pledge document (left out) */
} pl_cert_fields;

/* Write <certificate version="1"> with the fields of @f.  *out is
 * malloc'd and NUL-terminated, *len (may be NULL) its length.
 * PLEDGER_EINVAL for text that is not UTF-8 or a bad enumeration value
 * given as a number, PLEDGER_EXML (message naming the element) when the
 * result would not validate (a required field missing, a malformed
 * UUID ...). */
int pl_cert_to_xml(pl_err *e, const pl_cert_fields *f, char **out, size_t *len);

/* One version in the history of a pledge. */
typedef struct pl_pledge_history {
    int version;
    const char *operation;           /* "register", "change", "extend", ... */
    int64_t at;                      /* microseconds since the epoch, UTC */
} pl_pledge_history;

/* A registered pledge: the certificate's fields plus its state and the
 * validity of this version. */
typedef struct pl_pledge_fields {
    pl_cert_fields cert;
    pledger_pledge_state state;
    int64_t valid_from;              /* when this version took effect */
    bool has_valid_to;               /* false while this version is current */
    int64_t valid_to;
    const pl_pledge_history *history; /* optional, oldest first */
    size_t n_history;
} pl_pledge_fields;

/* Write <pledge version="1">; like pl_cert_to_xml. */
int pl_pledge_to_xml(pl_err *e, const pl_pledge_fields *f, char **out, size_t *len);


#endif
