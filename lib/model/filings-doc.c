/* A bulk filing as one document (filings-doc.h). */
#include "model/filings-doc.h"

#include <stdlib.h>

#include <libxml/tree.h>

#include "model/xml.h"

void pl_filings_free(pl_doc **docs, size_t n)
{
    for (size_t i = 0; docs && i < n; i++)
        pl_doc_free(docs[i]);
    free(docs);
}

/* @el, the @i-th application (from 0), as a document of its own: a copy
 * keeps the envelope's lines, so that what is wrong with it is named at
 * its line of the envelope. */
static int application_of(pl_err *e, xmlNodePtr el, size_t i, pl_doc **out)
{
    xmlDocPtr doc;

    *out = NULL;
    if (pl_xml_doc_of(e, el, &doc))
        return PLEDGER_ENOMEM;
    /* the namespaces declared on <filings> are declared on the copy */
    if (xmlReconciliateNs(doc, xmlDocGetRootElement(doc)) < 0) {
        xmlFreeDoc(doc);
        return pl_err_oom(e);
    }
    int rc = pl_doc_adopt(out, e, doc);
    if (rc)
        pl_err_prefix(e, "filings/application[%zu]", i + 1);
    return rc;
}

/* The applications of the envelope's root @root counted, or what else
 * it holds refused: 0 and *@count, or an error code. */
static int count_applications(pl_err *e, xmlNodePtr root, size_t max, size_t *count)
{
    size_t n = 0;

    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            if (!pl_xml_is(c, "application"))
                return pl_err_set(e, PLEDGER_EINVAL, "filings: element <%.64s> at line %ld: "
                                  "only <application> elements may be filed",
                                  (const char *)c->name, xmlGetLineNo(c));
            if (++n > max)
                return pl_err_set(e, PLEDGER_EINVAL, "filings: more than %zu applications "
                                  "(the most one filing holds)", max);
        } else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
                   !xmlIsBlankNode(c)) {
            return pl_err_set(e, PLEDGER_EINVAL, "filings: text at line %ld between the "
                              "applications", xmlGetLineNo(c));
        }
    }
    if (n == 0)
        return pl_err_set(e, PLEDGER_EINVAL, "filings: no <application> to file");
    *count = n;
    return 0;
}

int pl_filings_parse(pl_err *e, const char *xml, size_t len, size_t max, pl_doc ***docs,
                     size_t *n)
{
    xmlDocPtr doc = NULL;
    pl_doc **out = NULL;
    size_t count = 0, i = 0;
    int rc;

    *docs = NULL;
    *n = 0;
    if ((rc = pl_xml_parse_large(e, xml, len, "filings", PL_FILINGS_MAX_SIZE,
                                 PL_FILINGS_MAX_NODES, &doc)))
        return rc;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!pl_xml_is(root, "filings"))
        rc = pl_err_set(e, PLEDGER_EINVAL, "filings: the root element must be <filings "
                        "xmlns=\"urn:pledger:1\">");
    if (!rc)
        rc = count_applications(e, root, max, &count);
    if (!rc && !(out = calloc(count, sizeof *out)))
        rc = pl_err_oom(e);
    /* each application freed from the envelope once copied: the largest
     * filing holds the tree once, not twice */
    for (xmlNodePtr c = rc ? NULL : root->children, next; c && !rc; c = next) {
        next = c->next;
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!(rc = application_of(e, c, i, &out[i])))
            i++;
        xmlUnlinkNode(c);
        xmlFreeNode(c);
    }
    xmlFreeDoc(doc);
    if (rc) {
        pl_filings_free(out, i);
        return rc;
    }
    *docs = out;
    *n = count;
    return 0;
}
