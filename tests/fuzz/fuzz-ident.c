/* Fuzz target: every identifier check.  The input is given to
 * pledger_id_normalize() as each of the nine identifier types, with a
 * large and a small output buffer.  An accepted identifier's normal form
 * is valid UTF-8 without white space, fits the buffer, and is its own
 * normal form (normalising is idempotent). */
#include <pledger/pledger.h>

#include "fuzz.h"
#include "base/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    char out[256], again[256], small[8];

    for (int t = PLEDGER_ID_USCC; t <= PLEDGER_ID_CERTIFICATE; t++) {
        int rc = pledger_id_normalize(out, sizeof out, (pledger_id_type)t, text);
        if (rc != 0) {
            FUZZ_ASSERT(out[0] == '\0');
            FUZZ_ASSERT(*pledger_errmsg(NULL));
            FUZZ_ASSERT(pl_utf8_valid(pledger_errmsg(NULL), strlen(pledger_errmsg(NULL))));
            continue;
        }
        size_t len = strlen(out);
        FUZZ_ASSERT(len > 0 && len < sizeof out);
        FUZZ_ASSERT(pl_utf8_valid(out, len));
        if (t != PLEDGER_ID_CERTIFICATE)
            FUZZ_ASSERT(strpbrk(out, " \t\r\n") == NULL);
        rc = pledger_id_normalize(again, sizeof again, (pledger_id_type)t, out);
        if (rc != 0 || strcmp(out, again) != 0) {
            fprintf(stderr, "type %d: '%s' -> '%s' (rc %d: %s)\n", t, out, again, rc,
                    pledger_errmsg(NULL));
            abort();
        }
        /* too small a buffer: refused, and the buffer is "" */
        if (len + 1 > sizeof small) {
            FUZZ_ASSERT(pledger_id_normalize(small, sizeof small, (pledger_id_type)t, text) != 0);
            FUZZ_ASSERT(small[0] == '\0');
        }
    }
    free(text);
    return 0;
}
