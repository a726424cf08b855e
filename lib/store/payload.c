/* A journal event's payload, read once per event: its members and
 * elements with their raw JSON text, looked up by name through a small
 * open-addressing table.  Used by store/apply.c to bind the statements'
 * parameters without SQLite parsing the payload again for each. */
#include "store/payload.h"
#include "store/sqlite.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Keys are short identifiers: their length and three of their bytes tell
 * nearly all apart (the table resolves the rest). */
static unsigned key_hash(int parent, const char *key, size_t len)
{
    uint32_t h = (uint32_t)len * 0x9E3779B1u;
    if (len) {
        h ^= (unsigned char)key[0] | (uint32_t)(unsigned char)key[len / 2] << 8 |
             (uint32_t)(unsigned char)key[len - 1] << 16;
        h *= 0x85EBCA6Bu;
    }
    h ^= (uint32_t)(parent + 1) * 0xC2B2AE35u;
    return (unsigned)(h ^ h >> 15 ^ h >> 23) & (PL_PAYLOAD_SLOTS - 1);
}

/* Index member @i by its parent and key; a key given twice in one object
 * keeps its first member, the one -> and ->> find. */
static void slot_put(pl_payload *p, int i)
{
    const pl_member *m = &p->m[i];
    unsigned h = key_hash(m->parent, m->key, m->klen);

    for (; p->slot[h]; h = (h + 1) & (PL_PAYLOAD_SLOTS - 1)) {
        const pl_member *o = &p->m[p->slot[h] - 1];
        if (o->parent == m->parent && o->klen == m->klen &&
            memcmp(o->key, m->key, m->klen) == 0)
            return;
    }
    p->slot[h] = (short)(i + 1);
}

static int slot_get(const pl_payload *p, int parent, const char *key, size_t len)
{
    for (unsigned h = key_hash(parent, key, len); p->slot[h]; h = (h + 1) & (PL_PAYLOAD_SLOTS - 1)) {
        const pl_member *o = &p->m[p->slot[h] - 1];
        if (o->parent == parent && o->klen == len && memcmp(o->key, key, len) == 0)
            return p->slot[h] - 1;
    }
    return -1;
}

static bool is_key_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

/* A string at @s (on its opening quote): the byte after it, or NULL.
 * *esc: it holds an escape; *u: one of them is \u. */
static const char *scan_string(const char *s, const char *end, bool *esc, bool *u)
{
    *esc = *u = false;
    for (s++;; s++) {
        /* many bytes at a time while none is '"', '\\' or below 0x20 */
#ifdef __SSE2__
        const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
        const __m128i ctl = _mm_set1_epi8(0x1F);
        while (end - s >= 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
            __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote),
                                                    _mm_cmpeq_epi8(x, bslash)),
                                       _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x));
            int m = _mm_movemask_epi8(hit);
            if (m) {
                s += __builtin_ctz((unsigned)m);
                break;
            }
            s += 16;
        }
#endif
        while (end - s >= 8) {
            uint64_t x, q, b, lo;
            memcpy(&x, s, 8);
            q = x ^ UINT64_C(0x2222222222222222);
            b = x ^ UINT64_C(0x5C5C5C5C5C5C5C5C);
            q = (q - UINT64_C(0x0101010101010101)) & ~q;
            b = (b - UINT64_C(0x0101010101010101)) & ~b;
            lo = (x - UINT64_C(0x2020202020202020)) & ~x;
            if ((q | b | lo) & UINT64_C(0x8080808080808080))
                break;
            s += 8;
        }
        unsigned char c = (unsigned char)*s;
        if (c == '"')
            return s + 1;
        if (c < 0x20)
            return NULL; /* also the terminating NUL */
        if (c == '\\') {
            *esc = true;
            c = (unsigned char)*++s;
            if (c == 'u') {
                *u = true;
                for (int k = 1; k <= 4; k++) {
                    char h = s[k];
                    if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') ||
                          (h >= 'A' && h <= 'F')))
                        return NULL;
                }
                s += 4;
            } else {
                switch (c) {
                case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                    break;
                default:
                    return NULL;
                }
            }
        }
    }
}

static const char *scan_value(pl_payload *p, const char *s, int self, bool rec, int depth,
                              unsigned char *type);

/* Forget the members from @first on. */
static void forget_from(pl_payload *p, int first)
{
    for (unsigned h = 0; h < PL_PAYLOAD_SLOTS; h++)
        if (p->slot[h] > first)
            p->slot[h] = 0;
    p->n = first;
}

/* A new member of @self (key @k, NULL for an array's element) whose value
 * starts at @v; its index, or -1 when the payload has too many. */
static int add_member(pl_payload *p, const char *k, size_t klen, const char *v, int self)
{
    int i;
    if (p->n == PL_PAYLOAD_MAX_MEMBERS) {
        p->full = true;
        return -1;
    }
    i = p->n++;
    p->m[i] = (pl_member){ .key = k, .klen = (unsigned)klen, .val = v, .parent = self };
    if (k)
        slot_put(p, i);
    return i;
}

/* Scan the value at @v of member @i (when @rec) and record its extent and
 * type; the byte after it, or NULL. */
static const char *scan_member(pl_payload *p, const char *v, int i, bool rec, int depth)
{
    unsigned char t;
    const char *s = scan_value(p, v, i, rec, depth, &t);
    if (s && rec) {
        if ((size_t)(s - v) > INT_MAX)
            return NULL;
        p->m[i].vlen = (unsigned)(s - v);
        p->m[i].type = t;
    }
    return s;
}

/* One JSON value at @s; its members (an array's elements too) are
 * recorded when @rec (it is the value of member @self).  The byte after
 * it, or NULL when it is not canonical. */
static const char *scan_value(pl_payload *p, const char *s, int self, bool rec, int depth,
                              unsigned char *type)
{
    bool esc, u;

    if (depth > PL_PAYLOAD_MAX_DEPTH)
        return NULL;
    *type = PL_J_OTHER;
    switch (*s) {
    case '"':
        s = scan_string(s, p->end, &esc, &u);
        *type = u ? PL_J_OTHER : esc ? PL_J_ESC : PL_J_STR;
        return s;
    case 't':
        *type = PL_J_TRUE;
        return strncmp(s, "true", 4) == 0 ? s + 4 : NULL;
    case 'f':
        *type = PL_J_FALSE;
        return strncmp(s, "false", 5) == 0 ? s + 5 : NULL;
    case 'n':
        *type = PL_J_NULL;
        return strncmp(s, "null", 4) == 0 ? s + 4 : NULL;
    case '[': {
        const char *start = s;
        int first = p->n;
        *type = PL_J_ARRAY;
        if (*++s == ']')
            return s + 1;
        for (;;) {
            int i = rec ? add_member(p, NULL, 0, s, self) : -1;
            if ((rec && i < 0) || !(s = scan_member(p, s, i, rec, depth + 1)))
                break;
            if (*s == ']')
                return s + 1;
            if (*s++ != ',') {
                s = NULL;
                break;
            }
        }
        if (!rec || !p->full)
            return NULL;
        /* too many members: the array is one, its elements unread (the
         * members recorded since it began were indexed after every other:
         * taking them out breaks no other's probe sequence) */
        forget_from(p, first);
        p->full = false;
        s = scan_value(p, start, self, false, depth, type);
        *type = PL_J_OTHER;
        return s;
    }
    case '{':
        *type = PL_J_OBJECT;
        if (*++s == '}')
            return s + 1;
        for (;;) {
            const char *k = s + 1, *v;
            int i = -1;
            if (*s != '"')
                return NULL;
            while (is_key_char((unsigned char)*++s))
                if (s[0] == '_' && s[-1] == '_')
                    return NULL; /* "__" separates the levels of a name */
            if (*s != '"' || s == k || s[1] != ':')
                return NULL;
            /* nor may a key start or end with '_': "a___b" would not say
             * which level the third '_' belongs to (fuzz-payload) */
            if (k[0] == '_' || s[-1] == '_')
                return NULL;
            v = s + 2;
            if (rec && (i = add_member(p, k, (size_t)(s - k), v, self)) < 0)
                return NULL;
            if (!(s = scan_member(p, v, i, rec, depth + 1)))
                return NULL;
            if (*s == '}')
                return s + 1;
            if (*s++ != ',')
                return NULL;
        }
    default: {
        /* integers of at most 18 digits; any other number is SQLite's */
        const char *d = s + (*s == '-');
        size_t n = 0;
        while (d[n] >= '0' && d[n] <= '9')
            n++;
        if (n == 0 || (d[0] == '0' && n > 1))
            return NULL;
        if (d[n] == '.' || d[n] == 'e' || d[n] == 'E' || n > 18)
            return NULL;
        *type = PL_J_INT;
        return d + n;
    }
    }
}

void pl_payload_read(pl_payload *p, const char *text)
{
    unsigned char t;
    const char *end;

    p->text = text;
    p->end = text + strlen(text);
    p->n = 0;
    p->full = false;
    memset(p->slot, 0, sizeof p->slot);
    end = *text == '{' ? scan_value(p, text, -1, true, 0, &t) : NULL;
    p->plain = end && *end == '\0';
}

/* The member named by @name ("a__b" for $.a.b) inside member @i (-1: at
 * the top), or NULL. */
const pl_member *pl_payload_find(const pl_payload *p, int i, const char *name)
{
    for (;;) {
        size_t len = 0;
        while (name[len] && !(name[len] == '_' && name[len + 1] == '_'))
            len++;
        if ((i = slot_get(p, i, name, len)) < 0)
            return NULL;
        if (!name[len])
            return &p->m[i];
        name += len + 2;
    }
}

/* A string's text without its escapes (none is \u), for SQLite to free. */
/* The @n bytes at @s without their escapes (none is \u) into @out (room
 * for n + 1); returns the length written, NUL excluded. */
static size_t unescape_into(char *out, const char *s, size_t n)
{
    char *o = out;
    const char *end = s + n;

    while (s < end) {
        const char *bs = memchr(s, '\\', (size_t)(end - s));
        size_t k = (size_t)((bs ? bs : end) - s);
        memcpy(o, s, k);
        o += k;
        s += k;
        if (!bs)
            break;
        char c = s[1];
        switch (c) {
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        default: break; /* '"', '\\', '/' */
        }
        *o++ = c;
        s += 2;
    }
    *o = '\0';
    return (size_t)(o - out);
}

char *pl_payload_unescape(const char *s, size_t n, size_t *out_len)
{
    char *out = sqlite3_malloc64(n + 1);
    if (out)
        *out_len = unescape_into(out, s, n);
    return out;
}

char *pl_payload_string(const pl_member *m)
{
    if (m->type != PL_J_STR && m->type != PL_J_ESC)
        return NULL;
    char *out = malloc((size_t)m->vlen - 1);
    if (out)
        unescape_into(out, m->val + 1, (size_t)m->vlen - 2);
    return out;
}


int64_t pl_payload_int(const pl_member *m)
{
    const char *d = m->val + (m->val[0] == '-');
    int64_t v = 0;
    while (*d >= '0' && *d <= '9')
        v = v * 10 + (*d++ - '0');
    return m->val[0] == '-' ? -v : v;
}
