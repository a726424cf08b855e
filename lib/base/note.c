#include "base/note.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "base/hash.h"
#include "base/i18n.h"
#include "base/text.h"

#define SM2_TYPE_ID "pledger-sm2-sm3"
#define ED25519_LEN 32

struct pl_note_key {
    char *name;
    pl_note_alg alg;
    EVP_PKEY *pkey;
    bool can_sign;
    uint32_t id;
    unsigned char *pub;       /* Ed25519: 32 raw bytes; SM2: DER SubjectPublicKeyInfo */
    size_t pub_len;
};

/* ---- base64 --------------------------------------------------------------- */

char *pl_base64(const unsigned char *in, size_t n)
{
    if (n > (size_t)INT32_MAX / 2)
        return NULL;
    char *out = malloc(4 * ((n + 2) / 3) + 1);
    if (out)
        EVP_EncodeBlock((unsigned char *)out, in, (int)n);
    return out;
}

bool pl_unbase64(const char *in, size_t inlen, unsigned char *out, size_t cap, size_t *len)
{
    if (inlen == 0 || inlen % 4 || inlen > (size_t)INT32_MAX / 2)
        return false;
    for (size_t i = 0; i < inlen; i++) {
        char c = in[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '+' || c == '/' || (c == '=' && i >= inlen - 2);
        if (!ok || (c != '=' && i > 0 && in[i - 1] == '='))
            return false;
    }
    size_t pad = (in[inlen - 1] == '=') + (in[inlen - 2] == '=');
    size_t n = inlen / 4 * 3 - pad;
    unsigned char *tmp = malloc(inlen / 4 * 3 + 1);
    if (!tmp || n > cap) {
        free(tmp);
        return false;
    }
    int got = EVP_DecodeBlock(tmp, (const unsigned char *)in, (int)inlen);
    if (got < 0) {
        free(tmp);
        return false;
    }
    memcpy(out, tmp, n);
    free(tmp);
    /* canonical: encoding the bytes again gives the same text */
    char *again = pl_base64(out, n);
    bool same = again && strlen(again) == inlen && memcmp(again, in, inlen) == 0;
    free(again);
    *len = n;
    return same;
}

/* ---- keys ----------------------------------------------------------------- */

/* A key name: UTF-8, no control character, no Unicode space, no '+'. */
static bool name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;

    if (n == 0 || n > 256 || !pl_utf8_valid(name, n))
        return false;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = pl_utf8_decode(name + i, n - i, &cp);
        if (l == 0)
            return false;
        if (cp <= 0x20 || cp == '+' || (cp >= 0x7f && cp <= 0xa0) || cp == 0x1680 ||
            (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
            cp == 0x202f || cp == 0x205f || cp == 0x3000)
            return false;
        i += l;
    }
    return true;
}

static int key_id(pl_err *e, pl_note_key *k)
{
    size_t nl = strlen(k->name);
    size_t tl = k->alg == PL_NOTE_ED25519 ? 1 : 1 + strlen(SM2_TYPE_ID);
    unsigned char *buf = malloc(nl + 1 + tl + k->pub_len), d[32];
    if (!buf)
        return pl_err_oom(e);
    memcpy(buf, k->name, nl);
    buf[nl] = '\n';
    if (k->alg == PL_NOTE_ED25519) {
        buf[nl + 1] = 0x01;
    } else {
        buf[nl + 1] = 0xff;
        memcpy(buf + nl + 2, SM2_TYPE_ID, strlen(SM2_TYPE_ID));
    }
    memcpy(buf + nl + 1 + tl, k->pub, k->pub_len);
    int rc = pl_hash(PL_HASH_SHA256, buf, nl + 1 + tl + k->pub_len, d);
    free(buf);
    if (rc)
        return pl_err_oom(e);
    k->id = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
    return 0;
}

/* Fill in a key around @pkey (taken). */
int pl_note_key_take(pl_err *e, const char *name, EVP_PKEY *pkey, bool can_sign,
                     pl_note_key **out)
{
    pl_note_key *k = calloc(1, sizeof *k);
    int rc = 0;

    if (!k || !(k->name = strdup(name))) {
        free(k);
        EVP_PKEY_free(pkey);
        return pl_err_oom(e);
    }
    k->pkey = pkey;
    k->can_sign = can_sign;
    if (EVP_PKEY_is_a(pkey, "ED25519")) {
        k->alg = PL_NOTE_ED25519;
        k->pub_len = ED25519_LEN;
        if (!(k->pub = malloc(ED25519_LEN)) ||
            EVP_PKEY_get_raw_public_key(pkey, k->pub, &k->pub_len) != 1 ||
            k->pub_len != ED25519_LEN)
            rc = pl_err_set(e, PLEDGER_EINVAL, "key '%s': cannot read its Ed25519 public key",
                            name);
    } else if (EVP_PKEY_is_a(pkey, "SM2")) {
        k->alg = PL_NOTE_SM2;
        int n = i2d_PUBKEY(pkey, NULL);
        unsigned char *p;
        if (n <= 0 || !(k->pub = malloc((size_t)n)))
            rc = pl_err_oom(e);
        else {
            p = k->pub;
            k->pub_len = (size_t)i2d_PUBKEY(pkey, &p);
        }
    } else {
        rc = pl_err_set(e, PLEDGER_EINVAL,
                        "key '%s': a %s key; checkpoints are signed with Ed25519 or SM2",
                        name, EVP_PKEY_get0_type_name(pkey) ? EVP_PKEY_get0_type_name(pkey)
                                                           : "unknown");
    }
    if (!rc)
        rc = key_id(e, k);
    if (rc) {
        pl_note_key_free(k);
        return rc;
    }
    *out = k;
    return 0;
}

/* OpenSSL's passphrase callback: pledger takes unencrypted keys only.
 * Without one, OpenSSL's default asks "Enter PEM pass phrase:" on the
 * terminal and reads standard input -- a command whose input is a pipe
 * waited there for ever, or took a batch read from "-" as the phrase. */
static int no_passphrase(char *buf, int size, int rwflag, void *asked)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    *(bool *)asked = true;
    return -1;
}

/* The PEM block (@label, its DER @der of @n bytes) as a key: NULL when it
 * is none or does not decode. */
static EVP_PKEY *block_key(const char *label, const unsigned char *der, long n)
{
    const unsigned char *p = der;
    size_t l = strlen(label);

    if (strcmp(label, "PUBLIC KEY") == 0)
        return d2i_PUBKEY(NULL, &p, n);
    if (l >= 11 && strcmp(label + l - 11, "PRIVATE KEY") == 0 &&
        strcmp(label, "ENCRYPTED PRIVATE KEY") != 0)
        return d2i_AutoPrivateKey(NULL, &p, n);
    return NULL;
}

/* Whether the PEM text holds a key block (a private or a public key) that
 * is not @pkey's: one file is one key (with its public half, or a
 * certificate, beside it); a second key was passed over, the first taken
 * without a word. */
static bool other_key_in(const char *pem, size_t len, EVP_PKEY *pkey)
{
    BIO *b = BIO_new_mem_buf(pem, (int)len);
    char *label = NULL, *header = NULL;
    unsigned char *der = NULL;
    long n = 0;
    bool other = false;

    while (b && !other && PEM_read_bio(b, &label, &header, &der, &n) == 1) {
        size_t l = strlen(label);
        bool key = strcmp(label, "PUBLIC KEY") == 0 ||
                   (l >= 11 && strcmp(label + l - 11, "PRIVATE KEY") == 0);
        if (key) {
            EVP_PKEY *k = block_key(label, der, n);
            other = !k || EVP_PKEY_eq(k, pkey) != 1;
            EVP_PKEY_free(k);
        }
        OPENSSL_free(label);
        OPENSSL_free(header);
        OPENSSL_clear_free(der, (size_t)n);
        label = header = NULL;
        der = NULL;
    }
    BIO_free(b);
    ERR_clear_error();
    return other;
}

int pl_pem_key_read(pl_err *e, const char *name, const char *pem, size_t len, EVP_PKEY **out,
                    bool *priv)
{
    *out = NULL;
    *priv = false;
    if (!name_ok(name))
        return pl_err_set(e, PLEDGER_EINVAL,
                          "key name '%.60s': it must be non-empty UTF-8 without spaces or '+' "
                          "(e.g. registry.example.cn/FZ01)", name ? name : "");
    if (!pem || len == 0 || len > 64 * 1024)
        return pl_err_set(e, PLEDGER_EINVAL, "key '%s': the PEM text is empty or too long",
                          name);
    BIO *b = BIO_new_mem_buf(pem, (int)len);
    if (!b)
        return pl_err_oom(e);
    bool asked = false;
    EVP_PKEY *pkey = PEM_read_bio_PrivateKey(b, NULL, no_passphrase, &asked);
    *priv = pkey != NULL;
    if (!pkey && !asked) {
        (void)BIO_reset(b);
        pkey = PEM_read_bio_PUBKEY(b, NULL, no_passphrase, &asked);
    }
    BIO_free(b);
    if (!pkey)
        ERR_clear_error();
    if (!pkey && asked)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "key '%s': the private key is encrypted with a passphrase; pledger "
                          "reads unencrypted PEM keys (openssl pkey -in KEY -out PLAIN.key "
                          "writes one)", name);
    if (!pkey)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "key '%s': no PEM private key (PRIVATE KEY) or public key "
                          "(PUBLIC KEY) in it", name);
    if (other_key_in(pem, len, pkey)) {
        EVP_PKEY_free(pkey);
        *priv = false;
        return pl_err_set(e, PLEDGER_EINVAL,
                          "key '%s': the PEM text holds more than one key; one key is given "
                          "at a time (a key's public half beside it is the same key)", name);
    }
    *out = pkey;
    return 0;
}

int pl_note_key_pem(pl_err *e, const char *name, const char *pem, size_t len,
                    pl_note_key **out)
{
    EVP_PKEY *pkey;
    bool priv;
    int rc = pl_pem_key_read(e, name, pem, len, &pkey, &priv);

    *out = NULL;
    return rc ? rc : pl_note_key_take(e, name, pkey, priv, out);
}

int pl_pem_key_read_file(pl_err *e, const char *name, const char *path, EVP_PKEY **out,
                         bool *priv)
{
    *out = NULL;
    *priv = false;
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f)
        return pl_err_set(e, errno == ENOENT ? PLEDGER_ENOTFOUND : PLEDGER_EIO,
                          "key file '%s': %s", path ? path : "(null)", strerror(errno));
    char buf[64 * 1024 + 1];
    errno = 0;
    size_t n = fread(buf, 1, sizeof buf, f);
    bool bad = ferror(f);
    int why = errno;
    fclose(f);
    /* a directory opens, and fails to read: say so ("read error" said nothing) */
    int rc = bad ? pl_err_set(e, PLEDGER_EIO, "key file '%s': %s", path,
                              why ? strerror(why) : "read error")
             : n == sizeof buf
                 ? pl_err_set(e, PLEDGER_EINVAL, "key file '%s': over 64 KiB, not a key", path)
                 : pl_pem_key_read(e, name, buf, n, out, priv);
    OPENSSL_cleanse(buf, sizeof buf);
    return rc;
}

int pl_note_key_pem_file(pl_err *e, const char *name, const char *path, pl_note_key **out)
{
    EVP_PKEY *pkey;
    bool priv;
    int rc = pl_pem_key_read_file(e, name, path, &pkey, &priv);

    *out = NULL;
    return rc ? rc : pl_note_key_take(e, name, pkey, priv, out);
}

/* "name+8hex+base64(type || key)": the parts. */
static int split_go_key(pl_err *e, const char *what, const char *s, char **name,
                        uint32_t *id, unsigned char *key, size_t *key_len)
{
    const char *p1 = strchr(s, '+'), *p2 = p1 ? strchr(p1 + 1, '+') : NULL;
    if (!p1 || !p2 || p2 - p1 != 9)
        return pl_err_set(e, PLEDGER_EINVAL, "%s '%.80s': expected name+8hex+base64", pl_frag(what),
                          s);
    char hex[9];
    memcpy(hex, p1 + 1, 8);
    hex[8] = '\0';
    char *end;
    unsigned long v = strtoul(hex, &end, 16);
    if (*end || strspn(hex, "0123456789abcdef") != 8)
        return pl_err_set(e, PLEDGER_EINVAL, "%s '%.80s': the key ID is not 8 hex digits",
                          pl_frag(what), s);
    if (!pl_unbase64(p2 + 1, strlen(p2 + 1), key, 1 + ED25519_LEN, key_len) ||
        *key_len != 1 + ED25519_LEN || key[0] != 0x01)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "%s '%.80s': not an Ed25519 key (type 0x01 and 32 bytes, base64)",
                          pl_frag(what), s);
    if (!(*name = strndup(s, (size_t)(p1 - s))))
        return pl_err_oom(e);
    *id = (uint32_t)v;
    return 0;
}

static int go_key(pl_err *e, const char *what, const char *text, bool priv, pl_note_key **out)
{
    char *name = NULL;
    uint32_t id = 0;
    unsigned char raw[1 + ED25519_LEN];
    size_t n;
    int rc;

    *out = NULL;
    if ((rc = split_go_key(e, what, text, &name, &id, raw, &n)))
        return rc;
    if (!name_ok(name)) {
        rc = pl_err_set(e, PLEDGER_EINVAL, "%s: key name '%.60s' is not allowed", pl_frag(what), name);
        free(name);
        return rc;
    }
    EVP_PKEY *pkey = priv ? EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, raw + 1,
                                                         ED25519_LEN)
                          : EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw + 1,
                                                        ED25519_LEN);
    OPENSSL_cleanse(raw, sizeof raw);
    if (!pkey) {
        free(name);
        return pl_err_set(e, PLEDGER_EINVAL, "%s: not a valid Ed25519 key", pl_frag(what));
    }
    rc = pl_note_key_take(e, name, pkey, priv, out);
    if (!rc && (*out)->id != id) {
        rc = pl_err_set(e, PLEDGER_EINVAL,
                        "%s '%s': key ID %08" PRIx32 " does not match the key (%08" PRIx32 ")",
                        pl_frag(what), name, id, (*out)->id);
        pl_note_key_free(*out);
        *out = NULL;
    }
    free(name);
    return rc;
}

int pl_note_key_vkey(pl_err *e, const char *vkey, pl_note_key **out)
{
    if (!vkey)
        return pl_err_set(e, PLEDGER_EINVAL, "verifier key: NULL");
    return go_key(e, N_("verifier key"), vkey, false, out);
}

int pl_note_key_skey(pl_err *e, const char *skey, pl_note_key **out)
{
    static const char prefix[] = "PRIVATE+KEY+";
    if (!skey || strncmp(skey, prefix, sizeof prefix - 1) != 0)
        return pl_err_set(e, PLEDGER_EINVAL, "signer key: expected PRIVATE+KEY+name+id+base64");
    return go_key(e, N_("signer key"), skey + sizeof prefix - 1, true, out);
}

void pl_note_key_free(pl_note_key *k)
{
    if (!k)
        return;
    EVP_PKEY_free(k->pkey);
    free(k->name);
    free(k->pub);
    free(k);
}

const char *pl_note_key_name(const pl_note_key *k) { return k->name; }
uint32_t pl_note_key_id(const pl_note_key *k) { return k->id; }
pl_note_alg pl_note_key_alg(const pl_note_key *k) { return k->alg; }
bool pl_note_key_can_sign(const pl_note_key *k) { return k->can_sign; }

int pl_note_key_vkey_text(pl_err *e, const pl_note_key *k, char **out)
{
    size_t tl = k->alg == PL_NOTE_ED25519 ? 1 : 1 + strlen(SM2_TYPE_ID);
    unsigned char *raw = malloc(tl + k->pub_len);
    char *b64 = NULL;

    *out = NULL;
    if (!raw)
        return pl_err_oom(e);
    raw[0] = k->alg == PL_NOTE_ED25519 ? 0x01 : 0xff;
    if (k->alg == PL_NOTE_SM2)
        memcpy(raw + 1, SM2_TYPE_ID, strlen(SM2_TYPE_ID));
    memcpy(raw + tl, k->pub, k->pub_len);
    b64 = pl_base64(raw, tl + k->pub_len);
    free(raw);
    if (!b64 || asprintf(out, "%s+%08" PRIx32 "+%s", k->name, k->id, b64) < 0) {
        free(b64);
        *out = NULL;
        return pl_err_oom(e);
    }
    free(b64);
    return 0;
}

/* ---- signing and checking ------------------------------------------------- */

static int sign_text(pl_err *e, const pl_note_key *k, const char *text, size_t n,
                     unsigned char **sig, size_t *sig_len)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    int ok = c != NULL;

    *sig = NULL;
    if (ok && k->alg == PL_NOTE_ED25519)
        ok = EVP_DigestSignInit(c, NULL, NULL, NULL, k->pkey) == 1;
    else if (ok)
        ok = EVP_DigestSignInit(c, &pc, EVP_sm3(), NULL, k->pkey) == 1;
    if (ok)
        ok = EVP_DigestSign(c, NULL, sig_len, (const unsigned char *)text, n) == 1;
    if (ok)
        ok = (*sig = malloc(*sig_len)) != NULL;
    if (ok)
        ok = EVP_DigestSign(c, *sig, sig_len, (const unsigned char *)text, n) == 1;
    EVP_MD_CTX_free(c);
    if (!ok) {
        free(*sig);
        *sig = NULL;
        return pl_err_set(e, PLEDGER_EIO, "signing with key '%s' failed (OpenSSL)", k->name);
    }
    return 0;
}

static bool verify_text(const pl_note_key *k, const char *text, size_t n,
                        const unsigned char *sig, size_t sig_len)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    bool ok = c != NULL;

    if (ok && k->alg == PL_NOTE_ED25519)
        ok = sig_len == 64 && EVP_DigestVerifyInit(c, NULL, NULL, NULL, k->pkey) == 1;
    else if (ok)
        ok = EVP_DigestVerifyInit(c, &pc, EVP_sm3(), NULL, k->pkey) == 1;
    if (ok)
        ok = EVP_DigestVerify(c, sig, sig_len, (const unsigned char *)text, n) == 1;
    EVP_MD_CTX_free(c);
    return ok;
}

/* Valid UTF-8, no control character but newline. */
static bool text_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] < 0x20 && s[i] != '\n') || s[i] == 0x7f)
            return false;
    return pl_utf8_valid(s, n);
}

int pl_note_sign(pl_err *e, const char *text, const pl_note_key *const *keys, size_t n,
                 char **out)
{
    size_t tl = text ? strlen(text) : 0;
    char *buf = NULL;
    size_t size = 0;
    FILE *f;
    int rc = 0;

    *out = NULL;
    if (!text || tl == 0 || text[tl - 1] != '\n' || !text_ok(text, tl))
        return pl_err_set(e, PLEDGER_EINVAL,
                          "note: the text must end in a newline and hold no control "
                          "character but newlines");
    if (n == 0)
        return pl_err_set(e, PLEDGER_EINVAL, "note: no key to sign with");
    if (!(f = open_memstream(&buf, &size)))
        return pl_err_oom(e);
    fputs(text, f);
    fputc('\n', f);
    for (size_t i = 0; i < n && !rc; i++) {
        const pl_note_key *k = keys[i];
        unsigned char *sig = NULL, *blob;
        size_t sl = 0;
        if (!k->can_sign) {
            rc = pl_err_set(e, PLEDGER_EINVAL, "note: key '%s' is a public key: it cannot sign",
                            k->name);
            break;
        }
        if ((rc = sign_text(e, k, text, tl, &sig, &sl)))
            break;
        if (!(blob = malloc(4 + sl))) {
            free(sig);
            rc = pl_err_oom(e);
            break;
        }
        blob[0] = (unsigned char)(k->id >> 24);
        blob[1] = (unsigned char)(k->id >> 16);
        blob[2] = (unsigned char)(k->id >> 8);
        blob[3] = (unsigned char)k->id;
        memcpy(blob + 4, sig, sl);
        char *b64 = pl_base64(blob, 4 + sl);
        free(sig);
        free(blob);
        if (!b64) {
            rc = pl_err_oom(e);
            break;
        }
        fprintf(f, "\xe2\x80\x94 %s %s\n", k->name, b64);
        free(b64);
    }
    if (fclose(f) != 0 && !rc)
        rc = pl_err_oom(e);
    if (rc) {
        free(buf);
        return rc;
    }
    *out = buf;
    return 0;
}

void pl_note_opened_clear(pl_note_opened *o)
{
    if (!o)
        return;
    free(o->text);
    memset(o, 0, sizeof *o);
}

/* A note is UTF-8 text whose only control character is the line feed:
 * what is not is refused naming the line and the character (a note saved
 * with CRLF line ends, or with a byte order mark, said only "not UTF-8
 * text, or a control character", or that its signature did not verify). */
static int note_form(pl_err *e, const char *s, size_t n)
{
    size_t line = 1, at = 1;

    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        return pl_err_set(e, PLEDGER_EINVAL, "note: line 1: it begins with a byte order mark "
                          "(U+FEFF), which is no part of a signed note: save it without one");
    for (size_t i = 0; i < n; at++) {
        uint32_t cp = (unsigned char)s[i];
        size_t k = cp < 0x80 ? 1 : pl_utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            return pl_err_set(e, PLEDGER_EINVAL, "note: line %zu: not UTF-8 text at character "
                              "%zu", line, at);
        if (cp == '\r' && i + 1 < n && s[i + 1] == '\n')
            return pl_err_set(e, PLEDGER_EINVAL, "note: line %zu ends with a carriage return "
                              "(a CRLF line end): a signed note's lines end with a line feed "
                              "alone", line);
        if ((cp < 0x20 && cp != '\n') || cp == 0x7f)
            return pl_err_set(e, PLEDGER_EINVAL, "note: line %zu: U+%04X at character %zu: a "
                              "control character; a note holds none but line feeds", line,
                              (unsigned)cp, at);
        if (cp == '\n') {
            line++;
            at = 0;
        }
        i += k;
    }
    if (!text_ok(s, n))   /* what pl_note_sign() signs, no other */
        return pl_err_set(e, PLEDGER_EINVAL, "note: not UTF-8 text");
    return 0;
}

/* pl_note_open(), or (!@check) pl_note_text(): the form alone. */
static int note_read(pl_err *e, const char *note, size_t len, const pl_note_key *const *trusted,
                     size_t n, bool check, pl_note_opened *out)
{
    memset(out, 0, sizeof *out);
    if (!note || len == 0)
        return pl_err_set(e, PLEDGER_EINVAL, "note: empty");
    if (len > PL_NOTE_MAX_LEN)
        return pl_err_set(e, PLEDGER_EINVAL, "note: %zu bytes, over the %d accepted", len,
                          PL_NOTE_MAX_LEN);
    int rc = note_form(e, note, len);
    if (rc)
        return rc;
    if (note[len - 1] != '\n')
        return pl_err_set(e, PLEDGER_EINVAL, "note: it does not end in a newline");
    /* the text ends at the last blank line */
    size_t split = 0;
    bool found = false;
    for (size_t i = len - 1; i-- > 0;)
        if (note[i] == '\n' && note[i + 1] == '\n') {
            split = i + 1;   /* the text keeps its newline */
            found = true;
            break;
        }
    if (!found || split == 0)
        return pl_err_set(e, PLEDGER_EINVAL, "note: no blank line before the signatures");

    const char *p = note + split + 1, *end = note + len;
    size_t sigs = 0, line = 1;
    for (const char *q = note; q < note + split; q++)
        line += *q == '\n';
    line++;
    while (p < end && !rc) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        static const char dash[] = "\xe2\x80\x94 ";
        if ((size_t)(nl - p) < sizeof dash || memcmp(p, dash, sizeof dash - 1) != 0) {
            rc = pl_err_set(e, PLEDGER_EINVAL,
                            "note: line %zu: a signature line starts with an em dash and a "
                            "space", line);
            break;
        }
        const char *name = p + sizeof dash - 1;
        const char *sp = memchr(name, ' ', (size_t)(nl - name));
        if (!sp || sp == name) {
            rc = pl_err_set(e, PLEDGER_EINVAL, "note: line %zu: no key name", line);
            break;
        }
        if (++sigs > PL_NOTE_MAX_SIGS) {
            rc = pl_err_set(e, PLEDGER_EINVAL, "note: line %zu: more than %d signatures",
                            line, PL_NOTE_MAX_SIGS);
            break;
        }
        unsigned char blob[4 + 8192];
        size_t bl = 0;
        if (!pl_unbase64(sp + 1, (size_t)(nl - sp - 1), blob, sizeof blob, &bl) || bl < 5) {
            rc = pl_err_set(e, PLEDGER_EINVAL, "note: line %zu: the signature is not base64 of "
                            "a key ID and a signature", line);
            break;
        }
        uint32_t id = (uint32_t)blob[0] << 24 | (uint32_t)blob[1] << 16 |
                      (uint32_t)blob[2] << 8 | blob[3];
        size_t name_len = (size_t)(sp - name);
        for (size_t i = 0; check && i < n; i++) {
            const pl_note_key *k = trusted[i];
            if (k->id != id || strlen(k->name) != name_len || memcmp(k->name, name, name_len))
                continue;
            if (!verify_text(k, note, split, blob + 4, bl - 4)) {
                rc = pl_err_set(e, PLEDGER_ECODE,
                                "note: line %zu: the signature of trusted key '%s' does not "
                                "verify: the note was changed or not signed by that key",
                                line, k->name);
                break;
            }
            bool dup = false;
            for (size_t j = 0; j < out->n_verified; j++)
                dup |= out->verified[j] == k;
            if (!dup)
                out->verified[out->n_verified++] = k;
        }
        p = nl + 1;
        line++;
    }
    if (!rc && check && out->n_verified == 0)
        rc = pl_err_set(e, PLEDGER_ECODE, "note: no signature by a trusted key");
    if (!rc && !(out->text = strndup(note, split)))
        rc = pl_err_oom(e);
    if (rc)
        pl_note_opened_clear(out);
    return rc;
}

int pl_note_open(pl_err *e, const char *note, size_t len, const pl_note_key *const *trusted,
                 size_t n, pl_note_opened *out)
{
    return note_read(e, note, len, trusted, n, true, out);
}

int pl_note_text(pl_err *e, const char *note, size_t len, char **text)
{
    pl_note_opened o;
    int rc = note_read(e, note, len, NULL, 0, false, &o);

    *text = rc ? NULL : o.text;
    return rc;
}

/* ---- checkpoints ---------------------------------------------------------- */

int pl_checkpoint_text(pl_err *e, const char *origin, uint64_t size, const pl_mhash *root,
                       char **out)
{
    *out = NULL;
    if (!origin || !*origin || strchr(origin, '\n') || !text_ok(origin, strlen(origin)))
        return pl_err_set(e, PLEDGER_EINVAL,
                          "checkpoint: origin '%.60s': one line of text, not empty",
                          origin ? origin : "");
    char *b64 = pl_base64(root->h, PL_MERKLE_HASH);
    if (!b64 || asprintf(out, "%s\n%" PRIu64 "\n%s\n", origin, size, b64) < 0) {
        free(b64);
        *out = NULL;
        return pl_err_oom(e);
    }
    free(b64);
    return 0;
}

int pl_checkpoint_parse(pl_err *e, const char *text, char **origin, uint64_t *size,
                        pl_mhash *root)
{
    const char *l1 = text ? strchr(text, '\n') : NULL;
    const char *l2 = l1 ? strchr(l1 + 1, '\n') : NULL;
    const char *l3 = l2 ? strchr(l2 + 1, '\n') : NULL;

    *origin = NULL;
    if (!l3 || l1 == text)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "checkpoint: expected an origin line, a tree size line and a root "
                          "hash line");
    size_t sl = (size_t)(l2 - l1 - 1);
    if (sl == 0 || sl > 20 || strspn(l1 + 1, "0123456789") < sl || (sl > 1 && l1[1] == '0'))
        return pl_err_set(e, PLEDGER_EINVAL,
                          "checkpoint: line 2: the tree size is not a decimal number without "
                          "leading zeros");
    uint64_t v = 0;
    for (size_t i = 0; i < sl; i++) {
        unsigned d = (unsigned)(l1[1 + i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return pl_err_set(e, PLEDGER_EINVAL, "checkpoint: line 2: the tree size is too "
                              "large");
        v = v * 10 + d;
    }
    size_t rl = 0;
    if (!pl_unbase64(l2 + 1, (size_t)(l3 - l2 - 1), root->h, PL_MERKLE_HASH, &rl) ||
        rl != PL_MERKLE_HASH)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "checkpoint: line 3: the root hash is not base64 of 32 bytes");
    /* C2SP tlog-checkpoint: extension lines, if any, are not empty */
    size_t no = 4;
    for (const char *p = l3 + 1; *p; no++) {
        const char *nl = strchr(p, '\n');
        if (nl == p)
            return pl_err_set(e, PLEDGER_EINVAL,
                              "checkpoint: line %zu: an empty extension line (extension "
                              "lines are not empty)", no);
        if (!nl)
            break;
        p = nl + 1;
    }
    if (!(*origin = strndup(text, (size_t)(l1 - text))))
        return pl_err_oom(e);
    *size = v;
    return 0;
}
