/* Reading compiled catalogues (base/catalog.h).  The .mo format, as GNU
 * msgfmt writes it: a header of 32-bit words (magic 0x950412de in the
 * writer's byte order, revision, count N, offset of the table of
 * original strings, offset of the table of translations), then two tables
 * of N (length, offset) pairs; the originals sorted by their bytes, each
 * string NUL-terminated; a message with a context is "context\004msgid".
 * Every offset and length is checked before a string is used. */
#include "base/catalog.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MO_MAGIC 0x950412deu
#define MO_MAX_SIZE (64u << 20)

struct pl_catalog {
    unsigned char *data;
    size_t size;
    uint32_t n, originals, translations;
    bool swap;
    char lang[64];
    struct pl_catalog *next; /* the process's list of loaded catalogues */
};

static uint32_t word(const pl_catalog *c, size_t at)
{
    uint32_t v;
    memcpy(&v, c->data + at, 4);
    if (c->swap)
        v = (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
    return v;
}

/* String @i of the table at @table: its bytes, NULL when out of bounds
 * or not NUL-terminated at its length. */
static const char *string_at(const pl_catalog *c, uint32_t table, uint32_t i)
{
    size_t entry = (size_t)table + (size_t)i * 8;
    uint32_t len = word(c, entry), off = word(c, entry + 4);

    if ((size_t)off + len >= c->size || c->data[(size_t)off + len] != '\0')
        return NULL;
    return (const char *)c->data + off;
}

pl_catalog *pl_catalog_parse(const void *data, size_t size)
{
    pl_catalog *c;

    if (!data || size < 20 || size > MO_MAX_SIZE || !(c = calloc(1, sizeof *c)))
        return NULL;
    if (!(c->data = malloc(size))) {
        free(c);
        return NULL;
    }
    memcpy(c->data, data, size);
    c->size = size;
    uint32_t magic;
    memcpy(&magic, c->data, 4);
    c->swap = magic != MO_MAGIC;
    if (word(c, 0) != MO_MAGIC || (word(c, 4) >> 16) != 0)
        goto bad;
    c->n = word(c, 8);
    c->originals = word(c, 12);
    c->translations = word(c, 16);
    /* both tables inside the file, then every string of both */
    if (c->n > size / 16 || (size_t)c->originals + (size_t)c->n * 8 > size ||
        (size_t)c->translations + (size_t)c->n * 8 > size || c->originals % 4 ||
        c->translations % 4)
        goto bad;
    for (uint32_t i = 0; i < c->n; i++)
        if (!string_at(c, c->originals, i) || !string_at(c, c->translations, i))
            goto bad;
    return c;
bad:
    pl_catalog_free(c);
    return NULL;
}

void pl_catalog_free(pl_catalog *c)
{
    if (!c)
        return;
    free(c->data);
    free(c);
}

const char *pl_catalog_find(const pl_catalog *c, const char *msgid)
{
    uint32_t lo = 0, hi;

    if (!c || !msgid || !*msgid)
        return NULL;
    hi = c->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(msgid, string_at(c, c->originals, mid));
        if (cmp == 0) {
            const char *t = string_at(c, c->translations, mid);
            return t && *t ? t : NULL;
        }
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* The bytes of @path (*@size), NULL when it cannot be read or is larger
 * than a catalogue may be. */
static unsigned char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && (unsigned long)n <= MO_MAX_SIZE &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)) &&
        fread(buf, 1, (size_t)n, f) == (size_t)n)
        *size = (size_t)n;
    else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static pthread_mutex_t loaded_lock = PTHREAD_MUTEX_INITIALIZER;
static pl_catalog *loaded;     /* kept until the process ends */
static char missing[32][64];   /* languages found to have none */
static unsigned n_missing;

const pl_catalog *pl_catalog_get(const char *dir, const char *domain, const char *lang)
{
    pl_catalog *c;
    char path[4096];
    size_t size = 0;

    if (!dir || !domain || !lang || strlen(lang) >= sizeof c->lang)
        return NULL;
    pthread_mutex_lock(&loaded_lock);
    for (c = loaded; c; c = c->next)
        if (strcmp(c->lang, lang) == 0)
            goto out;
    for (unsigned i = 0; i < n_missing; i++)
        if (strcmp(missing[i], lang) == 0)
            goto out;
    if (snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/%s.mo", dir, lang, domain) <
        (int)sizeof path) {
        unsigned char *bytes = slurp(path, &size);
        c = bytes ? pl_catalog_parse(bytes, size) : NULL;
        free(bytes);
    }
    if (c) {
        snprintf(c->lang, sizeof c->lang, "%s", lang);
        c->next = loaded;
        loaded = c;
    } else if (n_missing < sizeof missing / sizeof missing[0]) {
        snprintf(missing[n_missing++], sizeof missing[0], "%s", lang);
    }
out:
    pthread_mutex_unlock(&loaded_lock);
    return c;
}
