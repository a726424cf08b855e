/* Public calls of include/pledger/refreg.h: importing the reference
 * register (lib/refreg/import.c) and reading the report. */
#include <pledger/refreg.h>

#include <stdlib.h>
#include <string.h>

#include "api/handle.h"
#include "base/date.h"
#include "refreg/refreg.h"
#include "workflow/flow.h"

_Static_assert(PLEDGER_IMPORT_REJECTIONS_KEPT == PL_REFREG_KEEP_REJECTIONS,
               "the public and internal limits agree");

struct pledger_import_report {
    pl_refreg_report r;
};

/* Today's date at the registry's UTC offset (meta utc_offset_minutes). */
static int32_t registry_today(pledger_registry *reg, int64_t now)
{
    char *v = NULL;
    long off = 0;

    if (pl_db_meta_get(reg->db, NULL, "utc_offset_minutes", &v) == 0 && v) {
        char *end;
        long x = strtol(v, &end, 10);
        if (*v && !*end && x >= -14 * 60 && x <= 14 * 60)
            off = x;
    }
    free(v);
    return pl_date_of_instant(now, (int)off);
}

static int import(pledger_import_report **out, pledger_registry *reg, const char *fn,
                  const pl_refreg_source *src, const pledger_import_options *opts)
{
    static const pledger_import_options defaults = PLEDGER_IMPORT_OPTIONS_INIT;
    pledger_import_report *rep;
    pl_refreg_import_opts o;
    int rc, sight;

    if (!opts)
        opts = &defaults;
    if (opts->version < 1 || opts->version > PLEDGER_IMPORT_OPTIONS_VERSION)
        return pl_err_set(&reg->err, PLEDGER_EINVAL,
                          "%s: opts->version is %u; this library knows 1 to %d "
                          "(initialise with PLEDGER_IMPORT_OPTIONS_INIT)",
                          fn, opts->version, PLEDGER_IMPORT_OPTIONS_VERSION);
    /* a step the registrar takes: refused as the steps are ("only registrar
     * may do this"), not as a report withheld from a clerk */
    if ((rc = pl_api_writable(reg, fn)) ||
        (reg->actor && (rc = pl_step_check_role(&reg->err, PL_STEP_IMPORT, reg->role,
                                                reg->actor, 0))) ||
        (rc = pl_api_read(reg, fn, PL_READ_IMPORT, &sight)))
        return rc;
    if (!(rep = calloc(1, sizeof *rep)))
        return pl_err_oom(&reg->err);
    memset(&o, 0, sizeof o);
    o.today = registry_today(reg, pl_api_now(reg));
    o.actor = reg->actor;
    o.role = pledger_role_name(reg->role);
    o.progress = opts->progress;
    o.payload = opts->payload;
    if ((rc = pl_refreg_import(reg->db, &reg->err, src, &o, &rep->r))) {
        free(rep);
        return rc;
    }
    *out = rep;
    return 0;
}

int pledger_register_import(pledger_import_report **out, pledger_registry *reg,
                            const char *path, const pledger_import_options *opts)
{
    static const char fn[] = "pledger_register_import";
    pl_refreg_source src = { 0 };
    int rc = pl_api_enter(reg, fn);

    if (out)
        *out = NULL;
    if (rc)
        return rc;
    if (!out)
        return pl_api_bad_arg(reg, fn, "out", "is NULL");
    if (!path || !*path)
        return pl_api_bad_arg(reg, fn, "path", "is NULL or empty");
    src.path = path;
    return import(out, reg, fn, &src, opts);
}

int pledger_register_import_memory(pledger_import_report **out, pledger_registry *reg,
                                   const void *data, size_t len,
                                   const pledger_import_options *opts)
{
    static const char fn[] = "pledger_register_import_memory";
    pl_refreg_source src = { 0 };
    int rc = pl_api_enter(reg, fn);

    if (out)
        *out = NULL;
    if (rc)
        return rc;
    if (!out)
        return pl_api_bad_arg(reg, fn, "out", "is NULL");
    if (!data)
        return pl_api_bad_arg(reg, fn, "data", "is NULL");
    src.data = data;
    src.len = len;
    src.name = "register";
    return import(out, reg, fn, &src, opts);
}

uint64_t pledger_import_report_inserted(const pledger_import_report *report)
{
    return report ? report->r.inserted : 0;
}

uint64_t pledger_import_report_updated(const pledger_import_report *report)
{
    return report ? report->r.updated : 0;
}

uint64_t pledger_import_report_unchanged(const pledger_import_report *report)
{
    return report ? report->r.unchanged : 0;
}

uint64_t pledger_import_report_rejected(const pledger_import_report *report)
{
    return report ? report->r.rejected : 0;
}

size_t pledger_import_report_rejection_count(const pledger_import_report *report)
{
    return report ? report->r.n_kept : 0;
}

uint64_t pledger_import_report_rejection_line(const pledger_import_report *report, size_t i)
{
    return report && i < report->r.n_kept ? report->r.kept[i].line : 0;
}

const char *pledger_import_report_rejection_message(const pledger_import_report *report,
                                                    size_t i)
{
    return report && i < report->r.n_kept ? report->r.kept[i].message : NULL;
}

const char *pledger_import_report_sha256(const pledger_import_report *report)
{
    return report ? report->r.sha256 : NULL;
}

void pledger_import_report_free(pledger_import_report *report)
{
    if (!report)
        return;
    pl_refreg_report_clear(&report->r);
    free(report);
}
