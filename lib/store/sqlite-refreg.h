/* The SQLite backend's reference register operations, shared between
 * its files: the writes (sqlite-refreg-write.c, which holds the table)
 * and the lookups (sqlite-refreg-lookup.c). */
#ifndef PL_STORE_SQLITE_REFREG_H
#define PL_STORE_SQLITE_REFREG_H

#include "store/ops-refreg.h"

int pl_sqlite_ref_trademark_get(pl_db *db, pl_err *e, const char *number, pl_ref_trademark *out,
                                bool *found);
int pl_sqlite_ref_patent_get(pl_db *db, pl_err *e, const char *number, pl_ref_patent *out,
                             bool *found);
int pl_sqlite_ref_certificate_get(pl_db *db, pl_err *e, pledger_kind kind, const char *number,
                                  pl_ref_certificate *out, bool *found);
int pl_sqlite_ref_holding_get(pl_db *db, pl_err *e, const char *company, pledger_id_type type,
                              const char *shareholder, pl_ref_holding *out, bool *found);
int pl_sqlite_ref_kind_loaded(pl_db *db, pl_err *e, pledger_kind kind, bool *out);
int pl_sqlite_ref_company_get(pl_db *db, pl_err *e, const char *company, bool *known,
                              char **name);
int pl_sqlite_ref_marks_related(pl_db *db, pl_err *e, const pl_ref_owner_key *owner,
                                const pl_ref_trademark *self, pl_ref_marks *out);
int pl_sqlite_ref_marks_similar(pl_db *db, pl_err *e, const pl_ref_owner_key *owner,
                                const pl_ref_trademark *self, pl_ref_marks *out);

#endif
