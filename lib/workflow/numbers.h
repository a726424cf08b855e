/* Acceptance and registration numbers: gap-free sequences per series,
 * office, kind and year, formatted by the registry's template (meta
 * 'number_template', placeholders {series} {office} {kind} {year}
 * {seq:N}).  The sequence row itself is advanced by the journal event that
 * uses the number (store/apply.c), inside the same transaction, so a
 * rolled-back step consumes nothing. */
#ifndef PL_WORKFLOW_NUMBERS_H
#define PL_WORKFLOW_NUMBERS_H

#include <stdint.h>

#include "store/db.h"
#include "workflow/flow.h"

#define PL_SERIES_ACCEPTANCE "A"
#define PL_SERIES_REGISTRATION "R"

typedef struct pl_number {
    char number[96]; /* the formatted number */
    char scope[96];  /* the sequence's scope: the template without {seq} */
    int64_t value;   /* the sequence value used */
} pl_number;

int pl_number_next(pl_db *db, pl_err *e, const char *series, const char *office,
                   const char *kind_code, int year, pl_number *out);

/* Check a template: only known placeholders, and {series}, {year} and
 * {seq:N} present (so numbers are unique per series and the sequences run
 * per year); a rendering of at most 64 characters. */
int pl_number_template_check(pl_err *e, const char *tmpl);

/* Store a new template (a journaled step; registrar). */
int pl_number_template_set(const pl_ctx *c, const char *tmpl);

#endif
