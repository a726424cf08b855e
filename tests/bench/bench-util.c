/* Timing, statistics, the report, failures and deterministic identifiers. */
#include "bench.h"
#include "store/sqlite.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/handle.h"
#include "store/db.h"

/* ---- time and statistics ---------------------------------------------------- */

int64_t bench_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t bench_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#define BLOCK 100

void bench_interleave(size_t n, bench_op a, void *actx, bench_op b, void *bctx,
                      bench_series *sa, bench_series *sb,
                      void (*check)(void *ctx, size_t i, int ra, int rb), void *cctx)
{
    int ra[BLOCK], rb[BLOCK];
    for (size_t blk = 0; blk < n; blk += BLOCK) {
        size_t end = blk + BLOCK < n ? blk + BLOCK : n;
        for (int side = 0; side < 2; side++) {
            bool do_a = (side == 0) == (((blk / BLOCK) & 1) == 0);
            bench_op op = do_a ? a : b;
            void *ctx = do_a ? actx : bctx;
            bench_series *s = do_a ? sa : sb;
            int *r = do_a ? ra : rb;
            int64_t c0 = bench_cpu_ns();
            for (size_t i = blk; i < end; i++) {
                int64_t t0 = bench_ns();
                r[i - blk] = op(ctx, i);
                series_add(s, (double)(bench_ns() - t0));
            }
            s->cpu_ns += (double)(bench_cpu_ns() - c0);
        }
        if (check)
            for (size_t i = blk; i < end; i++)
                check(cctx, i, ra[i - blk], rb[i - blk]);
    }
}

void series_add(bench_series *s, double ns)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        double *v = realloc(s->ns, cap * sizeof *v);
        if (!v)
            bench_die("out of memory");
        s->ns = v;
        s->cap = cap;
    }
    s->ns[s->n++] = ns;
    s->total_ns += ns;
}

void series_free(bench_series *s)
{
    free(s->ns);
    memset(s, 0, sizeof *s);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double series_pct(bench_series *s, double pct)
{
    if (!s->n)
        return 0;
    qsort(s->ns, s->n, sizeof *s->ns, cmp_double);
    size_t i = (size_t)ceil(pct / 100.0 * (double)s->n);
    if (i > 0)
        i--;
    if (i >= s->n)
        i = s->n - 1;
    return s->ns[i];
}

double series_mean(const bench_series *s) { return s->n ? s->total_ns / (double)s->n : 0; }

double bench_peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* ---- the report ---------------------------------------------------------------- */

void bench_result(const char *key, double value)
{
    FILE *f = fopen(bench.results, "a");
    if (!f)
        bench_die("%s: %s", bench.results, strerror(errno));
    fprintf(f, "%s %.6g\n", key, value);
    fclose(f);
}

void bench_section(const char *title)
{
    printf("\n## %s\n", title);
    printf("%-38s %9s %10s %10s %11s %8s | %10s %10s %11s | %6s\n", "operation", "ops",
           "median us", "p99 us", "ops/s", "RSS MiB", "base med", "base p99", "base ops/s",
           "ratio");
    fflush(stdout);
}

void bench_note(const char *fmt, ...)
{
    va_list ap;
    fputs("   ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

void bench_row(const char *key, const char *label, bench_series *pl, bench_series *base)
{
    char k[160];
    double med = series_pct(pl, 50) / 1e3, p99 = series_pct(pl, 99) / 1e3;
    double pl_time = pl->cpu_ns > 0 ? pl->cpu_ns : pl->total_ns;
    double ops = pl_time > 0 ? (double)pl->n / (pl_time / 1e9) : 0;
    double rss = bench_peak_rss_mb();

    printf("%-38s %9zu %10.1f %10.1f %10.0f%s %8.1f", label, pl->n, med, p99, ops,
           pl->cpu_ns > 0 ? "*" : " ", rss);
    snprintf(k, sizeof k, "%s.median_us", key);
    bench_result(k, med);
    snprintf(k, sizeof k, "%s.p99_us", key);
    bench_result(k, p99);
    snprintf(k, sizeof k, "%s.ops_s", key);
    bench_result(k, ops);
    snprintf(k, sizeof k, "%s.mean_us", key);
    bench_result(k, pl_time / (double)pl->n / 1e3);
    snprintf(k, sizeof k, "%s.wall_mean_us", key);
    bench_result(k, series_mean(pl) / 1e3);
    snprintf(k, sizeof k, "%s.rss_mb", key);
    bench_result(k, rss);
    if (base && base->n) {
        double bmed = series_pct(base, 50) / 1e3, bp99 = series_pct(base, 99) / 1e3;
        double base_time = pl->cpu_ns > 0 && base->cpu_ns > 0 ? base->cpu_ns : base->total_ns;
        if (!(pl->cpu_ns > 0 && base->cpu_ns > 0))
            pl_time = pl->total_ns;
        double bops = (double)base->n / (base_time / 1e9);
        double ratio = (pl_time / (double)pl->n) / (base_time / (double)base->n);
        printf(" | %10.1f %10.1f %10.0f%s | %6.2f\n", bmed, bp99, bops,
               base->cpu_ns > 0 ? "*" : " ", ratio);
        snprintf(k, sizeof k, "%s.wall_ratio", key);
        bench_result(k, series_mean(pl) / series_mean(base));
        snprintf(k, sizeof k, "%s.ratio", key);
        bench_result(k, ratio);
        snprintf(k, sizeof k, "%s.base_ops_s", key);
        bench_result(k, bops);
    } else {
        printf(" | %10s %10s %11s | %6s\n", "-", "-", "-", "-");
    }
    fflush(stdout);
}

int bench_child(const char *what, int (*fn)(void *), void *arg)
{
    int status;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        bench_die("fork: %s", strerror(errno));
    if (pid == 0) {
        int rc = fn(arg);
        fflush(stdout);
        exit(rc); /* not _exit: LeakSanitizer checks the workload at exit */
    }
    if (waitpid(pid, &status, 0) < 0)
        bench_die("waitpid: %s", strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("   !! %s failed (%s %d)\n", what,
               WIFEXITED(status) ? "exit status" : "signal",
               WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        fflush(stdout);
        return 1;
    }
    return 0;
}

void bench_mirror(sqlite3 *to, pledger_registry *reg)
{
    static const char *const pragmas[] = { "mmap_size", "cache_size" };
    sqlite3 *from = pl_db_handle(reg->db);
    for (size_t i = 0; i < sizeof pragmas / sizeof pragmas[0]; i++) {
        char sql[96];
        sqlite3_stmt *st = NULL;
        snprintf(sql, sizeof sql, "PRAGMA %s", pragmas[i]);
        bench_sq(from, sqlite3_prepare_v2(from, sql, -1, &st, NULL), sql);
        bench_sq(from, sqlite3_step(st), sql);
        snprintf(sql, sizeof sql, "PRAGMA %s = %lld", pragmas[i],
                 (long long)sqlite3_column_int64(st, 0));
        sqlite3_finalize(st);
        bench_exec(to, sql);
    }
}

/* ---- failures ------------------------------------------------------------------ */

void bench_die(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("pledger-bench: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

void bench_pl(pledger_registry *reg, int rc, const char *what)
{
    if (rc)
        bench_die("%s: %s (%s)", what, pledger_errmsg(reg), pledger_strerror(rc));
}

void bench_sq(sqlite3 *h, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        bench_die("%s: %s", what, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
}

sqlite3_stmt *bench_prepare(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        bench_die("preparing %.80s: %s", sql, sqlite3_errmsg(h));
    return st;
}

void bench_exec(sqlite3 *h, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
        bench_die("%.80s: %s", sql, msg ? msg : sqlite3_errmsg(h));
}

/* ---- files ---------------------------------------------------------------------- */

char *bench_path(const char *name)
{
    char *p;
    if (asprintf(&p, "%s/%s", bench.dir, name) < 0)
        bench_die("out of memory");
    return p;
}

char *bench_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
        bench_die("%s: %s", path, strerror(errno));
    if (!(buf = malloc((size_t)n + 1)) || fread(buf, 1, (size_t)n, f) != (size_t)n)
        bench_die("%s: cannot read", path);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

bool bench_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

void bench_unlink_db(const char *path)
{
    char side[4096];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-journal", path);
    unlink(side);
}

/* ---- deterministic data ------------------------------------------------------- */

/* splitmix64: every stream of every seed is its own sequence. */
uint64_t rng_next(bench_rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

uint64_t rng_below(bench_rng *r, uint64_t n) { return n ? rng_next(r) % n : 0; }

void rng_seed(bench_rng *r, uint64_t seed, uint64_t stream)
{
    r->s = seed * UINT64_C(0x2545F4914F6CDD1D) + stream * UINT64_C(0x9E3779B97F4A7C15);
    rng_next(r);
}

/* Real region codes (GB/T 2260) of the offices' cities. */
static const char *const regions[] = {
    "350102", "440305", "110105", "310115", "330106", "510107", "420106",
    "320505", "370202", "210204", "500103", "610113", "430104", "120101",
};
#define N_REGIONS (sizeof regions / sizeof regions[0])

static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* GB 32100-2015: "91" + region + 9-character organisation code + check. */
void id_uscc(char out[19], uint64_t n)
{
    static const int w[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
    static const int ow[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
    char org[9];
    int s = 0;
    snprintf(org, sizeof org, "%08llu", (unsigned long long)(10000000 + n % 89999999));
    for (int i = 0; i < 8; i++)
        s += (org[i] - '0') * ow[i];
    int c = 11 - s % 11;
    snprintf(out, 19, "91%s%s%c", regions[(n / 7) % N_REGIONS], org,
             c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c));
    s = 0;
    for (int i = 0; i < 17; i++)
        s += (int)(strchr(uscc_alphabet, out[i]) - uscc_alphabet) * w[i];
    out[17] = uscc_alphabet[(31 - s % 31) % 31];
    out[18] = '\0';
}

/* GB 11643: region, birth date (1950-1999), sequence, check. */
void id_resident(char out[19], uint64_t n)
{
    static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
    static const char check[] = "10X98765432";
    int y = 1950 + (int)(n % 50), m = 1 + (int)(n / 50 % 12), d = 1 + (int)(n / 600 % 28);
    int s = 0;
    snprintf(out, 19, "%s%04d%02d%02d%03d", regions[n / 16800 % N_REGIONS], y, m, d,
             (int)(n % 1000));
    for (int i = 0; i < 17; i++)
        s += (out[i] - '0') * w[i];
    out[17] = check[s % 11];
    out[18] = '\0';
}

/* Since 2003: year, type, 7-digit serial, '.', check (weights 2..9). */
void id_patent(char out[16], uint64_t n)
{
    static const int types[] = { 1, 2, 3, 1, 2 };
    int s = 0;
    snprintf(out, 16, "%04d%d%07llu", 2005 + (int)(n % 15), types[n / 15 % 5],
             (unsigned long long)(n % 9999999 + 1));
    for (int i = 0; i < 12; i++)
        s += (out[i] - '0') * (2 + i % 8);
    s %= 11;
    out[12] = '.';
    out[13] = s == 10 ? 'X' : (char)('0' + s);
    out[14] = '\0';
}

void id_trademark(char out[12], uint64_t n)
{
    snprintf(out, 12, "%llu", (unsigned long long)(1000000 + n % 98999999));
}

void id_permit(char out[32], uint64_t n)
{
    char u[19];
    id_uscc(u, n / 3);
    snprintf(out, 32, "%s%03dP", u, (int)(n % 3) + 1);
}

void id_sea_area(char out[64], uint64_t n)
{
    snprintf(out, 64, "国海证%04dB%s%05llu", 2005 + (int)(n % 19), regions[n / 19 % N_REGIONS],
             (unsigned long long)(n / (19 * N_REGIONS) % 100000));
}

void id_land(char out[32], uint64_t n)
{
    snprintf(out, 32, "J%s%04d%05llu", regions[n % N_REGIONS],
             2016 + (int)(n / N_REGIONS % 8), (unsigned long long)(n / (8 * N_REGIONS) % 100000));
}

static const char *const cities[] = { "福州", "深圳", "北京", "上海", "杭州", "成都", "武汉",
                                      "苏州", "青岛", "大连", "重庆", "西安", "长沙", "天津" };
static const char *const words[] = { "闽江", "华信", "长青", "东方", "远航", "金桥", "瑞丰",
                                     "恒通", "海润", "天成", "新源", "宏达", "正泰", "博远",
                                     "嘉禾", "盛世" };
static const char *const trades[] = { "食品", "科技", "贸易", "机械", "纺织", "电子", "物流",
                                      "生物", "材料", "能源", "建设", "医药" };
static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周" };
static const char *const given[] = { "芳", "伟", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰",
                                     "娟", "涛", "明", "超", "秀英", "建华" };
static const char *const banks[] = { "中国工商银行", "中国农业银行", "中国银行",
                                     "中国建设银行", "交通银行", "招商银行", "兴业银行",
                                     "中信银行", "浦发银行", "民生银行" };

#define PICK(a, i) ((a)[(i) % (sizeof(a) / sizeof(a)[0])])

void name_company(char *out, size_t size, uint64_t n)
{
    snprintf(out, size, "%s%s%s%s有限公司", PICK(cities, n), PICK(words, n / 14),
             PICK(trades, n / 224), n % 5 == 0 ? "股份" : "");
    if (n >= 2688) { /* keep names distinct: a branch number */
        size_t len = strlen(out);
        snprintf(out + len, size - len, "（%llu）", (unsigned long long)(n / 2688));
    }
}

void name_person(char *out, size_t size, uint64_t n)
{
    snprintf(out, size, "%s%s", PICK(surnames, n), PICK(given, n / 10));
}

void name_bank(char *out, size_t size, uint64_t n)
{
    snprintf(out, size, "%s股份有限公司%s分行", PICK(banks, n), PICK(cities, n / 10));
    if (n >= 140) {
        size_t len = strlen(out);
        snprintf(out + len, size - len, "第%llu支行", (unsigned long long)(n / 140));
    }
}
