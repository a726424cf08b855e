#include "rules/findings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "model/kinds.h"

int pl_findings_add(pl_findings *f, const char *code, int severity, const char *path,
                    const char *basis, const char *fmt, ...)
{
    pl_finding *x;
    va_list ap;

    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        pl_finding *v = realloc(f->v, cap * sizeof *v);
        if (!v) {
            f->oom = true;
            return PLEDGER_ENOMEM;
        }
        f->v = v;
        f->cap = cap;
    }
    x = &f->v[f->n];
    x->code = code;
    x->severity = severity;
    x->basis = basis ? basis : "";
    x->path = strdup(path ? path : "");
    va_start(ap, fmt);
    char *raw = NULL;
    if (vasprintf(&raw, fmt, ap) < 0)
        raw = NULL;
    va_end(ap);
    /* it quotes the document's text: no control character raw */
    x->message = raw ? pl_err_escape_dup(raw) : NULL;
    free(raw);
    if (!x->path || !x->message) {
        free(x->path);
        free(x->message);
        f->oom = true;
        return PLEDGER_ENOMEM;
    }
    f->n++;
    return 0;
}

void pl_findings_clear(pl_findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].path);
        free(f->v[i].message);
    }
    free(f->v);
    memset(f, 0, sizeof *f);
}

void pl_findings_count(const pl_findings *f, size_t out[5])
{
    memset(out, 0, 5 * sizeof out[0]);
    for (size_t i = 0; i < f->n; i++)
        if (f->v[i].severity >= 1 && f->v[i].severity <= 4)
            out[f->v[i].severity]++;
}

char *pl_findings_json(const pl_findings *f)
{
    pl_json j;
    char *out;

    /* An array at the top: build {"f":[...]} and cut the wrapper. */
    pl_json_init(&j);
    pl_json_begin_array(&j, "f");
    for (size_t i = 0; i < f->n; i++) {
        pl_json_begin_object(&j, NULL);
        pl_json_str(&j, "basis", f->v[i].basis);
        pl_json_str(&j, "code", f->v[i].code);
        pl_json_str(&j, "message", f->v[i].message);
        pl_json_str(&j, "path", f->v[i].path);
        pl_json_str(&j, "severity", pl_severity_name(f->v[i].severity));
        pl_json_end_object(&j);
    }
    pl_json_end_array(&j);
    if (!(out = pl_json_finish(&j)))
        return NULL;
    size_t n = strlen(out);
    memmove(out, out + 5, n - 5 - 1); /* drop {"f": and the final } */
    out[n - 6] = '\0';
    return out;
}
