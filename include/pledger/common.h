/**
 * @file common.h
 * @brief Export macro, error codes and the error-message calls shared by
 *        every part of the pledger API.
 *
 * Conventions (the whole API follows them):
 * - Every fallible function returns `int`: #PLEDGER_OK (0) or a negative
 *   `PLEDGER_E*` code.  Output parameters come first; a single one is
 *   called `out`.  On failure `*out` is set to NULL (or left untouched for
 *   caller-provided buffers, which are then NUL-terminated and empty).
 * - What the caller receives through an out-parameter it owns, and frees
 *   with the matching `*_free` function, which accepts NULL.
 * - Getters return borrowed pointers, valid until the owner is freed or
 *   changed.
 * - One snapshot type, #pledger_pledge (pledge.h), answers every read of a
 *   pledge: pledger_pledge_get(), a verification's
 *   pledger_verification_pledge() and a search's pledger_cursor_pledge().
 * - The text of the last failure is on the handle: pledger_errmsg().
 * - Strings are UTF-8.  Instants are microseconds since 1970-01-01T00:00Z.
 */
#ifndef PLEDGER_COMMON_H
#define PLEDGER_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PLEDGER_BUILDING_LIBRARY) && defined(__GNUC__)
#define PLEDGER_EXPORT __attribute__((visibility("default")))
#else
/** Marks a declaration as part of the public ABI. */
#define PLEDGER_EXPORT
#endif

#if defined(__GNUC__) || defined(__clang__)
#define PLEDGER_DEPRECATED(msg) __attribute__((deprecated(msg)))
#else
/**
 * Marks a declaration as deprecated: the compiler warns where it is used
 * (-Wdeprecated-declarations) and says what to use instead (@p msg).  A
 * deprecated function stays exported until the next major release (the
 * ABI policy in README.md; NEWS lists what goes).  Empty for compilers
 * other than GCC and Clang.
 * @since 0.2
 */
#define PLEDGER_DEPRECATED(msg)
#endif

#if defined(__GNUC__) || defined(__clang__)
#define PLEDGER_FORMAT_ARG(n) __attribute__((format_arg(n)))
#else
/**
 * Says that a function returns a translation of its argument @p n, a
 * printf format: the compiler checks a call's arguments against the
 * format given (-Wformat).  Empty for compilers other than GCC and Clang.
 * @since 0.2
 */
#define PLEDGER_FORMAT_ARG(n)
#endif

/**
 * Result codes.  New codes may be added in a minor release; existing
 * values never change.
 * @since 0.1
 */
typedef enum pledger_error {
    PLEDGER_OK = 0,            /**< Success. */
    PLEDGER_EINVAL = -1,       /**< An argument or a field is invalid. */
    PLEDGER_ENOTFOUND = -2,    /**< The file, record or number does not exist. */
    PLEDGER_ESTATE = -3,       /**< Not allowed in the record's current state. */
    PLEDGER_ECONFLICT = -4,    /**< Conflicts with stored data (already pledged, duplicate). */
    PLEDGER_EPERM = -5,        /**< The actor's role may not do this. */
    PLEDGER_EREADONLY = -6,    /**< The registry was opened read-only. */
    PLEDGER_EBUSY = -7,        /**< The database stayed locked past the busy timeout. */
    PLEDGER_EIO = -8,          /**< An input/output error. */
    PLEDGER_ECORRUPT = -9,     /**< The database or the journal is damaged. */
    PLEDGER_ENOTDB = -10,      /**< The file is not a pledger registry. */
    PLEDGER_ENEWER = -11,      /**< The registry was written by a newer pledger. */
    PLEDGER_EXML = -12,        /**< A document is not well-formed or not valid. */
    PLEDGER_ENOMEM = -13,      /**< Out of memory. */
    PLEDGER_EREVIEW = -14,     /**< The review has blocking findings. */
    PLEDGER_ECODE = -15,       /**< A modification or verification code did not match. */
    PLEDGER_ECANCELLED = -16,  /**< The caller's callback asked to stop; nothing was changed. */
    PLEDGER_ENOTSUP = -17      /**< This build of the library lacks the feature (XML signatures
                                    need libxmlsec1 at build time). @since 0.2 */
} pledger_error;

/**
 * Name and explain a result code.
 * @param[in] code a #pledger_error value.
 * @return a static string; "unknown error" for codes pledger never returns.
 * @since 0.1
 */
PLEDGER_EXPORT const char *pledger_strerror(int code);

/**
 * The version of the library that is loaded, "MAJOR.MINOR.MICRO".
 * It may be newer than the headers the program was compiled with.
 * @return a static string.
 * @since 0.1
 */
PLEDGER_EXPORT const char *pledger_version(void);

/**
 * Choose the language of what pledger says to people: error messages,
 * finding messages, legal-basis notes and rule meanings.
 *
 * By default they follow the process's locale the way gettext does
 * (`LANGUAGE`, then `LC_ALL`, `LC_MESSAGES`, `LANG`; a program calls
 * `setlocale(LC_ALL, "")` to adopt the user's).  This call overrides
 * that for the whole process: it sets `LANGUAGE` and, when the
 * process's `LC_MESSAGES` is the "C" locale (in which gettext translates
 * nothing), switches that category alone to "C.UTF-8".  Like
 * `setlocale()`, call it before starting threads.
 *
 * What the registry records (journal payloads, stored findings) stays in
 * English whatever the language; codes (`PLEDGER_E*`, finding codes) are
 * never translated.  Translations are UTF-8.
 *
 * @param[in] lang a language as `LANGUAGE` takes it: "zh_CN", "en",
 *            "zh_CN:en"; NULL or "" returns to following the locale.
 *            A language written as a language tag ("zh-CN") is taken as
 *            the catalogue's name ("zh_CN"), and Chinese in simplified
 *            characters named otherwise ("zh", "zh-Hans", "zh-Hans-CN",
 *            "zh-SG") as "zh_CN", as pledger_set_thread_language() and
 *            pledgerd's `Accept-Language` take them.
 * @return 0, or #PLEDGER_EINVAL when @p lang is not a language name
 *         (message from pledger_errmsg(NULL)).
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_set_language(const char *lang);

/**
 * Choose the language of what pledger says on the calling thread alone,
 * whatever the process's (pledger_set_language(), the locale): a service
 * answering each request in the language its client asked for.  The
 * thread keeps it until the next call; NULL or "" returns the thread to
 * the process's language.
 *
 * @p lang is one language, as a locale names it or as HTTP's
 * `Accept-Language` does: "zh_CN", "zh-CN", "zh_CN.UTF-8", "zh" (its
 * catalogue, else that of the language without its territory); "en", any
 * "en-..." and "C" are English.  The catalogues are read from the same
 * directory as gettext's (the library's locale directory, or
 * `$PLEDGER_LOCALEDIR`), each once per process.
 *
 * @param[in] lang the language.
 * @return 0; #PLEDGER_EINVAL when @p lang is not one language name;
 *         #PLEDGER_ENOTFOUND when pledger has no translation into it
 *         (the thread's language is then unchanged: try the client's
 *         next choice).  The message is read with pledger_errmsg(NULL).
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_set_thread_language(const char *lang);

/**
 * The translation of a message of pledger's catalogue (the gettext domain
 * "pledger") into the calling thread's language
 * (pledger_set_thread_language()), else the process's
 * (pledger_set_language(), the locale); @p msgid itself when there is
 * none.  For programs built on pledger whose own messages are kept in its
 * catalogue (pledgerd answers its clients in their language with it); a
 * printf format translated keeps its conversions.
 * @param[in] msgid the English message, as the catalogue has it.
 * @return a string owned by the library (valid for the life of the
 *         process), or @p msgid; NULL for NULL.
 * @since 0.2
 */
PLEDGER_EXPORT const char *pledger_translate(const char *msgid) PLEDGER_FORMAT_ARG(1);

/**
 * Read an instant written as ISO 8601 text, as the library writes
 * instants in documents and messages: "YYYY-MM-DDTHH:MM:SS", an optional
 * fraction of a second of 1 to 6 digits, then "Z" or an offset "+HH:MM" /
 * "-HH:MM" ("2026-03-01T08:00:00+08:00"); or a bare date "YYYY-MM-DD",
 * meaning its midnight UTC (pledger_instant_parse_registry() reads it as
 * the first instant of the registry's day, which is what a person asking
 * about a day means).  A program that takes instants from people or
 * from the network reads them here, so that it refuses what the library
 * would refuse.
 *
 * Refused with #PLEDGER_EINVAL, the message quoting the text: a day its
 * month does not have ("2026-02-30"), an hour, minute or second out of
 * range (no leap second), a missing digit or separator ("2026-1-1",
 * "2026- 1-01"), anything before or after the instant, an instant that
 * falls outside the years 0000 to 9999 in UTC, text that is NULL.
 *
 * @param[out] out  receives the instant, microseconds since
 *                  1970-01-01T00:00Z; untouched on failure.
 * @param[in]  text the instant, NUL-terminated.
 * @return #PLEDGER_OK or #PLEDGER_EINVAL (the reason is the calling
 *         thread's pledger_errmsg(NULL)).
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_instant_parse(int64_t *out, const char *text);

/** The first instant the library reads and writes as text,
 *  0000-01-01T00:00:00Z, in microseconds since 1970-01-01T00:00Z.  A
 *  program that takes instants as microseconds from people or from the
 *  network refuses those outside #PLEDGER_INSTANT_MIN to
 *  #PLEDGER_INSTANT_MAX, as pledger_instant_parse() refuses such text:
 *  #PLEDGER_AS_OF_CURRENT, below them, is not an instant but "now".
 *  @since 0.2 */
#define PLEDGER_INSTANT_MIN (-62167219200000000LL)
/** The last such instant, 9999-12-31T23:59:59.999999Z. @since 0.2 */
#define PLEDGER_INSTANT_MAX 253402300799999999LL

#ifdef __cplusplus
}
#endif

#endif /* PLEDGER_COMMON_H */
