/* Signed notes (C2SP signed-note) and tree-head checkpoints (C2SP
 * tlog-checkpoint): the text a transparency log signs and anyone with its
 * public key can check, the format of Go's checksum database, Sigstore
 * and the transparency-dev tools, so their verifiers read pledger's.
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n
 *   \n
 *   — <key name> <base64(4-byte key ID || signature)>\n
 *
 * Keys: Ed25519 (signature type 0x01; key ID = SHA-256(name || "\n" ||
 * 0x01 || 32-byte public key)[:4]) by default; SM2 with SM3 for
 * deployments bound to the Chinese national algorithms, under the
 * signature type 0xff that signed-note leaves to others, followed by the
 * identifier "pledger-sm2-sm3" (key ID = SHA-256(name || "\n" || 0xff ||
 * "pledger-sm2-sm3" || DER public key)[:4]).  Keys are read from PEM (the
 * private key only to sign; it is never stored) or, for Ed25519, from
 * Go's "name+id+base64" verifier key text. */
#ifndef PL_BASE_NOTE_H
#define PL_BASE_NOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "base/error.h"
#include "base/merkle.h"

/* Signatures accepted on one note, at most (signed-note asks for 16). */
#define PL_NOTE_MAX_SIGS 32
/* The longest note read. */
#define PL_NOTE_MAX_LEN (64 * 1024)

typedef enum { PL_NOTE_ED25519 = 1, PL_NOTE_SM2 = 2 } pl_note_alg;

typedef struct pl_note_key pl_note_key;

/* The key in @len bytes of PEM, named @name (checked as below): a private
 * key (*@priv) or else a public key.  PLEDGER_EINVAL names what is wrong. */
int pl_pem_key_read(pl_err *e, const char *name, const char *pem, size_t len, EVP_PKEY **out,
                    bool *priv);
/* The same from the PEM file @path (at most 64 KiB; PLEDGER_ENOTFOUND /
 * PLEDGER_EIO name the file). */
int pl_pem_key_read_file(pl_err *e, const char *name, const char *path, EVP_PKEY **out,
                         bool *priv);
/* A checkpoint key from @pkey (taken: freed on failure too). */
int pl_note_key_take(pl_err *e, const char *name, EVP_PKEY *pkey, bool can_sign,
                     pl_note_key **out);
/* A key named @name (a schema-less URL, e.g. "registry.example.cn/FZ01";
 * no space, no '+') from @len bytes of PEM: a private key (can sign and
 * verify) or a public key (verifies).  PLEDGER_EINVAL names what is wrong:
 * the name, the PEM, a key type other than Ed25519 and SM2. */
int pl_note_key_pem(pl_err *e, const char *name, const char *pem, size_t len,
                    pl_note_key **out);
/* The same from a PEM file; PLEDGER_ENOTFOUND / PLEDGER_EIO name it. */
int pl_note_key_pem_file(pl_err *e, const char *name, const char *path, pl_note_key **out);
/* An Ed25519 verifier key in Go's note format, "name+8hex+base64". */
int pl_note_key_vkey(pl_err *e, const char *vkey, pl_note_key **out);
/* An Ed25519 signer key in Go's note format ("PRIVATE+KEY+name+id+base64"). */
int pl_note_key_skey(pl_err *e, const char *skey, pl_note_key **out);
void pl_note_key_free(pl_note_key *k);

const char *pl_note_key_name(const pl_note_key *k);
uint32_t pl_note_key_id(const pl_note_key *k);
pl_note_alg pl_note_key_alg(const pl_note_key *k);
bool pl_note_key_can_sign(const pl_note_key *k);
/* The verifier key text "name+8hex+base64(type || public key)"
 * (allocated; free()). */
int pl_note_key_vkey_text(pl_err *e, const pl_note_key *k, char **out);

/* @text (ending in a newline, valid UTF-8, no control character but
 * newline) signed by each of @keys: the note, allocated. */
int pl_note_sign(pl_err *e, const char *text, const pl_note_key *const *keys, size_t n,
                 char **out);

typedef struct pl_note_opened {
    char *text;                        /* the signed text (allocated) */
    size_t n_verified;                 /* trusted keys whose signature held */
    const pl_note_key *verified[PL_NOTE_MAX_SIGS];
} pl_note_opened;

/* Check @note against the @n @trusted keys: signatures of unknown keys
 * are skipped; a known key's signature that fails rejects the note
 * (PLEDGER_ECODE); so does a note no trusted key signed.  A malformed note
 * is PLEDGER_EINVAL naming the line. */
int pl_note_open(pl_err *e, const char *note, size_t len, const pl_note_key *const *trusted,
                 size_t n, pl_note_opened *out);
void pl_note_opened_clear(pl_note_opened *o);
/* The text of @note (allocated), its form checked as pl_note_open()
 * checks it but no signature: for the notes the registry signed and
 * keeps, read back without its keys. */
int pl_note_text(pl_err *e, const char *note, size_t len, char **text);

/* The checkpoint text of a tree (no signature). */
int pl_checkpoint_text(pl_err *e, const char *origin, uint64_t size, const pl_mhash *root,
                       char **out);
/* Read a checkpoint's text (what pl_note_open() returns): the origin
 * (allocated), the size and the root.  Extension lines are allowed and
 * ignored, but not empty ones (C2SP tlog-checkpoint: PLEDGER_EINVAL
 * naming the line). */
int pl_checkpoint_parse(pl_err *e, const char *text, char **origin, uint64_t *size,
                        pl_mhash *root);

/* Standard base64 (RFC 4648 §4) of @n bytes (allocated), and back into
 * @out (room for @cap bytes; *@len set).  Decoding refuses anything but
 * canonical padded base64. */
char *pl_base64(const unsigned char *in, size_t n);
bool pl_unbase64(const char *in, size_t inlen, unsigned char *out, size_t cap, size_t *len);

#endif
