/* The states and the two predicates every reader of pledges needs, as the
 * SQL sees them, each spelled once: "in force" (active or under
 * objection) and "the version valid at an instant".  The numbers are the
 * enums of <pledger/types.h>, which the schema's CHECK constraints
 * (store/schema-workflow.c, store/schema-exchange.c) bound; the
 * _Static_asserts below stop the build if an enum moves away from the
 * SQL.  Use: " WHERE " PL_SQL_IN_FORCE("v.") " AND " PL_SQL_VALID_AT("v.", "?2"). */
#ifndef PL_STORE_SQL_STATES_H
#define PL_STORE_SQL_STATES_H

#include <pledger/types.h>

#define PL_SQL_PLEDGE_ACTIVE "1"
#define PL_SQL_PLEDGE_EXPIRED "4"
#define PL_SQL_PLEDGE_UNDER_OBJECTION "5"
#define PL_SQL_APP_SUBMITTED "3"
#define PL_SQL_APP_ACCEPTED "4"
#define PL_SQL_APP_CORRECTION_REQUESTED "5"

_Static_assert(PLEDGER_PLEDGE_ACTIVE == 1, "PL_SQL_PLEDGE_ACTIVE is 1");
_Static_assert(PLEDGER_PLEDGE_EXPIRED == 4, "PL_SQL_PLEDGE_EXPIRED is 4");
_Static_assert(PLEDGER_PLEDGE_UNDER_OBJECTION == 5, "PL_SQL_PLEDGE_UNDER_OBJECTION is 5");
_Static_assert(PLEDGER_APP_SUBMITTED == 3, "PL_SQL_APP_SUBMITTED is 3");
_Static_assert(PLEDGER_APP_ACCEPTED == 4, "PL_SQL_APP_ACCEPTED is 4");
_Static_assert(PLEDGER_APP_CORRECTION_REQUESTED == 5, "PL_SQL_APP_CORRECTION_REQUESTED is 5");
/* the schema's CHECK (state BETWEEN 1 AND 5) of pledge_version, and
 * (state BETWEEN 1 AND 9) of application since migration 8 */
_Static_assert(PLEDGER_PLEDGE_UNDER_OBJECTION == 5 && PLEDGER_PLEDGE_EXPIRED < 5,
               "pledge states are 1 to 5");
_Static_assert(PLEDGER_APP_FORWARDED == 9, "application states are 1 to 9");

/* In force: the pledge version's state (@v: the table's alias and a dot,
 * or "") is active or under objection. */
#define PL_SQL_IN_FORCE(v) \
    v "state IN (" PL_SQL_PLEDGE_ACTIVE ", " PL_SQL_PLEDGE_UNDER_OBJECTION ")"
/* In force on the registry date of parameter @day ("?4", pl_db_day_of()):
 * in force as recorded, and its period not run out by then.  A pledge
 * expires when its period's last day ends, whether or not the expiry
 * sweep (pledger_registry_expire) has recorded it yet: every reader asks
 * this, never the recorded state alone. */
#define PL_SQL_IN_FORCE_ON(v, day) \
    "(" PL_SQL_IN_FORCE(v) " AND " v "period_end >= " day ")"
/* The state on the registry date @day: the recorded one; expired when in
 * force as recorded with its period run out (PL_SQL_IN_FORCE_ON); active
 * again when under objection with the 30 days for litigation run out and
 * none recorded (the objection has lapsed). */
#define PL_SQL_STATE_ON(v, day) \
    "(CASE WHEN " PL_SQL_IN_FORCE(v) " AND " v "period_end < " day \
    " THEN " PL_SQL_PLEDGE_EXPIRED \
    " WHEN " PL_SQL_UNDER_OBJECTION(v) " AND " v "litigation = 0 AND " \
    v "objection_until < " day " THEN " PL_SQL_PLEDGE_ACTIVE " ELSE " v "state END)"
/* Under objection. */
#define PL_SQL_UNDER_OBJECTION(v) v "state = " PL_SQL_PLEDGE_UNDER_OBJECTION
/* The version of alias @v valid at the instant of parameter @p ("?2"). */
#define PL_SQL_VALID_AT(v, p) \
    v "valid_from <= " p " AND (" v "valid_to IS NULL OR " v "valid_to > " p ")"

#endif
