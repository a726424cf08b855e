/* Pledge steps: change, extend, cancel, revoke, objection; the deadline
 * sweep; the working-day calendar.  Every change closes the current
 * version and opens the next one (store/apply.c), so nothing is lost. */
#include "workflow/pledge-flow.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/text.h"
#include "model/kinds.h"
#include "refreg/refreg.h"
#include "store/apply.h"
#include "store/ops-flow.h"
#include "workflow/app-flow.h"
#include "workflow/pledge-common.h"

/* Transaction, current version, role (which may depend on the kind), state
 * -- on today's date: a pledge whose period ran out has expired, and no
 * step but the sweep's recording of it is taken on it. */
static int begin_pledge(const pl_ctx *c, pl_step step, const char *number, pl_pver *v)
{
    int rc;

    memset(v, 0, sizeof *v);
    if ((rc = pl_step_check_site(c, step)) || (rc = pl_db_write_begin(c->db, c->e)))
        return rc;
    if ((rc = pl_pver_load(c->db, c->e, number, INT64_MIN, v)) ||
        (pl_pver_lapse(v, pl_ctx_today(c)), 0) ||
        (rc = pl_step_check_role(c->e, step, c->role, c->actor, v->kind)) ||
        (rc = pl_step_check_state(c->e, step, v->state, number))) {
        pl_db_rollback(c->db);
        pl_pver_clear(v);
    }
    return rc;
}

static int check_modcode(const pl_ctx *c, const pl_pver *v, const char *step,
                         const char *modcode)
{
    if (!pl_kind(v->kind)->needs_modcode)
        return 0;
    if (!modcode || !*modcode)
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "%s: modcode: pledge %s is a receivable pledge; its modification "
                          "code is required", step, v->number);
    if (!pl_wf_modcode_matches(modcode, v->modcode_salt, v->modcode_hash))
        return pl_err_set(c->e, PLEDGER_ECODE,
                          "%s: modcode: the modification code does not match pledge %s",
                          step, v->number);
    return 0;
}

/* Record version v->version + 1 built by the caller in @v, as the journal
 * operation @operation ("pledge.change"); the version's operation is its
 * name without "pledge." ("change"). */
static int record_version(const pl_ctx *c, pl_pver *v, const char *operation, bool certificate)
{
    const char *dot = strchr(operation, '.');
    pl_json j;
    int rc;

    if ((rc = pl_pver_set(c->e, &v->operation, dot ? dot + 1 : operation)))
        return rc;
    v->version++;
    pl_json_init(&j);
    if (certificate && (rc = pl_wf_json_certificate(c, &j, v, pl_ctx_now(c)))) {
        pl_json_discard(&j);
        return rc;
    }
    pl_json_int(&j, "pledge_id", v->pledge_id);
    pl_wf_json_version(&j, v);
    return pl_wf_record(c, operation, v->number, &j);
}

/* The first C0 control character of @s or a noncharacter U+FFFE/U+FFFF,
 * none of which an XML document (an application, a certificate) can hold,
 * as U+XXXX into @out. */
static bool control_in(const char *s, char out[16])
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = pl_utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            return false;
        if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) {
            snprintf(out, 16, "U+%04X", (unsigned)cp);
            return true;
        }
        i += k;
    }
    return false;
}

/* @s as the registry keeps a name a person typed: white space at its ends
 * dropped, a line break, tab or other white space control inside written
 * as a space, every other character as typed -- full-width forms and runs
 * of spaces kept, as a registration keeps the name of its document (the
 * Chinese parentheses of a company's name are its name).  NULL when out
 * of memory or @s is not UTF-8. */
static char *name_as_typed(const char *s)
{
    size_t n = strlen(s), i = 0, o = 0, end = 0;
    char *out = malloc(n + 1);

    if (!out)
        return NULL;
    while (i < n) {
        uint32_t cp;
        size_t k = pl_utf8_decode(s + i, n - i, &cp);
        if (!k) {
            free(out);
            return NULL;
        }
        i += k;
        if (pl_text_is_space(cp)) {
            if (o == 0)
                continue;   /* leading white space */
            if (cp < 0x20 || cp == 0x85 || cp == 0x2028 || cp == 0x2029)
                cp = ' ';
            o += pl_utf8_encode(cp, out + o);
            continue;
        }
        o += pl_utf8_encode(cp, out + o);
        end = o;            /* trailing white space is cut here */
    }
    out[end] = '\0';
    return out;
}

static int set_name(const pl_ctx *c, char **name, char **key, const char *value,
                    const char *field)
{
    char *folded, *k, *kept;
    int rc;

    if (!*value || !(folded = pl_text_fold(value)) || !*folded) {
        if (*value && !folded)
            return pl_err_oom(c->e);
        free(*value ? folded : NULL);
        return pl_err_set(c->e, PLEDGER_EINVAL, "change: %s is empty", field);
    }
    /* the names the review takes and no other (PARTY_NAME_INVISIBLE; a
     * document cannot hold a control character) */
    char which[16];
    if (pl_text_invisible(folded, which) || control_in(folded, which)) {
        free(folded);
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "change: %s holds %s, a character that shows nothing or a control "
                          "character: the review refuses such a name (PARTY_NAME_INVISIBLE)",
                          field, which);
    }
    if (pl_text_mark_unattached(folded, which)) {
        free(folded);
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "change: %s holds %s, a combining mark with no letter to sit on: the "
                          "review refuses such a name (PARTY_NAME_INVISIBLE)", field, which);
    }
    if (!pl_text_has_letter(folded)) {
        free(folded);
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "change: %s has no letter or digit, only punctuation, symbols or "
                          "marks: the review refuses such a name (PARTY_NAME_NO_LETTER)", field);
    }
    k = pl_text_name_key(folded);
    kept = name_as_typed(value);
    free(folded);
    if (!k || !kept) {
        free(k);
        free(kept);
        return pl_err_oom(c->e);
    }
    rc = pl_pver_set(c->e, name, kept);
    if (!rc)
        rc = pl_pver_set(c->e, key, k);
    free(kept);
    free(k);
    return rc;
}

/* Whether two names (NULL allowed) differ as folded: white space and
 * full-width forms are no difference (pl_text_fold()); a name stored as
 * typed ("（集团）") and the same typed again are the same name. */
static bool differ(const char *a, const char *b)
{
    if ((a == NULL) != (b == NULL))
        return true;
    if (!a || strcmp(a, b) == 0)
        return false;
    char *fa = pl_text_fold(a), *fb = pl_text_fold(b);
    bool d = !fa || !fb || strcmp(fa, fb) != 0;
    free(fa);
    free(fb);
    return d;
}

int pl_wf_change(const pl_ctx *c, const char *number, const pl_change_req *r,
                 const char *modcode)
{
    pl_pver v;
    int rc;

    if (!r->pledgor_name && !r->pledgee_name && r->amount < 0)
        return pl_err_set(c->e, PLEDGER_EINVAL, "change: nothing to change");
    if (r->amount == 0)
        return pl_err_set(c->e, PLEDGER_EINVAL, "change: amount must be positive");
    if ((rc = begin_pledge(c, PL_STEP_CHANGE, number, &v)))
        return rc;
    if ((rc = check_modcode(c, &v, "change", modcode)))
        goto done;
    char *was_pledgor = v.pledgor_name ? strdup(v.pledgor_name) : NULL;
    char *was_pledgee = v.pledgee_name ? strdup(v.pledgee_name) : NULL;
    int64_t was_amount = v.amount;
    if ((v.pledgor_name && !was_pledgor) || (v.pledgee_name && !was_pledgee))
        rc = pl_err_oom(c->e);
    if (!rc && r->pledgor_name)
        rc = set_name(c, &v.pledgor_name, &v.pledgor_key, r->pledgor_name, "pledgor_name");
    if (!rc && r->pledgee_name)
        rc = set_name(c, &v.pledgee_name, &v.pledgee_key, r->pledgee_name, "pledgee_name");
    if (!rc && r->amount > 0)
        v.amount = r->amount;
    /* a change that changes nothing is no new version: it would supersede
     * the certificate a bank holds, and a retried request would pile up
     * versions */
    if (!rc && v.amount == was_amount && !differ(v.pledgor_name, was_pledgor) &&
        !differ(v.pledgee_name, was_pledgee))
        rc = pl_err_set(c->e, PLEDGER_EINVAL,
                        "change: pledge %s already has these names and this amount; nothing "
                        "would change", v.number);
    free(was_pledgor);
    free(was_pledgee);
    if (!rc)
        rc = pl_pver_set(c->e, &v.note, r->note);
    if (!rc)
        rc = record_version(c, &v, pl_step_operation(PL_STEP_CHANGE), true);
done:
    pl_pver_clear(&v);
    return pl_step_finish(c, rc);
}

/* The end of the term of right @r of a pledge of @kind on the reference
 * register, or PL_REF_NO_DATE when the register gives none or does not
 * have the right (kinds whose rights have no term: patents, holdings,
 * receivables); *@found: whether the register has the right.  A failure
 * to read is returned. */
static int right_term_end(const pl_ctx *c, int kind, const pl_pright *r, int32_t *end,
                          bool *found)
{
    int rc = 0;

    *end = PL_REF_NO_DATE;
    *found = false;
    if (!r->identifier)
        return 0;
    if (kind == PLEDGER_KIND_TRADEMARK) {
        pl_ref_trademark tm;
        if (!(rc = pl_refreg_trademark(c->db, c->e, r->identifier, &tm))) {
            *end = tm.r.valid_to;
            *found = true;
            pl_ref_trademark_clear(&tm);
        }
    } else if (kind == PLEDGER_KIND_EMISSION || kind == PLEDGER_KIND_SEA_AREA ||
               kind == PLEDGER_KIND_LAND) {
        pl_ref_certificate cert;
        if (!(rc = pl_refreg_certificate(c->db, c->e, (pledger_kind)kind, r->identifier,
                                         &cert))) {
            *end = cert.r.valid_to;
            *found = true;
            pl_ref_certificate_clear(&cert);
        }
    }
    if (rc == PLEDGER_ENOTFOUND || rc == PLEDGER_EINVAL) {
        pl_err_clear(c->e);
        rc = 0;
    }
    return rc;
}

/* The end of the permit's validity or of the use right's term as the
 * application of pledge @v states it for its right @r, in *@end, its
 * field's path in @path (the registration took it for the right's term
 * when the register did not know the right: EM_PERMIT_ENDS_IN_PERIOD,
 * RL_TERM_ENDS_IN_PERIOD); PL_REF_NO_DATE when it states none.  *@a and
 * *@doc: the application, read at the first call (freed by the caller). */
static int stated_term_end(const pl_ctx *c, const pl_pver *v, const pl_pright *r,
                           pl_app **a, pl_doc **doc, int32_t *end, char path[96])
{
    int rc;

    *end = PL_REF_NO_DATE;
    path[0] = '\0';
    if (v->kind != PLEDGER_KIND_EMISSION && v->kind != PLEDGER_KIND_SEA_AREA &&
        v->kind != PLEDGER_KIND_LAND)
        return 0;
    if (!*a) {
        pl_app_row row;
        if (!v->application_uuid)
            return 0;
        if ((rc = pl_wf_app_load(c, v->application_uuid, &row)))
            return rc;
        rc = pl_wf_stored_app(c, &row, doc, a);
        pl_app_row_clear(&row);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < (*a)->n_rights; i++) {
        const pl_app_right *x = &(*a)->rights[i];
        const pl_app_date *d = v->kind == PLEDGER_KIND_EMISSION ? &x->valid_to : &x->term_end;
        if (x->key && r->key && strcmp(x->key, r->key) == 0 && d->valid) {
            *end = d->days;
            snprintf(path, 96, "%s", d->path ? d->path : "");
            return 0;
        }
    }
    return 0;
}

/* An extension is refused past the term of a pledged right, as the
 * registration was (RIGHT_EXPIRES_IN_PERIOD; for a permit or a use right
 * the register does not know, the term its application states,
 * EM_PERMIT_ENDS_IN_PERIOD, RL_TERM_ENDS_IN_PERIOD): a pledge cannot
 * outlast what it is on. */
static int check_terms(const pl_ctx *c, const pl_pver *v, int32_t new_end)
{
    pl_app *a = NULL;
    pl_doc *doc = NULL;
    int rc = 0;

    for (size_t i = 0; i < v->n_rights && !rc; i++) {
        char d1[11], d2[11], path[96];
        int32_t end;
        bool found;
        if ((rc = right_term_end(c, v->kind, &v->rights[i], &end, &found)))
            break;
        pl_date_format(new_end, d2);
        if (end != PL_REF_NO_DATE && end < new_end) {
            pl_date_format(end, d1);
            rc = pl_err_set(c->e, PLEDGER_EINVAL,
                            "extend: new_end: right %s is in force until %s, before the new "
                            "end of the period %s (RIGHT_EXPIRES_IN_PERIOD)",
                            v->rights[i].identifier, d1, d2);
            break;
        }
        if (found || (rc = stated_term_end(c, v, &v->rights[i], &a, &doc, &end, path)))
            continue;
        if (end != PL_REF_NO_DATE && end < new_end) {
            pl_date_format(end, d1);
            rc = pl_err_set(c->e, PLEDGER_EINVAL,
                            "extend: new_end: right %s is in force until %s as its application "
                            "states (%s; the register does not know it), before the new end of "
                            "the period %s (%s)",
                            v->rights[i].identifier, d1, path, d2,
                            v->kind == PLEDGER_KIND_EMISSION ? "EM_PERMIT_ENDS_IN_PERIOD"
                                                             : "RL_TERM_ENDS_IN_PERIOD");
        }
    }
    pl_app_free(a);
    pl_doc_free(doc);
    return rc;
}

int pl_wf_extend(const pl_ctx *c, const char *number, int32_t new_end, const char *modcode)
{
    char d1[11], d2[11];
    pl_pver v;
    int rc;

    if ((rc = begin_pledge(c, PL_STEP_EXTEND, number, &v)))
        return rc;
    if ((rc = check_modcode(c, &v, "extend", modcode)))
        goto done;
    pl_date_format(v.period_end, d1);
    pl_date_format(new_end, d2);
    if (new_end <= v.period_end) {
        rc = pl_err_set(c->e, PLEDGER_EINVAL,
                        "extend: new_end %s is not after the current end of the period %s", d2, d1);
        goto done;
    }
    if (v.kind == PLEDGER_KIND_RECEIVABLE) {
        int32_t t = pl_ctx_today(c);
        if (t < v.period_end - 90 || t > v.period_end) {
            rc = pl_err_set(c->e, PLEDGER_ESTATE,
                            "extend: a receivable pledge is extended only in the 90 days before "
                            "it expires (%s); not now",
                            d1);
            goto done;
        }
        if (new_end < pl_date_add_months(v.period_end, 1) ||
            new_end > pl_date_add_years(v.period_end, 30)) {
            rc = pl_err_set(c->e, PLEDGER_EINVAL,
                            "extend: new_end: an extension is 1 month to 30 years; %s to %s is not",
                            d1, d2);
            goto done;
        }
    }
    if ((rc = check_terms(c, &v, new_end)))
        goto done;
    v.period_end = new_end;
    if ((rc = pl_pver_set(c->e, &v.note, NULL)))
        goto done;
    rc = record_version(c, &v, pl_step_operation(PL_STEP_EXTEND), true);
done:
    pl_pver_clear(&v);
    return pl_step_finish(c, rc);
}

/* A step that changes only the state (and the note / objection fields). */
/* @extra: the modification code (cancel) or the objector (object). */
static int state_step(const pl_ctx *c, pl_step step, const char *number, const char *extra,
                      const char *note)
{
    pl_pver v;
    int rc;

    if ((rc = begin_pledge(c, step, number, &v)))
        return rc;
    if (step == PL_STEP_CANCEL && (rc = check_modcode(c, &v, pl_step_rule_of(step)->name, extra)))
        goto done;
    if (step == PL_STEP_OBJECT && v.kind != PLEDGER_KIND_RECEIVABLE) {
        rc = pl_err_set(c->e, PLEDGER_ESTATE,
                        "object: pledge %s is a %s pledge; objections are registered for "
                        "receivable pledges only",
                        number, pl_frag_ctx("kind", pl_kind(v.kind)->name));
        goto done;
    }
    if (step == PL_STEP_LITIGATION && v.litigation) {
        rc = pl_err_set(c->e, PLEDGER_ESTATE,
                        "record_litigation: litigation on the objection to pledge %s is "
                        "already recorded", number);
        goto done;
    }
    v.state = pl_step_rule_of(step)->to;
    switch (step) {
    case PL_STEP_OBJECT:
        rc = pl_pver_set(c->e, &v.objection_by, extra);
        v.objection_until = pl_ctx_today(c) + 30;
        v.litigation = 0;
        break;
    case PL_STEP_LITIGATION:
        v.litigation = 1;
        break;
    case PL_STEP_DISMISS_OBJECTION:
        rc = pl_pver_set(c->e, &v.objection_by, NULL);
        v.objection_until = INT32_MIN;
        v.litigation = 0;
        break;
    default:
        break;
    }
    if (!rc && !(rc = pl_pver_set(c->e, &v.note, note)))
        rc = record_version(c, &v, pl_step_operation(step), false);
done:
    pl_pver_clear(&v);
    return pl_step_finish(c, rc);
}

int pl_wf_cancel(const pl_ctx *c, const char *number, const char *modcode, const char *note)
{
    return state_step(c, PL_STEP_CANCEL, number, modcode, note);
}

int pl_wf_revoke(const pl_ctx *c, const char *number, const char *ground, const char *note)
{
    char *text = NULL;
    int rc;
    if (asprintf(&text, "%s%s%s", ground, note ? ": " : "", note ? note : "") < 0)
        return pl_err_oom(c->e);
    rc = state_step(c, PL_STEP_REVOKE, number, NULL, text);
    free(text);
    return rc;
}

int pl_wf_object(const pl_ctx *c, const char *number, const char *objector, const char *note)
{
    return state_step(c, PL_STEP_OBJECT, number, objector, note);
}

int pl_wf_litigation(const pl_ctx *c, const char *number)
{
    return state_step(c, PL_STEP_LITIGATION, number, NULL, NULL);
}

int pl_wf_dismiss_objection(const pl_ctx *c, const char *number, const char *note)
{
    return state_step(c, PL_STEP_DISMISS_OBJECTION, number, NULL, note);
}

/* ---- the deadline sweep ------------------------------------------------------ */

typedef struct strlist {
    char **v;
    size_t n;
} strlist;

static void strlist_clear(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int strlist_add(void *arg, pl_err *e, const char *subject)
{
    strlist *l = arg;
    char **v = realloc(l->v, (l->n + 1) * sizeof *v);

    if (!v)
        return pl_err_oom(e);
    l->v = v;
    if (!(v[l->n] = strdup(subject)))
        return pl_err_oom(e);
    l->n++;
    return 0;
}

/* The subjects of sweep @which for @day. */
static int select_subjects(const pl_ctx *c, pl_sweep which, int32_t day, strlist *out)
{
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = PL_OPS(c->db, flow)->sweep_subjects(c->db, c->e, which, day, strlist_add, out)))
        strlist_clear(out);
    return rc;
}

/* Expire a pledge, or let its objection lapse, if it still qualifies. */
static int sweep_pledge(const pl_ctx *c, const char *number, bool objection)
{
    pl_pver v;
    int32_t t;
    int rc;

    if ((rc = pl_db_write_begin(c->db, c->e)))
        return rc;
    t = pl_ctx_today(c);
    if ((rc = pl_pver_load(c->db, c->e, number, INT64_MIN, &v)))
        return pl_step_finish(c, rc);
    bool due = objection ? v.state == PLEDGER_PLEDGE_UNDER_OBJECTION && !v.litigation &&
                               v.objection_until != INT32_MIN && v.objection_until < t
                         : (v.state == PLEDGER_PLEDGE_ACTIVE ||
                            v.state == PLEDGER_PLEDGE_UNDER_OBJECTION) && v.period_end < t;
    if (!due) {
        pl_pver_clear(&v);
        pl_db_rollback(c->db);
        return 1;
    }
    if (objection) {
        v.state = PLEDGER_PLEDGE_ACTIVE;
        v.objection_until = INT32_MIN;
        rc = pl_pver_set(c->e, &v.objection_by, NULL);
        if (!rc)
            rc = pl_pver_set(c->e, &v.note, "no litigation was filed within 30 days");
    } else {
        v.state = PLEDGER_PLEDGE_EXPIRED;
        rc = pl_pver_set(c->e, &v.note, "the registration period ended");
    }
    if (!rc)
        rc = record_version(c, &v, objection ? PL_OP_OBJECTION_LAPSE
                                             : pl_step_operation(PL_STEP_EXPIRE), false);
    pl_pver_clear(&v);
    return pl_step_finish(c, rc);
}

int pl_wf_expire(const pl_ctx *c, int *count)
{
    const pl_sweep sweeps[] = { PL_SWEEP_CORRECTIONS, PL_SWEEP_OBJECTIONS, PL_SWEEP_ENDED };
    int32_t t = pl_ctx_today(c);
    int rc;

    *count = 0;
    if ((rc = pl_step_check_role(c->e, PL_STEP_EXPIRE, c->role, c->actor, 0)))
        return rc;
    for (int pass = 0; pass < 3; pass++) {
        strlist l;
        if ((rc = select_subjects(c, sweeps[pass], t, &l)))
            return rc;
        for (size_t i = 0; i < l.n; i++) {
            rc = pass == 0 ? pl_wf_deem_withdrawn(c, l.v[i]) : sweep_pledge(c, l.v[i], pass == 1);
            if (rc < 0) {
                strlist_clear(&l);
                return rc;
            }
            if (rc == 0)
                (*count)++;
        }
        strlist_clear(&l);
    }
    return 0;
}

/* ---- the calendar ----------------------------------------------------------------- */

int pl_wf_calendar_store(const pl_ctx *c, const pl_calendar *cal)
{
    pl_json j;
    int rc;

    if ((rc = pl_step_check_role(c->e, PL_STEP_CALENDAR, c->role, c->actor, 0)) ||
        (rc = pl_db_write_begin(c->db, c->e)))
        return rc;
    pl_json_init(&j);
    pl_json_begin_array(&j, "days");
    for (size_t i = 0; i < pl_calendar_count(cal); i++) {
        int32_t day;
        int kind;
        pl_calendar_entry(cal, i, &day, &kind);
        pl_json_begin_object(&j, NULL);
        pl_json_int(&j, "day", day);
        pl_json_int(&j, "kind", kind);
        pl_json_str(&j, "name", "");
        pl_json_end_object(&j);
    }
    pl_json_end_array(&j);
    return pl_step_finish(c, pl_wf_record(c, pl_step_operation(PL_STEP_CALENDAR), "calendar",
                                          &j));
}

static int calendar_add(void *arg, pl_err *e, int32_t day, int kind)
{
    return pl_calendar_set(arg, e, day, kind);
}

int pl_wf_calendar_read(pl_db *db, pl_err *e, pl_calendar **out)
{
    pl_calendar *cal;
    int rc;

    *out = NULL;
    if (!(cal = pl_calendar_new()))
        return pl_err_oom(e);
    if ((rc = PL_OPS(db, flow)->calendar_days(db, e, calendar_add, cal))) {
        pl_calendar_free(cal);
        return rc;
    }
    *out = cal;
    return 0;
}
