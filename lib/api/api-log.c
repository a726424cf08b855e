/* The journal as a transparency log (include/pledger/log.h): keyrings,
 * roots, proofs and checkpoints over the tree store/journal.c keeps. */
#include <pledger/log.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handle.h"
#include "base/text.h"
#include "api/keyring.h"
#include "base/date.h"
#include "base/i18n.h"
#include "base/hash.h"
#include "base/merkle.h"
#include "base/note.h"
#include "store/journal.h"
#include "workflow/flow.h"

/* ---- keyrings ------------------------------------------------------------- */

const pl_doc_key *pl_keyring_signer(const pledger_keyring *kr)
{
    for (size_t i = 0; kr && i < kr->nd; i++)
        if (pl_doc_key_can_sign(kr->docs[i]))
            return kr->docs[i];
    return NULL;
}

bool pl_keyring_can_sign_notes(const pledger_keyring *kr)
{
    for (size_t i = 0; kr && i < kr->n; i++)
        if (pl_note_key_can_sign(kr->keys[i]))
            return true;
    return false;
}

int pledger_keyring_new(pledger_keyring **out)
{
    if (!out)
        return pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "pledger_keyring_new: out is NULL");
    if (!(*out = calloc(1, sizeof **out)))
        return pl_err_oom(pl_err_thread());
    if (pthread_mutex_init(&(*out)->lock, NULL) != 0) {
        free(*out);
        *out = NULL;
        return pl_err_oom(pl_err_thread());
    }
    return 0;
}

static void forget_seen(pledger_keyring *kr)
{
    pthread_mutex_lock(&kr->lock);
    for (size_t i = 0; i < PL_KEYRING_SEEN; i++) {
        free(kr->seen[i].text);
        memset(&kr->seen[i], 0, sizeof kr->seen[i]);
    }
    pthread_mutex_unlock(&kr->lock);
}

int pl_keyring_open_note(void *ctx, pl_err *e, const char *note, size_t len, pl_note_opened *out)
{
    pledger_keyring *kr = ctx;
    unsigned char d[32];
    int rc;

    memset(out, 0, sizeof *out);
    if (pl_hash(PL_HASH_SHA256, note, len, d) == 0) {
        pthread_mutex_lock(&kr->lock);
        for (size_t i = 0; i < PL_KEYRING_SEEN; i++) {
            pl_note_seen *s = &kr->seen[i];
            if (s->text && memcmp(s->digest, d, sizeof d) == 0) {
                out->text = strdup(s->text);
                out->n_verified = s->n_verified;
                memcpy(out->verified, s->verified, s->n_verified * sizeof s->verified[0]);
                break;
            }
        }
        pthread_mutex_unlock(&kr->lock);
        if (out->text)
            return 0;
    }
    if ((rc = pl_note_open(e, note, len, (const pl_note_key *const *)kr->keys, kr->n, out)))
        return rc;
    char *copy = strdup(out->text);
    if (copy) {
        pthread_mutex_lock(&kr->lock);
        pl_note_seen *s = &kr->seen[kr->next_seen++ % PL_KEYRING_SEEN];
        free(s->text);
        memcpy(s->digest, d, sizeof d);
        s->text = copy;
        s->n_verified = out->n_verified;
        memcpy(s->verified, out->verified, out->n_verified * sizeof out->verified[0]);
        pthread_mutex_unlock(&kr->lock);
    }
    return 0;
}

static int keyring_take(pledger_keyring *kr, pl_err *e, const char *fn, pl_note_key *k)
{
    char *vkey = NULL;
    int rc = pl_note_key_vkey_text(e, k, &vkey);

    if (rc) {
        pl_note_key_free(k);
        return rc;
    }
    for (size_t i = 0; i < kr->n; i++)
        if (strcmp(kr->vkeys[i], vkey) == 0 &&
            pl_note_key_can_sign(kr->keys[i]) >= pl_note_key_can_sign(k)) {
            free(vkey);           /* already there */
            pl_note_key_free(k);
            return 0;
        }
    if (kr->n == kr->cap) {
        size_t cap = kr->cap ? kr->cap * 2 : 4;
        pl_note_key **keys = realloc(kr->keys, cap * sizeof *keys);
        if (keys)
            kr->keys = keys;
        char **vkeys = keys ? realloc(kr->vkeys, cap * sizeof *vkeys) : NULL;
        if (!keys || !vkeys) {
            free(vkey);
            pl_note_key_free(k);
            return pl_err_oom(e);
        }
        kr->vkeys = vkeys;
        kr->cap = cap;
    }
    (void)fn;
    forget_seen(kr);
    kr->keys[kr->n] = k;
    kr->vkeys[kr->n] = vkey;
    kr->n++;
    return 0;
}

static int keyring_take_doc(pledger_keyring *kr, pl_err *e, pl_doc_key *k)
{
    for (size_t i = 0; i < kr->nd; i++)
        if (pl_doc_key_same(kr->docs[i], k) &&
            pl_doc_key_can_sign(kr->docs[i]) >= pl_doc_key_can_sign(k)) {
            pl_doc_key_free(k);   /* already there */
            return 0;
        }
    size_t tl = strlen(pl_doc_key_name(k)) + strlen(pl_doc_key_type(k)) + 2;
    char *text = malloc(tl);
    if (text)
        snprintf(text, tl, "%s %s", pl_doc_key_name(k), pl_doc_key_type(k));
    if (text && kr->nd == kr->capd) {
        size_t cap = kr->capd ? kr->capd * 2 : 4;
        pl_doc_key **docs = realloc(kr->docs, cap * sizeof *docs);
        if (docs)
            kr->docs = docs;
        char **texts = docs ? realloc(kr->doc_texts, cap * sizeof *texts) : NULL;
        if (texts) {
            kr->doc_texts = texts;
            kr->capd = cap;
        }
    }
    if (!text || kr->nd == kr->capd) {
        free(text);
        pl_doc_key_free(k);
        return pl_err_oom(e);
    }
    kr->docs[kr->nd] = k;
    kr->doc_texts[kr->nd] = text;
    kr->nd++;
    return 0;
}

/* A key read from PEM (@rc its reading's result), of either kind: a
 * certificate key (ECDSA P-256, RSA) or a checkpoint key (Ed25519, SM2). */
static int keyring_add_read(pledger_keyring *kr, pl_err *e, const char *fn, const char *name,
                            int rc, EVP_PKEY *pkey, bool priv)
{
    pl_doc_key *dk = NULL;
    pl_note_key *k = NULL;
    bool other = false;

    if (rc)
        return pl_err_prefix(e, "%s", fn);
    if ((rc = pl_doc_key_take(e, name, pkey, priv, &other, &dk)) == 0)
        return keyring_take_doc(kr, e, dk);
    if (!other)
        return pl_err_prefix(e, "%s", fn);
    if ((rc = pl_note_key_take(e, name, pkey, priv, &k)))
        return pl_err_set(e, rc,
                          "%s: key '%s': checkpoints are signed with Ed25519 or SM2 keys, "
                          "certificates with ECDSA P-256 or RSA (2048 bits or more) keys", fn,
                          name);
    return keyring_take(kr, e, fn, k);
}

int pledger_keyring_add_pem_file(pledger_keyring *kr, const char *name, const char *path)
{
    static const char fn[] = "pledger_keyring_add_pem_file";
    pl_err *e = pl_err_thread();
    EVP_PKEY *pkey = NULL;
    bool priv = false;
    int rc;

    if (!kr || !path)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: %s is NULL", fn, kr ? "path" : "kr");
    if ((rc = pl_api_check_control(NULL, fn, "name", name, PL_TEXT_LINE)))
        return rc;
    rc = pl_pem_key_read_file(e, name, path, &pkey, &priv);
    return keyring_add_read(kr, e, fn, name, rc, pkey, priv);
}

int pledger_keyring_add_pem(pledger_keyring *kr, const char *name, const char *pem, size_t len)
{
    static const char fn[] = "pledger_keyring_add_pem";
    pl_err *e = pl_err_thread();
    EVP_PKEY *pkey = NULL;
    bool priv = false;
    int rc;

    if (!kr || !pem)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: %s is NULL", fn, kr ? "pem" : "kr");
    if ((rc = pl_api_check_control(NULL, fn, "name", name, PL_TEXT_LINE)))
        return rc;
    rc = pl_pem_key_read(e, name, pem, len, &pkey, &priv);
    return keyring_add_read(kr, e, fn, name, rc, pkey, priv);
}

int pledger_keyring_add_vkey(pledger_keyring *kr, const char *vkey)
{
    static const char fn[] = "pledger_keyring_add_vkey";
    pl_err *e = pl_err_thread();
    pl_note_key *k = NULL;
    int rc;

    if (!kr || !vkey)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: %s is NULL", fn, kr ? "vkey" : "kr");
    if ((rc = pl_note_key_vkey(e, vkey, &k)))
        return pl_err_prefix(e, "%s", fn);
    return keyring_take(kr, e, fn, k);
}

size_t pledger_keyring_count(const pledger_keyring *kr) { return kr ? kr->n + kr->nd : 0; }

const char *pledger_keyring_vkey(const pledger_keyring *kr, size_t i)
{
    if (!kr)
        return NULL;
    return i < kr->n ? kr->vkeys[i] : i - kr->n < kr->nd ? kr->doc_texts[i - kr->n] : NULL;
}

void pledger_keyring_free(pledger_keyring *kr)
{
    if (!kr)
        return;
    for (size_t i = 0; i < kr->n; i++) {
        pl_note_key_free(kr->keys[i]);
        free(kr->vkeys[i]);
    }
    for (size_t i = 0; i < kr->nd; i++) {
        pl_doc_key_free(kr->docs[i]);
        free(kr->doc_texts[i]);
    }
    free(kr->keys);
    free(kr->vkeys);
    free(kr->docs);
    free(kr->doc_texts);
    forget_seen(kr);
    pthread_mutex_destroy(&kr->lock);
    free(kr);
}

/* ---- proofs --------------------------------------------------------------- */

struct pledger_proof {
    size_t n;
    pl_mhash h[PL_MERKLE_MAX_PROOF];
    char *text;
    uint64_t tree_size; /* the log's size it is for; 0: not known (parsed) */
};

static int proof_new(pl_err *e, pledger_proof **out, const pl_mhash *h, size_t n,
                     uint64_t tree_size)
{
    pledger_proof *p = calloc(1, sizeof *p);
    char *buf = NULL;
    size_t size = 0;
    FILE *f;

    if (!p || !(f = open_memstream(&buf, &size))) {
        free(p);
        return pl_err_oom(e);
    }
    for (size_t i = 0; i < n; i++) {
        char *b = pl_base64(h[i].h, PL_MERKLE_HASH);
        if (!b) {
            fclose(f);
            free(buf);
            free(p);
            return pl_err_oom(e);
        }
        fprintf(f, "%s\n", b);
        free(b);
    }
    if (fclose(f) != 0) {
        free(buf);
        free(p);
        return pl_err_oom(e);
    }
    memcpy(p->h, h, n * sizeof *h);
    p->n = n;
    p->text = buf;
    p->tree_size = tree_size;
    *out = p;
    return 0;
}

int pledger_proof_parse(pledger_proof **out, const char *text)
{
    pl_err *e = pl_err_thread();
    pl_mhash h[PL_MERKLE_MAX_PROOF];
    size_t n = 0, line = 1;

    if (!out || !text)
        return pl_err_set(e, PLEDGER_EINVAL, "pledger_proof_parse: %s is NULL",
                          out ? "text" : "out");
    *out = NULL;
    for (const char *p = text; *p; line++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p), got = 0;
        if (len && p[len - 1] == '\r')
            len--;
        if (len) {
            if (n == PL_MERKLE_MAX_PROOF)
                return pl_err_set(e, PLEDGER_EINVAL,
                                  "pledger_proof_parse: more than %d hashes",
                                  PL_MERKLE_MAX_PROOF);
            if (!pl_unbase64(p, len, h[n].h, PL_MERKLE_HASH, &got) || got != PL_MERKLE_HASH)
                return pl_err_set(e, PLEDGER_EINVAL,
                                  "pledger_proof_parse: line %zu is not a base64 hash of 32 "
                                  "bytes", line);
            n++;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    return proof_new(e, out, h, n, 0);
}

size_t pledger_proof_count(const pledger_proof *p) { return p ? p->n : 0; }

const unsigned char *pledger_proof_hash(const pledger_proof *p, size_t i)
{
    return p && i < p->n ? p->h[i].h : NULL;
}

const char *pledger_proof_text(const pledger_proof *p) { return p ? p->text : NULL; }

uint64_t pledger_proof_tree_size(const pledger_proof *p) { return p ? p->tree_size : 0; }

void pledger_proof_free(pledger_proof *p)
{
    if (!p)
        return;
    free(p->text);
    free(p);
}

/* ---- the log -------------------------------------------------------------- */

/* The log's size read in the open read transaction. */
static int log_size(pledger_registry *reg, uint64_t *size)
{
    return pl_journal_tree_size(reg->db, &reg->err, size);
}

/* @size 0 means now; beyond the log is refused. */
static int resolve_size(pledger_registry *reg, const char *fn, uint64_t *size)
{
    uint64_t now;
    int rc = log_size(reg, &now);
    if (rc)
        return rc;
    if (*size == 0)
        *size = now;
    else if (*size > now)
        return pl_err_set(&reg->err, PLEDGER_EINVAL,
                          "%s: size: the log has %" PRIu64 " events, not %" PRIu64, fn, now,
                          *size);
    return 0;
}

int pledger_log_size(pledger_registry *reg, uint64_t *size_out)
{
    static const char fn[] = "pledger_log_size";
    int rc = pl_api_enter(reg, fn);
    if (rc)
        return rc;
    if (!size_out)
        return pl_api_bad_arg(reg, fn, "size_out", "is NULL");
    *size_out = 0;
    if ((rc = pl_db_read_begin(reg->db, &reg->err)))
        return rc;
    rc = log_size(reg, size_out);
    pl_db_rollback(reg->db);
    return rc;
}

int pledger_log_root(pledger_registry *reg, uint64_t size,
                     unsigned char root_out[PLEDGER_LOG_HASH_SIZE])
{
    static const char fn[] = "pledger_log_root";
    pl_mhash root;
    uint64_t now;
    int rc = pl_api_enter(reg, fn);

    if (rc)
        return rc;
    if (!root_out)
        return pl_api_bad_arg(reg, fn, "root_out", "is NULL");
    if ((rc = pl_db_read_begin(reg->db, &reg->err)))
        return rc;
    if (!(rc = log_size(reg, &now)) && size > now)
        rc = pl_err_set(&reg->err, PLEDGER_EINVAL,
                        "%s: size: the log has %" PRIu64 " events, not %" PRIu64, fn, now,
                        size);
    if (!rc)
        rc = pl_merkle_root(&reg->err, size, pl_journal_tree_get, reg->db, &root);
    pl_db_rollback(reg->db);
    if (!rc)
        memcpy(root_out, root.h, PL_MERKLE_HASH);
    return rc;
}

int pledger_log_leaf(pledger_registry *reg, uint64_t event,
                     unsigned char leaf_out[PLEDGER_LOG_HASH_SIZE])
{
    static const char fn[] = "pledger_log_leaf";
    pl_mhash leaf;
    int rc = pl_api_enter(reg, fn);

    if (rc)
        return rc;
    if (!leaf_out)
        return pl_api_bad_arg(reg, fn, "leaf_out", "is NULL");
    if (event == 0)
        return pl_api_bad_arg(reg, fn, "event", "must be 1 or more");
    if (event > INT64_MAX) /* as for any number beyond the log */
        return pl_err_set(&reg->err, PLEDGER_ENOTFOUND, "%s: journal: there is no event %"
                          PRIu64, fn, event);
    if ((rc = pl_db_read_begin(reg->db, &reg->err)))
        return rc;
    rc = pl_journal_leaf(reg->db, &reg->err, (int64_t)event, &leaf);
    pl_db_rollback(reg->db);
    if (!rc)
        memcpy(leaf_out, leaf.h, PL_MERKLE_HASH);
    return rc;
}

int pledger_log_prove_inclusion(pledger_proof **out, pledger_registry *reg, uint64_t event,
                                uint64_t size)
{
    static const char fn[] = "pledger_log_prove_inclusion";
    pl_mhash h[PL_MERKLE_MAX_PROOF], leaf;
    size_t n = 0;
    int rc = pl_api_enter(reg, fn);

    if (rc)
        return rc;
    if (!out)
        return pl_api_bad_arg(reg, fn, "out", "is NULL");
    *out = NULL;
    if ((rc = pl_db_read_begin(reg->db, &reg->err)))
        return rc;
    if (!(rc = resolve_size(reg, fn, &size))) {
        if (event == 0 || event > size)
            rc = pl_err_set(&reg->err, PLEDGER_EINVAL,
                            "%s: event %" PRIu64 " is not in the log of %" PRIu64 " events",
                            fn, event, size);
        /* the event as stored must be the leaf the tree proves */
        else if (!(rc = pl_journal_leaf(reg->db, &reg->err, (int64_t)event, &leaf)))
            rc = pl_merkle_inclusion(&reg->err, event - 1, size, pl_journal_tree_get,
                                     reg->db, h, &n);
    }
    pl_db_rollback(reg->db);
    return rc ? rc : proof_new(&reg->err, out, h, n, size);
}

int pledger_log_prove_consistency(pledger_proof **out, pledger_registry *reg,
                                  uint64_t old_size, uint64_t size)
{
    static const char fn[] = "pledger_log_prove_consistency";
    pl_mhash h[PL_MERKLE_MAX_PROOF];
    size_t n = 0;
    int rc = pl_api_enter(reg, fn);

    if (rc)
        return rc;
    if (!out)
        return pl_api_bad_arg(reg, fn, "out", "is NULL");
    *out = NULL;
    if ((rc = pl_db_read_begin(reg->db, &reg->err)))
        return rc;
    if (!(rc = resolve_size(reg, fn, &size))) {
        if (size == 0)
            rc = pl_err_set(&reg->err, PLEDGER_EINVAL,
                            "%s: old_size %" PRIu64 ": the log has no event yet, so no size "
                            "to prove it consistent with", fn, old_size);
        else if (old_size == 0 || old_size > size)
            rc = pl_err_set(&reg->err, PLEDGER_EINVAL,
                            "%s: old_size %" PRIu64 " must be 1 to %" PRIu64, fn, old_size,
                            size);
        else
            rc = pl_merkle_consistency(&reg->err, old_size, size, pl_journal_tree_get,
                                       reg->db, h, &n);
    }
    pl_db_rollback(reg->db);
    return rc ? rc : proof_new(&reg->err, out, h, n, size);
}

int pledger_log_verify_inclusion(uint64_t event, uint64_t size,
                                 const unsigned char leaf[PLEDGER_LOG_HASH_SIZE],
                                 const pledger_proof *proof,
                                 const unsigned char root[PLEDGER_LOG_HASH_SIZE])
{
    static const char fn[] = "pledger_log_verify_inclusion";
    pl_err *e = pl_err_thread();
    pl_mhash l, r;

    if (!leaf || !proof || !root)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: %s is NULL", fn,
                          !leaf ? "leaf" : !proof ? "proof" : "root");
    memcpy(l.h, leaf, PL_MERKLE_HASH);
    memcpy(r.h, root, PL_MERKLE_HASH);
    if (event == 0 || !pl_merkle_verify_inclusion(event - 1, size, &l, proof->h, proof->n, &r))
        return pl_err_set(e, PLEDGER_ECODE,
                          "%s: the proof does not show event %" PRIu64 " in the log of %"
                          PRIu64 " events with that root", fn, event, size);
    pl_err_clear(e);
    return 0;
}

int pledger_log_verify_consistency(uint64_t old_size, uint64_t size,
                                   const unsigned char old_root[PLEDGER_LOG_HASH_SIZE],
                                   const unsigned char root[PLEDGER_LOG_HASH_SIZE],
                                   const pledger_proof *proof)
{
    static const char fn[] = "pledger_log_verify_consistency";
    pl_err *e = pl_err_thread();
    pl_mhash a, b;

    if (!old_root || !root || !proof)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: %s is NULL", fn,
                          !old_root ? "old_root" : !root ? "root" : "proof");
    memcpy(a.h, old_root, PL_MERKLE_HASH);
    memcpy(b.h, root, PL_MERKLE_HASH);
    if (!pl_merkle_verify_consistency(old_size, size, &a, &b, proof->h, proof->n))
        return pl_err_set(e, PLEDGER_ECODE,
                          "%s: the proof does not show the log of %" PRIu64 " events is a "
                          "prefix of the log of %" PRIu64 " events with those roots",
                          fn, old_size, size);
    pl_err_clear(e);
    return 0;
}

/* ---- checkpoints ------------------------------------------------------------- */

const char *pledger_log_origin(pledger_registry *reg)
{
    char *v = NULL;

    if (!reg)
        return NULL;
    if (pl_db_meta_get(reg->db, &reg->err, "log_origin", &v) == 0 && v) {
        snprintf(reg->log_origin, sizeof reg->log_origin, "%s", v);
        free(v);
        return reg->log_origin;
    }
    pl_err_clear(&reg->err);
    if (pl_db_meta_get(reg->db, &reg->err, "default_office", &v) == 0 && v) {
        snprintf(reg->log_origin, sizeof reg->log_origin, "pledger/%s", v);
        free(v);
    } else {
        snprintf(reg->log_origin, sizeof reg->log_origin, "pledger/%s", reg->office);
    }
    pl_err_clear(&reg->err);
    return reg->log_origin;
}

int pledger_set_log_origin(pledger_registry *reg, const char *origin)
{
    static const char fn[] = "pledger_set_log_origin";
    pl_ctx c;
    char *text = NULL;
    pl_mhash zero = { { 0 } };
    int rc = pl_api_enter(reg, fn);

    if (rc || (rc = pl_api_check_str(reg, fn, "origin", origin, 200, 1)))
        return rc;
    if ((rc = pl_api_writable(reg, fn)))
        return rc;
    /* the checkpoint's own check of an origin line */
    if ((rc = pl_checkpoint_text(&reg->err, origin, 0, &zero, &text)))
        return pl_err_prefix(&reg->err, "%s", fn);
    free(text);
    pl_api_ctx(reg, &c);
    if ((rc = pl_wf_setting_set(&c, "log_origin", origin)))
        return pl_err_prefix(&reg->err, "%s", fn);
    return 0;
}

/* PLEDGER_ECORRUPT: the checkpoint of @size events (signed @at, when
 * known) has the root @kept, the stored tree @tree; @refused says what is
 * not done over it. */
static int root_differs(pledger_registry *reg, uint64_t size, const char *at,
                        const pl_mhash *kept, const pl_mhash *tree, const char *refused)
{
    char *k = pl_base64(kept->h, PL_MERKLE_HASH), *t = pl_base64(tree->h, PL_MERKLE_HASH);
    int rc;

    if (!k || !t)
        rc = pl_err_oom(&reg->err);
    else if (at)
        rc = pl_err_set(&reg->err, PLEDGER_ECORRUPT,
                        "the checkpoint of %" PRIu64 " events the registry signed at %s has "
                        "the root %s, the log's tree gives %s at that size: its history was "
                        "rewritten; %s", size, at, k, t, refused);
    else
        rc = pl_err_set(&reg->err, PLEDGER_ECORRUPT,
                        "the latest checkpoint the registry signed, of %" PRIu64 " events, "
                        "has the root %s, the log's tree gives %s at that size: its history "
                        "was rewritten; %s", size, k, t, refused);
    free(k);
    free(t);
    return rc;
}

/* Before a checkpoint of the log of @size events with root @root is
 * signed: every checkpoint the registry keeps is of this log -- of @size
 * events or fewer, with the root the stored tree gives at its size.  A
 * log never signs a checkpoint inconsistent with one it signed before
 * (C2SP tlog-checkpoint): a journal rewritten since, every hash
 * recomputed, is refused here (PLEDGER_ECORRUPT naming the checkpoint
 * and both roots). */
static int checkpoints_hold(pledger_registry *reg, uint64_t size, const pl_mhash *root)
{
    pl_journal_cp *cps = NULL;
    size_t n = 0;
    uint64_t root_size = UINT64_MAX;
    pl_mhash r;
    int rc = pl_journal_checkpoints(reg->db, &reg->err, &cps, &n);

    for (size_t i = 0; !rc && i < n; i++) {
        const pl_journal_cp *c = &cps[i];
        char at[32];
        pl_instant_format(c->signed_at, at);
        if (c->size > size) {
            rc = pl_err_set(&reg->err, PLEDGER_ECORRUPT,
                            "the registry signed a checkpoint of %" PRIu64 " events at %s, "
                            "the log has %" PRIu64 ": events were removed; no checkpoint is "
                            "signed over it", c->size, at, size);
            break;
        }
        if (c->size != root_size) {
            if (c->size == size)
                r = *root;
            else if ((rc = pl_merkle_root(&reg->err, c->size, pl_journal_tree_get, reg->db,
                                          &r)))
                break;
            root_size = c->size;
        }
        if (memcmp(r.h, c->root.h, PL_MERKLE_HASH) != 0)
            rc = root_differs(reg, c->size, at, &c->root, &r,
                              pl_frag("no checkpoint is signed over it (it would contradict "
                                      "the one signed before)"));
    }
    free(cps);
    return rc;
}

int pl_api_latest_checkpoint_holds(pledger_registry *reg, const char *refused)
{
    char *note = NULL, *text = NULL, *origin = NULL;
    uint64_t size = 0, log_now = 0;
    pl_mhash kept, tree;
    int rc = pl_journal_checkpoint_latest(reg->db, &reg->err, &note);

    if (rc || !note)
        return rc;
    if (!(rc = pl_note_text(&reg->err, note, strlen(note), &text)) &&
        !(rc = pl_checkpoint_parse(&reg->err, text, &origin, &size, &kept)) &&
        !(rc = pl_journal_tree_size(reg->db, &reg->err, &log_now))) {
        if (size > log_now)
            rc = pl_err_set(&reg->err, PLEDGER_ECORRUPT,
                            "the registry signed a checkpoint of %" PRIu64 " events, the log "
                            "has %" PRIu64 ": events were removed; %s", size, log_now, refused);
        else if (!(rc = pl_merkle_root(&reg->err, size, pl_journal_tree_get, reg->db, &tree)) &&
                 memcmp(tree.h, kept.h, PL_MERKLE_HASH) != 0)
            rc = root_differs(reg, size, NULL, &kept, &tree, refused);
    } else if (rc && rc != PLEDGER_ENOMEM) {
        pl_err_prefix(&reg->err, "the latest checkpoint");
    }
    free(note);
    free(text);
    free(origin);
    return rc;
}

int pledger_checkpoint_sign(char **note_out, pledger_registry *reg,
                            const pledger_keyring *signers)
{
    static const char fn[] = "pledger_checkpoint_sign";
    uint64_t size = 0;
    pl_mhash root;
    char *text = NULL, *note = NULL;
    int rc = pl_api_enter(reg, fn);

    if (rc)
        return rc;
    if (!note_out)
        return pl_api_bad_arg(reg, fn, "note_out", "is NULL");
    *note_out = NULL;
    if (!signers || signers->n == 0)
        return pl_api_bad_arg(reg, fn, "signers", "holds no checkpoint key (Ed25519 or SM2)");
    if ((rc = pl_api_writable(reg, fn)))
        return rc;
    if (!reg->actor || reg->role != PLEDGER_ROLE_REGISTRAR)
        return pl_err_set(&reg->err, PLEDGER_EPERM,
                          "%s: actor '%s' has role %s; only registrar may sign the log's "
                          "checkpoints", fn, reg->actor ? reg->actor : "(none)",
                          reg->role ? pledger_role_name(reg->role) : "none");
    if ((rc = pl_db_write_begin(reg->db, &reg->err)))
        return rc;
    const char *origin = pledger_log_origin(reg);
    if (!(rc = log_size(reg, &size)) &&
        !(rc = pl_merkle_root(&reg->err, size, pl_journal_tree_get, reg->db, &root)) &&
        !(rc = checkpoints_hold(reg, size, &root)) &&
        !(rc = pl_checkpoint_text(&reg->err, origin, size, &root, &text)) &&
        !(rc = pl_note_sign(&reg->err, text, (const pl_note_key *const *)signers->keys,
                            signers->n, &note)))
        rc = pl_journal_checkpoint_put(reg->db, &reg->err, size, pl_api_now(reg), note);
    if (rc) {
        pl_db_rollback(reg->db);
        free(text);
        free(note);
        return pl_err_prefix(&reg->err, "%s", fn);
    }
    free(text);
    if ((rc = pl_db_commit(reg->db, &reg->err))) {
        free(note);
        return rc;
    }
    *note_out = note;
    return 0;
}

int pledger_checkpoint_latest(char **note_out, pledger_registry *reg)
{
    static const char fn[] = "pledger_checkpoint_latest";
    int rc = pl_api_enter(reg, fn);

    if (rc)
        return rc;
    if (!note_out)
        return pl_api_bad_arg(reg, fn, "note_out", "is NULL");
    return pl_journal_checkpoint_latest(reg->db, &reg->err, note_out);
}

struct pledger_checkpoint {
    char *origin;
    uint64_t size;
    pl_mhash root;
    size_t n_signers;
    char **signers;
};

int pledger_checkpoint_open(pledger_checkpoint **out, const char *note, size_t len,
                            const pledger_keyring *trusted)
{
    static const char fn[] = "pledger_checkpoint_open";
    pl_err *e = pl_err_thread();
    pl_note_opened o;
    pledger_checkpoint *c;
    int rc;

    if (!out || !note || !trusted)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: %s is NULL", fn,
                          !out ? "out" : !note ? "note" : "trusted");
    *out = NULL;
    if ((rc = pl_keyring_open_note((void *)trusted, e, note, len, &o)))
        return pl_err_prefix(e, "%s", fn);
    if (!(c = calloc(1, sizeof *c)) ||
        !(c->signers = calloc(o.n_verified ? o.n_verified : 1, sizeof *c->signers))) {
        free(c);
        pl_note_opened_clear(&o);
        return pl_err_oom(e);
    }
    rc = pl_checkpoint_parse(e, o.text, &c->origin, &c->size, &c->root);
    for (size_t i = 0; !rc && i < o.n_verified; i++) {
        if (!(c->signers[i] = strdup(pl_note_key_name(o.verified[i]))))
            rc = pl_err_oom(e);
        else
            c->n_signers++;
    }
    pl_note_opened_clear(&o);
    if (rc) {
        pledger_checkpoint_free(c);
        return pl_err_prefix(e, "%s", fn);
    }
    pl_err_clear(e);
    *out = c;
    return 0;
}

const char *pledger_checkpoint_origin(const pledger_checkpoint *c) { return c ? c->origin : NULL; }
uint64_t pledger_checkpoint_size(const pledger_checkpoint *c) { return c ? c->size : 0; }
const unsigned char *pledger_checkpoint_root(const pledger_checkpoint *c)
{
    return c ? c->root.h : NULL;
}
size_t pledger_checkpoint_signer_count(const pledger_checkpoint *c)
{
    return c ? c->n_signers : 0;
}
const char *pledger_checkpoint_signer(const pledger_checkpoint *c, size_t i)
{
    return c && i < c->n_signers ? c->signers[i] : NULL;
}

void pledger_checkpoint_free(pledger_checkpoint *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_signers; i++)
        free(c->signers[i]);
    free(c->signers);
    free(c->origin);
    free(c);
}

int pledger_log_check(pledger_registry *reg, const pledger_checkpoint *old)
{
    static const char fn[] = "pledger_log_check";
    uint64_t now = 0;
    pl_mhash root, proof[PL_MERKLE_MAX_PROOF];
    size_t n = 0;
    int rc = pl_api_enter(reg, fn);

    if (rc)
        return rc;
    if (!old)
        return pl_api_bad_arg(reg, fn, "old", "is NULL");
    const char *origin = pledger_log_origin(reg);
    if (strcmp(origin, old->origin) != 0)
        return pl_err_set(&reg->err, PLEDGER_ECODE,
                          "%s: the checkpoint is of log '%s', this registry is log '%s'", fn,
                          old->origin, origin);
    if ((rc = pl_db_read_begin(reg->db, &reg->err)))
        return rc;
    if ((rc = log_size(reg, &now)))
        goto done;
    if (old->size > now) {
        rc = pl_err_set(&reg->err, PLEDGER_ECODE,
                        "%s: the checkpoint has %" PRIu64 " events, the registry only %"
                        PRIu64 ": events were removed, or this is another copy", fn,
                        old->size, now);
        goto done;
    }
    if ((rc = pl_merkle_root(&reg->err, now, pl_journal_tree_get, reg->db, &root)))
        goto done;
    if (old->size > 0 && (rc = pl_merkle_consistency(&reg->err, old->size, now,
                                                     pl_journal_tree_get, reg->db, proof, &n)))
        goto done;
    if (!pl_merkle_verify_consistency(old->size, now, &old->root, &root, proof, n))
        rc = pl_err_set(&reg->err, PLEDGER_ECODE,
                        "%s: the registry's log of %" PRIu64 " events is not an extension of "
                        "the checkpoint's %" PRIu64 " events: its history was rewritten", fn,
                        now, old->size);
done:
    pl_db_rollback(reg->db);
    return rc;
}
