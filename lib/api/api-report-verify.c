/* The search reports verified (pledger_report_verify, include/pledger/
 * report.h): the auditor's check that the companion file of reports
 * still holds what was handed out.
 *
 * Three things are kept for each report, and each can be changed without
 * the others: the row the auditor's lists read (who asked, when, what),
 * the text handed out to the bank (the leaf of the reports' log), and the
 * keys the auditor's "who asked about this party" finds it by.  The check
 * reads them through in one pass, in number order, and holds each to the
 * text: the text to the tree (recomputed leaf by leaf and compared with
 * every subtree kept), the tree to the signed checkpoints, the text's log
 * line to the journal's own tree.  The first report found wrong is named,
 * with what was wrong about it; the check stops there, as the journal's
 * does. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <pledger/report.h>

#include "api/handle.h"
#include "api/keyring.h"
#include "api/report-log.h"
#include "base/i18n.h"
#include "base/merkle.h"
#include "base/note.h"
#include "store/journal.h"
#include "store/report.h"
#include "workflow/flow.h"

/* a callback's "stop: a report is wrong" (never a pledger error code) */
#define STOP (-1000)

typedef struct checkpoint {
    uint64_t size;
    char *note;
} checkpoint;

typedef struct verify_ctx {
    pledger_registry *reg;
    pl_err *e;
    const pledger_keyring *trusted;
    const char *origin;
    uint64_t last;          /* the last report's number */
    /* the complete segments' end: the index holds the keys of reports 1
     * to m <= sealed, the recent rows those after m (they move a slice at
     * a time: store/report.c) */
    uint64_t sealed;
    uint64_t recent_from;   /* the first report with a recent key (0: none yet) */
    uint64_t journal_size;
    uint64_t root_size;     /* the journal's root at root_size (UINT64_MAX: none yet) */
    pl_mhash root;
    pl_merkle_edge edge;    /* the tree of the texts read so far */
    checkpoint *cp;
    size_t ncp, capcp, next_cp; /* checkpoints by size; the first not yet reached */
    bool sealed_seen;       /* a report with a checkpoint was read */
    uint64_t bad;
} verify_ctx;

/* Report @n is wrong: why, in pledger's words (extracted for translation
 * as pl_err_set's). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int report_wrong(verify_ctx *v, uint64_t n, const char *fmt, ...) PL_PRINTF(3, 4);
static int report_wrong(verify_ctx *v, uint64_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pl_err_setv(v->e, PLEDGER_ECORRUPT, fmt, ap);
    va_end(ap);
    v->bad = n ? n : 1; /* 0 would say "intact" */
    return STOP;
}
#pragma GCC diagnostic pop

static int keep_checkpoint(void *ctx, pl_err *e, uint64_t size, const char *note)
{
    verify_ctx *v = ctx;

    if (v->ncp == v->capcp) {
        size_t cap = v->capcp ? 2 * v->capcp : 64;
        checkpoint *c = realloc(v->cp, cap * sizeof *c);
        if (!c)
            return pl_err_oom(e);
        v->cp = c;
        v->capcp = cap;
    }
    if (!(v->cp[v->ncp].note = strdup(note)))
        return pl_err_oom(e);
    v->cp[v->ncp++].size = size;
    return 0;
}

/* The signed text of @note: checked against the trusted keys when there
 * are any (*@why says why not), else cut at its first empty line
 * (allocated; NULL: not a signed note, or no trusted signature). */
static char *note_text(verify_ctx *v, const char *note, pl_err *why)
{
    pl_err_clear(why);
    if (v->trusted) {
        pl_note_opened o;
        if (pl_keyring_open_note((void *)v->trusted, why, note, strlen(note), &o))
            return NULL;
        char *t = o.text;
        o.text = NULL;
        pl_note_opened_clear(&o);
        return t;
    }
    const char *end = strstr(note, "\n\n");
    return end ? strndup(note, (size_t)(end - note) + 1) : NULL;
}

/* @why's message as an argument of another (English there, translated in
 * the translation). */
static const char *quote(const pl_err *why)
{
    return pl_frag_pair(why->msg, pl_err_text(why));
}

/* Checkpoint @c: of the reports' log, signed, over the tree read so far. */
static int check_checkpoint(verify_ctx *v, const checkpoint *c)
{
    pl_err why;
    char *text = note_text(v, c->note, &why), *origin = NULL;
    uint64_t size = 0;
    pl_mhash root, want;
    int rc;

    if (!text) {
        if (why.code == PLEDGER_ENOMEM)
            return pl_err_oom(v->e);
        if (why.code)
            return report_wrong(v, c->size, "search reports: the checkpoint over reports 1 to %"
                                PRIu64 " is not signed by a trusted key (%s)", c->size,
                                quote(&why));
        return report_wrong(v, c->size, "search reports: the checkpoint over reports 1 to %"
                            PRIu64 " is not a signed note", c->size);
    }
    rc = pl_checkpoint_parse(&why, text, &origin, &size, &root);
    free(text);
    if (rc == PLEDGER_ENOMEM)
        return pl_err_oom(v->e);
    if (rc)
        return report_wrong(v, c->size, "search reports: the checkpoint over reports 1 to %"
                            PRIu64 " is not a checkpoint (%s)", c->size, quote(&why));
    size_t ol = strlen(v->origin);
    bool ours = strncmp(origin, v->origin, ol) == 0 &&
                strcmp(origin + ol, PL_REPORT_LOG_SUFFIX) == 0;
    free(origin);
    if (!ours)
        return report_wrong(v, c->size, "search reports: the checkpoint over reports 1 to %"
                            PRIu64 " is of another log (not '%s%s')", c->size, v->origin,
                            PL_REPORT_LOG_SUFFIX);
    if (size != c->size)
        return report_wrong(v, c->size, "search reports: the checkpoint kept for reports 1 to %"
                            PRIu64 " signs a tree of size %" PRIu64, c->size, size);
    if (pl_merkle_edge_root(&v->edge, &want))
        return pl_err_oom(v->e);
    if (memcmp(root.h, want.h, sizeof want.h) != 0)
        return report_wrong(v, c->size, "search reports: the checkpoint over reports 1 to %"
                            PRIu64 " signs another root than their texts make: a report up "
                            "to number %" PRIu64 " was changed, or the checkpoint", c->size,
                            c->size);
    return 0;
}

/* pl_merkle_put: the subtree an append completes must be the one kept. */
static int compare_node(void *ctx, pl_err *e, unsigned level, uint64_t index,
                        const pl_mhash *hash)
{
    verify_ctx *v = ctx;
    pl_mhash kept;
    int rc = pl_report_node_get(v->reg->db, e, level, index, &kept);

    uint64_t n = v->edge.size + 1; /* the append's report (the edge grows after) */

    if (rc == PLEDGER_ECORRUPT)
        return report_wrong(v, n, "search report %" PRIu64 ": the reports' tree keeps no "
                            "subtree (level %u, index %" PRIu64 ") where its text makes one",
                            n, level, index);
    if (!rc && memcmp(kept.h, hash->h, sizeof kept.h) != 0)
        return report_wrong(v, n, "search report %" PRIu64 ": the reports' tree keeps another "
                            "subtree (level %u, index %" PRIu64 ") than its text makes", n,
                            level, index);
    return rc;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of @what (1 parties, 2 results) among @keys, sorted as the
 * store gives them, against the @n @want (sorted here; repeats once). */
static bool same_keys(const pl_report_key *keys, size_t nk, int what, const char **want,
                      size_t n)
{
    size_t i = 0, k = 0;

    qsort(want, n, sizeof *want, by_text);
    while (k < nk && keys[k].what != what)
        k++;
    for (;;) {
        while (k + 1 < nk && keys[k + 1].what == what && !strcmp(keys[k].key, keys[k + 1].key))
            k++;
        while (i + 1 < n && !strcmp(want[i], want[i + 1]))
            i++;
        bool kend = k >= nk || keys[k].what != what, wend = i >= n;
        if (kend || wend)
            return kend && wend;
        if (strcmp(keys[k].key, want[i]) != 0)
            return false;
        k++;
        i++;
    }
}

/* Row @r's field @name (marked NC_("report", ...)) against its text's. */
#define SAME_TEXT(name, row, text)                                                          \
    do {                                                                                     \
        if (strcmp((row), (text)) != 0) {                                                    \
            rc = report_wrong(v, number, "search report %" PRIu64 ": its %s is '%.200s' in " \
                              "the list the auditor reads, '%.200s' in the report handed "  \
                              "out", number, pl_frag_ctx("report", name), (row), (text)); \
            goto out;                                                                        \
        }                                                                                    \
    } while (0)

static int check_report(void *ctx, pl_err *e, uint64_t number, const pl_report_row *r,
                        const char *damaged, const pl_report_key *keys, size_t nk)
{
    verify_ctx *v = ctx;
    pledger_report *t = NULL;
    char *text = NULL;
    const char **list = NULL;
    pl_err why;
    int rc = 0;

    /* keys of a number no report has (0, beyond the last, in a gap): the
     * report the scan was to read next is the one found wrong -- never 0,
     * which says "intact" */
    if (!r)
        return report_wrong(v, v->edge.size + 1, "search reports: the auditor's index has keys "
                            "of report number %" PRIu64 ", which is not kept", number);
    if (number != v->edge.size + 1)
        return report_wrong(v, v->edge.size + 1, "search report %" PRIu64 " is missing (the "
                            "next kept is number %" PRIu64 ")", v->edge.size + 1, number);
    if (damaged)
        return report_wrong(v, number, "search report %" PRIu64 ": its %s is NULL or holds a "
                            "NUL byte, which pledger never writes", number, damaged);
    for (size_t k = 0; k < nk; k++)
        if (keys[k].damaged)
            return report_wrong(v, number, "search report %" PRIu64 ": a key of it in the "
                                "auditor's index is NULL or holds a NUL byte, which pledger "
                                "never writes", number);
    /* the text handed out: the row's note, or (the first 0.2 builds) the
     * signed note's text */
    if (r->checkpoint) {
        if (!(text = strdup(r->note)))
            return pl_err_oom(e);
        v->sealed_seen = true;
    } else if (v->sealed_seen) {
        return report_wrong(v, number, "search report %" PRIu64 " names no checkpoint, though "
                            "reports before it do", number);
    } else if (!(text = note_text(v, r->note, &why))) {
        if (why.code == PLEDGER_ENOMEM)
            return pl_err_oom(e);
        return why.code ? report_wrong(v, number, "search report %" PRIu64 " is not signed by "
                                       "a trusted key (%s)", number, quote(&why))
                        : report_wrong(v, number, "search report %" PRIu64 " is neither a "
                                       "report's text nor a signed note", number);
    }
    if ((rc = pl_report_text_read(&why, text, strlen(text), &t))) {
        rc = rc == PLEDGER_ENOMEM ? pl_err_oom(e)
                                  : report_wrong(v, number, "search report %" PRIu64 ": its "
                                                 "text is not a report's (%s)", number,
                                                 quote(&why));
        goto out;
    }
    if (strcmp(pledger_report_origin(t), v->origin) != 0) {
        rc = report_wrong(v, number, "search report %" PRIu64 ": its text is a report of "
                          "'%.200s', not of this registry's log '%s'", number,
                          pledger_report_origin(t), v->origin);
        goto out;
    }
    if (pledger_report_number(t) != number) {
        rc = report_wrong(v, number, "search report %" PRIu64 ": its text is report %" PRIu64
                          "'s", number, pledger_report_number(t));
        goto out;
    }
    /* the row the auditor's lists read: as the text says */
    if (pledger_report_issued_at(t) != r->issued_at) {
        rc = report_wrong(v, number, "search report %" PRIu64 ": its instant of issue differs "
                          "between the list the auditor reads and the report handed out",
                          number);
        goto out;
    }
    SAME_TEXT(NC_("report", "actor"), r->actor, pledger_report_actor(t));
    SAME_TEXT(NC_("report", "role"), r->role, pledger_role_name(pledger_report_role(t)));
    SAME_TEXT(NC_("report", "kind"), r->kind, pledger_report_kind_name(pledger_report_kind_of(t)));
    SAME_TEXT(NC_("report", "query"), r->query, pledger_report_query(t));
    if (r->result_count != pledger_report_result_count(t) ||
        r->log_size != pledger_report_log_size(t)) {
        rc = report_wrong(v, number, "search report %" PRIu64 ": the list the auditor reads "
                          "says: results %" PRIu64 ", log size %" PRIu64 "; the report handed "
                          "out: results %zu, log size %" PRIu64, number, r->result_count,
                          r->log_size, pledger_report_result_count(t),
                          pledger_report_log_size(t));
        goto out;
    }
    /* its log line: the journal's own root at that size */
    uint64_t ls = pledger_report_log_size(t);
    if (ls > v->journal_size) {
        rc = report_wrong(v, number, "search report %" PRIu64 " was read at log size %" PRIu64
                          ", beyond the journal (%" PRIu64 " events)", number, ls,
                          v->journal_size);
        goto out;
    }
    if (ls != v->root_size) {
        if ((rc = pl_merkle_root(e, ls, pl_journal_tree_get, v->reg->db, &v->root)))
            goto out;
        v->root_size = ls;
    }
    if (memcmp(v->root.h, pledger_report_log_root(t), sizeof v->root.h) != 0) {
        rc = report_wrong(v, number, "search report %" PRIu64 ": its log root at size %" PRIu64
                          " is not the journal's", number, ls);
        goto out;
    }
    /* the keys the auditor finds it by: in their place, and what its text names */
    for (size_t k = 0; k < nk && !v->recent_from; k++)
        if (keys[k].segment < 0)
            v->recent_from = number;   /* a report's keys are all in one place */
    for (size_t k = 0; k < nk; k++) {
        bool recent = keys[k].segment < 0;
        if (!recent && (number > v->sealed || (v->recent_from && v->recent_from <= number) ||
                        keys[k].segment != (int64_t)((number - 1) / PL_REPORT_SEGMENT))) {
            rc = report_wrong(v, number, "search report %" PRIu64 ": its key '%.200s' is out "
                              "of its place in the auditor's index", number, keys[k].key);
            goto out;
        }
    }
    size_t nr = pledger_report_result_count(t), np = pledger_report_party_count(t),
           na = pledger_report_asked_count(t);
    if (!(list = calloc((nr + na > np ? nr + na : np) + 1, sizeof *list))) {
        rc = pl_err_oom(e);
        goto out;
    }
    /* the registrations it concerns: answered and asked about */
    for (size_t i = 0; i < nr; i++)
        list[i] = pledger_report_result(t, i);
    for (size_t i = 0; i < na; i++)
        list[nr + i] = pledger_report_asked(t, i);
    if (!same_keys(keys, nk, 2, list, nr + na)) {
        rc = report_wrong(v, number, "search report %" PRIu64 ": the auditor's index finds it "
                          "under other registrations than its answer and its question name",
                          number);
        goto out;
    }
    for (size_t i = 0; i < np; i++)
        list[i] = pledger_report_party(t, i);
    if (pl_report_says_parties(t) && !same_keys(keys, nk, 1, list, np)) {
        rc = report_wrong(v, number, "search report %" PRIu64 ": the auditor's index finds it "
                          "under other parties than its question was about", number);
        goto out;
    }
    /* the checkpoint it was handed out with: the first kept at or after it */
    while (v->next_cp < v->ncp && v->cp[v->next_cp].size < number)
        v->next_cp++;
    if (r->checkpoint &&
        (v->next_cp == v->ncp || v->cp[v->next_cp].size != r->checkpoint)) {
        rc = report_wrong(v, number, "search report %" PRIu64 " was handed out with the "
                          "checkpoint over reports 1 to %" PRIu64 ", which is not kept "
                          "where it should be", number, r->checkpoint);
        goto out;
    }
    /* its leaf, and every subtree it completes */
    pl_mhash leaf;
    if (pl_merkle_leaf(&leaf, text, strlen(text))) {
        rc = pl_err_oom(e);
        goto out;
    }
    if ((rc = pl_merkle_edge_append(e, &v->edge, &leaf, compare_node, v)))
        goto out;
    if (v->next_cp < v->ncp && v->cp[v->next_cp].size == number)
        rc = check_checkpoint(v, &v->cp[v->next_cp]);
out:
    free(list);
    pledger_report_free(t);
    free(text);
    return rc;
}

int pledger_report_verify(uint64_t *bad_out, uint64_t *count_out, pledger_registry *reg,
                          const pledger_keyring *trusted)
{
    static const char fn[] = "pledger_report_verify";
    verify_ctx v = { .reg = reg, .trusted = trusted, .root_size = UINT64_MAX };
    int rc, sight;

    if (!bad_out)
        return reg ? pl_api_bad_arg(reg, fn, "bad_out", "is NULL")
                   : pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: bad_out is NULL", fn);
    *bad_out = 0;
    if (count_out)
        *count_out = 0;
    if ((rc = pl_api_enter(reg, fn)) ||
        (rc = pl_api_read(reg, fn, PL_READ_REPORTS_CHECK, &sight)))
        return rc;
    if (trusted && trusted->n == 0)
        return pl_api_bad_arg(reg, fn, "trusted", "holds no checkpoint key");
    bool present;   /* a registry that recorded none has none to verify: none is made */
    if ((rc = pl_report_attach(reg->db, &reg->err, false, &present)))
        return pl_err_prefix(&reg->err, "%s", fn);
    if (!present) {
        /* unless the registry says it had some (its mark) */
        char *path = pl_report_file(reg->db);
        if (!path)
            return pl_err_oom(&reg->err);
        uint64_t bad = 0;
        if (!(rc = pl_db_read_begin(reg->db, &reg->err))) {
            rc = pl_report_mark_check(reg, path, 0, NULL, &bad);
            pl_db_rollback(reg->db);
        }
        free(path);
        if (rc == PLEDGER_ECORRUPT && bad) {
            *bad_out = bad;
            return 0;
        }
        return rc ? pl_err_prefix(&reg->err, "%s", fn) : 0;
    }
    v.e = &reg->err;
    v.origin = pledger_log_origin(reg);
    if ((rc = pl_db_read_begin(reg->db, &reg->err)))
        return rc;
    uint64_t count = 0, end = 0, last_cp = 0;
    /* what the registry recorded the file held, read before the file: a
     * mark covers only reports committed before it */
    pl_report_mark mark = { .size = 0 };
    bool marked = false;
    if (!(rc = pl_report_mark_get(reg->db, &reg->err, &mark, &marked)) &&
        !(rc = pl_journal_tree_size(reg->db, &reg->err, &v.journal_size)) &&
        !(rc = pl_report_ends(reg->db, &reg->err, &v.last, &count, &end, &last_cp))) {
        v.sealed = v.last / PL_REPORT_SEGMENT * PL_REPORT_SEGMENT;
        rc = pl_report_checkpoint_scan(reg->db, &reg->err, keep_checkpoint, &v);
    }
    if (!rc && v.ncp && v.cp[0].size == 0)
        rc = report_wrong(&v, 1, "search reports: a checkpoint over no report (size 0 or "
                          "less) is kept, which pledger never writes");
    if (!rc)
        rc = pl_report_scan(reg->db, &reg->err, check_report, &v);
    /* after the last report: no checkpoint, no subtree of reports not kept */
    if (!rc && v.ncp && v.cp[v.ncp - 1].size > v.edge.size)
        rc = report_wrong(&v, v.edge.size + 1, "search reports: a checkpoint over reports 1 "
                          "to %" PRIu64 " is kept, but the last report kept is number %"
                          PRIu64, v.cp[v.ncp - 1].size, v.edge.size);
    if (!rc && v.sealed_seen && (v.ncp == 0 || v.cp[v.ncp - 1].size != v.edge.size))
        rc = report_wrong(&v, v.edge.size, "search report %" PRIu64 " is under no checkpoint "
                          "kept", v.edge.size);
    uint64_t want = 2 * v.edge.size - (uint64_t)__builtin_popcountll(v.edge.size);
    if (!rc && (count != want || end != want))
        rc = report_wrong(&v, v.edge.size + 1, "search reports: the tree keeps %" PRIu64
                          " subtrees, its last position %" PRIu64 "; reports 1 to %" PRIu64
                          " make %" PRIu64 " subtrees", count, end ? end - 1 : 0, v.edge.size,
                          want);
    /* every report the registry recorded the file held */
    if (!rc && marked) {
        char *path = pl_report_file(reg->db);
        uint64_t bad = 0;
        if (!path)
            rc = pl_err_oom(&reg->err);
        else if ((rc = pl_report_mark_check(reg, path, v.edge.size, &mark, &bad)) ==
                 PLEDGER_ECORRUPT && bad) {
            v.bad = bad;
            rc = STOP;
        }
        free(path);
    }
    pl_db_rollback(reg->db);
    for (size_t i = 0; i < v.ncp; i++)
        free(v.cp[i].note);
    free(v.cp);
    if (rc == STOP)
        rc = 0;
    else if (rc)
        return pl_err_prefix(&reg->err, "%s", fn);
    else
        pl_err_clear(&reg->err);
    *bad_out = v.bad;
    if (count_out)
        *count_out = v.bad ? v.bad - 1 : v.edge.size;
    return 0;
}
