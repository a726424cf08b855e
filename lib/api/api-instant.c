/* Public pledger_instant_parse(), over the library's one reader of
 * instants (base/date). */
#include <pledger/common.h>

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
