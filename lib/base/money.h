/* Money: an int64_t count of the currency's minor unit (fen for CNY, cent
 * for USD, yen for JPY) with an ISO 4217 code.  Never a float. */
#ifndef PL_BASE_MONEY_H
#define PL_BASE_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

/* Longest text pl_money_format() writes, with its NUL:
 * "-9,223,372,036,854,775,808" for a currency without minor units. */
#define PL_MONEY_TEXT_MAX 32

/* Minor-unit digits of the ISO 4217 currency @code (three upper-case
 * letters), from a built-in table of the common currencies: CNY 2, HKD 2,
 * MOP 2, TWD 2, USD 2, EUR 2, GBP 2, JPY 0, KRW 0, VND 0, KWD 3, BHD 3 ...
 * -1 when @code is NULL, malformed or not in the table. */
int pl_currency_digits(const char *code);

/* Parse the non-negative amount @text in @currency into minor units:
 * "3000000", "3,000,000.00" (commas every three digits), "3000000.5", and
 * with a Chinese multiplier "300万" (x 10^4) or "1.5亿" (x 10^8); for CNY
 * also "元" at the end ("300万元", "3000元"), and for CNY and JPY a leading
 * "¥" or "￥".  Full-width digits and punctuation and surrounding white
 * space are accepted (pl_text_fold), and one space before 万, 亿 or 元 and
 * after the sign.  At most as many decimals as the currency has (plus 4
 * with 万, 8 with 亿).  PLEDGER_EINVAL with a message for an unknown
 * currency, an empty, negative or malformed amount ("3,00", "1000,000"),
 * too many decimals, or more than INT64_MAX units; a message about the
 * text ends with the accepted forms.  This is the one parser of money
 * text: pledger_money_parse() is it. */
int pl_money_parse(pl_err *e, const char *text, const char *currency, int64_t *out);

/* Write @minor units of @currency as "3,000,000.00" (no currency code;
 * "-" before negative amounts) into @buf of @n bytes (PL_MONEY_TEXT_MAX is
 * always enough).  0, or PLEDGER_EINVAL for an unknown currency or a short
 * buffer (then @buf is "" when @n > 0). */
int pl_money_format(int64_t minor, const char *currency, char *buf, size_t n);

/* *out = a + b; false (and *out untouched) on overflow. */
bool pl_money_add(int64_t a, int64_t b, int64_t *out);

/* *out = a - b; false (and *out untouched) on overflow. */
bool pl_money_sub(int64_t a, int64_t b, int64_t *out);

#endif
