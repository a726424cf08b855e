/* Fuzz target: the reader of compiled catalogues (lib/base/catalog.c),
 * which pledger_set_thread_language() loads from the locale directory.
 * The files are pledger's own, installed with it; the reader checks every
 * offset and length all the same, and this holds it to that.
 * Invariants: a file that reads has every message findable or absent,
 * never a read outside it (the sanitizers watch); a translation found is
 * a string inside the copy; the empty message is never translated. */
#include "base/catalog.h"

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_catalog *c = pl_catalog_parse(data, size);
    if (!c)
        return 0;
    FUZZ_ASSERT(pl_catalog_find(c, "") == NULL);
    FUZZ_ASSERT(pl_catalog_find(c, NULL) == NULL);
    /* every NUL-terminated run of the input, looked up */
    for (size_t i = 0; i < size;) {
        const char *s = (const char *)data + i;
        size_t n = strnlen(s, size - i);
        if (n < size - i) {
            const char *t = pl_catalog_find(c, s);
            FUZZ_ASSERT(t == NULL || strlen(t) > 0);
        }
        i += n + 1;
    }
    static const char *const probes[] = { "invalid argument", "kind\004trademark",
                                          "query parameter %s: %s", "\xff", "zzzz" };
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        const char *t = pl_catalog_find(c, probes[i]);
        FUZZ_ASSERT(t == NULL || strlen(t) > 0);
    }
    pl_catalog_free(c);
    return 0;
}
