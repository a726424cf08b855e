/* The review engine: looks every right up on the reference register once,
 * then runs every row of the rule tables (rules.h) that applies to the
 * application's kind, in table order, and collects all their findings. */
#include "rules/review.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/text.h"
#include "model/kinds.h"
#include "rules/rules.h"
#include "store/ops-refreg.h"
#include "store/ops-review.h"

/* ---- the tables ----------------------------------------------------------- */

static const struct {
    const pl_rule *rows;
    const size_t *n;
} tables[] = {
    { pl_rules_common, &pl_rules_common_n },
    { pl_rules_register, &pl_rules_register_n },
    { pl_rules_trademark, &pl_rules_trademark_n },
    { pl_rules_patent, &pl_rules_patent_n },
    { pl_rules_receivable, &pl_rules_receivable_n },
    { pl_rules_equity, &pl_rules_equity_n },
    { pl_rules_emission, &pl_rules_emission_n },
    { pl_rules_sea_land, &pl_rules_sea_land_n },
};
#define N_TABLES (sizeof tables / sizeof tables[0])

size_t pl_rule_count(void)
{
    size_t n = 0;
    for (size_t t = 0; t < N_TABLES; t++)
        n += *tables[t].n;
    return n;
}

const pl_rule *pl_rule_at(size_t i)
{
    for (size_t t = 0; t < N_TABLES; t++) {
        if (i < *tables[t].n)
            return &tables[t].rows[i];
        i -= *tables[t].n;
    }
    return NULL;
}

const pl_rule *pl_rule_find(const char *code)
{
    for (size_t t = 0; code && t < N_TABLES; t++)
        for (size_t i = 0; i < *tables[t].n; i++)
            if (strcmp(tables[t].rows[i].code, code) == 0)
                return &tables[t].rows[i];
    return NULL;
}

/* ---- reporting ------------------------------------------------------------ */

void pl_rule_emit(pl_rctx *c, const pl_rule *r, const char *path, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pl_findings_addv(c->out, r->code, r->severity, path, r->basis, fmt, ap);
    va_end(ap);
    /* every message is a sentence: the checks leave the full stop here */
    pl_findings_end_sentence(c->out);
}

void pl_rule_fail(pl_rctx *c, int rc)
{
    if (!c->rc)
        c->rc = rc;
}

/* ---- helpers ---------------------------------------------------------------- */

const char *pl_rule_right_word(pledger_kind kind)
{
    switch (kind) {
    case PLEDGER_KIND_TRADEMARK: return pl_frag("trademark");
    case PLEDGER_KIND_PATENT: return pl_frag("patent");
    case PLEDGER_KIND_RECEIVABLE: return pl_frag("receivable");
    case PLEDGER_KIND_EQUITY: return pl_frag("equity in company");
    case PLEDGER_KIND_EMISSION: return pl_frag("discharge permit");
    case PLEDGER_KIND_SEA_AREA: return pl_frag("sea-area certificate");
    case PLEDGER_KIND_LAND: return pl_frag("land certificate");
    }
    return pl_frag("right");
}

/* @noun in the messages' language; until the catalogue has it, the
 * translation of the kind's API name @api, which names the same right. */
static const char *kind_noun(const char *noun, const char *api)
{
    const char *t = pl_tr_ctx("right", noun);
    if (t == noun) {
        const char *k = pl_tr_ctx("kind", api);
        if (k != api)
            t = k;
    }
    return t == noun ? noun : pl_frag_pair(noun, t);
}

const char *pl_rule_kind_noun(pledger_kind kind)
{
    switch (kind) {
    case PLEDGER_KIND_TRADEMARK: return kind_noun(NC_("right", "trademark"), "trademark");
    case PLEDGER_KIND_PATENT: return kind_noun(NC_("right", "patent"), "patent");
    case PLEDGER_KIND_RECEIVABLE: return kind_noun(NC_("right", "receivable"), "receivable");
    case PLEDGER_KIND_EQUITY: return kind_noun(NC_("right", "equity"), "equity");
    case PLEDGER_KIND_EMISSION:
        return kind_noun(NC_("right", "pollutant discharge right"), "emission");
    case PLEDGER_KIND_SEA_AREA: return kind_noun(NC_("right", "sea-area use right"), "sea_area");
    case PLEDGER_KIND_LAND: return kind_noun(NC_("right", "land management right"), "land");
    }
    return pl_frag("right");
}

const char *pl_rule_right_id(const pl_app_right *r)
{
    const pl_app_ident *id = pl_app_right_ident(r);
    if (!id)
        return r->key ? r->key : "";
    return id->norm ? id->norm : id->raw ? id->raw : "";
}

const char *pl_rule_right_path(const pl_app_right *r)
{
    const pl_app_ident *id = pl_app_right_ident(r);
    return id ? id->path : r->path;
}

bool pl_rule_is_owner(const pl_app_party *p, const pl_ref_owner *o)
{
    if (p->id_norm)
        return p->id_type == o->id_type && strcmp(p->id_norm, o->id) == 0;
    return p->name_key && o->name_key && strcmp(p->name_key, o->name_key) == 0;
}

bool pl_rule_co_owner_declared(const pl_app_right *x, const pl_ref_owner *o)
{
    for (size_t k = 0; k < x->n_co_owners; k++)
        if (pl_rule_is_owner(&x->co_owners[k], o))
            return true;
    return false;
}

void pl_rule_co_owner_consent(pl_rctx *c, const pl_rule *r)
{
    for (size_t i = 0; i < c->app->n_rights; i++) {
        const pl_app_right *x = &c->app->rights[i];
        for (size_t k = 0; k < x->n_co_owners; k++) {
            const pl_app_party *o = &x->co_owners[k];
            if (!o->consent.has || !o->consent.value)
                pl_rule_emit(c, r, o->consent.path,
                             "co-owner %s of %s %s has not consented to the pledge",
                             o->name.text ? o->name.text : "", pl_rule_right_word(x->kind),
                             pl_rule_right_id(x));
        }
    }
}

const pl_ref_owner *pl_rule_pledgor_record(const pl_rctx *c, size_t i)
{
    const pl_rref *ref = &c->refs[i];

    if (ref->state != PL_RREF_FOUND)
        return NULL;
    if (c->app->kind == PLEDGER_KIND_EQUITY)
        return &ref->holding.shareholder;
    for (size_t k = 0; ref->right && k < ref->right->n_owners; k++)
        if (pl_rule_is_owner(&c->app->pledgor, &ref->right->owners[k]))
            return &ref->right->owners[k];
    return NULL;
}

const pl_app_material *pl_rule_material(const pl_app *a, pl_material_kind kind)
{
    for (size_t i = 0; i < a->n_materials; i++)
        if (a->materials[i].kind == kind)
            return &a->materials[i];
    return NULL;
}

static int ascii_lower(int ch) { return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch; }

static bool ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
            return false;
    return *a == *b;
}

bool pl_rule_is_chinese(const char *lang)
{
    static const char *const names[] = { "zh", "zho", "chi", "chinese", "中文", "汉语" };
    size_t n;

    if (!lang)
        return false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (ascii_ieq(lang, names[i]))
            return true;
    /* zh-CN, zh_Hans, ... */
    n = strlen(lang);
    return n > 3 && ascii_lower((unsigned char)lang[0]) == 'z' &&
           ascii_lower((unsigned char)lang[1]) == 'h' && (lang[2] == '-' || lang[2] == '_');
}

bool pl_rule_same_text(const char *a, const char *b)
{
    char *fa, *fb;
    bool same;

    if (!a || !b)
        return false;
    fa = pl_text_fold(a);
    fb = pl_text_fold(b);
    same = fa && fb && ascii_ieq(fa, fb);
    free(fa);
    free(fb);
    return same;
}

bool pl_rule_is_foreign(const pl_app_party *p)
{
    return p->present && (p->type == PL_PARTY_FOREIGN || p->id_type == PLEDGER_ID_PASSPORT ||
                          p->id_type == PLEDGER_ID_FOREIGN_REG);
}

int32_t pl_rule_patent_term_end(int type, int32_t filing)
{
    int years;

    if (filing == INT32_MIN) /* also PL_REF_NO_DATE */
        return INT32_MIN;
    switch (type) {
    case PL_PATENT_INVENTION: years = 20; break;
    case PL_PATENT_UTILITY_MODEL: years = 10; break;
    case PL_PATENT_DESIGN:
        /* Patent Law as amended in 2020, in force 2021-06-01 */
        years = filing >= pl_days_from_civil(2021, 6, 1) ? 15 : 10;
        break;
    default: return INT32_MIN;
    }
    return pl_date_add_years(filing, years) - 1;
}

/* ---- the registry's own pledges ----------------------------------------------- */

void pl_rpledges_clear(pl_rpledges *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i].number);
    free(p->v);
    memset(p, 0, sizeof *p);
}

typedef struct {
    pl_rpledges *out;
    size_t cap, max;
    int state;
} pledges_acc;

static int pledge_add(void *arg, pl_err *e, const char *number, int state)
{
    pledges_acc *a = arg;
    pl_rpledges *out = a->out;

    if (a->state && state != a->state)
        return 0;
    if (out->total++ >= a->max)
        return 0; /* counted, not named */
    if (out->n == a->cap) {
        size_t n = a->cap ? a->cap * 2 : 4;
        pl_rpledge *v = realloc(out->v, n * sizeof *v);
        if (!v)
            return pl_err_oom(e);
        out->v = v;
        a->cap = n;
    }
    out->v[out->n].state = state;
    if (!(out->v[out->n].number = strdup(number)))
        return pl_err_oom(e);
    out->n++;
    return 0;
}

/* ---- a bulk filing's memory ------------------------------------------------------ */

typedef struct memo_entry {
    int kind, state;
    size_t max;
    char *key;
    pl_rpledges got;      /* a copy, handed out copied */
    size_t earlier;       /* items reviewed so far that pledge the right */
    int64_t marked_by;    /* the application that counted last (once an item) */
    bool have_got;
    int pend_n;           /* the pending applications on the right, before the batch */
    char *pend_first;     /* the first of them in words (NULL: none) */
} memo_entry;

struct pl_review_memo {
    memo_entry *v;
    size_t n, cap;
    size_t *slots;  /* open addressing: entry index + 1, 0 empty */
    size_t nslots;  /* a power of two, over twice n */
};

pl_review_memo *pl_review_memo_new(void) { return calloc(1, sizeof(pl_review_memo)); }

void pl_review_memo_free(pl_review_memo *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].key);
        free(m->v[i].pend_first);
        pl_rpledges_clear(&m->v[i].got);
    }
    free(m->v);
    free(m->slots);
    free(m);
}

static size_t memo_hash(int kind, const char *key, int state, size_t max)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    h ^= (uint64_t)(unsigned)kind << 40 ^ (uint64_t)(unsigned)(state + 8) << 48 ^ max;
    h *= 0x9E3779B97F4A7C15u;
    return (size_t)(h ^ h >> 29);
}

/* The slot of (@kind, @key, @state, @max): its entry's, or the empty one
 * where it goes. */
static size_t *memo_slot(pl_review_memo *m, int kind, const char *key, int state, size_t max)
{
    size_t mask = m->nslots - 1;
    for (size_t i = memo_hash(kind, key, state, max) & mask;; i = (i + 1) & mask) {
        size_t *s = &m->slots[i];
        if (!*s)
            return s;
        const memo_entry *x = &m->v[*s - 1];
        if (x->kind == kind && x->state == state && x->max == max && strcmp(x->key, key) == 0)
            return s;
    }
}

/* The entry of (@kind, @key, @state, @max); made when missing and
 * @create (NULL then when out of memory), else NULL.  A batch of 10,000
 * receivables names 20,000 rights: hashed, not searched. */
static memo_entry *memo_at(pl_review_memo *m, int kind, const char *key, int state, size_t max,
                           bool create)
{
    if (m->nslots) {
        size_t *s = memo_slot(m, kind, key, state, max);
        if (*s)
            return &m->v[*s - 1];
    }
    if (!create)
        return NULL;
    if ((m->n + 1) * 2 > m->nslots) {
        size_t ns = m->nslots ? m->nslots * 2 : 64;
        size_t *slots = calloc(ns, sizeof *slots);
        if (!slots)
            return NULL;
        free(m->slots);
        m->slots = slots;
        m->nslots = ns;
        for (size_t i = 0; i < m->n; i++)
            *memo_slot(m, m->v[i].kind, m->v[i].key, m->v[i].state, m->v[i].max) = i + 1;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        memo_entry *v = realloc(m->v, cap * sizeof *v);
        if (!v)
            return NULL;
        m->v = v;
        m->cap = cap;
    }
    memo_entry *x = &m->v[m->n];
    memset(x, 0, sizeof *x);
    if (!(x->key = strdup(key)))
        return NULL;
    x->kind = kind;
    x->state = state;
    x->max = max;
    *memo_slot(m, kind, key, state, max) = ++m->n;
    return x;
}

static int rpledges_copy(pl_err *e, const pl_rpledges *from, pl_rpledges *to)
{
    memset(to, 0, sizeof *to);
    to->total = from->total;
    if (!from->n)
        return 0;
    if (!(to->v = calloc(from->n, sizeof *to->v)))
        return pl_err_oom(e);
    for (size_t i = 0; i < from->n; i++, to->n++) {
        to->v[i].state = from->v[i].state;
        if (!(to->v[i].number = strdup(from->v[i].number))) {
            pl_rpledges_clear(to);
            return pl_err_oom(e);
        }
    }
    return 0;
}

int pl_rule_pledges_on(pl_rctx *c, pledger_kind kind, const char *key, int state, size_t max,
                       pl_rpledges *out)
{
    pledges_acc a = { out, 0, max, state };
    pl_review_memo *m = c->env ? c->env->memo : NULL;
    memo_entry *x = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    if (m) {
        if (!(x = memo_at(m, (int)kind, key, state, max, true)))
            return pl_err_oom(c->e);
        if (x->have_got)
            return rpledges_copy(c->e, &x->got, out);
    }
    if ((rc = PL_OPS(c->db, review)->pledges_on_right(c->db, c->e, kind, key, pledge_add, &a))) {
        pl_rpledges_clear(out);
        return rc;
    }
    if (x) {
        if ((rc = rpledges_copy(c->e, out, &x->got))) {
            pl_rpledges_clear(out);
            return rc;
        }
        x->have_got = true;
    }
    return 0;
}

/* The pending applications on a right: kept with state -2, max 0, made
 * by the first item of the batch that names the right -- before it, no
 * item of the batch names it, so they are those from before the batch
 * (the batch's own items are ranked by RC_PRIOR_PLEDGE, not "pending"). */
int pl_rule_pending_get(pl_rctx *c, pledger_kind kind, const char *key, bool *have, int *n,
                        char **first)
{
    pl_review_memo *m = c->env ? c->env->memo : NULL;
    const memo_entry *x = m ? memo_at(m, (int)kind, key, -2, 0, false) : NULL;
    *have = x != NULL;
    *n = x ? x->pend_n : 0;
    *first = NULL;
    if (x && x->pend_first && !(*first = strdup(x->pend_first)))
        return pl_err_oom(c->e);
    return 0;
}

int pl_rule_pending_keep(pl_rctx *c, pledger_kind kind, const char *key, int n,
                         const char *first)
{
    pl_review_memo *m = c->env ? c->env->memo : NULL;
    if (!m)
        return 0;
    memo_entry *x = memo_at(m, (int)kind, key, -2, 0, true);
    if (!x || (first && !(x->pend_first = strdup(first))))
        return pl_err_oom(c->e);
    x->pend_n = n;
    return 0;
}

/* The batch's count of a right: kept with state -1, max 0. */
size_t pl_rule_batch_earlier(pl_rctx *c, pledger_kind kind, const char *key)
{
    pl_review_memo *m = c->env ? c->env->memo : NULL;
    const memo_entry *x = m ? memo_at(m, (int)kind, key, -1, 0, false) : NULL;
    return x ? x->earlier : 0;
}

int pl_rule_batch_mark(pl_rctx *c, pledger_kind kind, const char *key)
{
    pl_review_memo *m = c->env ? c->env->memo : NULL;
    if (!m)
        return 0;
    memo_entry *x = memo_at(m, (int)kind, key, -1, 0, true);
    if (!x)
        return pl_err_oom(c->e);
    if (x->marked_by != c->env->application_id || !x->earlier) {
        x->marked_by = c->env->application_id;
        x->earlier++;
    }
    return 0;
}

/* ---- the reference register, looked up once ----------------------------------- */

static int register_loaded(pl_rctx *c, bool *out)
{
    *out = false;
    if (!(PL_KBIT(c->app->kind) & (PL_K_REGISTERED | PL_K_EQ)))
        return 0;
    return PL_OPS(c->db, refreg)->kind_loaded(c->db, c->e, c->app->kind, out);
}

/* Equity: is the company on the register, and under which name. */
static int company_known(pl_rctx *c, const char *company, bool *known, char **name)
{
    return PL_OPS(c->db, refreg)->company_get(c->db, c->e, company, known, name);
}

/* A lookup's result: found, not found (PLEDGER_ENOTFOUND), or a failure. */
static int settle(pl_rctx *c, int rc, pl_rref *ref, const pl_ref_right *right)
{
    if (rc == 0) {
        ref->state = PL_RREF_FOUND;
        ref->right = right;
        return 0;
    }
    if (rc == PLEDGER_ENOTFOUND || rc == PLEDGER_EINVAL) {
        /* EINVAL cannot happen for a normalised number; treat it as absent */
        pl_err_clear(c->e);
        ref->state = PL_RREF_ABSENT;
        return 0;
    }
    return rc;
}

static int look_up(pl_rctx *c, const pl_app_right *r, pl_rref *ref)
{
    const pl_app_party *pledgor = &c->app->pledgor;
    const pl_app_ident *id = pl_app_right_ident(r);
    bool known;
    int rc;

    if (!id || !id->norm)
        return 0;
    switch (r->kind) {
    case PLEDGER_KIND_TRADEMARK:
        rc = pl_refreg_trademark(c->db, c->e, id->norm, &ref->tm);
        return settle(c, rc, ref, &ref->tm.r);
    case PLEDGER_KIND_PATENT:
        rc = pl_refreg_patent(c->db, c->e, id->norm, &ref->pt);
        return settle(c, rc, ref, &ref->pt.r);
    case PLEDGER_KIND_EMISSION:
    case PLEDGER_KIND_SEA_AREA:
    case PLEDGER_KIND_LAND:
        rc = pl_refreg_certificate(c->db, c->e, r->kind, id->norm, &ref->cert);
        return settle(c, rc, ref, &ref->cert.r);
    case PLEDGER_KIND_EQUITY:
        if ((rc = company_known(c, id->norm, &known, &ref->company_name)))
            return rc;
        if (!known) {
            ref->state = PL_RREF_ABSENT;
            return 0;
        }
        if (!pledgor->id_norm || pledgor->id_type < PLEDGER_ID_USCC ||
            pledgor->id_type > PLEDGER_ID_FOREIGN_REG)
            return 0; /* the company is known; who holds what cannot be told */
        rc = pl_refreg_holding(c->db, c->e, id->norm, pledgor->id_type, pledgor->id_norm,
                               &ref->holding);
        if (rc == PLEDGER_ENOTFOUND) {
            pl_err_clear(c->e);
            ref->state = PL_RREF_NOT_HOLDER;
            return 0;
        }
        if (rc == 0)
            ref->state = PL_RREF_FOUND;
        return rc;
    case PLEDGER_KIND_RECEIVABLE:
        return 0;
    }
    return 0;
}

static void refs_free(pl_rctx *c)
{
    for (size_t i = 0; c->refs && i < c->app->n_rights; i++) {
        pl_ref_trademark_clear(&c->refs[i].tm);
        pl_ref_patent_clear(&c->refs[i].pt);
        pl_ref_certificate_clear(&c->refs[i].cert);
        pl_ref_holding_clear(&c->refs[i].holding);
        free(c->refs[i].company_name);
    }
    free(c->refs);
    c->refs = NULL;
}

static int refs_load(pl_rctx *c)
{
    int rc;

    if (c->app->n_rights && !(c->refs = calloc(c->app->n_rights, sizeof *c->refs)))
        return pl_err_oom(c->e);
    if ((rc = register_loaded(c, &c->register_loaded)) || !c->register_loaded)
        return rc;
    for (size_t i = 0; i < c->app->n_rights; i++)
        if (c->app->rights[i].kind == c->app->kind &&
            (rc = look_up(c, &c->app->rights[i], &c->refs[i])))
            return rc;
    return 0;
}

/* ---- the parties, in document order ---------------------------------------------- */

static int parties_collect(pl_rctx *c)
{
    const pl_app *a = c->app;
    size_t n = 4;

    for (size_t i = 0; i < a->n_rights; i++)
        n += a->rights[i].n_co_owners + a->rights[i].n_debtors;
    if (!(c->parties = calloc(n, sizeof *c->parties)))
        return pl_err_oom(c->e);
#define ADD(party, name, main)                                                 \
    c->parties[c->n_parties++] = (pl_rparty){ (party), (name), (main) }
    ADD(&a->pledgor, N_("pledgor"), true);
    ADD(&a->pledgee, N_("pledgee"), true);
    ADD(&a->debtor, N_("debtor"), false);
    ADD(&a->agent, N_("agent"), false);
    for (size_t i = 0; i < a->n_rights; i++) {
        for (size_t j = 0; j < a->rights[i].n_co_owners; j++)
            ADD(&a->rights[i].co_owners[j], N_("co-owner"), false);
        for (size_t j = 0; j < a->rights[i].n_debtors; j++)
            ADD(&a->rights[i].debtors[j], N_("debtor of the receivable"), false);
    }
#undef ADD
    return 0;
}

/* ---- the run ------------------------------------------------------------------------ */

int pl_review_run(pl_db *db, pl_err *e, const pl_app *app, const pl_review_env *env,
                  pl_findings *out)
{
    pl_rctx c;
    unsigned bit;
    int rc;

    if (!pl_kind((int)app->kind))
        return pl_err_set(e, PLEDGER_EINVAL, "@kind: %d is not a right kind", (int)app->kind);
    memset(&c, 0, sizeof c);
    c.db = db;
    c.e = e;
    c.app = app;
    c.env = env;
    c.out = out;
    bit = PL_KBIT(app->kind);
    if ((rc = parties_collect(&c)) || (rc = refs_load(&c)))
        goto done;
    for (size_t t = 0; t < N_TABLES && !c.rc; t++)
        for (size_t i = 0; i < *tables[t].n && !c.rc; i++)
            if ((tables[t].rows[i].kinds & bit) &&
                (!env || !env->recheck_only || tables[t].rows[i].recheck))
                tables[t].rows[i].check(&c, &tables[t].rows[i]);
    rc = c.rc;
done:
    refs_free(&c);
    free(c.parties);
    if (!rc && out->oom)
        rc = pl_err_oom(e);
    return rc;
}

int pl_review_register_check(pl_db *db, pl_err *e, const pl_app *app, const pl_review_env *env)
{
    pl_review_env at = *env;
    pl_findings f = { 0 };
    const pl_finding *first = NULL;
    size_t n = 0;
    int rc;

    at.recheck_only = true;
    if ((rc = pl_review_run(db, e, app, &at, &f))) {
        pl_findings_clear(&f);
        return rc;
    }
    for (size_t i = 0; i < f.n; i++) {
        if (f.v[i].severity != PLEDGER_SEVERITY_BLOCKING &&
            f.v[i].severity != PLEDGER_SEVERITY_CORRECTABLE)
            continue;
        if (!first)
            first = &f.v[i];
        n++;
    }
    if (first && n == 1)
        rc = pl_err_set(e, PLEDGER_EREVIEW,
                        "register: the reference register, read at registration, gives a "
                        "blocking or correctable finding: %s at %s: %s; request a correction "
                        "or refuse the application", first->code, first->path,
                        pl_frag_pair(first->message, pl_finding_text(first)));
    else if (first)
        rc = pl_err_set(e, PLEDGER_EREVIEW,
                        "register: the reference register, read at registration, gives %zu "
                        "blocking or correctable findings: %s at %s: %s (and others); request "
                        "a correction or refuse the application", n, first->code, first->path,
                        pl_frag_pair(first->message, pl_finding_text(first)));
    pl_findings_clear(&f);
    return rc;
}
