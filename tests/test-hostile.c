/* Hostile XML through the public API: entity expansion bombs, external
 * entities and DTDs, network references, nesting 10,000 deep, a 100 MB
 * attribute, invalid UTF-8 and documents in another namespace.  Each one
 * is given to pledger_application_from_xml() and, as a reference
 * register, to pledger_register_import_memory() and
 * pledger_register_import(); each must be refused with PLEDGER_EXML and a
 * message saying why (with its line), give no handle or report, leave the
 * database exactly as it was, read no file and open no connection: a
 * TCP listener on 127.0.0.1 stands in for the network and must see no
 * one, a secret file referenced by an external entity must appear
 * nowhere. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "testutil.h"
#include "store/sqlite.h"
#include "fixture.h"
#include "model/xml.h"

static char *dir, *path, *secret;
static pledger_registry *reg;
static int listener = -1;
static int port;

/* A listening socket nobody should ever connect to. */
static void listen_start(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ck_assert_int_ge(listener, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(listener, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(listener, 16), 0);
    ck_assert_int_eq(getsockname(listener, (struct sockaddr *)&a, &len), 0);
    port = ntohs(a.sin_port);
}

static int connections(void)
{
    int n = 0, c;
    while ((c = accept(listener, NULL, NULL)) >= 0) {
        close(c);
        n++;
    }
    ck_assert(errno == EAGAIN || errno == EWOULDBLOCK);
    return n;
}

static void setup(void)
{
    dir = pl_test_mkdir();
    path = pl_test_path(dir, "reg.db");
    secret = pl_test_path(dir, "secret.txt");
    pl_test_write(secret, "TOP-SECRET-4711\n", 16);
    PL_OK(NULL, fx_open(&reg, path, "FZ01", 0, -1));
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    /* something stored, so "unchanged" means something */
    char *num = NULL;
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_PATENT, &num, NULL));
    pledger_free(num);
    char *xml = pl_test_slurp(PLEDGER_TEST_DATADIR "/register-small.xml", NULL);
    pledger_import_report *rep = NULL;
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_OK(reg, pledger_register_import_memory(&rep, reg, xml, strlen(xml), NULL));
    ck_assert_uint_gt(pledger_import_report_inserted(rep), 0);
    pledger_import_report_free(rep);
    free(xml);
    listen_start();
}

static void teardown(void)
{
    close(listener);
    pledger_close(reg);
    free(path);
    free(secret);
    pl_test_rmdir(dir);
}

/* ---- the attacks -------------------------------------------------------- */

/* One attack, built for a root element (application or register). */
typedef struct attack {
    const char *name;
    char *(*build)(const char *root, size_t *len);
    const char *app_says;      /* in the message of application_from_xml */
    const char *import_says;   /* in the message of the register import (NULL: not an
                                * attack on a register) */
} attack;

static char *printf_doc(size_t *len, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *printf_doc(size_t *len, const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    ck_assert_int_ge(n, 0);
    *len = (size_t)n;
    return s;
}

static char *billion_laughs(const char *root, size_t *len)
{
    return printf_doc(len,
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE %s [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n"
        "<%s xmlns=\"urn:pledger:1\" kind=\"trademark\" version=\"1\">&lol9;</%s>\n",
        root, root, root);
}

/* Quadratic blowup: one big entity referenced many times. */
static char *quadratic(const char *root, size_t *len)
{
    size_t big = 50000, refs = 50000;
    char *s = malloc(big + refs * 3 + 512);
    ck_assert_ptr_nonnull(s);
    size_t n = (size_t)sprintf(s, "<!DOCTYPE %s [<!ENTITY a \"", root);
    memset(s + n, 'a', big);
    n += big;
    n += (size_t)sprintf(s + n, "\">]>\n<%s xmlns=\"urn:pledger:1\">", root);
    for (size_t i = 0; i < refs; i++) {
        memcpy(s + n, "&a;", 3);
        n += 3;
    }
    n += (size_t)sprintf(s + n, "</%s>\n", root);
    *len = n;
    return s;
}

static char *external_entity_file(const char *root, size_t *len)
{
    return printf_doc(len,
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE %s [<!ENTITY xxe SYSTEM \"file://%s\">]>\n"
        "<%s xmlns=\"urn:pledger:1\" kind=\"trademark\" version=\"1\">&xxe;</%s>\n",
        root, secret, root, root);
}

static char *external_entity_http(const char *root, size_t *len)
{
    return printf_doc(len,
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE %s [<!ENTITY xxe SYSTEM \"http://127.0.0.1:%d/entity\">]>\n"
        "<%s xmlns=\"urn:pledger:1\" kind=\"trademark\" version=\"1\">&xxe;</%s>\n",
        root, port, root, root);
}

static char *parameter_entity_http(const char *root, size_t *len)
{
    return printf_doc(len,
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE %s [<!ENTITY %% dtd SYSTEM \"http://127.0.0.1:%d/evil.dtd\"> %%dtd;]>\n"
        "<%s xmlns=\"urn:pledger:1\"/>\n",
        root, port, root);
}

static char *external_dtd_http(const char *root, size_t *len)
{
    return printf_doc(len,
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE %s SYSTEM \"http://127.0.0.1:%d/pledger.dtd\">\n"
        "<%s xmlns=\"urn:pledger:1\"/>\n",
        root, port, root);
}

static char *external_dtd_file(const char *root, size_t *len)
{
    return printf_doc(len,
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE %s PUBLIC \"-//EVIL//DTD//EN\" \"file://%s\">\n"
        "<%s xmlns=\"urn:pledger:1\"/>\n",
        root, secret, root);
}

/* Network references that need no DTD: XInclude, and a schema location
 * hint (libxml2 would fetch it if asked to assemble schemas from hints). */
static char *xinclude_http(const char *root, size_t *len)
{
    return printf_doc(len,
        "<?xml version=\"1.0\"?>\n"
        "<%s xmlns=\"urn:pledger:1\" xmlns:xi=\"http://www.w3.org/2001/XInclude\"%s>\n"
        "  <xi:include href=\"http://127.0.0.1:%d/part.xml\" parse=\"xml\"/>\n"
        "</%s>\n",
        root, strcmp(root, "application") ? "" : " kind=\"trademark\" version=\"1\"", port,
        root);
}

static char *schema_location_http(const char *root, size_t *len)
{
    return printf_doc(len,
        "<?xml version=\"1.0\"?>\n"
        "<%s xmlns=\"urn:pledger:1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
        " xsi:schemaLocation=\"urn:pledger:1 http://127.0.0.1:%d/pledger.xsd\"%s/>\n",
        root, port, strcmp(root, "application") ? "" : " kind=\"trademark\" version=\"1\"");
}

static char *deep_nesting(const char *root, size_t *len)
{
    size_t depth = 10000;
    char *s = malloc(depth * 7 + 256);
    ck_assert_ptr_nonnull(s);
    size_t n = (size_t)sprintf(s, "<%s xmlns=\"urn:pledger:1\">", root);
    for (size_t i = 0; i < depth; i++) {
        memcpy(s + n, "<a>", 3);
        n += 3;
    }
    for (size_t i = 0; i < depth; i++) {
        memcpy(s + n, "</a>", 4);
        n += 4;
    }
    n += (size_t)sprintf(s + n, "</%s>\n", root);
    *len = n;
    return s;
}

static char *huge_attribute(const char *root, size_t *len)
{
    size_t big = (size_t)100 * 1024 * 1024;
    char *s = malloc(big + 256);
    ck_assert_ptr_nonnull(s);
    size_t n = (size_t)sprintf(s, "<%s xmlns=\"urn:pledger:1\" as_of=\"", root);
    memset(s + n, 'x', big);
    n += big;
    n += (size_t)sprintf(s + n, "\"/>\n");
    *len = n;
    return s;
}

static char *invalid_utf8(const char *root, size_t *len)
{
    return printf_doc(len,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<%s xmlns=\"urn:pledger:1\" kind=\"trademark\" version=\"1\">\n"
        "  <pledgor type=\"organisation\"><name>\xc3\x28\xff\xfe</name></pledgor>\n"
        "</%s>\n",
        root, root);
}

/* Overlong encoding of '<' and a lone surrogate: both invalid UTF-8. */
static char *overlong_utf8(const char *root, size_t *len)
{
    return printf_doc(len,
        "<%s xmlns=\"urn:pledger:1\">\n\xc0\xbc\xed\xa0\x80</%s>\n", root, root);
}

/* Declared in another encoding: the bytes are still read as UTF-8. */
static char *latin1_declared(const char *root, size_t *len)
{
    return printf_doc(len,
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
        "<%s xmlns=\"urn:pledger:1\"><x>caf\xe9</x></%s>\n", root, root);
}

static char *other_namespace(const char *root, size_t *len)
{
    return printf_doc(len,
        "<?xml version=\"1.0\"?>\n"
        "<%s xmlns=\"urn:evil:1\" kind=\"trademark\" version=\"1\"/>\n", root);
}

static char *no_namespace(const char *root, size_t *len)
{
    return printf_doc(len, "<?xml version=\"1.0\"?>\n<%s kind=\"trademark\"/>\n", root);
}

static char *nul_byte(const char *root, size_t *len)
{
    char *s = printf_doc(len, "<%s xmlns=\"urn:pledger:1\">AB</%s>\n", root, root);
    *strchr(s, 'A') = '\0';
    return s;
}

static const attack attacks[] = {
    { "billion laughs", billion_laughs, "DOCTYPE", "DOCTYPE" },
    { "quadratic blowup", quadratic, "DOCTYPE", "DOCTYPE" },
    { "external entity (file)", external_entity_file, "DOCTYPE", "DOCTYPE" },
    { "external entity (http)", external_entity_http, "DOCTYPE", "DOCTYPE" },
    { "parameter entity (http)", parameter_entity_http, "DOCTYPE", "DOCTYPE" },
    { "external DTD (http)", external_dtd_http, "DOCTYPE", "DOCTYPE" },
    { "external DTD (file)", external_dtd_file, "DOCTYPE", "DOCTYPE" },
    /* in a register, a foreign element is a rejected record: see below */
    { "XInclude (http)", xinclude_http, "include", NULL },
    { "schemaLocation (http)", schema_location_http, "schemaLocation", "schemaLocation" },
    { "nesting 10,000 deep", deep_nesting, "nested deeper than 64",
      "nested deeper than 256 levels" },
    { "100 MB attribute", huge_attribute, "exceeds the limit", "longer than 1048576 bytes" },
    { "invalid UTF-8", invalid_utf8, "UTF-8", "UTF-8" },
    { "overlong UTF-8 and a surrogate", overlong_utf8, "UTF-8", "UTF-8" },
    /* a register honours a declared encoding: only the application refuses it */
    { "another encoding declared", latin1_declared, "UTF-8", NULL },
    { "another namespace", other_namespace, "urn:evil:1", "urn:evil:1" },
    { "no namespace", no_namespace, "expected 'urn:pledger:1'", "urn:pledger:1" },
    { "NUL byte", nul_byte, "NUL", "0x0" },
};
#define N_ATTACKS (int)(sizeof attacks / sizeof attacks[0])

static void assert_clean_message(const char *msg, const attack *a, const char *api,
                                 const char *says)
{
    ck_assert_msg(*msg, "%s: %s: no message", a->name, api);
    ck_assert_msg(strstr(msg, says) != NULL, "%s: %s: message '%s' does not say '%s'",
                  a->name, api, msg, says);
    ck_assert_msg(strstr(msg, "line ") != NULL, "%s: %s: message '%s' names no line", a->name,
                  api, msg);
    ck_assert_msg(strstr(msg, "TOP-SECRET") == NULL, "%s: %s: the secret file leaked: %s",
                  a->name, api, msg);
}

START_TEST(test_application_from_xml)
{
    const attack *a = &attacks[_i];
    size_t len = 0;
    char *doc = a->build("application", &len);
    pledger_application *app = (pledger_application *)&len; /* must become NULL */
    int rc = pledger_application_from_xml(&app, doc, len);
    ck_assert_msg(rc == PLEDGER_EXML, "%s: from_xml -> %d (%s): %s", a->name, rc,
                  pledger_strerror(rc), pledger_errmsg(NULL));
    ck_assert_ptr_null(app);
    ck_assert_int_eq(pledger_errcode(NULL), PLEDGER_EXML);
    assert_clean_message(pledger_errmsg(NULL), a, "application_from_xml", a->app_says);
    ck_assert_int_eq(connections(), 0);
    free(doc);
}
END_TEST

/* The one text @sql returns on the file (malloc'd), or an error. */
static int raw_text(const char *file, const char *sql, char **out)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    int rc = SQLITE_ERROR;
    *out = NULL;
    if (sqlite3_open_v2(file, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
        *out = strdup((const char *)sqlite3_column_text(st, 0));
        rc = *out ? SQLITE_OK : SQLITE_NOMEM;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return rc;
}

/* Every table but the journal. */
#define STORED                                                                            \
    "meta sequence calendar_day application application_right review pledge "            \
    "pledge_version pledge_right pledge_debtor certificate ref_right ref_owner "         \
    "ref_trademark "                                                                      \
    "ref_trademark_class ref_trademark_group ref_patent ref_allowance ref_holding "       \
    "ref_import_seen"

/* The journal's last event is the trace of a refused import, which says
 * @why (as the call's message did), and there are @events in all. */
static void assert_refusal_event(int64_t events, const char *why)
{
    char *ev = NULL;
    ck_assert_int_eq(fx_ck_raw_int(path, "SELECT count(*) FROM journal"), events);
    ck_assert_int_eq(fx_ck_raw_int(path, "SELECT operation = 'register_import' AND "
                                         "payload ->> '$.inserted' IS NULL FROM journal "
                                         "ORDER BY seq DESC LIMIT 1"), 1);
    ck_assert_int_eq(raw_text(path, "SELECT payload ->> '$.refused' FROM journal "
                                       "ORDER BY seq DESC LIMIT 1", &ev), 0);
    ck_assert_msg(strstr(ev, why) && !strncmp(ev, "line ", 5),
                  "the refusal event says '%s', not '%s'", ev, why);
    free(ev);
}

START_TEST(test_register_import)
{
    const attack *a = &attacks[_i];
    size_t len = 0;
    if (!a->import_says)
        return;
    char *doc = a->build("register", &len);
    char *before = fx_dump(path, STORED);
    int64_t events = fx_ck_raw_int(path, "SELECT count(*) FROM journal");
    pledger_import_report *rep = (pledger_import_report *)&len;
    int rc = pledger_register_import_memory(&rep, reg, doc, len, NULL);
    ck_assert_msg(rc == PLEDGER_EXML, "%s: import -> %d (%s): %s", a->name, rc,
                  pledger_strerror(rc), pledger_errmsg(reg));
    ck_assert_ptr_null(rep);
    ck_assert_int_eq(pledger_errcode(reg), PLEDGER_EXML);
    assert_clean_message(pledger_errmsg(reg), a, "register_import_memory", a->import_says);
    char *after = fx_dump(path, STORED);
    ck_assert_msg(strcmp(before, after) == 0, "%s: the import changed the database", a->name);
    assert_refusal_event(++events, a->import_says);
    free(after);

    /* the same from a file (but 100 MB under valgrind: the memory import
     * above ran the same streaming parser over it already) */
    if (len > ((size_t)64 << 20) && getenv("PLEDGER_VALGRIND")) {
        free(before);
        free(doc);
        return;
    }
    char *file = pl_test_path(dir, "register.xml");
    pl_test_write(file, doc, len);
    rep = (pledger_import_report *)&len;
    rc = pledger_register_import(&rep, reg, file, NULL);
    ck_assert_msg(rc == PLEDGER_EXML, "%s: import (file) -> %d (%s): %s", a->name, rc,
                  pledger_strerror(rc), pledger_errmsg(reg));
    ck_assert_ptr_null(rep);
    assert_clean_message(pledger_errmsg(reg), a, "register_import", a->import_says);
    after = fx_dump(path, STORED);
    ck_assert_msg(strcmp(before, after) == 0, "%s: the import changed the database", a->name);
    assert_refusal_event(++events, a->import_says);
    ck_assert_int_eq(connections(), 0);
    unlink(file);
    free(file);
    free(after);
    free(before);
    free(doc);
}
END_TEST

/* In a register, an element of another namespace is not a record: it is
 * rejected with its line and namespace, nothing is fetched, nothing of it
 * is stored (the import of the other records, here none, goes on). */
START_TEST(test_register_xinclude)
{
    size_t len = 0;
    char *doc = xinclude_http("register", &len);
    pledger_import_report *rep = NULL;
    const char *tables = "ref_right ref_owner ref_trademark ref_trademark_class "
                         "ref_trademark_group ref_patent ref_allowance ref_holding application "
                         "pledge pledge_version certificate";
    char *before = fx_dump(path, tables);
    PL_OK(reg, pledger_register_import_memory(&rep, reg, doc, len, NULL));
    ck_assert_int_eq(connections(), 0);
    ck_assert_uint_eq(pledger_import_report_inserted(rep), 0);
    ck_assert_uint_eq(pledger_import_report_updated(rep), 0);
    ck_assert_uint_eq(pledger_import_report_rejected(rep), 1);
    ck_assert_uint_eq(pledger_import_report_rejection_line(rep, 0), 3);
    ck_assert_ptr_nonnull(strstr(pledger_import_report_rejection_message(rep, 0),
                                 "http://www.w3.org/2001/XInclude"));
    char *after = fx_dump(path, tables);
    ck_assert_str_eq(before, after);
    pledger_import_report_free(rep);
    free(before);
    free(after);
    free(doc);
}
END_TEST

/* ---- records past their limits, and what surrounds them ------------------------------ */

/* Records of register-small.xml, so importing them again changes nothing. */
#define TM1                                                                                 \
    "<trademark number=\"10000001\" status=\"registered\" mark=\"ACME\" family=\"F1\" "     \
    "classes=\"9\" groups=\"0907 0901\" valid_from=\"2014-01-07\" valid_to=\"2034-01-06\">" \
    "<owner name=\"ACME Technology Co., Ltd.\" id_type=\"uscc\" id=\"91350100M000100Y43\"/>" \
    "</trademark>\n"
#define TM2                                                                                 \
    "<trademark number=\"10000002\" status=\"registered\" mark=\"ACME\" family=\"F1\" "     \
    "classes=\"9\" groups=\"0907\" valid_from=\"2015-03-01\" valid_to=\"2025-02-28\">"     \
    "<owner name=\"ACME Technology Co., Ltd.\" id_type=\"uscc\" id=\"91350100M000100Y43\"/>" \
    "</trademark>\n"
#define HOSTILE_OPEN                                                                        \
    "<trademark number=\"10000003\" status=\"registered\" classes=\"9\" "                  \
    "valid_from=\"2014-01-07\" valid_to=\"2034-01-06\""
#define OWNER "<owner name=\"n\" id_type=\"uscc\" id=\"91350100M000100Y43\"/>\n"
#define MIB ((size_t)1 << 20)

/* @what @n times. */
static void repeat(FILE *f, const char *what, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(fputs(what, f) >= 0, 1);
}

/* @c, @n bytes of it. */
static void run(FILE *f, char c, size_t n)
{
    char buf[4096];
    memset(buf, c, sizeof buf);
    for (size_t k; n > 0; n -= k) {
        k = n < sizeof buf ? n : sizeof buf;
        ck_assert_uint_eq(fwrite(buf, 1, k, f), k);
    }
}

/* What goes on line 3 of the file, between TM1 and TM2, about @mb MiB. */
static void many_children(FILE *f, size_t mb)
{
    fputs(HOSTILE_OPEN ">\n", f);
    repeat(f, OWNER, mb * MIB / (sizeof OWNER - 1));
    fputs("</trademark>\n", f);
}

static void many_bytes(FILE *f, size_t mb)
{
    (void)mb;
    fputs(HOSTILE_OPEN ">\n", f);
    for (int i = 0; i < 200; i++) { /* 200 owners of 8 KiB: 1.6 MiB */
        fputs("<owner id_type=\"uscc\" id=\"91350100M000100Y43\" name=\"", f);
        run(f, 'n', 8192);
        fputs("\"/>\n", f);
    }
    fputs("</trademark>\n", f);
}

static void deep(FILE *f, size_t mb)
{
    (void)mb;
    fputs(HOSTILE_OPEN ">", f);
    repeat(f, "<owner>", 30);
    repeat(f, "</owner>", 30);
    fputs("</trademark>\n", f);
}

static void long_attribute(FILE *f, size_t mb)
{
    (void)mb;
    fputs(HOSTILE_OPEN " mark=\"", f);
    run(f, 'm', 100000);
    fputs("\">" OWNER "</trademark>\n", f);
}

static void long_text(FILE *f, size_t mb)
{
    fputs(HOSTILE_OPEN ">" OWNER, f);
    run(f, 't', mb * MIB);
    fputs("</trademark>\n", f);
}

static void namespaces_everywhere(FILE *f, size_t mb)
{
    char decl[64];
    fputs(HOSTILE_OPEN ">\n", f);
    for (size_t i = 0, n = mb * MIB / 4000; i < n; i++) {
        fputs("<owner", f);
        for (int k = 0; k < 200; k++) {
            snprintf(decl, sizeof decl, " xmlns:p%d=\"urn:x:%d\"", k, k);
            fputs(decl, f);
        }
        fputs("/>\n", f);
    }
    fputs("</trademark>\n", f);
}

/* Between records, or in a start tag: past the lexical guard. */
static void huge_comment(FILE *f, size_t mb)
{
    fputs("<!--", f);
    run(f, 'c', mb * MIB);
    fputs("-->\n", f);
}

static void huge_pi(FILE *f, size_t mb)
{
    fputs("<?pi ", f);
    run(f, 'p', mb * MIB);
    fputs("?>\n", f);
}

static void many_attributes(FILE *f, size_t mb)
{
    char a[32];
    fputs(HOSTILE_OPEN, f);
    for (size_t i = 0, n = mb * MIB / 12; i < n; i++) {
        snprintf(a, sizeof a, " a%zu=\"\"", i);
        fputs(a, f);
    }
    fputs(">" OWNER "</trademark>\n", f);
}

static void long_name(FILE *f, size_t mb)
{
    fputc('<', f);
    run(f, 'n', mb * MIB);
    fputs("/>\n", f);
}

static void many_declarations(FILE *f, size_t mb)
{
    (void)mb;
    char decl[64];
    fputs(HOSTILE_OPEN, f);
    for (int k = 0; k < 300; k++) {
        snprintf(decl, sizeof decl, " xmlns:p%d=\"urn:x:%d\"", k, k);
        fputs(decl, f);
    }
    fputs(">" OWNER "</trademark>\n", f);
}

typedef struct big_case {
    const char *name;
    void (*write)(FILE *f, size_t mb);
    size_t mb;        /* about how large */
    bool doctype;     /* before the root instead of line 3 */
    int rc;           /* 0: the record is rejected; PLEDGER_EXML: the file is refused */
    const char *says; /* in the rejection or in the refusal */
} big_case;

static void doctype_subset(FILE *f, size_t mb)
{
    char e[64];
    fputs("<!DOCTYPE register [\n", f);
    for (size_t i = 0, n = mb * MIB / 40; i < n; i++) {
        snprintf(e, sizeof e, "<!ENTITY e%zu \"0123456789abcdef\">\n", i);
        fputs(e, f);
    }
    fputs("]>\n", f);
}

static const big_case big_cases[] = {
    /* the case of the issue: one record of 200 MB, millions of children */
    { "one record of millions of children", many_children, 200, false, 0,
      "more than 1024 elements (the limit of a record)" },
    { "a record of 1.6 MiB", many_bytes, 2, false, 0, "more than 1048576 bytes" },
    { "nesting 30 deep in a record", deep, 0, false, 0, "nested more than 8 levels" },
    { "an attribute of 100,000 bytes", long_attribute, 0, false, 0,
      "a value of 100000 bytes; the limit is 16384" },
    { "a text of 8 MiB", long_text, 8, false, 0, "the limit" },
    { "200 namespaces on each of many elements", namespaces_everywhere, 16, false, 0,
      "the limit" },
    { "a comment of 32 MiB", huge_comment, 32, false, PLEDGER_EXML,
      "line 3: a comment longer than 1048576 bytes" },
    { "a processing instruction of 32 MiB", huge_pi, 32, false, PLEDGER_EXML,
      "line 3: a processing instruction longer than 1048576 bytes" },
    { "a tag of 2.7 million attributes", many_attributes, 32, false, PLEDGER_EXML,
      "line 3: a tag with more than 256 attributes" },
    { "an element name of 32 MiB", long_name, 32, false, PLEDGER_EXML,
      "line 3: a tag longer than 1048576 bytes" },
    { "300 namespace declarations", many_declarations, 0, false, PLEDGER_EXML,
      "line 3: a tag with more than 256 attributes" },
    { "a DOCTYPE of 64 MiB of entities", doctype_subset, 64, true, PLEDGER_EXML,
      "line 1: a DOCTYPE declaration is not allowed" },
};
#define N_BIG (int)(sizeof big_cases / sizeof big_cases[0])

/* Whether peak memory means anything here: not under AddressSanitizer
 * (its shadow memory and the quarantine of freed blocks) nor valgrind. */
#if defined(__SANITIZE_ADDRESS__)
#define PEAK_MEANINGFUL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PEAK_MEANINGFUL 0
#endif
#endif
#ifndef PEAK_MEANINGFUL
#define PEAK_MEANINGFUL 1
#endif

/* A generous guard of @peak KiB, where it means something. */
static void assert_peak(const char *name, long peak)
{
    ck_assert_msg(peak > 0, "%s: no peak measured", name);
    if (PEAK_MEANINGFUL && !getenv("PLEDGER_VALGRIND"))
        ck_assert_msg(peak < 64 * 1024, "%s: peak RSS %ld KiB", name, peak);
}

/* The peak resident memory of this process, in KiB (VmHWM). */
static long peak_kib(void)
{
    char line[256];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

/* Each case is written to a file in the test's directory, between two
 * records already stored, and imported from it in a child process that
 * reports its peak memory: the hostile record is rejected with its line
 * and the limit, the others are read (and change nothing), or the file
 * is refused and leaves its trace; either way nothing stored changes,
 * and the peak stays under 64 MiB.  PLEDGER_HOSTILE_MB caps the sizes
 * (the sanitizer build is slower). */
START_TEST(test_register_limits)
{
    const big_case *c = &big_cases[_i];
    size_t mb = c->mb;
    const char *cap = getenv("PLEDGER_HOSTILE_MB");
    if (cap && mb > (size_t)atoi(cap))
        mb = (size_t)atoi(cap);
    char *file = pl_test_path(dir, "hostile.xml");
    FILE *f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    if (c->doctype) {
        c->write(f, mb);
        fputs("<register xmlns=\"urn:pledger:1\">\n" TM1 TM2 "</register>\n", f);
    } else {
        fputs("<register xmlns=\"urn:pledger:1\">\n" TM1, f);
        c->write(f, mb);
        fputs(TM2 "</register>\n", f);
    }
    ck_assert_int_eq(fclose(f), 0);

    char *before = fx_dump(path, STORED);
    int64_t events = fx_ck_raw_int(path, "SELECT count(*) FROM journal");
    int fds[2];
    pledger_close(reg); /* no connection crosses the fork */
    reg = NULL;
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        pledger_registry *r = NULL;
        pledger_import_report *rep = NULL;
        close(fds[0]);
        fx_out_fd = fds[1];
        if (fx_open(&r, path, NULL, 0, -1) || pledger_set_actor(r, "registrar-1",
                                                                 PLEDGER_ROLE_REGISTRAR))
            fx_fatal(r, "open", 1);
        int rc = pledger_register_import(&rep, r, file, NULL);
        fx_say("%d %llu %llu %llu %llu %ld", rc,
               (unsigned long long)pledger_import_report_rejected(rep),
               (unsigned long long)pledger_import_report_unchanged(rep),
               (unsigned long long)pledger_import_report_inserted(rep) +
                   pledger_import_report_updated(rep),
               (unsigned long long)pledger_import_report_rejection_line(rep, 0), peak_kib());
        fx_say("%.400s", rc ? pledger_errmsg(r) : pledger_import_report_rejection_message(rep, 0));
        pledger_import_report_free(rep);
        pledger_close(r);
        _exit(0);
    }
    close(fds[1]);
    FILE *in = fdopen(fds[0], "r");
    char l1[512] = "", l2[512] = "";
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(fgets(l1, sizeof l1, in));
    ck_assert_ptr_nonnull(fgets(l2, sizeof l2, in));
    fclose(in);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    l2[strcspn(l2, "\n")] = '\0';

    int rc = -1;
    unsigned long long rejected, unchanged, changed, line;
    long peak = -1;
    ck_assert_msg(sscanf(l1, "%d %llu %llu %llu %llu %ld", &rc, &rejected, &unchanged,
                         &changed, &line, &peak) == 6, "%s: the child said %s %s", c->name,
                  l1, l2);
    printf("hostile: %s (%zu MiB): peak RSS %ld KiB: %s\n", c->name, mb, peak, l2);
    ck_assert_msg(rc == c->rc, "%s: import -> %d: %s", c->name, rc, l2);
    ck_assert_msg(strstr(l2, c->says), "%s: '%s' does not say '%s'", c->name, l2, c->says);
    if (!c->rc) {
        /* the record on line 3 is rejected, the two around it read */
        ck_assert_uint_eq(rejected, 1);
        ck_assert_uint_eq(line, 3);
        ck_assert_uint_eq(unchanged, 2);
        ck_assert_uint_eq(changed, 0);
        ck_assert_int_eq(fx_ck_raw_int(path, "SELECT count(*) FROM journal"), events + 1);
    } else {
        assert_refusal_event(events + 1, c->says + 8);
    }
    char *after = fx_dump(path, STORED);
    ck_assert_msg(strcmp(before, after) == 0, "%s: the import changed what was stored", c->name);
    /* a generous guard: 2.6 GB for the first case before it held records whole */
    assert_peak(c->name, peak);
    int64_t bad = -1, count = 0;
    char why[256];
    ck_assert_int_eq(fx_journal_verify(path, &bad, &count, why, sizeof why), 0);
    ck_assert_int_eq(bad, 0);
    unlink(file);
    free(file);
    free(before);
    free(after);
    PL_OK(NULL, fx_open(&reg, path, "FZ01", 0, -1));
}
END_TEST

/* ---- application documents: their limits ------------------------------------------ */

/* The trademark sample with @n more materials, written compactly: 3
 * items each (two elements and a text). */
static char *sample_with_materials(size_t n, size_t *len)
{
    size_t slen = 0;
    char *xml = fx_sample_xml(PLEDGER_KIND_TRADEMARK, &slen);
    static const char m[] = "<material><language>x</language></material>";
    ck_assert_ptr_nonnull(xml);
    char *at = strstr(xml, "<materials>");
    ck_assert_ptr_nonnull(at);
    at += strlen("<materials>");
    char *s = malloc(slen + n * (sizeof m - 1) + 1);
    ck_assert_ptr_nonnull(s);
    size_t k = (size_t)(at - xml);
    memcpy(s, xml, k);
    for (size_t i = 0; i < n; i++, k += sizeof m - 1)
        memcpy(s + k, m, sizeof m - 1);
    strcpy(s + k, at);
    *len = k + strlen(at);
    free(xml);
    return s;
}

/* A document of more than 100,000 items is refused; one under it is
 * read, but written back indented it would pass the limit: to_xml
 * refuses it, so that nothing is stored that could not be read again. */
START_TEST(test_application_items)
{
    size_t len = 0;
    char *doc = sample_with_materials(40000, &len);
    pledger_application *app = NULL;
    PL_FAILS(NULL, PLEDGER_EXML, pledger_application_from_xml(&app, doc, len));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "more than 100000 elements"));
    ck_assert_ptr_null(app);
    free(doc);

    doc = sample_with_materials(24000, &len);
    PL_OK(NULL, pledger_application_from_xml(&app, doc, len));
    char *xml = (char *)&len;
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_application_to_xml(&xml, &len, app));
    ck_assert_ptr_null(xml);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "can be read back"));
    pledger_application_free(app);
    free(doc);

    doc = sample_with_materials(1000, &len);
    PL_OK(NULL, pledger_application_from_xml(&app, doc, len));
    PL_OK(NULL, pledger_application_to_xml(&xml, &len, app));
    pledger_free(xml);
    pledger_application_free(app);
    free(doc);
}
END_TEST

/* The largest hostile documents, parsed in a child that reports its peak
 * memory, which includes the 16 MiB document itself. */
typedef struct app_case {
    const char *name;
    const char *unit; /* repeated inside <application> up to 16 MiB */
    const char *says;
} app_case;

static const app_case app_cases[] = {
    { "16 MiB of empty elements", "<a/>", "more than 100000 elements" },
    { "16 MiB of elements and texts", "<a>x</a>", "more than 100000 elements" },
    { "16 MiB of namespace declarations", "<a xmlns:p=\"u\" xmlns:q=\"v\"/>",
      "more than 100000 elements" },
    { "16 MiB of text", "xxxxxxxxxxxxxxxx", "line 1" },
    { "16 MiB of attributes in one tag", " a=\"\"", "more than 256 attributes" },
    /* comments and processing instructions are nodes too (none was
     * counted: 16 MiB of them took some 400 MB) */
    { "16 MiB of comments", "<!--c-->", "more than 10000 comments and processing "
      "instructions in a row" },
    { "16 MiB of processing instructions", "<?p?>", "more than 10000 comments and "
      "processing instructions in a row" },
    { "16 MiB of comments between elements", "<!--c--><!--c--><!--c--><a/>",
      "more than 100000 elements, attributes, namespace declarations, texts and comments" },
};
#define N_APP (int)(sizeof app_cases / sizeof app_cases[0])

START_TEST(test_application_memory)
{
    const app_case *c = &app_cases[_i];
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        size_t cap = PL_XML_MAX_SIZE, n = 0, ul = strlen(c->unit);
        char *s = malloc(cap);
        pledger_application *app = NULL;
        close(fds[0]);
        fx_out_fd = fds[1];
        if (!s)
            _exit(4);
        n += (size_t)sprintf(s, "<application xmlns=\"urn:pledger:1\" kind=\"trademark\" "
                                "version=\"1\"%s", c->unit[0] == ' ' ? "" : ">");
        while (n + ul + 32 < cap) {
            memcpy(s + n, c->unit, ul);
            n += ul;
        }
        n += (size_t)sprintf(s + n, "%s</application>", c->unit[0] == ' ' ? ">" : "");
        int rc = pledger_application_from_xml(&app, s, n);
        fx_say("%d %ld", rc, peak_kib());
        fx_say("%.400s", pledger_errmsg(NULL));
        _exit(0);
    }
    close(fds[1]);
    FILE *in = fdopen(fds[0], "r");
    char l1[512] = "", l2[512] = "";
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(fgets(l1, sizeof l1, in));
    ck_assert_ptr_nonnull(fgets(l2, sizeof l2, in));
    fclose(in);
    int status = 0, rc = 0;
    long peak = -1;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    l2[strcspn(l2, "\n")] = '\0';
    ck_assert_int_eq(sscanf(l1, "%d %ld", &rc, &peak), 2);
    printf("hostile: application, %s: peak RSS %ld KiB: %s\n", c->name, peak, l2);
    ck_assert_int_eq(rc, PLEDGER_EXML);
    ck_assert_msg(strstr(l2, c->says), "%s: '%s' does not say '%s'", c->name, l2, c->says);
    assert_peak(c->name, peak);
}
END_TEST

/* The guard sees the same whatever the pieces it is fed: a DOCTYPE split
 * anywhere is found, one in a comment, a CDATA section or an attribute
 * value is not a DOCTYPE, and '=' in a value is not an attribute. */
START_TEST(test_guard_pieces)
{
    static const char ok[] = "<?xml version=\"1.0\"?>\n<!-- <!DOCTYPE x> -->\n"
                             "<r a=\"<!DOCTYPE b=c\" d='='><![CDATA[<!DOCTYPE]]>t<e/></r>\n";
    static const char bad[] = "<?xml version=\"1.0\"?>\n<!-- c -->\n\n<!DOCTYPE r>\n<r/>\n";
    pl_xml_guard whole, g;
    pl_xml_guard_init(&whole);
    ck_assert_int_eq(pl_xml_guard_feed(&whole, ok, sizeof ok - 1), 0);
    /* two newlines of the prolog, the comment, r, a, d, the CDATA section, t, e, the
     * final newline (the XML declaration is none) */
    ck_assert_uint_eq(whole.items, 10);
    for (size_t piece = 1; piece < sizeof bad; piece++) {
        pl_xml_guard_init(&g);
        for (size_t i = 0; i < sizeof ok - 1; i += piece)
            ck_assert_int_eq(pl_xml_guard_feed(&g, ok + i, i + piece < sizeof ok - 1
                                                           ? piece : sizeof ok - 1 - i), 0);
        ck_assert_uint_eq(g.items, whole.items);
        pl_xml_guard_init(&g);
        int rc = 0;
        for (size_t i = 0; i < sizeof bad - 1 && !rc; i += piece)
            rc = pl_xml_guard_feed(&g, bad + i, i + piece < sizeof bad - 1 ? piece
                                                                           : sizeof bad - 1 - i);
        ck_assert_int_eq(rc, -1);
        ck_assert_int_eq(g.start_line, 4);
        ck_assert_ptr_nonnull(strstr(g.why, "DOCTYPE"));
    }
}
END_TEST

/* Comments and processing instructions in a row: 10,000 are read, one
 * more is refused naming the line of its '<'; a tag (start or end)
 * between them starts another row; a comment inside a comment's text or
 * an attribute value is none.  libxml2's streaming reader parses such a
 * row ahead whole and keeps it until the next tag. */
START_TEST(test_guard_quiet_rows)
{
    size_t cap = 64 * 10003 + 256, n;
    char *s = malloc(cap);
    pl_xml_guard g;
    ck_assert_ptr_nonnull(s);
    for (int extra = 0; extra < 2; extra++) {
        n = (size_t)sprintf(s, "<?xml version=\"1.0\"?>\n<r a=\"<!--x-->\">\n");
        for (int i = 0; i < PL_XML_MAX_QUIET + extra; i++)
            n += (size_t)sprintf(s + n, i % 2 ? "<!-- c <!-- -->\n" : "<?p d?>\n");
        n += (size_t)sprintf(s + n, "</r>\n");
        pl_xml_guard_init(&g);
        int rc = pl_xml_guard_feed(&g, s, n);
        if (!extra) {
            ck_assert_msg(rc == 0, "%s", g.why);
            continue;
        }
        ck_assert_int_eq(rc, -1);
        ck_assert_int_eq(g.start_line, 2 + PL_XML_MAX_QUIET + 1);
        ck_assert_str_eq(g.why, "more than 10000 comments and processing instructions in a "
                                "row (the limit; a tag between them starts another row)");
    }
    /* rows of 10,000 with a tag between them: read */
    n = (size_t)sprintf(s, "<r>");
    for (int row = 0; row < 3; row++) {
        for (int i = 0; i < PL_XML_MAX_QUIET; i++)
            n += (size_t)sprintf(s + n, "<!---->");
        n += (size_t)sprintf(s + n, row % 2 ? "<e/>" : "</e>");
    }
    pl_xml_guard_init(&g);
    ck_assert_int_eq(pl_xml_guard_feed(&g, s, n), 0);
    free(s);
}
END_TEST

/* A calendar text of a few hundred kilobytes could name every day of
 * eight thousand years (870 MB, a minute): past 36,600 days it is
 * refused, naming the line, and nothing is stored. */
START_TEST(test_calendar_days)
{
    char *text = malloc(200 * 40);
    size_t n = 0;
    ck_assert_ptr_nonnull(text);
    for (int y = 1900; y < 2100; y++)
        n += (size_t)sprintf(text + n, "%04d-01-01..%04d-12-31 holiday\n", y, y);
    int64_t days = fx_ck_raw_int(path, "SELECT count(*) FROM calendar_day");
    int64_t events = fx_ck_raw_int(path, "SELECT count(*) FROM journal");
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_calendar_load(reg, text, n));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "calendar line 101: more than 36600"));
    ck_assert_int_eq(fx_ck_raw_int(path, "SELECT count(*) FROM calendar_day"), days);
    ck_assert_int_eq(fx_ck_raw_int(path, "SELECT count(*) FROM journal"), events);
    /* a century is accepted */
    PL_OK(reg, pledger_calendar_load(reg, text, (size_t)(strstr(text, "2000-01-01") - text)));
    ck_assert_int_eq(fx_ck_raw_int(path, "SELECT count(*) FROM calendar_day"), days + 36524);
    free(text);
}
END_TEST

/* The same attacks once the document is inside: field values set through
 * pledger_application_set() cannot smuggle markup, bad UTF-8 or control
 * characters into the stored document. */
START_TEST(test_field_values)
{
    pledger_application *app = fx_sample(PLEDGER_KIND_TRADEMARK);
    char *xml = NULL, *before = NULL;
    size_t len = 0;
    ck_assert_ptr_nonnull(app);
    PL_OK(NULL, pledger_application_to_xml(&before, NULL, app));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_application_set(app, "pledgor/name", "\xc3\x28"));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "UTF-8"));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_application_set(app, "pledgor/name", "a\x01z"));
    PL_OK(NULL, pledger_application_to_xml(&xml, NULL, app));
    ck_assert_str_eq(xml, before);
    pledger_free(xml);
    /* markup in a value is text, escaped on the way out and read back as is */
    static const char evil[] = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>&e;";
    const char *got = NULL;
    PL_OK(NULL, pledger_application_set(app, "pledgor/address", evil));
    PL_OK(NULL, pledger_application_to_xml(&xml, &len, app));
    ck_assert_ptr_null(strstr(xml, "<!DOCTYPE"));
    pledger_application *back = NULL;
    PL_OK(NULL, pledger_application_from_xml(&back, xml, len));
    PL_OK(NULL, pledger_application_get(&got, back, "pledgor/address"));
    ck_assert_str_eq(got, evil);
    pledger_application_free(back);
    pledger_free(xml);
    pledger_free(before);
    pledger_application_free(app);
}
END_TEST

static Suite *hostile_suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("xml");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_application_from_xml, 0, N_ATTACKS);
    tcase_add_loop_test(tc, test_register_import, 0, N_ATTACKS);
    tcase_add_test(tc, test_register_xinclude);
    tcase_add_test(tc, test_field_values);
    tcase_set_timeout(tc, getenv("PLEDGER_VALGRIND") ? 600 : 60);
    suite_add_tcase(s, tc);
    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_register_limits, 0, N_BIG);
    tcase_add_loop_test(tc, test_application_memory, 0, N_APP);
    tcase_add_test(tc, test_application_items);
    tcase_add_test(tc, test_guard_pieces);
    tcase_add_test(tc, test_guard_quiet_rows);
    tcase_add_test(tc, test_calendar_days);
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(hostile_suite)
