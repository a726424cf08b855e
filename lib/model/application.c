/* The application document: the handle (new, parse, clone, serialise)
 * and the names of materials.  Field paths are in app-path.c, the
 * extraction for the review in app-extract.c (model/application.h). */
#include "model/application.h"
#include "model/app-doc.h"
#include "model/kinds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "model/xml.h"

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

int pl_name_index(const char *const *names, int n, const char *name)
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

xmlNodePtr pl_doc_root(const pl_doc *d)
{
    return xmlDocGetRootElement(d->doc);
}

bool pl_doc_is_rights(xmlNodePtr n)
{
    return pl_xml_is(n, "rights") && n->parent && n->parent->type == XML_ELEMENT_NODE &&
           n->parent->parent && n->parent->parent->type == XML_DOCUMENT_NODE;
}

int pl_doc_check_rights(pl_err *e, xmlDocPtr doc, pledger_kind kind, const char *what)
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
    if (pl_doc_validate(e, doc, "application") != 0) {
        xmlFreeDoc(doc);
        return e ? e->code : PLEDGER_EXML;
    }
    return doc_wrap(out, e, doc, kind);
}

/* What doc_checked() checks: nothing but the root and the kinds (a stored
 * document), everything (one filed here), or everything but the control
 * characters (one another registry filed and sends: refused for one of
 * its texts filed before the rule, it would stop the exchange line). */
enum { CHECK_STORED, CHECK_FILED, CHECK_RECEIVED };

/* Strip the parsed @doc (taken: wrapped or freed), then (unless
 * CHECK_STORED) validate it against the schema; the root, its kind and
 * the kinds of the rights are always checked. */
static int doc_checked(pl_doc **out, pl_err *e, xmlDocPtr doc, int check)
{
    xmlNodePtr root;
    xmlChar *kind_attr;
    pledger_kind kind;
    int rc;

    root = xmlDocGetRootElement(doc);
    if (!pl_xml_is(root, "application")) {
        pl_err_set(e, PLEDGER_EXML, "application: line %ld: root element is <%s>, expected "
                   "<application>", xmlGetLineNo(root), (const char *)root->name);
        xmlFreeDoc(doc);
        return PLEDGER_EXML;
    }
    pl_xml_strip(doc);
    bool validate = check != CHECK_STORED;
    if (validate && (rc = check == CHECK_FILED
                              ? pl_doc_validate(e, doc, "application")
                              : pl_doc_validate_received(e, doc, "application"))) {
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
    rc = pl_doc_check_rights(e, doc, kind, "application");
    if (rc) {
        xmlFreeDoc(doc);
        return rc;
    }
    return doc_wrap(out, e, doc, kind);
}

/* Parse, then doc_checked(). */
static int doc_parse(pl_doc **out, pl_err *e, const char *xml, size_t len, int check)
{
    xmlDocPtr doc = NULL;
    int rc;

    *out = NULL;
    rc = pl_xml_parse(e, xml, len, "application", &doc);
    if (rc)
        return rc;
    return doc_checked(out, e, doc, check);
}

int pl_doc_adopt(pl_doc **out, pl_err *e, xmlDocPtr doc)
{
    *out = NULL;
    return doc_checked(out, e, doc, CHECK_FILED);
}

int pl_doc_parse(pl_doc **out, pl_err *e, const char *xml, size_t len)
{
    return doc_parse(out, e, xml, len, CHECK_FILED);
}

static int parse_digested(pl_doc **out, pl_err *e, const char *xml, size_t len,
                          const char *digest_hex, int check)
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
    return doc_parse(out, e, xml, len, check);
}

int pl_doc_parse_stored(pl_doc **out, pl_err *e, const char *xml, size_t len,
                        const char *digest_hex)
{
    /* The digest is the one taken of the text the library validated when
     * it stored it: the schema check would find nothing new. */
    return parse_digested(out, e, xml, len, digest_hex, CHECK_STORED);
}

int pl_doc_parse_received(pl_doc **out, pl_err *e, const char *xml, size_t len,
                          const char *digest_hex)
{
    /* another registry's text: checked as every document filed here is,
     * but for the control characters (doc_checked) */
    return parse_digested(out, e, xml, len, digest_hex, CHECK_RECEIVED);
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
