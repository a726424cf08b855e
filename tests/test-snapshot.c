/* The one pledge snapshot (pledge.h): pledger_pledge_get(), a
 * verification's pledger_verification_pledge() and a search hit's
 * pledger_cursor_pledge() give the same fields for the same version;
 * pledger_pledge_field() reads each by its path in the pledge document,
 * with the document's text; the certificate handle (pledger_certificate_load)
 * agrees with the certificate document, also once superseded; and what a
 * bank may not see is masked the same way in every form. */
#include <inttypes.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "testutil.h"
#include "fixture.h"

#define PL_NS "urn:pledger:1"

static char *dir, *path;
static pledger_registry *reg;

static void setup(void) { fx_ck_setup(&dir, &path, &reg); }
static void teardown(void) { fx_ck_teardown(dir, path, reg); }

/* A registered sample of @kind, its number in @num (64 bytes). */
static void registered(int kind, char num[64])
{
    char *n = NULL;
    PL_OK(reg, fx_registered(reg, kind, &n, NULL));
    snprintf(num, 64, "%s", n);
    pledger_free(n);
}

static pledger_pledge *get(const char *num)
{
    pledger_pledge *p = NULL;
    PL_OK(reg, pledger_pledge_get(&p, reg, num));
    return p;
}

static char *xml_of(const pledger_pledge *p)
{
    char *x = NULL;
    PL_OK(NULL, pledger_pledge_to_xml(&x, p));
    return x;
}

/* Every getter, every field and the document of @a and @b agree. */
static void same_pledge(const pledger_pledge *a, const pledger_pledge *b, const char *what)
{
#define SAME_STR(g)                                                                       \
    ck_assert_msg(!strcmp(g(a), g(b)), "%s: %s '%s' vs '%s'", what, #g, g(a), g(b))
#define SAME_INT(g)                                                                       \
    ck_assert_msg(g(a) == g(b), "%s: %s %" PRId64 " vs %" PRId64, what, #g, (int64_t)g(a), \
                  (int64_t)g(b))
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    SAME_STR(pledger_pledge_number);
    SAME_INT(pledger_pledge_kind);
    SAME_STR(pledger_pledge_security);
    SAME_INT(pledger_pledge_state_of);
    SAME_INT(pledger_pledge_version);
    SAME_INT(pledger_pledge_registered_at);
    SAME_INT(pledger_pledge_valid_from);
    SAME_INT(pledger_pledge_valid_to);
    SAME_STR(pledger_pledge_pledgor_name);
    SAME_STR(pledger_pledge_pledgor_id);
    SAME_STR(pledger_pledge_pledgee_name);
    SAME_STR(pledger_pledge_pledgee_id);
    SAME_INT(pledger_pledge_amount);
    SAME_STR(pledger_pledge_currency);
    SAME_STR(pledger_pledge_period_start);
    SAME_STR(pledger_pledge_period_end);
    SAME_STR(pledger_pledge_acceptance_number);
    SAME_STR(pledger_pledge_application_uuid);
    SAME_INT(pledger_pledge_right_count);
    SAME_INT(pledger_pledge_field_count);
#undef SAME_STR
#undef SAME_INT
    for (size_t i = 0; i < pledger_pledge_right_count(a); i++)
        ck_assert_str_eq(pledger_pledge_right_id(a, i), pledger_pledge_right_id(b, i));
    for (size_t i = 0; i < pledger_pledge_field_count(a); i++) {
        ck_assert_str_eq(pledger_pledge_field_path(a, i), pledger_pledge_field_path(b, i));
        ck_assert_msg(!strcmp(pledger_pledge_field(a, pledger_pledge_field_path(a, i)),
                              pledger_pledge_field(b, pledger_pledge_field_path(a, i))),
                      "%s: field %s differs", what, pledger_pledge_field_path(a, i));
    }
    char *xa = xml_of(a), *xb = xml_of(b);
    ck_assert_msg(!strcmp(xa, xb), "%s: the documents differ:\n%s\n%s", what, xa, xb);
    pledger_free(xa);
    pledger_free(xb);
}

/* The snapshot of @num from a verification and from a search by @kind
 * and @right, at @as_of, compared with pledger_pledge_get(_at)'s. */
static void three_forms_agree(const char *num, int kind, const char *right, int64_t as_of)
{
    pledger_pledge *p = NULL;
    pledger_verification *v = NULL;
    pledger_verify_options vo = PLEDGER_VERIFY_OPTIONS_INIT;
    pledger_query q = PLEDGER_QUERY_INIT;
    pledger_cursor *cur = NULL;
    int found = 0;

    if (as_of == PLEDGER_AS_OF_CURRENT)
        PL_OK(reg, pledger_pledge_get(&p, reg, num));
    else
        PL_OK(reg, pledger_pledge_get_at(&p, reg, num, as_of));
    vo.as_of = as_of;
    PL_OK(reg, pledger_verify(&v, reg, num, &vo));
    same_pledge(p, pledger_verification_pledge(v), "verify");
    q.kind = kind;
    q.right_id = right;
    q.as_of = as_of;
    PL_OK(reg, pledger_search(&cur, reg, &q));
    ck_assert_ptr_null(pledger_cursor_pledge(cur)); /* not on a hit yet */
    while (pledger_cursor_next(cur) == 1) {
        const pledger_pledge *h = pledger_cursor_pledge(cur);
        ck_assert_ptr_nonnull(h);
        if (!strcmp(pledger_pledge_number(h), num)) {
            same_pledge(p, h, "search");
            found++;
        }
    }
    ck_assert_ptr_null(pledger_cursor_pledge(cur)); /* past the end */
    ck_assert_int_eq(found, 1);
    pledger_cursor_free(cur);
    pledger_verification_free(v);
    pledger_pledge_free(p);
}

/* ---- one snapshot, three ways ---------------------------------------------------------------- */

START_TEST(test_three_forms)
{
    char tm[64], ar[64];
    registered(PLEDGER_KIND_TRADEMARK, tm);
    registered(PLEDGER_KIND_RECEIVABLE, ar);
    pledger_pledge *p = get(tm);
    char right[128];
    snprintf(right, sizeof right, "%s", pledger_pledge_right_id(p, 0));
    pledger_pledge_free(p);
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    three_forms_agree(tm, PLEDGER_KIND_TRADEMARK, right, PLEDGER_AS_OF_CURRENT);
    int64_t before_change = fx_now_us;
    /* a change: version 2, and version 1 is read back at an instant */
    fx_now_us += FX_DAY_US;
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.amount = 123456789;
    ch.pledgee_name = "新的质权人银行股份有限公司";
    PL_OK(reg, pledger_pledge_change(reg, tm, &ch, NULL));
    fx_now_us += FX_DAY_US;
    three_forms_agree(tm, PLEDGER_KIND_TRADEMARK, right, PLEDGER_AS_OF_CURRENT);
    three_forms_agree(tm, PLEDGER_KIND_TRADEMARK, right, before_change);
    p = get(tm);
    ck_assert_int_eq(pledger_pledge_version(p), 2);
    ck_assert_str_eq(pledger_pledge_field(p, "amount"), "123456789");
    ck_assert_str_eq(pledger_pledge_field(p, "pledgee/name"), "新的质权人银行股份有限公司");
    ck_assert_str_eq(pledger_pledge_field(p, "history/entry[2]/operation"), "change");
    ck_assert_str_eq(pledger_pledge_field(p, "history/entry[1]/operation"), "register");
    ck_assert_str_eq(pledger_pledge_field(p, "status"), "current");
    ck_assert_ptr_null(pledger_pledge_field(p, "valid_to"));
    pledger_pledge_free(p);
    PL_OK(reg, pledger_pledge_get_at(&p, reg, tm, before_change));
    ck_assert_int_eq(pledger_pledge_version(p), 1);
    ck_assert_str_eq(pledger_pledge_field(p, "status"), "superseded");
    ck_assert_ptr_nonnull(pledger_pledge_field(p, "valid_to"));
    ck_assert_ptr_null(pledger_pledge_field(p, "history/entry[2]/operation"));
    ck_assert_int_eq(pledger_errcode(NULL), PLEDGER_ENOTFOUND);
    pledger_pledge_free(p);
    /* the receivable, by its debtor */
    p = get(ar);
    snprintf(right, sizeof right, "%s", pledger_pledge_right_id(p, 0));
    pledger_pledge_free(p);
    three_forms_agree(ar, PLEDGER_KIND_RECEIVABLE, right, PLEDGER_AS_OF_CURRENT);
}
END_TEST

/* ---- field paths against the document -------------------------------------------------------- */

/* The XPath of a field path: each element step in the namespace. */
static void xpath_of(const char *fpath, char *out, size_t size)
{
    size_t o = snprintf(out, size, "/p:pledge");
    const char *s = fpath;
    while (*s && o + 8 < size) {
        size_t n = strcspn(s, "/");
        o += snprintf(out + o, size - o, "/%s%.*s", s[0] == '@' ? "" : "p:", (int)n, s);
        s += n;
        if (*s == '/')
            s++;
    }
}

/* Leaves of the document: elements without element children, and
 * attributes (but the root's version). */
static size_t leaves(xmlNodePtr n, int depth)
{
    size_t count = 0, children = 0;
    for (xmlAttrPtr a = n->properties; a; a = a->next)
        count += depth > 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) {
            children++;
            count += leaves(c, depth + 1);
        }
    return count + (children == 0 && depth > 0);
}

/* Every field of @p is the text of its path in the pledge document, and
 * the document has no leaf the fields lack. */
static void fields_match_document(const pledger_pledge *p)
{
    char *x = xml_of(p);
    xmlDocPtr doc = xmlReadMemory(x, (int)strlen(x), "pledge.xml", NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(doc);
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    ck_assert_ptr_nonnull(ctx);
    ck_assert_int_eq(xmlXPathRegisterNs(ctx, BAD_CAST "p", BAD_CAST PL_NS), 0);
    size_t n = pledger_pledge_field_count(p);
    ck_assert_uint_gt(n, 20);
    for (size_t i = 0; i < n; i++) {
        const char *fp = pledger_pledge_field_path(p, i), *value = pledger_pledge_field(p, fp);
        char xp[512];
        ck_assert_ptr_nonnull(value);
        xpath_of(fp, xp, sizeof xp);
        xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST xp, ctx);
        ck_assert_msg(r && r->nodesetval && r->nodesetval->nodeNr == 1,
                      "%s (%s): %d nodes in the document", fp, xp,
                      r && r->nodesetval ? r->nodesetval->nodeNr : -1);
        xmlChar *text = xmlNodeGetContent(r->nodesetval->nodeTab[0]);
        ck_assert_msg(!strcmp((const char *)text, value), "%s: field '%s', document '%s'", fp,
                      value, (const char *)text);
        xmlFree(text);
        xmlXPathFreeObject(r);
    }
    ck_assert_uint_eq(leaves(xmlDocGetRootElement(doc), 0), n);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    pledger_free(x);
}

/* The getters and the fields say the same. */
static void getters_match_fields(const pledger_pledge *p)
{
    char buf[32];
#define F(path) pledger_pledge_field(p, path)
    ck_assert_str_eq(F("registration_number"), pledger_pledge_number(p));
    snprintf(buf, sizeof buf, "%d", pledger_pledge_version(p));
    ck_assert_str_eq(F("version"), buf);
    ck_assert_str_eq(F("kind"), pledger_kind_name(pledger_pledge_kind(p)));
    ck_assert_str_eq(F("security"), pledger_pledge_security(p));
    ck_assert_str_eq(F("state"), pledger_pledge_state_name(pledger_pledge_state_of(p)));
    ck_assert_str_eq(F("pledgor/name"), pledger_pledge_pledgor_name(p));
    ck_assert_str_eq(F("pledgor/id"), pledger_pledge_pledgor_id(p));
    ck_assert_str_eq(F("pledgee/name"), pledger_pledge_pledgee_name(p));
    ck_assert_str_eq(F("pledgee/id"), pledger_pledge_pledgee_id(p));
    snprintf(buf, sizeof buf, "%" PRId64, pledger_pledge_amount(p));
    ck_assert_str_eq(F("amount"), buf);
    ck_assert_str_eq(F("amount/@currency"), pledger_pledge_currency(p));
    ck_assert_str_eq(F("period/start"), pledger_pledge_period_start(p));
    ck_assert_str_eq(F("period/end"), pledger_pledge_period_end(p));
    ck_assert_str_eq(F("acceptance_number"), pledger_pledge_acceptance_number(p));
    ck_assert_str_eq(F("application"), pledger_pledge_application_uuid(p));
    ck_assert_str_eq(F("status"), pledger_pledge_valid_to(p) ? "superseded" : "current");
    for (size_t i = 0; i < pledger_pledge_right_count(p); i++) {
        char a[64], b[64];
        snprintf(a, sizeof a, "rights/%s[%zu]/identifier",
                 pledger_kind_name(pledger_pledge_kind(p)), i + 1);
        snprintf(b, sizeof b, "rights/*[%zu]/identifier", i + 1);
        ck_assert_str_eq(F(a), pledger_pledge_right_id(p, i));
        ck_assert_str_eq(F(b), pledger_pledge_right_id(p, i));
        snprintf(b, sizeof b, "rights/right[%zu]/identifier", i + 1);
        ck_assert_str_eq(F(b), pledger_pledge_right_id(p, i));
    }
    snprintf(buf, sizeof buf, "rights/*[%zu]/identifier", pledger_pledge_right_count(p) + 1);
    ck_assert_ptr_null(F(buf));
    ck_assert_int_eq(pledger_errcode(NULL), PLEDGER_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), buf));
    ck_assert_msg(!strcmp(F("pledgor/id/@type"), "uscc") ||
                      !strcmp(F("pledgor/id/@type"), "resident"),
                  "pledgor/id/@type %s", F("pledgor/id/@type"));
    ck_assert_str_eq(F("history/entry[1]/version"), "1");
    ck_assert_str_eq(F("history/entry[1]/operation"), "register");
#undef F
}

START_TEST(test_field_paths)
{
    static const int kinds[] = {
        PLEDGER_KIND_TRADEMARK, PLEDGER_KIND_PATENT,   PLEDGER_KIND_EMISSION,
        PLEDGER_KIND_SEA_AREA,  PLEDGER_KIND_LAND,     PLEDGER_KIND_EQUITY,
        PLEDGER_KIND_RECEIVABLE,
    };
    char num[64], tm[64] = "";
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        registered(kinds[k], num);
        if (kinds[k] == PLEDGER_KIND_TRADEMARK)
            snprintf(tm, sizeof tm, "%s", num);
        PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
        pledger_pledge *p = get(num);
        fields_match_document(p);
        getters_match_fields(p);
        pledger_pledge_free(p);
    }
    /* a trademark's classes, an instant with its own text */
    pledger_pledge *p = get(tm);
    ck_assert_ptr_nonnull(pledger_pledge_field(p, "rights/trademark[1]/classes"));
    ck_assert_str_eq(pledger_pledge_field(p, "registered_at"), "2024-04-01T02:00:00Z");
    ck_assert_str_eq(pledger_pledge_field(p, "issued_at"),
                     pledger_pledge_field(p, "valid_from"));
    pledger_pledge_free(p);
}
END_TEST

START_TEST(test_unknown_paths)
{
    char tm[64];
    registered(PLEDGER_KIND_TRADEMARK, tm);
    pledger_pledge *p = get(tm);
    static const char *const unknown[] = {
        "number", "pledgor/identifier", "rights/rights[2]/identifier", "rights/patent",
        "rights/trademark[01]/identifier", "history/entry[1]/who", "pledge/registration_number",
    };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        ck_assert_ptr_null(pledger_pledge_field(p, unknown[i]));
        ck_assert_int_eq(pledger_errcode(NULL), PLEDGER_EINVAL);
        ck_assert_msg(strstr(pledger_errmsg(NULL), unknown[i]) &&
                          strstr(pledger_errmsg(NULL), "pledger_pledge_field"),
                      "the message does not name '%s': %s", unknown[i], pledger_errmsg(NULL));
    }
    /* paths a pledge may have and this one has not: ENOTFOUND, named */
    static const char *const absent[] = {
        "valid_to", "rights/patent[1]/identifier", "rights/*[9]/classes",
        "history/entry[2]/version",
    };
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        ck_assert_ptr_null(pledger_pledge_field(p, absent[i]));
        ck_assert_int_eq(pledger_errcode(NULL), PLEDGER_ENOTFOUND);
        ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), absent[i]));
        ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), tm));
    }
    ck_assert_ptr_null(pledger_pledge_field(NULL, "version"));
    ck_assert_int_eq(pledger_errcode(NULL), PLEDGER_EINVAL);
    ck_assert_ptr_null(pledger_pledge_field(p, NULL));
    ck_assert_int_eq(pledger_errcode(NULL), PLEDGER_EINVAL);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "path"));
    pledger_pledge_free(p);
}
END_TEST

/* ---- the certificate handle ------------------------------------------------------------------ */

/* The text of element @name (a child of the root) of the certificate document. */
static char *cert_text(const char *xml, const char *name)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "c.xml", NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(doc);
    char *out = NULL;
    for (xmlNodePtr c = xmlDocGetRootElement(doc)->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name)) {
            xmlChar *t = xmlNodeGetContent(c);
            out = strdup((const char *)t);
            xmlFree(t);
        }
    xmlFreeDoc(doc);
    ck_assert_msg(out != NULL, "no <%s> in the certificate", name);
    return out;
}

/* The handle's fields are its document's. */
static void cert_matches_document(const pledger_certificate *c)
{
    char *t, buf[32];
    const char *xml = pledger_certificate_xml(c);
    ck_assert_ptr_nonnull(xml);
    ck_assert_str_eq(t = cert_text(xml, "registration_number"), pledger_certificate_number(c));
    free(t);
    snprintf(buf, sizeof buf, "%d", pledger_certificate_version(c));
    ck_assert_str_eq(t = cert_text(xml, "version"), buf);
    free(t);
    ck_assert_str_eq(t = cert_text(xml, "verification_code"), pledger_certificate_code(c));
    free(t);
    ck_assert_str_eq(t = cert_text(xml, "status"),
                     pledger_certificate_status_of(c) == PLEDGER_CERTIFICATE_SUPERSEDED
                         ? "superseded" : "current");
    free(t);
    /* issued_at: the instant the version took effect */
    pledger_pledge *p = NULL;
    PL_OK(reg, pledger_pledge_get_at(&p, reg, pledger_certificate_number(c),
                                     pledger_certificate_issued_at(c)));
    ck_assert_int_eq(pledger_pledge_version(p), pledger_certificate_version(c));
    ck_assert_int_eq(pledger_pledge_valid_from(p), pledger_certificate_issued_at(c));
    ck_assert_str_eq(t = cert_text(xml, "issued_at"), pledger_pledge_field(p, "valid_from"));
    free(t);
    pledger_pledge_free(p);
}

START_TEST(test_certificate)
{
    char tm[64];
    registered(PLEDGER_KIND_TRADEMARK, tm);
    int64_t registered_at = fx_now_us;
    pledger_certificate *c1 = NULL, *c = NULL;
    char *doc = NULL;

    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_OK(reg, pledger_certificate_load(&c1, reg, tm, 0));
    ck_assert_str_eq(pledger_certificate_number(c1), tm);
    ck_assert_int_eq(pledger_certificate_version(c1), 1);
    ck_assert_int_eq(pledger_certificate_status_of(c1), PLEDGER_CERTIFICATE_CURRENT);
    ck_assert_int_eq(pledger_certificate_issued_at(c1), registered_at);
    ck_assert_int_eq(pledger_certificate_superseded_at(c1), 0);
    ck_assert_uint_eq(strlen(pledger_certificate_code(c1)), 19);
    PL_OK(reg, pledger_certificate_get(&doc, reg, tm, 0));
    ck_assert_str_eq(doc, pledger_certificate_xml(c1));
    pledger_free(doc);
    cert_matches_document(c1);
    /* its code verifies */
    pledger_verify_options vo = PLEDGER_VERIFY_OPTIONS_INIT;
    pledger_verification *v = NULL;
    vo.code = pledger_certificate_code(c1);
    PL_OK(reg, pledger_verify(&v, reg, tm, &vo));
    ck_assert_int_eq(pledger_verification_code_status(v), PLEDGER_CODE_MATCHED);
    ck_assert_int_eq(pledger_verification_code_version(v), 1);
    pledger_verification_free(v);

    /* a change: certificate 2 current, certificate 1 superseded then */
    fx_now_us += 3 * FX_DAY_US;
    int64_t changed_at = fx_now_us;
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.amount = 777000000;
    PL_OK(reg, pledger_pledge_change(reg, tm, &ch, NULL));
    PL_OK(reg, pledger_certificate_load(&c, reg, tm, 0));
    ck_assert_int_eq(pledger_certificate_version(c), 2);
    ck_assert_int_eq(pledger_certificate_status_of(c), PLEDGER_CERTIFICATE_CURRENT);
    ck_assert_int_eq(pledger_certificate_issued_at(c), changed_at);
    ck_assert_int_eq(pledger_certificate_superseded_at(c), 0);
    ck_assert_str_ne(pledger_certificate_code(c), pledger_certificate_code(c1));
    cert_matches_document(c);
    pledger_certificate_free(c);
    c = NULL;
    PL_OK(reg, pledger_certificate_load(&c, reg, tm, 1));
    ck_assert_int_eq(pledger_certificate_version(c), 1);
    ck_assert_int_eq(pledger_certificate_status_of(c), PLEDGER_CERTIFICATE_SUPERSEDED);
    ck_assert_int_eq(pledger_certificate_issued_at(c), registered_at);
    ck_assert_int_eq(pledger_certificate_superseded_at(c), changed_at);
    ck_assert_str_eq(pledger_certificate_code(c), pledger_certificate_code(c1));
    PL_OK(reg, pledger_certificate_get(&doc, reg, tm, 1));
    ck_assert_str_eq(doc, pledger_certificate_xml(c));
    pledger_free(doc);
    cert_matches_document(c);
    /* the old code: superseded at that instant */
    vo.code = pledger_certificate_code(c);
    PL_OK(reg, pledger_verify(&v, reg, tm, &vo));
    ck_assert_int_eq(pledger_verification_code_status(v), PLEDGER_CODE_SUPERSEDED);
    ck_assert_int_eq(pledger_verification_code_superseded_at(v),
                     pledger_certificate_superseded_at(c));
    pledger_verification_free(v);
    pledger_certificate_free(c);
    pledger_certificate_free(c1);

    /* what is not there */
    c = (pledger_certificate *)&c;
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_certificate_load(&c, reg, tm, 3));
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "pledger_certificate_load"));
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_certificate_load(&c, reg, "FZ01-NONE", 0));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_certificate_load(&c, reg, tm, -1));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "version"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_certificate_load(&c, reg, NULL, 0));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "number"));
}
END_TEST

/* ---- masking --------------------------------------------------------------------------------- */

START_TEST(test_masked_for_bank)
{
    char ld[64];
    registered(PLEDGER_KIND_LAND, ld); /* the pledgor is a person */
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    pledger_pledge *full = get(ld);
    ck_assert_str_eq(pledger_pledge_field(full, "pledgor/id/@type"), "resident");
    ck_assert_str_eq(pledger_pledge_field(full, "pledgor/id"), "11010519491231002X");
    char right[128];
    snprintf(right, sizeof right, "%s", pledger_pledge_right_id(full, 0));
    pledger_certificate *c = NULL;
    PL_OK(reg, pledger_certificate_load(&c, reg, ld, 0));
    ck_assert_ptr_nonnull(strstr(pledger_certificate_xml(c), "11010519491231002X"));
    pledger_certificate_free(c);

    PL_OK(reg, pledger_set_actor(reg, "officer", PLEDGER_ROLE_BANK));
    pledger_pledge *p = get(ld);
    ck_assert_str_eq(pledger_pledge_field(p, "pledgor/id"), "110105********002X");
    ck_assert_str_eq(pledger_pledge_pledgor_id(p), "110105********002X");
    char *x = xml_of(p);
    ck_assert_ptr_null(strstr(x, "11010519491231002X"));
    pledger_free(x);
    /* what is not a person's number is the registrar's */
    ck_assert_str_eq(pledger_pledge_field(p, "pledgee/id"), pledger_pledge_pledgee_id(full));
    ck_assert_str_eq(pledger_pledge_field(p, "rights/*[1]/identifier"),
                     pledger_pledge_right_id(full, 0));
    pledger_pledge_free(p);
    /* the same in a verification's and a search's snapshot */
    three_forms_agree(ld, PLEDGER_KIND_LAND, right, PLEDGER_AS_OF_CURRENT);
    /* and in the certificate */
    PL_OK(reg, pledger_certificate_load(&c, reg, ld, 0));
    ck_assert_ptr_null(strstr(pledger_certificate_xml(c), "11010519491231002X"));
    ck_assert_ptr_nonnull(strstr(pledger_certificate_xml(c), "110105********002X"));
    ck_assert_int_eq(pledger_certificate_status_of(c), PLEDGER_CERTIFICATE_CURRENT);
    char *doc = NULL;
    PL_OK(reg, pledger_certificate_get(&doc, reg, ld, 0));
    ck_assert_str_eq(doc, pledger_certificate_xml(c));
    pledger_free(doc);
    pledger_certificate_free(c);
    /* a role that may not read registrations reads no certificate either */
    PL_OK(reg, pledger_set_actor(reg, "someone", PLEDGER_ROLE_APPLICANT));
    c = (pledger_certificate *)&c;
    int rc = pledger_certificate_load(&c, reg, ld, 0);
    ck_assert_int_eq(rc, pledger_certificate_get(&doc, reg, ld, 0));
    if (rc) {
        ck_assert_ptr_null(c);
    } else {
        ck_assert_str_eq(doc, pledger_certificate_xml(c));
        pledger_certificate_free(c);
    }
    pledger_free(doc);
    pledger_pledge_free(full);
}
END_TEST

/* ---- the deprecated getters: wrappers over the snapshot -------------------------------------- */

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
START_TEST(test_deprecated_wrappers)
{
    char ar[64];
    registered(PLEDGER_KIND_RECEIVABLE, ar);
    pledger_verification *v = NULL;
    PL_OK(reg, pledger_verify(&v, reg, ar, NULL));
    const pledger_pledge *p = pledger_verification_pledge(v);
#define VS(f, g) ck_assert_str_eq(pledger_verification_##f(v), g(p))
#define VI(f, g) ck_assert_int_eq(pledger_verification_##f(v), g(p))
    VS(number, pledger_pledge_number);
    VI(kind, pledger_pledge_kind);
    VS(security, pledger_pledge_security);
    VI(state, pledger_pledge_state_of);
    VI(version, pledger_pledge_version);
    VI(registered_at, pledger_pledge_registered_at);
    VI(valid_from, pledger_pledge_valid_from);
    VS(pledgor_name, pledger_pledge_pledgor_name);
    VS(pledgor_id, pledger_pledge_pledgor_id);
    VS(pledgee_name, pledger_pledge_pledgee_name);
    VS(pledgee_id, pledger_pledge_pledgee_id);
    VI(amount, pledger_pledge_amount);
    VS(currency, pledger_pledge_currency);
    VS(period_start, pledger_pledge_period_start);
    VS(period_end, pledger_pledge_period_end);
    VI(right_count, pledger_pledge_right_count);
#undef VS
#undef VI
    ck_assert_str_eq(pledger_verification_right_id(v, 1), pledger_pledge_right_id(p, 1));
    ck_assert_ptr_null(pledger_verification_right_id(v, 2));
    ck_assert_int_eq(pledger_verification_right_rank(v, 0), 1);
    ck_assert_int_eq(pledger_verification_right_rank(v, 2), 0);
    pledger_verification_free(v);

    pledger_query q = PLEDGER_QUERY_INIT;
    pledger_cursor *cur = NULL;
    PL_OK(reg, pledger_search(&cur, reg, &q));
    ck_assert_ptr_null(pledger_cursor_number(cur));
    ck_assert_int_eq(pledger_cursor_next(cur), 1);
    p = pledger_cursor_pledge(cur);
#define CS(f, g) ck_assert_str_eq(pledger_cursor_##f(cur), g(p))
#define CI(f, g) ck_assert_int_eq(pledger_cursor_##f(cur), g(p))
    CS(number, pledger_pledge_number);
    CI(kind, pledger_pledge_kind);
    CI(state, pledger_pledge_state_of);
    CI(version, pledger_pledge_version);
    CI(registered_at, pledger_pledge_registered_at);
    CS(pledgor_name, pledger_pledge_pledgor_name);
    CS(pledgor_id, pledger_pledge_pledgor_id);
    CS(pledgee_name, pledger_pledge_pledgee_name);
    CS(pledgee_id, pledger_pledge_pledgee_id);
    CI(amount, pledger_pledge_amount);
    CS(currency, pledger_pledge_currency);
    CS(period_start, pledger_pledge_period_start);
    CS(period_end, pledger_pledge_period_end);
#undef CS
#undef CI
    ck_assert_str_eq(pledger_cursor_number(cur), ar);
    ck_assert_int_eq(pledger_cursor_next(cur), 0);
    ck_assert_ptr_null(pledger_cursor_number(cur));
    ck_assert_int_eq(pledger_cursor_amount(cur), 0);
    pledger_cursor_free(cur);
}
END_TEST
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif

static Suite *snapshot_suite(void)
{
    Suite *s = suite_create("snapshot");
    TCase *tc = tcase_create("snapshot");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_three_forms);
    tcase_add_test(tc, test_field_paths);
    tcase_add_test(tc, test_unknown_paths);
    tcase_add_test(tc, test_certificate);
    tcase_add_test(tc, test_masked_for_bank);
    tcase_add_test(tc, test_deprecated_wrappers);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(snapshot_suite)
