/* The endpoints of /v1 (docs: pledgerd/openapi.json). */
#ifndef PLEDGERD_ROUTES_H
#define PLEDGERD_ROUTES_H

#include <pledger/pledger.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jsonw.h"
#include "language.h"
#include "recorder.h"

struct MHD_Connection;

typedef struct reply {
    unsigned status;
    const char *type;
    char *body; /* malloc'd */
    size_t len;
    uint64_t report; /* the search report of the answer (header Pledger-Report); 0: none */
    struct report_ask *ask; /* the answer waits for its search report (record_answer) */
    char allow[24]; /* a 405's header Allow: the methods the path serves; "": none */
    unsigned retry_after; /* a 429's header Retry-After, in seconds; 0: none */
} reply;

typedef struct route_ctx {
    struct MHD_Connection *conn;
    const char *method, *url;
    const char *body;
    size_t body_len;
    char actor[65];           /* "" without a token */
    pledger_role role;        /* 0 without a token */
    pledger_registry *reader; /* this thread's, read-only */
    pledger_registry *writer; /* shared: under writer_lock */
    pthread_mutex_t *writer_lock;
    const pledger_keyring *xkey, *xtrust;
    const pledger_keyring *skey; /* signs verification statements; NULL: none */
    recorder *rec;               /* records search reports (recorder.h) */
    char lang[24];               /* the answer's language (language.h); "": the service's */
} route_ctx;

void route(route_ctx *c, reply *out);
/* GET /v1/reports/verify (routes-read.c), dispatched before the reports
 * by number it would otherwise be taken for. */
void get_reports_check(route_ctx *c, reply *out);
/* A verification (GET /v1/log/verify, /v1/reports/verify) asked as @c
 * would be refused before it reads anything -- a parameter it does not
 * take or a bad value (400), no token (401), a role that may not (403):
 * false with @out set.  Asked before it is queued for its turn on the
 * checks thread (service.c), where the route answers it. */
bool verification_admit(route_ctx *c, reply *out);

/* The 401s: no token, and one that is none of the service's accounts
 * (marked for translation; reply_error() translates). */
#define NEEDS_TOKEN N_("this request needs a token (Authorization: Bearer NAME.SECRET)")
#define TOKEN_NOT_OURS N_("the token is not one of this service's")

/* The longest path served (service.c answers a longer one 414): an
 * identifier in it (a registration number, a UUID, a report's number) is
 * copied whole and the library says what is wrong with it ("number is
 * longer than 96 bytes"), not cut or taken for another endpoint. */
#define PATH_MAX_BYTES 4096

/* The most query parameters a request may carry (service.c answers more
 * 400): no endpoint takes a third of that many, and libmicrohttpd, which
 * keeps each in the connection's 32 KiB of memory, gave no answer at all
 * to a few hundred. */
#define QUERY_MAX_PARAMS 64

/* An answer's search report, to be recorded before the answer leaves
 * (service.c hands it to the recorder and suspends the connection). */
typedef struct report_ask {
    recorder_job job; /* the recorder's view: job.req points into the fields below */
    char *query;
    char *parties[2];
    char *asked[2];   /* the registrations the question named (path, compare=) */
    char **numbers;
    size_t nn;
    char actor[65];
    bool in_body;     /* its number and note go into the JSON object of the body */
    void *request;    /* service.c's */
} report_ask;
void report_ask_free(report_ask *a);

/* Ask for the answer to this request to be recorded as a search report
 * (routes.c): the question (path and parameters), @kind, the @nn
 * registration numbers answered; with @w (the JSON object being written,
 * which the caller then ends and replies) the report's number and note
 * are added to it; the number always goes into the Pledger-Report
 * header.  @log_size is the size of the log the answer was read from
 * (pledger_verification_log_size(), pledger_cursor_log_size()), or
 * LOG_SIZE_NOW when the answer does not tell: read it now, in the read
 * service.c holds for the whole GET (pledger_read_begin), so it is the
 * size the answer was read at too.  The answer
 * leaves only once the report is committed (or the request fails with
 * the recorder's error).  false, with the reply set, when the question
 * cannot be recorded. */
#define LOG_SIZE_NOW UINT64_MAX
bool record_answer(route_ctx *c, pledger_report_kind kind, const char *const *numbers,
                   size_t nn, uint64_t log_size, jw *w, reply *out);
/* The body of @out with the report (@number, @note) added to its JSON
 * object: 0, or -1 out of memory. */
int reply_add_report(reply *out, uint64_t number, const char *note);
/* The error @rc of a verification: not found and a wrong code are answers
 * too, recorded (header Pledger-Report) before the error is replied. */
void verification_refused(route_ctx *c, int rc, reply *out);
/* Open a JSON object and write pledge snapshot @p into it: its getters'
 * values and "fields", every field by its path in the pledge document
 * (pledger_pledge_field); the caller adds what it will and closes it.
 * 0, or the library's code when the fields could not be read (nothing
 * fit to send: the caller answers the error). */
int pledge_json(jw *w, const pledger_pledge *p);
/* The reads of routes-read.c (a pledge's version and document, the log's
 * leaves and roots, the journal's verification): true when it answered. */
bool route_read(route_ctx *c, reply *out);

/* For the endpoints of both files: query parameter @name (NULL when not
 * given); a number; a 400 naming the parameter and what it must be; the
 * instant of @name into *@t when given (false, the reply set, when it is
 * not one); act as the caller on @reg (false, a 401 or the library's
 * refusal set, when there is none). */
const char *arg(route_ctx *c, const char *name);
bool parse_u64(const char *s, uint64_t *out);
void bad_param(reply *out, const char *name, const char *want);
bool instant_arg(route_ctx *c, const char *name, int64_t *t, reply *out);
bool as_caller(route_ctx *c, pledger_registry *reg, reply *out);

void reply_json(reply *out, unsigned status, jw *w);
void reply_text(reply *out, unsigned status, const char *type, const char *text);
/* status 0: the HTTP status of @code. */
void reply_error(reply *out, unsigned status, int code, const char *message);
/* The member "error": {"code", "name", "message"} of a JSON object being
 * written (what reply_error() answers alone). */
void json_error(jw *w, int code, const char *message);
void reply_library_error(reply *out, int code, pledger_registry *reg);
/* The same, with the library's name of the field a refusal begins with
 * given as the request names it: @renames holds pairs (the library's
 * word, the request's) and ends with NULL ("right_id", "right", NULL). */
void reply_library_error_as(reply *out, int code, pledger_registry *reg,
                            const char *const *renames);

#endif
