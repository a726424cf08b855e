/* Search: one page of pledges in registration order (registration instant,
 * then id), read from the versions valid at an instant.
 *
 * The criterion that narrows the search most picks the backend's plan
 * (store/ops-query.h): a right, a party identifier (for "either party"
 * the pledgor and pledgee walks are merged), a party name, a kind, or
 * none.  The backend checks every other criterion on the rows the plan
 * yields, except the party name: each row's names are matched again here
 * (name_match(), and the version's English-name flags) and the rows that
 * do not match at the version valid at the instant are skipped.  A page
 * asks for page_size + 1 rows: the extra one says whether more follow. */
#include "query/query.h"
#include "store/ops-query.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/ident.h"
#include "base/text.h"
#include "query/mask.h"

/* The similar-name key of a hit may end in the one searched for after 2
 * or 3 more characters (a place not in the key's list of places:
 * "晋江闽江食品" for "闽江食品"), or the other way round, when the
 * shorter key has at least this many characters. */
#define SUFFIX_MIN 4

/* ---- hits ------------------------------------------------------------------- */

static void hit_clear(pl_q_hit *h)
{
    free(h->number);
    free(h->pledgor_name);
    free(h->pledgor_id);
    free(h->pledgee_name);
    free(h->pledgee_id);
    free(h->currency);
    pl_pver_clear(&h->full);
    memset(h, 0, sizeof *h);
}

void pl_q_page_clear(pl_q_page *p)
{
    for (size_t i = 0; i < p->n; i++)
        hit_clear(&p->hits[i]);
    free(p->hits);
    memset(p, 0, sizeof *p);
}

static char *dup_or_empty(const char *t) { return strdup(t ? t : ""); }

/* Exact when the folded name equals the folded query. */
static bool folded_equal(const char *name, const char *folded_query)
{
    char *f = pl_text_fold(name);
    bool eq = f && strcmp(f, folded_query) == 0;
    free(f);
    return eq;
}

static size_t utf8_chars(const char *s)
{
    size_t c = 0;
    for (; *s; s++)
        c += ((unsigned char)*s & 0xC0) != 0x80;
    return c;
}

/* True when @core ends in @q after 2 or 3 CJK characters (3 bytes each). */
static bool suffix_match(const char *core, const char *q)
{
    size_t n = strlen(core), k = strlen(q), extra;

    if (k > n || memcmp(core + n - k, q, k) != 0)
        return false;
    extra = n - k;
    if (extra != 6 && extra != 9)
        return false;
    for (size_t i = 0; i < extra; i += 3)
        if ((unsigned char)core[i] < 0xE3)
            return false;
    return true;
}

/* How party name @name (name key @key; @indexed its branch flag and
 * similar-name key from the name index, NULL when absent) matches the
 * search: PL_Q_NAME_*, NONE when it does not; -1 out of memory. */
static int name_match(const pl_q_search *s, const char *name, const char *key,
                      const char *indexed)
{
    char *computed = NULL;
    const char *core;
    bool branch = false;
    int m = PL_Q_NAME_NONE;

    if (!name || !key)
        return PL_Q_NAME_NONE;
    if (strcmp(key, s->name_key) == 0)
        return folded_equal(name, s->name_folded) ? PL_Q_NAME_EXACT : PL_Q_NAME_SIMILAR;
    if (!s->name_core)
        return PL_Q_NAME_NONE;
    if (indexed && (indexed[0] == '0' || indexed[0] == '1')) {
        branch = indexed[0] == '1';
        core = indexed + 1;
    } else if (!(core = computed = pl_text_name_core(name, &branch))) {
        return -1;
    }
    if (strcmp(core, s->name_core) == 0 ||
        (utf8_chars(s->name_core) >= SUFFIX_MIN && suffix_match(core, s->name_core)) ||
        (utf8_chars(core) >= SUFFIX_MIN && suffix_match(s->name_core, core)))
        m = branch && !s->name_branch ? PL_Q_NAME_BRANCH : PL_Q_NAME_SIMILAR;
    free(computed);
    return m;
}

/* The better of two matches: exact, similar, branch, none. */
static int better(int a, int b)
{
    static const int rank[] = { [PL_Q_NAME_NONE] = 0, [PL_Q_NAME_EXACT] = 3,
                                [PL_Q_NAME_SIMILAR] = 2, [PL_Q_NAME_BRANCH] = 1 };
    return rank[a] >= rank[b] ? a : b;
}

/* 0, or 1 when the row's names do not match the name searched for (no
 * hit); -1 out of memory. */
static int read_hit(const pl_search_row *r, const pl_q_search *s, pledger_role role,
                    pl_q_hit *h)
{
    memset(h, 0, sizeof *h);
    if (s->name_key) {
        /* the party the identifier names, when one is given */
        int a = PL_Q_NAME_NONE, b = PL_Q_NAME_NONE;
        if (s->side != PL_Q_SIDE_PLEDGEE &&
            (!s->party_id || (r->pledgor_id && strcmp(r->pledgor_id, s->party_id) == 0))) {
            if ((a = name_match(s, r->pledgor_name, r->pledgor_key, r->pledgor_core)) < 0)
                return -1;
            /* the party the register knows under the English name searched for */
            if (r->pledgor_en)
                a = better(a, PL_Q_NAME_SIMILAR);
        }
        if (s->side != PL_Q_SIDE_PLEDGOR &&
            (!s->party_id || (r->pledgee_id && strcmp(r->pledgee_id, s->party_id) == 0))) {
            if ((b = name_match(s, r->pledgee_name, r->pledgee_key, r->pledgee_core)) < 0)
                return -1;
            if (r->pledgee_en)
                b = better(b, PL_Q_NAME_SIMILAR);
        }
        if ((h->name_match = better(a, b)) == PL_Q_NAME_NONE)
            return 1;
    }
    h->pledge_id = r->pledge_id;
    h->registered_at = r->registered_at;
    h->kind = r->kind;
    h->state = r->state;
    h->version = r->version;
    h->amount = r->amount;
    pl_date_format(r->period_start, h->start);
    pl_date_format(r->period_end, h->end);
    h->number = dup_or_empty(r->number);
    h->pledgor_name = dup_or_empty(r->pledgor_name);
    h->pledgee_name = dup_or_empty(r->pledgee_name);
    h->currency = dup_or_empty(r->currency);
    h->pledgor_id = pl_mask_id(r->pledgor_id_type, r->pledgor_id, role);
    h->pledgee_id = pl_mask_id(r->pledgee_id_type, r->pledgee_id, role);
    if (!h->number || !h->pledgor_name || !h->pledgee_name || !h->currency || !h->pledgor_id ||
        !h->pledgee_id) {
        hit_clear(h);
        return -1;
    }
    return 0;
}

/* ---- running a plan ------------------------------------------------------------- */

/* Collects up to @limit hits in @out (room allocated by the caller). */
typedef struct collect {
    const pl_q_search *s;
    pledger_role role;
    pl_q_hit *out;
    size_t n, limit;
} collect;

static int take_row(void *arg, pl_err *e, const pl_search_row *row)
{
    collect *c = arg;
    int r = read_hit(row, c->s, c->role, &c->out[c->n]);

    if (r < 0)
        return pl_err_oom(e);
    if (r == 0)
        c->n++;
    return c->n < c->limit ? 0 : 1;
}

/* Run @plan over @spec, appending up to @limit hits to @out. */
static int run(pl_db *db, pl_err *e, pl_search_plan plan, const pl_search_spec *spec,
               const pl_q_search *s, int limit, pledger_role role, pl_q_hit *out, size_t *n)
{
    pl_search_spec sp = *spec;
    collect c = { s, role, out, 0, (size_t)limit };
    int rc;

    /* a name is matched here, which may skip rows: no limit then */
    sp.limit = s->name_key ? -1 : limit;
    rc = PL_OPS(db, query)->search(db, e, plan, &sp, take_row, &c);
    *n = c.n;
    return rc;
}

static int hit_cmp(const pl_q_hit *a, const pl_q_hit *b)
{
    if (a->registered_at != b->registered_at)
        return a->registered_at < b->registered_at ? -1 : 1;
    return a->pledge_id < b->pledge_id ? -1 : a->pledge_id > b->pledge_id;
}

/* Merge the two sorted lists @a and @b (each holding hits owned by them)
 * into @out, dropping duplicates, at most @limit; what is not moved is
 * freed. */
static size_t merge(pl_q_hit *a, size_t na, pl_q_hit *b, size_t nb, pl_q_hit *out, size_t limit)
{
    size_t i = 0, j = 0, n = 0;

    while (n < limit && (i < na || j < nb)) {
        int c = i == na ? 1 : j == nb ? -1 : hit_cmp(&a[i], &b[j]);
        if (c == 0) {
            hit_clear(&b[j++]);
            c = -1;
        }
        out[n++] = c < 0 ? a[i++] : b[j++];
    }
    while (i < na)
        hit_clear(&a[i++]);
    while (j < nb)
        hit_clear(&b[j++]);
    return n;
}

static int search_run(pl_db *db, pl_err *e, const pl_q_search *s, pledger_role role,
                      pl_q_page *out)
{
    int limit = s->page_size + 1, rc;
    pl_q_hit *hits, *other = NULL;
    size_t n = 0, n2 = 0;
    int64_t t = s->as_of == PL_Q_CURRENT ? INT64_MAX : s->as_of;
    pl_search_spec b = {
        .at = s->as_of == PL_Q_CURRENT ? INT64_MIN : s->as_of,
        .upper = s->to_us < t ? s->to_us : t,
        .kind = s->kind,
        .state = s->state,
        .party_id = s->party_id,
        .side = s->side,
        .right_lo = s->right_lo,
        .right_hi = s->right_hi,
        .name_key = s->name_key,
        .name_core = s->name_core,
        .name_long = s->name_long,
        .name_shorter = { s->name_shorter[0], s->name_shorter[1] },
        .name_en = s->name_en,
    };

    memset(out, 0, sizeof *out);
    /* Resume after (after_at, after_id), but not before from_us:
     * (registered_at, id) > (from_us, INT64_MIN) is registered_at >= from_us. */
    if (s->after_at < s->from_us) {
        b.after_at = s->from_us;
        b.after_id = INT64_MIN;
    } else {
        b.after_at = s->after_at;
        b.after_id = s->after_id;
    }
    if (!(hits = calloc((size_t)limit, sizeof *hits)))
        return pl_err_oom(e);
    if ((rc = pl_db_read_begin(db, e))) {
        free(hits);
        return rc;
    }
    /* a receivable by its debtor ("<debtor>/" or "<debtor>/<contract>"):
     * by any of its debtors, not only the one its key names */
    char debtor[128];
    const char *slash = s->right_lo && s->kind == PLEDGER_KIND_RECEIVABLE &&
                                strncmp(s->right_lo, "desc:", 5) != 0
                            ? strchr(s->right_lo, '/') : NULL;
    if (slash && (size_t)(slash - s->right_lo) < sizeof debtor) {
        memcpy(debtor, s->right_lo, (size_t)(slash - s->right_lo));
        debtor[slash - s->right_lo] = '\0';
        b.debtor = debtor;
        b.contract = slash[1] ? slash + 1 : NULL;
        rc = run(db, e, PL_SEARCH_DEBTOR, &b, s, limit, role, hits, &n);
    } else if (s->right_lo) {
        rc = run(db, e, PL_SEARCH_RIGHT, &b, s, limit, role, hits, &n);
    } else if (s->party_id && s->side != PL_Q_SIDE_EITHER) {
        rc = run(db, e, s->side == PL_Q_SIDE_PLEDGOR ? PL_SEARCH_PLEDGOR : PL_SEARCH_PLEDGEE, &b,
                 s, limit, role, hits, &n);
    } else if (s->party_id) {
        pl_q_hit *first = calloc((size_t)limit, sizeof *first);
        other = calloc((size_t)limit, sizeof *other);
        size_t n1 = 0;
        if (!first || !other) {
            rc = pl_err_oom(e);
        } else if (!(rc = run(db, e, PL_SEARCH_PLEDGOR, &b, s, limit, role, first, &n1)) &&
                   !(rc = run(db, e, PL_SEARCH_PLEDGEE, &b, s, limit, role, other, &n2))) {
            n = merge(first, n1, other, n2, hits, (size_t)limit);
            n2 = 0;
        }
        for (size_t i = 0; i < n1 && rc; i++)
            hit_clear(&first[i]);
        free(first);
    } else if (s->name_key) {
        rc = run(db, e, PL_SEARCH_NAME, &b, s, limit, role, hits, &n);
    } else if (s->kind) {
        rc = run(db, e, PL_SEARCH_KIND, &b, s, limit, role, hits, &n);
    } else {
        rc = run(db, e, PL_SEARCH_ALL, &b, s, limit, role, hits, &n);
    }
    /* The page's versions whole, by number, in the same read transaction:
     * the very rows the search found, whatever another writer commits
     * before the caller reads them. */
    for (size_t i = 0; !rc && i < n && i < (size_t)s->page_size; i++)
        if (!(rc = pl_pver_load_version(db, e, hits[i].pledge_id, hits[i].version,
                                        &hits[i].full))) {
            pl_pver_lapse(&hits[i].full, pl_db_day_of(db, b.at));
            pl_mask_pver(&hits[i].full, role);
        }
    pl_db_rollback(db);
    if (other) {
        for (size_t i = 0; i < n2; i++)
            hit_clear(&other[i]);
        free(other);
    }
    out->hits = hits;
    out->n = n;
    if (rc) {
        pl_q_page_clear(out);
        return rc;
    }
    if (n > (size_t)s->page_size) {
        hit_clear(&hits[n - 1]);
        out->n = n - 1;
        out->more = true;
    }
    return 0;
}

/* True when folded @s has an ASCII letter (full-width ones are folded). */
static bool has_latin(const char *s)
{
    for (; *s; s++)
        if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
            return true;
    return false;
}

/* The similar-name key of the name searched for, and the keys it finds. */
int pl_q_search_run(pl_db *db, pl_err *e, const pl_q_search *s, pledger_role role,
                    pl_q_page *out)
{
    pl_q_search q = *s;
    char *core = NULL, *en = NULL;
    int rc;

    if (s->name_key) {
        if (!(core = pl_text_name_core(s->name_folded, &q.name_branch))) {
            memset(out, 0, sizeof *out);
            return pl_err_oom(e);
        }
        q.name_core = core;
        q.name_long = utf8_chars(core) >= SUFFIX_MIN;
        /* "晋江闽江食品" -> "闽江食品", "福清市闽江食品" -> "闽江食品" */
        for (size_t k = 2; k <= 3; k++) {
            const char *rest = core + 3 * k;
            if (strlen(core) >= 3 * k && suffix_match(core, rest) &&
                utf8_chars(rest) >= SUFFIX_MIN)
                q.name_shorter[k - 2] = rest;
        }
        /* an English name: the owners the register knows under it */
        if (has_latin(s->name_folded)) {
            if (!(en = pl_text_english_key(s->name_folded))) {
                free(core);
                memset(out, 0, sizeof *out);
                return pl_err_oom(e);
            }
            if (*en)
                q.name_en = en;
        }
    }
    rc = search_run(db, e, &q, role, out);
    free(core);
    free(en);
    return rc;
}

/* ---- criteria ------------------------------------------------------------------- */

int pl_q_party_id(pl_err *e, const char *in, char *out, size_t size)
{
    static const pledger_id_type long_types[] = { PLEDGER_ID_USCC, PLEDGER_ID_RESIDENT };
    static const pledger_id_type short_types[] = { PLEDGER_ID_PASSPORT,
                                                   PLEDGER_ID_FOREIGN_REG };
    char *n = pl_text_normalize_id(in);
    pl_err ignored;
    bool is18;

    if (!n)
        return pl_utf8_valid(in, strlen(in))
                   ? pl_err_oom(e)
                   : pl_err_set(e, PLEDGER_EINVAL, "the party identifier is not valid UTF-8");
    is18 = strlen(n) == 18;
    free(n);
    const pledger_id_type *types = is18 ? long_types : short_types;
    for (int i = 0; i < 2; i++)
        if (pl_ident_normalize(&ignored, types[i], in, INT32_MAX, out, size) == 0)
            return 0;
    if (is18)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "an 18-character party identifier must be a valid USCC or resident "
                          "identity number (check character and date of birth); this one is "
                          "neither");
    return pl_err_set(e, PLEDGER_EINVAL,
                      "the party identifier is not a USCC, resident identity, passport or "
                      "foreign registration number");
}

/* [key, key + "\x01"): exactly @key (keys hold no control characters). */
static int exact_range(pl_err *e, const char *key, char **lo, char **hi)
{
    size_t n = strlen(key);
    *lo = strdup(key);
    *hi = malloc(n + 2);
    if (!*lo || !*hi) {
        free(*lo);
        free(*hi);
        *lo = *hi = NULL;
        return pl_err_oom(e);
    }
    memcpy(*hi, key, n);
    (*hi)[n] = '\x01';
    (*hi)[n + 1] = '\0';
    return 0;
}

/* ["<prefix>/", "<prefix>0"): every key starting "<prefix>/". */
static int prefix_range(pl_err *e, const char *prefix, char **lo, char **hi)
{
    *hi = NULL;
    if (asprintf(lo, "%s/", prefix) < 0 || asprintf(hi, "%s0", prefix) < 0) {
        free(*hi);
        *lo = *hi = NULL;
        return pl_err_oom(e);
    }
    return 0;
}

#define ID_MAX 128

/* "<a>/<b>" or "<a>": the part before the first '/' in @a_out (malloc'd),
 * the rest (NULL when no '/') in @b_out. */
static int split(pl_err *e, const char *in, char **a_out, char **b_out)
{
    const char *slash = strchr(in, '/');
    *b_out = NULL;
    *a_out = slash ? strndup(in, (size_t)(slash - in)) : strdup(in);
    if (!*a_out || (slash && !(*b_out = strdup(slash + 1)))) {
        free(*a_out);
        *a_out = NULL;
        return pl_err_oom(e);
    }
    return 0;
}

static int right_composite(pl_err *e, int kind, const char *in, char **lo, char **hi)
{
    char first[ID_MAX], second[ID_MAX], *a = NULL, *b = NULL, *key = NULL;
    int rc;

    if ((rc = split(e, in, &a, &b)))
        return rc;
    if (kind == PLEDGER_KIND_EQUITY) {
        if ((rc = pl_ident_normalize(e, PLEDGER_ID_USCC, a, INT32_MAX, first, sizeof first))) {
            pl_err_prefix(e, "the company's USCC");
            goto done;
        }
        if (b && (rc = pl_q_party_id(e, b, second, sizeof second))) {
            pl_err_prefix(e, "the pledgor's identifier");
            goto done;
        }
    } else {
        if ((rc = pl_q_party_id(e, a, first, sizeof first))) {
            pl_err_prefix(e, "the debtor's identifier");
            goto done;
        }
        if (b) {
            char *c = pl_text_normalize_ref(b);
            if (!c) {
                rc = pl_err_oom(e);
                goto done;
            }
            if (!*c || strlen(c) >= sizeof second) {
                free(c);
                rc = pl_err_set(e, PLEDGER_EINVAL,
                                "the contract number after '/' is empty or too long");
                goto done;
            }
            strcpy(second, c);
            free(c);
        }
    }
    if (!b) {
        rc = prefix_range(e, first, lo, hi);
    } else if (asprintf(&key, "%s/%s", first, second) < 0) {
        key = NULL;
        rc = pl_err_oom(e);
    } else {
        rc = exact_range(e, key, lo, hi);
    }
done:
    free(a);
    free(b);
    free(key);
    return rc;
}

static int right_range(pl_err *e, int kind, const char *in, char **lo, char **hi);

/* "desc:" + 64 hex digits (any case): the key of a receivable that has no
 * debtor identifier and contract number. */
static int right_desc(pl_err *e, const char *in, char **lo, char **hi)
{
    char key[5 + 64 + 1] = "desc:";
    const char *hex = in + 5;

    if (strlen(hex) != 64)
        return pl_err_set(e, PLEDGER_EINVAL, "'desc:' must be followed by 64 hex digits");
    for (size_t i = 0; i < 64; i++) {
        char c = hex[i];
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return pl_err_set(e, PLEDGER_EINVAL, "'desc:' must be followed by 64 hex digits");
        key[5 + i] = c;
    }
    key[69] = '\0';
    return exact_range(e, key, lo, hi);
}

/* The right as typed, folded first (pl_text_fold: full-width forms
 * U+FF01..U+FF5E and the ideographic space made ASCII, white space
 * around it dropped), so that the '/' between its two parts and the
 * "desc:" prefix are found however they were typed. */
int pl_q_right_range(pl_err *e, int kind, const char *typed, char **lo, char **hi)
{
    *lo = *hi = NULL;
    if (!typed)
        return pl_err_set(e, PLEDGER_EINVAL, "the right is missing");
    char *in = pl_text_fold(typed);
    if (!in)
        return pl_utf8_valid(typed, strlen(typed))
                   ? pl_err_oom(e)
                   : pl_err_set(e, PLEDGER_EINVAL, "the right is not valid UTF-8");
    int rc = right_range(e, kind, in, lo, hi);
    free(in);
    return rc;
}

static int right_range(pl_err *e, int kind, const char *in, char **lo, char **hi)
{
    char norm[ID_MAX];
    pledger_id_type type;

    switch (kind) {
    case PLEDGER_KIND_TRADEMARK: type = PLEDGER_ID_TRADEMARK; break;
    case PLEDGER_KIND_PATENT: type = PLEDGER_ID_PATENT; break;
    case PLEDGER_KIND_EMISSION: type = PLEDGER_ID_PERMIT; break;
    case PLEDGER_KIND_SEA_AREA:
    case PLEDGER_KIND_LAND: type = PLEDGER_ID_CERTIFICATE; break;
    case PLEDGER_KIND_EQUITY: return right_composite(e, kind, in, lo, hi);
    case PLEDGER_KIND_RECEIVABLE:
        if (strncmp(in, "desc:", 5) == 0)
            return right_desc(e, in, lo, hi);
        return right_composite(e, kind, in, lo, hi);
    default:
        return pl_err_set(e, PLEDGER_EINVAL, "%d is not a right kind", kind);
    }
    if (pl_ident_normalize(e, type, in, INT32_MAX, norm, sizeof norm))
        return PLEDGER_EINVAL;
    return exact_range(e, norm, lo, hi);
}

/* ---- continuation tokens ------------------------------------------------------------- */

void pl_q_token_format(int64_t at, int64_t id, char out[PL_Q_TOKEN_MAX])
{
    snprintf(out, PL_Q_TOKEN_MAX, "1.%" PRId64 ".%" PRId64, at, id);
}

static bool parse_i64(const char *s, const char **end, int64_t *out)
{
    char *e;
    if (!((*s >= '0' && *s <= '9') || *s == '-'))
        return false;
    errno = 0;
    long long v = strtoll(s, &e, 10);
    if (errno || e == s || (e - s > 1 && (s[0] == '0' || (s[0] == '-' && s[1] == '0'))))
        return false;
    *out = (int64_t)v;
    *end = e;
    return true;
}

int pl_q_token_parse(pl_err *e, const char *token, int64_t *at, int64_t *id)
{
    const char *p = token;

    if (strncmp(p, "1.", 2) == 0 && parse_i64(p + 2, &p, at) && *p == '.' &&
        parse_i64(p + 1, &p, id) && *p == '\0' && *id >= 1)
        return 0;
    return pl_err_set(e, PLEDGER_EINVAL,
                      "is not a continuation token (one comes with each page of results, "
                      "to ask for the next)");
}
