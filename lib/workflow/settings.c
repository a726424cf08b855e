/* The registry's settings: one journaled "registry.setting" event per
 * change, which the replay applies to meta (store/apply.c). */
#include "workflow/flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/json.h"
#include "model/kinds.h"
#include "store/apply.h"

int pl_wf_setting_set(const pl_ctx *c, const char *key, const char *value)
{
    pl_json j;
    int rc;

    if ((rc = pl_step_check_role(c->e, PL_STEP_SETTINGS, c->role, c->actor, 0)) ||
        (rc = pl_db_write_begin(c->db, c->e)))
        return rc;
    pl_json_init(&j);
    pl_json_str(&j, "key", key);
    pl_json_str(&j, "value", value);
    return pl_step_finish(c, pl_wf_record(c, pl_step_operation(PL_STEP_SETTINGS), key, &j));
}

/* An IANA zone name ("Asia/Shanghai", "UTC", "Etc/GMT-8"): 1 to 64
 * characters of letters, digits, '/', '_', '+' and '-', no empty or
 * dot component.  Where the system has the zone database (TZDIR, else
 * /usr/share/zoneinfo), the zone must be in it: a mistyped zone is
 * refused rather than shown wrong on every certificate. */
int pl_time_zone_check(pl_err *e, const char *tz)
{
    size_t n = strlen(tz);
    const char *dir = getenv("TZDIR");
    struct stat st;
    char path[512];
    FILE *f;
    char magic[4];

    if (n == 0 || n > 64)
        return pl_err_set(e, PLEDGER_EINVAL, "time zone: must be 1 to 64 characters (got %zu)",
                          n);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)tz[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '/' || ch == '_' || ch == '+' || ch == '-';
        if (!ok)
            return pl_err_set(e, PLEDGER_EINVAL,
                              "time zone '%.64s': character %zu is not allowed in a zone "
                              "name such as Asia/Shanghai", tz, i + 1);
    }
    if (tz[0] == '/' || tz[n - 1] == '/' || strstr(tz, "//"))
        return pl_err_set(e, PLEDGER_EINVAL,
                          "time zone '%.64s' has an empty component; zone names look like "
                          "Asia/Shanghai", tz);
    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0; /* no zone database here: the form is all we can check */
    snprintf(path, sizeof path, "%s/%s", dir, tz);
    if (!(f = fopen(path, "rb")))
        return pl_err_set(e, PLEDGER_EINVAL,
                          "time zone '%.64s' is not in the zone database (%s); zone names "
                          "look like Asia/Shanghai", tz, dir);
    bool tzif = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
    fclose(f);
    if (!tzif)
        return pl_err_set(e, PLEDGER_EINVAL, "time zone '%.64s' is not a zone (%s)", tz, path);
    return 0;
}
