/* Public money calls: pledger_money_parse() and pledger_money_format(),
 * over the library's one parser and formatter (base/money). */
#include <string.h>

#include <pledger/money.h>

#include "base/error.h"
#include "base/money.h"

int pledger_money_parse(int64_t *out, const char *text, const char *currency)
{
    static const char fn[] = "pledger_money_parse";
    pl_err *e = pl_err_thread();
    int64_t v = 0;

    pl_err_clear(e);
    if (!out)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: out is NULL", fn);
    if (!text)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: text is NULL", fn);
    if (pl_money_parse(e, text, currency, &v) != 0)
        return pl_err_prefix(e, "%s", fn);
    *out = v;
    return 0;
}

int pledger_money_format(char *out, size_t out_size, int64_t minor, const char *currency)
{
    static const char fn[] = "pledger_money_format";
    pl_err *e = pl_err_thread();
    char buf[PL_MONEY_TEXT_MAX];
    size_t n;

    pl_err_clear(e);
    if (!out)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: out is NULL", fn);
    if (out_size)
        out[0] = '\0';
    if (!currency)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: the currency is missing", fn);
    if (pl_currency_digits(currency) < 0)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: currency '%.8s' is not a known ISO 4217 code",
                          fn, currency);
    if (pl_money_format(minor, currency, buf, sizeof buf) != 0)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: cannot format %lld %s", fn,
                          (long long)minor, currency);
    n = strlen(buf);
    if (n + 1 > out_size)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: '%s' needs %zu bytes, out_size is %zu", fn,
                          buf, n + 1, out_size);
    memcpy(out, buf, n + 1);
    return 0;
}
