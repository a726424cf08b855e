/* The reference register: 6. import of generated files (tests/gen-register.py)
 * and 5. the review of a 20-mark trademark application against a register
 * of 1,000,000 marks.
 *
 * Import.  pledger_register_import() and the baseline each run in a child
 * process of their own, so each peak RSS is that import's alone.  The
 * baseline is the least a program needs to load the same file into the
 * same tables with bare SQLite: it reads the file in 1 MiB blocks, scans
 * each record's attributes (the generator's fixed layout: no schema
 * validation, no entity decoding, no normalisation beyond ASCII lower
 * case), computes the same SHA-256 digest column, and inserts the same
 * rows (ref_right, ref_owner, ref_trademark, its classes and groups) in
 * one transaction with prepared statements; duplicates are left to the
 * UNIQUE (kind, number) constraint instead of pledger's scratch table.
 *
 * Review.  The engine (pl_review_run, what pledger_application_review
 * runs inside its step) is timed alone in a read transaction; the whole
 * durable step (load, parse, review, findings row, journal event, commit)
 * is timed too.  The baseline is the minimum the trademark rules need
 * from the register: each of the 20 marks by number with its owner, and
 * the pledgor's marks sharing a similar-goods group (the bundling rule). */
#include "bench.h"
#include "store/sqlite.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "api/handle.h"
#include "base/date.h"
#include "model/application.h"
#include "rules/findings.h"
#include "rules/review.h"
#include "store/db.h"

#define RECORD_BYTES 252.5 /* gen-register.py's bytes per record */

/* gen-register.py's file of @count records (made once, kept). */
static char *register_file(size_t count)
{
    char name[64], *path, *cmd;
    snprintf(name, sizeof name, "register-%zu.xml", count);
    path = bench_path(name);
    if (bench_exists(path))
        return path;
    printf("   (generating %s with tests/gen-register.py)\n", name);
    fflush(stdout);
    if (asprintf(&cmd, "'%s' '%s' %zu '%s.tmp' && mv '%s.tmp' '%s'", PLEDGER_BENCH_PYTHON,
                 PLEDGER_BENCH_GEN_REGISTER, count, path, path, path) < 0)
        bench_die("out of memory");
    if (system(cmd) != 0)
        bench_die("gen-register.py failed: %s", cmd);
    free(cmd);
    return path;
}

/* The registries' clock: 2024-04-01T02:00Z, 1 ms more at each reading
 * (the journal refuses a clock that goes backwards). */
static int64_t clock_us = BENCH_T0;

static int64_t review_clock(void *payload)
{
    (void)payload;
    clock_us += 1000;
    return clock_us;
}

static pledger_registry *fresh_registry(const char *path)
{
    pledger_registry *reg = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    bench_unlink_db(path);
    o.office_code = "FZ01";
    bench_pl(NULL, pledger_open(&reg, path, &o), path);
    bench_pl(reg, pledger_set_clock(reg, review_clock, NULL), "set_clock");
    bench_pl(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR), "set_actor");
    return reg;
}

/* ---- the baseline import ------------------------------------------------------- */

/* The value of attribute @name in the tag starting at @s (up to @end). */
static bool attr(const char *s, const char *end, const char *name, const char **v, size_t *len)
{
    size_t n = strlen(name);
    for (const char *p = s + 1; p + n + 2 < end; p++) {
        if (p[-1] == ' ' && memcmp(p, name, n) == 0 && p[n] == '=' && p[n + 1] == '"') {
            const char *q = memchr(p + n + 2, '"', (size_t)(end - (p + n + 2)));
            if (!q)
                return false;
            *v = p + n + 2;
            *len = (size_t)(q - *v);
            return true;
        }
    }
    return false;
}

static int32_t date_days(const char *v, size_t len)
{
    if (len != 10)
        return 0;
    return pl_days_from_civil(atoi(v), (unsigned)atoi(v + 5), (unsigned)atoi(v + 8));
}

typedef struct base_import {
    sqlite3 *h;
    sqlite3_stmt *right, *owner, *tm, *cls, *grp;
    EVP_MD_CTX *md;
    uint64_t records;
    int64_t now;
} base_import;

static void base_record(base_import *b, const char *rec, const char *end)
{
    const char *tag_end = memchr(rec, '>', (size_t)(end - rec));
    const char *owner = tag_end ? memmem(tag_end, (size_t)(end - tag_end), "<owner ", 7) : NULL;
    const char *v;
    size_t len;
    unsigned char digest[32];
    char lower[256];

    if (!tag_end || !owner || owner > end)
        bench_die("baseline import: unexpected record layout");
    if (EVP_DigestInit_ex(b->md, EVP_sha256(), NULL) != 1 ||
        EVP_DigestUpdate(b->md, rec, (size_t)(end - rec)) != 1 ||
        EVP_DigestFinal_ex(b->md, digest, NULL) != 1)
        bench_die("SHA-256 failed");
    sqlite3_stmt *st = b->right;
    if (!attr(rec, tag_end, "number", &v, &len))
        bench_die("baseline import: no number");
    sqlite3_bind_text(st, 1, v, (int)len, SQLITE_STATIC);
    if (!attr(rec, tag_end, "status", &v, &len))
        bench_die("baseline import: no status");
    sqlite3_bind_text(st, 2, v, (int)len, SQLITE_STATIC);
    if (attr(rec, tag_end, "valid_from", &v, &len))
        sqlite3_bind_int(st, 3, date_days(v, len));
    if (attr(rec, tag_end, "valid_to", &v, &len))
        sqlite3_bind_int(st, 4, date_days(v, len));
    sqlite3_bind_int(st, 5, attr(rec, tag_end, "seized", &v, &len) && len == 4);
    sqlite3_bind_blob(st, 6, digest, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, b->now);
    if (sqlite3_step(st) != SQLITE_DONE)
        bench_die("baseline import: ref_right: %s", sqlite3_errmsg(b->h));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    int64_t id = sqlite3_last_insert_rowid(b->h);

    const char *oend = memchr(owner, '>', (size_t)(end - owner));
    st = b->owner;
    sqlite3_bind_int64(st, 1, id);
    if (!attr(owner, oend, "name", &v, &len) || len >= sizeof lower)
        bench_die("baseline import: owner name");
    sqlite3_bind_text(st, 2, v, (int)len, SQLITE_STATIC);
    for (size_t i = 0; i < len; i++)
        lower[i] = (v[i] >= 'A' && v[i] <= 'Z') ? (char)(v[i] + 32) : v[i];
    sqlite3_bind_text(st, 3, lower, (int)len, SQLITE_STATIC);
    if (!attr(owner, oend, "id", &v, &len))
        bench_die("baseline import: owner id");
    sqlite3_bind_text(st, 4, v, (int)len, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        bench_die("baseline import: ref_owner: %s", sqlite3_errmsg(b->h));
    sqlite3_reset(st);

    st = b->tm;
    sqlite3_bind_int64(st, 1, id);
    if (attr(rec, tag_end, "mark", &v, &len)) {
        sqlite3_bind_text(st, 2, v, (int)len, SQLITE_STATIC);
        for (size_t i = 0; i < len && i < sizeof lower; i++)
            lower[i] = (v[i] >= 'A' && v[i] <= 'Z') ? (char)(v[i] + 32) : v[i];
        sqlite3_bind_text(st, 3, lower, (int)len, SQLITE_STATIC);
    }
    if (attr(rec, tag_end, "family", &v, &len))
        sqlite3_bind_text(st, 4, v, (int)len, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        bench_die("baseline import: ref_trademark: %s", sqlite3_errmsg(b->h));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);

    if (attr(rec, tag_end, "classes", &v, &len)) {
        for (const char *p = v; p < v + len;) {
            sqlite3_bind_int64(b->cls, 1, id);
            sqlite3_bind_int(b->cls, 2, atoi(p));
            if (sqlite3_step(b->cls) != SQLITE_DONE)
                bench_die("baseline import: class: %s", sqlite3_errmsg(b->h));
            sqlite3_reset(b->cls);
            while (p < v + len && *p != ' ')
                p++;
            while (p < v + len && *p == ' ')
                p++;
        }
    }
    if (attr(rec, tag_end, "groups", &v, &len)) {
        for (const char *p = v; p + 4 <= v + len; p += 5) {
            sqlite3_bind_int64(b->grp, 1, id);
            sqlite3_bind_text(b->grp, 2, p, 4, SQLITE_STATIC);
            if (sqlite3_step(b->grp) != SQLITE_DONE)
                bench_die("baseline import: group: %s", sqlite3_errmsg(b->h));
            sqlite3_reset(b->grp);
        }
    }
    b->records++;
}

static uint64_t baseline_import(const char *db_path, const char *file, pledger_registry *like)
{
    base_import b = { 0 };
    FILE *f = fopen(file, "rb");
    size_t cap = 1 << 20, have = 0;
    char *buf = malloc(cap + 1);

    if (!f || !buf)
        bench_die("%s: %s", file, strerror(errno));
    bench_sq(b.h, sqlite3_open_v2(db_path, &b.h, SQLITE_OPEN_READWRITE, NULL), db_path);
    bench_exec(b.h, "PRAGMA journal_mode = WAL");
    bench_exec(b.h, "PRAGMA synchronous = FULL");
    bench_exec(b.h, "PRAGMA foreign_keys = ON");
    bench_mirror(b.h, like);
    b.right = bench_prepare(b.h, "INSERT INTO ref_right(kind, number, status, valid_from,"
                                 " valid_to, seized, frozen, digest, changed_at)"
                                 " VALUES (1, ?1, ?2, ?3, ?4, ?5, 0, ?6, ?7)");
    b.owner = bench_prepare(b.h, "INSERT INTO ref_owner(right_id, pos, name, name_key, id_type,"
                                 " id_number) VALUES (?1, 1, ?2, ?3, 1, ?4)");
    b.tm = bench_prepare(b.h, "INSERT INTO ref_trademark(right_id, mark, mark_key, family)"
                              " VALUES (?1, ?2, ?3, ?4)");
    b.cls = bench_prepare(b.h, "INSERT OR IGNORE INTO ref_trademark_class(right_id, nice)"
                               " VALUES (?1, ?2)");
    b.grp = bench_prepare(b.h, "INSERT OR IGNORE INTO ref_trademark_group(right_id, code)"
                               " VALUES (?1, ?2)");
    b.md = EVP_MD_CTX_new();
    b.now = BENCH_T0;
    bench_exec(b.h, "BEGIN IMMEDIATE");
    for (;;) {
        size_t got = fread(buf + have, 1, cap - have, f);
        have += got;
        buf[have] = '\0';
        char *p = buf, *rec, *end, *lim = buf + have;
        while ((rec = memmem(p, (size_t)(lim - p), "<trademark ", 11)) &&
               (end = memmem(rec, (size_t)(lim - rec), "</trademark>", 12))) {
            base_record(&b, rec, end);
            p = end + 12;
        }
        if (got == 0)
            break;
        /* keep the unfinished record (or what may be the start of a tag) */
        char *tail = memmem(p, (size_t)(lim - p), "<trademark ", 11);
        if (!tail)
            tail = lim - ((size_t)(lim - p) < 16 ? (size_t)(lim - p) : 16);
        have = (size_t)(buf + have - tail);
        memmove(buf, tail, have);
    }
    bench_exec(b.h, "COMMIT");
    sqlite3_finalize(b.right);
    sqlite3_finalize(b.owner);
    sqlite3_finalize(b.tm);
    sqlite3_finalize(b.cls);
    sqlite3_finalize(b.grp);
    EVP_MD_CTX_free(b.md);
    sqlite3_close(b.h);
    fclose(f);
    free(buf);
    return b.records;
}

/* ---- 6. import ----------------------------------------------------------------- */

typedef struct import_run {
    double seconds;
    double peak_mb;
    uint64_t records;
} import_run;

/* Run one import in a child; its figures come back through a pipe. */
static import_run run_import(bool pledger, const char *db_path, const char *file)
{
    int fd[2];
    import_run r = { 0, 0, 0 };
    if (pipe(fd))
        bench_die("pipe: %s", strerror(errno));
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        bench_die("fork: %s", strerror(errno));
    if (pid == 0) {
        close(fd[0]);
        int64_t t0;
        if (pledger) {
            pledger_registry *reg = fresh_registry(db_path);
            pledger_import_report *rep = NULL;
            t0 = bench_ns();
            bench_pl(reg, pledger_register_import(&rep, reg, file, NULL), "register_import");
            r.seconds = (double)(bench_ns() - t0) / 1e9;
            r.records = pledger_import_report_inserted(rep);
            if (pledger_import_report_rejected(rep))
                bench_die("import rejected %" PRIu64 " records: %s",
                          pledger_import_report_rejected(rep),
                          pledger_import_report_rejection_message(rep, 0));
            pledger_import_report_free(rep);
            pledger_close(reg);
        } else {
            pledger_registry *like = fresh_registry(db_path);
            t0 = bench_ns();
            r.records = baseline_import(db_path, file, like);
            r.seconds = (double)(bench_ns() - t0) / 1e9;
            pledger_close(like);
        }
        r.peak_mb = bench_peak_rss_mb();
        if (write(fd[1], &r, sizeof r) != (ssize_t)sizeof r)
            exit(3);
        exit(0);
    }
    close(fd[1]);
    ssize_t got = read(fd[0], &r, sizeof r);
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    if (got != (ssize_t)sizeof r || !WIFEXITED(status) || WEXITSTATUS(status))
        bench_die("%s import of %s failed", pledger ? "pledger" : "baseline", file);
    return r;
}

int wl_import(void *arg)
{
    double mb = *(double *)arg;
    size_t count = (size_t)(mb * 1e6 / RECORD_BYTES);
    char *file = register_file(count), *db = bench_path("import.db"),
         *bdb = bench_path("import-base.db"), key[64];
    struct stat st;

    if (stat(file, &st))
        bench_die("%s: %s", file, strerror(errno));
    double size_mb = (double)st.st_size / 1e6;
    import_run p = run_import(true, db, file);
    bench_unlink_db(db);
    import_run b = run_import(false, bdb, file);
    bench_unlink_db(bdb);
    if (p.records != count || b.records != count)
        bench_die("import: %" PRIu64 " and %" PRIu64 " records, expected %zu", p.records,
                  b.records, count);
    printf("\n## 6. Reference-register import: %s (%.0f MB, %zu trademark records), "
           "one transaction\n",
           strrchr(file, '/') + 1, size_mb, count);
    printf("   pledger : %7.2f s  %7.1f MB/s  %9.0f records/s  peak RSS %6.1f MiB\n",
           p.seconds, size_mb / p.seconds, (double)count / p.seconds, p.peak_mb);
    printf("   baseline: %7.2f s  %7.1f MB/s  %9.0f records/s  peak RSS %6.1f MiB   "
           "ratio %.2f\n",
           b.seconds, size_mb / b.seconds, (double)count / b.seconds, b.peak_mb,
           p.seconds / b.seconds);
    bench_note("each import in its own child process (peak RSS = that process's whole "
               "lifetime); baseline = line scanner + same rows + same digest column, "
               "no validation (see bench-refreg.c)");
    fflush(stdout);
    int m = (int)mb;
    snprintf(key, sizeof key, "import.%d.mb_s", m);
    bench_result(key, size_mb / p.seconds);
    snprintf(key, sizeof key, "import.%d.peak_mb", m);
    bench_result(key, p.peak_mb);
    snprintf(key, sizeof key, "import.%d.ratio", m);
    bench_result(key, p.seconds / b.seconds);
    snprintf(key, sizeof key, "import.%d.base_mb_s", m);
    bench_result(key, size_mb / b.seconds);
    free(file);
    free(db);
    free(bdb);
    return 0;
}

/* ---- 5. review ------------------------------------------------------------------ */

/* gen-register.py's uscc(n). */
static void gen_uscc(char out[19], unsigned n)
{
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static const int w[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
    static const int ow[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
    char org[9];
    int s = 0;
    snprintf(org, sizeof org, "%08u", 10000000 + n);
    for (int i = 0; i < 8; i++)
        s += (org[i] - '0') * ow[i];
    int c = 11 - s % 11;
    snprintf(out, 19, "91350100%s%c", org, c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c));
    s = 0;
    for (int i = 0; i < 17; i++)
        s += (int)(strchr(alphabet, out[i]) - alphabet) * w[i];
    out[17] = alphabet[(31 - s % 31) % 31];
    out[18] = '\0';
}

#define REVIEW_OWNER 42u
#define GEN_OWNERS 5000u
#define GEN_FIRST 10000000u

/* The trademark sample with the owner's 20 marks (5 families of 4). */
static char *review_document(size_t *len)
{
    char p[4096], *sample, *out = NULL, uscc[19];
    size_t n, size = 0;
    snprintf(p, sizeof p, "%s/app-trademark.xml", PLEDGER_BENCH_DATADIR);
    sample = bench_slurp(p, &n);
    char *a = strstr(sample, "<rights>"), *b = strstr(sample, "</rights>");
    FILE *f = open_memstream(&out, &size);
    if (!a || !b || !f)
        bench_die("the trademark sample has no <rights>");
    fwrite(sample, 1, (size_t)(a - sample), f);
    fputs("<rights>\n", f);
    for (unsigned k = 0; k < 5; k++) {
        unsigned family = REVIEW_OWNER + k * GEN_OWNERS;
        for (unsigned j = 0; j < 4; j++)
            fprintf(f,
                    "    <trademark>\n      <number>%u</number>\n      <classes>%u</classes>\n"
                    "      <goods>商品</goods>\n      <mark>MARK %u</mark>\n    </trademark>\n",
                    GEN_FIRST + 4 * family + j, 1 + family % 45, family);
    }
    fputs(b, f);
    fclose(f);
    free(sample);
    pledger_application *app = NULL;
    if (pledger_application_from_xml(&app, out, size))
        bench_die("review document: %s", pledger_errmsg(NULL));
    gen_uscc(uscc, REVIEW_OWNER);
    char name[64];
    snprintf(name, sizeof name, "Company %u Ltd.", REVIEW_OWNER);
    if (pledger_application_set(app, "pledgor/id", uscc) ||
        pledger_application_set(app, "pledgor/name", name))
        bench_die("review document: %s", pledger_errmsg(NULL));
    free(out);
    if (pledger_application_to_xml(&out, len, app))
        bench_die("review document: %s", pledger_errmsg(NULL));
    pledger_application_free(app);
    return out;
}


typedef struct rv_ctx {
    pledger_registry *reg;
    pl_app *app;
    pl_review_env *env;
    sqlite3 *h;
    sqlite3_stmt *mark, *bundle;
    const char *uscc;
    size_t bundled;
} rv_ctx;

/* The review engine alone, in a read transaction. */
static int op_engine(void *c, size_t i)
{
    rv_ctx *x = c;
    pl_findings f;
    pl_err e;
    (void)i;
    memset(&f, 0, sizeof f);
    if (pl_db_read_begin(x->reg->db, &e) || pl_review_run(x->reg->db, &e, x->app, x->env, &f))
        bench_die("review engine: %s", e.msg);
    pl_db_rollback(x->reg->db);
    int n = (int)f.n;
    pl_findings_clear(&f);
    return n;
}

/* What the trademark rules need from the register, bare SQLite. */
static int op_base_review(void *c, size_t i)
{
    rv_ctx *x = c;
    size_t rows = 0;
    int rc;
    (void)i;
    for (unsigned k = 0; k < 5; k++) {
        unsigned family = REVIEW_OWNER + k * GEN_OWNERS;
        char num[16];
        for (unsigned j = 0; j < 4; j++) {
            snprintf(num, sizeof num, "%u", GEN_FIRST + 4 * family + j);
            sqlite3_bind_text(x->mark, 1, num, -1, SQLITE_TRANSIENT);
            while ((rc = sqlite3_step(x->mark)) == SQLITE_ROW)
                rows++;
            bench_sq(x->h, rc, "mark");
            sqlite3_reset(x->mark);
        }
        /* the family's related marks (the same for each of its marks) */
        char fam[16];
        snprintf(num, sizeof num, "%u", GEN_FIRST + 4 * family);
        snprintf(fam, sizeof fam, "F%u", family);
        sqlite3_bind_text(x->bundle, 1, x->uscc, -1, SQLITE_STATIC);
        sqlite3_bind_text(x->bundle, 2, num, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(x->bundle, 3, fam, -1, SQLITE_TRANSIENT);
        while ((rc = sqlite3_step(x->bundle)) == SQLITE_ROW)
            x->bundled++;
        bench_sq(x->h, rc, "bundle");
        sqlite3_reset(x->bundle);
    }
    if (rows != 20)
        bench_die("review baseline: %zu of the 20 marks found", rows);
    return 0;
}

int wl_review(void *arg)
{
    (void)arg;
    size_t marks = bench.review_marks;
    char name[64], *db_path, *marker, *file, *xml, uscc[19];
    size_t xml_len;
    pledger_registry *reg;

    snprintf(name, sizeof name, "review-%zu.db", marks);
    db_path = bench_path(name);
    if (asprintf(&marker, "%s.done", db_path) < 0)
        bench_die("out of memory");
    if (!bench_exists(marker)) {
        file = register_file(marks);
        reg = fresh_registry(db_path);
        pledger_import_report *rep = NULL;
        int64_t t0 = bench_ns();
        bench_pl(reg, pledger_register_import(&rep, reg, file, NULL), "register_import");
        printf("   (imported %" PRIu64 " marks for the review in %.1f s)\n",
               pledger_import_report_inserted(rep), (double)(bench_ns() - t0) / 1e9);
        pledger_import_report_free(rep);
        pledger_close(reg);
        FILE *f = fopen(marker, "w");
        if (f)
            fclose(f);
        free(file);
    }
    /* each run reviews in a fresh copy of the imported register */
    char *work = bench_path("review-work.db");
    {
        bench_unlink_db(work);
        FILE *in = fopen(db_path, "rb"), *out = fopen(work, "wb");
        char buf[1 << 16];
        size_t got;
        if (!in || !out)
            bench_die("copying %s: %s", db_path, strerror(errno));
        while ((got = fread(buf, 1, sizeof buf, in)) > 0)
            if (fwrite(buf, 1, got, out) != got)
                bench_die("copying %s: %s", db_path, strerror(errno));
        if (fclose(out) || fclose(in))
            bench_die("copying %s: %s", db_path, strerror(errno));
    }
    free(db_path);
    db_path = work;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    reg = NULL;
    bench_pl(NULL, pledger_open(&reg, db_path, &o), db_path);
    {   /* after every event of the kept database (earlier runs' reviews) */
        sqlite3_stmt *st = NULL;
        sqlite3 *hh = pl_db_handle(reg->db);
        bench_sq(hh, sqlite3_prepare_v2(hh, "SELECT max(at_us) FROM journal", -1, &st, NULL),
                 "journal");
        bench_sq(hh, sqlite3_step(st), "journal");
        clock_us = sqlite3_column_int64(st, 0) + 1000000;
        sqlite3_finalize(st);
    }
    bench_pl(reg, pledger_set_clock(reg, review_clock, NULL), "clock");
    bench_pl(reg, pledger_set_actor(reg, "applicant-1", PLEDGER_ROLE_APPLICANT), "actor");

    xml = review_document(&xml_len);
    pledger_application *app = NULL;
    bench_pl(NULL, pledger_application_from_xml(&app, xml, xml_len), "from_xml");
    bench_pl(reg, pledger_application_save(reg, app), "save");
    char uuid[37];
    snprintf(uuid, sizeof uuid, "%s", pledger_application_uuid(app));
    pledger_application_free(app);

    /* the engine's input, as the step builds it */
    pl_err e;
    pl_doc *doc = NULL;
    (void)e;
    pl_app *papp = NULL;
    int32_t today = pl_date_of_instant(BENCH_T0, 480);
    if (pl_doc_parse(&doc, &e, xml, xml_len) || pl_doc_extract(doc, &e, today, &papp))
        bench_die("review document: %s", e.msg);
    pl_review_env env = { .today = today, .application_id = 1 };
    {
        sqlite3_stmt *st = NULL;
        sqlite3 *h = pl_db_handle(reg->db);
        bench_sq(h, sqlite3_prepare_v2(h, "SELECT id FROM application WHERE uuid = ?1", -1, &st,
                                       NULL), "app id");
        sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
        bench_sq(h, sqlite3_step(st), "app id");
        env.application_id = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }

    /* baseline: a plain connection to the same file */
    sqlite3 *h = NULL;
    bench_sq(h, sqlite3_open_v2(db_path, &h, SQLITE_OPEN_READONLY, NULL), db_path);
    bench_mirror(h, reg);
    sqlite3_stmt *mark = bench_prepare(
        h, "SELECT r.id, r.status, r.valid_to, r.seized, r.frozen, o.name, o.id_type,"
           " o.id_number FROM ref_right r JOIN ref_owner o ON o.right_id = r.id"
           " WHERE r.kind = 1 AND r.number = ?1");
    /* The related marks of a family: the family's other marks that the
     * pledgor owns and that share a similar-goods group with the given one
     * (walked from the family, as the rule needs, not from the owner's
     * whole portfolio). */
    sqlite3_stmt *bundle = bench_prepare(
        h, "SELECT r.number, r.status FROM ref_trademark t CROSS JOIN ref_right r"
           " ON r.id = t.right_id WHERE t.family = ?3 AND r.kind = 1 AND r.number <> ?2"
           " AND EXISTS (SELECT 1 FROM ref_owner o WHERE o.id_number = ?1 AND o.id_type = 1"
           "   AND o.right_id = r.id)"
           " AND EXISTS (SELECT 1 FROM ref_trademark_group g JOIN ref_trademark_group s"
           "   ON s.right_id = (SELECT id FROM ref_right WHERE kind = 1 AND number = ?2)"
           "   AND s.code = g.code WHERE g.right_id = r.id)");
    gen_uscc(uscc, REVIEW_OWNER);

    bench_series eng = { 0 }, base = { 0 }, step = { 0 };
    size_t findings = 0;
    char codes[512] = "";
    rv_ctx x = { reg, papp, &env, h, mark, bundle, uscc, 0 };
    for (size_t i = 0; i < bench.review_ops / 10; i++) {
        op_engine(&x, i);
        op_base_review(&x, i);
    }
    x.bundled = 0;
    bench_interleave(bench.review_ops, op_engine, &x, op_base_review, &x, &eng, &base, NULL,
                     NULL);
    size_t bundled = x.bundled;
    for (size_t i = 0; i < bench.review_ops / 10; i++) {
        pledger_review *rv = NULL;
        int64_t t0 = bench_ns();
        bench_pl(reg, pledger_application_review(&rv, reg, uuid), "review");
        series_add(&step, (double)(bench_ns() - t0));
        findings = pledger_review_count(rv);
        for (size_t k = 0; k < findings; k++) {
            const char *c = pledger_review_code(rv, k);
            if (!strstr(codes, c) && strlen(codes) + strlen(c) + 2 < sizeof codes) {
                strcat(codes, codes[0] ? " " : "");
                strcat(codes, c);
            }
        }
        pledger_review_free(rv);
    }

    bench_section("5. Review of a 20-mark trademark application, register of marks");
    snprintf(name, sizeof name, "review engine (%zu marks)", marks);
    bench_row("review.engine", name, &eng, &base);
    bench_row("review.step", "review: whole durable workflow step", &step, NULL);
    bench_note("%zu findings; baseline = the 20 marks by number with their owner, and per "
               "family the pledgor's other marks sharing a similar-goods group (%zu rows per "
               "run); engine = pl_review_run() in a read transaction",
               findings, bundled / bench.review_ops);
    if (codes[0])
        bench_note("finding codes: %s", codes);
    pl_app_free(papp);
    pl_doc_free(doc);
    pledger_free(xml);
    sqlite3_finalize(mark);
    sqlite3_finalize(bundle);
    sqlite3_close(h);
    pledger_close(reg);
    series_free(&eng);
    series_free(&base);
    series_free(&step);
    free(db_path);
    free(marker);
    return 0;
}
