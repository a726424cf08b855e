/* Public identifier calls: pledger_id_normalize() and the type names. */
#include <time.h>

#include <pledger/ident.h>

#include "base/date.h"
#include "base/error.h"
#include "base/ident.h"

/* The system clock's calendar date in China (UTC+8). */
static int32_t today_china(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        ts.tv_sec = time(NULL);
    return pl_date_of_instant((int64_t)ts.tv_sec * 1000000, 8 * 60);
}

int pledger_id_normalize(char *out, size_t out_size, pledger_id_type type, const char *text)
{
    static const char fn[] = "pledger_id_normalize";
    pl_err *e = pl_err_thread();

    pl_err_clear(e);
    if (!out)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: out is NULL", fn);
    if (out_size == 0)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: out_size is 0", fn);
    out[0] = '\0';
    if (!pl_ident_type_name(type))
        return pl_err_set(e, PLEDGER_EINVAL, "%s: type %d is not an identifier type", fn,
                          (int)type);
    if (!text)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: text is NULL", fn);
    if (pl_ident_check(e, type, text, today_china(), out, out_size) != 0) {
        out[0] = '\0';
        return pl_err_prefix(e, "%s", fn);
    }
    return 0;
}

const char *pledger_id_type_name(pledger_id_type type) { return pl_ident_type_name(type); }

int pledger_id_type_from_name(const char *name) { return pl_ident_type_from_name(name); }
