#include "model/signed-doc.h"

#include <stdlib.h>
#include <string.h>

#include "model/xml.h"

xmlDocPtr pl_signed_doc_new(const char *name, xmlNodePtr *root, xmlNsPtr *ns)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    *root = doc ? xmlNewDocNode(doc, NULL, BAD_CAST name, NULL) : NULL;
    *ns = *root ? xmlNewNs(*root, BAD_CAST PL_XML_NS, NULL) : NULL;
    if (!*ns) {
        if (*root)
            xmlFreeNode(*root);
        xmlFreeDoc(doc);
        return NULL;
    }
    xmlSetNs(*root, *ns);
    xmlDocSetRootElement(doc, *root);
    if (!xmlNewProp(*root, BAD_CAST "version", BAD_CAST "1")) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* @doc serialised as signed, into *@out (malloc'd, NUL-terminated; *@len
 * its length, @len may be NULL). */
static int dump_signed(pl_err *e, xmlDocPtr doc, char **out, size_t *len)
{
    xmlChar *mem = NULL;
    int size = 0, rc = 0;

    xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 0);
    if (!mem || size <= 0 || !(*out = malloc((size_t)size + 1))) {
        rc = pl_err_oom(e);
    } else {
        memcpy(*out, mem, (size_t)size);
        (*out)[size] = '\0';
        if (len)
            *len = (size_t)size;
    }
    xmlFree(mem);
    return rc;
}

int pl_signed_doc_finish(pl_err *e, xmlDocPtr doc, const char *what, const pl_doc_key *key,
                         size_t max_size, size_t max_items, char **out, size_t *len)
{
    char *text = NULL;
    size_t text_len = 0;
    xmlDocPtr signed_doc = NULL;
    int rc;

    *out = NULL;
    if (!(rc = pl_xml_dump(e, doc, &text, &text_len)) &&
        !(rc = pl_xml_parse_large(e, text, text_len, what, max_size, max_items, &signed_doc)) &&
        !(rc = pl_xmlsig_sign(e, signed_doc, key)))
        rc = dump_signed(e, signed_doc, out, len);
    free(text);
    xmlFreeDoc(signed_doc);
    return rc;
}

int pl_signed_doc_resign(pl_err *e, const char *xml, size_t xml_len, const char *what,
                         const pl_doc_key *key, size_t max_size, size_t max_items, char **out,
                         size_t *len, bool *resigned)
{
    xmlDocPtr doc = NULL;
    const pl_doc_key *signer = NULL;
    char before[65], after[65];
    int rc;

    *out = NULL;
    *resigned = false;
    if ((rc = pl_xml_parse_large(e, xml, xml_len, what, max_size, max_items, &doc)))
        return rc;
    if (pl_xmlsig_verify(e, doc, &key, 1, &signer) == 0) {
        pl_err_clear(e);
        xmlFreeDoc(doc);
        if (!(*out = malloc(xml_len + 1)))
            return pl_err_oom(e);
        memcpy(*out, xml, xml_len);
        (*out)[xml_len] = '\0';
        if (len)
            *len = xml_len;
        return 0;
    }
    pl_err_clear(e);
    /* the signature is the root's last element (pl_xmlsig_sign) */
    xmlNodePtr root = xmlDocGetRootElement(doc), sig = NULL;
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            sig = c;
    if ((rc = pl_xmlsig_signed_digest(e, doc, before)))
        goto done;
    xmlUnlinkNode(sig);
    xmlFreeNode(sig);
    if ((rc = pl_xmlsig_sign(e, doc, key)) || (rc = pl_xmlsig_signed_digest(e, doc, after)))
        goto done;
    if (strcmp(before, after) != 0) {
        rc = pl_err_set(e, PLEDGER_ECORRUPT, "%s: signed again, its content reads otherwise "
                        "(%s, was %s)", what, after, before);
        goto done;
    }
    if (!(rc = dump_signed(e, doc, out, len)))
        *resigned = true;
done:
    xmlFreeDoc(doc);
    return rc;
}

int pl_signed_doc_check(pl_err *e, xmlDocPtr doc, const char *root_name, const char *what,
                        const char *schema, const pl_doc_key *const *keys, size_t n,
                        char **signer)
{
    const pl_doc_key *key = NULL;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    int rc;

    *signer = NULL;
    if (!pl_xml_is(root, root_name))
        rc = pl_err_set(e, PLEDGER_EXML, "%s: the root is <%s>, not <%s>", what,
                        (const char *)root->name, root_name);
    else if ((rc = pl_xmlsig_verify(e, doc, keys, n, &key)))
        pl_err_prefix(e, "%s: signature", what);
    else if (!(*signer = strdup(pl_doc_key_name(key))))
        rc = pl_err_oom(e);
    else if ((rc = pl_xml_validate(e, doc, schema, what))) {
        free(*signer);
        *signer = NULL;
    }
    return rc;
}

int pl_signed_doc_open(pl_err *e, const char *xml, size_t len, const char *root_name,
                       const char *what, const char *schema, size_t max_size, size_t max_items,
                       const pl_doc_key *const *keys, size_t n, xmlDocPtr *doc, char **signer)
{
    int rc;

    *signer = NULL;
    *doc = NULL;
    if ((rc = pl_xml_check_utf8_declared(e, xml, len, what)) ||
        (rc = pl_xml_parse_large(e, xml, len, what, max_size, max_items, doc)))
        return rc;
    if ((rc = pl_signed_doc_check(e, *doc, root_name, what, schema, keys, n, signer))) {
        xmlFreeDoc(*doc);
        *doc = NULL;
    }
    return rc;
}
