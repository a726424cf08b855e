/* Internal error reporting: a code plus a message saying what was wrong
 * and where (field path, line, identifier).  Every layer reports through
 * a pl_err that the caller owns; the API layer copies it to the handle. */
#ifndef PL_BASE_ERROR_H
#define PL_BASE_ERROR_H

#include <stdarg.h>
#include <stdbool.h>
#include <pledger/common.h>

#define PL_ERRMSG_MAX 1024

/* @msg is the English text, the one records keep; @local is the same
 * message in the current language, for people (pledger_errmsg()), when a
 * translation was found (has_local). */
typedef struct pl_err {
    int code;
    bool has_local;
    char msg[PL_ERRMSG_MAX];
    char local[PL_ERRMSG_MAX];
} pl_err;

#if defined(__GNUC__)
#define PL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PL_PRINTF(a, b)
#endif

/* Messages quote what callers gave (identifiers, paths, field values), so
 * every message is made safe to print: bytes that are not well-formed
 * UTF-8 become '?', and the control characters U+0000-U+001F, U+007F and
 * U+0080-U+009F (C0, DEL, C1: a terminal escape sequence among them) are
 * written as \xNN ("\x1b"), so a message is one line of printable
 * text.  Trailing line breaks are dropped.  A message longer than
 * PL_ERRMSG_MAX - 1 bytes is cut at a character boundary.
 *
 * Record a failure and return @code, so callers can write
 * `return pl_err_set(e, PLEDGER_EINVAL, "...")`.  @e may be NULL.  @fmt
 * is English; its translation (pl_tr) formats the local message from the
 * same arguments, made safe the same way. */
int pl_err_set(pl_err *e, int code, const char *fmt, ...) PL_PRINTF(3, 4);
int pl_err_setv(pl_err *e, int code, const char *fmt, va_list ap) PL_PRINTF(3, 0);

/* Prefix the existing message with more context ("pledgor/id: ..."),
 * keeping the code.  Returns the code. */
int pl_err_prefix(pl_err *e, const char *fmt, ...) PL_PRINTF(2, 3);

/* Keep the message, change its code to @code (a failure that means
 * something else where it happened: a document built from the store that
 * fails its own checks is a damaged registry, not bad input).  Returns
 * @code. */
int pl_err_recode(pl_err *e, int code);

/* Apply the rules above to the NUL-terminated text in @msg, a buffer of
 * @size bytes (at most PL_ERRMSG_MAX are used), in place: for other
 * messages that quote user text (review findings, import rejections). */
void pl_err_escape(char *msg, size_t size);

/* A malloc'd copy of @s under the same rules, never cut (NULL when out
 * of memory): for messages of any length. */
char *pl_err_escape_dup(const char *s);

/* Out of memory: sets PLEDGER_ENOMEM and returns it. */
int pl_err_oom(pl_err *e);

void pl_err_clear(pl_err *e);

/* The message for people: the translation when there is one, else the
 * English text. */
const char *pl_err_text(const pl_err *e);

/* Copy @src's code and both messages into @dst (NULL-safe). */
int pl_err_copy(pl_err *dst, const pl_err *src);

/* The calling thread's error for failures with no handle to hold them. */
pl_err *pl_err_thread(void);

#endif
