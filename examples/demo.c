/* The end-to-end demo (`bash tools/run demo`): one trademark pledge from
 * the applicant's first, faulty application to a bank's verification,
 * then a change, a receivable pledged twice, a cancellation, the journal
 * and the figures of the year — told as a bank officer would follow it,
 * one step a paragraph.
 *
 *   demo REGISTRY.db [DATA-DIR]
 *
 * REGISTRY.db must not exist yet (tools/run deletes the old one); DATA-DIR
 * holds the reference register and the sample applications (default: the
 * examples/data directory of the source tree this demo was built from).
 * The clock is fixed: the story starts on Monday 1 April 2024 at 09:00 in
 * Fuzhou and every run prints the same, except the verification and
 * modification codes, which are random by design.
 *
 * Only the public API (<pledger/pledger.h>) is used.  The shorter
 * programs beside this one (acceptance-window.c, registrar-desk.c,
 * bank-verifier.c, register-import.c) are the ones to copy from. */
#define _POSIX_C_SOURCE 200809L /* strdup, isatty */
#include <pledger/pledger.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PLEDGER_EXAMPLES_DATADIR
#define PLEDGER_EXAMPLES_DATADIR "examples/data"
#endif

#define MINUTE_US INT64_C(60000000)
#define DAY_US INT64_C(86400000000)
#define BEIJING_US (8 * 60 * MINUTE_US) /* UTC+8 */

/* ---- small helpers: failures, the clock, printing ---------------------- */

static const char *db_path;

/* Stop the story at the first failure, with the library's message. */
static void check(int rc, const pledger_registry *reg, const char *what)
{
    if (rc == PLEDGER_OK)
        return;
    fprintf(stderr, "demo: %s failed: %s (%s)\n", what, pledger_errmsg(reg),
            pledger_strerror(rc));
    exit(1);
}

/* The registry reads "now" from this clock (pledger_set_clock), so every
 * run of the demo issues the same numbers at the same instants. */
static int64_t now_us;

static int64_t demo_clock(void *payload)
{
    (void)payload;
    return now_us;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* An instant given as Beijing time "YYYY-MM-DD HH:MM". */
static int64_t beijing(const char *text)
{
    int y, mo, d, h, mi;
    if (sscanf(text, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi) != 5)
        abort();
    return days_from_civil(y, mo, d) * DAY_US + (h * 60 + mi) * MINUTE_US - BEIJING_US;
}

/* Format an instant as Beijing time "YYYY-MM-DD HH:MM". */
static const char *show_instant(int64_t us, char buf[48])
{
    int64_t local = us + BEIJING_US;
    int64_t z = (local >= 0 ? local : local - DAY_US + 1) / DAY_US;
    int64_t mins = (local - z * DAY_US) / MINUTE_US;
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int y = (int)(yoe + era * 400 + (m <= 2));
    snprintf(buf, 48, "%04d-%02d-%02d %02d:%02d", y, m, d, (int)(mins / 60),
             (int)(mins % 60));
    return buf;
}

/* Move the clock and start a new step of the story. */
static void step(int n, const char *when, const char *title)
{
    now_us = beijing(when);
    printf("\n%d. %s  [%s]\n\n", n, title, when);
}

/* Print a paragraph wrapped at 78 columns, indented by 3. */
static void para(const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);

    const char *p = text;
    while (*p) {
        size_t len = strlen(p), cut = len;
        if (len > 75) {
            cut = 75;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = 75;
        }
        printf("   %.*s\n", (int)cut, p);
        p += cut;
        while (*p == ' ')
            p++;
    }
    printf("\n");
}

/* An amount in minor units as "CNY 3,000,000.00" (two decimals, as for
 * CNY; a real program asks the currency for its number of digits). */
static const char *show_money(int64_t minor, const char *currency, char buf[64])
{
    char digits[24], grouped[32];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)(minor / 100));
    size_t g = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[g++] = ',';
        grouped[g++] = digits[i];
    }
    grouped[g] = '\0';
    snprintf(buf, 64, "%.3s %s.%02lld", currency ? currency : "", grouped,
             (long long)(minor % 100));
    return buf;
}

/* ---- reading a certificate --------------------------------------------- */

/* A field of a pledge snapshot by its path in the pledge document
 * (pledger_pledge_field()), "" when the pledge has none. */
static const char *field(const pledger_pledge *p, const char *path)
{
    const char *v = pledger_pledge_field(p, path);
    return v ? v : "";
}

/* Print a certificate as a person reads it: its own facts from the
 * certificate (number, version, status, issue instant, code), the
 * pledge's from a snapshot of the version it was issued for. */
static void print_certificate(pledger_registry *reg, const pledger_certificate *c)
{
    pledger_pledge *p = NULL;
    char path[64], t[48], m[64];

    check(pledger_pledge_get_at(&p, reg, pledger_certificate_number(c),
                                pledger_certificate_issued_at(c)),
          reg, "pledger_pledge_get_at");
    printf("     +----------------------------------------------------------------\n");
    printf("     | CERTIFICATE OF PLEDGE REGISTRATION       version %d (%s)\n",
           pledger_certificate_version(c),
           pledger_certificate_status_of(c) == PLEDGER_CERTIFICATE_SUPERSEDED ? "superseded"
                                                                              : "current");
    printf("     |\n");
    printf("     | Registration number   %s\n", pledger_certificate_number(c));
    printf("     | Right, security       %s, %s\n", field(p, "kind"), field(p, "security"));
    static const char *const parties[] = { "pledgor", "pledgee" };
    for (int i = 0; i < 2; i++) {
        char name[32], id[32], type[32];
        snprintf(name, sizeof name, "%s/name", parties[i]);
        snprintf(id, sizeof id, "%s/id", parties[i]);
        snprintf(type, sizeof type, "%s/id/@type", parties[i]);
        printf("     | %-21s %s\n     | %-21s %s %s\n", i ? "Pledgee" : "Pledgor",
               field(p, name), "", strcmp(field(p, type), "uscc") ? field(p, type) : "USCC",
               field(p, id));
    }
    const char *label = "Pledged rights";
    for (size_t i = 0; i < pledger_pledge_right_count(p); i++) {
        snprintf(path, sizeof path, "rights/*[%zu]/classes", i + 1);
        const char *w = field(p, path);
        printf("     | %-21s No. %s%s%s%s\n", label, pledger_pledge_right_id(p, i),
               !w[0] ? "" : strchr(w, ' ') ? " (Nice classes " : " (Nice class ", w,
               w[0] ? ")" : "");
        label = "";
    }
    printf("     | Secured amount        %s\n",
           show_money(pledger_pledge_amount(p), pledger_pledge_currency(p), m));
    printf("     | Registration period   %s to %s\n", pledger_pledge_period_start(p),
           pledger_pledge_period_end(p));
    printf("     | Registered            %s (UTC+8)\n",
           show_instant(pledger_pledge_registered_at(p), t));
    printf("     | Issued                %s (UTC+8)\n",
           show_instant(pledger_certificate_issued_at(c), t));
    if (pledger_pledge_acceptance_number(p))
        printf("     | Acceptance number     %s\n", pledger_pledge_acceptance_number(p));
    printf("     | Verification code     %s\n", pledger_certificate_code(c));
    printf("     +----------------------------------------------------------------\n\n");
    pledger_pledge_free(p);
}

/* The verification code printed on the certificate of @number. */
static char *certificate_code(pledger_registry *reg, const char *number, int version)
{
    pledger_certificate *c = NULL;
    check(pledger_certificate_load(&c, reg, number, version), reg, "pledger_certificate_load");
    char *code = strdup(pledger_certificate_code(c));
    pledger_certificate_free(c);
    if (!code)
        check(PLEDGER_ENOMEM, NULL, "strdup");
    return code;
}

/* ---- the review's findings, as a table ---------------------------------- */

static void print_findings(const pledger_review *rv)
{
    size_t n = pledger_review_count(rv);
    if (n == 0) {
        printf("     (no findings)\n\n");
        return;
    }
    printf("     %-3s %-12s %-26s %s\n", "#", "severity", "code", "field");
    printf("     %-3s %-12s %-26s %s\n", "--", "--------", "----", "-----");
    for (size_t i = 0; i < n; i++) {
        const char *path = pledger_review_path(rv, i);
        printf("     %-3zu %-12s %-26s %s\n", i + 1,
               pledger_severity_name(pledger_review_severity(rv, i)),
               pledger_review_code(rv, i), path[0] ? path : "(the whole application)");
        /* the message, wrapped under the row */
        const char *msg = pledger_review_message(rv, i);
        while (*msg) {
            size_t len = strlen(msg), cut = len;
            if (len > 66) {
                cut = 66;
                while (cut > 0 && msg[cut] != ' ')
                    cut--;
                if (cut == 0)
                    cut = 66;
            }
            printf("         %.*s\n", (int)cut, msg);
            msg += cut;
            while (*msg == ' ')
                msg++;
        }
    }
    printf("\n");
}

/* ---- the story ------------------------------------------------------------ */

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "demo: cannot open %s (give the data directory as the second "
                        "argument)\n", path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)size + 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "demo: cannot read %s\n", path);
        exit(1);
    }
    fclose(f);
    buf[size] = '\0';
    *len = (size_t)size;
    return buf;
}

/* Registered receivable pledge: its number, its modification code and
 * what its review said (notices: they do not stop an application). */
typedef struct receivable_pledge {
    char *number;
    char *modcode;
    char notices[1024];
} receivable_pledge;

/* File, review, submit, accept and register a receivable pledge for a
 * pledgee; receivables are filed by the pledgee alone. */
static receivable_pledge pledge_receivable(pledger_registry *reg, const char *xml, size_t len,
                                           const char *pledgee, const char *pledgee_id,
                                           const char *amount)
{
    pledger_application *app = NULL;
    pledger_review *rv = NULL;
    receivable_pledge out = { NULL, NULL, "" };

    check(pledger_application_from_xml(&app, xml, len), NULL, "reading receivable.xml");
    check(pledger_application_set(app, "pledgee/name", pledgee), NULL, "set pledgee/name");
    check(pledger_application_set(app, "pledgee/id", pledgee_id), NULL, "set pledgee/id");
    check(pledger_application_set(app, "claim/amount", amount), NULL, "set claim/amount");
    check(pledger_set_actor(reg, pledgee, PLEDGER_ROLE_APPLICANT), reg, "set_actor");
    check(pledger_application_save(reg, app), reg, "save");
    const char *uuid = pledger_application_uuid(app);
    check(pledger_application_review(&rv, reg, uuid), reg, "review");
    if (pledger_review_count_severity(rv, PLEDGER_SEVERITY_BLOCKING) +
        pledger_review_count_severity(rv, PLEDGER_SEVERITY_CORRECTABLE) > 0) {
        print_findings(rv);
        fprintf(stderr, "demo: the receivable application does not pass its review\n");
        exit(1);
    }
    for (size_t i = 0, used = 0; i < pledger_review_count(rv) && used < sizeof out.notices;
         i++)
        used += (size_t)snprintf(out.notices + used, sizeof out.notices - used, "%s%s (%s)",
                                 used ? "; " : "", pledger_review_message(rv, i),
                                 pledger_review_code(rv, i));
    pledger_review_free(rv);
    check(pledger_application_submit(reg, uuid), reg, "submit");
    check(pledger_set_actor(reg, "clerk.lin", PLEDGER_ROLE_CLERK), reg, "set_actor");
    check(pledger_application_accept(NULL, reg, uuid), reg, "accept");
    check(pledger_set_actor(reg, "registrar.chen", PLEDGER_ROLE_REGISTRAR), reg, "set_actor");
    check(pledger_application_register(&out.number, &out.modcode, reg, uuid), reg,
          "register");
    pledger_application_free(app);
    return out;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: demo REGISTRY.db [DATA-DIR]\n");
        return 2;
    }
    db_path = argv[1];
    const char *data = argc > 2 ? argv[2] : PLEDGER_EXAMPLES_DATADIR;

    pledger_registry *reg = NULL;
    pledger_open_options opts = PLEDGER_OPEN_OPTIONS_INIT;
    char t[48], m1[64], m2[64];

    printf("pledger %s: a pledge from application to bank verification\n", pledger_version());
    printf("==================================================================\n");

    /* ---- 0. the registry ---- */
    opts.office_code = "FZ01"; /* the Fuzhou acceptance point */
    check(pledger_open(&reg, db_path, &opts), NULL, "pledger_open");
    check(pledger_set_clock(reg, demo_clock, NULL), reg, "pledger_set_clock");
    now_us = beijing("2024-04-01 09:00");
    printf("\n");
    para("The registry is one SQLite file, %s, opened for the acceptance point FZ01 "
         "in Fuzhou. Its clock is fixed for this story, which starts on Monday "
         "1 April 2024: every run issues the same numbers at the same instants.",
         db_path);

    /* ---- 1. the cast and the reference register ---- */
    step(1, "2024-04-01 09:00", "The reference register");
    para("Everyone in this story is fictional. pledger checks every identifier "
         "before it stores it (GB 32100 for unified social credit codes, GB 11643 "
         "for resident identity numbers) and keeps its normal form:");
    static const struct {
        const char *name;
        pledger_id_type type;
        const char *id;
    } cast[] = {
        { "Fujian Minjiang Foods Co., Ltd. (pledgor)", PLEDGER_ID_USCC, "91350100M000100Y43" },
        { "Qianhai Commercial Bank Co., Ltd.", PLEDGER_ID_USCC, "914403001922038216" },
        { "Fuzhou Harbour Bank Co., Ltd.", PLEDGER_ID_USCC, "91350100MA2Y00002L" },
        { "Shenzhen Seaside Supermarkets Co., Ltd.", PLEDGER_ID_USCC, "91440300MA5F00001A" },
        { "Hangzhou West Lake Tea Co., Ltd.", PLEDGER_ID_USCC, "91330100MA27X0003L" },
        { "Wang Fang (the applicants' agent)", PLEDGER_ID_RESIDENT, "11010519491231002x" },
        { "Minjiang's canning patent", PLEDGER_ID_PATENT, "ZL 201310699744.2" },
    };
    for (size_t i = 0; i < sizeof cast / sizeof cast[0]; i++) {
        char norm[64];
        check(pledger_id_normalize(norm, sizeof norm, cast[i].type, cast[i].id), NULL,
              "pledger_id_normalize");
        printf("     %-43s %-8s %s\n", cast[i].name, pledger_id_type_name(cast[i].type), norm);
    }
    printf("\n");
    char bad[64];
    int rc = pledger_id_normalize(bad, sizeof bad, PLEDGER_ID_USCC, "91350100M000100Y44");
    para("A code with one wrong character is refused (%s): %s", pledger_strerror(rc),
         pledger_errmsg(NULL));

    char register_path[4096];
    pledger_import_report *report = NULL;
    snprintf(register_path, sizeof register_path, "%s/demo-register.xml", data);
    check(pledger_set_actor(reg, "registrar.chen", PLEDGER_ROLE_REGISTRAR), reg, "set_actor");
    check(pledger_register_import(&report, reg, register_path, NULL), reg,
          "pledger_register_import");
    para("The registry office imports the reference register: what the trademark "
         "office, the patent office and the market regulator know about the rights "
         "these companies own. Minjiang Foods owns the marks MINJIANG (No. 12345678, "
         "classes 29 and 30) and MIN JIANG (No. 12345679, class 30, similar goods); "
         "its mark MINJIANG GOLD (No. 13572468) is seized by a court; WEST LAKE "
         "(No. 22334455) belongs to somebody else. Two patents and two equity "
         "holdings complete the register.");
    printf("     imported   %llu records (%llu new, %llu updated, %llu unchanged, "
           "%llu rejected)\n     file       %s\n     SHA-256    %.16s...\n\n",
           (unsigned long long)(pledger_import_report_inserted(report) +
                                pledger_import_report_updated(report) +
                                pledger_import_report_unchanged(report)),
           (unsigned long long)pledger_import_report_inserted(report),
           (unsigned long long)pledger_import_report_updated(report),
           (unsigned long long)pledger_import_report_unchanged(report),
           (unsigned long long)pledger_import_report_rejected(report), "demo-register.xml",
           pledger_import_report_sha256(report));
    pledger_import_report_free(report);

    /* ---- 2. a faulty application, all its findings at once ---- */
    step(2, "2024-04-01 09:30", "An application with many deficiencies");
    size_t len;
    char *xml = slurp(data, "trademark-draft.xml", &len);
    pledger_application *app = NULL;
    pledger_review *rv = NULL;
    check(pledger_application_from_xml(&app, xml, len), NULL, "reading trademark-draft.xml");
    free(xml);
    check(pledger_set_actor(reg, "wang.fang", PLEDGER_ROLE_APPLICANT), reg, "set_actor");
    check(pledger_application_save(reg, app), reg, "pledger_application_save");
    char *uuid = strdup(pledger_application_uuid(app));
    check(pledger_application_review(&rv, reg, uuid), reg, "pledger_application_review");
    para("Minjiang Foods wants a loan of 3,000,000.00 yuan from Qianhai Commercial Bank "
         "against its MINJIANG trademarks. Their agent, Wang Fang, fills in the "
         "application online in a hurry (examples/data/trademark-draft.xml) and saves "
         "it as draft %s. The preliminary review checks it against every rule of its "
         "kind and against the reference register, and reports every deficiency in "
         "one pass, each with the field it is about:", uuid);
    print_findings(rv);
    size_t n_block = pledger_review_count_severity(rv, PLEDGER_SEVERITY_BLOCKING);
    size_t n_corr = pledger_review_count_severity(rv, PLEDGER_SEVERITY_CORRECTABLE);
    size_t n_findings = pledger_review_count(rv);
    pledger_review_free(rv);
    rc = pledger_application_submit(reg, uuid);
    para("%zu findings: %zu blocking, %zu correctable. The library refuses to submit "
         "such a file (%s), so it never reaches the window twice.", n_findings, n_block,
         n_corr, pledger_strerror(rc));
    if (rc != PLEDGER_EREVIEW) {
        fprintf(stderr, "demo: the faulty application was not refused\n");
        return 1;
    }

    /* ---- 3. corrected, reviewed clean, submitted ---- */
    step(3, "2024-04-01 10:15", "The corrected application");
    static const struct {
        const char *path, *value;
    } fixes[] = {
        /* the bank's code, two digits swapped */
        { "pledgee/id", "914403001922038216" },
        /* drop the duplicate, the other owner's mark and the seized one ... */
        { "rights/right[4]", NULL },
        { "rights/right[3]", NULL },
        { "rights/right[2]", NULL },
        /* ... and pledge the similar mark with the first one */
        { "rights/right[2]/number", "12345679" },
        { "rights/right[2]/classes", "30" },
        { "rights/right[2]/goods", "tea; pastries" },
        { "rights/right[2]/mark", "MIN JIANG" },
        /* the amount, the end of the period, the contract, a joint filing */
        { "claim/amount", "300000000" },
        { "period/end", "2027-03-31" },
        { "contract/guarantee_scope", "principal, interest, penalties and enforcement costs" },
        { "contract/clauses", "parties addresses claim deadline rights scope" },
        { "filing/joint", "true" },
    };
    printf("     %-28s %s\n", "field", "new value");
    printf("     %-28s %s\n", "-----", "---------");
    for (size_t i = 0; i < sizeof fixes / sizeof fixes[0]; i++) {
        check(pledger_application_set(app, fixes[i].path, fixes[i].value), NULL,
              fixes[i].path);
        printf("     %-28s %s\n", fixes[i].path, fixes[i].value ? fixes[i].value : "(removed)");
    }
    /* The scanned documents: the library records name, size and SHA-256. */
    static const char *const materials[][2] = {
        { "commitment_letter", "commitment-letter.pdf" },
        { "main_contract", "loan-contract-QHB-2024-JK-0401.pdf" },
        { "pledge_contract", "pledge-contract-QHB-2024-ZY-0401.pdf" },
        { "identity", "business-licences.pdf" },
        { "power_of_attorney", "power-of-attorney-wang-fang.pdf" },
    };
    for (size_t i = 0; i < sizeof materials / sizeof materials[0]; i++) {
        char scan[128];
        int n = snprintf(scan, sizeof scan, "%%PDF-1.7 scan of %s", materials[i][1]);
        check(pledger_application_add_material(app, materials[i][0], materials[i][1], scan,
                                               (size_t)n),
              NULL, "pledger_application_add_material");
        printf("     %-28s %s\n", "materials/material (added)", materials[i][1]);
    }
    printf("\n");
    check(pledger_application_save(reg, app), reg, "pledger_application_save");
    check(pledger_application_review(&rv, reg, uuid), reg, "pledger_application_review");
    para("Wang Fang corrects every field the review named: %zu edits by field path "
         "(pledger_application_set) and %zu scanned documents attached. Saved again, "
         "the application is reviewed again:", sizeof fixes / sizeof fixes[0],
         sizeof materials / sizeof materials[0]);
    print_findings(rv);
    if (pledger_review_count_severity(rv, PLEDGER_SEVERITY_BLOCKING) +
        pledger_review_count_severity(rv, PLEDGER_SEVERITY_CORRECTABLE) > 0) {
        fprintf(stderr, "demo: the corrected application still has findings\n");
        return 1;
    }
    pledger_review_free(rv);
    check(pledger_application_submit(reg, uuid), reg, "pledger_application_submit");
    pledger_application_free(app);
    check(pledger_application_load(&app, reg, uuid), reg, "pledger_application_load");
    para("Nothing stops it now, and the application is submitted. Its state: %s.",
         pledger_app_state_name(pledger_application_state(app)));
    pledger_application_free(app);

    /* ---- 4. acceptance ---- */
    step(4, "2024-04-01 14:30", "Acceptance at the window");
    char *acceptance = NULL;
    check(pledger_set_actor(reg, "clerk.lin", PLEDGER_ROLE_CLERK), reg, "set_actor");
    check(pledger_application_accept(&acceptance, reg, uuid), reg,
          "pledger_application_accept");
    para("Clerk Lin at the Fuzhou window sees exactly the review the applicant saw, "
         "checks the originals and accepts the application. Acceptance number: %s.",
         acceptance);

    /* ---- 5. registration and the certificate ---- */
    step(5, "2024-04-02 14:00", "Registration and the certificate");
    char *number = NULL, *none = NULL;
    pledger_certificate *cert = NULL;
    check(pledger_set_actor(reg, "registrar.chen", PLEDGER_ROLE_REGISTRAR), reg, "set_actor");
    check(pledger_application_register(&number, &none, reg, uuid), reg,
          "pledger_application_register");
    check(pledger_certificate_load(&cert, reg, number, 0), reg, "pledger_certificate_load");
    para("The next afternoon registrar Chen registers the pledge: it exists from this "
         "instant, with the registration number %s. The certificate is a document the "
         "library produces (XML, share/pledger/pledger.xsd); printed, it reads:", number);
    print_certificate(reg, cert);
    pledger_certificate_free(cert);
    char *code_v1 = certificate_code(reg, number, 0);

    /* ---- 6. a bank verifies ---- */
    step(6, "2024-04-03 10:00", "A bank verifies the certificate");
    pledger_registry *bank = NULL;
    pledger_open_options ro = PLEDGER_OPEN_OPTIONS_INIT;
    ro.read_only = 1;
    check(pledger_open(&bank, db_path, &ro), NULL, "pledger_open (read-only)");
    check(pledger_set_clock(bank, demo_clock, NULL), bank, "pledger_set_clock");
    check(pledger_set_actor(bank, "officer.zhou", PLEDGER_ROLE_BANK), bank, "set_actor");
    pledger_verify_options vo = PLEDGER_VERIFY_OPTIONS_INIT;
    pledger_verification *v = NULL;
    vo.code = code_v1;
    check(pledger_verify(&v, bank, number, &vo), bank, "pledger_verify");
    para("Officer Zhou at Qianhai Commercial Bank opens the registry read-only and "
         "checks the certificate she was handed: its number and its verification code.");
    printf("     number %s, code %s: %s\n", number, code_v1,
           pledger_verification_code_status(v) == PLEDGER_CODE_MATCHED
               ? "genuine and current" : "NOT CURRENT");
    /* the pledge of the answer: the same snapshot pledger_pledge_get() gives */
    const pledger_pledge *vp = pledger_verification_pledge(v);
    printf("     state %s, version %d, rank %d, secured %s\n\n",
           pledger_pledge_state_name(pledger_pledge_state_of(vp)), pledger_pledge_version(vp),
           pledger_verification_rank(v),
           show_money(pledger_pledge_amount(vp), pledger_pledge_currency(vp), m1));
    pledger_verification_free(v);
    vo.code = "AAAA-BBBB-CCCC-DDDD";
    rc = pledger_verify(&v, bank, number, &vo);
    para("A forged certificate with the same number and another code gets no "
         "answer at all: %s.", pledger_strerror(rc));

    pledger_query q = PLEDGER_QUERY_INIT;
    pledger_cursor *cur = NULL;
    q.kind = PLEDGER_KIND_TRADEMARK;
    q.right_id = "12345679";
    check(pledger_search(&cur, bank, &q), bank, "pledger_search");
    para("Before lending more, she asks whether the mark MIN JIANG (No. 12345679) is "
         "pledged, and to whom:");
    printf("     %-22s %-7s %-32s %s\n", "number", "state", "pledgor", "pledgee");
    while (pledger_cursor_next(cur) == 1) {
        const pledger_pledge *hit = pledger_cursor_pledge(cur);
        printf("     %-22s %-7s %-32s %s\n", pledger_pledge_number(hit),
               pledger_pledge_state_name(pledger_pledge_state_of(hit)),
               pledger_pledge_pledgor_name(hit), pledger_pledge_pledgee_name(hit));
    }
    printf("     (%zu pledge%s)\n\n", pledger_cursor_count(cur),
           pledger_cursor_count(cur) == 1 ? "" : "s");
    pledger_cursor_free(cur);

    /* ---- 7. a change of the secured amount; the past stays answerable ---- */
    step(7, "2024-06-14 11:00", "A change of the secured amount");
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.amount = 450000000;
    ch.note = "loan raised to 4,500,000.00 by supplement QHB-2024-JK-0401-S1";
    check(pledger_pledge_change(reg, number, &ch, NULL), reg, "pledger_pledge_change");
    char *code_v2 = certificate_code(reg, number, 0);
    para("The loan is raised. The registrar records the new secured amount: the pledge "
         "gets version 2 and a new certificate (code %s); the first one is marked "
         "superseded. Nothing is overwritten.", code_v2);

    now_us = beijing("2024-06-20 09:00");
    vo = (pledger_verify_options)PLEDGER_VERIFY_OPTIONS_INIT;
    vo.code = code_v1;
    check(pledger_verify(&v, bank, number, &vo), bank, "pledger_verify");
    para("A week later another bank is shown the old certificate. Verified, it is "
         "genuine but %s: it was issued for version %d and superseded on %s; the pledge "
         "now stands at version %d.",
         pledger_verification_code_status(v) == PLEDGER_CODE_SUPERSEDED ? "out of date"
                                                                        : "NOT SUPERSEDED",
         pledger_verification_code_version(v),
         show_instant(pledger_verification_code_superseded_at(v), t),
         pledger_pledge_version(pledger_verification_pledge(v)));
    pledger_verification_free(v);

    para("And the bank's auditors ask what was pledged on 1 May 2024, before the change:");
    static const char *const instants[] = { "2024-05-01 12:00", "2024-06-20 09:00" };
    for (int i = 0; i < 2; i++) {
        vo = (pledger_verify_options)PLEDGER_VERIFY_OPTIONS_INIT;
        vo.as_of = beijing(instants[i]);
        check(pledger_verify(&v, bank, number, &vo), bank, "pledger_verify (point in time)");
        vp = pledger_verification_pledge(v);
        printf("     as of %s: version %d, %s, secured %s\n", instants[i],
               pledger_pledge_version(vp), pledger_pledge_state_name(pledger_pledge_state_of(vp)),
               show_money(pledger_pledge_amount(vp), pledger_pledge_currency(vp), m1));
        pledger_verification_free(v);
    }
    printf("\n");

    /* ---- 8. one receivable, two pledges, ranked ---- */
    step(8, "2024-07-01 10:00", "A receivable pledged twice");
    xml = slurp(data, "receivable.xml", &len);
    receivable_pledge first = pledge_receivable(reg, xml, len, "Qianhai Commercial Bank Co., Ltd.",
                                                "914403001922038216", "100000000");
    now_us = beijing("2024-07-08 15:00");
    receivable_pledge second = pledge_receivable(reg, xml, len, "Fuzhou Harbour Bank Co., Ltd.",
                                                 "91350100MA2Y00002L", "60000000");
    free(xml);
    para("Minjiang Foods also pledges what Seaside Supermarkets owes it under supply "
         "contract SS-2024-017: on 1 July to Qianhai Commercial Bank (%s), and on "
         "8 July the same receivable to Fuzhou Harbour Bank (%s). Receivables may carry "
         "several pledges, which rank by registration time. Each pledgee got a secret "
         "modification code, returned once, for every later change: %s and %s.",
         first.number, second.number, first.modcode, second.modcode);
    if (second.notices[0])
        para("Before the second registration, Fuzhou Harbour Bank's review told it: %s.",
             second.notices);
    q = (pledger_query)PLEDGER_QUERY_INIT;
    q.kind = PLEDGER_KIND_RECEIVABLE;
    q.right_id = "91440300MA5F00001A/SS-2024-017";
    check(pledger_search(&cur, bank, &q), bank, "pledger_search");
    printf("     %-4s %-22s %-16s %-16s %s\n", "rank", "number", "registered", "secured",
           "pledgee");
    while (pledger_cursor_next(cur) == 1) {
        const pledger_pledge *hit = pledger_cursor_pledge(cur);
        int rank = 0;
        check(pledger_rank(&rank, bank, pledger_pledge_number(hit), PLEDGER_AS_OF_CURRENT),
              bank, "pledger_rank");
        printf("     %-4d %-22s %-16s %-16s %s\n", rank, pledger_pledge_number(hit),
               show_instant(pledger_pledge_registered_at(hit), t),
               show_money(pledger_pledge_amount(hit), pledger_pledge_currency(hit), m1),
               pledger_pledge_pledgee_name(hit));
    }
    pledger_cursor_free(cur);
    int cmp = 0;
    check(pledger_compare(&cmp, bank, first.number, second.number), bank, "pledger_compare");
    printf("\n     %s ranks before %s\n\n", cmp < 0 ? first.number : second.number,
           cmp < 0 ? second.number : first.number);

    /* ---- 9. cancellation ---- */
    step(9, "2024-09-30 16:00", "Cancellation");
    check(pledger_set_actor(reg, "Qianhai Commercial Bank Co., Ltd.", PLEDGER_ROLE_APPLICANT),
          reg, "set_actor");
    rc = pledger_pledge_cancel(reg, first.number, "0000-0000-0000-0000", "loan repaid");
    para("Minjiang Foods repays Qianhai Commercial Bank, which cancels its receivable "
         "pledge online. A wrong modification code is refused (%s); with its own code "
         "the cancellation goes through:", pledger_strerror(rc));
    check(pledger_pledge_cancel(reg, first.number, first.modcode, "loan repaid"), reg,
          "pledger_pledge_cancel");
    pledger_pledge *pl = NULL;
    int rank2 = 0;
    check(pledger_pledge_get(&pl, bank, first.number), bank, "pledger_pledge_get");
    check(pledger_rank(&rank2, bank, second.number, PLEDGER_AS_OF_CURRENT), bank,
          "pledger_rank");
    printf("     %s is %s; %s now ranks %d\n\n", first.number,
           pledger_pledge_state_name(pledger_pledge_state_of(pl)), second.number, rank2);
    pledger_pledge_free(pl);

    /* ---- 10. the journal ---- */
    step(10, "2024-12-31 17:00", "The journal");
    int64_t bad_seq = -1, events = 0;
    check(pledger_set_actor(reg, "auditor.he", PLEDGER_ROLE_AUDITOR), reg, "set_actor");
    check(pledger_journal_verify(&bad_seq, &events, reg), reg, "pledger_journal_verify");
    para("Every step above appended one event to the journal: who, in which role, "
         "when, what, with a SHA-256 hash chained to the event before. The database "
         "refuses to update or delete an event, and the auditor's check recomputes "
         "the whole chain:");
    if (bad_seq == 0)
        printf("     journal verified: %lld events, chain intact\n\n", (long long)events);
    else
        printf("     journal BROKEN at event %lld: %s\n\n", (long long)bad_seq,
               pledger_errmsg(reg));

    /* ---- 11. statistics ---- */
    step(11, "2024-12-31 17:05", "The figures of 2024");
    pledger_stats_query sq = PLEDGER_STATS_QUERY_INIT;
    pledger_stats *st = NULL;
    sq.from = "2024-01-01";
    sq.to = "2024-12-31";
    check(pledger_stats_get(&st, bank, &sq), bank, "pledger_stats_get");
    para("At the end of the year the office reports its figures (all kinds, all "
         "offices):");
    printf("     registrations          %lld\n", (long long)pledger_stats_registrations(st));
    printf("     cancellations          %lld\n", (long long)pledger_stats_cancellations(st));
    printf("     in force at year end   %lld\n", (long long)pledger_stats_active(st));
    for (size_t i = 0; i < pledger_stats_currency_count(st); i++) {
        const char *cur_code = pledger_stats_currency(st, i);
        printf("     secured, registered    %s\n",
               show_money(pledger_stats_amount_registered(st, i), cur_code, m1));
        printf("     secured, in force      %s\n",
               show_money(pledger_stats_amount_active(st, i), cur_code, m2));
    }
    printf("\n");
    pledger_stats_free(st);

    pledger_close(bank);
    pledger_close(reg);

    printf("==================================================================\n");
    printf("The registry this story left is %s.\n", db_path);
    printf("Explore it with the command line, for example (the story's clock stopped\n"
           "at the end of 2024: its registrations' periods end in 2027, so the\n"
           "verification asks as of the story's last day; without --at it answers\n"
           "for today, the pledge expired once its period is over):\n\n");
    printf("  /usr/bin/python3 -m pledger verify --db %s %s --code %s --at 2024-12-31\n",
           db_path, number, code_v2);
    printf("  /usr/bin/python3 -m pledger search --db %s --party-id 91350100M000100Y43\n", db_path);
    printf("  /usr/bin/python3 -m pledger stats --db %s --from 2024-01-01 --to 2024-12-31\n", db_path);
#ifdef PLEDGER_DEMO_BUILDDIR
    printf("\n(Installed, they run as they are; from the build tree, run them in the\n"
           "shell that `meson devenv -C %s` opens.)\n", PLEDGER_DEMO_BUILDDIR);
#endif

    free(uuid);
    pledger_free(acceptance);
    pledger_free(number);
    pledger_free(none);
    free(code_v1);
    free(code_v2);
    pledger_free(first.number);
    pledger_free(first.modcode);
    pledger_free(second.number);
    pledger_free(second.modcode);
    return 0;
}
