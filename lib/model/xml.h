/* Secure XML for the documents of namespace urn:pledger:1 (docs/design.md §2):
 * parsing untrusted input with the network off and no DTD at all, the
 * embedded XML Schema compiled once per process, validation with a message
 * that names the line and the short path of the first problem, and the
 * short paths themselves ("pledgor/name", "rights/right[2]/number").
 *
 * libxml2 errors are captured per call and reported through pl_err; this
 * module never prints to stderr. */
#ifndef PL_MODEL_XML_H
#define PL_MODEL_XML_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "base/error.h"

/* The namespace of every pledger document. */
#define PL_XML_NS "urn:pledger:1"
/* The schema that describes application, certificate and pledge. */
#define PL_XML_SCHEMA "pledger.xsd"
/* Limits on untrusted input. */
#define PL_XML_MAX_SIZE ((size_t)16 * 1024 * 1024)
#define PL_XML_MAX_DEPTH 64
/* Elements, attributes, namespace declarations and text nodes of one
 * document: about 240 bytes each in libxml2's tree, so the tree of the
 * largest document stays under 32 MiB (a 16 MiB document of empty
 * elements would otherwise take 580 MB). */
#define PL_XML_MAX_ITEMS 100000

/* Limits of the lexical guard (pl_xml_guard), which bound what libxml2
 * holds at once whatever the input: a tag, comment, processing
 * instruction, CDATA section or declaration of at most PL_XML_MAX_MARKUP
 * bytes from '<' to '>', and at most PL_XML_MAX_ATTRS attributes
 * (namespace declarations included) in one tag.  Text between tags is
 * bounded by libxml2 itself (10,000,000 bytes a node without
 * XML_PARSE_HUGE, which no parser here sets). */
#define PL_XML_MAX_MARKUP ((size_t)1 << 20)
#define PL_XML_MAX_ATTRS 256
/* Comments and processing instructions in a row, no start or end tag
 * between them: libxml2's reader parses them all ahead before it gives
 * the next node (and keeps them until then), so a register file of 200
 * MB of comments took 5 GB while it was streamed. */
#define PL_XML_MAX_QUIET 10000

/* A lexical pass over XML bytes before libxml2 sees them, fed in pieces
 * of any size.  It refuses, naming the line: a construct longer than
 * PL_XML_MAX_MARKUP, a tag with more than PL_XML_MAX_ATTRS attributes,
 * more than PL_XML_MAX_QUIET comments and processing instructions with no
 * tag between them, and a DOCTYPE declaration (so an internal subset, its entities
 * included, never reaches the parser).  It knows comments, processing
 * instructions, CDATA sections and quoted attribute values, so their
 * content does not count as markup. */
typedef struct pl_xml_guard {
    int state;
    unsigned match;  /* bytes matched of "<!DOCTYPE", "<!--", "<![CDATA[" or a terminator */
    char quote;      /* in a quoted attribute value: its quote */
    size_t len;      /* bytes of the current construct, from its '<' */
    unsigned attrs;  /* '=' outside quotes in the current tag */
    long line;       /* of the next byte */
    long start_line; /* of the current construct's '<' */
    size_t items;    /* start tags, attributes, runs of text, comments and
                      * processing instructions so far: at least what
                      * pl_xml_parse counts against PL_XML_MAX_ITEMS */
    size_t quiet;    /* comments and processing instructions since the last tag */
    bool begun;      /* a byte was read before the current construct's '<' */
    bool failed;
    char why[160];   /* what was refused; the line is start_line */
    char why_local[480]; /* @why in the messages' language ("" when the same) */
} pl_xml_guard;

/* What @g refused, its translation remembered for the next message
 * formatted (pl_frag_pair): the argument to pass for @g->why. */
const char *pl_xml_guard_why(const pl_xml_guard *g);

/* Start a guard at line 1. */
void pl_xml_guard_init(pl_xml_guard *g);

/* Scan the next @n bytes.  Returns 0, or -1 once a limit is passed (and
 * from then on): g->why says what, g->start_line where. */
int pl_xml_guard_feed(pl_xml_guard *g, const char *p, size_t n);

/* Refuse (PLEDGER_EINVAL, "<what>: ...") the serialised document @xml
 * that pl_xml_parse() would not read back: larger than PL_XML_MAX_SIZE,
 * past the guard, or of more than PL_XML_MAX_ITEMS items. */
int pl_xml_check_readable(pl_err *e, const char *xml, size_t len, const char *what);

/* libxml2's report of a document that is not well-formed (XML_FROM_PARSER,
 * XML_FROM_NAMESPACE) in words a person filing it reads -- libxml2's own
 * name its functions and its grammar ("PCDATA invalid Char value 7"): @en in
 * English, @local in the messages' language ("" when the same), each of
 * @size bytes.  Codes without words keep libxml2's text, without the name
 * of its function. */
void pl_xml_error_words(const xmlError *err, char *en, char *local, size_t size);

/* Initialise libxml2 once per process (thread-safe; every function of this
 * module calls it, callers that use libxml2 directly call it first). */
void pl_xml_init(void);

/* Parse untrusted XML.  Refuses (PLEDGER_EXML) input larger than
 * PL_XML_MAX_SIZE, containing NUL or invalid UTF-8, what the lexical guard
 * refuses (a DOCTYPE, and so any DTD or entity declaration; a construct
 * over PL_XML_MAX_MARKUP; a tag of more than PL_XML_MAX_ATTRS
 * attributes), elements nested deeper than PL_XML_MAX_DEPTH, more than
 * PL_XML_MAX_ITEMS elements, attributes, namespace declarations and texts,
 * anything not well-formed (namespaces included), and a
 * root element outside PL_XML_NS.  The network is off, no entity is
 * substituted, no DTD is loaded, CDATA becomes text.  Messages read
 * "<what>: line N: <message>".  On success *out is the document (free it
 * with xmlFreeDoc); on failure *out is NULL. */
int pl_xml_parse(pl_err *e, const char *buf, size_t len, const char *what, xmlDocPtr *out);
/* PLEDGER_EXML ("<what>: line 1: ...", naming it) when the XML declaration
 * of @buf names an encoding other than UTF-8.  pl_xml_parse() reads the
 * bytes as UTF-8 whatever is declared; a signed document so declared
 * would be other characters, and another signed content, to a conforming
 * reader (xmlsec1 refuses its signature): the readers of signed
 * documents check this first. */
int pl_xml_check_utf8_declared(pl_err *e, const char *buf, size_t len, const char *what);
/* The encoding the XML declaration at the start of @buf (@n bytes, after
 * a byte order mark if any) names, into @out, its first 40 characters
 * ("" when it names none or there is no declaration). */
void pl_xml_declared_encoding(const char *buf, size_t n, char out[41]);
/* The same with other limits of size and items: for the documents that
 * carry many others (an exchange batch of thousands of applications). */
int pl_xml_parse_large(pl_err *e, const char *buf, size_t len, const char *what,
                       size_t max_size, size_t max_items, xmlDocPtr *out);

/* The embedded schema @file (e.g. PL_XML_SCHEMA), compiled on first use
 * and kept for the life of the process; safe to call from any thread.
 * Usable with xmlSchemaNewValidCtxt() and xmlTextReaderSetSchema(); never
 * free it.  NULL (with @e set to PLEDGER_EXML/ENOTFOUND/ENOMEM) when the
 * schema is unknown or does not compile. */
xmlSchemaPtr pl_xml_schema(pl_err *e, const char *file);

/* Validate @doc against the embedded schema @file.  The first problem is
 * reported as PLEDGER_EXML "<what>: line N: <short path>: message" (the
 * "line N: " part is left out for nodes built in memory). */
int pl_xml_validate(pl_err *e, xmlDocPtr doc, const char *file, const char *what);

/* The short path of @n from the root: "pledgor/name",
 * "rights/right[2]/number", "materials/material[3]/@kind", "@kind" for an
 * attribute of the root, the root's own name for the root.  Children of
 * <rights> are always written right[i] (1-based position among the
 * elements of <rights>); other elements get [i] only when they have
 * siblings of the same name.  Text nodes give their element's path.
 * Returns a malloc'd string, NULL when out of memory or @n is NULL. */
char *pl_xml_short_path(xmlNodePtr n);

/* The 1-based index an element child of its parent gets in a short path
 * (its position among same-named siblings, among all element siblings
 * under <rights>), and whether the index is written (more than one such
 * sibling, or a child of <rights>). */
int pl_xml_index(xmlNodePtr n, bool *written);

/* Refuse (PLEDGER_EINVAL, "<what>: ...") text that is not valid UTF-8 or
 * holds characters XML 1.0 cannot carry (C0 controls but tab, newline and
 * carriage return; U+FFFE, U+FFFF). */
int pl_xml_check_text(pl_err *e, const char *text, const char *what);

/* Remove comments, processing instructions and whitespace-only text
 * between elements (text children of elements that also have element
 * children), so the document serialises with a stable indentation. */
void pl_xml_strip(xmlDocPtr doc);

/* Serialise @doc as indented UTF-8 with an XML declaration.  *out is
 * malloc'd and NUL-terminated, *len its length without the NUL. */
int pl_xml_dump(pl_err *e, xmlDocPtr doc, char **out, size_t *len);

/* True when @n is an element of PL_XML_NS named @name. */
bool pl_xml_is(xmlNodePtr n, const char *name);

/* A copy of @n, with all below it, as the root element of a new document
 * (its lines kept) in *@out: 0, or PLEDGER_ENOMEM with *@out NULL. */
int pl_xml_doc_of(pl_err *e, xmlNodePtr n, xmlDocPtr *out);

/* The first element child of @parent named @name in PL_XML_NS, or NULL. */
xmlNodePtr pl_xml_child(xmlNodePtr parent, const char *name);

#endif
