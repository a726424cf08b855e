#include "workflow/numbers.h"

#include "base/json.h"
#include "model/kinds.h"
#include "store/apply.h"
#include "store/ops-flow.h"
#include "workflow/flow.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fields {
    const char *series, *office, *kind;
    int year;
} fields;

/* Render @tmpl; {seq:N} becomes @seq zero-padded to N digits, or is left
 * out when @seq < 0 (that rendering is the sequence's scope). */
static int render(pl_err *e, const char *tmpl, const fields *f, int64_t seq, char *out,
                  size_t n)
{
    size_t len = 0;
    const char *p = tmpl;

    out[0] = '\0';
    while (*p) {
        char piece[48];
        const char *end;
        if (*p != '{') {
            piece[0] = *p++;
            piece[1] = '\0';
        } else {
            if (!(end = strchr(p, '}')))
                return pl_err_set(e, PLEDGER_ECORRUPT, "number template '%s': unclosed '{'",
                                  tmpl);
            size_t k = (size_t)(end - p - 1);
            if (k == 6 && !strncmp(p + 1, "series", 6))
                snprintf(piece, sizeof piece, "%s", f->series);
            else if (k == 6 && !strncmp(p + 1, "office", 6))
                snprintf(piece, sizeof piece, "%s", f->office);
            else if (k == 4 && !strncmp(p + 1, "kind", 4))
                snprintf(piece, sizeof piece, "%s", f->kind);
            else if (k == 4 && !strncmp(p + 1, "year", 4))
                snprintf(piece, sizeof piece, "%04d", f->year);
            else if (k >= 3 && !strncmp(p + 1, "seq", 3)) {
                int width = k > 4 && p[4] == ':' ? atoi(p + 5) : 1;
                if (width < 1 || width > 12)
                    return pl_err_set(e, PLEDGER_ECORRUPT,
                                      "number template '%s': bad {seq} width", tmpl);
                if (seq < 0)
                    piece[0] = '\0';
                else
                    snprintf(piece, sizeof piece, "%0*" PRId64, width, seq);
            } else {
                return pl_err_set(e, PLEDGER_ECORRUPT,
                                  "number template '%s': unknown placeholder", tmpl);
            }
            p = end + 1;
        }
        size_t pl = strlen(piece);
        if (len + pl + 1 > n)
            return pl_err_set(e, PLEDGER_ECORRUPT, "number template '%s': number too long",
                              tmpl);
        memcpy(out + len, piece, pl + 1);
        len += pl;
    }
    return 0;
}

int pl_number_next(pl_db *db, pl_err *e, const char *series, const char *office,
                   const char *kind_code, int year, pl_number *out)
{
    fields f = { series, office, kind_code, year };
    char *tmpl = NULL;
    int rc;

    if ((rc = pl_db_meta_get(db, e, "number_template", &tmpl)))
        return rc;
    if (!strstr(tmpl, "{seq")) {
        rc = pl_err_set(e, PLEDGER_ECORRUPT, "number template '%s' has no {seq}", tmpl);
        goto done;
    }
    if ((rc = render(e, tmpl, &f, -1, out->scope, sizeof out->scope)))
        goto done;
    if (!(rc = PL_OPS(db, flow)->sequence_next(db, e, series, out->scope, &out->value)))
        rc = render(e, tmpl, &f, out->value, out->number, sizeof out->number);
done:
    free(tmpl);
    return rc;
}

/* Does @s match the template @t from here on?  Placeholders match their
 * value; {year} four digits; {seq:N} at least N digits (backtracking). */
static bool match(const char *t, const char *s, const fields *f)
{
    while (*t) {
        if (*t != '{') {
            if (*s++ != *t++)
                return false;
            continue;
        }
        const char *end = strchr(t, '}');
        if (!end)
            return false;
        size_t k = (size_t)(end - t - 1);
        const char *value = k == 6 && !strncmp(t + 1, "series", 6)   ? f->series
                            : k == 6 && !strncmp(t + 1, "office", 6) ? f->office
                            : k == 4 && !strncmp(t + 1, "kind", 4)   ? f->kind
                                                                     : NULL;
        t = end + 1;
        if (value) {
            size_t n = strlen(value);
            if (strncmp(s, value, n) != 0)
                return false;
            s += n;
        } else if (k == 4 && !strncmp(end - 4, "year", 4)) {
            for (int i = 0; i < 4; i++)
                if (*s < '0' || *s++ > '9')
                    return false;
        } else if (k >= 3 && !strncmp(end - k, "seq", 3)) {
            int width = k > 4 && end[-k + 3] == ':' ? atoi(end - k + 4) : 1;
            size_t run = strspn(s, "0123456789");
            for (size_t n = run; n >= (size_t)(width > 0 ? width : 1); n--)
                if (match(t, s + n, f))
                    return true;
            return false;
        } else {
            return false;
        }
    }
    return *s == '\0';
}

int pl_number_check_foreign(pl_db *db, pl_err *e, const char *what, const char *number,
                            const char *series, const char *office, const char *kind_code)
{
    fields f = { series, office, kind_code, 0 };
    char *tmpl = NULL;
    int rc;

    if ((rc = pl_db_meta_get(db, e, "number_template", &tmpl)))
        return rc;
    if (!strstr(tmpl, "{office}"))
        rc = pl_err_set(e, PLEDGER_EINVAL,
                        "%s: '%.64s' cannot be taken: this registry's number template '%s' "
                        "does not name the office, so numbers an acceptance point makes could "
                        "be this office's own (set a template with {office})", what, number,
                        tmpl);
    else if (!match(tmpl, number, &f))
        rc = pl_err_set(e, PLEDGER_EINVAL,
                        "%s: '%.64s' is not a number of office '%s' (template '%s', series %s, "
                        "kind %s)", what, number, office, tmpl, series, kind_code);
    free(tmpl);
    return rc;
}

int pl_number_template_check(pl_err *e, const char *tmpl)
{
    fields f = { "A", "ABCDEFGHIJKLMNOP", "TM", 2026 };
    char out[96];
    int rc;

    if (!strstr(tmpl, "{series}") || !strstr(tmpl, "{year}") || !strstr(tmpl, "{seq"))
        return pl_err_set(e, PLEDGER_EINVAL,
                          "number template '%.80s' must contain {series}, {year} and {seq:N}",
                          tmpl);
    for (const char *p = tmpl; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return pl_err_set(e, PLEDGER_EINVAL, "number template: a control character at "
                              "offset %d", (int)(p - tmpl));
    if ((rc = render(e, tmpl, &f, 999999999999, out, sizeof out))) {
        /* render() said what was wrong; the code is EINVAL whatever it was */
        if (e)
            e->code = PLEDGER_EINVAL;
        return PLEDGER_EINVAL;
    }
    if (strlen(out) > 64)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "number template '%.80s' makes numbers longer than 64 characters", tmpl);
    return 0;
}

int pl_number_template_set(const pl_ctx *c, const char *tmpl)
{
    int rc = pl_number_template_check(c->e, tmpl);
    return rc ? rc : pl_wf_setting_set(c, "number_template", tmpl);
}
