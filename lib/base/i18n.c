#include "base/i18n.h"

#include <libintl.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pledger/common.h>

#include "base/error.h"

#ifndef PLEDGER_LOCALEDIR
#define PLEDGER_LOCALEDIR "/usr/share/locale"
#endif
#define DOMAIN "pledger"

/* GNU gettext's catalogue generation counter: bumping it makes dgettext()
 * forget the translations it looked up for the old language. */
extern int _nl_msg_cat_cntr;

static pthread_once_t bound = PTHREAD_ONCE_INIT;
static pthread_mutex_t lang_lock = PTHREAD_MUTEX_INITIALIZER;

/* The catalogues come from the installed locale directory; a build tree
 * points PLEDGER_LOCALEDIR at its own po/ output. */
static void bind_domain(void)
{
    const char *dir = getenv("PLEDGER_LOCALEDIR");
    if (!dir || !*dir)
        dir = PLEDGER_LOCALEDIR;
    bindtextdomain(DOMAIN, dir);
    /* Messages are UTF-8 whatever the character set of the locale. */
    bind_textdomain_codeset(DOMAIN, "UTF-8");
}

const char *pl_tr(const char *msgid)
{
    if (!msgid || !*msgid)
        return msgid;
    pthread_once(&bound, bind_domain);
    return dgettext(DOMAIN, msgid);
}

/* "zh_CN", "zh_CN.UTF-8", "en", "de_DE@euro", or a colon-separated list
 * of them, as LANGUAGE takes it. */
static bool language_ok(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++, n++) {
        unsigned char c = (unsigned char)*p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '@' || c == '-' || c == ':'))
            return false;
    }
    return n > 0 && n < 128 && s[0] != ':' && s[0] != '.';
}

/* What LANGUAGE was before the first pledger_set_language(), to give it
 * back when the caller returns to the process's locale. */
static char *saved_language;
static bool overridden;

int pledger_set_language(const char *lang)
{
    int rc = 0;

    pthread_once(&bound, bind_domain);
    if (lang && *lang && !language_ok(lang))
        return pl_err_set(pl_err_thread(), PLEDGER_EINVAL,
                          "pledger_set_language: lang: '%.40s' is not a language name "
                          "(for example zh_CN, en or zh_CN:en)", lang);
    pthread_mutex_lock(&lang_lock);
    if (lang && *lang) {
        if (!overridden) {
            const char *old = getenv("LANGUAGE");
            free(saved_language);
            saved_language = old ? strdup(old) : NULL;
            overridden = true;
        }
        if (setenv("LANGUAGE", lang, 1) != 0)
            rc = pl_err_oom(pl_err_thread());
        /* glibc ignores LANGUAGE while LC_MESSAGES is the "C" locale;
         * C.UTF-8 is built into glibc and keeps every other behaviour. */
        const char *cur = setlocale(LC_MESSAGES, NULL);
        if (!rc && (!cur || !strcmp(cur, "C") || !strcmp(cur, "POSIX")))
            setlocale(LC_MESSAGES, "C.UTF-8");
    } else if (overridden) {
        if (saved_language)
            rc = setenv("LANGUAGE", saved_language, 1) != 0 ? pl_err_oom(pl_err_thread()) : 0;
        else
            unsetenv("LANGUAGE");
        free(saved_language);
        saved_language = NULL;
        overridden = false;
    }
    ++_nl_msg_cat_cntr;
    pthread_mutex_unlock(&lang_lock);
    return rc;
}
