/* The keyring behind pledger_keyring (include/pledger/log.h): checkpoint
 * keys (Ed25519, SM2: signed notes) and certificate keys (ECDSA P-256,
 * RSA: XML signatures), each list in the order the keys were added. */
#ifndef PL_API_KEYRING_H
#define PL_API_KEYRING_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <pledger/log.h>

#include "base/note.h"
#include "model/xmlsig.h"

/* A checkpoint this keyring checked: its SHA-256, and what
 * pl_note_open() gave (the signed text, the keys that verified it). */
typedef struct pl_note_seen {
    unsigned char digest[32];
    char *text;
    size_t n_verified;
    const pl_note_key *verified[PL_NOTE_MAX_SIGS];
} pl_note_seen;

#define PL_KEYRING_SEEN 4

struct pledger_keyring {
    pl_note_key **keys;      /* checkpoint keys */
    char **vkeys;            /* their verifier key texts */
    size_t n, cap;
    pl_doc_key **docs;       /* certificate keys */
    char **doc_texts;        /* "name type" */
    size_t nd, capd;
    /* the last checkpoints checked with these keys (dropped when a key is
     * added); a reader checks many documents against one checkpoint */
    pthread_mutex_t lock;
    pl_note_seen seen[PL_KEYRING_SEEN];
    unsigned next_seen;
};

/* pl_note_open() with the keyring's checkpoint keys, remembering the
 * notes it checked: a pl_note_checker's open (ctx: the keyring). */
int pl_keyring_open_note(void *kr, pl_err *e, const char *note, size_t len, pl_note_opened *out);

/* The first certificate key of @kr that can sign (NULL: none), and
 * whether @kr holds a checkpoint key that can sign. */
const pl_doc_key *pl_keyring_signer(const pledger_keyring *kr);
bool pl_keyring_can_sign_notes(const pledger_keyring *kr);

#endif
