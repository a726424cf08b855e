/* Patents (docs/domain.md §4.4): annual fee paid, proceedings not
 * suspended, the term outlasting the debt, every co-owner consenting, and
 * the two risks the parties may acknowledge in writing (a pending
 * invalidation request, a same-day invention/utility-model pair).  Such a
 * risk stops the file (correctable) until the parties acknowledge it in
 * writing: the risk declared in acknowledgements/risk (its code and
 * wording) and their signed acknowledgement attached as a material of kind
 * risk_acknowledgement; then it is recorded as a risk and the file
 * proceeds.  The registration step checks both again (PL_RECHECK). */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "rules/rules.h"
#include "base/i18n.h"

static const char B_FEE[] =
    N_("patent pledge registration measures: refused when the annual fee is unpaid (Patent "
    "Law art. 44: the patent lapses)");
static const char B_SUSPENDED[] =
    N_("patent pledge registration measures: refused while proceedings are suspended or the "
    "patent is preserved");
static const char B_TERM[] =
    N_("Patent Law art. 42 (20 years invention, 10 utility model, 15 design); registration "
    "measures: the debt's term may not run past the patent's");
static const char B_CO_OWNER[] =
    N_("Patent Law (co-owned patents) and registration measures: every co-owner consents");
static const char B_INVALIDATION[] =
    N_("patent pledge registration measures: a pending invalidation request is a risk the "
    "parties acknowledge in writing");
static const char B_PAIR[] =
    N_("Patent Law art. 9: of a same-day invention and utility model only one survives; a risk "
    "the parties acknowledge in writing");
static const char B_DETAILS[] = N_("patent pledge registration measures: the patent as recorded");

static const char *const type_names[] = { "", N_("invention"), N_("utility model"),
                                           N_("design") };

/* The declaration of @code in acknowledgements/risk, with its wording;
 * NULL when none. */
static const pl_app_risk *declared_risk(const pl_app *a, pl_risk_code code)
{
    for (size_t i = 0; i < a->n_risks; i++)
        if (a->risks[i].code == code && a->risks[i].text.text)
            return &a->risks[i];
    return NULL;
}

static const pl_ref_patent *found(const pl_rctx *c, size_t i)
{
    return c->refs[i].state == PL_RREF_FOUND ? &c->refs[i].pt : NULL;
}

static void pt_fee_unpaid(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_ref_patent *p = found(c, i);
        if (p && p->r.status == PL_REF_GRANTED && !p->fee_paid)
            pl_rule_emit(c, r, c->app->rights[i].number.path,
                         "the annual fee of patent %s is unpaid", p->r.number);
    }
}

static void pt_suspended(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_ref_patent *p = found(c, i);
        if (p && p->suspended)
            pl_rule_emit(c, r, c->app->rights[i].number.path,
                         "the proceedings on patent %s are suspended (ownership dispute or "
                         "court preservation)", p->r.number);
    }
}

static void pt_term_before_debt(pl_rctx *c, const pl_rule *r)
{
    const pl_app_date *end = c->app->claim.performance_end.valid ? &c->app->claim.performance_end
                             : c->app->period.end.valid          ? &c->app->period.end
                                                                 : NULL;
    char term[11];

    if (!end)
        return;
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_patent *p = found(c, i);
        int32_t until;
        int type;
        if (p) {
            type = (int)p->patent_type;
            until = p->r.valid_to != PL_REF_NO_DATE
                        ? p->r.valid_to : pl_rule_patent_term_end(type, p->filing_date);
        } else {
            type = (int)x->patent_type;
            until = pl_rule_patent_term_end(type, x->filing_date.valid ? x->filing_date.days
                                                                       : INT32_MIN);
        }
        if (until == INT32_MIN || until >= end->days)
            continue;
        pl_date_format(until, term);
        pl_rule_emit(c, r, x->number.path ? x->number.path : x->path,
                     "the %s patent %s ends on %s, before %s (%s)",
                     type >= 1 && type <= 3 ? pl_frag(type_names[type]) : "", pl_rule_right_id(x),
                     term,
                     end == &c->app->claim.performance_end
                         ? pl_frag("the debtor's performance deadline")
                         : pl_frag("the end of the registration period"),
                     end->raw);
    }
}

static void pt_co_owner_undeclared(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_patent *pt = found(c, i);
        for (size_t k = 0; pt && k < pt->r.n_owners; k++) {
            const pl_ref_owner *o = &pt->r.owners[k];
            if (!pl_rule_is_owner(&c->app->pledgor, o) && !pl_rule_co_owner_declared(x, o))
                pl_rule_emit(c, r, x->co_owners_path,
                             "%s, a patentee of %s on the register, is not named as a co-owner",
                             o->name, pt->r.number);
        }
    }
}

/* What the parties must still add to acknowledge risk @code in writing,
 * as the end of a sentence; NULL when the acknowledgement is complete. */
static const char *missing_ack(const pl_app *a, pl_risk_code code, char *buf, size_t size)
{
    static const char *const names[] = { "", "invalidation_pending", "same_day_pair" };
    const pl_app_risk *d = declared_risk(a, code);
    const pl_app_material *m = pl_rule_material(a, PL_MATERIAL_RISK_ACKNOWLEDGEMENT);

    if (d && m)
        return NULL;
    if (d)
        snprintf(buf, size, "attach the written acknowledgement the parties signed (material "
                 "kind risk_acknowledgement); %s declares the risk but is not signed", d->path);
    else if (m)
        snprintf(buf, size, "declare the risk the written acknowledgement (%s) covers in "
                 "acknowledgements/risk, with code %s and its wording", m->path, names[code]);
    else
        snprintf(buf, size, "attach the written acknowledgement the parties signed (material "
                 "kind risk_acknowledgement) and declare the risk in acknowledgements/risk, "
                 "with code %s and its wording", names[code]);
    return buf;
}

/* The two acknowledgeable risks: @ack selects the rows of acknowledged
 * ones (recorded risks) or of the others (correctable). */
static void risk(pl_rctx *c, const pl_rule *r, pl_risk_code code, bool ack)
{
    char todo[320];
    const char *missing = missing_ack(c->app, code, todo, sizeof todo);

    if ((missing == NULL) != ack)
        return;
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_ref_patent *p = found(c, i);
        const char *path = c->app->rights[i].number.path;
        if (!p)
            continue;
        if (code == PL_RISK_INVALIDATION_PENDING && p->invalidation_pending) {
            if (ack)
                pl_rule_emit(c, r, path, "a request to invalidate patent %s is pending; the "
                             "parties have acknowledged the risk in writing", p->r.number);
            else
                pl_rule_emit(c, r, path, "a request to invalidate patent %s is pending: the "
                             "parties must acknowledge the risk in writing before the file can "
                             "go through: %s", p->r.number, missing);
        } else if (code == PL_RISK_SAME_DAY_PAIR && p->twin) {
            if (ack)
                pl_rule_emit(c, r, path, "patent %s was filed the same day as %s (invention "
                             "and utility model); the parties have acknowledged the risk in "
                             "writing", p->r.number, p->twin);
            else
                pl_rule_emit(c, r, path, "patent %s was filed the same day as %s (invention "
                             "and utility model), only one of which can survive: the parties "
                             "must acknowledge the risk in writing before the file can go "
                             "through: %s", p->r.number, p->twin, missing);
        }
    }
}

static void pt_invalidation_pending(pl_rctx *c, const pl_rule *r)
{
    risk(c, r, PL_RISK_INVALIDATION_PENDING, false);
}

static void pt_invalidation_acknowledged(pl_rctx *c, const pl_rule *r)
{
    risk(c, r, PL_RISK_INVALIDATION_PENDING, true);
}

static void pt_same_day_pair(pl_rctx *c, const pl_rule *r)
{
    risk(c, r, PL_RISK_SAME_DAY_PAIR, false);
}

static void pt_same_day_pair_acknowledged(pl_rctx *c, const pl_rule *r)
{
    risk(c, r, PL_RISK_SAME_DAY_PAIR, true);
}

static void pt_details_differ(pl_rctx *c, const pl_rule *r)
{
    char want[11];
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_patent *p = found(c, i);
        if (!p)
            continue;
        if (x->patent_type && (int)x->patent_type != (int)p->patent_type &&
            p->patent_type >= 1 && p->patent_type <= 3)
            pl_rule_emit(c, r, x->patent_type_path, "patent %s is of type %s on the register",
                         p->r.number, pl_frag(type_names[p->patent_type]));
        if (x->filing_date.valid && p->filing_date != PL_REF_NO_DATE &&
            x->filing_date.days != p->filing_date) {
            pl_date_format(p->filing_date, want);
            pl_rule_emit(c, r, x->filing_date.path,
                         "patent %s was filed on %s according to the register, not %s",
                         p->r.number, want, x->filing_date.raw);
        }
        if (x->grant_date.valid && p->grant_date != PL_REF_NO_DATE &&
            x->grant_date.days != p->grant_date) {
            pl_date_format(p->grant_date, want);
            pl_rule_emit(c, r, x->grant_date.path,
                         "patent %s was granted on %s according to the register, not %s",
                         p->r.number, want, x->grant_date.raw);
        }
    }
}

#define B PLEDGER_SEVERITY_BLOCKING
#define C PLEDGER_SEVERITY_CORRECTABLE
#define R PLEDGER_SEVERITY_RISK

const pl_rule pl_rules_patent[] = {
    { "PT_FEE_UNPAID", B, PL_K_PT, N_("The annual fee of a granted patent is unpaid."), B_FEE,
      pt_fee_unpaid, PL_RECHECK },
    { "PT_SUSPENDED", B, PL_K_PT,
      N_("Proceedings on the patent are suspended (ownership dispute, court preservation)."),
      B_SUSPENDED, pt_suspended, PL_RECHECK },
    { "PT_TERM_BEFORE_DEBT", B, PL_K_PT,
      N_("The patent's term ends before the debtor's performance deadline."), B_TERM,
      pt_term_before_debt, PL_RECHECK },
    { "PT_CO_OWNER_CONSENT", C, PL_K_PT, N_("A co-owner of the patent has not consented."),
      B_CO_OWNER, pl_rule_co_owner_consent },
    { "PT_CO_OWNER_UNDECLARED", C, PL_K_PT,
      N_("A patentee on the register is neither the pledgor nor a declared co-owner."),
      B_CO_OWNER, pt_co_owner_undeclared, PL_RECHECK },
    { "PT_INVALIDATION_PENDING", C, PL_K_PT,
      N_("An invalidation request against the patent is pending and the parties have not "
      "acknowledged it in writing (acknowledgements/risk and a risk_acknowledgement "
      "material)."), B_INVALIDATION, pt_invalidation_pending, PL_RECHECK },
    { "PT_INVALIDATION_ACKNOWLEDGED", R, PL_K_PT,
      N_("An invalidation request is pending; the parties acknowledged the risk in writing."),
      B_INVALIDATION, pt_invalidation_acknowledged },
    { "PT_SAME_DAY_PAIR", C, PL_K_PT,
      N_("The patent has a same-day invention/utility-model counterpart and the parties have "
      "not acknowledged it in writing (acknowledgements/risk and a risk_acknowledgement "
      "material)."), B_PAIR, pt_same_day_pair, PL_RECHECK },
    { "PT_SAME_DAY_PAIR_ACKNOWLEDGED", R, PL_K_PT,
      N_("The patent has a same-day counterpart; the parties acknowledged the risk in writing."),
      B_PAIR, pt_same_day_pair_acknowledged },
    { "PT_DETAILS_DIFFER", C, PL_K_PT,
      N_("The patent's type, filing date or grant date differ from the register."), B_DETAILS,
      pt_details_differ, PL_RECHECK },
};
const size_t pl_rules_patent_n = sizeof pl_rules_patent / sizeof pl_rules_patent[0];
