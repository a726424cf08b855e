/* Privacy of natural persons: resident identity numbers are shown as their
 * first 6 and last 4 characters, the rest replaced by '*', to every role
 * but registrar and auditor (docs/design.md §3).  One concept, one place: every
 * call that returns an identifier masks it here. */
#ifndef PL_QUERY_MASK_H
#define PL_QUERY_MASK_H

#include <stdbool.h>
#include <pledger/types.h>

#include "base/error.h"
#include "rules/findings.h"
#include "store/pledge-row.h"

/* True when @role sees resident identity numbers masked in the answers
 * about registrations (the PL_READ_PLEDGE row of workflow/flow.h). */
bool pl_mask_applies(pledger_role role);

/* Mask the resident identity number @id in place (18 characters:
 * 6 + 8 '*' + 4); shorter than 11 bytes: unchanged. */
void pl_mask_resident(char *id);

/* A malloc'd copy of the party identifier @id as @role may see it: masked
 * when @id_type is "resident".  NULL when @id is NULL or out of memory. */
char *pl_mask_id(const char *id_type, const char *id, pledger_role role);

/* Mask, in place, what of a right identifier is a resident identity
 * number: for a receivable "<debtor id>/<contract>" (or a bare debtor id)
 * the debtor's part when it is a valid resident identity number.  The
 * identifiers of other kinds never name a person (equity's is the
 * company's USCC). */
void pl_mask_right_id(char *identifier, int kind);

/* Mask everything of @v that @role may not see: the pledgor's, pledgee's
 * and debtor's identifiers and the rights' identifiers (not their keys,
 * which never leave the library). */
void pl_mask_pver(pl_pver *v, pledger_role role);

/* Mask, in place, every resident identity number in the free text @text
 * (a review finding's message): each 18 characters, wherever they stand,
 * that are a valid number (region digits, a date of birth, the check
 * character).  NULL: nothing. */
void pl_mask_text(char *text);

/* pl_mask_text() on the message of every finding of @f, and every UUID
 * in it masked but its first eight digits. */
void pl_mask_findings(pl_findings *f);

#endif
