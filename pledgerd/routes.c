/* The endpoints.  Every answer is JSON (XML documents are returned as
 * they are, with their own type); every failure is {"error": {"code",
 * "name", "message"}} with the library's code and message. */
#include "language.h"
#include "routes.h"
#include "params.h"
#include "recorder.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *arg(route_ctx *c, const char *name)
{
    return MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* An instant: microseconds since the epoch ("-" and/or more than 10
 * digits: fewer could be a day typed without its dashes), a day typed
 * without its dashes (8 digits, 20260301: the day, as the command line
 * reads it, not 20 seconds), or ISO 8601 as the library reads it
 * (pledger_instant_parse_registry:
 * YYYY-MM-DD, the first instant of the registry's day of @reg, as the
 * command line and the Python bindings read a date;
 * YYYY-MM-DDTHH:MM:SS[.ffffff] then Z or +HH:MM); false with the
 * library's reason in @why. */
static bool parse_instant(const pledger_registry *reg, const char *s, int64_t *out, char *why,
                          size_t why_size)
{
    const char *digits = s && *s == '-' ? s + 1 : s;
    *why = '\0';
    if (s && strlen(s) == 8 && strspn(s, "0123456789") == 8) {
        char day[11];
        snprintf(day, sizeof day, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
        if (pledger_instant_parse_registry(out, reg, day) == 0)
            return true;
        snprintf(why, why_size, "%s", pledger_errmsg(NULL));
        return false;
    }
    if (digits && strlen(digits) > 10 && strspn(digits, "0123456789") == strlen(digits)) {
        errno = 0;
        char *end;
        long long v = strtoll(s, &end, 10);
        /* the library's "now" marker (PLEDGER_AS_OF_CURRENT) is below
         * them: a question about the first instant is not one about now */
        if (!errno && !*end && v >= PLEDGER_INSTANT_MIN && v <= PLEDGER_INSTANT_MAX) {
            *out = v;
            return true;
        }
        snprintf(why, why_size, TR("'%.32s' microseconds fall outside the years 0000 to 9999 "
                 "(%lld to %lld)"), s, PLEDGER_INSTANT_MIN, PLEDGER_INSTANT_MAX);
        return false;
    }
    if (pledger_instant_parse_registry(out, reg, s) == 0)
        return true;
    snprintf(why, why_size, "%s", pledger_errmsg(NULL));
    return false;
}

bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!s || !isdigit((unsigned char)*s))
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

void bad_param(reply *out, const char *name, const char *want)
{
    char msg[768];
    snprintf(msg, sizeof msg, TR("query parameter %s: %s"), name, TR(want));
    reply_error(out, 400, PLEDGER_EINVAL, msg);
}

/* The instant of query parameter @name into *@t when given; false (the
 * reply set) when it is not an instant. */
bool instant_arg(route_ctx *c, const char *name, int64_t *t, reply *out)
{
    const char *v = arg(c, name);
    char why[256], want[512];
    if (!v || parse_instant(c->reader, v, t, why, sizeof why))
        return true;
    snprintf(want, sizeof want, TR("an instant: YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS[.ffffff] then Z "
             "or +HH:MM (%%2B in a URL), or microseconds since 1970 (%s)"), why);
    bad_param(out, name, want);
    return false;
}

/* Query parameter @name, when given, into *@v: an integer from @lo to
 * @hi; false (the reply set, saying @want) when it is not one. */
static bool int_arg(route_ctx *c, const char *name, uint64_t lo, uint64_t hi,
                    const char *want, uint64_t *v, reply *out)
{
    const char *s = arg(c, name);
    uint64_t n;
    if (!s)
        return true;
    if (!parse_u64(s, &n) || n < lo || n > hi) {
        bad_param(out, name, want);
        return false;
    }
    *v = n;
    return true;
}

/* Query parameter @name, when given, into *@v: a whole number (a '-'
 * before it for one below zero) that fits the C type the library's call
 * takes, @lo to @hi.  The range the call allows is the library's to
 * check, in its own words ("page_size 20000 is over the limit of 10000"):
 * a script reads the same refusal from a registry file and from the
 * service.  False (the reply set) when it is no whole number of that
 * type. */
static bool whole_arg(route_ctx *c, const char *name, int64_t lo, int64_t hi, int64_t *v,
                      reply *out)
{
    const char *s = arg(c, name);
    if (!s)
        return true;
    const char *digits = *s == '-' ? s + 1 : s;
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (!isdigit((unsigned char)*digits) || *end || errno || n < lo || n > hi) {
        char want[128];
        snprintf(want, sizeof want, TR("a whole number from %lld to %lld"), (long long)lo,
                 (long long)hi);
        bad_param(out, name, want);
        return false;
    }
    *v = n;
    return true;
}

/* whole_arg() into an int of the library's */
static bool int_param(route_ctx *c, const char *name, int *v, reply *out)
{
    int64_t n = *v;
    if (!whole_arg(c, name, INT_MIN, INT_MAX, &n, out))
        return false;
    *v = (int)n;
    return true;
}

/* Query parameter "kind", when given, into *@kind (a pledger_kind);
 * false (the reply set) when it names none. */
static bool kind_arg(route_ctx *c, int *kind, reply *out)
{
    const char *s = arg(c, "kind");
    if (!s)
        return true;
    if ((*kind = pledger_kind_from_name(s)) <= 0) {
        bad_param(out, "kind", N_("a kind: trademark, patent, receivable, equity, emission, "
                                  "sea_area, land"));
        return false;
    }
    return true;
}

/* Act as the caller on @reg; false (with the reply) when there is none. */
bool as_caller(route_ctx *c, pledger_registry *reg, reply *out)
{
    if (!c->actor[0]) {
        reply_error(out, 401, PLEDGER_EPERM, NEEDS_TOKEN);
        return false;
    }
    int rc = pledger_set_actor(reg, c->actor, c->role);
    if (rc) {
        reply_library_error(out, rc, reg);
        return false;
    }
    return true;
}

/* ---- search reports ----------------------------------------------------------------- */

/* The question of a request as one line: its path, then its query
 * parameters in the order sent, percent-encoded where not plain; the
 * value of a verification code is not kept ("code=*"). */
typedef struct question {
    char text[2048];
    size_t len;
    bool over;
} question;

/* The code point of the @n bytes at @s, a character plain_char() took. */
static uint32_t code_point(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp = n == 2 ? p[0] & 0x1fu : n == 3 ? p[0] & 0x0fu : p[0] & 0x07u;
    for (size_t i = 1; i < n; i++)
        cp = cp << 6 | (p[i] & 0x3fu);
    return cp;
}

static void q_put(question *q, const char *s, bool encode)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s), plain_run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        /* a character beyond ASCII as it is, unless it is none the
         * library takes on a line (U+2028, a bidirectional control, bytes
         * that are not UTF-8) or one that shows nothing (U+200B, U+FEFF,
         * a soft hyphen: the report would read as another question): then
         * its bytes, percent-encoded */
        if (ch >= 0x80 && plain_run == 0) {
            plain_run = plain_char(s + i, n - i);
            if (plain_run && jw_unseen(code_point(s + i, plain_run)))
                plain_run = 0;
        }
        bool plain = !encode || isalnum(ch) || strchr("-._~:/@,+*", ch) ||
                     (ch >= 0x80 && plain_run > 0);
        if (plain_run)
            plain_run--;
        size_t need = plain ? 1 : 3;
        if (q->len + need >= sizeof q->text) {
            q->over = true;
            return;
        }
        if (plain) {
            q->text[q->len++] = (char)ch;
        } else {
            q->text[q->len++] = '%';
            q->text[q->len++] = hex[ch >> 4];
            q->text[q->len++] = hex[ch & 15];
        }
    }
    q->text[q->len] = '\0';
}

static enum MHD_Result q_param(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    question *q = cls;
    (void)kind;
    if (!*key && (!value || !*value))
        return MHD_YES;   /* a leading or doubled '&' asks nothing (params.c) */
    q_put(q, q->len && strchr(q->text, '?') ? "&" : "?", false);
    q_put(q, key, true);
    q_put(q, "=", false);
    bool secret = strcmp(key, "code") == 0 && value;
    q_put(q, secret ? "*" : value ? value : "", !secret);
    return MHD_YES;
}

void report_ask_free(report_ask *a)
{
    if (!a)
        return;
    free(a->query);
    free(a->parties[0]);
    free(a->parties[1]);
    free(a->asked[0]);
    free(a->asked[1]);
    for (size_t i = 0; i < a->nn; i++)
        free(a->numbers[i]);
    free(a->numbers);
    pledger_free(a->job.note);
    free(a);
}

/* The first @n bytes of @s as a registration number asked about, as the
 * bank typed it (the library keeps it as the register writes it: lower
 * case, full width, spaces around): 1 to 96 bytes of plain text;
 * allocated; NULL when it is none, or out of memory (*@oom). */
static char *asked_number(const char *s, size_t n, bool *oom)
{
    if (!s || n == 0 || n > 96)
        return NULL;
    for (size_t i = 0, k; i < n; i += k)
        if (!(k = plain_char(s + i, n - i)))
            return NULL;
    /* without the characters that show nothing (U+200B, U+FEFF, a soft
     * hyphen), as the library reads a number: the auditor finds the
     * registration, and the signed report holds none of them */
    char *d = malloc(n + 1);
    size_t o = 0;
    if (!d) {
        *oom = true;
        return NULL;
    }
    for (size_t i = 0, k; i < n; i += k) {
        k = plain_char(s + i, n - i);
        if (k == 1 || !jw_unseen(code_point(s + i, k))) {
            memcpy(d + o, s + i, k);
            o += k;
        }
    }
    d[o] = '\0';
    if (o == 0) {
        free(d);
        return NULL;
    }
    return d;
}

bool record_answer(route_ctx *c, pledger_report_kind kind, const char *const *numbers,
                   size_t nn, uint64_t log_size, jw *w, reply *out)
{
    question q;
    uint64_t size = 0;
    report_ask *a;
    int rc;

    memset(&q, 0, sizeof q);
    q_put(&q, c->url, true);
    MHD_get_connection_values(c->conn, MHD_GET_ARGUMENT_KIND, q_param, &q);
    if (q.over) {
        reply_error(out, 400, PLEDGER_EINVAL, "the question is over 2000 bytes: a search "
                                              "report could not record it");
        return false;
    }
    if (log_size != LOG_SIZE_NOW)
        size = log_size;
    else if ((rc = pledger_log_size(c->reader, &size))) {
        reply_library_error(out, rc, c->reader);
        return false;
    }
    if (!(a = calloc(1, sizeof *a)) || !(a->query = strdup(q.text)) ||
        (nn && !(a->numbers = calloc(nn, sizeof *a->numbers))))
        goto oom;
    for (; a->nn < nn; a->nn++)
        if (!(a->numbers[a->nn] = strdup(numbers[a->nn])))
            goto oom;
    const char *asked[2] = { arg(c, "party_id"), arg(c, "party_name") };
    size_t np = 0;
    for (size_t i = 0; i < 2; i++)
        if (asked[i] && *asked[i] && !(a->parties[np++] = strdup(asked[i])))
            goto oom;
    /* a verification asks about the registration of its path (and a
     * comparison's other): found under its parties by the auditor even
     * when the answer names none (a wrong code, a guess) */
    size_t na = 0;
    if (kind == PLEDGER_REPORT_VERIFICATION && !strncmp(c->url, "/v1/pledges/", 12)) {
        bool oom = false;
        const char *seg = c->url + 12, *cmp = arg(c, "compare");
        if ((a->asked[na] = asked_number(seg, strcspn(seg, "/"), &oom)))
            na++;
        if (cmp && (a->asked[na] = asked_number(cmp, strlen(cmp), &oom)))
            na++;
        if (oom)
            goto oom;
    }
    snprintf(a->actor, sizeof a->actor, "%s", c->actor);
    a->in_body = w != NULL;
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.kind = kind;
    r.actor = a->actor;
    r.role = c->role;
    r.query = a->query;
    r.parties = (const char *const *)a->parties;
    r.party_count = np;
    r.numbers = (const char *const *)a->numbers;
    r.number_count = a->nn;
    r.asked = (const char *const *)a->asked;
    r.asked_count = na;
    r.log_size = size;
    a->job.req = r;
    report_ask_free(out->ask);
    out->ask = a;
    return true;
oom:
    report_ask_free(a);
    reply_error(out, 500, PLEDGER_ENOMEM, "out of memory");
    return false;
}

int reply_add_report(reply *out, uint64_t number, const char *note)
{
    jw w;
    char *end = out->body ? strrchr(out->body, '}') : NULL;
    int rc = -1;

    if (!end)
        return -1;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "number"), jw_uint(&w, number);
    jw_kstr(&w, "note", note);
    jw_end_obj(&w);
    const char *obj = jw_text(&w);
    size_t head = (size_t)(end - out->body);
    /* "{}" takes no comma before the member */
    bool empty = head > 0 && out->body[head - 1] == '{';
    /* in place of the closing brace, growing the body where it lies */
    size_t ol = obj ? strlen(obj) : 0;
    char *b = obj ? realloc(out->body, head + ol + 16) : NULL;
    if (b) {
        size_t n = head;
        if (!empty)
            b[n++] = ',';
        memcpy(b + n, "\"report\":", 9);
        memcpy(b + n + 9, obj, ol);
        n += 9 + ol;
        b[n++] = '}';
        b[n] = '\0';
        out->body = b;
        out->len = n;
        rc = 0;
    }
    jw_free(&w);
    return rc;
}

/* A verification that found nothing, or not with that code, is an answer
 * too: its report rides on the error. */
void verification_refused(route_ctx *c, int rc, reply *out)
{
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", pledger_errmsg(c->reader));
    if ((rc == PLEDGER_ENOTFOUND || rc == PLEDGER_ECODE) &&
        !record_answer(c, PLEDGER_REPORT_VERIFICATION, NULL, 0, LOG_SIZE_NOW, NULL, out))
        return;
    reply_error(out, 0, rc, msg);
}

/* ---- anonymous ------------------------------------------------------------------ */

static void get_status(route_ctx *c, reply *out)
{
    uint64_t size = 0;
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "service", "pledgerd");
    jw_kstr(&w, "version", pledger_version());
    jw_kstr(&w, "office", pledger_office_code(c->reader));
    jw_kstr(&w, "log_origin", pledger_log_origin(c->reader));
    jw_kstr(&w, "time_zone", pledger_time_zone(c->reader));
    if (pledger_log_size(c->reader, &size) == 0)
        jw_key(&w, "log_size"), jw_uint(&w, size);
    jw_end_obj(&w);
    reply_json(out, 200, &w);
    jw_free(&w);
}

static void get_checkpoint(route_ctx *c, reply *out)
{
    char *note = NULL;
    int rc = pledger_checkpoint_latest(&note, c->reader);
    if (rc) {
        reply_library_error(out, rc, c->reader);
        return;
    }
    if (!note) {
        reply_error(out, 404, PLEDGER_ENOTFOUND, "the registry has signed no checkpoint yet");
        return;
    }
    reply_text(out, 200, "text/plain; charset=utf-8", note);
    pledger_free(note);
}

/* ---- pledges --------------------------------------------------------------------- */

static void get_pledge(route_ctx *c, const char *number, reply *out)
{
    pledger_verify_options o = PLEDGER_VERIFY_OPTIONS_INIT;
    pledger_verification *v = NULL;

    if (!as_caller(c, c->reader, out))
        return;
    o.code = arg(c, "code");
    if (!instant_arg(c, "as_of", &o.as_of, out))
        return;
    int rc = pledger_verify(&v, c->reader, number, &o);
    if (rc) {
        verification_refused(c, rc, out);
        return;
    }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "number", pledger_pledge_number(pledger_verification_pledge(v)));
    jw_kstr(&w, "kind", pledger_kind_name(pledger_pledge_kind(pledger_verification_pledge(v))));
    jw_kstr(&w, "security", pledger_pledge_security(pledger_verification_pledge(v)));
    jw_kstr(&w, "state",
            pledger_pledge_state_name(pledger_pledge_state_of(pledger_verification_pledge(v))));
    jw_kint(&w, "version", pledger_pledge_version(pledger_verification_pledge(v)));
    jw_kint(&w, "rank", pledger_verification_rank(v));
    jw_kint(&w, "registered_at", pledger_pledge_registered_at(pledger_verification_pledge(v)));
    jw_kint(&w, "valid_from", pledger_pledge_valid_from(pledger_verification_pledge(v)));
    jw_key(&w, "pledgor");
    jw_obj(&w);
    jw_kstr(&w, "name", pledger_pledge_pledgor_name(pledger_verification_pledge(v)));
    jw_kstr(&w, "id", pledger_pledge_pledgor_id(pledger_verification_pledge(v)));
    jw_end_obj(&w);
    jw_key(&w, "pledgee");
    jw_obj(&w);
    jw_kstr(&w, "name", pledger_pledge_pledgee_name(pledger_verification_pledge(v)));
    jw_kstr(&w, "id", pledger_pledge_pledgee_id(pledger_verification_pledge(v)));
    jw_end_obj(&w);
    jw_kint(&w, "amount", pledger_pledge_amount(pledger_verification_pledge(v)));
    jw_kstr(&w, "currency", pledger_pledge_currency(pledger_verification_pledge(v)));
    jw_kstr(&w, "period_start", pledger_pledge_period_start(pledger_verification_pledge(v)));
    jw_kstr(&w, "period_end", pledger_pledge_period_end(pledger_verification_pledge(v)));
    jw_key(&w, "rights");
    jw_arr(&w);
    for (size_t i = 0; i < pledger_pledge_right_count(pledger_verification_pledge(v)); i++) {
        jw_obj(&w);
        jw_kstr(&w, "id", pledger_pledge_right_id(pledger_verification_pledge(v), i));
        jw_kint(&w, "rank", pledger_verification_right_rank(v, i));
        jw_end_obj(&w);
    }
    jw_end_arr(&w);
    static const char *const status[] = { "not_given", "matched", "superseded" };
    int cs = (int)pledger_verification_code_status(v);
    jw_kstr(&w, "code_status", cs >= 0 && cs < 3 ? status[cs] : "?");
    jw_kint(&w, "code_version", pledger_verification_code_version(v));
    int64_t sup = pledger_verification_code_superseded_at(v);
    jw_key(&w, "code_superseded_at");
    if (sup)
        jw_int(&w, sup);
    else
        jw_null(&w);
    jw_key(&w, "as_of");
    if (pledger_verification_as_of(v) == PLEDGER_AS_OF_CURRENT)
        jw_null(&w);
    else
        jw_int(&w, pledger_verification_as_of(v));
    /* the whole registration, as GET /v1/pledges/{number}/record gives it */
    jw_key(&w, "pledge");
    rc = pledge_json(&w, pledger_verification_pledge(v));
    jw_end_obj(&w);
    const char *found = pledger_pledge_number(pledger_verification_pledge(v));
    if (rc)
        reply_library_error(out, rc, NULL);
    else if (record_answer(c, PLEDGER_REPORT_VERIFICATION, &found, 1,
                           pledger_verification_log_size(v), &w, out)) {
        jw_end_obj(&w);
        reply_json(out, 200, &w);
    }
    jw_free(&w);
    pledger_verification_free(v);
}

/* The registration number @typed names, as the registry keeps it (the
 * library finds "r-fz01-..." as R-FZ01-...): what an answer and its search
 * report name.  false, with @out answered, when there is none. */
static bool kept_number(route_ctx *c, const char *typed, char kept[128], reply *out)
{
    pledger_pledge *p = NULL;
    int rc = pledger_pledge_get(&p, c->reader, typed);

    if (rc) {
        verification_refused(c, rc, out);
        return false;
    }
    snprintf(kept, 128, "%s", pledger_pledge_number(p));
    pledger_pledge_free(p);
    return true;
}

static void get_certificate(route_ctx *c, const char *number, reply *out)
{
    int version = 0;
    char *xml = NULL;

    if (!as_caller(c, c->reader, out))
        return;
    if (!int_param(c, "version", &version, out))
        return;
    int rc = pledger_certificate_get(&xml, c->reader, number, version);
    if (rc) {
        verification_refused(c, rc, out);
        return;
    }
    char kept[128];
    const char *named = kept;
    if (kept_number(c, number, kept, out) &&
        record_answer(c, PLEDGER_REPORT_VERIFICATION, &named, 1, LOG_SIZE_NOW, NULL, out))
        reply_text(out, 200, "application/xml", xml);
    pledger_free(xml);
}

static void search(route_ctx *c, reply *out)
{
    pledger_query q = PLEDGER_QUERY_INIT;
    pledger_cursor *cur = NULL;

    if (!as_caller(c, c->reader, out))
        return;
    q.right_id = arg(c, "right");
    q.party_id = arg(c, "party_id");
    q.party_name = arg(c, "party_name");
    q.after = arg(c, "after");
    q.registered_from = arg(c, "registered_from");
    q.registered_to = arg(c, "registered_to");
    const char *side = arg(c, "side"), *state = arg(c, "state");
    if (side) {
        if (!strcmp(side, "either"))
            q.party_side = PLEDGER_PARTY_EITHER;
        else if (!strcmp(side, "pledgor"))
            q.party_side = PLEDGER_PARTY_PLEDGOR;
        else if (!strcmp(side, "pledgee"))
            q.party_side = PLEDGER_PARTY_PLEDGEE;
        else {
            bad_param(out, "side", "either, pledgor or pledgee");
            return;
        }
    }
    if (state) {
        q.state = 0;
        for (int st = PLEDGER_PLEDGE_ACTIVE; st <= PLEDGER_PLEDGE_UNDER_OBJECTION; st++)
            if (!strcmp(state, pledger_pledge_state_name((pledger_pledge_state)st)))
                q.state = st;
        if (!q.state) {
            bad_param(out, "state", "active, cancelled, revoked, expired or under_objection");
            return;
        }
    }
    if (!kind_arg(c, &q.kind, out))
        return;
    if (!instant_arg(c, "as_of", &q.as_of, out))
        return;
    if (!int_param(c, "page_size", &q.page_size, out))
        return;
    int rc = pledger_search(&cur, c->reader, &q);
    if (rc) {
        static const char *const renames[] = { "right_id", "right", NULL };
        reply_library_error_as(out, rc, c->reader, renames);
        return;
    }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "hits");
    jw_arr(&w);
    char **numbers = NULL;
    size_t nn = 0;
    while ((rc = pledger_cursor_next(cur)) == 1) {
        char **grown = realloc(numbers, (nn + 1) * sizeof *numbers);
        if (!grown || !(grown[nn] = strdup(pledger_pledge_number(pledger_cursor_pledge(cur))))) {
            numbers = grown ? grown : numbers;
            rc = PLEDGER_ENOMEM;
            break;
        }
        numbers = grown;
        nn++;
        jw_obj(&w);
        jw_kstr(&w, "number", pledger_pledge_number(pledger_cursor_pledge(cur)));
        jw_kstr(&w, "kind", pledger_kind_name(pledger_pledge_kind(pledger_cursor_pledge(cur))));
        jw_kstr(&w, "state",
                pledger_pledge_state_name(pledger_pledge_state_of(pledger_cursor_pledge(cur))));
        jw_kint(&w, "version", pledger_pledge_version(pledger_cursor_pledge(cur)));
        jw_kint(&w, "registered_at", pledger_pledge_registered_at(pledger_cursor_pledge(cur)));
        jw_kstr(&w, "pledgor_name", pledger_pledge_pledgor_name(pledger_cursor_pledge(cur)));
        jw_kstr(&w, "pledgor_id", pledger_pledge_pledgor_id(pledger_cursor_pledge(cur)));
        jw_kstr(&w, "pledgee_name", pledger_pledge_pledgee_name(pledger_cursor_pledge(cur)));
        jw_kstr(&w, "pledgee_id", pledger_pledge_pledgee_id(pledger_cursor_pledge(cur)));
        jw_kint(&w, "amount", pledger_pledge_amount(pledger_cursor_pledge(cur)));
        jw_kstr(&w, "currency", pledger_pledge_currency(pledger_cursor_pledge(cur)));
        jw_kstr(&w, "period_start", pledger_pledge_period_start(pledger_cursor_pledge(cur)));
        jw_kstr(&w, "period_end", pledger_pledge_period_end(pledger_cursor_pledge(cur)));
        static const char *const match[] = { "none", "exact", "similar", "branch" };
        int m = (int)pledger_cursor_name_match(cur);
        jw_kstr(&w, "name_match", m >= 0 && m < 4 ? match[m] : "?");
        jw_key(&w, "pledge");
        rc = pledge_json(&w, pledger_cursor_pledge(cur));
        jw_end_obj(&w);
        jw_end_obj(&w);
        if (rc)
            break;
    }
    jw_end_arr(&w);
    jw_kstr(&w, "continuation", pledger_cursor_continuation(cur));
    if (rc == PLEDGER_ENOMEM)
        reply_error(out, 500, rc, "out of memory");
    else if (rc < 0)
        reply_library_error(out, rc, NULL); /* the cursor's or the snapshot's */
    else if (record_answer(c, PLEDGER_REPORT_SEARCH, (const char *const *)numbers, nn,
                           pledger_cursor_log_size(cur), &w, out)) {
        jw_end_obj(&w);
        reply_json(out, 200, &w);
    }
    for (size_t i = 0; i < nn; i++)
        free(numbers[i]);
    free(numbers);
    jw_free(&w);
    pledger_cursor_free(cur);
}

static void get_rank(route_ctx *c, const char *number, reply *out)
{
    const char *at = arg(c, "as_of"), *other = arg(c, "compare");
    int64_t t = PLEDGER_AS_OF_CURRENT;
    int value = 0, rc;

    if (!as_caller(c, c->reader, out))
        return;
    if (!instant_arg(c, "as_of", &t, out))
        return;
    if (other && at) {
        bad_param(out, "compare", "goes without as_of (it compares the pledges now)");
        return;
    }
    if (other && !*other) {
        bad_param(out, "compare", "is empty; it names the registration to compare with");
        return;
    }
    rc = other ? pledger_compare(&value, c->reader, number, other)
               : pledger_rank(&value, c->reader, number, t);
    if (rc && other && rc != PLEDGER_ENOTFOUND && rc != PLEDGER_ECODE) {
        /* the library's number_a is the path's number, its number_b the
         * request's compare ("number_b is longer than 96 bytes") */
        static const char *const compare_names[] = { "number_a", "number", "number_b",
                                                     "compare", NULL };
        reply_library_error_as(out, rc, c->reader, compare_names);
        return;
    }
    if (rc == PLEDGER_EINVAL && !other) {
        /* an as_of still to come: the library's at_us is the request's as_of */
        static const char *const rank_names[] = { "at_us", "as_of", NULL };
        reply_library_error_as(out, rc, c->reader, rank_names);
        return;
    }
    if (rc) {
        verification_refused(c, rc, out);
        return;
    }
    char kept[128], kept_other[128] = "";
    if (!kept_number(c, number, kept, out) || (other && !kept_number(c, other, kept_other, out)))
        return;
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "number", kept);
    if (other) {
        jw_kstr(&w, "compare", kept_other);
        jw_kint(&w, "order", value);
    } else {
        jw_kint(&w, "rank", value);
    }
    const char *both[2] = { kept, kept_other };
    if (record_answer(c, PLEDGER_REPORT_VERIFICATION, both, other ? 2 : 1, LOG_SIZE_NOW, &w, out)) {
        jw_end_obj(&w);
        reply_json(out, 200, &w);
    }
    jw_free(&w);
}

/* A signed verification statement, signed with the service's key. */
static void get_statement(route_ctx *c, const char *number, reply *out)
{
    pledger_verify_options o = PLEDGER_VERIFY_OPTIONS_INIT;
    char *xml = NULL;
    size_t len = 0;

    if (!as_caller(c, c->reader, out))
        return;
    /* a question asked wrong is refused as such, whatever the service
     * can answer (it was 501 for any as_of, "-1" or "1e309") */
    if (!instant_arg(c, "as_of", &o.as_of, out))
        return;
    if (!c->skey) {
        reply_error(out, 501, PLEDGER_ENOTSUP, "this service has no statement_key "
                                              "configured");
        return;
    }
    o.code = arg(c, "code");
    int rc = pledger_verify_statement(&xml, &len, c->reader, number, &o, c->skey);
    if (rc) {
        verification_refused(c, rc, out);
        return;
    }
    char kept[128];
    const char *named = kept;
    if (kept_number(c, number, kept, out) &&
        record_answer(c, PLEDGER_REPORT_VERIFICATION, &named, 1, LOG_SIZE_NOW, NULL, out))
        reply_text(out, 200, "application/xml", xml);
    pledger_free(xml);
}

static void get_due(route_ctx *c, reply *out)
{
    pledger_due_options o = { PLEDGER_DUE_OPTIONS_VERSION, PLEDGER_AS_OF_CURRENT, 30 };
    pledger_due *d = NULL;

    if (!as_caller(c, c->reader, out))
        return;
    if (!instant_arg(c, "as_of", &o.at, out))
        return;
    if (!int_param(c, "within_days", &o.within_days, out))
        return;
    int rc = pledger_due_get(&d, c->reader, &o);
    if (rc) {
        reply_library_error(out, rc, c->reader);
        return;
    }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    /* the day the list is for and how far it looks: the days left count
     * from it, and a client's clock or zone may not be the registry's */
    jw_kstr(&w, "today", pledger_due_today(d));
    jw_kint(&w, "within_days", o.within_days);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < pledger_due_count(d); i++) {
        jw_obj(&w);
        jw_kstr(&w, "what", pledger_due_what_name(pledger_due_what_of(d, i)));
        jw_kstr(&w, "subject", pledger_due_subject(d, i));
        jw_kstr(&w, "kind", pledger_kind_name(pledger_due_kind(d, i)));
        jw_kstr(&w, "date", pledger_due_date(d, i));
        jw_kint(&w, "days_left", pledger_due_days_left(d, i));
        jw_end_obj(&w);
    }
    jw_end_arr(&w);
    jw_end_obj(&w);
    reply_json(out, 200, &w);
    jw_free(&w);
    pledger_due_free(d);
}

/* The day @in the library took (YYYY-MM-DD, YYYYMMDD, full-width digits
 * and dashes, white space around) as YYYY-MM-DD in @out: its 8 digits, in
 * order; @in itself when it holds another count of them. */
static const char *day_as_kept(const char *in, char out[11])
{
    char d[8];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        char digit = 0;
        if (*p >= '0' && *p <= '9')
            digit = (char)*p;
        else if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) {
            digit = (char)('0' + (p[2] - 0x90));   /* U+FF10..U+FF19 */
            p += 2;
        }
        if (digit && n++ < sizeof d)
            d[n - 1] = digit;
    }
    if (n != sizeof d)
        return in;
    snprintf(out, 11, "%.4s-%.2s-%.2s", d, d + 4, d + 6);
    return out;
}

static void get_stats(route_ctx *c, reply *out)
{
    pledger_stats_query q = { PLEDGER_STATS_QUERY_VERSION, NULL, NULL, 0, NULL };
    pledger_stats *st = NULL;

    if (!as_caller(c, c->reader, out))
        return;
    q.from = arg(c, "from");
    q.to = arg(c, "to");
    q.office = arg(c, "office");
    if (!q.from || !q.to) {
        bad_param(out, q.from ? "to" : "from", "required: a day, YYYY-MM-DD");
        return;
    }
    if (!kind_arg(c, &q.kind, out))
        return;
    int rc = pledger_stats_get(&st, c->reader, &q);
    if (rc) {
        reply_library_error(out, rc, c->reader);
        return;
    }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    /* the days counted, as the library read them: not echoed as typed */
    char from[11], to[11];
    jw_kstr(&w, "from", day_as_kept(q.from, from));
    jw_kstr(&w, "to", day_as_kept(q.to, to));
    jw_kstr(&w, "kind", q.kind ? pledger_kind_name((pledger_kind)q.kind) : NULL);
    jw_kstr(&w, "office", q.office);
    jw_kint(&w, "registrations", (int64_t)pledger_stats_registrations(st));
    jw_kint(&w, "cancellations", (int64_t)pledger_stats_cancellations(st));
    jw_kint(&w, "active", (int64_t)pledger_stats_active(st));
    jw_key(&w, "amounts");
    jw_arr(&w);
    for (size_t i = 0; i < pledger_stats_currency_count(st); i++) {
        int64_t reg = pledger_stats_amount_registered(st, i),
                act = pledger_stats_amount_active(st, i);
        jw_obj(&w);
        jw_kstr(&w, "currency", pledger_stats_currency(st, i));
        jw_key(&w, "registered");
        if (reg < 0)
            jw_null(&w);
        else
            jw_int(&w, reg);
        jw_key(&w, "active");
        if (act < 0)
            jw_null(&w);
        else
            jw_int(&w, act);
        jw_end_obj(&w);
    }
    jw_end_arr(&w);
    jw_end_obj(&w);
    reply_json(out, 200, &w);
    jw_free(&w);
    pledger_stats_free(st);
}

/* ---- the log ---------------------------------------------------------------------- */

static void proof(route_ctx *c, bool inclusion, reply *out)
{
    uint64_t a = 0, b = 0;
    pledger_proof *p = NULL;
    const char *an = inclusion ? "event" : "old", *bn = inclusion ? "size" : "new";
    int rc;

    if (!as_caller(c, c->reader, out))
        return;
    /* missing is said as missing: "a positive integer" read as if 0 were
     * refused, where it means the log's size now */
    if (!arg(c, an)) {
        bad_param(out, an, "must be given");
        return;
    }
    if (!parse_u64(arg(c, an), &a)) {
        bad_param(out, an, "a positive integer");
        return;
    }
    if (!arg(c, bn)) {
        bad_param(out, bn, "must be given (0: the log's size now)");
        return;
    }
    if (!parse_u64(arg(c, bn), &b)) {
        bad_param(out, bn, "a whole number (0: the log's size now)");
        return;
    }
    rc = inclusion ? pledger_log_prove_inclusion(&p, c->reader, a, b)
                   : pledger_log_prove_consistency(&p, c->reader, a, b);
    if (rc) {
        /* the library's old_size and size are the consistency's old and new
         * (an inclusion's event and size are the library's names too) */
        static const char *const consistency[] = { "old_size", "old", "size", "new", NULL };
        if (inclusion)
            reply_library_error(out, rc, c->reader);
        else
            reply_library_error_as(out, rc, c->reader, consistency);
        return;
    }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, an), jw_uint(&w, a);
    /* the size the proof is for: b, or the log's size when b is 0 (the
     * answer echoed 0, and a client could not tell which root it leads to) */
    jw_key(&w, bn), jw_uint(&w, pledger_proof_tree_size(p));
    jw_kstr(&w, "proof", pledger_proof_text(p));
    jw_end_obj(&w);
    reply_json(out, 200, &w);
    jw_free(&w);
    pledger_proof_free(p);
}

/* ---- filing and the data line ---------------------------------------------------------- */

static void findings_json(jw *w, const pledger_review *rv)
{
    jw_key(w, "findings");
    jw_arr(w);
    for (size_t i = 0; i < pledger_review_count(rv); i++) {
        jw_obj(w);
        jw_kstr(w, "code", pledger_review_code(rv, i));
        jw_kstr(w, "severity", pledger_severity_name(pledger_review_severity(rv, i)));
        jw_kstr(w, "path", pledger_review_path(rv, i));
        jw_kstr(w, "message", pledger_review_message(rv, i));
        jw_kstr(w, "basis", pledger_review_basis(rv, i));
        jw_end_obj(w);
    }
    jw_end_arr(w);
}

/* The library's "key" of a keyed filing is the request's Idempotency-Key
 * header (reply_library_error_as()). */
static const char *const key_header[] = { "key", "Idempotency-Key", NULL };

/* The caller may make the library call behind this endpoint
 * (endpoint_call(), pledger_may() on the writer): asked before a body is
 * read, so that an account that may not gets 401 or 403, not what is
 * wrong with a document it may not file. */
static bool may_call(route_ctx *c, reply *out)
{
    const char *call = endpoint_call(c->method, c->url);
    pthread_mutex_lock(c->writer_lock);
    bool ok = as_caller(c, c->writer, out);
    int rc = ok && call ? pledger_may(c->writer, call) : 0;
    if (rc) {
        reply_library_error(out, rc, c->writer);
        ok = false;
    }
    pthread_mutex_unlock(c->writer_lock);
    return ok;
}

/* POST /v1/applications (@uuid NULL): save a new application (a draft);
 * under an Idempotency-Key, once (pledger_application_save_keyed): the
 * same document sent again is answered 200 with what the first request
 * saved.  PUT /v1/applications/{uuid}: replace the document of a draft (a
 * corrected one after its review; a reviewed application becomes a draft
 * again), by the applicant that filed it or a clerk. */
static void save_application(route_ctx *c, const char *uuid, reply *out)
{
    pledger_application *app = NULL;
    int rc, replayed = 0;

    if (!may_call(c, out))
        return;
    if (!c->body) {
        reply_error(out, 400, PLEDGER_EINVAL, "the request body must be an application (XML)");
        return;
    }
    if ((rc = pledger_application_from_xml(&app, c->body, c->body_len))) {
        reply_library_error(out, rc, NULL);
        return;
    }
    const char *key =
        uuid ? NULL : MHD_lookup_connection_value(c->conn, MHD_HEADER_KIND, "Idempotency-Key");
    pthread_mutex_lock(c->writer_lock);
    if (as_caller(c, c->writer, out)) {
        rc = uuid ? pledger_application_replace(c->writer, uuid, app)
             : key ? pledger_application_save_keyed(c->writer, app, key, &replayed)
                   : pledger_application_save(c->writer, app);
        if (rc) {
            reply_library_error_as(out, rc, c->writer, key_header);
        } else {
            jw w;
            jw_init(&w);
            jw_obj(&w);
            jw_kstr(&w, "uuid", pledger_application_uuid(app));
            jw_kstr(&w, "state", pledger_app_state_name(pledger_application_state(app)));
            jw_key(&w, "replayed");
            jw_bool(&w, replayed != 0);
            jw_end_obj(&w);
            reply_json(out, uuid || replayed ? 200 : 201, &w);
            jw_free(&w);
        }
    }
    pthread_mutex_unlock(c->writer_lock);
    pledger_application_free(app);
}

typedef enum { STEP_REVIEW, STEP_SUBMIT, STEP_WITHDRAW } step_kind;

/* POST /v1/applications/{uuid}/review, /submit and /withdraw */
static void post_step(route_ctx *c, const char *uuid, step_kind step, reply *out)
{
    pledger_review *rv = NULL;
    bool review = step == STEP_REVIEW;
    int rc;

    pthread_mutex_lock(c->writer_lock);
    if (!as_caller(c, c->writer, out))
        goto done;
    rc = review ? pledger_application_review(&rv, c->writer, uuid)
         : step == STEP_SUBMIT ? pledger_application_submit(c->writer, uuid)
                               : pledger_application_withdraw(c->writer, uuid);
    pledger_app_state target = step == STEP_SUBMIT ? PLEDGER_APP_SUBMITTED : PLEDGER_APP_WITHDRAWN;
    bool replayed = false;
    pledger_application *app = NULL;
    if (rc == PLEDGER_ESTATE && !review) {
        /* A submit or withdrawal sent again after it was done (its answer
         * lost: a timeout, a dropped connection) finds the application in
         * the state it asked for: answered as done, "replayed", not as a
         * refusal the client would take for a failure.  Any other state
         * (accepted, withdrawn for a submit...) is still refused. */
        char why[1024];
        snprintf(why, sizeof why, "%s", pledger_errmsg(c->writer));
        if (pledger_application_load(&app, c->writer, uuid) == 0 &&
            pledger_application_state(app) == target) {
            replayed = true;
            rc = 0;
        } else {
            pledger_application_free(app);
            app = NULL;
            reply_error(out, 0, PLEDGER_ESTATE, why);
            goto done;
        }
    }
    if (rc) {
        reply_library_error(out, rc, c->writer);
        goto done;
    }
    /* the UUID as the registry keeps it (the library reads it in either
     * case): the answer names that */
    if (app || pledger_application_load(&app, c->writer, uuid) == 0)
        uuid = pledger_application_uuid(app);
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "uuid", uuid);
    if (review) {
        findings_json(&w, rv);
    } else {
        jw_kstr(&w, "state", pledger_app_state_name(target));
        jw_key(&w, "replayed");
        jw_bool(&w, replayed);
    }
    pledger_application_free(app);
    jw_end_obj(&w);
    reply_json(out, 200, &w);
    jw_free(&w);
done:
    pthread_mutex_unlock(c->writer_lock);
    pledger_review_free(rv);
}

static void get_application(route_ctx *c, const char *uuid, reply *out)
{
    pledger_application *app = NULL;
    if (!as_caller(c, c->reader, out))
        return;
    char *doc = NULL;
    int rc = pledger_application_load(&app, c->reader, uuid);
    if (!rc && (rc = pledger_application_to_xml(&doc, NULL, app)))
        pledger_application_free(app);
    if (rc) {
        reply_library_error(out, rc, c->reader);
        return;
    }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "uuid", pledger_application_uuid(app));
    jw_kstr(&w, "kind", pledger_kind_name(pledger_application_kind(app)));
    jw_kstr(&w, "state", pledger_app_state_name(pledger_application_state(app)));
    jw_kstr(&w, "acceptance_number", pledger_application_acceptance_number(app));
    jw_kstr(&w, "registration_number", pledger_application_registration_number(app));
    jw_kstr(&w, "document", doc);
    jw_end_obj(&w);
    reply_json(out, 200, &w);
    jw_free(&w);
    pledger_free(doc);
    pledger_application_free(app);
}

/* @list ("submitted,accepted"): each name a state, into *@mask (a bit
 * per state); false when a name is no state. */
static bool state_mask(const char *list, unsigned *mask)
{
    *mask = 0;
    for (const char *p = list;; p++) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        int found = 0;
        for (int st = PLEDGER_APP_DRAFT; st <= PLEDGER_APP_FORWARDED; st++) {
            const char *name = pledger_app_state_name((pledger_app_state)st);
            if (strlen(name) == n && !strncmp(p, name, n))
                found = st;
        }
        if (!found)
            return false;
        *mask |= 1u << found;
        if (!end)
            return true;
        p = end;
    }
}

/* GET /v1/applications: an applicant's own applications, or (clerk,
 * registrar, auditor) any actor's, by state and kind, a page at a time. */
static void list_applications(route_ctx *c, reply *out)
{
    pledger_app_filter f = PLEDGER_APP_FILTER_INIT;
    pledger_app_list *l = NULL;
    const char *state = arg(c, "state");
    if (!as_caller(c, c->reader, out))
        return;
    if (state && !state_mask(state, &f.states)) {
        bad_param(out, "state", "application states separated by commas: draft, reviewed, "
                                "submitted, accepted, correction_requested, registered, "
                                "refused, withdrawn, forwarded");
        return;
    }
    if (!kind_arg(c, &f.kind, out))
        return;
    f.filed_by = arg(c, "filed_by");
    f.after = arg(c, "after");
    if (!int_param(c, "limit", &f.limit, out))
        return;
    int rc = pledger_application_list(&l, c->reader, &f);
    if (rc) {
        reply_library_error(out, rc, c->reader);
        return;
    }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "applications");
    jw_arr(&w);
    size_t count = pledger_app_list_count(l);
    for (size_t i = 0; i < count; i++) {
        jw_obj(&w);
        jw_kstr(&w, "uuid", pledger_app_list_uuid(l, i));
        jw_kstr(&w, "kind", pledger_kind_name(pledger_app_list_kind(l, i)));
        jw_kstr(&w, "state", pledger_app_state_name(pledger_app_list_state(l, i)));
        jw_kstr(&w, "filed_by", pledger_app_list_filed_by(l, i));
        jw_kint(&w, "saved_at", pledger_app_list_saved_at(l, i));
        jw_kint(&w, "updated_at", pledger_app_list_updated_at(l, i));
        jw_kstr(&w, "acceptance_number", pledger_app_list_acceptance_number(l, i));
        jw_kstr(&w, "registration_number", pledger_app_list_registration_number(l, i));
        jw_kstr(&w, "pledgor_name", pledger_app_list_pledgor_name(l, i));
        jw_kstr(&w, "pledgee_name", pledger_app_list_pledgee_name(l, i));
        jw_end_obj(&w);
    }
    jw_end_arr(&w);
    /* a full page may have a next one */
    jw_key(&w, "next_after");
    jw_str(&w, count && count == (size_t)f.limit ? pledger_app_list_uuid(l, count - 1) : NULL);
    jw_end_obj(&w);
    reply_json(out, 200, &w);
    jw_free(&w);
    pledger_app_list_free(l);
}

/* POST /v1/filings: bulk filing (pledger_file_batch), all or nothing. */
static void post_filings(route_ctx *c, reply *out)
{
    pledger_application **apps = NULL;
    pledger_filing *f = NULL;
    size_t n = 0;
    int rc;

    if (!may_call(c, out))
        return;
    if (!c->body || !c->body_len) {
        reply_error(out, 400, PLEDGER_EINVAL, "the request body must be a <filings> document "
                    "(XML)");
        return;
    }
    /* the envelope and each application in it read by the library, as
     * one application alone is: UTF-8 whatever the declaration says, no
     * DOCTYPE, its limits; a refusal names the line */
    if ((rc = pledger_filings_from_xml(&apps, &n, c->body, c->body_len))) {
        reply_library_error(out, rc, NULL);
        return;
    }
    /* a client that may send the batch again names it (a retry after a
     * lost answer is then answered, not filed twice) */
    const char *key = MHD_lookup_connection_value(c->conn, MHD_HEADER_KIND, "Idempotency-Key");
    pthread_mutex_lock(c->writer_lock);
    if (!as_caller(c, c->writer, out))
        goto done;
    rc = key ? pledger_file_batch_keyed(&f, c->writer, key, apps, n)
             : pledger_file_batch(&f, c->writer, apps, n);
    if (rc && rc != PLEDGER_EREVIEW) {
        reply_library_error_as(out, rc, c->writer, key_header);
        goto done;
    }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    if (rc)
        json_error(&w, rc, pledger_errmsg(c->writer));
    jw_key(&w, "replayed");
    jw_bool(&w, pledger_filing_replayed(f) != 0);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < pledger_filing_count(f); i++) {
        jw_obj(&w);
        jw_kstr(&w, "uuid", pledger_filing_uuid(f, i));
        jw_kstr(&w, "acceptance_number", pledger_filing_acceptance_number(f, i));
        jw_kstr(&w, "number", pledger_filing_number(f, i));
        jw_kstr(&w, "modcode", pledger_filing_modcode(f, i));
        jw_key(&w, "blocked");
        jw_bool(&w, pledger_filing_item_blocked(f, i) != 0);
        findings_json(&w, pledger_filing_review(f, i));
        jw_end_obj(&w);
    }
    jw_end_arr(&w);
    jw_end_obj(&w);
    /* filed before under its key: 200, what was filed then */
    reply_json(out, rc ? 409 : pledger_filing_replayed(f) ? 200 : 201, &w);
    jw_free(&w);
done:
    pthread_mutex_unlock(c->writer_lock);
    pledger_filing_free(f);
    pledger_application_array_free(apps, n);
}

static void post_exchange(route_ctx *c, reply *out)
{
    char *receipt = NULL;
    size_t len = 0;

    if (!may_call(c, out))
        return;
    if (!c->xkey || !c->xtrust) {
        reply_error(out, 501, PLEDGER_ENOTSUP, "this service has no exchange_key and "
                                              "exchange_trust configured");
        return;
    }
    if (!c->body) {
        reply_error(out, 400, PLEDGER_EINVAL, "the request body must be a batch or receipt");
        return;
    }
    pthread_mutex_lock(c->writer_lock);
    if (as_caller(c, c->writer, out)) {
        int rc = pledger_exchange_import(&receipt, &len, c->writer, c->body, c->body_len,
                                         c->xtrust, c->xkey);
        if (rc)
            reply_library_error(out, rc, c->writer);
        else if (receipt)
            reply_text(out, 200, "application/xml", receipt);
        else
            reply_text(out, 200, "application/json", "{\"receipt_taken\":true}");
    }
    pthread_mutex_unlock(c->writer_lock);
    pledger_free(receipt);
}

/* ---- search reports: the bank's own, the auditor's list ----------------------------- */

static void get_report(route_ctx *c, const char *id, reply *out)
{
    uint64_t n = 0;
    char *note = NULL;

    if (!as_caller(c, c->reader, out))
        return;
    if (!parse_u64(id, &n) || n == 0) {
        reply_error(out, 400, PLEDGER_EINVAL, "a search report's number is a positive integer");
        return;
    }
    int rc = pledger_report_get(&note, c->reader, n);
    if (rc) {
        reply_library_error(out, rc, c->reader);
        return;
    }
    reply_text(out, 200, "text/plain; charset=utf-8", note);
    pledger_free(note);
}

static void list_reports(route_ctx *c, reply *out)
{
    pledger_report_filter f = PLEDGER_REPORT_FILTER_INIT;
    pledger_report_list *l = NULL;

    if (!as_caller(c, c->reader, out))
        return;
    f.party = arg(c, "party");
    f.actor = arg(c, "actor");
    if (!instant_arg(c, "from", &f.from, out) || !instant_arg(c, "to", &f.to, out))
        return;
    if (!int_arg(c, "after", 0, INT64_MAX, "a report number (the last of the previous page)",
                 &f.after, out) ||
        !int_param(c, "limit", &f.limit, out))
        return;
    int rc = pledger_report_find(&l, c->reader, &f);
    if (rc) {
        reply_library_error(out, rc, c->reader);
        return;
    }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "reports");
    jw_arr(&w);
    size_t count = pledger_report_list_count(l);
    for (size_t i = 0; i < count; i++) {
        jw_obj(&w);
        jw_key(&w, "number"), jw_uint(&w, pledger_report_list_number(l, i));
        jw_kint(&w, "issued_at", pledger_report_list_issued_at(l, i));
        jw_kstr(&w, "actor", pledger_report_list_actor(l, i));
        jw_kstr(&w, "role", pledger_role_name(pledger_report_list_role(l, i)));
        jw_kstr(&w, "kind", pledger_report_kind_name(pledger_report_list_kind(l, i)));
        jw_kstr(&w, "query", pledger_report_list_query(l, i));
        jw_key(&w, "result_count"), jw_uint(&w, pledger_report_list_result_count(l, i));
        jw_key(&w, "log_size"), jw_uint(&w, pledger_report_list_log_size(l, i));
        jw_end_obj(&w);
    }
    jw_end_arr(&w);
    /* a full page may have a next one */
    jw_key(&w, "next_after");
    if (count && count == (size_t)f.limit)
        jw_uint(&w, pledger_report_list_number(l, count - 1));
    else
        jw_null(&w);
    jw_end_obj(&w);
    reply_json(out, 200, &w);
    jw_free(&w);
    pledger_report_list_free(l);
}

/* ---- routing ---------------------------------------------------------------------- */

/* @url is "/v1/<first>/<id>[/<rest>]": true with id copied (up to PATH_MAX_BYTES
 * bytes, no '/') and *@rest the rest ("" or "/certificate"). */
static bool path_id(const char *url, const char *first, char id[PATH_MAX_BYTES + 1],
                    const char **rest)
{
    size_t fl = strlen(first);
    if (strncmp(url, first, fl) != 0 || url[fl] != '/')
        return false;
    const char *p = url + fl + 1, *slash = strchr(p, '/');
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    if (n == 0 || n > PATH_MAX_BYTES)
        return false;
    memcpy(id, p, n);
    id[n] = '\0';
    *rest = p + n;
    return true;
}

void route(route_ctx *c, reply *out)
{
    bool get = strcmp(c->method, "GET") == 0, post = strcmp(c->method, "POST") == 0,
         put = strcmp(c->method, "PUT") == 0;
    const char *rest;
    char id[PATH_MAX_BYTES + 1];

    /* the path and its method: checked by service.c (method_check) */
    if (!params_check(c, out))
        return;
    if (get && strcmp(c->url, "/v1/status") == 0)
        get_status(c, out);
    else if (get && strcmp(c->url, "/v1/checkpoint") == 0)
        get_checkpoint(c, out);
    else if (get && strcmp(c->url, "/v1/pledges") == 0)
        search(c, out);
    else if (get && path_id(c->url, "/v1/pledges", id, &rest) && !*rest)
        get_pledge(c, id, out);
    else if (get && path_id(c->url, "/v1/pledges", id, &rest) &&
             strcmp(rest, "/certificate") == 0)
        get_certificate(c, id, out);
    else if (get && path_id(c->url, "/v1/pledges", id, &rest) && strcmp(rest, "/rank") == 0)
        get_rank(c, id, out);
    else if (get && path_id(c->url, "/v1/pledges", id, &rest) &&
             strcmp(rest, "/statement") == 0)
        get_statement(c, id, out);
    else if (get && strcmp(c->url, "/v1/due") == 0)
        get_due(c, out);
    else if (get && strcmp(c->url, "/v1/stats") == 0)
        get_stats(c, out);
    else if (get && strcmp(c->url, "/v1/log/inclusion") == 0)
        proof(c, true, out);
    else if (get && strcmp(c->url, "/v1/log/consistency") == 0)
        proof(c, false, out);
    else if (post && strcmp(c->url, "/v1/applications") == 0)
        save_application(c, NULL, out);
    else if (get && strcmp(c->url, "/v1/applications") == 0)
        list_applications(c, out);
    else if (get && path_id(c->url, "/v1/applications", id, &rest) && !*rest)
        get_application(c, id, out);
    else if (put && path_id(c->url, "/v1/applications", id, &rest) && !*rest)
        save_application(c, id, out);
    else if (post && path_id(c->url, "/v1/applications", id, &rest) &&
             (!strcmp(rest, "/review") || !strcmp(rest, "/submit") ||
              !strcmp(rest, "/withdraw")))
        post_step(c, id, !strcmp(rest, "/review")   ? STEP_REVIEW
                         : !strcmp(rest, "/submit") ? STEP_SUBMIT
                                                    : STEP_WITHDRAW, out);
    else if (post && strcmp(c->url, "/v1/exchange") == 0)
        post_exchange(c, out);
    else if (post && strcmp(c->url, "/v1/filings") == 0)
        post_filings(c, out);
    else if (get && strcmp(c->url, "/v1/reports") == 0)
        list_reports(c, out);
    else if (get && strcmp(c->url, "/v1/reports/verify") == 0)
        get_reports_check(c, out);
    else if (get && path_id(c->url, "/v1/reports", id, &rest) && !*rest)
        get_report(c, id, out);
    else if (!route_read(c, out))
        reply_error(out, 404, PLEDGER_ENOTFOUND, "no such endpoint (see openapi.json)");
}
