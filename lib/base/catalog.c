/* Reading compiled catalogues (base/catalog.h).  The .mo format, as GNU
 * msgfmt writes it: a header of 32-bit words (magic 0x950412de in the
 * writer's byte order, revision, count N, offset of the table of
 * original strings, offset of the table of translations), then two tables
 * of N (length, offset) pairs; the originals sorted by their bytes, each
 * string NUL-terminated; a message with a context is "context\004msgid".
 *
 * Revision 1 adds the messages whose format names a <inttypes.h> macro
 * ("%<PRIu64>"), which msgfmt cannot write out for every platform: each
 * is kept as pieces -- runs of bytes and the names of the macros between
 * them (header words 7 to 11: the names' table, the two tables of such
 * messages) -- and is put together here, at load, with this platform's
 * value of each macro ("lu"), as glibc's gettext does.  Without them every
 * message with a 64-bit number stayed English in a language chosen per
 * thread (pledgerd's answers), while the process's language had them.
 *
 * Every offset and length is checked before a string is used. */
#include "base/catalog.h"

#include <errno.h>
#include <inttypes.h>
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
    /* the messages with a macro in them, put together (revision 1),
     * sorted by their original */
    char **sys_orig, **sys_trans;
    uint32_t n_sys;
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

/* This platform's value of the <inttypes.h> macro @name ("PRIu64":
 * "lu"), as msgfmt names them; NULL for one not known here (its message
 * is left out, as gettext leaves it). */
static const char *macro_value(const char *name, size_t len)
{
    static const struct { const char *name, *value; } macros[] = {
#define M(n) { #n, n }
        M(PRId8), M(PRIi8), M(PRIo8), M(PRIu8), M(PRIx8), M(PRIX8),
        M(PRId16), M(PRIi16), M(PRIo16), M(PRIu16), M(PRIx16), M(PRIX16),
        M(PRId32), M(PRIi32), M(PRIo32), M(PRIu32), M(PRIx32), M(PRIX32),
        M(PRId64), M(PRIi64), M(PRIo64), M(PRIu64), M(PRIx64), M(PRIX64),
        M(PRIdMAX), M(PRIiMAX), M(PRIoMAX), M(PRIuMAX), M(PRIxMAX), M(PRIXMAX),
        M(PRIdPTR), M(PRIiPTR), M(PRIoPTR), M(PRIuPTR), M(PRIxPTR), M(PRIXPTR),
#undef M
        { "I", "I" }, /* the flag of locale digits, glibc's */
    };
    for (size_t i = 0; i < sizeof macros / sizeof macros[0]; i++)
        if (strlen(macros[i].name) == len && memcmp(macros[i].name, name, len) == 0)
            return macros[i].value;
    return NULL;
}

/* The message of revision 1 whose description is at @at: its runs of
 * bytes from the description's offset, each followed by the value of a
 * macro (@values, @nseg of them) until the end mark, the last run ending
 * with the message's NUL (allocated; NULL
 * when a bound or a macro fails, *@bad then true unless only a macro is
 * not known here). */
static char *sysdep_string(const pl_catalog *c, uint32_t at, const char *const *values,
                           uint32_t nseg, bool *bad)
{
    const uint32_t end_mark = 0xffffffffu;
    size_t len = 0, pos, from, runs_len = 0;

    *bad = true;
    if (at % 4 || (size_t)at + 4 > c->size)
        return NULL;
    from = word(c, at);
    /* first the length: runs and values */
    for (pos = (size_t)at + 4;; pos += 8) {
        if (pos + 8 > c->size)
            return NULL;
        uint32_t run = word(c, pos), ref = word(c, pos + 4);
        if (run > c->size || from + runs_len + run > c->size)
            return NULL;
        runs_len += run;
        len += run;
        if (ref == end_mark)
            break;
        if (ref >= nseg)
            return NULL;
        if (!values[ref]) {
            *bad = false; /* a macro this platform does not name: left out */
            return NULL;
        }
        len += strlen(values[ref]);
        if (len > MO_MAX_SIZE)
            return NULL;
    }
    char *out = malloc(len + 1), *o = out;
    if (!out)
        return NULL;
    size_t runs = 0;
    for (pos = (size_t)at + 4;; pos += 8) {
        uint32_t run = word(c, pos), ref = word(c, pos + 4);
        memcpy(o, c->data + from + runs, run);
        o += run;
        runs += run;
        if (ref == end_mark)
            break;
        size_t vl = strlen(values[ref]);
        memcpy(o, values[ref], vl);
        o += vl;
    }
    *o = '\0';
    /* the last run ends with the message's NUL, and no other NUL is in
     * it (one would end the message early: not a catalogue's) */
    if (len == 0 || out[len - 1] != '\0' || strlen(out) != len - 1) {
        free(out);
        return NULL;
    }
    *bad = false;
    return out;
}

static int by_original(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The messages with a macro in them (revision 1), put together and
 * sorted; false when the file's tables are out of bounds. */
static bool load_sysdep(pl_catalog *c)
{
    if (c->size < 48)
        return true; /* a revision 1 header written short: none */
    uint32_t nseg = word(c, 28), segs = word(c, 32), n = word(c, 36), orig = word(c, 40),
             trans = word(c, 44);
    if (n == 0)
        return true;
    if (nseg > c->size / 8 || n > c->size / 8 || (size_t)segs + (size_t)nseg * 8 > c->size ||
        (size_t)orig + (size_t)n * 4 > c->size || (size_t)trans + (size_t)n * 4 > c->size)
        return false;
    const char **values = calloc(nseg ? nseg : 1, sizeof *values);
    if (!values || !(c->sys_orig = calloc(n, sizeof *c->sys_orig)) ||
        !(c->sys_trans = calloc(n, sizeof *c->sys_trans))) {
        free(values);
        return false;
    }
    for (uint32_t i = 0; i < nseg; i++) {
        size_t entry = (size_t)segs + (size_t)i * 8;
        uint32_t len = word(c, entry), off = word(c, entry + 4);
        if ((size_t)off + len > c->size) {
            free(values);
            return false;
        }
        /* a name is written with its NUL, which its length may count */
        size_t nl = len && c->data[off + len - 1] == '\0' ? len - 1 : len;
        values[i] = macro_value((const char *)c->data + off, nl);
    }
    bool ok = true;
    for (uint32_t i = 0; i < n && ok; i++) {
        bool bad_o = false, bad_t = false;
        char *o = sysdep_string(c, word(c, (size_t)orig + (size_t)i * 4), values, nseg, &bad_o);
        char *t = o ? sysdep_string(c, word(c, (size_t)trans + (size_t)i * 4), values, nseg,
                                    &bad_t)
                    : NULL;
        if (o && t) {
            c->sys_orig[c->n_sys] = o;
            c->sys_trans[c->n_sys++] = t;
            continue;
        }
        free(o);
        free(t);
        ok = !bad_o && !bad_t;
    }
    free(values);
    if (!ok)
        return false;
    if (c->n_sys == 0)
        return true; /* every one names a macro this platform lacks */
    /* sorted by original, the translation moving with it */
    char **pairs = malloc((size_t)c->n_sys * 2 * sizeof *pairs);
    if (!pairs)
        return false;
    for (uint32_t i = 0; i < c->n_sys; i++) {
        pairs[2 * i] = c->sys_orig[i];
        pairs[2 * i + 1] = c->sys_trans[i];
    }
    qsort(pairs, c->n_sys, 2 * sizeof *pairs, by_original);
    for (uint32_t i = 0; i < c->n_sys; i++) {
        c->sys_orig[i] = pairs[2 * i];
        c->sys_trans[i] = pairs[2 * i + 1];
    }
    free(pairs);
    return true;
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
    if ((word(c, 4) & 0xffffu) >= 1 && !load_sysdep(c))
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
    for (uint32_t i = 0; i < c->n_sys; i++) {
        free(c->sys_orig[i]);
        free(c->sys_trans[i]);
    }
    free(c->sys_orig);
    free(c->sys_trans);
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
    /* a message with a macro in it */
    for (lo = 0, hi = c->n_sys; lo < hi;) {
        uint32_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(msgid, c->sys_orig[mid]);
        if (cmp == 0)
            return *c->sys_trans[mid] ? c->sys_trans[mid] : NULL;
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
