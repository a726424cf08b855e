/* The HTTP side: libmicrohttpd's threads, each with a read-only handle of
 * its own; one writer handle behind a lock (filings, exchange); no
 * transaction held across requests.  Routing, authentication, limits and
 * errors are here; each endpoint is a function of routes.c. */
#include "service.h"
#include "routes.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct service {
    config cfg;
    accounts acc;
    struct MHD_Daemon *d;
    char *cert_pem, *key_pem;
    pthread_key_t reader_key;
    pthread_mutex_t writer_lock;
    pledger_registry *writer;
    pledger_keyring *xkey, *xtrust, *skey;
};

static char *slurp(const char *path, char *err, size_t err_size)
{
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
    char *body;
    size_t len;
    bool too_large;
} request;

static enum MHD_Result send_reply(struct MHD_Connection *c, unsigned status, const char *type,
                            const char *body, size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
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

void reply_error(reply *out, unsigned status, int code, const char *message)
{
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "error");
    jw_obj(&w);
    jw_kint(&w, "code", code);
    jw_kstr(&w, "name", code_name(code));
    jw_kstr(&w, "message", message);
    jw_end_obj(&w);
    jw_end_obj(&w);
    reply_json(out, status ? status : http_status(code), &w);
    jw_free(&w);
}

void reply_library_error(reply *out, int code, pledger_registry *reg)
{
    reply_error(out, 0, code, pledger_errmsg(reg));
}

/* ---- the handler ---------------------------------------------------------------- */

static const char *bearer(struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!h || strncmp(h, "Bearer ", 7) != 0)
        return NULL;
    return h + 7;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    service *s = cls;
    request *rq = *con_cls;
    reply out = { 0 };
    (void)version;

    if (!rq) {
        if (!(rq = calloc(1, sizeof *rq)))
            return MHD_NO;
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_size) {
        if (rq->len + *upload_size > s->cfg.max_request_bytes) {
            rq->too_large = true;
        } else if (!rq->too_large) {
            char *b = realloc(rq->body, rq->len + *upload_size + 1);
            if (!b)
                return MHD_NO;
            memcpy(b + rq->len, upload, *upload_size);
            rq->body = b;
            rq->len += *upload_size;
            rq->body[rq->len] = '\0';
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->too_large) {
        char msg[128];
        snprintf(msg, sizeof msg, "the request body is over the limit of %zu bytes",
                 s->cfg.max_request_bytes);
        reply_error(&out, 413, PLEDGER_EINVAL, msg);
        goto send;
    }
    route_ctx rc = { .conn = c, .method = method, .url = url, .body = rq->body,
                     .body_len = rq->len };
    const char *token = bearer(c);
    if (token) {
        if (!accounts_check(&s->acc, token, rc.actor, &rc.role)) {
            reply_error(&out, 401, PLEDGER_EPERM, "the token is not one of this service's");
            goto send;
        }
        if (!accounts_rate(&s->acc, rc.actor, s->cfg.rate_per_minute, now_us())) {
            reply_error(&out, 429, PLEDGER_EBUSY, "too many requests for this account; try "
                        "again in a minute");
            goto send;
        }
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
    route(&rc, &out);
send:;
    enum MHD_Result ret = send_reply(c, out.status ? out.status : 500,
                               out.type ? out.type : "application/json",
                               out.body ? out.body : "", out.len);
    free(out.body);
    return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    request *rq = *con_cls;
    (void)cls;
    (void)c;
    (void)toe;
    if (rq) {
        free(rq->body);
        free(rq);
        *con_cls = NULL;
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

service *service_start(const config *cfg, char *err, size_t err_size)
{
    service *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    s->cfg = *cfg;
    pthread_mutex_init(&s->acc.lock, NULL);
    pthread_mutex_init(&s->writer_lock, NULL);
    pthread_key_create(&s->reader_key, close_reader);
    if (accounts_load(&s->acc, cfg->accounts, err, err_size))
        goto fail;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    o.create = 0;
    if (pledger_open(&s->writer, cfg->registry, &o)) {
        snprintf(err, err_size, "%s", pledger_errmsg(NULL));
        goto fail;
    }
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
    if (cfg->n_trust) {
        char *t[8];
        for (size_t i = 0; i < cfg->n_trust; i++)
            t[i] = s->cfg.exchange_trust[i];
        if (!(s->xtrust = ring(t, cfg->n_trust, err, err_size)))
            goto fail;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG;
    if (cfg->tls) {
        if (!(s->cert_pem = slurp(cfg->tls_cert, err, err_size)) ||
            !(s->key_pem = slurp(cfg->tls_key, err, err_size)))
            goto fail;
        flags |= MHD_USE_TLS;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)cfg->port);
    if (inet_pton(AF_INET, cfg->listen_host, &addr.sin_addr) != 1) {
        snprintf(err, err_size, "listen: '%s' is not an IPv4 address", cfg->listen_host);
        goto fail;
    }
    struct MHD_OptionItem tls_opts[] = {
        { MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert_pem },
        { MHD_OPTION_HTTPS_MEM_KEY, 0, s->key_pem },
        { MHD_OPTION_END, 0, NULL },
    };
    s->d = MHD_start_daemon(
        flags, (uint16_t)cfg->port, NULL, NULL, handle, s,
        MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->per_ip_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536,
        MHD_OPTION_NOTIFY_COMPLETED, completed, s,
        MHD_OPTION_ARRAY, cfg->tls ? tls_opts : tls_opts + 2,
        MHD_OPTION_END);
    if (!s->d) {
        snprintf(err, err_size, "cannot listen on %s:%u (in use, or the TLS key and "
                 "certificate do not load)", cfg->listen_host, cfg->port);
        goto fail;
    }
    return s;
fail:
    service_stop(s);
    return NULL;
}

int service_reload(service *s, char *err, size_t err_size)
{
    return accounts_load(&s->acc, s->cfg.accounts, err, err_size);
}

void service_stop(service *s)
{
    if (!s)
        return;
    if (s->d) {
        /* no new connections; the requests under way finish */
        MHD_quiesce_daemon(s->d);
        MHD_stop_daemon(s->d);
    }
    pledger_close(s->writer);
    pledger_keyring_free(s->xkey);
    pledger_keyring_free(s->xtrust);
    pledger_keyring_free(s->skey);
    accounts_free(&s->acc);
    free(s->cert_pem);
    free(s->key_pem);
    free(s);
}
