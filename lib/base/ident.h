/* Identifiers of parties and rights: check and normalise.
 *
 * Every identifier is first normalised with pl_text_normalize_id() (full
 * width to half width, white space dropped, ASCII upper case); a patent
 * number also loses a leading "ZL" or "CN".  Then, by type:
 *
 *   uscc        18 characters over 0-9 A-Z without I O S V Z; characters
 *               3-8 (the registering authority's region) are digits; the
 *               18th is the GB 32100-2015 check character.
 *   resident    18 characters: 6-digit region, birth date YYYYMMDD (a real
 *               date from 1900-01-01 to @today), 3-digit sequence, GB 11643
 *               check character (0-9 or X).  15-digit numbers are refused.
 *   passport    5 to 20 characters A-Z 0-9.
 *   foreign_reg 1 to 40 characters A-Z 0-9 - / .
 *   patent      YYYYTNNNNNNN.C (year 2003 to @today's year, type 1 2 3 8 9,
 *               7-digit serial) or the old YYTNNNNN.C (year 85..99 or 00..03,
 *               type 1 2 3 8 9); the dot may be omitted; C is
 *               Σ digit × weight (2 3 4 5 6 7 8 9 repeating) mod 11, 10 = X.
 *               Normalised always with the dot: "201310699744.2".
 *   trademark   1 to 8 digits, optionally after a "G" (Madrid designation);
 *               leading zeros kept.
 *   nice_class  1 to 45, written without leading zeros ("09" -> "9").
 *   permit      8 to 40 characters A-Z 0-9 -.
 *   certificate 1 to 60 characters (code points), any but control
 *               characters: "国海证2019B33020001号".
 *
 * Messages quote the normalised value, except for resident identity and
 * passport numbers (personal data), which they do not repeat. */
#ifndef PL_BASE_IDENT_H
#define PL_BASE_IDENT_H

#include <stddef.h>
#include <stdint.h>

#include <pledger/types.h>

#include "base/error.h"

/* Check @in as an identifier of @type and write its normalised form to
 * @out (@out_size bytes including the NUL).  @today is the current date in
 * days since 1970-01-01 (birth dates and patent years may not be later).
 * Returns 0, or PLEDGER_EINVAL with a message saying exactly what is wrong
 * (also for an unknown @type, a NULL @in or @out, and an @out too small for
 * the result), or PLEDGER_ENOMEM.  On failure @out is "" if @out_size > 0. */
int pl_ident_normalize(pl_err *e, pledger_id_type type, const char *in, int32_t today,
                       char *out, size_t out_size);

/* The API name of @t ("uscc", "resident", "passport", "foreign_reg",
 * "patent", "trademark", "nice_class", "permit", "certificate"), NULL if
 * @t is not a pledger_id_type. */
const char *pl_ident_type_name(pledger_id_type t);

/* The pledger_id_type called @name (exact, lower case), or 0. */
int pl_ident_type_from_name(const char *name);

/* What @t is called in messages: "USCC", "resident identity number",
 * "patent application number", ...; "identifier" if @t is unknown. */
const char *pl_ident_type_label(pledger_id_type t);

#endif
