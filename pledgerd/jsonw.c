#include "jsonw.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jw_init(jw *w) { memset(w, 0, sizeof *w); }
void jw_free(jw *w) { free(w->buf); memset(w, 0, sizeof *w); }

/* Room for @n more bytes and the NUL after them; false (w->oom) when
 * there is none. */
static bool room(jw *w, size_t n)
{
    if (w->oom)
        return false;
    if (w->len + n + 1 <= w->cap)
        return true;
    size_t cap = w->cap ? w->cap : 256;
    while (cap < w->len + n + 1)
        cap *= 2;
    char *b = realloc(w->buf, cap);
    if (!b) {
        w->oom = true;
        return false;
    }
    w->buf = b;
    w->cap = cap;
    return true;
}

static void put(jw *w, const char *s, size_t n)
{
    if (!room(w, n))
        return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

static void value_start(jw *w)
{
    if (w->comma)
        put(w, ",", 1);
    w->comma = true;
}

void jw_obj(jw *w) { value_start(w); put(w, "{", 1); w->comma = false; }
void jw_end_obj(jw *w) { put(w, "}", 1); w->comma = true; }
void jw_arr(jw *w) { value_start(w); put(w, "[", 1); w->comma = false; }
void jw_end_arr(jw *w) { put(w, "]", 1); w->comma = true; }

/* The bytes a JSON string holds as they are (RFC 8259: not '"', not
 * '\\', not a control character; DEL escaped too); 0 ends the string;
 * 2: the first byte of a UTF-8 sequence, kept when utf8_len() takes it. */
static const unsigned char as_is[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x10 */
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 0x20: '"' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,  /* 0x50: '\\' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,  /* 0x70: DEL */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* 0x80..0xff: UTF-8 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

/* The length of the well-formed UTF-8 sequence at @p (RFC 3629: no
 * overlong form, no surrogate, nothing past U+10FFFF), 0 if there is
 * none.  A string the service writes may quote what a client sent (a
 * parser's message naming a tag of a body in another encoding): JSON is
 * UTF-8, and a client that reads it strictly would not read the answer. */
static size_t utf8_len(const unsigned char *p)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xbf;
    size_t n;

    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
    else
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return n;
}

/* The JSON string of @s.  Most strings of an answer need no escape: they
 * are written in one copy; the others by runs between escapes.  A byte
 * that begins no well-formed UTF-8 sequence is written as U+FFFD. */
static void quoted(jw *w, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *run;
    size_t n = 0, k;

    for (;;) {
        if (as_is[p[n]] == 1)
            n++;
        else if (as_is[p[n]] == 2 && (k = utf8_len(p + n)))
            n += k;
        else
            break;
    }
    if (!p[n]) {
        if (!room(w, n + 2))
            return;
        char *o = w->buf + w->len;
        o[0] = '"';
        memcpy(o + 1, s, n);
        o[n + 1] = '"';
        o[n + 2] = '\0';
        w->len += n + 2;
        return;
    }
    put(w, "\"", 1);
    for (run = p, p += n;; p++) {
        unsigned char ch = *p;
        if (as_is[ch] == 1)
            continue;
        if (as_is[ch] == 2 && (k = utf8_len(p))) {
            p += k - 1;
            continue;
        }
        if (p > run)
            put(w, (const char *)run, (size_t)(p - run));
        if (!ch)
            break;
        char esc[8];
        switch (ch) {
        case '"': put(w, "\\\"", 2); break;
        case '\\': put(w, "\\\\", 2); break;
        case '\n': put(w, "\\n", 2); break;
        case '\r': put(w, "\\r", 2); break;
        case '\t': put(w, "\\t", 2); break;
        default:
            if (ch >= 0x80) {   /* not UTF-8: the replacement character */
                put(w, "\\ufffd", 6);
                break;
            }
            snprintf(esc, sizeof esc, "\\u%04x", ch);
            put(w, esc, 6);
        }
        run = p + 1;
    }
    put(w, "\"", 1);
}

void jw_key(jw *w, const char *key)
{
    value_start(w);
    quoted(w, key);
    put(w, ":", 1);
    w->comma = false;
}

void jw_str(jw *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    value_start(w);
    quoted(w, s);
}

/* @v in decimal, "-" first when @neg, written at the end of @b (24
 * bytes): its first byte. */
static char *decimal(char b[24], uint64_t v, bool neg)
{
    char *o = b + 24;
    do
        *--o = (char)('0' + v % 10);
    while (v /= 10);
    if (neg)
        *--o = '-';
    return o;
}

void jw_int(jw *w, int64_t v)
{
    char b[24];
    /* the magnitude as unsigned: -INT64_MIN does not fit an int64_t */
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char *o = decimal(b, m, v < 0);
    value_start(w);
    put(w, o, (size_t)(b + 24 - o));
}

void jw_uint(jw *w, uint64_t v)
{
    char b[24];
    char *o = decimal(b, v, false);
    value_start(w);
    put(w, o, (size_t)(b + 24 - o));
}

void jw_bool(jw *w, bool v)
{
    value_start(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(jw *w)
{
    value_start(w);
    put(w, "null", 4);
}

/* The characters of Unicode's categories Cf (format), Zl and Zp (line
 * and paragraph separators), as ranges: invisible, or turning the text
 * around them (Unicode 15). */
static const struct { uint32_t lo, hi; } unseen[] = {
    { 0x00AD, 0x00AD }, { 0x0600, 0x0605 }, { 0x061C, 0x061C }, { 0x06DD, 0x06DD },
    { 0x070F, 0x070F }, { 0x0890, 0x0891 }, { 0x08E2, 0x08E2 }, { 0x180E, 0x180E },
    { 0x200B, 0x200F }, { 0x2028, 0x202E }, { 0x2060, 0x2064 }, { 0x2066, 0x206F },
    { 0xFEFF, 0xFEFF }, { 0xFFF9, 0xFFFB }, { 0x110BD, 0x110BD }, { 0x110CD, 0x110CD },
    { 0x13430, 0x1343F }, { 0x1BCA0, 0x1BCA3 }, { 0x1D173, 0x1D17A }, { 0xE0001, 0xE0001 },
    { 0xE0020, 0xE007F },
};

bool jw_unseen(uint32_t cp)
{
    for (size_t i = 0; i < sizeof unseen / sizeof unseen[0] && unseen[i].lo <= cp; i++)
        if (cp <= unseen[i].hi)
            return true;
    return false;
}

size_t jw_shown(char *out, size_t size, const char *msg)
{
    const unsigned char *p = (const unsigned char *)(msg ? msg : "");
    size_t o = 0, used = 0;   /* the whole length; of it, what @out holds */
    bool full = size == 0;

    while (*p) {
        char esc[12];
        const char *piece = (const char *)p;
        size_t n = 1, k = *p < 0x80 ? 1 : utf8_len(p);
        if (*p < 0x20 || *p == 0x7f || k == 0) {
            /* a control character, or a byte no UTF-8 sequence begins */
            snprintf(esc, sizeof esc, "\\x%02x", *p);
            piece = esc;
            n = 4;
            k = 1;
        } else if (k > 1) {
            uint32_t cp = *p & (k == 2 ? 0x1f : k == 3 ? 0x0f : 0x07);
            for (size_t i = 1; i < k; i++)
                cp = cp << 6 | (p[i] & 0x3f);
            n = k;
            if (cp >= 0x80 && cp <= 0x9f) {   /* C1 */
                snprintf(esc, sizeof esc, "\\x%02x", (unsigned)cp);
                piece = esc;
                n = 4;
            } else if (jw_unseen(cp)) {
                snprintf(esc, sizeof esc, cp > 0xffff ? "\\U%08X" : "\\u%04X", (unsigned)cp);
                piece = esc;
                n = strlen(esc);
            }
        }
        if (!full && used + n < size) {
            memcpy(out + used, piece, n);
            used += n;
        } else {
            full = true;   /* cut here: no piece after it either */
        }
        o += n;
        p += k;
    }
    if (size)
        out[used] = '\0';
    return o;
}

void jw_kmsg(jw *w, const char *key, const char *msg)
{
    char small[512];
    size_t n = jw_shown(small, sizeof small, msg);
    char *big = n < sizeof small ? NULL : malloc(n + 1);
    if (n >= sizeof small && !big) {
        w->oom = true;
        return;
    }
    if (big)
        jw_shown(big, n + 1, msg);
    jw_kstr(w, key, big ? big : small);
    free(big);
}

void jw_kstr(jw *w, const char *key, const char *s) { jw_key(w, key); jw_str(w, s); }
void jw_kint(jw *w, const char *key, int64_t v) { jw_key(w, key); jw_int(w, v); }

const char *jw_text(jw *w)
{
    if (!w->buf && !w->oom)
        put(w, "", 0);
    return w->oom ? NULL : w->buf;
}
