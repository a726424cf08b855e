/* Public calls of the data line (include/pledger/exchange.h). */
#include <stdlib.h>
#include <string.h>

#include <pledger/exchange.h>

#include "api/app-handle.h"
#include "api/handle.h"
#include "api/keyring.h"
#include "model/kinds.h"
#include "store/journal.h"
#include "store/ops-flow.h"
#include "workflow/exchange-flow.h"

static const char *const site_names[] = { NULL, "office", "acceptance_point" };

const char *pledger_site_name(pledger_site site)
{
    return site >= PLEDGER_SITE_OFFICE && site <= PLEDGER_SITE_ACCEPTANCE_POINT
               ? site_names[site] : NULL;
}

pledger_site pledger_registry_site(const pledger_registry *reg)
{
    return reg ? (pledger_site)reg->site : (pledger_site)0;
}

const char *pledger_registry_upstream(const pledger_registry *reg)
{
    return reg && reg->site == PLEDGER_SITE_ACCEPTANCE_POINT ? reg->upstream : NULL;
}

static int check_office(pledger_registry *reg, const char *fn, const char *param,
                        const char *code)
{
    if (!code)
        return pl_api_bad_arg(reg, fn, param, "is NULL");
    if (!pl_api_office_code_valid(code))
        return pl_err_set(&reg->err, PLEDGER_EINVAL,
                          "%s: %s '%.40s' is not an office code (1 to 16 characters of A-Z, "
                          "0-9 and '-')", fn, param, code);
    return 0;
}

int pledger_set_site(pledger_registry *reg, pledger_site site, const char *upstream)
{
    static const char fn[] = "pledger_set_site";
    pl_ctx c;
    int rc = pl_api_enter(reg, fn);

    if (rc || (rc = pl_api_writable(reg, fn)))
        return rc;
    if (site != PLEDGER_SITE_OFFICE && site != PLEDGER_SITE_ACCEPTANCE_POINT)
        return pl_err_set(&reg->err, PLEDGER_EINVAL, "%s: site %d is not a pledger_site", fn,
                          (int)site);
    if (site == PLEDGER_SITE_ACCEPTANCE_POINT) {
        if ((rc = check_office(reg, fn, "upstream", upstream)))
            return rc;
        if (strcmp(upstream, reg->office) == 0)
            return pl_err_set(&reg->err, PLEDGER_EINVAL,
                              "%s: upstream '%s' is this registry's own office code; an "
                              "acceptance point forwards to another office", fn, upstream);
    } else if (upstream) {
        return pl_api_bad_arg(reg, fn, "upstream", "must be NULL for an office");
    }
    pl_api_ctx(reg, &c);
    if ((rc = pl_wf_site_set(&c, site, upstream)))
        return pl_err_prefix(&reg->err, "%s", fn);
    reg->site = site;
    snprintf(reg->upstream, sizeof reg->upstream, "%s",
             site == PLEDGER_SITE_ACCEPTANCE_POINT ? upstream : "");
    return 0;
}

/* The checkpoint a batch or receipt carries: the latest the registry
 * signed (NULL: none yet).  Signing one is the office's own schedule
 * (pledger_checkpoint_sign()): an exchange that fails changes nothing. */
static int checkpoint_for(pledger_registry *reg, char **note)
{
    return pl_journal_checkpoint_latest(reg->db, &reg->err, note);
}

static int need_signer(pledger_registry *reg, const char *fn, const pledger_keyring *signers)
{
    if (!pl_xmlsig_available())
        return pl_err_set(&reg->err, PLEDGER_ENOTSUP, "%s: XML signatures: this libpledger "
                          "was built without libxmlsec1 (Debian: libxmlsec1-dev)", fn);
    if (!pl_keyring_signer(signers))
        return pl_api_bad_arg(reg, fn, "signers",
                              "holds no certificate private key (ECDSA P-256 or RSA)");
    return 0;
}

int pledger_exchange_export(char **out, size_t *len, pledger_registry *reg, const char *to,
                            const pledger_keyring *signers)
{
    static const char fn[] = "pledger_exchange_export";
    char *note = NULL;
    pl_ctx c;
    int rc;

    if (out)
        *out = NULL;
    if (len)
        *len = 0;
    if ((rc = pl_api_enter(reg, fn)))
        return rc;
    if (!out)
        return pl_api_bad_arg(reg, fn, "out", "is NULL");
    if ((rc = pl_api_writable(reg, fn)) || (rc = check_office(reg, fn, "to", to)) ||
        (rc = need_signer(reg, fn, signers)))
        return rc;
    pl_api_ctx(reg, &c);
    /* the role first: a refused actor signs no checkpoint */
    if ((rc = pl_step_check_role(c.e, PL_STEP_EXCHANGE, c.role, c.actor, 0)) ||
        (rc = checkpoint_for(reg, &note)))
        return pl_err_prefix(&reg->err, "%s", fn);
    rc = pl_wf_exchange_export(&c, to, pl_keyring_signer(signers), note, out, len);
    free(note);
    return rc ? pl_err_prefix(&reg->err, "%s", fn) : 0;
}

int pledger_exchange_import(char **receipt, size_t *receipt_len, pledger_registry *reg,
                            const char *xml, size_t len, const pledger_keyring *trusted,
                            const pledger_keyring *signers)
{
    static const char fn[] = "pledger_exchange_import";
    char *note = NULL;
    pl_ctx c;
    int rc;

    if (receipt)
        *receipt = NULL;
    if (receipt_len)
        *receipt_len = 0;
    if ((rc = pl_api_enter(reg, fn)))
        return rc;
    if (!receipt)
        return pl_api_bad_arg(reg, fn, "receipt", "is NULL");
    if (!xml)
        return pl_api_bad_arg(reg, fn, "xml", "is NULL");
    if (!trusted || trusted->nd == 0)
        return pl_api_bad_arg(reg, fn, "trusted",
                              "holds no certificate key (the peers' public keys, each named "
                              "by its office code)");
    if ((rc = pl_api_writable(reg, fn)))
        return rc;
    if (!pl_xmlsig_available())
        return pl_err_set(&reg->err, PLEDGER_ENOTSUP, "%s: XML signatures: this libpledger "
                          "was built without libxmlsec1 (Debian: libxmlsec1-dev)", fn);
    pl_api_ctx(reg, &c);
    if ((rc = pl_step_check_role(c.e, PL_STEP_EXCHANGE, c.role, c.actor, 0)) ||
        (rc = checkpoint_for(reg, &note)))
        return pl_err_prefix(&reg->err, "%s", fn);
    rc = pl_wf_exchange_import(&c, xml, len, (const pl_doc_key *const *)trusted->docs,
                               trusted->nd, pl_keyring_signer(signers), note, receipt,
                               receipt_len);
    free(note);
    return rc ? pl_err_prefix(&reg->err, "%s", fn) : 0;
}

int pledger_exchange_status(pledger_exchange_line **out, size_t *n, pledger_registry *reg)
{
    static const char fn[] = "pledger_exchange_status";
    pl_xline *lines = NULL;
    size_t count = 0;
    pl_ctx c;
    int rc, sight;

    if (out)
        *out = NULL;
    if (n)
        *n = 0;
    if ((rc = pl_api_enter(reg, fn)))
        return rc;
    if (!out || !n)
        return pl_api_bad_arg(reg, fn, out ? "n" : "out", "is NULL");
    if ((rc = pl_api_read(reg, fn, PL_READ_EXCHANGE, &sight)))
        return rc;
    pl_api_ctx(reg, &c);
    if ((rc = pl_wf_exchange_status(&c, &lines, &count)))
        return pl_err_prefix(&reg->err, "%s", fn);
    pledger_exchange_line *v = calloc(count ? count : 1, sizeof *v);
    if (!v) {
        free(lines);
        return pl_err_oom(&reg->err);
    }
    for (size_t i = 0; i < count; i++) {
        memcpy(v[i].peer, lines[i].peer, sizeof v[i].peer);
        v[i].last_sent = lines[i].last_sent;
        v[i].last_acked = lines[i].last_acked;
        v[i].last_received = lines[i].last_received;
        v[i].pending = lines[i].pending;
    }
    free(lines);
    *out = v;
    *n = count;
    return 0;
}

int pledger_application_certificate(char **out, pledger_registry *reg, const char *uuid)
{
    static const char fn[] = "pledger_application_certificate";
    char kept[PL_API_UUID_LEN + 1];
    pl_app_row row;
    pl_ctx c;
    int rc, sight;

    if (out)
        *out = NULL;
    if ((rc = pl_api_enter(reg, fn)))
        return rc;
    if (!out)
        return pl_api_bad_arg(reg, fn, "out", "is NULL");
    if ((rc = pl_api_uuid(reg, fn, "uuid", uuid, kept)) ||
        (rc = pl_api_read(reg, fn, PL_READ_APPLICATION, &sight)))
        return rc;
    pl_api_ctx(reg, &c);
    if ((rc = pl_wf_app_load(&c, kept, &row)))
        return pl_err_prefix(&reg->err, "%s", fn);
    if (sight == PL_SIGHT_OWN && (rc = pl_api_own_application(reg, fn, &row)))
        goto done;
    if ((rc = PL_OPS(reg->db, flow)->app_certificate(reg->db, &reg->err, row.id, out)))
        goto done;
    if (!*out)
        rc = pl_err_set(&reg->err, PLEDGER_ENOTFOUND,
                        "%s: application %s is %s; it has no certificate", fn, kept,
                        pl_app_state_name(row.state));
done:
    pl_app_row_clear(&row);
    return rc;
}
