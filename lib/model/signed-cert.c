/* The signed certificate: made from a certificate, its event, a proof and
 * a checkpoint; read back with nothing but trusted keys (signed-cert.h). */
#include "model/signed-cert.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/c14n.h>

#include "model/signed-doc.h"
#include "model/xml.h"
#include "store/payload.h"

#define WHAT "signed certificate"

/* ---- the certificate an event issued -------------------------------------------- */

/* Field @i (0-based) of canonical event bytes "<n>:<bytes>,"... */
static bool event_field(const unsigned char *p, size_t len, int want, const unsigned char **f,
                        size_t *flen)
{
    size_t at = 0;
    for (int i = 0; i <= want; i++) {
        size_t n = 0, digits = 0;
        while (at < len && p[at] >= '0' && p[at] <= '9' && digits < 12) {
            n = n * 10 + (size_t)(p[at] - '0');
            at++;
            digits++;
        }
        if (digits == 0 || at >= len || p[at] != ':' || n > len - at - 1 ||
            at + 1 + n >= len || p[at + 1 + n] != ',')
            return false;
        if (i == want) {
            *f = p + at + 1;
            *flen = n;
            return true;
        }
        at += 1 + n + 1;
    }
    return false;
}

/* A string member this reader converts (no \u escape). */
static bool is_string(const pl_member *m)
{
    return m && (m->type == PL_J_STR || m->type == PL_J_ESC);
}

int pl_event_certificate(pl_err *e, const unsigned char *event, size_t len, char **document,
                         int *version, char **code)
{
    const unsigned char *payload;
    size_t plen;
    int rc = 0;

    *document = *code = NULL;
    *version = 0;
    if (!event_field(event, len, 6, &payload, &plen))
        return pl_err_set(e, PLEDGER_EXML, "the event's bytes are not a journal event "
                                           "(7 fields <length>:<bytes>,)");
    /* the payload is read as the journal's replay reads it (store/payload.c) */
    char *text = strndup((const char *)payload, plen);
    pl_payload *p = malloc(sizeof *p);
    if (!text || !p) {
        free(text);
        free(p);
        return pl_err_oom(e);
    }
    pl_payload_read(p, text);
    const pl_member *d = p->plain ? pl_payload_find(p, -1, "certificate__document") : NULL;
    const pl_member *c = p->plain ? pl_payload_find(p, -1, "certificate__code") : NULL;
    const pl_member *v = p->plain ? pl_payload_find(p, -1, "certificate__version") : NULL;
    if (!p->plain)
        rc = pl_err_set(e, PLEDGER_EXML, "the event's payload is not as pledger writes it");
    else if (!pl_payload_find(p, -1, "certificate"))
        rc = pl_err_set(e, PLEDGER_ENOTFOUND, "the event issued no certificate");
    else if (!is_string(d) || !is_string(c) || !v || v->type != PL_J_INT ||
             pl_payload_int(v) < 1 || pl_payload_int(v) > 1000000)
        rc = pl_err_set(e, PLEDGER_EXML, "the event's certificate member is not as pledger "
                                         "writes it (document, code, version)");
    else if (!(*document = pl_payload_string(d)) || !(*code = pl_payload_string(c)))
        rc = pl_err_oom(e);
    else
        *version = (int)pl_payload_int(v);
    if (rc) {
        free(*document);
        free(*code);
        *document = *code = NULL;
    }
    free(p);
    free(text);
    return rc;
}

/* ---- making one ---------------------------------------------------------------- */

static xmlNodePtr add_text(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
    return xmlNewTextChild(parent, ns, BAD_CAST name, BAD_CAST text);
}

/* <log>: the event (its bytes, or only its leaf hash), its inclusion
 * proof in the log of @in->size events, and the checkpoint of that log. */
static int add_log(pl_err *e, xmlNodePtr root, xmlNsPtr ns, const pl_log_evidence *in)
{
    char num[24], *b64 = NULL;
    xmlNodePtr log = xmlNewChild(root, ns, BAD_CAST "log", NULL), ev;

    if (!log)
        return pl_err_oom(e);
    if (in->event)
        b64 = pl_base64(in->event, in->event_len);
    else
        b64 = pl_base64(in->leaf.h, PL_MERKLE_HASH);
    ev = b64 ? add_text(log, ns, in->event ? "event" : "leaf", b64) : NULL;
    free(b64);
    snprintf(num, sizeof num, "%" PRIu64, in->seq);
    if (!ev || !xmlNewProp(ev, BAD_CAST "seq", BAD_CAST num))
        return pl_err_oom(e);
    xmlNodePtr inc = xmlNewChild(log, ns, BAD_CAST "inclusion", NULL);
    snprintf(num, sizeof num, "%" PRIu64, in->size);
    if (!inc || !xmlNewProp(inc, BAD_CAST "size", BAD_CAST num))
        return pl_err_oom(e);
    for (size_t i = 0; i < in->n_proof; i++) {
        bool ok = (b64 = pl_base64(in->proof[i].h, PL_MERKLE_HASH)) && add_text(inc, ns, "hash", b64);
        free(b64);
        if (!ok)
            return pl_err_oom(e);
    }
    return add_text(log, ns, "checkpoint", in->checkpoint) ? 0 : pl_err_oom(e);
}

/* Append a copy of the root of document @xml to @parent. */
static int add_document(pl_err *e, xmlDocPtr doc, xmlNodePtr parent, const char *xml,
                        const char *what)
{
    xmlDocPtr src = NULL;
    int rc = pl_xml_parse(e, xml, strlen(xml), what, &src);
    if (rc)
        return rc;
    xmlNodePtr copy = xmlDocCopyNode(xmlDocGetRootElement(src), doc, 1);
    xmlFreeDoc(src);
    if (!copy || !xmlAddChild(parent, copy)) {
        xmlFreeNode(copy);
        return pl_err_oom(e);
    }
    return 0;
}

int pl_signed_cert_make(pl_err *e, const pl_signed_cert_in *in, const pl_doc_key *key,
                        char **out, size_t *len)
{
    xmlNodePtr root;
    xmlNsPtr ns;
    int rc;

    *out = NULL;
    pl_xml_init();
    xmlDocPtr doc = pl_signed_doc_new("signedCertificate", &root, &ns);
    if (!doc)
        return pl_err_oom(e);
    if (!(rc = add_document(e, doc, root, in->certificate, "certificate")) &&
        !(rc = add_log(e, root, ns, &in->log)))
        rc = pl_signed_doc_finish(e, doc, WHAT, key, PL_XML_MAX_SIZE, PL_XML_MAX_ITEMS, out, len);
    xmlFreeDoc(doc);
    return rc;
}

/* ---- reading one --------------------------------------------------------------- */

/* Exclusive C14N of @n as the root of a document of its own. */
static int c14n_of(pl_err *e, xmlNodePtr n, xmlChar **out, int *len)
{
    xmlDocPtr d;
    if (pl_xml_doc_of(e, n, &d))
        return PLEDGER_ENOMEM;
    *len = xmlC14NDocDumpMemory(d, NULL, XML_C14N_EXCLUSIVE_1_0, NULL, 0, out);
    xmlFreeDoc(d);
    return *len < 0 ? pl_err_oom(e) : 0;
}

static char *text_of(xmlNodePtr n)
{
    xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
    char *s = t ? strdup((const char *)t) : NULL;
    xmlFree(t);
    return s;
}

static bool u64_attr(xmlNodePtr n, const char *name, uint64_t *v)
{
    xmlChar *a = xmlGetProp(n, BAD_CAST name);
    char *end;
    errno = 0;
    bool ok = a && a[0] >= '1' && a[0] <= '9' &&
              (*v = strtoull((const char *)a, &end, 10), !errno && !*end);
    xmlFree(a);
    return ok;
}

static bool b64_of(xmlNodePtr n, unsigned char **out, size_t *len)
{
    char *t = text_of(n);
    size_t tl = t ? strlen(t) : 0;
    *out = t ? malloc(tl / 4 * 3 + 3) : NULL;
    bool ok = *out && pl_unbase64(t, tl, *out, tl / 4 * 3 + 3, len);
    free(t);
    if (!ok) {
        free(*out);
        *out = NULL;
    }
    return ok;
}

/* <log>, read and checked: the checkpoint signed by a trusted key and of
 * the proof's log size, the event (or leaf) included in its tree.  With
 * @want_event, <event> must be there and its bytes are returned in
 * *@bytes; otherwise <leaf>. */
static int read_log(pl_err *e, xmlNodePtr root, const pl_note_checker *notes, bool want_event,
                    pl_log_checked *out, unsigned char **bytes, size_t *nbytes)
{
    xmlNodePtr log = pl_xml_child(root, "log");
    xmlNodePtr ev = pl_xml_child(log, want_event ? "event" : "leaf");
    xmlNodePtr inc = pl_xml_child(log, "inclusion"), cp = pl_xml_child(log, "checkpoint");
    pl_note_opened o = { 0 };
    pl_mhash proof[PL_MERKLE_MAX_PROOF], root_hash;
    size_t n_proof = 0;
    uint64_t cp_size = 0;
    char *origin = NULL;
    int rc = 0;

    *bytes = NULL;
    *nbytes = 0;
    if (!ev || !inc || !cp || !u64_attr(ev, "seq", &out->seq) ||
        !u64_attr(inc, "size", &out->size) || !b64_of(ev, bytes, nbytes))
        return pl_err_set(e, PLEDGER_EXML, "log/%s: not an event number and base64 %s",
                          want_event ? "event" : "leaf", want_event ? "bytes" : "hash");
    if (!want_event && *nbytes != PL_MERKLE_HASH) {
        rc = pl_err_set(e, PLEDGER_EXML, "log/leaf: not a SHA-256 hash");
        goto done;
    }
    for (xmlNodePtr h = inc->children; h; h = h->next) {
        if (h->type != XML_ELEMENT_NODE)
            continue;
        char *t = text_of(h);
        size_t got = 0;
        bool ok = t && n_proof < PL_MERKLE_MAX_PROOF &&
                  pl_unbase64(t, strlen(t), proof[n_proof].h, PL_MERKLE_HASH, &got) &&
                  got == PL_MERKLE_HASH;
        free(t);
        if (!ok) {
            rc = pl_err_set(e, PLEDGER_EXML, "log/inclusion/hash[%zu]: not a base64 SHA-256 hash",
                            n_proof + 1);
            goto done;
        }
        n_proof++;
    }
    /* the checkpoint: signed by a trusted key, of this log size */
    if (!(out->checkpoint = text_of(cp))) {
        rc = pl_err_oom(e);
        goto done;
    }
    if ((rc = notes->open(notes->ctx, e, out->checkpoint, strlen(out->checkpoint), &o))) {
        pl_err_prefix(e, "log/checkpoint");
        goto done;
    }
    if ((rc = pl_checkpoint_parse(e, o.text, &origin, &cp_size, &root_hash))) {
        pl_err_prefix(e, "log/checkpoint");
        goto done;
    }
    if (cp_size != out->size) {
        rc = pl_err_set(e, PLEDGER_ECODE,
                        "log/checkpoint: it is of %" PRIu64 " events, the proof of %" PRIu64,
                        cp_size, out->size);
        goto done;
    }
    out->origin = origin;
    origin = NULL;
    out->n_note_signers = o.n_verified;
    memcpy(out->note_signers, o.verified, o.n_verified * sizeof o.verified[0]);
    /* the event is in that tree */
    if (want_event)
        rc = pl_merkle_leaf(&out->leaf, *bytes, *nbytes);
    else
        memcpy(out->leaf.h, *bytes, PL_MERKLE_HASH);
    if (rc)
        goto done;
    if (out->seq > out->size)
        rc = pl_err_set(e, PLEDGER_ECODE, "log/%s: event %" PRIu64 " is not in a log of %" PRIu64
                        " events", want_event ? "event" : "leaf", out->seq, out->size);
    else if (!pl_merkle_verify_inclusion(out->seq - 1, out->size, &out->leaf, proof, n_proof,
                                         &root_hash))
        rc = pl_err_set(e, PLEDGER_ECODE,
                        "log/inclusion: the proof does not lead from event %" PRIu64
                        " to the checkpoint's root", out->seq);
done:
    if (rc) {
        free(*bytes);
        *bytes = NULL;
    }
    free(origin);
    pl_note_opened_clear(&o);
    return rc;
}

/* The event issued this certificate: its payload carries the same
 * document (compared canonically). */
static int check_issued(pl_err *e, const unsigned char *bytes, size_t nbytes, xmlNodePtr cert_el,
                        pl_signed_cert *out)
{
    xmlDocPtr logged = NULL;
    xmlChar *c1 = NULL, *c2 = NULL;
    int l1 = 0, l2 = 0, rc;

    if ((rc = pl_event_certificate(e, bytes, nbytes, &out->document, &out->version,
                                   &out->code)))
        return rc == PLEDGER_ENOTFOUND
                   ? pl_err_set(e, PLEDGER_ECODE, "log/event: the event issued no certificate")
                   : pl_err_prefix(e, "log/event");
    if (!(rc = pl_xml_parse(e, out->document, strlen(out->document), "the logged certificate",
                            &logged)) &&
        !(rc = c14n_of(e, xmlDocGetRootElement(logged), &c1, &l1)) &&
        !(rc = c14n_of(e, cert_el, &c2, &l2)) && (l1 != l2 || memcmp(c1, c2, (size_t)l1) != 0))
        rc = pl_err_set(e, PLEDGER_ECODE,
                        "certificate: it differs from the one event %" PRIu64 " issued",
                        out->log.seq);
    xmlFree(c1);
    xmlFree(c2);
    xmlFreeDoc(logged);
    return rc;
}

int pl_signed_cert_open(pl_err *e, const char *xml, size_t len,
                        const pl_doc_key *const *doc_keys, size_t n_doc,
                        const pl_note_checker *notes, pl_signed_cert *out)
{
    xmlDocPtr doc = NULL;
    unsigned char *bytes = NULL;
    size_t nbytes = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = pl_signed_doc_open(e, xml, len, "signedCertificate", WHAT, PL_XML_SCHEMA, PL_XML_MAX_SIZE,
                                  PL_XML_MAX_ITEMS, doc_keys, n_doc, &doc,
                          &out->signer)))
        return rc;
    xmlNodePtr root = xmlDocGetRootElement(doc), cert = pl_xml_child(root, "certificate");
    if ((rc = read_log(e, root, notes, true, &out->log, &bytes, &nbytes)) ||
        (rc = check_issued(e, bytes, nbytes, cert, out)))
        pl_err_prefix(e, WHAT);
    else if (!(out->number = text_of(pl_xml_child(cert, "registration_number"))))
        rc = pl_err_oom(e);
    free(bytes);
    xmlFreeDoc(doc);
    if (rc)
        pl_signed_cert_clear(out);
    return rc;
}

void pl_signed_cert_clear(pl_signed_cert *c)
{
    free(c->document);
    free(c->number);
    free(c->code);
    free(c->log.origin);
    free(c->log.checkpoint);
    free(c->signer);
    memset(c, 0, sizeof *c);
}

/* ---- verification statements -------------------------------------------------- */

#define WHAT_ST "verification statement"

int pl_statement_make(pl_err *e, const pl_statement_in *in, const pl_doc_key *key, char **out,
                      size_t *len)
{
    xmlNodePtr root;
    xmlNsPtr ns;
    char num[16];
    int rc = 0;

    *out = NULL;
    pl_xml_init();
    xmlDocPtr doc = pl_signed_doc_new("verificationStatement", &root, &ns);
    if (!doc)
        return pl_err_oom(e);
    xmlNodePtr to;
    snprintf(num, sizeof num, "%d", in->rank);
    if (!add_text(root, ns, "registration_number", in->number) ||
        !add_text(root, ns, "as_of", in->as_of) ||
        !add_text(root, ns, "answered_at", in->answered_at) ||
        !(to = add_text(root, ns, "answered_to", in->actor)) ||
        !xmlNewProp(to, BAD_CAST "role", BAD_CAST in->role) ||
        !add_text(root, ns, "code_status", in->code_status) ||
        !add_text(root, ns, "rank", num))
        rc = pl_err_oom(e);
    if (!rc && !(rc = add_document(e, doc, root, in->pledge, "pledge")) &&
        !(rc = add_log(e, root, ns, &in->log)))
        rc = pl_signed_doc_finish(e, doc, WHAT_ST, key, PL_XML_MAX_SIZE, PL_XML_MAX_ITEMS, out,
                                  len);
    xmlFreeDoc(doc);
    return rc;
}

int pl_statement_open(pl_err *e, const char *xml, size_t len, const pl_doc_key *const *doc_keys,
                      size_t n_doc, const pl_note_checker *notes, pl_statement *out)
{
    xmlDocPtr doc = NULL;
    unsigned char *bytes = NULL;
    size_t nbytes = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = pl_signed_doc_open(e, xml, len, "verificationStatement", WHAT_ST, PL_XML_SCHEMA,
                                  PL_XML_MAX_SIZE, PL_XML_MAX_ITEMS, doc_keys, n_doc, &doc,
                          &out->signer)))
        return rc;
    xmlNodePtr root = xmlDocGetRootElement(doc), pledge = pl_xml_child(root, "pledge");
    if ((rc = read_log(e, root, notes, false, &out->log, &bytes, &nbytes))) {
        pl_err_prefix(e, WHAT_ST);
        goto done;
    }
    char *rank = text_of(pl_xml_child(root, "rank"));
    xmlDocPtr pd = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr copy = pd ? xmlDocCopyNode(pledge, pd, 1) : NULL;
    if (copy)
        xmlDocSetRootElement(pd, copy);
    out->number = text_of(pl_xml_child(root, "registration_number"));
    out->as_of = text_of(pl_xml_child(root, "as_of"));
    out->answered_at = text_of(pl_xml_child(root, "answered_at"));
    out->actor = text_of(pl_xml_child(root, "answered_to"));
    out->code_status = text_of(pl_xml_child(root, "code_status"));
    out->state = text_of(pl_xml_child(pledge, "state"));
    /* xs:nonNegativeInteger: any length; a rank past INT_MAX is no rank */
    long r = rank ? strtol(rank, NULL, 10) : 0;
    out->rank = r > 0 && r < INT_MAX ? (int)r : 0;
    free(rank);
    if (!copy || !out->number || !out->as_of || !out->answered_at || !out->actor ||
        !out->code_status || !out->state ||
        (rc = pl_xml_dump(e, pd, &out->document, NULL)))
        rc = rc ? rc : pl_err_oom(e);
    xmlFreeDoc(pd);
done:
    free(bytes);
    xmlFreeDoc(doc);
    if (rc)
        pl_statement_clear(out);
    return rc;
}

void pl_statement_clear(pl_statement *s)
{
    char **all[] = { &s->document, &s->number, &s->as_of, &s->answered_at, &s->actor,
                     &s->code_status, &s->state, &s->log.origin, &s->log.checkpoint, &s->signer };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(*all[i]);
    memset(s, 0, sizeof *s);
}
