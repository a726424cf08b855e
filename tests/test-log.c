/* include/pledger/log.h: the journal as a transparency log.  Every event
 * is provably in the log, every older log provably a prefix of the newer,
 * checkpoints signed and checked with keys alone, and the attack the
 * chain cannot see -- a history rewritten with every hash recomputed --
 * refused by the consistency check against a checkpoint kept from
 * before. */
#include "fixture.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <pledger/log.h>

#include "api/handle.h"
#include "base/note.h"
#include "store/db.h"
#include "store/journal.h"

/* A fresh key pair of @alg as PEM files @priv and @pub in @dir. */
static void make_key(const char *dir, const char *alg, const char *stem, char **priv,
                     char **pub)
{
    fx_ck_write_key(dir, EVP_PKEY_Q_keygen(NULL, NULL, alg), stem, priv, pub);
}

/* A registry with a history: two registrations and a change. */
static void history(pledger_registry *reg, const char *amount)
{
    char *n1 = NULL, *n2 = NULL;
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &n1, NULL));
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    pledger_change ch = PLEDGER_CHANGE_INIT;
    int64_t minor = 0;
    PL_OK(NULL, pledger_money_parse(&minor, amount, "CNY"));
    ch.amount = minor;
    PL_OK(reg, pledger_pledge_change(reg, n1, &ch, NULL));
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_PATENT, &n2, NULL));
    free(n1);
    free(n2);
}

START_TEST(test_every_event_proved)
{
    char *dir, *path;
    pledger_registry *reg;
    uint64_t size = 0;
    int64_t count = 0;
    unsigned char root[32], leaf[32], old_root[32];

    fx_ck_setup(&dir, &path, &reg);
    /* an empty log proves nothing, and says so (not "must be 1 to 0") */
    {
        pledger_proof *none = NULL;
        PL_OK(reg, pledger_log_size(reg, &size));
        ck_assert_uint_eq(size, 0);
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_log_prove_consistency(&none, reg, 1, 0));
        ck_assert_msg(strstr(pledger_errmsg(reg), "the log has no event yet"), "%s",
                      pledger_errmsg(reg));
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_log_prove_inclusion(&none, reg, 1, 0));
        ck_assert_msg(strstr(pledger_errmsg(reg), "is not in the log of 0 events"), "%s",
                      pledger_errmsg(reg));
        ck_assert_ptr_null(none);
    }
    history(reg, "450万");
    PL_OK(reg, pledger_log_size(reg, &size));
    PL_OK(NULL, fx_raw_int(path, "SELECT count(*) FROM journal", &count));
    ck_assert_uint_eq(size, (uint64_t)count);
    ck_assert_uint_gt(size, 10);
    PL_OK(reg, pledger_log_root(reg, size, root));
    for (uint64_t ev = 1; ev <= size; ev++) {
        pledger_proof *p = NULL;
        PL_OK(reg, pledger_log_leaf(reg, ev, leaf));
        PL_OK(reg, pledger_log_prove_inclusion(&p, reg, ev, 0));
        PL_OK(NULL, pledger_log_verify_inclusion(ev, size, leaf, p, root));
        /* asked for the log now (0), it says which size that was; asked
         * for a size, that size */
        ck_assert_uint_eq(pledger_proof_tree_size(p), size);
        pledger_proof *at = NULL;
        PL_OK(reg, pledger_log_prove_inclusion(&at, reg, 1, ev));
        ck_assert_uint_eq(pledger_proof_tree_size(at), ev);
        pledger_proof_free(at);
        /* through its text, as a bank receives it */
        pledger_proof *q = NULL;
        PL_OK(NULL, pledger_proof_parse(&q, pledger_proof_text(p)));
        ck_assert_uint_eq(pledger_proof_count(q), pledger_proof_count(p));
        ck_assert_uint_eq(pledger_proof_tree_size(q), 0);   /* the text does not say */
        PL_OK(NULL, pledger_log_verify_inclusion(ev, size, leaf, q, root));
        ck_assert_int_eq(pledger_log_verify_inclusion(ev % size + 1, size, leaf, q, root),
                         size == 1 ? 0 : PLEDGER_ECODE);
        pledger_proof_free(p);
        pledger_proof_free(q);
        /* every older log is a prefix of this one */
        PL_OK(reg, pledger_log_root(reg, ev, old_root));
        PL_OK(reg, pledger_log_prove_consistency(&p, reg, ev, 0));
        ck_assert_uint_eq(pledger_proof_tree_size(p), size);
        PL_OK(NULL, pledger_log_verify_consistency(ev, size, old_root, root, p));
        if (ev < size)
            ck_assert_int_eq(pledger_log_verify_consistency(ev, size, root, root, p),
                             PLEDGER_ECODE);
        pledger_proof_free(p);
    }
    /* out of range, named */
    pledger_proof *p = NULL;
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_log_prove_inclusion(&p, reg, size + 1, 0));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "is not in the log"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_log_prove_inclusion(&p, reg, 1, size + 1));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_log_prove_consistency(&p, reg, 0, 0));
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_log_leaf(reg, size + 1, leaf));
    /* beyond any log, as beyond this one: not "must be 1 or more" (2^63
     * once read as a negative number) */
    for (uint64_t far = (uint64_t)INT64_MAX; far != 0 && far >= (uint64_t)INT64_MAX; far++) {
        PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_log_leaf(reg, far, leaf));
        ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "there is no event"));
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_log_root(reg, far, root));
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_log_prove_inclusion(&p, reg, far, 0));
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_log_prove_inclusion(&p, reg, 1, far));
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_log_prove_consistency(&p, reg, far, 0));
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_log_prove_consistency(&p, reg, 1, far));
        if (far == (uint64_t)INT64_MAX + 1)
            far = UINT64_MAX - 1;
    }
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_log_root(reg, size + 1, root));
    ck_assert_int_eq(pledger_proof_parse(&p, "not base64\n"), PLEDGER_EINVAL);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "line 1"));
    /* the journal check covers the tree: intact */
    int64_t bad = -1, n = 0;
    PL_OK(reg, pledger_journal_verify(&bad, &n, reg));
    ck_assert_int_eq(bad, 0);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

START_TEST(test_checkpoints_and_keys)
{
    char *dir, *path, *priv, *pub, *priv2, *pub2, *psm2, *ssm2;
    pledger_registry *reg, *ro;
    pledger_keyring *signers, *trusted;
    pledger_checkpoint *cp = NULL;
    char *note = NULL, *latest = NULL;

    fx_ck_setup(&dir, &path, &reg);
    make_key(dir, "ED25519", "office", &priv, &pub);
    make_key(dir, "ED25519", "office-2027", &priv2, &pub2);
    make_key(dir, "SM2", "office-sm2", &psm2, &ssm2);
    history(reg, "4,500,000.00");
    PL_OK(NULL, pledger_keyring_new(&signers));
    PL_OK(NULL, pledger_keyring_add_pem_file(signers, "registry.example.cn/FZ01", priv));
    PL_OK(NULL, pledger_keyring_add_pem_file(signers, "registry.example.cn/FZ01-sm2", psm2));
    ck_assert_uint_eq(pledger_keyring_count(signers), 2);

    /* only the registrar signs; never on a read-only handle */
    fx_act(reg, "clerk-1", PLEDGER_ROLE_CLERK);
    PL_FAILS(reg, PLEDGER_EPERM, pledger_checkpoint_sign(&note, reg, signers));
    ck_assert_ptr_null(note);
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_set_log_origin(reg, "registry.example.cn/FZ01"));
    ck_assert_str_eq(pledger_log_origin(reg), "registry.example.cn/FZ01");
    PL_OK(reg, pledger_checkpoint_sign(&note, reg, signers));
    PL_OK(reg, pledger_checkpoint_latest(&latest, reg));
    ck_assert_str_eq(latest, note);
    free(latest);

    /* a bank trusting the public key (and the next one: rotation) */
    PL_OK(NULL, pledger_keyring_new(&trusted));
    PL_OK(NULL, pledger_keyring_add_pem_file(trusted, "registry.example.cn/FZ01", pub2));
    PL_OK(NULL, pledger_keyring_add_pem_file(trusted, "registry.example.cn/FZ01", pub));
    PL_OK(NULL, pledger_checkpoint_open(&cp, note, strlen(note), trusted));
    ck_assert_str_eq(pledger_checkpoint_origin(cp), "registry.example.cn/FZ01");
    uint64_t size;
    unsigned char root[32];
    PL_OK(reg, pledger_log_size(reg, &size));
    ck_assert_uint_eq(pledger_checkpoint_size(cp), size);
    PL_OK(reg, pledger_log_root(reg, size, root));
    ck_assert_mem_eq(pledger_checkpoint_root(cp), root, 32);
    ck_assert_uint_eq(pledger_checkpoint_signer_count(cp), 1);
    ck_assert_str_eq(pledger_checkpoint_signer(cp, 0), "registry.example.cn/FZ01");
    /* the verifier key text round-trips */
    pledger_keyring *vk = NULL;
    PL_OK(NULL, pledger_keyring_new(&vk));
    PL_OK(NULL, pledger_keyring_add_vkey(vk, pledger_keyring_vkey(trusted, 1)));
    pledger_checkpoint *cp2 = NULL;
    PL_OK(NULL, pledger_checkpoint_open(&cp2, note, strlen(note), vk));
    pledger_checkpoint_free(cp2);
    pledger_keyring_free(vk);

    /* more events later: the witness check holds */
    char *n3 = NULL;
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_RECEIVABLE, &n3, NULL));
    free(n3);
    PL_OK(reg, pledger_log_check(reg, cp));
    pledger_close(reg);
    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    PL_OK(ro, pledger_log_check(ro, cp));
    fx_act(ro, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    char *none = NULL;
    PL_FAILS(ro, PLEDGER_EREADONLY, pledger_checkpoint_sign(&none, ro, signers));
    pledger_close(ro);

    /* a changed byte: refused */
    char *forged = strdup(note);
    char *digit = strchr(forged, '\n') + 1;
    *digit = *digit == '9' ? '8' : (char)(*digit + 1);
    pledger_checkpoint *bad = NULL;
    ck_assert_int_eq(pledger_checkpoint_open(&bad, forged, strlen(forged), trusted),
                     PLEDGER_ECODE);
    ck_assert_ptr_null(bad);
    free(forged);
    /* a key it does not know: no trusted signature */
    pledger_keyring *stranger = NULL;
    PL_OK(NULL, pledger_keyring_new(&stranger));
    PL_OK(NULL, pledger_keyring_add_pem_file(stranger, "registry.example.cn/FZ01", pub2));
    ck_assert_int_eq(pledger_checkpoint_open(&bad, note, strlen(note), stranger),
                     PLEDGER_ECODE);
    pledger_keyring_free(stranger);

    pledger_checkpoint_free(cp);
    pledger_keyring_free(signers);
    pledger_keyring_free(trusted);
    free(note);
    free(priv);
    free(pub);
    free(priv2);
    free(pub2);
    free(psm2);
    free(ssm2);
    PL_OK(NULL, fx_open(&reg, path, NULL, 0, -1));
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* A key encrypted with a passphrase is refused saying so, and nothing is
 * read from standard input: OpenSSL's default passphrase prompt read it
 * (a command whose input was an open pipe waited there for ever; one that
 * read a batch from "-" gave its bytes as the phrase), and said "no PEM
 * private key" of a file that holds one. */
START_TEST(test_encrypted_key_refused)
{
    char *dir = pl_test_mkdir();
    char *enc = pl_test_path(dir, "enc.key"), *trad = pl_test_path(dir, "trad.key");
    const char *algs[] = {"ED25519", "EC"};
    for (int i = 0; i < 2; i++) {
        EVP_PKEY *k = i == 0 ? EVP_PKEY_Q_keygen(NULL, NULL, algs[i])
                             : EVP_PKEY_Q_keygen(NULL, NULL, algs[i], "P-256");
        ck_assert_ptr_nonnull(k);
        FILE *f = fopen(enc, "w");
        ck_assert_ptr_nonnull(f);
        /* PKCS#8 "ENCRYPTED PRIVATE KEY", as openssl pkey -aes256 writes it */
        ck_assert_int_eq(PEM_write_PKCS8PrivateKey(f, k, EVP_aes_256_cbc(), NULL, 0, NULL,
                                                   (void *)"secret"), 1);
        fclose(f);
        /* the traditional form: "Proc-Type: 4,ENCRYPTED" */
        ck_assert_ptr_nonnull(f = fopen(trad, "w"));
        ck_assert_int_eq(PEM_write_PrivateKey_ex(f, k, EVP_aes_256_cbc(),
                                                 (unsigned char *)"secret", 6, NULL, NULL,
                                                 NULL, NULL), 1);
        fclose(f);
        EVP_PKEY_free(k);

        /* standard input holds the passphrase, as a pipe would */
        int fds[2], saved = dup(0);
        ck_assert_int_eq(pipe(fds), 0);
        const char said[] = "secret\nsecret\nsecret\n";
        ck_assert_int_eq(write(fds[1], said, sizeof said - 1), (ssize_t)(sizeof said - 1));
        close(fds[1]);
        ck_assert_int_eq(dup2(fds[0], 0), 0);
        close(fds[0]);
        const char *files[] = {enc, trad};
        for (int j = 0; j < 2; j++) {
            pledger_keyring *kr = NULL;
            PL_OK(NULL, pledger_keyring_new(&kr));
            ck_assert_int_eq(pledger_keyring_add_pem_file(kr, "office", files[j]),
                             PLEDGER_EINVAL);
            ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "key 'office'"));
            ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "encrypted with a passphrase"));
            ck_assert_uint_eq(pledger_keyring_count(kr), 0);
            pledger_keyring_free(kr);
        }
        /* nothing was read from it */
        char back[64];
        ck_assert_int_eq(read(0, back, sizeof back), (ssize_t)(sizeof said - 1));
        ck_assert_int_eq(dup2(saved, 0), 0);
        close(saved);
    }
    free(enc);
    free(trad);
    pl_test_rmdir(dir);
}
END_TEST

/* @k's private (or, @pub, public) PEM text, appended to the buffer @b. */
static void pem_of(BIO *b, EVP_PKEY *k, bool pub)
{
    ck_assert_int_eq(pub ? PEM_write_bio_PUBKEY(b, k)
                         : PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL), 1);
}

/* One PEM text is one key: a second, other key in it (two private keys
 * concatenated, a private key with another's public key) is refused
 * saying so -- the first was taken without a word, whichever the
 * operator meant -- while a key with its own public half beside it, or
 * written twice, is that key. */
START_TEST(test_one_key_a_pem_text)
{
    EVP_PKEY *a = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"),
             *b = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"),
             *c = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    ck_assert(a && b && c);
    static const struct {
        int k1, pub1, k2, pub2;
        bool ok;
    } cases[] = {
        { 0, 0, 1, 0, false }, /* two private keys */
        { 0, 0, 1, 1, false }, /* a private key, another's public key */
        { 0, 1, 1, 1, false }, /* two public keys */
        { 1, 1, 0, 0, false }, /* another's public key, then a private key */
        { 0, 0, 2, 0, false }, /* keys of two algorithms */
        { 0, 0, 0, 1, true },  /* a private key and its public half */
        { 0, 1, 0, 0, true },  /* the public half first */
        { 0, 0, 0, 0, true },  /* one key twice */
        { 2, 0, -1, 0, true }, /* one key */
    };
    EVP_PKEY *keys[] = { a, b, c };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        BIO *bio = BIO_new(BIO_s_mem());
        ck_assert_ptr_nonnull(bio);
        pem_of(bio, keys[cases[i].k1], cases[i].pub1);
        if (cases[i].k2 >= 0)
            pem_of(bio, keys[cases[i].k2], cases[i].pub2);
        char *pem = NULL;
        long n = BIO_get_mem_data(bio, &pem);
        pledger_keyring *kr = NULL;
        PL_OK(NULL, pledger_keyring_new(&kr));
        int rc = pledger_keyring_add_pem(kr, "office", pem, (size_t)n);
        if (cases[i].ok) {
            ck_assert_msg(rc == 0, "case %zu: %s", i, pledger_errmsg(NULL));
            ck_assert_uint_eq(pledger_keyring_count(kr), 1);
        } else {
            ck_assert_msg(rc == PLEDGER_EINVAL, "case %zu: %d", i, rc);
            ck_assert_str_eq(pledger_errmsg(NULL),
                             "pledger_keyring_add_pem: key 'office': the PEM text holds more "
                             "than one key; one key is given at a time (a key's public half "
                             "beside it is the same key)");
            ck_assert_uint_eq(pledger_keyring_count(kr), 0);
        }
        pledger_keyring_free(kr);
        BIO_free(bio);
    }
    EVP_PKEY_free(a);
    EVP_PKEY_free(b);
    EVP_PKEY_free(c);
}
END_TEST

/* The attack: the file is rewritten so that a registration's amount was
 * always 999 yuan, every event, hash, tree node and state row
 * recomputed -- the rewritten registry is a self-consistent file whose
 * own journal check passes.  A bank that kept a checkpoint from before
 * sees the rewrite. */
START_TEST(test_history_rewrite_detected)
{
    char *dir, *path, *forged_path, *priv, *pub;
    pledger_registry *reg, *forged;
    pledger_keyring *signers, *trusted;
    pledger_checkpoint *kept = NULL;
    char *note = NULL;

    fx_ck_setup(&dir, &path, &reg);
    make_key(dir, "ED25519", "office", &priv, &pub);
    history(reg, "4,500,000.00");
    PL_OK(NULL, pledger_keyring_new(&signers));
    PL_OK(NULL, pledger_keyring_add_pem_file(signers, "registry.example.cn/FZ01", priv));
    PL_OK(NULL, pledger_keyring_new(&trusted));
    PL_OK(NULL, pledger_keyring_add_pem_file(trusted, "registry.example.cn/FZ01", pub));
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_checkpoint_sign(&note, reg, signers));
    PL_OK(NULL, pledger_checkpoint_open(&kept, note, strlen(note), trusted));

    /* the same history, the change's amount rewritten, on the same clock */
    forged_path = pl_test_path(dir, "forged.db");
    fx_now_us = FX_T0;
    PL_OK(NULL, fx_open(&forged, forged_path, "FZ01", 0, -1));
    history(forged, "999");
    fx_act(forged, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    uint64_t a = 0, b = 0;
    PL_OK(reg, pledger_log_size(reg, &a));
    PL_OK(forged, pledger_log_size(forged, &b));
    ck_assert_uint_eq(a, b);
    int64_t bad = -1, count = 0;
    PL_OK(forged, pledger_journal_verify(&bad, &count, forged));
    ck_assert_msg(bad == 0, "the forged file is self-consistent");
    /* and then it goes on (or not) with more events */
    char *n = NULL;
    PL_OK(forged, fx_registered(forged, PLEDGER_KIND_EQUITY, &n, NULL));
    free(n);

    /* the honest registry passes, the forged one does not */
    PL_OK(reg, pledger_log_check(reg, kept));
    ck_assert_int_eq(pledger_log_check(forged, kept), PLEDGER_ECODE);
    ck_assert_msg(strstr(pledger_errmsg(forged), "rewritten"), "%s", pledger_errmsg(forged));
    /* a forged file that dropped events: refused too */
    pledger_close(forged);
    fx_now_us = FX_T0;
    char *short_path = pl_test_path(dir, "short.db");
    PL_OK(NULL, fx_open(&forged, short_path, "FZ01", 0, -1));
    char *n1 = NULL;
    PL_OK(forged, fx_registered(forged, PLEDGER_KIND_TRADEMARK, &n1, NULL));
    free(n1);
    ck_assert_int_eq(pledger_log_check(forged, kept), PLEDGER_ECODE);
    ck_assert_msg(strstr(pledger_errmsg(forged), "were removed"), "%s",
                  pledger_errmsg(forged));
    /* another log's checkpoint is not this log's */
    fx_act(forged, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(forged, pledger_set_log_origin(forged, "registry.example.cn/XM01"));
    ck_assert_int_eq(pledger_log_check(forged, kept), PLEDGER_ECODE);
    ck_assert_msg(strstr(pledger_errmsg(forged), "XM01"), "%s", pledger_errmsg(forged));

    pledger_close(forged);
    pledger_checkpoint_free(kept);
    pledger_keyring_free(signers);
    pledger_keyring_free(trusted);
    free(note);
    free(priv);
    free(pub);
    free(forged_path);
    free(short_path);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* The office's own checkpoints hold a rewritten file to what it signed:
 * the file rewritten with every hash recomputed (as above), the
 * checkpoint the registry signed before kept in it.  Signing again would
 * sign a fork (C2SP tlog-checkpoint: never a checkpoint inconsistent with
 * one signed before): refused, nothing stored; and the journal check,
 * chain alone too, names the checkpoint the events contradict. */
static int64_t checkpoints_kept(const char *path)
{
    int64_t n = -1;
    PL_OK(NULL, fx_raw_int(path, "SELECT count(*) FROM checkpoint", &n));
    return n;
}

START_TEST(test_rewrite_refused_by_own_checkpoints)
{
    char *dir, *path, *forged_path, *priv, *pub, *note = NULL, *sql = NULL;
    pledger_registry *reg, *forged;
    pledger_keyring *signers;
    int64_t bad = -1, count = 0;
    uint64_t size = 0;
    unsigned char root[32];

    fx_ck_setup(&dir, &path, &reg);
    make_key(dir, "ED25519", "office", &priv, &pub);
    history(reg, "4,500,000.00");
    PL_OK(NULL, pledger_keyring_new(&signers));
    PL_OK(NULL, pledger_keyring_add_pem_file(signers, "registry.example.cn/FZ01", priv));
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_checkpoint_sign(&note, reg, signers));
    free(note);
    PL_OK(reg, pledger_log_size(reg, &size));
    PL_OK(reg, pledger_log_root(reg, size, root));
    char *kept_root = pl_base64(root, 32);
    /* the honest registry signs on, and its checks hold */
    char *n = NULL;
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_EQUITY, &n, NULL));
    free(n);
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_checkpoint_sign(&note, reg, signers));
    free(note);
    ck_assert_int_eq(checkpoints_kept(path), 2);
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(reg, pledger_journal_verify(&bad, &count, reg));
    ck_assert_msg(bad == 0, "%s", pledger_errmsg(reg));

    /* the forged file, of the first checkpoint's size, with the checkpoints */
    forged_path = pl_test_path(dir, "forged.db");
    fx_now_us = FX_T0;
    PL_OK(NULL, fx_open(&forged, forged_path, "FZ01", 0, -1));
    history(forged, "999");
    uint64_t fsize = 0;
    PL_OK(forged, pledger_log_size(forged, &fsize));
    ck_assert_uint_eq(fsize, size);
    ck_assert_int_ne(asprintf(&sql, "ATTACH '%s' AS honest; INSERT INTO checkpoint SELECT * "
                              "FROM honest.checkpoint WHERE size = %" PRIu64, path, size), -1);
    fx_ck_raw_exec(forged_path, sql);
    free(sql);
    ck_assert_int_eq(checkpoints_kept(forged_path), 1);
    /* the same size, another root: refused, naming the size and both roots */
    fx_act(forged, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_FAILS(forged, PLEDGER_ECORRUPT, pledger_checkpoint_sign(&note, forged, signers));
    ck_assert_ptr_null(note);
    char what[64];
    snprintf(what, sizeof what, "checkpoint of %" PRIu64 " events", size);
    char why[1024];
    snprintf(why, sizeof why, "%s", pledger_errmsg(forged));
    ck_assert_msg(strstr(why, what) && strstr(why, kept_root), "%s", why);
    PL_OK(forged, pledger_log_root(forged, size, root));
    char *forged_root = pl_base64(root, 32);
    ck_assert_msg(strstr(why, forged_root), "%s", why);
    ck_assert_int_eq(checkpoints_kept(forged_path), 1);
    /* the journal check, full and chain alone, names that checkpoint */
    fx_act(forged, "auditor-1", PLEDGER_ROLE_AUDITOR);
    for (int chain = 0; chain < 2; chain++) {
        bad = -1;
        PL_OK(forged, chain ? pledger_journal_verify_chain(&bad, &count, forged)
                            : pledger_journal_verify(&bad, &count, forged));
        ck_assert_msg(bad >= 1 && (uint64_t)bad <= size, "%d: %" PRId64, chain, bad);
        ck_assert_msg(strstr(pledger_errmsg(forged), what) &&
                      strstr(pledger_errmsg(forged), kept_root), "%s", pledger_errmsg(forged));
    }
    /* more events: the kept checkpoint is of a smaller size, still refused */
    PL_OK(forged, fx_registered(forged, PLEDGER_KIND_EQUITY, &n, NULL));
    free(n);
    fx_act(forged, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_FAILS(forged, PLEDGER_ECORRUPT, pledger_checkpoint_sign(&note, forged, signers));
    ck_assert_msg(strstr(pledger_errmsg(forged), what), "%s", pledger_errmsg(forged));
    ck_assert_int_eq(checkpoints_kept(forged_path), 1);
    pledger_close(forged);

    /* a file cut short below a checkpoint it keeps: events were removed */
    char *short_path = pl_test_path(dir, "short.db");
    fx_now_us = FX_T0;
    PL_OK(NULL, fx_open(&forged, short_path, "FZ01", 0, -1));
    PL_OK(forged, fx_registered(forged, PLEDGER_KIND_TRADEMARK, &n, NULL));
    free(n);
    ck_assert_int_ne(asprintf(&sql, "ATTACH '%s' AS honest; INSERT INTO checkpoint SELECT * "
                              "FROM honest.checkpoint", path), -1);
    fx_ck_raw_exec(short_path, sql);
    free(sql);
    fx_act(forged, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_FAILS(forged, PLEDGER_ECORRUPT, pledger_checkpoint_sign(&note, forged, signers));
    ck_assert_msg(strstr(pledger_errmsg(forged), "were removed"), "%s", pledger_errmsg(forged));
    fx_act(forged, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(forged, pledger_journal_verify_chain(&bad, &count, forged));
    ck_assert_int_eq(bad, count + 1);
    ck_assert_msg(strstr(pledger_errmsg(forged), "were removed"), "%s", pledger_errmsg(forged));
    pledger_close(forged);

    /* a kept checkpoint that is not one: named, and nothing signed over it */
    fx_ck_raw_exec(path, "INSERT INTO checkpoint VALUES (3, 1, 'not a note')");
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_FAILS(reg, PLEDGER_ECORRUPT, pledger_checkpoint_sign(&note, reg, signers));
    ck_assert_msg(strstr(pledger_errmsg(reg), "checkpoint of 3 events"), "%s",
                  pledger_errmsg(reg));
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(reg, pledger_journal_verify(&bad, &count, reg));
    ck_assert_int_eq(bad, 3);
    ck_assert_msg(strstr(pledger_errmsg(reg), "cannot be read"), "%s", pledger_errmsg(reg));

    free(kept_root);
    free(forged_root);
    free(forged_path);
    free(short_path);
    pledger_keyring_free(signers);
    free(priv);
    free(pub);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* An event row edited underneath the library, the tree left as it was:
 * the tree would prove the old event, so no proof is made of the new
 * one -- the leaf and the inclusion proof of that event are refused,
 * naming it; the others are proved as before. */
START_TEST(test_edited_event_not_proved)
{
    char *dir, *path;
    pledger_registry *reg;
    pledger_proof *p = NULL;
    unsigned char leaf[32];

    fx_ck_setup(&dir, &path, &reg);
    history(reg, "450万");
    pledger_close(reg);
    fx_ck_raw_exec(path, "DROP TRIGGER journal_no_update;"
                         " UPDATE journal SET payload = payload || ' ' WHERE seq = 3");
    PL_OK(NULL, fx_open(&reg, path, NULL, 0, -1));
    PL_FAILS(reg, PLEDGER_ECORRUPT, pledger_log_prove_inclusion(&p, reg, 3, 0));
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(pledger_errmsg(reg), "event 3 ") &&
                  strstr(pledger_errmsg(reg), "Merkle tree"), "%s", pledger_errmsg(reg));
    PL_FAILS(reg, PLEDGER_ECORRUPT, pledger_log_leaf(reg, 3, leaf));
    ck_assert_msg(strstr(pledger_errmsg(reg), "event 3 "), "%s", pledger_errmsg(reg));
    PL_OK(reg, pledger_log_prove_inclusion(&p, reg, 2, 0));
    pledger_proof_free(p);
    PL_OK(reg, pledger_log_leaf(reg, 4, leaf));
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* C2SP tlog-checkpoint: extension lines are not empty.  A note whose
 * checkpoint has an empty one is refused even validly signed, naming the
 * line. */
START_TEST(test_empty_extension_line_refused)
{
    char *dir, *path, *priv, *pub;
    pledger_registry *reg;
    pledger_keyring *trusted;
    pl_note_key *k = NULL;
    pl_err e = { 0 };

    fx_ck_setup(&dir, &path, &reg);
    make_key(dir, "ED25519", "office", &priv, &pub);
    ck_assert_int_eq(pl_note_key_pem_file(&e, "registry.example.cn/FZ01", priv, &k), 0);
    PL_OK(NULL, pledger_keyring_new(&trusted));
    PL_OK(NULL, pledger_keyring_add_pem_file(trusted, "registry.example.cn/FZ01", pub));
    static const struct { const char *text; const char *line; } cases[] = {
        { "registry.example.cn/FZ01\n40\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n",
          "line 4" },
        { "registry.example.cn/FZ01\n40\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
          "ext\n\n", "line 5" },
        { "registry.example.cn/FZ01\n40\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
          "\next\n", "line 4" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *note = NULL;
        pledger_checkpoint *cp = NULL;
        ck_assert_int_eq(pl_note_sign(&e, cases[i].text, (const pl_note_key *const *)&k, 1,
                                      &note), 0);
        ck_assert_int_eq(pledger_checkpoint_open(&cp, note, strlen(note), trusted),
                         PLEDGER_EINVAL);
        ck_assert_ptr_null(cp);
        ck_assert_msg(strstr(pledger_errmsg(NULL), cases[i].line) &&
                      strstr(pledger_errmsg(NULL), "extension line"), "%zu: %s", i,
                      pledger_errmsg(NULL));
        free(note);
    }
    /* a non-empty extension line is read (and ignored) */
    char *note = NULL;
    pledger_checkpoint *cp = NULL;
    ck_assert_int_eq(pl_note_sign(&e, "registry.example.cn/FZ01\n40\nXcnaeacGWamtVZy3Ad7Zoqud"
                                      "gjqtL0lgz+Nw7/RgQyg=\next\n",
                                  (const pl_note_key *const *)&k, 1, &note), 0);
    PL_OK(NULL, pledger_checkpoint_open(&cp, note, strlen(note), trusted));
    ck_assert_uint_eq(pledger_checkpoint_size(cp), 40);
    pledger_checkpoint_free(cp);
    free(note);
    pl_note_key_free(k);
    pledger_keyring_free(trusted);
    free(priv);
    free(pub);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* Tampering with the stored tree itself is found by the journal check,
 * which names the event. */
START_TEST(test_tree_tamper_found)
{
    char *dir, *path;
    pledger_registry *reg;
    int64_t bad = -1, count = 0;
    char why[512];

    fx_ck_setup(&dir, &path, &reg);
    history(reg, "450万");
    pledger_close(reg);
    fx_ck_raw_exec(path, "DROP TRIGGER journal_node_no_update;"
                         " UPDATE journal_node SET hash = zeroblob(32) WHERE level = 1 AND idx = 2");
    PL_OK(NULL, fx_journal_verify(path, &bad, &count, why, sizeof why));
    ck_assert_int_eq(bad, 6);
    ck_assert_msg(strstr(why, "Merkle tree") && strstr(why, "level 1, index 2"), "%s", why);
    PL_OK(NULL, fx_open(&reg, path, NULL, 0, -1));
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* The right edge a connection keeps between its appends: never used
 * after a rollback undid the appends it saw, nor after another
 * connection appended; the tree always matches the events. */
START_TEST(test_kept_edge_rollback_and_other_writers)
{
    char *dir, *path, *n1 = NULL, *n2 = NULL, *n3 = NULL;
    pledger_registry *reg, *other = NULL;
    pl_err e = { 0, "" };
    int64_t bad = -1, count = 0, seq = 0;

    fx_ck_setup(&dir, &path, &reg);
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &n1, NULL));
    /* an append rolled back: its event and its nodes are gone, and the
     * next append must not build on them */
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(pl_db_write_begin(reg->db, &e), 0);
        pl_event ev = { fx_now_us, "tester", "registrar", "test_rolled_back", "x", "{}" };
        ck_assert_int_eq(pl_journal_append(reg->db, &e, &ev, &seq), 0);
        pl_db_rollback(reg->db);
    }
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_PATENT, &n2, NULL));
    PL_OK(reg, pledger_journal_verify(&bad, &count, reg));
    ck_assert_int_eq(bad, 0);
    /* another connection appends between two appends of this one */
    PL_OK(NULL, fx_open(&other, path, "FZ01", 0, -1));
    PL_OK(other, fx_registered(other, PLEDGER_KIND_RECEIVABLE, &n3, NULL));
    free(n3);
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_EQUITY, &n3, NULL));
    PL_OK(other, pledger_journal_verify(&bad, &count, other));
    ck_assert_int_eq(bad, 0);
    uint64_t size = 0;
    unsigned char root[32], root2[32];
    PL_OK(reg, pledger_log_size(reg, &size));
    ck_assert_uint_eq(size, (uint64_t)count);
    PL_OK(reg, pledger_log_root(reg, size, root));
    PL_OK(other, pledger_log_root(other, size, root2));
    ck_assert_mem_eq(root, root2, 32);
    pledger_close(other);
    free(n1);
    free(n2);
    free(n3);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* Nodes are keyed by the order appends make them: every append's nodes
 * get the next positions, with no gap and no repeat, at any size. */
static int record_pos(void *ctx, pl_err *e, unsigned level, uint64_t index, const pl_mhash *h)
{
    uint64_t *next = ctx;
    (void)e;
    (void)h;
    ck_assert_uint_eq(pl_merkle_node_pos(level, index), *next);
    (*next)++;
    return 0;
}

START_TEST(test_node_positions)
{
    pl_merkle_edge edge = { 0 };
    pl_err e = { 0, "" };
    pl_mhash leaf = { { 0 } };
    uint64_t next = 0;
    /* past 2^16 leaves natively; under memcheck (slow, and looking for
     * memory errors, not arithmetic) to 2^12 */
    const uint64_t last = getenv("PLEDGER_VALGRIND") ? 4100 : 70000;
    for (uint64_t n = 1; n <= last; n++) {
        ck_assert_int_eq(pl_merkle_edge_append(&e, &edge, &leaf, record_pos, &next), 0);
        ck_assert_uint_eq(next, 2 * n - (uint64_t)__builtin_popcountll(n));
    }
    /* far out: the last node of a tree of 2^40 leaves */
    ck_assert_uint_eq(pl_merkle_node_pos(40, 0), (UINT64_C(2) << 40) - 2);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("log");
    TCase *tc = tcase_create("log");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_every_event_proved);
    tcase_add_test(tc, test_checkpoints_and_keys);
    tcase_add_test(tc, test_encrypted_key_refused);
    tcase_add_test(tc, test_one_key_a_pem_text);
    tcase_add_test(tc, test_history_rewrite_detected);
    tcase_add_test(tc, test_rewrite_refused_by_own_checkpoints);
    tcase_add_test(tc, test_edited_event_not_proved);
    tcase_add_test(tc, test_empty_extension_line_refused);
    tcase_add_test(tc, test_tree_tamper_found);
    tcase_add_test(tc, test_kept_edge_rollback_and_other_writers);
    tcase_add_test(tc, test_node_positions);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
