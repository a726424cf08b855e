/* The query parameters each endpoint takes, as pledgerd/openapi.json
 * documents them (a test sends each and checks none is refused as
 * unknown), and the checks every parameter passes before an endpoint
 * reads it.  An answer to a bank must be the answer to the question it
 * asked: a misspelt parameter ("asof") is refused, not ignored (that
 * would answer for now, not for the instant asked); a parameter given
 * twice is refused, not read once; a value with a NUL byte is refused,
 * not cut at it (that would search for another party). */
#include "params.h"
#include "language.h"

#include <ctype.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

typedef struct endpoint {
    const char *method;
    const char *path;   /* "*": one segment of the path, an identifier */
    const char *params; /* space-separated */
    const char *call;   /* the library call whose rules say who may
                         * (pledger_may()): a write's, asked before a body
                         * is read; a verification's, before it waits for
                         * its turn */
} endpoint;

static const endpoint endpoints[] = {
    { "GET", "/v1/status", "" },
    { "GET", "/v1/checkpoint", "" },
    { "GET", "/v1/pledges", "kind right party_id party_name side state registered_from "
                            "registered_to as_of page_size after" },
    { "GET", "/v1/pledges/*", "code as_of" },
    { "GET", "/v1/pledges/*/certificate", "version" },
    { "GET", "/v1/pledges/*/rank", "as_of compare" },
    { "GET", "/v1/pledges/*/statement", "code as_of" },
    { "GET", "/v1/pledges/*/record", "as_of" },
    { "GET", "/v1/pledges/*/document", "as_of" },
    { "GET", "/v1/log/inclusion", "event size" },
    { "GET", "/v1/log/consistency", "old new" },
    { "GET", "/v1/log/leaf", "event" },
    { "GET", "/v1/log/root", "size" },
    { "GET", "/v1/log/verify", "chain_only", "pledger_journal_verify" },
    { "GET", "/v1/due", "as_of within_days" },
    { "GET", "/v1/stats", "from to kind office" },
    { "GET", "/v1/reports", "party actor from to after limit" },
    { "GET", "/v1/reports/verify", "", "pledger_report_verify" },
    { "GET", "/v1/reports/*", "" },
    { "GET", "/v1/applications", "state kind filed_by after limit" },
    { "GET", "/v1/applications/*", "" },
    { "POST", "/v1/applications", "", "pledger_application_save" },
    { "POST", "/v1/applications/*/review", "", "pledger_application_review" },
    { "POST", "/v1/applications/*/submit", "", "pledger_application_submit" },
    { "POST", "/v1/applications/*/withdraw", "", "pledger_application_withdraw" },
    { "PUT", "/v1/applications/*", "", "pledger_application_replace" },
    { "POST", "/v1/exchange", "", "pledger_exchange_import" },
    { "POST", "/v1/filings", "", "pledger_file_batch" },
};

/* @url matches @path segment by segment, "*" any one non-empty segment. */
static bool path_matches(const char *path, const char *url)
{
    while (*path && *url) {
        if (*path == '*') {
            size_t n = strcspn(url, "/");
            if (n == 0)
                return false;
            path++;
            url += n;
        } else if (*path++ != *url++) {
            return false;
        }
    }
    return !*path && !*url;
}

const char *endpoint_call(const char *method, const char *url)
{
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++)
        if (strcmp(endpoints[i].method, method) == 0 && path_matches(endpoints[i].path, url))
            return endpoints[i].call;
    return NULL;
}

bool method_check(route_ctx *c, reply *out)
{
    /* in the order an Allow header lists them; HEAD wherever GET is */
    static const char *const order[] = { "GET", "POST", "PUT" };
    bool serves[3] = { false, false, false }, found = false;
    const char *pattern = NULL;

    /* a path written out (/v1/reports/verify) is served as itself, not as
     * the pattern it also matches (/v1/reports/{number}) */
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++) {
        if (!path_matches(endpoints[i].path, c->url))
            continue;
        bool wild = strchr(endpoints[i].path, '*') != NULL;
        if (pattern && wild && !strchr(pattern, '*'))
            continue;
        if (pattern && !wild && strchr(pattern, '*')) {
            memset(serves, 0, sizeof serves);
            found = false;
        }
        pattern = endpoints[i].path;
        for (size_t m = 0; m < 3; m++)
            if (strcmp(endpoints[i].method, order[m]) == 0) {
                serves[m] = true;
                found |= strcmp(c->method, order[m]) == 0;
            }
    }
    if (!pattern) {
        reply_error(out, 404, PLEDGER_ENOTFOUND, "no such endpoint (see openapi.json)");
        return false;
    }
    if (found)
        return true;
    size_t n = 0;
    for (size_t m = 0; m < 3; m++)
        if (serves[m])
            n += (size_t)snprintf(out->allow + n, sizeof out->allow - n, "%s%s%s",
                                  n ? ", " : "", order[m], m == 0 ? ", HEAD" : "");
    /* the method quoted up to 16 bytes, a byte no method has as '?': it
     * is the client's */
    char said[20], msg[256];
    size_t k = 0;
    for (const char *p = c->method; *p && k < 16; p++)
        said[k++] = strchr("!#$%&'*+-.^_`|~", *p) || isalnum((unsigned char)*p) ? *p : '?';
    snprintf(said + k, sizeof said - k, "%s", c->method[k] ? "..." : "");
    snprintf(msg, sizeof msg, TR("%s is not served at %s: it serves %s"), said, pattern,
             out->allow);
    reply_error(out, 405, PLEDGER_EINVAL, msg);
    return false;
}

/* @name (@n bytes) is a word of the space-separated @list. */
static bool listed(const char *list, const char *name, size_t n)
{
    for (const char *p = list; *p;) {
        size_t w = strcspn(p, " ");
        if (w == n && memcmp(p, name, n) == 0)
            return true;
        p += w;
        p += *p == ' ';
    }
    return false;
}

size_t plain_char(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    if (n == 0)
        return 0;
    unsigned c = p[0];
    if (c < 0x80)
        return c < 0x20 || c == 0x7f ? 0 : 1;
    size_t more = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2
                  : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (more == 0 || n - 1 < more)
        return 0;
    p++;
    unsigned lo = 0x80, hi = 0xbf;
    if (c == 0xe0)
        lo = 0xa0;
    else if (c == 0xed)
        hi = 0x9f;
    else if (c == 0xf0)
        lo = 0x90;
    else if (c == 0xf4)
        hi = 0x8f;
    if (p[0] < lo || p[0] > hi)
        return 0;
    if (c == 0xc2 && p[0] <= 0x9f)   /* a C1 control (U+0080 to U+009F): NEL, CSI */
        return 0;
    /* U+2028, U+2029 and the bidirectional controls (U+200E, U+200F,
     * U+202A to U+202E, U+2066 to U+2069, U+061C): they break a line
     * or turn text around where a report is shown */
    if (more == 2 && c == 0xe2 &&
        ((p[0] == 0x80 && ((p[1] >= 0xa8 && p[1] <= 0xae) || p[1] == 0x8e || p[1] == 0x8f)) ||
         (p[0] == 0x81 && p[1] >= 0xa6 && p[1] <= 0xa9)))
        return 0;
    if (c == 0xd8 && p[0] == 0x9c)
        return 0;
    for (size_t i = 1; i < more; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return more + 1;
}

/* @s (@n bytes) is plain text: every character plain_char(). */
static bool plain_text(const char *s, size_t n)
{
    for (size_t i = 0, k; i < n; i += k)
        if (!(k = plain_char(s + i, n - i)))
            return false;
    return true;
}

typedef struct scan {
    const endpoint *ep;
    char seen[16][33];  /* the names met so far (every listed name is shorter) */
    size_t n_seen;
    char msg[512];      /* the first refusal */
} scan;

static enum MHD_Result each(void *cls, enum MHD_ValueKind kind, const char *key,
                            size_t key_size, const char *value, size_t value_size)
{
    scan *s = cls;
    (void)kind;
    if (key && key_size == 0 && (!value || value_size == 0))
        return MHD_YES; /* "?&a=1", "a=1&&b=2": nothing was asked there */
    if (key && key_size && strlen(key) != key_size) {
        /* named as sent, each NUL as %00: read up to it, it would be
         * another name */
        char name[3 * 64 + 1];
        size_t o = 0;
        for (size_t i = 0; i < key_size && i < 64; i++)
            o += (size_t)snprintf(name + o, sizeof name - o, key[i] ? "%c" : "%%00", key[i]);
        snprintf(s->msg, sizeof s->msg, TR("query parameter %s%s: its name holds a NUL byte "
                 "(%%00)"), name, key_size > 64 ? "..." : "");
        return MHD_NO;
    }
    if (!key || key_size == 0 || !plain_text(key, key_size)) {
        snprintf(s->msg, sizeof s->msg, TR("a query parameter's name is empty or not plain "
                 "text (UTF-8 without control characters)"));
        return MHD_NO;
    }
    if (!listed(s->ep->params, key, key_size)) {
        /* the name quoted up to 64 bytes, not cutting a character */
        size_t cut = key_size;
        if (cut > 64)
            for (cut = 64; ((unsigned char)key[cut] & 0xc0) == 0x80; cut--)
                ;
        snprintf(s->msg, sizeof s->msg, TR("query parameter %.*s%s: not one %s %s takes (%s)"),
                 (int)cut, key, cut < key_size ? "..." : "", s->ep->method, s->ep->path,
                 *s->ep->params ? s->ep->params : TR("it takes none"));
        return MHD_NO;
    }
    for (size_t i = 0; i < s->n_seen; i++)
        if (strcmp(s->seen[i], key) == 0) {
            snprintf(s->msg, sizeof s->msg, TR("query parameter %s: given twice (a question "
                     "names each at most once)"), key);
            return MHD_NO;
        }
    if (s->n_seen < sizeof s->seen / sizeof s->seen[0] && key_size < sizeof s->seen[0])
        memcpy(s->seen[s->n_seen++], key, key_size + 1);
    if (!value)
        snprintf(s->msg, sizeof s->msg, TR("query parameter %s: has no value (%s=...)"), key, key);
    else if (strlen(value) != value_size)
        snprintf(s->msg, sizeof s->msg, TR("query parameter %s: holds a NUL byte (%%00)"), key);
    else if (!plain_text(value, value_size))
        snprintf(s->msg, sizeof s->msg, TR("query parameter %s: not UTF-8 text without control "
                 "characters"), key);
    return s->msg[0] ? MHD_NO : MHD_YES;
}

bool params_check(route_ctx *c, reply *out)
{
    scan s;
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0] && !s.ep; i++)
        if (strcmp(endpoints[i].method, c->method) == 0 &&
            path_matches(endpoints[i].path, c->url))
            s.ep = &endpoints[i];
    if (!s.ep)
        return true;
    MHD_get_connection_values_n(c->conn, MHD_GET_ARGUMENT_KIND, each, &s);
    if (!s.msg[0])
        return true;
    reply_error(out, 400, PLEDGER_EINVAL, s.msg);
    return false;
}
