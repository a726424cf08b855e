/**
 * @file refreg.h
 * @brief Importing the reference register of the underlying rights.
 *
 * The registry office keeps a copy of what the authorities know about the
 * rights that may be pledged: trademarks (owners, status, validity, Nice
 * classes and similar-goods groups, families of similar marks), patents
 * (patentees, status, annual fee, pending invalidation), shareholdings in
 * companies, pollutant discharge permits, sea-area and land certificates,
 * and whether a court has seized or frozen them.  The review checks
 * applications against it (see the domain notes, docs/domain.md §4.2).
 *
 * The register arrives as XML files in the namespace `urn:pledger:1`
 * described by `register.xsd` (installed under `share/pledger/`): a root
 * `<register>` holding one element per record (`<trademark>`, `<patent>`,
 * `<holding>`, `<emission>`, `<sea_area>`, `<land>`).  An owner or a
 * shareholder is named as the authority recorded it (`name`, `id_type`,
 * `id`) and, when the register has one, by its registered English name
 * (`name_en`, optional, since 0.2): a similar-name search by that English
 * name finds the pledges of the party with that identifier
 * (pledger_query.party_name).  An import
 * inserts new records, updates those whose content changed and leaves the
 * others alone, so importing the same file twice changes nothing the
 * second time.  It never deletes: a right leaves the register by being
 * imported with another status (cancelled, expired, ...).
 */
#ifndef PLEDGER_REFREG_H
#define PLEDGER_REFREG_H

#include <pledger/common.h>
#include <pledger/registry.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The outcome of an import: counts and the rejected records.  Opaque;
 * free with pledger_import_report_free().
 * @since 0.1
 */
typedef struct pledger_import_report pledger_import_report;

/**
 * Progress of an import, called at least every 1000 records and once at
 * the end (before the import commits).  The counts never decrease.
 * @param[in] records     records read so far (imported and rejected).
 * @param[in] bytes_read  bytes of the file read so far.
 * @param[in] total_bytes the size of the file, or 0 when unknown (a pipe).
 *                        At the end @p bytes_read equals the file's size.
 * @param[in] payload     the options' @c payload.
 * @return 0 to go on; any other value cancels the import, which then
 *         changes nothing and returns #PLEDGER_ECONFLICT.
 * @since 0.1
 */
typedef int (*pledger_import_progress_fn)(uint64_t records, uint64_t bytes_read,
                                          uint64_t total_bytes, void *payload);

/** The version of #pledger_import_options this header describes. @since 0.1 */
#define PLEDGER_IMPORT_OPTIONS_VERSION 1

/**
 * How to import.  Initialise with #PLEDGER_IMPORT_OPTIONS_INIT and change
 * only the fields you need.
 * @since 0.1
 */
typedef struct pledger_import_options {
    /** Must be #PLEDGER_IMPORT_OPTIONS_VERSION. */
    unsigned version;
    /** Called as the import progresses, or NULL. */
    pledger_import_progress_fn progress;
    /** Passed to @ref progress. */
    void *payload;
} pledger_import_options;

/** Defaults: no progress callback. @since 0.1 */
#define PLEDGER_IMPORT_OPTIONS_INIT { PLEDGER_IMPORT_OPTIONS_VERSION, NULL, NULL }

/** At most this many rejected records are kept in a report with their
 *  line and message; further ones are only counted. @since 0.1 */
#define PLEDGER_IMPORT_REJECTIONS_KEPT 1000

/**
 * Import a reference register file.
 *
 * The file is read as a stream, one record at a time, so memory stays the
 * same whatever its size, and imported in one transaction recorded by one
 * journal event (operation "register_import", with the file's SHA-256 and
 * the counts).  A record is held only within its limits: 1 MiB, 1024
 * elements, elements nested 8 levels below it, 16,384 bytes in any
 * attribute value or text; a record past one is rejected (line and
 * limit in the report) and read on without being kept, so the peak
 * memory stays under 64 MiB whatever the file holds.  Each record is
 * checked against `register.xsd`, its
 * identifiers' check digits, its dates and its consistency (for example
 * a similar-goods group in a class the mark is not registered in, or a
 * `name_en` without a Latin letter); a bad
 * record is rejected, with its line number and a message in the report,
 * and the others are imported.  A record whose number already appeared in
 * the same file is rejected too.
 *
 * The whole file is refused, and the register left exactly as it was,
 * when it is not well-formed XML (a truncated file included), has a
 * DOCTYPE (no DTD and no entities are accepted; it is refused before
 * anything of it is parsed), a tag, comment, processing instruction or
 * CDATA section longer than 1 MiB, a tag with more than 256 attributes
 * (namespace declarations included), or its root is not
 * `<register xmlns="urn:pledger:1">`; the message names the line (a file
 * cut short: the line where it ends, and the element left open, as in
 * `the file ends before the element <trademark> is closed`).  Such
 * a refusal (#PLEDGER_EXML) leaves a trace for the auditor: a journal
 * event "register_import" whose payload is {"bytes", "refused", "sha256"}
 * -- the size and SHA-256 of the whole file (of the bytes read, for a
 * pipe), and the reason, "line N: ..." -- and nothing else: no counts,
 * no register rows.  A cancelled import, a file that cannot be read and
 * a failure of the store leave none.
 *
 * Needs an actor with the registrar role (pledger_set_actor()).
 *
 * @param[out] out  the report, owned by the caller
 *                  (pledger_import_report_free()); NULL on failure.
 * @param[in]  reg  the registry, opened read-write.
 * @param[in]  path the file (UTF-8 path).
 * @param[in]  opts options, or NULL for #PLEDGER_IMPORT_OPTIONS_INIT.
 * @return 0 (even when records were rejected: see
 *         pledger_import_report_rejected()), or
 *         #PLEDGER_EXML (not well-formed, DOCTYPE, wrong root),
 *         #PLEDGER_ECANCELLED (cancelled by the progress callback),
 *         #PLEDGER_EPERM (no actor, or not a registrar),
 *         #PLEDGER_EREADONLY (read-only registry),
 *         #PLEDGER_ENOTFOUND (no such file), #PLEDGER_EIO,
 *         #PLEDGER_EBUSY, #PLEDGER_EINVAL (arguments), #PLEDGER_ENOMEM.
 *         The message is on the handle: pledger_errmsg().
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_register_import(pledger_import_report **out,
                                           pledger_registry *reg, const char *path,
                                           const pledger_import_options *opts);

/**
 * Import a reference register held in memory; otherwise the same as
 * pledger_register_import().  Messages call it "register".
 * @param[out] out  the report (pledger_import_report_free()); NULL on failure.
 * @param[in]  reg  the registry, opened read-write.
 * @param[in]  data the XML text; not kept after the call.
 * @param[in]  len  its length in bytes.
 * @param[in]  opts options, or NULL for #PLEDGER_IMPORT_OPTIONS_INIT.
 * @return as pledger_register_import().
 * @since 0.1
 */
PLEDGER_EXPORT int pledger_register_import_memory(pledger_import_report **out,
                                                  pledger_registry *reg, const void *data,
                                                  size_t len,
                                                  const pledger_import_options *opts);

/**
 * Records of the file inserted into the register.
 * @param[in] report a report, or NULL (0).
 * @return the count.
 * @since 0.1
 */
PLEDGER_EXPORT uint64_t pledger_import_report_inserted(const pledger_import_report *report);

/**
 * Records of the file that changed a record already on the register.
 * @param[in] report a report, or NULL (0).
 * @return the count.
 * @since 0.1
 */
PLEDGER_EXPORT uint64_t pledger_import_report_updated(const pledger_import_report *report);

/**
 * Records of the file identical to what the register already held.
 * @param[in] report a report, or NULL (0).
 * @return the count.
 * @since 0.1
 */
PLEDGER_EXPORT uint64_t pledger_import_report_unchanged(const pledger_import_report *report);

/**
 * Records of the file rejected, all of them (only the first
 * #PLEDGER_IMPORT_REJECTIONS_KEPT keep their line and message).
 * @param[in] report a report, or NULL (0).
 * @return the count.
 * @since 0.1
 */
PLEDGER_EXPORT uint64_t pledger_import_report_rejected(const pledger_import_report *report);

/**
 * How many rejections the report keeps a line and a message for:
 * the smaller of pledger_import_report_rejected() and
 * #PLEDGER_IMPORT_REJECTIONS_KEPT, in the order of the file.
 * @param[in] report a report, or NULL (0).
 * @return the count.
 * @since 0.1
 */
PLEDGER_EXPORT size_t pledger_import_report_rejection_count(
    const pledger_import_report *report);

/**
 * The line of the file where the @p i-th kept rejected record starts.
 * @param[in] report a report.
 * @param[in] i      0 to pledger_import_report_rejection_count() - 1.
 * @return the line (1-based), or 0 when @p report is NULL or @p i out of range.
 * @since 0.1
 */
PLEDGER_EXPORT uint64_t pledger_import_report_rejection_line(
    const pledger_import_report *report, size_t i);

/**
 * Why the @p i-th kept record was rejected: a line such as
 * <tt>trademark 10000001: owner[1]/\@id: ... check digit ...</tt>
 * @param[in] report a report.
 * @param[in] i      0 to pledger_import_report_rejection_count() - 1.
 * @return a string owned by the report, or NULL when @p report is NULL or
 *         @p i out of range.
 * @since 0.1
 */
PLEDGER_EXPORT const char *pledger_import_report_rejection_message(
    const pledger_import_report *report, size_t i);

/**
 * The SHA-256 of the imported file, as recorded in the journal.
 * @param[in] report a report.
 * @return 64 lower-case hexadecimal digits owned by the report, or NULL
 *         when @p report is NULL.
 * @since 0.1
 */
PLEDGER_EXPORT const char *pledger_import_report_sha256(const pledger_import_report *report);

/**
 * Free a report.
 * @param[in] report a report, or NULL (nothing happens).
 * @since 0.1
 */
PLEDGER_EXPORT void pledger_import_report_free(pledger_import_report *report);

#ifdef __cplusplus
}
#endif

#endif /* PLEDGER_REFREG_H */
