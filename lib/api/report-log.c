/* The search reports as a transparency log (api/report-log.h).
 *
 * A group's proofs are made in memory: every subtree a proof of a leaf of
 * the group needs is either complete before the group began -- then it
 * is on the tree's right edge at that moment (it lies on the path of the
 * group's first leaf) -- or completed by one of the group's appends.  The
 * edge is read once (O(log n) stored hashes), the group's subtrees are
 * kept as pl_merkle_edge_append() makes them, and the store is read again
 * only if that reasoning ever failed. */
#include "api/report-log.h"
#include "api/handle.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/merkle.h"
#include "base/tlog-proof.h"
#include "store/report.h"

#define LEVELS 64

struct pl_report_group {
    pl_db *db;
    uint64_t first;          /* the tree's size when the group began */
    pl_merkle_edge before;   /* its edge then */
    pl_merkle_edge edge;     /* now */
    size_t cap;              /* reports the group may hold */
    /* the subtrees the group's appends completed, by level: indexes
     * base[l], base[l] + 1, ... (an append completes them in order) */
    pl_mhash *made[LEVELS];
    uint64_t base[LEVELS];
    size_t count[LEVELS], room[LEVELS];
    char *checkpoint;        /* the signed note, once sealed */
};

/* The stored tree of @size reports (its edge @edge) against the last
 * checkpoint kept, of @checkpoint reports. */
static int last_checkpoint_holds(pl_db *db, pl_err *e, uint64_t size, uint64_t checkpoint,
                                 const pl_merkle_edge *edge)
{
    char *note = NULL, *text = NULL, *origin = NULL;
    uint64_t said = 0;
    pl_mhash kept, root;
    int rc;

    if ((rc = pl_report_checkpoint_get(db, e, checkpoint, &note)))
        return rc;
    if ((rc = pl_note_text(e, note, strlen(note), &text)) ||
        (rc = pl_checkpoint_parse(e, text, &origin, &said, &kept)) ||
        (said != checkpoint &&
         (rc = pl_err_set(e, PLEDGER_EINVAL, "it signs %llu reports",
                          (unsigned long long)said)))) {
        free(note);
        free(text);
        free(origin);
        if (rc == PLEDGER_ENOMEM)
            return rc;
        pl_err_prefix(e, "search reports: the checkpoint of the first %llu reports cannot be "
                      "read", (unsigned long long)checkpoint);
        return pl_err_recode(e, PLEDGER_ECORRUPT);
    }
    free(note);
    free(text);
    free(origin);
    if (checkpoint == size)
        rc = pl_merkle_edge_root(edge, &root) ? pl_err_oom(e) : 0;
    else
        rc = pl_merkle_root(e, checkpoint, pl_report_node_get, db, &root);
    if (rc || memcmp(root.h, kept.h, sizeof root.h) == 0)
        return rc;
    char *mine = pl_base64(root.h, PL_MERKLE_HASH), *signed_root = pl_base64(kept.h,
                                                                             PL_MERKLE_HASH);
    if (!mine || !signed_root)
        rc = pl_err_oom(e);
    else
        rc = pl_err_set(e, PLEDGER_ECORRUPT, "search reports: the checkpoint of the first %llu "
                        "reports has the root %s, their tree gives %s: it was rewritten; no "
                        "report is recorded over it (its checkpoint would contradict the one "
                        "signed before)", (unsigned long long)checkpoint, signed_root, mine);
    free(mine);
    free(signed_root);
    return rc;
}

int pl_report_group_begin(pl_db *db, pl_err *e, uint64_t size, uint64_t checkpoint, size_t n,
                          pl_report_group **out)
{
    pl_report_group *g = calloc(1, sizeof *g);
    int rc;

    *out = NULL;
    if (!g)
        return pl_err_oom(e);
    g->db = db;
    g->first = size;
    g->cap = n;
    if ((rc = pl_merkle_edge_load(e, size, pl_report_node_get, db, &g->before)) ||
        (checkpoint && (rc = last_checkpoint_holds(db, e, size, checkpoint, &g->before)))) {
        free(g);
        return rc;
    }
    g->edge = g->before;
    *out = g;
    return 0;
}

/* pl_merkle_put: keep the subtree for the proofs, and in the store. */
static int keep(void *ctx, pl_err *e, unsigned level, uint64_t index, const pl_mhash *hash)
{
    pl_report_group *g = ctx;

    if (level >= LEVELS)
        return pl_err_set(e, PLEDGER_EINVAL, "search reports: the tree is full");
    if (!g->made[level])
        g->base[level] = index;
    /* at most (cap >> level) + 1 subtrees of this level end in the group */
    if (index != g->base[level] + g->count[level] || g->count[level] > (g->cap >> level))
        return pl_err_set(e, PLEDGER_EINVAL, "search reports: subtree (%u, %llu) out of order",
                          level, (unsigned long long)index);
    if (g->count[level] == g->room[level]) {
        /* grown as the group is: a group added to one report at a time
         * does not know its size when it begins */
        size_t room = g->room[level] ? 2 * g->room[level] : 64;
        pl_mhash *made = realloc(g->made[level], room * sizeof *made);
        if (!made)
            return pl_err_oom(e);
        g->made[level] = made;
        g->room[level] = room;
    }
    g->made[level][g->count[level]++] = *hash;
    return pl_report_node_put(g->db, e, level, index, hash);
}

int pl_report_group_add(pl_report_group *g, pl_err *e, const char *text)
{
    pl_mhash leaf;

    if (g->edge.size - g->first >= g->cap)
        return pl_err_set(e, PLEDGER_EINVAL, "search reports: more reports than the group "
                          "was begun for");
    if (pl_merkle_leaf(&leaf, text, strlen(text)))
        return pl_err_oom(e);
    return pl_merkle_edge_append(e, &g->edge, &leaf, keep, g);
}

int pl_report_group_seal(pl_report_group *g, pl_err *e, const char *origin,
                         const pl_note_key *const *keys, size_t nk, int64_t at,
                         uint64_t *size)
{
    char *text = NULL, *name = NULL;
    pl_mhash root;
    int rc;

    if (pl_merkle_edge_root(&g->edge, &root))
        return pl_err_oom(e);
    size_t ol = strlen(origin);
    if (!(name = malloc(ol + sizeof PL_REPORT_LOG_SUFFIX)))
        return pl_err_oom(e);
    memcpy(name, origin, ol);
    memcpy(name + ol, PL_REPORT_LOG_SUFFIX, sizeof PL_REPORT_LOG_SUFFIX);
    if (!(rc = pl_checkpoint_text(e, name, g->edge.size, &root, &text)) &&
        !(rc = pl_note_sign(e, text, keys, nk, &g->checkpoint)))
        rc = pl_report_checkpoint_put(g->db, e, g->edge.size, at, g->checkpoint);
    free(text);
    free(name);
    *size = g->edge.size;
    return rc;
}

/* pl_merkle_get over the group: its subtrees, the edge before it, and
 * (never needed, see above) the store. */
static int lookup(void *ctx, pl_err *e, unsigned level, uint64_t index, pl_mhash *out)
{
    pl_report_group *g = ctx;

    if (level < LEVELS && g->made[level] && index >= g->base[level] &&
        index - g->base[level] < g->count[level]) {
        *out = g->made[level][index - g->base[level]];
        return 0;
    }
    /* the edge: one subtree per set bit of the size, the largest first */
    uint64_t s = g->before.size;
    unsigned k = 0;
    for (unsigned l = LEVELS; l-- > 0;) {
        if (!(s >> l & 1))
            continue;
        if (l == level && index == (s >> l) - 1) {
            *out = g->before.v[k];
            return 0;
        }
        k++;
    }
    return pl_report_node_get(g->db, e, level, index, out);
}

int pl_report_group_document(pl_report_group *g, pl_err *e, size_t i, const char *text,
                             char **out)
{
    pl_mhash proof[PL_MERKLE_MAX_PROOF];
    size_t n = 0;
    int rc;

    *out = NULL;
    if (!g->checkpoint)
        return pl_err_set(e, PLEDGER_ESTATE, "search reports: the group is not sealed");
    if ((rc = pl_merkle_inclusion(e, g->first + i, g->edge.size, lookup, g, proof, &n)))
        return rc;
    return pl_tlog_proof_write(e, text, g->first + i, proof, n, g->checkpoint, out);
}

void pl_report_group_free(pl_report_group *g)
{
    if (!g)
        return;
    for (unsigned l = 0; l < LEVELS; l++)
        free(g->made[l]);
    free(g->checkpoint);
    free(g);
}

int pl_report_document(pl_db *db, pl_err *e, uint64_t number, const char *text, uint64_t size,
                       char **out)
{
    pl_mhash proof[PL_MERKLE_MAX_PROOF];
    char *checkpoint = NULL;
    size_t n = 0;
    int rc;

    *out = NULL;
    if (number == 0 || number > size)
        return pl_err_set(e, PLEDGER_ECORRUPT, "search report %llu names the checkpoint of "
                          "the first %llu reports, which does not hold it",
                          (unsigned long long)number, (unsigned long long)size);
    if ((rc = pl_merkle_inclusion(e, number - 1, size, pl_report_node_get, db, proof, &n)) ||
        (rc = pl_report_checkpoint_get(db, e, size, &checkpoint)))
        return rc;
    rc = pl_tlog_proof_write(e, text, number - 1, proof, n, checkpoint, out);
    free(checkpoint);
    return rc;
}

/* ---- the registry's mark of the reports ------------------------------------------ */

int pl_report_mark_check(pledger_registry *reg, const char *path, uint64_t last,
                         const pl_report_mark *mark, uint64_t *bad)
{
    pl_report_mark m;
    bool found = true;
    char when[32];
    pl_mhash root;
    int rc = 0;

    if (mark)
        m = *mark;
    else
        rc = pl_report_mark_get(reg->db, &reg->err, &m, &found);
    if (rc || !found || m.size == 0)
        return rc;
    pl_instant_format(m.at, when);
    if (m.size > last) {
        if (bad)
            *bad = last + 1;
        return pl_err_set(&reg->err, PLEDGER_ECORRUPT, "search reports: %s ends at report %"
                          PRIu64 ", but this registry recorded at %s that it held %" PRIu64
                          ": reports were cut from its end, or an older copy of it was put in "
                          "its place; restore its latest copy (no report is recorded in it "
                          "until then)", path, last, when, m.size);
    }
    if ((rc = pl_merkle_root(&reg->err, m.size, pl_report_node_get, reg->db, &root)))
        return rc;
    if (memcmp(root.h, m.root.h, sizeof root.h) != 0) {
        if (bad)
            *bad = m.size;
        return pl_err_set(&reg->err, PLEDGER_ECORRUPT, "search reports: %s: its reports 1 to %"
                          PRIu64 " are not those this registry recorded at %s (the tree's "
                          "root differs): another copy's reports were put in its place; "
                          "restore its latest copy (no report is recorded in it until then)",
                          path, m.size, when);
    }
    return 0;
}
