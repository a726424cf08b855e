/* The typed fields of the application document (dates, amounts, sizes,
 * measures, Nice classes) as people type them at a Chinese counter:
 * full-width digits and signs ("２０２４－０３－０１", "３００００"), the
 * ideographic space, "第29类、第30类", "2024年3月1日".  Such a value is accepted: the
 * document keeps it as filed (its digest, a signature over it, what the
 * applicant sees), and every check reads it folded (pl_doc_fold_value):
 * the schema validates a folded copy, the extraction for the review and
 * the registration parses the folded text.  A value still wrong once
 * folded is refused naming the field and saying what to type. */
#include "model/app-doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/text.h"
#include "model/xml.h"

typedef enum { F_DATE, F_AMOUNT, F_SIZE, F_MEASURE, F_CLASSES, F_CODE, F_FLAG } field_type;

static const struct {
    const char *name;
    field_type type;
} typed[] = {
    { "classes", F_CLASSES },         { "filing_date", F_DATE },
    { "grant_date", F_DATE },         { "due_date", F_DATE },
    { "valid_from", F_DATE },         { "valid_to", F_DATE },
    { "term_start", F_DATE },         { "term_end", F_DATE },
    { "performance_start", F_DATE },  { "performance_end", F_DATE },
    { "start", F_DATE },              { "end", F_DATE },
    { "date", F_DATE },               { "amount", F_AMOUNT },
    { "capital", F_AMOUNT },          { "value", F_AMOUNT },
    { "size", F_SIZE },               { "allowance", F_MEASURE },
    { "area", F_MEASURE },            { "online", F_FLAG },
    { "joint", F_FLAG },
};

/* The typed attributes (of any element of an application). */
static const struct {
    const char *name;
    field_type type;
} typed_attrs[] = {
    { "currency", F_CODE },
    { "consent", F_FLAG },
};

static pl_fold fold_of(field_type t)
{
    return t == F_CLASSES ? PL_FOLD_CLASSES
           : t == F_CODE  ? PL_FOLD_CODE
           : t == F_FLAG  ? PL_FOLD_FLAG
                          : PL_FOLD_VALUE;
}

/* The type of element @n of an application, -1 when it is not typed. */
static int type_of(xmlNodePtr n)
{
    if (!n || n->type != XML_ELEMENT_NODE || !n->ns ||
        strcmp((const char *)n->ns->href, PL_XML_NS) != 0)
        return -1;
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++)
        if (strcmp((const char *)n->name, typed[i].name) == 0)
            return (int)typed[i].type;
    return -1;
}

#define DI 0x7B2C    /* 第 */
#define LEI 0x7C7B   /* 类 */
#define LEI_T 0x985E /* 類 */

/* "2024年3月1日" (folded: ASCII digits), white space around, as
 * "2024-03-01", in place; other text is left as it is. */
static void chinese_date(char *s)
{
    char mid[64];
    const char *b = s;
    size_t n;
    int y, m, d, used = -1;

    while (*b == ' ')
        b++;
    n = strlen(b);
    while (n && b[n - 1] == ' ')
        n--;
    if (n < 13 || n >= sizeof mid)
        return;
    memcpy(mid, b, n);
    mid[n] = '\0';
    for (size_t i = 0; i < n; i++)   /* digits and 年 月 日 only: no sign, no space */
        if ((unsigned char)mid[i] < 0x80 && (mid[i] < '0' || mid[i] > '9'))
            return;
    if (sscanf(mid, "%4d\xe5\xb9\xb4%2d\xe6\x9c\x88%2d\xe6\x97\xa5%n", &y, &m, &d, &used) != 3 ||
        used != (int)n)
        return;
    snprintf(s, strlen(s) + 1, "%04d-%02d-%02d", y, m, d);
}

char *pl_doc_fold_value(const char *s, pl_fold how)
{
    bool classes = how == PL_FOLD_CLASSES;
    size_t n = strlen(s), o = 0;
    char *out = malloc(n + 1);

    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = pl_utf8_decode(s + i, n - i, &cp);
        if (!k) {             /* not UTF-8: kept, the schema refuses it */
            out[o++] = s[i++];
            continue;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0;     /* full-width forms: "２９", "－", "．", "ＣＮＹ" */
        else if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE58 ||
                 cp == 0xFE63)
            cp = '-';
        else if (pl_text_is_space(cp))
            cp = ' ';
        if (classes && (cp == DI || cp == LEI || cp == LEI_T || cp == 0x3001 || cp == ',' ||
                        cp == ';'))
            cp = ' ';         /* "第29类、第30类", "29,30" */
        if (cp < 0x80) {
            out[o++] = (char)cp;
        } else {
            memcpy(out + o, s + i, k);
            o += k;
        }
        i += k;
    }
    out[o] = '\0';
    if (how == PL_FOLD_VALUE)
        chinese_date(out);
    for (size_t i = 0; i < o && (how == PL_FOLD_CODE || how == PL_FOLD_FLAG); i++)
        if (how == PL_FOLD_CODE && out[i] >= 'a' && out[i] <= 'z')
            out[i] = (char)(out[i] - 'a' + 'A');     /* "cny" */
        else if (how == PL_FOLD_FLAG && out[i] >= 'A' && out[i] <= 'Z')
            out[i] = (char)(out[i] - 'A' + 'a');     /* "TRUE" */
    return out;
}

/* @s without the XML white space around it (xs:collapse). */
static void trim(const char **s, size_t *n)
{
    while (*n && strchr(" \t\r\n", (*s)[0])) {
        (*s)++;
        (*n)--;
    }
    while (*n && strchr(" \t\r\n", (*s)[*n - 1]))
        (*n)--;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

/* A whole number 0 .. INT64_MAX, an optional '+' first (xs:long >= 0). */
static bool whole(const char *s, size_t n)
{
    if (n && s[0] == '+') {
        s++;
        n--;
    }
    while (n > 1 && s[0] == '0') {
        s++;
        n--;
    }
    return digits(s, n) && (n < 19 || (n == 19 && memcmp(s, "9223372036854775807", 19) <= 0));
}

/* What is wrong with the folded value @v of a field of type @t, as the
 * end of "'...' is not ...", NULL when nothing is (the schema may still
 * refuse it: it has the last word). */
static const char *wrong(field_type t, const char *v)
{
    size_t n = strlen(v), dot = 0;

    trim(&v, &n);
    switch (t) {
    case F_DATE:
        if (n != 10 || !digits(v, 4) || v[4] != '-' || !digits(v + 5, 2) || v[7] != '-' ||
            !digits(v + 8, 2))
            return N_("a date: type it as YYYY-MM-DD, e.g. 2024-03-01");
        /* the year 0000 is none (xs:date has no year zero: the schema would
         * refuse it in libxml2's words, naming no form to type) */
        if (atoi(v) == 0 || !pl_date_valid(atoi(v), (unsigned)atoi(v + 5), (unsigned)atoi(v + 8)))
            return N_("a real date: type it as YYYY-MM-DD, e.g. 2024-03-01");
        return NULL;
    case F_AMOUNT:
        return whole(v, n) ? NULL
                           : N_("an amount: type a whole number of minor units (fen for CNY) "
                                "in digits, e.g. 30000000 for 300,000.00");
    case F_SIZE:
        return whole(v, n) ? NULL : N_("a size: type the number of bytes in digits");
    case F_MEASURE:
        if (n && v[0] == '+') {
            v++;
            n--;
        }
        for (size_t i = 0; i < n; i++)
            if (v[i] == '.')
                dot++;
            else if (v[i] < '0' || v[i] > '9')
                dot = 2;
        return n && dot < 2 && !(n == 1 && dot)
                   ? NULL
                   : N_("a quantity: type a number in digits, with at most one '.', e.g. 18.5");
    case F_CLASSES:
        for (size_t i = 0; i < n;) {
            size_t j = i, len;
            while (j < n && v[j] != ' ' && v[j] != '\t' && v[j] != '\r' && v[j] != '\n')
                j++;
            while (j - i > 1 && v[i] == '0')
                i++;          /* "09" is class 9 */
            len = j - i;
            if (len && (!digits(v + i, len) || len > 2 || atoi(v + i) < 1 ||
                        atoi(v + i) > 45))
                return N_("a list of Nice classes: type the class numbers from 1 to 45 "
                          "separated by spaces, e.g. 29 30");
            i = j + 1;
        }
        return NULL;
    case F_CODE:
        return n == 3 && v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'A' && v[1] <= 'Z' &&
                       v[2] >= 'A' && v[2] <= 'Z'
                   ? NULL
                   : N_("a currency code: type the three letters of ISO 4217, e.g. CNY");
    case F_FLAG:
        return (n == 4 && memcmp(v, "true", 4) == 0) || (n == 5 && memcmp(v, "false", 5) == 0) ||
                       (n == 1 && (v[0] == '1' || v[0] == '0'))
                   ? NULL
                   : N_("true or false: type true or false (or 1 or 0)");
    }
    return NULL;
}

static bool has_element_child(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return true;
    return false;
}

/* PLEDGER_EXML: the field at @n (an element or an attribute) holds @raw,
 * not @bad. */
static int refuse_value(pl_err *e, xmlNodePtr n, const char *what, const char *raw,
                        const char *bad)
{
    char shown[PL_EXCERPT_MAX + 8], *path = pl_xml_short_path(n);
    xmlNodePtr el = n->type == XML_ATTRIBUTE_NODE ? n->parent : n;
    long line = el ? xmlGetLineNo(el) : 0;
    int rc;

    if (!path)
        return pl_err_oom(e);
    pl_text_excerpt(shown, raw);
    if (line > 0)
        rc = pl_err_set(e, PLEDGER_EXML, "%s: line %ld: %s: '%s' is not %s", what, line, path,
                        shown, pl_frag(bad));
    else
        rc = pl_err_set(e, PLEDGER_EXML, "%s: %s: '%s' is not %s", what, path, shown,
                        pl_frag(bad));
    free(path);
    return rc;
}

/* The enumeration of attribute @attr of element @el (@attr NULL: of its
 * text), -1 when it is not enumerated. */
static int enum_of(xmlNodePtr el, const char *attr)
{
    const char *name = (const char *)el->name;
    const char *parent = el->parent && el->parent->type == XML_ELEMENT_NODE
                             ? (const char *)el->parent->name
                             : "";

    if (!el->ns || strcmp((const char *)el->ns->href, PL_XML_NS) != 0)
        return -1;
    if (!attr)
        return strcmp(name, "patent_type") == 0                               ? PL_ENUM_PATENT_TYPE
               : strcmp(name, "type") == 0 && strcmp(parent, "claim") == 0 ? PL_ENUM_CLAIM_TYPE
               : strcmp(name, "clauses") == 0                               ? PL_ENUM_CLAUSES
                                                                            : -1;
    if (strcmp(attr, "type") == 0)
        return strcmp(name, "id") == 0 ? PL_ENUM_ID_TYPE : PL_ENUM_PARTY_TYPE;
    if (strcmp(attr, "kind") == 0 && strcmp(name, "material") == 0)
        return PL_ENUM_MATERIAL_KIND;
    if (strcmp(attr, "code") == 0 && strcmp(name, "risk") == 0)
        return PL_ENUM_RISK_CODE;
    return -1;
}

/* The enumerated field at @n (an element, or an attribute of @el) holding
 * @raw: folded (pl_doc_fold_enum) into *@folded, or refused
 * (PLEDGER_EXML) naming the field and listing the values in both forms. */
static int enum_value(pl_err *e, xmlNodePtr n, pl_enum which, const char *what,
                      const char *raw, char **folded)
{
    bool ok;
    char shown[PL_EXCERPT_MAX + 8], *path, *choices;
    xmlNodePtr el = n->type == XML_ATTRIBUTE_NODE ? n->parent : n;
    long line = el ? xmlGetLineNo(el) : 0;
    int rc;

    if (!(*folded = pl_doc_fold_enum(raw, which, &ok)))
        return pl_err_oom(e);
    if (ok)
        return 0;
    free(*folded);
    *folded = NULL;
    path = pl_xml_short_path(n);
    choices = pl_doc_enum_choices(which);
    if (!path || !choices) {
        free(path);
        free(choices);
        return pl_err_oom(e);
    }
    pl_text_excerpt(shown, raw);
    if (line > 0)
        rc = pl_err_set(e, PLEDGER_EXML, "%s: line %ld: %s: '%s' is not one of %s", what, line,
                        path, shown, choices);
    else
        rc = pl_err_set(e, PLEDGER_EXML, "%s: %s: '%s' is not one of %s", what, path, shown,
                        choices);
    free(path);
    free(choices);
    return rc;
}

/* The enumerated attributes of @c: refused when no value matches; replaced
 * by the schema's value when @fold. */
static int fold_enum_attrs(pl_err *e, xmlNodePtr c, const char *what, bool fold,
                           bool *changed)
{
    for (xmlAttrPtr a = c->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        int which = enum_of(c, name);
        char *raw, *f = NULL;
        int rc;
        if (which < 0)
            continue;
        if (!(raw = pl_doc_attr_text(c, name)))
            return pl_err_oom(e);
        rc = enum_value(e, (xmlNodePtr)a, (pl_enum)which, what, raw, &f);
        if (!rc && strcmp(f, raw) != 0) {
            *changed = true;
            if (fold && !xmlSetProp(c, BAD_CAST name, BAD_CAST f))
                rc = pl_err_oom(e);
        }
        free(raw);
        free(f);
        if (rc)
            return rc;   /* (xmlSetProp keeps the attribute's node: @a stays valid) */
    }
    return 0;
}

/* The attribute @name of @c, of type @t: refused when wrong once folded;
 * replaced by its folded form when @fold. */
static int fold_attr(pl_err *e, xmlNodePtr c, const char *name, field_type t,
                     const char *what, bool fold, bool *changed)
{
    xmlAttrPtr at = xmlHasNsProp(c, BAD_CAST name, NULL);
    char *raw, *f;
    const char *bad;
    int rc = 0;

    if (!at)
        return 0;
    if (!(raw = pl_doc_attr_text(c, name)))
        return pl_err_oom(e);
    if (!(f = pl_doc_fold_value(raw, fold_of(t)))) {
        free(raw);
        return pl_err_oom(e);
    }
    if ((bad = wrong(t, f)))
        rc = refuse_value(e, (xmlNodePtr)at, what, raw, bad);
    else if (strcmp(f, raw) != 0) {
        *changed = true;
        if (fold && !xmlSetProp(c, BAD_CAST name, BAD_CAST f))
            rc = pl_err_oom(e);
    }
    free(raw);
    free(f);
    return rc;
}

/* The text of @c (an element of text only) made @f. */
static int replace_text(pl_err *e, xmlNodePtr c, const char *f)
{
    xmlNodePtr k = c->children, text;
    while (k) {
        xmlNodePtr next = k->next;
        xmlUnlinkNode(k);
        xmlFreeNode(k);
        k = next;
    }
    text = xmlNewText(BAD_CAST f);
    if (!text || !xmlAddChild(c, text)) {
        xmlFreeNode(text);
        return pl_err_oom(e);
    }
    return 0;
}

/* Walk @n's subtree: report the first typed field wrong once folded, and
 * (when @fold) replace every typed field's text and typed attribute by
 * its folded form.  *changed: some value differs once folded. */
static int walk(pl_err *e, xmlNodePtr n, const char *what, bool fold, bool *changed)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        int t;
        int rc;
        if (c->type != XML_ELEMENT_NODE)
            continue;
        for (size_t a = 0; a < sizeof typed_attrs / sizeof typed_attrs[0]; a++)
            if ((rc = fold_attr(e, c, typed_attrs[a].name, typed_attrs[a].type, what, fold,
                                changed)))
                return rc;
        if ((rc = fold_enum_attrs(e, c, what, fold, changed)))
            return rc;
        int which = enum_of(c, NULL);
        if (which >= 0 && !has_element_child(c)) {
            char *raw = pl_doc_direct_text(c), *f = NULL;
            if (!raw)
                return pl_err_oom(e);
            if (!(rc = enum_value(e, c, (pl_enum)which, what, raw, &f)) &&
                strcmp(f, raw) != 0) {
                *changed = true;
                if (fold)
                    rc = replace_text(e, c, f);
            }
            free(raw);
            free(f);
            if (rc)
                return rc;
            continue;
        }
        t = type_of(c);
        if (t >= 0 && !has_element_child(c)) {
            char *raw = pl_doc_direct_text(c), *f;
            const char *bad;
            if (!raw)
                return pl_err_oom(e);
            f = pl_doc_fold_value(raw, fold_of((field_type)t));
            if (!f) {
                free(raw);
                return pl_err_oom(e);
            }
            if ((bad = wrong((field_type)t, f))) {
                rc = refuse_value(e, c, what, raw, bad);
                free(raw);
                free(f);
                return rc;
            }
            {   /* white space around is collapsed anyway (libxml2 forgets it in an
                 * xs:long extended by an attribute: " 300 " would be refused) */
                const char *v = f;
                size_t vn = strlen(f);
                trim(&v, &vn);
                memmove(f, v, vn);
                f[vn] = '\0';
            }
            if (strcmp(f, raw) != 0) {
                *changed = true;
                if (fold && (rc = replace_text(e, c, f))) {
                    free(raw);
                    free(f);
                    return rc;
                }
            }
            free(raw);
            free(f);
            continue;
        }
        if ((rc = walk(e, c, what, fold, changed)))
            return rc;
    }
    return 0;
}

/* The free texts of an application that may run over several lines
 * (a tab, a line feed, CRLF): a receivable's description, a trademark's
 * goods, a guarantee's scope.  Every other text is one line. */
static const char *const multi_line[] = { "description", "goods", "guarantee_scope" };

bool pl_doc_multi_line(const char *name)
{
    for (size_t i = 0; name && i < sizeof multi_line / sizeof multi_line[0]; i++)
        if (strcmp(name, multi_line[i]) == 0)
            return true;
    return false;
}

/* PLEDGER_EXML: the field at @n (an element or an attribute) holds the
 * control character @cp at character @at. */
static int refuse_control(pl_err *e, xmlNodePtr n, const char *what, uint32_t cp, size_t at)
{
    char *path = pl_xml_short_path(n);
    xmlNodePtr el = n->type == XML_ATTRIBUTE_NODE ? n->parent : n;
    long line = el ? xmlGetLineNo(el) : 0;
    int rc;

    if (!path)
        return pl_err_oom(e);
    if (line > 0)
        rc = pl_err_set(e, PLEDGER_EXML, "%s: line %ld: %s: U+%04X at character %zu: a control "
                        "character (or one that turns text around), which no text given to "
                        "the registry may carry", what, line, path, (unsigned)cp, at);
    else
        rc = pl_err_set(e, PLEDGER_EXML, "%s: %s: U+%04X at character %zu: a control character "
                        "(or one that turns text around), which no text given to the registry "
                        "may carry", what, path, (unsigned)cp, at);
    free(path);
    return rc;
}

/* The first text or attribute value under @n that holds a control
 * character (pl_text_control: one line, white space around it dropped by
 * its readers, but in the multi_line fields).  A
 * text of white space only (space, tab, line ends) is the document's
 * layout, or a field left empty (the review says so): not looked at. */
static int controls(pl_err *e, xmlNodePtr n, const char *what)
{
    uint32_t cp;
    size_t at;
    int rc;

    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        char *v = pl_doc_attr_text(n, (const char *)a->name);
        bool bad;
        if (!v)
            return pl_err_oom(e);
        bad = pl_text_control(v, PL_TEXT_TRIMMED, &cp, &at);
        free(v);
        if (bad)
            return refuse_control(e, (xmlNodePtr)a, what, cp, at);
    }
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            if ((rc = controls(e, c, what)))
                return rc;
        } else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
                   c->content && !xmlIsBlankNode(c) &&
                   pl_text_control((const char *)c->content,
                                   pl_doc_multi_line((const char *)n->name) ? PL_TEXT_LINES
                                                                            : PL_TEXT_TRIMMED,
                                   &cp, &at)) {
            return refuse_control(e, n, what, cp, at);
        }
    }
    return 0;
}

static int validate(pl_err *e, xmlDocPtr doc, const char *what, bool no_controls)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlDocPtr copy;
    bool changed = false;
    int rc;

    if (!root)
        return pl_xml_validate(e, doc, PL_XML_SCHEMA, what);
    if (no_controls && (rc = controls(e, root, what)))
        return rc;
    if ((rc = walk(e, root, what, false, &changed)))
        return rc;
    if (!changed)
        return pl_xml_validate(e, doc, PL_XML_SCHEMA, what);
    if (!(copy = xmlCopyDoc(doc, 1)))
        return pl_err_oom(e);
    rc = walk(e, xmlDocGetRootElement(copy), what, true, &changed);
    if (!rc)
        rc = pl_xml_validate(e, copy, PL_XML_SCHEMA, what);
    xmlFreeDoc(copy);
    return rc;
}

int pl_doc_validate(pl_err *e, xmlDocPtr doc, const char *what)
{
    return validate(e, doc, what, true);
}

int pl_doc_validate_received(pl_err *e, xmlDocPtr doc, const char *what)
{
    return validate(e, doc, what, false);
}
