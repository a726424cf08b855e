/* Areas and their units: a sea-area use right and a rural land
 * management right are pledged by area, in the unit the applicant
 * writes (亩, 公顷, 平方米 ...), and compared with the area the reference
 * register records in its own unit (rules-sea-land.c). */
#ifndef PL_BASE_AREA_H
#define PL_BASE_AREA_H

#include <stdbool.h>
#include <stdint.h>

/* The units of an area.  1 mu (亩) is exactly 10000/15 m² (666.67 m²),
 * 1 ha (公顷) 10,000 m², 1 km² 1,000,000 m². */
typedef enum pl_area_unit {
    PL_AREA_NONE = -1,
    PL_AREA_M2,
    PL_AREA_MU,
    PL_AREA_HA,
    PL_AREA_KM2
} pl_area_unit;

/* The unit @s names: its symbol or a Chinese or English name, in any
 * case, full-width forms and white space around it folded ("m2", "m²",
 * "㎡", "平方米", "平米"; "mu", "亩"; "ha", "hm2", "公顷", "hectare(s)";
 * "km2", "km²", "平方公里", "平方千米"); PL_AREA_NONE for any other text
 * and for NULL. */
pl_area_unit pl_area_unit_of(const char *s);

/* The symbol the registry writes for @u ("m2", "mu", "ha", "km2"), and
 * its Chinese name ("平方米", "亩", "公顷", "平方公里"); NULL for none. */
const char *pl_area_unit_symbol(pl_area_unit u);
const char *pl_area_unit_chinese(pl_area_unit u);

/* "m2 (平方米), mu (亩), ha (公顷), km2 (平方公里)": the units known. */
extern const char pl_area_units_known[];

/* Whether an area of @a_micro millionths of @a_unit, written with
 * @a_decimals decimals (as pl_micro_parse reads it: base/micro.h), is
 * larger than @r_micro millionths of @r_unit once both are in the same
 * unit, exactly (no rounding of the mu): larger
 * by more than half a unit of its last written decimal, or of its second
 * when it has fewer, for an area converted and rounded: "666.67 m2" is 1
 * mu, "12333 m2" less than 18.5 mu (12333.33 m2), "12333.34 m2" and "19
 * mu" more than 18.5 mu. */
bool pl_area_exceeds(int64_t a_micro, pl_area_unit a_unit, int a_decimals, int64_t r_micro,
                     pl_area_unit r_unit);

/* @micro millionths of @u in square metres, to two decimals ("12333.33"),
 * into @out. */
void pl_area_format_m2(char out[32], int64_t micro, pl_area_unit u);

#endif
