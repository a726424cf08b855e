/* Translations: the language follows pledger_set_language(), people get
 * the translation, the registry keeps English, codes stay as they are. */
#include "fixture.h"

#include <inttypes.h>
#include <locale.h>
#include <stdarg.h>
#include <stdbool.h>

#include "base/catalog.h"
#include "base/i18n.h"

#include <pthread.h>

/* The catalogue of the build tree (tests/meson.build sets
 * PLEDGER_LOCALEDIR to it); every test starts from English. */
static void setup(void) { ck_assert_int_eq(pledger_set_language("en"), 0); }
static void teardown(void) { ck_assert_int_eq(pledger_set_language(NULL), 0); }

START_TEST(test_strerror_follows_language)
{
    ck_assert_str_eq(pledger_strerror(PLEDGER_EINVAL), "invalid argument");
    PL_OK(NULL, pledger_set_language("zh_CN"));
    ck_assert_str_eq(pledger_strerror(PLEDGER_EINVAL), "参数无效");
    ck_assert_str_eq(pledger_strerror(PLEDGER_ECORRUPT), "登记库已损坏");
    PL_OK(NULL, pledger_set_language("en"));
    ck_assert_str_eq(pledger_strerror(PLEDGER_EINVAL), "invalid argument");
}
END_TEST

START_TEST(test_language_list_and_fallback)
{
    /* A list, as LANGUAGE takes it: the first with a catalogue wins. */
    PL_OK(NULL, pledger_set_language("fr:zh_CN"));
    ck_assert_str_eq(pledger_strerror(PLEDGER_ENOTFOUND), "未找到");
    /* A language without a catalogue: English. */
    PL_OK(NULL, pledger_set_language("de_DE"));
    ck_assert_str_eq(pledger_strerror(PLEDGER_ENOTFOUND), "not found");
}
END_TEST

/* A language written as a language tag ("zh-CN", "zh-cn"), or Chinese
 * in simplified characters named otherwise ("zh", "zh-Hans",
 * "zh-Hans-CN"), is the zh_CN catalogue, as for
 * pledger_set_thread_language() and pledgerd's Accept-Language: gettext
 * found no catalogue under those names and spoke English without a word. */
START_TEST(test_language_tags_taken)
{
    static const char *const chinese[] = {
        "zh-CN", "zh-cn", "ZH-CN", "zh", "zh-Hans", "zh_Hans", "zh-Hans-CN", "zh-SG",
        "zh-CN.UTF-8", "fr:zh-CN", "zh_CN", "zh_CN.UTF-8",
    };
    static const char *const english[] = { "en", "en-US", "zh-TW", "zh-Hant", "de_DE@euro" };
    for (size_t i = 0; i < sizeof chinese / sizeof chinese[0]; i++) {
        PL_OK(NULL, pledger_set_language(chinese[i]));
        ck_assert_msg(!strcmp(pledger_strerror(PLEDGER_ENOTFOUND), "未找到"), "%s: %s",
                      chinese[i], pledger_strerror(PLEDGER_ENOTFOUND));
    }
    for (size_t i = 0; i < sizeof english / sizeof english[0]; i++) {
        PL_OK(NULL, pledger_set_language(english[i]));
        ck_assert_msg(!strcmp(pledger_strerror(PLEDGER_ENOTFOUND), "not found"), "%s: %s",
                      english[i], pledger_strerror(PLEDGER_ENOTFOUND));
    }
}
END_TEST

START_TEST(test_bad_language_refused)
{
    static const char *const bad[] = { "zh CN", "../../etc", "zh_CN;rm", ":", "\x1b[31m" };
    PL_OK(NULL, pledger_set_language("zh_CN"));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        PL_FAILS(NULL, PLEDGER_EINVAL, pledger_set_language(bad[i]));
        /* The message names the argument, in the language in force. */
        ck_assert_msg(strstr(pledger_errmsg(NULL), "lang"), "%s", pledger_errmsg(NULL));
        ck_assert_msg(strstr(pledger_errmsg(NULL), "语言"), "%s", pledger_errmsg(NULL));
        /* ...and the language in force did not change. */
        ck_assert_str_eq(pledger_strerror(PLEDGER_EINVAL), "参数无效");
    }
}
END_TEST

/* An error message from a call: translated for pledger_errmsg(), the
 * same code. */
START_TEST(test_error_message_translated)
{
    char *dir, *path;
    pledger_registry *reg;

    fx_ck_setup(&dir, &path, &reg);
    PL_OK(NULL, pledger_set_language("zh_CN"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_set_language("a b"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_set_actor(reg, NULL, PLEDGER_ROLE_CLERK));
    ck_assert_msg(strstr(pledger_errmsg(reg), "pledger_set_actor"), "%s", pledger_errmsg(reg));
    PL_OK(NULL, pledger_set_language("en"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_set_actor(reg, NULL, PLEDGER_ROLE_CLERK));
    ck_assert_msg(strstr(pledger_errmsg(reg), "pledger_set_actor"), "%s", pledger_errmsg(reg));
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* A finding: the review shows the translation, the registry keeps the
 * English message, the code is the same in both. */
START_TEST(test_finding_translated_record_english)
{
    char *dir, *path, *dump;
    pledger_registry *reg;
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    pledger_review *rv = NULL;
    bool seen = false;

    fx_ck_setup(&dir, &path, &reg);
    PL_OK(reg, pledger_application_set(app, "pledgor/name", NULL));
    PL_OK(reg, pledger_set_actor(reg, "applicant-1", PLEDGER_ROLE_APPLICANT));
    PL_OK(reg, pledger_application_save(reg, app));
    PL_OK(NULL, pledger_set_language("zh_CN"));
    PL_OK(reg, pledger_application_review(&rv, reg, pledger_application_uuid(app)));
    for (size_t i = 0; i < pledger_review_count(rv); i++) {
        if (strcmp(pledger_review_code(rv, i), "PARTY_NAME_MISSING"))
            continue;
        seen = true;
        ck_assert_msg(strstr(pledger_review_message(rv, i), "没有名称"), "%s",
                      pledger_review_message(rv, i));
    }
    ck_assert_msg(seen, "no PARTY_NAME_MISSING finding");
    dump = fx_ck_dump(path, NULL);
    ck_assert_msg(strstr(dump, "has no name"), "the registry keeps English");
    ck_assert_msg(!strstr(dump, "没有名称"), "no translation reaches the registry");
    free(dump);
    pledger_review_free(rv);
    pledger_application_free(app);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* A finding whose translation puts its arguments in another order
 * ("商标 %2$s 的类别 %1$d 被重复列出") names both, in their places: the
 * class and the mark, no "%2$s" left as it stands. */
START_TEST(test_finding_reordered_arguments)
{
    char *dir, *path;
    pledger_registry *reg;
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    pledger_review *rv = NULL;
    bool seen = false;

    fx_ck_setup(&dir, &path, &reg);
    PL_OK(NULL, pledger_application_set(app, "rights/right[1]/classes", "29 29"));
    PL_OK(NULL, pledger_set_language("zh_CN"));
    PL_OK(reg, pledger_application_check(&rv, reg, app));
    for (size_t i = 0; i < pledger_review_count(rv); i++) {
        const char *m = pledger_review_message(rv, i);
        ck_assert_msg(!strchr(m, '$') && !strstr(m, "%"), "%s: %s", pledger_review_code(rv, i), m);
        if (strcmp(pledger_review_code(rv, i), "TM_CLASS_REPEATED"))
            continue;
        seen = true;
        ck_assert_msg(strstr(m, "类别 29 被重复列出") && strstr(m, "商标 "), "%s", m);
    }
    ck_assert_msg(seen, "no TM_CLASS_REPEATED finding");
    pledger_review_free(rv);
    pledger_application_free(app);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* The office's time zone: a journaled setting that survives reopening
 * and the journal's replay; a zone that does not exist is refused with
 * the registry unchanged. */
START_TEST(test_time_zone_setting)
{
    char *dir, *path, *before, *after;
    pledger_registry *reg, *ro;
    int64_t bad = -1, count = 0;
    char why[512] = "";

    fx_ck_setup(&dir, &path, &reg);
    ck_assert_str_eq(pledger_time_zone(reg), "Asia/Shanghai");
    /* a handle opened before the zone is set (a service's reader, a
     * second writer) shows the zone set since, not the one it opened with */
    pledger_registry *other = NULL, *reader = NULL;
    PL_OK(NULL, fx_open(&other, path, NULL, 0, -1));
    PL_OK(NULL, fx_open(&reader, path, NULL, 1, -1));
    ck_assert_str_eq(pledger_time_zone(reader), "Asia/Shanghai");
    fx_act(other, "registrar-2", PLEDGER_ROLE_REGISTRAR);
    PL_OK(other, pledger_set_time_zone(other, "Europe/London"));
    ck_assert_str_eq(pledger_time_zone(reader), "Europe/London");
    ck_assert_str_eq(pledger_time_zone(reg), "Europe/London");
    ck_assert_str_eq(pledger_errmsg(reader), "");
    pledger_close(other);
    pledger_close(reader);
    fx_act(reg, "clerk-1", PLEDGER_ROLE_CLERK);
    PL_FAILS(reg, PLEDGER_EPERM, pledger_set_time_zone(reg, "Asia/Urumqi"));
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    before = fx_ck_dump(path, NULL);
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_set_time_zone(reg, "Asia/Shangai"));
    ck_assert_msg(strstr(pledger_errmsg(reg), "Asia/Shangai"), "%s", pledger_errmsg(reg));
    after = fx_ck_dump(path, NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    PL_OK(reg, pledger_set_time_zone(reg, "Asia/Urumqi"));
    ck_assert_str_eq(pledger_time_zone(reg), "Asia/Urumqi");
    pledger_close(reg);
    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    ck_assert_str_eq(pledger_time_zone(ro), "Asia/Urumqi");
    fx_act(ro, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_FAILS(ro, PLEDGER_EREADONLY, pledger_set_time_zone(ro, "UTC"));
    pledger_close(ro);
    ck_assert_msg(fx_journal_verify(path, &bad, &count, why, sizeof why) == 0, "%s", why);
    ck_assert_int_eq(bad, 0);
    PL_OK(NULL, fx_open(&reg, path, NULL, 0, -1));
    fx_ck_teardown(dir, path, reg);
}
END_TEST


/* The words a message is built from (the party's role, the kind of
 * right, the amount, the roles allowed) are translated with it; what the
 * document says is quoted as it is, even when it reads like one of those
 * words. */
/* @msg, after @lead (the step's name) and without what it quotes (“...”)
 * or @names (a UUID, the step's name again), holds no Latin letter. */
static void assert_no_english(const char *msg, const char *lead, const char *names)
{
    ck_assert_msg(strncmp(msg, lead, strlen(lead)) == 0, "%s", msg);
    char *copy = strdup(msg);
    char *at, name[64];
    for (const char *n = names; n && *n; n += strcspn(n, " ") + (n[strcspn(n, " ")] != 0)) {
        snprintf(name, sizeof name, "%.*s", (int)strcspn(n, " "), n);
        while ((at = strstr(copy, name)))
            memset(at, '_', strlen(name));
    }
    bool quoted = false;
    for (const char *p = copy + strlen(lead); *p; p++) {
        if (!strncmp(p, "“", strlen("“")))
            quoted = true;
        else if (!strncmp(p, "”", strlen("”")))
            quoted = false;
        else if (!quoted && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            ck_abort_msg("a Latin letter at '%s' in: %s", p, msg);
    }
    free(copy);
}

START_TEST(test_fragments_translated)
{
    char *dir, *path, *dump;
    pledger_registry *reg;
    pledger_application *app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    pledger_review *rv = NULL;
    static const char *const english[] = {
        "pledgor", "pledgee", "trademark", "secured amount", "registrar", "the ",
    };
    struct { const char *code, *want; bool seen; } want[] = {
        { "PARTY_ID_MISSING", "质权人没有证件号码", false },
        { "FILING_JOINT_REQUIRED", "商标专用权质押登记申请", false },
        { "AMOUNT_NOT_POSITIVE", "被担保债权金额", false },
    };

    fx_ck_setup(&dir, &path, &reg);
    PL_OK(reg, pledger_application_set(app, "pledgee/id", NULL));
    PL_OK(reg, pledger_application_set(app, "filing/joint", "false"));
    PL_OK(reg, pledger_application_set(app, "claim/amount", "0"));
    PL_OK(reg, pledger_set_actor(reg, "applicant-1", PLEDGER_ROLE_APPLICANT));
    PL_OK(reg, pledger_application_save(reg, app));
    PL_OK(NULL, pledger_set_language("zh_CN"));
    PL_OK(reg, pledger_application_review(&rv, reg, pledger_application_uuid(app)));
    for (size_t i = 0; i < pledger_review_count(rv); i++) {
        const char *m = pledger_review_message(rv, i);
        for (size_t k = 0; k < sizeof english / sizeof english[0]; k++)
            ck_assert_msg(!strstr(m, english[k]), "%s: English '%s' in: %s",
                          pledger_review_code(rv, i), english[k], m);
        for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
            if (!strcmp(pledger_review_code(rv, i), want[k].code)) {
                want[k].seen = true;
                ck_assert_msg(strstr(m, want[k].want), "%s", m);
            }
    }
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        ck_assert_msg(want[k].seen, "no %s finding", want[k].code);
    pledger_review_free(rv);
    dump = fx_ck_dump(path, NULL);
    ck_assert_msg(!strstr(dump, "质权人"), "no translation reaches the registry");
    free(dump);

    /* An error whose message lists roles: the role names translated, the
     * actor's and those who may (no English word but the step's name and
     * the actor's, quoted) */
    PL_OK(reg, pledger_set_actor(reg, "bank-1", PLEDGER_ROLE_BANK));
    PL_FAILS(reg, PLEDGER_EPERM, pledger_application_submit(reg, pledger_application_uuid(app)));
    ck_assert_msg(strstr(pledger_errmsg(reg), "银行") && strstr(pledger_errmsg(reg), "仅申请人"),
                  "%s", pledger_errmsg(reg));
    assert_no_english(pledger_errmsg(reg), "submit: ", NULL);
    /* and one that lists the states a step is allowed in */
    PL_OK(reg, pledger_set_actor(reg, "clerk-1", PLEDGER_ROLE_CLERK));
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_application_accept(NULL, reg,
                                                             pledger_application_uuid(app)));
    ck_assert_msg(strstr(pledger_errmsg(reg), "已提交"), "%s", pledger_errmsg(reg));
    char names[80];
    snprintf(names, sizeof names, "%s accept", pledger_application_uuid(app));
    assert_no_english(pledger_errmsg(reg), "accept: ", names);

    /* A party whose name reads "pledgee" is quoted, not translated. */
    PL_OK(NULL, pledger_set_language("en"));
    pledger_application_free(app);
    app = fx_ck_sample(PLEDGER_KIND_TRADEMARK);
    PL_OK(reg, pledger_application_set(app, "pledgee/id", "pledgee"));
    PL_OK(reg, pledger_set_actor(reg, "applicant-1", PLEDGER_ROLE_APPLICANT));
    PL_OK(reg, pledger_application_save(reg, app));
    PL_OK(NULL, pledger_set_language("zh_CN"));
    PL_OK(reg, pledger_application_review(&rv, reg, pledger_application_uuid(app)));
    bool quoted = false;
    for (size_t i = 0; i < pledger_review_count(rv); i++)
        if (!strcmp(pledger_review_code(rv, i), "PARTY_ID_INVALID"))
            quoted = strstr(pledger_review_message(rv, i), "'PLEDGEE'") != NULL;
    ck_assert_msg(quoted, "the typed identifier is quoted, not translated");
    pledger_review_free(rv);
    pledger_application_free(app);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* An objection to a pledge of another kind than receivables: the kind is
 * said in Chinese ("为 trademark 质押" before), for every such kind. */
START_TEST(test_object_names_the_kind_translated)
{
    char *dir, *path;
    pledger_registry *reg;

    fx_ck_setup(&dir, &path, &reg);
    for (int kind = 1; kind <= 7; kind++) {
        if (kind == PLEDGER_KIND_RECEIVABLE)
            continue;
        char *num = NULL;
        PL_OK(reg, fx_registered(reg, kind, &num, NULL));
        fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
        PL_OK(NULL, pledger_set_language("zh_CN"));
        PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_object(reg, num, "某公司", NULL));
        char names[128];
        snprintf(names, sizeof names, "%s object", num);
        assert_no_english(pledger_errmsg(reg), "object: ", names);
        PL_OK(NULL, pledger_set_language("en"));
        PL_FAILS(reg, PLEDGER_ESTATE, pledger_pledge_object(reg, num, "某公司", NULL));
        ck_assert_msg(strstr(pledger_errmsg(reg), fx_kinds[kind]), "%s", pledger_errmsg(reg));
        pledger_free(num);
    }
    fx_ck_teardown(dir, path, reg);
}
END_TEST

static char *local_of(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = pl_vasprintf_local(fmt, ap);
    va_end(ap);
    return s;
}

/* Without fragments the translated format is printed exactly as printf
 * prints it, for every conversion pledger's messages use. */
/* An identifier's message names its type in the language shown: in
 * Chinese "统一社会信用代码 '...'", "居民身份证号码: ...", not the English
 * label ("USCC '...'", "resident identity number: ...") inside a Chinese
 * sentence; the same for the characters a type allows and the patent
 * number's form.  Each word is held to the catalogue's translation of it
 * (pledger_translate), so the test follows the catalogue the build has. */
START_TEST(test_identifier_labels_translated)
{
    static const struct {
        pledger_id_type type;
        const char *text, *label, *also;
    } cases[] = {
        { PLEDGER_ID_USCC, "91350100M000100Y44", "USCC", NULL },
        { PLEDGER_ID_USCC, "91350100M000100YI3", "USCC", "0-9 and A-Z except I, O, S, V, Z" },
        { PLEDGER_ID_RESIDENT, "1101", "resident identity number", NULL },
        { PLEDGER_ID_RESIDENT, "990105194912310021", "resident identity number", NULL },
        { PLEDGER_ID_PASSPORT, "ab#12345", "passport number", "A-Z and 0-9" },
        { PLEDGER_ID_FOREIGN_REG, "a*b", "foreign registration number",
          "A-Z, 0-9, '-', '/' and '.'" },
        { PLEDGER_ID_PATENT, "12345", "patent application number",
          "expected YYYYTNNNNNNN.C (12 digits and a check) or NNNNNNNN.C (8 digits and a "
          "check)" },
        { PLEDGER_ID_TRADEMARK, "12x", "trademark registration number", NULL },
        { PLEDGER_ID_NICE_CLASS, "99", "Nice class", NULL },
        { PLEDGER_ID_PERMIT, "abc*defgh", "discharge permit number", "A-Z, 0-9 and '-'" },
        { PLEDGER_ID_CERTIFICATE, "", "certificate number", NULL },
    };
    char out[128];

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        PL_OK(NULL, pledger_set_language("en"));
        ck_assert_int_eq(pledger_id_normalize(out, sizeof out, cases[i].type, cases[i].text),
                         PLEDGER_EINVAL);
        ck_assert_msg(strstr(pledger_errmsg(NULL), cases[i].label), "%s", pledger_errmsg(NULL));
        PL_OK(NULL, pledger_set_language("zh_CN"));
        const char *label = pledger_translate(cases[i].label);
        ck_assert_int_eq(pledger_id_normalize(out, sizeof out, cases[i].type, cases[i].text),
                         PLEDGER_EINVAL);
        const char *m = pledger_errmsg(NULL);
        ck_assert_msg(strstr(m, label), "'%s' lacks '%s'", m, label);
        ck_assert_msg(label == cases[i].label || !strcmp(label, cases[i].label) ||
                          !strstr(m, cases[i].label),
                      "English '%s' in '%s'", cases[i].label, m);
        if (cases[i].also)
            ck_assert_msg(strstr(m, pledger_translate(cases[i].also)), "'%s' lacks '%s'", m,
                          pledger_translate(cases[i].also));
    }
}
END_TEST

START_TEST(test_local_format_matches_printf)
{
    char want[256], *got;
    long long big = -1234567890123LL;
    size_t z = 42;
    int64_t w = INT64_MIN;

    got = local_of("%s|%.3s|%5s|%-5s|%d|%ld|%lld|%zu|%06lld|%" PRId64 "|%x|%c|%%|%.*s|%3.1f",
                   "abc", "abcdef", "ab", "ab", -7, 123456789L, big, z, 12LL, w, 255u, 'q', 2,
                   "xyz", 2.25);
    snprintf(want, sizeof want,
             "%s|%.3s|%5s|%-5s|%d|%ld|%lld|%zu|%06lld|%" PRId64 "|%x|%c|%%|%.*s|%3.1f", "abc",
             "abcdef", "ab", "ab", -7, 123456789L, big, z, 12LL, w, 255u, 'q', 2, "xyz", 2.25);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    free(got);

    /* Positional conversions, as a translation reorders its arguments
     * ("商标 %2$s 的类别 %1$d"): each argument taken by its type, written
     * where it is named, one named twice written twice. */
    got = local_of("%3$s|%1$d|%2$zu|%4$" PRIu64 "|%1$d|%5$-6.2f|%6$lld|%%|%7$c", -7, z, "abc",
                   (uint64_t)UINT64_MAX, 2.5, big, 'q');
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"   /* POSIX's n$, which glibc's printf reads */
    snprintf(want, sizeof want, "%3$s|%1$d|%2$zu|%4$" PRIu64 "|%1$d|%5$-6.2f|%6$lld|%%|%7$c", -7,
             z, "abc", (uint64_t)UINT64_MAX, 2.5, big, 'q');
#pragma GCC diagnostic pop
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    ck_assert_ptr_null(strchr(got, '$'));
    free(got);
    /* one left out, or named with two types: not guessed at */
    got = local_of("%2$s %3$s", "a", "b", "c");
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, "%2$s %3$s");
    free(got);

    /* A fragment is shown translated only where it is the argument. */
    PL_OK(NULL, pledger_set_language("zh_CN"));
    const char *word = pl_frag("pledgor");
    char copy[] = "pledgor";
    got = local_of("%s / %s", word, copy);
    ck_assert_str_eq(got, "出质人 / pledgor");
    free(got);
    /* and forgotten once a message is formatted */
    got = local_of("%s", word);
    ck_assert_str_eq(got, "pledgor");
    free(got);
    /* and where a positional conversion names it */
    word = pl_frag("pledgor");
    got = local_of("%2$d: %1$s", word, 3);
    ck_assert_str_eq(got, "3: 出质人");
    free(got);
    PL_OK(NULL, pledger_set_language(NULL));
}
END_TEST

/* A thread's own language: over the process's, per thread, back with NULL. */
START_TEST(test_thread_language)
{
    static const char *const bad[] = { "zh CN", "zh_CN:en", "../zh_CN", "z", "zh_", "_CN",
                                       "zh_CN_XX", "zh-CN-x", "\x1b[31m", "zh_CN;rm" };
    ck_assert_str_eq(pledger_strerror(PLEDGER_EINVAL), "invalid argument");
    static const char *const zh[] = { "zh_CN", "zh-CN", "zh-cn", "ZH_cn", "zh_CN.UTF-8",
                                      "zh_CN.utf8@x" };
    for (size_t i = 0; i < sizeof zh / sizeof zh[0]; i++) {
        PL_OK(NULL, pledger_set_thread_language(zh[i]));
        ck_assert_msg(!strcmp(pledger_strerror(PLEDGER_EINVAL), "参数无效"), "%s", zh[i]);
        PL_OK(NULL, pledger_set_thread_language(NULL));
        ck_assert_str_eq(pledger_strerror(PLEDGER_EINVAL), "invalid argument");
    }
    /* English over a Chinese process; a language with no catalogue is
     * refused and leaves the thread's as it was */
    PL_OK(NULL, pledger_set_language("zh_CN"));
    ck_assert_str_eq(pledger_strerror(PLEDGER_EINVAL), "参数无效");
    static const char *const en[] = { "en", "en-GB", "en_US.UTF-8", "C", "POSIX", "C.UTF-8" };
    for (size_t i = 0; i < sizeof en / sizeof en[0]; i++) {
        PL_OK(NULL, pledger_set_thread_language(en[i]));
        ck_assert_msg(!strcmp(pledger_strerror(PLEDGER_EINVAL), "invalid argument"), "%s",
                      en[i]);
        PL_FAILS(NULL, PLEDGER_ENOTFOUND, pledger_set_thread_language("fr-FR"));
        ck_assert_msg(strstr(pledger_errmsg(NULL), "fr-FR"), "%s", pledger_errmsg(NULL));
        /* a language whose code begins with "en" is not English */
        PL_FAILS(NULL, PLEDGER_ENOTFOUND, pledger_set_thread_language("enm"));
        ck_assert_str_eq(pledger_strerror(PLEDGER_EINVAL), "invalid argument");
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        PL_FAILS(NULL, PLEDGER_EINVAL, pledger_set_thread_language(bad[i]));
        ck_assert_msg(strstr(pledger_errmsg(NULL), "lang"), "%s", pledger_errmsg(NULL));
        ck_assert_str_eq(pledger_strerror(PLEDGER_EINVAL), "invalid argument");
    }
    PL_OK(NULL, pledger_set_thread_language(""));
    ck_assert_str_eq(pledger_strerror(PLEDGER_EINVAL), "参数无效");
    /* a program's own message kept in the catalogue, in the thread's
     * language; a format keeps its conversions */
    PL_OK(NULL, pledger_set_language("en"));
    static const char fmt[] = "query parameter %s: %s";
    ck_assert_ptr_eq(pledger_translate(fmt), fmt);
    PL_OK(NULL, pledger_set_thread_language("zh-CN"));
    char out[128];
    snprintf(out, sizeof out, pledger_translate(fmt), "limit", "1 to 10000");
    ck_assert_msg(strstr(out, "查询参数 limit") != NULL, "%s", out);
    static const char none[] = "no message of the catalogue reads like this";
    ck_assert_ptr_eq(pledger_translate(none), none);
    ck_assert_ptr_null(pledger_translate(NULL));
    PL_OK(NULL, pledger_set_thread_language(NULL));
    ck_assert_ptr_eq(pledger_translate(fmt), fmt);
}
END_TEST

/* An error formatted on a thread: in that thread's language, with its
 * fragments, while another thread speaks another. */
typedef struct speaker {
    const char *lang, *want;
    pthread_barrier_t *start;
    int wrong;
} speaker;

static void *speak(void *arg)
{
    speaker *sp = arg;
    pledger_set_thread_language(sp->lang);
    pthread_barrier_wait(sp->start);
    for (int i = 0; i < 20000; i++) {
        pledger_set_language("a b"); /* refused: the message names "lang" */
        if (!strstr(pledger_errmsg(NULL), sp->want) ||
            strcmp(pledger_strerror(PLEDGER_EBUSY), pledger_strerror(PLEDGER_EBUSY)) != 0)
            sp->wrong++;
    }
    pledger_set_thread_language(NULL);
    return NULL;
}

START_TEST(test_threads_speak_their_own_language)
{
    pthread_barrier_t start;
    pthread_t t[4];
    speaker sp[4] = {
        { "zh_CN", "语言", &start, 0 }, { "en", "is not a language name", &start, 0 },
        { "zh-CN", "语言", &start, 0 }, { "C", "is not a language name", &start, 0 },
    };
    ck_assert_int_eq(pthread_barrier_init(&start, NULL, 4), 0);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, speak, &sp[i]), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        ck_assert_msg(sp[i].wrong == 0, "%s: %d wrong", sp[i].lang, sp[i].wrong);
    }
    pthread_barrier_destroy(&start);
    /* this thread was not touched */
    ck_assert_str_eq(pledger_strerror(PLEDGER_EINVAL), "invalid argument");
}
END_TEST

static void swap_word(unsigned char *q)
{
    unsigned char tmp;
    tmp = q[0], q[0] = q[3], q[3] = tmp;
    tmp = q[1], q[1] = q[2], q[2] = tmp;
}

/* The catalogue reader on the real catalogue, on every prefix of it, on
 * damaged offsets and on the other byte order. */
START_TEST(test_catalogue_bytes)
{
    char path[4096];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/pledger.mo", getenv("PLEDGER_LOCALEDIR"));
    unsigned char *mo = (unsigned char *)pl_test_slurp(path, &len);
    ck_assert_ptr_nonnull(mo);
    pl_catalog *c = pl_catalog_parse(mo, len);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(pl_catalog_find(c, "invalid argument"), "参数无效");
    /* a message with an <inttypes.h> macro in its format, put together
     * with this platform's value of it (it stayed English per thread) */
    ck_assert_str_eq(pl_catalog_find(c, "search report %" PRIu64 ": its text is report %"
                                        PRIu64 "'s"),
                     "查询报告 %" PRIu64 "：其文本是第 %" PRIu64 " 号报告的");
    ck_assert_str_eq(pl_catalog_find(c, "journal: there is no event %" PRId64),
                     pl_catalog_find(c, "journal: there is no event %" PRId64));
    ck_assert_ptr_nonnull(pl_catalog_find(c, "journal: there is no event %" PRId64));
    ck_assert_ptr_null(pl_catalog_find(c, "search report %<PRIu64>: its text is report "
                                          "%<PRIu64>'s"));
    ck_assert_ptr_null(pl_catalog_find(c, "no such message, surely"));
    ck_assert_ptr_null(pl_catalog_find(c, ""));
    pl_catalog_free(c);
    /* every prefix that cuts a string or a table is refused, never read past */
    size_t refused = 0;
    for (size_t n = 0; n < len; n += n < 4096 ? 1 : 997) {
        pl_catalog *p = pl_catalog_parse(mo, n);
        refused += p == NULL;
        pl_catalog_free(p);
    }
    ck_assert_uint_gt(refused, 0);
    /* an offset pointing outside, a length past the end, a count too large */
    uint32_t n_msgs, orig;
    memcpy(&n_msgs, mo + 8, 4);
    memcpy(&orig, mo + 12, 4);
    unsigned char *bad = malloc(len);
    ck_assert_ptr_nonnull(bad);
    static const uint32_t wrong[] = { 0xFFFFFFF0u, 0x7FFFFFFFu };
    for (int k = 0; k < 2; k++) {
        memcpy(bad, mo, len);
        memcpy(bad + orig + 8 * (n_msgs / 2) + 4, &wrong[k], 4); /* an offset */
        ck_assert_ptr_null(pl_catalog_parse(bad, len));
        memcpy(bad, mo, len);
        memcpy(bad + orig + 8 * (n_msgs / 2), &wrong[k], 4); /* a length */
        ck_assert_ptr_null(pl_catalog_parse(bad, len));
        memcpy(bad, mo, len);
        memcpy(bad + 8, &wrong[k], 4); /* the count */
        ck_assert_ptr_null(pl_catalog_parse(bad, len));
    }
    /* the same catalogue written in the other byte order */
    memcpy(bad, mo, len);
    uint32_t tr;
    memcpy(&tr, mo + 16, 4);
    /* the header (revision 1: twelve words), the two tables, and the
     * messages with a macro: the macros' table, their two tables, each
     * one's description (its offset, then pairs up to the end mark) */
    for (size_t w = 0; w < 12; w++)
        swap_word(bad + 4 * w);
    for (uint32_t i = 0; i < 2 * n_msgs; i++) {
        unsigned char *q = bad + (i < n_msgs ? orig + 8 * i : tr + 8 * (i - n_msgs));
        swap_word(q);
        swap_word(q + 4);
    }
    uint32_t h[12];
    memcpy(h, mo, sizeof h);
    ck_assert_uint_eq(h[1], 1);     /* revision 1: msgfmt wrote them */
    ck_assert_uint_gt(h[9], 0);
    for (uint32_t i = 0; i < 2 * h[7]; i++)
        swap_word(bad + h[8] + 4 * i);
    for (uint32_t t = 0; t < 2; t++)
        for (uint32_t i = 0; i < h[9]; i++) {
            uint32_t at, ref;
            memcpy(&at, mo + h[10 + t] + 4 * i, 4);
            swap_word(bad + h[10 + t] + 4 * i);
            swap_word(bad + at);
            for (size_t pos = at + 4;; pos += 8) {
                memcpy(&ref, mo + pos + 4, 4);
                swap_word(bad + pos);
                swap_word(bad + pos + 4);
                if (ref == 0xffffffffu)
                    break;
            }
        }
    c = pl_catalog_parse(bad, len);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(pl_catalog_find(c, "invalid argument"), "参数无效");
    ck_assert_str_eq(pl_catalog_find(c, "search report %" PRIu64 ": its text is report %"
                                        PRIu64 "'s"),
                     "查询报告 %" PRIu64 "：其文本是第 %" PRIu64 " 号报告的");
    pl_catalog_free(c);
    /* a description of a message with a macro pointing out of the file,
     * or naming a macro the file does not have */
    memcpy(bad, mo, len);
    uint32_t huge = 0x7ffffff0u;
    memcpy(bad + h[10], &huge, 4);
    ck_assert_ptr_null(pl_catalog_parse(bad, len));
    memcpy(bad, mo, len);
    uint32_t first;
    memcpy(&first, mo + h[10], 4);
    memcpy(bad + first + 8, &h[7], 4);   /* its first macro: one past the table */
    ck_assert_ptr_null(pl_catalog_parse(bad, len));
    ck_assert_ptr_null(pl_catalog_parse("\xde\x12\x04\x95", 4));
    ck_assert_ptr_null(pl_catalog_parse(NULL, 100));
    free(bad);
    free(mo);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("i18n");
    TCase *tc = tcase_create("i18n");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_strerror_follows_language);
    tcase_add_test(tc, test_language_list_and_fallback);
    tcase_add_test(tc, test_bad_language_refused);
    tcase_add_test(tc, test_error_message_translated);
    tcase_add_test(tc, test_finding_translated_record_english);
    tcase_add_test(tc, test_finding_reordered_arguments);
    tcase_add_test(tc, test_fragments_translated);
    tcase_add_test(tc, test_local_format_matches_printf);
    tcase_add_test(tc, test_thread_language);
    tcase_add_test(tc, test_threads_speak_their_own_language);
    tcase_add_test(tc, test_catalogue_bytes);
    tcase_add_test(tc, test_object_names_the_kind_translated);
    tcase_add_test(tc, test_language_tags_taken);
    tcase_add_test(tc, test_identifier_labels_translated);
    suite_add_tcase(s, tc);
    tc = tcase_create("time zone");
    tcase_add_test(tc, test_time_zone_setting);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
