/* Calendar dates and instants.
 *
 * A calendar date is an int32_t count of days since 1970-01-01 (proleptic
 * Gregorian; negative before 1970).  An instant is an int64_t count of
 * microseconds since 1970-01-01T00:00:00Z. */
#ifndef PL_BASE_DATE_H
#define PL_BASE_DATE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"

/* Days since 1970-01-01 of the civil date @y-@m-@d (which should be valid;
 * d may run past the month's end and then counts on).  The result wraps
 * for years beyond about ±5.8 million. */
int32_t pl_days_from_civil(int y, unsigned m, unsigned d);

/* The civil date of day @z; any int32_t is accepted. */
void pl_civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d);

/* Days in month @m (1..12) of year @y; 0 for a bad month. */
unsigned pl_days_in_month(int y, unsigned m);

/* True when @y-@m-@d is a real date (month 1..12, day within the month). */
bool pl_date_valid(int y, unsigned m, unsigned d);

/* Parse exactly "YYYY-MM-DD": a real date in the years 1900 to 9999.
 * Returns 0 or PLEDGER_EINVAL with a message quoting @s. */
int pl_date_parse(pl_err *e, const char *s, int32_t *out);

/* A date a person gives (an argument of the API, an option, a query
 * parameter), as typed: full-width digits and dashes and white space
 * around it read as pl_text_fold() reads them, "YYYY-MM-DD" or ISO 8601's
 * basic form "YYYYMMDD", a real date in the years 0001 to 9999.  Returns
 * 0 or PLEDGER_EINVAL with a message quoting @s that does not name the
 * field ("'2024-13-01' is not a real date"): the caller prefixes it. */
int pl_date_read(pl_err *e, const char *s, int32_t *out);

/* Write @days as "YYYY-MM-DD".  Dates before 0000-01-01 or after
 * 9999-12-31 are written as those two limits. */
void pl_date_format(int32_t days, char out[11]);

/* @days plus @months (may be negative), on the same day of the month,
 * clamped to the target month's last day: 2024-01-31 + 1 = 2024-02-29.
 * Saturates at INT32_MIN / INT32_MAX. */
int32_t pl_date_add_months(int32_t days, int months);

/* @days plus @years, as pl_date_add_months(days, 12 * years):
 * 2024-02-29 + 1 year = 2025-02-28. */
int32_t pl_date_add_years(int32_t days, int years);

/* ISO weekday of @days: 1 = Monday .. 7 = Sunday. */
int pl_weekday(int32_t days);

/* The calendar date, at UTC offset @utc_offset_minutes (China: +480), at
 * which instant @us falls. */
int32_t pl_date_of_instant(int64_t us, int utc_offset_minutes);

/* Local midnight starting @days at UTC offset @utc_offset_minutes, as an
 * instant; saturates at INT64_MIN / INT64_MAX far outside ±292,000 years. */
int64_t pl_instant_of_date(int32_t days, int utc_offset_minutes);

/* Parse an ISO 8601 instant: "YYYY-MM-DDTHH:MM:SS", an optional fraction
 * of 1 to 6 digits (".5" = 500000 us), then "Z" or "+HH:MM" / "-HH:MM";
 * or a bare date "YYYY-MM-DD" meaning 00:00:00Z.  Years 0000 to 9999,
 * hours 00..23, minutes and seconds 00..59 (no leap second), offsets up to
 * ±23:59.  Returns 0 or PLEDGER_EINVAL with a message quoting @s. */
int pl_instant_parse(pl_err *e, const char *s, int64_t *out);

/* Write @us as "YYYY-MM-DDTHH:MM:SSZ" in UTC, with ".ffffff" (6 digits)
 * before the Z when the microseconds are not zero.  Round-trips with
 * pl_instant_parse() for the years 0000 to 9999; other years are written
 * with as many digits as they need, negative ones after a '-' ("-0001",
 * "294247" for INT64_MAX), which pl_instant_parse() refuses. */
void pl_instant_format(int64_t us, char out[32]);

#endif
