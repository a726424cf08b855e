/* Ordered schema migrations.  Migration i (1-based) brings a registry
 * from user_version i-1 to i.  Append new migrations; never edit one that
 * has been released. */
#ifndef PL_STORE_SCHEMA_H
#define PL_STORE_SCHEMA_H

#include <sqlite3.h>

#include <stdbool.h>

typedef struct pl_migration {
    const char *name;
    const char *sql;
    /* then, in table @widen_table, the CHECK @widen_from becomes @widen_to
     * (NULL: nothing to widen; see store/db.c) */
    const char *widen_table, *widen_from, *widen_to;
    /* A read-only handle reads a registry this migration has not reached
     * yet: a bank's copy stays readable after an upgrade of the library.
     * Only for a migration that adds tables nothing reads but writes and
     * the journal's check, which looks whether they are there, or indexes
     * a read goes without (more slowly). */
    bool readable_before;
} pl_migration;

/* The SQL of each part of the schema, kept beside the layer it serves. */
extern const char pl_sql_register[];  /* store/schema-register.c */
extern const char pl_sql_register_en[]; /* store/schema-register.c */
extern const char pl_sql_workflow[];  /* store/schema-workflow.c */
extern const char pl_sql_query[];     /* store/schema-query.c */
extern const char pl_sql_names[];     /* store/schema-names.c */
extern const char pl_sql_log[];       /* store/schema-log.c */
extern const char pl_sql_exchange[];  /* store/schema-exchange.c */
extern const char pl_sql_exchange_check_from[], pl_sql_exchange_check_to[];
extern const char pl_sql_filing[];    /* store/schema-filing.c */
extern const char pl_sql_app_filer[];
extern const char pl_sql_right_apps[]; /* store/schema-filing.c */
extern const char pl_sql_rekey[];      /* store/schema-filing.c */
/* The companion database of search reports (attached as "reports"), not a
 * migration of the registry: store/report.c creates it. */
extern const char pl_sql_report[];    /* store/schema-report.c */
extern const char pl_sql_report_v2[]; /* the same: version 1 to 2 */
extern const char pl_sql_report_v3[]; /* version 2 to 3 */

/* Register the SQL functions the schema's triggers call (pl_name_core,
 * pl_name_branch) on a connection; an SQLite result code. */
int pl_schema_functions(sqlite3 *h);

extern const pl_migration pl_migrations[];
extern const int pl_migration_count;

#endif
