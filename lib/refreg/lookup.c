/* Lookups in the reference register for the review engine (refreg.h):
 * the numbers and identifiers as the user typed them normalised, the rows
 * read by the backend (store/ops-refreg.h), and the messages. */
#include "refreg/refreg.h"

#include <stdlib.h>
#include <string.h>

#include "base/ident.h"
#include "base/text.h"

#define ID_MAX PL_REF_ID_MAX

bool pl_ref_right_has_owner(const pl_ref_right *r, pledger_id_type id_type, const char *id)
{
    for (size_t i = 0; r && id && i < r->n_owners; i++)
        if ((!id_type || r->owners[i].id_type == id_type) && strcmp(r->owners[i].id, id) == 0)
            return true;
    return false;
}

/* Normalise what the caller typed.  Identifiers on the register were
 * checked against the import's date, so no date limits the lookup: the
 * lookup's "today" is 9999-12-31. */
#define FAR_FUTURE 2932896
static int norm(pl_err *e, pledger_id_type type, const char *what, const char *in, char *out)
{
    if (!in)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: no number given", what);
    if (pl_ident_normalize(e, type, in, FAR_FUTURE, out, ID_MAX) != 0)
        return pl_err_prefix(e, "%s", what);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Trademarks                                                          */

/* The trademark @n (normalised), or PLEDGER_ENOTFOUND. */
static int load_trademark(pl_db *db, pl_err *e, const char *n, pl_ref_trademark *t)
{
    bool found;
    int rc = PL_OPS(db, refreg)->trademark_get(db, e, n, t, &found);

    if (!rc && !found)
        rc = pl_err_set(e, PLEDGER_ENOTFOUND, "trademark %s is not on the reference register",
                        n);
    return rc;
}

int pl_refreg_trademark(pl_db *db, pl_err *e, const char *number, pl_ref_trademark *out)
{
    char n[ID_MAX];
    int rc;

    memset(out, 0, sizeof *out);
    pl_ref_trademark_clear(out);
    if ((rc = norm(e, PLEDGER_ID_TRADEMARK, "trademark number", number, n)) ||
        (rc = load_trademark(db, e, n, out)))
        pl_ref_trademark_clear(out);
    return rc;
}

int pl_refreg_related_marks(pl_db *db, pl_err *e, pledger_id_type owner_type,
                            const char *owner_id, const char *number, pl_ref_marks *out)
{
    pl_ref_trademark self;
    char oid[ID_MAX], n[ID_MAX];
    int rc;

    memset(out, 0, sizeof *out);
    memset(&self, 0, sizeof self);
    if (owner_type) {
        if ((rc = norm(e, owner_type, "owner identifier", owner_id, oid)))
            return rc;
    } else {
        /* any type: only what every identifier's normalisation does */
        char *k = owner_id ? pl_text_normalize_id(owner_id) : NULL;
        if (!k || !*k || strlen(k) >= sizeof oid) {
            free(k);
            return pl_err_set(e, PLEDGER_EINVAL, "owner identifier: %s",
                              !owner_id ? "none given" : "empty, too long or not UTF-8");
        }
        strcpy(oid, k);
        free(k);
    }
    pl_ref_owner_key owner = { owner_type, oid };
    if (!(rc = norm(e, PLEDGER_ID_TRADEMARK, "trademark number", number, n)) &&
        !(rc = load_trademark(db, e, n, &self)))
        rc = PL_OPS(db, refreg)->marks_related(db, e, &owner, &self, out);
    pl_ref_trademark_clear(&self);
    if (rc)
        pl_ref_marks_clear(out);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Patents                                                             */

int pl_refreg_patent(pl_db *db, pl_err *e, const char *number, pl_ref_patent *out)
{
    char n[ID_MAX];
    bool found;
    int rc;

    memset(out, 0, sizeof *out);
    pl_ref_patent_clear(out);
    if ((rc = norm(e, PLEDGER_ID_PATENT, "patent number", number, n)) ||
        (rc = PL_OPS(db, refreg)->patent_get(db, e, n, out, &found)))
        return rc;
    if (!found)
        return pl_err_set(e, PLEDGER_ENOTFOUND, "patent %s is not on the reference register",
                          n);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Permits and certificates                                            */

int pl_refreg_certificate(pl_db *db, pl_err *e, pledger_kind kind, const char *number,
                          pl_ref_certificate *out)
{
    const char *what = kind == PLEDGER_KIND_EMISSION   ? "discharge permit"
                       : kind == PLEDGER_KIND_SEA_AREA ? "sea-area certificate"
                       : kind == PLEDGER_KIND_LAND     ? "land certificate"
                                                       : NULL;
    char n[ID_MAX];
    bool found;
    int rc;

    memset(out, 0, sizeof *out);
    pl_ref_certificate_clear(out);
    if (!what)
        return pl_err_set(e, PLEDGER_EINVAL, "kind %d has no permit or certificate on the "
                          "reference register", (int)kind);
    if ((rc = norm(e, kind == PLEDGER_KIND_EMISSION ? PLEDGER_ID_PERMIT : PLEDGER_ID_CERTIFICATE,
                   what, number, n)) ||
        (rc = PL_OPS(db, refreg)->certificate_get(db, e, kind, n, out, &found)))
        return rc;
    if (!found)
        return pl_err_set(e, PLEDGER_ENOTFOUND, "%s %s is not on the reference register",
                          what, n);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Holdings                                                            */

int pl_refreg_holding(pl_db *db, pl_err *e, const char *company, pledger_id_type type,
                      const char *shareholder, pl_ref_holding *out)
{
    char c[ID_MAX], s[ID_MAX];
    bool found;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = norm(e, PLEDGER_ID_USCC, "company", company, c)))
        return rc;
    if (type < PLEDGER_ID_USCC || type > PLEDGER_ID_FOREIGN_REG)
        return pl_err_set(e, PLEDGER_EINVAL, "shareholder: identifier type %d is not a "
                          "party's", (int)type);
    if ((rc = norm(e, type, "shareholder", shareholder, s)) ||
        (rc = PL_OPS(db, refreg)->holding_get(db, e, c, type, s, out, &found)))
        return rc;
    if (!found)
        return pl_err_set(e, PLEDGER_ENOTFOUND, "%s is not a shareholder of company %s on "
                          "the reference register", s, c);
    return 0;
}
