/* Signed certificates (include/pledger/evidence.h): made from the stored
 * certificate, its journal event, the log's tree and a checkpoint; read
 * back with trusted keys alone (model/signed-cert.c). */
#include <pledger/application.h>
#include <pledger/evidence.h>
#include <pledger/pledge.h>
#include <pledger/query.h>
#include <pledger/registry.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handle.h"
#include "api/keyring.h"
#include "base/date.h"
#include "base/merkle.h"
#include "base/note.h"
#include "model/signed-cert.h"
#include "store/journal.h"
#include "store/pledge-row.h"

int pledger_xmlsig_available(void) { return pl_xmlsig_available(); }

/* The tree size a checkpoint this registry signed states (its second
 * line), 0 when it cannot be read. */
static uint64_t note_size(const char *note)
{
    const char *nl = strchr(note, '\n');
    char *end;
    unsigned long long v = nl ? strtoull(nl + 1, &end, 10) : 0;
    return nl && *end == '\n' ? v : 0;
}

/* The latest stored checkpoint, when it covers event @seq: its note and
 * size. */
static int covering_checkpoint(pledger_registry *reg, uint64_t seq, char **note, uint64_t *size)
{
    int rc = pl_journal_checkpoint_latest(reg->db, &reg->err, note);
    *size = 0;
    if (rc || !*note)
        return rc;
    if ((*size = note_size(*note)) < seq) {
        free(*note);
        *note = NULL;
        *size = 0;
    }
    return 0;
}

/* Event @seq as the signed certificate carries it, checked to be the one
 * that issued @document. */
static int issuing_event(pledger_registry *reg, const char *document, const int64_t *seqs,
                         size_t n, int64_t *seq, unsigned char **bytes, size_t *len)
{
    for (size_t i = 0; i < n; i++) {
        char *doc = NULL, *code = NULL;
        int version, rc;
        if ((rc = pl_journal_event_bytes(reg->db, &reg->err, seqs[i], bytes, len)))
            return rc;
        rc = pl_event_certificate(&reg->err, *bytes, *len, &doc, &version, &code);
        bool same = rc == 0 && strcmp(doc, document) == 0;
        free(doc);
        free(code);
        if (same) {
            *seq = seqs[i];
            return 0;
        }
        free(*bytes);
        *bytes = NULL;
        if (rc && rc != PLEDGER_ENOTFOUND)
            return rc;
    }
    return pl_err_set(&reg->err, PLEDGER_ECORRUPT,
                      "no journal event issued the stored certificate (the journal or the "
                      "certificate table was changed; verify the journal)");
}

/* Whether a checkpoint key of @kr signed @note. */
static bool signed_by(const char *note, const pledger_keyring *kr)
{
    pl_note_opened o;
    pl_err ignore = { 0, "" };
    if (pl_keyring_open_note((void *)kr, &ignore, note, strlen(note), &o) != 0)
        return false;
    pl_note_opened_clear(&o);
    return true;
}

/* The inclusion proof of event @seq (its leaf @leaf, as the stored event
 * hashes) leads to the root the checkpoint @note signed: a journal whose
 * tree was rewritten since, every hash recomputed, or whose event was
 * edited, gives no signed document that pairs the office's signature with
 * another history (PLEDGER_ECORRUPT naming the event and the checkpoint). */
static int proof_holds(pledger_registry *reg, const char *note, int64_t seq, const char *whose,
                       const pl_mhash *leaf, const pl_mhash *proof, size_t n_proof)
{
    char *text = NULL, *origin = NULL;
    uint64_t size = 0;
    pl_mhash root;
    int rc = pl_note_text(&reg->err, note, strlen(note), &text);

    if (!rc)
        rc = pl_checkpoint_parse(&reg->err, text, &origin, &size, &root);
    free(text);
    free(origin);
    if (rc)
        return pl_err_prefix(&reg->err, "the checkpoint of event %" PRId64 " (%s)", seq, whose);
    if (!pl_merkle_verify_inclusion((uint64_t)seq - 1, size, leaf, proof, n_proof, &root))
        return pl_err_set(&reg->err, PLEDGER_ECORRUPT,
                          "event %" PRId64 " (%s): the journal's tree does not lead to the "
                          "root of the checkpoint of %" PRIu64 " events the registry signed: "
                          "the event or the log's history was changed since; no signed "
                          "document is made over it (pledger_journal_verify says where)",
                          seq, whose, size);
    return 0;
}

/* A checkpoint that covers event @seq -- the latest stored one, else one
 * signed now with the checkpoint keys of @signers (a registrar's) -- and
 * the event's inclusion proof in its log.  @whose names the event in a
 * message. */
static int checkpoint_and_proof(pledger_registry *reg, const pledger_keyring *signers,
                                int64_t seq, const char *whose, char **note, uint64_t *size,
                                pl_mhash *proof, size_t *n_proof)
{
    int rc;

    *note = NULL;
    if ((rc = pl_db_read_begin(reg->db, &reg->err)))
        return rc;
    rc = covering_checkpoint(reg, (uint64_t)seq, note, size);
    pl_db_rollback(reg->db);
    /* a caller who brings checkpoint keys gets a checkpoint they signed
     * (the stored one may be under a key since rotated out) */
    if (!rc && *note && pl_keyring_can_sign_notes(signers) && !signed_by(*note, signers)) {
        free(*note);
        *note = NULL;
    }
    if (!rc && !*note) {
        if (!pl_keyring_can_sign_notes(signers) || reg->role != PLEDGER_ROLE_REGISTRAR)
            return pl_err_set(&reg->err, PLEDGER_ESTATE,
                              "no signed checkpoint covers event %" PRId64 " (%s) yet: the "
                              "office signs one (pledger_checkpoint_sign), or a registrar "
                              "gives a checkpoint private key (Ed25519 or SM2)", seq, whose);
        if ((rc = pledger_checkpoint_sign(note, reg, signers)))
            return rc;
        *size = note_size(*note);
    }
    /* the tree only grows: a later read proves against the same root */
    pl_mhash leaf;
    if (!rc && !(rc = pl_db_read_begin(reg->db, &reg->err))) {
        if (!(rc = pl_journal_leaf(reg->db, &reg->err, seq, &leaf)))
            rc = pl_merkle_inclusion(&reg->err, (uint64_t)seq - 1, *size, pl_journal_tree_get,
                                     reg->db, proof, n_proof);
        pl_db_rollback(reg->db);
    }
    if (!rc)
        rc = proof_holds(reg, *note, seq, whose, &leaf, proof, *n_proof);
    if (rc) {
        free(*note);
        *note = NULL;
    }
    return rc;
}

int pledger_certificate_sign(char **out, size_t *len, pledger_registry *reg, const char *number,
                             int version, const pledger_keyring *signers)
{
    static const char fn[] = "pledger_certificate_sign";
    char kept[PL_API_NUMBER_MAX + 1];
    char *document = NULL, *note = NULL;
    unsigned char *bytes = NULL;
    size_t nbytes = 0, n_seqs = 0, n_proof = 0;
    int64_t seqs[8], seq = 0;
    uint64_t size = 0;
    pl_mhash proof[PL_MERKLE_MAX_PROOF];
    int have_version = version, rc;

    if (!out)
        return reg ? pl_api_bad_arg(reg, fn, "out", "is NULL")
                   : pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    if (len)
        *len = 0;
    if ((rc = pl_api_enter(reg, fn)) ||
        (rc = pl_api_number(reg, fn, "number", number, kept)))
        return rc;
    if (version < 0)
        return pl_api_bad_arg(reg, fn, "version", "is negative");
    if (!reg->actor || reg->role != PLEDGER_ROLE_REGISTRAR)
        return pl_err_set(&reg->err, PLEDGER_EPERM,
                          "%s: actor '%s' has role %s; only registrar may sign certificates",
                          fn, reg->actor ? reg->actor : "(none)",
                          reg->role ? pledger_role_name(reg->role) : "none");
    const pl_doc_key *key = pl_keyring_signer(signers);
    if (!key)
        return pl_api_bad_arg(reg, fn, "signers",
                              "holds no certificate private key (ECDSA P-256 or RSA)");
    if (!pl_xmlsig_available())
        return pl_xmlsig_sign(&reg->err, NULL, NULL);

    /* the certificate and its event; then a checkpoint that covers it */
    if ((rc = pl_db_read_begin(reg->db, &reg->err)))
        return rc;
    if (!(rc = pl_cert_issue_load(reg->db, &reg->err, kept, version, &document, &have_version,
                                  seqs, sizeof seqs / sizeof seqs[0], &n_seqs)))
        rc = issuing_event(reg, document, seqs, n_seqs, &seq, &bytes, &nbytes);
    pl_db_rollback(reg->db);
    if (!rc)
        rc = checkpoint_and_proof(reg, signers, seq, "the certificate's", &note, &size, proof,
                                  &n_proof);
    if (!rc) {
        pl_signed_cert_in in = {
            .certificate = document,
            .log = { .seq = (uint64_t)seq, .event = bytes, .event_len = nbytes, .size = size,
                     .proof = proof, .n_proof = n_proof, .checkpoint = note },
        };
        rc = pl_signed_cert_make(&reg->err, &in, key, out, len);
    }
    free(document);
    free(note);
    free(bytes);
    if (rc)
        return pl_err_prefix(&reg->err, "%s: '%s' version %d", fn, number, have_version);
    pl_err_clear(&reg->err);
    return 0;
}

struct pledger_certificate_check {
    pl_signed_cert c;
};

int pledger_certificate_verify(pledger_certificate_check **out, const char *xml, size_t len,
                               const pledger_keyring *trusted)
{
    static const char fn[] = "pledger_certificate_verify";
    pl_err *e = pl_err_thread();
    pledger_certificate_check *c;
    int rc;

    if (!out || !xml || !trusted)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: %s is NULL", fn,
                          !out ? "out" : !xml ? "xml" : "trusted");
    *out = NULL;
    if (!(c = calloc(1, sizeof *c)))
        return pl_err_oom(e);
    pl_note_checker notes = { pl_keyring_open_note, (void *)trusted };
    if ((rc = pl_signed_cert_open(e, xml, len, (const pl_doc_key *const *)trusted->docs,
                                  trusted->nd, &notes, &c->c))) {
        free(c);
        return pl_err_prefix(e, "%s", fn);
    }
    pl_err_clear(e);
    *out = c;
    return 0;
}

const char *pledger_certificate_check_signer(const pledger_certificate_check *c)
{
    return c ? c->c.signer : NULL;
}
const char *pledger_certificate_check_number(const pledger_certificate_check *c)
{
    return c ? c->c.number : NULL;
}
int pledger_certificate_check_version(const pledger_certificate_check *c)
{
    return c ? c->c.version : 0;
}
const char *pledger_certificate_check_code(const pledger_certificate_check *c)
{
    return c ? c->c.code : NULL;
}
const char *pledger_certificate_check_document(const pledger_certificate_check *c)
{
    return c ? c->c.document : NULL;
}
uint64_t pledger_certificate_check_event(const pledger_certificate_check *c)
{
    return c ? c->c.log.seq : 0;
}
uint64_t pledger_certificate_check_log_size(const pledger_certificate_check *c)
{
    return c ? c->c.log.size : 0;
}
const char *pledger_certificate_check_origin(const pledger_certificate_check *c)
{
    return c ? c->c.log.origin : NULL;
}
const char *pledger_certificate_check_checkpoint(const pledger_certificate_check *c)
{
    return c ? c->c.log.checkpoint : NULL;
}

void pledger_certificate_check_free(pledger_certificate_check *c)
{
    if (!c)
        return;
    pl_signed_cert_clear(&c->c);
    free(c);
}

/* ---- verification statements ------------------------------------------------- */

static const char *code_status_name(pledger_code_status s)
{
    return s == PLEDGER_CODE_MATCHED ? "matched"
           : s == PLEDGER_CODE_SUPERSEDED ? "superseded" : "not_given";
}

int pledger_verify_statement(char **out, size_t *len, pledger_registry *reg, const char *number,
                             const pledger_verify_options *opts, const pledger_keyring *signers)
{
    static const char fn[] = "pledger_verify_statement";
    pledger_verify_options o = PLEDGER_VERIFY_OPTIONS_INIT;
    pledger_verification *v = NULL;
    pledger_pledge *p = NULL;
    char *pledge = NULL, *note = NULL, as_of[32], now_text[32];
    int64_t seq = 0;
    uint64_t size = 0;
    size_t n_proof = 0;
    pl_mhash proof[PL_MERKLE_MAX_PROOF], leaf;
    int rc;

    if (!out)
        return reg ? pl_api_bad_arg(reg, fn, "out", "is NULL")
                   : pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    if (len)
        *len = 0;
    if ((rc = pl_api_enter(reg, fn)))
        return rc;
    const pl_doc_key *key = pl_keyring_signer(signers);
    if (!key)
        return pl_api_bad_arg(reg, fn, "signers",
                              "holds no certificate private key (ECDSA P-256 or RSA)");
    if (!pl_xmlsig_available())
        return pl_xmlsig_sign(&reg->err, NULL, NULL);
    if (opts)
        o = *opts;
    /* one instant for the answer, the snapshot and the event */
    int64_t now = pl_api_now(reg);
    if (o.as_of == PLEDGER_AS_OF_CURRENT)
        o.as_of = now;
    else if (o.as_of > now)   /* named as this call's, before pledger_verify() would */
        return pl_api_as_of(reg, fn, "opts->as_of", o.as_of);
    if ((rc = pledger_verify(&v, reg, number, &o)))
        return rc;   /* its message stands: a wrong code gives no statement */
    /* the number as the registry keeps it (it may have been kept "r-fz01-...") */
    const char *kept = pledger_pledge_number(pledger_verification_pledge(v));
    if ((rc = pledger_pledge_get_at(&p, reg, kept, o.as_of)) ||
        (rc = pledger_pledge_to_xml(&pledge, p)))
        goto done;
    if (!(rc = pl_db_read_begin(reg->db, &reg->err))) {
        if (!(rc = pl_pver_event(reg->db, &reg->err, kept, o.as_of, &seq)))
            rc = pl_journal_leaf(reg->db, &reg->err, seq, &leaf);
        pl_db_rollback(reg->db);
    }
    if (rc || (rc = checkpoint_and_proof(reg, signers, seq, "the pledge version's", &note, &size,
                                         proof, &n_proof)))
        goto done;
    pl_instant_format(o.as_of, as_of);
    pl_instant_format(now, now_text);
    pl_statement_in in = {
        .number = kept, .as_of = as_of, .answered_at = now_text,
        .actor = reg->actor ? reg->actor : "(anonymous)",
        .role = reg->role ? pledger_role_name(reg->role) : "none",
        .code_status = code_status_name(pledger_verification_code_status(v)),
        .rank = pledger_verification_rank(v), .pledge = pledge,
        .log = { .seq = (uint64_t)seq, .leaf = leaf, .size = size, .proof = proof,
                 .n_proof = n_proof, .checkpoint = note },
    };
    rc = pl_statement_make(&reg->err, &in, key, out, len);
done:
    pledger_verification_free(v);
    pledger_pledge_free(p);
    pledger_free(pledge);
    free(note);
    if (rc)
        return pl_err_prefix(&reg->err, "%s: '%s'", fn, number);
    pl_err_clear(&reg->err);
    return 0;
}

struct pledger_statement_check {
    pl_statement s;
};

int pledger_statement_verify(pledger_statement_check **out, const char *xml, size_t len,
                             const pledger_keyring *trusted)
{
    static const char fn[] = "pledger_statement_verify";
    pl_err *e = pl_err_thread();
    pledger_statement_check *c;
    int rc;

    if (!out || !xml || !trusted)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: %s is NULL", fn,
                          !out ? "out" : !xml ? "xml" : "trusted");
    *out = NULL;
    if (!(c = calloc(1, sizeof *c)))
        return pl_err_oom(e);
    pl_note_checker notes = { pl_keyring_open_note, (void *)trusted };
    if ((rc = pl_statement_open(e, xml, len, (const pl_doc_key *const *)trusted->docs,
                                trusted->nd, &notes, &c->s))) {
        free(c);
        return pl_err_prefix(e, "%s", fn);
    }
    pl_err_clear(e);
    *out = c;
    return 0;
}

#define ST_STR(name, field)                                                               \
    const char *pledger_statement_check_##name(const pledger_statement_check *c)         \
    {                                                                                    \
        return c ? c->field : NULL;                                                      \
    }
ST_STR(signer, s.signer)
ST_STR(number, s.number)
ST_STR(state, s.state)
ST_STR(as_of, s.as_of)
ST_STR(answered_at, s.answered_at)
ST_STR(actor, s.actor)
ST_STR(code_status, s.code_status)
ST_STR(document, s.document)
ST_STR(checkpoint, s.log.checkpoint)

int pledger_statement_check_rank(const pledger_statement_check *c) { return c ? c->s.rank : 0; }
uint64_t pledger_statement_check_event(const pledger_statement_check *c)
{
    return c ? c->s.log.seq : 0;
}
uint64_t pledger_statement_check_log_size(const pledger_statement_check *c)
{
    return c ? c->s.log.size : 0;
}

void pledger_statement_check_free(pledger_statement_check *c)
{
    if (!c)
        return;
    pl_statement_clear(&c->s);
    free(c);
}
