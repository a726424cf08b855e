#include "base/error.h"

#include "base/i18n.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local pl_err thread_err;

pl_err *pl_err_thread(void) { return &thread_err; }

/* Messages are UTF-8 even when they quote bad input, and a message cut
 * at PL_ERRMSG_MAX does not end inside a character: every byte that does
 * not belong to a well-formed UTF-8 sequence becomes '?'. */
static void scrub_utf8(char *msg)
{
    unsigned char *s = (unsigned char *)msg;
    while (*s) {
        unsigned c = *s;
        size_t n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
                 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        size_t i = 1;
        for (; n > 1 && i < n; i++) {
            unsigned lo = 0x80, hi = 0xbf;
            if (i == 1 && c == 0xe0)
                lo = 0xa0; /* overlong */
            else if (i == 1 && c == 0xed)
                hi = 0x9f; /* surrogates */
            else if (i == 1 && c == 0xf0)
                lo = 0x90; /* overlong */
            else if (i == 1 && c == 0xf4)
                hi = 0x8f; /* above U+10FFFF */
            if (s[i] < lo || s[i] > hi)
                break;
        }
        if (n == 0 || i < n) {
            *s++ = '?';
            continue;
        }
        s += n;
    }
}

/* The length of the UTF-8 sequence led by @c (scrub_utf8() has run). */
static size_t seq_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* Write the escaped form of the scrubbed text @s into @out (room for
 * @max bytes with the NUL), whole characters only; returns its length. */
static size_t escape_into(char *out, size_t max, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;

    while (*p) {
        unsigned cp = 0x100;
        size_t n = seq_len(*p);
        if (*p < 0x20 || *p == 0x7f)
            cp = *p;
        else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            cp = p[1];
        if (cp < 0x100) {
            if (o + 4 >= max)
                break;
            snprintf(out + o, 5, "\\x%02x", cp);
            o += 4;
        } else {
            if (o + n >= max)
                break;
            memcpy(out + o, p, n);
            o += n;
        }
        p += n;
    }
    out[o] = '\0';
    return o;
}

static void trim_line_breaks(char *s)
{
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        s[--len] = '\0';
}

void pl_err_escape(char *msg, size_t size)
{
    char out[PL_ERRMSG_MAX];

    if (!msg || size == 0)
        return;
    scrub_utf8(msg);
    trim_line_breaks(msg);
    size_t o = escape_into(out, size < sizeof out ? size : sizeof out, msg);
    memcpy(msg, out, o + 1);
}

char *pl_err_escape_dup(const char *s)
{
    size_t n = strlen(s);
    char *copy = strdup(s), *out = n < SIZE_MAX / 4 ? malloc(4 * n + 1) : NULL;

    if (!copy || !out) {
        free(copy);
        free(out);
        return NULL;
    }
    scrub_utf8(copy);
    trim_line_breaks(copy);
    escape_into(out, 4 * n + 1, copy);
    free(copy);
    return out;
}

/* The translated format takes the same arguments as the English one:
 * the catalogue test (tests/po-check.py) refuses a translation whose
 * placeholders differ. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
int pl_err_setv(pl_err *e, int code, const char *fmt, va_list ap)
{
    if (e) {
        const char *tfmt = pl_tr(fmt);
        va_list ap2;

        va_copy(ap2, ap);
        e->code = code;
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        pl_err_escape(e->msg, sizeof e->msg);
        e->has_local = tfmt != fmt;
        if (e->has_local) {
            /* fragments (pl_frag()) are shown translated */
            char *local = pl_vasprintf_local(tfmt, ap2);
            if (local) {
                snprintf(e->local, sizeof e->local, "%s", local);
                free(local);
            } else {
                vsnprintf(e->local, sizeof e->local, tfmt, ap2);
            }
            pl_err_escape(e->local, sizeof e->local);
        } else {
            pl_frag_clear();
        }
        va_end(ap2);
    }
    return code;
}
#pragma GCC diagnostic pop

int pl_err_set(pl_err *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pl_err_setv(e, code, fmt, ap);
    va_end(ap);
    return code;
}

/* Put "@head: " before the message in @msg (PL_ERRMSG_MAX bytes). */
static void prefix_text(char *msg, const char *head)
{
    size_t hl = strlen(head), ml;

    if (hl + 3 >= PL_ERRMSG_MAX)
        return;
    ml = strnlen(msg, PL_ERRMSG_MAX - 1);
    if (hl + 2 + ml >= PL_ERRMSG_MAX)
        ml = PL_ERRMSG_MAX - hl - 3;
    memmove(msg + hl + 2, msg, ml);
    memcpy(msg, head, hl);
    msg[hl] = ':';
    msg[hl + 1] = ' ';
    msg[hl + 2 + ml] = '\0';
    pl_err_escape(msg, PL_ERRMSG_MAX);
}

int pl_err_recode(pl_err *e, int code)
{
    if (e)
        e->code = code;
    return code;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
int pl_err_prefix(pl_err *e, const char *fmt, ...)
{
    char head[PL_ERRMSG_MAX];
    const char *tfmt;
    va_list ap;

    if (!e)
        return PLEDGER_EINVAL;
    tfmt = pl_tr(fmt);
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    if (!e->has_local && tfmt != fmt) {
        memcpy(e->local, e->msg, sizeof e->local);
        e->has_local = true;
    }
    prefix_text(e->msg, head);
    if (e->has_local) {
        if (tfmt != fmt) {
            va_start(ap, fmt);
            vsnprintf(head, sizeof head, tfmt, ap);
            va_end(ap);
        }
        prefix_text(e->local, head);
    }
    return e->code;
}
#pragma GCC diagnostic pop

int pl_err_oom(pl_err *e)
{
    return pl_err_set(e, PLEDGER_ENOMEM, "out of memory");
}

void pl_err_clear(pl_err *e)
{
    if (e) {
        e->code = 0;
        e->has_local = false;
        e->msg[0] = '\0';
    }
}

const char *pl_err_text(const pl_err *e)
{
    return e->has_local ? e->local : e->msg;
}

int pl_err_copy(pl_err *dst, const pl_err *src)
{
    if (dst && src && dst != src) {
        dst->code = src->code;
        dst->has_local = src->has_local;
        memcpy(dst->msg, src->msg, sizeof dst->msg);
        if (src->has_local)
            memcpy(dst->local, src->local, sizeof dst->local);
    }
    return src ? src->code : PLEDGER_EINVAL;
}

static const char *strerror_en(int code)
{
    switch (code) {
    case PLEDGER_OK: return N_("success");
    case PLEDGER_EINVAL: return N_("invalid argument");
    case PLEDGER_ENOTFOUND: return N_("not found");
    case PLEDGER_ESTATE: return N_("not allowed in the current state");
    case PLEDGER_ECONFLICT: return N_("conflicts with stored data");
    case PLEDGER_EPERM: return N_("permission denied for this role");
    case PLEDGER_EREADONLY: return N_("registry is read-only");
    case PLEDGER_EBUSY: return N_("registry is busy");
    case PLEDGER_EIO: return N_("input/output error");
    case PLEDGER_ECORRUPT: return N_("registry is corrupt");
    case PLEDGER_ENOTDB: return N_("not a pledger registry");
    case PLEDGER_ENEWER: return N_("registry is newer than this library");
    case PLEDGER_EXML: return N_("invalid document");
    case PLEDGER_ENOMEM: return N_("out of memory");
    case PLEDGER_EREVIEW: return N_("review has blocking findings");
    case PLEDGER_ECODE: return N_("code does not match");
    case PLEDGER_ECANCELLED: return N_("cancelled by the caller");
    case PLEDGER_ENOTSUP: return N_("not supported by this build");
    default: return N_("unknown error");
    }
}

const char *pledger_strerror(int code) { return pl_tr(strerror_en(code)); }
