/* pledger-bench: see bench.h and README.md, "Performance".
 *
 *   pledger-bench --all                 every workload at the documented sizes
 *   pledger-bench --quick --all         small sizes: checks the program runs
 *   pledger-bench lifecycle batch read import review   (any of them)
 *   pledger-bench --sizes=10M tree      proofs from a log of 10M events (a synthetic
 *                                       tree: bench-log.c, wl_tree)
 *   pledger-bench journal               journal verification and the log alone, on the
 *                                       database the batch workload left
 *   --sizes=10k,100k,1M,10M   registry sizes of the read workloads
 *   --dir=PATH                scratch directory (default: ./bench-data)
 *   --seed=N                  data seed (default 1)
 *   --keep                    add to DIR/results.txt (the summary then covers
 *                             earlier runs too) instead of starting it anew
 *
 * Order: lifecycle, read (each size), review, batch (+ journal), import.
 * Each workload runs in a child process, so its peak RSS is its own.  The
 * figures also go to DIR/results.txt, from which the summary of the
 * targets is printed at the end.  Environment, for profiling runs only:
 * BENCH_ONLY=<key prefix> (one read operation, e.g. "verify.current"),
 * BENCH_BATCH_N=<n> (pledges of the batch workload); BENCH_VERIFY_OPS,
 * BENCH_SEARCH_OPS (operations per read row). */
#include "bench.h"
#include "store/sqlite.h"

#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

bench_cfg bench;

static size_t parse_size(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v <= 0)
        bench_die("bad size '%s'", s);
    if (*end == 'k' || *end == 'K')
        v *= 1e3, end++;
    else if (*end == 'M' || *end == 'm')
        v *= 1e6, end++;
    if (*end)
        bench_die("bad size '%s'", s);
    return (size_t)v;
}

static void parse_sizes(const char *list)
{
    char *copy = strdup(list), *save = NULL;
    bench.n_sizes = 0;
    for (char *t = strtok_r(copy, ",", &save); t && bench.n_sizes < 8;
         t = strtok_r(NULL, ",", &save))
        bench.sizes[bench.n_sizes++] = parse_size(t);
    free(copy);
}

static const char *size_label(size_t n, char out[24])
{
    if (n >= 1000000 && n % 1000000 == 0)
        snprintf(out, 24, "%zuM", n / 1000000);
    else if (n >= 1000 && n % 1000 == 0)
        snprintf(out, 24, "%zuk", n / 1000);
    else
        snprintf(out, 24, "%zu", n);
    return out;
}

/* ---- the summary of the targets ---------------------------------------------- */

typedef struct result {
    char key[128];
    double v;
} result;

static result *results;
static size_t n_results;

static void read_results(void)
{
    FILE *f = fopen(bench.results, "r");
    char key[128];
    double v;
    if (!f)
        return;
    while (fscanf(f, "%127s %lf", key, &v) == 2) {
        result *r = realloc(results, (n_results + 1) * sizeof *r);
        if (!r)
            bench_die("out of memory");
        results = r;
        snprintf(results[n_results].key, sizeof results[n_results].key, "%s", key);
        results[n_results++].v = v;
    }
    fclose(f);
}

/* The last value recorded for @key, or NAN-like -1 when absent. */
static bool get(const char *fmt, double *out, ...) __attribute__((format(printf, 1, 3)));
static bool get(const char *fmt, double *out, ...)
{
    char key[128];
    va_list ap;
    va_start(ap, out);
    vsnprintf(key, sizeof key, fmt, ap);
    va_end(ap);
    for (size_t i = n_results; i-- > 0;)
        if (strcmp(results[i].key, key) == 0) {
            *out = results[i].v;
            return true;
        }
    return false;
}

static void target(const char *what, bool have, bool met, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void target(const char *what, bool have, bool met, const char *fmt, ...)
{
    va_list ap;
    printf("  [%s] %-44s ", !have ? "NOT RUN" : met ? "met" : "MISSED", what);
    va_start(ap, fmt);
    if (have)
        vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

static void summary(void)
{
    double a = 0, b = 0, c = 0;
    size_t big = 0, small = (size_t)-1;
    char l1[24], l2[24];

    read_results();
    printf("\n## Targets\n");
    bool h = get("verify.current.%zu.ops_s", &a, (size_t)1000000);
    target("verify >= 100,000/s at 1M pledges", h, a >= 100000, "%.0f/s", a);
    h = get("verify.current.%zu.p99_us", &a, (size_t)1000000);
    target("verify p99 < 50 us at 1M", h, a < 50, "%.1f us", a);
    h = get("verify.current.%zu.ratio", &a, (size_t)1000000);
    target("verify ratio <= 1.5 at 1M", h, a <= 1.5, "%.2f", a);
    h = get("batch.rate_with_commit", &a);
    target("batch registration >= 20,000/s", h, a >= 20000, "%.0f/s (incl. the commit)", a);
    h = get("batch.ratio_with_commit", &a);
    target("batch registration ratio <= 3", h, a <= 3, "%.2f", a);
    h = get("lifecycle.total.ratio", &a);
    target("durable lifecycle ratio <= 1.3", h, a <= 1.3, "%.2f", a);
    for (size_t i = 0; i < bench.n_sizes; i++) {
        if (bench.sizes[i] > big)
            big = bench.sizes[i];
        if (bench.sizes[i] < small)
            small = bench.sizes[i];
    }
    static const char *const searches[] = { "right", "party", "bank" };
    static const char *const whens[] = { "current", "as_of" };
    for (int s = 0; s < 3; s++)
        for (int w = 0; w < 2; w++) {
            char what[96];
            snprintf(what, sizeof what, "search %s %s: p99 < 1 ms at 10M", searches[s],
                     whens[w]);
            h = get("search.%s.%s.%zu.p99_us", &a, searches[s], whens[w], (size_t)10000000);
            target(what, h, a < 1000, "%.1f us", a);
            snprintf(what, sizeof what, "search %s %s: cost %s <= 2x %s", searches[s],
                     whens[w], size_label(big, l1), size_label(small, l2));
            h = big > small && get("search.%s.%s.%zu.mean_us", &b, searches[s], whens[w], big) &&
                get("search.%s.%s.%zu.mean_us", &c, searches[s], whens[w], small);
            target(what, h, b <= 2 * c, "%.1f us vs %.1f us (x%.2f)", b, c, c > 0 ? b / c : 0);
        }
    for (int w = 0; w < 2; w++) {
        char what[96];
        size_t at = big >= 1000000 ? (size_t)1000000 : big;
        snprintf(what, sizeof what, "search name %s: p99 < 2 ms at %s", whens[w],
                 size_label(at, l1));
        h = get("search.name.%s.%zu.p99_us", &a, whens[w], at);
        target(what, h, a < 2000, "%.1f us", a);
    }
    /* judged on the median; the p99 is printed beside it */
    h = get("review.engine.p99_us", &a) && get("review.engine.median_us", &b);
    target("review (engine), median < 1 ms", h, b < 1000, "median %.1f us, p99 %.1f us", b, a);
    h = get("review.step.p99_us", &a) && get("review.step.median_us", &b);
    target("review (durable workflow step), median < 1 ms", h, b < 1000,
           "median %.1f us, p99 %.1f us", b, a);
    for (size_t i = 0; i < bench.n_imports; i++) {
        char what[96];
        int mb = (int)bench.import_mb[i];
        snprintf(what, sizeof what, "import %d MB: >= 50 MB/s", mb);
        h = get("import.%d.mb_s", &a, mb);
        target(what, h, a >= 50, "%.1f MB/s", a);
        snprintf(what, sizeof what, "import %d MB: peak < 64 MB", mb);
        h = get("import.%d.peak_mb", &a, mb);
        target(what, h, a < 64, "%.1f MiB peak RSS", a);
    }
    h = get("bulk.filings_s", &a);
    target("bulk filing (pledger_file_batch) >= 10,000 receivables/s", h, a >= 10000,
           "%.0f filings/s (thread CPU)", a);
    h = get("bulk.ratio", &a);
    target("bulk filing <= 1.5x bare SQLite writing the same rows", h, a <= 1.5, "%.2f", a);
    h = get("exchange.import_items_s", &a);
    target("exchange batch of 10,000 imported at the office >= 5,000 items/s", h, a >= 5000,
           "%.0f items/s (thread CPU)", a);
    h = get("journal.events_s", &a);
    target("journal verification >= 500,000 events/s", h, a >= 500000,
           "%.0f events/s (pledger_journal_verify: chain + state check)", a);
    h = get("journal.chain_events_s", &a) && get("journal.base_events_s", &b);
    target("journal chain (pledger_journal_verify_chain) >= 500,000/s", h, a >= 500000,
           "%.0f events/s (baseline %.0f events/s)", a, b);
}

/* ---- main ----------------------------------------------------------------------- */

static void usage(void)
{
    puts("usage: pledger-bench [--quick] [--keep] [--dir=PATH] [--seed=N] [--sizes=10k,100k,1M]\n"
         "                     (--all | lifecycle batch read import review journal tree bulk exchange gen\n"
         "                      reports)");
}

int main(int argc, char **argv)
{
    bool want[11] = { false }, any = false, keep = false;
    static const char *const names[11] = { "lifecycle", "batch", "read", "import", "review",
                                            "journal", "tree", "bulk", "exchange", "gen",
                                            "reports" };
    const char *sizes = NULL;
    char dir_default[] = "bench-data";

    bench.dir = dir_default;
    bench.seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--all")) {
            for (int k = 0; k < 5; k++)
                want[k] = true;
            any = true;
        } else if (!strcmp(a, "--keep")) {
            keep = true;
        } else if (!strcmp(a, "--quick")) {
            bench.quick = true;
        } else if (!strncmp(a, "--dir=", 6)) {
            bench.dir = a + 6;
        } else if (!strncmp(a, "--seed=", 7)) {
            bench.seed = strtoull(a + 7, NULL, 10);
        } else if (!strncmp(a, "--sizes=", 8)) {
            sizes = a + 8;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage();
            return 0;
        } else {
            int k;
            for (k = 0; k < 11 && strcmp(a, names[k]); k++)
                ;
            if (k == 11) {
                usage();
                return 2;
            }
            want[k] = any = true;
        }
    }
    if (!any) {
        usage();
        return 2;
    }
    if (mkdir(bench.dir, 0755) && errno != EEXIST)
        bench_die("%s: %s", bench.dir, strerror(errno));
    if (bench.quick) {
        parse_sizes(sizes ? sizes : "2k,20k");
        bench.lifecycle_n = 20;
        bench.batch_n = 2000;
        bench.bulk_n = 1000;
        bench.verify_ops = 5000;
        bench.search_ops = 2000;
        bench.review_marks = 100000;
        bench.review_ops = 200;
        bench.import_mb[0] = 5;
        bench.n_imports = 1;
    } else {
        parse_sizes(sizes ? sizes : "10k,100k,1M");
        bench.lifecycle_n = 300;
        bench.batch_n = 100000;
        bench.bulk_n = 10000;
        bench.verify_ops = 100000;
        bench.search_ops = 20000;
        bench.review_marks = 1000000;
        bench.review_ops = 2000;
        bench.import_mb[0] = 100;
        bench.import_mb[1] = 1000;
        bench.n_imports = 2;
    }
    if (getenv("BENCH_BATCH_N")) /* for profiling runs */
        bench.batch_n = (size_t)atol(getenv("BENCH_BATCH_N"));
    if (getenv("BENCH_VERIFY_OPS")) /* fewer operations on a cold 10M registry */
        bench.verify_ops = (size_t)atol(getenv("BENCH_VERIFY_OPS"));
    if (getenv("BENCH_SEARCH_OPS"))
        bench.search_ops = (size_t)atol(getenv("BENCH_SEARCH_OPS"));
    bench.results = bench_path("results.txt");
    if (!keep)
        unlink(bench.results);

    struct utsname u;
    double load[3] = { 0 };
    time_t now = time(NULL);
    char when[64];
    uname(&u);
    getloadavg(load, 3);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&now));
    printf("# pledger-bench: pledger %s, SQLite %s, %s %s, %ld cores online, load %.1f %.1f "
           "%.1f, %s\n",
           pledger_version(), sqlite3_libversion(), u.sysname, u.machine,
           sysconf(_SC_NPROCESSORS_ONLN), load[0], load[1], load[2], when);
    printf("# seed %" PRIu64 ", scratch %s%s.\n# Latencies: wall clock per operation, in "
           "microseconds.  ops/s marked * and their ratio: thread CPU time (one core; time\n"
           "# the scheduler gave to other processes is not counted), else wall clock.  ratio = "
           "pledger's time per operation / the baseline's,\n# same process, interleaved.  "
           "Baseline connections use pledger's settings (WAL, synchronous=FULL, foreign keys,\n"
           "# cache_size, mmap_size).\n",
           bench.seed, bench.dir, bench.quick ? ", QUICK sizes (not the documented run)" : "");
    fflush(stdout);

    if (want[0])
        bench_child("lifecycle", wl_lifecycle, NULL);
    if (want[2]) {
        for (size_t i = 0; i < bench.n_sizes; i++)
            bench_child("read", wl_read, &bench.sizes[i]);
    }
    if (want[4])
        bench_child("review", wl_review, NULL);
    if (want[1])
        bench_child("batch", wl_batch, NULL);
    else if (want[5])
        bench_child("journal", wl_journal, NULL);
    if (want[6]) {
        for (size_t i = 0; i < bench.n_sizes; i++)
            bench_child("tree", wl_tree, &bench.sizes[i]);
    }
    if (want[7])
        bench_child("bulk", wl_bulk, NULL);
    if (want[8])
        bench_child("exchange", wl_exchange, NULL);
    if (want[10])
        bench_child("reports", wl_reports, NULL);
    /* gen: only build the registries of --sizes (for pledgerd's load runs) */
    for (size_t i = 0; want[9] && i < bench.n_sizes; i++) {
        char *path = bench_registry(bench.sizes[i]);
        printf("registry of %zu pledges: %s\n", bench.sizes[i], path);
        free(path);
    }
    if (want[3]) {
        for (size_t i = 0; i < bench.n_imports; i++)
            bench_child("import", wl_import, &bench.import_mb[i]);
    }
    summary();
    return 0;
}
