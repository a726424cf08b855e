/* The keyring behind pledger_keyring (include/pledger/log.h): checkpoint
 * keys (Ed25519, SM2: signed notes) and certificate keys (ECDSA P-256,
 * RSA: XML signatures), each list in the order the keys were added. */
#ifndef PL_API_KEYRING_H
#define PL_API_KEYRING_H

#include <stddef.h>

#include <pledger/log.h>

#include "base/note.h"
#include "model/xmlsig.h"

struct pledger_keyring {
    pl_note_key **keys;      /* checkpoint keys */
    char **vkeys;            /* their verifier key texts */
    size_t n, cap;
    pl_doc_key **docs;       /* certificate keys */
    char **doc_texts;        /* "name type" */
    size_t nd, capd;
};

#endif
