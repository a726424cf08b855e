/* Signed documents of pledger (signed certificates, verification
 * statements, exchange batches and receipts): made by signing exactly
 * the bytes a reader will parse, and opened by checking the root, the
 * signature against the reader's trusted keys, and the schema. */
#ifndef PL_MODEL_SIGNED_DOC_H
#define PL_MODEL_SIGNED_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "base/error.h"
#include "model/xmlsig.h"

/* A new document whose root is @name in PL_XML_NS with version="1";
 * NULL when out of memory. */
xmlDocPtr pl_signed_doc_new(const char *name, xmlNodePtr *root, xmlNsPtr *ns);

/* Indent @doc once, read it back (with the limits @max_size, @max_items
 * of pl_xml_parse_large()), sign it with @key and serialise it as signed
 * into *@out (malloc'd, NUL-terminated; *@len its length, @len may be
 * NULL). */
int pl_signed_doc_finish(pl_err *e, xmlDocPtr doc, const char *what, const pl_doc_key *key,
                         size_t max_size, size_t max_items, char **out, size_t *len);

/* Parse @xml (those limits), check its root is @root, its signature
 * against the @n @keys (*@signer: the name of the key that verified it,
 * allocated) and the embedded schema @schema.  *@doc: the document (free
 * it with xmlFreeDoc), NULL on failure. */
int pl_signed_doc_open(pl_err *e, const char *xml, size_t len, const char *root,
                       const char *what, const char *schema, size_t max_size, size_t max_items,
                       const pl_doc_key *const *keys, size_t n, xmlDocPtr *doc, char **signer);

/* @xml (a document this library signed; the limits of
 * pl_signed_doc_finish()) signed with @key: the same bytes when @key
 * verifies its signature, else the same content with its signature made
 * anew by @key (the signed content's identity, pl_xmlsig_signed_digest(),
 * unchanged: checked).  Into *@out (malloc'd; *@len its length, @len may
 * be NULL); *@resigned says which. */
int pl_signed_doc_resign(pl_err *e, const char *xml, size_t xml_len, const char *what,
                         const pl_doc_key *key, size_t max_size, size_t max_items, char **out,
                         size_t *len, bool *resigned);

/* The checks of pl_signed_doc_open() on a parsed @doc. */
int pl_signed_doc_check(pl_err *e, xmlDocPtr doc, const char *root, const char *what,
                        const char *schema, const pl_doc_key *const *keys, size_t n,
                        char **signer);

#endif
