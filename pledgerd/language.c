/* Choosing the language of an answer from Accept-Language (language.h). */
#include "language.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pledger/pledger.h>

#define MAX_CHOICES 16

typedef struct choice {
    char tag[36];
    int q; /* thousandths */
} choice;

/* "q=0.8" (any case, spaces around) as thousandths; -1 when malformed. */
static int quality(const char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\t'))
        p++, n--;
    if (n < 3 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=')
        return -1;
    p += 2, n -= 2;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n == 0 || n > 5 || (p[0] != '0' && p[0] != '1'))
        return -1;
    int q = (p[0] - '0') * 1000, scale = 100;
    if (n > 1) {
        if (p[1] != '.')
            return -1;
        for (size_t i = 2; i < n; i++, scale /= 10) {
            if (p[i] < '0' || p[i] > '9')
                return -1;
            q += (p[i] - '0') * scale;
        }
    }
    return q > 1000 ? -1 : q;
}

/* The catalogue's name of a tag: Chinese written in simplified
 * characters ("zh", "zh-CN", "zh-Hans", "zh-Hans-CN", "zh-SG") is the
 * zh_CN catalogue; other tags as they are. */
static const char *catalogue_of(const char *tag)
{
    if (!strcasecmp(tag, "zh") || !strcasecmp(tag, "zh-CN") || !strcasecmp(tag, "zh-SG") ||
        !strncasecmp(tag, "zh-Hans", 7))
        return "zh_CN";
    return tag;
}

void language_tag(const char *lang, char tag[24])
{
    size_t n = strcspn(lang, ".@");
    /* English, and the "C" and "POSIX" locales, which speak it */
    if ((!strncasecmp(lang, "en", 2) && (n == 2 || lang[2] == '-' || lang[2] == '_')) ||
        (n == 1 && lang[0] == 'C') || (n == 5 && !strncmp(lang, "POSIX", 5))) {
        snprintf(tag, 24, "en");
        return;
    }
    /* as a language tag is written: "zh_cn" is "zh-CN" */
    snprintf(tag, 24, "%.*s", (int)(n < 23 ? n : 23), lang);
    bool region = false;
    for (char *u = tag; *u; u++) {
        if (*u == '_' || *u == '-') {
            *u = '-';
            region = true;
        } else if (*u >= 'A' && *u <= 'Z' && !region) {
            *u = (char)(*u - 'A' + 'a');
        } else if (*u >= 'a' && *u <= 'z' && region) {
            *u = (char)(*u - 'a' + 'A');
        }
    }
}

int language_default(const char *lang, char *err, size_t err_size)
{
    char name[24];
    const char *cat = catalogue_of(lang);
    if (pledger_set_thread_language(cat) != 0) {
        snprintf(err, err_size, "language: pledger has no translation into '%s' (zh-CN or en)",
                 lang);
        return -1;
    }
    pledger_set_thread_language(NULL);
    /* as LANGUAGE takes it: "zh_CN" */
    snprintf(name, sizeof name, "%.*s", (int)strcspn(cat, ".@"), cat);
    for (char *u = name; *u; u++)
        if (*u == '-')
            *u = '_';
    if (pledger_set_language(name) != 0) {
        snprintf(err, err_size, "language: '%s' is not a language name (zh-CN or en)", lang);
        return -1;
    }
    return 0;
}

bool language_pick(const char *accept, char tag[24])
{
    choice c[MAX_CHOICES];
    size_t n = 0;

    tag[0] = '\0';
    if (!accept)
        return false;
    for (const char *p = accept; *p && n < MAX_CHOICES;) {
        size_t len = strcspn(p, ",");
        size_t t = strcspn(p, ";");
        if (t > len)
            t = len;
        const char *name = p;
        size_t nl = t;
        while (nl && (*name == ' ' || *name == '\t'))
            name++, nl--;
        while (nl && (name[nl - 1] == ' ' || name[nl - 1] == '\t'))
            nl--;
        int q = t < len ? quality(p + t + 1, len - t - 1) : 1000;
        if (nl && nl < sizeof c[0].tag && q > 0) {
            memcpy(c[n].tag, name, nl);
            c[n].tag[nl] = '\0';
            c[n].q = q;
            n++;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    /* by quality, the order given among equals (an insertion sort: stable) */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && c[j].q > c[j - 1].q; j--) {
            choice tmp = c[j];
            c[j] = c[j - 1];
            c[j - 1] = tmp;
        }
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(c[i].tag, "*"))
            break; /* anything: the service's own language */
        const char *cat = catalogue_of(c[i].tag);
        if (pledger_set_thread_language(cat) != 0)
            continue;
        language_tag(cat, tag);
        return true;
    }
    return false;
}
