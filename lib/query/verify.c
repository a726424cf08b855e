/* Verification by registration number, ranks on a right, and the order of
 * two registrations. */
#include "query/query.h"
#include "store/ops-query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "model/kinds.h"
#include "query/mask.h"

int pl_q_ranks(pl_db *db, pl_err *e, int64_t pledge_id, int kind, int64_t registered_at,
               int own_state, int64_t as_of, int *ranks, size_t n)
{
    const pl_kind_info *k = pl_kind(kind);
    size_t i;
    int rc;

    memset(ranks, 0, n * sizeof *ranks);
    if (!PL_Q_IN_FORCE(own_state) || n == 0)
        return 0;
    if (k && !k->several_pledges) {
        /* The registry refuses a second pledge on a right of these kinds
         * while one is in force (workflow/app-flow.c), so one in force is
         * the only one: first on each of its rights. */
        for (i = 0; i < n; i++)
            ranks[i] = 1;
        return 0;
    }
    if ((rc = PL_OPS(db, query)->pledges_before(db, e, pledge_id, registered_at, as_of, ranks,
                                                n)))
        return rc;
    for (i = 0; i < n; i++)
        ranks[i]++;
    return 0;
}

/* Compare without stopping at the first difference. */
static bool same_code(const char *a, const char *b)
{
    unsigned char diff = 0;
    size_t n = strlen(a);

    if (n != strlen(b))
        return false;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* The certificate whose code is @code: every certificate is compared,
 * without stopping at the first match or difference. */
typedef struct code_match {
    const char *code;
    int version;
    int64_t issued, superseded;
} code_match;

static int match_code(void *arg, pl_err *e, const pl_cert_row *c)
{
    code_match *m = arg;

    (void)e;
    if (c->code && same_code(c->code, m->code) && !m->version) {
        m->version = c->version;
        m->issued = c->issued_at;
        m->superseded = c->superseded_at;
    }
    return 0;
}

static int check_code(pl_db *db, pl_err *e, pl_q_verify *q, const char *code)
{
    int64_t t = q->as_of == PL_Q_CURRENT ? INT64_MAX : q->as_of;
    code_match m = { code, 0, 0, INT64_MIN };
    int rc = PL_OPS(db, query)->certificates(db, e, q->v.pledge_id, match_code, &m);
    int version = m.version;
    int64_t issued = m.issued, superseded = m.superseded;
    bool has_superseded = superseded != INT64_MIN;

    if (rc)
        return rc;
    if (!version)
        return pl_err_set(e, PLEDGER_ECODE,
                          "code: the verification code is not that of any certificate of "
                          "pledge %s", q->v.number);
    if (issued > t) {
        char when[32];
        pl_instant_format(issued, when);
        return pl_err_set(e, PLEDGER_ECODE,
                          "code: the verification code is that of the certificate of version "
                          "%d of pledge %s, issued only at %s, after the instant asked about",
                          version, q->v.number, when);
    }
    q->code_version = version;
    if (has_superseded && superseded <= t) {
        q->code_status = PL_Q_CODE_SUPERSEDED;
        q->code_superseded_at = superseded;
    } else {
        q->code_status = PL_Q_CODE_MATCHED;
    }
    return 0;
}

void pl_q_verify_clear(pl_q_verify *q)
{
    pl_pver_clear(&q->v);
    free(q->ranks);
    memset(q, 0, sizeof *q);
}

int pl_q_verify_run(pl_db *db, pl_err *e, const char *number, int64_t as_of, const char *code,
                    pledger_role role, pl_q_verify *out)
{
    int rc;

    memset(out, 0, sizeof *out);
    out->as_of = as_of;
    if ((rc = pl_db_read_begin(db, e)))
        return rc;
    if ((rc = pl_pver_load(db, e, number, as_of, &out->v)))
        goto done;
    pl_pver_lapse(&out->v, pl_db_day_of(db, as_of));
    if (!(out->ranks = calloc(out->v.n_rights ? out->v.n_rights : 1, sizeof *out->ranks))) {
        rc = pl_err_oom(e);
        goto done;
    }
    if ((rc = pl_q_ranks(db, e, out->v.pledge_id, out->v.kind, out->v.registered_at,
                         out->v.state, as_of, out->ranks, out->v.n_rights)))
        goto done;
    for (size_t i = 0; i < out->v.n_rights; i++)
        if (out->ranks[i] > out->rank)
            out->rank = out->ranks[i];
    if (code)
        rc = check_code(db, e, out, code);
done:
    pl_db_rollback(db);
    if (rc) {
        pl_q_verify_clear(out);
        return rc;
    }
    pl_mask_pver(&out->v, role);
    pl_date_format(out->v.period_start, out->start);
    pl_date_format(out->v.period_end, out->end);
    return 0;
}

int pl_q_number_kept(pl_db *db, pl_err *e, const char *in, char *out, size_t out_size)
{
    /* printable ASCII without a space or a lower-case letter is its own
     * folded form: what every program sends, read at no cost */
    const unsigned char *q = (const unsigned char *)in;
    while (*q > 0x20 && *q < 0x7f && !(*q >= 'a' && *q <= 'z'))
        q++;
    if (!*q && (size_t)(q - (const unsigned char *)in) < out_size) {
        memcpy(out, in, (size_t)(q - (const unsigned char *)in) + 1);
        return 0;
    }
    char *norm = pl_text_normalize_ref(in); /* its dashes typed as any dash */
    int64_t at, id;
    bool found = false;
    int rc = 0;

    if (!norm)
        return pl_utf8_valid(in, strlen(in))
                   ? pl_err_oom(e)
                   : pl_err_set(e, PLEDGER_EINVAL, "the registration number is not valid UTF-8");
    bool as_norm = false;
    /* inside the caller's transaction (a group of search reports), in it */
    bool own = !pl_db_in_tx(db);
    if (strcmp(norm, in) != 0 && *norm && !(own && (rc = pl_db_read_begin(db, e)))) {
        /* a number issued in another form (a template with lower-case
         * letters or a space) is found as it was typed; one found in
         * neither form is named as typed */
        rc = PL_OPS(db, query)->pledge_order(db, e, in, &at, &id, &found);
        if (!rc && !found)
            rc = PL_OPS(db, query)->pledge_order(db, e, norm, &at, &id, &as_norm);
        if (own && rc)
            pl_db_rollback(db);
        else if (own)
            rc = pl_db_commit(db, e);   /* a read: a batch's step is not failed by it */
    }
    if (!rc)
        snprintf(out, out_size, "%s", as_norm ? norm : in);
    free(norm);
    return rc;
}

static int not_found(pl_db *db, pl_err *e, const char *number)
{
    int64_t at, id;
    bool found;
    int rc = PL_OPS(db, query)->pledge_order(db, e, number, &at, &id, &found);

    if (rc)
        return rc;
    if (found)
        return pl_err_set(e, PLEDGER_ENOTFOUND, "pledge '%s' did not exist at that instant",
                          number);
    return pl_err_set(e, PLEDGER_ENOTFOUND, "no pledge is registered as '%s'", number);
}

static int rank_in_tx(pl_db *db, pl_err *e, const char *number, int64_t as_of, int *out)
{
    pl_pledge_brief p;
    int rc, ranks_small[8], *ranks = ranks_small;
    bool found;

    if ((rc = PL_OPS(db, query)->pledge_brief(db, e, number, as_of, &p, &found)))
        return rc;
    if (!found)
        return not_found(db, e, number);
    if (p.n_rights > sizeof ranks_small / sizeof ranks_small[0] &&
        !(ranks = calloc(p.n_rights, sizeof *ranks)))
        return pl_err_oom(e);
    rc = pl_q_ranks(db, e, p.id, p.kind, p.registered_at, p.state, as_of, ranks, p.n_rights);
    *out = 0;
    for (size_t i = 0; !rc && i < p.n_rights; i++)
        if (ranks[i] > *out)
            *out = ranks[i];
    if (ranks != ranks_small)
        free(ranks);
    return rc;
}

int pl_q_rank(pl_db *db, pl_err *e, const char *number, int64_t as_of, int *out)
{
    int rc;

    *out = 0;
    if ((rc = pl_db_read_begin(db, e)))
        return rc;
    rc = rank_in_tx(db, e, number, as_of, out);
    pl_db_rollback(db);
    if (rc)
        *out = 0;
    return rc;
}

static int order_of(pl_db *db, pl_err *e, const char *number, int64_t *at, int64_t *id)
{
    bool found;
    int rc = PL_OPS(db, query)->pledge_order(db, e, number, at, id, &found);

    if (rc || found)
        return rc;
    return pl_err_set(e, PLEDGER_ENOTFOUND, "no pledge is registered as '%s'", number);
}

int pl_q_compare(pl_db *db, pl_err *e, const char *a, const char *b, int *out)
{
    int64_t at_a = 0, id_a = 0, at_b = 0, id_b = 0;
    int rc;

    *out = 0;
    if ((rc = pl_db_read_begin(db, e)))
        return rc;
    if (!(rc = order_of(db, e, a, &at_a, &id_a)))
        rc = order_of(db, e, b, &at_b, &id_b);
    pl_db_rollback(db);
    if (rc)
        return rc;
    if (at_a != at_b)
        *out = at_a < at_b ? -1 : 1;
    else if (id_a != id_b)
        *out = id_a < id_b ? -1 : 1;
    return 0;
}
