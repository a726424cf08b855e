/* include/pledger/report.h: search reports.  Every answer recorded is
 * numbered without gaps, signed, readable by a bank with the public key
 * alone, found by the auditor under each party it concerned, shown to a
 * bank only when it is its own; bad requests name the field and store
 * nothing; the journal does not move. */
#include "fixture.h"
#include "store/sqlite.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <ctype.h>
#include <pthread.h>
#include <sqlite3.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/merkle.h"
#include "base/note.h"
#include "store/report.h"

#include <pledger/log.h>
#include <pledger/query.h>
#include <pledger/report.h>

typedef struct keys {
    char *priv, *pub;
    pledger_keyring *signer, *trusted;
} keys;

static void keys_make(keys *k, const char *dir)
{
    fx_ck_write_key(dir, EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), "reports", &k->priv, &k->pub);
    PL_OK(NULL, pledger_keyring_new(&k->signer));
    PL_OK(NULL, pledger_keyring_add_pem_file(k->signer, "registry.example.cn/FZ01", k->priv));
    PL_OK(NULL, pledger_keyring_new(&k->trusted));
    PL_OK(NULL, pledger_keyring_add_pem_file(k->trusted, "registry.example.cn/FZ01", k->pub));
}

static void keys_free(keys *k)
{
    pledger_keyring_free(k->signer);
    pledger_keyring_free(k->trusted);
    free(k->priv);
    free(k->pub);
}

/* The pledgor's identifier of registration @number, as the registrar sees it. */
static char *pledgor_id(pledger_registry *reg, const char *number)
{
    pledger_verification *v = NULL;
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_verify(&v, reg, number, NULL));
    char *id = strdup(pledger_pledge_pledgor_id(pledger_verification_pledge(v)));
    pledger_verification_free(v);
    return id;
}

static char *pledgor_name(pledger_registry *reg, const char *number)
{
    pledger_verification *v = NULL;
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_verify(&v, reg, number, NULL));
    char *name = strdup(pledger_pledge_pledgor_name(pledger_verification_pledge(v)));
    pledger_verification_free(v);
    return name;
}

/* Any actor the registry accepts (pledger_set_actor: up to 128 bytes) is
 * one a report names and an auditor lists reports of. */
START_TEST(test_every_actor_name_is_listed)
{
    char *dir, *path, *n1 = NULL;
    pledger_registry *reg;
    keys k;
    char longest[129], longer[130], *note[1] = { NULL };

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &n1, NULL));
    memset(longest, 'b', 128);
    longest[128] = '\0';
    memset(longer, 'b', 129);
    longer[129] = '\0';
    fx_act(reg, longest, PLEDGER_ROLE_BANK);
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.kind = PLEDGER_REPORT_VERIFICATION;
    r.query = n1;
    const char *found[] = { n1 };
    r.numbers = found;
    r.number_count = 1;
    PL_OK(reg, pledger_report_issue(note, NULL, reg, &r, 1, k.signer));
    pledger_free(note[0]);
    fx_act(reg, "pledgerd", PLEDGER_ROLE_REGISTRAR);
    r.actor = longest;
    r.role = PLEDGER_ROLE_BANK;
    PL_OK(reg, pledger_report_issue(note, NULL, reg, &r, 1, k.signer));
    pledger_free(note[0]);
    note[0] = NULL;
    r.actor = longer;
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_issue(note, NULL, reg, &r, 1, k.signer));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "128"));
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    pledger_report_filter f = PLEDGER_REPORT_FILTER_INIT;
    pledger_report_list *l = NULL;
    f.actor = longest;
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 2);
    ck_assert_str_eq(pledger_report_list_actor(l, 1), longest);
    pledger_report_list_free(l);
    f.actor = longer;
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_find(&l, reg, &f));
    keys_free(&k);
    pledger_free(n1);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* Remove from @dump every line holding @what. */
static void drop_lines_with(char *dump, const char *what)
{
    char *w = dump;
    for (char *line = dump; *line;) {
        char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);
        char *hit = strstr(line, what);
        if (!hit || hit >= line + n) {
            memmove(w, line, n);
            w += n;
        }
        line += n;
    }
    *w = '\0';
}

START_TEST(test_issue_open_find)
{
    char *dir, *path, *n1 = NULL, *n2 = NULL;
    pledger_registry *reg;
    keys k;

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &n1, NULL));
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_PATENT, &n2, NULL));
    char *p1 = pledgor_id(reg, n1), *pname = pledgor_name(reg, n1);
    uint64_t log_before = 0;
    PL_OK(reg, pledger_log_size(reg, &log_before));

    /* no report yet: a read-only handle lists none, finds none */
    pledger_registry *ro = NULL;
    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    fx_act(ro, "auditor-1", PLEDGER_ROLE_AUDITOR);
    pledger_report_list *none = NULL;
    pledger_report_filter all = PLEDGER_REPORT_FILTER_INIT;
    PL_OK(ro, pledger_report_find(&none, ro, &all));
    ck_assert_uint_eq(pledger_report_list_count(none), 0);
    pledger_report_list_free(none);
    char *nothing = NULL;
    PL_FAILS(ro, PLEDGER_ENOTFOUND, pledger_report_get(&nothing, ro, 1));
    char *registry_before = fx_ck_dump(path, NULL);

    /* a bank records its own search; a service (registrar) records for
     * two of its accounts, one answer naming nothing */
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    const char *found[] = { n1, n2 };
    /* the party as the bank typed it: a full-width digit, lower case, a
     * space (a search takes it as 91440300MA5DXXXX1K) */
    const char *asked[] = { "\xef\xbc\x99" "1440300ma5dxxxx1k " };
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.query = "party_id=%EF%BC%991440300ma5dxxxx1k%20&side=either";
    r.parties = asked;
    r.party_count = 1;
    r.numbers = found;
    r.number_count = 2;
    char *notes[3] = { NULL, NULL, NULL };
    uint64_t numbers[3] = { 0, 0, 0 };
    fx_now_us += 1000000;
    PL_OK(reg, pledger_report_issue(notes, numbers, reg, &r, 1, k.signer));
    ck_assert_uint_eq(numbers[0], 1);

    pledger_report_request two[2] = { PLEDGER_REPORT_REQUEST_INIT, PLEDGER_REPORT_REQUEST_INIT };
    two[0].kind = PLEDGER_REPORT_VERIFICATION;
    two[0].actor = "bank-b";
    two[0].role = PLEDGER_ROLE_BANK;
    two[0].query = n1; /* the number asked */
    two[0].numbers = found;
    two[0].number_count = 1;
    two[0].log_size = log_before - 1;
    two[1].actor = "bank-c";
    two[1].role = PLEDGER_ROLE_BANK;
    two[1].query = "party_name=hangzhou%20%20west%20lake%20TEA%20co.,%20ltd.";
    const char *nobody[] = { "hangzhou  west lake TEA co., ltd." };
    two[1].parties = nobody;
    two[1].party_count = 1;
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK); /* not for another actor */
    PL_FAILS(reg, PLEDGER_EPERM, pledger_report_issue(notes + 1, NULL, reg, two, 2, k.signer));
    ck_assert_ptr_null(notes[1]);
    fx_act(reg, "pledgerd", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_report_issue(notes + 1, numbers + 1, reg, two, 2, k.signer));
    ck_assert_uint_eq(numbers[1], 2);
    ck_assert_uint_eq(numbers[2], 3);
    uint64_t log_after = 0;
    PL_OK(reg, pledger_log_size(reg, &log_after));
    ck_assert_uint_eq(log_after, log_before); /* asking does not change the register */
    /* nor its file, but for its mark of the reports (that the companion
     * held so many, with their tree's root): the reports are in the companion
     * <registry>.reports */
    char *registry_after = fx_ck_dump(path, NULL);
    ck_assert_ptr_nonnull(strstr(registry_after, "reports_mark|"));
    drop_lines_with(registry_after, "reports_mark|");
    ck_assert_str_eq(registry_before, registry_after);
    free(registry_before);
    free(registry_after);
    char *companion = NULL;
    ck_assert_int_ne(asprintf(&companion, "%s.reports", path), -1);
    ck_assert_int_eq(fx_ck_raw_int(companion, "SELECT count(*) FROM search_report"), 3);
    /* the read-only handle opened before sees them now */
    PL_OK(ro, pledger_report_find(&none, ro, &all));
    ck_assert_uint_eq(pledger_report_list_count(none), 3);
    pledger_report_list_free(none);
    PL_OK(ro, pledger_report_get(&nothing, ro, 3));
    ck_assert_str_eq(nothing, notes[2]);
    free(nothing);
    pledger_close(ro);
    free(companion);

    /* the bank reads its report with the public key alone */
    pledger_report *rep = NULL;
    PL_OK(NULL, pledger_report_open(&rep, notes[0], strlen(notes[0]), k.trusted));
    ck_assert_uint_eq(pledger_report_number(rep), 1);
    ck_assert_str_eq(pledger_report_origin(rep), "pledger/FZ01");
    ck_assert_str_eq(pledger_report_actor(rep), "bank-a");
    ck_assert_int_eq(pledger_report_role(rep), PLEDGER_ROLE_BANK);
    ck_assert_int_eq(pledger_report_kind_of(rep), PLEDGER_REPORT_SEARCH);
    ck_assert_str_eq(pledger_report_query(rep), r.query);
    ck_assert_int_eq(pledger_report_issued_at(rep), fx_now_us);
    ck_assert_uint_eq(pledger_report_result_count(rep), 2);
    ck_assert_str_eq(pledger_report_result(rep, 0), n1);
    ck_assert_str_eq(pledger_report_result(rep, 1), n2);
    ck_assert_ptr_null(pledger_report_result(rep, 2));
    /* the party asked about, as the auditor's index keeps it: folded */
    ck_assert_uint_eq(pledger_report_party_count(rep), 1);
    ck_assert_str_eq(pledger_report_party(rep, 0), "91440300ma5dxxxx1k");
    ck_assert_ptr_null(pledger_report_party(rep, 1));
    ck_assert_ptr_nonnull(strstr(notes[0], "\nparties 1\n91440300ma5dxxxx1k\nasked 0\nlog "));
    ck_assert_uint_eq(pledger_report_log_size(rep), log_before);
    unsigned char root[32];
    PL_OK(reg, pledger_log_root(reg, log_before, root));
    ck_assert_mem_eq(pledger_report_log_root(rep), root, 32);
    ck_assert_uint_eq(pledger_report_signer_count(rep), 1);
    ck_assert_str_eq(pledger_report_signer(rep, 0), "registry.example.cn/FZ01");
    pledger_report_free(rep);
    /* the verification answered at an earlier size proves against that root */
    PL_OK(NULL, pledger_report_open(&rep, notes[1], strlen(notes[1]), k.trusted));
    ck_assert_uint_eq(pledger_report_log_size(rep), log_before - 1);
    PL_OK(reg, pledger_log_root(reg, log_before - 1, root));
    ck_assert_mem_eq(pledger_report_log_root(rep), root, 32);
    ck_assert_int_eq(pledger_report_kind_of(rep), PLEDGER_REPORT_VERIFICATION);
    pledger_report_free(rep);
    /* a search that found nothing gets a report too */
    PL_OK(NULL, pledger_report_open(&rep, notes[2], strlen(notes[2]), k.trusted));
    ck_assert_uint_eq(pledger_report_result_count(rep), 0);
    ck_assert_str_eq(pledger_report_actor(rep), "bank-c");
    ck_assert_uint_eq(pledger_report_party_count(rep), 1);
    pledger_report_free(rep);

    /* the auditor: who was told about the pledgor of n1 -- the search that
     * answered n1 and the verification of n1, though nobody typed its
     * identifier -- by identifier (as typed, lower case and spaced too) */
    pledger_report_list *l = NULL;
    pledger_report_filter f = PLEDGER_REPORT_FILTER_INIT;
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    f.party = p1;
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 2);
    ck_assert_uint_eq(pledger_report_list_number(l, 0), 1);
    ck_assert_str_eq(pledger_report_list_actor(l, 0), "bank-a");
    ck_assert_int_eq(pledger_report_list_kind(l, 0), PLEDGER_REPORT_SEARCH);
    ck_assert_uint_eq(pledger_report_list_number(l, 1), 2);
    ck_assert_str_eq(pledger_report_list_actor(l, 1), "bank-b");
    ck_assert_int_eq(pledger_report_list_kind(l, 1), PLEDGER_REPORT_VERIFICATION);
    ck_assert_int_eq(pledger_report_list_role(l, 1), PLEDGER_ROLE_BANK);
    ck_assert_uint_eq(pledger_report_list_result_count(l, 1), 1);
    ck_assert_uint_eq(pledger_report_list_log_size(l, 1), log_before - 1);
    ck_assert_str_eq(pledger_report_list_query(l, 1), n1);
    ck_assert_int_eq(pledger_report_list_issued_at(l, 1), fx_now_us);
    ck_assert_uint_eq(pledger_report_list_number(l, 2), 0); /* out of range */
    pledger_report_list_free(l);
    char spaced[80];
    snprintf(spaced, sizeof spaced, " %s ", p1);
    for (char *c = spaced; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    f.party = spaced;
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 2);
    pledger_report_list_free(l);
    /* by the pledgor's name */
    f.party = pname;
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 2);
    pledger_report_list_free(l);
    f.party = "someone else";
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 0);
    pledger_report_list_free(l);
    f.party = "91440300MA5DXXXX1K";
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 1);
    ck_assert_str_eq(pledger_report_list_actor(l, 0), "bank-a");
    pledger_report_list_free(l);
    /* a party asked about is found however it was spelt, by the auditor's
     * spelling too: a search that found nothing included */
    static const char *const spellings[][2] = {
        { "91440300ma5dxxxx1k", "bank-a" },
        { "\xef\xbc\x99\xef\xbc\x91" "440300MA5DXXXX1K", "bank-a" },
        { "Hangzhou West Lake Tea Co., Ltd.", "bank-c" },
        { "HANGZHOU WEST LAKE TEA", "bank-c" },
        { "Hangzhou West Lake Tea Company Limited", "bank-c" },
    };
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
        f.party = spellings[i][0];
        PL_OK(reg, pledger_report_find(&l, reg, &f));
        ck_assert_msg(pledger_report_list_count(l) == 1, "%s: %zu", spellings[i][0],
                      pledger_report_list_count(l));
        ck_assert_str_eq(pledger_report_list_actor(l, 0), spellings[i][1]);
        pledger_report_list_free(l);
    }
    /* by actor, by period, by page */
    f.party = NULL;
    f.actor = "bank-b";
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 1);
    pledger_report_list_free(l);
    f.actor = NULL;
    f.limit = 2;
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 2);
    f.after = pledger_report_list_number(l, 1);
    pledger_report_list_free(l);
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 1);
    ck_assert_uint_eq(pledger_report_list_number(l, 0), 3);
    pledger_report_list_free(l);
    f.after = 0;
    f.limit = 1000;
    f.to = fx_now_us - 1;
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 0);
    pledger_report_list_free(l);
    f.from = f.to = fx_now_us;
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 3);
    pledger_report_list_free(l);
    /* the stored note is the one handed out */
    char *got = NULL;
    PL_OK(reg, pledger_report_get(&got, reg, 2));
    ck_assert_str_eq(got, notes[1]);
    free(got);
    PL_FAILS(reg, PLEDGER_ENOTFOUND, pledger_report_get(&got, reg, 4));

    /* a verification refused (a wrong code guessed) names no registration
     * in its answer, but its question asked about one: the auditor finds
     * it under that registration's pledgor, by identifier and by name */
    char *p2 = pledgor_id(reg, n2), *p2name = pledgor_name(reg, n2);
    f.from = 0;
    f.to = INT64_MAX;
    f.party = p2;
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    size_t before_guess = pledger_report_list_count(l);
    pledger_report_list_free(l);
    pledger_report_request guess = PLEDGER_REPORT_REQUEST_INIT;
    const char *asked_n2[] = { n2 };
    guess.kind = PLEDGER_REPORT_VERIFICATION;
    guess.query = "/v1/pledges/n2?code=*";
    guess.asked = asked_n2;
    guess.asked_count = 1;
    fx_act(reg, "bank-d", PLEDGER_ROLE_BANK);
    char *gnote = NULL;
    PL_OK(reg, pledger_report_issue(&gnote, NULL, reg, &guess, 1, k.signer));
    PL_OK(NULL, pledger_report_open(&rep, gnote, strlen(gnote), k.trusted));
    ck_assert_uint_eq(pledger_report_result_count(rep), 0);
    ck_assert_uint_eq(pledger_report_asked_count(rep), 1);
    ck_assert_str_eq(pledger_report_asked(rep, 0), n2);
    ck_assert_ptr_null(pledger_report_asked(rep, 1));
    pledger_report_free(rep);
    free(gnote);
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    const char *by[] = { p2, p2name };
    for (size_t i = 0; i < 2; i++) {
        f.party = by[i];
        PL_OK(reg, pledger_report_find(&l, reg, &f));
        size_t c = pledger_report_list_count(l);
        ck_assert_msg(c >= 1 && c == (i ? c : before_guess + 1), "%s: %zu", by[i], c);
        ck_assert_str_eq(pledger_report_list_actor(l, c - 1), "bank-d");
        pledger_report_list_free(l);
    }
    uint64_t bad = 7, count = 0;
    PL_OK(reg, pledger_report_verify(&bad, &count, reg, k.trusted));
    ck_assert_msg(bad == 0, "%s", pledger_errmsg(reg));
    ck_assert_uint_eq(count, 4);
    free(p2);
    free(p2name);

    for (int i = 0; i < 3; i++)
        free(notes[i]);
    free(p1);
    free(pname);
    free(n1);
    free(n2);
    keys_free(&k);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* Who sees reports: auditor and registrar all; a bank its own; the
 * others none. */
START_TEST(test_who_sees_reports)
{
    char *dir, *path, *note = NULL;
    pledger_registry *reg;
    pledger_report_list *l = NULL;
    pledger_report_filter f = PLEDGER_REPORT_FILTER_INIT;
    keys k;

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.query = "right=TM-1";
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    PL_OK(reg, pledger_report_issue(&note, NULL, reg, &r, 1, k.signer));
    free(note);
    fx_act(reg, "bank-b", PLEDGER_ROLE_BANK);
    PL_OK(reg, pledger_report_issue(&note, NULL, reg, &r, 1, k.signer));
    free(note);

    /* bank-b lists and fetches its own only */
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 1);
    ck_assert_str_eq(pledger_report_list_actor(l, 0), "bank-b");
    pledger_report_list_free(l);
    f.actor = "bank-a";
    PL_FAILS(reg, PLEDGER_EPERM, pledger_report_find(&l, reg, &f));
    ck_assert_ptr_null(l);
    f.actor = NULL;
    PL_FAILS(reg, PLEDGER_EPERM, pledger_report_get(&note, reg, 1));
    ck_assert_ptr_null(note);
    PL_OK(reg, pledger_report_get(&note, reg, 2));
    free(note);
    /* applicant and clerk see none; registrar and auditor all */
    static const pledger_role none[] = { PLEDGER_ROLE_APPLICANT, PLEDGER_ROLE_CLERK };
    for (size_t i = 0; i < 2; i++) {
        fx_act(reg, "someone", none[i]);
        PL_FAILS(reg, PLEDGER_EPERM, pledger_report_find(&l, reg, &f));
        PL_FAILS(reg, PLEDGER_EPERM, pledger_report_get(&note, reg, 1));
    }
    static const pledger_role all[] = { PLEDGER_ROLE_REGISTRAR, PLEDGER_ROLE_AUDITOR };
    for (size_t i = 0; i < 2; i++) {
        fx_act(reg, "someone", all[i]);
        PL_OK(reg, pledger_report_find(&l, reg, &f));
        ck_assert_uint_eq(pledger_report_list_count(l), 2);
        pledger_report_list_free(l);
        PL_OK(reg, pledger_report_get(&note, reg, 1));
        free(note);
    }
    /* a read-only handle records nothing */
    pledger_registry *ro = NULL;
    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    fx_act(ro, "bank-a", PLEDGER_ROLE_BANK);
    PL_FAILS(ro, PLEDGER_EREADONLY, pledger_report_issue(&note, NULL, ro, &r, 1, k.signer));
    pledger_close(ro);
    keys_free(&k);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* Each bad field is named; a failing request in a batch stores nothing. */
START_TEST(test_bad_requests)
{
    char *dir, *path, *notes[2] = { NULL, NULL };
    pledger_registry *reg;
    keys k;

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    fx_act(reg, "pledgerd", PLEDGER_ROLE_REGISTRAR);
    pledger_report_request good = PLEDGER_REPORT_REQUEST_INIT;
    good.query = "right=TM-1";
    PL_OK(reg, pledger_report_issue(notes, NULL, reg, &good, 1, k.signer));
    free(notes[0]);
    notes[0] = NULL;
    char *before = fx_ck_dump(path, NULL), *companion = NULL;
    ck_assert_int_ne(asprintf(&companion, "%s.reports", path), -1);
    char *reports_before = fx_ck_dump(companion, NULL);

    static const char *const bad_number[] = { "PL 1" };
    static const char *const bad_party[] = { "" };
    /* a party one byte longer than a search's party_name may be */
    char party_513[514];
    memset(party_513, 'p', 513);
    party_513[513] = '\0';
    const char *const long_party[] = { party_513 };
    char long_query[2100];
    memset(long_query, 'q', sizeof long_query - 1);
    long_query[sizeof long_query - 1] = '\0';
    static const struct {
        const char *field;
    } cases[] = { { "requests[1].version" }, { "requests[1].kind" }, { "requests[1].actor" },
                  { "requests[1].role" },    { "requests[1].query" }, { "requests[1].query" },
                  { "requests[1].query" },   { "requests[1].parties[0]" },
                  { "requests[1].numbers[0]" }, { "requests[1].log_size" },
                  { "requests[1].numbers" }, { "requests[1].parties[0] must be 1 to 512" },
                  { "requests[1].query" }, { "requests[1].actor" },
                  { "requests[1].parties[0]" }, { "requests[1].query" },
                  { "requests[1].query" } };
    /* C1 controls: a line break to some readers (NEL), a terminal's
     * command (CSI) -- in a signed report's text as much as C0 */
    static const char *const c1_party[] = { "A\xc2\x9b" "2J" };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pledger_report_request two[2] = { good, good };
        pledger_report_request *b = &two[1];
        switch (i) {
        case 0: b->version = 99; break;
        case 1: b->kind = 7; break;
        case 2: b->actor = "line\nbreak"; break;
        case 3: b->role = 9; break;
        case 4: b->query = NULL; break;
        case 5: b->query = long_query; break;
        case 6: b->query = "a\x01" "b"; break;
        case 7: b->parties = bad_party; b->party_count = 1; break;
        case 8: b->numbers = bad_number; b->number_count = 1; break;
        case 9: b->log_size = 1000000; break;
        case 10: b->numbers = NULL; b->number_count = 3; break;
        case 11: b->parties = long_party; b->party_count = 1; break;
        case 12: b->query = "party_name=A\xc2\x85" "B"; break;
        case 13: b->actor = "bank\xc2\x85"; b->role = PLEDGER_ROLE_BANK; break;
        case 14: b->parties = c1_party; b->party_count = 1; break;
        /* a line separator, a right-to-left override */
        case 15: b->query = "party_name=Nobody\xe2\x80\xa8results 1"; break;
        case 16: b->query = "party_name=ABC\xe2\x80\xae" "DEF"; break;
        }
        PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_issue(notes, NULL, reg, two, 2, k.signer));
        ck_assert_msg(strstr(pledger_errmsg(reg), cases[i].field) != NULL, "case %zu: %s", i,
                      pledger_errmsg(reg));
        ck_assert_ptr_null(notes[0]);
        ck_assert_ptr_null(notes[1]);
    }
    /* no key that can sign; no requests */
    pledger_keyring *pub = NULL;
    PL_OK(NULL, pledger_keyring_new(&pub));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_issue(notes, NULL, reg, &good, 1, pub));
    PL_OK(NULL, pledger_keyring_add_pem_file(pub, "registry.example.cn/FZ01", k.pub));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_issue(notes, NULL, reg, &good, 1, pub));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "signers"));
    pledger_keyring_free(pub);
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_issue(notes, NULL, reg, &good, 0, k.signer));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_issue(notes, NULL, reg, NULL, 1, k.signer));
    /* bad filters */
    pledger_report_list *l = NULL;
    pledger_report_filter f = PLEDGER_REPORT_FILTER_INIT;
    f.limit = 0;
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_find(&l, reg, &f));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "filter.limit"));
    f.limit = 10;
    f.from = 5;
    f.to = 4;
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_find(&l, reg, &f));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "filter.from"));
    f.from = f.to = PLEDGER_AS_OF_CURRENT;
    f.party = "";
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_find(&l, reg, &f));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "filter.party"));
    f.party = party_513;
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_find(&l, reg, &f));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "filter.party must be 1 to 512"));
    f.party = NULL;
    f.version = 2;
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_find(&l, reg, &f));

    char *after = fx_ck_dump(path, NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    char *reports_after = fx_ck_dump(companion, NULL);
    ck_assert_str_eq(reports_before, reports_after);
    free(reports_after);
    /* a party as long as a search's party_name may be (512 bytes) is kept,
     * and found: a search that takes it has its report */
    party_513[512] = '\0';
    good.parties = long_party;
    good.party_count = 1;
    PL_OK(reg, pledger_report_issue(notes, NULL, reg, &good, 1, k.signer));
    free(notes[0]);
    notes[0] = NULL;
    f = (pledger_report_filter)PLEDGER_REPORT_FILTER_INIT;
    f.party = party_513;
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 1);
    pledger_report_list_free(l);
    l = NULL;
    f.party = NULL;
    /* the rows are append-only below the library too */
    char *msg = NULL;
    ck_assert_int_eq(fx_ck_raw_int(companion, "SELECT count(*) FROM search_report"), 2);
    ck_assert_int_ne(fx_raw_exec(companion, "UPDATE search_report SET actor = 'x'", &msg),
                     SQLITE_OK);
    ck_assert_ptr_nonnull(strstr(msg, "append-only"));
    sqlite3_free(msg);
    msg = NULL;
    ck_assert_int_ne(fx_raw_exec(companion, "DELETE FROM search_report", &msg), SQLITE_OK);
    ck_assert_ptr_nonnull(strstr(msg, "append-only"));
    sqlite3_free(msg);
    free(reports_before);
    free(companion);
    keys_free(&k);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* A report is believed only with its signature and its exact form. */
START_TEST(test_open_refuses)
{
    char *dir, *path, *note = NULL, *cp = NULL;
    pledger_registry *reg;
    pledger_report *rep = NULL;
    keys k, other;

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    char *sub = pl_test_path(dir, "other");
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    keys_make(&other, sub);
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.query = "right=TM-1";
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    PL_OK(reg, pledger_report_issue(&note, NULL, reg, &r, 1, k.signer));

    /* another key of the same name; a changed byte */
    PL_FAILS(NULL, PLEDGER_ECODE, pledger_report_open(&rep, note, strlen(note), other.trusted));
    ck_assert_ptr_null(rep);
    char *forged = strdup(note);
    *strstr(forged, "bank-a") = 'B';
    PL_FAILS(NULL, PLEDGER_ECODE, pledger_report_open(&rep, forged, strlen(forged), k.trusted));
    free(forged);
    /* a checkpoint signed by the same key is not a report */
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_checkpoint_sign(&cp, reg, k.signer));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_report_open(&rep, cp, strlen(cp), k.trusted));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "line 1"));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_report_open(&rep, NULL, 0, k.trusted));
    pledger_report_free(NULL);
    /* CRLF lines (a mail client's), a TAB, a NUL: named with their line */
    {
        size_t nl = strlen(note), m = 0;
        char *crlf = malloc(2 * nl + 1);
        ck_assert_ptr_nonnull(crlf);
        for (size_t i = 0; i < nl; i++) {
            if (note[i] == '\n')
                crlf[m++] = '\r';
            crlf[m++] = note[i];
        }
        PL_FAILS(NULL, PLEDGER_EINVAL, pledger_report_open(&rep, crlf, m, k.trusted));
        ck_assert_msg(strstr(pledger_errmsg(NULL), "line 1: a control character (\\x0d)"),
                      "%s", pledger_errmsg(NULL));
        char *tab = strdup(note);
        *strstr(tab, "right=") = '\t';
        PL_FAILS(NULL, PLEDGER_EINVAL, pledger_report_open(&rep, tab, strlen(tab), k.trusted));
        ck_assert_msg(strstr(pledger_errmsg(NULL), "line 5: a control character (\\x09)"),
                      "%s", pledger_errmsg(NULL));
        memcpy(crlf, note, nl);
        *strchr(strchr(crlf, '\n') + 1, '\n') = '\0';  /* the end of line 2 */
        PL_FAILS(NULL, PLEDGER_EINVAL, pledger_report_open(&rep, crlf, nl, k.trusted));
        ck_assert_msg(strstr(pledger_errmsg(NULL), "line 2: a NUL byte"), "%s",
                      pledger_errmsg(NULL));
        free(tab);
        free(crlf);
        ck_assert_ptr_null(rep);
    }
    pledger_report_list_free(NULL);
    ck_assert_ptr_null(pledger_report_kind_name(0));
    ck_assert_str_eq(pledger_report_kind_name(PLEDGER_REPORT_VERIFICATION), "verification");

    free(note);
    free(cp);
    free(sub);
    keys_free(&k);
    keys_free(&other);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* An in-memory registry keeps its reports in memory; a companion file
 * that is not one is refused, naming it. */
START_TEST(test_companion)
{
    char *dir, *path, *note = NULL, *companion = NULL;
    pledger_registry *reg, *mem = NULL;
    keys k;
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    r.query = "right=TM-1";
    PL_OK(NULL, fx_open(&mem, ":memory:", "FZ01", 0, -1));
    fx_act(mem, "bank-a", PLEDGER_ROLE_BANK);
    PL_OK(mem, pledger_report_issue(&note, NULL, mem, &r, 1, k.signer));
    free(note);
    ck_assert_int_ne(access(":memory:.reports", F_OK), 0);
    pledger_close(mem);

    ck_assert_int_ne(asprintf(&companion, "%s.reports", path), -1);
    FILE *f = fopen(companion, "w");
    ck_assert_ptr_nonnull(f);
    fputs("not a database, only text long enough to be read as a header........\n", f);
    fclose(f);
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    int rc = pledger_report_issue(&note, NULL, reg, &r, 1, k.signer);
    ck_assert_int_eq(rc, PLEDGER_ENOTDB);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), ".reports"));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "not an SQLite database"));
    ck_assert_ptr_null(strstr(pledger_errmsg(reg), "restore")); /* the registry is fine */
    ck_assert_ptr_null(note);
    /* a read-only handle does not take it for "no reports" either */
    pledger_registry *ro = NULL;
    pledger_report_list *l = NULL;
    pledger_report_filter all = PLEDGER_REPORT_FILTER_INIT;
    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    fx_act(ro, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_FAILS(ro, PLEDGER_ENOTDB, pledger_report_find(&l, ro, &all));
    ck_assert_ptr_null(l);
    PL_FAILS(ro, PLEDGER_ENOTDB, pledger_report_get(&note, ro, 1));
    pledger_close(ro);
    /* a database of another program (a table, no identifier, no version):
     * refused, and left as it was -- not marked as reports */
    ck_assert_int_eq(unlink(companion), 0);
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open(companion, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "CREATE TABLE other(x); INSERT INTO other VALUES (7);",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    PL_FAILS(reg, PLEDGER_ENOTDB, pledger_report_issue(&note, NULL, reg, &r, 1, k.signer));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "not a pledger database of search"));
    ck_assert_int_eq(sqlite3_open(companion, &h), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT (SELECT application_id FROM "
                                        "pragma_application_id), (SELECT count(*) FROM "
                                        "sqlite_schema), (SELECT x FROM other)", -1, &st, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_int_eq(sqlite3_column_int(st, 0), 0);
    ck_assert_int_eq(sqlite3_column_int(st, 1), 1);
    ck_assert_int_eq(sqlite3_column_int(st, 2), 7);
    sqlite3_finalize(st);
    sqlite3_close(h);
    free(companion);
    keys_free(&k);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* Readers of a companion that another handle is making (the file there,
 * empty or with only its header, the schema not yet committed) see no
 * report yet, not a foreign file; the maker finishes it. */
static void ro_sees_none(const char *path)
{
    pledger_registry *ro = NULL;
    pledger_report_list *l = NULL;
    pledger_report_filter all = PLEDGER_REPORT_FILTER_INIT;
    char *note = NULL;

    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    fx_act(ro, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(ro, pledger_report_find(&l, ro, &all));
    ck_assert_uint_eq(pledger_report_list_count(l), 0);
    pledger_report_list_free(l);
    PL_FAILS(ro, PLEDGER_ENOTFOUND, pledger_report_get(&note, ro, 1));
    PL_OK(ro, pledger_read_begin(ro));
    PL_FAILS(ro, PLEDGER_ENOTFOUND, pledger_report_get(&note, ro, 1));
    PL_OK(ro, pledger_read_end(ro));
    pledger_close(ro);
}

typedef struct maker {
    const char *path;
    pledger_keyring *signer;
    int rc;
    char msg[512];
} maker;

/* One handle of its own issuing 10 reports, on the real clock. */
static void *make_reports(void *arg)
{
    maker *m = arg;
    pledger_registry *reg = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.query = "right=TM-1";
    o.busy_timeout_ms = 30000;
    if ((m->rc = pledger_open(&reg, m->path, &o))) {
        snprintf(m->msg, sizeof m->msg, "%s", pledger_errmsg(NULL));
        return NULL;
    }
    pledger_set_actor(reg, "bank-a", PLEDGER_ROLE_BANK);
    for (int i = 0; i < 10 && !m->rc; i++) {
        char *note = NULL;
        if ((m->rc = pledger_report_issue(&note, NULL, reg, &r, 1, m->signer)))
            snprintf(m->msg, sizeof m->msg, "%s", pledger_errmsg(reg));
        free(note);
    }
    pledger_close(reg);
    return NULL;
}

/* One read-only handle reading the reports while they are being made. */
static void *read_reports(void *arg)
{
    maker *m = arg;
    pledger_registry *ro = NULL;
    pledger_open_options o = PLEDGER_OPEN_OPTIONS_INIT;
    pledger_report_filter all = PLEDGER_REPORT_FILTER_INIT;
    o.read_only = 1;
    o.busy_timeout_ms = 30000;
    if ((m->rc = pledger_open(&ro, m->path, &o))) {
        snprintf(m->msg, sizeof m->msg, "%s", pledger_errmsg(NULL));
        return NULL;
    }
    pledger_set_actor(ro, "auditor-1", PLEDGER_ROLE_AUDITOR);
    for (int i = 0; i < 200 && !m->rc; i++) {
        pledger_report_list *l = NULL;
        if ((m->rc = pledger_report_find(&l, ro, &all)))
            snprintf(m->msg, sizeof m->msg, "%s", pledger_errmsg(ro));
        pledger_report_list_free(l);
    }
    pledger_close(ro);
    return NULL;
}

/* Another connection holding the registry's write lock, as a bulk filing
 * does for seconds: a write to the registry made and not committed. */
static sqlite3 *hold_registry(const char *path)
{
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "BEGIN IMMEDIATE; CREATE TABLE held(x);", NULL, NULL,
                                  NULL), SQLITE_OK);
    return h;
}

static void release_registry(sqlite3 *h)
{
    ck_assert_int_eq(sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

/* A report is recorded while another handle holds the registry's write
 * lock: the first one (which makes the companion), the next ones, a
 * group; each read at the log as it was committed.  They waited for the
 * writer before (a 100 ms busy timeout: PLEDGER_EBUSY). */
START_TEST(test_reports_beside_a_writer)
{
    char *dir, *path, *note = NULL;
    pledger_registry *reg, *bank = NULL;
    keys k;
    uint64_t size = 0, number = 0;
    pledger_report_request r[2] = { PLEDGER_REPORT_REQUEST_INIT, PLEDGER_REPORT_REQUEST_INIT };
    r[0].query = "right=TM-1";
    r[1].query = "right=TM-2";

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    char *n1 = NULL;
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &n1, NULL));
    free(n1);
    PL_OK(reg, pledger_log_size(reg, &size));
    ck_assert_uint_gt(size, 0);
    PL_OK(NULL, fx_open(&bank, path, NULL, 0, 100));
    fx_act(bank, "bank-a", PLEDGER_ROLE_BANK);
    sqlite3 *h = hold_registry(path);
    for (int i = 1; i <= 2; i++) {
        PL_OK(bank, pledger_report_issue(&note, &number, bank, r, 1, k.signer));
        ck_assert_uint_eq(number, (uint64_t)i);
        pledger_report *rep = NULL;
        PL_OK(NULL, pledger_report_open(&rep, note, strlen(note), k.trusted));
        ck_assert_uint_eq(pledger_report_log_size(rep), size);
        pledger_report_free(rep);
        free(note);
        note = NULL;
    }
    char *notes[2] = { NULL, NULL };
    PL_OK(bank, pledger_report_issue(notes, NULL, bank, r, 2, k.signer));
    free(notes[0]);
    free(notes[1]);
    /* the registry's own writes still wait for the holder */
    fx_act(bank, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_FAILS(bank, PLEDGER_EBUSY, pledger_checkpoint_sign(&note, bank, k.signer));
    ck_assert_ptr_null(note);
    release_registry(h);
    fx_act(bank, "auditor-1", PLEDGER_ROLE_AUDITOR);
    pledger_report_list *l = NULL;
    pledger_report_filter all = PLEDGER_REPORT_FILTER_INIT;
    PL_OK(bank, pledger_report_find(&l, bank, &all));
    ck_assert_uint_eq(pledger_report_list_count(l), 4);
    pledger_report_list_free(l);
    pledger_close(bank);
    keys_free(&k);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

START_TEST(test_companion_being_made)
{
    char *dir, *path, *companion = NULL, *note = NULL;
    pledger_registry *reg;
    keys k;
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.query = "right=TM-1";

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    ck_assert_int_ne(asprintf(&companion, "%s.reports", path), -1);
    /* the maker's first step: the empty file */
    FILE *f = fopen(companion, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    ro_sees_none(path);
    /* its second: the header of a database in WAL mode, no schema */
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open(companion, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "PRAGMA journal_mode = WAL", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    struct stat st;
    ck_assert_int_eq(stat(companion, &st), 0);
    ck_assert_int_gt(st.st_size, 0);
    ro_sees_none(path);
    /* a writable handle finishes it */
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    PL_OK(reg, pledger_report_issue(&note, NULL, reg, &r, 1, k.signer));
    free(note);
    pledger_registry *ro = NULL;
    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    fx_act(ro, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(ro, pledger_report_get(&note, ro, 1));
    free(note);
    pledger_close(ro);
    pledger_close(reg);
    /* a maker stopped between its schema and the change to WAL: the next
     * writable handle makes it WAL */
    ck_assert_int_eq(sqlite3_open(companion, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    PL_OK(NULL, fx_open(&reg, path, NULL, 0, -1));
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    PL_OK(reg, pledger_report_issue(&note, NULL, reg, &r, 1, k.signer));
    free(note);
    pledger_close(reg);
    sqlite3_stmt *mode = NULL;
    ck_assert_int_eq(sqlite3_open(companion, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &mode, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(mode), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(mode, 0), "wal");
    sqlite3_finalize(mode);
    sqlite3_close(h);

    /* the companion deleted: the registry's mark says it held 2 reports,
     * so none is numbered anew over them (nor listed as none) */
    unlink(companion);
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", companion);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", companion);
    unlink(wal);
    PL_OK(NULL, fx_open(&reg, path, NULL, 0, -1));
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    PL_FAILS(reg, PLEDGER_ECORRUPT, pledger_report_issue(&note, NULL, reg, &r, 1, k.signer));
    ck_assert_msg(strstr(pledger_errmsg(reg), "ends at report 0") &&
                  strstr(pledger_errmsg(reg), "that it held 2"), "%s", pledger_errmsg(reg));
    ck_assert_ptr_null(note);
    uint64_t bad = 0, count = 0;
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    unlink(companion); /* the refused issue made an empty one */
    PL_OK(reg, pledger_report_verify(&bad, &count, reg, NULL));
    ck_assert_uint_eq(bad, 1);
    pledger_close(reg);

    /* on the real clock: a new registry's companion made by whichever of
     * four writers comes first while two readers read */
    char *fresh = NULL;
    ck_assert_int_ne(asprintf(&fresh, "%s/fresh.db", dir), -1);
    PL_OK(NULL, fx_open(&reg, fresh, "FZ01", 0, -1));
    pledger_close(reg);
    maker m[6];
    pthread_t t[6];
    for (int i = 0; i < 6; i++) {
        m[i] = (maker){ .path = fresh, .signer = k.signer };
        ck_assert_int_eq(pthread_create(&t[i], NULL, i < 4 ? make_reports : read_reports, &m[i]),
                         0);
    }
    for (int i = 0; i < 6; i++) {
        pthread_join(t[i], NULL);
        ck_assert_msg(m[i].rc == 0, "%s %d: %s", i < 4 ? "writer" : "reader", i, m[i].msg);
    }
    PL_OK(NULL, fx_open(&ro, fresh, NULL, 1, -1));
    fx_act(ro, "auditor-1", PLEDGER_ROLE_AUDITOR);
    pledger_report_list *l = NULL;
    pledger_report_filter all = PLEDGER_REPORT_FILTER_INIT;
    all.limit = 100;
    PL_OK(ro, pledger_report_find(&l, ro, &all));
    ck_assert_uint_eq(pledger_report_list_count(l), 40);   /* 4 x 10 */
    pledger_report_list_free(l);
    pledger_close(ro);
    free(fresh);
    free(companion);
    keys_free(&k);
    fx_ck_teardown(dir, path, NULL);
}
END_TEST

/* The part of a report document after its text: the tlog-proof. */
static const char *proof_of(const char *doc)
{
    const char *p = strstr(doc, "\n\nc2sp.org/tlog-proof@v1\n");
    ck_assert_ptr_nonnull(p);
    return p + 2;
}

/* The checkpoint a report's proof ends with. */
static const char *checkpoint_of(const char *doc)
{
    const char *p = strstr(proof_of(doc), "\n\n");
    ck_assert_ptr_nonnull(p);
    return p + 2;
}

/* Reports are the leaves of a log: a group issued together shares one
 * checkpoint (one signature), each carries its inclusion proof to it as
 * C2SP tlog-proof text; every part of it is checked on opening. */
START_TEST(test_proofs)
{
    char *dir, *path, *g1[3] = { NULL, NULL, NULL }, *g2 = NULL, *got = NULL;
    pledger_registry *reg;
    pledger_report *rep = NULL;
    keys k;

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    pledger_report_request r[3] = { PLEDGER_REPORT_REQUEST_INIT, PLEDGER_REPORT_REQUEST_INIT,
                                    PLEDGER_REPORT_REQUEST_INIT };
    r[0].query = "q=1";
    r[1].query = "q=2";
    r[2].query = "q=3";
    PL_OK(reg, pledger_report_issue(g1, NULL, reg, r, 3, k.signer));
    PL_OK(reg, pledger_report_issue(&g2, NULL, reg, r, 1, k.signer));

    /* one checkpoint of the reports' log for the group of three */
    for (int i = 0; i < 3; i++) {
        char head[64];
        snprintf(head, sizeof head, "c2sp.org/tlog-proof@v1\nindex %d\n", i);
        ck_assert_int_eq(strncmp(proof_of(g1[i]), head, strlen(head)), 0);
        ck_assert_str_eq(checkpoint_of(g1[i]), checkpoint_of(g1[0]));
        PL_OK(NULL, pledger_report_open(&rep, g1[i], strlen(g1[i]), k.trusted));
        ck_assert_uint_eq(pledger_report_number(rep), (uint64_t)i + 1);
        ck_assert_str_eq(pledger_report_query(rep), r[i].query);
        ck_assert_uint_eq(pledger_report_signer_count(rep), 1);
        pledger_report_free(rep);
        rep = NULL;
    }
    ck_assert_int_eq(strncmp(checkpoint_of(g1[0]), "pledger/FZ01/reports\n3\n", 23), 0);
    ck_assert_int_eq(strncmp(checkpoint_of(g2), "pledger/FZ01/reports\n4\n", 23), 0);
    /* read back: the same bytes, proof and checkpoint of its own group */
    PL_OK(reg, pledger_report_get(&got, reg, 2));
    ck_assert_str_eq(got, g1[1]);
    free(got);
    PL_OK(reg, pledger_report_get(&got, reg, 4));
    ck_assert_str_eq(got, g2);
    free(got);

    /* forgeries: each is refused (a changed text, hash, index, a proof
     * or checkpoint of another report, another log's checkpoint) */
    char *bad = strdup(g1[1]);
    char *h = strstr(bad, "\nindex 1\n") + 9; /* the first hash of the proof */
    *h = *h == 'A' ? 'B' : 'A';
    PL_FAILS(NULL, PLEDGER_ECODE, pledger_report_open(&rep, bad, strlen(bad), k.trusted));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "not in the reports' log"));
    free(bad);
    bad = strdup(g1[1]);
    memcpy(strstr(bad, "\nindex 1\n"), "\nindex 2\n", 9);
    PL_FAILS(NULL, PLEDGER_ECODE, pledger_report_open(&rep, bad, strlen(bad), k.trusted));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "entry 2"));
    free(bad);
    /* report 2's text with report 3's proof */
    size_t tl = (size_t)(proof_of(g1[1]) - g1[1]);
    ck_assert_int_ne(asprintf(&bad, "%.*s%s", (int)tl, g1[1], proof_of(g1[2])), -1);
    PL_FAILS(NULL, PLEDGER_ECODE, pledger_report_open(&rep, bad, strlen(bad), k.trusted));
    free(bad);
    /* report 4's text and proof, the checkpoint of the first group */
    size_t pl = (size_t)(checkpoint_of(g2) - g2);
    ck_assert_int_ne(asprintf(&bad, "%.*s%s", (int)pl, g2, checkpoint_of(g1[0])), -1);
    PL_FAILS(NULL, PLEDGER_ECODE, pledger_report_open(&rep, bad, strlen(bad), k.trusted));
    free(bad);
    /* the registry's own checkpoint (same key) in place of the reports' */
    char *cp = NULL;
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_checkpoint_sign(&cp, reg, k.signer));
    ck_assert_int_ne(asprintf(&bad, "%.*s%s", (int)(checkpoint_of(g1[0]) - g1[0]), g1[0], cp),
                     -1);
    PL_FAILS(NULL, PLEDGER_ECODE, pledger_report_open(&rep, bad, strlen(bad), k.trusted));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(NULL), "not of the reports of"));
    free(bad);
    free(cp);
    /* malformed proofs name their line: the text has 9 lines (no party,
     * no registration asked, no result), an empty one, then the proof
     * from line 11 */
    static const char *const broken[][2] = {
        { "c2sp.org/tlog-proof@v2\n", "line 11" },
        { "c2sp.org/tlog-proof@v1\nindex 01\n", "line 12" },
        { "c2sp.org/tlog-proof@v1\nindex 0\nnot base64!\n\n", "line 13" },
        { "c2sp.org/tlog-proof@v1\nindex 0\n", "line 13" },
        { "c2sp.org/tlog-proof@v1\nindex 0\n\n", "line 14" },
    };
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        ck_assert_int_ne(asprintf(&bad, "%.*s%s", (int)(proof_of(g1[0]) - g1[0]), g1[0],
                                  broken[i][0]), -1);
        PL_FAILS(NULL, PLEDGER_EINVAL, pledger_report_open(&rep, bad, strlen(bad), k.trusted));
        ck_assert_msg(strstr(pledger_errmsg(NULL), broken[i][1]), "%zu: %s", i,
                      pledger_errmsg(NULL));
        ck_assert_ptr_null(rep);
        free(bad);
    }
    /* an "extra" line (unauthenticated, C2SP tlog-proof) is skipped */
    const char *hdr = proof_of(g1[0]);
    ck_assert_int_ne(asprintf(&bad, "%.*sc2sp.org/tlog-proof@v1\nextra AAAA\n%s",
                              (int)(hdr - g1[0]), g1[0], hdr + strlen("c2sp.org/tlog-proof@v1\n")),
                     -1);
    PL_OK(NULL, pledger_report_open(&rep, bad, strlen(bad), k.trusted));
    ck_assert_uint_eq(pledger_report_number(rep), 1);
    pledger_report_free(rep);
    rep = NULL;
    free(bad);
    /* the untrusted key is refused for a proved report too */
    keys other;
    char *sub = pl_test_path(dir, "other");
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    keys_make(&other, sub);
    PL_FAILS(NULL, PLEDGER_ECODE, pledger_report_open(&rep, g2, strlen(g2), other.trusted));
    keys_free(&other);
    free(sub);

    for (int i = 0; i < 3; i++)
        free(g1[i]);
    free(g2);
    keys_free(&k);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* The companion's first schema (reports signed one by one, keys indexed
 * as they came), as a registry of pledger 0.2's first builds left it. */
static const char v1_schema[] =
    "PRAGMA reports.application_id = 1347175506; PRAGMA reports.user_version = 1;"
    "CREATE TABLE reports.search_report (number INTEGER PRIMARY KEY CHECK (number >= 1),"
    " issued_at INTEGER NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, kind TEXT NOT NULL"
    " CHECK (kind IN ('search', 'verification')), query TEXT NOT NULL, result_count INTEGER"
    " NOT NULL CHECK (result_count >= 0), log_size INTEGER NOT NULL CHECK (log_size >= 0),"
    " note TEXT NOT NULL) STRICT;"
    "CREATE INDEX reports.search_report_actor ON search_report(actor, number);"
    "CREATE TABLE reports.search_report_party (party TEXT NOT NULL, number INTEGER NOT NULL"
    " REFERENCES search_report(number), PRIMARY KEY (party, number)) STRICT, WITHOUT ROWID;"
    "CREATE TABLE reports.search_report_result (registration TEXT NOT NULL, number INTEGER"
    " NOT NULL REFERENCES search_report(number), PRIMARY KEY (registration, number)) STRICT,"
    " WITHOUT ROWID;"
    "CREATE TRIGGER reports.search_report_no_update BEFORE UPDATE ON search_report "
    "BEGIN SELECT RAISE(ABORT, 'search_report is append-only'); END;";

/* A companion of the first schema is brought to the second when a
 * writable handle first uses it: its reports keep their own signatures
 * and become the first leaves of the log, their keys stay found; a
 * read-only handle says what to do. */
/* pledger_read_begin(): the answers read inside a held read, found or
 * not, and the log size and the search reports read with them, are one
 * snapshot, whatever another handle commits meanwhile; a change on the
 * holding handle is refused and names pledger_read_end; the read ends
 * only at pledger_read_end (or pledger_close), not at a failed read. */
START_TEST(test_read_held)
{
    char *dir, *path, *n1 = NULL, *n2 = NULL, *xml = NULL, *note = NULL;
    pledger_registry *reg, *ro = NULL;
    pledger_verification *v = NULL;
    pledger_pledge *p = NULL;
    uint64_t held = 0, size = 0, numbers[1] = { 0 };
    keys k;
    int rank = 0;

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &n1, NULL));
    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    fx_act(ro, "bank-a", PLEDGER_ROLE_BANK);
    PL_FAILS(ro, PLEDGER_ESTATE, pledger_read_end(ro));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(ro), "no read is held"));

    PL_OK(ro, pledger_read_begin(ro));
    PL_OK(ro, pledger_log_size(ro, &held));
    PL_FAILS(ro, PLEDGER_ESTATE, pledger_read_begin(ro));
    /* meanwhile the office registers a second pledge and records the
     * first search report (the companion did not exist when the read began) */
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_PATENT, &n2, NULL));
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.query = "/v1/pledges/x";
    char *notes[1] = { NULL };
    PL_OK(reg, pledger_report_issue(notes, numbers, reg, &r, 1, k.signer));
    pledger_free(notes[0]);

    /* every read on the holding handle answers from the snapshot */
    PL_FAILS(ro, PLEDGER_ENOTFOUND, pledger_verify(&v, ro, n2, NULL));
    PL_FAILS(ro, PLEDGER_ENOTFOUND, pledger_pledge_get(&p, ro, n2));
    PL_FAILS(ro, PLEDGER_ENOTFOUND, pledger_certificate_get(&xml, ro, n2, 0));
    PL_FAILS(ro, PLEDGER_ENOTFOUND, pledger_rank(&rank, ro, n2, PLEDGER_AS_OF_CURRENT));
    PL_FAILS(ro, PLEDGER_ENOTFOUND, pledger_report_get(&note, ro, numbers[0]));
    PL_OK(ro, pledger_log_size(ro, &size));          /* failed reads did not end it */
    ck_assert_uint_eq(size, held);
    PL_OK(ro, pledger_verify(&v, ro, n1, NULL));
    ck_assert_uint_eq(pledger_verification_log_size(v), held);
    pledger_verification_free(v);
    v = NULL;
    PL_OK(ro, pledger_rank(&rank, ro, n1, PLEDGER_AS_OF_CURRENT));
    ck_assert_int_eq(rank, 1);

    PL_OK(ro, pledger_read_end(ro));
    PL_OK(ro, pledger_log_size(ro, &size));
    ck_assert_uint_gt(size, held);
    PL_OK(ro, pledger_verify(&v, ro, n2, NULL));
    pledger_verification_free(v);
    PL_OK(ro, pledger_report_get(&note, ro, numbers[0]));
    pledger_free(note);

    /* a change on a handle that holds a read is refused, nothing stored */
    PL_OK(reg, pledger_log_size(reg, &held));
    PL_OK(reg, pledger_read_begin(reg));
    char *n3 = NULL;
    ck_assert_int_eq(fx_registered(reg, PLEDGER_KIND_EQUITY, &n3, NULL), PLEDGER_ESTATE);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "pledger_read_end"));
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_report_issue(notes, numbers, reg, &r, 1, k.signer));
    PL_OK(reg, pledger_read_end(reg));
    PL_OK(reg, pledger_log_size(reg, &size));
    ck_assert_uint_eq(size, held);
    PL_OK(reg, pledger_report_issue(notes, numbers, reg, &r, 1, k.signer));
    ck_assert_uint_eq(numbers[0], 2);
    pledger_free(notes[0]);

    /* closing a handle ends its read (no leak under the sanitizers) */
    PL_OK(ro, pledger_read_begin(ro));
    pledger_close(ro);
    free(n1);
    free(n2);
    free(n3);
    keys_free(&k);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

static off_t file_size(const char *path, const char *suffix)
{
    char name[4096];
    struct stat st;
    snprintf(name, sizeof name, "%s%s", path, suffix);
    return stat(name, &st) == 0 ? st.st_size : -1;
}

/* Record @groups groups of 20 reports on @reg. */
static void record_groups(pledger_registry *reg, const pledger_keyring *signer, int groups)
{
    pledger_report_request r[20];
    char *notes[20], query[1501];
    memset(query, 'q', sizeof query - 1);    /* long questions: many pages a group */
    query[sizeof query - 1] = '\0';
    for (int i = 0; i < 20; i++) {
        r[i] = (pledger_report_request)PLEDGER_REPORT_REQUEST_INIT;
        r[i].query = query;
    }
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    for (int g = 0; g < groups; g++) {
        PL_OK(reg, pledger_report_issue(notes, NULL, reg, r, 20, signer));
        for (int i = 0; i < 20; i++)
            pledger_free(notes[i]);
    }
}

/* pledger_report_set_autoflush(0): the recording handle's commits leave
 * the reports in the write-ahead log; pledger_report_flush() from a
 * second handle folds them into the file (nothing left, every report
 * still read back); a limit of pages folds at the handle's own commits
 * again; bad limits, a read-only handle and a held read are refused. */
START_TEST(test_flush)
{
    char *dir, *path, *note = NULL;
    pledger_registry *reg, *other = NULL, *ro = NULL;
    uint64_t left = 99;
    keys k;

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    PL_OK(NULL, fx_open(&other, path, NULL, 0, -1));
    PL_OK(other, pledger_report_flush(other, &left));   /* no companion: nothing to do */
    ck_assert_uint_eq(left, 0);
    ck_assert_int_eq(file_size(path, ".reports"), -1);

    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_set_autoflush(reg, -1));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "pages"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_set_autoflush(reg, 1000001));
    PL_OK(reg, pledger_report_set_autoflush(reg, 0));
    record_groups(reg, k.signer, 1);
    off_t db0 = file_size(path, ".reports"), wal0 = file_size(path, ".reports-wal");
    /* past the 1000 pages at which a commit folds by default */
    int groups = 1;
    while (file_size(path, ".reports-wal") < wal0 + 1100 * 4096 && groups < 3000) {
        record_groups(reg, k.signer, 10);
        groups += 10;
    }
    ck_assert_int_ge(file_size(path, ".reports-wal"), wal0 + 1100 * 4096);
    ck_assert_int_eq(file_size(path, ".reports"), db0);      /* nothing folded */

    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    PL_FAILS(ro, PLEDGER_EREADONLY, pledger_report_flush(ro, &left));
    PL_FAILS(ro, PLEDGER_EREADONLY, pledger_report_set_autoflush(ro, 0));
    PL_OK(other, pledger_read_begin(other));
    PL_FAILS(other, PLEDGER_ESTATE, pledger_report_flush(other, &left));
    PL_OK(other, pledger_read_end(other));

    PL_OK(other, pledger_report_flush(other, &left));
    ck_assert_uint_eq(left, 0);
    off_t db1 = file_size(path, ".reports");
    ck_assert_int_gt(db1, db0 + 50 * 4096);                  /* folded back */
    fx_act(ro, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(ro, pledger_report_get(&note, ro, (uint64_t)groups * 20));
    pledger_free(note);

    /* a limit again: the recording handle folds at its own commits */
    PL_OK(reg, pledger_report_set_autoflush(reg, 50));
    record_groups(reg, k.signer, 60);
    ck_assert_int_gt(file_size(path, ".reports"), db1 + 50 * 4096);
    PL_OK(other, pledger_report_flush(other, &left));
    ck_assert_uint_lt(left, 50);
    PL_OK(ro, pledger_report_get(&note, ro, (uint64_t)(groups + 60) * 20));
    pledger_free(note);

    pledger_close(ro);
    pledger_close(other);
    keys_free(&k);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* Every fsync and fdatasync of the process, by the library or by SQLite
 * (the test is linked with its symbols exported, so SQLite's calls come
 * here too): the paths synced, counted by suffix, and a failure on
 * demand for the reports' write-ahead log. */
static pthread_mutex_t syncs_lock = PTHREAD_MUTEX_INITIALIZER;
static int syncs_wal, syncs_dir, fail_wal_sync;
static char syncs_dir_name[4096];

static int note_sync(int fd)
{
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    path[n > 0 ? n : 0] = '\0';
    size_t len = strlen(path);
    int fail = 0;
    pthread_mutex_lock(&syncs_lock);
    if (len > 12 && strcmp(path + len - 12, ".reports-wal") == 0) {
        syncs_wal++;
        fail = fail_wal_sync;
    } else if (*syncs_dir_name && strcmp(path, syncs_dir_name) == 0) {
        syncs_dir++;
    }
    pthread_mutex_unlock(&syncs_lock);
    return fail;
}

int fdatasync(int fd)
{
    if (note_sync(fd)) {
        errno = EIO;
        return -1;
    }
    return (int)syscall(SYS_fdatasync, fd);
}

int fsync(int fd)
{
    if (note_sync(fd)) {
        errno = EIO;
        return -1;
    }
    return (int)syscall(SYS_fsync, fd);
}

static int wal_syncs(void)
{
    pthread_mutex_lock(&syncs_lock);
    int n = syncs_wal;
    syncs_wal = 0;
    pthread_mutex_unlock(&syncs_lock);
    return n;
}

/* A report is handed out only once it survives a crash of the machine:
 * by default each commit of reports is synced (SQLite's FULL) before
 * pledger_report_issue() returns; a handle set to autosync 0 commits
 * without a sync, and pledger_report_sync() from any handle syncs the
 * reports' write-ahead log (its directory the first time); reading a
 * report back syncs what was read; a sync the system refuses is
 * PLEDGER_EIO naming the file, for the sync and for the reads. */
START_TEST(test_sync)
{
    char *dir, *path, *note = NULL;
    pledger_registry *reg, *other = NULL, *ro = NULL;
    pledger_report_list *l = NULL;
    keys k;

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    char *real = realpath(dir, NULL);
    ck_assert_ptr_nonnull(real);
    snprintf(syncs_dir_name, sizeof syncs_dir_name, "%s", real);
    free(real);
    PL_OK(NULL, fx_open(&other, path, NULL, 0, -1));
    PL_OK(other, pledger_report_sync(other));     /* no companion: nothing to do */

    /* the default: each group synced before it is returned */
    wal_syncs();
    record_groups(reg, k.signer, 3);
    ck_assert_int_ge(wal_syncs(), 3);

    /* the caller syncs: none at the commits, one for all of them */
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_set_autosync(reg, 2));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "on"));
    PL_OK(reg, pledger_report_set_autosync(reg, 0));
    record_groups(reg, k.signer, 5);
    ck_assert_int_eq(wal_syncs(), 0);
    pthread_mutex_lock(&syncs_lock);
    syncs_dir = 0;
    pthread_mutex_unlock(&syncs_lock);
    PL_OK(other, pledger_report_sync(other));
    ck_assert_int_eq(wal_syncs(), 1);
    /* the log's entry, the first time (and the registry's log's, when
     * marking the reports synced made it anew) */
    int dir_syncs = syncs_dir;
    ck_assert_int_ge(dir_syncs, 1);
    ck_assert_int_le(dir_syncs, 2);
    PL_OK(other, pledger_report_sync(other));
    ck_assert_int_eq(wal_syncs(), 1);
    ck_assert_int_eq(syncs_dir, dir_syncs);

    /* a handle opened after the setting, and one set before its companion
     * is attached, keep to it */
    pledger_registry *late = NULL;
    PL_OK(NULL, fx_open(&late, path, NULL, 0, -1));
    PL_OK(late, pledger_report_set_autosync(late, 0));
    record_groups(late, k.signer, 2);
    ck_assert_int_eq(wal_syncs(), 0);
    pledger_close(late);
    wal_syncs();

    /* reading back syncs what was read, read-only handles too */
    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    fx_act(ro, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(ro, pledger_report_get(&note, ro, 100));
    pledger_free(note);
    ck_assert_int_ge(wal_syncs(), 1);
    pledger_report_filter f = PLEDGER_REPORT_FILTER_INIT;
    PL_OK(ro, pledger_report_find(&l, ro, &f));
    ck_assert_uint_gt(pledger_report_list_count(l), 0);
    pledger_report_list_free(l);
    ck_assert_int_ge(wal_syncs(), 1);
    PL_OK(ro, pledger_report_sync(ro));
    ck_assert_int_eq(wal_syncs(), 1);

    /* the system refuses: said, naming the file; nothing handed out */
    pthread_mutex_lock(&syncs_lock);
    fail_wal_sync = 1;
    pthread_mutex_unlock(&syncs_lock);
    PL_FAILS(other, PLEDGER_EIO, pledger_report_sync(other));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(other), ".reports-wal"));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(other), "pledger_report_sync"));
    note = (char *)&note;
    PL_FAILS(ro, PLEDGER_EIO, pledger_report_get(&note, ro, 100));
    ck_assert_ptr_null(note);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(ro), ".reports-wal"));
    l = (pledger_report_list *)&l;
    PL_FAILS(ro, PLEDGER_EIO, pledger_report_find(&l, ro, &f));
    ck_assert_ptr_null(l);
    pthread_mutex_lock(&syncs_lock);
    fail_wal_sync = 0;
    pthread_mutex_unlock(&syncs_lock);
    PL_OK(other, pledger_report_sync(other));

    /* and back to a sync at each commit */
    PL_OK(reg, pledger_report_set_autosync(reg, 1));
    wal_syncs();
    record_groups(reg, k.signer, 2);
    ck_assert_int_ge(wal_syncs(), 2);

    PL_FAILS(ro, PLEDGER_EREADONLY, pledger_report_set_autosync(ro, 0));
    PL_OK(other, pledger_read_begin(other));
    PL_FAILS(other, PLEDGER_ESTATE, pledger_report_sync(other));
    PL_OK(other, pledger_read_end(other));

    *syncs_dir_name = '\0';
    pledger_close(ro);
    pledger_close(other);
    keys_free(&k);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

START_TEST(test_upgrade_v1)
{
    char *dir, *path, *companion = NULL, *got = NULL, *note1 = NULL, *note3 = NULL;
    pledger_registry *reg;
    sqlite3 *h;
    keys k;
    pl_err e = { 0 };

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    pledger_close(reg);
    ck_assert_int_ne(asprintf(&companion, "%s.reports", path), -1);
    /* two reports as the first schema kept them: a signed note each */
    pl_note_key *key = NULL;
    ck_assert_int_eq(pl_note_key_pem_file(&e, "registry.example.cn/FZ01", k.priv, &key), 0);
    ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
    char *sql = NULL;
    ck_assert_int_ne(asprintf(&sql, "ATTACH '%s' AS reports; PRAGMA reports.journal_mode = WAL;",
                              companion), -1);
    ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    free(sql);
    ck_assert_int_eq(sqlite3_exec(h, v1_schema, NULL, NULL, NULL), SQLITE_OK);
    const char *who[2] = { "91440300MA5DXXXX1K", "R-FZ01-TM-2026-000001" };
    for (int i = 1; i <= 2; i++) {
        char text[512], *note = NULL;
        snprintf(text, sizeof text, "pledger/FZ01 search report %d\nissued "
                 "2026-12-01T00:00:00.000000Z\nby bank-a bank\nkind %s\nquery q=%d\nlog 0 "
                 "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nresults %d\n%s", i,
                 i == 1 ? "search" : "verification", i, i == 1 ? 0 : 1,
                 i == 1 ? "" : "R-FZ01-TM-2026-000001\n");
        ck_assert_int_eq(pl_note_sign(&e, text, (const pl_note_key *const *)&key, 1, &note), 0);
        ck_assert_int_ne(asprintf(&sql, "INSERT INTO reports.search_report VALUES (%d, "
                                  "1796083200000000, "
                                  "'bank-a', 'bank', '%s', 'q=%d', %d, 0, '%s');"
                                  "INSERT INTO reports.search_report_%s VALUES ('%s', %d);",
                                  i, i == 1 ? "search" : "verification", i, i - 1, note,
                                  i == 1 ? "party" : "result", who[i - 1], i), -1);
        ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
        free(sql);
        if (i == 1)
            note1 = note;
        else
            free(note);
    }
    sqlite3_close(h);
    pl_note_key_free(key);

    /* read-only: told to open it writable once; nothing changed */
    pledger_registry *ro = NULL;
    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    fx_act(ro, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_FAILS(ro, PLEDGER_EREADONLY, pledger_report_get(&got, ro, 1));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(ro), "writable"));
    pledger_close(ro);

    /* writable: upgraded on first use, the next report is number 3 */
    PL_OK(NULL, fx_open(&reg, path, NULL, 0, -1));
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.query = "q=3";
    uint64_t number = 0;
    PL_OK(reg, pledger_report_issue(&note3, &number, reg, &r, 1, k.signer));
    ck_assert_uint_eq(number, 3);
    ck_assert_int_eq(strncmp(checkpoint_of(note3), "pledger/FZ01/reports\n3\n", 23), 0);
    pledger_report *rep = NULL;
    PL_OK(NULL, pledger_report_open(&rep, note3, strlen(note3), k.trusted));
    pledger_report_free(rep);
    /* the old report: the same signed note, still opened */
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(reg, pledger_report_get(&got, reg, 1));
    ck_assert_str_eq(got, note1);
    PL_OK(NULL, pledger_report_open(&rep, got, strlen(got), k.trusted));
    ck_assert_uint_eq(pledger_report_number(rep), 1);
    pledger_report_free(rep);
    free(got);
    /* the reports brought from the first schema verify, with the ones
     * after them (their texts have no parties line: their keys of
     * parties are not compared) */
    uint64_t bad = 9, count = 0;
    PL_OK(reg, pledger_report_verify(&bad, &count, reg, k.trusted));
    ck_assert_msg(bad == 0, "%s", pledger_errmsg(reg));
    ck_assert_uint_eq(count, 3);
    /* a first-form report whose signature no longer holds is named */
    ck_assert_int_ne(asprintf(&sql, "DROP TRIGGER reports.search_report_no_update; "
                              "UPDATE reports.search_report SET note = replace(note, 'q=2', "
                              "'q=7'), query = 'q=7' WHERE number = 2"), -1);
    pledger_close(reg);
    ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
    char *att = NULL;
    ck_assert_int_ne(asprintf(&att, "ATTACH '%s' AS reports", companion), -1);
    ck_assert_int_eq(sqlite3_exec(h, att, NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    free(att);
    free(sql);
    PL_OK(NULL, fx_open(&reg, path, NULL, 0, -1));
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(reg, pledger_report_verify(&bad, &count, reg, k.trusted));
    ck_assert_uint_eq(bad, 2);
    ck_assert_msg(strstr(pledger_errmsg(reg), "not signed by a trusted key"), "%s",
                  pledger_errmsg(reg));
    /* without the keys: the text is compared with the tree */
    PL_OK(reg, pledger_report_verify(&bad, &count, reg, NULL));
    ck_assert_uint_eq(bad, 2);
    ck_assert_msg(strstr(pledger_errmsg(reg), "another subtree"), "%s", pledger_errmsg(reg));
    /* its keys are found: by the party asked */
    pledger_report_list *l = NULL;
    pledger_report_filter f = PLEDGER_REPORT_FILTER_INIT;
    f.party = who[0];
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 1);
    ck_assert_uint_eq(pledger_report_list_number(l, 0), 1);
    pledger_report_list_free(l);

    free(note1);
    free(note3);
    free(companion);
    keys_free(&k);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* A group added to one answer at a time (pledger_report_group_*): the
 * reports of pledger_report_issue(), each row written as it is added and
 * naming its group's checkpoint once closed; a refused request leaves the
 * group as it was; the handle takes no other call while the group is
 * open; an abandoned group, or one left open at pledger_close(), keeps
 * nothing; an answer read after the group began waits for the next. */
START_TEST(test_group)
{
    char *dir, *path, *companion = NULL, *notes[3] = { NULL, NULL, NULL }, *got = NULL;
    pledger_registry *reg;
    pledger_report_group *g = NULL;
    keys k;

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    ck_assert_int_ne(asprintf(&companion, "%s.reports", path), -1);
    /* a registration, asked about in lower case: looked up inside the group */
    char *n1 = NULL;
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &n1, NULL));
    char *n1_lower = strdup(n1);
    for (char *c = n1_lower; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);

    /* arguments */
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_group_begin(NULL, reg, k.signer));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_group_begin(&g, reg, NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "signers"));
    ck_assert_ptr_null(g);
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_report_group_add(NULL, NULL, NULL));
    PL_FAILS(NULL, PLEDGER_EINVAL, pledger_report_group_close(NULL, NULL));
    pledger_report_group_abandon(NULL);
    ck_assert_uint_eq(pledger_report_group_count(NULL), 0);

    /* an empty group closes writing nothing */
    PL_OK(reg, pledger_report_group_begin(&g, reg, k.signer));
    PL_OK(reg, pledger_report_group_close(g, NULL));
    ck_assert_int_eq(fx_ck_raw_int(companion, "SELECT count(*) FROM search_report"), 0);

    /* three answers for two banks, a bad one between them */
    PL_OK(reg, pledger_report_group_begin(&g, reg, k.signer));
    pledger_report_request r[3] = { PLEDGER_REPORT_REQUEST_INIT, PLEDGER_REPORT_REQUEST_INIT,
                                    PLEDGER_REPORT_REQUEST_INIT };
    const char *asked[] = { n1_lower };
    for (int i = 0; i < 3; i++) {
        r[i].actor = i == 1 ? "bank-b" : "bank-a";
        r[i].role = PLEDGER_ROLE_BANK;
        r[i].kind = PLEDGER_REPORT_VERIFICATION;
    }
    r[0].query = "q=1";
    r[1].query = "q=2";
    r[2].query = "q=3";
    r[2].asked = asked;
    r[2].asked_count = 1;
    uint64_t number = 0;
    PL_OK(reg, pledger_report_group_add(g, &r[0], &number));
    ck_assert_uint_eq(number, 1);
    /* the handle is the group's until it closes */
    char *one = NULL;
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_report_issue(&one, NULL, reg, &r[0], 1, k.signer));
    ck_assert_msg(strstr(pledger_errmsg(reg), "a group of search reports is open"), "%s",
                  pledger_errmsg(reg));
    pledger_report_group *other = NULL;
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_report_group_begin(&other, reg, k.signer));
    ck_assert_ptr_null(other);
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_set_actor(reg, "bank-a", PLEDGER_ROLE_BANK));
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_report_get(&got, reg, 1));
    /* a refused request: named, and the group goes on without it */
    pledger_report_request bad = r[1];
    bad.query = "two\nlines";
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_group_add(g, &bad, &number));
    ck_assert_msg(strstr(pledger_errmsg(reg), "pledger_report_group_add: requests[1].query"),
                  "%s", pledger_errmsg(reg));
    bad = r[1];
    bad.version = 99;
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_group_add(g, &bad, NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "requests[1].version"));
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_group_add(g, NULL, NULL));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "request"));
    /* an answer read beyond the journal as the group reads it: the next
     * group's (the library's own call refuses it as beyond the journal) */
    uint64_t log = 0;
    bad = r[1];
    bad.log_size = 1000;
    PL_FAILS(reg, PLEDGER_ESTATE, pledger_report_group_add(g, &bad, NULL));
    ck_assert_msg(strstr(pledger_errmsg(reg), "beyond the journal as this group reads it"),
                  "%s", pledger_errmsg(reg));
    PL_OK(reg, pledger_report_group_add(g, &r[1], &number));
    ck_assert_uint_eq(number, 2);
    PL_OK(reg, pledger_report_group_add(g, &r[2], &number));
    ck_assert_uint_eq(number, 3);
    ck_assert_uint_eq(pledger_report_group_count(g), 3);
    PL_OK(reg, pledger_report_group_close(g, notes));
    g = NULL;
    PL_FAILS(reg, PLEDGER_EINVAL, pledger_report_issue(&one, NULL, reg, &bad, 1, k.signer));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "is beyond the log"));
    PL_OK(reg, pledger_log_size(reg, &log));
    ck_assert_uint_lt(log, 1000);

    /* the three reports: one checkpoint, the documents read back alike,
     * every row naming it, the number asked kept as the register writes it */
    for (int i = 0; i < 3; i++) {
        pledger_report *rep = NULL;
        PL_OK(NULL, pledger_report_open(&rep, notes[i], strlen(notes[i]), k.trusted));
        ck_assert_uint_eq(pledger_report_number(rep), (uint64_t)i + 1);
        ck_assert_str_eq(pledger_report_query(rep), r[i].query);
        ck_assert_str_eq(pledger_report_actor(rep), r[i].actor);
        if (i == 2)
            ck_assert_str_eq(pledger_report_asked(rep, 0), n1);
        pledger_report_free(rep);
        ck_assert_str_eq(checkpoint_of(notes[i]), checkpoint_of(notes[0]));
        PL_OK(reg, pledger_report_get(&got, reg, (uint64_t)i + 1));
        ck_assert_str_eq(got, notes[i]);
        free(got);
        got = NULL;
    }
    ck_assert_int_eq(strncmp(checkpoint_of(notes[0]), "pledger/FZ01/reports\n3\n", 23), 0);
    ck_assert_int_eq(fx_ck_raw_int(companion, "SELECT count(*) FROM search_report WHERE "
                                        "checkpoint = 3"), 3);
    ck_assert_int_eq(fx_ck_raw_int(companion, "SELECT count(*) FROM report_checkpoint"), 1);
    /* closed, a row's checkpoint, or anything else of it, is not changed */
    const char *changes[] = {
        "UPDATE search_report SET checkpoint = 4 WHERE number = 1",
        "UPDATE search_report SET query = 'q=9' WHERE number = 1",
        "UPDATE search_report SET checkpoint = NULL WHERE number = 2",
        "UPDATE search_report SET note = 'x', checkpoint = 9 WHERE number = 3",
        "DELETE FROM search_report WHERE number = 3",
    };
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        char *msg = NULL;
        ck_assert_int_ne(fx_raw_exec(companion, changes[i], &msg), 0);
        ck_assert_msg(msg && strstr(msg, "append-only"), "%s: %s", changes[i],
                      msg ? msg : "(no message)");
        sqlite3_free(msg);
    }
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    uint64_t badno = 9, count = 0;
    PL_OK(reg, pledger_report_verify(&badno, &count, reg, k.trusted));
    ck_assert_msg(badno == 0, "%s", pledger_errmsg(reg));
    ck_assert_uint_eq(count, 3);
    /* the auditor finds the number asked, under the register's spelling,
     * by the pledgor of that registration */
    pledger_report_list *l = NULL;
    pledger_report_filter f = PLEDGER_REPORT_FILTER_INIT;
    f.actor = "bank-a";
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 2);
    pledger_report_list_free(l);
    char *p1 = pledgor_id(reg, n1);
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    f = (pledger_report_filter)PLEDGER_REPORT_FILTER_INIT;
    f.party = p1;
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 1);
    ck_assert_uint_eq(pledger_report_list_number(l, 0), 3);
    pledger_report_list_free(l);
    free(p1);
    for (int i = 0; i < 3; i++)
        pledger_free(notes[i]);

    /* abandoned, and left open at the handle's close: nothing kept, the
     * numbers go to the next group */
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    char *before = fx_ck_dump(companion, NULL);
    PL_OK(reg, pledger_report_group_begin(&g, reg, k.signer));
    PL_OK(reg, pledger_report_group_add(g, &r[0], &number));
    ck_assert_uint_eq(number, 4);
    pledger_report_group_abandon(g);
    PL_OK(reg, pledger_report_group_begin(&g, reg, k.signer));
    PL_OK(reg, pledger_report_group_add(g, &r[0], &number));
    ck_assert_uint_eq(number, 4);
    pledger_close(reg);
    char *after = fx_ck_dump(companion, NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    PL_OK(NULL, fx_open(&reg, path, NULL, 0, -1));
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(reg, pledger_report_group_begin(&g, reg, k.signer));
    PL_OK(reg, pledger_report_group_add(g, &r[1], &number));
    ck_assert_uint_eq(number, 4);
    PL_OK(reg, pledger_report_group_close(g, notes));
    ck_assert_int_eq(strncmp(checkpoint_of(notes[0]), "pledger/FZ01/reports\n4\n", 23), 0);
    pledger_free(notes[0]);
    /* a bank records its own answers, not another's */
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    PL_OK(reg, pledger_report_group_begin(&g, reg, k.signer));
    PL_FAILS(reg, PLEDGER_EPERM, pledger_report_group_add(g, &r[1], NULL));
    pledger_report_request own = PLEDGER_REPORT_REQUEST_INIT;
    own.query = "mine";
    PL_OK(reg, pledger_report_group_add(g, &own, &number));
    ck_assert_uint_eq(number, 5);
    PL_OK(reg, pledger_report_group_close(g, notes));
    pledger_free(notes[0]);
    /* a read-only handle begins none */
    pledger_registry *ro = NULL;
    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    fx_act(ro, "bank-a", PLEDGER_ROLE_BANK);
    PL_FAILS(ro, PLEDGER_EREADONLY, pledger_report_group_begin(&g, ro, k.signer));
    pledger_close(ro);

    free(n1);
    free(n1_lower);
    free(companion);
    keys_free(&k);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* A companion of schema version 2 (its reports each written when its
 * group closed) is brought to version 3 by the first writable handle; a
 * read-only handle reads it as it is. */
START_TEST(test_upgrade_v2)
{
    char *dir, *path, *companion = NULL, *note = NULL, *got = NULL;
    pledger_registry *reg;
    keys k;

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    ck_assert_int_ne(asprintf(&companion, "%s.reports", path), -1);
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.query = "q=1";
    PL_OK(reg, pledger_report_issue(&note, NULL, reg, &r, 1, k.signer));
    pledger_close(reg);
    fx_ck_raw_exec(companion, "DROP TRIGGER search_report_no_update; "
                              "CREATE TRIGGER search_report_no_update BEFORE UPDATE ON "
                              "search_report BEGIN SELECT RAISE(ABORT, 'search_report is "
                              "append-only'); END; PRAGMA user_version = 2");
    /* read-only: read as it is, not changed */
    pledger_registry *ro = NULL;
    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    fx_act(ro, "bank-a", PLEDGER_ROLE_BANK);
    PL_OK(ro, pledger_report_get(&got, ro, 1));
    ck_assert_str_eq(got, note);
    free(got);
    pledger_close(ro);
    ck_assert_int_eq(fx_ck_raw_int(companion, "PRAGMA user_version"), 2);
    /* writable: brought to version 3, and a group is written as it gathers */
    PL_OK(NULL, fx_open(&reg, path, NULL, 0, -1));
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    pledger_report_group *g = NULL;
    char *notes[2] = { NULL, NULL };
    PL_OK(reg, pledger_report_group_begin(&g, reg, k.signer));
    ck_assert_int_eq(fx_ck_raw_int(companion, "PRAGMA user_version"), 3);
    PL_OK(reg, pledger_report_group_add(g, &r, NULL));
    PL_OK(reg, pledger_report_group_add(g, &r, NULL));
    PL_OK(reg, pledger_report_group_close(g, notes));
    ck_assert_int_eq(fx_ck_raw_int(companion, "SELECT count(*) FROM search_report WHERE "
                                              "checkpoint = 3"), 2);
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    uint64_t bad = 9, count = 0;
    PL_OK(reg, pledger_report_verify(&bad, &count, reg, k.trusted));
    ck_assert_msg(bad == 0, "%s", pledger_errmsg(reg));
    ck_assert_uint_eq(count, 3);
    pledger_free(notes[0]);
    pledger_free(notes[1]);
    pledger_free(note);
    free(companion);
    keys_free(&k);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

/* More reports than a segment: the keys of a full segment move to the
 * index, those of the last (partial) one stay recent; the auditor finds both, each
 * once, in order, page by page; the plan seeks each segment. */
START_TEST(test_segments)
{
    char *dir, *path;
    pledger_registry *reg;
    keys k;
    /* groups as pledgerd's recorder makes them */
    enum { BATCH = 64, SEALED = 2 * PL_REPORT_SEGMENT, TOTAL = SEALED + PL_REPORT_SEGMENT / 2 };

    fx_ck_setup(&dir, &path, &reg);
    keys_make(&k, dir);
    char *n1 = NULL;
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &n1, NULL));
    char *p1 = pledgor_id(reg, n1);
    fx_act(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    pledger_report_request *r = calloc(BATCH, sizeof *r);
    char **notes = calloc(BATCH, sizeof *notes);
    const char *alice[] = { "alice" }, *bob[] = { "bob" }, *reg_n[] = { n1 };
    uint64_t want_alice = 0, want_reg = 0;
    /* the index's keys, counted after each group from a handle of its own */
    sqlite3 *h = NULL;
    sqlite3_stmt *st;
    char *sql = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    int64_t indexed = 0;
    bool attached = false;
    for (int done = 0; done < TOTAL;) {
        int n = TOTAL - done < BATCH ? TOTAL - done : BATCH;
        for (int i = 0; i < n; i++) {
            int no = done + i + 1; /* the number it will take */
            r[i] = (pledger_report_request)PLEDGER_REPORT_REQUEST_INIT;
            r[i].query = "q";
            r[i].actor = no % 2 ? "bank-a" : "bank-b";
            r[i].role = PLEDGER_ROLE_BANK;
            r[i].parties = no % 3 == 0 ? alice : bob;
            r[i].party_count = 1;
            r[i].numbers = no % 1000 == 7 ? reg_n : NULL;
            r[i].number_count = no % 1000 == 7;
            want_alice += no % 3 == 0;
            want_reg += no % 1000 == 7;
        }
        PL_OK(reg, pledger_report_issue(notes, NULL, reg, r, (size_t)n, k.signer));
        for (int i = 0; i < n; i++)
            free(notes[i]);
        done += n;
        if (!attached) {   /* the companion is made by the first group */
            ck_assert_int_ne(asprintf(&sql, "ATTACH '%s.reports' AS reports", path), -1);
            ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
            free(sql);
            sql = NULL;
            attached = true;
        }
        /* no group moves a whole segment's keys (4,096 reports' held the
         * group that ended a segment some 10 ms): 384 reports' at most,
         * 2 keys each at most here */
        ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT count(*) FROM reports.report_key", -1, &st,
                                            NULL), SQLITE_OK);
        ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
        int64_t now = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        ck_assert_msg(now - indexed <= 2 * 384, "%lld keys indexed by reports %d to %d",
                      (long long)(now - indexed), done - n + 1, done);
        indexed = now;
    }
    /* the index holds the keys of reports 1 to m, the recent rows those
     * after m: a complete segment's keys move a slice at a time while the
     * next is recorded (no group waits for a whole segment's move),
     * keeping pace -- m never past the complete segments' end, never a
     * segment behind it */
    ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT (SELECT count(*) FROM reports.report_key), "
                                        "(SELECT max(segment) FROM reports.report_key), "
                                        "(SELECT min(number) FROM reports.report_key_recent), "
                                        "(SELECT max(number) FROM reports.report_key), "
                                        "(SELECT count(*) FROM reports.report_key_recent)",
                                        -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int64_t m = sqlite3_column_int64(st, 2) - 1;
    ck_assert_int_gt(m, SEALED - PL_REPORT_SEGMENT);
    ck_assert_int_le(m, SEALED);
    ck_assert_int_eq(sqlite3_column_int64(st, 3), m);
    ck_assert_int_eq(sqlite3_column_int64(st, 0), m + (m - 7) / 1000 + 1);
    ck_assert_int_eq(sqlite3_column_int64(st, 1), (m - 1) / PL_REPORT_SEGMENT);
    ck_assert_int_eq(sqlite3_column_int64(st, 4),
                     (TOTAL - m) + (TOTAL - 7) / 1000 - (m - 7) / 1000);
    sqlite3_finalize(st);
    /* the auditor's statement seeks each segment: never reads one whole */
    ck_assert_int_ne(asprintf(&sql, "EXPLAIN QUERY PLAN %s", pl_report_sql_find_party), -1);
    ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    int seeks = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 3);
        seeks += strstr(d, "SEARCH k USING PRIMARY KEY (segment=? AND what=? AND key=?)") != NULL;
        ck_assert_msg(!strstr(d, "(segment=? AND what=?)") && !strstr(d, "SCAN k"), "%s", d);
    }
    ck_assert_int_eq(seeks, 2);
    sqlite3_finalize(st);
    free(sql);
    sqlite3_close(h);

    /* the auditor finds each report once, in order, page after page */
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    const char *const who[] = { "alice", p1 }; /* asked; answered a registration of */
    const uint64_t want[] = { want_alice, want_reg };
    for (int w = 0; w < 2; w++) {
        pledger_report_filter f = PLEDGER_REPORT_FILTER_INIT;
        f.party = who[w];
        f.limit = 1000;
        uint64_t seen = 0, last = 0;
        for (;;) {
            pledger_report_list *l = NULL;
            PL_OK(reg, pledger_report_find(&l, reg, &f));
            size_t n = pledger_report_list_count(l);
            for (size_t i = 0; i < n; i++) {
                uint64_t no = pledger_report_list_number(l, i);
                ck_assert_uint_gt(no, last);
                ck_assert(w == 0 ? no % 3 == 0 : no % 1000 == 7);
                last = no;
            }
            seen += n;
            f.after = last;
            pledger_report_list_free(l);
            if (n < 1000)
                break;
        }
        ck_assert_uint_eq(seen, want[w]);
    }
    /* the auditor's check takes the keys in their two places */
    uint64_t bad = 1, count = 0;
    PL_OK(reg, pledger_report_verify(&bad, &count, reg, NULL));
    ck_assert_uint_eq(bad, 0);
    ck_assert_uint_eq(count, TOTAL);
    /* and by actor and party together */
    pledger_report_list *l = NULL;
    pledger_report_filter f = PLEDGER_REPORT_FILTER_INIT;
    f.party = p1;
    f.actor = "bank-a"; /* odd numbers: 7, 1007, ... all odd */
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), want_reg);
    pledger_report_list_free(l);
    f.actor = "bank-b";
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 0);
    pledger_report_list_free(l);

    /* a recent report's keys put in the index ahead of the slices (under
     * their segment's right number) are out of their place: the index
     * holds reports 1 to m, no later one */
    sqlite3 *w = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &w, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    ck_assert_int_ne(asprintf(&sql, "ATTACH '%s.reports' AS reports;"
                              "INSERT INTO reports.report_key SELECT (number - 1) / %d, what, key,"
                              " number FROM reports.report_key_recent WHERE number = %lld;"
                              "DELETE FROM reports.report_key_recent WHERE number = %lld",
                              path, PL_REPORT_SEGMENT, (long long)(m + 5), (long long)(m + 5)),
                     -1);
    ck_assert_int_eq(sqlite3_exec(w, sql, NULL, NULL, NULL), SQLITE_OK);
    free(sql);
    sqlite3_close(w);
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(reg, pledger_report_verify(&bad, &count, reg, NULL));
    ck_assert_uint_eq(bad, (uint64_t)(m + 5));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "out of its place"));

    free(r);
    free(notes);
    free(n1);
    free(p1);
    keys_free(&k);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    tcase_add_test(tc, test_issue_open_find);
    tcase_add_test(tc, test_every_actor_name_is_listed);
    tcase_add_test(tc, test_who_sees_reports);
    tcase_add_test(tc, test_bad_requests);
    tcase_add_test(tc, test_open_refuses);
    tcase_add_test(tc, test_companion);
    tcase_add_test(tc, test_companion_being_made);
    tcase_add_test(tc, test_reports_beside_a_writer);
    tcase_add_test(tc, test_proofs);
    tcase_add_test(tc, test_upgrade_v1);
    tcase_add_test(tc, test_upgrade_v2);
    tcase_add_test(tc, test_group);
    tcase_add_test(tc, test_read_held);
    tcase_add_test(tc, test_flush);
    tcase_add_test(tc, test_sync);
    suite_add_tcase(s, tc);
    /* over a segment of reports: its own test in the heavy suite */
    TCase *seg = tcase_create("segments");
    tcase_set_timeout(seg, 120);
    tcase_add_test(seg, test_segments);
    suite_add_tcase(s, seg);
    return s;
}

PL_TEST_MAIN(suite)
