/* Identifiers of parties and rights: check and normalise.
 *
 * Every identifier is first normalised with pl_text_normalize_ref() (full
 * width to half width, white space dropped, ASCII upper case, invisible
 * characters pasted along dropped, dashes of every kind made '-'), then
 * undressed as people type it: a '-' between two letters or digits
 * dropped except in foreign registration, permit and certificate numbers
 * (elsewhere it only groups them: "110105-19491231-002X"), "第...号" dropped around trademark,
 * patent and permit numbers and "第...类" around a Nice class, and a
 * patent's "。" made its '.'.  A patent number also loses a leading "ZL"
 * or "CN".  Then, by type:
 *
 *   uscc        18 characters over 0-9 A-Z without I O S V Z; characters
 *               3-8 (the registering authority's region) are digits; the
 *               18th is the GB 32100-2015 check character; character 1
 *               (the authority) is 1-9, A, N or Y, character 2 a kind of
 *               body that authority gives, characters 3-8 "100000" or a
 *               region of an existing province, 9-17 not all zeros.
 *   resident    18 characters: 6-digit region, birth date YYYYMMDD (a real
 *               date from 1900-01-01 to @today), 3-digit sequence, GB 11643
 *               check character (0-9 or X).  15-digit numbers are refused.
 *               The address code is checked by pl_ident_resident_region()
 *               (pl_ident_check() does both).
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
 * Passport, foreign registration, permit and certificate numbers with no
 * digit but 0 and no letter ("00000000", "---"), trademark numbers and
 * patent serial numbers of zeros alone are refused: no authority issues
 * them.
 *
 * Messages quote the normalised value, except for resident identity and
 * passport numbers (personal data), which they do not repeat. */
#ifndef PL_BASE_IDENT_H
#define PL_BASE_IDENT_H

#include <stddef.h>
#include <stdint.h>

#include <pledger/types.h>

#include "base/error.h"

/* The 31 symbols of GB 32100 codes (USCC): digits and capital letters but
 * I, O, S, V and Z, which read like digits.  Also the alphabet of the
 * verification and modification codes pledger prints on certificates,
 * for the same reason. */
extern const char pl_code_alphabet[32];

/* Check @in as an identifier of @type and write its normalised form to
 * @out (@out_size bytes including the NUL).  @today is the current date in
 * days since 1970-01-01 (birth dates and patent years may not be later).
 * Returns 0, or PLEDGER_EINVAL with a message saying exactly what is wrong
 * (also for an unknown @type, a NULL @in or @out, and an @out too small for
 * the result), or PLEDGER_ENOMEM.  On failure @out is "" if @out_size > 0. */
int pl_ident_normalize(pl_err *e, pledger_id_type type, const char *in, int32_t today,
                       char *out, size_t out_size);

/* Check the GB/T 2260 address code (the first six digits) of the
 * resident identity number @v, normalised by pl_ident_normalize(), against
 * the division table compiled in from share/pledger/divisions.tsv (every
 * code listed from the 1980s to 2023, with the years it was listed).
 *
 * The code is that of the county where the holder was registered when the
 * number was assigned (at birth since the 1990s; from 1984 for people
 * born before), and a number is kept for life, also when the county is
 * later renamed, merged or turned into a city or district and gets a new
 * code.  So:
 *   - a code that is still listed, or was listed until the holder's birth
 *     year or later (the year after the last edition listing it included:
 *     editions are yearly), is accepted, however long ago it was retired;
 *   - a code first listed after the birth year is accepted: numbers of
 *     people born before 1984, and residence permits of Hong Kong, Macao
 *     and Taiwan residents (810000, 820000, 830000, since 2018), were
 *     assigned as adults;
 *   - a code whose province (first two digits) does not exist is refused;
 *   - a code listed in no edition is refused, unless the holder was born
 *     after the table's newest edition (2023: the code may be newer) or
 *     it is a prefecture city's urban area "xxxx20" of the 1980 and 1982
 *     editions and the holder was born by 1983;
 *   - a code whose every listing ended more than a year before the birth
 *     year is refused: no number is assigned under a retired code.
 * Returns 0 or PLEDGER_EINVAL with a message naming the code (and the
 * division's name when it is known) but not the number.  A sorted array
 * and binary search: no allocation, no file. */
int pl_ident_resident_region(pl_err *e, const char *v);

/* pl_ident_normalize(), then for a resident identity number
 * pl_ident_resident_region(): the check of an identifier given as input
 * (pledger_id_normalize(), the reference register import).  Paths that
 * only recognise or look up a stored identifier use pl_ident_normalize(),
 * so numbers stored before the address code was checked are still found
 * and masked; the review reports the address code as its own finding
 * (PARTY_ID_REGION_UNKNOWN). */
int pl_ident_check(pl_err *e, pledger_id_type type, const char *in, int32_t today, char *out,
                   size_t out_size);

/* The API name of @t ("uscc", "resident", "passport", "foreign_reg",
 * "patent", "trademark", "nice_class", "permit", "certificate"), NULL if
 * @t is not a pledger_id_type. */
const char *pl_ident_type_name(pledger_id_type t);

/* The pledger_id_type called @name (exact, lower case), or 0. */
int pl_ident_type_from_name(const char *name);

/* What @t is called in messages: "USCC", "resident identity number",
 * "patent application number", ...; "identifier" if @t is unknown. */
const char *pl_ident_type_label(pledger_id_type t);

/* Whether @code is an ISO 3166-1 alpha-2 country code ("CN", "HK"): two
 * upper-case letters the standard assigns. */
bool pl_ident_country(const char *code);

#endif
