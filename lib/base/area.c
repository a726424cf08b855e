#include "base/area.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

/* Each unit in fifteenths of a square metre (1 mu = 10000/15 m²): every
 * unit is a whole number of them. */
static const int64_t fifteenths[] = { 15, 10000, 150000, 15000000 };

static const struct {
    const char *symbol, *chinese;
    const char *names[6];
} units[] = {
    { "m2", "平方米", { "m2", "m²", "㎡", "平方米", "平米", "sqm" } },
    { "mu", "亩", { "mu", "亩", "市亩" } },
    { "ha", "公顷", { "ha", "hm2", "hm²", "公顷", "hectare", "hectares" } },
    { "km2", "平方公里", { "km2", "km²", "平方公里", "平方千米", "㎢" } },
};

const char pl_area_units_known[] = "m2 (平方米), mu (亩), ha (公顷), km2 (平方公里)";

pl_area_unit pl_area_unit_of(const char *s)
{
    char *f = s ? pl_text_fold(s) : NULL;   /* full-width forms, white space around */
    pl_area_unit found = PL_AREA_NONE;

    if (!f)
        return PL_AREA_NONE;
    for (char *p = f; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    for (size_t u = 0; u < sizeof units / sizeof units[0] && found == PL_AREA_NONE; u++)
        for (size_t k = 0; k < 6 && units[u].names[k]; k++)
            if (strcmp(f, units[u].names[k]) == 0)
                found = (pl_area_unit)u;
    free(f);
    return found;
}

const char *pl_area_unit_symbol(pl_area_unit u)
{
    return u >= PL_AREA_M2 && u <= PL_AREA_KM2 ? units[u].symbol : NULL;
}

const char *pl_area_unit_chinese(pl_area_unit u)
{
    return u >= PL_AREA_M2 && u <= PL_AREA_KM2 ? units[u].chinese : NULL;
}

/* @a * @b, or false when it does not fit (both >= 0). */
static bool mul(int64_t a, int64_t b, int64_t *out)
{
    if (b && a > INT64_MAX / b)
        return false;
    *out = a * b;
    return true;
}

bool pl_area_exceeds(int64_t a_micro, pl_area_unit a_unit, int a_decimals, int64_t r_micro,
                     pl_area_unit r_unit)
{
    int64_t ulp = 1, a2, r2, lhs, rhs;

    if (a_unit < PL_AREA_M2 || a_unit > PL_AREA_KM2 || r_unit < PL_AREA_M2 ||
        r_unit > PL_AREA_KM2)
        return false;
    /* the unit of its last written decimal, of the second at most: "1 mu"
     * may round 666.67 m2 up, "19 mu" does not round 18.6 mu */
    for (int k = a_decimals < 2 ? 2 : a_decimals; k < 6; k++)
        ulp *= 10;
    /* 2a - ulp > 2r, each side in fifteenths of a square metre */
    if (a_micro > (INT64_MAX - 1) / 2 || r_micro > (INT64_MAX - 1) / 2)
        return ((long double)a_micro - (long double)ulp / 2) * fifteenths[a_unit] >
               (long double)r_micro * fifteenths[r_unit];
    a2 = 2 * a_micro - ulp;
    r2 = 2 * r_micro;
    if (a2 <= 0)
        return false;
    if (!mul(a2, fifteenths[a_unit], &lhs) || !mul(r2, fifteenths[r_unit], &rhs))
        return (long double)a2 * fifteenths[a_unit] > (long double)r2 * fifteenths[r_unit];
    return lhs > rhs;
}

void pl_area_format_m2(char out[32], int64_t micro, pl_area_unit u)
{
    /* hundredths of a square metre, rounded half up: micro * f / 15 / 10^4 */
    int64_t f = u >= PL_AREA_M2 && u <= PL_AREA_KM2 ? fifteenths[u] : 15;
    long double m2 = (long double)micro * f / 15.0L / 1e6L;
    snprintf(out, 32, "%.2Lf", m2);
}
