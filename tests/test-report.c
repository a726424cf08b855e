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
#include <sys/stat.h>
#include <unistd.h>

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
    const char *asked[] = { "91440300MA5DXXXX1K" };
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.query = "party_id=91440300MA5DXXXX1K&side=either";
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
    two[1].query = "party_name=无此公司";
    const char *nobody[] = { "无此公司" };
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
    /* nor its file: the reports are in the companion <registry>.reports */
    char *registry_after = fx_ck_dump(path, NULL);
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
    f.party = "无此公司";
    PL_OK(reg, pledger_report_find(&l, reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 1);
    ck_assert_str_eq(pledger_report_list_actor(l, 0), "bank-c");
    pledger_report_list_free(l);
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
    char long_query[2100];
    memset(long_query, 'q', sizeof long_query - 1);
    long_query[sizeof long_query - 1] = '\0';
    static const struct {
        const char *field;
    } cases[] = { { "requests[1].version" }, { "requests[1].kind" }, { "requests[1].actor" },
                  { "requests[1].role" },    { "requests[1].query" }, { "requests[1].query" },
                  { "requests[1].query" },   { "requests[1].parties[0]" },
                  { "requests[1].numbers[0]" }, { "requests[1].log_size" },
                  { "requests[1].numbers" } };
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
    /* the rows are append-only below the library too */
    char *msg = NULL;
    ck_assert_int_eq(fx_ck_raw_int(companion, "SELECT count(*) FROM search_report"), 1);
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
    free(companion);
    keys_free(&k);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    tcase_add_test(tc, test_issue_open_find);
    tcase_add_test(tc, test_who_sees_reports);
    tcase_add_test(tc, test_bad_requests);
    tcase_add_test(tc, test_open_refuses);
    tcase_add_test(tc, test_companion);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(suite)
