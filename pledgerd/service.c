/* The HTTP side: libmicrohttpd's threads, each with a read-only handle of
 * its own; one writer handle behind a lock (filings, exchange); no
 * transaction held across requests.  Routing, authentication, limits and
 * errors are here; each endpoint is a function of routes.c.
 *
 * pledgerd accepts on its listening socket itself (acceptor.h) and hands
 * each connection to the libmicrohttpd daemon serving the certificate (a
 * listener, below).  SIGHUP with a new certificate starts another daemon
 * and retires the old one: it gets no more connections, finishes the ones
 * it has, and is stopped when they are done. */
#include "service.h"
#include "language.h"
#include "acceptor.h"
#include "params.h"
#include "recorder.h"
#include "routes.h"
#include "side.h"

#include <libxml/parser.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One libmicrohttpd daemon, with one certificate, taking the connections
 * the acceptor hands it while it is the live one.  Its threads only read
 * it; the main thread (service_start, the reload, service_reap,
 * service_stop) makes, retires and frees it. */
typedef struct listener {
    struct service *s;
    struct MHD_Daemon *d;
    char *cert_pem, *key_pem;   /* what it serves (NULL with tls = off) */
    atomic_bool retired;        /* accepts no more; its answers say Connection: close */
    atomic_uint in_flight;      /* requests begun and not completed */
    atomic_uint at_work;        /* of them, read whole and being answered */
    int64_t retired_ms;         /* when, on CLOCK_MONOTONIC */
    struct listener *next;      /* the next retired one */
} listener;

/* A retired daemon is stopped when its last connection is gone (idle ones
 * close after timeout_seconds, and its answers ask the client to close),
 * or after this long at most. */
#define DRAIN_MAX_MS 60000
/* At SIGTERM, how long a request being answered is waited for. */
#define DRAIN_WORK_MAX_MS 600000
/* At SIGTERM, how long the open connections are given to show a request
 * sent as the signal came (its bytes not read yet): it is answered too. */
#define DRAIN_SETTLE_MS 300

/* A connection's record (its libmicrohttpd socket context): the token it
 * last proved, and the instant by which its next request must have been
 * read whole.  libmicrohttpd's connection timeout only counts idle time,
 * so a client trickling a byte a second would hold its connection, and a
 * few such the whole service, for ever: service_sweep() cuts a
 * connection past its deadline. */
typedef struct conn_rec {
    token_memo memo;            /* first: what accounts_check_memo() reads */
    int fd;
    atomic_llong deadline_ms;   /* CLOCK_MONOTONIC; 0: a request being answered */
    bool cut;                   /* shut down by the sweep (under conns_lock) */
    struct conn_rec *prev, *next;
} conn_rec;

struct service {
    config cfg;
    char lang_tag[24]; /* Content-Language of the answers in cfg.language; "": none */
    pthread_mutex_t conns_lock; /* @conns */
    conn_rec *conns;            /* every connection of every daemon */
    accounts acc;
    acceptor *acc_thread;       /* the listening socket and its thread */
    pthread_mutex_t live_lock;  /* @live, as the accepting thread reads it */
    listener *live;             /* gets the new connections */
    listener *retired;          /* finishing the connections they have */
    pthread_key_t reader_key;
    pthread_mutex_t writer_lock;
    pledger_registry *writer;
    /* the recorder's own handle and lock: it writes only the reports (their
     * lock alone), so a bulk filing holding the writer for seconds does not
     * hold the answers waiting for their reports */
    pthread_mutex_t reports_lock;
    pledger_registry *reports;
    pledger_registry *flusher;  /* folds the reports' log (recorder.h) */
    pledger_registry *syncer;   /* syncs it before the answers go (recorder.h) */
    pledger_keyring *xkey, *xtrust, *skey, *rkey;
    recorder *rec;
    /* the long requests, answered off the connections' threads (side.h):
     * the writes, in turn; a verification, one at a time */
    side *writes, *checks;
};

static char *slurp(const char *path, char *err, size_t err_size)
{
    errno = 0;
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || n > (1 << 20) ||
        fseek(f, 0, SEEK_SET) || !(buf = malloc((size_t)n + 1)) ||
        fread(buf, 1, (size_t)n, f) != (size_t)n) {
        snprintf(err, err_size, "%s: %s", path, errno ? strerror(errno) : "cannot be read");
        free(buf);
        if (f)
            fclose(f);
        return NULL;
    }
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_reader(void *p) { pledger_close(p); }

/* This thread's read-only handle (opened on first use). */
static pledger_registry *reader(service *s, int *rc)
{
    pledger_registry *r = pthread_getspecific(s->reader_key);
    *rc = 0;
    if (!r) {
        pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
        o.read_only = 1;
        o.create = 0;
        if ((*rc = pledger_open(&r, s->cfg.registry, &o)))
            return NULL;
        pthread_setspecific(s->reader_key, r);
    }
    return r;
}

/* ---- a request ------------------------------------------------------------------ */

typedef struct request {
    bool begun;       /* handle() has seen it (uri_seen() may make it first) */
    bool counted;     /* counted in its listener's in_flight: from its request
                       * line on (uri_seen()), so that a stop waits for the
                       * rest of its head too */
    bool at_work;     /* read whole; counted in at_work */
    bool path_nul;    /* its path, as sent, holds %00 */
    bool path_slash;  /* its path, as sent, holds %2F */
    size_t params;    /* its query's parameters when over QUERY_MAX_PARAMS (and
                       * then not read): 0 otherwise */
    bool early;       /* answered before its body was read (ambiguous_headers(),
                       * a body from no account, or over its rate): what else
                       * comes is not read */
    bool rated;       /* its account's budget was charged for it */
    char *body;
    size_t len, cap;  /* cap: body's size, grown by doubling */
    bool too_large;
    /* suspended until its search report is recorded (routes.h, report_ask) */
    bool waiting;
    atomic_bool recorded;
    struct MHD_Connection *conn;
    reply out;
    /* suspended while a side thread answers it (a bulk filing, a batch of
     * the data line, a verification: seconds, which this thread's other
     * connections would otherwise wait out) */
    bool aside;
    atomic_bool aside_done;
    route_ctx rc;
    side_job job;
    service *s;
} request;

/* On the recorder's thread: the report of a suspended answer is recorded
 * (or refused); the connection goes on (handle() is called again). */
static void report_recorded(recorder_job *job)
{
    request *rq = job->ctx;
    atomic_store(&rq->recorded, true);
    MHD_resume_connection(rq->conn);
}

/* On a side thread: answer the request (route(): a write takes the
 * writer's lock; a verification reads on this thread's own handle);
 * send_aside() then resumes its connection (handle() sends the answer). */
static void answer_aside(side_job *job)
{
    request *rq = (request *)((char *)job - offsetof(request, job));
    /* in the language its connection's thread chose (handle()) */
    if (rq->rc.lang[0])
        pledger_set_thread_language(rq->rc.lang);
    if (strcmp(rq->rc.method, "GET") == 0) {
        int orc = 0;
        rq->rc.reader = reader(rq->s, &orc);
        if (rq->rc.reader)
            route(&rq->rc, &rq->out);
        else
            reply_error(&rq->out, 503, orc, "the registry cannot be opened");
    } else {
        route(&rq->rc, &rq->out);
    }
    pledger_set_thread_language(NULL);
}

/* Its answer made (answer_aside), the side thread no longer counts it:
 * send it. */
static void send_aside(side_job *job)
{
    request *rq = (request *)((char *)job - offsetof(request, job));
    struct MHD_Connection *c = rq->conn;
    atomic_store(&rq->aside_done, true);
    MHD_resume_connection(c); /* rq may be gone from here */
}

/* The requests answered on the writes thread: every POST and PUT (each
 * writes, under the writer's lock).  A bulk filing writes for seconds; a
 * short write answered on its connection's thread waited as long for the
 * lock, and held that thread's other connections meanwhile. */
static bool on_writes_thread(const char *method)
{
    return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0;
}

/* The requests answered on the checks thread, one at a time: the
 * verifications, each of the whole journal or of every search report. */
static bool on_checks_thread(const char *method, const char *url)
{
    return strcmp(method, "GET") == 0 &&
           (strcmp(url, "/v1/log/verify") == 0 || strcmp(url, "/v1/reports/verify") == 0);
}

static enum MHD_Result send_reply(struct MHD_Connection *c, unsigned status, const char *type,
                            const char *body, size_t len, uint64_t report,
                            bool close_after, const char *lang, const reply *more)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    /* the language the client asked for and the messages are in */
    if (lang && *lang) {
        MHD_add_response_header(r, "Content-Language", lang);
        MHD_add_response_header(r, "Vary", "Accept-Language");
    }
    /* a retired daemon's connection: the next request goes to the new one
     * (should this fail, the connection closes when the daemon stops) */
    if (close_after)
        (void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    if (more && *more->allow) /* a 405: what the path serves (RFC 9110, 15.5.6) */
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, more->allow);
    if (more && more->retry_after) { /* a 429: when the account may ask again */
        char n[16];
        snprintf(n, sizeof n, "%u", more->retry_after);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, n);
    }
    if (status == 401) {
        /* the challenge a 401 carries (RFC 9110 15.5.2; RFC 6750 3: a
         * token was given and is not taken, or none was) */
        bool given = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                given ? "Bearer realm=\"pledgerd\", error=\"invalid_token\""
                                      : "Bearer realm=\"pledgerd\"");
    }
    if (report) {
        char n[24];
        snprintf(n, sizeof n, "%llu", (unsigned long long)report);
        MHD_add_response_header(r, "Pledger-Report", n);
    }
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

void reply_json(reply *out, unsigned status, jw *w)
{
    const char *t = jw_text(w);
    out->status = t ? status : 500;
    out->type = "application/json";
    out->body = strdup(t ? t : "{\"error\":{\"code\":-13,\"name\":\"PLEDGER_ENOMEM\","
                               "\"message\":\"out of memory\"}}");
    out->len = out->body ? strlen(out->body) : 0;
}

void reply_text(reply *out, unsigned status, const char *type, const char *text)
{
    out->status = status;
    out->type = type;
    out->body = strdup(text);
    out->len = out->body ? strlen(out->body) : 0;
}

/* The HTTP status of a library code. */
static unsigned http_status(int code)
{
    switch (code) {
    case PLEDGER_EINVAL: case PLEDGER_EXML: return 400;
    case PLEDGER_EPERM: case PLEDGER_EREADONLY: return 403;
    case PLEDGER_ENOTFOUND: return 404;
    case PLEDGER_ESTATE: case PLEDGER_ECONFLICT: case PLEDGER_EREVIEW: case PLEDGER_ECODE:
        return 409;
    case PLEDGER_EBUSY: return 503;
    case PLEDGER_ENOTSUP: return 501;
    default: return 500;
    }
}

/* The status whose kind @status is, as http_status() answers: 401 is a
 * 403 (the account's), 429 a 503 (try again), another 4xx a 400 (the
 * request's), another 5xx a 500 (the service's). */
static unsigned status_kind(unsigned status)
{
    switch (status) {
    case 401: return 403;
    case 429: return 503;
    case 403: case 404: case 409: case 500: case 501: case 503: return status;
    default: return status >= 500 ? 500 : 400;
    }
}

/* The code an error answer of @status says for the library's @code: @code
 * when it is of the status's kind, else the status's own.  A client reads
 * both (a proxy and a retrying library the status, a script the code),
 * and they must say the same: a registry this thread cannot open -- its
 * file gone (PLEDGER_ENOTFOUND), damaged -- is a 503, "try again later"
 * (PLEDGER_EBUSY), not "no such registration". */
static int code_of_status(unsigned status, int code)
{
    if (status == 401)   /* no account's: whatever the account may do */
        return PLEDGER_EPERM;
    if (http_status(code) == status_kind(status))
        return code;
    switch (status_kind(status)) {
    case 400: return PLEDGER_EINVAL;
    case 403: return PLEDGER_EPERM;
    case 404: return PLEDGER_ENOTFOUND;
    case 409: return PLEDGER_ECONFLICT;
    case 501: return PLEDGER_ENOTSUP;
    case 503: return PLEDGER_EBUSY;
    default: return PLEDGER_EIO;
    }
}

static const char *code_name(int code)
{
    static const char *const names[] = {
        "PLEDGER_OK", "PLEDGER_EINVAL", "PLEDGER_ENOTFOUND", "PLEDGER_ESTATE",
        "PLEDGER_ECONFLICT", "PLEDGER_EPERM", "PLEDGER_EREADONLY", "PLEDGER_EBUSY",
        "PLEDGER_EIO", "PLEDGER_ECORRUPT", "PLEDGER_ENOTDB", "PLEDGER_ENEWER", "PLEDGER_EXML",
        "PLEDGER_ENOMEM", "PLEDGER_EREVIEW", "PLEDGER_ECODE", "PLEDGER_ECANCELLED",
        "PLEDGER_ENOTSUP",
    };
    return code <= 0 && -code < (int)(sizeof names / sizeof names[0]) ? names[-code]
                                                                       : "PLEDGER_E?";
}

static bool word_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
}

/* The library's message in the service's words, into @out (@size bytes):
 * without the C functions it names ("pledger_search: ", or "pledger_search："
 * as the Chinese catalogue writes it), and a field of a
 * C call's options ("query->party_name", "q->to", "filter.after") named
 * bare, as the query parameter that fills it is ("party_name", "to",
 * "after"). */
static void service_words(const char *msg, char *out, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; msg[i] && o + 1 < size;) {
        bool start = i == 0 || !word_char(msg[i - 1]);
        size_t k = i;
        if (start && strncmp(msg + i, "pledger_", 8) == 0) {
            for (k = i + 8; word_char(msg[k]); k++)
                ;
            if (msg[k] == ':' && msg[k + 1] == ' ') {
                i = k + 2;
                continue;
            }
            /* a catalogue's full-width colon (U+FF1A) */
            if (!strncmp(msg + k, "\xef\xbc\x9a", 3)) {
                for (i = k + 3; msg[i] == ' '; i++)
                    ;
                continue;
            }
        } else if (start && msg[i] >= 'a' && msg[i] <= 'z') {
            for (k = i; msg[k] >= 'a' && msg[k] <= 'z'; k++)
                ;
            if (msg[k] == '-' && msg[k + 1] == '>' && word_char(msg[k + 2])) {
                i = k + 2;
                continue;
            }
            /* a filter's field: "filter.after" */
            if (k - i == 6 && !strncmp(msg + i, "filter", 6) && msg[k] == '.' &&
                word_char(msg[k + 1])) {
                i = k + 1;
                continue;
            }
        }
        out[o++] = msg[i++];
    }
    out[o] = '\0';
}

void json_error(jw *w, int code, const char *message)
{
    char said[2048];
    service_words(message ? message : "", said, sizeof said);
    jw_key(w, "error");
    jw_obj(w);
    jw_kint(w, "code", code);
    jw_kstr(w, "name", code_name(code));
    /* it may quote what the client sent (a path, a parameter, a header,
     * the body): shown, not obeyed, by the terminal it is read on */
    jw_kmsg(w, "message", said);
    jw_end_obj(w);
}

/* Lines of the log a client can cause -- a failure of the service's
 * (5xx), libmicrohttpd's words about a connection -- at most one a second
 * of each kind, with the count of those left out since: a full disk under
 * load fails every answer, and anyone may open and drop connections.  The
 * count left at stop is said then (log_left_out_at_stop). */
typedef struct log_limit {
    _Atomic int64_t last_us;  /* the last line written */
    atomic_ulong left_out;    /* lines not written since */
    const char *what;         /* "failures", "libmicrohttpd messages" */
} log_limit;

static log_limit failures_log = { INT64_MIN / 2, 0, "failures answered" };
static log_limit mhd_log_limit = { INT64_MIN / 2, 0, "libmicrohttpd messages" };

/* Whether a line may be written now; *@left the lines left out before it. */
static bool log_limit_take(log_limit *l, unsigned long *left)
{
    int64_t now = now_us(), last = atomic_load(&l->last_us);

    if (now - last < 1000000 || !atomic_compare_exchange_strong(&l->last_us, &last, now)) {
        atomic_fetch_add(&l->left_out, 1);
        return false;
    }
    *left = atomic_exchange(&l->left_out, 0);
    return true;
}

static void log_left_out_at_stop(log_limit *l)
{
    unsigned long left = atomic_exchange(&l->left_out, 0);
    if (left)
        fprintf(stderr, "pledgerd: and %lu more %s since the last one logged\n", left, l->what);
}

static void log_failure(unsigned status, int code, const char *message)
{
    unsigned long n;
    char said[1024];

    if (!log_limit_take(&failures_log, &n))
        return;
    /* what a client sent, quoted in it, neither breaks the line nor turns it around */
    jw_shown(said, sizeof said, message);
    message = said;
    if (n)
        fprintf(stderr, "pledgerd: answered %u (%s): %s (and %lu more failures since the last "
                "one logged)\n", status, code_name(code), message, n);
    else
        fprintf(stderr, "pledgerd: answered %u (%s): %s\n", status, code_name(code), message);
}

void reply_error(reply *out, unsigned status, int code, const char *message)
{
    if (!status)
        status = http_status(code);
    /* the status and the code say the same (the library's code, when it
     * does not, is the operator's, in the log) */
    int said = code_of_status(status, code);
    jw w;
    jw_init(&w);
    jw_obj(&w);
    /* a message of the service's, in the client's language; the library's
     * and those formatted with TR() come translated */
    json_error(&w, said, TR(message));
    jw_end_obj(&w);
    /* the log is the operator's: the service's own words in English (a
     * library's message comes in the words it was answered in) */
    if (status >= 500)
        log_failure(status, code, message);
    reply_json(out, status, &w);
    jw_free(&w);
}

void reply_library_error(reply *out, int code, pledger_registry *reg)
{
    reply_error(out, 0, code, pledger_errmsg(reg));
}

void reply_library_error_as(reply *out, int code, pledger_registry *reg,
                            const char *const *renames)
{
    char said[2048], named[2048];
    size_t k = 0;

    /* the field a refusal is about begins it ("right is empty", "key: 300
     * characters; a key has 1 to 128"): that word only, not the same word
     * later in the sentence */
    service_words(pledger_errmsg(reg), said, sizeof said);
    while (word_char(said[k]))
        k++;
    for (size_t r = 0; k && renames[r]; r += 2)
        if (strlen(renames[r]) == k && !strncmp(said, renames[r], k)) {
            snprintf(named, sizeof named, "%s%s", renames[r + 1], said + k);
            reply_error(out, 0, code, named);
            return;
        }
    reply_error(out, 0, code, said);
}

/* ---- the handler ---------------------------------------------------------------- */

/* How many times each header that says what the request is was given. */
enum {
    H_AUTHORIZATION, H_CONTENT_LENGTH, H_CONTENT_TYPE, H_TRANSFER_ENCODING, H_HOST,
    H_IDEMPOTENCY_KEY, H_COUNT
};
static const char *const header_names[H_COUNT] = {
    "Authorization", "Content-Length", "Content-Type", "Transfer-Encoding", "Host",
    "Idempotency-Key",
};

static enum MHD_Result count_headers(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    unsigned *n = cls;
    (void)kind;
    (void)value;
    for (int i = 0; key && i < H_COUNT; i++)
        if (strcasecmp(key, header_names[i]) == 0)
            n[i]++;
    return MHD_YES;
}

/* What check_header() found wrong, "" if nothing; and where the header
 * before ends, to see whether a NUL cut its value (value_cut_at_nul()). */
typedef struct header_fault {
    char why[512];
    const char *key, *end;     /* the last header's name, and where its value ends */
    size_t key_size;
} header_fault;

/* @s (@n bytes, a NUL among them) for a message, into @out (@size
 * bytes): at most 40 bytes of it ("..." after them), each character a
 * terminal would obey or hide escaped as the answer's messages are
 * (jw_shown()), a NUL as \x00. */
static void shown(char *out, size_t size, const char *s, size_t n)
{
    char piece[41];
    size_t o = 0, k = n < 40 ? n : 40;

    out[0] = '\0';
    for (size_t i = 0; i < k && o + 1 < size;) {
        size_t run = strnlen(s + i, k - i);
        memcpy(piece, s + i, run);
        piece[run] = '\0';
        jw_shown(out + o, size - o, piece);
        o += strlen(out + o);
        i += run;
        if (i < k) {   /* a NUL */
            snprintf(out + o, size - o, "\\x00");
            o += strlen(out + o);
            i++;
        }
    }
    if (n > k)
        snprintf(out + o, size - o, "...");
}

/* RFC 9110 5.6.2: a character of a token. */
static bool tchar(unsigned char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

static void say_nul(header_fault *f, const char *key, size_t key_size);

/* libmicrohttpd 0.9 gives a header's value as a string ended where the
 * line had a NUL, with a length that ends there too.  It reads the
 * head in place, each line's end (CR LF, or LF) made NULs, so after a
 * value it read whole come one or two NULs, then the next header's name
 * (@next) -- or, after the last value (@next NULL), the empty line, a
 * NUL too.  Anything else after a value's end (@f->end) is the rest of a
 * value cut at a NUL in it: said in @f (true).  (A NUL that is the last
 * byte of the last header's value, just before its line's end, looks as
 * that line's CR does: it is not seen.) */
static bool value_cut_at_nul(header_fault *f, const char *next)
{
    const char *e = f->end;
    if (!e)
        return false;
    bool cut;
    if (next && next > e && next - e <= 64) {
        /* the line's end, up to the next name: one or two NULs */
        cut = next - e > 2;
        for (const char *p = e; p < next; p++)
            cut |= *p != '\0';
    } else {
        cut = e[1] != '\0' && e + 1 != next;
    }
    if (cut)
        say_nul(f, f->key, f->key_size);
    return cut;
}

/* A header whose name is not a token or whose value holds a NUL or
 * another control character (RFC 9110 5.1, 5.5) stops the walk, said in
 * the fault @cls: "Content-Length : 5" (white space before the colon) is
 * no Content-Length to libmicrohttpd, which would read the body as the
 * next request where a proxy before it read it as this one's (RFC 9112
 * 5.1: refused, 400); a value read up to a NUL in it would be another
 * value than the one sent ("Authorization: Bearer TOKEN\0..." taken as
 * TOKEN, "Idempotency-Key: K\0..." as K). */
static enum MHD_Result check_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    size_t key_size, const char *value, size_t value_size)
{
    header_fault *f = cls;
    char name[200];
    const unsigned char *k = (const unsigned char *)(key ? key : "");
    const unsigned char *v = (const unsigned char *)(value ? value : "");
    (void)kind;

    if (!key)
        key_size = 0;
    if (!value)
        value_size = 0;
    if (value_cut_at_nul(f, key))   /* the header before this one */
        return MHD_NO;
    f->key = key;
    f->key_size = key_size;
    f->end = value ? value + value_size : NULL;
    size_t kn = 0;
    while (kn < key_size && tchar(k[kn]))
        kn++;
    if (!kn || kn < key_size) {
        shown(name, sizeof name, (const char *)k, key_size);
        snprintf(f->why, sizeof f->why, TR("the header name '%s' is not a token (RFC 9110 5.1: "
                 "no space before the colon)"), name);
        return MHD_NO;
    }
    for (size_t i = 0; i < value_size; i++)
        if (!v[i]) {
            say_nul(f, key, kn);
            return MHD_NO;
        } else if ((v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f) {
            shown(name, sizeof name, (const char *)k, kn);
            snprintf(f->why, sizeof f->why, TR("the value of the header '%s' holds the control "
                     "character 0x%02x"), name, v[i]);
            return MHD_NO;
        }
    return MHD_YES;
}

/* The fault of a header @key (@key_size bytes) whose value holds a NUL:
 * read up to it, it would be another value than the one sent
 * ("Idempotency-Key: K\0A" and "K\0B" both K), so it is refused. */
static void say_nul(header_fault *f, const char *key, size_t key_size)
{
    char name[200];
    shown(name, sizeof name, key, key_size);
    snprintf(f->why, sizeof f->why, TR("the value of the header '%s' holds a NUL byte; it is "
             "not read up to it"), name);
}

/* Why the headers of @c make an ambiguous request, or NULL: a header
 * line HTTP refuses (check_header()), an HTTP/1.1 request (@version)
 * without Host, a header that says where the body ends, what it is, whose
 * it is or for whom given twice, or a length with a transfer coding --
 * two readers (a proxy and this service) could each take another one,
 * and read another request (RFC 9112 6.3: such a message is refused, not
 * guessed at).  Written into @why (@size bytes). */
static const char *ambiguous_headers(struct MHD_Connection *c, const char *version,
                                     char *why, size_t size, unsigned *status)
{
    *status = 400;
    header_fault f = { "" };
    MHD_get_connection_values_n(c, MHD_HEADER_KIND, check_header, &f);
    if (!f.why[0])
        value_cut_at_nul(&f, NULL);   /* the last header */
    if (f.why[0]) {
        size_t n = strnlen(f.why, size - 1);
        memcpy(why, f.why, n);
        why[n] = '\0';
        return why;
    }
    unsigned n[H_COUNT] = { 0 };
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_headers, n);
    /* RFC 9112 3.2: a server answers 400 to an HTTP/1.1 request without
     * Host (libmicrohttpd 0.9.75 does not) */
    if (!n[H_HOST] && version && strcmp(version, MHD_HTTP_VERSION_1_1) == 0) {
        snprintf(why, size, "%s", TR("an HTTP/1.1 request names its Host (RFC 9112 3.2)"));
        return why;
    }
    /* Authorization twice is bearer()'s to refuse, 401 */
    for (int i = H_AUTHORIZATION + 1; i < H_COUNT; i++)
        if (n[i] > 1) {
            snprintf(why, size, TR("the %s header is given %u times; once is the most"),
                     header_names[i], n[i]);
            return why;
        }
    if (n[H_CONTENT_LENGTH] && n[H_TRANSFER_ENCODING]) {
        snprintf(why, size, TR("Content-Length and Transfer-Encoding are both given; a "
                 "request says where its body ends one way"));
        return why;
    }
    /* a transfer coding libmicrohttpd does not undo ("gzip, chunked"; it
     * reads "chunked" only, in any case, nothing after it): where the body
     * ends is not known (RFC 9112 6.1: 501) */
    const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
    if (te) {
        te += strspn(te, " \t");
        size_t len = strlen(te);
        if (strcasecmp(te, "chunked") != 0) {
            snprintf(why, size, TR("Transfer-Encoding: '%.*s' is not read; a body is sent "
                     "with Content-Length or as chunked"), (int)(len > 80 ? 80 : len), te);
            *status = 501;
            return why;
        }
    }
    return NULL;
}

/* The token of the request: NULL (and *@why NULL) without an
 * Authorization header; NULL with *@why saying what is wrong with the
 * header (given twice: whose request would it be?; another scheme than
 * Bearer, which is case-insensitive (RFC 9110 11.1), with no token). */
static const char *bearer(struct MHD_Connection *c, char *buf, size_t size, const char **why)
{
    unsigned n = 0;
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");

    *why = NULL;
    if (!h)
        return NULL;
    unsigned counts[H_COUNT] = { 0 };
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_headers, counts);
    n = counts[H_AUTHORIZATION];
    if (n > 1) {
        *why = N_("the Authorization header is given more than once");
        return NULL;
    }
    if (strncasecmp(h, "Bearer ", 7) != 0) {
        *why = N_("Authorization: only the Bearer scheme is taken (Authorization: Bearer "
                  "NAME.SECRET)");
        return NULL;
    }
    h += 7;
    while (*h == ' ')
        h++;
    /* white space after the value is not part of it (RFC 9110, 5.5) */
    size_t len = strlen(h);
    while (len && (h[len - 1] == ' ' || h[len - 1] == '\t'))
        len--;
    if (!len) {
        *why = N_("Authorization: Bearer without a token");
        return NULL;
    }
    if (len >= size) {   /* longer than any token pledgerd makes */
        *why = TOKEN_NOT_OURS;
        return NULL;
    }
    memcpy(buf, h, len);
    buf[len] = '\0';
    return buf;
}

/* @token is one of the service's accounts (through the connection's
 * memo of the last token it checked): its actor and role. */
static bool token_taken(service *s, struct MHD_Connection *c, const char *token,
                        char actor[65], pledger_role *role)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn_rec *cr = ci ? ci->socket_context : NULL;
    return accounts_check_memo(&s->acc, cr ? &cr->memo : NULL, token, actor, role);
}

/* The 413 of a body over max_request_bytes, in @out. */
static void reply_too_large(service *s, reply *out)
{
    char msg[128];
    snprintf(msg, sizeof msg, TR("the request body is over the limit of %zu bytes"),
             s->cfg.max_request_bytes);
    reply_error(out, 413, PLEDGER_EINVAL, msg);
}

/* One request taken from @actor's budget: false; or true with the 429
 * set in @out when the budget is spent (its Retry-After too). */
static bool over_rate(service *s, const char *actor, reply *out)
{
    if (accounts_rate(&s->acc, actor, s->cfg.rate_per_minute, now_us(), &out->retry_after))
        return false;
    char msg[160];
    snprintf(msg, sizeof msg, TR("too many requests for this account (%.0f a minute); try "
             "again in %u s"), s->cfg.rate_per_minute, out->retry_after);
    reply_error(out, 429, PLEDGER_EBUSY, msg);
    return true;
}

/* The path @url names: itself, or in the absolute form ("GET
 * https://host/v1/status") the path after the authority, which a server
 * takes as the request's (RFC 9112 3.2.2). */
static const char *origin_form(const char *url)
{
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
        return url;
    const char *path = strchr(url + (url[4] == ':' ? 7 : 8), '/');
    return path ? path : "/";
}

/* A body declared as something else than XML (Content-Type), or NULL: the
 * media type before its parameters, any case; no header is taken as XML.
 * A body in a content coding other than identity (Content-Encoding) is
 * refused too.  Written into @why (@size bytes) when refused. */
static bool body_not_xml(struct MHD_Connection *c, char *why, size_t size)
{
    /* a body in a content coding (gzip) would be read as XML as sent */
    const char *e = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Encoding");
    if (e) {
        e += strspn(e, " \t");
        size_t n = strlen(e);
        while (n && (e[n - 1] == ' ' || e[n - 1] == '\t'))
            n--;
        if (n && !(n == 8 && !strncasecmp(e, "identity", 8))) {
            snprintf(why, size, TR("Content-Encoding: the body is encoded as '%.*s'; this "
                     "service reads it as sent, without a content coding"),
                     (int)(n > 80 ? 80 : n), e);
            return true;
        }
    }
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (!h)
        return false;
    size_t n = strcspn(h, ";");
    while (n && (h[n - 1] == ' ' || h[n - 1] == '\t'))
        n--;
    const char *t = h;
    while (n && (*t == ' ' || *t == '\t')) {
        t++;
        n--;
    }
    if ((n == 15 && !strncasecmp(t, "application/xml", 15)) ||
        (n == 8 && !strncasecmp(t, "text/xml", 8)))
        return false;
    snprintf(why, size, TR("Content-Type: the body is declared as '%.*s'; this service reads "
             "application/xml"), (int)(n > 80 ? 80 : n), t);
    return true;
}

/* The request's path as sent, before libmicrohttpd decodes it: a %00 in
 * it would cut the decoded path there ("/v1/pledges/R-1%00x" read as
 * "/v1/pledges/R-1", an answer about another registration than the one
 * asked), and a %2F would become a '/' between segments
 * ("/v1/pledges/R-1%2Frank", the pledge "R-1/rank", read as the rank of
 * "R-1"), so both are noted here and refused (query parameters keep
 * their length and are refused in params.c).  The request is made here
 * (its libmicrohttpd context); NULL out of memory: handle() makes it.
 *
 * A query of more than QUERY_MAX_PARAMS parameters is noted and emptied
 * before libmicrohttpd splits it: libmicrohttpd 0.9.75 keeps each
 * parameter in the connection's memory, and when that runs out it drops
 * the request without an answer (the client waits out the timeout).  The
 * string is the connection's own read buffer, which libmicrohttpd
 * splits in place right after this call; ending it at the '?' leaves it
 * nothing to split, and handle() answers 400. */
static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *c)
{
    listener *l = cls;
    request *rq = calloc(1, sizeof *rq);
    (void)c;
    if (rq) {
        /* a request under way from its first line: SIGTERM lets its head
         * and body arrive (service_stop) */
        rq->counted = true;
        atomic_fetch_add(&l->in_flight, 1);
    }
    if (rq && uri) {
        size_t n = strcspn(uri, "?");
        for (size_t i = 0; i + 2 < n; i++) {
            if (uri[i] != '%')
                continue;
            rq->path_nul |= uri[i + 1] == '0' && uri[i + 2] == '0';
            rq->path_slash |= uri[i + 1] == '2' && (uri[i + 2] == 'F' || uri[i + 2] == 'f');
        }
        if (uri[n] == '?') {
            size_t params = 1;
            for (const char *q = uri + n + 1; *q; q++)
                params += *q == '&';
            if (params > QUERY_MAX_PARAMS) {
                rq->params = params;
                ((char *)uri)[n + 1] = '\0';
            }
        }
    }
    return rq;
}

/* A body from an account that may not make @call (pledger_may() on this
 * thread's read handle: the rules of role and site) gets its 403 in @out
 * before it is sent; any other answer waits for the body. */
static void refuse_if_may_not(service *s, const char *actor, pledger_role role,
                              const char *call, reply *out)
{
    int orc = 0;
    pledger_registry *r = reader(s, &orc);
    int rc = r ? pledger_set_actor(r, actor, role) : orc;
    if (!rc)
        rc = pledger_may(r, call);
    if (rc == PLEDGER_EPERM)
        reply_library_error(out, rc, r);
}

/* Set the deadline of @c's connection (0: none, a request at work). */
static void conn_deadline(struct MHD_Connection *c, int64_t at_ms)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn_rec *r = ci ? ci->socket_context : NULL;
    if (r)
        atomic_store(&r->deadline_ms, at_ms);
}

static enum MHD_Result handle_in(void *cls, struct MHD_Connection *c, const char *url,
                                 const char *method, const char *version, const char *upload,
                                 size_t *upload_size, void **con_cls, const char *lang)
{
    listener *l = cls;
    service *s = l->s;
    request *rq = *con_cls;
    reply out = { 0 };

    /* HEAD is answered as GET is, its search report recorded too (the
     * status alone tells whether a registration exists); libmicrohttpd
     * leaves the body out */
    if (strcmp(method, "HEAD") == 0)
        method = "GET";
    url = origin_form(url);
    if (!rq || !rq->begun) {
        if (!rq && !(rq = calloc(1, sizeof *rq)))
            return MHD_NO;
        rq->begun = true;
        *con_cls = rq;
        if (!rq->counted) {
            rq->counted = true;
            atomic_fetch_add(&l->in_flight, 1);
        }
        char why[256];
        unsigned status;
        if (ambiguous_headers(c, version, why, sizeof why, &status)) {
            /* answered at once; the body, whichever length it has, is not
             * read (the connection closes after the answer) */
            rq->early = true;
            reply_error(&out, status, status == 501 ? PLEDGER_ENOTSUP : PLEDGER_EINVAL, why);
            enum MHD_Result r = send_reply(c, status, out.type ? out.type : "application/json",
                                           out.body ? out.body : "", out.len, 0, true, lang, NULL);
            free(out.body);
            return r;
        }
        /* A client that waits before sending its body (Expect:
         * 100-continue, as curl does for a large one) is answered at once
         * when the answer does not depend on the body: a body from no
         * account of this service's (401), from an account over its rate
         * (429), over the limit (413), to a path or a method no endpoint
         * has (404, 405), in a form no endpoint reads (415), from an
         * account whose role may not make the call (403) -- not sent for
         * nothing.  One that sends it at once has it read first (bounded
         * by the limit and the timeout): an answer before it would close
         * the connection on a body still coming, and the client would see
         * the connection reset, not the answer. */
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Expect");
        const char *who = NULL;
        if (expect && !strcasecmp(expect, "100-continue") &&
            ((cl && strspn(cl, " \t0") != strlen(cl)) ||
             MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding"))) {
            char tb[512], actor[65];
            pledger_role role;
            const char *token = bearer(c, tb, sizeof tb, &who);
            if (!who && !token)
                who = NEEDS_TOKEN;
            else if (!who && !token_taken(s, c, token, actor, &role))
                who = TOKEN_NOT_OURS;
            else if (!who && !over_rate(s, actor, &out))
                rq->rated = true;   /* charged here, not again once it is read */
            const char *call = endpoint_call(method, url);
            if (!who && !out.status && call)
                refuse_if_may_not(s, actor, role, call, &out);
            /* a length over the limit: not read to be thrown away */
            errno = 0;
            unsigned long long n = cl ? strtoull(cl, NULL, 10) : 0;
            if (!who && !out.status && cl && (errno == ERANGE || n > s->cfg.max_request_bytes))
                reply_too_large(s, &out);
            route_ctx probe = { .conn = c, .url = url, .method = method };
            char type_why[160];
            if (!who && !out.status && method_check(&probe, &out) &&
                on_writes_thread(method) && body_not_xml(c, type_why, sizeof type_why))
                reply_error(&out, 415, PLEDGER_EINVAL, type_why);
        }
        if (who || out.status) {
            rq->early = true;
            if (who)
                reply_error(&out, 401, PLEDGER_EPERM, who);
            enum MHD_Result r = send_reply(c, out.status, out.type, out.body ? out.body : "",
                                           out.len, 0, true, lang, &out);
            free(out.body);
            return r;
        }
        return MHD_YES;
    }
    if (rq->early) {   /* answered: what else comes is not read */
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->aside) {
        /* resumed: a side thread answered it */
        if (!atomic_load(&rq->aside_done))
            return MHD_YES;
        rq->aside = false;
        out = rq->out;
        memset(&rq->out, 0, sizeof rq->out);
        goto send;
    }
    if (rq->waiting) {
        /* resumed: its search report is recorded, or the recorder refused */
        report_ask *a = rq->out.ask;
        if (!atomic_load(&rq->recorded))
            return MHD_YES;
        out = rq->out;
        out.ask = NULL;
        memset(&rq->out, 0, sizeof rq->out);
        rq->waiting = false;
        if (a->job.rc) {
            free(out.body);
            out.body = NULL;
            if (a->job.halted) {   /* the service's words in the client's language */
                char said[sizeof a->job.msg + 160];
                snprintf(said, sizeof said, TR(RECORDER_HALTED_MSG), a->job.msg);
                reply_error(&out, 0, a->job.rc, said);
            } else {
                reply_error(&out, 0, a->job.rc, a->job.msg);
            }
        } else {
            out.report = a->job.number;
            if (a->in_body && reply_add_report(&out, a->job.number, a->job.note)) {
                free(out.body);
                out.body = NULL;
                out.report = 0;
                reply_error(&out, 500, PLEDGER_ENOMEM, "out of memory");
            }
        }
        report_ask_free(a);
        goto send;
    }
    if (*upload_size) {
        if (rq->len + *upload_size > s->cfg.max_request_bytes) {
            rq->too_large = true;
        } else if (!rq->too_large) {
            /* doubling: a body of many pieces is copied a few times, not
             * once a piece (an 8 MB filing took seconds to read) */
            if (rq->len + *upload_size + 1 > rq->cap) {
                size_t cap = rq->cap ? rq->cap : 16384;
                while (cap < rq->len + *upload_size + 1)
                    cap *= 2;
                char *b = realloc(rq->body, cap);
                if (!b)
                    return MHD_NO;
                rq->body = b;
                rq->cap = cap;
            }
            memcpy(rq->body + rq->len, upload, *upload_size);
            rq->len += *upload_size;
            rq->body[rq->len] = '\0';
        }
        *upload_size = 0;
        return MHD_YES;
    }
    /* read whole: from here the service works, whatever it takes (a bulk
     * filing's commit); neither the sweep nor a drain cuts it */
    if (!rq->at_work) {
        rq->at_work = true;
        atomic_fetch_add(&l->at_work, 1);
        conn_deadline(c, 0);
    }
    if (rq->path_nul) {
        reply_error(&out, 400, PLEDGER_EINVAL, "the path holds a NUL byte (%00)");
        goto send;
    }
    if (rq->params) {
        char msg[160];
        snprintf(msg, sizeof msg, TR("the query has %zu parameters; no endpoint takes more "
                 "than %d"), rq->params, QUERY_MAX_PARAMS);
        reply_error(&out, 400, PLEDGER_EINVAL, msg);
        goto send;
    }
    if (strlen(url) > PATH_MAX_BYTES) {
        /* no identifier is that long: what it names is not read */
        char msg[128];
        snprintf(msg, sizeof msg, TR("the path is longer than %d bytes"), PATH_MAX_BYTES);
        reply_error(&out, 414, PLEDGER_EINVAL, msg);
        goto send;
    }
    if (rq->path_slash) {
        /* what the library answers for such a number: none is registered */
        reply_error(&out, 404, PLEDGER_ENOTFOUND, "the path names an identifier with a '/' "
                    "in it (%2F): no registration, application or search report has one");
        goto send;
    }
    if (rq->too_large) {
        reply_too_large(s, &out);
        goto send;
    }
    route_ctx rc = { .conn = c, .method = method, .url = url, .body = rq->body,
                     .body_len = rq->len };
    snprintf(rc.lang, sizeof rc.lang, "%s", lang ? lang : "");
    const char *why;
    char token_buf[512];
    const char *token = bearer(c, token_buf, sizeof token_buf, &why);
    if (why) {
        reply_error(&out, 401, PLEDGER_EPERM, why);
        goto send;
    }
    if (token) {
        if (!token_taken(s, c, token, rc.actor, &rc.role)) {
            reply_error(&out, 401, PLEDGER_EPERM, TOKEN_NOT_OURS);
            goto send;
        }
        if (!rq->rated && over_rate(s, rc.actor, &out))
            goto send;
    }
    if (!method_check(&rc, &out))
        goto send;
    char type_why[160];
    if (rq->len && on_writes_thread(method) && body_not_xml(c, type_why, sizeof type_why)) {
        reply_error(&out, 415, PLEDGER_EINVAL, type_why);
        goto send;
    }
    int orc = 0;
    rc.reader = reader(s, &orc);
    if (!rc.reader) {
        reply_error(&out, 503, orc, "the registry cannot be opened");
        goto send;
    }
    rc.writer = s->writer;
    rc.writer_lock = &s->writer_lock;
    rc.xkey = s->xkey;
    rc.xtrust = s->xtrust;
    rc.skey = s->skey;
    rc.rec = s->rec;
    bool check = on_checks_thread(method, url);
    if (check && !verification_admit(&rc, &out))
        goto send; /* refused before it waits for its turn (503) */
    if (check || on_writes_thread(method)) {
        rq->rc = rc;
        rq->rc.reader = NULL; /* this thread's: a side thread reads on its own */
        rq->conn = c;
        rq->s = s;
        rq->job.run = answer_aside;
        rq->job.done = send_aside;
        rq->aside = true;
        atomic_store(&rq->aside_done, false);
        MHD_suspend_connection(c);
        side_taken t = side_submit(check ? s->checks : s->writes, &rq->job);
        if (t == SIDE_TAKEN)
            return MHD_YES;
        MHD_resume_connection(c);
        rq->aside = false;
        if (check) {
            /* each reads everything for seconds to a minute: one at a time */
            out.retry_after = 10;
            reply_error(&out, 503, PLEDGER_EBUSY, t == SIDE_FULL
                        ? "another verification (of the journal or of the search reports) is "
                          "running on this service: one runs at a time; ask again when it is done"
                        : "the service is stopping");
            goto send;
        }
        /* a write while stopping: answered here */
    }
    /* A GET answers from one snapshot: its search report names the log
     * size the answer was read at, also when it found nothing. */
    bool get = strcmp(method, "GET") == 0;
    int brc = get ? pledger_read_begin(rc.reader) : 0;
    if (brc) {
        reply_library_error(&out, brc, rc.reader);
        goto send;
    }
    route(&rc, &out);
    if (get)
        pledger_read_end(rc.reader);
    if (out.ask) {
        /* the answer waits for its search report: suspended, not blocking
         * this thread; the recorder resumes it */
        rq->out = out;
        rq->waiting = true;
        rq->conn = c;
        atomic_store(&rq->recorded, false);
        out.ask->job.done = report_recorded;
        out.ask->job.ctx = rq;
        snprintf(out.ask->job.lang, sizeof out.ask->job.lang, "%s", rc.lang);
        MHD_suspend_connection(c);
        recorder_submit(s->rec, &rq->out.ask->job);
        return MHD_YES;
    }
send:;
    enum MHD_Result ret = send_reply(c, out.status ? out.status : 500,
                               out.type ? out.type : "application/json",
                               out.body ? out.body : "", out.len, out.report,
                               atomic_load(&l->retired), lang, &out);
    free(out.body);
    return ret;
}

/* libmicrohttpd's handler: handle_in() in the language the client asked
 * for (Accept-Language), which this thread speaks for the time of the
 * call, and names in the answer's Content-Language. */
static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    const listener *l = cls;
    const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
    char tag[24];
    /* a request whose headers are refused (a value cut at a NUL: "zh\0x"
     * read as "zh") is answered in the service's language, not in one
     * read from them */
    if (accept) {
        header_fault f = { "" };
        MHD_get_connection_values_n(c, MHD_HEADER_KIND, check_header, &f);
        if (!f.why[0])
            value_cut_at_nul(&f, NULL);
        if (f.why[0])
            accept = NULL;
    }
    bool picked = accept && language_pick(accept, tag);
    /* none asked that pledger speaks: the service's own (language = ...) */
    const char *lang = picked ? tag : l->s->lang_tag[0] ? l->s->lang_tag : NULL;
    enum MHD_Result r = handle_in(cls, c, url, method, version, upload, upload_size, con_cls,
                                  lang);
    if (picked)
        pledger_set_thread_language(NULL);
    return r;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    listener *l = cls;
    request *rq = *con_cls;
    (void)c;
    (void)toe;
    /* the next request on this connection has timeout_seconds to arrive */
    conn_deadline(c, mono_ms() + (int64_t)l->s->cfg.timeout_s * 1000);
    if (rq) {
        if (rq->counted)
            atomic_fetch_sub(&l->in_flight, 1);
        if (rq->at_work)
            atomic_fetch_sub(&l->at_work, 1);
        free(rq->body);
        *con_cls = NULL;
        if (rq->waiting && !atomic_load(&rq->recorded))
            return; /* the recorder still holds its job (only when stopping): kept */
        if (rq->aside && !atomic_load(&rq->aside_done))
            return; /* a side thread still holds it (only when stopping): kept */
        /* an answer made and never sent: its connection closed first */
        if (rq->waiting || rq->aside) {
            report_ask_free(rq->out.ask);
            free(rq->out.body);
        }
        free(rq);
    }
}

static pledger_keyring *ring(char *const *specs, size_t n, char *err, size_t err_size)
{
    pledger_keyring *kr = NULL;
    if (pledger_keyring_new(&kr))
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char name[64];
        const char *eq = strchr(specs[i], '=');
        snprintf(name, sizeof name, "%.*s", (int)(eq - specs[i]), specs[i]);
        if (pledger_keyring_add_pem_file(kr, name, eq + 1)) {
            snprintf(err, err_size, "%s", pledger_errmsg(NULL));
            pledger_keyring_free(kr);
            return NULL;
        }
    }
    return kr;
}

/* A private key's file anyone may read (@spec: NAME=PATH or a PATH):
 * said in the log at start, not refused -- whoever reads it can sign as
 * this service.  Its group may (root:pledger 0640 is how a service
 * account is given a key). */
static void warn_if_readable(const char *setting, const char *spec)
{
    const char *eq = strchr(spec, '='), *path = eq ? eq + 1 : spec;
    struct stat st;
    if (*path && stat(path, &st) == 0 && (st.st_mode & S_IROTH))
        fprintf(stderr, "pledgerd: warning: %s %s: anyone may read it (mode %03o), and sign "
                "as this service with it; chmod o-r it\n", setting, path,
                (unsigned)(st.st_mode & 0777));
}

/* ---- the listeners ---------------------------------------------------------------- */

/* The file of the setting @name (tls_cert, tls_key): NULL with @err naming both. */
static char *read_pem(const char *name, const char *path, char *err, size_t err_size)
{
    char why[640];
    char *pem = slurp(path, why, sizeof why);
    if (!pem)
        snprintf(err, err_size, "%s %s", name, why);
    return pem;
}

/* The certificate and key as libmicrohttpd will load them (GnuTLS, no
 * password): 0 with @about saying which certificate it is, or -1 with @err
 * naming the file at fault. */
static int tls_check(const config *c, const char *cert, const char *key, char *about,
                     size_t about_size, char *err, size_t err_size)
{
    gnutls_datum_t cd = { (unsigned char *)cert, (unsigned)strlen(cert) };
    gnutls_datum_t kd = { (unsigned char *)key, (unsigned)strlen(key) };
    gnutls_x509_crt_t *crts = NULL;
    unsigned n = 0;
    gnutls_x509_privkey_t pk = NULL;
    gnutls_certificate_credentials_t cred = NULL;
    gnutls_datum_t dn = { NULL, 0 };
    gnutls_priority_t prio = NULL;
    const char *stop = NULL;
    int rc = -1, e;

    if ((e = gnutls_priority_init(&prio, TLS_PRIORITIES(c), &stop)) < 0) {
        snprintf(err, err_size, "tls_priorities: GnuTLS does not take '%.60s' (%s)",
                 stop ? stop : TLS_PRIORITIES(c), gnutls_strerror(e));
        prio = NULL;
        goto out;
    }
    if ((e = gnutls_x509_crt_list_import2(&crts, &n, &cd, GNUTLS_X509_FMT_PEM, 0)) < 0 || !n) {
        snprintf(err, err_size, "tls_cert %s: not a PEM certificate (%s)", c->tls_cert,
                 e < 0 ? gnutls_strerror(e) : "none in it");
        if (e < 0) {
            crts = NULL;
            n = 0;
        }
        goto out;
    }
    if ((e = gnutls_x509_privkey_init(&pk)) < 0 ||
        (e = gnutls_x509_privkey_import2(pk, &kd, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0) {
        snprintf(err, err_size, "tls_key %s: not a PEM private key without a password (%s)",
                 c->tls_key, gnutls_strerror(e));
        goto out;
    }
    if ((e = gnutls_certificate_allocate_credentials(&cred)) < 0 ||
        (e = gnutls_certificate_set_x509_key_mem2(cred, &cd, &kd, GNUTLS_X509_FMT_PEM, NULL,
                                                  0)) < 0) {
        if (e == GNUTLS_E_CERTIFICATE_KEY_MISMATCH)
            snprintf(err, err_size, "tls_key %s is not the key of the certificate in "
                     "tls_cert %s", c->tls_key, c->tls_cert);
        else
            snprintf(err, err_size, "tls_cert %s with tls_key %s: %s", c->tls_cert, c->tls_key,
                     gnutls_strerror(e));
        goto out;
    }
    unsigned char serial[64];
    size_t serial_size = sizeof serial;
    char hex[2 * sizeof serial + 1] = "?";
    if (gnutls_x509_crt_get_serial(crts[0], serial, &serial_size) >= 0)
        for (size_t i = 0; i < serial_size; i++)
            snprintf(hex + 2 * i, 3, "%02x", serial[i]);
    char until[32] = "?", from[32] = "?";
    time_t t = gnutls_x509_crt_get_expiration_time(crts[0]);
    time_t t0 = gnutls_x509_crt_get_activation_time(crts[0]), now = time(NULL);
    struct tm tm;
    if (t != (time_t)-1 && gmtime_r(&t, &tm))
        strftime(until, sizeof until, "%Y-%m-%d %H:%M:%S UTC", &tm);
    if (t0 != (time_t)-1 && gmtime_r(&t0, &tm))
        strftime(from, sizeof from, "%Y-%m-%d %H:%M:%S UTC", &tm);
    /* a certificate every client refuses would stop the service for all
     * of them: not served (at a reload, the one in service stays) */
    if (t == (time_t)-1 || t < now) {
        snprintf(err, err_size, "tls_cert %s: the certificate expired (valid until %s)",
                 c->tls_cert, until);
        goto out;
    }
    if (t0 == (time_t)-1 || t0 > now) {
        snprintf(err, err_size, "tls_cert %s: the certificate is not valid yet (valid from "
                 "%s)", c->tls_cert, from);
        goto out;
    }
    e = gnutls_x509_crt_get_dn3(crts[0], &dn, 0);
    snprintf(about, about_size, "%s (subject %s, serial %s, valid until %s)", c->tls_cert,
             e >= 0 && dn.data ? (const char *)dn.data : "?", hex, until);
    rc = 0;
out:
    if (prio)
        gnutls_priority_deinit(prio);
    gnutls_free(dn.data);
    if (cred)
        gnutls_certificate_free_credentials(cred);
    if (pk)
        gnutls_x509_privkey_deinit(pk);
    for (unsigned i = 0; i < n; i++)
        gnutls_x509_crt_deinit(crts[i]);
    gnutls_free(crts);
    return rc;
}

/* Stop it (what it still has is cut). */
static void listener_free(listener *l)
{
    if (!l)
        return;
    if (l->d)
        MHD_stop_daemon(l->d);
    free(l->cert_pem);
    free(l->key_pem);
    free(l);
}

/* libmicrohttpd's notices of the connections the acceptor handed over. */
static void connection_notice(void *cls, struct MHD_Connection *c, void **socket_ctx,
                              enum MHD_ConnectionNotificationCode code)
{
    service *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        /* NULL (out of memory): no memo, every token checked, no deadline
         * but libmicrohttpd's own */
        conn_rec *r = calloc(1, sizeof *r);
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_ctx = r;
        if (!r)
            return;
        r->fd = ci ? ci->connect_fd : -1;
        atomic_init(&r->deadline_ms, mono_ms() + (int64_t)s->cfg.timeout_s * 1000);
        pthread_mutex_lock(&s->conns_lock);
        r->next = s->conns;
        if (s->conns)
            s->conns->prev = r;
        s->conns = r;
        pthread_mutex_unlock(&s->conns_lock);
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        conn_rec *r = *socket_ctx;
        if (r) {
            pthread_mutex_lock(&s->conns_lock);
            if (r->prev)
                r->prev->next = r->next;
            else
                s->conns = r->next;
            if (r->next)
                r->next->prev = r->prev;
            pthread_mutex_unlock(&s->conns_lock);
            /* the token it remembered is a secret: not left in the heap */
            OPENSSL_cleanse(&r->memo, sizeof r->memo);
        }
        free(r);
        *socket_ctx = NULL;
        acceptor_closed(s->acc_thread);
    }
}

unsigned service_sweep(service *s)
{
    int64_t now = mono_ms();
    unsigned cut = 0;
    pthread_mutex_lock(&s->conns_lock);
    for (conn_rec *r = s->conns; r; r = r->next) {
        int64_t d = atomic_load(&r->deadline_ms);
        if (d && now > d && !r->cut && r->fd >= 0) {
            /* libmicrohttpd sees the end of the stream and closes it */
            shutdown(r->fd, SHUT_RDWR);
            r->cut = true;
            cut++;
        }
    }
    pthread_mutex_unlock(&s->conns_lock);
    return cut;
}

/* On the accepting thread: the live daemon takes @fd (false: it refused
 * it, over the per-address limit, and closed it). */
static bool hand_over(void *cls, int fd, const struct sockaddr *addr, socklen_t len)
{
    service *s = cls;
    bool taken = false;
    pthread_mutex_lock(&s->live_lock);
    if (s->live)
        taken = MHD_add_connection(s->live->d, fd, addr, len) == MHD_YES;
    else
        close(fd);
    pthread_mutex_unlock(&s->live_lock);
    return taken;
}

static unsigned daemon_connections(const listener *l)
{
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(l->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info ? info->num_connections : 0;
}

/* On the accepting thread, when it has been full for a while: the
 * connections the daemons have, live and retired. */
static unsigned connections_open(void *cls)
{
    service *s = cls;
    unsigned n = 0;
    pthread_mutex_lock(&s->live_lock);
    if (s->live)
        n += daemon_connections(s->live);
    for (const listener *l = s->retired; l; l = l->next)
        n += daemon_connections(l);
    pthread_mutex_unlock(&s->live_lock);
    return n;
}

/* libmicrohttpd's own messages (a TLS handshake refused, a socket error),
 * lines of the service's log named as the service's are, at most one a
 * second (a client causes them at will). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    unsigned long left;
    (void)cls;
    if (!log_limit_take(&mhd_log_limit, &left))
        return;
    char said[sizeof line];
    vsnprintf(said, sizeof said, fmt, ap);
    size_t n = strlen(said);
    while (n && (said[n - 1] == '\n' || said[n - 1] == '\r'))
        said[--n] = '\0';
    jw_shown(line, sizeof line, said);   /* a client's bytes it quotes, shown */
    if (left)
        fprintf(stderr, "pledgerd: libmicrohttpd: %s (and %lu more of its messages since the "
                "last one logged)\n", line, left);
    else
        fprintf(stderr, "pledgerd: libmicrohttpd: %s\n", line);
}
#pragma GCC diagnostic pop

/* A daemon serving @cert and @key (taken; NULL with tls = off) to the
 * connections the acceptor hands it.  NULL with @err on failure. */
static listener *listener_start(service *s, char *cert, char *key, char *err, size_t err_size)
{
    const config *cfg = &s->cfg;
    listener *l = calloc(1, sizeof *l);
    if (!l) {
        free(cert);
        free(key);
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    l->s = s;
    l->cert_pem = cert;
    l->key_pem = key;
    atomic_init(&l->retired, false);
    atomic_init(&l->in_flight, 0);
    /* MHD_USE_ITC: a connection handed over wakes the thread that gets it */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    struct MHD_OptionItem opts[4], *o = opts;
    if (cfg->tls) {
        flags |= MHD_USE_TLS;
        *o++ = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, cert };
        *o++ = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, key };
        *o++ = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES, 0,
                                        (void *)TLS_PRIORITIES(cfg) };
    }
    *o = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
    /* the acceptor keeps max_connections over all daemons: libmicrohttpd's
     * own limit, split among its threads, gives each thread all of it (a
     * thread's share must not refuse what the acceptor let in) */
    l->d = MHD_start_daemon(
        flags, 0, NULL, NULL, handle, l,
        /* first: libmicrohttpd says so of the options before it */
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
        MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections * cfg->threads,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->per_ip_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
        MHD_OPTION_NOTIFY_COMPLETED, completed, l,
        MHD_OPTION_URI_LOG_CALLBACK, uri_seen, l,
        MHD_OPTION_NOTIFY_CONNECTION, connection_notice, s,
        MHD_OPTION_ARRAY, opts,
        MHD_OPTION_END);
    if (!l->d) {
        if (cfg->tls)
            snprintf(err, err_size, "libmicrohttpd cannot start with %s and %s (see its "
                     "message above)", cfg->tls_cert, cfg->tls_key);
        else
            snprintf(err, err_size, "libmicrohttpd cannot start (see its message above)");
        listener_free(l);
        return NULL;
    }
    return l;
}

/* @l gets no more connections and joins the retired ones, which
 * service_reap stops when they are done. */
static void listener_retire(service *s, listener *l)
{
    atomic_store(&l->retired, true);
    l->retired_ms = mono_ms();
    pthread_mutex_lock(&s->live_lock);
    l->next = s->retired;
    s->retired = l;
    pthread_mutex_unlock(&s->live_lock);
}

service *service_start(const config *cfg, char *err, size_t err_size)
{
    service *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    s->cfg = *cfg;
    if (cfg->language[0])
        language_tag(cfg->language, s->lang_tag);
    xmlInitParser(); /* once, before the threads (filings.c reads envelopes) */
    pthread_mutex_init(&s->acc.lock, NULL);
    pthread_mutex_init(&s->writer_lock, NULL);
    pthread_mutex_init(&s->reports_lock, NULL);
    pthread_mutex_init(&s->conns_lock, NULL);
    pthread_mutex_init(&s->live_lock, NULL);
    pthread_key_create(&s->reader_key, close_reader);
    if (!(s->writes = side_start("pledgerd-write", 0, err, err_size)) ||
        !(s->checks = side_start("pledgerd-check", 1, err, err_size)))
        goto fail;
    if (accounts_load(&s->acc, cfg->accounts, err, err_size))
        goto fail;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    o.create = 0;
    if (pledger_open(&s->writer, cfg->registry, &o)) {
        snprintf(err, err_size, "%s", pledger_errmsg(NULL));
        goto fail;
    }
    warn_if_readable("report_key", cfg->report_key);
    if (*cfg->statement_key)
        warn_if_readable("statement_key", cfg->statement_key);
    if (*cfg->exchange_key)
        warn_if_readable("exchange_key", cfg->exchange_key);
    if (cfg->tls)
        warn_if_readable("tls_key", cfg->tls_key);
    if (*cfg->exchange_key) {
        char *k = s->cfg.exchange_key;
        if (!(s->xkey = ring(&k, 1, err, err_size)))
            goto fail;
    }
    if (*cfg->statement_key) {
        char *k = s->cfg.statement_key;
        if (!(s->skey = ring(&k, 1, err, err_size)))
            goto fail;
    }
    {
        char *k = s->cfg.report_key;
        if (!(s->rkey = ring(&k, 1, err, err_size)))
            goto fail;
        /* a checkpoint key's text is its verifier key; a certificate key's
         * is "NAME TYPE" */
        const char *vkey = pledger_keyring_vkey(s->rkey, 0);
        if (!vkey || strchr(vkey, ' ')) {
            snprintf(err, err_size, "report_key %s: it signs the checkpoints of the search "
                     "reports: an Ed25519 or SM2 private key", s->cfg.report_key);
            goto fail;
        }
        fprintf(stderr, "pledgerd: search reports' checkpoints signed by %s\n", vkey);
        if (pledger_open(&s->flusher, cfg->registry, &o) ||
            pledger_open(&s->syncer, cfg->registry, &o) ||
            pledger_open(&s->reports, cfg->registry, &o)) {
            snprintf(err, err_size, "%s", pledger_errmsg(NULL));
            goto fail;
        }
        if (!(s->rec = recorder_start(s->reports, &s->reports_lock, s->flusher, s->syncer,
                                      s->rkey, err, err_size)))
            goto fail;
    }
    if (cfg->n_trust) {
        char *t[8];
        for (size_t i = 0; i < cfg->n_trust; i++)
            t[i] = s->cfg.exchange_trust[i];
        if (!(s->xtrust = ring(t, cfg->n_trust, err, err_size)))
            goto fail;
    }
    char *cert = NULL, *key = NULL;
    if (cfg->tls) {
        char about[1024];
        if (!(cert = read_pem("tls_cert", cfg->tls_cert, err, err_size)) ||
            !(key = read_pem("tls_key", cfg->tls_key, err, err_size)) ||
            tls_check(cfg, cert, key, about, sizeof about, err, err_size)) {
            free(cert);
            free(key);
            goto fail;
        }
    }
    /* s->acc_thread is set before the accepting thread starts: the close
     * notice of a connection taken at once reads it (it read NULL, and
     * crashed, when a client checked the port as the service started) */
    if (!(s->live = listener_start(s, cert, key, err, err_size)) ||
        !acceptor_start(&s->acc_thread, cfg->listen_host, cfg->port, cfg->max_connections,
                        hand_over, connections_open, s, err, err_size))
        goto fail;
    return s;
fail:
    service_stop(s);
    return NULL;
}

void service_accounts_said(service *s, char *msg, size_t msg_size)
{
    pthread_mutex_lock(&s->acc.lock);
    size_t n = s->acc.n;
    pthread_mutex_unlock(&s->acc.lock);
    if (n)
        snprintf(msg, msg_size, "%zu account%s from %s", n, n == 1 ? "" : "s", s->cfg.accounts);
    else
        snprintf(msg, msg_size, "no account in %s: every token is refused until it names one "
                 "(pledgerd token NAME ROLE >> %s, then SIGHUP)", s->cfg.accounts,
                 s->cfg.accounts);
}

int service_reload(service *s, char *msg, size_t msg_size)
{
    if (accounts_load(&s->acc, s->cfg.accounts, msg, msg_size))
        return -1;
    service_accounts_said(s, msg, msg_size);
    return 0;
}

int service_reload_tls(service *s, char *msg, size_t msg_size)
{
    listener *old = s->live;
    if (!s->cfg.tls) {
        snprintf(msg, msg_size, "tls is off");
        return 0;
    }
    char *cert = read_pem("tls_cert", s->cfg.tls_cert, msg, msg_size), *key = NULL;
    if (!cert || !(key = read_pem("tls_key", s->cfg.tls_key, msg, msg_size))) {
        free(cert);
        return -1;
    }
    if (!strcmp(cert, old->cert_pem) && !strcmp(key, old->key_pem)) {
        free(cert);
        free(key);
        snprintf(msg, msg_size, "tls_cert %s and tls_key %s are as they were", s->cfg.tls_cert,
                 s->cfg.tls_key);
        return 0;
    }
    char about[1024];
    if (tls_check(&s->cfg, cert, key, about, sizeof about, msg, msg_size)) {
        free(cert);
        free(key);
        return -1;
    }
    /* the new daemon gets the next connection; should it not start,
     * nothing has changed */
    listener *l = listener_start(s, cert, key, msg, msg_size);
    if (!l)
        return -1;
    pthread_mutex_lock(&s->live_lock);
    s->live = l;
    pthread_mutex_unlock(&s->live_lock);
    listener_retire(s, old);
    snprintf(msg, msg_size, "%s", about);
    return 1;
}

unsigned service_reap(service *s)
{
    unsigned left = 0;
    int64_t now = mono_ms();
    for (listener **p = &s->retired; *p;) {
        listener *l = *p;
        unsigned conns = daemon_connections(l);
        if (conns && now - l->retired_ms < DRAIN_MAX_MS) {
            left++;
            p = &l->next;
            continue;
        }
        pthread_mutex_lock(&s->live_lock); /* the accepting thread counts them */
        *p = l->next;
        pthread_mutex_unlock(&s->live_lock);
        listener_free(l);
        if (conns)
            fprintf(stderr, "pledgerd: the previous certificate's daemon stopped after %d s, "
                    "closing its %u connections left\n", DRAIN_MAX_MS / 1000, conns);
        else
            fprintf(stderr, "pledgerd: the previous certificate's connections are done; its "
                    "daemon stopped\n");
    }
    return left;
}

void service_stop(service *s)
{
    if (!s)
        return;
    /* no new connections; the requests under way finish (for one connection
     * timeout at most), then the connections are closed */
    acceptor_stop(s->acc_thread);
    if (s->live) {
        listener_retire(s, s->live);
        s->live = NULL;
    }
    /* a request still being read -- from its first line on -- gets
     * timeout_seconds; one read whole is being answered -- a bulk filing
     * may be committing -- and is waited for, up to DRAIN_WORK_MAX_MS:
     * cutting it would leave its client without the answer to what was
     * done.  The recorder runs meanwhile: a search or a verification read
     * whole after the signal gets its report and its answer, not 503. */
    int64_t start = mono_ms(), end = start + (int64_t)s->cfg.timeout_s * 1000;
    for (;;) {
        unsigned reading = 0, working = 0;
        for (listener *l = s->retired; l; l = l->next) {
            unsigned w = atomic_load(&l->at_work), f = atomic_load(&l->in_flight);
            working += w;
            reading += f > w ? f - w : 0;
        }
        int64_t now = mono_ms();
        /* and DRAIN_SETTLE_MS at least: a request sent as the signal came
         * may still be in the connection's buffers, its first line unread */
        if (!(working && now < start + DRAIN_WORK_MAX_MS) && !(reading && now < end) &&
            now >= start + DRAIN_SETTLE_MS)
            break;
        nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
    }
    /* the answers still waiting for their reports (past the drain's
     * limit) get them; later ones are refused, 503: no connection stays
     * suspended */
    recorder_stop(s->rec);
    /* the writes and the verification still queued or under way (one past
     * the drain's limit) are finished while their daemons run: the side
     * thread resumes each connection, which must still be there; later
     * writes are answered on their connections' threads, a later
     * verification is refused (503: side_submit refuses them) */
    side_stop(s->writes);
    side_stop(s->checks);
    while (s->retired) {
        listener *l = s->retired;
        s->retired = l->next;
        listener_free(l);
    }
    acceptor_free(s->acc_thread); /* the daemons are stopped: no more notices */
    /* the lines left out after the last one logged are counted too */
    log_left_out_at_stop(&failures_log);
    log_left_out_at_stop(&mhd_log_limit);
    recorder_free(s->rec);
    pledger_close(s->flusher);
    pledger_close(s->syncer);
    pledger_close(s->reports);
    pledger_close(s->writer);
    pledger_keyring_free(s->xkey);
    pledger_keyring_free(s->xtrust);
    pledger_keyring_free(s->skey);
    pledger_keyring_free(s->rkey);
    accounts_free(&s->acc);
    free(s);
}
