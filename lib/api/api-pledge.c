/* Public pledge calls: snapshots (now or at an instant), certificates,
 * changes after registration, the deadline sweep, the calendar and the
 * journal. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pledger/application.h>
#include <pledger/pledge.h>

#include "api/handle.h"
#include "api/snapshot.h"
#include "base/calendar.h"
#include "base/date.h"
#include "base/ident.h"
#include "model/certificate.h"
#include "model/kinds.h"
#include "query/mask.h"
#include "store/apply.h"
#include "store/state-check.h"
#include "store/pledge-row.h"
#include "workflow/pledge-common.h"
#include "workflow/flow.h"
#include "workflow/pledge-flow.h"

#define MAX_PATH 256

/* One field of a snapshot: its path in the pledge document and its text
 * there (both in the snapshot's text). */
typedef struct snap_field {
    const char *path;
    const char *value;
} snap_field;

struct pledger_pledge {
    pl_pver v; /* masked for the reader's role (query/mask.h) */
    char start[11], end[11];
    pl_pledge_history *history;
    size_t n_history, history_cap; /* history_cap: room in history and history_ops */
    char **history_ops;
    snap_field *fields; /* in the order of the document */
    size_t n_fields;
    char *text;         /* the fields' paths and values, one after another */
};

struct pledger_certificate {
    char *number;
    int version;
    char code[PL_CODE_LEN + 1];
    bool superseded;
    pledger_certificate_status status;
    int64_t issued_at, superseded_at;
    char *xml;
};

/* Versions 1 to @version of pledge @pledge_id into p->history. */
static int add_history(void *arg, pl_err *e, int version, const char *operation, int64_t at_us)
{
    pledger_pledge *p = arg;
    size_t i = p->n_history;

    if (!(p->history_ops[i] = strdup(operation)))
        return pl_err_oom(e);
    p->history[i].version = version;
    p->history[i].operation = p->history_ops[i];
    p->history[i].at = at_us;
    return ++p->n_history < p->history_cap ? 0 : 1;
}

static int read_history(pl_db *db, pl_err *e, int64_t pledge_id, int version, pledger_pledge *p)
{
    if (version < 1)
        return pl_err_set(e, PLEDGER_ECORRUPT, "pledge %" PRId64 " has a version %d", pledge_id,
                          version);
    p->history = calloc((size_t)version, sizeof *p->history);
    p->history_ops = calloc((size_t)version, sizeof *p->history_ops);
    if (!p->history || !p->history_ops)
        return pl_err_oom(e);
    p->history_cap = (size_t)version;
    return pl_pver_history(db, e, pledge_id, version, add_history, p);
}

/* ---- the field table ---------------------------------------------------------------- */

/* The fields as they are added: paths and values one after another in
 * @text, their offsets in @offs (path, value, path, value ...). */
typedef struct field_builder {
    pl_err *e;
    char *text;
    size_t len, cap;
    size_t *offs;
    size_t n, n_cap;
    int rc;
} field_builder;

static bool fb_append(field_builder *b, const char *s)
{
    size_t n = strlen(s) + 1;

    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 512;
        while (cap - b->len < n)
            cap *= 2;
        char *t = realloc(b->text, cap);
        if (!t)
            return false;
        b->text = t;
        b->cap = cap;
    }
    if (b->n == b->n_cap) {
        size_t n_cap = b->n_cap ? 2 * b->n_cap : 64;
        size_t *o = realloc(b->offs, n_cap * sizeof *o);
        if (!o)
            return false;
        b->offs = o;
        b->n_cap = n_cap;
    }
    b->offs[b->n++] = b->len;
    memcpy(b->text + b->len, s, n);
    b->len += n;
    return true;
}

/* Add the field @path with text @value; NULL @value: the document has no
 * such element. */
static void fb_put(field_builder *b, const char *path, const char *value)
{
    if (b->rc || !value)
        return;
    if (!fb_append(b, path) || !fb_append(b, value))
        b->rc = pl_err_oom(b->e);
}

static void fb_int(field_builder *b, const char *path, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    fb_put(b, path, buf);
}

static void fb_instant(field_builder *b, const char *path, int64_t us)
{
    char buf[32];
    pl_instant_format(us, buf);
    fb_put(b, path, buf);
}

static void fb_party(field_builder *b, const char *side, const char *name, const char *type_name,
                     const char *id)
{
    char path[32];
    int type = type_name ? pl_ident_type_from_name(type_name) : 0;

    snprintf(path, sizeof path, "%s/name", side);
    fb_put(b, path, name ? name : "");
    if (id || type) {
        snprintf(path, sizeof path, "%s/id", side);
        fb_put(b, path, id ? id : "");
        snprintf(path, sizeof path, "%s/id/@type", side);
        fb_put(b, path, pl_ident_type_name((pledger_id_type)type));
    }
}

/* The fields of @p as pledger_pledge_to_xml() writes them (model/certificate.c:
 * cert_fields() and pl_pledge_to_xml()), in the same order. */
static int build_fields(pl_err *e, pledger_pledge *p)
{
    const pl_pver *v = &p->v;
    const char *kind = pl_kind(v->kind) ? pl_kind(v->kind)->name : NULL;
    field_builder b = { .e = e };
    char path[64];

    if (!kind)
        return pl_err_set(e, PLEDGER_ECORRUPT, "pledge '%s' has the kind %d",
                          v->number ? v->number : "", v->kind);
    fb_put(&b, "registration_number", v->number ? v->number : "");
    fb_int(&b, "version", v->version);
    fb_put(&b, "status", v->valid_to ? "superseded" : "current");
    fb_put(&b, "kind", kind);
    fb_put(&b, "security", pl_kind(v->kind)->security);
    fb_party(&b, "pledgor", v->pledgor_name, v->pledgor_id_type, v->pledgor_id);
    fb_party(&b, "pledgee", v->pledgee_name, v->pledgee_id_type, v->pledgee_id);
    for (size_t i = 0; i < v->n_rights; i++) {
        snprintf(path, sizeof path, "rights/%s[%zu]/identifier", kind, i + 1);
        fb_put(&b, path, v->rights[i].identifier ? v->rights[i].identifier : "");
        snprintf(path, sizeof path, "rights/%s[%zu]/classes", kind, i + 1);
        fb_put(&b, path, v->rights[i].classes);
    }
    fb_int(&b, "amount", v->amount);
    fb_put(&b, "amount/@currency", v->currency ? v->currency : "");
    fb_put(&b, "period/start", p->start);
    fb_put(&b, "period/end", p->end);
    fb_instant(&b, "registered_at", v->registered_at);
    fb_instant(&b, "issued_at", v->valid_from);
    fb_put(&b, "acceptance_number", v->acceptance_number);
    fb_put(&b, "application", v->application_uuid);
    fb_put(&b, "state", pl_pledge_state_name(v->state));
    fb_instant(&b, "valid_from", v->valid_from);
    if (v->valid_to)
        fb_instant(&b, "valid_to", v->valid_to);
    for (size_t i = 0; i < p->n_history; i++) {
        snprintf(path, sizeof path, "history/entry[%zu]/version", i + 1);
        fb_int(&b, path, p->history[i].version);
        snprintf(path, sizeof path, "history/entry[%zu]/operation", i + 1);
        fb_put(&b, path, p->history[i].operation ? p->history[i].operation : "");
        snprintf(path, sizeof path, "history/entry[%zu]/at", i + 1);
        fb_instant(&b, path, p->history[i].at);
    }
    if (!b.rc && !(p->fields = calloc(b.n / 2 + 1, sizeof *p->fields)))
        b.rc = pl_err_oom(e);
    if (b.rc) {
        free(b.text);
        free(b.offs);
        return b.rc;
    }
    p->text = b.text;
    p->n_fields = b.n / 2;
    for (size_t i = 0; i < p->n_fields; i++) {
        p->fields[i].path = b.text + b.offs[2 * i];
        p->fields[i].value = b.text + b.offs[2 * i + 1];
    }
    free(b.offs);
    return 0;
}

/* The dates, the history and the fields of a snapshot whose version is
 * loaded (and masked). */
static int finish(pl_db *db, pl_err *e, pledger_pledge *p)
{
    int rc;

    pl_date_format(p->v.period_start, p->start);
    pl_date_format(p->v.period_end, p->end);
    if (!p->history && (rc = read_history(db, e, p->v.pledge_id, p->v.version, p)))
        return rc;
    if ((size_t)p->v.version != p->n_history)
        return pl_err_set(e, PLEDGER_ECORRUPT,
                          "pledge '%s' has %zu of its %d versions in the store", p->v.number,
                          p->n_history, p->v.version);
    if (!pl_kind(p->v.kind))
        return pl_err_set(e, PLEDGER_ECORRUPT, "pledge '%s' has the kind %d",
                          p->v.number ? p->v.number : "", p->v.kind);
    return 0;
}

/* The field table, made when a field is first asked for: most answers
 * (a page of search hits, a verification) are read through the getters
 * alone, and the table costs more than reading the rows did.  A snapshot
 * is read by one thread at a time, as its registry is.  False, with the
 * error on the thread, when it cannot be made. */
static bool fields_ready(const pledger_pledge *p)
{
    if (!p->fields)
        build_fields(pl_err_thread(), (pledger_pledge *)p);
    return p->fields != NULL;
}

int pl_snap_from_pver(pl_db *db, pl_err *e, pl_pver *v, pledger_pledge **out)
{
    pledger_pledge *p = calloc(1, sizeof *p);
    int rc;

    *out = NULL;
    if (!p) {
        pl_pver_clear(v);
        memset(v, 0, sizeof *v);
        return pl_err_oom(e);
    }
    p->v = *v;
    memset(v, 0, sizeof *v);
    if ((rc = finish(db, e, p))) {
        pledger_pledge_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

/* ---- snapshots ------------------------------------------------------------------------ */

static int get(pledger_pledge **out, pledger_registry *reg, const char *fn, const char *number,
               int64_t at)
{
    char kept[PL_API_NUMBER_MAX + 1];
    pl_pver v;
    int rc, sight;

    if (!out)
        return reg ? pl_api_bad_arg(reg, fn, "out", "is NULL")
                   : pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    if ((rc = pl_api_enter(reg, fn)) ||
        (rc = pl_api_number(reg, fn, "number", number, kept)) ||
        (rc = pl_api_read(reg, fn, PL_READ_PLEDGE, &sight)))
        return rc;
    /* an instant still to come is not answered, as pledger_verify() does
     * not answer it: the version read then, lapsed to that day, would be
     * a forecast ("expired") that a change or an extension can still
     * make untrue */
    if (at != INT64_MIN && (rc = pl_api_as_of(reg, fn, "at_us", at)))
        return rc;
    /* the version and its history in one read transaction */
    if ((rc = pl_db_read_begin(reg->db, &reg->err)))
        return rc;
    if (!(rc = pl_pver_load(reg->db, &reg->err, kept, at, &v))) {
        pl_pver_lapse(&v, pl_db_day_of(reg->db, at));
        /* resident identity numbers masked for the role (query/mask.h),
         * in the snapshot itself, so its XML form is masked too */
        pl_mask_pver(&v, reg->role);
        rc = pl_snap_from_pver(reg->db, &reg->err, &v, out);
    }
    pl_db_rollback(reg->db);
    return rc;
}

int pledger_pledge_get(pledger_pledge **out, pledger_registry *reg, const char *number)
{
    return get(out, reg, "pledger_pledge_get", number, INT64_MIN);
}

int pledger_pledge_get_at(pledger_pledge **out, pledger_registry *reg, const char *number,
                          int64_t at_us)
{
    if (at_us == INT64_MIN)
        at_us++;
    return get(out, reg, "pledger_pledge_get_at", number, at_us);
}

void pledger_pledge_free(pledger_pledge *p)
{
    if (!p)
        return;
    for (size_t i = 0; p->history_ops && i < p->n_history; i++)
        free(p->history_ops[i]);
    pl_pver_clear(&p->v);
    free(p->history_ops);
    free(p->history);
    free(p->fields);
    free(p->text);
    free(p);
}

#define GET(type, name, expr, none)                                             \
    type name(const pledger_pledge *p) { return p ? (expr) : (none); }

GET(const char *, pledger_pledge_number, p->v.number, NULL)
GET(pledger_kind, pledger_pledge_kind, (pledger_kind)p->v.kind, 0)
GET(const char *, pledger_pledge_security, pl_kind(p->v.kind)->security, NULL)
GET(pledger_pledge_state, pledger_pledge_state_of, (pledger_pledge_state)p->v.state, 0)
GET(int, pledger_pledge_version, p->v.version, 0)
GET(int64_t, pledger_pledge_registered_at, p->v.registered_at, 0)
GET(int64_t, pledger_pledge_valid_from, p->v.valid_from, 0)
GET(int64_t, pledger_pledge_valid_to, p->v.valid_to, 0)
GET(const char *, pledger_pledge_pledgor_name, p->v.pledgor_name, NULL)
GET(const char *, pledger_pledge_pledgor_id, p->v.pledgor_id, NULL)
GET(const char *, pledger_pledge_pledgee_name, p->v.pledgee_name, NULL)
GET(const char *, pledger_pledge_pledgee_id, p->v.pledgee_id, NULL)
GET(int64_t, pledger_pledge_amount, p->v.amount, 0)
GET(const char *, pledger_pledge_currency, p->v.currency, NULL)
GET(const char *, pledger_pledge_period_start, p->start, NULL)
GET(const char *, pledger_pledge_period_end, p->end, NULL)
GET(const char *, pledger_pledge_acceptance_number, p->v.acceptance_number, NULL)
GET(const char *, pledger_pledge_application_uuid, p->v.application_uuid, NULL)
GET(size_t, pledger_pledge_right_count, p->v.n_rights, 0)

size_t pledger_pledge_field_count(const pledger_pledge *p)
{
    return p && fields_ready(p) ? p->n_fields : 0;
}

const char *pledger_pledge_right_id(const pledger_pledge *p, size_t i)
{
    return p && i < p->v.n_rights ? p->v.rights[i].identifier : NULL;
}

const char *pledger_pledge_field_path(const pledger_pledge *p, size_t i)
{
    return p && fields_ready(p) && i < p->n_fields ? p->fields[i].path : NULL;
}

const char *pledger_pledge_field_value(const pledger_pledge *p, size_t i)
{
    return p && fields_ready(p) && i < p->n_fields ? p->fields[i].value : NULL;
}

/* "[N]" at @s, N a positive decimal of at most 9 digits without a
 * leading zero: the text after it, or NULL. */
static const char *index_step(const char *s)
{
    size_t n = 0;

    if (*s++ != '[' || *s == '0')
        return NULL;
    while (s[n] >= '0' && s[n] <= '9' && n < 10)
        n++;
    return n >= 1 && n <= 9 && s[n] == ']' ? s + n + 1 : NULL;
}

/* Whether @path names a field some pledge document may have: the fixed
 * ones, a right's, a history entry's. */
static bool path_known(const char *path)
{
    static const char *const fixed[] = {
        "registration_number", "version", "status", "kind", "security", "pledgor/name",
        "pledgor/id", "pledgor/id/@type", "pledgee/name", "pledgee/id", "pledgee/id/@type",
        "amount", "amount/@currency", "period/start", "period/end", "registered_at",
        "issued_at", "acceptance_number", "application", "state", "valid_from", "valid_to",
    };
    const char *rest;

    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (!strcmp(path, fixed[i]))
            return true;
    if (!strncmp(path, "rights/", 7)) {
        char name[32];
        size_t n = strcspn(path + 7, "[");
        if (n == 0 || n >= sizeof name)
            return false;
        memcpy(name, path + 7, n);
        name[n] = '\0';
        return pl_kind_from_name(name) && (rest = index_step(path + 7 + n)) &&
               (!strcmp(rest, "/identifier") || !strcmp(rest, "/classes"));
    }
    if (!strncmp(path, "history/entry", 13))
        return (rest = index_step(path + 13)) &&
               (!strcmp(rest, "/version") || !strcmp(rest, "/operation") ||
                !strcmp(rest, "/at"));
    return false;
}

const char *pledger_pledge_field(const pledger_pledge *p, const char *path)
{
    static const char fn[] = "pledger_pledge_field";
    pl_err *e = pl_err_thread();
    char buf[MAX_PATH + 32];
    const char *want = path;

    if (!p) {
        pl_err_set(e, PLEDGER_EINVAL, "%s: p is NULL", fn);
        return NULL;
    }
    if (!path) {
        pl_err_set(e, PLEDGER_EINVAL, "%s: path is NULL", fn);
        return NULL;
    }
    if (strlen(path) > MAX_PATH) {
        pl_err_set(e, PLEDGER_EINVAL, "%s: path is over %d bytes", fn, MAX_PATH);
        return NULL;
    }
    /* "rights/\*[N]/..." and "rights/right[N]/..." (as application paths
     * name any right): the element is named after the pledge's kind */
    if (!strncmp(path, "rights/*[", 9) || !strncmp(path, "rights/right[", 13)) {
        snprintf(buf, sizeof buf, "rights/%s%s", pl_kind(p->v.kind)->name,
                 strchr(path + 7, '['));
        want = buf;
    }
    if (!fields_ready(p))
        return NULL;
    for (size_t i = 0; i < p->n_fields; i++)
        if (!strcmp(p->fields[i].path, want))
            return p->fields[i].value;
    if (path_known(want))
        pl_err_set(e, PLEDGER_ENOTFOUND, "%s: pledge '%s' (version %d) has no field '%s'", fn,
                   p->v.number, p->v.version, path);
    else
        pl_err_set(e, PLEDGER_EINVAL,
                   "%s: '%s' is not a field of a pledge document (a path in the pledge's "
                   "XML document: 'pledgor/name', 'rights/*[1]/identifier' ...)",
                   fn, path);
    return NULL;
}

/* @rc of a document built from what the store holds for pledge @number:
 * the document's own checks (EINVAL, EXML) failing there are not the
 * caller's input but the registry file's, edited outside pledger. */
static int stored_invalid(pl_err *e, int rc, const char *number)
{
    if (rc != PLEDGER_EINVAL && rc != PLEDGER_EXML)
        return rc;
    pl_err_prefix(e, "pledge '%s' as the registry file holds it, changed outside pledger "
                  "(restore it from a backup)", number ? number : "");
    return pl_err_recode(e, PLEDGER_ECORRUPT);
}

int pledger_pledge_to_xml(char **out, const pledger_pledge *p)
{
    pl_err *e = pl_err_thread();
    pl_cert_right *rights;
    int rc;

    pl_err_clear(e);
    if (!out)
        return pl_err_set(e, PLEDGER_EINVAL, "pledger_pledge_to_xml: out is NULL");
    *out = NULL;
    if (!p)
        return pl_err_set(e, PLEDGER_EINVAL, "pledger_pledge_to_xml: p is NULL");
    if (!(rights = calloc(p->v.n_rights ? p->v.n_rights : 1, sizeof *rights)))
        return pl_err_oom(e);
    for (size_t i = 0; i < p->v.n_rights; i++) {
        rights[i].kind = pl_kind(p->v.kind)->name;
        rights[i].identifier = p->v.rights[i].identifier;
        rights[i].classes = p->v.rights[i].classes;
    }
    pl_pledge_fields f = {
        .cert = {
            .registration_number = p->v.number,
            .version = p->v.version,
            .status = p->v.valid_to ? "superseded" : "current",
            .kind = (pledger_kind)p->v.kind,
            .security = pl_kind(p->v.kind)->security,
            .pledgor = { p->v.pledgor_name,
                         (pledger_id_type)pl_ident_type_from_name(p->v.pledgor_id_type),
                         p->v.pledgor_id },
            .pledgee = { p->v.pledgee_name,
                         (pledger_id_type)pl_ident_type_from_name(p->v.pledgee_id_type),
                         p->v.pledgee_id },
            .rights = rights,
            .n_rights = p->v.n_rights,
            .currency = p->v.currency,
            .amount = p->v.amount,
            .period_start = p->v.period_start,
            .period_end = p->v.period_end,
            .registered_at = p->v.registered_at,
            .issued_at = p->v.valid_from,
            .acceptance_number = p->v.acceptance_number,
            .application = p->v.application_uuid,
            .verification_code = NULL, /* only certificates carry it */
        },
        .state = (pledger_pledge_state)p->v.state,
        .valid_from = p->v.valid_from,
        .has_valid_to = p->v.valid_to != 0,
        .valid_to = p->v.valid_to,
        .history = p->history,
        .n_history = p->n_history,
    };
    rc = stored_invalid(e, pl_pledge_to_xml(e, &f, out, NULL), p->v.number);
    free(rights);
    return rc;
}

/* ---- certificates ---------------------------------------------------------------------- */

/* The certificate of @version (0: the latest) of pledge @number as the
 * handle's role may read it, into @c (its number left to the caller). */
static int cert_read(pledger_registry *reg, const char *fn, const char *number, int version,
                     pledger_certificate *c)
{
    char kept[PL_API_NUMBER_MAX + 1];
    pl_cert_stored stored;
    pl_pver v;
    bool found;
    int rc, sight;

    if ((rc = pl_api_enter(reg, fn)) ||
        (rc = pl_api_number(reg, fn, "number", number, kept)) ||
        (rc = pl_api_read(reg, fn, PL_READ_PLEDGE, &sight)))
        return rc;
    if (version < 0)
        return pl_api_bad_arg(reg, fn, "version", "is negative");
    if ((rc = pl_cert_stored_load(reg->db, &reg->err, kept, version,
                                  !pl_mask_applies(reg->role), &stored, &found)))
        return rc;
    if (!found)
        return version ? pl_err_set(&reg->err, PLEDGER_ENOTFOUND,
                                    "%s: pledge '%s' has no certificate of version %d", fn,
                                    kept, version)
                       : pl_err_set(&reg->err, PLEDGER_ENOTFOUND,
                                    "%s: no pledge is registered as '%s'", fn, kept);
    if (!(c->number = strdup(kept))) {
        pl_cert_stored_clear(&stored);
        return pl_err_oom(&reg->err);
    }
    c->version = stored.version;
    c->issued_at = stored.issued_at;
    c->superseded = stored.superseded_at != INT64_MIN;
    c->superseded_at = c->superseded ? stored.superseded_at : 0;
    snprintf(c->code, sizeof c->code, "%s", stored.code ? stored.code : "");
    /* The latest certificate of a pledge no longer in force (cancelled,
     * revoked, or its period over, swept or not) is not the certificate
     * of a pledge's current version: it says how the pledge ended. */
    c->status = c->superseded ? PLEDGER_CERTIFICATE_SUPERSEDED : PLEDGER_CERTIFICATE_CURRENT;
    if (!c->superseded) {
        if ((rc = pl_pver_load(reg->db, &reg->err, kept, INT64_MIN, &v))) {
            pl_cert_stored_clear(&stored);
            return rc;
        }
        pl_pver_lapse(&v, pl_db_day_of(reg->db, INT64_MIN));
        c->status = v.state == PLEDGER_PLEDGE_CANCELLED ? PLEDGER_CERTIFICATE_CANCELLED
                    : v.state == PLEDGER_PLEDGE_REVOKED ? PLEDGER_CERTIFICATE_REVOKED
                    : v.state == PLEDGER_PLEDGE_EXPIRED ? PLEDGER_CERTIFICATE_EXPIRED
                                                        : PLEDGER_CERTIFICATE_CURRENT;
        pl_pver_clear(&v);
    }
    if (c->status == PLEDGER_CERTIFICATE_CURRENT && !pl_mask_applies(reg->role)) {
        c->xml = stored.document;
        stored.document = NULL;
        pl_cert_stored_clear(&stored);
        if (!c->xml)
            return pl_err_set(&reg->err, PLEDGER_ECORRUPT,
                              "%s: the certificate of pledge '%s' has no document", fn,
                              kept);
        return 0;
    }
    pl_cert_stored_clear(&stored);
    /* A superseded certificate or one of a pledge that ended (the same
     * document, saying so), or one
     * whose natural persons' identity numbers the caller may not see:
     * rebuilt from the version it was issued for -- by its number: two
     * versions may take effect at one instant (a replay's clock), and the
     * version in force at the certificate's instant is then the later */
    if ((rc = pl_pver_load(reg->db, &reg->err, kept, INT64_MIN, &v)))
        return rc;
    int64_t pledge_id = v.pledge_id;
    pl_pver_clear(&v);
    if ((rc = pl_pver_load_version(reg->db, &reg->err, pledge_id, c->version, &v)))
        return rc;
    pl_mask_pver(&v, reg->role);
    static const char *const status_names[] = { "", "current", "superseded", "cancelled",
                                                "revoked", "expired" };
    rc = pl_wf_certificate_xml(&reg->err, &v, c->issued_at, c->code, status_names[c->status],
                               &c->xml);
    rc = stored_invalid(&reg->err, rc, kept);
    pl_pver_clear(&v);
    return rc;
}

int pledger_certificate_get(char **out, pledger_registry *reg, const char *number, int version)
{
    static const char fn[] = "pledger_certificate_get";
    pledger_certificate c = { 0 };
    int rc;

    if (!out)
        return reg ? pl_api_bad_arg(reg, fn, "out", "is NULL")
                   : pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    rc = cert_read(reg, fn, number, version, &c);
    free(c.number);
    if (rc) {
        free(c.xml);
        return rc;
    }
    *out = c.xml;
    return 0;
}

int pledger_certificate_load(pledger_certificate **out, pledger_registry *reg, const char *number,
                             int version)
{
    static const char fn[] = "pledger_certificate_load";
    pledger_certificate *c;
    int rc;

    if (!out)
        return reg ? pl_api_bad_arg(reg, fn, "out", "is NULL")
                   : pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    if (!(c = calloc(1, sizeof *c)))
        return pl_err_oom(pl_api_err(reg));
    if ((rc = cert_read(reg, fn, number, version, c))) {
        pledger_certificate_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void pledger_certificate_free(pledger_certificate *c)
{
    if (!c)
        return;
    free(c->number);
    free(c->xml);
    free(c);
}

#define CERT_GET(type, name, expr, none)                                        \
    type name(const pledger_certificate *c) { return c ? (expr) : (none); }

CERT_GET(const char *, pledger_certificate_number, c->number, NULL)
CERT_GET(int, pledger_certificate_version, c->version, 0)
CERT_GET(const char *, pledger_certificate_code, c->code, NULL)
CERT_GET(pledger_certificate_status, pledger_certificate_status_of, c->status,
         (pledger_certificate_status)0)
CERT_GET(int64_t, pledger_certificate_issued_at, c->issued_at, 0)
CERT_GET(int64_t, pledger_certificate_superseded_at, c->superseded_at, 0)
CERT_GET(const char *, pledger_certificate_xml, c->xml, NULL)

/* ---- changes ------------------------------------------------------------------- */

/* Enter @fn with registration number @number, resolved into @kept
 * (pl_api_number: as the registry keeps it). */
static int enter_number(pledger_registry *reg, const char *fn, const char *number,
                        char kept[PL_API_NUMBER_MAX + 1], pl_ctx *c)
{
    int rc = pl_api_enter(reg, fn);
    if (rc || (rc = pl_api_number(reg, fn, "number", number, kept)))
        return rc;
    pl_api_ctx(reg, c);
    return 0;
}

int pledger_pledge_change(pledger_registry *reg, const char *number,
                          const pledger_change *change, const char *modcode)
{
    static const char fn[] = "pledger_pledge_change";
    char kept[PL_API_NUMBER_MAX + 1];
    pl_ctx c;
    int rc = enter_number(reg, fn, number, kept, &c);

    if (rc)
        return rc;
    if (!change)
        return pl_api_bad_arg(reg, fn, "change", "is NULL");
    if (change->version != PLEDGER_CHANGE_VERSION)
        return pl_api_bad_arg(reg, fn, "change->version",
                              "is not PLEDGER_CHANGE_VERSION (use PLEDGER_CHANGE_INIT)");
    if ((rc = pl_api_check_str(reg, fn, "change->pledgor_name", change->pledgor_name, 512,
                               PL_API_TRIMMED)) ||
        (rc = pl_api_check_str(reg, fn, "change->pledgee_name", change->pledgee_name, 512,
                               PL_API_TRIMMED)) ||
        (rc = pl_api_check_str(reg, fn, "change->note", change->note, 4096,
                               PL_API_LINES)) ||
        (rc = pl_api_check_str(reg, fn, "modcode", modcode, 64, PL_API_TRIMMED)))
        return rc;
    if (change->amount < -1 || change->amount == 0)
        return pl_api_bad_arg(reg, fn, "change->amount", "must be positive, or -1 for unchanged");
    pl_change_req r = { change->pledgor_name, change->pledgee_name, change->amount,
                        change->note };
    return pl_wf_change(&c, kept, &r, modcode);
}

int pledger_pledge_extend(pledger_registry *reg, const char *number, const char *new_end,
                          const char *modcode)
{
    static const char fn[] = "pledger_pledge_extend";
    int32_t day;
    char kept[PL_API_NUMBER_MAX + 1];
    pl_ctx c;
    int rc = enter_number(reg, fn, number, kept, &c);

    if (rc || (rc = pl_api_check_str(reg, fn, "new_end", new_end, 64,
                                     PL_API_REQUIRED | PL_API_TRIMMED)) ||
        (rc = pl_api_check_str(reg, fn, "modcode", modcode, 64, PL_API_TRIMMED)))
        return rc;
    if ((rc = pl_date_read(&reg->err, new_end, &day)))
        return pl_err_prefix(&reg->err, "%s: new_end", fn);
    return pl_wf_extend(&c, kept, day, modcode);
}

int pledger_pledge_cancel(pledger_registry *reg, const char *number, const char *modcode,
                          const char *note)
{
    static const char fn[] = "pledger_pledge_cancel";
    char kept[PL_API_NUMBER_MAX + 1];
    pl_ctx c;
    int rc = enter_number(reg, fn, number, kept, &c);
    if (rc || (rc = pl_api_check_str(reg, fn, "modcode", modcode, 64, PL_API_TRIMMED)) ||
        (rc = pl_api_check_str(reg, fn, "note", note, 4096, PL_API_LINES)))
        return rc;
    return pl_wf_cancel(&c, kept, modcode, note);
}

int pledger_pledge_revoke(pledger_registry *reg, const char *number, const char *ground,
                          const char *note)
{
    static const char fn[] = "pledger_pledge_revoke";
    char kept[PL_API_NUMBER_MAX + 1];
    pl_ctx c;
    int rc = enter_number(reg, fn, number, kept, &c);
    if (rc || (rc = pl_api_check_str(reg, fn, "ground", ground, 64, 1)) ||
        (rc = pl_api_check_str(reg, fn, "note", note, 4096, PL_API_LINES)))
        return rc;
    return pl_wf_revoke(&c, kept, ground, note);
}

int pledger_pledge_object(pledger_registry *reg, const char *number, const char *objector,
                          const char *note)
{
    static const char fn[] = "pledger_pledge_object";
    char kept[PL_API_NUMBER_MAX + 1];
    pl_ctx c;
    int rc = enter_number(reg, fn, number, kept, &c);
    if (rc || (rc = pl_api_check_str(reg, fn, "objector", objector, 512, 1)) ||
        (rc = pl_api_check_str(reg, fn, "note", note, 4096, PL_API_LINES)))
        return rc;
    return pl_wf_object(&c, kept, objector, note);
}

int pledger_pledge_record_litigation(pledger_registry *reg, const char *number)
{
    char kept[PL_API_NUMBER_MAX + 1];
    pl_ctx c;
    int rc = enter_number(reg, "pledger_pledge_record_litigation", number, kept, &c);
    return rc ? rc : pl_wf_litigation(&c, kept);
}

int pledger_pledge_dismiss_objection(pledger_registry *reg, const char *number,
                                     const char *note)
{
    static const char fn[] = "pledger_pledge_dismiss_objection";
    char kept[PL_API_NUMBER_MAX + 1];
    pl_ctx c;
    int rc = enter_number(reg, fn, number, kept, &c);
    if (rc || (rc = pl_api_check_str(reg, fn, "note", note, 4096, PL_API_LINES)))
        return rc;
    return pl_wf_dismiss_objection(&c, kept, note);
}

int pledger_registry_expire(int *out, pledger_registry *reg)
{
    int count = 0, rc;
    pl_ctx c;

    if (out)
        *out = 0;
    if ((rc = pl_api_enter(reg, "pledger_registry_expire")))
        return rc;
    /* refused even when nothing is due: it is a writing call */
    if (pl_db_read_only(reg->db))
        return pl_err_set(&reg->err, PLEDGER_EREADONLY,
                          "pledger_registry_expire: registry '%s' was opened read-only",
                          pl_db_path(reg->db));
    pl_api_ctx(reg, &c);
    rc = pl_wf_expire(&c, &count);
    if (out)
        *out = count;
    return rc;
}

/* ---- calendar and journal ---------------------------------------------------------- */

int pledger_calendar_load(pledger_registry *reg, const char *text, size_t len)
{
    static const char fn[] = "pledger_calendar_load";
    pl_calendar *cal;
    pl_ctx c;
    int rc = pl_api_enter(reg, fn);

    if (rc)
        return rc;
    if (!text)
        return pl_api_bad_arg(reg, fn, "text", "is NULL");
    if (len > (16u << 20))
        return pl_api_bad_arg(reg, fn, "len", "is over 16 MiB");
    if (!(cal = pl_calendar_new()))
        return pl_err_oom(&reg->err);
    pl_api_ctx(reg, &c);
    if (!(rc = pl_calendar_parse(cal, &reg->err, text, len)))
        rc = pl_wf_calendar_store(&c, cal);
    pl_calendar_free(cal);
    return rc;
}

int pledger_calendar_add_working_days(char out[11], pledger_registry *reg, const char *date,
                                      int n)
{
    static const char fn[] = "pledger_calendar_add_working_days";
    pl_calendar *cal;
    int32_t day;
    int rc;

    if (!out)
        return reg ? pl_api_bad_arg(reg, fn, "out", "is NULL")
                   : pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: out is NULL", fn);
    out[0] = '\0';
    if ((rc = pl_api_enter(reg, fn)) ||
        (rc = pl_api_check_str(reg, fn, "date", date, 64, PL_API_REQUIRED | PL_API_TRIMMED)))
        return rc;
    if (n < 0 || n > 3650)
        return pl_api_bad_arg(reg, fn, "n", "must be 0 to 3650");
    if ((rc = pl_date_read(&reg->err, date, &day)))
        return pl_err_prefix(&reg->err, "%s: date", fn);
    if ((rc = pl_wf_calendar_read(reg->db, &reg->err, &cal)))
        return rc;
    int32_t end = pl_calendar_add_working_days(cal, day, n);
    pl_calendar_free(cal);
    /* the answer must be a date "YYYY-MM-DD" can write */
    if (end > pl_days_from_civil(9999, 12, 31))
        return pl_err_set(&reg->err, PLEDGER_EINVAL, "%s: %d working days after %s is after "
                          "9999-12-31", fn, n, date);
    pl_date_format(end, out);
    return 0;
}

/* The chain from the first event, then (@state) the state tables against
 * the journal's replay. */
static int journal_verify(const char *fn, int64_t *bad_seq_out, int64_t *count_out,
                          pledger_registry *reg, bool state)
{
    int64_t bad = 0, count = 0;
    int rc, sight;

    if (!bad_seq_out)
        return reg ? pl_api_bad_arg(reg, fn, "bad_seq_out", "is NULL")
                   : pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: bad_seq_out is NULL", fn);
    *bad_seq_out = 0;
    if (count_out)
        *count_out = 0;
    if ((rc = pl_api_enter(reg, fn)) || (rc = pl_api_read(reg, fn, PL_READ_JOURNAL, &sight)))
        return rc;
    if ((rc = pl_db_read_begin(reg->db, &reg->err)))
        return rc;
    rc = pl_journal_verify(reg->db, &reg->err, &bad, &count);
    /* an intact chain: the state tables must be its replay */
    if (state && !rc && !bad)
        rc = pl_state_verify(reg->db, &reg->err, &bad);
    pl_db_rollback(reg->db);
    if (rc)
        return rc;
    *bad_seq_out = bad;
    if (count_out)
        *count_out = count;
    return 0;
}

int pledger_journal_verify(int64_t *bad_seq_out, int64_t *count_out, pledger_registry *reg)
{
    return journal_verify("pledger_journal_verify", bad_seq_out, count_out, reg, true);
}

int pledger_journal_verify_chain(int64_t *bad_seq_out, int64_t *count_out,
                                 pledger_registry *reg)
{
    return journal_verify("pledger_journal_verify_chain", bad_seq_out, count_out, reg, false);
}
