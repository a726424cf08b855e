/* The quick, strict reading of register.xsd: see valid.h.
 *
 * Every test here is a sufficient condition for the schema's own: a value
 * that passes is valid for its type whatever else the schema allows, and
 * whatever fails goes to libxml2.  Keep it that way when the schema
 * changes (tests/test-refreg.c compares both on many records). */
#include "refreg/valid.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <pledger/types.h>

#include "model/xml.h"

typedef enum vtype {
    V_NUMBER,      /* xs:string, 1 to 64 characters */
    V_NAME,        /* xs:string, 1 to 400 characters */
    V_TEXT,        /* xs:string, at most 400 characters */
    V_ID_TYPE,     /* uscc, resident, passport, foreign_reg */
    V_TM_STATUS,   /* TrademarkStatus, CertificateStatus */
    V_PAT_STATUS,  /* PatentStatus */
    V_PATENT_TYPE, /* invention, utility_model, design */
    V_CLASSES,     /* list of 1 to 45 NiceClass */
    V_GROUPS,      /* list of at most 1000 GroupCode */
    V_FAMILY,      /* xs:token, 1 to 64 characters */
    V_TOKEN,       /* xs:token, 1 to 32 characters */
    V_DATE,        /* xs:date written \d{4}-\d{2}-\d{2} */
    V_BOOL,        /* xs:boolean */
    V_CURRENCY,    /* [A-Z]{3} */
    V_MINOR,       /* xs:long >= 0 */
    V_QUANTITY     /* xs:decimal 0 to 999999999999, 6 fraction digits */
} vtype;

typedef struct attr_spec {
    const char *name;
    vtype type;
    bool required;
} attr_spec;

#define SPEC_END { NULL, V_TEXT, false }

static const attr_spec trademark_attrs[] = {
    { "number", V_NUMBER, true },    { "status", V_TM_STATUS, true },
    { "mark", V_TEXT, false },       { "family", V_FAMILY, false },
    { "classes", V_CLASSES, true },  { "groups", V_GROUPS, false },
    { "valid_from", V_DATE, true },  { "valid_to", V_DATE, true },
    { "seized", V_BOOL, false },     { "frozen", V_BOOL, false },
    SPEC_END,
};

static const attr_spec patent_attrs[] = {
    { "number", V_NUMBER, true },         { "patent_type", V_PATENT_TYPE, true },
    { "status", V_PAT_STATUS, true },     { "filing_date", V_DATE, true },
    { "grant_date", V_DATE, false },      { "valid_to", V_DATE, false },
    { "fee_paid", V_BOOL, false },        { "invalidation_pending", V_BOOL, false },
    { "suspended", V_BOOL, false },       { "twin", V_NUMBER, false },
    { "seized", V_BOOL, false },          { "frozen", V_BOOL, false },
    SPEC_END,
};

static const attr_spec holding_attrs[] = {
    { "company", V_NUMBER, true },  { "company_name", V_TEXT, false },
    { "capital", V_MINOR, true },   { "currency", V_CURRENCY, true },
    { "frozen", V_BOOL, false },    SPEC_END,
};

static const attr_spec certificate_attrs[] = {
    { "number", V_NUMBER, true },   { "status", V_TM_STATUS, true },
    { "valid_from", V_DATE, true }, { "valid_to", V_DATE, true },
    { "seized", V_BOOL, false },    { "frozen", V_BOOL, false },
    SPEC_END,
};

static const attr_spec real_attrs[] = {
    { "number", V_NUMBER, true },   { "status", V_TM_STATUS, true },
    { "valid_from", V_DATE, true }, { "valid_to", V_DATE, true },
    { "seized", V_BOOL, false },    { "frozen", V_BOOL, false },
    { "area", V_QUANTITY, false },  { "area_unit", V_TOKEN, false },
    SPEC_END,
};

static const attr_spec party_attrs[] = {
    { "name", V_NAME, true },     { "name_en", V_NAME, false },
    { "id_type", V_ID_TYPE, true }, { "id", V_NUMBER, true },
    SPEC_END,
};

static const attr_spec allowance_attrs[] = {
    { "pollutant", V_TOKEN, true }, { "amount", V_QUANTITY, true },
    { "unit", V_TOKEN, true },      SPEC_END,
};

static bool xsd_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Characters (code points) of valid UTF-8 @s. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static bool one_of(const char *v, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(v, *names) == 0)
            return true;
    return false;
}

/* A token already in its collapsed form (no white space but single
 * inner spaces), of @min to @max characters. */
static bool plain_token(const char *v, size_t min, size_t max)
{
    size_t n = chars(v);

    if (n < min || n > max || v[0] == ' ')
        return false;
    for (const char *p = v; *p; p++) {
        if (*p == '\t' || *p == '\r' || *p == '\n')
            return false;
        if (*p == ' ' && (p[1] == ' ' || p[1] == '\0'))
            return false;
    }
    return true;
}

static int two(const char *p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

/* YYYY-MM-DD, year 1 to 9999, a day of that month. */
static bool plain_date(const char *v)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? v[i] != '-' : !digit(v[i]))
            return false;
    if (v[10])
        return false;
    int y = two(v) * 100 + two(v + 2), m = two(v + 5), d = two(v + 8);
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* "9 35": 1 to 45 classes, each 1 to 45 without leading zeros, single spaces. */
static bool plain_classes(const char *v)
{
    int items = 0;

    for (const char *p = v;; p++) {
        if (!digit(p[0]) || p[0] == '0')
            return false;
        int c = p[0] - '0';
        if (digit(p[1]))
            c = c * 10 + (*++p - '0');
        if (c > 45 || ++items > 45)
            return false;
        if (p[1] == '\0')
            return true;
        if (p[1] != ' ')
            return false;
        p++;
    }
}

/* "0901 0907": 1 to 1000 codes of 4 ASCII digits, single spaces. */
static bool plain_groups(const char *v)
{
    int items = 0;

    for (const char *p = v;; p += 5) {
        if (!digit(p[0]) || !digit(p[1]) || !digit(p[2]) || !digit(p[3]) || ++items > 1000)
            return false;
        if (p[4] == '\0')
            return true;
        if (p[4] != ' ')
            return false;
    }
}

/* 1 to 18 digits: at most 999999999999999999 < 2^63. */
static bool plain_minor(const char *v)
{
    size_t n = 0;
    for (; digit(v[n]); n++)
        ;
    return n >= 1 && n <= 18 && !v[n];
}

/* 1 to 11 digits, then maybe '.' and 1 to 6 digits: below the maximum. */
static bool plain_quantity(const char *v)
{
    size_t n = 0, f = 0;

    for (; digit(v[n]); n++)
        ;
    if (n < 1 || n > 11)
        return false;
    if (v[n] == '\0')
        return true;
    if (v[n] != '.')
        return false;
    for (v += n + 1; digit(v[f]); f++)
        ;
    return f >= 1 && f <= 6 && !v[f];
}

static bool plain_value(vtype t, const char *v)
{
    static const char *const id_types[] = { "uscc", "resident", "passport", "foreign_reg", NULL };
    static const char *const tm_status[] = { "registered", "cancelled", "invalidated", "expired",
                                             NULL };
    static const char *const pat_status[] = { "not_granted", "granted", "terminated",
                                              "invalidated", "expired", NULL };
    static const char *const patent_types[] = { "invention", "utility_model", "design", NULL };
    static const char *const bools[] = { "true", "false", "1", "0", NULL };
    size_t n;

    switch (t) {
    case V_NUMBER: n = chars(v); return n >= 1 && n <= 64;
    case V_NAME: n = chars(v); return n >= 1 && n <= 400;
    case V_TEXT: return chars(v) <= 400;
    case V_ID_TYPE: return one_of(v, id_types);
    case V_TM_STATUS: return one_of(v, tm_status);
    case V_PAT_STATUS: return one_of(v, pat_status);
    case V_PATENT_TYPE: return one_of(v, patent_types);
    case V_CLASSES: return plain_classes(v);
    case V_GROUPS: return plain_groups(v);
    case V_FAMILY: return plain_token(v, 1, 64);
    case V_TOKEN: return plain_token(v, 1, 32);
    case V_DATE: return plain_date(v);
    case V_BOOL: return one_of(v, bools);
    case V_CURRENCY:
        for (int i = 0; i < 3; i++)
            if (v[i] < 'A' || v[i] > 'Z')
                return false;
        return v[3] == '\0';
    case V_MINOR: return plain_minor(v);
    case V_QUANTITY: return plain_quantity(v);
    }
    return false;
}

/* Every attribute of @n is in @spec, unqualified, with a plain value, and
 * every required one is there. */
static bool plain_attrs(xmlNodePtr n, const attr_spec *spec)
{
    uint32_t seen = 0, required = 0;
    size_t i;

    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        const char *v = "";
        if (a->ns || a->type != XML_ATTRIBUTE_NODE)
            return false;
        for (i = 0; spec[i].name && strcmp(spec[i].name, (const char *)a->name) != 0; i++)
            ;
        if (!spec[i].name || (seen & (UINT32_C(1) << i)))
            return false;
        seen |= UINT32_C(1) << i;
        if (a->children) {
            if (a->children->type != XML_TEXT_NODE || a->children->next ||
                !a->children->content)
                return false;
            v = (const char *)a->children->content;
        }
        if (!plain_value(spec[i].type, v))
            return false;
    }
    for (i = 0; spec[i].name; i++)
        if (spec[i].required)
            required |= UINT32_C(1) << i;
    return (seen & required) == required;
}

/* An element of empty content: attributes only, nothing inside. */
static bool plain_empty(xmlNodePtr n, const attr_spec *spec)
{
    return !n->children && plain_attrs(n, spec);
}

static bool blank_text(const xmlChar *s)
{
    for (; s && *s; s++)
        if (!xsd_ws((char)*s))
            return false;
    return true;
}

/* The element children of @rec: @first (1 to @max_first), then @second
 * (0 to @max_second, when not NULL); white space, comments and processing
 * instructions between them. */
static bool plain_children(xmlNodePtr rec, const char *first, int min_first, int max_first,
                           const char *second, int max_second)
{
    int n_first = 0, n_second = 0;

    for (xmlNodePtr c = rec->children; c; c = c->next) {
        switch (c->type) {
        case XML_TEXT_NODE:
            if (!blank_text(c->content))
                return false;
            continue;
        case XML_COMMENT_NODE:
        case XML_PI_NODE: continue;
        case XML_ELEMENT_NODE: break;
        default: return false;
        }
        if (n_second == 0 && pl_xml_is(c, first)) {
            if (++n_first > max_first || !plain_empty(c, party_attrs))
                return false;
        } else if (second && n_first >= min_first && pl_xml_is(c, second)) {
            if (++n_second > max_second || !plain_empty(c, allowance_attrs))
                return false;
        } else {
            return false;
        }
    }
    return n_first >= min_first;
}

bool pl_refreg_surely_valid(xmlNodePtr rec, int kind)
{
    switch (kind) {
    case PLEDGER_KIND_TRADEMARK:
        return plain_attrs(rec, trademark_attrs) &&
               plain_children(rec, "owner", 1, 64, NULL, 0);
    case PLEDGER_KIND_PATENT:
        return plain_attrs(rec, patent_attrs) && plain_children(rec, "owner", 1, 64, NULL, 0);
    case PLEDGER_KIND_EQUITY:
        return plain_attrs(rec, holding_attrs) &&
               plain_children(rec, "shareholder", 1, 1, NULL, 0);
    case PLEDGER_KIND_EMISSION:
        return plain_attrs(rec, certificate_attrs) &&
               plain_children(rec, "owner", 1, 64, "allowance", 64);
    case PLEDGER_KIND_SEA_AREA:
    case PLEDGER_KIND_LAND:
        return plain_attrs(rec, real_attrs) &&
               plain_children(rec, "owner", 1, 64, NULL, 0);
    default: return false;
    }
}
