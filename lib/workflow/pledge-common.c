#include "workflow/pledge-common.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/ident.h"
#include "base/text.h"
#include "model/certificate.h"
#include "model/kinds.h"

int pl_wf_random_code(pl_err *e, char out[PL_CODE_LEN + 1])
{
    unsigned char r[32];
    int k = 0;

    if (pl_random_bytes(r, sizeof r))
        return pl_err_set(e, PLEDGER_EIO, "the system's random number generator failed");
    for (int i = 0; i < 16; i++) {
        if (i && i % 4 == 0)
            out[k++] = '-';
        /* 2 bytes per symbol: the bias of 65536 mod 31 is negligible */
        unsigned v = ((unsigned)r[2 * i] << 8) | r[2 * i + 1];
        out[k++] = pl_code_alphabet[v % 31];
    }
    out[k] = '\0';
    return 0;
}

static void salted_hash(const char *code, const char *salt, char hash[65])
{
    unsigned char d[32];
    size_t ns = strlen(salt), nc = strlen(code);
    char *buf = malloc(ns + nc + 1);

    hash[0] = '\0';
    if (!buf)
        return;
    memcpy(buf, salt, ns);
    memcpy(buf + ns, code, nc);
    if (pl_hash(PL_HASH_SHA256, buf, ns + nc, d) == 0)
        pl_hex(d, sizeof d, hash);
    free(buf);
}

int pl_wf_code_normalize(pl_err *e, const char *in, char out[PL_CODE_LEN + 1])
{
    char *n = pl_text_normalize_ref(in); /* "ABCD–EFGH" pasted from a document too */
    char raw[17];
    size_t k = 0;

    out[0] = '\0';
    if (!n)
        return in && pl_utf8_valid(in, strlen(in))
                   ? pl_err_oom(e)
                   : pl_err_set(e, PLEDGER_EINVAL, "the verification code is not valid UTF-8");
    for (const char *p = n; *p; p++) {
        if (*p == '-')
            continue;
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z')) || k == 16) {
            free(n);
            return pl_err_set(e, PLEDGER_EINVAL,
                              "the verification code must be 16 letters and digits, written "
                              "XXXX-XXXX-XXXX-XXXX");
        }
        raw[k++] = *p;
    }
    free(n);
    if (k != 16)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "the verification code must be 16 letters and digits, written "
                          "XXXX-XXXX-XXXX-XXXX; this one has %zu", k);
    for (size_t g = 0, o = 0; g < 4; g++) {
        memcpy(out + o, raw + 4 * g, 4);
        o += 4;
        out[o++] = g < 3 ? '-' : '\0';
    }
    return 0;
}

int pl_wf_modcode_new(pl_err *e, char code[PL_CODE_LEN + 1], char salt[33], char hash[65])
{
    unsigned char s[16];
    int rc;

    if ((rc = pl_wf_random_code(e, code)))
        return rc;
    if (pl_random_bytes(s, sizeof s))
        return pl_err_set(e, PLEDGER_EIO, "the system's random number generator failed");
    pl_hex(s, sizeof s, salt);
    salted_hash(code, salt, hash);
    if (!hash[0])
        return pl_err_oom(e);
    return 0;
}

bool pl_wf_modcode_matches(const char *code, const char *salt, const char *hash)
{
    char h[65], norm[PL_CODE_LEN + 1];

    if (!code || !salt || !hash || strlen(hash) != 64)
        return false;
    /* as a person types it, as the verification code is read: either
     * case, with or without the dashes, white space, full-width forms */
    if (pl_wf_code_normalize(NULL, code, norm) == 0)
        code = norm;
    salted_hash(code, salt, h);
    return h[0] && CRYPTO_memcmp(h, hash, 64) == 0;
}

static void opt_int32(pl_json *j, const char *key, int32_t v)
{
    if (v == INT32_MIN)
        pl_json_null(j, key);
    else
        pl_json_int(j, key, v);
}

void pl_wf_json_version(pl_json *j, const pl_pver *v)
{
    pl_json_begin_object(j, "v");
    pl_json_int(j, "amount", v->amount);
    pl_json_str(j, "currency", v->currency);
    pl_json_str(j, "debtor_id", v->debtor_id);
    pl_json_str(j, "debtor_name", v->debtor_name);
    pl_json_int(j, "litigation", v->litigation);
    pl_json_str(j, "note", v->note);
    pl_json_str(j, "objection_by", v->objection_by);
    opt_int32(j, "objection_until", v->objection_until);
    pl_json_str(j, "operation", v->operation);
    pl_json_int(j, "period_end", v->period_end);
    pl_json_int(j, "period_start", v->period_start);
    pl_json_str(j, "pledgee_id", v->pledgee_id);
    pl_json_str(j, "pledgee_id_type", v->pledgee_id_type);
    pl_json_str(j, "pledgee_key", v->pledgee_key);
    pl_json_str(j, "pledgee_name", v->pledgee_name);
    pl_json_str(j, "pledgor_id", v->pledgor_id);
    pl_json_str(j, "pledgor_id_type", v->pledgor_id_type);
    pl_json_str(j, "pledgor_key", v->pledgor_key);
    pl_json_str(j, "pledgor_name", v->pledgor_name);
    pl_json_int(j, "state", v->state);
    pl_json_int(j, "version", v->version);
    pl_json_end_object(j);
}

int pl_wf_json_certificate(const pl_ctx *c, pl_json *j, const pl_pver *v, int64_t issued_at)
{
    char code[PL_CODE_LEN + 1];
    char *xml = NULL;
    int rc;

    if ((rc = pl_wf_random_code(c->e, code)) ||
        (rc = pl_wf_certificate_xml(c->e, v, issued_at, code, "current", &xml)))
        return rc;
    pl_json_begin_object(j, "certificate");
    pl_json_str(j, "code", code);
    pl_json_str(j, "document", xml);
    pl_json_int(j, "version", v->version);
    pl_json_end_object(j);
    free(xml);
    return 0;
}

int pl_wf_certificate_xml(pl_err *e, const pl_pver *v, int64_t issued_at, const char *code,
                          const char *status, char **out)
{
    const pl_kind_info *k = pl_kind(v->kind);
    pl_cert_right *rights = calloc(v->n_rights ? v->n_rights : 1, sizeof *rights);
    int rc;

    if (!rights)
        return pl_err_oom(e);
    for (size_t i = 0; i < v->n_rights; i++) {
        rights[i].kind = k->name;
        rights[i].identifier = v->rights[i].identifier;
        rights[i].classes = v->rights[i].classes;
    }
    pl_cert_fields f = {
        .registration_number = v->number,
        .version = v->version,
        .status = status,
        .kind = (pledger_kind)v->kind,
        .security = k->security,
        .pledgor = { v->pledgor_name, (pledger_id_type)pl_ident_type_from_name(v->pledgor_id_type),
                     v->pledgor_id },
        .pledgee = { v->pledgee_name, (pledger_id_type)pl_ident_type_from_name(v->pledgee_id_type),
                     v->pledgee_id },
        .rights = rights,
        .n_rights = v->n_rights,
        .currency = v->currency,
        .amount = v->amount,
        .period_start = v->period_start,
        .period_end = v->period_end,
        .registered_at = v->registered_at,
        .issued_at = issued_at,
        .acceptance_number = v->acceptance_number,
        .application = v->application_uuid,
        .verification_code = code,
    };
    rc = pl_cert_to_xml(e, &f, out, NULL);
    free(rights);
    return rc;
}
