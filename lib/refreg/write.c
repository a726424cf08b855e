/* Writing one record of the reference register (write.h): its
 * digest, and its rows in ref_right and the tables of its details, or in
 * ref_holding, through the backend's import operations (store/ops-refreg.h). */
#include "refreg/write.h"
#include "store/ops-refreg.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"

/* ------------------------------------------------------------------ */
/* The digest of a record's normalised content                         */

static void dg_raw(imp *im, const void *p, size_t n)
{
    if (im->dlen + n > im->dcap) {
        size_t cap = im->dcap ? im->dcap : 1024;
        while (cap < im->dlen + n)
            cap *= 2;
        unsigned char *b = realloc(im->dbuf, cap);
        if (!b) {
            im->doom = true;
            return;
        }
        im->dbuf = b;
        im->dcap = cap;
    }
    memcpy(im->dbuf + im->dlen, p, n);
    im->dlen += n;
}

static void dg_int(imp *im, int64_t v)
{
    unsigned char b[9];
    b[0] = 'I';
    for (int i = 0; i < 8; i++)
        b[1 + i] = (unsigned char)((uint64_t)v >> (8 * i));
    dg_raw(im, b, sizeof b);
}

static void dg_str(imp *im, const char *s)
{
    if (!s) {
        dg_raw(im, "N", 1);
        return;
    }
    size_t n = strlen(s);
    dg_int(im, (int64_t)n);
    dg_raw(im, s, n);
}

int pl_refreg_digest(imp *im, const record *r, unsigned char out[32])
{
    im->dlen = 0;
    dg_raw(im, "pledger-ref-1", 13);
    dg_int(im, r->kind);
    dg_str(im, r->number);
    dg_int(im, r->status);
    dg_int(im, r->valid_from);
    dg_int(im, r->valid_to);
    dg_int(im, r->seized);
    dg_int(im, r->frozen);
    dg_int(im, (int64_t)r->n_owners);
    for (size_t i = 0; i < r->n_owners; i++) {
        dg_str(im, r->owners[i].name);
        dg_str(im, r->owners[i].name_key);
        dg_int(im, r->owners[i].id_type);
        dg_str(im, r->owners[i].id);
    }
    switch (r->kind) {
    case PLEDGER_KIND_TRADEMARK:
        dg_str(im, r->mark);
        dg_str(im, r->mark_key);
        dg_str(im, r->has_family ? r->family : NULL);
        dg_int(im, (int64_t)r->classes);
        dg_int(im, (int64_t)r->n_groups);
        for (size_t i = 0; i < r->n_groups; i++)
            dg_raw(im, r->groups[i], 4);
        break;
    case PLEDGER_KIND_PATENT:
        dg_int(im, r->patent_type);
        dg_int(im, r->grant_date);
        dg_int(im, r->fee_paid);
        dg_int(im, r->invalidation_pending);
        dg_int(im, r->suspended);
        dg_str(im, r->has_twin ? r->twin : NULL);
        break;
    case PLEDGER_KIND_EMISSION:
        dg_int(im, (int64_t)r->n_allowances);
        for (size_t i = 0; i < r->n_allowances; i++) {
            dg_str(im, r->allowances[i].pollutant);
            dg_int(im, r->allowances[i].micro);
            dg_str(im, r->allowances[i].unit);
        }
        break;
    case PLEDGER_KIND_SEA_AREA:
    case PLEDGER_KIND_LAND:
        if (r->n_allowances) {   /* the area: a record without one digests as before */
            dg_int(im, r->allowances[0].micro);
            dg_str(im, r->allowances[0].unit);
        }
        break;
    case PLEDGER_KIND_EQUITY:
        dg_str(im, r->company_name);
        dg_int(im, r->capital);
        dg_str(im, r->currency);
        break;
    default:
        break;
    }
    /* Registered English names, only when the record has one: the digest
     * of a record without them is what it was before they existed, so a
     * re-import of an older file leaves its records unchanged. */
    for (size_t i = 0; i < r->n_owners; i++) {
        if (!r->owners[i].name_en)
            continue;
        dg_raw(im, "name_en", 7);
        for (size_t j = 0; j < r->n_owners; j++) {
            dg_str(im, r->owners[j].name_en);
            dg_str(im, r->owners[j].name_en_key);
        }
        break;
    }
    if (im->doom)
        return pl_err_oom(im->e);
    int rc;
    if ((rc = pl_hash_restart(im->dsha)) || (rc = pl_hash_update(im->dsha, im->dbuf, im->dlen)) ||
        (rc = pl_hash_digest(im->dsha, out)))
        return pl_err_set(im->e, rc, "%s: SHA-256 failed", im->name);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Writing: the backend's import operations (store/ops-refreg.h)       */

int pl_refreg_seen_clear(imp *im)
{
    return PL_OPS(im->db, refreg)->import_keys_clear(im->db, im->e);
}

int pl_refreg_note_empty(imp *im)
{
    return PL_OPS(im->db, refreg)->register_empty(im->db, im->e, &im->no_rights,
                                                  &im->no_holdings);
}

static void count(imp *im, pl_ref_written w)
{
    if (w == PL_REF_UNCHANGED)
        im->rep->unchanged++;
    else if (w == PL_REF_UPDATED)
        im->rep->updated++;
    else
        im->rep->inserted++;
}

int pl_refreg_write_right(imp *im, const record *r, const unsigned char dg[32])
{
    pl_ref_written w;
    int rc = PL_OPS(im->db, refreg)->right_write(im->db, im->e, r, dg, im->no_rights, &w);

    if (!rc)
        count(im, w);
    return rc;
}

int pl_refreg_write_holding(imp *im, const record *r, const unsigned char dg[32])
{
    pl_ref_written w;
    int rc = PL_OPS(im->db, refreg)->holding_write(im->db, im->e, r, dg, im->no_holdings, &w);

    if (!rc)
        count(im, w);
    return rc;
}

/* Refuse a key given twice in one file.  Returns 1 when rejected. */
int pl_refreg_first_time(imp *im, where *w, const record *r)
{
    char key[3 * ID_MAX];
    const char *k = r->number;
    uint64_t first;
    bool repeated;
    int rc;

    if (r->kind == PLEDGER_KIND_EQUITY) {
        snprintf(key, sizeof key, "%s/%d/%s", r->number, r->owners[0].id_type,
                 r->owners[0].id);
        k = key;
    }
    if ((rc = PL_OPS(im->db, refreg)->import_key_add(im->db, im->e, r->kind, k,
                                                     (uint64_t)w->line, &repeated, &first)))
        return rc;
    if (!repeated)
        return 0;
    return pl_refreg_bad(w, "already given at line %" PRIu64 " of this file", first);
}
