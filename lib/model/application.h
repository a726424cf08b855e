/* The application document (root <application kind=".." version="1"> in
 * urn:pledger:1, share/pledger/pledger.xsd): a handle over the validated
 * XML, field access by short path, and extraction into a plain struct for
 * the review.
 *
 * Paths.  A path is a list of steps separated by '/', starting below the
 * root: "pledgor/name", "rights/right[2]/number", "claim/amount/@currency",
 * "@kind".  A step is an element name with an optional 1-based index
 * "[i]" (no index means [1]); the last step may be "@name", an attribute.
 * Below <rights>, the step "right" matches every right whatever its
 * element name (which is the kind).  Names are [A-Za-z_][A-Za-z0-9_.-]*,
 * at most 16 steps.  The short paths this module and pl_xml_short_path()
 * produce are valid paths.
 *
 * Invariant: the document held by a pl_doc is always valid against the
 * schema and every child of <rights> is named after @kind. */
#ifndef PL_MODEL_APPLICATION_H
#define PL_MODEL_APPLICATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>
#include <pledger/types.h>

#include "base/error.h"

typedef struct pl_doc pl_doc;

/* ------------------------------------------------------------------ */
/* The document handle                                                 */

/* A fresh draft: <application kind="@kind" version="1"/>. */
int pl_doc_new(pl_doc **out, pl_err *e, pledger_kind kind);

/* Parse untrusted XML (pl_xml_parse: no DTD, no network, limits), strip
 * comments and blank text between elements, validate against the schema,
 * and check that every child of <rights> matches @kind.  Failures are
 * PLEDGER_EXML "application: line N: <path>: message". */
int pl_doc_parse(pl_doc **out, pl_err *e, const char *xml, size_t len);

/* The same checks as pl_doc_parse() for @doc, a tree already read with
 * pl_xml_parse()'s guards (an <application> taken out of a document that
 * holds several, its lines those of that document); @doc is taken,
 * wrapped on success and freed otherwise. */
int pl_doc_adopt(pl_doc **out, pl_err *e, xmlDocPtr doc);

/* Parse a document the library stored itself, after checking that its
 * SHA-256 is @digest_hex (the doc_hash stored with it): the schema was
 * checked when it was stored, so it is not checked again (a third of a
 * registration's cost).  A document that does not match its digest was
 * changed outside the library: PLEDGER_ECORRUPT, nothing parsed. */
int pl_doc_parse_stored(pl_doc **out, pl_err *e, const char *xml, size_t len,
                        const char *digest_hex);
/* The same for a document another registry sends (an exchange batch's
 * application): its digest checked, and the schema too, as for every
 * document filed here (pl_doc_parse). */
int pl_doc_parse_received(pl_doc **out, pl_err *e, const char *xml, size_t len,
                          const char *digest_hex);

/* A deep copy of @d. */
int pl_doc_clone(pl_doc **out, pl_err *e, const pl_doc *d);

void pl_doc_free(pl_doc *d);

pledger_kind pl_doc_kind(const pl_doc *d);

/* The underlying tree, borrowed, for reading only (changing it breaks
 * the invariant); valid until the next pl_doc_set/add_material/free. */
xmlDocPtr pl_doc_xml(const pl_doc *d);

/* Serialise: UTF-8, XML declaration, two-space indentation, attributes
 * and elements in document order.  Deterministic: parsing the output and
 * serialising again gives the same bytes.  *out is malloc'd and
 * NUL-terminated; *len (may be NULL) its length. */
int pl_doc_to_xml(pl_doc *d, pl_err *e, char **out, size_t *len);

/* The text at @path: an attribute's value, or the concatenated text
 * children of an element ("" for an empty element or one that holds only
 * elements).  *out is borrowed, valid until the next call on @d.
 * PLEDGER_ENOTFOUND when nothing is there, PLEDGER_EINVAL for a malformed
 * path (the message shows the path and the bad step). */
int pl_doc_get(pl_doc *d, pl_err *e, const char *path, const char **out);

/* Set the text at @path to @value, creating missing elements on the way
 * (appended to their parent; for rights/right[i] an element named after
 * the kind).  An index may be at most the current count + 1, else
 * PLEDGER_EINVAL.  @value NULL removes the element or attribute (a no-op
 * when absent).  @value must be valid UTF-8 holding only characters XML
 * allows (PLEDGER_EINVAL).  Setting the text of an element that has child
 * elements, or changing @kind or @version, is PLEDGER_EINVAL.  When the
 * document would no longer validate (or a right would not match the
 * kind), nothing changes and the result is PLEDGER_EXML naming the path
 * and the schema's complaint. */
int pl_doc_set(pl_doc *d, pl_err *e, const char *path, const char *value);

/* How many nodes @path (no index on its last step) matches:
 * "rights/right" -> the number of rights, "materials/material" -> the
 * number of materials, "pledgor" -> 0 or 1, "pledgor/@type" -> 0 or 1.
 * 0 when an intermediate element is absent. */
int pl_doc_count(pl_doc *d, pl_err *e, const char *path, int *out);

/* Append <material kind="@kind"><file_name/><size/><sha256/></material>
 * to <materials> (created when missing), with the size and the SHA-256
 * of @bytes computed here.  PLEDGER_EXML (document unchanged) when @kind
 * is not a material kind of the schema. */
int pl_doc_add_material(pl_doc *d, pl_err *e, const char *kind, const char *file_name,
                        const void *bytes, size_t len);

/* ------------------------------------------------------------------ */
/* Extraction                                                          */

/* Every field below carries `path`, the short path of the node, also when
 * the node is absent (where it would be), so a finding can name it.
 * Texts are trimmed of surrounding white space; a blank element counts as
 * absent.  All strings belong to the pl_app and live until pl_app_free. */

/* A text element. */
typedef struct pl_app_text {
    const char *text; /* trimmed text; NULL when absent or blank */
    const char *path;
} pl_app_text;

/* A calendar date element (YYYY-MM-DD). */
typedef struct pl_app_date {
    const char *raw;  /* trimmed text, folded (pl_doc_fold_value: "２０２４－０３－０１"
                       * reads 2024-03-01); NULL when absent */
    const char *path;
    bool has;         /* the element is present and not blank */
    bool valid;       /* raw is a real date; then days is set */
    int32_t days;     /* days since 1970-01-01 (pl_date_parse) */
} pl_app_date;

/* An amount: integer count of minor units, @currency an ISO 4217 code. */
typedef struct pl_app_amount {
    const char *raw;           /* trimmed text, folded; NULL when absent */
    const char *path;
    bool has;                  /* the element is present and not blank */
    bool valid;                /* raw is an integer 0 .. INT64_MAX */
    int64_t minor;             /* the amount when valid */
    const char *currency;      /* trimmed @currency, folded; NULL when absent */
    const char *currency_path; /* ".../@currency" */
} pl_app_amount;

/* A decimal quantity with its unit (emission allowance, area). */
typedef struct pl_app_measure {
    const char *raw;       /* trimmed decimal text, folded, without a leading '+';
                            * NULL when absent */
    const char *path;
    const char *unit;      /* @unit; NULL when absent */
    const char *unit_path;
} pl_app_measure;

/* An identifier of a right (pl_ident_normalize). */
typedef struct pl_app_ident {
    const char *raw;   /* as typed, trimmed; NULL when absent */
    const char *norm;  /* normalised; NULL when absent or invalid */
    const char *error; /* why it is invalid; NULL when valid or absent */
    const char *error_local; /* the same in the chosen language, or NULL */
    const char *path;
} pl_app_ident;

/* A boolean element (xs:boolean: true/false/1/0). */
typedef struct pl_app_flag {
    bool has;          /* present and a boolean */
    bool value;
    const char *path;
} pl_app_flag;

typedef enum pl_party_type {
    PL_PARTY_NONE = 0, /* @type absent */
    PL_PARTY_ORGANISATION = 1,
    PL_PARTY_PERSON = 2,
    PL_PARTY_FOREIGN = 3
} pl_party_type;

typedef struct pl_app_party {
    bool present;                 /* the element exists */
    const char *path;             /* "pledgor", "rights/right[1]/co_owners/party[2]" */
    pl_party_type type;           /* @type */
    const char *type_path;        /* "pledgor/@type" */
    pl_app_text name;
    const char *name_key;         /* pl_text_name_key(name.text); NULL without a name */
    pledger_id_type id_type;      /* id/@type; 0 when absent */
    const char *id_type_path;     /* "pledgor/id/@type" */
    const char *id_raw;           /* the identifier as typed (trimmed); NULL when absent */
    const char *id_norm;          /* normalised; NULL when absent or invalid */
    const char *id_error;         /* why id_raw is invalid (also: no @type);
                                     NULL when valid or absent */
    const char *id_error_local;   /* the same in the chosen language, or NULL */
    const char *id_path;          /* "pledgor/id" */
    pl_app_text address;
    pl_app_text contact;
    pl_app_text legal_representative;
    pl_app_text country;
    pl_app_flag consent;          /* @consent of co-owners */
} pl_app_party;

typedef enum pl_patent_type {
    PL_PATENT_TYPE_NONE = 0,
    PL_PATENT_INVENTION = 1,
    PL_PATENT_UTILITY_MODEL = 2,
    PL_PATENT_DESIGN = 3
} pl_patent_type;

/* One right.  Only the fields of its kind are filled; the others stay
 * NULL/0 (their paths included). */
typedef struct pl_app_right {
    pledger_kind kind;       /* from the element name */
    const char *path;        /* "rights/right[2]" */
    /* What the registry uses to decide "the same right":
     *   trademark, patent: the normalised number;
     *   receivable: the normalised id of the debtor whose id sorts first
     *     (bytewise: the order debtors are listed in does not matter) +
     *     "/" + the contract number (pl_text_normalize_ref: its dashes
     *     folded), or when either is missing "desc:" + hex SHA-256 of the
     *     folded (pl_text_fold) description;
     *   equity: normalised company USCC + "/" + the pledgor's normalised id;
     *   emission: the normalised permit number;
     *   sea_area, land: the normalised certificate number;
     * NULL when the identifying field is missing or invalid. */
    const char *key;
    /* The key as pledger 0.2 made it before schema 12, which a
     * certificate issued then names the right by (a right with no
     * identifier of its own is named by its key): for a receivable with
     * debtor and contract the first debtor's id + "/" + the contract
     * number (pl_text_normalize_id); else the key. */
    const char *label;

    /* trademark */
    pl_app_ident number;       /* also patent */
    const char *classes_raw;   /* the classes text folded ("第２９类、第３０类" reads
                                * "29 30"), trimmed; NULL when absent */
    const char *classes_path;
    int *classes;              /* the Nice classes in document order */
    size_t n_classes;
    bool classes_valid;        /* every item is an integer 1..45 */
    pl_app_text goods;
    pl_app_text mark;

    /* patent */
    pl_app_text title;
    pl_patent_type patent_type;
    const char *patent_type_path;
    pl_app_date filing_date;
    pl_app_date grant_date;
    /* patent, trademark, emission, sea area, land: the co-owners other
     * than the pledgor */
    pl_app_party *co_owners;
    size_t n_co_owners;
    const char *co_owners_path; /* ".../co_owners" */

    /* receivable */
    pl_app_text description;
    pl_app_party *debtors;
    size_t n_debtors;
    const char *debtors_path;   /* ".../debtors" */
    pl_app_amount amount;
    pl_app_date due_date;
    pl_app_text contract_number;

    /* equity */
    pl_app_text company_name;
    pl_app_ident company_uscc;
    pl_app_amount capital;

    /* emission */
    pl_app_ident permit_number;
    pl_app_text pollutant;
    pl_app_measure allowance;
    pl_app_date valid_from;
    pl_app_date valid_to;

    /* sea_area, land */
    pl_app_ident certificate_number;
    pl_app_text location;
    pl_app_measure area;
    pl_app_date term_start;
    pl_app_date term_end;
} pl_app_right;

typedef enum pl_claim_type {
    PL_CLAIM_NONE = 0,
    PL_CLAIM_LOAN = 1,
    PL_CLAIM_CREDIT_LINE = 2,
    PL_CLAIM_GUARANTEE = 3,
    PL_CLAIM_OTHER = 4
} pl_claim_type;

typedef struct pl_app_claim {
    bool present;
    const char *path;          /* "claim" */
    pl_claim_type type;
    const char *type_path;
    pl_app_amount amount;
    pl_app_date performance_start;
    pl_app_date performance_end;
    pl_app_text main_contract_number;
} pl_app_claim;

typedef struct pl_app_period {
    bool present;
    const char *path;          /* "period" */
    pl_app_date start;
    pl_app_date end;
} pl_app_period;

/* What the pledge contract names (contract/clauses). */
enum {
    PL_CLAUSE_PARTIES = 1u << 0,
    PL_CLAUSE_ADDRESSES = 1u << 1,
    PL_CLAUSE_CLAIM = 1u << 2,
    PL_CLAUSE_DEADLINE = 1u << 3,
    PL_CLAUSE_RIGHTS = 1u << 4,
    PL_CLAUSE_SCOPE = 1u << 5,
    PL_CLAUSE_ALL = (1u << 6) - 1
};

typedef struct pl_app_contract {
    bool present;
    const char *path;          /* "contract" */
    pl_app_text number;
    pl_app_date date;
    pl_app_text language;
    pl_app_text guarantee_scope;
    const char *clauses_raw;   /* NULL when absent */
    const char *clauses_path;
    unsigned clauses;          /* PL_CLAUSE_* bits */
} pl_app_contract;

typedef struct pl_app_valuation {
    bool present;
    const char *path;          /* "valuation" */
    pl_app_text appraiser;
    pl_app_amount value;
    pl_app_date date;
} pl_app_valuation;

typedef enum pl_material_kind {
    PL_MATERIAL_NONE = 0, /* @kind absent */
    PL_MATERIAL_APPLICATION_FORM = 1,
    PL_MATERIAL_COMMITMENT_LETTER = 2,
    PL_MATERIAL_MAIN_CONTRACT = 3,
    PL_MATERIAL_PLEDGE_CONTRACT = 4,
    PL_MATERIAL_IDENTITY = 5,
    PL_MATERIAL_POWER_OF_ATTORNEY = 6,
    PL_MATERIAL_CONSENT = 7,
    PL_MATERIAL_EVALUATION_REPORT = 8,
    PL_MATERIAL_EXTENSION_AGREEMENT = 9,
    PL_MATERIAL_GUARANTEE_LETTER = 10,
    PL_MATERIAL_NAME_CHANGE_PROOF = 11,
    PL_MATERIAL_TRANSLATION = 12,
    PL_MATERIAL_OTHER = 13,
    /* the parties' signed acknowledgement of the risks they declare in
     * acknowledgements/risk (a pending invalidation, a same-day pair) */
    PL_MATERIAL_RISK_ACKNOWLEDGEMENT = 14
} pl_material_kind;

/* "application_form", ...; NULL outside the enum. */
const char *pl_material_kind_name(pl_material_kind kind);
/* PL_MATERIAL_NONE when @name is not a material kind. */
pl_material_kind pl_material_kind_from_name(const char *name);

typedef struct pl_app_material {
    const char *path;          /* "materials/material[2]" */
    pl_material_kind kind;
    const char *kind_path;
    pl_app_text file_name;
    bool has_size;
    int64_t size;              /* bytes, when has_size */
    const char *size_path;
    pl_app_text sha256;        /* lower-case hex */
    pl_app_text language;
} pl_app_material;

typedef enum pl_risk_code {
    PL_RISK_NONE = 0,
    PL_RISK_INVALIDATION_PENDING = 1,
    PL_RISK_SAME_DAY_PAIR = 2
} pl_risk_code;

typedef struct pl_app_risk {
    const char *path;          /* "acknowledgements/risk[1]" */
    pl_risk_code code;
    const char *code_path;
    pl_app_text text;          /* path == the risk's path */
} pl_app_risk;

typedef struct pl_app_filing {
    bool present;
    const char *path;          /* "filing" */
    pl_app_flag online;
    pl_app_flag joint;
} pl_app_filing;


typedef struct pl_app {
    pledger_kind kind;
    pl_app_party pledgor;
    pl_app_party pledgee;
    pl_app_party debtor;       /* when the debtor is not the pledgor */
    pl_app_party agent;
    const char *rights_path;   /* "rights" */
    pl_app_right *rights;      /* in document order */
    size_t n_rights;
    pl_app_claim claim;
    pl_app_period period;
    pl_app_contract contract;
    pl_app_valuation valuation;
    const char *materials_path; /* "materials" */
    pl_app_material *materials;
    size_t n_materials;
    const char *risks_path;    /* "acknowledgements" */
    pl_app_risk *risks;
    size_t n_risks;
    pl_app_filing filing;
    struct pl_arena *arena;    /* private: owns every string and array (base/arena.h) */
} pl_app;

/* Extract everything from @d.  Lenient: missing or invalid content is
 * reported through the fields (NULL, has/valid flags, id_error), never as
 * a failure; the only error is PLEDGER_ENOMEM.  @today (days since the
 * epoch) is what identifiers are checked against (a resident identity
 * number cannot be born in the future). */
int pl_doc_extract(pl_doc *d, pl_err *e, int32_t today, pl_app **out);
void pl_app_free(pl_app *app);

/* The identifier of @r by kind (number, company_uscc, permit_number,
 * certificate_number); NULL for receivables. */
const pl_app_ident *pl_app_right_ident(const pl_app_right *r);

#endif
