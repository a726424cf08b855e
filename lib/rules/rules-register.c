/* What every right must be on the reference register (docs/domain.md §4.2):
 * known, owned by the pledgor under the pledgor's name, in force for the
 * whole registration period, not seized or frozen.  For trademarks,
 * patents, discharge permits, sea-area and land certificates; for equity
 * the "right" is the pledgor's holding in the company.
 *
 * When the register holds no record at all of the application's kind (it
 * was never imported), these rules cannot be applied: REGISTER_NOT_LOADED
 * says so once, and the others stay silent. */
#include <string.h>

#include "base/date.h"
#include "model/kinds.h"
#include "rules/rules.h"
#include "base/i18n.h"

static const char B_REGISTER[] =
    N_("registration measures: the right as recorded by its authority (trademark office, IP "
    "office, market regulator, environment authority, real-estate registry)");
static const char B_OWNER[] =
    N_("Civil Code art. 440: only the holder may pledge; registration measures: the pledgor "
    "is the recorded owner, or proves the change of name");
static const char B_STATUS[] =
    N_("registration measures: refused when the right is cancelled, invalidated, expired, "
    "terminated or not granted");
static const char B_TERM[] = N_("registration measures: the right in force for the whole period");
static const char B_SEIZED[] =
    N_("Civil Procedure Law (preservation, enforcement); registration measures: seized or "
    "frozen rights are refused");

static const char B_CO_OWNED[] =
    N_("Civil Code art. 301 (a co-owned thing is disposed of with its co-owners' consent); "
    "registration measures: a co-owned right is pledged with the consent of every owner");

static const char *owner_word(pledger_kind kind)
{
    switch (kind) {
    case PLEDGER_KIND_TRADEMARK: return pl_frag("registrant");
    case PLEDGER_KIND_PATENT: return pl_frag("patentee");
    case PLEDGER_KIND_EQUITY: return pl_frag("shareholder");
    case PLEDGER_KIND_EMISSION: return pl_frag("permit holder");
    default: return pl_frag("right holder");
    }
}

static void register_not_loaded(pl_rctx *c, const pl_rule *r)
{
    if (!c->register_loaded && c->app->n_rights)
        pl_rule_emit(c, r, c->app->rights_path,
                     "the reference register holds no %s records yet: the rights were not "
                     "checked against it (owner, status, seizure)",
                     c->app->kind == PLEDGER_KIND_EQUITY
                         ? pl_frag("shareholding")
                         : pl_rule_kind_noun(c->app->kind));
}

static void right_not_on_register(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        if (c->refs[i].state == PL_RREF_ABSENT)
            pl_rule_emit(c, r, pl_rule_right_path(x), "%s %s is not on the reference register",
                         pl_rule_right_word(x->kind), pl_rule_right_id(x));
    }
}

/* The pledgor is judged by identifier, or by name when its identifier is
 * missing or invalid (PARTY_ID_MISSING / PARTY_ID_INVALID report that):
 * a pledgor whose name is none of the owners' is not the owner either
 * way.  Equity without a usable identifier cannot be looked up. */
static void pledgor_not_owner(pl_rctx *c, const pl_rule *r)
{
    const pl_app_party *p = &c->app->pledgor;
    if (!p->id_norm && !p->name_key)
        return;
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_rref *ref = &c->refs[i];
        if (ref->state == PL_RREF_NOT_HOLDER)
            pl_rule_emit(c, r, pl_rule_right_path(x),
                         "the pledgor is not a recorded shareholder of company %s",
                         pl_rule_right_id(x));
        else if (ref->state == PL_RREF_FOUND && c->app->kind != PLEDGER_KIND_EQUITY &&
                 !pl_rule_pledgor_record(c, i))
            pl_rule_emit(c, r, pl_rule_right_path(x),
                         "the pledgor is not the %s of %s %s on the reference register "
                         "(recorded: %s%s)", owner_word(x->kind), pl_rule_right_word(x->kind),
                         pl_rule_right_id(x),
                         ref->right && ref->right->n_owners ? ref->right->owners[0].name : "",
                         ref->right && ref->right->n_owners > 1 ? pl_frag(" and others") : "");
    }
}

/* Rights whose record shows the pledgor under another name; each
 * recorded name is reported once. */
static void name_differs(pl_rctx *c, const pl_rule *r, bool with_proof)
{
    const pl_app_party *p = &c->app->pledgor;
    const pl_app_material *proof = pl_rule_material(c->app, PL_MATERIAL_NAME_CHANGE_PROOF);

    /* which owner is the pledgor can only be told by its identifier here */
    if (!p->name_key || !p->id_norm || (proof != NULL) != with_proof)
        return;
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_ref_owner *o = pl_rule_pledgor_record(c, i);
        bool seen = false;
        if (!o || !o->name_key || strcmp(o->name_key, p->name_key) == 0)
            continue;
        for (size_t k = 0; k < i && !seen; k++) {
            const pl_ref_owner *q = pl_rule_pledgor_record(c, k);
            seen = q && q->name_key && strcmp(q->name_key, o->name_key) == 0;
        }
        if (seen)
            continue;
        if (with_proof)
            pl_rule_emit(c, r, p->name.path,
                         "the pledgor's name '%s' differs from the %s's name '%s' on the "
                         "register (%s %s); the proof of the change of name (%s) will be "
                         "examined", p->name.text, owner_word(c->app->kind), o->name,
                         pl_rule_right_word(c->app->kind), pl_rule_right_id(&c->app->rights[i]),
                         proof->path);
        else
            pl_rule_emit(c, r, p->name.path,
                         "the pledgor's name '%s' differs from the %s's name '%s' on the "
                         "register (%s %s): correct it, or attach the proof of the change of "
                         "name (material kind name_change_proof)", p->name.text,
                         owner_word(c->app->kind), o->name, pl_rule_right_word(c->app->kind),
                         pl_rule_right_id(&c->app->rights[i]));
    }
}

static void pledgor_name_differs(pl_rctx *c, const pl_rule *r) { name_differs(c, r, false); }
static void pledgor_name_changed(pl_rctx *c, const pl_rule *r) { name_differs(c, r, true); }

static void right_not_in_force(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_right *ref = c->refs[i].right;
        pl_ref_status ok = x->kind == PLEDGER_KIND_PATENT ? PL_REF_GRANTED : PL_REF_REGISTERED;
        if (c->refs[i].state == PL_RREF_FOUND && ref && ref->status != ok)
            pl_rule_emit(c, r, pl_rule_right_path(x), "%s %s is %s on the reference register",
                         pl_rule_right_word(x->kind), pl_rule_right_id(x),
                         pl_ref_status_name(ref->status) ? pl_ref_status_name(ref->status)
                                                         : pl_frag("not in force"));
    }
}

/* Each end of the registration period on its own: an inverted period
 * (PERIOD_INVERTED) still has two dates the right can be compared with. */
static void right_expires_in_period(pl_rctx *c, const pl_rule *r)
{
    const pl_app_period *p = &c->app->period;
    char from[11], to[11];

    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_right *ref = c->refs[i].right;
        if (c->refs[i].state != PL_RREF_FOUND || !ref)
            continue;
        if (p->end.valid && ref->valid_to != PL_REF_NO_DATE && ref->valid_to < p->end.days) {
            pl_date_format(ref->valid_to, to);
            pl_rule_emit(c, r, pl_rule_right_path(x),
                         "%s %s is in force until %s, before the end of the registration "
                         "period (%s)", pl_rule_right_word(x->kind), pl_rule_right_id(x), to,
                         p->end.raw);
        }
        if (p->start.valid && ref->valid_from != PL_REF_NO_DATE &&
            ref->valid_from > p->start.days) {
            pl_date_format(ref->valid_from, from);
            pl_rule_emit(c, r, pl_rule_right_path(x),
                         "%s %s is in force only from %s, after the start of the registration "
                         "period (%s)", pl_rule_right_word(x->kind), pl_rule_right_id(x), from,
                         p->start.raw);
        }
    }
}

static void right_seized(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_right *ref = c->refs[i].right;
        if (c->refs[i].state == PL_RREF_FOUND && ref && ref->seized)
            pl_rule_emit(c, r, pl_rule_right_path(x),
                         "%s %s is seized (attached or preserved) by a court",
                         pl_rule_right_word(x->kind), pl_rule_right_id(x));
    }
}

static void right_frozen(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_rref *ref = &c->refs[i];
        bool frozen = ref->state == PL_RREF_FOUND &&
                      (ref->right ? ref->right->frozen : ref->holding.frozen);
        if (frozen)
            pl_rule_emit(c, r, pl_rule_right_path(x), "%s %s is frozen%s",
                         pl_rule_right_word(x->kind), pl_rule_right_id(x),
                         x->kind == PLEDGER_KIND_EQUITY ? pl_frag(" (the pledgor's holding)") : "");
    }
}

/* Co-owned trademarks, permits, sea-area and land certificates, as
 * patents (PT_CO_OWNER_UNDECLARED; their consent: pl_rule_co_owner_consent).
 * One finding per right, naming every owner on the register that is
 * neither the pledgor nor a declared co-owner. */
static void co_owner_undeclared(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_right *ref = c->refs[i].right;
        char names[1024];
        size_t len = 0, n = 0;
        if (c->refs[i].state != PL_RREF_FOUND || !ref || ref->n_owners < 2)
            continue;
        names[0] = '\0';
        for (size_t k = 0; k < ref->n_owners; k++) {
            const pl_ref_owner *o = &ref->owners[k];
            if (pl_rule_is_owner(&c->app->pledgor, o) || pl_rule_co_owner_declared(x, o))
                continue;
            n++;
            /* whole names only; "..." once the next does not fit (64 owners of
             * 400-byte names) */
            size_t need = strlen(o->name) + (len ? 2 : 0);
            if (len + need + 4 < sizeof names) {
                snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "", o->name);
                len += need;
            } else if (len + 4 < sizeof names && (len < 3 || strcmp(names + len - 3, "...") != 0)) {
                memcpy(names + len, "...", 4);
                len += 3;
            }
        }
        if (n)
            pl_rule_emit(c, r, x->co_owners_path,
                         "%s %s has %zu owners on the register; not the pledgor and not named "
                         "as co-owners: %s (name each under co_owners with its consent: a "
                         "co-owned right is pledged with the consent of every owner)",
                         pl_rule_right_word(x->kind), pl_rule_right_id(x), ref->n_owners,
                         names);
    }
}

/* A party named under co_owners that the register does not list among
 * the right's owners: a stranger's consent does not make the pledge the
 * owners', and the certificate would name a co-owner the authority does
 * not know.  Judged only on a right found on the register. */
static void co_owner_not_owner(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_right *ref = c->refs[i].right;
        if (c->refs[i].state != PL_RREF_FOUND || !ref)
            continue;
        for (size_t k = 0; k < x->n_co_owners; k++) {
            const pl_app_party *o = &x->co_owners[k];
            bool owner = false;
            if (!o->id_norm && !o->name_key)
                continue;   /* nothing to judge by: PARTY_NAME_MISSING, PARTY_ID_MISSING */
            for (size_t j = 0; j < ref->n_owners && !owner; j++)
                owner = pl_rule_is_owner(o, &ref->owners[j]);
            if (!owner)
                pl_rule_emit(c, r, o->path,
                             "%s is named as a co-owner of %s %s but is not one of its owners "
                             "on the register (recorded: %s%s)",
                             o->name.text ? o->name.text : pl_frag("the co-owner"),
                             pl_rule_right_word(x->kind), pl_rule_right_id(x),
                             ref->n_owners ? ref->owners[0].name : "",
                             ref->n_owners > 1 ? pl_frag(" and others") : "");
        }
    }
}

#define B PLEDGER_SEVERITY_BLOCKING
#define C PLEDGER_SEVERITY_CORRECTABLE
#define N PLEDGER_SEVERITY_NOTICE
#define REG (PL_K_REGISTERED | PL_K_EQ)

const pl_rule pl_rules_register[] = {
    { "REGISTER_NOT_LOADED", N, REG,
      N_("The reference register holds no record of the kind: the register rules were not "
      "applied."), B_REGISTER, register_not_loaded },
    { "RIGHT_NOT_ON_REGISTER", B, REG,
      N_("The right (equity: the company) is not on the reference register."), B_REGISTER,
      right_not_on_register, PL_RECHECK },
    { "PLEDGOR_NOT_OWNER", B, REG,
      N_("The pledgor is not the recorded owner (registrant, patentee, shareholder, holder)."),
      B_OWNER, pledgor_not_owner, PL_RECHECK },
    { "PLEDGOR_NAME_DIFFERS", C, REG,
      N_("The pledgor's name differs from the register's and no proof of the change of name is "
      "attached."), B_OWNER, pledgor_name_differs, PL_RECHECK },
    { "PLEDGOR_NAME_CHANGED", N, REG,
      N_("The pledgor's name differs from the register's; a proof of the change of name is "
      "attached."), B_OWNER, pledgor_name_changed },
    { "CO_OWNER_UNDECLARED", C, PL_K_TM | PL_K_EM | PL_K_SA | PL_K_LD,
      N_("An owner on the register of a co-owned trademark, permit or certificate is neither "
      "the pledgor nor a declared co-owner."), B_CO_OWNED, co_owner_undeclared, PL_RECHECK },
    { "CO_OWNER_CONSENT", C, PL_K_TM | PL_K_EM | PL_K_SA | PL_K_LD,
      N_("A co-owner of the trademark, permit or certificate has not consented."), B_CO_OWNED,
      pl_rule_co_owner_consent },
    { "CO_OWNER_NOT_OWNER", C, PL_K_TM | PL_K_PT | PL_K_EM | PL_K_SA | PL_K_LD,
      N_("A party named as a co-owner is not one of the right's owners on the register."),
      B_CO_OWNED, co_owner_not_owner, PL_RECHECK },
    { "RIGHT_NOT_IN_FORCE", B, PL_K_REGISTERED,
      N_("The right is cancelled, invalidated, expired, terminated or not granted."), B_STATUS,
      right_not_in_force, PL_RECHECK },
    { "RIGHT_EXPIRES_IN_PERIOD", B, PL_K_TM | PL_K_EM | PL_K_SA | PL_K_LD,
      N_("The right is not in force for the whole registration period."), B_TERM,
      right_expires_in_period, PL_RECHECK },
    { "RIGHT_SEIZED", B, PL_K_REGISTERED, N_("The right is seized by a court."), B_SEIZED,
      right_seized, PL_RECHECK },
    { "RIGHT_FROZEN", B, REG, N_("The right (equity: the holding) is frozen."), B_SEIZED,
      right_frozen, PL_RECHECK },
};
const size_t pl_rules_register_n = sizeof pl_rules_register / sizeof pl_rules_register[0];
