#include "model/kinds.h"

#include "base/i18n.h"

#include <string.h>

static const pl_kind_info kinds[] = {
    { PLEDGER_KIND_TRADEMARK, NC_("kind", "trademark"), "TM", "pledge", false, false, false },
    { PLEDGER_KIND_PATENT, NC_("kind", "patent"), "PT", "pledge", false, false, false },
    { PLEDGER_KIND_RECEIVABLE, NC_("kind", "receivable"), "AR", "pledge", true, true, true },
    { PLEDGER_KIND_EQUITY, NC_("kind", "equity"), "EQ", "pledge", false, false, false },
    { PLEDGER_KIND_EMISSION, NC_("kind", "emission"), "EM", "pledge", false, false, false },
    { PLEDGER_KIND_SEA_AREA, NC_("kind", "sea_area"), "SA", "mortgage", false, false, false },
    { PLEDGER_KIND_LAND, NC_("kind", "land"), "LD", "mortgage", false, false, false },
};

const pl_kind_info *pl_kind(int kind)
{
    if (kind < PLEDGER_KIND_TRADEMARK || kind > PLEDGER_KIND_LAND)
        return NULL;
    return &kinds[kind - 1];
}

const char *pl_kind_name(int kind)
{
    const pl_kind_info *k = pl_kind(kind);
    return k ? k->name : NULL;
}

int pl_kind_from_name(const char *name)
{
    for (size_t i = 0; name && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return (int)kinds[i].kind;
    return 0;
}

static const char *const app_states[] = {
    NULL, NC_("state", "draft"), NC_("state", "reviewed"), NC_("state", "submitted"),
    NC_("state", "accepted"), NC_("state", "correction_requested"),
    NC_("state", "registered"), NC_("state", "refused"), NC_("state", "withdrawn"),
    NC_("state", "forwarded"),
};
static const char *const pledge_states[] = {
    NULL, NC_("state", "active"), NC_("state", "cancelled"), NC_("state", "revoked"),
    NC_("state", "expired"), NC_("state", "under_objection"),
};
static const char *const roles[] = {
    NULL, NC_("role", "applicant"), NC_("role", "clerk"), NC_("role", "registrar"),
    NC_("role", "bank"), NC_("role", "auditor"),
};
static const char *const severities[] = {
    NULL, "blocking", "correctable", "risk", "notice",
};

#define NAME_OF(table, i)                                                      \
    ((i) >= 1 && (size_t)(i) < sizeof(table) / sizeof(table)[0] ? (table)[i] : NULL)

const char *pl_app_state_name(int state) { return NAME_OF(app_states, state); }
const char *pl_pledge_state_name(int state) { return NAME_OF(pledge_states, state); }
const char *pl_severity_name(int severity) { return NAME_OF(severities, severity); }
const char *pl_role_name(int role) { return NAME_OF(roles, role); }

int pl_role_from_name(const char *name)
{
    for (size_t i = 1; name && i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(roles[i], name) == 0)
            return (int)i;
    return 0;
}
