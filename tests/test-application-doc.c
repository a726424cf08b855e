/* lib/model/application and lib/model/certificate: the application
 * document (parse, round trip, get/set/count, materials, extraction) and
 * the certificate and pledge documents. */
#include "testutil.h"

#include <ctype.h>
#include <libxml/tree.h>

#include "base/date.h"
#include "base/hash.h"
#include "base/text.h"
#include "model/app-doc.h"
#include "model/application.h"
#include "model/kinds.h"
#include "model/certificate.h"
#include "model/xml.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define APP_OPEN "<application xmlns=\"urn:pledger:1\" kind=\"trademark\" version=\"1\">"

/* 2024-06-15 */
static int32_t today(void)
{
    pl_err e = { 0, "" };
    int32_t d = 0;
    ck_assert_int_eq(pl_date_parse(&e, "2024-06-15", &d), 0);
    return d;
}

static int32_t day(const char *s)
{
    pl_err e = { 0, "" };
    int32_t d = 0;
    ck_assert_msg(pl_date_parse(&e, s, &d) == 0, "%s: %s", s, e.msg);
    return d;
}

static char *sample(const char *kind, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/app-%s.xml", PLEDGER_TEST_DATADIR, kind);
    return pl_test_slurp(path, len);
}

static pl_doc *load(const char *kind)
{
    pl_err e = { 0, "" };
    size_t len = 0;
    char *xml = sample(kind, &len);
    pl_doc *d = NULL;
    int rc = pl_doc_parse(&d, &e, xml, len);

    ck_assert_msg(rc == 0, "app-%s.xml: %s", kind, e.msg);
    free(xml);
    return d;
}

static pl_doc *from_string(const char *xml)
{
    pl_err e = { 0, "" };
    pl_doc *d = NULL;
    ck_assert_msg(pl_doc_parse(&d, &e, xml, strlen(xml)) == 0, "%s", e.msg);
    return d;
}

static char *to_xml(pl_doc *d)
{
    pl_err e = { 0, "" };
    char *out = NULL;
    size_t len = 0;
    ck_assert_msg(pl_doc_to_xml(d, &e, &out, &len) == 0, "%s", e.msg);
    ck_assert_uint_eq(len, strlen(out));
    return out;
}

/* Assert that parsing @xml fails with PLEDGER_EXML and @want in the message. */
static void refused(const char *xml, const char *want)
{
    pl_err e = { 0, "" };
    pl_doc *d = NULL;
    int rc = pl_doc_parse(&d, &e, xml, strlen(xml));
    ck_assert_msg(rc == PLEDGER_EXML, "rc %d: %s", rc, e.msg);
    ck_assert_ptr_null(d);
    ck_assert_msg(strstr(e.msg, want), "message '%s' lacks '%s'", e.msg, want);
}

static const char *get(pl_doc *d, const char *path)
{
    pl_err e = { 0, "" };
    const char *v = NULL;
    int rc = pl_doc_get(d, &e, path, &v);
    ck_assert_msg(rc == 0, "get %s: %d %s", path, rc, e.msg);
    return v;
}

static void set(pl_doc *d, const char *path, const char *value)
{
    pl_err e = { 0, "" };
    int rc = pl_doc_set(d, &e, path, value);
    ck_assert_msg(rc == 0, "set %s: %d %s", path, rc, e.msg);
}

static int count(pl_doc *d, const char *path)
{
    pl_err e = { 0, "" };
    int n = -1;
    ck_assert_msg(pl_doc_count(d, &e, path, &n) == 0, "count %s: %s", path, e.msg);
    return n;
}

static const char *const kinds[] = {
    "trademark", "patent", "receivable", "equity", "emission", "sea_area", "land",
};

/* ------------------------------------------------------------------ */

START_TEST(samples_round_trip)
{
    const char *kind = kinds[_i];
    pl_doc *d = load(kind), *d2;
    char *once = to_xml(d), *twice;

    ck_assert_int_eq(pl_doc_kind(d), _i + 1);
    ck_assert_str_eq(pl_kind_name(pl_doc_kind(d)), kind);
    d2 = from_string(once);
    twice = to_xml(d2);
    ck_assert_str_eq(once, twice);
    ck_assert(strncmp(once, HEAD "<application xmlns=\"urn:pledger:1\" kind=\"", 80) == 0);
    ck_assert_msg(strstr(once, "\n  <pledgor type="), "not indented: %.300s", once);
    free(once);
    free(twice);
    pl_doc_free(d2);
    pl_doc_free(d);
}
END_TEST

START_TEST(new_documents)
{
    pl_err e = { 0, "" };
    pl_doc *d = NULL;
    char *xml;

    for (int k = 1; k <= 7; k++) {
        char want[200];
        ck_assert_int_eq(pl_doc_new(&d, &e, (pledger_kind)k), 0);
        ck_assert_int_eq(pl_doc_kind(d), k);
        xml = to_xml(d);
        snprintf(want, sizeof want, HEAD "<application xmlns=\"urn:pledger:1\" kind=\"%s\" "
                 "version=\"1\"/>\n", kinds[k - 1]);
        ck_assert_str_eq(xml, want);
        free(xml);
        ck_assert_int_eq(count(d, "rights/right"), 0);
        pl_doc_free(d);
    }
    ck_assert_int_eq(pl_doc_new(&d, &e, (pledger_kind)0), PLEDGER_EINVAL);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(pl_doc_new(&d, &e, (pledger_kind)8), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_kind_from_name("sea_area"), PLEDGER_KIND_SEA_AREA);
    ck_assert_int_eq(pl_kind_from_name("boat"), 0);
    ck_assert_ptr_null(pl_kind_name((pledger_kind)9));
    pl_doc_free(NULL);
}
END_TEST

START_TEST(parse_refusals)
{
    refused("<application xmlns=\"urn:pledger:1\" kind=\"trademark\" version=\"1\">\n<a>\n"
            "</application>", "application: line 3: ");
    refused("<!DOCTYPE a [<!ENTITY x \"y\">]>\n<application/>", "DOCTYPE");
    refused("<application xmlns=\"urn:pledger:0\" kind=\"trademark\" version=\"1\"/>",
            "namespace");
    refused(HEAD APP_OPEN "\n<pledgor>\n<nickname/></pledgor></application>",
            "application: line 4: pledgor/nickname: This element is not expected");
    refused(HEAD APP_OPEN "\n<rights>\n<trademark/>\n<patent/>\n</rights></application>",
            "application: line 5: rights/right[2]: a <patent> right in a trademark application");
    refused(HEAD "<certificate xmlns=\"urn:pledger:1\" version=\"1\"/>",
            "application: line 2: root element is <certificate>");
    refused(HEAD "<application xmlns=\"urn:pledger:1\" kind=\"trademark\" version=\"2\"/>",
            "@version");
    refused(HEAD "<application xmlns=\"urn:pledger:1\" version=\"1\"/>", "kind");
    refused(HEAD APP_OPEN "<filing><online>maybe</online></filing></application>",
            "filing/online");
}
END_TEST

START_TEST(get_paths)
{
    pl_err e = { 0, "" };
    pl_doc *d = load("trademark");
    const char *v = "x";

    ck_assert_str_eq(get(d, "pledgor/name"), "福建闽江食品有限公司");
    ck_assert_str_eq(get(d, "pledgor/@type"), "organisation");
    ck_assert_str_eq(get(d, "pledgor/id/@type"), "uscc");
    ck_assert_str_eq(get(d, "@kind"), "trademark");
    ck_assert_str_eq(get(d, "@version"), "1");
    ck_assert_str_eq(get(d, "rights/right[2]/number"), " 7654321 ");
    ck_assert_str_eq(get(d, "rights/right/number"), "12345678");
    ck_assert_str_eq(get(d, "rights/right[1]/classes"), "29 30");
    ck_assert_str_eq(get(d, "rights/trademark[2]/mark"), "MINJIANG");
    ck_assert_str_eq(get(d, "claim/amount/@currency"), "CNY");
    ck_assert_str_eq(get(d, "claim/amount"), "300000000");
    ck_assert_str_eq(get(d, "materials/material[6]/@kind"), "power_of_attorney");
    ck_assert_str_eq(get(d, "pledgor"), "");

    ck_assert_int_eq(pl_doc_get(d, &e, "debtor/name", &v), PLEDGER_ENOTFOUND);
    ck_assert_ptr_null(v);
    ck_assert_msg(strstr(e.msg, "debtor/name"), "%s", e.msg);
    ck_assert_int_eq(pl_doc_get(d, &e, "rights/right[3]/number", &v), PLEDGER_ENOTFOUND);
    ck_assert_int_eq(pl_doc_get(d, &e, "pledgor/@nickname", &v), PLEDGER_ENOTFOUND);

    /* Malformed paths: the message shows the path and the bad step. */
    ck_assert_int_eq(pl_doc_get(d, &e, "", &v), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_doc_get(d, &e, NULL, &v), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_doc_get(d, &e, "pledgor//name", &v), PLEDGER_EINVAL);
    ck_assert_msg(strstr(e.msg, "'pledgor//name'") && strstr(e.msg, "step 2 is empty"),
                  "%s", e.msg);
    ck_assert_int_eq(pl_doc_get(d, &e, "rights/right[0]/number", &v), PLEDGER_EINVAL);
    ck_assert_msg(strstr(e.msg, "'right[0]'"), "%s", e.msg);
    ck_assert_int_eq(pl_doc_get(d, &e, "rights/right[x]", &v), PLEDGER_EINVAL);
    ck_assert_msg(strstr(e.msg, "step 2 'right[x]'"), "%s", e.msg);
    ck_assert_int_eq(pl_doc_get(d, &e, "rights/right[2", &v), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_doc_get(d, &e, "rights/right[]", &v), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_doc_get(d, &e, "pledgor/@type/name", &v), PLEDGER_EINVAL);
    ck_assert_msg(strstr(e.msg, "attribute must be the last step"), "%s", e.msg);
    ck_assert_int_eq(pl_doc_get(d, &e, "pledgor/@type[1]", &v), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_doc_get(d, &e, "pledgor/na me", &v), PLEDGER_EINVAL);
    ck_assert_msg(strstr(e.msg, "step 2 'na me'"), "%s", e.msg);
    ck_assert_int_eq(pl_doc_get(d, &e, "/pledgor", &v), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_doc_get(d, &e, "pledgor/", &v), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_doc_get(d, &e, "1pledgor", &v), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_doc_get(d, &e, "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a", &v),
                     PLEDGER_EINVAL);
    ck_assert_msg(strstr(e.msg, "more than 16 steps"), "%s", e.msg);
    pl_doc_free(d);
}
END_TEST

START_TEST(count_paths)
{
    pl_err e = { 0, "" };
    pl_doc *d = load("patent");
    int n = -1;

    ck_assert_int_eq(count(d, "rights/right"), 2);
    ck_assert_int_eq(count(d, "rights/patent"), 2);
    ck_assert_int_eq(count(d, "materials/material"), 6);
    ck_assert_int_eq(count(d, "rights/right[1]/co_owners/party"), 1);
    ck_assert_int_eq(count(d, "rights/right[2]/co_owners/party"), 0);
    ck_assert_int_eq(count(d, "pledgor"), 1);
    ck_assert_int_eq(count(d, "debtor"), 0);
    ck_assert_int_eq(count(d, "pledgor/@type"), 1);
    ck_assert_int_eq(count(d, "pledgor/@nickname"), 0);
    ck_assert_int_eq(count(d, "agent/name"), 0);
    ck_assert_int_eq(pl_doc_count(d, &e, "rights/right[1]", &n), PLEDGER_EINVAL);
    ck_assert_msg(strstr(e.msg, "rights/right[1]"), "%s", e.msg);
    ck_assert_int_eq(pl_doc_count(d, &e, "rights//right", &n), PLEDGER_EINVAL);
    pl_doc_free(d);
}
END_TEST

START_TEST(set_paths)
{
    pl_err e = { 0, "" };
    pl_doc *d = NULL;
    char *xml;

    ck_assert_int_eq(pl_doc_new(&d, &e, PLEDGER_KIND_PATENT), 0);
    set(d, "pledgor/@type", "organisation");
    set(d, "pledgor/name", "深圳市南山精密仪器有限公司");
    set(d, "pledgor/id", "914403001922038216");
    set(d, "pledgor/id/@type", "uscc");
    set(d, "rights/right[1]/number", "201310699744.2");
    set(d, "rights/right[2]/number", "201080063196.9");
    set(d, "rights/right[1]/co_owners/party[1]/name", "王芳");
    set(d, "rights/right[1]/co_owners/party[1]/@consent", "true");
    set(d, "rights/right[1]/co_owners/party[2]/name", "李四");
    set(d, "claim/amount", "100");
    set(d, "claim/amount/@currency", "CNY");
    set(d, "claim/amount", "2500");
    set(d, "filing/online", "true");
    set(d, "contract/guarantee_scope", "A & B <本金>");
    ck_assert_int_eq(count(d, "rights/right"), 2);
    ck_assert_int_eq(count(d, "rights/right[1]/co_owners/party"), 2);
    ck_assert_str_eq(get(d, "rights/right[2]/number"), "201080063196.9");
    ck_assert_str_eq(get(d, "claim/amount"), "2500");
    ck_assert_str_eq(get(d, "contract/guarantee_scope"), "A & B <本金>");

    /* Exact document: elements appended in the order they were set, the
     * rights named after the kind. */
    xml = to_xml(d);
    ck_assert_str_eq(xml,
        HEAD "<application xmlns=\"urn:pledger:1\" kind=\"patent\" version=\"1\">\n"
        "  <pledgor type=\"organisation\">\n"
        "    <name>深圳市南山精密仪器有限公司</name>\n"
        "    <id type=\"uscc\">914403001922038216</id>\n"
        "  </pledgor>\n"
        "  <rights>\n"
        "    <patent>\n"
        "      <number>201310699744.2</number>\n"
        "      <co_owners>\n"
        "        <party consent=\"true\">\n"
        "          <name>王芳</name>\n"
        "        </party>\n"
        "        <party>\n"
        "          <name>李四</name>\n"
        "        </party>\n"
        "      </co_owners>\n"
        "    </patent>\n"
        "    <patent>\n"
        "      <number>201080063196.9</number>\n"
        "    </patent>\n"
        "  </rights>\n"
        "  <claim>\n"
        "    <amount currency=\"CNY\">2500</amount>\n"
        "  </claim>\n"
        "  <filing>\n"
        "    <online>true</online>\n"
        "  </filing>\n"
        "  <contract>\n"
        "    <guarantee_scope>A &amp; B &lt;本金&gt;</guarantee_scope>\n"
        "  </contract>\n"
        "</application>\n");
    {
        /* And it parses back to the same bytes. */
        pl_doc *d2 = from_string(xml);
        char *again = to_xml(d2);
        ck_assert_str_eq(again, xml);
        free(again);
        pl_doc_free(d2);
    }
    free(xml);

    /* Removal. */
    set(d, "rights/right[1]/co_owners/party[1]", NULL);
    ck_assert_int_eq(count(d, "rights/right[1]/co_owners/party"), 1);
    ck_assert_str_eq(get(d, "rights/right[1]/co_owners/party/name"), "李四");
    set(d, "rights/right[1]", NULL);
    ck_assert_int_eq(count(d, "rights/right"), 1);
    ck_assert_str_eq(get(d, "rights/right[1]/number"), "201080063196.9");
    set(d, "pledgor/id/@type", NULL);
    ck_assert_int_eq(count(d, "pledgor/id/@type"), 0);
    set(d, "debtor/name", NULL); /* absent: nothing to do */
    set(d, "pledgor/@nickname", NULL);
    ck_assert_int_eq(count(d, "debtor"), 0);
    set(d, "pledgor/name", "");
    ck_assert_str_eq(get(d, "pledgor/name"), "");
    pl_doc_free(d);
}
END_TEST

START_TEST(set_refusals)
{
    pl_err e = { 0, "" };
    pl_doc *d = load("trademark");
    char *before = to_xml(d), *after;

    /* Index beyond count + 1. */
    ck_assert_int_eq(pl_doc_set(d, &e, "rights/right[4]/number", "1"), PLEDGER_EINVAL);
    ck_assert_msg(strstr(e.msg, "right[4]") && strstr(e.msg, "2 present"), "%s", e.msg);
    ck_assert_int_eq(pl_doc_set(d, &e, "materials/material[9]/file_name", "x"),
                     PLEDGER_EINVAL);
    /* Values the schema refuses: the document is left as it was. */
    ck_assert_int_eq(pl_doc_set(d, &e, "claim/amount", "12.5"), PLEDGER_EXML);
    ck_assert_msg(strstr(e.msg, "claim/amount"), "%s", e.msg);
    ck_assert_int_eq(pl_doc_set(d, &e, "period/start", "2024-02-30"), PLEDGER_EXML);
    ck_assert_msg(strstr(e.msg, "period/start"), "%s", e.msg);
    ck_assert_int_eq(pl_doc_set(d, &e, "pledgor/@type", "robot"), PLEDGER_EXML);
    ck_assert_msg(strncmp(e.msg, "set pledgor/@type: ", 19) == 0 &&
                  strstr(e.msg, "pledgor/@type: 'robot' is not one of organisation (单位), "
                                "person (个人), foreign (境外主体)"),
                  "%s", e.msg);
    ck_assert_int_eq(pl_doc_set(d, &e, "pledgor/nickname", "x"), PLEDGER_EXML);
    ck_assert_msg(strstr(e.msg, "pledgor/nickname"), "%s", e.msg);
    ck_assert_int_eq(pl_doc_set(d, &e, "rights/right[3]/classes", "46"), PLEDGER_EXML);
    ck_assert_msg(strstr(e.msg, "rights/right[3]/classes"), "%s", e.msg);
    ck_assert_int_eq(pl_doc_set(d, &e, "rights/patent", ""), PLEDGER_EXML);
    ck_assert_msg(strstr(e.msg, "rights/right[3]: a <patent> right in a trademark"),
                  "%s", e.msg);
    ck_assert_int_eq(pl_doc_set(d, &e, "claim/@currency", "CNY"), PLEDGER_EXML);
    ck_assert_int_eq(pl_doc_set(d, &e, "filing/joint", "yes"), PLEDGER_EXML);
    /* An amount's text comes before its currency: an empty <amount> is no
     * integer. */
    ck_assert_int_eq(pl_doc_set(d, &e, "rights/right[1]/amount/@currency", "CNY"),
                     PLEDGER_EXML);
    ck_assert_int_eq(pl_doc_set(d, &e, "debtor/id", "x\x01"), PLEDGER_EINVAL);
    /* Not allowed at all. */
    ck_assert_int_eq(pl_doc_set(d, &e, "@kind", "patent"), PLEDGER_EINVAL);
    ck_assert_msg(strstr(e.msg, "@kind"), "%s", e.msg);
    ck_assert_int_eq(pl_doc_set(d, &e, "@version", "2"), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_doc_set(d, &e, "pledgor", "text"), PLEDGER_EINVAL);
    ck_assert_msg(strstr(e.msg, "holds elements"), "%s", e.msg);
    ck_assert_int_eq(pl_doc_set(d, &e, "pledgor/name", "bad\xff"), PLEDGER_EINVAL);
    ck_assert_msg(strstr(e.msg, "pledgor/name") && strstr(e.msg, "UTF-8"), "%s", e.msg);
    ck_assert_int_eq(pl_doc_set(d, &e, "pledgor/name", "bell\x07"), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_doc_set(d, &e, "pledgor/@xmlns", "x"), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_doc_set(d, &e, "pledgor//name", "x"), PLEDGER_EINVAL);

    after = to_xml(d);
    ck_assert_str_eq(after, before);
    free(after);
    free(before);
    pl_doc_free(d);
}
END_TEST

/* Blank containers, comments and odd spacing still give stable bytes,
 * also after edits. */
START_TEST(stable_bytes)
{
    pl_doc *d = from_string("<?xml version=\"1.0\"?>\n<!-- draft -->\n"
                            "<application xmlns=\"urn:pledger:1\" kind=\"land\" version=\"1\">"
                            "<rights>\n   </rights>   <pledgor type=\"person\"><!-- x -->\n"
                            "<name>  王 芳  </name></pledgor><?pi?>\r\n"
                            "<contract><guarantee_scope>a\r\nb</guarantee_scope></contract>"
                            "</application>");
    pl_doc *d2;
    char *a, *b;

    a = to_xml(d);
    ck_assert_str_eq(a, HEAD "<application xmlns=\"urn:pledger:1\" kind=\"land\" "
                         "version=\"1\">\n  <rights>\n   </rights>\n"
                         "  <pledgor type=\"person\">\n    <name>  王 芳  </name>\n"
                         "  </pledgor>\n  <contract>\n    <guarantee_scope>a\nb</guarantee_scope>\n"
                         "  </contract>\n</application>\n");
    d2 = from_string(a);
    b = to_xml(d2);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    pl_doc_free(d2);

    set(d, "rights/right/certificate_number", "J110118201800123");
    a = to_xml(d);
    ck_assert(strstr(a, "  <rights>\n    <land>\n      <certificate_number>"));
    d2 = from_string(a);
    b = to_xml(d2);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    pl_doc_free(d2);
    pl_doc_free(d);
}
END_TEST

START_TEST(add_material)
{
    pl_err e = { 0, "" };
    pl_doc *d = NULL;
    char *before, *after;
    pl_app *app = NULL;

    ck_assert_int_eq(pl_doc_new(&d, &e, PLEDGER_KIND_TRADEMARK), 0);
    ck_assert_int_eq(pl_doc_add_material(d, &e, "pledge_contract", "合同.pdf", "abc", 3), 0);
    ck_assert_int_eq(pl_doc_add_material(d, &e, "identity", "id.pdf", "", 0), 0);
    ck_assert_int_eq(count(d, "materials/material"), 2);
    ck_assert_str_eq(get(d, "materials/material[1]/@kind"), "pledge_contract");
    ck_assert_str_eq(get(d, "materials/material[1]/file_name"), "合同.pdf");
    ck_assert_str_eq(get(d, "materials/material[1]/size"), "3");
    /* SHA-256("abc"), FIPS 180-2 appendix B.1. */
    ck_assert_str_eq(get(d, "materials/material[1]/sha256"),
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* SHA-256 of nothing. */
    ck_assert_str_eq(get(d, "materials/material[2]/sha256"),
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ck_assert_str_eq(get(d, "materials/material[2]/size"), "0");

    before = to_xml(d);
    ck_assert_int_eq(pl_doc_add_material(d, &e, "selfie", "me.jpg", "x", 1), PLEDGER_EXML);
    ck_assert_msg(strstr(e.msg, "materials/material[3]/@kind"), "%s", e.msg);
    ck_assert_int_eq(pl_doc_add_material(d, &e, NULL, "x", "x", 1), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_doc_add_material(d, &e, "other", "bad\xff", "x", 1), PLEDGER_EINVAL);
    after = to_xml(d);
    ck_assert_str_eq(after, before);
    free(before);
    free(after);

    ck_assert_int_eq(pl_doc_extract(d, &e, today(), &app), 0);
    ck_assert_uint_eq(app->n_materials, 2);
    ck_assert_int_eq(app->materials[0].kind, PL_MATERIAL_PLEDGE_CONTRACT);
    ck_assert_str_eq(app->materials[0].path, "materials/material[1]");
    ck_assert(app->materials[0].has_size);
    ck_assert_int_eq(app->materials[0].size, 3);
    ck_assert_str_eq(app->materials[0].sha256.text,
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ck_assert_int_eq(app->materials[1].kind, PL_MATERIAL_IDENTITY);
    pl_app_free(app);
    pl_doc_free(d);
}
END_TEST

START_TEST(clone)
{
    pl_err e = { 0, "" };
    pl_doc *d = load("equity"), *c = NULL;
    char *a, *b;

    ck_assert_int_eq(pl_doc_clone(&c, &e, d), 0);
    set(c, "pledgor/name", "张三");
    ck_assert_str_eq(get(d, "pledgor/name"), "王芳");
    ck_assert_str_eq(get(c, "pledgor/name"), "张三");
    set(c, "pledgor/name", "王芳");
    a = to_xml(d);
    b = to_xml(c);
    ck_assert_str_eq(a, b);
    ck_assert_ptr_nonnull(pl_doc_xml(d));
    free(a);
    free(b);
    pl_doc_free(c);
    pl_doc_free(d);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Extraction                                                          */

static pl_app *extract(pl_doc *d)
{
    pl_err e = { 0, "" };
    pl_app *app = NULL;
    ck_assert_msg(pl_doc_extract(d, &e, today(), &app) == 0, "%s", e.msg);
    ck_assert_ptr_nonnull(app);
    return app;
}

static void check_org(const pl_app_party *p, const char *path, const char *uscc)
{
    char buf[64];
    ck_assert(p->present);
    ck_assert_str_eq(p->path, path);
    ck_assert_int_eq(p->type, PL_PARTY_ORGANISATION);
    ck_assert_int_eq(p->id_type, PLEDGER_ID_USCC);
    ck_assert_str_eq(p->id_norm, uscc);
    ck_assert_ptr_null(p->id_error);
    snprintf(buf, sizeof buf, "%s/id", path);
    ck_assert_str_eq(p->id_path, buf);
    snprintf(buf, sizeof buf, "%s/name", path);
    ck_assert_str_eq(p->name.path, buf);
    ck_assert_ptr_nonnull(p->name.text);
    ck_assert_ptr_nonnull(p->name_key);
}

START_TEST(extract_trademark)
{
    pl_doc *d = load("trademark");
    pl_app *a = extract(d);

    ck_assert_int_eq(a->kind, PLEDGER_KIND_TRADEMARK);
    check_org(&a->pledgor, "pledgor", "91350100M000100Y43");
    check_org(&a->pledgee, "pledgee", "914403001922038216");
    ck_assert_str_eq(a->pledgor.name.text, "福建闽江食品有限公司");
    ck_assert_str_eq(a->pledgor.id_raw, "91350100M000100Y43");
    ck_assert_str_eq(a->pledgor.address.text, "福建省福州市鼓楼区五四路100号");
    ck_assert_str_eq(a->pledgor.address.path, "pledgor/address");
    ck_assert_str_eq(a->pledgor.legal_representative.text, "陈明");
    ck_assert_str_eq(a->pledgor.country.text, "CN");
    ck_assert_str_eq(a->pledgor.type_path, "pledgor/@type");
    ck_assert_str_eq(a->pledgor.id_type_path, "pledgor/id/@type");
    ck_assert(!a->pledgor.consent.has);
    ck_assert(!a->debtor.present);
    ck_assert_str_eq(a->debtor.path, "debtor");
    ck_assert_str_eq(a->debtor.name.path, "debtor/name");
    ck_assert_ptr_null(a->debtor.name.text);
    ck_assert_ptr_null(a->debtor.id_raw);
    ck_assert_ptr_null(a->debtor.id_error);
    /* The agent typed a lower-case check character. */
    ck_assert(a->agent.present);
    ck_assert_int_eq(a->agent.type, PL_PARTY_PERSON);
    ck_assert_int_eq(a->agent.id_type, PLEDGER_ID_RESIDENT);
    ck_assert_str_eq(a->agent.id_raw, "11010519491231002x");
    ck_assert_str_eq(a->agent.id_norm, "11010519491231002X");

    ck_assert_uint_eq(a->n_rights, 2);
    ck_assert_str_eq(a->rights_path, "rights");
    ck_assert_int_eq(a->rights[0].kind, PLEDGER_KIND_TRADEMARK);
    ck_assert_str_eq(a->rights[0].path, "rights/right[1]");
    ck_assert_str_eq(a->rights[0].number.raw, "12345678");
    ck_assert_str_eq(a->rights[0].number.norm, "12345678");
    ck_assert_str_eq(a->rights[0].number.path, "rights/right[1]/number");
    ck_assert_str_eq(a->rights[0].key, "12345678");
    ck_assert_uint_eq(a->rights[0].n_classes, 2);
    ck_assert_int_eq(a->rights[0].classes[0], 29);
    ck_assert_int_eq(a->rights[0].classes[1], 30);
    ck_assert(a->rights[0].classes_valid);
    ck_assert_str_eq(a->rights[0].classes_path, "rights/right[1]/classes");
    ck_assert_str_eq(a->rights[0].mark.text, "闽江");
    ck_assert_str_eq(a->rights[0].goods.path, "rights/right[1]/goods");
    ck_assert_str_eq(a->rights[1].number.raw, "7654321");
    ck_assert_str_eq(a->rights[1].key, "7654321");
    ck_assert_uint_eq(a->rights[1].n_classes, 1);
    ck_assert_int_eq(a->rights[1].classes[0], 35);
    ck_assert_ptr_eq(pl_app_right_ident(&a->rights[1]), &a->rights[1].number);
    /* Fields of other kinds stay empty. */
    ck_assert_ptr_null(a->rights[0].description.text);
    ck_assert_uint_eq(a->rights[0].n_debtors, 0);

    ck_assert(a->claim.present);
    ck_assert_int_eq(a->claim.type, PL_CLAIM_LOAN);
    ck_assert_str_eq(a->claim.type_path, "claim/type");
    ck_assert(a->claim.amount.valid);
    ck_assert_int_eq(a->claim.amount.minor, 300000000);
    ck_assert_str_eq(a->claim.amount.currency, "CNY");
    ck_assert_str_eq(a->claim.amount.path, "claim/amount");
    ck_assert_str_eq(a->claim.amount.currency_path, "claim/amount/@currency");
    ck_assert(a->claim.performance_start.valid);
    ck_assert_int_eq(a->claim.performance_start.days, day("2024-03-01"));
    ck_assert_int_eq(a->claim.performance_end.days, day("2027-02-28"));
    ck_assert_str_eq(a->claim.performance_end.raw, "2027-02-28");
    ck_assert_str_eq(a->claim.main_contract_number.text, "QHB-2024-JK-0301");
    ck_assert_int_eq(a->period.start.days, day("2024-03-01"));
    ck_assert_int_eq(a->period.end.days, day("2027-02-28"));
    ck_assert_str_eq(a->period.end.path, "period/end");
    ck_assert_str_eq(a->contract.number.text, "QHB-2024-ZY-0301");
    ck_assert_int_eq(a->contract.date.days, day("2024-02-26"));
    ck_assert_str_eq(a->contract.language.text, "zh");
    ck_assert_uint_eq(a->contract.clauses, PL_CLAUSE_ALL);
    ck_assert_str_eq(a->contract.clauses_path, "contract/clauses");
    ck_assert(a->valuation.present);
    ck_assert_int_eq(a->valuation.value.minor, 520000000);
    ck_assert_int_eq(a->valuation.date.days, day("2024-01-15"));
    ck_assert_uint_eq(a->n_materials, 6);
    ck_assert_int_eq(a->materials[0].kind, PL_MATERIAL_APPLICATION_FORM);
    ck_assert_int_eq(a->materials[5].kind, PL_MATERIAL_POWER_OF_ATTORNEY);
    ck_assert_str_eq(a->materials[5].path, "materials/material[6]");
    ck_assert_str_eq(a->materials[5].kind_path, "materials/material[6]/@kind");
    ck_assert_str_eq(a->materials[2].file_name.text, "借款合同.pdf");
    ck_assert_int_eq(a->materials[2].size, 512000);
    ck_assert_str_eq(a->materials[2].sha256.text,
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    ck_assert_uint_eq(a->n_risks, 0);
    ck_assert(a->filing.online.has && a->filing.online.value);
    ck_assert(a->filing.joint.has && a->filing.joint.value);
    ck_assert_str_eq(a->filing.joint.path, "filing/joint");
    pl_app_free(a);
    pl_doc_free(d);
}
END_TEST

START_TEST(extract_patent)
{
    pl_doc *d = load("patent");
    pl_app *a = extract(d);
    const pl_app_right *r;

    check_org(&a->pledgor, "pledgor", "914403001922038216");
    ck_assert_uint_eq(a->n_rights, 2);
    r = &a->rights[0];
    ck_assert_int_eq(r->kind, PLEDGER_KIND_PATENT);
    ck_assert_str_eq(r->number.raw, "ZL 201310699744.2");
    ck_assert_str_eq(r->number.norm, "201310699744.2");
    ck_assert_str_eq(r->key, "201310699744.2");
    ck_assert_int_eq(r->patent_type, PL_PATENT_INVENTION);
    ck_assert_str_eq(r->patent_type_path, "rights/right[1]/patent_type");
    ck_assert_int_eq(r->filing_date.days, day("2013-12-18"));
    ck_assert_int_eq(r->grant_date.days, day("2016-05-11"));
    ck_assert_str_eq(r->co_owners_path, "rights/right[1]/co_owners");
    ck_assert_uint_eq(r->n_co_owners, 1);
    ck_assert_str_eq(r->co_owners[0].path, "rights/right[1]/co_owners/party");
    ck_assert_str_eq(r->co_owners[0].name.text, "王芳");
    ck_assert_str_eq(r->co_owners[0].id_norm, "11010519491231002X");
    ck_assert_str_eq(r->co_owners[0].id_path, "rights/right[1]/co_owners/party/id");
    ck_assert(r->co_owners[0].consent.has);
    ck_assert(r->co_owners[0].consent.value);
    ck_assert_str_eq(r->co_owners[0].consent.path, "rights/right[1]/co_owners/party/@consent");
    ck_assert_str_eq(a->rights[1].key, "201080063196.9");
    ck_assert_uint_eq(a->rights[1].n_co_owners, 0);
    ck_assert_int_eq(a->claim.type, PL_CLAIM_CREDIT_LINE);
    ck_assert_int_eq(a->claim.amount.minor, 1000000000);
    ck_assert_uint_eq(a->n_risks, 1);
    ck_assert_int_eq(a->risks[0].code, PL_RISK_INVALIDATION_PENDING);
    ck_assert_str_eq(a->risks[0].path, "acknowledgements/risk");
    ck_assert_str_eq(a->risks[0].code_path, "acknowledgements/risk/@code");
    ck_assert(strstr(a->risks[0].text.text, "无效宣告请求"));
    ck_assert_int_eq(a->materials[3].kind, PL_MATERIAL_CONSENT);
    ck_assert_int_eq(a->materials[4].kind, PL_MATERIAL_EVALUATION_REPORT);
    pl_app_free(a);
    pl_doc_free(d);
}
END_TEST

START_TEST(extract_receivable)
{
    pl_doc *d = load("receivable");
    pl_app *a = extract(d);
    const pl_app_right *r = &a->rights[0];

    ck_assert_uint_eq(a->n_rights, 2);
    ck_assert_int_eq(r->kind, PLEDGER_KIND_RECEIVABLE);
    ck_assert_uint_eq(r->n_debtors, 1);
    ck_assert_str_eq(r->debtors_path, "rights/right[1]/debtors");
    /* Typed in full-width digits. */
    ck_assert_str_eq(r->debtors[0].id_norm, "914403001922038216");
    ck_assert_str_eq(r->debtors[0].path, "rights/right[1]/debtors/party");
    ck_assert_str_eq(r->contract_number.text, "gy-2024-017");
    ck_assert_str_eq(r->key, "914403001922038216/GY-2024-017");
    ck_assert(r->amount.valid);
    ck_assert_int_eq(r->amount.minor, 125000000);
    ck_assert_str_eq(r->amount.currency, "CNY");
    ck_assert_int_eq(r->due_date.days, day("2024-12-31"));
    ck_assert_ptr_null(pl_app_right_ident(r));
    /* No contract number: the key is the digest of the folded description. */
    r = &a->rights[1];
    ck_assert_ptr_null(r->contract_number.text);
    ck_assert_str_eq(r->debtors[0].id_norm, "11010519491231002X");
    ck_assert_ptr_nonnull(r->key);
    ck_assert(strncmp(r->key, "desc:", 5) == 0);
    ck_assert_uint_eq(strlen(r->key), 5 + 64);
    {
        pl_err e = { 0, "" };
        char *folded = pl_text_fold(r->description.text);
        unsigned char digest[32];
        char hex[65];
        ck_assert_ptr_nonnull(folded);
        ck_assert_int_eq(pl_hash(PL_HASH_SHA256, folded, strlen(folded), digest), 0);
        pl_hex(digest, sizeof digest, hex);
        ck_assert_str_eq(r->key + 5, hex);
        free(folded);
        (void)e;
    }
    ck_assert(!a->filing.joint.value && a->filing.joint.has);
    pl_app_free(a);
    pl_doc_free(d);
}
END_TEST

START_TEST(extract_equity)
{
    pl_doc *d = load("equity");
    pl_app *a = extract(d);
    const pl_app_right *r = &a->rights[0];

    ck_assert_int_eq(a->pledgor.type, PL_PARTY_PERSON);
    ck_assert_str_eq(a->pledgor.id_raw, "110105 19491231 002X");
    ck_assert_str_eq(a->pledgor.id_norm, "11010519491231002X");
    check_org(&a->debtor, "debtor", "91350100M000100Y43");
    ck_assert_str_eq(r->company_name.text, "福建闽江食品有限公司");
    ck_assert_str_eq(r->company_uscc.raw, "91350100m000100y43");
    ck_assert_str_eq(r->company_uscc.norm, "91350100M000100Y43");
    ck_assert_str_eq(r->company_uscc.path, "rights/right[1]/company_uscc");
    ck_assert_str_eq(r->key, "91350100M000100Y43/11010519491231002X");
    ck_assert_int_eq(r->capital.minor, 500000000);
    ck_assert_str_eq(r->capital.currency, "CNY");
    ck_assert_int_eq(a->claim.type, PL_CLAIM_GUARANTEE);
    ck_assert(a->filing.online.has && !a->filing.online.value);
    ck_assert(!a->valuation.present);
    ck_assert_ptr_null(a->valuation.appraiser.text);
    ck_assert_str_eq(a->valuation.appraiser.path, "valuation/appraiser");
    ck_assert(!a->valuation.value.has);
    pl_app_free(a);
    pl_doc_free(d);
}
END_TEST

START_TEST(extract_emission)
{
    pl_doc *d = load("emission");
    pl_app *a = extract(d);
    const pl_app_right *r = &a->rights[0];

    ck_assert_int_eq(r->kind, PLEDGER_KIND_EMISSION);
    ck_assert_str_eq(r->permit_number.raw, "91350100m000100y43001p");
    ck_assert_str_eq(r->permit_number.norm, "91350100M000100Y43001P");
    ck_assert_str_eq(r->key, "91350100M000100Y43001P");
    ck_assert_str_eq(r->pollutant.text, "化学需氧量");
    ck_assert_str_eq(r->allowance.raw, "125.5");
    ck_assert_str_eq(r->allowance.unit, "t");
    ck_assert_str_eq(r->allowance.unit_path, "rights/right[1]/allowance/@unit");
    ck_assert_int_eq(r->valid_from.days, day("2023-01-01"));
    ck_assert_int_eq(r->valid_to.days, day("2027-12-31"));
    pl_app_free(a);
    pl_doc_free(d);
}
END_TEST

START_TEST(extract_real)
{
    pl_doc *d = load("sea_area");
    pl_app *a = extract(d);
    const pl_app_right *r = &a->rights[0];

    ck_assert_int_eq(r->kind, PLEDGER_KIND_SEA_AREA);
    ck_assert_str_eq(r->certificate_number.raw, "国海证 2019B35010200123");
    ck_assert_str_eq(r->certificate_number.norm, "国海证2019B35010200123");
    ck_assert_str_eq(r->key, "国海证2019B35010200123");
    ck_assert_str_eq(r->area.raw, "36.42");
    ck_assert_str_eq(r->area.unit, "ha");
    ck_assert_int_eq(r->term_start.days, day("2019-08-01"));
    ck_assert_int_eq(r->term_end.days, day("2034-07-31"));
    ck_assert_str_eq(r->location.path, "rights/right[1]/location");
    pl_app_free(a);
    pl_doc_free(d);

    d = load("land");
    a = extract(d);
    r = &a->rights[0];
    ck_assert_int_eq(r->kind, PLEDGER_KIND_LAND);
    ck_assert_int_eq(a->pledgor.type, PL_PARTY_PERSON);
    ck_assert_str_eq(a->pledgor.id_norm, "11010519491231002X");
    ck_assert_str_eq(r->certificate_number.norm, "J110118201800123");
    ck_assert_str_eq(r->key, "J110118201800123");
    ck_assert_str_eq(r->area.unit, "mu");
    ck_assert_int_eq(r->term_end.days, day("2047-12-31"));
    ck_assert_ptr_eq(pl_app_right_ident(r), &r->certificate_number);
    pl_app_free(a);
    pl_doc_free(d);
}
END_TEST

/* Extraction is lenient: an empty draft and invalid identifiers give
 * flags and messages, never a failure. */
START_TEST(extract_lenient)
{
    pl_err e = { 0, "" };
    pl_doc *d = NULL;
    pl_app *a;

    ck_assert_int_eq(pl_doc_new(&d, &e, PLEDGER_KIND_EQUITY), 0);
    a = extract(d);
    ck_assert_int_eq(a->kind, PLEDGER_KIND_EQUITY);
    ck_assert(!a->pledgor.present);
    ck_assert_str_eq(a->pledgor.id_path, "pledgor/id");
    ck_assert_uint_eq(a->n_rights, 0);
    ck_assert(!a->claim.present);
    ck_assert(!a->claim.amount.has);
    ck_assert_str_eq(a->claim.amount.path, "claim/amount");
    ck_assert(!a->period.start.has);
    ck_assert_str_eq(a->period.start.path, "period/start");
    ck_assert_uint_eq(a->n_materials, 0);
    ck_assert_str_eq(a->materials_path, "materials");
    ck_assert(!a->filing.online.has);
    pl_app_free(a);

    set(d, "pledgor/id", "91350100M000100Y44"); /* wrong check character */
    set(d, "pledgee/id", "91350100M000100Y43"); /* no @type */
    set(d, "pledgee/id/@type", "resident");     /* a USCC is no resident id */
    set(d, "debtor/id", "11010519491231002X");  /* no @type at all */
    set(d, "rights/right/company_uscc", "91350100M000100Y43");
    set(d, "rights/right[2]/company_name", "x");
    a = extract(d);
    ck_assert_str_eq(a->pledgor.id_raw, "91350100M000100Y44");
    ck_assert_int_eq(a->pledgor.id_type, 0);
    ck_assert_ptr_null(a->pledgor.id_norm);
    ck_assert_msg(a->pledgor.id_error && strstr(a->pledgor.id_error, "pledgor/id/@type"),
                  "%s", a->pledgor.id_error);
    ck_assert_int_eq(a->pledgee.id_type, PLEDGER_ID_RESIDENT);
    ck_assert_ptr_null(a->pledgee.id_norm);
    ck_assert_ptr_nonnull(a->pledgee.id_error);
    ck_assert_ptr_nonnull(a->debtor.id_error);
    /* Equity key needs the pledgor's id. */
    ck_assert_str_eq(a->rights[0].company_uscc.norm, "91350100M000100Y43");
    ck_assert_ptr_null(a->rights[0].key);
    ck_assert_ptr_null(a->rights[1].key);
    ck_assert_ptr_null(a->rights[1].company_uscc.raw);
    pl_app_free(a);

    set(d, "pledgor/id/@type", "uscc");
    a = extract(d);
    ck_assert_ptr_null(a->pledgor.id_norm);
    ck_assert_ptr_nonnull(a->pledgor.id_error);
    pl_app_free(a);
    set(d, "pledgor/id", "91350100M000100Y43");
    a = extract(d);
    ck_assert_str_eq(a->pledgor.id_norm, "91350100M000100Y43");
    ck_assert_ptr_null(a->pledgor.id_error);
    ck_assert_str_eq(a->rights[0].key, "91350100M000100Y43/91350100M000100Y43");
    pl_app_free(a);
    pl_doc_free(d);

    /* A trademark number that is no number; a resident born in the future. */
    ck_assert_int_eq(pl_doc_new(&d, &e, PLEDGER_KIND_TRADEMARK), 0);
    set(d, "rights/right/number", "ABC");
    set(d, "pledgor/id", "110105202501010012");
    set(d, "pledgor/id/@type", "resident");
    a = extract(d);
    ck_assert_str_eq(a->rights[0].number.raw, "ABC");
    ck_assert_ptr_null(a->rights[0].number.norm);
    ck_assert_ptr_nonnull(a->rights[0].number.error);
    ck_assert_ptr_null(a->rights[0].key);
    ck_assert_ptr_null(a->pledgor.id_norm);
    ck_assert_ptr_nonnull(a->pledgor.id_error);
    pl_app_free(a);
    pl_app_free(NULL);
    pl_doc_free(d);

    /* A receivable with no debtor and no description has no key. */
    ck_assert_int_eq(pl_doc_new(&d, &e, PLEDGER_KIND_RECEIVABLE), 0);
    set(d, "rights/right/contract_number", "HT-1");
    a = extract(d);
    ck_assert_ptr_null(a->rights[0].key);
    pl_app_free(a);
    set(d, "rights/right/description", "  Goods  Sold ");
    a = extract(d);
    ck_assert_str_eq(a->rights[0].description.text, "Goods  Sold");
    ck_assert(strncmp(a->rights[0].key, "desc:", 5) == 0);
    pl_app_free(a);
    pl_doc_free(d);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Certificate and pledge                                              */

static const pl_cert_right cert_rights[] = {
    { "trademark", "12345678", "29 30" },
    { "trademark", "7654321", "35" },
};

static pl_cert_fields cert_sample(void)
{
    pl_cert_fields f;
    memset(&f, 0, sizeof f);
    f.registration_number = "ZC-TM-2024-000017";
    f.version = 1;
    f.kind = PLEDGER_KIND_TRADEMARK;
    f.pledgor.name = "福建闽江食品有限公司";
    f.pledgor.id_type = PLEDGER_ID_USCC;
    f.pledgor.id = "91350100M000100Y43";
    f.pledgee.name = "深圳前海商业银行股份有限公司";
    f.pledgee.id_type = PLEDGER_ID_USCC;
    f.pledgee.id = "914403001922038216";
    f.rights = cert_rights;
    f.n_rights = 2;
    f.currency = "CNY";
    f.amount = 300000000;
    f.period_start = day("2024-03-01");
    f.period_end = day("2027-02-28");
    f.registered_at = INT64_C(1709280000000000); /* 2024-03-01T08:00:00Z */
    f.issued_at = INT64_C(1709366400000000);     /* 2024-03-02T08:00:00Z */
    f.acceptance_number = "SL-TM-2024-000123";
    f.application = "0f8fad5b-d9cb-469f-a165-70867728950e";
    f.verification_code = "7K3Q-9XPM-2D4F";
    return f;
}

/* Parse @xml back and validate it with the schema. */
static void valid_document(const char *xml, const char *root)
{
    pl_err e = { 0, "" };
    xmlDocPtr doc = NULL;
    ck_assert_msg(pl_xml_parse(&e, xml, strlen(xml), root, &doc) == 0, "%s", e.msg);
    ck_assert(pl_xml_is(xmlDocGetRootElement(doc), root));
    ck_assert_msg(pl_xml_validate(&e, doc, PL_XML_SCHEMA, root) == 0, "%s", e.msg);
    xmlFreeDoc(doc);
}

START_TEST(certificate)
{
    pl_err e = { 0, "" };
    pl_cert_fields f = cert_sample();
    char *xml = NULL, *again = NULL;
    size_t len = 0;
    char instant[32];

    ck_assert_msg(pl_cert_to_xml(&e, &f, &xml, &len) == 0, "%s", e.msg);
    ck_assert_uint_eq(len, strlen(xml));
    valid_document(xml, "certificate");
    ck_assert(strncmp(xml, HEAD "<certificate xmlns=\"urn:pledger:1\" version=\"1\">\n"
                           "  <registration_number>ZC-TM-2024-000017</registration_number>\n"
                           "  <version>1</version>\n  <status>current</status>\n"
                           "  <kind>trademark</kind>\n  <security>pledge</security>\n"
                           "  <pledgor>\n    <name>福建闽江食品有限公司</name>\n"
                           "    <id type=\"uscc\">91350100M000100Y43</id>\n  </pledgor>\n",
                      300) == 0);
    ck_assert(strstr(xml, "  <rights>\n    <trademark>\n"
                          "      <identifier>12345678</identifier>\n"
                          "      <classes>29 30</classes>\n    </trademark>\n"));
    ck_assert(strstr(xml, "<amount currency=\"CNY\">300000000</amount>"));
    ck_assert(strstr(xml, "<period>\n    <start>2024-03-01</start>\n"
                          "    <end>2027-02-28</end>\n  </period>"));
    pl_instant_format(f.registered_at, instant);
    ck_assert(strstr(xml, instant));
    ck_assert(strstr(xml, "<application>0f8fad5b-d9cb-469f-a165-70867728950e</application>"));
    ck_assert(strstr(xml, "<verification_code>7K3Q-9XPM-2D4F</verification_code>\n"
                          "</certificate>\n"));
    /* Deterministic. */
    ck_assert_int_eq(pl_cert_to_xml(&e, &f, &again, NULL), 0);
    ck_assert_str_eq(xml, again);
    free(again);
    free(xml);

    /* A mortgage by kind, superseded, optional fields left out. */
    f.kind = PLEDGER_KIND_LAND;
    {
        static const pl_cert_right land[] = { { "land", "J110118201800123", NULL } };
        f.rights = land;
        f.n_rights = 1;
    }
    f.status = "superseded";
    f.version = 2;
    f.acceptance_number = NULL;
    f.application = NULL;
    f.pledgor.id = NULL;
    f.pledgor.id_type = 0;
    ck_assert_msg(pl_cert_to_xml(&e, &f, &xml, &len) == 0, "%s", e.msg);
    valid_document(xml, "certificate");
    ck_assert(strstr(xml, "<security>mortgage</security>"));
    ck_assert(strstr(xml, "<status>superseded</status>"));
    ck_assert(strstr(xml, "<land>\n      <identifier>J110118201800123</identifier>\n    </land>"));
    ck_assert(!strstr(xml, "<acceptance_number>"));
    ck_assert(!strstr(xml, "<application>"));
    free(xml);

    /* Refusals name the element. */
    f = cert_sample();
    f.registration_number = NULL;
    ck_assert_int_eq(pl_cert_to_xml(&e, &f, &xml, &len), PLEDGER_EXML);
    ck_assert_ptr_null(xml);
    ck_assert_msg(strstr(e.msg, "registration_number"), "%s", e.msg);
    f = cert_sample();
    f.application = "not-a-uuid";
    ck_assert_int_eq(pl_cert_to_xml(&e, &f, &xml, &len), PLEDGER_EXML);
    ck_assert_msg(strstr(e.msg, "certificate: application: "), "%s", e.msg);
    f = cert_sample();
    f.n_rights = 0;
    ck_assert_int_eq(pl_cert_to_xml(&e, &f, &xml, &len), PLEDGER_EXML);
    ck_assert_msg(strstr(e.msg, "rights"), "%s", e.msg);
    f = cert_sample();
    f.currency = "yuan";
    ck_assert_int_eq(pl_cert_to_xml(&e, &f, &xml, &len), PLEDGER_EXML);
    ck_assert_msg(strstr(e.msg, "amount/@currency"), "%s", e.msg);
    f = cert_sample();
    f.status = "draft";
    ck_assert_int_eq(pl_cert_to_xml(&e, &f, &xml, &len), PLEDGER_EXML);
    ck_assert_msg(strstr(e.msg, "status"), "%s", e.msg);
    f = cert_sample();
    f.pledgee.name = "bad\xff";
    ck_assert_int_eq(pl_cert_to_xml(&e, &f, &xml, &len), PLEDGER_EINVAL);
    f = cert_sample();
    f.pledgor.id_type = PLEDGER_ID_PATENT;
    ck_assert_int_eq(pl_cert_to_xml(&e, &f, &xml, &len), PLEDGER_EINVAL);
    ck_assert_msg(strstr(e.msg, "pledgor/id/@type"), "%s", e.msg);
    f = cert_sample();
    f.kind = (pledger_kind)0;
    ck_assert_int_eq(pl_cert_to_xml(&e, &f, &xml, &len), PLEDGER_EINVAL);
    ck_assert_int_eq(pl_cert_to_xml(&e, NULL, &xml, &len), PLEDGER_EINVAL);
}
END_TEST

START_TEST(pledge)
{
    pl_err e = { 0, "" };
    pl_pledge_fields p;
    static const pl_pledge_history history[] = {
        { 1, "register", INT64_C(1709280000000000) },
        { 2, "change", INT64_C(1717200000000000) },
    };
    char *xml = NULL;
    size_t len = 0;

    memset(&p, 0, sizeof p);
    p.cert = cert_sample();
    p.cert.version = 2;
    p.state = PLEDGER_PLEDGE_ACTIVE;
    p.valid_from = INT64_C(1717200000000000);
    ck_assert_msg(pl_pledge_to_xml(&e, &p, &xml, &len) == 0, "%s", e.msg);
    valid_document(xml, "pledge");
    ck_assert(strstr(xml, "<pledge xmlns=\"urn:pledger:1\" version=\"1\">"));
    ck_assert(strstr(xml, "</verification_code>\n  <state>active</state>\n  <valid_from>"));
    ck_assert(!strstr(xml, "<valid_to>"));
    ck_assert(!strstr(xml, "<history>"));
    free(xml);

    p.state = PLEDGER_PLEDGE_UNDER_OBJECTION;
    p.has_valid_to = true;
    p.valid_to = INT64_C(1719792000000000);
    p.history = history;
    p.n_history = 2;
    ck_assert_msg(pl_pledge_to_xml(&e, &p, &xml, &len) == 0, "%s", e.msg);
    valid_document(xml, "pledge");
    ck_assert(strstr(xml, "<state>under_objection</state>"));
    ck_assert(strstr(xml, "<valid_to>"));
    ck_assert(strstr(xml, "<history>\n    <entry>\n      <version>1</version>\n"
                          "      <operation>register</operation>\n"));
    ck_assert(strstr(xml, "<operation>change</operation>"));
    free(xml);

    for (int s = 1; s <= 5; s++)
        ck_assert_ptr_nonnull(pl_pledge_state_name(s));
    p.state = (pledger_pledge_state)9;
    ck_assert_int_eq(pl_pledge_to_xml(&e, &p, &xml, &len), PLEDGER_EINVAL);
    ck_assert_ptr_null(xml);
    p.state = PLEDGER_PLEDGE_REVOKED;
    {
        static const pl_pledge_history bad[] = { { 0, "register", 0 } };
        p.history = bad;
        p.n_history = 1;
    }
    ck_assert_int_eq(pl_pledge_to_xml(&e, &p, &xml, &len), PLEDGER_EXML);
    ck_assert_msg(strstr(e.msg, "history/entry/version"), "%s", e.msg);
}
END_TEST

/* ---- typed fields typed at a Chinese counter --------------------------------------- */

static const char *const typed_tags[] = {
    "classes", "filing_date", "grant_date", "due_date", "valid_from", "valid_to",
    "term_start", "term_end", "performance_start", "performance_end", "start", "end",
    "date", "amount", "capital", "value", "size", "allowance", "area",
};

/* @xml with the digits, '-' and '.' of every typed field written full
 * width, an ideographic space before and after (caller frees). */
static char *full_width(const char *xml)
{
    size_t n = strlen(xml);
    char *out = malloc(n * 4 + 1), *o = out;
    const char *p = xml;
    ck_assert_ptr_nonnull(out);
    while (*p) {
        bool typed = false;
        if (*p == '<' && p[1] != '/') {
            for (size_t t = 0; t < sizeof typed_tags / sizeof typed_tags[0] && !typed; t++) {
                size_t k = strlen(typed_tags[t]);
                typed = strncmp(p + 1, typed_tags[t], k) == 0 && (p[1 + k] == '>' ||
                                                                  p[1 + k] == ' ');
            }
        }
        if (!typed) {
            *o++ = *p++;
            continue;
        }
        while (*p != '>')
            *o++ = *p++;
        *o++ = *p++;
        if (*p == '<') /* an element of elements or empty: not typed text */
            continue;
        o += sprintf(o, "\xe3\x80\x80");
        for (; *p && *p != '<'; p++) {
            if (*p >= '0' && *p <= '9')
                o += sprintf(o, "\xef\xbc%c", (char)(0x90 + (*p - '0')));
            else if (*p == '-')
                o += sprintf(o, "\xef\xbc\x8d");
            else if (*p == '.')
                o += sprintf(o, "\xef\xbc\x8e");
            else
                *o++ = *p;
        }
        o += sprintf(o, "\xe3\x80\x80");
    }
    *o = '\0';
    return out;
}

static void same_date(const pl_app_date *a, const pl_app_date *b)
{
    ck_assert_int_eq(a->has, b->has);
    ck_assert_msg(a->valid == b->valid && a->days == b->days, "%s: '%s' and '%s'", a->path,
                  a->raw ? a->raw : "", b->raw ? b->raw : "");
}

static void same_amount(const pl_app_amount *a, const pl_app_amount *b)
{
    ck_assert_int_eq(a->has, b->has);
    ck_assert_msg(a->valid == b->valid && a->minor == b->minor, "%s", a->path);
    ck_assert_str_eq(a->currency ? a->currency : "", b->currency ? b->currency : "");
}

static void same_measure(const pl_app_measure *a, const pl_app_measure *b)
{
    ck_assert_str_eq(a->raw ? a->raw : "", b->raw ? b->raw : "");
}

/* Every sample with its dates, amounts, sizes, quantities and classes in
 * full-width digits between ideographic spaces is accepted, kept as
 * filed, and reads as the sample: the same days, minor units, classes. */
START_TEST(full_width_typed_fields)
{
    pl_err e = { 0, "" };
    size_t len = 0;
    char *xml = sample(kinds[_i], &len), *wide = full_width(xml), *back;
    pl_doc *d0 = NULL, *d1 = NULL;
    pl_app *a, *b;

    ck_assert_msg(strstr(wide, "\xef\xbc\x92"), "%s", wide); /* ２ somewhere */
    ck_assert_msg(pl_doc_parse(&d0, &e, xml, len) == 0, "%s", e.msg);
    ck_assert_msg(pl_doc_parse(&d1, &e, wide, strlen(wide)) == 0, "%s", e.msg);
    back = to_xml(d1);
    ck_assert_msg(strstr(back, "\xef\xbc\x92"), "not kept as filed: %s", back);
    a = extract(d0);
    b = extract(d1);
    same_date(&a->claim.performance_start, &b->claim.performance_start);
    same_date(&a->claim.performance_end, &b->claim.performance_end);
    same_amount(&a->claim.amount, &b->claim.amount);
    same_date(&a->period.start, &b->period.start);
    same_date(&a->period.end, &b->period.end);
    same_date(&a->contract.date, &b->contract.date);
    same_amount(&a->valuation.value, &b->valuation.value);
    same_date(&a->valuation.date, &b->valuation.date);
    ck_assert_uint_eq(a->n_rights, b->n_rights);
    for (size_t i = 0; i < a->n_rights; i++) {
        const pl_app_right *x = &a->rights[i], *y = &b->rights[i];
        ck_assert_uint_eq(x->n_classes, y->n_classes);
        ck_assert_int_eq(x->classes_valid, y->classes_valid);
        for (size_t k = 0; k < x->n_classes; k++)
            ck_assert_int_eq(x->classes[k], y->classes[k]);
        ck_assert_str_eq(x->classes_raw ? x->classes_raw : "",
                         y->classes_raw ? y->classes_raw : "");
        same_date(&x->filing_date, &y->filing_date);
        same_date(&x->grant_date, &y->grant_date);
        same_date(&x->due_date, &y->due_date);
        same_date(&x->valid_from, &y->valid_from);
        same_date(&x->valid_to, &y->valid_to);
        same_date(&x->term_start, &y->term_start);
        same_date(&x->term_end, &y->term_end);
        same_amount(&x->amount, &y->amount);
        same_amount(&x->capital, &y->capital);
        same_measure(&x->allowance, &y->allowance);
        same_measure(&x->area, &y->area);
    }
    ck_assert_uint_eq(a->n_materials, b->n_materials);
    for (size_t i = 0; i < a->n_materials; i++) {
        ck_assert_int_eq(a->materials[i].has_size, b->materials[i].has_size);
        ck_assert_int_eq(a->materials[i].size, b->materials[i].size);
    }
    pl_app_free(a);
    pl_app_free(b);
    pl_doc_free(d0);
    pl_doc_free(d1);
    free(back);
    free(wide);
    free(xml);
}
END_TEST

/* Set field by field: full-width digits, "第29类、第30类", a full-width
 * currency are taken (and kept as typed); what is still wrong once
 * folded is refused naming the field and saying what to type, the
 * document left as it was. */
START_TEST(typed_fields_as_typed)
{
    pl_err e = { 0, "" };
    pl_doc *d = load("trademark");
    pl_app *a;
    static const struct {
        const char *path, *value, *want;
    } bad[] = {
        { "rights/right[1]/classes", "第29类 x",
          "rights/right[1]/classes: '第29类 x' is not a list of Nice classes: type the class "
          "numbers from 1 to 45 separated by spaces, e.g. 29 30" },
        { "rights/right[1]/classes", "\xef\xbc\x94\xef\xbc\x96", "is not a list of Nice classes" },
        { "period/end", "2027/02/28", "period/end: '2027/02/28' is not a date: type it as "
          "YYYY-MM-DD, e.g. 2024-03-01" },
        { "period/end", "２０２４－０２－３０", "period/end: '２０２４－０２－３０' is not a real date" },
        { "claim/amount", "３００万", "claim/amount: '３００万' is not an amount: type a whole "
          "number of minor units (fen for CNY) in digits" },
        { "claim/amount", "3,000,000.00", "is not an amount" },
        { "materials/material[1]/size", "１８４ＫＢ", "materials/material[1]/size: '１８４ＫＢ' "
          "is not a size: type the number of bytes in digits" },
        { "valuation/date", "\xe3\x80\x80", "valuation/date: '\xe3\x80\x80' is not a date" },
        { "valuation/date", "2024年1月", "is not a date: type it as YYYY-MM-DD" },
        { "valuation/value/@currency", "人民币", "valuation/value/@currency: '人民币' is not a "
          "currency code: type the three letters of ISO 4217, e.g. CNY" },
        { "filing/joint", "是", "filing/joint: '是' is not true or false: type true or false "
          "(or 1 or 0)" },
        { "valuation/date", "2024年2月30日", "is not a real date" },
        { "valuation/date", "2024年-1月1日", "is not a date" },
        /* no year zero: refused in these words, not in the schema's */
        { "period/start", "0000-01-01", "period/start: '0000-01-01' is not a real date: type it "
          "as YYYY-MM-DD, e.g. 2024-03-01" },
        { "contract/date", "０年１月１日", "contract/date: '０年１月１日' is not a date" },
        { "contract/date", "００００－１２－３１", "is not a real date" },
    };

    set(d, "rights/right[1]/classes", "第２９类、第３０类");
    set(d, "period/end", "\xe3\x80\x80２０２７－０２－２８\xe3\x80\x80");
    set(d, "claim/amount", "３００００００００");
    set(d, "claim/amount/@currency", "ＣＮＹ");
    set(d, "materials/material[1]/size", "１８４３２０");
    set(d, "contract/date", "\xe3\x80\x80２０２４年２月６日");
    set(d, "valuation/date", "2024年01月15日");
    set(d, "valuation/value/@currency", "cny");
    set(d, "filing/online", "ＴＲＵＥ");
    set(d, "filing/joint", "０");
    ck_assert_str_eq(get(d, "rights/right[1]/classes"), "第２９类、第３０类");
    ck_assert_str_eq(get(d, "claim/amount"), "３００００００００");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(pl_doc_set(d, &e, bad[i].path, bad[i].value), PLEDGER_EXML);
        ck_assert_msg(strstr(e.msg, bad[i].want), "%s: '%s' lacks '%s'", bad[i].value, e.msg,
                      bad[i].want);
    }
    ck_assert_str_eq(get(d, "period/end"), "\xe3\x80\x80２０２７－０２－２８\xe3\x80\x80");
    a = extract(d);
    ck_assert_uint_eq(a->rights[0].n_classes, 2);
    ck_assert_int_eq(a->rights[0].classes[0], 29);
    ck_assert_int_eq(a->rights[0].classes[1], 30);
    ck_assert(a->rights[0].classes_valid);
    ck_assert_str_eq(a->rights[0].classes_raw, "29 30");
    ck_assert(a->period.end.valid);
    ck_assert_int_eq(a->period.end.days, day("2027-02-28"));
    ck_assert_str_eq(a->period.end.raw, "2027-02-28");
    ck_assert(a->claim.amount.valid);
    ck_assert_int_eq(a->claim.amount.minor, 300000000);
    ck_assert_str_eq(a->claim.amount.currency, "CNY");
    ck_assert_int_eq(a->materials[0].size, 184320);
    ck_assert_int_eq(a->contract.date.days, day("2024-02-06"));
    ck_assert_int_eq(a->valuation.date.days, day("2024-01-15"));
    ck_assert_str_eq(a->valuation.value.currency, "CNY");
    ck_assert(a->filing.online.has && a->filing.online.value);
    ck_assert(a->filing.joint.has && !a->filing.joint.value);
    ck_assert_str_eq(get(d, "valuation/value/@currency"), "cny");
    ck_assert_str_eq(get(d, "contract/date"), "\xe3\x80\x80２０２４年２月６日");
    pl_app_free(a);
    pl_doc_free(d);
}
END_TEST

/* Every value of every enumerated field, as a Chinese counter types it:
 * its Chinese term, its full-width upper-case form, ' ' or '-' for '_';
 * each is taken, kept as filed, and reads (extraction) as the value
 * itself.  What matches none is refused naming the field and listing the
 * values in both forms, the document left as it was. */
typedef struct {
    pl_enum which;
    const char *path;
    const char *value[15], *zh[15];
} enum_case;

static const enum_case enum_cases[] = {
    { PL_ENUM_PARTY_TYPE, "pledgor/@type", { "organisation", "person", "foreign" },
      { "单位", "个人", "境外主体" } },
    { PL_ENUM_ID_TYPE, "pledgor/id/@type", { "uscc", "resident", "passport", "foreign_reg" },
      { "统一社会信用代码", "居民身份证", "护照", "境外登记号" } },
    { PL_ENUM_PATENT_TYPE, "rights/right[1]/patent_type",
      { "invention", "utility_model", "design" }, { "发明", "实用新型", "外观设计" } },
    { PL_ENUM_CLAIM_TYPE, "claim/type", { "loan", "credit_line", "guarantee", "other" },
      { "借款", "授信", "担保", "其他" } },
    { PL_ENUM_CLAUSES, "contract/clauses",
      { "parties", "addresses", "claim", "deadline", "rights", "scope" },
      { "当事人", "住所", "被担保债权", "债务履行期限", "出质权利", "担保范围" } },
    { PL_ENUM_MATERIAL_KIND, "materials/material[1]/@kind",
      { "application_form", "commitment_letter", "main_contract", "pledge_contract", "identity",
        "power_of_attorney", "consent", "evaluation_report", "extension_agreement",
        "guarantee_letter", "name_change_proof", "translation", "other",
        "risk_acknowledgement" },
      { "申请表", "承诺书", "主合同", "质押合同", "身份证明", "授权委托书", "同意书",
        "评估报告", "展期协议", "保函", "名称变更证明", "翻译件", "其他", "风险告知书" } },
    { PL_ENUM_RISK_CODE, "acknowledgements/risk[1]/@code",
      { "invalidation_pending", "same_day_pair" }, { "无效宣告请求", "同日申请" } },
};

/* What the extraction read of the field of @which. */
static int extracted(pl_doc *d, pl_enum which)
{
    pl_app *a = extract(d);
    int v = 0;
    switch (which) {
    case PL_ENUM_PARTY_TYPE: v = (int)a->pledgor.type; break;
    case PL_ENUM_ID_TYPE: v = (int)a->pledgor.id_type; break;
    case PL_ENUM_PATENT_TYPE: v = (int)a->rights[0].patent_type; break;
    case PL_ENUM_CLAIM_TYPE: v = (int)a->claim.type; break;
    case PL_ENUM_CLAUSES: v = (int)a->contract.clauses; break;
    case PL_ENUM_MATERIAL_KIND: v = (int)a->materials[0].kind; break;
    case PL_ENUM_RISK_CODE: v = (int)a->risks[0].code; break;
    }
    pl_app_free(a);
    return v;
}

/* @s in full-width upper case, '_' as ' ' (malloc'd). */
static char *shouted(const char *s)
{
    char *out = malloc(strlen(s) * 3 + 1), *o = out;
    for (; *s; s++) {
        if (*s == '_') {
            *o++ = ' ';
            continue;
        }
        unsigned cp = (unsigned)toupper((unsigned char)*s) + 0xFEE0u;
        *o++ = (char)(0xE0 | cp >> 12);
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    *o = '\0';
    return out;
}

START_TEST(enumerations_in_chinese)
{
    const enum_case *c = &enum_cases[_i];
    pl_doc *d = load("patent");
    pl_err e = { 0, "" };

    for (size_t k = 0; c->value[k]; k++) {
        char dashed[64], *wide = shouted(c->value[k]);
        snprintf(dashed, sizeof dashed, " %s ", c->value[k]);
        for (char *p = dashed; *p; p++)
            if (*p == '_')
                *p = '-';
        set(d, c->path, c->value[k]);
        int want = extracted(d, c->which);
        ck_assert_int_ne(want, 0);
        const char *as_typed[] = { c->zh[k], wide, dashed };
        for (size_t t = 0; t < 3; t++) {
            set(d, c->path, as_typed[t]);
            ck_assert_str_eq(get(d, c->path), as_typed[t]);   /* kept as filed */
            ck_assert_msg(extracted(d, c->which) == want, "%s '%s' reads %d, not %d", c->path,
                          as_typed[t], extracted(d, c->which), want);
        }
        free(wide);
    }
    /* a list in Chinese, with Chinese separators */
    if (c->which == PL_ENUM_CLAUSES) {
        set(d, c->path, "当事人、住所，被担保债权 债务履行期限；出质权利 担保范围");
        ck_assert_int_eq(extracted(d, c->which), 0x3f);
    }
    /* refused naming the field and listing the values in both forms */
    set(d, c->path, c->zh[0]);
    ck_assert_int_eq(pl_doc_set(d, &e, c->path, "乱码"), PLEDGER_EXML);
    char want[160];
    snprintf(want, sizeof want, "'乱码' is not one of %s (%s), %s (%s)", c->value[0], c->zh[0],
             c->value[1], c->zh[1]);
    ck_assert_msg(strstr(e.msg, want), "'%s' lacks '%s'", e.msg, want);
    ck_assert_msg(strstr(e.msg, c->path), "'%s' does not name %s", e.msg, c->path);
    ck_assert_str_eq(get(d, c->path), c->zh[0]);
    pl_doc_free(d);
}
END_TEST

static Suite *application_doc_suite(void)
{
    Suite *s = suite_create("application-doc");
    TCase *tc = tcase_create("document");

    tcase_add_loop_test(tc, samples_round_trip, 0, 7);
    tcase_add_test(tc, new_documents);
    tcase_add_test(tc, parse_refusals);
    tcase_add_test(tc, get_paths);
    tcase_add_test(tc, count_paths);
    tcase_add_test(tc, set_paths);
    tcase_add_test(tc, set_refusals);
    tcase_add_test(tc, stable_bytes);
    tcase_add_test(tc, add_material);
    tcase_add_test(tc, clone);
    suite_add_tcase(s, tc);

    tc = tcase_create("extract");
    tcase_add_test(tc, extract_trademark);
    tcase_add_test(tc, extract_patent);
    tcase_add_test(tc, extract_receivable);
    tcase_add_test(tc, extract_equity);
    tcase_add_test(tc, extract_emission);
    tcase_add_test(tc, extract_real);
    tcase_add_test(tc, extract_lenient);
    tcase_add_loop_test(tc, full_width_typed_fields, 0, 7);
    tcase_add_test(tc, typed_fields_as_typed);
    tcase_add_loop_test(tc, enumerations_in_chinese, 0,
                        (int)(sizeof enum_cases / sizeof enum_cases[0]));
    suite_add_tcase(s, tc);

    tc = tcase_create("certificate");
    tcase_add_test(tc, certificate);
    tcase_add_test(tc, pledge);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(application_doc_suite)
