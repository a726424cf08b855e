/* Fuzz target: money and date parsing (internal: pl_money_parse,
 * pl_date_parse, pl_instant_parse).  What parses formats back to text
 * that parses to the same value; a date is written exactly as read. */
#include "fuzz.h"
#include "base/date.h"
#include "base/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const currencies[] = { "CNY", "JPY", "KWD", "USD", "XXX", "cny", "" };
    char *text = fuzz_cstr(data, size);
    pl_err e;

    for (size_t c = 0; c < sizeof currencies / sizeof currencies[0]; c++) {
        int64_t v = -1, w = -1;
        char buf[PL_MONEY_TEXT_MAX];
        if (pl_money_parse(&e, text, currencies[c], &v) != 0) {
            FUZZ_ASSERT(e.code == PLEDGER_EINVAL && e.msg[0]);
            continue;
        }
        FUZZ_ASSERT(v >= 0);
        FUZZ_ASSERT(pl_money_format(v, currencies[c], buf, sizeof buf) == 0);
        if (pl_money_parse(&e, buf, currencies[c], &w) != 0 || w != v) {
            fprintf(stderr, "%s '%s' -> %lld -> '%s' -> %lld\n", currencies[c], text,
                    (long long)v, buf, (long long)w);
            abort();
        }
    }

    int32_t day;
    if (pl_date_parse(&e, text, &day) == 0) {
        char out[11];
        pl_date_format(day, out);
        FUZZ_ASSERT(strcmp(out, text) == 0);
    } else {
        FUZZ_ASSERT(e.msg[0]);
    }

    int64_t us, us2;
    if (pl_instant_parse(&e, text, &us) == 0) {
        char out[32];
        pl_instant_format(us, out);
        if (pl_instant_parse(&e, out, &us2) != 0 || us2 != us) {
            fprintf(stderr, "'%s' -> %lld -> '%s'\n", text, (long long)us, out);
            abort();
        }
        /* and the calendar date of the instant is a real date */
        int y;
        unsigned m, d;
        pl_civil_from_days(pl_date_of_instant(us, 480), &y, &m, &d);
        FUZZ_ASSERT(pl_date_valid(y, m, d));
    } else {
        FUZZ_ASSERT(e.msg[0]);
    }
    free(text);
    return 0;
}
