#include "rules/findings.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/json.h"
#include "model/kinds.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
int pl_findings_addv(pl_findings *f, const char *code, int severity, const char *path,
                     const char *basis, const char *fmt, va_list ap)
{
    const char *tfmt = pl_tr(fmt);
    pl_finding *x;
    va_list ap2;
    char *raw = NULL;

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
    x->local = NULL;
    va_copy(ap2, ap);
    /* they quote the document's text: no control character raw */
    if (vasprintf(&raw, fmt, ap) < 0)
        raw = NULL;
    x->message = raw ? pl_err_escape_dup(raw) : NULL;
    free(raw);
    raw = NULL;
    if (tfmt != fmt && x->message) {
        /* fragments (pl_frag()) are shown translated */
        if (!(raw = pl_vasprintf_local(tfmt, ap2)) || !(x->local = pl_err_escape_dup(raw))) {
            free(x->message);
            x->message = NULL;
        }
        free(raw);
    } else {
        pl_frag_clear();
    }
    va_end(ap2);
    if (!x->path || !x->message) {
        free(x->path);
        free(x->message);
        f->oom = true;
        return PLEDGER_ENOMEM;
    }
    f->n++;
    return 0;
}
#pragma GCC diagnostic pop

int pl_findings_add(pl_findings *f, const char *code, int severity, const char *path,
                    const char *basis, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = pl_findings_addv(f, code, severity, path, basis, fmt, ap);
    va_end(ap);
    return rc;
}

static bool ends_sentence(const char *m, size_t n)
{
    return (n && (m[n - 1] == '.' || m[n - 1] == '?' || m[n - 1] == '!')) ||
           (n >= 3 && (!strcmp(m + n - 3, "。") || !strcmp(m + n - 3, "？") ||
                       !strcmp(m + n - 3, "！")));
}

/* Append @stop to *@m unless it ends a sentence already. */
static bool end_sentence(char **m, const char *stop)
{
    size_t n = strlen(*m), k = strlen(stop);
    char *x;

    if (ends_sentence(*m, n))
        return true;
    if (!(x = realloc(*m, n + k + 1)))
        return false;
    memcpy(x + n, stop, k + 1);
    *m = x;
    return true;
}

void pl_findings_end_sentence(pl_findings *f)
{
    pl_finding *x;

    if (!f->n || f->oom)
        return;
    x = &f->v[f->n - 1];
    /* A translation written in CJK ideographs (U+4E00 to U+9FFF: UTF-8
     * lead bytes E4 to E9) takes the ideographic full stop. */
    bool cjk = false;
    for (const unsigned char *p = (const unsigned char *)x->local; p && *p && !cjk; p++)
        cjk = *p >= 0xe4 && *p <= 0xe9;
    if (!end_sentence(&x->message, ".") ||
        (x->local && !end_sentence(&x->local, cjk ? "。" : ".")))
        f->oom = true;
}

const char *pl_finding_text(const pl_finding *x)
{
    return x->local ? x->local : x->message;
}

void pl_findings_clear(pl_findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].path);
        free(f->v[i].message);
        free(f->v[i].local);
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
