/* Extraction of an application document into the plain struct the review
 * reads (pl_app), every string and array in one arena (base/arena.h). */
#include "model/application.h"
#include "model/app-doc.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/hash.h"
#include "base/ident.h"
#include "base/text.h"
#include "model/kinds.h"
#include "model/xml.h"

/* ------------------------------------------------------------------ */
/* Extraction                                                          */

typedef struct ex {
    pl_app *app;
    pl_arena *arena;
    xmlNodePtr root;
    int32_t today;
    bool oom;
} ex;

static void *ex_alloc(ex *x, size_t n)
{
    void *p = x->oom ? NULL : pl_arena_alloc(x->arena, n);

    if (!p)
        x->oom = true;
    return p;
}

static const char *ex_strndup(ex *x, const char *s, size_t n)
{
    char *p;
    if (!s)
        return NULL;
    p = ex_alloc(x, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static const char *ex_strdup(ex *x, const char *s)
{
    return s ? ex_strndup(x, s, strlen(s)) : NULL;
}

static const char *ex_printf(ex *x, const char *fmt, ...) PL_PRINTF(2, 3);

static const char *ex_printf(ex *x, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int n;
    char *p;

    if (x->oom)
        return NULL;
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    if ((size_t)n < sizeof buf)
        return ex_strndup(x, buf, (size_t)n);
    p = ex_alloc(x, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* Keep a malloc'd string in the arena (and free it); NULL stays NULL. */
static const char *ex_take(ex *x, char *s)
{
    const char *r = ex_strdup(x, s);
    free(s);
    return r;
}

static const char *join(ex *x, const char *parent, const char *name)
{
    size_t np, nn;
    char *p;

    if (!parent || !*parent)
        return ex_strdup(x, name);
    np = strlen(parent);
    nn = strlen(name);
    if (!(p = ex_alloc(x, np + nn + 2)))
        return NULL;
    memcpy(p, parent, np);
    p[np] = '/';
    memcpy(p + np + 1, name, nn + 1);
    return p;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The length of the white-space character (Unicode White_Space: the
 * ideographic space, the no-break space ...) at @s, or 0. */
static size_t space_at(const char *s, size_t n)
{
    uint32_t cp;
    size_t k = pl_utf8_decode(s, n, &cp);
    return k && pl_text_is_space(cp) ? k : 0;
}

/* Trimmed copy of @s in the arena; NULL when @s is NULL or blank.  Any
 * Unicode white space is trimmed, as pl_text_fold() drops it: a name of
 * ideographic spaces alone is no name (PARTY_NAME_MISSING), as a change
 * of the pledge's names finds it empty. */
static const char *ex_trim(ex *x, const char *s)
{
    size_t n, k;
    if (!s)
        return NULL;
    n = strlen(s);
    while (n > 0 && (k = space_at(s, n)) > 0) {
        s += k;
        n -= k;
    }
    while (n > 0) {
        size_t start = n - 1;   /* the last character's first byte */
        while (start > 0 && ((unsigned char)s[start] & 0xC0) == 0x80)
            start--;
        if (space_at(s + start, n - start) != n - start)
            break;
        n = start;
    }
    return n ? ex_strndup(x, s, n) : NULL;
}

static const char *node_text(ex *x, xmlNodePtr n)
{
    char *s;
    const char *r;
    if (!n)
        return NULL;
    s = pl_doc_direct_text(n);
    if (!s) {
        x->oom = true;
        return NULL;
    }
    r = ex_trim(x, s);
    free(s);
    return r;
}

static const char *node_attr(ex *x, xmlNodePtr n, const char *name)
{
    char *s;
    const char *r;
    if (!n || !xmlHasNsProp(n, BAD_CAST name, NULL))
        return NULL;
    s = pl_doc_attr_text(n, name);
    if (!s) {
        x->oom = true;
        return NULL;
    }
    r = ex_trim(x, s);
    free(s);
    return r;
}

/* The text of a typed field (a date, an amount, a size, a quantity, the
 * classes, a currency) folded as every check reads it (pl_doc_fold_value:
 * "２０２４－０３－０１" is 2024-03-01); when folding changed it, runs of
 * spaces made one ("第29类、第30类" reads "29 30"). */
static const char *typed_fold(ex *x, const char *t, pl_fold how)
{
    char *f;
    const char *r;
    size_t o = 0;
    if (!t)
        return NULL;
    if (!(f = pl_doc_fold_value(t, how))) {
        x->oom = true;
        return NULL;
    }
    /* a value typed in ASCII reads exactly as before (certificates issued
     * from it are compared with it) */
    if (strcmp(f, t) != 0) {
        for (size_t i = 0; f[i]; i++)
            if (f[i] != ' ' || (o > 0 && f[o - 1] != ' '))
                f[o++] = f[i];
        f[o] = '\0';
    }
    r = ex_trim(x, f);
    free(f);
    return r;
}

/* The text of an enumerated field as the schema has it (pl_doc_fold_enum:
 * "发明" reads invention); what matches no value is left as it is. */
static const char *enum_fold(ex *x, const char *t, pl_enum which)
{
    bool ok;
    char *f;
    if (!t)
        return NULL;
    if (!(f = pl_doc_fold_enum(t, which, &ok))) {
        x->oom = true;
        return NULL;
    }
    return ex_take(x, f);
}

static const char *typed_text(ex *x, xmlNodePtr n, pl_fold how)
{
    return typed_fold(x, node_text(x, n), how);
}

static void get_text(ex *x, xmlNodePtr parent, const char *base, const char *name,
                     pl_app_text *out)
{
    out->path = join(x, base, name);
    out->text = node_text(x, pl_xml_child(parent, name));
}

static void get_date(ex *x, xmlNodePtr parent, const char *base, const char *name,
                     pl_app_date *out)
{
    pl_err err = { 0, "" };
    int32_t days = 0;

    out->path = join(x, base, name);
    out->raw = typed_text(x, pl_xml_child(parent, name), PL_FOLD_VALUE);
    out->has = out->raw != NULL;
    if (out->raw && pl_date_parse(&err, out->raw, &days) == 0) {
        out->valid = true;
        out->days = days;
    }
}

static bool parse_int64(const char *s, int64_t *out)
{
    char *end;
    long long v;

    if (!s || !*s)
        return false;
    if (*s == '+')
        s++;
    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end || v < 0)
        return false;
    *out = (int64_t)v;
    return true;
}

static void get_amount(ex *x, xmlNodePtr parent, const char *base, const char *name,
                       pl_app_amount *out)
{
    xmlNodePtr n = pl_xml_child(parent, name);

    out->path = join(x, base, name);
    out->currency_path = join(x, out->path, "@currency");
    out->raw = typed_text(x, n, PL_FOLD_VALUE);
    out->has = out->raw != NULL;
    out->valid = out->raw && parse_int64(out->raw, &out->minor);
    if (!out->valid)
        out->minor = 0;
    out->currency = typed_fold(x, node_attr(x, n, "currency"), PL_FOLD_CODE);
}

static void get_measure(ex *x, xmlNodePtr parent, const char *base, const char *name,
                        pl_app_measure *out)
{
    xmlNodePtr n = pl_xml_child(parent, name);

    out->path = join(x, base, name);
    out->unit_path = join(x, out->path, "@unit");
    out->raw = typed_text(x, n, PL_FOLD_VALUE);
    /* the schema's decimal may be signed ("+300", "＋300" folded): the
     * rules compare the quantity, which is the digits after it */
    if (out->raw && out->raw[0] == '+')
        out->raw++;
    out->unit = node_attr(x, n, "unit");
}

static void get_flag_text(ex *x, const char *t, pl_app_flag *out)
{
    (void)x;
    if (!t)
        return;
    if (strcmp(t, "true") == 0 || strcmp(t, "1") == 0) {
        out->has = true;
        out->value = true;
    } else if (strcmp(t, "false") == 0 || strcmp(t, "0") == 0) {
        out->has = true;
        out->value = false;
    }
}

static void get_flag(ex *x, xmlNodePtr parent, const char *base, const char *name,
                     pl_app_flag *out)
{
    out->path = join(x, base, name);
    get_flag_text(x, typed_text(x, pl_xml_child(parent, name), PL_FOLD_FLAG), out);
}

/* Normalise @raw as @type; fills norm or error. */
static void normalize(ex *x, pledger_id_type type, const char *raw, const char **norm,
                      const char **error, const char **error_local)
{
    char buf[512];
    pl_err err = { 0, "" };
    int rc;

    *norm = NULL;
    *error = NULL;
    *error_local = NULL;
    if (!raw)
        return;
    rc = pl_ident_normalize(&err, type, raw, x->today, buf, sizeof buf);
    if (rc == 0)
        *norm = ex_strdup(x, buf);
    else if (rc == PLEDGER_ENOMEM)
        x->oom = true;
    else {
        *error = ex_strdup(x, err.msg[0] ? err.msg : "invalid identifier");
        if (err.msg[0] && pl_err_text(&err) != err.msg)
            *error_local = ex_strdup(x, pl_err_text(&err));
    }
}

static void get_ident(ex *x, xmlNodePtr parent, const char *base, const char *name,
                      pledger_id_type type, pl_app_ident *out)
{
    out->path = join(x, base, name);
    out->raw = node_text(x, pl_xml_child(parent, name));
    normalize(x, type, out->raw, &out->norm, &out->error, &out->error_local);
}

static const char *const party_type_names[] = { NULL, "organisation", "person", "foreign" };

static const struct {
    const char *name;
    pledger_id_type type;
} party_id_types[] = {
    { "uscc", PLEDGER_ID_USCC },
    { "resident", PLEDGER_ID_RESIDENT },
    { "passport", PLEDGER_ID_PASSPORT },
    { "foreign_reg", PLEDGER_ID_FOREIGN_REG },
};

/* @n may be NULL (absent party); @path is the party's own path. */
static void get_party(ex *x, xmlNodePtr n, const char *path, pl_app_party *out)
{
    xmlNodePtr id;
    const char *id_type;
    char *key;

    out->present = n != NULL;
    out->path = ex_strdup(x, path);
    out->type_path = join(x, path, "@type");
    out->type = (pl_party_type)pl_name_index(party_type_names, 4,
                                              enum_fold(x, node_attr(x, n, "type"),
                                                        PL_ENUM_PARTY_TYPE));
    get_text(x, n, path, "name", &out->name);
    if (out->name.text) {
        key = pl_text_name_key(out->name.text);
        if (!key)
            x->oom = true;
        out->name_key = ex_take(x, key);
    }
    out->id_path = join(x, path, "id");
    out->id_type_path = join(x, out->id_path, "@type");
    id = pl_xml_child(n, "id");
    out->id_raw = node_text(x, id);
    id_type = enum_fold(x, node_attr(x, id, "type"), PL_ENUM_ID_TYPE);
    for (size_t i = 0; id_type && i < sizeof party_id_types / sizeof party_id_types[0]; i++)
        if (strcmp(id_type, party_id_types[i].name) == 0)
            out->id_type = party_id_types[i].type;
    if (out->id_raw) {
        if (out->id_type)
            normalize(x, out->id_type, out->id_raw, &out->id_norm, &out->id_error,
                      &out->id_error_local);
        else
            out->id_error = ex_printf(x, "%s: the type of the identifier is missing",
                                      out->id_type_path);
    }
    get_text(x, n, path, "address", &out->address);
    get_text(x, n, path, "contact", &out->contact);
    get_text(x, n, path, "legal_representative", &out->legal_representative);
    get_text(x, n, path, "country", &out->country);
    out->consent.path = join(x, path, "@consent");
    get_flag_text(x, typed_fold(x, node_attr(x, n, "consent"), PL_FOLD_FLAG), &out->consent);
}

/* The element children of @parent named @name, and their paths. */
static size_t count_children(xmlNodePtr parent, const char *name)
{
    size_t n = 0;
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
        if (pl_xml_is(c, name))
            n++;
    return n;
}

static const char *item_path(ex *x, const char *list_path, const char *name, size_t i,
                             size_t n)
{
    if (n > 1)
        return ex_printf(x, "%s/%s[%zu]", list_path, name, i + 1);
    return ex_printf(x, "%s/%s", list_path, name);
}

static void get_parties(ex *x, xmlNodePtr list, const char *list_path, pl_app_party **out,
                        size_t *n_out)
{
    size_t n = count_children(list, "party"), i = 0;

    *out = NULL;
    *n_out = 0;
    if (!n)
        return;
    *out = ex_alloc(x, n * sizeof **out);
    if (!*out)
        return;
    for (xmlNodePtr c = list->children; c; c = c->next) {
        if (!pl_xml_is(c, "party"))
            continue;
        get_party(x, c, item_path(x, list_path, "party", i, n), &(*out)[i]);
        i++;
    }
    *n_out = n;
}

static void get_classes(ex *x, xmlNodePtr r, const char *path, pl_app_right *out)
{
    const char *raw, *p;
    size_t n = 0;

    out->classes_path = join(x, path, "classes");
    raw = typed_text(x, pl_xml_child(r, "classes"), PL_FOLD_CLASSES);
    out->classes_raw = raw;
    if (!raw)
        return;
    for (p = raw; *p;) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        n++;
        while (*p && !is_space(*p))
            p++;
    }
    out->classes = ex_alloc(x, (n ? n : 1) * sizeof *out->classes);
    if (!out->classes)
        return;
    out->classes_valid = n > 0;
    for (p = raw; *p;) {
        long v = 0;
        int digits = 0;
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        if (*p == '+')
            p++;
        while (*p >= '0' && *p <= '9') {
            if (v < 1000)
                v = v * 10 + (*p - '0');
            digits++;
            p++;
        }
        if (digits == 0 || (*p && !is_space(*p)) || v < 1 || v > 45) {
            out->classes_valid = false;
            while (*p && !is_space(*p))
                p++;
            continue;
        }
        out->classes[out->n_classes++] = (int)v;
    }
}

static const char *desc_key(ex *x, const char *description)
{
    unsigned char digest[32];
    char hex[65];
    char *folded;
    int rc;

    if (!description)
        return NULL;
    folded = pl_text_fold(description);
    if (!folded) {
        x->oom = true;
        return NULL;
    }
    rc = pl_hash(PL_HASH_SHA256, folded, strlen(folded), digest);
    free(folded);
    if (rc) {
        x->oom = true;
        return NULL;
    }
    pl_hex(digest, sizeof digest, hex);
    return ex_printf(x, "desc:%s", hex);
}

/* The debtor whose normalised id sorts first, NULL when none has one. */
static const char *least_debtor(const pl_app_right *r)
{
    const char *least = NULL;
    for (size_t i = 0; i < r->n_debtors; i++) {
        const char *id = r->debtors[i].id_norm;
        if (id && *id && (!least || strcmp(id, least) < 0))
            least = id;
    }
    return least;
}

static void right_key(ex *x, pl_app_right *r)
{
    const pl_app *app = x->app;

    switch (r->kind) {
    case PLEDGER_KIND_TRADEMARK:
    case PLEDGER_KIND_PATENT:
        r->key = r->number.norm;
        break;
    case PLEDGER_KIND_RECEIVABLE: {
        const char *first = r->n_debtors ? r->debtors[0].id_norm : NULL;
        const char *least = least_debtor(r);
        char *contract = NULL, *named = NULL;
        if (r->contract_number.text &&
            (!(contract = pl_text_normalize_ref(r->contract_number.text)) ||
             !(named = pl_text_normalize_id(r->contract_number.text))))
            x->oom = true;
        if (least && contract && *contract) {
            r->key = ex_printf(x, "%s/%s", least, contract);
            r->label = first && *first ? ex_printf(x, "%s/%s", first, named) : r->key;
        } else {
            r->key = desc_key(x, r->description.text);
        }
        free(contract);
        free(named);
        break;
    }
    case PLEDGER_KIND_EQUITY:
        if (r->company_uscc.norm && app->pledgor.id_norm)
            r->key = ex_printf(x, "%s/%s", r->company_uscc.norm, app->pledgor.id_norm);
        break;
    case PLEDGER_KIND_EMISSION:
        r->key = r->permit_number.norm;
        break;
    case PLEDGER_KIND_SEA_AREA:
    case PLEDGER_KIND_LAND:
        r->key = r->certificate_number.norm;
        break;
    }
    if (!r->label)
        r->label = r->key;
}

static const char *const patent_type_names[] = { NULL, "invention", "utility_model", "design" };

/* The co-owners other than the pledgor of a right that may be co-owned
 * (patent, trademark, permit, sea-area and land certificate). */
static void get_co_owners(ex *x, xmlNodePtr r, const char *path, pl_app_right *out)
{
    out->co_owners_path = join(x, path, "co_owners");
    get_parties(x, pl_xml_child(r, "co_owners"), out->co_owners_path, &out->co_owners,
                &out->n_co_owners);
}

static void get_right(ex *x, xmlNodePtr r, size_t index, pl_app_right *out)
{
    const char *path = ex_printf(x, "rights/right[%zu]", index + 1);
    const char *sub;

    out->kind = (pledger_kind)pl_kind_from_name((const char *)r->name);
    out->path = path;
    switch (out->kind) {
    case PLEDGER_KIND_TRADEMARK:
        get_ident(x, r, path, "number", PLEDGER_ID_TRADEMARK, &out->number);
        get_classes(x, r, path, out);
        get_text(x, r, path, "goods", &out->goods);
        get_text(x, r, path, "mark", &out->mark);
        get_co_owners(x, r, path, out);
        break;
    case PLEDGER_KIND_PATENT:
        get_ident(x, r, path, "number", PLEDGER_ID_PATENT, &out->number);
        get_text(x, r, path, "title", &out->title);
        out->patent_type_path = join(x, path, "patent_type");
        out->patent_type = (pl_patent_type)pl_name_index(
            patent_type_names, 4,
            enum_fold(x, node_text(x, pl_xml_child(r, "patent_type")), PL_ENUM_PATENT_TYPE));
        get_date(x, r, path, "filing_date", &out->filing_date);
        get_date(x, r, path, "grant_date", &out->grant_date);
        get_co_owners(x, r, path, out);
        break;
    case PLEDGER_KIND_RECEIVABLE:
        get_text(x, r, path, "description", &out->description);
        sub = join(x, path, "debtors");
        out->debtors_path = sub;
        get_parties(x, pl_xml_child(r, "debtors"), sub, &out->debtors, &out->n_debtors);
        get_amount(x, r, path, "amount", &out->amount);
        get_date(x, r, path, "due_date", &out->due_date);
        get_text(x, r, path, "contract_number", &out->contract_number);
        break;
    case PLEDGER_KIND_EQUITY:
        get_text(x, r, path, "company_name", &out->company_name);
        get_ident(x, r, path, "company_uscc", PLEDGER_ID_USCC, &out->company_uscc);
        get_amount(x, r, path, "capital", &out->capital);
        break;
    case PLEDGER_KIND_EMISSION:
        get_ident(x, r, path, "permit_number", PLEDGER_ID_PERMIT, &out->permit_number);
        get_text(x, r, path, "pollutant", &out->pollutant);
        get_measure(x, r, path, "allowance", &out->allowance);
        get_date(x, r, path, "valid_from", &out->valid_from);
        get_date(x, r, path, "valid_to", &out->valid_to);
        get_co_owners(x, r, path, out);
        break;
    case PLEDGER_KIND_SEA_AREA:
    case PLEDGER_KIND_LAND:
        get_ident(x, r, path, "certificate_number", PLEDGER_ID_CERTIFICATE,
                  &out->certificate_number);
        get_text(x, r, path, "location", &out->location);
        get_measure(x, r, path, "area", &out->area);
        get_date(x, r, path, "term_start", &out->term_start);
        get_date(x, r, path, "term_end", &out->term_end);
        get_co_owners(x, r, path, out);
        break;
    }
    right_key(x, out);
}

static void get_rights(ex *x)
{
    xmlNodePtr rights = pl_xml_child(x->root, "rights");
    pl_app *app = x->app;
    size_t n = 0, i = 0;

    app->rights_path = ex_strdup(x, "rights");
    for (xmlNodePtr c = rights ? rights->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            n++;
    if (!n)
        return;
    app->rights = ex_alloc(x, n * sizeof *app->rights);
    if (!app->rights)
        return;
    for (xmlNodePtr c = rights->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        get_right(x, c, i, &app->rights[i]);
        i++;
    }
    app->n_rights = n;
}

static const char *const claim_type_names[] = {
    NULL, "loan", "credit_line", "guarantee", "other",
};

static void get_claim(ex *x)
{
    pl_app_claim *c = &x->app->claim;
    xmlNodePtr n = pl_xml_child(x->root, "claim");

    c->present = n != NULL;
    c->path = ex_strdup(x, "claim");
    c->type_path = ex_strdup(x, "claim/type");
    c->type = (pl_claim_type)pl_name_index(claim_type_names, 5,
                                        enum_fold(x, node_text(x, pl_xml_child(n, "type")),
                                                  PL_ENUM_CLAIM_TYPE));
    get_amount(x, n, "claim", "amount", &c->amount);
    get_date(x, n, "claim", "performance_start", &c->performance_start);
    get_date(x, n, "claim", "performance_end", &c->performance_end);
    get_text(x, n, "claim", "main_contract_number", &c->main_contract_number);
}

static const char *const clause_names[] = {
    "parties", "addresses", "claim", "deadline", "rights", "scope",
};

static void get_contract(ex *x)
{
    pl_app_contract *c = &x->app->contract;
    xmlNodePtr n = pl_xml_child(x->root, "contract");
    const char *p;

    c->present = n != NULL;
    c->path = ex_strdup(x, "contract");
    get_text(x, n, "contract", "number", &c->number);
    get_date(x, n, "contract", "date", &c->date);
    get_text(x, n, "contract", "language", &c->language);
    get_text(x, n, "contract", "guarantee_scope", &c->guarantee_scope);
    c->clauses_path = ex_strdup(x, "contract/clauses");
    c->clauses_raw = enum_fold(x, node_text(x, pl_xml_child(n, "clauses")), PL_ENUM_CLAUSES);
    for (p = c->clauses_raw; p && *p;) {
        size_t len;
        while (is_space(*p))
            p++;
        len = 0;
        while (p[len] && !is_space(p[len]))
            len++;
        for (size_t i = 0; i < sizeof clause_names / sizeof clause_names[0]; i++)
            if (len == strlen(clause_names[i]) && strncmp(p, clause_names[i], len) == 0)
                c->clauses |= 1u << i;
        p += len;
    }
}

static void get_materials(ex *x)
{
    pl_app *app = x->app;
    xmlNodePtr list = pl_xml_child(x->root, "materials");
    size_t n = count_children(list, "material"), i = 0;

    app->materials_path = ex_strdup(x, "materials");
    if (!n)
        return;
    app->materials = ex_alloc(x, n * sizeof *app->materials);
    if (!app->materials)
        return;
    for (xmlNodePtr c = list->children; c; c = c->next) {
        pl_app_material *m;
        const char *path, *size, *sha;
        if (!pl_xml_is(c, "material"))
            continue;
        m = &app->materials[i];
        path = item_path(x, "materials", "material", i, n);
        m->path = path;
        m->kind_path = join(x, path, "@kind");
        m->kind = pl_material_kind_from_name(
            enum_fold(x, node_attr(x, c, "kind"), PL_ENUM_MATERIAL_KIND));
        get_text(x, c, path, "file_name", &m->file_name);
        m->size_path = join(x, path, "size");
        size = typed_text(x, pl_xml_child(c, "size"), PL_FOLD_VALUE);
        m->has_size = parse_int64(size, &m->size);
        m->sha256.path = join(x, path, "sha256");
        sha = node_text(x, pl_xml_child(c, "sha256"));
        if (sha) {
            size_t len = strlen(sha);
            char *lower = ex_alloc(x, len + 1);
            if (lower) {
                for (size_t k = 0; k <= len; k++)
                    lower[k] = (char)tolower((unsigned char)sha[k]);
            }
            m->sha256.text = lower;
        }
        get_text(x, c, path, "language", &m->language);
        i++;
    }
    app->n_materials = n;
}

static const char *const risk_names[] = { NULL, "invalidation_pending", "same_day_pair" };

static void get_risks(ex *x)
{
    pl_app *app = x->app;
    xmlNodePtr list = pl_xml_child(x->root, "acknowledgements");
    size_t n = count_children(list, "risk"), i = 0;

    app->risks_path = ex_strdup(x, "acknowledgements");
    if (!n)
        return;
    app->risks = ex_alloc(x, n * sizeof *app->risks);
    if (!app->risks)
        return;
    for (xmlNodePtr c = list->children; c; c = c->next) {
        pl_app_risk *r;
        if (!pl_xml_is(c, "risk"))
            continue;
        r = &app->risks[i];
        r->path = item_path(x, "acknowledgements", "risk", i, n);
        r->code_path = join(x, r->path, "@code");
        r->code = (pl_risk_code)pl_name_index(
            risk_names, 3, enum_fold(x, node_attr(x, c, "code"), PL_ENUM_RISK_CODE));
        r->text.path = r->path;
        r->text.text = node_text(x, c);
        i++;
    }
    app->n_risks = n;
}

int pl_doc_extract(pl_doc *d, pl_err *e, int32_t today, pl_app **out)
{
    pl_app *app;
    ex x;
    xmlNodePtr n;

    *out = NULL;
    app = calloc(1, sizeof *app);
    if (!app)
        return pl_err_oom(e);
    app->arena = pl_arena_new();
    if (!app->arena) {
        free(app);
        return pl_err_oom(e);
    }
    memset(&x, 0, sizeof x);
    x.app = app;
    x.arena = app->arena;
    x.root = pl_doc_root(d);
    x.today = today;

    app->kind = d->kind;
    get_party(&x, pl_xml_child(x.root, "pledgor"), "pledgor", &app->pledgor);
    get_party(&x, pl_xml_child(x.root, "pledgee"), "pledgee", &app->pledgee);
    get_party(&x, pl_xml_child(x.root, "debtor"), "debtor", &app->debtor);
    get_party(&x, pl_xml_child(x.root, "agent"), "agent", &app->agent);
    get_rights(&x);
    get_claim(&x);

    n = pl_xml_child(x.root, "period");
    app->period.present = n != NULL;
    app->period.path = ex_strdup(&x, "period");
    get_date(&x, n, "period", "start", &app->period.start);
    get_date(&x, n, "period", "end", &app->period.end);

    get_contract(&x);

    n = pl_xml_child(x.root, "valuation");
    app->valuation.present = n != NULL;
    app->valuation.path = ex_strdup(&x, "valuation");
    get_text(&x, n, "valuation", "appraiser", &app->valuation.appraiser);
    get_amount(&x, n, "valuation", "value", &app->valuation.value);
    get_date(&x, n, "valuation", "date", &app->valuation.date);

    get_materials(&x);
    get_risks(&x);

    n = pl_xml_child(x.root, "filing");
    app->filing.present = n != NULL;
    app->filing.path = ex_strdup(&x, "filing");
    get_flag(&x, n, "filing", "online", &app->filing.online);
    get_flag(&x, n, "filing", "joint", &app->filing.joint);

    if (x.oom) {
        pl_app_free(app);
        return pl_err_oom(e);
    }
    *out = app;
    return 0;
}

void pl_app_free(pl_app *app)
{
    if (!app)
        return;
    pl_arena_free(app->arena);
    free(app);
}

const pl_app_ident *pl_app_right_ident(const pl_app_right *r)
{
    switch (r->kind) {
    case PLEDGER_KIND_TRADEMARK:
    case PLEDGER_KIND_PATENT:
        return &r->number;
    case PLEDGER_KIND_EQUITY:
        return &r->company_uscc;
    case PLEDGER_KIND_EMISSION:
        return &r->permit_number;
    case PLEDGER_KIND_SEA_AREA:
    case PLEDGER_KIND_LAND:
        return &r->certificate_number;
    case PLEDGER_KIND_RECEIVABLE:
        break;
    }
    return NULL;
}
