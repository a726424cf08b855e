/* Fuzz target: field paths.  The input is a script, one command a line,
 * run on the trademark sample document:
 *   g<path>          pledger_application_get
 *   c<path>          pledger_application_count
 *   s<path>=<value>  pledger_application_set
 *   d<path>          pledger_application_set(path, NULL): remove
 * Whatever the script does, the document stays valid: after every
 * accepted write it is written out and read back, and the value written
 * reads back as written. */
#include <pledger/pledger.h>

#include "fuzz.h"

static char *sample;
static size_t sample_len;

static void load_sample(void)
{
    FILE *f = fopen(PLEDGER_TEST_DATADIR "/app-trademark.xml", "rb");
    long n;
    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
        abort();
    sample = malloc((size_t)n);
    if (!sample || fread(sample, 1, (size_t)n, f) != (size_t)n)
        abort();
    sample_len = (size_t)n;
    fclose(f);
}

static void still_valid(pledger_application *app)
{
    char *xml = NULL;
    size_t len = 0;
    pledger_application *back = NULL;
    FUZZ_ASSERT(pledger_application_to_xml(&xml, &len, app) == 0);
    if (pledger_application_from_xml(&back, xml, len) != 0) {
        fprintf(stderr, "a write made the document unreadable: %s\n", pledger_errmsg(NULL));
        abort();
    }
    pledger_application_free(back);
    pledger_free(xml);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pledger_application *app = NULL;
    char *script, *save = NULL;
    int n = -1;

    if (!sample)
        load_sample();
    if (pledger_application_from_xml(&app, sample, sample_len) != 0)
        abort();
    script = fuzz_cstr(data, size);
    for (char *line = strtok_r(script, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        const char *v = NULL;
        char *path = line + 1, *value;
        switch (line[0]) {
        case 'g':
            if (pledger_application_get(&v, app, path) == 0)
                FUZZ_ASSERT(v != NULL);
            break;
        case 'c':
            if (pledger_application_count(&n, app, path) == 0)
                FUZZ_ASSERT(n >= 0);
            break;
        case 's':
            value = strchr(path, '=');
            if (!value)
                break;
            *value++ = '\0';
            if (pledger_application_set(app, path, value) == 0) {
                FUZZ_ASSERT(pledger_application_get(&v, app, path) == 0);
                FUZZ_ASSERT(strcmp(v, value) == 0);
                still_valid(app);
            } else {
                FUZZ_ASSERT(*pledger_errmsg(NULL));
            }
            break;
        case 'd':
            if (pledger_application_set(app, path, NULL) == 0)
                still_valid(app);
            break;
        default:
            break;
        }
    }
    free(script);
    pledger_application_free(app);
    return 0;
}
