/* Decimal quantities in millionths: a discharge permit's allowance, a
 * use right's area, as a document or the reference register writes them
 * ("18.5", "300", "0.000001").  One reader for all of them: the
 * register's figures, the review's comparisons and the area's units
 * (base/area.h) read the same text the same way. */
#ifndef PL_BASE_MICRO_H
#define PL_BASE_MICRO_H

#include <stddef.h>
#include <stdint.h>

typedef enum pl_micro_rc {
    PL_MICRO_BAD,   /* not a quantity: empty, a sign, a letter, two '.', no digit */
    PL_MICRO_OK,
    PL_MICRO_HUGE   /* a quantity, larger than millionths in 64 bits hold */
} pl_micro_rc;

/* The @n bytes at @s: ASCII digits with at most one '.' and at least one
 * digit ("18.5", "300", ".5", "5."), nothing around them.  Into *@micro
 * the quantity in millionths, digits past the sixth decimal rounding it
 * up (a quantity is never read smaller than written); into *@decimals
 * (may be NULL) how many decimals were written, all of them (7 and more
 * too).  *@micro is set only for PL_MICRO_OK. */
pl_micro_rc pl_micro_parse(const char *s, size_t n, int64_t *micro, int *decimals);

#endif
