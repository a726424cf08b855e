/* include/pledger/evidence.h: signed certificates that a bank checks with
 * public keys alone.  Signed by the registry, accepted by xmlsec1 (the
 * peer), refused after any change -- to the certificate, the event, the
 * proof, the checkpoint or the signature -- and for a key the reader does
 * not trust; a key rotated out still verifies what it signed. */
#include "fixture.h"

#include <pthread.h>
#include <sys/wait.h>

#include <pledger/evidence.h>

#include "api/handle.h"
#include "model/signed-cert.h"
#include "store/journal.h"

typedef struct keys {
    char *ec, *ec_pub, *ed, *ed_pub, *rsa, *rsa_pub, *ec2, *ec2_pub, *ed2, *ed2_pub;
} keys;

static void make_keys(const char *dir, keys *k)
{
    fx_ck_write_key(dir, EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), "office-ec", &k->ec,
                    &k->ec_pub);
    fx_ck_write_key(dir, EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), "office-ed", &k->ed,
                    &k->ed_pub);
    fx_ck_write_key(dir, EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048), "office-rsa",
                    &k->rsa, &k->rsa_pub);
    fx_ck_write_key(dir, EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), "other-ec", &k->ec2,
                    &k->ec2_pub);
    fx_ck_write_key(dir, EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), "other-ed", &k->ed2,
                    &k->ed2_pub);
}

static void free_keys(keys *k)
{
    char **all[] = { &k->ec, &k->ec_pub, &k->ed, &k->ed_pub, &k->rsa, &k->rsa_pub, &k->ec2,
                     &k->ec2_pub, &k->ed2, &k->ed2_pub };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(*all[i]);
}

/* The keys of every test, made once before the tests run (an unchecked
 * fixture: forked test processes inherit them); key generation, RSA's
 * above all, is slow under valgrind. */
static keys k;
static char *key_dir;

static void keys_setup(void)
{
    key_dir = pl_test_mkdir();
    make_keys(key_dir, &k);
}

static void keys_teardown(void)
{
    free_keys(&k);
    pl_test_rmdir(key_dir);
}

static pledger_keyring *ring(const char *a_name, const char *a, const char *b_name,
                             const char *b)
{
    pledger_keyring *kr = NULL;
    PL_OK(NULL, pledger_keyring_new(&kr));
    if (a)
        PL_OK(NULL, pledger_keyring_add_pem_file(kr, a_name, a));
    if (b)
        PL_OK(NULL, pledger_keyring_add_pem_file(kr, b_name, b));
    return kr;
}

/* A registration changed once: certificates of versions 1 and 2. */
static char *registered_and_changed(pledger_registry *reg)
{
    char *number = NULL;
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &number, NULL));
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.amount = 123456789;
    PL_OK(reg, pledger_pledge_change(reg, number, &ch, NULL));
    return number;
}

/* The <verification_code> of a certificate document. */
static char *code_of(const char *doc)
{
    const char *p = strstr(doc, "<verification_code>");
    ck_assert_ptr_nonnull(p);
    p += strlen("<verification_code>");
    return strndup(p, strcspn(p, "<"));
}

START_TEST(test_sign_and_verify)
{
    char *dir, *path, *xml = NULL, *number, *stored = NULL;
    size_t len = 0;
    pledger_registry *reg;
    pledger_certificate_check *c = NULL;

    ck_assert(pledger_xmlsig_available());
    fx_ck_setup(&dir, &path, &reg);
    number = registered_and_changed(reg);
    PL_OK(reg, pledger_set_log_origin(reg, "registry.example.cn/FZ01"));
    pledger_keyring *signers = ring("office", k.ec, "registry.example.cn/FZ01", k.ed);
    pledger_keyring *trusted = ring("office", k.ec_pub, "registry.example.cn/FZ01", k.ed_pub);
    ck_assert_uint_eq(pledger_keyring_count(signers), 2);
    ck_assert_str_eq(pledger_keyring_vkey(signers, 1), "office ecdsa-p256");

    /* no checkpoint yet: one is signed with the Ed25519 key and kept */
    char *latest = NULL;
    PL_OK(reg, pledger_checkpoint_latest(&latest, reg));
    ck_assert_ptr_null(latest);
    PL_OK(reg, pledger_certificate_sign(&xml, &len, reg, number, 0, signers));
    ck_assert_uint_eq(len, strlen(xml));
    PL_OK(reg, pledger_checkpoint_latest(&latest, reg));
    ck_assert_ptr_nonnull(latest);

    PL_OK(NULL, pledger_certificate_verify(&c, xml, len, trusted));
    PL_OK(reg, pledger_certificate_get(&stored, reg, number, 2));
    ck_assert_str_eq(pledger_certificate_check_number(c), number);
    ck_assert_int_eq(pledger_certificate_check_version(c), 2);
    ck_assert_str_eq(pledger_certificate_check_document(c), stored);
    char *code = code_of(stored);
    ck_assert_str_eq(pledger_certificate_check_code(c), code);
    ck_assert_str_eq(pledger_certificate_check_signer(c), "office");
    ck_assert_str_eq(pledger_certificate_check_origin(c), "registry.example.cn/FZ01");
    ck_assert_str_eq(pledger_certificate_check_checkpoint(c), latest);
    uint64_t size = 0;
    PL_OK(reg, pledger_log_size(reg, &size));
    ck_assert_uint_eq(pledger_certificate_check_log_size(c), size);
    ck_assert_uint_gt(pledger_certificate_check_event(c), 1);
    ck_assert_uint_le(pledger_certificate_check_event(c), size);
    /* the event really is the journal's */
    unsigned char leaf[32];
    PL_OK(reg, pledger_log_leaf(reg, pledger_certificate_check_event(c), leaf));
    pledger_certificate_check_free(c);
    free(code);
    free(stored);
    free(xml);

    /* version 1, superseded by the change: still genuine for its version,
     * proved against the stored checkpoint (no checkpoint key needed) */
    pledger_keyring *ec_only = ring("office", k.ec, NULL, NULL);
    PL_OK(reg, pledger_certificate_sign(&xml, &len, reg, number, 1, ec_only));
    PL_OK(NULL, pledger_certificate_verify(&c, xml, len, trusted));
    ck_assert_int_eq(pledger_certificate_check_version(c), 1);
    ck_assert_ptr_nonnull(strstr(pledger_certificate_check_document(c),
                                 "<status>current</status>"));
    ck_assert_str_eq(pledger_certificate_check_checkpoint(c), latest);
    pledger_certificate_check_free(c);
    free(xml);

    /* a later event is not covered by the stored checkpoint: without a
     * checkpoint key that is an error naming what to give */
    char *n2 = NULL;
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_PATENT, &n2, NULL));
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_certificate_sign(&xml, &len, reg, n2, 0, ec_only));
    ck_assert_ptr_null(xml);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "checkpoint private key"));
    PL_OK(reg, pledger_certificate_sign(&xml, &len, reg, n2, 0, signers));
    PL_OK(NULL, pledger_certificate_verify(&c, xml, len, trusted));
    ck_assert_str_eq(pledger_certificate_check_number(c), n2);
    pledger_certificate_check_free(c);
    free(xml);

    /* RSA signs too */
    pledger_keyring *rsa = ring("office-rsa", k.rsa, NULL, NULL);
    pledger_keyring *rsa_pub = ring("office-rsa", k.rsa_pub, "registry.example.cn/FZ01",
                                    k.ed_pub);
    PL_OK(reg, pledger_certificate_sign(&xml, &len, reg, number, 0, rsa));
    ck_assert_ptr_nonnull(strstr(xml, "rsa-sha256"));
    PL_OK(NULL, pledger_certificate_verify(&c, xml, len, rsa_pub));
    ck_assert_str_eq(pledger_certificate_check_signer(c), "office-rsa");
    pledger_certificate_check_free(c);
    /* ...and a reader that trusts only the EC key refuses it */
    PL_FAILS(NULL, PLEDGER_ECODE, pledger_certificate_verify(&c, xml, len, trusted));
    ck_assert_ptr_null(c);
    free(xml);

    pledger_keyring_free(rsa);
    pledger_keyring_free(rsa_pub);
    pledger_keyring_free(ec_only);
    pledger_keyring_free(signers);
    pledger_keyring_free(trusted);
    free(latest);
    free(number);
    free(n2);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* Run a shell command; its exit status. */
static int run(const char *cmd)
{
    int st = system(cmd);
    return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* The peer: Debian's xmlsec1 accepts what pledger signs, and refuses it
 * (as pledger does) with one byte changed in the certificate. */
START_TEST(test_xmlsec1_peer)
{
    char *dir, *path, *xml = NULL, *number, cmd[1024];
    size_t len = 0;
    pledger_registry *reg;
    pledger_certificate_check *c = NULL;

    ck_assert_msg(run("command -v xmlsec1 >/dev/null") == 0,
                  "xmlsec1 is not installed (Debian: xmlsec1; tools/run installs it)");
    fx_ck_setup(&dir, &path, &reg);
    number = registered_and_changed(reg);
    pledger_keyring *signers = ring("office", k.ec, "log", k.ed);
    pledger_keyring *trusted = ring("office", k.ec_pub, "log", k.ed_pub);
    char *file = pl_test_path(dir, "cert.xml");

    for (int pass = 0; pass < 2; pass++) {
        pledger_keyring *s = pass ? ring("office-rsa", k.rsa, "log", k.ed) : signers;
        const char *pub = pass ? k.rsa_pub : k.ec_pub;
        PL_OK(reg, pledger_certificate_sign(&xml, &len, reg, number, 0, s));
        pl_test_write(file, xml, len);
        snprintf(cmd, sizeof cmd, "xmlsec1 --verify --pubkey-pem '%s' '%s' >/dev/null 2>&1",
                 pub, file);
        ck_assert_int_eq(run(cmd), 0);
        /* the wrong key */
        snprintf(cmd, sizeof cmd, "xmlsec1 --verify --pubkey-pem '%s' '%s' >/dev/null 2>&1",
                 k.ec2_pub, file);
        ck_assert_int_ne(run(cmd), 0);
        /* one byte of the amount changed */
        char *amount = strstr(xml, "<amount");
        ck_assert_ptr_nonnull(amount);
        char *digit = amount + strcspn(amount, "0123456789");
        *digit = *digit == '9' ? '8' : (char)(*digit + 1);
        pl_test_write(file, xml, len);
        snprintf(cmd, sizeof cmd, "xmlsec1 --verify --pubkey-pem '%s' '%s' >/dev/null 2>&1",
                 pub, file);
        ck_assert_int_ne(run(cmd), 0);
        pledger_keyring *t = pass ? ring("office-rsa", k.rsa_pub, "log", k.ed_pub) : trusted;
        PL_FAILS(NULL, PLEDGER_ECODE, pledger_certificate_verify(&c, xml, len, t));
        ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "signature"));
        if (pass) {
            pledger_keyring_free(s);
            pledger_keyring_free(t);
        }
        free(xml);
    }
    /* and pledger reads what xmlsec1 signs in the same profile: the
     * template pledger makes, signed again by the peer tool */
    PL_OK(reg, pledger_certificate_sign(&xml, &len, reg, number, 0, signers));
    pl_test_write(file, xml, len);
    char *resigned = pl_test_path(dir, "resigned.xml");
    snprintf(cmd, sizeof cmd,
             "xmlsec1 --sign --privkey-pem '%s' --output '%s' '%s' >/dev/null 2>&1", k.ec2,
             resigned, file);
    ck_assert_int_eq(run(cmd), 0);
    size_t rlen = 0;
    char *rxml = fx_slurp(resigned, &rlen);
    ck_assert_ptr_nonnull(rxml);
    pledger_keyring *other = ring("other", k.ec2_pub, "log", k.ed_pub);
    PL_OK(NULL, pledger_certificate_verify(&c, rxml, rlen, other));
    ck_assert_str_eq(pledger_certificate_check_signer(c), "other");
    pledger_certificate_check_free(c);
    PL_FAILS(NULL, PLEDGER_ECODE, pledger_certificate_verify(&c, rxml, rlen, trusted));
    pledger_keyring_free(other);
    free(rxml);
    free(resigned);
    free(xml);
    free(file);
    pledger_keyring_free(signers);
    pledger_keyring_free(trusted);
    free(number);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* The office's certificate key, for documents made by hand below. */
static pl_doc_key *doc_key(const char *file)
{
    size_t n = 0;
    char *pem = fx_slurp(file, &n);
    pl_doc_key *key = NULL;
    bool other = false;
    pl_err e = { 0 };
    ck_assert_ptr_nonnull(pem);
    ck_assert_int_eq(pl_doc_key_pem(&e, "office", pem, n, &other, &key), 0);
    free(pem);
    return key;
}

/* Make a document from @in with @key and check it with @trusted: the
 * code, and the message must name @where. */
static void expect(const pl_signed_cert_in *in, const pl_doc_key *key,
                   const pledger_keyring *trusted, int code, const char *where)
{
    pl_err e = { 0 };
    char *xml = NULL;
    size_t len = 0;
    pledger_certificate_check *c = NULL;

    ck_assert_int_eq(pl_signed_cert_make(&e, in, key, &xml, &len), 0);
    int rc = pledger_certificate_verify(&c, xml, len, trusted);
    ck_assert_msg(rc == code, "expected %d, got %d: %s", code, rc, pledger_errmsg(NULL));
    if (where)
        ck_assert_msg(strstr(pledger_errmsg(NULL), where) != NULL, "'%s' not in: %s", where,
                      pledger_errmsg(NULL));
    pledger_certificate_check_free(c);
    free(xml);
}

/* Every part checked: documents the office key signed, but whose parts
 * do not agree, are refused at the step that finds it. */
START_TEST(test_each_part_checked)
{
    char *dir, *path, *number, *xml = NULL;
    size_t len = 0;
    pledger_registry *reg;
    pledger_certificate_check *c = NULL;
    pl_err e = { 0 };

    fx_ck_setup(&dir, &path, &reg);
    number = registered_and_changed(reg);
    pledger_keyring *signers = ring("office", k.ec, "log", k.ed);
    pledger_keyring *trusted = ring("office", k.ec_pub, "log", k.ed_pub);
    PL_OK(reg, pledger_certificate_sign(&xml, &len, reg, number, 0, signers));
    PL_OK(NULL, pledger_certificate_verify(&c, xml, len, trusted));
    uint64_t seq = pledger_certificate_check_event(c), size = pledger_certificate_check_log_size(c);
    char *cert = strdup(pledger_certificate_check_document(c));
    char *note = strdup(pledger_certificate_check_checkpoint(c));
    pledger_certificate_check_free(c);

    /* the parts, from the registry */
    unsigned char *ev = NULL, *prev = NULL, *first = NULL;
    size_t ev_len = 0, prev_len = 0, first_len = 0;
    pl_mhash proof[64], prev_proof[64], first_proof[64];
    size_t n_proof = 0, n_prev = 0, n_first = 0;
    ck_assert_int_eq(pl_journal_event_bytes(reg->db, &e, (int64_t)seq, &ev, &ev_len), 0);
    ck_assert_int_eq(pl_journal_event_bytes(reg->db, &e, (int64_t)seq - 1, &prev, &prev_len), 0);
    ck_assert_int_eq(pl_journal_event_bytes(reg->db, &e, 1, &first, &first_len), 0);
    const uint64_t which[3] = { seq, seq - 1, 1 };
    pl_mhash *proofs[3] = { proof, prev_proof, first_proof };
    size_t *counts[3] = { &n_proof, &n_prev, &n_first };
    for (int w = 0; w < 3; w++) {
        pledger_proof *p = NULL;
        PL_OK(reg, pledger_log_prove_inclusion(&p, reg, which[w], size));
        for (size_t i = 0; i < pledger_proof_count(p); i++)
            memcpy(proofs[w][i].h, pledger_proof_hash(p, i), 32);
        *counts[w] = pledger_proof_count(p);
        pledger_proof_free(p);
    }
    pl_doc_key *office = doc_key(k.ec);
    pl_signed_cert_in good = { .certificate = cert,
                               .log = { .seq = seq, .event = ev, .event_len = ev_len,
                                        .size = size, .proof = proof, .n_proof = n_proof,
                                        .checkpoint = note } };
    pl_signed_cert_in in = good;
    expect(&in, office, trusted, 0, NULL);

    /* another event's bytes under this event's number */
    in.log.event = prev;
    in.log.event_len = prev_len;
    expect(&in, office, trusted, PLEDGER_ECODE, "log/inclusion");
    /* another event, with its own (valid) proof: the registration, which
     * issued version 1, and the first event, which issued none */
    in.log.seq = seq - 1;
    in.log.proof = prev_proof;
    in.log.n_proof = n_prev;
    expect(&in, office, trusted, PLEDGER_ECODE, "differs from the one event");
    in.log.seq = 1;
    in.log.event = first;
    in.log.event_len = first_len;
    in.log.proof = first_proof;
    in.log.n_proof = n_first;
    expect(&in, office, trusted, PLEDGER_ECODE, "log/event: the event issued no certificate");
    /* a hash of the proof changed */
    in = good;
    pl_mhash bent[64];
    memcpy(bent, proof, sizeof bent);
    bent[0].h[7] ^= 0x01;
    in.log.proof = bent;
    expect(&in, office, trusted, PLEDGER_ECODE, "log/inclusion");
    /* a proof one hash short */
    in.log.proof = proof;
    in.log.n_proof = n_proof - 1;
    expect(&in, office, trusted, PLEDGER_ECODE, "log/inclusion");
    /* a checkpoint of another log size */
    in = good;
    in.log.size = size + 1;
    expect(&in, office, trusted, PLEDGER_ECODE, "log/checkpoint");
    /* a checkpoint no trusted key signed */
    {
        size_t n = 0;
        char *pem = fx_slurp(k.ed2, &n), *text = NULL, *rogue = NULL;
        pl_note_key *nk = NULL;
        pl_mhash root;
        PL_OK(reg, pledger_log_root(reg, size, root.h));
        ck_assert_int_eq(pl_note_key_pem(&e, "log", pem, n, &nk), 0);
        ck_assert_int_eq(pl_checkpoint_text(&e, pledger_log_origin(reg), size, &root, &text), 0);
        const pl_note_key *const one[] = { nk };
        ck_assert_int_eq(pl_note_sign(&e, text, one, 1, &rogue), 0);
        in = good;
        in.log.checkpoint = rogue;
        expect(&in, office, trusted, PLEDGER_ECODE, "log/checkpoint");
        pl_note_key_free(nk);
        free(pem);
        free(text);
        free(rogue);
    }
    /* the certificate differs from the one the event issued */
    char *forged = strdup(cert);
    char *amount = strstr(forged, "<amount");
    ck_assert_ptr_nonnull(amount);
    char *digit = amount + strcspn(amount, "0123456789");
    *digit = *digit == '9' ? '8' : (char)(*digit + 1);
    in = good;
    in.certificate = forged;
    expect(&in, office, trusted, PLEDGER_ECODE, "differs from the one event");
    free(forged);

    /* shapes that are not a signed certificate */
    static const char *const bad[] = {
        "", "not xml", "<certificate xmlns=\"urn:pledger:1\"/>",
        "<signedCertificate xmlns=\"urn:pledger:1\" version=\"1\"/>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = pledger_certificate_verify(&c, bad[i], strlen(bad[i]), trusted);
        ck_assert_msg(rc == PLEDGER_EXML || rc == PLEDGER_ECODE, "case %zu: %d", i, rc);
        ck_assert_ptr_null(c);
    }
    /* a signature libxmlsec1 cannot process, told in words, not in its
     * own ("xmlSecTransformNodeRead: xmlSecTransformIdListFindByHref:
     * href=..."): the algorithm named, the element out of place */
    {
        static const char *const swaps[][4] = {
            { "exc-c14n#", "exc-c14n-bad#",
              "names an algorithm this registry does not accept "
              "(http://www.w3.org/2001/10/xml-exc-c14n-bad#)",
              "签名使用了本登记机构不接受的算法（http://www.w3.org/2001/10/xml-exc-c14n-bad#）" },
            { "xmlenc#sha256", "xmldsig#sha1", "names an algorithm this registry does not "
              "accept (http://www.w3.org/2001/04/xmldsig#sha1)",
              "不接受的算法（http://www.w3.org/2001/04/xmldsig#sha1）" },
            { "<SignedInfo>", "<SignedInfo><Foo/>",
              "the signature has the element <Foo> where <CanonicalizationMethod> belongs",
              "签名中出现了元素 <Foo>，此处应为 <CanonicalizationMethod>" },
            { "<SignatureValue>", "<SignatureValue>!!!", "a value in the signature is not "
              "base64", "签名中有一个值不是 base64 编码" },
            /* a value changed: the signature, read, does not match */
            { "<amount", "<amount data-x=\"1\"", "the signature does not match the document",
              "签名与文档不符" },
        };
        for (size_t s = 0; s < sizeof swaps / sizeof swaps[0]; s++) {
            const char *at = strstr(xml, swaps[s][0]);
            char *v = NULL;
            ck_assert_ptr_nonnull(at);
            ck_assert_int_ge(asprintf(&v, "%.*s%s%s", (int)(at - xml), xml, swaps[s][1],
                                      at + strlen(swaps[s][0])), 0);
            PL_FAILS(NULL, PLEDGER_ECODE, pledger_certificate_verify(&c, v, strlen(v), trusted));
            ck_assert_msg(strstr(pledger_errmsg(NULL), swaps[s][2]), "%s", pledger_errmsg(NULL));
            ck_assert_ptr_null(strstr(pledger_errmsg(NULL), "xmlSec"));
            /* and in the language of the person at the window */
            ck_assert_int_eq(pledger_set_language("zh_CN"), 0);
            PL_FAILS(NULL, PLEDGER_ECODE, pledger_certificate_verify(&c, v, strlen(v), trusted));
            ck_assert_msg(strstr(pledger_errmsg(NULL), "没有受信任的密钥能核验该签名"), "%s",
                          pledger_errmsg(NULL));
            ck_assert_msg(strstr(pledger_errmsg(NULL), swaps[s][3]), "%s", pledger_errmsg(NULL));
            ck_assert_int_eq(pledger_set_language(NULL), 0);
            free(v);
        }
    }
    /* signed in the algorithm of the other kind of key than the one
     * trusted: said so, not "an algorithm this registry does not accept"
     * (RSA and ECDSA P-256 are both taken) */
    {
        bool ec = strstr(xml, "#ecdsa-sha256") != NULL;
        const char *from = ec ? "#ecdsa-sha256" : "#rsa-sha256";
        const char *at = strstr(xml, from);
        char *v = NULL;
        ck_assert_ptr_nonnull(at);
        ck_assert_int_ge(asprintf(&v, "%.*s%s%s", (int)(at - xml), xml,
                                  ec ? "#rsa-sha256" : "#ecdsa-sha256", at + strlen(from)), 0);
        PL_FAILS(NULL, PLEDGER_ECODE, pledger_certificate_verify(&c, v, strlen(v), trusted));
        ck_assert_msg(strstr(pledger_errmsg(NULL), ec ? "is made with an RSA key"
                                                      : "is made with an ECDSA P-256 key") &&
                      strstr(pledger_errmsg(NULL), "it was signed with another key") &&
                      !strstr(pledger_errmsg(NULL), "does not accept"), "%s",
                      pledger_errmsg(NULL));
        free(v);
    }
    /* a second Signature (the start of a wrapping attack) */
    char *two = malloc(2 * len + 1);
    const char *sig = strstr(xml, "<Signature");
    const char *log_end = strstr(xml, "</log>");
    ck_assert_ptr_nonnull(sig);
    ck_assert_ptr_nonnull(log_end);
    size_t sig_len = (size_t)(strstr(sig, "</Signature>") - sig) + strlen("</Signature>");
    int w = snprintf(two, 2 * len + 1, "%.*s%.*s%s", (int)(log_end - xml), xml, (int)sig_len, sig,
                     log_end);
    PL_FAILS(NULL, PLEDGER_ECODE, pledger_certificate_verify(&c, two, (size_t)w, trusted));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "Signature elements"));
    free(two);
    /* truncated anywhere: never accepted */
    for (size_t cut = 0; cut < len; cut += len / 23 + 1) {
        int rc = pledger_certificate_verify(&c, xml, cut, trusted);
        ck_assert_msg(rc == PLEDGER_EXML || rc == PLEDGER_ECODE, "cut %zu: %d", cut, rc);
    }

    pl_doc_key_free(office);
    free(ev);
    free(prev);
    free(first);
    free(cert);
    free(note);
    free(xml);
    pledger_keyring_free(signers);
    pledger_keyring_free(trusted);
    free(number);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* Who may sign, with what; what a reader's keyring takes; rotation. */
START_TEST(test_roles_keys_rotation)
{
    char *dir, *path, *number, *xml = NULL;
    size_t len = 0;
    pledger_registry *reg, *ro = NULL;
    pledger_certificate_check *c = NULL;

    fx_ck_setup(&dir, &path, &reg);
    number = registered_and_changed(reg);
    pledger_keyring *signers = ring("office", k.ec, "log", k.ed);
    pledger_keyring *ed_only = ring("log", k.ed, NULL, NULL);

    /* every role but the registrar is refused, and nothing is kept */
    static const pledger_role others[] = { PLEDGER_ROLE_APPLICANT, PLEDGER_ROLE_CLERK,
                                           PLEDGER_ROLE_BANK, PLEDGER_ROLE_AUDITOR };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        fx_act(reg, "someone", others[i]);
        PL_FAILS(reg, PLEDGER_EPERM, pledger_certificate_sign(&xml, &len, reg, number, 0,
                                                              signers));
        ck_assert_ptr_null(xml);
    }
    char *latest = NULL;
    PL_OK(reg, pledger_checkpoint_latest(&latest, reg));
    ck_assert_ptr_null(latest);
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_certificate_sign(&xml, &len, reg, number, 0, ed_only));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "signers"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_certificate_sign(&xml, &len, reg, number, 0, NULL));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_certificate_sign(&xml, &len, reg, NULL, 0, signers));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_certificate_sign(&xml, &len, reg, number, -1, signers));
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_certificate_sign(&xml, &len, reg, "R-NONE", 0,
                                                              signers));
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_certificate_sign(&xml, &len, reg, number, 3,
                                                              signers));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "version 3"));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_certificate_sign(NULL, &len, reg, number, 0, signers));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_certificate_verify(NULL, "x", 1, signers));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_certificate_verify(&c, NULL, 1, signers));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_certificate_verify(&c, "x", 1, NULL));

    /* a read-only handle signs when a stored checkpoint covers the event */
    PL_OK(reg, pledger_certificate_sign(&xml, &len, reg, number, 0, signers));
    free(xml);
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    o.read_only = 1;
    PL_OK(NULL, pledger_open(&ro, path, &o));
    fx_act(ro, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(ro, pledger_certificate_sign(&xml, &len, ro, number, 1, signers));

    /* rotation: the reader trusts the old key and the new one */
    pledger_keyring *both = ring("office", k.ec_pub, "office-2027", k.ec2_pub);
    PL_OK(NULL, pledger_keyring_add_pem_file(both, "log", k.ed_pub));
    ck_assert_uint_eq(pledger_keyring_count(both), 3);
    PL_OK(NULL, pledger_certificate_verify(&c, xml, len, both));
    ck_assert_str_eq(pledger_certificate_check_signer(c), "office");
    pledger_certificate_check_free(c);
    free(xml);
    pledger_keyring *next = ring("office-2027", k.ec2, NULL, NULL);
    PL_OK(reg, pledger_certificate_sign(&xml, &len, reg, number, 0, next));
    PL_OK(NULL, pledger_certificate_verify(&c, xml, len, both));
    ck_assert_str_eq(pledger_certificate_check_signer(c), "office-2027");
    pledger_certificate_check_free(c);
    free(xml);

    /* the checkpoint key rotated: the stored checkpoint (old key) covers
     * the event, but a caller with the new key gets a checkpoint it signed,
     * which a reader trusting only the new keys accepts */
    pledger_keyring *rotated = ring("office-2027", k.ec2, "log", k.ed2);
    pledger_keyring *new_pub = ring("office-2027", k.ec2_pub, "log", k.ed2_pub);
    PL_OK(reg, pledger_certificate_sign(&xml, &len, reg, number, 0, rotated));
    PL_OK(NULL, pledger_certificate_verify(&c, xml, len, new_pub));
    ck_assert_str_eq(pledger_certificate_check_signer(c), "office-2027");
    pledger_certificate_check_free(c);
    free(xml);
    pledger_keyring_free(rotated);
    pledger_keyring_free(new_pub);

    /* keys a keyring refuses, each naming why */
    char *p384, *p384_pub, *rsa1k, *rsa1k_pub;
    fx_ck_write_key(dir, EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384"), "p384", &p384, &p384_pub);
    fx_ck_write_key(dir, EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024), "rsa1k", &rsa1k,
                    &rsa1k_pub);
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_keyring_add_pem_file(both, "x", p384));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "secp384r1"));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_keyring_add_pem_file(both, "x", rsa1k_pub));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "1024 bits"));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_keyring_add_pem_file(both, "bad name", k.ec));
    PL_FAILS(NULL, PLEDGER_ENOTFOUND, pledger_keyring_add_pem_file(both, "x", "/nonexistent"));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_keyring_add_pem(both, "x", "junk", 4));
    ck_assert_uint_eq(pledger_keyring_count(both), 3);
    /* the same key twice is kept once */
    PL_OK(NULL, pledger_keyring_add_pem_file(both, "office", k.ec_pub));
    ck_assert_uint_eq(pledger_keyring_count(both), 3);

    free(p384);
    free(p384_pub);
    free(rsa1k);
    free(rsa1k_pub);
    pledger_keyring_free(next);
    pledger_keyring_free(both);
    pledger_keyring_free(signers);
    pledger_keyring_free(ed_only);
    pledger_close(ro);
    free(number);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* Verification statements: a bank's answer, signed; checked offline;
 * the same masking as every bank answer; a wrong code gives none. */
START_TEST(test_verification_statement)
{
    char *dir, *path, *number, *xml = NULL, *cert = NULL, *note = NULL;
    size_t len = 0;
    pledger_registry *reg, *bank = NULL;
    pledger_statement_check *c = NULL;
    char cmd[1024];

    fx_ck_setup(&dir, &path, &reg);
    number = NULL;
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &number, NULL));
    int64_t before_change = fx_now_us;
    fx_now_us += FX_DAY_US;
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.amount = 123456789;
    PL_OK(reg, pledger_pledge_change(reg, number, &ch, NULL));
    pledger_keyring *office = ring("office", k.ec, "log", k.ed);
    pledger_keyring *cert_only = ring("office", k.ec, NULL, NULL);
    pledger_keyring *trusted = ring("office", k.ec_pub, "log", k.ed_pub);
    PL_OK(reg, pledger_checkpoint_sign(&note, reg, office));

    pledger_open_options oo = PLEDGER_OPEN_OPTIONS_INIT;
    oo.read_only = 1;
    PL_OK(NULL, pledger_open(&bank, path, &oo));
    pledger_set_clock(bank, fx_clock, NULL);
    fx_act(bank, "zhao.bank", PLEDGER_ROLE_BANK);
    PL_OK(bank, pledger_verify_statement(&xml, &len, bank, number, NULL, cert_only));
    PL_OK(NULL, pledger_statement_verify(&c, xml, len, trusted));
    ck_assert_str_eq(pledger_statement_check_number(c), number);
    ck_assert_str_eq(pledger_statement_check_state(c), "active");
    ck_assert_str_eq(pledger_statement_check_actor(c), "zhao.bank");
    ck_assert_str_eq(pledger_statement_check_code_status(c), "not_given");
    ck_assert_str_eq(pledger_statement_check_signer(c), "office");
    ck_assert_int_eq(pledger_statement_check_rank(c), 1);
    ck_assert_str_eq(pledger_statement_check_checkpoint(c), note);
    /* the pledge document is the bank's own answer, masked the same way */
    pledger_pledge *p = NULL;
    char *mine = NULL;
    PL_OK(bank, pledger_pledge_get(&p, bank, number));
    PL_OK(NULL, pledger_pledge_to_xml(&mine, p));
    ck_assert_str_eq(pledger_statement_check_document(c), mine);
    pledger_free(mine);
    pledger_pledge_free(p);
    /* the event is the journal's, in the log the checkpoint signs */
    unsigned char leaf[32];
    PL_OK(bank, pledger_log_leaf(bank, pledger_statement_check_event(c), leaf));
    ck_assert_ptr_nonnull(strstr(xml, "<leaf seq="));
    ck_assert_ptr_null(strstr(xml, "<event "));
    pledger_statement_check_free(c);
    /* the peer tool accepts it, and refuses one changed byte */
    char *file = pl_test_path(dir, "statement.xml");
    pl_test_write(file, xml, len);
    snprintf(cmd, sizeof cmd, "xmlsec1 --verify --pubkey-pem '%s' '%s' >/dev/null 2>&1",
             k.ec_pub, file);
    ck_assert_int_eq(run(cmd), 0);
    char *state = strstr(xml, "<state>active<");
    ck_assert_ptr_nonnull(state);
    memcpy(state + 7, "closed", 6);
    pl_test_write(file, xml, len);
    ck_assert_int_ne(run(cmd), 0);
    PL_FAILS(NULL, PLEDGER_ECODE, pledger_statement_verify(&c, xml, len, trusted));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "signature"));
    free(xml);
    free(file);

    /* as of before the change: version 1; with the codes */
    PL_OK(reg, pledger_certificate_get(&cert, reg, number, 1));
    char *code1 = code_of(cert);
    free(cert);
    PL_OK(reg, pledger_certificate_get(&cert, reg, number, 0));
    char *code2 = code_of(cert);
    free(cert);
    pledger_verify_options vo = PLEDGER_VERIFY_OPTIONS_INIT;
    vo.as_of = before_change;
    vo.code = code1;
    PL_OK(bank, pledger_verify_statement(&xml, &len, bank, number, &vo, cert_only));
    PL_OK(NULL, pledger_statement_verify(&c, xml, len, trusted));
    ck_assert_str_eq(pledger_statement_check_code_status(c), "matched");
    ck_assert_ptr_nonnull(strstr(pledger_statement_check_document(c), "<version>1</version>"));
    pledger_statement_check_free(c);
    free(xml);
    vo = (pledger_verify_options)PLEDGER_VERIFY_OPTIONS_INIT;
    vo.code = code1;
    PL_OK(bank, pledger_verify_statement(&xml, &len, bank, number, &vo, cert_only));
    PL_OK(NULL, pledger_statement_verify(&c, xml, len, trusted));
    ck_assert_str_eq(pledger_statement_check_code_status(c), "superseded");
    pledger_statement_check_free(c);
    free(xml);
    vo.code = code2;
    PL_OK(bank, pledger_verify_statement(&xml, &len, bank, number, &vo, cert_only));
    PL_OK(NULL, pledger_statement_verify(&c, xml, len, trusted));
    ck_assert_str_eq(pledger_statement_check_code_status(c), "matched");
    pledger_statement_check_free(c);
    free(xml);
    /* a wrong code, an unknown number: no statement */
    vo.code = "AAAA-BBBB-CCCC-DDDD";
    PL_FAILS(bank, PLEDGER_ECODE, pledger_verify_statement(&xml, &len, bank, number, &vo,
                                                           cert_only));
    ck_assert_ptr_null(xml);
    PL_FAILS(bank, PLEDGER_ENOTFOUND, pledger_verify_statement(&xml, &len, bank,
                                                               "R-FZ01-TM-2024-999999", NULL,
                                                               cert_only));
    /* an instant still to come: no statement (its answer could change) */
    vo = (pledger_verify_options)PLEDGER_VERIFY_OPTIONS_INIT;
    vo.as_of = fx_now_us + 1;
    PL_FAILS(bank, PLEDGER_EINVAL, pledger_verify_statement(&xml, &len, bank, number, &vo,
                                                            cert_only));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(bank), "pledger_verify_statement: opts->as_of"));
    ck_assert_ptr_null(xml);
    /* a later change, not yet under a checkpoint: the bank cannot sign
     * one; a registrar with a checkpoint key can */
    fx_now_us += FX_DAY_US;
    ch.amount = 7;
    PL_OK(reg, pledger_pledge_change(reg, number, &ch, NULL));
    PL_FAILS(bank, PLEDGER_ESTATE, pledger_verify_statement(&xml, &len, bank, number, NULL,
                                                            office));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(bank), "checkpoint"));
    PL_OK(reg, pledger_verify_statement(&xml, &len, reg, number, NULL, office));
    PL_OK(NULL, pledger_statement_verify(&c, xml, len, trusted));
    ck_assert_str_eq(pledger_statement_check_actor(c), "registrar-1");
    pledger_statement_check_free(c);
    /* a certificate is not a statement, nor the other way round */
    pledger_certificate_check *cc = NULL;
    PL_FAILS(NULL, PLEDGER_EXML, pledger_certificate_verify(&cc, xml, len, trusted));
    ck_assert_ptr_null(cc);
    free(xml);

    free(code1);
    free(code2);
    free(note);
    pledger_close(bank);
    pledger_keyring_free(office);
    pledger_keyring_free(cert_only);
    pledger_keyring_free(trusted);
    free(number);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* One keyring shared by threads that check documents at once (a service
 * does this): every check holds, and one proved against another
 * checkpoint is checked for itself, not taken from what was remembered. */
typedef struct shared_check {
    const char *xml, *other;
    size_t len, other_len;
    const pledger_keyring *trusted;
    int failures;
} shared_check;

static void *check_many(void *arg)
{
    shared_check *sc = arg;
    for (int i = 0; i < 40; i++) {
        pledger_certificate_check *c = NULL;
        const char *x = i % 3 ? sc->xml : sc->other;
        size_t n = i % 3 ? sc->len : sc->other_len;
        if (pledger_certificate_verify(&c, x, n, sc->trusted) != 0)
            sc->failures++;
        pledger_certificate_check_free(c);
    }
    return NULL;
}

/* A registry file rewritten with every hash recomputed (the same
 * registration, its change's amount another), the office's checkpoint of
 * the honest history kept in it: each is self-consistent, but the
 * rewritten tree does not lead to the root the office signed.  No signed
 * certificate, no verification statement and no search report is made
 * over it (PLEDGER_ECORRUPT naming the event or the checkpoint); the
 * honest file makes all three. */
static char *registered_changed_to(pledger_registry *reg, int64_t amount)
{
    char *number = NULL;
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &number, NULL));
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.amount = amount;
    PL_OK(reg, pledger_pledge_change(reg, number, &ch, NULL));
    return number;
}

START_TEST(test_rewritten_history_signs_nothing)
{
    char *dir, *path, *xml = NULL, *note = NULL, *sql = NULL;
    char *notes[1] = { NULL };
    size_t len = 0;
    pledger_registry *reg, *forged;
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.kind = PLEDGER_REPORT_SEARCH;
    r.query = "party=Fuzhou Tea Co";

    fx_ck_setup(&dir, &path, &reg);
    char *number = registered_changed_to(reg, 123456789);
    pledger_keyring *office = ring("office", k.ec, "registry.example.cn/FZ01", k.ed);
    PL_OK(reg, pledger_set_log_origin(reg, "registry.example.cn/FZ01"));
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_checkpoint_sign(&note, reg, office));
    free(note);

    /* the same history on the same clock, the amount rewritten */
    char *forged_path = pl_test_path(dir, "forged.db");
    fx_now_us = FX_T0;
    PL_OK(NULL, fx_open(&forged, forged_path, "FZ01", 0, -1));
    char *fnumber = registered_changed_to(forged, 999);
    ck_assert_str_eq(fnumber, number);
    fx_act(forged, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(forged, pledger_set_log_origin(forged, "registry.example.cn/FZ01"));
    pledger_close(forged);
    ck_assert_int_ne(asprintf(&sql, "ATTACH '%s' AS honest; INSERT INTO checkpoint SELECT * "
                              "FROM honest.checkpoint", path), -1);
    fx_ck_raw_exec(forged_path, sql);
    free(sql);
    PL_OK(NULL, fx_open(&forged, forged_path, NULL, 0, -1));

    /* the certificate of version 2 (the change's event), each role that
     * may sign it; the statement a bank asks for with the office's key */
    fx_act(forged, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_FAILS(forged, PLEDGER_ECORRUPT,
             pledger_certificate_sign(&xml, &len, forged, number, 2, office));
    ck_assert_ptr_null(xml);
    ck_assert_msg(strstr(pledger_errmsg(forged), "does not lead to the root") &&
                  strstr(pledger_errmsg(forged), "certificate"), "%s", pledger_errmsg(forged));
    PL_FAILS(forged, PLEDGER_ECORRUPT,
             pledger_certificate_sign(&xml, &len, forged, number, 1, office));
    fx_act(forged, "zhao.bank", PLEDGER_ROLE_BANK);
    PL_FAILS(forged, PLEDGER_ECORRUPT,
             pledger_verify_statement(&xml, &len, forged, number, NULL, office));
    ck_assert_ptr_null(xml);
    ck_assert_msg(strstr(pledger_errmsg(forged), "pledge version"), "%s",
                  pledger_errmsg(forged));
    /* a search report names no root of the rewritten history */
    PL_FAILS(forged, PLEDGER_ECORRUPT,
             pledger_report_issue(notes, NULL, forged, &r, 1, office));
    ck_assert_ptr_null(notes[0]);
    ck_assert_msg(strstr(pledger_errmsg(forged), "rewritten") &&
                  strstr(pledger_errmsg(forged), "no search report"), "%s",
                  pledger_errmsg(forged));
    pledger_close(forged);

    /* the honest file: all three */
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_certificate_sign(&xml, &len, reg, number, 2, office));
    free(xml);
    fx_act(reg, "zhao.bank", PLEDGER_ROLE_BANK);
    PL_OK(reg, pledger_verify_statement(&xml, &len, reg, number, NULL, office));
    free(xml);
    PL_OK(reg, pledger_report_issue(notes, NULL, reg, &r, 1, office));
    ck_assert_ptr_nonnull(notes[0]);
    pledger_free(notes[0]);

    pledger_keyring_free(office);
    free(number);
    free(fnumber);
    free(forged_path);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

START_TEST(test_shared_keyring_threads)
{
    char *dir, *path, *number, *xml = NULL, *other = NULL;
    size_t len = 0, other_len = 0;
    pledger_registry *reg;

    fx_ck_setup(&dir, &path, &reg);
    number = registered_and_changed(reg);
    pledger_keyring *signers = ring("office", k.ec, "log", k.ed);
    pledger_keyring *trusted = ring("office", k.ec_pub, "log", k.ed_pub);
    PL_OK(reg, pledger_certificate_sign(&xml, &len, reg, number, 0, signers));
    /* the first version, proved against a newer checkpoint */
    char *note = NULL;
    char *n2 = NULL;
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_PATENT, &n2, NULL));
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_checkpoint_sign(&note, reg, signers));
    PL_OK(reg, pledger_certificate_sign(&other, &other_len, reg, number, 1, signers));
    ck_assert_ptr_nonnull(strstr(other, "<checkpoint>"));
    pthread_t t[4];
    shared_check sc[4];
    for (int i = 0; i < 4; i++) {
        sc[i] = (shared_check){ xml, other, len, other_len, trusted, 0 };
        ck_assert_int_eq(pthread_create(&t[i], NULL, check_many, &sc[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        ck_assert_int_eq(sc[i].failures, 0);
    }
    /* a key added drops what was remembered; checks still hold */
    PL_OK(NULL, pledger_keyring_add_pem_file(trusted, "other", k.ed2_pub));
    check_many(&sc[0]);
    ck_assert_int_eq(sc[0].failures, 0);
    free(note);
    free(n2);
    free(xml);
    free(other);
    pledger_keyring_free(signers);
    pledger_keyring_free(trusted);
    free(number);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* A library built without libxmlsec1 (-Dxmlsig=disabled) says so: every
 * signing and checking call is PLEDGER_ENOTSUP naming what is missing,
 * and nothing is stored; keys are still read. */
START_TEST(test_built_without_xmlsig)
{
    char *dir, *path, *number = NULL, *xml = NULL, *latest = NULL;
    size_t len = 0;
    pledger_registry *reg;
    pledger_certificate_check *c = NULL;
    pledger_statement_check *st = NULL;

    ck_assert_int_eq(pledger_xmlsig_available(), 0);
    fx_ck_setup(&dir, &path, &reg);
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &number, NULL));
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    pledger_keyring *signers = ring("office", k.ec, "log", k.ed);
    pledger_keyring *trusted = ring("office", k.ec_pub, "log", k.ed_pub);
    ck_assert_uint_eq(pledger_keyring_count(signers), 2);
    PL_FAILS(reg, PLEDGER_ENOTSUP, pledger_certificate_sign(&xml, &len, reg, number, 0, signers));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "libxmlsec1"));
    PL_FAILS(reg, PLEDGER_ENOTSUP, pledger_verify_statement(&xml, &len, reg, number, NULL,
                                                            signers));
    ck_assert_ptr_null(xml);
    PL_OK(reg, pledger_checkpoint_latest(&latest, reg));
    ck_assert_ptr_null(latest);   /* nothing was signed or kept */
    /* a document signed elsewhere cannot be checked here */
    const char *root = getenv("PLEDGER_SOURCE_ROOT");
    ck_assert_ptr_nonnull(root);
    char *file = NULL;
    ck_assert(asprintf(&file, "%s/tests/fuzz/corpus/signed/certificate.xml", root) > 0);
    char *doc = fx_slurp(file, &len);
    ck_assert_ptr_nonnull(doc);
    PL_FAILS(NULL, PLEDGER_ENOTSUP, pledger_certificate_verify(&c, doc, len, trusted));
    ck_assert_ptr_null(c);
    free(doc);
    free(file);
    ck_assert(asprintf(&file, "%s/tests/fuzz/corpus/signed/statement.xml", root) > 0);
    ck_assert_ptr_nonnull(doc = fx_slurp(file, &len));
    PL_FAILS(NULL, PLEDGER_ENOTSUP, pledger_statement_verify(&st, doc, len, trusted));
    ck_assert_ptr_null(st);
    free(doc);
    free(file);
    pledger_keyring_free(signers);
    pledger_keyring_free(trusted);
    free(number);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("evidence");
    TCase *tc = tcase_create("evidence");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, keys_setup, keys_teardown);
#if PL_TEST_XMLSIG
    tcase_add_test(tc, test_sign_and_verify);
    tcase_add_test(tc, test_xmlsec1_peer);
    tcase_add_test(tc, test_each_part_checked);
    tcase_add_test(tc, test_roles_keys_rotation);
    tcase_add_test(tc, test_verification_statement);
    tcase_add_test(tc, test_rewritten_history_signs_nothing);
    tcase_add_test(tc, test_shared_keyring_threads);
    (void)test_built_without_xmlsig;
#else
    tcase_add_test(tc, test_built_without_xmlsig);
    (void)test_sign_and_verify, (void)test_xmlsec1_peer, (void)test_each_part_checked;
    (void)test_roles_keys_rotation, (void)test_verification_statement;
    (void)test_shared_keyring_threads;
#endif
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(suite)
