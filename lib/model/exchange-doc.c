#include "model/exchange-doc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "base/hash.h"
#include "base/text.h"
#include "base/note.h"
#include "model/kinds.h"
#include "model/signed-doc.h"
#include "model/xml.h"

#define WHAT_BATCH "exchange batch"
#define WHAT_RECEIPT "exchange receipt"

static const char *const whats[] = { "application", "correction", "result" };

const char *pl_xwhat_name(pl_xwhat w)
{
    return (unsigned)w < 3 ? whats[w] : NULL;
}

void pl_xitem_clear(pl_xitem *it)
{
    free(it->uuid);
    free(it->acceptance_number);
    free(it->office);
    free(it->by);
    free(it->document);
    free(it->number);
    free(it->ground);
    free(it->note);
    memset(it, 0, sizeof *it);
}

void pl_xbatch_clear(pl_xbatch *b)
{
    for (size_t i = 0; i < b->n; i++)
        pl_xitem_clear(&b->items[i]);
    free(b->items);
    free(b->sender);
    free(b->receiver);
    free(b->checkpoint);
    memset(b, 0, sizeof *b);
}

void pl_xreceipt_clear(pl_xreceipt *r)
{
    free(r->sender);
    free(r->receiver);
    free(r->checkpoint);
    memset(r, 0, sizeof *r);
}

int pl_xdigest(pl_err *e, const char *bytes, size_t len, char out[65])
{
    unsigned char d[32];
    int rc = pl_hash(PL_HASH_SHA256, bytes, len, d);
    if (rc)
        return pl_err_set(e, rc, "hashing an exchange document");
    pl_hex(d, sizeof d, out);
    return 0;
}

int pl_xdigest_signed(pl_err *e, const char *xml, size_t len, char out[65])
{
    xmlDocPtr doc = NULL;
    int rc = pl_xml_check_utf8_declared(e, xml, len, "exchange document");
    if (!rc)
        rc = pl_xml_parse_large(e, xml, len, "exchange document", PL_EXCHANGE_MAX_SIZE,
                                PL_EXCHANGE_MAX_NODES, &doc);
    if (!rc)
        rc = pl_xmlsig_signed_digest(e, doc, out);
    xmlFreeDoc(doc);
    return rc;
}

/* ---- making ---------------------------------------------------------------------- */

/* A batch is written as text, item by item, never held as a tree: the
 * text is its own exclusive canonical form (C14N: attributes in order,
 * every element with its end tag, the escapes C14N makes), with the line
 * ends and indentation libxml2's formatting gave it before, so the
 * digest its signature covers is that of the bytes written, from the
 * root's start tag, and the Signature is made from it (pl_xmlsig_
 * signature_text()) and put in as the root's last child.  A batch of
 * 75 MB costs its text, not the text, two trees and three copies. */
struct pl_xwriter {
    char *buf;
    size_t len, cap;
    size_t root;   /* where the root's start tag begins */
    size_t n;      /* items written */
    bool oom;
};

/* Room for @n more bytes and a NUL. */
static bool reserve(pl_xwriter *w, size_t n)
{
    if (w->oom)
        return false;
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n + 1)
            cap *= 2;
        char *b = realloc(w->buf, cap);
        if (!b) {
            w->oom = true;
            return false;
        }
        w->buf = b;
        w->cap = cap;
    }
    return true;
}

static void put(pl_xwriter *w, const char *s, size_t n)
{
    if (!reserve(w, n))
        return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

static void puts_(pl_xwriter *w, const char *s)
{
    put(w, s, strlen(s));
}

/* Whether @s is text an XML document carries: UTF-8 of characters of
 * XML 1.0's Char (no C0 control but tab, line feed and carriage return,
 * no U+FFFE or U+FFFF); else *@bad is the first that is not (0xFFFFFFFF:
 * bytes that are not UTF-8). */
static bool xml_text_ok(const char *s, uint32_t *bad)
{
    size_t n = strlen(s), i = 0;

    while (i < n) {
        uint32_t cp = (unsigned char)s[i];
        size_t k = 1;
        if (cp >= 0x80 && !(k = pl_utf8_decode(s + i, n - i, &cp))) {
            *bad = 0xFFFFFFFF;
            return false;
        }
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE ||
            cp == 0xFFFF) {
            *bad = cp;
            return false;
        }
        i += k;
    }
    return true;
}

/* @s escaped as C14N writes a text node (@attr false) or an attribute
 * value (@attr true). */
static void escaped(pl_xwriter *w, const char *s, bool attr)
{
    const char *run = s;

    for (; *s; s++) {
        const char *r;
        switch (*s) {
        case '&': r = "&amp;"; break;
        case '<': r = "&lt;"; break;
        case '>': r = attr ? NULL : "&gt;"; break;
        case '"': r = attr ? "&quot;" : NULL; break;
        case '\t': r = attr ? "&#x9;" : NULL; break;
        case '\n': r = attr ? "&#xA;" : NULL; break;
        case '\r': r = "&#xD;"; break;
        default: r = NULL;
        }
        if (!r)
            continue;
        put(w, run, (size_t)(s - run));
        puts_(w, r);
        run = s + 1;
    }
    put(w, run, (size_t)(s - run));
}

/* Check @value of @field (of the item @where names, "" for the batch). */
static int check_text(pl_err *e, const char *where, const char *field, const char *value)
{
    uint32_t bad;

    if (!value)
        return pl_err_set(e, PLEDGER_EINVAL, "%s%s: missing", where, field);
    if (xml_text_ok(value, &bad))
        return 0;
    if (bad == 0xFFFFFFFF)
        return pl_err_set(e, PLEDGER_EINVAL, "%s%s: not UTF-8 text; an exchange batch cannot "
                          "carry it", where, field);
    return pl_err_set(e, PLEDGER_EINVAL, "%s%s: U+%04X is a control character no XML "
                      "document can carry; an exchange batch cannot send it", where, field,
                      (unsigned)bad);
}

/* <name>text</name> on its own line at @indent. */
static void text_el(pl_xwriter *w, const char *indent, const char *name, const char *text)
{
    puts_(w, indent);
    puts_(w, "<");
    puts_(w, name);
    puts_(w, ">");
    escaped(w, text, false);
    puts_(w, "</");
    puts_(w, name);
    puts_(w, ">\n");
}

static void attr(pl_xwriter *w, const char *name, const char *value)
{
    puts_(w, " ");
    puts_(w, name);
    puts_(w, "=\"");
    escaped(w, value, true);
    puts_(w, "\"");
}

static void attr_i64(pl_xwriter *w, const char *name, int64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%" PRId64, v);
    attr(w, name, num);
}

/* <name digest="...">base64</name>, base64 written in place. */
static void document_el(pl_xwriter *w, const char *name, const char *doc, size_t len,
                        const char *digest)
{
    puts_(w, "      <");
    puts_(w, name);
    attr(w, "digest", digest);
    puts_(w, ">");
    size_t b64 = 4 * ((len + 2) / 3);
    if (len > (size_t)INT32_MAX / 2)
        w->oom = true;
    if (!reserve(w, b64))
        return;
    EVP_EncodeBlock((unsigned char *)w->buf + w->len, (const unsigned char *)doc, (int)len);
    w->len += b64;
    puts_(w, "</");
    puts_(w, name);
    puts_(w, ">\n");
}

int pl_xwriter_begin(pl_err *e, const pl_xbatch *b, pl_xwriter **out)
{
    char num[24];
    int rc;

    *out = NULL;
    if ((rc = check_text(e, "", "sender", b->sender)) ||
        (rc = check_text(e, "", "receiver", b->receiver)))
        return rc;
    pl_xwriter *w = calloc(1, sizeof *w);
    if (!w)
        return pl_err_oom(e);
    puts_(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    w->root = w->len;
    puts_(w, "<batch xmlns=\"" PL_XML_NS "\" version=\"1\">\n");
    text_el(w, "  ", "sender", b->sender);
    text_el(w, "  ", "receiver", b->receiver);
    snprintf(num, sizeof num, "%" PRIu64, b->seq);
    text_el(w, "  ", "sequence", num);
    text_el(w, "  ", "previous", b->previous);
    snprintf(num, sizeof num, "%" PRId64, b->created_us);
    text_el(w, "  ", "created", num);
    puts_(w, "  <items>\n");
    if (w->oom) {
        pl_xwriter_abort(w);
        return pl_err_oom(e);
    }
    *out = w;
    return 0;
}

size_t pl_xwriter_size(const pl_xwriter *w)
{
    return w->len;
}

size_t pl_xwriter_item_size(const pl_xitem *it)
{
    /* the document's base64 and a generous allowance for the rest */
    return 4 * ((it->document_len + 2) / 3) + 4096 +
           (it->ground ? 6 * strlen(it->ground) : 0) + (it->note ? 6 * strlen(it->note) : 0);
}

int pl_xwriter_item(pl_xwriter *w, pl_err *e, const pl_xitem *it)
{
    const char *what = pl_xwhat_name(it->what);
    char where[96];
    int rc;

    if (!what)
        return pl_err_set(e, PLEDGER_EINVAL, "an item that is no application, correction or "
                          "result");
    snprintf(where, sizeof where, "items/%s[%zu] (application %.36s): ", what, w->n + 1,
             it->uuid ? it->uuid : "?");
    if ((rc = check_text(e, where, "uuid", it->uuid)) || (rc = check_text(e, where, "by", it->by)))
        return rc;
    if (it->what != PL_XITEM_RESULT) {
        if (!pl_kind(it->kind))
            return pl_err_set(e, PLEDGER_EINVAL, "%skind: not a kind", where);
        if ((rc = check_text(e, where, "acceptance_number", it->acceptance_number)) ||
            (rc = check_text(e, where, "office", it->office)))
            return rc;
        if (!it->document)
            return pl_err_set(e, PLEDGER_EINVAL, "%sdocument: missing", where);
        puts_(w, "    <");
        puts_(w, what);
        /* the attributes in C14N's order: by name */
        attr(w, "acceptance_number", it->acceptance_number);
        attr_i64(w, "at", it->at_us);
        attr(w, "by", it->by);
        attr(w, "kind", pl_kind(it->kind)->name);
        attr(w, "office", it->office);
        attr(w, "uuid", it->uuid);
        puts_(w, ">\n");
        document_el(w, "document", it->document, it->document_len, it->digest);
    } else {
        const char *state = pl_app_state_name(it->state);
        if (!state)
            return pl_err_set(e, PLEDGER_EINVAL, "%sstate: not a state", where);
        if ((it->number && (rc = check_text(e, where, "registration_number", it->number))) ||
            (it->ground && (rc = check_text(e, where, "ground", it->ground))) ||
            (it->note && (rc = check_text(e, where, "note", it->note))))
            return rc;
        puts_(w, "    <");
        puts_(w, what);
        attr_i64(w, "at", it->at_us);
        attr(w, "by", it->by);
        attr(w, "state", state);
        attr(w, "uuid", it->uuid);
        bool any = it->number || it->document || it->ground || it->note ||
                   it->due != INT32_MIN;
        puts_(w, any ? ">\n" : ">");
        if (it->number)
            text_el(w, "      ", "registration_number", it->number);
        if (it->document)
            document_el(w, "certificate", it->document, it->document_len, it->digest);
        if (it->ground)
            text_el(w, "      ", "ground", it->ground);
        if (it->note)
            text_el(w, "      ", "note", it->note);
        if (it->due != INT32_MIN) {
            char num[24];
            snprintf(num, sizeof num, "%" PRId32, it->due);
            text_el(w, "      ", "due", num);
        }
        if (any)
            puts_(w, "    ");
    }
    puts_(w, "</");
    puts_(w, what);
    puts_(w, ">\n");
    if (w->oom)
        return pl_err_oom(e);
    w->n++;
    return 0;
}

void pl_xwriter_abort(pl_xwriter *w)
{
    if (w) {
        free(w->buf);
        free(w);
    }
}

int pl_xwriter_finish(pl_xwriter *w, pl_err *e, const char *checkpoint, const pl_doc_key *key,
                      char **out, size_t *len, char digest[65])
{
    static const char end[] = "</batch>";
    unsigned char d[32];
    char *sig = NULL;
    int rc;

    *out = NULL;
    puts_(w, "  </items>\n");
    if (checkpoint) {
        if ((rc = check_text(e, "", "checkpoint", checkpoint))) {
            pl_xwriter_abort(w);
            return rc;
        }
        text_el(w, "  ", "checkpoint", checkpoint);
    }
    if (w->oom) {
        pl_xwriter_abort(w);
        return pl_err_oom(e);
    }
    /* the canonical form without the signature: the root as written,
     * then its end tag (the enveloped-signature transform leaves out the
     * Signature, not the line end before it) */
    if ((rc = pl_hash_parts(PL_HASH_SHA256, w->buf + w->root, w->len - w->root, end,
                            sizeof end - 1, d))) {
        pl_xwriter_abort(w);
        return pl_err_set(e, rc, "hashing an exchange batch");
    }
    if ((rc = pl_xmlsig_signature_text(e, key, d, &sig))) {
        pl_xwriter_abort(w);
        return rc;
    }
    puts_(w, sig);
    puts_(w, end);
    puts_(w, "\n");
    free(sig);
    if (w->oom) {
        pl_xwriter_abort(w);
        return pl_err_oom(e);
    }
    if (w->len > PL_EXCHANGE_MAX_SIZE) {
        rc = pl_err_set(e, PLEDGER_EINVAL, "%s: %zu bytes; a batch is at most %zu bytes",
                        WHAT_BATCH, w->len, PL_EXCHANGE_MAX_SIZE);
        pl_xwriter_abort(w);
        return rc;
    }
    pl_hex(d, sizeof d, digest);
    /* the buffer is the text: give back what it does not use */
    char *shrunk = realloc(w->buf, w->len + 1);
    *out = shrunk ? shrunk : w->buf;
    if (len)
        *len = w->len;
    free(w);
    return 0;
}

int pl_xbatch_make(pl_err *e, const pl_xbatch *b, const pl_doc_key *key, char **out,
                   size_t *len)
{
    pl_xwriter *w;
    char digest[65];
    int rc;

    *out = NULL;
    if ((rc = pl_xwriter_begin(e, b, &w)))
        return rc;
    for (size_t i = 0; i < b->n; i++)
        if ((rc = pl_xwriter_item(w, e, &b->items[i]))) {
            pl_xwriter_abort(w);
            return rc;
        }
    return pl_xwriter_finish(w, e, b->checkpoint, key, out, len, digest);
}

static bool add_text(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
    return xmlNewTextChild(parent, ns, BAD_CAST name, BAD_CAST text) != NULL;
}

static bool add_u64(xmlNodePtr parent, xmlNsPtr ns, const char *name, uint64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%" PRIu64, v);
    return add_text(parent, ns, name, num);
}

static bool add_i64(xmlNodePtr parent, xmlNsPtr ns, const char *name, int64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%" PRId64, v);
    return add_text(parent, ns, name, num);
}

int pl_xdoc_resign(pl_err *e, const char *xml, const pl_doc_key *key, char **out, size_t *len,
                   bool *resigned)
{
    pl_xml_init();
    return pl_signed_doc_resign(e, xml, strlen(xml), "exchange document", key,
                                PL_EXCHANGE_MAX_SIZE, PL_EXCHANGE_MAX_NODES, out, len, resigned);
}

int pl_xreceipt_make(pl_err *e, const pl_xreceipt *r, const pl_doc_key *key, char **out,
                     size_t *len)
{
    xmlNodePtr root;
    xmlNsPtr ns;
    int rc;

    *out = NULL;
    pl_xml_init();
    xmlDocPtr doc = pl_signed_doc_new("receipt", &root, &ns);
    if (!doc)
        return pl_err_oom(e);
    bool ok = add_text(root, ns, "sender", r->sender) &&
              add_text(root, ns, "receiver", r->receiver) && add_u64(root, ns, "sequence", r->seq) &&
              add_text(root, ns, "batch", r->batch) &&
              add_i64(root, ns, "received", r->received_us) &&
              add_u64(root, ns, "items", r->items) &&
              (!r->checkpoint || add_text(root, ns, "checkpoint", r->checkpoint));
    rc = ok ? pl_signed_doc_finish(e, doc, WHAT_RECEIPT, key, PL_XML_MAX_SIZE, PL_XML_MAX_ITEMS,
                                   out, len)
            : pl_err_oom(e);
    xmlFreeDoc(doc);
    return rc;
}

/* ---- reading --------------------------------------------------------------------- */

static char *text_of(xmlNodePtr n)
{
    xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
    char *s = t ? strdup((const char *)t) : NULL;
    xmlFree(t);
    return s;
}

static char *prop_of(xmlNodePtr n, const char *name)
{
    xmlChar *t = xmlGetProp(n, BAD_CAST name);
    char *s = t ? strdup((const char *)t) : NULL;
    xmlFree(t);
    return s;
}

/* The schema has checked the forms: these only convert. */
static int64_t i64_of(const char *s)
{
    return s ? strtoll(s, NULL, 10) : 0;
}

/* <document digest="..">base64</document>: the bytes, checked against
 * their digest.  @path names the item for messages.  The base64 text is
 * taken out of the tree as it is read (the tree is not read again), so a
 * batch's documents are held once, decoded, not twice. */
static int read_document(pl_err *e, xmlNodePtr n, const char *path, char **out, size_t *len,
                         char digest[65])
{
    xmlNodePtr t = n ? n->children : NULL;
    /* one text node without white space, as the writer makes it: read
     * in place (else a copy, white space taken out) */
    bool one = t && t == n->last && t->type == XML_TEXT_NODE && t->content &&
               !strpbrk((const char *)t->content, " \n\r\t");
    char *copy = one ? NULL : text_of(n), *want = prop_of(n, "digest");
    char *b64 = one ? (char *)t->content : copy;
    size_t bl = b64 ? strlen(b64) : 0, cap = bl / 4 * 3 + 3;
    char *bytes = b64 ? malloc(cap + 1) : NULL;
    int rc = 0;

    if (!b64 || !want || !bytes) {
        rc = pl_err_oom(e);
        goto done;
    }
    /* xs:base64Binary allows whitespace; the writer never puts any */
    size_t w = 0;
    for (size_t r = 0; r < bl; r++)
        if (b64[r] != ' ' && b64[r] != '\n' && b64[r] != '\r' && b64[r] != '\t')
            b64[w++] = b64[r];
    if (!pl_unbase64(b64, w, (unsigned char *)bytes, cap, len)) {
        rc = pl_err_set(e, PLEDGER_EXML, "%s: not base64", path);
        goto done;
    }
    bytes[*len] = '\0';
    if ((rc = pl_xdigest(e, bytes, *len, digest)))
        goto done;
    if (strcmp(digest, want) != 0) {
        rc = pl_err_set(e, PLEDGER_EXML,
                        "%s: the document's SHA-256 is %s, not the %s the batch gives",
                        path, digest, want);
        goto done;
    }
    *out = bytes;
    bytes = NULL;
    xmlNodeSetContent(n, NULL);
done:
    free(copy);
    free(want);
    free(bytes);
    return rc;
}

/* The texts of item @it (at @path) a peer gives this registry hold no
 * character no text given to the registry may carry (pl_text_control):
 * the clerk or registrar who did the step (one line, as an actor's name),
 * the ground (one line) and the note (lines). */
static int check_item_texts(pl_err *e, const char *path, const pl_xitem *it)
{
    const struct {
        const char *name, *value;
        pl_text_lines how;
    } texts[] = {
        { "@by", it->by, PL_TEXT_LINE },
        { "@uuid", it->uuid, PL_TEXT_LINE },
        { "@acceptance_number", it->acceptance_number, PL_TEXT_LINE },
        { "@office", it->office, PL_TEXT_LINE },
        { "registration_number", it->number, PL_TEXT_TRIMMED },
        { "ground", it->ground, PL_TEXT_LINE },
        { "note", it->note, PL_TEXT_LINES },
    };
    uint32_t cp;
    size_t at;

    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (texts[i].value && pl_text_control(texts[i].value, texts[i].how, &cp, &at))
            return pl_err_set(e, PLEDGER_EINVAL,
                              "%s: %s holds U+%04X at character %zu: a control character (or "
                              "one that turns text around), which no text given to the "
                              "registry may carry", path, texts[i].name, (unsigned)cp, at);
    return 0;
}

static int read_item(pl_err *e, xmlNodePtr n, size_t index, pl_xitem *it)
{
    char path[64], *s;
    int rc;

    snprintf(path, sizeof path, "items/%s[%zu]", (const char *)n->name, index + 1);
    it->due = INT32_MIN;
    it->what = pl_xml_is(n, "application") ? PL_XITEM_APPLICATION
               : pl_xml_is(n, "correction") ? PL_XITEM_CORRECTION
                                            : PL_XITEM_RESULT;
    if (!(it->uuid = prop_of(n, "uuid")) || !(it->by = prop_of(n, "by")) ||
        !(s = prop_of(n, "at")))
        return pl_err_oom(e);
    it->at_us = i64_of(s);
    free(s);
    if (it->what != PL_XITEM_RESULT) {
        if (!(s = prop_of(n, "kind")))
            return pl_err_oom(e);
        it->kind = pl_kind_from_name(s);
        free(s);
        if (!(it->acceptance_number = prop_of(n, "acceptance_number")) ||
            !(it->office = prop_of(n, "office")))
            return pl_err_oom(e);
        if ((rc = check_item_texts(e, path, it)))
            return rc;
        strncat(path, "/document", sizeof path - strlen(path) - 1);
        return read_document(e, pl_xml_child(n, "document"), path, &it->document,
                             &it->document_len, it->digest);
    }
    if (!(s = prop_of(n, "state")))
        return pl_err_oom(e);
    for (int st = PLEDGER_APP_DRAFT; st <= PLEDGER_APP_FORWARDED; st++)
        if (strcmp(pl_app_state_name(st), s) == 0)
            it->state = st;
    free(s);
    xmlNodePtr c;
    if ((c = pl_xml_child(n, "registration_number")) && !(it->number = text_of(c)))
        return pl_err_oom(e);
    if ((c = pl_xml_child(n, "ground")) && !(it->ground = text_of(c)))
        return pl_err_oom(e);
    if ((c = pl_xml_child(n, "note")) && !(it->note = text_of(c)))
        return pl_err_oom(e);
    if ((c = pl_xml_child(n, "due"))) {
        if (!(s = text_of(c)))
            return pl_err_oom(e);
        it->due = (int32_t)i64_of(s);
        free(s);
    }
    if ((rc = check_item_texts(e, path, it)))
        return rc;
    if ((c = pl_xml_child(n, "certificate"))) {
        strncat(path, "/certificate", sizeof path - strlen(path) - 1);
        if ((rc = read_document(e, c, path, &it->document, &it->document_len, it->digest)))
            return rc;
    }
    return 0;
}

static int read_batch(pl_err *e, xmlNodePtr root, pl_xbatch *b)
{
    char *s;
    size_t n = 0;
    xmlNodePtr items = pl_xml_child(root, "items"), c;
    int rc;

    if (!(s = text_of(pl_xml_child(root, "sequence"))))
        return pl_err_oom(e);
    errno = 0;
    b->seq = strtoull(s, NULL, 10);
    free(s);
    if (errno)
        return pl_err_set(e, PLEDGER_EXML, "%s: sequence: out of range", WHAT_BATCH);
    if (!(s = text_of(pl_xml_child(root, "previous"))))
        return pl_err_oom(e);
    snprintf(b->previous, sizeof b->previous, "%s", s);
    free(s);
    if (!(s = text_of(pl_xml_child(root, "created"))))
        return pl_err_oom(e);
    b->created_us = i64_of(s);
    free(s);
    if ((c = pl_xml_child(root, "checkpoint")) && !(b->checkpoint = text_of(c)))
        return pl_err_oom(e);
    for (c = items->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            n++;
    if (n > PL_EXCHANGE_MAX_ITEMS)
        return pl_err_set(e, PLEDGER_EXML, "%s: %zu items; a batch carries at most %d",
                          WHAT_BATCH, n, PL_EXCHANGE_MAX_ITEMS);
    if (!(b->items = calloc(n, sizeof *b->items)))
        return pl_err_oom(e);
    for (c = items->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        size_t i = b->n++;
        if ((rc = read_item(e, c, i, &b->items[i])))
            return pl_err_prefix(e, "%s %s #%" PRIu64, WHAT_BATCH, b->sender, b->seq);
    }
    return 0;
}

static int read_receipt(pl_err *e, xmlNodePtr root, pl_xreceipt *r)
{
    char *s;
    if (!(s = text_of(pl_xml_child(root, "sequence"))))
        return pl_err_oom(e);
    errno = 0;
    r->seq = strtoull(s, NULL, 10);
    free(s);
    if (errno)
        return pl_err_set(e, PLEDGER_EXML, "%s: sequence: out of range", WHAT_RECEIPT);
    if (!(s = text_of(pl_xml_child(root, "batch"))))
        return pl_err_oom(e);
    snprintf(r->batch, sizeof r->batch, "%s", s);
    free(s);
    if (!(s = text_of(pl_xml_child(root, "received"))))
        return pl_err_oom(e);
    r->received_us = i64_of(s);
    free(s);
    if (!(s = text_of(pl_xml_child(root, "items"))))
        return pl_err_oom(e);
    r->items = strtoull(s, NULL, 10);
    free(s);
    xmlNodePtr c = pl_xml_child(root, "checkpoint");
    if (c && !(r->checkpoint = text_of(c)))
        return pl_err_oom(e);
    return 0;
}

int pl_xdoc_open(pl_err *e, const char *xml, size_t len, const pl_doc_key *const *keys,
                 size_t n, pl_xdoc_kind *kind, pl_xbatch *batch, pl_xreceipt *receipt)
{
    xmlDocPtr doc = NULL;
    const pl_doc_key **mine = NULL;
    char *sender = NULL, *receiver = NULL, *signer = NULL;
    const char *what = "exchange document";
    size_t nm = 0;
    int rc;

    memset(batch, 0, sizeof *batch);
    memset(receipt, 0, sizeof *receipt);
    *kind = 0;
    if ((rc = pl_xml_check_utf8_declared(e, xml, len, what)) ||
        (rc = pl_xml_parse_large(e, xml, len, what, PL_EXCHANGE_MAX_SIZE, PL_EXCHANGE_MAX_NODES,
                                 &doc)))
        return rc;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (pl_xml_is(root, "batch")) {
        *kind = PL_XDOC_BATCH;
        what = WHAT_BATCH;
    } else if (pl_xml_is(root, "receipt")) {
        *kind = PL_XDOC_RECEIPT;
        what = WHAT_RECEIPT;
    } else {
        rc = pl_err_set(e, PLEDGER_EXML, "%s: the root is <%s>, not <batch> or <receipt>", what,
                        (const char *)root->name);
        goto done;
    }
    /* the sender's keys only: a batch signed by another peer's key is not
     * that peer's batch */
    sender = text_of(pl_xml_child(root, "sender"));
    receiver = text_of(pl_xml_child(root, "receiver"));
    if (!sender || !*sender || strlen(sender) > 16 || !receiver) {
        rc = pl_err_set(e, PLEDGER_EXML, "%s: sender: missing or not an office code", what);
        goto done;
    }
    if (n && !(mine = calloc(n, sizeof *mine))) {
        rc = pl_err_oom(e);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(pl_doc_key_name(keys[i]), sender) == 0)
            mine[nm++] = keys[i];
    if (nm == 0) {
        rc = pl_err_set(e, PLEDGER_EPERM,
                        "%s: sender: no trusted key is named '%.16s': an unknown sender", what,
                        sender);
        goto done;
    }
    if ((rc = pl_signed_doc_check(e, doc, (const char *)root->name, what, PL_EXCHANGE_SCHEMA,
                                  mine, nm, &signer)))
        goto done;
    if (*kind == PL_XDOC_BATCH) {
        if ((rc = pl_xmlsig_signed_digest(e, doc, batch->digest)))
            goto done;
        batch->sender = sender;
        batch->receiver = receiver;
        sender = receiver = NULL;
        if ((rc = read_batch(e, root, batch)))
            pl_xbatch_clear(batch);
    } else {
        receipt->sender = sender;
        receipt->receiver = receiver;
        sender = receiver = NULL;
        if ((rc = read_receipt(e, root, receipt)))
            pl_xreceipt_clear(receipt);
    }
done:
    free(sender);
    free(receiver);
    free(signer);
    free(mine);
    xmlFreeDoc(doc);
    return rc;
}
