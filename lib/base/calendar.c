#include "base/calendar.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"

typedef struct cal_entry {
    int32_t day;
    int kind;
} cal_entry;

struct pl_calendar {
    cal_entry *v;
    size_t n, cap;
};

#define MAX_RANGE 366

pl_calendar *pl_calendar_new(void) { return calloc(1, sizeof(pl_calendar)); }

void pl_calendar_free(pl_calendar *c)
{
    if (c) {
        free(c->v);
        free(c);
    }
}

pl_calendar *pl_calendar_copy(const pl_calendar *c)
{
    pl_calendar *k = pl_calendar_new();

    if (!k || !c || !c->n)
        return k;
    if (!(k->v = malloc(c->n * sizeof *k->v))) {
        free(k);
        return NULL;
    }
    memcpy(k->v, c->v, c->n * sizeof *k->v);
    k->n = k->cap = c->n;
    return k;
}

/* Index of the first entry on or after @day. */
static size_t lower_bound(const pl_calendar *c, int32_t day)
{
    size_t lo = 0, hi = c ? c->n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->v[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int pl_calendar_set(pl_calendar *c, pl_err *e, int32_t day, int kind)
{
    size_t i;

    if (!c)
        return pl_err_set(e, PLEDGER_EINVAL, "calendar: no calendar");
    if (kind != PL_DAY_HOLIDAY && kind != PL_DAY_WORKDAY)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "calendar: day kind %d is neither holiday (%d) nor workday (%d)", kind,
                          PL_DAY_HOLIDAY, PL_DAY_WORKDAY);
    i = lower_bound(c, day);
    if (i < c->n && c->v[i].day == day) {
        c->v[i].kind = kind;
        return 0;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        cal_entry *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return pl_err_oom(e);
        c->v = v;
        c->cap = cap;
    }
    memmove(c->v + i + 1, c->v + i, (c->n - i) * sizeof *c->v);
    c->v[i].day = day;
    c->v[i].kind = kind;
    c->n++;
    return 0;
}

/* ---- weekday arithmetic ---------------------------------------------------------------- */

static int64_t fdiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Monday = 0 .. Sunday = 6 */
static int64_t wday0(int64_t day) { return day + 3 - fdiv(day + 3, 7) * 7; }

/* Number of Mondays-to-Fridays up to and including @x, from a fixed origin. */
static int64_t weekdays_upto(int64_t x)
{
    int64_t k = wday0(x);
    return fdiv(x + 3, 7) * 5 + (k + 1 < 5 ? k + 1 : 5);
}

/* The @n-th (n >= 1) Monday-to-Friday after @day. */
static int64_t nth_weekday_after(int64_t day, int64_t n)
{
    int64_t k = wday0(day), total;
    if (k > 4) {
        day -= k - 4; /* from a weekend count as from the Friday before */
        k = 4;
    }
    total = k + n;
    return day - k + (total / 5) * 7 + total % 5;
}

bool pl_calendar_is_working_day(const pl_calendar *c, int32_t day)
{
    size_t i = lower_bound(c, day);
    if (c && i < c->n && c->v[i].day == day)
        return c->v[i].kind == PL_DAY_WORKDAY;
    return wday0(day) < 5;
}

int32_t pl_calendar_add_working_days(const pl_calendar *c, int32_t from, int n)
{
    int64_t day = from, left = n, cand;
    size_t i;

    if (n <= 0 || from == INT32_MAX)
        return from;
    i = lower_bound(c, from + 1);
    /* Jump over the stretches between entries arithmetically; step onto
     * each entry (always later than day) that the count reaches. */
    while (left > 0) {
        cand = nth_weekday_after(day, left);
        if (!c || i >= c->n || cand < c->v[i].day)
            return cand > INT32_MAX ? INT32_MAX : (int32_t)cand;
        left -= weekdays_upto(c->v[i].day - 1) - weekdays_upto(day);
        day = c->v[i].day;
        if (c->v[i].kind == PL_DAY_WORKDAY)
            left--;
        i++;
    }
    return (int32_t)day;
}

int pl_calendar_working_days_between(const pl_calendar *c, int32_t a, int32_t b)
{
    int64_t count;
    size_t i;

    if (b <= a)
        return 0;
    count = weekdays_upto(b) - weekdays_upto(a);
    for (i = lower_bound(c, a + 1); c && i < c->n && c->v[i].day <= b; i++) {
        bool weekday = wday0(c->v[i].day) < 5;
        if (c->v[i].kind == PL_DAY_HOLIDAY && weekday)
            count--;
        else if (c->v[i].kind == PL_DAY_WORKDAY && !weekday)
            count++;
    }
    return count > INT_MAX ? INT_MAX : (int)count;
}

size_t pl_calendar_count(const pl_calendar *c) { return c ? c->n : 0; }

void pl_calendar_entry(const pl_calendar *c, size_t i, int32_t *day, int *kind)
{
    bool ok = c && i < c->n;
    if (day)
        *day = ok ? c->v[i].day : 0;
    if (kind)
        *kind = ok ? c->v[i].kind : 0;
}

/* ---- the text form --------------------------------------------------------------------- */

static bool blank(char ch) { return ch == ' ' || ch == '\t'; }

/* The kind @c gives @day, 0 when it names no kind. */
static int kind_in(const pl_calendar *c, int32_t day)
{
    size_t i = lower_bound(c, day);
    return i < c->n && c->v[i].day == day ? c->v[i].kind : 0;
}

/* The name after a line's kind (@p, @n bytes, white space around it not
 * counted) holds no character that no text given to the registry may
 * carry (pl_text_control): a tab, a lone carriage return, a line or
 * paragraph separator, a bidirectional control. */
static int check_name(pl_err *e, unsigned long lineno, const char *p, size_t n)
{
    uint32_t cp;
    size_t at;
    char *name;
    bool bad;

    while (n > 0 && blank(*p)) {
        p++;
        n--;
    }
    if (n == 0)
        return 0;
    if (!(name = malloc(n + 1)))
        return pl_err_oom(e);
    memcpy(name, p, n);
    name[n] = '\0';
    bad = pl_text_control(name, PL_TEXT_LINE, &cp, &at);
    free(name);
    if (!bad)
        return 0;
    return pl_err_set(e, PLEDGER_EINVAL,
                      "calendar line %lu: the name holds U+%04X at character %zu: a control "
                      "character (or one that turns text around), which no text given to the "
                      "registry may carry", lineno, (unsigned)cp, at);
}

/* One line into @c; @seen holds what the text's earlier lines named, so
 * that one text cannot name a day both a holiday and a workday (the later
 * line silently won). */
static int parse_line(pl_calendar *c, pl_calendar *seen, pl_err *e, unsigned long lineno,
                      const char *p, size_t n)
{
    const char *tok = p, *end = p + n, *kw;
    size_t tl, kl;
    char buf[11];
    int32_t from, to, d;
    int kind, rc;
    pl_err sub;

    while (tok < end && !blank(*tok))
        tok++;
    tl = (size_t)(tok - p);
    if (tl != 10 && !(tl == 22 && p[10] == '.' && p[11] == '.'))
        return pl_err_set(e, PLEDGER_EINVAL,
                          "calendar line %lu: expected a date YYYY-MM-DD or a range "
                          "YYYY-MM-DD..YYYY-MM-DD, found '%.*s'",
                          lineno, (int)pl_utf8_prefix(p, tl, PL_EXCERPT_MAX), p);
    memcpy(buf, p, 10);
    buf[10] = '\0';
    if (pl_date_parse(&sub, buf, &from) != 0)
        return pl_err_set(e, PLEDGER_EINVAL, "calendar line %lu: %s", lineno, sub.msg);
    to = from;
    if (tl == 22) {
        memcpy(buf, p + 12, 10);
        if (pl_date_parse(&sub, buf, &to) != 0)
            return pl_err_set(e, PLEDGER_EINVAL, "calendar line %lu: %s", lineno, sub.msg);
        if (to < from)
            return pl_err_set(e, PLEDGER_EINVAL,
                              "calendar line %lu: the range %.22s ends before it starts",
                              lineno, p);
        if ((int64_t)to - from + 1 > MAX_RANGE)
            return pl_err_set(e, PLEDGER_EINVAL,
                              "calendar line %lu: the range %.22s is longer than %d days",
                              lineno, p, MAX_RANGE);
    }
    kw = tok;
    while (kw < end && blank(*kw))
        kw++;
    for (kl = 0; kw + kl < end && !blank(kw[kl]);)
        kl++;
    if (kl == 7 && memcmp(kw, "holiday", 7) == 0)
        kind = PL_DAY_HOLIDAY;
    else if (kl == 7 && memcmp(kw, "workday", 7) == 0)
        kind = PL_DAY_WORKDAY;
    else
        return pl_err_set(e, PLEDGER_EINVAL,
                          "calendar line %lu: expected 'holiday' or 'workday' after the date, "
                          "found '%.*s'",
                          lineno, (int)pl_utf8_prefix(kw, kl, PL_EXCERPT_MAX), kw);
    if ((rc = check_name(e, lineno, kw + kl, (size_t)(end - kw - kl))))
        return rc;
    for (d = from;; d++) {
        int before = kind_in(seen, d);
        if (before && before != kind) {
            char day[11];
            pl_date_format(d, day);
            return pl_err_set(e, PLEDGER_EINVAL,
                              "calendar line %lu: %s is named a %s here and a %s on an earlier "
                              "line; a day is one or the other", lineno, day,
                              kind == PL_DAY_HOLIDAY ? "holiday" : "workday",
                              before == PL_DAY_HOLIDAY ? "holiday" : "workday");
        }
        if ((rc = pl_calendar_set(seen, e, d, kind)) == PLEDGER_ENOMEM)
            return rc;
        if ((rc = pl_calendar_set(c, e, d, kind)))
            return rc == PLEDGER_ENOMEM ? rc : pl_err_prefix(e, "calendar line %lu", lineno);
        if (c->n > PL_CALENDAR_MAX_DAYS)
            return pl_err_set(e, PLEDGER_EINVAL, "calendar line %lu: more than %d days in "
                              "the calendar (the limit)", lineno, PL_CALENDAR_MAX_DAYS);
        if (d == to)
            break;
    }
    return 0;
}

int pl_calendar_parse(pl_calendar *c, pl_err *e, const char *text, size_t len)
{
    pl_calendar *k;
    size_t pos = 0;
    unsigned long lineno = 0;
    int rc = 0;

    if (!c)
        return pl_err_set(e, PLEDGER_EINVAL, "calendar: no calendar");
    if (!text && len)
        return pl_err_set(e, PLEDGER_EINVAL, "calendar: no text");
    pl_calendar seen = { 0 };
    if (!(k = pl_calendar_copy(c)))
        return pl_err_oom(e);
    /* a byte order mark, as an editor on Windows begins a UTF-8 file: not
     * part of the first line (invisible, it made a good date unreadable) */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    while (pos < len && !rc) {
        const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos, b = 0;

        pos += n + (nl ? 1 : 0);
        lineno++;
        if (memchr(line, '\0', n)) {
            rc = pl_err_set(e, PLEDGER_EINVAL, "calendar line %lu: contains a NUL byte", lineno);
            break;
        }
        if (!pl_utf8_valid(line, n)) {
            rc = pl_err_set(e, PLEDGER_EINVAL, "calendar line %lu: is not valid UTF-8", lineno);
            break;
        }
        while (n > 0 && (blank(line[n - 1]) || line[n - 1] == '\r'))
            n--;
        while (b < n && blank(line[b]))
            b++;
        if (b == n || line[b] == '#')
            continue;
        rc = parse_line(k, &seen, e, lineno, line + b, n - b);
    }
    free(seen.v);
    if (!rc) {
        cal_entry *v = c->v;
        *c = *k;
        k->v = v;
    }
    pl_calendar_free(k);
    return rc;
}
