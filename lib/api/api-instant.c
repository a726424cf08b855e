/* Public pledger_instant_parse(), over the library's one reader of
 * instants (base/date). */
#include <pledger/common.h>
#include <pledger/registry.h>

#include <string.h>

#include "api/handle.h"
#include "base/date.h"
#include "base/error.h"

int pledger_instant_parse(int64_t *out, const char *text)
{
    static const char fn[] = "pledger_instant_parse";
    pl_err *e = pl_err_thread();
    int64_t v = 0;

    pl_err_clear(e);
    if (!out)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: out is NULL", fn);
    if (!text)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: text is NULL", fn);
    if (pl_instant_parse(e, text, &v) != 0)
        return pl_err_prefix(e, "%s", fn);
    *out = v;
    return 0;
}

int pledger_instant_parse_registry(int64_t *out, const pledger_registry *reg, const char *text)
{
    static const char fn[] = "pledger_instant_parse_registry";
    pl_err *e = pl_err_thread();
    int64_t v = 0;

    pl_err_clear(e);
    if (!out)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: out is NULL", fn);
    if (!reg)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: reg is NULL", fn);
    if (!text)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: text is NULL", fn);
    if (pl_instant_parse(e, text, &v) != 0)
        return pl_err_prefix(e, "%s", fn);
    /* a bare date: the first instant of that day in the registry's
     * calendar, as its deadlines and statistics count days */
    if (strlen(text) == 10) {
        int32_t day = pl_date_of_instant(v, 0);
        int64_t start = pl_instant_of_date(day, reg->utc_offset);
        if (start < PLEDGER_INSTANT_MIN || start > PLEDGER_INSTANT_MAX)
            return pl_err_set(e, PLEDGER_EINVAL, "%s: the day %s begins outside the years "
                              "0000 to 9999 in UTC", fn, text);
        v = start;
    }
    *out = v;
    return 0;
}
