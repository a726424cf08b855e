/* The review engine: runs every rule of the application's kind against
 * the document and the registry (reference register, existing pledges,
 * pending applications) and returns all findings, never stopping at the
 * first.  Deterministic: same document, same registry -> same findings in
 * the same order. */
#ifndef PL_RULES_REVIEW_H
#define PL_RULES_REVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "model/application.h"
#include "rules/findings.h"
#include "store/db.h"

/* A bulk filing's memory of its reviews (rules/review.c): every item is
 * reviewed before any is registered, so the pledges on a right read for
 * one item are those of the next -- read once, not once an item (a
 * receivable with thousands of pledges took 15-30 ms an item) -- and the
 * items reviewed so far that pledge each right rank before the next. */
typedef struct pl_review_memo pl_review_memo;
pl_review_memo *pl_review_memo_new(void);
void pl_review_memo_free(pl_review_memo *m);

typedef struct pl_review_env {
    int32_t today;          /* local date of the review */
    int64_t application_id; /* the application under review; 0 when not stored */
    bool recheck_only;      /* only the rows marked PL_RECHECK (rules.h) */
    pl_review_memo *memo;   /* a bulk filing's, while it reviews its items; else NULL */
} pl_review_env;

int pl_review_run(pl_db *db, pl_err *e, const pl_app *app, const pl_review_env *env,
                  pl_findings *out);

/* The registration step's check of the reference register at its own
 * instant: runs the rows marked PL_RECHECK (an invalidation request, a
 * seizure, a lapse may have come after the review).  0 when none reports
 * a blocking or correctable finding; PLEDGER_EREVIEW naming the first one
 * (code, path, message) and how many there are; or a failure of the
 * store.  @env->recheck_only is ignored (always true here). */
int pl_review_register_check(pl_db *db, pl_err *e, const pl_app *app, const pl_review_env *env);

/* A right in messages, for the review and for the steps after it:
 * "trademark 12345678", "equity in company 91350100M000100Y43", "discharge
 * permit ...": the word (pl_rule_right_word) and the identifier to quote
 * (pl_rule_right_id: normalised, else as typed, else "").  Never the
 * right's key, which for equity holds the shareholder's identity number
 * (personal data: messages never repeat it). */
const char *pl_rule_right_word(pledger_kind kind);
/* The kind of right in words ("sea-area use right"), translated: not its
 * API name ("sea_area"), which a message to a person does not show. */
const char *pl_rule_kind_noun(pledger_kind kind);
const char *pl_rule_right_id(const pl_app_right *r);

#endif
