#include "rules/review.h"

#include <string.h>

#include "base/money.h"

/* The rules every kind shares.  Kind-specific tables are added beside
 * this file (one table per kind). */

static const char basis_parties[] =
    "Registration measures: the pledgor and pledgee must be identified";
static const char basis_claim[] =
    "Civil Code art. 427: the pledge contract states the kind and amount of the secured claim";
static const char basis_period[] = "Registration measures: the registration period";
static const char basis_rights[] = "Civil Code art. 440: the pledged rights";

static void check_party(pl_findings *f, const pl_app_party *p, const char *what, bool required)
{
    if (!p->present) {
        if (required)
            pl_findings_add(f, "PARTY_MISSING", PLEDGER_SEVERITY_BLOCKING, p->path,
                            basis_parties, "the %s is missing", what);
        return;
    }
    if (!p->name.text)
        pl_findings_add(f, "PARTY_NAME_MISSING", PLEDGER_SEVERITY_CORRECTABLE, p->name.path,
                        basis_parties, "the %s has no name", what);
    if (!p->id_raw)
        pl_findings_add(f, "PARTY_ID_MISSING", PLEDGER_SEVERITY_CORRECTABLE, p->id_path,
                        basis_parties, "the %s has no identifier", what);
    else if (!p->id_norm)
        pl_findings_add(f, "PARTY_ID_INVALID", PLEDGER_SEVERITY_CORRECTABLE, p->id_path,
                        basis_parties, "the %s's identifier is invalid: %s", what,
                        p->id_error ? p->id_error : "unknown error");
}

static void check_amount(pl_findings *f, const pl_app_amount *a, const char *what)
{
    if (!a->has) {
        pl_findings_add(f, "AMOUNT_MISSING", PLEDGER_SEVERITY_CORRECTABLE, a->path, basis_claim,
                        "the %s is missing", what);
        return;
    }
    if (!a->valid || a->minor <= 0)
        pl_findings_add(f, "AMOUNT_INVALID", PLEDGER_SEVERITY_CORRECTABLE, a->path, basis_claim,
                        "the %s '%s' must be a positive whole number of minor units", what,
                        a->raw ? a->raw : "");
    if (!a->currency || pl_currency_digits(a->currency) < 0)
        pl_findings_add(f, "CURRENCY_UNKNOWN", PLEDGER_SEVERITY_CORRECTABLE, a->currency_path,
                        basis_claim, "the currency '%s' of the %s is not an ISO 4217 code",
                        a->currency ? a->currency : "", what);
}

static void check_date(pl_findings *f, const pl_app_date *d, const char *what,
                       const char *basis)
{
    if (!d->has)
        pl_findings_add(f, "DATE_MISSING", PLEDGER_SEVERITY_CORRECTABLE, d->path, basis,
                        "the %s is missing", what);
    else if (!d->valid)
        pl_findings_add(f, "DATE_INVALID", PLEDGER_SEVERITY_CORRECTABLE, d->path, basis,
                        "the %s '%s' is not a real date (YYYY-MM-DD)", what, d->raw);
}

int pl_review_run(pl_db *db, pl_err *e, const pl_app *app, const pl_review_env *env,
                  pl_findings *out)
{
    (void)db;
    (void)env;
    check_party(out, &app->pledgor, "pledgor", true);
    check_party(out, &app->pledgee, "pledgee", true);
    check_party(out, &app->debtor, "debtor", false);
    check_party(out, &app->agent, "agent", false);

    if (app->n_rights == 0)
        pl_findings_add(out, "RIGHTS_MISSING", PLEDGER_SEVERITY_BLOCKING, app->rights_path,
                        basis_rights, "the application pledges no right");
    for (size_t i = 0; i < app->n_rights; i++) {
        const pl_app_right *r = &app->rights[i];
        const pl_app_ident *id = pl_app_right_ident(r);
        if (id && !id->raw)
            pl_findings_add(out, "RIGHT_ID_MISSING", PLEDGER_SEVERITY_CORRECTABLE, id->path,
                            basis_rights, "the right has no identifier");
        else if (id && !id->norm)
            pl_findings_add(out, "RIGHT_ID_INVALID", PLEDGER_SEVERITY_CORRECTABLE, id->path,
                            basis_rights, "the right's identifier is invalid: %s",
                            id->error ? id->error : "unknown error");
        for (size_t j = 0; j < i && r->key; j++)
            if (app->rights[j].key && strcmp(app->rights[j].key, r->key) == 0)
                pl_findings_add(out, "RIGHT_DUPLICATE", PLEDGER_SEVERITY_CORRECTABLE, r->path,
                                basis_rights, "the same right is listed twice (see %s)",
                                app->rights[j].path);
    }

    if (!app->claim.present)
        pl_findings_add(out, "CLAIM_MISSING", PLEDGER_SEVERITY_BLOCKING, app->claim.path,
                        basis_claim, "the secured claim is missing");
    else
        check_amount(out, &app->claim.amount, "secured amount");

    check_date(out, &app->period.start, "start of the registration period", basis_period);
    check_date(out, &app->period.end, "end of the registration period", basis_period);
    if (app->period.start.valid && app->period.end.valid &&
        app->period.start.days > app->period.end.days)
        pl_findings_add(out, "PERIOD_INVERTED", PLEDGER_SEVERITY_CORRECTABLE,
                        app->period.end.path, basis_period,
                        "the registration period ends (%s) before it starts (%s)",
                        app->period.end.raw, app->period.start.raw);
    return out->oom ? pl_err_oom(e) : 0;
}
