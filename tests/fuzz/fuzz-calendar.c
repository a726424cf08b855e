/* Fuzz target: the calendar loader (internal pl_calendar_parse, which
 * pledger_calendar_load() runs).  A refused text leaves the calendar as
 * it was; an accepted one gives entries sorted by day, each a holiday or
 * a workday that the working-day test agrees with, and working-day
 * arithmetic over it ends. */
#include "fuzz.h"
#include "base/calendar.h"
#include "base/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_calendar *c = pl_calendar_new();
    pl_err e;
    FUZZ_ASSERT(c != NULL);
    /* something there already, to see that a refusal keeps it */
    FUZZ_ASSERT(pl_calendar_set(c, &e, pl_days_from_civil(2025, 1, 1), PL_DAY_HOLIDAY) == 0);
    if (pl_calendar_parse(c, &e, (const char *)data, size) != 0) {
        FUZZ_ASSERT(e.msg[0]);
        FUZZ_ASSERT(pl_calendar_count(c) == 1);
        pl_calendar_free(c);
        return 0;
    }
    size_t n = pl_calendar_count(c);
    int32_t prev = INT32_MIN;
    for (size_t i = 0; i < n; i++) {
        int32_t day;
        int kind;
        pl_calendar_entry(c, i, &day, &kind);
        FUZZ_ASSERT(i == 0 || day > prev);
        FUZZ_ASSERT(kind == PL_DAY_HOLIDAY || kind == PL_DAY_WORKDAY);
        FUZZ_ASSERT(pl_calendar_is_working_day(c, day) == (kind == PL_DAY_WORKDAY));
        prev = day;
    }
    int32_t from = n ? prev - 30 : pl_days_from_civil(2025, 1, 1);
    int32_t to = pl_calendar_add_working_days(c, from, 40);
    FUZZ_ASSERT(to > from);
    FUZZ_ASSERT(pl_calendar_working_days_between(c, from, to) == 40);
    pl_calendar_free(c);
    return 0;
}
