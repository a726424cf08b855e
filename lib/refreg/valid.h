/* A quick check of one record of the reference register against
 * share/pledger/register.xsd (import.c).
 *
 * libxml2's validator costs more per record than everything else the
 * import does but SQLite.  pl_refreg_surely_valid() is a narrow, strict
 * reading of the same schema: it says true only for a record that the
 * schema certainly accepts, written the plain way (no namespaced or
 * unknown attribute, values without surrounding white space, dates as
 * YYYY-MM-DD, classes in plain digits...).  For anything else it says
 * false and the importer asks libxml2, which then gives the verdict and
 * its message: what is checked and every message stay the same.  (Debug
 * builds ask libxml2 about the records it accepts too, and abort on a
 * disagreement.) */
#ifndef PL_REFREG_VALID_H
#define PL_REFREG_VALID_H

#include <stdbool.h>

#include <libxml/tree.h>

/* True when the record element @rec, of kind @kind (pledger_kind; EQUITY
 * for a <holding>), is certainly valid against register.xsd; false when
 * it may not be. */
bool pl_refreg_surely_valid(xmlNodePtr rec, int kind);

#endif
