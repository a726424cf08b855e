/* Import of the reference register (refreg.h, share/pledger/register.xsd).
 *
 * The file is streamed through libxml2's xmlTextReader: each record (a
 * child of <register>) is expanded on its own, checked against the
 * schema (the quick check of refreg-valid.c, and when it is not sure
 * xmlSchemaValidateOneElement on that subtree), normalised, written, and
 * freed when the reader moves on, so memory does not grow with the file.
 * Everything happens in one write transaction whose last write is the
 * journal event; any failure rolls all of it back.  During the import the
 * connection keeps temporary b-trees in memory and a larger page cache
 * (refreg-bulk.h); both are put back afterwards.  When ref_right or
 * ref_holding is empty at the start, its records are inserted without
 * looking them up first.
 *
 * Record lines: libxml2 keeps element line numbers in 16 bits (and the
 * line where the start tag ends), so the line of a record is taken from
 * the white space that precedes it: a text node, whose line
 * XML_PARSE_BIG_LINES keeps in full, is the line of the '<' that ends it,
 * i.e. where the record starts.  When no white space precedes the record
 * (a comment does), or the white space is long enough to have reached the
 * parser in pieces, the element's own line is used.
 *
 * Duplicates: the keys imported so far live in ref_import_seen, a table
 * emptied before the commit, so even a file of millions of records is
 * checked with bounded memory. */
#include "rules/refreg.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include "base/date.h"
#include "base/hash.h"
#include "base/ident.h"
#include "base/json.h"
#include "base/text.h"
#include "model/xml.h"
#include "rules/refreg-bulk.h"
#include "rules/refreg-valid.h"
#include "store/journal.h"

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_t;
#else
typedef xmlErrorPtr xml_error_t;
#endif

#define REGISTER_XSD "register.xsd"
#define MAX_OWNERS 64
#define MAX_ALLOWANCES 64
#define MAX_GROUPS 1000
#define ID_MAX 256 /* 60 code points of a certificate number, in UTF-8 */
#define TOKEN_MAX 72
#define MSG_MAX 480

/* ------------------------------------------------------------------ */
/* One record, normalised                                              */

typedef struct owner {
    const char *name; /* borrowed from the tree */
    char *name_key;   /* malloc'd */
    int id_type;
    char id[ID_MAX];
} owner;

typedef struct allowance {
    char pollutant[TOKEN_MAX];
    int64_t micro;
    char unit[TOKEN_MAX];
} allowance;

typedef struct record {
    int kind;               /* pledger_kind; EQUITY for a holding */
    const char *label;      /* element name */
    const char *raw_number; /* for messages, may be NULL */
    char number[ID_MAX];    /* normalised; the company's USCC for a holding */
    int status;
    int32_t valid_from, valid_to;
    bool seized, frozen;
    size_t n_owners; /* the shareholder of a holding is owners[0] */
    owner owners[MAX_OWNERS];
    /* trademark */
    const char *mark;
    char *mark_key;
    char family[TOKEN_MAX];
    bool has_family;
    uint64_t classes; /* bit n: Nice class n */
    size_t n_groups;
    char groups[MAX_GROUPS][5];
    /* patent */
    int patent_type;
    int32_t grant_date;
    bool fee_paid, invalidation_pending, suspended, has_twin;
    char twin[ID_MAX];
    /* emission */
    size_t n_allowances;
    allowance allowances[MAX_ALLOWANCES];
    /* holding */
    const char *company_name;
    int64_t capital;
    char currency[4];
} record;

/* ------------------------------------------------------------------ */
/* The input: a file descriptor or a buffer, hashed as it is read      */

typedef struct input {
    int fd; /* -1: read from data */
    const unsigned char *data;
    size_t len, pos;
    uint64_t bytes, total;
    pl_hash_ctx *sha; /* of the file */
    int err_no;
    /* Until the root element: the line of the first "<!DOCTYPE" (libxml2
     * keeps no line for it). */
    bool scan;
    unsigned match;
    long line, doctype_line;
} input;

static void scan_doctype(input *in, const char *p, size_t n)
{
    static const char pat[] = "<!DOCTYPE";

    for (size_t i = 0; i < n && !in->doctype_line; i++) {
        if (p[i] == '\n')
            in->line++;
        if (p[i] == pat[in->match]) {
            if (++in->match == sizeof pat - 1)
                in->doctype_line = in->line;
        } else {
            in->match = p[i] == '<';
        }
    }
}

static int input_read(void *ctx, char *buf, int len)
{
    input *in = ctx;
    ssize_t n;

    if (len <= 0)
        return 0;
    if (in->fd >= 0) {
        do
            n = read(in->fd, buf, (size_t)len);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            in->err_no = errno;
            return -1;
        }
    } else {
        size_t left = in->len - in->pos;
        n = (ssize_t)(left < (size_t)len ? left : (size_t)len);
        memcpy(buf, in->data + in->pos, (size_t)n);
        in->pos += (size_t)n;
    }
    if (n > 0) {
        if (pl_hash_update(in->sha, buf, (size_t)n) != 0) {
            in->err_no = ENOMEM;
            return -1;
        }
        in->bytes += (uint64_t)n;
        if (in->scan)
            scan_doctype(in, buf, (size_t)n);
    }
    return (int)n;
}

/* ------------------------------------------------------------------ */
/* The state of one import                                             */

typedef struct imp {
    pl_db *db;
    pl_err *e;
    const pl_refreg_import_opts *o;
    const char *name;
    input in;
    xmlTextReaderPtr reader;
    xmlSchemaValidCtxtPtr vctxt;
    pl_refreg_report *rep;
    record *rec;
    /* the first parser error */
    bool xml_have;
    long xml_line;
    char xml_msg[MSG_MAX];
    /* the first schema error of the current record */
    char verr[MSG_MAX];
    /* the digest's canonical bytes */
    unsigned char *dbuf;
    size_t dlen, dcap;
    bool doom;
    pl_hash_ctx *dsha; /* the digests, one after the other on one context */
    /* ref_right, ref_holding were empty when the import began: a record
     * is new unless this file gave it before (ref_import_seen). */
    bool no_rights, no_holdings;
} imp;

/* Messages quote the file's text with %.Ns, which may cut a character in
 * two: turn whatever is not UTF-8 into '?', so that callers (the Python
 * bindings) can always decode a message. */
static void utf8_fix(char *s)
{
    size_t n = strlen(s);
    uint32_t cp;

    for (size_t i = 0; i < n;) {
        size_t k = pl_utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            s[i++] = '?';
            continue;
        }
        i += k;
    }
}

static void trim_message(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '.'))
        s[--n] = '\0';
    utf8_fix(s);
}

static void on_reader_error(void *arg, xml_error_t err)
{
    imp *im = arg;

    if (!err || err->level < XML_ERR_ERROR || im->xml_have)
        return;
    im->xml_have = true;
    im->xml_line = err->line;
    snprintf(im->xml_msg, sizeof im->xml_msg, "%s", err->message ? err->message : "error");
    trim_message(im->xml_msg);
}

/* Keep the first schema error of a record, without the namespace braces. */
static void on_schema_error(void *arg, xml_error_t err)
{
    static const char brace[] = "{" PL_XML_NS "}";
    imp *im = arg;
    const char *p;
    size_t n = 0;

    if (!err || err->level < XML_ERR_ERROR || im->verr[0])
        return;
    for (p = err->message ? err->message : "invalid"; *p && n + 1 < sizeof im->verr;) {
        if (strncmp(p, brace, sizeof brace - 1) == 0) {
            p += sizeof brace - 1;
            continue;
        }
        im->verr[n++] = *p++;
    }
    im->verr[n] = '\0';
    trim_message(im->verr);
    if (!im->verr[0])
        snprintf(im->verr, sizeof im->verr, "invalid");
}

static void discard_error(void *arg, xml_error_t err)
{
    (void)arg;
    (void)err;
}

static void discard_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* ------------------------------------------------------------------ */
/* Rejections                                                          */

/* Record that the current record is rejected.  Returns 0, or
 * PLEDGER_ENOMEM when the message cannot be kept. */
static int reject(imp *im, uint64_t line, const char *fmt, ...) PL_PRINTF(3, 4);

static int reject(imp *im, uint64_t line, const char *fmt, ...)
{
    pl_refreg_report *rep = im->rep;
    char msg[MSG_MAX + 128];
    va_list ap;

    rep->rejected++;
    if (rep->n_kept >= PL_REFREG_KEEP_REJECTIONS)
        return 0;
    if (!rep->kept) {
        rep->kept = calloc(PL_REFREG_KEEP_REJECTIONS, sizeof *rep->kept);
        if (!rep->kept)
            return pl_err_oom(im->e);
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    utf8_fix(msg);
    rep->kept[rep->n_kept].line = line;
    if (!(rep->kept[rep->n_kept].message = strdup(msg)))
        return pl_err_oom(im->e);
    rep->n_kept++;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Reading values                                                      */

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The value of the unqualified attribute @name of @n, NULL when absent.
 * (Without a DTD an attribute value is a single text node.) */
static const char *prop(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (a->ns || strcmp((const char *)a->name, name) != 0)
            continue;
        if (!a->children)
            return "";
        if (a->children->type == XML_TEXT_NODE && !a->children->next && a->children->content)
            return (const char *)a->children->content;
        return NULL;
    }
    return NULL;
}

/* @in as an XML token (white space trimmed, inner runs collapsed to one
 * space) into @out; false when longer than @size - 1. */
static bool collapse(const char *in, char *out, size_t size)
{
    size_t n = 0;
    bool space = false;

    for (; *in; in++) {
        if (is_ws(*in)) {
            space = n > 0;
            continue;
        }
        if (space) {
            if (n + 1 >= size)
                return false;
            out[n++] = ' ';
            space = false;
        }
        if (n + 1 >= size)
            return false;
        out[n++] = *in;
    }
    out[n] = '\0';
    return true;
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (!is_ws(*s))
            return false;
    return true;
}

/* What makes a record's message: "trademark 12345678". */
typedef struct where {
    imp *im;
    uint64_t line;
    char what[256];
} where;

static int bad(where *w, const char *fmt, ...) PL_PRINTF(2, 3);

static int bad(where *w, const char *fmt, ...)
{
    char msg[MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    trim_message(msg);
    return reject(w->im, w->line, "%s: %s", w->what, msg) ? PLEDGER_ENOMEM : 1;
}

/* Returns 1 (record rejected), PLEDGER_ENOMEM, or 0 and *out. */
static int get_date(where *w, xmlNodePtr n, const char *name, bool required, int32_t *out)
{
    const char *v = prop(n, name);
    char buf[TOKEN_MAX];
    pl_err err = { 0 };

    *out = PL_REF_NO_DATE;
    if (!v) {
        if (required)
            return bad(w, "%s is missing", name);
        return 0;
    }
    if (!collapse(v, buf, sizeof buf) || pl_date_parse(&err, buf, out) != 0) {
        *out = PL_REF_NO_DATE;
        return bad(w, "%s '%.40s' is not a date: %s", name, v,
                   err.msg[0] ? err.msg : "too long");
    }
    return 0;
}

static int get_bool(where *w, xmlNodePtr n, const char *name, bool *out)
{
    const char *v = prop(n, name);
    char buf[8];

    *out = false;
    if (!v)
        return 0;
    if (collapse(v, buf, sizeof buf)) {
        if (strcmp(buf, "true") == 0 || strcmp(buf, "1") == 0) {
            *out = true;
            return 0;
        }
        if (strcmp(buf, "false") == 0 || strcmp(buf, "0") == 0)
            return 0;
    }
    return bad(w, "%s '%.20s' is not true or false", name, v);
}

static int get_token(where *w, xmlNodePtr n, const char *name, char *out, size_t size)
{
    const char *v = prop(n, name);

    out[0] = '\0';
    if (!v)
        return bad(w, "%s is missing", name);
    if (!collapse(v, out, size) || !out[0])
        return bad(w, "%s '%.40s' must be 1 to %zu characters", name, v, size - 1);
    return 0;
}

/* Normalise and check identifier @in of @type into @out. */
static int get_id(where *w, const char *field, pledger_id_type type, const char *in, char *out)
{
    pl_err err = { 0 };

    if (pl_ident_normalize(&err, type, in, w->im->o->today, out, ID_MAX) != 0) {
        out[0] = '\0';
        if (err.code == PLEDGER_ENOMEM)
            return pl_err_oom(w->im->e);
        return bad(w, "%s: %s", field, err.msg);
    }
    return 0;
}

/* "123.5" -> 123500000 millionths.  Returns false on anything else. */
static bool parse_micro(const char *s, int64_t *out)
{
    int64_t v = 0;
    int frac = -1;
    bool digit = false;

    while (is_ws(*s))
        s++;
    if (*s == '+')
        s++;
    for (; *s && !is_ws(*s); s++) {
        if (*s == '.' && frac < 0) {
            frac = 0;
            continue;
        }
        if (*s < '0' || *s > '9')
            return false;
        if (frac >= 0 && ++frac > 6)
            return false;
        if (v > (INT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (*s - '0');
        digit = true;
    }
    while (is_ws(*s))
        s++;
    if (*s || !digit)
        return false;
    for (int i = frac < 0 ? 0 : frac; i < 6; i++) {
        if (v > INT64_MAX / 10)
            return false;
        v *= 10;
    }
    *out = v;
    return true;
}

static bool parse_count(const char *s, int64_t *out)
{
    int64_t v = 0;
    bool digit = false;

    while (is_ws(*s))
        s++;
    if (*s == '+')
        s++;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (INT64_MAX - (*s - '0')) / 10)
            return false;
        v = v * 10 + (*s - '0');
        digit = true;
    }
    while (is_ws(*s))
        s++;
    if (*s || !digit)
        return false;
    *out = v;
    return true;
}

/* The children of @n that are elements of PL_XML_NS named @name. */
static xmlNodePtr next_child(xmlNodePtr c, const char *name)
{
    for (; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && pl_xml_is(c, name))
            return c;
    return NULL;
}

static int get_party(where *w, xmlNodePtr n, const char *path, owner *o)
{
    static const int party_types[] = {
        PLEDGER_ID_USCC, PLEDGER_ID_RESIDENT, PLEDGER_ID_PASSPORT, PLEDGER_ID_FOREIGN_REG,
    };
    const char *name = prop(n, "name"), *type = prop(n, "id_type"), *id = prop(n, "id");
    char field[64], buf[TOKEN_MAX];
    int t = 0;

    if (!name || blank(name))
        return bad(w, "%s/@name is missing", path);
    if (!type)
        return bad(w, "%s/@id_type is missing", path);
    if (!id)
        return bad(w, "%s/@id is missing", path);
    if (collapse(type, buf, sizeof buf))
        t = pl_ident_type_from_name(buf);
    for (size_t i = 0; t > 0 && i < sizeof party_types / sizeof party_types[0]; i++) {
        if (party_types[i] == t)
            goto known;
    }
    return bad(w, "%s/@id_type '%.20s' is not uscc, resident, passport or foreign_reg", path,
               type);
known:
    o->name = name;
    o->id_type = t;
    snprintf(field, sizeof field, "%s/@id", path);
    int rc = get_id(w, field, (pledger_id_type)t, id, o->id);
    if (rc)
        return rc;
    if (!(o->name_key = pl_text_name_key(name)))
        return pl_err_oom(w->im->e);
    return 0;
}

static int get_owners(where *w, xmlNodePtr n, record *r)
{
    xmlNodePtr c;
    char path[32];
    int rc;

    for (c = next_child(n->children, "owner"); c; c = next_child(c->next, "owner")) {
        if (r->n_owners >= MAX_OWNERS)
            return bad(w, "more than %d owners", MAX_OWNERS);
        snprintf(path, sizeof path, "owner[%zu]", r->n_owners + 1);
        if ((rc = get_party(w, c, path, &r->owners[r->n_owners])))
            return rc;
        r->n_owners++;
    }
    if (r->n_owners == 0)
        return bad(w, "no owner");
    for (size_t i = 0; i < r->n_owners; i++)
        for (size_t j = 0; j < i; j++)
            if (r->owners[i].id_type == r->owners[j].id_type &&
                strcmp(r->owners[i].id, r->owners[j].id) == 0)
                return bad(w, "owner[%zu] repeats owner[%zu]", i + 1, j + 1);
    return 0;
}

static const char *const status_names[] = {
    NULL, "registered", "cancelled", "invalidated", "expired", "terminated", "not_granted",
    "granted",
};

const char *pl_ref_status_name(int status)
{
    if (status < PL_REF_REGISTERED || status > PL_REF_GRANTED)
        return NULL;
    return status_names[status];
}

int pl_ref_status_from_name(const char *name)
{
    for (int s = PL_REF_REGISTERED; name && s <= PL_REF_GRANTED; s++)
        if (strcmp(status_names[s], name) == 0)
            return s;
    return 0;
}

static const char *const patent_type_names[] = { NULL, "invention", "utility_model", "design" };

const char *pl_ref_patent_type_name(int type)
{
    if (type < PL_REF_INVENTION || type > PL_REF_DESIGN)
        return NULL;
    return patent_type_names[type];
}

/* Statuses each kind may have (bit per pl_ref_status). */
static unsigned status_mask(int kind)
{
#define B(s) (1u << (s))
    switch (kind) {
    case PLEDGER_KIND_PATENT:
        return B(PL_REF_NOT_GRANTED) | B(PL_REF_GRANTED) | B(PL_REF_TERMINATED) |
               B(PL_REF_INVALIDATED) | B(PL_REF_EXPIRED);
    default:
        return B(PL_REF_REGISTERED) | B(PL_REF_CANCELLED) | B(PL_REF_INVALIDATED) |
               B(PL_REF_EXPIRED);
    }
#undef B
}

static int get_common(where *w, xmlNodePtr n, record *r, pledger_id_type number_type)
{
    char buf[TOKEN_MAX];
    int rc;

    if (!r->raw_number)
        return bad(w, "number is missing");
    if ((rc = get_id(w, "number", number_type, r->raw_number, r->number)))
        return rc;
    snprintf(w->what, sizeof w->what, "%s %.200s", r->label, r->number);
    if ((rc = get_token(w, n, "status", buf, sizeof buf)))
        return rc;
    r->status = pl_ref_status_from_name(buf);
    if (!r->status || !(status_mask(r->kind) & (1u << r->status)))
        return bad(w, "status '%.30s' is not a status of a %s", buf, r->label);
    if ((rc = get_bool(w, n, "seized", &r->seized)) ||
        (rc = get_bool(w, n, "frozen", &r->frozen)))
        return rc;
    return get_owners(w, n, r);
}

static int check_term(where *w, const record *r, const char *from, const char *to)
{
    if (r->valid_from != PL_REF_NO_DATE && r->valid_to != PL_REF_NO_DATE &&
        r->valid_to < r->valid_from) {
        char a[11], b[11];
        pl_date_format(r->valid_from, a);
        pl_date_format(r->valid_to, b);
        return bad(w, "%s %s is before %s %s", to, b, from, a);
    }
    return 0;
}

/* The key under which mark texts compare: folded (full-width forms,
 * white space) and ASCII lower-case, so "ＡＣＭＥ  Shop" and "acme shop"
 * are the same text.  (Not the name key: a mark keeps its punctuation and
 * its "Ltd".) */
static char *mark_key(const char *mark)
{
    char *k = pl_text_fold(mark);

    for (char *p = k; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return k;
}

static int cmp_group(const void *a, const void *b)
{
    return memcmp(a, b, 5);
}

static int get_trademark(where *w, xmlNodePtr n, record *r)
{
    const char *v;
    int rc;

    if ((rc = get_common(w, n, r, PLEDGER_ID_TRADEMARK)) ||
        (rc = get_date(w, n, "valid_from", true, &r->valid_from)) ||
        (rc = get_date(w, n, "valid_to", true, &r->valid_to)) ||
        (rc = check_term(w, r, "valid_from", "valid_to")))
        return rc;
    if ((v = prop(n, "mark")) && !blank(v)) {
        r->mark = v;
        if (!(r->mark_key = mark_key(v)))
            return pl_err_oom(w->im->e);
        if (!r->mark_key[0]) {
            free(r->mark_key);
            r->mark_key = NULL;
        }
    }
    if ((v = prop(n, "family"))) {
        if (!collapse(v, r->family, sizeof r->family) || !r->family[0])
            return bad(w, "family '%.40s' must be 1 to 64 characters", v);
        r->has_family = true;
    }
    /* classes="9 35" */
    if (!(v = prop(n, "classes")))
        return bad(w, "classes is missing");
    for (const char *p = v;;) {
        int c = 0, digits = 0;
        while (is_ws(*p))
            p++;
        if (!*p)
            break;
        if (*p == '+') /* xs:int allows it, and leading zeros */
            p++;
        for (; *p >= '0' && *p <= '9'; p++, digits++)
            c = c < 100 ? c * 10 + (*p - '0') : c;
        if (!digits || (*p && !is_ws(*p)) || c < 1 || c > 45)
            return bad(w, "classes '%.60s': each class must be a number from 1 to 45", v);
        r->classes |= (uint64_t)1 << c;
    }
    if (!r->classes)
        return bad(w, "classes is empty");
    /* groups="0901 0907 3501": each in one of the classes */
    if ((v = prop(n, "groups"))) {
        for (const char *p = v;;) {
            char g[5];
            int i = 0;
            while (is_ws(*p))
                p++;
            if (!*p)
                break;
            for (; *p && !is_ws(*p) && i < 4; p++)
                g[i++] = *p;
            g[i] = '\0';
            if (i != 4 || (*p && !is_ws(*p)) || g[0] < '0' || g[0] > '9' || g[1] < '0' ||
                g[1] > '9' || g[2] < '0' || g[2] > '9' || g[3] < '0' || g[3] > '9')
                return bad(w, "groups: '%.12s' is not a 4-digit similar-goods group code", g);
            int cls = (g[0] - '0') * 10 + (g[1] - '0');
            if (cls < 1 || cls > 45 || (g[2] == '0' && g[3] == '0'))
                return bad(w, "groups: '%s' is not a similar-goods group code", g);
            if (!(r->classes & ((uint64_t)1 << cls)))
                return bad(w, "groups: group %s is in class %d, which is not among the "
                           "classes", g, cls);
            if (r->n_groups >= MAX_GROUPS)
                return bad(w, "groups: more than %d codes", MAX_GROUPS);
            memcpy(r->groups[r->n_groups++], g, 5);
        }
        qsort(r->groups, r->n_groups, sizeof r->groups[0], cmp_group);
        size_t k = 0;
        for (size_t i = 0; i < r->n_groups; i++)
            if (k == 0 || memcmp(r->groups[k - 1], r->groups[i], 5) != 0)
                memcpy(r->groups[k++], r->groups[i], 5);
        r->n_groups = k;
    }
    return 0;
}

/* The patent type the application number encodes: new numbers (12 digits
 * then the check) carry it in the 5th digit, old ones (8 digits) in the
 * 3rd: 1 and 8 invention, 2 and 9 utility model, 3 design. */
static int number_patent_type(const char *number)
{
    size_t n = 0;
    char t;

    while (number[n] >= '0' && number[n] <= '9')
        n++;
    if (n >= 12)
        t = number[4];
    else if (n >= 8)
        t = number[2];
    else
        return 0;
    switch (t) {
    case '1':
    case '8': return PL_REF_INVENTION;
    case '2':
    case '9': return PL_REF_UTILITY_MODEL;
    case '3': return PL_REF_DESIGN;
    default: return 0;
    }
}

static int get_patent(where *w, xmlNodePtr n, record *r)
{
    char buf[TOKEN_MAX];
    const char *v;
    int rc, t;

    if ((rc = get_common(w, n, r, PLEDGER_ID_PATENT)) ||
        (rc = get_token(w, n, "patent_type", buf, sizeof buf)))
        return rc;
    for (r->patent_type = PL_REF_INVENTION; r->patent_type <= PL_REF_DESIGN; r->patent_type++)
        if (strcmp(buf, patent_type_names[r->patent_type]) == 0)
            break;
    if (r->patent_type > PL_REF_DESIGN)
        return bad(w, "patent_type '%.30s' is not invention, utility_model or design", buf);
    t = number_patent_type(r->number);
    if (t && t != r->patent_type)
        return bad(w, "patent_type %s does not match the number, which is of a%s %s", buf,
                   t == PL_REF_INVENTION ? "n" : "", patent_type_names[t]);
    if ((rc = get_date(w, n, "filing_date", true, &r->valid_from)) ||
        (rc = get_date(w, n, "grant_date", false, &r->grant_date)) ||
        (rc = get_date(w, n, "valid_to", false, &r->valid_to)) ||
        (rc = check_term(w, r, "filing_date", "valid_to")) ||
        (rc = get_bool(w, n, "fee_paid", &r->fee_paid)) ||
        (rc = get_bool(w, n, "invalidation_pending", &r->invalidation_pending)) ||
        (rc = get_bool(w, n, "suspended", &r->suspended)))
        return rc;
    if (r->grant_date != PL_REF_NO_DATE && r->grant_date < r->valid_from)
        return bad(w, "grant_date is before filing_date");
    if (r->status == PL_REF_NOT_GRANTED && r->grant_date != PL_REF_NO_DATE)
        return bad(w, "status not_granted with a grant_date");
    if (r->status != PL_REF_NOT_GRANTED && r->grant_date == PL_REF_NO_DATE)
        return bad(w, "status %s needs a grant_date", pl_ref_status_name(r->status));
    if ((v = prop(n, "twin"))) {
        if ((rc = get_id(w, "twin", PLEDGER_ID_PATENT, v, r->twin)))
            return rc;
        if (strcmp(r->twin, r->number) == 0)
            return bad(w, "twin is the patent itself");
        r->has_twin = true;
    }
    return 0;
}

static int get_certificate(where *w, xmlNodePtr n, record *r)
{
    int rc;

    if ((rc = get_common(w, n, r, r->kind == PLEDGER_KIND_EMISSION ? PLEDGER_ID_PERMIT
                                                                     : PLEDGER_ID_CERTIFICATE)) ||
        (rc = get_date(w, n, "valid_from", true, &r->valid_from)) ||
        (rc = get_date(w, n, "valid_to", true, &r->valid_to)) ||
        (rc = check_term(w, r, "valid_from", "valid_to")))
        return rc;
    if (r->kind != PLEDGER_KIND_EMISSION)
        return 0;
    for (xmlNodePtr c = next_child(n->children, "allowance"); c;
         c = next_child(c->next, "allowance")) {
        allowance *a = &r->allowances[r->n_allowances];
        size_t i = r->n_allowances + 1;
        const char *amount = prop(c, "amount");
        char path[32];

        if (r->n_allowances >= MAX_ALLOWANCES)
            return bad(w, "more than %d allowances", MAX_ALLOWANCES);
        snprintf(path, sizeof path, "allowance[%zu]/@pollutant", i);
        if ((rc = get_token(w, c, "pollutant", a->pollutant, sizeof a->pollutant)))
            return rc;
        if ((rc = get_token(w, c, "unit", a->unit, sizeof a->unit)))
            return rc;
        if (!amount || !parse_micro(amount, &a->micro))
            return bad(w, "allowance[%zu]/@amount '%.30s' is not a quantity with at most 6 "
                       "decimals", i, amount ? amount : "");
        for (size_t j = 0; j < r->n_allowances; j++)
            if (strcmp(r->allowances[j].pollutant, a->pollutant) == 0)
                return bad(w, "allowance[%zu] repeats pollutant %s", i, a->pollutant);
        r->n_allowances++;
    }
    return 0;
}

static int get_holding(where *w, xmlNodePtr n, record *r)
{
    const char *v;
    xmlNodePtr c;
    int rc;

    if (!r->raw_number)
        return bad(w, "company is missing");
    if ((rc = get_id(w, "company", PLEDGER_ID_USCC, r->raw_number, r->number)))
        return rc;
    snprintf(w->what, sizeof w->what, "holding in %.40s", r->number);
    if ((v = prop(n, "company_name")) && !blank(v))
        r->company_name = v;
    if (!(v = prop(n, "capital")) || !parse_count(v, &r->capital))
        return bad(w, "capital '%.30s' is not a count of minor units", v ? v : "");
    if ((rc = get_token(w, n, "currency", r->currency, sizeof r->currency)))
        return rc;
    for (int i = 0; i < 3; i++)
        if (r->currency[i] < 'A' || r->currency[i] > 'Z' || !r->currency[2])
            return bad(w, "currency '%s' is not an ISO 4217 code", r->currency);
    if ((rc = get_bool(w, n, "frozen", &r->frozen)))
        return rc;
    if (!(c = next_child(n->children, "shareholder")))
        return bad(w, "shareholder is missing");
    if ((rc = get_party(w, c, "shareholder", &r->owners[0])))
        return rc;
    r->n_owners = 1;
    /* resident identity and passport numbers are personal data: not in messages */
    if (r->owners[0].id_type == PLEDGER_ID_USCC || r->owners[0].id_type == PLEDGER_ID_FOREIGN_REG)
        snprintf(w->what, sizeof w->what, "holding in %.40s of %.100s", r->number,
                 r->owners[0].id);
    else
        snprintf(w->what, sizeof w->what, "holding in %.40s of a shareholder (%s)", r->number,
                 pl_ident_type_label((pledger_id_type)r->owners[0].id_type));
    return 0;
}

static void record_reset(record *r)
{
    for (size_t i = 0; i < MAX_OWNERS; i++) {
        free(r->owners[i].name_key);
        r->owners[i].name_key = NULL;
    }
    free(r->mark_key);
    /* the large arrays need no clearing: their counts say what is valid */
    r->kind = 0;
    r->label = r->raw_number = r->mark = r->company_name = NULL;
    r->number[0] = r->family[0] = r->twin[0] = r->currency[0] = '\0';
    r->mark_key = NULL;
    r->status = r->patent_type = 0;
    r->valid_from = r->valid_to = r->grant_date = PL_REF_NO_DATE;
    r->seized = r->frozen = r->has_family = r->fee_paid = r->invalidation_pending = false;
    r->suspended = r->has_twin = false;
    r->n_owners = r->n_groups = r->n_allowances = 0;
    r->classes = 0;
    r->capital = 0;
}

/* ------------------------------------------------------------------ */
/* The digest of a record's normalised content                         */

static void dg_raw(imp *im, const void *p, size_t n)
{
    if (im->dlen + n > im->dcap) {
        size_t cap = im->dcap ? im->dcap : 1024;
        while (cap < im->dlen + n)
            cap *= 2;
        unsigned char *b = realloc(im->dbuf, cap);
        if (!b) {
            im->doom = true;
            return;
        }
        im->dbuf = b;
        im->dcap = cap;
    }
    memcpy(im->dbuf + im->dlen, p, n);
    im->dlen += n;
}

static void dg_int(imp *im, int64_t v)
{
    unsigned char b[9];
    b[0] = 'I';
    for (int i = 0; i < 8; i++)
        b[1 + i] = (unsigned char)((uint64_t)v >> (8 * i));
    dg_raw(im, b, sizeof b);
}

static void dg_str(imp *im, const char *s)
{
    if (!s) {
        dg_raw(im, "N", 1);
        return;
    }
    size_t n = strlen(s);
    dg_int(im, (int64_t)n);
    dg_raw(im, s, n);
}

static int digest(imp *im, const record *r, unsigned char out[32])
{
    im->dlen = 0;
    dg_raw(im, "pledger-ref-1", 13);
    dg_int(im, r->kind);
    dg_str(im, r->number);
    dg_int(im, r->status);
    dg_int(im, r->valid_from);
    dg_int(im, r->valid_to);
    dg_int(im, r->seized);
    dg_int(im, r->frozen);
    dg_int(im, (int64_t)r->n_owners);
    for (size_t i = 0; i < r->n_owners; i++) {
        dg_str(im, r->owners[i].name);
        dg_str(im, r->owners[i].name_key);
        dg_int(im, r->owners[i].id_type);
        dg_str(im, r->owners[i].id);
    }
    switch (r->kind) {
    case PLEDGER_KIND_TRADEMARK:
        dg_str(im, r->mark);
        dg_str(im, r->mark_key);
        dg_str(im, r->has_family ? r->family : NULL);
        dg_int(im, (int64_t)r->classes);
        dg_int(im, (int64_t)r->n_groups);
        for (size_t i = 0; i < r->n_groups; i++)
            dg_raw(im, r->groups[i], 4);
        break;
    case PLEDGER_KIND_PATENT:
        dg_int(im, r->patent_type);
        dg_int(im, r->grant_date);
        dg_int(im, r->fee_paid);
        dg_int(im, r->invalidation_pending);
        dg_int(im, r->suspended);
        dg_str(im, r->has_twin ? r->twin : NULL);
        break;
    case PLEDGER_KIND_EMISSION:
        dg_int(im, (int64_t)r->n_allowances);
        for (size_t i = 0; i < r->n_allowances; i++) {
            dg_str(im, r->allowances[i].pollutant);
            dg_int(im, r->allowances[i].micro);
            dg_str(im, r->allowances[i].unit);
        }
        break;
    case PLEDGER_KIND_EQUITY:
        dg_str(im, r->company_name);
        dg_int(im, r->capital);
        dg_str(im, r->currency);
        break;
    default:
        break;
    }
    if (im->doom)
        return pl_err_oom(im->e);
    int rc;
    if ((rc = pl_hash_restart(im->dsha)) || (rc = pl_hash_update(im->dsha, im->dbuf, im->dlen)) ||
        (rc = pl_hash_digest(im->dsha, out)))
        return pl_err_set(im->e, rc, "%s: SHA-256 failed", im->name);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

static const char sql_seen_add[] =
    "INSERT INTO ref_import_seen(kind, number, line) VALUES (?1, ?2, ?3) "
    "ON CONFLICT DO NOTHING";
static const char sql_seen_line[] =
    "SELECT line FROM ref_import_seen WHERE kind = ?1 AND number = ?2";
static const char sql_seen_clear[] = "DELETE FROM ref_import_seen";

static const char sql_right_get[] =
    "SELECT id, digest FROM ref_right WHERE kind = ?1 AND number = ?2";
static const char sql_right_insert[] =
    "INSERT INTO ref_right(kind, number, status, valid_from, valid_to, seized, frozen, "
    "digest, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char sql_right_update[] =
    "UPDATE ref_right SET status = ?3, valid_from = ?4, valid_to = ?5, seized = ?6, "
    "frozen = ?7, digest = ?8, changed_at = ?9 WHERE id = ?1 AND kind = ?2";
static const char sql_owner_clear[] = "DELETE FROM ref_owner WHERE right_id = ?1";
static const char sql_owner_add[] =
    "INSERT INTO ref_owner(right_id, pos, name, name_key, id_type, id_number) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_tm_put[] =
    "INSERT INTO ref_trademark(right_id, mark, mark_key, family) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(right_id) DO UPDATE SET mark = excluded.mark, mark_key = excluded.mark_key, "
    "family = excluded.family";
static const char sql_class_clear[] = "DELETE FROM ref_trademark_class WHERE right_id = ?1";
static const char sql_class_add[] =
    "INSERT INTO ref_trademark_class(right_id, nice) VALUES (?1, ?2)";
static const char sql_group_clear[] = "DELETE FROM ref_trademark_group WHERE right_id = ?1";
static const char sql_group_add[] =
    "INSERT INTO ref_trademark_group(right_id, code) VALUES (?1, ?2)";
static const char sql_patent_put[] =
    "INSERT INTO ref_patent(right_id, patent_type, filing_date, grant_date, fee_paid, "
    "invalidation_pending, suspended, twin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT(right_id) DO UPDATE SET patent_type = excluded.patent_type, "
    "filing_date = excluded.filing_date, grant_date = excluded.grant_date, "
    "fee_paid = excluded.fee_paid, invalidation_pending = excluded.invalidation_pending, "
    "suspended = excluded.suspended, twin = excluded.twin";
static const char sql_allow_clear[] = "DELETE FROM ref_allowance WHERE right_id = ?1";
static const char sql_allow_add[] =
    "INSERT INTO ref_allowance(right_id, pollutant, amount_micro, unit) "
    "VALUES (?1, ?2, ?3, ?4)";
static const char sql_holding_get[] =
    "SELECT id, digest FROM ref_holding "
    "WHERE company = ?1 AND shareholder = ?2 AND shareholder_type = ?3";
static const char sql_holding_insert[] =
    "INSERT INTO ref_holding(company, company_name, shareholder_type, shareholder, "
    "shareholder_name, shareholder_key, capital, currency, frozen, digest, changed_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char sql_holding_update[] =
    "UPDATE ref_holding SET company_name = ?2, shareholder_name = ?5, "
    "shareholder_key = ?6, capital = ?7, currency = ?8, frozen = ?9, digest = ?10, "
    "changed_at = ?11 WHERE company = ?1 AND shareholder_type = ?3 AND shareholder = ?4";

static int step_done(imp *im, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return pl_db_fail(im->db, im->e, rc, what);
    return 0;
}

static void bind_date(sqlite3_stmt *st, int i, int32_t d)
{
    if (d == PL_REF_NO_DATE)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int(st, i, d);
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* Look the record's key up: *id 0 when new; *same when its digest is
 * @dg. */
static int find(imp *im, const char *sql, const record *r, const unsigned char dg[32],
                int64_t *id, bool *same)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(im->db, im->e, sql, &st);

    *id = 0;
    *same = false;
    if (rc || (r->kind == PLEDGER_KIND_EQUITY ? im->no_holdings : im->no_rights))
        return rc;
    if (r->kind == PLEDGER_KIND_EQUITY) {
        sqlite3_bind_text(st, 1, r->number, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, r->owners[0].id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, r->owners[0].id_type);
    } else {
        sqlite3_bind_int(st, 1, r->kind);
        sqlite3_bind_text(st, 2, r->number, -1, SQLITE_STATIC);
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *old = sqlite3_column_blob(st, 1);
        *id = sqlite3_column_int64(st, 0);
        *same = old && sqlite3_column_bytes(st, 1) == 32 && memcmp(old, dg, 32) == 0;
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : pl_db_fail(im->db, im->e, rc, "reading the register");
}

static const char sql_rights_none[] = "SELECT NOT EXISTS (SELECT 1 FROM ref_right)";
static const char sql_holdings_none[] = "SELECT NOT EXISTS (SELECT 1 FROM ref_holding)";

static int is_empty(imp *im, const char *sql, bool *out)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(im->db, im->e, sql, &st);

    if (rc)
        return rc;
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : pl_db_fail(im->db, im->e, rc, "reading the register");
}

static int clear_children(imp *im, int64_t id, const char *sql)
{
    sqlite3_stmt *st;
    int rc = pl_db_stmt(im->db, im->e, sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return step_done(im, st, "updating the register");
}

static int write_children(imp *im, const record *r, int64_t id, bool update)
{
    sqlite3_stmt *st;
    int rc;

    if (update && (rc = clear_children(im, id, sql_owner_clear)))
        return rc;
    for (size_t i = 0; i < r->n_owners; i++) {
        if ((rc = pl_db_stmt(im->db, im->e, sql_owner_add, &st)))
            return rc;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (int64_t)i + 1);
        sqlite3_bind_text(st, 3, r->owners[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, r->owners[i].name_key, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, r->owners[i].id_type);
        sqlite3_bind_text(st, 6, r->owners[i].id, -1, SQLITE_STATIC);
        if ((rc = step_done(im, st, "writing an owner")))
            return rc;
    }
    switch (r->kind) {
    case PLEDGER_KIND_TRADEMARK:
        if ((rc = pl_db_stmt(im->db, im->e, sql_tm_put, &st)))
            return rc;
        sqlite3_bind_int64(st, 1, id);
        bind_opt(st, 2, r->mark);
        bind_opt(st, 3, r->mark_key);
        bind_opt(st, 4, r->has_family ? r->family : NULL);
        if ((rc = step_done(im, st, "writing a trademark")))
            return rc;
        if (update && ((rc = clear_children(im, id, sql_class_clear)) ||
                       (rc = clear_children(im, id, sql_group_clear))))
            return rc;
        for (int c = 1; c <= 45; c++) {
            if (!(r->classes & ((uint64_t)1 << c)))
                continue;
            if ((rc = pl_db_stmt(im->db, im->e, sql_class_add, &st)))
                return rc;
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_int(st, 2, c);
            if ((rc = step_done(im, st, "writing a Nice class")))
                return rc;
        }
        for (size_t i = 0; i < r->n_groups; i++) {
            if ((rc = pl_db_stmt(im->db, im->e, sql_group_add, &st)))
                return rc;
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_text(st, 2, r->groups[i], 4, SQLITE_STATIC);
            if ((rc = step_done(im, st, "writing a group code")))
                return rc;
        }
        return 0;
    case PLEDGER_KIND_PATENT:
        if ((rc = pl_db_stmt(im->db, im->e, sql_patent_put, &st)))
            return rc;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, r->patent_type);
        sqlite3_bind_int(st, 3, r->valid_from);
        bind_date(st, 4, r->grant_date);
        sqlite3_bind_int(st, 5, r->fee_paid);
        sqlite3_bind_int(st, 6, r->invalidation_pending);
        sqlite3_bind_int(st, 7, r->suspended);
        bind_opt(st, 8, r->has_twin ? r->twin : NULL);
        return step_done(im, st, "writing a patent");
    case PLEDGER_KIND_EMISSION:
        if (update && (rc = clear_children(im, id, sql_allow_clear)))
            return rc;
        for (size_t i = 0; i < r->n_allowances; i++) {
            if ((rc = pl_db_stmt(im->db, im->e, sql_allow_add, &st)))
                return rc;
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_text(st, 2, r->allowances[i].pollutant, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, r->allowances[i].micro);
            sqlite3_bind_text(st, 4, r->allowances[i].unit, -1, SQLITE_STATIC);
            if ((rc = step_done(im, st, "writing an allowance")))
                return rc;
        }
        return 0;
    default:
        return 0;
    }
}

static int write_right(imp *im, const record *r, const unsigned char dg[32])
{
    sqlite3_stmt *st;
    int64_t id;
    bool same;
    int rc;

    if ((rc = find(im, sql_right_get, r, dg, &id, &same)))
        return rc;
    if (id && same) {
        im->rep->unchanged++;
        return 0;
    }
    if ((rc = pl_db_stmt(im->db, im->e, id ? sql_right_update : sql_right_insert, &st)))
        return rc;
    if (id)
        sqlite3_bind_int64(st, 1, id);
    else
        sqlite3_bind_int(st, 1, r->kind);
    if (!id)
        sqlite3_bind_text(st, 2, r->number, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int(st, 2, r->kind);
    sqlite3_bind_text(st, 3, status_names[r->status], -1, SQLITE_STATIC);
    bind_date(st, 4, r->valid_from);
    bind_date(st, 5, r->valid_to);
    sqlite3_bind_int(st, 6, r->seized);
    sqlite3_bind_int(st, 7, r->frozen);
    sqlite3_bind_blob(st, 8, dg, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, im->o->now_us);
    if ((rc = step_done(im, st, id ? "updating the register" : "writing the register")))
        return rc;
    if (id) {
        im->rep->updated++;
        return write_children(im, r, id, true);
    }
    im->rep->inserted++;
    return write_children(im, r, sqlite3_last_insert_rowid(pl_db_handle(im->db)), false);
}

static int write_holding(imp *im, const record *r, const unsigned char dg[32])
{
    sqlite3_stmt *st;
    int64_t id;
    bool same;
    int rc;

    if ((rc = find(im, sql_holding_get, r, dg, &id, &same)))
        return rc;
    if (id && same) {
        im->rep->unchanged++;
        return 0;
    }
    if ((rc = pl_db_stmt(im->db, im->e, id ? sql_holding_update : sql_holding_insert, &st)))
        return rc;
    sqlite3_bind_text(st, 1, r->number, -1, SQLITE_STATIC);
    bind_opt(st, 2, r->company_name);
    sqlite3_bind_int(st, 3, r->owners[0].id_type);
    sqlite3_bind_text(st, 4, r->owners[0].id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->owners[0].name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->owners[0].name_key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, r->capital);
    sqlite3_bind_text(st, 8, r->currency, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, r->frozen);
    sqlite3_bind_blob(st, 10, dg, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, im->o->now_us);
    if ((rc = step_done(im, st, id ? "updating a holding" : "writing a holding")))
        return rc;
    if (id)
        im->rep->updated++;
    else
        im->rep->inserted++;
    return 0;
}

/* Refuse a key given twice in one file.  Returns 1 when rejected. */
static int first_time(imp *im, where *w, const record *r)
{
    char key[3 * ID_MAX];
    const char *k = r->number;
    sqlite3_stmt *st;
    int rc;

    if (r->kind == PLEDGER_KIND_EQUITY) {
        snprintf(key, sizeof key, "%s/%d/%s", r->number, r->owners[0].id_type,
                 r->owners[0].id);
        k = key;
    }
    if ((rc = pl_db_stmt(im->db, im->e, sql_seen_add, &st)))
        return rc;
    sqlite3_bind_int(st, 1, r->kind);
    sqlite3_bind_text(st, 2, k, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (int64_t)w->line);
    if ((rc = step_done(im, st, "importing the register")))
        return rc;
    if (sqlite3_changes(pl_db_handle(im->db)) > 0)
        return 0;
    if ((rc = pl_db_stmt(im->db, im->e, sql_seen_line, &st)))
        return rc;
    sqlite3_bind_int(st, 1, r->kind);
    sqlite3_bind_text(st, 2, k, -1, SQLITE_STATIC);
    int64_t first = 0;
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        first = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return bad(w, "already given at line %" PRId64 " of this file", first);
}

/* ------------------------------------------------------------------ */
/* One record                                                          */

static const struct {
    const char *name;
    int kind;
} record_kinds[] = {
    { "trademark", PLEDGER_KIND_TRADEMARK }, { "patent", PLEDGER_KIND_PATENT },
    { "holding", PLEDGER_KIND_EQUITY },      { "emission", PLEDGER_KIND_EMISSION },
    { "sea_area", PLEDGER_KIND_SEA_AREA },   { "land", PLEDGER_KIND_LAND },
};

/* xmlSchemaValidateOneElement() for record @n of @kind, asked only when
 * the quick check is not sure (refreg-valid.h). */
static int validate(imp *im, xmlNodePtr n, int kind)
{
    if (!pl_refreg_surely_valid(n, kind))
        return xmlSchemaValidateOneElement(im->vctxt, n);
#ifndef NDEBUG
    if (xmlSchemaValidateOneElement(im->vctxt, n) != 0 || im->verr[0]) {
        fprintf(stderr, "refreg-valid: line %ld: a record register.xsd refuses was found "
                "valid: %s\n", xmlGetLineNo(n), im->verr);
        abort();
    }
#endif
    return 0;
}

/* Returns 0 (written or rejected) or a code that stops the import. */
static int do_record(imp *im, xmlNodePtr n, uint64_t line)
{
    record *r = im->rec;
    unsigned char dg[32];
    where w = { im, line, "" };
    int rc, vr;

    record_reset(r);
    for (size_t i = 0; i < sizeof record_kinds / sizeof record_kinds[0]; i++) {
        if (pl_xml_is(n, record_kinds[i].name)) {
            r->kind = record_kinds[i].kind;
            r->label = record_kinds[i].name;
            break;
        }
    }
    if (!r->kind) {
        const char *ns = n->ns && n->ns->href ? (const char *)n->ns->href : "";
        snprintf(w.what, sizeof w.what, "<%.40s>", (const char *)n->name);
        rc = strcmp(ns, PL_XML_NS) != 0
                 ? bad(&w, "not a record: the element is in namespace '%.60s', not '%s'", ns,
                       PL_XML_NS)
                 : bad(&w, "not a record: expected trademark, patent, holding, emission, "
                       "sea_area or land");
        return rc < 0 ? rc : 0;
    }
    r->raw_number = prop(n, r->kind == PLEDGER_KIND_EQUITY ? "company" : "number");
    if (r->raw_number)
        snprintf(w.what, sizeof w.what, "%s %.200s", r->label, r->raw_number);
    else
        snprintf(w.what, sizeof w.what, "%s without %s", r->label,
                 r->kind == PLEDGER_KIND_EQUITY ? "company" : "number");

    im->verr[0] = '\0';
    vr = validate(im, n, r->kind);
    if (vr < 0)
        return pl_err_set(im->e, PLEDGER_EXML, "%s: line %" PRIu64 ": %s could not be "
                          "validated (libxml2 internal error)", im->name, line, w.what);
    if (vr > 0 || im->verr[0]) {
        rc = bad(&w, "%s", im->verr[0] ? im->verr : "not valid against register.xsd");
        return rc < 0 ? rc : 0;
    }

    switch (r->kind) {
    case PLEDGER_KIND_TRADEMARK: rc = get_trademark(&w, n, r); break;
    case PLEDGER_KIND_PATENT: rc = get_patent(&w, n, r); break;
    case PLEDGER_KIND_EQUITY: rc = get_holding(&w, n, r); break;
    default: rc = get_certificate(&w, n, r); break;
    }
    if (rc)
        return rc < 0 ? rc : 0;
    if ((rc = digest(im, r, dg)))
        return rc;
    if ((rc = first_time(im, &w, r)))
        return rc < 0 ? rc : 0;
    return r->kind == PLEDGER_KIND_EQUITY ? write_holding(im, r, dg) : write_right(im, r, dg);
}

/* ------------------------------------------------------------------ */
/* The stream                                                          */

static int xml_fail(imp *im)
{
    /* A DOCTYPE is the reason, even when libxml2 stumbled in it first
     * (an entity loop, an entity that expands too much). */
    if (im->in.scan && im->in.doctype_line)
        return pl_err_set(im->e, PLEDGER_EXML, "%s: line %ld: a DOCTYPE declaration is not "
                          "allowed (no DTD, no entities)", im->name, im->in.doctype_line);
    if (im->in.err_no)
        return pl_err_set(im->e, im->in.err_no == ENOMEM ? PLEDGER_ENOMEM : PLEDGER_EIO,
                          "%s: reading failed after %" PRIu64 " bytes: %s", im->name,
                          im->in.bytes, strerror(im->in.err_no));
    if (im->xml_have)
        return pl_err_set(im->e, strstr(im->xml_msg, "Memory allocation failed")
                                     ? PLEDGER_ENOMEM : PLEDGER_EXML,
                          "%s: line %ld: %s", im->name, im->xml_line, im->xml_msg);
    return pl_err_set(im->e, PLEDGER_EXML, "%s: line %d: not well-formed", im->name,
                      xmlTextReaderGetParserLineNumber(im->reader));
}

static int progress(imp *im)
{
    const pl_refreg_import_opts *o = im->o;

    if (!o->progress)
        return 0;
    if (o->progress(im->rep->records, im->in.bytes, im->in.total, o->payload) != 0)
        return pl_err_set(im->e, PLEDGER_ECANCELLED,
                          "%s: import cancelled by the progress callback after %" PRIu64
                          " records; the register is unchanged", im->name, im->rep->records);
    return 0;
}

static long text_line(xmlNodePtr t)
{
    return t ? xmlGetLineNo(t) : 0;
}

/* The line where the text of node @n starts: a text node carries the
 * line of the '<' that ends it. */
static long text_start_line(xmlNodePtr n)
{
    long line = text_line(n);
    const char *c = n ? (const char *)n->content : NULL;

    while (c && *c && is_ws(*c))
        c++;
    for (; c && *c; c++)
        if (*c == '\n')
            line--;
    return line > 0 ? line : 1;
}

static int check_root(imp *im, xmlNodePtr root)
{
    const char *ns = root->ns && root->ns->href ? (const char *)root->ns->href : "";
    long line = xmlGetLineNo(root);

    if (strcmp((const char *)root->name, "register") != 0 || strcmp(ns, PL_XML_NS) != 0)
        return pl_err_set(im->e, PLEDGER_EXML, "%s: line %ld: the root element is <%.40s> "
                          "in namespace '%.60s'; a register is <register xmlns=\"%s\">",
                          im->name, line, (const char *)root->name, ns, PL_XML_NS);
    for (xmlAttrPtr a = root->properties; a; a = a->next) {
        if (!a->ns && strcmp((const char *)a->name, "as_of") == 0) {
            const char *v = prop(root, "as_of");
            char buf[TOKEN_MAX];
            pl_err err = { 0 };
            int32_t d;
            if (!v || !collapse(v, buf, sizeof buf) || pl_date_parse(&err, buf, &d) != 0)
                return pl_err_set(im->e, PLEDGER_EXML, "%s: line %ld: register/@as_of is "
                                  "not a date: %s", im->name, line, err.msg);
            continue;
        }
        return pl_err_set(im->e, PLEDGER_EXML, "%s: line %ld: register/@%.40s: unknown "
                          "attribute (only as_of is allowed)", im->name, line,
                          (const char *)a->name);
    }
    return 0;
}

static bool is_blank_type(int type)
{
    return type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

static int stream(imp *im)
{
    xmlTextReaderPtr rd = im->reader;
    long pending = 0; /* line of the white space just before the current node */
    size_t pending_len = 0;
    int ret, rc;

    /* the prolog, up to the root element */
    while ((ret = xmlTextReaderRead(rd)) == 1) {
        int type = xmlTextReaderNodeType(rd);
        if (im->xml_have)
            return xml_fail(im);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            return pl_err_set(im->e, PLEDGER_EXML, "%s: line %ld: a DOCTYPE declaration is "
                              "not allowed (no DTD, no entities)", im->name,
                              im->in.doctype_line ? im->in.doctype_line
                                                  : (long)xmlTextReaderGetParserLineNumber(rd));
        if (type == XML_READER_TYPE_ELEMENT)
            break;
    }
    if (ret != 1 || im->xml_have || im->in.err_no) {
        if (ret == 0 && !im->xml_have && !im->in.err_no)
            return pl_err_set(im->e, PLEDGER_EXML, "%s: line 1: no root element", im->name);
        return xml_fail(im);
    }
    im->in.scan = false;
    if ((rc = check_root(im, xmlTextReaderCurrentNode(rd))))
        return rc;

    /* The children of <register>.  After a record, Next() has already
     * moved to the node that follows it, so the loop looks at that one
     * before reading on. */
    ret = xmlTextReaderRead(rd);
    while (ret == 1) {
        xmlNodePtr n = xmlTextReaderCurrentNode(rd);
        int type = xmlTextReaderNodeType(rd);

        if (im->xml_have)
            return xml_fail(im);
        if (xmlTextReaderDepth(rd) != 1) {
            /* the end of <register>, and what follows it */
            pending = 0;
            ret = xmlTextReaderRead(rd);
            continue;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            long el = xmlGetLineNo(n);
            /* A run of white space longer than the parser's look-ahead may
             * reach it in pieces, the text node keeping the line of the
             * first; then the element's own line is better, if it has one. */
            bool trust = pending > 0 && (pending_len < 250 || el >= 65535 || el <= 0);
            uint64_t line = (uint64_t)(trust ? pending : el > 0 ? el : 0);
            xmlNodePtr rec = xmlTextReaderExpand(rd);

            if (!rec || im->xml_have)
                return xml_fail(im);
            im->rep->records++;
            if ((rc = do_record(im, rec, line)))
                return rc;
            if (im->rep->records % PL_REFREG_PROGRESS_EVERY == 0 && (rc = progress(im)))
                return rc;
            pending = 0;
            /* skip to the following sibling; the reader frees the record */
            ret = xmlTextReaderNext(rd);
            continue;
        }
        if (is_blank_type(type)) {
            pending = text_line(n);
            pending_len = n && n->content ? strlen((const char *)n->content) : 0;
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) {
            where w = { im, (uint64_t)text_start_line(n), "<register>" };
            im->rep->records++;
            if ((rc = bad(&w, "text outside a record")) < 0)
                return rc;
            pending = 0;
        } else if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
            return pl_err_set(im->e, PLEDGER_EXML, "%s: line %ld: entity references are not "
                              "allowed", im->name, text_line(n));
        } else {
            pending = 0; /* comments, processing instructions */
        }
        ret = xmlTextReaderRead(rd);
    }
    if (ret != 0 || im->xml_have || im->in.err_no)
        return xml_fail(im);
    return 0;
}

/* The journal event: last write of the transaction. */
static int journal(imp *im)
{
    pl_refreg_report *rep = im->rep;
    pl_json j;
    pl_event ev;
    char *payload;
    int rc;

    pl_json_init(&j);
    pl_json_int(&j, "bytes", (int64_t)rep->bytes);
    pl_json_int(&j, "inserted", (int64_t)rep->inserted);
    pl_json_int(&j, "records", (int64_t)rep->records);
    pl_json_int(&j, "rejected", (int64_t)rep->rejected);
    pl_json_str(&j, "sha256", rep->sha256);
    pl_json_int(&j, "unchanged", (int64_t)rep->unchanged);
    pl_json_int(&j, "updated", (int64_t)rep->updated);
    if (!(payload = pl_json_finish(&j)))
        return pl_err_oom(im->e);
    ev.at_us = im->o->now_us;
    ev.actor = im->o->actor ? im->o->actor : "";
    ev.role = im->o->role ? im->o->role : "";
    ev.operation = "register_import";
    ev.subject = "register";
    ev.payload = payload;
    rc = pl_journal_append(im->db, im->e, &ev, &rep->journal_seq);
    free(payload);
    return rc;
}

static int open_input(imp *im, const pl_refreg_source *src)
{
    struct stat sb;

    im->in.fd = -1;
    im->in.scan = true;
    im->in.line = 1;
    if (!src->path) {
        im->in.data = src->data;
        im->in.len = src->len;
        im->in.total = src->len;
        return 0;
    }
    do
        im->in.fd = open(src->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    while (im->in.fd < 0 && errno == EINTR);
    if (im->in.fd < 0)
        return pl_err_set(im->e, errno == ENOENT ? PLEDGER_ENOTFOUND : PLEDGER_EIO,
                          "%s: cannot open the register file: %s", im->name, strerror(errno));
    if (fstat(im->in.fd, &sb) != 0)
        return pl_err_set(im->e, PLEDGER_EIO, "%s: %s", im->name, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return pl_err_set(im->e, PLEDGER_EIO, "%s: is a directory, not a register file",
                          im->name);
    im->in.total = S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
    return 0;
}

void pl_refreg_report_clear(pl_refreg_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_kept; i++)
        free(r->kept[i].message);
    free(r->kept);
    memset(r, 0, sizeof *r);
}

int pl_refreg_import(pl_db *db, pl_err *e, const pl_refreg_source *src,
                     const pl_refreg_import_opts *o, pl_refreg_report *out)
{
    xmlGenericErrorFunc saved_generic = xmlGenericError;
    void *saved_generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc saved_structured = xmlStructuredError;
    void *saved_structured_ctx = xmlStructuredErrorContext;
    unsigned char sha[32];
    xmlSchemaPtr schema;
    pl_refreg_bulk bulk = { 0, 0, false };
    bool in_tx = false;
    imp im;
    int rc;

    memset(out, 0, sizeof *out);
    memset(&im, 0, sizeof im);
    im.db = db;
    im.e = e;
    im.o = o;
    im.rep = out;
    im.name = src->name ? src->name : src->path ? src->path : "register";
    if ((rc = open_input(&im, src)))
        goto done;
    pl_xml_init();
    if (!(schema = pl_xml_schema(e, REGISTER_XSD))) {
        rc = e && e->code ? e->code : PLEDGER_EXML;
        goto done;
    }
    if (!(im.rec = calloc(1, sizeof *im.rec)) || !(im.vctxt = xmlSchemaNewValidCtxt(schema))) {
        rc = pl_err_oom(e);
        goto done;
    }
    if ((rc = pl_hash_begin(&im.in.sha, PL_HASH_SHA256)) ||
        (rc = pl_hash_begin(&im.dsha, PL_HASH_SHA256))) {
        rc = pl_err_set(e, rc, "%s: SHA-256 unavailable", im.name);
        goto done;
    }
    xmlSchemaSetValidStructuredErrors(im.vctxt, (xmlStructuredErrorFunc)on_schema_error, &im);

    /* Nothing of libxml2 reaches stderr while the import runs. */
    xmlSetGenericErrorFunc(NULL, discard_generic);
    xmlSetStructuredErrorFunc(NULL, (xmlStructuredErrorFunc)discard_error);
    im.reader = xmlReaderForIO(input_read, NULL, &im.in, im.name, NULL,
                               XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
    if (!im.reader) {
        rc = pl_err_oom(e);
        goto done;
    }
    xmlTextReaderSetStructuredErrorHandler(im.reader,
                                           (xmlStructuredErrorFunc)on_reader_error, &im);

    /* (temp_store cannot change inside a transaction: one already open,
     * like a read-only registry, is refused by pl_db_write_begin) */
    if ((!pl_db_in_tx(db) && !pl_db_read_only(db) &&
         (rc = pl_refreg_bulk_begin(db, e, &bulk))) ||
        (rc = pl_db_write_begin(db, e)))
        goto done;
    in_tx = true;
    sqlite3_stmt *st;
    if ((rc = pl_db_stmt(db, e, sql_seen_clear, &st)) ||
        (rc = step_done(&im, st, "importing the register")) ||
        (rc = is_empty(&im, sql_rights_none, &im.no_rights)) ||
        (rc = is_empty(&im, sql_holdings_none, &im.no_holdings)) || (rc = stream(&im)))
        goto done;
    /* the whole file was read: its hash and size are final */
    rc = pl_hash_end(im.in.sha, sha);
    im.in.sha = NULL;
    if (rc) {
        rc = pl_err_set(e, rc, "%s: SHA-256 failed", im.name);
        goto done;
    }
    pl_hex(sha, sizeof sha, out->sha256);
    out->bytes = im.in.bytes;
    if ((rc = progress(&im)))
        goto done;
    if ((rc = pl_db_stmt(db, e, sql_seen_clear, &st)) ||
        (rc = step_done(&im, st, "importing the register")) || (rc = journal(&im)) ||
        (rc = pl_db_commit(db, e)))
        goto done;
    in_tx = false;

done:
    if (in_tx)
        pl_db_rollback(db);
    pl_refreg_bulk_end(db, &bulk);
    if (im.reader)
        xmlFreeTextReader(im.reader);
    xmlSetGenericErrorFunc(saved_generic_ctx, saved_generic);
    xmlSetStructuredErrorFunc(saved_structured_ctx, saved_structured);
    if (im.vctxt)
        xmlSchemaFreeValidCtxt(im.vctxt);
    if (im.rec) {
        record_reset(im.rec);
        free(im.rec);
    }
    pl_hash_abort(im.in.sha);
    pl_hash_abort(im.dsha);
    free(im.dbuf);
    if (im.in.fd >= 0)
        close(im.in.fd);
    if (rc)
        pl_refreg_report_clear(out);
    return rc;
}
