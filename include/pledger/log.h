/**
 * @file log.h
 * @brief The journal as a transparency log: its Merkle tree, inclusion
 * and consistency proofs, signed checkpoints and the keys that sign and
 * check them.
 *
 * Every journal event is a leaf of a Merkle tree hashed as RFC 9162
 * (Certificate Transparency 2.0) §2.1 says: leaf hash SHA-256(0x00 ||
 * the event's canonical bytes), node hash SHA-256(0x01 || left || right).
 * Event @c n (the journal's 1-based sequence number) is leaf @c n - 1;
 * the "size" of the log is its number of events.  A checkpoint is the
 * C2SP tlog-checkpoint text (origin, size, base64 root) signed as a C2SP
 * signed note, Ed25519 by default or SM2 with SM3; whoever keeps one can
 * later ask the registry for a consistency proof, and no rewrite of the
 * history before it, however every hash is recomputed, can produce one.
 *
 * Everything here that takes no registry works offline: a bank checks a
 * proof or a checkpoint with the office's public key alone.  Calls
 * without a registry report failures through pledger_errmsg(NULL).
 *
 * Private keys are read from PEM files when a checkpoint is signed and
 * never stored in the registry.
 */
#ifndef PLEDGER_LOG_H
#define PLEDGER_LOG_H

#include <stddef.h>
#include <stdint.h>

#include <pledger/common.h>
#include <pledger/registry.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes of a hash of the log (SHA-256). @since 0.2 */
#define PLEDGER_LOG_HASH_SIZE 32

/* ---- keys -------------------------------------------------------------- */

/** A set of keys: the ones a checkpoint is signed with, or the ones a
 *  reader trusts (several at once, so a key can be rotated).  Several
 *  threads may check documents with one keyring at once (it remembers,
 *  under a lock, the last checkpoints it checked, so documents proved
 *  against one checkpoint check its signature once); adding keys while
 *  others use it is not safe. */
typedef struct pledger_keyring pledger_keyring;

/** A new, empty keyring. @return 0 or #PLEDGER_ENOMEM. @since 0.2 */
PLEDGER_EXPORT int pledger_keyring_new(pledger_keyring **out);

/**
 * Add the key in PEM file @p path under @p name.  A private key (PEM
 * "PRIVATE KEY") can sign and verify; a public key ("PUBLIC KEY")
 * verifies.  Checkpoint keys are Ed25519 or SM2 (`openssl genpkey
 * -algorithm ed25519`, `openssl genpkey -algorithm sm2`); certificate keys
 * (evidence.h) are ECDSA P-256 or RSA of 2048 bits or more (`openssl
 * genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`).  The same key
 * added twice is kept once.  The file holds one key: a second, other key
 * in it (two keys concatenated) is refused (#PLEDGER_EINVAL), not passed
 * over; the key's own public half or a certificate beside it is not.
 * @param[in,out] kr the keyring the key is added to; not NULL.  On
 *            failure it is left as it was.  Failures are reported on the
 *            calling thread (pledger_errmsg(NULL)).
 * @param[in] name the key name signatures carry: a schema-less URL such
 *            as "registry.example.cn/FZ01"; no spaces, no '+'.
 * @param[in] path the PEM file (at most 64 KiB), read once, during the
 *            call; not NULL.
 * @return 0, #PLEDGER_EINVAL (the message names what is wrong),
 *         #PLEDGER_ENOTFOUND / #PLEDGER_EIO for the file, #PLEDGER_ENOMEM.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_keyring_add_pem_file(pledger_keyring *kr, const char *name,
                                                const char *path);

/** The same from @p len bytes of PEM text. @since 0.2 */
PLEDGER_EXPORT int pledger_keyring_add_pem(pledger_keyring *kr, const char *name,
                                           const char *pem, size_t len);

/**
 * Add an Ed25519 verifier key in the text form of Go's note package and
 * the transparency-dev tools, "name+8hex+base64"
 * (pledger_keyring_vkey() writes it).
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_keyring_add_vkey(pledger_keyring *kr, const char *vkey);

/** Number of keys. @since 0.2 */
PLEDGER_EXPORT size_t pledger_keyring_count(const pledger_keyring *kr);

/** Verifier key text of key @p i ("name+8hex+base64") for a checkpoint
 *  key; "name ecdsa-p256" or "name rsa-BITS" for a certificate key
 *  (checkpoint keys come first).  Valid as long as the keyring; NULL if
 *  out of range. @since 0.2 */
PLEDGER_EXPORT const char *pledger_keyring_vkey(const pledger_keyring *kr, size_t i);

/** Free a keyring; NULL is a no-op. @since 0.2 */
PLEDGER_EXPORT void pledger_keyring_free(pledger_keyring *kr);

/* ---- the log ----------------------------------------------------------- */

/** The log's size: the number of journal events. Any role. @since 0.2 */
PLEDGER_EXPORT int pledger_log_size(pledger_registry *reg, uint64_t *size_out);

/** The root hash of the log when it had @p size events (0 < size <= the
 *  log's size; 0 gives the empty tree's hash). @since 0.2 */
PLEDGER_EXPORT int pledger_log_root(pledger_registry *reg, uint64_t size,
                                    unsigned char root_out[PLEDGER_LOG_HASH_SIZE]);

/** The leaf hash of event @p event (1-based), made from the event as
 *  stored; #PLEDGER_ECORRUPT naming the event when it is not the leaf the
 *  stored tree keeps for it (the event's row was altered, the tree left
 *  as it was). @since 0.2 */
PLEDGER_EXPORT int pledger_log_leaf(pledger_registry *reg, uint64_t event,
                                    unsigned char leaf_out[PLEDGER_LOG_HASH_SIZE]);

/** A list of hashes: an inclusion or a consistency proof. */
typedef struct pledger_proof pledger_proof;

/**
 * The proof that event @p event (1-based) is in the log of @p size events
 * (RFC 9162 §2.1.3).  @p size 0 means the log's current size.  The event
 * as stored must be the leaf the tree keeps for it (pledger_log_leaf()):
 * a proof of the tree's leaf beside an altered event would fail every
 * verifier.
 * @return 0, #PLEDGER_EINVAL (event not in 1..size, size beyond the log),
 *         #PLEDGER_ECORRUPT (the stored tree is damaged, or the event's
 *         row is not its leaf: the message names the event),
 *         #PLEDGER_ENOMEM.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_log_prove_inclusion(pledger_proof **out, pledger_registry *reg,
                                               uint64_t event, uint64_t size);

/** The proof that the log of @p old_size events is a prefix of the log of
 *  @p size events (RFC 9162 §2.1.4); @p size 0: the current size.  It is
 *  made of the stored tree alone: an event row altered while the tree was
 *  left as it was does not change it (the tree still proves the event
 *  that was signed); pledger_journal_verify() names such a row, and
 *  pledger_log_prove_inclusion() refuses to prove it.
 *  @since 0.2 */
PLEDGER_EXPORT int pledger_log_prove_consistency(pledger_proof **out, pledger_registry *reg,
                                                 uint64_t old_size, uint64_t size);

/** A proof read from its text (pledger_proof_text()): one base64 hash a
 *  line.  #PLEDGER_EINVAL names the bad line. @since 0.2 */
PLEDGER_EXPORT int pledger_proof_parse(pledger_proof **out, const char *text);
/** Number of hashes. @since 0.2 */
PLEDGER_EXPORT size_t pledger_proof_count(const pledger_proof *p);
/** Hash @p i (PLEDGER_LOG_HASH_SIZE bytes), NULL if out of range. @since 0.2 */
PLEDGER_EXPORT const unsigned char *pledger_proof_hash(const pledger_proof *p, size_t i);
/** The proof as text, one base64 hash a line ("" for an empty proof).
 *  @since 0.2 */
PLEDGER_EXPORT const char *pledger_proof_text(const pledger_proof *p);
/** The size of the log the proof is for: the size asked of
 *  pledger_log_prove_inclusion() or pledger_log_prove_consistency(), or
 *  the log's size when 0 (now) was asked, read in the same transaction as
 *  the proof.  0 for a proof read from text (pledger_proof_parse(): the
 *  text does not say) and for NULL. @since 0.2 */
PLEDGER_EXPORT uint64_t pledger_proof_tree_size(const pledger_proof *p);
/** Free a proof; NULL is a no-op. @since 0.2 */
PLEDGER_EXPORT void pledger_proof_free(pledger_proof *p);

/**
 * Check offline that @p proof proves @p leaf is event @p event of the log
 * of @p size events whose root is @p root (RFC 9162 §2.1.3.2).
 * @return 0 when it does, #PLEDGER_ECODE when it does not (message from
 *         pledger_errmsg(NULL)), #PLEDGER_EINVAL for NULL arguments.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_log_verify_inclusion(uint64_t event, uint64_t size,
                                                const unsigned char leaf[PLEDGER_LOG_HASH_SIZE],
                                                const pledger_proof *proof,
                                                const unsigned char root[PLEDGER_LOG_HASH_SIZE]);

/** Check offline that @p proof proves the log of @p old_size events with
 *  root @p old_root is a prefix of the log of @p size events with root
 *  @p root (RFC 9162 §2.1.4.2).  0 or #PLEDGER_ECODE. @since 0.2 */
PLEDGER_EXPORT int pledger_log_verify_consistency(
    uint64_t old_size, uint64_t size, const unsigned char old_root[PLEDGER_LOG_HASH_SIZE],
    const unsigned char root[PLEDGER_LOG_HASH_SIZE], const pledger_proof *proof);

/* ---- checkpoints ---------------------------------------------------------- */

/** The log's origin, the first line of its checkpoints (by default
 *  "pledger/" and the registry's default office code). @since 0.2 */
PLEDGER_EXPORT const char *pledger_log_origin(pledger_registry *reg);

/** Set the log's origin, such as "registry.example.cn/FZ01" (one line, at
 *  most 200 bytes).  Role: registrar; journaled. @since 0.2 */
PLEDGER_EXPORT int pledger_set_log_origin(pledger_registry *reg, const char *origin);

/**
 * Sign a checkpoint of the log as it is now with every key of @p signers
 * (each must hold a private key), keep it in the registry and return the
 * signed note (allocated; pledger_free() it).  Role: registrar; not on a
 * read-only handle.
 *
 * A log never signs a checkpoint inconsistent with one it signed before
 * (C2SP tlog-checkpoint): every checkpoint the registry keeps must be of
 * this log's size or less and have the root the stored tree gives at its
 * size.  A registry whose history was rewritten since, every hash
 * recomputed, is refused and nothing is stored.
 * @return 0, #PLEDGER_EPERM, #PLEDGER_EREADONLY, #PLEDGER_EINVAL (no key,
 *         a public key), #PLEDGER_ECORRUPT (a kept checkpoint the log
 *         contradicts: the message names its size and both roots; or one
 *         that cannot be read, or of more events than the log has),
 *         #PLEDGER_EIO (signing failed), #PLEDGER_ENOMEM.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_checkpoint_sign(char **note_out, pledger_registry *reg,
                                           const pledger_keyring *signers);

/** The latest checkpoint the registry signed (allocated), or NULL in
 *  *@p note_out when it never signed one.  Any role. @since 0.2 */
PLEDGER_EXPORT int pledger_checkpoint_latest(char **note_out, pledger_registry *reg);

/** A checkpoint whose signature was checked. */
typedef struct pledger_checkpoint pledger_checkpoint;

/**
 * Read and check a signed checkpoint offline: at least one key of
 * @p trusted must have signed it, and no trusted key's signature on it may
 * fail; unknown keys' signatures are ignored.
 * Extension lines after the root are allowed and ignored, but not empty
 * ones (C2SP tlog-checkpoint).
 * @return 0, #PLEDGER_ECODE (no trusted signature, or one that fails),
 *         #PLEDGER_EINVAL (not a checkpoint; the message names the line).
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_checkpoint_open(pledger_checkpoint **out, const char *note,
                                           size_t len, const pledger_keyring *trusted);
/** The origin line. @since 0.2 */
PLEDGER_EXPORT const char *pledger_checkpoint_origin(const pledger_checkpoint *c);
/** The tree size. @since 0.2 */
PLEDGER_EXPORT uint64_t pledger_checkpoint_size(const pledger_checkpoint *c);
/** The root hash (PLEDGER_LOG_HASH_SIZE bytes). @since 0.2 */
PLEDGER_EXPORT const unsigned char *pledger_checkpoint_root(const pledger_checkpoint *c);
/** How many trusted keys signed it, and the name of each. @since 0.2 */
PLEDGER_EXPORT size_t pledger_checkpoint_signer_count(const pledger_checkpoint *c);
/** @copydoc pledger_checkpoint_signer_count */
PLEDGER_EXPORT const char *pledger_checkpoint_signer(const pledger_checkpoint *c, size_t i);
/** Free a checkpoint; NULL is a no-op. @since 0.2 */
PLEDGER_EXPORT void pledger_checkpoint_free(pledger_checkpoint *c);

/**
 * The witness check: is the registry's log today an extension of the
 * log @p old describes (same origin, its size at most today's, and a
 * consistency proof from its root to today's root)?  A registry whose
 * history before @p old was rewritten fails, however its hashes were
 * recomputed.
 * @return 0 when consistent; #PLEDGER_ECODE when not (the message says
 *         why); #PLEDGER_ECORRUPT when the stored tree is damaged.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_log_check(pledger_registry *reg, const pledger_checkpoint *old);

#ifdef __cplusplus
}
#endif

#endif /* PLEDGER_LOG_H */
