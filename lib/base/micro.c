/* Decimal quantities in millionths (micro.h). */
#include "base/micro.h"

#include <stdbool.h>

pl_micro_rc pl_micro_parse(const char *s, size_t n, int64_t *micro, int *decimals)
{
    int64_t v = 0;
    int frac = -1;
    bool digit = false, more = false, huge = false;

    if (!s)
        return PL_MICRO_BAD;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '.' && frac < 0) {
            frac = 0;
            continue;
        }
        if (ch < '0' || ch > '9')
            return PL_MICRO_BAD;
        digit = true;
        if (frac >= 6) {          /* past millionths: counted, rounds up */
            frac++;
            more |= ch != '0';
            continue;
        }
        if (frac >= 0)
            frac++;
        if (huge || v > (INT64_MAX - 9) / 10) {
            huge = true;          /* read on: what follows must still be digits */
            continue;
        }
        v = v * 10 + (ch - '0');
    }
    if (!digit)
        return PL_MICRO_BAD;
    for (int k = frac < 0 ? 0 : frac; k < 6 && !huge; k++) {
        if (v > INT64_MAX / 10)
            huge = true;
        else
            v *= 10;
    }
    if (huge || (more && v == INT64_MAX))
        return PL_MICRO_HUGE;
    *micro = v + (more ? 1 : 0);
    if (decimals)
        *decimals = frac < 0 ? 0 : frac;
    return PL_MICRO_OK;
}
