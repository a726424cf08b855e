/* Public application calls: the document (no registry) and the workflow. */
#include <stdlib.h>
#include <string.h>

#include "api/app-handle.h"
#include "api/handle.h"
#include "base/i18n.h"
#include "base/text.h"
#include "model/kinds.h"
#include "query/mask.h"
#include "rules/findings.h"
#include "workflow/app-flow.h"
#include "workflow/filing-key.h"

#define MAX_PATH 1024
#define MAX_TEXT (1u << 20)

/* ---- the document ------------------------------------------------------------- */

static int thread_bad(const char *fn, const char *param, const char *why)
{
    return pl_err_set(pl_err_thread(), PLEDGER_EINVAL, "%s: %s %s", fn, param, why);
}

int pledger_application_new(pledger_application **out, pledger_kind kind)
{
    pl_err *e = pl_err_thread();
    pledger_application *app;
    int rc;

    pl_err_clear(e);
    if (!out)
        return thread_bad("pledger_application_new", "out", "is NULL");
    *out = NULL;
    if (!pl_kind((int)kind))
        return pl_err_set(e, PLEDGER_EINVAL, "pledger_application_new: kind %d is not a "
                          "pledger_kind", (int)kind);
    if (!(app = calloc(1, sizeof *app)))
        return pl_err_oom(e);
    if ((rc = pl_doc_new(&app->doc, e, kind))) {
        free(app);
        return rc;
    }
    app->state = PLEDGER_APP_DRAFT;
    *out = app;
    return 0;
}

int pledger_application_from_xml(pledger_application **out, const char *xml, size_t len)
{
    pl_err *e = pl_err_thread();
    pledger_application *app;
    int rc;

    pl_err_clear(e);
    if (!out)
        return thread_bad("pledger_application_from_xml", "out", "is NULL");
    *out = NULL;
    if (!xml)
        return thread_bad("pledger_application_from_xml", "xml", "is NULL");
    if (!(app = calloc(1, sizeof *app)))
        return pl_err_oom(e);
    if ((rc = pl_doc_parse(&app->doc, e, xml, len))) {
        free(app);
        return rc;
    }
    app->state = PLEDGER_APP_DRAFT;
    *out = app;
    return 0;
}

int pledger_application_to_xml(char **out, size_t *len_out, const pledger_application *app)
{
    pl_err *e = pl_err_thread();

    pl_err_clear(e);
    if (!out)
        return thread_bad("pledger_application_to_xml", "out", "is NULL");
    *out = NULL;
    if (len_out)
        *len_out = 0;
    if (!app)
        return thread_bad("pledger_application_to_xml", "app", "is NULL");
    return pl_doc_to_xml(app->doc, e, out, len_out);
}

static int check_path(const char *fn, const char *path)
{
    if (!path)
        return thread_bad(fn, "path", "is NULL");
    if (strnlen(path, MAX_PATH + 1) > MAX_PATH)
        return thread_bad(fn, "path", "is too long");
    return 0;
}

int pledger_application_get(const char **out, pledger_application *app, const char *path)
{
    static const char fn[] = "pledger_application_get";
    int rc;

    pl_err_clear(pl_err_thread());
    if (!out)
        return thread_bad(fn, "out", "is NULL");
    *out = NULL;
    if (!app)
        return thread_bad(fn, "app", "is NULL");
    if ((rc = check_path(fn, path)))
        return rc;
    return pl_doc_get(app->doc, pl_err_thread(), path, out);
}

int pledger_application_set(pledger_application *app, const char *path, const char *value)
{
    static const char fn[] = "pledger_application_set";
    int rc;

    pl_err_clear(pl_err_thread());
    if (!app)
        return thread_bad(fn, "app", "is NULL");
    if ((rc = check_path(fn, path)))
        return rc;
    if (value && strnlen(value, MAX_TEXT + 1) > MAX_TEXT)
        return thread_bad(fn, "value", "is longer than 1 MiB");
    return pl_doc_set(app->doc, pl_err_thread(), path, value);
}

int pledger_application_count(int *out, pledger_application *app, const char *path)
{
    static const char fn[] = "pledger_application_count";
    int rc;

    pl_err_clear(pl_err_thread());
    if (!out)
        return thread_bad(fn, "out", "is NULL");
    *out = 0;
    if (!app)
        return thread_bad(fn, "app", "is NULL");
    if ((rc = check_path(fn, path)))
        return rc;
    return pl_doc_count(app->doc, pl_err_thread(), path, out);
}

int pledger_application_add_material(pledger_application *app, const char *kind,
                                     const char *file_name, const void *bytes, size_t len)
{
    static const char fn[] = "pledger_application_add_material";

    pl_err_clear(pl_err_thread());
    if (!app)
        return thread_bad(fn, "app", "is NULL");
    if (!kind)
        return thread_bad(fn, "kind", "is NULL");
    if (!file_name || !*file_name)
        return thread_bad(fn, "file_name", "is NULL or empty");
    if (!bytes && len)
        return thread_bad(fn, "bytes", "is NULL");
    return pl_doc_add_material(app->doc, pl_err_thread(), kind, file_name, bytes ? bytes : "",
                               len);
}

pledger_kind pledger_application_kind(const pledger_application *app)
{
    return app ? pl_doc_kind(app->doc) : 0;
}

const char *pledger_application_uuid(const pledger_application *app)
{
    return app ? app->uuid : NULL;
}

pledger_app_state pledger_application_state(const pledger_application *app)
{
    return app ? app->state : 0;
}

const char *pledger_application_acceptance_number(const pledger_application *app)
{
    return app ? app->acceptance_number : NULL;
}

const char *pledger_application_registration_number(const pledger_application *app)
{
    return app ? app->registration_number : NULL;
}

void pledger_application_free(pledger_application *app)
{
    if (!app)
        return;
    pl_doc_free(app->doc);
    free(app->uuid);
    free(app->acceptance_number);
    free(app->registration_number);
    free(app);
}

/* ---- the workflow --------------------------------------------------------------- */

/* Common entry of a workflow call taking a UUID, written to @kept as
 * the registry keeps it (pl_api_uuid). */
static int enter_uuid(pledger_registry *reg, const char *fn, const char *uuid,
                      char kept[PL_API_UUID_LEN + 1], pl_ctx *c)
{
    int rc = pl_api_enter(reg, fn);
    if (rc)
        return rc;
    if ((rc = pl_api_uuid(reg, fn, "uuid", uuid, kept)))
        return rc;
    pl_api_ctx(reg, c);
    return 0;
}

static int refresh(pledger_application *app, const pl_ctx *c)
{
    pl_app_row row;
    int rc = pl_wf_app_load(c, app->uuid, &row);
    if (rc)
        return rc;
    app->state = (pledger_app_state)pl_wf_app_state_on(c, &row);
    free(app->acceptance_number);
    free(app->registration_number);
    app->acceptance_number = row.acceptance_number;
    app->registration_number = row.registration_number;
    row.acceptance_number = row.registration_number = NULL;
    pl_app_row_clear(&row);
    return 0;
}

int pledger_application_save(pledger_registry *reg, pledger_application *app)
{
    static const char fn[] = "pledger_application_save";
    pl_ctx c;
    int rc = pl_api_enter(reg, fn);

    if (rc)
        return rc;
    if (!app)
        return pl_api_bad_arg(reg, fn, "app", "is NULL");
    if (pl_db_read_only(reg->db))
        return pl_err_set(&reg->err, PLEDGER_EREADONLY, "%s: registry '%s' was opened read-only",
                          fn, pl_db_path(reg->db));
    pl_api_ctx(reg, &c);
    if ((rc = pl_wf_save(&c, app->doc, &app->uuid)))
        return rc;
    return refresh(app, &c);
}

int pledger_application_replace(pledger_registry *reg, const char *uuid,
                                pledger_application *app)
{
    static const char fn[] = "pledger_application_replace";
    char kept[PL_API_UUID_LEN + 1], *u;
    pl_ctx c;
    int rc;

    if ((rc = enter_uuid(reg, fn, uuid, kept, &c)))
        return rc;
    if (!app)
        return pl_api_bad_arg(reg, fn, "app", "is NULL");
    if (app->uuid && strcmp(app->uuid, kept) != 0)
        return pl_err_set(&reg->err, PLEDGER_EINVAL,
                          "%s: app: the handle is application %s, not %s; its document "
                          "replaces only its own", fn, app->uuid, kept);
    if ((rc = pl_api_writable(reg, fn)))
        return rc;
    if (!(u = strdup(kept)))
        return pl_err_oom(&reg->err);
    if ((rc = pl_wf_save(&c, app->doc, &u))) {
        free(u);
        return pl_err_prefix(&reg->err, "%s", fn);
    }
    if (app->uuid)
        free(u);
    else
        app->uuid = u;
    return refresh(app, &c);
}

int pledger_application_save_keyed(pledger_registry *reg, pledger_application *app,
                                   const char *key, int *replayed)
{
    static const char fn[] = "pledger_application_save_keyed";
    bool again = false;
    pl_ctx c;
    int rc = pl_api_enter(reg, fn);

    if (replayed)
        *replayed = 0;
    if (rc)
        return rc;
    if (!app)
        return pl_api_bad_arg(reg, fn, "app", "is NULL");
    if (!key)
        return pl_api_bad_arg(reg, fn, "key", "is NULL");
    if ((rc = pl_api_check_key(reg, fn, key)))
        return rc;
    if (app->uuid)
        return pl_err_set(&reg->err, PLEDGER_EINVAL,
                          "%s: app: application %s is already saved; a key names the first "
                          "save of a new application (a saved one is saved again without a "
                          "key)", fn, app->uuid);
    if ((rc = pl_api_writable(reg, fn)))
        return rc;
    pl_api_ctx(reg, &c);
    if ((rc = pl_wf_save_keyed(&c, app->doc, key, &app->uuid, &again)))
        return pl_err_prefix(&reg->err, "%s", fn);
    if (replayed)
        *replayed = again;
    return refresh(app, &c);
}

int pl_api_own_application(pledger_registry *reg, const char *fn, const pl_app_row *row)
{
    pl_ctx c;
    pl_api_ctx(reg, &c);
    return pl_wf_own_application(&c, fn, row);
}

int pledger_application_load(pledger_application **out, pledger_registry *reg, const char *uuid)
{
    static const char fn[] = "pledger_application_load";
    char kept[PL_API_UUID_LEN + 1];
    pledger_application *app;
    pl_app_row row;
    pl_ctx c;
    int rc, sight;

    if (!out)
        return reg ? pl_api_bad_arg(reg, fn, "out", "is NULL")
                   : thread_bad(fn, "out", "is NULL");
    *out = NULL;
    if ((rc = enter_uuid(reg, fn, uuid, kept, &c)) ||
        (rc = pl_api_read(reg, fn, PL_READ_APPLICATION, &sight)))
        return rc;
    /* the table has no masked sight of a document: its materials (copies
     * of identity cards, contracts) cannot be masked */
    if ((rc = pl_wf_app_load(&c, kept, &row)))
        return rc;
    if (sight == PL_SIGHT_OWN && (rc = pl_api_own_application(reg, fn, &row))) {
        pl_app_row_clear(&row);
        return rc;
    }
    if (!(app = calloc(1, sizeof *app))) {
        pl_app_row_clear(&row);
        return pl_err_oom(&reg->err);
    }
    if ((rc = pl_doc_parse_stored(&app->doc, &reg->err, row.document, strlen(row.document),
                                  row.doc_hash)) ||
        !(app->uuid = strdup(row.uuid))) {
        if (!rc)
            rc = pl_err_oom(&reg->err);
        else
            pl_err_prefix(&reg->err, "%s: stored application %s", fn, row.uuid);
        pl_app_row_clear(&row);
        pledger_application_free(app);
        return rc;
    }
    app->state = (pledger_app_state)pl_wf_app_state_on(&c, &row);
    app->acceptance_number = row.acceptance_number;
    app->registration_number = row.registration_number;
    row.acceptance_number = row.registration_number = NULL;
    pl_app_row_clear(&row);
    *out = app;
    return 0;
}

int pledger_application_review(pledger_review **out, pledger_registry *reg, const char *uuid)
{
    static const char fn[] = "pledger_application_review";
    char kept[PL_API_UUID_LEN + 1];
    pledger_review *r;
    pl_ctx c;
    int rc, sight;

    if (out)
        *out = NULL;
    if ((rc = enter_uuid(reg, fn, uuid, kept, &c)) ||
        (rc = pl_api_read(reg, fn, PL_READ_REVIEW, &sight)))
        return rc;
    if (!(r = calloc(1, sizeof *r)))
        return pl_err_oom(&reg->err);
    if ((rc = pl_wf_review(&c, kept, &r->f))) {
        pledger_review_free(r);
        return rc;
    }
    if (sight == PL_SIGHT_MASKED)
        pl_mask_findings(&r->f);
    if (out)
        *out = r;
    else
        pledger_review_free(r);
    return 0;
}

int pledger_application_submit(pledger_registry *reg, const char *uuid)
{
    char kept[PL_API_UUID_LEN + 1];
    pl_ctx c;
    int rc = enter_uuid(reg, "pledger_application_submit", uuid, kept, &c);
    return rc ? rc : pl_wf_submit(&c, kept);
}

int pledger_application_accept(char **out, pledger_registry *reg, const char *uuid)
{
    char kept[PL_API_UUID_LEN + 1];
    pl_ctx c;
    int rc;

    if (out)
        *out = NULL;
    if ((rc = enter_uuid(reg, "pledger_application_accept", uuid, kept, &c)))
        return rc;
    return pl_wf_accept(&c, kept, out);
}

int pledger_application_request_correction(pledger_registry *reg, const char *uuid,
                                           const char *note)
{
    static const char fn[] = "pledger_application_request_correction";
    char kept[PL_API_UUID_LEN + 1];
    pl_ctx c;
    int rc = enter_uuid(reg, fn, uuid, kept, &c);
    if (rc ||
        (rc = pl_api_check_str(reg, fn, "note", note, 4096, PL_API_REQUIRED | PL_API_LINES)))
        return rc;
    return pl_wf_request_correction(&c, kept, note);
}

int pledger_application_correct(pledger_registry *reg, pledger_application *app)
{
    static const char fn[] = "pledger_application_correct";
    pl_ctx c;
    int rc = pl_api_enter(reg, fn);

    if (rc)
        return rc;
    if (!app)
        return pl_api_bad_arg(reg, fn, "app", "is NULL");
    if (!app->uuid)
        return pl_api_bad_arg(reg, fn, "app", "was never saved (it has no UUID)");
    pl_api_ctx(reg, &c);
    if ((rc = pl_wf_correct(&c, app->uuid, app->doc)))
        return rc;
    return refresh(app, &c);
}

int pledger_application_register(char **out, char **modcode_out, pledger_registry *reg,
                                 const char *uuid)
{
    char kept[PL_API_UUID_LEN + 1];
    pl_ctx c;
    int rc;

    if (out)
        *out = NULL;
    if (modcode_out)
        *modcode_out = NULL;
    if ((rc = enter_uuid(reg, "pledger_application_register", uuid, kept, &c)))
        return rc;
    return pl_wf_register(&c, kept, out, modcode_out);
}

int pledger_application_refuse(pledger_registry *reg, const char *uuid, const char *ground,
                               const char *note)
{
    static const char fn[] = "pledger_application_refuse";
    char kept[PL_API_UUID_LEN + 1];
    pl_ctx c;
    int rc = enter_uuid(reg, fn, uuid, kept, &c);
    if (rc || (rc = pl_api_check_str(reg, fn, "ground", ground, 64, 1)) ||
        (rc = pl_api_check_str(reg, fn, "note", note, 4096, PL_API_LINES)))
        return rc;
    return pl_wf_refuse(&c, kept, ground, note);
}

int pledger_application_withdraw(pledger_registry *reg, const char *uuid)
{
    char kept[PL_API_UUID_LEN + 1];
    pl_ctx c;
    int rc = enter_uuid(reg, "pledger_application_withdraw", uuid, kept, &c);
    return rc ? rc : pl_wf_withdraw(&c, kept, "applicant");
}

/* ---- review results ----------------------------------------------------------- */

size_t pledger_review_count(const pledger_review *r) { return r ? r->f.n : 0; }

size_t pledger_review_count_severity(const pledger_review *r, pledger_severity severity)
{
    size_t n = 0;
    for (size_t i = 0; r && i < r->f.n; i++)
        n += r->f.v[i].severity == (int)severity;
    return n;
}

#define FINDING(r, i) ((r) && (i) < (r)->f.n ? &(r)->f.v[i] : NULL)

const char *pledger_review_code(const pledger_review *r, size_t i)
{
    const pl_finding *f = FINDING(r, i);
    return f ? f->code : NULL;
}

pledger_severity pledger_review_severity(const pledger_review *r, size_t i)
{
    const pl_finding *f = FINDING(r, i);
    return f ? (pledger_severity)f->severity : 0;
}

const char *pledger_review_path(const pledger_review *r, size_t i)
{
    const pl_finding *f = FINDING(r, i);
    return f ? f->path : NULL;
}

const char *pledger_review_message(const pledger_review *r, size_t i)
{
    const pl_finding *f = FINDING(r, i);
    return f ? pl_finding_text(f) : NULL;
}

const char *pledger_review_basis(const pledger_review *r, size_t i)
{
    const pl_finding *f = FINDING(r, i);
    return f ? pl_tr(f->basis) : NULL;
}

void pledger_review_free(pledger_review *r)
{
    if (!r)
        return;
    pl_findings_clear(&r->f);
    free(r);
}
