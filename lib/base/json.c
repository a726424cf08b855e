#include "base/json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(pl_json *j, const char *s, size_t n)
{
    if (j->oom)
        return;
    if (j->len + n + 1 > j->cap) {
        size_t cap = j->cap ? j->cap : 128;
        while (cap < j->len + n + 1)
            cap *= 2;
        char *b = realloc(j->buf, cap);
        if (!b) {
            j->oom = true;
            return;
        }
        j->buf = b;
        j->cap = cap;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void puts_(pl_json *j, const char *s) { put(j, s, strlen(s)); }

static void quoted(pl_json *j, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    put(j, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[7];
        /* a run of characters that need no escape goes in one copy */
        const unsigned char *run = p;
        while (*p >= 0x20 && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            put(j, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        switch (*p) {
        case '"': puts_(j, "\\\""); break;
        case '\\': puts_(j, "\\\\"); break;
        case '\n': puts_(j, "\\n"); break;
        case '\r': puts_(j, "\\r"); break;
        case '\t': puts_(j, "\\t"); break;
        default: /* the other control characters */
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[*p >> 4];
            esc[5] = hex[*p & 15];
            put(j, esc, 6);
        }
    }
    put(j, "\"", 1);
}

static void sep(pl_json *j)
{
    if (!j->first)
        put(j, ",", 1);
    j->first = false;
}

void pl_json_init(pl_json *j)
{
    memset(j, 0, sizeof *j);
    put(j, "{", 1);
    j->first = true;
}

void pl_json_key(pl_json *j, const char *key)
{
    sep(j);
    if (key) {
        quoted(j, key);
        put(j, ":", 1);
    }
}

void pl_json_str(pl_json *j, const char *key, const char *value)
{
    pl_json_key(j, key);
    if (value)
        quoted(j, value);
    else
        puts_(j, "null");
}

void pl_json_int(pl_json *j, const char *key, int64_t value)
{
    char num[24];
    pl_json_key(j, key);
    snprintf(num, sizeof num, "%" PRId64, value);
    puts_(j, num);
}

void pl_json_bool(pl_json *j, const char *key, bool value)
{
    pl_json_key(j, key);
    puts_(j, value ? "true" : "false");
}

void pl_json_null(pl_json *j, const char *key)
{
    pl_json_key(j, key);
    puts_(j, "null");
}

void pl_json_raw(pl_json *j, const char *key, const char *raw)
{
    pl_json_key(j, key);
    puts_(j, raw);
}

void pl_json_begin_object(pl_json *j, const char *key)
{
    pl_json_key(j, key);
    put(j, "{", 1);
    j->first = true;
}

void pl_json_end_object(pl_json *j)
{
    put(j, "}", 1);
    j->first = false;
}

void pl_json_begin_array(pl_json *j, const char *key)
{
    pl_json_key(j, key);
    put(j, "[", 1);
    j->first = true;
}

void pl_json_end_array(pl_json *j)
{
    put(j, "]", 1);
    j->first = false;
}

void pl_json_item_str(pl_json *j, const char *value) { pl_json_str(j, NULL, value); }
void pl_json_item_int(pl_json *j, int64_t value) { pl_json_int(j, NULL, value); }

char *pl_json_finish(pl_json *j)
{
    put(j, "}", 1);
    if (j->oom) {
        free(j->buf);
        j->buf = NULL;
    }
    char *out = j->buf;
    j->buf = NULL;
    return out;
}

void pl_json_discard(pl_json *j)
{
    free(j->buf);
    j->buf = NULL;
}
