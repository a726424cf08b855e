/* Fuzz target: the reference-register import.  The input is imported
 * with pledger_register_import_memory() into an in-memory registry; the
 * progress callback cancels every import at its last call, just before
 * the commit, so the registry stays empty and each input is judged alone
 * (the whole import, validation and upserts included, still runs). */
#include <pledger/pledger.h>

#include "fuzz.h"

static pledger_registry *reg;
static uint64_t last_records;

static int cancel_at_end(uint64_t records, uint64_t bytes_read, uint64_t total_bytes,
                         void *payload)
{
    (void)payload;
    FUZZ_ASSERT(records >= last_records); /* never decreasing */
    last_records = records;
    /* the last call: the whole input was read */
    return total_bytes && bytes_read == total_bytes ? 1 : 0;
}

static int64_t fixed_clock(void *payload)
{
    (void)payload;
    return INT64_C(1711936800000000);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pledger_import_options o = PLEDGER_IMPORT_OPTIONS_INIT;
    pledger_import_report *rep = NULL;
    int rc;

    if (!reg && (pledger_open(&reg, ":memory:", NULL) ||
                 pledger_set_clock(reg, fixed_clock, NULL) ||
                 pledger_set_actor(reg, "fuzz", PLEDGER_ROLE_REGISTRAR)))
        abort();
    o.progress = cancel_at_end;
    last_records = 0;
    rc = pledger_register_import_memory(&rep, reg, data, size, &o);
    FUZZ_ASSERT(rc == 0 || rep == NULL);
    if (rc) {
        FUZZ_ASSERT(*pledger_errmsg(reg));
    } else {
        /* an empty input has no "last call" with total_bytes; it commits */
        uint64_t all = pledger_import_report_inserted(rep) + pledger_import_report_updated(rep) +
                       pledger_import_report_unchanged(rep) +
                       pledger_import_report_rejected(rep);
        FUZZ_ASSERT(all >= pledger_import_report_rejected(rep));
        for (size_t i = 0; i < pledger_import_report_rejection_count(rep); i++) {
            FUZZ_ASSERT(pledger_import_report_rejection_line(rep, i) >= 1);
            FUZZ_ASSERT(pledger_import_report_rejection_message(rep, i) != NULL);
        }
        FUZZ_ASSERT(strlen(pledger_import_report_sha256(rep)) == 64);
    }
    pledger_import_report_free(rep);
    return 0;
}
