#include "workflow/flow.h"

#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/json.h"
#include "store/apply.h"
#include "model/kinds.h"

#define R(r) (1u << PLEDGER_ROLE_##r)
#define A(s) (1u << PLEDGER_APP_##s)
#define PS(s) (1u << PLEDGER_PLEDGE_##s)

/* The state machine, one row per step (docs/design.md §3).  The journal
 * operation each step records is not here but with the statements that
 * apply it, in the store's table indexed by the same enum (store/apply.c,
 * pl_step_operation() of store/steps.h): the store reads the name back
 * from the journal when it replays, and it may not include this layer. */
static const pl_step_rule rules[PL_STEP_COUNT] = {
    [PL_STEP_SAVE] = { "save", R(APPLICANT) | R(CLERK), A(DRAFT) | A(REVIEWED),
                       PLEDGER_APP_DRAFT, false },
    [PL_STEP_REVIEW] = { "review", R(APPLICANT) | R(CLERK),
                         A(DRAFT) | A(REVIEWED) | A(CORRECTION_REQUESTED), 0, false },
    [PL_STEP_SUBMIT] = { "submit", R(APPLICANT), A(REVIEWED), PLEDGER_APP_SUBMITTED, false },
    [PL_STEP_ACCEPT] = { "accept", R(CLERK), A(SUBMITTED), PLEDGER_APP_ACCEPTED, false },
    [PL_STEP_REQUEST_CORRECTION] = { "request_correction", R(CLERK), A(ACCEPTED),
                                     PLEDGER_APP_CORRECTION_REQUESTED, false },
    [PL_STEP_CORRECT] = { "correct", R(CLERK), A(CORRECTION_REQUESTED), PLEDGER_APP_ACCEPTED,
                          false },
    [PL_STEP_REGISTER] = { "register", R(REGISTRAR), A(ACCEPTED), PLEDGER_APP_REGISTERED,
                           false },
    [PL_STEP_REFUSE] = { "refuse", R(REGISTRAR), A(ACCEPTED), PLEDGER_APP_REFUSED, false },
    [PL_STEP_WITHDRAW] = { "withdraw", R(APPLICANT),
                           A(DRAFT) | A(REVIEWED) | A(SUBMITTED) | A(ACCEPTED) |
                               A(CORRECTION_REQUESTED),
                           PLEDGER_APP_WITHDRAWN, false },
    [PL_STEP_CHANGE] = { "change", R(REGISTRAR), PS(ACTIVE), PLEDGER_PLEDGE_ACTIVE, true },
    [PL_STEP_EXTEND] = { "extend", R(REGISTRAR), PS(ACTIVE), PLEDGER_PLEDGE_ACTIVE, true },
    [PL_STEP_CANCEL] = { "cancel", R(REGISTRAR), PS(ACTIVE), PLEDGER_PLEDGE_CANCELLED, true },
    [PL_STEP_REVOKE] = { "revoke", R(REGISTRAR), PS(ACTIVE) | PS(UNDER_OBJECTION),
                         PLEDGER_PLEDGE_REVOKED, true },
    [PL_STEP_OBJECT] = { "object", R(APPLICANT) | R(REGISTRAR), PS(ACTIVE),
                         PLEDGER_PLEDGE_UNDER_OBJECTION, true },
    [PL_STEP_LITIGATION] = { "record_litigation", R(REGISTRAR), PS(UNDER_OBJECTION),
                             PLEDGER_PLEDGE_UNDER_OBJECTION, true },
    [PL_STEP_DISMISS_OBJECTION] = { "dismiss_objection", R(REGISTRAR), PS(UNDER_OBJECTION),
                                    PLEDGER_PLEDGE_ACTIVE, true },
    [PL_STEP_EXPIRE] = { "expire", R(REGISTRAR), 0, 0, false },
    [PL_STEP_CALENDAR] = { "calendar_load", R(REGISTRAR), 0, 0, false },
    [PL_STEP_SETTINGS] = { "settings", R(REGISTRAR), 0, 0, false },
    [PL_STEP_EXCHANGE] = { "exchange", R(CLERK) | R(REGISTRAR), 0, 0, false },
    [PL_STEP_IMPORT] = { "register_import", R(REGISTRAR), 0, 0, false },
};

const pl_step_rule *pl_step_rule_of(pl_step step)
{
    return step >= 0 && step < PL_STEP_COUNT ? &rules[step] : NULL;
}

static const char *role_name(int role)
{
    const char *n = pl_role_name(role);
    return n ? n : "none";
}

/* "registrar or auditor", "draft or reviewed": the names (@name_of, in
 * context @ctx of the catalogue) of the values set in @mask, as a fragment
 * (the translated message lists the translated names). */
static const char *name_list(unsigned mask, const char *(*name_of)(int), const char *ctx,
                             char *en, size_t en_size, char *local, size_t local_size)
{
    en[0] = local[0] = '\0';
    for (int i = 0; i < 32; i++) {
        const char *n = mask & (1u << i) ? name_of(i) : NULL;
        if (!n)
            continue;
        if (en[0]) {
            strncat(en, " or ", en_size - strlen(en) - 1);
            strncat(local, pl_tr(" or "), local_size - strlen(local) - 1);
        }
        strncat(en, n, en_size - strlen(en) - 1);
        strncat(local, pl_tr_ctx(ctx, n), local_size - strlen(local) - 1);
    }
    pl_frag_clear();   /* the names were fragments of this list only */
    return pl_frag_pair(en, local);
}

static const char *role_list(unsigned mask, char *en, size_t en_size, char *local,
                             size_t local_size)
{
    return name_list(mask, pl_role_name, "role", en, en_size, local, local_size);
}

int pl_step_check_site(const pl_ctx *c, pl_step step)
{
    const pl_step_rule *r = &rules[step];

    if (c->site != PLEDGER_SITE_ACCEPTANCE_POINT)
        return 0;
    if (step != PL_STEP_REGISTER && step != PL_STEP_REFUSE && !r->on_pledge)
        return 0;
    /* the office it forwards to, named (its setting 'upstream') */
    char *office = NULL;
    pl_err none = { 0 };
    if (pl_db_meta_get(c->db, &none, "upstream", &office) || !office)
        office = NULL;
    int rc = pl_err_set(c->e, PLEDGER_EPERM,
                        "%s: this registry is an acceptance point of office %s, which registers "
                        "and decides: forward the accepted applications to it on the data line "
                        "(an exchange batch)", r->name, office && *office ? office : "?");
    free(office);
    return rc;
}

int pl_step_check_role(pl_err *e, pl_step step, pledger_role role, const char *actor,
                       int kind)
{
    const pl_step_rule *r = &rules[step];
    unsigned allowed = r->roles;
    const pl_kind_info *k = pl_kind(kind);

    /* The pledgee files receivable changes itself, with the modification code. */
    if (k && k->pledgee_files &&
        (step == PL_STEP_CHANGE || step == PL_STEP_EXTEND || step == PL_STEP_CANCEL))
        allowed |= R(APPLICANT);
    if (allowed & (1u << role))
        return 0;
    char need[80], need_local[240];
    const char *list = role_list(allowed, need, sizeof need, need_local, sizeof need_local);
    return pl_err_set(e, PLEDGER_EPERM, "%s: actor '%s' has role %s; only %s may do this",
                      r->name, actor ? actor : "(none)",
                      pl_frag_ctx("role", role_name(role)), list);
}

/* Who reads what, one row per kind of answer, one column per role (the
 * first: no actor set).  x: refused (PLEDGER_EPERM); M: resident identity
 * numbers masked, as the bank queries always were; O: in full, what the
 * actor filed, nothing else; F: in full.
 *
 * Banks never see an application: the document is the filer's dossier
 * (every party's full identity, the attached materials -- identity-card
 * copies, contracts -- which no pattern can mask) and a bank's questions
 * are answered by the registration (verify, search, certificate), masked.
 * An applicant sees the applications it filed; a clerk and a registrar,
 * who examine them against the parties' papers, and an auditor see every
 * application in full.  Review findings quote the document and the
 * register: in full to the office, masked to anyone else. */
#define x PL_SIGHT_REFUSED
#define M PL_SIGHT_MASKED
#define O PL_SIGHT_OWN
#define F PL_SIGHT_FULL
static const struct {
    const char *what;
    pl_sight sight[PLEDGER_ROLE_AUDITOR + 1];
} reads[PL_READ_COUNT] = {
    /*                          none applicant clerk registrar bank auditor */
    [PL_READ_APPLICATION] = { N_("an application"), { x, O, F, F, x, F } },
    [PL_READ_REVIEW] = { N_("review findings"), { M, M, F, F, M, F } },
    [PL_READ_PLEDGE] = { N_("a registration"), { M, M, M, F, M, F } },
    [PL_READ_DUE] = { N_("the due list"), { x, x, F, F, x, F } },
    [PL_READ_EXCHANGE] = { N_("the data line's batches"), { x, x, F, F, x, F } },
    [PL_READ_STATS] = { N_("the figures"), { F, F, F, F, F, F } },
    [PL_READ_JOURNAL] = { N_("the journal"), { x, x, x, F, x, F } },
    [PL_READ_IMPORT] = { N_("an import report"), { x, x, x, F, x, x } },
    [PL_READ_REPORTS] = { N_("a search report"), { x, x, x, F, O, F } },
    [PL_READ_REPORTS_CHECK] = { N_("the verification of the search reports"),
                                { x, x, x, F, x, F } },
};
#undef x
#undef M
#undef O
#undef F

pl_sight pl_read_sight(pl_read read, pledger_role role)
{
    if (read < 0 || read >= PL_READ_COUNT || role < 0 || role > PLEDGER_ROLE_AUDITOR)
        return PL_SIGHT_REFUSED;
    return reads[read].sight[role];
}

int pl_read_check(pl_err *e, pl_read read, pledger_role role, const char *actor,
                  const char *fn, pl_sight *sight_out)
{
    pl_sight s = pl_read_sight(read, role);
    char need[96] = "";

    *sight_out = s;
    if (s != PL_SIGHT_REFUSED)
        return 0;
    if (read < 0 || read >= PL_READ_COUNT)
        return pl_err_set(e, PLEDGER_EPERM, "%s: unknown kind of answer %d", fn, (int)read);
    if (!actor && pl_read_sight(read, 0) == PL_SIGHT_REFUSED)
        return pl_err_set(e, PLEDGER_EPERM,
                          "%s: no actor is set (call pledger_set_actor first); %s is not "
                          "shown to anonymous callers", fn, pl_frag(reads[read].what));
    unsigned shown = 0;
    for (int i = PLEDGER_ROLE_APPLICANT; i <= PLEDGER_ROLE_AUDITOR; i++)
        if (reads[read].sight[i] != PL_SIGHT_REFUSED)
            shown |= 1u << i;
    char need_local[288];
    const char *list = role_list(shown, need, sizeof need, need_local, sizeof need_local);
    return pl_err_set(e, PLEDGER_EPERM, "%s: actor '%s' has role %s; %s is shown only to %s",
                      fn, actor ? actor : "(none)", pl_frag_ctx("role", role_name(role)),
                      pl_frag(reads[read].what), list);
}


int pl_step_check_state(pl_err *e, pl_step step, int state, const char *subject)
{
    const pl_step_rule *r = &rules[step];
    const char *name = r->on_pledge ? pl_pledge_state_name(state) : pl_app_state_name(state);

    if (r->from & (1u << state))
        return 0;
    if (!r->from)
        return pl_err_set(e, PLEDGER_ESTATE, "%s: %s %s is %s; %s is not allowed in that state",
                          r->name, r->on_pledge ? pl_frag("pledge") : pl_frag("application"),
                          subject,
                          name ? pl_frag_ctx("state", name) : pl_frag("in an unknown state"),
                          r->name);
    /* The states the step is allowed in, so that the caller knows what
     * would have let it through (a draft's save, say, after a submit). */
    char from[160], from_local[480];
    const char *list = name_list(r->from, r->on_pledge ? pl_pledge_state_name : pl_app_state_name,
                                 "state", from, sizeof from, from_local, sizeof from_local);
    return pl_err_set(e, PLEDGER_ESTATE, "%s: %s %s is %s; %s is allowed only while it is %s",
                      r->name, r->on_pledge ? pl_frag("pledge") : pl_frag("application"),
                      subject,
                      name ? pl_frag_ctx("state", name) : pl_frag("in an unknown state"),
                      r->name, list);
}

int64_t pl_ctx_now(const pl_ctx *c) { return pl_db_now(c->db); }

int32_t pl_ctx_today(const pl_ctx *c)
{
    return pl_date_of_instant(pl_ctx_now(c), c->utc_offset);
}

int pl_wf_record(const pl_ctx *c, const char *operation, const char *subject, pl_json *j)
{
    char *payload = pl_json_finish(j);
    if (!payload)
        return pl_err_oom(c->e);
    pl_event ev = {
        .at_us = pl_ctx_now(c),
        .actor = c->actor,
        .role = pl_role_name(c->role),
        .operation = operation,
        .subject = subject,
        .payload = payload,
    };
    int rc = pl_record(c->db, c->e, &ev, NULL);
    free(payload);
    return rc;
}

int pl_step_finish(const pl_ctx *c, int rc)
{
    if (rc) {
        pl_db_rollback(c->db);
        return rc;
    }
    return pl_db_commit(c->db, c->e);
}
