/* Import of the reference register (refreg.h, share/pledger/register.xsd).
 *
 * The file is streamed through libxml2's xmlTextReader, every byte first
 * through the lexical guard of model/xml.h (no DOCTYPE, no tag, comment
 * or processing instruction over 1 MiB, no tag of more than 256
 * attributes): each record (a child of <register>) is copied out of the
 * reader node by node within the limits of a record (read_record; a
 * record past them is rejected and skipped without being kept), checked
 * against the schema (the quick check of valid.c, and when it is
 * not sure xmlSchemaValidateOneElement on the copy), normalised and
 * written; the reader frees each node as it moves on, so memory grows
 * neither with the file nor with a record.  A file refused whole for its
 * content leaves a register_import event that says why.
 * Everything happens in one write transaction whose last write is the
 * journal event; any failure rolls all of it back.  During the import the
 * backend tunes the connection (bulk.h: with SQLite, temporary b-trees in
 * memory and a larger page cache); it is put back afterwards.  When ref_right or
 * ref_holding is empty at the start, its records are inserted without
 * looking them up first.
 *
 * Record lines: libxml2 keeps element line numbers in 16 bits (and the
 * line where the start tag ends), so the line of a record is taken from
 * the white space that precedes it: a text node, whose line
 * XML_PARSE_BIG_LINES keeps in full, is the line of the '<' that ends it,
 * i.e. where the record starts.  When no white space precedes the record
 * (a comment does), or the white space is long enough to have reached the
 * parser in pieces, the element's own line is used.
 *
 * Reading a record: record.c; writing it, and the check for
 * duplicates: write.c. */
#include "refreg/import.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include "base/date.h"
#include "base/hash.h"
#include "base/i18n.h"
#include "base/json.h"
#include "base/text.h"
#include "model/xml.h"
#include "refreg/bulk.h"
#include "refreg/record.h"
#include "refreg/reject.h"
#include "refreg/valid.h"
#include "refreg/write.h"
#include "store/journal.h"
#include "store/steps.h"

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_t;
#else
typedef xmlErrorPtr xml_error_t;
#endif

#define REGISTER_XSD "register.xsd"

/* ------------------------------------------------------------------ */
/* The input: a file descriptor or a buffer, hashed as it is read      */

/* Whether the file's bytes contradict the encoding it declares: UTF-8
 * text under another name (what an editor that saved UTF-8 and kept a
 * Latin-1 declaration makes).  Real text of another encoding breaks UTF-8
 * at its first non-ASCII characters; eight well-formed multi-byte
 * sequences and no broken one, or the whole file so, is UTF-8.  false:
 * go on reading. */
static bool check_declared(input *in, const unsigned char *b, size_t n, bool at_end)
{
    if (in->enc_state == 0) {
        /* libxml2 reads a few bytes first: the declaration is read once
         * it ends ("?>"), or once the head is full, or at the end */
        size_t take = n < sizeof in->head - in->head_len ? n : sizeof in->head - in->head_len;
        memcpy(in->head + in->head_len, b, take);
        in->head_len += take;
        if (!memmem(in->head, in->head_len, "?>", 2) && in->head_len < sizeof in->head &&
            !at_end)
            return false;
        pl_xml_declared_encoding(in->head, in->head_len, in->enc);
        static const char *const utf[] = { "", "UTF-8", "UTF8", "UTF-16", "UTF-16LE",
                                          "UTF-16BE", "US-ASCII", "ASCII" };
        in->enc_state = 2;
        for (size_t i = 0; i < sizeof utf / sizeof utf[0]; i++)
            if (!strcasecmp(in->enc, utf[i]))
                in->enc_state = 1;
    }
    if (in->enc_state != 2)
        return false;
    long line = in->guard.line;   /* of b[0]: the guard has read what came before */
    for (size_t i = 0; i < n && in->enc_state == 2;) {
        unsigned c = b[i];
        if (c < 0x80) {
            line += c == '\n';
            i++;
            continue;
        }
        size_t more = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2
                      : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
        if (more == 0) {
            in->enc_state = 3;
            break;
        }
        if (i + more >= n) /* cut by the end of the block: not judged */
            break;
        for (size_t k = 1; k <= more; k++)
            if ((b[i + k] & 0xc0) != 0x80)
                in->enc_state = 3;
        if (in->enc_state == 2 && !in->utf8_seen++)
            in->utf8_line = line;
        i += more + 1;
    }
    if (in->enc_state == 2 && (in->utf8_seen >= 8 || (at_end && in->utf8_seen > 0)))
        in->mislabelled = true;
    return in->mislabelled;
}

static int input_read(void *ctx, char *buf, int len)
{
    input *in = ctx;
    ssize_t n;

    if (len <= 0)
        return 0;
    if (in->fd >= 0) {
        do
            n = read(in->fd, buf, (size_t)len);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            in->err_no = errno;
            return -1;
        }
    } else {
        size_t left = in->len - in->pos;
        n = (ssize_t)(left < (size_t)len ? left : (size_t)len);
        memcpy(buf, in->data + in->pos, (size_t)n);
        in->pos += (size_t)n;
    }
    if (n == 0)
        in->eof = true;
    if (n > 0) {
        if (pl_hash_update(in->sha, buf, (size_t)n) != 0) {
            in->err_no = ENOMEM;
            return -1;
        }
        in->bytes += (uint64_t)n;
    }
    if (check_declared(in, (const unsigned char *)buf, (size_t)(n > 0 ? n : 0), n == 0))
        return -1;
    if (n > 0) {
        if (pl_xml_guard_feed(&in->guard, buf, (size_t)n) != 0)
            return -1;
    }
    return (int)n;
}

/* ------------------------------------------------------------------ */
/* Parser and schema errors                                            */

/* A file cut short (a copy stopped half-way, a download that failed):
 * libxml2's reader reports it at the end of the input in words about
 * what it was reading there -- "Couldn't find end of Start Tag", "Extra
 * content at the end of the document" -- of no line.  The whole file was
 * read and no '>' follows where the parser stopped, with an element still
 * open or a tag begun (the root's start tag included). */
static bool cut_short(const imp *im, xml_error_t err)
{
    xmlParserCtxtPtr ctxt = err->ctxt;

    if (!im->in.eof || err->domain != XML_FROM_PARSER || !ctxt || !ctxt->input ||
        !ctxt->input->cur || !ctxt->input->end || ctxt->input->end < ctxt->input->cur ||
        memchr(ctxt->input->cur, '>', (size_t)(ctxt->input->end - ctxt->input->cur)))
        return false;
    return ctxt->nameNr > 0 || err->code == XML_ERR_GT_REQUIRED ||
           memchr(ctxt->input->cur, '<', (size_t)(ctxt->input->end - ctxt->input->cur));
}

static void say_cut_short(imp *im, xmlParserCtxtPtr ctxt)
{
    if (ctxt->nameNr > 0 && ctxt->name)
        pl_say(im->xml_msg, im->xml_local, sizeof im->xml_msg,
               N_("the file ends before the element <%s> is closed: it is cut short"),
               (const char *)ctxt->name);
    else
        pl_say(im->xml_msg, im->xml_local, sizeof im->xml_msg,
               N_("the file ends inside a tag: it is cut short"));
}

static void on_reader_error(void *arg, xml_error_t err)
{
    imp *im = arg;

    if (!err || err->level < XML_ERR_ERROR || im->xml_have)
        return;
    im->xml_have = true;
    im->xml_line = err->line;
    snprintf(im->xml_msg, sizeof im->xml_msg, "%s", err->message ? err->message : "error");
    im->xml_local[0] = '\0';
    if (err->domain == XML_FROM_PARSER || err->domain == XML_FROM_NAMESPACE) {
        /* libxml2's reader says of an empty file (or one of white space)
         * "Extra content at the end of the document": it holds no element */
        xmlError empty = *err;
        xmlParserCtxtPtr ctxt = err->ctxt;
        if (!im->root_seen && err->code == XML_ERR_DOCUMENT_END &&
            !(ctxt && ctxt->myDoc && xmlDocGetRootElement(ctxt->myDoc)))
            empty.code = XML_ERR_DOCUMENT_EMPTY;
        if (cut_short(im, err))
            say_cut_short(im, ctxt);
        else
            pl_xml_error_words(&empty, im->xml_msg, im->xml_local, sizeof im->xml_msg);
    }
    pl_refreg_trim_message(im->xml_msg);
    pl_refreg_trim_message(im->xml_local);
}

/* Keep the first schema error of a record, without the namespace braces. */
static void on_schema_error(void *arg, xml_error_t err)
{
    static const char brace[] = "{" PL_XML_NS "}";
    imp *im = arg;
    const char *p;
    size_t n = 0;

    if (!err || err->level < XML_ERR_ERROR || im->verr[0])
        return;
    for (p = err->message ? err->message : "invalid"; *p && n + 1 < sizeof im->verr;) {
        if (strncmp(p, brace, sizeof brace - 1) == 0) {
            p += sizeof brace - 1;
            continue;
        }
        im->verr[n++] = *p++;
    }
    im->verr[n] = '\0';
    pl_refreg_trim_message(im->verr);
    if (!im->verr[0])
        snprintf(im->verr, sizeof im->verr, "invalid");
}

static void discard_error(void *arg, xml_error_t err)
{
    (void)arg;
    (void)err;
}

static void discard_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* ------------------------------------------------------------------ */
/* Rejections                                                          */

/* Record that the current record is rejected.  Returns 0, or
 * PLEDGER_ENOMEM when the message cannot be kept. */
/* ------------------------------------------------------------------ */
/* One record                                                          */

static const struct {
    const char *name;
    int kind;
} record_kinds[] = {
    { "trademark", PLEDGER_KIND_TRADEMARK }, { "patent", PLEDGER_KIND_PATENT },
    { "holding", PLEDGER_KIND_EQUITY },      { "emission", PLEDGER_KIND_EMISSION },
    { "sea_area", PLEDGER_KIND_SEA_AREA },   { "land", PLEDGER_KIND_LAND },
};

/* xmlSchemaValidateOneElement() for record @n of @kind, asked only when
 * the quick check is not sure (valid.h). */
static int validate(imp *im, xmlNodePtr n, int kind)
{
    if (!pl_refreg_surely_valid(n, kind))
        return xmlSchemaValidateOneElement(im->vctxt, n);
#ifndef NDEBUG
    if (xmlSchemaValidateOneElement(im->vctxt, n) != 0 || im->verr[0]) {
        fprintf(stderr, "refreg-valid: line %ld: a record register.xsd refuses was found "
                "valid: %s\n", xmlGetLineNo(n), im->verr);
        abort();
    }
#endif
    return 0;
}

/* Returns 0 (written or rejected) or a code that stops the import. */

/* A text of the record @n (an attribute's value, an element's text, its
 * owners' and allowances' too) holding a character no text given to the
 * registry may carry (pl_text_control: a control character, a line
 * separator, a bidirectional control; white space around a value is an
 * XML token's): the record is refused naming the element, the attribute,
 * the code point and its position.  Names and marks read from the
 * register are shown in the review's findings and a bank's answers. */
static int refuse_controls(where *w, xmlNodePtr n, int depth)
{
    uint32_t cp;
    size_t at;

    for (xmlAttrPtr a = n->properties; a; a = a->next)
        for (xmlNodePtr t = a->children; t; t = t->next)
            if (t->type == XML_TEXT_NODE && t->content &&
                pl_text_control((const char *)t->content, PL_TEXT_TRIMMED, &cp, &at))
                return pl_refreg_bad(w, "%s: %s holds U+%04X at character %zu: a control "
                                     "character (or one that turns text around), which no "
                                     "text given to the registry may carry",
                                     (const char *)n->name, (const char *)a->name, (unsigned)cp,
                                     at);
    for (xmlNodePtr c = n->children; c; c = c->next) {
        int rc;
        if (c->type == XML_TEXT_NODE && c->content &&
            pl_text_control((const char *)c->content, PL_TEXT_TRIMMED, &cp, &at))
            return pl_refreg_bad(w, "%s: %s holds U+%04X at character %zu: a control "
                                 "character (or one that turns text around), which no text "
                                 "given to the registry may carry", (const char *)n->name,
                                 "text()", (unsigned)cp, at);
        if (c->type == XML_ELEMENT_NODE && depth < 4 && (rc = refuse_controls(w, c, depth + 1)))
            return rc;
    }
    return 0;
}

static int do_record(imp *im, xmlNodePtr n, uint64_t line)
{
    record *r = im->rec;
    unsigned char dg[32];
    where w = { im->rep, im->e, im->o->today, line, "" };
    int rc, vr;

    pl_refreg_record_reset(r);
    for (size_t i = 0; i < sizeof record_kinds / sizeof record_kinds[0]; i++) {
        if (pl_xml_is(n, record_kinds[i].name)) {
            r->kind = record_kinds[i].kind;
            r->label = record_kinds[i].name;
            break;
        }
    }
    if (!r->kind) {
        const char *ns = n->ns && n->ns->href ? (const char *)n->ns->href : "";
        snprintf(w.what, sizeof w.what, "<%.40s>", (const char *)n->name);
        rc = strcmp(ns, PL_XML_NS) != 0
                 ? pl_refreg_bad(&w, "not a record: the element is in namespace '%.60s', "
                                 "not '%s'", ns, PL_XML_NS)
                 : pl_refreg_bad(&w, "not a record: expected trademark, patent, holding, "
                                 "emission, sea_area or land");
        return rc < 0 ? rc : 0;
    }
    r->raw_number = pl_refreg_prop(n, r->kind == PLEDGER_KIND_EQUITY ? "company" : "number");
    if (r->raw_number)
        snprintf(w.what, sizeof w.what, "%s %.200s", r->label, r->raw_number);
    else
        snprintf(w.what, sizeof w.what, "%s without %s", r->label,
                 r->kind == PLEDGER_KIND_EQUITY ? "company" : "number");

    im->verr[0] = '\0';
    vr = validate(im, n, r->kind);
    if (vr < 0)
        return pl_err_set(im->e, PLEDGER_EXML, "%s: line %" PRIu64 ": %s could not be "
                          "validated (libxml2 internal error)", im->name, line, w.what);
    if (vr > 0 || im->verr[0]) {
        rc = pl_refreg_bad(&w, "%s", im->verr[0] ? im->verr : "not valid against register.xsd");
        return rc < 0 ? rc : 0;
    }

    if ((rc = refuse_controls(&w, n, 0)))
        return rc < 0 ? rc : 0;
    switch (r->kind) {
    case PLEDGER_KIND_TRADEMARK: rc = pl_refreg_get_trademark(&w, n, r); break;
    case PLEDGER_KIND_PATENT: rc = pl_refreg_get_patent(&w, n, r); break;
    case PLEDGER_KIND_EQUITY: rc = pl_refreg_get_holding(&w, n, r); break;
    default: rc = pl_refreg_get_certificate(&w, n, r); break;
    }
    if (rc)
        return rc < 0 ? rc : 0;
    if ((rc = pl_refreg_digest(im, r, dg)))
        return rc;
    if ((rc = pl_refreg_first_time(im, &w, r)))
        return rc < 0 ? rc : 0;
    return r->kind == PLEDGER_KIND_EQUITY ? pl_refreg_write_holding(im, r, dg)
                                          : pl_refreg_write_right(im, r, dg);
}

static int xml_fail(imp *im)
{
    if (im->in.mislabelled)
        return pl_err_set(im->e, PLEDGER_EXML, "%s: line %ld: the file declares encoding "
                          "'%s', but its bytes are UTF-8 text: it would be read garbled; "
                          "declare encoding=\"UTF-8\" (or none)", im->name, im->in.utf8_line,
                          im->in.enc);
    /* The guard stopped the reading (libxml2 then saw an I/O error). */
    if (im->in.guard.failed)
        return pl_err_set(im->e, PLEDGER_EXML, "%s: line %ld: %s", im->name,
                          im->in.guard.start_line, pl_xml_guard_why(&im->in.guard));
    if (im->in.err_no)
        return pl_err_set(im->e, im->in.err_no == ENOMEM ? PLEDGER_ENOMEM : PLEDGER_EIO,
                          "%s: reading failed after %" PRIu64 " bytes: %s", im->name,
                          im->in.bytes, strerror(im->in.err_no));
    if (im->xml_have)
        return pl_err_set(im->e, strstr(im->xml_msg, "Memory allocation failed")
                                     ? PLEDGER_ENOMEM : PLEDGER_EXML,
                          "%s: line %ld: %s", im->name, im->xml_line,
                          im->xml_local[0] ? pl_frag_pair(im->xml_msg, im->xml_local)
                                           : im->xml_msg);
    return pl_err_set(im->e, PLEDGER_EXML, "%s: line %d: not well-formed", im->name,
                      xmlTextReaderGetParserLineNumber(im->reader));
}

/* ------------------------------------------------------------------ */
/* A record out of the reader, within its limits                       */

/* "trademark 12345678", or "<name>" for an element that is no record,
 * from the start tag of @n (a record's number is in its start tag). */
static void record_what(xmlNodePtr n, char *what, size_t size)
{
    for (size_t i = 0; i < sizeof record_kinds / sizeof record_kinds[0]; i++) {
        if (!pl_xml_is(n, record_kinds[i].name))
            continue;
        const char *num = pl_refreg_prop(n, record_kinds[i].kind == PLEDGER_KIND_EQUITY
                                                ? "company" : "number");
        if (num && strlen(num) <= 64)
            snprintf(what, size, "%s %s", record_kinds[i].name, num);
        else
            snprintf(what, size, "%s", record_kinds[i].name);
        return;
    }
    snprintf(what, size, "<%.40s>", (const char *)n->name);
}

/* The first value of @n (an attribute's, or its own text) longer than
 * PL_REFREG_MAX_VALUE: its length, 0 when none. */
static size_t long_value(xmlNodePtr n)
{
    if (n->type != XML_ELEMENT_NODE) {
        size_t len = n->content ? strlen((const char *)n->content) : 0;
        return len > PL_REFREG_MAX_VALUE ? len : 0;
    }
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        size_t len = 0;
        for (xmlNodePtr t = a->children; t; t = t->next)
            len += t->content ? strlen((const char *)t->content) : 0;
        if (len > PL_REFREG_MAX_VALUE)
            return len;
    }
    return 0;
}

/* A copy of element @n of the reader's tree (name, namespace,
 * namespace declarations, attributes; no children) as the last child of
 * @parent, or as the root of im->rdoc when @parent is NULL; then it
 * also declares every namespace in scope at @n, so that the copy means
 * what the original meant.  NULL when out of memory. */
static xmlNodePtr copy_element(imp *im, xmlNodePtr parent, xmlNodePtr n)
{
    xmlNodePtr c = xmlNewDocNode(im->rdoc, NULL, n->name, NULL);
    xmlAttrPtr last = NULL;

    if (!c)
        return NULL;
    c->line = n->line;
    if (parent) {
        if (!xmlAddChild(parent, c)) {
            xmlFreeNode(c);
            return NULL;
        }
        for (xmlNsPtr ns = n->nsDef; ns; ns = ns->next)
            if (!xmlStrEqual(ns->prefix, BAD_CAST "xml") && !xmlNewNs(c, ns->href, ns->prefix))
                return NULL;
    } else {
        xmlNodePtr old = xmlDocSetRootElement(im->rdoc, c);
        xmlNsPtr *all = xmlGetNsList(n->doc, n);
        if (old)
            xmlFreeNode(old);
        for (size_t i = 0; all && all[i]; i++) {
            if (!xmlStrEqual(all[i]->prefix, BAD_CAST "xml") &&
                !xmlNewNs(c, all[i]->href, all[i]->prefix)) {
                xmlFree(all);
                return NULL;
            }
        }
        xmlFree(all);
    }
    if (n->ns) {
        xmlNsPtr ns = xmlSearchNs(im->rdoc, c, n->ns->prefix);
        if (!ns || !xmlStrEqual(ns->href, n->ns->href))
            ns = xmlNewNs(c, n->ns->href, n->ns->prefix);
        if (!ns)
            return NULL;
        xmlSetNs(c, ns);
    }
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        xmlAttrPtr q = xmlCopyProp(c, a);
        if (!q)
            return NULL;
        if (last) {
            last->next = q;
            q->prev = last;
        } else {
            c->properties = q;
        }
        last = q;
    }
    return c;
}

static bool blank_text(const xmlChar *s)
{
    for (; s && *s; s++)
        if (!pl_refreg_is_ws((char)*s))
            return false;
    return true;
}

/* Read the record whose start tag is the reader's current node, node by
 * node: each is copied into im->rdoc while the record stays within its
 * limits (PL_REFREG_MAX_RECORD_*, PL_REFREG_MAX_VALUE), and freed by the
 * reader as it moves on, so that no more than one record's worth, and
 * never more than its limits, is held (xmlTextReaderExpand() would hold
 * the whole subtree, however large).  Comments, processing instructions
 * and white space are not copied.  Past a limit the copy is dropped and
 * the rest of the record is read without keeping anything.
 *
 * Returns 0 with *out the copy, 1 when the record was rejected for a
 * limit, or a code that stops the import.  The reader is left on the
 * record's last node (its end tag, or itself when empty). */
static int read_record(imp *im, uint64_t line, xmlNodePtr *out)
{
    xmlTextReaderPtr rd = im->reader;
    xmlNodePtr n = xmlTextReaderCurrentNode(rd), root, cur;
    uint64_t start = im->in.bytes;
    size_t elements = 1, vlen;
    where w = { im->rep, im->e, im->o->today, line, "" };
    char over[160] = "";
    int ret = 1;

    *out = NULL;
    record_what(n, w.what, sizeof w.what);
    if ((vlen = long_value(n)))
        snprintf(over, sizeof over, "a value of %zu bytes; the limit is %d", vlen,
                 PL_REFREG_MAX_VALUE);
    if (!(root = cur = copy_element(im, NULL, n)))
        return pl_err_oom(im->e);
    if (!xmlTextReaderIsEmptyElement(rd)) {
        while ((ret = xmlTextReaderRead(rd)) == 1) {
            int type = xmlTextReaderNodeType(rd), depth = xmlTextReaderDepth(rd);

            n = xmlTextReaderCurrentNode(rd);
            if (im->xml_have || !n)
                return xml_fail(im);
            if (type == XML_READER_TYPE_END_ELEMENT) {
                if (depth <= 1)
                    break;
                if (cur)
                    cur = cur->parent;
                continue;
            }
            if (type == XML_READER_TYPE_ENTITY_REFERENCE)
                return pl_err_set(im->e, PLEDGER_EXML, "%s: line %ld: entity references are "
                                  "not allowed", im->name, xmlGetLineNo(n));
            if (!over[0] && im->in.bytes - start > PL_REFREG_MAX_RECORD_BYTES)
                snprintf(over, sizeof over, "more than %" PRIu64 " bytes (the limit of a "
                         "record)", PL_REFREG_MAX_RECORD_BYTES);
            if (type == XML_READER_TYPE_ELEMENT) {
                bool empty = xmlTextReaderIsEmptyElement(rd) == 1;
                if (!over[0] && depth - 1 > PL_REFREG_MAX_RECORD_DEPTH)
                    snprintf(over, sizeof over, "elements nested more than %d levels below "
                             "the record (the limit)", PL_REFREG_MAX_RECORD_DEPTH);
                if (!over[0] && ++elements > PL_REFREG_MAX_RECORD_ELEMENTS)
                    snprintf(over, sizeof over, "more than %d elements (the limit of a "
                             "record)", PL_REFREG_MAX_RECORD_ELEMENTS);
                if (!over[0] && (vlen = long_value(n)))
                    snprintf(over, sizeof over, "a value of %zu bytes; the limit is %d", vlen,
                             PL_REFREG_MAX_VALUE);
                if (!over[0]) {
                    xmlNodePtr c = copy_element(im, cur, n);
                    if (!c)
                        return pl_err_oom(im->e);
                    if (!empty)
                        cur = c;
                }
            } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) {
                if (!over[0] && (vlen = long_value(n)))
                    snprintf(over, sizeof over, "a text of %zu bytes; the limit is %d", vlen,
                             PL_REFREG_MAX_VALUE);
                if (!over[0] && !blank_text(n->content)) {
                    xmlNodePtr t = xmlNewDocText(im->rdoc, n->content);
                    if (!t || !xmlAddChild(cur, t)) {
                        xmlFreeNode(t);
                        return pl_err_oom(im->e);
                    }
                }
            }
            /* white space, comments, processing instructions: not copied */
            if (over[0] && root) {
                xmlUnlinkNode(root);
                xmlFreeNode(root);
                root = cur = NULL;
            }
        }
    }
    if (ret != 1 || im->xml_have)
        return xml_fail(im);
    if (over[0]) {
        if (root) {
            xmlUnlinkNode(root);
            xmlFreeNode(root);
        }
        int rc = pl_refreg_bad(&w, "%s", over);
        return rc < 0 ? rc : 1;
    }
    *out = root;
    return 0;
}

/* ------------------------------------------------------------------ */
/* The stream                                                          */

static int progress(imp *im)
{
    const pl_refreg_import_opts *o = im->o;

    if (!o->progress)
        return 0;
    if (o->progress(im->rep->records, im->in.bytes, im->in.total, o->payload) != 0)
        return pl_err_set(im->e, PLEDGER_ECANCELLED,
                          "%s: import cancelled by the progress callback after %" PRIu64
                          " records; the register is unchanged", im->name, im->rep->records);
    return 0;
}

static long text_line(xmlNodePtr t)
{
    return t ? xmlGetLineNo(t) : 0;
}

/* The line where the text of node @n starts: a text node carries the
 * line of the '<' that ends it. */
static long text_start_line(xmlNodePtr n)
{
    long line = text_line(n);
    const char *c = n ? (const char *)n->content : NULL;

    while (c && *c && pl_refreg_is_ws(*c))
        c++;
    for (; c && *c; c++)
        if (*c == '\n')
            line--;
    return line > 0 ? line : 1;
}

static int check_root(imp *im, xmlNodePtr root)
{
    const char *ns = root->ns && root->ns->href ? (const char *)root->ns->href : "";
    long line = xmlGetLineNo(root);

    if (strcmp((const char *)root->name, "register") != 0 || strcmp(ns, PL_XML_NS) != 0)
        return pl_err_set(im->e, PLEDGER_EXML, "%s: line %ld: the root element is <%.40s> "
                          "in namespace '%.60s'; a register is <register xmlns=\"%s\">",
                          im->name, line, (const char *)root->name, ns, PL_XML_NS);
    for (xmlAttrPtr a = root->properties; a; a = a->next) {
        if (!a->ns && strcmp((const char *)a->name, "as_of") == 0) {
            const char *v = pl_refreg_prop(root, "as_of");
            char buf[TOKEN_MAX];
            pl_err err = { 0 };
            int32_t d;
            if (!v || !pl_refreg_collapse(v, buf, sizeof buf) ||
                pl_date_parse(&err, buf, &d) != 0)
                return pl_err_set(im->e, PLEDGER_EXML, "%s: line %ld: register/@as_of is "
                                  "not a date: %s", im->name, line, err.msg);
            continue;
        }
        return pl_err_set(im->e, PLEDGER_EXML, "%s: line %ld: register/@%.40s: unknown "
                          "attribute (only as_of is allowed)", im->name, line,
                          (const char *)a->name);
    }
    return 0;
}

static bool is_blank_type(int type)
{
    return type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

static int stream(imp *im)
{
    xmlTextReaderPtr rd = im->reader;
    long pending = 0; /* line of the white space just before the current node */
    size_t pending_len = 0;
    int ret, rc;

    /* the prolog, up to the root element */
    while ((ret = xmlTextReaderRead(rd)) == 1) {
        int type = xmlTextReaderNodeType(rd);
        if (im->xml_have)
            return xml_fail(im);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            return pl_err_set(im->e, PLEDGER_EXML, "%s: line %d: a DOCTYPE declaration is "
                              "not allowed (no DTD, no entities)", im->name,
                              xmlTextReaderGetParserLineNumber(rd));
        if (type == XML_READER_TYPE_ELEMENT) {
            im->root_seen = true;
            break;
        }
    }
    if (ret != 1 || im->xml_have || im->in.err_no) {
        if (ret == 0 && !im->xml_have && !im->in.err_no)
            return pl_err_set(im->e, PLEDGER_EXML, "%s: line 1: no root element", im->name);
        return xml_fail(im);
    }
    if ((rc = check_root(im, xmlTextReaderCurrentNode(rd))))
        return rc;

    /* The children of <register>.  After a record, Next() has already
     * moved to the node that follows it, so the loop looks at that one
     * before reading on. */
    ret = xmlTextReaderRead(rd);
    while (ret == 1) {
        xmlNodePtr n = xmlTextReaderCurrentNode(rd);
        int type = xmlTextReaderNodeType(rd);

        if (im->xml_have)
            return xml_fail(im);
        if (xmlTextReaderDepth(rd) != 1) {
            /* the end of <register>, and what follows it */
            pending = 0;
            ret = xmlTextReaderRead(rd);
            continue;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            long el = xmlGetLineNo(n);
            /* A run of white space longer than the parser's look-ahead may
             * reach it in pieces, the text node keeping the line of the
             * first; then the element's own line is better, if it has one. */
            bool trust = pending > 0 && (pending_len < 250 || el >= 65535 || el <= 0);
            uint64_t line = (uint64_t)(trust ? pending : el > 0 ? el : 0);
            xmlNodePtr rec = NULL;

            im->rep->records++;
            rc = read_record(im, line, &rec);
            if (rc < 0 || (rc == 0 && (rc = do_record(im, rec, line))))
                return rc;
            if (im->rep->records % PL_REFREG_PROGRESS_EVERY == 0 && (rc = progress(im)))
                return rc;
            pending = 0;
            /* on to the node after the record's end */
            ret = xmlTextReaderRead(rd);
            continue;
        }
        if (is_blank_type(type)) {
            pending = text_line(n);
            pending_len = n && n->content ? strlen((const char *)n->content) : 0;
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) {
            where w = { im->rep, im->e, im->o->today, (uint64_t)text_start_line(n),
                        "<register>" };
            im->rep->records++;
            if ((rc = pl_refreg_bad(&w, "text outside a record")) < 0)
                return rc;
            pending = 0;
        } else if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
            return pl_err_set(im->e, PLEDGER_EXML, "%s: line %ld: entity references are not "
                              "allowed", im->name, text_line(n));
        } else {
            pending = 0; /* comments, processing instructions */
        }
        ret = xmlTextReaderRead(rd);
    }
    if (ret != 0 || im->xml_have || im->in.err_no)
        return xml_fail(im);
    return 0;
}

/* The journal event: last write of the transaction.  For a file refused
 * whole, @refused says why ("line N: ...") and the payload holds no
 * counts: nothing of the file was imported. */
static int journal(imp *im, const char *refused)
{
    pl_refreg_report *rep = im->rep;
    pl_json j;
    pl_event ev;
    char *payload;
    int rc;

    pl_json_init(&j);
    pl_json_int(&j, "bytes", (int64_t)rep->bytes);
    if (refused) {
        pl_json_str(&j, "refused", refused);
    } else {
        pl_json_int(&j, "inserted", (int64_t)rep->inserted);
        pl_json_int(&j, "records", (int64_t)rep->records);
        pl_json_int(&j, "rejected", (int64_t)rep->rejected);
    }
    pl_json_str(&j, "sha256", rep->sha256);
    if (!refused) {
        pl_json_int(&j, "unchanged", (int64_t)rep->unchanged);
        pl_json_int(&j, "updated", (int64_t)rep->updated);
    }
    if (!(payload = pl_json_finish(&j)))
        return pl_err_oom(im->e);
    ev.at_us = pl_db_now(im->db); /* taken under the write lock */
    ev.actor = im->o->actor ? im->o->actor : "";
    ev.role = im->o->role ? im->o->role : "";
    ev.operation = PL_OP_REGISTER_IMPORT;
    ev.subject = "register";
    ev.payload = payload;
    rc = pl_journal_append(im->db, im->e, &ev, &rep->journal_seq);
    free(payload);
    return rc;
}

/* Read and hash the rest of the input, past the guard, so that a refused
 * file is named by the SHA-256 of all its bytes like an imported one; not
 * for a pipe or a device (total 0), which may not end: then the hash and
 * the size are those of what was read. */
static int drain(input *in)
{
    char buf[16384];
    ssize_t n;

    if (in->fd >= 0 && in->total == 0)
        return 0;
    for (;;) {
        if (in->fd >= 0) {
            do
                n = read(in->fd, buf, sizeof buf);
            while (n < 0 && errno == EINTR);
            if (n < 0)
                return PLEDGER_EIO;
        } else {
            size_t left = in->len - in->pos;
            n = (ssize_t)(left < sizeof buf ? left : sizeof buf);
            if (n == 0)
                return 0;
            memcpy(buf, in->data + in->pos, (size_t)n);
            in->pos += (size_t)n;
        }
        if (n == 0)
            return 0;
        if (pl_hash_update(in->sha, buf, (size_t)n) != 0)
            return PLEDGER_ENOMEM;
        in->bytes += (uint64_t)n;
    }
}

/* The file was refused whole (@code, message on im->e), its writes
 * rolled back: leave a trace of it, a register_import event that says it
 * was refused and why, in a transaction of its own that changes nothing
 * else.  Returns @code with the message as it was, or the code of the
 * failure to write the trace (with both messages). */
static int journal_refusal(imp *im, int code)
{
    pl_err local = { 0 };
    pl_err *e = im->e ? im->e : (im->e = &local);
    pl_err refusal = *e;
    const char *why = refusal.msg;
    size_t nl = strlen(im->name);
    unsigned char sha[32];
    int rc;

    if (strncmp(why, im->name, nl) == 0 && why[nl] == ':' && why[nl + 1] == ' ')
        why += nl + 2;
    if ((rc = drain(&im->in)) || (rc = pl_hash_end(im->in.sha, sha))) {
        im->in.sha = NULL;
        rc = pl_err_set(e, rc, "%s; reading the rest of the file to record the refusal "
                        "failed", refusal.msg);
        return rc;
    }
    im->in.sha = NULL;
    pl_hex(sha, sizeof sha, im->rep->sha256);
    im->rep->bytes = im->in.bytes;
    if ((rc = pl_db_write_begin(im->db, e)))
        goto failed;
    if ((rc = journal(im, why)) || (rc = pl_db_commit(im->db, e))) {
        pl_db_rollback(im->db);
        goto failed;
    }
    *e = refusal;
    return code;
failed: {
    char msg[PL_ERRMSG_MAX];
    snprintf(msg, sizeof msg, "%s", e->msg);
    return pl_err_set(e, rc, "%s; the refusal could not be journaled: %s", refusal.msg, msg);
}
}

static int open_input(imp *im, const pl_refreg_source *src)
{
    struct stat sb;

    im->in.fd = -1;
    pl_xml_guard_init(&im->in.guard);
    if (!src->path) {
        im->in.data = src->data;
        im->in.len = src->len;
        im->in.total = src->len;
        return 0;
    }
    do
        im->in.fd = open(src->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    while (im->in.fd < 0 && errno == EINTR);
    if (im->in.fd < 0)
        return pl_err_set(im->e, errno == ENOENT ? PLEDGER_ENOTFOUND : PLEDGER_EIO,
                          "%s: cannot open the register file: %s", im->name, strerror(errno));
    if (fstat(im->in.fd, &sb) != 0)
        return pl_err_set(im->e, PLEDGER_EIO, "%s: %s", im->name, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return pl_err_set(im->e, PLEDGER_EIO, "%s: is a directory, not a register file",
                          im->name);
    im->in.total = S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
    return 0;
}

void pl_refreg_report_clear(pl_refreg_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_kept; i++)
        free(r->kept[i].message);
    free(r->kept);
    memset(r, 0, sizeof *r);
}

int pl_refreg_import(pl_db *db, pl_err *e, const pl_refreg_source *src,
                     const pl_refreg_import_opts *o, pl_refreg_report *out)
{
    xmlGenericErrorFunc saved_generic = xmlGenericError;
    void *saved_generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc saved_structured = xmlStructuredError;
    void *saved_structured_ctx = xmlStructuredErrorContext;
    unsigned char sha[32];
    xmlSchemaPtr schema;
    pl_refreg_bulk bulk = { { 0 }, false };
    bool in_tx = false, streamed = false;
    imp im;
    int rc;

    memset(out, 0, sizeof *out);
    memset(&im, 0, sizeof im);
    im.db = db;
    im.e = e;
    im.o = o;
    im.rep = out;
    im.name = src->name ? src->name : src->path ? src->path : "register";
    if ((rc = open_input(&im, src)))
        goto done;
    pl_xml_init();
    if (!(schema = pl_xml_schema(e, REGISTER_XSD))) {
        rc = e && e->code ? e->code : PLEDGER_EXML;
        goto done;
    }
    if (!(im.rec = calloc(1, sizeof *im.rec)) || !(im.vctxt = xmlSchemaNewValidCtxt(schema)) ||
        !(im.rdoc = xmlNewDoc(BAD_CAST "1.0"))) {
        rc = pl_err_oom(e);
        goto done;
    }
    if ((rc = pl_hash_begin(&im.in.sha, PL_HASH_SHA256)) ||
        (rc = pl_hash_begin(&im.dsha, PL_HASH_SHA256))) {
        rc = pl_err_set(e, rc, "%s: SHA-256 unavailable", im.name);
        goto done;
    }
    xmlSchemaSetValidStructuredErrors(im.vctxt, (xmlStructuredErrorFunc)on_schema_error, &im);

    /* Nothing of libxml2 reaches stderr while the import runs. */
    xmlSetGenericErrorFunc(NULL, discard_generic);
    xmlSetStructuredErrorFunc(NULL, (xmlStructuredErrorFunc)discard_error);
    im.reader = xmlReaderForIO(input_read, NULL, &im.in, im.name, NULL,
                               XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
    if (!im.reader) {
        rc = pl_err_oom(e);
        goto done;
    }
    xmlTextReaderSetStructuredErrorHandler(im.reader,
                                           (xmlStructuredErrorFunc)on_reader_error, &im);

    /* (temp_store cannot change inside a transaction: one already open,
     * like a read-only registry, is refused by pl_db_write_begin) */
    if ((!pl_db_in_tx(db) && !pl_db_read_only(db) &&
         (rc = pl_refreg_bulk_begin(db, e, &bulk))) ||
        (rc = pl_db_write_begin(db, e)))
        goto done;
    in_tx = true;
    if ((rc = pl_refreg_seen_clear(&im)) || (rc = pl_refreg_note_empty(&im)))
        goto done;
    streamed = true;
    if ((rc = stream(&im)))
        goto done;
    streamed = false;
    /* the whole file was read: its hash and size are final */
    rc = pl_hash_end(im.in.sha, sha);
    im.in.sha = NULL;
    if (rc) {
        rc = pl_err_set(e, rc, "%s: SHA-256 failed", im.name);
        goto done;
    }
    pl_hex(sha, sizeof sha, out->sha256);
    out->bytes = im.in.bytes;
    if ((rc = progress(&im)))
        goto done;
    if ((rc = pl_refreg_seen_clear(&im)) || (rc = journal(&im, NULL)) ||
        (rc = pl_db_commit(db, e)))
        goto done;
    in_tx = false;

done:
    if (in_tx)
        pl_db_rollback(db);
    /* the file's content was refused: the registry keeps a trace */
    if (streamed && rc == PLEDGER_EXML)
        rc = journal_refusal(&im, rc);
    pl_refreg_bulk_end(db, &bulk);
    if (im.reader)
        xmlFreeTextReader(im.reader);
    xmlSetGenericErrorFunc(saved_generic_ctx, saved_generic);
    xmlSetStructuredErrorFunc(saved_structured_ctx, saved_structured);
    if (im.vctxt)
        xmlSchemaFreeValidCtxt(im.vctxt);
    if (im.rdoc)
        xmlFreeDoc(im.rdoc);
    if (im.rec) {
        pl_refreg_record_reset(im.rec);
        free(im.rec);
    }
    pl_hash_abort(im.in.sha);
    pl_hash_abort(im.dsha);
    free(im.dbuf);
    if (im.in.fd >= 0)
        close(im.in.fd);
    if (rc)
        pl_refreg_report_clear(out);
    return rc;
}