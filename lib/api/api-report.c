/* Search reports (include/pledger/report.h): the answers given to banks,
 * numbered, signed as notes and kept; the auditor's list of them. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
#include "store/report.h"
#include "workflow/flow.h"

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

/* ---- the registry's mark of the reports ---------------------------------------------- */

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

/* Whether this handle's next mark is due (MARK_EVERY_US since its last). */
static bool mark_due(const pledger_registry *reg)
{
    return !reg->reports_marked_mono ||
           monotonic_us() - reg->reports_marked_mono >= MARK_EVERY_US;
}

/* A registry whose lock another holds (a bulk filing) or that cannot be
 * written now is marked at a later call. */
void pl_api_reports_mark(pledger_registry *reg, uint64_t size, bool now_or_never)
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
    if (filter->party && !pl_api_line_ok(filter->party, PL_REPORT_MAX_PARTY, false))
        return pl_api_bad_arg(reg, fn, "filter.party",
                              "must be 1 to 512 bytes of UTF-8 without control characters");
    if (filter->actor && !pl_api_line_ok(filter->actor, PL_REPORT_MAX_ACTOR, false))
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
        !pl_api_line_ok(line + 6, PL_REPORT_MAX_QUERY, false))
        return BAD(N_("expected 'query <question>'"));
    r->query = line + 6;
    n++;
    size_t rl = 0;
    line = next_line(&p);
    if (line && strncmp(line, "parties ", 8) == 0) {
        /* the keys the auditor finds the report by: the parties asked about */
        uint64_t count;
        if (!parse_u64(line + 8, &count) || count > PL_REPORT_MAX_PARTIES)
            return BAD(N_("expected 'parties <count>' (at most 100)"));
        if (!(r->parties = calloc(count ? count : 1, sizeof *r->parties)))
            return pl_err_oom(e);
        r->has_parties = true;
        for (; r->n_parties < count; r->n_parties++) {
            n++;
            if (!(line = next_line(&p)) || !pl_api_line_ok(line, 4 * PL_REPORT_MAX_PARTY, false))
                return BAD(N_("expected the key of a party asked about"));
            r->parties[r->n_parties] = line;
        }
        n++;
        line = next_line(&p);
        /* the registrations the question named */
        if (!line || strncmp(line, "asked ", 6) != 0 || !parse_u64(line + 6, &count) ||
            count > PL_REPORT_MAX_PARTIES)
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
        !parse_u64(line + 8, &count) || count > PL_REPORT_MAX_NUMBERS)
        return BAD(N_("expected 'results <count>' (at most 10000)"));
    if (!(r->results = calloc(count ? count : 1, sizeof *r->results)))
        return pl_err_oom(e);
    for (; r->n_results < count; r->n_results++) {
        n++;
        if (!(line = next_line(&p)) || !pl_api_line_ok(line, PL_REPORT_MAX_NUMBER, true))
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
    if (len > PL_NOTE_MAX_LEN + PL_REPORT_MAX_NUMBERS * (PL_REPORT_MAX_NUMBER + 1))
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
        pl_api_reports_mark(reg, next - 1, true);
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
        pl_api_reports_mark(reg, reg->reports_unmarked, true);
}

