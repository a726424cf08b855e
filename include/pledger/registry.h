/**
 * @file registry.h
 * @brief Opening and closing a registry; errors and the clock.
 *
 * A registry is one SQLite database file.  A #pledger_registry handle is
 * used by one thread at a time: open one per thread (or per process).
 * Several handles, in one process or many, may share a file: readers
 * never block the writer (write-ahead log) and writers wait up to the
 * busy timeout for each other.
 */
#ifndef PLEDGER_REGISTRY_H
#define PLEDGER_REGISTRY_H

#include <pledger/common.h>
#include <pledger/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An open registry.  Opaque. @since 0.1 */
typedef struct pledger_registry pledger_registry;

/** The version of #pledger_open_options this header describes. @since 0.1 */
#define PLEDGER_OPEN_OPTIONS_VERSION 1

/**
 * How to open a registry.  Initialise with #PLEDGER_OPEN_OPTIONS_INIT and
 * change only the fields you need, so that a program compiled against
 * these headers keeps working when fields are added.
 * @since 0.1
 */
typedef struct pledger_open_options {
    /** Must be #PLEDGER_OPEN_OPTIONS_VERSION. */
    unsigned version;
    /** Non-zero: a read-only SQLite connection; every write fails with
     *  #PLEDGER_EREADONLY.  The file must exist. */
    int read_only;
    /** Non-zero: create the file and the schema when the file is missing
     *  (or empty).  Zero: a missing or empty file is #PLEDGER_ENOTFOUND.
     *  Ignored with @ref read_only. */
    int create;
    /** How long to wait for another writer, in milliseconds (>= 0). */
    int busy_timeout_ms;
    /** The office (acceptance point or registry office) this handle acts
     *  for: 1 to 16 characters of A-Z, 0-9 and '-'.  It is recorded on the
     *  applications the handle accepts and used in the numbers it issues.
     *  NULL: the registry's default office, set when it was created
     *  (this value when creating, else "PLEDGER"). */
    const char *office_code;
} pledger_open_options;

/** Defaults: create if missing, read-write, 5 s busy timeout, the
 *  registry's default office. @since 0.1 */
#define PLEDGER_OPEN_OPTIONS_INIT { PLEDGER_OPEN_OPTIONS_VERSION, 0, 1, 5000, NULL }

/**
 * Open (and if allowed, create) the registry stored at @p path.
 *
 * A new file gets the current schema.  An older registry is migrated to
 * the current schema in one transaction.  The call refuses, without
 * changing a byte of the file, and with a message naming the file:
 * - a file that does not start with SQLite's header (text, random bytes,
 *   zeros): #PLEDGER_ENOTDB, "not an SQLite database" -- the wrong file
 *   was given (or, if it was a registry, its first page is gone: nothing
 *   in it says so);
 * - a file that starts with SQLite's header but cannot be read as a
 *   database (truncated, shorter than the header or than its pages, a
 *   damaged page): #PLEDGER_ECORRUPT, "damaged: restore it from a
 *   backup";
 * - an SQLite database that is not a pledger registry (another
 *   application's, by its application_id): #PLEDGER_ENOTDB;
 * - a registry written by a newer pledger (#PLEDGER_ENEWER);
 * - a missing file when @c create is 0 or @c read_only is set, or whose
 *   directory does not exist, or a path through a file
 *   (#PLEDGER_ENOTFOUND);
 * - a directory or another file that is not a regular file, a file this
 *   process may not read (#PLEDGER_EIO);
 * - with @c read_only 0, an existing file this process may not write
 *   (#PLEDGER_EREADONLY: open it read-only);
 * - with @c read_only set, an older registry that needs migrating before
 *   this library can read it (#PLEDGER_EREADONLY: open it read-write
 *   once).  A registry that lacks only the keys of bulk filings (the
 *   schema of 0.2's last step) is read as it is, unchanged: a bank's
 *   read-only copy stays readable after the library is upgraded.
 *
 * An empty (zero-length) file is a new registry, created by a read-write
 * open; a read-only open refuses it (#PLEDGER_ENOTDB).  A page found
 * damaged later, by any call, fails that call with #PLEDGER_ECORRUPT
 * naming the file.  Messages quote paths and other text with their
 * control characters escaped (ESC as <tt>\\x1b</tt>), never raw.
 *
 * @param[out] out   the new handle, owned by the caller (pledger_close());
 *                   NULL on failure.
 * @param[in]  path  file name (UTF-8).  ":memory:" opens a private
 *                   in-memory registry.
 * @param[in]  opts  options, or NULL for #PLEDGER_OPEN_OPTIONS_INIT.
 * @return 0 or a negative #pledger_error.  On failure the message is
 *         available from pledger_errmsg(NULL) in the same thread.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_open(pledger_registry **out, const char *path,
                                const pledger_open_options *opts);

/**
 * Close a registry and free the handle and everything borrowed from it.
 * @param[in] reg the handle, or NULL (a no-op).
 * @since 0.1
 */
PLEDGER_EXPORT void pledger_close(pledger_registry *reg);

/**
 * Hold one read of the registry across several calls on @p reg.
 *
 * Until pledger_read_end(), every read on @p reg (a verification, a search
 * and its pages, a rank, a certificate, a statement, pledger_log_size(),
 * the search reports …) answers from the same snapshot: the registry as it
 * was when this call began, whatever other handles or processes change
 * meanwhile.  A service uses it to name, in a search report, the log size
 * its answer was read at, also for an answer that found nothing.
 *
 * While the read is held, a change on @p reg (a workflow step, an import,
 * a search report) fails with ::PLEDGER_ESTATE.  Hold it briefly: a
 * registry's write-ahead log cannot be folded back past a held read, so a
 * read held for hours makes the log grow.  pledger_close() ends it.
 *
 * @param[in] reg the handle.
 * @return 0; ::PLEDGER_ESTATE when a read is already held, or a batch or
 *         another transaction is open on @p reg; ::PLEDGER_EBUSY,
 *         ::PLEDGER_ECORRUPT or ::PLEDGER_EIO from the store.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_read_begin(pledger_registry *reg);

/**
 * End the read pledger_read_begin() holds on @p reg.
 * @param[in] reg the handle.
 * @return 0; ::PLEDGER_ESTATE when no read is held.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_read_end(pledger_registry *reg);

/**
 * The message of the last failed call on @p reg.
 *
 * With @p reg NULL: the message of the calling thread's last failure that
 * had no handle to hold it (a failed pledger_open(), a check of a single
 * identifier, a NULL handle passed to a call).
 *
 * @param[in] reg the handle, or NULL.
 * @return a borrowed string, valid until the next call on the same handle
 *         (or, for NULL, the next such failure in the thread); "" when the
 *         last call succeeded.  Never NULL.
 * @since 0.1
 */
PLEDGER_EXPORT const char *pledger_errmsg(const pledger_registry *reg);

/**
 * The code of the last failed call on @p reg (0 after a success), with
 * the same rule for NULL as pledger_errmsg().
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_errcode(const pledger_registry *reg);

/**
 * A source of the current instant, in microseconds since the epoch (UTC).
 * @param[in] payload the pointer given to pledger_set_clock().
 * @since 0.1
 */
typedef int64_t (*pledger_clock_fn)(void *payload);

/**
 * Replace the clock the registry reads "now" from: every instant it
 * stores and every deadline it computes uses it, so tests and replays are
 * deterministic.  A step reads it once, when it holds the registry's
 * write lock, so steps by several handles or processes get instants in
 * the order they commit whenever their clocks agree.  An instant the
 * clock gives outside #PLEDGER_INSTANT_MIN .. #PLEDGER_INSTANT_MAX (a
 * Python clock that raised gives #PLEDGER_AS_OF_CURRENT) is no step's:
 * the step is refused with #PLEDGER_EINVAL naming the clock, nothing
 * recorded.
 * @param[in] reg     the registry.
 * @param[in] clock   the clock, or NULL for the system clock.
 * @param[in] payload passed to @p clock unchanged.
 * @return 0, or #PLEDGER_EINVAL when @p reg is NULL.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_set_clock(pledger_registry *reg,
                                     pledger_clock_fn clock, void *payload);

/**
 * The registry's current instant: the clock set with pledger_set_clock(),
 * else the system clock.
 * @param[in] reg the registry, or NULL for the system clock.
 * @return microseconds since 1970-01-01T00:00:00Z.
 * @since 0.1
 */
PLEDGER_EXPORT int64_t pledger_now(const pledger_registry *reg);

/**
 * The office code this handle acts for (see pledger_open_options).
 * @param[in] reg the registry.
 * @return a borrowed string, or NULL when @p reg is NULL.
 * @since 0.1
 */
PLEDGER_EXPORT const char *pledger_office_code(const pledger_registry *reg);

/**
 * Say who performs the following calls on this handle, and in which role.
 * Every call that changes the registry checks the role (docs/design.md §3):
 * applicant (draft, review, submit, withdraw), clerk (accept, request and
 * record corrections), registrar (register, refuse, change, extend,
 * cancel, revoke, import the reference register), bank (read only),
 * auditor (read, verify the journal).  The name is recorded in the
 * journal with each change.
 * @param[in] reg  the registry.
 * @param[in] name the actor's name or login, 1 to 128 bytes of UTF-8
 *                 without control characters; copied.
 * @param[in] role a #pledger_role.
 * @return 0 or #PLEDGER_EINVAL (the previous actor stays).
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_set_actor(pledger_registry *reg, const char *name,
                                     pledger_role role);

/**
 * Whether the actor of this handle may make @p call, asked before it is
 * made: a service that reads a request's body only for an actor who may
 * use it (pledgerd answers 403 before it reads a document), or that
 * makes a caller wait for its turn to verify (pledgerd runs one
 * verification at a time), asks this first. The actor's role and the
 * handle's site decide, by the rules the
 * call itself applies (and still applies); what the call would be about
 * (an application's owner and state, a document) is not looked at.
 * @param[in] reg  the registry, its actor set (pledger_set_actor()).
 * @param[in] call the name of a call that changes the registry:
 *                 "pledger_application_save", "pledger_application_save_keyed",
 *                 "pledger_application_replace", "pledger_application_review",
 *                 "pledger_application_submit", "pledger_application_accept",
 *                 "pledger_application_request_correction",
 *                 "pledger_application_correct", "pledger_application_register",
 *                 "pledger_application_refuse", "pledger_application_withdraw",
 *                 "pledger_file_batch", "pledger_file_batch_keyed",
 *                 "pledger_exchange_export", "pledger_exchange_import",
 *                 "pledger_registry_expire", "pledger_calendar_load",
 *                 "pledger_register_import" or
 *                 "pledger_register_import_memory" (a pledge's steps
 *                 depend on its kind too, and are not answered); or of
 *                 a verification that reads the whole registry:
 *                 "pledger_journal_verify", "pledger_journal_verify_chain"
 *                 or "pledger_report_verify".
 * @return 0 when it may; #PLEDGER_EPERM with the words of the call's own
 *         refusal (no actor set, a role that may not, a step this site
 *         does not take), without the call's name some calls put first;
 *         #PLEDGER_EINVAL for a name not listed.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_may(pledger_registry *reg, const char *call);

/**
 * The actor set with pledger_set_actor().
 * @param[in] reg the registry.
 * @return a borrowed string, or NULL when none is set or @p reg is NULL.
 * @since 0.1
 */
PLEDGER_EXPORT const char *pledger_actor(const pledger_registry *reg);

/**
 * The office's time zone: the zone in which people are shown the
 * registry's instants (the command line, printed certificates).  Instants
 * are stored and exchanged in UTC whatever it is.  Read from the registry
 * at each call: a zone another handle or process set since this handle
 * was opened is the one given.
 * @param[in] reg the registry.
 * @return a borrowed IANA zone name ("Asia/Shanghai" unless
 *         pledger_set_time_zone() chose another), or NULL when @p reg is
 *         NULL.
 * @since 0.2
 */
PLEDGER_EXPORT const char *pledger_time_zone(const pledger_registry *reg);

/**
 * Read an instant as pledger_instant_parse() does, except that a bare
 * date "YYYY-MM-DD" is the first instant of that day in the registry's
 * calendar -- at its UTC offset, as its deadlines, "today" and statistics
 * count days -- not midnight UTC: "was it pledged on 2024-04-11?" asks
 * about the registry's 2024-04-11.  The command line, pledgerd's query
 * parameters and the Python bindings' dates read a date so.
 * @param[out] out  receives the instant, microseconds since
 *                  1970-01-01T00:00Z; untouched on failure.
 * @param[in]  reg  the registry whose calendar a date is of.
 * @param[in]  text the instant or date, NUL-terminated.
 * @return #PLEDGER_OK or #PLEDGER_EINVAL as pledger_instant_parse() (also
 *         for a NULL @p reg, and for a day that begins outside the years
 *         0000 to 9999 in UTC); the reason is the calling thread's
 *         pledger_errmsg(NULL).
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_instant_parse_registry(int64_t *out, const pledger_registry *reg,
                                                  const char *text);

/**
 * Set the office's time zone (see pledger_time_zone()).  Role:
 * registrar; journaled.  The registry's calendar dates (deadlines, "today")
 * keep following its UTC offset.
 * @param[in] reg the registry.
 * @param[in] tz  an IANA zone name such as "Asia/Shanghai"; where the
 *                system has a zone database (TZDIR or
 *                /usr/share/zoneinfo) it must be in it.
 * @return 0, #PLEDGER_EINVAL (the message names the problem),
 *         #PLEDGER_EPERM, #PLEDGER_EREADONLY.
 * @since 0.2
 */
PLEDGER_EXPORT int pledger_set_time_zone(pledger_registry *reg, const char *tz);

/**
 * Set the template of acceptance and registration numbers.  Placeholders:
 * `{series}` ("A" acceptance, "R" registration), `{office}` (the office
 * code of the handle that issues the number), `{kind}` (TM, PT, AR, EQ,
 * EM, SA, LD), `{year}` (four digits, the registry's local year) and
 * `{seq:N}` (the sequence, zero-padded to N digits, 1 <= N <= 12).
 * `{series}`, `{year}` and `{seq:N}` are required: every series, office,
 * kind and year has its own gap-free sequence.  The default is
 * `{series}-{office}-{kind}-{year}-{seq:6}` (e.g. R-SZ01-TM-2026-000001).
 * Numbers already issued keep their form.  Role: registrar; journaled.
 * @param[in] reg      the registry.
 * @param[in] tmpl     the template.
 * @return 0, #PLEDGER_EINVAL (the message names the problem),
 *         #PLEDGER_EPERM, #PLEDGER_EREADONLY.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_set_number_template(pledger_registry *reg, const char *tmpl);

/**
 * The API name of a role: "applicant", "clerk", "registrar", "bank",
 * "auditor".
 * @return a static string, or NULL for a value that is not a role.
 * @since 0.1
 */
PLEDGER_EXPORT const char *pledger_role_name(pledger_role role);

/**
 * The role named @p name (as pledger_role_name() writes it).
 * @return the #pledger_role, or 0 when @p name is NULL or unknown.
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_role_from_name(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* PLEDGER_REGISTRY_H */
