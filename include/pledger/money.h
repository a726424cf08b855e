/**
 * @file money.h
 * @brief Money as people write it: parsing and formatting amounts.
 *
 * pledger keeps an amount as an int64_t count of its currency's minor unit
 * (fen for CNY, cent for USD, yen for JPY; three decimals for KWD, BHD,
 * OMR ...), next to an ISO 4217 code; never as a float.  These two calls
 * turn what a clerk types into minor units and back, with the same rules
 * everywhere.
 */
#ifndef PLEDGER_MONEY_H
#define PLEDGER_MONEY_H

#include <pledger/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes that always hold pledger_money_format()'s text and its NUL
 * ("-9,223,372,036,854,775,808"). @since 0.2 */
#define PLEDGER_MONEY_TEXT_MAX 32

/**
 * Parse an amount as people write it into minor units of @p currency.
 *
 * Accepted: digits with an optional decimal point ("3000000",
 * "3000000.5"), commas only between groups of three digits
 * ("3,000,000.00"), a Chinese multiplier 万 (x 10,000) or 亿
 * (x 100,000,000) after the number ("300万", "3.5亿"), for CNY a final 元
 * ("300万元", "3000元") and for CNY and JPY a leading ¥ or ￥; full-width
 * digits and punctuation ("３，０００"), white space around the amount and
 * one space before 万, 亿 or 元.  At most as many decimals as the currency
 * has (2 for CNY), 4 more with 万 and 8 more with 亿.
 *
 * Refused with #PLEDGER_EINVAL, the message naming the amount and what is
 * wrong and ending with the accepted forms: an empty or negative amount,
 * misplaced commas ("3,00", "1000,000", "1,000,"), more decimals than the
 * currency has, 元 or ¥ with another currency, anything else after the
 * number, more than INT64_MAX minor units; also an unknown or missing
 * currency, a NULL @p out or @p text, and text that is not UTF-8.
 *
 * @param[out] out      receives the amount in minor units; untouched on
 *                      failure.
 * @param[in]  text     the amount as typed, UTF-8.
 * @param[in]  currency the ISO 4217 code, upper case ("CNY").
 * @return #PLEDGER_OK or #PLEDGER_EINVAL (the reason is the calling
 *         thread's pledger_errmsg(NULL)), #PLEDGER_ENOMEM.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_money_parse(int64_t *out, const char *text, const char *currency);

/**
 * Write an amount of minor units as "3,000,000.00": commas between groups
 * of three digits, the currency's number of decimals ("1,234,567" for
 * JPY, "1.234" for KWD), "-" before a negative amount, no currency code.
 * pledger_money_parse() reads it back to the same amount (when it is not
 * negative).
 *
 * @param[out] out      receives the text, NUL-terminated; "" on failure
 *                      (when @p out_size > 0).
 * @param[in]  out_size the size of @p out in bytes;
 *                      #PLEDGER_MONEY_TEXT_MAX always suffices.
 * @param[in]  minor    the amount in minor units.
 * @param[in]  currency the ISO 4217 code, upper case ("CNY").
 * @return #PLEDGER_OK; #PLEDGER_EINVAL for a NULL @p out, an unknown or
 *         missing currency, or an @p out too small (the message says how
 *         many bytes are needed).
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_money_format(char *out, size_t out_size, int64_t minor,
                                        const char *currency);

#ifdef __cplusplus
}
#endif

#endif /* PLEDGER_MONEY_H */
