#include "base/i18n.h"

#include <libintl.h>
#include <locale.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* One language of a LANGUAGE list as gettext finds its catalogue, into
 * @out: written as a language tag is ("zh-CN", "zh-cn"), the catalogue's
 * name ("zh_CN"); Chinese in simplified characters ("zh", "zh-Hans",
 * "zh-Hans-CN", "zh-SG") the zh_CN catalogue, as pledgerd reads
 * Accept-Language and pledger_set_thread_language() its argument.
 * Anything else (a character set, a modifier, "de_DE@euro") as given. */
static void gettext_name(const char *lang, size_t n, char *out, size_t size)
{
    char sub[4][16];
    size_t k = 0, len = 0, at = strcspn(lang, ".@");

    if (at > n)
        at = n;
    for (size_t i = 0; i <= at && k < 4; i++) {
        if (i == at || lang[i] == '-' || lang[i] == '_') {
            sub[k++][len] = '\0';
            len = 0;
        } else if (len < 15) {
            char c = lang[i];
            sub[k][len++] = k == 0 && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        } else {
            k = 5;    /* a subtag too long: not a tag */
        }
    }
    if (k >= 1 && k <= 4 && !strcmp(sub[0], "zh")) {
        bool simplified = k == 1;
        for (size_t i = 1; i < k; i++)
            if (!strcasecmp(sub[i], "CN") || !strcasecmp(sub[i], "SG") ||
                !strcasecmp(sub[i], "Hans"))
                simplified = true;
        if (simplified) {
            snprintf(out, size, "zh_CN%.*s", (int)(n - at), lang + at);
            return;
        }
    }
    if (k == 2 && strlen(sub[1]) == 2) {
        snprintf(out, size, "%s_%c%c%.*s", sub[0],
                 sub[1][0] >= 'a' && sub[1][0] <= 'z' ? sub[1][0] - 'a' + 'A' : sub[1][0],
                 sub[1][1] >= 'a' && sub[1][1] <= 'z' ? sub[1][1] - 'a' + 'A' : sub[1][1],
                 (int)(n - at), lang + at);
        return;
    }
    snprintf(out, size, "%.*s", (int)n, lang);
}

/* @lang (a LANGUAGE list, language_ok) with each language as gettext
 * finds it (gettext_name); NULL when out of memory. */
static char *gettext_list(const char *lang)
{
    size_t size = 2 * strlen(lang) + 16, used = 0;
    char *out = malloc(size);

    if (!out)
        return NULL;
    out[0] = '\0';
    for (const char *p = lang; *p;) {
        size_t n = strcspn(p, ":");
        if (n) {
            char one[160];
            gettext_name(p, n, one, sizeof one);
            used += (size_t)snprintf(out + used, size - used, "%s%s", used ? ":" : "", one);
        }
        p += n;
        if (*p == ':')
            p++;
    }
    return out;
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
        char *list = gettext_list(lang);
        if (!list || setenv("LANGUAGE", list, 1) != 0)
            rc = pl_err_oom(pl_err_thread());
        free(list);
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

/* One conversion of a format ("%-08.3lld", "%2$s"), as read. */
typedef struct conv {
    size_t n;        /* its length in the format */
    unsigned pos;    /* n of "%n$": the argument it prints; 0: the next */
    char spec[32];   /* the conversion without its "n$", for fprintf */
    int len;         /* 0 none, 1 h, 2 hh, 3 l, 4 ll, 5 z, 6 j, 7 t, 8 L */
    char conv;
    int nstar;       /* widths and precisions given as '*' (not with n$) */
} conv;

/* An argument, taken from the va_list by its conversion's type. */
typedef union arg {
    long long i;
    unsigned long long u;
    double d;
    long double ld;
    const void *p;
} arg;

/* Read the conversion at @fmt ('%' first) into @c: false when it is not
 * one pledger's formats use (then the rest is written as it stands). */
static bool conv_read(const char *fmt, conv *c)
{
    size_t n = 1, from;

    memset(c, 0, sizeof *c);
    /* "%n$": positional, as a translation may reorder its arguments */
    size_t d = strspn(fmt + 1, "0123456789");
    if (d && d < 4 && fmt[1] != '0' && fmt[1 + d] == '$') {
        c->pos = (unsigned)atoi(fmt + 1);
        n += d + 1;
    }
    from = n;
    while (fmt[n] && strchr("-+ #0'", fmt[n]))
        n++;
    if (fmt[n] == '*') {
        c->nstar++;
        n++;
    } else {
        n += strspn(fmt + n, "0123456789");
    }
    if (fmt[n] == '.') {
        n++;
        if (fmt[n] == '*') {
            c->nstar++;
            n++;
        } else {
            n += strspn(fmt + n, "0123456789");
        }
    }
    switch (fmt[n]) {
    case 'h': c->len = fmt[n + 1] == 'h' ? 2 : 1; n += (size_t)c->len; break;
    case 'l': c->len = fmt[n + 1] == 'l' ? 4 : 3; n += c->len == 4 ? 2 : 1; break;
    case 'z': c->len = 5; n++; break;
    case 'j': c->len = 6; n++; break;
    case 't': c->len = 7; n++; break;
    case 'L': c->len = 8; n++; break;
    default: break;
    }
    c->conv = fmt[n];
    if (!c->conv || !strchr("diouxXcspfFeEgGaA", c->conv) || n - from + 3 > sizeof c->spec ||
        (c->pos && c->nstar))
        return false;
    n++;
    c->spec[0] = '%';
    memcpy(c->spec + 1, fmt + from, n - from);
    c->spec[n - from + 1] = '\0';
    c->n = n;
    return true;
}

/* The argument of @c, taken from @ap by its type. */
static arg arg_take(const conv *c, va_list *ap)
{
    arg a = { 0 };
    switch (c->conv) {
    case 's': case 'p': a.p = va_arg(*ap, const void *); break;
    case 'c': a.i = va_arg(*ap, int); break;
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
        if (c->len == 8)
            a.ld = va_arg(*ap, long double);
        else
            a.d = va_arg(*ap, double);
        break;
    case 'd': case 'i':
        switch (c->len) {
        case 3: a.i = va_arg(*ap, long); break;
        case 4: a.i = va_arg(*ap, long long); break;
        case 5: case 7: a.i = va_arg(*ap, ptrdiff_t); break;
        case 6: a.i = va_arg(*ap, intmax_t); break;
        default: a.i = va_arg(*ap, int); break;
        }
        break;
    default: /* o u x X */
        switch (c->len) {
        case 3: a.u = va_arg(*ap, unsigned long); break;
        case 4: a.u = va_arg(*ap, unsigned long long); break;
        case 5: case 7: a.u = va_arg(*ap, size_t); break;
        case 6: a.u = va_arg(*ap, uintmax_t); break;
        default: a.u = va_arg(*ap, unsigned); break;
        }
        break;
    }
    return a;
}

/* Write @a by @c (its '*' values in @star), a string argument shown as
 * its translation when it is a fragment. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void arg_write(FILE *out, const conv *c, const int *star, arg a)
{
#define EMIT(value)                                                          \
    do {                                                                     \
        if (c->nstar == 2)                                                   \
            fprintf(out, c->spec, star[0], star[1], value);                  \
        else if (c->nstar == 1)                                              \
            fprintf(out, c->spec, star[0], value);                           \
        else                                                                 \
            fprintf(out, c->spec, value);                                    \
    } while (0)

    switch (c->conv) {
    case 's': EMIT(frag_local(a.p)); break;
    case 'p': EMIT(a.p); break;
    case 'c': EMIT((int)a.i); break;
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
        if (c->len == 8)
            EMIT(a.ld);
        else
            EMIT(a.d);
        break;
    case 'd': case 'i':
        switch (c->len) {
        case 3: EMIT((long)a.i); break;
        case 4: EMIT(a.i); break;
        case 5: case 7: EMIT((ptrdiff_t)a.i); break;
        case 6: EMIT((intmax_t)a.i); break;
        default: EMIT((int)a.i); break;
        }
        break;
    default:
        switch (c->len) {
        case 3: EMIT((unsigned long)a.u); break;
        case 4: EMIT(a.u); break;
        case 5: case 7: EMIT((size_t)a.u); break;
        case 6: EMIT((uintmax_t)a.u); break;
        default: EMIT((unsigned)a.u); break;
        }
        break;
    }
#undef EMIT
}
#pragma GCC diagnostic pop

/* The most arguments a positional format names ("%9$s"). */
#define POS_MAX 9

/* A format whose conversions are all positional ("%2$s ... %1$d", as a
 * translation reorders them): its arguments taken from @ap in their
 * order, by the types the format gives them, into @args.  False, nothing
 * taken, when it is not one (a conversion without n$, a position named
 * with two types, one left out: msgfmt --check keeps a catalogue's so). */
static bool take_positional(const char *fmt, va_list *ap, arg args[POS_MAX + 1])
{
    conv at[POS_MAX + 1];
    bool seen[POS_MAX + 1] = { false };
    unsigned top = 0;

    for (const char *p = strchr(fmt, '%'); p; p = strchr(p, '%')) {
        conv c;
        if (p[1] == '%') {
            p += 2;
            continue;
        }
        if (!conv_read(p, &c) || !c.pos || c.pos > POS_MAX)
            return false;
        if (seen[c.pos] && (at[c.pos].conv != c.conv || at[c.pos].len != c.len))
            return false;
        at[c.pos] = c;
        seen[c.pos] = true;
        top = c.pos > top ? c.pos : top;
        p += c.n;
    }
    if (!top)
        return false;
    for (unsigned i = 1; i <= top; i++)
        if (!seen[i])
            return false; /* before any is taken: the caller reads them in turn */
    for (unsigned i = 1; i <= top; i++)
        args[i] = arg_take(&at[i], ap);
    return true;
}

char *pl_vasprintf_local(const char *fmt, va_list ap)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buf, &size);
    va_list aq;
    arg args[POS_MAX + 1];

    if (!out) {
        pl_frag_clear();
        return NULL;
    }
    va_copy(aq, ap);
    /* positional: the arguments taken first, each written where named;
     * else each taken in turn as its conversion comes */
    bool positional = take_positional(fmt, &aq, args);
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
        conv c;
        int star[2] = { 0, 0 };
        if (!conv_read(pc, &c) || (c.pos != 0) != positional) {
            fputs(pc, out);   /* not one pledger's formats use: as it stands */
            break;
        }
        if (positional) {
            arg_write(out, &c, NULL, args[c.pos]);
        } else {
            for (int k = 0; k < c.nstar; k++)
                star[k] = va_arg(aq, int);
            arg_write(out, &c, star, arg_take(&c, &aq));
        }
        p = pc + c.n;
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
