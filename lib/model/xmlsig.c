/* XML Signature: document keys, and signing and checking through
 * libxmlsec1 (see xmlsig.h for the profile).  Why libxmlsec1 and not a
 * hand-written signer: canonicalisation (exclusive C14N) is where XML
 * signature implementations go wrong, and the peers that check pledger's
 * documents (xmlsec1, Java's and .NET's XML-DSig) share libxmlsec1's
 * reading of the W3C text. */
#include "model/xmlsig.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "base/hash.h"
#include "base/i18n.h"
#include "base/note.h"
#include "model/xml.h"

struct pl_doc_key {
    char *name;
    EVP_PKEY *pkey;
    bool priv;
    bool ec;            /* ECDSA P-256; else RSA */
    char type[24];
};

/* ---- keys ----------------------------------------------------------------------- */

int pl_doc_key_take(pl_err *e, const char *name, EVP_PKEY *pkey, bool priv, bool *other_type,
                    pl_doc_key **out)
{
    bool ec = false;
    char type[24];

    *out = NULL;
    *other_type = false;
    if (EVP_PKEY_is_a(pkey, "EC")) {
        char group[64] = "";
        size_t glen = 0;
        if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                            sizeof group, &glen) ||
            strcmp(group, "prime256v1") != 0) {
            EVP_PKEY_free(pkey);
            return pl_err_set(e, PLEDGER_EINVAL,
                              "key '%s': an EC key on curve '%s'; certificates are signed "
                              "with ECDSA on P-256 (prime256v1) or RSA", name,
                              group[0] ? group : "?");
        }
        ec = true;
        snprintf(type, sizeof type, "ecdsa-p256");
    } else if (EVP_PKEY_is_a(pkey, "RSA")) {
        int bits = EVP_PKEY_get_bits(pkey);
        if (bits < 2048) {
            EVP_PKEY_free(pkey);
            return pl_err_set(e, PLEDGER_EINVAL,
                              "key '%s': an RSA key of %d bits; at least 2048 are needed", name,
                              bits);
        }
        snprintf(type, sizeof type, "rsa-%d", bits);
    } else {
        *other_type = true;   /* the caller keeps @pkey */
        return pl_err_set(e, PLEDGER_EINVAL,
                          "key '%s': not an ECDSA P-256 or RSA key (what certificates are "
                          "signed with)", name);
    }
    pl_doc_key *k = calloc(1, sizeof *k);
    if (!k || !(k->name = strdup(name))) {
        free(k);
        EVP_PKEY_free(pkey);
        return pl_err_oom(e);
    }
    k->pkey = pkey;
    k->priv = priv;
    k->ec = ec;
    memcpy(k->type, type, sizeof type);
    *out = k;
    return 0;
}

int pl_doc_key_pem(pl_err *e, const char *name, const char *pem, size_t len, bool *other_type,
                   pl_doc_key **out)
{
    EVP_PKEY *pkey;
    bool priv;
    int rc = pl_pem_key_read(e, name, pem, len, &pkey, &priv);

    *out = NULL;
    *other_type = false;
    if (rc)
        return rc;
    if ((rc = pl_doc_key_take(e, name, pkey, priv, other_type, out)) && *other_type)
        EVP_PKEY_free(pkey);
    return rc;
}

void pl_doc_key_free(pl_doc_key *k)
{
    if (!k)
        return;
    EVP_PKEY_free(k->pkey);
    free(k->name);
    free(k);
}

const char *pl_doc_key_name(const pl_doc_key *k) { return k->name; }
bool pl_doc_key_can_sign(const pl_doc_key *k) { return k->priv; }
const char *pl_doc_key_type(const pl_doc_key *k) { return k->type; }

bool pl_doc_key_same(const pl_doc_key *a, const pl_doc_key *b)
{
    return strcmp(a->name, b->name) == 0 && EVP_PKEY_eq(a->pkey, b->pkey) == 1;
}

/* The element child of @parent named @name in the XML-DSig namespace. */
static xmlNodePtr dsig_child(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr n = parent ? parent->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && n->ns &&
            xmlStrEqual(n->ns->href, BAD_CAST PL_XMLDSIG_NS) &&
            xmlStrEqual(n->name, BAD_CAST name))
            return n;
    return NULL;
}

int pl_xmlsig_signed_digest(pl_err *e, xmlDocPtr doc, char out[65])
{
    xmlNodePtr root = xmlDocGetRootElement(doc), sig = NULL;
    unsigned char b64[64], raw[48];
    size_t n = 0;

    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            sig = c;
    xmlNodePtr dv = NULL;
    if (sig && sig->ns && xmlStrEqual(sig->ns->href, BAD_CAST PL_XMLDSIG_NS) &&
        xmlStrEqual(sig->name, BAD_CAST "Signature"))
        dv = dsig_child(dsig_child(dsig_child(sig, "SignedInfo"), "Reference"), "DigestValue");
    xmlChar *text = dv ? xmlNodeGetContent(dv) : NULL;
    for (const xmlChar *p = text; p && *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            continue;
        if (n == sizeof b64 - 1) {
            n = 0;
            break;
        }
        b64[n++] = *p;
    }
    b64[n] = '\0';
    xmlFree(text);
    /* SHA-256: 32 bytes, 44 base64 characters ending in one '=' */
    if (n != 44 || b64[43] != '=' || b64[42] == '=' ||
        EVP_DecodeBlock(raw, b64, (int)n) != 33)
        return pl_err_set(e, PLEDGER_ECODE,
                          "the document's signature has no SHA-256 reference digest");
    pl_hex(raw, 32, out);
    return 0;
}

#ifndef PL_HAVE_XMLSEC

bool pl_xmlsig_available(void) { return false; }

int pl_xmlsig_sign(pl_err *e, xmlDocPtr doc, const pl_doc_key *key)
{
    (void)doc;
    (void)key;
    return pl_err_set(e, PLEDGER_ENOTSUP,
                      "XML signatures: this libpledger was built without libxmlsec1 "
                      "(Debian: libxmlsec1-dev)");
}

int pl_xmlsig_signature_text(pl_err *e, const pl_doc_key *key, const unsigned char digest[32],
                             char **out)
{
    (void)key;
    (void)digest;
    *out = NULL;
    return pl_xmlsig_sign(e, NULL, NULL);
}

int pl_xmlsig_verify(pl_err *e, xmlDocPtr doc, const pl_doc_key *const *trusted, size_t n,
                     const pl_doc_key **signer)
{
    (void)doc;
    (void)trusted;
    (void)n;
    *signer = NULL;
    return pl_xmlsig_sign(e, NULL, NULL);
}

#else /* PL_HAVE_XMLSEC */

#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

bool pl_xmlsig_available(void) { return true; }

/* libxmlsec1 reports errors through one process-wide callback; pledger
 * never prints, so the callback keeps the first message of the current
 * call in a thread-local buffer. */
static _Thread_local char last_error[200];
static _Thread_local char last_detail[200]; /* its message alone, for words() */

static void on_error(const char *file, int line, const char *func, const char *object,
                     const char *subject, int reason, const char *msg)
{
    (void)file;
    (void)line;
    (void)object;
    (void)reason;
    if (!last_error[0]) {
        snprintf(last_error, sizeof last_error, "%s%s%s%s%s", func ? func : "",
                 subject ? ": " : "", subject ? subject : "", msg ? ": " : "", msg ? msg : "");
        snprintf(last_detail, sizeof last_detail, "%s", msg ? msg : "");
    }
}

/* Why libxmlsec1 could not process a signature, in words a person reads
 * (libxmlsec1's own name its functions: "xmlSecTransformNodeRead:
 * xmlSecTransformIdListFindByHref: href=..."), in English into @en and
 * in the current language into @local (empty: no translation). */
static void words(char *en, char *local, size_t size, bool key_ec)
{
    const char *d = last_detail, *p;
    /* an algorithm pledger takes, of the other kind of key than the one
     * tried: signed with another key, not in a foreign algorithm */
    bool rsa = strstr(d, "#rsa-sha256") != NULL, ecdsa = strstr(d, "#ecdsa-sha256") != NULL;
    if (strncmp(d, "href=", 5) == 0 && ((rsa && key_ec) || (ecdsa && !key_ec))) {
        pl_say(en, local, size, N_("the signature is made with an %s key (%.150s); the key "
               "trusted for its signer is an %s key: it was signed with another key"),
               rsa ? "RSA" : "ECDSA P-256", d + 5, key_ec ? "ECDSA P-256" : "RSA");
    } else if (strncmp(d, "href=", 5) == 0) {
        pl_say(en, local, size, N_("the signature names an algorithm this registry does not "
               "accept (%.150s)"), d + 5);
    } else if ((p = strstr(d, "actual=")) && strstr(d, "expected=")) {
        const char *x = strstr(d, "expected=") + 9;
        int na = (int)strcspn(p + 7, "; ");
        pl_say(en, local, size, N_("the signature has the element <%.*s> where <%.*s> belongs"),
               na, p + 7, (int)strcspn(x, "; "), x);
    } else if (strstr(d, "base64")) {
        pl_say(en, local, size, N_("a value in the signature is not base64"));
    } else if (last_error[0]) {
        pl_say(en, local, size, N_("the signature cannot be read (%.150s)"),
               d[0] ? d : last_error);
    } else {
        pl_say(en, local, size, N_("the signature cannot be read"));
    }
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_status = -1;

static void init_xmlsec(void)
{
    pl_xml_init();
    xmlSecErrorsSetCallback(on_error);
    if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1 || xmlSecCryptoAppInit(NULL) < 0 ||
        xmlSecCryptoInit() < 0)
        return;
    xmlSecErrorsSetCallback(on_error);   /* the initialisation may have reset it */
    init_status = 0;
}

static int start(pl_err *e)
{
    pthread_once(&init_once, init_xmlsec);
    last_error[0] = '\0';
    if (init_status != 0)
        return pl_err_set(e, PLEDGER_EIO, "XML signatures: libxmlsec1 did not initialise");
    return 0;
}

/* An xmlsec key for @k (its own reference to the EVP key). */
static xmlSecKeyPtr xmlsec_key(const pl_doc_key *k)
{
    if (EVP_PKEY_up_ref(k->pkey) != 1)
        return NULL;
    xmlSecKeyDataPtr data = xmlSecOpenSSLEvpKeyAdopt(k->pkey);
    if (!data) {
        EVP_PKEY_free(k->pkey);
        return NULL;
    }
    xmlSecKeyPtr key = xmlSecKeyCreate();
    if (!key || xmlSecKeySetValue(key, data) < 0) {
        xmlSecKeyDataDestroy(data);
        if (key)
            xmlSecKeyDestroy(key);
        return NULL;
    }
    return key;
}

int pl_xmlsig_sign(pl_err *e, xmlDocPtr doc, const pl_doc_key *key)
{
    int rc;
    if ((rc = start(e)))
        return rc;
    if (!key->priv)
        return pl_err_set(e, PLEDGER_EINVAL, "key '%s' is a public key: it cannot sign",
                          key->name);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr sig = xmlSecTmplSignatureCreate(
        doc, xmlSecTransformExclC14NId,
        key->ec ? xmlSecTransformEcdsaSha256Id : xmlSecTransformRsaSha256Id, NULL);
    if (!sig)
        return pl_err_oom(e);
    if (!xmlAddChild(root, sig)) {
        xmlFreeNode(sig);
        return pl_err_oom(e);
    }
    xmlNodePtr ref = xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id, NULL,
                                                     BAD_CAST "", NULL);
    xmlNodePtr ki = ref ? xmlSecTmplSignatureEnsureKeyInfo(sig, NULL) : NULL;
    if (!ref || !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) ||
        !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformExclC14NId) || !ki ||
        !xmlSecTmplKeyInfoAddKeyName(ki, BAD_CAST key->name))
        return pl_err_oom(e);
    xmlSecDSigCtxPtr ctx = xmlSecDSigCtxCreate(NULL);
    if (!ctx)
        return pl_err_oom(e);
    if (!(ctx->signKey = xmlsec_key(key))) {
        xmlSecDSigCtxDestroy(ctx);
        return pl_err_oom(e);
    }
    /* KeyName is written from the key's name */
    if (xmlSecKeySetName(ctx->signKey, BAD_CAST key->name) < 0)
        rc = pl_err_oom(e);
    else if (xmlSecDSigCtxSign(ctx, sig) < 0)
        rc = pl_err_set(e, PLEDGER_EIO, "signing with key '%s' failed: %s", key->name,
                        last_error[0] ? last_error : "libxmlsec1 gave no reason");
    xmlSecDSigCtxDestroy(ctx);
    return rc;
}

/* SignedInfo as pl_xmlsig_sign() makes it (libxmlsec1's template: a
 * line end between elements), %s its namespace declaration (only in its
 * canonical form: in the document it inherits ds from <Signature>), %s
 * the signature method, %s the digest in base64. */
static const char signed_info[] =
    "<SignedInfo%s>\n"
    "<CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\">"
    "</CanonicalizationMethod>\n"
    "<SignatureMethod Algorithm=\"%s\"></SignatureMethod>\n"
    "<Reference URI=\"\">\n"
    "<Transforms>\n"
    "<Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\">"
    "</Transform>\n"
    "<Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"></Transform>\n"
    "</Transforms>\n"
    "<DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"></DigestMethod>\n"
    "<DigestValue>%s</DigestValue>\n"
    "</Reference>\n"
    "</SignedInfo>";

/* The XML-DSig SignatureValue of the @n bytes at @tbs with @k: RSA
 * PKCS#1 v1.5 as it is, ECDSA as r || s of 32 bytes each (not DER). */
static int sign_bytes(pl_err *e, const pl_doc_key *k, const char *tbs, size_t n,
                      unsigned char **sig, size_t *slen)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char *der = NULL;
    size_t dlen = 0;
    int rc = 0;

    *sig = NULL;
    if (!ctx || EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, k->pkey) != 1 ||
        EVP_DigestSign(ctx, NULL, &dlen, (const unsigned char *)tbs, n) != 1 ||
        !(der = malloc(dlen)) ||
        EVP_DigestSign(ctx, der, &dlen, (const unsigned char *)tbs, n) != 1) {
        rc = pl_err_set(e, PLEDGER_EIO, "signing with key '%s' failed", k->name);
        goto done;
    }
    if (!k->ec) {
        *sig = der;
        *slen = dlen;
        der = NULL;
        goto done;
    }
    const unsigned char *p = der;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
    unsigned char *raw = es ? malloc(64) : NULL;
    if (!raw || BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, 32) != 32 ||
        BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + 32, 32) != 32) {
        free(raw);
        rc = pl_err_set(e, PLEDGER_EIO, "signing with key '%s' failed", k->name);
    } else {
        *sig = raw;
        *slen = 64;
    }
    ECDSA_SIG_free(es);
done:
    free(der);
    EVP_MD_CTX_free(ctx);
    return rc;
}

int pl_xmlsig_signature_text(pl_err *e, const pl_doc_key *key, const unsigned char digest[32],
                             char **out)
{
    const char *method = key->ec ? "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
                                 : "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    char dv[48], *canon = NULL, *info = NULL, *value = NULL;
    unsigned char *sig = NULL;
    size_t slen = 0;
    int rc;

    *out = NULL;
    if ((rc = start(e)))
        return rc;
    if (!key->priv)
        return pl_err_set(e, PLEDGER_EINVAL, "key '%s' is a public key: it cannot sign",
                          key->name);
    /* office codes and key names are plain; never a character to escape */
    for (const char *c = key->name; *c; c++)
        if (*c == '<' || *c == '&' || *c == '>' || (unsigned char)*c < 0x20)
            return pl_err_set(e, PLEDGER_EINVAL, "key '%s': its name cannot be a KeyName",
                              key->name);
    EVP_EncodeBlock((unsigned char *)dv, digest, 32);
    if (asprintf(&canon, signed_info, " xmlns=\"" PL_XMLDSIG_NS "\"", method, dv) < 0) {
        canon = NULL;
        rc = pl_err_oom(e);
    } else if (asprintf(&info, signed_info, "", method, dv) < 0) {
        info = NULL;
        rc = pl_err_oom(e);
    } else if (!(rc = sign_bytes(e, key, canon, strlen(canon), &sig, &slen)) &&
               !(value = pl_base64(sig, slen))) {
        rc = pl_err_oom(e);
    }
    if (!rc && asprintf(out, "<Signature xmlns=\"" PL_XMLDSIG_NS "\">\n%s\n"
                        "<SignatureValue>%s</SignatureValue>\n<KeyInfo>\n<KeyName>%s</KeyName>\n"
                        "</KeyInfo>\n</Signature>", info, value, key->name) < 0) {
        *out = NULL;
        rc = pl_err_oom(e);
    }
    free(canon);
    free(info);
    free(value);
    free(sig);
    return rc;
}

/* The one Signature the profile allows: the root's last element child.
 * Any other ds:Signature in the document is refused (a second signature
 * over another part is how signature-wrapping attacks begin). */
static int find_signature(pl_err *e, xmlDocPtr doc, xmlNodePtr *out)
{
    xmlNodePtr root = xmlDocGetRootElement(doc), last = NULL, n = root;
    size_t count = 0;

    *out = NULL;
    while (n) {   /* document order, iteratively */
        if (n->type == XML_ELEMENT_NODE && n->ns &&
            xmlStrEqual(n->ns->href, BAD_CAST PL_XMLDSIG_NS) &&
            xmlStrEqual(n->name, BAD_CAST "Signature"))
            count++;
        if (n->children && n->type == XML_ELEMENT_NODE) {
            n = n->children;
            continue;
        }
        while (n && n != root && !n->next)
            n = n->parent;
        if (!n || n == root)
            break;
        n = n->next;
    }
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            last = c;
    if (count == 0 || !last || !last->ns ||
        !xmlStrEqual(last->ns->href, BAD_CAST PL_XMLDSIG_NS) ||
        !xmlStrEqual(last->name, BAD_CAST "Signature"))
        return pl_err_set(e, PLEDGER_ECODE,
                          "the document is not signed (no Signature as the last element of "
                          "<%s>)", (const char *)root->name);
    if (count > 1)
        return pl_err_set(e, PLEDGER_ECODE,
                          "the document has %zu Signature elements; one, over the whole "
                          "document, is expected", count);
    *out = last;
    return 0;
}

/* The reference must be the whole document ("" only), with the
 * enveloped-signature and exclusive C14N transforms and nothing else. */
static int check_reference(pl_err *e, xmlSecDSigCtxPtr ctx)
{
    if (xmlSecPtrListGetSize(&ctx->signedInfoReferences) != 1)
        return pl_err_set(e, PLEDGER_ECODE,
                          "the signature has %u references; one, to the whole document, is "
                          "expected", (unsigned)xmlSecPtrListGetSize(&ctx->signedInfoReferences));
    xmlSecDSigReferenceCtxPtr ref = xmlSecPtrListGetItem(&ctx->signedInfoReferences, 0);
    if (!ref || !ref->uri || ref->uri[0] != '\0')
        return pl_err_set(e, PLEDGER_ECODE,
                          "the signature's reference is to '%.80s', not to the whole document "
                          "(URI=\"\")", ref && ref->uri ? (const char *)ref->uri : "(none)");
    return 0;
}

int pl_xmlsig_verify(pl_err *e, xmlDocPtr doc, const pl_doc_key *const *trusted, size_t n,
                     const pl_doc_key **signer)
{
    xmlNodePtr sig;
    int rc;

    *signer = NULL;
    if ((rc = start(e)) || (rc = find_signature(e, doc, &sig)))
        return rc;
    if (n == 0)
        return pl_err_set(e, PLEDGER_ECODE,
                          "no trusted certificate key (ECDSA P-256 or RSA public key) to "
                          "check the signature with");
    char why[480] = "", why_local[480] = "";
    for (size_t i = 0; i < n; i++) {
        xmlSecDSigCtxPtr ctx = xmlSecDSigCtxCreate(NULL);
        if (!ctx)
            return pl_err_oom(e);
        ctx->flags |= XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
        ctx->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
        if (xmlSecDSigCtxEnableSignatureTransform(ctx, xmlSecTransformExclC14NId) < 0 ||
            xmlSecDSigCtxEnableSignatureTransform(
                ctx, trusted[i]->ec ? xmlSecTransformEcdsaSha256Id
                                    : xmlSecTransformRsaSha256Id) < 0 ||
            xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformEnvelopedId) < 0 ||
            xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformExclC14NId) < 0 ||
            xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformSha256Id) < 0 ||
            !(ctx->signKey = xmlsec_key(trusted[i]))) {
            xmlSecDSigCtxDestroy(ctx);
            return pl_err_oom(e);
        }
        last_error[0] = '\0';
        int vrc = xmlSecDSigCtxVerify(ctx, sig);
        if (vrc == 0 && ctx->status == xmlSecDSigStatusSucceeded) {
            rc = check_reference(e, ctx);
            xmlSecDSigCtxDestroy(ctx);
            if (rc == 0)
                *signer = trusted[i];
            return rc;
        }
        if (vrc == 0)
            pl_say(why, why_local, sizeof why, N_("the signature does not match the document"));
        else if (!why[0])
            words(why, why_local, sizeof why, trusted[i]->ec);
        xmlSecDSigCtxDestroy(ctx);
    }
    return pl_err_set(e, PLEDGER_ECODE, "no trusted key verifies the signature (%zu tried): %s",
                      n, why_local[0] ? pl_frag_pair(why, why_local) : why);
}

#endif /* PL_HAVE_XMLSEC */
