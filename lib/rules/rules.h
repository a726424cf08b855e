/* The rule tables of the review (docs/domain.md §4) and what their check
 * functions share.
 *
 * A rule is one row: a stable code, the severity of its findings, the
 * kinds it applies to, what it means, its legal basis and a check
 * function.  The tables are data: rules-common.c (the document: parties,
 * identifiers, claim, periods, contract, materials, filing, the
 * registry's own pledges and applications), rules-register.c (what every
 * right on the reference register must satisfy), then one table per kind
 * (rules-trademark.c, rules-patent.c, rules-receivable.c, rules-equity.c,
 * rules-emission.c, rules-sea-land.c).  The engine (review.c) runs every
 * row whose kinds include the application's kind, in table order; a check
 * reports its findings in document order.  A new rule is one row (and a
 * test in tests/test-review.c, which refuses a row no test trips).
 *
 * A check function reports only through pl_rule_emit(), which takes the
 * code and the severity from the row: a finding always carries its row's
 * code and severity.  Findings that change severity (a risk that stops
 * submission until the parties acknowledge it, then is recorded as a
 * risk) are two rows.
 *
 * A check judges whatever its own inputs allow, whatever else in the
 * document is wrong: it does not stay silent because another field (the
 * other end of the period, a party's identifier) has a defect another
 * rule reports; only when a value it needs is itself missing or invalid
 * may it have nothing to say (tests/test-rule-pairs.c).
 *
 * Rows marked PL_RECHECK read the reference register's record of the
 * pledged rights, which its authority may change between the review and
 * the registration (an invalidation request, a seizure, a lapse): the
 * registration step runs them again at its own instant
 * (pl_review_register_check()). */
#ifndef PL_RULES_RULES_H
#define PL_RULES_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/application.h"
#include "rules/findings.h"
#include "refreg/refreg.h"
#include "rules/review.h"
#include "store/db.h"

/* Kind bits of a row. */
#define PL_KBIT(kind) (1u << (unsigned)(kind))
#define PL_K_TM PL_KBIT(PLEDGER_KIND_TRADEMARK)
#define PL_K_PT PL_KBIT(PLEDGER_KIND_PATENT)
#define PL_K_RC PL_KBIT(PLEDGER_KIND_RECEIVABLE)
#define PL_K_EQ PL_KBIT(PLEDGER_KIND_EQUITY)
#define PL_K_EM PL_KBIT(PLEDGER_KIND_EMISSION)
#define PL_K_SA PL_KBIT(PLEDGER_KIND_SEA_AREA)
#define PL_K_LD PL_KBIT(PLEDGER_KIND_LAND)
#define PL_K_ALL (PL_K_TM | PL_K_PT | PL_K_RC | PL_K_EQ | PL_K_EM | PL_K_SA | PL_K_LD)
/* The kinds with a record of their own on the reference register. */
#define PL_K_REGISTERED (PL_K_TM | PL_K_PT | PL_K_EM | PL_K_SA | PL_K_LD)

typedef struct pl_rctx pl_rctx;
typedef struct pl_rule pl_rule;

/* Runs the rule @r on the context.  Findings go through pl_rule_emit();
 * a failure of the store goes through pl_rule_fail() and stops the
 * review. */
typedef void (*pl_rule_fn)(pl_rctx *c, const pl_rule *r);

struct pl_rule {
    const char *code;    /* stable, upper case: "TM_BUNDLE_MISSING" */
    int severity;        /* pledger_severity of every finding of the row */
    unsigned kinds;      /* PL_K_* bits */
    const char *meaning; /* one English sentence, for forms and documentation */
    const char *basis;   /* the legal basis, short */
    pl_rule_fn check;
    bool recheck;        /* PL_RECHECK: run again by the registration step */
};

/* The last member of a row re-run at registration. */
#define PL_RECHECK true

/* The tables, in the order the engine runs them. */
extern const pl_rule pl_rules_common[];
extern const size_t pl_rules_common_n;
extern const pl_rule pl_rules_register[];
extern const size_t pl_rules_register_n;
extern const pl_rule pl_rules_trademark[];
extern const size_t pl_rules_trademark_n;
extern const pl_rule pl_rules_patent[];
extern const size_t pl_rules_patent_n;
extern const pl_rule pl_rules_receivable[];
extern const size_t pl_rules_receivable_n;
extern const pl_rule pl_rules_equity[];
extern const size_t pl_rules_equity_n;
extern const pl_rule pl_rules_emission[];
extern const size_t pl_rules_emission_n;
extern const pl_rule pl_rules_sea_land[];
extern const size_t pl_rules_sea_land_n;

/* Every row of every table, in run order: 0 .. pl_rule_count() - 1. */
size_t pl_rule_count(void);
const pl_rule *pl_rule_at(size_t i); /* NULL when out of range */
const pl_rule *pl_rule_find(const char *code);

/* ---- what a check sees ------------------------------------------------ */

/* What the reference register says about one right of the application. */
typedef enum pl_rref_state {
    PL_RREF_UNKNOWN = 0, /* not looked up: no register of the kind loaded, or
                          * no usable identifier, or a kind without one */
    PL_RREF_FOUND,       /* the record is below */
    PL_RREF_ABSENT,      /* the register does not know the right (equity: the company) */
    PL_RREF_NOT_HOLDER   /* equity: the company is known, the pledgor holds nothing in it */
} pl_rref_state;

typedef struct pl_rref {
    pl_rref_state state;
    const pl_ref_right *right; /* the common part when FOUND (NULL for equity) */
    pl_ref_trademark tm;
    pl_ref_patent pt;
    pl_ref_certificate cert;
    pl_ref_holding holding;    /* equity, FOUND */
    char *company_name;        /* equity: the company's name on the register, or NULL */
} pl_rref;

/* A party of the application with its role, in document order: pledgor,
 * pledgee, debtor, agent, then the co-owners and debtors of each right. */
typedef struct pl_rparty {
    const pl_app_party *p;
    const char *role;  /* "pledgor", "co-owner", ... for messages */
    bool principal;    /* pledgor or pledgee */
} pl_rparty;

struct pl_rctx {
    pl_db *db;
    pl_err *e;
    const pl_app *app;
    const pl_review_env *env;
    pl_findings *out;
    int rc;                 /* the first failure of the store, 0 while none */
    bool register_loaded;   /* the register holds records of the application's kind */
    pl_rref *refs;          /* one per app->rights[i] */
    pl_rparty *parties;
    size_t n_parties;
};

/* Add a finding of row @r at @path. */
void pl_rule_emit(pl_rctx *c, const pl_rule *r, const char *path, const char *fmt, ...)
    PL_PRINTF(4, 5);

/* Record a failure (the first one wins); the engine stops after the row. */
void pl_rule_fail(pl_rctx *c, int rc);

/* ---- helpers for the checks ---------------------------------------------- */

/* The path to name for the right itself: its identifier's, or its own. */
const char *pl_rule_right_path(const pl_app_right *r);

/* The register's owner record of right @i that is the pledgor: the owner
 * with the pledgor's identifier when it is valid, else (the identifier
 * missing or invalid) the owner with the pledgor's name; NULL when none,
 * or when the right was not found.  Equity: the recorded shareholder. */
const pl_ref_owner *pl_rule_pledgor_record(const pl_rctx *c, size_t i);

/* The party is the register's owner @o: same identifier when the party's
 * is valid, else the same name. */
bool pl_rule_is_owner(const pl_app_party *p, const pl_ref_owner *o);

/* A co-owner the document names for right @x is the register's owner @o:
 * by identifier, or by name when the co-owner's identifier is missing or
 * invalid (PARTY_ID_MISSING, PARTY_ID_INVALID say so). */
bool pl_rule_co_owner_declared(const pl_app_right *x, const pl_ref_owner *o);

/* The rule of every kind whose rights may be co-owned (patents,
 * trademarks, permits, sea-area and land certificates): each co-owner the
 * document names has consented to the pledge (@consent). */
void pl_rule_co_owner_consent(pl_rctx *c, const pl_rule *r);

/* The first material of @kind, NULL when none. */
const pl_app_material *pl_rule_material(const pl_app *a, pl_material_kind kind);

/* A language tag or name meaning Chinese: "zh", "zh-CN", "zh-Hans", "zho",
 * "chi", "chinese", "中文", "汉语" (ASCII case-insensitive). */
bool pl_rule_is_chinese(const char *lang);

/* The two texts are equal once folded (pl_text_fold) and ASCII
 * lower-cased.  False when either is NULL. */
bool pl_rule_same_text(const char *a, const char *b);

/* The two parties have the same identifier: equal once normalised when
 * both are valid, else equal as typed (pl_rule_same_text: the same wrong
 * number twice is still the same party), of the same type. */
bool pl_rule_same_party(const pl_app_party *a, const pl_app_party *b);

/* The party is foreign: @type foreign, or a passport or foreign
 * registration number. */
bool pl_rule_is_foreign(const pl_app_party *p);

/* The pledges of the registry on the right (@kind, @key) that are active
 * or under objection, in registration order: @total of them (those in
 * @state alone when it is not 0), the first @max of those in @v.  A
 * receivable may carry thousands of pledges: a finding names a few and
 * counts the rest, or each review of the next one would copy them all. */
typedef struct pl_rpledge {
    char *number;
    int state; /* pledger_pledge_state */
} pl_rpledge;

typedef struct pl_rpledges {
    size_t n, total;
    pl_rpledge *v;
} pl_rpledges;

int pl_rule_pledges_on(pl_rctx *c, pledger_kind kind, const char *key, int state, size_t max,
                       pl_rpledges *out);
/* In a bulk filing's review (env->memo): how many items reviewed before
 * this one pledge the right (@kind, @key), and this item counted for the
 * next (once, however often it names the right); 0 outside a batch. */
size_t pl_rule_batch_earlier(pl_rctx *c, pledger_kind kind, const char *key);
int pl_rule_batch_mark(pl_rctx *c, pledger_kind kind, const char *key);
/* In a bulk filing's review: the pending applications on a right found
 * for an earlier item (*have), and keeping them for the next items. */
int pl_rule_pending_get(pl_rctx *c, pledger_kind kind, const char *key, bool *have, int *n,
                        char **first);
int pl_rule_pending_keep(pl_rctx *c, pledger_kind kind, const char *key, int n,
                         const char *first);
void pl_rpledges_clear(pl_rpledges *p);

/* The marks the bundling rule requires be pledged with @self: as
 * pl_refreg_related_marks(@owner_type, @owner_id, @self->r.number) (an
 * @owner_type is required), with only number and status filled. */
int pl_rule_related_marks(pl_db *db, pl_err *e, pledger_id_type owner_type, const char *owner_id,
                          const pl_ref_trademark *self, pl_ref_marks *out);

/* The end of a patent's term: the day before the anniversary of @filing,
 * 20 years for an invention, 10 for a utility model, 15 for a design
 * filed on or after 2021-06-01 (10 before).  INT32_MIN when @type or
 * @filing is unknown. */
int32_t pl_rule_patent_term_end(int type, int32_t filing);

#endif
