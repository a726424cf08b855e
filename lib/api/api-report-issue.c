/* Issuing search reports (include/pledger/report.h): a group of reports
 * begun, added to one answer at a time, sealed by one signed checkpoint
 * and committed; pledger_report_issue() is one group in one call. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <pledger/report.h>

#include "api/handle.h"
#include "api/keyring.h"
#include "api/report-log.h"
#include "base/date.h"
#include "base/i18n.h"
#include "base/merkle.h"
#include "base/note.h"
#include "base/text.h"
#include "store/journal.h"
#include "query/query.h"
#include "store/report.h"
#include "workflow/flow.h"


/* Field @field of request @i is wrong: pl_api_bad_arg() naming
 * "requests[i].field", @why a phrase marked N_() (translated for the
 * person, as every argument error). */
static int bad_request(pledger_registry *reg, const char *fn, size_t i, const char *field,
                       const char *why)
{
    char param[80];
    snprintf(param, sizeof param, "requests[%zu].%s", i, field);
    return pl_api_bad_arg(reg, fn, param, why);
}

static int check_request(pledger_registry *reg, const char *fn, size_t i,
                         const pledger_report_request *r, uint64_t log_now)
{
    char field[48];

    if (r->version != PLEDGER_REPORT_REQUEST_VERSION)
        return bad_request(reg, fn, i, "version", N_("is not PLEDGER_REPORT_REQUEST_VERSION"));
    if (!pledger_report_kind_name(r->kind))
        return bad_request(reg, fn, i, "kind", N_("is neither search nor verification"));
    if (r->actor && !pl_api_line_ok(r->actor, PL_REPORT_MAX_ACTOR, false))
        return bad_request(reg, fn, i, "actor",
                           N_("must be 1 to 128 bytes of UTF-8 without control characters"));
    if (r->role && !pledger_role_name(r->role))
        return bad_request(reg, fn, i, "role", N_("is not a role"));
    if (!pl_api_line_ok(r->query, PL_REPORT_MAX_QUERY, false))
        return bad_request(reg, fn, i, "query",
                           N_("must be 1 to 2000 bytes of UTF-8 on one line, without control "
                              "characters"));
    if (r->party_count > PL_REPORT_MAX_PARTIES)
        return bad_request(reg, fn, i, "party_count", N_("must be at most 100"));
    if (r->party_count && !r->parties)
        return bad_request(reg, fn, i, "parties", N_("is NULL with party_count above 0"));
    for (size_t k = 0; k < r->party_count; k++)
        if (!pl_api_line_ok(r->parties[k], PL_REPORT_MAX_PARTY, false)) {
            snprintf(field, sizeof field, "parties[%zu]", k);
            return bad_request(reg, fn, i, field,
                               N_("must be 1 to 512 bytes of UTF-8 without control characters"));
        }
    if (r->number_count > PL_REPORT_MAX_NUMBERS)
        return bad_request(reg, fn, i, "number_count", N_("must be at most 10000"));
    if (r->number_count && !r->numbers)
        return bad_request(reg, fn, i, "numbers", N_("is NULL with number_count above 0"));
    for (size_t k = 0; k < r->number_count; k++)
        if (!pl_api_line_ok(r->numbers[k], PL_REPORT_MAX_NUMBER, true)) {
            snprintf(field, sizeof field, "numbers[%zu]", k);
            return bad_request(reg, fn, i, field,
                               N_("must be a registration number: 1 to 64 bytes, no space or "
                                  "control character"));
        }
    if (r->asked_count > PL_REPORT_MAX_PARTIES)
        return bad_request(reg, fn, i, "asked_count", N_("must be at most 100"));
    if (r->asked_count && !r->asked)
        return bad_request(reg, fn, i, "asked", N_("is NULL with asked_count above 0"));
    for (size_t k = 0; k < r->asked_count; k++)
        if (!pl_api_line_ok(r->asked[k], PL_API_NUMBER_MAX, false)) {
            snprintf(field, sizeof field, "asked[%zu]", k);
            return bad_request(reg, fn, i, field,
                               N_("must be a registration number as asked: 1 to 96 bytes of "
                                  "UTF-8 without control characters"));
        }
    if (r->log_size > log_now)
        return pl_err_set(&reg->err, PLEDGER_EINVAL,
                          "%s: requests[%zu].log_size %" PRIu64 " is beyond the log (%" PRIu64
                          " events)", fn, i, r->log_size, log_now);
    bool other = (r->actor && strcmp(r->actor, reg->actor) != 0) ||
                 (r->role && r->role != reg->role);
    if (other && reg->role != PLEDGER_ROLE_REGISTRAR)
        return pl_err_set(&reg->err, PLEDGER_EPERM,
                          "%s: requests[%zu]: actor '%s' has role %s; only registrar records "
                          "reports for another actor", fn, i, reg->actor,
                          pl_frag_ctx("role", pledger_role_name(reg->role)));
    return 0;
}

/* The parties a question named, each once, under the key the auditor's
 * question finds them by (pledger_report_find()): the name key
 * (pl_text_name_key: full-width and case folded, spaces and punctuation
 * removed, a legal form's ending too), which also folds every spelling a
 * search takes for an identifier -- so that no spelling of a party hides
 * a search about it from the auditor. */
typedef struct party_set {
    char *v[PL_REPORT_MAX_PARTIES];
    size_t n;
} party_set;

static void party_set_clear(party_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    s->n = 0;
}

static int party_add(party_set *s, pl_err *e, char *key)
{
    if (!key)
        return pl_err_oom(e);   /* the text was checked UTF-8 before */
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], key) == 0) {
            free(key);
            return 0;
        }
    if (!*key) {   /* a name of legal forms alone keeps no key: none to find it by */
        free(key);
        return 0;
    }
    s->v[s->n++] = key;
    return 0;
}

static int collect_parties(const pledger_report_request *r, party_set *s, pl_err *e)
{
    int rc = 0;

    party_set_clear(s);
    for (size_t k = 0; !rc && k < r->party_count && k < PL_REPORT_MAX_PARTIES; k++)
        rc = party_add(s, e, pl_text_name_key(r->parties[k]));
    return rc;
}

/* The report's text: the leaf of the reports' log (allocated). */
static int report_text(pl_err *e, const char *origin, uint64_t number, int64_t at,
                       const char *actor, pledger_role role, const pledger_report_request *r,
                       const party_set *parties, uint64_t size, const pl_mhash *root,
                       char **out)
{
    char when[32], b64[48];
    size_t cap = 512 + strlen(origin) + strlen(actor) + strlen(r->query), len;

    *out = NULL;
    for (size_t k = 0; k < r->number_count; k++)
        cap += strlen(r->numbers[k]) + 1;
    for (size_t k = 0; k < parties->n; k++)
        cap += strlen(parties->v[k]) + 1;
    for (size_t k = 0; k < r->asked_count; k++)
        cap += strlen(r->asked[k]) + 1;
    char *buf = malloc(cap);
    if (!buf)
        return pl_err_oom(e);
    EVP_EncodeBlock((unsigned char *)b64, root->h, sizeof root->h);
    pl_instant_format(at, when);
    len = (size_t)snprintf(buf, cap,
                           "%s search report %" PRIu64 "\nissued %s\nby %s %s\nkind %s\n"
                           "query %s\nparties %zu\n",
                           origin, number, when, actor, pledger_role_name(role),
                           pledger_report_kind_name(r->kind), r->query, parties->n);
    for (size_t k = 0; k < parties->n && len < cap; k++) {
        size_t pl = strlen(parties->v[k]);
        memcpy(buf + len, parties->v[k], pl);
        len += pl;
        buf[len++] = '\n';
    }
    if (len < cap)
        len += (size_t)snprintf(buf + len, cap - len, "asked %zu\n", r->asked_count);
    for (size_t k = 0; k < r->asked_count && len < cap; k++) {
        size_t al = strlen(r->asked[k]);
        memcpy(buf + len, r->asked[k], al);
        len += al;
        buf[len++] = '\n';
    }
    if (len < cap)
        len += (size_t)snprintf(buf + len, cap - len, "log %" PRIu64 " %s\nresults %zu\n",
                                size, b64, r->number_count);
    for (size_t k = 0; k < r->number_count && len < cap; k++) {
        size_t nl = strlen(r->numbers[k]);
        memcpy(buf + len, r->numbers[k], nl);
        len += nl;
        buf[len++] = '\n';
    }
    if (len >= cap) { /* cannot be: the fixed lines are under 512 bytes */
        free(buf);
        return pl_err_set(e, PLEDGER_EINVAL, "search report %" PRIu64 ": its text is longer "
                          "than it can be", number);
    }
    buf[len] = '\0';
    *out = buf;
    return 0;
}

/* Before a handle records its first report: the companion holds this
 * registry's reports -- its last checkpoint is of this registry's
 * reports' log, its last report was read from this registry's journal.
 * A companion copied from another registry, or from another copy of this
 * one, would otherwise take reports numbered and signed after another
 * history's (its tail only is checked at each group, pl_report_next). */
static int vouch_companion(pledger_registry *reg, const char *origin, uint64_t last,
                           uint64_t log_now)
{
    char *note = NULL, *actor = NULL, *path = NULL;
    uint64_t cp = 0;
    pledger_report *t = NULL;
    int rc;

    if (!(path = pl_report_file(reg->db)))
        return pl_err_oom(&reg->err);
    if (last == 0) {   /* none kept: unless the registry says some were */
        rc = pl_report_mark_check(reg, path, 0, NULL, NULL);
        goto out;
    }
    if ((rc = pl_report_get(reg->db, &reg->err, last, &note, &actor, &cp)))
        goto out;
    /* its text: the note's, or (the first 0.2 builds) the signed note's */
    const char *end = cp ? NULL : strstr(note, "\n\n");
    pl_err why = { 0 };
    if (pl_report_text_read(&why, note, end ? (size_t)(end - note) + 1 : strlen(note), &t)) {
        rc = pl_err_set(&reg->err, PLEDGER_ECORRUPT, "search reports: %s: its last report, "
                        "number %" PRIu64 ", is not a report's text: the file was changed "
                        "outside pledger (pledger_report_verify says where)", path, last);
        goto out;
    }
    if (strcmp(pledger_report_origin(t), origin) != 0) {
        rc = pl_err_set(&reg->err, PLEDGER_ECORRUPT, "search reports: %s holds the reports of "
                        "'%.200s', not of '%s': no report is recorded in it (it was copied "
                        "from another registry)", path, pledger_report_origin(t), origin);
        goto out;
    }
    uint64_t size = pledger_report_log_size(t);
    pl_mhash root;
    if (size > log_now) {
        rc = pl_err_set(&reg->err, PLEDGER_ECORRUPT, "search reports: %s: its last report was "
                        "read at log size %" PRIu64 ", beyond this registry's journal (%"
                        PRIu64 " events): no report is recorded in it (it is another copy's)",
                        path, size, log_now);
        goto out;
    }
    if ((rc = pl_merkle_root(&reg->err, size, pl_journal_tree_get, reg->db, &root)))
        goto out;
    if (memcmp(root.h, pledger_report_log_root(t), sizeof root.h) != 0) {
        rc = pl_err_set(&reg->err, PLEDGER_ECORRUPT, "search reports: %s: its last report was "
                        "read from another history than this registry's journal (the log's "
                        "root at size %" PRIu64 " differs): no report is recorded in it (it is "
                        "another copy's)", path, size);
        goto out;
    }
    /* this registry's, and every report the registry recorded it held */
    rc = pl_report_mark_check(reg, path, last, NULL, NULL);
out:
    /* and the journal the reports are read at is the one its checkpoints
     * signed: a handle's reports name no root of a rewritten history */
    if (!rc)
        rc = pl_api_latest_checkpoint_holds(reg, pl_frag("no search report is recorded "
                                                          "over it"));
    pledger_report_free(t);
    free(note);
    free(actor);
    free(path);
    return rc;
}


/* ---- a group of reports ------------------------------------------------------------ */

struct pledger_report_group {
    pledger_registry *reg;
    const pl_note_key *keys[PL_NOTE_MAX_SIGS];
    size_t nk;
    const char *origin;     /* pledger_log_origin(): the handle's own */
    uint64_t log_now;       /* the journal's size, as the group reads it */
    uint64_t first;         /* the number of its first report */
    size_t n, room;
    char **texts;           /* its reports' texts, in the order added */
    pl_report_group *tree;  /* their leaves in the reports' log */
    uint64_t root_size;     /* the journal's root last computed, and at what size */
    pl_mhash root;
    party_set parties;
    bool broken;            /* an add failed to write: it can only be abandoned */
};

/* The checkpoint keys of @signers that can sign (PL_NOTE_MAX_SIGS at most). */
static int signing_keys(pledger_registry *reg, const char *fn, const pledger_keyring *signers,
                        const pl_note_key **keys, size_t *nk)
{
    *nk = 0;
    for (size_t i = 0; signers && i < signers->n && *nk < PL_NOTE_MAX_SIGS; i++)
        if (pl_note_key_can_sign(signers->keys[i]))
            keys[(*nk)++] = signers->keys[i];
    if (*nk == 0)
        return pl_api_bad_arg(reg, fn, "signers",
                              "holds no checkpoint private key (Ed25519 or SM2) to sign with");
    return 0;
}

static void group_free(pledger_report_group *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->texts[i]);
    free(g->texts);
    pl_report_group_free(g->tree);
    party_set_clear(&g->parties);
    free(g);
}

/* The group ends: its transaction, if one is open, rolled back. */
static void group_end(pledger_report_group *g, bool rollback)
{
    if (rollback)
        pl_db_rollback(g->reg->db);
    g->reg->report_group = NULL;
    group_free(g);
}

/* Open @g's transaction on its handle: the reports' write lock, the
 * journal's size and the next number read in it (outside it each read
 * was a transaction of its own: locks taken and dropped, a tenth of a
 * small group's cost), the companion vouched for at the handle's first
 * report, the tree's edge loaded. */
static int group_open(pledger_report_group *g, const char *fn)
{
    pledger_registry *reg = g->reg;
    uint64_t next = 0, last_cp = 0;
    bool present;
    int rc;

    if ((rc = pl_report_attach(reg->db, &reg->err, true, &present)))
        return pl_err_prefix(&reg->err, "%s", fn);
    /* the reports' write lock only: a writer of the registry (a bulk
     * filing's one long transaction) does not hold the answers back */
    if ((rc = pl_report_write_begin(reg->db, &reg->err)))
        return rc;
    g->origin = pledger_log_origin(reg);
    if (!(rc = pl_journal_tree_size(reg->db, &reg->err, &g->log_now)))
        rc = pl_report_next(reg->db, &reg->err, &next, &last_cp);
    if (!rc && !reg->reports_vouched)
        rc = vouch_companion(reg, g->origin, next - 1, g->log_now);
    if (!rc)
        rc = pl_report_group_begin(reg->db, &reg->err, next - 1, last_cp, PL_REPORT_MAX_REQUESTS,
                                   &g->tree);
    if (rc) {
        pl_db_rollback(reg->db);
        return rc;
    }
    g->first = next;
    g->root_size = UINT64_MAX;
    return 0;
}

/* The checks of pledger_report_group_begin() and pledger_report_issue():
 * the signers, a writable handle with an actor, no group open on it. */
static int group_new(pledger_report_group **out, pledger_registry *reg, const char *fn,
                     const pledger_keyring *signers)
{
    int rc;

    *out = NULL;
    pledger_report_group *g = calloc(1, sizeof *g);
    if (!g)
        return pl_err_oom(&reg->err);
    g->reg = reg;
    if ((rc = signing_keys(reg, fn, signers, g->keys, &g->nk)) ||
        (rc = pl_api_writable(reg, fn)) ||
        (!reg->actor && (rc = pl_err_set(&reg->err, PLEDGER_EPERM, "%s: no actor is set (call "
                                         "pledger_set_actor first)", fn))) ||
        (rc = group_open(g, fn))) {
        free(g);
        return rc;
    }
    reg->report_group = g;
    *out = g;
    return 0;
}

/* The registrations @r asked about as the register writes their numbers
 * (a verification finds "r-fz01-..." and full-width forms too, and the
 * auditor's index must hold the register's spelling): a lookup only for a
 * number not in that form.  *@rq is @r with them; @kept holds them
 * (PL_REPORT_MAX_PARTIES), *@nkept how many to free. */
static int asked_as_kept(pledger_report_group *g, const pledger_report_request *r,
                         pledger_report_request *rq, char **kept, size_t *nkept)
{
    pledger_registry *reg = g->reg;
    int rc = 0;

    *rq = *r;
    *nkept = 0;
    if (!r->asked || r->asked_count > PL_REPORT_MAX_PARTIES)
        return 0;   /* check_request says what is wrong */
    rq->asked = (const char *const *)kept;
    for (size_t k = 0; !rc && k < r->asked_count; k++) {
        char number[PL_API_NUMBER_MAX + 1];
        const char *a = r->asked[k];
        /* one that is no number check_request refuses, as given */
        bool ok = pl_api_line_ok(a, PL_API_NUMBER_MAX, false);
        if (ok && (rc = pl_q_number_kept(reg->db, &reg->err, a, number, sizeof number)))
            break;
        if (!(kept[k] = strdup(ok ? number : a)))
            rc = pl_err_oom(&reg->err);
        else
            (*nkept)++;
    }
    return rc;
}

/* Write @r as @g's next report: everything is checked and composed before
 * the first write, so a refusal leaves the group as it was; a failed write
 * breaks it (its transaction holds part of a report). */
static int group_add(pledger_report_group *g, const char *fn, const pledger_report_request *r,
                     uint64_t *number)
{
    pledger_registry *reg = g->reg;
    pledger_report_request rq;
    char *kept[PL_REPORT_MAX_PARTIES], *text = NULL;
    const char **both = NULL;
    size_t nkept = 0, i = g->n;
    int rc;

    if (g->broken)
        return pl_err_set(&reg->err, PLEDGER_ESTATE, "%s: a report of this group could not be "
                          "written; nothing of the group is kept (abandon it)", fn);
    if (g->n >= PL_REPORT_MAX_REQUESTS)
        return pl_err_set(&reg->err, PLEDGER_ESTATE, "%s: the group holds %d reports, the "
                          "most one checkpoint seals: close it", fn, PL_REPORT_MAX_REQUESTS);
    if ((rc = asked_as_kept(g, r, &rq, kept, &nkept)) ||
        (rc = check_request(reg, fn, i, &rq, g->log_now)))
        goto out;
    const char *actor = rq.actor ? rq.actor : reg->actor;
    pledger_role role = rq.role ? rq.role : reg->role;
    uint64_t size = rq.log_size ? rq.log_size : g->log_now;
    int64_t at = pl_db_now(reg->db);
    if (size != g->root_size) {
        if ((rc = pl_merkle_root(&reg->err, size, pl_journal_tree_get, reg->db, &g->root)))
            goto out;
        g->root_size = size;
    }
    if ((rc = collect_parties(&rq, &g->parties, &reg->err)) ||
        (rc = report_text(&reg->err, g->origin, g->first + i, at, actor, role, &rq,
                          &g->parties, size, &g->root, &text)))
        goto out;
    /* the registrations the auditor finds it under: those answered and
     * those asked about (the same key: a registration it concerns), a
     * number asked and answered -- a verification's -- once (the auditor's
     * check compares them as sets; a long answer is not searched) */
    const char *const *regs = rq.numbers;
    size_t nregs = rq.number_count;
    if (rq.asked_count) {
        if (!(both = malloc((rq.number_count + rq.asked_count) * sizeof *both))) {
            rc = pl_err_oom(&reg->err);
            goto out;
        }
        for (size_t k = 0; k < rq.number_count; k++)
            both[k] = rq.numbers[k];
        for (size_t k = 0; k < rq.asked_count; k++) {
            bool answered = false;
            for (size_t j = 0; j < rq.number_count && rq.number_count <= 64 && !answered; j++)
                answered = strcmp(rq.asked[k], rq.numbers[j]) == 0;
            if (!answered)
                both[nregs++] = rq.asked[k];
        }
        regs = both;
    }
    if (g->n == g->room) {
        size_t room = g->room ? 2 * g->room : 64;
        char **texts = realloc(g->texts, room * sizeof *texts);
        if (!texts) {
            rc = pl_err_oom(&reg->err);
            goto out;
        }
        g->texts = texts;
        g->room = room;
    }
    /* the writes.  Its checkpoint is not known before the group closes:
     * the row names its own number until then (pl_report_close_group) */
    pl_report_row row = { g->first + i, at, actor, pledger_role_name(role),
                          pledger_report_kind_name(rq.kind), rq.query, rq.number_count, size,
                          text, g->first + i };
    if ((rc = pl_report_group_add(g->tree, &reg->err, text)) ||
        (rc = pl_report_put(reg->db, &reg->err, &row, (const char *const *)g->parties.v,
                            g->parties.n, regs, nregs))) {
        g->broken = true;
        goto out;
    }
    g->texts[g->n++] = text;
    text = NULL;
    if (number)
        *number = g->first + i;
out:
    free(text);
    free(both);
    for (size_t k = 0; k < nkept; k++)
        free(kept[k]);
    if (rc && !strstr(pl_err_text(&reg->err), fn))
        pl_err_prefix(&reg->err, "%s", fn);
    return rc;
}

/* Seal, document, commit; @g ends whatever the outcome. */
static int group_close(pledger_report_group *g, const char *fn, char **notes)
{
    pledger_registry *reg = g->reg;
    uint64_t sealed = 0;
    int rc = 0;

    for (size_t i = 0; notes && i < g->n; i++)
        notes[i] = NULL;
    if (g->broken)
        rc = pl_err_set(&reg->err, PLEDGER_ESTATE, "%s: a report of this group could not be "
                        "written; nothing of the group is kept", fn);
    else if (g->n == 0) {
        group_end(g, true);
        return 0;
    } else if (!notes)
        rc = pl_api_bad_arg(reg, fn, "notes", "is NULL");
    if (!rc)
        rc = pl_report_group_seal(g->tree, &reg->err, g->origin, g->keys, g->nk,
                                  pl_db_now(reg->db), &sealed);
    if (!rc)
        rc = pl_report_close_group(reg->db, &reg->err, g->first, sealed);
    for (size_t i = 0; !rc && i < g->n; i++)
        rc = pl_report_group_document(g->tree, &reg->err, i, g->texts[i], &notes[i]);
    if (!rc)
        rc = pl_db_commit(reg->db, &reg->err);
    if (rc) {
        for (size_t i = 0; notes && i < g->n; i++) {
            free(notes[i]);
            notes[i] = NULL;
        }
        if (!strstr(pl_err_text(&reg->err), fn))
            pl_err_prefix(&reg->err, "%s", fn);
        group_end(g, true);
        return rc;
    }
    reg->reports_vouched = true;
    /* synced as it committed: the registry may mark them */
    if (!reg->reports_unsynced)
        pl_api_reports_mark(reg, sealed, false);
    group_end(g, false);
    return 0;
}

int pledger_report_group_begin(pledger_report_group **out, pledger_registry *reg,
                               const pledger_keyring *signers)
{
    static const char fn[] = "pledger_report_group_begin";
    int rc;

    if (out)
        *out = NULL;
    if ((rc = pl_api_enter(reg, fn)))
        return rc;
    if (!out)
        return pl_api_bad_arg(reg, fn, "out", "is NULL");
    return group_new(out, reg, fn, signers);
}

int pledger_report_group_add(pledger_report_group *g, const pledger_report_request *request,
                             uint64_t *number)
{
    static const char fn[] = "pledger_report_group_add";

    if (!g)
        return pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: the group is NULL", fn);
    pl_err_clear(&g->reg->err);
    if (!request)
        return pl_api_bad_arg(g->reg, fn, "request", "is NULL");
    /* an answer read after the group began is recorded in the next: the
     * group reads the journal as it was then */
    if (request->version == PLEDGER_REPORT_REQUEST_VERSION && request->log_size > g->log_now)
        return pl_err_set(&g->reg->err, PLEDGER_ESTATE, "%s: requests[%zu].log_size %" PRIu64
                          " is beyond the journal as this group reads it (%" PRIu64 " events, "
                          "when it began): close the group and add the request to the next",
                          fn, g->n, request->log_size, g->log_now);
    return group_add(g, fn, request, number);
}

size_t pledger_report_group_count(const pledger_report_group *g) { return g ? g->n : 0; }

int pledger_report_group_close(pledger_report_group *g, char **notes)
{
    static const char fn[] = "pledger_report_group_close";

    if (!g)
        return pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: the group is NULL", fn);
    pl_err_clear(&g->reg->err);
    return group_close(g, fn, notes);
}

void pledger_report_group_abandon(pledger_report_group *g)
{
    if (g)
        group_end(g, true);
}

void pl_api_report_group_abandon(pledger_registry *reg)
{
    if (reg && reg->report_group)
        group_end(reg->report_group, true);
}

int pledger_report_issue(char **notes, uint64_t *numbers, pledger_registry *reg,
                         const pledger_report_request *requests, size_t n,
                         const pledger_keyring *signers)
{
    static const char fn[] = "pledger_report_issue";
    pledger_report_group *g = NULL;
    int rc;

    for (size_t i = 0; notes && n <= PL_REPORT_MAX_REQUESTS && i < n; i++)
        notes[i] = NULL;
    if ((rc = pl_api_enter(reg, fn)))
        return rc;
    if (!notes)
        return pl_api_bad_arg(reg, fn, "notes", "is NULL");
    if (n == 0 || n > PL_REPORT_MAX_REQUESTS)
        return pl_api_bad_arg(reg, fn, "n", "must be 1 to 10000");
    if (!requests)
        return pl_api_bad_arg(reg, fn, "requests", "is NULL");
    if ((rc = group_new(&g, reg, fn, signers)))
        return rc;
    /* begun now, the group reads the journal as it is: a log size beyond
     * it is beyond the journal */
    for (size_t i = 0; !rc && i < n; i++)
        rc = group_add(g, fn, &requests[i], NULL);
    if (rc) {
        group_end(g, true);
        return rc;
    }
    uint64_t first = g->first;
    if ((rc = group_close(g, fn, notes)))
        return rc;
    for (size_t i = 0; numbers && i < n; i++)
        numbers[i] = first + i;
    return 0;
}
