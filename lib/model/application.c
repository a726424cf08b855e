#include "model/application.h"
#include "model/kinds.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/hash.h"
#include "base/ident.h"
#include "base/text.h"
#include "model/xml.h"

struct pl_doc {
    xmlDocPtr doc;
    pledger_kind kind;
    char *scratch; /* the last pl_doc_get result */
};

/* ------------------------------------------------------------------ */
/* Names                                                               */

static const char *const material_names[] = {
    NULL,
    "application_form",
    "commitment_letter",
    "main_contract",
    "pledge_contract",
    "identity",
    "power_of_attorney",
    "consent",
    "evaluation_report",
    "extension_agreement",
    "guarantee_letter",
    "name_change_proof",
    "translation",
    "other",
    "risk_acknowledgement",
};
#define N_MATERIALS ((int)(sizeof material_names / sizeof material_names[0]))

const char *pl_material_kind_name(pl_material_kind kind)
{
    int k = (int)kind;
    return k > 0 && k < N_MATERIALS ? material_names[k] : NULL;
}

pl_material_kind pl_material_kind_from_name(const char *name)
{
    if (!name)
        return PL_MATERIAL_NONE;
    for (int k = 1; k < N_MATERIALS; k++)
        if (strcmp(material_names[k], name) == 0)
            return (pl_material_kind)k;
    return PL_MATERIAL_NONE;
}

/* Index of @name in @names[1..n-1], 0 when absent. */
static int name_index(const char *const *names, int n, const char *name)
{
    if (!name)
        return 0;
    for (int i = 1; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return 0;
}

/* ------------------------------------------------------------------ */
/* The handle                                                          */

static xmlNodePtr doc_root(const pl_doc *d)
{
    return xmlDocGetRootElement(d->doc);
}

static bool is_rights(xmlNodePtr n)
{
    return pl_xml_is(n, "rights") && n->parent && n->parent->type == XML_ELEMENT_NODE &&
           n->parent->parent && n->parent->parent->type == XML_DOCUMENT_NODE;
}

/* Every child of <rights> must be named after the kind. */
static int check_rights(pl_err *e, xmlDocPtr doc, pledger_kind kind, const char *what)
{
    xmlNodePtr rights = pl_xml_child(xmlDocGetRootElement(doc), "rights");
    const char *want = pl_kind_name(kind);

    if (!rights)
        return 0;
    for (xmlNodePtr c = rights->children; c; c = c->next) {
        char *path;
        long line;
        if (c->type != XML_ELEMENT_NODE || pl_xml_is(c, want))
            continue;
        path = pl_xml_short_path(c);
        if (!path)
            return pl_err_oom(e);
        line = xmlGetLineNo(c);
        if (line > 0)
            pl_err_set(e, PLEDGER_EXML, "%s: line %ld: %s: a <%s> right in a %s application",
                       what, line, path, (const char *)c->name, want);
        else
            pl_err_set(e, PLEDGER_EXML, "%s: %s: a <%s> right in a %s application", what, path,
                       (const char *)c->name, want);
        free(path);
        return PLEDGER_EXML;
    }
    return 0;
}

static int doc_wrap(pl_doc **out, pl_err *e, xmlDocPtr doc, pledger_kind kind)
{
    pl_doc *d = calloc(1, sizeof *d);
    if (!d) {
        xmlFreeDoc(doc);
        return pl_err_oom(e);
    }
    d->doc = doc;
    d->kind = kind;
    *out = d;
    return 0;
}

int pl_doc_new(pl_doc **out, pl_err *e, pledger_kind kind)
{
    const char *name = pl_kind_name(kind);
    xmlDocPtr doc;
    xmlNodePtr root;
    xmlNsPtr ns;

    *out = NULL;
    if (!name)
        return pl_err_set(e, PLEDGER_EINVAL, "kind: %d is not a kind of right", (int)kind);
    pl_xml_init();
    doc = xmlNewDoc(BAD_CAST "1.0");
    if (!doc)
        return pl_err_oom(e);
    root = xmlNewDocNode(doc, NULL, BAD_CAST "application", NULL);
    if (!root) {
        xmlFreeDoc(doc);
        return pl_err_oom(e);
    }
    xmlDocSetRootElement(doc, root);
    ns = xmlNewNs(root, BAD_CAST PL_XML_NS, NULL);
    if (!ns || !xmlSetProp(root, BAD_CAST "kind", BAD_CAST name) ||
        !xmlSetProp(root, BAD_CAST "version", BAD_CAST "1")) {
        xmlFreeDoc(doc);
        return pl_err_oom(e);
    }
    xmlSetNs(root, ns);
    if (pl_xml_validate(e, doc, PL_XML_SCHEMA, "application") != 0) {
        xmlFreeDoc(doc);
        return e ? e->code : PLEDGER_EXML;
    }
    return doc_wrap(out, e, doc, kind);
}

/* Parse, strip, then (when @validate) validate against the schema; the
 * root, its kind and the kinds of the rights are always checked. */
static int doc_parse(pl_doc **out, pl_err *e, const char *xml, size_t len, bool validate)
{
    xmlDocPtr doc = NULL;
    xmlNodePtr root;
    xmlChar *kind_attr;
    pledger_kind kind;
    int rc;

    *out = NULL;
    rc = pl_xml_parse(e, xml, len, "application", &doc);
    if (rc)
        return rc;
    root = xmlDocGetRootElement(doc);
    if (!pl_xml_is(root, "application")) {
        pl_err_set(e, PLEDGER_EXML, "application: line %ld: root element is <%s>, expected "
                   "<application>", xmlGetLineNo(root), (const char *)root->name);
        xmlFreeDoc(doc);
        return PLEDGER_EXML;
    }
    pl_xml_strip(doc);
    if (validate && (rc = pl_xml_validate(e, doc, PL_XML_SCHEMA, "application"))) {
        xmlFreeDoc(doc);
        return rc;
    }
    kind_attr = xmlGetNoNsProp(root, BAD_CAST "kind");
    if (!kind_attr) {
        xmlFreeDoc(doc);
        return validate ? pl_err_oom(e)
                        : pl_err_set(e, PLEDGER_EXML, "application: @kind: missing");
    }
    kind = (pledger_kind)pl_kind_from_name((const char *)kind_attr);
    xmlFree(kind_attr);
    if (!kind) {
        xmlFreeDoc(doc);
        return pl_err_set(e, PLEDGER_EXML, "application: @kind: not a kind of right");
    }
    rc = check_rights(e, doc, kind, "application");
    if (rc) {
        xmlFreeDoc(doc);
        return rc;
    }
    return doc_wrap(out, e, doc, kind);
}

int pl_doc_parse(pl_doc **out, pl_err *e, const char *xml, size_t len)
{
    return doc_parse(out, e, xml, len, true);
}

int pl_doc_parse_stored(pl_doc **out, pl_err *e, const char *xml, size_t len,
                        const char *digest_hex)
{
    unsigned char digest[32];
    char hex[65];
    int rc;

    *out = NULL;
    if ((rc = pl_hash(PL_HASH_SHA256, xml, len, digest)))
        return pl_err_set(e, rc, "application: hashing the stored document");
    pl_hex(digest, sizeof digest, hex);
    if (!digest_hex || strcmp(hex, digest_hex) != 0)
        return pl_err_set(e, PLEDGER_ECORRUPT, "application: the stored document does not "
                          "match its digest %.16s... (changed outside pledger)",
                          digest_hex ? digest_hex : "(none)");
    /* The digest is the one taken of the text the library validated when
     * it stored it: the schema check would find nothing new. */
    return doc_parse(out, e, xml, len, false);
}

int pl_doc_clone(pl_doc **out, pl_err *e, const pl_doc *d)
{
    xmlDocPtr copy;

    *out = NULL;
    copy = xmlCopyDoc(d->doc, 1);
    if (!copy)
        return pl_err_oom(e);
    return doc_wrap(out, e, copy, d->kind);
}

void pl_doc_free(pl_doc *d)
{
    if (!d)
        return;
    xmlFreeDoc(d->doc);
    free(d->scratch);
    free(d);
}

pledger_kind pl_doc_kind(const pl_doc *d)
{
    return d->kind;
}

xmlDocPtr pl_doc_xml(const pl_doc *d)
{
    return d->doc;
}

/* Only what pl_doc_parse_stored() can read back is written. */
int pl_doc_to_xml(pl_doc *d, pl_err *e, char **out, size_t *len)
{
    size_t n = 0;
    int rc = pl_xml_dump(e, d->doc, out, &n);

    if (!rc && (rc = pl_xml_check_readable(e, *out, n, "application"))) {
        free(*out);
        *out = NULL;
        n = 0;
    }
    if (len)
        *len = n;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Paths                                                               */

#define MAX_STEPS 16
#define MAX_NAME 64
#define MAX_INDEX 100000

typedef struct step {
    char name[MAX_NAME];
    int index; /* 0: none given */
    bool attr;
} step;

typedef struct parsed_path {
    step steps[MAX_STEPS];
    int n;
} parsed_path;

static bool name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(char c)
{
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static int parse_step(pl_err *e, const char *path, int no, const char *s, size_t len,
                      step *st)
{
    size_t i = 0, name_len;

    memset(st, 0, sizeof *st);
    if (len == 0)
        return pl_err_set(e, PLEDGER_EINVAL, "path '%s': step %d is empty", path, no);
    if (s[0] == '@') {
        st->attr = true;
        i = 1;
    }
    if (i >= len || !name_start(s[i]))
        goto bad;
    while (i < len && name_char(s[i]))
        i++;
    name_len = i - (st->attr ? 1 : 0);
    if (name_len >= MAX_NAME)
        return pl_err_set(e, PLEDGER_EINVAL, "path '%s': step %d '%.*s': name too long", path,
                          no, (int)len, s);
    memcpy(st->name, s + (st->attr ? 1 : 0), name_len);
    st->name[name_len] = '\0';
    if (i == len)
        return 0;
    if (s[i] != '[' || s[len - 1] != ']' || st->attr)
        goto bad;
    {
        long v = 0;
        size_t j = i + 1;
        if (j >= len - 1)
            goto bad;
        for (; j < len - 1; j++) {
            if (s[j] < '0' || s[j] > '9')
                goto bad;
            v = v * 10 + (s[j] - '0');
            if (v > MAX_INDEX)
                return pl_err_set(e, PLEDGER_EINVAL, "path '%s': step %d '%.*s': index too "
                                  "large", path, no, (int)len, s);
        }
        if (v < 1)
            return pl_err_set(e, PLEDGER_EINVAL, "path '%s': step %d '%.*s': indexes start "
                              "at 1", path, no, (int)len, s);
        st->index = (int)v;
    }
    return 0;
bad:
    if (st->attr)
        return pl_err_set(e, PLEDGER_EINVAL, "path '%s': step %d '%.*s': expected @name",
                          path, no, (int)len, s);
    return pl_err_set(e, PLEDGER_EINVAL, "path '%s': step %d '%.*s': expected a name or "
                      "name[index]", path, no, (int)len, s);
}

static int parse_path(pl_err *e, const char *path, parsed_path *p)
{
    const char *s = path;

    p->n = 0;
    if (!path || !*path)
        return pl_err_set(e, PLEDGER_EINVAL, "path: empty");
    for (;;) {
        const char *slash = strchr(s, '/');
        size_t len = slash ? (size_t)(slash - s) : strlen(s);
        int rc;
        if (p->n == MAX_STEPS)
            return pl_err_set(e, PLEDGER_EINVAL, "path '%s': more than %d steps", path,
                              MAX_STEPS);
        rc = parse_step(e, path, p->n + 1, s, len, &p->steps[p->n]);
        if (rc)
            return rc;
        p->n++;
        if (!slash)
            break;
        if (p->steps[p->n - 1].attr)
            return pl_err_set(e, PLEDGER_EINVAL, "path '%s': step %d '%.*s': an attribute "
                              "must be the last step", path, p->n, (int)len, s);
        s = slash + 1;
    }
    return 0;
}

static bool step_matches(xmlNodePtr parent, xmlNodePtr c, const step *st)
{
    if (c->type != XML_ELEMENT_NODE)
        return false;
    if (is_rights(parent) && strcmp(st->name, "right") == 0)
        return true;
    return pl_xml_is(c, st->name);
}

/* The st->index-th (default 1st) child of @parent matching @st; *count
 * gets the number of matches. */
static xmlNodePtr find_child(xmlNodePtr parent, const step *st, int *count)
{
    xmlNodePtr found = NULL;
    int want = st->index ? st->index : 1, n = 0;

    for (xmlNodePtr c = parent->children; c; c = c->next) {
        if (!step_matches(parent, c, st))
            continue;
        if (++n == want)
            found = c;
    }
    if (count)
        *count = n;
    return found;
}

static bool has_element_child(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return true;
    return false;
}

/* The direct text children of @n, concatenated; malloc'd ("" when none). */
static char *direct_text(xmlNodePtr n)
{
    size_t len = 0;
    char *s;

    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            len += strlen((const char *)c->content);
    s = malloc(len + 1);
    if (!s)
        return NULL;
    len = 0;
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
            size_t l = strlen((const char *)c->content);
            memcpy(s + len, c->content, l);
            len += l;
        }
    }
    s[len] = '\0';
    return s;
}

static char *attr_text(xmlNodePtr n, const char *name)
{
    xmlAttrPtr a = n ? xmlHasNsProp(n, BAD_CAST name, NULL) : NULL;
    if (!a)
        return NULL;
    return direct_text((xmlNodePtr)a);
}

int pl_doc_get(pl_doc *d, pl_err *e, const char *path, const char **out)
{
    parsed_path p;
    xmlNodePtr node = doc_root(d);
    char *value;
    int rc;

    *out = NULL;
    rc = parse_path(e, path, &p);
    if (rc)
        return rc;
    for (int i = 0; i < p.n; i++) {
        const step *st = &p.steps[i];
        if (st->attr) {
            xmlAttrPtr a = xmlHasNsProp(node, BAD_CAST st->name, NULL);
            if (!a)
                return pl_err_set(e, PLEDGER_ENOTFOUND, "%s: not present", path);
            value = direct_text((xmlNodePtr)a);
            goto found;
        }
        node = find_child(node, st, NULL);
        if (!node)
            return pl_err_set(e, PLEDGER_ENOTFOUND, "%s: not present", path);
    }
    value = direct_text(node);
found:
    if (!value)
        return pl_err_oom(e);
    free(d->scratch);
    d->scratch = value;
    *out = value;
    return 0;
}

int pl_doc_count(pl_doc *d, pl_err *e, const char *path, int *out)
{
    parsed_path p;
    xmlNodePtr node = doc_root(d);
    const step *last;
    int rc, n = 0;

    *out = 0;
    rc = parse_path(e, path, &p);
    if (rc)
        return rc;
    last = &p.steps[p.n - 1];
    if (last->index)
        return pl_err_set(e, PLEDGER_EINVAL, "path '%s': step %d '%s[%d]': a count takes no "
                          "index on its last step", path, p.n, last->name, last->index);
    for (int i = 0; i < p.n - 1; i++) {
        node = find_child(node, &p.steps[i], NULL);
        if (!node)
            return 0;
    }
    if (last->attr)
        n = xmlHasNsProp(node, BAD_CAST last->name, NULL) ? 1 : 0;
    else
        find_child(node, last, &n);
    *out = n;
    return 0;
}

/* Validate @copy (an edited copy of d->doc) and make it d's document, or
 * free it and report. */
static int commit_copy(pl_doc *d, pl_err *e, xmlDocPtr copy, const char *what)
{
    int rc = pl_xml_validate(e, copy, PL_XML_SCHEMA, what);
    if (rc == 0)
        rc = check_rights(e, copy, d->kind, what);
    if (rc) {
        xmlFreeDoc(copy);
        return rc;
    }
    xmlFreeDoc(d->doc);
    d->doc = copy;
    return 0;
}

/* Append a new element @name to @parent.  White space alone in @parent
 * (<rights>\n</rights>) goes first, so it does not become mixed content
 * and the document keeps serialising with a stable indentation. */
static xmlNodePtr new_child(xmlDocPtr doc, xmlNodePtr parent, const char *name)
{
    xmlNodePtr n, c = parent->children;

    while (c) {
        xmlNodePtr next = c->next;
        if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c)) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        }
        c = next;
    }
    n = xmlNewDocNode(doc, xmlDocGetRootElement(doc)->ns, BAD_CAST name, NULL);
    if (!n)
        return NULL;
    if (!xmlAddChild(parent, n)) {
        xmlFreeNode(n);
        return NULL;
    }
    return n;
}

static int set_text(xmlDocPtr doc, xmlNodePtr n, const char *value)
{
    xmlNodePtr c = n->children, t;

    while (c) {
        xmlNodePtr next = c->next;
        xmlUnlinkNode(c);
        xmlFreeNode(c);
        c = next;
    }
    if (!*value)
        return 0;
    t = xmlNewDocText(doc, BAD_CAST value);
    if (!t)
        return -1;
    if (!xmlAddChild(n, t)) {
        xmlFreeNode(t);
        return -1;
    }
    return 0;
}

int pl_doc_set(pl_doc *d, pl_err *e, const char *path, const char *value)
{
    parsed_path p;
    xmlDocPtr copy;
    xmlNodePtr node;
    const step *last;
    char what[300];
    int rc, elements;

    rc = parse_path(e, path, &p);
    if (rc)
        return rc;
    last = &p.steps[p.n - 1];
    if (value) {
        rc = pl_xml_check_text(e, value, path);
        if (rc)
            return rc;
    }
    if (p.n == 1 && last->attr &&
        (strcmp(last->name, "kind") == 0 || strcmp(last->name, "version") == 0))
        return pl_err_set(e, PLEDGER_EINVAL, "%s: cannot be changed (start a new application "
                          "of the other kind)", path);
    if (last->attr && strncasecmp(last->name, "xml", 3) == 0)
        return pl_err_set(e, PLEDGER_EINVAL, "path '%s': step %d '@%s': reserved attribute "
                          "name", path, p.n, last->name);

    copy = xmlCopyDoc(d->doc, 1);
    if (!copy)
        return pl_err_oom(e);
    node = xmlDocGetRootElement(copy);
    elements = last->attr ? p.n - 1 : p.n;
    for (int i = 0; i < elements; i++) {
        const step *st = &p.steps[i];
        int count = 0;
        xmlNodePtr child = find_child(node, st, &count);
        if (!child) {
            int want = st->index ? st->index : 1;
            const char *name = st->name;
            if (!value) {
                xmlFreeDoc(copy);
                return 0; /* nothing to remove */
            }
            if (want != count + 1) {
                xmlFreeDoc(copy);
                return pl_err_set(e, PLEDGER_EINVAL, "path '%s': step %d '%s[%d]': index out "
                                  "of range (%d present, at most %d)", path, i + 1, st->name,
                                  want, count, count + 1);
            }
            if (is_rights(node) && strcmp(name, "right") == 0)
                name = pl_kind_name(d->kind);
            child = new_child(copy, node, name);
            if (!child) {
                xmlFreeDoc(copy);
                return pl_err_oom(e);
            }
        }
        node = child;
    }

    if (last->attr) {
        if (value) {
            if (!xmlSetProp(node, BAD_CAST last->name, BAD_CAST value)) {
                xmlFreeDoc(copy);
                return pl_err_oom(e);
            }
        } else if (!xmlHasNsProp(node, BAD_CAST last->name, NULL)) {
            xmlFreeDoc(copy);
            return 0;
        } else {
            xmlUnsetProp(node, BAD_CAST last->name);
        }
    } else if (!value) {
        xmlUnlinkNode(node);
        xmlFreeNode(node);
    } else {
        if (has_element_child(node)) {
            xmlFreeDoc(copy);
            return pl_err_set(e, PLEDGER_EINVAL, "%s: holds elements; set its fields instead",
                              path);
        }
        if (set_text(copy, node, value) != 0) {
            xmlFreeDoc(copy);
            return pl_err_oom(e);
        }
    }
    snprintf(what, sizeof what, "set %s", path);
    return commit_copy(d, e, copy, what);
}

int pl_doc_add_material(pl_doc *d, pl_err *e, const char *kind, const char *file_name,
                        const void *bytes, size_t len)
{
    unsigned char digest[32];
    char hex[65], size[32];
    xmlDocPtr copy;
    xmlNodePtr root, materials, m;
    int rc;

    if (!kind)
        return pl_err_set(e, PLEDGER_EINVAL, "material: no kind given");
    if (!bytes && len)
        return pl_err_set(e, PLEDGER_EINVAL, "material: no bytes given");
    rc = pl_xml_check_text(e, kind, "material kind");
    if (!rc && file_name)
        rc = pl_xml_check_text(e, file_name, "material file_name");
    if (rc)
        return rc;
    rc = pl_hash(PL_HASH_SHA256, bytes ? bytes : "", len, digest);
    if (rc)
        return pl_err_set(e, rc, "material: cannot compute its SHA-256");
    pl_hex(digest, sizeof digest, hex);
    snprintf(size, sizeof size, "%zu", len);

    copy = xmlCopyDoc(d->doc, 1);
    if (!copy)
        return pl_err_oom(e);
    root = xmlDocGetRootElement(copy);
    materials = pl_xml_child(root, "materials");
    if (!materials)
        materials = new_child(copy, root, "materials");
    m = materials ? new_child(copy, materials, "material") : NULL;
    if (!m || !xmlSetProp(m, BAD_CAST "kind", BAD_CAST kind))
        goto oom;
    if (file_name) {
        xmlNodePtr f = new_child(copy, m, "file_name");
        if (!f || set_text(copy, f, file_name) != 0)
            goto oom;
    }
    {
        xmlNodePtr s = new_child(copy, m, "size");
        xmlNodePtr h = s ? new_child(copy, m, "sha256") : NULL;
        if (!h || set_text(copy, s, size) != 0 || set_text(copy, h, hex) != 0)
            goto oom;
    }
    return commit_copy(d, e, copy, "add material");
oom:
    xmlFreeDoc(copy);
    return pl_err_oom(e);
}

/* ------------------------------------------------------------------ */
/* Extraction                                                          */

typedef struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
} block;

struct pl_app_arena {
    block *head;
};

typedef struct ex {
    pl_app *app;
    pl_app_arena *arena;
    xmlNodePtr root;
    int32_t today;
    bool oom;
} ex;

static void *ex_alloc(ex *x, size_t n)
{
    block *b = x->arena->head;
    const size_t align = sizeof(max_align_t);
    char *p;

    if (x->oom)
        return NULL;
    n = (n + align - 1) / align * align;
    if (n == 0)
        n = align;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 16384 ? n : 16384;
        b = malloc(sizeof *b + cap);
        if (!b) {
            x->oom = true;
            return NULL;
        }
        b->next = x->arena->head;
        b->used = 0;
        b->cap = cap;
        x->arena->head = b;
    }
    p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
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

/* Trimmed copy of @s in the arena; NULL when @s is NULL or blank. */
static const char *ex_trim(ex *x, const char *s)
{
    size_t n;
    if (!s)
        return NULL;
    while (is_space(*s))
        s++;
    n = strlen(s);
    while (n > 0 && is_space(s[n - 1]))
        n--;
    return n ? ex_strndup(x, s, n) : NULL;
}

static const char *node_text(ex *x, xmlNodePtr n)
{
    char *s;
    const char *r;
    if (!n)
        return NULL;
    s = direct_text(n);
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
    s = attr_text(n, name);
    if (!s) {
        x->oom = true;
        return NULL;
    }
    r = ex_trim(x, s);
    free(s);
    return r;
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
    out->raw = node_text(x, pl_xml_child(parent, name));
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
    out->raw = node_text(x, n);
    out->has = out->raw != NULL;
    out->valid = out->raw && parse_int64(out->raw, &out->minor);
    if (!out->valid)
        out->minor = 0;
    out->currency = node_attr(x, n, "currency");
}

static void get_measure(ex *x, xmlNodePtr parent, const char *base, const char *name,
                        pl_app_measure *out)
{
    xmlNodePtr n = pl_xml_child(parent, name);

    out->path = join(x, base, name);
    out->unit_path = join(x, out->path, "@unit");
    out->raw = node_text(x, n);
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
    get_flag_text(x, node_text(x, pl_xml_child(parent, name)), out);
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
    out->type = (pl_party_type)name_index(party_type_names, 4, node_attr(x, n, "type"));
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
    id_type = node_attr(x, id, "type");
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
    get_flag_text(x, node_attr(x, n, "consent"), &out->consent);
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
    raw = node_text(x, pl_xml_child(r, "classes"));
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

static void right_key(ex *x, pl_app_right *r)
{
    const pl_app *app = x->app;

    switch (r->kind) {
    case PLEDGER_KIND_TRADEMARK:
    case PLEDGER_KIND_PATENT:
        r->key = r->number.norm;
        break;
    case PLEDGER_KIND_RECEIVABLE: {
        const char *debtor = r->n_debtors ? r->debtors[0].id_norm : NULL;
        char *contract = NULL;
        if (r->contract_number.text) {
            contract = pl_text_normalize_id(r->contract_number.text);
            if (!contract)
                x->oom = true;
        }
        if (debtor && contract && *contract)
            r->key = ex_printf(x, "%s/%s", debtor, contract);
        else
            r->key = desc_key(x, r->description.text);
        free(contract);
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
}

static const char *const patent_type_names[] = { NULL, "invention", "utility_model", "design" };

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
        break;
    case PLEDGER_KIND_PATENT:
        get_ident(x, r, path, "number", PLEDGER_ID_PATENT, &out->number);
        get_text(x, r, path, "title", &out->title);
        out->patent_type_path = join(x, path, "patent_type");
        out->patent_type = (pl_patent_type)name_index(
            patent_type_names, 4, node_text(x, pl_xml_child(r, "patent_type")));
        get_date(x, r, path, "filing_date", &out->filing_date);
        get_date(x, r, path, "grant_date", &out->grant_date);
        sub = join(x, path, "co_owners");
        out->co_owners_path = sub;
        get_parties(x, pl_xml_child(r, "co_owners"), sub, &out->co_owners, &out->n_co_owners);
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
        break;
    case PLEDGER_KIND_SEA_AREA:
    case PLEDGER_KIND_LAND:
        get_ident(x, r, path, "certificate_number", PLEDGER_ID_CERTIFICATE,
                  &out->certificate_number);
        get_text(x, r, path, "location", &out->location);
        get_measure(x, r, path, "area", &out->area);
        get_date(x, r, path, "term_start", &out->term_start);
        get_date(x, r, path, "term_end", &out->term_end);
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
    c->type = (pl_claim_type)name_index(claim_type_names, 5,
                                        node_text(x, pl_xml_child(n, "type")));
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
    c->clauses_raw = node_text(x, pl_xml_child(n, "clauses"));
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
        m->kind = pl_material_kind_from_name(node_attr(x, c, "kind"));
        get_text(x, c, path, "file_name", &m->file_name);
        m->size_path = join(x, path, "size");
        size = node_text(x, pl_xml_child(c, "size"));
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
        r->code = (pl_risk_code)name_index(risk_names, 3, node_attr(x, c, "code"));
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
    app->arena = calloc(1, sizeof *app->arena);
    if (!app->arena) {
        free(app);
        return pl_err_oom(e);
    }
    memset(&x, 0, sizeof x);
    x.app = app;
    x.arena = app->arena;
    x.root = doc_root(d);
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
    if (app->arena) {
        block *b = app->arena->head;
        while (b) {
            block *next = b->next;
            free(b);
            b = next;
        }
        free(app->arena);
    }
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
