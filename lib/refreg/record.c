/* Reading one record of the reference register: the fields of its XML
 * element, checked and normalised into a record (record.h). */
#include "refreg/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/area.h"
#include "base/date.h"
#include "base/i18n.h"
#include "base/ident.h"
#include "base/micro.h"
#include "base/money.h"
#include "base/text.h"
#include "model/xml.h"

/* ------------------------------------------------------------------ */
/* Reading values                                                      */

bool pl_refreg_is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The value of the unqualified attribute @name of @n, NULL when absent.
 * (Without a DTD an attribute value is a single text node.) */
const char *pl_refreg_prop(xmlNodePtr n, const char *name)
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
bool pl_refreg_collapse(const char *in, char *out, size_t size)
{
    size_t n = 0;
    bool space = false;

    for (; *in; in++) {
        if (pl_refreg_is_ws(*in)) {
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

/* Nothing but white space: XML's, and any other Unicode White_Space (an
 * owner named by ideographic spaces alone has no name, as in a document). */
static bool blank(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = pl_utf8_decode(s + i, n - i, &cp);
        if (k == 0 || !pl_text_is_space(cp))
            return false;
        i += k;
    }
    return true;
}

/* Returns 1 (record rejected), PLEDGER_ENOMEM, or 0 and *out. */
static int get_date(where *w, xmlNodePtr n, const char *name, bool required, int32_t *out)
{
    const char *v = pl_refreg_prop(n, name);
    char buf[TOKEN_MAX];
    pl_err err = { 0 };

    *out = PL_REF_NO_DATE;
    if (!v) {
        if (required)
            return pl_refreg_bad(w, "%s is missing", name);
        return 0;
    }
    if (!pl_refreg_collapse(v, buf, sizeof buf) || pl_date_parse(&err, buf, out) != 0) {
        *out = PL_REF_NO_DATE;
        return pl_refreg_bad(w, "%s '%.40s' is not a date: %s", name, v,
                             err.msg[0] ? pl_frag_pair(err.msg, pl_err_text(&err))
                                        : pl_frag("too long"));
    }
    return 0;
}

static int get_bool(where *w, xmlNodePtr n, const char *name, bool *out)
{
    const char *v = pl_refreg_prop(n, name);
    char buf[8];

    *out = false;
    if (!v)
        return 0;
    if (pl_refreg_collapse(v, buf, sizeof buf)) {
        if (strcmp(buf, "true") == 0 || strcmp(buf, "1") == 0) {
            *out = true;
            return 0;
        }
        if (strcmp(buf, "false") == 0 || strcmp(buf, "0") == 0)
            return 0;
    }
    return pl_refreg_bad(w, "%s '%.20s' is not true or false", name, v);
}

static int get_token(where *w, xmlNodePtr n, const char *name, char *out, size_t size)
{
    const char *v = pl_refreg_prop(n, name);

    out[0] = '\0';
    if (!v)
        return pl_refreg_bad(w, "%s is missing", name);
    if (!pl_refreg_collapse(v, out, size) || !out[0])
        return pl_refreg_bad(w, "%s '%.40s' must be 1 to %zu characters", name, v, size - 1);
    return 0;
}

/* Normalise and check identifier @in of @type into @out. */
static int get_id(where *w, const char *field, pledger_id_type type, const char *in, char *out)
{
    pl_err err = { 0 };

    if (pl_ident_check(&err, type, in, w->today, out, ID_MAX) != 0) {
        out[0] = '\0';
        if (err.code == PLEDGER_ENOMEM)
            return pl_err_oom(w->e);
        return pl_refreg_bad(w, "%s: %s", field, pl_frag_pair(err.msg, pl_err_text(&err)));
    }
    return 0;
}

/* A figure of the register ("123.5" -> 123500000 millionths): white
 * space around it and a '+' before it taken, at most 6 decimals (the
 * register's own figure is never rounded).  False on anything else. */
static bool parse_micro(const char *s, int64_t *out)
{
    int decimals;

    while (pl_refreg_is_ws(*s))
        s++;
    if (*s == '+')
        s++;
    size_t n = 0;
    while (s[n] && !pl_refreg_is_ws(s[n]))
        n++;
    for (const char *t = s + n; *t; t++)
        if (!pl_refreg_is_ws(*t))
            return false;
    return pl_micro_parse(s, n, out, &decimals) == PL_MICRO_OK && decimals <= 6;
}

static bool parse_count(const char *s, int64_t *out)
{
    int64_t v = 0;
    bool digit = false;

    while (pl_refreg_is_ws(*s))
        s++;
    if (*s == '+')
        s++;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (INT64_MAX - (*s - '0')) / 10)
            return false;
        v = v * 10 + (*s - '0');
        digit = true;
    }
    while (pl_refreg_is_ws(*s))
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

/* The registered English name (name_en), when given: a name with a
 * Latin letter, and its key. */
static int get_name_en(where *w, xmlNodePtr n, const char *path, owner *o)
{
    const char *v = pl_refreg_prop(n, "name_en");
    bool latin = false;

    if (!v)
        return 0;
    for (const char *p = v; *p && !latin; p++)
        latin = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                /* full-width Latin letters: U+FF21..U+FF3A, U+FF41..U+FF5A */
                ((unsigned char)p[0] == 0xEF &&
                 (((unsigned char)p[1] == 0xBC && (unsigned char)p[2] >= 0xA1 &&
                   (unsigned char)p[2] <= 0xBA) ||
                  ((unsigned char)p[1] == 0xBD && (unsigned char)p[2] >= 0x81 &&
                   (unsigned char)p[2] <= 0x9A)));
    if (!latin)
        return pl_refreg_bad(w, "%s/@name_en '%.60s' is not an English name: it has no Latin "
                             "letter", path, v);
    if (!(o->name_en_key = pl_text_english_key(v)))
        return pl_err_oom(w->e);
    o->name_en = v;
    return 0;
}

static int get_party(where *w, xmlNodePtr n, const char *path, owner *o)
{
    static const int party_types[] = {
        PLEDGER_ID_USCC, PLEDGER_ID_RESIDENT, PLEDGER_ID_PASSPORT, PLEDGER_ID_FOREIGN_REG,
    };
    const char *name = pl_refreg_prop(n, "name"), *type = pl_refreg_prop(n, "id_type"),
               *id = pl_refreg_prop(n, "id");
    char field[64], buf[TOKEN_MAX];
    int t = 0;

    if (!name || blank(name))
        return pl_refreg_bad(w, "%s/@name is missing", path);
    if (!type)
        return pl_refreg_bad(w, "%s/@id_type is missing", path);
    if (!id)
        return pl_refreg_bad(w, "%s/@id is missing", path);
    if (pl_refreg_collapse(type, buf, sizeof buf))
        t = pl_ident_type_from_name(buf);
    for (size_t i = 0; t > 0 && i < sizeof party_types / sizeof party_types[0]; i++) {
        if (party_types[i] == t)
            goto known;
    }
    return pl_refreg_bad(w, "%s/@id_type '%.20s' is not uscc, resident, passport or "
                         "foreign_reg", path, type);
known:
    o->name = name;
    o->id_type = t;
    snprintf(field, sizeof field, "%s/@id", path);
    int rc = get_id(w, field, (pledger_id_type)t, id, o->id);
    if (rc)
        return rc;
    if (!(o->name_key = pl_text_name_key(name)))
        return pl_err_oom(w->e);
    return get_name_en(w, n, path, o);
}

static int get_owners(where *w, xmlNodePtr n, record *r)
{
    xmlNodePtr c;
    char path[32];
    int rc;

    for (c = next_child(n->children, "owner"); c; c = next_child(c->next, "owner")) {
        if (r->n_owners >= MAX_OWNERS)
            return pl_refreg_bad(w, "more than %d owners", MAX_OWNERS);
        snprintf(path, sizeof path, "owner[%zu]", r->n_owners + 1);
        if ((rc = get_party(w, c, path, &r->owners[r->n_owners])))
            return rc;
        r->n_owners++;
    }
    if (r->n_owners == 0)
        return pl_refreg_bad(w, "no owner");
    for (size_t i = 0; i < r->n_owners; i++)
        for (size_t j = 0; j < i; j++)
            if (r->owners[i].id_type == r->owners[j].id_type &&
                strcmp(r->owners[i].id, r->owners[j].id) == 0)
                return pl_refreg_bad(w, "owner[%zu] repeats owner[%zu]", i + 1, j + 1);
    return 0;
}

/* pl_ref_status_name(), pl_ref_status_from_name(): store/refreg-rows.c, the
 * names the store writes too. */

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
        return pl_refreg_bad(w, "number is missing");
    if ((rc = get_id(w, "number", number_type, r->raw_number, r->number)))
        return rc;
    snprintf(w->what, sizeof w->what, "%s %.200s", r->label, r->number);
    if ((rc = get_token(w, n, "status", buf, sizeof buf)))
        return rc;
    r->status = pl_ref_status_from_name(buf);
    if (!r->status || !(status_mask(r->kind) & (1u << r->status)))
        return pl_refreg_bad(w, "status '%.30s' is not a status of a %s", buf, r->label);
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
        return pl_refreg_bad(w, "%s %s is before %s %s", to, b, from, a);
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

int pl_refreg_get_trademark(where *w, xmlNodePtr n, record *r)
{
    const char *v;
    int rc;

    if ((rc = get_common(w, n, r, PLEDGER_ID_TRADEMARK)) ||
        (rc = get_date(w, n, "valid_from", true, &r->valid_from)) ||
        (rc = get_date(w, n, "valid_to", true, &r->valid_to)) ||
        (rc = check_term(w, r, "valid_from", "valid_to")))
        return rc;
    if ((v = pl_refreg_prop(n, "mark")) && !blank(v)) {
        r->mark = v;
        if (!(r->mark_key = mark_key(v)))
            return pl_err_oom(w->e);
        if (!r->mark_key[0]) {
            free(r->mark_key);
            r->mark_key = NULL;
        }
    }
    if ((v = pl_refreg_prop(n, "family"))) {
        if (!pl_refreg_collapse(v, r->family, sizeof r->family) || !r->family[0])
            return pl_refreg_bad(w, "family '%.40s' must be 1 to 64 characters", v);
        r->has_family = true;
    }
    /* classes="9 35" */
    if (!(v = pl_refreg_prop(n, "classes")))
        return pl_refreg_bad(w, "classes is missing");
    for (const char *p = v;;) {
        int c = 0, digits = 0;
        while (pl_refreg_is_ws(*p))
            p++;
        if (!*p)
            break;
        if (*p == '+') /* xs:int allows it, and leading zeros */
            p++;
        for (; *p >= '0' && *p <= '9'; p++, digits++)
            c = c < 100 ? c * 10 + (*p - '0') : c;
        if (!digits || (*p && !pl_refreg_is_ws(*p)) || c < 1 || c > 45)
            return pl_refreg_bad(w, "classes '%.60s': each class must be a number from 1 to 45", v);
        r->classes |= (uint64_t)1 << c;
    }
    if (!r->classes)
        return pl_refreg_bad(w, "classes is empty");
    /* groups="0901 0907 3501": each in one of the classes */
    if ((v = pl_refreg_prop(n, "groups"))) {
        for (const char *p = v;;) {
            char g[5];
            int i = 0;
            while (pl_refreg_is_ws(*p))
                p++;
            if (!*p)
                break;
            for (; *p && !pl_refreg_is_ws(*p) && i < 4; p++)
                g[i++] = *p;
            g[i] = '\0';
            if (i != 4 || (*p && !pl_refreg_is_ws(*p)) || g[0] < '0' || g[0] > '9' ||
                g[1] < '0' || g[1] > '9' || g[2] < '0' || g[2] > '9' || g[3] < '0' || g[3] > '9')
                return pl_refreg_bad(w, "groups: '%.12s' is not a 4-digit similar-goods group "
                                     "code", g);
            int cls = (g[0] - '0') * 10 + (g[1] - '0');
            if (cls < 1 || cls > 45 || (g[2] == '0' && g[3] == '0'))
                return pl_refreg_bad(w, "groups: '%s' is not a similar-goods group code", g);
            if (!(r->classes & ((uint64_t)1 << cls)))
                return pl_refreg_bad(w, "groups: group %s is in class %d, which is not among "
                                     "the classes", g, cls);
            if (r->n_groups >= MAX_GROUPS)
                return pl_refreg_bad(w, "groups: more than %d codes", MAX_GROUPS);
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

int pl_refreg_get_patent(where *w, xmlNodePtr n, record *r)
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
        return pl_refreg_bad(w, "patent_type '%.30s' is not invention, utility_model or "
                             "design", buf);
    t = number_patent_type(r->number);
    if (t && t != r->patent_type)
        return pl_refreg_bad(w, "patent_type %s does not match the number, which is of type %s",
                             buf, patent_type_names[t]);
    if ((rc = get_date(w, n, "filing_date", true, &r->valid_from)) ||
        (rc = get_date(w, n, "grant_date", false, &r->grant_date)) ||
        (rc = get_date(w, n, "valid_to", false, &r->valid_to)) ||
        (rc = check_term(w, r, "filing_date", "valid_to")) ||
        (rc = get_bool(w, n, "fee_paid", &r->fee_paid)) ||
        (rc = get_bool(w, n, "invalidation_pending", &r->invalidation_pending)) ||
        (rc = get_bool(w, n, "suspended", &r->suspended)))
        return rc;
    if (r->grant_date != PL_REF_NO_DATE && r->grant_date < r->valid_from)
        return pl_refreg_bad(w, "grant_date is before filing_date");
    if (r->status == PL_REF_NOT_GRANTED && r->grant_date != PL_REF_NO_DATE)
        return pl_refreg_bad(w, "status not_granted with a grant_date");
    if (r->status != PL_REF_NOT_GRANTED && r->grant_date == PL_REF_NO_DATE)
        return pl_refreg_bad(w, "status %s needs a grant_date", pl_ref_status_name(r->status));
    if ((v = pl_refreg_prop(n, "twin"))) {
        if ((rc = get_id(w, "twin", PLEDGER_ID_PATENT, v, r->twin)))
            return rc;
        if (strcmp(r->twin, r->number) == 0)
            return pl_refreg_bad(w, "twin is the patent itself");
        r->has_twin = true;
    }
    return 0;
}

/* A sea-area or land certificate's area and its unit (both or neither):
 * kept as its one allowance named PL_REF_AREA, in the unit's symbol. */
static int get_area(where *w, xmlNodePtr n, record *r)
{
    const char *amount = pl_refreg_prop(n, "area"), *unit = pl_refreg_prop(n, "area_unit");
    allowance *a = &r->allowances[0];
    pl_area_unit u;

    if (!amount && !unit)
        return 0;
    if (!amount)
        return pl_refreg_bad(w, "area_unit is given without the area");
    if (!unit)
        return pl_refreg_bad(w, "area '%.30s' is given without its unit (area_unit: %s)",
                             amount, pl_area_units_known);
    if ((u = pl_area_unit_of(unit)) == PL_AREA_NONE)
        return pl_refreg_bad(w, "area_unit '%.30s' is not a unit of area the registry knows: %s",
                             unit, pl_area_units_known);
    if (!parse_micro(amount, &a->micro))
        return pl_refreg_bad(w, "area '%.30s' is not a quantity with at most 6 decimals",
                             amount);
    snprintf(a->pollutant, sizeof a->pollutant, "%s", PL_REF_AREA);
    snprintf(a->unit, sizeof a->unit, "%s", pl_area_unit_symbol(u));
    r->n_allowances = 1;
    return 0;
}

int pl_refreg_get_certificate(where *w, xmlNodePtr n, record *r)
{
    int rc;

    if ((rc = get_common(w, n, r, r->kind == PLEDGER_KIND_EMISSION ? PLEDGER_ID_PERMIT
                                                                     : PLEDGER_ID_CERTIFICATE)) ||
        (rc = get_date(w, n, "valid_from", true, &r->valid_from)) ||
        (rc = get_date(w, n, "valid_to", true, &r->valid_to)) ||
        (rc = check_term(w, r, "valid_from", "valid_to")))
        return rc;
    if (r->kind != PLEDGER_KIND_EMISSION)
        return get_area(w, n, r);
    for (xmlNodePtr c = next_child(n->children, "allowance"); c;
         c = next_child(c->next, "allowance")) {
        allowance *a = &r->allowances[r->n_allowances];
        size_t i = r->n_allowances + 1;
        const char *amount = pl_refreg_prop(c, "amount");
        char path[32];

        if (r->n_allowances >= MAX_ALLOWANCES)
            return pl_refreg_bad(w, "more than %d allowances", MAX_ALLOWANCES);
        snprintf(path, sizeof path, "allowance[%zu]/@pollutant", i);
        if ((rc = get_token(w, c, "pollutant", a->pollutant, sizeof a->pollutant)))
            return rc;
        if ((rc = get_token(w, c, "unit", a->unit, sizeof a->unit)))
            return rc;
        if (!amount || !parse_micro(amount, &a->micro))
            return pl_refreg_bad(w, "allowance[%zu]/@amount '%.30s' is not a quantity with at "
                                 "most 6 decimals", i, amount ? amount : "");
        for (size_t j = 0; j < r->n_allowances; j++)
            if (strcmp(r->allowances[j].pollutant, a->pollutant) == 0)
                return pl_refreg_bad(w, "allowance[%zu] repeats pollutant %s", i, a->pollutant);
        r->n_allowances++;
    }
    return 0;
}

int pl_refreg_get_holding(where *w, xmlNodePtr n, record *r)
{
    const char *v;
    xmlNodePtr c;
    int rc;

    if (!r->raw_number)
        return pl_refreg_bad(w, "company is missing");
    if ((rc = get_id(w, "company", PLEDGER_ID_USCC, r->raw_number, r->number)))
        return rc;
    snprintf(w->what, sizeof w->what, "holding in %.40s", r->number);
    if ((v = pl_refreg_prop(n, "company_name")) && !blank(v))
        r->company_name = v;
    if (!(v = pl_refreg_prop(n, "capital")) || !parse_count(v, &r->capital))
        return pl_refreg_bad(w, "capital '%.30s' is not a count of minor units", v ? v : "");
    if ((rc = get_token(w, n, "currency", r->currency, sizeof r->currency)))
        return rc;
    for (int i = 0; i < 3; i++)
        if (r->currency[i] < 'A' || r->currency[i] > 'Z' || !r->currency[2])
            return pl_refreg_bad(w, "currency '%s' is not an ISO 4217 code", r->currency);
    /* the review compares the pledged capital in this currency
     * (EQ_CAPITAL_CURRENCY): a holding in a currency it does not know
     * could never be pledged */
    if (pl_currency_digits(r->currency) < 0)
        return pl_refreg_bad(w, "currency '%s' is not an ISO 4217 code pledger knows",
                             r->currency);
    if ((rc = get_bool(w, n, "frozen", &r->frozen)))
        return rc;
    if (!(c = next_child(n->children, "shareholder")))
        return pl_refreg_bad(w, "shareholder is missing");
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

void pl_refreg_record_reset(record *r)
{
    for (size_t i = 0; i < MAX_OWNERS; i++) {
        free(r->owners[i].name_key);
        free(r->owners[i].name_en_key);
        r->owners[i].name_key = r->owners[i].name_en_key = NULL;
        r->owners[i].name_en = NULL;
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
