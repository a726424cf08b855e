/* Sea-area use rights and rural land management rights, mortgaged
 * (docs/domain.md §4.8): the certificate is on the
 * register in the pledgor's name, in force for the whole period and not
 * seized (rules-register.c); here, the term as the certificate records
 * it. */
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

#define C PLEDGER_SEVERITY_CORRECTABLE

const pl_rule pl_rules_sea_land[] = {
    { "RL_DETAILS_DIFFER", C, PL_K_SA | PL_K_LD,
      N_("The term of the use right differs from the certificate on the register."), B_DETAILS,
      rl_details_differ, PL_RECHECK },
    { "RL_TERM_ENDS_IN_PERIOD", C, PL_K_SA | PL_K_LD,
      N_("The term stated in the application ends before the registration period (when the "
      "register does not know the certificate)."), B_TERM, rl_term_ends_in_period },
};
const size_t pl_rules_sea_land_n = sizeof pl_rules_sea_land / sizeof pl_rules_sea_land[0];
