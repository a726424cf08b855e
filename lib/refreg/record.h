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

#include "store/ops-refreg.h"

#define MAX_OWNERS PL_REF_MAX_OWNERS
#define MAX_ALLOWANCES PL_REF_MAX_ALLOWANCES
#define MAX_GROUPS PL_REF_MAX_GROUPS
#define ID_MAX PL_REF_ID_MAX
#define TOKEN_MAX PL_REF_TOKEN_MAX

/* One record, normalised: the row the store writes (store/ops-refreg.h,
 * pl_ref_record). */
typedef pl_ref_record_owner owner;
typedef pl_ref_record_allowance allowance;
typedef pl_ref_record record;

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
