#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pledger/application.h>
#include <pledger/query.h>
#include <pledger/version.h>

#include "api/handle.h"
#include "query/query.h"
#include "workflow/exchange-flow.h"
#include "base/date.h"
#include "base/i18n.h"
#include "base/text.h"
#include "workflow/flow.h"
#include "workflow/numbers.h"
#include "store/journal.h"
#include "store/report.h"
#include "model/kinds.h"


const char *pledger_version(void) { return PLEDGER_VERSION_STRING; }

pl_err *pl_api_err(pledger_registry *reg)
{
    return reg ? &reg->err : pl_err_thread();
}

int pl_api_enter(pledger_registry *reg, const char *fn)
{
    if (!reg)
        return pl_err_set(pl_err_thread(), PLEDGER_EINVAL,
                          "%s: the registry handle is NULL", fn);
    pl_err_clear(&reg->err);
    if (reg->report_group)
        return pl_err_set(&reg->err, PLEDGER_ESTATE, "%s: a group of search reports is open on "
                          "this handle: close it first (pledger_report_group_close)", fn);
    return 0;
}

int pl_api_bad_arg(pledger_registry *reg, const char *fn, const char *param,
                   const char *why)
{
    pl_err *e = pl_api_err(reg);
    const char *twhy = pl_tr(why);

    pl_err_set(e, PLEDGER_EINVAL, "%s: %s %s", fn, param, why);
    /* @why is a phrase of its own in the catalogue (xgettext keyword
     * pl_api_bad_arg:4): the person reads it translated. */
    if (twhy != why) {
        snprintf(e->local, sizeof e->local, "%s: %s %s", fn, param, twhy);
        e->has_local = true;
    }
    return PLEDGER_EINVAL;
}

int64_t pl_api_now(const pledger_registry *reg)
{
    return pl_db_clock(reg ? reg->db : NULL);
}

int64_t pledger_now(const pledger_registry *reg) { return pl_api_now(reg); }

void pl_api_ctx(pledger_registry *reg, pl_ctx *out)
{
    /* every other member zero: no bulk filing, no review memory */
    *out = (pl_ctx){ .db = reg->db, .e = &reg->err, .actor = reg->actor, .role = reg->role,
                     .office = reg->office, .utc_offset = reg->utc_offset, .site = reg->site };
}

int pl_api_check_control(pledger_registry *reg, const char *fn, const char *param,
                         const char *s, int how)
{
    uint32_t cp;
    size_t at;

    if (!s || !pl_text_control(s, (pl_text_lines)how, &cp, &at))
        return 0;
    return pl_err_set(pl_api_err(reg), PLEDGER_EINVAL,
                      "%s: %s holds U+%04X at character %zu: a control character (or one that "
                      "turns text around), which no text given to the registry may carry",
                      fn, param, (unsigned)cp, at);
}

int pl_api_check_str(pledger_registry *reg, const char *fn, const char *param, const char *s,
                     size_t max_len, int flags)
{
    bool required = flags & PL_API_REQUIRED;
    size_t n;

    if (!s)
        return required ? pl_api_bad_arg(reg, fn, param, "is NULL") : 0;
    n = strnlen(s, max_len + 1);
    if (required && n == 0)
        return pl_api_bad_arg(reg, fn, param, "is empty");
    if (n > max_len)   /* a format of its own: the catalogue translates it */
        return pl_err_set(pl_api_err(reg), PLEDGER_EINVAL, "%s: %s is longer than %zu bytes",
                          fn, param, max_len);
    if (!pl_utf8_valid(s, n))
        return pl_api_bad_arg(reg, fn, param, "is not valid UTF-8");
    /* white space alone says no more than nothing: a ground, a note, a
     * name of "   " is as empty as "" */
    if (required) {
        size_t i = 0;
        uint32_t cp;
        for (size_t k; i < n && (k = pl_utf8_decode(s + i, n - i, &cp)) && pl_text_is_space(cp);)
            i += k;
        if (i == n)
            return pl_api_bad_arg(reg, fn, param, "is empty (white space only)");
    }
    return pl_api_check_control(reg, fn, param, s,
                                (flags & PL_API_LINES)     ? PL_TEXT_LINES
                                : (flags & PL_API_TRIMMED) ? PL_TEXT_TRIMMED
                                                           : PL_TEXT_LINE);
}

int pl_api_as_of(pledger_registry *reg, const char *fn, const char *param, int64_t as_of)
{
    int64_t now;
    char at[32], now_text[32];

    if (as_of == PLEDGER_AS_OF_CURRENT || as_of <= (now = pl_api_now(reg)))
        return 0;
    pl_instant_format(as_of, at);
    pl_instant_format(now, now_text);
    return pl_err_set(pl_api_err(reg), PLEDGER_EINVAL,
                      "%s: %s %s is later than the registry's now (%s): the registry answers "
                      "only for instants that have passed", fn, param, at, now_text);
}

int pl_api_number(pledger_registry *reg, const char *fn, const char *param, const char *in,
                  char out[PL_API_NUMBER_MAX + 1])
{
    int rc = pl_api_check_str(reg, fn, param, in, PL_API_NUMBER_MAX,
                              PL_API_REQUIRED | PL_API_TRIMMED);

    if (rc)
        return rc;
    if ((rc = pl_q_number_kept(reg->db, &reg->err, in, out, PL_API_NUMBER_MAX + 1)))
        return pl_err_prefix(&reg->err, "%s: %s", fn, param);
    return 0;
}

int pl_api_uuid(pledger_registry *reg, const char *fn, const char *param, const char *in,
                char out[PL_API_UUID_LEN + 1])
{
    int rc = pl_api_check_str(reg, fn, param, in, 256, PL_API_REQUIRED | PL_API_TRIMMED);
    size_t n = 0;

    if (rc)
        return rc;
    const unsigned char *p = (const unsigned char *)in, *end = p + strlen(in);
    /* white space around it dropped; full-width forms (U+FF01..U+FF5E,
     * an input method left on) and upper-case letters read as the
     * registry writes them; anything else kept, for the message to show */
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    while (end > p &&
           (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
        end--;
    while (p < end) {
        unsigned ch = *p++;
        if (ch == 0xef && end - p >= 2 && ((p[0] == 0xbc && p[1] >= 0x81) ||
                                           (p[0] == 0xbd && p[1] <= 0x9e))) {
            ch = (0xf000u | (p[0] & 0x3fu) << 6 | (p[1] & 0x3fu)) - 0xfee0u;   /* U+FF01 is '!' */
            p += 2;
        }
        if (n == PL_API_UUID_LEN)
            return pl_api_bad_arg(reg, fn, param, "is longer than 36 characters");
        out[n++] = (char)ch;
    }
    if (n == 0)
        return pl_api_bad_arg(reg, fn, param, "is only white space");
    out[n] = '\0';
    /* a UUID in upper case is the same UUID (RFC 9562); anything else is
     * left as typed, for the message that it is not found to show */
    bool uuid = n == PL_API_UUID_LEN;
    for (size_t i = 0; uuid && i < n; i++)
        uuid = (i == 8 || i == 13 || i == 18 || i == 23) ? out[i] == '-'
                                                          : isxdigit((unsigned char)out[i]);
    for (size_t i = 0; uuid && i < n; i++)
        out[i] = (char)tolower((unsigned char)out[i]);
    return 0;
}

bool pl_api_office_code_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 16)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

/* A registry made before the journal's Merkle tree gets its history's
 * tree when it is first opened for writing (one transaction; a crash
 * leaves it to the next opening). */
static int tree_catch_up(pl_db *db, pl_err *e)
{
    uint64_t size;
    int64_t seq;
    unsigned char hash[PL_HASH_LEN];
    int rc;

    if ((rc = pl_journal_tree_size(db, e, &size)) || (rc = pl_journal_head(db, e, &seq, hash)))
        return rc;
    if ((uint64_t)seq == size)
        return 0;
    if ((rc = pl_db_write_begin(db, e)))
        return rc;
    if ((rc = pl_journal_tree_sync(db, e))) {
        pl_db_rollback(db);
        return rc;
    }
    return pl_db_commit(db, e);
}

int pledger_open(pledger_registry **out, const char *path,
                 const pledger_open_options *opts)
{
    static const pledger_open_options defaults = PLEDGER_OPEN_OPTIONS_INIT;
    pl_err *e = pl_err_thread();
    pledger_registry *reg;
    pl_db_options o;
    char *office = NULL;
    int rc;

    pl_err_clear(e);
    if (!out)
        return pl_err_set(e, PLEDGER_EINVAL, "pledger_open: out is NULL");
    *out = NULL;
    if (!path || !*path)
        return pl_err_set(e, PLEDGER_EINVAL, "pledger_open: path is NULL or empty");
    if (!opts)
        opts = &defaults;
    if (opts->version < 1 || opts->version > PLEDGER_OPEN_OPTIONS_VERSION)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "pledger_open: opts->version is %u; this library knows 1 to %d "
                          "(initialise with PLEDGER_OPEN_OPTIONS_INIT)",
                          opts->version, PLEDGER_OPEN_OPTIONS_VERSION);
    if (opts->busy_timeout_ms < 0)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "pledger_open: opts->busy_timeout_ms is negative (%d)",
                          opts->busy_timeout_ms);
    if (opts->office_code && !pl_api_office_code_valid(opts->office_code))
        return pl_err_set(e, PLEDGER_EINVAL,
                          "pledger_open: opts->office_code '%.40s' must be 1 to 16 "
                          "characters of A-Z, 0-9 and '-'",
                          opts->office_code);
    if (!(reg = calloc(1, sizeof *reg)))
        return pl_err_oom(e);
    o.read_only = opts->read_only != 0;
    o.create = opts->create != 0;
    o.busy_timeout_ms = opts->busy_timeout_ms;
    o.default_office = opts->office_code;
    if ((rc = pl_db_open(&reg->db, e, path, &o)))
        goto fail;
    if (!o.read_only && (rc = tree_catch_up(reg->db, e)))
        goto fail;
    if (opts->office_code) {
        snprintf(reg->office, sizeof reg->office, "%s", opts->office_code);
    } else {
        if ((rc = pl_db_meta_get(reg->db, e, "default_office", &office)))
            goto fail;
        snprintf(reg->office, sizeof reg->office, "%s", office);
        free(office);
    }
    reg->utc_offset = 480;
    if (pl_db_meta_get(reg->db, e, "utc_offset_minutes", &office) == 0) {
        reg->utc_offset = atoi(office);
        free(office);
    }
    pl_db_set_utc_offset(reg->db, reg->utc_offset);
    if (!o.read_only && (rc = pl_wf_rights_rekey(reg->db, e, reg->utc_offset)))
        goto fail;
    pl_wf_site_get(reg->db, e, &reg->site, reg->upstream);
    snprintf(reg->time_zone, sizeof reg->time_zone, "%s", PL_DEFAULT_TIME_ZONE);
    if (pl_db_meta_get(reg->db, e, "time_zone", &office) == 0) {
        snprintf(reg->time_zone, sizeof reg->time_zone, "%s", office);
        free(office);
    }
    pl_err_clear(e);
    *out = reg;
    return 0;
fail:
    pl_db_close(reg->db);
    free(reg);
    return rc;
}

void pledger_close(pledger_registry *reg)
{
    if (!reg)
        return;
    pl_api_report_group_abandon(reg);
    pl_api_reports_mark_at_close(reg);
    pl_db_close(reg->db);
    free(reg->actor);
    free(reg);
}

const char *pledger_role_name(pledger_role role) { return pl_role_name((int)role); }

int pledger_role_from_name(const char *name) { return pl_role_from_name(name); }

int pledger_set_actor(pledger_registry *reg, const char *name, pledger_role role)
{
    static const char fn[] = "pledger_set_actor";
    int rc = pl_api_enter(reg, fn);
    size_t n;
    char *copy;

    if (rc)
        return rc;
    if (!name)
        return pl_api_bad_arg(reg, fn, "name", "is NULL");
    n = strlen(name);
    if (n == 0 || n > PL_API_ACTOR_MAX)
        return pl_api_bad_arg(reg, fn, "name", "must be 1 to 128 bytes long");
    if (!pl_utf8_valid(name, n))
        return pl_api_bad_arg(reg, fn, "name", "is not valid UTF-8");
    if ((rc = pl_api_check_control(reg, fn, "name", name, PL_TEXT_LINE)))
        return rc;
    /* white space alone names nobody: the journal would record a blank actor */
    bool blank = true;
    for (size_t i = 0; i < n && blank;) {
        uint32_t cp = 0;
        size_t k = pl_utf8_decode(name + i, n - i, &cp);
        blank = k > 0 && pl_text_is_space(cp);
        i += k ? k : 1;
    }
    if (blank)
        return pl_api_bad_arg(reg, fn, "name", "is white space only: it names nobody");
    if (!pledger_role_name(role))
        return pl_err_set(&reg->err, PLEDGER_EINVAL, "%s: role %d is not a pledger_role",
                          fn, (int)role);
    if (!(copy = strdup(name)))
        return pl_err_oom(&reg->err);
    free(reg->actor);
    reg->actor = copy;
    reg->role = role;
    return 0;
}

const char *pledger_actor(const pledger_registry *reg)
{
    return reg ? reg->actor : NULL;
}

int pl_api_writable(pledger_registry *reg, const char *fn)
{
    if (pl_db_read_only(reg->db))
        return pl_err_set(&reg->err, PLEDGER_EREADONLY,
                          "%s: registry '%s' was opened read-only", fn, pl_db_path(reg->db));
    return 0;
}

int pl_api_check_key(pledger_registry *reg, const char *fn, const char *key)
{
    size_t len = strlen(key);
    if (len == 0 || len > PLEDGER_FILING_KEY_MAX)
        return pl_err_set(&reg->err, PLEDGER_EINVAL, "%s: key: %zu characters; a key has 1 "
                          "to %d", fn, len, PLEDGER_FILING_KEY_MAX);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)key[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '_' || ch == ':' || ch == '-'))
            return pl_err_set(&reg->err, PLEDGER_EINVAL, "%s: key: character %zu (byte 0x%02x) "
                              "is not one of A-Z a-z 0-9 . _ : -", fn, i + 1, ch);
    }
    return 0;
}

bool pl_api_line_ok(const char *s, size_t max, bool no_space)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max || !pl_utf8_valid(s, n))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f || (no_space && ch == ' '))
            return false;
        /* a C1 control (U+0080 to U+009F): a line break to some readers
         * (NEL), a terminal's command (CSI) */
        if (ch == 0xc2 && (unsigned char)s[i + 1] <= 0x9f)
            return false;
        /* what breaks a line or turns text around on screen: U+2028 and
         * U+2029 (line and paragraph separators), the bidirectional marks,
         * embeddings, overrides and isolates (U+200E, U+200F, U+202A to
         * U+202E, U+2066 to U+2069, U+061C): a signed line that shows
         * other than it says */
        unsigned char c1 = (unsigned char)s[i + 1], c2 = c1 ? (unsigned char)s[i + 2] : 0;
        bool sep_or_bidi = (ch == 0xe2 && c1 == 0x80 &&
                            ((c2 >= 0xa8 && c2 <= 0xae) || c2 == 0x8e || c2 == 0x8f)) ||
                           (ch == 0xe2 && c1 == 0x81 && c2 >= 0xa6 && c2 <= 0xa9) ||
                           (ch == 0xd8 && c1 == 0x9c);
        if (sep_or_bidi)
            return false;
    }
    return true;
}

int pl_api_read(pledger_registry *reg, const char *fn, int read, int *sight_out)
{
    pl_sight sight;
    int rc = pl_read_check(&reg->err, (pl_read)read, reg->actor ? reg->role : 0, reg->actor,
                           fn, &sight);
    *sight_out = (int)sight;
    return rc;
}

const char *pledger_errmsg(const pledger_registry *reg)
{
    return pl_err_text(reg ? &reg->err : pl_err_thread());
}

int pledger_errcode(const pledger_registry *reg)
{
    return reg ? reg->err.code : pl_err_thread()->code;
}

int pledger_set_clock(pledger_registry *reg, pledger_clock_fn clock, void *payload)
{
    int rc = pl_api_enter(reg, "pledger_set_clock");
    if (rc)
        return rc;
    pl_db_set_clock(reg->db, clock, payload);
    return 0;
}

const char *pledger_office_code(const pledger_registry *reg)
{
    return reg ? reg->office : NULL;
}

const char *pledger_time_zone(const pledger_registry *reg)
{
    if (!reg)
        return NULL;
    /* the setting as stored now, not as it was when this handle opened:
     * another handle or process may have set it since (a long-running
     * service's handles showed the old zone until restarted); on a
     * failure to read, the zone known last.  The handle's own error is
     * left as it is. */
    pledger_registry *r = (pledger_registry *)reg;
    pl_err e;
    char *tz = NULL;
    if (r->db && pl_db_meta_get(r->db, &e, "time_zone", &tz) == 0 && tz && *tz &&
        strlen(tz) < sizeof r->time_zone)
        snprintf(r->time_zone, sizeof r->time_zone, "%s", tz);
    free(tz);
    return r->time_zone;
}

int pledger_set_time_zone(pledger_registry *reg, const char *tz)
{
    static const char fn[] = "pledger_set_time_zone";
    pl_ctx c;
    int rc = pl_api_enter(reg, fn);

    if (rc || (rc = pl_api_check_str(reg, fn, "tz", tz, 64, 1)))
        return rc;
    if ((rc = pl_api_writable(reg, fn)))
        return rc;
    if ((rc = pl_time_zone_check(&reg->err, tz)))
        return pl_err_prefix(&reg->err, "%s: tz", fn);
    pl_api_ctx(reg, &c);
    if ((rc = pl_wf_setting_set(&c, "time_zone", tz)))
        return pl_err_prefix(&reg->err, "%s", fn);
    snprintf(reg->time_zone, sizeof reg->time_zone, "%s", tz);
    return 0;
}

int pledger_set_number_template(pledger_registry *reg, const char *tmpl)
{
    static const char fn[] = "pledger_set_number_template";
    pl_ctx c;
    int rc = pl_api_enter(reg, fn);

    if (rc || (rc = pl_api_check_str(reg, fn, "tmpl", tmpl, 256, 1)))
        return rc;
    pl_api_ctx(reg, &c);
    if ((rc = pl_number_template_set(&c, tmpl)))
        return pl_err_prefix(&reg->err, "%s", fn);
    return 0;
}

int pledger_read_begin(pledger_registry *reg)
{
    static const char fn[] = "pledger_read_begin";
    int rc = pl_api_enter(reg, fn);
    bool present;

    if (rc)
        return rc;
    /* the search reports' companion joins the snapshot only when it is
     * attached before the read begins */
    if ((rc = pl_report_attach(reg->db, &reg->err, false, &present)) ||
        (rc = pl_db_hold_read(reg->db, &reg->err)))
        return pl_err_prefix(&reg->err, "%s", fn);
    return 0;
}

int pledger_read_end(pledger_registry *reg)
{
    static const char fn[] = "pledger_read_end";
    int rc = pl_api_enter(reg, fn);

    if (rc)
        return rc;
    if ((rc = pl_db_release_read(reg->db, &reg->err)))
        return pl_err_prefix(&reg->err, "%s", fn);
    return 0;
}
