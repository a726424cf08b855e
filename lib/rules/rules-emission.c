/* Pollutant discharge rights (docs/domain.md §4.7): the permit is
 * on the register in the pledgor's name, in force for the whole period and
 * not seized (rules-register.c); here, what is pledged fits the permit:
 * a permitted pollutant (by its name, its abbreviation or its formula:
 * "化学需氧量" is "COD"), at most the permitted allowance, the permit's
 * dates as recorded. */
#include <string.h>

#include "base/date.h"
#include "base/micro.h"
#include "rules/rules.h"
#include "base/i18n.h"

static const char B_PERMIT[] =
    N_("discharge right pledge measures: the pledged allowance is part of the permit");
static const char B_TERM[] =
    N_("discharge right pledge measures: the permit in force for the whole period");

static const pl_ref_certificate *permit(const pl_rctx *c, size_t i)
{
    return c->refs[i].state == PL_RREF_FOUND ? &c->refs[i].cert : NULL;
}

/* The names a discharge permit and an applicant give the same pollutant:
 * the Chinese name, the abbreviation of the permits and the monitoring
 * standards (HJ 942), the formula; compared as pl_rule_same_text (full
 * width and ASCII case do not matter: "ＣＯＤ", "cod"). */
static const char *const synonyms[][4] = {
    { "化学需氧量", "COD", "CODcr", "CODCr" },
    { "氨氮", "NH3-N", "NH3N", "氨氮（NH3-N）" },
    { "总磷", "TP", NULL, NULL },
    { "总氮", "TN", NULL, NULL },
    { "五日生化需氧量", "BOD5", NULL, NULL },
    { "二氧化硫", "SO2", NULL, NULL },
    { "氮氧化物", "NOx", NULL, NULL },
    { "颗粒物", "PM", NULL, NULL },
    { "挥发性有机物", "VOCs", "VOC", NULL },
};

static int synonym_group(const char *name)
{
    for (size_t g = 0; g < sizeof synonyms / sizeof synonyms[0]; g++)
        for (size_t k = 0; k < 4 && synonyms[g][k]; k++)
            if (pl_rule_same_text(synonyms[g][k], name))
                return (int)g;
    return -1;
}

static bool same_pollutant(const char *a, const char *b)
{
    int g;
    if (pl_rule_same_text(a, b))
        return true;
    g = a && b ? synonym_group(a) : -1;
    return g >= 0 && g == synonym_group(b);
}

/* The names of one unit of an allowance: the symbol and the Chinese
 * words ("吨" is "t"), compared as pl_rule_same_text. */
static const char *const unit_names[][4] = {
    { "t", "吨", "tonne", "tonnes" },
    { "kg", "千克", "公斤", NULL },
    { "g", "克", NULL, NULL },
    { "m3", "立方米", "m³", NULL },
};

static bool same_unit(const char *a, const char *b)
{
    if (pl_rule_same_text(a, b))
        return true;
    for (size_t g = 0; a && b && g < sizeof unit_names / sizeof unit_names[0]; g++) {
        bool ia = false, ib = false;
        for (size_t k = 0; k < 4 && unit_names[g][k]; k++) {
            ia |= pl_rule_same_text(unit_names[g][k], a);
            ib |= pl_rule_same_text(unit_names[g][k], b);
        }
        if (ia && ib)
            return true;
    }
    return false;
}

static const pl_ref_allowance *allowance_of(const pl_ref_certificate *p, const char *pollutant)
{
    for (size_t k = 0; p && pollutant && k < p->n_allowances; k++)
        if (same_pollutant(p->allowances[k].pollutant, pollutant))
            return &p->allowances[k];
    return NULL;
}

static void em_pollutant_not_permitted(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_certificate *p = permit(c, i);
        if (p && p->n_allowances && x->pollutant.text && !allowance_of(p, x->pollutant.text))
            pl_rule_emit(c, r, x->pollutant.path, "discharge permit %s allows no '%s'",
                         p->r.number, x->pollutant.text);
    }
}

static void em_allowance_exceeds(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_allowance *a = allowance_of(permit(c, i), x->pollutant.text);
        int64_t want = 0;
        /* a quantity beyond millionths in 64 bits (PL_MICRO_HUGE) is more
         * than any permit allows: the schema bounds none */
        pl_micro_rc q = x->allowance.raw ? pl_micro_parse(x->allowance.raw,
                                                          strlen(x->allowance.raw), &want, NULL)
                                         : PL_MICRO_BAD;
        /* without a unit, or in another: EM_DETAILS_DIFFER says so */
        if (!a || q == PL_MICRO_BAD || !x->allowance.unit ||
            !same_unit(x->allowance.unit, a->unit) ||
            (q == PL_MICRO_OK && want <= a->amount_micro))
            continue;
        pl_rule_emit(c, r, x->allowance.path,
                     "the pledged allowance %s %s of %s exceeds the permit's %lld.%06lld %s",
                     x->allowance.raw, x->allowance.unit, a->pollutant,
                     (long long)(a->amount_micro / 1000000),
                     (long long)(a->amount_micro % 1000000), a->unit);
    }
}

static void date_differs(pl_rctx *c, const pl_rule *r, const pl_app_date *d, int32_t want,
                         const char *number, const char *what)
{
    char s[11];
    if (!d->valid || want == PL_REF_NO_DATE || d->days == want)
        return;
    pl_date_format(want, s);
    pl_rule_emit(c, r, d->path, "discharge permit %s is %s %s on the register, not %s", number,
                 pl_frag(what), s, d->raw);
}

static void em_details_differ(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_certificate *p = permit(c, i);
        const pl_ref_allowance *a = allowance_of(p, x->pollutant.text);
        if (!p)
            continue;
        date_differs(c, r, &x->valid_from, p->r.valid_from, p->r.number, N_("valid from"));
        date_differs(c, r, &x->valid_to, p->r.valid_to, p->r.number, N_("valid until"));
        if (a && x->allowance.unit && *x->allowance.unit &&
            !same_unit(x->allowance.unit, a->unit))
            pl_rule_emit(c, r, x->allowance.unit_path,
                         "the allowance of %s is counted in '%s' on discharge permit %s, not "
                         "'%s'", a->pollutant, a->unit, p->r.number, x->allowance.unit);
        else if (a && x->allowance.raw && (!x->allowance.unit || !*x->allowance.unit))
            /* a quantity without its unit cannot be held to the permit's */
            pl_rule_emit(c, r, x->allowance.unit_path ? x->allowance.unit_path
                                                      : x->allowance.path,
                         "the allowance pledged has no unit; discharge permit %s counts %s in "
                         "'%s'", p->r.number, a->pollutant, a->unit);
    }
}

/* Without the register's word, the document's own dates. */
static void em_permit_ends_in_period(pl_rctx *c, const pl_rule *r)
{
    const pl_app_date *end = &c->app->period.end;
    for (size_t i = 0; i < c->app->n_rights && end->valid; i++) {
        const pl_app_right *x = &c->app->rights[i];
        if (c->refs[i].state != PL_RREF_FOUND && x->valid_to.valid &&
            x->valid_to.days < end->days)
            pl_rule_emit(c, r, x->valid_to.path, "the discharge permit is valid until %s, "
                         "before the end of the registration period (%s)", x->valid_to.raw,
                         end->raw);
    }
}

#define B PLEDGER_SEVERITY_BLOCKING
#define C PLEDGER_SEVERITY_CORRECTABLE

const pl_rule pl_rules_emission[] = {
    { "EM_POLLUTANT_NOT_PERMITTED", C, PL_K_EM,
      N_("The pledged pollutant is not one the permit allows."), B_PERMIT,
      em_pollutant_not_permitted, PL_RECHECK },
    { "EM_ALLOWANCE_EXCEEDS", B, PL_K_EM,
      N_("The pledged allowance exceeds the permit's allowance of the pollutant."), B_PERMIT,
      em_allowance_exceeds, PL_RECHECK },
    { "EM_DETAILS_DIFFER", C, PL_K_EM,
      N_("The permit's dates or the allowance's unit differ from the register."), B_PERMIT,
      em_details_differ, PL_RECHECK },
    { "EM_PERMIT_ENDS_IN_PERIOD", C, PL_K_EM,
      N_("The permit's validity stated in the application ends before the registration period "
      "(when the register does not know the permit)."), B_TERM, em_permit_ends_in_period },
};
const size_t pl_rules_emission_n = sizeof pl_rules_emission / sizeof pl_rules_emission[0];
