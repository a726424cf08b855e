/* Fuzz target: the application document.  pledger_application_from_xml()
 * on the input; when it is accepted: to_xml, from_xml of that (must
 * succeed) and to_xml again (must give the same text), a few field reads
 * and writes, a material, and the review's rules
 * (pledger_application_check()) against an in-memory registry holding a
 * reference register. */
#include <pledger/pledger.h>

#include "fuzz.h"

static pledger_registry *reg;

static int64_t fixed_clock(void *payload)
{
    (void)payload;
    return INT64_C(1711936800000000); /* 2024-04-01T02:00:00Z */
}

/* One in-memory registry for every input: the check only reads it. */
static void init(void)
{
    static const char reg_xml[] =
        "<register xmlns=\"urn:pledger:1\" as_of=\"2024-05-01\">"
        "<trademark number=\"12345678\" status=\"registered\" mark=\"MJ\" family=\"F1\""
        " classes=\"29 30\" groups=\"2901 3001\" valid_from=\"2014-01-07\""
        " valid_to=\"2034-01-06\"><owner name=\"福建闽江食品有限公司\" id_type=\"uscc\""
        " id=\"91350100M000100Y43\"/></trademark>"
        "<trademark number=\"12345679\" status=\"registered\" mark=\"MJ\" family=\"F1\""
        " classes=\"29\" groups=\"2901\" valid_from=\"2014-01-07\" valid_to=\"2034-01-06\">"
        "<owner name=\"福建闽江食品有限公司\" id_type=\"uscc\" id=\"91350100M000100Y43\"/>"
        "</trademark></register>";
    pledger_import_report *rep = NULL;
    if (pledger_open(&reg, ":memory:", NULL) || pledger_set_clock(reg, fixed_clock, NULL) ||
        pledger_set_actor(reg, "fuzz", PLEDGER_ROLE_REGISTRAR) ||
        pledger_register_import_memory(&rep, reg, reg_xml, sizeof reg_xml - 1, NULL)) {
        fprintf(stderr, "fuzz-application: cannot set up: %s\n", pledger_errmsg(reg));
        abort();
    }
    pledger_import_report_free(rep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pledger_application *app = NULL, *back = NULL;
    char *xml1 = NULL, *xml2 = NULL;
    size_t len1 = 0, len2 = 0;
    const char *v = NULL;
    int n = -1;

    if (!reg)
        init();
    if (pledger_application_from_xml(&app, (const char *)data, size) != 0) {
        FUZZ_ASSERT(app == NULL);
        FUZZ_ASSERT(*pledger_errmsg(NULL));
        return 0;
    }
    FUZZ_ASSERT(app != NULL);
    FUZZ_ASSERT(pledger_kind_name(pledger_application_kind(app)) != NULL);

    /* the written document reads back, and writes the same again */
    FUZZ_ASSERT(pledger_application_to_xml(&xml1, &len1, app) == 0);
    FUZZ_ASSERT(strlen(xml1) == len1);
    if (pledger_application_from_xml(&back, xml1, len1) != 0) {
        fprintf(stderr, "to_xml output does not read back: %s\n", pledger_errmsg(NULL));
        abort();
    }
    FUZZ_ASSERT(pledger_application_to_xml(&xml2, &len2, back) == 0);
    FUZZ_ASSERT(len1 == len2 && memcmp(xml1, xml2, len1) == 0);
    FUZZ_ASSERT(pledger_application_kind(back) == pledger_application_kind(app));

    /* reads; a write that is accepted is read back */
    (void)pledger_application_get(&v, app, "pledgor/name");
    (void)pledger_application_get(&v, app, "rights/right[1]/number");
    FUZZ_ASSERT(pledger_application_count(&n, app, "rights/right") == 0 && n >= 0);
    if (pledger_application_set(app, "pledgor/name", "福建闽江食品有限公司") == 0) {
        FUZZ_ASSERT(pledger_application_get(&v, app, "pledgor/name") == 0);
        FUZZ_ASSERT(strcmp(v, "福建闽江食品有限公司") == 0);
    }
    (void)pledger_application_set(app, "claim/amount", "300000000");
    (void)pledger_application_set(app, "rights/right[2]", NULL);
    (void)pledger_application_add_material(app, "pledge_contract", "c.pdf", data,
                                           size < 64 ? size : 64);

    /* the rules, on the original and on the changed document */
    pledger_review *rv = NULL;
    if (pledger_application_check(&rv, reg, back) == 0) {
        for (size_t i = 0; i < pledger_review_count(rv); i++) {
            FUZZ_ASSERT(pledger_review_code(rv, i) != NULL);
            FUZZ_ASSERT(pledger_review_path(rv, i) != NULL);
            FUZZ_ASSERT(pledger_review_message(rv, i) != NULL);
            FUZZ_ASSERT(pledger_severity_name(pledger_review_severity(rv, i)) != NULL);
        }
    }
    pledger_review_free(rv);
    rv = NULL;
    if (pledger_application_check(&rv, reg, app) == 0)
        FUZZ_ASSERT(pledger_review_count(rv) < 100000);
    pledger_review_free(rv);

    pledger_free(xml1);
    pledger_free(xml2);
    pledger_application_free(back);
    pledger_application_free(app);
    return 0;
}
