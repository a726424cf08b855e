/* Sea-area use rights and rural land management rights, mortgaged
 * (docs/domain.md §4.8): the certificate is on the
 * register in the pledgor's name, in force for the whole period and not
 * seized (rules-register.c); here, the term as the certificate records
 * it, and the area pledged at most the area it records, compared in one
 * unit (亩, 公顷, 平方米 ...: base/area.h). */
#include <string.h>

#include "base/area.h"
#include "base/micro.h"
#include "base/date.h"
#include "model/kinds.h"
#include "rules/rules.h"
#include "base/i18n.h"

static const char B_TERM[] =
    N_("real-right registration rules: the mortgage lasts at most the term of the use right");
static const char B_DETAILS[] = N_("real-right registration rules: the right as recorded");

static void rl_details_differ(pl_rctx *c, const pl_rule *r)
{
    char want[11];
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_certificate *p = c->refs[i].state == PL_RREF_FOUND ? &c->refs[i].cert
                                                                       : NULL;
        const pl_app_date *d[] = { &x->term_start, &x->term_end };
        const char *what[] = { N_("starts"), N_("ends") };
        if (!p)
            continue;
        for (int k = 0; k < 2; k++) {
            int32_t v = k ? p->r.valid_to : p->r.valid_from;
            if (!d[k]->valid || v == PL_REF_NO_DATE || v == d[k]->days)
                continue;
            pl_date_format(v, want);
            pl_rule_emit(c, r, d[k]->path, "the term of %s %s %s on %s on the register, not %s",
                         pl_rule_right_word(x->kind), p->r.number, pl_frag(what[k]), want,
                         d[k]->raw);
        }
    }
}

static const char B_AREA[] =
    N_("real-right registration rules: the mortgage covers at most the area of the use right");

/* The area the register records for the certificate of right @i, or NULL. */
static const pl_ref_allowance *registered_area(const pl_rctx *c, size_t i)
{
    const pl_ref_certificate *p = c->refs[i].state == PL_RREF_FOUND ? &c->refs[i].cert : NULL;
    for (size_t k = 0; p && k < p->n_allowances; k++)
        if (strcmp(p->allowances[k].pollutant, PL_REF_AREA) == 0)
            return &p->allowances[k];
    return NULL;
}

/* An area without a unit, or in one the registry does not know, cannot
 * be held to the certificate's: said, naming the unit's field. */
static void rl_area_unit_unknown(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_measure *a = &c->app->rights[i].area;
        if (!a->raw)
            continue;
        if (!a->unit || !*a->unit)
            pl_rule_emit(c, r, a->unit_path ? a->unit_path : a->path,
                         "the area %s has no unit: give one of %s", a->raw,
                         pl_area_units_known);
        else if (pl_area_unit_of(a->unit) == PL_AREA_NONE)
            pl_rule_emit(c, r, a->unit_path, "'%s' is not a unit of area the registry knows: "
                         "give one of %s", a->unit, pl_area_units_known);
    }
}

/* The area pledged, converted, larger than the certificate's (more than
 * half a unit of its last written decimal: "666.67 m2" is 1 mu).  An area
 * too large for millionths in 64 bits (over 9,223,372,036,854 of its
 * unit) is larger than any the register records, which are read so. */
static void rl_area_exceeds(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_allowance *reg = registered_area(c, i);
        pl_area_unit au = pl_area_unit_of(x->area.unit), ru;
        int64_t micro;
        int decimals;
        char a_m2[32], r_m2[32];
        if (!reg || au == PL_AREA_NONE || (ru = pl_area_unit_of(reg->unit)) == PL_AREA_NONE)
            continue;
        pl_micro_rc q = x->area.raw ? pl_micro_parse(x->area.raw, strlen(x->area.raw), &micro,
                                                     &decimals)
                                    : PL_MICRO_BAD;
        if (q == PL_MICRO_BAD)
            continue;
        if (q == PL_MICRO_HUGE) {
            pl_area_format_m2(r_m2, reg->amount_micro, ru);
            pl_rule_emit(c, r, x->area.path, "the area pledged, %s %s, exceeds the %lld.%06lld "
                         "%s (%s m2) %s %s records on the register", x->area.raw, x->area.unit,
                         (long long)(reg->amount_micro / 1000000),
                         (long long)(reg->amount_micro % 1000000), reg->unit, r_m2,
                         pl_rule_right_word(x->kind), c->refs[i].cert.r.number);
            continue;
        }
        if (!pl_area_exceeds(micro, au, decimals, reg->amount_micro, ru))
            continue;
        pl_area_format_m2(a_m2, micro, au);
        pl_area_format_m2(r_m2, reg->amount_micro, ru);
        pl_rule_emit(c, r, x->area.path, "the area pledged, %s %s (%s m2), exceeds the %lld.%06lld "
                     "%s (%s m2) %s %s records on the register", x->area.raw, x->area.unit, a_m2,
                     (long long)(reg->amount_micro / 1000000),
                     (long long)(reg->amount_micro % 1000000), reg->unit, r_m2,
                     pl_rule_right_word(x->kind), c->refs[i].cert.r.number);
    }
}

/* Without the register's word, the document's own dates. */
static void rl_term_ends_in_period(pl_rctx *c, const pl_rule *r)
{
    const pl_app_date *end = &c->app->period.end;
    for (size_t i = 0; i < c->app->n_rights && end->valid; i++) {
        const pl_app_right *x = &c->app->rights[i];
        if (c->refs[i].state != PL_RREF_FOUND && x->term_end.valid &&
            x->term_end.days < end->days)
            pl_rule_emit(c, r, x->term_end.path, "the %s ends on %s, before the end of the "
                         "registration period (%s)", pl_rule_kind_noun(x->kind),
                         x->term_end.raw, end->raw);
    }
}

#define B PLEDGER_SEVERITY_BLOCKING
#define C PLEDGER_SEVERITY_CORRECTABLE

const pl_rule pl_rules_sea_land[] = {
    { "RL_DETAILS_DIFFER", C, PL_K_SA | PL_K_LD,
      N_("The term of the use right differs from the certificate on the register."), B_DETAILS,
      rl_details_differ, PL_RECHECK },
    { "RL_AREA_EXCEEDS", B, PL_K_SA | PL_K_LD,
      N_("The area pledged exceeds the area of the certificate on the register (compared in "
      "one unit: 1 mu = 10000/15 m2, 1 ha = 10,000 m2)."), B_AREA, rl_area_exceeds,
      PL_RECHECK },
    { "RL_AREA_UNIT_UNKNOWN", C, PL_K_SA | PL_K_LD,
      N_("The area pledged has no unit, or one the registry does not know (m2, mu, ha, km2 "
      "and their Chinese names)."), B_AREA, rl_area_unit_unknown },
    { "RL_TERM_ENDS_IN_PERIOD", C, PL_K_SA | PL_K_LD,
      N_("The term stated in the application ends before the registration period (when the "
      "register does not know the certificate)."), B_TERM, rl_term_ends_in_period },
};
const size_t pl_rules_sea_land_n = sizeof pl_rules_sea_land / sizeof pl_rules_sea_land[0];
