/* lib/model/xml: secure parsing, the embedded schema, validation messages
 * and short paths. */
#include "testutil.h"

#include <fcntl.h>
#include <pthread.h>

#include <libxml/xmlreader.h>

#include "model/xml.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define APP_OPEN "<application xmlns=\"urn:pledger:1\" kind=\"trademark\" version=\"1\">"

/* Parse @xml; on success returns the document, else NULL with @e set. */
static xmlDocPtr parse(pl_err *e, const char *xml)
{
    xmlDocPtr doc = NULL;
    int rc = pl_xml_parse(e, xml, strlen(xml), "doc", &doc);
    if (rc == 0)
        ck_assert_ptr_nonnull(doc);
    else
        ck_assert_ptr_null(doc);
    return doc;
}

/* Assert that parsing @xml fails with PLEDGER_EXML and a message holding
 * every string of the NULL-terminated list. */
static void refused(const char *xml, size_t len, ...)
{
    pl_err e = { 0, "" };
    xmlDocPtr doc = NULL;
    va_list ap;
    const char *want;
    int rc = pl_xml_parse(&e, xml, len, "doc", &doc);

    ck_assert_msg(rc == PLEDGER_EXML, "rc %d (%s) for %.200s", rc, e.msg, xml);
    ck_assert_ptr_null(doc);
    ck_assert_int_eq(e.code, PLEDGER_EXML);
    ck_assert_msg(strncmp(e.msg, "doc: ", 5) == 0, "message '%s' does not start with what", e.msg);
    va_start(ap, len);
    while ((want = va_arg(ap, const char *)) != NULL)
        ck_assert_msg(strstr(e.msg, want), "message '%s' lacks '%s'", e.msg, want);
    va_end(ap);
}

#define REFUSED(xml, ...) refused((xml), strlen(xml), __VA_ARGS__, (const char *)NULL)

START_TEST(parse_valid)
{
    pl_err e = { 0, "" };
    xmlDocPtr doc = parse(&e, HEAD APP_OPEN "<pledgor><name>A &amp; B</name></pledgor>"
                                            "<!-- c --></application>");
    xmlNodePtr root, name;

    ck_assert_msg(doc != NULL, "%s", e.msg);
    root = xmlDocGetRootElement(doc);
    ck_assert(pl_xml_is(root, "application"));
    name = pl_xml_child(pl_xml_child(root, "pledgor"), "name");
    ck_assert_ptr_nonnull(name);
    {
        xmlChar *t = xmlNodeGetContent(name);
        ck_assert_str_eq((const char *)t, "A & B");
        xmlFree(t);
    }
    ck_assert_int_eq(pl_xml_validate(&e, doc, PL_XML_SCHEMA, "doc"), 0);
    xmlFreeDoc(doc);

    /* CDATA becomes text; a prefixed root in the right namespace is fine. */
    doc = parse(&e, "<p:application xmlns:p=\"urn:pledger:1\" kind=\"patent\" version=\"1\">"
                    "<p:claim><p:main_contract_number><![CDATA[<x>]]></p:main_contract_number>"
                    "</p:claim></p:application>");
    ck_assert_msg(doc != NULL, "%s", e.msg);
    ck_assert_int_eq(pl_xml_validate(&e, doc, PL_XML_SCHEMA, "doc"), 0);
    xmlFreeDoc(doc);
}
END_TEST

START_TEST(refuse_not_well_formed)
{
    REFUSED(HEAD APP_OPEN "\n<pledgor>\n<name>x</nam>\n</pledgor></application>", "line 4");
    REFUSED(HEAD APP_OPEN "\n<claim>\n</application>", "line 4");
    REFUSED("", "line");
    REFUSED("just text", "line 1");
    /* Undeclared entity: there is no DTD to declare one. */
    REFUSED(HEAD APP_OPEN "\n\n<pledgor><name>&foo;</name></pledgor></application>",
            "line 4", "foo");
    /* Undeclared namespace prefix. */
    REFUSED(HEAD APP_OPEN "\n<x:pledgor/></application>", "line 3");
}
END_TEST

/* Every kind of ill-formed document is told in words a person filing it
 * reads, naming what is wrong and where -- not in libxml2's ("PCDATA
 * invalid Char value 7", "xmlParseEntityRef: no name"); in Chinese too. */
START_TEST(not_well_formed_in_words)
{
    static const struct {
        const char *xml, *words, *zh;
    } cases[] = {
        { HEAD APP_OPEN "\n<pledgor><name>a\x07" "b</name></pledgor></application>",
          "line 3: the text holds a character XML does not allow (U+0007)", "U+0007" },
        { HEAD APP_OPEN "\n<pledgor><name>&#1;</name></pledgor></application>",
          "line 3: the text holds a character XML does not allow (U+0001)", "U+0001" },
        { "", "line 1: the document holds no XML element", "没有 XML 元素" },
        { "{\"json\": 1}", "line 1: the document holds no XML element", "没有 XML 元素" },
        { HEAD APP_OPEN "</application>\n<more/>",
          "line 3: there is more after the end of the document's root element", "还有内容" },
        { HEAD APP_OPEN "\n<pledgor><name>A & B</name></pledgor></application>",
          "line 3: a '&' begins no entity reference: write it as &amp;", "&amp;" },
        { HEAD APP_OPEN "\n<pledgor><name>&nbsp;</name></pledgor></application>",
          "line 3: the entity &nbsp; is not defined", "&nbsp;" },
        { HEAD "<application a=\"x<y\"/>",
          "line 2: an attribute's value holds a '<': write it as &lt;", "&lt;" },
        { HEAD "<application a=\"1\" a=\"2\"/>",
          "line 2: the attribute a is given twice in one element", "属性 a" },
        { HEAD "<application a=1/>", "line 2: an attribute's value is not in quotes",
          "引号" },
        { HEAD APP_OPEN "\n<pledgor>\n<name>x</nam>\n</pledgor></application>",
          "line 4: the element <name> opened on line 4 is closed by </nam>",
          "第 4 行开始的元素 <name> 被 </nam> 结束" },
        { HEAD APP_OPEN "\n<pledgor>\n<name", "the start tag <name> of line 4 does not end",
          "<name>" },
        { HEAD APP_OPEN "\n<pledgor>\n<name>x",
          "the document ends before the element <name> of line 4 is closed", "<name>" },
        { HEAD APP_OPEN "\n<x:pledgor/></application>",
          "line 3: the namespace prefix x is not declared", "前缀 x" },
        /* libxml2's own words, which have no translation, said to be its */
        { HEAD "<application a=\"x\n", "AttValue", "XML 格式不正确（libxml2：" },
        /* what the guard refuses before libxml2 reads anything */
        { HEAD "<!DOCTYPE application [<!ENTITY x \"y\">]>\n" APP_OPEN "</application>",
          "a DOCTYPE declaration is not allowed (no DTD, no entities)",
          "不允许 DOCTYPE 声明（不接受 DTD 和实体）" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        REFUSED(cases[i].xml, cases[i].words);
        pl_err e = { 0, "" };
        xmlDocPtr doc = NULL;
        ck_assert_int_eq(pledger_set_language("zh_CN"), 0);
        int rc = pl_xml_parse(&e, cases[i].xml, strlen(cases[i].xml), "doc", &doc);
        ck_assert_int_eq(pledger_set_language(NULL), 0);
        ck_assert_int_eq(rc, PLEDGER_EXML);
        const char *local = pl_err_text(&e);
        ck_assert_msg(strstr(local, cases[i].zh), "case %zu: '%s' lacks '%s'", i, local,
                      cases[i].zh);
        ck_assert_msg(!strstr(local, "the "), "case %zu: '%s' is in English", i, local);
        ck_assert_ptr_nonnull(strstr(e.msg, cases[i].words)); /* the English kept */
    }
    /* a comment over the limit of one construct (1 MiB), in Chinese: the
     * construct's name too */
    size_t big = (2u << 20) + 64;
    char *xml = malloc(big);
    ck_assert_ptr_nonnull(xml);
    int at = snprintf(xml, big, "%s<!-- ", HEAD);
    memset(xml + at, 'p', 2u << 20);
    strcpy(xml + at + (2u << 20), " -->");
    pl_err e = { 0, "" };
    xmlDocPtr doc = NULL;
    ck_assert_int_eq(pledger_set_language("zh_CN"), 0);
    ck_assert_int_eq(pl_xml_parse(&e, xml, strlen(xml), "doc", &doc), PLEDGER_EXML);
    ck_assert_int_eq(pledger_set_language(NULL), 0);
    ck_assert_msg(strstr(pl_err_text(&e), "注释 长于"), "%s", pl_err_text(&e));
    ck_assert_msg(strstr(e.msg, "a comment longer than"), "%s", e.msg);
    free(xml);
}
END_TEST

START_TEST(refuse_dtd)
{
    /* Billion laughs: refused at the DOCTYPE, before any expansion. */
    static const char laughs[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE lolz [\n"
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
        "<application xmlns=\"urn:pledger:1\" kind=\"trademark\" version=\"1\">"
        "<pledgor><name>&lol9;</name></pledgor></application>\n";
    /* External entity (XXE). */
    static const char xxe[] =
        "<?xml version=\"1.0\"?>\n"
        "\n"
        "<!DOCTYPE application [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
        "<application xmlns=\"urn:pledger:1\" kind=\"trademark\" version=\"1\">"
        "<pledgor><name>&xxe;</name></pledgor></application>\n";
    /* External DTD over the network. */
    static const char ext[] =
        "<!DOCTYPE application SYSTEM \"http://127.0.0.1:9/evil.dtd\">\n"
        "<application xmlns=\"urn:pledger:1\" kind=\"trademark\" version=\"1\"/>\n";
    /* Parameter entities. */
    static const char param[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE a [<!ENTITY % p SYSTEM \"file:///etc/hostname\"> %p;]>\n"
        "<application xmlns=\"urn:pledger:1\" kind=\"trademark\" version=\"1\"/>\n";

    REFUSED(laughs, "line 2", "DOCTYPE");
    REFUSED(xxe, "line 3", "DOCTYPE");
    REFUSED(ext, "line 1", "DOCTYPE");
    REFUSED(param, "line 2", "DOCTYPE");
}
END_TEST

START_TEST(refuse_namespace)
{
    REFUSED(HEAD "\n<application xmlns=\"urn:pledger:2\" kind=\"trademark\" version=\"1\"/>",
            "line 3", "urn:pledger:2", "urn:pledger:1");
    REFUSED(HEAD "<application kind=\"trademark\" version=\"1\"/>", "line 2", "namespace");
}
END_TEST

static char *nested(int depth)
{
    size_t cap = (size_t)depth * 16 + 200;
    char *s = malloc(cap);
    size_t n = 0;

    ck_assert_ptr_nonnull(s);
    n += (size_t)snprintf(s + n, cap - n, "<application xmlns=\"urn:pledger:1\" kind=\"land\" "
                                          "version=\"1\">\n");
    for (int i = 1; i < depth; i++)
        n += (size_t)snprintf(s + n, cap - n, "<d>\n");
    for (int i = 1; i < depth; i++)
        n += (size_t)snprintf(s + n, cap - n, "</d>");
    snprintf(s + n, cap - n, "</application>");
    return s;
}

START_TEST(refuse_depth)
{
    pl_err e = { 0, "" };
    char *deep = nested(100);
    char *ok = nested(PL_XML_MAX_DEPTH);
    char *over = nested(PL_XML_MAX_DEPTH + 1);
    xmlDocPtr doc;

    /* The 65th element opens on line 65. */
    REFUSED(deep, "line 65", "deeper than 64");
    REFUSED(over, "line 65", "deeper than 64");
    doc = parse(&e, ok);
    ck_assert_msg(doc != NULL, "64 levels refused: %s", e.msg);
    /* Well-formed but not valid: <d> is no element of the schema. */
    ck_assert_int_eq(pl_xml_validate(&e, doc, PL_XML_SCHEMA, "doc"), PLEDGER_EXML);
    ck_assert_msg(strstr(e.msg, "doc: line 2: d: "), "%s", e.msg);
    xmlFreeDoc(doc);
    free(deep);
    free(ok);
    free(over);
}
END_TEST

START_TEST(refuse_encoding)
{
    static const char bad[] = HEAD APP_OPEN "\n<pledgor>\n<name>caf\xe9</name>\n</pledgor>"
                                            "</application>";
    static const char overlong[] = HEAD APP_OPEN "<pledgor><name>\xc0\xaf</name></pledgor>"
                                                 "</application>";
    static const char nul[] = HEAD APP_OPEN "\n\n<pledgor/>\0</application>";
    static const char latin1[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" APP_OPEN
                                 "<pledgor><name>\xc3\xa9</name></pledgor></application>";
    static const char utf16[] = "\xff\xfe<\0a\0/\0>\0";
    pl_err e = { 0, "" };
    xmlDocPtr doc;

    refused(bad, sizeof bad - 1, "line 4", "UTF-8", (const char *)NULL);
    refused(overlong, sizeof overlong - 1, "line 2", "UTF-8", (const char *)NULL);
    refused(nul, sizeof nul - 1, "line 4", "NUL", (const char *)NULL);
    refused(utf16, sizeof utf16 - 1, "line 1", (const char *)NULL);

    /* A declared encoding is ignored: the bytes are UTF-8, é stays é. */
    doc = parse(&e, latin1);
    ck_assert_msg(doc != NULL, "%s", e.msg);
    {
        xmlNodePtr name = pl_xml_child(pl_xml_child(xmlDocGetRootElement(doc), "pledgor"),
                                       "name");
        xmlChar *t = xmlNodeGetContent(name);
        ck_assert_str_eq((const char *)t, "\xc3\xa9");
        xmlFree(t);
    }
    xmlFreeDoc(doc);
}
END_TEST

START_TEST(refuse_size)
{
    size_t len = PL_XML_MAX_SIZE + 1;
    char *big = malloc(len);
    const char *open = APP_OPEN "<pledgor><name>";

    ck_assert_ptr_nonnull(big);
    memset(big, 'a', len);
    memcpy(big, open, strlen(open));
    refused(big, len, "16 MiB", (const char *)NULL);
    free(big);
}
END_TEST

/* libxml2 must never print: run failing parses and validations with
 * stderr redirected into a file and check the file stays empty. */
START_TEST(silent)
{
    char *dir = pl_test_mkdir();
    char *path = pl_test_path(dir, "stderr");
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    int saved = dup(2);
    pl_err e = { 0, "" };
    xmlDocPtr doc;
    size_t len = 1;
    char *got;

    ck_assert_int_ge(fd, 0);
    ck_assert_int_ge(saved, 0);
    fflush(stderr);
    ck_assert_int_ge(dup2(fd, 2), 0);
    ck_assert_ptr_null(parse(&e, "<a><b></a>"));
    ck_assert_ptr_null(parse(&e, "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"));
    ck_assert_ptr_null(parse(&e, APP_OPEN "&undefined;</application>"));
    ck_assert_ptr_null(parse(&e, APP_OPEN "<y:b/></application>"));
    doc = parse(&e, APP_OPEN "<bogus/><pledgor type=\"robot\"/></application>");
    ck_assert_ptr_nonnull(doc);
    ck_assert_int_eq(pl_xml_validate(&e, doc, PL_XML_SCHEMA, "doc"), PLEDGER_EXML);
    xmlFreeDoc(doc);
    fflush(stderr);
    ck_assert_int_ge(dup2(saved, 2), 0);
    close(saved);
    close(fd);
    got = pl_test_slurp(path, &len);
    ck_assert_msg(len == 0, "libxml2 printed: %s", got);
    free(got);
    free(path);
    pl_test_rmdir(dir);
}
END_TEST

START_TEST(schema_once)
{
    pl_err e = { 0, "" };
    xmlSchemaPtr a = pl_xml_schema(&e, PL_XML_SCHEMA);
    xmlSchemaPtr b = pl_xml_schema(&e, PL_XML_SCHEMA);

    ck_assert_msg(a != NULL, "%s", e.msg);
    ck_assert_ptr_eq(a, b);
    ck_assert_ptr_null(pl_xml_schema(&e, "nonexistent.xsd"));
    ck_assert_int_eq(e.code, PLEDGER_ENOTFOUND);
    ck_assert_msg(strstr(e.msg, "nonexistent.xsd"), "%s", e.msg);
}
END_TEST

static void *schema_thread(void *arg)
{
    pl_err e = { 0, "" };
    xmlDocPtr doc = NULL;
    static const char xml[] = APP_OPEN "<claim><amount currency=\"CNY\">5</amount></claim>"
                                       "</application>";
    (void)arg;
    for (int i = 0; i < 20; i++) {
        if (pl_xml_parse(&e, xml, sizeof xml - 1, "t", &doc) != 0)
            return NULL;
        if (pl_xml_validate(&e, doc, PL_XML_SCHEMA, "t") != 0) {
            xmlFreeDoc(doc);
            return NULL;
        }
        xmlFreeDoc(doc);
    }
    return pl_xml_schema(&e, PL_XML_SCHEMA);
}

START_TEST(schema_threads)
{
    pthread_t t[8];
    void *r[8];
    pl_err e = { 0, "" };

    for (int i = 0; i < 8; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, schema_thread, NULL), 0);
    for (int i = 0; i < 8; i++)
        ck_assert_int_eq(pthread_join(t[i], &r[i]), 0);
    for (int i = 0; i < 8; i++)
        ck_assert_ptr_eq(r[i], pl_xml_schema(&e, PL_XML_SCHEMA));
}
END_TEST

static void reader_error(void *arg, xmlErrorPtr err)
{
    (void)err;
    (*(int *)arg)++;
}

/* The other helpers stream large imports through xmlTextReader with the
 * same compiled schema. */
START_TEST(schema_reader)
{
    static const char good[] = APP_OPEN "<period><start>2024-01-01</start></period>"
                                        "</application>";
    static const char bad[] = APP_OPEN "<period><start>2024-13-01</start></period>"
                                       "</application>";
    pl_err e = { 0, "" };
    xmlSchemaPtr schema = pl_xml_schema(&e, PL_XML_SCHEMA);
    xmlTextReaderPtr r;
    int rc, errors = 0;

    ck_assert_ptr_nonnull(schema);
    r = xmlReaderForMemory(good, (int)sizeof good - 1, NULL, NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(r);
    xmlTextReaderSetStructuredErrorHandler(r, reader_error, &errors);
    ck_assert_int_eq(xmlTextReaderSetSchema(r, schema), 0);
    while ((rc = xmlTextReaderRead(r)) == 1)
        ;
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(xmlTextReaderIsValid(r), 1);
    ck_assert_int_eq(errors, 0);
    xmlFreeTextReader(r);

    r = xmlReaderForMemory(bad, (int)sizeof bad - 1, NULL, NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(r);
    xmlTextReaderSetStructuredErrorHandler(r, reader_error, &errors);
    ck_assert_int_eq(xmlTextReaderSetSchema(r, schema), 0);
    while ((rc = xmlTextReaderRead(r)) == 1)
        ;
    ck_assert_int_ne(xmlTextReaderIsValid(r), 1);
    ck_assert_int_gt(errors, 0);
    xmlFreeTextReader(r);
}
END_TEST

static void invalid(const char *xml, const char *want)
{
    pl_err e = { 0, "" };
    xmlDocPtr doc = parse(&e, xml);

    ck_assert_msg(doc != NULL, "%s", e.msg);
    ck_assert_int_eq(pl_xml_validate(&e, doc, PL_XML_SCHEMA, "doc"), PLEDGER_EXML);
    ck_assert_msg(strstr(e.msg, want), "message '%s' lacks '%s'", e.msg, want);
    ck_assert_msg(!strstr(e.msg, "{urn:pledger:1}"), "namespace noise in '%s'", e.msg);
    xmlFreeDoc(doc);
}

START_TEST(validate_messages)
{
    invalid(APP_OPEN "\n<pledgor>\n<nickname>x</nickname></pledgor></application>",
            "doc: line 3: pledgor/nickname: This element is not expected");
    invalid(APP_OPEN "\n<pledgor type=\"robot\"/></application>",
            "doc: line 2: pledgor/@type: ");
    invalid(APP_OPEN "\n<rights>\n<trademark/>\n<trademark>\n<classes>9 46</classes>"
                     "</trademark></rights></application>",
            "doc: line 5: rights/right[2]/classes: ");
    invalid(APP_OPEN "\n<period>\n<start>2024-02-30</start></period></application>",
            "doc: line 3: period/start: ");
    invalid(APP_OPEN "<claim><amount currency=\"CNY\">12.50</amount></claim></application>",
            "claim/amount: ");
    invalid(APP_OPEN "<claim><amount currency=\"yuan\">1250</amount></claim></application>",
            "claim/amount/@currency: ");
    invalid(APP_OPEN "<materials><material kind=\"other\"/><material kind=\"selfie\"/>"
                     "</materials></application>",
            "materials/material[2]/@kind: ");
    invalid(APP_OPEN "<pledgor/><pledgor/></application>", "pledgor[2]: ");
    invalid("<application xmlns=\"urn:pledger:1\" kind=\"boat\" version=\"1\"/>", "@kind: ");
    invalid("<application xmlns=\"urn:pledger:1\" kind=\"land\"/>",
            "doc: line 1: application: ");
}
END_TEST

START_TEST(short_paths)
{
    pl_err e = { 0, "" };
    xmlDocPtr doc = parse(&e, APP_OPEN
        "<pledgor type=\"person\"><name>n</name><id type=\"resident\">x</id></pledgor>"
        "<rights><trademark><number>1</number></trademark>"
        "<trademark><number>2</number></trademark></rights>"
        "<materials><material kind=\"identity\"/><material/><material kind=\"other\">"
        "<sha256>ab</sha256></material></materials>"
        "<acknowledgements><risk>r</risk></acknowledgements></application>");
    xmlNodePtr root, pledgor, rights, r2, mats, m3;
    char *p;

    ck_assert_ptr_nonnull(doc);
    root = xmlDocGetRootElement(doc);
    pledgor = pl_xml_child(root, "pledgor");
    rights = pl_xml_child(root, "rights");
    mats = pl_xml_child(root, "materials");
    r2 = rights->children->next;
    m3 = mats->last;

#define CHECK_PATH(node, want)                                                 \
    do {                                                                       \
        p = pl_xml_short_path((xmlNodePtr)(node));                             \
        ck_assert_ptr_nonnull(p);                                              \
        ck_assert_str_eq(p, want);                                             \
        free(p);                                                               \
    } while (0)

    CHECK_PATH(root, "application");
    CHECK_PATH(xmlHasProp(root, BAD_CAST "kind"), "@kind");
    CHECK_PATH(pledgor, "pledgor");
    CHECK_PATH(xmlHasProp(pledgor, BAD_CAST "type"), "pledgor/@type");
    CHECK_PATH(pl_xml_child(pledgor, "name"), "pledgor/name");
    CHECK_PATH(pl_xml_child(pledgor, "name")->children, "pledgor/name");
    CHECK_PATH(xmlHasProp(pl_xml_child(pledgor, "id"), BAD_CAST "type"), "pledgor/id/@type");
    CHECK_PATH(rights->children, "rights/right[1]");
    CHECK_PATH(r2, "rights/right[2]");
    CHECK_PATH(pl_xml_child(r2, "number"), "rights/right[2]/number");
    CHECK_PATH(m3, "materials/material[3]");
    CHECK_PATH(xmlHasProp(m3, BAD_CAST "kind"), "materials/material[3]/@kind");
    CHECK_PATH(pl_xml_child(m3, "sha256"), "materials/material[3]/sha256");
    CHECK_PATH(pl_xml_child(pl_xml_child(root, "acknowledgements"), "risk"),
               "acknowledgements/risk");
    ck_assert_ptr_null(pl_xml_short_path(NULL));
    {
        bool written;
        ck_assert_int_eq(pl_xml_index(r2, &written), 2);
        ck_assert(written);
        ck_assert_int_eq(pl_xml_index(rights->children, &written), 1);
        ck_assert(written);
        ck_assert_int_eq(pl_xml_index(pledgor, &written), 1);
        ck_assert(!written);
    }
#undef CHECK_PATH
    xmlFreeDoc(doc);
}
END_TEST

START_TEST(check_text)
{
    pl_err e = { 0, "" };

    ck_assert_int_eq(pl_xml_check_text(&e, "福建 A&B <x>\t\r\n", "f"), 0);
    ck_assert_int_eq(pl_xml_check_text(&e, "", "f"), 0);
    ck_assert_int_eq(pl_xml_check_text(&e, "bad\xff", "pledgor/name"), PLEDGER_EINVAL);
    ck_assert_msg(strstr(e.msg, "pledgor/name") && strstr(e.msg, "UTF-8"), "%s", e.msg);
    ck_assert_int_eq(pl_xml_check_text(&e, "bell\x07", "pledgor/name"), PLEDGER_EINVAL);
    ck_assert_msg(strstr(e.msg, "U+0007"), "%s", e.msg);
    ck_assert_int_eq(pl_xml_check_text(&e, "\xef\xbf\xbe", "f"), PLEDGER_EINVAL);
    ck_assert_msg(strstr(e.msg, "U+FFFE"), "%s", e.msg);
}
END_TEST

START_TEST(strip_and_dump)
{
    pl_err e = { 0, "" };
    xmlDocPtr doc = parse(&e, "<?xml version=\"1.0\"?>\n<!-- top -->\n" APP_OPEN
                              "\n   <pledgor>  <name> A </name>\n<?pi x?><!--c--></pledgor>"
                              "<filing/>\n</application>\n");
    char *out = NULL;
    size_t len = 0;

    ck_assert_ptr_nonnull(doc);
    pl_xml_strip(doc);
    ck_assert_int_eq(pl_xml_dump(&e, doc, &out, &len), 0);
    ck_assert_str_eq(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" APP_OPEN "\n"
                          "  <pledgor>\n    <name> A </name>\n  </pledgor>\n  <filing/>\n"
                          "</application>\n");
    ck_assert_uint_eq(len, strlen(out));
    free(out);
    xmlFreeDoc(doc);
}
END_TEST

static Suite *xml_suite(void)
{
    Suite *s = suite_create("xml");
    TCase *tc = tcase_create("xml");

    tcase_add_test(tc, parse_valid);
    tcase_add_test(tc, refuse_not_well_formed);
    tcase_add_test(tc, not_well_formed_in_words);
    tcase_add_test(tc, refuse_dtd);
    tcase_add_test(tc, refuse_namespace);
    tcase_add_test(tc, refuse_depth);
    tcase_add_test(tc, refuse_encoding);
    tcase_add_test(tc, refuse_size);
    tcase_add_test(tc, silent);
    tcase_add_test(tc, schema_once);
    tcase_add_test(tc, schema_threads);
    tcase_add_test(tc, schema_reader);
    tcase_add_test(tc, validate_messages);
    tcase_add_test(tc, short_paths);
    tcase_add_test(tc, check_text);
    tcase_add_test(tc, strip_and_dump);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(xml_suite)
