/* The envelope of a bulk filing (filings.h), read with libxml2. */
#include "filings.h"
#include "language.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS "urn:pledger:1"

static bool named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, NS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

/* Element @el as a document of its own (its namespaces declared on it). */
static int application_of(xmlNode *el, size_t i, pledger_application **out, char *msg,
                          size_t msg_size)
{
    xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNode *copy = doc ? xmlDocCopyNode(el, doc, 1) : NULL;
    xmlChar *text = NULL;
    int len = 0, rc;

    if (!copy) {
        xmlFreeDoc(doc);
        snprintf(msg, msg_size, TR("filings/application[%zu]: out of memory"), i + 1);
        return PLEDGER_ENOMEM;
    }
    xmlDocSetRootElement(doc, copy);
    xmlReconciliateNs(doc, copy);
    xmlDocDumpMemoryEnc(doc, &text, &len, "UTF-8");
    xmlFreeDoc(doc);
    if (!text) {
        snprintf(msg, msg_size, TR("filings/application[%zu]: out of memory"), i + 1);
        return PLEDGER_ENOMEM;
    }
    rc = pledger_application_from_xml(out, (const char *)text, (size_t)len);
    xmlFree(text);
    if (rc)
        snprintf(msg, msg_size, TR("filings/application[%zu]: %s"), i + 1, pledger_errmsg(NULL));
    return rc;
}

int filings_parse(const char *body, size_t len, pledger_application ***apps, size_t *n,
                  char *msg, size_t msg_size)
{
    xmlDoc *doc;
    xmlNode *root;
    size_t count = 0, i = 0;
    int rc = 0;

    *apps = NULL;
    *n = 0;
    if (!body || len == 0 || len > (size_t)0x7fffffff) {
        snprintf(msg, msg_size, TR("the request body must be a <filings> document (XML)"));
        return PLEDGER_EINVAL;
    }
    doc = xmlReadMemory(body, (int)len, "filings.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        snprintf(msg, msg_size, TR("filings: line %d: %s"), e ? e->line : 0,
                 e && e->message ? e->message : "not well-formed XML");
        size_t l = strlen(msg);
        if (l && msg[l - 1] == '\n')
            msg[l - 1] = '\0';
        return PLEDGER_EXML;
    }
    root = xmlDocGetRootElement(doc);
    if (doc->intSubset || doc->extSubset) {
        snprintf(msg, msg_size, TR("filings: a DOCTYPE declaration is not allowed"));
        rc = PLEDGER_EXML;
    } else if (!root || !named(root, "filings")) {
        snprintf(msg, msg_size,
                 TR("filings: the root element must be <filings xmlns=\"urn:pledger:1\">"));
        rc = PLEDGER_EINVAL;
    }
    for (xmlNode *c = root && !rc ? root->children : NULL; c && !rc; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            if (!named(c, "application")) {
                snprintf(msg, msg_size, TR("filings: element <%.64s> at line %ld: only "
                         "<application> elements may be filed"), (const char *)c->name,
                         (long)xmlGetLineNo(c));
                rc = PLEDGER_EINVAL;
            } else if (++count > FILINGS_MAX) {
                snprintf(msg, msg_size, TR("filings: more than %d applications in one request"),
                         FILINGS_MAX);
                rc = PLEDGER_EINVAL;
            }
        } else if (c->type == XML_TEXT_NODE && !xmlIsBlankNode(c)) {
            snprintf(msg, msg_size, TR("filings: text at line %ld between the applications"),
                     (long)xmlGetLineNo(c));
            rc = PLEDGER_EINVAL;
        }
    }
    if (!rc && count == 0) {
        snprintf(msg, msg_size, TR("filings: no <application> to file"));
        rc = PLEDGER_EINVAL;
    }
    if (!rc && !(*apps = calloc(count, sizeof **apps))) {
        snprintf(msg, msg_size, TR("out of memory"));
        rc = PLEDGER_ENOMEM;
    }
    for (xmlNode *c = !rc ? root->children : NULL; c && !rc; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        rc = application_of(c, i, &(*apps)[i], msg, msg_size);
        if (!rc)
            i++;
    }
    xmlFreeDoc(doc);
    if (rc) {
        filings_free(*apps, i);
        *apps = NULL;
        return rc;
    }
    *n = count;
    return 0;
}

void filings_free(pledger_application **apps, size_t n)
{
    for (size_t i = 0; apps && i < n; i++)
        pledger_application_free(apps[i]);
    free(apps);
}
