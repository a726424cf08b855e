/* pledger_report_verify (include/pledger/report.h): the search reports'
 * companion file changed underneath the library, one way at a time --
 * each row field, each text, each key, each subtree, each checkpoint --
 * is found, naming the first report it concerns and what was wrong; an
 * intact companion holds, with and without the trusted keys; a write
 * after a removal says the file was changed (not a constraint failure). */
#include "fixture.h"

#include <openssl/evp.h>
#include <sqlite3.h>

#include <pledger/log.h>
#include <pledger/report.h>

typedef struct site {
    char *dir, *path, *companion;
    char *priv, *pub;
    pledger_keyring *signer, *trusted;
    pledger_registry *reg;
    char *n1, *n2;
} site;

static const char drop_triggers[] =
    "DROP TRIGGER search_report_no_update; DROP TRIGGER search_report_no_delete;"
    "DROP TRIGGER report_key_no_update; DROP TRIGGER report_key_no_delete;"
    "DROP TRIGGER report_node_no_update; DROP TRIGGER report_node_no_delete;"
    "DROP TRIGGER report_checkpoint_no_update; DROP TRIGGER report_checkpoint_no_delete;";

static void issue(site *s, pledger_report_request *r, size_t n)
{
    char *notes[4] = { NULL, NULL, NULL, NULL };
    fx_now_us += 1000000;
    PL_OK(s->reg, pledger_report_issue(notes, NULL, s->reg, r, n, s->signer));
    for (size_t i = 0; i < n; i++)
        pledger_free(notes[i]);
}

/* Two registrations; reports 1-3 in one group (a search naming a party and
 * both registrations, a verification, a search that found nothing), 4-5
 * in another, the registry closed. */
static void site_make(site *s)
{
    memset(s, 0, sizeof *s);
    fx_ck_setup(&s->dir, &s->path, &s->reg);
    ck_assert_int_ne(asprintf(&s->companion, "%s.reports", s->path), -1);
    fx_ck_write_key(s->dir, EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), "reports", &s->priv,
                    &s->pub);
    PL_OK(NULL, pledger_keyring_new(&s->signer));
    PL_OK(NULL, pledger_keyring_add_pem_file(s->signer, "registry.example.cn/FZ01", s->priv));
    PL_OK(NULL, pledger_keyring_new(&s->trusted));
    PL_OK(NULL, pledger_keyring_add_pem_file(s->trusted, "registry.example.cn/FZ01", s->pub));
    PL_OK(s->reg, fx_registered(s->reg, PLEDGER_KIND_TRADEMARK, &s->n1, NULL));
    PL_OK(s->reg, fx_registered(s->reg, PLEDGER_KIND_PATENT, &s->n2, NULL));
    fx_act(s->reg, "pledgerd", PLEDGER_ROLE_REGISTRAR);

    const char *both[] = { s->n1, s->n2 }, *party[] = { "91440300MA5DXXXX1K",
                                                        "Hangzhou West Lake Tea Co., Ltd." };
    pledger_report_request g1[3] = { PLEDGER_REPORT_REQUEST_INIT, PLEDGER_REPORT_REQUEST_INIT,
                                     PLEDGER_REPORT_REQUEST_INIT };
    g1[0].actor = "bank-a";
    g1[0].role = PLEDGER_ROLE_BANK;
    g1[0].query = "party_id=91440300MA5DXXXX1K&side=either";
    g1[0].parties = party;
    g1[0].party_count = 2;
    g1[0].numbers = both;
    g1[0].number_count = 2;
    g1[1].kind = PLEDGER_REPORT_VERIFICATION;
    g1[1].actor = "bank-b";
    g1[1].role = PLEDGER_ROLE_BANK;
    g1[1].query = s->n1;
    g1[1].numbers = both;
    g1[1].number_count = 1;
    g1[1].asked = both;
    g1[1].asked_count = 1;
    g1[2].actor = "bank-c";
    g1[2].role = PLEDGER_ROLE_BANK;
    g1[2].query = "party_name=nobody";
    const char *nobody[] = { "nobody" };
    g1[2].parties = nobody;
    g1[2].party_count = 1;
    issue(s, g1, 3);
    pledger_report_request g2[2] = { PLEDGER_REPORT_REQUEST_INIT, PLEDGER_REPORT_REQUEST_INIT };
    g2[0].actor = "bank-a";
    g2[0].role = PLEDGER_ROLE_BANK;
    g2[0].query = "right=ZC-2026-1";
    g2[0].numbers = both + 1;
    g2[0].number_count = 1;
    g2[1] = g1[1];      /* a verification refused: asked about n2, answered nothing */
    g2[1].asked = both + 1;
    g2[1].numbers = NULL;
    g2[1].number_count = 0;
    issue(s, g2, 2);
    pledger_close(s->reg);
    s->reg = NULL;
}

static void site_open(site *s)
{
    PL_OK(NULL, fx_open(&s->reg, s->path, NULL, 0, -1));
    fx_act(s->reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
}

static void site_free(site *s)
{
    pledger_keyring_free(s->signer);
    pledger_keyring_free(s->trusted);
    free(s->priv);
    free(s->pub);
    free(s->companion);
    free(s->n1);
    free(s->n2);
    fx_ck_teardown(s->dir, s->path, s->reg);
}

START_TEST(test_intact)
{
    site s;
    uint64_t bad = 7, count = 0;

    site_make(&s);
    site_open(&s);
    PL_OK(s.reg, pledger_report_verify(&bad, &count, s.reg, s.trusted));
    ck_assert_msg(bad == 0, "%s", pledger_errmsg(s.reg));
    ck_assert_uint_eq(count, 5);
    PL_OK(s.reg, pledger_report_verify(&bad, &count, s.reg, NULL));
    ck_assert_uint_eq(bad, 0);
    /* a read-only handle, and the registrar, check too */
    pledger_registry *ro = NULL;
    PL_OK(NULL, fx_open(&ro, s.path, NULL, 1, -1));
    fx_act(ro, "registrar-1", PLEDGER_ROLE_REGISTRAR);
    PL_OK(ro, pledger_report_verify(&bad, &count, ro, s.trusted));
    ck_assert_uint_eq(bad, 0);
    ck_assert_uint_eq(count, 5);
    /* a bank may not: it sees its own reports only; the refusal says what
     * was refused (not "the journal") */
    fx_act(ro, "bank-a", PLEDGER_ROLE_BANK);
    PL_FAILS(ro, PLEDGER_EPERM, pledger_report_verify(&bad, &count, ro, NULL));
    ck_assert_msg(strstr(pledger_errmsg(ro), "the verification of the search reports"), "%s",
                  pledger_errmsg(ro));
    pledger_close(ro);
    /* another key: the first checkpoint is not signed by it */
    char *priv = NULL, *pub = NULL;
    pledger_keyring *other = NULL;
    fx_ck_write_key(s.dir, EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), "other", &priv, &pub);
    PL_OK(NULL, pledger_keyring_new(&other));
    PL_OK(NULL, pledger_keyring_add_pem_file(other, "registry.example.cn/FZ01", pub));
    PL_OK(s.reg, pledger_report_verify(&bad, &count, s.reg, other));
    ck_assert_uint_eq(bad, 3);
    ck_assert_uint_eq(count, 2);
    ck_assert_ptr_nonnull(strstr(pledger_errmsg(s.reg), "not signed by a trusted key"));
    pledger_keyring_free(other);
    free(priv);
    free(pub);
    /* more reports after a verification: still intact */
    fx_act(s.reg, "bank-a", PLEDGER_ROLE_BANK);
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.query = "again";
    issue(&s, &r, 1);
    fx_act(s.reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(s.reg, pledger_report_verify(&bad, &count, s.reg, s.trusted));
    ck_assert_msg(bad == 0, "%s", pledger_errmsg(s.reg));
    ck_assert_uint_eq(count, 6);
    site_free(&s);
}
END_TEST

/* A registry that never recorded a report holds, with none verified. */
START_TEST(test_none)
{
    char *dir, *path;
    pledger_registry *reg;
    uint64_t bad = 7, count = 7;

    fx_ck_setup(&dir, &path, &reg);
    fx_act(reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(reg, pledger_report_verify(&bad, &count, reg, NULL));
    ck_assert_uint_eq(bad, 0);
    ck_assert_uint_eq(count, 0);
    /* a verification writes nothing: no companion is made for it */
    char *companion = NULL;
    ck_assert_int_ne(asprintf(&companion, "%s.reports", path), -1);
    ck_assert_int_ne(access(companion, F_OK), 0);
    free(companion);
    fx_ck_teardown(dir, path, reg);
}
END_TEST

typedef struct tamper {
    const char *what;     /* the case */
    const char *sql;      /* run on the companion, its triggers dropped */
    uint64_t bad;         /* the report named */
    const char *says;     /* in the message */
    int trusted;          /* verified with the trusted keys */
    const char *then;     /* run after, on another connection (a schema changed) */
} tamper;

static const tamper cases[] = {
    /* the row the auditor's lists read, field by field */
    { "actor", "UPDATE search_report SET actor = 'bank-z' WHERE number = 2", 2,
      "its actor is 'bank-z'", 1 },
    { "role", "UPDATE search_report SET role = 'auditor' WHERE number = 2", 2, "its role", 1 },
    { "kind", "UPDATE search_report SET kind = 'search' WHERE number = 2", 2, "its kind", 1 },
    { "query", "UPDATE search_report SET query = 'x' WHERE number = 1", 1, "its query", 1 },
    { "instant", "UPDATE search_report SET issued_at = issued_at + 1 WHERE number = 4", 4,
      "instant of issue", 1 },
    { "result count", "UPDATE search_report SET result_count = 0 WHERE number = 1", 1,
      "says: results 0", 1 },
    { "log size", "UPDATE search_report SET log_size = 0 WHERE number = 5", 5, "says: results 0, log size 0",
      1 },
    /* the text, with the row to match: the tree shows it */
    { "asked by", "UPDATE search_report SET actor = 'bank-z', note = replace(note, 'by bank-b "
      "bank', 'by bank-z bank') WHERE number = 2", 2, "another subtree", 1 },
    { "asked by, no keys", "UPDATE search_report SET actor = 'bank-z', note = replace(note, "
      "'by bank-b bank', 'by bank-z bank') WHERE number = 5", 5, "another subtree", 0 },
    { "results dropped", "UPDATE search_report SET result_count = 0, note = substr(note, 1, "
      "instr(note, 'results 2') - 1) || 'results 0' || char(10) WHERE number = 1; "
      "DELETE FROM report_key_recent WHERE number = 1 AND what = 2", 1, "another subtree", 1 },
    { "not a report", "UPDATE search_report SET note = 'hello' || char(10) WHERE number = 3", 3,
      "not a report's", 1 },
    { "another's text", "UPDATE search_report SET note = (SELECT note FROM search_report "
      "WHERE number = 2) WHERE number = 3", 3, "its text is report 2's", 1 },
    { "two texts swapped", "UPDATE search_report SET note = CASE number WHEN 2 THEN (SELECT "
      "note FROM search_report WHERE number = 4) ELSE (SELECT note FROM search_report WHERE "
      "number = 2) END WHERE number IN (2, 4)", 2, "its text is report 4's", 1 },
    { "log root", "UPDATE search_report SET log_size = log_size - 1, note = replace(note, "
      "'log ' || log_size || ' ', 'log ' || (log_size - 1) || ' ') WHERE number = 4", 4,
      "is not the journal's", 1 },
    { "log beyond", "UPDATE search_report SET log_size = 999, note = replace(note, 'log ' || "
      "log_size || ' ', 'log 999 ') WHERE number = 4", 4, "beyond the journal", 1 },
    /* removed reports */
    { "a middle report", "DELETE FROM search_report WHERE number = 2", 2,
      "keys of report number 2", 1 },
    { "a middle report and its keys", "DELETE FROM search_report WHERE number = 3; DELETE FROM "
      "report_key_recent WHERE number = 3", 3, "search report 3 is missing", 1 },
    { "the last report", "DELETE FROM search_report WHERE number = 5; DELETE FROM "
      "report_key_recent WHERE number = 5", 5, "the last report kept is number 4", 1 },
    { "the last report and its checkpoint", "DELETE FROM search_report WHERE number = 5; "
      "DELETE FROM report_key_recent WHERE number = 5; DELETE FROM report_checkpoint WHERE "
      "size = 5", 4, "checkpoint over reports 1 to 5", 1 },
    /* the keys of "who asked about this party" */
    { "a party's key", "DELETE FROM report_key_recent WHERE number = 1 AND what = 1 AND key = "
      "(SELECT max(key) FROM report_key_recent WHERE number = 1 AND what = 1)", 1,
      "other parties", 1 },
    { "a party's key changed", "UPDATE report_key_recent SET key = 'someoneelse' WHERE number = "
      "3 AND what = 1", 3, "other parties", 1 },
    { "a party's key added", "INSERT INTO report_key_recent VALUES (2, 1, 'someone')", 2,
      "other parties", 1 },
    { "a registration's key", "DELETE FROM report_key_recent WHERE number = 2 AND what = 2", 2,
      "other registrations", 1 },
    { "a registration's key added", "INSERT INTO report_key_recent VALUES (3, 2, 'R-X')", 3,
      "other registrations", 1 },
    { "the key of a registration asked about", "DELETE FROM report_key_recent WHERE number = 5 "
      "AND what = 2", 5, "other registrations", 1 },
    { "a registration asked about, dropped from the text", "UPDATE search_report SET note = "
      "replace(note, 'asked 1' || char(10) || (SELECT key FROM report_key_recent WHERE number "
      "= 5 AND what = 2) || char(10), 'asked 0' || char(10)) WHERE number = 5; DELETE FROM "
      "report_key_recent WHERE number = 5 AND what = 2", 5, "another subtree", 1 },
    { "a key out of place", "INSERT INTO report_key SELECT 0, what, key, number FROM "
      "report_key_recent WHERE number = 4; DELETE FROM report_key_recent WHERE number = 4", 4,
      "out of its place", 1 },
    { "a key of no report", "INSERT INTO report_key_recent VALUES (9, 1, 'x')", 6,
      "keys of report number 9, which is not kept", 1 },
    /* a key of number 0 named nothing, which read as "intact" */
    { "a key of report 0", "INSERT INTO report_key_recent VALUES (0, 1, 'x')", 1,
      "keys of report number 0", 1 },
    { "a key of report 0, indexed", "INSERT INTO report_key VALUES (0, 1, 'x', 0)", 1,
      "keys of report number 0", 1 },
    { "a key of no number", "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = "
      "replace(sql, 'number INTEGER NOT NULL', 'number INTEGER') WHERE name = "
      "'report_key_recent'", 1, "keys of report number 0", 1,
      "UPDATE report_key_recent SET number = NULL WHERE number = 3 AND what = 1" },
    { "a key of a number below 0", "INSERT INTO report_key_recent VALUES (-5, 2, 'R-X')", 1,
      "keys of report number 0", 1 },
    { "a key of the largest number", "INSERT INTO report_key_recent VALUES "
      "(9223372036854775807, 1, 'x')", 6, "keys of report number 9223372036854775807", 1 },
    /* a NUL byte: C reads it short, SQLite in full (a list by actor or
     * party hid the report) */
    { "a NUL in the actor", "UPDATE search_report SET actor = actor || char(0) || 'x' WHERE "
      "number = 5", 5, "its actor is NULL or holds a NUL byte", 1 },
    { "a NUL in the note", "UPDATE search_report SET note = note || char(0) || 'x' WHERE "
      "number = 2", 2, "its note is NULL or holds a NUL byte", 1 },
    { "a NUL in a key", "UPDATE report_key_recent SET key = key || char(0) WHERE number = 3 "
      "AND what = 1", 3, "a key of it in the auditor's index is NULL or holds a NUL byte", 1 },
    { "a result count of NULL", "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = "
      "replace(sql, 'result_count INTEGER NOT NULL', 'result_count INTEGER') WHERE name = "
      "'search_report'", 3, "its result_count is NULL", 1,
      "UPDATE search_report SET result_count = NULL WHERE number = 3" },
    { "a checkpoint of size 0", "PRAGMA ignore_check_constraints = 1; INSERT INTO "
      "report_checkpoint VALUES (0, 0, 'x')", 1, "a checkpoint over no report", 1 },
    /* the tree */
    { "a leaf", "UPDATE report_node SET hash = zeroblob(32) WHERE pos = 0", 1,
      "another subtree", 1 },
    { "a subtree", "UPDATE report_node SET hash = zeroblob(32) WHERE level = 1 AND idx = 1", 4,
      "another subtree (level 1, index 1)", 1 },
    { "a leaf removed", "DELETE FROM report_node WHERE level = 0 AND idx = 2", 3,
      "keeps no subtree", 1 },
    { "a subtree more", "INSERT INTO report_node VALUES (100, 0, 60, zeroblob(32))", 6,
      "the tree keeps 9 subtrees", 1 },
    /* the checkpoints */
    { "a checkpoint removed", "DELETE FROM report_checkpoint WHERE size = 3", 1,
      "checkpoint over reports 1 to 3", 1 },
    { "the last checkpoint removed", "DELETE FROM report_checkpoint WHERE size = 5", 4,
      "checkpoint over reports 1 to 5", 1 },
    { "a checkpoint of another size", "UPDATE report_checkpoint SET note = (SELECT note FROM "
      "report_checkpoint WHERE size = 5) WHERE size = 3", 3, "signs a tree of size 5", 1 },
    { "a checkpoint of another log (signed)", "UPDATE report_checkpoint SET note = replace(note, "
      "'/reports', '/other') WHERE size = 3", 3, "not signed by a trusted key", 1 },
    { "a checkpoint of another log", "UPDATE report_checkpoint SET note = replace(note, "
      "'/reports', '/other') WHERE size = 3", 3, "of another log", 0 },
    { "a checkpoint not signed", "UPDATE report_checkpoint SET note = substr(note, 1, "
      "instr(note, char(10) || char(10))) WHERE size = 5", 5, "not a signed note", 0 },
    { "a checkpoint more", "INSERT INTO report_checkpoint SELECT 9, signed_at, note FROM "
      "report_checkpoint WHERE size = 5", 6, "over reports 1 to 9 is kept, but the last report "
      "kept is number 5", 1 },
    { "a report's checkpoint", "UPDATE search_report SET checkpoint = 5 WHERE number = 1", 1,
      "handed out with the checkpoint over reports 1 to 5", 1 },
    { "a report's checkpoint dropped", "UPDATE search_report SET checkpoint = NULL WHERE "
      "number = 4", 4, "names no checkpoint", 1 },
};

START_TEST(test_tamper)
{
    const tamper *t = &cases[_i];
    site s;
    uint64_t bad = 0, count = 0;
    char *sql = NULL;

    site_make(&s);
    ck_assert_int_ne(asprintf(&sql, "%s %s", drop_triggers, t->sql), -1);
    fx_ck_raw_exec(s.companion, sql);
    free(sql);
    if (t->then)
        fx_ck_raw_exec(s.companion, t->then);
    site_open(&s);
    PL_OK(s.reg, pledger_report_verify(&bad, &count, s.reg, t->trusted ? s.trusted : NULL));
    ck_assert_msg(bad == t->bad, "%s: report %llu named, not %llu: %s", t->what,
                  (unsigned long long)bad, (unsigned long long)t->bad, pledger_errmsg(s.reg));
    ck_assert_msg(strstr(pledger_errmsg(s.reg), t->says), "%s: '%s' not in: %s", t->what,
                  t->says, pledger_errmsg(s.reg));
    ck_assert_uint_ge(t->bad, 1);
    ck_assert_uint_eq(count, t->bad - 1);
    ck_assert_int_eq(pledger_errcode(s.reg), PLEDGER_ECORRUPT);
    site_free(&s);
}
END_TEST

/* A report, a subtree or a checkpoint removed from the end: the next
 * report is refused naming the file and what to run, nothing written;
 * before, it failed on the tree's key as a conflict. */
START_TEST(test_write_refused)
{
    static const char *const removed[] = {
        "DELETE FROM search_report WHERE number = 5",
        "DELETE FROM report_node WHERE pos = (SELECT max(pos) FROM report_node)",
        "DELETE FROM report_checkpoint WHERE size = 5",
        "DELETE FROM report_checkpoint",
    };
    for (size_t i = 0; i < sizeof removed / sizeof removed[0]; i++) {
        site s;
        char *sql = NULL;
        site_make(&s);
        ck_assert_int_ne(asprintf(&sql, "%s %s", drop_triggers, removed[i]), -1);
        fx_ck_raw_exec(s.companion, sql);
        free(sql);
        char *before = fx_ck_dump(s.companion, NULL);
        site_open(&s);
        fx_act(s.reg, "bank-a", PLEDGER_ROLE_BANK);
        pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
        r.query = "after";
        char *note = NULL;
        int rc = pledger_report_issue(&note, NULL, s.reg, &r, 1, s.signer);
        if (i == 3) {
            /* every checkpoint gone looks like a companion brought from
             * the first schema: the write goes on; the verification
             * finds the reports that name one */
            PL_OK(s.reg, rc);
            pledger_free(note);
            uint64_t bad = 0;
            fx_act(s.reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
            PL_OK(s.reg, pledger_report_verify(&bad, NULL, s.reg, s.trusted));
            ck_assert_uint_eq(bad, 1);
        } else {
            ck_assert_msg(rc == PLEDGER_ECORRUPT, "%zu: %d %s", i, rc, pledger_errmsg(s.reg));
            ck_assert_ptr_null(note);
            ck_assert_ptr_nonnull(strstr(pledger_errmsg(s.reg), s.companion));
            ck_assert_ptr_nonnull(strstr(pledger_errmsg(s.reg), "pledger_report_verify"));
            pledger_close(s.reg);
            s.reg = NULL;
            char *after = fx_ck_dump(s.companion, NULL);
            ck_assert_str_eq(before, after);
            free(after);
            site_open(&s);
        }
        free(before);
        site_free(&s);
    }
}
END_TEST

/* The reports' tree rewritten under the last checkpoint (here its last
 * subtree; a rewrite with every hash recomputed reads the same to the
 * write): the next group's checkpoint would contradict the one signed
 * before (C2SP tlog-checkpoint), so no report is recorded, naming the
 * checkpoint and both roots; nothing is written. */
START_TEST(test_rewritten_tree_not_signed_over)
{
    site s;
    char *sql = NULL;
    site_make(&s);
    ck_assert_int_ne(asprintf(&sql, "%s UPDATE report_node SET hash = zeroblob(32) "
                              "WHERE level = 0 AND idx = 4", drop_triggers), -1);
    fx_ck_raw_exec(s.companion, sql);
    free(sql);
    char *before = fx_ck_dump(s.companion, NULL);
    site_open(&s);
    fx_act(s.reg, "bank-a", PLEDGER_ROLE_BANK);
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.query = "after";
    char *note = NULL;
    /* the registry's mark of the 5 reports sees the other tree first */
    PL_FAILS(s.reg, PLEDGER_ECORRUPT, pledger_report_issue(&note, NULL, s.reg, &r, 1, s.signer));
    ck_assert_ptr_null(note);
    ck_assert_msg(strstr(pledger_errmsg(s.reg), "reports 1 to 5 are not those"), "%s",
                  pledger_errmsg(s.reg));
    pledger_close(s.reg);
    /* without the mark (a registry that lost it), the checkpoint does */
    fx_ck_raw_exec(s.path, "DELETE FROM meta WHERE key = 'reports_mark'");
    site_open(&s);
    fx_act(s.reg, "bank-a", PLEDGER_ROLE_BANK);
    PL_FAILS(s.reg, PLEDGER_ECORRUPT, pledger_report_issue(&note, NULL, s.reg, &r, 1, s.signer));
    ck_assert_ptr_null(note);
    ck_assert_msg(strstr(pledger_errmsg(s.reg), "checkpoint of the first 5 reports") &&
                  strstr(pledger_errmsg(s.reg), "rewritten"), "%s", pledger_errmsg(s.reg));
    pledger_close(s.reg);
    s.reg = NULL;
    char *after = fx_ck_dump(s.companion, NULL);
    ck_assert_str_eq(before, after);
    free(after);
    free(before);
    site_open(&s);
    site_free(&s);
}
END_TEST

/* A companion that is not this registry's -- copied from another office,
 * or from another registry of the same office -- takes no report: its
 * tail agrees with itself, but the next report would be numbered and
 * signed after another history.  Nothing is written. */
START_TEST(test_another_registrys_companion)
{
    site a, b;
    site_make(&a);
    site_make(&b);
    /* b: another registry of the same office, another journal */
    char *other = NULL;
    ck_assert_int_ne(asprintf(&other, "%s/other.db", a.dir), -1);
    pledger_registry *reg = NULL;
    fx_now_us = FX_T0 + 5000000;
    PL_OK(NULL, fx_open(&reg, other, "FZ02", 0, -1));
    char *n = NULL;
    PL_OK(reg, fx_registered(reg, PLEDGER_KIND_TRADEMARK, &n, NULL));
    fx_act(reg, "bank-a", PLEDGER_ROLE_BANK);
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.query = "elsewhere";
    char *note = NULL;
    PL_OK(reg, pledger_report_issue(&note, NULL, reg, &r, 1, a.signer));
    pledger_free(note);
    pledger_close(reg);
    struct { const char *from; const char *says; } copies[] = {
        { NULL, "holds the reports of 'pledger/FZ02', not of 'pledger/FZ01'" },
        { b.companion, "read from another history than this registry's journal" },
    };
    for (size_t i = 0; i < 2; i++) {
        char *from = NULL, *cmd = NULL;
        ck_assert_int_ne(asprintf(&from, "%s.reports", other), -1);
        ck_assert_int_ne(asprintf(&cmd, "cp '%s' '%s'", copies[i].from ? copies[i].from : from,
                                  a.companion), -1);
        ck_assert_int_eq(system(cmd), 0);
        free(cmd);
        free(from);
        char *before = fx_ck_dump(a.companion, NULL);
        site_open(&a);
        fx_act(a.reg, "bank-a", PLEDGER_ROLE_BANK);
        int rc = pledger_report_issue(&note, NULL, a.reg, &r, 1, a.signer);
        ck_assert_msg(rc == PLEDGER_ECORRUPT && strstr(pledger_errmsg(a.reg), copies[i].says) &&
                      strstr(pledger_errmsg(a.reg), a.companion), "%zu: %d %s", i, rc,
                      pledger_errmsg(a.reg));
        ck_assert_ptr_null(note);
        /* the auditor's verification says so too */
        uint64_t bad = 0;
        fx_act(a.reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
        PL_OK(a.reg, pledger_report_verify(&bad, NULL, a.reg, NULL));
        ck_assert_uint_eq(bad, 1);
        pledger_close(a.reg);
        a.reg = NULL;
        char *after = fx_ck_dump(a.companion, NULL);
        ck_assert_str_eq(before, after);
        free(before);
        free(after);
    }
    free(n);
    free(other);
    site_open(&a);
    site_free(&a);
    site_open(&b);
    site_free(&b);
}
END_TEST

/* The value of the registry's mark of the reports (allocated). */
static char *mark_of(const char *path)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    char *v = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT value FROM meta WHERE key = 'reports_mark'",
                                        -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

static void put_companion(site *s, const char *from)
{
    char *cmd = NULL;
    ck_assert_int_ne(asprintf(&cmd, "cp '%s' '%s' && rm -f '%s-wal' '%s-shm'", from,
                              s->companion, s->companion, s->companion), -1);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
}

/* pledgerd's way: one handle records without a sync, another syncs what
 * was recorded (pledger_report_sync).  The syncing handle marks at its
 * first sync, then not again within the mark's interval (a mark is a
 * commit of the registry, which every reader of it pays for), and marks
 * what it synced since when it is closed; a recording handle closed marks
 * nothing it did not sync. */
START_TEST(test_mark_of_synced_reports)
{
    site s;
    pledger_registry *syncer = NULL;
    site_make(&s);   /* 1-5, marked at the close */
    site_open(&s);
    fx_act(s.reg, "pledgerd", PLEDGER_ROLE_REGISTRAR);
    PL_OK(s.reg, pledger_report_set_autosync(s.reg, 0));
    PL_OK(NULL, fx_open(&syncer, s.path, NULL, 0, -1));
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.actor = "bank-a";
    r.role = PLEDGER_ROLE_BANK;
    r.query = "party_name=synced";
    issue(&s, &r, 1);   /* 6: not synced, not marked */
    char *m = mark_of(s.path);
    ck_assert_msg(!strncmp(m, "5 ", 2), "%s", m);
    free(m);
    PL_OK(syncer, pledger_report_sync(syncer));   /* its first: marked at once */
    m = mark_of(s.path);
    ck_assert_msg(!strncmp(m, "6 ", 2), "%s", m);
    free(m);
    issue(&s, &r, 1);
    issue(&s, &r, 1);   /* 7, 8 */
    PL_OK(syncer, pledger_report_sync(syncer));   /* within the interval */
    m = mark_of(s.path);
    ck_assert_msg(!strncmp(m, "6 ", 2), "%s", m);
    free(m);
    issue(&s, &r, 1);   /* 9: recorded after the last sync */
    pledger_close(s.reg);
    s.reg = NULL;
    m = mark_of(s.path);
    ck_assert_msg(!strncmp(m, "6 ", 2), "the recorder marks nothing: %s", m);
    free(m);
    pledger_close(syncer);   /* syncs what is there and marks it */
    m = mark_of(s.path);
    ck_assert_msg(!strncmp(m, "9 ", 2), "%s", m);
    free(m);
    /* and the mark holds: the auditor's check passes, the next report too */
    site_open(&s);
    uint64_t bad = 7, count = 0;
    PL_OK(s.reg, pledger_report_verify(&bad, &count, s.reg, s.trusted));
    ck_assert_msg(bad == 0, "%s", pledger_errmsg(s.reg));
    ck_assert_uint_eq(count, 9);
    fx_act(s.reg, "pledgerd", PLEDGER_ROLE_REGISTRAR);
    issue(&s, &r, 1);
    site_free(&s);
}
END_TEST

/* The companion cut at its end, an older copy of it put in its place, or
 * deleted, or another history of the same length: nothing inside it can
 * tell, the registry's mark of the reports can (that it held so many,
 * with that tree).  No report is recorded over it (a number would be
 * signed twice over different reports), the auditor's verification names
 * the first report missing, nothing is written; the latest copy put back,
 * all is well again. */
START_TEST(test_cut_or_older_copy)
{
    site s;
    /* reports 1-5 in one handle: marked at its first group (3), then at
     * its close, the mark of its second not due yet (5) */
    site_make(&s);
    char *m = mark_of(s.path);
    ck_assert_ptr_nonnull(m);
    ck_assert_msg(!strncmp(m, "5 ", 2), "%s", m);
    free(m);
    char *old = NULL, *latest = NULL;
    ck_assert_int_ne(asprintf(&old, "%s/old.reports", s.dir), -1);
    ck_assert_int_ne(asprintf(&latest, "%s/latest.reports", s.dir), -1);
    /* (the file holds them all: the close folded its log back) */
    char *cmd = NULL;
    ck_assert_int_ne(asprintf(&cmd, "cp '%s' '%s'", s.companion, old), -1);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    /* a handle's first report marks at once: 6 */
    site_open(&s);
    fx_act(s.reg, "pledgerd", PLEDGER_ROLE_REGISTRAR);
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.actor = "bank-a";
    r.role = PLEDGER_ROLE_BANK;
    r.query = "party_name=later";
    issue(&s, &r, 1);
    pledger_close(s.reg);
    s.reg = NULL;
    char *marked = mark_of(s.path);
    ck_assert_msg(!strncmp(marked, "6 ", 2), "%s", marked);
    ck_assert_int_ne(asprintf(&cmd, "cp '%s' '%s'", s.companion, latest), -1);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);

    /* the older copy (5 reports), and none at all */
    for (int deleted = 0; deleted < 2; deleted++) {
        put_companion(&s, old);
        if (deleted)
            unlink(s.companion);
        char *before = deleted ? NULL : fx_ck_dump(s.companion, NULL);
        site_open(&s);
        fx_act(s.reg, "pledgerd", PLEDGER_ROLE_REGISTRAR);
        char *note = NULL;
        PL_FAILS(s.reg, PLEDGER_ECORRUPT, pledger_report_issue(&note, NULL, s.reg, &r, 1,
                                                                 s.signer));
        ck_assert_ptr_null(note);
        ck_assert_msg(strstr(pledger_errmsg(s.reg), s.companion) &&
                      strstr(pledger_errmsg(s.reg), deleted ? "ends at report 0"
                                                            : "ends at report 5") &&
                      strstr(pledger_errmsg(s.reg), "that it held 6") &&
                      strstr(pledger_errmsg(s.reg), "older copy"), "%s", pledger_errmsg(s.reg));
        if (deleted)
            unlink(s.companion); /* the refused report made an empty one */
        uint64_t bad = 0, count = 9;
        fx_act(s.reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
        PL_OK(s.reg, pledger_report_verify(&bad, &count, s.reg, s.trusted));
        ck_assert_uint_eq(bad, deleted ? 1 : 6);
        ck_assert_uint_eq(count, deleted ? 0 : 5);
        ck_assert_msg(strstr(pledger_errmsg(s.reg), "that it held 6"), "%s",
                      pledger_errmsg(s.reg));
        pledger_close(s.reg);
        s.reg = NULL;
        if (!deleted) {
            char *after = fx_ck_dump(s.companion, NULL);
            ck_assert_str_eq(before, after);
            free(before);
            free(after);
        }
        char *still = mark_of(s.path);
        ck_assert_str_eq(still, marked);
        free(still);
    }

    /* another history of the same length: report 6 another question,
     * recorded while the mark was away */
    put_companion(&s, old);
    fx_ck_raw_exec(s.path, "DELETE FROM meta WHERE key = 'reports_mark'");
    site_open(&s);
    fx_act(s.reg, "pledgerd", PLEDGER_ROLE_REGISTRAR);
    r.query = "party_name=another";
    issue(&s, &r, 1);
    pledger_close(s.reg);
    s.reg = NULL;
    char *sql = NULL;
    ck_assert_int_ne(asprintf(&sql, "INSERT INTO meta(key, value) VALUES ('reports_mark', '%s') "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value", marked),
                     -1);
    fx_ck_raw_exec(s.path, sql);
    free(sql);
    site_open(&s);
    fx_act(s.reg, "pledgerd", PLEDGER_ROLE_REGISTRAR);
    char *note = NULL;
    PL_FAILS(s.reg, PLEDGER_ECORRUPT, pledger_report_issue(&note, NULL, s.reg, &r, 1, s.signer));
    ck_assert_msg(strstr(pledger_errmsg(s.reg), "are not those this registry recorded"), "%s",
                  pledger_errmsg(s.reg));
    uint64_t bad = 0;
    fx_act(s.reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
    PL_OK(s.reg, pledger_report_verify(&bad, NULL, s.reg, s.trusted));
    ck_assert_uint_eq(bad, 6);
    pledger_close(s.reg);
    s.reg = NULL;

    /* a mark that is none pledger writes: said, not taken for none */
    static const char *const garbled[] = { "six", "6 abc 1", "0 0 0", "6 ", "-6 00 1" };
    for (size_t i = 0; i < sizeof garbled / sizeof garbled[0]; i++) {
        put_companion(&s, latest);
        ck_assert_int_ne(asprintf(&sql, "UPDATE meta SET value = '%s' WHERE key = "
                                  "'reports_mark'", garbled[i]), -1);
        fx_ck_raw_exec(s.path, sql);
        free(sql);
        site_open(&s);
        fx_act(s.reg, "pledgerd", PLEDGER_ROLE_REGISTRAR);
        PL_FAILS(s.reg, PLEDGER_ECORRUPT, pledger_report_issue(&note, NULL, s.reg, &r, 1,
                                                                 s.signer));
        ck_assert_msg(strstr(pledger_errmsg(s.reg), "'reports_mark'"), "%s",
                      pledger_errmsg(s.reg));
        fx_act(s.reg, "auditor-1", PLEDGER_ROLE_AUDITOR);
        PL_FAILS(s.reg, PLEDGER_ECORRUPT, pledger_report_verify(&bad, NULL, s.reg, s.trusted));
        pledger_close(s.reg);
        s.reg = NULL;
    }
    ck_assert_int_ne(asprintf(&sql, "UPDATE meta SET value = '%s' WHERE key = 'reports_mark'",
                              marked), -1);
    fx_ck_raw_exec(s.path, sql);
    free(sql);

    /* the latest copy back: intact, and reports go on from 7; the journal
     * is intact with the mark in the registry (no event wrote it) */
    put_companion(&s, latest);
    site_open(&s);
    PL_OK(s.reg, pledger_report_verify(&bad, NULL, s.reg, s.trusted));
    ck_assert_uint_eq(bad, 0);
    int64_t jbad = -1;
    PL_OK(s.reg, pledger_journal_verify(&jbad, NULL, s.reg));
    ck_assert_int_eq(jbad, 0);
    fx_act(s.reg, "pledgerd", PLEDGER_ROLE_REGISTRAR);
    uint64_t number = 0;
    PL_OK(s.reg, pledger_report_issue(&note, &number, s.reg, &r, 1, s.signer));
    ck_assert_uint_eq(number, 7);
    pledger_free(note);
    free(marked);
    free(old);
    free(latest);
    site_free(&s);
}
END_TEST

/* A companion whose schema says version 1 without version 1's tables is
 * a damaged file, said so -- not SQLite's "duplicate column" as a failure
 * of input and output. */
START_TEST(test_false_version)
{
    site s;
    site_make(&s);
    fx_ck_raw_exec(s.companion, "PRAGMA user_version = 1");
    site_open(&s);
    fx_act(s.reg, "bank-a", PLEDGER_ROLE_BANK);
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.query = "after";
    char *note = NULL;
    PL_FAILS(s.reg, PLEDGER_ECORRUPT, pledger_report_issue(&note, NULL, s.reg, &r, 1, s.signer));
    ck_assert_msg(strstr(pledger_errmsg(s.reg), "says it holds version 1") &&
                  strstr(pledger_errmsg(s.reg), "restore it from a backup"), "%s",
                  pledger_errmsg(s.reg));
    site_free(&s);
}
END_TEST

/* A report whose actor is NULL (a NOT NULL removed from the schema): the
 * auditor's list says the file is damaged, naming the report; it said
 * "out of memory". */
START_TEST(test_null_in_a_list)
{
    site s;
    site_make(&s);
    char *sql = NULL;
    ck_assert_int_ne(asprintf(&sql, "%s PRAGMA writable_schema = ON; UPDATE sqlite_schema SET "
                              "sql = replace(sql, 'actor TEXT NOT NULL', 'actor TEXT') WHERE "
                              "name = 'search_report'", drop_triggers), -1);
    fx_ck_raw_exec(s.companion, sql);
    free(sql);
    fx_ck_raw_exec(s.companion, "UPDATE search_report SET actor = NULL WHERE number = 4");
    site_open(&s);
    pledger_report_list *l = NULL;
    pledger_report_filter f = PLEDGER_REPORT_FILTER_INIT;
    PL_FAILS(s.reg, PLEDGER_ECORRUPT, pledger_report_find(&l, s.reg, &f));
    ck_assert_msg(strstr(pledger_errmsg(s.reg), "search report 4: its actor is NULL"), "%s",
                  pledger_errmsg(s.reg));
    uint64_t bad = 0;
    PL_OK(s.reg, pledger_report_verify(&bad, NULL, s.reg, NULL));
    ck_assert_uint_eq(bad, 4);
    site_free(&s);
}
END_TEST

/* The reports' write-ahead log deleted under a handle that has written
 * reports: the next would go into the unlinked log, handed out and lost
 * at a crash, its number given again -- refused, naming the log. */
START_TEST(test_reports_log_deleted)
{
    site s;
    site_make(&s);
    site_open(&s);
    fx_act(s.reg, "bank-a", PLEDGER_ROLE_BANK);
    pledger_report_request r = PLEDGER_REPORT_REQUEST_INIT;
    r.query = "before";
    issue(&s, &r, 1);
    issue(&s, &r, 1);
    char *wal = NULL;
    ck_assert_int_ne(asprintf(&wal, "%s-wal", s.companion), -1);
    ck_assert_int_eq(access(wal, F_OK), 0);
    ck_assert_int_eq(unlink(wal), 0);
    char *note = NULL;
    r.query = "after";
    PL_FAILS(s.reg, PLEDGER_EIO, pledger_report_issue(&note, NULL, s.reg, &r, 1, s.signer));
    ck_assert_msg(strstr(pledger_errmsg(s.reg), wal) &&
                  strstr(pledger_errmsg(s.reg), "was deleted while open"), "%s",
                  pledger_errmsg(s.reg));
    ck_assert_ptr_null(note);
    free(wal);
    site_free(&s);
}
END_TEST

/* A key planted in a segment far beyond the last: the auditor's list by
 * party walks the segments kept, not every number up to it (it ran for
 * hours); the verification names the key. */
START_TEST(test_far_segment)
{
    site s;
    site_make(&s);
    char *sql = NULL;
    ck_assert_int_ne(asprintf(&sql, "%s INSERT INTO report_key VALUES (4000000000, 1, 'zz', 5)",
                              drop_triggers), -1);
    fx_ck_raw_exec(s.companion, sql);
    free(sql);
    site_open(&s);
    pledger_report_list *l = NULL;
    pledger_report_filter f = PLEDGER_REPORT_FILTER_INIT;
    f.party = "91440300MA5DXXXX1K";
    PL_OK(s.reg, pledger_report_find(&l, s.reg, &f));
    ck_assert_uint_eq(pledger_report_list_count(l), 1);
    pledger_report_list_free(l);
    uint64_t bad = 0;
    PL_OK(s.reg, pledger_report_verify(&bad, NULL, s.reg, NULL));
    ck_assert_uint_eq(bad, 5);
    ck_assert_msg(strstr(pledger_errmsg(s.reg), "out of its place"), "%s", pledger_errmsg(s.reg));
    site_free(&s);
}
END_TEST

/* The message is the registry's language too. */
START_TEST(test_translated)
{
    site s;
    uint64_t bad = 0;

    site_make(&s);
    char *sql = NULL;
    ck_assert_int_ne(asprintf(&sql, "%s %s", drop_triggers,
                              "UPDATE search_report SET actor = 'bank-z' WHERE number = 2"), -1);
    fx_ck_raw_exec(s.companion, sql);
    free(sql);
    site_open(&s);
    PL_OK(NULL, pledger_set_language("zh_CN"));
    PL_OK(s.reg, pledger_report_verify(&bad, NULL, s.reg, s.trusted));
    ck_assert_uint_eq(bad, 2);
    ck_assert_msg(strstr(pledger_errmsg(s.reg), "查询报告 2：其操作人在审计员读取的列表中为“bank-z”"),
                  "%s", pledger_errmsg(s.reg));
    /* the suite's other tests in English (without a fork, the language
     * stays with the process) */
    PL_OK(NULL, pledger_set_language("en"));
    site_free(&s);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("report-verify");
    TCase *tc = tcase_create("report-verify");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_intact);
    tcase_add_test(tc, test_none);
    tcase_add_loop_test(tc, test_tamper, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, test_write_refused);
    tcase_add_test(tc, test_rewritten_tree_not_signed_over);
    tcase_add_test(tc, test_translated);
    tcase_add_test(tc, test_another_registrys_companion);
    tcase_add_test(tc, test_cut_or_older_copy);
    tcase_add_test(tc, test_false_version);
    tcase_add_test(tc, test_null_in_a_list);
    tcase_add_test(tc, test_reports_log_deleted);
    tcase_add_test(tc, test_far_segment);
    tcase_add_test(tc, test_mark_of_synced_reports);
    suite_add_tcase(s, tc);
    return s;
}

PL_TEST_MAIN(suite)
