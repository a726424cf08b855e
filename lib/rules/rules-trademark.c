/* Trademarks (docs/domain.md §4.3): every identical or similar mark
 * of the pledgor registered on identical or similar goods is pledged
 * together, the marks are described as the register records them, and a
 * mark ending before the debt falls due is reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "store/ops-refreg.h"
#include "rules/rules.h"
#include "base/i18n.h"

static const char B_BUNDLE[] =
    N_("trademark pledge registration rules, as Trademark Law art. 42 for assignments: "
    "identical or similar marks on identical or similar goods are pledged together");
static const char B_TERM[] =
    N_("Trademark Law arts. 39-40: a registration lasts 10 years, renewed in the 12 months before "
    "it ends; trademark pledge registration rules: a mark ending before the debt is reported");
static const char B_DETAILS[] =
    N_("trademark pledge registration rules: the marks as registered (number, classes, mark)");

/* The number is pledged by the application. */
static bool in_application(const pl_app *a, const char *number)
{
    for (size_t i = 0; i < a->n_rights; i++)
        if (a->rights[i].key && strcmp(a->rights[i].key, number) == 0)
            return true;
    return false;
}

/* Growable list of the numbers reported so far. */
typedef struct numbers {
    char **v;
    size_t n, cap;
} numbers;

static bool numbers_has(const numbers *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return true;
    return false;
}

static bool numbers_add(numbers *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return false;
        l->v = v;
        l->cap = cap;
    }
    if (!(l->v[l->n] = strdup(s)))
        return false;
    l->n++;
    return true;
}

static void numbers_free(numbers *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* National numbers in numeric order, then Madrid "G" numbers. */
static int mark_order(const void *a, const void *b)
{
    const char *x = ((const pl_ref_mark *)a)->number, *y = ((const pl_ref_mark *)b)->number;
    bool gx = x[0] == 'G', gy = y[0] == 'G';
    size_t lx, ly;

    if (gx != gy)
        return gx ? 1 : -1;
    x += gx;
    y += gy;
    x += strspn(x, "0");
    y += strspn(y, "0");
    lx = strlen(x);
    ly = strlen(y);
    if (lx != ly)
        return lx < ly ? -1 : 1;
    int c = strcmp(x, y);
    return c ? c : strcmp(((const pl_ref_mark *)a)->number, ((const pl_ref_mark *)b)->number);
}

/* The candidates of the bundling rule: pl_refreg_related_marks()'s
 * definition, in its order, but looked up from the family and the mark
 * text rather than from the owner (store/ops-refreg.h, marks_similar).
 * tests/test-review.c checks that both give the same lists. */
int pl_rule_related_marks(pl_db *db, pl_err *e, pledger_id_type owner_type, const char *owner_id,
                          const pl_ref_trademark *self, pl_ref_marks *out)
{
    pl_ref_owner_key owner = { owner_type, owner_id };
    int rc;

    memset(out, 0, sizeof out[0]);
    if ((rc = PL_OPS(db, refreg)->marks_similar(db, e, &owner, self, out))) {
        pl_ref_marks_clear(out);
        return rc;
    }
    if (out->n > 1)
        qsort(out->items, out->n, sizeof out->items[0], mark_order);
    return 0;
}

/* The pledgor's marks are found by its identifier; when that is missing
 * or invalid, by the identifier the register gives the owner of the
 * pledged mark who bears the pledgor's name. */
static void tm_bundle_missing(pl_rctx *c, const pl_rule *r)
{
    const pl_app_party *p = &c->app->pledgor;
    numbers reported = { 0 };

    for (size_t i = 0; i < c->app->n_rights && !c->rc; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_owner *o = pl_rule_pledgor_record(c, i);
        pl_ref_marks m;
        char *list = NULL;
        size_t len = 0, count = 0;
        FILE *f;
        int rc;

        if (c->refs[i].state != PL_RREF_FOUND || (!p->id_norm && !o))
            continue;
        rc = pl_rule_related_marks(c->db, c->e, p->id_norm ? p->id_type : o->id_type,
                                   p->id_norm ? p->id_norm : o->id, &c->refs[i].tm, &m);
        if (rc) {
            pl_rule_fail(c, rc);
            break;
        }
        if (!(f = open_memstream(&list, &len))) {
            pl_ref_marks_clear(&m);
            pl_rule_fail(c, pl_err_oom(c->e));
            break;
        }
        for (size_t k = 0; k < m.n; k++) {
            const char *n = m.items[k].number;
            /* only a registered mark can (and must) be pledged */
            if (m.items[k].status != PL_REF_REGISTERED || in_application(c->app, n) ||
                numbers_has(&reported, n))
                continue;
            if (!numbers_add(&reported, n)) {
                pl_rule_fail(c, pl_err_oom(c->e));
                break;
            }
            fprintf(f, "%s%s", count++ ? ", " : "", n);
        }
        pl_ref_marks_clear(&m);
        if (fclose(f) != 0 || !list) {
            free(list);
            pl_rule_fail(c, pl_err_oom(c->e));
            break;
        }
        if (count == 1 && !c->rc)
            pl_rule_emit(c, r, x->number.path,
                         "the pledgor's identical or similar mark on identical or similar "
                         "goods must be pledged together with %s: %s is not in the "
                         "application", x->number.norm, list);
        else if (count && !c->rc)
            pl_rule_emit(c, r, x->number.path,
                         "the pledgor's identical or similar marks on identical or similar "
                         "goods must be pledged together with %s: %s are not in the "
                         "application", x->number.norm, list);
        free(list);
    }
    numbers_free(&reported);
}

static bool has_class(const pl_ref_trademark *t, int nice)
{
    for (size_t k = 0; k < t->n_classes; k++)
        if (t->classes[k] == nice)
            return true;
    return false;
}

static void tm_details_differ(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights && !c->rc; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_trademark *t = &c->refs[i].tm;
        char *bad = NULL;
        size_t len = 0, count = 0;
        FILE *f;

        if (c->refs[i].state != PL_RREF_FOUND)
            continue;
        /* every class, however many: no fixed buffer to cut the list */
        if (!(f = open_memstream(&bad, &len))) {
            pl_rule_fail(c, pl_err_oom(c->e));
            return;
        }
        for (size_t k = 0; k < x->n_classes; k++)
            if (!has_class(t, x->classes[k]))
                fprintf(f, "%s%d", count++ ? ", " : "", x->classes[k]);
        if (fclose(f) != 0 || !bad) {
            free(bad);
            pl_rule_fail(c, pl_err_oom(c->e));
            return;
        }
        if (count == 1)
            pl_rule_emit(c, r, x->classes_path, "trademark %s is not registered in class %s",
                         x->number.norm, bad);
        else if (count)
            pl_rule_emit(c, r, x->classes_path, "trademark %s is not registered in classes %s",
                         x->number.norm, bad);
        free(bad);
        if (x->mark.text && t->mark && !pl_rule_same_text(x->mark.text, t->mark))
            pl_rule_emit(c, r, x->mark.path,
                         "the mark of trademark %s is '%s' on the register, not '%s'",
                         x->number.norm, t->mark, x->mark.text);
    }
}

/* A class named twice for one mark ("29 29"): the applicant meant another
 * one, or copied the list wrongly; each repeated class once. */
static void tm_class_repeated(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        bool seen[46] = { false }, told[46] = { false };
        for (size_t k = 0; k < x->n_classes; k++) {
            int nice = x->classes[k];
            if (nice < 1 || nice > 45)
                continue;
            if (seen[nice] && !told[nice]) {
                pl_rule_emit(c, r, x->classes_path, "class %d is listed more than once for "
                             "trademark %s", nice, pl_rule_right_id(x));
                told[nice] = true;
            }
            seen[nice] = true;
        }
    }
}

/* A mark lasts 10 years and is renewed in the 12 months before it ends
 * (or the 6 after): one ending before the debt falls due is reported, the
 * parties to renew it in time; the end of the registration period is
 * RIGHT_EXPIRES_IN_PERIOD's. */
static void tm_expires_before_debt(pl_rctx *c, const pl_rule *r)
{
    const pl_app_date *due = &c->app->claim.performance_end;
    char until[11];

    if (!due->valid)
        return;
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        const pl_ref_right *ref = c->refs[i].right;
        if (c->refs[i].state != PL_RREF_FOUND || !ref || ref->valid_to == PL_REF_NO_DATE ||
            ref->valid_to >= due->days)
            continue;
        pl_date_format(ref->valid_to, until);
        pl_rule_emit(c, r, pl_rule_right_path(x),
                     "trademark %s is registered until %s, before the debtor's performance "
                     "deadline (%s): renew it in the 12 months before it ends, or the pledge "
                     "lapses with it", pl_rule_right_id(x), until, due->raw);
    }
}

#define C PLEDGER_SEVERITY_CORRECTABLE
#define N PLEDGER_SEVERITY_NOTICE

const pl_rule pl_rules_trademark[] = {
    { "TM_BUNDLE_MISSING", C, PL_K_TM,
      N_("An identical or similar registered mark of the pledgor on identical or similar goods "
      "is not pledged with the others; the finding lists the missing registration numbers."),
      B_BUNDLE, tm_bundle_missing, PL_RECHECK },
    { "TM_DETAILS_DIFFER", C, PL_K_TM,
      N_("A mark's Nice classes or text differ from the register."), B_DETAILS,
      tm_details_differ, PL_RECHECK },
    { "TM_CLASS_REPEATED", C, PL_K_TM, N_("A mark's list of Nice classes names a class twice."),
      B_DETAILS, tm_class_repeated },
    { "TM_EXPIRES_BEFORE_DEBT", N, PL_K_TM,
      N_("A mark's registration ends before the debtor's performance deadline: it must be "
      "renewed, or the pledge lapses with it."), B_TERM, tm_expires_before_debt },
};
const size_t pl_rules_trademark_n = sizeof pl_rules_trademark / sizeof pl_rules_trademark[0];
