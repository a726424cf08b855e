#include "model/exchange-doc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
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

static bool prop_i64(xmlNodePtr n, const char *name, int64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%" PRId64, v);
    return xmlNewProp(n, BAD_CAST name, BAD_CAST num) != NULL;
}

/* <name digest="...">base64</name> */
static bool add_document(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *doc,
                         size_t len, const char *digest)
{
    char *b64 = pl_base64((const unsigned char *)doc, len);
    xmlNodePtr n = b64 ? xmlNewTextChild(parent, ns, BAD_CAST name, BAD_CAST b64) : NULL;
    free(b64);
    return n && xmlNewProp(n, BAD_CAST "digest", BAD_CAST digest);
}

static bool add_item(xmlNodePtr items, xmlNsPtr ns, const pl_xitem *it)
{
    xmlNodePtr n = xmlNewChild(items, ns, BAD_CAST pl_xwhat_name(it->what), NULL);
    if (!n || !xmlNewProp(n, BAD_CAST "uuid", BAD_CAST it->uuid))
        return false;
    if (it->what != PL_XITEM_RESULT) {
        return xmlNewProp(n, BAD_CAST "kind", BAD_CAST pl_kind(it->kind)->name) &&
               xmlNewProp(n, BAD_CAST "acceptance_number", BAD_CAST it->acceptance_number) &&
               xmlNewProp(n, BAD_CAST "office", BAD_CAST it->office) &&
               prop_i64(n, "at", it->at_us) && xmlNewProp(n, BAD_CAST "by", BAD_CAST it->by) &&
               add_document(n, ns, "document", it->document, it->document_len, it->digest);
    }
    if (!xmlNewProp(n, BAD_CAST "state", BAD_CAST pl_app_state_name(it->state)) ||
        !prop_i64(n, "at", it->at_us) || !xmlNewProp(n, BAD_CAST "by", BAD_CAST it->by))
        return false;
    return (!it->number || add_text(n, ns, "registration_number", it->number)) &&
           (!it->document ||
            add_document(n, ns, "certificate", it->document, it->document_len, it->digest)) &&
           (!it->ground || add_text(n, ns, "ground", it->ground)) &&
           (!it->note || add_text(n, ns, "note", it->note)) &&
           (it->due == INT32_MIN || add_i64(n, ns, "due", it->due));
}

int pl_xbatch_make(pl_err *e, const pl_xbatch *b, const pl_doc_key *key, char **out,
                   size_t *len)
{
    xmlNodePtr root, items;
    xmlNsPtr ns;
    int rc;

    *out = NULL;
    pl_xml_init();
    xmlDocPtr doc = pl_signed_doc_new("batch", &root, &ns);
    if (!doc)
        return pl_err_oom(e);
    bool ok = add_text(root, ns, "sender", b->sender) &&
              add_text(root, ns, "receiver", b->receiver) && add_u64(root, ns, "sequence", b->seq) &&
              add_text(root, ns, "previous", b->previous) &&
              add_i64(root, ns, "created", b->created_us) &&
              (items = xmlNewChild(root, ns, BAD_CAST "items", NULL)) != NULL;
    for (size_t i = 0; ok && i < b->n; i++)
        ok = add_item(items, ns, &b->items[i]);
    if (ok && b->checkpoint)
        ok = add_text(root, ns, "checkpoint", b->checkpoint);
    rc = ok ? pl_signed_doc_finish(e, doc, WHAT_BATCH, key, PL_EXCHANGE_MAX_SIZE,
                                   PL_EXCHANGE_MAX_NODES, out, len)
            : pl_err_oom(e);
    xmlFreeDoc(doc);
    return rc;
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
 * their digest.  @path names the item for messages. */
static int read_document(pl_err *e, xmlNodePtr n, const char *path, char **out, size_t *len,
                         char digest[65])
{
    char *b64 = text_of(n), *want = prop_of(n, "digest");
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
done:
    free(b64);
    free(want);
    free(bytes);
    return rc;
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
