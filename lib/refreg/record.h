/* One record of the reference register, read from its XML element
 * (record.c) into the normalised form that write.c writes.
 * Internal to the import.
 *
 * The readers take the record's element @n, already valid against
 * register.xsd, and return 0, 1 when they rejected the record
 * (pl_refreg_bad) or a negative code that stops the import. */
#ifndef PL_REFREG_RECORD_H
#define PL_REFREG_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "refreg/reject.h"

#define MAX_OWNERS 64
#define MAX_ALLOWANCES 64
#define MAX_GROUPS 1000
#define ID_MAX 256 /* 60 code points of a certificate number, in UTF-8 */
#define TOKEN_MAX 72

/* ------------------------------------------------------------------ */
/* One record, normalised                                              */

typedef struct owner {
    const char *name;    /* borrowed from the tree */
    char *name_key;      /* malloc'd */
    const char *name_en; /* the registered English name, borrowed; NULL: none */
    char *name_en_key;   /* pl_text_english_key(name_en), malloc'd; NULL with it */
    int id_type;
    char id[ID_MAX];
} owner;

typedef struct allowance {
    char pollutant[TOKEN_MAX];
    int64_t micro;
    char unit[TOKEN_MAX];
} allowance;

typedef struct record {
    int kind;               /* pledger_kind; EQUITY for a holding */
    const char *label;      /* element name */
    const char *raw_number; /* for messages, may be NULL */
    char number[ID_MAX];    /* normalised; the company's USCC for a holding */
    int status;
    int32_t valid_from, valid_to;
    bool seized, frozen;
    size_t n_owners; /* the shareholder of a holding is owners[0] */
    owner owners[MAX_OWNERS];
    /* trademark */
    const char *mark;
    char *mark_key;
    char family[TOKEN_MAX];
    bool has_family;
    uint64_t classes; /* bit n: Nice class n */
    size_t n_groups;
    char groups[MAX_GROUPS][5];
    /* patent */
    int patent_type;
    int32_t grant_date;
    bool fee_paid, invalidation_pending, suspended, has_twin;
    char twin[ID_MAX];
    /* emission */
    size_t n_allowances;
    allowance allowances[MAX_ALLOWANCES];
    /* holding */
    const char *company_name;
    int64_t capital;
    char currency[4];
} record;

/* True for XML white space. */
bool pl_refreg_is_ws(char c);
/* The value of the unqualified attribute @name of @n, NULL when absent. */
const char *pl_refreg_prop(xmlNodePtr n, const char *name);
/* @in as an XML token into @out; false when longer than @size - 1. */
bool pl_refreg_collapse(const char *in, char *out, size_t size);

/* Read a <trademark>, <patent>, <holding>, or any other record (a permit
 * or a certificate) into @r, whose kind, label and raw_number are set. */
int pl_refreg_get_trademark(where *w, xmlNodePtr n, record *r);
int pl_refreg_get_patent(where *w, xmlNodePtr n, record *r);
int pl_refreg_get_holding(where *w, xmlNodePtr n, record *r);
int pl_refreg_get_certificate(where *w, xmlNodePtr n, record *r);

/* Free what @r owns and clear it for the next record. */
void pl_refreg_record_reset(record *r);

#endif
