/* Working days: Saturdays and Sundays are off, except that a loaded
 * calendar marks public holidays (off even on a weekday) and make-up
 * working days (on even at a weekend; China moves weekends around its
 * holidays).  Days are int32_t days since 1970-01-01 (base/date.h). */
#ifndef PL_BASE_CALENDAR_H
#define PL_BASE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

typedef struct pl_calendar pl_calendar;

enum { PL_DAY_HOLIDAY = 1, PL_DAY_WORKDAY = 2 };

/* An empty calendar (weekends only); NULL when out of memory. */
pl_calendar *pl_calendar_new(void);

/* Free @c; NULL is fine. */
void pl_calendar_free(pl_calendar *c);

/* A copy of @c (NULL: an empty calendar); NULL when out of memory. */
pl_calendar *pl_calendar_copy(const pl_calendar *c);

/* Mark @day as PL_DAY_HOLIDAY or PL_DAY_WORKDAY, replacing what it was.
 * PLEDGER_EINVAL for another @kind, PLEDGER_ENOMEM. */
int pl_calendar_set(pl_calendar *c, pl_err *e, int32_t day, int kind);

/* Add the entries of @text (@len bytes, UTF-8), one per line:
 *
 *     # a comment
 *     2025-10-01..2025-10-08 holiday National Day and Mid-Autumn
 *     2025-09-28 workday
 *
 * A date or an inclusive range "FROM..TO" (at most 366 days, FROM <= TO),
 * white space, "holiday" or "workday", then optionally white space and a
 * free-text name (ignored).  Blank lines and lines starting with '#' are
 * skipped; "\r\n" line ends are fine.  A later line about the same day
 * wins.  At most PL_CALENDAR_MAX_DAYS days in all: every day of a
 * century, far more than the holidays and make-up days of any calendar,
 * while each range may otherwise cover a year, so that a short text
 * cannot make millions of days (a 250 KB one took 870 MB and a minute).
 * On error (PLEDGER_EINVAL, message "calendar line N: ...", or
 * PLEDGER_ENOMEM) @c is unchanged. */
#define PL_CALENDAR_MAX_DAYS 36600
int pl_calendar_parse(pl_calendar *c, pl_err *e, const char *text, size_t len);

/* True when @day is a working day; @c may be NULL (weekends only). */
bool pl_calendar_is_working_day(const pl_calendar *c, int32_t day);

/* The @n-th working day after @from (@from itself not counted); @from when
 * @n <= 0.  Saturates at INT32_MAX. */
int32_t pl_calendar_add_working_days(const pl_calendar *c, int32_t from, int n);

/* The number of working days in (@a, @b]; 0 when @b <= @a. */
int pl_calendar_working_days_between(const pl_calendar *c, int32_t a, int32_t b);

/* The entries, sorted by day, so a store can persist them: entry @i
 * (< pl_calendar_count()) is *@day of *@kind.  Out of range: 0 and 0. */
size_t pl_calendar_count(const pl_calendar *c);
void pl_calendar_entry(const pl_calendar *c, size_t i, int32_t *day, int *kind);

#endif
