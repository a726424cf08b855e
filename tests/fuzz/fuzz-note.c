/* Fuzz target: the transparency texts an outsider is handed and reads
 * offline (lib/base/tlog-proof.c, note.c, api-log.c, report-log.c): a
 * verifier key line (pledger_keyring_add_vkey), a signed checkpoint
 * (pledger_checkpoint_open), a proof (pledger_proof_parse, then the
 * RFC 9162 checks with it) and a search report with its tlog-proof
 * (pledger_report_open).  The trusted key is the test key below; the
 * corpus starts from what it signed (tests/fuzz/corpus/note).
 * Invariants: an answer is one of the documented codes, never a crash; a
 * key read writes back to the same line; a checkpoint or report that
 * opens names its origin and a trusted signer; a proof read writes back
 * to a text that reads as the same hashes. */
#include <pledger/pledger.h>

#include "fuzz.h"

/* The test key, published here on purpose: never trust it. */
static const char test_vkey[] =
    "fuzz.example/FZ01+fd28c4ac+Ae6H952lLOgiruaCXhH00ozwyuX/wLD7uYPoI4/yJ5Q7";

static pledger_keyring *trusted;

static void drop(void) { pledger_keyring_free(trusted); }

static void vkey(const char *s)
{
    pledger_keyring *kr = NULL, *again = NULL;
    if (pledger_keyring_new(&kr))
        abort();
    int rc = pledger_keyring_add_vkey(kr, s);
    FUZZ_ASSERT(rc == 0 || rc == PLEDGER_EINVAL || rc == PLEDGER_ENOMEM);
    FUZZ_ASSERT(pledger_keyring_count(kr) == (rc == 0 ? 1u : 0u));
    if (rc == 0) {
        const char *line = pledger_keyring_vkey(kr, 0);
        FUZZ_ASSERT(line != NULL);
        if (pledger_keyring_new(&again))
            abort();
        FUZZ_ASSERT(pledger_keyring_add_vkey(again, line) == 0);
        FUZZ_ASSERT(strcmp(pledger_keyring_vkey(again, 0), line) == 0);
    }
    pledger_keyring_free(again);
    pledger_keyring_free(kr);
}

static void checkpoint(const uint8_t *data, size_t size)
{
    pledger_checkpoint *c = NULL;
    int rc = pledger_checkpoint_open(&c, (const char *)data, size, trusted);
    FUZZ_ASSERT(rc == 0 || rc == PLEDGER_ECODE || rc == PLEDGER_EINVAL ||
                rc == PLEDGER_ENOMEM);
    FUZZ_ASSERT((rc == 0) == (c != NULL));
    if (c) {
        FUZZ_ASSERT(pledger_checkpoint_origin(c) && *pledger_checkpoint_origin(c));
        FUZZ_ASSERT(pledger_checkpoint_root(c) != NULL);
        FUZZ_ASSERT(pledger_checkpoint_signer_count(c) >= 1);
        for (size_t i = 0; i < pledger_checkpoint_signer_count(c); i++)
            FUZZ_ASSERT(pledger_checkpoint_signer(c, i) != NULL);
    }
    pledger_checkpoint_free(c);
}

static void proof(const char *s, const uint8_t *data, size_t size)
{
    pledger_proof *p = NULL, *q = NULL;
    int rc = pledger_proof_parse(&p, s);
    FUZZ_ASSERT(rc == 0 || rc == PLEDGER_EINVAL || rc == PLEDGER_ENOMEM);
    FUZZ_ASSERT((rc == 0) == (p != NULL));
    if (!p)
        return;
    size_t n = pledger_proof_count(p);
    FUZZ_ASSERT(pledger_proof_hash(p, n) == NULL);
    rc = pledger_proof_parse(&q, pledger_proof_text(p));
    FUZZ_ASSERT(rc == 0 || rc == PLEDGER_ENOMEM);
    if (q) {
        FUZZ_ASSERT(pledger_proof_count(q) == n);
        for (size_t i = 0; i < n; i++)
            FUZZ_ASSERT(memcmp(pledger_proof_hash(p, i), pledger_proof_hash(q, i),
                               PLEDGER_LOG_HASH_SIZE) == 0);
    }
    /* the checks with it, at sizes the input's first bytes give */
    unsigned char a[PLEDGER_LOG_HASH_SIZE] = { 0 }, b[PLEDGER_LOG_HASH_SIZE] = { 1 };
    uint64_t x = size > 0 ? data[0] : 0, y = size > 1 ? data[1] : 0;
    for (int k = 0; k < 3; k++) {
        uint64_t event = k == 2 ? UINT64_MAX : x + (uint64_t)k, sz = k == 2 ? UINT64_MAX : y;
        rc = pledger_log_verify_inclusion(event, sz, a, p, b);
        FUZZ_ASSERT(rc == 0 || rc == PLEDGER_ECODE || rc == PLEDGER_EINVAL);
        rc = pledger_log_verify_consistency(event, sz, a, b, p);
        FUZZ_ASSERT(rc == 0 || rc == PLEDGER_ECODE || rc == PLEDGER_EINVAL);
    }
    pledger_proof_free(q);
    pledger_proof_free(p);
}

static void report(const uint8_t *data, size_t size)
{
    pledger_report *r = NULL;
    int rc = pledger_report_open(&r, (const char *)data, size, trusted);
    FUZZ_ASSERT(rc == 0 || rc == PLEDGER_ECODE || rc == PLEDGER_EINVAL ||
                rc == PLEDGER_ENOMEM);
    FUZZ_ASSERT((rc == 0) == (r != NULL));
    if (r) {
        FUZZ_ASSERT(pledger_report_origin(r) && *pledger_report_origin(r));
        FUZZ_ASSERT(pledger_report_number(r) >= 1);
        FUZZ_ASSERT(pledger_report_actor(r) && pledger_report_query(r));
        FUZZ_ASSERT(pledger_report_signer_count(r) >= 1);
        size_t n = pledger_report_result_count(r);
        for (size_t i = 0; i < n; i++)
            FUZZ_ASSERT(pledger_report_result(r, i) != NULL);
        FUZZ_ASSERT(pledger_report_result(r, n) == NULL);
    }
    pledger_report_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!trusted) {
        if (pledger_keyring_new(&trusted) || pledger_keyring_add_vkey(trusted, test_vkey))
            abort();
        atexit(drop);
    }
    char *s = fuzz_cstr(data, size);
    vkey(s);
    checkpoint(data, size);
    proof(s, data, size);
    report(data, size);
    free(s);
    return 0;
}
