/* Review findings: what the review says about an application.  A finding
 * has a stable code, a severity, the document path it is about, an
 * English message and a short legal-basis note. */
#ifndef PL_RULES_FINDINGS_H
#define PL_RULES_FINDINGS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

typedef struct pl_finding {
    const char *code;  /* static: from a rule table */
    int severity;      /* pledger_severity */
    char *path;
    char *message;     /* English: what the registry keeps */
    char *local;       /* the current language's, or NULL when the same */
    const char *basis; /* static */
} pl_finding;

typedef struct pl_findings {
    pl_finding *v;
    size_t n, cap;
    bool oom; /* an addition failed for lack of memory */
} pl_findings;

/* Append a finding (message formatted from the English @fmt, and its
 * local twin from the translation of @fmt with the same arguments).  On
 * OOM sets ->oom and returns PLEDGER_ENOMEM; callers may keep adding and
 * check ->oom once. */
int pl_findings_add(pl_findings *f, const char *code, int severity, const char *path,
                    const char *basis, const char *fmt, ...) PL_PRINTF(6, 7);
int pl_findings_addv(pl_findings *f, const char *code, int severity, const char *path,
                     const char *basis, const char *fmt, va_list ap) PL_PRINTF(6, 0);

/* Make the last finding's messages sentences: a full stop ('.' in the
 * English, '。' in a CJK translation) where they end without one. */
void pl_findings_end_sentence(pl_findings *f);

/* The message of @x for people: its translation when there is one. */
const char *pl_finding_text(const pl_finding *x);
void pl_findings_clear(pl_findings *f);

/* Counts by severity: out[severity] for 1..4. */
void pl_findings_count(const pl_findings *f, size_t out[5]);

/* Canonical JSON array of the findings, in order (caller frees). */
char *pl_findings_json(const pl_findings *f);

#endif
