/* Fuzz target: the offline checks of signed documents
 * (pledger_certificate_verify, pledger_statement_verify; lib/model/
 * signed-cert.c, xmlsig.c), which read whatever a bank is handed, and the
 * reader of a journal event's certificate member.  The trusted keys are
 * the test keys below; the corpus starts from documents they signed
 * (tests/fuzz/corpus/signed).  Invariants: an answer is one of the
 * documented codes, never a crash; a document that checks is one of the
 * test keys' (its signer is named); what the event reader takes has a
 * version of at least 1. */
#include <pledger/pledger.h>

#include "fuzz.h"
#include "model/signed-cert.h"

/* Test keys, published here on purpose: never trust them. */
static const char cert_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAET8AsZ74hKcxDZ6Q5PnEQDI4CWU6Z\n"
    "PUrHP2/P0FltpDq9ykS/O3LpK2xGnbnlOgtonu7anAUxRMPRYjf+pEWDgw==\n"
    "-----END PUBLIC KEY-----\n";
static const char log_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEAKIw/3VbF7METZiRtvReNIhsGBxlX4ErjKY2SrkxN2R0=\n"
    "-----END PUBLIC KEY-----\n";

static pledger_keyring *trusted;

static void drop(void) { pledger_keyring_free(trusted); }

static bool known(int rc)
{
    return rc == 0 || rc == PLEDGER_ECODE || rc == PLEDGER_EXML || rc == PLEDGER_EINVAL ||
           rc == PLEDGER_ENOMEM || (rc == PLEDGER_ENOTSUP && !pledger_xmlsig_available());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!trusted) {
        if (pledger_keyring_new(&trusted) ||
            pledger_keyring_add_pem(trusted, "office", cert_pub, sizeof cert_pub - 1) ||
            pledger_keyring_add_pem(trusted, "log", log_pub, sizeof log_pub - 1))
            abort();
        atexit(drop);
    }
    pledger_certificate_check *c = NULL;
    int rc = pledger_certificate_verify(&c, (const char *)data, size, trusted);
    FUZZ_ASSERT(known(rc));
    FUZZ_ASSERT((rc == 0) == (c != NULL));
    if (c) {
        FUZZ_ASSERT(strcmp(pledger_certificate_check_signer(c), "office") == 0);
        FUZZ_ASSERT(pledger_certificate_check_version(c) >= 1);
        FUZZ_ASSERT(pledger_certificate_check_event(c) >= 1 &&
                    pledger_certificate_check_event(c) <= pledger_certificate_check_log_size(c));
    }
    pledger_certificate_check_free(c);
    pledger_statement_check *s = NULL;
    rc = pledger_statement_verify(&s, (const char *)data, size, trusted);
    FUZZ_ASSERT(known(rc));
    FUZZ_ASSERT((rc == 0) == (s != NULL));
    if (s)
        FUZZ_ASSERT(strcmp(pledger_statement_check_signer(s), "office") == 0);
    pledger_statement_check_free(s);
    /* the same bytes as a journal event */
    pl_err e = { 0, "" };
    char *doc = NULL, *code = NULL;
    int version = 0;
    rc = pl_event_certificate(&e, data, size, &doc, &version, &code);
    FUZZ_ASSERT(rc == 0 || rc == PLEDGER_EXML || rc == PLEDGER_ENOTFOUND ||
                rc == PLEDGER_ENOMEM);
    if (rc == 0)
        FUZZ_ASSERT(doc && code && version >= 1);
    free(doc);
    free(code);
    return 0;
}
