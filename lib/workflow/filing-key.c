/* Keys of filings (filing-key.h). */
#include "workflow/filing-key.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/json.h"
#include "store/apply.h"
#include "store/ops-flow.h"
#include "workflow/app-flow.h"

/* A save's digest begins so; a batch's is the bare hex (as since keys
 * were first kept), so that neither is ever taken for the other. */
static const char save_mark[] = "application:";

int pl_key_digest(const pl_ctx *c, pl_keyed what, pl_doc *const *docs, size_t n,
                  char out[PL_KEY_DIGEST_MAX + 1])
{
    char *hexes = malloc(n * 65 + 1);
    unsigned char d[32];
    int rc = 0;

    if (!hexes)
        return pl_err_oom(c->e);
    for (size_t i = 0; i < n && !rc; i++) {
        char *xml = NULL;
        size_t len = 0;
        if (!(rc = pl_doc_to_xml(docs[i], c->e, &xml, &len)) &&
            (rc = pl_hash(PL_HASH_SHA256, xml, len, d)))
            rc = pl_err_set(c->e, rc, "item %zu: hashing its document", i);
        free(xml);
        if (!rc) {
            pl_hex(d, sizeof d, hexes + i * 65);
            hexes[i * 65 + 64] = '\n';
        }
    }
    if (!rc && (rc = pl_hash(PL_HASH_SHA256, hexes, n * 65, d)))
        rc = pl_err_set(c->e, rc, "hashing the documents");
    if (!rc) {
        size_t at = 0;
        if (what == PL_KEYED_SAVE)
            at = (size_t)snprintf(out, PL_KEY_DIGEST_MAX + 1, "%s", save_mark);
        pl_hex(d, sizeof d, out + at);
    }
    free(hexes);
    return rc;
}

static bool is_save(const char *digest)
{
    return strncmp(digest, save_mark, sizeof save_mark - 1) == 0;
}

/* PLEDGER_ECONFLICT: @key named the request of @was, not this one. */
static int conflict(const pl_ctx *c, const char *key, const char *was, const char *digest)
{
    const char *a = c->actor ? c->actor : "";
    if (is_save(was) && is_save(digest))
        return pl_err_set(c->e, PLEDGER_ECONFLICT,
                          "key: '%s' was used by '%s' to save another application (another "
                          "document); a key names one request", key, a);
    if (is_save(was))
        return pl_err_set(c->e, PLEDGER_ECONFLICT,
                          "key: '%s' was used by '%s' to save one application, not for a bulk "
                          "filing; a key names one request", key, a);
    if (is_save(digest))
        return pl_err_set(c->e, PLEDGER_ECONFLICT,
                          "key: '%s' was used by '%s' for a bulk filing, not to save one "
                          "application; a key names one request", key, a);
    return pl_err_set(c->e, PLEDGER_ECONFLICT,
                      "key: '%s' was used by '%s' for another batch (other documents or "
                      "another number of them); a key names one batch", key, a);
}

int pl_key_look_up(const pl_ctx *c, const char *key, const char *digest, char **apps)
{
    char *was = NULL;
    int rc;

    *apps = NULL;
    if ((rc = PL_OPS(c->db, flow)->filing_key_get(c->db, c->e, c->actor, key, &was, apps)))
        return rc;
    if (was && strcmp(was, digest) != 0) {
        rc = conflict(c, key, was, digest);
        free(*apps);
        *apps = NULL;
    }
    free(was);
    return rc;
}

int pl_key_uuids(const pl_ctx *c, const char *key, const char *apps, size_t n,
                 char (*uuids)[37])
{
    const char *p = apps;
    size_t i = 0;

    if (!p || *p++ != '[')
        goto corrupt;
    for (; i < n; i++) {
        if (p[0] != '"' || strlen(p) < 38 || p[37] != '"' || (p[38] != ',' && p[38] != ']'))
            goto corrupt;
        memcpy(uuids[i], p + 1, 36);
        uuids[i][36] = '\0';
        p += 39;
    }
    if (n == 0 || p[-1] != ']' || *p)
        goto corrupt;
    return 0;
corrupt:
    return pl_err_set(c->e, PLEDGER_ECORRUPT, "the filing made under key '%s': its record "
                      "of %zu applications is damaged (item %zu)", key, n, i);
}

int pl_key_record(const pl_ctx *c, const char *key, const char *digest,
                  const char *const *uuids, size_t n)
{
    pl_json j;
    int rc;

    if ((rc = pl_db_write_begin(c->db, c->e)))
        return rc;
    pl_json_init(&j);
    pl_json_begin_array(&j, "applications");
    for (size_t i = 0; i < n; i++)
        pl_json_item_str(&j, uuids[i]);
    pl_json_end_array(&j);
    pl_json_str(&j, "digest", digest);
    pl_json_str(&j, "key", key);
    return pl_step_finish(c, pl_wf_record(c, PL_OP_FILING_KEY, key, &j));
}

/* The UUID the first save under @key made (@apps: its record), into
 * *@uuid: that application must still be there. */
static int saved_before(const pl_ctx *c, const char *key, const char *apps, char **uuid)
{
    char u[1][37];
    pl_app_row row;
    int rc;

    if ((rc = pl_key_uuids(c, key, apps, 1, u)))
        return rc;
    memset(&row, 0, sizeof row);
    if ((rc = PL_OPS(c->db, flow)->app_load(c->db, c->e, u[0], &row)))
        return pl_err_prefix(c->e, "the application saved under key '%s'", key);
    pl_app_row_clear(&row);
    if (!(*uuid = strdup(u[0])))
        return pl_err_oom(c->e);
    return 0;
}

int pl_wf_save_keyed(const pl_ctx *c, pl_doc *doc, const char *key, char **uuid,
                     bool *replayed)
{
    char digest[PL_KEY_DIGEST_MAX + 1], *apps = NULL;
    int rc;

    *replayed = false;
    *uuid = NULL;
    /* who may not save is refused before the key is looked at: the same
     * actor's name in a role that saves nothing replays nothing either */
    if ((rc = pl_step_check_role(c->e, PL_STEP_SAVE, c->role, c->actor, 0)) ||
        (rc = pl_db_batch_begin(c->db, c->e)))
        return rc;
    if ((rc = pl_key_digest(c, PL_KEYED_SAVE, &doc, 1, digest)) ||
        (rc = pl_key_look_up(c, key, digest, &apps)))
        goto fail;
    if (apps) { /* saved before: nothing to write */
        rc = saved_before(c, key, apps, uuid);
        free(apps);
        pl_db_batch_end(c->db, c->e, false);
        *replayed = rc == 0;
        return rc;
    }
    if ((rc = pl_wf_save(c, doc, uuid)) ||
        (rc = pl_key_record(c, key, digest, (const char *const *)uuid, 1)))
        goto fail;
    if ((rc = pl_db_batch_end(c->db, c->e, true)))
        goto forget;
    return 0;
fail:
    pl_db_batch_end(c->db, c->e, false);
forget:
    free(*uuid);
    *uuid = NULL;
    return rc;
}
