#include "jsonw.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jw_init(jw *w) { memset(w, 0, sizeof *w); }
void jw_free(jw *w) { free(w->buf); memset(w, 0, sizeof *w); }

static void put(jw *w, const char *s, size_t n)
{
    if (w->oom)
        return;
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap < w->len + n + 1)
            cap *= 2;
        char *b = realloc(w->buf, cap);
        if (!b) {
            w->oom = true;
            return;
        }
        w->buf = b;
        w->cap = cap;
    }
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

/* The JSON string of @s: runs of characters that need no escape are
 * copied at once (an answer is mostly such runs). */
static void quoted(jw *w, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;

    put(w, "\"", 1);
    for (;; p++) {
        unsigned char ch = *p;
        if (ch >= 0x20 && ch != '"' && ch != '\\' && ch != 0x7f)
            continue;
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

void jw_int(jw *w, int64_t v)
{
    char b[24];
    value_start(w);
    put(w, b, (size_t)snprintf(b, sizeof b, "%" PRId64, v));
}

void jw_uint(jw *w, uint64_t v)
{
    char b[24];
    value_start(w);
    put(w, b, (size_t)snprintf(b, sizeof b, "%" PRIu64, v));
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

void jw_kstr(jw *w, const char *key, const char *s) { jw_key(w, key); jw_str(w, s); }
void jw_kint(jw *w, const char *key, int64_t v) { jw_key(w, key); jw_int(w, v); }

const char *jw_text(jw *w)
{
    if (!w->buf && !w->oom)
        put(w, "", 0);
    return w->oom ? NULL : w->buf;
}
