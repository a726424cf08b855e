#include "base/date.h"
#include "base/text.h"

#include <pledger/common.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define US_PER_SEC INT64_C(1000000)
#define US_PER_DAY INT64_C(86400000000)

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0)))
        r += b;
    return r;
}

/* Howard Hinnant's days_from_civil, in 64 bits. */
static int64_t days64(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;                                                 /* [0, 399] */
    doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1; /* [0, 365] */
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                         /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

int32_t pl_days_from_civil(int y, unsigned m, unsigned d)
{
    return (int32_t)days64(y, m, d);
}

void pl_civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d)
{
    int64_t zz = (int64_t)z + 719468;
    int64_t era = (zz >= 0 ? zz : zz - 146096) / 146097;
    int64_t doe = zz - era * 146097;                                       /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
    unsigned mm = (unsigned)(mp < 10 ? mp + 3 : mp - 9);

    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = mm;
    *y = (int)(yoe + era * 400 + (mm <= 2));
}

static bool leap64(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static unsigned dim64(int64_t y, unsigned m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && leap64(y) ? 29u : dim[m - 1];
}

unsigned pl_days_in_month(int y, unsigned m) { return dim64(y, m); }

bool pl_date_valid(int y, unsigned m, unsigned d)
{
    return d >= 1 && d <= dim64(y, m);
}

static int digits(const char *s, int n)
{
    int v = 0, i;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* "YYYY-MM-DD" at @s (at least 10 bytes readable or a NUL before):
 * 0 and the parts, or -1 when the shape is wrong. */
static int date_shape(const char *s, int *y, int *m, int *d)
{
    if (strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    *y = digits(s, 4);
    *m = digits(s + 5, 2);
    *d = digits(s + 8, 2);
    return *y < 0 || *m < 0 || *d < 0 ? -1 : 0;
}

int pl_date_parse(pl_err *e, const char *s, int32_t *out)
{
    char q[PL_EXCERPT_MAX + 8];
    int y, m, d;

    if (!s)
        return pl_err_set(e, PLEDGER_EINVAL, "date is missing");
    pl_text_excerpt(q, s);
    if (date_shape(s, &y, &m, &d) != 0 || s[10] != '\0')
        return pl_err_set(e, PLEDGER_EINVAL, "date '%s' is not in the form YYYY-MM-DD", q);
    if (y < 1900)
        return pl_err_set(e, PLEDGER_EINVAL, "date '%s': the year must be 1900 to 9999", q);
    if (!pl_date_valid(y, (unsigned)m, (unsigned)d))
        return pl_err_set(e, PLEDGER_EINVAL, "date '%s' is not a real date", q);
    *out = pl_days_from_civil(y, (unsigned)m, (unsigned)d);
    return 0;
}

int pl_date_read(pl_err *e, const char *s, int32_t *out)
{
    char q[PL_EXCERPT_MAX + 8], buf[11];
    char *f;
    int y, m, d, rc = 0;
    size_t n;

    if (!s)
        return pl_err_set(e, PLEDGER_EINVAL, "is missing");
    if (!pl_utf8_valid(s, strlen(s)))
        return pl_err_set(e, PLEDGER_EINVAL, "is not valid UTF-8");
    if (!(f = pl_text_fold(s)))
        return pl_err_oom(e);
    pl_text_excerpt(q, s);
    n = strlen(f);
    if (n == 8 && strspn(f, "0123456789") == 8) {   /* ISO 8601's basic form */
        memcpy(buf, f, 4);
        buf[4] = '-';
        memcpy(buf + 5, f + 4, 2);
        buf[7] = '-';
        memcpy(buf + 8, f + 6, 3);
    } else if (n == 10) {
        memcpy(buf, f, 11);
    } else {
        buf[0] = '\0';
    }
    free(f);
    if (!buf[0] || date_shape(buf, &y, &m, &d) != 0)
        rc = pl_err_set(e, PLEDGER_EINVAL, "'%s' is not a date (YYYY-MM-DD)", q);
    else if (y < 1)
        rc = pl_err_set(e, PLEDGER_EINVAL, "'%s': the year must be 0001 to 9999", q);
    else if (!pl_date_valid(y, (unsigned)m, (unsigned)d))
        rc = pl_err_set(e, PLEDGER_EINVAL, "'%s' is not a real date", q);
    else
        *out = pl_days_from_civil(y, (unsigned)m, (unsigned)d);
    return rc;
}

void pl_date_format(int32_t days, char out[11])
{
    static const int32_t lo = -719528; /* 0000-01-01 */
    static const int32_t hi = 2932896; /* 9999-12-31 */
    int y;
    unsigned m, d;

    if (days < lo)
        days = lo;
    if (days > hi)
        days = hi;
    pl_civil_from_days(days, &y, &m, &d);
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

static int32_t clamp32(int64_t v)
{
    return v < INT32_MIN ? INT32_MIN : v > INT32_MAX ? INT32_MAX : (int32_t)v;
}

static int32_t add_months64(int32_t days, int64_t months)
{
    int y;
    unsigned m, d, last;
    int64_t total, ny;
    unsigned nm;

    pl_civil_from_days(days, &y, &m, &d);
    total = (int64_t)y * 12 + (m - 1) + months;
    ny = floor_div(total, 12);
    nm = (unsigned)(total - ny * 12) + 1;
    last = dim64(ny, nm);
    if (d > last)
        d = last;
    return clamp32(days64(ny, nm, d));
}

int32_t pl_date_add_months(int32_t days, int months) { return add_months64(days, months); }

int32_t pl_date_add_years(int32_t days, int years)
{
    return add_months64(days, (int64_t)years * 12);
}

int pl_weekday(int32_t days) { return (int)floor_mod((int64_t)days + 3, 7) + 1; }

int32_t pl_date_of_instant(int64_t us, int utc_offset_minutes)
{
    int64_t secs = floor_div(us, US_PER_SEC) + (int64_t)utc_offset_minutes * 60;
    return clamp32(floor_div(secs, 86400));
}

int64_t pl_instant_of_date(int32_t days, int utc_offset_minutes)
{
    int64_t off = (int64_t)utc_offset_minutes * 60 * US_PER_SEC;
    int64_t base;

    if (days > INT64_MAX / US_PER_DAY)
        return INT64_MAX;
    if (days < INT64_MIN / US_PER_DAY)
        return INT64_MIN;
    base = (int64_t)days * US_PER_DAY;
    if (off > 0 && base < INT64_MIN + off)
        return INT64_MIN;
    if (off < 0 && base > INT64_MAX + off)
        return INT64_MAX;
    return base - off;
}

int pl_instant_parse(pl_err *e, const char *s, int64_t *out)
{
    static const char form[] = "expected YYYY-MM-DDTHH:MM:SS[.ffffff] then Z or +HH:MM";
    char q[PL_EXCERPT_MAX + 8];
    int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
    int64_t frac = 0, secs;
    const char *p;

    if (!s)
        return pl_err_set(e, PLEDGER_EINVAL, "instant is missing");
    pl_text_excerpt(q, s);
    if (date_shape(s, &y, &mo, &d) != 0)
        return pl_err_set(e, PLEDGER_EINVAL, "instant '%s' is not ISO 8601 (%s)", q, form);
    if (!pl_date_valid(y, (unsigned)mo, (unsigned)d))
        return pl_err_set(e, PLEDGER_EINVAL, "instant '%s': the date is not a real date", q);
    if (s[10] == '\0') {
        h = mi = sec = 0;
    } else {
        if (s[10] != 'T' || strnlen(s + 11, 8) < 8 || s[13] != ':' || s[16] != ':' ||
            (h = digits(s + 11, 2)) < 0 || (mi = digits(s + 14, 2)) < 0 ||
            (sec = digits(s + 17, 2)) < 0)
            return pl_err_set(e, PLEDGER_EINVAL, "instant '%s' is not ISO 8601 (%s)", q, form);
        if (h > 23 || mi > 59 || sec > 59)
            return pl_err_set(e, PLEDGER_EINVAL,
                              "instant '%s': the time %.8s is not a time of day", q, s + 11);
        p = s + 19;
        if (*p == '.') {
            int nd = 0;
            for (p++; *p >= '0' && *p <= '9'; p++, nd++)
                if (nd < 6)
                    frac = frac * 10 + (*p - '0');
            if (nd == 0 || nd > 6)
                return pl_err_set(e, PLEDGER_EINVAL,
                                  "instant '%s': the fraction of a second must have "
                                  "1 to 6 digits", q);
            for (; nd < 6; nd++)
                frac *= 10;
        }
        if (p[0] == 'Z' && p[1] == '\0') {
            sign = 0;
        } else if ((p[0] == '+' || p[0] == '-') && strnlen(p, 7) == 6 && p[3] == ':' &&
                   (oh = digits(p + 1, 2)) >= 0 && (om = digits(p + 4, 2)) >= 0) {
            if (oh > 23 || om > 59)
                return pl_err_set(e, PLEDGER_EINVAL,
                                  "instant '%s': the offset %s is out of range", q, p);
            sign = p[0] == '+' ? 1 : -1;
        } else {
            return pl_err_set(e, PLEDGER_EINVAL,
                              "instant '%s': expected Z or +HH:MM / -HH:MM after the time", q);
        }
    }
    secs = days64(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec -
           sign * (oh * 3600 + om * 60);
    /* An offset can carry 0000-01-01 into year -1, or 9999-12-31 into
     * 10000, in UTC: instants are read and written as years 0000 to 9999,
     * the published bounds (common.h). */
    int64_t us = secs * US_PER_SEC + frac;
    if (us < PLEDGER_INSTANT_MIN || us > PLEDGER_INSTANT_MAX)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "instant '%s': in UTC it falls outside the years 0000 to 9999", q);
    *out = us;
    return 0;
}

void pl_instant_format(int64_t us, char out[32])
{
    int64_t day = floor_div(us, US_PER_DAY);
    int64_t rem = floor_mod(us, US_PER_DAY);
    int64_t secs = rem / US_PER_SEC, frac = rem % US_PER_SEC;
    char buf[96];
    int y, n;
    unsigned m, d;

    pl_civil_from_days((int32_t)day, &y, &m, &d);
    if (y >= 0 && y <= 9999) {
        /* the years of every document, written by hand: a service formats
         * several instants per answer, and snprintf was a visible share */
        static const char dig[] = "0123456789";
        unsigned v[6] = { (unsigned)y, m, d, (unsigned)(secs / 3600),
                          (unsigned)(secs / 60 % 60), (unsigned)(secs % 60) };
        char *o = out;
        *o++ = dig[v[0] / 1000];
        *o++ = dig[v[0] / 100 % 10];
        *o++ = dig[v[0] / 10 % 10];
        *o++ = dig[v[0] % 10];
        for (int i = 1; i < 6; i++) {
            *o++ = i == 1 || i == 2 ? '-' : i == 3 ? 'T' : ':';
            *o++ = dig[v[i] / 10];
            *o++ = dig[v[i] % 10];
        }
        if (frac) {
            *o++ = '.';
            for (int64_t p = 100000; p; p /= 10)
                *o++ = dig[frac / p % 10];
        }
        *o++ = 'Z';
        *o = '\0';
        return;
    }
    n = snprintf(buf, sizeof buf, "%s%04d-%02u-%02uT%02d:%02d:%02d", y < 0 ? "-" : "",
                 y < 0 ? -y : y, m, d, (int)(secs / 3600), (int)(secs / 60 % 60),
                 (int)(secs % 60));
    if (n < 0)
        n = 0;
    if (frac)
        snprintf(buf + n, sizeof buf - (size_t)n, ".%06dZ", (int)frac);
    else
        snprintf(buf + n, sizeof buf - (size_t)n, "Z");
    n = (int)strnlen(buf, 31);
    memcpy(out, buf, (size_t)n);
    out[n] = '\0';
}
