#include "base/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

/* ISO 4217 minor units, sorted by code. */
static const struct {
    char code[4];
    int digits;
} currencies[] = {
    {"AED", 2}, {"ARS", 2}, {"AUD", 2}, {"BDT", 2}, {"BHD", 3}, {"BRL", 2}, {"CAD", 2},
    {"CHF", 2}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"CZK", 2}, {"DKK", 2}, {"EGP", 2},
    {"EUR", 2}, {"GBP", 2}, {"HKD", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2},
    {"IQD", 3}, {"ISK", 0}, {"JOD", 3}, {"JPY", 0}, {"KES", 2}, {"KHR", 2}, {"KRW", 0},
    {"KWD", 3}, {"KZT", 2}, {"LAK", 2}, {"LKR", 2}, {"LYD", 3}, {"MMK", 2}, {"MNT", 2},
    {"MOP", 2}, {"MXN", 2}, {"MYR", 2}, {"NGN", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2},
    {"OMR", 3}, {"PEN", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2},
    {"RUB", 2}, {"SAR", 2}, {"SEK", 2}, {"SGD", 2}, {"THB", 2}, {"TND", 3}, {"TRY", 2},
    {"TWD", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"UZS", 2}, {"VND", 0}, {"XAF", 0},
    {"XOF", 0}, {"ZAR", 2},
};

int pl_currency_digits(const char *code)
{
    size_t lo = 0, hi = sizeof currencies / sizeof currencies[0];

    if (!code || strlen(code) != 3)
        return -1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(code, currencies[mid].code);
        if (c == 0)
            return currencies[mid].digits;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

static bool isdig(char c) { return c >= '0' && c <= '9'; }

static bool push_digit(int64_t *v, int d)
{
    if (*v > (INT64_MAX - d) / 10)
        return false;
    *v = *v * 10 + d;
    return true;
}

#define WAN "\xe4\xb8\x87" /* 万 */
#define YI "\xe4\xba\xbf"  /* 亿 */
#define YUAN "\xe5\x85\x83" /* 元 */
#define YEN_SIGN "\xc2\xa5"          /* ¥ */
#define YEN_SIGN_FULL "\xef\xbf\xa5" /* ￥ */

static const char not_a_number[] = "is not a number";

/* After a space that pl_text_fold() kept (one at most). */
static const char *skip_space(const char *p) { return *p == ' ' ? p + 1 : p; }

static int parse_folded(pl_err *e, const char *f, const char *q, const char *currency,
                        int digits, int64_t *out)
{
    const char *p = f, *int_start, *int_end, *frac_start = NULL, *frac_end = NULL;
    size_t group = 0, ndig = 0, nfrac = 0, i;
    bool commas = false;
    int mult = 0, scale;
    int64_t v = 0;

    if (*p == '\0')
        return pl_err_set(e, PLEDGER_EINVAL, "amount is empty");
    if (*p == '-')
        return pl_err_set(e, PLEDGER_EINVAL, "amount '%s' is negative", q);
    if (strncmp(p, YEN_SIGN, 2) == 0 || strncmp(p, YEN_SIGN_FULL, 3) == 0) {
        if (strcmp(currency, "CNY") != 0 && strcmp(currency, "JPY") != 0)
            return pl_err_set(e, PLEDGER_EINVAL,
                              "amount '%s': the sign is that of the yuan or the yen, but the "
                              "currency is %s", q, currency);
        p = skip_space(p + (*p == YEN_SIGN[0] ? 2 : 3));
    }
    int_start = p;
    for (;; p++) {
        if (isdig(*p)) {
            group++;
            ndig++;
        } else if (*p == ',') {
            if (commas ? group != 3 : group < 1 || group > 3)
                return pl_err_set(e, PLEDGER_EINVAL,
                                  "amount '%s': commas must separate groups of three digits",
                                  q);
            commas = true;
            group = 0;
        } else {
            break;
        }
    }
    int_end = p;
    if (commas && group != 3)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "amount '%s': commas must separate groups of three digits", q);
    if (ndig == 0)
        return pl_err_set(e, PLEDGER_EINVAL, "amount '%s' %s", q, not_a_number);
    if (*p == '.') {
        frac_start = ++p;
        while (isdig(*p))
            p++;
        frac_end = p;
        nfrac = (size_t)(frac_end - frac_start);
        if (nfrac == 0)
            return pl_err_set(e, PLEDGER_EINVAL, "amount '%s': no digits after the '.'", q);
    }
    p = skip_space(p);
    if (strncmp(p, WAN, 3) == 0) {
        mult = 4;
        p = skip_space(p + 3);
    } else if (strncmp(p, YI, 3) == 0) {
        mult = 8;
        p = skip_space(p + 3);
    }
    if (strncmp(p, YUAN, 3) == 0) {
        if (strcmp(currency, "CNY") != 0)
            return pl_err_set(e, PLEDGER_EINVAL,
                              "amount '%s': " YUAN " is the yuan, but the currency is %s", q,
                              currency);
        p += 3;
    }
    if (*p != '\0')
        return pl_err_set(e, PLEDGER_EINVAL, "amount '%s' %s", q, not_a_number);
    scale = digits + mult;
    if (nfrac > (size_t)scale) {
        if (mult)
            return pl_err_set(e, PLEDGER_EINVAL,
                              "amount '%s' has %zu decimals; %s allows %d with %s", q, nfrac,
                              currency, scale, mult == 4 ? WAN : YI);
        return pl_err_set(e, PLEDGER_EINVAL, "amount '%s' has %zu decimals; %s has %d", q,
                          nfrac, currency, digits);
    }
    for (p = int_start; p < int_end; p++)
        if (*p != ',' && !push_digit(&v, *p - '0'))
            goto overflow;
    for (i = 0; i < (size_t)scale; i++)
        if (!push_digit(&v, i < nfrac ? frac_start[i] - '0' : 0))
            goto overflow;
    *out = v;
    return 0;
overflow:
    return pl_err_set(e, PLEDGER_EINVAL, "amount '%s' is too large (more than %lld minor units)",
                      q, (long long)INT64_MAX);
}

int pl_money_parse(pl_err *e, const char *text, const char *currency, int64_t *out)
{
    int digits = pl_currency_digits(currency);
    char q[PL_EXCERPT_MAX + 8];
    char *f;
    int rc;

    if (!text)
        return pl_err_set(e, PLEDGER_EINVAL, "amount is missing");
    if (digits < 0) {
        char cq[PL_EXCERPT_MAX + 8];
        if (!currency)
            return pl_err_set(e, PLEDGER_EINVAL, "amount: the currency is missing");
        pl_text_excerpt(cq, pl_utf8_valid(currency, strlen(currency)) ? currency : "?");
        return pl_err_set(e, PLEDGER_EINVAL,
                          "amount: currency '%s' is not a known ISO 4217 code", cq);
    }
    if (!pl_utf8_valid(text, strlen(text)))
        return pl_err_set(e, PLEDGER_EINVAL, "amount is not valid UTF-8");
    if (!(f = pl_text_fold(text)))
        return pl_err_oom(e);
    pl_text_excerpt(q, f);
    rc = parse_folded(e, f, q, currency, digits, out);
    free(f);
    if (rc && e) {
        /* What would have been accepted. */
        char example[PL_MONEY_TEXT_MAX];
        int64_t three_million = 3000000;
        size_t n = strlen(e->msg);
        for (int i = 0; i < digits; i++)
            three_million *= 10;
        pl_money_format(three_million, currency, example, sizeof example);
        snprintf(e->msg + n, sizeof e->msg - n,
                 "; accepted: 3000000, %s, 300" WAN "%s, 3.5" YI " (%s: %s%d decimals, "
                 "commas only between groups of three digits)", example,
                 strcmp(currency, "CNY") == 0 ? ", 300" WAN YUAN : "", currency,
                 digits ? "at most " : "", digits);
    }
    return rc;
}

int pl_money_format(int64_t minor, const char *currency, char *buf, size_t n)
{
    int digits = pl_currency_digits(currency);
    char tmp[PL_MONEY_TEXT_MAX + 8], *w = tmp + sizeof tmp;
    uint64_t mag = minor < 0 ? (uint64_t)(-(minor + 1)) + 1 : (uint64_t)minor;
    uint64_t pow = 1, ip, fp;
    size_t len;
    int i;

    if (buf && n)
        buf[0] = '\0';
    if (digits < 0 || !buf)
        return PLEDGER_EINVAL;
    for (i = 0; i < digits; i++)
        pow *= 10;
    ip = mag / pow;
    fp = mag % pow;
    *--w = '\0';
    for (i = 0; i < digits; i++) {
        *--w = (char)('0' + fp % 10);
        fp /= 10;
    }
    if (digits)
        *--w = '.';
    i = 0;
    do {
        if (i && i % 3 == 0)
            *--w = ',';
        *--w = (char)('0' + ip % 10);
        ip /= 10;
        i++;
    } while (ip);
    if (minor < 0)
        *--w = '-';
    len = (size_t)(tmp + sizeof tmp - w);
    if (len > n)
        return PLEDGER_EINVAL;
    memcpy(buf, w, len);
    return 0;
}

bool pl_money_add(int64_t a, int64_t b, int64_t *out)
{
    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
        return false;
    *out = a + b;
    return true;
}

bool pl_money_sub(int64_t a, int64_t b, int64_t *out)
{
    if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))
        return false;
    *out = a - b;
    return true;
}
