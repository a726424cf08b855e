/* Fuzz target: the reader of the data line's documents (pl_xdoc_open,
 * lib/model/exchange-doc.c), which reads whatever a peer sends: batches
 * and receipts.  The trusted keys are the test keys below, named FZ01 and
 * BJ00; the corpus starts from documents they signed
 * (tests/fuzz/corpus/exchange).  Invariants: an answer is one of the
 * documented codes, never a crash; what reads is a batch or a receipt of
 * a known sender, every item's document has the digest the batch gives
 * and every application item a kind. */
#include <pledger/pledger.h>

#include "fuzz.h"
#include "base/hash.h"
#include "model/exchange-doc.h"
#include "model/kinds.h"

/* Test keys, published here on purpose: never trust them. */
static const char fz01_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE3fwJ4U6wC2JYiouT0Qdu6Kc/Co1g\n"
    "sWvvvfCyN+Ux1J9dQvXqHn9vYUrAX2rQRel1U5tA3CkOCQ8uVzjDEnzVGQ==\n"
    "-----END PUBLIC KEY-----\n";
static const char bj00_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAES6chIXFwQ3Pm2W7XVdsM8MBXtEym\n"
    "MBVWbpyfletPIwD5d/SQcKe+sbjSAoDL8s9iEf89XFYNG0Z5PDJ6kk/98A==\n"
    "-----END PUBLIC KEY-----\n";

static pl_doc_key *keys[2];

static void drop(void)
{
    pl_doc_key_free(keys[0]);
    pl_doc_key_free(keys[1]);
}

static bool known(int rc)
{
    return rc == 0 || rc == PLEDGER_ECODE || rc == PLEDGER_EXML || rc == PLEDGER_EINVAL ||
           rc == PLEDGER_EPERM || rc == PLEDGER_ENOMEM ||
           (rc == PLEDGER_ENOTSUP && !pledger_xmlsig_available());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_err e = { 0, "" };
    if (!keys[0]) {
        bool other;
        if (pl_doc_key_pem(&e, "FZ01", fz01_pub, sizeof fz01_pub - 1, &other, &keys[0]) ||
            pl_doc_key_pem(&e, "BJ00", bj00_pub, sizeof bj00_pub - 1, &other, &keys[1]))
            abort();
        atexit(drop);
    }
    pl_xdoc_kind kind = 0;
    pl_xbatch b;
    pl_xreceipt r;
    int rc = pl_xdoc_open(&e, (const char *)data, size, (const pl_doc_key *const *)keys, 2,
                          &kind, &b, &r);
    FUZZ_ASSERT(known(rc));
    if (rc == 0 && kind == PL_XDOC_BATCH) {
        FUZZ_ASSERT(strcmp(b.sender, "FZ01") == 0 || strcmp(b.sender, "BJ00") == 0);
        FUZZ_ASSERT(b.n >= 1 && b.n <= PL_EXCHANGE_MAX_ITEMS);
        for (size_t i = 0; i < b.n; i++) {
            const pl_xitem *it = &b.items[i];
            FUZZ_ASSERT(it->uuid && it->by);
            if (it->what != PL_XITEM_RESULT)
                FUZZ_ASSERT(pl_kind(it->kind) && it->document);
            if (it->document) {
                char d[65];
                FUZZ_ASSERT(pl_xdigest(&e, it->document, it->document_len, d) == 0);
                FUZZ_ASSERT(strcmp(d, it->digest) == 0);
            }
        }
    } else if (rc == 0) {
        FUZZ_ASSERT(kind == PL_XDOC_RECEIPT && r.sender && r.receiver && r.seq >= 1);
    }
    pl_xbatch_clear(&b);
    pl_xreceipt_clear(&r);
    return 0;
}
