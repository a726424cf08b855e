/* Search reports (include/pledger/report.h): the answers given to banks,
 * numbered, signed as notes and kept; the auditor's list of them. */
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
#include "base/tlog-proof.h"
#include "base/text.h"
#include "store/journal.h"
#include "query/query.h"
#include "store/report.h"
#include "workflow/flow.h"

#define MAX_REQUESTS 10000
#define MAX_QUERY 2000
#define MAX_PARTIES 100
#define MAX_PARTY PL_API_PARTY_MAX
#define MAX_NUMBERS 10000
#define MAX_NUMBER 64
#define MAX_ACTOR PL_API_ACTOR_MAX

const char *pledger_report_kind_name(pledger_report_kind kind)
{
    switch (kind) {
    case PLEDGER_REPORT_SEARCH: return "search";
    case PLEDGER_REPORT_VERIFICATION: return "verification";
    }
    return NULL;
}

static int kind_from_name(const char *s)
{
    if (s && !strcmp(s, "search"))
        return PLEDGER_REPORT_SEARCH;
    if (s && !strcmp(s, "verification"))
        return PLEDGER_REPORT_VERIFICATION;
    return 0;
}

/* ---- issuing --------------------------------------------------------------------- */

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
    if (r->actor && !pl_api_line_ok(r->actor, MAX_ACTOR, false))
        return bad_request(reg, fn, i, "actor",
                           N_("must be 1 to 128 bytes of UTF-8 without control characters"));
    if (r->role && !pledger_role_name(r->role))
        return bad_request(reg, fn, i, "role", N_("is not a role"));
    if (!pl_api_line_ok(r->query, MAX_QUERY, false))
        return bad_request(reg, fn, i, "query",
                           N_("must be 1 to 2000 bytes of UTF-8 on one line, without control "
                              "characters"));
    if (r->party_count > MAX_PARTIES)
        return bad_request(reg, fn, i, "party_count", N_("must be at most 100"));
    if (r->party_count && !r->parties)
        return bad_request(reg, fn, i, "parties", N_("is NULL with party_count above 0"));
    for (size_t k = 0; k < r->party_count; k++)
        if (!pl_api_line_ok(r->parties[k], MAX_PARTY, false)) {
            snprintf(field, sizeof field, "parties[%zu]", k);
            return bad_request(reg, fn, i, field,
                               N_("must be 1 to 512 bytes of UTF-8 without control characters"));
        }
    if (r->number_count > MAX_NUMBERS)
        return bad_request(reg, fn, i, "number_count", N_("must be at most 10000"));
    if (r->number_count && !r->numbers)
        return bad_request(reg, fn, i, "numbers", N_("is NULL with number_count above 0"));
    for (size_t k = 0; k < r->number_count; k++)
        if (!pl_api_line_ok(r->numbers[k], MAX_NUMBER, true)) {
            snprintf(field, sizeof field, "numbers[%zu]", k);
            return bad_request(reg, fn, i, field,
                               N_("must be a registration number: 1 to 64 bytes, no space or "
                                  "control character"));
        }
    if (r->asked_count > MAX_PARTIES)
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
    char *v[MAX_PARTIES];
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
    for (size_t k = 0; !rc && k < r->party_count && k < MAX_PARTIES; k++)
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

/* How often a handle writes the registry's mark of the reports, at most,
 * and at its close: each is a commit of the registry file, after which
 * every reader of the registry maps it anew and faults its pages in
 * again (under 10,000 answers a second, a mark a second cost pledgerd's
 * workers more than the answers: docs/performance.md).  A cut or an older
 * copy of the companion is seen unless it lost only the reports of the
 * last ten seconds before a handle's crash. */
#define MARK_EVERY_US 10000000

static int64_t monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Mark in the registry that the companion holds reports 1 to @size, every
 * one of them synced (store/report.h), when this handle has not done so
 * for a second.  Best effort: a registry whose lock another holds (a bulk
 * filing) or that cannot be written now is marked at a later call; the
 * handle's own message is left as it was. */
static bool mark_due(const pledger_registry *reg)
{
    return !reg->reports_marked_mono ||
           monotonic_us() - reg->reports_marked_mono >= MARK_EVERY_US;
}

static void mark_reports(pledger_registry *reg, uint64_t size, bool now_or_never)
{
    pl_report_mark m = { .size = size };
    pl_err e = { 0 };
    int64_t now = monotonic_us();

    if (size == 0 || size <= reg->reports_marked || pl_db_read_only(reg->db))
        return;
    if (!now_or_never && reg->reports_marked_mono &&
        now - reg->reports_marked_mono < MARK_EVERY_US) {
        if (size > reg->reports_unmarked)
            reg->reports_unmarked = size;
        return;
    }
    if (pl_db_read_begin(reg->db, &e))
        return;
    int rc = pl_merkle_root(&e, size, pl_report_node_get, reg->db, &m.root);
    pl_db_rollback(reg->db);
    m.at = pl_db_clock(reg->db);
    if (!rc && !pl_report_mark_put(reg->db, &e, &m)) {
        reg->reports_marked = size;
        reg->reports_marked_mono = now;
    }
}

/* pledger_report_issue() once its arguments are checked and the numbers
 * asked about are the register's. */
static int issue_reports(const char *fn, char **notes, uint64_t *numbers,
                         pledger_registry *reg, const pledger_report_request *requests,
                         size_t n, const pl_note_key *const *keys, size_t nk)
{
    party_set parties = { .n = 0 };
    uint64_t log_now = 0, next = 0, last_cp = 0, root_size = UINT64_MAX;
    pl_mhash root;
    int rc;

    bool present;
    if ((rc = pl_report_attach(reg->db, &reg->err, true, &present)))
        return pl_err_prefix(&reg->err, "%s", fn);
    /* the reports' write lock only: a writer of the registry (a bulk
     * filing's one long transaction) does not hold the answers back */
    if ((rc = pl_report_write_begin(reg->db, &reg->err)))
        return rc;
    /* read in the transaction: outside it the read was a transaction of
     * its own (locks taken and dropped), a tenth of a small group's cost */
    const char *origin = pledger_log_origin(reg);
    if (!(rc = pl_journal_tree_size(reg->db, &reg->err, &log_now)))
        rc = pl_report_next(reg->db, &reg->err, &next, &last_cp);
    if (!rc && !reg->reports_vouched)
        rc = vouch_companion(reg, origin, next - 1, log_now);
    for (size_t i = 0; !rc && i < n; i++)
        rc = check_request(reg, fn, i, &requests[i], log_now);
    int64_t at = pl_db_now(reg->db);
    pl_report_group *g = NULL;
    char **texts = rc ? NULL : calloc(n, sizeof *texts);
    if (!rc && !texts)
        rc = pl_err_oom(&reg->err);
    if (!rc)
        rc = pl_report_group_begin(reg->db, &reg->err, next - 1, last_cp, n, &g);
    for (size_t i = 0; !rc && i < n; i++) {
        const pledger_report_request *r = &requests[i];
        const char *actor = r->actor ? r->actor : reg->actor;
        pledger_role role = r->role ? r->role : reg->role;
        uint64_t size = r->log_size ? r->log_size : log_now;

        if (size != root_size) {
            if ((rc = pl_merkle_root(&reg->err, size, pl_journal_tree_get, reg->db, &root)))
                break;
            root_size = size;
        }
        if ((rc = collect_parties(r, &parties, &reg->err)))
            break;
        if ((rc = report_text(&reg->err, origin, next + i, at, actor, role, r, &parties, size,
                              &root, &texts[i])) ||
            (rc = pl_report_group_add(g, &reg->err, texts[i])))
            break;
        pl_report_row row = { next + i, at, actor, pledger_role_name(role),
                              pledger_report_kind_name(r->kind), r->query, r->number_count,
                              size, texts[i], next - 1 + n };
        /* the registrations the auditor finds it under: those answered and
         * those asked about (the same key: a registration it concerns) */
        const char *const *regs = r->numbers;
        const char **both = NULL;
        if (r->asked_count) {
            if (!(both = malloc((r->number_count + r->asked_count) * sizeof *both))) {
                rc = pl_err_oom(&reg->err);
                break;
            }
            for (size_t k = 0; k < r->number_count; k++)
                both[k] = r->numbers[k];
            for (size_t k = 0; k < r->asked_count; k++)
                both[r->number_count + k] = r->asked[k];
            regs = both;
        }
        rc = pl_report_put(reg->db, &reg->err, &row, (const char *const *)parties.v, parties.n,
                           regs, r->number_count + r->asked_count);
        free(both);
    }
    uint64_t sealed = 0;
    if (!rc)
        rc = pl_report_group_seal(g, &reg->err, origin, keys, nk, at, &sealed);
    for (size_t i = 0; !rc && i < n; i++)
        rc = pl_report_group_document(g, &reg->err, i, texts[i], &notes[i]);
    pl_report_group_free(g);
    party_set_clear(&parties);
    for (size_t i = 0; texts && i < n; i++)
        free(texts[i]);
    free(texts);
    if (!rc)
        rc = pl_db_commit(reg->db, &reg->err);
    else
        pl_db_rollback(reg->db);
    if (rc) {
        for (size_t i = 0; i < n; i++) {
            free(notes[i]);
            notes[i] = NULL;
        }
        if (!strstr(pl_err_text(&reg->err), fn))
            pl_err_prefix(&reg->err, "%s", fn);
        return rc;
    }
    reg->reports_vouched = true;
    for (size_t i = 0; numbers && i < n; i++)
        numbers[i] = next + i;
    /* synced as it committed: the registry may mark them */
    if (!reg->reports_unsynced)
        mark_reports(reg, next - 1 + n, false);
    return 0;
}

int pledger_report_issue(char **notes, uint64_t *numbers, pledger_registry *reg,
                         const pledger_report_request *requests, size_t n,
                         const pledger_keyring *signers)
{
    static const char fn[] = "pledger_report_issue";
    const pl_note_key *keys[PL_NOTE_MAX_SIGS];
    size_t nk = 0;
    int rc;

    for (size_t i = 0; notes && n <= MAX_REQUESTS && i < n; i++)
        notes[i] = NULL;
    if ((rc = pl_api_enter(reg, fn)))
        return rc;
    if (!notes)
        return pl_api_bad_arg(reg, fn, "notes", "is NULL");
    if (n == 0 || n > MAX_REQUESTS)
        return pl_api_bad_arg(reg, fn, "n", "must be 1 to 10000");
    if (!requests)
        return pl_api_bad_arg(reg, fn, "requests", "is NULL");
    for (size_t i = 0; signers && i < signers->n && nk < PL_NOTE_MAX_SIGS; i++)
        if (pl_note_key_can_sign(signers->keys[i]))
            keys[nk++] = signers->keys[i];
    if (nk == 0)
        return pl_api_bad_arg(reg, fn, "signers",
                              "holds no checkpoint private key (Ed25519 or SM2) to sign with");
    if ((rc = pl_api_writable(reg, fn)))
        return rc;
    if (!reg->actor)
        return pl_err_set(&reg->err, PLEDGER_EPERM,
                          "%s: no actor is set (call pledger_set_actor first)", fn);
    /* the registrations asked about as the register writes their numbers
     * (a verification finds "r-fz01-..." and full-width forms too, and the
     * auditor's index must hold the register's spelling): read before the
     * reports' write lock, a lookup only for a number not in that form */
    pledger_report_request *rq = calloc(n, sizeof *rq);
    size_t total = 0, done = 0;
    for (size_t i = 0; i < n; i++)
        if (requests[i].asked && requests[i].asked_count <= MAX_PARTIES)
            total += requests[i].asked_count;
    char **kept = calloc(total ? total : 1, sizeof *kept);
    if (!rq || !kept) {
        free(rq);
        free(kept);
        return pl_err_oom(&reg->err);
    }
    rc = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        rq[i] = requests[i];
        if (!requests[i].asked || requests[i].asked_count > MAX_PARTIES)
            continue;   /* check_request says what is wrong */
        rq[i].asked = (const char *const *)(kept + done);
        for (size_t k = 0; !rc && k < requests[i].asked_count; k++, done++) {
            char number[PL_API_NUMBER_MAX + 1];
            const char *a = requests[i].asked[k];
            /* one that is no number check_request refuses, as given */
            bool ok = pl_api_line_ok(a, PL_API_NUMBER_MAX, false);
            if (ok && (rc = pl_q_number_kept(reg->db, &reg->err, a, number, sizeof number)))
                break;
            if (!(kept[done] = strdup(ok ? number : a)))
                rc = pl_err_oom(&reg->err);
        }
    }
    if (!rc)
        rc = issue_reports(fn, notes, numbers, reg, rq, n, keys, nk);
    for (size_t j = 0; j < done; j++)
        free(kept[j]);
    free(kept);
    free(rq);
    if (rc && !strstr(pl_err_text(&reg->err), fn))
        pl_err_prefix(&reg->err, "%s", fn);
    return rc;
}

/* ---- reading them back -------------------------------------------------------------- */

int pledger_report_get(char **note_out, pledger_registry *reg, uint64_t number)
{
    static const char fn[] = "pledger_report_get";
    char *note = NULL, *actor = NULL, *doc = NULL;
    uint64_t checkpoint = 0;
    int sight, rc;

    if (note_out)
        *note_out = NULL;
    if ((rc = pl_api_enter(reg, fn)))
        return rc;
    if (!note_out)
        return pl_api_bad_arg(reg, fn, "note_out", "is NULL");
    if ((rc = pl_api_read(reg, fn, PL_READ_REPORTS, &sight)))
        return rc;
    bool present;
    if ((rc = pl_report_attach(reg->db, &reg->err, true, &present)))
        return pl_err_prefix(&reg->err, "%s", fn);
    if (!present)
        return pl_err_set(&reg->err, PLEDGER_ENOTFOUND,
                          "%s: no search report number %" PRIu64 " (none was recorded)", fn,
                          number);
    if ((rc = pl_db_read_begin(reg->db, &reg->err)))
        return rc;
    rc = pl_report_get(reg->db, &reg->err, number, &note, &actor, &checkpoint);
    if (!rc && checkpoint) {
        /* its proof to the checkpoint it was handed out with */
        rc = pl_report_document(reg->db, &reg->err, number, note, checkpoint, &doc);
        free(note);
        note = doc;
    }
    pl_db_rollback(reg->db);
    /* what was read may be a commit of a handle that syncs later (a
     * service's recorder): it leaves only once it survives a crash of the
     * machine, as the answers of that handle do */
    if (!rc)
        rc = pl_report_sync(reg->db, &reg->err);
    if (rc) {
        free(note);
        free(actor);
        return pl_err_prefix(&reg->err, "%s", fn);
    }
    if (sight == PL_SIGHT_OWN && strcmp(actor, reg->actor) != 0) {
        free(note);
        free(actor);
        return pl_err_set(&reg->err, PLEDGER_EPERM,
                          "%s: search report %" PRIu64 " was issued to another actor; actor "
                          "'%s' has role %s and sees its own only", fn, number, reg->actor,
                          pl_frag_ctx("role", pledger_role_name(reg->role)));
    }
    free(actor);
    *note_out = note;
    return 0;
}

typedef struct report_item {
    uint64_t number, log_size;
    int64_t issued_at;
    char *actor, *query;
    pledger_role role;
    pledger_report_kind kind;
    size_t result_count;
} report_item;

struct pledger_report_list {
    report_item *v;
    size_t n, cap;
};

static int list_add(void *ctx, pl_err *e, const pl_report_row *r)
{
    pledger_report_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        report_item *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return pl_err_oom(e);
        l->v = v;
        l->cap = cap;
    }
    report_item *it = &l->v[l->n];
    memset(it, 0, sizeof *it);
    it->number = r->number;
    it->log_size = r->log_size;
    it->issued_at = r->issued_at;
    it->role = (pledger_role)pledger_role_from_name(r->role);
    it->kind = (pledger_report_kind)kind_from_name(r->kind);
    if ((int)it->role <= 0 || (int)it->kind <= 0)
        return pl_err_set(e, PLEDGER_ECORRUPT, "search report %lld: role '%s' or kind '%s' "
                          "is none pledger writes: the search reports' file was changed "
                          "outside pledger; restore it from a backup", (long long)r->number,
                          r->role ? r->role : "", r->kind ? r->kind : "");
    it->result_count = (size_t)r->result_count;
    if (!(it->actor = strdup(r->actor)) || !(it->query = strdup(r->query))) {
        free(it->actor);
        return pl_err_oom(e);
    }
    l->n++;
    return 0;
}

int pledger_report_find(pledger_report_list **out, pledger_registry *reg,
                        const pledger_report_filter *filter)
{
    static const char fn[] = "pledger_report_find";
    pledger_report_list *l;
    int sight, rc;

    if (out)
        *out = NULL;
    if ((rc = pl_api_enter(reg, fn)))
        return rc;
    if (!out)
        return pl_api_bad_arg(reg, fn, "out", "is NULL");
    if (!filter)
        return pl_api_bad_arg(reg, fn, "filter", "is NULL");
    if (filter->version != PLEDGER_REPORT_FILTER_VERSION)
        return pl_api_bad_arg(reg, fn, "filter.version", "is not PLEDGER_REPORT_FILTER_VERSION");
    if (filter->party && !pl_api_line_ok(filter->party, MAX_PARTY, false))
        return pl_api_bad_arg(reg, fn, "filter.party",
                              "must be 1 to 512 bytes of UTF-8 without control characters");
    if (filter->actor && !pl_api_line_ok(filter->actor, MAX_ACTOR, false))
        return pl_api_bad_arg(reg, fn, "filter.actor",
                              "must be 1 to 128 bytes of UTF-8 without control characters");
    if (filter->limit < 1 || filter->limit > 10000)
        return pl_api_bad_arg(reg, fn, "filter.limit", "must be 1 to 10000");
    if (filter->from != PLEDGER_AS_OF_CURRENT && filter->to != PLEDGER_AS_OF_CURRENT &&
        filter->from > filter->to)
        return pl_api_bad_arg(reg, fn, "filter.from", "is after filter.to");
    if ((rc = pl_api_read(reg, fn, PL_READ_REPORTS, &sight)))
        return rc;
    /* the party as an identifier (normalized) and as a name (its key), as
     * the register keeps them */
    char *party_id = filter->party ? pl_text_normalize_id(filter->party) : NULL;
    char *party_key = filter->party ? pl_text_name_key(filter->party) : NULL;
    if (filter->party && (!party_id || !party_key)) {
        free(party_id);
        free(party_key);
        return pl_err_oom(&reg->err);
    }
    pl_report_filter f = { filter->party, party_id, party_key, filter->actor,
                           filter->from == PLEDGER_AS_OF_CURRENT ? INT64_MIN : filter->from,
                           filter->to == PLEDGER_AS_OF_CURRENT ? INT64_MAX : filter->to,
                           filter->after, filter->limit };
    if (sight == PL_SIGHT_OWN) {
        if (f.actor && strcmp(f.actor, reg->actor) != 0) {
            free(party_id);
            free(party_key);
            return pl_err_set(&reg->err, PLEDGER_EPERM,
                              "%s: actor '%s' has role %s and lists its own search reports "
                              "only, not those of '%s'",
                              fn, reg->actor, pl_frag_ctx("role", pledger_role_name(reg->role)),
                              f.actor);
        }
        f.actor = reg->actor;
    }
    bool present;
    if ((rc = pl_report_attach(reg->db, &reg->err, true, &present)) ||
        !(l = calloc(1, sizeof *l))) {
        free(party_id);
        free(party_key);
        return rc ? pl_err_prefix(&reg->err, "%s", fn) : pl_err_oom(&reg->err);
    }
    if (present && (rc = pl_db_read_begin(reg->db, &reg->err)) == 0) {
        rc = pl_report_find(reg->db, &reg->err, &f, list_add, l);
        if (rc)
            pl_db_rollback(reg->db);
        else
            rc = pl_db_commit(reg->db, &reg->err);
        /* as pledger_report_get(): nothing read leaves unsynced */
        if (!rc && l->n)
            rc = pl_report_sync(reg->db, &reg->err);
    }
    free(party_id);
    free(party_key);
    if (rc) {
        pledger_report_list_free(l);
        return pl_err_prefix(&reg->err, "%s", fn);
    }
    *out = l;
    return 0;
}

#define ITEM(l, i) ((l) && (i) < (l)->n ? &(l)->v[i] : NULL)

size_t pledger_report_list_count(const pledger_report_list *l) { return l ? l->n : 0; }
uint64_t pledger_report_list_number(const pledger_report_list *l, size_t i)
{
    const report_item *it = ITEM(l, i);
    return it ? it->number : 0;
}
int64_t pledger_report_list_issued_at(const pledger_report_list *l, size_t i)
{
    const report_item *it = ITEM(l, i);
    return it ? it->issued_at : 0;
}
const char *pledger_report_list_actor(const pledger_report_list *l, size_t i)
{
    const report_item *it = ITEM(l, i);
    return it ? it->actor : NULL;
}
pledger_role pledger_report_list_role(const pledger_report_list *l, size_t i)
{
    const report_item *it = ITEM(l, i);
    return it ? it->role : 0;
}
pledger_report_kind pledger_report_list_kind(const pledger_report_list *l, size_t i)
{
    const report_item *it = ITEM(l, i);
    return it ? it->kind : 0;
}
const char *pledger_report_list_query(const pledger_report_list *l, size_t i)
{
    const report_item *it = ITEM(l, i);
    return it ? it->query : NULL;
}
size_t pledger_report_list_result_count(const pledger_report_list *l, size_t i)
{
    const report_item *it = ITEM(l, i);
    return it ? it->result_count : 0;
}
uint64_t pledger_report_list_log_size(const pledger_report_list *l, size_t i)
{
    const report_item *it = ITEM(l, i);
    return it ? it->log_size : 0;
}

void pledger_report_list_free(pledger_report_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].actor);
        free(l->v[i].query);
    }
    free(l->v);
    free(l);
}

/* ---- a report in the bank's hands ----------------------------------------------------- */

struct pledger_report {
    char *text; /* the signed text; the fields below point into it */
    const char *origin, *actor, *query;
    uint64_t number, log_size;
    int64_t issued_at;
    pledger_role role;
    pledger_report_kind kind;
    pl_mhash root;
    const char **results;
    size_t n_results;
    const char **parties;
    size_t n_parties;
    bool has_parties; /* a "parties" line (reports of the first 0.2 builds have none) */
    const char **asked;
    size_t n_asked;
    char **signers;
    size_t n_signers;
};

/* Cut the next line of *@p (NUL-terminated in place); NULL at the end. */
static char *next_line(char **p)
{
    char *s = *p, *nl;
    if (!s || !*s || !(nl = strchr(s, '\n')))
        return NULL;
    *nl = '\0';
    *p = nl + 1;
    return s;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s || (s[0] == '0' && s[1]))
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return true;
}

static int parse_report(pl_err *e, pledger_report *r)
{
    static const char tag[] = " search report ";
    char *p = r->text, *line, *sp;
    int n = 0;

/* @what marked N_(): shown translated in the translated message */
#define BAD(what) pl_err_set(e, PLEDGER_EINVAL, "line %d: %s", n, pl_frag(what))
    /* <origin> search report <number> */
    n++;
    if (!(line = next_line(&p)) || !(sp = strstr(line, tag)))
        return BAD(N_("not a search report (expected '<origin> search report <number>')"));
    while (strstr(sp + 1, tag))
        sp = strstr(sp + 1, tag);
    *sp = '\0';
    r->origin = line;
    if (!*r->origin || !parse_u64(sp + strlen(tag), &r->number) || r->number == 0)
        return BAD(N_("expected '<origin> search report <number>' with a number from 1"));
    n++;
    if (!(line = next_line(&p)) || strncmp(line, "issued ", 7) != 0 ||
        pl_instant_parse(e, line + 7, &r->issued_at))
        return BAD(N_("expected 'issued <instant>'"));
    n++;
    if (!(line = next_line(&p)) || strncmp(line, "by ", 3) != 0 || !(sp = strrchr(line, ' ')) ||
        sp == line + 2)
        return BAD(N_("expected 'by <actor> <role>'"));
    *sp = '\0';
    r->actor = line + 3;
    if (!*r->actor || pledger_role_from_name(sp + 1) <= 0)
        return BAD(N_("expected 'by <actor> <role>' with a role"));
    r->role = (pledger_role)pledger_role_from_name(sp + 1);
    n++;
    if (!(line = next_line(&p)) || strncmp(line, "kind ", 5) != 0 ||
        !(r->kind = (pledger_report_kind)kind_from_name(line + 5)))
        return BAD(N_("expected 'kind search' or 'kind verification'"));
    n++;
    if (!(line = next_line(&p)) || strncmp(line, "query ", 6) != 0 || !line[6] ||
        !pl_api_line_ok(line + 6, MAX_QUERY, false))
        return BAD(N_("expected 'query <question>'"));
    r->query = line + 6;
    n++;
    size_t rl = 0;
    line = next_line(&p);
    if (line && strncmp(line, "parties ", 8) == 0) {
        /* the keys the auditor finds the report by: the parties asked about */
        uint64_t count;
        if (!parse_u64(line + 8, &count) || count > MAX_PARTIES)
            return BAD(N_("expected 'parties <count>' (at most 100)"));
        if (!(r->parties = calloc(count ? count : 1, sizeof *r->parties)))
            return pl_err_oom(e);
        r->has_parties = true;
        for (; r->n_parties < count; r->n_parties++) {
            n++;
            if (!(line = next_line(&p)) || !pl_api_line_ok(line, 4 * MAX_PARTY, false))
                return BAD(N_("expected the key of a party asked about"));
            r->parties[r->n_parties] = line;
        }
        n++;
        line = next_line(&p);
        /* the registrations the question named */
        if (!line || strncmp(line, "asked ", 6) != 0 || !parse_u64(line + 6, &count) ||
            count > MAX_PARTIES)
            return BAD(N_("expected 'asked <count>' (at most 100)"));
        if (!(r->asked = calloc(count ? count : 1, sizeof *r->asked)))
            return pl_err_oom(e);
        for (; r->n_asked < count; r->n_asked++) {
            n++;
            if (!(line = next_line(&p)) || !pl_api_line_ok(line, PL_API_NUMBER_MAX, false))
                return BAD(N_("expected a registration number asked about"));
            r->asked[r->n_asked] = line;
        }
        n++;
        line = next_line(&p);
    }
    if (!line || strncmp(line, "log ", 4) != 0 ||
        !(sp = strchr(line + 4, ' ')))
        return BAD(N_("expected 'log <size> <base64 root>'"));
    *sp = '\0';
    if (!parse_u64(line + 4, &r->log_size) ||
        !pl_unbase64(sp + 1, strlen(sp + 1), r->root.h, sizeof r->root.h, &rl) ||
        rl != sizeof r->root.h)
        return BAD(N_("expected 'log <size> <base64 root>' with a 32-byte root"));
    n++;
    uint64_t count;
    if (!(line = next_line(&p)) || strncmp(line, "results ", 8) != 0 ||
        !parse_u64(line + 8, &count) || count > MAX_NUMBERS)
        return BAD(N_("expected 'results <count>' (at most 10000)"));
    if (!(r->results = calloc(count ? count : 1, sizeof *r->results)))
        return pl_err_oom(e);
    for (; r->n_results < count; r->n_results++) {
        n++;
        if (!(line = next_line(&p)) || !pl_api_line_ok(line, MAX_NUMBER, true))
            return BAD(N_("expected a registration number"));
        r->results[r->n_results] = line;
    }
    if (*p) {
        n++;
        return BAD(N_("more lines than the results counted"));
    }
#undef BAD
    return 0;
}

/* Keep the names of the @o's verified keys as @r's signers. */
static int take_signers(pl_err *e, pledger_report *r, const pl_note_opened *o)
{
    if (!(r->signers = calloc(o->n_verified ? o->n_verified : 1, sizeof *r->signers)))
        return pl_err_oom(e);
    for (size_t i = 0; i < o->n_verified; i++) {
        if (!(r->signers[i] = strdup(pl_note_key_name(o->verified[i]))))
            return pl_err_oom(e);
        r->n_signers++;
    }
    return 0;
}

/* A report with its proof (the form reports take since the reports' log):
 * the text, an empty line, a C2SP tlog-proof of it as leaf number - 1 of
 * the reports' log, to a checkpoint of that log a trusted key signed. */
static int open_proved(pl_err *e, pledger_report *r, const char *note, size_t body_len,
                       size_t len, const pledger_keyring *trusted)
{
    pl_tlog_proof tp;
    pl_note_opened o;
    char *origin = NULL;
    uint64_t size = 0;
    pl_mhash root, leaf;
    int rc, first_line = 2;

    for (size_t i = 0; i < body_len; i++)
        first_line += note[i] == '\n';
    if (!(r->text = strndup(note, body_len)))
        return pl_err_oom(e);
    if (pl_merkle_leaf(&leaf, note, body_len))
        return pl_err_oom(e);
    if ((rc = parse_report(e, r)) ||
        (rc = pl_tlog_proof_read(e, note + body_len + 1, len - body_len - 1, first_line, &tp)))
        return rc;
    if ((rc = pl_keyring_open_note((void *)trusted, e, tp.checkpoint, tp.checkpoint_len, &o)))
        return rc;
    rc = take_signers(e, r, &o);
    if (!rc)
        rc = pl_checkpoint_parse(e, o.text, &origin, &size, &root);
    pl_note_opened_clear(&o);
    if (rc)
        return rc;
    size_t ol = strlen(r->origin);
    if (strncmp(origin, r->origin, ol) != 0 || strcmp(origin + ol, PL_REPORT_LOG_SUFFIX) != 0)
        rc = pl_err_set(e, PLEDGER_ECODE, "the checkpoint is of log '%s', not of the reports "
                        "of '%s' ('%s%s')", origin, r->origin, r->origin, PL_REPORT_LOG_SUFFIX);
    else if (tp.index != r->number - 1)
        rc = pl_err_set(e, PLEDGER_ECODE, "the proof is of entry %" PRIu64 ", report %" PRIu64
                        " is entry %" PRIu64, tp.index, r->number, r->number - 1);
    else if (!pl_merkle_verify_inclusion(tp.index, size, &leaf, tp.proof, tp.n, &root))
        rc = pl_err_set(e, PLEDGER_ECODE, "report %" PRIu64 " is not in the reports' log the "
                        "checkpoint signs (%" PRIu64 " reports): its text or its proof was "
                        "changed", r->number, size);
    free(origin);
    return rc;
}

int pledger_report_open(pledger_report **out, const char *note, size_t len,
                        const pledger_keyring *trusted)
{
    static const char fn[] = "pledger_report_open";
    static const char signature[] = "\n\n\xe2\x80\x94 "; /* an em dash, a space */
    pl_err *e = pl_err_thread();
    pledger_report *r;
    int rc;

    if (!out || !note || !trusted)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: %s is NULL", fn,
                          !out ? "out" : !note ? "note" : "trusted");
    *out = NULL;
    if (len > PL_NOTE_MAX_LEN + MAX_NUMBERS * (MAX_NUMBER + 1))
        return pl_err_set(e, PLEDGER_EINVAL, "%s: not a search report (%zu bytes: longer "
                          "than a report can be)", fn, len);
    /* a NUL or another control character (a CR of CRLF lines, a TAB) is
     * in no report: named with its line, before any form is tried */
    int line = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)note[i];
        if (ch == '\n')
            line++;
        else if (ch == 0)
            return pl_err_set(e, PLEDGER_EINVAL, "%s: line %d: a NUL byte", fn, line);
        else if (ch < 0x20 || ch == 0x7f)
            return pl_err_set(e, PLEDGER_EINVAL, "%s: line %d: a control character (\\x%02x)"
                              " where a report has none (lines end in LF alone)", fn, line, ch);
    }
    if (!(r = calloc(1, sizeof *r)))
        return pl_err_oom(e);
    /* the report's text ends at its first empty line; a signature line
     * after it is the first form, anything else must be a proof */
    const char *blank = len >= 2 ? memmem(note, len, "\n\n", 2) : NULL;
    if (blank && !((size_t)(note + len - blank) >= sizeof signature - 1 &&
                   memcmp(blank, signature, sizeof signature - 1) == 0)) {
        rc = open_proved(e, r, note, (size_t)(blank - note) + 1, len, trusted);
    } else {
        /* a report of the first form, signed on its own */
        pl_note_opened o;
        if (!(rc = pl_note_open(e, note, len, (const pl_note_key *const *)trusted->keys,
                                trusted->n, &o))) {
            r->text = o.text;
            o.text = NULL;
            if (!(rc = take_signers(e, r, &o)))
                rc = parse_report(e, r);
            pl_note_opened_clear(&o);
        }
    }
    if (rc) {
        pledger_report_free(r);
        return pl_err_prefix(e, "%s", fn);
    }
    pl_err_clear(e);
    *out = r;
    return 0;
}

const char *pledger_report_origin(const pledger_report *r) { return r ? r->origin : NULL; }
uint64_t pledger_report_number(const pledger_report *r) { return r ? r->number : 0; }
int64_t pledger_report_issued_at(const pledger_report *r) { return r ? r->issued_at : 0; }
const char *pledger_report_actor(const pledger_report *r) { return r ? r->actor : NULL; }
pledger_role pledger_report_role(const pledger_report *r) { return r ? r->role : 0; }
pledger_report_kind pledger_report_kind_of(const pledger_report *r) { return r ? r->kind : 0; }
const char *pledger_report_query(const pledger_report *r) { return r ? r->query : NULL; }
uint64_t pledger_report_log_size(const pledger_report *r) { return r ? r->log_size : 0; }
const unsigned char *pledger_report_log_root(const pledger_report *r)
{
    return r ? r->root.h : NULL;
}
size_t pledger_report_result_count(const pledger_report *r) { return r ? r->n_results : 0; }
const char *pledger_report_result(const pledger_report *r, size_t i)
{
    return r && i < r->n_results ? r->results[i] : NULL;
}
size_t pledger_report_party_count(const pledger_report *r) { return r ? r->n_parties : 0; }
const char *pledger_report_party(const pledger_report *r, size_t i)
{
    return r && i < r->n_parties ? r->parties[i] : NULL;
}
size_t pledger_report_asked_count(const pledger_report *r) { return r ? r->n_asked : 0; }
const char *pledger_report_asked(const pledger_report *r, size_t i)
{
    return r && i < r->n_asked ? r->asked[i] : NULL;
}
size_t pledger_report_signer_count(const pledger_report *r) { return r ? r->n_signers : 0; }
const char *pledger_report_signer(const pledger_report *r, size_t i)
{
    return r && i < r->n_signers ? r->signers[i] : NULL;
}

void pledger_report_free(pledger_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_signers; i++)
        free(r->signers[i]);
    free(r->signers);
    free(r->results);
    free(r->parties);
    free(r->asked);
    free(r->text);
    free(r);
}

int pl_report_text_read(pl_err *e, const char *text, size_t len, pledger_report **out)
{
    pledger_report *r = calloc(1, sizeof *r);
    int rc;

    *out = NULL;
    if (!r)
        return pl_err_oom(e);
    if (memchr(text, '\0', len))
        rc = pl_err_set(e, PLEDGER_EINVAL, "a NUL byte in the report's text");
    else if (!(r->text = strndup(text, len)))
        rc = pl_err_oom(e);
    else
        rc = parse_report(e, r);
    if (rc) {
        pledger_report_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

bool pl_report_says_parties(const pledger_report *r)
{
    return r->has_parties;
}

int pledger_report_set_autoflush(pledger_registry *reg, int pages)
{
    static const char fn[] = "pledger_report_set_autoflush";
    int rc = pl_api_enter(reg, fn);

    if (rc)
        return rc;
    if (pages < 0 || pages > 1000000)
        return pl_api_bad_arg(reg, fn, "pages", "is not 0 (never) or 1 to 1,000,000");
    if ((rc = pl_api_writable(reg, fn)))
        return rc;
    if ((rc = pl_report_autoflush(reg->db, &reg->err, pages)))
        return pl_err_prefix(&reg->err, "%s", fn);
    return 0;
}

int pledger_report_flush(pledger_registry *reg, uint64_t *left_out)
{
    static const char fn[] = "pledger_report_flush";
    int rc = pl_api_enter(reg, fn);
    uint64_t left = 0;
    bool present;

    if (rc)
        return rc;
    if (left_out)
        *left_out = 0;
    if ((rc = pl_api_writable(reg, fn)))
        return rc;
    if (pl_db_in_tx(reg->db))
        return pl_err_set(&reg->err, PLEDGER_ESTATE, "%s: a batch or a held read is open on "
                          "this handle", fn);
    if ((rc = pl_report_attach(reg->db, &reg->err, false, &present)) ||
        (present && (rc = pl_report_flush(reg->db, &reg->err, &left))))
        return pl_err_prefix(&reg->err, "%s", fn);
    if (left_out)
        *left_out = left;
    return 0;
}

int pledger_report_set_autosync(pledger_registry *reg, int on)
{
    static const char fn[] = "pledger_report_set_autosync";
    int rc = pl_api_enter(reg, fn);

    if (rc)
        return rc;
    if (on != 0 && on != 1)
        return pl_api_bad_arg(reg, fn, "on", "is not 0 (the caller syncs) or 1 (each commit)");
    if ((rc = pl_api_writable(reg, fn)))
        return rc;
    if ((rc = pl_report_autosync(reg->db, &reg->err, on == 1)))
        return pl_err_prefix(&reg->err, "%s", fn);
    reg->reports_unsynced = on == 0;
    return 0;
}

/* Sync the reports committed so far (pl_report_sync), then mark them in
 * the registry -- unless @skip_mark: then the read of how many there are
 * is skipped too (a read after the reports' writer committed makes SQLite
 * map the file anew) and pledger_close() marks them. */
static int sync_and_mark(pledger_registry *reg, bool skip_mark)
{
    uint64_t next = 0;
    bool mark = !skip_mark && !pl_db_read_only(reg->db) &&
                !pl_db_read_begin(reg->db, &reg->err);
    if (mark) {
        mark = !pl_report_next(reg->db, &reg->err, &next, NULL) && next > 1;
        pl_db_rollback(reg->db);
    }
    int rc = pl_report_sync(reg->db, &reg->err);
    if (rc)
        return rc;
    if (mark) {
        mark_reports(reg, next - 1, true);
        reg->reports_sync_unmarked = reg->reports_marked < next - 1;
    } else if (skip_mark) {
        reg->reports_sync_unmarked = true;
    }
    return 0;
}

int pledger_report_sync(pledger_registry *reg)
{
    static const char fn[] = "pledger_report_sync";
    int rc = pl_api_enter(reg, fn);
    bool present;

    if (rc)
        return rc;
    if (pl_db_in_tx(reg->db))
        return pl_err_set(&reg->err, PLEDGER_ESTATE, "%s: a batch or a held read is open on "
                          "this handle", fn);
    if ((rc = pl_report_attach(reg->db, &reg->err, false, &present)))
        return pl_err_prefix(&reg->err, "%s", fn);
    if (!present)
        return 0;
    /* what is committed now is synced below: the registry may mark it,
     * when a mark is due (the read is skipped otherwise: a read after the
     * reports' writer committed makes SQLite map the file anew) */
    if ((rc = sync_and_mark(reg, !mark_due(reg))))
        return pl_err_prefix(&reg->err, "%s", fn);
    pl_err_clear(&reg->err);
    return 0;
}

void pl_api_reports_mark_at_close(pledger_registry *reg)
{
    if (pl_db_read_only(reg->db) || pl_db_in_tx(reg->db))
        return;
    if (reg->reports_sync_unmarked)
        sync_and_mark(reg, false);
    else if (reg->reports_unmarked > reg->reports_marked)
        mark_reports(reg, reg->reports_unmarked, true);
}

