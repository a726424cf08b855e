/* Control characters in text: every text parameter of the public API
 * and every text of an application refuses a C0 control, DEL, a C1
 * control, the line and paragraph separators and the bidirectional
 * controls (pl_text_control), with PLEDGER_EINVAL (PLEDGER_EXML for a
 * document read from XML) and a message naming the function, the
 * parameter or field, the character as U+XXXX and its position; the
 * registry is left exactly as it was.  The multi-line free texts (the
 * notes of the decisions and of the changes; an application's
 * description, goods and guarantee scope) keep tab, line feed and CRLF
 * and nothing else.
 *
 * The table has one row per text parameter of the public API that is
 * free text or an identifier read as typed; the parsers of a fixed
 * syntax (dates, instants, amounts, identifiers, office codes, filing
 * keys) refuse a control as any character their syntax does not have
 * (test-api-sweep.c, test-ident.c). */
#include "testutil.h"
#include "fixture.h"

#include "base/hash.h"
#include "base/text.h"
#include "model/app-doc.h"
#include "model/application.h"

static char *dir, *path;
static pledger_registry *reg;
static char *num, *code, *uuid; /* a registered receivable, an accepted trademark */

static void setup(void)
{
    fx_ck_setup(&dir, &path, &reg);
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_RECEIVABLE, &num, &code));
    PL_OK(reg, fx_accepted(reg, PLEDGER_KIND_TRADEMARK, &uuid, NULL));
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
}

static void teardown(void)
{
    pledger_free(num);
    pledger_free(code);
    free(uuid);
    fx_ck_teardown(dir, path, reg);
}

/* ---- one call per text parameter, @t in its place ------------------------------- */

static int set_actor(const char *t) { return pledger_set_actor(reg, t, PLEDGER_ROLE_REGISTRAR); }
static int log_origin(const char *t) { return pledger_set_log_origin(reg, t); }
static int time_zone(const char *t) { return pledger_set_time_zone(reg, t); }
static int number_template(const char *t) { return pledger_set_number_template(reg, t); }

static int change_with(const char *pledgor, const char *pledgee, const char *note,
                       const char *n, const char *mc)
{
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.pledgor_name = pledgor;
    ch.pledgee_name = pledgee;
    ch.note = note;
    if (!pledgor && !pledgee)
        ch.amount = 1;
    return pledger_pledge_change(reg, n, &ch, mc);
}
static int change_number(const char *t) { return change_with("甲公司", NULL, NULL, t, code); }
static int change_pledgor(const char *t) { return change_with(t, NULL, NULL, num, code); }
static int change_pledgee(const char *t) { return change_with(NULL, t, NULL, num, code); }
static int change_note(const char *t) { return change_with("甲公司", NULL, t, num, code); }
static int change_modcode(const char *t) { return change_with("甲公司", NULL, NULL, num, t); }
static int extend_number(const char *t)
{
    return pledger_pledge_extend(reg, t, "2030-01-01", code);
}
static int extend_end(const char *t) { return pledger_pledge_extend(reg, num, t, code); }
static int extend_modcode(const char *t)
{
    return pledger_pledge_extend(reg, num, "2030-01-01", t);
}
static int cancel_number(const char *t) { return pledger_pledge_cancel(reg, t, code, NULL); }
static int cancel_modcode(const char *t) { return pledger_pledge_cancel(reg, num, t, NULL); }
static int cancel_note(const char *t) { return pledger_pledge_cancel(reg, num, code, t); }
static int revoke_number(const char *t) { return pledger_pledge_revoke(reg, t, "FRAUD", NULL); }
static int revoke_ground(const char *t) { return pledger_pledge_revoke(reg, num, t, NULL); }
static int revoke_note(const char *t) { return pledger_pledge_revoke(reg, num, "FRAUD", t); }
static int object_number(const char *t) { return pledger_pledge_object(reg, t, "乙", NULL); }
static int object_objector(const char *t) { return pledger_pledge_object(reg, num, t, NULL); }
static int object_note(const char *t) { return pledger_pledge_object(reg, num, "乙", t); }
static int litigation_number(const char *t) { return pledger_pledge_record_litigation(reg, t); }
static int dismiss_number(const char *t) { return pledger_pledge_dismiss_objection(reg, t, NULL); }
static int dismiss_note(const char *t) { return pledger_pledge_dismiss_objection(reg, num, t); }
static int correction_uuid(const char *t)
{
    return pledger_application_request_correction(reg, t, "see");
}
static int correction_note(const char *t)
{
    return pledger_application_request_correction(reg, uuid, t);
}
static int refuse_uuid(const char *t) { return pledger_application_refuse(reg, t, "TM_X", NULL); }
static int refuse_ground(const char *t) { return pledger_application_refuse(reg, uuid, t, NULL); }
static int refuse_note(const char *t) { return pledger_application_refuse(reg, uuid, "TM_X", t); }
static int submit_uuid(const char *t) { return pledger_application_submit(reg, t); }
static int accept_uuid(const char *t) { return pledger_application_accept(NULL, reg, t); }
static int withdraw_uuid(const char *t) { return pledger_application_withdraw(reg, t); }
static int register_uuid(const char *t)
{
    return pledger_application_register(NULL, NULL, reg, t);
}
static int load_uuid(const char *t)
{
    pledger_application *app = NULL;
    int rc = pledger_application_load(&app, reg, t);
    pledger_application_free(app);
    return rc;
}
static int review_uuid(const char *t)
{
    pledger_review *rv = NULL;
    int rc = pledger_application_review(&rv, reg, t);
    pledger_review_free(rv);
    return rc;
}
static int certificate_uuid(const char *t)
{
    char *out = NULL;
    int rc = pledger_application_certificate(&out, reg, t);
    pledger_free(out);
    return rc;
}
static int get_number(const char *t)
{
    pledger_pledge *p = NULL;
    int rc = pledger_pledge_get(&p, reg, t);
    pledger_pledge_free(p);
    return rc;
}
static int cert_number(const char *t)
{
    char *out = NULL;
    int rc = pledger_certificate_get(&out, reg, t, 0);
    pledger_free(out);
    return rc;
}
static int verify_with(const char *n, const char *c)
{
    pledger_verification *v = NULL;
    pledger_verify_options o = PLEDGER_VERIFY_OPTIONS_INIT;
    o.code = c;
    int rc = pledger_verify(&v, reg, n, &o);
    pledger_verification_free(v);
    return rc;
}
static int verify_number(const char *t) { return verify_with(t, NULL); }
static int verify_code(const char *t) { return verify_with(num, t); }
static int rank_number(const char *t)
{
    int out;
    return pledger_rank(&out, reg, t, PLEDGER_AS_OF_CURRENT);
}
static int compare_a(const char *t)
{
    int out;
    return pledger_compare(&out, reg, t, num);
}
static int compare_b(const char *t)
{
    int out;
    return pledger_compare(&out, reg, num, t);
}
static int search_with(const pledger_query *q)
{
    pledger_cursor *c = NULL;
    int rc = pledger_search(&c, reg, q);
    pledger_cursor_free(c);
    return rc;
}
static int search_right(const char *t)
{
    pledger_query q = PLEDGER_QUERY_INIT;
    q.right_id = t;
    return search_with(&q);
}
static int search_party_id(const char *t)
{
    pledger_query q = PLEDGER_QUERY_INIT;
    q.party_id = t;
    return search_with(&q);
}
static int search_party_name(const char *t)
{
    pledger_query q = PLEDGER_QUERY_INIT;
    q.party_name = t;
    return search_with(&q);
}
static int search_after(const char *t)
{
    pledger_query q = PLEDGER_QUERY_INIT;
    q.party_name = "甲";
    q.after = t;
    return search_with(&q);
}
static int search_from(const char *t)
{
    pledger_query q = PLEDGER_QUERY_INIT;
    q.registered_from = t;
    return search_with(&q);
}
static int working_days(const char *t)
{
    char out[11];
    return pledger_calendar_add_working_days(out, reg, t, 1);
}
static int list_with(const char *by, const char *after)
{
    pledger_app_list *l = NULL;
    pledger_app_filter f = PLEDGER_APP_FILTER_INIT;
    f.filed_by = by;
    f.after = after;
    int rc = pledger_application_list(&l, reg, &f);
    pledger_app_list_free(l);
    return rc;
}
static int list_filed_by(const char *t) { return list_with(t, NULL); }
static int list_after(const char *t) { return list_with(NULL, t); }
static int keyring_name(const char *t)
{
    pledger_keyring *kr = NULL;
    PL_OK(NULL, pledger_keyring_new(&kr));
    int rc = pledger_keyring_add_pem(kr, t, "-----BEGIN", 10);
    pledger_keyring_free(kr);
    return rc;
}

/* The application document: pledger_application_set's value at a path,
 * a material's kind and file name (pledger_application_add_material). */
static int doc_set(const char *field, const char *t)
{
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_RECEIVABLE);
    int rc = pledger_application_set(app, field, t);
    pledger_application_free(app);
    return rc;
}
static int set_pledgor_name(const char *t) { return doc_set("pledgor/name", t); }
static int set_pledgee_address(const char *t) { return doc_set("pledgee/address", t); }
static int set_contract_number(const char *t) { return doc_set("contract/number", t); }
static int set_id_type(const char *t) { return doc_set("pledgor/id/@type", t); }
static int set_description(const char *t)
{
    return doc_set("rights/right[1]/description", t);
}
static int material_with(const char *kind, const char *file)
{
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_RECEIVABLE);
    int rc = pledger_application_add_material(app, kind, file, "x", 1);
    pledger_application_free(app);
    return rc;
}
static int material_kind(const char *t) { return material_with(t, "a.pdf"); }
static int material_file(const char *t) { return material_with("other", t); }

static const struct row {
    const char *fn, *param;
    int (*call)(const char *t);
    bool lines; /* a multi-line free text: tab, LF, CRLF taken */
    bool doc;   /* a document's field: the registry's handle has no message */
} rows[] = {
    { "pledger_set_actor", "name", set_actor, false, false },
    { "pledger_set_log_origin", "origin", log_origin, false, false },
    { "pledger_set_time_zone", "tz", time_zone, false, false },
    { "pledger_set_number_template", "tmpl", number_template, false, false },
    { "pledger_pledge_change", "number", change_number, false, false },
    { "pledger_pledge_change", "change->pledgor_name", change_pledgor, false, false },
    { "pledger_pledge_change", "change->pledgee_name", change_pledgee, false, false },
    { "pledger_pledge_change", "change->note", change_note, true, false },
    { "pledger_pledge_change", "modcode", change_modcode, false, false },
    { "pledger_pledge_extend", "number", extend_number, false, false },
    { "pledger_pledge_extend", "new_end", extend_end, false, false },
    { "pledger_pledge_extend", "modcode", extend_modcode, false, false },
    { "pledger_pledge_cancel", "number", cancel_number, false, false },
    { "pledger_pledge_cancel", "modcode", cancel_modcode, false, false },
    { "pledger_pledge_cancel", "note", cancel_note, true, false },
    { "pledger_pledge_revoke", "number", revoke_number, false, false },
    { "pledger_pledge_revoke", "ground", revoke_ground, false, false },
    { "pledger_pledge_revoke", "note", revoke_note, true, false },
    { "pledger_pledge_object", "number", object_number, false, false },
    { "pledger_pledge_object", "objector", object_objector, false, false },
    { "pledger_pledge_object", "note", object_note, true, false },
    { "pledger_pledge_record_litigation", "number", litigation_number, false, false },
    { "pledger_pledge_dismiss_objection", "number", dismiss_number, false, false },
    { "pledger_pledge_dismiss_objection", "note", dismiss_note, true, false },
    { "pledger_application_request_correction", "uuid", correction_uuid, false, false },
    { "pledger_application_request_correction", "note", correction_note, true, false },
    { "pledger_application_refuse", "uuid", refuse_uuid, false, false },
    { "pledger_application_refuse", "ground", refuse_ground, false, false },
    { "pledger_application_refuse", "note", refuse_note, true, false },
    { "pledger_application_submit", "uuid", submit_uuid, false, false },
    { "pledger_application_accept", "uuid", accept_uuid, false, false },
    { "pledger_application_withdraw", "uuid", withdraw_uuid, false, false },
    { "pledger_application_register", "uuid", register_uuid, false, false },
    { "pledger_application_load", "uuid", load_uuid, false, false },
    { "pledger_application_review", "uuid", review_uuid, false, false },
    { "pledger_application_certificate", "uuid", certificate_uuid, false, false },
    { "pledger_pledge_get", "number", get_number, false, false },
    { "pledger_certificate_get", "number", cert_number, false, false },
    { "pledger_verify", "number", verify_number, false, false },
    { "pledger_verify", "opts->code", verify_code, false, false },
    { "pledger_rank", "number", rank_number, false, false },
    { "pledger_compare", "number_a", compare_a, false, false },
    { "pledger_compare", "number_b", compare_b, false, false },
    { "pledger_search", "query->right_id", search_right, false, false },
    { "pledger_search", "query->party_id", search_party_id, false, false },
    { "pledger_search", "query->party_name", search_party_name, false, false },
    { "pledger_search", "query->after", search_after, false, false },
    { "pledger_search", "query->registered_from", search_from, false, false },
    { "pledger_calendar_add_working_days", "date", working_days, false, false },
    { "pledger_application_list", "filter.filed_by", list_filed_by, false, false },
    { "pledger_application_list", "filter.after", list_after, false, false },
    { "pledger_keyring_add_pem", "name", keyring_name, false, true },
    { "pledgor/name", "value", set_pledgor_name, false, true },
    { "pledgee/address", "value", set_pledgee_address, false, true },
    { "contract/number", "value", set_contract_number, false, true },
    { "pledgor/id/@type", "value", set_id_type, false, true },
    { "rights/right[1]/description", "value", set_description, true, true },
    { "material", "kind", material_kind, false, true },
    { "material", "file_name", material_file, false, true },
};

/* The characters refused everywhere, each after "AB" (at character 3),
 * and those refused on one line only. */
static const struct {
    const char *text, *cp;
    bool one_line_only;
} bad[] = {
    { "AB\x1b[31m", "U+001B", false },     { "AB\x01", "U+0001", false },
    { "AB\x7f", "U+007F", false },         { "AB\xc2\x9b" "2J", "U+009B", false },
    { "AB\xc2\x85", "U+0085", false },     { "AB\xe2\x80\xa8", "U+2028", false },
    { "AB\xe2\x80\xa9", "U+2029", false }, { "AB\xe2\x80\xaa", "U+202A", false },
    { "AB\xe2\x80\xae" "cba", "U+202E", false }, { "AB\xe2\x81\xa6", "U+2066", false },
    { "AB\xe2\x81\xa9", "U+2069", false }, { "AB\xe2\x80\x8f", "U+200F", false },
    { "AB\xd8\x9c", "U+061C", false },     { "AB\xef\xbf\xbe", "U+FFFE", false },
    { "AB\rx", "U+000D", false },          { "AB\ty", "U+0009", true },
    { "AB\nz", "U+000A", true },           { "AB\r\nz", "U+000D", true },
};

START_TEST(every_text_parameter_refuses_controls)
{
    const struct row *r = &rows[_i];
    char *before = fx_ck_dump(path, NULL);
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        if (r->lines && bad[k].one_line_only)
            continue;
        int rc = r->call(bad[k].text);
        ck_assert_msg(rc == PLEDGER_EINVAL, "%s %s '%s': %d (%s), expected EINVAL", r->fn,
                      r->param, bad[k].cp, rc, pledger_strerror(rc));
        const char *msg = pledger_errmsg(r->doc ? NULL : reg);
        char want[160];
        snprintf(want, sizeof want, "%s holds %s at character 3", r->param, bad[k].cp);
        ck_assert_msg(strstr(msg, r->fn) && strstr(msg, want), "%s %s: '%s' not in: %s",
                      r->fn, r->param, want, msg);
        /* the message shows no control itself */
        uint32_t cp;
        size_t at;
        ck_assert_msg(!pl_text_control(msg, PL_TEXT_LINE, &cp, &at), "U+%04X in: %s", cp, msg);
    }
    char *after = fx_ck_dump(path, NULL);
    ck_assert_msg(strcmp(before, after) == 0, "%s %s: the registry changed", r->fn, r->param);
    free(before);
    free(after);
}
END_TEST

/* The multi-line free texts keep tab, LF and CRLF: a refusal's note, a
 * dismissal's note, a receivable's description; a one-line text takes
 * them around it, not inside. */
START_TEST(notes_keep_their_lines)
{
    static const char note[] = "材料不全：\n\t1. 合同\r\n\t2. 身份证明";
    PL_OK(reg, pledger_application_refuse(reg, uuid, "TM_X", note));
    PL_OK(reg, pledger_pledge_object(reg, num, "乙", "第一行\n第二行"));
    PL_OK(reg, pledger_pledge_dismiss_objection(reg, num, "驳回\r\n理由\t见附件"));
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_RECEIVABLE);
    const char *got = NULL;
    PL_OK(NULL, pledger_application_set(app, "rights/right[1]/description", "一\n二\t三"));
    PL_OK(NULL, pledger_application_get(&got, app, "rights/right[1]/description"));
    ck_assert_str_eq(got, "一\n二\t三");
    pledger_application_free(app);
    /* a one-line text may have a tab or a line end around it, as pasted
     * from a table's cell: white space, dropped */
    char pasted[96];
    snprintf(pasted, sizeof pasted, " %s\t\r\n", num);
    ck_assert_int_eq(get_number(pasted), 0);
    /* but a text kept as given (a ground, an actor) takes none */
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_pledge_revoke(reg, pasted, "FRAUD\t", "理由"));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "ground holds U+0009 at character 6"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_set_actor(reg, "registrar-1\n",
                                                    PLEDGER_ROLE_REGISTRAR));
    PL_OK(reg, pledger_pledge_revoke(reg, pasted, "FRAUD", "理由"));
}
END_TEST

/* An application read from XML: a character reference to a control
 * character XML 1.0 allows (DEL, a C1 control, the bidirectional
 * overrides) in any text or attribute is refused with PLEDGER_EXML,
 * naming the line, the field, the character and its position; so is a
 * line break inside a one-line field.  Formatting between elements and
 * line breaks inside the multi-line fields are taken. */
START_TEST(documents_refuse_controls)
{
    static const struct { const char *from, *to, *needle; } cases[] = {
        { "<name>", "<name>&#x7F;", "pledgor/name: U+007F at character 1" },
        { "<name>", "<name>AB&#x202E;", "pledgor/name: U+202E at character 3" },
        { "<name>", "<name>&#x9B;", "pledgor/name: U+009B at character 1" },
        { "<name>", "<name>A&#x2066;", "pledgor/name: U+2066 at character 2" },
        { "<name>", "<name>A&#10;B", "pledgor/name: U+000A at character 2" },
        { "type=\"", "type=\"&#x202D;", "U+202D at character 1" },
    };
    size_t len = 0;
    char *xml = fx_sample_xml(PLEDGER_KIND_RECEIVABLE, &len);
    ck_assert_ptr_nonnull(xml);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *at = strstr(xml, cases[i].from);
        ck_assert_ptr_nonnull(at);
        size_t pre = (size_t)(at - xml), nf = strlen(cases[i].from), nt = strlen(cases[i].to);
        char *edited = malloc(len - nf + nt + 1);
        memcpy(edited, xml, pre);
        memcpy(edited + pre, cases[i].to, nt);
        memcpy(edited + pre + nt, at + nf, len - pre - nf + 1);
        pledger_application *app = NULL;
        PL_FAILS(NULL, PLEDGER_EXML,
                 pledger_application_from_xml(&app, edited, strlen(edited)));
        ck_assert_msg(strstr(pledger_errmsg(NULL), cases[i].needle), "%s not in: %s",
                      cases[i].needle, pledger_errmsg(NULL));
        ck_assert_ptr_null(app);
        free(edited);
    }
    /* the sample itself has formatting between its elements */
    pledger_application *app = NULL;
    PL_OK(NULL, pledger_application_from_xml(&app, xml, len));
    pledger_application_free(app);
    free(xml);
}
END_TEST

/* What is already stored or filed elsewhere is read as it is: a document
 * stored before the rule (pl_doc_parse_stored) and one another registry
 * sends (pl_doc_parse_received: refused, it would stop the exchange line
 * at every batch) are taken with a bidirectional override in a name; an
 * edit made here refuses it until the name is corrected. */
START_TEST(stored_and_received_documents_are_read)
{
    size_t len = 0;
    char *xml = fx_sample_xml(PLEDGER_KIND_RECEIVABLE, &len);
    const char *at = strstr(xml, "<name>");
    ck_assert_ptr_nonnull(at);
    size_t pre = (size_t)(at - xml) + 6;
    char *old = malloc(len + 16);
    memcpy(old, xml, pre);
    memcpy(old + pre, "\xe2\x80\xae", 3);
    memcpy(old + pre + 3, xml + pre, len - pre + 1);
    size_t n = strlen(old);
    unsigned char digest[32];
    char hex[65];
    ck_assert_int_eq(pl_hash(PL_HASH_SHA256, old, n, digest), 0);
    pl_hex(digest, sizeof digest, hex);

    pl_err e = { 0, "" };
    pl_doc *d = NULL;
    ck_assert_int_eq(pl_doc_parse(&d, &e, old, n), PLEDGER_EXML);
    ck_assert_msg(strstr(e.msg, "pledgor/name: U+202E at character 1"), "%s", e.msg);
    ck_assert_msg(pl_doc_parse_stored(&d, &e, old, n, hex) == 0, "%s", e.msg);
    pl_doc_free(d);
    ck_assert_msg(pl_doc_parse_received(&d, &e, old, n, hex) == 0, "%s", e.msg);
    ck_assert_int_eq(pl_doc_set(d, &e, "contract/number", "HT-1"), PLEDGER_EXML);
    ck_assert_msg(strstr(e.msg, "pledgor/name: U+202E at character 1"), "%s", e.msg);
    ck_assert_msg(pl_doc_set(d, &e, "pledgor/name", "甲公司") == 0, "%s", e.msg);
    ck_assert_msg(pl_doc_set(d, &e, "contract/number", "HT-1") == 0, "%s", e.msg);
    pl_doc_free(d);
    free(old);
    free(xml);
}
END_TEST

static Suite *make(void)
{
    Suite *s = suite_create("controls");
    TCase *tc = tcase_create("controls");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, every_text_parameter_refuses_controls, 0,
                        (int)(sizeof rows / sizeof rows[0]));
    tcase_add_test(tc, notes_keep_their_lines);
    tcase_add_test(tc, documents_refuse_controls);
    tcase_add_test(tc, stored_and_received_documents_are_read);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(make)
