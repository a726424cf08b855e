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

/* PLEDGER_EINVAL (the message begins with @what) unless @number is one
 * this registry's template makes for @series, @office and @kind_code, of
 * any year and sequence value -- and the template names the office, so
 * that no number of @office can be one of this registry's own.  An
 * office checks so the numbers its acceptance points send (a point's
 * number taken as it is would later stop the office's own sequence on a
 * unique key). */
int pl_number_check_foreign(pl_db *db, pl_err *e, const char *what, const char *number,
                            const char *series, const char *office, const char *kind_code);

/* Check a template: only known placeholders, and {series}, {year} and
 * {seq:N} present (so numbers are unique per series and the sequences run
 * per year); a rendering of at most 64 characters. */
int pl_number_template_check(pl_err *e, const char *tmpl);

/* Store a new template (a journaled step; registrar). */
int pl_number_template_set(const pl_ctx *c, const char *tmpl);

#endif
