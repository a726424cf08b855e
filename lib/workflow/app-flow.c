/* Application steps: save, review, submit, accept, request correction,
 * correct, register, refuse, withdraw.  Each: one IMMEDIATE transaction,
 * role and state checked first, one journal event whose payload carries
 * every value the step writes (store/apply.c writes the rows from it). */
#include "workflow/app-flow.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "base/date.h"
#include "base/hash.h"
#include "base/i18n.h"
#include "base/ident.h"
#include "base/json.h"
#include "model/kinds.h"
#include "model/xml.h"
#include "rules/review.h"
#include "store/apply.h"
#include "store/ops-exchange.h"
#include "workflow/pledge-common.h"
#include "workflow/numbers.h"

int pl_wf_app_load(const pl_ctx *c, const char *uuid, pl_app_row *out)
{
    return PL_OPS(c->db, flow)->app_load(c->db, c->e, uuid, out);
}

int pl_wf_next_id(const pl_ctx *c, pl_id_of table, int64_t *out)
{
    return PL_OPS(c->db, flow)->id_next(c->db, c->e, table, out);
}

int pl_wf_own_application(const pl_ctx *c, const char *what, const pl_app_row *row)
{
    char *by;
    int rc = PL_OPS(c->db, flow)->app_filer(c->db, c->e, row->id, &by);
    bool own;

    if (rc)
        return rc;
    own = by && c->actor && strcmp(by, c->actor) == 0;
    free(by);
    if (own)
        return 0;
    return pl_err_set(c->e, PLEDGER_EPERM,
                      "%s: actor '%s' has role applicant and did not file application %s; "
                      "an applicant sees only its own applications", what,
                      c->actor ? c->actor : "(none)", row->uuid);
}

int pl_wf_app_state_on(const pl_ctx *c, const pl_app_row *row)
{
    if (row->state != PLEDGER_APP_CORRECTION_REQUESTED || row->correction_due == INT32_MIN ||
        row->correction_due >= pl_ctx_today(c))
        return row->state;
    if (c->site != PLEDGER_SITE_ACCEPTANCE_POINT)
        return PLEDGER_APP_WITHDRAWN;
    /* At an acceptance point, what it forwarded its office decides (and
     * reports); a correction the point asked for before it forwarded the
     * application is its own to decide, as its sweep does
     * (PL_SWEEP_CORRECTIONS).  Unreadable: left as stored. */
    pl_err none = { 0 };
    int64_t id = row->id;
    bool forwarded = true;
    if ((id || !PL_OPS(c->db, exchange)->app_id(c->db, &none, row->uuid, &id)) &&
        PL_OPS(c->db, exchange)->app_forwarded(c->db, &none, id, &forwarded))
        forwarded = true;
    return forwarded ? row->state : PLEDGER_APP_WITHDRAWN;
}

/* The state check of @step on @row, on today's date: an application whose
 * correction window closed is deemed withdrawn, and no step is taken on
 * it but the sweep's recording of that. */
static int check_state_today(const pl_ctx *c, pl_step step, const pl_app_row *row)
{
    int state = pl_wf_app_state_on(c, row), rc;
    if (state != row->state && !(pl_step_rule_of(step)->from & (1u << state))) {
        char due[11];
        pl_date_format(row->correction_due, due);
        return pl_err_set(c->e, PLEDGER_ESTATE,
                          "%s: application %s is deemed withdrawn: the correction requested "
                          "was due by %s and was not made", pl_step_rule_of(step)->name,
                          row->uuid, due);
    }
    if ((rc = pl_step_check_state(c->e, step, state, row->uuid)))
        return rc;
    /* An office decides what its acceptance point accepted no earlier
     * than the point says it accepted it: the point's clock may run
     * ahead of the office's (exchange-flow.c allows an hour), and a
     * registration recorded before its acceptance would count its days
     * backwards. */
    if (row->accepted_us > pl_ctx_now(c) &&
        (step == PL_STEP_REGISTER || step == PL_STEP_REFUSE ||
         step == PL_STEP_REQUEST_CORRECTION || step == PL_STEP_CORRECT)) {
        char at[32], now[32];
        pl_instant_format(row->accepted_us, at);
        pl_instant_format(pl_ctx_now(c), now);
        return pl_err_set(c->e, PLEDGER_ESTATE,
                          "%s: application %s was accepted at %s by its acceptance point's "
                          "clock, after this registry's now (%s): it can be decided from then "
                          "on", pl_step_rule_of(step)->name, row->uuid, at, now);
    }
    return 0;
}

/* The state @step leads to (workflow/states.c). */
static int target(pl_step step) { return pl_step_rule_of(step)->to; }

/* Begin a step on the application @uuid: role check, transaction, load,
 * state check. */
static int begin_step(const pl_ctx *c, pl_step step, const char *uuid, pl_app_row *row)
{
    int rc;

    memset(row, 0, sizeof *row);
    if ((rc = pl_step_check_site(c, step)))
        return rc;
    /* a self-filing pledgee (bulk-flow.c) accepts and registers */
    if (!(c->self_filing && (step == PL_STEP_ACCEPT || step == PL_STEP_REGISTER)) &&
        (rc = pl_step_check_role(c->e, step, c->role, c->actor, 0)))
        return rc;
    if ((rc = pl_db_write_begin(c->db, c->e)))
        return rc;
    if ((rc = pl_wf_app_load(c, uuid, row)) ||
        /* an applicant acts on the applications it filed, and on no other:
         * checked before the state, which would tell whether one exists */
        (c->role == PLEDGER_ROLE_APPLICANT &&
         (rc = pl_wf_own_application(c, pl_step_rule_of(step)->name, row))) ||
        (rc = check_state_today(c, step, row)) ||
        (c->self_filing && !pl_kind(row->kind)->pledgee_files &&
         (rc = pl_step_check_role(c->e, step, c->role, c->actor, 0)))) {
        pl_db_rollback(c->db);
        pl_app_row_clear(row);
    }
    return rc;
}

/* ---- the document in a payload ------------------------------------------- */

typedef struct doc_facts {
    char *xml;
    char hash[65];
    pl_app *app;
} doc_facts;

static void doc_facts_clear(doc_facts *f)
{
    free(f->xml);
    pl_app_free(f->app);
    memset(f, 0, sizeof *f);
}

static int doc_facts_of(const pl_ctx *c, pl_doc *doc, doc_facts *f)
{
    unsigned char digest[32];
    size_t len = 0;
    int rc;

    memset(f, 0, sizeof *f);
    if ((rc = pl_doc_to_xml(doc, c->e, &f->xml, &len)) ||
        (rc = pl_doc_extract(doc, c->e, pl_ctx_today(c), &f->app)))
        goto fail;
    if ((rc = pl_hash(PL_HASH_SHA256, f->xml, len, digest))) {
        rc = pl_err_set(c->e, rc, "hashing the application document");
        goto fail;
    }
    pl_hex(digest, sizeof digest, f->hash);
    return 0;
fail:
    doc_facts_clear(f);
    return rc;
}

/* The facts of a document received as @len bytes whose SHA-256 is @digest
 * (pl_doc_parse_received() checked it): stored as received, not written
 * again. */
static int doc_facts_received(const pl_ctx *c, pl_doc *doc, const char *bytes, size_t len,
                              const char *digest, doc_facts *f)
{
    int rc;

    memset(f, 0, sizeof *f);
    if (!(f->xml = malloc(len + 1)))
        return pl_err_oom(c->e);
    memcpy(f->xml, bytes, len);
    f->xml[len] = '\0';
    snprintf(f->hash, sizeof f->hash, "%s", digest);
    if ((rc = pl_doc_extract(doc, c->e, pl_ctx_today(c), &f->app)))
        doc_facts_clear(f);
    return rc;
}

/* Members describing the document: document, doc_hash, parties, amount,
 * right keys (for "pending application on the same right"). */
static void json_doc(pl_json *j, const doc_facts *f)
{
    const pl_app *a = f->app;
    const pl_app_amount *amt = &a->claim.amount;

    if (amt->valid)
        pl_json_int(j, "amount", amt->minor);
    else
        pl_json_null(j, "amount");
    pl_json_str(j, "currency", amt->currency);
    pl_json_str(j, "doc_hash", f->hash);
    pl_json_str(j, "document", f->xml);
    pl_json_str(j, "pledgee_id", a->pledgee.id_norm);
    pl_json_str(j, "pledgee_key", a->pledgee.name_key);
    pl_json_str(j, "pledgee_name", a->pledgee.name.text);
    pl_json_str(j, "pledgor_id", a->pledgor.id_norm);
    pl_json_str(j, "pledgor_key", a->pledgor.name_key);
    pl_json_str(j, "pledgor_name", a->pledgor.name.text);
    pl_json_begin_array(j, "rights");
    for (size_t i = 0; i < a->n_rights; i++)
        if (a->rights[i].key)
            pl_json_item_str(j, a->rights[i].key);
    pl_json_end_array(j);
}

/* ---- save ------------------------------------------------------------------ */

static int create(const pl_ctx *c, pl_doc *doc, char **uuid_out)
{
    char uuid[37];
    uuid_t u;
    doc_facts f;
    int64_t id;
    pl_json j;
    int rc;

    if ((rc = pl_step_check_role(c->e, PL_STEP_SAVE, c->role, c->actor, 0)))
        return rc;
    uuid_generate_random(u);
    uuid_unparse_lower(u, uuid);
    if ((rc = pl_db_write_begin(c->db, c->e)))
        return rc;
    /* the document is read at the step's date: under the lock */
    if ((rc = doc_facts_of(c, doc, &f)))
        return pl_step_finish(c, rc);
    if (!(rc = pl_wf_next_id(c, PL_ID_APPLICATION, &id))) {
        pl_json_init(&j);
        pl_json_int(&j, "application_id", id);
        json_doc(&j, &f);
        pl_json_int(&j, "kind", (int64_t)pl_doc_kind(doc));
        pl_json_int(&j, "state", target(PL_STEP_SAVE));
        pl_json_str(&j, "uuid", uuid);
        rc = pl_wf_record(c, PL_OP_APP_CREATE, uuid, &j);
    }
    doc_facts_clear(&f);
    if ((rc = pl_step_finish(c, rc)))
        return rc;
    if (!(*uuid_out = strdup(uuid)))
        return pl_err_oom(c->e);
    return 0;
}

/* The first finding of @f that blocks submission (blocking or
 * correctable), or NULL; @counts: the counts by severity. */
static const pl_finding *first_blocking(const pl_findings *f, size_t counts[5])
{
    pl_findings_count(f, counts);
    for (size_t i = 0; i < f->n; i++)
        if (f->v[i].severity == PLEDGER_SEVERITY_BLOCKING ||
            f->v[i].severity == PLEDGER_SEVERITY_CORRECTABLE)
            return &f->v[i];
    return NULL;
}

/* A corrected document is reviewed as a submission is (not recorded: the
 * step's one event is the correction; registration reviews a document no
 * recorded review saw, check_reviewed()): PLEDGER_EREVIEW while the
 * review has a blocking or correctable finding. */
static int review_blocks(const pl_ctx *c, const pl_app_row *row, const pl_app *a)
{
    pl_review_env env = { .today = pl_ctx_today(c), .application_id = row->id };
    pl_findings found = { 0 };
    const pl_finding *first;
    size_t n[5];
    int rc;

    if (!(rc = pl_review_run(c->db, c->e, a, &env, &found)) &&
        (first = first_blocking(&found, n)))
        rc = pl_err_set(c->e, PLEDGER_EREVIEW,
                        "correct: the review of the corrected document of application %s "
                        "has %zu blocking and %zu correctable findings (the first: %s at "
                        "%s: %s); nothing was recorded: cure them and correct again",
                        row->uuid, n[PLEDGER_SEVERITY_BLOCKING],
                        n[PLEDGER_SEVERITY_CORRECTABLE], first->code, first->path,
                        pl_frag_pair(first->message, pl_finding_text(first)));
    pl_findings_clear(&found);
    return rc;
}

/* Replace the document (save of a draft, or a correction).  A correction
 * is reviewed as a submission is: refused, nothing recorded, while the
 * review of the corrected document has a blocking or correctable finding
 * (review_blocks()). */
static int replace_doc(const pl_ctx *c, pl_step step, const char *uuid, pl_doc *doc)
{
    pl_app_row row;
    doc_facts f;
    pl_json j;
    int rc;

    if ((rc = begin_step(c, step, uuid, &row)))
        return rc;
    if ((rc = doc_facts_of(c, doc, &f))) {
        pl_app_row_clear(&row);
        return pl_step_finish(c, rc);
    }
    if (row.kind != (int)pl_doc_kind(doc)) {
        rc = pl_err_set(c->e, PLEDGER_EINVAL,
                        "@kind: application %s is a %s application; the document is a %s one",
                        uuid, pl_kind(row.kind)->name, pl_kind(pl_doc_kind(doc))->name);
    } else if (step == PL_STEP_CORRECT && (rc = review_blocks(c, &row, f.app))) {
        /* refused: nothing recorded */
    } else {
        pl_json_init(&j);
        pl_json_int(&j, "application_id", row.id);
        json_doc(&j, &f);
        pl_json_int(&j, "state", target(step));
        rc = pl_wf_record(c, pl_step_operation(step), uuid, &j);
    }
    doc_facts_clear(&f);
    pl_app_row_clear(&row);
    return pl_step_finish(c, rc);
}

int pl_wf_save(const pl_ctx *c, pl_doc *doc, char **uuid)
{
    if (!*uuid)
        return create(c, doc, uuid);
    return replace_doc(c, PL_STEP_SAVE, *uuid, doc);
}

int pl_wf_correct(const pl_ctx *c, const char *uuid, pl_doc *doc)
{
    return replace_doc(c, PL_STEP_CORRECT, uuid, doc);
}

/* ---- review ---------------------------------------------------------------- */

/* The stored document, parsed and extracted. */
int pl_wf_stored_app(const pl_ctx *c, const pl_app_row *row, pl_doc **doc, pl_app **app)
{
    int rc;
    *doc = NULL;
    *app = NULL;
    if ((rc = pl_doc_parse_stored(doc, c->e, row->document, strlen(row->document),
                                  row->doc_hash)))
        return pl_err_prefix(c->e, "stored application %s", row->uuid);
    if ((rc = pl_doc_extract(*doc, c->e, pl_ctx_today(c), app))) {
        pl_doc_free(*doc);
        *doc = NULL;
    }
    return rc;
}

/* Review the application @row (the step's transaction open), recording
 * the findings and the state @state.  @known: its document already read
 * and extracted at the step's date (NULL: read the stored one). */
static int review_row(const pl_ctx *c, const pl_app_row *row, int state, const pl_app *known,
                      pl_findings *out)
{
    pl_doc *doc = NULL;
    pl_app *app = NULL;
    size_t counts[5];
    int64_t review_id;
    char *findings = NULL;
    pl_json j;
    int rc;

    pl_review_env env = { .today = pl_ctx_today(c), .application_id = row->id,
                          .memo = c->review_memo };
    if ((!known && (rc = pl_wf_stored_app(c, row, &doc, &app))) ||
        (rc = pl_review_run(c->db, c->e, known ? known : app, &env, out)) ||
        (rc = pl_wf_next_id(c, PL_ID_REVIEW, &review_id)))
        goto done;
    if (!(findings = pl_findings_json(out))) {
        rc = pl_err_oom(c->e);
        goto done;
    }
    pl_findings_count(out, counts);
    pl_json_init(&j);
    pl_json_int(&j, "application_id", row->id);
    pl_json_int(&j, "blocking", (int64_t)counts[PLEDGER_SEVERITY_BLOCKING]);
    pl_json_int(&j, "correctable", (int64_t)counts[PLEDGER_SEVERITY_CORRECTABLE]);
    pl_json_str(&j, "doc_hash", row->doc_hash);
    pl_json_raw(&j, "findings", findings);
    pl_json_int(&j, "notices", (int64_t)counts[PLEDGER_SEVERITY_NOTICE]);
    pl_json_int(&j, "review_id", review_id);
    pl_json_int(&j, "risks", (int64_t)counts[PLEDGER_SEVERITY_RISK]);
    pl_json_int(&j, "state", state);
    rc = pl_wf_record(c, pl_step_operation(PL_STEP_REVIEW), row->uuid, &j);
done:
    free(findings);
    pl_app_free(app);
    pl_doc_free(doc);
    return rc;
}

int pl_wf_review(const pl_ctx *c, const char *uuid, pl_findings *out)
{
    pl_app_row row;
    int rc;

    if ((rc = begin_step(c, PL_STEP_REVIEW, uuid, &row)))
        return rc;
    rc = review_row(c, &row,
                    row.state == PLEDGER_APP_CORRECTION_REQUESTED ? row.state
                                                                  : PLEDGER_APP_REVIEWED,
                    NULL, out);
    pl_app_row_clear(&row);
    return pl_step_finish(c, rc);
}

/* ---- received from an acceptance point (exchange-flow.c) ------------------ */

int pl_wf_receive(const pl_ctx *c, const pl_wf_received *in, pl_findings *findings)
{
    pl_app_row row;
    pl_doc *doc = NULL;
    doc_facts f;
    int64_t id;
    pl_json j;
    int rc;

    memset(&f, 0, sizeof f);
    if ((rc = pl_db_write_begin(c->db, c->e)))
        return rc;
    if ((rc = pl_wf_app_load(c, in->uuid, &row)) != PLEDGER_ENOTFOUND) {
        if (!rc) {
            rc = pl_err_set(c->e, PLEDGER_ECONFLICT,
                            "application %s is already in this registry (%s)", in->uuid,
                            pl_app_state_name(row.state));
            pl_app_row_clear(&row);
        }
        return pl_step_finish(c, rc);
    }
    pl_err_clear(c->e);
    if ((rc = pl_doc_parse_received(&doc, c->e, in->document, in->document_len, in->digest)) ||
        (rc = doc_facts_received(c, doc, in->document, in->document_len, in->digest, &f)))
        goto done;
    if ((int)pl_doc_kind(doc) != in->kind) {
        rc = pl_err_set(c->e, PLEDGER_EINVAL, "@kind: the item says %s, the document is a %s "
                        "application", pl_kind(in->kind) ? pl_kind(in->kind)->name : "?",
                        pl_kind(pl_doc_kind(doc))->name);
        goto done;
    }
    if ((rc = pl_wf_next_id(c, PL_ID_APPLICATION, &id)))
        goto done;
    pl_json_init(&j);
    pl_json_str(&j, "acceptance_number", in->acceptance_number);
    pl_json_int(&j, "accepted_at", in->at_us);
    pl_json_str(&j, "accepted_by", in->by);
    pl_json_int(&j, "application_id", id);
    json_doc(&j, &f);
    pl_json_int(&j, "kind", in->kind);
    pl_json_str(&j, "office", in->office);
    pl_json_str(&j, "origin", in->origin);
    pl_json_int(&j, "state", PLEDGER_APP_ACCEPTED);
    pl_json_str(&j, "uuid", in->uuid);
    if ((rc = pl_wf_record(c, PL_OP_APP_RECEIVE, in->uuid, &j)) ||
        (rc = pl_wf_app_load(c, in->uuid, &row)))
        goto done;
    rc = review_row(c, &row, PLEDGER_APP_ACCEPTED, f.app, findings);
    pl_app_row_clear(&row);
done:
    doc_facts_clear(&f);
    pl_doc_free(doc);
    return pl_step_finish(c, rc);
}

int pl_wf_receive_correction(const pl_ctx *c, const pl_wf_received *in, pl_findings *findings)
{
    pl_app_row row;
    pl_doc *doc = NULL;
    doc_facts f;
    pl_json j;
    int rc;

    memset(&f, 0, sizeof f);
    if ((rc = pl_db_write_begin(c->db, c->e)))
        return rc;
    if ((rc = pl_wf_app_load(c, in->uuid, &row)))
        return pl_step_finish(c, rc);
    if (row.state != PLEDGER_APP_CORRECTION_REQUESTED) {
        rc = pl_err_set(c->e, PLEDGER_ESTATE, "correction of application %s: it is %s, not "
                        "awaiting correction", in->uuid, pl_app_state_name(row.state));
        goto done;
    }
    if ((rc = pl_doc_parse_received(&doc, c->e, in->document, in->document_len, in->digest)) ||
        (rc = doc_facts_received(c, doc, in->document, in->document_len, in->digest, &f)))
        goto done;
    if ((int)pl_doc_kind(doc) != row.kind) {
        rc = pl_err_set(c->e, PLEDGER_EINVAL, "correction of application %s: the document is "
                        "not a %s application", in->uuid, pl_kind(row.kind)->name);
        goto done;
    }
    pl_json_init(&j);
    pl_json_int(&j, "application_id", row.id);
    pl_json_int(&j, "corrected_at", in->at_us);
    pl_json_str(&j, "corrected_by", in->by);
    json_doc(&j, &f);
    pl_json_int(&j, "state", PLEDGER_APP_ACCEPTED);
    if ((rc = pl_wf_record(c, PL_OP_APP_RECEIVE_CORRECTION, in->uuid, &j)))
        goto done;
    pl_app_row_clear(&row);
    if ((rc = pl_wf_app_load(c, in->uuid, &row)))
        goto done_doc;
    rc = review_row(c, &row, PLEDGER_APP_ACCEPTED, f.app, findings);
done:
    pl_app_row_clear(&row);
done_doc:
    doc_facts_clear(&f);
    pl_doc_free(doc);
    return pl_step_finish(c, rc);
}

/* Whether application @id left this registry in a batch before. */
static int was_forwarded(const pl_ctx *c, int64_t id, bool *out)
{
    return PL_OPS(c->db, exchange)->app_forwarded(c->db, c->e, id, out);
}

/* The text of @parent's child @name ("" when absent), at most @size-1
 * bytes. */
static void cert_text(xmlNodePtr parent, const char *name, char *out, size_t size)
{
    xmlNodePtr n = parent ? pl_xml_child(parent, name) : NULL;
    xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
    snprintf(out, size, "%s", t ? (const char *)t : "");
    xmlFree(t);
}

/* Whether the certificate @cert of a "registered" result is the one the
 * office issued for application @row (@app: its document extracted)
 * under @number: it names that application, its acceptance number, its
 * kind and its rights (identifier and classes, in the document's
 * order), and the number. */
static int check_certificate(const pl_ctx *c, const pl_app_row *row, const pl_app *app,
                             const char *number, const char *cert)
{
    const char *what = "certificate";
    const pl_kind_info *k = pl_kind(row->kind);
    xmlDocPtr doc = NULL;
    char v[128];
    size_t n = 0;
    int rc;

    if ((rc = pl_xml_check_utf8_declared(c->e, cert, strlen(cert), what)) ||
        (rc = pl_xml_parse(c->e, cert, strlen(cert), what, &doc)) ||
        (rc = pl_xml_validate(c->e, doc, PL_XML_SCHEMA, what)))
        goto done;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!pl_xml_is(root, "certificate")) {
        rc = pl_err_set(c->e, PLEDGER_EINVAL, "certificate: the root is <%s>, not <certificate>",
                        (const char *)root->name);
        goto done;
    }
    cert_text(root, "application", v, sizeof v);
    if (strcmp(v, row->uuid) != 0) {
        rc = pl_err_set(c->e, PLEDGER_EINVAL, "certificate/application: the certificate is "
                        "for application '%s', not %s", v, row->uuid);
        goto done;
    }
    cert_text(root, "kind", v, sizeof v);
    if (strcmp(v, k->name) != 0) {
        rc = pl_err_set(c->e, PLEDGER_EINVAL, "certificate/kind: the certificate is of a %s; "
                        "application %s is of a %s", v, row->uuid, k->name);
        goto done;
    }
    cert_text(root, "registration_number", v, sizeof v);
    if (strcmp(v, number) != 0) {
        rc = pl_err_set(c->e, PLEDGER_EINVAL, "certificate/registration_number: the "
                        "certificate gives '%s'; the result gives '%s'", v, number);
        goto done;
    }
    cert_text(root, "acceptance_number", v, sizeof v);
    if (row->acceptance_number && strcmp(v, row->acceptance_number) != 0) {
        rc = pl_err_set(c->e, PLEDGER_EINVAL, "certificate/acceptance_number: the certificate "
                        "gives '%s'; application %s was accepted as '%s'", v, row->uuid,
                        row->acceptance_number);
        goto done;
    }
    xmlNodePtr rights = pl_xml_child(root, "rights");
    for (xmlNodePtr r = rights ? rights->children : NULL; r; r = r->next) {
        if (r->type != XML_ELEMENT_NODE)
            continue;
        char id[256], classes[256];
        cert_text(r, "identifier", id, sizeof id);
        cert_text(r, "classes", classes, sizeof classes);
        const pl_app_right *ar = n < app->n_rights ? &app->rights[n] : NULL;
        const pl_app_ident *ai = ar ? pl_app_right_ident(ar) : NULL;
        const char *want = ar ? (ai ? ai->norm : ar->key) : NULL;
        /* a receivable certified before its key was made anew is named
         * the old way (model/application.h, label) */
        bool named = want && (strcmp(id, want) == 0 ||
                              (!ai && ar->label && strcmp(id, ar->label) == 0));
        n++;
        if (!ar || !pl_xml_is(r, k->name) || !named ||
            strcmp(classes, ar->classes_raw ? ar->classes_raw : "") != 0) {
            rc = pl_err_set(c->e, PLEDGER_EINVAL, "certificate/rights/%s[%zu]: '%s' is not "
                            "the right %zu of application %s", (const char *)r->name, n, id,
                            n, row->uuid);
            goto done;
        }
    }
    if (n != app->n_rights)
        rc = pl_err_set(c->e, PLEDGER_EINVAL, "certificate/rights: %zu rights; application %s "
                        "has %zu", n, row->uuid, app->n_rights);
done:
    xmlFreeDoc(doc);
    return rc;
}

/* What a result says, against the application @row it is for: the fields
 * of its decision only (a number and certificate for "registered" and
 * nothing else; a ground for "refused"; a due day after the request for
 * "correction_requested"), a number no other application has, a
 * certificate that is this application's (check_certificate). */
static int check_result(const pl_ctx *c, const pl_app_row *row, const pl_wf_decision *in)
{
    const char *state = pl_app_state_name(in->state);
    bool registered = in->state == PLEDGER_APP_REGISTERED;
    char holder[37];
    int rc;

    if (in->at_us <= 0)
        return pl_err_set(c->e, PLEDGER_EINVAL, "at: %" PRId64 " is not an instant of the "
                          "decision (microseconds since 1970, above 0)", in->at_us);
    if (!registered && in->number)
        return pl_err_set(c->e, PLEDGER_EINVAL, "registration_number: a %s result carries "
                          "none", state);
    if (!registered && in->certificate)
        return pl_err_set(c->e, PLEDGER_EINVAL, "certificate: a %s result carries none",
                          state);
    if (in->state == PLEDGER_APP_REFUSED && (!in->ground || !*in->ground))
        return pl_err_set(c->e, PLEDGER_EINVAL, "ground: a refused result names its ground");
    if (in->state != PLEDGER_APP_CORRECTION_REQUESTED && in->due != INT32_MIN)
        return pl_err_set(c->e, PLEDGER_EINVAL, "due: a %s result carries none", state);
    if (in->state == PLEDGER_APP_CORRECTION_REQUESTED) {
        if (in->due == INT32_MIN)
            return pl_err_set(c->e, PLEDGER_EINVAL, "due: a correction_requested result "
                              "gives the day the correction is due");
        /* the day of the request, UTC: an office east or west of it
         * counts its days from its own midnight, never before that day's */
        int32_t asked = (int32_t)(in->at_us / INT64_C(86400000000));
        if (in->due < asked) {
            char d1[16], d2[16];
            pl_date_format(in->due, d1);
            pl_date_format(asked, d2);
            return pl_err_set(c->e, PLEDGER_EINVAL, "due: %s (day %" PRId32 ") is before "
                              "the request (%s)", d1, in->due, d2);
        }
    }
    if (!registered)
        return 0;
    if ((rc = PL_OPS(c->db, exchange)->number_holder(c->db, c->e, in->number, row->uuid,
                                                     holder)))
        return rc;
    if (*holder)
        return pl_err_set(c->e, PLEDGER_ECONFLICT, "registration_number: '%.64s' is already "
                          "application %s's", in->number, holder);
    pl_doc *doc = NULL;
    pl_app *app = NULL;
    if (!(rc = pl_wf_stored_app(c, row, &doc, &app)))
        rc = check_certificate(c, row, app, in->number, in->certificate);
    pl_app_free(app);
    pl_doc_free(doc);
    return rc;
}

int pl_wf_result(const pl_ctx *c, const pl_wf_decision *in)
{
    pl_app_row row;
    pl_json j;
    int rc;

    if ((rc = pl_db_write_begin(c->db, c->e)))
        return rc;
    if ((rc = pl_wf_app_load(c, in->uuid, &row)))
        return pl_step_finish(c, rc);
    /* The office's word is final: an application it deemed withdrawn
     * (the correction it asked for never came in time) is withdrawn here
     * too, whether the correction is still awaited or made and not yet
     * sent.  Every other decision answers what was forwarded. */
    bool withdrawable = row.state == PLEDGER_APP_CORRECTION_REQUESTED;
    if (row.state == PLEDGER_APP_ACCEPTED && in->state == PLEDGER_APP_WITHDRAWN &&
        (rc = was_forwarded(c, row.id, &withdrawable))) {
        pl_app_row_clear(&row);
        return pl_step_finish(c, rc);
    }
    if (row.state != PLEDGER_APP_FORWARDED &&
        !(in->state == PLEDGER_APP_WITHDRAWN && withdrawable)) {
        rc = pl_err_set(c->e, PLEDGER_ESTATE, "result for application %s: it is %s, not "
                        "forwarded", in->uuid, pl_app_state_name(row.state));
    } else if (in->state != PLEDGER_APP_REGISTERED && in->state != PLEDGER_APP_REFUSED &&
               in->state != PLEDGER_APP_WITHDRAWN &&
               in->state != PLEDGER_APP_CORRECTION_REQUESTED) {
        rc = pl_err_set(c->e, PLEDGER_EINVAL, "result for application %s: state %s is not a "
                        "decision", in->uuid, pl_app_state_name(in->state) ?
                        pl_app_state_name(in->state) : "?");
    } else if (in->state == PLEDGER_APP_REGISTERED && (!in->number || !in->certificate)) {
        rc = pl_err_set(c->e, PLEDGER_EINVAL, "result for application %s: registered without "
                        "a registration number and certificate", in->uuid);
    } else if ((rc = check_result(c, &row, in))) {
        /* the caller names the item and the application */
    } else {
        bool decided = in->state != PLEDGER_APP_CORRECTION_REQUESTED;
        pl_json_init(&j);
        pl_json_int(&j, "application_id", row.id);
        pl_json_str(&j, "certificate", in->certificate);
        pl_json_str(&j, "correction_note", decided ? NULL : in->note);
        if (decided) {
            pl_json_null(&j, "correction_at");
            pl_json_int(&j, "decided_at", in->at_us);
        } else {
            pl_json_int(&j, "correction_at", in->at_us);
            pl_json_null(&j, "decided_at");
        }
        pl_json_str(&j, "decided_by", decided ? in->by : NULL);
        if (!decided && in->due != INT32_MIN)
            pl_json_int(&j, "due", in->due);
        else
            pl_json_null(&j, "due");
        pl_json_str(&j, "ground", in->state == PLEDGER_APP_REFUSED ? in->ground : NULL);
        pl_json_str(&j, "note", decided ? in->note : NULL);
        pl_json_str(&j, "registration_number", in->number);
        pl_json_str(&j, "site_actor", in->by);
        pl_json_int(&j, "state", in->state);
        pl_json_str(&j, "withdrawn_reason", in->state == PLEDGER_APP_WITHDRAWN ? in->ground
                                                                                : NULL);
        rc = pl_wf_record(c, PL_OP_APP_RESULT, in->uuid, &j);
    }
    pl_app_row_clear(&row);
    return pl_step_finish(c, rc);
}

/* ---- submit, accept, correction, refuse, withdraw -------------------------- */

int pl_wf_submit(const pl_ctx *c, const char *uuid)
{
    pl_app_row row;
    pl_review_last last;
    pl_json j;
    int rc;

    if ((rc = begin_step(c, PL_STEP_SUBMIT, uuid, &row)))
        return rc;
    if ((rc = PL_OPS(c->db, flow)->review_last(c->db, c->e, row.id, row.doc_hash, &last)))
        goto done;
    if (!last.found) {
        rc = pl_err_set(c->e, PLEDGER_EREVIEW, "submit: application %s was never reviewed",
                        uuid);
    } else if (!last.same_doc) {
        rc = pl_err_set(c->e, PLEDGER_EREVIEW,
                        "submit: application %s changed since its last review; review it again",
                        uuid);
    } else if (last.blocking > 0 || last.correctable > 0) {
        rc = pl_err_set(c->e, PLEDGER_EREVIEW,
                        "submit: the last review of application %s has %d blocking and %d "
                        "correctable findings; cure them and review again",
                        uuid, last.blocking, last.correctable);
    }
    if (rc)
        goto done;
    pl_json_init(&j);
    pl_json_int(&j, "application_id", row.id);
    pl_json_int(&j, "state", target(PL_STEP_SUBMIT));
    rc = pl_wf_record(c, pl_step_operation(PL_STEP_SUBMIT), uuid, &j);
done:
    pl_app_row_clear(&row);
    return pl_step_finish(c, rc);
}

static int year_of(const pl_ctx *c)
{
    int y;
    unsigned m, d;
    pl_civil_from_days(pl_ctx_today(c), &y, &m, &d);
    return y;
}

static void json_sequence(pl_json *j, const char *series, const pl_number *n)
{
    pl_json_begin_object(j, "sequence");
    pl_json_str(j, "name", series);
    pl_json_str(j, "scope", n->scope);
    pl_json_int(j, "value", n->value);
    pl_json_end_object(j);
}

int pl_wf_accept(const pl_ctx *c, const char *uuid, char **number_out)
{
    pl_app_row row;
    pl_number num;
    pl_json j;
    int rc;

    if ((rc = begin_step(c, PL_STEP_ACCEPT, uuid, &row)))
        return rc;
    if (!(rc = pl_number_next(c->db, c->e, PL_SERIES_ACCEPTANCE, c->office,
                              pl_kind(row.kind)->code, year_of(c), &num))) {
        pl_json_init(&j);
        pl_json_str(&j, "acceptance_number", num.number);
        pl_json_int(&j, "application_id", row.id);
        pl_json_str(&j, "office", c->office);
        json_sequence(&j, PL_SERIES_ACCEPTANCE, &num);
        pl_json_int(&j, "state", target(PL_STEP_ACCEPT));
        rc = pl_wf_record(c, pl_step_operation(PL_STEP_ACCEPT), uuid, &j);
    }
    pl_app_row_clear(&row);
    if ((rc = pl_step_finish(c, rc)))
        return rc;
    if (number_out && !(*number_out = strdup(num.number)))
        return pl_err_oom(c->e);
    return 0;
}

int pl_wf_request_correction(const pl_ctx *c, const char *uuid, const char *note)
{
    pl_app_row row;
    pl_json j;
    int rc;

    if ((rc = begin_step(c, PL_STEP_REQUEST_CORRECTION, uuid, &row)))
        return rc;
    pl_json_init(&j);
    pl_json_int(&j, "application_id", row.id);
    pl_json_int(&j, "due", pl_ctx_today(c) + 30);
    pl_json_str(&j, "note", note);
    pl_json_int(&j, "state", target(PL_STEP_REQUEST_CORRECTION));
    rc = pl_wf_record(c, pl_step_operation(PL_STEP_REQUEST_CORRECTION), uuid, &j);
    pl_app_row_clear(&row);
    return pl_step_finish(c, rc);
}

static int decide(const pl_ctx *c, pl_step step, const char *uuid, const char *ground,
                  const char *note, const char *withdrawn_reason)
{
    pl_app_row row;
    pl_json j;
    int rc;

    if ((rc = begin_step(c, step, uuid, &row)))
        return rc;
    pl_json_init(&j);
    pl_json_int(&j, "application_id", row.id);
    pl_json_str(&j, "ground", ground);
    pl_json_str(&j, "note", note);
    pl_json_int(&j, "state", target(step));
    pl_json_str(&j, "withdrawn_reason", withdrawn_reason);
    rc = pl_wf_record(c, pl_step_operation(step), uuid, &j);
    pl_app_row_clear(&row);
    return pl_step_finish(c, rc);
}

int pl_wf_refuse(const pl_ctx *c, const char *uuid, const char *ground, const char *note)
{
    return decide(c, PL_STEP_REFUSE, uuid, ground, note, NULL);
}

int pl_wf_withdraw(const pl_ctx *c, const char *uuid, const char *reason)
{
    return decide(c, PL_STEP_WITHDRAW, uuid, NULL, NULL, reason);
}

/* ---- register ---------------------------------------------------------------- */

/* Everything a pledge row needs must be present and valid; the review
 * should have caught each of these, but a registration is never made of
 * incomplete data. */
static int registrable(const pl_ctx *c, const pl_app *a)
{
    const pl_app_party *parties[] = { &a->pledgor, &a->pledgee };
    const char *names[] = { "pledgor", "pledgee" };
    const pl_kind_info *k = pl_kind(a->kind);

    for (int i = 0; i < 2; i++) {
        const pl_app_party *p = parties[i];
        if (!p->present || !p->name.text)
            return pl_err_set(c->e, PLEDGER_EINVAL, "register: %s/name: the %s has no name",
                              names[i], names[i]);
        if (!p->id_norm)
            return pl_err_set(c->e, PLEDGER_EINVAL,
                              "register: %s: the %s's identifier is missing or invalid",
                              p->id_path, names[i]);
    }
    if (!a->claim.amount.valid || a->claim.amount.minor <= 0)
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "register: %s: the secured amount is missing or not positive",
                          a->claim.amount.path);
    if (!a->claim.amount.currency)
        return pl_err_set(c->e, PLEDGER_EINVAL, "register: %s: the currency is missing",
                          a->claim.amount.currency_path);
    if (!a->period.start.valid || !a->period.end.valid)
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "register: period: the registration period is missing or invalid");
    if (a->period.start.days > a->period.end.days)
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "register: %s: the registration period ends before it starts",
                          a->period.end.path);
    /* a pledge whose period has run out would be expired the moment it is
     * registered (every read says so): refuse the application instead */
    if (a->period.end.days < pl_ctx_today(c))
        return pl_err_set(c->e, PLEDGER_EINVAL,
                          "register: %s: the registration period ended on %s, before today; "
                          "the pledge would be expired as soon as registered",
                          a->period.end.path, a->period.end.raw);
    if (k->kind == PLEDGER_KIND_RECEIVABLE) {
        int32_t min = pl_date_add_months(a->period.start.days, 1);
        int32_t max = pl_date_add_years(a->period.start.days, 30);
        if (a->period.end.days < min || a->period.end.days > max)
            return pl_err_set(c->e, PLEDGER_EINVAL,
                              "register: %s: a receivable pledge is registered for 1 month to "
                              "30 years; %s to %s is not",
                              a->period.end.path, a->period.start.raw, a->period.end.raw);
    }
    if (a->n_rights == 0)
        return pl_err_set(c->e, PLEDGER_EINVAL, "register: rights: no right is pledged");
    for (size_t i = 0; i < a->n_rights; i++) {
        if (!a->rights[i].key)
            return pl_err_set(c->e, PLEDGER_EINVAL,
                              "register: %s: the right's identifier is missing or invalid",
                              a->rights[i].path);
        for (size_t j = 0; j < i; j++)
            if (strcmp(a->rights[j].key, a->rights[i].key) == 0)
                return pl_err_set(c->e, PLEDGER_EINVAL,
                                  "register: %s: the same right as %s", a->rights[i].path,
                                  a->rights[j].path);
    }
    return 0;
}

/* The document of @row must pass the review as a submission does: a
 * clean review of this very document was recorded (submission, the
 * office's review of what an acceptance point sent), or else the review
 * run now (a corrected document; one an older version of this library
 * took as a correction unreviewed) finds nothing blocking or correctable. */
static int check_reviewed(const pl_ctx *c, const pl_app_row *row, const pl_app *a)
{
    pl_review_env env = { .today = pl_ctx_today(c), .application_id = row->id };
    pl_review_last last;
    pl_findings f = { 0 };
    const pl_finding *first;
    size_t n[5];
    int rc;

    if ((rc = PL_OPS(c->db, flow)->review_last(c->db, c->e, row->id, row->doc_hash, &last)))
        return rc;
    if (last.found && last.same_doc && last.blocking == 0 && last.correctable == 0)
        return 0;
    if (!(rc = pl_review_run(c->db, c->e, a, &env, &f)) && (first = first_blocking(&f, n)))
        rc = pl_err_set(c->e, PLEDGER_EREVIEW,
                        "register: the review of application %s, run at registration, has %zu "
                        "blocking and %zu correctable findings (the first: %s at %s: %s); "
                        "request a correction or refuse the application", row->uuid,
                        n[PLEDGER_SEVERITY_BLOCKING], n[PLEDGER_SEVERITY_CORRECTABLE],
                        first->code, first->path,
                        pl_frag_pair(first->message, pl_finding_text(first)));
    pl_findings_clear(&f);
    return rc;
}

/* One pledge per right for kinds that allow only one. */
static int check_not_pledged(const pl_ctx *c, const pl_app *a)
{
    int rc;

    if (pl_kind(a->kind)->several_pledges)
        return 0;
    for (size_t i = 0; i < a->n_rights; i++) {
        char *number;
        if ((rc = PL_OPS(c->db, flow)->right_pledged(c->db, c->e, (int)a->kind,
                                                     a->rights[i].key, &number)))
            return rc;
        if (number) {
            rc = pl_err_set(c->e, PLEDGER_ECONFLICT,
                            "register: %s: %s %s is already pledged (registration %s)",
                            a->rights[i].path, pl_rule_right_word(a->rights[i].kind),
                            pl_rule_right_id(&a->rights[i]), number);
            free(number);
            return rc;
        }
    }
    return 0;
}

/* The first version of the pledge, from the application. */
static int first_version(const pl_ctx *c, const pl_app *a, pl_pver *v)
{
    const pl_app_party *debtor = a->debtor.present ? &a->debtor : NULL;
    char **fields[] = {
        &v->pledgor_name, &v->pledgor_key, &v->pledgor_id_type, &v->pledgor_id,
        &v->pledgee_name, &v->pledgee_key, &v->pledgee_id_type, &v->pledgee_id,
        &v->debtor_name, &v->debtor_id, &v->currency, &v->operation,
    };
    const char *values[] = {
        a->pledgor.name.text, a->pledgor.name_key, pl_ident_type_name(a->pledgor.id_type),
        a->pledgor.id_norm, a->pledgee.name.text, a->pledgee.name_key,
        pl_ident_type_name(a->pledgee.id_type), a->pledgee.id_norm,
        debtor ? debtor->name.text : NULL, debtor ? debtor->id_norm : NULL,
        a->claim.amount.currency, "register",
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (pl_pver_set(c->e, fields[i], values[i]))
            return PLEDGER_ENOMEM;
    v->kind = (int)a->kind;
    v->version = 1;
    v->state = PLEDGER_PLEDGE_ACTIVE;
    v->amount = a->claim.amount.minor;
    v->period_start = a->period.start.days;
    v->period_end = a->period.end.days;
    v->objection_until = INT32_MIN;
    v->registered_at = pl_ctx_now(c);
    v->valid_from = pl_ctx_now(c);
    if (!(v->rights = calloc(a->n_rights, sizeof *v->rights)))
        return pl_err_oom(c->e);
    v->n_rights = a->n_rights;
    for (size_t i = 0; i < a->n_rights; i++) {
        const pl_app_ident *id = pl_app_right_ident(&a->rights[i]);
        if (pl_pver_set(c->e, &v->rights[i].key, a->rights[i].key) ||
            pl_pver_set(c->e, &v->rights[i].identifier, id ? id->norm : a->rights[i].key) ||
            pl_pver_set(c->e, &v->rights[i].classes, a->rights[i].classes_raw))
            return PLEDGER_ENOMEM;
    }
    return 0;
}

int pl_wf_register(const pl_ctx *c, const char *uuid, char **number_out, char **modcode_out)
{
    char code[PL_CODE_LEN + 1] = "", salt[33] = "", hash[65] = "";
    pl_app_row row;
    pl_doc *doc = NULL;
    pl_app *app = NULL;
    pl_pver v;
    pl_number num = { "", "", 0 };
    pl_json j;
    int rc;

    memset(&v, 0, sizeof v);
    if ((rc = begin_step(c, PL_STEP_REGISTER, uuid, &row)))
        return rc;
    const pl_kind_info *k = pl_kind(row.kind);
    if (k->needs_modcode && !modcode_out) {
        rc = pl_err_set(c->e, PLEDGER_EINVAL,
                        "register: modcode_out is NULL; a receivable's modification code is "
                        "returned only once");
        goto done;
    }
    pl_review_env env = { .today = pl_ctx_today(c), .application_id = row.id };
    if ((rc = pl_wf_stored_app(c, &row, &doc, &app)) || (rc = registrable(c, app)) ||
        (rc = check_not_pledged(c, app)) || (rc = check_reviewed(c, &row, app)) ||
        (rc = pl_review_register_check(c->db, c->e, app, &env)) ||
        (rc = first_version(c, app, &v)) ||
        (rc = pl_wf_next_id(c, PL_ID_PLEDGE, &v.pledge_id)) ||
        (rc = pl_number_next(c->db, c->e, PL_SERIES_REGISTRATION, c->office, k->code,
                             year_of(c), &num)))
        goto done;
    if ((rc = pl_pver_set(c->e, &v.number, num.number)) ||
        (rc = pl_pver_set(c->e, &v.office, c->office)) ||
        (rc = pl_pver_set(c->e, &v.acceptance_number, row.acceptance_number)) ||
        (rc = pl_pver_set(c->e, &v.application_uuid, uuid)))
        goto done;
    if (k->needs_modcode && (rc = pl_wf_modcode_new(c->e, code, salt, hash)))
        goto done;
    pl_json_init(&j);
    pl_json_int(&j, "application_id", row.id);
    if ((rc = pl_wf_json_certificate(c, &j, &v, pl_ctx_now(c)))) {
        pl_json_discard(&j);
        goto done;
    }
    pl_json_null(&j, "ground");
    pl_json_int(&j, "kind", row.kind);
    pl_json_str(&j, "modcode_hash", k->needs_modcode ? hash : NULL);
    pl_json_str(&j, "modcode_salt", k->needs_modcode ? salt : NULL);
    pl_json_null(&j, "note");
    pl_json_str(&j, "office", c->office);
    pl_json_int(&j, "pledge_id", v.pledge_id);
    pl_json_str(&j, "registration_number", num.number);
    pl_json_begin_array(&j, "rights");
    for (size_t i = 0; i < v.n_rights; i++) {
        const pl_app_right *ar = &app->rights[i];
        pl_json_begin_object(&j, NULL);
        pl_json_str(&j, "classes", v.rights[i].classes);
        if (ar->kind == PLEDGER_KIND_RECEIVABLE) {
            /* its debtors, each found by a search (store: pledge_debtor) */
            pl_json_begin_array(&j, "debtors");
            for (size_t d = 0; d < ar->n_debtors; d++)
                if (ar->debtors[d].id_norm && *ar->debtors[d].id_norm)
                    pl_json_item_str(&j, ar->debtors[d].id_norm);
            pl_json_end_array(&j);
        }
        pl_json_str(&j, "identifier", v.rights[i].identifier);
        pl_json_str(&j, "key", v.rights[i].key);
        pl_json_end_object(&j);
    }
    pl_json_end_array(&j);
    json_sequence(&j, PL_SERIES_REGISTRATION, &num);
    pl_json_int(&j, "state", target(PL_STEP_REGISTER));
    pl_wf_json_version(&j, &v);
    pl_json_null(&j, "withdrawn_reason");
    rc = pl_wf_record(c, pl_step_operation(PL_STEP_REGISTER), uuid, &j);
done:
    pl_pver_clear(&v);
    pl_app_free(app);
    pl_doc_free(doc);
    pl_app_row_clear(&row);
    if ((rc = pl_step_finish(c, rc)))
        return rc;
    if (number_out && !(*number_out = strdup(num.number)))
        return pl_err_oom(c->e);
    if (modcode_out && k->needs_modcode && !(*modcode_out = strdup(code)))
        return pl_err_oom(c->e);
    return 0;
}

int pl_wf_deem_withdrawn(const pl_ctx *c, const char *uuid)
{
    pl_app_row row;
    pl_json j;
    int rc;

    if ((rc = pl_db_write_begin(c->db, c->e)))
        return rc;
    if ((rc = pl_wf_app_load(c, uuid, &row)))
        return pl_step_finish(c, rc);
    if (row.state != PLEDGER_APP_CORRECTION_REQUESTED || row.correction_due == INT32_MIN ||
        row.correction_due >= pl_ctx_today(c)) {
        pl_app_row_clear(&row);
        pl_db_rollback(c->db);
        return 1; /* nothing to do any more */
    }
    pl_json_init(&j);
    pl_json_int(&j, "application_id", row.id);
    pl_json_null(&j, "ground");
    pl_json_str(&j, "note", "the 30-day correction window closed");
    pl_json_int(&j, "state", target(PL_STEP_WITHDRAW));
    pl_json_str(&j, "withdrawn_reason", "correction_lapsed");
    rc = pl_wf_record(c, pl_step_operation(PL_STEP_WITHDRAW), uuid, &j);
    pl_app_row_clear(&row);
    return pl_step_finish(c, rc);
}
