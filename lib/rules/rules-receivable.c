/* Accounts receivable (docs/domain.md §4.5): registered by the
 * pledgee alone without substantive review, for 1 month to 30 years;
 * several pledges on the same receivables rank by registration time, so
 * earlier ones and objections against them are notices, not refusals. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "model/kinds.h"
#include "rules/rules.h"
#include "store/ops-review.h"
#include "base/i18n.h"

static const char B_PERIOD[] =
    N_("receivable pledge registration measures: a registration period of 1 month to 30 years");
static const char B_RANK[] =
    N_("Civil Code art. 414: pledges of the same receivables rank by registration time");
static const char B_OBJECTION[] =
    N_("receivable pledge registration measures: an objection lapses unless litigation follows "
    "within 30 days");
static const char B_DEBTOR[] =
    N_("Civil Code art. 440: a receivable, a claim of the pledgor against another, may be "
       "pledged");
static const char B_PLEDGEE[] =
    N_("receivable pledge registration measures: the pledgee registers alone");

/* The length of the period is its one input: a period that ends before
 * it starts (PERIOD_INVERTED) has none, and which end is wrong decides
 * what it would be. */
static void rc_period_range(pl_rctx *c, const pl_rule *r)
{
    const pl_app_period *p = &c->app->period;
    if (!p->start.valid || !p->end.valid || p->start.days > p->end.days)
        return;
    if (p->end.days < pl_date_add_months(p->start.days, 1) ||
        p->end.days > pl_date_add_years(p->start.days, 30))
        pl_rule_emit(c, r, p->end.path, "a receivable pledge is registered for 1 month to 30 "
                     "years; %s to %s is not", p->start.raw, p->end.raw);
}

/* A finding names this many pledges on a receivable and counts the rest:
 * each review of a receivable pledged thousands of times listed them all
 * (a 3,000-item batch on one receivable took minutes, and its findings
 * hundreds of megabytes). */
#define PRIOR_NAMED 10

/* The pledges on each receivable: @objected selects those under
 * objection, else all of them (for the rank). */
static void prior(pl_rctx *c, const pl_rule *r, bool objected)
{
    for (size_t i = 0; i < c->app->n_rights && !c->rc; i++) {
        const pl_app_right *x = &c->app->rights[i];
        pl_rpledges p;
        char *list = NULL;
        size_t len = 0;
        FILE *f;
        int rc;

        if (!x->key)
            continue;
        if ((rc = pl_rule_pledges_on(c, x->kind, x->key,
                                     objected ? PLEDGER_PLEDGE_UNDER_OBJECTION : 0,
                                     PRIOR_NAMED, &p))) {
            pl_rule_fail(c, rc);
            return;
        }
        size_t count = p.total;
        /* in a bulk filing, its items reviewed before this one register
         * before it: they rank before it too */
        size_t earlier = objected ? 0 : pl_rule_batch_earlier(c, x->kind, x->key);
        if (!count && earlier) {
            pl_rule_emit(c, r, x->path, "earlier items of this batch pledge the same "
                         "receivable (%zu of them): this pledge will take rank %zu, after them",
                         earlier, earlier + 1);
            pl_rpledges_clear(&p);
            continue;
        }
        if (!count) {
            pl_rpledges_clear(&p);
            continue;
        }
        if (!(f = open_memstream(&list, &len))) {
            pl_rpledges_clear(&p);
            pl_rule_fail(c, pl_err_oom(c->e));
            return;
        }
        for (size_t k = 0; k < p.n; k++)
            fprintf(f, "%s%s", k ? ", " : "", p.v[k].number);
        if (fclose(f) != 0 || !list) {
            free(list);
            pl_rpledges_clear(&p);
            pl_rule_fail(c, pl_err_oom(c->e));
            return;
        }
        size_t more = count - p.n;
        if (count == 1 && objected)
            pl_rule_emit(c, r, x->path, "an objection is registered against pledge %s on "
                         "the same receivable", list);
        else if (objected && more)
            pl_rule_emit(c, r, x->path, "an objection is registered against pledges %s and "
                         "%zu more on the same receivable", list, more);
        else if (objected)
            pl_rule_emit(c, r, x->path, "an objection is registered against pledges %s on "
                         "the same receivable", list);
        else if (earlier && more)
            pl_rule_emit(c, r, x->path, "the receivable is already pledged (%s and %zu more), "
                         "and earlier items of this batch pledge it too (%zu of them): this "
                         "pledge will take rank %zu, after them all", list, more, earlier,
                         count + earlier + 1);
        else if (earlier)
            pl_rule_emit(c, r, x->path, "the receivable is already pledged (%s), and earlier "
                         "items of this batch pledge it too (%zu of them): this pledge will "
                         "take rank %zu, after them all", list, earlier, count + earlier + 1);
        else if (count == 1)
            pl_rule_emit(c, r, x->path, "the receivable is already pledged (%s): this pledge "
                         "will take rank 2, after the one registered before it", list);
        else if (more)
            pl_rule_emit(c, r, x->path, "the receivable is already pledged (%s and %zu more): "
                         "this pledge will take rank %zu, after those registered before it",
                         list, more, count + 1);
        else
            pl_rule_emit(c, r, x->path, "the receivable is already pledged (%s): this pledge "
                         "will take rank %zu, after those registered before it", list,
                         count + 1);
        free(list);
        pl_rpledges_clear(&p);
    }
    /* counted once every right is ranked: an item naming a right twice
     * does not rank after itself */
    for (size_t i = 0; !objected && i < c->app->n_rights && !c->rc; i++) {
        int rc = c->app->rights[i].key
                     ? pl_rule_batch_mark(c, c->app->rights[i].kind, c->app->rights[i].key)
                     : 0;
        if (rc)
            pl_rule_fail(c, rc);
    }
}

/* The pledges sharing_add gathers: numbers once each, the first
 * PRIOR_NAMED kept, all counted. */
typedef struct shared {
    char *v[PRIOR_NAMED];
    size_t n, total;
    const char *debtor;   /* the debtor in common of the first found */
    const char *asked;    /* the debtor being asked about */
} shared;

static int sharing_add(void *arg, pl_err *e, const char *number, int state)
{
    shared *s = arg;
    (void)state;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], number) == 0)
            return 0;
    if (s->n == PRIOR_NAMED) {
        s->total++;   /* may count one named under another debtor again: a bound */
        return 0;
    }
    if (!(s->v[s->n] = strdup(number)))
        return pl_err_oom(e);
    if (!s->n)
        s->debtor = s->asked;
    s->n++;
    s->total++;
    return 0;
}

/* Pseudo-kinds of a bulk filing's memory (pl_rule_batch_*): the items
 * before this one under a debtor and contract number, and among them
 * those with this receivable's key (RC_PRIOR_PLEDGE ranks those). */
#define BATCH_DEBTOR ((pledger_kind)101)
#define BATCH_DEBTOR_KEY ((pledger_kind)102)

/* In a bulk filing: its items before this one that name a debtor of
 * receivable @x under the same contract number @contract with another
 * key register before it, and may be the same receivable (a notice, as
 * for the pledges already registered); then this item is counted for the
 * next ones. */
static void batch_shared(pl_rctx *c, const pl_rule *r, const pl_app_right *x,
                         const char *contract)
{
    size_t most = 0;
    const char *which = NULL;
    char *keys[2] = { NULL, NULL };

    for (int pass = 0; pass < 2 && !c->rc; pass++)
        for (size_t j = 0; j < x->n_debtors && !c->rc; j++) {
            const char *id = x->debtors[j].id_norm;
            int rc = 0;
            if (!id || !*id)
                continue;
            if (asprintf(&keys[0], "%s/%s", id, contract) < 0)
                keys[0] = NULL;
            if (keys[0] && asprintf(&keys[1], "%s\x1f%s", keys[0], x->key) < 0)
                keys[1] = NULL;
            if (!keys[0] || !keys[1]) {
                rc = pl_err_oom(c->e);
            } else if (pass == 0) {
                size_t all = pl_rule_batch_earlier(c, BATCH_DEBTOR, keys[0]);
                size_t same = pl_rule_batch_earlier(c, BATCH_DEBTOR_KEY, keys[1]);
                if (all > same && all - same > most) {
                    most = all - same;
                    which = id;
                }
            } else if (!(rc = pl_rule_batch_mark(c, BATCH_DEBTOR, keys[0]))) {
                rc = pl_rule_batch_mark(c, BATCH_DEBTOR_KEY, keys[1]);
            }
            free(keys[0]);
            free(keys[1]);
            keys[0] = keys[1] = NULL;
            if (rc)
                pl_rule_fail(c, rc);
        }
    if (most && !c->rc)
        pl_rule_emit(c, r, x->path, "earlier items of this batch (%zu of them) pledge "
                     "receivables under the same contract number (%s) that share a debtor "
                     "with this one (%s): if one is this receivable, this pledge will rank "
                     "after them", most, contract, which);
}

/* A receivable is known by the debtor whose identifier sorts first and
 * its contract number: the same receivable filed again with a debtor
 * added whose identifier sorts before is another right by that key, and
 * RC_PRIOR_PLEDGE cannot see the pledge on it.  Pledges in force under
 * the same contract number that name one of this receivable's debtors
 * are therefore a notice of their own. */
static void rc_shared_debtor(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights && !c->rc; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const char *slash = x->key ? strchr(x->key, '/') : NULL;
        shared s = { .n = 0 };
        int rc = 0;

        if (x->kind != PLEDGER_KIND_RECEIVABLE || !slash || strncmp(x->key, "desc:", 5) == 0)
            continue;
        for (size_t j = 0; j < x->n_debtors && !rc; j++) {
            const char *id = x->debtors[j].id_norm;
            bool again = false;
            if (!id || !*id)
                continue;
            for (size_t k = 0; k < j && !again; k++)
                again = x->debtors[k].id_norm && strcmp(x->debtors[k].id_norm, id) == 0;
            if (again)
                continue;
            s.asked = id;
            rc = PL_OPS(c->db, review)->pledges_sharing_debtor(c->db, c->e, id, slash + 1,
                                                               x->key, sharing_add, &s);
        }
        char *list = NULL;
        size_t len = 0;
        FILE *f = !rc && s.n ? open_memstream(&list, &len) : NULL;
        if (!rc && s.n && !f)
            rc = pl_err_oom(c->e);
        for (size_t k = 0; f && k < s.n; k++)
            fprintf(f, "%s%s", k ? ", " : "", s.v[k]);
        if (f && (fclose(f) != 0 || !list))
            rc = pl_err_oom(c->e);
        if (rc) {
            pl_rule_fail(c, rc);
        } else if (s.n == 1 && s.total == 1) {
            pl_rule_emit(c, r, x->path, "pledge %s, in force, is on a receivable under the same "
                         "contract number (%s) that also has debtor %s: if it is this "
                         "receivable, this pledge will rank after it", list, slash + 1,
                         s.debtor);
        } else if (s.total > s.n) {
            pl_rule_emit(c, r, x->path, "pledges %s and %zu more, in force, are on receivables "
                         "under the same contract number (%s) that share a debtor with this "
                         "one (%s): if one is this receivable, this pledge will rank after its "
                         "pledges", list, s.total - s.n, slash + 1, s.debtor);
        } else if (s.n) {
            pl_rule_emit(c, r, x->path, "pledges %s, in force, are on receivables under the "
                         "same contract number (%s) that share a debtor with this one (%s): if "
                         "one is this receivable, this pledge will rank after its pledges",
                         list, slash + 1, s.debtor);
        }
        free(list);
        for (size_t k = 0; k < s.n; k++)
            free(s.v[k]);
        if (!rc)
            batch_shared(c, r, x, slash + 1);
    }
}

static void rc_prior_pledge(pl_rctx *c, const pl_rule *r) { prior(c, r, false); }
static void rc_under_objection(pl_rctx *c, const pl_rule *r) { prior(c, r, true); }

/* A receivable the pledgor owes itself is none it can pledge: a debtor
 * with the pledgor's identifier (a wrong identifier, most often). */
static void rc_debtor_is_pledgor(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        for (size_t j = 0; j < x->n_debtors; j++)
            if (pl_rule_same_party(&c->app->pledgor, &x->debtors[j]))
                pl_rule_emit(c, r, x->debtors[j].id_path, "the debtor has the pledgor's "
                             "identifier: a receivable the pledgor owes itself cannot be "
                             "pledged");
    }
}

static void rc_filed_jointly(pl_rctx *c, const pl_rule *r)
{
    const pl_app_flag *j = &c->app->filing.joint;
    if (j->has && j->value)
        pl_rule_emit(c, r, j->path, "a receivable pledge is registered by the pledgee alone; "
                     "the pledgor need not file");
}

#define C PLEDGER_SEVERITY_CORRECTABLE
#define N PLEDGER_SEVERITY_NOTICE

const pl_rule pl_rules_receivable[] = {
    { "RC_PERIOD_RANGE", C, PL_K_RC,
      N_("The registration period is shorter than 1 month or longer than 30 years."), B_PERIOD,
      rc_period_range },
    { "RC_DEBTOR_IS_PLEDGOR", C, PL_K_RC,
      N_("A debtor of the receivable is the pledgor itself."), B_DEBTOR, rc_debtor_is_pledgor },
    { "RC_PRIOR_PLEDGE", N, PL_K_RC,
      N_("The receivable is already pledged; the finding gives the rank this pledge would take."),
      B_RANK, rc_prior_pledge },
    { "RC_SHARED_DEBTOR", N, PL_K_RC,
      N_("A pledge is registered on a receivable under the same contract number with a debtor "
         "in common; it may be this receivable with its debtors listed otherwise."),
      B_RANK, rc_shared_debtor },
    { "RC_UNDER_OBJECTION", N, PL_K_RC,
      N_("An objection is registered against a pledge on the same receivable."), B_OBJECTION,
      rc_under_objection },
    { "RC_FILED_JOINTLY", N, PL_K_RC,
      N_("The application says it is filed jointly; the pledgee registers alone."), B_PLEDGEE,
      rc_filed_jointly },
};
const size_t pl_rules_receivable_n = sizeof pl_rules_receivable / sizeof pl_rules_receivable[0];
