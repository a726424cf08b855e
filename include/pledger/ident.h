/**
 * @file ident.h
 * @brief Checking and normalising identifiers of parties and rights.
 *
 * pledger stores identifiers in a normal form: full-width characters
 * turned half-width, white space dropped, ASCII upper case, a patent
 * number without its "ZL"/"CN" prefix and always with the dot before its
 * check character.  Numbers are taken as people type them: invisible
 * characters pasted along are dropped; dashes of every kind become '-',
 * and a '-' between two letters or digits is dropped except in foreign
 * registration, permit and certificate numbers (so "110105-19491231-002X"
 * is a resident identity number); "第12345678号" is trademark 12345678
 * (also for patent and permit numbers), "第9类" is Nice class 9, and a
 * patent number's "。" is its dot.  Checked by type:
 *
 * - #PLEDGER_ID_USCC: 18 characters over 0-9 A-Z without I O S V Z, the
 *   3rd to 8th digits, the 18th the GB 32100-2015 check character.
 * - #PLEDGER_ID_RESIDENT: 18 characters, a real birth date from 1900 to
 *   today, the GB 11643 check character (0-9 or X); 15-digit numbers are
 *   refused.
 * - #PLEDGER_ID_PASSPORT: 5 to 20 of A-Z 0-9.
 * - #PLEDGER_ID_FOREIGN_REG: 1 to 40 of A-Z 0-9 - / .
 * - #PLEDGER_ID_PATENT: "YYYYTNNNNNNN.C" (2003 to this year; type 1, 2, 3,
 *   8 or 9) or the old "NNNNNNNN.C", with the mod-11 check (10 written X).
 * - #PLEDGER_ID_TRADEMARK: 1 to 8 digits, optionally after "G".
 * - #PLEDGER_ID_NICE_CLASS: 1 to 45, written without leading zeros.
 * - #PLEDGER_ID_PERMIT: 8 to 40 of A-Z 0-9 -.
 * - #PLEDGER_ID_CERTIFICATE: 1 to 60 characters, no control characters.
 */
#ifndef PLEDGER_IDENT_H
#define PLEDGER_IDENT_H

#include <pledger/common.h>
#include <pledger/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Check an identifier and write its normal form.
 *
 * "Today" (for birth dates and patent years) is the system clock's date at
 * UTC+8.  On failure the reason, naming the identifier and what is wrong
 * (e.g. "USCC '91350100M000100Y44': check character is '4', expected
 * '3'"), is the calling thread's pledger_errmsg(NULL).
 *
 * @param[out] out      receives the normalised identifier, NUL-terminated;
 *                      "" on failure (when @p out_size > 0).  64 bytes
 *                      hold every type but a long certificate number, for
 *                      which 241 bytes always suffice.
 * @param[in]  out_size the size of @p out in bytes.
 * @param[in]  type     what @p text is.
 * @param[in]  text     the identifier as typed, UTF-8.
 * @return #PLEDGER_OK; #PLEDGER_EINVAL when @p text is not a valid
 *         identifier of @p type, when an argument is NULL or @p type is
 *         unknown, or when @p out is too small; #PLEDGER_ENOMEM.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_id_normalize(char *out, size_t out_size, pledger_id_type type,
                                        const char *text);

/**
 * The API name of an identifier type.
 * @param[in] type an identifier type.
 * @return a static string ("uscc", "resident", "passport", "foreign_reg",
 *         "patent", "trademark", "nice_class", "permit", "certificate"), or
 *         NULL if @p type is unknown.
 * @since 0.1
 */
PLEDGER_EXPORT const char *pledger_id_type_name(pledger_id_type type);

/**
 * The identifier type with the API name @p name.
 * @param[in] name a name as pledger_id_type_name() returns it (exact, lower case).
 * @return the #pledger_id_type value, or 0 if @p name is NULL or unknown.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_id_type_from_name(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* PLEDGER_IDENT_H */
