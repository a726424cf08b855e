/* Equity (docs/domain.md §4.6): the pledgor is a recorded shareholder
 * (PLEDGOR_NOT_OWNER), the holding is not frozen (RIGHT_FROZEN), and the
 * pledged capital does not exceed the holding. */
#include <string.h>

#include "base/money.h"
#include "rules/rules.h"
#include "base/i18n.h"

static const char B_CAPITAL[] =
    N_("equity pledge registration measures: the pledged capital cannot exceed the holding");
static const char B_COMPANY[] =
    N_("equity pledge registration measures: the company as recorded by the market regulator");

static const pl_ref_holding *holding(const pl_rctx *c, size_t i)
{
    return c->refs[i].state == PL_RREF_FOUND ? &c->refs[i].holding : NULL;
}

static void eq_capital_exceeds_holding(pl_rctx *c, const pl_rule *r)
{
    char want[PL_MONEY_TEXT_MAX], have[PL_MONEY_TEXT_MAX];
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_holding *h = holding(c, i);
        if (!h || !x->capital.valid || !x->capital.currency ||
            strcmp(x->capital.currency, h->currency) != 0 || x->capital.minor <= h->capital)
            continue;
        if (pl_money_format(x->capital.minor, h->currency, want, sizeof want) ||
            pl_money_format(h->capital, h->currency, have, sizeof have))
            continue; /* a currency pledger does not know: CURRENCY_UNKNOWN */
        pl_rule_emit(c, r, x->capital.path,
                     "the pledged capital %s %s exceeds the pledgor's holding of %s %s in "
                     "company %s", want, h->currency, have, h->currency, h->company);
    }
}

static void eq_capital_currency(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_holding *h = holding(c, i);
        if (h && x->capital.has && x->capital.currency &&
            strcmp(x->capital.currency, h->currency) != 0)
            pl_rule_emit(c, r, x->capital.currency_path,
                         "the holding in company %s is recorded in %s, not %s", h->company,
                         h->currency, x->capital.currency);
    }
}

static void eq_company_name_differs(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const char *name = c->refs[i].company_name;
        if (c->refs[i].state != PL_RREF_ABSENT && name && x->company_name.text &&
            !pl_rule_same_text(name, x->company_name.text))
            pl_rule_emit(c, r, x->company_name.path,
                         "company %s is '%s' on the register, not '%s'", pl_rule_right_id(x),
                         name, x->company_name.text);
    }
}

#define B PLEDGER_SEVERITY_BLOCKING
#define C PLEDGER_SEVERITY_CORRECTABLE

const pl_rule pl_rules_equity[] = {
    { "EQ_CAPITAL_EXCEEDS_HOLDING", B, PL_K_EQ,
      N_("The pledged capital exceeds the pledgor's recorded holding."), B_CAPITAL,
      eq_capital_exceeds_holding, PL_RECHECK },
    { "EQ_CAPITAL_CURRENCY", C, PL_K_EQ,
      N_("The pledged capital is in another currency than the recorded holding."), B_CAPITAL,
      eq_capital_currency, PL_RECHECK },
    { "EQ_COMPANY_NAME_DIFFERS", C, PL_K_EQ,
      N_("The company's name differs from the register's."), B_COMPANY, eq_company_name_differs,
      PL_RECHECK },
};
const size_t pl_rules_equity_n = sizeof pl_rules_equity / sizeof pl_rules_equity[0];
