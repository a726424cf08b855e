/* Tampering and roles.
 *
 * - Rows changed, deleted or added underneath the library with plain
 *   SQLite (the journal's triggers dropped where they stand in the way),
 *   in the journal and in the state tables: pledger_journal_verify() finds
 *   each and names the first bad event (for the state tables, by replaying
 *   the journal into a private copy and comparing).
 * - A registry opened read-only refuses every call that would change it
 *   with PLEDGER_EREADONLY, whatever the actor's role; a bank or auditor
 *   actor (and no actor at all) gets PLEDGER_EPERM on a read-write one.
 *   The database dump is the same before and after. */
#include "testutil.h"
#include "store/sqlite.h"
#include "fixture.h"
#include "store/apply.h"
#include "store/payload.h"
#include "store/db.h"
#include "store/schema.h"

static char *dir, *template_path, *path;

/* One registry with something of everything, built once, copied per test. */
static void build_template(void)
{
    pledger_registry *reg = NULL;
    char *num[8] = { 0 }, *code = NULL, *code2 = NULL;
    dir = pl_test_mkdir();
    template_path = pl_test_path(dir, "template.db");
    fx_now_us = FX_T0;
    PL_OK(NULL, fx_open(&reg, template_path, "FZ01", 0, -1));
    for (int k = 1; k <= 7; k++) {
        fx_now_us += 60 * INT64_C(1000000);
        PL_OK(reg, fx_registered(reg, k, &num[k], k == PLEDGER_KIND_RECEIVABLE ? &code : NULL));
    }
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.amount = 123456789;
    fx_now_us += FX_DAY_US;
    PL_OK(reg, pledger_pledge_change(reg, num[PLEDGER_KIND_TRADEMARK], &ch, NULL));
    PL_OK(reg, pledger_pledge_extend(reg, num[PLEDGER_KIND_PATENT], "2030-06-30", NULL));
    PL_OK(reg, pledger_pledge_object(reg, num[PLEDGER_KIND_RECEIVABLE], "a creditor", NULL));
    static const char cal[] = "2024-10-01..2024-10-07 holiday National Day\n"
                              "2024-10-12 workday\n";
    PL_OK(reg, pledger_calendar_load(reg, cal, strlen(cal)));
    PL_OK(reg, pledger_set_number_template(reg, "{series}-{office}-{kind}-{year}-{seq:6}"));
    char *uuid = NULL;
    PL_OK(reg, fx_accepted(reg, PLEDGER_KIND_RECEIVABLE, &uuid, NULL));
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_OK(reg, pledger_application_refuse(reg, uuid, "PT_FEE_UNPAID", NULL));
    free(uuid);
    PL_OK(reg, fx_submitted(reg, PLEDGER_KIND_RECEIVABLE, &uuid));
    PL_OK(reg, pledger_application_withdraw(reg, uuid));
    free(uuid);
    /* applications waiting in every state, for the calls that must be refused */
    PL_OK(reg, fx_accepted(reg, PLEDGER_KIND_RECEIVABLE, &uuid, NULL));
    free(uuid);
    PL_OK(reg, fx_submitted(reg, PLEDGER_KIND_RECEIVABLE, &uuid));
    free(uuid);
    PL_OK(reg, fx_accepted(reg, PLEDGER_KIND_RECEIVABLE, &uuid, NULL));
    PL_OK(reg, pledger_set_actor(reg, "clerk-1", PLEDGER_ROLE_CLERK));
    PL_OK(reg, pledger_application_request_correction(reg, uuid, "sign page 2"));
    free(uuid);
    pledger_application *app = fx_sample(PLEDGER_KIND_RECEIVABLE);
    PL_OK(reg, pledger_set_actor(reg, "applicant-1", PLEDGER_ROLE_APPLICANT));
    PL_OK(reg, pledger_application_save(reg, app));
    PL_OK(reg, pledger_application_review(NULL, reg, pledger_application_uuid(app)));
    pledger_application_free(app);
    char *ar2 = NULL;
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_RECEIVABLE, &ar2, &code2));
    pledger_free(ar2);
    /* the reference register (an event without state; it would make the
     * samples' reviews find problems, so it comes after them) */
    char *xml = pl_test_slurp(PLEDGER_TEST_DATADIR "/register-small.xml", NULL);
    pledger_import_report *rep = NULL;
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_OK(reg, pledger_register_import_memory(&rep, reg, xml, strlen(xml), NULL));
    pledger_import_report_free(rep);
    free(xml);
    /* a checkpoint signed for the log (its origin names the office the
     * registry was created for: a setting no event writes) */
    char *priv = NULL, *pub = NULL, *note = NULL;
    pledger_keyring *signers = NULL;
    fx_ck_write_key(dir, EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), "log", &priv, &pub);
    PL_OK(NULL, pledger_keyring_new(&signers));
    PL_OK(NULL, pledger_keyring_add_pem_file(signers, "log-key", priv));
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_OK(reg, pledger_checkpoint_sign(&note, reg, signers));
    ck_assert_msg(strncmp(note, "pledger/FZ01\n", 13) == 0, "%s", note);
    pledger_free(note);
    pledger_keyring_free(signers);
    free(priv);
    free(pub);
    /* the last event: a cancellation */
    PL_OK(reg, pledger_set_actor(reg, "registrar-1", PLEDGER_ROLE_REGISTRAR));
    PL_OK(reg, pledger_pledge_cancel(reg, num[PLEDGER_KIND_EQUITY], NULL, "repaid"));
    pledger_close(reg);
    for (int k = 1; k <= 7; k++)
        pledger_free(num[k]);
    pledger_free(code);
    pledger_free(code2);
}

static void drop_template(void)
{
    free(template_path);
    pl_test_rmdir(dir);
}

static void copy_file(const char *from, const char *to)
{
    size_t len = 0;
    char *data = pl_test_slurp(from, &len);
    pl_test_write(to, data, len);
    free(data);
}

static int n_copy;

static void setup(void)
{
    char name[32];
    snprintf(name, sizeof name, "copy-%d.db", n_copy++);
    path = pl_test_path(dir, name);
    copy_file(template_path, path);
}

static void teardown(void)
{
    unlink(path);
    free(path);
}

static int64_t raw(const char *sql)
{
    return fx_ck_raw_int(path, sql);
}

static void tamper(const char *sql)
{
    fx_ck_raw_exec(path, sql);
}

/* ---- a registry one migration behind, read-only --------------------------- */

/* A bank's copy of a registry the last four migrations (the keys of bulk
 * filings, the index of who filed an application, the index of the
 * applications on a right, the mark of receivables' keys to make again)
 * have not reached yet
 * is read by a read-only handle of this library: it was refused until
 * opened read-write once, which a bank's copy may not be.  Its journal
 * verifies; a key event without the table is found; a writable open then
 * migrates it as before. */
START_TEST(test_read_only_before_the_last_migration)
{
    char sql[256], why[512];
    int64_t bad = -1, count = 0;
    snprintf(sql, sizeof sql, "DROP TABLE upgrade_pending; DROP INDEX application_right_app; "
             "DROP INDEX application_created_by; DROP TABLE filing_key; "
             "PRAGMA user_version = %d", pl_migration_count - 4);
    tamper(sql);
    pledger_registry *ro = NULL;
    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    PL_OK(ro, pledger_set_actor(ro, "bank-1", PLEDGER_ROLE_BANK));
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT registration_number FROM pledge ORDER BY "
                                        "id LIMIT 1", -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    char *number = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    pledger_verification *v = NULL;
    PL_OK(ro, pledger_verify(&v, ro, number, NULL));
    ck_assert_str_eq(pledger_pledge_number(pledger_verification_pledge(v)), number);
    pledger_verification_free(v);
    pledger_close(ro);
    PL_OK(NULL, fx_journal_verify(path, &bad, &count, why, sizeof why));
    ck_assert_msg(bad == 0, "%s", why);
    ck_assert_int_eq(raw("PRAGMA user_version"), pl_migration_count - 4);
    /* as a registry made before schema 12 holds its receivables: keys made
     * the old way (here: any other), no debtors kept */
    int64_t debtors = raw("SELECT count(*) FROM pledge_debtor");
    ck_assert_int_gt(debtors, 0);
    tamper("DELETE FROM pledge_debtor;"
           "UPDATE pledge_right SET right_key = right_key || '-old' WHERE kind = 3;"
           "UPDATE application_right SET right_key = right_key || '-old' WHERE application_id"
           " IN (SELECT id FROM application WHERE kind = 3)");
    int64_t events = raw("SELECT count(*) FROM journal");
    /* opened writable: migrated, the keys made again and the debtors kept
     * by one journaled event, nothing lost */
    pledger_registry *rw = NULL;
    PL_OK(NULL, fx_open(&rw, path, NULL, 0, -1));
    pledger_close(rw);
    ck_assert_int_eq(raw("PRAGMA user_version"), pl_migration_count);
    ck_assert_int_eq(raw("SELECT count(*) FROM journal"), events + 1);
    ck_assert_int_eq(raw("SELECT count(*) FROM journal WHERE operation = 'registry.rekey'"), 1);
    ck_assert_int_eq(raw("SELECT count(*) FROM pledge_right WHERE right_key LIKE '%-old'"), 0);
    ck_assert_int_eq(raw("SELECT count(*) FROM application_right WHERE right_key LIKE '%-old'"),
                     0);
    ck_assert_int_eq(raw("SELECT count(*) FROM pledge_debtor"), debtors);
    ck_assert_int_eq(raw("SELECT count(*) FROM upgrade_pending"), 0);
    PL_OK(NULL, fx_journal_verify(path, &bad, &count, why, sizeof why));
    ck_assert_msg(bad == 0, "%s", why);

    /* the same table dropped from a registry of the current version: not
     * taken for an older one, the check does not pass */
    fx_ck_raw_exec(path, "DROP TABLE filing_key");
    int vrc = fx_journal_verify(path, &bad, &count, why, sizeof why);
    ck_assert_msg(vrc != 0 || bad != 0, "a dropped table passed: %s", why);
    ck_assert_ptr_nonnull(strstr(why, "filing_key"));
    char older[48];
    snprintf(older, sizeof older, "PRAGMA user_version = %d", pl_migration_count - 4);
    tamper(older);
    PL_OK(NULL, fx_open(&rw, path, NULL, 0, -1)); /* migrated again */
    pledger_close(rw);

    /* a journal that holds a key, in a file without the table: found */
    PL_OK(NULL, fx_open(&rw, path, NULL, 0, -1));
    pledger_application *app = fx_sample(PLEDGER_KIND_RECEIVABLE);
    pledger_filing *f = NULL;
    PL_OK(rw, pledger_set_actor(rw, "applicant-1", PLEDGER_ROLE_APPLICANT));
    PL_OK(rw, pledger_file_batch_keyed(&f, rw, "batch-1", &app, 1));
    pledger_filing_free(f);
    pledger_application_free(app);
    pledger_close(rw);
    int64_t key_event = raw("SELECT journal_seq FROM filing_key");
    tamper(sql);
    PL_OK(NULL, fx_journal_verify(path, &bad, &count, why, sizeof why));
    ck_assert_int_eq(bad, key_event);
    ck_assert_msg(strstr(why, "state table 'filing_key' is missing, and journal event"), "%s",
                  why);
    free(number);
}
END_TEST

/* ---- tampering ------------------------------------------------------------------- */

typedef struct tamper_case {
    const char *name;
    const char *sql;    /* the tampering */
    const char *expect; /* SQL giving the first bad event, run before tampering */
    const char *says;   /* in the message */
} tamper_case;

#define PLEDGE_OF(kind) "(SELECT id FROM pledge WHERE kind = " #kind ")"
#define LAST_EVENT "(SELECT max(seq) FROM journal)"

static const tamper_case cases[] = {
    /* the journal itself */
    { "an event's actor rewritten",
      "DROP TRIGGER journal_no_update; UPDATE journal SET actor = 'mallory' WHERE seq = 3",
      "SELECT 3", "event 3" },
    { "an event's payload rewritten",
      "DROP TRIGGER journal_no_update;"
      " UPDATE journal SET payload = replace(payload, '\"state\":6', '\"state\":7')"
      " WHERE seq = (SELECT min(seq) FROM journal WHERE operation = 'application.register')",
      "SELECT min(seq) FROM journal WHERE operation = 'application.register'", "altered" },
    { "an event removed from the middle",
      "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = 10", "SELECT 10",
      "event 10 is missing" },
    { "the last event removed",
      "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = " LAST_EVENT,
      "SELECT max(seq) FROM journal", "removed from its end" },
    { "an event appended by hand",
      "INSERT INTO journal(seq, at_us, actor, role, operation, subject, payload, prev_hash,"
      " hash) SELECT seq + 1, at_us, actor, role, operation, subject, payload, hash, hash"
      " FROM journal WHERE seq = " LAST_EVENT,
      "SELECT max(seq) + 1 FROM journal", "altered" },
    { "the first event's hash chained to something else",
      "DROP TRIGGER journal_no_update; UPDATE journal SET prev_hash ="
      " x'0000000000000000000000000000000000000000000000000000000000000001'"
      " WHERE seq = 1",
      "SELECT 1", "does not chain" },
    /* the state tables, the journal untouched */
    { "a secured amount raised",
      "UPDATE pledge_version SET amount = amount * 10 WHERE pledge_id = " PLEDGE_OF(2)
      " AND valid_to IS NULL",
      "SELECT journal_seq FROM pledge_version WHERE pledge_id = " PLEDGE_OF(2)
      " AND valid_to IS NULL",
      "pledge_version" },
    { "a pledge deleted with its versions, rights and certificate",
      "DELETE FROM certificate WHERE pledge_id = " PLEDGE_OF(7) ";"
      " DELETE FROM pledge_version WHERE pledge_id = " PLEDGE_OF(7) ";"
      " DELETE FROM pledge_right WHERE pledge_id = " PLEDGE_OF(7) ";"
      " DELETE FROM pledge WHERE kind = 7",
      "SELECT min(journal_seq) FROM pledge_version WHERE pledge_id = " PLEDGE_OF(7),
      "is missing" },
    { "a refused application made accepted",
      "UPDATE application SET state = 4 WHERE state = 7",
      "SELECT journal_seq FROM application WHERE state = 7", "application" },
    { "a certificate's verification code replaced",
      "UPDATE certificate SET verification_code = 'AAAA-BBBB-CCCC-DDDD'"
      " WHERE pledge_id = " PLEDGE_OF(1) " AND superseded_at IS NULL",
      "SELECT max(journal_seq) FROM pledge_version WHERE pledge_id = " PLEDGE_OF(1),
      "verification_code" },
    { "a number sequence rewound",
      "UPDATE sequence SET next = next - 1 WHERE name = 'R' AND scope LIKE '%-LD-%'",
      "SELECT min(journal_seq) FROM pledge_version WHERE pledge_id = " PLEDGE_OF(7),
      "sequence" },
    { "a holiday removed",
      "DELETE FROM calendar_day WHERE day = (SELECT min(day) FROM calendar_day)",
      "SELECT seq FROM journal WHERE operation = 'calendar.load'", "calendar_day" },
    { "the number template changed",
      "UPDATE meta SET value = '{series}{seq:6}' WHERE key = 'number_template'",
      "SELECT seq FROM journal WHERE operation = 'registry.setting'", "meta" },
    /* the name index a bank's search by name reads (written by triggers) */
    { "a pledgor's name taken out of the name index",
      "DELETE FROM party_name WHERE pledge_id = " PLEDGE_OF(1) " AND version = 1 AND side = 1",
      "SELECT min(journal_seq) FROM pledge_version WHERE pledge_id = " PLEDGE_OF(1),
      "state table 'party_name': row (pledge_id=" },
    { "the name index emptied",
      "DELETE FROM party_name",
      "SELECT min(journal_seq) FROM pledge_version", "is missing" },
    { "a name in the index changed",
      "UPDATE party_name SET core = 'someone else' WHERE pledge_id = " PLEDGE_OF(2)
      " AND side = 2 AND version = 1",
      "SELECT min(journal_seq) FROM pledge_version WHERE pledge_id = " PLEDGE_OF(2),
      "core is" },
    /* the settings made at creation, which no event writes */
    { "the UTC offset changed by hand (the office's day moved)",
      "UPDATE meta SET value = '-600' WHERE key = 'utc_offset_minutes'",
      "SELECT max(seq) + 1 FROM journal",
      "setting 'utc_offset_minutes' is '-600', but no journal event" },
    { "a setting made at creation deleted",
      "DELETE FROM meta WHERE key = 'journal_hash'",
      "SELECT max(seq) + 1 FROM journal",
      "setting 'journal_hash', made when the registry was created, is missing (the journal "
      "ends at event" },
    { "a setting no event made added by hand",
      "INSERT INTO meta(key, value) VALUES ('log_origin', 'pledger/XX99')",
      "SELECT max(seq) + 1 FROM journal", "no journal event" },
    { "the office the registry was created for changed",
      "UPDATE meta SET value = 'XX99' WHERE key = 'default_office'",
      "SELECT max(seq) + 1 FROM journal",
      "was signed for the log 'pledger/FZ01' (the journal ends at event" },
    { "a review's findings deleted",
      "DELETE FROM review WHERE id = 1",
      "SELECT min(seq) FROM journal WHERE operation = 'application.review'", "review" },
    { "a pledge added by hand",
      "INSERT INTO pledge(id, registration_number, application_id, kind, registered_at,"
      " office) SELECT 99, 'R-FZ01-TM-2024-999999',"
      " (SELECT min(id) FROM application WHERE state = 2), 1,"
      " registered_at, office FROM pledge WHERE id = 1",
      "SELECT max(seq) + 1 FROM journal", "no journal event" },
    { "an application's right swapped",
      "UPDATE application_right SET right_key = '99999999'"
      " WHERE application_id = 1 AND idx = 1",
      "SELECT min(seq) FROM journal WHERE operation = 'application.create'",
      "application_right" },
    { "a payload given more bytes after a NUL",
      "DROP TRIGGER journal_no_update;"
      " UPDATE journal SET payload = payload || char(0) || '{\"state\":7}' WHERE seq = 5",
      "SELECT 5", "altered" },
    { "a pledge's right swapped",
      "UPDATE pledge_right SET identifier = '99999999', right_key = '99999999'"
      " WHERE pledge_id = " PLEDGE_OF(1) " AND idx = 1",
      "SELECT min(journal_seq) FROM pledge_version WHERE pledge_id = " PLEDGE_OF(1),
      "pledge_right" },
};
#define N_CASES (int)(sizeof cases / sizeof cases[0])

START_TEST(test_tamper)
{
    const tamper_case *c = &cases[_i];
    int64_t bad = -1, count = -1, expect = raw(c->expect);
    char why[1024];

    /* intact before */
    PL_OK(NULL, fx_journal_verify(path, &bad, &count, why, sizeof why));
    ck_assert_msg(bad == 0, "%s: the copy is broken already at %lld: %s", c->name,
                  (long long)bad, why);
    ck_assert_int_eq(count, raw("SELECT count(*) FROM journal"));
    ck_assert_int_gt(expect, 0);

    tamper(c->sql);
    PL_OK(NULL, fx_journal_verify(path, &bad, &count, why, sizeof why));
    if (getenv("PL_TAMPER_PRINT"))
        printf("%-60s %lld %s\n", c->name, (long long)bad, why);
    ck_assert_msg(bad == expect, "%s: first bad event %lld, expected %lld: %s", c->name,
                  (long long)bad, (long long)expect, why);
    ck_assert_msg(strstr(why, c->says) != NULL, "%s: message '%s' does not say '%s'",
                  c->name, why, c->says);
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)bad);
    ck_assert_msg(strstr(why, num) != NULL || strstr(c->says, "event") != NULL,
                  "%s: message '%s' does not name event %s", c->name, why, num);
}
END_TEST

/* ---- payloads: what the statements receive ------------------------------------------ */

/* pl_apply reads canonical payloads itself and leaves every other form to
 * SQLite's -> and ->>: whatever the form, a statement receives exactly
 * what SQLite's own operators give (here through registry.setting, whose
 * statement writes $.key and $.value, and calendar.load, which reads
 * $.days with json_each). */
/* Member names join keys with "__" ($a__b is $.a.b), so the payload
 * reader leaves to SQLite any payload whose keys would make such a name
 * ambiguous: "__" inside a key, or a key starting or ending with '_'. */
START_TEST(test_payload_reader_names)
{
    static const struct {
        const char *json;
        bool plain;
    } forms[] = {
        { "{\"a_b\":{\"c\":1}}", true },
        { "{\"a__b\":1}", false },
        { "{\"a_\":{\"b\":1}}", false },
        { "{\"_a\":1}", false },
        { "{\"a\":{\"b_\":1}}", false },
        { "{\"a\" :1}", false },
    };
    pl_payload *p = malloc(sizeof *p);
    ck_assert_ptr_nonnull(p);
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        pl_payload_read(p, forms[i].json);
        ck_assert_msg(p->plain == forms[i].plain, "%s", forms[i].json);
    }
    pl_payload_read(p, forms[0].json);
    const pl_member *m = pl_payload_find(p, -1, "a_b__c");
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(m->type, PL_J_INT);
    ck_assert_ptr_null(pl_payload_find(p, -1, "a__b_c"));
    free(p);
}
END_TEST

/* A payload with an array of more elements than the reader's table (an
 * exchange batch's thousands of items) is still read, the array one
 * member of its own text: the rest stays the reader's (the batch's
 * document is not read by SQLite from the whole payload once for each
 * parameter), and the array is what SQLite reads, the calendar days as
 * json_each gives them, whether the payload is read here or by SQLite. */
START_TEST(test_payload_large_array)
{
    size_t n = 3 * PL_PAYLOAD_MAX_MEMBERS, cap = 64 * n + 64, len = 0;
    char *json = malloc(cap);
    ck_assert_ptr_nonnull(json);
    len += (size_t)snprintf(json + len, cap - len, "{\"days\":[");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(json + len, cap - len, "%s{\"day\":%zu,\"kind\":1,\"name\":"
                                "\"d\\\"%zu\"}", i ? "," : "", 20000 + i, i);
    len += (size_t)snprintf(json + len, cap - len, "],\"x\":\"a\\nb\"}");
    pl_payload *p = malloc(sizeof *p);
    ck_assert_ptr_nonnull(p);
    pl_payload_read(p, json);
    ck_assert(p->plain);
    const pl_member *days = pl_payload_find(p, -1, "days"), *x = pl_payload_find(p, -1, "x");
    ck_assert_ptr_nonnull(days);
    ck_assert_int_eq(days->type, PL_J_OTHER);
    ck_assert_ptr_eq(days->val, json + 8);
    ck_assert_uint_eq(days->vlen, len - 8 - strlen(",\"x\":\"a\\nb\"}"));
    ck_assert_ptr_nonnull(x);
    ck_assert_int_eq(x->type, PL_J_ESC);
    ck_assert_int_eq(p->n, 2);
    /* a large array inside a smaller one's element: that one alone */
    char *nested = NULL;
    ck_assert_int_ne(asprintf(&nested, "{\"a\":[1,{\"b\":%s}],\"c\":2}", json), -1);
    pl_payload_read(p, nested);
    ck_assert(p->plain);
    /* members: a, its 1, its {..}, b, b's days (one) and x, c */
    ck_assert_int_eq(p->n, 7);
    ck_assert_int_eq(p->m[2].type, PL_J_OBJECT);
    const pl_member *b = pl_payload_find(p, 2, "b");
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(b->type, PL_J_OBJECT);
    ck_assert_int_eq(pl_payload_find(p, (int)(b - p->m), "days")->type, PL_J_OTHER);
    ck_assert_int_eq(pl_payload_find(p, -1, "c")->type, PL_J_INT);
    ck_assert_int_eq(pl_payload_find(p, -1, "a")->type, PL_J_ARRAY);
    free(nested);
    free(p);

    /* applied: the same rows as from the payload SQLite reads */
    pl_db_options o = { .read_only = false, .create = true, .busy_timeout_ms = 0 };
    pl_db *db = NULL;
    pl_err e;
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(pl_db_open(&db, &e, ":memory:", &o), 0);
    ck_assert_int_eq(pl_db_write_begin(db, &e), 0);
    ck_assert_msg(pl_apply(db, &e, "calendar.load", json, 1, 1, "a") == 0, "%s", e.msg);
    ck_assert_int_eq(sqlite3_prepare_v2(pl_db_handle(db),
                                        "SELECT count(*), sum(name = 'd\"' || (day - 20000))"
                                        " FROM calendar_day", -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_int_eq(sqlite3_column_int64(st, 0), (int64_t)n);
    ck_assert_int_eq(sqlite3_column_int64(st, 1), (int64_t)n);
    sqlite3_finalize(st);
    pl_db_close(db);
    free(json);
}
END_TEST

START_TEST(test_apply_payload_forms)
{
    static const char *const payloads[] = {
        "{\"key\":\"k1\",\"value\":\"plain\"}",
        "{\"key\":\"k2\",\"value\":\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f<\\\"x\\\">\"}",
        "{\"key\":\"k3\",\"value\":\"\\u00e9\\ud83d\\ude00\\u0041\\u0000z\"}",
        "{ \"key\" : \"k4\", \"value\" : \"spaced\" }",
        "{\"key\":\"k5\",\"value\":12345678901234567890}",
        "{\"key\":\"k6\",\"value\":{\"a\":[1,2,{\"b\":null}]}}",
        "{\"key\":\"k7\",\"value\":\"first\",\"value\":\"second\"}",
        "{\"key\":\"k8\",\"value\":-0}",
        "{\"key\":\"k9\",\"value\":1.5e3}",
        "{\"key\":\"k10\",\"value\":true}",
        "{\"key\":\"k11\",\"value\":\"\",\"extra\":[\"\\u0022\"]}",
        "{\"key\":\"k12\",\"value\":-123456789012345678}",
        "{\"value\":\"v\",\"key\":\"k13\"}",
        "{\"key\":\"k14\",\"value\":[\"a\",1],\"v\":{\"x\":{\"y\":\"z\"}}}",
        "{\"key\":\"k15\",\"value\":\"\xe4\xb8\xad\xe6\x96\x87 text \xe4\xb8\xad\"}",
    };
    pl_db_options o = { .read_only = false, .create = true, .busy_timeout_ms = 0 };
    pl_db *db = NULL;
    pl_err e;
    sqlite3_stmt *st = NULL;

    ck_assert_int_eq(pl_db_open(&db, &e, ":memory:", &o), 0);
    ck_assert_int_eq(pl_db_write_begin(db, &e), 0);
    for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++)
        ck_assert_msg(pl_apply(db, &e, "registry.setting", payloads[i], (int64_t)i + 1, 1,
                               "a") == 0, "payload %zu: %s", i, e.msg);
    /* every row is what ->> gives for the payload */
    ck_assert_int_eq(sqlite3_prepare_v2(pl_db_handle(db),
                                        "SELECT count(*) FROM meta WHERE key = ?1 ->> '$.key'"
                                        " AND value IS CAST(?1 ->> '$.value' AS TEXT)",
                                        -1, &st, NULL), SQLITE_OK);
    for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
        sqlite3_bind_text(st, 1, payloads[i], -1, SQLITE_STATIC);
        ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
        ck_assert_msg(sqlite3_column_int(st, 0) == 1, "payload %zu was not applied as SQLite "
                      "reads it", i);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    /* spot checks of the values themselves */
    char *v = NULL;
    ck_assert_int_eq(pl_db_meta_get(db, &e, "k1", &v), 0);
    ck_assert_str_eq(v, "plain");
    free(v);
    ck_assert_int_eq(pl_db_meta_get(db, &e, "k2", &v), 0);
    ck_assert_str_eq(v, "q\"b\\s/n\nt\tr\rb\bf\f<\"x\">");
    free(v);
    ck_assert_int_eq(pl_db_meta_get(db, &e, "k7", &v), 0);
    ck_assert_str_eq(v, "first");
    free(v);
    ck_assert_int_eq(pl_db_meta_get(db, &e, "k10", &v), 0);
    ck_assert_str_eq(v, "1");
    free(v);
    ck_assert_int_eq(pl_db_meta_get(db, &e, "k14", &v), 0);
    ck_assert_str_eq(v, "[\"a\",1]");
    free(v);

    /* an array read by json_each, canonical and not */
    ck_assert_int_eq(pl_apply(db, &e, "calendar.load",
                              "{\"days\":[{\"day\":19000,\"kind\":1,\"name\":\"a\\\"b\"},"
                              "{\"day\":19001,\"kind\":2,\"name\":\"\"}]}", 20, 1, "a"), 0);
    ck_assert_int_eq(pl_apply(db, &e, "calendar.load",
                              "{\"days\": [ {\"day\": 19002, \"kind\": 1, \"name\": \"c\"} ]}",
                              21, 1, "a"), 0);
    ck_assert_int_eq(pl_apply(db, &e, "calendar.load",
                              "{\"days\":[{\"day\":19003,\"kind\":2,\"name\":\"\\u00e9\"}]}",
                              22, 1, "a"), 0);
    ck_assert_int_eq(pl_apply(db, &e, "calendar.load", "{\"other\":[]}", 23, 1, "a"), 0);
    ck_assert_int_eq(sqlite3_prepare_v2(pl_db_handle(db),
                                        "SELECT group_concat(day || kind || name, ';')"
                                        " FROM (SELECT * FROM calendar_day ORDER BY day)",
                                        -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(st, 0),
                     "190001a\"b;190012;190021c;190032\xc3\xa9");
    sqlite3_finalize(st);

    /* not JSON: refused, naming the operation and the event */
    ck_assert_int_ne(pl_apply(db, &e, "registry.setting", "{\"key\":\"k99\",\"value\":\"x\"",
                              30, 1, "a"), 0);
    ck_assert_msg(strstr(e.msg, "registry.setting (event 30") != NULL, "%s", e.msg);
    ck_assert_msg(strstr(e.msg, "JSON") != NULL, "%s", e.msg);
    ck_assert_int_ne(pl_apply(db, &e, "no.such", "{}", 31, 1, "a"), 0);
    ck_assert_msg(strstr(e.msg, "event 31") && strstr(e.msg, "no.such"), "%s", e.msg);
    pl_db_close(db);
}
END_TEST

/* Verification changes nothing and is allowed to the auditor and the
 * registrar only. */
START_TEST(test_verify_roles)
{
    pledger_registry *reg = NULL;
    int64_t bad = -1, count = -1;
    PL_OK(NULL, fx_open(&reg, path, NULL, 0, -1));
    PL_FAILS(reg, PLEDGER_EPERM, pledger_journal_verify(&bad, &count, reg));
    for (int role = PLEDGER_ROLE_APPLICANT; role <= PLEDGER_ROLE_AUDITOR; role++) {
        PL_OK(reg, pledger_set_actor(reg, "someone", (pledger_role)role));
        if (role == PLEDGER_ROLE_AUDITOR || role == PLEDGER_ROLE_REGISTRAR) {
            PL_OK(reg, pledger_journal_verify(&bad, &count, reg));
            ck_assert_int_eq(bad, 0);
        } else {
            PL_FAILS(reg, PLEDGER_EPERM, pledger_journal_verify(&bad, &count, reg));
        }
    }
    pledger_close(reg);
}
END_TEST

/* ---- read-only registries and read-only roles ------------------------------------------ */

/* Every public call that changes a registry, with arguments that would
 * succeed for the right role on a read-write registry: @mode 0 read-only
 * registry (the right role each time), else the role @mode for all. */
static void every_mutating_call(pledger_registry *reg, int mode, int expect)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    char v[9][64];
    /* something in the right state for each call, read raw */
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h,
        "SELECT (SELECT uuid FROM application WHERE state = 2),"
        " (SELECT uuid FROM application WHERE state = 3),"
        " (SELECT uuid FROM application WHERE state = 4),"
        " (SELECT uuid FROM application WHERE state = 5),"
        " (SELECT registration_number FROM pledge WHERE kind = 1),"
        " (SELECT registration_number FROM pledge WHERE kind = 2),"
        " (SELECT p.registration_number FROM pledge p JOIN pledge_version v"
        "  ON v.pledge_id = p.id AND v.valid_to IS NULL WHERE p.kind = 3 AND v.state = 5),"
        " (SELECT p.registration_number FROM pledge p JOIN pledge_version v"
        "  ON v.pledge_id = p.id AND v.valid_to IS NULL WHERE p.kind = 3 AND v.state = 1),"
        " (SELECT count(*) FROM application)", -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    for (int i = 0; i < 9; i++) {
        ck_assert_msg(sqlite3_column_type(st, i) != SQLITE_NULL, "template: no value %d", i);
        snprintf(v[i], sizeof v[i], "%s", sqlite3_column_text(st, i));
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    const char *reviewed = v[0], *submitted = v[1], *accepted = v[2], *corr = v[3];
    const char *tm = v[4], *pt = v[5], *ar_objected = v[6], *ar_active = v[7];

#define AS(role)                                                                         \
    PL_OK(reg, pledger_set_actor(reg, "actor", mode ? (pledger_role)mode : PLEDGER_ROLE_##role))
#define REFUSED(call)                                                                    \
    do {                                                                                 \
        int rc_ = (call);                                                                \
        ck_assert_msg(rc_ == expect, "%s -> %d (%s), expected %s: %s", #call, rc_,        \
                      pledger_strerror(rc_), pledger_strerror(expect), pledger_errmsg(reg)); \
        ck_assert_msg(*pledger_errmsg(reg), "%s: no message", #call);                    \
        n_calls++;                                                                       \
    } while (0)

    int n_calls = 0;
    char *s = NULL, *s2 = NULL;
    int n = 0;
    pledger_application *app = fx_sample(PLEDGER_KIND_LAND);
    pledger_application *loaded = NULL;
    pledger_import_report *rep = NULL;
    pledger_change ch = PLEDGER_CHANGE_INIT;
    ch.amount = 1;
    char *regxml = pl_test_slurp(PLEDGER_TEST_DATADIR "/register-small.xml", NULL);
    char *regfile = pl_test_path(PLEDGER_TEST_DATADIR, "register-small.xml");

    AS(APPLICANT);
    REFUSED(pledger_application_save(reg, app));
    ck_assert_ptr_null(pledger_application_uuid(app));
    PL_OK(reg, pledger_set_actor(reg, "clerk", PLEDGER_ROLE_CLERK)); /* a reader of it */
    PL_OK(reg, pledger_application_load(&loaded, reg, corr));
    AS(APPLICANT);
    REFUSED(pledger_application_review(NULL, reg, reviewed));
    REFUSED(pledger_application_submit(reg, reviewed));
    REFUSED(pledger_application_withdraw(reg, submitted));
    AS(CLERK);
    REFUSED(pledger_application_accept(&s, reg, submitted));
    ck_assert_ptr_null(s);
    REFUSED(pledger_application_request_correction(reg, accepted, "sign it"));
    REFUSED(pledger_application_correct(reg, loaded));
    AS(REGISTRAR);
    REFUSED(pledger_application_register(&s, &s2, reg, accepted));
    ck_assert_ptr_null(s);
    REFUSED(pledger_application_refuse(reg, accepted, "CONTRACT_VOID", NULL));
    REFUSED(pledger_pledge_change(reg, tm, &ch, NULL));
    REFUSED(pledger_pledge_extend(reg, pt, "2031-01-01", NULL));
    REFUSED(pledger_pledge_cancel(reg, tm, NULL, NULL));
    REFUSED(pledger_pledge_revoke(reg, tm, "CONTRACT_VOID", NULL));
    REFUSED(pledger_pledge_record_litigation(reg, ar_objected));
    REFUSED(pledger_pledge_dismiss_objection(reg, ar_objected, NULL));
    AS(APPLICANT);
    REFUSED(pledger_pledge_object(reg, ar_active, "a creditor", NULL));
    AS(REGISTRAR);
    fx_now_us += 4000 * FX_DAY_US; /* everything has expired by then */
    REFUSED(pledger_registry_expire(&n, reg));
    fx_now_us -= 4000 * FX_DAY_US;
    REFUSED(pledger_calendar_load(reg, "2025-01-01 holiday\n", 19));
    REFUSED(pledger_register_import_memory(&rep, reg, regxml, strlen(regxml), NULL));
    ck_assert_ptr_null(rep);
    REFUSED(pledger_register_import(&rep, reg, regfile, NULL));
    ck_assert_ptr_null(rep);
    REFUSED(pledger_set_number_template(reg, "{series}/{kind}/{year}/{seq:8}"));
    ck_assert_int_eq(n_calls, 21);
#undef AS
#undef REFUSED
    free(regxml);
    free(regfile);
    pledger_application_free(app);
    pledger_application_free(loaded);
}

START_TEST(test_read_only_registry)
{
    pledger_registry *ro = NULL;
    char *before = fx_dump(path, NULL);
    PL_OK(NULL, fx_open(&ro, path, NULL, 1, -1));
    every_mutating_call(ro, 0, PLEDGER_EREADONLY);
    pledger_close(ro);
    char *after = fx_dump(path, NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
}
END_TEST

/* The bank and the auditor read; without an actor nothing changes either. */
START_TEST(test_read_only_roles)
{
    static const pledger_role roles[] = { PLEDGER_ROLE_BANK, PLEDGER_ROLE_AUDITOR };
    pledger_registry *reg = NULL;
    char *before = fx_dump(path, NULL);
    PL_OK(NULL, fx_open(&reg, path, NULL, 0, -1));
    every_mutating_call(reg, (int)roles[_i], PLEDGER_EPERM);
    pledger_close(reg);
    char *after = fx_dump(path, NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
}
END_TEST

START_TEST(test_no_actor)
{
    pledger_registry *reg = NULL;
    char *before = fx_dump(path, NULL), *s = NULL;
    PL_OK(NULL, fx_open(&reg, path, NULL, 0, -1));
    pledger_application *app = fx_sample(PLEDGER_KIND_LAND);
    PL_FAILS(reg, PLEDGER_EPERM, pledger_application_save(reg, app));
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(reg), "actor"));
    PL_FAILS(reg, PLEDGER_EPERM, pledger_pledge_cancel(reg, "R-FZ01-TM-2024-000001", NULL,
                                                       NULL));
    PL_FAILS(reg, PLEDGER_EPERM, pledger_set_number_template(reg, "{series}{year}{seq:6}"));
    PL_FAILS(reg, PLEDGER_EPERM, pledger_calendar_load(reg, "2025-01-01 holiday\n", 19));
    int64_t bad = 0;
    PL_FAILS(reg, PLEDGER_EPERM, pledger_journal_verify(&bad, NULL, reg));
    pledger_application_free(app);
    pledger_free(s);
    pledger_close(reg);
    char *after = fx_dump(path, NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
}
END_TEST

static Suite *tamper_suite(void)
{
    Suite *s = suite_create("tamper");
    TCase *tc = tcase_create("journal");
    tcase_add_unchecked_fixture(tc, build_template, drop_template);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_tamper, 0, N_CASES);
    tcase_add_test(tc, test_verify_roles);
    tcase_add_test(tc, test_read_only_before_the_last_migration);
    tcase_add_test(tc, test_apply_payload_forms);
    tcase_add_test(tc, test_payload_large_array);
    tcase_add_test(tc, test_payload_reader_names);
    tcase_add_test(tc, test_read_only_registry);
    tcase_add_loop_test(tc, test_read_only_roles, 0, 2);
    tcase_add_test(tc, test_no_actor);
    tcase_set_timeout(tc, getenv("PLEDGER_VALGRIND") ? 900 : 60);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(tamper_suite)
