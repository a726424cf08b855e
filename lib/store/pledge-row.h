/* Reading a pledge version row (with its pledge and rights) from the
 * store: the workflow changes it, the queries answer from it. */
#ifndef PL_STORE_PLEDGE_ROW_H
#define PL_STORE_PLEDGE_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/backend.h"
#include "store/db.h"

typedef struct pl_pright {
    char *key;
    char *identifier;
    char *classes; /* NULL unless a trademark */
} pl_pright;

typedef struct pl_pver {
    /* the pledge */
    int64_t pledge_id;
    char *number;
    int kind;
    int64_t registered_at;
    char *office;
    char *modcode_salt, *modcode_hash;
    char *acceptance_number;
    char *application_uuid;
    pl_pright *rights;
    size_t n_rights;
    /* the version */
    int version;
    int64_t valid_from, valid_to; /* valid_to 0: current */
    int state;
    char *operation;
    char *pledgor_name, *pledgor_key, *pledgor_id_type, *pledgor_id;
    char *pledgee_name, *pledgee_key, *pledgee_id_type, *pledgee_id;
    char *debtor_name, *debtor_id;
    int64_t amount;
    char *currency;
    int32_t period_start, period_end;
    char *objection_by;
    int32_t objection_until; /* INT32_MIN: none */
    int litigation;
    char *note;
} pl_pver;

/* The version of pledge @number current now (@at_us == INT64_MIN) or valid
 * at @at_us.  PLEDGER_ENOTFOUND when there is none. */
int pl_pver_load(pl_db *db, pl_err *e, const char *number, int64_t at_us, pl_pver *out);
/* The same by pledge id. */
int pl_pver_load_id(pl_db *db, pl_err *e, int64_t pledge_id, int64_t at_us, pl_pver *out);
void pl_pver_clear(pl_pver *p);

/* The version @v as it stands on the registry date @day (pl_db_day_of()):
 * a pledge in force as recorded whose period's last day is before @day
 * has expired, and an objection whose 30 days for litigation ended
 * before @day with none recorded has lapsed (the pledge is active again),
 * whether or not the sweep has recorded either yet (PL_SQL_IN_FORCE_ON
 * and PL_SQL_STATE_ON are the same rules in SQL).  Every answer about a
 * pledge reads its version through this; the sweep and the steps' state
 * checks read the recorded one. */
void pl_pver_lapse(pl_pver *v, int32_t day);

/* Replace a string field (duplicating @value; NULL allowed). */
int pl_pver_set(pl_err *e, char **field, const char *value);

/* The certificate of version @version (0: the latest) of pledge @number
 * as stored (*@document allocated, *@version_out its version), and the
 * journal events that may have issued it -- the pledge's versions that
 * begin at its issue instant -- at most @cap, oldest first, in @seqs
 * (*@n of them).  PLEDGER_ENOTFOUND names what is missing. */
int pl_cert_issue_load(pl_db *db, pl_err *e, const char *number, int version, char **document,
                       int *version_out, int64_t *seqs, size_t cap, size_t *n);

/* The journal event that made the version of pledge @number valid at
 * @at_us. */
int pl_pver_event(pl_db *db, pl_err *e, const char *number, int64_t at_us, int64_t *seq);

/* Version @version of pledge @pledge_id, whatever its validity.
 * PLEDGER_ENOTFOUND when there is none. */
int pl_pver_load_version(pl_db *db, pl_err *e, int64_t pledge_id, int version, pl_pver *out);

/* The versions 1..@up_to of pledge @pledge_id, oldest first: each one's
 * operation and the instant it took effect (@operation valid during the
 * call; @each returns 0 to go on, > 0 to stop, < 0 a code). */
typedef int (*pl_history_fn)(void *arg, pl_err *e, int version, const char *operation,
                             int64_t at_us);
int pl_pver_history(pl_db *db, pl_err *e, int64_t pledge_id, int up_to, pl_history_fn each,
                    void *arg);

/* A certificate as stored. */
typedef struct pl_cert_stored {
    int version;
    int64_t issued_at;
    int64_t superseded_at; /* INT64_MIN: current */
    char *code;            /* its verification code */
    char *document;        /* the XML as issued; NULL unless asked for */
} pl_cert_stored;

/* Certificate @version (0: the latest) of pledge @number, its document
 * too when @with_document; *@found false when there is none (no such
 * pledge, or no such version).  pl_cert_stored_clear() frees it. */
int pl_cert_stored_load(pl_db *db, pl_err *e, const char *number, int version,
                        bool with_document, pl_cert_stored *out, bool *found);
void pl_cert_stored_clear(pl_cert_stored *c);

/* What a backend implements of the above (store/backend.h). */
struct pl_rows_ops {
    int (*pver_load)(pl_db *db, pl_err *e, const char *number, int64_t at_us, pl_pver *out);
    int (*pver_load_id)(pl_db *db, pl_err *e, int64_t pledge_id, int64_t at_us, pl_pver *out);
    int (*cert_issue_load)(pl_db *db, pl_err *e, const char *number, int version, char **document,
                           int *version_out, int64_t *seqs, size_t cap, size_t *n);
    int (*pver_event)(pl_db *db, pl_err *e, const char *number, int64_t at_us, int64_t *seq);
    int (*pver_load_version)(pl_db *db, pl_err *e, int64_t pledge_id, int version,
                             pl_pver *out);
    int (*history)(pl_db *db, pl_err *e, int64_t pledge_id, int up_to, pl_history_fn each,
                   void *arg);
    int (*certificate)(pl_db *db, pl_err *e, const char *number, int version, bool with_document,
                       pl_cert_stored *out, bool *found);
};

#endif
