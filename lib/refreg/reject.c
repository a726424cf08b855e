/* Rejecting a record of the reference register (reject.h). */
#include "refreg/reject.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/text.h"

/* Messages quote the file's text with %.Ns, which may cut a character in
 * two: turn whatever is not UTF-8 into '?', so that callers (the Python
 * bindings) can always decode a message. */
static void utf8_fix(char *s)
{
    size_t n = strlen(s);
    uint32_t cp;

    for (size_t i = 0; i < n;) {
        size_t k = pl_utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            s[i++] = '?';
            continue;
        }
        i += k;
    }
}

void pl_refreg_trim_message(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '.'))
        s[--n] = '\0';
    utf8_fix(s);
}

int pl_refreg_reject(pl_refreg_report *rep, pl_err *e, uint64_t line, const char *fmt, ...)
{
    char msg[3 * MSG_MAX + 128];
    va_list ap;

    rep->rejected++;
    if (rep->n_kept >= PL_REFREG_KEEP_REJECTIONS)
        return 0;
    if (!rep->kept) {
        rep->kept = calloc(PL_REFREG_KEEP_REJECTIONS, sizeof *rep->kept);
        if (!rep->kept)
            return pl_err_oom(e);
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pl_err_escape(msg, sizeof msg); /* UTF-8, no control character raw */
    rep->kept[rep->n_kept].line = line;
    if (!(rep->kept[rep->n_kept].message = strdup(msg)))
        return pl_err_oom(e);
    rep->n_kept++;
    return 0;
}

int pl_refreg_bad(where *w, const char *fmt, ...)
{
    char msg[MSG_MAX];
    va_list ap, aq;

    va_start(ap, fmt);
    va_copy(aq, ap);
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* the reason in the reader's language (the report is not kept: the
     * journal records the import's counts), its fragments too; the
     * record named as the file names it */
    const char *t = pl_tr(fmt);
    char *local = t != fmt ? pl_vasprintf_local(t, aq) : NULL;
    va_end(aq);
    va_end(ap);
    if (local) {
        char cut[3 * MSG_MAX];
        snprintf(cut, sizeof cut, "%s", local);
        free(local);
        pl_refreg_trim_message(cut);
        return pl_refreg_reject(w->rep, w->e, w->line, "%s: %s", w->what, cut) ? PLEDGER_ENOMEM
                                                                               : 1;
    }
    pl_frag_clear();
    pl_refreg_trim_message(msg);
    return pl_refreg_reject(w->rep, w->e, w->line, "%s: %s", w->what, msg) ? PLEDGER_ENOMEM : 1;
}
