#include "model/xml.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>

#include "base/i18n.h"
#include "base/text.h"
#include "embedded.h"

#if LIBXML_VERSION >= 21200
typedef const xmlError *pl_xml_error_t;
#else
typedef xmlErrorPtr pl_xml_error_t;
#endif

/* ------------------------------------------------------------------ */
/* Initialisation                                                      */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
    xmlInitParser();
}

void pl_xml_init(void)
{
    pthread_once(&init_once, init_libxml);
}

/* ------------------------------------------------------------------ */
/* Error capture                                                       */

/* The first problem seen during one call. */
typedef struct capture {
    bool have;
    long line;
    xmlNodePtr node;
    char msg[512];
    char local[512]; /* @msg in the messages' language ("" when the same) */
    int depth; /* current element depth while parsing */
    size_t items; /* elements, attributes and namespace declarations so far */
    size_t max_items; /* the limit of this document */
} capture;

static void capture_set(capture *c, long line, xmlNodePtr node, const char *fmt, ...)
    PL_PRINTF(4, 5);

static void capture_set(capture *c, long line, xmlNodePtr node, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    if (c->have)
        return;
    c->have = true;
    c->line = line;
    c->node = node;
    c->local[0] = '\0';
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    n = strlen(c->msg);
    while (n > 0 && (c->msg[n - 1] == '\n' || c->msg[n - 1] == ' '))
        c->msg[--n] = '\0';
}

/* The number libxml2 puts after "value " in its message, or -1. */
static long value_in(const char *msg)
{
    const char *p = msg ? strstr(msg, "value ") : NULL;
    char *end;
    if (!p)
        return -1;
    long v = strtol(p + 6, &end, 0);
    return end == p + 6 || v < 0 ? -1 : v;
}

void pl_xml_error_words(const xmlError *err, char *en, char *local, size_t size)
{
    const char *s1 = err->str1 ? err->str1 : "?", *s2 = err->str2 ? err->str2 : "?";
    long v = value_in(err->message);

    switch (err->code) {
    case XML_ERR_INVALID_CHAR:
        if (!(v >= 0 && err->message && strstr(err->message, "Char value")))
            break; /* libxml2's own words, below */
        pl_say(en, local, size, N_("the text holds a character XML does not allow (U+%04lX)"),
               v);
        return;
    case XML_ERR_INVALID_HEX_CHARREF:
    case XML_ERR_INVALID_DEC_CHARREF:
    case XML_ERR_INVALID_CHARREF:
        if (v >= 0)
            pl_say(en, local, size, N_("a character reference names a character XML does not "
                "allow (&#%ld;)"), v);
        else
            pl_say(en, local, size,
                   N_("a character reference (&#...;) is not a number XML allows"));
        return;
    case XML_ERR_DOCUMENT_EMPTY:
        pl_say(en, local, size, N_("the document holds no XML element (it is empty or does not "
            "begin with '<')"));
        return;
    case XML_ERR_DOCUMENT_END:
        pl_say(en, local, size, N_("there is more after the end of the document's root element"));
        return;
    case XML_ERR_NAME_REQUIRED:
        if (err->message && strstr(err->message, "EntityRef"))
            pl_say(en, local, size, N_("a '&' begins no entity reference: write it as &amp;"));
        else
            pl_say(en, local, size, N_("a name is missing where the XML grammar needs one"));
        return;
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
        pl_say(en, local, size, N_("an entity reference does not end with ';' (a '&' in text is "
            "written &amp;)"));
        return;
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
        pl_say(en, local, size, N_("the entity &%s; is not defined: XML has only &lt; &gt; &amp; "
            "&quot; &apos; (write other characters as they are)"), s1);
        return;
    case XML_ERR_LT_IN_ATTRIBUTE:
        pl_say(en, local, size, N_("an attribute's value holds a '<': write it as &lt;"));
        return;
    case XML_ERR_ATTRIBUTE_REDEFINED:
        pl_say(en, local, size, N_("the attribute %s is given twice in one element"), s1);
        return;
    case XML_ERR_ATTRIBUTE_NOT_STARTED:
    case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
        pl_say(en, local, size, N_("an attribute's value is not in quotes"));
        return;
    case XML_ERR_TAG_NAME_MISMATCH:
        pl_say(en, local, size, N_("the element <%s> opened on line %d is closed by </%s>"), s1,
            err->int1, s2);
        return;
    case XML_ERR_GT_REQUIRED:
        /* libxml2's reader gives neither the line (int1 0) nor, in an end
         * tag, the name */
        if (!err->str1)
            pl_say(en, local, size, N_("a tag does not end with '>'"));
        else if (err->int1 <= 0)
            pl_say(en, local, size, N_("the start tag <%s> does not end with '>'"), s1);
        else
            pl_say(en, local, size, N_("the start tag <%s> of line %d does not end with '>'"),
                   s1, err->int1);
        return;
    case XML_ERR_TAG_NOT_FINISHED:
        pl_say(en, local, size, N_("the document ends before the element <%s> of line %d is "
            "closed"), s1, err->int1);
        return;
    case XML_ERR_INTERNAL_ERROR:
        /* libxml2 says of a document nested past its limit "Excessive
         * depth in document: 256 use XML_PARSE_HUGE option": an option of
         * a program, none of the reader's */
        if (!err->message || strncmp(err->message, "Excessive depth", 15) != 0)
            break;
        pl_say(en, local, size, N_("elements nested deeper than %d levels"), err->int1);
        return;
    case XML_NS_ERR_UNDEFINED_NAMESPACE:
        pl_say(en, local, size, N_("the namespace prefix %s is not declared"), s1);
        return;
    default:
        break;
    }
    /* libxml2's own words, without the name of its function; in another
     * language, said to be libxml2's (they have no translation) */
    const char *m = err->message ? err->message : "not well-formed";
    if (strncmp(m, "xml", 3) == 0 && strstr(m, ": "))
        m = strstr(m, ": ") + 2;
    snprintf(en, size, "%s", m);
    size_t n = strlen(en);   /* libxml2 ends its message with a newline */
    while (n > 0 && (en[n - 1] == '\n' || en[n - 1] == ' '))
        en[--n] = '\0';
    static const char lead[] = N_("the XML is not well-formed (libxml2: %s)");
    const char *t = pl_tr(lead);
    local[0] = '\0';
    if (t != lead) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        snprintf(local, size, t, en);
#pragma GCC diagnostic pop
    }
}

static void capture_error(capture *c, pl_xml_error_t err)
{
    if (!c || !err || err->level == XML_ERR_WARNING || c->have)
        return;
    capture_set(c, err->line, (xmlNodePtr)err->node, "%s",
                err->message ? err->message : "error");
    if (err->domain == XML_FROM_PARSER || err->domain == XML_FROM_NAMESPACE) {
        pl_xml_error_words(err, c->msg, c->local, sizeof c->msg);
        size_t n = strlen(c->msg);
        while (n > 0 && (c->msg[n - 1] == '\n' || c->msg[n - 1] == ' '))
            c->msg[--n] = '\0';
    }
}

/* The captured message, its translation remembered for the next message
 * formatted (pl_frag_pair). */
static const char *cap_text(capture *c)
{
    return c->local[0] ? pl_frag_pair(c->msg, c->local) : c->msg;
}

/* Structured handler whose data is the capture itself. */
static void on_error(void *data, pl_xml_error_t err)
{
    capture_error(data, err);
}

/* Handler installed in the parser's SAX block: data is the context. */
static void on_parser_error(void *data, pl_xml_error_t err)
{
    xmlParserCtxtPtr ctxt = data;
    capture_error(ctxt ? ctxt->_private : NULL, err);
}

static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* While a call runs, every libxml2 report of this thread lands in @c;
 * the caller's handlers come back afterwards. */
typedef struct saved_handlers {
    xmlGenericErrorFunc generic;
    void *generic_ctx;
    xmlStructuredErrorFunc structured;
    void *structured_ctx;
} saved_handlers;

static void handlers_take(saved_handlers *s, capture *c)
{
    s->generic = xmlGenericError;
    s->generic_ctx = xmlGenericErrorContext;
    s->structured = xmlStructuredError;
    s->structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, silent);
    xmlSetStructuredErrorFunc(c, (xmlStructuredErrorFunc)on_error);
}

static void handlers_restore(const saved_handlers *s)
{
    xmlSetGenericErrorFunc(s->generic_ctx, s->generic);
    xmlSetStructuredErrorFunc(s->structured_ctx, s->structured);
}

/* ------------------------------------------------------------------ */
/* The lexical guard                                                   */

enum {
    G_TEXT,    /* character data */
    G_LT,      /* just after '<' */
    G_BANG,    /* after "<!": which of the candidates below */
    G_TAG,     /* a start or end tag */
    G_COMMENT, /* until "-->" */
    G_PI,      /* until "?>" */
    G_CDATA,   /* until "]]>" */
    G_DECL     /* another "<!...>", until '>' */
};

static const char *const bang_open[] = { "<!--", "<![CDATA[", "<!DOCTYPE" };

static const char *const construct_names[] = {
    [G_LT] = N_("tag"), [G_BANG] = N_("declaration"), [G_TAG] = N_("tag"),
    [G_COMMENT] = N_("comment"), [G_PI] = N_("processing instruction"),
    [G_CDATA] = N_("CDATA section"), [G_DECL] = N_("declaration"),
};

void pl_xml_guard_init(pl_xml_guard *g)
{
    memset(g, 0, sizeof *g);
    g->state = G_TEXT;
    g->line = 1;
}

static int guard_fail(pl_xml_guard *g, const char *fmt, ...) PL_PRINTF(2, 3);

/* The end of a construct: text follows (not yet a run of it). */
static void to_text(pl_xml_guard *g)
{
    g->state = G_TEXT;
    g->match = 0;
}

static int guard_fail(pl_xml_guard *g, const char *fmt, ...)
{
    va_list ap, aq;

    g->failed = true;
    va_start(ap, fmt);
    va_copy(aq, ap);
    vsnprintf(g->why, sizeof g->why, fmt, ap);
    /* translated, its fragment arguments too (pl_frag) */
    const char *t = pl_tr(fmt);
    char *local = t != fmt ? pl_vasprintf_local(t, aq) : NULL;
    snprintf(g->why_local, sizeof g->why_local, "%s", local ? local : "");
    free(local);
    va_end(aq);
    va_end(ap);
    return -1;
}

static int quiet_fail(pl_xml_guard *g)
{
    return guard_fail(g, "more than %d comments and processing instructions in a row (the "
                      "limit; a tag between them starts another row)", PL_XML_MAX_QUIET);
}

const char *pl_xml_guard_why(const pl_xml_guard *g)
{
    return g->why_local[0] ? pl_frag_pair(g->why, g->why_local) : g->why;
}

int pl_xml_guard_feed(pl_xml_guard *g, const char *p, size_t n)
{
    if (g->failed)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];

        if (g->state == G_TEXT) {
            if (c != '<' && !g->match) {
                g->match = 1; /* in a run of text */
                g->items++;
            }
            if (c == '<') {
                g->state = G_LT;
                g->begun = g->begun || i > 0 || g->line > 1 || g->items > 0 || g->len > 0;
                g->len = 1;
                g->start_line = g->line;
                g->attrs = 0;
                g->quote = 0;
                g->match = 0;
            } else if (c == '\n') {
                g->line++;
            }
            continue;
        }
        if (c == '\n')
            g->line++;
        if (++g->len > PL_XML_MAX_MARKUP)
            return guard_fail(g, "a %s longer than %zu bytes (the limit of one tag, comment, "
                              "processing instruction or CDATA section)",
                              pl_frag(construct_names[g->state]), PL_XML_MAX_MARKUP);
        switch (g->state) {
        case G_LT:
            if (c == '!') {
                g->state = G_BANG;
                g->match = (1u << 3) - 1; /* every candidate */
            } else {
                g->state = c == '?' ? G_PI : G_TAG;
                g->match = 0;
                /* a start tag; a processing instruction but the XML
                 * declaration (which begins the document) */
                if (c != '/' && (c != '?' || g->begun))
                    g->items++;
                if (c != '?')
                    g->quiet = 0;
                else if (++g->quiet > PL_XML_MAX_QUIET)
                    return quiet_fail(g);
                if (c == '>')
                    to_text(g);
            }
            break;
        case G_BANG:
            for (unsigned k = 0; k < 3; k++) {
                const char *o = bang_open[k];
                if (!(g->match & (1u << k)))
                    continue;
                if (o[g->len - 1] != c) {
                    g->match &= ~(1u << k);
                    continue;
                }
                if (o[g->len] != '\0')
                    continue;
                if (k == 2)
                    return guard_fail(g, "a DOCTYPE declaration is not allowed (no DTD, "
                                      "no entities)");
                g->state = k == 0 ? G_COMMENT : G_CDATA;
                g->items++; /* a comment, a text */
                g->match = 0;
                if (k == 0 && ++g->quiet > PL_XML_MAX_QUIET)
                    return quiet_fail(g);
                break;
            }
            if (g->state == G_BANG && !g->match)
                g->state = c == '>' ? G_TEXT : G_DECL;
            break;
        case G_TAG:
            if (g->quote) {
                if (c == g->quote)
                    g->quote = 0;
            } else if (c == '"' || c == '\'') {
                g->quote = c;
            } else if (c == '=') {
                g->items++;
                if (++g->attrs > PL_XML_MAX_ATTRS)
                    return guard_fail(g, "a tag with more than %d attributes (the limit, "
                                      "namespace declarations included)", PL_XML_MAX_ATTRS);
            } else if (c == '>') {
                to_text(g);
            }
            break;
        case G_COMMENT:
        case G_CDATA:
            if (c == (g->state == G_COMMENT ? '-' : ']'))
                g->match = g->match < 2 ? g->match + 1 : 2;
            else if (c == '>' && g->match == 2)
                to_text(g);
            else
                g->match = 0;
            break;
        case G_PI:
            if (c == '>' && g->match)
                to_text(g);
            else
                g->match = c == '?';
            break;
        default: /* G_DECL */
            if (c == '>')
                to_text(g);
            break;
        }
    }
    return 0;
}

int pl_xml_check_readable(pl_err *e, const char *xml, size_t len, const char *what)
{
    pl_xml_guard g;

    if (len > PL_XML_MAX_SIZE)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: the document would have %zu bytes, over the "
                          "limit of %zu that can be read back", what, len, PL_XML_MAX_SIZE);
    pl_xml_guard_init(&g);
    if (pl_xml_guard_feed(&g, xml, len) != 0)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: line %ld: %s", what, g.start_line,
                          pl_xml_guard_why(&g));
    if (g.items > PL_XML_MAX_ITEMS)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: the document would have %zu elements, "
                          "attributes and texts, over the limit of %d that can be read back",
                          what, g.items, PL_XML_MAX_ITEMS);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

static long ctxt_line(xmlParserCtxtPtr ctxt)
{
    return ctxt && ctxt->input ? (long)ctxt->input->line : 0;
}

static void refuse(xmlParserCtxtPtr ctxt, const char *msg)
{
    capture *c = ctxt->_private;
    bool first = !c->have;
    capture_set(c, ctxt_line(ctxt), NULL, "%s", msg);
    if (first && pl_tr(msg) != msg)   /* a message of the catalogue's (refuse:2) */
        snprintf(c->local, sizeof c->local, "%s", pl_tr(msg));
    xmlStopParser(ctxt);
}

static void sax_internal_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
                                const xmlChar *system_id)
{
    (void)name;
    (void)external_id;
    (void)system_id;
    refuse(ctx, "a DOCTYPE declaration is not allowed");
}

static void sax_external_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
                                const xmlChar *system_id)
{
    (void)name;
    (void)external_id;
    (void)system_id;
    refuse(ctx, "an external DTD subset is not allowed");
}

static void sax_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                            const xmlChar *system_id, xmlChar *content)
{
    (void)name;
    (void)type;
    (void)public_id;
    (void)system_id;
    (void)content;
    refuse(ctx, "an entity declaration is not allowed");
}

static xmlEntityPtr sax_get_entity(void *ctx, const xmlChar *name)
{
    /* Only the predefined entities exist; there is no DTD to define more. */
    (void)ctx;
    return xmlGetPredefinedEntity(name);
}

/* Count @n more nodes of the tree; past PL_XML_MAX_ITEMS, refuse the
 * document and return true. */
static bool count_items(xmlParserCtxtPtr ctxt, size_t n)
{
    capture *c = ctxt->_private;

    c->items += n;
    if (c->items <= c->max_items)
        return false;
    if (!c->have) {
        char msg[128];
        snprintf(msg, sizeof msg, "more than %zu elements, attributes, namespace "
                 "declarations, texts and comments (the limit of a document)",
                 c->max_items);
        refuse(ctxt, msg);
    }
    return true;
}

/* A comment or a processing instruction is a node of the tree as an
 * element is: counted (a 128 MiB batch of comments took 2.6 GB, none of
 * them counted). */
static void sax_comment(void *ctx, const xmlChar *value)
{
    if (!count_items(ctx, 1))
        xmlSAX2Comment(ctx, value);
}

static void sax_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    if (!count_items(ctx, 1))
        xmlSAX2ProcessingInstruction(ctx, target, data);
}

/* Text: a new node unless it continues the text before it. */
static void sax_characters(void *ctx, const xmlChar *ch, int len)
{
    xmlParserCtxtPtr ctxt = ctx;
    xmlNodePtr last = ctxt->node ? ctxt->node->last : NULL;

    if ((!last || last->type != XML_TEXT_NODE) && count_items(ctxt, 1))
        return;
    xmlSAX2Characters(ctx, ch, len);
}

static void sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                      const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                      int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    capture *c = ctxt->_private;

    if (++c->depth > PL_XML_MAX_DEPTH) {
        char msg[96];
        snprintf(msg, sizeof msg, "elements nested deeper than %d levels", PL_XML_MAX_DEPTH);
        refuse(ctxt, msg);
        return;
    }
    if (count_items(ctxt, 1 + (size_t)nb_attributes + (size_t)nb_namespaces))
        return;
    /* Schema location hints name URLs a validator might fetch: refused. */
    for (int i = 0; i < nb_attributes; i++) {
        const xmlChar *a_uri = attributes[5 * i + 2];
        if (a_uri &&
            strcmp((const char *)a_uri, "http://www.w3.org/2001/XMLSchema-instance") == 0 &&
            (strcmp((const char *)attributes[5 * i], "schemaLocation") == 0 ||
             strcmp((const char *)attributes[5 * i], "noNamespaceSchemaLocation") == 0)) {
            char msg[96];
            snprintf(msg, sizeof msg, "xsi:%s is not allowed (no schema is fetched)",
                     (const char *)attributes[5 * i]);
            refuse(ctxt, msg);
            return;
        }
    }
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
                          nb_attributes, nb_defaulted, attributes);
}

static void sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                    const xmlChar *uri)
{
    xmlParserCtxtPtr ctxt = ctx;
    capture *c = ctxt->_private;

    c->depth--;
    xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

/* The line of the first byte sequence that is not UTF-8 ('\n' never
 * occurs inside a multi-byte sequence, so lines can be checked apart). */
static long bad_utf8_line(const char *buf, size_t len)
{
    long line = 1;
    size_t start = 0;

    while (start <= len) {
        const char *nl = memchr(buf + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - buf) : len;
        if (!pl_utf8_valid(buf + start, end - start))
            return line;
        if (!nl)
            break;
        start = end + 1;
        line++;
    }
    return line;
}

static long line_of_offset(const char *buf, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        if (buf[i] == '\n')
            line++;
    return line;
}

void pl_xml_declared_encoding(const char *buf, size_t n, char out[41])
{
    out[0] = '\0';
    if (n >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
        buf += 3;
        n -= 3;
    }
    if (n < 6 || memcmp(buf, "<?xml", 5) != 0 ||
        !(buf[5] == ' ' || buf[5] == '\t' || buf[5] == '\r' || buf[5] == '\n'))
        return;
    const char *end = memmem(buf, n, "?>", 2);
    const char *at = end ? memmem(buf, (size_t)(end - buf), "encoding", 8) : NULL;
    if (!at)
        return;
    at += 8;
    while (at < end && (*at == ' ' || *at == '\t' || *at == '\r' || *at == '\n' || *at == '='))
        at++;
    if (at >= end || (*at != '"' && *at != '\''))
        return;
    const char *close = memchr(at + 1, *at, (size_t)(end - at - 1));
    size_t len = close ? (size_t)(close - at - 1) : 0;
    snprintf(out, 41, "%.*s", (int)(len < 40 ? len : 40), at + 1);
}

int pl_xml_check_utf8_declared(pl_err *e, const char *buf, size_t len, const char *what)
{
    char enc[41];

    pl_xml_declared_encoding(buf, len, enc);
    if (*enc && strcasecmp(enc, "UTF-8") != 0)
        return pl_err_set(e, PLEDGER_EXML, "%s: line 1: the XML declaration names encoding "
                          "'%s'; a signed document is read only as UTF-8 (declare "
                          "encoding=\"UTF-8\" or none)", what, enc);
    return 0;
}

int pl_xml_parse(pl_err *e, const char *buf, size_t len, const char *what, xmlDocPtr *out)
{
    return pl_xml_parse_large(e, buf, len, what, PL_XML_MAX_SIZE, PL_XML_MAX_ITEMS, out);
}

int pl_xml_parse_large(pl_err *e, const char *buf, size_t len, const char *what,
                       size_t max_size, size_t max_items, xmlDocPtr *out)
{
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc = NULL;
    xmlNodePtr root;
    saved_handlers saved;
    pl_xml_guard guard;
    capture cap;
    const char *nul;
    int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |
                  XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES | XML_PARSE_IGNORE_ENC;

    *out = NULL;
    if (!what)
        what = "document";
    if (!buf)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: no document given", what);
    if (len > max_size)
        return pl_err_set(e, PLEDGER_EXML, "%s: line 1: document of %zu bytes exceeds the "
                          "limit of %zu bytes (%zu MiB)", what, len, max_size, max_size >> 20);
    if (len > (size_t)INT32_MAX)
        return pl_err_set(e, PLEDGER_EXML, "%s: line 1: document too large", what);
    nul = memchr(buf, '\0', len);
    if (nul)
        return pl_err_set(e, PLEDGER_EXML, "%s: line %ld: NUL character (is the document "
                          "UTF-16? only UTF-8 is accepted)", what,
                          line_of_offset(buf, (size_t)(nul - buf)));
    if (!pl_utf8_valid(buf, len))
        return pl_err_set(e, PLEDGER_EXML, "%s: line %ld: invalid UTF-8 (documents must be "
                          "UTF-8)", what, bad_utf8_line(buf, len));

    pl_xml_guard_init(&guard);
    if (pl_xml_guard_feed(&guard, buf, len) != 0)
        return pl_err_set(e, PLEDGER_EXML, "%s: line %ld: %s", what, guard.start_line,
                          pl_xml_guard_why(&guard));

    pl_xml_init();
    memset(&cap, 0, sizeof cap);
    cap.max_items = max_items;
    ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return pl_err_oom(e);
    ctxt->_private = &cap;
    ctxt->sax->serror = (xmlStructuredErrorFunc)on_parser_error;
    ctxt->sax->internalSubset = sax_internal_subset;
    ctxt->sax->externalSubset = sax_external_subset;
    ctxt->sax->entityDecl = sax_entity_decl;
    ctxt->sax->getEntity = sax_get_entity;
    ctxt->sax->startElementNs = sax_start;
    ctxt->sax->endElementNs = sax_end;
    ctxt->sax->characters = sax_characters;
    ctxt->sax->comment = sax_comment;
    ctxt->sax->processingInstruction = sax_pi;
    ctxt->sax->ignorableWhitespace = sax_characters;

    handlers_take(&saved, &cap);
    doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL, options);
    handlers_restore(&saved);

    if (cap.have || !doc || !ctxt->wellFormed || !ctxt->nsWellFormed) {
        int code = PLEDGER_EXML;
        if (!cap.have && ctxt->errNo == XML_ERR_NO_MEMORY)
            code = PLEDGER_ENOMEM;
        if (cap.have && strstr(cap.msg, "Memory allocation failed"))
            code = PLEDGER_ENOMEM;
        pl_err_set(e, code, "%s: line %ld: %s", what, cap.have ? cap.line : ctxt_line(ctxt),
                   cap.have ? cap_text(&cap) : "not well-formed");
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        return code;
    }
    xmlFreeParserCtxt(ctxt);

    if (doc->intSubset || doc->extSubset) {
        xmlFreeDoc(doc);
        return pl_err_set(e, PLEDGER_EXML, "%s: line 1: a DOCTYPE declaration is not allowed",
                          what);
    }
    root = xmlDocGetRootElement(doc);
    if (!root) {
        xmlFreeDoc(doc);
        return pl_err_set(e, PLEDGER_EXML, "%s: line 1: no root element", what);
    }
    if (!root->ns || !root->ns->href || strcmp((const char *)root->ns->href, PL_XML_NS) != 0) {
        pl_err_set(e, PLEDGER_EXML, "%s: line %ld: root element <%s> is in namespace '%s', "
                   "expected '%s'", what, xmlGetLineNo(root), (const char *)root->name,
                   root->ns && root->ns->href ? (const char *)root->ns->href : "",
                   PL_XML_NS);
        xmlFreeDoc(doc);
        return PLEDGER_EXML;
    }
    *out = doc;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Schemas                                                             */

#define SCHEMA_SLOTS 8

static pthread_mutex_t schema_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char name[64];
    xmlSchemaPtr schema;
} schemas[SCHEMA_SLOTS];

static int compile_schema(pl_err *e, const char *file, xmlSchemaPtr *out)
{
    const char *data;
    size_t len = 0;
    xmlSchemaParserCtxtPtr pctxt;
    xmlSchemaPtr schema;
    saved_handlers saved;
    capture cap;

    *out = NULL;
    data = pl_embedded(file, &len);
    if (!data)
        return pl_err_set(e, PLEDGER_ENOTFOUND, "schema %s: not embedded in the library", file);
    if (len > (size_t)INT32_MAX)
        return pl_err_set(e, PLEDGER_EXML, "schema %s: too large", file);
    memset(&cap, 0, sizeof cap);
    pctxt = xmlSchemaNewMemParserCtxt(data, (int)len);
    if (!pctxt)
        return pl_err_oom(e);
    xmlSchemaSetParserStructuredErrors(pctxt, (xmlStructuredErrorFunc)on_error, &cap);
    handlers_take(&saved, &cap);
    schema = xmlSchemaParse(pctxt);
    handlers_restore(&saved);
    xmlSchemaFreeParserCtxt(pctxt);
    if (!schema)
        return pl_err_set(e, PLEDGER_EXML, "schema %s: line %ld: %s", file, cap.line,
                          cap.have ? cap.msg : "does not compile");
    *out = schema;
    return 0;
}

xmlSchemaPtr pl_xml_schema(pl_err *e, const char *file)
{
    xmlSchemaPtr found = NULL;
    int free_slot = -1;

    if (!file)
        file = PL_XML_SCHEMA;
    if (strlen(file) >= sizeof schemas[0].name) {
        pl_err_set(e, PLEDGER_ENOTFOUND, "schema %s: unknown", file);
        return NULL;
    }
    pl_xml_init();
    pthread_mutex_lock(&schema_lock);
    for (int i = 0; i < SCHEMA_SLOTS; i++) {
        if (schemas[i].schema && strcmp(schemas[i].name, file) == 0) {
            found = schemas[i].schema;
            break;
        }
        if (!schemas[i].schema && free_slot < 0)
            free_slot = i;
    }
    if (!found) {
        if (free_slot < 0) {
            pl_err_set(e, PLEDGER_ENOTFOUND, "schema %s: too many schemas", file);
        } else if (compile_schema(e, file, &found) == 0) {
            snprintf(schemas[free_slot].name, sizeof schemas[free_slot].name, "%s", file);
            schemas[free_slot].schema = found;
        }
    }
    pthread_mutex_unlock(&schema_lock);
    return found;
}

/* libxml2 says "Element '{urn:pledger:1}name', attribute 'type': The
 * value ..."; the path already names the node, so keep only what follows
 * (the attribute's name goes to @attr, "" when none) and drop the
 * namespace braces elsewhere. */
static void tidy_message(const char *in, char *out, size_t size, char *attr, size_t attr_size)
{
    const char *p = in;
    size_t n = 0;
    const char *brace = "{" PL_XML_NS "}";
    size_t bl = strlen(brace);

    attr[0] = '\0';
    if (strncmp(p, "Element '", 9) == 0) {
        const char *q = strchr(p + 9, '\'');
        const char *a = NULL, *a_end = NULL;
        if (q) {
            q++;
            if (strncmp(q, ", attribute '", 13) == 0) {
                a = q + 13;
                a_end = strchr(a, '\'');
                if (a_end)
                    q = a_end + 1;
            }
            if (q[0] == ':' && q[1] == ' ') {
                p = q + 2;
                if (a && a_end && (size_t)(a_end - a) < attr_size) {
                    memcpy(attr, a, (size_t)(a_end - a));
                    attr[a_end - a] = '\0';
                }
            }
        }
    }
    while (*p && n + 1 < size) {
        if (strncmp(p, brace, bl) == 0) {
            p += bl;
            continue;
        }
        out[n++] = *p++;
    }
    out[n] = '\0';
}

int pl_xml_validate(pl_err *e, xmlDocPtr doc, const char *file, const char *what)
{
    xmlSchemaPtr schema;
    xmlSchemaValidCtxtPtr vctxt;
    saved_handlers saved;
    capture cap;
    char msg[512], attr[64];
    char *path;
    long line = 0;
    int rc;

    if (!what)
        what = "document";
    schema = pl_xml_schema(e, file);
    if (!schema)
        return e ? e->code : PLEDGER_EXML;
    memset(&cap, 0, sizeof cap);
    vctxt = xmlSchemaNewValidCtxt(schema);
    if (!vctxt)
        return pl_err_oom(e);
    xmlSchemaSetValidStructuredErrors(vctxt, (xmlStructuredErrorFunc)on_error, &cap);
    handlers_take(&saved, &cap);
    rc = xmlSchemaValidateDoc(vctxt, doc);
    handlers_restore(&saved);
    xmlSchemaFreeValidCtxt(vctxt);
    if (rc == 0)
        return 0;
    if (!cap.have)
        return pl_err_set(e, rc < 0 ? PLEDGER_ENOMEM : PLEDGER_EXML,
                          "%s: validation failed (libxml2 code %d)", what, rc);

    tidy_message(cap.msg, msg, sizeof msg, attr, sizeof attr);
    if (cap.node && cap.node->type == XML_ELEMENT_NODE && attr[0]) {
        /* The report names the element; point at its attribute. */
        xmlAttrPtr a = xmlHasProp(cap.node, BAD_CAST attr);
        if (a)
            cap.node = (xmlNodePtr)a;
    }
    if (cap.node) {
        xmlNodePtr el = cap.node;
        if (el->type == XML_ATTRIBUTE_NODE || el->type == XML_TEXT_NODE)
            el = el->parent;
        line = el ? xmlGetLineNo(el) : 0;
    }
    if (line <= 0)
        line = cap.line;
    path = cap.node ? pl_xml_short_path(cap.node) : NULL;
    if (cap.node && !path)
        return pl_err_oom(e);
    if (line > 0)
        pl_err_set(e, PLEDGER_EXML, "%s: line %ld: %s: %s", what, line,
                   path ? path : "(document)", msg);
    else
        pl_err_set(e, PLEDGER_EXML, "%s: %s: %s", what, path ? path : "(document)", msg);
    free(path);
    return PLEDGER_EXML;
}

int pl_xml_doc_of(pl_err *e, xmlNodePtr n, xmlDocPtr *out)
{
    xmlDocPtr d = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr copy = d ? xmlDocCopyNode(n, d, 1) : NULL;

    *out = NULL;
    if (!copy) {
        xmlFreeDoc(d);
        return pl_err_oom(e);
    }
    xmlDocSetRootElement(d, copy);
    *out = d;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Short paths                                                         */

bool pl_xml_is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, PL_XML_NS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

xmlNodePtr pl_xml_child(xmlNodePtr parent, const char *name)
{
    if (!parent)
        return NULL;
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (pl_xml_is(c, name))
            return c;
    return NULL;
}

static bool same_name(xmlNodePtr a, xmlNodePtr b)
{
    const xmlChar *ha = a->ns ? a->ns->href : NULL;
    const xmlChar *hb = b->ns ? b->ns->href : NULL;
    return xmlStrEqual(a->name, b->name) && xmlStrEqual(ha, hb);
}

static bool is_rights_child(xmlNodePtr n)
{
    xmlNodePtr p = n->parent;
    return p && p->type == XML_ELEMENT_NODE && pl_xml_is(p, "rights") && p->parent &&
           p->parent->type == XML_ELEMENT_NODE && p->parent->parent &&
           p->parent->parent->type == XML_DOCUMENT_NODE;
}

int pl_xml_index(xmlNodePtr n, bool *written)
{
    int index = 0, count = 0;
    bool rights = is_rights_child(n);

    if (!n->parent) {
        *written = false;
        return 1;
    }
    for (xmlNodePtr s = n->parent->children; s; s = s->next) {
        if (s->type != XML_ELEMENT_NODE || (!rights && !same_name(s, n)))
            continue;
        count++;
        if (s == n)
            index = count;
    }
    *written = rights || count > 1;
    return index;
}

/* Append @s to the growing path (steps are prepended, so the buffer is
 * filled from the end). */
typedef struct pbuf {
    char *p;
    size_t len, cap;
    bool oom;
} pbuf;

static void pbuf_prepend(pbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        char *p;
        while (cap < b->len + n + 1)
            cap *= 2;
        p = malloc(cap);
        if (!p) {
            b->oom = true;
            return;
        }
        if (b->p)
            memcpy(p, b->p, b->len + 1);
        else
            p[0] = '\0';
        free(b->p);
        b->p = p;
        b->cap = cap;
    }
    if (!b->p) {
        b->oom = true;
        return;
    }
    memmove(b->p + n, b->p, b->len + 1);
    memcpy(b->p, s, n);
    b->len += n;
}

char *pl_xml_short_path(xmlNodePtr n)
{
    pbuf b = { NULL, 0, 0, false };
    char step[160];

    if (!n)
        return NULL;
    pbuf_prepend(&b, "");
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
        n = n->parent;
    if (n && n->type == XML_ATTRIBUTE_NODE) {
        snprintf(step, sizeof step, "@%s", (const char *)n->name);
        pbuf_prepend(&b, step);
        n = n->parent;
        if (n && n->parent && n->parent->type != XML_DOCUMENT_NODE)
            pbuf_prepend(&b, "/");
    }
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
        bool written;
        int index;
        if (!n->parent || n->parent->type != XML_ELEMENT_NODE) {
            /* The root: named only when it is the node itself. */
            if (b.len == 0)
                pbuf_prepend(&b, (const char *)n->name);
            break;
        }
        index = pl_xml_index(n, &written);
        if (is_rights_child(n))
            snprintf(step, sizeof step, "right[%d]", index);
        else if (written)
            snprintf(step, sizeof step, "%s[%d]", (const char *)n->name, index);
        else
            snprintf(step, sizeof step, "%s", (const char *)n->name);
        pbuf_prepend(&b, step);
        if (n->parent->parent && n->parent->parent->type == XML_ELEMENT_NODE)
            pbuf_prepend(&b, "/");
    }
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* ------------------------------------------------------------------ */
/* Text, cleanup, output                                               */

int pl_xml_check_text(pl_err *e, const char *text, const char *what)
{
    size_t len = strlen(text);
    const unsigned char *p = (const unsigned char *)text;

    if (!pl_utf8_valid(text, len))
        return pl_err_set(e, PLEDGER_EINVAL, "%s: value is not valid UTF-8", what);
    while (*p) {
        int n = 4;
        int c = xmlGetUTF8Char(p, &n);
        if (c < 0 || n <= 0)
            return pl_err_set(e, PLEDGER_EINVAL, "%s: value is not valid UTF-8", what);
        if (!(c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
              (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF)))
            return pl_err_set(e, PLEDGER_EINVAL, "%s: character U+%04X is not allowed in "
                              "a document", what, (unsigned)c);
        p += n;
    }
    return 0;
}

static bool has_element_child(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return true;
    return false;
}

static void strip_node(xmlNodePtr n)
{
    bool elements = has_element_child(n);
    xmlNodePtr c = n->children;

    while (c) {
        xmlNodePtr next = c->next;
        if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE ||
            (elements && c->type == XML_TEXT_NODE && xmlIsBlankNode(c))) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        } else if (c->type == XML_ELEMENT_NODE) {
            strip_node(c);
        }
        c = next;
    }
}

void pl_xml_strip(xmlDocPtr doc)
{
    xmlNodePtr c;

    if (!doc)
        return;
    c = doc->children;
    while (c) {
        xmlNodePtr next = c->next;
        if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        } else if (c->type == XML_ELEMENT_NODE) {
            strip_node(c);
        }
        c = next;
    }
}

int pl_xml_dump(pl_err *e, xmlDocPtr doc, char **out, size_t *len)
{
    xmlChar *mem = NULL;
    int size = 0;
    char *copy;

    *out = NULL;
    if (len)
        *len = 0;
    xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
    if (!mem || size < 0) {
        xmlFree(mem);
        return pl_err_oom(e);
    }
    copy = malloc((size_t)size + 1);
    if (!copy) {
        xmlFree(mem);
        return pl_err_oom(e);
    }
    memcpy(copy, mem, (size_t)size);
    copy[size] = '\0';
    xmlFree(mem);
    *out = copy;
    if (len)
        *len = (size_t)size;
    return 0;
}
