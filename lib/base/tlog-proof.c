/* C2SP tlog-proof text (base/tlog-proof.h). */
#include "base/tlog-proof.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "base/note.h"

/* base64 of a hash: 44 characters */
#define B64_HASH 44

int pl_tlog_proof_write(pl_err *e, const char *head, uint64_t index, const pl_mhash *proof,
                        size_t n, const char *checkpoint, char **out)
{
    size_t hl = strlen(head), cl = strlen(checkpoint);
    size_t cap = hl + 1 + sizeof PL_TLOG_PROOF_HEADER + 32 + n * (B64_HASH + 1) + 1 + cl + 1;
    char *b, *p;

    *out = NULL;
    if (n > PL_MERKLE_MAX_PROOF)
        return pl_err_set(e, PLEDGER_EINVAL, "tlog-proof: %zu hashes is more than a proof has",
                          n);
    if (!(b = malloc(cap)))
        return pl_err_oom(e);
    memcpy(b, head, hl);
    p = b + hl;
    if (hl)
        *p++ = '\n';
    p += sprintf(p, PL_TLOG_PROOF_HEADER "\nindex %" PRIu64 "\n", index);
    for (size_t i = 0; i < n; i++) {
        p += EVP_EncodeBlock((unsigned char *)p, proof[i].h, PL_MERKLE_HASH);
        *p++ = '\n';
    }
    *p++ = '\n';
    memcpy(p, checkpoint, cl + 1);
    *out = b;
    return 0;
}

/* The line at *@p (its length in *@len, without the newline); false at
 * the end of the text or for a line without its newline. */
static bool line(const char **p, const char *end, const char **s, size_t *len)
{
    const char *nl = *p < end ? memchr(*p, '\n', (size_t)(end - *p)) : NULL;
    if (!nl)
        return false;
    *s = *p;
    *len = (size_t)(nl - *p);
    *p = nl + 1;
    return true;
}

int pl_tlog_proof_read(pl_err *e, const char *text, size_t len, int first_line,
                       pl_tlog_proof *out)
{
    const char *p = text, *end = text + len, *s;
    size_t n;
    int no = first_line;

    memset(out, 0, sizeof *out);
    if (!line(&p, end, &s, &n) || n != strlen(PL_TLOG_PROOF_HEADER) ||
        memcmp(s, PL_TLOG_PROOF_HEADER, n) != 0)
        return pl_err_set(e, PLEDGER_EINVAL, "line %d: expected '%s'", no,
                          PL_TLOG_PROOF_HEADER);
    no++;
    if (!line(&p, end, &s, &n))
        return pl_err_set(e, PLEDGER_EINVAL, "line %d: expected 'index <entry>'", no);
    if (n > 6 && memcmp(s, "extra ", 6) == 0) {
        no++;
        if (!line(&p, end, &s, &n))
            return pl_err_set(e, PLEDGER_EINVAL, "line %d: expected 'index <entry>'", no);
    }
    /* index: decimal, no leading zero, fits 63 bits */
    bool ok = n > 6 && n <= 6 + 19 && memcmp(s, "index ", 6) == 0 && !(s[6] == '0' && n > 7);
    uint64_t v = 0;
    for (size_t i = 6; ok && i < n; i++) {
        ok = s[i] >= '0' && s[i] <= '9';
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (!ok || v > INT64_MAX)
        return pl_err_set(e, PLEDGER_EINVAL, "line %d: expected 'index <entry>', a decimal "
                          "number without leading zeros", no);
    out->index = v;
    for (;;) {
        no++;
        if (!line(&p, end, &s, &n))
            return pl_err_set(e, PLEDGER_EINVAL, "line %d: expected a hash or the empty line "
                              "before the checkpoint", no);
        if (n == 0)
            break;
        size_t got = 0;
        if (out->n == PL_MERKLE_MAX_PROOF)
            return pl_err_set(e, PLEDGER_EINVAL, "line %d: more than %d hashes", no,
                              PL_MERKLE_MAX_PROOF);
        if (!pl_unbase64(s, n, out->proof[out->n].h, PL_MERKLE_HASH, &got) ||
            got != PL_MERKLE_HASH)
            return pl_err_set(e, PLEDGER_EINVAL, "line %d: expected a SHA-256 hash in base64",
                              no);
        out->n++;
    }
    if (p == end)
        return pl_err_set(e, PLEDGER_EINVAL, "line %d: expected the checkpoint", no + 1);
    out->checkpoint = p;
    out->checkpoint_len = (size_t)(end - p);
    return 0;
}
