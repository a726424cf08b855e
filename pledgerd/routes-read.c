/* The reads behind the command line's show, prove, consistency,
 * verify-log and journal-verify with --url: a pledge version as the
 * library holds it and its document, the log's leaves and roots, and the
 * journal's verification.  As in routes.c, the library decides who may
 * read what (the handle acts as the caller), every query parameter is
 * checked and named when refused, and every failure carries the
 * library's code and message. */
#include "routes.h"
#include "params.h"
#include "language.h"

#include <stdio.h>
#include <string.h>

/* @url is "/v1/pledges/<number><suffix>": true with the number copied
 * (1 to PATH_MAX_BYTES bytes, no '/'). */
static bool pledge_path(const char *url, const char *suffix, char number[PATH_MAX_BYTES + 1])
{
    static const char prefix[] = "/v1/pledges/";
    size_t pl = sizeof prefix - 1, ul = strlen(url), sl = strlen(suffix);

    if (ul <= pl + sl || strncmp(url, prefix, pl) != 0 || strcmp(url + ul - sl, suffix) != 0)
        return false;
    size_t n = ul - pl - sl;
    if (n > PATH_MAX_BYTES || memchr(url + pl, '/', n))
        return false;
    memcpy(number, url + pl, n);
    number[n] = '\0';
    return true;
}

/* @n bytes as base64 (RFC 4648, padded) into @out, which holds
 * 4 * ((n + 2) / 3) + 1 bytes. */
static void base64(const unsigned char *in, size_t n, char *out)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;

    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = a[(v >> 18) & 63];
        out[o++] = a[(v >> 12) & 63];
        out[o++] = i + 1 < n ? a[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? a[v & 63] : '=';
    }
    out[o] = '\0';
}

/* ---- a pledge version ------------------------------------------------------------ */

int pledge_json(jw *w, const pledger_pledge *p)
{
    int64_t valid_to = pledger_pledge_valid_to(p);

    jw_obj(w);
    jw_kstr(w, "number", pledger_pledge_number(p));
    jw_kstr(w, "kind", pledger_kind_name(pledger_pledge_kind(p)));
    jw_kstr(w, "security", pledger_pledge_security(p));
    jw_kstr(w, "state", pledger_pledge_state_name(pledger_pledge_state_of(p)));
    jw_kint(w, "version", pledger_pledge_version(p));
    jw_kint(w, "registered_at", pledger_pledge_registered_at(p));
    jw_kint(w, "valid_from", pledger_pledge_valid_from(p));
    jw_key(w, "valid_to");
    if (valid_to)
        jw_int(w, valid_to);
    else
        jw_null(w);
    jw_key(w, "pledgor");
    jw_obj(w);
    jw_kstr(w, "name", pledger_pledge_pledgor_name(p));
    jw_kstr(w, "id", pledger_pledge_pledgor_id(p));
    jw_end_obj(w);
    jw_key(w, "pledgee");
    jw_obj(w);
    jw_kstr(w, "name", pledger_pledge_pledgee_name(p));
    jw_kstr(w, "id", pledger_pledge_pledgee_id(p));
    jw_end_obj(w);
    jw_kint(w, "amount", pledger_pledge_amount(p));
    jw_kstr(w, "currency", pledger_pledge_currency(p));
    jw_kstr(w, "period_start", pledger_pledge_period_start(p));
    jw_kstr(w, "period_end", pledger_pledge_period_end(p));
    jw_kstr(w, "acceptance_number", pledger_pledge_acceptance_number(p));
    jw_kstr(w, "application_uuid", pledger_pledge_application_uuid(p));
    jw_key(w, "rights");
    jw_arr(w);
    for (size_t i = 0; i < pledger_pledge_right_count(p); i++)
        jw_str(w, pledger_pledge_right_id(p, i));
    jw_end_arr(w);
    /* a registration always has fields: none is the table that could not
     * be made (out of memory), not an answer to send */
    size_t n = pledger_pledge_field_count(p);
    if (n == 0)
        return pledger_errcode(NULL) < 0 ? pledger_errcode(NULL) : PLEDGER_ENOMEM;
    jw_key(w, "fields");
    jw_obj(w);
    for (size_t i = 0; i < n; i++)
        jw_kstr(w, pledger_pledge_field_path(p, i), pledger_pledge_field_value(p, i));
    jw_end_obj(w);
    return 0;
}

/* GET /v1/pledges/{number}/record and /document: the version current
 * now, or the one valid at as_of (pledger_pledge_get, _get_at). */
static void get_version(route_ctx *c, const char *number, bool document, reply *out)
{
    pledger_pledge *p = NULL;
    int64_t at = 0;
    int rc;

    if (!as_caller(c, c->reader, out))
        return;
    if (!instant_arg(c, "as_of", &at, out))
        return;
    rc = arg(c, "as_of") ? pledger_pledge_get_at(&p, c->reader, number, at)
                         : pledger_pledge_get(&p, c->reader, number);
    if (rc == PLEDGER_EINVAL && arg(c, "as_of")) {
        /* an as_of still to come: the library's at_us is the request's as_of */
        static const char *const names[] = { "at_us", "as_of", NULL };
        reply_library_error_as(out, rc, c->reader, names);
        return;
    }
    if (rc) {
        verification_refused(c, rc, out);
        return;
    }
    /* a look at one registration: a verification, with its search report
     * naming the number as the registry keeps it (not as typed) */
    const char *kept = pledger_pledge_number(p);
    if (document) {
        char *xml = NULL;
        if ((rc = pledger_pledge_to_xml(&xml, p)))
            reply_library_error(out, rc, NULL);
        else if (record_answer(c, PLEDGER_REPORT_VERIFICATION, &kept, 1, LOG_SIZE_NOW, NULL, out))
            reply_text(out, 200, "application/xml", xml);
        pledger_free(xml);
    } else {
        jw w;
        jw_init(&w);
        if ((rc = pledge_json(&w, p)))
            reply_library_error(out, rc, NULL);
        else if (record_answer(c, PLEDGER_REPORT_VERIFICATION, &kept, 1, LOG_SIZE_NOW, &w, out)) {
            jw_end_obj(&w);
            reply_json(out, 200, &w);
        }
        jw_free(&w);
    }
    pledger_pledge_free(p);
}

/* ---- the log's hashes -------------------------------------------------------------- */

/* GET /v1/log/leaf?event=N and /v1/log/root?size=N: a hash of the log,
 * in base64 like the proofs' lines. */
static void get_hash(route_ctx *c, bool leaf, reply *out)
{
    const char *name = leaf ? "event" : "size";
    unsigned char h[PLEDGER_LOG_HASH_SIZE];
    char text[4 * ((PLEDGER_LOG_HASH_SIZE + 2) / 3) + 1];
    uint64_t n;
    int rc;

    if (!as_caller(c, c->reader, out))
        return;
    /* event 0 is the library's to refuse, in its words */
    if (!parse_u64(arg(c, name), &n)) {
        bad_param(out, name, leaf ? N_("an event number, 1 or more")
                                  : N_("a size of the log, 0 to its number of events"));
        return;
    }
    rc = leaf ? pledger_log_leaf(c->reader, n, h) : pledger_log_root(c->reader, n, h);
    if (rc) {
        reply_library_error(out, rc, c->reader);
        return;
    }
    base64(h, sizeof h, text);
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, name);
    jw_uint(&w, n);
    jw_kstr(&w, leaf ? "leaf" : "root", text);
    jw_end_obj(&w);
    reply_json(out, 200, &w);
    jw_free(&w);
}

/* ---- the journal ------------------------------------------------------------------- */

/* The answer of a verification (the journal's, the search reports'):
 * intact, how many were verified, the first found wrong (@bad_key: null
 * when intact) and why, and @more (NULL: none) with its value. */
static void reply_check(route_ctx *c, reply *out, int64_t count, const char *bad_key,
                        int64_t bad, const char *more, bool more_value)
{
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "intact");
    jw_bool(&w, bad == 0);
    jw_kint(&w, "count", count);
    jw_key(&w, bad_key);
    if (bad)
        jw_int(&w, bad);
    else
        jw_null(&w);
    jw_kstr(&w, "message", bad ? pledger_errmsg(c->reader) : "");
    if (more) {
        jw_key(&w, more);
        jw_bool(&w, more_value);
    }
    jw_end_obj(&w);
    reply_json(out, 200, &w);
    jw_free(&w);
}

/* The journal's verification's chain_only= in *@chain: false (@out set)
 * when it is neither true nor false. */
static bool chain_only_arg(route_ctx *c, reply *out, bool *chain)
{
    const char *co = arg(c, "chain_only");
    *chain = co && !strcmp(co, "true");
    if (co && !*chain && strcmp(co, "false") != 0) {
        bad_param(out, "chain_only", "true or false");
        return false;
    }
    return true;
}

bool verification_admit(route_ctx *c, reply *out)
{
    bool chain;
    if (!params_check(c, out) || !as_caller(c, c->reader, out))
        return false;
    if (!strcmp(c->url, "/v1/log/verify") && !chain_only_arg(c, out, &chain))
        return false;
    int rc = pledger_may(c->reader, endpoint_call(c->method, c->url));
    if (rc) {
        reply_library_error(out, rc, c->reader);
        return false;
    }
    return true;
}

/* GET /v1/log/verify?chain_only=: pledger_journal_verify (or _chain) on
 * the service's registry, for the roles the library lets read the journal. */
static void get_journal_check(route_ctx *c, reply *out)
{
    int64_t bad = 0, count = 0;
    bool chain = false;
    int rc;

    if (!as_caller(c, c->reader, out) || !chain_only_arg(c, out, &chain))
        return;
    /* on the checks thread, one at a time (service.c) */
    rc = chain ? pledger_journal_verify_chain(&bad, &count, c->reader)
               : pledger_journal_verify(&bad, &count, c->reader);
    if (rc) {
        reply_library_error(out, rc, c->reader);
        return;
    }
    reply_check(c, out, count, "bad_seq", bad, "chain_only", chain);
}

/* GET /v1/reports/verify: pledger_report_verify on the service's reports,
 * their checkpoints held to the keys the service signs them with, for
 * the roles the library lets verify them (auditor, registrar). */
void get_reports_check(route_ctx *c, reply *out)
{
    uint64_t bad = 0, count = 0;

    if (!as_caller(c, c->reader, out))
        return;
    /* on the checks thread, one at a time (service.c) */
    int rc = pledger_report_verify(&bad, &count, c->reader, recorder_signers(c->rec));
    if (rc) {
        reply_library_error(out, rc, c->reader);
        return;
    }
    reply_check(c, out, (int64_t)count, "bad_number", (int64_t)bad, NULL, false);
}

bool route_read(route_ctx *c, reply *out)
{
    char number[PATH_MAX_BYTES + 1];

    if (strcmp(c->method, "GET") != 0)
        return false;
    if (pledge_path(c->url, "/record", number))
        get_version(c, number, false, out);
    else if (pledge_path(c->url, "/document", number))
        get_version(c, number, true, out);
    else if (strcmp(c->url, "/v1/log/leaf") == 0)
        get_hash(c, true, out);
    else if (strcmp(c->url, "/v1/log/root") == 0)
        get_hash(c, false, out);
    else if (strcmp(c->url, "/v1/log/verify") == 0)
        get_journal_check(c, out);
    else
        return false;
    return true;
}
