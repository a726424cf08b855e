#include "base/i18n.h"

#include <libintl.h>
#include <locale.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pledger/common.h>

#include "base/catalog.h"
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
static const char *locale_dir(void)
{
    const char *dir = getenv("PLEDGER_LOCALEDIR");
    return dir && *dir ? dir : PLEDGER_LOCALEDIR;
}

static void bind_domain(void)
{
    bindtextdomain(DOMAIN, locale_dir());
    /* Messages are UTF-8 whatever the character set of the locale. */
    bind_textdomain_codeset(DOMAIN, "UTF-8");
}

/* The calling thread's own language (pledger_set_thread_language):
 * thread_set with thread_cat NULL is English. */
static _Thread_local bool thread_set;
static _Thread_local const pl_catalog *thread_cat;

const char *pl_tr(const char *msgid)
{
    if (!msgid || !*msgid)
        return msgid;
    if (thread_set) {
        const char *t = pl_catalog_find(thread_cat, msgid);
        return t ? t : msgid;
    }
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

/* @lang as a catalogue's directory is named: "zh-cn" and "zh_CN.UTF-8" are
 * "zh_CN" (the language in lower case, the territory in upper case, no
 * character set: the catalogues are UTF-8); false when it is not a
 * language and territory of letters. */
static bool catalogue_name(const char *lang, char out[16])
{
    size_t n = 0, i = 0;
    for (; lang[i] && lang[i] != '.' && lang[i] != '@'; i++) {
        char ch = lang[i];
        if (n >= 15)
            return false;
        if (ch == '-' || ch == '_') {
            if (n == 0 || memchr(out, '_', n))
                return false;
            out[n++] = '_';
        } else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
            bool territory = memchr(out, '_', n) != NULL;
            out[n++] = (char)(territory ? (ch & ~0x20) : (ch | 0x20));
        } else {
            return false;
        }
    }
    out[n] = '\0';
    return n >= 2 && out[n - 1] != '_' && (lang[i] == '\0' || lang[i] == '.' || lang[i] == '@');
}

int pledger_set_thread_language(const char *lang)
{
    static const char fn[] = "pledger_set_thread_language";
    char name[16];
    const pl_catalog *cat;

    if (!lang || !*lang) {
        thread_set = false;
        thread_cat = NULL;
        return 0;
    }
    if (!strcmp(lang, "C") || !strcmp(lang, "POSIX") || !strncmp(lang, "C.", 2)) {
        thread_set = true;
        thread_cat = NULL;
        return 0;
    }
    if (!language_ok(lang) || strchr(lang, ':') || !catalogue_name(lang, name))
        return pl_err_set(pl_err_thread(), PLEDGER_EINVAL,
                          "%s: lang: '%.40s' is not one language (for example zh_CN, zh-CN "
                          "or en)", fn, lang);
    /* English: "en" and "en_*", the messages as written */
    if (!strcmp(name, "en") || !strncmp(name, "en_", 3)) {
        thread_set = true;
        thread_cat = NULL;
        return 0;
    }
    /* "zh_CN", then "zh" alone */
    if (!(cat = pl_catalog_get(locale_dir(), DOMAIN, name)) && strchr(name, '_')) {
        *strchr(name, '_') = '\0';
        cat = pl_catalog_get(locale_dir(), DOMAIN, name);
    }
    if (!cat)
        return pl_err_set(pl_err_thread(), PLEDGER_ENOTFOUND,
                          "%s: lang: pledger has no translation into '%.40s'", fn, lang);
    thread_set = true;
    thread_cat = cat;
    return 0;
}

const char *pledger_translate(const char *msgid)
{
    return pl_tr(msgid);
}

/* ---- fragments --------------------------------------------------------- */

#define FRAG_SLOTS 16
#define FRAG_EN_MAX 256
#define FRAG_LOCAL_MAX 768

struct frag {
    const char *ptr;              /* the argument's address */
    char en[FRAG_EN_MAX];         /* its text when remembered */
    char local[FRAG_LOCAL_MAX];   /* what the translation shows */
};

static _Thread_local struct frag frags[FRAG_SLOTS];
static _Thread_local unsigned frag_next;

const char *pl_frag_pair(const char *en, const char *local)
{
    size_t ne, nl;

    if (!en || !local || local == en || strcmp(en, local) == 0)
        return en;
    ne = strlen(en);
    nl = strlen(local);
    if (ne >= FRAG_EN_MAX || nl >= FRAG_LOCAL_MAX)
        return en;    /* shown in English: better than cut */
    struct frag *f = &frags[frag_next++ % FRAG_SLOTS];
    f->ptr = en;
    memcpy(f->en, en, ne + 1);
    memcpy(f->local, local, nl + 1);
    return en;
}

const char *pl_frag(const char *s)
{
    return pl_frag_pair(s, pl_tr(s));
}

const char *pl_tr_ctx(const char *ctx, const char *s)
{
    char key[128];
    size_t nc, ns;
    const char *t;

    if (!ctx || !s)
        return s;
    nc = strlen(ctx);
    ns = strlen(s);
    if (nc + ns + 2 > sizeof key)
        return s;
    memcpy(key, ctx, nc);
    key[nc] = '\004';    /* gettext's context separator */
    memcpy(key + nc + 1, s, ns + 1);
    t = pl_tr(key);
    return t == key ? s : t;
}

const char *pl_frag_ctx(const char *ctx, const char *s)
{
    const char *t = pl_tr_ctx(ctx, s);
    return t == s ? s : pl_frag_pair(s, t);
}

void pl_frag_clear(void)
{
    for (unsigned i = 0; i < FRAG_SLOTS; i++)
        frags[i].ptr = NULL;
}

static const char *frag_local(const char *arg)
{
    if (!arg)
        return arg;
    for (unsigned i = 0; i < FRAG_SLOTS; i++)
        if (frags[i].ptr == arg && strcmp(frags[i].en, arg) == 0)
            return frags[i].local;
    return arg;
}

/* One conversion of a format, "%-08.3lld": copied to @spec, its argument
 * taken from @ap by its type and written to @out.  Returns the length of
 * the conversion in @fmt, or 0 when it is not one pledger's formats use
 * (then the rest is written as it stands). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static size_t one_conversion(FILE *out, const char *fmt, va_list *ap)
{
    char spec[32];
    size_t n = 1;
    int len = 0;          /* 0 none, 1 h, 2 hh, 3 l, 4 ll, 5 z, 6 j, 7 t, 8 L */
    int star[2], nstar = 0;

    while (fmt[n] && strchr("-+ #0'", fmt[n]))
        n++;
    if (fmt[n] == '*') {
        star[nstar++] = va_arg(*ap, int);
        n++;
    } else {
        while (fmt[n] >= '0' && fmt[n] <= '9')
            n++;
    }
    if (fmt[n] == '.') {
        n++;
        if (fmt[n] == '*') {
            star[nstar++] = va_arg(*ap, int);
            n++;
        } else {
            while (fmt[n] >= '0' && fmt[n] <= '9')
                n++;
        }
    }
    switch (fmt[n]) {
    case 'h': len = fmt[n + 1] == 'h' ? 2 : 1; n += len; break;
    case 'l': len = fmt[n + 1] == 'l' ? 4 : 3; n += len == 4 ? 2 : 1; break;
    case 'z': len = 5; n++; break;
    case 'j': len = 6; n++; break;
    case 't': len = 7; n++; break;
    case 'L': len = 8; n++; break;
    default: break;
    }
    char conv = fmt[n];
    if (!conv || !strchr("diouxXcspfFeEgGaA", conv) || n + 2 > sizeof spec)
        return 0;
    n++;
    memcpy(spec, fmt, n);
    spec[n] = '\0';

#define EMIT(value)                                                          \
    do {                                                                     \
        if (nstar == 2)                                                      \
            fprintf(out, spec, star[0], star[1], value);                     \
        else if (nstar == 1)                                                 \
            fprintf(out, spec, star[0], value);                              \
        else                                                                 \
            fprintf(out, spec, value);                                       \
    } while (0)

    switch (conv) {
    case 's': EMIT(frag_local(va_arg(*ap, const char *))); break;
    case 'p': EMIT(va_arg(*ap, void *)); break;
    case 'c': EMIT(va_arg(*ap, int)); break;
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
        if (len == 8)
            EMIT(va_arg(*ap, long double));
        else
            EMIT(va_arg(*ap, double));
        break;
    case 'd': case 'i':
        switch (len) {
        case 3: EMIT(va_arg(*ap, long)); break;
        case 4: EMIT(va_arg(*ap, long long)); break;
        case 5: EMIT(va_arg(*ap, ptrdiff_t)); break;
        case 6: EMIT(va_arg(*ap, intmax_t)); break;
        case 7: EMIT(va_arg(*ap, ptrdiff_t)); break;
        default: EMIT(va_arg(*ap, int)); break;
        }
        break;
    default: /* o u x X */
        switch (len) {
        case 3: EMIT(va_arg(*ap, unsigned long)); break;
        case 4: EMIT(va_arg(*ap, unsigned long long)); break;
        case 5: EMIT(va_arg(*ap, size_t)); break;
        case 6: EMIT(va_arg(*ap, uintmax_t)); break;
        case 7: EMIT(va_arg(*ap, size_t)); break;
        default: EMIT(va_arg(*ap, unsigned)); break;
        }
        break;
    }
#undef EMIT
    return n;
}
#pragma GCC diagnostic pop

char *pl_vasprintf_local(const char *fmt, va_list ap)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buf, &size);
    va_list aq;

    if (!out) {
        pl_frag_clear();
        return NULL;
    }
    va_copy(aq, ap);
    for (const char *p = fmt; *p;) {
        const char *pc = strchr(p, '%');
        if (!pc) {
            fputs(p, out);
            break;
        }
        fwrite(p, 1, (size_t)(pc - p), out);
        if (pc[1] == '%') {
            fputc('%', out);
            p = pc + 2;
            continue;
        }
        size_t n = one_conversion(out, pc, &aq);
        if (n == 0) {
            fputs(pc, out);
            break;
        }
        p = pc + n;
    }
    va_end(aq);
    pl_frag_clear();
    if (fclose(out) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

void pl_say(char *en, char *local, size_t size, const char *fmt, ...)
{
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    vsnprintf(en, size, fmt, ap);
    const char *t = pl_tr(fmt);
    if (t == fmt) {
        local[0] = '\0';
    } else {
        /* the catalogue's checks (msgfmt --check) keep its conversions
         * those of @fmt */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        vsnprintf(local, size, t, aq);
#pragma GCC diagnostic pop
    }
    va_end(aq);
    va_end(ap);
}
