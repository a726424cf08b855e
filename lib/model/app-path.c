/* Field paths over the application document: parse a path, read, count
 * and set the text at it, add a material (model/application.h, "Paths"). */
#include "model/application.h"
#include "model/app-doc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/ident.h"
#include "base/text.h"
#include "model/kinds.h"
#include "model/xml.h"

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
    if (pl_doc_is_rights(parent) && strcmp(st->name, "right") == 0)
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

char *pl_doc_direct_text(xmlNodePtr n)
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

char *pl_doc_attr_text(xmlNodePtr n, const char *name)
{
    xmlAttrPtr a = n ? xmlHasNsProp(n, BAD_CAST name, NULL) : NULL;
    if (!a)
        return NULL;
    return pl_doc_direct_text((xmlNodePtr)a);
}

int pl_doc_get(pl_doc *d, pl_err *e, const char *path, const char **out)
{
    parsed_path p;
    xmlNodePtr node = pl_doc_root(d);
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
            value = pl_doc_direct_text((xmlNodePtr)a);
            goto found;
        }
        node = find_child(node, st, NULL);
        if (!node)
            return pl_err_set(e, PLEDGER_ENOTFOUND, "%s: not present", path);
    }
    value = pl_doc_direct_text(node);
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
    xmlNodePtr node = pl_doc_root(d);
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
    int rc = pl_doc_validate(e, copy, what);
    if (rc == 0)
        rc = pl_doc_check_rights(e, copy, d->kind, what);
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
        uint32_t cp;
        size_t at;
        if (pl_text_control(value, !last->attr && pl_doc_multi_line(last->name)
                                       ? PL_TEXT_LINES : PL_TEXT_TRIMMED, &cp, &at))
            return pl_err_set(e, PLEDGER_EINVAL, "%s: %s holds U+%04X at character %zu: a "
                              "control character (or one that turns text around), which no "
                              "text given to the registry may carry", path, "value",
                              (unsigned)cp, at);
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
            if (pl_doc_is_rights(node) && strcmp(name, "right") == 0)
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
    {
        uint32_t cp;
        size_t at;
        const char *which = pl_text_control(kind, PL_TEXT_TRIMMED, &cp, &at) ? "kind"
                            : file_name && pl_text_control(file_name, PL_TEXT_TRIMMED, &cp, &at)
                                ? "file_name"
                                : NULL;
        if (which)
            return pl_err_set(e, PLEDGER_EINVAL, "%s: %s holds U+%04X at character %zu: a "
                              "control character (or one that turns text around), which no "
                              "text given to the registry may carry", "material", which,
                              (unsigned)cp, at);
    }
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
