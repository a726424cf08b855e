/* Rules on the document itself, for every kind (docs/domain.md §4.1
 * "Every kind"): parties and their identifiers, the rights' identifiers and
 * fields, the secured claim, amounts and dates, the registration period,
 * the pledge contract, the materials, the filing, and what the registry
 * itself holds on the same rights (pledges, pending applications). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/ident.h"
#include "store/ops-review.h"
#include "base/money.h"
#include "model/kinds.h"
#include "rules/rules.h"
#include "base/i18n.h"
#include "base/text.h"

/* Legal bases (short notes; the measures are the registration measures of
 * each authority, see README "The one-pass review"). */
static const char B_PARTIES[] =
    N_("Civil Code art. 427; registration measures: pledgor and pledgee identified");
static const char B_IDS[] = N_("GB 32100-2015 (USCC), GB 11643-1999 (resident identity number)");
static const char B_AGENT[] =
    N_("Trademark Law art. 18, Patent Law art. 19: foreign parties file through an agency");
static const char B_POA[] = N_("registration measures: an agent files with a power of attorney");
static const char B_JOINT[] =
    N_("registration measures: pledgor and pledgee apply jointly (receivables excepted)");
static const char B_RIGHTS[] = N_("Civil Code art. 440: the pledged rights named and identified");
static const char B_CLAIM[] =
    N_("Civil Code art. 427: kind and amount of the secured claim, the debtor's deadline");
static const char B_PERIOD[] = N_("registration measures: the registration period, start <= end");
static const char B_DATES[] =
    N_("registration measures: the dates of the claim, the period and the rights");
static const char B_CONTRACT[] =
    N_("Civil Code art. 427: parties, claim, deadline, pledged rights, scope of the guarantee");
static const char B_MATERIALS[] = N_("registration measures: the materials to be submitted");
static const char B_LANGUAGE[] =
    N_("registration measures: documents in Chinese, or with a Chinese translation");
static const char B_ONE_PLEDGE[] =
    N_("registration measures: a right pledged and not released is not pledged again");
static const char B_PENDING[] = N_("Civil Code art. 414: rank follows the time of registration");

/* ---- parties ------------------------------------------------------------- */

/* Why an identifier is invalid, as a fragment: the translated message
 * quotes the translated reason. */
static const char *id_error_frag(const char *error, const char *local)
{
    if (!error)
        return pl_frag("unknown error");
    return local ? pl_frag_pair(error, local) : error;
}

static void party_missing(pl_rctx *c, const pl_rule *r)
{
    const pl_app_party *p[] = { &c->app->pledgor, &c->app->pledgee };
    const char *what[] = { N_("pledgor"), N_("pledgee") };
    for (int i = 0; i < 2; i++)
        if (!p[i]->present)
            pl_rule_emit(c, r, p[i]->path, "the %s is missing", pl_frag(what[i]));
}

static void party_type_missing(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->n_parties; i++) {
        const pl_app_party *p = c->parties[i].p;
        if (p->present && p->type == PL_PARTY_NONE)
            pl_rule_emit(c, r, p->type_path,
                         "the %s's type (organisation, person or foreign) is missing",
                         pl_frag(c->parties[i].role));
    }
}

static void party_name_missing(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->n_parties; i++) {
        const pl_app_party *p = c->parties[i].p;
        if (p->present && !p->name.text)
            pl_rule_emit(c, r, p->name.path, "the %s has no name", pl_frag(c->parties[i].role));
    }
}

/* A name that holds a character that shows nothing: the pledge would be
 * registered under a name no search by the name as shown finds. */
static void party_name_invisible(pl_rctx *c, const pl_rule *r)
{
    char which[16];
    for (size_t i = 0; i < c->n_parties; i++) {
        const pl_app_party *p = c->parties[i].p;
        if (p->present && p->name.text && pl_text_invisible(p->name.text, which))
            pl_rule_emit(c, r, p->name.path, "the %s's name holds %s, a character that shows "
                         "nothing: a search by the name as it is shown would not find it",
                         pl_frag(c->parties[i].role), which);
        else if (p->present && p->name.text && pl_text_mark_unattached(p->name.text, which))
            pl_rule_emit(c, r, p->name.path, "the %s's name holds %s, a combining mark with no "
                         "letter to sit on (at the start of the name or of a word): it shows "
                         "only as an accent over nothing",
                         pl_frag(c->parties[i].role), which);
    }
}

/* A name of punctuation, symbols or marks alone ("……", "***", "￥"): no
 * party is called that, and no search by name finds it (the name key of
 * such a name is empty). */
static void party_name_no_letter(pl_rctx *c, const pl_rule *r)
{
    char shown[PL_EXCERPT_MAX + 8];
    for (size_t i = 0; i < c->n_parties; i++) {
        const pl_app_party *p = c->parties[i].p;
        if (p->present && p->name.text && !pl_text_has_letter(p->name.text)) {
            pl_text_excerpt(shown, p->name.text);
            pl_rule_emit(c, r, p->name.path, "the %s's name '%s' has no letter or digit, only "
                         "punctuation, symbols or marks: give the name as on the identity "
                         "document", pl_frag(c->parties[i].role), shown);
        }
    }
}

static void party_id_missing(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->n_parties; i++) {
        const pl_app_party *p = c->parties[i].p;
        if (p->present && !p->id_raw)
            pl_rule_emit(c, r, p->id_path, "the %s has no identifier", pl_frag(c->parties[i].role));
    }
}

static void party_id_invalid(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->n_parties; i++) {
        const pl_app_party *p = c->parties[i].p;
        if (p->present && p->id_raw && !p->id_norm)
            pl_rule_emit(c, r, p->id_path, "the %s's identifier is invalid: %s",
                         pl_frag(c->parties[i].role), id_error_frag(p->id_error, p->id_error_local));
    }
}

/* A resident identity number of the right form whose address code is no
 * GB/T 2260 division the holder could have been registered in
 * (pl_ident_resident_region() says which codes and why). */
static void party_id_region_unknown(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->n_parties; i++) {
        const pl_app_party *p = c->parties[i].p;
        pl_err e = { 0, "" };
        if (p->present && p->id_norm && p->id_type == PLEDGER_ID_RESIDENT &&
            pl_ident_resident_region(&e, p->id_norm) != 0)
            pl_rule_emit(c, r, p->id_path, "the %s's %s", pl_frag(c->parties[i].role),
                         pl_frag_pair(e.msg, pl_err_text(&e)));
    }
}

/* A party's country that is no ISO 3166-1 alpha-2 code ("ZZ", "China",
 * "cn"): the register and the banks read the code. */
static void party_country_unknown(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->n_parties; i++) {
        const pl_app_party *p = c->parties[i].p;
        if (p->present && p->country.text && !pl_ident_country(p->country.text))
            pl_rule_emit(c, r, p->country.path,
                         "the %s's country '%s' is not an ISO 3166-1 two-letter code (CN, HK, "
                         "US...)", pl_frag(c->parties[i].role), p->country.text);
    }
}

/* Which identifier types fit which party type. */
static bool id_fits(pl_party_type t, pledger_id_type id)
{
    switch (t) {
    case PL_PARTY_ORGANISATION: return id == PLEDGER_ID_USCC;
    case PL_PARTY_PERSON: return id == PLEDGER_ID_RESIDENT || id == PLEDGER_ID_PASSPORT;
    case PL_PARTY_FOREIGN: return id == PLEDGER_ID_PASSPORT || id == PLEDGER_ID_FOREIGN_REG;
    case PL_PARTY_NONE: return true;
    }
    return true;
}

static void party_id_type_mismatch(pl_rctx *c, const pl_rule *r)
{
    static const char *const types[] = { "", N_("an organisation"), N_("a person"),
                                          N_("a foreign party") };
    static const char *const ids[] = {
        "", N_("a USCC"), N_("a resident identity number"), N_("a passport number"),
        N_("a foreign registration number"),
    };
    for (size_t i = 0; i < c->n_parties; i++) {
        const pl_app_party *p = c->parties[i].p;
        if (!p->present || !p->type || p->id_type < PLEDGER_ID_USCC ||
            p->id_type > PLEDGER_ID_FOREIGN_REG || id_fits(p->type, p->id_type))
            continue;
        pl_rule_emit(c, r, p->id_type_path, "the %s is %s but is identified by %s",
                     pl_frag(c->parties[i].role), pl_frag(types[p->type]), pl_frag(ids[p->id_type]));
    }
}

static void party_address_missing(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->n_parties; i++) {
        const pl_app_party *p = c->parties[i].p;
        if (c->parties[i].principal && p->present && !p->address.text)
            pl_rule_emit(c, r, p->address.path, "the %s's address is missing",
                         pl_frag(c->parties[i].role));
    }
}

/* Compared normalised when both identifiers are valid, else as typed
 * (folded): the same wrong number twice is still the same party. */
bool pl_rule_same_party(const pl_app_party *a, const pl_app_party *b)
{
    return a->id_norm && b->id_norm
               ? a->id_type == b->id_type && strcmp(a->id_norm, b->id_norm) == 0
               : a->present && b->present && a->id_type == b->id_type &&
                     pl_rule_same_text(a->id_raw, b->id_raw);
}

static void parties_identical(pl_rctx *c, const pl_rule *r)
{
    if (pl_rule_same_party(&c->app->pledgor, &c->app->pledgee))
        pl_rule_emit(c, r, c->app->pledgee.id_path, "the pledgee has the pledgor's identifier: a party "
                     "cannot take a pledge on its own right");
}

static void agent_required(pl_rctx *c, const pl_rule *r)
{
    const pl_app *a = c->app;
    const char *who = pl_rule_is_foreign(&a->pledgor) ? "pledgor"
                      : pl_rule_is_foreign(&a->pledgee) ? "pledgee" : NULL;
    if (who && !a->agent.present)
        pl_rule_emit(c, r, a->agent.path,
                     "the %s is foreign: a %s application must be filed through an agency",
                     pl_frag(who), pl_rule_kind_noun(a->kind));
}

static void agent_poa_missing(pl_rctx *c, const pl_rule *r)
{
    if (c->app->agent.present && !pl_rule_material(c->app, PL_MATERIAL_POWER_OF_ATTORNEY))
        pl_rule_emit(c, r, c->app->materials_path,
                     "an agent files: the power of attorney (material kind "
                     "power_of_attorney) is missing");
}

static void filing_joint_required(pl_rctx *c, const pl_rule *r)
{
    const pl_app_flag *j = &c->app->filing.joint;
    if (!j->has || !j->value)
        pl_rule_emit(c, r, j->path, "a %s application is filed jointly by the pledgor and the "
                     "pledgee: filing/joint must be true",
                     pl_rule_kind_noun(c->app->kind));
}

/* ---- rights -------------------------------------------------------------- */

static void rights_missing(pl_rctx *c, const pl_rule *r)
{
    if (c->app->n_rights == 0)
        pl_rule_emit(c, r, c->app->rights_path, "the application pledges no right");
}

static void right_id_missing(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_ident *id = pl_app_right_ident(&c->app->rights[i]);
        if (!id || id->raw)
            continue;
        /* equity is identified by its company's code, no "number" */
        if (c->app->rights[i].kind == PLEDGER_KIND_EQUITY)
            pl_rule_emit(c, r, id->path, "the company's unified social credit code is missing");
        else
            pl_rule_emit(c, r, id->path, "the %s number is missing",
                         pl_rule_right_word(c->app->rights[i].kind));
    }
}

static void right_id_invalid(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_ident *id = pl_app_right_ident(&c->app->rights[i]);
        if (!id || !id->raw || id->norm)
            continue;
        if (c->app->rights[i].kind == PLEDGER_KIND_EQUITY)
            pl_rule_emit(c, r, id->path, "the company's unified social credit code is "
                         "invalid: %s", id_error_frag(id->error, id->error_local));
        else
            pl_rule_emit(c, r, id->path, "the %s number is invalid: %s",
                         pl_rule_right_word(c->app->rights[i].kind),
                         id_error_frag(id->error, id->error_local));
    }
}

/* Two rights are the same when their keys are, or, when a number is
 * invalid (no key), when they were typed the same (folded). */
static bool same_right(const pl_app_right *x, const pl_app_right *y)
{
    const pl_app_ident *a, *b;
    if (x->key && y->key)
        return strcmp(x->key, y->key) == 0;
    a = pl_app_right_ident(x);
    b = pl_app_right_ident(y);
    return x->kind == y->kind && a && b && (!a->norm || !b->norm) &&
           pl_rule_same_text(a->raw, b->raw);
}

static void right_duplicate(pl_rctx *c, const pl_rule *r)
{
    const pl_app *a = c->app;
    for (size_t i = 0; i < a->n_rights; i++) {
        for (size_t j = 0; j < i; j++) {
            if (same_right(&a->rights[j], &a->rights[i])) {
                pl_rule_emit(c, r, a->rights[i].path, "the same right is listed twice (see %s)",
                             a->rights[j].path);
                break;
            }
        }
    }
}

typedef struct field_req {
    bool present;
    const char *path, *what;
} field_req;

/* The fields each kind's rights must fill in (the identifier and the
 * amounts have rules of their own). */
static void right_field_missing(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        field_req f[2];
        size_t n = 0;
        char debtors_path[256];

        switch (x->kind) {
        case PLEDGER_KIND_TRADEMARK:
            f[n++] = (field_req){ x->classes_raw != NULL, x->classes_path,
                                         N_("the Nice classes") };
            break;
        case PLEDGER_KIND_PATENT:
            f[n++] = (field_req){ x->patent_type != PL_PATENT_TYPE_NONE,
                                         x->patent_type_path, N_("the patent type") };
            f[n++] = (field_req){ x->filing_date.has, x->filing_date.path,
                                         N_("the filing date") };
            break;
        case PLEDGER_KIND_RECEIVABLE:
            snprintf(debtors_path, sizeof debtors_path, "%s/party", x->debtors_path);
            f[n++] = (field_req){ x->description.text != NULL, x->description.path,
                                         N_("the description") };
            f[n++] = (field_req){ x->n_debtors > 0, debtors_path, N_("the debtor") };
            break;
        case PLEDGER_KIND_EQUITY:
            f[n++] = (field_req){ x->company_name.text != NULL, x->company_name.path,
                                         N_("the company's name") };
            break;
        case PLEDGER_KIND_EMISSION:
            f[n++] = (field_req){ x->pollutant.text != NULL, x->pollutant.path,
                                         N_("the pollutant") };
            f[n++] = (field_req){ x->allowance.raw != NULL, x->allowance.path,
                                         N_("the allowance pledged") };
            break;
        case PLEDGER_KIND_SEA_AREA:
        case PLEDGER_KIND_LAND:
            f[n++] = (field_req){ x->location.text != NULL, x->location.path,
                                         N_("the location") };
            f[n++] = (field_req){ x->area.raw != NULL, x->area.path, N_("the area") };
            break;
        }
        for (size_t k = 0; k < n; k++)
            if (!f[k].present)
                pl_rule_emit(c, r, f[k].path, "missing: %s of the pledged %s",
                             pl_frag(f[k].what), pl_rule_kind_noun(x->kind));
    }
}

/* A pledged quantity of nothing: an allowance of 0 t, an area of 0 ha.
 * The schema takes only plain non-negative decimals ("0", "0.000"), so a
 * quantity is positive when a digit of it is not 0. */
static void quantity_not_positive(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const char *raw = NULL, *path = NULL, *what = NULL;
        if (x->kind == PLEDGER_KIND_EMISSION) {
            raw = x->allowance.raw;
            path = x->allowance.path;
            what = N_("the allowance pledged");
        } else if (x->kind == PLEDGER_KIND_SEA_AREA || x->kind == PLEDGER_KIND_LAND) {
            raw = x->area.raw;
            path = x->area.path;
            what = N_("the area");
        }
        if (raw && !strpbrk(raw, "123456789"))
            pl_rule_emit(c, r, path, "%s of the pledged %s is %s: a pledge of nothing",
                         pl_frag(what), pl_rule_kind_noun(x->kind), raw);
    }
}

/* The right's own dates, which the review reads as given when the
 * register does not know the right (the patent's term counts from its
 * filing date, RL_TERM_ENDS_IN_PERIOD and EM_PERMIT_ENDS_IN_PERIOD read
 * the end of the term): a term that ends before it starts, a patent
 * granted before it was filed, or filed after the day of the review.  The
 * register import refuses the same of its records. */
static void right_dates_inconsistent(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_app_date *from = NULL, *to = NULL;
        switch (x->kind) {
        case PLEDGER_KIND_PATENT: {
            const pl_app_date *f = &x->filing_date, *g = &x->grant_date;
            char today[11];
            if (f->valid && g->valid && g->days < f->days)
                pl_rule_emit(c, r, g->path, "the patent was granted on %s, before it was filed "
                             "(%s)", g->raw, f->raw);
            if (c->env && f->valid && f->days > c->env->today) {
                pl_date_format(c->env->today, today);
                pl_rule_emit(c, r, f->path, "the patent's filing date %s is after the day of the "
                             "review (%s)", f->raw, today);
            }
            continue;
        }
        case PLEDGER_KIND_EMISSION: from = &x->valid_from; to = &x->valid_to; break;
        case PLEDGER_KIND_SEA_AREA:
        case PLEDGER_KIND_LAND: from = &x->term_start; to = &x->term_end; break;
        default: continue;
        }
        if (from->valid && to->valid && to->days < from->days)
            pl_rule_emit(c, r, to->path, "the %s ends (%s) before it starts (%s)",
                         x->kind == PLEDGER_KIND_EMISSION ? pl_frag("validity of the permit")
                                                          : pl_frag("term of the use right"),
                         to->raw, from->raw);
    }
}

/* ---- claim, amounts, dates, period -------------------------------------------- */

static void claim_missing(pl_rctx *c, const pl_rule *r)
{
    if (!c->app->claim.present)
        pl_rule_emit(c, r, c->app->claim.path, "the secured claim is missing");
}

static void claim_type_missing(pl_rctx *c, const pl_rule *r)
{
    if (c->app->claim.present && c->app->claim.type == PL_CLAIM_NONE)
        pl_rule_emit(c, r, c->app->claim.type_path,
                     "the type of the secured claim (loan, credit_line, guarantee, other) "
                     "is missing");
}

typedef struct amount_item {
    const pl_app_amount *a;
    const char *what;
    bool required;
} amount_item;

/* Every amount of the document, in document order. */
static size_t amounts(const pl_app *a, amount_item *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n_rights && n < max; i++) {
        const pl_app_right *x = &a->rights[i];
        if (x->kind == PLEDGER_KIND_RECEIVABLE)
            out[n++] = (amount_item){ &x->amount, N_("amount of the receivable"), true };
        else if (x->kind == PLEDGER_KIND_EQUITY)
            out[n++] = (amount_item){ &x->capital, N_("pledged capital"), true };
    }
    if (a->claim.present && n < max)
        out[n++] = (amount_item){ &a->claim.amount, N_("secured amount"), true };
    if (a->valuation.present && n < max)
        out[n++] = (amount_item){ &a->valuation.value, N_("valuation"), true };
    return n;
}

typedef void (*amount_fn)(pl_rctx *c, const pl_rule *r, const amount_item *it);

static void each_amount(pl_rctx *c, const pl_rule *r, amount_fn fn)
{
    size_t max = c->app->n_rights + 2;
    amount_item *v = malloc(max * sizeof *v);
    if (!v) {
        pl_rule_fail(c, pl_err_oom(c->e));
        return;
    }
    size_t n = amounts(c->app, v, max);
    for (size_t i = 0; i < n; i++)
        fn(c, r, &v[i]);
    free(v);
}

static void amount_missing_1(pl_rctx *c, const pl_rule *r, const amount_item *it)
{
    if (it->required && !it->a->has)
        pl_rule_emit(c, r, it->a->path, "the %s is missing", pl_frag(it->what));
}

static void amount_not_positive_1(pl_rctx *c, const pl_rule *r, const amount_item *it)
{
    if (it->a->has && (!it->a->valid || it->a->minor <= 0))
        pl_rule_emit(c, r, it->a->path,
                     "the %s '%s' must be a positive whole number of minor units",
                     pl_frag(it->what),
                     it->a->raw ? it->a->raw : "");
}

static void currency_unknown_1(pl_rctx *c, const pl_rule *r, const amount_item *it)
{
    if (!it->a->has)
        return;
    if (!it->a->currency)
        pl_rule_emit(c, r, it->a->currency_path, "the currency of the %s is missing",
                     pl_frag(it->what));
    else if (pl_currency_digits(it->a->currency) < 0)
        pl_rule_emit(c, r, it->a->currency_path,
                     "the currency '%s' of the %s is not an ISO 4217 code pledger knows",
                     it->a->currency, pl_frag(it->what));
}

static void amount_missing(pl_rctx *c, const pl_rule *r) { each_amount(c, r, amount_missing_1); }

static void amount_not_positive(pl_rctx *c, const pl_rule *r)
{
    each_amount(c, r, amount_not_positive_1);
}

static void currency_unknown(pl_rctx *c, const pl_rule *r)
{
    each_amount(c, r, currency_unknown_1);
}

static void check_date(pl_rctx *c, const pl_rule *r, const pl_app_date *d)
{
    if (d->has && !d->valid)
        pl_rule_emit(c, r, d->path, "'%s' is not a date pledger accepts (YYYY-MM-DD, "
                     "years 1900 to 9999)", d->raw ? d->raw : "");
}

static void date_invalid(pl_rctx *c, const pl_rule *r)
{
    const pl_app *a = c->app;
    for (size_t i = 0; i < a->n_rights; i++) {
        const pl_app_right *x = &a->rights[i];
        const pl_app_date *d[] = { &x->filing_date, &x->grant_date, &x->due_date,
                                   &x->valid_from, &x->valid_to, &x->term_start,
                                   &x->term_end };
        for (size_t k = 0; k < sizeof d / sizeof d[0]; k++)
            check_date(c, r, d[k]);
    }
    check_date(c, r, &a->claim.performance_start);
    check_date(c, r, &a->claim.performance_end);
    check_date(c, r, &a->period.start);
    check_date(c, r, &a->period.end);
    check_date(c, r, &a->contract.date);
    check_date(c, r, &a->valuation.date);
}

static void claim_deadline_missing(pl_rctx *c, const pl_rule *r)
{
    if (c->app->claim.present && !c->app->claim.performance_end.has)
        pl_rule_emit(c, r, c->app->claim.performance_end.path,
                     "the debtor's performance deadline is missing");
}

static void claim_period_inverted(pl_rctx *c, const pl_rule *r)
{
    const pl_app_date *s = &c->app->claim.performance_start, *e = &c->app->claim.performance_end;
    if (s->valid && e->valid && s->days > e->days)
        pl_rule_emit(c, r, e->path, "the debt's performance period ends (%s) before it "
                     "starts (%s)", e->raw, s->raw);
}

static void period_missing(pl_rctx *c, const pl_rule *r)
{
    const pl_app_date *d[] = { &c->app->period.start, &c->app->period.end };
    const char *what[] = { N_("start"), N_("end") };
    for (int i = 0; i < 2; i++)
        if (!d[i]->has)
            pl_rule_emit(c, r, d[i]->path, "the %s of the registration period is missing",
                         pl_frag(what[i]));
}

static void period_inverted(pl_rctx *c, const pl_rule *r)
{
    const pl_app_period *p = &c->app->period;
    if (p->start.valid && p->end.valid && p->start.days > p->end.days)
        pl_rule_emit(c, r, p->end.path,
                     "the registration period ends (%s) before it starts (%s)", p->end.raw,
                     p->start.raw);
}

/* A registration period that ended before the day of the review: the
 * pledge would be expired the moment it was registered, which the
 * registration refuses (workflow/app-flow.c); said here, where the
 * applicant can still correct it, not at the registrar's desk. */
static void period_ended(pl_rctx *c, const pl_rule *r)
{
    const pl_app_date *d = &c->app->period.end;
    char today[11];

    if (!c->env || !d->valid || d->days >= c->env->today)
        return;
    pl_date_format(c->env->today, today);
    pl_rule_emit(c, r, d->path, "the registration period ended on %s, before the day of the "
                 "review (%s): the pledge would be expired as soon as registered", d->raw,
                 today);
}

/* The registration period and the debt's performance period do not
 * overlap at all.  Each comparison on its own two dates: an inverted
 * period (PERIOD_INVERTED) or debt (CLAIM_PERIOD_INVERTED) still has
 * dates to compare. */
static void period_before_debt(pl_rctx *c, const pl_rule *r)
{
    const pl_app_period *p = &c->app->period;
    const pl_app_claim *cl = &c->app->claim;
    if (p->end.valid && cl->performance_start.valid &&
        p->end.days < cl->performance_start.days)
        pl_rule_emit(c, r, p->end.path, "the registration period ends (%s) before the debt's "
                     "performance period starts (%s)", p->end.raw,
                     cl->performance_start.raw);
    if (p->start.valid && cl->performance_end.valid &&
        p->start.days > cl->performance_end.days)
        pl_rule_emit(c, r, p->start.path, "the registration period starts (%s) after the "
                     "debtor's performance deadline (%s)", p->start.raw,
                     cl->performance_end.raw);
}

static void period_not_covering_debt(pl_rctx *c, const pl_rule *r)
{
    const pl_app_period *p = &c->app->period;
    const pl_app_claim *cl = &c->app->claim;
    const pl_app_date *ps = &cl->performance_start, *pe = &cl->performance_end;
    /* an end before the debt starts, a start after it ends: PERIOD_BEFORE_DEBT's */
    if (p->end.valid && pe->valid && p->end.days < pe->days &&
        !(ps->valid && p->end.days < ps->days))
        pl_rule_emit(c, r, p->end.path, "the registration period ends (%s) before the "
                     "debtor's performance deadline (%s): the pledge lapses while the debt "
                     "runs", p->end.raw, pe->raw);
    if (p->start.valid && ps->valid && p->start.days > ps->days &&
        !(pe->valid && p->start.days > pe->days))
        pl_rule_emit(c, r, p->start.path, "the registration period starts (%s) after the "
                     "debt's performance period starts (%s): the debt runs unsecured until then",
                     p->start.raw, ps->raw);
}

/* ---- the pledge contract ---------------------------------------------------------- */

static void contract_missing(pl_rctx *c, const pl_rule *r)
{
    if (!c->app->contract.present)
        pl_rule_emit(c, r, c->app->contract.path, "the pledge contract is not described");
}

/* A contract dated after the day of the review is not yet made: the
 * register records a pledge on a contract signed, not on one to come. */
static void contract_date_future(pl_rctx *c, const pl_rule *r)
{
    const pl_app_date *d = &c->app->contract.date;
    char today[11];

    if (!c->env || !d->valid || d->days <= c->env->today)
        return;
    pl_date_format(c->env->today, today);
    pl_rule_emit(c, r, d->path, "the pledge contract is dated %s, after the day of the review "
                 "(%s): a contract not yet made cannot be registered", d->raw, today);
}

static void contract_clauses_missing(pl_rctx *c, const pl_rule *r)
{
    static const char *const names[] = { N_("parties"), N_("addresses"), N_("claim"),
                                         N_("deadline"), N_("rights"), N_("scope") };
    const pl_app_contract *k = &c->app->contract;
    char missing[128] = "", local[512] = "";
    size_t len = 0, llen = 0;

    if (!k->present || (k->clauses & PL_CLAUSE_ALL) == PL_CLAUSE_ALL)
        return;
    for (unsigned i = 0; i < 6; i++)
        if (!(k->clauses & (1u << i))) {
            len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%s",
                                    len ? ", " : "", names[i]);
            llen += (size_t)snprintf(local + llen, sizeof local - llen, "%s%s",
                                     llen ? pl_tr(", ") : "", pl_tr(names[i]));
        }
    pl_rule_emit(c, r, k->clauses_path, "the pledge contract does not name: %s",
                 pl_frag_pair(missing, local));
}

/* ---- materials ----------------------------------------------------------------------- */

enum { WHEN_ALWAYS, WHEN_CO_OWNED, WHEN_VALUED };

/* What each kind must submit (README "The one-pass review"; the power of
 * attorney is AGENT_POA_MISSING's). */
typedef struct material_req {
    unsigned kinds;
    pl_material_kind material;
    int when;
    const char *what;
} material_req;

static const material_req required_materials[] = {
    { PL_K_TM | PL_K_PT | PL_K_EQ | PL_K_EM | PL_K_SA | PL_K_LD, PL_MATERIAL_APPLICATION_FORM,
      WHEN_ALWAYS, N_("the application form") },
    { PL_K_TM, PL_MATERIAL_COMMITMENT_LETTER, WHEN_ALWAYS, N_("the commitment letter") },
    { PL_K_TM | PL_K_SA | PL_K_LD, PL_MATERIAL_MAIN_CONTRACT, WHEN_ALWAYS,
      N_("the main (loan) contract") },
    { PL_K_ALL, PL_MATERIAL_PLEDGE_CONTRACT, WHEN_ALWAYS, N_("the pledge contract") },
    { PL_K_TM | PL_K_PT | PL_K_EQ | PL_K_EM | PL_K_SA | PL_K_LD, PL_MATERIAL_IDENTITY,
      WHEN_ALWAYS, N_("the identity documents of the parties") },
    { PL_K_TM | PL_K_PT | PL_K_EM | PL_K_SA | PL_K_LD, PL_MATERIAL_CONSENT, WHEN_CO_OWNED,
      N_("the consent of the co-owners") },
    { PL_K_PT, PL_MATERIAL_EVALUATION_REPORT, WHEN_VALUED,
      N_("the evaluation report (the patent was valued)") },
};

/* A right is co-owned: the document names co-owners, or the register
 * lists more than one owner. */
static bool co_owned(const pl_rctx *c)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        if (c->app->rights[i].n_co_owners)
            return true;
        if (c->refs[i].state == PL_RREF_FOUND && c->refs[i].right &&
            c->refs[i].right->n_owners > 1)
            return true;
    }
    return false;
}

static void material_missing(pl_rctx *c, const pl_rule *r)
{
    unsigned bit = PL_KBIT(c->app->kind);
    for (size_t i = 0; i < sizeof required_materials / sizeof required_materials[0]; i++) {
        const material_req *m = &required_materials[i];
        if (!(m->kinds & bit) || pl_rule_material(c->app, m->material))
            continue;
        if ((m->when == WHEN_CO_OWNED && !co_owned(c)) ||
            (m->when == WHEN_VALUED && !c->app->valuation.present))
            continue;
        pl_rule_emit(c, r, c->app->materials_path,
                     "a required material is missing: %s (material kind %s)",
                     pl_frag(m->what), pl_material_kind_name(m->material));
    }
}

static void material_incomplete(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_materials; i++) {
        const pl_app_material *m = &c->app->materials[i];
        if (m->kind == PL_MATERIAL_NONE)
            pl_rule_emit(c, r, m->kind_path, "the kind of the material is missing");
        if (!m->file_name.text)
            pl_rule_emit(c, r, m->file_name.path, "the file name of the material is missing");
        if (!m->has_size)
            pl_rule_emit(c, r, m->size_path, "the size of the material is missing");
        else if (m->size == 0)   /* the schema takes no negative size */
            pl_rule_emit(c, r, m->size_path, "the material %s is an empty file (0 bytes): "
                         "attach the document itself",
                         m->file_name.text ? m->file_name.text : "");
    }
}

static void material_digest_missing(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_materials; i++) {
        const pl_app_material *m = &c->app->materials[i];
        if (!m->sha256.text)
            pl_rule_emit(c, r, m->sha256.path, "the SHA-256 digest of the material %s is "
                         "missing", m->file_name.text ? m->file_name.text : "");
    }
}

static void translation_missing(pl_rctx *c, const pl_rule *r)
{
    const pl_app *a = c->app;
    const pl_app_material *t = NULL;

    for (size_t i = 0; i < a->n_materials && !t; i++)
        if (a->materials[i].kind == PL_MATERIAL_TRANSLATION &&
            (!a->materials[i].language.text || pl_rule_is_chinese(a->materials[i].language.text)))
            t = &a->materials[i];
    if (t)
        return;
    if (a->contract.language.text && !pl_rule_is_chinese(a->contract.language.text))
        pl_rule_emit(c, r, a->contract.language.path,
                     "the pledge contract is in '%s' and no Chinese translation (material "
                     "kind translation) is attached", a->contract.language.text);
    for (size_t i = 0; i < a->n_materials; i++) {
        const pl_app_material *m = &a->materials[i];
        if (m->kind != PL_MATERIAL_TRANSLATION && m->language.text &&
            !pl_rule_is_chinese(m->language.text))
            pl_rule_emit(c, r, m->language.path,
                         "the material %s is in '%s' and no Chinese translation (material "
                         "kind translation) is attached",
                         m->file_name.text ? m->file_name.text : "", m->language.text);
    }
}

/* ---- what the registry holds --------------------------------------------------------- */

static void right_already_pledged(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights && !c->rc; i++) {
        const pl_app_right *x = &c->app->rights[i];
        pl_rpledges p;
        int rc;
        if (!x->key)
            continue;
        if ((rc = pl_rule_pledges_on(c, x->kind, x->key, 0, 1, &p))) {
            pl_rule_fail(c, rc);
            return;
        }
        if (p.total)
            pl_rule_emit(c, r, pl_rule_right_path(x),
                         "%s %s is already pledged (registration %s, %s): it can be pledged "
                         "again only once that pledge ends", pl_rule_right_word(x->kind),
                         pl_rule_right_id(x), p.v[0].number, pl_frag_ctx("state", pl_pledge_state_name(p.v[0].state)));
        pl_rpledges_clear(&p);
    }
}

/* The pending applications on a right: none, one or more (counted up to
 * two), and the first of them in words. */
typedef struct {
    int n;
    char *first;
} pending_acc;

static int pending_add(void *arg, pl_err *e, const char *acc, const char *uuid, int state)
{
    pending_acc *p = arg;

    if (p->n++ == 0) {
        /* no fixed buffer: an acceptance number is as long as its template */
        if (asprintf(&p->first, "application %s (%s%s)", acc ? acc : uuid,
                     pl_app_state_name(state), acc ? "" : ", not yet accepted") < 0) {
            p->first = NULL;
            return pl_err_oom(e);
        }
    }
    /* the finding names the first and says whether there are others:
     * reading more would make each review grow with those before it */
    return p->n >= 2 ? 1 : 0;
}

static void right_pending_application(pl_rctx *c, const pl_rule *r)
{
    bool several = pl_kind(c->app->kind)->several_pledges;
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        pending_acc p = { 0, NULL };
        bool have;
        int rc;
        if (!x->key)
            continue;
        /* in a bulk filing, read once for the batch (review.h) */
        if ((rc = pl_rule_pending_get(c, c->app->kind, x->key, &have, &p.n, &p.first)) ||
            (!have && ((rc = PL_OPS(c->db, review)->applications_on_right(
                            c->db, c->e, c->app->kind, x->key,
                            c->env ? c->env->application_id : 0, pending_add, &p)) ||
                       (rc = pl_rule_pending_keep(c, c->app->kind, x->key, p.n, p.first))))) {
            free(p.first);
            pl_rule_fail(c, rc);
            return;
        }
        if (p.n)
            pl_rule_emit(c, r, pl_rule_right_path(x),
                         "%s %s is also named by %s%s; %s", pl_rule_right_word(x->kind),
                         pl_rule_right_id(x), p.first,
                         p.n > 1 ? pl_frag(" and other pending applications") : "",
                         several ? pl_frag("the pledges will rank in the order they are registered")
                                 : pl_frag("only the first of them to reach registration can be "
                                   "registered; the right is then pledged and the others are "
                                   "refused"));
        free(p.first);
    }
}

/* ---- the table ------------------------------------------------------------------------ */

#define NOT_RC (PL_K_ALL & ~PL_K_RC)
#define B PLEDGER_SEVERITY_BLOCKING
#define C PLEDGER_SEVERITY_CORRECTABLE
#define N PLEDGER_SEVERITY_NOTICE

const pl_rule pl_rules_common[] = {
    { "PARTY_MISSING", B, PL_K_ALL, N_("The pledgor or the pledgee is missing."), B_PARTIES,
      party_missing },
    { "PARTY_TYPE_MISSING", C, PL_K_ALL,
      N_("A party does not say whether it is an organisation, a person or foreign."), B_PARTIES,
      party_type_missing },
    { "PARTY_NAME_MISSING", C, PL_K_ALL, N_("A party has no name."), B_PARTIES,
      party_name_missing },
    { "PARTY_NAME_INVISIBLE", C, PL_K_ALL,
      N_("A party's name holds a character that shows nothing (a format or bidirectional "
         "control, a soft hyphen, a filler) or not as itself (a control character, a line "
         "separator, a noncharacter), or a combining mark that no letter carries."),
      B_PARTIES, party_name_invisible },
    { "PARTY_NAME_NO_LETTER", C, PL_K_ALL,
      N_("A party's name has no letter or digit: only punctuation, symbols or marks."),
      B_PARTIES, party_name_no_letter },
    { "PARTY_ID_MISSING", C, PL_K_ALL, N_("A party has no identifier."), B_PARTIES,
      party_id_missing },
    { "PARTY_ID_INVALID", C, PL_K_ALL,
      N_("A party's identifier fails its check (check digit, birth date, format, type)."), B_IDS,
      party_id_invalid },
    { "PARTY_ID_REGION_UNKNOWN", C, PL_K_ALL,
      "A resident identity number's address code is no GB/T 2260 division: no such "
      "province, in no edition, or retired before the holder was born.",
      "GB 11643-1999 (the address code), GB/T 2260 (administrative division codes)",
      party_id_region_unknown },
    { "PARTY_ID_TYPE_MISMATCH", C, PL_K_ALL,
      N_("A party's identifier does not fit its type (an organisation needs a USCC)."), B_IDS,
      party_id_type_mismatch },
    { "PARTY_COUNTRY_UNKNOWN", C, PL_K_ALL,
      N_("A party's country is not an ISO 3166-1 two-letter code."),
      N_("ISO 3166-1 (country codes)"), party_country_unknown },
    { "PARTY_ADDRESS_MISSING", C, PL_K_ALL,
      N_("The pledgor's or the pledgee's address is missing."), B_CONTRACT,
      party_address_missing },
    { "PARTIES_IDENTICAL", B, PL_K_ALL, N_("The pledgor and the pledgee are the same party."),
      B_PARTIES, parties_identical },
    { "AGENT_REQUIRED", C, PL_K_TM | PL_K_PT,
      N_("A foreign pledgor or pledgee files without an agency."), B_AGENT, agent_required },
    { "AGENT_POA_MISSING", C, PL_K_ALL, N_("An agent files without a power of attorney."), B_POA,
      agent_poa_missing },
    { "FILING_JOINT_REQUIRED", C, NOT_RC,
      N_("The application is not filed jointly by the pledgor and the pledgee."), B_JOINT,
      filing_joint_required },
    { "RIGHTS_MISSING", B, PL_K_ALL, N_("The application pledges no right."), B_RIGHTS,
      rights_missing },
    { "RIGHT_ID_MISSING", C, PL_K_ALL & ~PL_K_RC,
      N_("A right has no number (registration, patent, company, permit or certificate)."),
      B_RIGHTS, right_id_missing },
    { "RIGHT_ID_INVALID", C, PL_K_ALL & ~PL_K_RC,
      N_("A right's number fails its check (check digit, format)."), B_RIGHTS,
      right_id_invalid },
    { "RIGHT_DUPLICATE", C, PL_K_ALL, N_("The same right is listed twice."), B_RIGHTS,
      right_duplicate },
    { "RIGHT_FIELD_MISSING", C, PL_K_ALL,
      N_("A field the kind needs to describe the right is missing (classes, patent type, "
      "description, debtor, company, pollutant, allowance, location, area)."), B_RIGHTS,
      right_field_missing },
    { "QUANTITY_NOT_POSITIVE", C, PL_K_EM | PL_K_SA | PL_K_LD,
      N_("The allowance or the area pledged is zero."), B_RIGHTS, quantity_not_positive },
    { "RIGHT_DATES_INCONSISTENT", C, PL_K_PT | PL_K_EM | PL_K_SA | PL_K_LD,
      N_("The right's own dates are impossible: a permit's validity or a use right's term "
      "ends before it starts, a patent is granted before it was filed or filed after the day "
      "of the review."), B_DATES, right_dates_inconsistent },
    { "CLAIM_MISSING", B, PL_K_ALL, N_("The secured claim is missing."), B_CLAIM, claim_missing },
    { "CLAIM_TYPE_MISSING", C, PL_K_ALL, N_("The type of the secured claim is missing."), B_CLAIM,
      claim_type_missing },
    { "AMOUNT_MISSING", C, PL_K_ALL,
      N_("An amount is missing (secured amount, receivable, pledged capital, valuation)."),
      B_CLAIM, amount_missing },
    { "AMOUNT_NOT_POSITIVE", C, PL_K_ALL, N_("An amount is zero."), B_CLAIM,
      amount_not_positive },
    { "CURRENCY_UNKNOWN", C, PL_K_ALL, N_("An amount has no currency or an unknown one."),
      B_CLAIM, currency_unknown },
    { "DATE_INVALID", C, PL_K_ALL, N_("A date is outside the years 1900 to 9999."), B_DATES,
      date_invalid },
    { "CLAIM_DEADLINE_MISSING", C, PL_K_ALL, N_("The debtor's performance deadline is missing."),
      B_CLAIM, claim_deadline_missing },
    { "CLAIM_PERIOD_INVERTED", C, PL_K_ALL,
      N_("The debt's performance period ends before it starts."), B_CLAIM,
      claim_period_inverted },
    { "PERIOD_MISSING", C, PL_K_ALL,
      N_("The start or the end of the registration period is missing."), B_PERIOD,
      period_missing },
    { "PERIOD_INVERTED", C, PL_K_ALL, N_("The registration period ends before it starts."),
      B_PERIOD, period_inverted },
    { "PERIOD_ENDED", C, PL_K_ALL,
      N_("The registration period ended before the day of the review."), B_PERIOD,
      period_ended },
    { "PERIOD_BEFORE_DEBT", C, PL_K_ALL,
      N_("The registration period and the debt's performance period do not overlap."), B_PERIOD,
      period_before_debt },
    { "PERIOD_NOT_COVERING_DEBT", N, PL_K_ALL,
      N_("The registration period does not cover the whole performance period of the debt."),
      B_PERIOD, period_not_covering_debt },
    { "CONTRACT_MISSING", C, PL_K_ALL, N_("The pledge contract is not described."), B_CONTRACT,
      contract_missing },
    { "CONTRACT_DATE_FUTURE", C, PL_K_ALL,
      N_("The pledge contract is dated after the day of the review."), B_CONTRACT,
      contract_date_future },
    { "CONTRACT_CLAUSES_MISSING", C, PL_K_ALL,
      N_("The pledge contract does not name all of: parties, addresses, claim, deadline, "
      "rights, scope."), B_CONTRACT, contract_clauses_missing },
    { "MATERIAL_MISSING", C, PL_K_ALL, N_("A material the kind requires is missing."),
      B_MATERIALS, material_missing },
    { "MATERIAL_INCOMPLETE", C, PL_K_ALL,
      N_("A material has no kind, file name or size, or is an empty file."),
      B_MATERIALS, material_incomplete },
    { "MATERIAL_DIGEST_MISSING", C, PL_K_ALL, N_("A material has no SHA-256 digest."),
      B_MATERIALS, material_digest_missing },
    { "TRANSLATION_MISSING", C, PL_K_ALL,
      N_("A document is not in Chinese and no Chinese translation is attached."), B_LANGUAGE,
      translation_missing },
    { "RIGHT_ALREADY_PLEDGED", B, NOT_RC,
      N_("The right is already pledged in this registry (one pledge at a time)."), B_ONE_PLEDGE,
      right_already_pledged },
    { "RIGHT_PENDING_APPLICATION", N, PL_K_ALL,
      N_("Another pending application names the same right."), B_PENDING,
      right_pending_application },
};
const size_t pl_rules_common_n = sizeof pl_rules_common / sizeof pl_rules_common[0];
