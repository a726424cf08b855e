/* The backend operations of the reference register (refreg/): the rows of
 * an import and their writing, and the lookups the review makes, through
 * refreg/refreg.h or directly.  See store/backend.h for the rules every
 * operation follows.
 *
 * The values and rows below are the register's, declared here because
 * the backend fills and writes them; refreg/refreg.h includes this
 * header and documents the lookups built over them.  Freeing and the
 * status names: store/refreg-rows.c, common to every backend. */
#ifndef PL_STORE_OPS_REFREG_H
#define PL_STORE_OPS_REFREG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pledger/types.h>

#include "store/backend.h"

/* ---- values -------------------------------------------------------- */

/* The status the authority records.  Trademarks, permits and
 * certificates: registered, cancelled, invalidated, expired.  Patents:
 * not_granted (filed, pending), granted, terminated (lapsed early: fee
 * unpaid, surrendered), invalidated, expired. */
typedef enum pl_ref_status {
    PL_REF_REGISTERED = 1,
    PL_REF_CANCELLED = 2,
    PL_REF_INVALIDATED = 3,
    PL_REF_EXPIRED = 4,
    PL_REF_TERMINATED = 5,
    PL_REF_NOT_GRANTED = 6,
    PL_REF_GRANTED = 7
} pl_ref_status;

/* "registered", ..., "granted"; NULL for other values. */
const char *pl_ref_status_name(int status);
/* The status named @name, 0 when unknown. */
int pl_ref_status_from_name(const char *name);

typedef enum pl_ref_patent_type {
    PL_REF_INVENTION = 1,
    PL_REF_UTILITY_MODEL = 2,
    PL_REF_DESIGN = 3
} pl_ref_patent_type;

/* A date the register does not give (days since 1970-01-01 otherwise). */
#define PL_REF_NO_DATE INT32_MIN

/* ---- rows read ------------------------------------------------------ */

/* An owner (registrant, patentee, holder) or a shareholder.  Its
 * registered English name's key (pl_text_english_key) is stored beside it
 * (ref_owner.name_en_key, ref_holding.shareholder_en_key) for the
 * similar-name search, not read here. */
typedef struct pl_ref_owner {
    char *name;              /* as the authority wrote it */
    char *name_key;          /* pl_text_name_key(name) */
    char *name_en;           /* the registered English name, or NULL */
    pledger_id_type id_type; /* USCC, RESIDENT, PASSPORT or FOREIGN_REG */
    char *id;                /* normalised identifier */
} pl_ref_owner;

/* What every right on the register has. */
typedef struct pl_ref_right {
    pledger_kind kind;
    char *number;             /* normalised */
    pl_ref_status status;
    int32_t valid_from;       /* trademarks: registration date; patents: filing date;
                               * permits, certificates: start of the term */
    int32_t valid_to;         /* end of the term (PL_REF_NO_DATE when not given) */
    bool seized;              /* attached or preserved by a court */
    bool frozen;              /* frozen by a court or an authority */
    size_t n_owners;          /* >= 1, in the authority's order */
    pl_ref_owner *owners;
    int64_t changed_at;       /* instant of the import that last changed it */
} pl_ref_right;

typedef struct pl_ref_trademark {
    pl_ref_right r;
    char *mark;         /* the words of the mark; NULL for a figurative mark */
    char *mark_key;     /* mark folded (pl_text_fold) and ASCII lower-case, NULL with it */
    char *family;       /* the office's family of identical/similar marks, or NULL */
    size_t n_classes;   /* Nice classes, ascending, 1 to 45 */
    int classes[45];
    size_t n_groups;    /* similar-goods group codes ("0901"), ascending */
    char (*groups)[5];
} pl_ref_trademark;

typedef struct pl_ref_patent {
    pl_ref_right r;            /* r.valid_from is the filing date */
    pl_ref_patent_type patent_type;
    int32_t filing_date;
    int32_t grant_date;        /* PL_REF_NO_DATE while not granted */
    bool fee_paid;             /* the annual fee is paid */
    bool invalidation_pending; /* an invalidation request is pending (a risk) */
    bool suspended;            /* proceedings suspended (ownership dispute) */
    char *twin;                /* same-day invention/utility-model counterpart, or NULL */
} pl_ref_patent;

typedef struct pl_ref_allowance {
    char *pollutant;      /* "SO2", "COD", ... */
    int64_t amount_micro; /* allowance in millionths of @unit */
    char *unit;           /* "t", "t/a", ... */
} pl_ref_allowance;

/* The pollutant name under which a sea-area or land certificate keeps
 * its area (ref_allowance: amount_micro in millionths of unit, the
 * unit's symbol m2, mu, ha or km2; base/area.h). */
#define PL_REF_AREA "area"

/* A pollutant discharge permit, a sea-area use or a land management right
 * certificate (r.kind says which). */
typedef struct pl_ref_certificate {
    pl_ref_right r;
    size_t n_allowances;  /* ascending by pollutant; a sea-area or land
                           * certificate: its area (PL_REF_AREA), if known */
    pl_ref_allowance *allowances;
} pl_ref_certificate;

/* One shareholder's holding in a company. */
typedef struct pl_ref_holding {
    char *company;        /* the company's normalised USCC */
    char *company_name;   /* or NULL */
    pl_ref_owner shareholder;
    int64_t capital;      /* subscribed capital, minor units of @currency */
    char currency[4];
    bool frozen;
    int64_t changed_at;
} pl_ref_holding;

/* A mark related to another (the bundling rule). */
typedef struct pl_ref_mark {
    char *number;
    pl_ref_status status;
    char *family;         /* or NULL */
    char *mark;           /* or NULL */
} pl_ref_mark;

typedef struct pl_ref_marks {
    size_t n;
    pl_ref_mark *items;
} pl_ref_marks;

/* Free what the row owns and leave it cleared (NULL: nothing). */
void pl_ref_trademark_clear(pl_ref_trademark *t);
void pl_ref_patent_clear(pl_ref_patent *p);
void pl_ref_certificate_clear(pl_ref_certificate *c);
void pl_ref_holding_clear(pl_ref_holding *h);
void pl_ref_marks_clear(pl_ref_marks *m);

/* ---- a record written by an import ---------------------------------- */

#define PL_REF_MAX_OWNERS 64
#define PL_REF_MAX_ALLOWANCES 64
#define PL_REF_MAX_GROUPS 1000
#define PL_REF_ID_MAX 256 /* 60 code points of a certificate number, in UTF-8 */
#define PL_REF_TOKEN_MAX 72

typedef struct pl_ref_record_owner {
    const char *name;    /* borrowed from the tree */
    char *name_key;      /* malloc'd */
    const char *name_en; /* the registered English name, borrowed; NULL: none */
    char *name_en_key;   /* pl_text_english_key(name_en), malloc'd; NULL with it */
    int id_type;
    char id[PL_REF_ID_MAX];
} pl_ref_record_owner;

typedef struct pl_ref_record_allowance {
    char pollutant[PL_REF_TOKEN_MAX];
    int64_t micro;
    char unit[PL_REF_TOKEN_MAX];
} pl_ref_record_allowance;

/* One record of a register file, normalised (refreg/record.c reads it). */
typedef struct pl_ref_record {
    int kind;               /* pledger_kind; EQUITY for a holding */
    const char *label;      /* element name */
    const char *raw_number; /* for messages, may be NULL */
    char number[PL_REF_ID_MAX]; /* normalised; the company's USCC for a holding */
    int status;
    int32_t valid_from, valid_to;
    bool seized, frozen;
    size_t n_owners; /* the shareholder of a holding is owners[0] */
    pl_ref_record_owner owners[PL_REF_MAX_OWNERS];
    /* trademark */
    const char *mark;
    char *mark_key;
    char family[PL_REF_TOKEN_MAX];
    bool has_family;
    uint64_t classes; /* bit n: Nice class n */
    size_t n_groups;
    char groups[PL_REF_MAX_GROUPS][5];
    /* patent */
    int patent_type;
    int32_t grant_date;
    bool fee_paid, invalidation_pending, suspended, has_twin;
    char twin[PL_REF_ID_MAX];
    /* emission */
    size_t n_allowances;
    pl_ref_record_allowance allowances[PL_REF_MAX_ALLOWANCES];
    /* holding */
    const char *company_name;
    int64_t capital;
    char currency[4];
} pl_ref_record;

/* What writing a record did. */
typedef enum pl_ref_written {
    PL_REF_INSERTED = 1,
    PL_REF_UPDATED,
    PL_REF_UNCHANGED, /* its digest was the stored one: nothing written */
} pl_ref_written;

/* The connection's settings an import changed, to put back (the
 * backend's own; zero-initialised before import_tune). */
typedef struct pl_ref_tuning {
    int saved[4];
    bool changed;
} pl_ref_tuning;

/* The pledgor's identity in the bundling rule: @type 0 is an owner with
 * identifier @id of any type. */
typedef struct pl_ref_owner_key {
    pledger_id_type type;
    const char *id; /* normalised */
} pl_ref_owner_key;

struct pl_refreg_ops {
    /* ---- an import (inside its one write transaction, except the tuning) */

    /* Tune the connection for one long transaction of many small rows,
     * remembering in @t what it changes; outside a transaction.  Then
     * import_untune() puts it back (nothing when nothing changed), after
     * the commit or rollback; it cannot fail. */
    int (*import_tune)(pl_db *db, pl_err *e, pl_ref_tuning *t);
    void (*import_untune)(pl_db *db, pl_ref_tuning *t);
    /* Forget the record keys this import has given (before the first
     * record and before the commit). */
    int (*import_keys_clear)(pl_db *db, pl_err *e);
    /* Note that the record of @kind and @key was given at @line;
     * *@repeated when this import gave it before, at line *@first. */
    int (*import_key_add)(pl_db *db, pl_err *e, int kind, const char *key, uint64_t line,
                          bool *repeated, uint64_t *first);
    /* Whether the register holds no rights, no holdings. */
    int (*register_empty)(pl_db *db, pl_err *e, bool *no_rights, bool *no_holdings);
    /* Write right @r (not a holding) of digest @dg, or leave it when its
     * stored digest is @dg; @is_new: the caller knows it is not stored
     * (the register held no rights and this file did not give it). */
    int (*right_write)(pl_db *db, pl_err *e, const pl_ref_record *r,
                       const unsigned char dg[32], bool is_new, pl_ref_written *out);
    /* The same for the holding @r (kind EQUITY, shareholder owners[0]). */
    int (*holding_write)(pl_db *db, pl_err *e, const pl_ref_record *r,
                         const unsigned char dg[32], bool is_new, pl_ref_written *out);

    /* ---- lookups (numbers and identifiers normalised).  A *_get fills
     * @out from cleared, *@found false (and 0 returned) when there is no
     * such row; on failure @out is left cleared. */

    int (*trademark_get)(pl_db *db, pl_err *e, const char *number, pl_ref_trademark *out,
                         bool *found);
    int (*patent_get)(pl_db *db, pl_err *e, const char *number, pl_ref_patent *out,
                      bool *found);
    /* A permit or a certificate of @kind (EMISSION, SEA_AREA, LAND). */
    int (*certificate_get)(pl_db *db, pl_err *e, pledger_kind kind, const char *number,
                           pl_ref_certificate *out, bool *found);
    int (*holding_get)(pl_db *db, pl_err *e, const char *company, pledger_id_type type,
                       const char *shareholder, pl_ref_holding *out, bool *found);
    /* Whether the register holds any right of @kind (EQUITY: any holding). */
    int (*kind_loaded)(pl_db *db, pl_err *e, pledger_kind kind, bool *out);
    /* Whether company @company has a holding on the register, and its
     * name there (*@name malloc'd, NULL when no holding names it; the
     * named holdings first, then the oldest). */
    int (*company_get)(pl_db *db, pl_err *e, const char *company, bool *known, char **name);

    /* The bundling rule's marks (refreg/refreg.h, pl_refreg_related_marks):
     * the trademarks other than @self (on the register) owned by @owner,
     * in @self's family or with its mark text, sharing a similar-goods
     * group with it, whatever their status.  Appended to @out (every
     * field) in number order (national numbers in numeric order, then
     * Madrid "G" numbers): the definition, walked from the owner.  On
     * failure @out holds what was appended; the caller clears it. */
    int (*marks_related)(pl_db *db, pl_err *e, const pl_ref_owner_key *owner,
                         const pl_ref_trademark *self, pl_ref_marks *out);
    /* The same marks, walked from @self's family and mark text (a handful
     * of marks, where an owner may hold thousands), in no particular
     * order, with number and status only: the review's candidates.
     * Failure as marks_related. */
    int (*marks_similar)(pl_db *db, pl_err *e, const pl_ref_owner_key *owner,
                         const pl_ref_trademark *self, pl_ref_marks *out);
};

#endif
